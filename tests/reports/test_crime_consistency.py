"""One number, one method on the crime page (issue 16).

* a pooled rate (comparison group, län, Riket) built on fewer crimes than the
  kommun's ``min_count`` is "fåtal" in tables, sentences and charts, and no
  kommun is placed in a funnel around it;
* every sentence about the kommun's position against the group comes from the
  funnel's exact test, which is the same as the group's level lying outside
  the kommun's exact interval drawn in the comparison chart: the planted case
  where the two intervals overlap but the group's level lies outside the
  kommun's interval is "lägre" in the text, the table, the chart's title and
  the chart's line, and the chart's reading rule no longer says that
  overlapping intervals mean an uncertain difference;
* Brå's "Våldsbrott" and Kolada's key figure are reconciled in words;
* every year is divided by its own population where the table holds it, and a
  borrowed year is named.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from test_crime_analysis import (
    KOMMUN,
    PEERS,
    YEARS,
    _bra_rows,
    make_bra,
    make_groups,
    make_population,
)

from trygghet.present.small_numbers import FEW
from trygghet.present.swedish import fmt_number
from trygghet.reports.crime import analysis, figures, rate_table, signals, tables, text
from trygghet.sources import scb
from trygghet.stats import rates, trend

LABEL, CATEGORY = "Narkotikabrott", "narkotikabrott"
NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "02_brottsstatistik.ipynb"


def _texts(fig: Figure) -> str:
    return " ".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))


def _bra(kommun: int, peers: list[int], lan: int = 1000, riket: int = 50_000) -> pd.DataFrame:
    """Report year 2024 only: the kommun (10 000 inh.), five peers (20 000 each), län, Riket."""
    rows = _bra_rows(KOMMUN, "kommun", LABEL, CATEGORY, {2024: kommun})
    for code, count in zip(PEERS, peers, strict=True):
        rows += _bra_rows(code, "kommun", LABEL, CATEGORY, {2024: count})
    rows += _bra_rows("0018", "län", LABEL, CATEGORY, {2024: lan})
    rows += _bra_rows("0000", "riket", LABEL, CATEGORY, {2024: riket})
    return pd.DataFrame(rows).astype(
        {"year": "Int64", "count": "Int64", "rate_per_100k": "Float64"}
    )


def _analyse(bra: pd.DataFrame, min_count: int = 5, population=None) -> analysis.CrimeStats:
    pop = make_population() if population is None else population
    return analysis.analyse(bra, pop, make_groups(), KOMMUN, 2024, min_count=min_count)


def _row(stats: analysis.CrimeStats, key: str = CATEGORY) -> pd.Series:
    return stats.summary.set_index("series").loc[key]


# --------------------------------------------------------------------- 1. pooled small counts


def test_pooled_rate_flags_a_few_crimes_and_keeps_its_old_call():
    table = rate_table.build_rates(
        _bra(20, [1, 1, 1, 0, 0]), make_population(), {CATEGORY: LABEL}, min_count=5
    )
    # The national overview's call (positional, no min_count) still works.
    est = rate_table.pooled_rate(table, PEERS, CATEGORY, 2024)
    assert est is not None and est.count == 3 and est.suppressed
    assert est.rate == pytest.approx(3 / 100_000 * 1e5)  # computed, but flagged
    assert not rate_table.pooled_rate(table, PEERS, CATEGORY, 2024, min_count=3).suppressed
    assert rate_table.pooled_rate(table, PEERS, CATEGORY, 2024, min_count=4).suppressed


def test_a_group_level_of_three_crimes_is_few_everywhere_and_not_compared():
    stats = _analyse(_bra(20, [1, 1, 1, 0, 0], lan=3))
    row = _row(stats)
    assert row["group_count"] == 3 and bool(row["group_suppressed"])
    assert math.isnan(row["group_rate"]) and math.isnan(row["group_low"])  # nothing to print
    assert row["position"] is None and row["no_comparison"] == "group_few"
    assert row["flag"] is None
    assert bool(row["lan_suppressed"]) and math.isnan(row["lan_rate"])
    # Table
    shown = pd.DataFrame(tables.summary_table(stats)).loc["Narkotikabrott"]
    assert shown["Jämförelsegrupp"] == FEW and shown["Län"] == FEW
    assert shown["Mot gruppen"] == "ingen jämförelse (gruppen: fåtal)"
    assert shown["Riket"] != FEW
    # Sentences: "fåtal", never the rate of 3 crimes (3,0 per 100 000)
    paragraph = text.category_paragraph(stats, CATEGORY)
    assert "Jämförelsegruppens nivå bygger på ett fåtal anmälda brott (färre än 5)" in paragraph
    assert "3,0" not in paragraph and "3,0" not in text.narrative(stats)
    # Charts: the dot plot writes "fåtal" for the group and the län; no funnel around it
    data = figures.comparison_data(stats).set_index("kind")
    assert data.loc["grupp", "hidden"] == FEW and math.isnan(data.loc["grupp", "rate"])
    assert data.loc["län", "hidden"] == FEW
    comparison = _texts(figures.plot_comparison(stats))
    assert FEW in comparison and "3,0" not in comparison
    funnel = _texts(figures.plot_funnel(stats, CATEGORY))
    assert "fåtal" in funnel and "inget trattdiagram" in funnel


def test_the_rule_is_the_kommuns_min_count_not_the_default():
    bra = _bra(40, [2, 2, 2, 1, 1])  # the group pools 8 crimes
    assert not bool(_row(_analyse(bra, min_count=5))["group_suppressed"])
    assert _row(_analyse(bra, min_count=5))["position"] is not None
    strict = _row(_analyse(bra, min_count=10))
    assert bool(strict["group_suppressed"]) and strict["position"] is None


def test_a_group_without_any_crime_is_no_yardstick():
    row = _row(_analyse(_bra(20, [0, 0, 0, 0, 0])))
    assert row["group_rate"] == 0.0 and not bool(row["group_suppressed"])  # zero is shown
    assert row["position"] is None and row["no_comparison"] == "group_zero"


# --------------------------------------------------------------------- 2. verdict beside its chart


def _group_line(fig: Figure, key: str, stats: analysis.CrimeStats) -> float | None:
    """The x of the dotted vertical line in the series' panel of the comparison chart."""
    title = figures.panel_title(stats, key)
    for ax in fig.axes:
        # Whichever title position the house style chose (axes.titlelocation).
        if title in (ax.get_title(loc=loc) for loc in ("left", "center", "right")):
            for line in ax.get_lines():
                xs = np.unique(np.asarray(line.get_xdata(), dtype=float))
                if line.get_linestyle() == ":" and len(xs) == 1:
                    return float(xs[0])
    return None


