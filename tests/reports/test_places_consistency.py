"""One number, one definition: the places page's counts agree, or are reconciled in words.

The page pieces are built as the notebook builds them (analysis, text, the two
maps as HTML with their layer names and data as JSON), without running the
notebook, on planted data where the counts legitimately differ: reports
without a position, reports too sparse to draw, a category ranking that is not
alphabetical, overdue walk measures from earlier years and without a position.
Every count is checked against a count written out here from the input rows.
"""

import json
import re

import pandas as pd
import pytest
from places_frames import offset, reports_frame, walks_frame
from shapely.geometry import box

from trygghet.config import load_config
from trygghet.present import maps
from trygghet.present.swedish import fmt_int
from trygghet.reports import places
from trygghet.reports.places.counts import season_counts, time_of_day

PERIOD = 2025


def _reports() -> pd.DataFrame:
    rows = []
    # belysning 30 (in one spot), trafik 12 in a second spot + 6 without a position,
    # klotter 8 spread far apart (too sparse to draw), annat 3 at midnight without a position.
    for i in range(30):
        rows.append((f"2025-03-{1 + i % 28:02d} 20:00", "belysning", *offset(i % 5, i % 3)))
    for i in range(12):
        rows.append((f"2025-09-{1 + i:02d} 14:00", "trafik", *offset(2000 + i, 0)))
    for i in range(6):
        rows.append((f"2025-10-{1 + i:02d} 09:00", "trafik", None, None))
    for i in range(8):
        rows.append((f"2025-11-{1 + i:02d} 18:00", "klotter", *offset(-4000 + 1000 * i, 3000)))
    for i in range(3):
        rows.append((f"2025-12-{10 + i:02d} 00:00", "annat", None, None))
    # The year before, and one report after the period (so that 2025 is complete).
    rows += [("2024-01-05 12:00", "belysning", *offset(0, 0))]  # the data reach back a year
    rows += [("2024-04-01 12:00", "belysning", *offset(0, 0))] * 20
    rows += [("2024-04-02 12:00", "trafik", *offset(2000, 0))] * 5
    rows += [("2026-01-05 12:00", "trafik", *offset(2000, 0))]
    frame = reports_frame(rows)
    frame.loc[frame.index % 3 == 0, "status"] = "åtgärdad"
    return frame


def _walks() -> pd.DataFrame:
    none = {"lat": None, "lon": None}
    return walks_frame(
        [
            # overdue, deadline the year before: one with a position, one without
            {"walk_date": "2024-03-01", "deadline": "2024-06-01", "status": "ny"},
            {"walk_date": "2024-03-01", "deadline": "2024-07-01", "status": "pågår", **none},
            # overdue, deadline in the period: one with a position, one without
            {"deadline": "2025-05-01", "status": "ny"},
            {"deadline": "2025-06-01", "status": "pågår", **none},
            # done on time, done late, rejected
            {"deadline": "2025-04-01", "status": "åtgärdad", "completed_date": "2025-03-20"},
            {"deadline": "2025-04-01", "status": "åtgärdad", "completed_date": "2025-05-20"},
            {"deadline": "2025-04-01", "status": "avslagen"},
        ]
    )


@pytest.fixture(scope="module")
def a():
    lat1, lon1 = offset(-8000, -8000)
    lat2, lon2 = offset(8000, 8000)
    return places.analyse(
        _reports(), _walks(), load_config("1863"), PERIOD,
        boundary=box(lon1, lat1, lon2, lat2), today=pd.Timestamp("2026-01-15"),
    )  # fmt: skip


@pytest.fixture(scope="module")
def report_map_html(a, tmp_path_factory):
    mirror = tmp_path_factory.mktemp("mirror")  # no SCB files: no boundary layer
    return maps.map_to_html(places.reports_map(a, "1863", mirror))


@pytest.fixture(scope="module")
def walks_map_html(a, tmp_path_factory):
    mirror = tmp_path_factory.mktemp("mirror")
    return maps.map_to_html(places.walks_map(a, "1863", mirror, parties=a.parties))


def _base_layers(html: str) -> list[str]:
    """The names of the hexagon layers in the layer control, in their order."""
    control = html[html.rindex("base_layers : {") :]
    control = control[: control.index("overlays :")]
    return [json.loads(f'"{name}"') for name in re.findall(r'"((?:[^"\\]|\\.)*)" :', control)]


def _hex_payloads(html: str) -> list[list[int]]:
    """The counts each hexagon layer draws (its JSON data), in the order the layers are added."""
    return [
        [int(x) for x in n.split(",") if x]
        for n in re.findall(r'"idx":\s*\[[\d,\s]*\],\s*"n":\s*\[([\d,\s]*)\]', html)
    ]


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def test_the_counts_record_against_the_input_rows(a):
    rows = _reports()
    t = pd.to_datetime(rows["created_at"])
    year = rows[t.dt.year == PERIOD]
    c = a.counts
    assert (c.in_table, c.in_period) == (len(rows), len(year)) == (len(rows), 59)
    assert c.prev_period == int((t.dt.year == PERIOD - 1).sum()) == 26
    assert c.with_position == int(year["lat"].notna().sum()) == 50
    assert c.without_position == int(year["lat"].isna().sum()) == 9
    assert c.without_time == 3
    # One ranking: most reports first, then the name (not the categories' fixed order).
    assert c.category_order == ("belysning", "trafik", "klotter", "annat")
    assert c.top_categories(3) == [("belysning", 30), ("trafik", 18), ("klotter", 8)]
    assert c.categories.loc["trafik", "with_position"] == 12
    assert int(c.statuses["count"].sum()) == c.in_period
    assert c.statuses.loc["åtgärdad", "count"] == int((year["status"] == "åtgärdad").sum())


