"""Tests for trygghet.stats.baseline against hand-computed Poisson and NB tails."""

from __future__ import annotations

import math

import pytest

from trygghet.stats.baseline import (
    NEGATIVE_BINOMIAL,
    POISSON,
    expected_interval,
    flag_elevated,
)


def _poisson_cdf(k: int, mean: float) -> float:
    return math.exp(-mean) * sum(mean**j / math.factorial(j) for j in range(k + 1))


def _nbinom_pmf(k: int, size: float, prob: float) -> float:
    log_coef = math.lgamma(k + size) - math.lgamma(k + 1) - math.lgamma(size)
    return math.exp(log_coef + size * math.log(prob) + k * math.log(1 - prob))


def test_flag_elevated_poisson_mean_2_observed_6() -> None:
    r = flag_elevated(6, [2, 2, 2])
    assert r.distribution == POISSON
    assert r.expected == pytest.approx(2.0)
    assert r.p_value == pytest.approx(0.01656, abs=1e-5)
    assert r.p_value == pytest.approx(1 - _poisson_cdf(5, 2.0))
    # F(4) = 0.947 < 0.95 <= F(5) = 0.983: upper limit 5.
    assert r.upper == 5
    assert r.elevated


def test_flag_elevated_not_elevated_at_5() -> None:
    r = flag_elevated(5, [1, 2, 3])  # mean 2, variance 1 <= mean: Poisson
    assert r.distribution == POISSON
    assert r.p_value == pytest.approx(1 - _poisson_cdf(4, 2.0))  # 0.0527
    assert not r.elevated


def test_elevated_iff_p_at_most_alpha() -> None:
    for history in ([2, 2, 2], [0, 4, 2, 6], [10, 14, 9, 12, 11]):
        for observed in range(0, 30):
            r = flag_elevated(observed, history, alpha=0.05)
            assert r.elevated == (r.p_value <= 0.05)
            assert r.elevated == (observed > r.upper)


def test_negative_binomial_method_of_moments_hand_tail() -> None:
    # History 0, 4, 2, 6: mean 3, sample variance 20/3 > 3 -> NB with
    # size r = 9 / (20/3 - 3) = 27/11 and prob r / (r + 3) = 0.45.
    size, prob = 27 / 11, 0.45
    p_ge_10 = 1 - sum(_nbinom_pmf(k, size, prob) for k in range(10))
    r = flag_elevated(10, [0, 4, 2, 6])
    assert r.distribution == NEGATIVE_BINOMIAL
    assert r.p_value == pytest.approx(p_ge_10, rel=1e-9)
    interval = expected_interval([0, 4, 2, 6])
    assert interval.size == pytest.approx(size)
    assert interval.variance == pytest.approx(20 / 3)
    # The NB interval is wider than the Poisson one with the same mean.
    poisson_high = expected_interval([3, 3, 3, 3]).high
    assert interval.high > poisson_high


def test_expected_interval_poisson_quantiles() -> None:
    e = expected_interval([2, 2, 2])
    # F(0) = 0.135 >= 0.025 -> low 0; F(4) = 0.947 < 0.975 <= F(5) -> high 5.
    assert (e.low, e.high) == (0, 5)
    assert e.expected == 2.0 and e.n_history == 3 and e.distribution == POISSON


def test_history_edge_cases() -> None:
    zero = flag_elevated(1, [0, 0, 0])
    assert zero.p_value == 0.0 and zero.elevated  # documented degenerate case
    assert flag_elevated(0, [3, 4]).p_value == 1.0
    with pytest.raises(ValueError):
        expected_interval([])
    with pytest.raises(ValueError):
        flag_elevated(-1, [1, 2])