def test_planted_overlap_is_lower_in_text_table_chart_and_funnel():
    # The kommun: 10 crimes in 10 000 -> 100 (exact 95 %: 48,0–183,9). The group: 200
    # crimes in 100 000 -> 200, its own interval (173–230) overlaps the kommun's. Under
    # the old reading rule ("overlapping bars: uncertain") the chart contradicted the
    # text's "lägre"; the one method here says lower everywhere.
    stats = _analyse(_bra(10, [40, 40, 40, 40, 40]))
    row = _row(stats)
    assert row["group_rate"] == pytest.approx(200.0)
    assert row["group_low"] < row["high"]  # the planted overlap of the two bars
    assert row["position"] == rates.BELOW_95
    # The same decision as the group's level against the kommun's drawn interval.
    assert not row["low"] <= row["group_rate"] <= row["high"]
    paragraph = text.category_paragraph(stats, CATEGORY)
    assert "Nivån är lägre än i jämförelsegruppen" in paragraph
    assert "gruppens nivå ligger över kommunens 95 % osäkerhetsintervall" in paragraph
    assert text.COMPARISON_METHOD in paragraph
    assert pd.DataFrame(tables.summary_table(stats)).loc["Narkotikabrott", "Mot gruppen"] == (
        "lägre"
    )
    fig = figures.plot_comparison(stats)
    assert figures.panel_title(stats, CATEGORY).endswith("mot gruppen: lägre")
    assert _group_line(fig, CATEGORY, stats) == pytest.approx(200.0)
    caption = figures.comparison_caption(stats)
    assert "prickade linjen" in caption and text.COMPARISON_METHOD in caption
    assert not re.search(r"överlappar.*osäker", caption, flags=re.I)
    # The funnel beside it: the kommun's dot lies below the drawn (exact) 95 % line.
    limits = rates.funnel_limits([10_000], 200.0, boundary="exact")
    assert row["rate"] < float(limits["lower_95"].iloc[0])


