"""SCB: boundaries, tätorter and population, on the mirror and on small broken files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import requires_mirror

from trygghet import paths
from trygghet.errors import DataError
from trygghet.sources import scb

POP_HEADER = "kommun_kod,kommun_namn,population"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def mirror(name: str) -> Path:
    return paths.shared_data_dir() / "scb" / name


# --------------------------------------------------------------------------- the mirror


@requires_mirror
def test_mirror_boundaries():
    kommuner = scb.read_kommun_boundaries(mirror("kommuner_scb_wgs84.geojson"))
    assert len(kommuner) == 290 and kommuner.crs.to_epsg() == 4326
    assert kommuner["kommun_code"].str.len().eq(4).all()
    assert "0114" in set(kommuner["kommun_code"])
    lan = scb.read_lan_boundaries(mirror("lan_scb_wgs84.geojson"))
    assert len(lan) == 21
    assert lan.set_index("lan_code").loc["18", "lan_name"] == "Örebro län"


@requires_mirror
def test_mirror_tatorter_csv_and_geojson_agree():
    from_csv = scb.read_tatorter(mirror("tatorter_2020_points.csv"))
    from_geojson = scb.read_tatorter(mirror("tatorter_2020_points.geojson"))
    assert len(from_csv) == len(from_geojson) == 2017
    hallefors = from_csv[from_csv["kommun_code"] == "1863"].set_index("tatort")
    assert set(hallefors.index) == {"Hällefors", "Grythyttan"}
    assert hallefors.loc["Hällefors", "population"] == 4459


@requires_mirror
def test_mirror_population():
    result = scb.read_population(mirror("population_2024_nov1.csv"))
    table = result.table
    assert len(table) == 290 and set(table["year"]) == {2024}
    assert table.set_index("kommun_code").loc["1863", "population"] == 6335
    assert (table["origin"] == "real").all()


# --------------------------------------------------------------------------- population layouts


def test_population_layouts(tmp_path):
    one = write(tmp_path, "population_2023_dec31.csv", f"{POP_HEADER}\n1863,Hällefors,6400\n")
    assert scb.read_population(one).table["year"].tolist() == [2023]
    assert scb.read_population(one, year=2022).table["year"].tolist() == [2022]
    long = write(
        tmp_path,
        "befolkning.csv",
        "Region;År;Folkmängd\n1863 Hällefors;2023;6 400\n114;2023;50 000\n18 Örebro län;2023;305000\n",
    )
    table = scb.read_population(long).table
    assert table["kommun_code"].tolist() == ["1863", "0114"]  # the län row is left out
    write(tmp_path, "population_2024_nov1.csv", f"{POP_HEADER}\n1863,Hällefors,6335\n")
    both = scb.read_population(tmp_path / "population_2024_nov1.csv")
    assert both.table["population"].tolist() == [6335]
    folder = tmp_path / "years"
    folder.mkdir()
    for year, pop in ((2023, 6400), (2024, 6335)):
        write(folder, f"population_{year}_x.csv", f"{POP_HEADER}\n1863,Hällefors,{pop}\n")
    table = scb.read_population(folder).table
    assert table["year"].tolist() == [2023, 2024]
    assert scb.population_lookup(table, 2025) == {"1863": 6335}
    assert scb.population_lookup(table, 2023) == {"1863": 6400}


def test_population_without_year(tmp_path):
    path = write(tmp_path, "befolkning.csv", f"{POP_HEADER}\n1863,Hällefors,6335\n")
    with pytest.raises(DataError, match="året framgår") as err:
        scb.read_population(path)
    assert "rad 1" in str(err.value)


# --------------------------------------------------------------------------- broken files


def test_wrong_encoding(tmp_path):
    path = tmp_path / "population_2024_x.csv"
    path.write_bytes(f"{POP_HEADER}\n1863,Hällefors,6335\n".encode("cp1252"))
    with pytest.raises(DataError, match="teckenkodning") as err:
        scb.read_population(path)
    assert "rad 2" in str(err.value)


def test_wrong_separator(tmp_path):
    path = write(tmp_path, "population_2024_x.csv", "kommun_kod|population\n1863|6335\n")
    with pytest.raises(DataError, match="avgränsare"):
        scb.read_population(path)


def test_missing_and_renamed_column(tmp_path):
    path = write(tmp_path, "population_2024_x.csv", "kommun_kod,kommun_namn\n1863,Hällefors\n")
    with pytest.raises(DataError, match="kolumner saknas: population"):
        scb.read_population(path)
    path = write(tmp_path, "population_2024_y.csv", "kommun_kod,populaton\n1863,6335\n")
    with pytest.raises(DataError, match="finns 'populaton'") as err:
        scb.read_population(path)
    assert "rad 1" in str(err.value)


def test_unparsable_number_and_unknown_code(tmp_path):
    path = write(tmp_path, "population_2024_x.csv", f"{POP_HEADER}\n1863,Hällefors,sex tusen\n")
    with pytest.raises(DataError, match="ogiltigt tal") as err:
        scb.read_population(path)
    assert "rad 2" in str(err.value) and "'population'" in str(err.value)
    path = write(tmp_path, "population_2024_y.csv", f"{POP_HEADER}\n1863,A,1\n9999,B,2\n")
    with pytest.raises(DataError, match="okänd kommunkod") as err:
        scb.read_population(path)
    assert "rad 3" in str(err.value) and "'kommun_kod'" in str(err.value)


def test_future_year(tmp_path):
    path = write(tmp_path, "pop.csv", "kommun_kod,year,population\n1863,2099,6335\n")
    with pytest.raises(DataError, match="framtiden") as err:
        scb.read_population(path)
    assert "rad 2" in str(err.value) and "'year'" in str(err.value)


def test_duplicates(tmp_path):
    path = write(tmp_path, "population_2024_x.csv", f"{POP_HEADER}\n1863,A,1\n1863,A,2\n")
    with pytest.raises(DataError, match="mer än en gång") as err:
        scb.read_population(path)
    assert "rad 3" in str(err.value)


def test_empty_and_truncated(tmp_path):
    with pytest.raises(DataError, match="tom"):
        scb.read_population(write(tmp_path, "population_2024_x.csv", ""))
    path = write(tmp_path, "population_2024_y.csv", f"{POP_HEADER}\n1863,Hällefors,6335\n1864,Lj")
    with pytest.raises(DataError, match="fel antal fält") as err:
        scb.read_population(path)
    assert "rad 3" in str(err.value)


def test_quarantine(tmp_path):
    text = f"{POP_HEADER}\n1863,Hällefors,6335\n9999,X,5\n1864,Ljusnarsberg,-4\n0114,U,50295\n"
    result = scb.read_population(write(tmp_path, "population_2024_x.csv", text), quarantine=True)
    assert result.table["kommun_code"].tolist() == ["1863", "0114"]
    assert result.rejected["rad"].tolist() == [3, 4]
    assert "positiv" in result.rejected["orsak"].iloc[1]


# --------------------------------------------------------------------------- geography


def _feature(props: dict, coords: list) -> dict:
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Polygon", "coordinates": [coords]},
    }


SQUARE = [[14.4, 59.7], [14.6, 59.7], [14.6, 59.8], [14.4, 59.8], [14.4, 59.7]]


def test_boundaries_pad_codes_and_reject_unknown(tmp_path):
    path = tmp_path / "k.geojson"
    features = [_feature({"kommun_code": 114, "kommun_name": "Upplands Väsby"}, SQUARE)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    assert scb.read_kommun_boundaries(path)["kommun_code"].tolist() == ["0114"]
    features.append(_feature({"kommun_code": "9999", "kommun_name": "X"}, SQUARE))
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    with pytest.raises(DataError, match="okänd kod") as err:
        scb.read_kommun_boundaries(path)
    assert "rad 2" in str(err.value) and "'kommun_code'" in str(err.value)
    broken = write(tmp_path, "b.geojson", '{"type": "FeatureCollection", "features": [')
    with pytest.raises(DataError, match="GeoJSON"):
        scb.read_lan_boundaries(broken)


def test_tatorter_outside_sweden(tmp_path):
    header = "tatortskod,tatort,kommun_code,population,lat,lon"
    text = f"{header}\n1863TC103,Hällefors,1863,4459,59.78,14.52\n1863TB101,Grythyttan,1863,805,14.53,59.71\n"
    with pytest.raises(DataError, match="utanför Sverige") as err:
        scb.read_tatorter(write(tmp_path, "t.csv", text))
    assert "rad 3" in str(err.value)


TATORT_HEADER = "tatortskod,tatort,kommun_code,population,lat,lon"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", ["filen är tom", "Förväntat: en rubrikrad"]),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50, ["rad 3", "NUL-tecken", "ingen textfil"]),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 200, ["Excel-arbetsbok", "50 4B 03 04"]),
    ],
    ids=["zero-bytes", "binary", "xlsx-renamed"],
)
def test_broken_tatorter_file_is_named_by_both_readers(tmp_path, data, words):
    from trygghet.sources import polisen

    path = tmp_path / "tatorter_2020_points.csv"
    path.write_bytes(data)
    for reader in (scb.read_tatorter, polisen.read_tatorter):
        with pytest.raises(DataError) as err:
            reader(path)
        message = str(err.value)
        assert f"fil {path}" in message and "Windows-1252" not in message
        assert all(w in message for w in words), message


def test_polisen_tatorter_reads_strictly(tmp_path):
    from trygghet.sources import polisen

    text = f"{TATORT_HEADER}\n1863TC103,Hällefors,1863,4459,59.78,14.52\n"
    table = polisen.read_tatorter(write(tmp_path, "t.csv", text))
    assert table[["tatort", "kommun_code"]].values.tolist() == [["Hällefors", "1863"]]
    assert table["population"].tolist() == [4459]
    with pytest.raises(DataError, match="kolumner saknas: kommun_code"):
        polisen.read_tatorter(write(tmp_path, "u.csv", "tatort,kommun\nHällefors,1863\n"))


def test_tatorter_geojson_needs_points_and_columns(tmp_path):
    props = {"tatortskod": "1863TC103", "tatort": "Hällefors", "kommun_code": "1863"}
    path = tmp_path / "t.geojson"
    point = {"type": "Point", "coordinates": [14.52, 59.78]}
    features = [{"type": "Feature", "properties": props, "geometry": point}]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    with pytest.raises(DataError, match="kolumner saknas: population"):
        scb.read_tatorter(path)
    features = [_feature(props | {"population": 4459}, SQUARE)] * 2  # areas, not points
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    with pytest.raises(DataError, match="ingen punkt") as err:
        scb.read_tatorter(path)
    assert "rad 1" in str(err.value) and "kolumn 'geometry'" in str(err.value)
    assert "Hittade: 'Polygon'" in str(err.value)
