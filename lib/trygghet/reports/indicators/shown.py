"""How a published figure is shown: one format, one mark, on every page that shows it.

A record's value, interval and status are written the same way wherever they
appear (the report that computed them, the follow-up, the decision page), and
each is marked with the record it came from::

    <span class="trygghet-figure" data-record="1/est-atgard" data-part="value">7 %</span>

so a reader of the HTML, and the consistency test, can tell that two pages
show one number (``tests/pipeline/test_consistency.py``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from trygghet.present.gate import html_text
from trygghet.present.style import is_example
from trygghet.present.swedish import MISSING, fmt_int, fmt_number, fmt_percent
from trygghet.present.tables import EXAMPLE_NOTE
from trygghet.stats.records import IndicatorRecord
from trygghet.stats.status import SYMBOLS, IndicatorValue

CSS = """<style>
table.tr-records { border-collapse: collapse; width: 100%; font-size: 17px; table-layout: auto; }
.tr-records th, .tr-records td { border: 1px solid #bbb; padding: 0.3em 0.45em; vertical-align: top; text-align: left !important; }
.tr-records th { background: #eee; }
.tr-detail { font-size: 16px; color: #444; }
@media print {
  table.tr-records { font-size: 8.5pt; }
  .tr-detail { font-size: 7.5pt; color: #333; }
  .tr-records tr { break-inside: avoid; }
}
</style>"""

#: The parts of a record that pages show, as marked in ``data-part``.
PARTS = ("value", "interval", "status", "n")


def format_value(x: float | None, unit: str) -> str:
    """A value in the indicator's unit: shares as percent, rates and counts as numbers."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return MISSING
    if unit == "andel":
        return fmt_percent(x)
    if unit == "veckor":
        return f"{fmt_number(x, 1)} v."
    if unit == "antal":
        return fmt_int(x)
    return fmt_number(x)


def interval_text(value: IndicatorValue, unit: str) -> str:
    """``"28–34 %"`` (the unit once, as the reports write it); a dash when there is
    none, or when the value is a count."""
    if value.low is None or value.high is None or value.too_few or value.low == value.high:
        return MISSING
    low, high = format_value(value.low, unit), format_value(value.high, unit)
    suffix = "\u00a0%"
    if unit == "andel" and low.endswith(suffix):
        low = low[: -len(suffix)]
    return f"{low}–{high}"


def figure_html(record_id: str, part: str, text: str) -> str:
    """``text`` (escaped) marked as part ``part`` of record ``record_id``."""
    return (
        f'<span class="trygghet-figure" data-record="{html_text(record_id)}" '
        f'data-part="{html_text(part)}">{html_text(text)}</span>'
    )


def value_text(record: IndicatorRecord, value: IndicatorValue) -> str:
    return value.text or format_value(value.value, record.unit)


def records_table_html(records: Sequence[IndicatorRecord], value_of) -> str:
    """The report's promise indicators as the follow-up will show them (same marks)."""
    rows = []
    for r in records:
        v = value_of(r)
        rows.append(
            "<tr>"
            f'<td>{html_text(r.name)}<br><span class="tr-detail">'
            f"{html_text('Så räknas det: ' + r.definition)} {html_text('Metod: ' + r.method + '.')}"
            "</span></td>"
            f"<td>{figure_html(r.id, 'value', value_text(r, v))}</td>"
            f"<td>{figure_html(r.id, 'interval', interval_text(v, r.unit))}</td>"
            f'<td><span aria-hidden="true">{SYMBOLS.get(r.status, "?")}</span> '
            f"<strong>{figure_html(r.id, 'status', r.status)}</strong>"
            f'<br><span class="tr-detail">{html_text(r.reason)}</span></td>'
            "</tr>"
        )
    example = any(is_example(r.origin) for r in records)
    return (
        f"{CSS}<h2>Medborgarlöftenas indikatorer i den här rapporten</h2>"
        "<p>Så här visas de i uppföljningen av medborgarlöftena: samma värden, samma "
        "intervall och samma status, beräknade en gång här.</p>"
        '<table class="tr-records"><thead><tr><th>Indikator</th>'
        "<th>Värde</th><th>95 % osäkerhetsintervall</th><th>Status</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>" + (EXAMPLE_NOTE if example else "")
    )
