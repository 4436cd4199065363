"""The crime report on the page: origins named per source, EXEMPELDATA marks, "fåtal" in charts."""

from __future__ import annotations

import pandas as pd
from test_crime_analysis import KOMMUN, YEARS, make_bra, make_groups, make_population

from trygghet.present import page, style
from trygghet.present.tables import EXAMPLE_NOTE, PageTable
from trygghet.reports.crime import analysis, figures, tables, text


def analyse(counts, *, origin: str = "example") -> analysis.CrimeStats:
    bra = make_bra(counts).assign(origin=origin)
    groups = make_groups().assign(origin=origin)
    return analysis.analyse(bra, make_population(), groups, KOMMUN, 2024, min_count=5)


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


def test_population_is_real_even_when_counts_are_examples():
    stats = analyse(dict.fromkeys(YEARS, 20))
    assert stats.origin == "example" and stats.population_origin == "real"
    source = figures.chart_source(stats)
    assert "Brå, anmälda brott (EXEMPELDATA)" in source
    # Named as real (no mark after it), and the one population year is said to divide every year.
    assert "SCB, folkmängd 2024 (för alla år);" in source
    real = analyse(dict.fromkeys(YEARS, 20), origin="fetched")
    assert "EXEMPELDATA" not in figures.chart_source(real)


def test_banners_give_scb_its_own_origin(monkeypatch):
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        page, "banner", lambda source, origin, detail="": shown.append((source, origin))
    )
    text.show_banners(analyse(dict.fromkeys(YEARS, 20)))
    assert shown == [(text.SOURCE, "example"), (text.POPULATION_SOURCE, "real")]
    assert "SCB" not in text.SOURCE


def test_tables_are_page_tables_with_the_example_line():
    stats = analyse(dict.fromkeys(YEARS, 20))
    for table in (tables.summary_table(stats), tables.year_table(stats)):
        assert isinstance(table, PageTable)
        markup = table._repr_html_()
        assert EXAMPLE_NOTE in markup and "Narkotikabrott" in markup
    assert (
        EXAMPLE_NOTE
        not in tables.summary_table(
            analyse(dict.fromkeys(YEARS, 20), origin="fetched")
        )._repr_html_()
    )


def test_a_crime_label_from_data_is_escaped_in_the_table():
    bra = make_bra(dict.fromkeys(YEARS, 20), label="<b>{{7*7}}</b>")
    stats = analysis.analyse(bra, make_population(), make_groups(), KOMMUN, 2024)
    markup = tables.summary_table(stats)._repr_html_()
    assert "<b>" not in markup and "{{" not in markup and "&lt;b&gt;" in markup


def test_small_counts_follow_the_rule_in_table_and_charts():
    stats = analyse({**dict.fromkeys(YEARS, 20), 2019: 3, 2024: 2})
    summary = tables.summary_table(stats)
    assert summary.loc["Narkotikabrott", "Antal"] == "fåtal"
    assert summary.loc["Narkotikabrott", "Per 100 000 inv."] == "fåtal"
    assert tables.year_table(stats).loc[2019, "Narkotikabrott"] == "fåtal"
    rates_fig = figures.plot_rates(stats)
    # One "fåtal" per hidden year (2019 and 2024), where the table says fåtal; no lone "f".
    assert _texts(rates_fig).count("fåtal") == 2 and "f" not in _texts(rates_fig)
    funnel = figures.plot_funnel(stats, "narkotikabrott")
    assert any("fåtal – visas inte" in t for t in _texts(funnel))
    own = figures.funnel_data(stats, "narkotikabrott")
    assert not own["is_kommun"].any()  # the hidden count is never drawn as a point


def test_zero_is_shown_not_called_few():
    stats = analyse({**dict.fromkeys(YEARS, 20), 2024: 0})
    assert tables.summary_table(stats).loc["Narkotikabrott", "Antal"] == "0"


def test_every_chart_carries_the_example_mark_in_the_image():
    stats = analyse(dict.fromkeys(YEARS, 20))
    for fig in (
        figures.plot_rates(stats),
        figures.plot_funnel(stats, "narkotikabrott"),
        figures.plot_comparison(stats),
    ):
        assert style.EXAMPLE_MARK in _texts(fig)
    real = analyse(dict.fromkeys(YEARS, 20), origin="fetched")
    assert style.EXAMPLE_MARK not in _texts(figures.plot_rates(real))


def test_kolada_table_is_marked_with_its_origin(monkeypatch):
    from trygghet.sources import processed

    kolada = pd.DataFrame(
        {"kpi": "N07403", "municipality": [KOMMUN, "0000"], "period": 2024,
         "gender": "T", "value": [10.0, 12.0], "origin": "example"}
    )  # fmt: skip
    frames = {"kolada": kolada, "kolada_groups": make_groups()}
    monkeypatch.setattr(processed, "load_table", lambda kommun, table: frames[table])
    shown = tables.kolada_for_kommun(KOMMUN)
    assert isinstance(shown, PageTable) and EXAMPLE_NOTE in shown._repr_html_()
