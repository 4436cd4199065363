"""The report's Swedish sentences: banners, headline, narrative and section texts.

Counts of reports measure *reporting*, not insecurity: who reports depends on
who knows the app. Every narrative sentence says "anmälningar", not "otrygghet".
The sentences are pinned by tests.
"""

from __future__ import annotations

import pandas as pd

from trygghet.config import KommunConfig
from trygghet.present import small_numbers
from trygghet.present.gate import clean_text
from trygghet.present.swedish import fmt_date, fmt_int, fmt_percent, join_list, plural
from trygghet.reports.places.analysis import PlacesAnalysis
from trygghet.reports.places.before_after import BeforeAfter
from trygghet.reports.places.counts import NO_COMPARISON
from trygghet.reports.places.tally import ReportCounts
from trygghet.sources import processed
from trygghet.stats.trend import DECREASING, INCREASING, NO_CLEAR_CHANGE, TOO_FEW

# ---------------------------------------------------------------------------
# Sources and banners

REPORTS_SOURCE = "Kommunens register över invånarnas anmälningar om otrygga platser"

WALKS_SOURCE = "Kommunens protokoll från trygghetsvandringar"


def source_label(frame: pd.DataFrame, what: str) -> str:
    """Caption source: ``what``, marked as example data when it is."""
    return origin_label(processed.origin(frame), what)


def origin_label(origin: str, what: str) -> str:
    """Caption source ``what`` for data of this origin (marked when example data)."""
    return f"{what} (EXEMPELDATA)" if origin == "example" else what


def reports_coverage_text(reports: pd.DataFrame, counts: ReportCounts | None = None) -> str:
    """Banner detail: how many reports in the table, which dates, and the period's share.

    With ``counts`` (:attr:`PlacesAnalysis.counts`) the banner says how many of
    the table's reports the report is about and how many of those have a position.
    """
    if reports.empty:
        return "Inga anmälningar i tabellen."
    t = pd.to_datetime(reports["created_at"])
    n = len(reports)
    dates = f"från {fmt_date(t.min())} till {fmt_date(t.max())}"
    if counts is None:
        pos = int(reports["lat"].notna().sum())
        return (
            f"{plural(n, 'anmälan', 'anmälningar')} {dates}; "
            f"{fmt_percent(pos / n)} har en position på kartan."
        )
    return (
        f"{plural(n, 'anmälan', 'anmälningar')} i registret {dates}; rapporten gäller "
        f"{period_reports_text(counts)}."
    )


def period_reports_text(c: ReportCounts) -> str:
    """ "de 657 anmälningarna under 2025, varav 580 med position och 77 utan"."""
    months = f" ({c.months_text})" if c.months_text else ""
    if c.in_period == 0:
        return f"anmälningarna under {c.period}{months}, men det fanns inga"
    head = (
        f"de {fmt_int(c.in_period)} anmälningarna under {c.period}{months}"
        if c.in_period != 1
        else f"den enda anmälan under {c.period}{months}"
    )
    if c.without_position == 0:
        return f"{head}, alla med position"
    if c.with_position == 0:
        return f"{head}, ingen med position"
    return (
        f"{head}, varav {fmt_int(c.with_position)} med position och "
        f"{fmt_int(c.without_position)} utan"
    )


def map_counts_text(c: ReportCounts) -> str:
    """The reports map's numbers against the text's, in words (for the map's caption)."""
    text = (
        f"{capital(plural(c.in_period, 'anmälan', 'anmälningar'))} under {c.period}, varav "
        f"{fmt_int(c.with_position)} med position"
    )
    if c.without_position:
        text += f"; de {fmt_int(c.without_position)} utan position finns inte på kartan"
    return (
        text + ". Kartan visar inte heller anmälningar som ligger för glest (se kartans "
        "förklaring); talen efter lagrens namn är periodens antal och hur många lagret visar."
    )


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def walks_coverage_text(walks: pd.DataFrame) -> str:
    """Banner detail: how many walks and observations, which dates."""
    if walks.empty:
        return "Inga trygghetsvandringar i tabellen."
    d = pd.to_datetime(walks["walk_date"])
    return (
        f"{plural(walks['walk_id'].nunique(), 'vandring', 'vandringar')} med "
        f"{plural(len(walks), 'iakttagelse', 'iakttagelser')} från {fmt_date(d.min())} "
        f"till {fmt_date(d.max())}."
    )


