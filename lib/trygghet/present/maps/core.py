"""Shared machinery of the project's maps: stable ids, offline assets, base layers, output.

Every map of the "places" report (promise 2) is a folium map that must

* be **reproducible**: two builds of the same map give byte-identical HTML,
  so that a report can be diffed and cached. folium and branca give every
  element a random id (``os.urandom``); :func:`deterministic_ids` swaps the
  generator for a counter while a map is built (MEASURED.md: this makes every
  layer type byte-identical);
* **read offline** (an offline meeting room, CI): folium loads Leaflet,
  jQuery, Bootstrap and awesome-markers from CDNs, and without network the
  map is blank. These maps use only Leaflet itself (GeoJson, Tooltip,
  LayerControl, CircleMarker, polygons and the legend are plain Leaflet or
  plain HTML; jQuery, Bootstrap, Font Awesome and awesome-markers are needed
  only by folium's Marker icons and popups with Bootstrap styling, which are
  not used), so Leaflet 1.9.4's JS and CSS, vendored in
  ``trygghet/resources/leaflet/``, are inlined and folium's CDN links are
  dropped. The kommun boundary and the tätorter are vector layers, so the map
  reads without tiles;
* make **no request at all when opened**: the OpenStreetMap background is a
  layer the reader switches on ("Bakgrundskarta (kräver nät)"), off by
  default, so nobody learns who opened a map of where residents feel unsafe
  unless the reader asks for tiles;
* **never hand text to a template**: folium renders a macro element's script
  through Jinja, and then the rendered script once more as a template of its
  own, so ``{{7*7}}`` in a walk protocol would be evaluated on the machine that
  renders the report. Every layer of these maps that carries text is a
  :class:`DataLayer` or :class:`DataElement`: fixed JavaScript called with
  the data as :func:`trygghet.present.gate.script_json`, written into the page
  as raw text (never a template); strings that JavaScript puts into the page
  as HTML (tooltips, legend, layer names) are :func:`trygghet.present.gate.html_text`
  first;
* **never carry more precision than needed**: every coordinate this package
  writes is rounded to :data:`COORD_DECIMALS` decimals (4 decimals: about
  11 m north-south and 6 m east-west at 60° N). That is ample for a kommun
  boundary, a tätort point or a hexagon of 174 m edge, keeps the HTML small,
  and means no exact position of anything reaches the map.

The colours are the Okabe–Ito palette (as :mod:`trygghet.present.style`), which stays
distinguishable for the common forms of colour blindness; all user-facing
text is Swedish.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import itertools
import json
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import branca.element
import folium
import geopandas as gpd
import pandas as pd
from folium.elements import ElementAddToElement

from trygghet import atomic, paths
from trygghet.present.gate import html_text, script_json

__all__ = [
    "BASEMAP_NAME",
    "COORD_DECIMALS",
    "LEAFLET_DIR",
    "OKABE_ITO",
    "OSM_ATTRIBUTION",
    "SEQUENTIAL",
    "STATUS_COLOURS",
    "STATUS_LABELS",
    "DataElement",
    "DataLayer",
    "Legend",
    "add_boundary",
    "add_heat_assets",
    "add_layer_control",
    "add_tatorter",
    "base_map",
    "colour",
    "deterministic_ids",
    "external_assets",
    "load_boundary",
    "kommun_layers",
    "load_tatorter",
    "map_to_html",
    "round_coords",
    "save_map",
]

#: Decimals kept in every coordinate written to a map (~11 m north-south).
COORD_DECIMALS = 4

LEAFLET_DIR: Path = paths.RESOURCES_DIR / "leaflet"

#: Okabe–Ito colours by name (Okabe & Ito 2008).
OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "himmelsblå": "#56B4E9",
    "blågrön": "#009E73",
    "gul": "#F0E442",
    "blå": "#0072B2",
    "cinnober": "#D55E00",
    "purpur": "#CC79A7",
    "svart": "#000000",
    "grå": "#999999",
}

#: Status of a measure -> colour. Red-orange = nothing done, sky blue = under
#: way, bluish green = done, grey = closed without measure: the Okabe–Ito
#: colours that stay apart for protanopia, deuteranopia and tritanopia.
STATUS_COLOURS: dict[str, str] = {
    "ny": OKABE_ITO["cinnober"],
    "pågår": OKABE_ITO["himmelsblå"],
    "åtgärdad": OKABE_ITO["blågrön"],
    "avslagen": OKABE_ITO["grå"],
}
STATUS_LABELS: dict[str, str] = {
    "ny": "ny (inget gjort än)",
    "pågår": "pågår",
    "åtgärdad": "åtgärdad",
    "avslagen": "avslagen (ingen åtgärd)",
}

#: Sequential light-to-dark scale for counts: ColorBrewer "Blues" (5 classes),
#: single-hue, so it reads for every form of colour blindness and in greyscale.
SEQUENTIAL: list[str] = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
# Shown only while the background map is on; a link fetches nothing until it is clicked.
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-bidragsgivare'
)
SCB_ATTRIBUTION = "Gränser och tätorter: SCB"
#: The background map's name in the layer control: off until the reader ticks it.
BASEMAP_NAME = "Bakgrundskarta (kräver nät)"
#: The legend's line about the background map.
BASEMAP_NOTE = (
    "Bakgrundskartan (© OpenStreetMap-bidragsgivare) är avslagen; slå på den i lagerväljaren "
    "(hämtar kartbilder från nätet)."
)

# ---------------------------------------------------------------------------
# Deterministic element ids

_ID_LOCK = threading.Lock()
_ID_STATE: dict[str, Any] = {"depth": 0, "counter": None, "original": None}


@contextlib.contextmanager
def deterministic_ids(prefix: str = "") -> Iterator[None]:
    """Give every folium/branca element created inside the block a counter id.

    branca's ``Element._generate_id`` returns 32 random hex digits, so two
    builds of the same map never match. Inside this block it returns
    ``f"{prefix}{n}"`` with n = 1, 2, … restarting at every (outermost) entry,
    so building the same map twice gives byte-identical HTML. Ids are assigned
    when an element is *created*: build the whole map inside the block.

    ``prefix`` (letters, digits, underscore) keeps the JavaScript names of
    several maps on one page apart; maps in notebooks live in separate
    iframes and need none. Nested blocks share the outer counter. The swap is
    process-wide while a block is open (guarded by a lock, and other threads
    building maps at the same time would get counter ids too, which is
    harmless but not reproducible for them): build maps from one thread.
    """
    if not re.fullmatch(r"[A-Za-z0-9_]*", prefix):
        raise ValueError(f"prefix may hold only letters, digits and _, got {prefix!r}")
    element_cls = branca.element.Element
    with _ID_LOCK:
        if _ID_STATE["depth"] == 0:
            _ID_STATE["original"] = element_cls.__dict__["_generate_id"]
            counter = itertools.count(1)
            _ID_STATE["counter"] = counter

            def _counter_id(cls: type) -> str:
                return f"{prefix}{next(counter)}"

            element_cls._generate_id = classmethod(_counter_id)  # type: ignore[method-assign,assignment]
        _ID_STATE["depth"] += 1
    try:
        yield
    finally:
        with _ID_LOCK:
            _ID_STATE["depth"] -= 1
            if _ID_STATE["depth"] == 0:
                element_cls._generate_id = _ID_STATE["original"]  # type: ignore[method-assign]
                _ID_STATE["original"] = None
                _ID_STATE["counter"] = None


# ---------------------------------------------------------------------------
# Offline assets


class _RawElement(branca.element.Element):
    """An element that renders a fixed string (not a Jinja template: Leaflet's code is data)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RawElement"
        self._text = text

    def render(self, **kwargs: Any) -> str:
        return self._text


@cache
def _leaflet_css() -> str:
    css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match[str]) -> str:
        image = LEAFLET_DIR / "images" / match.group(1)
        if not image.is_file():  # marker-shadow etc.: not used by these maps
            return "url(data:,)"
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{encoded})"

    return re.sub(r"url\(images/([\w.-]+)\)", data_uri, css)


