"""Raw data in, validated Parquet tables out (``trygghet ingest``).

Each source has a reader that turns its raw files into a typed table; ingest
runs the readers for what is available, writes each table atomically under
``data/processed/`` and records a manifest: every input file with its size and
hash, rows read and where the data came from (real, fetched or example). The
reports read these tables, never the raw files, so what they show is exactly
what was validated here.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from trygghet import atomic, paths, provenance

MANIFEST_NAME = "manifest.json"


@dataclass
class TableRecord:
    """What one ingested table was made from."""

    table: str
    path: str
    rows: int
    rejected: int
    origin: str
    inputs: list[dict[str, object]] = field(default_factory=list)
    written_at: str = ""


def write_table(df: pd.DataFrame, target: Path) -> None:
    """Parquet, atomically: a failed write never leaves a partial file."""
    atomic.write_with(target, lambda tmp: df.to_parquet(tmp, index=False))


def _relative(path: Path) -> str:
    return (
        str(path.relative_to(paths.PROJECT_ROOT))
        if path.is_relative_to(paths.PROJECT_ROOT)
        else str(path)
    )


def _ingest_police_events(mirror: Path, out: Path) -> TableRecord | None:
    """All of Sweden's events in one table: every kommun's report reads the same file."""
    from trygghet import police_events

    raw = mirror / police_events.RAW_RELATIVE
    if not raw.exists():
        return None
    events = police_events.read_archive(mirror)
    target = out / police_events.PROCESSED_NAME
    write_table(events, target)
    return TableRecord(
        table="polisen_events",
        path=_relative(target),
        rows=len(events),
        rejected=0,
        origin="real",
        inputs=[provenance.describe_file(raw)],
    )


def ingest_all(
    kommun: str, mirror: Path | None = None, out: Path | None = None
) -> list[TableRecord]:
    """Build every processed table that the available raw data allows."""
    mirror = mirror or paths.shared_data_dir()
    out = out or paths.processed_dir()
    out.mkdir(parents=True, exist_ok=True)
    records = []
    for step in (_ingest_police_events,):
        record = step(mirror, out)
        if record is not None:
            record.written_at = dt.datetime.now().astimezone().isoformat(timespec="seconds")
            records.append(record)
    _update_manifest(out / MANIFEST_NAME, records)
    return records


def _update_manifest(path: Path, records: list[TableRecord]) -> None:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {"tables": {}}
    for record in records:
        manifest["tables"][record.table] = asdict(record)
    atomic.write_text(path, json.dumps(manifest, indent=2, ensure_ascii=False))


def summary_lines(records: list[TableRecord]) -> list[str]:
    if not records:
        return ["Ingen rådata hittades; inga tabeller skrevs."]
    lines = ["Tabell                 rader   avvisade  ursprung"]
    for r in records:
        lines.append(f"{r.table:<20} {r.rows:>7}   {r.rejected:>8}  {r.origin}")
    return lines
