"""The published police events as a tidy table: where it is, one kommun's events, what counts.

The raw archive is read by :mod:`trygghet.sources.polisen`; ``trygghet ingest``
writes one national table of it. This module is what every report uses to get
at those events: the table for one kommun, the incident time, which events
count as events ("Sammanfattning natt/kväll/helg" bundles many incidents and
never counts as one), and the period for which the archive is complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from trygghet.errors import DataError
from trygghet.sources.polisen import ARCHIVE_COMPLETE_FROM, read_events_result
from trygghet.sources.tabular import ReadResult

PROCESSED_NAME = "polisen_events.parquet"
RAW_RELATIVE = Path("polisen") / "events.jsonl.gz"


def _shared(shared_data: str | Path | None) -> Path:
    from trygghet.paths import shared_data_dir

    return Path(shared_data) if shared_data else shared_data_dir()


def processed_path() -> Path:
    """The national events table written by ``trygghet ingest`` (one table for all kommuner)."""
    from trygghet.paths import processed_dir

    return processed_dir() / PROCESSED_NAME


def archive_path(shared_data: str | Path | None) -> Path | None:
    """The events archive to read: the mirror's, else one `trygghet fetch` built, else example."""
    from trygghet.paths import RAW_DIR

    for candidate in (
        _shared(shared_data) / RAW_RELATIVE,
        RAW_DIR / "fetched" / RAW_RELATIVE,
        RAW_DIR / "example" / RAW_RELATIVE,
    ):
        if candidate.is_file():
            return candidate
    return None


def _origin_of_path(path: Path) -> str:
    parts = Path(path).resolve().parts
    return "example" if "example" in parts else "fetched" if "fetched" in parts else "real"


def read_archive_file(path: Path) -> pd.DataFrame:
    """Read one events archive, with its coverage end in ``attrs`` and its origin set."""
    return read_archive_result(path).table


def read_archive_result(path: Path, *, quarantine: bool = False) -> ReadResult:
    """:func:`read_archive_file`, with events published in the future set aside under quarantine.

    Without quarantine such an event raises a :class:`~trygghet.errors.DataError`
    naming its line; with it, the rows are returned in ``rejected`` with their line
    and reason.
    """
    from trygghet.sources.polisen import schema
    from trygghet.sources.tabular import check_contract

    result = read_events_result(path, quarantine=quarantine)
    events = result.table
    origin = _origin_of_path(path)
    events["origin"] = pd.Series(origin, index=events.index, dtype="string")
    check_contract(events, schema(), path)
    events.attrs["coverage_end"] = str(events["published_at"].max().tz_localize(None))
    return ReadResult(events, result.rejected, origin)


def read_archive(shared_data: str | Path | None) -> pd.DataFrame:
    """Read the best available raw events archive (see :func:`archive_path`)."""
    path = archive_path(shared_data)
    if path is None:
        raise DataError(
            _shared(shared_data) / RAW_RELATIVE,
            "Polisens händelsearkiv saknas",
            expected="filen polisen/events.jsonl.gz i datamappen, eller kör 'trygghet fetch' "
            "eller 'trygghet ingest' (som då skapar exempeldata)",
        )
    return read_archive_file(path)


def origin_of(events: pd.DataFrame) -> str:
    """'real', 'fetched' or 'example' – for the report's data banner."""
    if "origin" not in events or events.empty:
        return str(events.attrs.get("origin", "real"))
    return str(events["origin"].mode().iloc[0])


def load_for_report(shared_data: str | Path | None, kommun: str) -> pd.DataFrame:
    """The kommun's events, all years: the processed Parquet table if built, else the raw archive."""
    path = processed_path()
    if path.is_file():
        events = pd.read_parquet(path)
        coverage_end = events.attrs.get("coverage_end")
    else:
        events = read_archive(shared_data)
        coverage_end = events.attrs["coverage_end"]
    origin = origin_of(events)
    events = events_for_kommun(events, kommun)
    events.attrs["origin"] = origin
    if coverage_end:
        events.attrs["coverage_end"] = coverage_end
    return events


def event_time(df: pd.DataFrame) -> pd.Series:
    """Incident time from the title, else the (local) publication time."""
    published = df["published_at"].dt.tz_convert("Europe/Stockholm").dt.tz_localize(None)
    return df["incident_time"].fillna(published.astype(df["incident_time"].dtype))


def events_for_kommun(
    events: pd.DataFrame, kommun_code: str, year: int | None = None
) -> pd.DataFrame:
    """The kommun's events (kommun level and resolved län level), summaries flagged.

    Summaries stay in the table (``is_summary``) so that they can be counted
    separately; every counting function here leaves them out.
    """
    mask = events["kommun_code"].eq(str(kommun_code))
    if year is not None:
        mask &= event_time(events).dt.year.eq(int(year))
    selected = events[mask.fillna(False).to_numpy()].copy()
    selected.attrs = dict(events.attrs)
    return selected


def countable(df: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """Events that count as events (no summaries), optionally of one year."""
    mask = ~df["is_summary"].astype(bool)
    if year is not None:
        mask &= event_time(df).dt.year.eq(int(year))
    return df[mask.to_numpy()]


def summary_count(df: pd.DataFrame, year: int | None = None) -> int:
    """How many summaries ("Sammanfattning …") name the kommun."""
    mask = df["is_summary"].astype(bool)
    if year is not None:
        mask &= event_time(df).dt.year.eq(int(year))
    return int(mask.sum())


@dataclass(frozen=True)
class Coverage:
    """The period for which the archive holds every published event."""

    start: pd.Timestamp
    end: pd.Timestamp  # last archived day; itself possibly incomplete

    def month_complete(self, year: int, month: int) -> bool:
        first = pd.Timestamp(year=year, month=month, day=1)
        last = first + pd.offsets.MonthEnd(0)
        return first >= self.start.normalize() and last < self.end.normalize()


def coverage_of(df: pd.DataFrame) -> Coverage:
    """Coverage of the archive the table came from.

    The end is the archive's last publication (kept in ``df.attrs`` by the
    loaders); without it, the table's own last publication is used, which for
    a small kommun may be earlier than the archive's end (months then count as
    incomplete, the cautious side).
    """
    end = df.attrs.get("coverage_end")
    if end is None:
        end = (
            df["published_at"].max().tz_convert("Europe/Stockholm").tz_localize(None)
            if len(df)
            else ARCHIVE_COMPLETE_FROM
        )
    return Coverage(start=ARCHIVE_COMPLETE_FROM, end=pd.Timestamp(end))