def _strip_source_map(js: str) -> str:
    return re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.MULTILINE)


@cache
def _leaflet_js() -> str:
    return _strip_source_map((LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8"))


@cache
def _heat_js() -> str:
    return _strip_source_map((LEAFLET_DIR / "leaflet-heat.min.js").read_text(encoding="utf-8"))


_BASE_CSS = """
.trygghet-legend{background:rgba(255,255,255,.92);padding:8px 10px;border-radius:4px;
box-shadow:0 1px 4px rgba(0,0,0,.35);font:16px/1.35 system-ui,-apple-system,"Segoe UI",
Roboto,Arial,sans-serif;color:#222;max-width:300px}
.trygghet-legend h4{margin:0 0 4px;font-size:16px}
.trygghet-legend .sw{display:inline-block;width:14px;height:14px;margin-right:6px;
vertical-align:-2px;border:1px solid #555}
.trygghet-legend .dot{border-radius:50%}
.trygghet-legend .note{margin-top:5px;font-size:14px;color:#333}
.trygghet-legend h4{cursor:pointer}
.trygghet-legend h4:after{content:" ▾";font-weight:normal}
.trygghet-legend.collapsed h4:after{content:" ▸ visa";font-weight:normal}
.trygghet-legend.collapsed .body{display:none}
.trygghet-legend-below{display:none}
@media print{
.leaflet-control-layers,.leaflet-control-zoom,.leaflet-control-attribution{display:none!important}
.folium-map{height:62%!important}
.trygghet-legend-below{display:block;font-size:11px}
.trygghet-legend-below .trygghet-legend{box-shadow:none;max-width:none;padding:2px 0;font-size:11px;
columns:2;column-gap:16px}
.trygghet-legend-below .trygghet-legend h4{font-size:12px;column-span:all}
.trygghet-legend-below .trygghet-legend .note{font-size:10px}
.trygghet-legend .body{display:block!important}
.trygghet-legend h4:after{content:""!important}
}
.trygghet-label{background:transparent;border:0;box-shadow:none;font-weight:600;
color:#111;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff}
.trygghet-label:before{display:none}
.leaflet-heatmap-layer{pointer-events:none}
"""


def _offline(m: folium.Map) -> None:
    """Drop folium's CDN links from ``m`` and inline Leaflet's CSS and JS in its page."""
    m.default_js = []  # instance attributes shadow folium's class-level CDN lists
    m.default_css = []
    header = m.get_root().header
    header.add_child(_RawElement(f"<style>{_leaflet_css()}</style>"), name="leaflet_css_inline")
    header.add_child(_RawElement(f"<style>{_BASE_CSS}</style>"), name="trygghet_css")
    header.add_child(_RawElement(f"<script>{_leaflet_js()}</script>"), name="leaflet_js_inline")


def add_heat_assets(m: folium.Map, heat: folium.plugins.HeatMap) -> None:
    """Inline Leaflet.heat for ``heat`` instead of folium's CDN link."""
    heat.default_js = []
    m.get_root().header.add_child(
        _RawElement(f"<script>{_heat_js()}</script>"), name="leaflet_heat_inline"
    )


_EXTERNAL = re.compile(
    r"""<(?:script[^>]*\bsrc|link[^>]*\bhref)\s*=\s*["']((?:https?:)?//[^"']+)["']""",
    re.IGNORECASE,
)


def external_assets(html: str) -> list[str]:
    """URLs of scripts and style sheets that ``html`` would load over the network."""
    return _EXTERNAL.findall(html)


# ---------------------------------------------------------------------------
# Geometry helpers


def round_coords(obj: Any, decimals: int = COORD_DECIMALS) -> Any:
    """Round every float in a nested GeoJSON-like structure (lists, tuples, dicts)."""
    if isinstance(obj, float):
        return round(obj, decimals)
    if isinstance(obj, list | tuple):
        return [round_coords(x, decimals) for x in obj]
    if isinstance(obj, Mapping):
        return {k: round_coords(v, decimals) for k, v in obj.items()}
    return obj


def _as_geojson(data: gpd.GeoDataFrame | Mapping[str, Any] | str | Path) -> dict[str, Any]:
    if isinstance(data, str | Path):
        data = json.loads(Path(data).read_text(encoding="utf-8"))
    if isinstance(data, gpd.GeoDataFrame):
        gdf = data.to_crs(4326) if data.crs is not None and data.crs.to_epsg() != 4326 else data
        data = json.loads(gdf.to_json(drop_id=True))
    if not isinstance(data, Mapping) or "type" not in data:
        raise TypeError("expected a GeoDataFrame, a GeoJSON mapping or a path to a GeoJSON file")
    return dict(data)


def load_boundary(path: str | Path, kommun_code: str) -> gpd.GeoDataFrame:
    """The boundary of one kommun from a GeoJSON with ``kommun_code`` (e.g. SCB's mirror)."""
    gdf = gpd.read_file(path)
    out = gdf[gdf["kommun_code"].astype(str) == str(kommun_code)]
    if out.empty:
        raise ValueError(f"kommun {kommun_code} finns inte i {path}")
    return out.to_crs(4326)


def load_tatorter(path: str | Path, kommun_code: str) -> pd.DataFrame:
    """Tätort points (``tatort``, ``lat``, ``lon``, ``population``) of one kommun from SCB's file.

    Read by the strict SCB reader, so a broken file raises a
    :class:`~trygghet.errors.DataError` that names file, row and column.
    """
    from trygghet.sources.scb import read_tatorter

    df = read_tatorter(Path(path))
    out = df.loc[df["kommun_code"] == str(kommun_code), ["tatort", "lat", "lon", "population"]]
    return pd.DataFrame(out).reset_index(drop=True)


def kommun_layers(
    kommun_code: str, mirror: str | Path
) -> tuple[gpd.GeoDataFrame | None, pd.DataFrame | None]:
    """The kommun's boundary and tätort points from the mirror, each None when missing or broken.

    A map without its boundary or labels still shows the data; a broken SCB
    file is reported in detail by ``trygghet ingest`` and must not stop a report.
    """
    from trygghet.errors import DataError

    scb = Path(mirror) / "scb"
    geojson, points = scb / "kommuner_scb_wgs84.geojson", scb / "tatorter_2020_points.csv"
    boundary = tatorter = None
    try:
        boundary = load_boundary(geojson, kommun_code) if geojson.is_file() else None
    except Exception:  # noqa: BLE001 – pyogrio/fiona raise their own types for a broken file
        boundary = None
    try:
        tatorter = load_tatorter(points, kommun_code) if points.is_file() else None
    except (DataError, ValueError, OSError):
        tatorter = None
    return boundary, tatorter


# ---------------------------------------------------------------------------
# Layers drawn from data: fixed JavaScript, JSON data, never a template

_COLOUR = re.compile(r"#[0-9A-Fa-f]{3}(?:[0-9A-Fa-f]{3})?")
_JS_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# What would make code a template (Jinja) or end the <script> element.
_NOT_IN_CODE = re.compile(r"\{\{|\{%|\{#|</script", re.IGNORECASE)


def colour(value: object) -> str:
    """``value`` if it is a ``#rgb``/``#rrggbb`` colour, else ``ValueError`` (it goes into CSS)."""
    if not isinstance(value, str) or not _COLOUR.fullmatch(value):
        raise ValueError(f"not a colour: {value!r}")
    return value


def js_name(value: str) -> str:
    """``value`` if it is a plain JavaScript identifier (an element's name), else ``ValueError``."""
    if not _JS_NAME.fullmatch(value):
        raise ValueError(f"not a JavaScript name: {value!r}")
    return value


def _checked_code(code: str) -> str:
    if _NOT_IN_CODE.search(code):
        raise ValueError("map code must not contain template marks or </script>")
    return code


class _RawScript:
    """Mixin: the element's script is ``var name = (code)(data, parent);`` written as raw text.

    folium's :class:`~branca.element.MacroElement` would paste the rendered
    script into a new template and render it again; here the text goes into
    the page as it is, and the data is :func:`~trygghet.present.gate.script_json`.
    """

    code: str
    data: Any

    def script_text(self) -> str:
        name = js_name(self.get_name())  # type: ignore[attr-defined]
        parent = js_name(self._parent.get_name())  # type: ignore[attr-defined]
        return f"var {name} = ({self.code})({script_json(self.data)}, {parent});\n"

    def _render_raw(self, **kwargs: Any) -> None:
        root = self.get_root()  # type: ignore[attr-defined]
        root.script.add_child(_RawElement(self.script_text()), name=self.get_name())  # type: ignore[attr-defined]
        for child in list(self._children.values()):  # type: ignore[attr-defined]
            child.render(**kwargs)


class DataElement(_RawScript, branca.element.MacroElement):
    """A map element drawn by fixed JavaScript ``code`` from JSON ``data`` (see :class:`DataLayer`).

    ``code`` is a JavaScript function expression ``function(data, map) {…}``;
    its return value is kept under the element's name.
    """

    def __init__(self, code: str, data: Any, *, kind: str = "DataElement") -> None:
        super().__init__()
        self._name = kind
        self.code = _checked_code(code)
        self.data = data

    def render(self, **kwargs: Any) -> None:
        self._render_raw(**kwargs)


class DataLayer(_RawScript, folium.map.Layer):
    """A layer in the layer control drawn by fixed JavaScript from JSON data.

    ``code`` is a function expression ``function(data, map) {…}`` returning a
    Leaflet layer; ``data`` is written with :func:`~trygghet.present.gate.script_json`
    (strings scrubbed, nothing in them can open a template or end the script);
    strings the code puts into the page as HTML must be
    :func:`~trygghet.present.gate.html_text` already. ``name`` is plain text:
    it is scrubbed and escaped here (Leaflet's layer control shows it as HTML).
    """

    def __init__(
        self,
        code: str,
        data: Any,
        *,
        name: str,
        overlay: bool = True,
        control: bool = True,
        show: bool = True,
        kind: str = "DataLayer",
    ) -> None:
        super().__init__(name=html_text(name), overlay=overlay, control=control, show=show)
        self._name = kind
        self.code = _checked_code(code)
        self.data = data

    def render(self, **kwargs: Any) -> None:
        if self.show:
            self.add_child(
                ElementAddToElement(
                    element_name=self.get_name(), element_parent_name=self._parent.get_name()
                ),
                name=self.get_name() + "_add",
            )
        self._render_raw(**kwargs)


def _bounds_of(geojson: Mapping[str, Any]) -> list[list[float]] | None:
    lats: list[float] = []
    lons: list[float] = []

    def walk(c: Any) -> None:
        if isinstance(c, list | tuple) and c and isinstance(c[0], int | float):
            lons.append(float(c[0]))
            lats.append(float(c[1]))
        elif isinstance(c, list | tuple):
            for x in c:
                walk(x)

    feats = geojson.get("features", [geojson])
    for f in feats:
        geom = f.get("geometry", f)
        if geom:
            walk(geom.get("coordinates", []))
    if not lats:
        return None
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


# ---------------------------------------------------------------------------
# The base map and its vector layers


#: Margin around the data when a map opens, in kilometres (the data are not at the edge).
DATA_MARGIN_KM = 1.0


def data_bounds(lats: Sequence[float], lons: Sequence[float]) -> list[list[float]] | None:
    """The box around the data, with :data:`DATA_MARGIN_KM` of margin; None without data.

    Maps open on it, not on the whole kommun: in a small kommun the reports
    may be two clusters in a map of 900 km².
    """
    pairs = [(float(a), float(o)) for a, o in zip(lats, lons, strict=False)
             if a == a and o == o]  # fmt: skip
    if not pairs:
        return None
    import math

    south, north = min(p[0] for p in pairs), max(p[0] for p in pairs)
    west, east = min(p[1] for p in pairs), max(p[1] for p in pairs)
    dlat = DATA_MARGIN_KM / 111.0
    dlon = DATA_MARGIN_KM / (111.0 * max(0.2, math.cos(math.radians((south + north) / 2))))
    return [[south - dlat, west - dlon], [north + dlat, east + dlon]]


def base_map(bounds: Sequence[Sequence[float]] | None = None) -> folium.Map:
    """An offline-ready folium map: inlined Leaflet, no CDN links, OSM tiles as a hidden overlay.

    The OpenStreetMap layer (:data:`BASEMAP_NAME`) is an *overlay* (a check
    box) so that the report's thematic layers can be exclusive base layers
    (radio buttons), and it is **off** when the map opens: the page makes no
    request until the reader ticks it (its attribution appears only then).
    The vector layers carry the map without it. Canvas rendering
    (``prefer_canvas``) keeps thousands of hexagons fast.
    """
    if bounds is not None:
        (s, w), (n, e) = bounds
        centre = [round((s + n) / 2, COORD_DECIMALS), round((w + e) / 2, COORD_DECIMALS)]
    else:
        centre = [62.0, 15.0]  # the middle of Sweden
    m = folium.Map(
        location=centre,
        zoom_start=10 if bounds is not None else 5,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
    )
    _offline(m)
    # Off by default: opening the map must make no request; the reader switches tiles on.
    folium.TileLayer(
        tiles=OSM_TILES,
        attr=OSM_ATTRIBUTION,
        name=BASEMAP_NAME,
        overlay=True,
        control=True,
        show=False,
        max_zoom=19,
    ).add_to(m)
    if bounds is not None:
        m.fit_bounds(round_coords([list(bounds[0]), list(bounds[1])]))
    return m


_BOUNDARY_JS = """function(d) {
    return L.geoJSON(d, {
        style: {color: "#333333", weight: 2.5, fill: false, dashArray: "6 4"},
        interactive: false
    });
}"""

_TATORTER_JS = """function(d) {
    var g = L.featureGroup();
    d.forEach(function(p) {
        L.circleMarker([p[0], p[1]], {
            radius: 4, color: "#000000", weight: 1.5, fill: true,
            fillColor: "#ffffff", fillOpacity: 1
        }).bindTooltip(p[2], {
            permanent: true, direction: "right", className: "trygghet-label"
        }).addTo(g);
    });
    return g;
}"""


def _geometry_only(geojson: Mapping[str, Any]) -> dict[str, Any]:
    """The features' geometries without their properties (names etc. are not needed)."""
    feats = geojson.get("features", [geojson]) if geojson.get("type") != "Feature" else [geojson]
    geoms = [f.get("geometry") if f.get("type") == "Feature" else f for f in feats]
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": g} for g in geoms if g],
    }


def add_boundary(
    m: folium.Map, boundary: gpd.GeoDataFrame | Mapping[str, Any] | str | Path
) -> tuple[DataLayer, list[list[float]] | None]:
    """Draw the kommun boundary (outline only, coordinates rounded); return it and its bounds.

    Only the geometry reaches the page: the file's properties are dropped.
    """
    geojson = _geometry_only(round_coords(_as_geojson(boundary)))
    layer = DataLayer(_BOUNDARY_JS, geojson, name="Kommungräns", kind="Boundary")
    layer.add_to(m)
    return layer, _bounds_of(geojson)


def add_tatorter(m: folium.Map, tatorter: pd.DataFrame | gpd.GeoDataFrame) -> DataLayer:
    """Draw tätorter as small black points with their names as permanent labels.

    Accepts a DataFrame with ``tatort``, ``lat``, ``lon`` (SCB's CSV) or a
    GeoDataFrame of points with a ``tatort`` column. Names go through
    :func:`~trygghet.present.gate.html_text`.
    """
    df = tatorter
    if isinstance(df, gpd.GeoDataFrame):
        pts = df.to_crs(4326) if df.crs is not None and df.crs.to_epsg() != 4326 else df
        df = pd.DataFrame({"tatort": pts["tatort"], "lat": pts.geometry.y, "lon": pts.geometry.x})
    points = [
        [
            round(float(row.lat), COORD_DECIMALS),
            round(float(row.lon), COORD_DECIMALS),
            html_text(row.tatort),
        ]  # fmt: skip
        for row in df.itertuples(index=False)
    ]
    layer = DataLayer(_TATORTER_JS, points, name="Tätorter", kind="Tatorter")
    layer.add_to(m)
    return layer


_LEGEND_JS = """function(html, map) {
    var legend = L.control({position: "bottomleft"});
    legend.onAdd = function() {
        // Starts folded to its title, so the map is not covered; a click opens it.
        var div = L.DomUtil.create("div", "trygghet-legend collapsed");
        div.innerHTML = html;
        var title = div.querySelector("h4");
        if (title) {
            title.setAttribute("role", "button");
            title.setAttribute("tabindex", "0");
            title.addEventListener("click", function() { div.classList.toggle("collapsed"); });
        }
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
    };
    legend.addTo(map);
    // On paper the legend goes below the map, not over it: the map gives up the
    // lower part of the page to it (print CSS), and the legend moves back on screen.
    var box = legend.getContainer(), corner = box.parentNode, container = map.getContainer();
    var below = document.createElement("div");
    below.className = "trygghet-legend-below";
    container.parentNode.insertBefore(below, container.nextSibling);
    function place(printing) {
        if (printing) { below.appendChild(box); } else { corner.appendChild(box); }
        map.invalidateSize();
    }
    if (window.matchMedia) {
        var media = window.matchMedia("print");
        var onChange = function(e) { place(e.matches); };
        if (media.addEventListener) { media.addEventListener("change", onChange); }
        else if (media.addListener) { media.addListener(onChange); }
        if (media.matches) { place(true); }
    }
    window.addEventListener("beforeprint", function() { place(true); });
    window.addEventListener("afterprint", function() { place(false); });
    return legend;
}"""


class Legend(DataElement):
    """A fixed legend box (bottom left) built from plain HTML, Swedish text.

    ``items`` are ``(colour, label)`` pairs drawn as squares (or dots with
    ``dots=True``; a colour of ``None`` gives an indented text line); ``notes``
    are short lines in small print under them (method, suppression, sources).
    Every text goes through :func:`~trygghet.present.gate.html_text` and every
    colour must be a ``#rrggbb`` colour; ``extra_html`` is markup built by the
    calling code (never data).
    """

    def __init__(
        self,
        title: str,
        items: Sequence[tuple[str | None, str]],
        notes: Sequence[str] = (),
        *,
        dots: bool = False,
        extra_html: str = "",
    ) -> None:
        shape = "sw dot" if dots else "sw"
        rows = []
        for fill, label in items:
            if fill is None:
                rows.append(f"<div>{html_text(label)}</div>")
            else:
                rows.append(
                    f'<div><span class="{shape}" style="background:{colour(fill)}"></span>'
                    f"{html_text(label)}</div>"
                )
        notes_html = "".join(f'<div class="note">{html_text(n)}</div>' for n in notes)
        content = (
            f"<h4>{html_text(title)}</h4>"
            f'<div class="body">{"".join(rows)}{extra_html}{notes_html}</div>'
        )
        super().__init__(_LEGEND_JS, content, kind="Legend")
        self.content = content


def add_layer_control(m: folium.Map) -> None:
    """A layer control folded to its icon (it opens on a click or hover), so it covers no data."""
    folium.LayerControl(position="topright", collapsed=True).add_to(m)


# ---------------------------------------------------------------------------
# Output


def map_to_html(m: folium.Map, *, require_offline: bool = True) -> str:
    """The standalone HTML page of ``m``.

    With ``require_offline`` (default), raise ``ValueError`` if the page would
    load any script or style sheet over the network (e.g. after someone added
    a MarkerCluster), or uses folium's awesome-markers icons, whose CDN script
    the base map drops: such a map is blank or broken in an offline meeting
    room. Tiles are images, not assets, and are allowed.
    """
    # folium's rendering is not idempotent (a second render moves the layers'
    # ``addTo`` calls to the end of the script), so render a copy: the same map
    # then always gives the same page, however often it is saved or displayed.
    html = copy.deepcopy(m.get_root()).render()
    if require_offline:
        external = external_assets(html)
        if "L.AwesomeMarkers" in html:  # its script is one of the CDN assets dropped
            external.append("Leaflet.awesome-markers (folium.Icon)")
        if external:
            raise ValueError(
                "kartan hämtar skript eller stilmallar från nätet och fungerar inte utan "
                f"uppkoppling: {', '.join(sorted(set(external)))}"
            )
    return html


def save_map(m: folium.Map, path: str | Path, *, require_offline: bool = True) -> Path:
    """Write ``m`` as a standalone HTML file, atomically (see :mod:`trygghet.atomic`)."""
    target = Path(path)
    atomic.write_text(target, map_to_html(m, require_offline=require_offline))
    return target
