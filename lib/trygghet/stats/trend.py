"""Trend tests for yearly counts and other short series.

"Trends tested, not eyeballed": a kommun's count of, say, reported drug crimes
over five to ten years is summarised by an annual rate ratio with a confidence
interval and a verdict code, and a short series of any measure can be checked
with the distribution-free Mann-Kendall test.

Verdict codes (string constants, shown in Swedish by the presentation layer):
``"increasing"``, ``"decreasing"``, ``"no_clear_change"``, ``"too_few"``.

References
----------
- McCullagh P., Nelder J.A. (1989). Generalized Linear Models, 2nd ed.,
  Chapman & Hall: Poisson log-linear model with offset (ch. 6) and the
  moment (Pearson) estimate of dispersion, quasi-likelihood (ch. 9).
- Venzon D.J., Moolgavkar S.H. (1988). A method for computing
  profile-likelihood-based confidence intervals. Applied Statistics 37:87-94.
- Mann H.B. (1945). Nonparametric tests against trend. Econometrica 13:245-259.
- Kendall M.G. (1975). Rank Correlation Methods, 4th ed. Griffin.
- Gilbert R.O. (1987). Statistical Methods for Environmental Pollution
  Monitoring. Van Nostrand Reinhold, section 16.4 (variance of S with ties,
  continuity-corrected normal approximation).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize, stats

# The GLM and its family from their own modules: ``statsmodels.api`` imports all of
# statsmodels (formulas, time series, …), 0,6 s of every report kernel's start.
from statsmodels.genmod.families import Poisson
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from trygghet.stats.rates import _check_level

__all__ = [
    "DECREASING",
    "INCREASING",
    "MIN_TOTAL_COUNT",
    "MIN_YEARS",
    "NO_CLEAR_CHANGE",
    "PROFILE_LR",
    "PROFILE_QUASI_F",
    "TOO_FEW",
    "VERDICTS",
    "MannKendallResult",
    "PoissonTrendResult",
    "mann_kendall",
    "poisson_trend",
]

INCREASING = "increasing"
DECREASING = "decreasing"
NO_CLEAR_CHANGE = "no_clear_change"
TOO_FEW = "too_few"
VERDICTS: tuple[str, ...] = (INCREASING, DECREASING, NO_CLEAR_CHANGE, TOO_FEW)

#: Interval methods (``PoissonTrendResult.interval_method``): the profile-likelihood
#: interval that inverts the likelihood-ratio test, and its quasi-Poisson version
#: that inverts the F test (deviance difference scaled by the dispersion).
PROFILE_LR = "profile_likelihood_ratio"
PROFILE_QUASI_F = "profile_quasi_likelihood_f"

MIN_YEARS: int = 3
"""Fewer years than this give ``too_few``: two points fit any line exactly and
leave no residual degree of freedom to check overdispersion."""

MIN_TOTAL_COUNT: int = 10
"""A total count (all years together) below this gives ``too_few``.

