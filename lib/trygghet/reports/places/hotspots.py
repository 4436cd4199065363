"""Hotspots: where the period's reports cluster, on an H3 grid with Gi* and FDR control.

The study area is a grid of H3 hexagons (:data:`H3_RESOLUTION`) covering the
kommun (:func:`study_area_cells`); Getis-Ord Gi* with Benjamini–Hochberg FDR
control, confirmed by an exact binomial test, classes each cell
(:func:`hotspot_analysis`); touching significant cells become one place named
without coordinates (:func:`hotspot_table`). The method itself lives in
:mod:`trygghet.stats.confirmed_hotspots` (shared with the crime report); the
functions here adapt it to the residents' reports table.
"""

from __future__ import annotations

from collections.abc import Sequence

import h3
import numpy as np
import pandas as pd

from trygghet.present.swedish import fmt_percent, join_list
from trygghet.reports.places.geo import place_label
from trygghet.stats import confirmed_hotspots as confirmed
from trygghet.stats import hotspots as stats_hotspots

#: H3 resolution of the hotspot grid. Resolution 8 cells cover about 0.74 km²
#: with an average edge of about 0.53 km (h3 v4's ``average_hexagon_edge_length``;
#: older tables quote 0.46 km for the same cells). A cell is roughly a few
#: blocks of a tätort: large enough that a count says something and that no
#: single address can be read from it, small enough to tell the station from
#: the school. Resolution 9 (0.11 km²) leaves most cells with 0 or 1 report in
#: a small kommun.
H3_RESOLUTION: int = 8


def study_area_cells(
    reports: pd.DataFrame,
    boundary=None,
    resolution: int = H3_RESOLUTION,
    ring: int = 2,
) -> tuple[list[str], str]:
    """All H3 cells of the study area and the method used ("gräns" or "utbredning").

    With the kommun's ``boundary`` (a shapely polygon): every cell whose
    centre lies inside it, plus the cells of any report just outside the
    line. Without it: the cells covering the bounding box of the reports with
    positions, plus ``ring`` rings around it (the method is said in the
    report). See :func:`trygghet.stats.confirmed_hotspots.study_area_cells`.
    """
    return confirmed.study_area_cells(
        reports["lat"], reports["lon"], boundary, resolution=resolution, ring=ring
    )


def _report_cells(reports: pd.DataFrame, resolution: int) -> pd.Series:
    return confirmed.point_cells(reports["lat"], reports["lon"], resolution)


def hotspot_analysis(
    reports: pd.DataFrame,
    all_cells: Sequence[str],
    *,
    resolution: int = H3_RESOLUTION,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Gi* per H3 cell of the study area for the reports with positions.

    Analytical Gi* (normal approximation) with BH-FDR at ``alpha``, k = 1 ring
    (:func:`trygghet.stats.hotspots.getis_ord_gi_star`). Analytical rather than
    permutation p-values: with ~2,000 cells a lone hot cell would need
    ~80,000 permutations to survive the FDR correction (see that function);
    the normal approximation is rough for sparse counts, which is one more
    reason to read hotspots together with the counts.

    Exact confirmation: the analytical Gi* p-values are badly anti-conservative
    for sparse counts. Measured (200 simulations each, reports placed uniformly
    at random on the 267 cells of a 12 km square, i.e. no hotspot at all):
    analytical Gi* with BH found at least one "hot" cell in 70 % of the runs
    with 15 reports, 59 % with 40 and 20 % with 150; with the exact
    confirmation below 2.5 %, 2 % and 0 %. Each cell's neighbourhood total is
    therefore also tested exactly (Binomial(N, n/m), its own BH correction),
    and a cell keeps its hot or cold class only when both tests agree. The
    method is :func:`trygghet.stats.confirmed_hotspots.confirmed_gi_star`,
    shared with the crime report's Hobit hotspots.

    Returns the Gi* table (``h3, count, gi_z, p_value, q_value, class``) plus
    ``neighbourhood``, ``p_exact`` and ``q_exact``.
    """
    return confirmed.confirmed_gi_star(
        reports["lat"], reports["lon"], all_cells, resolution=resolution, alpha=alpha
    )


def hotspot_table(
    gi: pd.DataFrame,
    reports: pd.DataFrame,
    areas: Sequence[tuple[str, float, float]],
    *,
    resolution: int = H3_RESOLUTION,
    kind: str = stats_hotspots.HOT,
    top_categories: int = 3,
    merge: bool = True,
) -> pd.DataFrame:
    """Significant hot (or cold) spots, touching cells merged into one place.

    One row per group of touching significant cells (with ``merge=False``:
    one row per significant cell, to see where inside a large group the
    reports are): ``place`` (from the
    count-weighted centre of the cells' centres, see :func:`place_label`),
    ``cells``, ``reports`` (reports in those cells), ``categories`` (the most
    common categories with their shares), ``max_z`` and ``min_q``. Ordered by
    the number of reports. Contains no coordinates and no cell ids.
    """
    sig = gi[gi["class"] == kind]
    cols = ["place", "cells", "reports", "categories", "max_z", "min_q"]
    if sig.empty:
        return pd.DataFrame(columns=cols)
    if not merge:
        sig = sig[sig["count"] > 0]  # a cell with no reports is only "hot" by its neighbours
    cell_of = _report_cells(reports, resolution)
    rows = []
    groups = confirmed.touching_groups(list(sig["h3"])) if merge else [[c] for c in sig["h3"]]
    for group in groups:
        part = gi[gi["h3"].isin(group)]
        weights = part["count"].to_numpy(float)
        centres = np.array([h3.cell_to_latlng(c) for c in part["h3"]])
        w = weights if weights.sum() > 0 else np.ones(len(part))
        lat, lon = (centres * w[:, None]).sum(axis=0) / w.sum()
        cats = reports.loc[cell_of.isin(group), "category"].astype(str).value_counts()
        cats = cats.sort_index().sort_values(ascending=False, kind="stable")
        n = int(cats.sum())
        top = [f"{c} ({fmt_percent(k / n)})" for c, k in cats.head(top_categories).items()]
        rows.append(
            {
                "place": place_label(float(lat), float(lon), areas),
                "cells": len(group),
                "reports": n,
                "categories": join_list(top) if top else "–",
                "max_z": float(
                    part["gi_z"].max() if kind == stats_hotspots.HOT else part["gi_z"].min()
                ),
                "min_q": float(part["q_value"].min()),
            }
        )
    table = pd.DataFrame(rows, columns=cols)
    return table.sort_values(["reports", "place"], ascending=[False, True]).reset_index(drop=True)
