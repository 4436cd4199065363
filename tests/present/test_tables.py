"""Page tables: long ones show their first rows, the rest a click away and left out of print."""

from __future__ import annotations

import pandas as pd

from trygghet.present import tables


def test_a_short_table_is_one_table():
    html = tables.page_table(pd.DataFrame({"a": range(5)}))._repr_html_()
    assert html.count("<table") == 1 and "<details" not in html


def test_a_long_table_shows_its_first_rows_and_the_rest_on_demand():
    frame = pd.DataFrame({"plats": [f"p{i}" for i in range(55)]})
    html = tables.page_table(frame, origin="example")._repr_html_()
    first, rest = html.split("<details", 1)
    assert first.count("<tr><td>") == tables.SHOWN_ROWS
    assert rest.count("<tr><td>") == 55 - tables.SHOWN_ROWS
    assert "45 rader till, 55 i allt" in rest
    assert tables.PRINT_NOTE in html and "@media print" in html
    assert html.rstrip().endswith("</div>") and "EXEMPELDATA" in html
