"""Maps and the gate: no text from data is a template, reaches the page raw or carries personal data.

Every text field a map reads (walk category/measure/responsible/status, tätort
names, boundary properties, report categories and statuses, national kommun
names) gets template probes, script-breaking payloads and personal data; the
fields a map must not read (walk place and description, report free text)
get them too. folium renders a macro element's script through Jinja twice, so
a probe that survived as a template would come out evaluated.
"""

from __future__ import annotations

import re

import geopandas as gpd
import h3
import pandas as pd
import pytest
from shapely.geometry import box

from trygghet.present import gate, maps
from trygghet.present.maps import core
from trygghet.present.maps.reports import shown_counts

# Distinctive probes: evaluated, they give a string the page holds nowhere else.
CONCAT = "{{'zq'~'xj'}}"  # -> zqxj
OS_NAME = "{{ 'ab' ~ cycler.__init__.__globals__.os.name ~ 'cd' }}"  # -> abposixcd
OS_PLAIN = "{{ cycler.__init__.__globals__.os.name }}"  # -> posix
ARITH = "{{7*7}}"  # -> 49
STATEMENT = "{% if 1 %}QQX{% endif %}"  # -> QQX without its tags
SCRIPT = "</script><script>alert(1)</script>"
LITERAL = "${alert(1)}"
PNR = "19850101-1234"
PHONE = "070-123 45 67"
PAYLOAD = " ".join([CONCAT, OS_NAME, OS_PLAIN, ARITH, STATEMENT, SCRIPT, LITERAL, PNR, PHONE])
HIDDEN = "DOLDMARKOR"  # in fields a map must not read at all


def _forms(text: str) -> set[str]:
    """``text`` as the gate writes it into a map: html_text, inside JSON (& as \\u0026)."""
    shown = gate.html_text(text)
    return {shown, shown.replace("&", "\\u0026")}


def _without_vendored(html: str) -> str:
    for asset in (core._leaflet_js(), core._heat_js(), core._leaflet_css()):
        html = html.replace(asset, "")
    return html


def assert_gated(html: str, *, shown: bool = True) -> None:
    """None of the payloads evaluated, raw or with personal data; escaped if ``shown``."""
    ours = _without_vendored(html)
    assert "zqxj" not in ours and "abposixcd" not in ours and "posix" not in ours
    assert "{{" not in ours and "{%" not in ours and "{#" not in ours
    assert "<script>alert" not in ours and "alert(1)</script>" not in ours
    assert "${alert" not in ours and "`" not in ours
    assert "850101-1234" not in ours and "8501011234" not in ours
    assert "070-123" not in ours and "123 45 67" not in ours
    assert HIDDEN not in ours
    # A statement that ran would leave QQX without its (escaped) tags.
    assert ours.count("QQX") == sum(ours.count(f + "QQX") for f in _forms("{% if 1 %}"))
    assert ours.count("7*7") == sum(ours.count(f) for f in _forms(ARITH))
    if shown:
        assert ours.count("QQX") > 0
        for probe in (CONCAT, OS_NAME, ARITH, STATEMENT):
            assert any(f in ours for f in _forms(probe)), probe


BOUNDARY = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"kommun_code": "1863", "kommun_name": HIDDEN + PAYLOAD},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[14.40, 59.70], [14.65, 59.70], [14.65, 59.85], [14.40, 59.85], [14.40, 59.70]]
                ],
            },
        }
    ],
}


def _tatorter(name: str) -> pd.DataFrame:
    return pd.DataFrame({"tatort": [name], "lat": [59.782972], "lon": [14.516711]})


def _walks(text: str) -> pd.DataFrame:
    n = 3
    return pd.DataFrame(
        {
            "walk_date": pd.to_datetime(["2025-05-01"] * n),
            "lat": [59.781, 59.782, 59.783],
            "lon": [14.511, 14.512, 14.513],
            "category": [text] * n,
            "place": [HIDDEN + text] * n,
            "description": [HIDDEN + text] * n,
            "proposed_measure": [text] * n,
            "responsible": [text, "polisen", None],
            "status": [text, "ny", "pågår"],
            "deadline": pd.to_datetime(["2025-06-01"] * n),
            "completed_date": pd.to_datetime([None] * n),
        }
    )


def test_walk_map_shows_planted_text_only_escaped() -> None:
    m = maps.walk_observations_map(
        _walks(PAYLOAD), BOUNDARY, _tatorter(PAYLOAD), as_of="2025-09-01"
    )
    html = maps.map_to_html(m)
    assert_gated(html)
    # Responsible: the listed party as configured, anything else "annan ansvarig".
    assert "Ansvarig: polisen" in html and "Ansvarig: annan ansvarig" in html


def test_walk_map_uses_the_kommuns_parties() -> None:
    walks = _walks("Byta lampor").assign(responsible=["Hällefors Bostäder AB", "polisen", None])
    html = maps.map_to_html(
        maps.walk_observations_map(walks, as_of="2025-09-01", parties=["Hällefors Bostäder AB"])
    )
    assert "Ansvarig: Hällefors Bostäder AB" in html
    assert "Ansvarig: annan ansvarig" in html  # polisen is not in this kommun's list


def _reports(text: str, n: int = 40) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lat": [59.782972] * n,
            "lon": [14.516711] * n,
            "category": [text] * (n // 2) + ["belysning"] * (n - n // 2),
            "status": [text] * n,
            "description": [HIDDEN + text] * n,
        }
    )


