"""The national overview: funnel classes, no rates from police events, skipped parts, texts, map."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from trygghet import paths
from trygghet.present.maps import core as map_core
from trygghet.reports import indicators, national
from trygghet.reports import victim_contact as vc
from trygghet.reports.national import analysis, figures, tables, text
from trygghet.reports.national import map as national_map
from trygghet.stats import rates, records
from trygghet.stats.proportions import wilson_ci
from trygghet.stats.records import FIGURE, IndicatorRecord

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
    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path / "processed")
    (tmp_path / "processed").mkdir()
    return tmp_path / "processed"


@pytest.fixture
def outputs(tmp_path, monkeypatch):
    """An empty outputs root, also in place of the default outputs/."""
    root = tmp_path / "outputs"
    root.mkdir()
    monkeypatch.setattr(paths, "OUTPUTS_DIR", root)
    return root


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


def write_records(root: Path, code: str, *found: IndicatorRecord, period: int = 2025) -> Path:
    """A kommun run's published table, ``<root>/<code>/<period>/indicators.parquet``."""
    return records.write(root / code / str(period) / records.TABLE_NAME, list(found))


def victim_record(
    code: str, on_time: int, decided: int, *, period: int = 2025, origin: str = "example"
) -> IndicatorRecord:
    """A victim-contact record as the report publishes it (Wilson interval, suppressed under 10)."""
    low, high = wilson_ci(on_time, decided) if decided else (None, None)
    return IndicatorRecord(
        id=analysis.VICTIM_RECORD, kind=FIGURE, report="victim_contact", kommun=code,
        period=period, name="Brottsutsatta kontaktade inom 7 dagar", definition="",
        unit="andel", value=on_time / decided if decided else None, low=low, high=high,
        n=decided, numerator=float(on_time), denominator=float(decided),
        suppressed=decided < vc.MIN_CASES_FOR_VERDICT, origin=origin,
    )  # fmt: skip


def crime_record(
    code: str,
    count: int | None,
    population: float | None,
    *,
    period: int = 2025,
    suppressed: bool = False,
    origin: str = "example",
) -> IndicatorRecord:
    """A crime record as the report publishes it (exact Poisson interval)."""
    est = rates.rate_per_100k(count, population) if count is not None and population else None
    return IndicatorRecord(
        id=analysis.CRIME_RECORD, kind=FIGURE, report="crime", kommun=code, period=period,
        name="Anmälda brott per 100 000 invånare: Samtliga brott", definition="",
        unit="per 100 000", value=est.rate if est else None, low=est.low if est else None,
        high=est.high if est else None, n=count, numerator=None if count is None else float(count),
        denominator=population, suppressed=suppressed or est is None or est.suppressed,
        origin=origin,
    )  # fmt: skip


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


def test_victim_shares_are_the_records_the_kommuns_own_run_published(
    processed, outputs, monkeypatch
) -> None:
    write_victim_table(processed, "1863", on_time=40, late=10)
    write_victim_table(processed, "1864", on_time=5, late=15)
    write_victim_table(processed, "1860", on_time=3, late=2)  # 5 decided: under 10
    publish = indicators.FIGURES["victim_contact"]  # the victim-contact report's publisher
    published = {}
    for code in ("1863", "1864", "1860"):
        (published[code],) = publish(SimpleNamespace(kommun=code, period=2025))
        write_records(outputs, code, published[code])
    expected = vc.on_time_share(vc.cases_in_period(vc.load("1863"), 2025))
    # From here on nothing may be recomputed: the processed tables are gone.
    monkeypatch.setattr(paths, "PROCESSED_DIR", processed / "nowhere")
    monkeypatch.setattr(vc, "load", lambda *_a, **_k: pytest.fail("recomputed from tables"))
    frame = analysis.victim_shares(["1860", "1863", "1864", "1880"], 2025, outputs)
    frame = frame.set_index("kommun_code")
    own = published["1863"]
    assert frame.loc["1863", "n"] == own.n == expected.decided == 50
    assert frame.loc["1863", "successes"] == 40
    # Exactly the value and interval of the kommun's own page, not a recomputation.
    assert frame.loc["1863", "share"] == own.value == expected.share
    assert (frame.loc["1863", "low"], frame.loc["1863", "high"]) == (own.low, own.high)
    assert (own.low, own.high) == pytest.approx(wilson_ci(40, 50))
    assert frame.attrs["missing"] == ["1880"]
    assert frame.attrs["hidden"] == ["1860"]  # suppressed record: not placed
    assert frame.attrs["reasons"] == {
        "1880": "kommunens rapporter har inte körts för 2025",
        "1860": "färre än 10 avgjorda ärenden",
    }
    assert frame.attrs["centre"] == pytest.approx(45 / 70)  # pooled from the records
    assert frame.loc["1864", "position"] in (rates.BELOW_95, rates.BELOW_998)
    assert list(frame["origin"]) == ["example", "example"]


