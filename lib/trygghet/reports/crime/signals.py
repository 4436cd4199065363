"""Trend per series, and the red-red / green-green signals.

* **Trend** over the available years: a Poisson log-linear trend with the
  population as offset (:func:`trygghet.stats.trend.poisson_trend`). Kommun-level
  quality improved from 2015 (:data:`BREAK_YEAR`): a series crossing that
  year is tested from 2015 only, and the break is marked.
* **Signals**: "röd-röd" when the kommun is significantly above its group AND
  significantly increasing; "grön-grön" for the converse.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from trygghet.reports.crime.rate_table import LEVEL
from trygghet.stats import rates, trend

#: Kommun-level quality of Brå's statistics improved from this year; trends
#: are tested from here on when a series crosses it.
BREAK_YEAR = 2015

#: The trend verdict in a word or two (chart titles, the summary table).
VERDICT_TEXT: dict[str, str] = {
    trend.INCREASING: "ökar",
    trend.DECREASING: "minskar",
    trend.NO_CLEAR_CHANGE: "ingen säker förändring",
    trend.TOO_FEW: "för få för att säga",
}


@dataclass(frozen=True)
class TrendSummary:
    """A series' trend test and what went into it."""

    verdict: str
    result: trend.PoissonTrendResult | None
    years: list[int]
    missing_years: list[int]
    preliminary_years: list[int]
    crosses_break: bool

    @property
    def text(self) -> str:
        return VERDICT_TEXT[self.verdict]

    @property
    def total(self) -> int:
        return self.result.total_count if self.result is not None else 0


def series_trend(series: pd.DataFrame, up_to: int) -> TrendSummary:
    """Poisson trend (population offset) of one area's series up to ``up_to``.

    ``series`` has columns year, count, population, missing, preliminary.
    Missing years are left out (gaps allowed). When the series has years both
    before and from :data:`BREAK_YEAR`, only years from the break are tested.
    """
    rows = series[series["year"] <= up_to].sort_values("year")
    crosses = bool((rows["year"] < BREAK_YEAR).any() and (rows["year"] >= BREAK_YEAR).any())
    if crosses:
        rows = rows[rows["year"] >= BREAK_YEAR]
    missing = sorted(int(y) for y in rows.loc[rows["missing"].astype(bool), "year"])
    usable = rows[~rows["missing"].astype(bool) & rows["population"].notna()]
    years = [int(y) for y in usable["year"]]
    prelim = sorted(int(y) for y in usable.loc[usable["preliminary"].astype(bool), "year"])
    if not years:
        return TrendSummary(trend.TOO_FEW, None, [], missing, prelim, crosses)
    result = trend.poisson_trend(
        usable["year"].to_numpy(dtype=float),
        usable["count"].to_numpy(dtype=float),
        usable["population"].to_numpy(dtype=float),
        level=LEVEL,
    )
    return TrendSummary(result.verdict, result, years, missing, prelim, crosses)


# --------------------------------------------------------------------------
# Signals
# --------------------------------------------------------------------------

RED_RED = "red_red"
GREEN_GREEN = "green_green"
#: The signal codes as the report writes them.
FLAG_LABELS = {RED_RED: "röd-röd", GREEN_GREEN: "grön-grön"}


def flag(position: str | None, verdict: str) -> str | None:
    """ "red_red" when above the group AND increasing, "green_green" for the converse.

    Above/below means outside the 95 % funnel limit (either level); a missing
    position (count missing or "fåtal") never gives a signal.
    """
    if position in (rates.ABOVE_95, rates.ABOVE_998) and verdict == trend.INCREASING:
        return RED_RED
    if position in (rates.BELOW_95, rates.BELOW_998) and verdict == trend.DECREASING:
        return GREEN_GREEN
    return None
