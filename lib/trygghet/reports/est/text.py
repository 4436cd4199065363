"""The lägesbild in Swedish words: data banners, the key sentence and the narrative.

Every sentence choice is pinned by tests. The "three things" sentences live
with their choice in :mod:`trygghet.reports.est.agenda`. Names from the data
(places, measure ids) are scrubbed (:func:`trygghet.present.gate.clean_text`);
the page gate escapes the text when it is shown. Counts of reports at a place
under the kommun's ``min_count`` are said as "fåtal".
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from trygghet.present.gate import clean_text
from trygghet.present.small_numbers import FEW_WORDS
from trygghet.present.swedish import fmt_int, join_list, plural
from trygghet.reports.est.agenda import capital, count_number, count_words
from trygghet.reports.est.analysis import Picture
from trygghet.reports.est.data import SOURCE_LABELS, EstData
from trygghet.reports.est.expected import (
    HALF_WIDTH,
    HISTORY_YEARS,
    MIN_FLAG_COUNT,
    Assessment,
    history_weeks,
    same_week_window,
)
from trygghet.reports.est.repeats import RECURRING_DEFINITION, recurring_counts
from trygghet.reports.est.verdicts import (
    ELEVATED_VERDICTS,
    FEWER,
    LOWER,
    MISSING,
    MORE,
    NO_COMPARISON,
    SHORT_HISTORY,
    TOO_EARLY,
    TOO_FEW,
    VERY_UNUSUAL_HIGH,
)
from trygghet.reports.est.weeks import week_name

# --------------------------------------------------------------------------
# Data banners
# --------------------------------------------------------------------------

SOURCE_EST = "EST-partnernas veckorapporter och beslutade åtgärder (kommunens egna data)"
SOURCE_POLICE = "Polismyndigheten, polisens händelser (polisen.se)"
SOURCE_RESIDENTS = "invånarnas rapporter om otrygga platser (kommunens egna data)"


def banners(data: EstData) -> list[tuple[str, str, str]]:
    """``(source, origin, detail)`` for each source's data banner."""
    out = [
        (
            SOURCE_EST,
            data.origin,
            f"Kompletta veckor: {week_name(data.first)} – {week_name(data.last)}.",
        )
    ]
    labels = {"police": SOURCE_POLICE, "residents": SOURCE_RESIDENTS}
    for key in ("police", "residents"):
        s = data.sources.get(key)
        if s is None:
            out.append((labels[key], "saknas", "Källan finns inte och visas inte."))
        else:
            out.append(
                (
                    labels[key],
                    s.origin,
                    f"Kompletta veckor: {week_name(s.first)} – {week_name(s.last)}.",
                )
            )
    return out


def show_banners(data: EstData) -> None:
    """Show one data banner per source (EXEMPELDATA stands out)."""
    from trygghet.present import page as report

    for source, origin, detail in banners(data):
        report.banner(source, origin, detail)


# --------------------------------------------------------------------------
# A count against the expected level
# --------------------------------------------------------------------------


def count_range(low: float, high: float) -> str:
    """``"1–5"``, or ``"3"`` when both ends are the same."""
    return f"{fmt_int(low)}–{fmt_int(high)}" if low != high else fmt_int(low)


def level_sentence(label: str, a: Assessment | pd.Series | dict, min_count: int = 1) -> str:
    """One sentence on one count against the expected interval.

    ``label`` names what was counted ("EST-partnernas rapporter", "Skadegörelse");
    a count under ``min_count`` is said as "ett fåtal", as in the tables.
    """
    get = a.__getitem__ if isinstance(a, dict | pd.Series) else lambda k: getattr(a, k)
    label = clean_text(label)
    verdict = get("verdict")
    if verdict == MISSING:
        return f"{label}: uppgift saknas för veckan."
    n = get("observed")
    observed = FEW_WORDS if 0 < n < min_count else fmt_int(n)
    if verdict == SHORT_HISTORY:
        return f"{label}: {observed}; för kort historik för att säga vad som är väntat."
    band = count_range(get("low"), get("high"))
    if verdict in ELEVATED_VERDICTS:
        word = "mycket ovanligt" if verdict == VERY_UNUSUAL_HIGH else "ovanligt"
        return f"{label}: {observed}, fler än väntat ({band}). Förhöjt – {word}."
    if verdict == TOO_FEW:
        return f"{label}: {observed}, över det väntade ({band}) men för få för att säga något."
    if verdict == LOWER:
        return f"{label}: {observed}, färre än väntat ({band})."
    return f"{label}: {observed}, inom det väntade ({band})."


