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
import statsmodels.api as sm
from numpy.typing import ArrayLike
from scipy import stats
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from trygghet.stats.rates import _check_level

__all__ = [
    "DECREASING",
    "INCREASING",
    "MIN_TOTAL_COUNT",
    "MIN_YEARS",
    "NO_CLEAR_CHANGE",
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

MIN_YEARS: int = 3
"""Fewer years than this give ``too_few``: two points fit any line exactly and
leave no residual degree of freedom to check overdispersion."""

MIN_TOTAL_COUNT: int = 10
"""A total count (all years together) below this gives ``too_few``.

A judgement, not a published rule: with fewer than ten events over the whole
period (two a year over five years) the Wald interval for the slope is
unreliable and the test has almost no power, so any verdict other than
"too few to say" would mislead. Pass ``min_total`` to change it.
"""


@dataclass(frozen=True, slots=True)
class PoissonTrendResult:
    """Annual rate ratio from a Poisson (or quasi-Poisson) log-linear trend.

    ``rate_ratio`` is the multiplicative change per year (1.05 = +5 % a year);
    ``dispersion`` is Pearson chi-square / residual df from the Poisson fit and
    ``quasi`` says whether the standard errors were scaled by it.
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


def poisson_trend(
    years: ArrayLike,
    counts: ArrayLike,
    exposure: ArrayLike | None = None,
    *,
    level: float = 0.95,
    alpha: float = 0.05,
    min_total: int = MIN_TOTAL_COUNT,
    min_years: int = MIN_YEARS,
) -> PoissonTrendResult:
    """Log-linear Poisson trend of yearly counts, optionally per population.

    Method: Poisson GLM ``log E[count_t] = a + b * year_t (+ log exposure_t)``
    fitted by statsmodels (IRLS); years are centred before fitting (this does
    not change ``b``). The annual rate ratio is ``exp(b)`` with a Wald interval;
    the p-value is the likelihood-ratio test of ``b = 0`` (deviance difference
    against the intercept-only model, chi-square with 1 df), which unlike the
    Wald test stays valid when all events fall in the last years (the MLE then
    diverges: ratio very large, interval 0 to inf, but a small p-value).
    With ``exposure`` (population per year) the model is for the rate, so a
    growing population alone does not count as an increase.

    Overdispersion: the dispersion ``phi = Pearson chi2 / residual df`` is
    computed from the Poisson fit. When ``phi > 1`` the model is refitted as
    quasi-Poisson: same estimates, standard errors times ``sqrt(phi)`` and a
    t-based interval with the residual df, and the p-value from the F test
    ``(D0 - D1) / phi`` on (1, residual df), as R's
    ``glm(family = quasipoisson)`` with ``anova(..., test = "F")`` does. When ``phi <= 1`` the Poisson standard
    errors are kept (never shrunk below Poisson). With only three or four years
    ``phi`` itself is very uncertain; the rule is a guard, not a diagnosis.

    Verdict: ``too_few`` when fewer than ``min_years`` years or a total count
    below ``min_total`` (see :data:`MIN_YEARS`, :data:`MIN_TOTAL_COUNT`);
    otherwise ``increasing``/``decreasing`` when the two-sided p-value is below
    ``alpha`` and the ratio is above/below 1, else ``no_clear_change``.
    Estimates are still returned with ``too_few`` when a fit was possible.

    Assumptions: a constant multiplicative change per year (log-linear), years
    independent given the trend, counts Poisson (or Poisson with constant
    overdispersion). Missing years are simply absent (gaps are allowed).

    Reference: McCullagh & Nelder (1989), ch. 6 and 9.
    """
    level = _check_level(level)
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
    model = sm.GLM(y, design, family=sm.families.Poisson(), offset=offset)
    null_model = sm.GLM(y, design[:, :1], family=sm.families.Poisson(), offset=offset)
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        # Raised for exact fits and for counts that are zero in all early (or late)
        # years; the estimates are still the MLE (or diverge, giving 0/inf limits).
        # errstate: statsmodels divides by the residual df, which is 0 for two years.
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        fit = model.fit()
        null_deviance = float(null_model.fit().deviance)
    df_resid = n_years - 2
    dispersion = float(fit.pearson_chi2 / df_resid) if df_resid > 0 else np.nan
    quasi = bool(df_resid > 0 and dispersion > 1.0)
    beta = float(fit.params[1])
    lr = max(null_deviance - float(fit.deviance), 0.0)
    if quasi:
        se = float(fit.bse[1]) * np.sqrt(dispersion)
        crit = float(stats.t.ppf(1 - (1 - level) / 2, df_resid))
        p_value = float(stats.f.sf(lr / dispersion, 1, df_resid))
    else:
        se = float(fit.bse[1])
        crit = float(stats.norm.ppf(1 - (1 - level) / 2))
        p_value = float(stats.chi2.sf(lr, 1))
    ratio = float(np.exp(beta))
    with np.errstate(over="ignore"):
        low, high = float(np.exp(beta - crit * se)), float(np.exp(beta + crit * se))

    if n_years < min_years or total < min_total:
        verdict = TOO_FEW
    elif p_value < alpha:
        verdict = INCREASING if ratio > 1 else DECREASING
    else:
        verdict = NO_CLEAR_CHANGE
    return PoissonTrendResult(
        ratio, low, high, p_value, verdict, n_years, total, dispersion, quasi, level
    )


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
