"""Tests for trygghet.stats.trend against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats

from trygghet.stats.trend import (
    DECREASING,
    INCREASING,
    NO_CLEAR_CHANGE,
    TOO_FEW,
    mann_kendall,
    poisson_trend,
)


def test_poisson_trend_exact_doubling_hand_values() -> None:
    # Counts 10, 20, 40 fit exp(a + b x) exactly: b = ln 2, deviance 0.
    # Fisher information with x = 0, 1, 2 and mu = y: sum mu = 70,
    # sum mu x = 100, sum mu x^2 = 180 -> Var(b) = 70 / (70*180 - 100^2) = 70/2600.
    r = poisson_trend([2020, 2021, 2022], [10, 20, 40])
    se = math.sqrt(70 / 2600)
    assert r.rate_ratio == pytest.approx(2.0, rel=1e-8)
    assert r.low == pytest.approx(2 * math.exp(-1.959964 * se), rel=1e-5)  # 1.450
    assert r.high == pytest.approx(2 * math.exp(1.959964 * se), rel=1e-5)  # 2.759
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
    info = np.array([[mu.sum(), (mu * x).sum()], [(mu * x).sum(), (mu * x * x).sum()]])
    se = math.sqrt(np.linalg.inv(info)[1, 1] * phi)
    t = stats.t.ppf(0.975, 3)
    r = poisson_trend(years, y)
    assert phi > 1 and r.quasi
    assert r.dispersion == pytest.approx(phi, rel=1e-5)
    assert r.rate_ratio == pytest.approx(math.exp(b), rel=1e-5)
    assert r.low == pytest.approx(math.exp(b - t * se), rel=1e-4)
    assert r.high == pytest.approx(math.exp(b + t * se), rel=1e-4)
    mean = y.mean()
    d0 = 2 * np.sum(y * np.log(y / mean))
    d1 = 2 * np.sum(y * np.log(y / mu) - (y - mu))
    assert r.p_value == pytest.approx(stats.f.sf((d0 - d1) / phi, 1, 3), rel=1e-4)
    assert r.verdict == NO_CLEAR_CHANGE


def test_poisson_trend_all_events_late_is_increasing() -> None:
    # The Wald test fails here (estimate diverges); the likelihood-ratio test does not.
    r = poisson_trend([2020, 2021, 2022], [0, 0, 15])
    assert r.verdict == INCREASING
    assert r.p_value < 1e-6


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
