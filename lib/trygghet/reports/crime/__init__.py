"""Reported crime (Brå) for medborgarlöfte 3: rates, comparisons, trends, text, charts.

Promise 3 is about drug crime, traffic crime and public-order disturbances. A
council wants to know three things about each: how much is reported here, is
it more than in comparable kommuner, and is it getting better or worse. This
module answers each with the uncertainty a small kommun needs:

* **Rates** per 100 000 inhabitants per year with exact (Garwood) Poisson
  intervals (:func:`trygghet.stats.rates.add_rates`). Counts below the kommun's
  ``min_count`` are shown as "fåtal", never as a rate. Brå's secret (``..``)
  and missing cells stay missing, never zero; preliminary values are marked.
* **Comparison** with the län, Riket and a *comparison group* of similar
  kommuner (:func:`comparison_group`: the kommun's SKR kommungrupp from
  Kolada, topped up with the nearest kommuner in population among those with
  Brå data). The kommun is placed in a funnel around the group's pooled rate
  (:func:`trygghet.stats.rates.funnel_position`), so a small kommun is not ranked on
  noise.
* **Trend** over the available years: a Poisson log-linear trend with the
  population as offset (:func:`trygghet.stats.trend.poisson_trend`). Kommun-level
  quality improved from 2015 (:data:`BREAK_YEAR`): a series crossing that
  year is tested from 2015 only, and the break is marked.
* **Signals**: "röd-röd" when the kommun is significantly above its group AND
  significantly increasing; "grön-grön" for the converse.

Categories (:data:`SERIES`): Brå can give several labels the same category key
(e.g. "Stöld och tillgrepp" and "Bostadsinbrott"); the labels may overlap, so
they are never summed. Per key one label is used: the one with the largest
total count for the kommun (the broadest, assuming nested types), the same
label for every area. Trafikbrott and rattfylleri are shown as two series side
by side, because whether a "Trafikbrott" label includes rattfylleri depends on
the export.

Population: the denominator comes from SCB's population table with
:func:`trygghet.sources.scb.population_lookup` semantics (the year's figure,
else the latest earlier year, else the earliest available). The mirror holds
2024 only, so every year's rate uses the 2024 population: a documented
approximation that the report states.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from trygghet import kommuner
from trygghet.present import style
from trygghet.present.swedish import NBSP, fmt_int, fmt_number, join_list, plural
from trygghet.sources import kolada as kolada_source
from trygghet.sources.scb import population_lookup
from trygghet.stats import rates, trend

SOURCE = "Brå, anmälda brott per kommun; Kolada (kommungrupper); SCB (folkmängd)"
CHART_SOURCE = "Brå (anmälda brott), SCB (folkmängd), egen bearbetning"

#: Series shown, in display order: category key -> Swedish display name.
SERIES: dict[str, str] = {
    "totalt": "Samtliga brott",
    "narkotikabrott": "Narkotikabrott",
    "trafikbrott": "Trafikbrott",
    "rattfylleri": "Rattfylleri",
    "ordningsstorning": "Ordningsstörning",
    "skadegorelse": "Skadegörelse",
    "valdsbrott": "Våldsbrott",
}
#: The series that belong to medborgarlöfte 3 (and its neighbours skadegörelse, våld).
PROMISE_SERIES: tuple[str, ...] = tuple(k for k in SERIES if k != "totalt")

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

#: Kommun-level quality of Brå's statistics improved from this year; trends
#: are tested from here on when a series crosses it.
BREAK_YEAR = 2015

#: Smallest comparison group: fewer SKR peers with Brå data than this are
#: topped up with the kommuner nearest in population (log scale).
MIN_PEERS = 5

LEVEL = 0.95
#: "per 100 000 invånare" with a no-break space inside the number.
PER_100K_TEXT = f"per 100{NBSP}000 invånare"
FUNNEL_LEVELS = (0.95, 0.998)

RED_RED = "red_red"
GREEN_GREEN = "green_green"
FLAG_LABELS = {RED_RED: "röd-röd", GREEN_GREEN: "grön-grön"}

VERDICT_TEXT: dict[str, str] = {
    trend.INCREASING: "ökar",
    trend.DECREASING: "minskar",
    trend.NO_CLEAR_CHANGE: "ingen säker förändring",
    trend.TOO_FEW: "för få för att säga",
}

POSITION_TEXT: dict[str, str] = {
    rates.ABOVE_998: "tydligt högre",
    rates.ABOVE_95: "högre",
    rates.WITHIN: "inom slumpens gränser",
    rates.BELOW_95: "lägre",
    rates.BELOW_998: "tydligt lägre",
}

NOT_SHOWN = (
    "Vad siffrorna inte visar: anmälda brott är de brott som kommit till polisens "
    "kännedom, inte alla brott som begås. Narkotikabrott, trafikbrott och rattfylleri "
    "upptäcks nästan bara när polisen själv kontrollerar – fler anmälda sådana brott kan "
    "betyda fler kontroller, inte fler brott. Brotten räknas i den kommun där de begicks, "
    "oavsett var gärningspersonen bor, och ett enda ärende kan ge många anmälda brott."
)

AREA_ORDER = ("kommun", "grupp", "län", "riket")


# --------------------------------------------------------------------------
# Populations and rates
# --------------------------------------------------------------------------


def population_year(population: pd.DataFrame, year: int) -> int:
    """The population year :func:`population_lookup` uses for ``year``."""
    years = sorted(int(y) for y in population["year"].dropna().unique())
    earlier = [y for y in years if y <= year]
    return earlier[-1] if earlier else years[0]


def area_population(population: pd.DataFrame, year: int) -> dict[str, int]:
    """Population per area code for ``year``: kommuner, län ("00" + län) and Riket ("0000").

    Län and Riket are sums of their kommuner's figures (same year choice as
    :func:`population_lookup`), so that all areas share one denominator year.
    """
    pops = population_lookup(population, year)
    out = dict(pops)
    table = kommuner.all_kommuner()
    for lan, codes in table.groupby("lan_code")["kommun_code"]:
        known = [pops[c] for c in codes if c in pops]
        if known:
            out["00" + str(lan)] = int(sum(known))
    if pops:
        out["0000"] = int(sum(pops.values()))
    return out


def choose_labels(bra: pd.DataFrame, kommun: str) -> dict[str, str]:
    """Series key -> the one Brå label used for it (see the module docstring).

    The label with the largest total count for the kommun wins (ties: the
    label named like the key, then alphabetical); keys without any row for
    the kommun fall back to all areas; keys without data are left out.
    """
    chosen: dict[str, str] = {}
    for key in SERIES:
        rows = bra[bra["crime_category"] == key]
        own = rows[rows["kommun_code"] == kommun]
        pool = own if not own.empty else rows
        if pool.empty:
            continue
        totals = (
            pool.assign(_n=pd.to_numeric(pool["count"]).astype("float64").fillna(0.0))
            .groupby("crime_label")["_n"]
            .sum()
            .reset_index()
        )
        totals["_named"] = totals["crime_label"].str.casefold().eq(SERIES[key].casefold())
        totals = totals.sort_values(
            ["_n", "_named", "crime_label"], ascending=[False, False, True], kind="stable"
        )
        chosen[key] = str(totals.iloc[0]["crime_label"])
    return chosen


def build_rates(
    bra: pd.DataFrame,
    population: pd.DataFrame,
    labels: dict[str, str],
    *,
    min_count: int = rates.DEFAULT_MIN_COUNT,
    level: float = LEVEL,
) -> pd.DataFrame:
    """Rates per 100 000 for every area, year and series, with exact Poisson intervals.

    Columns: kommun_code, area_level, area_name, year, series, crime_label,
    count (float, NaN when missing), population, population_year, rate, low,
    high, suppressed, value_status, missing, preliminary. Rows with
    ``value_status`` sekretess/saknas get a missing count (never zero) and
    missing rates.
    """
    by_label = {label: key for key, label in labels.items()}
    rows = bra[bra["crime_label"].isin(list(by_label))].copy()
    rows["series"] = rows["crime_label"].map(by_label)
    rows = rows[rows["crime_category"] == rows["series"]]
    status = rows["value_status"].astype(str)
    count = pd.to_numeric(rows["count"]).astype("float64")
    missing = status.isin(["sekretess", "saknas"]) | count.isna()
    rows["count"] = count.where(~missing, np.nan)
    rows["missing"] = missing.to_numpy()
    rows["preliminary"] = status.eq("preliminär").to_numpy()
    pops: list[float] = []
    pop_years: list[int] = []
    cache: dict[int, dict[str, int]] = {}
    for code, year in zip(rows["kommun_code"], rows["year"], strict=True):
        year = int(year)
        if year not in cache:
            cache[year] = area_population(population, year)
        pops.append(float(cache[year].get(str(code), np.nan)))
        pop_years.append(population_year(population, year))
    rows["population"] = pops
    rows["population_year"] = pop_years
    rows["year"] = rows["year"].astype(int)
    out = rates.add_rates(rows, "count", "population", min_count=min_count, level=level)
    no_pop = out["population"].isna()
    out.loc[no_pop, ["rate", "low", "high"]] = np.nan
    keep = [
        "kommun_code",
        "area_level",
        "area_name",
        "year",
        "series",
        "crime_label",
        "count",
        "population",
        "population_year",
        "rate",
        "low",
        "high",
        "suppressed",
        "value_status",
        "missing",
        "preliminary",
    ]
    out = out[keep].astype({"kommun_code": str, "area_level": str, "area_name": str})
    return out.sort_values(["series", "kommun_code", "year"]).reset_index(drop=True)


# --------------------------------------------------------------------------
# Comparison group
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparisonGroup:
    """The kommuner the kommun is compared with, and how they were chosen."""

    codes: list[str]
    skr_class: str | None
    skr_codes: list[str]
    neighbour_codes: list[str]

    @property
    def description(self) -> str:
        """A Swedish sentence saying who is in the group and why."""
        if not self.codes:
            return "Det finns inga andra kommuner med uppgifter från Brå att jämföra med."
        parts = []
        if self.skr_codes:
            names = join_list(kommuner.kommun_name(c) for c in self.skr_codes)
            cls = self.skr_class or ""
            cls_name = kolada_source.SKR_CLASSES.get(cls, "")
            parts.append(f"{names} (samma kommungrupp enligt SKR, {cls} {cls_name})".strip())
        if self.neighbour_codes:
            names = join_list(kommuner.kommun_name(c) for c in self.neighbour_codes)
            why = (
                "närmast i folkmängd bland kommunerna med uppgifter från Brå"
                if self.skr_codes
                else "kommunerna närmast i folkmängd bland dem med uppgifter från Brå"
            )
            parts.append(f"{names} ({why})")
        return (
            f"Jämförelsegruppen är {plural(len(self.codes), 'kommun', 'kommuner')}: "
            + " och ".join(parts)
            + "."
        )


def comparison_group(
    bra: pd.DataFrame,
    population: pd.DataFrame,
    groups: pd.DataFrame | None,
    kommun: str,
    year: int,
    *,
    min_peers: int = MIN_PEERS,
) -> ComparisonGroup:
    """Similar kommuner with Brå data: the SKR kommungrupp, topped up by population.

    Only kommuner that appear in ``bra`` (at kommun level) can be compared.
    When fewer than ``min_peers`` members of the kommun's SKR kommungrupp have
    data, the kommuner nearest in population (absolute difference of the log
    population, the year's population per :func:`population_lookup`) are
    added until there are ``min_peers``.
    """
    available = set(bra.loc[bra["area_level"] == "kommun", "kommun_code"].astype(str)) - {kommun}
    skr = kolada_source.skr_class(groups, kommun) if groups is not None and len(groups) else None
    skr_codes = (
        sorted(set(kolada_source.peers(groups, kommun)) & available) if skr is not None else []
    )
    neighbours: list[str] = []
    if len(skr_codes) < min_peers:
        pops = population_lookup(population, year)
        own = pops.get(kommun)
        candidates = [c for c in available - set(skr_codes) if c in pops]
        if own is not None:
            candidates.sort(key=lambda c: (abs(math.log(pops[c]) - math.log(own)), c))
            neighbours = candidates[: min_peers - len(skr_codes)]
    codes = sorted(skr_codes + neighbours)
    return ComparisonGroup(codes, skr[0] if skr else None, skr_codes, sorted(neighbours))


def pooled_rate(
    rate_table: pd.DataFrame, codes: list[str], series: str, year: int, level: float = LEVEL
) -> rates.RateEstimate | None:
    """The group's pooled rate: sum of counts over sum of populations (missing left out)."""
    rows = rate_table[
        rate_table["kommun_code"].isin(codes)
        & (rate_table["series"] == series)
        & (rate_table["year"] == year)
        & rate_table["count"].notna()
        & rate_table["population"].notna()
    ]
    if rows.empty:
        return None
    return rates.rate_per_100k(
        int(rows["count"].sum()), float(rows["population"].sum()), level, min_count=0
    )


# --------------------------------------------------------------------------
# Trend and signals
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendSummary:
    """A series' trend test and what went into it."""

    verdict: str
    result: trend.PoissonTrendResult | None
    years: list[int]
    missing_years: list[int]
    preliminary_years: list[int]
    crosses_break: bool

    @property
    def text(self) -> str:
        return VERDICT_TEXT[self.verdict]

    @property
    def total(self) -> int:
        return self.result.total_count if self.result is not None else 0


def series_trend(series: pd.DataFrame, up_to: int) -> TrendSummary:
    """Poisson trend (population offset) of one area's series up to ``up_to``.

    ``series`` has columns year, count, population, missing, preliminary.
    Missing years are left out (gaps allowed). When the series has years both
    before and from :data:`BREAK_YEAR`, only years from the break are tested.
    """
    rows = series[series["year"] <= up_to].sort_values("year")
    crosses = bool((rows["year"] < BREAK_YEAR).any() and (rows["year"] >= BREAK_YEAR).any())
    if crosses:
        rows = rows[rows["year"] >= BREAK_YEAR]
    missing = sorted(int(y) for y in rows.loc[rows["missing"].astype(bool), "year"])
    usable = rows[~rows["missing"].astype(bool) & rows["population"].notna()]
    years = [int(y) for y in usable["year"]]
    prelim = sorted(int(y) for y in usable.loc[usable["preliminary"].astype(bool), "year"])
    if not years:
        return TrendSummary(trend.TOO_FEW, None, [], missing, prelim, crosses)
    result = trend.poisson_trend(
        usable["year"].to_numpy(dtype=float),
        usable["count"].to_numpy(dtype=float),
        usable["population"].to_numpy(dtype=float),
        level=LEVEL,
    )
    return TrendSummary(result.verdict, result, years, missing, prelim, crosses)


def flag(position: str | None, verdict: str) -> str | None:
    """ "red_red" when above the group AND increasing, "green_green" for the converse.

    Above/below means outside the 95 % funnel limit (either level); a missing
    position (count missing or "fåtal") never gives a signal.
    """
    if position in (rates.ABOVE_95, rates.ABOVE_998) and verdict == trend.INCREASING:
        return RED_RED
    if position in (rates.BELOW_95, rates.BELOW_998) and verdict == trend.DECREASING:
        return GREEN_GREEN
    return None


# --------------------------------------------------------------------------
# The analysis
# --------------------------------------------------------------------------


@dataclass
class CrimeStats:
    """Everything the report shows, computed once."""

    kommun: str
    kommun_name: str
    lan_code: str
    lan_name: str
    year: int
    period: int
    min_count: int
    labels: dict[str, str]
    rates: pd.DataFrame
    group: ComparisonGroup
    summary: pd.DataFrame
    trends: dict[str, TrendSummary]
    origin: str
    population_years: list[int] = field(default_factory=list)

    def series_rows(self, series: str, code: str | None = None) -> pd.DataFrame:
        code = code or self.kommun
        rows = self.rates[(self.rates["series"] == series) & (self.rates["kommun_code"] == code)]
        return rows.sort_values("year")


def _report_year(rate_table: pd.DataFrame, kommun: str, period: int) -> int:
    """The period if the kommun has any value for it, else the latest earlier year."""
    own = rate_table[(rate_table["kommun_code"] == kommun) & (rate_table["year"] <= period)]
    if own.empty:
        raise ValueError(
            f"Brå-tabellen har inga uppgifter för kommun {kommun} till och med {period}"
        )
    with_values = own[~own["missing"]]
    pool = with_values if not with_values.empty else own
    return int(pool["year"].max())


def analyse(
    bra: pd.DataFrame,
    population: pd.DataFrame,
    groups: pd.DataFrame | None,
    kommun: str,
    period: int,
    *,
    min_count: int = rates.DEFAULT_MIN_COUNT,
    min_peers: int = MIN_PEERS,
) -> CrimeStats:
    """Rates, comparison group, funnel positions, trends and signals for one kommun.

    ``summary`` has one row per series with the kommun's figures for the
    report year, the group's, the län's and Riket's pooled rates with
    intervals, the funnel position, the trend and the signal.
    """
    labels = choose_labels(bra, kommun)
    table = build_rates(bra, population, labels, min_count=min_count)
    year = _report_year(table, kommun, period)
    group = comparison_group(bra, population, groups, kommun, year, min_peers=min_peers)
    lan = kommuner.lan_code_of(kommun)
    rows = []
    trends: dict[str, TrendSummary] = {}
    for key in labels:
        own = table[(table["series"] == key) & (table["kommun_code"] == kommun)]
        trends[key] = series_trend(own, year)
        this = own[own["year"] == year]
        record: dict[str, object] = {"series": key, "crime_label": labels[key], "year": year}
        if this.empty:
            this_row = None
            record.update(count=np.nan, missing=True, value_status="saknas")
        else:
            this_row = this.iloc[0]
            for col in (
                "count",
                "population",
                "rate",
                "low",
                "high",
                "suppressed",
                "missing",
                "preliminary",
                "value_status",
            ):
                record[col] = this_row[col]
        group_est = pooled_rate(table, group.codes, key, year)
        record["group_rate"] = group_est.rate if group_est else np.nan
        record["group_low"] = group_est.low if group_est else np.nan
        record["group_high"] = group_est.high if group_est else np.nan
        for prefix, code in (("lan", "00" + lan), ("riket", "0000")):
            est = pooled_rate(table, [code], key, year)
            record[f"{prefix}_rate"] = est.rate if est else np.nan
            record[f"{prefix}_low"] = est.low if est else np.nan
            record[f"{prefix}_high"] = est.high if est else np.nan
        position = None
        if (
            this_row is not None
            and not bool(this_row["missing"])
            and not bool(this_row["suppressed"])
            and not pd.isna(this_row["population"])
            and group_est is not None
        ):
            position = rates.funnel_position(
                int(this_row["count"]),
                float(this_row["population"]),
                group_est.rate,
                FUNNEL_LEVELS,
            )
        record["position"] = position
        record["verdict"] = trends[key].verdict
        record["flag"] = flag(position, trends[key].verdict)
        rows.append(record)
    summary = pd.DataFrame(rows)
    origins = sorted(set(bra["origin"].astype(str))) if "origin" in bra else ["real"]
    if groups is not None and "origin" in groups:
        origins = sorted(set(origins) | set(groups["origin"].astype(str)))
    origin = "example" if "example" in origins else origins[0] if len(origins) == 1 else "blandat"
    pop_years = sorted({int(y) for y in table["population_year"].dropna()})
    return CrimeStats(
        kommun=kommun,
        kommun_name=kommuner.kommun_name(kommun),
        lan_code=lan,
        lan_name=kommuner.lan_name(lan),
        year=year,
        period=period,
        min_count=min_count,
        labels=labels,
        rates=table,
        group=group,
        summary=summary,
        trends=trends,
        origin=origin,
        population_years=pop_years,
    )


def load_inputs(kommun: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The processed tables the report reads: bra_crime, population, kolada_groups."""
    from trygghet import paths
    from trygghet.sources import processed as tables

    bra = tables.load_table(kommun, "bra_crime")
    population = pd.read_parquet(paths.processed_dir() / "population.parquet")
    groups = tables.load_table(kommun, "kolada_groups")
    return bra, population, groups


def analyse_kommun(
    kommun: str, period: int, *, min_count: int = rates.DEFAULT_MIN_COUNT
) -> CrimeStats:
    """:func:`analyse` on the kommun's processed tables (for the notebook)."""
    bra, population, groups = load_inputs(kommun)
    return analyse(bra, population, groups, kommun, period, min_count=min_count)


# --------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------


def _rate(x: float) -> str:
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
        f"{name}: {fmt_int(row['count'])} anmälda brott {year}, {_rate(row['rate'])} "
        f"{PER_100K_TEXT} (95 % konfidensintervall {_rate(row['low'])}–{_rate(row['high'])})."
    )
    if bool(row.get("preliminary", False)):
        text += f" Siffran för {year} är preliminär."
    return text


def comparison_sentence(position: str | None, group_rate: float) -> str:
    """How the kommun's rate lies in the funnel around the comparison group's rate."""
    level = f"{_rate(group_rate)} {PER_100K_TEXT}"
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


def trend_sentence(key: str, summary: TrendSummary) -> str:
    """What changed over the years and how sure it is (pinned by unit tests)."""
    name = TEXT_NAMES[key]
    capital = name[0].upper() + name[1:]
    res = summary.result
    span = f"{summary.years[0]}–{summary.years[-1]}" if summary.years else ""
    if summary.verdict == trend.TOO_FEW or res is None:
        if not summary.years:
            text = f"För {name} finns inga år med siffror att följa."
        else:
            text = (
                f"{capital} är för få ({fmt_int(summary.total)} under "
                f"{plural(len(summary.years), 'år', 'år')}) för att säga något säkert om "
                "utvecklingen."
            )
    else:
        per_year = (
            f"i genomsnitt {_signed_percent(res.rate_ratio)} per år, 95 % konfidensintervall "
            f"{_signed_percent(res.low)} till {_signed_percent(res.high)}"
        )
        if summary.verdict == trend.INCREASING:
            text = (
                f"{capital} har ökat {span} ({per_year}). Ökningen är större än vad "
                "slumpen brukar ge."
            )
        elif summary.verdict == trend.DECREASING:
            text = (
                f"{capital} har minskat {span} ({per_year}). Minskningen är större än vad "
                "slumpen brukar ge."
            )
        else:
            text = (
                f"För {name} syns ingen säker förändring {span} ({per_year}); "
                "variationen mellan åren kan vara slump."
            )
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
    """One paragraph per series: level, comparison, trend, signal."""
    row = stats.summary.set_index("series").loc[key].to_dict() | {"series": key}
    parts = [
        level_sentence(row, stats.min_count),
        comparison_sentence(_code(row["position"]), float(row["group_rate"])),
        trend_sentence(key, stats.trends[key]),
        flag_sentence(key, _code(row["flag"])),
    ]
    return " ".join(p for p in parts if p)


def signals_sentence(stats: CrimeStats) -> str:
    """Which promise series carry a red-red or green-green signal."""
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
        return (
            "Ingen av brottstyperna är både säkert högre än i jämförbara kommuner och säkert "
            "ökande (röd-röd), eller både lägre och minskande (grön-grön)."
        )
    return " ".join(parts)


def headline(stats: CrimeStats) -> str:
    """The report's key sentence (for report.summary and the index page)."""
    row = stats.summary.set_index("series")
    example = " (exempeldata)" if stats.origin == "example" else ""
    prelim = ""
    if "totalt" in row.index and not bool(row.loc["totalt", "missing"]):
        total = row.loc["totalt"]
        prelim = " (preliminärt)" if bool(total["preliminary"]) else ""
        first = (
            f"{stats.year}{prelim} anmäldes {fmt_int(total['count'])} brott i "
            f"{stats.kommun_name}, {_rate(total['rate'])} {PER_100K_TEXT}{example}."
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
    paragraphs.append(signals_sentence(stats))
    paragraphs.append(NOT_SHOWN)
    return "\n\n".join(paragraphs)


# --------------------------------------------------------------------------
# Tables for display
# --------------------------------------------------------------------------


def _code(value: object) -> str | None:
    """A code from a summary cell: pandas turns None into NaN in text columns."""
    return value if isinstance(value, str) else None


def _rate_cell(row: pd.Series | dict) -> str:
    if bool(row.get("missing", False)):
        return "sekretess" if str(row.get("value_status")) == "sekretess" else "saknas"
    if bool(row.get("suppressed", False)):
        return "fåtal"
    star = "*" if bool(row.get("preliminary", False)) else ""
    return f"{_rate(row['rate'])}{star}"


def _interval_cell(row: pd.Series | dict) -> str:
    if bool(row.get("missing", False)) or bool(row.get("suppressed", False)):
        return "–"
    return f"{_rate(row['low'])}–{_rate(row['high'])}"


def summary_table(stats: CrimeStats) -> pd.DataFrame:
    """One row per series for the report year, in Swedish, ready to show."""
    out = []
    for row in stats.summary.to_dict("records"):
        hidden = bool(row.get("missing")) or bool(row.get("suppressed"))
        count = "–" if bool(row.get("missing")) else "fåtal" if hidden else fmt_int(row["count"])
        out.append(
            {
                "Brottstyp": SERIES[row["series"]],
                "Brås rubrik": row["crime_label"],
                "Antal": count,
                "Per 100 000 inv.": _rate_cell(row),
                "95 % KI": _interval_cell(row),
                "Jämförelsegrupp": _rate(row["group_rate"]),
                "Län": _rate(row["lan_rate"]),
                "Riket": _rate(row["riket_rate"]),
                "Mot gruppen": POSITION_TEXT.get(_code(row["position"]) or "", "–"),
                "Utveckling": VERDICT_TEXT[row["verdict"]],
                "Signal": FLAG_LABELS.get(_code(row["flag"]) or "", "–"),
            }
        )
    return pd.DataFrame(out).set_index("Brottstyp")


def year_table(stats: CrimeStats) -> pd.DataFrame:
    """The kommun's rate per year (rows) and series (columns) as display text."""
    own = stats.rates[stats.rates["kommun_code"] == stats.kommun]
    table = own.assign(cell=[_rate_cell(r) for r in own.to_dict("records")]).pivot(
        index="year", columns="series", values="cell"
    )
    table = table[[k for k in SERIES if k in table.columns]]
    table.columns = [SERIES[k] for k in table.columns]
    table.index.name = "år"
    return table.fillna("–")


def kolada_table(kolada: pd.DataFrame, groups: pd.DataFrame, kommun: str) -> pd.DataFrame:
    """Kolada's crime KPIs for the kommun, its län, Riket and its kommungrupp's average.

    Rows: years; columns: areas. Missing values show as "–" (never zero). The
    KPI ids are :data:`trygghet.sources.kolada.CRIME_KPIS` (not verified
    against the API offline).
    """
    lan = kommuner.lan_code_of(kommun)
    skr = kolada_source.skr_class(groups, kommun)
    areas = {kommun: kommuner.kommun_name(kommun), "00" + lan: "Län", "0000": "Riket"}
    if skr is not None:
        areas[skr[1]] = f"Kommungrupp {skr[0]} (snitt)"
    rows = kolada[kolada["municipality"].isin(list(areas)) & (kolada["gender"] == "T")]
    table = rows.pivot_table(
        index="period", columns="municipality", values="value", aggfunc="first", dropna=False
    )
    table = table.reindex(columns=[c for c in areas if c in table.columns])
    table = table.map(lambda v: fmt_number(v, 1))
    table.columns = [areas[c] for c in table.columns]
    table.index.name = "år"
    return table


# --------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------


def _rate_axis(ax: plt.Axes, axis: str = "y") -> None:
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _pos: fmt_int(v)))


