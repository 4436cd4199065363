"""The victim-contact report in Swedish: counts and labels, the headline and the narrative.

Counts of fewer than ``min_count`` cases are written "fåtal" (:func:`count_text`),
and a share of too few cases is not written at all.
"""

from __future__ import annotations

import math

import pandas as pd

from trygghet.present import small_numbers
from trygghet.present.swedish import MONTHS_SHORT, fmt_date, fmt_int, fmt_percent, join_list, plural
from trygghet.reports.victim_contact.analysis import (
    MET,
    NOT_MET,
    TOO_FEW,
    OnTimeShare,
    Target,
    cases_in_period,
    category_comparison,
    compare_with_previous,
    on_time_share,
    p_chart,
    verdict,
)
from trygghet.reports.victim_contact.delay import DelaySummary, delay_summary

#: The source credit of the banner and of every chart caption.
SOURCE_TEXT = "Polismyndigheten, ärendesystemets tidsstämplar för kontakt med brottsutsatta"

# --------------------------------------------------------------------------- words

#: A count of 1 … min_count - 1 cases, written instead of the number (the one word of
#: :mod:`trygghet.present.small_numbers`).
FEW = small_numbers.FEW
#: A share, interval or delay that is suppressed or cannot be computed.
MISSING = "–"

#: Display names of the reader's crime categories.
CATEGORY_LABELS = {
    "misshandel": "Misshandel",
    "hot": "Hot",
    "inbrott": "Inbrott",
    "stöld": "Stöld",
    "bedrägeri": "Bedrägeri",
    "skadegörelse": "Skadegörelse",
    "sexualbrott": "Sexualbrott",
    "övrigt": "Övriga brott",
}


def count_text(n: int, min_count: int) -> str:
    """A count for display: ``"0"``, ``"fåtal"`` (1 … min_count - 1) or ``"1 234"``."""
    n = int(n)
    if 0 < n < min_count:
        return FEW
    return fmt_int(n)


def interval_text(low: float, high: float) -> str:
    """``(0.81, 0.9)`` -> ``"81–90 %"``; missing -> ``"–"``."""
    if any(math.isnan(v) for v in (low, high)):
        return MISSING
    return f"{fmt_percent(low)[:-2]}–{fmt_percent(high)}"


def days_text(days: float | None) -> str:
    """``0`` -> ``"samma dag"``, ``3`` -> ``"3 dagar"``; None -> ``"–"``."""
    if days is None:
        return MISSING
    if days == 0:
        return "samma dag"
    return plural(int(days), "dag", "dagar")


def month_label(month: pd.Timestamp) -> str:
    """``2025-03-01`` -> ``"mar 2025"``."""
    return f"{MONTHS_SHORT[month.month - 1]} {month.year}"


# --------------------------------------------------------------------------- banner and target


def coverage_text(cases: pd.DataFrame, period: int) -> str:
    """The banner's detail: extract date and how many cases the period has."""
    if cases.empty:
        return "Uttaget innehåller inga ärenden."
    extract = pd.Timestamp(cases["extract_date"].max())
    n = len(cases_in_period(cases, period))
    return (
        f"Uttaget gjordes {fmt_date(extract)}; {count_text(n, 1)} "
        f"{'ärende' if n == 1 else 'ärenden'} fick en utredare under {period}."
    )


def target_text(target: Target) -> str:
    """``"Mål: minst 90 % kontaktade inom 7 dagar (källa: rapportens parametrar)."``"""
    return (
        f"Mål: minst {fmt_percent(target.share)} kontaktade inom "
        f"{plural(target.days, 'dag', 'dagar')} (källa: {target.source})."
    )


# --------------------------------------------------------------------------- texts


def headline(
    cases: pd.DataFrame, period: int, kommun_name: str, target: Target | None = None
) -> str:
    """The report's key sentence: the on-time share, its interval and the verdict."""
    target = target or Target()
    result = on_time_share(cases_in_period(cases, period), target)
    v = verdict(result, target)
    week = plural(target.days, "dag", "dagar")
    goal = fmt_percent(target.share)
    if v == TOO_FEW:
        return (
            f"För få avgjorda ärenden {period} ({count_text(result.decided, target.min_count)}) "
            f"för att säga om löftet om kontakt med brottsutsatta inom {week} hölls i "
            f"{kommun_name}."
        )
    share = fmt_percent(result.share)
    interval = interval_text(result.low, result.high)
    lead = (
        f"{share} av de brottsutsatta i {kommun_name} kontaktades inom {week} efter att en "
        f"utredare tilldelats {period} (95 % osäkerhetsintervall {interval})."
    )
    if v == MET:
        return f"{lead} Löftet är uppfyllt: hela intervallet ligger över målet {goal}."
    if v == NOT_MET:
        return f"{lead} Löftet är inte uppfyllt: hela intervallet ligger under målet {goal}."
    return (
        f"{lead} Osäkert om löftet är uppfyllt: intervallet rymmer målet {goal}, "
        "så skillnaden mot målet kan vara slump."
    )


