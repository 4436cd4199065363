"""The rule that decides the status of an indicator that follows up a promise.

A kommun lists, per promise, the indicators that follow it up (in its config
file): which library function computes it, its unit, its baseline period, its
target (a level, or only a direction) and whether higher or lower is better.
Each indicator function returns an :class:`IndicatorValue`: a value with its
interval, so that the status can respect the uncertainty. (Finding and calling
the function a config names is the follow-up report's job, not this module's.)

The status rule (documented here because the council acts on it):

* **kan inte bedömas** – no value, too few cases, or an interval too wide to
  say anything against the target or the baseline;
* **uppfyllt** (met) – the whole interval is on the good side of the target;
  for a direction-only target, a significant change in the good direction
  since the baseline;
* **på väg** (on track) – the target is not yet met with certainty, but the
  value has improved significantly since the baseline;
* **inte uppfyllt** (not met) – the whole interval is on the bad side of the
  target (and no significant improvement), or, for a direction-only target, a
  significant change in the wrong direction.

A change inside the noise is not progress: "significant" means the change's
own test, made by the indicator function, rejected "no change" at 5 %.
"""

from __future__ import annotations

from dataclasses import dataclass

MET = "uppfyllt"
ON_TRACK = "på väg"
NOT_MET = "inte uppfyllt"
CANT_SAY = "kan inte bedömas"

#: Symbols shown next to the words, so that status never relies on colour alone.
SYMBOLS = {MET: "✔", ON_TRACK: "➚", NOT_MET: "✘", CANT_SAY: "?"}


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator's value for a period, with what the status rule needs."""

    value: float | None
    low: float | None = None
    high: float | None = None
    n: int | None = None
    too_few: bool = False
    baseline: float | None = None
    change: str | None = None  # "up", "down", "none" (tested) or None (no baseline)
    text: str = ""  # the value as shown, in Swedish format
    origin: str = "real"
    detail: str = ""  # one Swedish sentence of context (comparison, rounds compared, …)


def decide_status(value: IndicatorValue, target: float | None, direction: str) -> tuple[str, str]:
    """Status and a short Swedish reason, by the rule in the module docstring."""
    if value.value is None or value.too_few:
        return CANT_SAY, "för få uppgifter för att bedöma"
    good_change = {"higher_is_better": "up", "lower_is_better": "down"}.get(direction)
    improved = good_change is not None and value.change == good_change
    worsened = good_change is not None and value.change not in (None, "none", good_change)
    if target is None:
        if good_change is None:
            return CANT_SAY, "inget mål angivet"
        if improved:
            return MET, "säker förändring i rätt riktning sedan basperioden"
        if worsened:
            return NOT_MET, "säker förändring i fel riktning sedan basperioden"
        if value.change is None:
            return CANT_SAY, "ingen basperiod att jämföra med"
        return CANT_SAY, "ingen säker förändring sedan basperioden"
    low = value.low if value.low is not None else value.value
    high = value.high if value.high is not None else value.value
    if direction == "higher_is_better":
        met, missed = low >= target, high < target
    elif direction == "lower_is_better":
        met, missed = high <= target, low > target
    else:
        met, missed = low <= target <= high, False
    if met:
        return MET, "hela osäkerhetsintervallet uppfyller målet"
    if improved:
        return ON_TRACK, "målet är inte säkert nått, men säker förbättring sedan basperioden"
    if missed:
        return NOT_MET, "hela osäkerhetsintervallet ligger på fel sida om målet"
    return CANT_SAY, "osäkerhetsintervallet rymmer målet"
