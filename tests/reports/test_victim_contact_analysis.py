"""Promise 4 (victim contact within a week): censoring rules, shares, comparisons, verdicts."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from victim_contact_cases import make_cases, repeat, share_cases

from trygghet.config import Indicator, load_config
from trygghet.reports.victim_contact.analysis import (
    MET,
    MIN_CASES_FOR_VERDICT,
    NOT_MET,
    TOO_FEW,
    UNCERTAIN,
    OnTimeShare,
    Target,
    aggregate,
    category_comparison,
    classify,
    compare_with_previous,
    on_time_share,
    p_chart,
    target_from,
    verdict,
    verdict_from_interval,
)
from trygghet.reports.victim_contact.text import category_sentence, target_text, trend_sentence
from trygghet.stats.proportions import p_chart_limits, wilson_ci

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
    assert list(classify(cases)) == [
        "on_time",
        "on_time",
        "late",
        "open",
        "open",
        "late",
        "late",
    ]
    assert list(classify(cases, target_days=8))[:6] == [
        "on_time", "on_time", "on_time", "open", "open", "open"
    ]  # fmt: skip


def test_open_cases_are_left_out_of_the_denominator() -> None:
    cases = make_cases(
        repeat(6, "hot", "2025-03", 2)
        + repeat(2, "hot", "2025-03", 12)
        + repeat(3, "hot", "2025-03", None, 3)  # open
        + repeat(1, "hot", "2025-03", None, 30)  # miss
    )
    r = on_time_share(cases)
    assert (r.n_cases, r.on_time, r.late, r.open, r.uncontacted) == (12, 6, 3, 3, 4)
    assert r.decided == 9
    assert r.share == pytest.approx(6 / 9)
    assert (r.low, r.high) == pytest.approx(wilson_ci(6, 9))


def test_classify_refuses_inconsistent_rows() -> None:
    cases = make_cases([("hot", "2025-01", None, None)])
    with pytest.raises(ValueError):
        classify(cases)


def test_aggregate_by_month_quarter_and_category() -> None:
    cases = make_cases(
        repeat(4, "hot", "2025-01", 1)
        + repeat(1, "stöld", "2025-02", 9)
        + repeat(5, "stöld", "2025-04", None, 2)
    )
    by_month = aggregate(cases, "month")
    assert list(by_month.index) == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-02-01"),
                                    pd.Timestamp("2025-04-01")]  # fmt: skip
    assert list(by_month["decided"]) == [4, 1, 0]
    assert math.isnan(by_month["share"].iloc[2])
    by_quarter = aggregate(cases, "quarter")
    assert list(by_quarter["on_time"]) == [4, 0]
    assert list(by_quarter["open"]) == [0, 5]
    by_category = aggregate(cases, "crime_category")
    assert by_category.loc["stöld", "n_cases"] == 6
    assert by_category.loc["hot", "share"] == 1.0
    with pytest.raises(ValueError):
        aggregate(cases, "weekday")


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
    chart = p_chart(cases, 2025)
    assert list(chart.index) == [pd.Timestamp("2024-06-01"), pd.Timestamp("2025-01-01")]
    expected = p_chart_limits([18, 5], [20, 10])
    assert chart["centre"].iloc[0] == pytest.approx(23 / 30)
    assert chart["lcl"].to_numpy() == pytest.approx(expected["lcl"].to_numpy())
    assert chart["ucl"].to_numpy() == pytest.approx(expected["ucl"].to_numpy())
    assert p_chart(cases, 2020).empty


def test_category_comparison_positions_against_the_kommun_average() -> None:
    cases = make_cases(
        repeat(95, "stöld", "2025-03", 1)
        + repeat(5, "stöld", "2025-03", 20)
        + repeat(5, "bedrägeri", "2025-03", 1)
        + repeat(25, "bedrägeri", "2025-03", 20)
        + repeat(3, "hot", "2025-03", 1)
    )
    comparison = category_comparison(cases, 2025)
    assert comparison.attrs["overall"] == pytest.approx(103 / 133)
    assert comparison.loc["bedrägeri", "position"] == "below_998"
    assert comparison.loc["stöld", "position"] in ("above_95", "above_998")
    assert bool(comparison.loc["hot", "suppressed"])
    assert category_sentence(comparison) == (
        "Andelen i tid är lägre för bedrägeri och högre för stöld än kommunens genomsnitt, "
        "mer än slumpen förklarar."
    )


# --------------------------------------------------------------------------- comparison with the previous year


def test_trend_comparison_and_sentences() -> None:
    both = pd.concat([share_cases(95, 5, "2025"), share_cases(60, 40, "2024")])
    assert compare_with_previous(both, 2025) == "higher"
    assert compare_with_previous(both, 2024) == "too_few"  # no 2023
    same = pd.concat([share_cases(80, 20, "2025"), share_cases(78, 22, "2024")])
    assert compare_with_previous(same, 2025) == "no_change"
    worse = pd.concat([share_cases(60, 40, "2025"), share_cases(95, 5, "2024")])
    assert compare_with_previous(worse, 2025) == "lower"
    assert trend_sentence("higher", 2025) == "Andelen i tid är säkert högre än 2024."
    assert trend_sentence("lower", 2025) == "Andelen i tid är säkert lägre än 2024."
    assert trend_sentence("no_change", 2025) == "Ingen säker skillnad mot 2024."
    assert trend_sentence("too_few", 2025) == "För få ärenden för att jämföra med 2024."


# --------------------------------------------------------------------------- verdict


def test_verdict_boundaries() -> None:
    t = Target(share=0.9, min_cases=10)
    assert verdict_from_interval(0.9, 0.99, 50, t) == MET  # lower bound == target
    assert verdict_from_interval(0.8999, 0.99, 50, t) == UNCERTAIN
    assert verdict_from_interval(0.8, 0.9, 50, t) == UNCERTAIN  # upper bound == target
    assert verdict_from_interval(0.8, 0.8999, 50, t) == NOT_MET
    assert verdict_from_interval(0.95, 0.99, 9, t) == TOO_FEW
    assert verdict_from_interval(0.95, 0.99, 10, t) == MET
    assert verdict_from_interval(math.nan, math.nan, 0, t) == TOO_FEW


def test_verdict_from_counts_uses_the_wilson_interval() -> None:
    def share(on_time: int, late: int) -> OnTimeShare:
        cases = make_cases(repeat(on_time, "hot", "2025-01", 1) + repeat(late, "hot", "2025-01", 9))
        return on_time_share(cases)

    assert verdict(share(100, 0)) == MET  # Wilson 96–100 %
    assert verdict(share(90, 10)) == UNCERTAIN  # 83–94 %
    assert verdict(share(60, 40)) == NOT_MET  # 50–69 %
    assert verdict(share(9, 0)) == TOO_FEW  # 9 of 9, but too few


def test_target_from_parameters_and_config() -> None:
    config = load_config("1863")
    bare = [p.model_copy(update={"indicators": []}) for p in config.promises]
    config = config.model_copy(update={"promises": bare})  # no indicator: the parameters rule
    t = target_from(config, 0.8, 5)
    assert (t.share, t.days, t.source) == (0.8, 5, "rapportens parametrar")
    assert t.min_cases == max(MIN_CASES_FOR_VERDICT, config.min_count)
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
    t = target_from(configured, 0.8, 5)
    assert (t.share, t.days, t.min_count, t.min_cases) == (0.95, 6, 12, 12)
    assert t.source == "löfte 4 i kommunens konfiguration"
    assert target_text(t) == (
        "Mål: minst 95\u00a0% kontaktade inom 6 dagar (källa: löfte 4 i kommunens konfiguration)."
    )
    with pytest.raises(ValueError):
        Target(share=1.5)
    # Hällefors follows promise 4 through the follow-up's indicator: the report uses its target.
    shipped = target_from(load_config("1863"), 0.8, 5)
    assert shipped.source == "löfte 4 i kommunens konfiguration"
