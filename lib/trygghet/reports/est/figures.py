"""The lägesbild's charts: reports per week against the expected band, the
category-by-week heatmap and the recurring places, with their captions.

Labels from the data (places, categories) go through
:func:`trygghet.present.gate.chart_text`; charts and captions of example data
are marked EXEMPELDATA; heatmap cells the small-number rule hides are drawn
as "fåtal" in a neutral colour (their shade would give the count back).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from trygghet.present import small_numbers, style
from trygghet.present.gate import chart_text
from trygghet.present.swedish import fmt_int, plural
from trygghet.reports.est.agenda import capital
from trygghet.reports.est.analysis import Picture
from trygghet.reports.est.expected import band_series
from trygghet.reports.est.repeats import RECURRING_DEFINITION, REPEAT_WINDOW, recurring_counts
from trygghet.reports.est.verdicts import ELEVATED_VERDICTS
from trygghet.reports.est.weeks import WEEK, weekly_counts
from trygghet.sources.est_reports import CATEGORIES


def chart_weeks(pic: Picture, n: int = 26) -> list[pd.Timestamp]:
    """Weeks drawn: the last ``n`` up to the selected week, or the year up to the tertial's end."""
    end = pic.selection.end
    n = n if pic.selection.mode == "vecka" else max(n, 52)
    return [w for w in (end - d * WEEK for d in range(n - 1, -1, -1)) if w >= pic.data.first]


def weekly_band(pic: Picture, n: int = 26) -> pd.DataFrame:
    """Data of the weekly chart: EST reports per week with expected value and band."""
    series = pic.data.sources["est"].counts["alla"]
    return band_series(series.loc[series.index <= pic.selection.end], chart_weeks(pic, n))


def plot_weekly(pic: Picture, n: int = 26) -> Figure:
    """Bars of EST reports per week with the expected band; the selected weeks highlighted."""
    band = weekly_band(pic, n)
    fig, ax = style.new_figure((11, 5.5))
    x = np.arange(len(band))
    edges = np.append(x - 0.5, x[-1] + 0.5) if len(x) else x

    def stairs(column: str) -> np.ndarray:
        values = band[column].to_numpy(dtype=float)
        return np.append(values, values[-1]) if len(values) else values

    ax.fill_between(
        edges,
        stairs("low"),
        stairs("high"),
        step="post",
        color=style.PALETTE[5],
        alpha=0.25,
        zorder=1,
    )
    ax.step(edges, stairs("expected"), where="post", color=style.PALETTE[0], linewidth=2, zorder=3)
    selected = band["week"].isin(pic.selection.weeks).to_numpy()
    elevated = band["verdict"].isin(ELEVATED_VERDICTS).to_numpy()
    colours = np.where(elevated, style.HIGHLIGHT, np.where(selected, style.PRIMARY, style.MUTED))
    ax.bar(x, band["observed"], color=colours, width=0.7, zorder=2)
    step = max(1, len(band) // 13)
    ax.set_xticks(x[::step], [f"v{w.isocalendar()[1]}" for w in band["week"]][::step])
    style.count_axis(ax)
    ax.set_ylabel("antal rapporter")
    ax.set_title(f"EST-rapporter per vecka t.o.m. {pic.selection.label}")
    handles = [
        Patch(color=style.PRIMARY, label="vald period"),
        Patch(color=style.HIGHLIGHT, label="förhöjt"),
        Patch(color=style.MUTED, label="övriga veckor"),
        plt.Line2D([], [], color=style.PALETTE[0], linewidth=2, label="väntat"),
        Patch(color=style.PALETTE[5], alpha=0.25, label="väntat intervall\n(9 av 10 veckor)"),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1, 1))
    return style.finish(fig, pic.data.origin)


def heatmap_table(pic: Picture, n: int = 12) -> pd.DataFrame:
    """Reports per category (rows) and week (columns) for the heatmap."""
    weeks = list(pic.selection.weeks) if pic.selection.mode == "tertial" else chart_weeks(pic, n)
    r = pic.data.reports
    table = weekly_counts(r["week_start"], weeks[0], weeks[-1], r["category"], CATEGORIES)
    return table.T


def plot_heatmap(pic: Picture, n: int = 12) -> Figure:
    """Category-by-week heatmap of EST reports, counts written in the cells."""
    table = heatmap_table(pic, n)
    # Each week's total is drawn in the weekly chart: the columns' sums are known.
    hidden = small_numbers.hidden_mask(table, pic.data.min_count, margins="columns").to_numpy()
    fig, ax = style.new_figure((12, 5.5))
    values = table.to_numpy()
    shown = np.ma.masked_array(values, mask=hidden)
    top = max(3, int(shown.max()) if shown.count() else 0)
    ax.imshow(shown, aspect="auto", cmap="Blues", vmin=0, vmax=top)
    ax.set_yticks(range(len(table.index)), [chart_text(c) for c in table.index])
    ax.set_xticks(range(table.shape[1]), [f"v{w.isocalendar()[1]}" for w in table.columns])
    ax.grid(False)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            if hidden[i, j]:
                ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, color="#E5E5E5", zorder=2))
                word = small_numbers.count_text(values[i, j], True, pic.data.min_count)
                ax.text(j, i, word, ha="center", va="center", fontsize=9, zorder=3)
            elif values[i, j]:
                dark = values[i, j] > 0.6 * top
                ax.text(
                    j,
                    i,
                    fmt_int(values[i, j]),
                    ha="center",
                    va="center",
                    color="white" if dark else "black",
                    fontsize=12,
                )
    if pic.selection.mode == "vecka":
        ax.axvline(table.shape[1] - 1.5, color=style.HIGHLIGHT, linewidth=3)
    ax.set_title(f"EST-rapporter per kategori och vecka t.o.m. {pic.selection.label}")
    return style.finish(fig, pic.data.origin)


