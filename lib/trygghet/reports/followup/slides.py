"""Slides for the BRÅ meeting: the follow-up as one slide per promise, offline.

The deck is built in the follow-up's run from the same results as the page
(the records): a title slide with the status count, then per promise its
indicators with status symbol and word, the key chart of the page and the
questions of the decision page, and a last slide with every question. It is
one self-contained HTML file (no reveal.js, nothing fetched): each slide
fills the screen, arrow keys and Page Up/Down move between them, and printed
it gives one landscape A4 page per slide.

The notebook cell that shows the deck is tagged ``slides``: the runner leaves
it out of the report page and writes its output as ``<notebook>_bildspel.html``
beside the page (:func:`trygghet.pipeline.runner.slides_html`).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from typing import Any

from trygghet.present.gate import html_text
from trygghet.present.swedish import fmt_int
from trygghet.reports.followup.decision import decisions
from trygghet.reports.followup.evaluate import PromiseResult, status_counts
from trygghet.reports.followup.tables import display_html
from trygghet.stats.status import SYMBOLS

#: The key chart of each promise as the page drew it: (kommun, period, promise id) -> PNG.
_KEY_CHARTS: dict[tuple[str, int, str], bytes] = {}

SLIDE_CLASS = "trygghet-slide"


def remember_key_chart(context: Any, promise_id: str, figure: Any) -> None:
    """Keep the first chart the page shows for a promise, as PNG, for its slide.

    ``figure`` is the chart image a report published (an IPython ``Image``) or a
    matplotlib figure; a map or anything else is not a slide's chart.
    """
    key = (str(context.kommun), int(context.period), str(promise_id))
    if key in _KEY_CHARTS:
        return
    if isinstance(getattr(figure, "data", None), bytes) and getattr(figure, "format", "") == "png":
        _KEY_CHARTS[key] = figure.data  # the report's own chart image, as the page shows it
    elif hasattr(figure, "savefig"):
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
        _KEY_CHARTS[key] = buffer.getvalue()


def forget_key_charts(context: Any) -> None:
    """Start afresh for this kommun and period (a kernel may be reused between notebooks)."""
    for key in [k for k in _KEY_CHARTS if k[:2] == (str(context.kommun), int(context.period))]:
        del _KEY_CHARTS[key]


def _chart(context: Any, promise_id: str) -> str:
    png = _KEY_CHARTS.get((str(context.kommun), int(context.period), str(promise_id)))
    if png is None:
        return '<p class="ts-note">Diagrammet finns i rapporten.</p>'
    data = base64.b64encode(png).decode("ascii")
    return f'<img class="ts-chart" alt="Löftets nyckeldiagram" src="data:image/png;base64,{data}">'


def _slide(inner: str) -> str:
    return f'<section class="{SLIDE_CLASS}">{inner}</section>'


def slides_html(context: Any, results: Sequence[PromiseResult]) -> str:
    """The slides' sections (the runner wraps them in the deck's page)."""
    counts = status_counts(results)
    summary = " · ".join(f"{SYMBOLS[s]} {fmt_int(n)} {s}" for s, n in counts.items() if n)
    title = (
        f"<h1>Medborgarlöftena i {html_text(context.kommun_name)} {html_text(context.period)}</h1>"
        f'<p class="ts-big">{html_text(summary or "inga indikatorer")}</p>'
        "<p>Uppföljning till BRÅ-mötet. Siffror, intervall och skäl står i rapporten "
        "00_uppfoljning.</p>"
    )
    slides = [_slide(title)]
    every_question = []
    for d in decisions(results, int(context.config.min_count)):
        p = d.result.promise
        rows = (
            "".join(
                f'<li><span aria-hidden="true">{SYMBOLS.get(r.status, "?")}</span> '
                f"<strong>{html_text(r.status)}</strong> – {html_text(r.indicator.name)}: "
                f"{html_text(r.value.text or '–')}</li>"
                for r in d.result.indicators
            )
            or "<li>Inga indikatorer.</li>"
        )
        questions = d.questions()
        every_question += [f"Löfte {p.id}: {q}" for q in questions]
        ask = "".join(f"<li>{html_text(q)}</li>" for q in questions)
        slides.append(
            _slide(
                f"<h2>Löfte {html_text(p.id)}: {html_text(p.title)}</h2>"
                f'<div class="ts-cols"><div><ul class="ts-status">{rows}</ul>'
                f"<h3>Att besluta</h3><ul>{ask}</ul></div>"
                f"<div>{_chart(context, p.id)}</div></div>"
            )
        )
    ask_all = "".join(f"<li>{html_text(q)}</li>" for q in every_question)
    slides.append(_slide(f"<h2>Att besluta på mötet</h2><ol>{ask_all}</ol>"))
    return "".join(slides)


def show_slides(context: Any, results: Sequence[PromiseResult]) -> None:
    """Show the slides' sections (in a cell tagged ``slides``: not on the report page)."""
    display_html(slides_html(context, results))
