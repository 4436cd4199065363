"""What was promised at the safety walks, and was it done?

Every walk observation (``safety_walks``) is tracked data: measure,
responsible party, deadline, status. This module judges them on one day
(:func:`as_of_date`): overdue measures (:func:`overdue_at`), the share done by
the deadline overall, per walk or per responsible party with Wilson intervals
(:func:`completion_by`), and which observations the report shows
(:func:`observations_in_scope`).
"""

from __future__ import annotations

import pandas as pd

from trygghet.sources.safety_walks import overdue
from trygghet.stats.proportions import wilson_ci


def as_of_date(period: int, today: pd.Timestamp | None = None) -> pd.Timestamp:
    """The day a period's walk measures are judged: 31 December, or today if earlier."""
    end = pd.Timestamp(int(period), 12, 31)
    today = pd.Timestamp.today().normalize() if today is None else pd.Timestamp(today)
    return min(end, today)


def _due_mask(walks: pd.DataFrame, start: pd.Timestamp, as_of: pd.Timestamp) -> pd.Series:
    """Measures that should have been done within [start, as_of] and were not rejected."""
    deadline = pd.to_datetime(walks["deadline"])
    return (
        deadline.notna()
        & (deadline >= start)
        & (deadline <= as_of)
        & (walks["status"].astype(str) != "avslagen")
        & (pd.to_datetime(walks["walk_date"]) <= as_of)
    ).astype(bool)


def _on_time(walks: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Done by the deadline (and by ``as_of``: a later completion was not known then)."""
    done = pd.to_datetime(walks["completed_date"])
    ok = (
        (walks["status"].astype(str) == "åtgärdad")
        & done.notna()
        & (done <= pd.to_datetime(walks["deadline"]))
        & (done <= as_of)
    )
    return ok.fillna(False).astype(bool)


def overdue_at(walks: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Overdue at the end of the day ``as_of`` (a deadline on ``as_of`` itself has passed).

    :func:`trygghet.sources.safety_walks.overdue` asks "deadline before
    ``as_of``"; the report judges at the end of 31 December, hence one day later.
    """
    return overdue(walks, pd.Timestamp(as_of) + pd.Timedelta(days=1))


def completion_by(
    walks: pd.DataFrame,
    by: str | None,
    period: int,
    as_of: pd.Timestamp,
    level: float = 0.95,
) -> pd.DataFrame:
    """Share of measures done by their deadline, per ``by`` column (or overall), Wilson CI.

    Denominator: measures whose deadline fell between 1 January of ``period``
    and ``as_of``, from walks held by ``as_of``, not rejected (avslagen: the
    owner decided not to act, which is an answer, not a delay). Numerator:
    those marked åtgärdad with a completion date on or before the deadline
    (and on or before ``as_of``). ``overdue`` counts the measures open past
    their deadline at ``as_of`` among them (:func:`safety_walks.overdue`).

    Columns: the group, ``due``, ``on_time``, ``share``, ``low``, ``high``, ``overdue``.
    """
    start = pd.Timestamp(int(period), 1, 1)
    as_of = pd.Timestamp(as_of)
    due = _due_mask(walks, start, as_of)
    frame = walks[due].copy()
    frame["_on_time"] = _on_time(frame, as_of)
    frame["_overdue"] = overdue_at(frame, as_of) if len(frame) else False
    key = frame[by].astype(str) if by else pd.Series("alla", index=frame.index)
    rows = []
    for name, part in frame.groupby(key, sort=True):
        n, k = len(part), int(part["_on_time"].sum())
        low, high = wilson_ci(k, n, level)
        rows.append((name, n, k, k / n, low, high, int(part["_overdue"].sum())))
    cols = [by or "grupp", "due", "on_time", "share", "low", "high", "overdue"]
    return pd.DataFrame(rows, columns=cols)


def observations_in_scope(walks: pd.DataFrame, period: int, as_of: pd.Timestamp) -> pd.Series:
    """Observations of walks held in ``period`` (by ``as_of``), plus older ones still open."""
    as_of = pd.Timestamp(as_of)
    walk_date = pd.to_datetime(walks["walk_date"])
    done_by = (walks["status"].astype(str) == "åtgärdad") & (
        pd.to_datetime(walks["completed_date"]) <= as_of
    )
    still_open = ~done_by.fillna(False) & (walks["status"].astype(str) != "avslagen")
    return ((walk_date <= as_of) & ((walk_date.dt.year == int(period)) | still_open)).astype(bool)
