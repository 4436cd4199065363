"""Tables on the page: every cell through the gate, example data marked.

A report's table function builds a DataFrame of display strings (Swedish
numbers, "fåtal" for suppressed counts) and returns it through
:func:`page_table`. The result is still a DataFrame (tests and analysts use it
as one), but what a notebook shows comes from :meth:`PageTable._repr_html_`,
which writes every header and cell with :func:`trygghet.present.gate.html_text`,
and, for a table built from example data, a line saying so. Cells are scrubbed
of personal data when the table is made, so the plain-text form of the table
(``text/plain`` in the saved notebook) is as clean as its HTML.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from trygghet.present.gate import clean_text, html_text

__all__ = ["EXAMPLE_NOTE", "PageTable", "page_table"]

#: The line under a table built from example data.
EXAMPLE_NOTE = "EXEMPELDATA – påhittade siffror, inte kommunens verkliga data."

#: A table with more rows than this shows its first rows; the rest are one click
#: away on screen and left out of print with a note (a council member reads the top
#: of a long case list; the whole list is for the analyst).
LONG_TABLE_ROWS = 15
SHOWN_ROWS = 10
#: Printed under a long table whose remaining rows are not printed.
PRINT_NOTE = "Tabellen fortsätter i webbversionen (rapportens HTML-fil)."
#: On screen the note is hidden; on paper the rest of the rows are.
LONG_TABLE_CSS = (
    "<style>.trygghet-print-only { display: none; } @media print { .trygghet-print-only "
    "{ display: block; font-style: italic; } details.trygghet-more { display: none; } }</style>"
)


class PageTable(pd.DataFrame):
    """A DataFrame of display strings that renders itself through the gate."""

    _metadata = ["origin", "show_index"]

    @property
    def _constructor(self) -> type[PageTable]:
        return PageTable

    def _repr_html_(self) -> str:  # type: ignore[override]
        show_index = bool(getattr(self, "show_index", False))
        head = "".join(f"<th>{html_text(c)}</th>" for c in self.columns)
        if show_index:
            head = f"<th>{html_text(self.index.name or '')}</th>" + head
        rows = []
        for key, values in zip(self.index, self.itertuples(index=False, name=None), strict=True):
            cells = "".join(f"<td>{html_text(v)}</td>" for v in values)
            if show_index:
                cells = f"<th>{html_text(key)}</th>" + cells
            rows.append(f"<tr>{cells}</tr>")
        note = ""
        if getattr(self, "origin", None) == "example":
            note = f'<p class="trygghet-example-note">{html_text(EXAMPLE_NOTE)}</p>'
        table = (
            f'<table class="dataframe"><thead><tr>{head}</tr></thead><tbody>{{}}</tbody></table>'
        )
        if len(rows) <= LONG_TABLE_ROWS:
            return f'<div class="trygghet-table">{table.format("".join(rows))}{note}</div>'
        rest = len(rows) - SHOWN_ROWS
        summary = f"Visa resten av tabellen ({rest} rader till, {len(rows)} i allt)"
        return (
            f'{LONG_TABLE_CSS}<div class="trygghet-table">{table.format("".join(rows[:SHOWN_ROWS]))}'
            f'<details class="trygghet-more"><summary>{html_text(summary)}</summary>'
            f"{table.format(''.join(rows[SHOWN_ROWS:]))}</details>"
            f'<p class="trygghet-print-only">{html_text(PRINT_NOTE)}</p>{note}</div>'
        )

    def __repr__(self) -> str:
        marked = " (EXEMPELDATA)" if getattr(self, "origin", None) == "example" else ""
        return pd.DataFrame.__repr__(pd.DataFrame(self)) + marked


def _clean_cell(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    return value


def page_table(frame: pd.DataFrame, *, origin: str = "real", show_index: bool = False) -> PageTable:
    """``frame`` as a table for the page: text cells scrubbed, rendering through the gate.

    ``origin`` is the source's origin ("real", "fetched", "example", "blandat");
    example (or mixed) data get the EXEMPELDATA line. A named or non-default
    index is shown only with ``show_index``.
    """
    cleaned = frame.copy()
    cleaned.columns = [clean_text(c) if isinstance(c, str) else c for c in cleaned.columns]
    for column in cleaned.columns:
        if cleaned[column].dtype == object or pd.api.types.is_string_dtype(cleaned[column]):
            cleaned[column] = cleaned[column].map(_clean_cell)
    table = PageTable(cleaned)
    table.origin = "example" if origin in {"example", "blandat"} else origin
    table.show_index = show_index
    return table
