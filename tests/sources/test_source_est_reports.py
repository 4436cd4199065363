"""The EST reader: reports and measures, example round trip and broken files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from csv_cells import cell as _cell
from csv_cells import edit_cell as _edit
from csv_cells import lines_of as _lines

from trygghet.config import Area, load_config
from trygghet.errors import DataError
from trygghet.sources import est_reports as est


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("est")
    reports, measures = est.generate_example(load_config("1863"), out)
    return reports, measures


@pytest.fixture(scope="module")
def tables(example: tuple[Path, Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    reports, measures = example
    return (
        est.read(reports, origin="example").table,
        est.read_measures(measures, origin="example").table,
    )


def _small(example: tuple[Path, Path], tmp_path: Path, rows: int = 30) -> Path:
    """The first ``rows`` reports, with the measures file beside them."""
    reports, measures = example
    shutil.copy(measures, tmp_path / est.MEASURES_FILE)
    target = tmp_path / "est_rapporter.csv"
    target.write_text("\n".join(_lines(reports)[: rows + 1]) + "\n", encoding="utf-8")
    return target


def _raises(path: Path, *parts: str, reader=est.read, **kwargs: object) -> DataError:
    with pytest.raises(DataError) as info:
        reader(path, **kwargs)
    message = str(info.value)
    assert str(path) in message
    for part in parts:
        assert part in message, message
    return info.value


# --------------------------------------------------------------------------- round trip


def test_example_round_trip(example: tuple[Path, Path], tables) -> None:
    reports, measures = tables
    raw = pd.read_csv(example[0], sep=";", dtype=str)
    assert len(reports) == len(raw)
    assert len(measures) == len(pd.read_csv(example[1], sep=";", dtype=str))
    assert reports["reported_at"].min() >= pd.Timestamp("2023-01-01")
    assert reports["reported_at"].max() <= pd.Timestamp("2026-10-31 23:59")
    assert reports["occurred_to"].isna().any() and reports["occurred_to"].notna().any()
    assert set(reports["measure_id"].dropna()) <= set(measures["measure_id"])
    assert (reports["origin"] == "example").all()
    assert set(measures["status"]) == set(est.STATUSES)
    est.SCHEMA.validate(reports)
    est.MEASURES_SCHEMA.validate(measures)


def test_generation_is_deterministic(example: tuple[Path, Path], tmp_path: Path) -> None:
    again = est.generate_example(load_config("1863"), tmp_path)
    for a, b in zip(again, example, strict=True):
        assert a.read_bytes() == b.read_bytes()


def test_any_kommun(tmp_path: Path) -> None:
    config = load_config("1864")
    reports, measures = est.generate_example(config, tmp_path)
    table = est.read(reports, areas=[a.name for a in config.areas]).table
    assert set(table["area"]) == {"Kopparberg", "Ställdalen"}
    assert len(est.read_measures(measures).table) > 0


def test_kommun_without_tatort_still_gets_measures(tmp_path: Path) -> None:
    """A generated default config without the mirror has one point area, kind "övrigt"."""
    config = load_config("1864").model_copy(
        update={"areas": [Area(name="Hela kommunen", kind="övrigt", lat=59.9, lon=15.0)]}
    )
    _, measures = est.generate_example(config, tmp_path)
    assert len(est.read_measures(measures).table) > 0


def test_example_patterns(tables) -> None:
    reports, measures = tables
    counts = reports.groupby(["area", "place"]).size().sort_values(ascending=False)
    assert counts.iloc[0] > 5 * counts.median()  # repeat places
    summer = reports["occurred_from"].dt.month.isin([6, 7, 8])
    weeks_summer = reports[summer]["week"].nunique()
    weeks_winter = reports[reports["occurred_from"].dt.month.isin([1, 2, 3])]["week"].nunique()
    assert summer.sum() / weeks_summer > (~summer).sum() / (reports["week"].nunique())
    assert weeks_winter > 0
    # Reports at the first hotspot fall after its measure.
    first = measures.iloc[0]
    at = reports[(reports["place"] == first["place"]) & (reports["area"] == first["area"])]
    start = first["decided_week_start"]
    before = (
        (at["week_start"] < start) & (at["week_start"] >= start - pd.Timedelta(weeks=52))
    ).sum()
    after = (
        (at["week_start"] >= start + pd.Timedelta(weeks=4))
        & (at["week_start"] < start + pd.Timedelta(weeks=56))
    ).sum()
    assert after < 0.7 * before


def test_descriptions_are_scrubbed(example: tuple[Path, Path], tables) -> None:
    raw = example[0].read_text(encoding="utf-8")
    assert "070-123 45 67" in raw or "19800101-1234" in raw  # planted in the raw file
    text = " ".join(tables[0]["description"].dropna())
    for planted in ("070-123 45 67", "19800101-1234", "ABC 123", "fiktiv.person@example.se"):
        assert planted not in text
    assert "[" in text


def test_week_of_reported_at_or_week_after_is_accepted(example, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    reported = pd.Timestamp(_cell(path, 2, "reported_at"))
    prev = (reported - pd.Timedelta(days=7)).isocalendar()
    _edit(path, 2, "week", f"{prev.year}-W{prev.week:02d}")
    _edit(path, 2, "occurred_from", (reported - pd.Timedelta(days=8)).strftime("%Y-%m-%d %H:%M"))
    _edit(path, 2, "occurred_to", "")
    assert len(est.read(path).table) == 30


# --------------------------------------------------------------------------- broken files


def test_wrong_encoding(example, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    path.write_bytes(path.read_text("utf-8").encode("cp1252"))
    _raises(path, "teckenkodning", "rad")


def test_wrong_separator(example, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    frame.to_csv(path, sep="\t", index=False)
    _raises(path, "avgränsare", "rad 1")


def test_missing_column(example, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    frame.drop(columns="category").to_csv(path, sep=";", index=False)
    _raises(path, "kolumner saknas", "category", "rad 1")


def test_optional_columns_may_be_absent(example, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    frame.drop(columns=["lat", "lon", "measure_id"]).to_csv(path, sep=";", index=False)
    table = est.read(path).table
    assert table["lat"].isna().all() and table["measure_id"].isna().all()


def test_renamed_column(example, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    path.write_text(path.read_text("utf-8").replace("reporter_org", "reporter", 1), "utf-8")
    _raises(path, "reporter_org", "reporter", "rad 1")


def test_unparsable_date(example, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 4, "occurred_from", "igår kväll")
    _raises(path, "rad 4", "kolumn 'occurred_from'", "ogiltigt datum")


def test_invalid_week(example, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 5, "week", "2025-W54")
    _raises(path, "rad 5", "kolumn 'week'", "ogiltig vecka")


def test_week_inconsistent_with_reported_at(example, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    reported = pd.Timestamp(_cell(path, 6, "reported_at"))
    later = (reported + pd.Timedelta(days=21)).isocalendar()
    _edit(path, 6, "week", f"{later.year}-W{later.week:02d}")
    _raises(path, "rad 6", "kolumn 'week'", "stämmer inte")


def test_window_ending_before_it_starts(example, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    start = pd.Timestamp(_cell(path, 7, "occurred_from"))
    _edit(path, 7, "occurred_to", (start - pd.Timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"))
    _raises(path, "rad 7", "kolumn 'occurred_to'", "slutar innan det börjar")


def test_unparsable_number(example, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 8, "lat", "59,78,1")
    _raises(path, "rad 8", "kolumn 'lat'", "ogiltigt tal")


def test_coordinates_outside_sweden(example, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 9, "lat", "14.5")
    _edit(path, 9, "lon", "59.7")  # swapped
    _raises(path, "rad 9", "lat/lon", "utanför Sverige")


def test_only_one_coordinate(example, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 9, "lat", "59.7")
    _edit(path, 9, "lon", "")
    _raises(path, "rad 9", "lat/lon", "bara en")


def test_date_in_the_future(example, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    _edit(path, 10, "reported_at", "2031-01-01 10:00")
    _raises(path, "rad 10", "kolumn 'reported_at'", "framtiden")


def test_unknown_category(example, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 11, "category", "bilbrand")
    _raises(path, "rad 11", "kolumn 'category'", "okänd kategori")


def test_duplicate_ids(example, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    _edit(path, 12, "report_id", _cell(path, 2, "report_id"))
    _raises(path, "rad 12", "kolumn 'report_id'", "mer än en gång")


def test_measure_reference_must_exist(example, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 13, "measure_id", "M2099-99")
    _raises(path, "rad 13", "kolumn 'measure_id'", "finns inte i åtgärdsfilen")


def test_measure_reference_without_measures_file(example, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 13, "measure_id", "M2024-01")
    (tmp_path / est.MEASURES_FILE).unlink()
    _raises(path, "rad 13", "kolumn 'measure_id'", est.MEASURES_FILE)
    # Given explicitly (as a table), the reference is checked against it.
    measures = est.read_measures(example[1]).table
    assert est.read(path, measures=measures).table["measure_id"].notna().sum() == 1


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "est_rapporter.csv"
    path.write_bytes(b"")
    _raises(path, "tom")


def test_truncated_file(example, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    text = path.read_text("utf-8").rstrip("\n")
    path.write_text(text[: text.rfind(";") - 3], encoding="utf-8")
    _raises(path, "fel antal fält", "rad 31")


def test_quarantine_keeps_good_rows(example, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 4, "occurred_from", "igår kväll")
    _edit(path, 11, "category", "bilbrand")
    _edit(path, 12, "description", "Ring 070-765 43 21 om bilbranden")
    result = est.read(path, quarantine=True)
    assert len(result.table) == 28
    assert list(result.rejected["rad"]) == [4, 11]
    assert "occurred_from" in result.rejected["orsak"].iloc[0]
    assert "category" in result.rejected["orsak"].iloc[1]
    assert "070-765" not in " ".join(result.table["description"].dropna())


# --------------------------------------------------------------------------- measures file


def _measures(example, tmp_path: Path) -> Path:
    target = tmp_path / est.MEASURES_FILE
    shutil.copy(example[1], target)
    return target


def test_measures_done_before_decided(example, tmp_path: Path) -> None:
    path = _edit(_measures(example, tmp_path), 2, "done_date", "2020-01-01")
    _raises(path, "rad 2", "kolumn 'done_date'", "före veckan", reader=est.read_measures)


def test_measures_done_without_date(example, tmp_path: Path) -> None:
    path = _edit(_measures(example, tmp_path), 2, "done_date", "")
    _raises(path, "rad 2", "kolumn 'done_date'", "genomförd", reader=est.read_measures)


def test_measures_unknown_status_and_duplicate(example, tmp_path: Path) -> None:
    path = _edit(_measures(example, tmp_path), 3, "status", "klar")
    _raises(path, "rad 3", "kolumn 'status'", "okänd kategori", reader=est.read_measures)
    path = _edit(_measures(example, tmp_path), 4, "measure_id", _cell(path, 2, "measure_id"))
    _raises(path, "rad 4", "kolumn 'measure_id'", "mer än en gång", reader=est.read_measures)


def test_measures_future_and_bad_week(example, tmp_path: Path) -> None:
    path = _edit(_measures(example, tmp_path), 2, "done_date", "2030-05-01")
    _raises(path, "rad 2", "kolumn 'done_date'", "framtiden", reader=est.read_measures)
    path = _edit(_measures(example, tmp_path), 2, "decided_week", "vecka 20")
    _raises(path, "rad 2", "kolumn 'decided_week'", "ogiltig vecka", reader=est.read_measures)


def test_measures_quarantine(example, tmp_path: Path) -> None:
    path = _edit(_measures(example, tmp_path), 3, "status", "klar")
    result = est.read_measures(path, quarantine=True)
    assert len(result.table) == len(_lines(path)) - 2
    assert list(result.rejected["rad"]) == [3]


def test_example_draws_are_numpy_choice_from_the_same_stream():
    import numpy as np

    weights = np.random.default_rng(3).random((50, 9))
    items = ["a", "b", "c", "d"]
    for seed, w in enumerate(weights):
        p = w / w.sum()
        ours, theirs = np.random.default_rng([seed, 1]), np.random.default_rng([seed, 1])
        cdf = est._cdf(p)
        for _ in range(40):
            assert est._draw(ours, cdf) == int(theirs.choice(len(p), p=p))
            assert est._pick(ours, items) == str(theirs.choice(items))
        assert ours.random() == theirs.random()  # the streams stay in step
