"""Which configured area of the kommun a position belongs to: one rule for every report.

A resident's report, a police-recorded crime or any other positioned item
belongs to the nearest configured area (its centre in the kommun's config)
within :data:`AREA_RADIUS_M`; farther away it belongs to none. The crime
report's Hobit tables, the places report and the follow-up's triangulation
all count per area with this rule, so an area's count is the same on every
page (issue 16: one number, one definition).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trygghet.config import KommunConfig

#: A position belongs to the nearest configured area within this distance.
AREA_RADIUS_M = 5000.0
_EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in metres (vectorised, broadcasting like numpy)."""
    p1, p2 = np.radians(np.asarray(lat1, float)), np.radians(np.asarray(lat2, float))
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2, float) - np.asarray(lon1, float))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def nearest_area(
    lat: pd.Series, lon: pd.Series, config: KommunConfig, radius_m: float = AREA_RADIUS_M
) -> pd.Series:
    """The nearest configured area within ``radius_m`` of each position, else NaN.

    A missing position is NaN too; the caller tells the two apart when it must.
    """
    pts = [(a.name, a.lat, a.lon) for a in config.areas if a.lat is not None and a.lon is not None]
    out = pd.Series(np.nan, index=lat.index, dtype=object)
    if not pts or lat.empty:
        return out
    la = pd.to_numeric(lat, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    lo = pd.to_numeric(lon, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    dist = np.column_stack([haversine_m(la, lo, a_lat, a_lon) for _, a_lat, a_lon in pts])
    ok = ~np.isnan(dist).all(axis=1)
    best = np.full(len(la), -1)
    best[ok] = np.nanargmin(dist[ok], axis=1)
    near = ok & (dist[np.arange(len(la)), np.maximum(best, 0)] <= radius_m)
    names = np.array([n for n, _, _ in pts], dtype=object)
    out[near] = names[best[near]]
    return out


def count_per_area(areas: pd.Series, config: KommunConfig) -> dict[str, int]:
    """Items per configured area (every area, zero where none), from :func:`nearest_area`."""
    counts = areas.dropna().astype(str).value_counts()
    return {a.name: int(counts.get(a.name, 0)) for a in config.areas}
