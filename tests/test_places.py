"""Places report (promise 2): counts, change, hotspots, walks, before/after, privacy, texts."""

import matplotlib

matplotlib.use("Agg")

import h3
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from scipy import stats
from shapely.geometry import box

from trygghet.config import load_config
from trygghet.reports import places
from trygghet.stats.trend import DECREASING, INCREASING, NO_CLEAR_CHANGE, TOO_FEW

LAT0, LON0 = 59.78, 14.52
AREAS = [("Centrum", LAT0, LON0), ("Byn", 59.90, 14.80)]


def offset(north_m: float, east_m: float) -> tuple[float, float]:
    return (
        LAT0 + north_m / 111_320.0,
        LON0 + east_m / (111_320.0 * np.cos(np.radians(LAT0))),
    )


def reports_frame(rows) -> pd.DataFrame:
    """Reports from (created_at, category, lat, lon) tuples; lat/lon may be None."""
    records = []
    for i, (when, cat, lat, lon) in enumerate(rows):
        records.append(
            {
                "report_id": f"R{i}",
                "created_at": pd.Timestamp(when),
                "category": cat,
                "status": "ny",
                "lat": lat,
                "lon": lon,
                "position_source": "koordinat" if lat is not None else "saknas",
                "address": "Storgatan 1",
                "description": "Hemlig fritext om en granne",
                "origin": "example",
            }
        )
    frame = pd.DataFrame(records)
    frame["lat"] = frame["lat"].astype("Float64")
    frame["lon"] = frame["lon"].astype("Float64")
    return frame


def walks_frame(rows) -> pd.DataFrame:
    """Walk observations from dicts; missing keys get defaults."""
    base = {
        "walk_id": "TV-2025-1",
        "walk_date": "2025-03-01",
        "area": "Centrum",
        "place": "Centrum, vid parken",
        "lat": LAT0,
        "lon": LON0,
        "category": "belysning",
        "description": "Mörkt. Ring 070-000 00 00",
        "proposed_measure": "Byta lampor.",
        "responsible": "kommunen",
        "priority": 1,
        "deadline": "2025-04-01",
        "status": "ny",
        "completed_date": None,
        "verified_at_followup": None,
        "followup_walk_id": None,
        "origin": "example",
    }
    records = []
    for i, row in enumerate(rows, start=1):
        rec = {**base, "point_no": i, **row}
        records.append(rec)
    frame = pd.DataFrame(records)
    for col in ("walk_date", "deadline", "completed_date"):
        frame[col] = pd.to_datetime(frame[col])
    for col in ("lat", "lon"):
        frame[col] = frame[col].astype("Float64")
    frame["priority"] = frame["priority"].astype("Int64")
    frame["point_no"] = frame["point_no"].astype("Int64")
    frame["verified_at_followup"] = frame["verified_at_followup"].astype("boolean")
    for col in ("walk_id", "area", "status", "responsible", "followup_walk_id", "place"):
        frame[col] = frame[col].astype("string")
    return frame


# ---------------------------------------------------------------------------
# Counts and change


def test_monthly_and_season_counts_include_zeros():
    r = reports_frame(
        [("2025-01-10 20:00", "belysning", None, None)] * 3
        + [("2025-07-10 12:00", "trafik", None, None), ("2024-07-10 12:00", "trafik", None, None)]
    )
    monthly = places.monthly_by_category(r, 2025)
    assert monthly.shape == (12, len(places.CATEGORIES))
    assert monthly.loc[1, "belysning"] == 3 and monthly.loc[7, "trafik"] == 1
    assert monthly.to_numpy().sum() == 4
    seasons = places.season_counts(r, 2025)
    assert seasons.loc["vinter", "totalt"] == 3 and seasons.loc["sommar", "totalt"] == 1
    assert seasons["totalt"].sum() == 4


