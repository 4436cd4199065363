"""Many kommuner at once: which ones, and making sure their data is ingested.

``trygghet run --kommun all`` (or a län code such as ``18``, or a list
``1863,1864``) runs the suite for every kommun named. Kommuner without a
configuration file get a generated default (see
:func:`trygghet.config.default_config`); kommuner whose processed tables do
not exist yet are ingested first (the national tables only once).
"""

from __future__ import annotations

from trygghet import ingest, paths
from trygghet.errors import ConfigError
from trygghet.kommuner import all_kommuner, is_kommun_code, kommuner_in_lan


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


def ensure_ingested(kommuner: list[str], progress=print) -> list[str]:
    """Ingest every kommun that has no processed tables yet; return those that failed."""
    failed = []
    national_done = (paths.processed_dir() / "manifest.json").is_file()
    for code in kommuner:
        if (paths.processed_dir(code) / "manifest.json").is_file():
            continue
        progress(f"  läser in data för {code} …")
        records = ingest.ingest_all(code, national=not national_done, default_config=True)
        national_done = True
        if any(r.error for r in records):
            failed.append(code)
    return failed
