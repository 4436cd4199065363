"""Raw data in, validated Parquet tables out (``trygghet ingest``).

Each source has a reader that turns its raw files into a typed table checked
against the source's contract. Ingest finds each source's raw file, writes its
table atomically under ``data/processed/`` and records a manifest: every input
file with its size and hash, rows read, rows rejected, where the data came
from (real, fetched or example) and when. The reports read these tables, never
raw files, so what they show is exactly what was validated here.

Where the raw files are looked for, in order:

1. ``data/raw/<kommun>/<file>``: files the kommun supplied (origin "real"),
2. for public sources, the real-data mirror (``../shared/data``) or what
   ``trygghet fetch`` stored under ``data/raw/fetched/`` (origin "real"/"fetched"),
3. ``data/raw/example/<kommun>/<file>``: example data, generated on demand,
   deterministically (origin "example"). Every report built from it says so.

A source whose file is broken stops only that source: its previous processed
table is kept, the error names file, row and column, and ingest exits non-zero
after trying the others. With ``quarantine`` the bad rows are set aside in
``<table>.rejected.csv`` with the reason for each, and counted in the manifest.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import traceback
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from trygghet import atomic, paths
from trygghet.config import KommunConfig, load_config, load_or_default
from trygghet.errors import DataError, TrygghetError
from trygghet.pipeline import provenance
from trygghet.sources.tabular import ReadResult

MANIFEST_NAME = "manifest.json"
EXAMPLE_SEED = 20261126


@dataclass(frozen=True)
class LocalSource:
    """A kommun's own (non-public) source: one raw file, one processed table."""

    table: str
    module: str
    reader: str = "read"
    generator: str | None = "generate_example"
    raw_files: tuple[str, ...] | None = None  # default: the module's RAW_FILES (may be globs)
    folder: bool = False  # the reader takes the folder (several files, e.g. one per year)
    period_column: str | None = None  # what dates a row: the years the data cover
    areas: bool = False  # the reader refuses an area not in the kommun's configuration
    kommun: bool = False  # the reader takes the kommun's code (checks positions against it)


#: The kommun-level sources, in the order they are ingested.
LOCAL_SOURCES: tuple[LocalSource, ...] = (
    LocalSource(
        "resident_reports", "trygghet.sources.resident_reports", period_column="created_at"
    ),
    LocalSource("safety_walks", "trygghet.sources.safety_walks", period_column="walk_date"),
    LocalSource("survey", "trygghet.sources.survey", period_column="round"),
    # The kommun's age and sex structure (SCB), for the survey's weights; no period
    # column: population years must not widen the reports' period.
    LocalSource("population_age_sex", "trygghet.sources.scb_age_sex", kommun=True),
    LocalSource(
        "est_reports",
        "trygghet.sources.est_reports",
        raw_files=("est_rapporter.csv",),
        period_column="reported_at",
    ),
    LocalSource(
        "est_measures",
        "trygghet.sources.est_reports",
        reader="read_measures",
        generator=None,  # written together with the reports
        raw_files=("est_atgarder.csv",),
    ),
    LocalSource(
        "victim_contacts", "trygghet.sources.victim_contacts", period_column="assigned_month"
    ),
    LocalSource(
        "dialogues",
        "trygghet.sources.dialogues",
        raw_files=("dialoger.csv",),
        period_column="date",
        areas=True,
    ),
    LocalSource(
        "dialogue_proposals",
        "trygghet.sources.dialogues",
        reader="read_proposals",
        generator=None,  # written together with the dialogues
        raw_files=("dialogforslag.csv",),
    ),
    LocalSource(
        "bra_crime",
        "trygghet.sources.bra_crime",
        reader="read_folder",
        folder=True,
        period_column="year",
    ),
    LocalSource(
        "kolada",
        "trygghet.sources.kolada",
        reader="read_folder",
        folder=True,
        period_column="period",
    ),
    LocalSource(
        "kolada_groups",
        "trygghet.sources.kolada",
        reader="read_groups",
        generator=None,  # written together with the KPI values
        raw_files=("kolada_kommungrupper.json",),
    ),
    LocalSource(
        "hobit",
        "trygghet.sources.hobit",
        reader="read_folder",
        folder=True,  # hobit*.csv / hobit*.xlsx: one or several extracts
        period_column="start",
        kommun=True,
    ),
)


