"""What every report notebook does first and last: context, header, banners, summary.

A notebook's first code cell after its parameters calls :func:`start`; it loads
the kommun's configuration, applies the chart style and shows a header that
says which kommun, which period and what kind of report this is. Data banners
say where the data came from, so that example data is never mistaken for the
kommun's own. :func:`summary` shows the report's key sentence and tags it, so
that the runner can put it on the index page without reading the notebook.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from trygghet import paths
from trygghet.config import KommunConfig, load_or_default

SUMMARY_METADATA_KEY = "trygghet_summary"

ORIGIN_LABELS = {
    "real": "verkliga öppna data",
    "fetched": "hämtade från källan",
    "example": "EXEMPELDATA – påhittade siffror, inte kommunens verkliga data",
}


@dataclass(frozen=True)
class ReportContext:
    """The parameters of one report run, resolved and validated."""

    config: KommunConfig
    period: int
    title: str
    shared_data: Path
    origins: dict[str, str] = field(default_factory=dict)

    @property
    def kommun(self) -> str:
        return self.config.code

    @property
    def kommun_name(self) -> str:
        return self.config.name

    @property
    def lan_code(self) -> str:
        return self.config.lan_code


def _display_html(markup: str, metadata: dict | None = None) -> None:
    from IPython.display import HTML, display

    display(HTML(markup), metadata=metadata or {})


def start(
    kommun: str, period: int | str, title: str, shared_data: str | Path = ""
) -> ReportContext:
    """Resolve the notebook's parameters, style the charts and show the header."""
    from trygghet.present import style

    config = load_or_default(str(kommun))
    mirror = Path(shared_data) if shared_data else paths.shared_data_dir()
    context = ReportContext(config=config, period=int(period), title=title, shared_data=mirror)
    style.apply_style()
    _display_html(header_html(context))
    return context


def header_html(context: ReportContext) -> str:
    return (
        '<div class="trygghet-header">'
        f"<p><strong>{html.escape(context.kommun_name)} kommun</strong> "
        f"({context.kommun}, {html.escape(context.config.lan_name)}) · period {context.period}</p>"
        + (
            "<p><em>Kommunen har ingen egen konfiguration: områden och löften är "
            "genererade standardval, inte kommunens egna.</em></p>"
            if context.config.source_file.startswith("(genererad")
            else ""
        )
        + "</div>"
    )


def banner_html(source: str, origin: str, detail: str = "") -> str:
    """A visible box saying where a table's data came from; example data stands out."""
    label = ORIGIN_LABELS.get(origin, origin)
    style = (
        "border:3px solid #b45f06;background:#fff2cc;padding:0.6em;font-weight:bold"
        if origin == "example"
        else "border:1px solid #999;background:#f3f3f3;padding:0.4em"
    )
    extra = f" {html.escape(detail)}" if detail else ""
    return f'<div class="trygghet-banner" style="{style}">Data: {html.escape(source)} – {label}.{extra}</div>'


def banner(source: str, origin: str, detail: str = "") -> None:
    _display_html(banner_html(source, origin, detail))


def summary(text: str) -> None:
    """Show the report's key text and tag its first sentence for the index page."""
    first = text.strip().split("\n", 1)[0]
    _display_html(
        f'<div class="trygghet-summary"><p>{html.escape(text)}</p></div>',
        metadata={SUMMARY_METADATA_KEY: first},
    )


def narrative(text: str) -> None:
    """Show a generated narrative paragraph (without tagging it as the summary)."""
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    _display_html(f'<div class="trygghet-narrative">{paragraphs}</div>')
