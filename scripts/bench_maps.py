"""Benchmark: the hexagon map of residents' reports against one CircleMarker per report.

Generates N synthetic reports (default 100,000, seeded) around a few tätort
centres in Örebro län, then builds and saves, in the same run and on the same
reports, (a) the naive map, one ``folium.CircleMarker`` per report on a plain
``folium.Map``, and (b) :func:`trygghet.present.maps.resident_reports_map` (H3
resolution 9, min_count 3, layers per category and status, density overlay,
kommun boundaries and tätorter). Prints size and wall time (build + save)
of each and the ratios. Targets: the hexagon map under 2 MB and at least 15x
faster than the naive one.

This is a benchmark, not a test: the machine is noisy (MEASURED.md: ±30 %),
compare the ratio, not the absolute times.

Usage: python scripts/bench_maps.py [--n 100000] [--seed 20260] [--out DIR]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import folium
import numpy as np
import pandas as pd

from trygghet import paths
from trygghet.present import maps
from trygghet.sources.resident_reports import CATEGORIES, STATUSES

#: (name, lat, lon, share of reports, spread in km): SCB representative points.
CENTRES = [
    ("Örebro", 59.2741, 15.2066, 0.55, 2.5),
    ("Lindesberg", 59.5939, 15.2304, 0.13, 1.2),
    ("Nora", 59.5196, 15.0393, 0.10, 1.0),
    ("Hällefors", 59.782972, 14.516711, 0.14, 1.0),
    ("Grythyttan", 59.707589, 14.533783, 0.08, 0.6),
]
KOMMUNER = ["1880", "1885", "1884", "1863"]


def synthetic_reports(n: int, seed: int) -> pd.DataFrame:
    """``n`` reports scattered (Gaussian, per-centre spread) around :data:`CENTRES`."""
    rng = np.random.default_rng(seed)
    shares = np.array([c[3] for c in CENTRES])
    which = rng.choice(len(CENTRES), size=n, p=shares / shares.sum())
    lat0 = np.array([c[1] for c in CENTRES])[which]
    lon0 = np.array([c[2] for c in CENTRES])[which]
    km = np.array([c[4] for c in CENTRES])[which]
    lat = lat0 + rng.normal(0, 1, n) * km / 111.2
    lon = lon0 + rng.normal(0, 1, n) * km / (111.2 * np.cos(np.radians(lat0)))
    return pd.DataFrame(
        {
            "report_id": np.arange(n),
            "lat": lat,
            "lon": lon,
            "category": rng.choice(CATEGORIES, size=n),
            "status": rng.choice(STATUSES, size=n, p=[0.3, 0.2, 0.4, 0.1]),
            "description": "fri text som aldrig får nå kartan",
        }
    )


def naive_map(reports: pd.DataFrame, path: Path) -> float:
    """One CircleMarker per report on a default folium map; seconds to build and save."""
    started = time.perf_counter()
    m = folium.Map(location=[59.5, 15.0], zoom_start=9)
    for lat, lon in zip(reports["lat"], reports["lon"], strict=True):
        folium.CircleMarker([lat, lon], radius=3, weight=1, fill=True).add_to(m)
    m.save(str(path))
    return time.perf_counter() - started


def hex_map(reports: pd.DataFrame, path: Path) -> float:
    """The library's hexagon map (with boundaries and tätorter when the mirror exists)."""
    boundary = tatorter = None
    scb = paths.shared_data_dir() / "scb"
    if scb.is_dir():
        import geopandas as gpd

        gdf = gpd.read_file(scb / "kommuner_scb_wgs84.geojson")
        boundary = gdf[gdf["kommun_code"].isin(KOMMUNER)]
        t = pd.read_csv(scb / "tatorter_2020_points.csv", dtype={"kommun_code": str})
        tatorter = t.loc[t["kommun_code"].isin(KOMMUNER), ["tatort", "lat", "lon"]]
    started = time.perf_counter()
    with maps.deterministic_ids():
        m = maps.resident_reports_map(reports, boundary, tatorter)
    maps.save_map(m, path)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20260)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    reports = synthetic_reports(args.n, args.seed)
    out = args.out or Path(tempfile.mkdtemp(prefix="bench_maps_"))
    out.mkdir(parents=True, exist_ok=True)
    cells = maps.aggregate_to_h3(reports)
    print(
        f"{args.n:,} reports -> {len(cells):,} drawn units at H3 res 9 "
        f"({int(cells['pooled'].sum()):,} pooled areas; "
        f"{cells.attrs['n_suppressed']:,} reports suppressed)"
    )

    hex_path, naive_path = out / "hexagoner.html", out / "naiv.html"
    t_hex = hex_map(reports, hex_path)
    t_naive = naive_map(reports, naive_path)
    s_hex, s_naive = hex_path.stat().st_size, naive_path.stat().st_size

    print(f"{'map':<34}{'size (MB)':>12}{'time (s)':>12}")
    print(f"{'naive: one CircleMarker each':<34}{s_naive / 1e6:>12.2f}{t_naive:>12.2f}")
    print(f"{'hexagons (trygghet.present.maps)':<34}{s_hex / 1e6:>12.2f}{t_hex:>12.2f}")
    print(f"ratio naive/hexagons: size {s_naive / s_hex:.1f}x, time {t_naive / t_hex:.1f}x")
    print(
        f"targets: hexagon map < 2 MB: {'ok' if s_hex < 2e6 else 'MISSED'}; "
        f">= 15x faster: {'ok' if t_naive / t_hex >= 15 else 'MISSED'}"
    )
    print(f"files in {out}")


if __name__ == "__main__":
    main()
