"""Charts of the police-events report: per month, type, hour and weekday.

Each chart is finished with the events' origin (the mirror's events are real
open data; a chart built on example events carries EXEMPELDATA in the image),
and labels from data (event types, the kommun's name) go through
:func:`trygghet.present.gate.chart_text`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from trygghet.present import style
from trygghet.present.gate import chart_text
from trygghet.present.swedish import (
    MONTHS_SHORT,
    WEEKDAYS_SHORT,
)
from trygghet.reports.police_events.analysis import (
    DAY_PARTS,
    GROUP_LABELS,
    monthly_by_group,
    time_of_day_profile,
    type_counts,
    weekday_profile,
)
from trygghet.sources.police_events import (
    countable,
    origin_of,
)
from trygghet.sources.polisen import PROMISE_GROUPS


def _where(kommun_name: str) -> str:
    return f", {chart_text(kommun_name)}" if kommun_name else ""


def plot_monthly(df: pd.DataFrame, year: int, kommun_name: str = "") -> Figure:
    """Stacked bars: events per month of ``year`` by promise group."""
    table = monthly_by_group(df, year)
    fig, ax = style.new_figure()
    bottom = np.zeros(12)
    colours = [style.PALETTE[0], style.PALETTE[1], style.PALETTE[2], style.MUTED]
    labels = [*GROUP_LABELS.values(), "övriga händelser"]
    for column, colour, label in zip(table.columns, colours, labels, strict=True):
        ax.bar(range(12), table[column], bottom=bottom, color=colour, label=label, width=0.8)
        bottom += table[column].to_numpy()
    ax.set_xticks(range(12), MONTHS_SHORT)
    style.count_axis(ax)
    ax.set_ylabel("antal händelser")
    ax.set_title(f"Polisens händelser per månad {year}" + _where(kommun_name))
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return style.finish(fig, origin_of(df))


def plot_by_type(df: pd.DataFrame, year: int, kommun_name: str = "", top: int = 10) -> Figure:
    """Horizontal bars: the ``top`` most common event types of ``year``."""
    counts = type_counts(df, year).head(top)[::-1]
    fig, ax = style.new_figure((10, max(3.0, 0.5 * len(counts) + 1.5)))
    colours = [style.PRIMARY if t in PROMISE_GROUPS else style.MUTED for t in counts.index]
    ax.barh([chart_text(t) for t in counts.index], counts.to_numpy(), color=colours)
    ax.set_ylabel("")
    style.count_axis(ax, "x")
    ax.set_xlabel("antal händelser")
    ax.set_title(f"Vanligaste händelsetyperna {year}" + _where(kommun_name))
    ax.grid(axis="y", visible=False)
    return style.finish(fig, origin_of(df))


def plot_time_of_day(df: pd.DataFrame, year: int | None = None, kommun_name: str = "") -> Figure:
    """Bars by hour of the incident time, the parts of the day marked."""
    events = countable(df, year)
    hours = time_of_day_profile(events, by="hour")
    fig, ax = style.new_figure()
    ax.bar(hours.index, hours.to_numpy(), color=style.PRIMARY, width=0.8)
    for _, start, _end in DAY_PARTS[1:]:
        ax.axvline(start - 0.5, color=style.MUTED, linewidth=1)
    ax.set_xticks(range(0, 24, 3), [f"{h:02d}" for h in range(0, 24, 3)])
    style.count_axis(ax)
    ax.set_xlabel("klockslag enligt rubriken")
    ax.set_ylabel("antal händelser")
    when = f" {year}" if year else ""
    ax.set_title(f"Händelser per timme{when}" + _where(kommun_name))
    return style.finish(fig, origin_of(df))


def plot_weekday(df: pd.DataFrame, year: int | None = None, kommun_name: str = "") -> Figure:
    """Bars by weekday of the incident time."""
    counts = weekday_profile(countable(df, year))
    fig, ax = style.new_figure()
    colours = [style.PRIMARY] * 4 + [style.HIGHLIGHT] * 3  # fredag–söndag marked
    ax.bar(range(7), counts.to_numpy(), color=colours, width=0.8)
    ax.set_xticks(range(7), WEEKDAYS_SHORT)
    style.count_axis(ax)
    ax.set_ylabel("antal händelser")
    when = f" {year}" if year else ""
    ax.set_title(f"Händelser per veckodag{when}" + _where(kommun_name))
    return style.finish(fig, origin_of(df))
