"""A weekly EST count against its history: history weeks, the verdict, flag tables."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats

from trygghet.reports.est.expected import assess, flag_table, history_weeks
from trygghet.reports.est.verdicts import (
    LOWER,
    MISSING,
    SHORT_HISTORY,
    TOO_FEW,
    UNUSUAL_HIGH,
    USUAL,
    VERY_UNUSUAL_HIGH,
)
from trygghet.reports.est.weeks import parse_week

W = pd.Timedelta(days=7)
FIRST = pd.Timestamp("2023-01-02")  # Monday of 2023-W01


def monday(text: str) -> pd.Timestamp:
    return parse_week(text)


# --------------------------------------------------------------------------
# History and flagging
# --------------------------------------------------------------------------


def test_history_same_weeks_of_earlier_years():
    weeks, rule = history_weeks(monday("2025-W40"), FIRST)
    assert rule == "same_weeks"
    expected = [monday(f"2024-W{w}") for w in range(38, 43)]
    expected += [monday(f"2023-W{w}") for w in range(38, 43)]
    assert weeks == sorted(expected)


def test_history_crosses_the_year_boundary():
    weeks, rule = history_weeks(monday("2025-W01"), FIRST)
    assert rule == "same_weeks"
    # 2024: weeks 2023-W51..2024-W03. The 2023 window starts in December 2022,
    # before the data, so that year is left out entirely.
    assert weeks == [monday("2023-W51"), monday("2023-W52")] + [
        monday(f"2024-W0{w}") for w in (1, 2, 3)
    ]
    weeks, _ = history_weeks(monday("2025-W52"), FIRST)
    assert weeks[0] == monday("2023-W50") and weeks[-1] == monday("2025-W02")
    assert len(weeks) == 10


def test_history_of_week_53_uses_week_52_of_years_without_it():
    weeks, rule = history_weeks(monday("2026-W53"), FIRST)
    assert rule == "same_weeks" and len(weeks) == 15
    assert monday("2025-W52") in weeks and monday("2026-W02") in weeks
    assert monday("2024-W50") in weeks and monday("2023-W50") in weeks
    assert all(w < monday("2026-W53") for w in weeks)


def test_history_falls_back_to_previous_weeks_then_too_short():
    weeks, rule = history_weeks(monday("2023-W20"), FIRST)
    assert rule == "previous_weeks"
    assert weeks == [monday("2023-W20") - k * W for k in range(8, 0, -1)]
    weeks, rule = history_weeks(monday("2023-W03"), FIRST)
    assert rule == "too_short" and len(weeks) == 2


def test_history_is_always_before_the_week():
    for start in pd.date_range("2023-01-02", "2027-01-04", freq="7D"):
        weeks, _ = history_weeks(start, FIRST)
        assert all(FIRST <= w < start for w in weeks)


def test_assess_hand_computed_poisson():
    history = [2, 2, 2, 2, 2]  # mean 2, variance 0 -> Poisson(2)
    a = assess(6, history)
    assert a.p_value == pytest.approx(stats.poisson.sf(5, 2))  # 0.01656
    assert a.p_value == pytest.approx(0.01656, abs=1e-5)
    assert (a.low, a.high, a.expected) == (0, 5, 2.0)
    assert a.verdict == UNUSUAL_HIGH
    assert assess(7, history).verdict == VERY_UNUSUAL_HIGH  # p = 0.0045
    assert assess(5, history).verdict == USUAL  # the band's top is not flagged


def test_assess_small_counts_lower_short_and_missing():
    zeros = [0, 0, 0, 0, 0]
    assert assess(1, zeros).verdict == TOO_FEW  # p = 0 but a single report
    assert assess(2, zeros).verdict == TOO_FEW
    assert assess(3, zeros).verdict == VERY_UNUSUAL_HIGH
    # Poisson(10): 5 % quantile is 5 (P(X <= 4) = 0.029), so 4 is below the band.
    assert assess(4, [10] * 5).verdict == LOWER
    assert assess(5, [10] * 5).verdict == USUAL
    assert assess(9, [1, 2, 3, 4]).verdict == SHORT_HISTORY
    assert assess(None, [1] * 5).verdict == MISSING


def test_assess_overdispersed_history_widens_the_band():
    history = [0, 0, 4, 0, 6, 0, 0, 6]  # mean 2, variance 7.4 -> negative binomial
    a = assess(6, history)
    assert a.verdict == USUAL and a.high > 5


def test_flag_table_orders_elevated_first():
    index = pd.date_range(FIRST, periods=60, freq="7D")
    counts = pd.DataFrame({"a": 1, "b": 0, "c": 2}, index=index)
    week = index[-1]
    counts.loc[week] = [9, 1, 2]
    table = flag_table(counts, week)
    assert list(table["key"]) == ["a", "b", "c"]
    assert list(table["verdict"]) == [VERY_UNUSUAL_HIGH, TOO_FEW, USUAL]
    assert set(table["rule"]) == {"same_weeks"}
