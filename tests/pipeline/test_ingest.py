"""`trygghet ingest`: every table built, bad files stop only their source, nothing lost."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from trygghet import paths
from trygghet.errors import DataError
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
    assert {"population", "polisen_events"} <= set(national["tables"])  # no geography: empty mirror
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
    assert sorted(line for line in lines if "data inläst för" in line) == [
        f"  data inläst för {code}" for code in ("1863", "1864", "1880")
    ]  # one line per kommun, and two for the national tables
    assert lines[0] == "  läser in nationella tabeller …"
    assert "  nationella tabeller inlästa" in lines


def test_batch_ingest_reports_a_failed_national_table_with_the_first_kommun(sandbox, monkeypatch):
    from trygghet.pipeline import batch

    monkeypatch.setenv("TRYGGHET_SHARED_DATA", str(sandbox / "mirror"))

    def broken(mirror, out, quarantine):
        raise DataError(mirror / "polisen", "trasig fil")

    monkeypatch.setattr(
        ingest, "NATIONAL_STEPS", (*ingest.NATIONAL_STEPS[:-1], ("polisen_events", broken))
    )
    failed = batch.ensure_ingested(["1864", "1863"], progress=lambda *_: None, jobs=1)
    assert failed == ["1864"]  # `trygghet ingest --kommun 1864` shows the national errors too
    assert (paths.processed_dir("1863") / "survey.parquet").is_file()
    national = json.loads((paths.processed_dir() / "manifest.json").read_text(encoding="utf-8"))
    assert set(national["tables"]) == {"population"}  # the empty mirror has no geography


# --------------------------------------------------------------------------
# One broken file stops only its own source: an error record, never a traceback


def assert_rest_ingested(records, broken):
    """Every other table was built, and both manifests were (re)written by this run."""
    assert {"polisen_events", "population", "survey", "safety_walks", "kolada"} <= set(records)
    others = {t: r.error for t, r in records.items() if t != broken}
    assert not any(others.values()), others


def manifest(folder):
    return json.loads((folder / ingest.MANIFEST_NAME).read_text(encoding="utf-8"))


def stamps(sandbox):
    folders = (sandbox / "processed", sandbox / "processed" / "1864")
    return [(f / ingest.MANIFEST_NAME).stat().st_mtime_ns for f in folders]


def supply(sandbox, name, data: bytes):
    path = sandbox / "raw" / "1864" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_a_10_mb_field_in_a_csv_source_stops_only_that_source(sandbox):
    run(sandbox)
    table = sandbox / "processed" / "1864" / "safety_walks.parquet"
    before, written = table.read_bytes(), stamps(sandbox)
    example = sandbox / "raw" / "example" / "1864" / "trygghetsvandringar.csv"
    lines = example.read_text(encoding="utf-8").splitlines()
    fields = lines[3].split(";")
    fields[lines[0].split(";").index("description")] = "x" * (10 * 1024 * 1024)
    lines[3] = ";".join(fields)
    supplied = supply(sandbox, "trygghetsvandringar.csv", ("\n".join(lines) + "\n").encode())

    for quarantine in (False, True):  # a broken export, not a bad row: quarantine keeps nothing
        records = run(sandbox, examples=False, quarantine=quarantine)  # no _csv.Error
        error = records["safety_walks"].error
        assert f"fil {supplied}, rad 4, kolumn 'description'" in error
        assert "Hittade: '10 485 760 tecken som börjar: xxx" in error
        assert "Förväntat: högst 32 767 tecken i ett fält" in error
        assert len(error) < 1000
        assert_rest_ingested(records, "safety_walks")
    assert table.read_bytes() == before  # the previous good table survives
    assert not list(table.parent.glob(".*.tmp"))  # no half-written file
    assert all(a != b for a, b in zip(stamps(sandbox), written, strict=True))
    assert "safety_walks" in manifest(sandbox / "processed" / "1864")["tables"]


def _workbook() -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["case_id", "fu_opened"])
    workbook.active.append(["1", "2025-01-01"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (
            _workbook(),
            ["zip-fil, troligen en Excel-arbetsbok (.xlsx)", "ändelsen .csv", "50 4B 03 04"],
        ),
        (b"case_id;fu\n\x00\x11\x00\x7fJFIF\x00", ["rad 2", "NUL-tecken", "ingen textfil"]),
    ],
    ids=["xlsx-renamed-csv", "binary"],
)
def test_a_workbook_or_binary_file_named_csv_is_diagnosed_as_such(sandbox, data, words):
    supplied = supply(sandbox, "brottsofferkontakter.csv", data)
    records = run(sandbox)
    error = records["victim_contacts"].error
    assert f"fil {supplied}" in error and "Windows-1252" not in error
    assert all(w in error for w in words), error
    assert "Förväntat: en textfil i UTF-8" in error
    assert_rest_ingested(records, "victim_contacts")
    assert not (sandbox / "processed" / "1864" / "victim_contacts.parquet").exists()
    assert "survey" in manifest(sandbox / "processed" / "1864")["tables"]


def _geography_mirror(sandbox):
    """A mirror with SCB's two geography files: one kommun, one tätort."""
    folder = sandbox / "mirror" / "scb"
    folder.mkdir(parents=True)
    square = [[14.9, 59.8], [15.1, 59.8], [15.1, 59.9], [14.9, 59.9], [14.9, 59.8]]
    feature = {
        "type": "Feature",
        "properties": {"kommun_code": "1864", "kommun_name": "Ljusnarsberg"},
        "geometry": {"type": "Polygon", "coordinates": [square]},
    }
    boundaries = {"type": "FeatureCollection", "features": [feature]}
    (folder / "kommuner_scb_wgs84.geojson").write_text(json.dumps(boundaries), encoding="utf-8")
    tatorter = folder / "tatorter_2020_points.csv"
    tatorter.write_text(
        "tatortskod,tatort,kommun_code,population,lat,lon\n"
        "1864TC101,Kopparberg,1864,3000,59.87,14.99\n",
        encoding="utf-8",
    )
    return tatorter


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", ["filen är tom", "Förväntat: en rubrikrad och minst en datarad"]),
        (bytes(range(256)) * 40, ["rad 1", "NUL-tecken", "Förväntat: en textfil i UTF-8"]),
    ],
    ids=["zero-bytes", "binary"],
)
def test_a_broken_tatorter_file_stops_only_geography(sandbox, monkeypatch, data, words):
    monkeypatch.setenv("TRYGGHET_SHARED_DATA", str(sandbox / "mirror"))
    tatorter = _geography_mirror(sandbox)
    assert run(sandbox)["geography"].error is None
    points = sandbox / "processed" / "tatorter.parquet"
    before, kept = points.read_bytes(), manifest(sandbox / "processed")["tables"]["geography"]
    written = stamps(sandbox)
    tatorter.write_bytes(data)

    # The police events use the tätorter too: they are still read, without tätort, and say so.
    with pytest.warns(UserWarning, match="tätortsfil kan inte läsas"):
        records = run(sandbox, examples=False)

    error = records["geography"].error
    assert f"fil {tatorter}" in error and all(w in error for w in words), error
    assert_rest_ingested(records, "geography")
    assert points.read_bytes() == before
    assert manifest(sandbox / "processed")["tables"]["geography"] == kept
    assert all(a != b for a, b in zip(stamps(sandbox), written, strict=True))


