"""The rule that decides the status of an indicator that follows up a promise.

A kommun lists, per promise, the indicators that follow it up (in its config
file): which library function computes it, its unit, its baseline period, its
target (a level, or only a direction) and whether higher or lower is better.
Each indicator function returns an :class:`IndicatorValue`: a value with its
interval, so that the status can respect the uncertainty. (Finding and calling
the function a config names is the follow-up report's job, not this module's.)

The status rule (documented here because the council acts on it):

* **kan inte bedömas** – no value, too few cases, no interval (unless the
  value is *exact*, see below), or an interval too wide to say anything
  against the target or the baseline;
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

**A value without an interval is not exact.** An estimate whose interval is
missing (too few cases for one, a failed computation) cannot be compared with
a target, so it is "kan inte bedömas". Only a value the indicator function
marks ``exact=True`` – a full count or census, not a sample or an estimate
(e.g. the safety walks held, or the share of the kommun's areas that had a
dialogue: every walk and every area is counted) – is its own interval.

**Level targets** (``direction: level``, "keep it at about this level"): the
target is met only when the *whole* interval lies within the tolerance band
``target ± LEVEL_TOLERANCE × |target|`` (10 % of the target either side, unless
the caller states another half-width); it is not met when the whole interval
lies outside the band; otherwise – the interval reaches beyond the band on
one side or is wider than the band itself – it is "kan inte bedömas". An
interval that merely *contains* the target says nothing when it is wide.
"""

from __future__ import annotations

from dataclasses import dataclass

MET = "uppfyllt"
ON_TRACK = "på väg"
NOT_MET = "inte uppfyllt"
CANT_SAY = "kan inte bedömas"

#: Symbols shown next to the words, so that status never relies on colour alone.
SYMBOLS = {MET: "✔", ON_TRACK: "➚", NOT_MET: "✘", CANT_SAY: "?"}

#: Half-width of the tolerance band of a level target, as a share of the target:
#: a level of 100 is held when the whole interval lies within 90–110.
LEVEL_TOLERANCE = 0.10


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
    #: True only for a full count or census (nothing sampled or estimated): the
    #: value is then its own interval. A value without an interval that is not
    #: exact "kan inte bedömas" (see the module docstring).
    exact: bool = False
    #: The baseline rests on fewer cases than the kommun's ``min_count``: the
    #: baseline is shown as "fåtal", never as a number (the test still uses it).
    baseline_too_few: bool = False


def decide_status(
    value: IndicatorValue,
    target: float | None,
    direction: str,
    tolerance: float | None = None,
) -> tuple[str, str]:
    """Status and a short Swedish reason, by the rule in the module docstring.

    ``tolerance`` is the half-width of a level target's band, in the target's
    unit; by default ``LEVEL_TOLERANCE × |target|``.
    """
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
    if value.exact:
        low = value.low if value.low is not None else value.value
        high = value.high if value.high is not None else value.value
    elif value.low is None or value.high is None:
        return CANT_SAY, "inget osäkerhetsintervall, så värdet kan inte jämföras med målet"
    else:
        low, high = value.low, value.high
    if direction == "higher_is_better":
        met, missed = low >= target, high < target
    elif direction == "lower_is_better":
        met, missed = high <= target, low > target
    else:
        return _level_status(low, high, target, tolerance)
    if met:
        if value.exact:
            return MET, "värdet är en fullständig räkning och uppfyller målet"
        return MET, "hela osäkerhetsintervallet uppfyller målet"
    if improved:
        return ON_TRACK, "målet är inte säkert nått, men säker förbättring sedan basperioden"
    if missed:
        if value.exact:
            return NOT_MET, "värdet är en fullständig räkning och når inte målet"
        return NOT_MET, "hela osäkerhetsintervallet ligger på fel sida om målet"
    return CANT_SAY, "osäkerhetsintervallet rymmer målet"


def _level_status(
    low: float, high: float, target: float, tolerance: float | None
) -> tuple[str, str]:
    """A level target: the interval against the band ``target ± tolerance`` (module docstring)."""
    half = LEVEL_TOLERANCE * abs(target) if tolerance is None else abs(tolerance)
    band_low, band_high = target - half, target + half
    if band_low <= low and high <= band_high:
        return MET, "hela osäkerhetsintervallet ligger inom toleransen kring målnivån"
    if high < band_low or low > band_high:
        return NOT_MET, "hela osäkerhetsintervallet ligger utanför toleransen kring målnivån"
    if high - low > band_high - band_low:
        return CANT_SAY, "osäkerhetsintervallet är bredare än toleransen kring målnivån"
    return CANT_SAY, "osäkerhetsintervallet når utanför toleransen kring målnivån"
