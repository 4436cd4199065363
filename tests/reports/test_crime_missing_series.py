"""The crime report when a series is absent: Brå's yearly kommun files hold only the total.

Every report function renders what the data hold and says in Swedish what is
missing, instead of failing (``KeyError: 'narkotikabrott'`` in ``plot_funnel``).
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from matplotlib.figure import Figure
from test_crime_analysis import KOMMUN, YEARS, make_bra, make_groups, make_population

from trygghet import kommuner
from trygghet.config import load_config
from trygghet.reports.crime import analysis, figures, tables, text
from trygghet.sources import bra_crime


def _texts(fig: Figure) -> str:
    return " ".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))


@pytest.fixture(scope="module")
def total_only() -> analysis.CrimeStats:
    """A CrimeStats built from the total alone, as from Brå's yearly kommun files."""
    bra = make_bra(dict.fromkeys(YEARS, 700), 1500, label="Samtliga brott", category="totalt")
    return analysis.analyse(bra, make_population(), make_groups(), KOMMUN, 2024, min_count=5)


def test_stats_say_which_series_are_missing(total_only):
    assert list(total_only.labels) == ["totalt"]
    assert "narkotikabrott" in total_only.missing_series
    assert "totalt" not in total_only.missing_series


@pytest.mark.parametrize("key", ["narkotikabrott", "trafikbrott", "ordningsstorning"])
def test_funnel_of_a_missing_series_is_a_figure_that_says_so(total_only, key):
    fig = figures.plot_funnel(total_only, key)
    assert isinstance(fig, Figure)
    words = _texts(fig)
    assert f"inga uppgifter om {text.TEXT_NAMES[key]}" in words
    assert "bra_brottstyp.csv" in words  # what would give the series
    assert "EXEMPELDATA" in words  # the example mark is kept


def test_funnel_of_the_total_is_still_drawn(total_only):
    fig = figures.plot_funnel(total_only, "totalt")
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert "95 %-gräns" in labels


def test_rate_and_comparison_charts_draw_the_total_and_name_the_rest(total_only):
    for fig in (figures.plot_rates(total_only), figures.plot_comparison(total_only)):
        words = _texts(fig)
        assert "Samtliga brott" in words
        assert "narkotikabrott" in words and "inga uppgifter" in words
    only_missing = figures.plot_rates(total_only, ["narkotikabrott"])
    assert "inga uppgifter om narkotikabrott" in _texts(only_missing)


def test_tables_and_text_say_what_is_missing(total_only):
    summary = tables.summary_table(total_only)
    frame = pd.DataFrame(summary)
    assert frame.loc["Narkotikabrott", "Brås rubrik"] == tables.NOT_IN_FILES
    assert frame.loc["Samtliga brott", "Brås rubrik"] == "Samtliga brott"
    assert "Samtliga brott" in tables.year_table(total_only).columns

    story = text.narrative(total_only)
    assert "inga uppgifter om narkotikabrott, trafikbrott" in story
    assert text.YEARLY_FILES_ONLY in story
    assert "Inga signaler (röd-röd eller grön-grön) kan beräknas." in story
    assert "Ingen av brottstyperna är både säkert högre" not in story

    head = text.headline(total_only)
    assert head.startswith("2024 anmäldes 700 brott")
    assert "inga uppgifter om narkotikabrott" in head

    paragraph = text.category_paragraph(total_only, "narkotikabrott")
    assert paragraph.startswith("Narkotikabrott: Brås filer för Hällefors innehåller inga")


def test_a_series_missing_beside_others_is_named_without_the_yearly_file_hint():
    stats = analysis.analyse(
        make_bra(dict.fromkeys(YEARS, 20)), make_population(), make_groups(), KOMMUN, 2024
    )
    assert "narkotikabrott" in stats.labels and "trafikbrott" in stats.missing_series
    story = text.narrative(stats)
    assert "inga uppgifter om" in story and "trafikbrott" in story
    assert text.YEARLY_FILES_ONLY not in story
    assert "inga uppgifter om anmälda trafikbrott" in _texts(
        figures.plot_funnel(stats, "trafikbrott")
    )


def test_report_renders_from_bra_yearly_files_alone(tmp_path):
    # The example's yearly files (all layouts, 2021 without a header), no export.
    written = bra_crime.generate_example(load_config(KOMMUN), tmp_path / "all", seed=0)
    folder = tmp_path / "yearly"
    folder.mkdir()
    for path in written:
        if path.name.startswith("bra_kommun_"):
            shutil.copy(path, folder / path.name)
    bra = bra_crime.read_folder(folder, origin="example").table
    codes = kommuner.all_kommuner()["kommun_code"]
    population = pd.DataFrame(
        {"kommun_code": codes, "year": 2024, "population": 15_000, "origin": "real"}
    ).astype({"year": "Int64", "population": "Int64"})
    stats = analysis.analyse(bra, population, None, KOMMUN, 2025, min_count=5)
    assert list(stats.labels) == ["totalt"]
    for fig in (
        figures.plot_rates(stats),
        figures.plot_comparison(stats),
        figures.plot_funnel(stats, "narkotikabrott"),
        figures.plot_funnel(stats, "trafikbrott"),
        figures.plot_funnel(stats, "ordningsstorning"),
    ):
        assert isinstance(fig, Figure)
    assert text.YEARLY_FILES_ONLY in text.narrative(stats)
    assert len(pd.DataFrame(tables.summary_table(stats))) == len(text.SERIES)