def history_description(week_start: pd.Timestamp, first: pd.Timestamp) -> str:
    """Swedish description of the history :func:`history_weeks` uses, for the text.

    E.g. "samma vecka ±2 veckor under 2023 och 2024 (10 veckor)".
    """
    weeks, rule = history_weeks(week_start, first)
    if rule == "too_short":
        return "för lite historik"
    n = plural(len(weeks), "vecka", "veckor")
    if rule == "previous_weeks":
        return f"de {n} närmast före (för lite data från samma tid tidigare år)"
    s = pd.Timestamp(week_start)
    year, number = s.isocalendar()[0], s.isocalendar()[1]
    chosen, years = set(weeks), []
    for k in range(HISTORY_YEARS, 0, -1):
        y = year - k
        if chosen.issuperset(same_week_window(y, number)):
            years.append(str(y))
    return f"samma vecka ±{HALF_WIDTH} veckor under {join_list(years)} ({n})"


def expected_explanation(history: str) -> str:
    """What "väntat" and "förhöjt" mean, in words (``history``: :func:`history_description`)."""
    if history == "för lite historik":
        return (
            "Det finns för lite historik för att räkna fram ett väntat antal; ingenting kan "
            "kallas förhöjt än."
        )
    return (
        "Det väntade intervallet är det som nio av tio vanliga veckor hamnar inom, räknat "
        f"från {history}. Över intervallet kallas förhöjt: ovanligt om en vanlig vecka når "
        "så högt högst en gång av 20, mycket ovanligt om högst en gång av 100. Med många "
        f"kategorier och platser blir någon enstaka förhöjd av en slump; under "
        f"{fmt_int(MIN_FLAG_COUNT)} rapporter kallas inget förhöjt."
    )


# --------------------------------------------------------------------------
# The key sentence
# --------------------------------------------------------------------------


def headline(pic: Picture) -> str:
    """The report's key sentence (for the index page)."""
    sel = pic.selection
    if sel.mode == "vecka":
        est = pic.sources[pic.sources["key"] == SOURCE_LABELS["est"]].iloc[0]
        flagged = [
            str(k)
            for t in (pic.categories, pic.places)
            for k in t.loc[t["verdict"].isin(ELEVATED_VERDICTS), "key"]
        ]
        return week_headline(sel.label, est, flagged, min_count=pic.data.min_count)
    est = pic.sources[pic.sources["key"] == SOURCE_LABELS["est"]].iloc[0]
    label = f"{capital(sel.label)}, EST-partnernas rapporter"
    return tertial_sentence(label, est, pic.compared_with)


def week_headline(
    label: str, est: pd.Series | dict, flagged: Sequence[str], most: int = 4, min_count: int = 1
) -> str:
    """The weekly key sentence: EST count against the expected level, then what is elevated.

    ``flagged`` lists elevated categories and places (most unusual first); at
    most ``most`` are named, the rest counted. A week's count under
    ``min_count`` is said as "ett fåtal", as in the source table.
    """
    head = f"{label[0].upper()}{label[1:]}: "
    verdict = est["verdict"]
    observed = est["observed"]
    if verdict == MISSING:
        n = ""
    elif 0 < observed < min_count:
        n = f"{FEW_WORDS} EST-rapporter"
    else:
        n = plural(observed, "EST-rapport", "EST-rapporter")
    if verdict == MISSING:
        text = head + "uppgift om antalet EST-rapporter saknas."
    elif verdict == SHORT_HISTORY:
        text = head + f"{n}; för kort historik för att säga vad som är väntat."
    else:
        band = count_range(est["low"], est["high"])
        if verdict in ELEVATED_VERDICTS:
            word = "mycket ovanligt" if verdict == VERY_UNUSUAL_HIGH else "ovanligt"
            text = head + f"{n}, fler än väntat ({band}) – {word}."
        elif verdict == LOWER:
            text = head + f"{n}, färre än väntat ({band})."
        else:
            text = head + f"{n}, inom det väntade ({band})."
    if not flagged:
        return text + " Ingen kategori eller plats är förhöjd."
    names = [clean_text(name) for name in flagged[:most]]
    rest = len(flagged) - len(names)
    if rest:
        names.append(plural(rest, "till", "till"))
    return text + f" Förhöjt: {join_list(names)}."