def test_time_of_day_leaves_out_midnight_as_unknown():
    r = reports_frame(
        [
            ("2025-02-01 00:00:00", "annat", None, None),
            ("2025-02-01 21:15", "annat", None, None),
            ("2025-02-02 22:15", "annat", None, None),
            ("2025-02-02 03:00", "annat", None, None),
        ]
    )
    tod = places.time_of_day(r, 2025)
    assert tod.attrs["unknown"] == 1
    assert tod.loc["kväll", "antal"] == 2 and tod.loc["natt", "antal"] == 1
    assert tod["andel"].sum() == pytest.approx(1.0)


def test_category_change_verdicts():
    rows = (
        [("2025-03-01 12:00", "belysning", None, None)] * 40
        + [("2024-03-01 12:00", "belysning", None, None)] * 10
        + [("2025-03-01 12:00", "klotter", None, None)] * 3
        + [("2024-03-01 12:00", "klotter", None, None)] * 2
        + [("2025-03-01 12:00", "trafik", None, None)] * 20
        + [("2024-03-01 12:00", "trafik", None, None)] * 21
        + [("2025-12-31 20:00", "annat", None, None), ("2024-01-01 01:00", "annat", None, None)]
    )
    change = places.category_change(reports_frame(rows), 2025).set_index("category")
    assert change.loc["belysning", "verdict"] == INCREASING
    assert change.loc["klotter", "verdict"] == TOO_FEW
    assert change.loc["trafik", "verdict"] == NO_CLEAR_CHANGE
    assert change.loc["alla kategorier", "count"] == 64
    assert change.loc["alla kategorier", "prev_count"] == 34
    # q-values are BH-adjusted over the categories, never below the raw p-value
    cats = change.drop(index="alla kategorier")
    assert (cats["q_value"] >= cats["p_value"] - 1e-12).all()


def test_category_change_without_previous_year():
    r = reports_frame([("2025-03-01 12:00", "belysning", None, None)] * 20)
    change = places.category_change(r, 2025)
    assert set(change["verdict"]) == {places.NO_COMPARISON}
    assert change["prev_count"].isna().all()


def test_partial_year_compares_same_months():
    rows = [("2024-01-05 12:00", "trafik", None, None), ("2024-11-05 12:00", "trafik", None, None)]
    rows += [("2025-01-05 12:00", "trafik", None, None), ("2025-10-20 12:00", "trafik", None, None)]
    win = places.period_window(reports_frame(rows), 2025)
    # data end on 20 October: October is incomplete, so the window ends 30 September
    assert not win.complete
    assert win.end.normalize() == pd.Timestamp("2025-09-30")
    assert win.prev_end.normalize() == pd.Timestamp("2024-09-30")
    assert win.months_text == "jan–sep"


def test_change_verdict_thresholds():
    assert places.change_verdict(5, 4, 0.5) == TOO_FEW
    assert places.change_verdict(6, 4, 0.001) == INCREASING  # 10 in all: enough
    assert places.change_verdict(3, 30, 0.001) == DECREASING
    assert places.change_verdict(3, None, 0.001) == places.NO_COMPARISON


# ---------------------------------------------------------------------------
# Hotspots


def planted_cluster():
    """80 reports around one point plus a thin scatter over a 25 km² square."""
    rng = np.random.default_rng(1)
    rows = []
    for _ in range(80):
        lat, lon = offset(rng.normal(0, 60), rng.normal(0, 60))
        rows.append(("2025-05-01 20:00", "belysning" if _ % 4 else "klotter", lat, lon))
    for _ in range(30):
        lat, lon = offset(rng.uniform(-2500, 2500), rng.uniform(-2500, 2500))
        rows.append(("2025-06-01 12:00", "trafik", lat, lon))
    return reports_frame(rows)