A judgement, not a published rule: with fewer than ten events over the whole
period (two a year over five years) the test has almost no power, so any verdict other than
"too few to say" would mislead. Pass ``min_total`` to change it.
"""


@dataclass(frozen=True, slots=True)
class PoissonTrendResult:
    """Annual rate ratio from a Poisson (or quasi-Poisson) log-linear trend.

    ``rate_ratio`` is the multiplicative change per year (1.05 = +5 % a year);
    ``dispersion`` is Pearson chi-square / residual df from the Poisson fit and
    ``quasi`` says whether the test and the interval were scaled by it.
    ``low``/``high`` come from the same test as ``p_value`` and ``verdict``
    (``interval_method``), so a verdict of change holds exactly when the
    interval excludes 1.
    """

    rate_ratio: float
    low: float
    high: float
    p_value: float
    verdict: str
    n_years: int
    total_count: int
    dispersion: float
    quasi: bool
    level: float
    interval_method: str = PROFILE_LR


def poisson_trend(
    years: ArrayLike,
    counts: ArrayLike,
    exposure: ArrayLike | None = None,
    *,
    level: float = 0.95,
    alpha: float | None = None,
    min_total: int = MIN_TOTAL_COUNT,
    min_years: int = MIN_YEARS,
) -> PoissonTrendResult:
    """Log-linear Poisson trend of yearly counts, optionally per population.

    Method: Poisson GLM ``log E[count_t] = a + b * year_t (+ log exposure_t)``
    fitted by statsmodels (IRLS); years are centred before fitting (this does
    not change ``b``). The annual rate ratio is ``exp(b)``. The p-value is the
    likelihood-ratio test of ``b = 0`` (deviance difference against the
    intercept-only model, chi-square with 1 df), which unlike the Wald test
    stays valid when all events fall in the last years. The interval is the
    **profile-likelihood interval** that inverts that same test: every ``b``
    whose profile deviance ``D(b)`` (the intercept refitted for that ``b``) is
    within ``chi2_{1, level}`` of the minimum. A verdict of change therefore
    holds exactly when the interval excludes 1 (no change), which a Wald
    interval beside a likelihood-ratio test does not guarantee. When all
    events fall in the last (first) year the estimate diverges: the upper
    (lower) limit is then infinite (zero), the other limit is finite.
    With ``exposure`` (population per year) the model is for the rate, so a
    growing population alone does not count as an increase.

    Overdispersion: the dispersion ``phi = Pearson chi2 / residual df`` is
    computed from the Poisson fit. When ``phi > 1`` the model is treated as
    quasi-Poisson: same estimate, the p-value from the F test
    ``(D0 - D1) / phi`` on (1, residual df), as R's ``glm(family =
    quasipoisson)`` with ``anova(..., test = "F")`` does, and the interval its
    inversion: every ``b`` with ``(D(b) - D1) / phi <= F_{1, df, level}``
    (the quasi-likelihood profile interval with ``phi`` held fixed, i.e. the
    signed root compared with the t quantile). When ``phi <= 1`` the Poisson
    test and interval are kept (never shrunk below Poisson). With only three
    or four years ``phi`` itself is very uncertain; the rule is a guard, not a
    diagnosis.

    Verdict: ``too_few`` when fewer than ``min_years`` years or a total count
    below ``min_total`` (see :data:`MIN_YEARS`, :data:`MIN_TOTAL_COUNT`);
    otherwise ``increasing``/``decreasing`` when the test rejects ``b = 0`` at
    ``alpha = 1 - level`` (equivalently: the interval excludes 1) and the ratio
    is above/below 1, else ``no_clear_change``. ``alpha`` may be given only
    as ``1 - level``: a verdict at another level than its interval is the
    contradiction this function exists to avoid. Estimates are still returned
    with ``too_few`` when a fit was possible.

    Assumptions: a constant multiplicative change per year (log-linear), years
    independent given the trend, counts Poisson (or Poisson with constant
    overdispersion). Missing years are simply absent (gaps are allowed).

    Reference: McCullagh & Nelder (1989), ch. 6 and 9; Venzon & Moolgavkar (1988).
    """
    level = _check_level(level)
    if alpha is not None and abs(float(alpha) - (1.0 - level)) > 1e-9:
        raise ValueError(
            f"alpha must be 1 - level ({1.0 - level:g}), got {alpha!r}: the verdict and "
            "the interval come from the same test"
        )
    x = np.asarray(years, dtype=float).ravel()
    y = np.asarray(counts, dtype=float).ravel()
    if x.shape != y.shape:
        raise ValueError("years and counts must have the same length")
    if np.any(~np.isfinite(x)):
        raise ValueError("years must be finite numbers")
    if np.any(~np.isfinite(y) | (y < 0) | (y != np.round(y))):
        raise ValueError("counts must be non-negative integers")
    if len(np.unique(x)) != x.size:
        raise ValueError("years must not repeat")
    offset = None
    if exposure is not None:
        e = np.asarray(exposure, dtype=float).ravel()
        if e.shape != x.shape or np.any(~np.isfinite(e) | (e <= 0)):
            raise ValueError("exposure must be positive, one value per year")
        offset = np.log(e)
    n_years, total = int(x.size), int(y.sum())
    nan_result = PoissonTrendResult(
        np.nan, np.nan, np.nan, np.nan, TOO_FEW, n_years, total, np.nan, False, level
    )
    if n_years < 2 or total == 0 or np.ptp(x) == 0:
        return nan_result

    design = np.column_stack([np.ones_like(x), x - x.mean()])
    model = GLM(y, design, family=Poisson(), offset=offset)
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        # Raised for exact fits and for counts that are zero in all early (or late)
        # years; the estimates are still the MLE (or diverge, handled below).
        # errstate: statsmodels divides by the residual df, which is 0 for two years.
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        fit = model.fit()
    df_resid = n_years - 2
    dispersion = float(fit.pearson_chi2 / df_resid) if df_resid > 0 else np.nan
    quasi = bool(df_resid > 0 and dispersion > 1.0)
    xc = x - x.mean()
    profile = _ProfileDeviance(xc, y, np.zeros_like(x) if offset is None else offset)
    beta = float(fit.params[1])
    lr = max(profile(0.0) - profile.minimum(beta), 0.0)
    if quasi:
        cutoff = dispersion * float(stats.f.ppf(level, 1, df_resid))
        p_value = float(stats.f.sf(lr / dispersion, 1, df_resid))
        method = PROFILE_QUASI_F
    else:
        cutoff = float(stats.chi2.ppf(level, 1))
        p_value = float(stats.chi2.sf(lr, 1))
        method = PROFILE_LR
    changed = lr > cutoff
    low_b, high_b = profile.interval(beta, cutoff, changed)
    ratio = float(np.exp(beta))
    with np.errstate(over="ignore"):
        low, high = float(np.exp(low_b)), float(np.exp(high_b))
    # Floating-point guard: a limit a hair's breadth from b = 0 must not round to 1.
    if changed and beta > 0 and low <= 1.0:
        low = float(np.nextafter(1.0, 2.0))
    if changed and beta < 0 and high >= 1.0:
        high = float(np.nextafter(1.0, 0.0))

    if n_years < min_years or total < min_total:
        verdict = TOO_FEW
    elif changed:
        verdict = INCREASING if beta > 0 else DECREASING
    else:
        verdict = NO_CLEAR_CHANGE
    return PoissonTrendResult(
        ratio, low, high, p_value, verdict, n_years, total, dispersion, quasi, level, method
    )


class _ProfileDeviance:
    """Poisson deviance of the log-linear trend at slope ``b``, the intercept at its MLE.

    For fixed ``b`` the intercept has a closed form (the fitted total equals the
    observed total), so ``mu_t = Y exp(b x_t + o_t) / sum_s exp(b x_s + o_s)`` and
    ``D(b) = 2 sum_t y_t log(y_t / mu_t)``, computed with log-sum-exp. ``D`` is
    convex in ``b``; it stays bounded as ``b -> +inf`` (``-inf``) only when every
    event falls in the last (first) year, where the MLE diverges.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, offset: np.ndarray) -> None:
        self.x, self.y, self.offset = x, y, offset
        self.total = float(y.sum())
        self.positive = y > 0
        years_with_events = x[self.positive]
        self.diverges_up = bool(np.all(years_with_events == x.max()))
        self.diverges_down = bool(np.all(years_with_events == x.min()))

    def __call__(self, b: float) -> float:
        eta = b * self.x + self.offset
        top = eta.max()
        log_mu = np.log(self.total) + eta - (top + np.log(np.exp(eta - top).sum()))
        pos = self.positive
        return float(2.0 * np.sum(self.y[pos] * (np.log(self.y[pos]) - log_mu[pos])))

    def minimum(self, beta: float) -> float:
        """``D`` at the MLE: 0 in the limit when the estimate diverges (a perfect fit)."""
        if self.diverges_up or self.diverges_down:
            return 0.0
        return min(self(beta), self(0.0))

    def _root(self, g, inner: float, direction: float, bounded: bool) -> float:
        """The root of ``g`` outward from ``inner`` (where ``g <= 0``) in ``direction``."""
        if bounded:
            return direction * np.inf
        scale = 1.0 / max(float(np.ptp(self.x)), 1.0)
        step = scale
        outer = inner + direction * step
        for _ in range(200):  # D grows without bound on this side, so this ends
            if g(outer) > 0:
                break
            inner, step = outer, step * 2.0
            outer = inner + direction * step
        else:  # pragma: no cover - numerically flat deviance
            return direction * np.inf
        a, b = sorted((inner, outer))
        return float(optimize.brentq(g, a, b, xtol=1e-14, rtol=4 * np.finfo(float).eps))

    def interval(self, beta: float, cutoff: float, changed: bool) -> tuple[float, float]:
        """The set ``{b : D(b) - D_min <= cutoff}`` (an interval, ``D`` being convex).

        ``b = 0`` is used as one end of the bracket on its side, so the limits
        fall on the same side of 0 as the test says: inside when ``changed``
        is False, outside when it is True.
        """
        d_min = self.minimum(beta)

        def g(b: float) -> float:
            return self(b) - d_min - cutoff

        if self.diverges_up:
            beta = np.inf
        elif self.diverges_down:
            beta = -np.inf
        limits = []
        for direction, bounded in ((-1.0, self.diverges_down), (1.0, self.diverges_up)):
            toward_zero = (beta > 0) == (direction < 0)  # 0 lies on this side of beta
            if toward_zero and changed:
                # The limit lies strictly between 0 and beta: g(0) > 0 >= g(near beta).
                near = self._inside_point(g, beta, direction)
                a, b = sorted((0.0, near))
                limits.append(
                    float(optimize.brentq(g, a, b, xtol=1e-14, rtol=4 * np.finfo(float).eps))
                )
            elif toward_zero:
                limits.append(self._root(g, 0.0, direction, bounded))
            else:
                start = self._inside_point(g, beta, -direction)
                limits.append(self._root(g, start, direction, bounded))
        return limits[0], limits[1]

    def _inside_point(self, g, beta: float, toward: float) -> float:
        """A point with ``g <= 0`` (inside the interval), near the estimate.

        For a finite estimate that is the estimate itself; for a diverging one
        a large finite slope with a deviance below the cutoff, found by walking
        away from 0 (the side is given by ``toward``, the direction of 0).
        """
        if np.isfinite(beta):
            return float(beta)
        direction = -toward  # away from 0, towards the diverging estimate
        point = direction / max(float(np.ptp(self.x)), 1.0)
        for _ in range(200):
            if g(point) <= 0:
                return point
            point *= 2.0
        return point  # pragma: no cover