def _grid(n: int, ncols: int, size: tuple[float, float]) -> tuple[Figure, np.ndarray]:
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=size, squeeze=False)
    plt.close(fig)  # shown by being returned
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, axes


def plot_rates(stats: CrimeStats, series: list[str] | None = None) -> Figure:
    """Small multiples: the kommun's rate per year with its 95 % band; Riket for context.

    Preliminary years have hollow markers; "fåtal" years show no rate (an "f"
    on the axis); missing years are gaps marked "×". A vertical line marks
    :data:`BREAK_YEAR` when the series crosses it.
    """
    keys = [k for k in (series or list(SERIES)) if k in stats.labels]
    fig, axes = _grid(
        len(keys), 4 if len(keys) > 4 else len(keys), (16, 4.2 * math.ceil(len(keys) / 4))
    )
    for ax, key in zip(axes.flat, keys, strict=False):
        own = stats.series_rows(key)
        shown = own[~own["missing"] & ~own["suppressed"]]
        riket = stats.series_rows(key, "0000")
        ax.plot(riket["year"], riket["rate"], color=style.MUTED, linestyle="--", linewidth=1.5)
        # Hidden years ("fåtal", missing) are NaN, so band and line break there.
        hidden = own["suppressed"] | own["missing"]
        band = own[["year", "rate", "low", "high"]].astype(float).where(~hidden)
        band["year"] = own["year"].to_numpy(dtype=float)
        ax.fill_between(
            band["year"], band["low"], band["high"], color=style.PRIMARY, alpha=0.2, linewidth=0
        )
        ax.vlines(shown["year"], shown["low"], shown["high"], color=style.PRIMARY, alpha=0.5)
        ax.plot(band["year"], band["rate"], color=style.PRIMARY, linewidth=2)
        final = shown[~shown["preliminary"]]
        prelim = shown[shown["preliminary"]]
        ax.scatter(final["year"], final["rate"], color=style.PRIMARY, s=25, zorder=3)
        ax.scatter(
            prelim["year"],
            prelim["rate"],
            facecolor="white",
            edgecolor=style.PRIMARY,
            s=40,
            zorder=3,
        )
        for year in own.loc[own["suppressed"], "year"]:
            ax.annotate(
                "f", (year, 0), xycoords=("data", "axes fraction"), ha="center", va="bottom"
            )
        for year in own.loc[own["missing"], "year"]:
            ax.annotate(
                "×", (year, 0), xycoords=("data", "axes fraction"), ha="center", va="bottom"
            )
        if stats.trends[key].crosses_break:
            ax.axvline(BREAK_YEAR - 0.5, color=style.MUTED, linewidth=1)
        ax.set_ylim(bottom=0)
        _rate_axis(ax)
        ax.set_title(f"{SERIES[key]}\n{stats.trends[key].text}", fontsize="medium")
        ax.xaxis.set_major_locator(plt.MaxNLocator(5, integer=True))
    axes.flat[0].set_ylabel("per 100 000 invånare")
    handles = [
        Line2D([], [], color=style.PRIMARY, marker="o", label=stats.kommun_name),
        plt.Rectangle(
            (0, 0), 1, 1, color=style.PRIMARY, alpha=0.2, label="95 % konfidensintervall"
        ),
        Line2D([], [], color=style.MUTED, linestyle="--", label="Riket"),
        Line2D(
            [],
            [],
            color=style.PRIMARY,
            marker="o",
            markerfacecolor="white",
            linestyle="",
            label="preliminär",
        ),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=4, bbox_to_anchor=(0.5, -0.02))
    fig.suptitle(
        f"Anmälda brott per 100 000 invånare, {stats.kommun_name}",
        x=0.01,
        ha="left",
        fontweight="bold",
    )
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig


