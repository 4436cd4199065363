"""Every count the places page shows more than once, each from one definition, computed once.

Residents' reports (:class:`ReportCounts`): the table's rows, the period's
reports (the window of :func:`~trygghet.reports.places.counts.period_window`,
the same rows the change table, the seasons, the map and the hotspot search
count), those with and without a position, per category in one ranking and
per status. Overdue walk measures (:class:`OverdueCounts`): all that were
open past their deadline on the judgement day, those whose deadline fell in
the period (the tables per responsible party and per walk), and those the
map can show (with a position).

Where two counts legitimately differ the text says so in words
(:mod:`~trygghet.reports.places.text`); the map is given the period's totals
per layer (:meth:`ReportCounts.map_totals`) so that its layer control names
both the period's number and what it draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from trygghet.reports.places.counts import PeriodWindow, between
from trygghet.reports.places.walks import observations_in_scope, overdue_at
from trygghet.sources.resident_reports import STATUSES

#: The category columns of :attr:`ReportCounts.categories`.
CATEGORY_COLUMNS = ["count", "prev_count", "with_position"]


@dataclass(frozen=True)
class ReportCounts:
    """The counts of residents' reports, computed once by :func:`report_counts`.

    ``in_table``: every row of the table (all years; the banner);
    ``in_period``: the reports of the period's window (every section of the
    page); ``prev_period``: the same span a year earlier (None when the data
    does not reach back); ``with_position`` + ``without_position`` =
    ``in_period``; ``without_time``: reports of the period at exactly
    midnight (time not known, left out of the part-of-day table).
    ``categories``: one row per category with reports in the period or the
    year before, in the report's one ranking (most reports first, then the
    name); ``statuses``: per status in the source's order.
    """

    period: int
    months_text: str
    in_table: int
    in_period: int
    prev_period: int | None
    with_position: int
    without_position: int
    without_time: int
    categories: pd.DataFrame
    statuses: pd.DataFrame

    @property
    def category_order(self) -> tuple[str, ...]:
        """The categories with reports in the period, most first: the text's and the map's order."""
        cats = self.categories
        return tuple(str(c) for c in cats.index[cats["count"] > 0])

    def top_categories(self, n: int = 3) -> list[tuple[str, int]]:
        """The ``n`` most reported categories of the period with their counts."""
        return [(c, int(self.categories.at[c, "count"])) for c in self.category_order[:n]]

    def map_totals(self) -> dict[str, int]:
        """The period's reports per map layer ("alla", "category:…", "status:…"), in page order."""
        totals = {"alla": self.in_period}
        for cat in self.category_order:
            totals[f"category:{cat}"] = int(self.categories.at[cat, "count"])
        for status, row in self.statuses.iterrows():
            if row["count"] > 0:
                totals[f"status:{status}"] = int(row["count"])
        return totals


def report_counts(
    reports: pd.DataFrame, change: pd.DataFrame, window: PeriodWindow
) -> ReportCounts:
    """The :class:`ReportCounts` of ``reports`` in ``window``.

    ``change`` is :func:`~trygghet.reports.places.counts.category_change` of
    the same reports and period: its counts are the categories' counts (one
    computation), and its total must be the window's number of reports.
    """
    in_period = between(reports, "created_at", window.start, window.end)
    has_pos = in_period["lat"].notna() & in_period["lon"].notna()
    total = change[change["category"] == "alla kategorier"].iloc[0]
    if int(total["count"]) != len(in_period):  # one window, one number
        raise AssertionError(
            f"category_change counts {int(total['count'])} reports, the window {len(in_period)}"
        )
    cats = change[change["category"] != "alla kategorier"].set_index("category")
    cats = cats[["count", "prev_count"]].copy()
    positioned = in_period.loc[has_pos, "category"].astype(str).value_counts()
    cats["with_position"] = positioned.reindex(cats.index, fill_value=0).astype("int64")
    cats = cats[(cats["count"] > 0) | (cats["prev_count"].fillna(0) > 0)]
    cats = cats.reset_index().sort_values(
        ["count", "category"], ascending=[False, True], kind="stable"
    )
    cats = cats.set_index("category")[CATEGORY_COLUMNS]
    status = in_period["status"].astype(str)
    order = [*STATUSES, *sorted(set(status) - set(STATUSES))]
    statuses = pd.DataFrame(
        {
            "count": status.value_counts().reindex(order, fill_value=0),
            "with_position": status[has_pos].value_counts().reindex(order, fill_value=0),
        }
    ).astype("int64")
    statuses.index.name = "status"
    times = pd.to_datetime(in_period["created_at"])
    midnight = (times.dt.hour == 0) & (times.dt.minute == 0) & (times.dt.second == 0)
    prev = None if pd.isna(total["prev_count"]) else int(total["prev_count"])
    return ReportCounts(
        period=window.period,
        months_text=window.months_text,
        in_table=len(reports),
        in_period=len(in_period),
        prev_period=prev,
        with_position=int(has_pos.sum()),
        without_position=int((~has_pos).sum()),
        without_time=int(midnight.sum()),
        categories=cats,
        statuses=statuses,
    )


@dataclass(frozen=True)
class OverdueCounts:
    """Walk measures open past their deadline on the judgement day ``as_of``.

    ``total``: all of them, whatever year the deadline fell in (the text);
    ``due_in_period``: those with the deadline in the period (the "försenade"
    column of the tables per responsible party and per walk);
    ``earlier``: those with an earlier deadline (``total`` minus
    ``due_in_period``); ``on_map``: those the walks map draws (in scope and
    with a position); ``without_position``: in scope but without one.
    """

    period: int
    as_of: pd.Timestamp
    total: int
    due_in_period: int
    earlier: int
    on_map: int
    without_position: int


def overdue_counts(
    walks: pd.DataFrame, period: int, as_of: pd.Timestamp, due_in_period: int
) -> OverdueCounts:
    """The :class:`OverdueCounts` of ``walks`` on ``as_of``.

    ``due_in_period`` is the sum of the ``overdue`` column of
    :func:`~trygghet.reports.places.walks.completion_by` (computed once there).
    """
    late = overdue_at(walks, as_of)
    in_scope = observations_in_scope(walks, period, as_of)
    has_pos = walks["lat"].notna() & walks["lon"].notna()
    total = int(late.sum())
    return OverdueCounts(
        period=int(period),
        as_of=pd.Timestamp(as_of),
        total=total,
        due_in_period=int(due_in_period),
        earlier=total - int(due_in_period),
        on_map=int((late & in_scope & has_pos).sum()),
        without_position=int((late & in_scope & ~has_pos).sum()),
    )
