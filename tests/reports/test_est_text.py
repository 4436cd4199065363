"""The lägesbild's pinned sentences: levels, key sentences, measures, tertials."""

from __future__ import annotations

import pandas as pd
import pytest

from trygghet.reports.est.text import (
    expected_explanation,
    history_description,
    level_sentence,
    measure_sentence,
    tertial_sentence,
    week_headline,
)
from trygghet.reports.est.verdicts import (
    FEWER,
    LOWER,
    MISSING,
    MORE,
    NO_CLEAR_CHANGE,
    NO_COMPARISON,
    SHORT_HISTORY,
    TOO_EARLY,
    TOO_FEW,
    UNUSUAL_HIGH,
    USUAL,
    VERY_UNUSUAL_HIGH,
)
from trygghet.reports.est.weeks import parse_week

FIRST = pd.Timestamp("2023-01-02")  # Monday of 2023-W01


def monday(text: str) -> pd.Timestamp:
    return parse_week(text)


def row(verdict: str, observed: int = 9, low: int = 1, high: int = 5) -> dict:
    return {"verdict": verdict, "observed": observed, "low": low, "high": high}


@pytest.mark.parametrize(
    ("verdict", "sentence"),
    [
        (VERY_UNUSUAL_HIGH, "Klotter: 9, fler än väntat (1–5). Förhöjt – mycket ovanligt."),
        (UNUSUAL_HIGH, "Klotter: 9, fler än väntat (1–5). Förhöjt – ovanligt."),
        (TOO_FEW, "Klotter: 9, över det väntade (1–5) men för få för att säga något."),
        (LOWER, "Klotter: 9, färre än väntat (1–5)."),
        (USUAL, "Klotter: 9, inom det väntade (1–5)."),
        (SHORT_HISTORY, "Klotter: 9; för kort historik för att säga vad som är väntat."),
        (MISSING, "Klotter: uppgift saknas för veckan."),
    ],
)
def test_level_sentence(verdict, sentence):
    assert level_sentence("Klotter", row(verdict)) == sentence


def test_level_sentence_single_value_band():
    assert level_sentence("A", row(USUAL, 0, 0, 0)) == "A: 0, inom det väntade (0)."


@pytest.mark.parametrize(
    ("verdict", "flagged", "sentence"),
    [
        (
            VERY_UNUSUAL_HIGH,
            ["klotter", "Torget, Centrum"],
            "Vecka 38 2025: 9 EST-rapporter, fler än väntat (1–5) – mycket ovanligt. "
            "Förhöjt: klotter och Torget, Centrum.",
        ),
        (
            USUAL,
            [],
            "Vecka 38 2025: 9 EST-rapporter, inom det väntade (1–5). "
            "Ingen kategori eller plats är förhöjd.",
        ),
        (
            LOWER,
            ["a", "b", "c", "d", "e", "f"],
            "Vecka 38 2025: 9 EST-rapporter, färre än väntat (1–5). "
            "Förhöjt: a, b, c, d och 2 till.",
        ),
        (
            SHORT_HISTORY,
            [],
            "Vecka 38 2025: 9 EST-rapporter; för kort historik för att säga vad som är väntat. "
            "Ingen kategori eller plats är förhöjd.",
        ),
    ],
)
def test_week_headline(verdict, flagged, sentence):
    assert week_headline("vecka 38 2025", row(verdict), flagged) == sentence


@pytest.mark.parametrize(
    ("verdict", "tail"),
    [
        (TOO_EARLY, "för tidigt att säga om rapporterna där har minskat."),
        (
            TOO_FEW,
            "för få rapporter för att säga (1 rapport under 8 veckor före mot 0 under 8 veckor efter).",
        ),
        (
            FEWER,
            "färre rapporter efter beslutet – 1 rapport under 8 veckor före mot 0 under 8 veckor efter.",
        ),
        (
            MORE,
            "fler rapporter efter beslutet – 1 rapport under 8 veckor före mot 0 under 8 veckor efter.",
        ),
        (
            NO_CLEAR_CHANGE,
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
    head = "M1 (Torget, Centrum, beslutad vecka 10 2025)"
    assert measure_sentence(measure, min_count=1) == f"{head}: {tail}"
    # Under the kommun's min_count the counts at the place are "fåtal"; zero is shown.
    hidden = tail.replace("1 rapport", "fåtal rapporter")
    assert measure_sentence(measure, min_count=5) == f"{head}: {hidden}"


@pytest.mark.parametrize(
    ("verdict", "sentence"),
    [
        (MORE, "Klotter: 30 mot 15 samma tertial 2024 – fler, en tydlig ökning."),
        (FEWER, "Klotter: 30 mot 15 samma tertial 2024 – färre, en tydlig minskning."),
        (NO_CLEAR_CHANGE, "Klotter: 30 mot 15 samma tertial 2024 – ingen tydlig förändring."),
        (TOO_FEW, "Klotter: 30 mot 15 samma tertial 2024 – för få för att säga."),
        (
            NO_COMPARISON,
            "Klotter: 30; inget att jämföra med (samma tertial 2024 saknas i datan).",
        ),
        (MISSING, "Klotter: uppgifter saknas för hela perioden."),
    ],
)
def test_tertial_sentence(verdict, sentence):
    r = {"verdict": verdict, "now": 30, "before": 15}
    assert tertial_sentence("Klotter", r, "samma tertial 2024") == sentence


def test_history_description_and_explanation():
    assert history_description(monday("2025-W40"), FIRST) == (
        "samma vecka ±2 veckor under 2023 och 2024 (10 veckor)"
    )
    assert history_description(monday("2023-W20"), FIRST) == (
        "de 8 veckor närmast före (för lite data från samma tid tidigare år)"
    )
    assert "för lite historik" in expected_explanation("för lite historik")


def test_week_headline_says_a_small_week_as_a_few():
    """Under the kommun's rule the week's count is "ett fåtal", as in the source table."""
    small = row(USUAL, 3, 1, 5)
    assert week_headline("vecka 38 2025", small, [], min_count=5) == (
        "Vecka 38 2025: ett fåtal EST-rapporter, inom det väntade (1–5). "
        "Ingen kategori eller plats är förhöjd."
    )
    assert week_headline("vecka 38 2025", small, [], min_count=3).startswith(
        "Vecka 38 2025: 3 EST-rapporter"
    )
