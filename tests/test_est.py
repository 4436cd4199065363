"""The EST lägesbild: baselines, repeat places, measures, selection, the three things, texts."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure
from scipy import stats

from trygghet.reports import est

W = pd.Timedelta(days=7)
FIRST = pd.Timestamp("2023-01-02")  # Monday of 2023-W01


def monday(text: str) -> pd.Timestamp:
    return est.parse_week(text)


# --------------------------------------------------------------------------
# ISO weeks, tertials and the selection
# --------------------------------------------------------------------------


def test_week_parsing_and_labels():
    assert monday("2025-W40") == pd.Timestamp("2025-09-29")
    assert monday("2025-w01") == pd.Timestamp("2024-12-30")  # ISO week 1 starts in December
    assert est.week_label(pd.Timestamp("2024-12-30")) == "2025-W01"
    assert est.week_name(pd.Timestamp("2026-12-28")) == "vecka 53 2026"
    with pytest.raises(ValueError, match="2025-W40"):
        est.parse_week("2025-40")
    with pytest.raises(ValueError, match="finns inte"):
        est.parse_week("2025-W53")  # 2025 has 52 weeks


def test_weeks_in_year():
    assert est.weeks_in_year(2020) == 53
    assert est.weeks_in_year(2025) == 52
    assert est.weeks_in_year(2026) == 53


def test_tertial_weeks_follow_the_thursday():
    t1 = est.tertial_weeks(2025, 1)
    assert t1[0] == pd.Timestamp("2024-12-30")  # Thursday 2 January
    assert t1[-1] == pd.Timestamp("2025-04-21")  # Thursday 24 April; 28 April has Thursday 1 May
    assert len(t1) == 17
    assert est.tertial_weeks(2026, 3)[-1] == monday("2026-W53")
    for year in (2020, 2025, 2026):
        weeks = [w for t in (1, 2, 3) for w in est.tertial_weeks(year, t)]
        assert len(weeks) == len(set(weeks)) == est.weeks_in_year(year)
    assert est.tertial_name(2025, 3) == "tertial 3 2025 (september–december)"


def test_last_complete_week_is_the_week_before_the_latest_entry():
    assert est.last_complete_week(pd.Timestamp("2026-10-30 21:00")) == monday("2026-W43")
    # Entered on the Monday of 2025-W02: 2025-W01 (starting in December 2024) is complete.
    assert est.last_complete_week(pd.Timestamp("2025-01-06 09:00")) == monday("2025-W01")


def test_default_week_is_the_last_complete_week_of_the_period():
    sel = est.select("vecka", 2025, FIRST, monday("2026-W43"))
    assert sel.end == monday("2025-W52") and sel.label == "vecka 52 2025"
    sel = est.select("vecka", 2025, FIRST, monday("2025-W40"))
    assert sel.end == monday("2025-W40")
    sel = est.select("vecka", 2026, FIRST, monday("2027-W05"))
    assert sel.end == monday("2026-W53")  # a 53-week year
    assert sel.year == 2026


def test_explicit_week_and_errors():
    sel = est.select("vecka", 2025, FIRST, monday("2026-W43"), week="2025-W01")
    assert sel.end == pd.Timestamp("2024-12-30") and sel.year == 2025
    with pytest.raises(ValueError, match="utanför"):
        est.select("vecka", 2025, FIRST, monday("2025-W10"), week="2025-W11")
    with pytest.raises(ValueError, match="saknas"):
        est.select("vecka", 2027, FIRST, monday("2026-W43"))
    with pytest.raises(ValueError, match="mode"):
        est.select("månad", 2025, FIRST, monday("2026-W43"))


def test_tertial_selection():
    last = monday("2026-W43")
    assert est.select("tertial", 2025, FIRST, last).tertial == 3
    sel = est.select("tertial", 2026, FIRST, last, week="2026-W02")  # week is ignored
    assert sel.tertial == 2 and sel.weeks == tuple(est.tertial_weeks(2026, 2))
    assert sel.label == "tertial 2 2026 (maj–augusti)"
    assert est.select("tertial", 2026, FIRST, last, tertial=1).tertial == 1
    with pytest.raises(ValueError, match="inte komplett"):
        est.select("tertial", 2026, FIRST, last, tertial=3)
    with pytest.raises(ValueError, match="Ingen tertial"):
        est.select("tertial", 2026, FIRST, monday("2026-W10"))


# --------------------------------------------------------------------------
# History and flagging
# --------------------------------------------------------------------------


def test_history_same_weeks_of_earlier_years():
    weeks, rule = est.history_weeks(monday("2025-W40"), FIRST)
    assert rule == "same_weeks"
    expected = [monday(f"2024-W{w}") for w in range(38, 43)]
    expected += [monday(f"2023-W{w}") for w in range(38, 43)]
    assert weeks == sorted(expected)


def test_history_crosses_the_year_boundary():
    weeks, rule = est.history_weeks(monday("2025-W01"), FIRST)
    assert rule == "same_weeks"
    # 2024: weeks 2023-W51..2024-W03. The 2023 window starts in December 2022,
    # before the data, so that year is left out entirely.
    assert weeks == [monday("2023-W51"), monday("2023-W52")] + [
        monday(f"2024-W0{w}") for w in (1, 2, 3)
    ]
    weeks, _ = est.history_weeks(monday("2025-W52"), FIRST)
    assert weeks[0] == monday("2023-W50") and weeks[-1] == monday("2025-W02")
    assert len(weeks) == 10


def test_history_of_week_53_uses_week_52_of_years_without_it():
    weeks, rule = est.history_weeks(monday("2026-W53"), FIRST)
    assert rule == "same_weeks" and len(weeks) == 15
    assert monday("2025-W52") in weeks and monday("2026-W02") in weeks
    assert monday("2024-W50") in weeks and monday("2023-W50") in weeks
    assert all(w < monday("2026-W53") for w in weeks)


def test_history_falls_back_to_previous_weeks_then_too_short():
    weeks, rule = est.history_weeks(monday("2023-W20"), FIRST)
    assert rule == "previous_weeks"
    assert weeks == [monday("2023-W20") - k * W for k in range(8, 0, -1)]
    weeks, rule = est.history_weeks(monday("2023-W03"), FIRST)
    assert rule == "too_short" and len(weeks) == 2


def test_history_is_always_before_the_week():
    for start in pd.date_range("2023-01-02", "2027-01-04", freq="7D"):
        weeks, _ = est.history_weeks(start, FIRST)
        assert all(FIRST <= w < start for w in weeks)


def test_assess_hand_computed_poisson():
    history = [2, 2, 2, 2, 2]  # mean 2, variance 0 -> Poisson(2)
    a = est.assess(6, history)
    assert a.p_value == pytest.approx(stats.poisson.sf(5, 2))  # 0.01656
    assert a.p_value == pytest.approx(0.01656, abs=1e-5)
    assert (a.low, a.high, a.expected) == (0, 5, 2.0)
    assert a.verdict == est.UNUSUAL_HIGH
    assert est.assess(7, history).verdict == est.VERY_UNUSUAL_HIGH  # p = 0.0045
    assert est.assess(5, history).verdict == est.USUAL  # the band's top is not flagged


def test_assess_small_counts_lower_short_and_missing():
    zeros = [0, 0, 0, 0, 0]
    assert est.assess(1, zeros).verdict == est.TOO_FEW  # p = 0 but a single report
    assert est.assess(2, zeros).verdict == est.TOO_FEW
    assert est.assess(3, zeros).verdict == est.VERY_UNUSUAL_HIGH
    # Poisson(10): 5 % quantile is 5 (P(X <= 4) = 0.029), so 4 is below the band.
    assert est.assess(4, [10] * 5).verdict == est.LOWER
    assert est.assess(5, [10] * 5).verdict == est.USUAL
    assert est.assess(9, [1, 2, 3, 4]).verdict == est.SHORT_HISTORY
    assert est.assess(None, [1] * 5).verdict == est.MISSING


def test_assess_overdispersed_history_widens_the_band():
    history = [0, 0, 4, 0, 6, 0, 0, 6]  # mean 2, variance 7.4 -> negative binomial
    a = est.assess(6, history)
    assert a.verdict == est.USUAL and a.high > 5


def test_flag_table_orders_elevated_first():
    index = pd.date_range(FIRST, periods=60, freq="7D")
    counts = pd.DataFrame({"a": 1, "b": 0, "c": 2}, index=index)
    week = index[-1]
    counts.loc[week] = [9, 1, 2]
    table = est.flag_table(counts, week)
    assert list(table["key"]) == ["a", "b", "c"]
    assert list(table["verdict"]) == [est.VERY_UNUSUAL_HIGH, est.TOO_FEW, est.USUAL]
    assert set(table["rule"]) == {"same_weeks"}


def test_weekly_counts_fill_zero_weeks_and_keys():
    mondays = pd.Series([FIRST, FIRST, FIRST + 2 * W, FIRST + 9 * W])
    keys = pd.Series(["klotter", "annat", "klotter", "klotter"])
    table = est.weekly_counts(mondays, FIRST, FIRST + 3 * W, keys, ["skadegörelse", "klotter"])
    assert list(table.columns) == ["skadegörelse", "klotter", "annat"]
    assert table["klotter"].tolist() == [1, 0, 1, 0]
    assert table["skadegörelse"].sum() == 0
    assert est.weekly_counts(mondays, FIRST, FIRST + 3 * W)["alla"].tolist() == [2, 0, 1, 0]


# --------------------------------------------------------------------------
# Hand-made EST data: repeat places and measures
# --------------------------------------------------------------------------


def make_reports(rows: list[tuple[str, str, str]], entered: str = "2025-10-30") -> pd.DataFrame:
    """EST reports from (week, category, place); every place in area "Centrum"."""
    frame = pd.DataFrame(rows, columns=["week", "category", "place"])
    frame["week_start"] = frame["week"].map(est.parse_week)
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
    frame["decided_week_start"] = frame["decided_week"].map(est.parse_week)
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
    data = est.prepare(make_reports(rows), EMPTY_MEASURES)
    table = est.repeat_places(data, monday("2025-W38"))
    assert table["place"].tolist() == ["Torget, Centrum"]
    row = table.iloc[0]
    assert (row["weeks_with_reports"], row["reports"], row["has_measure"]) == (3, 4, False)
    # The window ending 2025-W38 starts at W33: Skolan (W30–W32) is outside it.
    assert est.repeat_places(data, monday("2025-W38"), min_weeks=1)["place"].tolist() == [
        "Torget, Centrum",
        "Parken, Centrum",
    ]
    # Ending at W37 it starts at W32: Skolan has one week in it.
    ending_w37 = est.repeat_places(data, monday("2025-W37"), min_weeks=1)
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
    data = est.prepare(make_reports(rows), measures)
    table = est.repeat_places(data, monday("2025-W38")).set_index("place")
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
    assert est.open_at(m, monday("2025-W15")).tolist() == [True, False, False]
    assert est.open_at(m, monday("2025-W30")).tolist() == [False, False, True]


def weekly(values: dict[str, int], first: str = "2025-W01", last: str = "2025-W40") -> pd.Series:
    index = pd.date_range(monday(first), monday(last), freq="7D")
    series = pd.Series(0, index=index)
    for week, n in values.items():
        series[monday(week)] = n
    return series


def test_before_after_fewer_and_no_clear_change():
    before = {f"2025-W{w:02d}": 2 for w in range(12, 20)}  # 16 reports in 8 weeks
    result = est.before_after(weekly(before), monday("2025-W20"), monday("2025-W40"))
    assert (result["weeks"], result["before"], result["after"]) == (8, 16, 0)
    assert result["p_value"] == pytest.approx(2 * 0.5**16)
    assert result["verdict"] == est.FEWER
    mixed = {**before, **{f"2025-W{w:02d}": 2 for w in range(21, 27)}}  # 16 before, 12 after
    assert est.before_after(weekly(mixed), monday("2025-W20"), monday("2025-W40"))["verdict"] == (
        est.NO_CLEAR_CHANGE
    )


def test_before_after_equal_windows_too_early_and_too_few():
    series = weekly({"2025-W30": 3, "2025-W33": 1})
    result = est.before_after(series, monday("2025-W34"), monday("2025-W39"))
    assert result["weeks"] == 5  # W35..W39 after, so W29..W33 before
    assert (result["before"], result["after"], result["verdict"]) == (4, 0, est.TOO_FEW)
    assert est.before_after(series, monday("2025-W37"), monday("2025-W39"))["verdict"] == (
        est.TOO_EARLY
    )
    # Not enough data before the decision: too early as well.
    early = weekly({}, first="2025-W05")
    assert est.before_after(early, monday("2025-W07"), monday("2025-W20"))["verdict"] == (
        est.TOO_EARLY
    )


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
    data = est.prepare(make_reports(rows), measures)
    table = est.measure_followup(data, monday("2025-W38")).set_index("measure_id")
    assert sorted(table.index) == ["M1", "M2", "M3"]
    assert table.loc["M1", "overdue"] and not table.loc["M2", "overdue"]
    assert table.loc["M3", "open"] and table.loc["M3", "overdue"]
    assert table.loc["M1", "weeks_since"] == 8


def test_compare_periods_tertial_rules():
    index = pd.date_range(monday("2024-W01"), monday("2025-W52"), freq="7D")
    counts = pd.DataFrame({"many": 0, "few": 0, "same": 0}, index=index)
    now, before = est.tertial_weeks(2025, 1), est.tertial_weeks(2024, 1)
    counts.loc[now, "many"] = 3
    counts.loc[before, "many"] = 1
    counts.loc[now[:3], "few"] = 1
    counts.loc[now, "same"] = 1
    counts.loc[before, "same"] = 1
    table = est.compare_periods(counts, now, before).set_index("key")
    assert table.loc["many", "verdict"] == est.MORE
    assert (table.loc["many", "now"], table.loc["many", "before"]) == (51, 17)
    assert table.loc["few", "verdict"] == est.TOO_FEW
    assert table.loc["same", "verdict"] == est.NO_CLEAR_CHANGE
    missing = est.compare_periods(counts, now, est.tertial_weeks(2023, 1))
    assert set(missing["verdict"]) == {est.NO_COMPARISON}


# --------------------------------------------------------------------------
# The three things
# --------------------------------------------------------------------------


def test_three_things_take_turns_by_kind():
    points = [
        est.Point("elevated", (0.02,), "e2"),
        est.Point("elevated", (0.001,), "e1"),
        est.Point("elevated", (0.04,), "e3"),
        est.Point("overdue", (1,), "o1"),
        est.Point("repeat", (-5,), "r1"),
        est.Point("repeat", (-3,), "r2"),
    ]
    assert est.three_things(points) == ["e1", "r1", "o1"]
    no_repeat = [p for p in points if p.kind != "repeat"]
    assert est.three_things(no_repeat) == ["e1", "o1", "e2"]
    only_elevated = [p for p in points if p.kind == "elevated"]
    assert est.three_things(only_elevated) == ["e1", "e2", "e3"]
    assert est.three_things([points[4]]) == ["r1"]


def test_three_things_when_nothing_stands_out():
    assert est.three_things([]) == [est.NOTHING_STANDS_OUT]
    assert est.three_things([], nothing="x") == ["x"]


# --------------------------------------------------------------------------
# Pinned sentences
# --------------------------------------------------------------------------


def row(verdict: str, observed: int = 9, low: int = 1, high: int = 5) -> dict:
    return {"verdict": verdict, "observed": observed, "low": low, "high": high}


@pytest.mark.parametrize(
    ("verdict", "sentence"),
    [
        (est.VERY_UNUSUAL_HIGH, "Klotter: 9, fler än väntat (1–5). Förhöjt – mycket ovanligt."),
        (est.UNUSUAL_HIGH, "Klotter: 9, fler än väntat (1–5). Förhöjt – ovanligt."),
        (est.TOO_FEW, "Klotter: 9, över det väntade (1–5) men för få för att säga något."),
        (est.LOWER, "Klotter: 9, färre än väntat (1–5)."),
        (est.USUAL, "Klotter: 9, inom det väntade (1–5)."),
        (est.SHORT_HISTORY, "Klotter: 9; för kort historik för att säga vad som är väntat."),
        (est.MISSING, "Klotter: uppgift saknas för veckan."),
    ],
)
def test_level_sentence(verdict, sentence):
    assert est.level_sentence("Klotter", row(verdict)) == sentence


def test_level_sentence_single_value_band():
    assert est.level_sentence("A", row(est.USUAL, 0, 0, 0)) == "A: 0, inom det väntade (0)."


@pytest.mark.parametrize(
    ("verdict", "flagged", "sentence"),
    [
        (
            est.VERY_UNUSUAL_HIGH,
            ["klotter", "Torget, Centrum"],
            "Vecka 38 2025: 9 EST-rapporter, fler än väntat (1–5) – mycket ovanligt. "
            "Förhöjt: klotter och Torget, Centrum.",
        ),
        (
            est.USUAL,
            [],
            "Vecka 38 2025: 9 EST-rapporter, inom det väntade (1–5). "
            "Ingen kategori eller plats är förhöjd.",
        ),
        (
            est.LOWER,
            ["a", "b", "c", "d", "e", "f"],
            "Vecka 38 2025: 9 EST-rapporter, färre än väntat (1–5). "
            "Förhöjt: a, b, c, d och 2 till.",
        ),
        (
            est.SHORT_HISTORY,
            [],
            "Vecka 38 2025: 9 EST-rapporter; för kort historik för att säga vad som är väntat. "
            "Ingen kategori eller plats är förhöjd.",
        ),
    ],
)
def test_week_headline(verdict, flagged, sentence):
    assert est.week_headline("vecka 38 2025", row(verdict), flagged) == sentence


def test_three_things_sentences():
    assert (
        est.elevated_point("Skadegörelse", row(est.VERY_UNUSUAL_HIGH, 6, 0, 3))
        == "Skadegörelse: 6 rapporter mot väntat högst 3 – mycket ovanligt."
    )
    assert (
        est.elevated_point(
            "Polisens händelser", row(est.UNUSUAL_HIGH, 4, 0, 2), ("händelse", "händelser")
        )
        == "Polisens händelser: 4 händelser mot väntat högst 2 – ovanligt."
    )
    repeat = {"place": "Torget, Centrum", "weeks_with_reports": 4, "reports": 1}
    assert est.repeat_point(repeat) == (
        "Torget, Centrum har rapporterats 4 av de senaste 6 veckorna (1 rapport) "
        "och har ingen pågående åtgärd."
    )
    overdue = {
        "measure_id": "M1",
        "place": "Torget, Centrum",
        "responsible": "kommunen",
        "decided": monday("2025-W30"),
        "weeks_since": 8,
    }
    assert est.overdue_point(overdue) == (
        "Åtgärd M1 vid Torget, Centrum (kommunen) beslutades vecka 30 2025 "
        "och är inte klar efter 8 veckor."
    )
    change = {"now": 30, "before": 15}
    assert est.change_point("Klotter", change, "samma tertial 2024") == (
        "Klotter ökade: 30 rapporter mot 15 samma tertial 2024."
    )


@pytest.mark.parametrize(
    ("verdict", "tail"),
    [
        (est.TOO_EARLY, "för tidigt att säga om rapporterna där har minskat."),
        (
            est.TOO_FEW,
            "för få rapporter för att säga (1 rapport under 8 veckor före mot 0 under 8 veckor efter).",
        ),
        (
            est.FEWER,
            "färre rapporter efter beslutet – 1 rapport under 8 veckor före mot 0 under 8 veckor efter.",
        ),
        (
            est.MORE,
            "fler rapporter efter beslutet – 1 rapport under 8 veckor före mot 0 under 8 veckor efter.",
        ),
        (
            est.NO_CLEAR_CHANGE,
            "ingen tydlig förändring – 1 rapport under 8 veckor före mot 0 under 8 veckor efter.",
        ),
    ],
)
def test_measure_sentence(verdict, tail):
    measure = {
        "measure_id": "M1",
        "place": "Torget, Centrum",
        "decided": monday("2025-W10"),
        "verdict": verdict,
        "weeks": 8,
        "before": 1,
        "after": 0,
    }
    assert est.measure_sentence(measure) == f"M1 (Torget, Centrum, beslutad vecka 10 2025): {tail}"


@pytest.mark.parametrize(
    ("verdict", "sentence"),
    [
        (est.MORE, "Klotter: 30 mot 15 samma tertial 2024 – fler, en tydlig ökning."),
        (est.FEWER, "Klotter: 30 mot 15 samma tertial 2024 – färre, en tydlig minskning."),
        (est.NO_CLEAR_CHANGE, "Klotter: 30 mot 15 samma tertial 2024 – ingen tydlig förändring."),
        (est.TOO_FEW, "Klotter: 30 mot 15 samma tertial 2024 – för få för att säga."),
        (
            est.NO_COMPARISON,
            "Klotter: 30; inget att jämföra med (samma tertial 2024 saknas i datan).",
        ),
        (est.MISSING, "Klotter: uppgifter saknas för hela perioden."),
    ],
)
def test_tertial_sentence(verdict, sentence):
    r = {"verdict": verdict, "now": 30, "before": 15}
    assert est.tertial_sentence("Klotter", r, "samma tertial 2024") == sentence


def test_history_description_and_explanation():
    assert est.history_description(monday("2025-W40"), FIRST) == (
        "samma vecka ±2 veckor under 2023 och 2024 (10 veckor)"
    )
    assert est.history_description(monday("2023-W20"), FIRST) == (
        "de 8 veckor närmast före (för lite data från samma tid tidigare år)"
    )
    assert "för lite historik" in est.expected_explanation("för lite historik")


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
    assert "kvot per vecka (95 % KI)" in est.category_table(pic).columns
    assert isinstance(est.plot_weekly(pic), Figure)
