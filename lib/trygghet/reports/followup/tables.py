"""The follow-up's HTML tables: the first page (status per indicator) and small plain tables.

The first page shows per promise the kommun's own words, then each
indicator's value, interval, baseline, target and status as symbol *and*
word, never colour alone. Tables are plain HTML, no pandas styling: they
print and read on a projector. Every text that goes into HTML passes the page
gate (:func:`trygghet.present.gate.html_text`: scrubbed of personal data and
escaped); a table built on example data says so under it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from trygghet.present.gate import html_text
from trygghet.present.style import is_example
from trygghet.present.tables import EXAMPLE_NOTE
from trygghet.reports.followup.evaluate import IndicatorResult, PromiseResult
from trygghet.reports.followup.text import baseline_text, target_text
from trygghet.reports.indicators import figure_html, format_value, interval_text
from trygghet.stats.status import CANT_SAY, MET, NOT_MET, ON_TRACK, SYMBOLS

#: The tables' style sheet, written before every table so that each output stands alone.
CSS = """<style>
table.fu-table { border-collapse: collapse; width: 100%; font-size: 17px; table-layout: auto; }
.fu-table th, .fu-table td { border: 1px solid #bbb; padding: 0.3em 0.45em; vertical-align: top; text-align: left !important; }
.fu-table th { background: #eee; }
.fu-first th:nth-child(1) { width: 28%; } .fu-first th:nth-child(2) { width: 10%; }
.fu-first th:nth-child(3) { width: 13%; } .fu-first th:nth-child(4) { width: 13%; }
.fu-first th:nth-child(5) { width: 10%; } .fu-first th:nth-child(6) { width: 26%; }
.fu-promise td { background: #f7f7f7; border-top: 3px solid #0072B2; }
.fu-reason, .fu-detail { font-size: 16px; color: #444; }
.fu-flag { font-weight: bold; }
.fu-decision { break-inside: avoid; }
@media print {
  table.fu-table { font-size: 8.5pt; }
  .fu-reason, .fu-detail { font-size: 7.5pt; color: #333; }
  .fu-table tr { break-inside: avoid; }
  .fu-promise { break-after: avoid; }
  .fu-decision h3 { break-after: avoid; }
}
</style>"""

#: Background tints of the status cell: a help, never the only carrier (symbol + word are).
STATUS_TINT = {MET: "#e3f1ea", ON_TRACK: "#e6f0f8", NOT_MET: "#fbe7dc", CANT_SAY: "#f0f0f0"}


def status_html(status: str, reason: str = "", record_id: str = "") -> str:
    """Symbol and word (and a tint that is only a help); the reason in small type.

    With ``record_id`` the word is marked as that record's status (the same
    mark every page uses for the figure, :func:`trygghet.reports.indicators.figure_html`).
    """
    small = f'<br><span class="fu-reason">{html_text(reason)}</span>' if reason else ""
    word = figure_html(record_id, "status", status) if record_id else html_text(status)
    return (
        f'<td class="fu-status" style="background:{STATUS_TINT.get(status, "#fff")}">'
        f'<span aria-hidden="true">{SYMBOLS.get(status, "?")}</span> '
        f"<strong>{word}</strong>{small}</td>"
    )


def definition_html(result: IndicatorResult) -> str:
    """The indicator's one definition and its interval's method, as its record states them."""
    parts = []
    if result.definition:
        parts.append(f"Så räknas det: {result.definition}")
    if result.method:
        parts.append(f"Metod: {result.method}.")
    if not parts:
        return ""
    return f'<br><span class="fu-detail fu-definition">{html_text(" ".join(parts))}</span>'


def first_page_html(results: Sequence[PromiseResult]) -> str:
    """The first page: per promise its own words, then one row per indicator with its status."""
    rows = []
    for pr in results:
        p = pr.promise
        rows.append(
            f'<tr class="fu-promise"><td colspan="6"><strong>Löfte {html_text(p.id)}: '
            f"{html_text(p.title)}</strong><br><em>{html_text(p.text)}</em></td></tr>"
        )
        if not pr.indicators:
            rows.append(
                '<tr><td colspan="5">Inga indikatorer angivna i kommunens konfiguration.</td>'
                + status_html(CANT_SAY, "inget att mäta")
                + "</tr>"
            )
        for r in pr.indicators:
            v = r.value
            detail = f'<br><span class="fu-detail">{html_text(v.detail)}</span>' if v.detail else ""
            detail += definition_html(r)
            origin = ' <span class="fu-detail">(EXEMPELDATA)</span>' if is_example(v.origin) else ""
            rows.append(
                "<tr>"
                f"<td>{html_text(r.indicator.name)}{origin}{detail}</td>"
                f"<td>{figure_html(r.key, 'value', v.text or format_value(v.value, r.indicator.unit))}</td>"
                f"<td>{figure_html(r.key, 'interval', interval_text(v, r.indicator.unit))}</td>"
                f"<td>{html_text(baseline_text(r))}</td>"
                f"<td>{html_text(target_text(r.indicator))}</td>"
                f"{status_html(r.status, r.reason, r.key)}</tr>"
            )
    head = (
        "<tr><th>Indikator</th><th>Värde</th><th>95 % osäkerhetsintervall</th><th>Basperiod</th>"
        "<th>Mål</th><th>Status</th></tr>"
    )
    legend = " · ".join(f"{SYMBOLS[s]} {s}" for s in (MET, ON_TRACK, NOT_MET, CANT_SAY))
    example = any(is_example(r.value.origin) for pr in results for r in pr.indicators)
    note = (
        '<p class="fu-detail trygghet-example-note"><strong>EXEMPELDATA:</strong> '
        "indikatorer markerade (EXEMPELDATA) bygger på påhittade siffror, inte kommunens "
        "verkliga data.</p>"
        if example
        else ""
    )
    return (
        f'{CSS}<table class="fu-table fu-first"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
        f'<p class="fu-detail">Status: {html_text(legend)}. Osäkerhetsintervallet är '
        f'95-procentigt; orden förklaras i <a href="ordlista.html">ordlistan</a>.</p>{note}'
    )


def show_first_page(results: Sequence[PromiseResult]) -> None:
    display_html(first_page_html(results))


def display_html(markup: str) -> None:
    """Show HTML markup as a notebook output."""
    from IPython.display import HTML, display

    display(HTML(markup))


def table_html(
    frame: pd.DataFrame, flag_column: str | None = None, origin: str | None = None
) -> str:
    """A small HTML table through the gate (no pandas styling: it prints and reads on a projector).

    ``origin`` (default: the frame's own, for a :func:`~trygghet.present.tables.page_table`)
    "example" or "blandat" adds the EXEMPELDATA line under the table.
    """
    origin = origin if origin is not None else getattr(frame, "origin", None)
    head = "".join(f"<th>{html_text(c)}</th>" for c in frame.columns)
    body = []
    for values in frame.itertuples(index=False, name=None):
        cells = []
        for c, value in zip(frame.columns, values, strict=True):
            text = html_text(value)
            if c == flag_column and text:
                text = f'<span class="fu-flag">⚑ {text}</span>'
            cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    note = (
        f'<p class="fu-detail trygghet-example-note"><strong>{html_text(EXAMPLE_NOTE)}</strong></p>'
        if is_example(origin)
        else ""
    )
    return (
        f'{CSS}<table class="fu-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>{note}"
    )