@dataclass(frozen=True, slots=True)
class MannKendallResult:
    """Mann-Kendall trend test: statistic S, Kendall's tau-a, variance, z, p."""

    s: int
    tau: float
    var_s: float
    z: float
    p_value: float
    n: int


def mann_kendall(values: ArrayLike) -> MannKendallResult:
    """Mann-Kendall test for a monotonic trend in a series in time order.

    Method: ``S = sum_{i<j} sign(x_j - x_i)``;
    ``Var(S) = [n(n-1)(2n+5) - sum_g t_g(t_g-1)(2t_g+5)] / 18`` with ``t_g`` the
    size of each group of tied values; ``z = (S - 1)/sqrt(Var S)`` for S > 0,
    ``(S + 1)/sqrt(Var S)`` for S < 0, 0 for S = 0 (continuity correction); the
    p-value is two-sided from the standard normal. ``tau = S / (n(n-1)/2)``
    (Kendall's tau-a, as in most Mann-Kendall software).

    Missing values (NaN) are dropped, keeping the order of the rest. With fewer
    than 3 values the p-value is NaN.

    Assumptions: observations independent (no autocorrelation, no seasonality;
    use one value per year or deseasonalised data); the normal approximation
    is rough for n below about 10, where Gilbert recommends exact tables.

    Reference: Mann (1945); Kendall (1975); Gilbert (1987), section 16.4.
    """
    x = np.asarray(values, dtype=float).ravel()
    x = x[~np.isnan(x)]
    n = int(x.size)
    diffs = np.sign(x[None, :] - x[:, None])
    s = int(np.triu(diffs, k=1).sum())
    pairs = n * (n - 1) / 2
    tau = s / pairs if pairs > 0 else np.nan
    _, tie_sizes = np.unique(x, return_counts=True)
    ties = float(np.sum(tie_sizes * (tie_sizes - 1) * (2 * tie_sizes + 5)))
    var_s = (n * (n - 1) * (2 * n + 5) - ties) / 18.0
    if n < 3 or var_s <= 0:
        return MannKendallResult(s, float(tau), float(var_s), np.nan, np.nan, n)
    if s > 0:
        z = (s - 1) / np.sqrt(var_s)
    elif s < 0:
        z = (s + 1) / np.sqrt(var_s)
    else:
        z = 0.0
    p_value = float(2 * stats.norm.sf(abs(z)))
    return MannKendallResult(s, float(tau), float(var_s), float(z), p_value, n)
