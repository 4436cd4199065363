"""The analysis: everything the crime report shows, computed once per kommun.

:func:`analyse` puts the pieces together: the rate table
(:mod:`~trygghet.reports.crime.rate_table`), the comparison group and funnel
position (:mod:`~trygghet.reports.crime.comparison`), the trend and the signal
(:mod:`~trygghet.reports.crime.signals`). :func:`analyse_kommun` does the same
on the kommun's processed tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from trygghet import kommuner
from trygghet.reports.crime.comparison import (
    FUNNEL_LEVELS,
    MIN_PEERS,
    ComparisonGroup,
    comparison_group,
)
from trygghet.reports.crime.rate_table import SERIES, build_rates, choose_labels, pooled_rate
from trygghet.reports.crime.signals import TrendSummary, flag, series_trend
from trygghet.stats import rates


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
    #: Origin of SCB's population (the rates' denominator): real open data even
    #: when Brå's counts are examples, so it is named on its own.
    population_origin: str = "real"

    @property
    def missing_series(self) -> list[str]:
        """The report's series (:data:`SERIES`) Brå's files hold nothing for, in display order.

        With Brå's yearly kommun files alone only "totalt" is there; every
        function of the report then shows what is there and says what is not.
        """
        return [key for key in SERIES if key not in self.labels]

    def shown_rate(self, series: str, year: int, code: str | None = None) -> float | None:
        """The rate a page may print for one area and year; None when it is "fåtal" or missing.

        A baseline or any other single year shown elsewhere (the follow-up)
        goes through this, so a year of 1 crime is never printed as "16 per
        100 000": the rate table keeps such a rate only for internal use
        (``suppressed`` is set).
        """
        rows = self.series_rows(series, code)
        rows = rows[rows["year"] == int(year)]
        if rows.empty:
            return None
        row = rows.iloc[0]
        if bool(row["missing"]) or bool(row["suppressed"]) or pd.isna(row["rate"]):
            return None
        return float(row["rate"])

    def series_rows(self, series: str, code: str | None = None) -> pd.DataFrame:
        code = code or self.kommun
        rows = self.rates[(self.rates["series"] == series) & (self.rates["kommun_code"] == code)]
        return rows.sort_values("year")


def cell_code(value: object) -> str | None:
    """A code from a summary cell: pandas turns None into NaN in text columns."""
    return value if isinstance(value, str) else None


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


#: The kommun's own columns copied from the rate table into the summary.
_OWN_COLUMNS = (
    "count",
    "population",
    "population_year",
    "rate",
    "low",
    "high",
    "suppressed",
    "missing",
    "preliminary",
    "value_status",
)


#: The pooled areas of the summary: column prefix of each.
POOLED_PREFIXES = ("group", "lan", "riket")


def _pooled_columns(prefix: str, est: rates.RateEstimate | None) -> dict[str, object]:
    """A pooled rate as summary columns; a "fåtal" one keeps its flag and count, never its rate.

    The rate and interval of a pooled count under ``min_count`` are NaN, so no
    reader of the summary (table, text, chart, follow-up) can print them.
    """
    if est is None:
        return {
            f"{prefix}_count": np.nan,
            f"{prefix}_rate": np.nan,
            f"{prefix}_low": np.nan,
            f"{prefix}_high": np.nan,
            f"{prefix}_suppressed": False,
        }
    hidden = bool(est.suppressed)
    return {
        f"{prefix}_count": float(est.count),
        f"{prefix}_rate": np.nan if hidden else est.rate,
        f"{prefix}_low": np.nan if hidden else est.low,
        f"{prefix}_high": np.nan if hidden else est.high,
        f"{prefix}_suppressed": hidden,
    }


def no_comparison(
    own: pd.Series | dict | None, group: rates.RateEstimate | None, min_count: int
) -> str | None:
    """Why the kommun cannot be placed in the funnel around the group's level; None if it can.

    "own": the kommun's count is missing, "fåtal" or without population;
    "no_group": the group has no count that year; "group_few": the group's
    pooled count is under ``min_count`` (shown as "fåtal"); "group_zero": the
    group had none (a level of zero is no yardstick).
    """
    if own is None or bool(own["missing"]) or bool(own["suppressed"]):
        return "own"
    if pd.isna(own["population"]):
        return "own"
    if group is None:
        return "no_group"
    if group.suppressed:
        return "group_few"
    if group.count < max(min_count, 1):
        return "group_zero" if group.count == 0 else "group_few"
    return None


def _summary_record(
    table: pd.DataFrame,
    key: str,
    label: str,
    kommun: str,
    lan: str,
    year: int,
    group: ComparisonGroup,
    trend_summary: TrendSummary,
    min_count: int,
) -> dict[str, object]:
    """One summary row: the kommun's figures, the pooled rates, position, trend and signal."""
    own = table[(table["series"] == key) & (table["kommun_code"] == kommun)]
    this = own[own["year"] == year]
    record: dict[str, object] = {"series": key, "crime_label": label, "year": year}
    if this.empty:
        this_row = None
        record.update(count=np.nan, missing=True, value_status="saknas")
    else:
        this_row = this.iloc[0]
        for col in _OWN_COLUMNS:
            record[col] = this_row[col]
    estimates = {
        "group": pooled_rate(table, group.codes, key, year, min_count=min_count),
        "lan": pooled_rate(table, ["00" + lan], key, year, min_count=min_count),
        "riket": pooled_rate(table, ["0000"], key, year, min_count=min_count),
    }
    for prefix in POOLED_PREFIXES:
        record.update(_pooled_columns(prefix, estimates[prefix]))
    # No funnel position (hence no signal) for a missing, "fåtal" or population-less
    # value, nor around a group level built on fewer than min_count crimes.
    position = None
    group_est = estimates["group"]
    reason = no_comparison(this_row, group_est, min_count)
    if reason is None and this_row is not None and group_est is not None:
        position = rates.funnel_position(
            int(this_row["count"]),
            float(this_row["population"]),
            group_est.rate,
            FUNNEL_LEVELS,
        )
    record["position"] = position
    record["no_comparison"] = reason
    record["verdict"] = trend_summary.verdict
    record["flag"] = flag(position, trend_summary.verdict)
    return record


