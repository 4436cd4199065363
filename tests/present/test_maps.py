"""Tests of trygghet.present.maps: reproducible, offline and privacy-safe maps (small inputs, no timing)."""

from __future__ import annotations

import json
import re

import folium
import h3
import numpy as np
import pandas as pd
import pytest
from branca.element import Element

from trygghet.present import maps
from trygghet.present.maps import core
from trygghet.present.maps.aggregate import aggregate_to_h3

BOUNDARY = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"kommun_code": "1863", "kommun_name": "Hällefors"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [14.40123456, 59.70123456],
                        [14.65123456, 59.70123456],
                        [14.65123456, 59.85123456],
                        [14.40123456, 59.85123456],
                        [14.40123456, 59.70123456],
                    ]
                ],
            },
        }
    ],
}
TATORTER = pd.DataFrame(
    {
        "tatort": ["Hällefors", "Grythyttan"],
        "lat": [59.782972, 59.707589],
        "lon": [14.516711, 14.533783],
    }
)
SECRET = "HEMLIGBESKRIVNING"


def _reports(n: int = 300, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "lat": 59.782972 + rng.normal(0, 0.006, n),
            "lon": 14.516711 + rng.normal(0, 0.012, n),
            "category": rng.choice(["belysning", "klotter", "ödslig plats"], n),
            "status": rng.choice(["ny", "pågår", "åtgärdad"], n),
            "description": [f"{SECRET}{i} ring 070-123 45 67" for i in range(n)],
            "address": [f"Adressgatan {i}" for i in range(n)],
        }
    )


def _hotspots(cells: pd.DataFrame) -> pd.DataFrame:
    classes = ["hot", "cold", "ns"] * (len(cells) // 3 + 1)
    return pd.DataFrame(
        {"h3": cells["h3"], "class": classes[: len(cells)], "count": cells["count"]}
    )


def _report_map(reports: pd.DataFrame) -> folium.Map:
    cells = aggregate_to_h3(reports)
    return maps.resident_reports_map(reports, BOUNDARY, TATORTER, hotspots=_hotspots(cells))


def _walks() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "walk_date": pd.to_datetime(["2025-05-01"] * 4),
            "lat": [59.78111111, 59.78222222, 59.78333333, 59.78444444],
            "lon": [14.51111111, 14.51222222, 14.51333333, 14.51444444],
            "category": ["belysning", "vegetation", "klotter", "trafik"],
            "description": [f"{SECRET} A", f"{SECRET} B", f"{SECRET} C", f"{SECRET} D"],
            "place": ["Storgatan 1", "Parken", "Skolan", "Torget"],
            "proposed_measure": ["Byta lampor", "Röja buskar", "Sanera", "Farthinder"],
            "status": ["ny", "pågår", "åtgärdad", "avslagen"],
            "deadline": pd.to_datetime(["2025-06-01", "2026-12-01", "2025-06-01", "2025-06-01"]),
            "completed_date": pd.to_datetime([None, None, "2025-05-20", None]),
        }
    )


def _has(html: str, text: str) -> bool:
    """Text as written in the page, directly or JSON-escaped (folium's tojson escapes åäö)."""
    return text in html or json.dumps(text)[1:-1] in html


def _without_vendored(html: str) -> str:
    for asset in (core._leaflet_js(), core._heat_js(), core._leaflet_css()):
        html = html.replace(asset, "")
    return html


# --- reproducibility ----------------------------------------------------------------


def test_two_builds_are_byte_identical() -> None:
    reports = _reports()
    pages = []
    for _ in range(2):
        with maps.deterministic_ids():
            report_map = _report_map(reports)
            walk_map = maps.walk_observations_map(_walks(), BOUNDARY, TATORTER, as_of="2025-09-01")
        pages.append((maps.map_to_html(report_map), maps.map_to_html(walk_map)))
    assert pages[0] == pages[1]
    # The maps have several layer types: boundary, tätorter, tiles, HeatMap, hexagon data and
    # layers, hotspots, legend, LayerControl, walk points.
    for kind in (
        "boundary_",
        "tatorter_",
        "tile_layer_",
        "heat_map_",
        "hex_data_",
        "hex_layer_",
        "hotspot_layer_",
        "keep_on_top_",
        "legend_",
        "layer_control_",
    ):
        assert kind in pages[0][0], kind
    assert "walk_points_" in pages[0][1]


