"""Tests for the crime report's numbers: rates, suppression, comparison, trend, signals.

The end-to-end cases also check how the numbers reach the tables, text and charts.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from scipy import stats as sps

from trygghet.present.swedish import NBSP
from trygghet.reports.crime import (
    analysis,
    comparison,
    figures,
    rate_table,
    signals,
    tables,
    text,
)
from trygghet.stats import rates, trend

KOMMUN = "1863"
PEERS = ["1814", "1860", "1862", "1864", "1884"]
YEARS = list(range(2015, 2025))


def _bra_rows(code: str, level: str, label: str, category: str, counts: dict[int, object]):
    rows = []
    for year, value in counts.items():
        status = "ok"
        count = value
        if isinstance(value, str):  # "sekretess" / "saknas" / "123*"
            if value.endswith("*"):
                count, status = int(value[:-1]), "preliminär"
            else:
                count, status = None, value
        rows.append(
            {
                "kommun_code": code,
                "area_level": level,
                "area_name": code,
                "year": year,
                "crime_category": category,
                "crime_label": label,
                "crime_code": None,
                "count": count,
                "rate_per_100k": None,
                "value_status": status,
                "origin": "example",
            }
        )
    return rows


def make_bra(
    kommun_counts: dict[int, object],
    peer_count: int = 100,
    *,
    label: str = "Narkotikabrott",
    category: str = "narkotikabrott",
    extra: list[dict] | None = None,
) -> pd.DataFrame:
    """Kommun 1863 (10 000 inh.) with the given counts; five peers of 20 000 with ``peer_count``."""
    rows = _bra_rows(KOMMUN, "kommun", label, category, kommun_counts)
    for code in PEERS:
        rows += _bra_rows(code, "kommun", label, category, dict.fromkeys(kommun_counts, peer_count))
    rows += _bra_rows("0018", "län", label, category, dict.fromkeys(kommun_counts, 1000))
    rows += _bra_rows("0000", "riket", label, category, dict.fromkeys(kommun_counts, 50_000))
    rows += extra or []
    frame = pd.DataFrame(rows)
    return frame.astype({"year": "Int64", "count": "Int64", "rate_per_100k": "Float64"})


def make_population(years: tuple[int, ...] = (2024,)) -> pd.DataFrame:
    pops = {KOMMUN: 10_000, **dict.fromkeys(PEERS, 20_000)}
    rows = [
        {"kommun_code": c, "year": y, "population": p, "origin": "real"}
        for y in years
        for c, p in pops.items()
    ]
    return pd.DataFrame(rows).astype({"year": "Int64", "population": "Int64"})


def make_groups(members: list[str] | None = None) -> pd.DataFrame:
    members = members or [KOMMUN, "1864", "0180"]
    return pd.DataFrame(
        {
            "group_id": "GEXC8",
            "group_title": "Exempel: Kommungrupp C8 Landsbygdskommun",
            "skr_class": "C8",
            "kommun_code": members,
            "kommun_name": members,
            "origin": "example",
        }
    )


def analyse(kommun_counts, peer_count=100, **kwargs) -> analysis.CrimeStats:
    bra = make_bra(kommun_counts, peer_count, **kwargs)
    return analysis.analyse(bra, make_population(), make_groups(), KOMMUN, 2024, min_count=5)


# --------------------------------------------------------------------- rates and suppression


def test_rate_has_exact_poisson_interval():
    stats = analyse(dict.fromkeys(YEARS, 10))
    row = stats.summary.set_index("series").loc["narkotikabrott"]
    # Garwood limits for 10 events: 4.795 and 18.390; population 10 000 -> x10 per 100 000.
    assert row["rate"] == pytest.approx(100.0)
    assert row["low"] == pytest.approx(47.954, abs=1e-3)
    assert row["high"] == pytest.approx(183.904, abs=1e-3)
    low = sps.chi2.ppf(0.025, 20) / 2 * 10
    assert row["low"] == pytest.approx(low)


def test_group_lan_and_riket_are_pooled_rates():
    stats = analyse(dict.fromkeys(YEARS, 10), peer_count=100)
    row = stats.summary.set_index("series").loc["narkotikabrott"]
    assert row["group_rate"] == pytest.approx(500.0)  # 5 x 100 / (5 x 20 000)
    # Län population = sum of the län's kommuner in the population table (all six are in 18).
    assert row["lan_rate"] == pytest.approx(1000 / 110_000 * 1e5)
    assert row["riket_rate"] == pytest.approx(50_000 / 110_000 * 1e5)


def test_small_count_is_shown_as_fatal_not_rate():
    stats = analyse({**dict.fromkeys(YEARS[:-1], 20), 2024: 3})
    row = stats.summary.set_index("series").loc["narkotikabrott"].to_dict()
    row["series"] = "narkotikabrott"
    assert bool(row["suppressed"])
    assert text.level_sentence(row, 5) == (
        "Narkotikabrott: ett fåtal anmälda brott 2024 (färre än 5) – för få för att "
        "räknas om per invånare."
    )
    table = tables.summary_table(stats)
    assert table.loc["Narkotikabrott", "Antal"] == "fåtal"
    assert table.loc["Narkotikabrott", "Per 100 000 inv."] == "fåtal"
    assert table.loc["Narkotikabrott", "95 % osäkerhetsintervall"] == "–"
    # No funnel position and no signal for a "fåtal" value.
    assert pd.isna(row["position"]) and pd.isna(row["flag"])
    assert "3" not in text.category_paragraph(stats, "narkotikabrott").split(".")[0]
    # Not drawn in the funnel either.
    assert KOMMUN not in set(figures.funnel_data(stats, "narkotikabrott")["kommun_code"])


def test_zero_is_not_suppressed():
    stats = analyse({**dict.fromkeys(YEARS[:-1], 20), 2024: 0})
    row = stats.summary.set_index("series").loc["narkotikabrott"]
    assert not bool(row["suppressed"]) and row["rate"] == 0.0


def test_secret_value_stays_missing_never_zero():
    stats = analyse({**dict.fromkeys(YEARS, 20), 2020: "sekretess"})
    own = stats.series_rows("narkotikabrott").set_index("year")
    assert math.isnan(own.loc[2020, "count"]) and bool(own.loc[2020, "missing"])
    assert math.isnan(own.loc[2020, "rate"])
    assert not bool(own.loc[2020, "suppressed"])
    assert tables.year_table(stats).loc[2020, "Narkotikabrott"] == "sekretess"
    summary = stats.trends["narkotikabrott"]
    assert 2020 not in summary.years and summary.missing_years == [2020]
    assert "Siffror saknas för 2020 och ingår inte." in text.trend_sentence(
        "narkotikabrott", summary
    )


def test_preliminary_value_is_marked():
    stats = analyse({**dict.fromkeys(YEARS[:-1], 20), 2024: "25*"})
    row = stats.summary.set_index("series").loc["narkotikabrott"].to_dict() | {
        "series": "narkotikabrott"
    }
    assert bool(row["preliminary"])
    assert text.level_sentence(row, 5) == (
        f"Narkotikabrott: 25 anmälda brott 2024, 250,0 per 100{NBSP}000 invånare "
        "(95 % osäkerhetsintervall 161,8–369,0). Siffran för 2024 är preliminär."
    )
    assert tables.summary_table(stats).loc["Narkotikabrott", "Per 100 000 inv."] == "250,0*"


def test_labels_sharing_a_key_are_not_summed():
    extra = _bra_rows(KOMMUN, "kommun", "Rån", "valdsbrott", dict.fromkeys(YEARS, 2))
    extra += _bra_rows(KOMMUN, "kommun", "Misshandel", "valdsbrott", dict.fromkeys(YEARS, 30))
    bra = make_bra(dict.fromkeys(YEARS, 10), extra=extra)
    assert rate_table.choose_labels(bra, KOMMUN)["valdsbrott"] == "Misshandel"
    stats = analysis.analyse(bra, make_population(), make_groups(), KOMMUN, 2024)
    row = stats.summary.set_index("series").loc["valdsbrott"]
    assert row["count"] == 30  # not 32


# --------------------------------------------------------------------- population


def test_population_uses_latest_earlier_year():
    pop = pd.concat([make_population((2022,)), make_population((2024,))])
    pop.loc[pop["year"] == 2022, "population"] = 5_000
    assert rate_table.population_year(pop, 2023) == 2022
    assert rate_table.population_year(pop, 2025) == 2024
    assert rate_table.population_year(pop, 2019) == 2022  # none earlier: the earliest
    areas = rate_table.area_population(pop, 2023)
    assert areas[KOMMUN] == 5_000
    assert areas["0018"] == 6 * 5_000
    assert areas["0000"] == 6 * 5_000


# --------------------------------------------------------------------- comparison group


def test_comparison_group_tops_up_skr_peers_by_population():
    bra = make_bra(dict.fromkeys(YEARS, 10))
    pop = make_population()
    pop.loc[pop["kommun_code"] == "1884", "population"] = 200_000
    group = comparison.comparison_group(bra, pop, make_groups(), KOMMUN, 2024, min_peers=4)
    # 1864 is the only SKR peer with Brå data (0180 has none); three nearest added.
    assert group.skr_codes == ["1864"]
    assert group.neighbour_codes == ["1814", "1860", "1862"]
    assert group.codes == ["1814", "1860", "1862", "1864"]
    assert group.description.startswith("Jämförelsegruppen är 4 kommuner: Ljusnarsberg")
    assert "närmast i folkmängd" in group.description


def test_comparison_group_without_groups_uses_neighbours_only():
    bra = make_bra(dict.fromkeys(YEARS, 10))
    group = comparison.comparison_group(bra, make_population(), None, KOMMUN, 2024)
    assert group.skr_codes == [] and len(group.codes) == 5


# --------------------------------------------------------------------- funnel


def _interpolated(p: float, mean: float) -> float:
    """Spiegelhalter's interpolated Poisson quantile, written out independently."""
    r = sps.poisson.ppf(p, mean)
    f_r, f_below = sps.poisson.cdf(r, mean), sps.poisson.cdf(r - 1, mean)
    return r - (f_r - p) / (f_r - f_below)


