"""The crime report's Swedish text: banner, levels, comparison, trend, signals, narrative."""

from __future__ import annotations

import pandas as pd

from trygghet.present.swedish import NBSP, fmt_int, fmt_number, join_list, plural
from trygghet.reports.crime.analysis import CrimeStats, cell_code
from trygghet.reports.crime.rate_table import PROMISE_SERIES, SERIES
from trygghet.reports.crime.signals import BREAK_YEAR, GREEN_GREEN, RED_RED, TrendSummary
from trygghet.stats import rates, trend

#: The banner's source of the counts and the comparison groups.
SOURCE = "Brå, anmälda brott per kommun; Kolada (kommungrupper)"
#: The banner's source of the rates' denominator, with its own origin (real open data).
POPULATION_SOURCE = "SCB, folkmängd per kommun"

#: Lower-case noun phrases for running text ("anmälda narkotikabrott").
TEXT_NAMES: dict[str, str] = {
    "totalt": "anmälda brott totalt",
    "narkotikabrott": "anmälda narkotikabrott",
    "trafikbrott": "anmälda trafikbrott",
    "rattfylleri": "anmälda rattfylleribrott",
    "ordningsstorning": "anmälda ordningsstörningar",
    "skadegorelse": "anmälda skadegörelsebrott",
    "valdsbrott": "anmälda våldsbrott",
}

#: "per 100 000 invånare" with a no-break space inside the number.
PER_100K_TEXT = f"per 100{NBSP}000 invånare"

NOT_SHOWN = (
    "Vad siffrorna inte visar: anmälda brott är de brott som kommit till polisens "
    "kännedom, inte alla brott som begås. Narkotikabrott, trafikbrott och rattfylleri "
    "upptäcks nästan bara när polisen själv kontrollerar – fler anmälda sådana brott kan "
    "betyda fler kontroller, inte fler brott. Brotten räknas i den kommun där de begicks, "
    "oavsett var gärningspersonen bor, och ett enda ärende kan ge många anmälda brott."
)


def fmt_rate(x: float) -> str:
    """A rate per 100 000 with one decimal, the way the whole report writes it."""
    return fmt_number(x, 1)


def _signed_percent(ratio: float) -> str:
    value = (ratio - 1.0) * 100.0
    text = fmt_number(value, 1)
    return f"+{text} %" if value > 0 and text != "0,0" else f"{text} %"


def banner_detail(stats: CrimeStats) -> str:
    """Detail text for the data banner: what is example data and the population year."""
    pop = join_list(str(y) for y in stats.population_years)
    text = (
        f"Antal anmälda brott {min(stats.rates['year'])}–{max(stats.rates['year'])}; "
        f"folkmängd från SCB ({pop}) används för alla år."
    )
    if stats.origin == "example":
        text = (
            "Brå- och Kolada-siffrorna här är påhittade exempeldata (även kommungrupperna), "
            "bara för att visa hur rapporten fungerar – dra inga slutsatser av dem. " + text
        )
    return text


def population_detail(stats: CrimeStats) -> str:
    """Detail text for the population banner: which years divide the counts."""
    pop = join_list(str(y) for y in stats.population_years)
    return f"Folkmängden ({pop}) är nämnaren i alla takter per 100{NBSP}000 invånare."


def show_banners(stats: CrimeStats) -> None:
    """The report's data banners: Brå and Kolada, then SCB, each with its own origin.

    One banner for all three would call SCB's real population example data
    whenever Brå's counts are examples.
    """
    from trygghet.present import page

    page.banner(SOURCE, stats.origin, banner_detail(stats))
    page.banner(POPULATION_SOURCE, stats.population_origin, population_detail(stats))


# --------------------------------------------------------------------------
# Series the data do not hold
# --------------------------------------------------------------------------

#: Why a series can be absent when only Brå's yearly kommun files were read.
YEARLY_FILES_ONLY = (
    "Brås årliga kommunfiler innehåller bara samtliga brott; uppgifter per brottstyp "
    "kommer från en export ur Brås statistikdatabas (bra_brottstyp.csv)."
)


def _missing_hint(stats: CrimeStats) -> str:
    return YEARLY_FILES_ONLY if set(stats.labels) <= {"totalt"} else ""


def series_missing_text(stats: CrimeStats, key: str) -> str:
    """One sentence: the series is not in Brå's files for the kommun, so it is not shown."""
    name = SERIES.get(key, key)
    noun = TEXT_NAMES.get(key, name.lower())
    text = (
        f"{name}: Brås filer för {stats.kommun_name} innehåller inga uppgifter om {noun}, "
        "så de kan inte visas eller jämföras."
    )
    hint = _missing_hint(stats)
    return f"{text} {hint}" if hint else text


