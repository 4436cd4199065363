"""Charts of the dialogue section: the chain from proposal to measure, and dialogues per area.

Labels from data go through :func:`trygghet.present.gate.chart_text`; every
chart is marked EXEMPELDATA in the image when its data are examples
(:func:`trygghet.present.style.finish`); a share resting on fewer than the
kommun's ``min_count`` is written "för få", never drawn.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from trygghet.present import small_numbers, style
from trygghet.present.gate import chart_text
from trygghet.present.swedish import fmt_int, fmt_percent
from trygghet.reports.places.dialogues import DialogueAnalysis, area_counts, chain


def _empty(text: str, origin: str) -> Figure:
    fig, ax = style.new_figure((10, 2.5))
    ax.text(0.5, 0.5, chart_text(text), ha="center", va="center")
    ax.set_axis_off()
    return style.finish(fig, origin)


def plot_dialogue_chain(d: DialogueAnalysis) -> Figure:
    """Funnel-like bars: proposals, decided, done, done on time; each share with its interval.

    The bars are counts; the dot and line on the right are each stage's share of
    the stage it is measured against (Wilson interval).
    """
    c = chain(d)
    if not d.available or c["count"].iloc[0] == 0:
        return _empty("Inga förslag från dialogerna under perioden", d.origin)
    fig, bars = style.new_figure((11, 4.5))
    # A second panel beside the bars for the shares, on the same stages.
    fig.clear()
    bars, shares = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [3, 2]})
    y = np.arange(len(c))[::-1]
    colours = [style.MUTED, style.PRIMARY, style.PRIMARY, style.HIGHLIGHT]
    bars.barh(y, c["count"], color=colours, height=0.7)
    for yi, n in zip(y, c["count"], strict=True):
        bars.text(n, yi, f" {fmt_int(n)}", va="center", fontsize="small")
    bars.set_yticks(y, [chart_text(s) for s in c["stage"]])
    bars.set_xlim(0, max(int(c["count"].max()), 1) * 1.2)
    style.count_axis(bars, "x")
    bars.set_xlabel("antal förslag")
    bars.grid(axis="y", visible=False)
    # Each share has its own denominator: say it beside the interval.
    against = ("", "av förslagen", "av de beslutade", "av dem som kunde bedömas")
    for yi, row, what in zip(y[1:], c.iloc[1:].itertuples(), against[1:], strict=True):
        label = f"{what} ({fmt_int(row.of)})"
        if row.shown:
            shares.hlines(yi, row.low, row.high, color=style.PRIMARY, linewidth=3)
            shares.plot(row.share, yi, "o", color=style.HIGHLIGHT, markersize=9)
            x = min(max(float(row.share), 0.2), 0.8)  # keep the label inside the panel
            shares.text(x, yi + 0.28, label, ha="center", fontsize="x-small", color="#444")
        elif row.of:
            text = f"{small_numbers.TOO_FEW} ({label})"
            shares.text(0.02, yi, text, va="center", fontsize="small")
    shares.set_xlim(0, 1)
    shares.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt_percent(v)))
    shares.set_xlabel("andel (95 % osäkerhetsintervall)")
    shares.grid(axis="y", visible=False)
    fig.suptitle(f"Från förslag i dialogerna till åtgärd, dialoger {d.period}")
    return style.finish(fig, d.origin)


def plot_dialogues_by_area(d: DialogueAnalysis) -> Figure:
    """Horizontal bars: dialogues with citizens per area; areas with none are marked."""
    t = area_counts(d)
    if not d.available or t.empty:
        return _empty("Inga dialoger registrerade", d.origin)
    t = t.iloc[::-1].reset_index(drop=True)
    fig, ax = style.new_figure((10, 0.5 * len(t) + 2))
    y = np.arange(len(t))
    none = (t["in_config"] & (t["dialogues"] == 0)).to_numpy()
    ax.barh(y, t["dialogues"], color=style.PRIMARY, height=0.7, label="med medborgare")
    ax.barh(y, t["officials_only"], left=t["dialogues"], color=style.MUTED, height=0.7,
            label="bara tjänstepersoner")  # fmt: skip
    for yi in y[none]:
        ax.text(0.05, yi, "ingen dialog", va="center", fontsize="small", color=style.HIGHLIGHT)
    ax.set_yticks(y, [chart_text(a) for a in t["area"]])
    style.count_axis(ax, "x")
    ax.set_xlim(0, max(int((t["dialogues"] + t["officials_only"]).max()), 1) * 1.15)
    ax.set_xlabel("antal dialoger")
    ax.set_title(f"Dialoger per område {d.period}")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    return style.finish(fig, d.origin)
