"""The follow-up in words: indicator values, intervals, baselines, targets and the headline."""

from __future__ import annotations

from collections.abc import Sequence

from trygghet.config import Indicator
from trygghet.present.small_numbers import FEW
from trygghet.present.swedish import fmt_int, join_list, plural
from trygghet.reports.followup.evaluate import IndicatorResult, PromiseResult, status_counts
from trygghet.reports.indicators import format_value

CHANGE_WORDS = {"up": "säker ökning", "down": "säker minskning", "none": "ingen säker förändring"}


def baseline_text(result: IndicatorResult) -> str:
    """``"31 % (2024); ingen säker förändring"``."""
    v, ind = result.value, result.indicator
    if v.baseline is None:
        return (
            "ingen basperiod" if ind.baseline_period is None else f"saknas ({ind.baseline_period})"
        )
    when = f" ({ind.baseline_period})" if ind.baseline_period is not None else " (förra omgången)"
    change = f"; {CHANGE_WORDS[v.change]}" if v.change in CHANGE_WORDS else ""
    # A baseline on fewer cases than min_count is "fåtal": a rate of 20 built on two
    # crimes reads as a level it is not (the small-number rule covers baselines too).
    shown = FEW if v.baseline_too_few else format_value(v.baseline, ind.unit)
    return f"{shown}{when}{change}"


def target_text(ind: Indicator) -> str:
    """The target in words: ``"minst 90 %"``, ``"högst 4,0 v."``, ``"lägre än basperioden"``."""
    if ind.target is None:
        return {
            "higher_is_better": "högre än basperioden",
            "lower_is_better": "lägre än basperioden",
        }.get(ind.direction, "inget mål (följs)")
    word = {"higher_is_better": "minst", "lower_is_better": "högst"}.get(ind.direction, "nivå")
    return f"{word} {format_value(ind.target, ind.unit)}"


def headline(results: Sequence[PromiseResult], kommun_name: str, period: int) -> str:
    """The report's key sentence: how many indicators have which status."""
    counts = status_counts(results)
    total = sum(counts.values())
    if total == 0:
        return (
            f"{kommun_name}s medborgarlöften {period} har inga indikatorer i konfigurationen "
            "ännu, så inget kan följas upp med siffror."
        )
    parts = [f"{fmt_int(n)} {s}" for s, n in counts.items() if n]
    return (
        f"Uppföljning av {plural(len(results), 'medborgarlöfte', 'medborgarlöften')} i "
        f"{kommun_name} {period}: av {plural(total, 'indikator', 'indikatorer')} är "
        f"{join_list(parts)}."
    )
