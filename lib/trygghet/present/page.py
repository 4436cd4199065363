"""What every report notebook does first and last: context, header, banners, summary.

A notebook's first code cell after its parameters calls :func:`start`; it loads
the kommun's configuration, applies the chart style and shows a header that
says which kommun, which period and what kind of report this is. Data banners
say where the data came from, so that example data is never mistaken for the
kommun's own. :func:`summary` shows the report's key sentence and tags it, so
that the runner can put it on the index page without reading the notebook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from trygghet import paths
from trygghet.config import KommunConfig, load_or_default
from trygghet.present import glossary
from trygghet.present.gate import clean_text, html_paragraphs, html_text

SUMMARY_METADATA_KEY = "trygghet_summary"
#: Metadata key saying the summary rests (partly) on example data; the index page marks it.
SUMMARY_ORIGIN_KEY = "trygghet_summary_origin"

# Origins of the banners shown since the report's start() (a kernel may be
# reused between notebooks, so start() empties it).
_SHOWN_ORIGINS: list[str] = []

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
    #: Where this run's indicator records are written and read
    #: (:mod:`trygghet.stats.records`); the runner points it at the run's staging.
    records_dir: Path | None = None

    @property
    def records_folder(self) -> Path:
        """The records folder: the run's, else the kommun's published one."""
        return self.records_dir or paths.records_dir(self.kommun, self.period)

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
    kommun: str,
    period: int | str,
    title: str,
    shared_data: str | Path = "",
    records_dir: str | Path = "",
) -> ReportContext:
    """Resolve the notebook's parameters, style the charts and show the header.

    ``records_dir`` is where the run's indicator records live; empty (a
    notebook opened in JupyterLab) means the published records of the kommun
    and period (:func:`trygghet.paths.records_dir`).
    """
    from trygghet.present import style

    config = load_or_default(str(kommun))
    mirror = Path(shared_data) if shared_data else paths.shared_data_dir()
    records = Path(records_dir) if records_dir else paths.records_dir(config.code, int(period))
    context = ReportContext(
        config=config, period=int(period), title=title, shared_data=mirror, records_dir=records
    )
    style.apply_style()
    _SHOWN_ORIGINS.clear()
    _display_html(header_html(context))
    return context


def header_html(context: ReportContext) -> str:
    return (
        '<div class="trygghet-header">'
        f"<p><strong>{html_text(context.kommun_name)} kommun</strong> "
        f"({context.kommun}, {html_text(context.config.lan_name)}) · period {context.period}"
        f" · {glossary.link_html()}</p>"
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
    extra = f" {html_text(detail)}" if detail else ""
    return (
        f'<div class="trygghet-banner" style="{style}">'
        f"Data: {html_text(source)} – {html_text(label)}.{extra}</div>"
    )


def banner(source: str, origin: str, detail: str = "") -> None:
    """Show where data came from; the report's summary is marked if any of it is example data."""
    _SHOWN_ORIGINS.append(origin)
    _display_html(banner_html(source, origin, detail))


def summary_origin() -> str:
    """ "example" if a banner shown since start() was example (or mixed) data, else "real"."""
    return "example" if any(o in {"example", "blandat"} for o in _SHOWN_ORIGINS) else "real"


def summary(text: str) -> None:
    """Show the report's key text and tag its first sentence (and origin) for the index page."""
    first = clean_text(text).strip().split("\n", 1)[0]
    origin = summary_origin()
    mark = (
        '<p class="trygghet-example-mark"><strong>EXEMPELDATA:</strong> '
        "sammanfattningen bygger på påhittade siffror.</p>"
        if origin == "example"
        else ""
    )
    _display_html(
        f'<div class="trygghet-summary"><p>{html_text(text)}</p>{mark}</div>',
        metadata={SUMMARY_METADATA_KEY: first, SUMMARY_ORIGIN_KEY: origin},
    )


def narrative(text: str) -> None:
    """Show a generated narrative paragraph (without tagging it as the summary)."""
    _display_html(f'<div class="trygghet-narrative">{html_paragraphs(text)}</div>')
