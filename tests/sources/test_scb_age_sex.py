"""SCB's population by age and sex: PxWeb's CSV as it comes, the example, every broken file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from trygghet.config import load_config
from trygghet.errors import DataError
from trygghet.sources import scb_age_sex as pop

TITLE = '"Folkmängden efter region, ålder, kön och år"\n\n'


def _rows(region: str = "1863 Hällefors", years: tuple[int, ...] = (2023, 2024)) -> list[str]:
    """Complete single-year rows 0–100+ for both sexes: men 10 + age, women 20 + age, +1 a year."""
    out = []
    for age in range(pop.OPEN_AGE + 1):
        label = f"{age}+ år" if age == pop.OPEN_AGE else f"{age} år"
        for sex, base in (("män", 10), ("kvinnor", 20)):
            values = ",".join(str(base + age + i) for i in range(len(years)))
            out.append(f'"{region}","{label}","{sex}",{values}')
    return out


def _file(tmp_path: Path, lines: list[str], *, title: str = TITLE, name: str = "x.csv") -> Path:
    header = '"region","ålder","kön","2023","2024"'
    path = tmp_path / name
    path.write_text(title + "\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def _raises(path: Path, *parts: str, **kwargs: object) -> DataError:
    with pytest.raises(DataError) as info:
        pop.read(path, **kwargs)
    message = str(info.value)
    assert str(path) in message, message
    for part in parts:
        assert part in message, message
    return info.value


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line)


# --------------------------------------------------------------------------- reading


def test_pxweb_csv_with_title_is_read_into_the_tidy_table(tmp_path: Path) -> None:
    table = pop.read(_file(tmp_path, _rows()), kommun="1863").table
    pop.SCHEMA.validate(table)
    assert len(table) == 2 * 2 * (pop.OPEN_AGE + 1)
    row = table.set_index(["year", "sex", "age"]).loc[(2024, "kvinna", 30)]
    assert row["population"] == 20 + 30 + 1 and row["kommun_code"] == "1863"
    assert table.set_index(["year", "sex", "age"]).loc[(2023, "man", 100), "population"] == 110
    assert (table["origin"] == "real").all()


def test_semicolon_windows_1252_no_title_and_content_in_year_header(tmp_path: Path) -> None:
    lines = ["region;ålder;kön;Folkmängd 2023;Folkmängd 2024"]
    lines += [r.replace('"', "").replace(",", ";") for r in _rows()]
    path = tmp_path / "ansi.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    table = pop.read(path).table
    expected = pop.read(_file(tmp_path, _rows())).table
    pd.testing.assert_frame_equal(table, expected)


def test_long_layout_with_a_year_column(tmp_path: Path) -> None:
    lines = ['"region","ålder","kön","år","Folkmängd"']
    for row in _rows(years=(2024,)):
        region, age, sex, value = row.split(",")
        lines.append(f'{region},{age},{sex},"2024",{value}')
    path = tmp_path / "long.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = pop.read(path).table
    assert set(table["year"]) == {2024}
    assert table.set_index(["sex", "age"]).loc[("man", 40), "population"] == 50


def test_totals_riket_lan_other_kommuner_and_footnotes_are_left_out(tmp_path: Path) -> None:
    lines = _rows()
    lines += ['"1863 Hällefors","totalt ålder","män",999,999']
    lines += ['"1863 Hällefors","40 år","totalt",999,999']
    lines += ['"00 Riket","40 år","män",999,999', '"18 Örebro län","40 år","män",999,999']
    lines += _rows("1864 Ljusnarsberg")
    lines += ["", '"Uppgifterna avser förhållandena den 31 december."']
    path = _file(tmp_path, lines)
    both = pop.read(path).table
    assert set(both["kommun_code"]) == {"1863", "1864"}
    assert (both["population"] != 999).all()
    only = pop.read(path, kommun="1863").table
    assert set(only["kommun_code"]) == {"1863"} and len(only) == len(both) / 2


# --------------------------------------------------------------------------- the example


def test_example_is_deterministic_labelled_and_plausible(tmp_path: Path) -> None:
    config = load_config("1863")
    (path,) = pop.generate_example(config, tmp_path / "a")
    (again,) = pop.generate_example(config, tmp_path / "b")
    (other,) = pop.generate_example(config, tmp_path / "c", seed=1)
    assert path.name == pop.RAW_FILES[0]
    assert path.read_bytes() == again.read_bytes() != other.read_bytes()
    assert path.read_text("utf-8").splitlines()[0].startswith('"EXEMPELDATA')
    table = pop.read(path, kommun="1863", origin="example").table
    assert set(table["year"]) == set(pop.EXAMPLE_YEARS)
    assert (table["origin"] == "example").all()
    per_year = table.groupby("year")["population"].sum()
    assert per_year.between(3_000, 20_000).all()  # a small kommun (Hällefors ~ 6 300)
    shares = pop.age_sex_shares(table, 2024, {"16–64": (16, 64), "65–85": (65, 85)})
    assert 0.15 < shares["age_group"]["65–85"] < 0.40
    assert 0.45 < shares["sex"]["kvinna"] < 0.55
    # The example's rows are the counts example_counts gives.
    counts = pop.example_counts(config)
    assert int(counts["population"].sum()) == int(table["population"].sum())


def test_any_kommun_gets_its_own_example(tmp_path: Path) -> None:
    (path,) = pop.generate_example(load_config("1864"), tmp_path)
    assert set(pop.read(path, kommun="1864").table["kommun_code"]) == {"1864"}


def test_shares_by_hand() -> None:
    table = pd.DataFrame(
        {
            "kommun_code": "1863",
            "year": 2024,
            "sex": ["kvinna", "man", "kvinna", "man", "man"],
            "age": [20, 20, 70, 70, 90],
            "population": [10, 30, 40, 20, 1000],
        }
    )
    shares = pop.age_sex_shares(table, 2024, {"16–24": (16, 24), "65–85": (65, 85)})
    assert shares["age_group"] == pytest.approx({"16–24": 0.4, "65–85": 0.6})
    assert shares["sex"] == pytest.approx({"kvinna": 0.5, "man": 0.5})  # 90-year-olds outside


# --------------------------------------------------------------------------- broken files


def test_no_header_names_file_and_what_is_expected(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('"Folkmängd"\n\n"kommun","age","sex","2024"\n"1863",1,2,3\n', "utf-8")
    _raises(path, "rubrikraden med region, ålder och kön", "rad 1", "Förväntat")


def test_five_year_classes_are_refused_with_line_and_column(tmp_path: Path) -> None:
    path = _file(tmp_path, [*_rows(), '"1863 Hällefors","15-19 år","män",5,6'])
    error = _raises(path, "okänd åldersklass", "kolumn 'ålder'", "15-19 år", "ettårsklasser")
    assert error.row == _line_of(path, "15-19 år")


def test_missing_value_dots_name_the_year_column(tmp_path: Path) -> None:
    lines = _rows()
    lines[70] = lines[70].rsplit(",", 1)[0] + ',".."'
    path = _file(tmp_path, lines)
    error = _raises(path, "värdet saknas", "kolumn '2024'", "'..'")
    assert error.row == 3 + 70 + 1  # title, blank line, header, then the 71st data row


@pytest.mark.parametrize(
    ("bad", "message", "column"),
    [
        ('"1863 Hällefors","40 år","okänt",1,2', "okänt kön", "kön"),
        ('"9999 Ingenstans","40 år","män",1,2', "okänd region", "region"),
        ('"1863 Hällefors","40 år","män",-1,2', "negativt antal", "2023"),
        ('"1863 Hällefors","40 år","män",1,2,5', "fel antal fält", None),
        ('"1863 Hällefors","40 år","män",1.5,2', "ogiltigt", "2023"),
    ],
)
def test_bad_values_name_line_column_found_and_expected(
    tmp_path: Path, bad: str, message: str, column: str | None
) -> None:
    path = _file(tmp_path, [*_rows(), bad])
    error = _raises(path, message, "Förväntat")
    assert error.row == _line_of(path, bad)
    assert error.column == column


def test_a_duplicate_row_is_refused(tmp_path: Path) -> None:
    rows = _rows()
    path = _file(tmp_path, [*rows, rows[40]])
    error = _raises(path, "mer än en gång")
    assert error.row == len(path.read_text("utf-8").splitlines())


def test_missing_ages_of_the_survey_population_are_refused(tmp_path: Path) -> None:
    rows = [r for r in _rows() if not r.startswith('"1863 Hällefors","30 år","kvinnor"')]
    _raises(_file(tmp_path, rows), "åldrar saknas för kvinnor 2023", "saknar 30 år", "16–85")


def test_the_kommun_must_be_in_the_file(tmp_path: Path) -> None:
    _raises(_file(tmp_path, _rows()), "kommunen 1864 finns inte", "1863", kommun="1864")


def test_unknown_encoding_and_binary_files(tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"region,\xe5lder,k\xf6n,2024\n\x81\x8d,\x8f,1,2\n")
    _raises(latin, "teckenkodning")
    workbook = tmp_path / "book.csv"
    workbook.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    _raises(workbook, "ingen textfil")
    empty = tmp_path / "empty.csv"
    empty.write_text("\n", "utf-8")
    _raises(empty, "filen är tom")


def test_quarantine_sets_a_bad_line_aside_with_its_reason(tmp_path: Path) -> None:
    bad = '"1863 Hällefors","40 år","okänt",1,2'
    path = _file(tmp_path, [*_rows(), bad])
    result = pop.read(path, quarantine=True)
    assert len(result.table) == 2 * 2 * (pop.OPEN_AGE + 1)
    assert list(result.rejected["rad"]) == [_line_of(path, bad)]
    assert "okänt kön" in result.rejected["orsak"].iloc[0]
