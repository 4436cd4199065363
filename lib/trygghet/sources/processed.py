"""The processed tables, as the reports read them.

Reports never read raw files: they read what ``trygghet ingest`` validated
and wrote under ``data/processed/``. A missing table is a clear Swedish error
telling the analyst what to run, not a bare ``FileNotFoundError``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from trygghet import paths
from trygghet.errors import TrygghetError


class MissingTableError(TrygghetError):
    """A processed table the report needs has not been built."""


def table_path(kommun: str, table: str) -> Path:
    return paths.processed_dir(kommun) / f"{table}.parquet"


def load_table(kommun: str, table: str) -> pd.DataFrame:
    """The kommun's processed table ``table`` (e.g. "survey", "resident_reports")."""
    path = table_path(kommun, table)
    if not path.is_file():
        raise MissingTableError(
            f"Tabellen '{table}' för kommun {kommun} finns inte ({path}). "
            f"Kör 'trygghet ingest --kommun {kommun}' (eller 'make report') först."
        )
    return pd.read_parquet(path)


def origin(frame: pd.DataFrame) -> str:
    """Where a table's rows came from: "real", "fetched", "example" or "blandat"."""
    if "origin" not in frame or frame.empty:
        return str(frame.attrs.get("origin", "example"))
    values = sorted(set(frame["origin"].dropna().astype(str)))
    return values[0] if len(values) == 1 else "blandat"


def table_record(kommun: str, table: str) -> dict:
    """The ingest manifest's record of a table: inputs, hashes, rows, origin, time."""
    manifest = paths.processed_dir(kommun) / "manifest.json"
    try:
        return json.loads(manifest.read_text(encoding="utf-8"))["tables"].get(table, {})
    except (OSError, ValueError, KeyError):
        return {}