def missing_sentence(stats: CrimeStats, keys: list[str] | None = None) -> str:
    """Which of ``keys`` (default: all series) Brå's files lack, in one sentence; "" if none."""
    wanted = list(SERIES) if keys is None else list(keys)
    missing = [k for k in wanted if k in stats.missing_series]
    if not missing:
        return ""
    names = join_list(TEXT_NAMES.get(k, SERIES.get(k, k)).removeprefix("anmälda ") for k in missing)
    text = (
        f"Brås filer för {stats.kommun_name} innehåller inga uppgifter om {names}; "
        f"{'den visas' if len(missing) == 1 else 'de visas'} inte i rapporten."
    )
    hint = _missing_hint(stats)
    return f"{text} {hint}" if hint else text


# --------------------------------------------------------------------------
# One series: level, comparison, trend, signal
# --------------------------------------------------------------------------


def level_sentence(row: pd.Series | dict, min_count: int) -> str:
    """The kommun's figure for the report year: rate with interval, "fåtal" or missing."""
    key, year = row["series"], int(row["year"])
    name = SERIES[key]
    status = str(row.get("value_status", "ok"))
    if bool(row.get("missing", False)):
        why = "sekretess" if status == "sekretess" else "uppgift saknas"
        return f"{name}: siffran för {year} saknas i Brås statistik ({why})."
    if bool(row.get("suppressed", False)):
        return (
            f"{name}: ett fåtal anmälda brott {year} (färre än {min_count}) – för få för att "
            "räknas om per invånare."
        )
    text = (
        f"{name}: {fmt_int(row['count'])} anmälda brott {year}, {fmt_rate(row['rate'])} "
        f"{PER_100K_TEXT} (95 % konfidensintervall {fmt_rate(row['low'])}–"
        f"{fmt_rate(row['high'])})."
    )
    if bool(row.get("preliminary", False)):
        text += f" Siffran för {year} är preliminär."
    return text


def comparison_sentence(position: str | None, group_rate: float) -> str:
    """How the kommun's rate lies in the funnel around the comparison group's rate."""
    level = f"{fmt_rate(group_rate)} {PER_100K_TEXT}"
    if not isinstance(position, str) or pd.isna(group_rate):
        return "Ingen jämförelse med andra kommuner görs när antalet är litet eller saknas."
    if position == rates.WITHIN:
        return (
            f"Skillnaden mot jämförelsegruppen ({level}) ryms i den slumpmässiga variation "
            "som kan väntas i en kommun av den här storleken."
        )
    above = position in (rates.ABOVE_95, rates.ABOVE_998)
    word = "högre" if above else "lägre"
    if position in (rates.ABOVE_998, rates.BELOW_998):
        return (
            f"Nivån är tydligt {word} än i jämförelsegruppen ({level}); skillnaden är "
            "mycket större än slumpen brukar ge (utanför 99,8 %-gränsen)."
        )
    return (
        f"Nivån är {word} än i jämförelsegruppen ({level}); skillnaden är större än "
        "slumpen brukar ge (utanför 95 %-gränsen)."
    )


def _trend_main(name: str, summary: TrendSummary) -> str:
    """The trend's first sentence: too few, increase, decrease or no clear change."""
    capital = name[0].upper() + name[1:]
    res = summary.result
    span = f"{summary.years[0]}–{summary.years[-1]}" if summary.years else ""
    if summary.verdict == trend.TOO_FEW or res is None:
        if not summary.years:
            return f"För {name} finns inga år med siffror att följa."
        return (
            f"{capital} är för få ({fmt_int(summary.total)} under "
            f"{plural(len(summary.years), 'år', 'år')}) för att säga något säkert om "
            "utvecklingen."
        )
    per_year = (
        f"i genomsnitt {_signed_percent(res.rate_ratio)} per år, 95 % konfidensintervall "
        f"{_signed_percent(res.low)} till {_signed_percent(res.high)}"
    )
    if summary.verdict == trend.INCREASING:
        return (
            f"{capital} har ökat {span} ({per_year}). Ökningen är större än vad slumpen brukar ge."
        )
    if summary.verdict == trend.DECREASING:
        return (
            f"{capital} har minskat {span} ({per_year}). Minskningen är större än vad "
            "slumpen brukar ge."
        )
    return (
        f"För {name} syns ingen säker förändring {span} ({per_year}); "
        "variationen mellan åren kan vara slump."
    )


