"""Repeat places: places reported week after week, and whether a measure covers them.

A repeat place without a measure is a candidate for the meeting's decision.
"""

from __future__ import annotations

import math

import pandas as pd

from trygghet.reports.est.data import EstData
from trygghet.reports.est.measures import open_at
from trygghet.reports.est.weeks import WEEK, Selection

#: Repeat places: reported in at least REPEAT_MIN_WEEKS of the last REPEAT_WINDOW weeks.
REPEAT_WINDOW: int = 6
REPEAT_MIN_WEEKS: int = 3
#: A repeat place "has a measure" if one there is still open, or was decided
#: within this many weeks (a finished measure needs time before it is judged).
MEASURE_GRACE_WEEKS: int = 13


def repeat_window(sel: Selection) -> tuple[int, int]:
    """Window and minimum weeks of the repeat-place rule for a selection.

    Week mode: :data:`REPEAT_MIN_WEEKS` of the last :data:`REPEAT_WINDOW`.
    Tertial mode: at least half of the tertial's weeks (the same share).
    """
    if sel.mode == "vecka":
        return REPEAT_WINDOW, REPEAT_MIN_WEEKS
    n = len(sel.weeks)
    return n, math.ceil(n * REPEAT_MIN_WEEKS / REPEAT_WINDOW)


def repeat_places(
    data: EstData,
    end: pd.Timestamp,
    window: int = REPEAT_WINDOW,
    min_weeks: int = REPEAT_MIN_WEEKS,
) -> pd.DataFrame:
    """Places reported in at least ``min_weeks`` of the ``window`` weeks ending with ``end``.

    Columns: ``place, weeks_with_reports, reports, has_measure, measure_ids``,
    most weeks first. ``has_measure``: a measure at the place is open at the
    end of the window or was decided within :data:`MEASURE_GRACE_WEEKS` weeks.
    """
    end = pd.Timestamp(end)
    weeks = [end - d * WEEK for d in range(window - 1, -1, -1)]
    r = data.reports[data.reports["week_start"].isin(weeks)]
    columns = ["place", "weeks_with_reports", "reports", "has_measure", "measure_ids"]
    if r.empty:
        return pd.DataFrame(columns=columns)
    g = r.groupby("place").agg(
        weeks_with_reports=("week_start", "nunique"), reports=("week_start", "size")
    )
    g = g[g["weeks_with_reports"] >= min_weeks].reset_index()
    m = data.measures
    ids: list[str] = []
    for place in g["place"]:
        if m.empty:
            ids.append("")
            continue
        here = m[(m["place_key"] == place) & (m["decided_week_start"] <= end)]
        recent = here["decided_week_start"] > end - MEASURE_GRACE_WEEKS * WEEK
        active = open_at(here, end) | recent
        ids.append(", ".join(here.loc[active, "measure_id"].astype(str)))
    g["measure_ids"] = ids
    g["has_measure"] = g["measure_ids"] != ""
    g = g.sort_values(
        ["weeks_with_reports", "reports", "place"], ascending=[False, False, True], kind="stable"
    )
    return g[columns].reset_index(drop=True)
