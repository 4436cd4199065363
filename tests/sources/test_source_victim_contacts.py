"""The victim-contact reader: privacy of the tidy table, KPI columns, broken files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from csv_cells import cell as _cell
from csv_cells import edit_cell as _edit
from csv_cells import lines_of as _lines

from trygghet.config import load_config
from trygghet.errors import DataError
from trygghet.sources import victim_contacts as vc

SALT = "test-salt"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    (path,) = vc.generate_example(load_config("1863"), tmp_path_factory.mktemp("vc"))
    return path


@pytest.fixture(scope="module")
def table(example: Path) -> pd.DataFrame:
    return vc.read(example, origin="example", salt=SALT).table


def _small(example: Path, tmp_path: Path, rows: int = 30) -> Path:
    target = tmp_path / "brottsofferkontakter.csv"
    target.write_text("\n".join(_lines(example)[: rows + 1]) + "\n", encoding="utf-8")
    return target


def _raises(path: Path, *parts: str, **kwargs: object) -> DataError:
    with pytest.raises(DataError) as info:
        vc.read(path, salt=SALT, **kwargs)
    message = str(info.value)
    assert str(path) in message
    for part in parts:
        assert part in message, message
    return info.value


# --------------------------------------------------------------------------- round trip


def test_example_round_trip(example: Path, table: pd.DataFrame) -> None:
    raw = pd.read_csv(example, sep=";", dtype=str)
    assert len(table) == len(raw)
    per_year = table.groupby(table["assigned_month"].dt.year).size()
    assert list(per_year.index) == [2023, 2024, 2025, 2026]
    assert per_year.between(150, 300).all()
    assert (table["extract_date"] == pd.Timestamp("2026-10-31")).all()
    assert (table["origin"] == "example").all()
    vc.SCHEMA.validate(table)


def test_generation_is_deterministic(example: Path, tmp_path: Path) -> None:
    (again,) = vc.generate_example(load_config("1863"), tmp_path)
    assert again.read_bytes() == example.read_bytes()


def test_any_kommun(tmp_path: Path) -> None:
    (path,) = vc.generate_example(load_config("1864"), tmp_path)
    table = vc.read(path, salt=SALT, areas=["Kopparberg", "Ställdalen"]).table
    assert set(table["area"]) == {"Kopparberg", "Ställdalen"}


def test_no_raw_ids_and_no_exact_dates(example: Path, table: pd.DataFrame) -> None:
    raw = pd.read_csv(example, sep=";", dtype=str)
    assert not set(raw["case_id"]) & set(table["case_id"])
    assert table["case_id"].str.fullmatch(r"P-[0-9a-f]{16}").all()
    assert (table["assigned_month"].dt.day == 1).all()
    assert set(table.columns) == set(vc.SCHEMA.columns)
    for column in ("fu_opened", "investigator_assigned", "first_contact"):
        assert column not in table


def test_pseudonyms_are_keyed(example: Path, table: pd.DataFrame) -> None:
    same = vc.read(example, salt=SALT).table["case_id"]
    other = vc.read(example, salt="another").table["case_id"]
    assert (same == table["case_id"]).all()
    assert not (other == table["case_id"]).any()


def test_kpi_columns(example: Path, table: pd.DataFrame) -> None:
    raw = pd.read_csv(example, sep=";", dtype=str, keep_default_na=False)
    assigned = pd.to_datetime(raw["investigator_assigned"])
    contact = pd.to_datetime(raw["first_contact"].replace("", None))
    expected = (contact - assigned).dt.days
    assert table["days_to_contact"].astype("Float64").equals(expected.astype("Float64"))
    assert (table["contacted"] == contact.notna()).all()
    censored = (pd.Timestamp("2026-10-31") - assigned).dt.days.where(contact.isna())
    assert table["censored_days"].astype("Float64").equals(censored.astype("Float64"))
    within = (table["days_to_contact"] <= 7).fillna(False).mean()
    assert 0.6 < within < 0.95  # most within the week, a long tail
    recent = table["assigned_month"] >= pd.Timestamp("2026-10-01")
    assert (~table.loc[recent, "contacted"]).mean() > (~table.loc[~recent, "contacted"]).mean()


def test_extract_date_defaults(example: Path, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    frame.drop(columns="extract_date").to_csv(path, sep=";", index=False)
    latest = pd.to_datetime(
        frame[["fu_opened", "investigator_assigned", "first_contact"]].stack().replace("", None)
    ).max()
    assert (vc.read(path, salt=SALT).table["extract_date"] == latest).all()
    given = vc.read(path, salt=SALT, extract_date="2026-10-31").table
    assert (given["extract_date"] == pd.Timestamp("2026-10-31")).all()


# --------------------------------------------------------------------------- broken files


def test_wrong_encoding(example: Path, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    # "stöld"/"bedrägeri" hold non-ASCII letters in cp1252.
    path.write_bytes(path.read_text("utf-8").encode("cp1252"))
    _raises(path, "teckenkodning", "rad")


def test_wrong_separator(example: Path, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    path.write_text(path.read_text("utf-8").replace(";", ","), encoding="utf-8")
    _raises(path, "avgränsare", "rad 1")


def test_missing_column(example: Path, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    frame.drop(columns="first_contact").to_csv(path, sep=";", index=False)
    _raises(path, "kolumner saknas", "first_contact", "rad 1")


def test_renamed_column(example: Path, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    path.write_text(path.read_text("utf-8").replace("fu_opened", "fu_open", 1), "utf-8")
    _raises(path, "fu_opened", "fu_open", "rad 1")


def test_unparsable_date(example: Path, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 4, "first_contact", "2025-02-30")
    _raises(path, "rad 4", "kolumn 'first_contact'", "ogiltigt datum")


def test_date_in_the_future(example: Path, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 5, "first_contact", "2031-05-05")
    _raises(path, "rad 5", "kolumn 'first_contact'", "framtiden")


def test_date_after_extract(example: Path, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    _raises(path, "rad", "uttagsdatumet", extract_date="2023-01-01")


def test_assigned_before_opened(example: Path, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    opened = pd.Timestamp(_cell(path, 6, "fu_opened"))
    _edit(path, 6, "investigator_assigned", (opened - pd.Timedelta(days=3)).date().isoformat())
    _raises(path, "rad 6", "kolumn 'investigator_assigned'", "före förundersökningen")


def test_contact_before_assigned(example: Path, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    assigned = pd.Timestamp(_cell(path, 7, "investigator_assigned"))
    _edit(path, 7, "first_contact", (assigned - pd.Timedelta(days=1)).date().isoformat())
    _raises(path, "rad 7", "kolumn 'first_contact'", "kontakt före")


def test_unknown_category(example: Path, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 8, "crime_category", "rån")
    _raises(path, "rad 8", "kolumn 'crime_category'", "okänd kategori")


def test_duplicate_ids(example: Path, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    _edit(path, 9, "case_id", _cell(path, 2, "case_id"))
    _raises(path, "rad 9", "kolumn 'case_id'", "mer än en gång")


def test_personnummer_as_case_id_is_refused_and_not_echoed(example: Path, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 10, "case_id", "19800101-1234")
    error = _raises(path, "rad 10", "kolumn 'case_id'", "personnummer")
    assert "19800101-1234" not in str(error)


def test_name_as_case_id_is_refused(example: Path, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 11, "case_id", "Anna Andersson")
    _raises(path, "rad 11", "kolumn 'case_id'", "ogiltigt ärende-id")


def test_missing_assignment(example: Path, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 12, "investigator_assigned", "")
    _raises(path, "rad 12", "kolumn 'investigator_assigned'", "värde saknas")


def test_mixed_extract_dates(example: Path, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 3, "extract_date", "2026-10-30")
    _raises(path, "extract_date", "olika uttagsdatum")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "brottsofferkontakter.csv"
    path.write_text("\n\n", encoding="utf-8")
    _raises(path, "tom")


def test_truncated_file(example: Path, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    text = path.read_text("utf-8").rstrip("\n")
    path.write_text(text[: text.rfind(";") - 12], encoding="utf-8")
    _raises(path, "fel antal fält", "rad 31")


def test_quarantine_keeps_good_rows(example: Path, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 4, "first_contact", "2025-02-30")
    _edit(path, 8, "crime_category", "rån")
    _edit(path, 10, "case_id", "19800101-1234")
    raw_ids = set(pd.read_csv(path, sep=";", dtype=str)["case_id"])
    result = vc.read(path, quarantine=True, salt=SALT)
    assert len(result.table) == 27
    assert list(result.rejected["rad"]) == [4, 8, 10]
    assert not set(result.rejected["case_id"]) & raw_ids  # no raw ids, no personnummer
    assert "first_contact" in result.rejected["orsak"].iloc[0]
    assert "crime_category" in result.rejected["orsak"].iloc[1]
    vc.SCHEMA.validate(result.table)
