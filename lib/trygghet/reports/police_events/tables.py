"""Display tables of the police-events report, each a page table with the events' origin.

The small-number rule (:mod:`trygghet.present.small_numbers`) is not applied
here: every event counted was published by the police on polisen.se, with its
type, place and time, so a count of published events reveals nothing that is
not public already, and hiding counts under five would blank most of a small
kommun's table. The events are never turned into rates or crime statistics.
"""

from __future__ import annotations

import pandas as pd

from trygghet.present.swedish import (
    MONTHS_SHORT,
)
from trygghet.present.tables import PageTable, page_table
from trygghet.reports.police_events.analysis import compare_same_months, monthly_by_type
from trygghet.sources.police_events import origin_of


def monthly_table(df: pd.DataFrame, year: int) -> PageTable:
    """For display: types as rows, months (jan … dec) and ``totalt`` as columns."""
    table = monthly_by_type(df, year).T
    table.columns = list(MONTHS_SHORT)
    table["totalt"] = table.sum(axis=1)
    table.index.name = "händelsetyp"
    return page_table(table, origin=origin_of(df), show_index=True)


def same_months_table(df: pd.DataFrame, year: int) -> PageTable:
    """For display: :func:`compare_same_months` (years as rows), with the events' origin."""
    table = compare_same_months(df, year)
    shown = page_table(table, origin=origin_of(df), show_index=True)
    shown.attrs.update(table.attrs)
    return shown
