"""The national overview's funnel plots (police share, victim contact, reported crime) and captions.

Each plot returns None (and its caption None) when its part was skipped, so
the notebook cell shows nothing; the narrative says why. Each chart and caption
carries the origin of its part's data (EXEMPELDATA in the image and the caption
when they are examples); kommun names go through
:func:`trygghet.present.gate.chart_text`.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from trygghet.present import style
from trygghet.present.gate import chart_text
from trygghet.present.swedish import NBSP, fmt_int, fmt_percent
from trygghet.reports.national.analysis import (
    LEVELS,
    MIN_EVENTS,
    NOT_IN_BATCH,
    OUTSIDE,
    TOO_FEW,
    Overview,
    part_origin,
    police_placed,
    population_origin,
)
from trygghet.reports.national.text import CLASS_LABELS, PROMISE_GROUP_TEXT
from trygghet.stats import rates
from trygghet.stats.proportions import funnel_limits_proportion

#: Class -> colour: Okabe–Ito vermillion/orange above, sky blue/blue below, a
#: near-white for "within" and a mid grey for "för få / ingår inte". The two
#: sides differ in hue (orange vs blue stays apart in every common colour
#: vision deficiency) and the two levels in lightness, so the classes also
#: read in greyscale; grey and near-white differ clearly in lightness.
CLASS_COLOURS: dict[str, str] = {
    rates.ABOVE_998: "#D55E00",
    rates.ABOVE_95: "#E69F00",
    rates.WITHIN: "#F4F4F4",
    rates.BELOW_95: "#56B4E9",
    rates.BELOW_998: "#0072B2",
    TOO_FEW: "#8C8C8C",
    NOT_IN_BATCH: "#8C8C8C",
}

POLICE_SOURCE = "Polismyndigheten, polisens händelser (polisen.se), egen bearbetning"
VICTIM_SOURCE = "Polismyndigheten, tidsstämplar för kontakt med brottsutsatta"
CRIME_SOURCE = "Brå, anmälda brott"
POPULATION_SOURCE = "SCB, folkmängd 2024"


def _source(text: str, origin: str) -> str:
    """A source named with "(EXEMPELDATA)" when its data are examples, plainly when real."""
    return f"{text} (EXEMPELDATA)" if style.is_example(origin) else text


# --------------------------------------------------------------------------
# Shared drawing
# --------------------------------------------------------------------------


def _percent_axis(ax: plt.Axes) -> None:
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt_percent(v)))


def _log_x(ax: plt.Axes) -> None:
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt_int(v)))


def _scatter_classes(ax: plt.Axes, x: pd.Series, y: pd.Series, positions: pd.Series) -> None:
    for code in (rates.WITHIN, *OUTSIDE):
        mask = (positions == code).to_numpy()
        if mask.any():
            ax.scatter(
                x[mask],
                y[mask],
                s=46,
                color=CLASS_COLOURS[code] if code != rates.WITHIN else style.MUTED,
                edgecolor="#333333",
                linewidth=0.6,
                zorder=3,
                label=CLASS_LABELS[code],
            )


def _annotate(ax: plt.Axes, frame: pd.DataFrame, x: str, y: str, limit: int = 12) -> None:
    """Name every point of a small batch, else the points outside the 99,8 % limits.

    At most ``limit`` names (the most extreme) so that a batch of 290 stays readable.
    """
    out = (
        frame
        if len(frame) <= limit
        else frame[frame["position"].isin([rates.ABOVE_998, rates.BELOW_998])]
    )
    if len(out) > limit:
        centre = frame.attrs.get("centre", 0.0)
        out = out.assign(dev=(out[y] - centre).abs()).nlargest(limit, "dev")
    for r in out.itertuples():
        ax.annotate(
            chart_text(r.kommun_name),
            (getattr(r, x), getattr(r, y)),
            xytext=(5, 4),
            textcoords="offset points",
            fontsize="x-small",
        )


def _proportion_funnel(
    frame: pd.DataFrame,
    n_col: str,
    k_col: str,
    title: str,
    xlabel: str,
    centre_label: str,
    origin: str,
) -> Figure:
    placed = frame[frame["position"].isin([rates.WITHIN, *OUTSIDE])]
    centre = float(frame.attrs["centre"])
    fig, ax = plt.subplots(figsize=(10, 6))
    plt.close(fig)  # shown by being returned
    lo = max(1.0, placed[n_col].min() / 1.3)
    hi = placed[n_col].max() * 1.3
    grid = np.unique(np.round(np.geomspace(lo, hi, 160)).astype(int))
    limits = funnel_limits_proportion(grid, centre, LEVELS)
    for code, dash, label in (("95", "--", "95 %-gräns"), ("998", ":", "99,8 %-gräns")):
        ax.plot(grid, limits[f"upper_{code}"], color="#555555", linestyle=dash, lw=1.2, label=label)
        ax.plot(grid, limits[f"lower_{code}"], color="#555555", linestyle=dash, lw=1.2)
    ax.axhline(centre, color="#555555", lw=1, label=centre_label)
    shares = placed[k_col] / placed[n_col]
    _scatter_classes(ax, placed[n_col], shares, placed["position"])
    _annotate(ax, placed.assign(plot_share=shares), n_col, "plot_share")
    _log_x(ax)
    _percent_axis(ax)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("andel")
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return style.finish(fig, origin)


# --------------------------------------------------------------------------
# The three funnels, each with its caption
# --------------------------------------------------------------------------


def plot_police_funnel(overview: Overview) -> Figure | None:
    """Funnel: promise-group share against number of events (log), national centre; None if skipped."""
    if not police_placed(overview):
        return None
    shares = overview.police
    batch = shares[shares["in_batch"]].copy()
    batch.attrs = dict(shares.attrs)
    return _proportion_funnel(
        batch,
        "n_events",
        "n_promise",
        f"Andel av polisens händelser {overview.period} som gäller löftesgrupperna",
        "publicerade händelser (logaritmisk skala)",
        "riket",
        overview.police_origin,
    )


def police_caption(overview: Overview):
    """Caption of the police funnel, or None when it was skipped."""
    if not police_placed(overview):
        return None
    return style.caption(
        f"Andel av polisens publicerade händelser {overview.period} som gäller "
        f"{PROMISE_GROUP_TEXT}, per kommun i körningen, mot antalet händelser; linjerna är "
        "exakta binomiala 95 %- och 99,8 %-gränser kring rikets andel. Kommuner med färre än "
        f"{MIN_EVENTS} händelser visas inte.",
        POLICE_SOURCE,
        overview.police_origin,
    )


def plot_victim_funnel(overview: Overview) -> Figure | None:
    """Funnel of the on-time share against decided cases; None if skipped."""
    frame = overview.victim
    if frame.empty or math.isnan(frame.attrs["centre"]):
        return None
    fig = _proportion_funnel(
        frame,
        "n",
        "successes",
        f"Kontakt inom {frame.attrs['target_days']} dagar, {overview.period}",
        "avgjorda ärenden (logaritmisk skala)",
        "kommunerna sammantaget",
        part_origin(frame),
    )
    return fig


def victim_caption(overview: Overview):
    """Caption of the victim-contact funnel, or None when it was skipped."""
    if overview.victim.empty or math.isnan(overview.victim.attrs["centre"]):
        return None
    origin = part_origin(overview.victim)
    return style.caption(
        "Andel avgjorda ärenden där den brottsutsatta kontaktades inom 7 dagar "
        "efter att en utredare utsetts, per kommun, mot antalet avgjorda ärenden; exakta "
        "binomiala gränser kring kommunernas sammanlagda andel.",
        _source(VICTIM_SOURCE, origin),
        origin,
    )


def plot_crime_funnel(overview: Overview) -> Figure | None:
    """Exact Poisson funnel of reported crime per 100 000 against population; None if skipped."""
    frame = overview.crime
    if frame.empty:
        return None
    centre = float(frame.attrs["centre"])
    fig, ax = plt.subplots(figsize=(10, 6))
    plt.close(fig)
    # The exact boundary the classes use, so a dot above the line is never classed "inom".
    grid = rates.funnel_grid(frame["population"])
    limits = rates.funnel_limits(grid, centre, LEVELS, boundary="exact")
    for code, dash, label in (("95", "--", "95 %-gräns"), ("998", ":", "99,8 %-gräns")):
        ax.plot(grid, limits[f"upper_{code}"], color="#555555", linestyle=dash, lw=1.2, label=label)
        ax.plot(grid, limits[f"lower_{code}"], color="#555555", linestyle=dash, lw=1.2)
    ax.axhline(centre, color="#555555", lw=1, label="kommunerna sammantaget")
    _scatter_classes(ax, frame["population"], frame["rate"], frame["position"])
    _annotate(ax, frame, "population", "rate")
    _log_x(ax)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt_int(v)))
    ax.set_ylim(bottom=0)
    ax.set_xlabel("folkmängd (logaritmisk skala)")
    ax.set_ylabel(f"per 100{NBSP}000 invånare")
    ax.set_title(f"Anmälda brott totalt per 100{NBSP}000 invånare, {overview.period}")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return style.finish(fig, part_origin(frame))


def crime_caption(overview: Overview):
    """Caption of the reported-crime funnel, or None when it was skipped."""
    if overview.crime.empty:
        return None
    origin = part_origin(overview.crime)
    return style.caption(
        f"Anmälda brott totalt per 100{NBSP}000 invånare {overview.period} per "
        "kommun mot folkmängden; exakta Poisson-gränser kring kommunernas sammanlagda nivå. "
        "Folkmängd 2024 för alla år.",
        f"{_source(CRIME_SOURCE, origin)}; {_source(POPULATION_SOURCE, population_origin())}",
        origin,
    )
