"""Citizen dialogues (medborgardialoger) and the proposals raised in them.

Promise 2 asks for "trygghetsvandringar och dialoger i samverkan med
medborgare, föreningar och näringsidkare i kommunens olika områden", and that
the dialogues ground future measures. Two exports, both ``;``-separated UTF-8
CSV (or the filled-in Excel templates ``dialoger.xlsx`` and
``dialogforslag.xlsx``, ``trygghet mallar``, see :data:`TEMPLATE` and
:data:`PROPOSALS_TEMPLATE`):

* ``dialoger.csv``: one row per dialogue (:data:`COLUMNS`), read by
  :func:`read` into the table ``dialogues``;
* ``dialogforslag.csv``: one row per proposal (:data:`PROPOSAL_COLUMNS`),
  read by :func:`read_proposals` into the table ``dialogue_proposals``.

Choices, written down (see ``docs/data/dialogues.md``):

* ``themes`` lists the themes raised, separated by ``|`` or ``,``; each is one
  of :data:`THEMES` (the residents' report categories plus narkotika, våld,
  ungdomar). The table holds them joined with ``|`` in :data:`THEMES` order.
* Participants are counted per group (:data:`PARTICIPANT_GROUPS`), 0 when
  none came; ``tjanstepersoner`` are the officials of the kommun and the
  police. A dialogue of only officials is kept (the reports say it is not a
  dialogue with citizens); a dialogue with nobody at all is refused.
* ``area`` is one of the kommun's configured areas or ``hela kommunen``
  (:data:`WHOLE_KOMMUN`); when ``areas`` is given (ingest gives the
  configured names) any other name is an error.
* A proposal's ``dialogue_id`` must exist in the dialogues file (by default
  ``dialoger.csv`` or ``dialoger.xlsx`` beside it). Its ``deadline`` and
  ``completed_date`` cannot lie before the dialogue; ``åtgärdad`` needs a
  ``completed_date``, ``ny`` and ``pågår`` must not have one; a proposal
  with decision ``avslagen`` has status ``avslagen``, and only a ``beslutad
  åtgärd`` can be ``åtgärdad``.
* ``measure_id`` is the measure the proposal became: an EST measure's
  ``measure_id`` or a safety-walk observation written ``<walk_id>/<point_no>``
  (:func:`walk_point_id`). The reader checks it against a list only when
  given ``measures`` (the other sources' files may lie elsewhere).
* ``dialogue_id``, ``area``, ``proposal_id``, ``proposal``, ``measure_id``
  and ``responsible`` are free text (:data:`trygghet.sources.free_text.FREE_TEXT`):
  scrubbed of personal data before anything else is done. ``responsible`` is
  shown on a page only as one of the kommun's parties.
* Vocabulary words (form, organiser, themes, decision, status) are accepted in
  any capitalisation and with extra spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from trygghet.config import KommunConfig
from trygghet.errors import DataError
from trygghet.sources.free_text import scrub_columns
from trygghet.sources.resident_reports import CATEGORIES as RESIDENT_CATEGORIES
from trygghet.sources.tabular import (
    ReadResult,
    RowProblems,
    check_contract,
    check_not_future,
    check_unique,
    parse_column,
    read_table,
)
from trygghet.sources.templates import ColumnHelp, Template

SOURCE = "dialogues"
SOURCE_PROPOSALS = "dialogue_proposals"
DIALOGUES_FILE = "dialoger.csv"
PROPOSALS_FILE = "dialogforslag.csv"
RAW_FILES = [DIALOGUES_FILE, PROPOSALS_FILE]

FORMS = ["möte", "digital enkät", "stand", "föreningsmöte", "näringslivsträff", "skola"]
ORGANISERS = ["kommun", "polis", "båda"]
#: The residents' report categories ("annat" last) plus three the dialogues raise.
THEMES = [
    *[c for c in RESIDENT_CATEGORIES if c != "annat"],
    "narkotika",
    "våld",
    "ungdomar",
    "annat",
]
DECISIONS = ["beslutad åtgärd", "avslagen", "utreds"]
STATUSES = ["ny", "pågår", "åtgärdad", "avslagen"]
#: Raw column -> the group as the reports name it.
PARTICIPANT_GROUPS = {
    "invanare": "invånare",
    "foreningar": "föreningar",
    "naringsidkare": "näringsidkare",
    "unga": "unga",
    "tjanstepersoner": "tjänstepersoner",
}
WHOLE_KOMMUN = "hela kommunen"

COLUMNS = [
    "dialogue_id",
    "date",
    "area",
    "form",
    "organiser",
    *PARTICIPANT_GROUPS,
    "themes",
]
PROPOSAL_COLUMNS = [
    "proposal_id",
    "dialogue_id",
    "theme",
    "proposal",
    "decision",
    "measure_id",
    "responsible",
    "deadline",
    "status",
    "completed_date",
]

_ORIGINS = ["real", "fetched", "example"]
_DATE = "datetime64[ns]"


def _themes_known(themes: pd.Series) -> pd.Series:
    return themes.str.split("|").map(lambda parts: bool(parts) and set(parts) <= set(THEMES))


SCHEMA = pa.DataFrameSchema(
    {
        "dialogue_id": pa.Column("string", unique=True),
        "date": pa.Column(_DATE),
        "area": pa.Column("string"),
        "form": pa.Column("string", pa.Check.isin(FORMS)),
        "organiser": pa.Column("string", pa.Check.isin(ORGANISERS)),
        **{group: pa.Column("Int64", pa.Check.ge(0)) for group in PARTICIPANT_GROUPS},
        "themes": pa.Column("string", pa.Check(_themes_known, name="themes_in_THEMES")),
        "origin": pa.Column("string", pa.Check.isin(_ORIGINS)),
    },
    strict=True,
    ordered=True,
)

PROPOSALS_SCHEMA = pa.DataFrameSchema(
    {
        "proposal_id": pa.Column("string", unique=True),
        "dialogue_id": pa.Column("string"),
        "theme": pa.Column("string", pa.Check.isin(THEMES)),
        "proposal": pa.Column("string"),
        "decision": pa.Column("string", pa.Check.isin(DECISIONS)),
        "measure_id": pa.Column("string", nullable=True),
        "responsible": pa.Column("string", nullable=True),
        "deadline": pa.Column(_DATE, nullable=True),
        "status": pa.Column("string", pa.Check.isin(STATUSES)),
        "completed_date": pa.Column(_DATE, nullable=True),
        "origin": pa.Column("string", pa.Check.isin(_ORIGINS)),
    },
    checks=[
        pa.Check(
            lambda df: (df["status"] != "åtgärdad") | df["completed_date"].notna(),
            name="åtgärdad kräver completed_date",
        )
    ],
    strict=True,
    ordered=True,
)


def _count_help(group: str, example: str) -> ColumnHelp:
    return ColumnHelp(
        "int",
        f"Antal deltagare som var {group}.",
        True,
        example=example,
        note="0 om ingen; uppskatta om det exakta antalet saknas",
    )


_THEME_LIST = ", ".join(THEMES)

#: Every column of ``dialoger`` for the staff who fill it in (Swedish): the Excel
#: template and its instructions are made from this table and the lists above.
COLUMN_HELP: dict[str, ColumnHelp] = {
    "dialogue_id": ColumnHelp("text", "Dialogens id, unikt.", True, example="DI-2025-01"),
    "date": ColumnHelp(
        "date", "Dag då dialogen hölls.", True, example="2025-03-12", note="inte i framtiden"
    ),
    "area": ColumnHelp(
        "area",
        "Området som dialogen gällde, eller hela kommunen.",
        True,
        example="Centrum",
        note=f"skriv '{WHOLE_KOMMUN}' om dialogen gällde hela kommunen",
    ),
    "form": ColumnHelp("category", "Hur dialogen hölls.", True, tuple(FORMS), example="möte"),
    "organiser": ColumnHelp(
        "category",
        "Vem som höll i dialogen: kommunen, polisen eller båda.",
        True,
        tuple(ORGANISERS),
        example="båda",
    ),
    "invanare": _count_help("boende (invånare)", "14"),
    "foreningar": _count_help("från föreningar", "3"),
    "naringsidkare": _count_help("näringsidkare", "2"),
    "unga": _count_help("unga (under 20 år)", "4"),
    "tjanstepersoner": ColumnHelp(
        "int",
        "Antal tjänstepersoner från kommunen och polisen som deltog.",
        True,
        example="3",
        note="0 om ingen",
    ),
    "themes": ColumnHelp(
        "categories",
        "Teman som togs upp, ett eller flera.",
        True,
        tuple(THEMES),
        example="belysning|samling av personer",
        note="flera teman skrivs åtskilda med | (eller komma)",
    ),
}

#: Every column of ``dialogforslag`` (Swedish), for its Excel template.
PROPOSAL_COLUMN_HELP: dict[str, ColumnHelp] = {
    "proposal_id": ColumnHelp("text", "Förslagets id, unikt.", True, example="DI-2025-01-F1"),
    "dialogue_id": ColumnHelp(
        "text",
        "Id för dialogen där förslaget kom fram.",
        True,
        example="DI-2025-01",
        note="ska finnas i dialoger i samma mapp",
    ),
    "theme": ColumnHelp("category", "Förslagets tema.", True, tuple(THEMES), example="belysning"),
    "proposal": ColumnHelp(
        "freetext",
        "Förslaget med deltagarnas egna ord.",
        True,
        example="Sätt upp fler lampor på gångvägen till stationen.",
    ),
    "decision": ColumnHelp(
        "category",
        "Vad som beslutades om förslaget.",
        True,
        tuple(DECISIONS),
        example="beslutad åtgärd",
    ),
    "measure_id": ColumnHelp(
        "text",
        "Id för åtgärden som förslaget blev: ett EST-åtgärds-id eller en punkt på en "
        "trygghetsvandring skriven walk_id/point_no.",
        example="TV-2025-1/3",
        note="tomt om ingen",
    ),
    "responsible": ColumnHelp(
        "text",
        "Vem som ansvarar för åtgärden eller utredningen, t.ex. kommunen/tekniska "
        "förvaltningen, polisen eller bostadsbolaget.",
        example="kommunen/tekniska förvaltningen",
    ),
    "deadline": ColumnHelp(
        "date",
        "När åtgärden senast ska vara klar.",
        example="2025-06-30",
        note="inte före dialogens datum",
    ),
    "status": ColumnHelp(
        "category",
        "Läget när filen sparas: ny (inget gjort än), pågår, åtgärdad (klar) eller avslagen.",
        True,
        tuple(STATUSES),
        example="åtgärdad",
    ),
    "completed_date": ColumnHelp(
        "date",
        "Dag då åtgärden blev klar.",
        example="2025-05-02",
        note="krävs när status är åtgärdad, tomt när ny eller pågår; inte före dialogens "
        "datum och inte i framtiden",
    ),
}

TEMPLATE = Template(
    source=SOURCE,
    file="dialoger.xlsx",
    sheet="Dialoger",
    title="Medborgardialoger",
    purpose=(
        "Kommunens och polisens dialoger med invånare, föreningar, näringsidkare och unga: "
        "när och var de hölls, hur, vem som deltog och vilka teman som togs upp. "
        "Rapporterna visar vilka områden som haft dialog och om förslagen blev åtgärder."
    ),
    row="dialog",
    columns=tuple(COLUMNS),
    column_help=COLUMN_HELP,
    rules=(
        "dialogue_id är unikt.",
        "date ligger inte i framtiden.",
        f"area är ett av kommunens områden eller '{WHOLE_KOMMUN}'.",
        "Antalen är heltal från 0, och minst en grupp har minst en deltagare.",
        f"themes är ett eller flera av: {_THEME_LIST}, åtskilda med |.",
    ),
)

PROPOSALS_TEMPLATE = Template(
    source=SOURCE_PROPOSALS,
    file="dialogforslag.xlsx",
    sheet="Dialogförslag",
    title="Förslag från medborgardialoger",
    purpose=(
        "Förslagen som kom fram i dialogerna, vad som beslutades, vem som ansvarar och hur "
        "det gick. Rapporterna följer kedjan förslag → beslutad åtgärd → genomförd."
    ),
    row="förslag",
    columns=tuple(PROPOSAL_COLUMNS),
    column_help=PROPOSAL_COLUMN_HELP,
    rules=(
        "proposal_id är unikt.",
        "dialogue_id finns i dialogfilen dialoger.xlsx (eller .csv) i samma mapp.",
        "deadline och completed_date ligger inte före dialogens datum; completed_date "
        "ligger inte i framtiden.",
        "completed_date krävs när status är åtgärdad och är tomt när status är ny eller pågår.",
        "Ett förslag med decision avslagen har status avslagen; bara en beslutad åtgärd kan "
        "vara åtgärdad.",
    ),
)


def walk_point_id(walk_id: object, point_no: object) -> str:
    """The id a proposal uses for the safety-walk observation it became: ``TV-2025-1/3``."""
    return f"{walk_id}/{int(point_no)}"  # type: ignore[call-overload]


# --------------------------------------------------------------------------- reading


def _normalise(values: pd.Series) -> pd.Series:
    """Vocabulary words as the lists write them: lower case, single spaces."""
    cleaned = values.str.lower().str.replace(r"\s+", " ", regex=True).str.strip()
    return cleaned.where(values.notna(), None)


def _vocabulary(
    raw: pd.DataFrame, column: str, allowed: list[str], problems: RowProblems
) -> pd.Series:
    return parse_column(
        raw.assign(**{column: _normalise(raw[column])}),
        column,
        "category",
        problems,
        allowed=allowed,
    )


def _parse_area(raw: pd.DataFrame, areas: Iterable[str] | None, problems: RowProblems) -> pd.Series:
    """The area as configured (any capitalisation), ``hela kommunen``, or an error."""
    area = parse_column(raw, "area", "str", problems)
    key = _normalise(area)
    canonical = {WHOLE_KOMMUN: WHOLE_KOMMUN}
    if areas is not None:
        canonical |= {" ".join(a.lower().split()): a for a in areas}
    known = key.map(canonical)
    if areas is not None:
        problems.report(
            area.notna() & known.isna(),
            "area",
            raw["area"],
            "okänt område",
            "ett av: " + ", ".join([*areas, WHOLE_KOMMUN]),
        )
    matched = known.notna()
    result = area.copy()
    result[matched] = known[matched]
    return result


def _parse_count(raw: pd.DataFrame, column: str, problems: RowProblems) -> pd.Series:
    count = parse_column(raw, column, "int", problems)
    problems.report(
        count.notna() & (count < 0),
        column,
        raw[column],
        "negativt antal deltagare",
        "ett heltal från 0",
    )
    return count


def _split_themes(text: object) -> list[str] | None:
    if not isinstance(text, str):
        return None
    return [" ".join(p.lower().split()) for p in re.split(r"[|,]", text) if p.strip()]


def _has_unknown_theme(parts: list[str] | None) -> bool:
    """A theme not in the list, or a cell of separators only."""
    if parts is None:
        return False
    return not parts or any(t not in THEMES for t in parts)


def _parse_themes(raw: pd.DataFrame, problems: RowProblems) -> pd.Series:
    """Themes ``a|b`` or ``a, b`` -> ``a|b`` in :data:`THEMES` order; unknown ones refused."""
    column = raw["themes"]
    problems.report(column.isna(), "themes", column, "värde saknas", "ett eller flera teman")
    parts = column.map(_split_themes)
    problems.report(
        parts.map(_has_unknown_theme),
        "themes",
        column,
        "okänt tema",
        f"ett eller flera av: {_THEME_LIST}, åtskilda med |",
    )
    joined = parts.map(
        lambda p: None if not p else "|".join(t for t in THEMES if t in set(p)) or None
    )
    return joined.astype("string")


def read(
    path: Path,
    *,
    quarantine: bool = False,
    origin: str = "real",
    areas: Iterable[str] | None = None,
    today: pd.Timestamp | None = None,
) -> ReadResult:
    """``dialoger.csv`` (or ``.xlsx``) -> the dialogues table (``dialogues``).

    ``areas`` (the configured area names) makes any other area than those and
    ``hela kommunen`` an error. ``today`` is for tests of the future-date check.
    """
    path = Path(path)
    raw, where = read_table(path, COLUMNS, sheet=TEMPLATE.sheet)
    raw = scrub_columns(raw, SOURCE)
    problems = RowProblems(where, quarantine)
    areas = list(areas) if areas is not None else None

    dialogue_id = parse_column(raw, "dialogue_id", "str", problems)
    check_unique(dialogue_id, "dialogue_id", problems)
    date = parse_column(raw, "date", "date", problems)
    check_not_future(date, "date", problems, today)
    area = _parse_area(raw, areas, problems)
    form = _vocabulary(raw, "form", FORMS, problems)
    organiser = _vocabulary(raw, "organiser", ORGANISERS, problems)
    counts = {group: _parse_count(raw, group, problems) for group in PARTICIPANT_GROUPS}
    total = sum(counts.values())
    problems.report(
        total.notna() & (total == 0),
        "/".join(PARTICIPANT_GROUPS),
        pd.Series("0 i alla grupper", index=raw.index),
        "dialogen har inga deltagare",
        "minst en deltagare i någon grupp",
    )
    themes = _parse_themes(raw, problems)

    table = pd.DataFrame(
        {
            "dialogue_id": dialogue_id,
            "date": date.astype(_DATE),
            "area": area,
            "form": form,
            "organiser": organiser,
            **counts,
            "themes": themes,
            "origin": pd.Series(origin, index=raw.index, dtype="string"),
        }
    )
    table, rejected = problems.set_aside(table, raw)
    table = check_contract(table, SCHEMA, where).reset_index(drop=True)
    return ReadResult(table, rejected, origin)


def _dialogues_beside(path: Path, where: str | Path) -> Path:
    """The dialogues file next to the proposals: ``dialoger.csv`` or its Excel template."""
    found = [
        candidate
        for candidate in (path.parent / DIALOGUES_FILE, path.parent / TEMPLATE.file)
        if candidate.exists()
    ]
    if len(found) > 1:
        raise DataError(
            where,
            f"både {found[0].name} och {found[1].name} finns bredvid förslagen, så det är "
            "oklart vilken dialogfil som gäller",
            column="dialogue_id",
            expected="bara en av dem (ta bort eller byt namn på den andra)",
        )
    if not found:
        raise DataError(
            where,
            f"dialogfilen {DIALOGUES_FILE} finns inte bredvid förslagen, så förslagens "
            "dialogue_id kan inte kontrolleras",
            column="dialogue_id",
            expected=f"{DIALOGUES_FILE} eller {TEMPLATE.file} i samma mapp",
        )
    return found[0]


def _dialogue_dates(
    path: Path, where: str | Path, dialogues: Path | pd.DataFrame | None
) -> pd.Series:
    """Dialogue id -> date (NaT where the dialogues file has no valid date)."""
    if isinstance(dialogues, pd.DataFrame):
        frame = dialogues[["dialogue_id", "date"]]
        dates = pd.to_datetime(frame["date"], errors="coerce")
        ids = frame["dialogue_id"].astype("string")
    else:
        source = Path(dialogues) if dialogues is not None else _dialogues_beside(path, where)
        frame = read_table(source, ["dialogue_id", "date"], sheet=TEMPLATE.sheet).frame
        # Scrubbed as read() scrubs them, so that the ids compare alike.
        ids = scrub_columns(frame, SOURCE)["dialogue_id"].astype("string")
        dates = pd.to_datetime(frame["date"], errors="coerce", format="ISO8601")
    known = pd.Series(dates.dt.normalize().to_numpy(), index=ids.to_numpy())
    known = known[known.index.notna()]
    return known[~known.index.duplicated(keep="first")]


def read_proposals(
    path: Path,
    *,
    quarantine: bool = False,
    origin: str = "real",
    dialogues: Path | pd.DataFrame | None = None,
    measures: Iterable[str] | None = None,
    today: pd.Timestamp | None = None,
) -> ReadResult:
    """``dialogforslag.csv`` (or ``.xlsx``) -> the proposals table (``dialogue_proposals``).

    ``dialogues`` is the dialogues file (or a table with ``dialogue_id`` and
    ``date``) that ``dialogue_id`` must refer to; default ``dialoger.csv``
    beside the proposals. ``measures`` (known EST measure ids and walk point
    ids) makes an unknown ``measure_id`` an error. ``today`` is for tests.
    """
    path = Path(path)
    raw, where = read_table(path, PROPOSAL_COLUMNS, sheet=PROPOSALS_TEMPLATE.sheet)
    raw = scrub_columns(raw, SOURCE_PROPOSALS)
    problems = RowProblems(where, quarantine)

    proposal_id = parse_column(raw, "proposal_id", "str", problems)
    check_unique(proposal_id, "proposal_id", problems)
    dialogue_id = parse_column(raw, "dialogue_id", "str", problems)
    known = _dialogue_dates(path, where, dialogues)
    problems.report(
        dialogue_id.notna() & ~dialogue_id.isin(known.index),
        "dialogue_id",
        raw["dialogue_id"],
        "dialogen finns inte i dialogfilen",
        f"ett dialogue_id ur {DIALOGUES_FILE}",
    )
    dialogue_date = dialogue_id.map(known).astype(_DATE)
    theme = _vocabulary(raw, "theme", THEMES, problems)
    proposal = parse_column(raw, "proposal", "str", problems)
    decision = _vocabulary(raw, "decision", DECISIONS, problems)
    measure_id = parse_column(raw, "measure_id", "str", problems, required=False)
    if measures is not None:
        problems.report(
            measure_id.notna() & ~measure_id.isin(set(measures)),
            "measure_id",
            raw["measure_id"],
            "åtgärden finns inte bland EST-åtgärderna eller trygghetsvandringarnas punkter",
            "ett measure_id ur est_atgarder eller walk_id/point_no ur trygghetsvandringar",
        )
    responsible = parse_column(raw, "responsible", "str", problems, required=False)
    deadline = parse_column(raw, "deadline", "date", problems, required=False)
    _not_before_dialogue(deadline, dialogue_date, raw, "deadline", "sista dag", problems)
    status = _vocabulary(raw, "status", STATUSES, problems)
    completed = parse_column(raw, "completed_date", "date", problems, required=False)
    _not_before_dialogue(completed, dialogue_date, raw, "completed_date", "åtgärden", problems)
    check_not_future(completed, "completed_date", problems, today)
    problems.report(
        (status == "åtgärdad").fillna(False) & completed.isna(),
        "completed_date",
        raw["completed_date"],
        "datum saknas för ett åtgärdat förslag",
        "datum då åtgärden blev klar när status är åtgärdad",
    )
    problems.report(
        status.isin(["ny", "pågår"]).fillna(False) & completed.notna(),
        "completed_date",
        raw["completed_date"],
        "datum angivet för ett förslag som inte är klart",
        "tomt när status är ny eller pågår",
    )
    problems.report(
        (decision == "avslagen").fillna(False) & (status != "avslagen").fillna(False),
        "status",
        raw["status"],
        "förslaget är avslaget men har en annan status",
        "avslagen när decision är avslagen",
    )
    problems.report(
        (status == "åtgärdad").fillna(False) & (decision != "beslutad åtgärd").fillna(False),
        "status",
        raw["status"].fillna("") + " (decision " + raw["decision"].fillna("") + ")",
        "förslaget är åtgärdat utan att vara en beslutad åtgärd",
        "decision beslutad åtgärd för ett åtgärdat förslag",
    )

    table = pd.DataFrame(
        {
            "proposal_id": proposal_id,
            "dialogue_id": dialogue_id,
            "theme": theme,
            "proposal": proposal,
            "decision": decision,
            "measure_id": measure_id,
            "responsible": responsible,
            "deadline": deadline.astype(_DATE),
            "status": status,
            "completed_date": completed.astype(_DATE),
            "origin": pd.Series(origin, index=raw.index, dtype="string"),
        }
    )
    table, rejected = problems.set_aside(table, raw)
    table = check_contract(table, PROPOSALS_SCHEMA, where).reset_index(drop=True)
    return ReadResult(table, rejected, origin)


def _not_before_dialogue(
    values: pd.Series,
    dialogue_date: pd.Series,
    raw: pd.DataFrame,
    column: str,
    what: str,
    problems: RowProblems,
) -> None:
    problems.report(
        values.notna() & dialogue_date.notna() & (values < dialogue_date),
        column,
        raw[column].fillna("")
        + " (dialogen "
        + dialogue_date.dt.strftime("%Y-%m-%d").fillna("")
        + ")",
        f"{what} ligger före dialogen",
        "ett datum samma dag som dialogen eller senare",
    )


# --------------------------------------------------------------------------- example data

#: Nothing in the example is dated after the other sources' example snapshot.
EXAMPLE_SNAPSHOT = pd.Timestamp("2026-10-31")
EXAMPLE_FIRST_YEAR = 2022

#: form -> weight, organisers with weights, themes that weigh more at it.
_FORMS: dict[str, tuple[float, list[tuple[str, float]], tuple[str, ...]]] = {
    "möte": (3.0, [("båda", 3), ("kommun", 1), ("polis", 1)], ()),
    "digital enkät": (1.2, [("kommun", 3), ("båda", 1)], ()),
    "stand": (1.8, [("polis", 2), ("båda", 2), ("kommun", 1)], ("trafik", "narkotika")),
    "föreningsmöte": (1.4, [("båda", 2), ("kommun", 1), ("polis", 1)], ("ungdomar",)),
    "näringslivsträff": (
        1.0,
        [("kommun", 2), ("båda", 2)],
        ("skadegörelse", "klotter", "nedskräpning", "ödslig plats"),
    ),
    "skola": (1.6, [("båda", 2), ("polis", 1), ("kommun", 1)], ("ungdomar", "våld", "narkotika")),
}

#: form -> (low, high) participants per group, in PARTICIPANT_GROUPS order.
_PARTICIPANTS: dict[str, tuple[tuple[int, int], ...]] = {
    "möte": ((5, 40), (0, 5), (0, 3), (0, 5), (2, 6)),
    "digital enkät": ((30, 250), (0, 3), (0, 10), (5, 60), (0, 1)),
    "stand": ((15, 80), (0, 3), (0, 3), (2, 20), (2, 4)),
    "föreningsmöte": ((0, 10), (4, 15), (0, 2), (0, 6), (2, 4)),
    "näringslivsträff": ((0, 3), (0, 2), (5, 25), (0, 0), (2, 5)),
    "skola": ((0, 2), (0, 1), (0, 0), (20, 120), (2, 6)),
}

_THEME_WEIGHT = {t: 1.0 for t in THEMES} | {
    "belysning": 2.5,
    "trafik": 2.5,
    "samling av personer": 2.0,
    "narkotika": 1.5,
    "ungdomar": 1.5,
    "annat": 0.5,
}

#: theme -> (proposal texts in the participants' words, responsible owners).
# fmt: off
_PROPOSALS: dict[str, tuple[list[str], list[str]]] = {
    "belysning": (
        ["Det är för mörkt på gångvägen mellan skolan och centrum, sätt upp fler lampor.",
         "Laga belysningen i parken, flera lampor har varit trasiga länge.",
         "Belysning vid busshållplatsen så att man ser vem som kommer."],
        ["kommunen/tekniska förvaltningen", "bostadsbolaget", "Trafikverket"],
    ),
    "insyn": (
        ["Klipp ner buskarna vid gångtunneln så att man ser igenom.",
         "Häcken vid lekplatsen är för hög, det behövs bättre sikt."],
        ["kommunen/tekniska förvaltningen", "bostadsbolaget"],
    ),
    "klotter": (
        ["Klottret på fasaderna vid torget måste tas bort snabbare.",
         "Ge ungdomarna en laglig vägg att måla på."],
        ["kommunen/tekniska förvaltningen", "fastighetsägaren", "kommunen/fritidsförvaltningen"],
    ),
    "nedskräpning": (
        ["Fler papperskorgar och tätare tömning vid badplatsen.",
         "Städa runt återvinningsstationen, det ser övergivet ut."],
        ["kommunen/tekniska förvaltningen", "bostadsbolaget"],
    ),
    "ödslig plats": (
        ["Torget känns tomt på kvällarna, ordna aktiviteter och fler sittplatser.",
         "Gör stationsområdet mer levande, till exempel med en kiosk."],
        ["kommunen/samhällsbyggnad", "kommunen/fritidsförvaltningen"],
    ),
    "samling av personer": (
        ["Grupper samlas vid centrumhuset på kvällarna, det behövs fler vuxna ute.",
         "Fler nattvandrare på helgerna."],
        ["polisen", "kommunen/fritidsförvaltningen", "Föreningen Nattvandrarna"],
    ),
    "trafik": (
        ["Farthinder på gatan förbi skolan, bilarna kör för fort.",
         "Ett säkrare övergångsställe vid idrottsplatsen.",
         "Fler trafikkontroller mot mopeder och epatraktorer i centrum."],
        ["Trafikverket", "kommunen/tekniska förvaltningen", "polisen"],
    ),
    "skadegörelse": (
        ["Busskurer som slagits sönder behöver lagas snabbare.",
         "Kameror vid skolan där det ofta är skadegörelse på helgerna."],
        ["kommunen/tekniska förvaltningen", "bostadsbolaget", "polisen"],
    ),
    "narkotika": (
        ["Polisen behöver synas mer vid parkeringen där det säljs narkotika.",
         "Mer information till föräldrar om narkotika bland unga."],
        ["polisen", "skolan", "kommunen/socialtjänsten"],
    ),
    "våld": (
        ["Mer polis i centrum på fredags- och lördagskvällar.",
         "Det borde vara lättare att hitta stöd för den som utsatts för våld."],
        ["polisen", "kommunen/socialtjänsten"],
    ),
    "ungdomar": (
        ["Längre öppettider på fritidsgården.",
         "Fler sommarjobb och aktiviteter för unga på loven.",
         "En mötesplats för unga i byn, det finns ingenstans att vara."],
        ["kommunen/fritidsförvaltningen", "fritidsgården", "skolan"],
    ),
    "annat": (
        ["Berätta för oss som var med vad som hände med förslagen.",
         "Håll dialogen på kvällstid så att fler kan komma."],
        ["kommunen"],
    ),
}
# fmt: on

#: theme -> the safety-walk categories a proposal of that theme can have become.
_WALK_CATEGORIES: dict[str, tuple[str, ...]] = {
    "belysning": ("belysning",),
    "insyn": ("vegetation", "utformning"),
    "klotter": ("klotter",),
    "nedskräpning": ("nedskräpning",),
    "ödslig plats": ("utformning", "belysning"),
    "samling av personer": ("personer",),
    "trafik": ("trafik",),
    "skadegörelse": ("skadegörelse",),
    "narkotika": ("personer",),
    "våld": ("personer",),
    "ungdomar": ("personer",),
    "annat": (),
}

#: Planted fictional personal data, so that the scrubbing is exercised.
_PLANTED = [
    " Ring mig på 070-123 45 67.",
    " Jag bor på Storgatan 12.",
    " Mejla fiktiv.person@example.se.",
]

_MONTH_WEIGHT = np.array([0.6, 1.0, 1.2, 1.2, 1.1, 0.6, 0.1, 0.4, 1.3, 1.3, 1.2, 0.7])


def _pick(rng: np.random.Generator, options: list[tuple[str, float]]) -> str:
    weights = np.array([w for _, w in options], float)
    return options[int(rng.choice(len(options), p=weights / weights.sum()))][0]


def _schedule(config: KommunConfig, rng: np.random.Generator) -> list[dict[str, object]]:
    """Dialogues 2022 – the snapshot: 6–12 a year; some areas get none in a year."""
    areas = [(a.name, a.kind) for a in config.areas]
    forms = list(_FORMS)
    form_w = np.array([_FORMS[f][0] for f in forms])
    dialogues: list[dict[str, object]] = []
    for year in range(EXAMPLE_FIRST_YEAR, EXAMPLE_SNAPSHOT.year + 1):
        # The main tätort every year; every other area only some years.
        active = [a for i, a in enumerate(areas) if i == 0 or rng.random() < 0.55]
        dates = []
        for _ in range(int(rng.integers(6, 13))):
            month = int(rng.choice(12, p=_MONTH_WEIGHT / _MONTH_WEIGHT.sum())) + 1
            day = pd.Timestamp(year, month, 1) + pd.Timedelta(days=int(rng.integers(0, 28)))
            if day <= EXAMPLE_SNAPSHOT:
                dates.append(day)
        for number, day in enumerate(sorted(dates), start=1):
            form = forms[int(rng.choice(len(forms), p=form_w / form_w.sum()))]
            if not active or (form == "digital enkät" and rng.random() < 0.7):
                area = WHOLE_KOMMUN
            else:
                weights = np.array([3.0 if k in ("tätort", "stadsdel") else 1.0 for _, k in active])
                area = active[int(rng.choice(len(active), p=weights / weights.sum()))][0]
            dialogues.append(
                {
                    "dialogue_id": f"DI-{year}-{number:02d}",
                    "date": day,
                    "area": area,
                    "form": form,
                    "organiser": _pick(rng, _FORMS[form][1]),
                    **_participants(rng, form),
                    "themes": _draw_themes(rng, form),
                }
            )
    return dialogues


def _participants(rng: np.random.Generator, form: str) -> dict[str, int]:
    counts = {
        group: int(rng.integers(low, high + 1))
        for group, (low, high) in zip(PARTICIPANT_GROUPS, _PARTICIPANTS[form], strict=True)
    }
    # Now and then only the officials come: a meeting, but not a dialogue with citizens.
    if form != "digital enkät" and rng.random() < 0.1:
        counts = dict.fromkeys(PARTICIPANT_GROUPS, 0) | {"tjanstepersoner": int(rng.integers(3, 9))}
    if sum(counts.values()) == 0:
        counts["tjanstepersoner"] = 2
    return counts


def _draw_themes(rng: np.random.Generator, form: str) -> list[str]:
    weights = np.array([_THEME_WEIGHT[t] * (3.0 if t in _FORMS[form][2] else 1.0) for t in THEMES])
    n = int(rng.integers(1, 5))
    chosen = rng.choice(len(THEMES), size=n, replace=False, p=weights / weights.sum())
    return [THEMES[i] for i in sorted(chosen)]


def _example_measures(config: KommunConfig, seed: int) -> list[dict[str, object]]:
    """The measures of the other example sources a proposal can link to.

    The safety-walk points and EST measures that :func:`trygghet.sources.safety_walks.generate_example`
    and :func:`trygghet.sources.est_reports.generate_example` write with the
    same ``seed``, so the links in the example name real example ids.
    """
    from trygghet.sources import est_reports, safety_walks

    found: list[dict[str, object]] = []
    for row in safety_walks._example_rows(config, seed):  # same rows as its generator writes
        record = dict(zip(safety_walks.COLUMNS, row, strict=True))
        if record["status"] == "avslagen":
            continue
        found.append(
            {
                "measure_id": walk_point_id(record["walk_id"], record["point_no"]),
                "area": record["area"],
                "start": pd.Timestamp(record["walk_date"]),
                "category": record["category"],
                "responsible": record["responsible"],
                "status": record["status"],
                "completed": record["completed_date"] or "",
                "deadline": record["deadline"] or "",
            }
        )
    est_status = {"genomförd": "åtgärdad", "pågår": "pågår", "beslutad": "ny"}
    for measure in est_reports._measure_rows(est_reports.example_places(config)):
        if measure["status"] not in est_status:
            continue
        start = measure["_start"]
        found.append(
            {
                "measure_id": measure["measure_id"],
                "area": measure["area"],
                "start": start,
                "category": None,  # any theme: EST measures are decided per place
                "responsible": measure["responsible"],
                "status": est_status[str(measure["status"])],
                "completed": measure["done_date"] or "",
                "deadline": (start + pd.Timedelta(weeks=8)).date().isoformat(),
            }
        )
    return found


def _link(
    rng: np.random.Generator,
    dialogue: dict[str, object],
    theme: str,
    measures: list[dict[str, object]],
    used: set[str],
) -> dict[str, object] | None:
    """A measure in the dialogue's area decided within a year after it, fitting the theme."""
    start = dialogue["date"]
    fits = [
        m
        for m in measures
        if m["area"] == dialogue["area"]
        and m["measure_id"] not in used
        and start < m["start"] <= start + pd.Timedelta(days=365)  # type: ignore[operator]
        and (m["category"] is None or m["category"] in _WALK_CATEGORIES[theme])
    ]
    if not fits or rng.random() > 0.7:
        return None
    return fits[int(rng.integers(0, len(fits)))]


