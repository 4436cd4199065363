"""The EST lägesbild on hand-made data: repeat places, measures, tertials, the whole picture.

The whole picture is built through the package, as the notebook and the follow-up report do.
"""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from trygghet.reports import est
from trygghet.reports.est.analysis import compare_periods
from trygghet.reports.est.data import prepare
from trygghet.reports.est.measures import before_after, measure_followup, open_at
from trygghet.reports.est.repeats import repeat_places
from trygghet.reports.est.verdicts import (
    FEWER,
    MORE,
    NO_CLEAR_CHANGE,
    NO_COMPARISON,
    TOO_EARLY,
    TOO_FEW,
)
from trygghet.reports.est.weeks import parse_week, tertial_weeks


def monday(text: str) -> pd.Timestamp:
    return parse_week(text)


# --------------------------------------------------------------------------
# Hand-made EST data: repeat places and measures
# --------------------------------------------------------------------------


def make_reports(rows: list[tuple[str, str, str]], entered: str = "2025-10-30") -> pd.DataFrame:
    """EST reports from (week, category, place); every place in area "Centrum"."""
    frame = pd.DataFrame(rows, columns=["week", "category", "place"])
    frame["week_start"] = frame["week"].map(parse_week)
    frame["reported_at"] = frame["week_start"] + pd.Timedelta(days=2)
    frame.loc[len(frame) - 1, "reported_at"] = pd.Timestamp(entered)
    frame["reporter_org"] = "kommunen"
    frame["area"] = "Centrum"
    frame["description"] = "hemlig fritext 070-123 45 67"
    frame["lat"], frame["lon"] = 59.1, 14.1
    frame["origin"] = "example"
    return frame


def make_measures(rows: list[tuple[str, str, str, str, str | None]]) -> pd.DataFrame:
    """Measures from (id, decided week, place, status, done date)."""
    frame = pd.DataFrame(rows, columns=["measure_id", "decided_week", "place", "status", "done"])
    frame["decided_week_start"] = frame["decided_week"].map(parse_week)
    frame["area"] = "Centrum"
    frame["responsible"] = "kommunen"
    frame["description"] = "fritext"
    frame["done_date"] = pd.to_datetime(frame.pop("done"))
    return frame


EMPTY_MEASURES = make_measures([])


def test_repeat_places_three_of_six_weeks():
    rows = [("2023-W01", "klotter", "Filler")]
    rows += [(w, "klotter", "Torget") for w in ("2025-W35", "2025-W36", "2025-W38", "2025-W38")]
    rows += [(w, "klotter", "Parken") for w in ("2025-W37", "2025-W38")]
    rows += [(w, "klotter", "Skolan") for w in ("2025-W30", "2025-W31", "2025-W32")]
    data = prepare(make_reports(rows), EMPTY_MEASURES)
    table = repeat_places(data, monday("2025-W38"))
    assert table["place"].tolist() == ["Torget, Centrum"]
    row = table.iloc[0]
    assert (row["weeks_with_reports"], row["reports"], row["has_measure"]) == (3, 4, False)
    # The window ending 2025-W38 starts at W33: Skolan (W30–W32) is outside it.
    assert repeat_places(data, monday("2025-W38"), min_weeks=1)["place"].tolist() == [
        "Torget, Centrum",
        "Parken, Centrum",
    ]
    # Ending at W37 it starts at W32: Skolan has one week in it.
    ending_w37 = repeat_places(data, monday("2025-W37"), min_weeks=1)
    assert ending_w37.set_index("place").loc["Skolan, Centrum", "weeks_with_reports"] == 1


def test_repeat_place_measure_rules():
    rows = [("2023-W01", "klotter", "Filler")]
    rows += [
        (w, "klotter", p) for p in ("A", "B", "C") for w in ("2025-W36", "2025-W37", "2025-W38")
    ]
    measures = make_measures(
        [
            ("M1", "2025-W10", "A", "pågår", None),  # open: covers A
            ("M2", "2025-W10", "B", "genomförd", "2025-04-01"),  # closed long ago
            ("M3", "2025-W30", "C", "genomförd", "2025-08-01"),  # closed, decided 8 weeks ago
        ]
    )
    data = prepare(make_reports(rows), measures)
    table = repeat_places(data, monday("2025-W38")).set_index("place")
    assert table.loc["A, Centrum", "measure_ids"] == "M1"
    assert not table.loc["B, Centrum", "has_measure"]
    assert table.loc["C, Centrum", "measure_ids"] == "M3"


