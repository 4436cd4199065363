"""The map of residents' reports of unsafe places: hexagon choropleth layers.

Why hexagons and not points: exact positions of residents' reports are
personal data and never reach the map (see :mod:`trygghet.present.maps.aggregate`),
and drawing counts per cell is also what keeps the map light. Measured with
``scripts/bench_maps.py`` (100,000 synthetic reports around five tätorter,
2-core machine under load): one CircleMarker per report 49.6 MB and ~99 s;
this map 1.4 MB (3,417 units at resolution 9, 17 layers, density overlay,
boundaries, tätorter) and 0.6–1.5 s in two runs.

How the page stays small with many layers: the hexagon outlines are written
**once** (one JavaScript object per map) and every layer ("alla", one per
category, one per status) only lists which units it draws and their counts.
The layers are exclusive (radio buttons in the layer control), because
stacked choropleths cannot be read; the boundary, the tätorter, the
OpenStreetMap background, the density view and the Gi* hotspots are check
boxes. All counts share one colour scale, so the same colour means the same
number of reports in every layer.

Small numbers: every drawn unit holds at least ``min_count`` reports
(:func:`~trygghet.present.maps.aggregate.aggregate_to_h3`), and inside a unit a
category's or status's count is shown (in its layer and in the tooltip) only
when it is at least ``min_count`` **and** what is left unshown ("övriga") is 0
or at least ``min_count`` too; otherwise the smallest shown counts join
"övriga" until it is (complementary suppression), so no count below the rule
can be read off or derived from the unit's total.

No text reaches a template: the layers are
:class:`~trygghet.present.maps.core.DataLayer` objects (fixed JavaScript, data as
:func:`~trygghet.present.gate.script_json`, tooltip texts through
:func:`~trygghet.present.gate.html_text`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import h3
import pandas as pd

from trygghet.present.gate import html_text
from trygghet.present.maps.aggregate import aggregate_to_h3, layer_column, unit_rings
from trygghet.present.maps.core import (
    BASEMAP_NOTE,
    COORD_DECIMALS,
    SEQUENTIAL,
    DataElement,
    DataLayer,
    Legend,
    add_boundary,
    add_heat_assets,
    add_layer_control,
    add_tatorter,
    base_map,
    data_bounds,
    js_name,
    round_coords,
)
from trygghet.present.swedish import fmt_number

__all__ = [
    "DENSITY_LABEL",
    "count_breaks",
    "density_layer",
    "resident_reports_map",
]

DENSITY_LABEL = "Täthet (orientering, ej signifikanstest)"

_BY_LABEL = {"category": "Kategori", "status": "Status"}
_BY_NOUN = {"category": "kategorier", "status": "statusar"}

#: Okabe–Ito yellow -> orange -> vermillion: lightness falls monotonically, so
#: the density reads in greyscale and for every common form of colour blindness.
DENSITY_GRADIENT = {0.25: "#F0E442", 0.6: "#E69F00", 1.0: "#D55E00"}


def count_breaks(max_count: int, min_count: int, n_classes: int = 5) -> list[int]:
    """Lower bounds of up to ``n_classes`` count classes, "nice" numbers (1-2-5 series).

    The first class starts at ``min_count`` (nothing below it is drawn); the
    others are the 1-2-5 numbers nearest to a geometric progression up to
    ``max_count``, because report counts are skewed (a few busy cells).
    """
    if max_count <= min_count:
        return [min_count]
    nice = sorted({m * 10**e for e in range(8) for m in (1, 2, 5)})
    breaks = [min_count]
    ratio = max_count / min_count
    for i in range(1, n_classes):
        target = min_count * ratio ** (i / n_classes)
        candidates = [v for v in nice if breaks[-1] < v <= max_count]
        if not candidates:
            break
        best = min(candidates, key=lambda v: abs(math.log(v / target)))
        if best > breaks[-1]:
            breaks.append(best)
    return breaks


def _class_labels(breaks: Sequence[int]) -> list[str]:
    labels = []
    for i, lo in enumerate(breaks):
        if i + 1 < len(breaks):
            hi = breaks[i + 1] - 1
            labels.append(fmt_number(lo) if hi == lo else f"{fmt_number(lo)}–{fmt_number(hi)}")
        else:
            labels.append(f"{fmt_number(lo)} eller fler")
    return labels


_HEX_DATA_JS_TEMPLATE = """function(d) {
    d.colour = function(n) {
        var b = this.breaks, c = this.colours, i = b.length - 1;
        while (i > 0 && n < b[i]) { i--; }
        return c[i];
    };
    d.layer = function(idx, n, label) {
        var g = L.featureGroup();
        for (var i = 0; i < idx.length; i++) {
            var k = idx[i];
            L.polygon(d.rings[k], {
                color: "#4d4d4d", weight: 0.6, opacity: 0.8,
                fillColor: d.colour(n[i]), fillOpacity: 0.75
            }).bindTooltip(
                "<b>" + n[i].toLocaleString("sv-SE") + " __UNIT__</b> – " + label
                + "<br>" + d.detail[k], {sticky: true}
            ).addTo(g);
        }
        return g;
    };
    return d;
}"""


def hexagon_data_js(unit: str) -> str:
    """The fixed JavaScript that colours and binds the hexagons, counting ``unit`` per hexagon.

    ``unit`` is the library's own wording ("rapporter", "anmälda brott"), never data.
    """
    if not all(ch.isalnum() or ch == " " for ch in unit):
        raise ValueError(f"unit must be plain words: {unit!r}")
    return _HEX_DATA_JS_TEMPLATE.replace("__UNIT__", unit)


_HEX_DATA_JS = hexagon_data_js("rapporter")


def _keep_on_top(names: list[str]) -> DataElement:
    """Bring the boundary and tätorter back on top after the hexagon layer changes."""
    layers = ", ".join(js_name(n) for n in names)  # element names, not data
    code = (
        "function(_, map) {\n"
        '    map.on("baselayerchange overlayadd", function() {\n'
        f"        [{layers}].forEach(function(layer) {{\n"
        "            if (map.hasLayer(layer)) { layer.bringToFront(); }\n"
        "        });\n"
        "    });\n"
        "}"
    )
    return DataElement(code, None, kind="KeepOnTop")


def _hex_data(
    rings: list,
    details: list[str],
    breaks: list[int],
    colours: list[str],
    code: str = _HEX_DATA_JS,
) -> DataElement:
    """The shared hexagon outlines, tooltip details (HTML) and colour scale: one JS object."""
    payload = {"rings": rings, "detail": details, "breaks": breaks, "colours": colours}
    return DataElement(code, payload, kind="HexData")


def _hex_layer(
    data: DataElement, idx: list[int], counts: list[int], name: str, label: str, *, show: bool
) -> DataLayer:
    """One exclusive choropleth layer over the shared hexagons: which units, what counts."""
    code = f"function(d) {{ return {js_name(data.get_name())}.layer(d.idx, d.n, d.label); }}"
    payload = {"idx": idx, "n": counts, "label": html_text(label)}
    layer = DataLayer(code, payload, name=name, overlay=False, show=show, kind="HexLayer")
    layer.n_units = len(idx)
    return layer


def shown_counts(counts: Sequence[int], min_count: int) -> list[bool]:
    """Which of one unit's counts (per category or per status) may be shown.

    A count is shown when it is at least ``min_count`` and what is left
    unshown is 0 or at least ``min_count``: while the rest is in between, the
    smallest shown count joins it (complementary suppression; ties: the
    first). With nothing shown the rest is the unit's total.
    """
    shown = [n >= min_count for n in counts]
    rest = sum(n for n, s in zip(counts, shown, strict=True) if not s)
    while 0 < rest < min_count and any(shown):
        i = min((j for j, s in enumerate(shown) if s), key=lambda j: (counts[j], j))
        shown[i] = False
        rest += counts[i]
    return shown


def _shown_table(cells: pd.DataFrame, col: str, values: list[str], k: int) -> pd.DataFrame:
    """The counts of ``col``'s values per unit, 0 where :func:`shown_counts` hides them."""
    table = cells[[layer_column(col, v) for v in values]].astype("int64")
    if table.empty:
        return table
    mask = [shown_counts([int(n) for n in row], k) for row in table.to_numpy()]
    return table.where(pd.DataFrame(mask, index=table.index, columns=table.columns), 0)