def test_within_is_within_everywhere():
    stats = _analyse(_bra(10, [30, 30, 30, 30, 30]))  # group 150: inside 48,0–183,9
    row = _row(stats)
    assert row["position"] == rates.WITHIN
    assert row["low"] <= row["group_rate"] <= row["high"]
    paragraph = text.category_paragraph(stats, CATEGORY)
    assert "ryms i den slumpmässiga variation" in paragraph
    assert "lägre" not in paragraph and "högre" not in paragraph
    assert figures.panel_title(stats, CATEGORY).endswith("inom slumpens gränser")


@pytest.mark.parametrize("count", [3, 10, 60])
def test_position_and_the_drawn_interval_never_disagree(count):
    # Through the whole report: above/below exactly when the group's level is outside the
    # kommun's bar (the stats-level proof over a dense grid: tests/stats/test_rates_funnel_interval.py).
    for per_peer in (1, 6, 12, 20, 45, 90, 200):
        row = _row(_analyse(_bra(count, [per_peer] * 5), min_count=1))
        outside = not row["low"] <= row["group_rate"] <= row["high"]
        assert (row["position"] != rates.WITHIN) == outside, (count, per_peer)


def test_the_notebook_no_longer_reads_overlap_as_uncertain():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    markdown = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert not re.search(r"överlappar[^.]*osäker", markdown, flags=re.I)
    code = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "crime_stats.comparison_caption(stats)" in code


# --------------------------------------------------------------------- 3. two "våldsbrott"


def _kolada(value: float, period: int = 2024) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kpi": [text.KOLADA_VIOLENCE_KPI, text.KOLADA_VIOLENCE_KPI, "N00000"],
            "municipality": [KOMMUN, "0000", KOMMUN],
            "area_level": ["kommun", "riket", "kommun"],
            "period": [period, period, period],
            "gender": ["T", "T", "T"],
            "value": [value, 900.0, 5.0],
            "count": [1, 1, 1],
            "status": [None, None, None],
            "origin": ["example"] * 3,
        }
    ).astype({"period": "Int64", "value": "Float64"})


def test_the_two_violence_rates_are_reconciled_in_words():
    stats = analysis.analyse(
        make_bra(dict.fromkeys(YEARS, 55), label="Misshandel", category="valdsbrott"),
        make_population(),
        make_groups(),
        KOMMUN,
        2024,
        min_count=5,
    )
    sentence = text.violence_sentence(stats, _kolada(1073.4))
    brå = fmt_number(_row(stats, "valdsbrott")["rate"], 1)
    assert brå == "550,0" and f"({brå} per 100" in sentence
    assert "1\u00a0073,4 per 100" in sentence or "1 073,4 per 100" in sentence
    assert "”Misshandel”" in sentence and text.KOLADA_VIOLENCE_KPI in sentence
    assert "inte samma sak" in sentence
    assert text.VIOLENCE_POINTER in text.narrative(stats)
    assert text.violence_sentence(stats, None) == ""  # one figure alone needs no reconciling
    assert text.violence_sentence(stats, _kolada(1073.4, period=2026)) == ""  # none up to 2024


# --------------------------------------------------------------------- 4. each year's population


def _yearly_population(years: range, kommun_only: dict[int, int] | None = None) -> pd.DataFrame:
    rows = []
    for year in years:
        for code in [KOMMUN, *PEERS]:
            base = 10_000 if code == KOMMUN else 20_000
            rows.append((code, year, base + 100 * (year - 2015)))
    frame = pd.DataFrame(rows, columns=["kommun_code", "year", "population"]).assign(origin="real")
    return frame.astype({"year": "Int64", "population": "Int64"})


