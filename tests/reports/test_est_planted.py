"""EST lägesbild: personal data and payloads typed into places and measures never reach the page.

Planted in the EST reports' place and description and the measures' place,
responsible and description; checked in every display table's HTML, the key
sentence, the narrative, the "att ta upp först" list and every chart text.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.text
import pandas as pd
import pytest

from trygghet.present.gate import OTHER_RESPONSIBLE, html_paragraphs
from trygghet.reports import est
from trygghet.reports.est.weeks import parse_week

PERSONAL = ["19850101-1234", "070-123 45 67", "anna@example.se", "ABC 123", "Storgatan 12"]
PLANTED = [
    "19850101-1234",
    "070-123 45 67",
    "anna@example.se",
    "ABC 123",
    "Anna Svensson, Storgatan 12",
]
PAYLOADS = ["<script>x</script>", "{{'zq'~'xj'}}"]
HTML_FORBIDDEN = [*PERSONAL, "<script>x</script>", "{{", "'zq'"]


def planted_data(min_count: int = 5) -> est.EstData:
    """Two years of a quiet place, then planted places reported week after week."""
    rows = []
    for start in pd.date_range(parse_week("2023-W01"), parse_week("2025-W40"), freq="7D"):
        rows.append((est.week_label(start), "nedskräpning", "Parken"))
    for value in PLANTED + PAYLOADS:
        rows += [(w, "klotter", f"Torget {value}") for w in ("2025-W35", "2025-W37", "2025-W38")]
        rows += [("2025-W38", "klotter", f"Torget {value}")] * 3
    reports = pd.DataFrame(rows, columns=["week", "category", "place"])
    reports["week_start"] = reports["week"].map(parse_week)
    reports["reported_at"] = reports["week_start"] + pd.Timedelta(days=2)
    reports.loc[len(reports) - 1, "reported_at"] = pd.Timestamp("2025-10-08 10:00")
    reports["reporter_org"] = "kommunen"
    reports["area"] = "Centrum"
    reports["description"] = [f"fritext {PLANTED[i % len(PLANTED)]}" for i in range(len(reports))]
    reports["origin"] = "example"
    measures = pd.DataFrame(
        {
            "measure_id": [f"M{i}" for i in range(len(PLANTED + PAYLOADS))],
            "decided_week_start": parse_week("2025-W20"),
            "place": [f"Torget {v}" for v in PLANTED + PAYLOADS],
            "area": "Centrum",
            "responsible": PLANTED + PAYLOADS,
            "status": "pågår",
            "description": [f"Ring {v}" for v in PLANTED + PAYLOADS],
            "done_date": pd.NaT,
        }
    )
    measures.loc[0, "responsible"] = "Kommunen"  # a listed party, other spelling
    return est.prepare(reports, measures, min_count=min_count, parties=("kommunen", "polisen"))


@pytest.fixture(scope="module", params=["vecka", "tertial"])
def pic(request):
    return est.build(planted_data(), 2025, mode=request.param, week="2025-W38")


def tables(pic):
    return {
        "sources": est.sources_table(pic),
        "categories": est.category_table(pic),
        "places": est.place_table(pic),
        "repeat": est.repeat_table(pic),
        "measures": est.measures_table(pic),
    }


def test_tables_show_no_planted_text(pic):
    for name, table in tables(pic).items():
        page = table._repr_html_()
        for bad in HTML_FORBIDDEN:
            assert bad not in page, f"{name}: {bad!r} reached the table"
        assert "EXEMPELDATA" in page, name
        for bad in PERSONAL:
            assert bad not in table.to_string(), f"{name} (text form): {bad!r}"


def test_unknown_responsible_is_other_party(pic):
    shown = est.measures_table(pic)
    assert set(shown["ansvarig"]) == {"kommunen", OTHER_RESPONSIBLE}
    overdue = [t for t in pic.things if t.startswith("Åtgärd")]
    assert all("(kommunen)" in t or f"({OTHER_RESPONSIBLE})" in t for t in overdue)


def test_sentences_and_agenda_carry_no_planted_text(pic):
    texts = [est.headline(pic), est.narrative(pic), *pic.things]
    for text in texts:
        for bad in PERSONAL:
            assert bad not in text, bad
        page = html_paragraphs(text)
        for bad in ("<script>", "{{"):
            assert bad not in page
    agenda = est.three_things_html(pic)
    for bad in HTML_FORBIDDEN:
        assert bad not in agenda, bad
    assert "EXEMPELDATA" in agenda


def test_charts_carry_no_planted_text_and_are_marked(pic):
    figures = [est.plot_weekly(pic), est.plot_heatmap(pic), est.plot_repeat_places(pic)]
    texts = []
    for fig in figures:
        fig.canvas.draw()
        texts += [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    joined = "\n".join(texts)
    for bad in PERSONAL:
        assert bad not in joined, bad
    assert texts.count("EXEMPELDATA") == 3
    if pic.selection.mode == "vecka":  # the planted places repeat in weeks 35–38
        assert "Torget [telefon], Centrum" in texts  # the place is shown, scrubbed


def test_captions_are_marked_as_example(pic):
    for which in ("weekly", "heatmap", "repeat"):
        caption = est.figure_caption(pic, which).data
        assert "EXEMPELDATA" in caption and "kommunens egna data" not in caption


def test_small_counts_follow_min_count():
    # Week 38: each planted place has 4 reports, under a rule of 5 but not of 3.
    ruled = est.place_table(est.build(planted_data(5), 2025, week="2025-W38"))
    assert (ruled.loc["Torget [telefon], Centrum", "antal"]) == "fåtal"
    loose = est.place_table(est.build(planted_data(3), 2025, week="2025-W38"))
    assert loose.loc["Torget [telefon], Centrum", "antal"] == "4"
