"""Decided measures: their status, overdue ones, and the reports before and after.

A measure's status is taken as it stood at the end of the selected week when
that can be known (:func:`open_at`: a measure finished later was open then).
Whether the reports at its place fell afterwards is judged on equal windows
before and after the decided week (:func:`before_after`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trygghet.reports.est.data import EstData
from trygghet.reports.est.verdicts import (
    ALPHA,
    FEWER,
    MORE,
    NO_CLEAR_CHANGE,
    TOO_EARLY,
    TOO_FEW,
)
from trygghet.reports.est.weeks import WEEK, weekly_counts
from trygghet.stats.rates import rate_ratio_test

#: Statuses of a measure that is not yet done.
OPEN_STATUSES: tuple[str, ...] = ("beslutad", "pågår")


def week_end(monday: pd.Timestamp) -> pd.Timestamp:
    """The last moment of the week (for comparing with dates)."""
    return pd.Timestamp(monday) + WEEK - pd.Timedelta(microseconds=1)


def open_at(measures: pd.DataFrame, monday: pd.Timestamp) -> pd.Series:
    """Was each measure decided and still open at the end of the week of ``monday``?

    Open = decided by then and either still "beslutad"/"pågår" today, or
    finished/closed after that week (its ``done_date`` is later). A closed
    measure without a date counts as closed.
    """
    end = week_end(monday)
    decided = measures["decided_week_start"] <= pd.Timestamp(monday)
    still_open = measures["status"].astype(str).isin(OPEN_STATUSES)
    done_later = measures["done_date"].notna() & (measures["done_date"] > end)
    return (decided & (still_open | done_later)).fillna(False).astype(bool)


# --------------------------------------------------------------------------
# Before and after
# --------------------------------------------------------------------------

#: Before/after windows of a measure: up to this many weeks on each side of
#: the decided week (the decided week itself is left out of both).
MEASURE_WINDOW: int = 8
#: Fewer weeks after the decision than this: "för tidigt att säga".
MIN_AFTER_WEEKS: int = 4
#: Fewer reports before and after together than this: "för få för att säga".
MIN_MEASURE_TOTAL: int = 5


def before_after(
    weekly: pd.Series, decided: pd.Timestamp, end: pd.Timestamp, window: int = MEASURE_WINDOW
) -> dict[str, object]:
    """Reports at a place in equal windows before and after the decided week.

    ``weekly`` is the place's weekly count (index: Mondays of the data). After
    = the weeks after the decided week up to ``window`` weeks, no later than
    ``end`` nor the data's last week; before = as many weeks just before the
    decided week (the decided week is in neither: the measure starts during
    it). Verdicts: ``too_early`` (fewer than MIN_AFTER_WEEKS weeks after, or
    not enough data before), ``too_few`` (fewer than MIN_MEASURE_TOTAL reports
    in both windows), ``fewer``/``more`` (exact conditional Poisson test,
    p < 0.05), else ``no_clear_change``.

    Measures are usually decided *because* a place had a bad spell, so counts
    tend to fall afterwards even without an effect (regression to the mean):
    a "färre" is consistent with an effect, not proof of one.
    """
    decided, end = pd.Timestamp(decided), pd.Timestamp(end)
    last = min(end, weekly.index[-1]) if len(weekly) else end
    after = [decided + d * WEEK for d in range(1, window + 1) if decided + d * WEEK <= last]
    n = len(after)
    before = [decided - d * WEEK for d in range(n, 0, -1)]
    result: dict[str, object] = {
        "weeks": n,
        "before": np.nan,
        "after": np.nan,
        "ratio": np.nan,
        "p_value": np.nan,
    }
    if n < MIN_AFTER_WEEKS or not all(w in weekly.index for w in before):
        result["verdict"] = TOO_EARLY
        return result
    b, a = int(weekly.loc[before].sum()), int(weekly.loc[after].sum())
    result.update(before=b, after=a)
    if a + b < MIN_MEASURE_TOTAL:
        result["verdict"] = TOO_FEW
        return result
    test = rate_ratio_test(a, n, b, n)
    result.update(ratio=test.ratio, p_value=test.p_value)
    if test.p_value < ALPHA:
        result["verdict"] = FEWER if test.ratio < 1 else MORE
    else:
        result["verdict"] = NO_CLEAR_CHANGE
    return result


# --------------------------------------------------------------------------
# The measures to follow up
# --------------------------------------------------------------------------

#: An open measure decided at least this many weeks ago is overdue. The
#: measures table has no deadline column, so one rule serves all measures.
OVERDUE_WEEKS: int = 8
#: Measures listed: open ones, and closed ones decided within this many weeks.
MEASURE_LIST_WEEKS: int = 52


def measure_followup(data: EstData, end: pd.Timestamp) -> pd.DataFrame:
    """The measures to follow up at the meeting after the week of ``end``.

    Listed: measures decided by then that are open at its end or were decided
    within :data:`MEASURE_LIST_WEEKS` weeks. Columns: ``measure_id, decided,
    place, responsible, status, done_date, open, overdue, weeks_since, weeks,
    before, after, ratio, p_value, verdict``. ``status`` is the status in the
    data today; ``open`` says whether it was still open at the end of that
    week (a measure finished later was open then). ``overdue``: open and
    decided at least :data:`OVERDUE_WEEKS` weeks before.
    """
    end = pd.Timestamp(end)
    columns = [
        "measure_id",
        "decided",
        "place",
        "responsible",
        "status",
        "done_date",
        "open",
        "overdue",
        "weeks_since",
        "weeks",
        "before",
        "after",
        "ratio",
        "p_value",
        "verdict",
    ]
    m = data.measures
    if m.empty:
        return pd.DataFrame(columns=columns)
    is_open = open_at(m, end)
    decided_by = m["decided_week_start"] <= end
    recent = m["decided_week_start"] > end - MEASURE_LIST_WEEKS * WEEK
    chosen = m[(decided_by & (is_open | recent)).to_numpy()].copy()
    if chosen.empty:
        return pd.DataFrame(columns=columns)
    places = weekly_counts(
        data.reports["week_start"],
        data.first,
        data.last,
        data.reports["place"],
        key_order=sorted(set(chosen["place_key"])),
    )
    rows = []
    for _, row in chosen.sort_values("decided_week_start", kind="stable").iterrows():
        weeks_since = int((end - row["decided_week_start"]) / WEEK)
        opened = bool(open_at(pd.DataFrame([row]), end).iloc[0])
        ba = before_after(places[row["place_key"]], row["decided_week_start"], end)
        rows.append(
            {
                "measure_id": row["measure_id"],
                "decided": row["decided_week_start"],
                "place": row["place_key"],
                "responsible": row["responsible"],
                "status": row["status"],
                "done_date": row["done_date"],
                "open": opened,
                "overdue": opened and weeks_since >= OVERDUE_WEEKS,
                "weeks_since": weeks_since,
                **ba,
            }
        )
    return pd.DataFrame(rows, columns=columns)
