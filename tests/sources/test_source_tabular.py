"""The CSV layer every tabular source reads through: files that are not what they claim.

A field longer than any spreadsheet cell, a workbook or a binary file under a
``.csv`` name, UTF-16: each is one clear Swedish error naming the file (and
row and column where they apply), never a bare ``_csv.Error`` and never
"Windows-1252".
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest

from trygghet.errors import DataError
from trygghet.sources import bra_crime, kolada, tabular
from trygghet.sources.tabular import MAX_FIELD_CHARS, check_contract, read_csv_strict

HEADER = "walk_id;walk_date;description;status"
GOOD = "TV-1;2025-04-11;Mörk gångväg.;ny"


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def read(path: Path):
    return read_csv_strict(path, HEADER.split(";"))


def message_of(path: Path, reader=read) -> str:
    with pytest.raises(DataError) as info:
        reader(path)
    message = str(info.value)
    assert f"fil {path}" in message
    assert "Windows-1252" not in message
    return message


def test_a_10_mb_field_is_a_row_error_naming_row_and_column(tmp_path):
    huge = "x" * (10 * 1024 * 1024)  # over Python's csv limit (131 072) and over an Excel cell
    text = f"{HEADER}\n{GOOD}\nTV-2;2025-04-11;{huge};ny\n{GOOD}\n"
    path = write(tmp_path, "trygghetsvandringar.csv", text.encode())
    message = message_of(path)
    assert "rad 3" in message and "kolumn 'description'" in message
    assert "för långt" in message
    assert "Hittade: '10 485 760 tecken som börjar: xxxx" in message
    assert "Förväntat: högst 32 767 tecken i ett fält" in message
    assert len(message) < 1000  # the value itself is not in the message
    assert csv.field_size_limit() > 10 * 1024 * 1024  # lifted for every CSV reader


def test_a_field_as_long_as_an_excel_cell_is_data(tmp_path):
    longest = "å" * MAX_FIELD_CHARS
    path = write(tmp_path, "t.csv", f"{HEADER}\nTV-2;2025-04-11;{longest};ny\n".encode())
    assert read(path)["description"].iloc[0] == longest


def test_an_unclosed_quote_is_named_where_it_opens(tmp_path):
    lines = [HEADER, GOOD, 'TV-2;2025-04-11;"Trasig lampa;ny'] + [GOOD] * 5000
    path = write(tmp_path, "t.csv", ("\n".join(lines) + "\n").encode())
    message = message_of(path)
    assert "rad 3" in message and "kolumn 'description'" in message
    assert "citattecken" in message and "Trasig lampa" in message


def test_a_workbook_renamed_csv_is_named_as_a_workbook(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(HEADER.split(";"))
    workbook.active.append(GOOD.split(";"))
    path = tmp_path / "trygghetsvandringar.csv"
    workbook.save(path)
    message = message_of(path)
    assert "Excel-arbetsbok (.xlsx)" in message and "ändelsen .csv" in message
    assert "Hittade: 'filens första byte 50 4B 03 04" in message
    assert "Förväntat: en textfil i UTF-8" in message and "CSV UTF-8" in message


def test_an_old_xls_workbook_renamed_csv(tmp_path):
    path = write(tmp_path, "t.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500)
    assert ".xls" in message_of(path)


def test_a_binary_file_with_nul_bytes_names_the_line(tmp_path):
    path = write(tmp_path, "t.csv", f"{HEADER}\n{GOOD}\n".encode() + b"TV-3;\x00\x00\x89PNG\n")
    message = message_of(path)
    assert "rad 3" in message and "NUL-tecken" in message and "ingen textfil" in message
    assert "\\x00" in message and "Förväntat: en textfil i UTF-8" in message


def test_a_binary_file_without_nul_bytes(tmp_path):
    path = write(tmp_path, "t.csv", bytes(range(1, 9)) * 100)
    message = message_of(path)
    assert "binär" in message and "rad 1" in message


def test_utf16_is_named(tmp_path):
    path = write(tmp_path, "t.csv", f"{HEADER}\n{GOOD}\n".encode("utf-16"))
    message = message_of(path)
    assert "UTF-16" in message and "Hittade: 'FF FE'" in message


def test_windows_1252_is_still_named_as_such(tmp_path):
    path = write(tmp_path, "t.csv", f"{HEADER}\n{GOOD}\n".encode("cp1252"))
    with pytest.raises(DataError, match="Windows-1252") as info:
        read(path)
    assert info.value.row == 2


def test_only_separators_is_an_empty_file(tmp_path):
    path = write(tmp_path, "t.csv", b";;;\n;;;\n")
    assert "filen är tom" in message_of(path)


def test_a_huge_field_in_a_bra_file(tmp_path):
    text = "\ufeffKommun;Antal;Per 100 000 inv.\nLekeberg;2 412;16 080,0\n"
    text += "Laxå;2 814;" + "9" * 200_000 + "\n"
    path = write(tmp_path, "bra_kommun_2024.csv", text.encode())
    message = message_of(path, bra_crime.read_kommun_file)
    assert "rad 3" in message and "kolumn 'fält nr 3'" in message and "200 000 tecken" in message


def test_a_workbook_renamed_json_for_kolada(tmp_path):
    path = write(tmp_path, "kolada_brott.json", b"PK\x03\x04" + b"\x00" * 100)
    message = message_of(path, kolada.read)
    assert "zip-fil" in message and "ändelsen .json" in message


# --------------------------------------------------------------------------- the cells read


def _pandas_cells(path: Path, keep: list[str]) -> pd.DataFrame:
    """The frame computed independently, with pandas' own string methods."""
    rows = [r for r in csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";")]
    rows = [r for r in rows if any(c.strip() for c in r)]
    header = [h.strip() for h in rows[0]]
    frame = pd.DataFrame(rows[1:], columns=header)[keep]
    return frame.apply(lambda s: s.str.strip()).replace({"": None})


