"""Tests for trygghet.stats.rates against hand-computed and published values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from trygghet.stats.rates import (
    FUNNEL_CODES,
    add_rates,
    funnel_limits,
    funnel_position,
    level_code,
    poisson_ci,
    rate_per_100k,
    rate_ratio_test,
)


def test_poisson_ci_published_value_count_10() -> None:
    low, high = poisson_ci(10)
    assert low == pytest.approx(4.795, abs=5e-4)
    assert high == pytest.approx(18.390, abs=5e-4)


def test_poisson_ci_closed_forms_for_0_and_1() -> None:
    # chi2 with 2 df has quantile -2 ln(1 - q), so for k = 0 the upper limit is
    # -ln(0.025) and for k = 1 the lower limit is -ln(0.975).
    assert poisson_ci(0) == (0.0, pytest.approx(-math.log(0.025)))
    assert poisson_ci(1)[0] == pytest.approx(-math.log(0.975))


def test_poisson_ci_defining_tail_property() -> None:
    low, high = poisson_ci(7, level=0.9)
    assert stats.poisson.sf(6, low) == pytest.approx(0.05)
    assert stats.poisson.cdf(7, high) == pytest.approx(0.05)


@pytest.mark.parametrize("bad", [-1, 2.5, float("nan")])
def test_poisson_ci_rejects_bad_counts(bad: float) -> None:
    with pytest.raises(ValueError):
        poisson_ci(bad)  # type: ignore[arg-type]


def test_rate_per_100k_hand_values_and_suppression() -> None:
    r = rate_per_100k(10, 6500)
    assert r.rate == pytest.approx(10 / 6500 * 1e5)
    assert r.low == pytest.approx(4.79539 / 6500 * 1e5, rel=1e-5)
    assert r.high == pytest.approx(18.39036 / 6500 * 1e5, rel=1e-5)
    assert not r.suppressed
    assert rate_per_100k(4, 6500).suppressed
    assert not rate_per_100k(5, 6500).suppressed
    assert not rate_per_100k(0, 6500).suppressed  # "fåtal" would be false for zero
    assert rate_per_100k(0, 6500, suppress_zero=True).suppressed
    assert not rate_per_100k(4, 6500, min_count=3).suppressed
    with pytest.raises(ValueError):
        rate_per_100k(3, 0)


def test_add_rates_matches_scalar_and_handles_missing() -> None:
    df = pd.DataFrame({"antal": [10, 3, np.nan, 0], "folk": [6500, 6500, 6500, 2000]})
    out = add_rates(df, "antal", "folk")
    assert list(df.columns) == ["antal", "folk"]  # input untouched
    ref = rate_per_100k(10, 6500)
    assert out.loc[0, "rate"] == pytest.approx(ref.rate)
    assert out.loc[0, "low"] == pytest.approx(ref.low)
    assert out.loc[0, "high"] == pytest.approx(ref.high)
    assert out["suppressed"].tolist() == [False, True, False, False]
    assert np.isnan(out.loc[2, "rate"]) and np.isnan(out.loc[2, "low"])
    assert out.loc[3, "low"] == 0.0
    assert out.loc[3, "high"] == pytest.approx(-math.log(0.025) / 2000 * 1e5)
    with pytest.raises(ValueError):
        add_rates(pd.DataFrame({"a": [-1], "p": [10]}), "a", "p")


def test_level_code() -> None:
    assert level_code(0.95) == "95"
    assert level_code(0.998) == "998"
    assert level_code(0.8) == "80"


def _poisson_cdf_2(k: int) -> float:
    """P(Y <= k) for Poisson(2), by hand: e^-2 * sum 2^j / j!."""
    return math.exp(-2) * sum(2**j / math.factorial(j) for j in range(k + 1))


def test_funnel_limits_hand_interpolation_expected_2() -> None:
    # Population 1000 at 200 per 100,000: expected count 2.
    # Upper 95 %: r = 5 (F(4) = 0.9473 < 0.975 <= F(5) = 0.9834),
    # alpha = (F(5) - 0.975) / (F(5) - F(4)); limit (5 - alpha) events.
    f4, f5 = _poisson_cdf_2(4), _poisson_cdf_2(5)
    upper_events = 5 - (f5 - 0.975) / (f5 - f4)
    # Lower 95 %: r = 0 (F(0) = 0.135 >= 0.025), 0 - alpha < 0 -> clipped to 0.
    lim = funnel_limits([1000], 200).iloc[0]
    assert lim["expected"] == pytest.approx(2.0)
    assert lim["upper_95"] == pytest.approx(upper_events / 1000 * 1e5)
    assert lim["upper_95"] == pytest.approx(476.62, abs=0.01)
    assert lim["lower_95"] == 0.0
    assert set(lim.index) == {
        "population",
        "expected",
        "lower_95",
        "upper_95",
        "lower_998",
        "upper_998",
    }


def test_funnel_limits_large_population_close_to_normal() -> None:
    lim = funnel_limits([100_000], 500).iloc[0]  # expected 500 events
    sd = math.sqrt(500)
    # Interpolated limits lie about half an event below the normal ones.
    assert lim["upper_95"] == pytest.approx(500 + 1.96 * sd - 0.5, abs=0.5)
    assert lim["lower_95"] == pytest.approx(500 - 1.96 * sd - 0.5, abs=0.5)
    assert lim["lower_998"] < lim["lower_95"] < 500 < lim["upper_95"] < lim["upper_998"]


def test_funnel_position_exact_tails() -> None:
    # Expected 2: P(Y >= 5) = 1 - F(4) = 0.0527 -> within (although 5 lies above
    # the drawn interpolated limit 4.77); P(Y >= 6) = 0.01656 -> above_95;
    # P(Y >= 8) = 0.00110 -> above_95; P(Y >= 9) = 0.000237 -> above_998.
    assert 1 - _poisson_cdf_2(4) == pytest.approx(0.05265, abs=1e-5)
    assert funnel_position(5, 1000, 200) == "within"
    assert funnel_position(6, 1000, 200) == "above_95"
    assert funnel_position(8, 1000, 200) == "above_95"
    assert funnel_position(9, 1000, 200) == "above_998"
    # Expected 20: P(Y <= 12) = 0.039, P(Y <= 11) = 0.0214, P(Y <= 8) = 0.0021,
    # P(Y <= 7) = 0.00078.
    assert funnel_position(12, 10_000, 200) == "within"
    assert funnel_position(11, 10_000, 200) == "below_95"
    assert funnel_position(8, 10_000, 200) == "below_95"
    assert funnel_position(7, 10_000, 200) == "below_998"
    assert set(FUNNEL_CODES) == {"above_998", "above_95", "within", "below_95", "below_998"}


def test_funnel_position_agrees_with_exact_ci() -> None:
    # above_95 exactly when the target lies below the exact 95 % interval.
    for count in range(0, 15):
        r = rate_per_100k(count, 1000)
        code = funnel_position(count, 1000, 200)
        assert (code in ("above_95", "above_998")) == (r.low > 200)
        assert (code in ("below_95", "below_998")) == (r.high < 200)


def test_rate_ratio_test_hand_example() -> None:
    # 10 vs 2 events with equal populations: conditional on 12 events,
    # X ~ Bin(12, 0.5); two-sided p = 2 * (1 + 12 + 66) / 4096 = 158 / 4096.
    r = rate_ratio_test(10, 1000, 2, 1000)
    assert r.ratio == pytest.approx(5.0)
    assert r.p_value == pytest.approx(158 / 4096)
    # Clopper-Pearson limits for pi = 10/12 mapped to pi / (1 - pi).
    pl = stats.beta.ppf(0.025, 10, 3)
    pu = stats.beta.ppf(0.975, 11, 2)
    assert r.low == pytest.approx(pl / (1 - pl))
    assert r.high == pytest.approx(pu / (1 - pu))


def test_rate_ratio_test_unequal_populations_matches_statsmodels() -> None:
    from statsmodels.stats.rates import test_poisson_2indep

    r = rate_ratio_test(15, 2000, 5, 3000)
    ref = test_poisson_2indep(15, 2000, 5, 3000, method="exact-cond")
    assert r.ratio == pytest.approx(4.5)
    assert r.p_value == pytest.approx(ref.pvalue)
    assert r.low < 4.5 < r.high


def test_rate_ratio_test_edges() -> None:
    zero2 = rate_ratio_test(3, 1, 0, 1)
    assert zero2.ratio == math.inf and zero2.high == math.inf
    assert zero2.p_value == pytest.approx(0.25)  # 2 * 0.5**3
    zero1 = rate_ratio_test(0, 1, 2, 1)
    assert zero1.ratio == 0.0 and zero1.low == 0.0
    none = rate_ratio_test(0, 1, 0, 1)
    assert math.isnan(none.ratio) and none.p_value == 1.0


def test_funnel_limits_exact_boundary_matches_funnel_position() -> None:
    # The exact boundary lies half an event inside the first count labelled outside.
    lim = funnel_limits([1000, 10_000], 200, boundary="exact")
    assert lim["upper_95"].tolist() == pytest.approx([550.0, 295.0])  # 5|6 and 29|30 events
    assert lim["lower_95"].tolist() == pytest.approx([0.0, 115.0])  # none below; 11|12 events
    rng = np.random.default_rng(3)
    for pop in rng.uniform(200, 200_000, 60):
        row = funnel_limits([pop], 350.0, boundary="exact").iloc[0]
        for k in range(int(pop * 350 / 1e5 * 3) + 10):
            rate = k / pop * 1e5
            if rate > row["upper_998"]:
                drawn = "above_998"
            elif rate > row["upper_95"]:
                drawn = "above_95"
            elif rate < row["lower_998"]:
                drawn = "below_998"
            elif rate < row["lower_95"]:
                drawn = "below_95"
            else:
                drawn = "within"
            assert funnel_position(k, pop, 350.0) == drawn, (pop, k)
    # The interpolated limits sit lower: 5 events are drawn above a 4.77 line but labelled within.
    assert funnel_limits([1000], 200).iloc[0]["upper_95"] < 500.0
    assert funnel_position(5, 1000, 200) == "within"
    with pytest.raises(ValueError, match="boundary"):
        funnel_limits([1000], 200, boundary="normal")