def delay_sentence(delay: DelaySummary, target: Target | None = None) -> str:
    """Median and 90th percentile in words."""
    target = target or Target()
    if delay.n_cases < target.min_cases:
        return "För få ärenden för att beskriva hur lång tid kontakten tog."
    if delay.median is None:
        return "Färre än hälften av de brottsutsatta har kontaktats, så väntetiden kan inte anges."
    first = f"Hälften av de brottsutsatta kontaktades inom {days_text(delay.median)}"
    if delay.median == 0:
        first = "Hälften av de brottsutsatta kontaktades samma dag som utredaren tilldelades"
    if delay.p90 is None:
        return f"{first}. Färre än nio av tio har kontaktats, så den långa svansen kan inte anges."
    return f"{first}, och nio av tio inom {days_text(delay.p90)}."


def _count_words(n: int, min_count: int) -> str:
    """A count inside running text: ``"ett fåtal"`` instead of ``"fåtal"``."""
    text = count_text(n, min_count)
    return "ett fåtal" if text == FEW else text


def uncontacted_sentence(result: OnTimeShare, target: Target | None = None) -> str:
    """How many cases have no recorded contact, and how they are counted."""
    target = target or Target()
    m, d = target.min_count, target.days
    if result.uncontacted == 0:
        return "Alla ärenden har en registrerad kontakt med den brottsutsatta."
    missed = result.uncontacted - result.open
    if count_text(result.uncontacted, m) == FEW:
        lead = "Ett fåtal ärenden saknar registrerad kontakt vid uttaget."
    else:
        share = fmt_percent(result.uncontacted / result.n_cases)
        lead = (
            f"{fmt_int(result.uncontacted)} ärenden ({share}) saknar registrerad kontakt "
            "vid uttaget."
        )
    if missed and result.open:
        few_missed, few_open = 0 < missed < m, 0 < result.open < m
        # The two add up to the uncontacted count: if one is few, the other's number is not said.
        said_missed = "de flesta" if few_open and not few_missed else _count_words(missed, m)
        said_open = "de flesta" if few_missed and not few_open else _count_words(result.open, m)
        rest = (
            f"Av dem har {said_missed} väntat mer än {d} dagar och räknas som "
            f"missade, medan {said_open} är yngre än {d} dagar och inte "
            "räknas alls än."
        )
    elif missed:
        rest = f"Alla har väntat mer än {d} dagar och räknas som missade."
    else:
        rest = f"Alla är yngre än {d} dagar och räknas varken som i tid eller för sent än."
    return f"{lead} {rest}"


def trend_sentence(code: str, period: int) -> str:
    """The comparison with the previous year in words (codes of :func:`compare_with_previous`)."""
    sentences = {
        "higher": f"Andelen i tid är säkert högre än {int(period) - 1}.",
        "lower": f"Andelen i tid är säkert lägre än {int(period) - 1}.",
        "no_change": f"Ingen säker skillnad mot {int(period) - 1}.",
        "too_few": f"För få ärenden för att jämföra med {int(period) - 1}.",
    }
    return sentences[code]


def p_chart_sentence(chart: pd.DataFrame) -> str:
    """Which months, if any, fall outside the p-chart's control limits."""
    if chart.empty:
        return "För få ärenden per månad för ett styrdiagram."
    below = [month_label(m) for m in chart.index[chart["p"] < chart["lcl"]]]
    above = [month_label(m) for m in chart.index[chart["p"] > chart["ucl"]]]
    if not below and not above:
        return (
            "Ingen månad ligger utanför styrgränserna: skillnaderna mellan månaderna "
            "är av den storlek som slumpen ger."
        )
    parts = []
    if below:
        parts.append(f"under styrgränsen {join_list(below)}")
    if above:
        parts.append(f"över styrgränsen {join_list(above)}")
    return (
        f"Andelen i tid låg {join_list(parts)}: där finns troligen en verklig orsak att ta reda på."
    )


def category_sentence(comparison: pd.DataFrame) -> str:
    """Which crime categories stand out from the kommun's average (95 % funnel limits)."""
    shown = comparison[~comparison["suppressed"]]
    low = [
        CATEGORY_LABELS.get(k, k).lower()
        for k in shown.index[shown["position"].isin(["below_95", "below_998"])]
    ]
    high = [
        CATEGORY_LABELS.get(k, k).lower()
        for k in shown.index[shown["position"].isin(["above_95", "above_998"])]
    ]
    if shown.empty:
        return "För få ärenden per brottstyp för att jämföra brottstyperna."
    if not low and not high:
        return "Ingen brottstyp skiljer sig säkert från kommunens genomsnitt."
    parts = []
    if low:
        parts.append(f"lägre för {join_list(low)}")
    if high:
        parts.append(f"högre för {join_list(high)}")
    return f"Andelen i tid är {join_list(parts)} än kommunens genomsnitt, mer än slumpen förklarar."


def narrative(
    cases: pd.DataFrame, period: int, kommun_name: str, target: Target | None = None
) -> str:
    """Paragraphs for the council: verdict, delay, open cases, trend, months, categories."""
    target = target or Target()
    year = cases_in_period(cases, period)
    result = on_time_share(year, target)
    paragraphs = [
        headline(cases, period, kommun_name, target)
        + " "
        + trend_sentence(compare_with_previous(cases, period, target), period),
        delay_sentence(delay_summary(year, target), target),
        uncontacted_sentence(result, target),
    ]
    if result.decided >= target.min_cases:
        paragraphs.append(p_chart_sentence(p_chart(cases, period, target)))
        paragraphs.append(category_sentence(category_comparison(cases, period, target)))
    return "\n\n".join(paragraphs)
