"""The national overview: funnel classes, no rates from police events, skipped parts, texts, map."""

from __future__ import annotations

import inspect
import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from trygghet import paths
from trygghet.present.maps import core as map_core
from trygghet.reports import national
from trygghet.reports import victim_contact as vc
from trygghet.reports.national import analysis, figures, tables, text
from trygghet.reports.national import map as national_map
from trygghet.stats import rates

# --------------------------------------------------------------------------- helpers


def events_frame(spec: dict[str, tuple[int, int]], year: int = 2025) -> pd.DataFrame:
    """Events per kommun: code -> (events, of which in a promise group); plus noise rows.

    Adds for every kommun one summary in a promise group and one event of the
    previous year, both of which must not be counted.
    """
    rows = []
    for code, (n, k) in spec.items():
        for i in range(n):
            rows.append((code, f"{year}-03-01 12:00", False, "trafik" if i < k else None))
        rows.append((code, f"{year}-03-02 01:00", True, "ordning"))  # summary
        rows.append((code, f"{year - 1}-06-01 12:00", False, "narkotika"))  # other year
    rows.append((None, f"{year}-03-01 12:00", False, "trafik"))  # län level, unresolved
    frame = pd.DataFrame(rows, columns=["kommun_code", "t", "is_summary", "promise_group"])
    frame["incident_time"] = pd.to_datetime(frame["t"])
    frame["published_at"] = frame["incident_time"].dt.tz_localize("Europe/Stockholm")
    frame["type"] = np.where(frame["promise_group"].isna(), "Stöld", "Trafikbrott")
    frame["kommun_code"] = frame["kommun_code"].astype("string")
    frame["origin"] = "real"
    return frame.drop(columns="t")


@pytest.fixture
def processed(tmp_path, monkeypatch):
    """An empty processed-data folder in place of data/processed."""
    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path)
    return tmp_path


def write_victim_table(root, code: str, on_time: int, late: int) -> None:
    n = on_time + late
    frame = pd.DataFrame(
        {
            "case_id": [f"c{i}" for i in range(n)],
            "crime_category": "stöld",
            "area": "x",
            "assigned_month": pd.to_datetime(["2025-02-01"] * n),
            "days_to_contact": pd.array([2] * on_time + [20] * late, dtype="Int64"),
            "contacted": [True] * n,
            "censored_days": pd.array([None] * n, dtype="Int64"),
            "extract_date": pd.to_datetime(["2026-01-10"] * n),
            "origin": "example",
        }
    )
    (root / code).mkdir(parents=True, exist_ok=True)
    frame.to_parquet(root / code / "victim_contacts.parquet")


def write_bra_table(root, code: str, count: int | None, status: str = "ok") -> None:
    frame = pd.DataFrame(
        {
            "kommun_code": [code, "0000"],
            "area_level": ["kommun", "riket"],
            "area_name": ["k", "Riket"],
            "year": pd.array([2025, 2025], dtype="Int64"),
            "crime_category": ["totalt", "totalt"],
            "crime_label": ["Samtliga brott", "Samtliga brott"],
            "crime_code": ["", ""],
            "count": pd.array([count, 1_500_000], dtype="Int64"),
            "rate_per_100k": pd.array([None, None], dtype="Float64"),
            "value_status": [status, "ok"],
            "origin": "example",
        }
    )
    (root / code).mkdir(parents=True, exist_ok=True)
    frame.to_parquet(root / code / "bra_crime.parquet")


POPULATION = pd.DataFrame(
    {
        "kommun_code": ["1863", "1864", "1880"],
        "year": pd.array([2024] * 3, dtype="Int64"),
        "population": pd.array([6_500, 4_500, 160_000], dtype="Int64"),
    }
)


# --------------------------------------------------------------------------- parameters


def test_parse_kommuner_sorts_dedupes_and_rejects_unknown_codes() -> None:
    assert analysis.parse_kommuner(" 1864,1863 ,1863") == ["1863", "1864"]
    assert analysis.parse_kommuner(["1880"]) == ["1880"]
    assert len(analysis.parse_kommuner("all")) == 290
    with pytest.raises(ValueError, match="9999"):
        analysis.parse_kommuner("1863,9999")
    with pytest.raises(ValueError):
        analysis.parse_kommuner("")


# --------------------------------------------------------------------------- funnel classes


