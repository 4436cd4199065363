"""Promise 4 (victim contact within a week): censoring rules, statistics, verdicts, texts."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from statsmodels.duration.survfunc import SurvfuncRight

from trygghet.config import Indicator, load_config
from trygghet.reports import victim_contact as vc
from trygghet.stats.proportions import p_chart_limits, wilson_ci

EXTRACT = pd.Timestamp("2026-10-31")
PSEUDONYM = re.compile(r"P-[0-9a-f]{16}")


def make_cases(rows: list[tuple[str, str, int | None, int | None]]) -> pd.DataFrame:
    """Cases from ``(category, "YYYY-MM", days_to_contact, censored_days)`` tuples."""
    frame = pd.DataFrame(rows, columns=["crime_category", "month", "days", "censored"])
    n = len(frame)
    return pd.DataFrame(
        {
            "case_id": pd.Series([f"P-{i:016x}" for i in range(n)], dtype="string"),
            "crime_category": frame["crime_category"].astype("string"),
            "area": pd.Series(["Hällefors"] * n, dtype="string"),
            "assigned_month": pd.to_datetime(frame["month"] + "-01").astype("datetime64[us]"),
            "days_to_contact": frame["days"].astype("Int64"),
            "contacted": frame["days"].notna().astype(bool),
            "censored_days": frame["censored"].astype("Int64"),
            "extract_date": pd.Series([EXTRACT] * n).astype("datetime64[us]"),
            "origin": pd.Series(["example"] * n, dtype="string"),
        }
    )


def repeat(n: int, category: str, month: str, days: int | None, censored: int | None = None):
    return [(category, month, days, censored)] * n


def example_year(seed: int = 1, n: int = 240) -> pd.DataFrame:
    """A random year of cases over two years, most on time, some open, some never contacted."""
    rng = np.random.default_rng(seed)
    rows = []
    categories = list(vc.CATEGORY_LABELS)
    for _ in range(n):
        year = rng.choice([2024, 2025])
        month = f"{year}-{rng.integers(1, 13):02d}"
        category = str(rng.choice(categories, p=[0.2, 0.15, 0.15, 0.2, 0.2, 0.05, 0.02, 0.03]))
        if rng.random() < 0.06:
            rows.append((category, month, None, int(rng.integers(0, 400))))
        else:
            rows.append((category, month, int(rng.geometric(0.25)) - 1, None))
    return make_cases(rows)


# --------------------------------------------------------------------------- censoring rules


def test_classify_boundaries_of_the_week() -> None:
    cases = make_cases(
        [
            ("hot", "2025-01", 0, None),  # same day: on time
            ("hot", "2025-01", 7, None),  # day 7 is within the week
            ("hot", "2025-01", 8, None),  # late
            ("hot", "2025-01", None, 0),  # assigned on the extract day: open
            ("hot", "2025-01", None, 7),  # could still be contacted on day 7: open
            ("hot", "2025-01", None, 8),  # the week has passed: known miss
            ("hot", "2025-01", None, 300),  # never contacted: miss
        ]
    )
    assert list(vc.classify(cases)) == [
        "on_time",
        "on_time",
        "late",
        "open",
        "open",
        "late",
        "late",
    ]
    assert list(vc.classify(cases, target_days=8))[:6] == [
        "on_time", "on_time", "on_time", "open", "open", "open"
    ]  # fmt: skip


def test_open_cases_are_left_out_of_the_denominator() -> None:
    cases = make_cases(
        repeat(6, "hot", "2025-03", 2)
        + repeat(2, "hot", "2025-03", 12)
        + repeat(3, "hot", "2025-03", None, 3)  # open
        + repeat(1, "hot", "2025-03", None, 30)  # miss
    )
    r = vc.on_time_share(cases)
    assert (r.n_cases, r.on_time, r.late, r.open, r.uncontacted) == (12, 6, 3, 3, 4)
    assert r.decided == 9
    assert r.share == pytest.approx(6 / 9)
    assert (r.low, r.high) == pytest.approx(wilson_ci(6, 9))


def test_classify_refuses_inconsistent_rows() -> None:
    cases = make_cases([("hot", "2025-01", None, None)])
    with pytest.raises(ValueError):
        vc.classify(cases)


def test_aggregate_by_month_quarter_and_category() -> None:
    cases = make_cases(
        repeat(4, "hot", "2025-01", 1)
        + repeat(1, "stöld", "2025-02", 9)
        + repeat(5, "stöld", "2025-04", None, 2)
    )
    by_month = vc.aggregate(cases, "month")
    assert list(by_month.index) == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-02-01"),
                                    pd.Timestamp("2025-04-01")]  # fmt: skip
    assert list(by_month["decided"]) == [4, 1, 0]
    assert math.isnan(by_month["share"].iloc[2])
    by_quarter = vc.aggregate(cases, "quarter")
    assert list(by_quarter["on_time"]) == [4, 0]
    assert list(by_quarter["open"]) == [0, 5]
    by_category = vc.aggregate(cases, "crime_category")
    assert by_category.loc["stöld", "n_cases"] == 6
    assert by_category.loc["hot", "share"] == 1.0
    with pytest.raises(ValueError):
        vc.aggregate(cases, "weekday")


# --------------------------------------------------------------------------- Kaplan–Meier


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
    km = vc.kaplan_meier(HAND_DURATIONS, HAND_OBSERVED)
    assert list(km["time"]) == [0, 1, 2, 3, 5, 8, 10, 12]
    assert list(km["at_risk"]) == [10, 9, 8, 6, 5, 3, 2, 1]
    assert list(km["contacts"]) == [1, 1, 1, 1, 1, 1, 0, 1]
    assert list(km["censored"]) == [0, 0, 1, 0, 1, 0, 1, 0]
    assert km["survival"].to_numpy() == pytest.approx(HAND_SURVIVAL)
    assert vc.km_quantile(km, 0.5) == 5  # first S <= 0.5
    assert vc.km_quantile(km, 0.9) == 12
    assert vc.km_contacted_by(km, 7) == pytest.approx(1 - 0.7 * 5 / 6 * 4 / 5)
    assert vc.km_contacted_by(km, -1) == 0.0


def test_kaplan_meier_agrees_with_statsmodels() -> None:
    km = vc.kaplan_meier(HAND_DURATIONS, HAND_OBSERVED)
    sm = SurvfuncRight(np.array(HAND_DURATIONS, float), np.array(HAND_OBSERVED, float))
    events = km[km["contacts"] > 0]
    assert list(events["time"]) == list(sm.surv_times)
    assert events["survival"].to_numpy() == pytest.approx(sm.surv_prob)


def test_km_quantile_uses_less_or_equal_and_none_when_not_reached() -> None:
    km = vc.kaplan_meier([1, 2, 3, 4], [True] * 4)  # S = 0.75, 0.5, 0.25, 0
    assert vc.km_quantile(km, 0.5) == 2  # statsmodels' strict "<" would give 3
    censored_tail = vc.kaplan_meier([1, 2, 3] + [20] * 7, [True] * 3 + [False] * 7)
    assert vc.km_quantile(censored_tail, 0.5) is None


def test_delay_summary_treats_uncontacted_as_censored() -> None:
    rows = [
        ("hot", "2025-05", d if o else None, None if o else d)
        for d, o in zip(HAND_DURATIONS, HAND_OBSERVED, strict=True)
    ]
    delay = vc.delay_summary(make_cases(rows))
    assert (delay.n_cases, delay.median, delay.p90) == (10, 5, 12)
    assert vc.delay_summary(make_cases([])).median is None


# --------------------------------------------------------------------------- p-chart, funnel


def test_p_chart_pools_the_shown_months_and_drops_small_ones() -> None:
    cases = make_cases(
        repeat(18, "hot", "2024-06", 1)
        + repeat(2, "hot", "2024-06", 20)
        + repeat(5, "hot", "2025-01", 1)
        + repeat(5, "hot", "2025-01", 15)
        + repeat(3, "hot", "2025-02", 1)  # fewer than min_count decided: not drawn
        + repeat(9, "hot", "2023-02", 1)  # outside the two-year window
    )
    chart = vc.p_chart(cases, 2025)
    assert list(chart.index) == [pd.Timestamp("2024-06-01"), pd.Timestamp("2025-01-01")]
    expected = p_chart_limits([18, 5], [20, 10])
    assert chart["centre"].iloc[0] == pytest.approx(23 / 30)
    assert chart["lcl"].to_numpy() == pytest.approx(expected["lcl"].to_numpy())
    assert chart["ucl"].to_numpy() == pytest.approx(expected["ucl"].to_numpy())
    assert vc.p_chart(cases, 2020).empty


def test_category_comparison_positions_against_the_kommun_average() -> None:
    cases = make_cases(
        repeat(95, "stöld", "2025-03", 1)
        + repeat(5, "stöld", "2025-03", 20)
        + repeat(5, "bedrägeri", "2025-03", 1)
        + repeat(25, "bedrägeri", "2025-03", 20)
        + repeat(3, "hot", "2025-03", 1)
    )
    comparison = vc.category_comparison(cases, 2025)
    assert comparison.attrs["overall"] == pytest.approx(103 / 133)
    assert comparison.loc["bedrägeri", "position"] == "below_998"
    assert comparison.loc["stöld", "position"] in ("above_95", "above_998")
    assert bool(comparison.loc["hot", "suppressed"])
    assert vc.category_sentence(comparison) == (
        "Andelen i tid är lägre för bedrägeri och högre för stöld än kommunens genomsnitt, "
        "mer än slumpen förklarar."
    )


# --------------------------------------------------------------------------- verdict


def test_verdict_boundaries() -> None:
    t = vc.Target(share=0.9, min_cases=10)
    assert vc.verdict_from_interval(0.9, 0.99, 50, t) == vc.MET  # lower bound == target
    assert vc.verdict_from_interval(0.8999, 0.99, 50, t) == vc.UNCERTAIN
    assert vc.verdict_from_interval(0.8, 0.9, 50, t) == vc.UNCERTAIN  # upper bound == target
    assert vc.verdict_from_interval(0.8, 0.8999, 50, t) == vc.NOT_MET
    assert vc.verdict_from_interval(0.95, 0.99, 9, t) == vc.TOO_FEW
    assert vc.verdict_from_interval(0.95, 0.99, 10, t) == vc.MET
    assert vc.verdict_from_interval(math.nan, math.nan, 0, t) == vc.TOO_FEW


def test_verdict_from_counts_uses_the_wilson_interval() -> None:
    def share(on_time: int, late: int) -> vc.OnTimeShare:
        cases = make_cases(repeat(on_time, "hot", "2025-01", 1) + repeat(late, "hot", "2025-01", 9))
        return vc.on_time_share(cases)

    assert vc.verdict(share(100, 0)) == vc.MET  # Wilson 96–100 %
    assert vc.verdict(share(90, 10)) == vc.UNCERTAIN  # 83–94 %
    assert vc.verdict(share(60, 40)) == vc.NOT_MET  # 50–69 %
    assert vc.verdict(share(9, 0)) == vc.TOO_FEW  # 9 of 9, but too few


def test_target_from_parameters_and_config() -> None:
    config = load_config("1863")
    bare = [p.model_copy(update={"indicators": []}) for p in config.promises]
    config = config.model_copy(update={"promises": bare})  # no indicator: the parameters rule
    t = vc.target_from(config, 0.8, 5)
    assert (t.share, t.days, t.source) == (0.8, 5, "rapportens parametrar")
    assert t.min_cases == max(vc.MIN_CASES_FOR_VERDICT, config.min_count)
    promises = list(config.promises)
    indicator = Indicator(
        id="kontakt",
        name="Kontakt inom en vecka",
        function="victim_contact.on_time_indicator",
        params={"target_days": 6},
        target=0.95,
        direction="higher_is_better",
    )
    promises[3] = promises[3].model_copy(update={"indicators": [indicator]})
    configured = config.model_copy(update={"promises": promises, "min_count": 12})
    t = vc.target_from(configured, 0.8, 5)
    assert (t.share, t.days, t.min_count, t.min_cases) == (0.95, 6, 12, 12)
    assert t.source == "löfte 4 i kommunens konfiguration"
    assert vc.target_text(t) == (
        "Mål: minst 95\u00a0% kontaktade inom 6 dagar (källa: löfte 4 i kommunens konfiguration)."
    )
    with pytest.raises(ValueError):
        vc.Target(share=1.5)
    # Hällefors follows promise 4 through the follow-up's indicator: the report uses its target.
    shipped = vc.target_from(load_config("1863"), 0.8, 5)
    assert shipped.source == "löfte 4 i kommunens konfiguration"


# --------------------------------------------------------------------------- suppression, privacy


def test_count_text_suppresses_small_counts() -> None:
    assert vc.count_text(0, 5) == "0"
    assert vc.count_text(1, 5) == "fåtal"
    assert vc.count_text(4, 5) == "fåtal"
    assert vc.count_text(5, 5) == "5"
    assert vc.count_text(1234, 5) == "1\u00a0234"
    assert vc.interval_text(0.812, 0.9) == "81–90\u00a0%"
    assert vc.interval_text(math.nan, 0.5) == "–"
    assert vc.days_text(0) == "samma dag"
    assert vc.days_text(1) == "1 dag"
    assert vc.days_text(None) == "–"


def test_small_categories_are_shown_as_few() -> None:
    cases = make_cases(repeat(40, "stöld", "2025-03", 1) + repeat(3, "sexualbrott", "2025-03", 1))
    table = vc.category_table(cases, 2025)
    row = table.loc["Sexualbrott"]
    assert row["ärenden"] == "fåtal"
    assert row["kontakt inom en vecka"] == "–"
    assert row["95 % konfidensintervall"] == "–"
    assert row["bedömning"] == vc.TOO_FEW
    assert row["jämfört med kommunens genomsnitt"] == "–"
    assert table.loc["Stöld", "ärenden"] == "40"
    figure = vc.plot_category_shares(cases, 2025)
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert "Sexualbrott (fåtal)" in labels


def test_key_figures_suppress_few_uncontacted() -> None:
    cases = make_cases(repeat(40, "stöld", "2025-03", 1) + repeat(2, "stöld", "2025-03", None, 90))
    figures = vc.key_figures(cases, 2025)["värde"]
    assert figures["Utan registrerad kontakt vid uttaget"] == "fåtal"
    assert figures["Ärenden där en utredare tilldelades"] == "42"
    assert figures["Bedömning"] == vc.UNCERTAIN  # 40 of 42: Wilson 84–99 %


def test_display_tables_have_no_case_rows() -> None:
    cases = example_year()
    n_2025 = len(vc.cases_in_period(cases, 2025))
    tables = {
        "key": vc.key_figures(cases, 2025),
        "quarter": vc.period_table(cases, 2025, "quarter"),
        "month": vc.period_table(cases, 2025, "month"),
        "category": vc.category_table(cases, 2025),
    }
    assert len(tables["quarter"]) == 5  # four quarters and the year
    assert len(tables["month"]) == 13
    assert len(tables["category"]) <= len(vc.CATEGORY_LABELS)
    for name, table in tables.items():
        assert len(table) < n_2025, name
        rendered = table.to_html() + table.to_string()
        assert not PSEUDONYM.search(rendered), name
        for column in ("case_id", "days_to_contact", "censored_days", "area"):
            assert column not in rendered, name
    text = vc.narrative(cases, 2025, "Hällefors")
    assert not PSEUDONYM.search(text)


def test_km_curve_stops_where_few_remain_at_risk() -> None:
    cases = make_cases(
        [("hot", "2025-01", d, None) for d in range(20)] + [("hot", "2025-01", None, 100)] * 2
    )
    curve = vc._km_curve(cases, min_count=5)
    assert curve["at_risk"].min() >= 5
    assert curve["time"].max() == 17  # at day 18 only 4 cases remain at risk


# --------------------------------------------------------------------------- texts


def _share_cases(on_time: int, late: int, year: str = "2025") -> pd.DataFrame:
    return make_cases(
        repeat(on_time, "hot", f"{year}-01", 2) + repeat(late, "hot", f"{year}-01", 12)
    )


def test_headline_sentences() -> None:
    assert vc.headline(_share_cases(100, 0), 2025, "Hällefors") == (
        "100\u00a0% av de brottsutsatta i Hällefors kontaktades inom 7 dagar efter att en "
        "utredare tilldelats 2025 (95 % konfidensintervall 96–100\u00a0%). Löftet är uppfyllt: "
        "hela intervallet ligger över målet 90\u00a0%."
    )
    assert vc.headline(_share_cases(60, 40), 2025, "Hällefors") == (
        "60\u00a0% av de brottsutsatta i Hällefors kontaktades inom 7 dagar efter att en "
        "utredare tilldelats 2025 (95 % konfidensintervall 50–69\u00a0%). Löftet är inte "
        "uppfyllt: hela intervallet ligger under målet 90\u00a0%."
    )
    assert vc.headline(_share_cases(90, 10), 2025, "Hällefors") == (
        "90\u00a0% av de brottsutsatta i Hällefors kontaktades inom 7 dagar efter att en "
        "utredare tilldelats 2025 (95 % konfidensintervall 83–94\u00a0%). Osäkert om löftet "
        "är uppfyllt: intervallet rymmer målet 90\u00a0%, så skillnaden mot målet kan vara slump."
    )
    assert vc.headline(_share_cases(3, 1), 2025, "Hällefors") == (
        "För få avgjorda ärenden 2025 (fåtal) för att säga om löftet om kontakt med "
        "brottsutsatta inom 7 dagar hölls i Hällefors."
    )


def test_delay_sentences() -> None:
    t = vc.Target()
    assert vc.delay_sentence(vc.DelaySummary(50, 3, 12, 0.8), t) == (
        "Hälften av de brottsutsatta kontaktades inom 3 dagar, och nio av tio inom 12 dagar."
    )
    assert vc.delay_sentence(vc.DelaySummary(50, 0, 1, 0.95), t) == (
        "Hälften av de brottsutsatta kontaktades samma dag som utredaren tilldelades, "
        "och nio av tio inom 1 dag."
    )
    assert vc.delay_sentence(vc.DelaySummary(50, 4, None, 0.7), t) == (
        "Hälften av de brottsutsatta kontaktades inom 4 dagar. Färre än nio av tio har "
        "kontaktats, så den långa svansen kan inte anges."
    )
    assert vc.delay_sentence(vc.DelaySummary(50, None, None, 0.3), t) == (
        "Färre än hälften av de brottsutsatta har kontaktats, så väntetiden kan inte anges."
    )
    assert vc.delay_sentence(vc.DelaySummary(4, 2, 3, 0.9), t) == (
        "För få ärenden för att beskriva hur lång tid kontakten tog."
    )


def test_uncontacted_sentences() -> None:
    def sentence(missed: int, open_: int) -> str:
        cases = make_cases(
            repeat(40, "hot", "2025-01", 1)
            + repeat(missed, "hot", "2025-01", None, 30)
            + repeat(open_, "hot", "2025-01", None, 3)
        )
        return vc.uncontacted_sentence(vc.on_time_share(cases))

    assert sentence(0, 0) == "Alla ärenden har en registrerad kontakt med den brottsutsatta."
    assert sentence(10, 0) == (
        "10 ärenden (20\u00a0%) saknar registrerad kontakt vid uttaget. "
        "Alla har väntat mer än 7 dagar och räknas som missade."
    )
    assert sentence(0, 10) == (
        "10 ärenden (20\u00a0%) saknar registrerad kontakt vid uttaget. "
        "Alla är yngre än 7 dagar och räknas varken som i tid eller för sent än."
    )
    assert sentence(8, 2) == (
        "10 ärenden (20\u00a0%) saknar registrerad kontakt vid uttaget. Av dem har 8 väntat "
        "mer än 7 dagar och räknas som missade, medan ett fåtal är yngre än 7 dagar och inte "
        "räknas alls än."
    )
    assert sentence(2, 1) == (
        "Ett fåtal ärenden saknar registrerad kontakt vid uttaget. Av dem har ett fåtal väntat "
        "mer än 7 dagar och räknas som missade, medan ett fåtal är yngre än 7 dagar och inte "
        "räknas alls än."
    )


def test_trend_comparison_and_sentences() -> None:
    both = pd.concat([_share_cases(95, 5, "2025"), _share_cases(60, 40, "2024")])
    assert vc.compare_with_previous(both, 2025) == "higher"
    assert vc.compare_with_previous(both, 2024) == "too_few"  # no 2023
    same = pd.concat([_share_cases(80, 20, "2025"), _share_cases(78, 22, "2024")])
    assert vc.compare_with_previous(same, 2025) == "no_change"
    worse = pd.concat([_share_cases(60, 40, "2025"), _share_cases(95, 5, "2024")])
    assert vc.compare_with_previous(worse, 2025) == "lower"
    assert vc.trend_sentence("higher", 2025) == "Andelen i tid är säkert högre än 2024."
    assert vc.trend_sentence("lower", 2025) == "Andelen i tid är säkert lägre än 2024."
    assert vc.trend_sentence("no_change", 2025) == "Ingen säker skillnad mot 2024."
    assert vc.trend_sentence("too_few", 2025) == "För få ärenden för att jämföra med 2024."


def test_p_chart_sentences() -> None:
    index = pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"])
    chart = p_chart_limits([18, 19, 18], [20, 20, 20])
    chart.index = index
    assert vc.p_chart_sentence(chart) == (
        "Ingen månad ligger utanför styrgränserna: skillnaderna mellan månaderna "
        "är av den storlek som slumpen ger."
    )
    chart = p_chart_limits([95, 96, 40, 95], [100, 100, 100, 100])
    chart.index = pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"])
    assert vc.p_chart_sentence(chart) == (
        "Andelen i tid låg under styrgränsen mar 2025 och över styrgränsen jan 2025, feb 2025 "
        "och apr 2025: där finns troligen en verklig orsak att ta reda på."
    )
    months = pd.date_range("2025-01-01", periods=11, freq="MS")
    chart = p_chart_limits([85] * 10 + [40], [100] * 11)
    chart.index = months
    assert vc.p_chart_sentence(chart) == (
        "Andelen i tid låg under styrgränsen nov 2025: där finns troligen en verklig orsak "
        "att ta reda på."
    )
    assert vc.p_chart_sentence(chart.iloc[0:0]) == "För få ärenden per månad för ett styrdiagram."


def test_category_sentence_when_nothing_stands_out() -> None:
    cases = make_cases(repeat(40, "stöld", "2025-03", 1) + repeat(40, "hot", "2025-03", 1))
    comparison = vc.category_comparison(cases, 2025)
    assert vc.category_sentence(comparison) == (
        "Ingen brottstyp skiljer sig säkert från kommunens genomsnitt."
    )


def test_narrative_paragraphs_and_charts_build() -> None:
    cases = example_year()
    text = vc.narrative(cases, 2025, "Hällefors")
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith(vc.headline(cases, 2025, "Hällefors"))
    for plot in (vc.plot_p_chart, vc.plot_category_shares, vc.plot_funnel, vc.plot_delay):
        figure = plot(cases, 2025)
        assert figure.axes, plot.__name__
    empty = vc.narrative(cases, 2030, "Hällefors")
    assert empty.startswith("För få avgjorda ärenden 2030 (0)")
    for plot in (vc.plot_p_chart, vc.plot_category_shares, vc.plot_funnel, vc.plot_delay):
        plot(cases, 2030)


def test_indicator_function_for_the_config(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from trygghet.stats.status import MET, decide_status

    cases = _share_cases(100, 0)
    monkeypatch.setattr(vc, "load", lambda kommun: cases)
    context = SimpleNamespace(config=load_config("1863"), kommun="1863", period=2025)
    value = vc.on_time_indicator(context, target_days=7)
    assert (value.value, value.n, value.too_few, value.origin) == (1.0, 100, False, "example")
    assert value.low == pytest.approx(wilson_ci(100, 100)[0])
    assert decide_status(value, 0.9, "higher_is_better")[0] == MET
    context = SimpleNamespace(config=load_config("1863"), kommun="1863", period=2030)
    assert vc.on_time_indicator(context).too_few