def _outcome(
    rng: np.random.Generator, day: pd.Timestamp, recent: bool
) -> tuple[str, str, str, str]:
    """(decision, status, deadline, completed_date) of a proposal without a linked measure."""
    u = rng.random()
    decided, investigated = (0.3, 0.6) if recent else (0.5, 0.3)
    if u < decided:
        deadline = day + pd.Timedelta(days=int(rng.integers(45, 300)))
        delay = pd.Timedelta(days=int((deadline - day).days * rng.lognormal(0.0, 0.5)))
        completed = day + delay
        if completed <= EXAMPLE_SNAPSHOT and rng.random() < 0.7:
            return "beslutad åtgärd", "åtgärdad", deadline.date().isoformat(), _iso(completed)
        status = "pågår" if rng.random() < 0.7 else "ny"
        return "beslutad åtgärd", status, deadline.date().isoformat(), ""
    if u < decided + investigated:
        deadline = day + pd.Timedelta(days=int(rng.integers(60, 180)))
        status = "pågår" if rng.random() < 0.5 else "ny"
        return "utreds", status, deadline.date().isoformat() if rng.random() < 0.5 else "", ""
    return "avslagen", "avslagen", "", ""


def _iso(day: pd.Timestamp) -> str:
    return day.date().isoformat()