def test_report_map_shows_planted_text_only_escaped() -> None:
    reports = _reports(PAYLOAD)
    cell = h3.latlng_to_cell(59.782972, 14.516711, 9)
    spots = pd.DataFrame({"h3": [cell], "class": ["hot"], "count": [40]})
    m = maps.resident_reports_map(reports, BOUNDARY, _tatorter(PAYLOAD), hotspots=spots)
    assert_gated(maps.map_to_html(m))


def test_tatort_names_and_legend_go_through_the_gate() -> None:
    m = maps.base_map()
    maps.core.add_tatorter(m, _tatorter(PAYLOAD))
    maps.core.add_boundary(m, BOUNDARY)
    maps.Legend(PAYLOAD, [("#000000", PAYLOAD), (None, PAYLOAD)], [PAYLOAD]).add_to(m)
    core.add_layer_control(m)
    assert_gated(maps.map_to_html(m))
    with pytest.raises(ValueError, match="colour"):
        maps.Legend("x", [("red;background:url(//x)", "y")])


def test_data_layer_refuses_code_that_could_be_a_template() -> None:
    for code in ("function(d) {{ return d; }}", "function(d) { return '</script>'; }"):
        with pytest.raises(ValueError):
            maps.DataLayer(code, [], name="x")


def test_national_map_kommun_names_go_through_the_gate() -> None:
    from trygghet.reports.national import analysis
    from trygghet.reports.national import map as national_map

    rows = [("1863", "2025-03-01 12:00", False, "trafik")] * 30
    rows += [("1864", "2025-03-01 12:00", False, None)] * 30
    events = pd.DataFrame(rows, columns=["kommun_code", "t", "is_summary", "promise_group"])
    events["incident_time"] = pd.to_datetime(events["t"])
    events["published_at"] = events["incident_time"].dt.tz_localize("Europe/Stockholm")
    events["type"] = "Trafikbrott"
    events["kommun_code"] = events["kommun_code"].astype("string")
    events["origin"] = "real"
    shares = analysis.police_shares(events.drop(columns="t"), 2025, ["1863", "1864"])
    shares["kommun_name"] = PAYLOAD
    boundaries = pd.DataFrame({"kommun_code": ["1863", "1864"], "kommun_name": [HIDDEN, HIDDEN]})

    gdf = gpd.GeoDataFrame(
        boundaries, geometry=[box(14.3, 59.7, 14.9, 60.1), box(14.9, 59.7, 15.3, 60.1)], crs=4326
    )
    page = national_map.police_map_html(shares, gdf)
    assert_gated(page)
    assert "folium" not in national_map.police_map_html.__code__.co_names


# --- small numbers ---------------------------------------------------------------------


def test_hotspot_cells_with_fewer_than_min_count_reports_are_not_drawn() -> None:
    base = h3.latlng_to_cell(59.782972, 14.516711, 9)
    cells = [base, *sorted(h3.grid_ring(base, 1))][:6]
    spots = pd.DataFrame(
        {
            "h3": cells,
            "class": ["hot", "hot", "hot", "cold", "hot", "ns"],
            "count": [0, 1, 4, 2, 5, 1],
        }
    )
    layer = maps.hotspot_layer(spots, min_count=3)
    tips = [c[2] for c in layer.data]
    assert len(tips) == 3  # 0, 4 and 5 reports; the cells with 1 and 2 are left out
    assert layer.n_hidden == 2
    shown = sorted(int(re.search(r"cellen: (\d+)", t).group(1)) for t in tips)
    assert shown == [0, 4, 5]
    assert not any("färre än" in t for t in tips)


def test_report_map_legend_says_which_hotspot_cells_are_left_out() -> None:
    reports = _reports("klotter")
    cell = h3.latlng_to_cell(59.782972, 14.516711, 9)
    spots = pd.DataFrame({"h3": [cell], "class": ["hot"], "count": [40]})
    html = maps.map_to_html(maps.resident_reports_map(reports, hotspots=spots, min_count=5))
    assert "Heta och kalla rutor med 1–4 anmälningar visas inte (färre än 5)." in html


def test_a_small_rest_takes_the_smallest_shown_count_with_it() -> None:
    assert shown_counts([5, 2], 3) == [False, False]  # "övriga 2" would follow from 7 − 5
    assert shown_counts([5, 3, 1], 3) == [True, False, False]  # övriga 4
    assert shown_counts([4, 0, 3], 3) == [True, False, True]  # nothing left over
    assert shown_counts([1, 1, 1], 3) == [False, False, False]


def test_no_count_below_min_count_in_layers_or_tooltips() -> None:
    # One cell: 6 belysning, 2 klotter (8 in all): the klotter count must not show, nor can
    # "övriga 2" follow from the total, so belysning joins övriga too.
    pts = [("belysning", "ny")] * 6 + [("klotter", "ny")] * 2
    reports = pd.DataFrame(
        {
            "lat": [59.782972] * len(pts),
            "lon": [14.516711] * len(pts),
            "category": [c for c, _s in pts],
            "status": [s for _c, s in pts],
        }
    )
    m = maps.resident_reports_map(reports, min_count=3)
    html = maps.map_to_html(m)
    counts = [
        int(x)
        for _i, ns in re.findall(r'"idx":\[([\d,]*)\],"n":\[([\d,]*)\]', html)
        for x in ns.split(",")
        if x
    ]
    assert sorted(counts) == [8, 8]  # alla and status ny; neither category layer draws it
    assert "Kategori: övriga 8" in html and "Status: ny 8" in html
    assert "klotter 2" not in html and "övriga 2" not in html and "belysning 6" not in html
