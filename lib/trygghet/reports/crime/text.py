"""The crime report's Swedish text: banner, levels, comparison, trend, signals, narrative."""

from __future__ import annotations

import pandas as pd

from trygghet.present.swedish import NBSP, fmt_int, fmt_number, join_list, plural
from trygghet.reports.crime.analysis import CrimeStats, cell_code
from trygghet.reports.crime.rate_table import PROMISE_SERIES, SERIES, borrowed_population_years
from trygghet.reports.crime.signals import BREAK_YEAR, GREEN_GREEN, RED_RED, TrendSummary
from trygghet.sources import kolada as kolada_source
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


def year_span(years: list[int] | set[int]) -> str:
    """Years in words with runs joined: [2015, …, 2023, 2025] -> "2015–2023 och 2025"."""
    ordered = sorted({int(y) for y in years})
    runs: list[list[int]] = []
    for y in ordered:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return join_list(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def population_sentence(stats: CrimeStats) -> str:
    """Which population divides each year's count, said plainly (pinned by tests).

    Every year has its own SCB figure where the population table holds it; a
    year without one borrows another year's figure
    (:func:`~trygghet.reports.crime.rate_table.borrowed_population_years`), and
    this sentence names those years and the year they borrow from.
    """
    own_rows = stats.rates[stats.rates["kommun_code"] == stats.kommun]
    years = sorted({int(y) for y in own_rows["year"]})
    if not years:
        return ""
    no_pop = sorted({int(y) for y in own_rows.loc[own_rows["population"].isna(), "year"]})
    borrowed = {
        y: p for y, p in borrowed_population_years(stats.rates, stats.kommun).items()
        if y not in no_pop
    }  # fmt: skip
    own = [y for y in years if y not in borrowed and y not in no_pop]
    parts = []
    if not borrowed and own:
        parts.append(f"Varje år ({year_span(own)}) delas med sin egen folkmängd från SCB.")
    if borrowed:
        by_source: dict[int, list[int]] = {}
        for year, source in borrowed.items():
            by_source.setdefault(source, []).append(year)
        used = (
            f"med folkmängden {next(iter(by_source))}"
            if len(by_source) == 1
            else join_list(
                f"{year_span(ys)} med folkmängden {src}" for src, ys in sorted(by_source.items())
            )
        )
        text = (
            f"SCB:s folkmängd för {year_span(list(borrowed))} saknas här, så "
            f"{'det året' if len(borrowed) == 1 else 'de åren'} räknas {used}"
        )
        text += f"; {year_span(own)} med sin egen." if own else "."
        parts.append(
            text + " Nivåerna för de åren är ungefärliga om befolkningen har ändrats, och "
            "trenden följer då antalet brott snarare än takten."
        )
    if no_pop:
        parts.append(
            f"För {year_span(no_pop)} finns ingen folkmängd alls, så ingen takt per invånare visas."
        )
    return " ".join(parts)


def banner_detail(stats: CrimeStats) -> str:
    """Detail text for the data banner: what is example data and which years are counted."""
    text = (
        f"Antal anmälda brott {min(stats.rates['year'])}–{max(stats.rates['year'])}; "
        "vilken folkmängd som delar varje år står i rutan om SCB nedan."
    )
    if stats.origin == "example":
        text = (
            "Brå- och Kolada-siffrorna här är påhittade exempeldata (även kommungrupperna), "
            "bara för att visa hur rapporten fungerar – dra inga slutsatser av dem. " + text
        )
    return text


def population_detail(stats: CrimeStats) -> str:
    """Detail text for the population banner: which year's population divides each year."""
    return (
        f"Folkmängden är nämnaren i alla takter per 100{NBSP}000 invånare. "
        + population_sentence(stats)
    ).strip()


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
    pop_year = row.get("population_year")
    borrowed = (
        f"räknat på folkmängden {int(pop_year)}; "
        if pop_year is not None and not pd.isna(pop_year) and int(pop_year) != year
        else ""
    )
    text = (
        f"{name}: {fmt_int(row['count'])} anmälda brott {year}, {fmt_rate(row['rate'])} "
        f"{PER_100K_TEXT} ({borrowed}95 % osäkerhetsintervall {fmt_rate(row['low'])}–"
        f"{fmt_rate(row['high'])})."
    )
    if bool(row.get("preliminary", False)):
        text += f" Siffran för {year} är preliminär."
    return text


#: How every position against the comparison group is decided, in words: the
#: funnel's exact Poisson test, which is the same as asking whether the
#: group's level lies outside the kommun's exact interval.
COMPARISON_METHOD = "exakt Poisson-prövning mot jämförelsegruppens nivå"

#: Why a kommun is not compared (the summary's ``no_comparison`` codes).
NO_COMPARISON_TEXT: dict[str, str] = {
    "own": "Ingen jämförelse med andra kommuner görs när antalet är litet eller saknas.",
    "group_few": (
        "Jämförelsegruppens nivå bygger på ett fåtal anmälda brott (färre än {min_count}) och "
        "visas inte; en så osäker nivå går inte att jämföra med, så ingen jämförelse görs."
    ),
    "group_zero": (
        "Jämförelsegruppen hade inga sådana anmälda brott, så det finns ingen nivå att jämföra med."
    ),
    "no_group": "Det finns inga uppgifter för jämförelsegruppen att jämföra med.",
}


def comparison_sentence(
    position: str | None,
    group_rate: float,
    *,
    reason: str | None = None,
    min_count: int = rates.DEFAULT_MIN_COUNT,
) -> str:
    """How the kommun's rate lies in the funnel around the comparison group's rate.

    One method for every word: the funnel's exact Poisson limits
    (:func:`trygghet.stats.rates.funnel_position`). At 95 % it is the same as
    the group's level lying outside the kommun's exact 95 % interval, so the
    sentence, the funnel, the comparison chart's line and the table's "Mot
    gruppen" always agree. ``reason`` (the summary's ``no_comparison``) says
    why there is no position.
    """
    if not isinstance(position, str) or pd.isna(group_rate):
        code = reason if isinstance(reason, str) and reason in NO_COMPARISON_TEXT else "own"
        return NO_COMPARISON_TEXT[code].format(min_count=min_count)
    level = f"{fmt_rate(group_rate)} {PER_100K_TEXT}"
    if position == rates.WITHIN:
        return (
            f"Skillnaden mot jämförelsegruppen ({level}) ryms i den slumpmässiga variation "
            "som kan väntas i en kommun av den här storleken: kommunen ligger inom "
            "trattdiagrammets 95 %-gränser, och gruppens nivå ligger inom kommunens 95 % "
            f"osäkerhetsintervall ({COMPARISON_METHOD})."
        )
    above = position in (rates.ABOVE_95, rates.ABOVE_998)
    word = "högre" if above else "lägre"
    side = "ovanför" if above else "nedanför"
    group_side = "under" if above else "över"
    if position in (rates.ABOVE_998, rates.BELOW_998):
        return (
            f"Nivån är tydligt {word} än i jämförelsegruppen ({level}); skillnaden är "
            f"mycket större än slumpen brukar ge: kommunen ligger {side} trattdiagrammets "
            f"99,8 %-gräns ({COMPARISON_METHOD})."
        )
    return (
        f"Nivån är {word} än i jämförelsegruppen ({level}); skillnaden är större än "
        f"slumpen brukar ge: kommunen ligger {side} trattdiagrammets 95 %-gräns, och "
        f"gruppens nivå ligger {group_side} kommunens 95 % osäkerhetsintervall "
        f"({COMPARISON_METHOD})."
    )


#: How a trend's verdict and interval were made, in words: one test for both
#: (:func:`trygghet.stats.trend.poisson_trend`, ``interval_method``).
TREND_METHOD_TEXT: dict[str, str] = {
    "profile_likelihood_ratio": "Poisson-trend, intervall och prövning från samma "
    "likelihoodkvottest",
    "profile_quasi_likelihood_f": "kvasi-Poisson-trend för extra variation mellan åren, "
    "intervall och prövning från samma F-test",
}


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
    method = TREND_METHOD_TEXT.get(str(getattr(res, "interval_method", "")), "")
    per_year = (
        f"i genomsnitt {_signed_percent(res.rate_ratio)} per år, 95 % osäkerhetsintervall "
        f"{_signed_percent(res.low)} till {_signed_percent(res.high)}"
        + (f"; {method}" if method else "")
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
        comparison_sentence(
            cell_code(row["position"]),
            float(row["group_rate"]),
            reason=cell_code(row.get("no_comparison")),
            min_count=stats.min_count,
        ),
        trend_sentence(key, stats.trends[key]),
        flag_sentence(key, cell_code(row["flag"])),
    ]
    return " ".join(p for p in parts if p)


# --------------------------------------------------------------------------
# Two "våldsbrott" figures: Brå's series and Kolada's key figure
# --------------------------------------------------------------------------

#: The Kolada key figure the report shows beside Brå's våldsbrott series.
KOLADA_VIOLENCE_KPI = kolada_source.CRIME_KPIS["anmalda_valdsbrott_per_100k"]


def _kolada_value(kolada: pd.DataFrame | None, kommun: str, year: int) -> tuple[float, int] | None:
    """Kolada's violence value for the kommun: the report year's, else the latest earlier one."""
    if kolada is None or kolada.empty:
        return None
    rows = kolada[
        (kolada["kpi"] == KOLADA_VIOLENCE_KPI)
        & (kolada["municipality"] == kommun)
        & (kolada["gender"] == "T")
        & (kolada["period"] <= year)
        & kolada["value"].notna()
    ]
    if rows.empty:
        return None
    last = rows.sort_values("period").iloc[-1]
    return float(last["value"]), int(last["period"])


def violence_sentence(stats: CrimeStats, kolada: pd.DataFrame | None) -> str:
    """Brå's "Våldsbrott" and Kolada's key figure side by side: which is which (pinned by tests).

    Two figures called "våldsbrott" on one page differ because they are two
    definitions from two sources, and the page says so with both numbers;
    "" when only one of them is shown.
    """
    kolada_value = _kolada_value(kolada, stats.kommun, stats.year)
    if "valdsbrott" not in stats.labels or kolada_value is None:
        return ""
    row = stats.summary.set_index("series").loc["valdsbrott"]
    label = stats.labels["valdsbrott"]
    if bool(row.get("missing", False)):
        bra = f"saknas för {stats.year} i Brås statistik"
    elif bool(row.get("suppressed", False)):
        bra = f"ett fåtal anmälda brott {stats.year} (färre än {stats.min_count})"
    else:
        bra = f"{fmt_rate(float(row['rate']))} {PER_100K_TEXT} {stats.year}"
    value, period = kolada_value
    return (
        f"Två olika siffror för våld: raden Våldsbrott i tabellen ovan är Brås brottstyp "
        f"”{label}” ({bra}), Brås antal anmälda brott delat med SCB:s folkmängd. "
        f"Koladas nyckeltal {KOLADA_VIOLENCE_KPI} ”anmälda våldsbrott” "
        f"({fmt_rate(value)} {PER_100K_TEXT} {period}) är Koladas egen sammanställning av "
        "Brås statistik, med Koladas avgränsning av vilka brott som räknas som våldsbrott och "
        "Koladas folkmängd. De två mäter alltså inte samma sak och ska inte jämföras med "
        "varandra; jämför var och en med sig själv över åren och med andra kommuner."
    )


def violence_note(stats: CrimeStats) -> str:
    """:func:`violence_sentence` with the kommun's processed Kolada table (for the notebook)."""
    from trygghet.sources import processed

    try:
        kolada = processed.load_table(stats.kommun, "kolada")
    except processed.MissingTableError:
        kolada = None
    return violence_sentence(stats, kolada)


#: Appended to the våldsbrott paragraph of the crime report (where Kolada's figure is shown too).
VIOLENCE_POINTER = (
    "Koladas nyckeltal för anmälda våldsbrott längre ned är en annan sammanställning med en "
    "annan avgränsning; förklaringen står vid den tabellen."
)


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
    for key in SERIES:
        if key not in stats.labels:
            continue
        paragraph = category_paragraph(stats, key)
        if key == "valdsbrott":
            paragraph += (
                f" Raden bygger på Brås brottstyp ”{stats.labels[key]}”. {VIOLENCE_POINTER}"
            )
        paragraphs.append(paragraph)
    # What Brå's files lack is said in the signals paragraph (missing_sentence).
    paragraphs.append(signals_sentence(stats))
    paragraphs.append(NOT_SHOWN)
    return "\n\n".join(paragraphs)
