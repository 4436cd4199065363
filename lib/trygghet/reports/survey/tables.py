"""Display tables of the survey report: what the notebook shows as a table.

Figures resting on fewer than ``min_respondents`` answers show "för få svar",
and a suppressed group's exact count is not shown either.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trygghet.present.swedish import fmt_int, fmt_number, fmt_percent
from trygghet.reports.survey.analysis import MIN_RESPONDENTS, Settings
from trygghet.reports.survey.breakdowns import BY_LABELS, SUPPRESSED, breakdown, group_label
from trygghet.reports.survey.change import NOT_ASKED
from trygghet.reports.survey.questions import KEY_QUESTION, TOTAL_INDEX_ID
from trygghet.reports.survey.sample import Composition
from trygghet.reports.survey.text import percent_interval, percentage_points


def _fmt_index(x: float) -> str:
    return fmt_number(x, 1)


def headline_table(headlines: pd.DataFrame) -> pd.DataFrame:
    """Headline shares for display: share, margin, n, design effect, vet ej and blank."""
    rows = []
    for _, r in headlines.iterrows():
        ok = bool(r["enough"])
        rows.append(
            {
                "Fråga": r["label"],
                "Andel": fmt_percent(r["share"]) if ok else SUPPRESSED,
                "Felmarginal (95 %)": percent_interval(r["low"], r["high"]) if ok else "–",
                "Antal svar": fmt_int(r["n"]),
                "Designeffekt": fmt_number(r["deff"], 2),
                "Vet ej": fmt_percent(r["dont_know_share"]),
                "Inget svar": fmt_percent(r["missing_share"]),
            }
        )
    return pd.DataFrame(rows).set_index("Fråga")


def index_table(index: pd.DataFrame) -> pd.DataFrame:
    """Index per item and total for display (project's own 0–6 formula)."""
    rows = []
    for _, r in index.iterrows():
        ok = bool(r["enough"])
        rows.append(
            {
                "Fråga": r["label"],
                "Index 0–6": _fmt_index(r["index"]) if ok else SUPPRESSED,
                "Felmarginal (95 %)": (
                    f"{_fmt_index(r['low'])}–{_fmt_index(r['high'])}" if ok else "–"
                ),
                "Antal svar": fmt_int(r["n"]),
            }
        )
    return pd.DataFrame(rows).set_index("Fråga")


def change_table(
    changes: pd.DataFrame | None, current: int | None, previous: int | None
) -> pd.DataFrame:
    """Change per question for display, ranked (most improved first), significant marked (*)."""
    if changes is None or changes.empty:
        return pd.DataFrame({"Jämförelse": ["Ingen tidigare omgång att jämföra med."]})
    rows = []
    for _, r in changes.iterrows():
        total = r["question_id"] == TOTAL_INDEX_ID
        has_share = not total and r["verdict"] not in (NOT_ASKED,)
        has_idx = pd.notna(r.get("index_cur", np.nan))
        rows.append(
            {
                "Rang": "" if total else str(r["rank"]),
                "Fråga": r["label"],
                f"Andel {previous}": fmt_percent(r["share_prev"]) if has_share else "–",
                f"Andel {current}": fmt_percent(r["share_cur"]) if has_share else "–",
                "Förändring": percentage_points(r["diff"])
                if has_share and pd.notna(r["diff"])
                else "–",
                "Felmarginal": (
                    f"{fmt_number(r['diff_low'] * 100)} till {fmt_number(r['diff_high'] * 100)}"
                    if has_share and pd.notna(r.get("diff_low", np.nan))
                    else "–"
                ),
                "Bedömning": ("*" + str(r["verdict"]))
                if bool(r["significant"])
                else str(r["verdict"]),
                f"Index {previous}→{current}": (
                    f"{_fmt_index(r['index_prev'])} → {_fmt_index(r['index_cur'])}"
                    if has_idx
                    else "–"
                ),
                "Bedömning index": str(r["index_verdict"]) if has_idx else "–",
            }
        )
    return pd.DataFrame(rows).set_index("Rang")


def breakdown_table(
    table: pd.DataFrame, by: str, min_respondents: int = MIN_RESPONDENTS
) -> pd.DataFrame:
    """Breakdown for display; suppressed cells say "för få svar" and hide their exact count."""
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
                "Felmarginal (95 %)": "–" if hidden else percent_interval(r["low"], r["high"]),
                "Index 0–6": "–" if hidden or pd.isna(r["index"]) else _fmt_index(r["index"]),
                "Antal svar": _count_text(int(r["n"]), hidden, min_respondents),
            }
        )
    return pd.DataFrame(rows).set_index(BY_LABELS[by].capitalize())


def group_table(
    survey: pd.DataFrame,
    round_: int,
    by: str,
    settings: Settings | None = None,
    question_id: str = KEY_QUESTION,
) -> pd.DataFrame:
    """:func:`breakdown` of the key question, ready for display."""
    settings = settings or Settings()
    return breakdown_table(
        breakdown(survey, round_, by, question_id, settings), by, settings.min_respondents
    )


def _count_text(n: int, hidden: bool, min_respondents: int) -> str:
    """A suppressed cell shows "färre än 30", not its exact count."""
    return f"färre än {fmt_int(min_respondents)}" if hidden else fmt_int(n)


def composition_table(comp: Composition) -> pd.DataFrame:
    """Sample vs population for display, in percent."""
    rows = []
    for _, r in comp.table.iterrows():
        rows.append(
            {
                "Grupp": group_label(r["dimension"], r["group"]),
                "Antal svarande": fmt_int(r["n"]),
                "Andel av svarande": fmt_percent(r["sample_share"]),
                "Andel efter viktning": fmt_percent(r["weighted_share"]),
                "Andel av befolkningen": fmt_percent(r["population_share"]),
                "Skillnad": percentage_points(r["difference"]) + (" (!)" if r["skewed"] else ""),
            }
        )
    return pd.DataFrame(rows).set_index("Grupp")
