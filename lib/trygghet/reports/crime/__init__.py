"""Reported crime (Brå) for medborgarlöfte 3: rates, comparisons, trends, text, charts.

Promise 3 is about drug crime, traffic crime and public-order disturbances. A
council wants to know three things about each: how much is reported here, is
it more than in comparable kommuner, and is it getting better or worse. The
report answers each with the uncertainty a small kommun needs: rates per
100 000 with exact Poisson intervals ("fåtal" below ``min_count``, also for
the pooled rates of the comparison group, the län and Riket; Brå's secret and
missing cells never zero), each year divided by its own population where SCB's
table holds it (a borrowed year is named), a funnel against a comparison group
of similar kommuner, a Poisson trend from 2015, and "röd-röd" / "grön-grön"
signals where level and trend agree. Every word about the kommun's position
against the group comes from the funnel's exact test, which is the same as the
group's level lying outside the kommun's exact interval drawn beside it.

The package is split by job:

* :mod:`~trygghet.reports.crime.rate_table`: the Brå label per series, the
  population, rates per 100 000 and pooled rates;
* :mod:`~trygghet.reports.crime.comparison`: the comparison group and the
  funnel levels;
* :mod:`~trygghet.reports.crime.signals`: the trend per series and the
  red-red / green-green signals;
* :mod:`~trygghet.reports.crime.analysis`: :func:`analyse` puts it together
  into :class:`CrimeStats` (and :func:`analyse_kommun` loads the inputs);
* :mod:`~trygghet.reports.crime.text`: the Swedish sentences and narrative;
* :mod:`~trygghet.reports.crime.tables`: display tables (summary, per year,
  Kolada);
* :mod:`~trygghet.reports.crime.figures`: rates per year, the funnel and the
  comparison dot plot;
* :mod:`~trygghet.reports.crime.hobit` and
  :mod:`~trygghet.reports.crime.hobit_figures`: police-recorded crime at
  street level from Hobit extracts (hotspots, time of day and weekday, change
  against the year before by area), counts only, under the small-number rule.
"""

from trygghet.reports.crime.analysis import (
    CrimeStats,
    analyse,
    analyse_kommun,
    load_inputs,
    no_comparison,
    population_origin,
)
from trygghet.reports.crime.comparison import (
    FUNNEL_LEVELS,
    MIN_PEERS,
    ComparisonGroup,
    comparison_group,
)
from trygghet.reports.crime.figures import (
    AREA_ORDER,
    CHART_SOURCE,
    chart_source,
    comparison_caption,
    comparison_data,
    funnel_data,
    panel_title,
    plot_comparison,
    plot_funnel,
    plot_rates,
)
from trygghet.reports.crime.hobit import HobitStats, load_hobit
from trygghet.reports.crime.hobit import analyse_kommun as analyse_hobit_kommun
from trygghet.reports.crime.hobit import caption as hobit_caption
from trygghet.reports.crime.hobit import change_sentence as hobit_change_sentence
from trygghet.reports.crime.hobit import change_table as hobit_change_table
from trygghet.reports.crime.hobit import crimes_per_area as hobit_crimes_per_area
from trygghet.reports.crime.hobit import hot_area_table as hobit_hot_areas
from trygghet.reports.crime.hobit import hotspot_sentence as hobit_hotspot_sentence
from trygghet.reports.crime.hobit import show_banner as show_hobit_banner
from trygghet.reports.crime.hobit import show_change as show_hobit_change
from trygghet.reports.crime.hobit import show_hotspots as show_hobit_hotspots
from trygghet.reports.crime.hobit_figures import boundary_shape as hobit_boundary
from trygghet.reports.crime.hobit_figures import crime_map as hobit_map
from trygghet.reports.crime.hobit_figures import plot_when as plot_hobit_when
from trygghet.reports.crime.rate_table import (
    LEVEL,
    PROMISE_SERIES,
    SERIES,
    area_population,
    area_population_years,
    borrowed_population_years,
    build_rates,
    choose_labels,
    pooled_rate,
    population_year,
)
from trygghet.reports.crime.signals import (
    BREAK_YEAR,
    FLAG_LABELS,
    GREEN_GREEN,
    RED_RED,
    VERDICT_TEXT,
    TrendSummary,
    flag,
    series_trend,
)
from trygghet.reports.crime.tables import (
    POSITION_TEXT,
    kolada_for_kommun,
    kolada_table,
    pooled_cell,
    position_cell,
    summary_table,
    year_table,
)
from trygghet.reports.crime.text import (
    COMPARISON_METHOD,
    NOT_SHOWN,
    PER_100K_TEXT,
    POPULATION_SOURCE,
    SOURCE,
    TEXT_NAMES,
    banner_detail,
    category_paragraph,
    comparison_sentence,
    flag_sentence,
    headline,
    level_sentence,
    narrative,
    population_detail,
    population_sentence,
    show_banners,
    signals_sentence,
    trend_sentence,
    violence_note,
    violence_sentence,
)

__all__ = [
    "AREA_ORDER",
    "BREAK_YEAR",
    "CHART_SOURCE",
    "COMPARISON_METHOD",
    "FLAG_LABELS",
    "FUNNEL_LEVELS",
    "GREEN_GREEN",
    "LEVEL",
    "MIN_PEERS",
    "NOT_SHOWN",
    "PER_100K_TEXT",
    "POPULATION_SOURCE",
    "POSITION_TEXT",
    "PROMISE_SERIES",
    "RED_RED",
    "SERIES",
    "SOURCE",
    "TEXT_NAMES",
    "VERDICT_TEXT",
    "analyse",
    "analyse_hobit_kommun",
    "analyse_kommun",
    "area_population",
    "area_population_years",
    "banner_detail",
    "borrowed_population_years",
    "build_rates",
    "category_paragraph",
    "chart_source",
    "choose_labels",
    "comparison_caption",
    "comparison_data",
    "comparison_group",
    "comparison_sentence",
    "ComparisonGroup",
    "CrimeStats",
    "flag",
    "flag_sentence",
    "funnel_data",
    "headline",
    "hobit_boundary",
    "hobit_caption",
    "hobit_change_sentence",
    "hobit_change_table",
    "hobit_crimes_per_area",
    "hobit_hot_areas",
    "hobit_hotspot_sentence",
    "hobit_map",
    "HobitStats",
    "kolada_for_kommun",
    "kolada_table",
    "level_sentence",
    "load_hobit",
    "load_inputs",
    "narrative",
    "no_comparison",
    "panel_title",
    "plot_comparison",
    "plot_funnel",
    "plot_hobit_when",
    "plot_rates",
    "pooled_cell",
    "pooled_rate",
    "population_detail",
    "population_origin",
    "population_sentence",
    "population_year",
    "position_cell",
    "series_trend",
    "show_banners",
    "show_hobit_banner",
    "show_hobit_change",
    "show_hobit_hotspots",
    "signals_sentence",
    "summary_table",
    "trend_sentence",
    "TrendSummary",
    "violence_note",
    "violence_sentence",
    "year_table",
]
