"""The follow-up on the page: every text through the gate, origins per source, EXEMPELDATA."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from trygghet.config import Indicator, Promise
from trygghet.present import page
from trygghet.present.tables import EXAMPLE_NOTE
from trygghet.reports import followup
from trygghet.reports.followup.evaluate import IndicatorResult, PromiseResult
from trygghet.stats.status import CANT_SAY, IndicatorValue

PAYLOAD = "<img src=x onerror=alert(1)> {{7*7}} 19800101-1234 anna@example.se"
PACKAGES = ["followup", "crime", "police_events", "national"]


def result(topic: str, origin: str, name: str = "Indikator") -> IndicatorResult:
    ind = Indicator(id="i", name=name, function=f"{topic}.x")
    value = IndicatorValue(value=0.5, text="50 %", origin=origin, detail=PAYLOAD)
    return IndicatorResult(promise_id="1", indicator=ind, value=value, status=CANT_SAY, reason=PAYLOAD,
                           topic=topic)  # fmt: skip


def promise_result(*indicators: IndicatorResult) -> PromiseResult:
    promise = Promise(
        id="1", title=PAYLOAD, text=PAYLOAD, indicators=[r.indicator for r in indicators]
    )
    return PromiseResult(promise=promise, indicators=list(indicators))


def assert_clean(markup: str) -> None:
    assert "<img" not in markup and "{{" not in markup
    assert "19800101-1234" not in markup and "anna@example.se" not in markup


def test_first_page_scrubs_and_escapes_and_marks_examples():
    markup = followup.first_page_html([promise_result(result("survey", "example"))])
    assert_clean(markup)
    assert "(EXEMPELDATA)" in markup and "EXEMPELDATA:</strong>" in markup
    real = followup.first_page_html([promise_result(result("survey", "real"))])
    assert "EXEMPELDATA" not in real


def test_small_tables_scrub_escape_and_say_example():
    frame = pd.DataFrame({"plats": [PAYLOAD], "flagga": [PAYLOAD]})
    markup = followup.table_html(frame, "flagga", origin="example")
    assert_clean(markup)
    assert EXAMPLE_NOTE in markup
    assert EXAMPLE_NOTE not in followup.table_html(frame, origin="real")
    assert_clean(followup.caveats_html([PAYLOAD]))
    assert_clean(followup.status_html(CANT_SAY, PAYLOAD))


def test_sources_table_goes_through_the_gate(monkeypatch):
    from trygghet.sources import processed

    record = {"origin": "example", "rows": 3, "inputs": [{"path": f"/x/{PAYLOAD}.csv"}]}
    monkeypatch.setattr(processed, "table_record", lambda kommun, table: record)
    assert_clean(followup.sources_html("1863", ["walks"]))


def test_banners_name_scb_real_when_crime_counts_are_examples(monkeypatch):
    from trygghet.reports import crime

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        page, "banner", lambda source, origin, detail="": shown.append((source, origin))
    )
    monkeypatch.setattr(crime, "population_origin", lambda: "real")
    results = [promise_result(result("crime", "example"), result("walks", "real"))]
    followup.data_banners(SimpleNamespace(), results)
    labels = dict(shown)
    assert labels[followup.TOPIC_LABELS["crime"]] == "example"
    assert "SCB" not in followup.TOPIC_LABELS["crime"]
    scb = [o for s, o in shown if s.startswith("SCB")]
    assert scb == ["real"]
    assert labels[followup.TOPIC_LABELS["walks"]] == "real"


def test_topic_origin_ignores_an_indicator_without_data():
    results = [promise_result(result("walks", "real"), result("walks", "saknas"))]
    assert followup.topic_origin(results, "walks") == "real"
    mixed = [promise_result(result("walks", "real"), result("walks", "example"))]
    assert followup.topic_origin(mixed, "walks") == "example"


def test_no_html_escape_left_in_these_reports():
    """html.escape misses template syntax and personal data: the gate is the only way."""
    root = Path(followup.__file__).parents[1]
    offenders = []
    for package in PACKAGES:
        for path in (root / package).glob("*.py"):
            if package == "national" and path.name == "map.py":
                continue  # owned by the map work
            if re.search(r"\bhtml\.escape\b|^import html$", path.read_text(encoding="utf-8"), re.M):
                offenders.append(f"{package}/{path.name}")
    assert offenders == []
