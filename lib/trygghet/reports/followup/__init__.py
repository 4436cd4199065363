"""The medborgarlöften follow-up: one row per promise, status and story, for the BRÅ meeting.

The kommun's config lists, per promise, the indicators that follow it up. The
follow-up checks and computes them, decides each status by the rule of
:mod:`trygghet.stats.status`, and shows the first page, a section per promise,
the triangulation per area, what changed since last time and the caveats. It
reads the leaf reports only through their packages (``est.build``,
``places.analyse``, ``sa.compare_rounds`` ...), so the follow-up and the
analysis reports never disagree on a figure.

The package is split by job:

- :mod:`~trygghet.reports.followup.evaluate`: checking the config and reading
  every indicator's record (value, interval, status), published by the report
  that computed it (:mod:`trygghet.reports.indicators`); the follow-up never
  recomputes a figure;
- :mod:`~trygghet.reports.followup.decision`: the decision page that opens
  the report (what works, what does not, what to decide), from the records;
- :mod:`~trygghet.reports.followup.slides`: the same as slides for the meeting;
- :mod:`~trygghet.reports.followup.text`: values, intervals, baselines,
  targets and the headline in Swedish;
- :mod:`~trygghet.reports.followup.tables`: the first page and the small HTML tables;
- :mod:`~trygghet.reports.followup.sections`: a section per promise with the
  key chart or map, its text and its data sources; the data banners;
- :mod:`~trygghet.reports.followup.triangulation`: the same area in every source;
- :mod:`~trygghet.reports.followup.history`: since last time;
- :mod:`~trygghet.reports.followup.caveats`: the assumptions actually used.

Every text that goes into HTML passes the page gate
(:func:`trygghet.present.gate.html_text`: scrubbed and escaped), every caption
and table built on example data says EXEMPELDATA, and residents' free text and
exact positions are never read into any output.
"""

from trygghet.reports.followup.caveats import caveats, caveats_html, show_caveats
from trygghet.reports.followup.decision import (
    PromiseDecision,
    decision_html,
    decisions,
    needed,
    show_decisions,
)
from trygghet.reports.followup.evaluate import (
    FOLLOWUP,
    IndicatorResult,
    PromiseResult,
    check_indicators,
    evaluate,
    indicator_key,
    publish,
    status_counts,
    topic_of,
    unpublished_records,
)
from trygghet.reports.followup.history import (
    HISTORY_NAME,
    changes_since,
    history_entry,
    history_path,
    load_history,
    previous_entry,
    record_history,
    show_since_last_time,
    since_sentence,
)
from trygghet.reports.followup.sections import (
    ORIGIN_WORDS,
    TABLE_LABELS,
    TOPIC_EXTRA_SOURCES,
    TOPIC_LABELS,
    TOPIC_TABLES,
    data_banners,
    show_promise_sections,
    source_rows,
    sources_html,
    topic_origin,
)
from trygghet.reports.followup.slides import show_slides, slides_html
from trygghet.reports.followup.tables import (
    STATUS_TINT,
    first_page_html,
    show_first_page,
    status_html,
    table_html,
)
from trygghet.reports.followup.text import (
    CHANGE_WORDS,
    baseline_text,
    headline,
    target_text,
)
from trygghet.reports.followup.triangulation import (
    AREA_RADIUS_M,
    FLAG_TEXT,
    INSECURITY_DIFF,
    assign_areas,
    disagreement,
    reported_level,
    show_triangulation,
    triangulation,
    triangulation_sentence,
    triangulation_table,
    unavailable_sentence,
)
from trygghet.reports.indicators import (
    INDICATOR_MODULES,
    IndicatorFunction,
    compute,
    format_value,
    interval_text,
    resolve_function,
)

__all__ = [
    "AREA_RADIUS_M",
    "CHANGE_WORDS",
    "FLAG_TEXT",
    "HISTORY_NAME",
    "INDICATOR_MODULES",
    "INSECURITY_DIFF",
    "ORIGIN_WORDS",
    "STATUS_TINT",
    "TABLE_LABELS",
    "TOPIC_LABELS",
    "TOPIC_EXTRA_SOURCES",
    "TOPIC_TABLES",
    "IndicatorFunction",
    "IndicatorResult",
    "PromiseResult",
    "assign_areas",
    "baseline_text",
    "caveats",
    "caveats_html",
    "changes_since",
    "check_indicators",
    "compute",
    "data_banners",
    "disagreement",
    "evaluate",
    "show_slides",
    "slides_html",
    "PromiseDecision",
    "decision_html",
    "decisions",
    "needed",
    "show_decisions",
    "FOLLOWUP",
    "publish",
    "unpublished_records",
    "first_page_html",
    "format_value",
    "headline",
    "history_entry",
    "history_path",
    "indicator_key",
    "interval_text",
    "load_history",
    "previous_entry",
    "record_history",
    "reported_level",
    "resolve_function",
    "show_caveats",
    "show_first_page",
    "show_promise_sections",
    "show_since_last_time",
    "show_triangulation",
    "since_sentence",
    "source_rows",
    "sources_html",
    "status_counts",
    "status_html",
    "table_html",
    "target_text",
    "topic_of",
    "topic_origin",
    "triangulation",
    "triangulation_sentence",
    "triangulation_table",
    "unavailable_sentence",
]