def covered_years(kommun: str | None) -> tuple[int, int] | None:
    """First and last year in the processed tables: the kommun's own and the police events.

    ``None`` when nothing is ingested yet (nothing to check a period against).
    With ``kommun=None`` only the national police-events table counts.
    """
    from trygghet.sources.police_events import PROCESSED_NAME

    dated = [(paths.processed_dir() / PROCESSED_NAME, "published_at")]
    if kommun is not None:
        dated += [
            (paths.processed_dir(kommun) / f"{s.table}.parquet", s.period_column)
            for s in LOCAL_SOURCES
            if s.period_column
        ]
    years: list[int] = []
    for path, column in dated:
        if not path.is_file():
            continue
        values = pd.read_parquet(path, columns=[column])[column].dropna()
        if pd.api.types.is_datetime64_any_dtype(values):
            values = values.dt.year
        if len(values):
            years += [int(values.min()), int(values.max())]
    return (min(years), max(years)) if years else None


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
    error: str | None = None


def write_table(df: pd.DataFrame, target: Path) -> None:
    """Parquet, atomically: a failed write never leaves a partial file."""
    atomic.write_with(target, lambda tmp: df.to_parquet(tmp, index=False))


def _relative(path: Path) -> str:
    path = Path(path).resolve()
    root = paths.PROJECT_ROOT
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


# --------------------------------------------------------------------------
# Public, national tables
# --------------------------------------------------------------------------


def _write_rejected(path: Path, rejected: pd.DataFrame) -> None:
    """The rows set aside, with line and reason; no file when none were (an old one goes)."""
    if len(rejected):
        atomic.write_text(path, rejected.to_csv(index=False, sep=";"))
    else:
        path.unlink(missing_ok=True)


def _ingest_police_events(mirror: Path, out: Path, quarantine: bool) -> TableRecord | None:
    """All of Sweden's events in one table: every kommun's report reads the same file.

    An event published in the future stops the table; with ``quarantine`` it is
    set aside in ``polisen_events.rejected.csv`` with its line and the reason.
    """
    from trygghet.config import config_files
    from trygghet.sources import police_events
    from trygghet.sources.polisen import generate_example_archive

    raw = police_events.archive_path(mirror)
    if raw is None:  # no mirror, nothing fetched: example events, labelled as such
        raw = paths.RAW_DIR / "example" / police_events.RAW_RELATIVE
        generate_example_archive(sorted(config_files()), raw, seed=EXAMPLE_SEED)
    result = police_events.read_archive_result(raw, quarantine=quarantine)
    events = result.table
    target = out / police_events.PROCESSED_NAME
    write_table(events, target)
    _write_rejected(out / "polisen_events.rejected.csv", result.rejected)
    return TableRecord(
        "polisen_events",
        _relative(target),
        len(events),
        len(result.rejected),
        result.origin,
        [provenance.describe_file(raw)],
    )


