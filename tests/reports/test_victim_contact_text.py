"""Promise 4: the Swedish counts, headline, sentences and narrative (and that the charts build)."""

from __future__ import annotations

import math

import pandas as pd
from victim_contact_cases import example_year, make_cases, repeat, share_cases

from trygghet.reports.victim_contact.analysis import Target, category_comparison, on_time_share
from trygghet.reports.victim_contact.delay import DelaySummary
from trygghet.reports.victim_contact.figures import (
    plot_category_shares,
    plot_delay,
    plot_funnel,
    plot_p_chart,
)
from trygghet.reports.victim_contact.text import (
    category_sentence,
    count_text,
    days_text,
    delay_sentence,
    headline,
    interval_text,
    narrative,
    p_chart_sentence,
    uncontacted_sentence,
)
from trygghet.stats.proportions import p_chart_limits


def test_count_text_suppresses_small_counts() -> None:
    assert count_text(0, 5) == "0"
    assert count_text(1, 5) == "fåtal"
    assert count_text(4, 5) == "fåtal"
    assert count_text(5, 5) == "5"
    assert count_text(1234, 5) == "1\u00a0234"
    assert interval_text(0.812, 0.9) == "81–90\u00a0%"
    assert interval_text(math.nan, 0.5) == "–"
    assert days_text(0) == "samma dag"
    assert days_text(1) == "1 dag"
    assert days_text(None) == "–"


def test_headline_sentences() -> None:
    assert headline(share_cases(100, 0), 2025, "Hällefors") == (
        "100\u00a0% av de brottsutsatta i Hällefors kontaktades inom 7 dagar efter att en "
        "utredare tilldelats 2025 (95 % osäkerhetsintervall 96–100\u00a0%). Löftet är uppfyllt: "
        "hela intervallet ligger över målet 90\u00a0%."
    )
    assert headline(share_cases(60, 40), 2025, "Hällefors") == (
        "60\u00a0% av de brottsutsatta i Hällefors kontaktades inom 7 dagar efter att en "
        "utredare tilldelats 2025 (95 % osäkerhetsintervall 50–69\u00a0%). Löftet är inte "
        "uppfyllt: hela intervallet ligger under målet 90\u00a0%."
    )
    assert headline(share_cases(90, 10), 2025, "Hällefors") == (
        "90\u00a0% av de brottsutsatta i Hällefors kontaktades inom 7 dagar efter att en "
        "utredare tilldelats 2025 (95 % osäkerhetsintervall 83–94\u00a0%). Osäkert om löftet "
        "är uppfyllt: intervallet rymmer målet 90\u00a0%, så skillnaden mot målet kan vara slump."
    )
    assert headline(share_cases(3, 1), 2025, "Hällefors") == (
        "För få avgjorda ärenden 2025 (fåtal) för att säga om löftet om kontakt med "
        "brottsutsatta inom 7 dagar hölls i Hällefors."
    )


def test_delay_sentences() -> None:
    t = Target()
    assert delay_sentence(DelaySummary(50, 3, 12, 0.8), t) == (
        "Hälften av de brottsutsatta kontaktades inom 3 dagar, och nio av tio inom 12 dagar."
    )
    assert delay_sentence(DelaySummary(50, 0, 1, 0.95), t) == (
        "Hälften av de brottsutsatta kontaktades samma dag som utredaren tilldelades, "
        "och nio av tio inom 1 dag."
    )
    assert delay_sentence(DelaySummary(50, 4, None, 0.7), t) == (
        "Hälften av de brottsutsatta kontaktades inom 4 dagar. Färre än nio av tio har "
        "kontaktats, så den långa svansen kan inte anges."
    )
    assert delay_sentence(DelaySummary(50, None, None, 0.3), t) == (
        "Färre än hälften av de brottsutsatta har kontaktats, så väntetiden kan inte anges."
    )
    assert delay_sentence(DelaySummary(4, 2, 3, 0.9), t) == (
        "För få ärenden för att beskriva hur lång tid kontakten tog."
    )