def promise_text(config: KommunConfig, promise_id: str = "2") -> str:
    """The promise in the kommun's own words ("" when the kommun has no such promise)."""
    for promise in config.promises:
        if promise.id == str(promise_id):
            return f"Löfte {promise.id}, {promise.title}: {promise.text}"
    return ""


# ---------------------------------------------------------------------------
# Sentences (pinned by tests)


def is_few(count: int, min_count: int) -> bool:
    """Whether a count shown on its own is hidden by the shared small-number rule."""
    return bool(small_numbers.hidden_mask(pd.Series([int(count)]), min_count, margins=None).iloc[0])


def count_text(count: int, min_count: int) -> str:
    """``count`` in Swedish, or "fåtal" under the kommun's ``min_count``."""
    return small_numbers.FEW if is_few(count, min_count) else fmt_int(count)


#: Short Swedish label of each change verdict (chart labels and tables).
VERDICT_LABELS: dict[str, str] = {
    INCREASING: "fler",
    DECREASING: "färre",
    NO_CLEAR_CHANGE: "ingen tydlig förändring",
    TOO_FEW: "för få för att säga",
    NO_COMPARISON: "jämförelse saknas",
}


def change_sentence(
    verdict: str,
    count: int,
    prev_count: int | None,
    period: int,
    months: str = "",
    min_count: int = 5,
) -> str:
    """One sentence on the year's number of reports against the previous year's.

    Counts under ``min_count`` are said as "ett fåtal".
    """
    prev = period - 1
    span = f" ({months} båda åren)" if months and prev_count is not None else ""
    n = (
        f"{small_numbers.FEW_WORDS} anmälningar"
        if is_few(count, min_count)
        else plural(count, "anmälan", "anmälningar")
    )
    if verdict == NO_COMPARISON or prev_count is None:
        return (
            f"Under {period} kom {n} om otrygga platser in; "
            f"jämförelse med {prev} saknas eftersom uppgifterna inte går så långt tillbaka."
        )
    p = small_numbers.FEW_WORDS if is_few(prev_count, min_count) else fmt_int(prev_count)
    if verdict == INCREASING:
        return (
            f"Under {period} kom {n} om otrygga platser in, fler än under {prev} "
            f"({p}){span}. Ökningen är större än vad slumpen brukar ge."
        )
    if verdict == DECREASING:
        return (
            f"Under {period} kom {n} om otrygga platser in, färre än under {prev} "
            f"({p}){span}. Minskningen är större än vad slumpen brukar ge."
        )
    if verdict == NO_CLEAR_CHANGE:
        return (
            f"Under {period} kom {n} om otrygga platser in, mot {p} under {prev}{span}: "
            "ingen tydlig förändring, skillnaden ryms inom vad slumpen kan ge."
        )
    if verdict == TOO_FEW:
        return (
            f"Under {period} kom {n} om otrygga platser in, mot {p} under {prev}{span}: "
            "för få för att säga om något har förändrats."
        )
    raise ValueError(f"okänd bedömning {verdict!r}")


def hotspot_sentence(table: pd.DataFrame, n_positioned: int, min_reports: int = 20) -> str:
    """One sentence on the hotspot search: found (where), none significant, or too few."""
    if n_positioned < min_reports:
        return (
            f"Bara {plural(n_positioned, 'anmälan', 'anmälningar')} hade en position på kartan: "
            "för få för att leta efter platser där anmälningarna samlas."
        )
    if table.empty:
        return (
            "Ingen plats har statistiskt säkerställt fler anmälningar än resten av kommunen: "
            "anmälningarna är inte mer samlade än vad slumpen kan ge."
        )
    places = join_list(clean_text(p) for p in table["place"].head(3))
    k = len(table)
    more = f" (och {k - 3} till)" if k > 3 else ""
    if k == 1:
        return f"Anmälningarna samlas på en plats mer än vad slumpen kan förklara: {places}."
    return (
        f"Anmälningarna samlas på {fmt_int(k)} platser mer än vad slumpen kan förklara: "
        f"{places}{more}."
    )