def _ingest_population(mirror: Path, out: Path, quarantine: bool) -> TableRecord | None:
    """Population per kommun and year: the denominator of every rate.

    With ``quarantine`` bad rows are set aside in ``population.rejected.csv``
    (with the file, line and reason) instead of stopping the table.
    """
    from trygghet.sources import scb

    sources = [p for p in (mirror / "scb", paths.RAW_DIR / "fetched" / "scb") if p.is_dir()]
    files = [f for folder in sources for f in sorted(folder.glob("population_*.csv"))]
    if not files:
        return _example_population(out)
    results = [scb.read_population(f, quarantine=quarantine) for f in files]
    fetched = [f for f in files if "fetched" in f.parts]
    table = pd.concat([r.table for r in results], ignore_index=True)
    rejected = [
        r.rejected.assign(fil=_relative(f))
        for f, r in zip(files, results, strict=True)
        if len(r.rejected)
    ]
    rejected_rows = pd.concat(rejected, ignore_index=True) if rejected else pd.DataFrame()
    # A fetched year wins over the mirror's for the same kommun and year.
    table = table.drop_duplicates(["kommun_code", "year"], keep="last").reset_index(drop=True)
    target = out / "population.parquet"
    write_table(table, target)
    _write_rejected(out / "population.rejected.csv", rejected_rows)
    origin = "fetched" if fetched and len(fetched) == len(files) else "real"
    return TableRecord(
        "population",
        _relative(target),
        len(table),
        len(rejected_rows),
        origin,
        [provenance.describe_file(f) for f in files],
    )


def _example_population(out: Path) -> TableRecord:
    """No mirror, nothing fetched: a labelled stand-in so that rates can still be shown.

    Every kommun gets the same invented population (see
    :func:`trygghet.sources.bra_crime.example_population`); reports built on it
    say EXEMPELDATA, as everything built on the example Brå figures already does.
    """
    from trygghet.sources.bra_crime import example_population

    population, _, _ = example_population()
    year = dt.date.today().year - 2
    table = pd.DataFrame(
        {
            "kommun_code": list(population),
            "year": year,
            "population": list(population.values()),
            "origin": "example",
        }
    ).astype({"year": "Int64", "population": "Int64"})
    target = out / "population.parquet"
    write_table(table, target)
    return TableRecord("population", _relative(target), len(table), 0, "example")


def _ingest_geography(mirror: Path, out: Path, quarantine: bool) -> TableRecord | None:
    """Kommun boundaries and tätort points (GeoParquet) for maps and area matching.

    Both files are read before either table is written, so a broken one keeps
    both previous tables. SCB's geography is whole or wrong: ``quarantine``
    sets nothing aside here.
    """
    from trygghet.sources import scb

    boundaries = mirror / "scb" / "kommuner_scb_wgs84.geojson"
    tatorter = mirror / "scb" / "tatorter_2020_points.csv"
    if not (boundaries.is_file() and tatorter.is_file()):
        return None
    kommuner = scb.read_kommun_boundaries(boundaries)
    points = scb.read_tatorter(tatorter)
    atomic.write_with(out / "kommun_boundaries.parquet", lambda tmp: kommuner.to_parquet(tmp))
    atomic.write_with(out / "tatorter.parquet", lambda tmp: points.to_parquet(tmp))
    return TableRecord(
        "geography",
        _relative(out / "kommun_boundaries.parquet"),
        len(kommuner) + len(points),
        0,
        "real",
        [provenance.describe_file(boundaries), provenance.describe_file(tatorter)],
    )


#: The national tables, in the order they are ingested: (table, step(mirror, out, quarantine)).
#: The geography comes first: a kommun's example positions and its Hobit and
#: walk positions are checked against the kommun boundaries it writes (read from
#: the mirror only until then), so every kommun is checked against the same file.
NATIONAL_STEPS: tuple[tuple[str, Callable[[Path, Path, bool], TableRecord | None]], ...] = (
    ("geography", _ingest_geography),
    ("population", _ingest_population),
    ("polisen_events", _ingest_police_events),
)

#: The national tables no kommun table is read or checked with: only the reports
#: read them, so a batch may build them while the kommuner are ingested.
REPORT_ONLY_TABLES = ("polisen_events",)


# --------------------------------------------------------------------------
# Kommun tables
# --------------------------------------------------------------------------


def _module(source: LocalSource):
    return importlib.import_module(source.module)


def _matches(folder: Path, names: tuple[str, ...]) -> list[Path]:
    """Files matching the names (or globs), in the order the names are preferred."""
    found: list[Path] = []
    for name in names:
        found.extend(p for p in sorted(folder.glob(name)) if p.is_file() and p not in found)
    return found