def test_funnel_limits_hand_case():
    # Group rate 500 per 100 000 and a kommun of 10 000: expected 50 events.
    limits = rates.funnel_limits([10_000], 500.0).iloc[0]
    assert limits["expected"] == pytest.approx(50.0)
    assert limits["lower_95"] == pytest.approx(_interpolated(0.025, 50) * 10)
    assert limits["upper_998"] == pytest.approx(_interpolated(0.999, 50) * 10)
    assert limits["lower_95"] < 500 < limits["upper_95"] < limits["upper_998"]


@pytest.mark.parametrize(
    ("count", "position"),
    [(50, rates.WITHIN), (64, rates.WITHIN), (65, rates.ABOVE_95), (75, rates.ABOVE_998)],
)
def test_funnel_position_of_kommun(count, position):
    # P(Y >= 65 | 50) = 0.0236 <= 0.025; P(Y >= 64 | 50) = 0.0330; P(Y >= 75 | 50) < 0.001.
    stats = analyse(dict.fromkeys(YEARS, count), peer_count=100)
    assert stats.summary.set_index("series").loc["narkotikabrott", "position"] == position


# --------------------------------------------------------------------- trend and signals


def test_trend_marks_the_2015_break():
    years = list(range(2011, 2021))
    stats = analyse(dict.fromkeys(years, 40))
    summary = stats.trends["narkotikabrott"]
    assert summary.crosses_break
    assert summary.years[0] == 2015
    assert "Trenden räknas från 2015" in text.trend_sentence("narkotikabrott", summary)


