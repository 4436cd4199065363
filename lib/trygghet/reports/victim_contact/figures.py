"""Charts of the victim-contact report: p-chart, shares per category, funnel, Kaplan–Meier.

Breakdowns by area are not drawn (month + category + area + delay can single
out a case in a small kommun); a category or month with fewer than
``min_cases`` decided cases (the floor the tables use for a share) is
labelled "för få" and never drawn as a point, in the category chart and the
funnel alike. Labels from data go through
:func:`trygghet.present.gate.chart_text`; charts of example data carry the
EXEMPELDATA mark in the image.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from trygghet.present import style
from trygghet.present.axes import say_if_truncated
from trygghet.present.gate import chart_text
from trygghet.present.small_numbers import TOO_FEW
from trygghet.present.swedish import fmt_percent
from trygghet.reports.victim_contact.analysis import (
    Target,
    cases_in_period,
    category_comparison,
    on_time_share,
    p_chart,
)
from trygghet.reports.victim_contact.delay import km_curve
from trygghet.reports.victim_contact.text import CATEGORY_LABELS, month_label
from trygghet.sources import processed
from trygghet.stats.proportions import funnel_limits_proportion


def _percent_axis(ax: plt.Axes, axis: str = "y") -> None:
    fmt = FuncFormatter(lambda v, _pos: fmt_percent(v))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def plot_p_chart(cases: pd.DataFrame, period: int, target: Target | None = None) -> Figure:
    """p-chart: monthly on-time share with centre line, 3-sigma limits and the target."""
    target = target or Target()
    chart = p_chart(cases, period, target)
    fig, ax = style.new_figure()
    if chart.empty:
        ax.text(0.5, 0.5, "För få ärenden per månad", ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return style.finish(fig, processed.origin(cases))
    x = np.arange(len(chart))
    ax.fill_between(
        x,
        chart["lcl"],
        chart["ucl"],
        step="mid",
        color=style.MUTED,
        alpha=0.3,
        label="styrgränser (3 sigma)",
    )
    ax.plot(x, chart["centre"], color=style.MUTED, lw=2, label="medelvärde")
    ax.axhline(
        target.share,
        color=style.PALETTE[2],
        ls="--",
        lw=2,
        label=f"mål {fmt_percent(target.share)}",
    )
    ax.plot(x, chart["p"], color=style.PRIMARY, marker="o", lw=1.5, label="andel i tid")
    out = chart["outside"].to_numpy()
    ax.scatter(
        x[out],
        chart["p"].to_numpy()[out],
        s=140,
        facecolor="none",
        edgecolor=style.HIGHLIGHT,
        lw=2.5,
        zorder=5,
        label="utanför styrgränserna",
    )
    ax.set_xticks(x, [chart_text(month_label(m)) for m in chart.index], rotation=90)
    _percent_axis(ax)
    ax.set_ylim(max(0.0, float(chart["lcl"].min()) - 0.1), 1.02)
    say_if_truncated(ax, "y")
    ax.set_ylabel(f"kontakt inom {target.days} dagar")
    ax.set_title(f"Andel kontaktade inom en vecka per månad, {int(period) - 1}–{period}")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return style.finish(fig, processed.origin(cases))


def plot_category_shares(cases: pd.DataFrame, period: int, target: Target | None = None) -> Figure:
    """Dot plot: share on time per crime category with Wilson intervals and the target line."""
    target = target or Target()
    comparison = category_comparison(cases, period, target)
    overall = on_time_share(cases_in_period(cases, period), target)
    shown = comparison[~comparison["suppressed"]].sort_values("share")
    hidden = comparison[comparison["suppressed"]]
    labels = [chart_text(f"{CATEGORY_LABELS.get(k, k)} ({TOO_FEW})") for k in hidden.index]
    labels += [chart_text(CATEGORY_LABELS.get(k, k)) for k in shown.index]
    fig, ax = style.new_figure((10, max(3.5, 0.55 * (len(labels) + 1) + 1.5)))
    y0 = len(hidden)
    y = np.arange(y0, y0 + len(shown))
    ax.errorbar(
        shown["share"],
        y,
        xerr=[shown["share"] - shown["low"], shown["high"] - shown["share"]],
        fmt="o",
        color=style.PRIMARY,
        ms=9,
        capsize=4,
        lw=2,
    )
    ytot = y0 + len(shown)
    if overall.decided >= target.min_cases:
        ax.errorbar(
            [overall.share],
            [ytot],
            xerr=[[overall.share - overall.low], [overall.high - overall.share]],
            fmt="D",
            color=style.HIGHLIGHT,
            ms=10,
            capsize=4,
            lw=2,
        )
    labels.append(
        "Alla brottstyper" + ("" if overall.decided >= target.min_cases else f" ({TOO_FEW})")
    )
    ax.axvline(target.share, color=style.PALETTE[2], ls="--", lw=2)
    ax.text(
        target.share,
        1.0,
        f" mål {fmt_percent(target.share)}",
        color=style.PALETTE[2],
        transform=ax.get_xaxis_transform(),
        va="bottom",
        ha="center",
    )
    ax.set_yticks(range(len(labels)), labels)
    low = float(np.nanmin([*shown["low"], overall.low, target.share])) if len(shown) else 0.0
    ax.set_xlim(max(0.0, low - 0.05), 1.01)
    _percent_axis(ax, "x")
    say_if_truncated(ax, "x")
    ax.set_xlabel(f"kontakt inom {target.days} dagar (punkt) med 95 % osäkerhetsintervall (streck)")
    ax.set_title(f"Kontakt inom en vecka per brottstyp, {period}", pad=24)
    ax.grid(axis="y", visible=False)
    return style.finish(fig, processed.origin(cases))


def plot_funnel(cases: pd.DataFrame, period: int, target: Target | None = None) -> Figure:
    """Funnel plot: each category's share against its number of decided cases.

    The funnel is centred on the kommun's pooled share of the period (95 %
    and 99.8 % exact binomial limits); a category outside it differs from the
    others by more than chance. Suppressed categories are not drawn.
    """
    target = target or Target()
    comparison = category_comparison(cases, period, target)
    shown = comparison[~comparison["suppressed"]]
    centre = comparison.attrs.get("overall", math.nan)
    fig, ax = style.new_figure()
    if shown.empty or math.isnan(centre):
        ax.text(0.5, 0.5, "För få ärenden per brottstyp", ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return style.finish(fig, processed.origin(cases))
    n_max = int(shown["decided"].max() * 1.15) + 2
    ns = np.arange(max(2, target.min_cases), n_max)
    limits = funnel_limits_proportion(ns, min(centre, 1.0))
    ax.plot(ns, limits["lower_95"], color=style.MUTED, lw=1.5, ls="--", label="95 %-gräns")
    ax.plot(ns, limits["upper_95"], color=style.MUTED, lw=1.5, ls="--")
    ax.plot(ns, limits["lower_998"], color=style.MUTED, lw=2, label="99,8 %-gräns")
    ax.plot(ns, limits["upper_998"], color=style.MUTED, lw=2)
    ax.axhline(centre, color=style.MUTED, lw=1, label=f"kommunens genomsnitt {fmt_percent(centre)}")
    ax.axhline(
        target.share, color=style.PALETTE[2], ls=":", lw=2, label=f"mål {fmt_percent(target.share)}"
    )
    outside = shown["position"] != "within"
    ax.scatter(
        shown["decided"],
        shown["share"],
        s=80,
        zorder=5,
        color=[style.HIGHLIGHT if o else style.PRIMARY for o in outside],
    )
    for key, r in shown.iterrows():
        ax.annotate(
            chart_text(CATEGORY_LABELS.get(str(key), str(key))),
            (r["decided"], r["share"]),
            xytext=(6, 4),
            textcoords="offset points",
            fontsize="small",
        )
    _percent_axis(ax)
    ax.set_ylim(max(0.0, float(limits["lower_998"].iloc[len(ns) // 4]) - 0.05), 1.02)
    say_if_truncated(ax, "y")
    ax.set_xlabel("avgjorda ärenden")
    ax.set_ylabel(f"kontakt inom {target.days} dagar")
    ax.set_title(f"Trattdiagram: brottstyper jämförda med genomsnittet, {period}")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return style.finish(fig, processed.origin(cases))


def plot_delay(cases: pd.DataFrame, period: int, target: Target | None = None) -> Figure:
    """Kaplan–Meier curve: share contacted after each number of days, with the 7-day line.

    The period is drawn strong and the previous year muted. Each curve stops
    where fewer than ``min_count`` cases remain at risk, so that the tail does
    not show single cases.
    """
    target = target or Target()
    fig, ax = style.new_figure()
    drawn = False
    for year, colour, lw in (
        (int(period) - 1, style.MUTED, 2.0),
        (int(period), style.PRIMARY, 3.0),
    ):
        subset = cases_in_period(cases, year)
        if len(subset) < target.min_cases:
            continue
        km = km_curve(subset, target.min_count)
        x = np.concatenate([[0.0], km["time"].to_numpy()])
        y = np.concatenate([[0.0], km["contacted_share"].to_numpy()])
        if km["time"].iloc[0] == 0:
            x, y = x[1:], y[1:]
        ax.step(x, y, where="post", color=colour, lw=lw, label=str(year))
        drawn = True
    if not drawn:
        ax.text(0.5, 0.5, "För få ärenden", ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return style.finish(fig, processed.origin(cases))
    ax.axvline(
        target.days, color=style.PALETTE[2], ls="--", lw=2, label=f"{target.days} dagar (löftet)"
    )
    ax.axhline(
        target.share, color=style.PALETTE[2], ls=":", lw=2, label=f"mål {fmt_percent(target.share)}"
    )
    _percent_axis(ax)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, None)
    ax.set_xlabel("dagar efter att utredaren tilldelades")
    ax.set_ylabel("andel kontaktade")
    ax.set_title(f"Hur lång tid tog det innan de brottsutsatta kontaktades? {period}")
    ax.legend(loc="lower right")
    return style.finish(fig, processed.origin(cases))