def test_open_at_uses_done_date():
    m = make_measures(
        [
            ("M1", "2025-W10", "A", "genomförd", "2025-06-01"),
            ("M2", "2025-W10", "A", "avslutad", None),
            ("M3", "2025-W20", "A", "beslutad", None),
        ]
    )
    assert open_at(m, monday("2025-W15")).tolist() == [True, False, False]
    assert open_at(m, monday("2025-W30")).tolist() == [False, False, True]


def weekly(values: dict[str, int], first: str = "2025-W01", last: str = "2025-W40") -> pd.Series:
    index = pd.date_range(monday(first), monday(last), freq="7D")
    series = pd.Series(0, index=index)
    for week, n in values.items():
        series[monday(week)] = n
    return series


def test_before_after_fewer_and_no_clear_change():
    before = {f"2025-W{w:02d}": 2 for w in range(12, 20)}  # 16 reports in 8 weeks
    result = before_after(weekly(before), monday("2025-W20"), monday("2025-W40"))
    assert (result["weeks"], result["before"], result["after"]) == (8, 16, 0)
    assert result["p_value"] == pytest.approx(2 * 0.5**16)
    assert result["verdict"] == FEWER
    mixed = {**before, **{f"2025-W{w:02d}": 2 for w in range(21, 27)}}  # 16 before, 12 after
    assert before_after(weekly(mixed), monday("2025-W20"), monday("2025-W40"))["verdict"] == (
        NO_CLEAR_CHANGE
    )


def test_before_after_equal_windows_too_early_and_too_few():
    series = weekly({"2025-W30": 3, "2025-W33": 1})
    result = before_after(series, monday("2025-W34"), monday("2025-W39"))
    assert result["weeks"] == 5  # W35..W39 after, so W29..W33 before
    assert (result["before"], result["after"], result["verdict"]) == (4, 0, TOO_FEW)
    assert before_after(series, monday("2025-W37"), monday("2025-W39"))["verdict"] == (TOO_EARLY)
    # Not enough data before the decision: too early as well.
    early = weekly({}, first="2025-W05")
    assert before_after(early, monday("2025-W07"), monday("2025-W20"))["verdict"] == (TOO_EARLY)


def test_measure_followup_overdue_and_status_at_the_week():
    rows = [("2024-W01", "klotter", "Filler"), ("2025-W38", "klotter", "A")]
    measures = make_measures(
        [
            ("M1", "2025-W30", "A", "pågår", None),  # 8 weeks before W38: overdue
            ("M2", "2025-W31", "A", "beslutad", None),  # 7 weeks: not yet
            ("M3", "2025-W20", "A", "genomförd", "2025-10-01"),  # finished after W38: open then
            ("M4", "2025-W39", "A", "beslutad", None),  # decided after the week: not listed
            ("M5", "2023-W10", "A", "genomförd", "2023-05-01"),  # closed, older than 52 weeks
        ]
    )
    data = prepare(make_reports(rows), measures)
    table = measure_followup(data, monday("2025-W38")).set_index("measure_id")
    assert sorted(table.index) == ["M1", "M2", "M3"]
    assert table.loc["M1", "overdue"] and not table.loc["M2", "overdue"]
    assert table.loc["M3", "open"] and table.loc["M3", "overdue"]
    assert table.loc["M1", "weeks_since"] == 8


def test_compare_periods_tertial_rules():
    index = pd.date_range(monday("2024-W01"), monday("2025-W52"), freq="7D")
    counts = pd.DataFrame({"many": 0, "few": 0, "same": 0}, index=index)
    now, before = tertial_weeks(2025, 1), tertial_weeks(2024, 1)
    counts.loc[now, "many"] = 3
    counts.loc[before, "many"] = 1
    counts.loc[now[:3], "few"] = 1
    counts.loc[now, "same"] = 1
    counts.loc[before, "same"] = 1
    table = compare_periods(counts, now, before).set_index("key")
    assert table.loc["many", "verdict"] == MORE
    assert (table.loc["many", "now"], table.loc["many", "before"]) == (51, 17)
    assert table.loc["few", "verdict"] == TOO_FEW
    assert table.loc["same", "verdict"] == NO_CLEAR_CHANGE
    missing = compare_periods(counts, now, tertial_weeks(2023, 1))
    assert set(missing["verdict"]) == {NO_COMPARISON}