def _event(event_id: int, when: pd.Timestamp) -> dict:
    return {
        "id": event_id,
        "datetime": when.strftime("%Y-%m-%d %H:%M:%S %z"),
        "name": "Bråk, Ljusnarsberg",
        "summary": "Bråk utanför affären.",
        "url": f"/aktuellt/handelser/{event_id}/",
        "type": "Bråk",
        "location": {"name": "Ljusnarsberg", "gps": "59.87,14.99"},
    }


def test_police_events_published_in_the_future_are_rejected_by_row(sandbox):
    import gzip

    now = pd.Timestamp.now(tz="Europe/Stockholm").floor("s")
    future = now + pd.Timedelta(days=30)
    events = [_event(1, now - pd.Timedelta(days=2)), _event(2, now - pd.Timedelta(days=1))]
    events.append(_event(3, future))
    archive = sandbox / "mirror" / "polisen" / "events.jsonl.gz"
    archive.parent.mkdir(parents=True)
    text = "\n".join(json.dumps(e, ensure_ascii=False) for e in events) + "\n"
    archive.write_bytes(gzip.compress(text.encode("utf-8")))

    records = run(sandbox)
    error = records["polisen_events"].error
    assert f"fil {archive}, rad 3, kolumn 'datetime'" in error
    assert "publiceringstiden ligger i framtiden" in error
    assert f"Hittade: '{events[2]['datetime']}'" in error
    assert "Förväntat: en tid som redan har varit (filen lästes " in error
    assert_rest_ingested(records, "polisen_events")
    assert not (sandbox / "processed" / "polisen_events.parquet").exists()

    records = run(sandbox, examples=False, quarantine=True)
    record = records["polisen_events"]
    assert (record.error, record.rows, record.rejected) == (None, 2, 1)
    rejected = pd.read_csv(sandbox / "processed" / "polisen_events.rejected.csv", sep=";")
    assert rejected["rad"].tolist() == [3] and rejected["event_id"].tolist() == [3]
    assert "framtiden" in rejected["orsak"][0]
    assert manifest(sandbox / "processed")["tables"]["polisen_events"]["rejected"] == 1
    assert pd.read_parquet(sandbox / "processed" / "polisen_events.parquet")["event_id"].max() == 2


def test_a_national_step_that_raises_anything_becomes_an_error_record(sandbox, monkeypatch):
    from trygghet.sources import scb

    (sandbox / "mirror" / "scb").mkdir()
    (sandbox / "mirror" / "scb" / "population_2024_nov1.csv").write_text(
        "kommun_kod,kommun_namn,population\n1864,Ljusnarsberg,4500\n", encoding="utf-8"
    )

    def broken_reader(*args, **kwargs):
        raise ValueError("kaputt")

    monkeypatch.setattr(scb, "read_population", broken_reader)
    records = run(sandbox)
    error = records["population"].error
    assert "oväntat fel (ValueError: kaputt) i test_ingest.py:" in error
    assert_rest_ingested(records, "population")
    assert "polisen_events" in manifest(sandbox / "processed")["tables"]
    assert "population" not in manifest(sandbox / "processed")["tables"]
