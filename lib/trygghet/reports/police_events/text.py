"""The Swedish sentences of the police-events report: banner, narrative, headline.

Every narrative says that police events are not crime statistics (:data:`CAVEAT`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trygghet.kommuner import kommun_name as _kommun_name
from trygghet.present.swedish import (
    MONTHS_SHORT,
    fmt_date,
    fmt_int,
    fmt_percent,
    join_list,
    plural,
)
from trygghet.reports.police_events.analysis import (
    DAY_PART_DEFINITE,
    DAY_PARTS,
    GROUP_LABELS,
    MIN_EVENTS_FOR_PATTERN,
    classify_change,
    compare_same_months,
    time_of_day_profile,
    type_counts,
)
from trygghet.sources.police_events import (
    Coverage,
    countable,
    coverage_of,
    origin_of,
    summary_count,
)

SOURCE = "Polismyndigheten, polisens händelser (polisen.se), egen bearbetning"


CAVEAT = (
    "Observera: polisens händelser är ett litet och selektivt urval av de brott som "
    "anmäls – polisen väljer själv vad som publiceras på polisen.se. De är inte "
    "brottsstatistik och får inte läsas som brottsnivå eller räknas om per invånare."
)


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
