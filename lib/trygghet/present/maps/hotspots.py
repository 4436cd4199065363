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
A drawn hexagon must never stand for fewer reports than ``min_count``, so a
significant cell holding 1 to ``min_count - 1`` reports is **not drawn**
(counted in the layer's ``n_hidden``; the legend says that such cells are
left out). A cell with no report at all (typical of a cold spot) is drawn
with its count 0: it tells nothing about anyone.
"""

from __future__ import annotations

import pandas as pd

from trygghet.present.gate import html_text
from trygghet.present.maps.aggregate import unit_rings
from trygghet.present.maps.core import OKABE_ITO, DataLayer
from trygghet.present.swedish import fmt_number

__all__ = ["HOTSPOT_COLOURS", "HOTSPOT_LABELS", "hidden_note", "hotspot_layer"]

HOTSPOT_COLOURS: dict[str, str] = {"hot": OKABE_ITO["cinnober"], "cold": OKABE_ITO["blå"]}
HOTSPOT_LABELS: dict[str, str] = {
    "hot": "Het punkt (fler rapporter än slumpen ger)",
    "cold": "Kall punkt (färre rapporter än slumpen ger)",
}
LAYER_NAME = "Heta och kalla punkter (Gi*, FDR 5 %)"

#: Fixed JavaScript drawing hot/cold cells from ``[[ring, colour, tooltip html], …]``.
HOTSPOT_CELLS_JS = """function(cells) {
    var g = L.featureGroup();
    for (var i = 0; i < cells.length; i++) {
        var c = cells[i];
        L.polygon(c[0], {
            color: c[1], weight: 2, opacity: 1, fillColor: c[1], fillOpacity: 0.45
        }).bindTooltip(c[2], {sticky: true}).addTo(g);
    }
    return g;
}"""


def hidden_note(min_count: int) -> str:
    """The legend's line on the significant cells the layer leaves out."""
    return (
        f"Heta och kalla rutor med 1–{fmt_number(min_count - 1)} anmälningar visas inte "
        f"(färre än {fmt_number(min_count)})."
        if min_count > 1
        else ""
    )


def hotspot_layer(
    cells_with_class: pd.DataFrame,
    *,
    min_count: int = 3,
    name: str = LAYER_NAME,
    show: bool = True,
) -> DataLayer:
    """A layer of the hot ("hot") and cold ("cold") Gi* cells; "ns" cells are not drawn.

    ``cells_with_class`` needs the columns ``h3``, ``class`` and ``count``.
    Significant cells with ``0 < count < min_count`` are left out too (see the
    module doc); their number is the layer's ``n_hidden``. Cell outlines are
    rounded to 4 decimals like every coordinate of these maps.
    """
    missing = {"h3", "class", "count"} - set(cells_with_class.columns)
    if missing:
        raise ValueError(f"cells_with_class lacks the columns {sorted(missing)}")
    unknown = set(cells_with_class["class"].dropna()) - {"hot", "cold", "ns"}
    if unknown:
        raise ValueError(f"unknown hotspot classes {sorted(unknown)}")
    k = int(min_count)
    sig = cells_with_class[cells_with_class["class"].isin(["hot", "cold"])]
    counts = pd.to_numeric(sig["count"], errors="coerce").fillna(0).astype(int)
    few = (counts > 0) & (counts < k)
    sig = sig[~few].sort_values("h3", kind="mergesort")
    payload = []
    for cell, cls, n in zip(sig["h3"], sig["class"], counts[~few].loc[sig.index], strict=True):
        tip = (
            f"<b>{html_text(HOTSPOT_LABELS[cls].split(' (')[0])}</b><br>"
            f"Rapporter i cellen: {html_text(fmt_number(int(n)))}"
        )
        payload.append([unit_rings((str(cell),)), HOTSPOT_COLOURS[cls], tip])
    layer = DataLayer(HOTSPOT_CELLS_JS, payload, name=name, show=show, kind="HotspotLayer")
    layer.n_hidden = int(few.sum())
    return layer
