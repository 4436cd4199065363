"""Tests for trygghet.stats.confirmed_hotspots: Gi* confirmed by an exact binomial test.

The method behind both the places report's hotspots and the crime report's
Hobit hotspots (the places report's ``hotspot_analysis`` is a thin adapter,
tested in ``tests/reports/test_places_hotspots.py``).
"""

from __future__ import annotations

import math

import h3
import numpy as np
import pandas as pd
from shapely.geometry import box

from trygghet.stats import confirmed_hotspots as ch
from trygghet.stats.hotspots import HOT, NOT_SIGNIFICANT

LAT0, LON0 = 59.78, 14.52  # Hällefors
RES = 8


def _points(cells: list[str]) -> tuple[pd.Series, pd.Series]:
    latlng = [h3.cell_to_latlng(c) for c in cells]
    return pd.Series([p[0] for p in latlng]), pd.Series([p[1] for p in latlng])


def _area() -> list[str]:
    return sorted(h3.grid_disk(h3.latlng_to_cell(LAT0, LON0, RES), 8))


def _two_sided_binomial(k: int, n: int, p: float) -> float:
    """By hand: 2 * min(P(X >= k), P(X <= k)) for X ~ Binomial(n, p), capped at 1."""
    pmf = [math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(n + 1)]
    return min(1.0, 2.0 * min(sum(pmf[k:]), sum(pmf[: k + 1])))


def test_planted_cluster_is_hot_and_both_tests_agree() -> None:
    cells = _area()
    centre = h3.latlng_to_cell(LAT0, LON0, RES)
    rng = np.random.default_rng(1)
    scatter = list(rng.choice(cells, 30))
    lat, lon = _points([centre] * 40 + scatter)
    gi = ch.confirmed_gi_star(lat, lon, cells, resolution=RES)
    assert list(gi.columns) == [
        "h3",
        "count",
        "gi_z",
        "p_value",
        "q_value",
        "class",
        "neighbourhood",
        "p_exact",
        "q_exact",
    ]
    assert len(gi) == len(cells) and gi["count"].sum() == 70
    assert gi.set_index("h3").loc[centre, "class"] == HOT
    hot = gi[gi["class"] != NOT_SIGNIFICANT]
    assert (hot["q_value"] <= 0.05).all() and (hot["q_exact"] <= 0.05).all()


def test_exact_p_value_is_the_binomial_of_the_neighbourhood() -> None:
    cells = _area()
    centre = h3.latlng_to_cell(LAT0, LON0, RES)
    lat, lon = _points([centre] * 5 + [cells[0]] * 3)
    gi = ch.confirmed_gi_star(lat, lon, cells, resolution=RES).set_index("h3")
    ring = [c for c in h3.grid_disk(centre, 1) if c in set(cells)]
    assert gi.loc[centre, "neighbourhood"] == 5
    expected = _two_sided_binomial(5, 8, len(ring) / len(cells))
    assert math.isclose(gi.loc[centre, "p_exact"], expected, rel_tol=1e-9)


def test_exact_confirmation_removes_false_alarms_in_uniform_scatter() -> None:
    cells = _area()
    raw = confirmed = 0
    for seed in range(20):
        lat, lon = _points(list(np.random.default_rng(seed).choice(cells, 15)))
        gi = ch.confirmed_gi_star(lat, lon, cells, resolution=RES)
        raw += bool((gi["q_value"] <= 0.05).any())
        confirmed += bool((gi["class"] != NOT_SIGNIFICANT).any())
    assert raw >= 5
    assert confirmed <= 1


def test_no_points_gives_nothing_significant() -> None:
    cells = _area()
    gi = ch.confirmed_gi_star(pd.Series([], dtype=float), pd.Series([], dtype=float), cells)
    assert len(gi) == len(cells)
    assert (gi["p_exact"] == 1.0).all() and (gi["class"] == NOT_SIGNIFICANT).all()


def test_study_area_boundary_and_extent() -> None:
    lat, lon = pd.Series([LAT0, LAT0 + 0.01]), pd.Series([LON0, LON0 + 0.01])
    of_points = set(ch.point_cells(lat, lon, RES))
    inside, method = ch.study_area_cells(
        lat, lon, box(LON0 - 0.1, LAT0 - 0.05, LON0 + 0.1, LAT0 + 0.05), RES
    )
    assert method == "gräns" and of_points <= set(inside) and len(inside) > 10
    extent, method = ch.study_area_cells(lat, lon, None, RES, ring=2)
    assert method == "utbredning" and of_points < set(extent)
    assert ch.study_area_cells(pd.Series([], dtype=float), pd.Series([], dtype=float)) == (
        [],
        "utbredning",
    )


def test_point_missing_a_coordinate_does_not_widen_the_extent() -> None:
    lat, lon = pd.Series([LAT0, LAT0 + 0.01]), pd.Series([LON0, LON0 + 0.01])
    base, _ = ch.study_area_cells(lat, lon, None, RES)
    lat_only = pd.concat([lat, pd.Series([LAT0 + 1.0])], ignore_index=True)
    lon_none = pd.concat([lon, pd.Series([np.nan])], ignore_index=True)
    assert ch.point_cells(lat_only, lon_none, RES).iloc[-1] is None
    assert ch.study_area_cells(lat_only, lon_none, None, RES)[0] == base


def test_touching_groups() -> None:
    a = h3.latlng_to_cell(LAT0, LON0, RES)
    b = h3.grid_ring(a, 1)[0]
    far = h3.latlng_to_cell(LAT0 + 0.5, LON0, RES)
    assert ch.touching_groups([far, b, a]) == sorted([sorted([a, b]), [far]])
    assert ch.touching_groups([]) == []
