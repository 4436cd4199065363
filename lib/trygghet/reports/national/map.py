"""The map of Sweden: each kommun coloured by its funnel class on the police share.

Categorical colours (Okabe–Ito, :data:`trygghet.reports.national.figures.CLASS_COLOURS`),
drawn by :func:`trygghet.present.maps.choropleth_map` (this module only chooses
the colours and the tooltip rows; every text reaches the page through the
gate, never as a template): Leaflet is inlined, element ids are deterministic
and the coordinates rounded, so the page is byte-identical between builds, and
the background map is off, so opening it makes no request.
:mod:`trygghet.present.maps` is imported inside :func:`police_map_html`, under a
warning filter (see there).
"""

from __future__ import annotations

import pandas as pd

from trygghet.present import style
from trygghet.present.gate import embedded_page_html
from trygghet.present.swedish import fmt_int, fmt_number, fmt_percent
from trygghet.reports.national.analysis import MIN_EVENTS, NOT_IN_BATCH, TOO_FEW, Overview
from trygghet.reports.national.figures import CLASS_COLOURS
from trygghet.reports.national.text import CLASS_LABELS, PROMISE_GROUP_TEXT
from trygghet.stats import rates

#: Geometry simplification for the national map, in degrees (WGS 84):
#: 0.01° is about 1,1 km north–south and 0,5 km east–west at 62° N, invisible
#: at the zoom of a map of Sweden, and it shrinks the 290 boundaries from
#: megabytes to a few hundred kilobytes. Shapely's Douglas–Peucker with
#: ``preserve_topology=True``; neighbouring borders are simplified separately
#: and may show hairline gaps when zoomed far in.
SIMPLIFY_DEGREES = 0.01

MAP_SOURCE = "Polismyndigheten (händelser), SCB (kommungränser, förenklade)"


class MapView:
    """A map page shown in the notebook as an iframe; the same bytes every build.

    ``html`` is :func:`trygghet.present.maps.map_to_html` of the map (Leaflet inlined,
    nothing loaded from the network); rendering it once here, instead of via
    folium's own repr at display time, keeps the notebook output reproducible.
    """

    def __init__(self, page: str, height: int = 720) -> None:
        self.html = page
        self.height = height

    @property
    def size_bytes(self) -> int:
        return len(self.html.encode("utf-8"))

    def _repr_html_(self) -> str:
        return embedded_page_html(
            self.html, title="Karta över Sveriges kommuner", height=self.height
        )


def police_map(overview: Overview, *, simplify: float = SIMPLIFY_DEGREES) -> MapView | None:
    """Choropleth of Sweden: each kommun's funnel class on the police promise-group share.

    Geometries simplified by ``simplify`` degrees (:data:`SIMPLIFY_DEGREES`)
    and rounded to 4 decimals; built inside
    :func:`trygghet.present.maps.deterministic_ids` on :func:`trygghet.present.maps.core.base_map`,
    so the page is offline and byte-identical between builds. None when the
    events or the boundaries are missing.
    """
    if overview.police is None or overview.boundaries is None:
        return None
    return MapView(police_map_html(overview.police, overview.boundaries, simplify=simplify))


def police_map_html(shares: pd.DataFrame, boundaries, *, simplify: float = SIMPLIFY_DEGREES) -> str:
    """The standalone offline HTML page of the police-share map (see :func:`police_map`)."""
    import warnings

    with warnings.catch_warnings():
        # trygghet.present.maps imports esda (hotspots), which imports tqdm.auto; its
        # "IProgress not found" warning would land in the report's output.
        warnings.filterwarnings("ignore", message="IProgress not found")
        from trygghet.present import maps

    gdf = boundaries[["kommun_code", "geometry"]].copy()
    gdf["kommun_code"] = gdf["kommun_code"].astype(str)
    gdf = gdf.merge(shares, on="kommun_code", how="left").sort_values("kommun_code")
    gdf["position"] = gdf["position"].fillna(NOT_IN_BATCH)
    gdf["n_events"] = gdf["n_events"].fillna(0)
    gdf["kommun_name"] = gdf["kommun_name"].fillna(gdf["kommun_code"])
    gdf["geometry"] = gdf.geometry.simplify(simplify, preserve_topology=True)
    areas = [
        maps.ShadedArea(
            row.geometry.__geo_interface__, CLASS_COLOURS[str(row["position"])], _tooltip_rows(row)
        )
        for _, row in gdf.iterrows()
    ]
    s, w, n, e = 55.3, 10.9, 69.1, 24.2  # Sweden's extent, rounded outward
    # Zoom to the batch (all of Sweden for a national batch); the rest stays grey around it.
    focus = gdf[gdf["in_batch"].fillna(False).astype(bool)] if "in_batch" in gdf else gdf
    if len(focus) == 0:
        focus = gdf
    if len(focus):
        minx, miny, maxx, maxy = (float(v) for v in focus.total_bounds)
        s, w, n, e = round(miny, 2), round(minx, 2), round(maxy, 2), round(maxx, 2)
    period = shares.attrs.get("period", "")
    items: list[tuple[str | None, str]] = [
        (CLASS_COLOURS[c], CLASS_LABELS[c])
        for c in (
            rates.ABOVE_998,
            rates.ABOVE_95,
            rates.WITHIN,
            rates.BELOW_95,
            rates.BELOW_998,
            TOO_FEW,
        )
    ]
    notes = [
        f"Andel av polisens publicerade händelser {period} som gäller {PROMISE_GROUP_TEXT}, "
        "jämförd med rikets andel (exakta binomiala gränser).",
        f"Grått: kommunen ingår inte i körningen eller hade färre än {MIN_EVENTS} händelser.",
        "Inte brottsstatistik: antalet händelser räknas aldrig om per invånare.",
        f"Kommungränser: SCB, förenklade ({fmt_number(simplify, 2)} grader ≈ 1 km).",
    ]
    with maps.deterministic_ids("riket"):
        m = maps.choropleth_map(
            areas,
            [[s, w], [n, e]],
            name=f"Läge i tratten {period}",
            legend_title="Läge i tratten",
            legend_items=items,
            notes=notes,
        )
        page = maps.map_to_html(m)
    return page


def _tooltip_rows(row: pd.Series) -> list[tuple[str, str]]:
    """The tooltip of one kommun as plain (label, value) rows; the map escapes them."""
    position = str(row["position"])
    n = int(row["n_events"])
    share = "–" if n == 0 else fmt_percent(row["share"])
    if position == NOT_IN_BATCH:
        state = "ingår inte i körningen"
    elif position == TOO_FEW:
        state = f"för få händelser (färre än {MIN_EVENTS})"
    else:
        state = CLASS_LABELS[position]
    return [
        ("Kommun", str(row["kommun_name"])),
        ("Händelser", fmt_int(n)),
        ("Andel i löftesgrupperna", share),
        ("Läge i tratten", state),
    ]


def map_caption(overview: Overview, view: MapView | None):
    """Caption of the map, or None when the map was skipped."""
    if view is None:
        return None
    return style.caption(
        f"Sveriges kommuner färgade efter var andelen av polisens händelser {overview.period} "
        f"som gäller {PROMISE_GROUP_TEXT} ligger i tratten (grått: för få händelser eller inte "
        "med i körningen).",
        MAP_SOURCE,
    )


def map_skipped_sentence(overview: Overview) -> str:
    """Why the map is missing, or "" when it is shown."""
    if overview.police is None:
        return "Kartan hoppas över: polisens händelser saknas."
    if overview.boundaries is None:
        return "Kartan hoppas över: kommungränserna saknas (kör 'trygghet ingest')."
    return ""
