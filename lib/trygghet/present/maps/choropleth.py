"""A choropleth of areas (e.g. Sweden's kommuner) with a tooltip per area.

Each area is a :class:`ShadedArea`: a GeoJSON geometry (WGS 84), a fill
colour and the tooltip's rows of (label, value). The tooltip is built here,
every label and value through :func:`trygghet.present.gate.html_text`, and the
areas reach the page as :func:`trygghet.present.gate.script_json` in a
:class:`~trygghet.present.maps.core.DataLayer`: no name from the data is handed
to folium as a template (folium's ``GeoJsonTooltip`` would render a kommun
name through Jinja twice). Coordinates are rounded to 4 decimals like every
coordinate of these maps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import folium

from trygghet.present.gate import html_text
from trygghet.present.maps.core import (
    BASEMAP_NOTE,
    DataLayer,
    Legend,
    add_layer_control,
    base_map,
    colour,
    round_coords,
)

__all__ = ["ShadedArea", "choropleth_layer", "choropleth_map"]


@dataclass(frozen=True)
class ShadedArea:
    """One area of a choropleth: geometry, fill colour and tooltip rows (plain text)."""

    geometry: Mapping[str, Any]
    fill: str
    rows: Sequence[tuple[str, str]] = field(default_factory=tuple)


_CHOROPLETH_JS = """function(areas) {
    var g = L.featureGroup();
    areas.forEach(function(a) {
        var style = {fillColor: a[1], color: "#444444", weight: 0.5, fillOpacity: 0.85};
        var f = L.geoJSON(a[0], {style: style});
        f.bindTooltip(a[2], {sticky: true});
        f.on("mouseover", function(e) { e.layer.setStyle({weight: 2, color: "#000000"}); });
        f.on("mouseout", function(e) { e.layer.setStyle(style); });
        f.addTo(g);
    });
    return g;
}"""


def _tooltip(rows: Sequence[tuple[str, str]]) -> str:
    cells = "".join(
        f'<tr><th style="text-align:left;padding-right:6px">{html_text(label)}</th>'
        f"<td>{html_text(value)}</td></tr>"
        for label, value in rows
    )
    return f"<table>{cells}</table>"


def choropleth_layer(areas: Sequence[ShadedArea], name: str, *, show: bool = True) -> DataLayer:
    """The areas as one overlay: filled by ``fill``, outlined, tooltip on hover."""
    payload = [[round_coords(dict(a.geometry)), colour(a.fill), _tooltip(a.rows)] for a in areas]
    return DataLayer(_CHOROPLETH_JS, payload, name=name, show=show, kind="Choropleth")


def choropleth_map(
    areas: Sequence[ShadedArea],
    bounds: Sequence[Sequence[float]],
    *,
    name: str,
    legend_title: str,
    legend_items: Sequence[tuple[str | None, str]],
    notes: Sequence[str] = (),
) -> folium.Map:
    """An offline map of ``areas`` zoomed to ``bounds`` (``[[s, w], [n, e]]``), with a legend.

    Build it inside :func:`trygghet.present.maps.core.deterministic_ids` for a
    reproducible page; the background map is off by default like on every map.
    """
    m = base_map(bounds)
    choropleth_layer(areas, name).add_to(m)
    Legend(legend_title, legend_items, [*notes, BASEMAP_NOTE]).add_to(m)
    add_layer_control(m)
    return m
