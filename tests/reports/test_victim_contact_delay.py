"""Promise 4: the Kaplan–Meier estimate of the days to first contact, and its privacy cut."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.duration.survfunc import SurvfuncRight
from victim_contact_cases import make_cases

from trygghet.reports.victim_contact.delay import (
    delay_summary,
    kaplan_meier,
    km_contacted_by,
    km_curve,
    km_quantile,
)

HAND_DURATIONS = [0, 1, 2, 2, 3, 5, 5, 8, 10, 12]


HAND_OBSERVED = [True, True, True, False, True, False, True, True, False, True]


# By hand (contacts before censorings on the same day):
#   t=0: 10 at risk, 1 contact  -> S = 9/10               = 0.9
#   t=1:  9 at risk, 1 contact  -> S = 0.9 * 8/9          = 0.8
#   t=2:  8 at risk, 1 contact, 1 censored -> 0.8 * 7/8   = 0.7
#   t=3:  6 at risk, 1 contact  -> 0.7 * 5/6              = 0.58333
#   t=5:  5 at risk, 1 contact, 1 censored -> * 4/5       = 0.46667
#   t=8:  3 at risk, 1 contact  -> * 2/3                  = 0.31111
#   t=10: 2 at risk, censored only                        = 0.31111
#   t=12: 1 at risk, 1 contact                            = 0
HAND_SURVIVAL = [0.9, 0.8, 0.7, 0.7 * 5 / 6, 0.7 * 5 / 6 * 4 / 5, 0.7 * 2 / 3 * 2 / 3, 0.7 * 4 / 9,
                 0.0]  # fmt: skip


def test_kaplan_meier_hand_case() -> None:
    km = kaplan_meier(HAND_DURATIONS, HAND_OBSERVED)
    assert list(km["time"]) == [0, 1, 2, 3, 5, 8, 10, 12]
    assert list(km["at_risk"]) == [10, 9, 8, 6, 5, 3, 2, 1]
    assert list(km["contacts"]) == [1, 1, 1, 1, 1, 1, 0, 1]
    assert list(km["censored"]) == [0, 0, 1, 0, 1, 0, 1, 0]
    assert km["survival"].to_numpy() == pytest.approx(HAND_SURVIVAL)
    assert km_quantile(km, 0.5) == 5  # first S <= 0.5
    assert km_quantile(km, 0.9) == 12
    assert km_contacted_by(km, 7) == pytest.approx(1 - 0.7 * 5 / 6 * 4 / 5)
    assert km_contacted_by(km, -1) == 0.0


def test_kaplan_meier_agrees_with_statsmodels() -> None:
    km = kaplan_meier(HAND_DURATIONS, HAND_OBSERVED)
    sm = SurvfuncRight(np.array(HAND_DURATIONS, float), np.array(HAND_OBSERVED, float))
    events = km[km["contacts"] > 0]
    assert list(events["time"]) == list(sm.surv_times)
    assert events["survival"].to_numpy() == pytest.approx(sm.surv_prob)


def test_km_quantile_uses_less_or_equal_and_none_when_not_reached() -> None:
    km = kaplan_meier([1, 2, 3, 4], [True] * 4)  # S = 0.75, 0.5, 0.25, 0
    assert km_quantile(km, 0.5) == 2  # statsmodels' strict "<" would give 3
    censored_tail = kaplan_meier([1, 2, 3] + [20] * 7, [True] * 3 + [False] * 7)
    assert km_quantile(censored_tail, 0.5) is None


def test_delay_summary_treats_uncontacted_as_censored() -> None:
    rows = [
        ("hot", "2025-05", d if o else None, None if o else d)
        for d, o in zip(HAND_DURATIONS, HAND_OBSERVED, strict=True)
    ]
    delay = delay_summary(make_cases(rows))
    assert (delay.n_cases, delay.median, delay.p90) == (10, 5, 12)
    assert delay_summary(make_cases([])).median is None


def test_km_curve_stops_where_few_remain_at_risk() -> None:
    cases = make_cases(
        [("hot", "2025-01", d, None) for d in range(20)] + [("hot", "2025-01", None, 100)] * 2
    )
    curve = km_curve(cases, min_count=5)
    assert curve["at_risk"].min() >= 5
    assert curve["time"].max() == 17  # at day 18 only 4 cases remain at risk
