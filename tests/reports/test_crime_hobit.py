"""Police-recorded crime from Hobit in the crime report: hotspots, time, change, privacy."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from hobit_frames import HALLEFORS, hobit_frame

from trygghet.config import load_or_default
from trygghet.present import maps
from trygghet.present.maps.crime import CRIME_LAYER_CATEGORIES, police_crime_map
from trygghet.present.small_numbers import FEW, TOO_FEW
from trygghet.reports import crime
from trygghet.reports.crime import hobit as H
from trygghet.stats import rates

CONFIG = load_or_default("1863")


@pytest.fixture(scope="module")
def hs() -> H.HobitStats:
    return H.analyse_hobit(hobit_frame(600), CONFIG, 2025)


# --------------------------------------------------------------------------- loading


def test_missing_table_gives_none_and_a_plain_sentence(monkeypatch, tmp_path):
    from trygghet import paths

    monkeypatch.setattr(paths, "processed_dir", lambda kommun: tmp_path)
    assert crime.load_hobit("1863") is None
    assert crime.analyse_hobit_kommun("1863", 2025, CONFIG) is None
    assert "docs/data/hobit.md" in H.MISSING_TEXT and "Hobit" in H.MISSING_TEXT
    # Every notebook call takes the missing table quietly.
    assert crime.hobit_map(None) is None
    assert crime.hobit_hot_areas(None) is None
    assert crime.plot_hobit_when(None) is None
    assert crime.hobit_change_table(None) is None
    assert crime.hobit_caption(None, "tid") is None


def test_banner_marks_example_data(hs, monkeypatch):
    from trygghet.present import page

    shown = []
    monkeypatch.setattr(page, "_display_html", lambda markup, metadata=None: shown.append(markup))
    crime.show_hobit_banner(hs)
    assert "EXEMPELDATA" in shown[0] or "exempel" in shown[0].lower()
    assert "inte de händelser polisen publicerar" in shown[1]
    crime.show_hobit_banner(None)
    assert "docs/data/hobit.md" in shown[2]


# --------------------------------------------------------------------------- hotspots


def test_planted_cluster_is_found_and_named_without_coordinates(hs):
    table = H.hot_area_rows(hs)
    assert not table.empty
    assert table.iloc[0]["område"] == "Hällefors"
    text = table.to_string()
    assert not re.search(r"\d{2}[.,]\d{3,}", text)  # no coordinates
    assert "Hällefors" in H.hotspot_sentence(hs)


def test_uniform_crimes_give_no_hot_area():
    frame = hobit_frame(300, hot=None, seed=3)
    rng = np.random.default_rng(3)
    frame["lat"] = 59.70 + rng.random(len(frame)) * 0.2
    frame["lon"] = 14.40 + rng.random(len(frame)) * 0.3
    hs = H.analyse_hobit(frame, CONFIG, 2025)
    assert H.hot_area_rows(hs).empty
    assert H.hotspot_sentence(hs).startswith("Inga områden")


def test_hot_area_under_the_rule_is_not_listed():
    frame = hobit_frame(60, hot_share=0.0, seed=5)
    frame.loc[:3, ["lat", "lon"]] = HALLEFORS  # four crimes on one spot, under min_count 5
    frame.loc[:3, "start"] = pd.Timestamp("2025-06-01 12:00")
    frame.loc[:3, "category"] = "narkotika"
    hs = H.analyse_hobit(frame, CONFIG, 2025)
    for n in H.hot_area_rows(hs)["anmälda brott"]:
        assert int(str(n).replace("\u00a0", "").replace(" ", "")) >= CONFIG.min_count


# --------------------------------------------------------------------------- map


def test_map_hexagons_and_category_layers_respect_the_rule(hs):
    now = hs.crimes[hs.crimes["start"].dt.year == 2025]
    cells = maps.aggregate_to_h3(now[["lat", "lon", "category"]], 8, 5, by=("category",))
    assert (cells["count"] >= 5).all()
    with maps.deterministic_ids("t"):
        m = police_crime_map(now, min_count=5, hotspots=hs.gi[["h3", "class", "count"]])
    html = maps.map_to_html(m)
    assert maps.external_assets(html) == []
    for cat in CRIME_LAYER_CATEGORIES:
        assert json.dumps(f"Kategori: {cat}")[1:-1] in html
    # Every count a layer draws is at least min_count.
    for block in re.findall(r'"n":\s*\[([0-9, ]*)\]', html):
        assert all(int(v) >= 5 for v in block.split(",") if v.strip())
    # No exact position: nothing finer than 4 decimals, no case key, no place text.
    assert not re.search(r"\b(?:5[89]|1[45])\.\d{5,}", html)
    assert "k00001" not in html and "Storgatan" not in html


def test_category_count_hidden_against_the_hexagon_total():
    """7 narkotika + 2 trafik in one cell: narkotika alone would give trafik away."""
    crimes = pd.DataFrame(
        {
            "lat": [HALLEFORS[0]] * 9,
            "lon": [HALLEFORS[1]] * 9,
            "category": ["narkotika"] * 7 + ["trafik"] * 2,
        }
    )
    with maps.deterministic_ids("t"):
        html = maps.map_to_html(police_crime_map(crimes, min_count=5))
    assert "Kategori: narkotika (0)" in html and "Alla anm\\u00e4lda brott (9)" in html
    assert "övriga 9" in html


def test_map_is_built_reproducibly(hs):
    assert maps.map_to_html(crime.hobit_map(hs)) == maps.map_to_html(crime.hobit_map(hs))


# --------------------------------------------------------------------------- time


def test_time_of_day_and_weekday_counts(hs):
    by_time = H.when_counts(hs, "tid")
    by_day = H.when_counts(hs, "veckodag")
    assert list(by_time.index) == list(H.PROMISE_CATEGORIES)
    assert list(by_day.columns) == list(H.WEEKDAYS)
    exact = hs.crimes[(hs.crimes["start"].dt.year == 2025) & hs.crimes["time_exact"]]
    exact = exact[exact["category"].isin(H.PROMISE_CATEGORIES)]
    assert by_time.to_numpy().sum() == len(exact) == by_day.to_numpy().sum()
    with pytest.raises(ValueError):
        H.when_counts(hs, "månad")


def test_chart_writes_few_for_small_counts():
    frame = hobit_frame(80, seed=2)
    hs = H.analyse_hobit(frame, CONFIG, 2025)
    fig = crime.plot_hobit_when(hs, "veckodag")
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert FEW in texts
    assert "EXEMPELDATA" in [t.get_text() for t in fig.texts]


# --------------------------------------------------------------------------- change


def test_change_uses_the_exact_rate_ratio(hs):
    rows = H.change_rows(hs, "kategori").set_index("kategori")
    part = hs.crimes[hs.crimes["category"] == "narkotika"]
    cur = int((part["start"].dt.year == 2025).sum())
    prev = int((part["start"].dt.year == 2024).sum())
    rr = rates.rate_ratio_test(cur, 1.0, prev, 1.0)
    cell = rows.at["narkotika", "kvot (95 % osäkerhetsintervall)"]
    assert cell.startswith(f"{rr.ratio:.2f}".replace(".", ","))
    expected = (
        ("fler" if cur > prev else "färre") if rr.p_value < 0.05 else "ingen säker förändring"
    )
    assert rows.at["narkotika", "bedömning"] == expected


def test_change_by_area_hides_small_counts_and_their_ratio(hs):
    rows = H.change_rows(hs, "område")
    hidden = rows[(rows["2024"].isin([FEW, "visas ej"])) | (rows["2025"].isin([FEW, "visas ej"]))]
    assert not hidden.empty
    assert (hidden["kvot (95 % osäkerhetsintervall)"] == TOO_FEW).all()
    assert (hidden["bedömning"] == TOO_FEW).all()


def test_change_text_names_police_activity(hs):
    text = H.change_sentence(hs)
    assert "kontroller" in text and "Narkotika- och trafikbrott" in text


def test_texts_never_speak_of_rates_per_inhabitant():
    assert "inte om per invånare" in H.WHAT_TEXT
    assert "polisanmälda brott ur polisens kartsystem Hobit" in H.WHAT_TEXT


def test_crimes_per_area_for_triangulation():
    frame = hobit_frame(200)
    per_area = crime.hobit_crimes_per_area(frame, CONFIG, 2025)
    assert set(per_area) <= {a.name for a in CONFIG.areas}
    assert per_area["Hällefors"] > per_area.get("Grythyttan", 0)


def test_tables_are_page_tables_with_origin(hs):
    table = crime.hobit_change_table(hs, "område")
    assert table.origin == "example"
    assert crime.hobit_hot_areas(hs).origin == "example"
