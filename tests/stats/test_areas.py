"""One nearest-area rule for every report (stats.areas)."""

from __future__ import annotations

import h3
import numpy as np
import pandas as pd

from trygghet.config import Area, KommunConfig
from trygghet.stats import areas

CONFIG = KommunConfig(
    code="1863", name="Hällefors", default_period=2025,
    areas=[Area(name="Norr", lat=59.90, lon=14.50), Area(name="Söder", lat=59.70, lon=14.50),
           Area(name="Utan läge")],
)  # fmt: skip


def test_distance_agrees_with_h3_great_circle():
    rng = np.random.default_rng(1)
    lat, lon = rng.uniform(55, 69, 200), rng.uniform(11, 24, 200)
    ours = areas.haversine_m(lat, lon, 59.9, 14.5)
    theirs = [h3.great_circle_distance((a, b), (59.9, 14.5), unit="m") for a, b in zip(lat, lon, strict=True)]  # fmt: skip
    # h3 uses a slightly different mean earth radius (6 371,0072 km): under a metre in 1 000 km.
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_nearest_area_within_the_radius_else_none():
    # 0.04° of latitude is about 4.4 km; 0.1° about 11 km (outside every area).
    lat = pd.Series([59.86, 59.74, 59.80, None, 59.90])
    lon = pd.Series([14.50, 14.50, 14.50, 14.50, None])
    got = areas.nearest_area(lat, lon, CONFIG)
    assert got.tolist()[:2] == ["Norr", "Söder"]
    assert got.iloc[2:].isna().all()  # between the two, beyond 5 km; and missing positions
    assert areas.count_per_area(got, CONFIG) == {"Norr": 1, "Söder": 1, "Utan läge": 0}


def test_no_positioned_area_gives_no_area():
    config = KommunConfig(
        code="1863", name="Hällefors", default_period=2025, areas=[Area(name="X")]
    )
    assert areas.nearest_area(pd.Series([59.9]), pd.Series([14.5]), config).isna().all()
