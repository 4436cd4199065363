"""Safety-walk protocols: example round trip, consistency checks and broken files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from trygghet.config import load_config
from trygghet.errors import DataError
from trygghet.privacy import contains_personal_data
from trygghet.sources import safety_walks as sw

HEADER = ";".join(sw.COLUMNS)
# walk_id;walk_date;area;point_no;place;lat;lon;category;description;proposed_measure;
# responsible;priority;deadline;status;completed_date;verified_at_followup;followup_walk_id
ROWS = [
    "V1;2025-04-10;Hällefors;1;Stationen;59.7830;14.5170;belysning;Mörkt, ring 070-123 45 67;"
    "Byt lampor;kommunen/tekniska förvaltningen;1;2025-05-10;åtgärdad;2025-05-02;ja;V2",
    "V1;2025-04-10;Hällefors;2;Parken;;;vegetation;Höga buskar;Gallra;bostadsbolaget;2;"
    "2025-07-10;pågår;;nej;V2",
    "V2;2025-10-20;Hällefors;1;Skolan;59.7840;14.5180;Trafik;Fort;Farthinder;Trafikverket;3;"
    "2026-04-20;ny;;;",
]


def write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "trygghetsvandringar.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read(path: Path, **kwargs) -> sw.ReadResult:
    return sw.read(path, today=pd.Timestamp("2026-11-26"), **kwargs)


def expect_error(path: Path, *parts: str) -> DataError:
    with pytest.raises(DataError) as info:
        read(path)
    message = str(info.value)
    assert path.name in message
    for part in parts:
        assert part in message, message
    return info.value


def replace(row: int, old: str, new: str) -> list[str]:
    rows = list(ROWS)
    assert old in rows[row]
    rows[row] = rows[row].replace(old, new, 1)
    return [HEADER, *rows]


def test_small_file(tmp_path: Path) -> None:
    table = read(write(tmp_path, [HEADER, *ROWS])).table
    assert list(table.columns) == sw.TIDY_COLUMNS
    assert table.loc[0, "description"] == "Mörkt, ring [telefon]"
    assert table.loc[0, "days_to_complete"] == 22
    assert table.loc[0, "verified_at_followup"]
    assert table.loc[2, "category"] == "trafik"
    assert pd.isna(table.loc[2, "verified_at_followup"])
    assert list(sw.overdue(table, "2025-08-01")) == [False, True, False]
    assert list(sw.overdue(table, "2025-05-01")) == [False, False, False]


def test_example_round_trip(tmp_path: Path) -> None:
    (path,) = sw.generate_example(load_config("1863"), tmp_path, seed=0)
    result = sw.read(path, origin="example")
    table = result.table
    assert len(table) == len(path.read_text(encoding="utf-8").splitlines()) - 1
    assert result.rejected.empty
    walks = table.groupby("walk_id").agg(
        date=("walk_date", "first"), n=("point_no", "size"), area=("area", "first")
    )
    assert walks["n"].between(8, 20).all()
    per_year = walks["date"].dt.year.value_counts()
    assert set(per_year.index) == {2023, 2024, 2025, 2026}
    assert per_year.between(2, 3).all()
    assert walks["date"].max() <= sw.EXAMPLE_SNAPSHOT
    assert set(walks["area"]) <= {a.name for a in load_config("1863").areas}
    assert set(table["status"]) == set(sw.STATUSES)
    share_overdue = sw.overdue(table, sw.EXAMPLE_SNAPSHOT).mean()
    assert 0.05 < share_overdue < 0.5
    followed = table.dropna(subset=["followup_walk_id"])
    assert len(followed) > 0 and followed["verified_at_followup"].any()
    later = followed["followup_walk_id"].map(walks["date"])
    assert (later > followed["walk_date"]).all()
    assert (later - followed["walk_date"]).dt.days.min() >= 89
    assert not contains_personal_data(table["description"].fillna("")).any()


def test_example_is_deterministic(tmp_path: Path) -> None:
    config = load_config("1864")
    a = sw.generate_example(config, tmp_path / "a", seed=5)[0].read_bytes()
    b = sw.generate_example(config, tmp_path / "b", seed=5)[0].read_bytes()
    c = sw.generate_example(config, tmp_path / "c", seed=6)[0].read_bytes()
    assert a == b and a != c


def test_wrong_encoding(tmp_path: Path) -> None:
    path = tmp_path / "trygghetsvandringar.csv"
    path.write_bytes("\n".join([HEADER, *ROWS]).encode("cp1252"))
    expect_error(path, "teckenkodning")


def test_wrong_separator_missing_and_renamed_column(tmp_path: Path) -> None:
    expect_error(
        write(tmp_path, [HEADER.replace(";", "\t"), ROWS[0].replace(";", "\t")]), "avgränsare"
    )
    lines = [HEADER.replace(";followup_walk_id", ""), *(r.rsplit(";", 1)[0] for r in ROWS)]
    expect_error(write(tmp_path, lines), "saknas", "followup_walk_id", "rad 1")
    renamed = [HEADER.replace("walk_date", "date"), *ROWS]
    expect_error(write(tmp_path, renamed), "walk_date", "rad 1")


def test_unparsable_date_and_number(tmp_path: Path) -> None:
    expect_error(write(tmp_path, replace(1, "2025-07-10", "10 juli")), "rad 3", "deadline", "datum")
    expect_error(write(tmp_path, replace(0, "59.7830", "59,7,8")), "rad 2", "'lat'", "tal")
    expect_error(
        write(tmp_path, replace(2, "Trafikverket;3", "Trafikverket;hög")), "rad 4", "priority"
    )
    expect_error(
        write(tmp_path, replace(2, "Trafikverket;3", "Trafikverket;4")), "rad 4", "priority"
    )


def test_coordinates_outside_sweden(tmp_path: Path) -> None:
    expect_error(
        write(tmp_path, replace(2, "59.7840;14.5180", "14.5180;59.7840")), "rad 4", "lat/lon"
    )


def test_future_dates(tmp_path: Path) -> None:
    expect_error(
        write(tmp_path, replace(0, "2025-05-02", "2027-01-02")),
        "rad 2",
        "completed_date",
        "framtiden",
    )


def test_consistency_checks(tmp_path: Path) -> None:
    # completed_date required when åtgärdad
    expect_error(write(tmp_path, replace(0, "2025-05-02", "")), "rad 2", "completed_date", "saknas")
    # completed before the walk
    expect_error(
        write(tmp_path, replace(0, "2025-05-02", "2025-03-01")), "rad 2", "completed_date", "före"
    )
    # deadline before the walk
    expect_error(
        write(tmp_path, replace(1, "2025-07-10", "2025-04-01")), "rad 3", "deadline", "före"
    )
    # duplicate point number within a walk
    expect_error(write(tmp_path, replace(1, "Hällefors;2;", "Hällefors;1;")), "rad 3", "point_no")
    # a walk's rows disagree on its date
    expect_error(
        write(tmp_path, replace(1, "V1;2025-04-10", "V1;2025-04-11")), "rad 3", "walk_date"
    )
    # verified without a follow-up walk, and a follow-up walk that is earlier
    expect_error(write(tmp_path, replace(1, "nej;V2", "nej;")), "rad 3", "followup_walk_id")
    expect_error(
        write(tmp_path, replace(2, "2026-04-20;ny;;;", "2026-04-20;ny;;;V1")),
        "rad 4",
        "followup_walk_id",
    )


def test_same_point_number_in_different_walks_is_fine(tmp_path: Path) -> None:
    assert len(read(write(tmp_path, [HEADER, *ROWS])).table) == 3  # V1 and V2 both have point 1


def test_empty_and_truncated(tmp_path: Path) -> None:
    expect_error(write(tmp_path, [""]), "tom")
    expect_error(write(tmp_path, [HEADER, ROWS[0], ROWS[1][:30]]), "rad 3", "fält")


def test_quarantine(tmp_path: Path) -> None:
    lines = replace(1, "pågår", "klar")
    lines[2] += ""  # row 3 is bad
    result = read(write(tmp_path, lines), quarantine=True)
    assert list(result.table["point_no"]) == [1, 1]
    assert list(result.rejected["rad"]) == [3]
    assert "status" in result.rejected.loc[0, "orsak"]


def test_example_rows_are_drawn_once_and_handed_out_as_copies():
    config = load_config("1863")
    first = sw._example_rows(config, 4)
    assert first == sw._draw_example_rows(config, 4)  # the same rows as a fresh draw
    first[0][0] = "ÄNDRAD"
    assert sw._example_rows(config, 4)[0][0] != "ÄNDRAD"  # a caller's change stays its own
    assert sw._example_rows(config, 5) != sw._example_rows(config, 4)
