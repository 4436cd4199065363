"""Display tables of the police-events report."""

from __future__ import annotations

import pandas as pd

from trygghet.present.swedish import (
    MONTHS_SHORT,
)
from trygghet.reports.police_events.analysis import monthly_by_type


def monthly_table(df: pd.DataFrame, year: int) -> pd.DataFrame:
    """For display: types as rows, months (jan … dec) and ``totalt`` as columns."""
    table = monthly_by_type(df, year).T
    table.columns = list(MONTHS_SHORT)
    table["totalt"] = table.sum(axis=1)
    table.index.name = "händelsetyp"
    return table
