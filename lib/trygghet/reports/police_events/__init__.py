"""Polisens händelser for one kommun and one year: tables, charts and text.

The police publish a selection of their events on polisen.se (what they judge
to be of public interest). The analyses here describe *what the police
published* about a kommun: how many events, of which types, when in the day
and week, and how the promise groups (narkotika, trafik, ordning) compare with
the same months of earlier years. They are deliberately not crime statistics:
event counts are never divided by population, and every narrative says so.

An event belongs to the kommun if its ``location.name`` is the kommun, or it
was published at län level and the kommun was resolved from its title or
text (see :mod:`trygghet.sources.polisen`). "Sammanfattning natt/kväll/helg"
events bundle many incidents; they are kept in the tables but never counted
as events, only reported separately.

Years are those of the incident time in the title (the publication time when
the title has none).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from trygghet.errors import DataError
from trygghet.kommuner import kommun_name as _kommun_name
from trygghet.present import style
from trygghet.present.swedish import (
    MONTHS_SHORT,
    WEEKDAYS,
    WEEKDAYS_SHORT,
    fmt_date,
    fmt_int,
    fmt_percent,
    join_list,
    plural,
)
from trygghet.sources.police_events import (
    Coverage,
    archive_path,
    countable,
    coverage_of,
    event_time,
    events_for_kommun,
    load_for_report,
    origin_of,
    processed_path,
    read_archive,
    read_archive_file,
    summary_count,
)
from trygghet.sources.polisen import PROMISE_GROUPS

SOURCE = "Polismyndigheten, polisens händelser (polisen.se), egen bearbetning"

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

CAVEAT = (
    "Observera: polisens händelser är ett litet och selektivt urval av de brott som "
    "anmäls – polisen väljer själv vad som publiceras på polisen.se. De är inte "
    "brottsstatistik och får inte läsas som brottsnivå eller räknas om per invånare."
)


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


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


def monthly_table(df: pd.DataFrame, year: int) -> pd.DataFrame:
    """For display: types as rows, months (jan … dec) and ``totalt`` as columns."""
    table = monthly_by_type(df, year).T
    table.columns = list(MONTHS_SHORT)
    table["totalt"] = table.sum(axis=1)
    table.index.name = "händelsetyp"
    return table


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


# --------------------------------------------------------------------------
# Comparison with earlier years
# --------------------------------------------------------------------------


def coverage_text(df: pd.DataFrame) -> str:
    """One Swedish sentence on what the archive covers, for the data banner."""
    coverage = coverage_of(df)
    if origin_of(df) == "example":
        return (
            f"Påhittade exempelhändelser till och med {fmt_date(coverage.end)}, bara för att "
            "visa rapporten när varken datakopian eller en hämtning från polisen.se finns."
        )
    return (
        f"Arkivet är fullständigt från {fmt_date(coverage.start)} och sträcker sig till "
        f"{fmt_date(coverage.end)}. Händelser som bara publicerats för hela länet räknas till "
        "kommunen när kommunen står i rubriken eller ensam nämns i texten."
    )


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


# --------------------------------------------------------------------------
# Narrative
# --------------------------------------------------------------------------


def _years_text(years: list[int]) -> str:
    if len(years) == 1:
        return str(years[0])
    if years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return join_list(str(y) for y in years)


def _months_text(months: list[int]) -> str:
    return f"{MONTHS_SHORT[months[0] - 1]}–{MONTHS_SHORT[months[-1] - 1]}"


def _group_sentence(
    group: str, current: int, earlier: list[int], years: list[int], year: int
) -> str:
    label = GROUP_LABELS.get(group, "alla händelser")
    mean = float(np.mean(earlier)) if earlier else None
    kind = classify_change(current, mean)
    if kind == "ingen jämförelse":
        return ""
    mean_text = fmt_int(mean) if len(earlier) == 1 else f"i genomsnitt {fmt_int(mean)}"
    numbers = f"{fmt_int(current)} under {year} mot {mean_text} under {_years_text(years)}"
    if current == 0 and not any(earlier):
        return f"Inga händelser om {label} publicerades, varken under {year} eller {_years_text(years)}."
    if kind == "för få":
        return f"Händelserna om {label} är för få för att säga något om en förändring ({numbers})."
    if kind == "ungefär lika":
        return (
            f"Om {label} syns ingen tydlig skillnad mot tidigare år ({numbers}); "
            "skillnaden ryms i den slumpmässiga variationen."
        )
    more = "fler" if kind == "fler" else "färre"
    return f"Om {label} publicerades {more} händelser än tidigare år ({numbers})."


def narrative(
    events_kommun: pd.DataFrame,
    year: int,
    kommun_name: str | None = None,
    coverage: Coverage | None = None,
) -> str:
    """A short plain-Swedish text about the kommun's police events in ``year``.

    Paragraphs separated by blank lines (Markdown). Always ends with
    :data:`CAVEAT`. The comparison sentences follow :func:`classify_change`.
    """
    coverage = coverage or coverage_of(events_kommun)
    if kommun_name is None:
        codes = events_kommun["kommun_code"].dropna().unique()
        kommun_name = _kommun_name(codes[0]) if len(codes) == 1 else "kommunen"
    name = f"{kommun_name} kommun"
    events = countable(events_kommun, year)
    n = len(events)
    paragraphs: list[str] = []

    first = f"Under {year} publicerade polisen {plural(n, 'händelse', 'händelser')} om {name}"
    last_day = coverage.end - pd.Timedelta(days=1)
    if last_day.year == year:
        first += f" (uppgifterna sträcker sig till och med {fmt_date(last_day)})"
    if year <= coverage.start.year:
        first += f" (arkivet är fullständigt först från {fmt_date(coverage.start)})"
    first += "."
    n_lan = int(events["location_level"].eq("län").sum())
    if n_lan:
        first += (
            f" {fmt_int(n_lan)} av dem publicerades för hela länet; att de gäller "
            f"{kommun_name} framgår av rubriken eller texten."
        )
    n_summaries = summary_count(events_kommun, year)
    if n_summaries:
        first += (
            f" Kommunen nämns dessutom i {plural(n_summaries, 'sammanfattning', 'sammanfattningar')}"
            " av natten eller helgen, som inte räknas som händelser här."
        )
    paragraphs.append(first)

    if n:
        top = type_counts(events_kommun, year).head(3)
        parts = [f"{t.lower()} ({fmt_int(c)})" for t, c in top.items()]
        paragraphs.append(f"Vanligast var {join_list(parts)}.")

    table = compare_same_months(events_kommun, year, coverage)
    earlier_years = [y for y in table.index if y < year]
    if year not in table.index:
        paragraphs.append(
            f"För {year} finns inga fullständigt arkiverade månader att jämföra med tidigare år."
        )
    elif not earlier_years:
        paragraphs.append(
            "Det finns inga tidigare år med fullständiga uppgifter för samma månader "
            "att jämföra med."
        )
    else:
        months = table.attrs["months"]
        intro = f"Jämfört med samma månader ({_months_text(months)}) tidigare år:"
        sentences = [
            _group_sentence(
                group,
                int(table.loc[year, group]),
                [int(table.loc[y, group]) for y in earlier_years],
                earlier_years,
                year,
            )
            for group in GROUP_LABELS
        ]
        paragraphs.append(" ".join([intro, *[s for s in sentences if s]]))

    if n >= MIN_EVENTS_FOR_PATTERN:
        profile = time_of_day_profile(events)
        if profile.sum():
            part = str(profile.idxmax())
            hours = {p: (a, b) for p, a, b in DAY_PARTS}[part]
            share = profile.max() / profile.sum()
            paragraphs.append(
                f"Flest händelser inträffade på {DAY_PART_DEFINITE[part]} "
                f"(kl. {hours[0]:02d}–{hours[1]:02d}): {fmt_percent(share)} av dem med känd tid."
            )
    elif n:
        paragraphs.append("Händelserna är för få för att visa något mönster över dygnet.")

    paragraphs.append(CAVEAT)
    return "\n\n".join(paragraphs)


def headline(
    events_kommun: pd.DataFrame,
    year: int,
    kommun_name: str | None = None,
    coverage: Coverage | None = None,
) -> str:
    """The narrative's first paragraph (how many events), for the report's summary."""
    return narrative(events_kommun, year, kommun_name, coverage).split("\n\n", 1)[0]


# --------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------


def plot_monthly(df: pd.DataFrame, year: int, kommun_name: str = "") -> Figure:
    """Stacked bars: events per month of ``year`` by promise group."""
    table = monthly_by_group(df, year)
    fig, ax = style.new_figure()
    bottom = np.zeros(12)
    colours = [style.PALETTE[0], style.PALETTE[1], style.PALETTE[2], style.MUTED]
    labels = [*GROUP_LABELS.values(), "övriga händelser"]
    for column, colour, label in zip(table.columns, colours, labels, strict=True):
        ax.bar(range(12), table[column], bottom=bottom, color=colour, label=label, width=0.8)
        bottom += table[column].to_numpy()
    ax.set_xticks(range(12), MONTHS_SHORT)
    style.count_axis(ax)
    ax.set_ylabel("antal händelser")
    ax.set_title(
        f"Polisens händelser per månad {year}" + (f", {kommun_name}" if kommun_name else "")
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return style.finish(fig)


def plot_by_type(df: pd.DataFrame, year: int, kommun_name: str = "", top: int = 10) -> Figure:
    """Horizontal bars: the ``top`` most common event types of ``year``."""
    counts = type_counts(df, year).head(top)[::-1]
    fig, ax = style.new_figure((10, max(3.0, 0.5 * len(counts) + 1.5)))
    colours = [style.PRIMARY if t in PROMISE_GROUPS else style.MUTED for t in counts.index]
    ax.barh(list(counts.index), counts.to_numpy(), color=colours)
    ax.set_ylabel("")
    style.count_axis(ax, "x")
    ax.set_xlabel("antal händelser")
    ax.set_title(f"Vanligaste händelsetyperna {year}" + (f", {kommun_name}" if kommun_name else ""))
    ax.grid(axis="y", visible=False)
    return style.finish(fig)


def plot_time_of_day(df: pd.DataFrame, year: int | None = None, kommun_name: str = "") -> Figure:
    """Bars by hour of the incident time, the parts of the day marked."""
    events = countable(df, year)
    hours = time_of_day_profile(events, by="hour")
    fig, ax = style.new_figure()
    ax.bar(hours.index, hours.to_numpy(), color=style.PRIMARY, width=0.8)
    for _, start, _end in DAY_PARTS[1:]:
        ax.axvline(start - 0.5, color=style.MUTED, linewidth=1)
    ax.set_xticks(range(0, 24, 3), [f"{h:02d}" for h in range(0, 24, 3)])
    style.count_axis(ax)
    ax.set_xlabel("klockslag enligt rubriken")
    ax.set_ylabel("antal händelser")
    when = f" {year}" if year else ""
    ax.set_title(f"Händelser per timme{when}" + (f", {kommun_name}" if kommun_name else ""))
    return style.finish(fig)


def plot_weekday(df: pd.DataFrame, year: int | None = None, kommun_name: str = "") -> Figure:
    """Bars by weekday of the incident time."""
    counts = weekday_profile(countable(df, year))
    fig, ax = style.new_figure()
    colours = [style.PRIMARY] * 4 + [style.HIGHLIGHT] * 3  # fredag–söndag marked
    ax.bar(range(7), counts.to_numpy(), color=colours, width=0.8)
    ax.set_xticks(range(7), WEEKDAYS_SHORT)
    style.count_axis(ax)
    ax.set_ylabel("antal händelser")
    when = f" {year}" if year else ""
    ax.set_title(f"Händelser per veckodag{when}" + (f", {kommun_name}" if kommun_name else ""))
    return style.finish(fig)
