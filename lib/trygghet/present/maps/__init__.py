"""Maps of the "places" report (promise 2): offline, reproducible, privacy-safe folium maps.

One module per map kind:

* :mod:`trygghet.present.maps.core`: deterministic element ids, inlined Leaflet
  (offline), the base map with the kommun boundary, tätorter and an
  OpenStreetMap overlay, the legend, palettes, :func:`map_to_html` and
  :func:`save_map` (atomic);
* :mod:`trygghet.present.maps.aggregate`: residents' reports to H3 cells with
  pooling and suppression of sparse cells (:func:`aggregate_to_h3`);
* :mod:`trygghet.present.maps.reports`: the hexagon choropleth of residents' reports
  (:func:`resident_reports_map`) and the density view (:func:`density_layer`);
* :mod:`trygghet.present.maps.walks`: safety-walk observations by status, overdue
  flagged (:func:`walk_observations_map`);
* :mod:`trygghet.present.maps.hotspots`: Gi* hot and cold cells (:func:`hotspot_layer`);
* :mod:`trygghet.present.maps.choropleth`: areas (kommuner) shaded by a class, with
  tooltips (:func:`choropleth_map`).

No text from the data is ever handed to folium as a template: every layer
that carries text is a :class:`~trygghet.present.maps.core.DataLayer` (fixed
JavaScript, data through :func:`trygghet.present.gate.script_json`). The
background map is off when a map opens, so opening it makes no request.

Typical use in a notebook::

    from trygghet.present import maps
    with maps.deterministic_ids():
        m = maps.resident_reports_map(reports, boundary, tatorter)
    maps.save_map(m, out_dir / "otrygga_platser.html")
    m  # displays in the notebook
"""

from trygghet.present.maps.aggregate import aggregate_to_h3
from trygghet.present.maps.choropleth import ShadedArea, choropleth_map
from trygghet.present.maps.core import (
    BASEMAP_NAME,
    OKABE_ITO,
    SEQUENTIAL,
    STATUS_COLOURS,
    DataLayer,
    Legend,
    base_map,
    deterministic_ids,
    external_assets,
    kommun_layers,
    load_boundary,
    load_tatorter,
    map_to_html,
    save_map,
)
from trygghet.present.maps.hotspots import hotspot_layer
from trygghet.present.maps.reports import DENSITY_LABEL, density_layer, resident_reports_map
from trygghet.present.maps.walks import walk_observations_map

__all__ = [
    "BASEMAP_NAME",
    "DENSITY_LABEL",
    "OKABE_ITO",
    "SEQUENTIAL",
    "STATUS_COLOURS",
    "DataLayer",
    "Legend",
    "ShadedArea",
    "aggregate_to_h3",
    "base_map",
    "choropleth_map",
    "density_layer",
    "deterministic_ids",
    "external_assets",
    "hotspot_layer",
    "load_boundary",
    "kommun_layers",
    "load_tatorter",
    "map_to_html",
    "resident_reports_map",
    "save_map",
    "walk_observations_map",
]
