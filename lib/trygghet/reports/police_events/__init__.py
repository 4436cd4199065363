"""Polisens händelser for one kommun and one year: what the police published, not crime.

The police publish a selection of their events on polisen.se (what they judge
to be of public interest). This report describes *what the police published*
about a kommun: how many events, of which types, when in the day and week, and
how the promise groups (narkotika, trafik, ordning) compare with the same
months of earlier years. It is deliberately not crime statistics: event counts
are never divided by population, and every narrative says so.

An event belongs to the kommun if its ``location.name`` is the kommun, or it
was published at län level and the kommun was resolved from its title or text
(see :mod:`trygghet.sources.polisen`); loading and selecting events is the
source's job (:mod:`trygghet.sources.police_events`, re-exported here for the
notebooks). Years are those of the incident time in the title (the publication
time when the title has none).

The package: ``analysis`` (counts and the comparison with earlier years),
``text`` (Swedish sentences), ``tables`` (display tables), ``figures`` (charts).
"""

from __future__ import annotations

from trygghet.reports.police_events.analysis import (
    DAY_PART_DEFINITE,
    DAY_PARTS,
    GROUP_LABELS,
    MIN_EVENTS_FOR_COMPARISON,
    MIN_EVENTS_FOR_PATTERN,
    MIN_RELATIVE_CHANGE,
    NOISE_SD,
    OTHER_GROUP,
    classify_change,
    compare_same_months,
    events_per_area,
    monthly_by_group,
    monthly_by_type,
    promise_group_counts,
    time_of_day_profile,
    type_counts,
    weekday_profile,
)
from trygghet.reports.police_events.figures import (
    plot_by_type,
    plot_monthly,
    plot_time_of_day,
    plot_weekday,
)
from trygghet.reports.police_events.tables import (
    monthly_table,
    same_months_table,
)
from trygghet.reports.police_events.text import (
    CAVEAT,
    SOURCE,
    coverage_text,
    headline,
    narrative,
)
from trygghet.sources.police_events import (
    Coverage,
    archive_path,
    countable,
    coverage_of,
    event_time,
    events_for_kommun,
    load_for_report,
    origin_of,
    processed_path,
    read_archive,
    read_archive_file,
    summary_count,
)

__all__ = [
    "events_per_area",
    "CAVEAT",
    "Coverage",
    "DAY_PARTS",
    "DAY_PART_DEFINITE",
    "GROUP_LABELS",
    "MIN_EVENTS_FOR_COMPARISON",
    "MIN_EVENTS_FOR_PATTERN",
    "MIN_RELATIVE_CHANGE",
    "NOISE_SD",
    "OTHER_GROUP",
    "SOURCE",
    "archive_path",
    "classify_change",
    "compare_same_months",
    "countable",
    "coverage_of",
    "coverage_text",
    "event_time",
    "events_for_kommun",
    "headline",
    "load_for_report",
    "monthly_by_group",
    "monthly_by_type",
    "monthly_table",
    "narrative",
    "origin_of",
    "plot_by_type",
    "plot_monthly",
    "plot_time_of_day",
    "plot_weekday",
    "processed_path",
    "promise_group_counts",
    "read_archive",
    "read_archive_file",
    "same_months_table",
    "summary_count",
    "time_of_day_profile",
    "type_counts",
    "weekday_profile",
]