def test_classify_share_uses_exact_tails_and_a_floor() -> None:
    assert analysis.classify_share(5, 9, 0.5) == analysis.TOO_FEW
    assert analysis.classify_share(10, 20, 0.5) == rates.WITHIN
    assert analysis.classify_share(90, 100, 0.5) == rates.ABOVE_998
    assert analysis.classify_share(10, 100, 0.5) == rates.BELOW_998
    # 60/100 against 0.5: P(X >= 60) = 0.028 > 0.025 -> within; 62/100: 0.0105 -> above 95 %.
    assert analysis.classify_share(60, 100, 0.5) == rates.WITHIN
    assert analysis.classify_share(62, 100, 0.5) == rates.ABOVE_95


def test_police_shares_count_the_period_without_summaries_against_the_national_share() -> None:
    events = events_frame({"1863": (100, 90), "1864": (100, 10), "1880": (5, 5), "0114": (95, 45)})
    shares = analysis.police_shares(events, 2025, ["1863", "1864", "1880"]).set_index("kommun_code")
    assert len(shares) == 290
    assert shares.loc["1863", "n_events"] == 100  # summary and 2024 event not counted
    assert shares.loc["1863", "n_promise"] == 90
    assert shares.attrs["centre"] == pytest.approx(150 / 300)  # all kommuner, not only the batch
    assert shares.loc["1863", "position"] == rates.ABOVE_998
    assert shares.loc["1864", "position"] == rates.BELOW_998
    assert shares.loc["1880", "position"] == analysis.TOO_FEW
    assert shares.loc["0114", "position"] == analysis.NOT_IN_BATCH
    assert shares.loc["1863", "low"] < 0.9 < shares.loc["1863", "high"]


def test_police_events_are_never_divided_by_population() -> None:
    assert "population" not in inspect.signature(analysis.police_shares).parameters
    shares = analysis.police_shares(events_frame({"1863": (50, 20)}), 2025, ["1863"])
    assert not [c for c in shares.columns if "pop" in c or "rate" in c or "100" in c]
    sentence = text.police_sentence(shares)
    assert "aldrig om per invånare" in sentence
    assert "per 100" not in sentence
    assert text.POLICE_NOT_RATE in text.cannot_say_text()


# --------------------------------------------------------------------------- example parts


def test_victim_shares_reuse_victim_contact_and_skip_missing_tables(processed) -> None:
    write_victim_table(processed, "1863", on_time=40, late=10)
    write_victim_table(processed, "1864", on_time=5, late=15)
    frame = analysis.victim_shares(["1863", "1864", "1880"], 2025).set_index("kommun_code")
    expected = vc.on_time_share(vc.cases_in_period(vc.load("1863"), 2025))
    assert frame.loc["1863", "n"] == expected.decided == 50
    assert frame.loc["1863", "share"] == pytest.approx(expected.share)
    assert frame.attrs["missing"] == ["1880"]
    assert frame.attrs["centre"] == pytest.approx(45 / 70)
    assert frame.loc["1864", "position"] in (rates.BELOW_95, rates.BELOW_998)


def test_crime_rates_use_the_kommuns_own_row_and_hide_secret_cells(processed) -> None:
    write_bra_table(processed, "1863", 650)
    write_bra_table(processed, "1864", None, status="sekretess")
    frame = analysis.crime_rates(["1863", "1864", "1880"], 2025, POPULATION)
    assert list(frame["kommun_code"]) == ["1863"]
    assert frame.loc[0, "rate"] == pytest.approx(650 / 6_500 * 100_000)
    assert frame.attrs["hidden"] == ["1864"]
    assert frame.attrs["missing"] == ["1880"]
    assert frame.attrs["centre"] == pytest.approx(10_000)
    assert frame.loc[0, "position"] == rates.WITHIN


def test_missing_parts_are_skipped_with_a_sentence(processed) -> None:
    ctx = national.NationalContext(2025, ["1863", "1864"], processed)
    overview = national.analyse(ctx)  # nothing ingested in the empty folder
    assert overview.police is None and overview.boundaries is None
    assert overview.victim.empty and overview.crime.empty
    assert national.plot_police_funnel(overview) is None
    assert national.plot_victim_funnel(overview) is None
    assert national.plot_crime_funnel(overview) is None
    assert national.police_caption(overview) is None
    assert national.victim_caption(overview) is None
    assert national.crime_caption(overview) is None
    assert national.police_map(overview) is None
    assert national.map_skipped_sentence(overview) == (
        "Kartan hoppas över: polisens händelser saknas."
    )
    assert national.victim_sentence(overview.victim) == (
        "Jämförelsen av kontakt med brottsutsatta hoppas över: uppgifterna saknas för "
        "Hällefors och Ljusnarsberg."
    )
    assert national.crime_sentence(overview.crime) == (
        "Jämförelsen av anmälda brott hoppas över: uppgifterna saknas för Hällefors och "
        "Ljusnarsberg."
    )
    assert national.police_sentence(None).startswith(
        "Polisens händelser saknas i de bearbetade tabellerna, så den delen av jämförelsen "
        "hoppas över."
    )
    assert national.headline(overview) == (
        "Riksöversikt 2025 (2 kommuner: Hällefors och Ljusnarsberg): polisens händelser "
        "saknas, så ingen jämförelse kunde göras."
    )


