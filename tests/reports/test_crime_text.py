"""The crime report's pinned sentences: levels, trends, the funnel comparison."""

from __future__ import annotations

import pytest

from trygghet.present.swedish import NBSP
from trygghet.reports.crime import signals, text
from trygghet.stats import rates, trend

YEARS = list(range(2015, 2025))
#: The trend's method, stated in every trend sentence (verdict and interval from one test).
LR = "Poisson-trend, intervall och prövning från samma likelihoodkvottest"


def _result(verdict: str, ratio=1.05, low=1.01, high=1.10, total=200, n=10):
    return trend.PoissonTrendResult(ratio, low, high, 0.01, verdict, n, total, 1.0, False, 0.95)


def test_missing_report_year_sentence():
    row = {"series": "trafikbrott", "year": 2024, "missing": True, "value_status": "saknas"}
    assert text.level_sentence(row, 5) == (
        "Trafikbrott: siffran för 2024 saknas i Brås statistik (uppgift saknas)."
    )


# --------------------------------------------------------------------- pinned sentences


def test_sentence_increase():
    summary = signals.TrendSummary(
        trend.INCREASING, _result(trend.INCREASING), YEARS, [], [], False
    )
    assert text.trend_sentence("narkotikabrott", summary) == (
        "Anmälda narkotikabrott har ökat 2015–2024 (i genomsnitt +5,0 % per år, 95 % "
        f"osäkerhetsintervall +1,0 % till +10,0 %; {LR}). Ökningen är större än vad slumpen "
        "brukar ge."
    )


def test_sentence_decrease():
    res = _result(trend.DECREASING, 0.9, 0.85, 0.95)
    summary = signals.TrendSummary(trend.DECREASING, res, YEARS, [], [2024], False)
    assert text.trend_sentence("trafikbrott", summary) == (
        "Anmälda trafikbrott har minskat 2015–2024 (i genomsnitt -10,0 % per år, 95 % "
        f"osäkerhetsintervall -15,0 % till -5,0 %; {LR}). Minskningen är större än vad "
        "slumpen brukar ge. Siffrorna för 2024 är preliminära."
    )


def test_sentence_no_change():
    res = _result(trend.NO_CLEAR_CHANGE, 1.02, 0.97, 1.08)
    summary = signals.TrendSummary(trend.NO_CLEAR_CHANGE, res, YEARS, [], [], False)
    assert text.trend_sentence("ordningsstorning", summary) == (
        "För anmälda ordningsstörningar syns ingen säker förändring 2015–2024 (i genomsnitt "
        f"+2,0 % per år, 95 % osäkerhetsintervall -3,0 % till +8,0 %; {LR}); variationen "
        "mellan åren kan vara slump."
    )


def test_sentence_too_few():
    summary = signals.TrendSummary(
        trend.TOO_FEW, _result(trend.TOO_FEW, total=7), YEARS, [], [], False
    )
    assert text.trend_sentence("rattfylleri", summary) == (
        "Anmälda rattfylleribrott är för få (7 under 10 år) för att säga något säkert om "
        "utvecklingen."
    )


METHOD = "(exakt Poisson-prövning mot jämförelsegruppens nivå)"


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        (
            rates.WITHIN,
            f"Skillnaden mot jämförelsegruppen (500,0 per 100{NBSP}000 invånare) ryms i den "
            "slumpmässiga variation som kan väntas i en kommun av den här storleken: kommunen "
            "ligger inom trattdiagrammets 95 %-gränser, och gruppens nivå ligger inom kommunens "
            f"95 % osäkerhetsintervall {METHOD}.",
        ),
        (
            rates.ABOVE_95,
            f"Nivån är högre än i jämförelsegruppen (500,0 per 100{NBSP}000 invånare); "
            "skillnaden är större än slumpen brukar ge: kommunen ligger ovanför "
            "trattdiagrammets 95 %-gräns, och gruppens nivå ligger under kommunens 95 % "
            f"osäkerhetsintervall {METHOD}.",
        ),
        (
            rates.BELOW_998,
            f"Nivån är tydligt lägre än i jämförelsegruppen (500,0 per 100{NBSP}000 invånare); "
            "skillnaden är mycket större än slumpen brukar ge: kommunen ligger nedanför "
            f"trattdiagrammets 99,8 %-gräns {METHOD}.",
        ),
        (None, "Ingen jämförelse med andra kommuner görs när antalet är litet eller saknas."),
    ],
)
def test_comparison_sentences(position, expected):
    assert text.comparison_sentence(position, 500.0) == expected


def test_no_comparison_around_a_group_level_of_a_few_crimes():
    sentence = text.comparison_sentence(None, float("nan"), reason="group_few", min_count=5)
    assert "fåtal" in sentence and "färre än 5" in sentence and "ingen jämförelse" in sentence
    assert not any(ch.isdigit() for ch in sentence.replace("5", ""))  # no rate printed
