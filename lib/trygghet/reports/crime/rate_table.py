"""The rate table: which Brå label per series, the population, rates per 100 000.

**Rates** are per 100 000 inhabitants per year with exact (Garwood) Poisson
intervals (:func:`trygghet.stats.rates.add_rates`). Counts below the kommun's
``min_count`` are shown as "fåtal", never as a rate. Brå's secret (``..``) and
missing cells stay missing, never zero; preliminary values are marked.

Categories (:data:`SERIES`): Brå can give several labels the same category key
(e.g. "Stöld och tillgrepp" and "Bostadsinbrott"); the labels may overlap, so
they are never summed. Per key one label is used: the one with the largest
total count for the kommun (the broadest, assuming nested types), the same
label for every area. Trafikbrott and rattfylleri are shown as two series side
by side, because whether a "Trafikbrott" label includes rattfylleri depends on
the export.

Population: every year is divided by its own population from SCB's table
where the table holds that year (``trygghet fetch --source scb`` brings every
year); a year without its own figure borrows the kommun's latest earlier year,
else its earliest (:func:`trygghet.sources.scb.population_lookup_years`). The
year actually used is kept per row (``population_year``), and the report says
which years borrowed which (:func:`borrowed_population_years`), never silently:
the mirror holds 2024 only, so there every year is divided by 2024's figure.

Pooled rates (the comparison group, the län, Riket) follow the same
small-number rule as the kommun's own: a pooled count under ``min_count`` is
flagged ``suppressed`` and shown as "fåtal", never as a rate
(:func:`pooled_rate`).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from trygghet import kommuner
from trygghet.sources.scb import population_lookup_years
from trygghet.stats import rates

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

#: Confidence level of every interval in the report (rates and trends).
LEVEL = 0.95


# --------------------------------------------------------------------------
# Populations
# --------------------------------------------------------------------------


def population_year(population: pd.DataFrame, year: int) -> int:
    """The population year used for ``year`` when every kommun has the same years.

    Per kommun (the exact choice, also when kommuner have different years):
    :func:`area_population_years`.
    """
    years = sorted(int(y) for y in population["year"].dropna().unique())
    earlier = [y for y in years if y <= year]
    return earlier[-1] if earlier else years[0]


def area_population_years(
    population: pd.DataFrame, year: int
) -> tuple[dict[str, int], dict[str, int]]:
    """Population per area code for ``year``, and the year each figure is from.

    Areas: kommuner, län ("00" + län) and Riket ("0000"). Län and Riket are
    sums of their kommuner's figures (each kommun's year chosen as in
    :func:`trygghet.sources.scb.population_lookup_years`); their year is the
    one most of their kommuner's figures are from (the latest on a tie).
    """
    chosen = population_lookup_years(population, year)
    pops = {code: pop for code, (pop, _y) in chosen.items()}
    years = {code: y for code, (_p, y) in chosen.items()}

    def common_year(codes: list[str]) -> int:
        counts = Counter(years[c] for c in codes)
        most = max(counts.values())
        return max(y for y, n in counts.items() if n == most)

    table = kommuner.all_kommuner()
    for lan, codes in table.groupby("lan_code")["kommun_code"]:
        known = [c for c in codes if c in pops]
        if known:
            pops["00" + str(lan)] = int(sum(pops[c] for c in known))
            years["00" + str(lan)] = common_year(known)
    if chosen:
        pops["0000"] = int(sum(pop for pop, _y in chosen.values()))
        years["0000"] = common_year(list(chosen))
    return pops, years


def area_population(population: pd.DataFrame, year: int) -> dict[str, int]:
    """Population per area code for ``year``: kommuner, län ("00" + län) and Riket ("0000").

    Län and Riket are sums of their kommuner's figures (same year choice as
    :func:`trygghet.sources.scb.population_lookup`).
    """
    return area_population_years(population, year)[0]


def borrowed_population_years(rate_table: pd.DataFrame, code: str) -> dict[int, int]:
    """Year -> the other year whose population divides it, for one area's rows.

    Years divided by their own population are left out, so an empty answer
    means every year has its own figure.
    """
    rows = rate_table[
        (rate_table["kommun_code"] == code) & rate_table["population_year"].notna()
    ].drop_duplicates("year")
    return {
        int(y): int(p)
        for y, p in zip(rows["year"], rows["population_year"], strict=True)
        if int(y) != int(p)
    }


# --------------------------------------------------------------------------
# Labels and rates
# --------------------------------------------------------------------------


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


#: Columns of the rate table, in order.
RATE_COLUMNS = [
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
    pop_years: list[float] = []
    cache: dict[int, tuple[dict[str, int], dict[str, int]]] = {}
    for code, year in zip(rows["kommun_code"], rows["year"], strict=True):
        year = int(year)
        if year not in cache:
            cache[year] = area_population_years(population, year)
        by_area, year_of = cache[year]
        pops.append(float(by_area.get(str(code), np.nan)))
        pop_years.append(float(year_of.get(str(code), np.nan)))
    rows["population"] = pops
    rows["population_year"] = pd.array(
        [None if np.isnan(y) else int(y) for y in pop_years], dtype="Int64"
    )
    rows["year"] = rows["year"].astype(int)
    out = rates.add_rates(rows, "count", "population", min_count=min_count, level=level)
    no_pop = out["population"].isna()
    out.loc[no_pop, ["rate", "low", "high"]] = np.nan
    out = out[RATE_COLUMNS].astype({"kommun_code": str, "area_level": str, "area_name": str})
    return out.sort_values(["series", "kommun_code", "year"]).reset_index(drop=True)


def pooled_rate(
    rate_table: pd.DataFrame,
    codes: list[str],
    series: str,
    year: int,
    level: float = LEVEL,
    *,
    min_count: int = rates.DEFAULT_MIN_COUNT,
) -> rates.RateEstimate | None:
    """The group's pooled rate: sum of counts over sum of populations (missing left out).

    ``None`` when no area of ``codes`` has a count and a population that year.
    A pooled count from 1 to ``min_count - 1`` is flagged ``suppressed``
    (the same rule as a kommun's own count, :func:`trygghet.stats.rates.rate_per_100k`):
    the page shows it as "fåtal", never as a rate, and no kommun is placed in a
    funnel around it. Pass the kommun's ``config.min_count``; the default is
    :data:`trygghet.stats.rates.DEFAULT_MIN_COUNT`.
    """
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
        int(rows["count"].sum()), float(rows["population"].sum()), level, min_count=min_count
    )
