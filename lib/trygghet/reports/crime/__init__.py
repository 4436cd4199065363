"""Reported crime (Brå) for medborgarlöfte 3: rates, comparisons, trends, text, charts.

Promise 3 is about drug crime, traffic crime and public-order disturbances. A
council wants to know three things about each: how much is reported here, is
it more than in comparable kommuner, and is it getting better or worse. The
report answers each with the uncertainty a small kommun needs: rates per
100 000 with exact Poisson intervals ("fåtal" below ``min_count``, Brå's
secret and missing cells never zero), a funnel against a comparison group of
similar kommuner, a Poisson trend from 2015, and "röd-röd" / "grön-grön"
signals where level and trend agree.

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
  comparison dot plot.
"""

from trygghet.reports.crime.analysis import (
    CrimeStats,
    analyse,
    analyse_kommun,
    load_inputs,
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
    comparison_data,
    funnel_data,
    plot_comparison,
    plot_funnel,
    plot_rates,
)
from trygghet.reports.crime.rate_table import (
    LEVEL,
    PROMISE_SERIES,
    SERIES,
    area_population,
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
    summary_table,
    year_table,
)
from trygghet.reports.crime.text import (
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
    show_banners,
    signals_sentence,
    trend_sentence,
)

__all__ = [
    "AREA_ORDER",
    "BREAK_YEAR",
    "CHART_SOURCE",
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
    "ComparisonGroup",
    "CrimeStats",
    "TrendSummary",
    "analyse",
    "analyse_kommun",
    "area_population",
    "banner_detail",
    "build_rates",
    "category_paragraph",
    "choose_labels",
    "chart_source",
    "comparison_data",
    "comparison_group",
    "comparison_sentence",
    "flag",
    "flag_sentence",
    "funnel_data",
    "headline",
    "kolada_for_kommun",
    "kolada_table",
    "level_sentence",
    "load_inputs",
    "narrative",
    "plot_comparison",
    "plot_funnel",
    "plot_rates",
    "pooled_rate",
    "population_detail",
    "population_origin",
    "population_year",
    "series_trend",
    "show_banners",
    "signals_sentence",
    "summary_table",
    "trend_sentence",
    "year_table",
]