def test_trend_does_not_mark_break_when_series_starts_2015():
    stats = analyse(dict.fromkeys(YEARS, 40))
    assert not stats.trends["narkotikabrott"].crosses_break


@pytest.mark.parametrize(
    ("position", "verdict", "expected"),
    [
        (rates.ABOVE_95, trend.INCREASING, signals.RED_RED),
        (rates.ABOVE_998, trend.INCREASING, signals.RED_RED),
        (rates.BELOW_95, trend.DECREASING, signals.GREEN_GREEN),
        (rates.BELOW_998, trend.DECREASING, signals.GREEN_GREEN),
        (rates.ABOVE_95, trend.DECREASING, None),
        (rates.ABOVE_95, trend.NO_CLEAR_CHANGE, None),
        (rates.WITHIN, trend.INCREASING, None),
        (rates.BELOW_95, trend.INCREASING, None),
        (None, trend.INCREASING, None),
        (rates.ABOVE_998, trend.TOO_FEW, None),
    ],
)
def test_flag_logic(position, verdict, expected):
    assert signals.flag(position, verdict) == expected


def test_red_red_end_to_end():
    counts = {y: 60 + 10 * i for i, y in enumerate(YEARS)}  # 600 -> 1 500 per 100 000
    stats = analyse(counts, peer_count=100)  # group: 500 per 100 000
    row = stats.summary.set_index("series").loc["narkotikabrott"]
    assert row["verdict"] == trend.INCREASING
    assert row["position"] == rates.ABOVE_998
    assert row["flag"] == signals.RED_RED
    assert "Röd-röd (högre än jämförbara kommuner och ökande): narkotikabrott." in text.headline(
        stats
    )
    assert tables.summary_table(stats).loc["Narkotikabrott", "Signal"] == "röd-röd"


