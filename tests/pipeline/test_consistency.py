"""One number, one definition: a figure shown on two pages is the same on both.

Every page marks each published figure it shows with the record it came from
(``data-record``/``data-part``, :mod:`trygghet.reports.indicators.shown`). For
Hällefors, Ljusnarsberg and a kommun on the generated default config, after
one real run: each mark agrees with the run's record table, the same figure
reads the same on every page, and every promise indicator is shown both by
the report that computed it and by the follow-up.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict

import pytest
from conftest import PERIOD, SUITE_KOMMUNER

from trygghet.config import load_or_default
from trygghet.reports import indicators
from trygghet.stats import records
from trygghet.stats.records import PROMISE

#: A marked figure, whatever order the page's sanitiser left its attributes in.
MARK = re.compile(r'<span ((?:[\w-]+="[^"]*"\s*)+)>([^<]*)</span>')
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
#: The notebook of each report that publishes records.
PAGE_OF = {
    "crime": "02_brottsstatistik",
    "places": "03_platser",
    "survey": "04_trygghetsundersokning",
    "est": "05_est_lagesbild",
    "victim_contact": "06_brottsofferkontakt",
}
FOLLOWUP_PAGE = "00_uppfoljning"


def _marks(folder) -> dict[tuple[str, str], dict[str, set[str]]]:
    """(record, part) -> {page: texts shown} over every page of the run."""
    found: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for page in sorted(folder.glob("*.html")):
        for attributes, text in MARK.findall(page.read_text(encoding="utf-8")):
            attrs = dict(ATTRIBUTE.findall(attributes))
            if attrs.get("class") != "trygghet-figure":
                continue
            record_id, part = html.unescape(attrs["data-record"]), attrs["data-part"]
            found[(record_id, part)][page.stem].add(html.unescape(text))
    return found


def _expected(record) -> dict[str, str]:
    value = indicators.value_of(record)
    return {
        "value": value.text or indicators.format_value(value.value, record.unit),
        "interval": indicators.interval_text(value, record.unit),
        "status": record.status,
    }


@pytest.mark.parametrize("code", SUITE_KOMMUNER)
def test_every_shown_figure_is_its_record_on_every_page(full_suite, code):
    folder = full_suite / code / str(PERIOD)
    table = records.read_table(folder / records.TABLE_NAME)
    marks = _marks(folder)
    assert marks, "no page marks a published figure"
    for (record_id, part), pages in marks.items():
        record = table.get(record_id)
        assert record is not None, f"{record_id} is shown but not in the run's records"
        texts = set().union(*pages.values())
        assert texts == {_expected(record)[part]}, (record_id, part, dict(pages))


@pytest.mark.parametrize("code", SUITE_KOMMUNER)
def test_every_promise_indicator_has_one_record_shown_by_its_report_and_the_follow_up(
    full_suite, code
):
    folder = full_suite / code / str(PERIOD)
    table = records.read_table(folder / records.TABLE_NAME)
    config = load_or_default(code)
    wanted = {f"{p.id}/{i.id}" for p in config.promises for i in p.indicators}
    promised = {r.id: r for r in table.by_kind(PROMISE)}
    assert set(promised) == wanted
    marks = _marks(folder)
    for record_id, record in promised.items():
        for part in ("value", "interval", "status"):
            pages = set(marks[(record_id, part)])
            assert FOLLOWUP_PAGE in pages, (record_id, part)
            if record.report in PAGE_OF:  # computed by a report: shown there too
                assert PAGE_OF[record.report] in pages, (record_id, part, pages)


@pytest.mark.parametrize("code", SUITE_KOMMUNER)
def test_the_manifest_lists_the_record_table(full_suite, code):
    import json

    folder = full_suite / code / str(PERIOD)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["indicators"]
    assert entry["file"] == records.TABLE_NAME
    assert set(entry["reports"]) >= set(PAGE_OF) | {"followup"}
    assert entry["records"] == len(records.read(folder / records.TABLE_NAME))
