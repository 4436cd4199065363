"""Promise 4: display tables suppress small groups and never show a case."""

from __future__ import annotations

import re

import numpy as np
from victim_contact_cases import example_year, make_cases, repeat

from trygghet.reports.victim_contact.analysis import TOO_FEW, UNCERTAIN, cases_in_period
from trygghet.reports.victim_contact.figures import plot_category_shares, plot_funnel
from trygghet.reports.victim_contact.tables import category_table, key_figures, period_table
from trygghet.reports.victim_contact.text import CATEGORY_LABELS, narrative

PSEUDONYM = re.compile(r"P-[0-9a-f]{16}")


def test_small_categories_are_shown_as_few() -> None:
    cases = make_cases(
        repeat(40, "stöld", "2025-03", 1)
        + repeat(30, "misshandel", "2025-03", 1)
        + repeat(3, "sexualbrott", "2025-03", 1)
    )
    table = category_table(cases, 2025)
    row = table.loc["Sexualbrott"]
    assert row["ärenden"] == "fåtal"
    assert row["kontakt inom en vecka"] == "för få"
    assert row["95 % osäkerhetsintervall"] == "–"
    assert row["bedömning"] == TOO_FEW
    assert row["jämfört med kommunens genomsnitt"] == "–"
    assert table.loc["Stöld", "ärenden"] == "40"
    # The year's 73 cases are shown in the key figures: 73 − 40 − 30 would give the 3 back.
    assert table.loc["Misshandel", "ärenden"] == "visas ej"
    assert table.loc["Misshandel", "kontakt inom en vecka"] == "100\u00a0%"
    figure = plot_category_shares(cases, 2025)
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert "Sexualbrott (för få)" in labels


def test_share_needs_the_verdict_floor_in_table_and_chart() -> None:
    """Five cases pass the count rule but a share of five (60 % = 3 of 5) is not shown or drawn."""
    cases = make_cases(
        repeat(40, "stöld", "2025-03", 1)
        + repeat(30, "misshandel", "2025-03", 1)
        + repeat(3, "sexualbrott", "2025-03", 1)
        + repeat(2, "sexualbrott", "2025-03", 30)
    )
    table = category_table(cases, 2025)
    assert table.loc["Sexualbrott", "ärenden"] == "5"
    assert table.loc["Sexualbrott", "kontakt inom en vecka"] == "för få"
    figure = plot_category_shares(cases, 2025)
    ax = figure.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "Sexualbrott (för få)" in labels
    xs = [
        x for line in ax.lines for x in np.atleast_1d(line.get_xdata()) if line.get_marker() == "o"
    ]
    assert not any(np.isclose(float(x), 0.6) for x in xs)
    assert len(xs) == 2  # stöld and misshandel only
    funnel = plot_funnel(cases, 2025)
    points = [c.get_offsets() for c in funnel.axes[0].collections if len(c.get_offsets())]
    assert all(not np.isclose(p[:, 1], 0.6).any() for p in points)


def test_key_figures_suppress_few_uncontacted() -> None:
    cases = make_cases(repeat(40, "stöld", "2025-03", 1) + repeat(2, "stöld", "2025-03", None, 90))
    figures = key_figures(cases, 2025)["värde"]
    assert figures["Utan registrerad kontakt vid uttaget"] == "fåtal"
    assert figures["Ärenden där en utredare tilldelades"] == "42"
    assert figures["Bedömning"] == UNCERTAIN  # 40 of 42: Wilson 84–99 %


def test_display_tables_have_no_case_rows() -> None:
    cases = example_year()
    n_2025 = len(cases_in_period(cases, 2025))
    tables = {
        "key": key_figures(cases, 2025),
        "quarter": period_table(cases, 2025, "quarter"),
        "month": period_table(cases, 2025, "month"),
        "category": category_table(cases, 2025),
    }
    assert len(tables["quarter"]) == 5  # four quarters and the year
    assert len(tables["month"]) == 13
    assert len(tables["category"]) <= len(CATEGORY_LABELS)
    for name, table in tables.items():
        assert len(table) < n_2025, name
        rendered = table.to_html() + table.to_string()
        assert not PSEUDONYM.search(rendered), name
        for column in ("case_id", "days_to_contact", "censored_days", "area"):
            assert column not in rendered, name
    text = narrative(cases, 2025, "Hällefors")
    assert not PSEUDONYM.search(text)
