"""Promise 4 as an indicator of the kommun config (``victim_contact.on_time_indicator``).

The follow-up report resolves the config's ``victim_contact.<function>`` names
on the package :mod:`trygghet.reports.victim_contact`, which re-exports this.
"""

from __future__ import annotations

import math
from typing import Any

from trygghet.present.swedish import fmt_percent
from trygghet.reports.victim_contact.analysis import (
    TARGET_DAYS,
    Target,
    cases_in_period,
    load,
    on_time_share,
)
from trygghet.reports.victim_contact.text import MISSING
from trygghet.sources import processed
from trygghet.stats.status import IndicatorValue


def on_time_indicator(context: Any, target_days: int = TARGET_DAYS) -> Any:
    """Indicator function for the kommun config (``victim_contact.on_time_indicator``)."""
    target = Target(days=int(target_days), min_count=context.config.min_count)
    cases = load(context.kommun)
    result = on_time_share(cases_in_period(cases, context.period), target)
    too_few = result.decided < target.min_cases
    return IndicatorValue(
        value=None if math.isnan(result.share) else result.share,
        low=None if math.isnan(result.low) else result.low,
        high=None if math.isnan(result.high) else result.high,
        n=result.decided,
        too_few=too_few,
        text=MISSING if too_few else fmt_percent(result.share),
        origin=processed.origin(cases),
    )
