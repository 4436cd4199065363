"""Gi* hotspots of points on an H3 grid, confirmed by an exact binomial test.

The method of both the places report's residents' hotspots
(``trygghet.reports.places.hotspots``, a thin adapter over this module) and
the crime report's Hobit layers: a leaf report may not import another, so the
method stands here, in ``stats``, where any report can use it.

Why the exact confirmation: analytical Gi* p-values are badly
anti-conservative for sparse counts (measured in the places report: with 15
points placed at random, at least one "hot" cell in 70 % of the runs; with
the confirmation 2.5 %). Each cell's neighbourhood total is therefore also
tested exactly: if the N points fell on the m cells at random, the total over
a neighbourhood of n cells is Binomial(N, n/m); the two-sided exact p-values
get their own Benjamini–Hochberg correction, and a cell keeps its hot or cold
class only when both tests agree.
"""

from __future__ import annotations

from collections.abc import Sequence

import h3
import numpy as np
import pandas as pd
from scipy import stats

from trygghet.stats import hotspots

__all__ = ["confirmed_gi_star", "point_cells", "study_area_cells", "touching_groups"]


def point_cells(lat: pd.Series, lon: pd.Series, resolution: int) -> pd.Series:
    """The H3 cell of each point (None where a coordinate is missing), on ``lat``'s index."""
    la = pd.to_numeric(lat, errors="coerce").astype(float)
    lo = pd.to_numeric(lon, errors="coerce").astype(float)
    return pd.Series(
        hotspots.points_to_h3(la.to_numpy(), lo.to_numpy(), resolution),
        index=lat.index,
        dtype=object,
    )


def study_area_cells(
    lat: pd.Series, lon: pd.Series, boundary=None, resolution: int = 8, ring: int = 2
) -> tuple[list[str], str]:
    """All H3 cells of the study area and the method ("gräns" or "utbredning").

    With the kommun's ``boundary`` (a shapely geometry): every cell whose
    centre lies inside it, plus the cells of points just outside. Without:
    the cells of the points' bounding box grown by ``ring`` rings (a fallback
    that makes the study area depend on the data). Cells without points are
    part of the area with count 0: zeros are information for Gi*.
    """
    of_points = set(point_cells(lat, lon, resolution).dropna())
    if boundary is not None and not boundary.is_empty:
        inside = set(h3.geo_to_cells(boundary.__geo_interface__, resolution))
        return sorted(inside | of_points), "gräns"
    la = pd.to_numeric(lat, errors="coerce")
    lo = pd.to_numeric(lon, errors="coerce")
    has = la.notna() & lo.notna()  # a point needs both coordinates
    la, lo = la[has], lo[has]
    if la.empty:
        return [], "utbredning"
    lat0, lat1, lon0, lon1 = float(la.min()), float(la.max()), float(lo.min()), float(lo.max())
    box = h3.LatLngPoly([(lat0, lon0), (lat0, lon1), (lat1, lon1), (lat1, lon0)])
    grown: set[str] = set()
    for cell in set(h3.polygon_to_cells(box, resolution)) | of_points:
        grown.update(h3.grid_disk(cell, ring))
    return sorted(grown), "utbredning"


def confirmed_gi_star(
    lat: pd.Series,
    lon: pd.Series,
    all_cells: Sequence[str],
    *,
    resolution: int = 8,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Gi* per cell (analytical, BH-FDR, k = 1) with the exact confirmation (module doc).

    Returns ``h3, count, gi_z, p_value, q_value, class, neighbourhood,
    p_exact, q_exact``; ``class`` is "hot"/"cold" only where both tests reject.
    """
    cells = point_cells(lat, lon, resolution).dropna()
    counts = cells.value_counts().rename_axis("h3").reset_index(name="count")
    gi = hotspots.getis_ord_gi_star(counts, "h3", "count", all_cells=list(all_cells), alpha=alpha)
    ids = list(gi["h3"])
    index = {c: i for i, c in enumerate(ids)}
    y = gi["count"].to_numpy(float)
    total, m = int(y.sum()), len(ids)
    sums, sizes = np.zeros(m), np.zeros(m)
    for i, cell in enumerate(ids):
        ring = [index[c] for c in h3.grid_disk(cell, 1) if c in index]
        sums[i], sizes[i] = y[ring].sum(), len(ring)
    if total > 0 and m > 0:
        prob = sizes / m
        upper = stats.binom.sf(sums - 1, total, prob)
        lower = stats.binom.cdf(sums, total, prob)
        p_exact = np.minimum(1.0, 2.0 * np.minimum(upper, lower))
    else:
        p_exact = np.ones(m)
    reject, q_exact = hotspots.fdr_bh(p_exact, alpha)
    gi["neighbourhood"] = sums
    gi["p_exact"] = p_exact
    gi["q_exact"] = q_exact
    gi.loc[~reject, "class"] = hotspots.NOT_SIGNIFICANT
    return gi


def touching_groups(cells: Sequence[str]) -> list[list[str]]:
    """Groups of H3 cells that touch (k = 1), each sorted, in a stable order."""
    remaining = set(cells)
    groups = []
    for start in sorted(cells):
        if start not in remaining:
            continue
        stack, group = [start], []
        remaining.discard(start)
        while stack:
            cell = stack.pop()
            group.append(cell)
            for nb in h3.grid_disk(cell, 1):
                if nb in remaining:
                    remaining.discard(nb)
                    stack.append(nb)
        groups.append(sorted(group))
    return groups
