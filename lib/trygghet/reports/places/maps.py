"""Maps of the places report: drawn by :mod:`trygghet.present.maps`, chosen here.

This module only chooses what goes on the maps: the boundary and tätort
layers from the mirror, the period's reports (position, category and status,
never the free text) and the walk observations in scope (without their
problem description).
"""

from __future__ import annotations

from pathlib import Path

from trygghet import paths
from trygghet.reports.places.analysis import PlacesAnalysis
from trygghet.reports.places.hotspots import H3_RESOLUTION
from trygghet.reports.places.walks import observations_in_scope, overdue_at


def map_layers(kommun: str, shared_data: str | Path | None = None):
    """(boundary GeoDataFrame or None, tätort points or None) from the mirror, for the maps."""
    from trygghet.present import maps

    mirror = Path(shared_data) if shared_data else paths.shared_data_dir()
    boundary = tatorter = None
    geojson = mirror / "scb" / "kommuner_scb_wgs84.geojson"
    points = mirror / "scb" / "tatorter_2020_points.csv"
    try:
        boundary = maps.load_boundary(geojson, kommun) if geojson.is_file() else None
    except ValueError:
        boundary = None
    if points.is_file():
        tatorter = maps.load_tatorter(points, kommun)
    return boundary, tatorter


def reports_map(a: PlacesAnalysis, kommun: str, shared_data: str | Path | None = None):
    """The hexagon map of the period's reports with the Gi* hot/cold layer.

    Only ``lat``, ``lon``, ``category`` and ``status`` are handed to the map
    module (never the free text); it aggregates to H3 cells of
    :data:`H3_RESOLUTION` and suppresses cells with fewer than the kommun's
    ``min_count`` reports. The Gi* layer shows the confirmed classes of
    :func:`hotspot_analysis`.
    """
    from trygghet.present import maps

    boundary, tatorter = map_layers(kommun, shared_data)
    pos = a.positioned_in_period[["lat", "lon", "category", "status"]]
    with maps.deterministic_ids("platser_rapporter"):
        return maps.resident_reports_map(
            pos,
            boundary,
            tatorter,
            resolution=H3_RESOLUTION,
            min_count=a.min_count,
            hotspots=a.gi[["h3", "class", "count"]],
            title=f"Anmälningar om otrygga platser {a.period}",
        )


def walks_map(a: PlacesAnalysis, kommun: str, shared_data: str | Path | None = None):
    """The map of the walk observations in scope (:func:`observations_in_scope`), overdue ringed."""
    from trygghet.present import maps

    boundary, tatorter = map_layers(kommun, shared_data)
    keep = observations_in_scope(a.walks, a.period, a.as_of)
    obs = a.walks[keep].drop(columns=["description"], errors="ignore")
    obs = obs.assign(overdue=overdue_at(a.walks, a.as_of)[keep])
    with maps.deterministic_ids("platser_vandringar"):
        return maps.walk_observations_map(obs, boundary, tatorter, as_of=a.as_of)
