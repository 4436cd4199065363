"""Every text column of every source is classified, and every free-text column is scrubbed.

Built from the contracts, so that a new column is covered without editing this
file: each pandera schema of ``trygghet.sources`` (and each table its real
reader returns from example data) has its string columns split into free text
(:data:`~trygghet.sources.free_text.FREE_TEXT`), controlled vocabularies (an
``isin`` check in the schema) and the listed non-free columns
(:data:`~trygghet.sources.free_text.NOT_FREE_TEXT`, with a reason). Then, for
every free-text column, personal data planted in that column of a raw file
comes out of the source's real reader as tokens only.
"""

from __future__ import annotations

import csv
import gzip
import importlib
import json
import pkgutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest

import trygghet.sources
from trygghet.config import load_config
from trygghet.pipeline.ingest import LOCAL_SOURCES
from trygghet.privacy import contains_personal_data
from trygghet.sources import (
    bra_crime,
    hobit,
    kolada,
    police_events,
    polisen,
    scb,
    scb_age_sex,
    survey,
)
from trygghet.sources import dialogues as dlg
from trygghet.sources import est_reports as est
from trygghet.sources import resident_reports as rr
from trygghet.sources import safety_walks as sw
from trygghet.sources import victim_contacts as vc
from trygghet.sources.free_text import FREE_TEXT, NOT_FREE_TEXT, scrub_columns
from trygghet.sources.templates import all_templates

#: Processed table -> its contract.
SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "resident_reports": rr.SCHEMA,
    "safety_walks": sw.SCHEMA,
    "est_reports": est.SCHEMA,
    "est_measures": est.MEASURES_SCHEMA,
    "victim_contacts": vc.SCHEMA,
    "survey": survey.SCHEMA,
    "population_age_sex": scb_age_sex.SCHEMA,
    "polisen_events": polisen.schema(),
    "bra_crime": bra_crime.SCHEMA,
    "kolada": kolada.SCHEMA,
    "kolada_groups": kolada.GROUP_SCHEMA,
    "population": scb.POPULATION_SCHEMA,
    "dialogues": dlg.SCHEMA,
    "dialogue_proposals": dlg.PROPOSALS_SCHEMA,
    "hobit": hobit.SCHEMA,
}

#: Fictional personal data of every kind the scrubbing removes, and pieces of
#: it that must not be left anywhere. No ";" (the CSV separator) in it.
PAYLOAD = (
    "Anna Svensson, Storgatan 12, 712 34 Hällefors, tel 070-123 45 67, "
    "anna.svensson@example.se, pnr 19800101-1234, bil ABC 123, SE-71234"
)
PIECES = (
    "Svensson",
    "Storgatan 12",
    "712 34",
    "070-123",
    "example.se",
    "19800101",
    "ABC 123",
    "71234",
)


def _source_schemas() -> list[tuple[str, pa.DataFrameSchema]]:
    """Every DataFrameSchema defined at module level anywhere in trygghet.sources."""
    found = []
    for info in pkgutil.iter_modules(trygghet.sources.__path__):
        module = importlib.import_module(f"trygghet.sources.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, pa.DataFrameSchema):
                found.append((f"{info.name}.{name}", value))
    return found


def _is_text(dtype: object) -> bool:
    return pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype)


def _schema_text_columns(schema: pa.DataFrameSchema) -> set[str]:
    return {name for name, column in schema.columns.items() if _is_text(column.dtype.type)}


def _controlled(schema: pa.DataFrameSchema) -> set[str]:
    """Columns whose values are checked against a list: controlled vocabularies."""
    return {
        name
        for name, column in schema.columns.items()
        if any(check.name == "isin" for check in column.checks)
    }


def _unclassified(table: str, columns: set[str]) -> set[str]:
    known = set(FREE_TEXT[table]) | set(NOT_FREE_TEXT[table]) | _controlled(SCHEMAS[table])
    return columns - known


# --------------------------------------------------------------------------
# The classification is complete and consistent
# --------------------------------------------------------------------------


def test_every_schema_of_the_sources_is_covered() -> None:
    covered = {id(schema) for schema in SCHEMAS.values()}
    missing = [name for name, schema in _source_schemas() if id(schema) not in covered]
    assert not missing, f"schemas without an entry in SCHEMAS/FREE_TEXT: {missing}"


def test_every_ingested_table_has_an_entry() -> None:
    tables = {s.table for s in LOCAL_SOURCES} | {"polisen_events", "population"}
    assert tables <= set(FREE_TEXT)
    assert set(FREE_TEXT) == set(NOT_FREE_TEXT) == set(SCHEMAS)


@pytest.mark.parametrize("table", sorted(SCHEMAS))
def test_every_string_column_of_the_schema_is_classified(table: str) -> None:
    missing = _unclassified(table, _schema_text_columns(SCHEMAS[table]))
    assert not missing, (
        f"{table}: string columns {sorted(missing)} are neither free text (FREE_TEXT) nor "
        "listed as not free text (NOT_FREE_TEXT, with a reason) nor checked with isin"
    )


