"""Getis-Ord Gi* hot and cold spots drawn on H3 hexagons.

Input is the result of :func:`trygghet.stats.hotspots.getis_ord_gi_star` (or any
DataFrame with ``h3``, ``class`` in {"hot", "cold", "ns"} and ``count``).
Only significant cells are drawn: hot in Okabe–Ito vermillion, cold in
Okabe–Ito blue, the diverging pair that stays apart for every common form of
colour blindness (and differs in lightness, so it survives greyscale print).
Non-significant cells are left out so that the layer reads at a glance; the
legend says so.

A cell's class describes its neighbourhood (the cell and its six
neighbours), not the cell alone, so a hot cell may itself hold few reports.
Its count is shown only when it is at least ``min_count``; otherwise the
tooltip says "färre än N", as for every other layer of the places report.
"""

from __future__ import annotations

import json

import branca.element
import folium
import pandas as pd

from trygghet.present.maps.aggregate import unit_rings
from trygghet.present.maps.core import OKABE_ITO
from trygghet.present.swedish import fmt_number

__all__ = ["HOTSPOT_COLOURS", "HOTSPOT_LABELS", "hotspot_layer"]

HOTSPOT_COLOURS: dict[str, str] = {"hot": OKABE_ITO["cinnober"], "cold": OKABE_ITO["blå"]}
HOTSPOT_LABELS: dict[str, str] = {
    "hot": "Het punkt (fler rapporter än slumpen ger)",
    "cold": "Kall punkt (färre rapporter än slumpen ger)",
}
LAYER_NAME = "Heta och kalla punkter (Gi*, FDR 5 %)"


class _HotspotLayer(folium.map.Layer):
    """Significant Gi* cells as one overlay (polygons with tooltips)."""

    _template = branca.element.Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function(cells) {
            var g = L.featureGroup();
            for (var i = 0; i < cells.length; i++) {
                var c = cells[i];
                L.polygon(c[0], {
                    color: c[1], weight: 2, opacity: 1, fillColor: c[1], fillOpacity: 0.45
                }).bindTooltip(c[2], {sticky: true}).addTo(g);
            }
            return g;
        })({{ this.payload }});
        {% endmacro %}
        """
    )

    def __init__(self, payload: list, name: str, show: bool) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "HotspotLayer"
        self.payload = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def hotspot_layer(
    cells_with_class: pd.DataFrame,
    *,
    min_count: int = 3,
    name: str = LAYER_NAME,
    show: bool = True,
) -> folium.map.Layer:
    """A layer of the hot ("hot") and cold ("cold") Gi* cells; "ns" cells are not drawn.

    ``cells_with_class`` needs the columns ``h3``, ``class`` and ``count``.
    Cell outlines are rounded to 4 decimals like every coordinate of these maps.
    """
    missing = {"h3", "class", "count"} - set(cells_with_class.columns)
    if missing:
        raise ValueError(f"cells_with_class lacks the columns {sorted(missing)}")
    unknown = set(cells_with_class["class"].dropna()) - {"hot", "cold", "ns"}
    if unknown:
        raise ValueError(f"unknown hotspot classes {sorted(unknown)}")
    sig = cells_with_class[cells_with_class["class"].isin(["hot", "cold"])]
    sig = sig.sort_values("h3", kind="mergesort")
    payload = []
    for cell, cls, n in zip(sig["h3"], sig["class"], sig["count"], strict=True):
        shown = fmt_number(int(n)) if n >= min_count else f"färre än {min_count}"
        tip = f"<b>{HOTSPOT_LABELS[cls].split(' (')[0]}</b><br>Rapporter i cellen: {shown}"
        payload.append([unit_rings((str(cell),)), HOTSPOT_COLOURS[cls], tip])
    return _HotspotLayer(payload, name, show)
