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
from trygghet.sources import processed
from trygghet.stats.trend import DECREASING, INCREASING, NO_CLEAR_CHANGE, TOO_FEW

# ---------------------------------------------------------------------------
# Sources and banners

REPORTS_SOURCE = "Kommunens register över invånarnas anmälningar om otrygga platser"

WALKS_SOURCE = "Kommunens protokoll från trygghetsvandringar"


def source_label(frame: pd.DataFrame, what: str) -> str:
    """Caption source: ``what``, marked as example data when it is."""
    return f"{what} (EXEMPELDATA)" if processed.origin(frame) == "example" else what


def reports_coverage_text(reports: pd.DataFrame) -> str:
    """Banner detail: how many reports, which dates, how many with a map position."""
    if reports.empty:
        return "Inga anmälningar i tabellen."
    t = pd.to_datetime(reports["created_at"])
    n = len(reports)
    pos = int(reports["lat"].notna().sum())
    return (
        f"{plural(n, 'anmälan', 'anmälningar')} från {fmt_date(t.min())} till {fmt_date(t.max())}; "
        f"{fmt_percent(pos / n)} har en position på kartan."
    )


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
    min_count: int = 5,
) -> str:  # fmt: skip
    """Share of walk measures done by the deadline, and how many were overdue at ``as_of``."""
    when = fmt_date(as_of)
    late = (
        f"Sammanlagt var {plural(overdue_count, 'åtgärd', 'åtgärder')} från vandringarna "
        f"försenade den {when}."
        if overdue_count != 1
        else f"Sammanlagt var 1 åtgärd från vandringarna försenad den {when}."
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
    """How the hotspot study area was chosen, in one or two sentences."""
    n = len(a.reports_in_period)
    pos = len(a.positioned_in_period)
    how = (
        "kommunens yta enligt SCB:s kommungräns"
        if a.area_method == "gräns"
        else "rutorna runt anmälningarna (kommungränsen fanns inte att tillgå)"
    )
    return (
        f"Sökområdet är {how}: {plural(a.n_cells, 'hexagon', 'hexagoner')} på ca 0,74 km² "
        f"vardera, även de utan anmälningar. {fmt_int(pos)} av {fmt_int(n)} anmälningar "
        "under perioden hade en position och är med i sökningen."
    )


def overall_completion_text(a: PlacesAnalysis) -> str:
    """The completion sentence with the Wilson interval, for the walks section."""
    due = int(a.completion["due"].sum())
    on_time = int(a.completion["on_time"].sum())
    text = walks_sentence(due, on_time, a.overdue_total, a.period, a.as_of, a.min_count)
    if due >= a.min_count:
        row = a.completion.iloc[0]
        text += (
            f" Andelen klara i tid har ett 95-procentigt konfidensintervall på "
            f"{fmt_percent(row['low'])}–{fmt_percent(row['high'])}."
        )
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
    second = walks_sentence(due, on_time, a.overdue_total, a.period, a.as_of, a.min_count)
    return f"{first} {second}"


def narrative(a: PlacesAnalysis, kommun_name: str = "") -> str:
    """Paragraphs: change and categories, hotspots, walks, before/after."""
    t = _total_row(a)
    prev = None if pd.isna(t["prev_count"]) else int(t["prev_count"])
    first = change_sentence(
        t["verdict"], int(t["count"]), prev, a.period, a.window.months_text, a.min_count
    )
    cats = a.change[a.change["category"] != "alla kategorier"]
    up = [clean_text(c) for c in cats[cats["verdict"] == INCREASING]["category"]]
    down = [clean_text(c) for c in cats[cats["verdict"] == DECREASING]["category"]]
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
    biggest = cats.sort_values(["count", "category"], ascending=[False, True]).head(3)
    top = join_list(
        f"{clean_text(r.category)} ({count_text(r.count, a.min_count)})"
        for r in biggest.itertuples()
        if r.count > 0
    )
    top_text = f"Vanligast var {top}." if top else ""
    p1 = " ".join(s for s in (first, top_text, cat_text) if s)
    p2 = hotspot_sentence(a.hot, len(a.positioned_in_period))
    due = int(a.completion["due"].sum())
    on_time = int(a.completion["on_time"].sum())
    p3 = walks_sentence(due, on_time, a.overdue_total, a.period, a.as_of, a.min_count)
    p4 = did_sentence(a.before_after, a.min_count)
    return "\n\n".join([p1, p2, p3, p4])
