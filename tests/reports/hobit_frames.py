"""Hobit tables in the agreed processed format, built by hand for the report tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

CATEGORIES = ["narkotika", "trafik", "ordningsstörning", "skadegörelse", "våld", "övrigt"]
#: Hällefors centre (an area of 1863's config) and Grythyttan.
HALLEFORS = (59.782972, 14.516711)
GRYTHYTTAN = (59.707589, 14.533783)


def hobit_frame(
    n: int = 400,
    *,
    seed: int = 1,
    years: tuple[int, ...] = (2024, 2025),
    hot: tuple[float, float] | None = HALLEFORS,
    hot_share: float = 0.5,
    origin: str = "example",
) -> pd.DataFrame:
    """``n`` crimes spread around two tätorter; ``hot_share`` of them packed at ``hot``."""
    rng = np.random.default_rng(seed)
    centre = np.array([GRYTHYTTAN if i % 3 == 0 else HALLEFORS for i in range(n)], float)
    spread = rng.normal(0, 0.02, (n, 2))
    packed = rng.random(n) < hot_share if hot else np.zeros(n, bool)
    if hot:
        centre[packed] = hot
        spread[packed] = rng.normal(0, 0.0015, (int(packed.sum()), 2))
    pos = centre + spread
    year = rng.choice(list(years), n)
    day = rng.integers(0, 365, n)
    hour = rng.integers(0, 24, n)
    start = pd.to_datetime([f"{y}-01-01" for y in year]) + pd.to_timedelta(day, "D")
    start = start + pd.to_timedelta(hour, "h")
    cat = rng.choice(CATEGORIES, n)
    exact = rng.random(n) < 0.8
    frame = pd.DataFrame(
        {
            "case_key": [f"k{i:05d}" for i in range(n)],
            "crime_code": pd.array(["0000"] * n, dtype="string"),
            "crime_label": pd.array(cat, dtype="string"),
            "category": pd.array(cat, dtype="string"),
            "start": start.astype("datetime64[ns]"),
            "end": pd.Series(start.astype("datetime64[ns]")).where(
                exact, start + pd.Timedelta("3h")
            ),
            "time_exact": exact,
            "lat": pos[:, 0],
            "lon": pos[:, 1],
            "position_source": pd.array(["koordinat"] * n, dtype="string"),
            "place": pd.array(["Storgatan 12"] * n, dtype="string"),
            "kommun_code": pd.array(["1863"] * n, dtype="string"),
            "origin": pd.array([origin] * n, dtype="string"),
        }
    )
    frame["case_key"] = frame["case_key"].astype("string")
    return frame