def test_ids_are_random_again_after_the_block() -> None:
    with maps.deterministic_ids():
        assert Element()._id == "1"
    a, b = Element()._id, Element()._id
    assert a != b and len(a) == 32


def test_deterministic_ids_rejects_bad_prefix() -> None:
    with pytest.raises(ValueError), maps.deterministic_ids("a-b"):
        pass


# --- offline ------------------------------------------------------------------------


def test_map_loads_no_script_or_style_from_the_network() -> None:
    with maps.deterministic_ids():
        html = maps.map_to_html(_report_map(_reports()))
    assert core.external_assets(html) == []
    lowered = html.lower()
    for cdn in ("cdn.jsdelivr", "cdnjs", "unpkg", "code.jquery", "bootstrapcdn", "leaflet@"):
        assert cdn not in lowered
    assert "Leaflet 1.9.4" in html  # inlined
    assert "L.heatLayer" in html  # density plugin inlined too
    assert "url(images/" not in html  # CSS images are data URIs
    assert "tile.openstreetmap.org" in html and _has(html, "OpenStreetMap")


def _tile_layers(html: str) -> list[str]:
    return re.findall(r"var (\w+) = L\.tileLayer\(", html)


def test_background_map_is_off_until_the_reader_turns_it_on() -> None:
    with maps.deterministic_ids():
        pages = [
            maps.map_to_html(_report_map(_reports())),
            maps.map_to_html(maps.walk_observations_map(_walks(), BOUNDARY, as_of="2025-09-01")),
            maps.map_to_html(maps.base_map()),
        ]
    for html in pages:
        tiles = _tile_layers(html)
        assert len(tiles) == 1
        # Defined (so that the layer control can switch it on) but not added at start.
        assert f"{tiles[0]}.addTo(" not in html
    for html in pages[:2]:
        overlays = html[html.rindex("overlays :") :]
        assert f"{json.dumps(maps.BASEMAP_NAME)} : {_tile_layers(html)[0]}," in overlays


def test_map_to_html_refuses_a_map_that_needs_a_cdn() -> None:
    from folium.plugins import MarkerCluster

    m = maps.base_map()
    MarkerCluster().add_to(m)
    with pytest.raises(ValueError, match="uppkoppling"):
        maps.map_to_html(m)
    m = maps.base_map()
    folium.Marker([59.78, 14.52], icon=folium.Icon(color="red")).add_to(m)
    with pytest.raises(ValueError, match="awesome-markers"):
        maps.map_to_html(m)
    assert "L.AwesomeMarkers" in maps.map_to_html(m, require_offline=False)


def test_save_map_writes_the_page(tmp_path) -> None:
    reports = _reports(60)
    with maps.deterministic_ids():
        m = maps.resident_reports_map(reports, BOUNDARY, TATORTER)
    target = maps.save_map(m, tmp_path / "karta" / "otrygga.html")
    assert target.read_text(encoding="utf-8") == maps.map_to_html(m)  # rendering is repeatable
    assert [p.name for p in target.parent.iterdir()] == ["otrygga.html"]  # no temp file left


# --- privacy: aggregation rule --------------------------------------------------------


def _points_in(cell: str, n: int) -> list[tuple[float, float]]:
    lat, lon = h3.cell_to_latlng(cell)
    return [(lat + i * 1e-6, lon) for i in range(n)]


