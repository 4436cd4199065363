"""Tests for trygghet.stats.hotspots: BH by hand, Gi* by the Ord-Getis formula, planted clusters."""

from __future__ import annotations

import math

import h3
import numpy as np
import pandas as pd
import pytest

from trygghet.stats.hotspots import (
    COLD,
    HOT,
    NOT_SIGNIFICANT,
    fdr_bh,
    getis_ord_gi_star,
    h3_graph,
    points_to_h3,
)

CENTRE = h3.latlng_to_cell(59.78, 14.52, 9)  # Hällefors, resolution 9


def test_fdr_bh_hand_example_step_up() -> None:
    # m = 4, thresholds i * 0.05 / 4 = 0.0125, 0.025, 0.0375, 0.05.
    # 0.03 > 0.025 fails its own threshold, but 0.035 <= 0.0375 passes, so the
    # step-up procedure rejects the three smallest.
    # q: 4*0.01/1 = 0.04; 4*0.03/2 = 0.06 -> min(0.06, 0.0467) = 0.0467;
    #    4*0.035/3 = 0.0467; 4*0.5/4 = 0.5.
    reject, q = fdr_bh([0.035, 0.5, 0.01, 0.03], alpha=0.05)
    assert reject.tolist() == [True, False, True, True]
    assert q.tolist() == pytest.approx([0.14 / 3, 0.5, 0.04, 0.14 / 3])


def test_fdr_bh_second_hand_example_and_nan() -> None:
    # m = 5: sorted 0.004, 0.01, 0.028, 0.039, 0.2 vs 0.01, 0.02, 0.03, 0.04, 0.05.
    p = [0.01, 0.039, 0.028, 0.004, 0.2, np.nan]
    reject, q = fdr_bh(p, alpha=0.05)
    assert reject.tolist() == [True, True, True, True, False, False]
    expected = [0.025, 0.04875, 0.028 * 5 / 3, 0.02, 0.2]
    assert q[:5].tolist() == pytest.approx(expected)
    assert math.isnan(q[5])
    none, _ = fdr_bh([0.02, 0.03], alpha=0.01)
    assert not none.any()


def test_points_to_h3() -> None:
    cells = points_to_h3([59.78, np.nan, 59.78], [14.52, 14.5, 14.52], 9)
    assert cells[0] == CENTRE and cells[1] is None and cells[2] == CENTRE
    s = points_to_h3(pd.Series([59.78], index=[7]), pd.Series([14.52], index=[7]), 8)
    assert isinstance(s, pd.Series) and s.index.tolist() == [7]
    assert s.iloc[0] == h3.cell_to_parent(CENTRE, 8)
    with pytest.raises(ValueError):
        points_to_h3([95.0], [14.0], 9)


def test_h3_graph_keeps_isolated_cells() -> None:
    far = h3.latlng_to_cell(59.0, 14.0, 9)
    ring = list(h3.grid_disk(CENTRE, 1))
    ids = [far, *ring]
    g = h3_graph(ids)
    assert list(g.unique_ids) == ids
    card = g.cardinalities
    assert card[far] == 1  # itself only
    assert card[CENTRE] == 7  # itself and six neighbours


def test_gi_star_matches_ord_getis_formula() -> None:
    ids = list(h3.grid_disk(CENTRE, 2))  # 19 cells
    rng = np.random.default_rng(3)
    y = rng.poisson(3, len(ids)).astype(float)
    out = getis_ord_gi_star(pd.DataFrame({"h3": ids, "count": y}))
    n = len(ids)
    mean = y.mean()
    s = math.sqrt((y**2).mean() - mean**2)
    present = set(ids)
    for i, cell in enumerate(ids):
        nb = [ids.index(c) for c in h3.grid_disk(cell, 1) if c in present]
        w = len(nb)
        z = (y[nb].sum() - mean * w) / (s * math.sqrt((n * w - w * w) / (n - 1)))
        assert out.loc[i, "gi_z"] == pytest.approx(z)
    assert out["p_value"].tolist() == pytest.approx(
        [2 * (1 - _phi(abs(z))) for z in out["gi_z"]], rel=1e-6
    )


def _phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _field(seed: int, cluster: bool) -> pd.DataFrame:
    ids = list(h3.grid_disk(CENTRE, 8))  # 217 cells
    rng = np.random.default_rng(seed)
    y = rng.poisson(1.0, len(ids))
    if cluster:
        planted = set(h3.grid_disk(CENTRE, 1))
        y = np.array([rng.poisson(8.0) if c in planted else v for c, v in zip(ids, y, strict=True)])
    return pd.DataFrame({"h3": ids, "count": y})


# 9999 permutations: with 217 cells BH needs p <= 7 * 0.05 / 217 = 0.0016 for the
# seventh cell, below 999 permutations' floor of 2/1000 (see the docstring).
@pytest.mark.parametrize("permutations", [0, 9999])
def test_planted_cluster_is_hot_after_fdr(permutations: int) -> None:
    df = _field(7, cluster=True)
    out = getis_ord_gi_star(df, permutations=permutations, seed=1)
    hot = set(out.loc[out["class"] == HOT, "h3"])
    planted = set(h3.grid_disk(CENTRE, 1))
    assert planted <= hot
    # Hot cells only where the neighbourhood overlaps the cluster.
    assert all(h3.grid_distance(CENTRE, c) <= 2 for c in hot)
    assert (out["q_value"] >= out["p_value"]).all()


def test_planted_cluster_found_from_sparse_input_with_all_cells() -> None:
    df = _field(7, cluster=True)
    full = getis_ord_gi_star(df)
    sparse = getis_ord_gi_star(df[df["count"] > 0], all_cells=df["h3"])
    merged = full.merge(sparse, on="h3", suffixes=("", "_sparse"))
    assert len(merged) == len(df)
    assert merged["gi_z"].to_numpy() == pytest.approx(merged["gi_z_sparse"].to_numpy())


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_uniform_field_gives_almost_no_hotspots(seed: int) -> None:
    rng = np.random.default_rng(seed)
    ids = list(h3.grid_disk(CENTRE, 8))
    df = pd.DataFrame({"h3": ids, "count": rng.poisson(2.0, len(ids))})
    out = getis_ord_gi_star(df)
    assert (out["class"] != NOT_SIGNIFICANT).sum() <= 2


def test_constant_field_and_duplicates() -> None:
    ids = list(h3.grid_disk(CENTRE, 1))
    out = getis_ord_gi_star(pd.DataFrame({"h3": ids, "count": [2] * len(ids)}))
    assert (out["class"] == NOT_SIGNIFICANT).all() and out["gi_z"].isna().all()
    dup = getis_ord_gi_star(pd.DataFrame({"h3": [ids[0], ids[0], ids[1]], "count": [1, 2, 0]}))
    assert dup["count"].tolist() == [3.0, 0.0]
    assert COLD == "cold" and HOT == "hot"