def _proposal_rows(
    config: KommunConfig, dialogues: list[dict[str, object]], rng: np.random.Generator, seed: int
) -> list[dict[str, str]]:
    measures = _example_measures(config, seed)
    used: set[str] = set()
    rows: list[dict[str, str]] = []
    for dialogue in dialogues:
        day = pd.Timestamp(dialogue["date"])  # type: ignore[arg-type]
        recent = day > EXAMPLE_SNAPSHOT - pd.Timedelta(days=90)
        themes: list[str] = dialogue["themes"]  # type: ignore[assignment]
        for number in range(1, int(rng.integers(2, 6)) + 1):
            theme = themes[int(rng.integers(0, len(themes)))]
            texts, owners = _PROPOSALS[theme]
            text = texts[int(rng.integers(0, len(texts)))]
            if rng.random() < 0.03:
                text += _PLANTED[int(rng.integers(0, len(_PLANTED)))]
            responsible = owners[int(rng.integers(0, len(owners)))]
            measure = None if recent else _link(rng, dialogue, theme, measures, used)
            if measure is not None:
                used.add(str(measure["measure_id"]))
                decision, status = "beslutad åtgärd", str(measure["status"])
                responsible = str(measure["responsible"])
                deadline, completed = str(measure["deadline"]), str(measure["completed"])
                measure_id = str(measure["measure_id"])
            else:
                decision, status, deadline, completed = _outcome(rng, day, recent)
                measure_id = ""
            rows.append(
                {
                    "proposal_id": f"{dialogue['dialogue_id']}-F{number}",
                    "dialogue_id": str(dialogue["dialogue_id"]),
                    "theme": theme,
                    "proposal": text,
                    "decision": decision,
                    "measure_id": measure_id,
                    "responsible": "" if decision == "avslagen" else responsible,
                    "deadline": deadline,
                    "status": status,
                    "completed_date": completed if status == "åtgärdad" else "",
                }
            )
    return rows