def funnel_data(stats: CrimeStats, key: str) -> pd.DataFrame:
    """Points of the funnel: the kommun and the group's kommuner for the report year.

    Columns kommun_code, name, population, count, rate, is_kommun. Kommuner
    whose count is missing or "fåtal" are left out (a few-count rate is not
    shown anywhere in the report).
    """
    codes = [stats.kommun, *stats.group.codes]
    rows = stats.rates[
        (stats.rates["series"] == key)
        & (stats.rates["year"] == stats.year)
        & stats.rates["kommun_code"].isin(codes)
        & ~stats.rates["missing"]
        & ~stats.rates["suppressed"]
        & stats.rates["population"].notna()
    ]
    out = rows[["kommun_code", "population", "count", "rate"]].copy()
    out["name"] = [kommuner.kommun_name(c) for c in out["kommun_code"]]
    out["is_kommun"] = out["kommun_code"].eq(stats.kommun)
    return out.reset_index(drop=True)


def plot_funnel(stats: CrimeStats, key: str) -> Figure:
    """Funnel plot: rate against population, 95 % and 99,8 % exact Poisson limits.

    The limits are drawn around the comparison group's pooled rate; the
    kommun is highlighted, the group's kommuner muted. Log population axis.
    """
    row = stats.summary.set_index("series").loc[key]
    target = float(row["group_rate"])
    points = funnel_data(stats, key)
    fig, ax = plt.subplots(figsize=(10, 5.5))
    plt.close(fig)
    codes = [stats.kommun, *stats.group.codes]
    in_year = stats.rates[
        (stats.rates["series"] == key)
        & (stats.rates["year"] == stats.year)
        & stats.rates["kommun_code"].isin(codes)
        & stats.rates["population"].notna()
    ]
    if in_year.empty or math.isnan(target):
        ax.text(
            0.5, 0.5, "För få uppgifter för ett trattdiagram", ha="center", transform=ax.transAxes
        )
        ax.set_axis_off()
        return fig
    hidden = len(in_year) - len(points)
    if hidden:
        ax.text(
            0.01,
            0.98,
            f"{plural(hidden, 'kommun', 'kommuner')} med fåtal brott eller saknad siffra visas inte",
            transform=ax.transAxes,
            fontsize="small",
            va="top",
        )
    lo, hi = in_year["population"].min() / 1.5, in_year["population"].max() * 1.5
    grid = np.geomspace(lo, hi, 120)
    limits = rates.funnel_limits(grid, target, FUNNEL_LEVELS)
    for code, dash, label in (("95", "--", "95 %-gräns"), ("998", ":", "99,8 %-gräns")):
        ax.plot(
            grid,
            limits[f"upper_{code}"],
            color="#555555",
            linestyle=dash,
            linewidth=1.2,
            label=label,
        )
        ax.plot(grid, limits[f"lower_{code}"], color="#555555", linestyle=dash, linewidth=1.2)
    ax.axhline(target, color="#555555", linewidth=1, label="jämförelsegruppens nivå")
    others = points[~points["is_kommun"]]
    ax.scatter(
        others["population"],
        others["rate"],
        color=style.MUTED,
        s=50,
        label="jämförelsegruppen",
        zorder=3,
    )
    own = points[points["is_kommun"]]
    ax.scatter(
        own["population"],
        own["rate"],
        color=style.HIGHLIGHT,
        s=110,
        zorder=4,
        label=stats.kommun_name,
    )
    for r in own.itertuples():
        ax.annotate(
            r.name,
            (r.population, r.rate),
            xytext=(8, 6),
            textcoords="offset points",
            color=style.HIGHLIGHT,
            fontweight="bold",
        )
    if own.empty:
        ax.text(
            0.01,
            0.90,
            f"{stats.kommun_name}: fåtal eller uppgift saknas – visas inte",
            transform=ax.transAxes,
            fontsize="small",
        )
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt_int(v)))
    _rate_axis(ax)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("folkmängd (logaritmisk skala)")
    ax.set_ylabel("per 100 000 invånare")
    ax.set_title(f"{SERIES[key]} {stats.year}: {stats.kommun_name} mot jämförelsegruppen")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return style.finish(fig)


