"""Axes that start at zero, or say plainly on the chart that they do not.

A share drawn on an axis from 60 % to 100 % makes a small difference look
large. Where a chart needs the room (a control chart around 80 %), its axis
may start above zero, but then the chart itself says so, in words, where the
eye meets the axis: "OBS: axeln börjar vid 60 %, inte vid 0".
"""

from __future__ import annotations

from matplotlib.axes import Axes

from trygghet.present.gate import chart_text
from trygghet.present.swedish import fmt_number, fmt_percent

NOTE_COLOUR = "#6b2f00"


def _starts_above_zero(low: float) -> bool:
    return low > 1e-9


def truncated_note(low: float, share: bool) -> str:
    start = fmt_percent(low) if share else fmt_number(low)
    return f"OBS: axeln börjar vid {start}, inte vid 0"


def say_if_truncated(ax: Axes, axis: str = "y", share: bool = True) -> str | None:
    """Write on the chart that the value axis does not start at zero; return the note (or None).

    Call after the limits are set. ``share``: the axis shows shares (0–1).
    """
    low = ax.get_ylim()[0] if axis == "y" else ax.get_xlim()[0]
    if not _starts_above_zero(low):
        return None
    note = truncated_note(low, share)
    if axis == "y":
        ax.text(0.01, 0.01, chart_text(note), transform=ax.transAxes, ha="left", va="bottom",
                fontsize="small", color=NOTE_COLOUR, fontweight="bold")  # fmt: skip
    else:
        ax.text(0.0, -0.02, chart_text(note), transform=ax.transAxes, ha="left", va="top",
                fontsize="small", color=NOTE_COLOUR, fontweight="bold")  # fmt: skip
    return note
