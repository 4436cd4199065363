"""The EST lägesbild's ISO weeks, tertials, selection and weekly counts."""

from __future__ import annotations

import pandas as pd
import pytest

from trygghet.reports.est.weeks import (
    last_complete_week,
    parse_week,
    select,
    tertial_name,
    tertial_weeks,
    week_label,
    week_name,
    weekly_counts,
    weeks_in_year,
)

W = pd.Timedelta(days=7)
FIRST = pd.Timestamp("2023-01-02")  # Monday of 2023-W01


def monday(text: str) -> pd.Timestamp:
    return parse_week(text)


# --------------------------------------------------------------------------
# ISO weeks, tertials and the selection
# --------------------------------------------------------------------------


def test_week_parsing_and_labels():
    assert monday("2025-W40") == pd.Timestamp("2025-09-29")
    assert monday("2025-w01") == pd.Timestamp("2024-12-30")  # ISO week 1 starts in December
    assert week_label(pd.Timestamp("2024-12-30")) == "2025-W01"
    assert week_name(pd.Timestamp("2026-12-28")) == "vecka 53 2026"
    with pytest.raises(ValueError, match="2025-W40"):
        parse_week("2025-40")
    with pytest.raises(ValueError, match="finns inte"):
        parse_week("2025-W53")  # 2025 has 52 weeks


def test_weeks_in_year():
    assert weeks_in_year(2020) == 53
    assert weeks_in_year(2025) == 52
    assert weeks_in_year(2026) == 53


def test_tertial_weeks_follow_the_thursday():
    t1 = tertial_weeks(2025, 1)
    assert t1[0] == pd.Timestamp("2024-12-30")  # Thursday 2 January
    assert t1[-1] == pd.Timestamp("2025-04-21")  # Thursday 24 April; 28 April has Thursday 1 May
    assert len(t1) == 17
    assert tertial_weeks(2026, 3)[-1] == monday("2026-W53")
    for year in (2020, 2025, 2026):
        weeks = [w for t in (1, 2, 3) for w in tertial_weeks(year, t)]
        assert len(weeks) == len(set(weeks)) == weeks_in_year(year)
    assert tertial_name(2025, 3) == "tertial 3 2025 (september–december)"


def test_last_complete_week_is_the_week_before_the_latest_entry():
    assert last_complete_week(pd.Timestamp("2026-10-30 21:00")) == monday("2026-W43")
    # Entered on the Monday of 2025-W02: 2025-W01 (starting in December 2024) is complete.
    assert last_complete_week(pd.Timestamp("2025-01-06 09:00")) == monday("2025-W01")


def test_default_week_is_the_last_complete_week_of_the_period():
    sel = select("vecka", 2025, FIRST, monday("2026-W43"))
    assert sel.end == monday("2025-W52") and sel.label == "vecka 52 2025"
    sel = select("vecka", 2025, FIRST, monday("2025-W40"))
    assert sel.end == monday("2025-W40")
    sel = select("vecka", 2026, FIRST, monday("2027-W05"))
    assert sel.end == monday("2026-W53")  # a 53-week year
    assert sel.year == 2026


def test_explicit_week_and_errors():
    sel = select("vecka", 2025, FIRST, monday("2026-W43"), week="2025-W01")
    assert sel.end == pd.Timestamp("2024-12-30") and sel.year == 2025
    with pytest.raises(ValueError, match="utanför"):
        select("vecka", 2025, FIRST, monday("2025-W10"), week="2025-W11")
    with pytest.raises(ValueError, match="saknas"):
        select("vecka", 2027, FIRST, monday("2026-W43"))
    with pytest.raises(ValueError, match="mode"):
        select("månad", 2025, FIRST, monday("2026-W43"))


def test_tertial_selection():
    last = monday("2026-W43")
    assert select("tertial", 2025, FIRST, last).tertial == 3
    sel = select("tertial", 2026, FIRST, last, week="2026-W02")  # week is ignored
    assert sel.tertial == 2 and sel.weeks == tuple(tertial_weeks(2026, 2))
    assert sel.label == "tertial 2 2026 (maj–augusti)"
    assert select("tertial", 2026, FIRST, last, tertial=1).tertial == 1
    with pytest.raises(ValueError, match="inte komplett"):
        select("tertial", 2026, FIRST, last, tertial=3)
    with pytest.raises(ValueError, match="Ingen tertial"):
        select("tertial", 2026, FIRST, monday("2026-W10"))


def test_weekly_counts_fill_zero_weeks_and_keys():
    mondays = pd.Series([FIRST, FIRST, FIRST + 2 * W, FIRST + 9 * W])
    keys = pd.Series(["klotter", "annat", "klotter", "klotter"])
    table = weekly_counts(mondays, FIRST, FIRST + 3 * W, keys, ["skadegörelse", "klotter"])
    assert list(table.columns) == ["skadegörelse", "klotter", "annat"]
    assert table["klotter"].tolist() == [1, 0, 1, 0]
    assert table["skadegörelse"].sum() == 0
    assert weekly_counts(mondays, FIRST, FIRST + 3 * W)["alla"].tolist() == [2, 0, 1, 0]