def _detail(
    row: Mapping[str, Any],
    by: Sequence[str],
    values: dict[str, list[str]],
    shown: dict[str, Mapping[str, int]],
) -> str:
    """Tooltip lines (HTML) of one unit: the counts that may be shown, the rest as "övriga"."""
    lines = []
    for col in by:
        parts_n = [(int(shown[col][layer_column(col, v)]), v) for v in values[col]]
        parts_n = sorted(((n, v) for n, v in parts_n if n), key=lambda t: (-t[0], t[1]))
        rest = int(row["count"]) - sum(n for n, _v in parts_n)
        parts = [f"{html_text(v)} {fmt_number(n)}" for n, v in parts_n]
        if rest:
            parts.append(f"övriga {fmt_number(rest)}")
        lines.append(f"{html_text(_BY_LABEL.get(col, col))}: " + " · ".join(parts))
    if "dominant_category" in row:
        lines.append(f"Vanligast: {html_text(row['dominant_category'])}")
    if row["pooled"]:
        lines.append("<i>Sammanslagen yta (glesa celler i samma större hexagon)</i>")
    return "<br>".join(lines)


def density_layer(cells: pd.DataFrame, *, show: bool = False) -> folium.plugins.HeatMap:
    """A kernel density view of aggregated cells, for orientation only.

    Built from :func:`aggregate_to_h3` output, never from reports: each drawn
    unit contributes its count at the centre of its cell (or of the parent
    cell for a pooled area), rounded to 4 decimals, so the density shows no
    position finer than the cells. A heat map is *not* a hotspot test (see
    :func:`trygghet.present.maps.hotspots.hotspot_layer`), hence its label. Add it
    with :func:`trygghet.present.maps.core.add_heat_assets` (done by
    :func:`resident_reports_map`) so that it works offline.
    """
    if cells.empty:
        data: list[list[float]] = []
    else:
        top = float(cells["count"].max())
        data = []
        for unit, n in zip(cells["h3"], cells["count"], strict=True):
            a, b = h3.cell_to_latlng(unit)
            data.append(
                [round(a, COORD_DECIMALS), round(b, COORD_DECIMALS), round(float(n) / top, 4)]
            )
    return folium.plugins.HeatMap(
        data,
        name=DENSITY_LABEL,
        radius=22,
        blur=18,
        min_opacity=0.25,
        gradient=DENSITY_GRADIENT,
        overlay=True,
        control=True,
        show=show,
    )