def walks_sentence(
    due: int, on_time: int, overdue_count: int, period: int, as_of: pd.Timestamp,
    min_count: int = 5, *, overdue_in_period: int | None = None,
) -> str:  # fmt: skip
    """Share of walk measures done by the deadline, and how many were overdue at ``as_of``.

    ``overdue_in_period`` (of ``overdue_count``: those whose deadline fell in
    ``period``, the tables' "försenade") adds how the overdue ones split by deadline.
    """
    when = fmt_date(as_of)
    split = _overdue_split(overdue_count, overdue_in_period, period)
    late = (
        f"Sammanlagt var {plural(overdue_count, 'åtgärd', 'åtgärder')} från vandringarna "
        f"försenade den {when}{split}."
        if overdue_count != 1
        else f"Sammanlagt var 1 åtgärd från vandringarna försenad den {when}{split}."
    )
    if overdue_count == 0:
        late = f"Ingen åtgärd från vandringarna var försenad den {when}."
    if due == 0:
        return (
            f"Inga åtgärder från trygghetsvandringarna hade sista dag under {period} "
            f"(fram till {when}). {late}"
        )
    if due < min_count:
        return (
            f"Bara {plural(due, 'åtgärd', 'åtgärder')} från trygghetsvandringarna hade sista dag "
            f"under {period}, för få för att räkna en andel; {fmt_int(on_time)} blev klara i tid. "
            f"{late}"
        )
    return (
        f"Av de {plural(due, 'åtgärd', 'åtgärder')} från trygghetsvandringarna som skulle vara "
        f"klara under {period} blev {fmt_int(on_time)} ({fmt_percent(on_time / due)}) klara i tid. "
        f"{late}"
    )


def _overdue_split(total: int, in_period: int | None, period: int) -> str:
    """ ": 17 med sista dag under 2025 och 19 med sista dag tidigare" (or "" without the split)."""
    if in_period is None or total == 0:
        return ""
    if in_period == total:
        return f", {'alla ' if total > 1 else ''}med sista dag under {period}"
    if in_period == 0:
        return f", {'alla ' if total > 1 else ''}med sista dag före {period}"
    return (
        f": {fmt_int(in_period)} med sista dag under {period} och "
        f"{fmt_int(total - in_period)} med sista dag tidigare"
    )


def did_sentence(result: BeforeAfter, min_count: int = 5) -> str:
    """One sentence on reports near completed measures, before against after.

    The counts near the measures are counts at a few places: under ``min_count``
    they are "ett fåtal".
    """
    p = result.pooled
    r = fmt_int(result.radius_m)
    days = fmt_int(result.window_days)
    n_measures = len(result.measures)
    if n_measures == 0:
        return (
            "Ingen genomförd åtgärd med position hade hela perioden före och efter inom "
            "uppgifterna, så ingen före–efter-jämförelse kan göras."
        )
    base = (
        f"Inom {r} meter från {plural(n_measures, 'genomförd åtgärd', 'genomförda åtgärder')} "
        f"kom {_few_words(p.near_before, min_count)} anmälningar in de {days} dagarna före och "
        f"{_few_words(p.near_after, min_count)} de {days} dagarna efter"
    )
    if p.verdict == TOO_FEW:
        return f"{base}: för få för att säga om åtgärderna gjorde skillnad."
    if p.verdict == DECREASING:
        return (
            f"{base}. Anmälningarna nära åtgärderna minskade mer än i övriga kommunen, "
            "mer än vad slumpen brukar ge."
        )
    if p.verdict == INCREASING:
        return (
            f"{base}. Anmälningarna nära åtgärderna ökade mer än i övriga kommunen, "
            "mer än vad slumpen brukar ge."
        )
    return (
        f"{base}. Förändringen skiljer sig inte tydligt från övriga kommunens: "
        "det går inte att säga att åtgärderna minskade anmälningarna."
    )


def _few_words(count: int, min_count: int) -> str:
    return small_numbers.FEW_WORDS if is_few(count, min_count) else fmt_int(count)


# ---------------------------------------------------------------------------
# Section texts


def study_area_text(a: PlacesAnalysis) -> str:
    """How the hotspot study area was chosen, and which of the period's reports are in it."""
    c = a.counts
    how = (
        "kommunens yta enligt SCB:s kommungräns"
        if a.area_method == "gräns"
        else "rutorna runt anmälningarna (kommungränsen fanns inte att tillgå)"
    )
    text = (
        f"Sökområdet är {how}: {plural(a.n_cells, 'hexagon', 'hexagoner')} på ca 0,74 km² "
        f"vardera, även de utan anmälningar. {fmt_int(c.with_position)} av "
        f"{fmt_int(c.in_period)} anmälningar under {a.period} hade en position och är med i "
        "sökningen"
    )
    if c.without_position:
        text += (
            f"; de {fmt_int(c.without_position)} utan position räknas i tabellerna men inte "
            "i sökningen"
        )
    return text + "."


