"""Where and when residents report feeling unsafe: counts and the change against last year.

Residents' reports (``resident_reports``) counted by category, month, season
and part of the day within the period's window (:class:`PeriodWindow`), and
the change against the same span of the previous year per category with an
exact test (:func:`category_change`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from trygghet.config import KommunConfig
from trygghet.present.swedish import MONTHS_SHORT
from trygghet.sources.resident_reports import CATEGORIES
from trygghet.stats import hotspots as stats_hotspots
from trygghet.stats.areas import count_per_area, nearest_area
from trygghet.stats.rates import rate_ratio_test
from trygghet.stats.trend import DECREASING, INCREASING, NO_CLEAR_CHANGE, TOO_FEW

# ---------------------------------------------------------------------------
# Period


@dataclass(frozen=True)
class PeriodWindow:
    """The span of the period that the data covers, and the same span a year earlier.

    ``end`` is the period's last moment or the last report's time if the data
    stops earlier (an export made during the year); the previous year's window
    is the same calendar span, so that the comparison is like with like.
    ``prev_covered`` is False when the data starts after the previous window starts.
    """

    period: int
    start: pd.Timestamp
    end: pd.Timestamp
    prev_start: pd.Timestamp
    prev_end: pd.Timestamp
    complete: bool
    prev_covered: bool

    @property
    def months_text(self) -> str:
        """'jan–okt' for a partial year, '' for a whole one."""
        if self.complete:
            return ""
        return f"{MONTHS_SHORT[0]}–{MONTHS_SHORT[self.end.month - 1]}"


def period_window(reports: pd.DataFrame, period: int) -> PeriodWindow:
    """The period's window as far as ``reports`` reach (see :class:`PeriodWindow`)."""
    start = pd.Timestamp(int(period), 1, 1)
    year_end = pd.Timestamp(int(period) + 1, 1, 1) - pd.Timedelta(microseconds=1)
    times = pd.to_datetime(reports["created_at"]) if len(reports) else pd.Series(dtype="M8[us]")
    data_end = times.max() if len(times) else year_end
    data_start = times.min() if len(times) else start
    end = min(year_end, data_end) if data_end >= start else year_end
    # A partial year is cut at the end of the last month with data, so that
    # both years cover whole months.
    complete = end >= year_end - pd.Timedelta(days=1)
    if not complete:
        month = end.to_period("M")
        if end.normalize() < month.to_timestamp(how="end").normalize():
            month = month - 1  # the last month has data only for part of it: leave it out
        end = month.to_timestamp(how="end")
    prev_start = start - pd.DateOffset(years=1)
    prev_end = end - pd.DateOffset(years=1)
    return PeriodWindow(
        period=int(period),
        start=start,
        end=end,
        prev_start=prev_start,
        prev_end=prev_end,
        complete=bool(complete),
        prev_covered=bool(len(times) and data_start <= prev_start + pd.Timedelta(days=31)),
    )


def between(frame: pd.DataFrame, column: str, start, end) -> pd.DataFrame:
    """The rows of ``frame`` whose ``column`` lies in [start, end] (both ends included)."""
    t = pd.to_datetime(frame[column])
    return frame[(t >= start) & (t <= end)]


# ---------------------------------------------------------------------------
# Counts

#: Parts of the day (start hour inclusive, end hour exclusive), the same four
#: blocks of six hours as the police-events report.
DAY_PARTS: tuple[tuple[str, int, int], ...] = (
    ("natt", 0, 6),
    ("förmiddag", 6, 12),
    ("eftermiddag", 12, 18),
    ("kväll", 18, 24),
)

#: Meteorological seasons by month.
SEASONS: dict[str, tuple[int, ...]] = {
    "vinter": (12, 1, 2),
    "vår": (3, 4, 5),
    "sommar": (6, 7, 8),
    "höst": (9, 10, 11),
}


def _categories(reports: pd.DataFrame) -> list[str]:
    """The known categories in their fixed order, plus any unknown ones at the end."""
    seen = set(reports["category"].dropna().astype(str))
    return [c for c in CATEGORIES] + sorted(seen - set(CATEGORIES))


def monthly_by_category(reports: pd.DataFrame, period: int) -> pd.DataFrame:
    """Reports per month (1–12, rows) and category (columns) of ``period``, zeros included."""
    year = reports[pd.to_datetime(reports["created_at"]).dt.year == int(period)]
    month = pd.to_datetime(year["created_at"]).dt.month.rename("månad")
    table = pd.crosstab(month, year["category"].astype(str)) if len(year) else pd.DataFrame()
    table = table.reindex(index=range(1, 13), columns=_categories(reports), fill_value=0)
    table.index.name = "månad"
    table.columns.name = "kategori"
    return table.fillna(0).astype("int64")


def season_counts(reports: pd.DataFrame, period: int) -> pd.DataFrame:
    """Reports per season and category in ``period`` (the calendar year's months).

    Winter is December, January and February *of the same calendar year*
    (not a winter spanning the turn of the year), so that the seasons add up
    to the year's total.
    """
    monthly = monthly_by_category(reports, period)
    rows = {name: monthly.loc[list(months)].sum() for name, months in SEASONS.items()}
    table = pd.DataFrame(rows).T
    table.index.name = "årstid"
    table["totalt"] = table.sum(axis=1)
    return table.astype("int64")


