"""The project's chart style: readable on a projector, safe for colour blindness.

Charts are shown in BRÅ meetings on a projector and printed in reports, so the
fonts are large (seaborn's "talk"-like sizes), the background is white with a
light grid, and the colours come from the Okabe–Ito palette, which stays
distinguishable for the common forms of colour blindness. Nothing here selects
a GUI backend: the module works under Agg (batch runs) and in notebooks alike.

Every chart leaves through :func:`finish` or :func:`mark_example`, and both
raise any text in it that would be shown smaller than :data:`MIN_TEXT_PX` on a
1280 px wide screen (a projector), whatever size the chart's own code asked
for: a chart wider than the page column is scaled down by the browser, so its
text has to be larger in the image (:func:`min_text_image_px`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from IPython.display import HTML
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

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


#: The smallest text a chart may show, in CSS px as displayed at 1280 px width.
MIN_TEXT_PX: float = 14.0
#: How wide the report page shows a chart at 1280 px width, at least (report.css gives
#: charts, tables and maps a 1240 px column; the readability test checks it).
SHOWN_WIDTH_PX: float = 1200.0
#: A little above the limit, so rounding in the browser's scaling never dips below it.
_TEXT_MARGIN_PX = 0.5


def shown_scale(image_width_px: float) -> float:
    """How much the page shrinks a chart image ``image_width_px`` wide (1 = not at all)."""
    return min(1.0, SHOWN_WIDTH_PX / image_width_px) if image_width_px > 0 else 1.0


def min_text_image_px(image_width_px: float) -> float:
    """The smallest text, in the image's own pixels, of a chart image this wide.

    Shown at ``shown_scale(image_width_px)`` it is :data:`MIN_TEXT_PX` on the screen.
    """
    return MIN_TEXT_PX / shown_scale(image_width_px)


def _shown_text(fig: Figure) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _image_width_px(fig: Figure) -> float:
    """The width of the PNG a notebook shows (IPython saves at ``fig.dpi``, bbox tight).

    A figure with a layout engine (constrained layout) is drawn first, so that the
    engine has placed everything; without one, the tight box is measured directly
    (a full draw cost more than half of the measuring, and measuring is a fifth of
    a report's run: issue 16).
    """
    if _places_at_draw(fig):
        fig.draw_without_rendering()  # the engine places everything, then it is measured
    box = fig.get_tightbbox()
    _remember_box(fig, box)
    return float(box.width) * float(fig.dpi)


def _places_at_draw(fig: Figure) -> bool:
    """Whether ``fig``'s layout engine places its axes when drawn (constrained layout).

    tight_layout() leaves a placeholder engine that places nothing.
    """
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    engine = fig.get_layout_engine()
    return engine is not None and not isinstance(engine, PlaceHolderLayoutEngine)


# The tight box a measurement found is the box the chart's PNG is cropped to, as
# long as nothing in the figure changed since: drawing the PNG then needs no
# layout pass and no second measurement of its own (a third of a chart's
# printing, issue 16). A constrained layout was computed by the measuring draw,
# on the same figure, so it is not computed again either. Matplotlib reports
# every change of an artist up to its figure as `stale = True`, so once
# readable_text has found nothing to raise the figure is marked fresh (reading
# tick labels makes it stale without changing what is drawn) and the box is
# used only while it still is.
_BOX_ATTR = "_trygghet_tight_box"


def _remember_box(fig: Figure, box: object) -> None:
    fig.__dict__[_BOX_ATTR] = box


def _keep_box(fig: Figure) -> None:
    """The last measurement is the finished figure's box: mark the figure unchanged since."""
    if fig.__dict__.get(_BOX_ATTR) is not None:
        fig.stale = False


def _forget_box(fig: Figure) -> None:
    fig.__dict__[_BOX_ATTR] = None


def _measured_box(fig: Figure) -> object | None:
    """The tight box of the last measurement, if the figure has not changed since."""
    box = fig.__dict__.get(_BOX_ATTR)
    return None if box is None or fig.stale else box


def readable_text(fig: Figure) -> Figure:
    """Raise every text of ``fig`` that would be shown smaller than :data:`MIN_TEXT_PX`.

    Tick labels are raised through ``tick_params``, so ticks drawn later get the
    size too. Larger text can widen the image (a legend beside the axes), which
    shrinks it on the page: the floor is computed once more after the first
    raise, not more (each raise widens the image a little less).
    """
    _measured_readable(fig)
    return fig


def _measured_readable(fig: Figure) -> bool:
    """:func:`readable_text`; whether it raised any text."""
    for attempt in range(2):
        if not _raise_text(fig, _floor_pt(fig, _image_width_px(fig))):
            _keep_box(fig)
            return attempt > 0
    _forget_box(fig)  # measured before the last raise: no longer the chart's box
    return True


def _floor_pt(fig: Figure, image_width_px: float) -> float:
    """The smallest font size, in points, of a chart whose image is this wide."""
    return (min_text_image_px(image_width_px) + _TEXT_MARGIN_PX) * 72 / fig.dpi


def _raise_text(fig: Figure, floor_pt: float) -> bool:
    """Raise every text below ``floor_pt`` to it; whether anything was raised."""
    raised = False
    for ax in fig.axes:
        for axis, name in ((ax.xaxis, "x"), (ax.yaxis, "y")):
            labels = [t for t in axis.get_ticklabels() if t.get_text().strip()]
            if any(t.get_fontsize() < floor_pt for t in labels):
                ax.tick_params(axis=name, which="both", labelsize=floor_pt)
                raised = True
    for text in _shown_text(fig):
        if text.get_fontsize() < floor_pt - 1e-6:
            text.set_fontsize(floor_pt)
            raised = True
    return raised


def smallest_text_image_px(fig: Figure) -> float:
    """The smallest text of ``fig`` in its PNG's pixels (at ``fig.dpi``); inf without text."""
    sizes = [t.get_fontsize() for t in _shown_text(fig)]
    return min(sizes) * fig.dpi / 72 if sizes else float("inf")


#: Written into every chart PNG a notebook shows: its smallest text, in the image's pixels
#: (what the readability test multiplies by the page's scaling of the image).
TEXT_SIZE_KEY = "trygghet-smallest-text-px"


#: PNG compression of the charts: zlib level 3 instead of Pillow's 6 encodes a
#: report chart in two thirds of the time (1600 x 840 px: 33 ms instead of 49 ms,
#: a quarter of its drawing) for a file 2 % larger; the pixels are the same.
PNG_OPTIONS = {"compress_level": 3}


def chart_png(fig: Figure) -> str | None:
    """The chart as a notebook shows it (IPython's PNG: ``fig.dpi``, bbox tight), base64.

    The same image IPython's own formatter makes, with the size of its smallest
    text written into the PNG (:data:`TEXT_SIZE_KEY`). None for an empty figure.
    """
    from IPython.core.pylabtools import print_figure

    size = smallest_text_image_px(fig)
    metadata = {TEXT_SIZE_KEY: f"{size:.2f}"} if size != float("inf") else {}
    box = _measured_box(fig)
    if box is None or not fig.axes:
        return print_figure(fig, "png", base64=True, metadata=metadata, pil_kwargs=PNG_OPTIONS)
    # IPython's print_figure with the box already measured (the same padding as "tight").
    # Matplotlib draws a figure once more before printing whenever it has a layout
    # engine, even the placeholder tight_layout() leaves, which places nothing: the
    # box was measured on the laid-out figure, so that draw is left out too.
    import matplotlib as mpl

    with _without_layout_engine(fig):
        return print_figure(
            fig,
            "png",
            base64=True,
            metadata=metadata,
            pil_kwargs=PNG_OPTIONS,
            bbox_inches=box.padded(mpl.rcParams["savefig.pad_inches"]),
        )


@contextmanager
def _without_layout_engine(fig: Figure) -> Iterator[None]:
    """No layout engine while printing a figure laid out and measured as it is (see above)."""
    engine = fig.get_layout_engine()
    if engine is None:
        yield
        return
    fig._layout_engine = None  # set_layout_engine("none") would keep a placeholder
    try:
        yield
    finally:
        fig._layout_engine = engine


def _show_charts_with_text_size() -> None:
    """In a notebook, show figures through :func:`chart_png` (outside one, do nothing)."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    import matplotlib.pyplot as plt

    # The inline backend registers its own PNG formatter when it is loaded (at the
    # first figure); load it now so that ours, registered after it, is the one used.
    plt.close(plt.figure())
    shell.display_formatter.formatters["image/png"].for_type(Figure, chart_png)


def apply_style() -> None:
    """Set the seaborn/matplotlib theme used by every chart of the project.

    In a notebook it also makes shown charts carry their smallest text size.
    """
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
    _show_charts_with_text_size()


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
    """Write EXEMPELDATA into the chart image itself, so a copied chart keeps the mark.

    The chart's last step before a page shows it: its text is also made
    readable on a projector (:func:`readable_text`).
    """
    _mark(fig, origin)
    return readable_text(fig)


def _mark(fig: Figure, origin: str | None) -> None:
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


def finish(
    fig: Figure,
    origin: str | None = None,
    *,
    top: float | None = None,
    rect: tuple[float, float, float, float] | None = None,
) -> Figure:
    """Make a finished figure's text readable, tighten its layout, mark example data.

    ``top`` (a figure fraction) keeps room above the axes, e.g. for the mark above
    a grid of titled panels; ``rect`` is the part of the figure the axes are fitted
    into (tight_layout's), e.g. to leave room for a legend or note below them.
    Given here rather than adjusted afterwards, the chart is measured as it is
    printed, and printed without being measured again. A figure with constrained
    layout is laid out by its engine instead. Returns the figure (for display).
    """
    # Text is raised before the layout is tightened, so that the layout makes room
    # for it. Its floor is that of an image as wide as the figure: the same floor
    # as a measured one for every chart up to the page column's width, without
    # measuring (a measurement costs as much as drawing the chart: issue 16).
    # The last step measures the laid-out chart; should a wider image still need
    # larger text, the layout is tightened once more around it.
    # The EXEMPELDATA mark is placed first, so that it is raised with the rest: left
    # at its own size, it was below the floor of every chart wider than the column,
    # and raising it at the measurement cost a second measurement and layout.
    _mark(fig, origin)
    _raise_text(fig, _floor_pt(fig, fig.get_figwidth() * fig.dpi))
    _tighten(fig, top, rect)
    if _measured_readable(fig):  # the laid-out chart needed larger text still
        _tighten(fig, top, rect)
        readable_text(fig)
    return fig


def _tighten(
    fig: Figure, top: float | None, rect: tuple[float, float, float, float] | None
) -> None:
    if _places_at_draw(fig):
        return  # constrained layout: the engine places everything when the figure is drawn
    fig.tight_layout(rect=rect)
    if top is not None:
        fig.subplots_adjust(top=top)
