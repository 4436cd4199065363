"""Places report: no free text or exact positions in tables, the rendered report or the maps."""

import pandas as pd
import pytest
from places_frames import offset, planted_cluster, reports_frame, walks_frame
from shapely.geometry import box

from trygghet.config import load_config
from trygghet.reports.places.analysis import analyse
from trygghet.reports.places.counts import category_change
from trygghet.reports.places.maps import reports_map, walks_map
from trygghet.reports.places.privacy import (
    FORBIDDEN_COLUMNS,
    assert_display_safe,
    display_table,
    rendered_html_problems,
)
from trygghet.reports.places.tables import category_change_table

# ---------------------------------------------------------------------------
# Privacy of display tables


def test_display_table_drops_free_text_and_positions():
    r = reports_frame([("2025-03-01 12:00", "belysning", 59.782971, 14.516711)])
    shown = display_table(r)
    assert not FORBIDDEN_COLUMNS & set(shown.columns)
    text = shown.to_string()
    assert "Hemlig" not in text and "59.78" not in text and "Storgatan" not in text


def test_display_table_refuses_coordinates_under_other_names():
    with pytest.raises(ValueError, match="koordinater"):
        display_table(pd.DataFrame({"y": [59.782971], "x": [14.516711]}))
    with pytest.raises(ValueError, match="koordinat"):
        display_table(pd.DataFrame({"plats": ["vid 59.782971, 14.516711"]}))
    with pytest.raises(ValueError):
        display_table(pd.DataFrame({"description": ["x"]}), allow_text=("description",))
    # ordinary figures pass
    display_table(pd.DataFrame({"andel": [0.123456], "z": [31.5], "antal": [12]}))


def test_change_table_and_hotspot_display_are_safe():
    r = reports_frame([("2025-03-01 12:00", "belysning", None, None)] * 12)
    r = pd.concat([r, reports_frame([("2025-12-31 12:00", "annat", None, None)])])
    shown = category_change_table(category_change(r, 2025), 2025, min_count=1)
    assert_display_safe(shown)
    assert shown.loc["belysning", "antal 2025"] == "12"
    # Under the rule: annat (1) is "fåtal", and belysning is hidden too, since the
    # "alla kategorier" row (13) would give annat back.
    ruled = category_change_table(category_change(r, 2025), 2025, min_count=5)
    assert ruled.loc["annat", "antal 2025"] == "fåtal"
    assert ruled.loc["belysning", "antal 2025"] == "visas ej"
    assert ruled.loc["alla kategorier", "antal 2025"] == "13"
    assert ruled.loc["annat", "kvot (95 % osäkerhetsintervall)"] == "–"


# ---------------------------------------------------------------------------
# Rendered output and maps


def test_rendered_html_problems_finds_coordinates_and_text():
    r = reports_frame([("2025-03-01 12:00", "belysning", 59.782971, 14.516711)])
    r["description"] = ["Gatlyktan är trasig vid min port sedan länge."]
    assert rendered_html_problems("<p>59,78 och 14.5167</p>", r) == []
    assert rendered_html_problems("<p>[59.782971, 14.516711]</p>", r)
    assert rendered_html_problems("<p>Gatlyktan är trasig vid min port sedan länge.</p>", r)
    import base64

    inner = base64.b64encode(b"<p>lat 59.7829712</p>").decode()
    assert rendered_html_problems(f'<iframe src="data:text/html;base64,{inner}">', r)
    # path data of an icon is not a position
    svg = base64.b64encode(b'<svg><path d="M75.9422842,29.58 14.7967832,17.65"/></svg>').decode()
    assert rendered_html_problems(f'<img src="data:image/svg+xml;base64,{svg}">', r) == []


def test_maps_carry_no_exact_positions_or_text():
    from trygghet.present import maps

    reports = planted_cluster()
    reports["lat"] = (reports["lat"] + 1e-7).astype("Float64")  # force 7 decimals
    walks = walks_frame([{"status": "ny"}, {"status": "åtgärdad", "completed_date": "2025-03-20"}])
    lat1, lon1 = offset(-6000, -6000)
    lat2, lon2 = offset(6000, 6000)
    a = analyse(
        reports, walks, load_config("1863"), 2025,
        boundary=box(lon1, lat1, lon2, lat2), today=pd.Timestamp("2026-01-15"),
    )  # fmt: skip
    for m in (reports_map(a, "1863"), walks_map(a, "1863")):
        page = maps.map_to_html(m)
        assert rendered_html_problems(page, reports) == []
        assert "Hemlig" not in page and "070-000" not in page
