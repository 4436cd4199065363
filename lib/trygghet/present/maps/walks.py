"""The map of trygghetsvandring (safety-walk) observations, coloured by status.

Unlike residents' reports, walk observations are made by the walk group about
public places (a dark path, a broken lamp), so they are drawn as points. They
still carry free text, and only the category, the proposed measure and the
status (with the deadline) reach the map: the description and the place text
are never read here. Positions are rounded to 4 decimals (~11 m) like every
coordinate of these maps.

Colour = status (Okabe–Ito: ny vermillion, pågår sky blue, åtgärdad bluish
green, avslagen grey), one switchable layer per status. An overdue
observation (deadline passed without a measure, see
:func:`trygghet.sources.safety_walks.overdue`) is flagged by shape as well as
text, so the flag does not depend on colour: a thick black ring, a larger
point and "FÖRSENAD" in the tooltip.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from trygghet.present.maps.core import (
    COORD_DECIMALS,
    STATUS_COLOURS,
    STATUS_LABELS,
    Legend,
    add_boundary,
    add_layer_control,
    add_tatorter,
    base_map,
    round_coords,
    safe_text,
)
from trygghet.present.swedish import fmt_date, fmt_number

__all__ = ["OVERDUE_LABEL", "walk_observations_map"]

OVERDUE_LABEL = "FÖRSENAD"


def walk_observations_map(
    observations: pd.DataFrame,
    boundary: gpd.GeoDataFrame | Mapping[str, Any] | str | Path | None = None,
    tatorter: pd.DataFrame | gpd.GeoDataFrame | None = None,
    *,
    as_of: str | pd.Timestamp | None = None,
    title: str = "Trygghetsvandringar – iakttagelser och åtgärder",
) -> folium.Map:
    """Points of safety-walk observations coloured by status, overdue ones flagged.

    ``observations`` as read by :mod:`trygghet.sources.safety_walks`: ``lat``,
    ``lon``, ``category``, ``proposed_measure``, ``status``, ``deadline`` and,
    for computing overdue, ``walk_date`` and ``completed_date``. Overdue comes
    from an ``overdue`` column if there is one, else from
    :func:`trygghet.sources.safety_walks.overdue` at ``as_of`` (required then:
    overdue depends on the day one asks). Rows without a position are counted
    in the legend, not drawn.
    """
    obs = observations
    if "overdue" in obs.columns:
        late = obs["overdue"].fillna(False).astype(bool)
    else:
        if as_of is None:
            raise ValueError("ange as_of (datum för bedömning av försenade åtgärder)")
        from trygghet.sources.safety_walks import overdue

        late = overdue(obs, as_of)
    lat = pd.to_numeric(obs["lat"], errors="coerce")
    lon = pd.to_numeric(obs["lon"], errors="coerce")
    has_pos = lat.notna() & lon.notna()

    m = base_map()
    bounds = None
    if boundary is not None:
        _layer, bounds = add_boundary(m, boundary)
    if tatorter is not None and len(tatorter):
        add_tatorter(m, tatorter)

    statuses = [s for s in STATUS_COLOURS if (obs["status"] == s).any()]
    statuses += sorted(set(obs["status"].dropna().astype(str)) - set(STATUS_COLOURS))
    order = obs.assign(map_late=late, map_lat=lat, map_lon=lon)[has_pos]
    for status in statuses:
        rows = order[order["status"] == status]
        n_late = int(rows["map_late"].sum())
        name = f"Status: {safe_text(status)} ({fmt_number(len(rows))}"
        name += f", varav {fmt_number(n_late)} försenade)" if n_late else ")"
        group = folium.FeatureGroup(name=name, overlay=True, control=True, show=True)
        colour = STATUS_COLOURS.get(status, "#999999")
        # Overdue last, so their rings are drawn on top.
        for row in rows.sort_values("map_late", kind="mergesort").itertuples(index=False):
            is_late = bool(row.map_late)
            lines = [
                f"<b>{safe_text(row.category)}</b>",
                f"Åtgärd: {safe_text(_text(getattr(row, 'proposed_measure', None)))}",
                f"Status: {safe_text(status)}",
            ]
            deadline = getattr(row, "deadline", None)
            if deadline is not None and not pd.isna(deadline):
                lines.append(f"Klart senast: {fmt_date(pd.Timestamp(deadline))}")
            if is_late:
                lines.append(f"<b>{OVERDUE_LABEL}</b>")
            folium.CircleMarker(
                location=[
                    round(float(row.map_lat), COORD_DECIMALS),
                    round(float(row.map_lon), COORD_DECIMALS),
                ],
                radius=9 if is_late else 6,
                color="#000000" if is_late else "#333333",
                weight=3.5 if is_late else 1,
                fill=True,
                fill_color=colour,
                fill_opacity=0.9,
                tooltip=folium.Tooltip("<br>".join(lines), sticky=True),
            ).add_to(group)
        group.add_to(m)
    if bounds is None and has_pos.any():
        bounds = [
            [float(lat[has_pos].min()), float(lon[has_pos].min())],
            [float(lat[has_pos].max()), float(lon[has_pos].max())],
        ]
    if bounds is not None:
        m.fit_bounds(round_coords(bounds))

    n_late = int(late[has_pos].sum())
    items: list[tuple[str | None, str]] = [
        (STATUS_COLOURS.get(s, "#999999"), STATUS_LABELS.get(s, s)) for s in statuses
    ]
    extra = (
        '<div><span class="sw dot" style="background:#fff;border:3.5px solid #000;'
        f'width:12px;height:12px"></span>Försenad åtgärd ({fmt_number(n_late)} st)</div>'
    )
    notes = [
        "Iakttagelser från trygghetsvandringar på allmän plats. Färg = status; svart ring = "
        "sista datum har passerat utan åtgärd"
        + (f" (bedömt {fmt_date(pd.Timestamp(as_of))})." if as_of is not None else "."),
    ]
    if (~has_pos).any():
        notes.append(
            f"{fmt_number(int((~has_pos).sum()))} iakttagelser saknar position och visas inte."
        )
    notes.append("Bakgrund: © OpenStreetMap-bidragsgivare (kräver nät). Gränser och tätorter: SCB.")
    Legend(title, items, notes, dots=True, extra_html=extra).add_to(m)
    add_layer_control(m)
    return m


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    return str(value)
