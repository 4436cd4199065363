"""The police-events table: loading one kommun's events from the processed table or the archive."""

import gzip
import json

import pytest

from trygghet.sources import police_events as events_source


def test_load_for_report_reads_raw_when_no_parquet(tmp_path, monkeypatch):
    (tmp_path / "polisen").mkdir()
    line = {
        "id": 1,
        "datetime": "2025-04-12 14:02:11 +02:00",
        "name": "12 april 13:29, Rattfylleri, Hällefors",
        "summary": "",
        "url": "/x/",
        "type": "Rattfylleri",
        "location": {"name": "Hällefors", "gps": "59.78,14.51"},
    }
    other = dict(line, id=2, location={"name": "Nora", "gps": "59.5,15.0"})
    (tmp_path / "polisen" / "events.jsonl.gz").write_bytes(
        gzip.compress((json.dumps(line) + "\n" + json.dumps(other) + "\n").encode())
    )
    monkeypatch.setattr(events_source, "processed_path", lambda: tmp_path / "none" / "x.parquet")
    df = events_source.load_for_report(tmp_path, "1863")
    assert list(df["event_id"]) == [1]
    assert df.attrs["coverage_end"].startswith("2025-04-12")
    # and the processed table round-trips
    path = tmp_path / "proc" / "polisen_events.parquet"
    monkeypatch.setattr(events_source, "processed_path", lambda: path)
    path.parent.mkdir()
    events_source.read_archive(tmp_path).to_parquet(path)
    again = events_source.load_for_report(tmp_path / "nowhere", "1863")
    assert path.is_file() and list(again["event_id"]) == [1]
    assert again.attrs["coverage_end"] == df.attrs["coverage_end"]


def test_load_for_report_names_missing_archive(tmp_path, monkeypatch):
    from trygghet import paths
    from trygghet.errors import DataError

    monkeypatch.setattr(events_source, "processed_path", lambda: tmp_path / "none.parquet")
    monkeypatch.setattr(paths, "RAW_DIR", tmp_path / "raw")  # no fetched or example archive
    with pytest.raises(DataError, match="events.jsonl.gz"):
        events_source.load_for_report(tmp_path, "1863")