# --------------------------------------------------------------------------- pinned sentences


def _overview(shares: pd.DataFrame) -> analysis.Overview:
    empty = pd.DataFrame()
    return analysis.Overview(2025, ["1863", "1864"], shares, "real", None, empty, empty)


def test_sentences_when_kommuner_stand_out() -> None:
    events = events_frame({"1863": (100, 90), "1864": (100, 10), "1880": (5, 5)})
    shares = analysis.police_shares(events, 2025, ["1863", "1864", "1880"])
    assert text.headline(_overview(shares)) == (
        "Riksöversikt 2025: 2 av 2 jämförda kommuner skiljer sig från riket i hur stor andel "
        "av polisens händelser som gäller narkotikabrott, trafik och ordningsstörningar "
        "(1 högre, 1 lägre)."
    )
    assert text.police_sentence(shares) == (
        "I hela landet gällde 51\u00a0% av polisens publicerade händelser under 2025 "
        "narkotikabrott, trafik och ordningsstörningar. Av 2 jämförda kommuner ligger 1 över "
        "och 1 under trattens 95 %-gränser. Tydligast högre andel (över 99,8 %-gränsen): "
        "Hällefors. Tydligast lägre andel (under 99,8 %-gränsen): Ljusnarsberg. 1 kommun hade "
        "färre än 10 händelser och jämförs inte. " + text.POLICE_NOT_RATE
    )
    table = tables.police_outlier_table(_overview(shares))
    # Most extreme first: 10 % is further from the national 51 % than 90 % is.
    assert list(table["Kommun"]) == ["Ljusnarsberg", "Hällefors"]
    assert list(table["Läge"]) == ["under 99,8 %-gränsen", "över 99,8 %-gränsen"]


def test_sentences_when_no_kommun_stands_out_or_none_can_be_compared() -> None:
    shares = analysis.police_shares(
        events_frame({"1863": (40, 20), "1864": (30, 15)}), 2025, ["1863", "1864"]
    )
    assert text.headline(_overview(shares)) == (
        "Riksöversikt 2025: ingen av 2 jämförda kommuner skiljer sig från riket i hur stor "
        "andel av polisens händelser som gäller narkotikabrott, trafik och ordningsstörningar."
    )
    assert (
        "Ingen av de 2 jämförda kommunerna skiljer sig från riket mer än slumpen kan förklara."
        in (text.police_sentence(shares))
    )
    few = analysis.police_shares(events_frame({"1863": (3, 1), "0114": (50, 20)}), 2025, ["1863"])
    assert text.police_sentence(few).startswith(
        "Ingen av kommunerna i körningen hade minst 10 publicerade händelser under 2025, så "
        "ingen kan jämföras."
    )
    assert text.headline(_overview(few)) == (
        "Riksöversikt 2025 (2 kommuner: Hällefors och Ljusnarsberg): ingen kommun hade "
        "tillräckligt många publicerade polishändelser för att jämföras."
    )


def test_example_sentences_are_labelled(processed) -> None:
    write_victim_table(processed, "1863", on_time=40, late=10)
    write_victim_table(processed, "1864", on_time=38, late=12)
    assert text.victim_sentence(analysis.victim_shares(["1863", "1864"], 2025)) == (
        "EXEMPELDATA: andelen brottsutsatta som kontaktades inom 7 dagar. Sammantaget 78\u00a0% i "
        "2 jämförda kommuner. Ingen kommun skiljer sig mer än slumpen kan förklara."
    )
    write_bra_table(processed, "1863", 650)
    crime = analysis.crime_rates(["1863"], 2025, POPULATION)
    assert text.crime_sentence(crime) == (
        "EXEMPELDATA: anmälda brott totalt per 100\u00a0000 invånare 2025. Sammantaget "
        "10\u00a0000 per 100\u00a0000 invånare i 1 jämförd kommun. Med en enda kommun "
        "finns inget att jämföra med."
    )


# --------------------------------------------------------------------------- map


def _boundaries() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "kommun_code": ["1863", "1864", "1880"],
            "kommun_name": ["Hällefors", "Ljusnarsberg", "Örebro"],
        },
        geometry=[
            box(14.3, 59.7, 14.9, 60.1),
            box(14.9, 59.7, 15.3, 60.1),
            box(14.8, 59.1, 15.6, 59.5),
        ],
        crs=4326,
    )


