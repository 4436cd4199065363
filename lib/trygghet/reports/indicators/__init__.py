"""The promise indicators: what a kommun's config can name, computed in the report that owns it.

- :mod:`~trygghet.reports.indicators.registry`: the ``module.function`` a
  config names, found and called; what each function declares (``IndicatorSpec``);
- :mod:`~trygghet.reports.indicators.functions` and
  :mod:`~trygghet.reports.indicators.dialogues`: the standard indicator
  functions, each adapting one leaf report's analysis;
- :mod:`~trygghet.reports.indicators.publication`: a report's run computes its
  indicators (and the figures other pages show) and publishes them as
  records (:mod:`trygghet.stats.records`).

It sits above the leaf reports and below the follow-up: the follow-up reads
the records these functions produced, and never calls them.
"""

from trygghet.reports.indicators.areas import AREA_FIGURES, AreaInputs, area_inputs
from trygghet.reports.indicators.functions import SPECS
from trygghet.reports.indicators.publication import (
    FIGURES,
    REPORTS,
    call_params,
    check_indicators,
    indicator_key,
    promise_record,
    promise_records,
    publish,
    record_id,
    records_folder,
    records_of,
    report_of,
    spec_of,
    value_of,
)
from trygghet.reports.indicators.registry import (
    INDICATOR_MODULES,
    IndicatorFunction,
    IndicatorSpec,
    Param,
    compute,
    resolve_function,
)
from trygghet.reports.indicators.shown import (
    figure_html,
    format_value,
    interval_text,
    records_table_html,
)
from trygghet.reports.indicators.views import (
    TOPIC_REPORTS,
    publish_views,
    read_views,
    topic_of,
    topic_views,
    view_item,
    views_file,
)

__all__ = [
    "TOPIC_REPORTS",
    "publish_views",
    "read_views",
    "topic_of",
    "topic_views",
    "view_item",
    "views_file",
    "AREA_FIGURES",
    "AreaInputs",
    "area_inputs",
    "FIGURES",
    "INDICATOR_MODULES",
    "REPORTS",
    "SPECS",
    "IndicatorFunction",
    "IndicatorSpec",
    "Param",
    "call_params",
    "figure_html",
    "format_value",
    "interval_text",
    "records_table_html",
    "check_indicators",
    "compute",
    "indicator_key",
    "promise_record",
    "promise_records",
    "publish",
    "record_id",
    "records_folder",
    "records_of",
    "report_of",
    "resolve_function",
    "spec_of",
    "value_of",
]
