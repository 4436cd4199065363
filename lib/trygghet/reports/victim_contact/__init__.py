"""Promise 4: the crime victim is contacted within one week after an investigator is assigned.

The report follows up the share of crime victims contacted within
``target_days`` (default 7) of an investigator being assigned, against the
target share (default 90 %, or the kommun's own indicator in its config):
the share with a Wilson interval and a verdict, with cases whose week was
still running at the extract left out; the delay from a Kaplan–Meier
estimate; a monthly p-chart; and crime categories against the kommun's
average in a funnel.

Input is the processed table ``victim_contacts`` (one pseudonymous row per
case). Everything shown is aggregated: no table or chart has one row or point
per case, and every count of fewer than ``min_count`` cases is shown as
"fåtal". Privacy: month + category + area + delay can single out a case in a
small kommun, so breakdowns by area are not offered; breakdowns by crime
category suppress groups under ``min_count`` cases, and the Kaplan–Meier
curve is drawn only while at least ``min_count`` cases remain at risk.

The package is split by job:

* :mod:`~trygghet.reports.victim_contact.analysis`: the target, loading, the
  on-time/late/open rule, shares, verdicts, the p-chart and the comparisons
  (the definitions are written down there);
* :mod:`~trygghet.reports.victim_contact.delay`: the Kaplan–Meier estimate of
  the days to first contact;
* :mod:`~trygghet.reports.victim_contact.text`: the Swedish words, the
  headline and the narrative;
* :mod:`~trygghet.reports.victim_contact.tables`: key figures, per quarter and
  per crime category;
* :mod:`~trygghet.reports.victim_contact.figures`: p-chart, category shares,
  funnel and delay curve;
* :mod:`~trygghet.reports.victim_contact.indicator`: the config's indicator
  function ``victim_contact.on_time_indicator``. Configs name functions as
  ``victim_contact.<function>`` and the follow-up looks them up on this
  package, so such functions must stay re-exported here.
"""

from trygghet.reports.victim_contact.analysis import (
    MET,
    MIN_CASES_FOR_VERDICT,
    NOT_MET,
    TABLE,
    TARGET_DAYS,
    TARGET_SHARE,
    TOO_FEW,
    UNCERTAIN,
    VERDICTS,
    OnTimeShare,
    Target,
    aggregate,
    cases_in_period,
    category_comparison,
    classify,
    compare_with_previous,
    load,
    on_time_share,
    p_chart,
    target_from,
    verdict,
    verdict_from_interval,
)
from trygghet.reports.victim_contact.delay import (
    KM_MAX_DAYS,
    DelaySummary,
    delay_summary,
    kaplan_meier,
    km_contacted_by,
    km_for_cases,
    km_quantile,
)
from trygghet.reports.victim_contact.figures import (
    plot_category_shares,
    plot_delay,
    plot_funnel,
    plot_p_chart,
)
from trygghet.reports.victim_contact.indicator import on_time_indicator
from trygghet.reports.victim_contact.tables import category_table, key_figures, period_table
from trygghet.reports.victim_contact.text import (
    CATEGORY_LABELS,
    FEW,
    MISSING,
    SOURCE_TEXT,
    category_sentence,
    count_text,
    coverage_text,
    days_text,
    delay_sentence,
    headline,
    interval_text,
    month_label,
    narrative,
    p_chart_sentence,
    target_text,
    trend_sentence,
    uncontacted_sentence,
)

__all__ = [
    "CATEGORY_LABELS",
    "FEW",
    "KM_MAX_DAYS",
    "MET",
    "MIN_CASES_FOR_VERDICT",
    "MISSING",
    "NOT_MET",
    "SOURCE_TEXT",
    "TABLE",
    "TARGET_DAYS",
    "TARGET_SHARE",
    "TOO_FEW",
    "UNCERTAIN",
    "VERDICTS",
    "DelaySummary",
    "OnTimeShare",
    "Target",
    "aggregate",
    "cases_in_period",
    "category_comparison",
    "category_sentence",
    "category_table",
    "classify",
    "compare_with_previous",
    "count_text",
    "coverage_text",
    "days_text",
    "delay_sentence",
    "delay_summary",
    "headline",
    "interval_text",
    "kaplan_meier",
    "key_figures",
    "km_contacted_by",
    "km_for_cases",
    "km_quantile",
    "load",
    "month_label",
    "narrative",
    "on_time_indicator",
    "on_time_share",
    "p_chart",
    "p_chart_sentence",
    "period_table",
    "plot_category_shares",
    "plot_delay",
    "plot_funnel",
    "plot_p_chart",
    "target_from",
    "target_text",
    "trend_sentence",
    "uncontacted_sentence",
    "verdict",
    "verdict_from_interval",
]