def plot_recurring_places(table: pd.DataFrame, origin: str) -> Figure:
    """Horizontal bars of a :func:`~trygghet.reports.est.repeats.recurring_places` table.

    One week: weeks with reports of the last six; a longer span (a tertial, a
    year): weeks the place was recurring of the span's weeks. Orange = no
    measure (:data:`~trygghet.reports.est.repeats.RECURRING_DEFINITION`).
    The title names the span (``table.attrs["label"]``).
    """
    r = table.iloc[::-1]
    weeks = table.attrs.get("weeks", ())
    label = table.attrs.get("label", "")
    one_week = len(weeks) <= 1
    fig, ax = style.new_figure((11, max(3.0, 0.6 * len(r) + 1.8)))
    if r.empty:
        ax.text(
            0.5,
            0.5,
            f"Inga återkommande platser {label}".strip(),
            ha="center",
            va="center",
            transform=ax.transAxes,
            fontsize=16,
        )
        ax.set_axis_off()
    else:
        colours = [style.PRIMARY if h else style.HIGHLIGHT for h in r["has_measure"]]
        y = np.arange(len(r))
        if one_week:
            ax.barh(y, r["weeks_with_reports"], color=colours)
            ax.set_xlim(0, REPEAT_WINDOW)
            ax.set_xlabel(f"veckor med minst en rapport, av de senaste {REPEAT_WINDOW}")
        else:
            ax.barh(y, r["weeks_recurring"], color=colours)
            ax.set_xlim(0, len(weeks))
            ax.set_xlabel(f"veckor som platsen var återkommande, av periodens {len(weeks)}")
        ax.set_yticks(y, [chart_text(p) for p in r["place"]])
        style.count_axis(ax, "x")
        ax.grid(axis="y", visible=False)
        ax.legend(
            handles=[
                Patch(color=style.HIGHLIGHT, label="ingen åtgärd"),
                Patch(color=style.PRIMARY, label="har åtgärd"),
            ],
            loc="upper left",
            bbox_to_anchor=(1, 1),
        )
    ax.set_title(f"Återkommande platser {chart_text(label)}".strip())
    return style.finish(fig, origin)


def plot_repeat_places(pic: Picture) -> Figure:
    """The recurring places of the lägesbild's selection (:func:`plot_recurring_places`)."""
    return plot_recurring_places(pic.repeat, pic.data.origin)


def recurring_caption(table: pd.DataFrame, origin: str) -> object:
    """The caption of :func:`plot_recurring_places`: the count, what a bar is, the definition.

    The caption carries :data:`~trygghet.reports.est.repeats.RECURRING_DEFINITION`,
    so the definition goes wherever the chart goes (the follow-up shows it too).
    """
    n_with, n = recurring_counts(table)
    weeks = table.attrs.get("weeks", ())
    label = table.attrs.get("label", "")
    count = (
        f"{capital(label)}: {plural(n, 'återkommande plats', 'återkommande platser')}, "
        f"{fmt_int(n_with)} med åtgärd."
        if label
        else ""
    )
    bars = (
        f"Stapeln visar hur många av de senaste {REPEAT_WINDOW} veckorna platsen hade rapporter"
        if len(weeks) <= 1
        else f"Stapeln visar hur många av periodens {len(weeks)} veckor platsen var återkommande"
    )
    text = " ".join(
        t for t in (count, f"{bars}; orange = ingen åtgärd.", RECURRING_DEFINITION) if t
    )
    return style.caption(text, _source(origin), origin)


def _source(origin: str) -> str:
    return "EST-partnernas veckorapporter" + (
        "" if style.is_example(origin) else " (kommunens egna data)"
    )


def figure_caption(pic: Picture, which: str) -> object:
    """The caption for chart ``which`` ("weekly", "heatmap", "repeat")."""
    if which == "repeat":
        return recurring_caption(pic.repeat, pic.data.origin)
    label = pic.selection.label
    texts = {
        "weekly": (
            f"EST-partnernas rapporter per vecka fram till {label}. Staplar: antal (blå = vald "
            "period, orange = förhöjt, grå = övriga veckor). Linjen är det väntade antalet och "
            "det ljusa bandet det väntade intervallet, räknat från samma veckor tidigare år."
        ),
        "heatmap": (
            f"Antal EST-rapporter per kategori och vecka fram till {label}; mörkare ruta = fler "
            "rapporter, tom ruta = inga."
        ),
    }
    origin = pic.data.origin
    return style.caption(texts[which], _source(origin), origin)
