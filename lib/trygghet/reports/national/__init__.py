"""The national overview: every kommun of a batch compared on the comparable indicators.

The overview (``notebooks/riket/01_riksoversikt.ipynb``) follows up which
kommuner stand out, without ranking small kommuner on noise: each part is a
funnel plot around a pooled centre. Police events (real data): the share of a
kommun's published events in the promise groups, against the country, and a
map of Sweden coloured by funnel class; never divided by population. Victim
contact and reported crime (example data): the on-time share of promise 4 and
reported crime per 100 000, each against the batch, read from the records each
kommun's own run published (never recomputed). A part without data is skipped
with a sentence naming why for each kommun.

The package is split by job:

* :mod:`~trygghet.reports.national.analysis`: parameters, loading and the
  funnel classes of the three parts (:class:`Overview`, :func:`analyse`);
* :mod:`~trygghet.reports.national.text`: the Swedish headline, narratives,
  banner detail and caveats;
* :mod:`~trygghet.reports.national.page`: the start of the page (parameters,
  chart style, header);
* :mod:`~trygghet.reports.national.tables`: the table of kommuner outside the
  police funnel, and each kommun's victim share and crime rate as its page shows them;
* :mod:`~trygghet.reports.national.figures`: the three funnel plots and their
  captions;
* :mod:`~trygghet.reports.national.map`: the offline map of Sweden.

Leaf reports are used only through their packages
(:mod:`trygghet.reports.victim_contact`, :mod:`trygghet.reports.crime`,
:mod:`trygghet.reports.indicators` for the reports' names).
"""

from trygghet.reports.national.analysis import (
    CRIME_RECORD,
    LEVELS,
    MIN_EVENTS,
    NOT_IN_BATCH,
    TOO_FEW,
    VICTIM_RECORD,
    NationalContext,
    Overview,
    analyse,
    classify_share,
    crime_rates,
    load_boundaries,
    load_events,
    load_records,
    outside_counts,
    parse_kommuner,
    part_origin,
    police_origin,
    police_shares,
    population_origin,
    records_path,
    victim_shares,
)
from trygghet.reports.national.figures import (
    CLASS_COLOURS,
    CRIME_SOURCE,
    POLICE_SOURCE,
    VICTIM_SOURCE,
    crime_caption,
    plot_crime_funnel,
    plot_police_funnel,
    plot_victim_funnel,
    police_caption,
    victim_caption,
)
from trygghet.reports.national.map import (
    MAP_SOURCE,
    SIMPLIFY_DEGREES,
    MapView,
    map_caption,
    map_skipped_sentence,
    police_map,
    police_map_html,
)
from trygghet.reports.national.page import header_html, start
from trygghet.reports.national.tables import (
    crime_table,
    police_outlier_table,
    police_outliers,
    victim_table,
)
from trygghet.reports.national.text import (
    CLASS_LABELS,
    PART_SOURCES,
    POLICE_NOT_RATE,
    PROMISE_GROUP_TEXT,
    batch_text,
    cannot_say_text,
    crime_sentence,
    headline,
    not_shown_text,
    police_banner_detail,
    police_sentence,
    show_part_banner,
    victim_sentence,
)

__all__ = [
    "CLASS_COLOURS",
    "CLASS_LABELS",
    "CRIME_RECORD",
    "CRIME_SOURCE",
    "LEVELS",
    "MAP_SOURCE",
    "MIN_EVENTS",
    "NOT_IN_BATCH",
    "PART_SOURCES",
    "POLICE_NOT_RATE",
    "POLICE_SOURCE",
    "PROMISE_GROUP_TEXT",
    "SIMPLIFY_DEGREES",
    "TOO_FEW",
    "VICTIM_RECORD",
    "VICTIM_SOURCE",
    "MapView",
    "NationalContext",
    "Overview",
    "analyse",
    "batch_text",
    "cannot_say_text",
    "classify_share",
    "crime_caption",
    "crime_rates",
    "crime_sentence",
    "crime_table",
    "header_html",
    "headline",
    "load_boundaries",
    "load_events",
    "load_records",
    "map_caption",
    "map_skipped_sentence",
    "not_shown_text",
    "outside_counts",
    "parse_kommuner",
    "part_origin",
    "plot_crime_funnel",
    "plot_police_funnel",
    "plot_victim_funnel",
    "police_banner_detail",
    "police_caption",
    "police_map",
    "police_map_html",
    "police_origin",
    "police_outlier_table",
    "police_outliers",
    "police_sentence",
    "show_part_banner",
    "police_shares",
    "population_origin",
    "records_path",
    "start",
    "victim_caption",
    "victim_sentence",
    "victim_table",
    "victim_shares",
]
