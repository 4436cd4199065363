"""Did anything change around the completed measures?

Residents' reports within :data:`NEAR_RADIUS_M` of each completed walk
observation in equal windows (:data:`WINDOW_DAYS`) before and after the
completion date, against the rest of the kommun over the same windows
(difference-in-differences on counts, exact conditional test: :func:`did_test`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats.contingency import odds_ratio

from trygghet.present.style import is_example
from trygghet.reports.places.geo import haversine_m
from trygghet.sources import processed
from trygghet.stats.rates import rate_ratio_test
from trygghet.stats.trend import DECREASING, INCREASING, NO_CLEAR_CHANGE, TOO_FEW

#: A report is "near" a completed walk measure when it lies within this many metres.
#: About two blocks: the distance a lamp, a cleared bush or a repaired shelter
#: can plausibly change how a place feels.
NEAR_RADIUS_M: float = 250.0

#: Length of the before and after windows around a completion date (days).
#: Half a year on each side, so that both windows hold a dark part of the year
#: for most dates; equal windows make the count comparison fair.
WINDOW_DAYS: int = 180

#: Below this many reports near the completed measures (before and after
#: together) the before/after comparison is "för få för att säga". With 10
#: reports even a halving (7 -> 3) is well within chance.
MIN_NEAR_FOR_DID: int = 10


@dataclass(frozen=True)
class DidResult:
    """Ratio of ratios (near after/before over rest after/before) with an exact test."""

    near_before: int
    near_after: int
    rest_before: int
    rest_after: int
    ratio_of_ratios: float
    low: float
    high: float
    p_value: float
    verdict: str


def did_test(
    near_before: int,
    near_after: int,
    rest_before: int,
    rest_after: int,
    *,
    alpha: float = 0.05,
    level: float = 0.95,
    min_near: int = MIN_NEAR_FOR_DID,
) -> DidResult:
    """Difference-in-differences on four counts: exact conditional test of the interaction.

    Method: with four independent Poisson counts (near/rest × before/after),
    conditioning on all margins makes the near-after count hypergeometric, so
    the interaction "did the near places change differently from the rest?"
    is Fisher's exact test on the 2×2 table ``[[near_after, near_before],
    [rest_after, rest_before]]`` whose odds ratio is the ratio of ratios
    ``(near_after/near_before) / (rest_after/rest_before)``. The interval is
    the exact conditional interval (scipy ``odds_ratio(kind="conditional")``);
    the point estimate is the sample ratio of ratios.

    Verdict: ``too_few`` when ``near_before + near_after < min_near`` (see
    :data:`MIN_NEAR_FOR_DID`); ``decreasing`` (fewer reports near the
    measures than the rest of the kommun would suggest) or ``increasing``
    when ``p < alpha``; else ``no_clear_change``.

    Assumptions: counts independent and Poisson; the rest of the kommun shows
    what would have happened near the measures without them (parallel trends).
    """
    a, b, c, d = (int(x) for x in (near_before, near_after, rest_before, rest_after))
    if min(a, b, c, d) < 0:
        raise ValueError("counts must be non-negative")
    table = np.array([[b, a], [d, c]])
    if a + b == 0 or c + d == 0 or b + d == 0 or a + c == 0:
        ror, low, high, p = np.nan, 0.0, np.inf, 1.0
    else:
        p = float(stats.fisher_exact(table, alternative="two-sided").pvalue)
        ci = odds_ratio(table, kind="conditional").confidence_interval(level)
        low, high = float(ci.low), float(ci.high)
        with np.errstate(divide="ignore", invalid="ignore"):
            ror = float((b * c) / (a * d)) if a * d > 0 else np.inf
    if a + b < min_near:
        verdict = TOO_FEW
    elif p < alpha:
        verdict = DECREASING if (b * c) < (a * d) else INCREASING
    else:
        verdict = NO_CLEAR_CHANGE
    return DidResult(a, b, c, d, ror, low, high, p, verdict)


@dataclass(frozen=True)
class BeforeAfter:
    """Per-measure counts and the pooled difference-in-differences."""

    measures: pd.DataFrame
    pooled: DidResult
    near_ratio: tuple[float, float, float]
    rest_ratio: tuple[float, float, float]
    radius_m: float
    window_days: int
    excluded: dict[str, int] = field(default_factory=dict)
    #: "example" when the reports or the walks are (partly) example data.
    origin: str = "example"


def before_after(
    reports: pd.DataFrame,
    walks: pd.DataFrame,
    as_of: pd.Timestamp,
    *,
    radius_m: float = NEAR_RADIUS_M,
    window_days: int = WINDOW_DAYS,
) -> BeforeAfter:
    """Reports near completed walk measures before and after completion, against the rest.

    Which measures: status åtgärdad, with coordinates, whose before window
    ``[t - W, t)`` starts on or after the first report and whose after window
    ``[t, t + W)`` ends by ``as_of`` and by the last report (so that no
    window is cut short: the comparison uses only data up to the period end).

    The result's ``origin`` is "example" if either table is (partly) example data.

    Near: reports with positions within ``radius_m`` of the measure's point.
    A report near several measures is counted once in the pooled figures, for
    the nearest measure whose windows contain it (walk points are often closer
    than ``2 * radius_m``, and double counting would overstate the evidence).
    The per-measure rows count every report near that measure.

    Rest: reports with positions farther than ``radius_m`` from every included
    measure, counted in each measure's windows and summed. Windows of
    different measures overlap, so those sums count a report several times;
    they are scaled down to the number of distinct rest reports in all the
    windows (ratio kept, precision no longer overstated) before the test.
    Reports without a position take part in neither group.
    """
    as_of = pd.Timestamp(as_of)
    origins = (processed.origin(reports), processed.origin(walks))
    origin = "example" if any(is_example(o) for o in origins) else origins[0]
    w = pd.Timedelta(days=int(window_days))
    pos = reports.dropna(subset=["lat", "lon"])
    t_rep = pd.to_datetime(pos["created_at"]).to_numpy()
    first = pd.to_datetime(reports["created_at"]).min() if len(reports) else as_of
    last = pd.to_datetime(reports["created_at"]).max() if len(reports) else as_of
    limit = min(as_of + pd.Timedelta(days=1), last)
    done = walks[(walks["status"].astype(str) == "åtgärdad") & walks["completed_date"].notna()]
    excluded = {
        "utan position": int(done["lat"].isna().sum()),
    }
    done = done.dropna(subset=["lat", "lon"])
    t_done = pd.to_datetime(done["completed_date"])
    full = (t_done - w >= first) & (t_done + w <= limit)
    excluded["fönster utanför data"] = int((~full).sum())
    done = done[full].sort_values(["completed_date", "walk_id", "point_no"])
    cols = ["walk_id", "point_no", "area", "category", "completed_date",
            "near_before", "near_after", "rest_before", "rest_after"]  # fmt: skip
    if done.empty or pos.empty:
        empty = did_test(0, 0, 0, 0)
        nan3 = (np.nan, np.nan, np.nan)
        return BeforeAfter(pd.DataFrame(columns=cols), empty, nan3, nan3, radius_m, window_days,
                           excluded, origin)  # fmt: skip
    dist = haversine_m(
        pos["lat"].to_numpy(float)[:, None],
        pos["lon"].to_numpy(float)[:, None],
        done["lat"].to_numpy(float)[None, :],
        done["lon"].to_numpy(float)[None, :],
    )  # reports × measures
    near = dist <= radius_m
    rest = ~near.any(axis=1)
    t0 = t_done.loc[done.index].to_numpy()
    before = (t_rep[:, None] >= (t0 - w)[None, :]) & (t_rep[:, None] < t0[None, :])
    after = (t_rep[:, None] >= t0[None, :]) & (t_rep[:, None] < (t0 + w)[None, :])
    measures = done[["walk_id", "point_no", "area", "category", "completed_date"]].copy()
    measures["near_before"] = (near & before).sum(axis=0)
    measures["near_after"] = (near & after).sum(axis=0)
    measures["rest_before"] = (rest[:, None] & before).sum(axis=0)
    measures["rest_after"] = (rest[:, None] & after).sum(axis=0)
    # Pooled near counts: each report once, for its nearest measure with a window covering it.
    in_window = near & (before | after)
    masked = np.where(in_window, dist, np.inf)
    nearest = masked.argmin(axis=1)
    has = np.isfinite(masked.min(axis=1))
    rows = np.flatnonzero(has)
    a = int(before[rows, nearest[rows]].sum())
    b = int(after[rows, nearest[rows]].sum())
    # Pooled rest counts, scaled to distinct reports.
    c_sum, d_sum = int(measures["rest_before"].sum()), int(measures["rest_after"].sum())
    distinct = int((rest & (before | after).any(axis=1)).sum())
    scale = distinct / (c_sum + d_sum) if c_sum + d_sum else 1.0
    c, d = round(c_sum * scale), round(d_sum * scale)
    pooled = did_test(a, b, c, d)
    near_rr = rate_ratio_test(b, 1.0, a, 1.0) if a + b else None
    rest_rr = rate_ratio_test(d, 1.0, c, 1.0) if c + d else None

    def triple(rr) -> tuple[float, float, float]:
        return (rr.ratio, rr.low, rr.high) if rr is not None else (np.nan, np.nan, np.nan)

    return BeforeAfter(
        measures[cols].reset_index(drop=True),
        pooled,
        triple(near_rr),
        triple(rest_rr),
        radius_m,
        window_days,
        excluded,
        origin,
    )