def test_sparse_cells_are_pooled_in_their_parent_or_suppressed() -> None:
    parent = h3.latlng_to_cell(59.782972, 14.516711, 8)
    kids = sorted(h3.cell_to_children(parent, 9))
    far = h3.latlng_to_cell(59.707589, 14.533783, 9)  # Grythyttan: alone in its parent
    pts = _points_in(kids[0], 5) + _points_in(kids[1], 2) + _points_in(kids[2], 1)
    pts += _points_in(far, 2)
    df = pd.DataFrame(pts, columns=["lat", "lon"]).assign(category="belysning", status="ny")
    df.loc[len(df)] = [np.nan, np.nan, "klotter", "ny"]

    cells = aggregate_to_h3(df, resolution=9, min_count=3)

    assert (cells["count"] >= 3).all()
    kept = cells[~cells["pooled"]]
    assert list(kept["h3"]) == [kids[0]] and list(kept["count"]) == [5]
    pooled = cells[cells["pooled"]].iloc[0]
    assert pooled["h3"] == parent and pooled["count"] == 3 and pooled["resolution"] == 8
    # The pooled area is the parent's children minus the kept cell: no overlap, and the
    # empty siblings are in it, so it does not outline the two sparse cells.
    assert set(pooled["members"]) == set(kids) - {kids[0]}
    assert cells.attrs["n_suppressed"] == 2  # the two lone reports in Grythyttan
    assert cells.attrs["n_without_position"] == 1
    assert cells["count"].sum() + 2 + 1 == len(df)


def test_aggregation_refuses_fine_resolutions_and_bad_min_count() -> None:
    df = _reports(10)
    with pytest.raises(ValueError, match="resolution"):
        aggregate_to_h3(df, resolution=10)
    with pytest.raises(ValueError, match="min_count"):
        aggregate_to_h3(df, min_count=0)


def test_no_unit_below_min_count_is_drawn_in_any_layer() -> None:
    reports = _reports(250, seed=3)
    with maps.deterministic_ids():
        html = maps.map_to_html(maps.resident_reports_map(reports, min_count=4))
    calls = re.findall(r'"idx":\[([\d,]*)\],"n":\[([\d,]*)\]', html)
    assert len(calls) == 1 + 3 + 3  # alla, three categories, three statuses
    counts = [int(x) for _idx, ns in calls for x in ns.split(",") if x]
    assert counts and min(counts) >= 4


# --- privacy: what reaches the page ---------------------------------------------------


def test_no_exact_coordinates_or_free_text_in_the_page() -> None:
    reports = _reports()
    with maps.deterministic_ids():
        html = maps.map_to_html(_report_map(reports))
    ours = _without_vendored(html)
    # Every coordinate written by trygghet.present.maps has at most 4 decimals.
    assert re.findall(r"\d\.\d{5,}", ours) == []
    for lat, lon in zip(reports["lat"], reports["lon"], strict=True):
        assert f"{lat:.5f}" not in html and f"{lon:.5f}" not in html
    assert SECRET not in html and "070-123" not in html and "Adressgatan" not in html


# --- content: layers and legend -------------------------------------------------------


def test_report_map_has_a_layer_per_category_and_status_and_a_legend() -> None:
    with maps.deterministic_ids():
        html = maps.map_to_html(_report_map(_reports()))
    control = html[html.rindex("base_layers : {") :]
    base = control[: control.index("overlays :")]
    for name in (
        "Alla rapporter",
        "Kategori: belysning",
        "Kategori: klotter",
        "Kategori: ödslig plats",
        "Status: ny",
        "Status: pågår",
        "Status: åtgärdad",
    ):
        assert _has(base, name), name
    overlays = control[control.index("overlays :") :]
    for name in ("Kommungräns", "Tätorter", maps.DENSITY_LABEL, "Heta och kalla punkter"):
        assert _has(overlays, name), name
    assert "trygghet-legend" in html
    assert _has(html, "Rapporter om otrygga platser – antal per hexagon")
    assert _has(html, "Ingen yta med färre än 3 rapporter visas")


def test_hotspot_layer_draws_only_significant_cells() -> None:
    cells = aggregate_to_h3(_reports())
    spots = _hotspots(cells)
    layer = maps.hotspot_layer(spots)
    payload = layer.data
    assert (spots["count"] >= 3).all()  # every cell of the aggregation holds 3 or more
    assert len(payload) == int(spots["class"].isin(["hot", "cold"]).sum())
    assert {p[1] for p in payload} == {"#D55E00", "#0072B2"}
    with pytest.raises(ValueError):
        maps.hotspot_layer(spots.assign(**{"class": "varm"}))


# --- walk observations ----------------------------------------------------------------