def overall_completion_text(a: PlacesAnalysis) -> str:
    """The completion sentence with the Wilson interval, for the walks section.

    It also reconciles the overdue measures: all of them (the text), those
    with the deadline in the period (the tables per responsible party and per
    walk) and those the walks map can draw (with a position).
    """
    due = int(a.completion["due"].sum())
    on_time = int(a.completion["on_time"].sum())
    o = a.overdue
    text = walks_sentence(
        due, on_time, o.total, a.period, a.as_of, a.min_count,
        overdue_in_period=o.due_in_period,
    )  # fmt: skip
    if due >= a.min_count:
        row = a.completion.iloc[0]
        text += (
            f" Andelen klara i tid har ett 95-procentigt osäkerhetsintervall på "
            f"{fmt_percent(row['low'])}–{fmt_percent(row['high'])}."
        )
    if o.total:
        text += (
            f" Tabellerna per ansvarig och per vandring räknar de försenade med sista dag under "
            f"{a.period} ({fmt_int(o.due_in_period)})."
        )
        if o.without_position:
            text += (
                f" Kartan visar {fmt_int(o.on_map)} av de {fmt_int(o.total)} försenade; "
                f"{fmt_int(o.without_position)} saknar position."
            )
        else:
            text += " Kartan visar alla försenade."
    return text


# ---------------------------------------------------------------------------
# Headline and narrative


def _total_row(a: PlacesAnalysis) -> pd.Series:
    return a.change[a.change["category"] == "alla kategorier"].iloc[0]


def headline(a: PlacesAnalysis) -> str:
    """The report's key text: reports against last year, then the walk measures."""
    t = _total_row(a)
    prev = None if pd.isna(t["prev_count"]) else int(t["prev_count"])
    first = change_sentence(
        t["verdict"], int(t["count"]), prev, a.period, a.window.months_text, a.min_count
    )
    due = int(a.completion["due"].sum())
    on_time = int(a.completion["on_time"].sum())
    second = walks_sentence(
        due, on_time, a.overdue.total, a.period, a.as_of, a.min_count,
        overdue_in_period=a.overdue.due_in_period,
    )  # fmt: skip
    return f"{first} {second}"


def narrative(a: PlacesAnalysis, kommun_name: str = "") -> str:
    """Paragraphs: change and categories, hotspots, walks, before/after."""
    t = _total_row(a)
    prev = None if pd.isna(t["prev_count"]) else int(t["prev_count"])
    first = change_sentence(
        t["verdict"], int(t["count"]), prev, a.period, a.window.months_text, a.min_count
    )
    # Categories in the one ranking of :class:`ReportCounts` (the map lists them so too).
    cats = a.change[a.change["category"] != "alla kategorier"].set_index("category")
    cats = cats.reindex([c for c in a.counts.categories.index if c in cats.index])
    up = [clean_text(c) for c in cats.index[cats["verdict"] == INCREASING]]
    down = [clean_text(c) for c in cats.index[cats["verdict"] == DECREASING]]
    if up or down:
        parts = []
        if up:
            parts.append(f"fler anmälningar om {join_list(up)}")
        if down:
            parts.append(f"färre om {join_list(down)}")
        cat_text = f"Per kategori syns {join_list(parts)} än året före."
    elif prev is not None:
        cat_text = "Ingen enskild kategori förändrades tydligt jämfört med året före."
    else:
        cat_text = ""
    # The one ranking of the categories (the map's layers are listed in the same order).
    top = join_list(
        f"{clean_text(cat)} ({count_text(n, a.min_count)})" for cat, n in a.counts.top_categories(3)
    )
    top_text = f"Vanligast var {top}." if top else ""
    p1 = " ".join(s for s in (first, top_text, cat_text) if s)
    p2 = hotspot_sentence(a.hot, a.counts.with_position)
    due = int(a.completion["due"].sum())
    on_time = int(a.completion["on_time"].sum())
    p3 = walks_sentence(
        due, on_time, a.overdue.total, a.period, a.as_of, a.min_count,
        overdue_in_period=a.overdue.due_in_period,
    )  # fmt: skip
    p4 = did_sentence(a.before_after, a.min_count)
    return "\n\n".join([p1, p2, p3, p4])
