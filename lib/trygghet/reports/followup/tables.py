"""The follow-up's HTML tables: the first page (status per indicator) and small plain tables.

The first page shows per promise the kommun's own words, then each
indicator's value, interval, baseline, target and status as symbol *and*
word, never colour alone. Tables are plain escaped HTML, no pandas styling:
they print and read on a projector. Every text that goes into HTML is escaped
with :func:`html.escape`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd

from trygghet.reports.followup.evaluate import PromiseResult
from trygghet.reports.followup.text import baseline_text, format_value, interval_text, target_text
from trygghet.stats.status import CANT_SAY, MET, NOT_MET, ON_TRACK, SYMBOLS

#: The tables' style sheet, written before every table so that each output stands alone.
CSS = """<style>
.fu-table { border-collapse: collapse; width: 100%; font-size: 0.95em; }
.fu-table th, .fu-table td { border: 1px solid #bbb; padding: 0.3em 0.45em; vertical-align: top; text-align: left !important; }
.fu-table th { background: #eee; }
.fu-first td:first-child { width: 28%; }
.fu-promise td { background: #f7f7f7; border-top: 3px solid #0072B2; }
.fu-reason, .fu-detail { font-size: 0.82em; color: #444; }
.fu-flag { font-weight: bold; }
@media print { .fu-table { font-size: 0.8em; } .fu-table tr { break-inside: avoid; } }
</style>"""

#: Background tints of the status cell: a help, never the only carrier (symbol + word are).
STATUS_TINT = {MET: "#e3f1ea", ON_TRACK: "#e6f0f8", NOT_MET: "#fbe7dc", CANT_SAY: "#f0f0f0"}


def status_html(status: str, reason: str = "") -> str:
    """Symbol and word (and a tint that is only a help); the reason in small type."""
    small = f'<br><span class="fu-reason">{html.escape(reason)}</span>' if reason else ""
    return (
        f'<td class="fu-status" style="background:{STATUS_TINT.get(status, "#fff")}">'
        f'<span aria-hidden="true">{SYMBOLS.get(status, "?")}</span> '
        f"<strong>{html.escape(status)}</strong>{small}</td>"
    )


def first_page_html(results: Sequence[PromiseResult]) -> str:
    """The first page: per promise its own words, then one row per indicator with its status."""
    rows = []
    for pr in results:
        p = pr.promise
        rows.append(
            f'<tr class="fu-promise"><td colspan="6"><strong>Löfte {html.escape(p.id)}: '
            f"{html.escape(p.title)}</strong><br><em>{html.escape(p.text)}</em></td></tr>"
        )
        if not pr.indicators:
            rows.append(
                '<tr><td colspan="5">Inga indikatorer angivna i kommunens konfiguration.</td>'
                + status_html(CANT_SAY, "inget att mäta")
                + "</tr>"
            )
        for r in pr.indicators:
            v = r.value
            detail = (
                f'<br><span class="fu-detail">{html.escape(v.detail)}</span>' if v.detail else ""
            )
            origin = (
                ' <span class="fu-detail">(EXEMPELDATA)</span>' if v.origin == "example" else ""
            )
            rows.append(
                "<tr>"
                f"<td>{html.escape(r.indicator.name)}{origin}{detail}</td>"
                f"<td>{html.escape(v.text or format_value(v.value, r.indicator.unit))}</td>"
                f"<td>{html.escape(interval_text(v, r.indicator.unit))}</td>"
                f"<td>{html.escape(baseline_text(r))}</td>"
                f"<td>{html.escape(target_text(r.indicator))}</td>"
                f"{status_html(r.status, r.reason)}</tr>"
            )
    head = (
        "<tr><th>Indikator</th><th>Värde</th><th>95 % KI</th><th>Basperiod</th>"
        "<th>Mål</th><th>Status</th></tr>"
    )
    legend = " · ".join(f"{SYMBOLS[s]} {s}" for s in (MET, ON_TRACK, NOT_MET, CANT_SAY))
    return (
        f'{CSS}<table class="fu-table fu-first"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
        f'<p class="fu-detail">Status: {html.escape(legend)}. KI = 95-procentigt '
        "konfidensintervall.</p>"
    )


def show_first_page(results: Sequence[PromiseResult]) -> None:
    display_html(first_page_html(results))


def display_html(markup: str) -> None:
    """Show HTML markup as a notebook output."""
    from IPython.display import HTML, display

    display(HTML(markup))


def table_html(frame: pd.DataFrame, flag_column: str | None = None) -> str:
    """A small escaped HTML table (no pandas styling: it prints and reads on a projector)."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for _, row in frame.iterrows():
        cells = []
        for c in frame.columns:
            text = html.escape(str(row[c]))
            if c == flag_column and text:
                text = f'<span class="fu-flag">⚑ {text}</span>'
            cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'{CSS}<table class="fu-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
