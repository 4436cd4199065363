"""Places report: counts by month, season and time of day; the change against last year."""

import pandas as pd
import pytest
from places_frames import reports_frame

from trygghet.reports.places.counts import (
    NO_COMPARISON,
    category_change,
    change_verdict,
    monthly_by_category,
    period_window,
    season_counts,
    time_of_day,
)
from trygghet.sources.resident_reports import CATEGORIES
from trygghet.stats.trend import DECREASING, INCREASING, NO_CLEAR_CHANGE, TOO_FEW


def test_monthly_and_season_counts_include_zeros():
    r = reports_frame(
        [("2025-01-10 20:00", "belysning", None, None)] * 3
        + [("2025-07-10 12:00", "trafik", None, None), ("2024-07-10 12:00", "trafik", None, None)]
    )
    monthly = monthly_by_category(r, 2025)
    assert monthly.shape == (12, len(CATEGORIES))
    assert monthly.loc[1, "belysning"] == 3 and monthly.loc[7, "trafik"] == 1
    assert monthly.to_numpy().sum() == 4
    seasons = season_counts(r, 2025)
    assert seasons.loc["vinter", "totalt"] == 3 and seasons.loc["sommar", "totalt"] == 1
    assert seasons["totalt"].sum() == 4


def test_time_of_day_leaves_out_midnight_as_unknown():
    r = reports_frame(
        [
            ("2025-02-01 00:00:00", "annat", None, None),
            ("2025-02-01 21:15", "annat", None, None),
            ("2025-02-02 22:15", "annat", None, None),
            ("2025-02-02 03:00", "annat", None, None),
        ]
    )
    tod = time_of_day(r, 2025)
    assert tod.attrs["unknown"] == 1
    assert tod.loc["kväll", "antal"] == 2 and tod.loc["natt", "antal"] == 1
    assert tod["andel"].sum() == pytest.approx(1.0)


def test_category_change_verdicts():
    rows = (
        [("2025-03-01 12:00", "belysning", None, None)] * 40
        + [("2024-03-01 12:00", "belysning", None, None)] * 10
        + [("2025-03-01 12:00", "klotter", None, None)] * 3
        + [("2024-03-01 12:00", "klotter", None, None)] * 2
        + [("2025-03-01 12:00", "trafik", None, None)] * 20
        + [("2024-03-01 12:00", "trafik", None, None)] * 21
        + [("2025-12-31 20:00", "annat", None, None), ("2024-01-01 01:00", "annat", None, None)]
    )
    change = category_change(reports_frame(rows), 2025).set_index("category")
    assert change.loc["belysning", "verdict"] == INCREASING
    assert change.loc["klotter", "verdict"] == TOO_FEW
    assert change.loc["trafik", "verdict"] == NO_CLEAR_CHANGE
    assert change.loc["alla kategorier", "count"] == 64
    assert change.loc["alla kategorier", "prev_count"] == 34
    # q-values are BH-adjusted over the categories, never below the raw p-value
    cats = change.drop(index="alla kategorier")
    assert (cats["q_value"] >= cats["p_value"] - 1e-12).all()


def test_category_change_without_previous_year():
    r = reports_frame([("2025-03-01 12:00", "belysning", None, None)] * 20)
    change = category_change(r, 2025)
    assert set(change["verdict"]) == {NO_COMPARISON}
    assert change["prev_count"].isna().all()


def test_partial_year_compares_same_months():
    rows = [("2024-01-05 12:00", "trafik", None, None), ("2024-11-05 12:00", "trafik", None, None)]
    rows += [("2025-01-05 12:00", "trafik", None, None), ("2025-10-20 12:00", "trafik", None, None)]
    win = period_window(reports_frame(rows), 2025)
    # data end on 20 October: October is incomplete, so the window ends 30 September
    assert not win.complete
    assert win.end.normalize() == pd.Timestamp("2025-09-30")
    assert win.prev_end.normalize() == pd.Timestamp("2024-09-30")
    assert win.months_text == "jan–sep"


def test_change_verdict_thresholds():
    assert change_verdict(5, 4, 0.5) == TOO_FEW
    assert change_verdict(6, 4, 0.001) == INCREASING  # 10 in all: enough
    assert change_verdict(3, 30, 0.001) == DECREASING
    assert change_verdict(3, None, 0.001) == NO_COMPARISON
