"""ISO weeks, tertials, the selection a lägesbild is about, and counts per week.

Weeks are ISO weeks identified by their Monday (``pd.Timestamp``). A tertial
is Jan–Apr, May–Aug or Sep–Dec; a week belongs to the tertial of its
Thursday. :func:`select` turns the notebook's ``mode``/``week``/``tertial``
into a :class:`Selection` within the complete weeks of the EST data.
:func:`weekly_counts` is the table (Mondays × keys) everything else counts in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from trygghet.present.swedish import MONTHS

WEEK = pd.Timedelta(days=7)

TERTIALS: dict[int, tuple[int, ...]] = {1: (1, 2, 3, 4), 2: (5, 6, 7, 8), 3: (9, 10, 11, 12)}
MODES: tuple[str, ...] = ("vecka", "tertial")


def monday_of(times: pd.Series) -> pd.Series:
    """The Monday (00:00) of the ISO week of each timestamp."""
    day = pd.to_datetime(times).dt.normalize()
    return (day - pd.to_timedelta(day.dt.dayofweek, unit="D")).astype("datetime64[us]")


def parse_week(text: str) -> pd.Timestamp:
    """``"2025-W40"`` -> the Monday of that ISO week (ValueError in Swedish if invalid)."""
    value = str(text).strip().upper()
    parts = value.split("-W")
    if len(parts) != 2 or not (parts[0].isdigit() and parts[1].isdigit()) or len(parts[0]) != 4:
        raise ValueError(f"Ogiltig vecka {text!r}: skriv en ISO-vecka som 2025-W40.")
    try:
        return pd.Timestamp(dt.date.fromisocalendar(int(parts[0]), int(parts[1]), 1))
    except ValueError as err:
        raise ValueError(f"Veckan {text!r} finns inte (år {parts[0]}).") from err


def week_label(monday: pd.Timestamp) -> str:
    """The Monday of a week -> ``"2025-W40"``."""
    iso = pd.Timestamp(monday).isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


def week_name(monday: pd.Timestamp) -> str:
    """The Monday of a week -> ``"vecka 40 2025"`` (for text)."""
    iso = pd.Timestamp(monday).isocalendar()
    return f"vecka {iso[1]} {iso[0]}"


def weeks_in_year(year: int) -> int:
    """52 or 53: the ISO week of 28 December is always the year's last week."""
    return dt.date(int(year), 12, 28).isocalendar()[1]


def iso_monday(year: int, week: int) -> pd.Timestamp:
    return pd.Timestamp(dt.date.fromisocalendar(int(year), int(week), 1))


def tertial_weeks(year: int, tertial: int) -> list[pd.Timestamp]:
    """The Mondays of ISO year ``year`` whose week belongs to ``tertial`` (1–3).

    A week belongs to the month of its Thursday (the ISO rule that also gives a
    week its year), so every week of the year lies in exactly one tertial and
    week 53 always falls in tertial 3.
    """
    if tertial not in TERTIALS:
        raise ValueError(f"Tertial måste vara 1, 2 eller 3, inte {tertial!r}.")
    months = TERTIALS[tertial]
    mondays = [iso_monday(year, w) for w in range(1, weeks_in_year(year) + 1)]
    return [m for m in mondays if (m + pd.Timedelta(days=3)).month in months]


def tertial_name(year: int, tertial: int) -> str:
    """``(2025, 3)`` -> ``"tertial 3 2025 (september–december)"``."""
    months = TERTIALS[tertial]
    return f"tertial {tertial} {year} ({MONTHS[months[0] - 1]}–{MONTHS[months[-1] - 1]})"


@dataclass(frozen=True)
class Selection:
    """The weeks a lägesbild is about: one week, or the weeks of a tertial."""

    mode: str
    year: int
    weeks: tuple[pd.Timestamp, ...]
    tertial: int | None = None

    @property
    def start(self) -> pd.Timestamp:
        return self.weeks[0]

    @property
    def end(self) -> pd.Timestamp:
        """The Monday of the last week."""
        return self.weeks[-1]

    @property
    def label(self) -> str:
        if self.mode == "tertial":
            return tertial_name(self.year, int(self.tertial or 0))
        return week_name(self.end)