def test_every_year_is_divided_by_its_own_population():
    counts = {y: 40 + y - 2015 for y in [*YEARS, 2025]}
    bra = make_bra(counts)
    stats = analysis.analyse(
        bra, _yearly_population(range(2015, 2025)), make_groups(), KOMMUN, 2025, min_count=5
    )
    own = stats.series_rows(CATEGORY).set_index("year")
    for year in YEARS:  # an independent computation of each rate
        pop = 10_000 + 100 * (year - 2015)
        assert own.loc[year, "population"] == pop and own.loc[year, "population_year"] == year
        assert own.loc[year, "rate"] == pytest.approx(counts[year] / pop * 1e5)
    # 2025 has no figure of its own: it borrows 2024's and every text says so.
    assert own.loc[2025, "population_year"] == 2024
    assert own.loc[2025, "population"] == 10_000 + 100 * 9
    assert rate_table.borrowed_population_years(stats.rates, KOMMUN) == {2025: 2024}
    sentence = text.population_sentence(stats)
    assert sentence.startswith(
        "SCB:s folkmängd för 2025 saknas här, så det året räknas med folkmängden 2024; "
        "2015–2024 med sin egen."
    )
    assert "räknat på folkmängden 2024" in text.category_paragraph(stats, CATEGORY)
    assert sentence in text.population_detail(stats)
    years = pd.DataFrame(tables.year_table(stats))
    assert years.loc[2025, tables.POPULATION_COLUMN] == "10\u00a0900 (2024)"
    assert years.loc[2016, tables.POPULATION_COLUMN] == "10\u00a0100 (2016)"
    assert "per år (2025 med 2024 års)" in figures.chart_source(stats)


def test_all_own_years_are_said_to_be_their_own():
    bra = make_bra(dict.fromkeys(YEARS, 40))
    stats = analysis.analyse(
        bra, _yearly_population(range(2015, 2025)), make_groups(), KOMMUN, 2024, min_count=5
    )
    assert text.population_sentence(stats) == (
        "Varje år (2015–2024) delas med sin egen folkmängd från SCB."
    )
    assert "räknat på folkmängden" not in text.narrative(stats)
    assert "SCB, folkmängd per år;" in figures.chart_source(stats)


def test_population_year_is_chosen_per_kommun():
    # The peers have 2023, the kommun only 2022: the kommun's 2023 borrows 2022.
    table = pd.DataFrame(
        {
            "kommun_code": [KOMMUN, "1814", "1814"],
            "year": [2022, 2022, 2023],
            "population": [6_000, 7_000, 7_100],
        }
    ).astype({"year": "Int64", "population": "Int64"})
    chosen = scb.population_lookup_years(table, 2023)
    assert chosen[KOMMUN] == (6_000, 2022) and chosen["1814"] == (7_100, 2023)
    assert scb.population_lookup(table, 2023) == {KOMMUN: 6_000, "1814": 7_100}
    assert scb.population_lookup_years(table, 2020)[KOMMUN] == (6_000, 2022)  # earliest
    pops, years = rate_table.area_population_years(table, 2023)
    assert years[KOMMUN] == 2022 and years["1814"] == 2023
    assert pops["0018"] == 13_100


def test_a_single_year_of_one_crime_is_never_a_rate_to_show():
    # The "ordningsstörning 16 per 100 000 (2023)" case: one crime in a year.
    stats = analysis.analyse(
        make_bra({**dict.fromkeys(YEARS, 20), 2023: 1}),
        make_population(),
        make_groups(),
        KOMMUN,
        2024,
        min_count=5,
    )
    assert stats.shown_rate(CATEGORY, 2023) is None
    assert stats.shown_rate(CATEGORY, 2024) == pytest.approx(200.0)
    assert stats.shown_rate(CATEGORY, 2030) is None
    assert pd.DataFrame(tables.year_table(stats)).loc[2023, "Narkotikabrott"] == FEW


def test_trend_sentence_never_says_decreased_beside_an_interval_up_to_an_increase():
    # The series: the test said "minskat" while the Wald interval reached +0,4 %.
    years = list(range(2019, 2025))
    res = trend.poisson_trend(years, [8, 12, 3, 5, 2, 1], [10_000] * 6)
    summary = signals.TrendSummary(res.verdict, res, years, [], [], False)
    sentence = text.trend_sentence("narkotikabrott", summary)
    changed = "har minskat" in sentence or "har ökat" in sentence
    assert changed == (res.high < 1 or res.low > 1), sentence
    assert "likelihoodkvottest" in sentence or "F-test" in sentence  # the one method, named