def comparison_data(stats: CrimeStats) -> pd.DataFrame:
    """Long table for the dot plot: series, area label, rate, low, high, hidden."""
    rows = []
    labels = {
        "kommun": stats.kommun_name,
        "grupp": "Jämförelsegrupp",
        "län": stats.lan_name,
        "riket": "Riket",
    }
    for r in stats.summary.to_dict("records"):
        hidden = bool(r.get("missing")) or bool(r.get("suppressed"))
        rows.append(
            {
                "series": r["series"],
                "area": labels["kommun"],
                "kind": "kommun",
                "rate": np.nan if hidden else r["rate"],
                "low": np.nan if hidden else r["low"],
                "high": np.nan if hidden else r["high"],
                "hidden": _rate_cell(r) if hidden else "",
            }
        )
        for kind, prefix in (("grupp", "group"), ("län", "lan"), ("riket", "riket")):
            rows.append(
                {
                    "series": r["series"],
                    "area": labels[kind],
                    "kind": kind,
                    "rate": r[f"{prefix}_rate"],
                    "low": r[f"{prefix}_low"],
                    "high": r[f"{prefix}_high"],
                    "hidden": "",
                }
            )
    return pd.DataFrame(rows)


def plot_comparison(stats: CrimeStats) -> Figure:
    """Dot plot per series: kommun, comparison group, län and Riket with 95 % intervals."""
    data = comparison_data(stats)
    keys = [k for k in SERIES if k in set(data["series"])]
    fig, axes = _grid(len(keys), 2, (14, 2.4 * math.ceil(len(keys) / 2) + 0.6))
    for ax, key in zip(axes.flat, keys, strict=False):
        part = data[data["series"] == key].reset_index(drop=True)
        ypos = np.arange(len(part))[::-1]
        for y, r in zip(ypos, part.itertuples(), strict=True):
            colour = (
                style.HIGHLIGHT
                if r.kind == "kommun"
                else style.PRIMARY
                if r.kind == "grupp"
                else "#555555"
            )
            if r.hidden:
                ax.text(
                    0.03, y, r.hidden, va="center", transform=ax.get_yaxis_transform(), color=colour
                )
                continue
            if not math.isnan(r.rate):
                ax.errorbar(
                    r.rate,
                    y,
                    xerr=[[r.rate - r.low], [r.high - r.rate]],
                    fmt="o",
                    color=colour,
                    capsize=4,
                    markersize=8,
                )
        ax.set_yticks(ypos, part["area"])
        ax.set_ylim(-0.6, len(part) - 0.4)
        ax.set_xlim(left=0)
        _rate_axis(ax, "x")
        ax.set_title(SERIES[key], fontsize="medium")
        ax.grid(axis="y", visible=False)
    fig.suptitle(
        f"Anmälda brott per 100 000 invånare {stats.year}, med 95 % konfidensintervall",
        x=0.01,
        ha="left",
        fontweight="bold",
    )
    fig.tight_layout()
    return fig


def kolada_for_kommun(kommun: str) -> pd.DataFrame:
    """:func:`kolada_table` on the kommun's processed Kolada tables (for the notebook)."""
    from trygghet.sources import processed as tables

    return kolada_table(
        tables.load_table(kommun, "kolada"), tables.load_table(kommun, "kolada_groups"), kommun
    )