def test_crime_rates_are_the_records_values_and_hide_suppressed_ones(outputs) -> None:
    own = crime_record("1863", 650, 6_500)
    write_records(outputs, "1863", own)
    write_records(outputs, "1864", crime_record("1864", None, None))  # secret cell
    frame = analysis.crime_rates(["1863", "1864", "1880"], 2025, outputs)
    assert list(frame["kommun_code"]) == ["1863"]
    assert frame.loc[0, "rate"] == pytest.approx(650 / 6_500 * 100_000)
    assert (frame.loc[0, "rate"], frame.loc[0, "low"], frame.loc[0, "high"]) == (
        own.value,
        own.low,
        own.high,
    )
    assert frame.loc[0, "count"] == 650 and frame.loc[0, "population"] == 6_500
    assert frame.attrs["hidden"] == ["1864"]
    assert frame.attrs["missing"] == ["1880"]
    assert frame.attrs["reasons"]["1864"] == "fåtal, sekretessbelagd eller saknad siffra"
    assert frame.attrs["centre"] == pytest.approx(10_000)
    assert frame.loc[0, "position"] == rates.WITHIN


def test_a_record_is_shown_as_published_never_rederived(outputs) -> None:
    """A record whose value is not count / population (say another population year) is shown
    as the kommun's page shows it; only the centre and the positions come from the counts."""
    planted = crime_record("1863", 650, 6_500)
    planted = IndicatorRecord(**{**planted.__dict__, "value": 9_876.5, "low": 9_100.0,
                                 "high": 10_700.0})  # fmt: skip
    write_records(outputs, "1863", planted)
    write_records(outputs, "1864", crime_record("1864", 900, 4_500))
    frame = analysis.crime_rates(["1863", "1864"], 2025, outputs).set_index("kommun_code")
    assert frame.loc["1863", ["rate", "low", "high"]].tolist() == [9_876.5, 9_100.0, 10_700.0]
    assert frame.attrs["centre"] == pytest.approx((650 + 900) / (6_500 + 4_500) * 100_000)
    expected = rates.funnel_position(650, 6_500, frame.attrs["centre"], analysis.LEVELS)
    assert frame.loc["1863", "position"] == expected


