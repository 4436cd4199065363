"""Tests for trygghet.stats.trend against hand-computed values and independent fits."""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import optimize, stats

from trygghet.stats.trend import (
    DECREASING,
    INCREASING,
    NO_CLEAR_CHANGE,
    PROFILE_LR,
    PROFILE_QUASI_F,
    TOO_FEW,
    mann_kendall,
    poisson_trend,
)


def brute_force_profile_interval(years, counts, exposure=None, level=0.95):
    """The profile-likelihood interval of exp(b) by brute force with statsmodels.

    For each trial slope b the intercept-only Poisson GLM is refitted with
    ``b * year`` in the offset (statsmodels' IRLS, nothing shared with the code
    under test); the limits are where its deviance exceeds the full fit's by
    the cutoff: chi2(1) for Poisson, phi * F(1, df) when the Pearson dispersion
    phi of the full fit is above 1 (quasi-Poisson). A diverging estimate (all
    events in the last year) has the perfect-fit deviance 0 as its minimum.
    """
    x = np.asarray(years, dtype=float)
    x = x - x.mean()
    y = np.asarray(counts, dtype=float)
    off = np.zeros_like(x) if exposure is None else np.log(np.asarray(exposure, dtype=float))
    full = sm.GLM(y, sm.add_constant(x), family=sm.families.Poisson(), offset=off).fit()
    df = len(x) - 2
    phi = full.pearson_chi2 / df if df > 0 else 0.0
    positive = x[y > 0]
    diverging = bool(np.all(positive == x.max()) or np.all(positive == x.min()))
    d_min = 0.0 if diverging else full.deviance
    cutoff = phi * stats.f.ppf(level, 1, df) if phi > 1 else stats.chi2.ppf(level, 1)

    def excess(b: float) -> float:
        null = sm.GLM(y, np.ones((len(x), 1)), family=sm.families.Poisson(), offset=off + b * x)
        return null.fit().deviance - d_min - cutoff

    centre = 0.0 if diverging else float(full.params[1])
    grid = np.linspace(centre - 4, centre + 4, 81)
    values = np.array([excess(b) for b in grid])
    inside = np.flatnonzero(values <= 0)
    lo_i, hi_i = inside[0], inside[-1]
    low = optimize.brentq(excess, grid[lo_i - 1], grid[lo_i], xtol=1e-12)
    high = (
        np.inf
        if hi_i == len(grid) - 1
        else optimize.brentq(excess, grid[hi_i], grid[hi_i + 1], xtol=1e-12)
    )
    return math.exp(low), (math.exp(high) if np.isfinite(high) else np.inf), phi > 1


def test_poisson_trend_exact_doubling_hand_values() -> None:
    # Counts 10, 20, 40 fit exp(a + b x) exactly: b = ln 2, deviance 0.
    r = poisson_trend([2020, 2021, 2022], [10, 20, 40])
    assert r.rate_ratio == pytest.approx(2.0, rel=1e-8)
    # Profile deviance by hand: for slope b the fitted counts are 70 w_t / sum w
    # with w_t = exp(b t); the limits are where 2 sum y log(y / mu) = chi2_1(0.95).
    y = np.array([10.0, 20.0, 40.0])

    def deviance(b: float) -> float:
        w = np.exp(b * np.arange(3))
        return float(2 * np.sum(y * np.log(y / (70 * w / w.sum()))))

    crit = stats.chi2.ppf(0.95, 1)
    low = math.exp(optimize.brentq(lambda b: deviance(b) - crit, 0.0, math.log(2)))
    high = math.exp(optimize.brentq(lambda b: deviance(b) - crit, math.log(2), 3.0))
    assert r.low == pytest.approx(low, rel=1e-6)  # 1.4638
    assert r.high == pytest.approx(high, rel=1e-6)  # 2.7925
    assert r.interval_method == PROFILE_LR
    # Likelihood-ratio p-value: null deviance 2 * sum y ln(y / mean) (full model: 0).
    mean = 70 / 3
    d0 = 2 * sum(y * math.log(y / mean) for y in (10, 20, 40))
    assert r.p_value == pytest.approx(stats.chi2.sf(d0, 1), rel=1e-4)
    assert r.verdict == INCREASING
    assert not r.quasi