def test_walk_map_flags_overdue_and_hides_free_text() -> None:
    with maps.deterministic_ids():
        html = maps.map_to_html(
            maps.walk_observations_map(_walks(), BOUNDARY, TATORTER, as_of="2025-09-01")
        )
    # Only the "ny" observation is overdue: pågår is not yet due, åtgärdad was done in
    # time, avslagen is closed without measure.
    assert html.count("FÖRSENAD") == 1 or html.count(json.dumps("FÖRSENAD")[1:-1]) == 1
    assert _has(html, "Status: ny (1, varav 1 försenade)")
    assert _has(html, "Byta lampor")  # the measure is shown
    assert SECRET not in html and "Storgatan" not in html  # description and place are not
    assert "trygghet-legend" in html and _has(html, "Försenad åtgärd (1 st)")
    assert core.external_assets(html) == []


def test_walk_map_needs_a_date_for_overdue() -> None:
    with pytest.raises(ValueError, match="as_of"):
        maps.walk_observations_map(_walks())
    m = maps.walk_observations_map(_walks().assign(overdue=[False, False, False, True]))
    assert "FÖRSENAD" in maps.map_to_html(m)


def test_text_cannot_break_out_of_tooltips_or_layer_names() -> None:
    evil = "`${alert(1)}`<img src=x onerror=alert(2)>\\"
    walks = _walks().assign(proposed_measure=evil)
    reports = _reports(60).assign(category=evil)
    for m in (
        maps.walk_observations_map(walks, as_of="2025-09-01"),
        maps.resident_reports_map(reports),
    ):
        html = _without_vendored(maps.map_to_html(m))
        assert "${alert" not in html and "<img" not in html and "alert(1)}`" not in html


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01binary",
        "tatortskod,tatort,kommun_code,population,lat,lon\nT1,Ort,1863,många,59.7,14.5\n".encode(),
    ],
    ids=["binary", "text-in-number"],
)
def test_a_broken_tatort_file_leaves_the_map_without_labels(tmp_path, content):
    """A broken mirror file must not stop a report: no labels, and the boundary still read."""
    from trygghet.errors import DataError
    from trygghet.present import maps

    (tmp_path / "scb").mkdir()
    (tmp_path / "scb" / "tatorter_2020_points.csv").write_bytes(content)
    with pytest.raises(DataError):
        maps.load_tatorter(tmp_path / "scb" / "tatorter_2020_points.csv", "1863")
    boundary, tatorter = maps.kommun_layers("1863", tmp_path)
    assert boundary is None and tatorter is None


def test_kommun_layers_read_the_mirror():
    from trygghet import paths
    from trygghet.present import maps

    mirror = paths.shared_data_dir()
    if not (mirror / "scb" / "tatorter_2020_points.csv").is_file():
        pytest.skip("the shared data mirror is not here")
    boundary, tatorter = maps.kommun_layers("1863", mirror)
    assert boundary is not None and "Hällefors" in set(tatorter["tatort"])


def test_maps_open_where_the_data_are_with_legend_and_layers_folded() -> None:
    import re

    walks = _walks()
    with maps.deterministic_ids("t"):
        html = maps.map_to_html(maps.walk_observations_map(walks, BOUNDARY, as_of="2025-09-01"))
    fitted = re.search(
        r"fitBounds\(\s*\[\[([-\d.]+), ([-\d.]+)\], \[([-\d.]+), ([-\d.]+)\]\]", html
    )
    assert fitted, "the map sets no bounds"
    south, west, north, east = map(float, fitted.groups())
    lats = pd.to_numeric(walks["lat"], errors="coerce").dropna()
    lons = pd.to_numeric(walks["lon"], errors="coerce").dropna()
    margin = maps.core.DATA_MARGIN_KM / 111.0
    assert south == pytest.approx(lats.min() - margin, abs=1e-3)
    assert north == pytest.approx(lats.max() + margin, abs=1e-3)
    assert west < lons.min() and east > lons.max()
    assert '"collapsed": true' in html  # the layer control is folded to its icon
    assert 'create("div", "trygghet-legend collapsed")' in html
    assert "@media print" in html and ".leaflet-control-layers" in html


def test_data_bounds_without_data_is_none() -> None:
    assert maps.core.data_bounds([], []) is None
    assert maps.core.data_bounds([float("nan")], [14.5]) is None
