"""Promise 4: display tables suppress small groups and never show a case."""

from __future__ import annotations

import re

from victim_contact_cases import example_year, make_cases, repeat

from trygghet.reports.victim_contact.analysis import TOO_FEW, UNCERTAIN, cases_in_period
from trygghet.reports.victim_contact.figures import plot_category_shares
from trygghet.reports.victim_contact.tables import category_table, key_figures, period_table
from trygghet.reports.victim_contact.text import CATEGORY_LABELS, narrative

PSEUDONYM = re.compile(r"P-[0-9a-f]{16}")


def test_small_categories_are_shown_as_few() -> None:
    cases = make_cases(repeat(40, "stöld", "2025-03", 1) + repeat(3, "sexualbrott", "2025-03", 1))
    table = category_table(cases, 2025)
    row = table.loc["Sexualbrott"]
    assert row["ärenden"] == "fåtal"
    assert row["kontakt inom en vecka"] == "–"
    assert row["95 % konfidensintervall"] == "–"
    assert row["bedömning"] == TOO_FEW
    assert row["jämfört med kommunens genomsnitt"] == "–"
    assert table.loc["Stöld", "ärenden"] == "40"
    figure = plot_category_shares(cases, 2025)
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert "Sexualbrott (fåtal)" in labels


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
