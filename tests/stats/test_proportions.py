"""Tests for trygghet.stats.proportions against hand-computed and published values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from trygghet.stats.proportions import (
    funnel_limits_proportion,
    funnel_position_proportion,
    p_chart_limits,
    two_proportion_test,
    weighted_share,
    weighted_two_proportion_test,
    wilson_ci,
)

Z95 = 1.959963984540054


def test_wilson_published_8_of_10() -> None:
    low, high = wilson_ci(8, 10)
    assert low == pytest.approx(0.490, abs=5e-4)
    assert high == pytest.approx(0.943, abs=5e-4)


def test_wilson_zero_successes_closed_form() -> None:
    # For x = 0 the Wilson upper limit is z^2 / (n + z^2).
    low, high = wilson_ci(0, 10)
    assert low == 0.0
    assert high == pytest.approx(Z95**2 / (10 + Z95**2))
    assert wilson_ci(10, 10)[0] == pytest.approx(1 - high)
    assert all(math.isnan(v) for v in wilson_ci(0, 0))
    with pytest.raises(ValueError):
        wilson_ci(11, 10)


def test_wilson_interval_always_contains_the_share() -> None:
    # At 0/n and n/n rounding put a bound 1e-16 outside: error bars p ± e then
    # got a negative e and matplotlib refused to draw (found in a 290-kommun run).
    for n in range(1, 400):
        for x in (0, 1, n // 2, n - 1, n):
            low, high = wilson_ci(x, n)
            assert low <= x / n <= high, (x, n)


def test_two_proportion_newcombe_published_example() -> None:
    # Newcombe (1998), Table II, example (a): 56/70 vs 48/80, method 10.
    r = two_proportion_test(56, 70, 48, 80)
    assert r.difference == pytest.approx(0.2)
    assert r.low == pytest.approx(0.0524, abs=5e-5)
    assert r.high == pytest.approx(0.3339, abs=5e-5)
    # Pooled z by hand: p = 104/150, se = sqrt(p(1-p)(1/70 + 1/80)).
    pooled = 104 / 150
    z = 0.2 / math.sqrt(pooled * (1 - pooled) * (1 / 70 + 1 / 80))
    assert r.p_value == pytest.approx(2 * stats.norm.sf(z))
    chi2 = stats.chi2_contingency([[56, 14], [48, 32]], correction=False)
    assert r.p_value == pytest.approx(chi2.pvalue)


def test_weighted_share_kish_hand_example() -> None:
    # share = (1 + 1 + 1) / 5; n_eff = 5^2 / (1 + 4 + 1 + 1) = 25/7; deff = 4 / (25/7).
    r = weighted_share([True, False, True, True], [1, 2, 1, 1])
    assert r.share == pytest.approx(0.6)
    assert r.n == 4
    assert r.n_eff == pytest.approx(25 / 7)
    assert r.deff == pytest.approx(1.12)
    low, high = wilson_ci(0.6 * 25 / 7, 25 / 7)
    assert (r.low, r.high) == (pytest.approx(low), pytest.approx(high))


def test_weighted_share_unit_weights_and_missing() -> None:
    values = [1, 1, 0, 1, 0, 1, 1, 1, 1, 1, np.nan]
    r = weighted_share(values)
    assert r.n == 10 and r.share == pytest.approx(0.8) and r.deff == pytest.approx(1.0)
    assert (r.low, r.high) == (pytest.approx(0.490, abs=5e-4), pytest.approx(0.943, abs=5e-4))
    with pytest.raises(ValueError):
        weighted_share([0, 2], [1, 1])


def test_weighted_two_proportion_with_unit_weights_equals_unweighted() -> None:
    a = [1] * 56 + [0] * 14
    b = [1] * 48 + [0] * 32
    w = weighted_two_proportion_test(a, None, b, np.ones(80))
    u = two_proportion_test(56, 70, 48, 80)
    assert w.difference == pytest.approx(u.difference)
    assert w.low == pytest.approx(u.low) and w.high == pytest.approx(u.high)
    assert w.p_value == pytest.approx(u.p_value)


def test_weighted_two_proportion_unequal_weights_is_wider() -> None:
    a = [1] * 56 + [0] * 14
    b = [1] * 48 + [0] * 32
    wa = np.where(np.arange(70) % 2 == 0, 1.0, 3.0)  # deff = 1.25 for alternating 1/3
    r = weighted_two_proportion_test(a, wa, b, None)
    u = two_proportion_test(56, 70, 48, 80)
    assert r.n1 == pytest.approx(70 / 1.25)
    assert r.p_value > u.p_value


def test_p_chart_hand_computation() -> None:
    x = pd.Series([5, 8, 2, 20], index=["jan", "feb", "mar", "apr"])
    n = [50, 60, 40, 55]
    out = p_chart_limits(x, n)
    c = 35 / 205
    assert list(out.index) == ["jan", "feb", "mar", "apr"]
    assert out["centre"].tolist() == pytest.approx([c] * 4)
    sd50 = math.sqrt(c * (1 - c) / 50)
    assert out.loc["jan", "lcl"] == pytest.approx(c - 3 * sd50)  # 0.01109
    assert out.loc["jan", "ucl"] == pytest.approx(c + 3 * sd50)  # 0.33037
    assert out.loc["mar", "lcl"] == 0.0  # c - 3 sqrt(c(1-c)/40) = -0.0078, clipped
    assert out.loc["apr", "p"] == pytest.approx(20 / 55)
    assert out["outside"].tolist() == [False, False, False, True]


def test_p_chart_given_centre_and_sigmas() -> None:
    out = p_chart_limits([1, 9], [10, 10], centre=0.5, sigmas=2)
    half = 2 * math.sqrt(0.25 / 10)
    assert out["lcl"].tolist() == pytest.approx([0.5 - half] * 2)
    assert out["outside"].tolist() == [True, True]


def test_funnel_limits_proportion_hand_binomial_10_half() -> None:
    # Bin(10, 0.5): F(1) = 11/1024, F(2) = 56/1024, F(7) = 968/1024, F(8) = 1013/1024.
    f1, f2, f7, f8 = 11 / 1024, 56 / 1024, 968 / 1024, 1013 / 1024
    upper = 8 - (f8 - 0.975) / (f8 - f7)
    lower = 2 - (f2 - 0.025) / (f2 - f1)
    lim = funnel_limits_proportion([10], 0.5).iloc[0]
    assert lim["upper_95"] == pytest.approx(upper / 10)  # 0.7676
    assert lim["lower_95"] == pytest.approx(lower / 10)  # 0.1324
    assert lim["lower_998"] <= lim["lower_95"] and lim["upper_998"] >= lim["upper_95"]


def test_funnel_position_proportion_exact_tails() -> None:
    # Bin(20, 0.8): P(X <= 12) = 0.032, P(X <= 11) = 0.0100, P(X <= 9) = 0.00056.
    assert funnel_position_proportion(12, 20, 0.8) == "within"
    assert funnel_position_proportion(11, 20, 0.8) == "below_95"
    assert funnel_position_proportion(9, 20, 0.8) == "below_998"
    # 10/10 against 0.8: P(X = 10) = 0.107, not unusual.
    assert funnel_position_proportion(10, 10, 0.8) == "within"
    assert funnel_position_proportion(10, 10, 0.3) == "above_998"