def test_poisson_trend_rate_constant_with_growing_population() -> None:
    r = poisson_trend([2020, 2021, 2022], [10, 20, 40], exposure=[1000, 2000, 4000])
    assert r.rate_ratio == pytest.approx(1.0, abs=1e-8)
    assert r.p_value == pytest.approx(1.0, abs=1e-6)
    assert r.verdict == NO_CLEAR_CHANGE


def test_poisson_trend_decreasing() -> None:
    r = poisson_trend([2019, 2020, 2021, 2022], [40, 30, 22, 15])
    assert r.rate_ratio < 1 and r.verdict == DECREASING


def test_poisson_trend_quasi_poisson_against_independent_fit() -> None:
    years = np.array([2018, 2019, 2020, 2021, 2022], dtype=float)
    y = np.array([10, 30, 12, 40, 25], dtype=float)
    x = years - years.mean()

    def negloglik(theta: np.ndarray) -> float:
        eta = theta[0] + theta[1] * x
        return float(np.sum(np.exp(eta) - y * eta))

    fit = optimize.minimize(negloglik, x0=[np.log(y.mean()), 0.0], method="BFGS", tol=1e-12)
    a, b = fit.x
    mu = np.exp(a + b * x)
    phi = float(np.sum((y - mu) ** 2 / mu) / 3)
    r = poisson_trend(years, y)
    assert phi > 1 and r.quasi and r.interval_method == PROFILE_QUASI_F
    assert r.dispersion == pytest.approx(phi, rel=1e-5)
    assert r.rate_ratio == pytest.approx(math.exp(b), rel=1e-5)
    low, high, quasi = brute_force_profile_interval(years, y)
    assert quasi
    assert r.low == pytest.approx(low, rel=1e-4)
    assert r.high == pytest.approx(high, rel=1e-4)
    mean = y.mean()
    d0 = 2 * np.sum(y * np.log(y / mean))
    d1 = 2 * np.sum(y * np.log(y / mu) - (y - mu))
    assert r.p_value == pytest.approx(stats.f.sf((d0 - d1) / phi, 1, 3), rel=1e-4)
    assert r.verdict == NO_CLEAR_CHANGE


def test_poisson_trend_all_events_late_is_increasing() -> None:
    # The Wald test fails here (estimate diverges); the likelihood-ratio test does not,
    # and its profile interval has a finite lower limit above 1 and no upper limit.
    r = poisson_trend([2020, 2021, 2022], [0, 0, 15])
    assert r.verdict == INCREASING
    assert r.p_value < 1e-6
    low, high, _ = brute_force_profile_interval([2020, 2021, 2022], [0, 0, 15])
    assert r.low > 1 and r.low == pytest.approx(low, rel=1e-4)
    assert r.high == high == np.inf
    early = poisson_trend([2020, 2021, 2022], [15, 0, 0])
    assert early.verdict == DECREASING and early.low == 0.0
    assert early.high == pytest.approx(1 / r.low, rel=1e-6)


def test_planted_series_verdict_and_interval_agree() -> None:
    # Issue 16: this series printed "har minskat ... -53,3 % till +0,4 %" (an F-test
    # verdict beside a Wald/t interval). The interval now inverts the F test.
    years, counts, exposure = range(2019, 2025), [8, 12, 3, 5, 2, 1], [10000] * 6
    r = poisson_trend(years, counts, exposure)
    assert r.quasi and r.verdict == DECREASING and r.p_value < 0.05
    assert r.high < 1
    low, high, quasi = brute_force_profile_interval(years, counts, exposure)
    assert quasi
    assert r.low == pytest.approx(low, rel=1e-4)  # 0.4501
    assert r.high == pytest.approx(high, rel=1e-4)  # 0.9824


@pytest.mark.parametrize(
    ("counts", "exposure"),
    [
        ([40, 30, 22, 15], None),
        ([3, 7, 4, 9, 12, 10], [5000, 5100, 5150, 5200, 5300, 5350]),
        ([20, 25, 18, 30, 22, 28, 35], None),
        ([0, 2, 1, 5, 3, 6], [900, 900, 950, 950, 1000, 1000]),
    ],
)
def test_profile_interval_matches_statsmodels_brute_force(counts, exposure) -> None:
    years = list(range(2016, 2016 + len(counts)))
    r = poisson_trend(years, counts, exposure)
    low, high, quasi = brute_force_profile_interval(years, counts, exposure)
    assert r.quasi == quasi
    assert r.low == pytest.approx(low, rel=1e-4)
    assert r.high == pytest.approx(high, rel=1e-4)