def test_map_is_byte_identical_offline_and_explains_its_colours() -> None:
    events = events_frame({"1863": (100, 90), "1864": (100, 10), "1880": (5, 5)})
    shares = analysis.police_shares(events, 2025, ["1863", "1864", "1880"])
    first = national_map.police_map_html(shares, _boundaries())
    second = national_map.police_map_html(shares, _boundaries())
    assert first == second
    assert map_core.external_assets(first) == []
    for label in ("för få / ingår inte", "Hällefors", "över 99,8 %-gränsen"):
        assert label in first or json.dumps(label)[1:-1] in first
    assert figures.CLASS_COLOURS[rates.ABOVE_998] in first
    assert figures.CLASS_COLOURS[analysis.TOO_FEW] in first
    assert '"coordinates"' in first
    assert not re.search(r"\[1[45]\.\d{5,}, 59\.\d+\]", first)  # rounded to 4 decimals
    view = national_map.police_map(
        analysis.Overview(
            2025, ["1863"], shares, "real", None, pd.DataFrame(), pd.DataFrame(), _boundaries()
        )
    )
    assert view is not None and view.html == first
    assert view._repr_html_().startswith("<iframe srcdoc=")


# --------------------------------------------------------------------------- origins on the page


def _chart_texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


def test_parts_are_marked_from_their_data_not_assumed(processed) -> None:
    from trygghet.present import style

    for code in ("1863", "1864"):
        write_victim_table(processed, code, on_time=40, late=10)
        write_bra_table(processed, code, 650)
    pd.DataFrame(POPULATION.assign(origin="real")).to_parquet(processed / "population.parquet")
    example = analysis.Overview(2025, ["1863", "1864"], None, "real", None,
                                analysis.victim_shares(["1863", "1864"], 2025),
                                analysis.crime_rates(["1863", "1864"], 2025, POPULATION))  # fmt: skip
    assert style.EXAMPLE_MARK in _chart_texts(figures.plot_victim_funnel(example))
    assert style.EXAMPLE_MARK in _chart_texts(figures.plot_crime_funnel(example))
    caption = figures.crime_caption(example).data
    assert "Brå, anmälda brott (EXEMPELDATA); SCB, folkmängd 2024" in caption
    assert "SCB, folkmängd 2024 (EXEMPELDATA)" not in caption  # SCB is named as real
    assert "EXEMPELDATA" in text.cannot_say_text(example)
    # The same parts from fetched (real) data carry no mark anywhere.
    victim = example.victim.assign(origin="fetched")
    crime = example.crime.assign(origin="fetched")
    victim.attrs, crime.attrs = dict(example.victim.attrs), dict(example.crime.attrs)
    real = analysis.Overview(2025, ["1863", "1864"], None, "real", None, victim, crime)
    assert style.EXAMPLE_MARK not in _chart_texts(figures.plot_victim_funnel(real))
    assert style.EXAMPLE_MARK not in _chart_texts(figures.plot_crime_funnel(real))
    for shown in (
        figures.victim_caption(real).data,
        figures.crime_caption(real).data,
        text.victim_sentence(victim),
        text.crime_sentence(crime),
        text.cannot_say_text(real),
    ):
        assert "EXEMPELDATA" not in shown
    assert text.victim_sentence(victim).startswith("Andelen brottsutsatta")


def test_part_banners_use_the_parts_origin(processed, monkeypatch) -> None:
    from trygghet.present import page

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        page, "banner", lambda source, origin, detail="": shown.append((source, origin))
    )
    monkeypatch.setattr(analysis, "population_origin", lambda: "real")
    monkeypatch.setattr(text, "population_origin", lambda: "real")
    write_bra_table(processed, "1863", 650)
    crime = analysis.crime_rates(["1863"], 2025, POPULATION)
    overview = analysis.Overview(2025, ["1863"], None, "real", None, pd.DataFrame(), crime)
    text.show_part_banner(overview, "crime")
    assert shown == [(text.PART_SOURCES["crime"], "example"), ("SCB, folkmängd per kommun", "real")]


def test_outlier_table_and_header_go_through_the_gate() -> None:
    from trygghet.present.tables import PageTable

    events = events_frame({"1863": (100, 90), "1864": (100, 10)})
    shares = analysis.police_shares(events, 2025, ["1863", "1864"])
    shown = tables.police_outliers(_overview(shares))
    assert isinstance(shown, PageTable) and "EXEMPELDATA" not in shown._repr_html_()
    ctx = national.NationalContext(2025, ["1863"], paths.PROCESSED_DIR)
    assert "<p><strong>Riket</strong> · 1 kommun: Hällefors" in national.header_html(ctx)