def test_green_green_end_to_end():
    counts = {y: 40 - 3 * i for i, y in enumerate(YEARS)}  # 40 -> 13
    stats = analyse(counts, peer_count=100)
    row = stats.summary.set_index("series").loc["narkotikabrott"]
    assert row["flag"] == signals.GREEN_GREEN
    assert text.flag_sentence("narkotikabrott", signals.GREEN_GREEN) in text.narrative(stats)


def test_too_few_from_real_fit():
    stats = analyse({**dict.fromkeys(YEARS, 0), 2024: 0, 2020: 2, 2021: 3})
    assert stats.trends["narkotikabrott"].verdict == trend.TOO_FEW
    assert stats.summary.set_index("series").loc["narkotikabrott", "verdict"] == trend.TOO_FEW


def test_no_signal_sentence_and_caveats():
    stats = analyse(dict.fromkeys(YEARS, 50))
    paragraphs = text.narrative(stats)
    assert "Ingen av brottstyperna är både säkert högre" in paragraphs
    assert paragraphs.endswith(text.NOT_SHOWN)
    assert "(exempeldata)" in text.headline(stats)
    assert "påhittade exempeldata" in text.banner_detail(stats)
    # Every year but 2024 borrows 2024's population, and the population banner says so.
    assert text.population_detail(stats).endswith(
        "SCB:s folkmängd för 2015–2023 saknas här, så de åren räknas med folkmängden 2024; "
        "2024 med sin egen. Nivåerna för de åren är ungefärliga om befolkningen har ändrats, "
        "och trenden följer då antalet brott snarare än takten."
    )


def test_report_year_falls_back_when_period_missing():
    bra = make_bra(dict.fromkeys(YEARS, 10))
    stats = analysis.analyse(bra, make_population(), make_groups(), KOMMUN, 2026)
    assert stats.year == 2024
    assert "Brås siffror för 2026 finns inte ännu; rapporten visar 2024." in text.narrative(stats)


# --------------------------------------------------------------------- charts


def test_charts_return_figures():
    stats = analyse({**dict.fromkeys(YEARS, 20), 2019: 3, 2020: "sekretess", 2024: "25*"})
    for fig in (
        figures.plot_rates(stats),
        figures.plot_funnel(stats, "narkotikabrott"),
        figures.plot_comparison(stats),
    ):
        assert isinstance(fig, Figure)
    data = figures.comparison_data(stats)
    assert set(data["kind"]) == {"kommun", "grupp", "län", "riket"}
    assert np.isfinite(data["rate"]).all()


def _drawn_limit(fig: Figure, label: str, population: float) -> float:
    """The y of the drawn upper line ``label`` at ``population`` (a grid point by design)."""
    ax = fig.axes[0]
    line = next(ln for ln in ax.get_lines() if ln.get_label() == label)
    x, y = (np.asarray(v, dtype=float) for v in line.get_data())
    hit = np.flatnonzero(np.isclose(x, population))
    assert hit.size, "the kommun's population is a point of the drawn line"
    return float(y[hit[0]])


@pytest.mark.parametrize(("count", "position"), [(64, rates.WITHIN), (65, rates.ABOVE_95)])
def test_funnel_line_and_label_use_the_same_boundary(count, position):
    # Expected 50 events (group 500 per 100 000, kommun 10 000). The labels use
    # exact tails: 64 is within, 65 above. The interpolated limit (about 63.4
    # events) would draw 64 above the line while it is labelled "inom".
    stats = analyse(dict.fromkeys(YEARS, count), peer_count=100)
    row = stats.summary.set_index("series").loc["narkotikabrott"]
    assert row["position"] == position
    fig = figures.plot_funnel(stats, "narkotikabrott")
    upper = _drawn_limit(fig, "95 %-gräns", 10_000)
    assert upper == pytest.approx(645.0)  # midway between 64 and 65 events
    assert rates.funnel_limits([10_000], 500.0).iloc[0]["upper_95"] < 640.0  # the old line
    rate = float(row["rate"])
    assert (rate > upper) == (position == rates.ABOVE_95)
    # A dot just above the drawn line is labelled outside, one just below inside.
    assert rates.funnel_position(65, 10_000, 500.0) == rates.ABOVE_95
    assert 650.0 > upper > 640.0
