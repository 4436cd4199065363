"""The follow-up's indicators, read from the records the reports published.

The kommun's config lists, per promise, the indicators that follow it up
(:class:`trygghet.config.Indicator`). Each is computed once, by the report
that shows its figure (:mod:`trygghet.reports.indicators.publication`), and
published as a record with its status (:mod:`trygghet.stats.records`). This
module

1. **checks** the config (:func:`check_indicators`): an unknown function or a
   parameter the function does not take is a
   :class:`~trygghet.errors.ConfigError` naming the file, the promise and the key;
2. **reads** each indicator's record (:func:`evaluate`). It never computes a
   value: a report that failed in this run, or has not run for the period,
   makes its indicators "kan inte bedömas" with that reason, never a stale or
   invented number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from trygghet.config import Indicator, KommunConfig, Promise
from trygghet.present.swedish import MISSING
from trygghet.reports.indicators import (
    REPORTS,
    check_indicators,
    indicator_key,
    promise_records,
    record_id,
    records_folder,
    report_of,
    spec_of,
    topic_of,
    value_of,
)
from trygghet.stats import records
from trygghet.stats.records import IndicatorRecord
from trygghet.stats.status import (
    CANT_SAY,
    MET,
    NOT_MET,
    ON_TRACK,
    IndicatorValue,
)

__all__ = ["check_indicators", "indicator_key", "topic_of"]

#: The follow-up's own records (indicators no report published) carry this report key.
FOLLOWUP = records.FOLLOWUP_REPORT


# --------------------------------------------------------------------------- evaluating


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator's value and status."""

    promise_id: str
    indicator: Indicator
    value: IndicatorValue
    status: str
    reason: str
    topic: str
    definition: str = ""
    method: str = ""
    report: str = ""

    @property
    def key(self) -> str:
        return f"{self.promise_id}/{self.indicator.id}"


@dataclass
class PromiseResult:
    """A promise and its indicators' results."""

    promise: Promise
    indicators: list[IndicatorResult] = field(default_factory=list)

    @property
    def topics(self) -> list[str]:
        return list(dict.fromkeys(r.topic for r in self.indicators))


def not_published(report: str, found: records.RecordSet) -> str:
    """Why a report's record is missing: it failed in this run, or it has not run."""
    page = REPORTS.get(report, report or "ingen rapport")
    if report in found.stale:
        return f"rapporten {page} är inte körd med dagens data och kod (kör hela sviten)"
    if report in found.failed:
        return f"rapporten {page} misslyckades i den här körningen ({found.failed[report]})"
    if not report:
        return "ingen rapport beräknar indikatorfunktionen"
    return f"rapporten {page} har inte körts för perioden (kör 'trygghet run')"


def result_of(
    promise_id: str, ind: Indicator, record: IndicatorRecord | None, reason: str
) -> IndicatorResult:
    """One indicator's result from its record (or "kan inte bedömas" without one)."""
    spec = spec_of(ind.function)
    topic = topic_of(ind.function)
    if record is None:
        value = IndicatorValue(value=None, text=MISSING, origin="saknas")
        return IndicatorResult(
            promise_id, ind, value, CANT_SAY, reason, topic,
            definition=spec.definition if spec else "", method=spec.method if spec else "",
            report=report_of(ind.function),
        )  # fmt: skip
    return IndicatorResult(
        promise_id, ind, value_of(record), record.status, record.reason, topic,
        definition=record.definition, method=record.method, report=record.report,
    )  # fmt: skip


def evaluate(context: Any, found: records.RecordSet | None = None) -> list[PromiseResult]:
    """Check the config and read every indicator's record, with its status.

    ``found`` defaults to the records in the context's records folder (the
    run's, or the kommun's published ones when the notebook runs on its own).
    """
    config: KommunConfig = context.config
    check_indicators(config)
    if found is None:
        found = records.read_folder(records_folder(context))
    # An indicator function no report declares (a kommun's own library function)
    # is shown only here: the follow-up computes it, once, as its own record.
    own = {r.id: r for r in promise_records(context, "")}
    out: list[PromiseResult] = []
    for promise in config.promises:
        result = PromiseResult(promise)
        for ind in promise.indicators:
            record = own.get(record_id(promise.id, ind.id)) or found.get(
                record_id(promise.id, ind.id)
            )
            if (
                record is not None
                and record.report != ""
                and (
                    record.report == FOLLOWUP
                    or record.kommun != config.code
                    or record.period != int(context.period)
                )
            ):
                record = None  # another kommun's or period's record is never shown as this one's
            reason = "" if record else not_published(report_of(ind.function), found)
            result.indicators.append(result_of(promise.id, ind, record, reason))
        out.append(result)
    return out


def unpublished_records(context: Any, results: Sequence[PromiseResult]) -> list[IndicatorRecord]:
    """Records for the indicators no report published (status "kan inte bedömas", with why).

    The follow-up publishes these, so the run's table has exactly one record
    per config indicator and the index page counts them without recomputing.
    """
    from trygghet.reports.indicators import promise_record

    found = records.read_folder(records_folder(context))
    out = []
    for pr in results:
        for r in pr.indicators:
            record = found.get(r.key)
            if record is None or record.report in (FOLLOWUP, ""):
                out.append(
                    promise_record(
                        context, r.promise_id, r.indicator, r.value, r.status, r.reason, FOLLOWUP
                    )  # fmt: skip
                )
    return out


def publish(context: Any, results: Sequence[PromiseResult]) -> None:
    """Write the follow-up's own records: the indicators no report could publish."""
    records.write(
        records.report_file(context.records_folder, FOLLOWUP),
        unpublished_records(context, results),
    )


def status_counts(results: Sequence[PromiseResult]) -> dict[str, int]:
    counts = {s: 0 for s in (MET, ON_TRACK, NOT_MET, CANT_SAY)}
    for pr in results:
        for r in pr.indicators:
            counts[r.status] += 1
    return counts