def time_of_day(reports: pd.DataFrame, period: int) -> pd.DataFrame:
    """Reports per part of the day (:data:`DAY_PARTS`) in ``period``, with shares.

    A time of exactly 00:00:00 is read as "time not known" (exports that hold
    only the date write midnight) and left out; their number is in ``attrs["unknown"]``.
    Note: ``created_at`` is when the report was made, not when the resident
    felt unsafe there.
    """
    times = pd.to_datetime(reports["created_at"])
    times = times[times.dt.year == int(period)]
    unknown = (times.dt.hour == 0) & (times.dt.minute == 0) & (times.dt.second == 0)
    hours = times[~unknown].dt.hour
    labels = [name for name, _, _ in DAY_PARTS]
    bins = [start for _, start, _ in DAY_PARTS] + [24]
    parts = pd.cut(hours, bins=bins, right=False, labels=labels)
    counts = parts.value_counts().reindex(labels, fill_value=0).astype("int64")
    total = int(counts.sum())
    table = pd.DataFrame(
        {"antal": counts.to_numpy(), "andel": counts.to_numpy() / total if total else np.nan},
        index=pd.Index(labels, name="del av dygnet"),
    )
    table.attrs["unknown"] = int(unknown.sum())
    return table


# ---------------------------------------------------------------------------
# Change against the previous year

#: Below this many reports (this year and the comparison year together) a
#: category's change is "för få för att säga". Same judgement as
#: :data:`trygghet.stats.trend.MIN_TOTAL_COUNT`: with fewer than ten events the test
#: has almost no power and a verdict would mislead.
MIN_TOTAL_FOR_VERDICT: int = 10

#: Verdict code when the comparison year has no data at all.
NO_COMPARISON = "no_comparison"


def change_verdict(
    count: int, prev_count: int | None, p_value: float, *, alpha: float = 0.05
) -> str:
    """Verdict code for a count against the previous year's.

    ``no_comparison`` without a previous count; ``too_few`` when both together
    are below :data:`MIN_TOTAL_FOR_VERDICT`; ``increasing``/``decreasing``
    when ``p_value < alpha``; otherwise ``no_clear_change``.
    """
    if prev_count is None or (isinstance(prev_count, float) and math.isnan(prev_count)):
        return NO_COMPARISON
    if count + prev_count < MIN_TOTAL_FOR_VERDICT:
        return TOO_FEW
    if p_value < alpha:
        return INCREASING if count > prev_count else DECREASING
    return NO_CLEAR_CHANGE


def category_change(reports: pd.DataFrame, period: int, *, alpha: float = 0.05) -> pd.DataFrame:
    """Reports per category this period and the same span a year earlier, tested.

    Method: each category's two counts are compared with the exact
    conditional test for two Poisson rates (:func:`trygghet.stats.rates.rate_ratio_test`,
    equal exposure: the same calendar span). Because nine categories are
    tested at once, the category verdicts use Benjamini–Hochberg q-values
    (:func:`trygghet.stats.hotspots.fdr_bh`); the total ("alla kategorier") is a
    single test and uses its own p-value.

    Returns one row per category plus ``alla kategorier`` last, with columns
    ``category, count, prev_count, ratio, low, high, p_value, q_value, verdict``.
    ``prev_count`` is missing when the data does not cover the previous year.
    """
    win = period_window(reports, period)
    now = between(reports, "created_at", win.start, win.end)
    prev = between(reports, "created_at", win.prev_start, win.prev_end)
    cats = _categories(reports)
    now_c = now["category"].astype(str).value_counts().reindex(cats, fill_value=0)
    prev_c = prev["category"].astype(str).value_counts().reindex(cats, fill_value=0)
    rows = []
    for cat in [*cats, "alla kategorier"]:
        c1 = int(now_c.sum() if cat == "alla kategorier" else now_c[cat])
        c2 = int(prev_c.sum() if cat == "alla kategorier" else prev_c[cat])
        if win.prev_covered:
            test = rate_ratio_test(c1, 1.0, c2, 1.0)
            rows.append((cat, c1, c2, test.ratio, test.low, test.high, test.p_value))
        else:
            rows.append((cat, c1, np.nan, np.nan, np.nan, np.nan, np.nan))
    table = pd.DataFrame(
        rows, columns=["category", "count", "prev_count", "ratio", "low", "high", "p_value"]
    )
    is_cat = table["category"] != "alla kategorier"
    q = np.full(len(table), np.nan)
    if win.prev_covered:
        _, q_cat = stats_hotspots.fdr_bh(table.loc[is_cat, "p_value"].to_numpy(), alpha)
        q[is_cat.to_numpy()] = q_cat
        q[~is_cat.to_numpy()] = table.loc[~is_cat, "p_value"].to_numpy()
    table["q_value"] = q
    table["verdict"] = [
        change_verdict(
            int(r.count),
            None if pd.isna(r.prev_count) else int(r.prev_count),
            float(r.q_value),
            alpha=alpha,
        )
        for r in table.itertuples()
    ]
    table.attrs["window"] = win
    return table


# ---------------------------------------------------------------------------
# Per configured area (the follow-up's triangulation reads these as records)


def reports_per_area(residents: pd.DataFrame, config: KommunConfig, period: int) -> dict[str, int]:
    """Residents' reports created in ``period`` per configured area (the shared nearest-area
    rule, :func:`trygghet.stats.areas.nearest_area`; reports without a position count nowhere).

    Only ``created_at``, ``lat`` and ``lon`` are read, never the text.
    """
    r = residents[pd.to_datetime(residents["created_at"]).dt.year == int(period)]
    return count_per_area(nearest_area(r["lat"], r["lon"], config), config)
