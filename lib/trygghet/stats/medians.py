"""The median and its distribution-free confidence interval (binomial order statistics).

No normality is assumed: the interval's ends are order statistics of the data,
chosen so that the exact coverage is at least the level. Below the smallest
sample that can reach the level there is no interval, and callers must say the
value cannot be judged rather than show ``[min, max]`` (whose coverage for
n = 5 is 93,75 %, for n = 3 only 75 %).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

__all__ = ["median_ci", "median_ci_rank"]


def median_ci(values: list[float], level: float = 0.95) -> tuple[float, float, float]:
    """Median with a distribution-free interval from binomial order statistics.

    The interval is ``[x_(k), x_(n+1-k)]`` with the largest ``k`` whose exact
    coverage ``P(k <= B <= n-k)``, ``B ~ Bin(n, 1/2)``, is at least ``level``.
    Below the smallest ``n`` where even ``[min, max]`` reaches it (coverage
    ``1 - 2 * 0.5**n``: n = 6 for 95 %) there is no such interval, and the
    bounds are NaN (the median alone, which the status rule cannot judge).
    """
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    if n == 0:
        return math.nan, math.nan, math.nan
    med = float(np.median(x))
    k = median_ci_rank(n, level)
    if k == 0:
        return med, math.nan, math.nan
    return med, float(x[k - 1]), float(x[n - k])


def median_ci_rank(n: int, level: float = 0.95) -> int:
    """The largest ``k`` with coverage of ``[x_(k), x_(n+1-k)]`` at least ``level``; 0 if none."""
    k = 0
    while k + 1 <= (n + 1) // 2 and 1 - 2 * stats.binom.cdf(k, n, 0.5) >= level:
        k += 1
    return k