def last_complete_week(last_entry: pd.Timestamp) -> pd.Timestamp:
    """The last complete EST week, given the time of the latest report entry.

    Partners report a week's events during it or on the Monday after (the
    source's rule), so the week *before* the week of the latest entry is
    complete; the week of the latest entry may still get reports.
    """
    return (
        pd.Timestamp(last_entry).normalize()
        - pd.Timedelta(days=pd.Timestamp(last_entry).dayofweek)
        - WEEK
    )


def select(
    mode: str,
    period: int,
    first: pd.Timestamp,
    last: pd.Timestamp,
    week: str = "",
    tertial: int = 0,
) -> Selection:
    """Resolve the notebook's ``mode``/``week``/``tertial`` against data covering ``first``–``last``.

    ``first``/``last`` are the Mondays of the first and last complete week of
    the EST data. Week mode: ``week`` ("2025-W40") or, if empty, the last
    complete week of ISO year ``period``. Tertial mode (``week`` ignored):
    ``tertial`` 1–3 or, if 0, the last tertial of ``period`` whose weeks are
    all complete. Errors are Swedish and say what to choose instead.
    """
    mode = str(mode).strip().lower()
    if mode not in MODES:
        raise ValueError(f"mode måste vara 'vecka' eller 'tertial', inte {mode!r}.")
    period = int(period)
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    if mode == "vecka":
        return _select_week(period, first, last, week)
    return _select_tertial(period, first, last, tertial)


def _select_week(period: int, first: pd.Timestamp, last: pd.Timestamp, week: str) -> Selection:
    if week:
        monday = parse_week(week)
    else:
        monday = min(last, iso_monday(period, weeks_in_year(period)))
        if monday.isocalendar()[0] != period:
            raise ValueError(
                f"EST-data för {period} saknas: uppgifterna sträcker sig "
                f"{week_name(first)} – {week_name(last)}. Välj en vecka med parametern week."
            )
    if not first <= monday <= last:
        raise ValueError(
            f"{week_name(monday).capitalize()} ligger utanför EST-datas kompletta veckor "
            f"({week_name(first)} – {week_name(last)})."
        )
    return Selection("vecka", int(monday.isocalendar()[0]), (monday,))


def _select_tertial(
    period: int, first: pd.Timestamp, last: pd.Timestamp, tertial: int
) -> Selection:
    tertials = [int(tertial)] if tertial else [3, 2, 1]
    for t in tertials:
        weeks = tertial_weeks(period, t)
        if weeks[0] >= first and weeks[-1] <= last:
            return Selection("tertial", period, tuple(weeks), t)
    if tertial:
        raise ValueError(
            f"{tertial_name(period, int(tertial)).capitalize()} är inte komplett i EST-data "
            f"({week_name(first)} – {week_name(last)})."
        )
    raise ValueError(
        f"Ingen tertial av {period} är komplett i EST-data ({week_name(first)} – "
        f"{week_name(last)}). Välj ett annat år eller läget 'vecka'."
    )


def weekly_counts(
    mondays: pd.Series,
    first: pd.Timestamp,
    last: pd.Timestamp,
    keys: pd.Series | None = None,
    key_order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Counts per week (rows: every Monday ``first``–``last``) and key (columns).

    Without ``keys`` the single column is ``"alla"``. Weeks without rows get 0;
    ``key_order`` adds keys that never occur (as zero columns) and fixes the order.
    """
    index = pd.DatetimeIndex(pd.date_range(first, last, freq="7D"), name="vecka").astype(
        "datetime64[us]"
    )
    m = pd.Series(pd.to_datetime(mondays).to_numpy(), dtype="datetime64[us]")
    inside = ((m >= first) & (m <= last)).to_numpy()
    if keys is None:
        table = m[inside].value_counts().to_frame("alla")
    else:
        k = pd.Series(pd.Series(keys).astype(str).to_numpy())
        table = pd.crosstab(m[inside].to_numpy(), k[inside].to_numpy())
    table.index = pd.DatetimeIndex(table.index).astype("datetime64[us]")
    table = table.reindex(index, fill_value=0)
    if key_order is not None:
        extra = [c for c in table.columns if c not in key_order]
        table = table.reindex(columns=[*key_order, *sorted(extra)], fill_value=0)
    table.columns.name = None
    return table.astype("int64")
