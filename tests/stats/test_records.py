"""Indicator records: typed on disk, read back equal, failed reports noted, one table per run."""

from __future__ import annotations

import math

import pandas as pd

from trygghet.stats import records
from trygghet.stats.records import FIGURE, PROMISE, IndicatorRecord


def _record(**kw) -> IndicatorRecord:
    base = dict(id="1/a", kind=PROMISE, report="est", kommun="1863", period=2025,
                name="A", definition="Andelen …")  # fmt: skip
    return IndicatorRecord(**(base | kw))


def test_records_round_trip_with_missing_values_and_types(tmp_path):
    full = _record(value=0.25, low=0.1, high=0.4, n=12, numerator=3.0, denominator=12.0,
                   suppressed=False, baseline=0.5, baseline_period=2024, target=0.8,
                   status="inte uppfyllt", change="down", extra='{"position": "över"}')  # fmt: skip
    empty = _record(id="1/b", value=None, n=None, suppressed=True, text="–")
    path = records.write(tmp_path / "est.parquet", [full, empty])
    assert records.read(path) == [full, empty]
    frame = pd.read_parquet(path)
    assert str(frame["n"].dtype) == "Int64" and str(frame["value"].dtype) == "float64"
    assert frame["suppressed"].dtype == bool
    assert math.isnan(frame.loc[1, "value"])
    assert records.read(path)[0].extras() == {"position": "över"}


def test_read_folder_sees_each_report_and_the_failed_ones(tmp_path):
    records.write(records.report_file(tmp_path, "est"), [_record()])
    records.write(records.report_file(tmp_path, "crime"), [_record(id="brott/totalt", kind=FIGURE,
                                                                   report="crime")])  # fmt: skip
    records.mark_failed(tmp_path, "crime", "cell 3: KeyError")
    found = records.read_folder(tmp_path)
    assert set(found.records) == {"1/a"}  # the failed report's old file is gone
    assert found.failed == {"crime": "cell 3: KeyError"}
    assert found.reports == {"est"}
    assert records.read_folder(tmp_path / "nothing").records == {}


def test_writing_is_deterministic_and_sorted(tmp_path):
    a, b = _record(id="2/x"), _record(id="1/y")
    first = records.write(tmp_path / "a.parquet", [a, b]).read_bytes()
    second = records.write(tmp_path / "b.parquet", [b, a]).read_bytes()
    assert first == second
    assert [r.id for r in records.read(tmp_path / "a.parquet")] == ["1/y", "2/x"]


def test_combine_makes_one_table_or_none(tmp_path):
    records.write(records.report_file(tmp_path, "est"), [_record()])
    records.write(records.report_file(tmp_path, "places"), [_record(id="2/w", report="places")])
    table = records.combine(tmp_path, ["est", "places"], tmp_path / "indicators.parquet")
    assert {r.id for r in records.read(table)} == {"1/a", "2/w"}
    assert records.combine(tmp_path, ["nope"], tmp_path / "indicators.parquet") is None
    assert not (tmp_path / "indicators.parquet").exists()


def test_combine_keeps_one_record_per_id_the_follow_ups_last(tmp_path):
    stale = _record(status="inte uppfyllt", value=0.2)
    records.write(records.report_file(tmp_path, "est"), [stale])
    said = _record(report="followup", status="kan inte bedömas", value=None)
    records.write(records.report_file(tmp_path, "followup"), [said])
    table = records.combine(tmp_path, ["est", "followup"], tmp_path / "t.parquet")
    assert records.read(table) == [said]
