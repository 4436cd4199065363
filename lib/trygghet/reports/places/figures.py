"""Charts of the places report (the maps are in :mod:`~trygghet.reports.places.maps`).

Every label taken from data (categories, responsible parties, the kommun's
name) goes through :func:`trygghet.present.gate.chart_text`; every chart is
marked EXEMPELDATA in the image when its data are examples; counts and
shares the tables hide under the kommun's ``min_count`` are drawn as "fåtal"
or "för få", never as bars or dots.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter, NullLocator

from trygghet.present import small_numbers, style
from trygghet.present.gate import chart_text, responsible_label
from trygghet.present.swedish import MONTHS_SHORT, fmt_int, fmt_number, fmt_percent
from trygghet.reports.places.analysis import PlacesAnalysis
from trygghet.reports.places.counts import monthly_by_category
from trygghet.reports.places.text import VERDICT_LABELS, is_few
from trygghet.stats.trend import DECREASING, INCREASING


def _category_colours(categories: Sequence[str]) -> list[str]:
    colours = []
    for i, cat in enumerate(categories):
        colours.append(style.MUTED if cat == "annat" else style.PALETTE[i % len(style.PALETTE)])
    return colours


def plot_monthly_by_category(a: PlacesAnalysis, kommun_name: str = "") -> Figure:
    """Stacked bars: reports per month of the period by category."""
    table = monthly_by_category(a.reports_in_period, a.period)
    table = table.loc[:, table.sum() > 0] if table.to_numpy().sum() else table
    # The month totals are the bar heights: hidden cells are drawn together as one
    # "fåtal" segment, which complementary suppression keeps from giving any one back.
    hidden = small_numbers.hidden_mask(table, a.min_count, margins="both")
    fig, ax = style.new_figure((11, 6))
    bottom = np.zeros(12)
    for column, colour in zip(table.columns, _category_colours(table.columns), strict=True):
        values = table[column].where(~hidden[column], 0).to_numpy()
        ax.bar(range(12), values, bottom=bottom, color=colour, label=chart_text(column), width=0.8)
        bottom += values
    few = table.where(hidden, 0).sum(axis=1).to_numpy()
    if few.any():
        ax.bar(range(12), few, bottom=bottom, color="white", edgecolor=style.MUTED,
               hatch="//", label="små tal (visas ej)", width=0.8)  # fmt: skip
    ax.set_xticks(range(12), MONTHS_SHORT)
    style.count_axis(ax)
    ax.set_ylabel("antal anmälningar")
    ax.set_title(
        f"Anmälningar om otrygga platser per månad {a.period}"
        + (f", {chart_text(kommun_name)}" if kommun_name else "")
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1), title="kategori")
    return style.finish(fig, a.reports_origin)


def plot_category_change(a: PlacesAnalysis) -> Figure:
    """Horizontal bars per category this period; last year as a black mark; verdict labels."""
    cats = a.change[a.change["category"] != "alla kategorier"].iloc[::-1]
    # As in the table: the "alla kategorier" row is the margin of both years.
    counts = cats[["count", "prev_count"]].fillna(0).astype("int64")
    hidden = small_numbers.hidden_mask(counts, a.min_count, margins="columns")
    now = cats["count"].where(~hidden["count"])
    before = cats["prev_count"].where(~hidden["prev_count"])
    fig, ax = style.new_figure((11, 0.55 * len(cats) + 2))
    y = np.arange(len(cats))
    colours = [
        style.HIGHLIGHT if v in (INCREASING, DECREASING) else style.PRIMARY for v in cats["verdict"]
    ]
    ax.barh(y, now.fillna(0), color=colours, height=0.7, label=str(a.period))
    if before.notna().any():
        ax.scatter(
            before, y, marker="|", s=400, linewidths=3, color="black",
            label=str(a.period - 1), zorder=3,
        )  # fmt: skip
    xmax = float(np.nanmax([now.max(), before.max(), 1]))
    for yi, n, h in zip(y, counts["count"], hidden["count"], strict=True):
        if h:
            word = small_numbers.count_text(n, True, a.min_count)
            ax.text(xmax * 0.01, yi, word, va="center", fontsize="small")
    for yi, v in zip(y, cats["verdict"], strict=True):
        ax.text(xmax * 1.03, yi, VERDICT_LABELS[v], va="center", fontsize="small")
    ax.set_xlim(0, xmax * 1.45)
    ax.set_yticks(y, [chart_text(c) for c in cats["category"]])
    style.count_axis(ax, "x")
    ax.set_xlabel("antal anmälningar")
    span = f" ({a.window.months_text})" if a.window.months_text else ""
    ax.set_title(f"Anmälningar per kategori {a.period} mot {a.period - 1}{span}")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return style.finish(fig, a.reports_origin)


def plot_completion(a: PlacesAnalysis) -> Figure:
    """Dot plot: share of measures done by the deadline per responsible party, Wilson CI."""
    c = a.completion_by_responsible.sort_values("share")
    fig, ax = style.new_figure((10, 0.6 * max(len(c), 1) + 2))
    if c.empty:
        ax.text(0.5, 0.5, "Inga åtgärder med sista dag under perioden", ha="center")
        ax.set_axis_off()
        return style.finish(fig, a.walks_origin)
    y = np.arange(len(c))
    # The table shows no share for fewer than min_count measures: neither does the chart.
    small = (c["due"] < a.min_count).to_numpy()
    ax.hlines(y[~small], c["low"][~small], c["high"][~small], color=style.PRIMARY, linewidth=3)
    ax.plot(c["share"][~small], y[~small], "o", color=style.HIGHLIGHT, markersize=10)
    for yi in y[small]:
        ax.text(0.01, yi, small_numbers.TOO_FEW, va="center", fontsize="small", color="#444")
    names = [responsible_label(r, a.parties) for r in c.iloc[:, 0]]
    ax.set_yticks(
        y, [chart_text(f"{r} (n = {fmt_int(n)})") for r, n in zip(names, c["due"], strict=True)]
    )
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt_percent(v)))
    ax.set_xlabel("andel klara senast sista dag (95 % osäkerhetsintervall)")
    ax.set_title(f"Åtgärder klara i tid per ansvarig, sista dag {a.period}")
    ax.grid(axis="y", visible=False)
    return style.finish(fig, a.walks_origin)


def plot_before_after(a: PlacesAnalysis) -> Figure:
    """Dot plot: after/before ratio near the measures, in the rest, and their ratio."""
    r = a.before_after
    p = r.pooled
    rows = [
        ("nära åtgärderna", *r.near_ratio),
        ("övriga kommunen", *r.rest_ratio),
        ("skillnad (kvot av kvoter)", p.ratio_of_ratios, p.low, p.high),
    ]
    # Counts near the measures hidden in the text: their ratios are not drawn either.
    few = is_few(p.near_before, a.min_count) or is_few(p.near_after, a.min_count)
    fig, ax = style.new_figure((10, 4))
    y = np.arange(len(rows))[::-1]
    for yi, (label, est, low, high) in zip(y, rows, strict=True):
        if few and label != "övriga kommunen":
            ax.text(0.22, yi, small_numbers.TOO_FEW, va="center", fontsize="small", color="#444")
            continue
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
    ax.set_xlabel("anmälningar efter / före (1 = oförändrat, 95 % osäkerhetsintervall)")
    ax.set_title(f"Före och efter genomförda åtgärder ({fmt_int(r.window_days)} dagar)")
    ax.grid(axis="y", visible=False)
    return style.finish(fig, a.origin)
