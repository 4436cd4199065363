"""Brå's reported crime: both real layouts, example round trip, broken files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from trygghet import kommuner
from trygghet.config import load_config
from trygghet.errors import DataError
from trygghet.sources import bra_crime
from trygghet.sources.tabular import check_contract

HEADER = "Kommun;Antal;Per 100 000 inv."
EXPORT_HEADER = "brottstyp;brottskod;område;period;enhet;värde"


def write(folder: Path, name: str, text: str, *, bom: bool = True) -> Path:
    path = folder / name
    path.write_bytes((("\ufeff" if bom else "") + text).encode("utf-8"))
    return path


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> tuple[Path, list[Path]]:
    folder = tmp_path_factory.mktemp("bra")
    return folder, bra_crime.generate_example(load_config("1863"), folder, seed=0)


# --------------------------------------------------------------------------- round trip


def test_example_yearly_files_round_trip(example):
    folder, files = example
    n_lan = len(kommuner.kommuner_in_lan("18"))
    yearly = [p for p in files if p.name.startswith("bra_kommun_")]
    assert [p.name for p in yearly] == [f"bra_kommun_{y}.csv" for y in range(2015, 2026)]
    for path in yearly:
        table = bra_crime.read(path, origin="example").table
        assert len(table) == n_lan + 2, path.name  # the län's kommuner, the län, Riket
        assert set(table["area_level"]) == {"kommun", "län", "riket"}
        assert (table["crime_category"] == "totalt").all()
        assert table["count"].notna().all() and (table["count"] > 0).all()
        assert (table["origin"] == "example").all()
    # The layouts really differ: no header in 2021, "X kommun" in 2016, no-break spaces in 2022.
    assert not (folder / "bra_kommun_2021.csv").read_text("utf-8-sig").startswith("Kommun;")
    assert "Hällefors kommun;" in (folder / "bra_kommun_2016.csv").read_text("utf-8-sig")
    assert "\u00a0" in (folder / "bra_kommun_2022.csv").read_text("utf-8-sig")


def test_example_export_round_trip(example):
    folder, _ = example
    result = bra_crime.read(folder / "bra_brottstyp.csv", origin="example")
    table = result.table
    areas = len(kommuner.kommuner_in_lan("18")) + 2
    assert len(table) == areas * 11 * len(bra_crime.EXAMPLE_NATIONAL_RATES)
    assert result.rejected.empty
    required = {
        "totalt",
        "narkotikabrott",
        "trafikbrott",
        "rattfylleri",
        "ordningsstorning",
        "skadegorelse",
        "valdsbrott",
        "stold_inbrott",
    }
    assert required <= set(table["crime_category"])
    assert (table.loc[table["year"] == 2025, "value_status"] == "preliminär").all()
    hidden = table[table["value_status"].isin(["sekretess", "saknas"])]
    assert len(hidden) == 2 and hidden["count"].isna().all()  # missing, never zero
    lan = table[(table["kommun_code"] == "0018") & (table["crime_category"] == "totalt")]
    assert set(lan["area_name"]) == {"Örebro län"}


def test_read_folder_prefers_the_export(example):
    folder, _ = example
    table = bra_crime.read_folder(folder, origin="example").table
    totals = table[table["crime_category"] == "totalt"]
    assert not totals.duplicated(["kommun_code", "year"]).any()


def test_example_is_deterministic_and_works_for_another_kommun(tmp_path, example):
    _, files = example
    again = bra_crime.generate_example(load_config("1863"), tmp_path / "a", seed=0)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in files]
    other = bra_crime.generate_example(load_config("1864"), tmp_path / "b", seed=0)
    assert bra_crime.read(other[-1]).table["kommun_code"].eq("1864").any()


# --------------------------------------------------------------------------- real layouts


def test_recent_layout_with_title_footnote_and_separators(tmp_path):
    text = (
        "Anmälda brott, per kommun, 2024\r\n"
        f"{HEADER}\r\n"
        "Hällefors kommun;712;11\u00a0239,5\r\n"
        "Örebro;19 870;12 640\r\n"
        "Riket;1 468 012;13 980,2\r\n"
        "Källa: Brå\r\n"
    )
    table = bra_crime.read(write(tmp_path, "bra_kommun_2024.csv", text)).table
    row = table.set_index("kommun_code").loc["1863"]
    assert (row["count"], row["rate_per_100k"], row["year"]) == (712, 11239.5, 2024)
    assert table.set_index("kommun_code").loc["0000", "count"] == 1468012


def test_headerless_2021_layout_and_year_argument(tmp_path):
    path = write(tmp_path, "brott.csv", "Hällefors;700;11 000\nLindesbergs kommun;2 000;8 500\n")
    with pytest.raises(DataError, match="året framgår inte"):
        bra_crime.read_kommun_file(path)
    table = bra_crime.read_kommun_file(path, year=2021).table
    assert set(table["kommun_code"]) == {"1863", "1885"}
    assert set(table["year"]) == {2021}


def test_kommun_names_with_other_dashes_kommun_suffix_and_case(tmp_path):
    # Brå's 2021 file: no header, en dash and genitive "kommun" where SCB writes
    # "Malung-Sälen"; other dash kinds, spacing and case are the same name too.
    text = (
        "Malung\u2013Sälens kommun;1 234;10 123,4\r\n"
        "UPPLANDS\u2011BRO;2 000;7 000,0\r\n"
        "dals \u2014 ed kommun;300;6 500,0\r\n"
    )
    result = bra_crime.read(write(tmp_path, "bra_kommun_2021.csv", text))
    table = result.table.set_index("kommun_code")
    assert table.loc["2023", "area_name"] == "Malung-Sälen"
    assert table.loc["2023", "count"] == 1234
    assert set(table.index) == {"2023", "0139", "1438"}
    assert result.rejected.empty and result.set_aside.empty and result.notes == []
    assert bra_crime.resolve_area("Malung–Sälen")[0] == "2023"
    # A lone dash is still a missing-value marker, not a name.
    assert bra_crime.parse_value("–") == (None, "saknas")


def test_stockholm_stadsdelar_are_set_aside_with_a_note(tmp_path):
    # As in Brå's 2021 file: the kommuner, then Stockholm's stadsdelsområden.
    text = (
        "Stockholm;150 000;15 000,0\r\n"
        "Hällefors;700;11 000,0\r\n"
        "Rinkeby\u2013Kista;9 000;18 000,0\r\n"
        "Spånga-Tensta;5 000;12 000,0\r\n"
        "Södermalm stadsdelsområde;20 000;15 500,0\r\n"
        "Riket;1 400 000;13 500,0\r\n"
    )
    path = write(tmp_path, "bra_kommun_2021.csv", text)
    result = bra_crime.read(path)
    table = result.table
    assert set(table["kommun_code"]) == {"0180", "1863", "0000"}
    assert (table["area_level"] == "kommun").sum() == 2  # the stadsdelar are no kommuner
    assert result.rejected.empty  # not an error
    aside = result.set_aside
    assert aside["område"].tolist() == [
        "Rinkeby\u2013Kista",
        "Spånga-Tensta",
        "Södermalm stadsdelsområde",
    ]
    assert aside["rad"].tolist() == [3, 4, 5]
    assert set(aside["del_av"]) == {"Stockholm"} and set(aside["fil"]) == {path.name}
    assert len(result.notes) == 1
    note = result.notes[0]
    assert "3 rader" in note and "Rinkeby" in note and "Stockholms kommun" in note
    # read_folder keeps the set-aside rows and the note.
    folder = bra_crime.read_folder(tmp_path)
    assert len(folder.set_aside) == 3 and folder.notes == result.notes
    assert bra_crime.stockholm_stadsdel("Stockholm") is None
    assert bra_crime.stockholm_stadsdel("Stockholm, Hässelby–Vällingby") == "Hässelby-Vällingby"


def test_missing_markers_are_nan_with_status(tmp_path):
    text = f"{HEADER}\nHällefors;..;..\nLaxå;-;–\nNora;123*;1 200*\n"
    table = bra_crime.read(write(tmp_path, "bra_kommun_2024.csv", text)).table.set_index(
        "area_name"
    )
    assert pd.isna(table.loc["Hällefors", "count"])
    assert table.loc["Hällefors", "value_status"] == "sekretess"
    assert table.loc["Laxå", "value_status"] == "saknas"
    assert table.loc["Nora", "value_status"] == "preliminär"
    assert table.loc["Nora", "count"] == 123


def test_export_with_status_column_and_codes(tmp_path):
    text = (
        "Brottstyp;Område;Period;Enhet;Värde;Status\n"
        "Narkotikabrott;1863 Hällefors;2025;Antal;40;Preliminär\n"
        "Narkotikabrott;1863 Hällefors;2025;Per 100 000 inv.;631,4;Preliminär\n"
        "Misshandel;Riket;2024;Antal;85 000;\n"
    )
    table = bra_crime.read(write(tmp_path, "bra_brottstyp.csv", text)).table
    drugs = table[table["crime_category"] == "narkotikabrott"].iloc[0]
    assert (drugs["count"], drugs["rate_per_100k"], drugs["value_status"]) == (
        40,
        631.4,
        "preliminär",
    )
    violence = table[table["crime_category"] == "valdsbrott"].iloc[0]
    assert violence["value_status"] == "ok" and pd.isna(violence["rate_per_100k"])


def test_category_rules():
    assert bra_crime.category_of("Rattfylleri, grovt") == "rattfylleri"
    assert bra_crime.category_of("Trafikbrott (exkl. rattfylleri)") == "trafikbrott"
    assert bra_crime.category_of("Brott mot trafikbrottslagen") == "trafikbrott"
    assert bra_crime.category_of("Misshandel inkl. grov") == "valdsbrott"
    assert bra_crime.category_of("Bostadsinbrott") == "stold_inbrott"
    assert bra_crime.category_of("Bedrägeri") == "ovrigt"


# --------------------------------------------------------------------------- broken files


def test_unknown_kommun_names_the_row(tmp_path):
    path = write(tmp_path, "bra_kommun_2024.csv", f"{HEADER}\nHällefors;1;2\nPåhittby;3;4\n")
    with pytest.raises(DataError) as err:
        bra_crime.read(path)
    assert "rad 3" in str(err.value) and "'Kommun'" in str(err.value)
    assert "Påhittby" in str(err.value) and path.name in str(err.value)


def test_wrong_encoding(tmp_path):
    path = tmp_path / "bra_kommun_2024.csv"
    path.write_bytes(f"{HEADER}\nHällefors;1;2\n".encode("cp1252"))
    with pytest.raises(DataError, match="teckenkodning") as err:
        bra_crime.read(path)
    assert "rad 2" in str(err.value)


def test_wrong_separator(tmp_path):
    path = write(tmp_path, "bra_kommun_2024.csv", "Kommun,Antal,Per 100 000 inv.\nHällefors,1,2\n")
    with pytest.raises(DataError, match="avgränsare") as err:
        bra_crime.read(path)
    assert "rad 1" in str(err.value)


def test_missing_column_in_export(tmp_path):
    path = write(tmp_path, "bra_brottstyp.csv", "brottstyp;område;period;värde\nA;Riket;2024;1\n")
    with pytest.raises(DataError, match="kolumner saknas: enhet") as err:
        bra_crime.read(path)
    assert "rad 1" in str(err.value) and "'enhet'" in str(err.value)


def test_renamed_column(tmp_path):
    path = write(
        tmp_path, "bra_brottstyp.csv", "brottstyp;område;period;enhet;varde\nA;Riket;2024;Antal;1\n"
    )
    with pytest.raises(DataError, match="finns 'varde'"):
        bra_crime.read(path)
    path = write(tmp_path, "bra_kommun_2024.csv", "Kommun;Antal;Per 100 000 invånare\nNora;1;2\n")
    with pytest.raises(DataError, match="rubrikraden") as err:
        bra_crime.read(path)
    assert "rad 1" in str(err.value) and "per 100 000 inv." in str(err.value)


def test_unparsable_year(tmp_path):
    text = f"{EXPORT_HEADER}\nA;1;Riket;2024;Antal;1\nA;1;Riket;tjugo;Antal;1\n"
    with pytest.raises(DataError, match="ogiltigt år") as err:
        bra_crime.read(write(tmp_path, "bra_brottstyp.csv", text))
    assert "rad 3" in str(err.value) and "'period'" in str(err.value)


def test_unparsable_number(tmp_path):
    path = write(tmp_path, "bra_kommun_2024.csv", f"{HEADER}\nNora;12a;2\n")
    with pytest.raises(DataError, match="ogiltigt tal") as err:
        bra_crime.read(path)
    assert "rad 2" in str(err.value) and "'Antal'" in str(err.value) and "12a" in str(err.value)
    path = write(tmp_path, "bra_kommun_2023.csv", f"{HEADER}\nNora;12,5;2\n")
    with pytest.raises(DataError, match="ogiltigt heltal"):
        bra_crime.read(path)


def test_future_year(tmp_path):
    text = f"{EXPORT_HEADER}\nA;1;Riket;2099;Antal;1\n"
    with pytest.raises(DataError, match="framtiden") as err:
        bra_crime.read(write(tmp_path, "bra_brottstyp.csv", text))
    assert "rad 2" in str(err.value)
    with pytest.raises(DataError, match="framtiden"):
        bra_crime.read(write(tmp_path, "bra_kommun_2099.csv", f"{HEADER}\nNora;1;2\n"))


def test_duplicate_rows(tmp_path):
    path = write(
        tmp_path, "bra_kommun_2024.csv", f"{HEADER}\nNora;1;2\nLaxå;1;2\nNora kommun;3;4\n"
    )
    with pytest.raises(DataError, match="mer än en gång") as err:
        bra_crime.read(path)
    assert "rad 4" in str(err.value)
    text = f"{EXPORT_HEADER}\nA;1;Riket;2024;Antal;1\nA;1;Riket;2024;Antal;2\n"
    with pytest.raises(DataError, match="mer än en gång") as err:
        bra_crime.read(write(tmp_path, "bra_brottstyp.csv", text))
    assert "rad 3" in str(err.value)


def test_empty_file(tmp_path):
    with pytest.raises(DataError, match="tom"):
        bra_crime.read(write(tmp_path, "bra_kommun_2024.csv", "", bom=False))
    with pytest.raises(DataError, match="bara en rubrikrad"):
        bra_crime.read(write(tmp_path, "bra_brottstyp.csv", EXPORT_HEADER + "\n"))


def test_truncated_file(tmp_path):
    path = write(tmp_path, "bra_kommun_2024.csv", f"{HEADER}\nNora;1;2\nLaxå;1")
    with pytest.raises(DataError, match="fel antal fält") as err:
        bra_crime.read(path)
    assert "rad 3" in str(err.value)
    text = f"{EXPORT_HEADER}\nA;1;Riket;2024;Antal;1\nA;1;Riket;20"
    with pytest.raises(DataError, match="fel antal fält") as err:
        bra_crime.read(write(tmp_path, "bra_brottstyp.csv", text))
    assert "rad 3" in str(err.value)


def test_quarantine_keeps_good_rows(tmp_path):
    text = (
        f"{EXPORT_HEADER}\n"
        "Narkotikabrott;1;Hällefors;2024;Antal;40\n"
        "Narkotikabrott;1;Påhittby;2024;Antal;4\n"
        "Narkotikabrott;1;Nora;2024;Antal;fyra\n"
        "Narkotikabrott;1;Nora;2024;Per 100 000 inv.;60,1\n"
    )
    result = bra_crime.read(write(tmp_path, "bra_brottstyp.csv", text), quarantine=True)
    assert len(result.table) == 2
    assert list(result.rejected["rad"]) == [3, 4]
    assert "okänt område" in result.rejected["orsak"].iloc[0]
    assert "ogiltigt tal" in result.rejected["orsak"].iloc[1]
    nora = result.table.set_index("area_name").loc["Nora"]
    assert pd.isna(nora["count"]) and nora["rate_per_100k"] == 60.1

    path = write(tmp_path, "bra_kommun_2024.csv", f"{HEADER}\nNora;1;2\nPåhittby;3;4\n")
    result = bra_crime.read(path, quarantine=True)
    assert list(result.table["area_name"]) == ["Nora"]
    assert list(result.rejected["rad"]) == [3]


def test_folder_checks_yearly_files_together_and_names_the_failing_file(tmp_path, example):
    folder, _ = example
    good = bra_crime.read_kommun_file(folder / "bra_kommun_2018.csv", check=False).table
    bad = bra_crime.read_kommun_file(folder / "bra_kommun_2019.csv", check=False).table
    bad.loc[3, "count"] = -4  # no reader writes this; the contract must still catch it
    tables = {folder / "bra_kommun_2018.csv": good, folder / "bra_kommun_2019.csv": bad}
    with pytest.raises(DataError) as caught:
        bra_crime._check_yearly_files(tables, folder)
    assert Path(caught.value.file).name == "bra_kommun_2019.csv"
    assert caught.value.column == "count"
    assert caught.value.found == -4
    bra_crime._check_yearly_files({folder / "bra_kommun_2018.csv": good}, folder)  # clean: quiet


def test_yearly_files_read_alone_or_in_a_folder_give_the_same_rows(example):
    folder, _ = example
    alone = pd.concat(
        [bra_crime.read(p, origin="example").table for p in sorted(folder.glob("bra_kommun_*"))],
        ignore_index=True,
    )
    unchecked = pd.concat(
        [
            bra_crime.read_kommun_file(p, origin="example", check=False).table
            for p in sorted(folder.glob("bra_kommun_*"))
        ],
        ignore_index=True,
    )
    checked_once = check_contract(unchecked, bra_crime.SCHEMA, folder)
    pd.testing.assert_frame_equal(alone, checked_once)
