"""Display tables of the crime report: the summary, rates per year, Kolada's KPIs.

Each table the notebook shows is a :func:`~trygghet.present.tables.page_table`
with the origin of its data, so a table built on example data says so. Counts
follow the shared small-number rule (:mod:`trygghet.present.small_numbers`):
a count under the kommun's ``min_count`` is "fåtal", and so are its rate and
interval. The summary's series overlap and "Samtliga brott" is not their sum,
so no shown total can give a hidden count back (no complementary cells).
"""

from __future__ import annotations

import pandas as pd

from trygghet import kommuner
from trygghet.present.small_numbers import FEW, count_text, hidden_mask
from trygghet.present.swedish import fmt_number
from trygghet.present.tables import PageTable, page_table
from trygghet.reports.crime.analysis import CrimeStats, cell_code, inputs_origin
from trygghet.reports.crime.rate_table import SERIES
from trygghet.reports.crime.signals import FLAG_LABELS, VERDICT_TEXT
from trygghet.reports.crime.text import fmt_rate
from trygghet.sources import kolada as kolada_source
from trygghet.stats import rates

#: The funnel position against the comparison group, in words.
POSITION_TEXT: dict[str, str] = {
    rates.ABOVE_998: "tydligt högre",
    rates.ABOVE_95: "högre",
    rates.WITHIN: "inom slumpens gränser",
    rates.BELOW_95: "lägre",
    rates.BELOW_998: "tydligt lägre",
}


#: The summary table's "Brås rubrik" for a series Brå's files do not hold.
NOT_IN_FILES = "saknas i Brås filer"


def rate_cell(row: pd.Series | dict) -> str:
    """A rate as table text: "sekretess"/"saknas", "fåtal", or the rate (* if preliminary)."""
    if bool(row.get("missing", False)):
        return "sekretess" if str(row.get("value_status")) == "sekretess" else "saknas"
    if bool(row.get("suppressed", False)):
        return FEW
    star = "*" if bool(row.get("preliminary", False)) else ""
    return f"{fmt_rate(row['rate'])}{star}"


def _interval_cell(row: pd.Series | dict) -> str:
    if bool(row.get("missing", False)) or bool(row.get("suppressed", False)):
        return "–"
    return f"{fmt_rate(row['low'])}–{fmt_rate(row['high'])}"


def pooled_cell(row: pd.Series | dict, prefix: str) -> str:
    """A pooled rate (group, län, Riket) as table text: "fåtal" under min_count, never a rate."""
    if bool(row.get(f"{prefix}_suppressed", False)):
        return FEW
    return fmt_rate(row.get(f"{prefix}_rate", float("nan")))


#: "Mot gruppen" when the kommun is not placed in the funnel, by reason.
NO_POSITION_TEXT: dict[str, str] = {
    "own": "ingen jämförelse",
    "no_group": "ingen jämförelse",
    "group_few": "ingen jämförelse (gruppen: fåtal)",
    "group_zero": "ingen jämförelse (gruppen: 0)",
}


def position_cell(row: pd.Series | dict) -> str:
    """The funnel position in words, or why there is none."""
    code = cell_code(row.get("position"))
    if code is not None:
        return POSITION_TEXT.get(code, "–")
    return NO_POSITION_TEXT.get(cell_code(row.get("no_comparison")) or "", "–")


def summary_table(stats: CrimeStats) -> PageTable:
    """One row per series for the report year, in Swedish, ready to show."""
    out = []
    records = stats.summary.to_dict("records")
    # The rule itself (no margins: the series overlap and are never summed), and
    # the rate table's flag, which hides the rate of the same counts.
    few = hidden_mask(stats.summary["count"], stats.min_count, margins=None).to_numpy()
    for row, under_rule in zip(records, few, strict=True):
        hidden = bool(under_rule) or bool(row.get("suppressed"))
        count = (
            "–" if bool(row.get("missing")) else count_text(row["count"], hidden, stats.min_count)
        )
        out.append(
            {
                "Brottstyp": SERIES[row["series"]],
                "Brås rubrik": row["crime_label"],
                "Antal": count,
                "Per 100 000 inv.": rate_cell(row),
                "95 % osäkerhetsintervall": _interval_cell(row),
                "Jämförelsegrupp": pooled_cell(row, "group"),
                "Län": pooled_cell(row, "lan"),
                "Riket": pooled_cell(row, "riket"),
                "Mot gruppen": position_cell(row),
                "Utveckling": VERDICT_TEXT[row["verdict"]],
                "Signal": FLAG_LABELS.get(cell_code(row["flag"]) or "", "–"),
            }
        )
    # A series Brå's files do not hold gets a row saying so, not silence.
    for key in stats.missing_series:
        out.append(
            {
                "Brottstyp": SERIES[key],
                "Brås rubrik": NOT_IN_FILES,
                **dict.fromkeys(
                    [
                        "Antal",
                        "Per 100 000 inv.",
                        "95 % osäkerhetsintervall",
                        "Jämförelsegrupp",
                        "Län",
                        "Riket",
                        "Mot gruppen",
                        "Utveckling",
                        "Signal",
                    ],
                    "–",
                ),
            }
        )
    return page_table(
        pd.DataFrame(out).set_index("Brottstyp"), origin=stats.origin, show_index=True
    )


#: The year table's column naming each year's denominator.
POPULATION_COLUMN = "Folkmängd (från år)"


def _population_cell(population: float, population_year: object) -> str:
    if pd.isna(population):
        return "saknas"
    text = fmt_number(population, 0)
    if population_year is None or pd.isna(population_year):
        return text
    return f"{text} ({int(population_year)})"


def year_table(stats: CrimeStats) -> PageTable:
    """The kommun's rate per year (rows) and series (columns) as display text.

    The last column is the population that divides the year and the year it
    is from, so a year divided by another year's population says so in its row.
    """
    own = stats.rates[stats.rates["kommun_code"] == stats.kommun]
    table = own.assign(cell=[rate_cell(r) for r in own.to_dict("records")]).pivot(
        index="year", columns="series", values="cell"
    )
    table = table[[k for k in SERIES if k in table.columns]]
    table.columns = [SERIES[k] for k in table.columns]
    pops = own.drop_duplicates("year").set_index("year")
    table[POPULATION_COLUMN] = [
        _population_cell(pops.loc[y, "population"], pops.loc[y, "population_year"])
        for y in table.index
    ]
    table.index.name = "år"
    return page_table(table.fillna("–"), origin=stats.origin, show_index=True)


# --------------------------------------------------------------------------
# Kolada
# --------------------------------------------------------------------------


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


def kolada_for_kommun(kommun: str) -> PageTable:
    """:func:`kolada_table` on the kommun's processed Kolada tables (for the notebook)."""
    from trygghet.sources import processed

    kolada = processed.load_table(kommun, "kolada")
    groups = processed.load_table(kommun, "kolada_groups")
    table = kolada_table(kolada, groups, kommun)
    return page_table(table, origin=inputs_origin(kolada, groups), show_index=True)