def resident_reports_map(
    reports: pd.DataFrame,
    boundary: gpd.GeoDataFrame | Mapping[str, Any] | str | Path | None = None,
    tatorter: pd.DataFrame | gpd.GeoDataFrame | None = None,
    *,
    layers_by: Sequence[str] = ("category", "status"),
    resolution: int = 9,
    min_count: int = 3,
    hotspots: pd.DataFrame | None = None,
    density: bool = True,
    title: str = "Rapporter om otrygga platser",
    noun: str = "rapporter",
    totals: Mapping[str, int] | None = None,
) -> folium.Map:
    """Hexagon choropleth of residents' reports: "alla", one layer per category and status.

    ``reports`` as read by :mod:`trygghet.sources.resident_reports` (only
    ``lat``, ``lon`` and the ``layers_by`` columns are used; free text is never
    read). The reports are aggregated with :func:`aggregate_to_h3`
    (``resolution``, ``min_count``): no unit with fewer than ``min_count``
    reports is drawn, in any layer. ``boundary`` (the kommun, e.g. from
    :func:`trygghet.present.maps.core.load_boundary`) and ``tatorter`` are drawn as
    vector layers so the map reads without tiles. ``hotspots`` (columns
    ``h3``, ``class``, ``count``) adds a Gi* layer
    (:func:`trygghet.present.maps.hotspots.hotspot_layer`); ``density`` adds a hidden
    density overlay. Build inside :func:`trygghet.present.maps.core.deterministic_ids`
    for a reproducible page.

    ``noun`` is what is counted, in the layer names, tooltips and legend
    ("rapporter", "anmälningar"; the library's words, never data). ``totals``
    reconciles the map with the report's own counts: the number of reports of
    the period per layer (key ``"alla"`` and :func:`layer_column` keys such as
    ``"category:belysning"``), usually including reports without a position.
    With it every layer is named "(total; drawn visas)" and a column's layers
    are listed in the order of ``totals`` (the report's ranking); without it a
    layer is named by the number it draws, and values are listed alphabetically.
    """
    cells = aggregate_to_h3(reports, resolution, min_count, by=layers_by)
    k = cells.attrs["min_count"]
    values = {
        col: [
            c.split(":", 1)[1]
            for c in cells.columns
            if isinstance(c, str) and c.startswith(f"{col}:")
        ]
        for col in layers_by
    }

    shown = {col: _shown_table(cells, col, values[col], k) for col in layers_by}
    m = base_map()
    bounds = None
    breaks = count_breaks(int(cells["count"].max()) if len(cells) else k, k)
    colours = SEQUENTIAL[-len(breaks) :] if len(breaks) < len(SEQUENTIAL) else SEQUENTIAL
    rings = [unit_rings(members) for members in cells["members"]]
    details = [
        _detail(row, layers_by, values, {col: shown[col].iloc[i] for col in layers_by})
        for i, row in enumerate(cells.to_dict("records"))
    ]
    data = _hex_data(rings, details, breaks, colours, hexagon_data_js(noun))
    data.add_to(m)

    def add_layer(counts: pd.Series, key: str, name: str, label: str, show: bool) -> None:
        mask = counts >= k  # hidden counts are 0 in ``shown``
        idx = [int(i) for i in counts.index[mask]]
        n = [int(v) for v in counts[mask]]
        # The total of what the layer draws: a sum of counts of at least k each.
        drawn = fmt_number(sum(n))
        if totals is None:
            layer_name = f"{name} ({drawn})"
        else:
            layer_name = f"{name} ({fmt_number(int(totals.get(key, 0)))}; {drawn} visas)"
        _hex_layer(data, idx, n, layer_name, label, show=show).add_to(m)

    add_layer(cells["count"], "alla", f"Alla {noun}", "alla kategorier", True)
    for col in layers_by:
        for value in _layer_values(col, values[col], totals):
            key = layer_column(col, value)
            counts = shown[col][key] if key in shown[col] else pd.Series(dtype="int64")
            add_layer(
                counts,
                key,
                f"{_BY_LABEL.get(col, col)}: {value}",
                f"{_BY_LABEL.get(col, col).lower()} {value}",
                False,
            )

    on_top: list[str] = []
    if boundary is not None:
        layer, bounds = add_boundary(m, boundary)
        on_top.append(layer.get_name())
    if tatorter is not None and len(tatorter):
        on_top.append(add_tatorter(m, tatorter).get_name())
    if density and len(cells):
        heat = density_layer(cells)
        add_heat_assets(m, heat)
        heat.add_to(m)
    if hotspots is not None:
        from trygghet.present.maps.hotspots import hotspot_layer

        hotspot_layer(hotspots, min_count=k).add_to(m)
    if on_top:
        _keep_on_top(on_top).add_to(m)

    if len(cells):  # start where the data are, not on the whole kommun
        lats = [pt[0] for r in rings for pt in _flatten_points(r)]
        lons = [pt[1] for r in rings for pt in _flatten_points(r)]
        bounds = data_bounds(lats, lons) or bounds
    if bounds is not None:
        m.fit_bounds(round_coords([list(bounds[0]), list(bounds[1])]))

    a = cells.attrs
    edge = {9: "ca 200 m", 8: "ca 530 m", 7: "ca 1,4 km"}.get(a["resolution"], "")
    drawn_total = a["n_input"] - a["n_without_position"] - a["n_suppressed"]
    per = " eller per ".join(_BY_LABEL.get(c, c).lower() for c in layers_by)
    numbers = "Talet efter lagrets namn är antalet " + (
        f"{noun} under perioden i lagret (även de utan position) och hur många av dem lagret visar."
        if totals is not None
        else f"{noun} som lagret visar."
    )
    notes = [
        f"Positioner generaliserade till H3-hexagoner (upplösning {a['resolution']}, kant {edge}). "
        f"Ingen yta med färre än {k} {noun} visas: glesa celler slås ihop inom en större "
        f"hexagon (upplösning {a['resolution'] - 1}) eller visas inte.",
        f"{noun.capitalize()} totalt {fmt_number(a['n_input'])}: {fmt_number(drawn_total)} visas "
        f"på kartan (varav {fmt_number(a['n_pooled'])} i sammanslagna ytor), "
        f"{fmt_number(a['n_suppressed'])} visas inte eftersom de ligger för glest och "
        f"{fmt_number(a['n_without_position'])} saknar position.",
        f"Välj lager uppe till höger: alla {noun}, per {per}. Samma färg betyder samma antal i "
        f"alla lager. I ett lager per {per} visas bara antal på minst {k}, och bara om resten "
        f"av ytan också är minst {k} (annars räknas de som övriga). {numbers}",
        "Täthetslagret är en orientering, inte ett signifikanstest.",
        BASEMAP_NOTE + " Gränser och tätorter: SCB.",
    ]
    items: list[tuple[str | None, str]] = list(zip(colours, _class_labels(breaks), strict=True))
    if hotspots is not None:
        from trygghet.present.maps.hotspots import HOTSPOT_COLOURS, HOTSPOT_LABELS, hidden_note

        items += [(None, "Gi* (eget lager, FDR 5 %; ej signifikanta celler visas inte):")]
        items += [(HOTSPOT_COLOURS[c], HOTSPOT_LABELS[c]) for c in ("hot", "cold")]
        if hidden_note(k):
            items += [(None, hidden_note(k))]
    Legend(f"{title} – antal per hexagon", items, notes).add_to(m)
    add_layer_control(m)
    return m


def _layer_values(col: str, values: list[str], totals: Mapping[str, int] | None) -> list[str]:
    """A column's layer values: in the order of ``totals`` when given, then the rest."""
    if totals is None:
        return values
    prefix = f"{col}:"
    ordered = [key[len(prefix) :] for key in totals if key.startswith(prefix)]
    return ordered + [v for v in values if v not in ordered]


def _flatten_points(rings: list) -> list[list[float]]:
    if rings and isinstance(rings[0], list) and rings[0] and isinstance(rings[0][0], float | int):
        return rings
    out: list[list[float]] = []
    for r in rings:
        out.extend(_flatten_points(r))
    return out
