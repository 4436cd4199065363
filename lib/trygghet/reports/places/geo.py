"""Distances, compass bearings and coarse place names: never coordinates on the page.

A hotspot or a measure is named by the nearest configured area of the kommun
and a direction ("ca 0,5 km nordost om Hällefors"), so that the report can say
where without showing an exact position.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from trygghet.config import KommunConfig
from trygghet.present.swedish import fmt_number
from trygghet.stats.areas import haversine_m


def _bearing_deg(lat0: float, lon0: float, lat1: float, lon1: float) -> float:
    """Initial compass bearing from point 0 to point 1 (degrees, 0 = north)."""
    p0, p1 = math.radians(lat0), math.radians(lat1)
    dl = math.radians(lon1 - lon0)
    x = math.sin(dl) * math.cos(p1)
    y = math.cos(p0) * math.sin(p1) - math.sin(p0) * math.cos(p1) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360.0) % 360.0


_COMPASS = ("norr", "nordost", "öster", "sydost", "söder", "sydväst", "väster", "nordväst")


def place_label(lat: float, lon: float, areas: Sequence[tuple[str, float, float]]) -> str:
    """A coarse place name: nearest configured area + direction, never coordinates.

    Within 250 m of the area's centre: "centrala <namn>". Farther away: "ca
    <d> km <väderstreck> om <namn>" with the distance rounded to half a
    kilometre. ``areas`` are (name, lat, lon) triples (the kommun config's areas).
    """
    if not areas:
        return "okänt område"
    dists = haversine_m(lat, lon, [a[1] for a in areas], [a[2] for a in areas])
    i = int(np.argmin(dists))
    name, alat, alon = areas[i]
    d = float(dists[i])
    if d < 250:
        return f"centrala {name}"
    km = max(0.5, round(d / 500) * 0.5)
    direction = _COMPASS[int(((_bearing_deg(alat, alon, lat, lon) + 22.5) % 360) // 45)]
    return f"ca {fmt_number(km, 1)} km {direction} om {name}"


def area_points(config: KommunConfig) -> list[tuple[str, float, float]]:
    """(name, lat, lon) of the configured areas with coordinates."""
    return [(a.name, float(a.lat), float(a.lon)) for a in config.areas if a.lat is not None]