def test_kommuner_without_a_current_record_are_missing_with_the_reason(outputs) -> None:
    write_records(outputs, "1863", crime_record("1863", 650, 6_500), victim_record("1863", 40, 50))
    # Brå's latest year in Ljusnarsberg's run is 2024: not the overview's 2025.
    write_records(outputs, "1864", crime_record("1864", 500, 4_500, period=2024),
                  victim_record("1864", 30, 40))  # fmt: skip
    # Örebro's run published its crime figures only (the victim-contact report failed).
    write_records(outputs, "1880", crime_record("1880", 16_000, 160_000))
    # Laxå's run is of 2024 only: nothing for 2025.
    write_records(outputs, "1860", crime_record("1860", 300, 5_500), period=2024)
    batch = ["1860", "1863", "1864", "1880"]
    crime = analysis.crime_rates(batch, 2025, outputs)
    assert list(crime["kommun_code"]) == ["1863", "1880"]
    assert crime.attrs["missing"] == ["1860", "1864"]
    assert crime.attrs["reasons"] == {
        "1860": "kommunens rapporter har inte körts för 2025",
        "1864": "kommunens rapport har Brås siffror för 2024, inte för 2025",
    }
    victim = analysis.victim_shares(batch, 2025, outputs)
    assert list(victim["kommun_code"]) == ["1863", "1864"]
    assert victim.attrs["missing"] == ["1860", "1880"]
    assert victim.attrs["reasons"]["1880"] == (
        "rapporten Kontakt med brottsutsatta (06) misslyckades eller saknade underlag i "
        "körningen för 2025"
    )
    assert text.crime_sentence(crime).endswith(
        "Uppgifterna saknas för Laxå (kommunens rapporter har inte körts för 2025) och "
        "Ljusnarsberg (kommunens rapport har Brås siffror för 2024, inte för 2025)."
    )
    assert text.victim_sentence(victim).endswith(
        "Uppgifterna saknas för Laxå (kommunens rapporter har inte körts för 2025) och Örebro "
        "(rapporten Kontakt med brottsutsatta (06) misslyckades eller saknade underlag i "
        "körningen för 2025)."
    )
    # analyse reads each kommun's table once and gives the same parts.
    ctx = national.NationalContext(2025, batch, outputs, outputs)
    overview = national.analyse(ctx)
    pd.testing.assert_frame_equal(overview.crime, crime)
    assert overview.victim.attrs == victim.attrs


def test_tables_show_each_kommuns_record_as_its_own_page_writes_it(outputs) -> None:
    from trygghet.present.tables import PageTable

    for code, (k, n, count, pop) in {"1863": (40, 50, 650, 6_500),
                                     "1864": (30, 40, 500, 4_500)}.items():  # fmt: skip
        write_records(outputs, code, victim_record(code, k, n), crime_record(code, count, pop))
    write_records(outputs, "1880", victim_record("1880", 3, 5))  # suppressed: not printed
    overview = national.analyse(national.NationalContext(2025, ["1863", "1864", "1880"], outputs))
    found = analysis.load_records(["1863", "1864"], 2025, outputs)
    victim = national.victim_table(overview)
    crime = national.crime_table(overview)
    assert isinstance(victim, PageTable) and victim.origin == "example"
    assert list(victim["Kommun"]) == ["Hällefors", "Ljusnarsberg"]
    assert list(crime["Kommun"]) == ["Hällefors", "Ljusnarsberg"]
    for row, code in enumerate(("1863", "1864")):
        for table, record_id in ((victim, analysis.VICTIM_RECORD), (crime, analysis.CRIME_RECORD)):
            record = found[code].get(record_id)
            value = indicators.value_of(record)
            assert table.iloc[row, 1] == indicators.format_value(record.value, record.unit)
            assert table.iloc[row, 2] == indicators.interval_text(value, record.unit)
    assert victim.iloc[0, 1:4].tolist() == ["80\u00a0%", "67–89\u00a0%", "50"]
    assert crime.iloc[0, 1] == "10\u00a0000"
    assert crime.iloc[0, 3:5].tolist() == ["650", "6\u00a0500"]
    assert "Örebro" not in victim._repr_html_()


def test_many_kommuner_are_counted_per_reason_not_named() -> None:
    codes = analysis.parse_kommuner("all")[:12]  # 0114 Upplands Väsby first
    reasons = {codes[0]: "skäl B"} | dict.fromkeys(codes[1:], "skäl A")
    assert text.not_shown_text(codes, reasons) == "Upplands Väsby (skäl B) och 11 kommuner (skäl A)"
    assert text.not_shown_text(["1863"], {}) == "Hällefors (uppgifterna saknas)"


def test_the_notebook_passes_the_outputs_root(outputs, tmp_path) -> None:
    nb = json.loads((paths.NOTEBOOKS_DIR / "riket" / "01_riksoversikt.ipynb").read_text("utf-8"))
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert 'outputs = ""' in cells[0].splitlines()
    assert "national.start(period, kommuner, shared_data, outputs)" in cells[1]
    assert national.start(2025, "1863", "", "").outputs == outputs  # "" is the default root
    assert national.start(2025, "1863", "", str(tmp_path)).outputs == tmp_path
    assert national.NationalContext(2025, ["1863"], tmp_path).outputs == outputs