def test_cells_are_stripped_and_empty_cells_missing_as_pandas_does_it(tmp_path):
    text = (
        "\ufeffa ; b;c;d\n"
        " x ;  ;\u00a0y\u3000;1\n"
        "\n"
        "z;\t; w ;2\n"
        " ; ; ; \n"  # a row of blanks is no row
        "q;r;s;3\n"
    )
    path = write(tmp_path, "cells.csv", text.encode("utf-8"))
    frame = read_csv_strict(path, ["a", "b"], ["d", "missing"])
    expected = _pandas_cells(path, ["a", "b", "d"])
    pd.testing.assert_frame_equal(frame, expected, check_exact=True)
    assert frame["b"].tolist() == [None, None, "r"]  # empty and blank cells: None, as object
    assert frame["a"].tolist() == ["x", "z", "q"] and isinstance(frame["a"].dtype, pd.StringDtype)
    assert frame["d"].tolist() == ["1", "2", "3"]


def test_a_column_name_twice_is_read_as_pandas_reads_it(tmp_path):
    path = write(tmp_path, "twice.csv", b"a;a;b\n1; 2;\n3;4;5\n")
    frame = read_csv_strict(path, ["a", "b"])
    pd.testing.assert_frame_equal(frame, _pandas_cells(path, ["a", "a", "b"]), check_exact=True)


# --------------------------------------------------------------------------- contracts


def _contract() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": pa.Column(pd.StringDtype(), pa.Check.str_matches(r"^T\d$")),
            "name": pa.Column(str, nullable=True),
            "n": pa.Column("Int64", pa.Check.ge(0)),
        },
        strict=True,
    )


def _table(**dtypes: object) -> pd.DataFrame:
    frame = pd.DataFrame({"id": ["T1", "T2"], "name": ["a", None], "n": [1, 2]})
    return frame.astype({"id": "string", "name": "str", "n": "Int64", **dtypes})


def _contract_error(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> str:
    with pytest.raises(DataError) as info:
        check_contract(frame.copy(), schema, Path("t.csv"))
    return str(info.value)


def test_a_contract_is_checked_as_declared_when_string_dtypes_are_right(monkeypatch):
    schema = _contract()
    frame = _table()
    lighter = tabular._dtype_checked(schema, frame)
    assert lighter is not schema and lighter.columns["id"].dtype is None  # the passing checks go
    pd.testing.assert_frame_equal(
        check_contract(frame.copy(), schema, Path("t.csv")), schema.validate(frame.copy())
    )
    broken = [
        frame.assign(n=pd.array([1, -1], dtype="Int64")),
        frame.assign(id=pd.array(["T1", "X"], dtype="string")),
    ]
    errors = [_contract_error(b, schema) for b in broken]
    assert "greater_than_or_equal_to" in errors[0] and "kolumn 'n'" in errors[0]
    assert "str_matches" in errors[1] and "kolumn 'id'" in errors[1]
    monkeypatch.setattr(tabular, "_dtype_checked", lambda schema, frame: schema)
    assert [_contract_error(b, schema) for b in broken] == errors  # as the full contract says


def _outcome(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame | str:
    try:
        return check_contract(frame.copy(), schema, Path("t.csv"))
    except DataError as exc:
        return str(exc)


@pytest.mark.parametrize("dtype", [object, "category"])
def test_a_string_column_of_another_dtype_is_checked_as_declared(dtype, monkeypatch):
    schema = _contract()
    frame = _table(id=dtype)
    assert tabular._dtype_checked(schema, frame).columns["id"].dtype is not None
    outcome = _outcome(frame, schema)
    if dtype == "category":
        assert "dtype" in outcome and "kolumn 'id'" in outcome
    monkeypatch.setattr(tabular, "_dtype_checked", lambda schema, frame: schema)
    expected = _outcome(frame, schema)
    if isinstance(expected, str):
        assert outcome == expected
    else:
        pd.testing.assert_frame_equal(outcome, expected)


def test_a_coercing_contract_keeps_its_dtype_check_unless_the_dtype_is_exact():
    coercing = pa.DataFrameSchema(_contract().columns, strict=True, coerce=True)
    frame = _table()  # "string" (missing as NA) is not the "str" pandera coerces to
    kept = tabular._dtype_checked(coercing, frame)
    assert kept.columns["id"].dtype is not None
    out = check_contract(frame.copy(), coercing, Path("t.csv"))
    pd.testing.assert_frame_equal(out, coercing.validate(frame.copy()))
    assert out["id"].dtype == coercing.columns["id"].dtype.type  # coerced, as declared
