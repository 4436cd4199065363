"""Expected level of a weekly count from the same weeks in earlier periods.

The EST weekly lägesbild asks "is this week's number of reports unusual?". The
answer here compares the week's count with the counts of the same (and
neighbouring) calendar weeks in earlier years, which removes seasonality
without a model: the caller picks the history (for example weeks w-3..w+3 of
the last three years), these functions turn it into an expected value, a
prediction interval for one new week, and an upper-tail p-value.

Method: the history is summarised by its mean ``m`` and sample variance
``s^2``. If ``s^2 <= m`` the new count is taken as Poisson(m); if ``s^2 > m``
(overdispersed history) as negative binomial with the same mean and variance
(method of moments: size ``r = m^2 / (s^2 - m)``, success probability
``r / (r + m)``). Any excess of variance over the mean switches to the negative
binomial: this only widens the interval, so it errs towards fewer alarms.

Assumptions: history weeks are exchangeable with the current week apart from
chance (no trend, no change in reporting practice); the plug-in distribution
ignores the uncertainty of ``m`` itself, so with few history weeks the
interval is somewhat too narrow (Farrington et al. 1996 correct for this and
for trend; this is the simple version). A history of all zeros gives a
degenerate Poisson(0): any count of 1 or more then has p = 0 and is flagged.

References
----------
- Farrington C.P., Andrews N.J., Beale A.D., Catchpole M.A. (1996). A
  statistical algorithm for the early detection of outbreaks of infectious
  disease. J Royal Statistical Society A 159:547-563 (baseline from the same
  weeks of earlier years).
- Noufaily A. et al. (2013). An improved algorithm for outbreak detection in
  multiple surveillance systems. Statistics in Medicine 32:1206-1222
  (negative-binomial thresholds).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from trygghet.stats.rates import _check_count, _check_level

__all__ = [
    "NEGATIVE_BINOMIAL",
    "POISSON",
    "ElevatedResult",
    "ExpectedInterval",
    "expected_interval",
    "flag_elevated",
]

POISSON = "poisson"
NEGATIVE_BINOMIAL = "negative_binomial"


@dataclass(frozen=True, slots=True)
class ExpectedInterval:
    """Expected count and prediction interval for one new week.

    ``low`` and ``high`` are integer quantiles of the predictive distribution
    (``(1-level)/2`` and ``(1+level)/2``); the interval covers at least
    ``level`` of that distribution. ``size`` is the negative-binomial size
    parameter (NaN when Poisson).
    """

    expected: float
    variance: float
    low: int
    high: int
    distribution: str
    size: float
    n_history: int
    level: float


def _history(history_counts: ArrayLike) -> np.ndarray:
    h = np.asarray(history_counts, dtype=float).ravel()
    h = h[~np.isnan(h)]
    if h.size == 0:
        raise ValueError("history_counts must hold at least one count")
    if np.any(~np.isfinite(h) | (h < 0) | (h != np.round(h))):
        raise ValueError("history_counts must be non-negative integers")
    return h


def _predictive(h: np.ndarray) -> tuple[stats.rv_discrete, float, float, str, float]:
    """Frozen predictive distribution, mean, variance, name, NB size."""
    mean = float(h.mean())
    var = float(h.var(ddof=1)) if h.size > 1 else 0.0
    if var > mean > 0:
        size = mean * mean / (var - mean)
        return stats.nbinom(size, size / (size + mean)), mean, var, NEGATIVE_BINOMIAL, size
    return stats.poisson(mean), mean, var, POISSON, np.nan


def expected_interval(history_counts: ArrayLike, level: float = 0.95) -> ExpectedInterval:
    """Expected count and prediction interval for one new observation.

    Method, assumptions and references: see the module docstring (Poisson, or
    negative binomial by method of moments when the history's sample variance
    exceeds its mean; Farrington et al. 1996). Missing history values (NaN)
    are dropped; ``variance`` is the sample variance (ddof 1; 0 for one value).
    """
    level = _check_level(level)
    h = _history(history_counts)
    dist, mean, var, name, size = _predictive(h)
    tail = (1.0 - level) / 2.0
    low, high = dist.ppf(tail), dist.ppf(1.0 - tail)
    return ExpectedInterval(mean, var, int(low), int(high), name, size, int(h.size), level)


@dataclass(frozen=True, slots=True)
class ElevatedResult:
    """Is this week's count above what earlier periods lead us to expect?

    ``upper`` is the largest count that is *not* flagged (the ``1 - alpha``
    quantile of the predictive distribution); ``elevated`` is True exactly
    when ``observed > upper``, which is the same as ``p_value <= alpha``.
    The presentation layer shows ``elevated`` as "förhöjt".
    """

    observed: int
    expected: float
    upper: int
    p_value: float
    elevated: bool
    distribution: str
    n_history: int
    alpha: float


def flag_elevated(observed: int, history_counts: ArrayLike, alpha: float = 0.05) -> ElevatedResult:
    """One-sided test of whether ``observed`` is unusually high given the history.

    Method: ``p_value = P(X >= observed)`` under the predictive distribution of
    :func:`expected_interval` (Poisson or method-of-moments negative binomial);
    ``upper`` is its ``1 - alpha`` quantile and ``elevated = observed > upper``
    (equivalently ``p_value <= alpha``).

    Example: history mean 2 (no overdispersion), observed 6:
    ``P(X >= 6) = 0.01656`` -> elevated at alpha 0.05; ``upper`` is 5.

    Assumptions: see the module docstring. Note that the test is per week and
    per category; many categories over many weeks will flag some by chance.

    Reference: Farrington et al. (1996).
    """
    obs = _check_count(observed, "observed")
    a = float(alpha)
    if not 0.0 < a < 1.0:
        raise ValueError(f"alpha must be strictly between 0 and 1, got {alpha!r}")
    h = _history(history_counts)
    dist, mean, _, name, _ = _predictive(h)
    p_value = float(dist.sf(obs - 1)) if obs > 0 else 1.0
    upper = int(dist.ppf(1.0 - a))
    return ElevatedResult(obs, mean, upper, p_value, obs > upper, name, int(h.size), a)