def _with_excel(names: tuple[str, ...]) -> tuple[str, ...]:
    """Each ``<name>.csv`` followed by ``<name>.xlsx`` (a filled-in template)."""
    out: list[str] = []
    for name in names:
        out.append(name)
        if name.endswith(".csv"):
            out.append(name.removesuffix(".csv") + ".xlsx")
    return tuple(dict.fromkeys(out))


def find_raw_file(source: LocalSource, kommun: str) -> tuple[Path | None, str]:
    """The kommun's own file (or folder) if supplied, else the example one.

    Where a ``<name>.csv`` is looked for, ``<name>.xlsx`` is too; both in the
    same folder is an error (which one holds the data is not ours to guess).
    """
    names = source.raw_files or tuple(_module(source).RAW_FILES)
    if not source.folder:
        names = _with_excel(names)
    for folder, origin in (
        (paths.RAW_DIR / kommun, "real"),
        (paths.RAW_DIR / "fetched" / kommun, "fetched"),
        (paths.example_raw_dir(kommun), "example"),
    ):
        found = _matches(folder, names)
        if found:
            if not source.folder:
                _refuse_csv_and_excel(found[0], found)
            return (folder if source.folder else found[0]), origin
    return None, "example"


def _refuse_csv_and_excel(chosen: Path, found: list[Path]) -> None:
    if chosen.suffix != ".csv":
        return
    twin = chosen.with_suffix(".xlsx")
    if twin in found:
        raise DataError(
            chosen.parent,
            f"både {chosen.name} och {twin.name} finns; det är oklart vilken som gäller",
            expected="bara en av dem (ta bort eller byt namn på den andra)",
        )


def generate_examples(
    config: KommunConfig, seed: int = EXAMPLE_SEED, force: bool = False
) -> list[Path]:
    """Write the example files of every kommun source that has no file yet."""
    out = paths.example_raw_dir(config.code)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for source in LOCAL_SOURCES:
        if source.generator is None:
            continue
        module = _module(source)
        names = source.raw_files or tuple(module.RAW_FILES)
        if not force and _matches(out, names):
            continue
        written.extend(getattr(module, source.generator)(config, out, seed=seed))
    return written


def _ingest_local(
    source: LocalSource, config: KommunConfig, out: Path, quarantine: bool
) -> TableRecord | None:
    raw, origin = find_raw_file(source, config.code)
    if raw is None:
        return None
    reader = getattr(_module(source), source.reader)
    if source.generator is None and source.reader == "read_groups":
        result = ReadResult(reader(raw, origin=origin), origin=origin)
    else:
        # A kommun without configured areas has nothing to check the names against.
        checked = {"areas": [a.name for a in config.areas]} if source.areas and config.areas else {}
        if source.kommun:
            checked["kommun"] = config.code
        result = reader(raw, quarantine=quarantine, origin=origin, **checked)
    target = out / f"{source.table}.parquet"
    write_table(result.table, target)
    _write_rejected(out / f"{source.table}.rejected.csv", result.rejected)
    return TableRecord(
        source.table,
        _relative(target),
        len(result.table),
        len(result.rejected),
        origin,
        [provenance.describe_file(p) for p in _inputs(source, raw)],
    )


def _inputs(source: LocalSource, raw: Path) -> list[Path]:
    if not source.folder:
        return [raw]
    return _matches(raw, source.raw_files or tuple(_module(source).RAW_FILES))


# --------------------------------------------------------------------------
# The whole ingest
# --------------------------------------------------------------------------