def test_a_new_unclassified_text_column_is_caught() -> None:
    # What the test above does when someone adds a column: plant one in a copy.
    schema = SCHEMAS["safety_walks"].add_columns({"note": pa.Column("string")})
    assert _unclassified("safety_walks", _schema_text_columns(schema)) == {"note"}


@pytest.mark.parametrize("table", sorted(SCHEMAS))
def test_classification_is_disjoint_and_not_stale(table: str) -> None:
    free, other = set(FREE_TEXT[table]), set(NOT_FREE_TEXT[table])
    controlled = _controlled(SCHEMAS[table])
    assert not free & other and not free & controlled and not other & controlled
    assert all(reason.strip() for reason in NOT_FREE_TEXT[table].values())
    if SCHEMAS[table].strict:  # the table has exactly the schema's columns
        assert free | other <= set(SCHEMAS[table].columns), "listed columns the table lacks"


def test_template_free_text_columns_are_free_text() -> None:
    for template in all_templates():
        marked = {c for c, h in template.column_help.items() if h.kind == "freetext"}
        assert marked <= set(FREE_TEXT[template.source]), template.source


def test_the_planted_payload_is_personal_data() -> None:
    # If the rules stopped recognising the payload, the tests below would prove nothing.
    assert contains_personal_data(pd.Series([PAYLOAD]))[0]
    for piece in PIECES:
        assert piece in PAYLOAD


def test_scrub_columns_keeps_missing_values_and_dtypes() -> None:
    raw = pd.DataFrame(
        {"description": ["ring 070-123 45 67", None], "postal_code": ["712 34", None]},
        dtype=object,
    )
    out = scrub_columns(raw, "resident_reports")
    assert list(out["description"]) == ["ring [telefon]", None]
    assert list(out["postal_code"]) == ["712 34", None]  # a code, not free text: untouched
    assert raw.loc[0, "description"] == "ring 070-123 45 67"  # a copy
    typed = pd.DataFrame({"summary": pd.Series(["tel 070-123 45 67", None], dtype="str")})
    out = scrub_columns(typed, "polisen_events")
    assert out["summary"].dtype == typed["summary"].dtype
    assert out.loc[0, "summary"] == "tel [telefon]"


def test_unknown_table_is_an_error() -> None:
    with pytest.raises(KeyError):
        scrub_columns(pd.DataFrame(), "no_such_table")


# --------------------------------------------------------------------------
# Example raw files, read by the real readers
# --------------------------------------------------------------------------