def generate_example(config: KommunConfig, out_dir: Path, seed: int = 0) -> list[Path]:
    """Write fictional ``dialoger.csv`` and ``dialogforslag.csv`` (2022 – 2026-10-31).

    6–12 dialogues a year over the configured areas (the first every year, the
    others in about half of the years; most digital surveys for the whole
    kommun), forms and organisers in plausible combinations, participants by
    form (about 10 % only officials), 1–4 themes each and 2–5 proposals per
    dialogue on those themes. Decided proposals link, where one fits (same
    area, decided within a year after the dialogue, a matching category), to a
    safety-walk point or EST measure of the example data generated with the
    same ``seed``, and take its status and dates; others are decided, being
    investigated or rejected, with deadlines and completion delays around
    them (some done late). About 3 % of proposals carry planted fictional
    personal data.
    """
    rng = np.random.default_rng([seed, int(config.code), 19])
    dialogues = _schedule(config, rng)
    proposals = _proposal_rows(config, dialogues, rng, seed)
    dialogue_rows = [
        {**d, "date": _iso(d["date"]), "themes": "|".join(d["themes"])}  # type: ignore[arg-type]
        for d in dialogues
    ]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows, columns in (
        (DIALOGUES_FILE, dialogue_rows, COLUMNS),
        (PROPOSALS_FILE, proposals, PROPOSAL_COLUMNS),
    ):
        target = out_dir / name
        frame = pd.DataFrame(rows, columns=columns)
        frame.to_csv(target, sep=";", index=False, encoding="utf-8", lineterminator="\n")
        written.append(target)
    return written


__all__ = [
    "COLUMNS",
    "COLUMN_HELP",
    "DECISIONS",
    "DIALOGUES_FILE",
    "EXAMPLE_SNAPSHOT",
    "FORMS",
    "ORGANISERS",
    "PARTICIPANT_GROUPS",
    "PROPOSALS_FILE",
    "PROPOSALS_SCHEMA",
    "PROPOSALS_TEMPLATE",
    "PROPOSAL_COLUMNS",
    "PROPOSAL_COLUMN_HELP",
    "RAW_FILES",
    "SCHEMA",
    "SOURCE",
    "SOURCE_PROPOSALS",
    "STATUSES",
    "TEMPLATE",
    "THEMES",
    "WHOLE_KOMMUN",
    "generate_example",
    "read",
    "read_proposals",
    "walk_point_id",
]