def test_uncontacted_sentences() -> None:
    def sentence(missed: int, open_: int) -> str:
        cases = make_cases(
            repeat(40, "hot", "2025-01", 1)
            + repeat(missed, "hot", "2025-01", None, 30)
            + repeat(open_, "hot", "2025-01", None, 3)
        )
        return uncontacted_sentence(on_time_share(cases))

    assert sentence(0, 0) == "Alla ärenden har en registrerad kontakt med den brottsutsatta."
    assert sentence(10, 0) == (
        "10 ärenden (20\u00a0%) saknar registrerad kontakt vid uttaget. "
        "Alla har väntat mer än 7 dagar och räknas som missade."
    )
    assert sentence(0, 10) == (
        "10 ärenden (20\u00a0%) saknar registrerad kontakt vid uttaget. "
        "Alla är yngre än 7 dagar och räknas varken som i tid eller för sent än."
    )
    # "8" would give the two open cases back as 10 − 8: the sentence does not say it.
    assert sentence(8, 2) == (
        "10 ärenden (20\u00a0%) saknar registrerad kontakt vid uttaget. Av dem har de flesta väntat "
        "mer än 7 dagar och räknas som missade, medan ett fåtal är yngre än 7 dagar och inte "
        "räknas alls än."
    )
    assert sentence(2, 1) == (
        "Ett fåtal ärenden saknar registrerad kontakt vid uttaget. Av dem har ett fåtal väntat "
        "mer än 7 dagar och räknas som missade, medan ett fåtal är yngre än 7 dagar och inte "
        "räknas alls än."
    )


def test_p_chart_sentences() -> None:
    index = pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"])
    chart = p_chart_limits([18, 19, 18], [20, 20, 20])
    chart.index = index
    assert p_chart_sentence(chart) == (
        "Ingen månad ligger utanför styrgränserna: skillnaderna mellan månaderna "
        "är av den storlek som slumpen ger."
    )
    chart = p_chart_limits([95, 96, 40, 95], [100, 100, 100, 100])
    chart.index = pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"])
    assert p_chart_sentence(chart) == (
        "Andelen i tid låg under styrgränsen mar 2025 och över styrgränsen jan 2025, feb 2025 "
        "och apr 2025: där finns troligen en verklig orsak att ta reda på."
    )
    months = pd.date_range("2025-01-01", periods=11, freq="MS")
    chart = p_chart_limits([85] * 10 + [40], [100] * 11)
    chart.index = months
    assert p_chart_sentence(chart) == (
        "Andelen i tid låg under styrgränsen nov 2025: där finns troligen en verklig orsak "
        "att ta reda på."
    )
    assert p_chart_sentence(chart.iloc[0:0]) == "För få ärenden per månad för ett styrdiagram."


def test_category_sentence_when_nothing_stands_out() -> None:
    cases = make_cases(repeat(40, "stöld", "2025-03", 1) + repeat(40, "hot", "2025-03", 1))
    comparison = category_comparison(cases, 2025)
    assert category_sentence(comparison) == (
        "Ingen brottstyp skiljer sig säkert från kommunens genomsnitt."
    )


def test_narrative_paragraphs_and_charts_build() -> None:
    cases = example_year()
    text = narrative(cases, 2025, "Hällefors")
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith(headline(cases, 2025, "Hällefors"))
    for plot in (plot_p_chart, plot_category_shares, plot_funnel, plot_delay):
        figure = plot(cases, 2025)
        assert figure.axes, plot.__name__
    empty = narrative(cases, 2030, "Hällefors")
    assert empty.startswith("För få avgjorda ärenden 2030 (0)")
    for plot in (plot_p_chart, plot_category_shares, plot_funnel, plot_delay):
        plot(cases, 2030)


def test_a_share_axis_starts_at_zero_or_the_chart_says_it_does_not() -> None:
    import matplotlib.pyplot as plt

    cases = example_year()
    for plot in (plot_p_chart, plot_category_shares, plot_funnel, plot_delay):
        figure = plot(cases, 2025)
        for ax in figure.axes:
            texts = " ".join(t.get_text() for t in ax.texts)
            for low in (ax.get_ylim()[0], ax.get_xlim()[0]):
                if low > 1e-9 and ax.get_ylabel() + ax.get_xlabel():
                    assert "inte vid 0" in texts, (plot.__name__, low)
        plt.close(figure)


def test_the_truncation_note_names_where_the_axis_starts() -> None:
    import matplotlib.pyplot as plt

    from trygghet.present.axes import say_if_truncated

    fig, ax = plt.subplots()
    ax.set_ylim(0.6, 1)
    assert say_if_truncated(ax) == "OBS: axeln börjar vid 60\u00a0%, inte vid 0"
    ax.set_ylim(0, 1)
    assert say_if_truncated(ax) is None
    plt.close(fig)
