"""Counting what the police published: per month, type, promise group, hour and weekday.

Counts only: events never become rates (they are a selection the police make,
not crime statistics). "Sammanfattning" events are left out of every count
(:func:`trygghet.sources.police_events.countable`). The comparison with earlier
years uses only months the archive covers completely in every year compared.
"""

from __future__ import annotations

import math

import pandas as pd

from trygghet.present.swedish import (
    WEEKDAYS,
)
from trygghet.sources.police_events import (
    Coverage,
    countable,
    coverage_of,
    event_time,
)

#: Promise groups in display order, with the Swedish label used in text and charts.
GROUP_LABELS: dict[str, str] = {
    "narkotika": "narkotikabrott",
    "trafik": "trafik",
    "ordning": "ordningsstörningar",
}
OTHER_GROUP = "övrigt"

#: Parts of the day (start hour inclusive, end hour exclusive): four equal
#: blocks of six hours, easy to read aloud and without overlap.
DAY_PARTS: tuple[tuple[str, int, int], ...] = (
    ("natt", 0, 6),
    ("förmiddag", 6, 12),
    ("eftermiddag", 12, 18),
    ("kväll", 18, 24),
)

DAY_PART_DEFINITE: dict[str, str] = {
    "natt": "natten",
    "förmiddag": "förmiddagen",
    "eftermiddag": "eftermiddagen",
    "kväll": "kvällen",
}

#: Below this many events (both in the year and on average in the earlier
#: years) no change is described: the counts are too small to mean anything.
MIN_EVENTS_FOR_COMPARISON = 10
#: A change must exceed both this share of the earlier mean ...
MIN_RELATIVE_CHANGE = 0.20
#: ... and this many standard deviations of a Poisson count with the earlier
#: mean (≈ the year-to-year noise of event counts) to be called "fler"/"färre".
NOISE_SD = 2.0
#: Below this many events no time-of-day pattern is described.
MIN_EVENTS_FOR_PATTERN = 10


def monthly_by_type(df: pd.DataFrame, year: int) -> pd.DataFrame:
    """Events per month (rows 1–12, all present) and type (columns, most common first)."""
    events = countable(df, year)
    month = event_time(events).dt.month.rename("månad")
    table = pd.crosstab(month, events["type"]) if len(events) else pd.DataFrame()
    table = table.reindex(range(1, 13), fill_value=0)
    table.index.name = "månad"
    table.columns.name = "typ"
    order = table.sum().sort_values(ascending=False, kind="stable").index
    return table[order].astype("int64")


def _group(df: pd.DataFrame) -> pd.Series:
    return df["promise_group"].fillna(OTHER_GROUP).astype(str)


def monthly_by_group(df: pd.DataFrame, year: int) -> pd.DataFrame:
    """Events per month (1–12) and promise group (narkotika, trafik, ordning, övrigt)."""
    events = countable(df, year)
    month = event_time(events).dt.month.rename("månad")
    table = pd.crosstab(month, _group(events)) if len(events) else pd.DataFrame()
    columns = [*GROUP_LABELS, OTHER_GROUP]
    table = table.reindex(index=range(1, 13), columns=columns, fill_value=0)
    table.index.name = "månad"
    return table.astype("int64")


def promise_group_counts(df: pd.DataFrame, year: int | None = None) -> pd.Series:
    """Events per promise group (narkotika, trafik, ordning, övrigt), zeros included."""
    events = countable(df, year)
    counts = _group(events).value_counts()
    return counts.reindex([*GROUP_LABELS, OTHER_GROUP], fill_value=0).astype("int64")


def type_counts(df: pd.DataFrame, year: int | None = None) -> pd.Series:
    """Events per type, most common first (ties alphabetically)."""
    events = countable(df, year)
    counts = events["type"].value_counts()
    frame = counts.rename_axis("typ").reset_index(name="antal")
    frame = frame.sort_values(["antal", "typ"], ascending=[False, True], kind="stable")
    return frame.set_index("typ")["antal"].astype("int64")