def test_hotspot_table_finds_planted_cluster():
    reports = planted_cluster()
    lat1, lon1 = offset(-6000, -6000)
    lat2, lon2 = offset(6000, 6000)
    boundary = box(lon1, lat1, lon2, lat2)
    cells, method = places.study_area_cells(reports, boundary)
    assert method == "gräns"
    report_cells = set(places._report_cells(reports, places.H3_RESOLUTION).dropna())
    assert report_cells <= set(cells) and len(cells) > 3 * len(report_cells)  # zeros included
    gi = places.hotspot_analysis(reports, cells)
    assert len(gi) == len(cells)
    hot = places.hotspot_table(gi, reports, AREAS)
    assert len(hot) == 1
    row = hot.iloc[0]
    assert row["place"] in ("centrala Centrum", "ca 0,5 km öster om Centrum")
    assert row["reports"] >= 75
    assert row["categories"].startswith("belysning (")
    shown = places.hotspot_display(hot)
    places.assert_display_safe(shown)
    assert "h3" not in shown.columns
    assert shown["vanligaste kategori"].iloc[0].startswith("belysning (")
    assert shown["näst vanligaste"].iloc[0].startswith("klotter (")
    assert places.hotspot_sentence(hot, len(reports)) == (
        f"Anmälningarna samlas på en plats mer än vad slumpen kan förklara: {row['place']}."
    )


def test_no_hotspot_in_uniform_scatter():
    """Sparse uniform reports: raw analytical Gi* cries wolf, the exact confirmation does not."""
    lat1, lon1 = offset(-6000, -6000)
    lat2, lon2 = offset(6000, 6000)
    one = reports_frame([("2025-06-01", "trafik", LAT0, LON0)])
    cells, method = places.study_area_cells(one, box(lon1, lat1, lon2, lat2))
    raw_alarms = confirmed_alarms = 0
    for seed in range(20):
        pick = np.random.default_rng(seed).choice(len(cells), 15)
        reports = reports_frame(
            [("2025-06-01 12:00", "trafik", *h3.cell_to_latlng(cells[i])) for i in pick]
        )
        gi = places.hotspot_analysis(reports, cells)
        raw_alarms += bool((gi["q_value"] <= 0.05).any())
        hot = places.hotspot_table(gi, reports, AREAS)
        confirmed_alarms += not hot.empty
    assert raw_alarms >= 5
    assert confirmed_alarms <= 1
    assert places.hotspot_sentence(pd.DataFrame(columns=["place"]), 60) == (
        "Ingen plats har statistiskt säkerställt fler anmälningar än resten av kommunen: "
        "anmälningarna är inte mer samlade än vad slumpen kan ge."
    )


def test_extent_study_area_when_no_boundary():
    reports = planted_cluster()
    cells, method = places.study_area_cells(reports, None)
    assert method == "utbredning"
    report_cells = set(places._report_cells(reports, places.H3_RESOLUTION).dropna())
    assert report_cells < set(cells)


def test_hotspot_sentence_too_few_and_many():
    assert places.hotspot_sentence(pd.DataFrame(columns=["place"]), 7) == (
        "Bara 7 anmälningar hade en position på kartan: "
        "för få för att leta efter platser där anmälningarna samlas."
    )
    table = pd.DataFrame({"place": ["A", "B", "C", "D"]})
    assert places.hotspot_sentence(table, 100) == (
        "Anmälningarna samlas på 4 platser mer än vad slumpen kan förklara: "
        "A, B och C (och 1 till)."
    )


def test_place_label_direction_and_distance():
    lat, lon = offset(1000, 0)
    assert places.place_label(lat, lon, AREAS) == "ca 1,0 km norr om Centrum"
    lat, lon = offset(-1400, 1400)
    assert places.place_label(lat, lon, AREAS) == "ca 2,0 km sydost om Centrum"
    lat, lon = offset(100, -50)
    assert places.place_label(lat, lon, AREAS) == "centrala Centrum"
    assert places.place_label(lat, lon, []) == "okänt område"


# ---------------------------------------------------------------------------
# Safety walks


