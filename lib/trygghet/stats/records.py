"""Indicator records: every figure one page shows and another reads, computed once.

A report's analysis publishes each figure that another page shows (the
follow-up, the index pages, the national overview) as a typed
:class:`IndicatorRecord`: its id, its definition in Swedish, the value with
its interval and the interval's method, n, whether it is suppressed, and -
for the indicators a kommun's config names for its promises - direction,
target, status and the reason for it. The pages that show the figure again
read the record; they never recompute it, so one number has one definition
and the same value, interval and status everywhere.

Where records live (the runner owns the folders, :mod:`trygghet.pipeline.runner`):

* during a run, each report notebook writes ``<records_dir>/<notebook>.parquet``
  into the run's staging folder; the follow-up reads them after the reports
  it depends on have finished;
* a report that failed leaves ``<notebook>.failed.json`` there instead, so
  that its indicators become "kan inte bedömas" with the reason, never a stale
  number;
* the published run has one table ``outputs/<kommun>/<period>/indicators.parquet``
  (every record of the run, listed in the manifest) and the per-report files
  under ``records/``.

Assumption (Duck Book): a record is only as current as the run that wrote it.
The table says which report and which run (period, kommun) each record came
from; a page reading records from an earlier run must say so.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING

from trygghet import atomic

if TYPE_CHECKING:  # pandas is imported where a table is made: the runner's pool workers
    import pandas as pd  # load this module to publish files and never make one (issue 16)

RECORDS_DIR_NAME = "records"
#: The follow-up's own records (indicators whose report could not publish them).
FOLLOWUP_REPORT = "followup"
TABLE_NAME = "indicators.parquet"
FAILED_SUFFIX = ".failed.json"

#: Kinds of record: a promise indicator from the kommun's config, or a figure a
#: report publishes for other pages (the national overview, the index pages).
PROMISE = "löfte"
FIGURE = "figur"


@dataclass(frozen=True)
class IndicatorRecord:
    """One figure as computed by the report that owns it."""

    id: str  # "1/est-atgard" for a promise indicator, "brott/totalt" for a report figure
    kind: str  # PROMISE or FIGURE
    report: str  # notebook that computed it, e.g. "05_est_lagesbild"
    kommun: str
    period: int
    name: str  # as shown, in Swedish
    definition: str  # what is counted, in Swedish: shown where the number is shown
    unit: str = ""
    value: float | None = None
    low: float | None = None
    high: float | None = None
    method: str = ""  # the interval's (and test's) method, in Swedish
    level: float = 0.95
    n: int | None = None
    numerator: float | None = None  # successes of a share, count of a rate
    denominator: float | None = None  # cases of a share, population of a rate
    suppressed: bool = False  # below the small-number rule: the value is not shown
    exact: bool = False  # a full count or census: its own interval
    text: str = ""  # the value as shown, Swedish format ("fåtal" when suppressed)
    detail: str = ""
    baseline: float | None = None
    baseline_period: int | None = None
    baseline_suppressed: bool = False  # the baseline rests on fewer than min_count cases
    change: str = ""  # "up", "down", "none" (tested) or "" (no baseline)
    promise_id: str = ""
    indicator_id: str = ""
    function: str = ""
    direction: str = ""
    target: float | None = None
    status: str = ""
    reason: str = ""
    origin: str = "real"
    sources: str = ""  # the processed tables it was computed from, comma-separated
    extra: str = field(default="{}")  # JSON of report-specific fields (e.g. the funnel position)

    def extras(self) -> dict:
        return json.loads(self.extra or "{}")


_FLOAT = {"value", "low", "high", "level", "numerator", "denominator", "baseline", "target"}
_INT = {"period", "n", "baseline_period"}
_BOOL = {"suppressed", "exact", "baseline_suppressed"}
COLUMNS = [f.name for f in fields(IndicatorRecord)]


def _clean(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def to_frame(records: Iterable[IndicatorRecord]) -> pd.DataFrame:
    """Records as a typed table (nullable ints, floats with NaN for missing)."""
    import pandas as pd

    rows = [asdict(r) for r in records]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for name in COLUMNS:
        if name in _FLOAT:
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
        elif name in _INT:
            frame[name] = pd.array(
                [None if _clean(v) is None else int(v) for v in frame[name]], dtype="Int64"
            )
        elif name in _BOOL:
            frame[name] = frame[name].astype(bool)
        else:
            frame[name] = frame[name].fillna("").astype(str)
    return frame


def from_frame(frame: pd.DataFrame) -> list[IndicatorRecord]:
    import pandas as pd

    out = []
    for row in frame.to_dict("records"):
        values = {}
        for name in COLUMNS:
            v = _clean(row.get(name))
            if v is pd.NA:
                v = None
            if v is not None and name in _INT:
                v = int(v)
            elif v is not None and name in _FLOAT:
                v = float(v)
            elif name in _BOOL:
                v = bool(v)
            elif v is None and name not in _FLOAT | _INT:
                v = ""
            values[name] = v
        out.append(IndicatorRecord(**values))
    return out


def write(path: Path, records: Sequence[IndicatorRecord]) -> Path:
    """Write records atomically (a reader never sees half a file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = to_frame(sorted(records, key=lambda r: r.id))
    atomic.write_with(path, lambda tmp: frame.to_parquet(tmp, index=False))
    return path


def read(path: Path) -> list[IndicatorRecord]:
    import pandas as pd

    return from_frame(pd.read_parquet(path))


def report_file(records_dir: Path, report: str) -> Path:
    return Path(records_dir) / f"{report}.parquet"


#: Beside a report's records: its key views for the follow-up (charts, maps, text as shown).
VIEWS_SUFFIX = ".views.json"


def views_file(records_dir: Path, report: str) -> Path:
    return Path(records_dir) / f"{report}{VIEWS_SUFFIX}"


def published_files(records_dir: Path, report: str) -> tuple[Path, Path]:
    """What a report publishes into a records folder: its records and its views."""
    return report_file(records_dir, report), views_file(records_dir, report)


def failed_file(records_dir: Path, report: str) -> Path:
    return Path(records_dir) / f"{report}{FAILED_SUFFIX}"


#: Why a report's records are missing from a run.
FAILED = "failed"  # it ran and failed
STALE = "stale"  # it was not run, and its last records are older than today's data and code


def mark_failed(records_dir: Path, report: str, reason: str, kind: str = FAILED) -> None:
    """Say that ``report`` failed (or is out of date), so its records are not read as current."""
    report_file(records_dir, report).unlink(missing_ok=True)
    atomic.write_text(
        failed_file(records_dir, report),
        json.dumps({"report": report, "reason": reason, "kind": kind}),
    )


@dataclass(frozen=True)
class RecordSet:
    """The records found in a folder, and the reports that failed or never ran."""

    records: dict[str, IndicatorRecord]
    failed: dict[str, str]  # report -> reason
    folder: Path
    stale: frozenset[str] = frozenset()  # reports in ``failed`` that were only out of date

    def get(self, record_id: str) -> IndicatorRecord | None:
        return self.records.get(record_id)

    def by_kind(self, kind: str) -> list[IndicatorRecord]:
        return [r for r in self.records.values() if r.kind == kind]

    @property
    def reports(self) -> set[str]:
        return {r.report for r in self.records.values()}


def read_folder(records_dir: Path) -> RecordSet:
    """Every report's records in ``records_dir`` (missing folder: none)."""
    folder = Path(records_dir)
    found: dict[str, IndicatorRecord] = {}
    failed: dict[str, str] = {}
    stale: set[str] = set()
    if folder.is_dir():
        for path in sorted(folder.glob("*.parquet")):
            for record in read(path):
                found[record.id] = record
        for path in sorted(folder.glob(f"*{FAILED_SUFFIX}")):
            info = json.loads(path.read_text(encoding="utf-8"))
            failed[str(info.get("report"))] = str(info.get("reason", ""))
            if info.get("kind") == STALE:
                stale.add(str(info.get("report")))
    return RecordSet(found, failed, folder, frozenset(stale))


def read_table(path: Path) -> RecordSet:
    """A published run's ``indicators.parquet`` (missing file: none)."""
    path = Path(path)
    if not path.is_file():
        return RecordSet({}, {}, path.parent)
    return RecordSet({r.id: r for r in read(path)}, {}, path.parent)


def combine(records_dir: Path, reports: Sequence[str], target: Path) -> Path | None:
    """Write the run's table from the given reports' record files; None if there are none."""
    # One record per id: the follow-up's own record of an indicator (its report failed or
    # is out of date) replaces the report's older one, as the follow-up's page says.
    ordered = sorted(reports, key=lambda r: r == FOLLOWUP_REPORT)
    by_id: dict[str, IndicatorRecord] = {}
    for part in (report_file(records_dir, r) for r in ordered):
        if part.is_file():
            by_id.update({rec.id: rec for rec in read(part)})
    records = list(by_id.values())
    if not records:
        Path(target).unlink(missing_ok=True)
        return None
    return write(target, records)