def time_of_day_profile(df: pd.DataFrame, by: str = "part") -> pd.Series:
    """Events by part of the day (:data:`DAY_PARTS`) or, with ``by="hour"``, by hour 0–23.

    Uses the incident time of the title only; events without one are left out.
    """
    events = countable(df)
    hours = events["incident_time"].dropna().dt.hour
    if by == "hour":
        return hours.value_counts().reindex(range(24), fill_value=0).rename_axis("timme")
    if by != "part":
        raise ValueError("by måste vara 'part' eller 'hour'")
    labels = [name for name, _, _ in DAY_PARTS]
    bins = [start for _, start, _ in DAY_PARTS] + [24]
    parts = pd.cut(hours, bins=bins, right=False, labels=labels)
    counts = parts.value_counts().reindex(labels, fill_value=0)
    counts.index = pd.Index(labels, name="del av dygnet")
    return counts.astype("int64")


def weekday_profile(df: pd.DataFrame) -> pd.Series:
    """Events by weekday (måndag … söndag) of the incident time."""
    events = countable(df)
    days = events["incident_time"].dropna().dt.dayofweek
    counts = days.value_counts().reindex(range(7), fill_value=0)
    counts.index = pd.Index(WEEKDAYS, name="veckodag")
    return counts.astype("int64")


def compare_same_months(
    events_kommun: pd.DataFrame, year: int, coverage: Coverage | None = None
) -> pd.DataFrame:
    """Counts of ``year`` and of earlier years over the same, completely archived months.

    The months compared are those of ``year`` that the archive covers
    completely (the archive is complete from 2023-03-25 and ends at its last
    publication); an earlier year is included only if all those months are
    complete in it too. Rows: years (oldest first); columns: ``alla`` and
    the promise groups. ``attrs["months"]`` lists the month numbers compared.
    An empty table means that no month of the year is completely covered.
    """
    coverage = coverage or coverage_of(events_kommun)
    months = [m for m in range(1, 13) if coverage.month_complete(year, m)]
    years = [
        y
        for y in range(coverage.start.year, year + 1)
        if months and all(coverage.month_complete(y, m) for m in months)
    ]
    events = countable(events_kommun)
    when = event_time(events)
    in_months = when.dt.month.isin(months) & when.dt.year.isin(years)
    subset = events[in_months.to_numpy()]
    table = pd.crosstab(event_time(subset).dt.year, _group(subset)) if len(subset) else None
    columns = [*GROUP_LABELS, OTHER_GROUP]
    if table is None:
        table = pd.DataFrame(0, index=years, columns=columns)
    table = table.reindex(index=years, columns=columns, fill_value=0)
    table.insert(0, "alla", table.sum(axis=1))
    table = table.drop(columns=OTHER_GROUP).astype("int64")
    table.index.name = "år"
    table.columns.name = None
    table.attrs["months"] = months
    table.attrs["year"] = year
    return table


def classify_change(current: float, earlier_mean: float | None) -> str:
    """How a count compares with the mean of earlier years.

    Returns ``"ingen jämförelse"`` (no earlier year), ``"för få"`` (both
    under :data:`MIN_EVENTS_FOR_COMPARISON`), ``"fler"``, ``"färre"`` or
    ``"ungefär lika"``. A change counts only if it exceeds both
    :data:`MIN_RELATIVE_CHANGE` of the earlier mean and :data:`NOISE_SD`
    Poisson standard deviations (2·√mean): 30 against 20 is "fler", 24
    against 20 is "ungefär lika", 5 against 4 is "för få".
    """
    if earlier_mean is None or (isinstance(earlier_mean, float) and math.isnan(earlier_mean)):
        return "ingen jämförelse"
    if current < MIN_EVENTS_FOR_COMPARISON and earlier_mean < MIN_EVENTS_FOR_COMPARISON:
        return "för få"
    difference = current - earlier_mean
    threshold = max(MIN_RELATIVE_CHANGE * earlier_mean, NOISE_SD * math.sqrt(earlier_mean))
    if abs(difference) <= threshold:
        return "ungefär lika"
    return "fler" if difference > 0 else "färre"


def events_per_area(df: pd.DataFrame, areas: list[str], year: int) -> dict[str, int]:
    """Countable events of ``year`` per configured area, by the tätort the event names.

    The positions in the police's data are the kommun's or the län's centre, so
    the tätort in the event's title is the only place there is; events naming
    no configured area count nowhere. Read by the follow-up's triangulation.
    """
    named = countable(df, year)["tatort"].dropna().astype(str).value_counts()
    return {name: int(named.get(name, 0)) for name in areas}
