"""The start of the national page: parameters resolved, chart style set, header shown."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from trygghet import paths
from trygghet.present import glossary, style
from trygghet.present.gate import html_text
from trygghet.reports.national.analysis import NationalContext, parse_kommuner
from trygghet.reports.national.text import batch_text


def header_html(context: NationalContext) -> str:
    return (
        '<div class="trygghet-header">'
        f"<p><strong>Riket</strong> · {html_text(batch_text(context.codes))} i körningen"
        f" · period {context.period} · {glossary.link_html()}</p></div>"
    )


def start(
    period: int | str,
    kommuner: str | Sequence[str],
    shared_data: str | Path = "",
    outputs: str | Path = "",
) -> NationalContext:
    """Resolve the parameters, style the charts and show the header (no kommun config needed).

    ``outputs`` is the outputs root whose kommun runs' records the overview
    reads; empty means :data:`trygghet.paths.OUTPUTS_DIR`.
    """
    from IPython.display import HTML, display

    codes = parse_kommuner(kommuner)
    mirror = Path(shared_data) if shared_data else paths.shared_data_dir()
    root = Path(outputs) if outputs else paths.OUTPUTS_DIR
    context = NationalContext(period=int(period), codes=codes, shared_data=mirror, outputs=root)
    style.apply_style()
    display(HTML(header_html(context)))
    return context