#: Table -> (the raw file in its example folder, the reader as ingest calls it).
_READERS: dict[str, tuple[str, Callable[[Path], pd.DataFrame]]] = {
    "resident_reports": ("orosanmalningar.csv", lambda p: rr.read(p).table),
    "safety_walks": ("trygghetsvandringar.csv", lambda p: sw.read(p).table),
    "est_reports": ("est_rapporter.csv", lambda p: est.read(p).table),
    "est_measures": ("est_atgarder.csv", lambda p: est.read_measures(p).table),
    "victim_contacts": ("brottsofferkontakter.csv", lambda p: vc.read(p, salt="test").table),
    "dialogues": ("dialoger.csv", lambda p: dlg.read(p).table),
    "dialogue_proposals": ("dialogforslag.csv", lambda p: dlg.read_proposals(p).table),
    "hobit": ("hobit_2025.csv", lambda p: hobit.read(p, kommun="1863", salt="test").table),
    "survey": ("trygghetsundersokning.csv", lambda p: survey.read(p).table),
    "population_age_sex": ("befolkning_alder_kon.csv", lambda p: scb_age_sex.read(p).table),
    "polisen_events": ("events.jsonl.gz", lambda p: police_events.read_archive_result(p).table),
    "bra_crime": (".", lambda p: bra_crime.read_folder(p).table),
    "kolada": (".", lambda p: kolada.read_folder(p).table),
    "kolada_groups": ("kolada_kommungrupper.json", kolada.read_groups),
}
_GENERATORS = {
    "resident_reports": rr.generate_example,
    "safety_walks": sw.generate_example,
    "est_reports": est.generate_example,
    "est_measures": est.generate_example,
    "victim_contacts": vc.generate_example,
    "dialogues": dlg.generate_example,
    "dialogue_proposals": dlg.generate_example,
    "hobit": hobit.generate_example,
    "survey": survey.generate_example,
    "population_age_sex": scb_age_sex.generate_example,
    "bra_crime": bra_crime.generate_example,
    "kolada": kolada.generate_example,
    "kolada_groups": kolada.generate_example,
}


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One folder of example raw files per table (kommun 1863)."""
    config = load_config("1863")
    root = tmp_path_factory.mktemp("free_text_examples")
    folders: dict[str, Path] = {}
    for table, generate in _GENERATORS.items():
        folders[table] = root / table
        generate(config, folders[table], seed=1)
    folders["polisen_events"] = root / "polisen_events"
    polisen.generate_example_archive(["1863"], folders["polisen_events"] / "events.jsonl.gz")
    return folders


def _raw_path(examples: dict[str, Path], table: str) -> Path:
    return examples[table] / _READERS[table][0]


def _read(table: str, path: Path) -> pd.DataFrame:
    return _READERS[table][1](path)


def test_readers_cover_every_table() -> None:
    assert set(_READERS) == set(SCHEMAS) - {"population"}  # population: no example file


@pytest.mark.parametrize("table", sorted(_READERS))
def test_every_string_column_of_the_read_table_is_classified(
    table: str, examples: dict[str, Path]
) -> None:
    # Catches columns a reader returns beyond a non-strict schema (the police events).
    frame = _read(table, _raw_path(examples, table))
    text = {str(c) for c in frame.columns if _is_text(frame[c].dtype)}
    missing = _unclassified(table, text)
    assert not missing, f"{table}: columns {sorted(missing)} of the read table are not classified"
    stale = (set(FREE_TEXT[table]) | set(NOT_FREE_TEXT[table])) - set(frame.columns)
    assert not stale, f"{table}: listed columns {sorted(stale)} are not in the table"


#: Columns planted only where they hold a value, in both files: a report's
#: measure_id must name a measure, so the measures' ids get the same plant.
_LINKED: dict[tuple[str, str], tuple[str, str]] = {
    ("est_reports", "measure_id"): ("est_atgarder.csv", "measure_id"),
    ("dialogue_proposals", "dialogue_id"): ("dialoger.csv", "dialogue_id"),
}

#: Raw files whose headers are not the table's column names (the police's export).
_RAW_NAMES: dict[tuple[str, str], str] = {
    ("hobit", "place"): "Plats",
    ("hobit", "crime_label"): "Brottsbenämning",
}


def _plant_csv(path: Path, column: str, *, filled_only: bool = False) -> None:
    """Add the payload to ``column`` in every row.

    Appended to what the cell holds, so ids stay distinct and every row of a
    walk keeps the same area; an empty cell gets the payload alone (unless
    ``filled_only``).
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    at = rows[0].index(column)
    for row in rows[1:]:
        if row[at]:
            row[at] = f"{row[at]} – {PAYLOAD}"
        elif not filled_only:
            row[at] = PAYLOAD
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\n").writerows(rows)


#: The police table's columns and the API fields they come from.
_POLICE_FIELDS = {
    "title": ("name",),
    "summary": ("summary",),
    "location_name": ("location", "name"),
}


def _plant_police(path: Path, column: str) -> None:
    events = [json.loads(line) for line in gzip.decompress(path.read_bytes()).splitlines()]
    *outer, field = _POLICE_FIELDS[column]
    for event in events:
        holder = event
        for key in outer:
            holder = holder[key]
        holder[field] = f"{holder[field]} – {PAYLOAD}"
    text = "\n".join(json.dumps(e, ensure_ascii=False) for e in events) + "\n"
    path.write_bytes(gzip.compress(text.encode("utf-8")))


FREE_COLUMNS = [(table, column) for table, columns in FREE_TEXT.items() for column in columns]


def test_every_free_text_column_is_planted_below() -> None:
    assert {t for t, _ in FREE_COLUMNS} <= set(_READERS)


@pytest.mark.filterwarnings("ignore:Okända platsnamn")  # the planted police location
@pytest.mark.parametrize(("table", "column"), FREE_COLUMNS, ids=lambda v: str(v))
def test_planted_personal_data_is_scrubbed_by_the_real_reader(
    table: str, column: str, examples: dict[str, Path], tmp_path: Path
) -> None:
    source = examples[table]
    folder = tmp_path / table
    folder.mkdir()
    for file in source.iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    path = folder / _READERS[table][0]
    if table == "polisen_events":
        _plant_police(path, column)
    elif (table, column) in _LINKED:
        other_file, other_column = _LINKED[table, column]
        _plant_csv(path, column, filled_only=True)
        _plant_csv(folder / other_file, other_column)
    else:
        _plant_csv(path, _RAW_NAMES.get((table, column), column))

    values = _read(table, path)[column].dropna()
    assert len(values) > 0
    assert not contains_personal_data(values).any(), values[contains_personal_data(values)]
    joined = "\n".join(values.dropna().astype(str))
    for piece in PIECES:
        assert piece not in joined, f"{table}.{column} still holds {piece!r}"
    # The payload did reach the column: its tokens are there, on every row.
    assert values.astype("string").str.contains("[adress]", regex=False).all()
    assert values.astype("string").str.contains("[telefon]", regex=False).all()
