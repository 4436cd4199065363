"""Shares (proportions) with confidence intervals, tests and control limits.

Used for survey indicators (share who feel unsafe out alone late in the
evening), for the victim-contact promise (share of cases with contact within 7
days of assignment) and for any "x out of n" figure per period.

Intervals are Wilson score intervals throughout: unlike the textbook Wald
interval ``p +- z sqrt(p(1-p)/n)`` they stay inside [0, 1] and keep close to
nominal coverage for the small n and extreme shares that kommuner have.

References
----------
- Wilson E.B. (1927). Probable inference, the law of succession, and
  statistical inference. JASA 22:209-212.
- Newcombe R.G. (1998). Interval estimation for the difference between
  independent proportions: comparison of eleven methods. Statistics in
  Medicine 17:873-890 (method 10, hybrid score interval).
- Kish L. (1965). Survey Sampling. Wiley (effective sample size
  ``(sum w)^2 / sum w^2`` and design effect due to unequal weighting);
  Kish L. (1992). Weighting for unequal Pi. J Official Statistics 8:183-200.
- Dean N., Pagano M. (2015). Evaluating confidence interval methods for
  binomial proportions in clustered surveys. J Survey Statistics and
  Methodology 3:484-503 (Wilson interval on the effective sample size).
- Montgomery D.C. Introduction to Statistical Quality Control, ch. 7 (p chart).
- Spiegelhalter D.J. (2005). Funnel plots for comparing institutional
  performance. Statistics in Medicine 24:1185-1202.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats

from trygghet.stats.rates import (
    _check_level,
    _interpolated_quantile,
    _levels,
    _position_code,
    level_code,
)

__all__ = [
    "ProportionDifference",
    "WeightedShare",
    "funnel_limits_proportion",
    "funnel_position_proportion",
    "p_chart_limits",
    "two_proportion_test",
    "weighted_share",
    "weighted_two_proportion_test",
    "wilson_ci",
]


def _z(level: float) -> float:
    return float(stats.norm.ppf(1.0 - (1.0 - _check_level(level)) / 2.0))


def wilson_ci(successes: float, n: float, level: float = 0.95) -> tuple[float, float]:
    """Wilson score confidence interval for a binomial proportion.

    Method: with ``p = x/n`` and ``z`` the normal quantile,
    ``centre = (p + z^2/(2n)) / (1 + z^2/n)`` and
    ``half = z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/(4n^2))``.

    ``successes`` and ``n`` may be non-integer (an effective sample size, see
    :func:`weighted_share`). ``n = 0`` gives ``(nan, nan)``: no information.

    Assumptions: independent trials with a common probability.

    Reference: Wilson (1927); Newcombe (1998) method 3.

    Example: ``wilson_ci(8, 10)`` -> ``(0.490, 0.943)``.
    """
    x, m = float(successes), float(n)
    if not (np.isfinite(x) and np.isfinite(m)) or m < 0 or x < 0 or x > m:
        raise ValueError(f"need 0 <= successes <= n, got successes={successes!r}, n={n!r}")
    if m == 0:
        return (np.nan, np.nan)
    z = _z(level)
    p = x / m
    denom = 1.0 + z * z / m
    centre = (p + z * z / (2 * m)) / denom
    half = z / denom * np.sqrt(p * (1 - p) / m + z * z / (4 * m * m))
    # The interval always contains p; at p = 0 or 1 rounding can put a bound a
    # hair on the wrong side (1 - 1e-16), which breaks error bars drawn as p ± e.
    return (float(min(p, max(0.0, centre - half))), float(max(p, min(1.0, centre + half))))


@dataclass(frozen=True, slots=True)
class WeightedShare:
    """A weighted share with Kish effective sample size and Wilson interval."""

    share: float
    low: float
    high: float
    n: int
    n_eff: float
    deff: float
    level: float


def _weighted_inputs(values_bool: ArrayLike, weights: ArrayLike | None) -> tuple[np.ndarray, ...]:
    values = np.asarray(values_bool, dtype=float).ravel()
    w = np.ones_like(values) if weights is None else np.asarray(weights, dtype=float).ravel()
    if values.shape != w.shape:
        raise ValueError("values_bool and weights must have the same length")
    keep = ~np.isnan(values) & ~np.isnan(w)
    values, w = values[keep], w[keep]
    if np.any((values != 0) & (values != 1)):
        raise ValueError("values_bool must hold booleans or 0/1 (NaN for missing)")
    if np.any(~np.isfinite(w) | (w < 0)):
        raise ValueError("weights must be non-negative finite numbers")
    return values, w


def weighted_share(
    values_bool: ArrayLike, weights: ArrayLike | None = None, level: float = 0.95
) -> WeightedShare:
    """Weighted share of respondents with a trait, with an approximate interval.

    Method: ``share = sum(w x) / sum(w)``. Kish's effective sample size
    ``n_eff = (sum w)^2 / sum(w^2)`` and design effect ``deff = n / n_eff``
    (the variance inflation due to unequal weights alone). The interval is the
    Wilson interval (:func:`wilson_ci`) with ``successes = share * n_eff`` and
    ``n = n_eff``, as evaluated by Dean & Pagano (2015).

    Missing answers (NaN in ``values_bool`` or ``weights``) are dropped before
    anything is computed; ``n`` is the number of answers used. Without weights
    (``None``) this is the ordinary Wilson interval.

    Assumptions: Kish's formula assumes weights unrelated to the outcome and a
    simple random sample apart from the weighting; it ignores stratification
    (which usually narrows the true interval) and clustering (which widens it).
    Treat the interval as an approximation, not the survey's official margin.

    Reference: Kish (1965, 1992); Dean & Pagano (2015).
    """
    level = _check_level(level)
    values, w = _weighted_inputs(values_bool, weights)
    n = int(values.size)
    total = float(w.sum())
    if n == 0 or total == 0:
        return WeightedShare(np.nan, np.nan, np.nan, n, 0.0, np.nan, level)
    share = float((w * values).sum() / total)
    n_eff = total * total / float((w * w).sum())
    low, high = wilson_ci(share * n_eff, n_eff, level)
    return WeightedShare(share, low, high, n, n_eff, n / n_eff, level)


@dataclass(frozen=True, slots=True)
class ProportionDifference:
    """Difference ``p1 - p2`` of two independent proportions, with CI and p-value."""

    p1: float
    p2: float
    difference: float
    low: float
    high: float
    p_value: float
    n1: float
    n2: float
    level: float


def _difference(x1: float, n1: float, x2: float, n2: float, level: float) -> ProportionDifference:
    level = _check_level(level)
    for x, n in ((x1, n1), (x2, n2)):
        if not n > 0 or not 0 <= x <= n:
            raise ValueError(f"need 0 <= x <= n and n > 0, got x={x!r}, n={n!r}")
    p1, p2 = x1 / n1, x2 / n2
    diff = p1 - p2
    # Pooled z-test (equals the Pearson chi-square test without continuity correction).
    pooled = (x1 + x2) / (n1 + n2)
    se0 = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    p_value = 1.0 if se0 == 0 else float(2 * stats.norm.sf(abs(diff) / se0))
    # Newcombe's hybrid score interval (method 10) from the two Wilson intervals.
    l1, u1 = wilson_ci(x1, n1, level)
    l2, u2 = wilson_ci(x2, n2, level)
    low = diff - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = diff + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return ProportionDifference(p1, p2, diff, float(low), float(high), p_value, n1, n2, level)


def two_proportion_test(
    x1: int, n1: int, x2: int, n2: int, level: float = 0.95
) -> ProportionDifference:
    """Compare two independent proportions ``x1/n1`` and ``x2/n2``.

    Method: difference ``p1 - p2``; two-sided p-value from the pooled z-test
    (identical to the Pearson chi-square test on the 2x2 table without
    continuity correction); interval by Newcombe's hybrid score method
    (method 10), built from the two Wilson intervals. The test and the interval
    are different methods and can disagree right at the boundary.

    Assumptions: two independent binomial samples; the z-test needs roughly
    five expected successes and failures per group, Newcombe's interval holds
    up well below that.

    Reference: Newcombe (1998); example in its Table II: 56/70 vs 48/80 gives
    difference 0.2000 with interval 0.0524 to 0.3339.
    """
    return _difference(float(x1), float(n1), float(x2), float(n2), level)


def weighted_two_proportion_test(
    values1: ArrayLike,
    weights1: ArrayLike | None,
    values2: ArrayLike,
    weights2: ArrayLike | None,
    level: float = 0.95,
) -> ProportionDifference:
    """Compare two weighted shares (two survey rounds, two areas) using effective n.

    Method: each group's weighted share and Kish effective sample size come
    from :func:`weighted_share`; then :func:`two_proportion_test` is applied to
    ``x = share * n_eff`` out of ``n_eff`` for each group. ``n1``, ``n2`` in the
    result are the effective sample sizes.

    Assumptions: the two samples are independent (different respondents) and
    the Kish approximation holds in each (see :func:`weighted_share`).

    Reference: Kish (1965); Newcombe (1998).
    """
    a = weighted_share(values1, weights1, level)
    b = weighted_share(values2, weights2, level)
    if not (a.n_eff > 0 and b.n_eff > 0):
        raise ValueError("both groups need at least one answer with positive weight")
    return _difference(a.share * a.n_eff, a.n_eff, b.share * b.n_eff, b.n_eff, level)


def p_chart_limits(
    successes: ArrayLike,
    n: ArrayLike,
    centre: float | None = None,
    sigmas: float = 3.0,
) -> pd.DataFrame:
    """Shewhart p chart: per-period proportion with control limits for varying n.

    Method: ``p_i = x_i / n_i``; the centre line is ``sum(x) / sum(n)`` unless
    given (for example a baseline period's share); the limits are
    ``centre +- sigmas * sqrt(centre (1 - centre) / n_i)``, clipped to [0, 1].
    ``outside`` is True when ``p_i`` is strictly above ``ucl`` or below ``lcl``.

    Assumptions: binomial variation around a constant share; the normal
    approximation behind 3-sigma limits is poor when ``n_i * centre`` is below
    about 5; then prefer :func:`funnel_limits_proportion` (exact limits).

    Returns a DataFrame (index taken from ``successes`` if it is a Series) with
    columns successes, n, p, centre, lcl, ucl, outside.

    Reference: Montgomery, Introduction to Statistical Quality Control, ch. 7.
    """
    index = successes.index if isinstance(successes, pd.Series) else None
    x = np.asarray(successes, dtype=float).ravel()
    m = np.asarray(n, dtype=float).ravel()
    if x.shape != m.shape:
        raise ValueError("successes and n must have the same length")
    if np.any(~np.isfinite(m) | (m <= 0)) or np.any(~np.isfinite(x) | (x < 0) | (x > m)):
        raise ValueError("need n > 0 and 0 <= successes <= n in every period")
    if centre is None:
        c = float(x.sum() / m.sum())
    else:
        c = float(centre)
        if not 0.0 <= c <= 1.0:
            raise ValueError(f"centre must be in [0, 1], got {centre!r}")
    sd = np.sqrt(c * (1 - c) / m)
    p = x / m
    lcl = np.clip(c - sigmas * sd, 0.0, 1.0)
    ucl = np.clip(c + sigmas * sd, 0.0, 1.0)
    return pd.DataFrame(
        {
            "successes": x,
            "n": m,
            "p": p,
            "centre": c,
            "lcl": lcl,
            "ucl": ucl,
            "outside": (p > ucl) | (p < lcl),
        },
        index=index,
    )


def _binomial_limit_counts(n: float, target: float, levels: Sequence[float]) -> dict[str, float]:
    dist = stats.binom(int(n), target)
    limits: dict[str, float] = {}
    for level in levels:
        code = level_code(level)
        tail = (1.0 - level) / 2.0
        limits[f"lower_{code}"] = _interpolated_quantile(tail, dist.ppf, dist.cdf)
        limits[f"upper_{code}"] = _interpolated_quantile(1.0 - tail, dist.ppf, dist.cdf)
    return limits


def _check_target(target: float) -> float:
    t = float(target)
    if not 0.0 <= t <= 1.0:
        raise ValueError(f"target must be a proportion in [0, 1], got {target!r}")
    return t


def funnel_limits_proportion(
    n_values: ArrayLike, target: float, levels: Sequence[float] = (0.95, 0.998)
) -> pd.DataFrame:
    """Exact binomial funnel-plot limits for a proportion against its denominator.

    Method (Spiegelhalter 2005, appendix A.1.1): for denominator ``n`` the
    limits at level ``L`` are the ``(1-L)/2`` and ``(1+L)/2`` quantiles ``r`` of
    Binomial(n, target), interpolated between adjacent counts,
    ``r - (F(r) - p) / (F(r) - F(r - 1))``, and divided by ``n``.

    Assumptions: ``target`` is a known share (a national or county figure, or
    a goal such as 0.9 for "contact within 7 days"); each unit's successes are
    binomial around it; no between-unit overdispersion.

    Returns columns ``n`` and ``lower_<code>``, ``upper_<code>`` per level
    (``lower_95``, ``upper_998``, ...).

    Reference: Spiegelhalter (2005).
    """
    t = _check_target(target)
    ns = np.atleast_1d(np.asarray(n_values, dtype=float))
    if np.any(~np.isfinite(ns) | (ns <= 0) | (ns != np.round(ns))):
        raise ValueError("n_values must be positive integers")
    lv = _levels(levels)
    rows = []
    for n in ns:
        row: dict[str, float] = {"n": n}
        limits = _binomial_limit_counts(n, t, lv)
        row.update({key: min(value / n, 1.0) for key, value in limits.items()})
        rows.append(row)
    return pd.DataFrame(rows)


def funnel_position_proportion(
    successes: int,
    n: int,
    target: float,
    levels: tuple[float, float] = (0.95, 0.998),
) -> str:
    """Funnel position code of ``successes / n`` against ``target``.

    Returns ``"above_998"``, ``"above_95"``, ``"within"``, ``"below_95"`` or
    ``"below_998"`` for the default levels (the codes of
    :data:`trygghet.stats.rates.FUNNEL_CODES`).

    Method: exact binomial tails, ``above_<L>`` when
    ``P(X >= successes) <= (1 - L) / 2`` under Binomial(n, target), ``below_<L>``
    when ``P(X <= successes) <= (1 - L) / 2``, outer level first. As for
    :func:`trygghet.stats.rates.funnel_position`, this is deliberately conservative
    relative to the interpolated drawn limits (e.g. 10/10 against 0.8 lies
    above the drawn 99.8 % line, 0.999, but ``P(X = 10) = 0.107``: ``within``).

    Assumptions and reference: as :func:`funnel_limits_proportion`.
    """
    t = _check_target(target)
    if not (n > 0 and 0 <= successes <= n) or successes != int(successes) or n != int(n):
        raise ValueError(f"need integers n > 0 and 0 <= successes <= n, got {successes!r}, {n!r}")
    upper_tail = float(stats.binom.sf(successes - 1, n, t))
    lower_tail = float(stats.binom.cdf(successes, n, t))
    return _position_code(upper_tail, lower_tail, levels)
