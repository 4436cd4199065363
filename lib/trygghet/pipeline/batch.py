"""Many kommuner at once: which ones, and making sure their data is ingested.

``trygghet run --kommun all`` (or a län code such as ``18``, or a list
``1863,1864``) runs the suite for every kommun named. Kommuner without a
configuration file get a generated default (see
:func:`trygghet.config.default_config`); kommuner whose processed tables do
not exist yet are ingested first (the national tables only once).
"""

from __future__ import annotations

import os
from concurrent.futures import as_completed
from pathlib import Path

from trygghet import paths
from trygghet.errors import ConfigError
from trygghet.kommuner import all_kommuner, is_kommun_code, kommuner_in_lan
from trygghet.pipeline import ingest
from trygghet.pipeline.runner import worker_pool


def resolve_kommuner(spec: str) -> list[str]:
    """``all`` → the 290 kommuner; two digits → a län's kommuner; else a comma list."""
    spec = spec.strip()
    if spec.lower() in {"all", "alla"}:
        return sorted(all_kommuner()["kommun_code"])
    if len(spec) == 2 and spec.isdigit():
        found = kommuner_in_lan(spec)
        if not found:
            raise ConfigError("--kommun", None, f"länskoden {spec} finns inte")
        return found
    codes = [c.strip() for c in spec.replace(" ", ",").split(",") if c.strip()]
    unknown = [c for c in codes if not is_kommun_code(c)]
    if unknown:
        raise ConfigError("--kommun", None, f"okända kommunkoder: {', '.join(unknown)}")
    return codes


def ensure_ingested(kommuner: list[str], progress=print, jobs: int | None = None) -> list[str]:
    """Ingest every kommun that has no processed tables yet; return those that failed.

    The national tables are built once, with the first kommun; the other
    kommuner are independent (each writes only its own raw example folder and
    processed folder), so they are ingested ``jobs`` at a time in a process
    pool (all 290 with two processes: about 8 minutes, `bench_batch.py --all`).
    A kommun whose ingest fails, for any reason, is returned, never raised:
    one kommun must not stop the batch.
    """
    missing = [c for c in kommuner if not (paths.processed_dir(c) / "manifest.json").is_file()]
    if not missing:
        return []
    failed: list[str] = []
    if not (paths.processed_dir() / "manifest.json").is_file():
        progress(f"  läser in nationella tabeller och data för {missing[0]} …")
        if not _ingest_one(missing[0], national=True):
            failed.append(missing[0])
        missing = missing[1:]
    jobs = min(jobs or os.cpu_count() or 1, len(missing))
    if jobs <= 1:
        for code in missing:
            progress(f"  läser in data för {code} …")
            if not _ingest_one(code):
                failed.append(code)
        return sorted(failed)
    # The notebook runner's pool: "spawn" workers that start clean and die with us.
    with worker_pool(jobs, _use_data_dirs, (paths.RAW_DIR, paths.PROCESSED_DIR)) as pool:
        futures = {pool.submit(_ingest_one, code): code for code in missing}
        for future in as_completed(futures):
            code = futures[future]
            progress(f"  data inläst för {code}")
            if not future.result():
                failed.append(code)
    return sorted(failed)


def _use_data_dirs(raw: Path, processed: Path) -> None:
    """Give a pool worker the parent's data folders (they may have been moved, e.g. in tests)."""
    paths.RAW_DIR, paths.PROCESSED_DIR = raw, processed


def _ingest_one(code: str, national: bool = False) -> bool:
    """Ingest one kommun (with its generated default config if it has none); True if clean."""
    try:
        records = ingest.ingest_all(code, national=national, default_config=True)
    except Exception:  # noqa: BLE001 – reported by code; `trygghet ingest` shows the details
        return False
    return not any(r.error for r in records)
