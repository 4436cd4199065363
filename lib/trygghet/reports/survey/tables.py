"""Display tables of the survey report: what the notebook shows as a table.

Figures resting on fewer than ``min_respondents`` answers show "för få svar";
a count under the rule shows "fåtal", and a count hidden only so that a small
one cannot be computed from a shown total shows "visas ej"
(:mod:`trygghet.present.small_numbers`). Every table goes through
:func:`~trygghet.present.tables.page_table`, marked when the survey is example data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trygghet.present.small_numbers import count_text
from trygghet.present.swedish import fmt_number, fmt_percent
from trygghet.present.tables import PageTable, page_table
from trygghet.reports.survey.analysis import MIN_RESPONDENTS, Settings
from trygghet.reports.survey.breakdowns import BY_LABELS, SUPPRESSED, breakdown, group_label
from trygghet.reports.survey.change import NOT_ASKED, TOO_FEW
from trygghet.reports.survey.questions import KEY_QUESTION, TOTAL_INDEX_ID
from trygghet.reports.survey.sample import Composition
from trygghet.reports.survey.text import percent_interval, percentage_points
from trygghet.sources import processed


def _fmt_index(x: float) -> str:
    return fmt_number(x, 1)


#: The index column's header: what a high value means is the same for every row.
INDEX_HEADER = "Index 0–6 (högre = sämre)"


def _fmt_points(x: float) -> str:
    """A limit in percentage points with one decimal, more when it would round to 0.

    An interval that excludes 0 must not be printed as ending at "0,0".
    """
    value = float(x) * 100
    for decimals in (1, 2, 3):
        if round(value, decimals) != 0 or value == 0:
            return fmt_number(value, decimals)
    return fmt_number(value, 4)


def _rule(source: pd.DataFrame, min_respondents: int | None) -> int:
    """The rule the figures were computed with (kept in ``attrs``), unless given."""
    if min_respondents is not None:
        return int(min_respondents)
    return int(source.attrs.get("min_respondents", MIN_RESPONDENTS))


def _table(rows: list[dict], index: str, source: pd.DataFrame, origin: str | None) -> PageTable:
    frame = pd.DataFrame(rows).set_index(index)
    return page_table(frame, origin=origin or processed.origin(source), show_index=True)


def headline_table(
    headlines: pd.DataFrame,
    min_respondents: int | None = None,
    origin: str | None = None,
) -> PageTable:
    """Headline shares for display: share, margin, n, design effect, vet ej and blank.

    A question with too few answers shows neither its count nor its vet ej and
    blank shares (those add up with the answers to the round's respondents).
    """
    rule = _rule(headlines, min_respondents)
    rows = []
    for _, r in headlines.iterrows():
        ok = bool(r["enough"])
        rows.append(
            {
                "Fråga": r["label"],
                "Andel": fmt_percent(r["share"]) if ok else SUPPRESSED,
                "Osäkerhetsintervall (95 %)": percent_interval(r["low"], r["high"]) if ok else "–",
                "Antal svar": count_text(r["n"], not ok, rule),
                "Designeffekt": fmt_number(r["deff"], 2) if ok else "–",
                "Vet ej": fmt_percent(r["dont_know_share"]) if ok else "–",
                "Inget svar": fmt_percent(r["missing_share"]) if ok else "–",
            }
        )
    return _table(rows, "Fråga", headlines, origin)


def index_table(
    index: pd.DataFrame, min_respondents: int | None = None, origin: str | None = None
) -> PageTable:
    """Index per item and total for display (project's own 0–6 formula).

    Every row runs from 0 (best answer) to 6 (worst answer, named in "6 betyder"),
    also the questions where more is better (trust), which are scored in
    reverse; the header says so.
    """
    rule = _rule(index, min_respondents)
    rows = []
    for _, r in index.iterrows():
        ok = bool(r["enough"])
        worst = str(r.get("worst_answer", "") or "")
        reversed_ = bool(r.get("reversed", False))
        rows.append(
            {
                "Fråga": r["label"],
                INDEX_HEADER: _fmt_index(r["index"]) if ok else SUPPRESSED,
                "Osäkerhetsintervall (95 %)": (
                    f"{_fmt_index(r['low'])}–{_fmt_index(r['high'])}" if ok else "–"
                ),
                "6 betyder": f"{worst.lower()}{' (omvänd skala)' if reversed_ else ''}",
                "Antal svar": count_text(r["n"], not ok, rule),
            }
        )
    return _table(rows, "Fråga", index, origin)


def _round_share(r: pd.Series, which: str, min_respondents: int) -> str:
    """One round's share, or "för få svar" when that round has too few answers."""
    n = r.get(f"n_{which}", np.nan)
    if pd.isna(n) or n < min_respondents:
        return SUPPRESSED
    return fmt_percent(r[f"share_{which}"])


def change_table(
    changes: pd.DataFrame | None,
    current: int | None,
    previous: int | None,
    min_respondents: int | None = None,
    origin: str | None = None,
) -> PageTable:
    """Change per question for display, ranked (most improved first), significant marked (*).

    A round with too few answers shows "för få svar" for its share, and the
    change is not given; so is an index change judged on too few.
    """
    if changes is None or changes.empty:
        empty = pd.DataFrame({"Jämförelse": ["Ingen tidigare omgång att jämföra med."]})
        return page_table(empty, origin=origin or "real")
    rule = _rule(changes, min_respondents)
    rows = []
    for _, r in changes.iterrows():
        total = r["question_id"] == TOTAL_INDEX_ID
        has_share = not total and r["verdict"] not in (NOT_ASKED,)
        has_diff = has_share and r["verdict"] != TOO_FEW and pd.notna(r["diff"])
        has_idx = pd.notna(r.get("index_cur", np.nan)) and r.get("index_verdict") != TOO_FEW
        rows.append(
            {
                "Rang": "" if total else str(r["rank"]),
                "Fråga": r["label"],
                f"Andel {previous}": _round_share(r, "prev", rule) if has_share else "–",
                f"Andel {current}": _round_share(r, "cur", rule) if has_share else "–",
                "Förändring": percentage_points(r["diff"]) if has_diff else "–",
                "Osäkerhetsintervall": (
                    f"{_fmt_points(r['diff_low'])} till {_fmt_points(r['diff_high'])}"
                    if has_diff and pd.notna(r.get("diff_low", np.nan))
                    else "–"
                ),
                "Bedömning": ("*" + str(r["verdict"]))
                if bool(r["significant"])
                else str(r["verdict"]),
                f"Index {previous}→{current} (högre = sämre)": (
                    f"{_fmt_index(r['index_prev'])} → {_fmt_index(r['index_cur'])}"
                    if has_idx
                    else "–"
                ),
                "Bedömning index": str(r["index_verdict"])
                if pd.notna(r.get("index_verdict", np.nan))
                else "–",
            }
        )
    return _table(rows, "Rang", changes, origin)


def breakdown_table(
    table: pd.DataFrame,
    by: str,
    min_respondents: int | None = None,
    origin: str | None = None,
) -> PageTable:
    """Breakdown for display; suppressed groups say "för få svar", hidden counts "fåtal"/"visas ej"."""
    rule = _rule(table, min_respondents)
    rows = []
    for _, r in table.iterrows():
        hidden = bool(r["suppressed"])
        name = group_label(by, r["group"])
        if r["members"]:
            name = f"{name} ({r['members']})"
        rows.append(
            {
                BY_LABELS[by].capitalize(): name,
                "Andel": SUPPRESSED if hidden else fmt_percent(r["share"]),
                "Osäkerhetsintervall (95 %)": "–"
                if hidden
                else percent_interval(r["low"], r["high"]),
                "Index 0–6": "–" if hidden or pd.isna(r["index"]) else _fmt_index(r["index"]),
                "Antal svar": count_text(r["n"], bool(r.get("count_hidden", hidden)), rule),
            }
        )
    return _table(rows, BY_LABELS[by].capitalize(), table, origin)


def group_table(
    survey: pd.DataFrame,
    round_: int,
    by: str,
    settings: Settings | None = None,
    question_id: str = KEY_QUESTION,
) -> PageTable:
    """:func:`breakdown` of the key question, ready for display."""
    settings = settings or Settings()
    return breakdown_table(
        breakdown(survey, round_, by, question_id, settings),
        by,
        settings.min_respondents,
        processed.origin(survey),
    )


def composition_table(
    comp: Composition, min_respondents: int | None = None, origin: str | None = None
) -> PageTable:
    """Sample vs population for display, in percent; hidden groups show no count or share."""
    rule = _rule(comp.table, min_respondents)
    rows = []
    for _, r in comp.table.iterrows():
        hidden = bool(r.get("hidden", False))
        inside = bool(r.get("in_structure", True))
        shown = inside and not hidden
        rows.append(
            {
                "Grupp": group_label(r["dimension"], r["group"]),
                "Antal svarande": count_text(r["n"], hidden, rule),
                "Andel av svarande": fmt_percent(r["sample_share"]) if shown else "–",
                "Andel efter viktning": fmt_percent(r["weighted_share"]) if shown else "–",
                "Andel av befolkningen": fmt_percent(r["population_share"]) if inside else "–",
                "Skillnad": (
                    percentage_points(r["difference"]) + (" (!)" if r["skewed"] else "")
                    if shown
                    else "–"
                ),
            }
        )
    return _table(rows, "Grupp", comp.table, origin)