def test_overdue_and_completion_rates_against_hand_wilson():
    walks = walks_frame(
        [
            # done on time
            {"status": "åtgärdad", "completed_date": "2025-03-20"},
            {"status": "åtgärdad", "completed_date": "2025-04-01"},
            # done, but late
            {"status": "åtgärdad", "completed_date": "2025-05-01"},
            # open past the deadline -> overdue
            {"status": "pågår"},
            {"status": "ny"},
            # rejected: not due, not overdue
            {"status": "avslagen"},
            # deadline after as_of: not yet due
            {"status": "ny", "deadline": "2026-02-01"},
            # other responsible party, done on time
            {"status": "åtgärdad", "completed_date": "2025-03-10", "responsible": "polisen"},
        ]
    )
    as_of = pd.Timestamp("2025-12-31")
    overall = places.completion_by(walks, None, 2025, as_of).iloc[0]
    assert (overall["due"], overall["on_time"], overall["overdue"]) == (6, 3, 2)
    # Wilson by hand: p = 0.5, n = 6, z = 1.959964
    z = stats.norm.ppf(0.975)
    n, p = 6, 0.5
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    assert overall["low"] == pytest.approx(centre - half)
    assert overall["high"] == pytest.approx(centre + half)
    by = places.completion_by(walks, "responsible", 2025, as_of).set_index("responsible")
    assert by.loc["kommunen", "due"] == 5 and by.loc["kommunen", "on_time"] == 2
    assert by.loc["polisen", "share"] == 1.0
    shown = places.completion_table(by.reset_index(), min_count=5)
    assert shown.loc["polisen", "andel i tid"] == "för få"
    assert shown.loc["kommunen", "andel i tid"] == "40\u00a0%"


def test_completion_as_of_earlier_date_ignores_later_completion():
    walks = walks_frame([{"status": "åtgärdad", "completed_date": "2025-03-20"}])
    early = places.completion_by(walks, None, 2025, pd.Timestamp("2025-03-10"))
    assert early.empty  # deadline 1 April not yet passed on 10 March
    walks = walks_frame(
        [{"status": "åtgärdad", "completed_date": "2025-06-20", "deadline": "2025-06-30"}]
    )
    mid = places.completion_by(walks, None, 2025, pd.Timestamp("2025-06-30")).iloc[0]
    assert mid["on_time"] == 1


def test_walk_observations_table_flags_overdue_and_hides_text_and_positions():
    walks = walks_frame(
        [
            {"status": "ny"},
            {"status": "åtgärdad", "completed_date": "2025-03-20"},
            {
                "walk_id": "TV-2023-1",
                "walk_date": "2023-05-01",
                "deadline": "2023-06-01",
                "status": "åtgärdad",
                "completed_date": "2023-05-20",
            },  # fmt: skip
            {"walk_id": "TV-2023-2", "walk_date": "2023-05-01", "deadline": "2023-06-01"},
        ]
    )
    table = places.walk_observations_table(walks, 2025, pd.Timestamp("2025-12-31"))
    # the closed 2023 point is left out, the open one is kept
    assert list(table.index) == ["TV-2023-2", "TV-2025-1", "TV-2025-1"]
    assert list(table["försenad"]) == ["ja", "ja", ""]
    assert not {"lat", "lon", "description"} & set(table.columns)
    assert "070" not in table.to_string()


def test_followup_table_counts_verified():
    walks = walks_frame(
        [
            {
                "status": "åtgärdad",
                "completed_date": "2025-03-20",
                "verified_at_followup": True,
                "followup_walk_id": "TV-2025-2",
            },  # fmt: skip
            {
                "status": "åtgärdad",
                "completed_date": "2025-03-20",
                "verified_at_followup": False,
                "followup_walk_id": "TV-2025-2",
            },  # fmt: skip
            {"status": "ny", "verified_at_followup": None, "followup_walk_id": "TV-2025-2"},
            {"walk_id": "TV-2025-2", "walk_date": "2025-10-01", "deadline": "2025-11-01"},
        ]
    )
    table = places.followup_table(walks, pd.Timestamp("2025-12-31"))
    row = table.iloc[0]
    assert row["punkter"] == "3" and row["kontrollerade"] == "2"
    assert row["bekräftade"] == "1" and row["ej bekräftade"] == "1"
    assert row["klara men ej bekräftade"] == "1"


