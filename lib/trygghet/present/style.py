"""The project's chart style: readable on a projector, safe for colour blindness.

Charts are shown in BRÅ meetings on a projector and printed in reports, so the
fonts are large (seaborn's "talk"-like sizes), the background is white with a
light grid, and the colours come from the Okabe–Ito palette, which stays
distinguishable for the common forms of colour blindness. Nothing here selects
a GUI backend: the module works under Agg (batch runs) and in notebooks alike.
"""

from __future__ import annotations

from IPython.display import HTML
from matplotlib.axes import Axes
from matplotlib.figure import Figure

#: Okabe–Ito colours (Okabe & Ito 2008), black last.
PALETTE: list[str] = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
]
#: The series the reader should look at (the kommun, the chosen year).
HIGHLIGHT: str = "#D55E00"
#: Context series (other years, other kommuner).
MUTED: str = "#B0B0B0"
#: Main colour of single-series charts.
PRIMARY: str = "#0072B2"


def apply_style() -> None:
    """Set the seaborn/matplotlib theme used by every chart of the project."""
    import seaborn as sns

    sns.set_theme(
        context="talk",
        style="whitegrid",
        palette=PALETTE,
        font_scale=0.8,
        rc={
            "figure.figsize": (10, 5.5),
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "axes.titlesize": "large",
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "grid.color": "#E5E5E5",
            "legend.frameon": False,
            "axes.formatter.use_locale": False,
        },
    )


#: What a caption and a chart image say when they are built on example data.
EXAMPLE_MARK = "EXEMPELDATA"
EXAMPLE_CAPTION = "EXEMPELDATA – påhittade siffror, inte kommunens verkliga data."


def is_example(origin: str | None) -> bool:
    """Whether a source's origin ("real", "fetched", "example", "blandat") includes example data."""
    return origin in {"example", "blandat"}


def caption(text: str, source: str, origin: str = "real") -> HTML:
    """A caption to display under a chart: "Figur: … Källa: …", marked when data are examples.

    ``origin`` is the origin of the data the chart is built on (for several
    sources: "example" if any of them is); text goes through the page gate.
    """
    from trygghet.present.gate import html_text

    mark = (
        f' <strong class="trygghet-example-mark">{html_text(EXAMPLE_CAPTION)}</strong>'
        if is_example(origin)
        else ""
    )
    return HTML(
        '<p class="trygghet-caption" style="font-size:0.9em;color:#444;margin-top:0">'
        f"<em>Figur:</em> {html_text(text)} <em>Källa:</em> {html_text(source)}{mark}</p>"
    )


def mark_example(fig: Figure, origin: str | None) -> Figure:
    """Write EXEMPELDATA into the chart image itself, so a copied chart keeps the mark."""
    if is_example(origin):
        fig.text(
            0.995,
            0.995,
            EXAMPLE_MARK,
            ha="right",
            va="top",
            fontsize=13,
            fontweight="bold",
            color="#b45f06",
            bbox={"boxstyle": "round,pad=0.25", "fc": "#fff2cc", "ec": "#b45f06", "lw": 1.5},
            gid="trygghet-example-mark",
        )
    return fig


def new_figure(size: tuple[float, float] = (10, 5.5)) -> tuple[Figure, Axes]:
    """A figure and its axes, closed in pyplot: it is shown by being returned from a cell.

    Closing it stops pyplot's end-of-cell display from showing it a second time.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=size)
    plt.close(fig)
    return fig, ax


def count_axis(ax: Axes, axis: str = "y") -> None:
    """Whole-number ticks in Swedish format on a count axis."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from trygghet.present.swedish import fmt_int

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(integer=True))
    target.set_major_formatter(FuncFormatter(lambda value, _pos: fmt_int(value)))


def finish(fig: Figure, origin: str | None = None) -> Figure:
    """Tighten the layout of a finished figure, mark example data, return it (for display)."""
    fig.tight_layout()
    return mark_example(fig, origin)