def inputs_origin(bra: pd.DataFrame, groups: pd.DataFrame | None) -> str:
    """ "example" if any input is example data, else the one origin, else "blandat"."""
    origins = sorted(set(bra["origin"].astype(str))) if "origin" in bra else ["real"]
    if groups is not None and "origin" in groups:
        origins = sorted(set(origins) | set(groups["origin"].astype(str)))
    return "example" if "example" in origins else origins[0] if len(origins) == 1 else "blandat"


def _population_origin(population: pd.DataFrame) -> str:
    """The origin recorded in the population table (the mirror's SCB figures are "real")."""
    if "origin" not in population or population.empty:
        return str(population.attrs.get("origin", "real"))
    values = sorted(set(population["origin"].dropna().astype(str)))
    return values[0] if len(values) == 1 else "blandat"


def population_origin() -> str:
    """The origin of the processed SCB population table, "saknas" when it is not built."""
    from trygghet import paths

    path = paths.processed_dir() / "population.parquet"
    if not path.is_file():
        return "saknas"
    return _population_origin(pd.read_parquet(path, columns=["origin"]))


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
        rows.append(
            _summary_record(
                table, key, labels[key], kommun, lan, year, group, trends[key], min_count
            )
        )
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
        summary=pd.DataFrame(rows),
        trends=trends,
        origin=inputs_origin(bra, groups),
        population_years=pop_years,
        population_origin=_population_origin(population),
    )


def load_inputs(kommun: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The processed tables the report reads: bra_crime, population, kolada_groups."""
    from trygghet import paths
    from trygghet.sources import processed

    bra = processed.load_table(kommun, "bra_crime")
    population = pd.read_parquet(paths.processed_dir() / "population.parquet")
    groups = processed.load_table(kommun, "kolada_groups")
    return bra, population, groups


def analyse_kommun(
    kommun: str, period: int, *, min_count: int = rates.DEFAULT_MIN_COUNT
) -> CrimeStats:
    """:func:`analyse` on the kommun's processed tables (for the notebook)."""
    bra, population, groups = load_inputs(kommun)
    return analyse(bra, population, groups, kommun, period, min_count=min_count)