def test_walks_sentences():
    as_of = pd.Timestamp("2025-12-31")
    assert places.walks_sentence(20, 15, 3, 2025, as_of) == (
        "Av de 20 åtgärder från trygghetsvandringarna som skulle vara klara under 2025 blev "
        "15 (75\u00a0%) klara i tid. Sammanlagt var 3 åtgärder från vandringarna försenade "
        "den 31 december 2025."
    )
    assert places.walks_sentence(3, 1, 1, 2025, as_of) == (
        "Bara 3 åtgärder från trygghetsvandringarna hade sista dag under 2025, för få för att "
        "räkna en andel; 1 blev klara i tid. Sammanlagt var 1 åtgärd från vandringarna "
        "försenad den 31 december 2025."
    )
    assert places.walks_sentence(0, 0, 0, 2025, as_of) == (
        "Inga åtgärder från trygghetsvandringarna hade sista dag under 2025 (fram till "
        "31 december 2025). Ingen åtgärd från vandringarna var försenad den 31 december 2025."
    )


# ---------------------------------------------------------------------------
# Before/after


def test_did_test_on_hand_counts():
    res = places.did_test(20, 5, 100, 100)
    assert res.ratio_of_ratios == pytest.approx(0.25)
    assert res.p_value == pytest.approx(stats.fisher_exact([[5, 20], [100, 100]]).pvalue)
    assert res.verdict == DECREASING
    assert res.low < 0.25 < res.high
    assert places.did_test(20, 20, 100, 100).verdict == NO_CLEAR_CHANGE
    assert places.did_test(5, 40, 100, 100).verdict == INCREASING
    too_few = places.did_test(6, 1, 100, 100)  # 7 near reports < 10
    assert too_few.verdict == TOO_FEW
    assert places.did_test(0, 0, 0, 0).verdict == TOO_FEW


def test_before_after_counts_near_once_and_compares_with_rest():
    t0 = pd.Timestamp("2024-07-01")
    near_pt = offset(100, 0)
    far_pt = offset(3000, 3000)
    rows = []
    rows += [(t0 - pd.Timedelta(days=10 + i), "belysning", *near_pt) for i in range(30)]
    rows += [(t0 + pd.Timedelta(days=10 + i), "belysning", *near_pt) for i in range(6)]
    rows += [(t0 - pd.Timedelta(days=10 + i), "trafik", *far_pt) for i in range(50)]
    rows += [(t0 + pd.Timedelta(days=10 + i), "trafik", *far_pt) for i in range(50)]
    rows += [("2023-01-01 12:00", "annat", *far_pt), ("2025-12-31 12:00", "annat", *far_pt)]
    reports = reports_frame(rows)
    # two completed measures at the same point: near reports must count once in the pool
    walks = walks_frame(
        [
            {
                "walk_date": "2024-04-01",
                "deadline": "2024-06-01",
                "status": "åtgärdad",
                "completed_date": t0,
            },  # fmt: skip
            {
                "walk_date": "2024-04-01",
                "deadline": "2024-06-01",
                "status": "åtgärdad",
                "completed_date": t0,
            },  # fmt: skip
            {
                "walk_date": "2024-04-01",
                "deadline": "2024-06-01",
                "status": "åtgärdad",
                "completed_date": t0,
                "lat": None,
                "lon": None,
            },  # fmt: skip
        ]
    )
    res = places.before_after(reports, walks, pd.Timestamp("2025-12-31"))
    assert len(res.measures) == 2
    assert res.excluded["utan position"] == 1
    assert list(res.measures["near_before"]) == [30, 30]
    p = res.pooled
    assert (p.near_before, p.near_after) == (30, 6)
    assert (p.rest_before, p.rest_after) == (50, 50)  # scaled back to distinct reports
    assert p.verdict == DECREASING
    assert places.did_sentence(res) == (
        "Inom 250 meter från 2 genomförda åtgärder kom 30 anmälningar in de 180 dagarna före "
        "och 6 de 180 dagarna efter. Anmälningarna nära åtgärderna minskade mer än i övriga "
        "kommunen, mer än vad slumpen brukar ge."
    )
    shown = places.before_after_table(res)
    places.assert_display_safe(shown)


