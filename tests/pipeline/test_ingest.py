"""`trygghet ingest`: every table built, bad files stop only their source, nothing lost."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from trygghet import paths
from trygghet.pipeline import ingest


@pytest.fixture()
def sandbox(tmp_path, monkeypatch):
    """Raw and processed folders in tmp; an empty mirror (as on a user's machine)."""
    monkeypatch.setattr(paths, "RAW_DIR", tmp_path / "raw")
    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path / "processed")
    (tmp_path / "mirror").mkdir()
    return tmp_path


def run(sandbox, **kwargs):
    records = ingest.ingest_all("1864", mirror=sandbox / "mirror", **kwargs)
    return {r.table: r for r in records}


def test_without_mirror_every_table_is_built_from_labelled_example_data(sandbox):
    records = run(sandbox)
    expected = {
        "polisen_events", "resident_reports", "safety_walks", "survey", "est_reports",
        "est_measures", "victim_contacts", "bra_crime", "kolada", "kolada_groups", "population",
    }  # fmt: skip
    assert expected <= set(records)
    assert all(r.error is None for r in records.values()), [r.error for r in records.values()]
    assert {r.origin for r in records.values()} == {"example"}
    survey = pd.read_parquet(sandbox / "processed" / "1864" / "survey.parquet")
    assert set(survey["origin"]) == {"example"}
    events = pd.read_parquet(sandbox / "processed" / "polisen_events.parquet")
    assert set(events["origin"]) == {"example"} and (events["kommun_code"] == "1864").any()
    manifest = json.loads((sandbox / "processed" / "1864" / "manifest.json").read_text())
    entry = manifest["tables"]["survey"]
    assert entry["rows"] == len(survey) and entry["rejected"] == 0
    assert entry["inputs"][0]["path"].endswith("trygghetsundersokning.csv")
    assert len(entry["inputs"][0]["sha256"]) == 64


def test_a_broken_supplied_file_stops_its_source_and_keeps_the_last_table(sandbox):
    run(sandbox)
    table = sandbox / "processed" / "1864" / "survey.parquet"
    before = table.read_bytes()
    supplied = sandbox / "raw" / "1864" / "trygghetsundersokning.csv"
    supplied.parent.mkdir(parents=True)
    supplied.write_bytes("respondent_id;round;område\n1;2025;Ställdalen\n".encode("cp1252"))

    records = run(sandbox, examples=False)

    assert records["survey"].error and str(supplied) in records["survey"].error
    assert "teckenkodning" in records["survey"].error
    assert table.read_bytes() == before  # the previous good table survives
    assert records["safety_walks"].error is None  # other sources still ingested
    assert not list(table.parent.glob(".*.tmp"))  # no half-written file


def test_quarantine_sets_bad_rows_aside_with_reasons(sandbox):
    run(sandbox)
    example = sandbox / "raw" / "example" / "1864" / "orosanmalningar.csv"
    lines = example.read_text(encoding="utf-8").splitlines()
    fields = lines[1].split(";")
    fields[1] = "inte-ett-datum"
    lines[1] = ";".join(fields)
    supplied = sandbox / "raw" / "1864" / "orosanmalningar.csv"
    supplied.parent.mkdir(parents=True)
    supplied.write_text("\n".join(lines) + "\n", encoding="utf-8")

    strict = run(sandbox, examples=False)
    assert "rad 2" in strict["resident_reports"].error

    records = run(sandbox, examples=False, quarantine=True)
    record = records["resident_reports"]
    assert (record.origin, record.rejected, record.rows) == ("real", 1, len(lines) - 2)
    rejected = pd.read_csv(
        sandbox / "processed" / "1864" / "resident_reports.rejected.csv", sep=";"
    )
    assert rejected["rad"].tolist() == [2] and "datum" in rejected["orsak"][0]
    manifest = json.loads((sandbox / "processed" / "1864" / "manifest.json").read_text())
    assert manifest["tables"]["resident_reports"]["rejected"] == 1


def test_example_data_is_deterministic(sandbox):
    from trygghet.config import load_config

    config = load_config("1864")
    first = {p.name: p.read_bytes() for p in ingest.generate_examples(config, force=True)}
    second = {p.name: p.read_bytes() for p in ingest.generate_examples(config, force=True)}
    assert first == second and len(first) >= 8


def test_batch_ingest_builds_national_tables_once_and_kommuner_in_parallel(sandbox, monkeypatch):
    from trygghet.pipeline import batch

    monkeypatch.setenv("TRYGGHET_SHARED_DATA", str(sandbox / "mirror"))
    kommuner = ["1863", "1864", "2061"]  # 2061 has no config: it gets the generated default
    assert batch.ensure_ingested(kommuner, progress=lambda *_: None, jobs=2) == []
    national = json.loads((paths.processed_dir() / "manifest.json").read_text(encoding="utf-8"))
    assert "population" in national["tables"]
    for code in kommuner:  # each worker wrote into the parent's (moved) folders
        manifest = json.loads((paths.processed_dir(code) / "manifest.json").read_text("utf-8"))
        assert "resident_reports" in manifest["tables"]
        assert (paths.example_raw_dir(code)).is_dir()
    stamp = (paths.processed_dir("2061") / "manifest.json").stat().st_mtime_ns
    assert batch.ensure_ingested(kommuner, progress=lambda *_: None, jobs=2) == []  # all done
    assert (paths.processed_dir("2061") / "manifest.json").stat().st_mtime_ns == stamp


def test_batch_ingest_reports_a_kommun_with_a_broken_file_and_ingests_the_rest(
    sandbox, monkeypatch
):
    from trygghet.pipeline import batch

    monkeypatch.setenv("TRYGGHET_SHARED_DATA", str(sandbox / "mirror"))
    supplied = sandbox / "raw" / "1864" / "trygghetsundersokning.csv"
    supplied.parent.mkdir(parents=True)
    supplied.write_bytes("respondent_id;round;område\n1;2025;Ställdalen\n".encode("cp1252"))
    lines: list[str] = []
    failed = batch.ensure_ingested(["1863", "1864", "1880"], progress=lines.append, jobs=2)
    assert failed == ["1864"]
    assert (paths.processed_dir("1880") / "survey.parquet").is_file()
    assert not (paths.processed_dir("1864") / "survey.parquet").exists()
    assert len(lines) == 3  # one line per kommun, the first with the national tables
