"""Resident reports: example round trip, scrubbing, positions, and broken files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from trygghet.config import load_config
from trygghet.errors import DataError
from trygghet.privacy import contains_personal_data
from trygghet.sources import resident_reports as rr

HEADER = "report_id;created_at;category;lat;lon;address;postal_code;description;status"
GOOD_ROWS = [
    "R1;2025-03-14 21:30;belysning;59.7830;14.5170;Storgatan 1;712 31;Mörkt här, ring 070-123 45 67;ny",
    "R2;2025-03-15 22:10;Klotter;;;Parkvägen 3;71231;Klotter på väggen, ABC 123;åtgärdad",
    "R3;2025-03-16 08:00;trafik;;;;;;",
]
POSTAL = {"71231": "1863"}


def write(tmp_path: Path, lines: list[str], name: str = "orosanmalningar.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read(path: Path, **kwargs) -> rr.ReadResult:
    return rr.read(path, postal_codes=POSTAL, today=pd.Timestamp("2026-11-26"), **kwargs)


def expect_error(path: Path, *parts: str, **kwargs) -> DataError:
    with pytest.raises(DataError) as info:
        read(path, **kwargs)
    message = str(info.value)
    assert path.name in message
    for part in parts:
        assert part in message, message
    return info.value


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, rr.ReadResult]:
    out = tmp_path_factory.mktemp("ex")
    (path,) = rr.generate_example(load_config("1863"), out, seed=3)
    return path, rr.read(path, origin="example")


def test_small_file_is_typed_scrubbed_and_positioned(tmp_path: Path) -> None:
    table = read(write(tmp_path, [HEADER, *GOOD_ROWS])).table
    assert list(table.columns) == rr.TIDY_COLUMNS
    assert list(table["position_source"]) == ["koordinat", "postnummer", "saknas"]
    assert table.loc[0, "postal_code"] == "71231"
    assert table.loc[1, "postal_kommun_code"] == "1863"
    assert pd.isna(table.loc[1, "lat"])
    assert table.loc[1, "category"] == "klotter"  # lower-cased
    assert table.loc[0, "description"] == "Mörkt här, ring [telefon]"
    assert table.loc[1, "description"] == "Klotter på väggen, [regnr]"
    assert pd.isna(table.loc[2, "status"])
    assert table["created_at"].dt.hour.tolist() == [21, 22, 8]


def test_example_round_trip(example: tuple[Path, rr.ReadResult]) -> None:
    path, result = example
    table = result.table
    assert path.name == "orosanmalningar.csv"
    raw_rows = len(path.read_text(encoding="utf-8").splitlines()) - 1
    assert len(table) == raw_rows
    assert 300 * 3.8 < len(table) < 1500 * 3.8  # several hundred a year for a small kommun
    assert result.rejected.empty
    assert (table["origin"] == "example").all()
    assert table["created_at"].min() >= pd.Timestamp("2023-01-01")
    assert table["created_at"].max() < pd.Timestamp("2026-11-01")
    assert set(table["category"]) == set(rr.CATEGORIES)
    assert set(table["position_source"]) <= set(rr.POSITION_SOURCES)
    assert (table["position_source"] == "koordinat").mean() > 0.7
    # planted personal data was in the raw file and is gone from the table
    raw = path.read_text(encoding="utf-8")
    assert "19800101-1234" in raw and "070-123 45 67" in raw
    assert not contains_personal_data(table["description"].fillna("")).any()
    assert table["description"].str.contains("[personnummer]", regex=False).any()
    # seasons and evenings: more belysning in the dark months, evening peak
    month = table["created_at"].dt.month
    bel = table["category"] == "belysning"
    assert bel[month.isin([11, 12, 1])].mean() > 1.5 * bel[month.isin([5, 6, 7])].mean()
    hour = table["created_at"].dt.hour
    assert hour.between(18, 22).mean() > hour.between(6, 10).mean() * 2
    # hotspots: the busiest 100 m cell holds far more than an even spread would
    cells = (table["lat"].round(3).astype(str) + table["lon"].round(3).astype(str)).dropna()
    assert cells.value_counts().iloc[0] > 20


def test_example_is_deterministic_and_per_kommun(tmp_path: Path) -> None:
    config = load_config("1863")
    a = rr.generate_example(config, tmp_path / "a", seed=1)[0].read_bytes()
    b = rr.generate_example(config, tmp_path / "b", seed=1)[0].read_bytes()
    c = rr.generate_example(config, tmp_path / "c", seed=2)[0].read_bytes()
    d = rr.generate_example(load_config("1864"), tmp_path / "d", seed=1)[0].read_bytes()
    assert a == b
    assert a != c and a != d


def test_geojson_round_trip_equals_csv(tmp_path: Path) -> None:
    config = load_config("1864")
    (csv_path,) = rr.generate_example(config, tmp_path, seed=0)
    (geo_path,) = rr.generate_example(config, tmp_path, seed=0, fmt="geojson")
    assert geo_path.name == "orosanmalningar.geojson"
    assert read(csv_path).table.equals(read(geo_path).table)


def geojson(tmp_path: Path, features: list, name: str = "orosanmalningar.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def feature(report_id: str = "G1", coords=(14.517, 59.783), **props) -> dict:
    base = {
        "report_id": report_id,
        "created_at": "2025-01-10T19:00:00",
        "category": "belysning",
        "address": None,
        "postal_code": None,
        "description": "mejla mig på a.b@example.se",
        "status": "ny",
    }
    base.update(props)
    geometry = None if coords is None else {"type": "Point", "coordinates": list(coords)}
    return {"type": "Feature", "geometry": geometry, "properties": base}


def test_geojson_reader(tmp_path: Path) -> None:
    path = geojson(tmp_path, [feature(), feature("G2", None, postal_code="71231")])
    table = read(path).table
    assert table.loc[0, "lat"] == pytest.approx(59.783)
    assert table.loc[0, "description"] == "mejla mig på [e-post]"
    assert list(table["position_source"]) == ["koordinat", "postnummer"]


def test_geojson_errors_name_the_feature(tmp_path: Path) -> None:
    path = geojson(tmp_path, [feature(), feature("G2", (59.7, 14.5))])  # swapped
    expect_error(path, "rad 2", "lat/lon", "utanför Sverige")
    line = {"type": "LineString", "coordinates": [[14.5, 59.7], [14.6, 59.8]]}
    bad = feature("G3")
    bad["geometry"] = line
    expect_error(geojson(tmp_path, [feature(), bad]), "rad 2", "geometry", "punkt")
    path = geojson(tmp_path, [feature(), feature("G2", category="gatuhål")])
    expect_error(path, "rad 2", "category", "okänd kategori")
    del_prop = feature("G4")
    del del_prop["properties"]["created_at"]
    expect_error(geojson(tmp_path, [del_prop]), "rad 1", "created_at")
    text = json.dumps({"type": "FeatureCollection", "features": [feature()]})
    (tmp_path / "cut.geojson").write_text(text[:-30], encoding="utf-8")
    expect_error(tmp_path / "cut.geojson", "avkortad")
    (tmp_path / "list.geojson").write_text("[]", encoding="utf-8")
    expect_error(tmp_path / "list.geojson", "FeatureCollection")


# --- broken CSV files -----------------------------------------------------


def test_wrong_encoding(tmp_path: Path) -> None:
    path = tmp_path / "orosanmalningar.csv"
    path.write_bytes("\n".join([HEADER, *GOOD_ROWS]).encode("cp1252"))
    expect_error(path, "teckenkodning", "rad 2")


def test_wrong_separator(tmp_path: Path) -> None:
    path = write(tmp_path, [HEADER.replace(";", ","), "R1,2025-01-01,belysning,,,,,,"])
    expect_error(path, "avgränsare", "rad 1")


def test_missing_and_renamed_column(tmp_path: Path) -> None:
    lines = [HEADER.replace(";status", ""), *(r.rsplit(";", 1)[0] for r in GOOD_ROWS)]
    expect_error(write(tmp_path, lines), "saknas", "status", "rad 1")
    renamed = [HEADER.replace("created_at", "created"), *GOOD_ROWS]
    expect_error(write(tmp_path, renamed), "created_at", "finns 'created'")


def test_unparsable_date_number_and_postal_code(tmp_path: Path) -> None:
    bad_date = GOOD_ROWS[0].replace("2025-03-14 21:30", "14/3 2025")
    expect_error(write(tmp_path, [HEADER, GOOD_ROWS[2], bad_date]), "rad 3", "created_at")
    bad_number = GOOD_ROWS[0].replace("59.7830", "59,78,3")
    expect_error(write(tmp_path, [HEADER, bad_number]), "rad 2", "'lat'", "ogiltigt tal")
    bad_postal = GOOD_ROWS[0].replace("712 31", "7123")
    expect_error(write(tmp_path, [HEADER, bad_postal]), "rad 2", "postal_code")


def test_coordinates_outside_sweden_and_half_missing(tmp_path: Path) -> None:
    swapped = GOOD_ROWS[0].replace("59.7830;14.5170", "14.5170;59.7830")
    expect_error(write(tmp_path, [HEADER, swapped]), "rad 2", "lat/lon", "utanför Sverige")
    half = GOOD_ROWS[0].replace("59.7830;14.5170", "59.7830;")
    expect_error(write(tmp_path, [HEADER, half]), "rad 2", "lat/lon", "bara en")


def test_future_date_and_duplicate_id(tmp_path: Path) -> None:
    future = GOOD_ROWS[0].replace("2025-03-14", "2027-01-01")
    expect_error(write(tmp_path, [HEADER, GOOD_ROWS[1], future]), "rad 3", "framtiden")
    dup = GOOD_ROWS[1].replace("R2;", "R1;")
    expect_error(write(tmp_path, [HEADER, GOOD_ROWS[0], dup]), "rad 3", "report_id", "mer än en")


def test_empty_and_truncated_file(tmp_path: Path) -> None:
    expect_error(write(tmp_path, [""]), "tom")
    cut = GOOD_ROWS[1][:20]
    expect_error(write(tmp_path, [HEADER, GOOD_ROWS[0], cut]), "rad 3", "fält")


def test_quarantine_keeps_good_rows_and_scrubs_rejected(tmp_path: Path) -> None:
    bad = "R9;2025-13-01;belysning;;;;;ring 0701234567;ny"
    path = write(tmp_path, [HEADER, GOOD_ROWS[0], bad, GOOD_ROWS[2]])
    result = read(path, quarantine=True)
    assert list(result.table["report_id"]) == ["R1", "R3"]
    assert list(result.rejected["rad"]) == [3]
    assert "created_at" in result.rejected.loc[0, "orsak"]
    assert result.rejected.loc[0, "description"] == "ring [telefon]"


def test_categories_are_drawn_as_numpy_choice_draws_them_report_by_report():
    import numpy as np

    categories = list(rr._BASE_MIX)
    weights = np.array([rr._BASE_MIX[c] for c in categories], float)
    belysning = categories.index("belysning")
    dark = np.random.default_rng(1).uniform(1.0, 2.3, 2000)
    drawn = rr._draw_categories(np.random.default_rng(9), categories, weights, belysning, dark)
    rng = np.random.default_rng(9)
    expected = []
    for d in dark:
        w = weights.copy()
        w[belysning] *= d**1.2
        expected.append(categories[rng.choice(len(categories), p=w / w.sum())])
    assert drawn.tolist() == expected
