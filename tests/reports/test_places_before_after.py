"""Places report: reports near completed measures before and after (difference-in-differences)."""

import pandas as pd
import pytest
from places_frames import offset, reports_frame, walks_frame
from scipy import stats

from trygghet.reports.places.before_after import BeforeAfter, before_after, did_test
from trygghet.reports.places.privacy import assert_display_safe
from trygghet.reports.places.tables import before_after_table
from trygghet.reports.places.text import did_sentence
from trygghet.stats.trend import DECREASING, INCREASING, NO_CLEAR_CHANGE, TOO_FEW


def test_did_test_on_hand_counts():
    res = did_test(20, 5, 100, 100)
    assert res.ratio_of_ratios == pytest.approx(0.25)
    assert res.p_value == pytest.approx(stats.fisher_exact([[5, 20], [100, 100]]).pvalue)
    assert res.verdict == DECREASING
    assert res.low < 0.25 < res.high
    assert did_test(20, 20, 100, 100).verdict == NO_CLEAR_CHANGE
    assert did_test(5, 40, 100, 100).verdict == INCREASING
    too_few = did_test(6, 1, 100, 100)  # 7 near reports < 10
    assert too_few.verdict == TOO_FEW
    assert did_test(0, 0, 0, 0).verdict == TOO_FEW


def test_before_after_counts_near_once_and_compares_with_rest():
    t0 = pd.Timestamp("2024-07-01")
    near_pt = offset(100, 0)
    far_pt = offset(3000, 3000)
    rows = []
    rows += [(t0 - pd.Timedelta(days=10 + i), "belysning", *near_pt) for i in range(30)]
    rows += [(t0 + pd.Timedelta(days=10 + i), "belysning", *near_pt) for i in range(6)]
    rows += [(t0 - pd.Timedelta(days=10 + i), "trafik", *far_pt) for i in range(50)]
    rows += [(t0 + pd.Timedelta(days=10 + i), "trafik", *far_pt) for i in range(50)]
    rows += [("2023-01-01 12:00", "annat", *far_pt), ("2025-12-31 12:00", "annat", *far_pt)]
    reports = reports_frame(rows)
    # two completed measures at the same point: near reports must count once in the pool
    walks = walks_frame(
        [
            {
                "walk_date": "2024-04-01",
                "deadline": "2024-06-01",
                "status": "åtgärdad",
                "completed_date": t0,
            },  # fmt: skip
            {
                "walk_date": "2024-04-01",
                "deadline": "2024-06-01",
                "status": "åtgärdad",
                "completed_date": t0,
            },  # fmt: skip
            {
                "walk_date": "2024-04-01",
                "deadline": "2024-06-01",
                "status": "åtgärdad",
                "completed_date": t0,
                "lat": None,
                "lon": None,
            },  # fmt: skip
        ]
    )
    res = before_after(reports, walks, pd.Timestamp("2025-12-31"))
    assert len(res.measures) == 2
    assert res.excluded["utan position"] == 1
    assert list(res.measures["near_before"]) == [30, 30]
    p = res.pooled
    assert (p.near_before, p.near_after) == (30, 6)
    assert (p.rest_before, p.rest_after) == (50, 50)  # scaled back to distinct reports
    assert p.verdict == DECREASING
    assert did_sentence(res) == (
        "Inom 250 meter från 2 genomförda åtgärder kom 30 anmälningar in de 180 dagarna före "
        "och 6 de 180 dagarna efter. Anmälningarna nära åtgärderna minskade mer än i övriga "
        "kommunen, mer än vad slumpen brukar ge."
    )
    shown = before_after_table(res)
    assert_display_safe(shown)


def test_before_after_window_must_fit_before_period_end():
    reports = reports_frame(
        [("2023-01-01 12:00", "annat", *offset(0, 0)), ("2026-06-01 12:00", "annat", *offset(0, 0))]
    )
    walks = walks_frame(
        [
            {
                "walk_date": "2025-05-01",
                "deadline": "2025-06-01",
                "status": "åtgärdad",
                "completed_date": "2025-09-01",
            }
        ]  # fmt: skip
    )
    res = before_after(reports, walks, pd.Timestamp("2025-12-31"))
    assert res.measures.empty and res.excluded["fönster utanför data"] == 1
    assert did_sentence(res) == (
        "Ingen genomförd åtgärd med position hade hela perioden före och efter inom "
        "uppgifterna, så ingen före–efter-jämförelse kan göras."
    )


def test_did_sentence_too_few():
    res = BeforeAfter(
        measures=pd.DataFrame({"walk_id": ["A"]}),
        pooled=did_test(4, 2, 300, 280),
        near_ratio=(0.5, 0.1, 2.0),
        rest_ratio=(0.9, 0.8, 1.1),
        radius_m=250,
        window_days=180,
    )
    assert did_sentence(res, min_count=1) == (
        "Inom 250 meter från 1 genomförd åtgärd kom 4 anmälningar in de 180 dagarna före och "
        "2 de 180 dagarna efter: för få för att säga om åtgärderna gjorde skillnad."
    )
    # Counts near a few measures are counts at a few places: the kommun's rule hides them.
    assert did_sentence(res, min_count=5) == (
        "Inom 250 meter från 1 genomförd åtgärd kom ett fåtal anmälningar in de 180 dagarna före "
        "och ett fåtal de 180 dagarna efter: för få för att säga om åtgärderna gjorde skillnad."
    )
