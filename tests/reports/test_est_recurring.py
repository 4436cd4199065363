"""One definition of a recurring place, for a week, a tertial and a year.

The weekly lägesbild, its tertial mode and the follow-up's year figures all
come from :func:`est.recurring_places`; these tests plant the cases where the
old definitions disagreed (a tertial chart saying "Inga återkommande platser"
while the year had recurring places) and check the table against a
brute-force count written out here.
"""

from __future__ import annotations

import matplotlib.text
import pandas as pd
import pytest

from trygghet.reports import est
from trygghet.reports.est.data import prepare

W = est.WEEK


def monday(text: str) -> pd.Timestamp:
    return est.parse_week(text)


def make_reports(rows: list[tuple[str, str]], entered: str = "2026-01-14") -> pd.DataFrame:
    """EST reports from (week, place); area "Centrum"; the last entry sets the data's end."""
    frame = pd.DataFrame(rows, columns=["week", "place"])
    frame["week_start"] = frame["week"].map(monday)
    frame["reported_at"] = frame["week_start"] + pd.Timedelta(days=2)
    frame.loc[len(frame) - 1, "reported_at"] = pd.Timestamp(entered)
    frame["category"] = "klotter"
    frame["reporter_org"] = "kommunen"
    frame["area"] = "Centrum"
    frame["description"] = "fritext"
    frame["origin"] = "example"
    return frame


