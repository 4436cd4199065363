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

Population: the denominator comes from SCB's population table with
:func:`trygghet.sources.scb.population_lookup` semantics (the year's figure,
else the latest earlier year, else the earliest available). The mirror holds
2024 only, so every year's rate uses the 2024 population: a documented
approximation that the report states.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trygghet import kommuner
from trygghet.sources.scb import population_lookup
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
    out = out[RATE_COLUMNS].astype({"kommun_code": str, "area_level": str, "area_name": str})
    return out.sort_values(["series", "kommun_code", "year"]).reset_index(drop=True)


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