def test_missing_parts_are_skipped_with_a_sentence(processed, outputs) -> None:
    ctx = national.NationalContext(2025, ["1863", "1864"], processed)
    overview = national.analyse(ctx)  # nothing ingested, no kommun run published
    assert overview.police is None and overview.boundaries is None
    assert overview.victim.empty and overview.crime.empty
    assert national.plot_police_funnel(overview) is None
    assert national.plot_victim_funnel(overview) is None
    assert national.plot_crime_funnel(overview) is None
    assert national.police_caption(overview) is None
    assert national.victim_caption(overview) is None
    assert national.crime_caption(overview) is None
    assert national.victim_table(overview) is None and national.crime_table(overview) is None
    assert national.police_map(overview) is None
    assert national.map_skipped_sentence(overview) == (
        "Kartan hoppas över: polisens händelser saknas."
    )
    assert national.victim_sentence(overview.victim) == (
        "Jämförelsen av kontakt med brottsutsatta hoppas över: Hällefors och Ljusnarsberg "
        "(kommunens rapporter har inte körts för 2025)."
    )
    assert national.crime_sentence(overview.crime) == (
        "Jämförelsen av anmälda brott hoppas över: Hällefors och Ljusnarsberg (kommunens "
        "rapporter har inte körts för 2025)."
    )
    assert national.police_sentence(None).startswith(
        "Polisens händelser saknas i de bearbetade tabellerna, så den delen av jämförelsen "
        "hoppas över."
    )
    assert national.headline(overview) == (
        "Riksöversikt 2025 (2 kommuner: Hällefors och Ljusnarsberg): polisens händelser "
        "saknas, så ingen jämförelse kunde göras."
    )
    # Every kommun hidden: the sentence names why.
    write_records(outputs, "1863", victim_record("1863", 3, 4))
    write_records(outputs, "1864", victim_record("1864", 0, 0))
    assert text.victim_sentence(analysis.victim_shares(["1863", "1864"], 2025)) == (
        "Jämförelsen av kontakt med brottsutsatta hoppas över: Hällefors och Ljusnarsberg "
        "(färre än 10 avgjorda ärenden)."
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


def test_example_sentences_are_labelled(outputs) -> None:
    write_records(outputs, "1863", victim_record("1863", 40, 50), crime_record("1863", 650, 6_500))
    write_records(outputs, "1864", victim_record("1864", 38, 50))
    write_records(outputs, "1860", victim_record("1860", 4, 6))
    assert text.victim_sentence(analysis.victim_shares(["1860", "1863", "1864"], 2025)) == (
        "EXEMPELDATA: andelen brottsutsatta som kontaktades inom 7 dagar. Sammantaget 78\u00a0% i "
        "2 jämförda kommuner. Ingen kommun skiljer sig mer än slumpen kan förklara. Visas inte: "
        "Laxå (färre än 10 avgjorda ärenden)."
    )
    crime = analysis.crime_rates(["1863"], 2025)
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


def test_parts_are_marked_from_their_data_not_assumed(processed, outputs) -> None:
    from trygghet.present import style

    for code in ("1863", "1864"):
        write_records(outputs, code, victim_record(code, 40, 50), crime_record(code, 650, 6_500))
    pd.DataFrame(POPULATION.assign(origin="real")).to_parquet(processed / "population.parquet")
    example = analysis.Overview(2025, ["1863", "1864"], None, "real", None,
                                analysis.victim_shares(["1863", "1864"], 2025),
                                analysis.crime_rates(["1863", "1864"], 2025))  # fmt: skip
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


def test_part_banners_use_the_parts_origin(outputs, monkeypatch) -> None:
    from trygghet.present import page

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        page, "banner", lambda source, origin, detail="": shown.append((source, origin))
    )
    monkeypatch.setattr(analysis, "population_origin", lambda: "real")
    monkeypatch.setattr(text, "population_origin", lambda: "real")
    write_records(outputs, "1863", crime_record("1863", 650, 6_500))
    crime = analysis.crime_rates(["1863"], 2025)
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
