"""Places report: study area, Gi* hotspots with exact confirmation, place labels."""

import h3
import numpy as np
import pandas as pd
from places_frames import AREAS, LAT0, LON0, offset, planted_cluster, reports_frame
from shapely.geometry import box

from trygghet.reports.places.geo import place_label
from trygghet.reports.places.hotspots import (
    H3_RESOLUTION,
    _report_cells,
    hotspot_analysis,
    hotspot_table,
    study_area_cells,
)
from trygghet.reports.places.privacy import assert_display_safe
from trygghet.reports.places.tables import hotspot_display
from trygghet.reports.places.text import hotspot_sentence


def test_hotspot_table_finds_planted_cluster():
    reports = planted_cluster()
    lat1, lon1 = offset(-6000, -6000)
    lat2, lon2 = offset(6000, 6000)
    boundary = box(lon1, lat1, lon2, lat2)
    cells, method = study_area_cells(reports, boundary)
    assert method == "gräns"
    report_cells = set(_report_cells(reports, H3_RESOLUTION).dropna())
    assert report_cells <= set(cells) and len(cells) > 3 * len(report_cells)  # zeros included
    gi = hotspot_analysis(reports, cells)
    assert len(gi) == len(cells)
    hot = hotspot_table(gi, reports, AREAS)
    assert len(hot) == 1
    row = hot.iloc[0]
    assert row["place"] in ("centrala Centrum", "ca 0,5 km öster om Centrum")
    assert row["reports"] >= 75
    assert row["categories"].startswith("belysning (")
    shown = hotspot_display(hot)
    assert_display_safe(shown)
    assert "h3" not in shown.columns
    assert shown["vanligaste kategori"].iloc[0].startswith("belysning (")
    assert shown["näst vanligaste"].iloc[0].startswith("klotter (")
    assert hotspot_sentence(hot, len(reports)) == (
        f"Anmälningarna samlas på en plats mer än vad slumpen kan förklara: {row['place']}."
    )


def test_no_hotspot_in_uniform_scatter():
    """Sparse uniform reports: raw analytical Gi* cries wolf, the exact confirmation does not."""
    lat1, lon1 = offset(-6000, -6000)
    lat2, lon2 = offset(6000, 6000)
    one = reports_frame([("2025-06-01", "trafik", LAT0, LON0)])
    cells, method = study_area_cells(one, box(lon1, lat1, lon2, lat2))
    raw_alarms = confirmed_alarms = 0
    for seed in range(20):
        pick = np.random.default_rng(seed).choice(len(cells), 15)
        reports = reports_frame(
            [("2025-06-01 12:00", "trafik", *h3.cell_to_latlng(cells[i])) for i in pick]
        )
        gi = hotspot_analysis(reports, cells)
        raw_alarms += bool((gi["q_value"] <= 0.05).any())
        hot = hotspot_table(gi, reports, AREAS)
        confirmed_alarms += not hot.empty
    assert raw_alarms >= 5
    assert confirmed_alarms <= 1
    assert hotspot_sentence(pd.DataFrame(columns=["place"]), 60) == (
        "Ingen plats har statistiskt säkerställt fler anmälningar än resten av kommunen: "
        "anmälningarna är inte mer samlade än vad slumpen kan ge."
    )


def test_extent_study_area_when_no_boundary():
    reports = planted_cluster()
    cells, method = study_area_cells(reports, None)
    assert method == "utbredning"
    report_cells = set(_report_cells(reports, H3_RESOLUTION).dropna())
    assert report_cells < set(cells)


def test_hotspot_sentence_too_few_and_many():
    assert hotspot_sentence(pd.DataFrame(columns=["place"]), 7) == (
        "Bara 7 anmälningar hade en position på kartan: "
        "för få för att leta efter platser där anmälningarna samlas."
    )
    table = pd.DataFrame({"place": ["A", "B", "C", "D"]})
    assert hotspot_sentence(table, 100) == (
        "Anmälningarna samlas på 4 platser mer än vad slumpen kan förklara: "
        "A, B och C (och 1 till)."
    )


def test_place_label_direction_and_distance():
    lat, lon = offset(1000, 0)
    assert place_label(lat, lon, AREAS) == "ca 1,0 km norr om Centrum"
    lat, lon = offset(-1400, 1400)
    assert place_label(lat, lon, AREAS) == "ca 2,0 km sydost om Centrum"
    lat, lon = offset(100, -50)
    assert place_label(lat, lon, AREAS) == "centrala Centrum"
    assert place_label(lat, lon, []) == "okänt område"
