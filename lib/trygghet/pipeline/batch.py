"""Many kommuner at once: which ones, and making sure their data is ingested.

``trygghet run --kommun all`` (or a län code such as ``18``, or a list
``1863,1864``) runs the suite for every kommun named. Kommuner without a
configuration file get a generated default (see
:func:`trygghet.config.default_config`); kommuner whose processed tables do
not exist yet are ingested first (the national tables only once).
"""

from __future__ import annotations

import gc
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

    The national tables are built once. The kommuner are independent (each
    writes only its own raw example folder and processed folder), so they are
    ingested ``jobs`` at a time in a process pool, and the police events (a
    third of a minute, read by the reports only) are built in the same pool
    beside them; the geography and population, which the kommun tables are
    checked with, are built first. A kommun whose ingest fails, for any
    reason, is returned, never raised: one kommun must not stop the batch
    (all 290 with two processes: `scripts/bench_ingest.py --all`).
    """
    missing = [c for c in kommuner if not (paths.processed_dir(c) / "manifest.json").is_file()]
    national = not (paths.processed_dir() / "manifest.json").is_file()
    if not missing and not national:
        return []
    # A national table that fails is reported with the first kommun: `trygghet ingest
    # --kommun <code>` builds the national tables too, and shows their errors.
    first = (missing or kommuner)[0]
    failed: set[str] = set()
    if national:
        progress("  läser in nationella tabeller …")
        if not _ingest_national(_EARLY_TABLES):
            failed.add(first)
    jobs = min(jobs or os.cpu_count() or 1, len(missing) + national)
    if jobs <= 1:
        if national and not _ingest_national(ingest.REPORT_ONLY_TABLES):
            failed.add(first)
        for code in missing:
            progress(f"  läser in data för {code} …")
            if not _ingest_one(code):
                failed.add(code)
        return sorted(failed)
    # The notebook runner's pool: "spawn" workers that start clean and die with us.
    with worker_pool(jobs, _use_data_dirs, (paths.RAW_DIR, paths.PROCESSED_DIR)) as pool:
        futures = {}
        if national:  # the longest task first, so that it never ends the batch alone
            futures[pool.submit(_ingest_national, ingest.REPORT_ONLY_TABLES)] = ""
        futures.update({pool.submit(_ingest_one, code): code for code in missing})
        for future in as_completed(futures):
            code = futures[future]
            progress(f"  data inläst för {code}" if code else "  nationella tabeller inlästa")
            if not future.result():
                failed.add(code or first)
    return sorted(failed)


#: The national tables built before any kommun (see :data:`ingest.REPORT_ONLY_TABLES`).
_EARLY_TABLES = tuple(t for t, _ in ingest.NATIONAL_STEPS if t not in ingest.REPORT_ONLY_TABLES)


def _ingest_national(tables: tuple[str, ...]) -> bool:
    """Build these national tables; True if clean (`trygghet ingest` shows what failed)."""
    try:
        records = ingest.ingest_national(tables=tables)
    except Exception:  # noqa: BLE001 – `trygghet ingest` shows the details
        return False
    return not any(r.error for r in records)


def _use_data_dirs(raw: Path, processed: Path) -> None:
    """Give a pool worker the parent's data folders (they may have been moved, e.g. in tests)."""
    paths.RAW_DIR, paths.PROCESSED_DIR = raw, processed


def _ingest_one(code: str, national: bool = False) -> bool:
    """Ingest one kommun (with its generated default config if it has none); True if clean."""
    try:
        records = ingest.ingest_all(code, national=national, default_config=True)
    except Exception:  # noqa: BLE001 – reported by code; `trygghet ingest` shows the details
        return False
    finally:
        _freeze_once()
    return not any(r.error for r in records)


_frozen = False


def _freeze_once() -> None:
    """After a process's first kommun, exempt what it has kept from garbage collection.

    By then the process holds the imported libraries and the readers' caches
    (boundaries, code lists, contracts), and every full collection walked them
    all again: 4 % of a kommun's ingest (measured with ``gc.callbacks``). The
    garbage is collected first, so that nothing collectable is kept for good;
    what later kommuner create is collected as usual.
    """
    global _frozen
    if not _frozen:
        gc.collect()
        gc.freeze()
        _frozen = True