def test_before_after_window_must_fit_before_period_end():
    reports = reports_frame(
        [("2023-01-01 12:00", "annat", *offset(0, 0)), ("2026-06-01 12:00", "annat", *offset(0, 0))]
    )
    walks = walks_frame(
        [
            {
                "walk_date": "2025-05-01",
                "deadline": "2025-06-01",
                "status": "åtgärdad",
                "completed_date": "2025-09-01",
            }
        ]  # fmt: skip
    )
    res = places.before_after(reports, walks, pd.Timestamp("2025-12-31"))
    assert res.measures.empty and res.excluded["fönster utanför data"] == 1
    assert places.did_sentence(res) == (
        "Ingen genomförd åtgärd med position hade hela perioden före och efter inom "
        "uppgifterna, så ingen före–efter-jämförelse kan göras."
    )


def test_did_sentence_too_few():
    res = places.BeforeAfter(
        measures=pd.DataFrame({"walk_id": ["A"]}),
        pooled=places.did_test(4, 2, 300, 280),
        near_ratio=(0.5, 0.1, 2.0),
        rest_ratio=(0.9, 0.8, 1.1),
        radius_m=250,
        window_days=180,
    )
    assert places.did_sentence(res) == (
        "Inom 250 meter från 1 genomförd åtgärd kom 4 anmälningar in de 180 dagarna före och "
        "2 de 180 dagarna efter: för få för att säga om åtgärderna gjorde skillnad."
    )


# ---------------------------------------------------------------------------
# Privacy of display tables


def test_display_table_drops_free_text_and_positions():
    r = reports_frame([("2025-03-01 12:00", "belysning", 59.782971, 14.516711)])
    shown = places.display_table(r)
    assert not places.FORBIDDEN_COLUMNS & set(shown.columns)
    text = shown.to_string()
    assert "Hemlig" not in text and "59.78" not in text and "Storgatan" not in text


def test_display_table_refuses_coordinates_under_other_names():
    with pytest.raises(ValueError, match="koordinater"):
        places.display_table(pd.DataFrame({"y": [59.782971], "x": [14.516711]}))
    with pytest.raises(ValueError, match="koordinat"):
        places.display_table(pd.DataFrame({"plats": ["vid 59.782971, 14.516711"]}))
    with pytest.raises(ValueError):
        places.display_table(pd.DataFrame({"description": ["x"]}), allow_text=("description",))
    # ordinary figures pass
    places.display_table(pd.DataFrame({"andel": [0.123456], "z": [31.5], "antal": [12]}))


def test_change_table_and_hotspot_display_are_safe():
    r = reports_frame([("2025-03-01 12:00", "belysning", None, None)] * 12)
    r = pd.concat([r, reports_frame([("2025-12-31 12:00", "annat", None, None)])])
    shown = places.category_change_table(places.category_change(r, 2025), 2025)
    places.assert_display_safe(shown)
    assert shown.loc["belysning", "antal 2025"] == "12"


# ---------------------------------------------------------------------------
# Pinned change sentences


@pytest.mark.parametrize(
    ("verdict", "count", "prev", "months", "expected"),
    [
        (INCREASING, 657, 583, "",
         "Under 2025 kom 657 anmälningar om otrygga platser in, fler än under 2024 (583). "
         "Ökningen är större än vad slumpen brukar ge."),
        (DECREASING, 400, 583, "jan–okt",
         "Under 2025 kom 400 anmälningar om otrygga platser in, färre än under 2024 (583) "
         "(jan–okt båda åren). Minskningen är större än vad slumpen brukar ge."),
        (NO_CLEAR_CHANGE, 100, 98, "",
         "Under 2025 kom 100 anmälningar om otrygga platser in, mot 98 under 2024: ingen "
         "tydlig förändring, skillnaden ryms inom vad slumpen kan ge."),
        (TOO_FEW, 1, 4, "",
         "Under 2025 kom 1 anmälan om otrygga platser in, mot 4 under 2024: för få för att "
         "säga om något har förändrats."),
        (places.NO_COMPARISON, 12, None, "",
         "Under 2025 kom 12 anmälningar om otrygga platser in; jämförelse med 2024 saknas "
         "eftersom uppgifterna inte går så långt tillbaka."),
    ],
)  # fmt: skip
def test_change_sentence(verdict, count, prev, months, expected):
    assert places.change_sentence(verdict, count, prev, 2025, months) == expected


