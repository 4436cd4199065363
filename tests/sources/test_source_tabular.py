"""The CSV layer every tabular source reads through: files that are not what they claim.

A field longer than any spreadsheet cell, a workbook or a binary file under a
``.csv`` name, UTF-16: each is one clear Swedish error naming the file (and
row and column where they apply), never a bare ``_csv.Error`` and never
"Windows-1252".
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from trygghet.errors import DataError
from trygghet.sources import bra_crime, kolada
from trygghet.sources.tabular import MAX_FIELD_CHARS, read_csv_strict

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
