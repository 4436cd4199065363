"""The EST lägesbild: this week's (or tertial's) reports against what is usual.

Promise 1 ("kommun and police work by EST – effektiv samordning för trygghet")
is kept at a weekly meeting where the partners' reports become a lägesbild,
hotspots are picked and measures decided. This package prepares that meeting:
is anything unusual this week (each source, EST category and place against the
same weeks of earlier years), which places keep coming back, how the decided
measures are going, and the three things to discuss first. A tertial mode
compares a tertial with the same tertial a year earlier. Police events are
read through :mod:`trygghet.sources.police_events` and shown beside the EST
reports, never added to them.

The package, in the order a picture is made:

* ``weeks``: ISO weeks, tertials, the selected week or tertial, counts per week;
* ``verdicts``: the verdict codes and their Swedish labels;
* ``expected``: a weekly count against the expected level from its history;
* ``data``: loading the EST tables, residents' reports and police events;
* ``measures``: measure statuses, overdue ones, reports before and after;
* ``repeats``: repeat places and whether a measure covers them;
* ``agenda``: the three things to discuss first and their sentences;
* ``analysis``: the tertial comparison and :func:`build` of the :class:`Picture`;
* ``text``: banners, the key sentence and the narrative;
* ``tables`` and ``figures``: what the notebook shows.

Other reports use this package only through the names below.
"""

from __future__ import annotations

from trygghet.reports.est.agenda import (
    KIND_ORDER,
    NOTHING_STANDS_OUT,
    NOTHING_STANDS_OUT_TERTIAL,
    Point,
    change_point,
    elevated_point,
    overdue_point,
    repeat_point,
    show_three_things,
    three_things,
    three_things_html,
)
from trygghet.reports.est.analysis import (
    MIN_TERTIAL_TOTAL,
    SOURCE_UNITS,
    Picture,
    build,
    compare_periods,
)
from trygghet.reports.est.data import (
    SOURCE_LABELS,
    EstData,
    SourceSeries,
    load,
    place_key,
    prepare,
)
from trygghet.reports.est.expected import (
    FALLBACK_WEEKS,
    HALF_WIDTH,
    HISTORY_YEARS,
    INTERVAL_LEVEL,
    MIN_FLAG_COUNT,
    MIN_HISTORY,
    VERY_UNUSUAL,
    Assessment,
    assess,
    band_series,
    flag_table,
    history_weeks,
)
from trygghet.reports.est.figures import (
    chart_weeks,
    figure_caption,
    heatmap_table,
    plot_heatmap,
    plot_repeat_places,
    plot_weekly,
    weekly_band,
)
from trygghet.reports.est.measures import (
    MEASURE_LIST_WEEKS,
    MEASURE_WINDOW,
    MIN_AFTER_WEEKS,
    MIN_MEASURE_TOTAL,
    OPEN_STATUSES,
    OVERDUE_WEEKS,
    before_after,
    measure_followup,
    open_at,
)
from trygghet.reports.est.repeats import (
    MEASURE_GRACE_WEEKS,
    REPEAT_MIN_WEEKS,
    REPEAT_WINDOW,
    repeat_places,
    repeat_window,
)
from trygghet.reports.est.tables import (
    category_table,
    measures_table,
    place_table,
    repeat_table,
    sources_table,
)
from trygghet.reports.est.text import (
    SOURCE_EST,
    SOURCE_POLICE,
    SOURCE_RESIDENTS,
    banners,
    expected_explanation,
    headline,
    history_description,
    level_sentence,
    measure_sentence,
    narrative,
    show_banners,
    tertial_sentence,
    week_headline,
)
from trygghet.reports.est.verdicts import (
    ALPHA,
    CHANGE_LABELS,
    ELEVATED_VERDICTS,
    FEWER,
    LOWER,
    MISSING,
    MORE,
    NO_CLEAR_CHANGE,
    NO_COMPARISON,
    SHORT_HISTORY,
    TOO_EARLY,
    TOO_FEW,
    UNUSUAL_HIGH,
    USUAL,
    VERDICT_LABELS,
    VERDICT_ORDER,
    VERY_UNUSUAL_HIGH,
)
from trygghet.reports.est.weeks import (
    MODES,
    TERTIALS,
    WEEK,
    Selection,
    iso_monday,
    last_complete_week,
    monday_of,
    parse_week,
    select,
    tertial_name,
    tertial_weeks,
    week_label,
    week_name,
    weekly_counts,
    weeks_in_year,
)

__all__ = [
    "TERTIALS",
    "MODES",
    "WEEK",
    "monday_of",
    "parse_week",
    "week_label",
    "week_name",
    "weeks_in_year",
    "iso_monday",
    "tertial_weeks",
    "tertial_name",
    "Selection",
    "last_complete_week",
    "select",
    "weekly_counts",
    "ALPHA",
    "VERY_UNUSUAL_HIGH",
    "UNUSUAL_HIGH",
    "LOWER",
    "USUAL",
    "TOO_FEW",
    "SHORT_HISTORY",
    "MISSING",
    "VERDICT_LABELS",
    "ELEVATED_VERDICTS",
    "VERDICT_ORDER",
    "FEWER",
    "MORE",
    "NO_CLEAR_CHANGE",
    "TOO_EARLY",
    "NO_COMPARISON",
    "CHANGE_LABELS",
    "HISTORY_YEARS",
    "HALF_WIDTH",
    "FALLBACK_WEEKS",
    "MIN_HISTORY",
    "VERY_UNUSUAL",
    "INTERVAL_LEVEL",
    "MIN_FLAG_COUNT",
    "history_weeks",
    "Assessment",
    "assess",
    "flag_table",
    "band_series",
    "SOURCE_LABELS",
    "SourceSeries",
    "EstData",
    "place_key",
    "prepare",
    "load",
    "OVERDUE_WEEKS",
    "MEASURE_WINDOW",
    "MIN_AFTER_WEEKS",
    "MIN_MEASURE_TOTAL",
    "MEASURE_LIST_WEEKS",
    "OPEN_STATUSES",
    "open_at",
    "before_after",
    "measure_followup",
    "REPEAT_WINDOW",
    "REPEAT_MIN_WEEKS",
    "MEASURE_GRACE_WEEKS",
    "repeat_places",
    "repeat_window",
    "elevated_point",
    "repeat_point",
    "overdue_point",
    "change_point",
    "NOTHING_STANDS_OUT",
    "NOTHING_STANDS_OUT_TERTIAL",
    "Point",
    "KIND_ORDER",
    "three_things",
    "three_things_html",
    "show_three_things",
    "MIN_TERTIAL_TOTAL",
    "compare_periods",
    "Picture",
    "SOURCE_UNITS",
    "build",
    "SOURCE_EST",
    "SOURCE_POLICE",
    "SOURCE_RESIDENTS",
    "history_description",
    "banners",
    "show_banners",
    "level_sentence",
    "measure_sentence",
    "headline",
    "week_headline",
    "tertial_sentence",
    "expected_explanation",
    "narrative",
    "sources_table",
    "category_table",
    "place_table",
    "repeat_table",
    "measures_table",
    "chart_weeks",
    "weekly_band",
    "plot_weekly",
    "heatmap_table",
    "plot_heatmap",
    "plot_repeat_places",
    "figure_caption",
]
