"""Promise 2: insecurity in public places, safety walks and what came of them.

The report answers three questions for one kommun and one period (a year):

1. **Where and when do residents report feeling unsafe?** Residents' reports
   counted by category, month, season and part of the day, and the change
   against the previous year (:mod:`~trygghet.reports.places.counts`);
   hotspots on an H3 grid with Gi* and FDR control
   (:mod:`~trygghet.reports.places.hotspots`).
2. **What was promised at the safety walks, and was it done?** Walk measures
   as tracked data, overdue and done by the deadline
   (:mod:`~trygghet.reports.places.walks`).
3. **Did anything change around the completed measures?** Reports near them
   before and after, against the rest of the kommun
   (:mod:`~trygghet.reports.places.before_after`).
4. **Were dialogues held in every area, and did they lead to measures?**
   Dialogues per area, who took part, themes against residents' reports and the
   chain proposal → decided measure → done on time
   (:mod:`~trygghet.reports.places.dialogues`; sentences and tables in
   :mod:`~trygghet.reports.places.dialogues_text`, charts in
   :mod:`~trygghet.reports.places.dialogues_figures`).

The rest of the package: :mod:`~trygghet.reports.places.analysis` loads the
tables and runs everything once (:func:`analyse`);
:mod:`~trygghet.reports.places.tally` holds every count the page shows more
than once, each from one definition (:class:`ReportCounts`,
:class:`OverdueCounts`);
:mod:`~trygghet.reports.places.geo` measures distances and names places
without coordinates; :mod:`~trygghet.reports.places.privacy` keeps free text
and exact positions off the page; :mod:`~trygghet.reports.places.text`,
:mod:`~trygghet.reports.places.tables`, :mod:`~trygghet.reports.places.figures`
and :mod:`~trygghet.reports.places.maps` put the results on the page.
"""

from __future__ import annotations

from trygghet.reports.places.analysis import PlacesAnalysis, analyse, load, load_boundary
from trygghet.reports.places.before_after import (
    MIN_NEAR_FOR_DID,
    NEAR_RADIUS_M,
    WINDOW_DAYS,
    BeforeAfter,
    DidResult,
    before_after,
    did_test,
)
from trygghet.reports.places.counts import (
    DAY_PARTS,
    MIN_TOTAL_FOR_VERDICT,
    NO_COMPARISON,
    SEASONS,
    PeriodWindow,
    category_change,
    change_verdict,
    monthly_by_category,
    period_window,
    reports_per_area,
    season_counts,
    time_of_day,
)
from trygghet.reports.places.dialogues import (
    DIALOGUES_SOURCE,
    DialogueAnalysis,
    DialogueData,
    analyse_dialogues,
    area_counts,
    areas_covered,
    areas_without_dialogue,
    chain,
    chain_by,
    days_to_decision,
    load_dialogues,
    participant_counts,
    theme_counts,
)
from trygghet.reports.places.dialogues_figures import plot_dialogue_chain, plot_dialogues_by_area
from trygghet.reports.places.dialogues_text import (
    dialogue_area_table,
    dialogue_banner,
    dialogue_chain_by_table,
    dialogue_chain_table,
    dialogue_coverage_text,
    dialogue_participants_table,
    dialogue_text,
    dialogue_theme_table,
)
from trygghet.reports.places.figures import (
    plot_before_after,
    plot_category_change,
    plot_completion,
    plot_monthly_by_category,
)
from trygghet.reports.places.geo import area_points, haversine_m, place_label
from trygghet.reports.places.hotspots import (
    H3_RESOLUTION,
    hotspot_analysis,
    hotspot_table,
    study_area_cells,
)
from trygghet.reports.places.maps import map_layers, reports_map, reports_map_caption, walks_map
from trygghet.reports.places.privacy import (
    FORBIDDEN_COLUMNS,
    assert_display_safe,
    display_table,
    rendered_html_problems,
)
from trygghet.reports.places.tables import (
    before_after_table,
    category_change_table,
    completion_table,
    followup_table,
    hotspot_display,
    season_table,
    time_of_day_table,
    walk_observations_table,
)
from trygghet.reports.places.tally import (
    OverdueCounts,
    ReportCounts,
    overdue_counts,
    report_counts,
)
from trygghet.reports.places.text import (
    REPORTS_SOURCE,
    VERDICT_LABELS,
    WALKS_SOURCE,
    change_sentence,
    did_sentence,
    headline,
    hotspot_sentence,
    map_counts_text,
    narrative,
    origin_label,
    overall_completion_text,
    period_reports_text,
    promise_text,
    reports_coverage_text,
    source_label,
    study_area_text,
    walks_coverage_text,
    walks_sentence,
)
from trygghet.reports.places.walks import (
    as_of_date,
    completion_by,
    observations_in_scope,
    overdue_at,
)

__all__ = [
    "reports_per_area",
    "DAY_PARTS",
    "DIALOGUES_SOURCE",
    "FORBIDDEN_COLUMNS",
    "H3_RESOLUTION",
    "MIN_NEAR_FOR_DID",
    "MIN_TOTAL_FOR_VERDICT",
    "NEAR_RADIUS_M",
    "NO_COMPARISON",
    "REPORTS_SOURCE",
    "SEASONS",
    "VERDICT_LABELS",
    "WALKS_SOURCE",
    "WINDOW_DAYS",
    "BeforeAfter",
    "DialogueAnalysis",
    "DialogueData",
    "DidResult",
    "OverdueCounts",
    "ReportCounts",
    "PeriodWindow",
    "PlacesAnalysis",
    "analyse",
    "analyse_dialogues",
    "area_counts",
    "area_points",
    "areas_covered",
    "areas_without_dialogue",
    "as_of_date",
    "assert_display_safe",
    "before_after",
    "before_after_table",
    "category_change",
    "category_change_table",
    "chain",
    "chain_by",
    "change_sentence",
    "change_verdict",
    "completion_by",
    "completion_table",
    "days_to_decision",
    "dialogue_area_table",
    "dialogue_banner",
    "dialogue_chain_by_table",
    "dialogue_chain_table",
    "dialogue_coverage_text",
    "dialogue_participants_table",
    "dialogue_text",
    "dialogue_theme_table",
    "did_sentence",
    "did_test",
    "display_table",
    "followup_table",
    "haversine_m",
    "headline",
    "hotspot_analysis",
    "hotspot_display",
    "hotspot_sentence",
    "hotspot_table",
    "load",
    "load_boundary",
    "load_dialogues",
    "map_counts_text",
    "map_layers",
    "monthly_by_category",
    "narrative",
    "observations_in_scope",
    "overall_completion_text",
    "overdue_counts",
    "overdue_at",
    "participant_counts",
    "period_reports_text",
    "period_window",
    "place_label",
    "plot_before_after",
    "plot_category_change",
    "plot_completion",
    "plot_dialogue_chain",
    "plot_dialogues_by_area",
    "plot_monthly_by_category",
    "promise_text",
    "rendered_html_problems",
    "reports_coverage_text",
    "report_counts",
    "reports_map",
    "reports_map_caption",
    "season_counts",
    "season_table",
    "origin_label",
    "source_label",
    "study_area_cells",
    "study_area_text",
    "theme_counts",
    "time_of_day",
    "time_of_day_table",
    "walk_observations_table",
    "walks_coverage_text",
    "walks_map",
    "walks_sentence",
]