# --------------------------------------------------------------------------
# The whole picture on hand-made data
# --------------------------------------------------------------------------


def synthetic_data() -> est.EstData:
    """Two years of one report a week at "Parken", a spike and a repeat place in 2025-W38."""
    rows = []
    for start in pd.date_range(monday("2023-W01"), monday("2025-W40"), freq="7D"):
        rows.append((est.week_label(start), "nedskräpning", "Parken"))
    rows += [("2025-W38", "klotter", "Torget")] * 6
    rows += [(w, "skadegörelse", "Skolan") for w in ("2025-W34", "2025-W36", "2025-W37")]
    reports = make_reports(rows, entered="2025-10-08 10:00")  # 2025-W41: W40 complete
    measures = make_measures([("M1", "2025-W20", "Parken", "pågår", None)])
    residents = pd.DataFrame(
        {
            "created_at": pd.date_range("2023-01-01", "2025-10-10", freq="3D"),
            "description": "fritext",
            "origin": "example",
        }
    )
    return est.prepare(reports, measures, residents=residents)


def test_build_week_picture():
    data = synthetic_data()
    assert "description" not in data.reports and "lat" not in data.reports
    assert "description" not in data.measures
    assert data.last == monday("2025-W40")
    pic = est.build(data, 2025, week="2025-W38")
    cats = pic.categories.set_index("key")
    assert cats.loc["klotter", "verdict"] == est.VERY_UNUSUAL_HIGH
    assert cats.loc["nedskräpning", "verdict"] == est.USUAL
    assert pic.places.iloc[0]["key"] == "Torget, Centrum"
    # p = 0 (a history of zeros) ranks first; ties by count, then name.
    assert pic.things[0] == "Torget, Centrum: 6 rapporter mot väntat högst 0 – mycket ovanligt."
    assert "Skolan, Centrum har rapporterats 3 av de senaste 6 veckorna" in pic.things[1]
    assert pic.things[2].startswith("Åtgärd M1 vid Parken, Centrum")
    assert est.headline(pic).startswith("Vecka 38 2025: 7 EST-rapporter, fler än väntat")
    assert list(pic.sources["key"]) == ["EST-partnernas rapporter", "Invånarnas rapporter"]
    text = est.narrative(pic)
    assert "M1 (Parken, Centrum, beslutad vecka 20 2025): ingen tydlig förändring" in text
    for table in (est.sources_table(pic), est.category_table(pic), est.place_table(pic)):
        assert "bedömning" in table.columns
    assert est.measures_table(pic).loc["M1", "status"] == "pågår – försenad"
    html_text = est.three_things_html(pic)
    assert "font-size:1.6em" in html_text and "Att ta upp först" in html_text
    for figure in (est.plot_weekly(pic), est.plot_heatmap(pic), est.plot_repeat_places(pic)):
        assert isinstance(figure, Figure)


def test_build_default_week_and_tertial():
    data = synthetic_data()
    assert est.build(data, 2025).selection.end == monday("2025-W40")
    pic = est.build(data, 2025, mode="tertial")
    assert pic.selection.tertial == 2 and pic.compared_with == "samma tertial 2024"
    assert est.headline(pic).startswith("Tertial 2 2025 (maj–augusti), EST-partnernas rapporter:")
    assert "kvot per vecka (95 % osäkerhetsintervall)" in est.category_table(pic).columns
    assert isinstance(est.plot_weekly(pic), Figure)


def test_sources_are_not_hidden_for_each_other():
    """Sources are never added up, so a small one hides itself only (no complementary cell)."""
    import dataclasses

    pic = est.build(dataclasses.replace(synthetic_data(), min_count=3), 2025, week="2025-W38")
    counts = dict(zip(pic.sources["key"], pic.sources["observed"], strict=True))
    assert counts == {"EST-partnernas rapporter": 7, "Invånarnas rapporter": 2}
    table = est.sources_table(pic)
    assert table.loc["Invånarnas rapporter", "antal"] == "fåtal"
    assert table.loc["EST-partnernas rapporter", "antal"] == "7"
    # Under a rule of 8 the week's EST count is a handful in the headline and the narrative too.
    pic = est.build(dataclasses.replace(synthetic_data(), min_count=8), 2025, week="2025-W38")
    assert est.headline(pic).startswith("Vecka 38 2025: ett fåtal EST-rapporter")
    assert "EST-partnernas rapporter: ett fåtal" in est.narrative(pic)
