"""Kolada: saved API answers, municipality groups, example round trip, broken files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from trygghet.config import load_config
from trygghet.errors import DataError
from trygghet.sources import kolada


def entry(municipality="1863", period=2024, value=1234.5, gender="T", **extra) -> dict:
    cell = {"count": 1, "gender": gender, "status": "", "value": value}
    return {
        "kpi": "N07403",
        "municipality": municipality,
        "period": period,
        "values": [cell],
        **extra,
    }


def save(folder: Path, values: list, name: str = "kolada_test.json") -> Path:
    path = folder / name
    path.write_text(json.dumps({"count": len(values), "values": values}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> list[Path]:
    return kolada.generate_example(load_config("1863"), tmp_path_factory.mktemp("kolada"), seed=0)


def test_example_groups_round_trip(example):
    groups = kolada.read_groups(example[0], origin="example")
    assert groups["group_title"].str.contains("Exempel").all()  # never passed off as real
    assert groups["group_id"].str.startswith("GEX").all()
    cls, group_id, _ = kolada.skr_class(groups, "1863")
    assert cls == "C8" and group_id == "GEXC8"
    peers = kolada.peers(groups, "1863")
    assert peers and "1863" not in peers
    assert not groups.duplicated("kommun_code").any()  # one class per kommun


def test_example_values_round_trip(example):
    result = kolada.read(example[1], origin="example")
    table = result.table
    assert result.rejected.empty
    assert set(table["area_level"]) == {"kommun", "län", "riket", "grupp"}
    own = table[table["municipality"] == "1863"]
    assert list(own["period"]) == list(range(2015, 2026))
    assert own["value"].isna().sum() == 1  # missing stays missing, not zero
    assert set(table.loc[table["area_level"] == "län", "municipality"]) == {"0018"}
    assert (table["kpi"] == kolada.CRIME_KPIS["anmalda_valdsbrott_per_100k"]).all()
    folder = kolada.read_folder(example[1].parent, origin="example").table
    assert len(folder) == len(table)  # the groups file is not read as values


def test_example_is_deterministic(tmp_path, example):
    again = kolada.generate_example(load_config("1863"), tmp_path, seed=0)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in example]
    other = kolada.generate_example(load_config("1864"), tmp_path / "b", seed=0)
    assert kolada.read(other[1]).table["municipality"].eq("1864").any()


def test_real_shape_with_genders_and_pages(tmp_path):
    page = [
        {
            "kpi": "N07403",
            "municipality": "0000",
            "period": 2023,
            "values": [
                {"count": 290, "gender": "T", "status": "", "value": 1100.2},
                {"count": 290, "gender": "K", "status": "", "value": None},
                {"count": 290, "gender": "M", "status": "Missing", "value": None},
            ],
        }
    ]
    path = tmp_path / "kolada_pages.json"
    path.write_text(json.dumps([{"values": page}, {"values": [entry()]}]), encoding="utf-8")
    table = kolada.read(path).table
    assert len(table) == 4
    assert table.set_index(["municipality", "gender"]).loc[("0000", "M"), "status"] == "Missing"


def test_classify_titles_longest_first():
    assert kolada.classify_title("Landsbygdskommun med besöksnäring") == "C9"
    assert kolada.classify_title("Kommungrupp: Landsbygdskommun") == "C8"
    assert kolada.classify_title("Lågpendlingskommun nära större stad") == "B4"
    assert kolada.classify_title("Pendlingskommun nära större stad") == "B5"
    assert kolada.classify_title("Bergslagen") is None


# --------------------------------------------------------------------------- broken files


def test_wrong_encoding(tmp_path):
    path = tmp_path / "kolada_x.json"
    path.write_bytes('{"values": [{"kpi": "Våld"}]}'.encode("cp1252"))
    with pytest.raises(DataError, match="teckenkodning") as err:
        kolada.read(path)
    assert path.name in str(err.value) and "rad 1" in str(err.value)


def test_empty_and_truncated(tmp_path):
    empty = tmp_path / "kolada_empty.json"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(DataError, match="tom"):
        kolada.read(empty)
    full = json.dumps({"values": [entry(), entry(period=2023)]}, indent=1)
    cut = tmp_path / "kolada_cut.json"
    cut.write_text(full[: len(full) // 2], encoding="utf-8")
    with pytest.raises(DataError, match="ogiltig JSON") as err:
        kolada.read(cut)
    assert "rad " in str(err.value)


def test_not_kolada_shape(tmp_path):
    path = tmp_path / "kolada_x.json"
    path.write_text(json.dumps({"data": []}), encoding="utf-8")
    with pytest.raises(DataError, match="Koladas form") as err:
        kolada.read(path)
    assert "'values'" in str(err.value)


def test_missing_field_names_the_entry(tmp_path):
    bad = entry()
    del bad["period"]
    with pytest.raises(DataError, match="fältet saknas") as err:
        kolada.read(save(tmp_path, [entry(), bad]))
    assert "values[1].period" in str(err.value)


def test_unknown_municipality(tmp_path):
    with pytest.raises(DataError, match="okänd") as err:
        kolada.read(save(tmp_path, [entry(municipality="9999")]))
    assert "values[0].municipality" in str(err.value) and "9999" in str(err.value)


def test_unparsable_number_and_period(tmp_path):
    with pytest.raises(DataError, match="ogiltigt tal") as err:
        kolada.read(save(tmp_path, [entry(value="12,5")]))
    assert "values[0].values[0].value" in str(err.value)
    with pytest.raises(DataError, match="ogiltigt år") as err:
        kolada.read(save(tmp_path, [entry(period="tjugo")]))
    assert "values[0].period" in str(err.value)
    with pytest.raises(DataError, match="okänt kön"):
        kolada.read(save(tmp_path, [entry(gender="X")]))


def test_future_period(tmp_path):
    with pytest.raises(DataError, match="framtiden") as err:
        kolada.read(save(tmp_path, [entry(period=2099)]))
    assert "values[0].period" in str(err.value)


def test_duplicate_entries(tmp_path):
    with pytest.raises(DataError, match="mer än en gång") as err:
        kolada.read(save(tmp_path, [entry(), entry(value=1.0)]))
    assert "N07403, 1863, 2024, T" in str(err.value)


def test_quarantine_sets_bad_entries_aside(tmp_path):
    values = [entry(), entry(municipality="9999"), entry(period=2023, value="x")]
    result = kolada.read(save(tmp_path, values), quarantine=True)
    assert len(result.table) == 1
    assert list(result.rejected["post"]) == ["values[1]", "values[2]"]
    assert "okänd" in result.rejected["orsak"].iloc[0]


def test_group_file_errors(tmp_path):
    path = save(tmp_path, [{"id": "G1", "title": "Grupp"}], "kolada_kommungrupper.json")
    with pytest.raises(DataError, match="saknar fält") as err:
        kolada.read_groups(path)
    assert "values[0]" in str(err.value)
    members = [{"id": "1863", "title": "Hällefors"}, {"id": "0018", "title": "Region"}]
    path = save(tmp_path, [{"id": "G1", "title": "X Landsbygdskommun", "members": members}])
    groups = kolada.read_groups(path)
    assert list(groups["kommun_code"]) == ["1863"]  # the region is not a kommun
    assert isinstance(groups, pd.DataFrame) and groups["skr_class"].iloc[0] == "C8"


def test_area_levels_and_names_agree_with_the_code_list():
    from trygghet import kommuner

    table = kommuner.all_kommuner()
    columns = (table["kommun_code"], table["kommun_name"], table["lan_code"])
    for code, name, lan in zip(*columns, strict=True):
        assert kolada.area_level(code) == "kommun"
        assert kolada.area_level("00" + lan) == "län"
        assert kolada._kommun_names()[code] == kommuner.kommun_name(code) == name
    assert kolada.area_level("0000") == "riket" and kolada.area_level("GEXC8") == "grupp"
    assert kolada.area_level("9999") is None and kolada.area_level("0099") is None