def ingest_all(
    kommun: str,
    *,
    quarantine: bool = False,
    mirror: Path | None = None,
    out: Path | None = None,
    examples: bool = True,
    national: bool = True,
    default_config: bool = False,
) -> list[TableRecord]:
    """Build every processed table that the available raw data allows.

    Returns one record per table, failures included (``error`` set); the
    caller decides the exit code.
    """
    config = load_or_default(kommun) if default_config else load_config(kommun)
    mirror = mirror or paths.shared_data_dir()
    kommun_out = (out / config.code) if out else paths.processed_dir(config.code)
    kommun_out.mkdir(parents=True, exist_ok=True)
    records = ingest_national(quarantine=quarantine, mirror=mirror, out=out) if national else []
    if examples:
        generate_examples(config)
    for source in LOCAL_SOURCES:
        records.extend(
            _guarded(
                source.table, lambda s=source: _ingest_local(s, config, kommun_out, quarantine)
            )
        )
    ok = [r for r in records if r.error is None and _is_kommun_table(r)]
    _update_manifest(kommun_out / MANIFEST_NAME, ok)
    return records


def ingest_national(
    *,
    quarantine: bool = False,
    mirror: Path | None = None,
    out: Path | None = None,
    tables: Iterable[str] | None = None,
) -> list[TableRecord]:
    """Build the national tables (all of :data:`NATIONAL_STEPS`, or those named in ``tables``).

    Returns one record per table, failures included; the national manifest
    lists the tables built without error.
    """
    mirror = mirror or paths.shared_data_dir()
    national_out = out or paths.processed_dir()
    national_out.mkdir(parents=True, exist_ok=True)
    wanted = set(tables) if tables is not None else None
    records: list[TableRecord] = []
    for table, step in NATIONAL_STEPS:
        if wanted is None or table in wanted:
            records.extend(_guarded(table, lambda s=step: s(mirror, national_out, quarantine)))
    _update_manifest(national_out / MANIFEST_NAME, [r for r in records if r.error is None])
    return records


def _is_kommun_table(record: TableRecord) -> bool:
    return record.table in {s.table for s in LOCAL_SOURCES}


def _guarded(table: str, step: Callable[[], TableRecord | None]) -> list[TableRecord]:
    """Run one table's step; whatever it raises becomes that table's error record.

    A data error (naming file, row and column) is the expected case. Anything
    else is a bug or a file no reader foresaw; it is named with where it was
    raised, and the other tables are still ingested (no traceback: the summary
    and the manifest are always written).
    """
    try:
        record = step()
    except (DataError, TrygghetError) as exc:
        return [TableRecord(table, "", 0, 0, "", error=str(exc), written_at=_now())]
    except Exception as exc:  # noqa: BLE001 - one broken table must not stop the others
        return [TableRecord(table, "", 0, 0, "", error=_unexpected(exc), written_at=_now())]
    if record is None:
        return []
    record.written_at = _now()
    return [record]


def _unexpected(exc: Exception) -> str:
    """A Swedish one-liner for an error no reader turned into a data error."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" i {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    text = str(exc)
    text = text if len(text) <= 300 else text[:300] + "…"
    return (
        f"oväntat fel ({type(exc).__name__}: {text}){where}; tabellen skrevs inte och den "
        "förra ligger kvar. Det är troligen ett programfel: rapportera det med meddelandet."
    )


def _update_manifest(path: Path, records: list[TableRecord]) -> None:
    if not records:
        return
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {"tables": {}}
    for record in records:
        manifest["tables"][record.table] = asdict(record)
    atomic.write_text(path, json.dumps(manifest, indent=2, ensure_ascii=False))


ORIGIN_WORDS = {"real": "verklig", "fetched": "hämtad", "example": "EXEMPEL"}


def summary_lines(records: list[TableRecord]) -> list[str]:
    """One line per table for the terminal: rows, rejected, origin, or the error."""
    if not records:
        return ["Ingen rådata hittades; inga tabeller skrevs."]
    lines = [f"{'tabell':<18} {'rader':>8} {'avvisade':>9}  ursprung"]
    for r in records:
        if r.error:
            lines.append(f"{r.table:<18} {'FEL':>8}  {r.error}")
        else:
            lines.append(
                f"{r.table:<18} {r.rows:>8} {r.rejected:>9}  {ORIGIN_WORDS.get(r.origin, r.origin)}"
            )
    return lines
