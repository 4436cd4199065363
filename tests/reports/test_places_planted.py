"""Places report: personal data and payloads typed into a walk protocol never reach the page.

Planted in the walks' place, responsible, proposed measure and description
(and in a report's category and description); checked in every display
table's HTML, every sentence, and every text object of every chart.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.text
import pandas as pd
import pytest
from places_frames import offset, planted_cluster, reports_frame, walks_frame
from shapely.geometry import box

from trygghet.config import load_config
from trygghet.present.gate import OTHER_RESPONSIBLE, html_paragraphs
from trygghet.reports import places
from trygghet.reports.places.analysis import analyse

PERSONAL = ["19850101-1234", "070-123 45 67", "anna@example.se", "ABC 123", "Storgatan 12"]
PLANTED = [
    "19850101-1234",
    "070-123 45 67",
    "anna@example.se",
    "ABC 123",
    "Anna Svensson, Storgatan 12",
]
PAYLOADS = ["<script>x</script>", "{{'zq'~'xj'}}"]
# What must not be in HTML: the payloads as typed (escaped they are harmless text).
HTML_FORBIDDEN = [*PERSONAL, "<script>x</script>", "{{", "'zq'"]


def planted_walks() -> pd.DataFrame:
    """One observation per planted value, in every free-text field; some done, some overdue."""
    rows = []
    for i, value in enumerate(PLANTED + PAYLOADS):
        lat, lon = offset(40 * i, -30 * i)
        done = i % 2 == 0
        rows.append(
            {
                "place": f"Parken {value}",
                "responsible": value,
                "proposed_measure": f"Byt lampa, ring {value}",
                "description": f"Mörkt vid {value}",
                "lat": lat,
                "lon": lon,
                "deadline": "2025-04-01",
                "status": "åtgärdad" if done else "ny",
                "completed_date": "2025-03-20" if done else None,
                "walk_id": f"TV-2025-{1 + i % 2}",
                "followup_walk_id": "TV-2025-2" if i % 2 == 0 else None,
                "verified_at_followup": True if i % 2 == 0 else None,
            }
        )
    rows.append({"responsible": "Polisen", "status": "ny"})  # a listed party, other spelling
    return walks_frame(rows)


def planted_analysis():
    reports = planted_cluster()
    odd = reports_frame(
        [("2025-05-02 21:00", f"skräp {v}", *offset(10, 10)) for v in PLANTED + PAYLOADS]
        + [("2024-05-01 20:00", "belysning", *offset(0, 0))] * 20
    )
    odd["description"] = [f"Fritext {v}" for v in PLANTED + PAYLOADS] + ["x"] * 20
    reports = pd.concat([reports, odd], ignore_index=True)
    reports["report_id"] = [f"R{i}" for i in range(len(reports))]
    lat1, lon1 = offset(-6000, -6000)
    lat2, lon2 = offset(6000, 6000)
    return analyse(
        reports, planted_walks(), load_config("1863"), 2025,
        boundary=box(lon1, lat1, lon2, lat2), today=pd.Timestamp("2026-01-15"),
    )  # fmt: skip


@pytest.fixture(scope="module")
def a():
    return planted_analysis()


def tables(a):
    return {
        "season": places.season_table(a),
        "time_of_day": places.time_of_day_table(a),
        "change": places.category_change_table(a.change, a.period, a.min_count),
        "hotspots": places.hotspot_display(a.hot, a.min_count),
        "hot_cells": places.hotspot_display(a.hot_cells, a.min_count, top=10),
        "by_responsible": places.completion_table(
            a.completion_by_responsible, a.min_count, parties=a.parties
        ),
        "by_walk": places.completion_table(a.completion_by_walk, a.min_count),
        "followup": places.followup_table(a.walks, a.as_of),
        "observations": places.walk_observations_table(
            a.walks, a.period, a.as_of, parties=a.parties
        ),
        "before_after": places.before_after_table(a.before_after, a.min_count),
    }


def sentences(a) -> list[str]:
    return [
        places.headline(a),
        places.narrative(a),
        places.overall_completion_text(a),
        places.study_area_text(a),
        places.did_sentence(a.before_after, a.min_count),
        places.hotspot_sentence(a.hot, len(a.positioned_in_period)),
    ]


def chart_texts(a) -> list[str]:
    figures = [
        places.plot_monthly_by_category(a, "Hällefors"),
        places.plot_category_change(a),
        places.plot_completion(a),
        places.plot_before_after(a),
    ]
    texts = []
    for fig in figures:
        fig.canvas.draw()  # tick labels are made when drawn
        texts += [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    return texts


def test_tables_show_no_planted_text(a):
    for name, table in tables(a).items():
        page = table._repr_html_()
        for bad in HTML_FORBIDDEN:
            assert bad not in page, f"{name}: {bad!r} reached the table"
        plain = table.to_string()
        for bad in PERSONAL:
            assert bad not in plain, f"{name} (text form): {bad!r}"


def test_unknown_responsible_is_other_party(a):
    shown = tables(a)
    observations = shown["observations"]
    assert set(observations["ansvarig"]) == {OTHER_RESPONSIBLE, "polisen"}
    by_responsible = shown["by_responsible"]
    assert list(by_responsible.index) == [OTHER_RESPONSIBLE, "polisen"]  # people merge in one
    # Planted free text in place and measure is scrubbed, the rest of the words kept.
    assert "Parken [telefon]" in set(observations["plats"])


def test_tables_are_page_tables_marked_as_example(a):
    from trygghet.present.tables import PageTable

    for name, table in tables(a).items():
        assert isinstance(table, PageTable), name
        assert isinstance(table, pd.DataFrame)
        assert "EXEMPELDATA" in table._repr_html_(), name


def test_sentences_carry_no_planted_text(a):
    for text in sentences(a):
        page = html_paragraphs(text)
        for bad in PERSONAL:
            assert bad not in text and bad not in page
        for bad in ("<script>", "{{"):
            assert bad not in page


def test_charts_carry_no_planted_text_and_are_marked(a):
    texts = chart_texts(a)
    joined = "\n".join(texts)
    for bad in PERSONAL:
        assert bad not in joined, bad
    assert texts.count("EXEMPELDATA") == 4  # one mark in each chart image
    assert OTHER_RESPONSIBLE in joined


def test_small_counts_are_fatal_in_tables_and_charts(a):
    # Each planted category has one report this year: "fåtal" in the change table ...
    change = places.category_change_table(a.change, a.period, a.min_count)
    odd = [c for c in change.index if c.startswith("skräp")]
    assert odd and all(change.loc[c, "antal 2025"] == "fåtal" for c in odd)
    # ... and in the chart, where no bar stands for them.
    assert "fåtal" in chart_texts(a)
