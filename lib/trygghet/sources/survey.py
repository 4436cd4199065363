"""Reader for safety-survey microdata (one row per respondent).

The shape follows Polisens lokala trygghetsmätning: a sample of residents aged
16–85 answers questions about problems in their neighbourhood, worry about
crime, insecurity out alone late in the evening, exposure to crime and trust in
the police, each on an ordinal scale with text answers. The kommun or the
police export the answers as

* CSV (``trygghetsundersokning.csv``, ``;``-separated, UTF-8), or
* Excel (``trygghetsundersokning.xlsx``: the sheet ``Trygghetsundersökning``
  of the filled-in template from ``trygghet mallar``, see :data:`TEMPLATE`,
  else the first visible sheet),

with the columns ``respondent_id, round, area, age_group, sex, weight`` and one
column per question, ``q01 … qNN`` (see :data:`QUESTIONS`).

The tidy table is **long**: one row per respondent and question, so that the
shares, problem indices and confidence intervals of any question are one
group-by away, and the respondent's background (area, age group, sex, weight)
travels with every answer. :func:`questions_table` gives the questionnaire as a
table (texts, scales, headline answers) for labels and joins.

"Vet ej" and no answer (a blank cell) are kept apart: ``is_dont_know`` and
``is_missing``. Both have no ``answer_code``; whether "vet ej" belongs in the
denominator of a share is an analysis decision, not the reader's.

Assumptions written down:

* ``round`` is the year of the survey round (the fieldwork year).
* ``weight`` is optional. Within a round either every respondent has a weight
  or none has (empty = the round is unweighted, the weight stays missing); a
  round with some weights missing is an error, because a share computed with
  half the weights silently treats the rest as zero.
* Answers are matched to the questionnaire's categories ignoring letter case
  and surrounding spaces ("ganska stort problem" is "Ganska stort problem").
* Question columns not in the file are simply not in the table (rounds may ask
  fewer questions), but at least one question must be there, and a column
  that looks like a question (``q`` followed by digits) but is not in
  :data:`QUESTIONS` is an error: a renumbered questionnaire must be updated
  here, not silently dropped.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from trygghet.config import KommunConfig
from trygghet.errors import DataError
from trygghet.sources.free_text import scrub_columns
from trygghet.sources.tabular import (
    ReadResult,
    RowProblems,
    check_contract,
    check_known_areas,
    check_unique,
    decode_text,
    excel_header,
    is_excel,
    parse_column,
    read_table,
)
from trygghet.sources.templates import ColumnHelp, Template

SOURCE = "survey"
RAW_FILES = ["trygghetsundersokning.csv", "trygghetsundersokning.xlsx"]

AGE_GROUPS: tuple[str, ...] = ("16–24", "25–44", "45–64", "65–85")
SEXES: tuple[str, ...] = ("kvinna", "man", "annat/vill ej svara")
DONT_KNOW = "Vet ej"

#: Which way is better as the answer code rises (every question states one; the
#: words are those of the kommun configuration's indicator ``direction``).
HIGHER_IS_BETTER = "higher_is_better"
LOWER_IS_BETTER = "lower_is_better"
DIRECTIONS: tuple[str, ...] = (HIGHER_IS_BETTER, LOWER_IS_BETTER)

ID_COLUMNS = ["respondent_id", "round", "area", "age_group", "sex"]
OPTIONAL_COLUMNS = ["weight"]


@dataclass(frozen=True)
class Question:
    """One survey question.

    ``categories`` are the scale answers in order; an answer's ``answer_code``
    is its 1-based position. Every scale is ordered from the least to the most
    of what the question measures (problem, insecurity, worry, exposure, trust),
    so a higher code means "more". ``other`` answers are substantive but off the
    scale (e.g. "Går inte ut av andra skäl"): they have no code but count in a
    share's denominator. ``headline`` is the set of answers whose share is the
    question's headline figure (e.g. "Ganska/Mycket stort problem").
    ``dont_know`` is the "Vet ej" label, or None when the question has none.
    ``direction`` says which way is better as the code rises (required, no
    default): :data:`LOWER_IS_BETTER` for problems, worry, insecurity and
    exposure, :data:`HIGHER_IS_BETTER` for trust. Verdicts of change and the
    0–6 index (0 = best answer, 6 = worst, whatever the scale) follow it.
    """

    id: str
    text: str
    kind: str  # problem, oro, trygghet, utsatthet, förtroende
    categories: tuple[str, ...]
    headline: tuple[str, ...]
    other: tuple[str, ...] = ()
    dont_know: str | None = DONT_KNOW
    topic: str = ""
    direction: str = field(kw_only=True)

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise ValueError(f"{self.id}: direction must be one of {DIRECTIONS}")

    @property
    def worst_answer(self) -> str:
        """The scale answer that is worst (index 6): the last, or the first when more is better."""
        return self.categories[0] if self.direction == HIGHER_IS_BETTER else self.categories[-1]

    @property
    def best_answer(self) -> str:
        """The scale answer that is best (index 0)."""
        return self.categories[-1] if self.direction == HIGHER_IS_BETTER else self.categories[0]

    @property
    def answers(self) -> tuple[str, ...]:
        """Every allowed answer, in the order a questionnaire prints them."""
        return self.categories + self.other + ((self.dont_know,) if self.dont_know else ())


PROBLEM_SCALE = (
    "Inget problem alls",
    "Ganska litet problem",
    "Ganska stort problem",
    "Mycket stort problem",
)
PROBLEM_HEADLINE = ("Ganska stort problem", "Mycket stort problem")
WORRY_SCALE = ("Inte alls orolig", "Inte särskilt orolig", "Ganska orolig", "Mycket orolig")
WORRY_HEADLINE = ("Ganska orolig", "Mycket orolig")

_PROBLEM_TOPICS = [
    ("nedskräpning", "nedskräpning"),
    ("klotter", "klotter"),
    ("skadegörelse", "skadegörelse (t.ex. förstörda busskurer eller krossade rutor)"),
    ("bråk/oväsen", "bråk och oväsen på gator och torg"),
    ("berusade personer", "berusade personer utomhus"),
    ("narkotikahandel", "öppen narkotikahandel (personer som säljer narkotika)"),
    ("narkotikapåverkade personer", "personer som är påverkade av narkotika utomhus"),
    ("fortkörning", "bilar som kör för fort eller vårdslöst"),
    ("buskörning", "buskörning med bil, moped eller motorcykel"),
    ("bostadsinbrott", "inbrott i bostäder"),
    ("cykelstölder", "cykelstölder"),
]

#: The questionnaire: 18 questions in the style of Polisens lokala
#: trygghetsmätning (which has about 40). Texts are this project's wording;
#: the police's own questionnaire differs in detail.
QUESTIONS: tuple[Question, ...] = (
    *(
        Question(
            id=f"q{i:02d}",
            text=f"Hur stort problem är {text} i ditt område?",
            kind="problem",
            categories=PROBLEM_SCALE,
            headline=PROBLEM_HEADLINE,
            topic=topic,
            direction=LOWER_IS_BETTER,
        )
        for i, (topic, text) in enumerate(_PROBLEM_TOPICS, start=1)
    ),
    Question(
        id="q12",
        text="Hur orolig är du för att någon ska bryta sig in i din bostad?",
        kind="oro",
        categories=WORRY_SCALE,
        headline=WORRY_HEADLINE,
        topic="oro för inbrott",
        direction=LOWER_IS_BETTER,
    ),
    Question(
        id="q13",
        text="Hur orolig är du för att bli utsatt för misshandel eller rån i ditt område?",
        kind="oro",
        categories=WORRY_SCALE,
        headline=WORRY_HEADLINE,
        topic="oro för våld",
        direction=LOWER_IS_BETTER,
    ),
    Question(
        id="q14",
        text=(
            "Hur trygg eller otrygg känner du dig om du går ut ensam sent en kväll i ditt område?"
        ),
        kind="trygghet",
        # "Går inte ut på grund av otrygghet" is placed after "Mycket otrygg": it
        # is the most insecure answer, and Brå's NTU indicator counts it as otrygg.
        categories=(
            "Mycket trygg",
            "Ganska trygg",
            "Ganska otrygg",
            "Mycket otrygg",
            "Går inte ut på grund av otrygghet",
        ),
        headline=("Ganska otrygg", "Mycket otrygg", "Går inte ut på grund av otrygghet"),
        other=("Går inte ut av andra skäl",),
        topic="otrygghet sent en kväll",
        direction=LOWER_IS_BETTER,
    ),
    Question(
        id="q15",
        text=(
            "Har du under de senaste tolv månaderna avstått från att gå ut på kvällen "
            "på grund av oro för att utsättas för brott?"
        ),
        kind="oro",
        categories=("Nej", "Ja"),
        headline=("Ja",),
        dont_know=None,
        topic="avstått från att gå ut",
        direction=LOWER_IS_BETTER,
    ),
    Question(
        id="q16",
        text="Har du under de senaste tolv månaderna blivit utsatt för brott i ditt område?",
        kind="utsatthet",
        categories=("Nej", "Ja"),
        headline=("Ja",),
        topic="utsatt för brott",
        direction=LOWER_IS_BETTER,
    ),
    Question(
        id="q17",
        text="Hur stort förtroende har du för polisens arbete i ditt område?",
        kind="förtroende",
        categories=(
            "Mycket litet förtroende",
            "Ganska litet förtroende",
            "Ganska stort förtroende",
            "Mycket stort förtroende",
        ),
        headline=("Ganska stort förtroende", "Mycket stort förtroende"),
        topic="förtroende för polisen",
        direction=HIGHER_IS_BETTER,
    ),
    Question(
        id="q18",
        text=(
            "Hur väl stämmer påståendet: Polisen och kommunen arbetar tillsammans "
            "för att lösa problemen i mitt område?"
        ),
        kind="förtroende",
        categories=(
            "Stämmer inte alls",
            "Stämmer ganska dåligt",
            "Stämmer ganska bra",
            "Stämmer mycket bra",
        ),
        headline=("Stämmer ganska bra", "Stämmer mycket bra"),
        topic="samverkan polis och kommun",
        direction=HIGHER_IS_BETTER,
    ),
)
QUESTION_BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}
QUESTION_IDS: list[str] = [q.id for q in QUESTIONS]


def questions_table() -> pd.DataFrame:
    """The questionnaire as a table: one row per question, answers joined with ' | '."""
    return pd.DataFrame(
        {
            "question_id": [q.id for q in QUESTIONS],
            "kind": [q.kind for q in QUESTIONS],
            "topic": [q.topic for q in QUESTIONS],
            "text": [q.text for q in QUESTIONS],
            "categories": [" | ".join(q.categories) for q in QUESTIONS],
            "other_answers": [" | ".join(q.other) for q in QUESTIONS],
            "dont_know": [q.dont_know or "" for q in QUESTIONS],
            "headline_answers": [" | ".join(q.headline) for q in QUESTIONS],
            "direction": [q.direction for q in QUESTIONS],
        }
    )


_answer_check = pa.Check.isin(sorted({a for q in QUESTIONS for a in q.answers}))

#: The contract of the tidy (long) table.
SCHEMA = pa.DataFrameSchema(
    {
        "respondent_id": pa.Column("string"),
        "round": pa.Column("Int64", pa.Check.in_range(2000, 2100)),
        "area": pa.Column("string"),
        "age_group": pa.Column("string", pa.Check.isin(AGE_GROUPS)),
        "sex": pa.Column("string", pa.Check.isin(SEXES)),
        "weight": pa.Column("Float64", pa.Check.gt(0), nullable=True),
        "question_id": pa.Column("string", pa.Check.isin(QUESTION_IDS)),
        "answer": pa.Column("string", _answer_check, nullable=True),
        "answer_code": pa.Column("Int64", pa.Check.in_range(1, 9), nullable=True),
        "in_headline": pa.Column("boolean", nullable=True),
        "is_dont_know": pa.Column("bool"),
        "is_missing": pa.Column("bool"),
        "origin": pa.Column("string", pa.Check.isin(["real", "fetched", "example"])),
    },
    unique=["round", "respondent_id", "question_id"],
    strict=True,
    ordered=True,
)

#: Every raw column for the staff who fill it in (Swedish): the Excel template and
#: its instructions are made from this table, the questionnaire and the lists above.
COLUMN_HELP: dict[str, ColumnHelp] = {
    "respondent_id": ColumnHelp(
        "text",
        "Den svarandes löpnummer i omgången (aldrig namn eller personnummer).",
        True,
        example="R25-0001",
        note="unikt inom omgången",
    ),
    "round": ColumnHelp("int", "Omgångens år (året då enkäten besvarades).", True, example="2025"),
    "area": ColumnHelp("area", "Området där den svarande bor.", True, example="Centrum"),
    "age_group": ColumnHelp("category", "Åldersgrupp.", True, AGE_GROUPS, example="45–64"),
    "sex": ColumnHelp("category", "Kön.", True, SEXES, example="kvinna"),
    "weight": ColumnHelp(
        "float",
        "Vikt för den svarande (t.ex. efterstratifiering på ålder).",
        example="0,95",
        note="antingen har alla svarande i en omgång en vikt, eller ingen",
    ),
    **{
        q.id: ColumnHelp(
            "category",
            q.text,
            allowed=q.answers,
            example=q.categories[0],
            note="tomt = inget svar",
        )
        for q in QUESTIONS
    },
}

TEMPLATE = Template(
    source=SOURCE,
    file="trygghetsundersokning.xlsx",
    sheet="Trygghetsundersökning",
    title="Trygghetsundersökning: svaren, en rad per svarande",
    purpose=(
        "Svaren på kommunens trygghetsundersökning (i stil med Polisens lokala "
        "trygghetsmätning): problem i området, oro, otrygghet, utsatthet och förtroende. "
        "Rapporten om trygghetsundersökningen räknar andelar med osäkerhetsintervall."
    ),
    row="svarande",
    columns=(*ID_COLUMNS, *OPTIONAL_COLUMNS, *QUESTION_IDS),
    column_help=COLUMN_HELP,
    rules=(
        "respondent_id är unikt inom en omgång.",
        "Antingen har alla svarande i en omgång en vikt, eller ingen.",
        "Frågekolumner som inte ingick i omgången kan tas bort; vet ej och tomt "
        "(inget svar) hålls isär.",
    ),
)

_QUESTION_LIKE = re.compile(r"^q\d+$", re.IGNORECASE)


def _raw_header(path: Path) -> list[str]:
    """The header of the raw file (for finding the question columns)."""
    if is_excel(path):
        return excel_header(path, sheet=TEMPLATE.sheet)
    text = decode_text(path)
    first = text.lstrip("\r\n").splitlines()[0] if text.strip() else ""
    return [h.strip() for h in next(csv.reader([first], delimiter=";"), [])]


def _normalise(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def read(
    path: Path,
    *,
    quarantine: bool = False,
    origin: str = "real",
    areas: Iterable[str] | None = None,
) -> ReadResult:
    """Survey microdata (CSV or Excel) -> the long tidy table, validated by :data:`SCHEMA`.

    ``areas``, when given (e.g. the names in the kommun's configuration), makes
    an unknown area an error, so a misspelt area does not become its own group.
    With ``quarantine`` bad respondents are removed and returned (in the wide
    raw shape, with the reason) in ``rejected``.
    """
    path = Path(path)
    header = _raw_header(path)
    question_ids = [q for q in QUESTION_IDS if q in header]
    raw, where = read_table(path, ID_COLUMNS, OPTIONAL_COLUMNS + question_ids, sheet=TEMPLATE.sheet)
    raw = scrub_columns(raw, SOURCE)
    unknown = [h for h in header if _QUESTION_LIKE.match(h) and h not in QUESTION_BY_ID]
    if unknown:
        raise DataError(
            where,
            f"okända frågekolumner: {', '.join(unknown)}",
            row=1,
            column=unknown[0],
            found=unknown[0],
            expected="frågorna i trygghet.sources.survey.QUESTIONS: " + ", ".join(QUESTION_IDS),
        )
    if not question_ids:
        raise DataError(
            where,
            "filen har inga frågekolumner",
            row=1,
            found=", ".join(header),
            expected="minst en av " + ", ".join(QUESTION_IDS),
        )

    problems = RowProblems(where, quarantine)
    respondent = parse_column(raw, "respondent_id", "str", problems)
    round_ = parse_column(raw, "round", "int", problems)
    bad_round = round_.notna() & ~round_.between(2000, dt.date.today().year)
    problems.report(
        bad_round, "round", raw["round"], "orimligt år för omgången", "ett år 2000–i år"
    )
    area = parse_column(raw, "area", "str", problems)
    check_known_areas(area, raw, areas, problems)
    age = raw["age_group"].str.replace("-", "–", regex=False)
    age = parse_column(
        raw.assign(age_group=age), "age_group", "category", problems, allowed=AGE_GROUPS
    )
    sex_raw = raw["sex"].str.lower()
    sex = parse_column(raw.assign(sex=sex_raw), "sex", "category", problems, allowed=SEXES)
    weight = parse_column(raw, "weight", "float", problems, required=False)
    problems.report(
        weight.notna() & (weight <= 0),
        "weight",
        raw.get("weight", weight),
        "vikten är inte positiv",
        "ett tal > 0",
    )
    weighted_round = weight.notna().groupby(round_).transform("any")
    problems.report(
        weight.isna() & weighted_round.fillna(False).astype(bool),
        "weight",
        weight,
        "vikt saknas men omgången är viktad",
        "en vikt för varje svarande i omgången (eller ingen alls)",
    )
    check_unique(round_.astype("string") + "/" + respondent, "respondent_id", problems)

    answers: dict[str, pd.Series] = {}
    for qid in question_ids:
        question = QUESTION_BY_ID[qid]
        lookup = {_normalise(a): a for a in question.answers}
        values = raw[qid]
        canonical = values.map(
            lambda v, lk=lookup: lk.get(_normalise(v)) if v is not None else None
        )
        problems.report(
            values.notna() & canonical.isna(),
            qid,
            values,
            "okänt svar",
            "ett av: " + ", ".join(question.answers) + " (eller tomt)",
        )
        answers[qid] = canonical

    wide = pd.DataFrame(
        {
            "respondent_id": respondent,
            "round": round_,
            "area": area,
            "age_group": age,
            "sex": sex,
            "weight": weight,
            **answers,
        }
    )
    wide, rejected = problems.set_aside(wide, raw)
    table = _to_long(wide, question_ids, origin)
    table = check_contract(table, SCHEMA, where)
    return ReadResult(table=table, rejected=rejected, origin=origin)


def _to_long(wide: pd.DataFrame, question_ids: list[str], origin: str) -> pd.DataFrame:
    """Wide respondents -> one row per respondent and question, with codes and flags."""
    ids = ["respondent_id", "round", "area", "age_group", "sex", "weight"]
    long = wide.melt(
        id_vars=ids, value_vars=question_ids, var_name="question_id", value_name="answer"
    )
    # Respondent order first, then the questionnaire's order.
    long["_resp"] = np.tile(np.arange(len(wide)), len(question_ids))
    long = long.sort_values(["_resp", "question_id"], kind="stable").drop(columns="_resp")
    code_map: dict[tuple[str, str], int] = {}
    headline_map: dict[tuple[str, str], bool] = {}
    for q in QUESTIONS:
        for i, answer in enumerate(q.categories, start=1):
            code_map[(q.id, answer)] = i
        for answer in q.categories + q.other:
            headline_map[(q.id, answer)] = answer in q.headline
    keys = list(zip(long["question_id"], long["answer"], strict=True))
    long["answer"] = long["answer"].astype("string")
    long["answer_code"] = pd.array([code_map.get(k) for k in keys], dtype="Int64")
    long["in_headline"] = pd.array([headline_map.get(k) for k in keys], dtype="boolean")
    long["is_dont_know"] = (long["answer"] == DONT_KNOW).fillna(False).astype(bool)
    long["is_missing"] = long["answer"].isna().to_numpy()
    long["question_id"] = long["question_id"].astype("string")
    long["weight"] = long["weight"].astype("Float64")
    long["origin"] = pd.Series(origin, index=long.index, dtype="string")
    return long.reset_index(drop=True)


# --------------------------------------------------------------------------- example data

#: Response propensity per age group: older residents answer far more often,
#: the usual skew of postal/web surveys.
_RESPONSE_AGE = np.array([0.10, 0.20, 0.32, 0.38])
_ROUNDS = (2023, 2025)


def _seed(config: KommunConfig, seed: int, salt: int) -> np.random.Generator:
    return np.random.default_rng([seed, int(config.code), salt])


def _example_areas(config: KommunConfig) -> tuple[list[str], np.ndarray]:
    """Area names and sampling shares: tätorter get most respondents."""
    if not config.areas:
        return [config.name], np.array([1.0])
    names = [a.name for a in config.areas]
    size = np.array([5.0 if a.kind in ("tätort", "stadsdel") else 1.0 for a in config.areas])
    size[0] *= 2  # the first configured area is usually the main town
    return names, size / size.sum()


def _ordinal(rng: np.random.Generator, latent: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """Ordered-logit draw: category index 0..len(cuts) for each latent value."""
    u = rng.logistic(size=latent.shape)
    return np.searchsorted(cuts, latent + u)


def generate_example(config: KommunConfig, out_dir: Path, seed: int = 0) -> list[Path]:
    """Write a fictional two-round survey (2023, 2025) as ``trygghetsundersokning.csv``.

    Patterns built in (so that analyses have something to find): women and
    older respondents more often feel unsafe late in the evening; the first
    configured area is worse on most problem items; between 2023 and 2025
    littering and graffiti improve there while drug dealing gets worse; "vet
    ej" is common on the drug items; about 3 % of answers are blank and a few
    respondents skip whole blocks; older people are over-represented and the
    weights correct for it: post-stratification on age group × sex against the
    kommun's own example population (:func:`trygghet.sources.scb_age_sex.example_counts`,
    the same figures as the example ``befolkning_alder_kon.csv``, for the latest
    year up to the round); respondents of sex "annat/vill ej svara" are weighted
    on age group alone.
    """
    rng = _seed(config, seed, 1)
    names, area_share = _example_areas(config)
    population = _example_population_cells(config, seed)
    rows: list[dict[str, object]] = []
    for round_ in _ROUNDS:
        n = int(rng.integers(320, 400))
        cells = population[max(y for y in population if y <= round_)]
        pop_age = cells.sum(axis=1)
        age_p = pop_age * _RESPONSE_AGE
        age_idx = rng.choice(4, size=n, p=age_p / age_p.sum())
        sex_idx = rng.choice(3, size=n, p=[0.55, 0.43, 0.02])
        area_idx = rng.choice(len(names), size=n, p=area_share)
        weight = _post_stratify(cells, age_idx, sex_idx)
        hot = (area_idx == 0) & (len(names) > 1)
        person = rng.normal(0, 0.8, size=n)  # general tendency to see problems
        late = round_ == _ROUNDS[-1]
        answers: dict[str, list[str | None]] = {}
        for q in QUESTIONS:
            latent = person + hot * 0.9
            if len(q.categories) == 2:  # ja/nej
                p = (
                    0.10 + 0.05 * hot
                    if q.topic == "utsatt för brott"
                    else 0.08 + 0.08 * (sex_idx == 0)
                )
                code = (rng.random(n) < p).astype(int)
                picked = np.array(q.categories, dtype=object)[code]
                dk = 0.01 if q.dont_know else 0.0
                picked = _with_dont_know(rng, picked, q, dk)
                answers[q.id] = list(picked)
                continue
            if q.kind == "problem":
                base = {
                    "nedskräpning": 0.6,
                    "klotter": -0.2,
                    "fortkörning": 1.0,
                    "buskörning": 0.5,
                    "narkotikahandel": -0.9,
                    "narkotikapåverkade personer": -0.8,
                    "cykelstölder": -0.3,
                }.get(q.topic, -0.4)
                latent = latent + base
                if late and q.topic in ("nedskräpning", "klotter"):
                    latent = latent - hot * 0.8
                if late and q.topic == "narkotikahandel":
                    latent = latent + 0.5 + hot * 0.4
                cuts = np.array([0.0, 1.6, 3.2])
                dk = 0.14 if "narkotika" in q.topic else 0.05
            elif q.kind == "oro":
                latent = latent + 0.3 * (sex_idx == 0) + 0.2 * age_idx - 0.3
                cuts = np.array([-0.8, 1.0, 2.6])
                dk = 0.02
            elif q.kind == "trygghet":
                latent = latent + 1.1 * (sex_idx == 0) + 0.45 * age_idx - 0.2 * late
                cuts = np.array([0.3, 2.8, 4.3, 5.6])
                dk = 0.02
            else:  # förtroende: higher = more trust, lower where problems are high
                latent = -person * 0.6 - hot * 0.5 + 0.1 * age_idx + 0.2 * late
                cuts = np.array([-2.0, -0.8, 1.4])
                dk = 0.12 if q.id == "q18" else 0.07
            code = _ordinal(rng, latent, cuts)
            picked = np.array(q.categories, dtype=object)[code]
            if q.other:
                # Some older respondents do not go out in the evening for other reasons.
                other = rng.random(n) < 0.02 + 0.04 * (age_idx == 3)
                picked[other] = q.other[0]
            answers[q.id] = list(_with_dont_know(rng, picked, q, dk))
        skip_block = rng.random(n) < 0.03  # a few skip the last page (trust items)
        for i in range(n):
            row: dict[str, object] = {
                "respondent_id": f"R{round_ % 100:02d}-{i + 1:04d}",
                "round": round_,
                "area": names[area_idx[i]],
                "age_group": AGE_GROUPS[age_idx[i]],
                "sex": SEXES[sex_idx[i]],
                "weight": f"{weight[i]:.4f}".replace(".", ","),
            }
            for q in QUESTIONS:
                value = answers[q.id][i]
                if rng.random() < 0.025 or (skip_block[i] and q.kind == "förtroende"):
                    value = None
                row[q.id] = value
            rows.append(row)
    frame = pd.DataFrame(rows, columns=ID_COLUMNS + OPTIONAL_COLUMNS + QUESTION_IDS)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / RAW_FILES[0]
    frame.to_csv(target, sep=";", index=False, encoding="utf-8", lineterminator="\n")
    return [target]


def _example_population_cells(config: KommunConfig, seed: int) -> dict[int, np.ndarray]:
    """Per example year: population shares, age group (rows) × sex (kvinna, man), 16–85."""
    from trygghet.sources import scb_age_sex

    counts = scb_age_sex.example_counts(config, seed)
    groups = {g: (int(g.split("–")[0]), int(g.split("–")[1])) for g in AGE_GROUPS}
    return {
        int(year): scb_age_sex.joint_shares(counts, int(year), groups)[["kvinna", "man"]].to_numpy()
        for year in sorted(counts["year"].unique())
    }


def _post_stratify(cells: np.ndarray, age_idx: np.ndarray, sex_idx: np.ndarray) -> np.ndarray:
    """Weights with mean 1: population over sample share per age × sex cell.

    Sex index 0 = kvinna, 1 = man (the cells' columns); 2 (annat/vill ej svara)
    is weighted on the age group's margin alone. An empty cell falls back to the
    age group's weight.
    """
    n = len(age_idx)
    weight = np.empty(n)
    age_share = np.bincount(age_idx, minlength=cells.shape[0]) / n
    age_weight = cells.sum(axis=1) / np.where(age_share > 0, age_share, 1)
    binary = sex_idx < 2
    m = binary.sum()
    for a in range(cells.shape[0]):
        for s in range(2):
            inside = binary & (age_idx == a) & (sex_idx == s)
            share = inside.sum() / m if m else 0
            weight[inside] = cells[a, s] / share if share > 0 else age_weight[a]
    weight[~binary] = age_weight[age_idx[~binary]]
    return weight / weight.mean()


def _with_dont_know(
    rng: np.random.Generator, picked: np.ndarray, q: Question, share: float
) -> np.ndarray:
    if not q.dont_know or share <= 0:
        return picked
    picked = picked.copy()
    picked[rng.random(len(picked)) < share] = q.dont_know
    return picked
