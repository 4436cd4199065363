"""Charts of the places report (the maps are in :mod:`~trygghet.reports.places.maps`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter, NullLocator

from trygghet.present import style
from trygghet.present.swedish import MONTHS_SHORT, fmt_int, fmt_number, fmt_percent
from trygghet.reports.places.analysis import PlacesAnalysis
from trygghet.reports.places.counts import monthly_by_category
from trygghet.reports.places.text import VERDICT_LABELS
from trygghet.stats.trend import DECREASING, INCREASING


def _category_colours(categories: Sequence[str]) -> list[str]:
    colours = []
    for i, cat in enumerate(categories):
        colours.append(style.MUTED if cat == "annat" else style.PALETTE[i % len(style.PALETTE)])
    return colours


def plot_monthly_by_category(a: PlacesAnalysis, kommun_name: str = "") -> Figure:
    """Stacked bars: reports per month of the period by category."""
    table = monthly_by_category(a.reports, a.period)
    table = table.loc[:, table.sum() > 0] if table.to_numpy().sum() else table
    fig, ax = style.new_figure((11, 6))
    bottom = np.zeros(12)
    for column, colour in zip(table.columns, _category_colours(table.columns), strict=True):
        ax.bar(range(12), table[column], bottom=bottom, color=colour, label=column, width=0.8)
        bottom += table[column].to_numpy()
    ax.set_xticks(range(12), MONTHS_SHORT)
    style.count_axis(ax)
    ax.set_ylabel("antal anmälningar")
    ax.set_title(
        f"Anmälningar om otrygga platser per månad {a.period}"
        + (f", {kommun_name}" if kommun_name else "")
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1), title="kategori")
    return style.finish(fig)


def plot_category_change(a: PlacesAnalysis) -> Figure:
    """Horizontal bars per category this period; last year as a black mark; verdict labels."""
    cats = a.change[a.change["category"] != "alla kategorier"].iloc[::-1]
    fig, ax = style.new_figure((11, 0.55 * len(cats) + 2))
    y = np.arange(len(cats))
    colours = [
        style.HIGHLIGHT if v in (INCREASING, DECREASING) else style.PRIMARY for v in cats["verdict"]
    ]
    ax.barh(y, cats["count"], color=colours, height=0.7, label=str(a.period))
    if cats["prev_count"].notna().any():
        ax.scatter(
            cats["prev_count"], y, marker="|", s=400, linewidths=3, color="black",
            label=str(a.period - 1), zorder=3,
        )  # fmt: skip
    xmax = float(np.nanmax([cats["count"].max(), cats["prev_count"].max(), 1]))
    for yi, v in zip(y, cats["verdict"], strict=True):
        ax.text(xmax * 1.03, yi, VERDICT_LABELS[v], va="center", fontsize="small")
    ax.set_xlim(0, xmax * 1.45)
    ax.set_yticks(y, cats["category"])
    style.count_axis(ax, "x")
    ax.set_xlabel("antal anmälningar")
    span = f" ({a.window.months_text})" if a.window.months_text else ""
    ax.set_title(f"Anmälningar per kategori {a.period} mot {a.period - 1}{span}")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return style.finish(fig)


def plot_completion(a: PlacesAnalysis) -> Figure:
    """Dot plot: share of measures done by the deadline per responsible party, Wilson CI."""
    c = a.completion_by_responsible.sort_values("share")
    fig, ax = style.new_figure((10, 0.6 * max(len(c), 1) + 2))
    if c.empty:
        ax.text(0.5, 0.5, "Inga åtgärder med sista dag under perioden", ha="center")
        ax.set_axis_off()
        return style.finish(fig)
    y = np.arange(len(c))
    ax.hlines(y, c["low"], c["high"], color=style.PRIMARY, linewidth=3)
    ax.plot(c["share"], y, "o", color=style.HIGHLIGHT, markersize=10)
    ax.set_yticks(
        y, [f"{r} (n = {fmt_int(n)})" for r, n in zip(c.iloc[:, 0], c["due"], strict=True)]
    )
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt_percent(v)))
    ax.set_xlabel("andel klara senast sista dag (95 % konfidensintervall)")
    ax.set_title(f"Åtgärder klara i tid per ansvarig, sista dag {a.period}")
    ax.grid(axis="y", visible=False)
    return style.finish(fig)


def plot_before_after(a: PlacesAnalysis) -> Figure:
    """Dot plot: after/before ratio near the measures, in the rest, and their ratio."""
    r = a.before_after
    p = r.pooled
    rows = [
        ("nära åtgärderna", *r.near_ratio),
        ("övriga kommunen", *r.rest_ratio),
        ("skillnad (kvot av kvoter)", p.ratio_of_ratios, p.low, p.high),
    ]
    fig, ax = style.new_figure((10, 4))
    y = np.arange(len(rows))[::-1]
    for yi, (_label, est, low, high) in zip(y, rows, strict=True):
        if not np.isfinite(est):
            continue
        ax.hlines(yi, low, min(high, 10), color=style.PRIMARY, linewidth=3)
        ax.plot(est, yi, "o", color=style.HIGHLIGHT, markersize=10)
    ax.axvline(1.0, color="black", linewidth=1)
    ax.set_xscale("log")
    ax.set_xlim(0.2, 5)
    ticks = [0.25, 0.5, 1, 2, 4]
    ax.set_xticks(ticks, [fmt_number(t, 2).rstrip("0").rstrip(",") for t in ticks])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_yticks(y, [row[0] for row in rows])
    ax.set_xlabel("anmälningar efter / före (1 = oförändrat, 95 % KI)")
    ax.set_title(f"Före och efter genomförda åtgärder ({fmt_int(r.window_days)} dagar)")
    ax.grid(axis="y", visible=False)
    return style.finish(fig)
