"""Hotspots of events on an H3 hexagon grid: Getis-Ord Gi* with FDR control.

"Hotspots tested for significance with a multiple-testing correction, not just
heat maps": events (trygghetsvandring observations, resident reports, EST
events; never Polisen's events API, whose coordinates are kommun centroids)
are counted per H3 cell, each cell's neighbourhood sum is compared with what a
spatially random arrangement of the same counts would give (Gi*), and the
cell-wise p-values are corrected for testing every cell (Benjamini-Hochberg).

Weights: binary, the cell itself plus its H3 k-ring (k = 1: the six
neighbours), built as a :class:`libpysal.graph.Graph` with self-weight 1 and
passed to :class:`esda.G_Local` with ``transform="B", star=True``.

Measured (2-core machine, esda 2.9, libpysal 4.14; see
/work/shared/docs/MEASURED.md): analytical Gi* on ~3,200 H3 cells takes about
0.01-0.03 s with a ``Graph`` and ~0.3 s with 999 permutations. The legacy
``libpysal.weights.W`` is ~6-8x slower for analytical Gi* when esda has to add
the self-weights (it round-trips the sparse matrix); re-measured here for
3,169 cells: Graph 8.6 ms, W without self-weights 53 ms, W with self-weights
already set 13 ms. Hence ``Graph`` with the self-weight assigned up front.
Building that graph from H3 ids (:func:`h3_graph`, a Python loop over
``h3.grid_disk``) costs ~0.09 s for those 3,169 cells and dominates the
analytical run (~0.1 s in all; ~0.35 s with 999 permutations).

References
----------
- Getis A., Ord J.K. (1992). The analysis of spatial association by use of
  distance statistics. Geographical Analysis 24:189-206.
- Ord J.K., Getis A. (1995). Local spatial autocorrelation statistics:
  distributional issues and an application. Geographical Analysis 27:286-306
  (Gi* z-score with self-weight).
- Benjamini Y., Hochberg Y. (1995). Controlling the false discovery rate.
  J Royal Statistical Society B 57:289-300.
- Benjamini Y., Yekutieli D. (2001). The control of the false discovery rate in
  multiple testing under dependency. Annals of Statistics 29:1165-1188.
- Caldas de Castro M., Singer B.H. (2006). Controlling the false discovery
  rate: a new application to account for multiple and dependent tests in
  local statistics of spatial association. Geographical Analysis 38:180-208.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

import h3
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    from libpysal.graph import Graph

# libpysal and esda (with scikit-learn under them) are imported where a Gi* is
# computed: every page with a map imports this module for ``points_to_h3``, and
# the spatial stack was 0,6-0,9 s of the start of each such report's kernel.


def _g_local():  # noqa: ANN202 – esda.G_Local, imported on first use
    with warnings.catch_warnings():
        # esda imports tqdm.auto, which warns in a kernel without ipywidgets; the
        # warning would be printed into the council's report.
        warnings.filterwarnings("ignore", message="IProgress not found")
        from esda import G_Local
    return G_Local


__all__ = [
    "COLD",
    "HOT",
    "NOT_SIGNIFICANT",
    "fdr_bh",
    "getis_ord_gi_star",
    "h3_graph",
    "points_to_h3",
]

HOT = "hot"
COLD = "cold"
NOT_SIGNIFICANT = "ns"


def points_to_h3(lat: ArrayLike, lon: ArrayLike, resolution: int) -> np.ndarray | pd.Series:
    """H3 cell id (string) of each point, via ``h3.latlng_to_cell`` (h3 v4 API).

    Coordinates are WGS84 degrees. Points with a missing coordinate get
    ``None``. If ``lat`` is a pandas Series the result is a Series with the
    same index, otherwise an object array. Resolution 8 cells are about
    0.74 km^2 (edge ~0.53 km), resolution 9 about 0.11 km^2 (edge ~0.2 km).
    """
    res = int(resolution)
    if not 0 <= res <= 15 or res != resolution:
        raise ValueError(f"resolution must be an integer 0..15, got {resolution!r}")
    la = np.asarray(lat, dtype=float).ravel()
    lo = np.asarray(lon, dtype=float).ravel()
    if la.shape != lo.shape:
        raise ValueError("lat and lon must have the same length")
    ok = np.isfinite(la) & np.isfinite(lo)
    if np.any((np.abs(la[ok]) > 90) | (np.abs(lo[ok]) > 180)):
        raise ValueError("lat must be within [-90, 90] and lon within [-180, 180]")
    out = np.full(la.shape, None, dtype=object)
    latlng_to_cell = h3.latlng_to_cell
    out[ok] = [latlng_to_cell(a, b, res) for a, b in zip(la[ok], lo[ok], strict=True)]
    if isinstance(lat, pd.Series):
        return pd.Series(out, index=lat.index, name="h3", dtype=object)
    return out


def fdr_bh(pvalues: ArrayLike, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Benjamini-Hochberg step-up procedure: which hypotheses to reject, and q-values.

    Method: sort the m p-values, ``p_(1) <= ... <= p_(m)``; reject the
    hypotheses with the k smallest p-values, where k is the largest i with
    ``p_(i) <= i * alpha / m``. The adjusted p-values (q-values) are
    ``q_(i) = min_{j >= i} min(1, m p_(j) / j)``; rejecting ``q <= alpha`` is the
    same decision. NaN p-values are left out of m and get q = NaN, not
    rejected.

    Assumptions: controls the false discovery rate at ``alpha`` for independent
    or positively dependent (PRDS) tests (Benjamini & Yekutieli 2001). Gi* for
    overlapping neighbourhoods is positively correlated, the case studied by
    Caldas de Castro & Singer (2006), who recommend this procedure for it.

    Reference: Benjamini & Hochberg (1995).

    Returns ``(reject, qvalues)`` as arrays in the input order.
    """
    a = float(alpha)
    if not 0.0 < a < 1.0:
        raise ValueError(f"alpha must be strictly between 0 and 1, got {alpha!r}")
    p = np.asarray(pvalues, dtype=float).ravel()
    valid = ~np.isnan(p)
    if np.any((p[valid] < 0) | (p[valid] > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    q = np.full(p.shape, np.nan)
    pv = p[valid]
    m = pv.size
    if m:
        order = np.argsort(pv, kind="mergesort")
        ranked = pv[order] * m / np.arange(1, m + 1)
        ranked = np.minimum.accumulate(ranked[::-1])[::-1]
        qv = np.empty(m)
        qv[order] = np.minimum(ranked, 1.0)
        q[valid] = qv
    reject = np.zeros(p.shape, dtype=bool)
    reject[valid] = q[valid] <= a
    return reject, q


def h3_graph(cells: Sequence[str], k: int = 1) -> Graph:
    """Binary H3 contiguity ``Graph`` (k-ring) among ``cells``, self-weight 1.

    Neighbours are the cells within grid distance ``k`` (``h3.grid_disk``) that
    are themselves in ``cells`` (cells outside the study area are not
    invented). Every cell carries a self-weight of 1, which makes the graph
    ready for Gi* ("star") and keeps cells without any neighbour in the graph.
    The graph's order is the order of ``cells``.

    Built with ``Graph.from_arrays`` rather than ``Graph.build_h3``: measured
    with libpysal 4.14, ``build_h3`` silently drops cells that have no
    neighbour among ``cells``, which would misalign the counts.
    """
    ids = [str(c) for c in cells]
    if len(set(ids)) != len(ids):
        raise ValueError("cells must be unique")
    kk = int(k)
    if kk < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    present = set(ids)
    focal: list[str] = []
    neighbour: list[str] = []
    for cell in ids:
        ring = [c for c in h3.grid_disk(cell, kk) if c in present]
        focal.extend([cell] * len(ring))
        neighbour.extend(ring)
    from libpysal.graph import Graph

    graph = Graph.from_arrays(focal, neighbour, np.ones(len(focal)))
    if list(graph.unique_ids) != ids:  # defensive: esda aligns y with this order
        raise RuntimeError("libpysal changed the order of the H3 cells")
    return graph


def getis_ord_gi_star(
    cells: pd.DataFrame,
    cell_col: str = "h3",
    count_col: str = "count",
    *,
    all_cells: Sequence[str] | None = None,
    k: int = 1,
    alpha: float = 0.05,
    permutations: int = 0,
    seed: int = 12345,
    n_jobs: int = 1,
) -> pd.DataFrame:
    """Getis-Ord Gi* hot and cold spots per H3 cell, with Benjamini-Hochberg FDR.

    Method: counts per cell (duplicated cell ids are summed) on the binary
    k-ring graph with self-weight (:func:`h3_graph`); ``esda.G_Local(y, graph,
    transform="B", star=True)`` gives each cell's Gi* z-score (Ord & Getis
    1995). Two-sided p-values: ``2 * p_norm`` (analytical, normal
    approximation) when ``permutations == 0``, otherwise
    ``min(1, 2 * p_sim)`` from esda's conditional permutation test with
    ``seed`` (reproducible). The p-values are corrected with :func:`fdr_bh`;
    ``class`` is ``"hot"`` for a rejected cell with positive z, ``"cold"`` for
    negative z, ``"ns"`` otherwise.

    The study area matters: cells with zero events are information. Pass
    ``all_cells`` (every cell of the kommun or the area studied, e.g. from
    ``h3.geo_to_cells``) so that cells without events enter with count 0;
    without it only the cells present in ``cells`` are used, which inflates
    the mean and hides hotspots. Cells in ``cells`` but not in ``all_cells``
    are kept.

    Assumptions: the analytical z treats the counts as if approximately
    normal; for sparse counts (mostly 0 and 1) prefer permutations, which only
    assume exchangeability of the counts between cells. But mind the
    resolution of permutation p-values: the smallest two-sided p is
    ``2 / (permutations + 1)``, and BH needs ``p <= alpha * r / m`` for the
    r-th smallest of m cells, so a lone hot cell among m can only be found
    with ``permutations >= 2 m / alpha`` (40,000 for 1,000 cells at 0.05).
    With 999 permutations only larger clusters can survive the correction. Gi*
    answers "is the neighbourhood total high?", not "is the risk high?": with
    no population denominator, a cell with many residents or visitors is
    naturally "hot". Edge cells have fewer neighbours (handled by the
    statistic's per-cell expectation and variance).

    Returns a DataFrame with ``cell_col``, ``count_col``, ``gi_z``,
    ``p_value`` (two-sided, unadjusted), ``q_value`` (BH-adjusted), ``class``.
    If all counts are equal (or all zero) there is nothing to test: z and p are
    NaN and every class is ``"ns"``.

    Reference: Getis & Ord (1992); Ord & Getis (1995); Benjamini & Hochberg
    (1995); Caldas de Castro & Singer (2006).
    """
    if cell_col not in cells.columns or count_col not in cells.columns:
        raise ValueError(f"cells must have columns {cell_col!r} and {count_col!r}")
    counts = pd.to_numeric(cells[count_col], errors="raise")
    if counts.isna().any() or (counts < 0).any():
        raise ValueError(f"column {count_col!r} must hold non-negative numbers, no gaps")
    per_cell = counts.groupby(cells[cell_col].to_numpy(), sort=False).sum()
    if all_cells is not None:
        extra = pd.Index(list(all_cells)).difference(per_cell.index, sort=False)
        per_cell = pd.concat([per_cell, pd.Series(0.0, index=extra)])
    ids = [str(c) for c in per_cell.index]
    y = per_cell.to_numpy(dtype=float)
    n = y.size
    z = np.full(n, np.nan)
    p = np.full(n, np.nan)
    if n >= 2 and np.ptp(y) > 0:
        graph = h3_graph(ids, k=k)
        with np.errstate(divide="ignore", invalid="ignore"):
            # A cell whose neighbourhood is the whole area has variance 0: z NaN.
            gi = _g_local()(
                y,
                graph,
                transform="B",
                star=True,
                permutations=int(permutations),
                seed=seed,
                n_jobs=n_jobs,
                keep_simulations=bool(permutations),
            )
        z = np.asarray(gi.Zs, dtype=float)
        if permutations:
            p = np.minimum(1.0, 2.0 * np.asarray(gi.p_sim, dtype=float))
            direction = np.asarray(gi.Gs, dtype=float) - np.asarray(gi.EG_sim, dtype=float)
        else:
            p = np.minimum(1.0, 2.0 * np.asarray(gi.p_norm, dtype=float))
            direction = z
    else:
        direction = np.zeros(n)
    reject, q = fdr_bh(p, alpha)
    cls = np.where(
        reject & (direction > 0), HOT, np.where(reject & (direction < 0), COLD, NOT_SIGNIFICANT)
    )
    return pd.DataFrame(
        {
            cell_col: ids,
            count_col: y,
            "gi_z": z,
            "p_value": p,
            "q_value": q,
            "class": cls,
        }
    )