def test_verdict_holds_exactly_when_the_interval_excludes_no_change() -> None:
    rng = np.random.default_rng(20261202)
    changed = unchanged = near = 0
    for _ in range(700):
        n = int(rng.integers(3, 11))
        years = np.arange(2024 - n, 2024)
        slope = rng.normal(0, 0.15)
        level = rng.uniform(1, 30)
        mean = level * np.exp(slope * (years - years.mean()))
        if rng.random() < 0.5:  # overdispersed: gamma-Poisson
            mean = rng.gamma(4.0, mean / 4.0)
        counts = rng.poisson(mean)
        exposure = rng.integers(3000, 60000, size=n) if rng.random() < 0.5 else None
        r = poisson_trend(years, counts, exposure, min_total=0, min_years=3)
        if r.verdict == TOO_FEW:  # nothing to fit (all counts zero)
            assert counts.sum() == 0
            continue
        excludes = r.low > 1 or r.high < 1
        assert (r.verdict in (INCREASING, DECREASING)) == excludes, (counts, exposure, r)
        if r.verdict == INCREASING:
            assert r.low > 1
        if r.verdict == DECREASING:
            assert r.high < 1
        assert r.low <= r.rate_ratio <= r.high or not np.isfinite(r.rate_ratio)
        if abs(r.p_value - 0.05) > 1e-9:
            assert (r.p_value < 0.05) == excludes
        changed += excludes
        unchanged += not excludes
        near += 0.02 < r.p_value < 0.10
    assert changed > 80 and unchanged > 80 and near > 20


def test_alpha_other_than_one_minus_level_is_refused() -> None:
    poisson_trend([2020, 2021, 2022], [10, 20, 40], alpha=0.05)
    with pytest.raises(ValueError, match="1 - level"):
        poisson_trend([2020, 2021, 2022], [10, 20, 40], alpha=0.01)


def test_poisson_trend_too_few() -> None:
    assert poisson_trend([2018, 2019, 2020, 2021, 2022], [1, 2, 1, 3, 2]).verdict == TOO_FEW
    assert poisson_trend([2021, 2022], [100, 200]).verdict == TOO_FEW
    assert poisson_trend([2020, 2021, 2022], [0, 0, 0]).verdict == TOO_FEW
    assert poisson_trend([2018, 2019, 2020, 2021, 2022], [1, 2, 1, 3, 2], min_total=5).verdict in (
        NO_CLEAR_CHANGE,
        INCREASING,
    )
    with pytest.raises(ValueError):
        poisson_trend([2020, 2021, 2022], [1, -1, 3])


def test_mann_kendall_hand_series_with_tie() -> None:
    # Pairs of [1, 3, 2, 4, 4]: 8 increases, 1 decrease, 1 tie -> S = 7.
    # Var S = (5*4*15 - 2*1*9) / 18 = 282/18; z = (7 - 1) / sqrt(Var S).
    r = mann_kendall([1, 3, 2, 4, 4])
    assert r.s == 7
    assert r.tau == pytest.approx(0.7)
    assert r.var_s == pytest.approx(282 / 18)
    assert r.z == pytest.approx(6 / math.sqrt(282 / 18))
    assert r.p_value == pytest.approx(0.1296, abs=1e-4)


def test_mann_kendall_monotone_and_missing() -> None:
    # n = 4 strictly increasing: S = 6, Var S = 4*3*13/18, z = 5 / sqrt(Var S).
    r = mann_kendall([1.0, np.nan, 2.0, 5.0, 9.0])
    assert r.n == 4 and r.s == 6 and r.tau == 1.0
    assert r.p_value == pytest.approx(2 * stats.norm.sf(5 / math.sqrt(156 / 18)))
    d = mann_kendall([9, 5, 2, 1])
    assert d.s == -6 and d.z == pytest.approx(-r.z)
    flat = mann_kendall([3, 3, 3, 3])
    assert flat.s == 0 and math.isnan(flat.p_value)
    assert math.isnan(mann_kendall([1, 2]).p_value)