def make_measures(rows: list[tuple[str, str, str, str, str | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["measure_id", "decided_week", "place", "status", "done"])
    frame["decided_week_start"] = frame["decided_week"].map(monday)
    frame["area"] = "Centrum"
    frame["responsible"] = "kommunen"
    frame["description"] = "fritext"
    frame["done_date"] = pd.to_datetime(frame.pop("done"))
    return frame


def weeks(year: int, numbers) -> list[str]:
    return [f"{year}-W{n:02d}" for n in numbers]


@pytest.fixture(scope="module")
def data():
    """Two years of background at "Filler", and places with known recurring weeks in 2025.

    * Torget: reports in weeks 36, 37, 38 of 2025 only: recurring at the end of
      weeks 38–41 (3 of the 6 weeks ending there), i.e. 4 weeks, all in tertial 3.
      Under the old tertial rule (half the tertial's weeks) it was not recurring.
    * Parken: weeks 5–8 and 30–32; a measure decided in week 7 (done in week 9)
      covers it in spring only.
    * Skolan: weeks 10 and 12 only: never 3 of 6 weeks.
    """
    rows = [(w, "Filler") for w in weeks(2024, range(1, 53, 4))]
    rows += [(w, "Torget") for w in weeks(2025, (36, 37, 38))]
    rows += [(w, "Parken") for w in weeks(2025, (5, 6, 7, 8, 30, 31, 32))]
    rows += [(w, "Skolan") for w in weeks(2025, (10, 12))]
    rows += [("2026-W01", "Filler")]
    measures = make_measures([("M1", "2025-W07", "Parken", "genomförd", "2025-03-01")])
    return prepare(make_reports(rows), measures, min_count=1)


def brute_force(data, mondays) -> dict[str, list[pd.Timestamp]]:
    """Place -> the weeks among ``mondays`` where it had reports in >= 3 of the 6 weeks to it."""
    r = data.reports
    out: dict[str, list[pd.Timestamp]] = {}
    for week in mondays:
        window = {week - d * W for d in range(6)}
        here = r[r["week_start"].isin(window)].groupby("place")["week_start"].nunique()
        for place in here[here >= 3].index:
            out.setdefault(place, []).append(week)
    return out


def test_one_week_is_the_weekly_rule(data):
    end = monday("2025-W39")
    table = est.recurring_places(data, end)
    weekly = est.repeat_places(data, end)
    assert table["place"].tolist() == weekly["place"].tolist() == ["Torget, Centrum"]
    for column in ("weeks_with_reports", "reports", "has_measure", "measure_ids"):
        assert table[column].tolist() == weekly[column].tolist(), column
    assert table.loc[0, "weeks_recurring"] == 1
    assert table.attrs["label"] == "vecka 39 2025"
    # Every week of the year: the span function over one week is the weekly rule.
    for week in est.year_weeks(data, 2025):
        one = est.recurring_places(data, week)
        rule = est.repeat_places(data, week)
        assert one[["place", "weeks_with_reports", "reports", "has_measure"]].to_dict(
            "records"
        ) == rule[["place", "weeks_with_reports", "reports", "has_measure"]].to_dict("records")


def test_a_span_counts_the_weeks_a_place_was_recurring(data):
    year = est.year_weeks(data, 2025)
    assert len(year) == 52
    table = est.recurring_places_in_year(data, 2025).set_index("place")
    expected = brute_force(data, year)
    assert set(table.index) == set(expected) == {"Torget, Centrum", "Parken, Centrum"}
    for place, found in expected.items():
        assert table.loc[place, "weeks_recurring"] == len(found)
        assert table.loc[place, "first_week"] == min(found)
        assert table.loc[place, "last_week"] == max(found)
    torget = table.loc["Torget, Centrum"]
    assert (torget["weeks_recurring"], torget["first_week"], torget["last_week"]) == (
        4,
        monday("2025-W38"),
        monday("2025-W41"),
    )
    assert (torget["weeks_with_reports"], torget["reports"]) == (3, 3)
    assert "Skolan, Centrum" not in table.index  # two weeks of six is never recurring
    assert table.attrs["label"] == "2025"


def test_has_measure_in_any_recurring_week(data):
    year = est.recurring_places_in_year(data, 2025).set_index("place")
    # M1 (decided week 7) covers Parken while it recurs in weeks 7–8 (and week 9–13,
    # the weeks its reports still make it recurring) ...
    assert year.loc["Parken, Centrum", "has_measure"]
    assert year.loc["Parken, Centrum", "measure_ids"] == "M1"
    # ... but not in weeks 30–35: decided more than 13 weeks earlier and done.
    summer = est.recurring_places(data, [monday(w) for w in weeks(2025, range(30, 36))])
    assert summer.set_index("place").loc["Parken, Centrum", "has_measure"] == False  # noqa: E712
    assert not year.loc["Torget, Centrum", "has_measure"]
    assert est.repeat_places_with_measure(data, 2025) == (1, 2)
    assert est.recurring_counts(est.recurring_places_in_year(data, 2025)) == (1, 2)


def test_the_tertial_the_year_and_the_weeks_agree(data):
    """The planted contradiction: a year with recurring places and an empty tertial chart."""
    pic = est.build(data, 2025, mode="tertial", tertial=3)
    # Torget recurs 4 of the tertial's 17 weeks; Parken's summer weeks are in tertial 2.
    assert pic.repeat["place"].tolist() == ["Torget, Centrum"]
    fig = est.plot_repeat_places(pic)
    fig.canvas.draw()
    texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    assert not any("Inga återkommande" in t for t in texts)
    # The year's recurring places are the union of its tertials' and of its weeks';
    # a place has a measure over the year if it had one in some tertial.
    year = est.recurring_places_in_year(data, 2025).set_index("place")
    union: dict[str, bool] = {}
    for t in (1, 2, 3):
        table = est.build(data, 2025, mode="tertial", tertial=t).repeat
        for place, has in zip(table["place"], table["has_measure"], strict=True):
            union[place] = union.get(place, False) or bool(has)
    assert union == year["has_measure"].to_dict()
    each_week: set[str] = set()
    for week in est.year_weeks(data, 2025):
        each_week |= set(est.recurring_places(data, week)["place"])
    assert each_week == set(year.index)


def test_the_definition_is_shown_with_the_number(data):
    d = est.RECURRING_DEFINITION
    assert f"minst {est.REPEAT_MIN_WEEKS} av de {est.REPEAT_WINDOW} senaste veckorna" in d
    assert f"de {est.MEASURE_GRACE_WEEKS} senaste veckorna" in d
    pic = est.build(data, 2025, mode="tertial", tertial=3)
    text = est.recurring_text(pic.repeat)
    assert text == (
        "Under tertial 3 2025 (september–december) var 1 plats återkommande; "
        f"den hade ingen åtgärd. {d}"
    )
    caption = est.figure_caption(pic, "repeat").data
    assert d in caption and "1 återkommande plats, 0 med åtgärd" in caption
    year = est.recurring_places_in_year(data, 2025)
    assert est.recurring_sentence(year) == (
        "Under 2025 var 2 platser återkommande; 1 av dem hade en åtgärd."
    )
    assert d in est.recurring_caption(year, data.origin).data
    week = est.build(data, 2025, week="2025-W39").repeat
    assert est.recurring_sentence(week) == (
        "Vecka 39 2025 var 1 plats återkommande; den hade ingen åtgärd."
    )
    none = est.build(data, 2025, week="2025-W20").repeat
    assert est.recurring_sentence(none) == "Vecka 20 2025 var ingen plats återkommande."


def test_tables_and_three_things_of_a_tertial(data):
    pic = est.build(data, 2025, mode="tertial", tertial=3)
    shown = est.repeat_table(pic)
    assert list(shown.columns) == [
        "veckor som återkommande (av 17)",
        "första vecka",
        "senaste vecka",
        "veckor med rapporter",
        "rapporter",
        "åtgärd",
    ]
    assert shown.loc["Torget, Centrum", "senaste vecka"] == "vecka 41 2025"
    expected = (
        "Torget, Centrum var återkommande 4 av 17 veckor, senast vecka 41 2025 "
        "(3 rapporter), och hade ingen åtgärd någon av dem."
    )
    assert expected in pic.things


def test_weeks_to_measure():
    rows = [("2024-W01", "Filler"), ("2025-W01", "Torget")]  # W01 is > 13 weeks before W20
    rows += [(w, "Torget") for w in weeks(2025, (10, 12, 16))]
    rows += [("2025-W40", "Parken"), ("2025-W45", "Filler")]
    measures = make_measures(
        [
            ("M1", "2025-W14", "Torget", "pågår", None),  # first report in window: W10
            ("M2", "2025-W20", "Parken", "pågår", None),  # no report before: left out
            ("M3", "2024-W30", "Torget", "pågår", None),  # another year
        ]
    )
    data = prepare(make_reports(rows), measures)
    assert est.weeks_to_measure(data, 2025) == [4.0]
    assert est.weeks_to_measure(data, 2024) == []
