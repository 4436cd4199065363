"""The map of police-recorded crime (Hobit): hexagon layers per promise-3 category.

Built from the same blocks as the residents' map
(:mod:`trygghet.present.maps.reports`), with the crime report's words
("anmälda brott", not "rapporter") and a stricter choice of layers:

* positions are aggregated by
  :func:`~trygghet.present.maps.aggregate.aggregate_to_h3` (sparse cells
  pooled once or left out), so no drawn hexagon holds fewer than
  ``min_count`` crimes; case keys, place texts and positions never reach the
  map (only ``lat``, ``lon`` and ``category`` are read, and only the cells
  leave this module);
* one exclusive layer for all crimes and one per promise-3 category; a
  category's count in a hexagon is drawn only when it is at least
  ``min_count`` **and** the rest of the hexagon is 0 or at least
  ``min_count`` (complementary suppression against the hexagon's total:
  :func:`~trygghet.present.maps.reports.shown_counts`);
* the Gi* layer draws confirmed hot and cold cells holding 0 or at least
  ``min_count`` crimes.

Every text is :func:`~trygghet.present.gate.html_text` and every layer a
:class:`~trygghet.present.maps.core.DataLayer` (no folium tooltips); the
background map is off when the map opens.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from trygghet.present.gate import html_text
from trygghet.present.maps.aggregate import aggregate_to_h3, layer_column, unit_rings
from trygghet.present.maps.core import (
    BASEMAP_NOTE,
    SEQUENTIAL,
    DataElement,
    DataLayer,
    Legend,
    add_boundary,
    add_layer_control,
    add_tatorter,
    base_map,
    data_bounds,
    js_name,
    round_coords,
)
from trygghet.present.maps.hotspots import (
    HOTSPOT_CELLS_JS,
    HOTSPOT_COLOURS,
    HOTSPOT_LABELS,
    hidden_note,
)
from trygghet.present.maps.reports import (
    _class_labels,
    count_breaks,
    hexagon_data_js,
    shown_counts,
)
from trygghet.present.maps.reports import _flatten_points as _points
from trygghet.present.swedish import fmt_number
from trygghet.sources.hobit import PROMISE_CATEGORIES

__all__ = ["CRIME_LAYER_CATEGORIES", "crime_cells", "police_crime_map"]

#: The promise-3 categories that get a layer of their own ("övrigt" only counts in "alla").
CRIME_LAYER_CATEGORIES: tuple[str, ...] = tuple(PROMISE_CATEGORIES)

_HEX_JS = hexagon_data_js("anmälda brott")


def crime_cells(crimes: pd.DataFrame, resolution: int, min_count: int) -> pd.DataFrame:
    """:func:`aggregate_to_h3` of ``lat``, ``lon``, ``category`` (nothing else is read)."""
    return aggregate_to_h3(
        crimes[["lat", "lon", "category"]], resolution, min_count, by=("category",)
    )


def _shown(cells: pd.DataFrame, k: int) -> pd.DataFrame:
    """Per hexagon and category, the count that may be shown (0 where hidden)."""
    cols = [c for c in cells.columns if isinstance(c, str) and c.startswith("category:")]
    table = cells[cols].astype("int64")
    if table.empty:
        return table
    mask = [shown_counts([int(n) for n in row], k) for row in table.to_numpy()]
    return table.where(pd.DataFrame(mask, index=table.index, columns=table.columns), 0)


def _detail(total: int, shown: Mapping[str, int], pooled: bool) -> str:
    parts = sorted(
        ((int(n), c.split(":", 1)[1]) for c, n in shown.items() if int(n)),
        key=lambda t: (-t[0], t[1]),
    )
    rest = total - sum(n for n, _ in parts)
    text = [f"{html_text(v)} {fmt_number(n)}" for n, v in parts]
    if rest:
        text.append(f"övriga {fmt_number(rest)}")
    line = "Brottskategori: " + " · ".join(text)
    if pooled:
        line += "<br><i>Sammanslagen yta (glesa celler i samma större hexagon)</i>"
    return line


def _hot_layer(gi: pd.DataFrame, k: int) -> DataLayer:
    sig = gi[gi["class"].isin(["hot", "cold"])].sort_values("h3", kind="mergesort")
    n = pd.to_numeric(sig["count"], errors="coerce").fillna(0).astype(int)
    few = (n > 0) & (n < k)
    payload = [
        [
            unit_rings((str(cell),)),
            HOTSPOT_COLOURS[cls],
            f"<b>{html_text(HOTSPOT_LABELS[cls].split(' (')[0])}</b><br>"
            f"Anmälda brott i cellen: {fmt_number(int(c))}",
        ]
        for cell, cls, c in zip(sig["h3"][~few], sig["class"][~few], n[~few], strict=True)
    ]
    layer = DataLayer(
        HOTSPOT_CELLS_JS, payload, name="Heta och kalla punkter (Gi*, FDR 5 %)", kind="HotspotLayer"
    )
    layer.n_hidden = int(few.sum())
    return layer


def police_crime_map(
    crimes: pd.DataFrame,
    boundary: gpd.GeoDataFrame | Mapping[str, Any] | str | Path | None = None,
    tatorter: pd.DataFrame | None = None,
    *,
    resolution: int = 8,
    min_count: int = 5,
    hotspots: pd.DataFrame | None = None,
    title: str = "Polisanmälda brott",
) -> folium.Map:
    """Hexagons of police-recorded crime: "alla" and one layer per promise-3 category.

    ``crimes`` needs ``lat``, ``lon``, ``category``; ``hotspots`` (``h3``,
    ``class``, ``count``) adds the confirmed Gi* layer. Build inside
    :func:`~trygghet.present.maps.core.deterministic_ids`.
    """
    cells = crime_cells(crimes, resolution, min_count)
    k = int(min_count)
    shown = _shown(cells, k)
    breaks = count_breaks(int(cells["count"].max()) if len(cells) else k, k)
    colours = SEQUENTIAL[-len(breaks) :]
    rings = [unit_rings(members) for members in cells["members"]]
    details = [
        _detail(int(cells["count"].iloc[i]), shown.iloc[i].to_dict(), bool(cells["pooled"].iloc[i]))
        for i in range(len(cells))
    ]
    m = base_map()
    data = DataElement(
        _HEX_JS,
        {"rings": rings, "detail": details, "breaks": breaks, "colours": colours},
        kind="HexData",
    )
    data.add_to(m)
    code = f"function(d) {{ return {js_name(data.get_name())}.layer(d.idx, d.n, d.label); }}"

    def add_layer(counts: pd.Series, name: str, label: str, show: bool) -> None:
        keep = counts >= k  # hidden counts are 0 in ``shown``
        idx = [int(i) for i in counts.index[keep]]
        n = [int(v) for v in counts[keep]]
        payload = {"idx": idx, "n": n, "label": html_text(label)}
        DataLayer(
            code,
            payload,
            name=f"{name} ({fmt_number(sum(n))})",
            overlay=False,
            show=show,
            kind="HexLayer",
        ).add_to(m)

    add_layer(cells["count"], "Alla anmälda brott", "alla kategorier", True)
    for cat in CRIME_LAYER_CATEGORIES:
        col = layer_column("category", cat)
        counts = shown[col] if col in shown else pd.Series(0, index=cells.index)
        add_layer(counts, f"Kategori: {cat}", f"kategori {cat}", False)

    bounds = None
    if boundary is not None:
        _layer, bounds = add_boundary(m, boundary)
    if tatorter is not None and len(tatorter):
        add_tatorter(m, tatorter)
    items: list[tuple[str | None, str]] = list(zip(colours, _class_labels(breaks), strict=True))
    if hotspots is not None:
        _hot_layer(hotspots, k).add_to(m)
        items += [(None, "Gi* (eget lager, FDR 5 %, bekräftat med exakt test):")]
        items += [
            (HOTSPOT_COLOURS[c], HOTSPOT_LABELS[c].replace("rapporter", "anmälda brott"))
            for c in ("hot", "cold")
        ]
        if hidden_note(k):
            items += [(None, hidden_note(k).replace("anmälningar", "anmälda brott"))]
    if rings:  # start where the data are, not on the whole kommun
        pts = [p for r in rings for p in _points(r)]
        bounds = data_bounds([p[0] for p in pts], [p[1] for p in pts]) or bounds
    if bounds is not None:
        m.fit_bounds(round_coords([list(bounds[0]), list(bounds[1])]))
    a = cells.attrs
    notes = [
        f"Polisanmälda brott ur Hobit, generaliserade till H3-hexagoner (upplösning {a['resolution']}). "
        f"Ingen yta med färre än {k} brott visas; glesa celler slås ihop eller visas inte.",
        f"Brott totalt {fmt_number(a['n_input'])}; ej visade (för glest) {fmt_number(a['n_suppressed'])}; "
        f"utan position {fmt_number(a['n_without_position'])}.",
        f"I ett kategorilager visas ett antal bara om det är minst {k} och resten av ytan också är "
        f"0 eller minst {k}.",
        BASEMAP_NOTE + " Gränser och tätorter: SCB.",
    ]
    Legend(f"{title} – antal per hexagon", items, notes).add_to(m)
    add_layer_control(m)
    return m