def tertial_sentence(label: str, row: pd.Series | dict, compared: str) -> str:
    """One sentence on a tertial count against the same tertial a year earlier."""
    label = clean_text(label)
    verdict = row["verdict"]
    now = fmt_int(row["now"])
    if verdict == MISSING:
        return f"{label}: uppgifter saknas för hela perioden."
    if verdict == NO_COMPARISON:
        return f"{label}: {now}; inget att jämföra med ({compared} saknas i datan)."
    before = fmt_int(row["before"])
    if verdict == TOO_FEW:
        return f"{label}: {now} mot {before} {compared} – för få för att säga."
    if verdict == MORE:
        return f"{label}: {now} mot {before} {compared} – fler, en tydlig ökning."
    if verdict == FEWER:
        return f"{label}: {now} mot {before} {compared} – färre, en tydlig minskning."
    return f"{label}: {now} mot {before} {compared} – ingen tydlig förändring."


# --------------------------------------------------------------------------
# Recurring places
# --------------------------------------------------------------------------


def recurring_sentence(table: pd.DataFrame) -> str:
    """How many places were recurring in the table's span, and how many had a measure.

    ``table`` is a :func:`~trygghet.reports.est.repeats.recurring_places` table
    (its ``attrs["label"]`` names the span). The number of places is a count
    of places, not of people or reports, and is said as it is.
    """
    n_with, n = recurring_counts(table)
    weeks = table.attrs.get("weeks", ())
    label = clean_text(table.attrs.get("label", ""))
    when = capital(label) if len(weeks) == 1 else f"Under {label}"
    if n == 0:
        return f"{when} var ingen plats återkommande."
    places = plural(n, "plats", "platser")
    if n_with == 0:
        measures = "ingen av dem hade en åtgärd" if n > 1 else "den hade ingen åtgärd"
    elif n_with == n:
        measures = "alla hade en åtgärd" if n > 1 else "den hade en åtgärd"
    else:
        measures = f"{fmt_int(n_with)} av dem hade en åtgärd"
    return f"{when} var {places} återkommande; {measures}."


def recurring_text(table: pd.DataFrame) -> str:
    """:func:`recurring_sentence` followed by :data:`RECURRING_DEFINITION` (for the page)."""
    return f"{recurring_sentence(table)} {RECURRING_DEFINITION}"


# --------------------------------------------------------------------------
# Measures and the narrative
# --------------------------------------------------------------------------


def measure_sentence(row: pd.Series | dict, min_count: int = 5) -> str:
    """One sentence on whether the reports at a measure's place fell afterwards.

    The counts are counts at one place: under ``min_count`` they are "fåtal".
    """
    head = (
        f"{clean_text(row['measure_id'])} ({clean_text(row['place'])}, "
        f"beslutad {week_name(row['decided'])})"
    )
    verdict = row["verdict"]
    if verdict == TOO_EARLY:
        return f"{head}: för tidigt att säga om rapporterna där har minskat."
    n = plural(row["weeks"], "vecka", "veckor")
    counts = (
        f"{count_words(row['before'], ('rapport', 'rapporter'), min_count)} under {n} före mot "
        f"{count_number(row['after'], min_count)} under {n} efter"
    )
    if verdict == TOO_FEW:
        return f"{head}: för få rapporter för att säga ({counts})."
    if verdict == FEWER:
        return f"{head}: färre rapporter efter beslutet – {counts}."
    if verdict == MORE:
        return f"{head}: fler rapporter efter beslutet – {counts}."
    return f"{head}: ingen tydlig förändring – {counts}."


def narrative(pic: Picture) -> str:
    """Paragraphs for the council: sources, measures and what "väntat" means."""
    sel = pic.selection
    paragraphs = []
    if sel.mode == "vecka":
        paragraphs.append(
            " ".join(
                level_sentence(str(r["key"]), r, pic.data.min_count)
                for _, r in pic.sources.iterrows()
            )
        )
        paragraphs.append(expected_explanation(history_description(sel.end, pic.data.first)))
    else:
        paragraphs.append(
            " ".join(
                tertial_sentence(str(r["key"]), r, pic.compared_with)
                for _, r in pic.sources.iterrows()
            )
        )
        paragraphs.append(
            "Jämförelsen gäller antal per vecka, eftersom tertialerna kan ha 17 eller 18 veckor. "
            "Fler eller färre sägs bara när skillnaden är för stor för att vara slumpen "
            "(p < 0,05)."
        )
    if len(pic.measures):
        paragraphs.append(
            " ".join(measure_sentence(r, pic.data.min_count) for _, r in pic.measures.iterrows())
        )
    else:
        paragraphs.append("Inga åtgärder att följa upp.")
    return "\n\n".join(paragraphs)