def test_every_table_counts_the_same_reports(a):
    c = a.counts
    total = a.change[a.change["category"] == "alla kategorier"].iloc[0]
    assert (int(total["count"]), int(total["prev_count"])) == (c.in_period, c.prev_period)
    assert season_counts(a.reports_in_period, PERIOD)["totalt"].sum() == c.in_period
    tod = time_of_day(a.reports_in_period, PERIOD)
    assert tod["antal"].sum() + tod.attrs["unknown"] == c.in_period
    assert tod.attrs["unknown"] == c.without_time
    assert len(a.positioned_in_period) == c.with_position


def test_the_text_says_the_same_numbers_and_reconciles_them(a):
    c = a.counts
    assert places.headline(a).startswith(f"Under {PERIOD} kom {c.in_period} anmälningar")
    assert "Vanligast var belysning (30), trafik (18) och klotter (8)." in places.narrative(a)
    assert (
        f"{c.with_position} av {c.in_period} anmälningar under {PERIOD} hade en position och är "
        f"med i sökningen; de {c.without_position} utan position räknas i tabellerna men inte "
        "i sökningen."
    ) in places.study_area_text(a)
    banner = places.reports_coverage_text(a.reports, c)
    assert banner.startswith(f"{c.in_table} anmälningar i registret från ")
    assert banner.endswith(
        f"rapporten gäller de {c.in_period} anmälningarna under {PERIOD}, varav "
        f"{c.with_position} med position och {c.without_position} utan."
    )
    caption = places.reports_map_caption(a).data
    assert (
        f"{c.in_period} anmälningar under {PERIOD}, varav {c.with_position} med position; de "
        f"{c.without_position} utan position finns inte på kartan."
    ) in caption


def test_the_reports_map_names_the_period_counts_in_the_texts_order(a, report_map_html):
    c = a.counts
    names = _base_layers(report_map_html)
    pattern = re.compile(r"(.+) \(([\d\s\u00a0]+); ([\d\s\u00a0]+) visas\)$")
    parsed = [pattern.match(n) for n in names]
    assert all(parsed), names
    label = [m.group(1) for m in parsed]
    total = [_number(m.group(2)) for m in parsed]
    drawn = [_number(m.group(3)) for m in parsed]
    assert label[0] == "Alla anmälningar" and total[0] == c.in_period
    cats = [
        (lab.removeprefix("Kategori: "), n)
        for lab, n in zip(label, total, strict=True)
        if "Kategori" in lab
    ]
    assert cats == c.top_categories(len(c.category_order))  # the text's ranking and counts
    statuses = sum(n for lab, n in zip(label, total, strict=True) if lab.startswith("Status: "))
    assert statuses == c.in_period
    # What each layer draws is what its JSON data holds, never more than the period's count.
    payloads = _hex_payloads(report_map_html)
    assert [sum(p) for p in payloads] == drawn
    assert all(d <= t for d, t in zip(drawn, total, strict=True))
    # The legend reconciles the period's count with what the map draws.
    legend = re.search(
        r"Anmälningar totalt ([\d\s\u00a0]+): ([\d\s\u00a0]+) visas på kartan \(varav "
        r"([\d\s\u00a0]+) i sammanslagna ytor\), ([\d\s\u00a0]+) visas inte eftersom de ligger "
        r"för glest och ([\d\s\u00a0]+) saknar position\.",
        report_map_html,
    )
    assert legend, "the legend does not reconcile the counts"
    n, shown, _pooled, sparse, missing = (_number(g) for g in legend.groups())
    assert (n, missing) == (c.in_period, c.without_position)
    assert shown == drawn[0] and shown + sparse + missing == n
    assert sparse > 0  # the planted klotter reports are too sparse to draw


def test_overdue_measures_are_reconciled(a, walks_map_html):
    o = a.overdue
    assert (o.total, o.due_in_period, o.earlier, o.on_map, o.without_position) == (4, 2, 2, 2, 2)
    assert a.overdue_total == o.total
    assert int(a.completion["overdue"].sum()) == o.due_in_period
    assert int(a.completion_by_responsible["overdue"].sum()) == o.due_in_period
    assert int(a.completion_by_walk["overdue"].sum()) == o.due_in_period
    text = places.overall_completion_text(a)
    assert (
        f"Sammanlagt var {o.total} åtgärder från vandringarna försenade den 31 december 2025: "
        f"{o.due_in_period} med sista dag under {PERIOD} och {o.earlier} med sista dag tidigare."
    ) in text
    assert f"räknar de försenade med sista dag under {PERIOD} ({o.due_in_period})." in text
    assert (
        f"Kartan visar {o.on_map} av de {o.total} försenade; {o.without_position} saknar position."
    ) in text
    # The walks map: its "Försenad åtgärd (n st)" and layer names are the record's on_map.
    legend = re.search(r"Försenad åtgärd \(([\d\s\u00a0]+) st\)", walks_map_html)
    assert legend and _number(legend.group(1)) == o.on_map
    control = walks_map_html[walks_map_html.rindex("overlays :") :]
    late = [_number(x) for x in re.findall(r"varav ([\d\s\u00a0]+) f\\u00f6rsenade", control)]
    assert sum(late) == o.on_map
    assert fmt_int(o.total) in places.headline(a)
