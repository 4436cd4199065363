"""Swedish formatting of numbers, dates and lists."""

import datetime as dt

import pandas as pd
import pytest

from trygghet.present import swedish as sv

NB = "\u00a0"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, f"1{NB}234,5"),
        (1234567, 0, f"1{NB}234{NB}567"),
        (0.5, 2, "0,50"),
        (-1234.5, 1, f"-1{NB}234,5"),
        (-0.01, 1, "0,0"),
        (999, 0, "999"),
        (float("nan"), 0, "–"),
        (None, 0, "–"),
        (pd.NA, 1, "–"),
    ],
)
def test_fmt_number(value, decimals, expected):
    assert sv.fmt_number(value, decimals) == expected


def test_fmt_int_rounds():
    assert sv.fmt_int(12345.6) == f"12{NB}346"


def test_fmt_percent():
    assert sv.fmt_percent(0.123) == f"12{NB}%"
    assert sv.fmt_percent(0.1234, 1) == f"12,3{NB}%"
    assert sv.fmt_percent(float("nan")) == "–"


def test_month_and_weekday_names():
    assert len(sv.MONTHS) == 12 and sv.MONTHS[2] == "mars"
    assert sv.MONTHS_SHORT[4] == "maj"
    assert sv.WEEKDAYS[0] == "måndag" and sv.WEEKDAYS[-1] == "söndag"
    assert len(sv.WEEKDAYS_SHORT) == 7


def test_fmt_date_accepts_many_types():
    assert sv.fmt_date(dt.date(2025, 3, 3)) == "3 mars 2025"
    assert sv.fmt_date(pd.Timestamp("2025-12-24 13:00")) == "24 december 2025"
    assert sv.fmt_date("2025-01-09") == "9 januari 2025"
    assert sv.fmt_date(pd.NaT) == "–"


def test_fmt_month():
    assert sv.fmt_month(2025, 3) == "mars 2025"
    with pytest.raises(ValueError):
        sv.fmt_month(2025, 13)


@pytest.mark.parametrize(
    ("items", "expected"),
    [([], ""), (["a"], "a"), (["a", "b"], "a och b"), (["a", "b", "c"], "a, b och c")],
)
def test_join_list(items, expected):
    assert sv.join_list(items) == expected


def test_plural():
    assert sv.plural(1, "händelse", "händelser") == "1 händelse"
    assert sv.plural(0, "händelse", "händelser") == "0 händelser"
    assert sv.plural(1500, "händelse", "händelser") == f"1{NB}500 händelser"