def trend_sentence(key: str, summary: TrendSummary) -> str:
    """What changed over the years and how sure it is (pinned by unit tests)."""
    text = _trend_main(TEXT_NAMES[key], summary)
    if summary.crosses_break:
        text += (
            f" Trenden räknas från {BREAK_YEAR}, då statistiken på kommunnivå blev bättre; "
            "tidigare år visas men ingår inte."
        )
    if summary.missing_years:
        years = join_list(str(y) for y in summary.missing_years)
        text += f" Siffror saknas för {years} och ingår inte."
    if summary.preliminary_years and summary.verdict != trend.TOO_FEW:
        years = join_list(str(y) for y in summary.preliminary_years)
        text += f" Siffrorna för {years} är preliminära."
    return text


def flag_sentence(key: str, flag_code: str | None) -> str:
    """The red-red / green-green signal in words (empty when there is none)."""
    name = TEXT_NAMES[key]
    if flag_code == RED_RED:
        return (
            f"Varningssignal (röd-röd) för {name}: nivån är högre än i jämförelsegruppen och ökar."
        )
    if flag_code == GREEN_GREEN:
        return (
            f"Positiv signal (grön-grön) för {name}: nivån är lägre än i jämförelsegruppen "
            "och minskar."
        )
    return ""


def category_paragraph(stats: CrimeStats, key: str) -> str:
    """One paragraph per series: level, comparison, trend, signal (or that it is missing)."""
    if key not in stats.labels:
        return series_missing_text(stats, key)
    row = stats.summary.set_index("series").loc[key].to_dict() | {"series": key}
    parts = [
        level_sentence(row, stats.min_count),
        comparison_sentence(cell_code(row["position"]), float(row["group_rate"])),
        trend_sentence(key, stats.trends[key]),
        flag_sentence(key, cell_code(row["flag"])),
    ]
    return " ".join(p for p in parts if p)


# --------------------------------------------------------------------------
# The whole report
# --------------------------------------------------------------------------


def signals_sentence(stats: CrimeStats) -> str:
    """Which promise series carry a red-red or green-green signal (and which have no data)."""
    present = [k for k in PROMISE_SERIES if k in stats.labels]
    absent = missing_sentence(stats, list(PROMISE_SERIES))
    if not present:
        return f"Inga signaler (röd-röd eller grön-grön) kan beräknas. {absent}".strip()
    flags = stats.summary.set_index("series")["flag"]
    red = [
        TEXT_NAMES[k].removeprefix("anmälda ") for k in PROMISE_SERIES if flags.get(k) == RED_RED
    ]
    green = [
        TEXT_NAMES[k].removeprefix("anmälda ")
        for k in PROMISE_SERIES
        if flags.get(k) == GREEN_GREEN
    ]
    parts = []
    if red:
        parts.append(f"Röd-röd (högre än jämförbara kommuner och ökande): {join_list(red)}.")
    if green:
        parts.append(f"Grön-grön (lägre än jämförbara kommuner och minskande): {join_list(green)}.")
    if not parts:
        parts.append(
            "Ingen av brottstyperna är både säkert högre än i jämförbara kommuner och säkert "
            "ökande (röd-röd), eller både lägre och minskande (grön-grön)."
        )
    if absent:
        parts.append(absent)
    return " ".join(parts)


def headline(stats: CrimeStats) -> str:
    """The report's key sentence (for report.summary and the index page)."""
    row = stats.summary.set_index("series") if "series" in stats.summary else pd.DataFrame()
    example = " (exempeldata)" if stats.origin == "example" else ""
    prelim = ""
    if "totalt" in row.index and not bool(row.loc["totalt", "missing"]):
        total = row.loc["totalt"]
        prelim = " (preliminärt)" if bool(total["preliminary"]) else ""
        first = (
            f"{stats.year}{prelim} anmäldes {fmt_int(total['count'])} brott i "
            f"{stats.kommun_name}, {fmt_rate(total['rate'])} {PER_100K_TEXT}{example}."
        )
    else:
        first = f"Anmälda brott i {stats.kommun_name} {stats.year}{example}."
    return f"{first} {signals_sentence(stats)}"


def narrative(stats: CrimeStats) -> str:
    """Paragraphs (blank-line separated): group, one per series, signals, what it does not show."""
    paragraphs = [stats.group.description]
    if stats.year != stats.period:
        paragraphs.append(
            f"Brås siffror för {stats.period} finns inte ännu; rapporten visar {stats.year}."
        )
    paragraphs += [category_paragraph(stats, key) for key in SERIES if key in stats.labels]
    # What Brå's files lack is said in the signals paragraph (missing_sentence).
    paragraphs.append(signals_sentence(stats))
    paragraphs.append(NOT_SHOWN)
    return "\n\n".join(paragraphs)
