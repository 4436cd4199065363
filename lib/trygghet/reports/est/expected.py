"""Unusual this week? A weekly count against the expected level from its history.

The history of a week is the same weeks of earlier years (:func:`history_weeks`),
so holidays and summer do not look unusual. The expected interval and the
"förhöjt" flag come from :mod:`trygghet.stats.baseline`; how unusual is said in
words (:data:`trygghet.reports.est.verdicts.VERDICT_LABELS`).

Everything is computed "as of" the week: only weeks before it are history.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from trygghet.reports.est.verdicts import (
    ALPHA,
    LOWER,
    MISSING,
    SHORT_HISTORY,
    TOO_FEW,
    UNUSUAL_HIGH,
    USUAL,
    VERDICT_ORDER,
    VERY_UNUSUAL_HIGH,
)
from trygghet.reports.est.weeks import WEEK, iso_monday, weeks_in_year
from trygghet.stats.baseline import expected_interval, flag_elevated

# --------------------------------------------------------------------------
# The history weeks
# --------------------------------------------------------------------------

#: Earlier years whose same weeks make the history (the newest first).
HISTORY_YEARS: int = 3
#: Weeks on each side of the same week number: w-2..w+2, five weeks a year.
#: Neighbouring weeks add history without mixing seasons (a month either way).
HALF_WIDTH: int = 2
#: When the earlier years give fewer than MIN_HISTORY weeks (the first year
#: of data), the previous FALLBACK_WEEKS weeks are used instead. They follow
#: the season less well, so the rule used is shown with every table.
FALLBACK_WEEKS: int = 8
#: Fewer history weeks than this: no expected level ("för kort historik").
MIN_HISTORY: int = 5


def same_week_window(year: int, number: int, half_width: int = HALF_WIDTH) -> list[pd.Timestamp]:
    """Weeks ``number``-``half_width``..``number``+``half_width`` of ISO year ``year``, by date.

    Week 53 maps to week 52 in a year without one; the window crosses year
    boundaries by date (week 1 takes weeks 51–52 of the year before).
    """
    centre = iso_monday(year, min(number, weeks_in_year(year)))
    return [centre + d * WEEK for d in range(-half_width, half_width + 1)]


def history_weeks(
    week_start: pd.Timestamp,
    first: pd.Timestamp,
    *,
    years: int = HISTORY_YEARS,
    half_width: int = HALF_WIDTH,
    fallback: int = FALLBACK_WEEKS,
    min_history: int = MIN_HISTORY,
) -> tuple[list[pd.Timestamp], str]:
    """The history weeks for ``week_start`` and the rule used.

    Rule ``"same_weeks"``: for each of the ``years`` earlier ISO years, weeks
    w-2..w+2 around the same week number w (week 53 maps to week 52 in a year
    without one); the windows cross year boundaries by date, so week 1 takes
    weeks 51–52 of the year before. A year counts only if its whole window
    lies in the data (from ``first``), so that every year weighs the same.
    Same-season history removes holidays and summer effects.

    Rule ``"previous_weeks"``: when that gives fewer than ``min_history`` weeks
    (the first year of data), the ``fallback`` weeks just before. Rule
    ``"too_short"``: fewer than ``min_history`` weeks even then.
    """
    s, first = pd.Timestamp(week_start), pd.Timestamp(first)
    year, number = s.isocalendar()[0], s.isocalendar()[1]
    same: list[pd.Timestamp] = []
    for k in range(1, years + 1):
        window = same_week_window(year - k, number, half_width)
        if window[0] >= first:  # whole windows only: each year weighs the same
            same += window
    same = sorted({w for w in same if w < s})
    if len(same) >= min_history:
        return same, "same_weeks"
    previous = [s - d * WEEK for d in range(fallback, 0, -1)]
    previous = [w for w in previous if w >= first]
    return previous, ("previous_weeks" if len(previous) >= min_history else "too_short")


# --------------------------------------------------------------------------
# One count against its history
# --------------------------------------------------------------------------

#: p-values at or below this are "mycket ovanligt" (one week in a hundred).
VERY_UNUSUAL: float = 0.01
#: The drawn and tabulated interval is the two-sided (1 - 2*ALPHA) prediction
#: interval, so its upper edge is exactly the flag threshold.
INTERVAL_LEVEL: float = 1.0 - 2.0 * ALPHA
#: A count below this is never called "förhöjt": at a quiet place one or two
#: reports are "unusual" by the numbers but say nothing ("för få för att säga").
MIN_FLAG_COUNT: int = 3


@dataclass(frozen=True)
class Assessment:
    """One count against its history: expected value, interval, p-value, verdict."""

    observed: float
    expected: float
    low: float
    high: float
    p_value: float
    verdict: str
    n_history: int


def assess(observed: float | None, history: Sequence[float] | np.ndarray) -> Assessment:
    """Judge one weekly count against its history counts.

    ``low``–``high`` is the (1 - 2·ALPHA) = 90 % prediction interval of
    :func:`trygghet.stats.baseline.expected_interval`; ``high`` equals the flag
    threshold of :func:`trygghet.stats.baseline.flag_elevated` at ALPHA, so "above
    the band" and "förhöjt" are the same thing. Verdicts: ``missing`` (no
    count), ``short_history`` (fewer than MIN_HISTORY history weeks),
    ``very_unusual``/``unusual`` (above the band, p ≤ VERY_UNUSUAL / ≤ ALPHA,
    at least MIN_FLAG_COUNT), ``too_few`` (above the band but below
    MIN_FLAG_COUNT), ``lower`` (below the band), else ``usual``.
    """
    h = np.asarray(history, dtype=float)
    h = h[~np.isnan(h)]
    if observed is None or (isinstance(observed, float) and math.isnan(observed)):
        return Assessment(np.nan, np.nan, np.nan, np.nan, np.nan, MISSING, int(h.size))
    obs = int(observed)
    if h.size < MIN_HISTORY:
        return Assessment(obs, np.nan, np.nan, np.nan, np.nan, SHORT_HISTORY, int(h.size))
    band = expected_interval(h, level=INTERVAL_LEVEL)
    flag = flag_elevated(obs, h, alpha=ALPHA)
    if flag.elevated:
        if obs < MIN_FLAG_COUNT:
            verdict = TOO_FEW
        else:
            verdict = VERY_UNUSUAL_HIGH if flag.p_value <= VERY_UNUSUAL else UNUSUAL_HIGH
    elif obs < band.low:
        verdict = LOWER
    else:
        verdict = USUAL
    return Assessment(obs, band.expected, band.low, band.high, flag.p_value, verdict, int(h.size))


# --------------------------------------------------------------------------
# Whole tables and series
# --------------------------------------------------------------------------


def flag_table(counts: pd.DataFrame, week_start: pd.Timestamp) -> pd.DataFrame:
    """Assess every column of a weekly count table (rows = Mondays) at ``week_start``.

    The table's first row is taken as the start of the data. Returns one row
    per key: ``key, observed, expected, low, high, p_value, verdict,
    n_history, rule``, most unusual first (p-value, then count), keys with no
    history sorted last.
    """
    s = pd.Timestamp(week_start)
    columns = [
        "key",
        "observed",
        "expected",
        "low",
        "high",
        "p_value",
        "verdict",
        "n_history",
        "rule",
    ]
    if counts.empty or s not in counts.index:
        return pd.DataFrame(columns=columns)
    weeks, rule = history_weeks(s, counts.index[0])
    rows = []
    for key in counts.columns:
        a = assess(counts.at[s, key], counts.loc[weeks, key].to_numpy())
        rows.append(
            {
                "key": key,
                "observed": a.observed,
                "expected": a.expected,
                "low": a.low,
                "high": a.high,
                "p_value": a.p_value,
                "verdict": a.verdict,
                "n_history": a.n_history,
                "rule": rule,
            }
        )
    table = pd.DataFrame(rows, columns=columns)
    table["_rank"] = table["verdict"].map(VERDICT_ORDER.index)
    table = table.sort_values(
        ["_rank", "p_value", "observed", "key"],
        ascending=[True, True, False, True],
        na_position="last",
        kind="stable",
    )
    return table.drop(columns="_rank").reset_index(drop=True)


def band_series(series: pd.Series, weeks: Iterable[pd.Timestamp]) -> pd.DataFrame:
    """Observed count, expected value and band for each of ``weeks`` (for the chart).

    ``series`` is one column of :func:`trygghet.reports.est.weeks.weekly_counts`
    (its first index is the start of the data); weeks outside it are left out.
    """
    rows = []
    for w in weeks:
        if w not in series.index:
            continue
        hist, rule = history_weeks(w, series.index[0])
        a = assess(series.at[w], series.loc[hist].to_numpy())
        rows.append(
            {
                "week": w,
                "observed": a.observed,
                "expected": a.expected,
                "low": a.low,
                "high": a.high,
                "p_value": a.p_value,
                "verdict": a.verdict,
                "rule": rule,
            }
        )
    return pd.DataFrame(rows)