# ---------------------------------------------------------------------------
# Whole analysis and charts (smoke)


def test_analyse_and_charts_on_small_data():
    reports = planted_cluster()
    extra = reports_frame(
        [("2024-05-01 20:00", "belysning", *offset(0, 0))] * 20
        + [("2023-05-01 20:00", "belysning", *offset(0, 0))]
    )
    reports = pd.concat([reports, extra], ignore_index=True)
    reports["report_id"] = [f"R{i}" for i in range(len(reports))]
    walks = walks_frame(
        [
            {"status": "åtgärdad", "completed_date": "2025-03-20"},
            {"status": "ny", "responsible": "polisen"},
        ]
    )
    lat1, lon1 = offset(-6000, -6000)
    lat2, lon2 = offset(6000, 6000)
    a = places.analyse(
        reports, walks, load_config("1863"), 2025,
        boundary=box(lon1, lat1, lon2, lat2), today=pd.Timestamp("2026-01-15"),
    )  # fmt: skip
    assert a.as_of == pd.Timestamp("2025-12-31")
    assert len(a.hot) == 1
    text = places.narrative(a)
    assert text.count("\n\n") == 3
    # the data ends 1 June 2025: the year is compared jan–maj with jan–maj 2024
    assert places.headline(a).startswith("Under 2025 kom 80 anmälningar")
    assert "(jan–maj båda åren)" in places.headline(a)
    for fig in (
        places.plot_monthly_by_category(a, "Hällefors"),
        places.plot_category_change(a),
        places.plot_completion(a),
        places.plot_before_after(a),
    ):
        assert isinstance(fig, Figure)


# ---------------------------------------------------------------------------
# Rendered output and maps


def test_rendered_html_problems_finds_coordinates_and_text():
    r = reports_frame([("2025-03-01 12:00", "belysning", 59.782971, 14.516711)])
    r["description"] = ["Gatlyktan är trasig vid min port sedan länge."]
    assert places.rendered_html_problems("<p>59,78 och 14.5167</p>", r) == []
    assert places.rendered_html_problems("<p>[59.782971, 14.516711]</p>", r)
    assert places.rendered_html_problems("<p>Gatlyktan är trasig vid min port sedan länge.</p>", r)
    import base64

    inner = base64.b64encode(b"<p>lat 59.7829712</p>").decode()
    assert places.rendered_html_problems(f'<iframe src="data:text/html;base64,{inner}">', r)
    # path data of an icon is not a position
    svg = base64.b64encode(b'<svg><path d="M75.9422842,29.58 14.7967832,17.65"/></svg>').decode()
    assert places.rendered_html_problems(f'<img src="data:image/svg+xml;base64,{svg}">', r) == []


def test_maps_carry_no_exact_positions_or_text():
    from trygghet.present import maps

    reports = planted_cluster()
    reports["lat"] = (reports["lat"] + 1e-7).astype("Float64")  # force 7 decimals
    walks = walks_frame([{"status": "ny"}, {"status": "åtgärdad", "completed_date": "2025-03-20"}])
    lat1, lon1 = offset(-6000, -6000)
    lat2, lon2 = offset(6000, 6000)
    a = places.analyse(
        reports, walks, load_config("1863"), 2025,
        boundary=box(lon1, lat1, lon2, lat2), today=pd.Timestamp("2026-01-15"),
    )  # fmt: skip
    for m in (places.reports_map(a, "1863"), places.walks_map(a, "1863")):
        page = maps.map_to_html(m)
        assert places.rendered_html_problems(page, reports) == []
        assert "Hemlig" not in page and "070-000" not in page
