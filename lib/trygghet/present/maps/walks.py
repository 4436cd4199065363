"""The map of trygghetsvandring (safety-walk) observations, coloured by status.

Unlike residents' reports, walk observations are made by the walk group about
public places (a dark path, a broken lamp), so they are drawn as points. They
still carry free text, and only the category, the proposed measure, the
responsible party and the status (with the deadline) reach the map: the
description and the place text are never read here. Every text goes through
:func:`trygghet.present.gate.html_text`; the responsible party is shown only
as listed in the kommun's ``parties`` (:func:`trygghet.present.gate.responsible_label`,
"annan ansvarig" otherwise), since a person's name cannot be told from an
organisation's by a pattern. The points are a
:class:`~trygghet.present.maps.core.DataLayer` per status: no text is handed
to folium as a template. Positions are rounded to 4 decimals (~11 m) like every
coordinate of these maps.

Colour = status (Okabe–Ito: ny vermillion, pågår sky blue, åtgärdad bluish
green, avslagen grey), one switchable layer per status. An overdue
observation (deadline passed without a measure, see
:func:`trygghet.sources.safety_walks.overdue`) is flagged by shape as well as
text, so the flag does not depend on colour: a thick black ring, a larger
point and "FÖRSENAD" in the tooltip.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from trygghet.config import DEFAULT_PARTIES
from trygghet.present.gate import html_text, responsible_label
from trygghet.present.maps.core import (
    BASEMAP_NOTE,
    COORD_DECIMALS,
    STATUS_COLOURS,
    STATUS_LABELS,
    DataLayer,
    Legend,
    add_boundary,
    add_layer_control,
    add_tatorter,
    base_map,
    data_bounds,
    round_coords,
)
from trygghet.present.swedish import fmt_date, fmt_number

__all__ = ["OVERDUE_LABEL", "walk_observations_map"]

OVERDUE_LABEL = "FÖRSENAD"
OTHER_STATUS_COLOUR = "#999999"

_POINTS_JS = """function(d) {
    var g = L.featureGroup();
    d.points.forEach(function(p) {
        var late = p[2] === 1;
        L.circleMarker([p[0], p[1]], {
            radius: late ? 9 : 6, color: late ? "#000000" : "#333333",
            weight: late ? 3.5 : 1, fill: true, fillColor: d.colour, fillOpacity: 0.9
        }).bindTooltip(p[3], {sticky: true}).addTo(g);
    });
    return g;
}"""


def walk_observations_map(
    observations: pd.DataFrame,
    boundary: gpd.GeoDataFrame | Mapping[str, Any] | str | Path | None = None,
    tatorter: pd.DataFrame | gpd.GeoDataFrame | None = None,
    *,
    as_of: str | pd.Timestamp | None = None,
    parties: Sequence[str] | None = None,
    title: str = "Trygghetsvandringar – iakttagelser och åtgärder",
) -> folium.Map:
    """Points of safety-walk observations coloured by status, overdue ones flagged.

    ``observations`` as read by :mod:`trygghet.sources.safety_walks`: ``lat``,
    ``lon``, ``category``, ``proposed_measure``, ``responsible``, ``status``,
    ``deadline`` and, for computing overdue, ``walk_date`` and
    ``completed_date``. Overdue comes from an ``overdue`` column if there is
    one, else from :func:`trygghet.sources.safety_walks.overdue` at ``as_of``
    (required then: overdue depends on the day one asks). ``parties`` is the
    kommun's list of organisations (``config.parties``; default
    :data:`trygghet.config.DEFAULT_PARTIES`): a responsible party not in it is
    shown as "annan ansvarig". Rows without a position are counted in the
    legend, not drawn.
    """
    obs = observations
    parties = list(DEFAULT_PARTIES if parties is None else parties)
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
        name = f"Status: {status} ({fmt_number(len(rows))}"
        name += f", varav {fmt_number(n_late)} försenade)" if n_late else ")"
        # Overdue last, so their rings are drawn on top.
        points = [
            [
                round(float(row["map_lat"]), COORD_DECIMALS),
                round(float(row["map_lon"]), COORD_DECIMALS),
                int(bool(row["map_late"])),
                _tooltip(row, status, parties),
            ]
            for _i, row in rows.sort_values("map_late", kind="mergesort").iterrows()
        ]
        payload = {"colour": STATUS_COLOURS.get(status, OTHER_STATUS_COLOUR), "points": points}
        DataLayer(_POINTS_JS, payload, name=name, kind="WalkPoints").add_to(m)
    if has_pos.any():  # start where the data are, not on the whole kommun
        bounds = data_bounds(list(lat[has_pos]), list(lon[has_pos])) or bounds
    if bounds is not None:
        m.fit_bounds(round_coords(bounds))

    n_late = int(late[has_pos].sum())
    items: list[tuple[str | None, str]] = [
        (STATUS_COLOURS.get(s, OTHER_STATUS_COLOUR), STATUS_LABELS.get(s, s)) for s in statuses
    ]
    extra = (
        '<div><span class="sw dot" style="background:#fff;border:3.5px solid #000;'
        f'width:12px;height:12px"></span>Försenad åtgärd ({fmt_number(n_late)} st)</div>'
    )
    notes = [
        "Iakttagelser från trygghetsvandringar på allmän plats. Färg = status; svart ring = "
        "sista datum har passerat utan åtgärd"
        + (f" (bedömt {fmt_date(pd.Timestamp(as_of))})." if as_of is not None else "."),
        "Ansvariga visas så som kommunen listar dem; andra namn visas som ”annan ansvarig”.",
    ]
    if (~has_pos).any():
        notes.append(
            f"{fmt_number(int((~has_pos).sum()))} iakttagelser saknar position och visas inte."
        )
    notes.append(BASEMAP_NOTE + " Gränser och tätorter: SCB.")
    Legend(title, items, notes, dots=True, extra_html=extra).add_to(m)
    add_layer_control(m)
    return m


def _tooltip(row: pd.Series, status: str, parties: Sequence[str]) -> str:
    """The tooltip of one observation (HTML): every text through the gate."""
    lines = [
        f"<b>{html_text(row.get('category')) or '–'}</b>",
        f"Åtgärd: {html_text(row.get('proposed_measure')) or '–'}",
    ]
    responsible = responsible_label(row.get("responsible"), parties)
    if responsible:
        lines.append(f"Ansvarig: {html_text(responsible)}")
    lines.append(f"Status: {html_text(status)}")
    deadline = row.get("deadline")
    if deadline is not None and not pd.isna(deadline):
        lines.append(f"Klart senast: {html_text(fmt_date(pd.Timestamp(deadline)))}")
    if bool(row["map_late"]):
        lines.append(f"<b>{OVERDUE_LABEL}</b>")
    return "<br>".join(lines)
