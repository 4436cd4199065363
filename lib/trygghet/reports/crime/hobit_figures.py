"""Charts and the map of police-recorded crime (Hobit).

The map is drawn by :func:`trygghet.present.maps.crime.police_crime_map`
(hexagons under the small-number rule, a layer per promise-3 category, the
confirmed Gi* cells); this module chooses what goes on it: only ``lat``,
``lon`` and ``category`` of the report year's crimes, never a case key or
place text. The charts draw counts per hour band or weekday and write
"fåtal" where a count is under the rule.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from trygghet import paths
from trygghet.present import style
from trygghet.present.gate import chart_text
from trygghet.present.small_numbers import FEW, primary_mask
from trygghet.reports.crime.hobit import (
    H3_RESOLUTION,
    PROMISE_CATEGORIES,
    SOURCE,
    HobitStats,
    when_counts,
)

CHART_SOURCE = f"{SOURCE}, egen bearbetning"


def map_layers(kommun: str, shared_data: str | Path | None = None):
    """(boundary GeoDataFrame or None, tätort points or None) from the data mirror."""
    from trygghet.present import maps

    mirror = Path(shared_data) if shared_data else paths.shared_data_dir()
    return maps.kommun_layers(kommun, mirror)


def boundary_shape(kommun: str, shared_data: str | Path | None = None):
    """The kommun's boundary as one shapely geometry (the hotspots' study area), or None."""
    boundary, _ = map_layers(kommun, shared_data)
    return None if boundary is None else boundary.geometry.union_all()


def crime_map(hs: HobitStats | None, shared_data: str | Path | None = None):
    """The hexagon map of the report year's police-recorded crime with the Gi* layer.

    None without a Hobit table (the banner cell says why).
    """
    from trygghet.present import maps

    if hs is None:
        return None
    from trygghet.present.maps.crime import police_crime_map

    boundary, tatorter = map_layers(hs.kommun, shared_data)
    now = hs.crimes[hs.crimes["start"].dt.year == hs.period][["lat", "lon", "category"]]
    with maps.deterministic_ids("brott_hobit"):
        return police_crime_map(
            now,
            boundary,
            tatorter,
            resolution=H3_RESOLUTION,
            min_count=hs.min_count,
            hotspots=hs.gi[["h3", "class", "count"]] if not hs.gi.empty else None,
            title=f"Polisanmälda brott {hs.period}",
        )


def plot_when(hs: HobitStats | None, by: str = "tid") -> Figure | None:
    """Bars per promise-3 category over hour bands ("tid") or weekdays; "fåtal" under the rule.

    None without a Hobit table.
    """
    if hs is None:
        return None
    table = when_counts(hs, by)
    few = primary_mask(table, hs.min_count)
    fig, _ax = style.new_figure((11, 6.5))
    fig.clear()
    grid = fig.subplots(2, 3, sharey=True)
    labels = [chart_text(c) for c in table.columns]
    x = np.arange(len(labels))
    top = max(1, int(table.where(~few, 0).to_numpy().max()))
    for ax, cat in zip(grid.ravel(), PROMISE_CATEGORIES, strict=False):
        shown = table.loc[cat].where(~few.loc[cat], 0)
        ax.bar(x, shown.to_numpy(), color=style.PRIMARY)
        for i, is_few in enumerate(few.loc[cat]):
            if is_few:
                ax.text(i, top * 0.02, FEW, ha="center", va="bottom", fontsize=8, rotation=90)
        ax.set_title(chart_text(cat))
        ax.set_xticks(
            x,
            labels,
            rotation=45 if by == "tid" else 0,
            ha="right" if by == "tid" else "center",
            fontsize=8,
        )
        style.count_axis(ax)
    grid.ravel()[-1].axis("off")
    grid.ravel()[-1].text(
        0,
        0.5,
        chart_text(f"Bara brott med exakt tidpunkt.\n«{FEW}»: färre än {hs.min_count} brott."),
        fontsize=9,
        va="center",
    )
    grid[0, 0].set_ylabel("anmälda brott")
    grid[1, 0].set_ylabel("anmälda brott")
    return style.finish(fig, hs.origin, top=0.9)  # room for the EXEMPELDATA mark above the titles
