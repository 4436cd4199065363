"""Promise 4 in numbers: which cases were contacted on time, the share, the verdict.

Input is the processed table ``victim_contacts`` (one pseudonymous row per
case, see :mod:`trygghet.sources.victim_contacts`). Everything computed here
is aggregated (counts, shares with Wilson intervals, comparisons); the only
case-level results, :func:`classify` and the loaded table itself, are for
computation and never shown.

Definitions (the council acts on them, so they are written down here):

* **On time** – a first contact is recorded and ``days_to_contact <=
  target_days`` (0 = the same day as the assignment; contact on day 7 is
  within the week).
* **Late (known miss)** – contacted after ``target_days``, *or* not contacted
  and ``censored_days > target_days``: the week passed before the extract
  without a recorded contact, whatever happens later.
* **Open (undecided)** – not contacted and ``censored_days <= target_days``:
  the extract was taken while the week was still running. Such a case is
  neither a success nor a failure and is **left out of the denominator** of
  the on-time share. A case with ``censored_days == target_days`` is still
  open because the contact may come later on that same day (the extract has
  no time of day). This follows the data contract in
  ``docs/data/victim_contacts.md``; the task brief's "censored_days >= 7 is a
  miss" would have counted those day-7 cases as misses.
* **Share on time** = on time / (on time + late), with a Wilson interval
  (:func:`trygghet.stats.proportions.wilson_ci`).
* **No contact yet** – share of all the period's cases without a recorded
  contact at the extract (open and missed together).

The delay (median and 90th percentile, Kaplan–Meier) is in
:mod:`trygghet.reports.victim_contact.delay`.

Verdict against the target share (default 90 %), using the 95 % interval:

* "uppfyllt" – lower bound >= target;
* "inte uppfyllt" – upper bound < target;
* "osäkert – intervallet rymmer målet" – otherwise;
* "för få ärenden för att säga" – fewer than ``min_cases`` decided cases
  (default 10, and never fewer than the kommun's ``min_count``). Ten is a
  floor, not a power calculation: with 10 cases even 10 of 10 on time gives
  a Wilson interval of 72–100 %, and fewer cases would turn one case into a
  ten-point swing in a council document.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from trygghet.config import KommunConfig
from trygghet.sources import processed
from trygghet.stats.proportions import (
    funnel_position_proportion,
    p_chart_limits,
    two_proportion_test,
    wilson_ci,
)

# --------------------------------------------------------------------------- target

TARGET_SHARE = 0.9
TARGET_DAYS = 7
#: Fewest decided cases for a verdict (see the module docstring).
MIN_CASES_FOR_VERDICT = 10


@dataclass(frozen=True)
class Target:
    """What the promise asks and how small numbers are handled."""

    share: float = TARGET_SHARE
    days: int = TARGET_DAYS
    min_count: int = 5
    min_cases: int = MIN_CASES_FOR_VERDICT
    level: float = 0.95
    source: str = "rapportens parametrar"

    def __post_init__(self) -> None:
        if not 0.0 < float(self.share) <= 1.0:
            raise ValueError(f"target share must be in (0, 1], got {self.share!r}")
        if int(self.days) != self.days or self.days < 0:
            raise ValueError(f"target days must be a non-negative integer, got {self.days!r}")
        if self.min_count < 1 or self.min_cases < 1:
            raise ValueError("min_count and min_cases must be at least 1")


def target_from(
    config: KommunConfig, target_share: float = TARGET_SHARE, target_days: int = TARGET_DAYS
) -> Target:
    """The target to judge against: the kommun's indicator if it defines one, else the parameters.

    An indicator of any promise whose ``function`` is in this package
    (``victim_contact.…``) overrides ``target_share`` with its ``target`` and
    ``target_days`` with its ``params["target_days"]``, so that the kommun's
    own definition wins once it is written down. The verdict's case floor is
    at least the kommun's ``min_count`` (no verdict on a suppressed figure).
    """
    share, days, source = float(target_share), int(target_days), "rapportens parametrar"
    for promise in config.promises:
        for indicator in promise.indicators:
            if indicator.function.startswith("victim_contact.") or indicator.function in (
                "promise_indicators.victim_contact_on_time",
            ):
                if indicator.target is not None:
                    share = float(indicator.target)
                days = int(indicator.params.get("target_days", days))
                source = f"löfte {promise.id} i kommunens konfiguration"
    return Target(
        share=share,
        days=days,
        min_count=config.min_count,
        min_cases=max(MIN_CASES_FOR_VERDICT, config.min_count),
        source=source,
    )


# --------------------------------------------------------------------------- data

TABLE = "victim_contacts"


def load(kommun: str) -> pd.DataFrame:
    """The kommun's processed ``victim_contacts`` table (internal: case level, never shown)."""
    return processed.load_table(kommun, TABLE)


def cases_in_period(cases: pd.DataFrame, period: int) -> pd.DataFrame:
    """Cases whose investigator was assigned in calendar year ``period``."""
    return cases[cases["assigned_month"].dt.year == int(period)]


def as_float(series: pd.Series) -> np.ndarray:
    """A nullable integer column as floats, missing values as NaN."""
    return series.astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def classify(cases: pd.DataFrame, target_days: int = TARGET_DAYS) -> pd.Series:
    """Each case's outcome: ``"on_time"``, ``"late"`` or ``"open"`` (see module docstring).

    Case level: for computation only, never for display.
    """
    contacted = cases["contacted"].astype(bool).to_numpy()
    days = as_float(cases["days_to_contact"])
    censored = as_float(cases["censored_days"])
    if np.any(contacted & np.isnan(days)) or np.any(~contacted & np.isnan(censored)):
        raise ValueError("a contacted case needs days_to_contact, an uncontacted censored_days")
    outcome = np.where(
        contacted,
        np.where(days <= target_days, "on_time", "late"),
        np.where(censored > target_days, "late", "open"),
    )
    return pd.Series(outcome, index=cases.index, name="outcome")


# --------------------------------------------------------------------------- shares


@dataclass(frozen=True)
class OnTimeShare:
    """Counts and the on-time share of one group of cases."""

    n_cases: int
    on_time: int
    late: int
    open: int
    uncontacted: int
    share: float
    low: float
    high: float

    @property
    def decided(self) -> int:
        return self.on_time + self.late


def _share(on_time: int, late: int, open_: int, uncontacted: int, level: float) -> OnTimeShare:
    decided = on_time + late
    share = on_time / decided if decided else math.nan
    low, high = wilson_ci(on_time, decided, level)
    return OnTimeShare(
        n_cases=on_time + late + open_,
        on_time=on_time,
        late=late,
        open=open_,
        uncontacted=uncontacted,
        share=share,
        low=low,
        high=high,
    )


def on_time_share(cases: pd.DataFrame, target: Target | None = None) -> OnTimeShare:
    """The on-time share of all given cases, open cases left out of the denominator."""
    target = target or Target()
    outcome = classify(cases, target.days)
    return _share(
        int((outcome == "on_time").sum()),
        int((outcome == "late").sum()),
        int((outcome == "open").sum()),
        int((~cases["contacted"].astype(bool)).sum()),
        target.level,
    )


def _group_key(cases: pd.DataFrame, by: str) -> pd.Series:
    if by == "month":
        return cases["assigned_month"]
    if by == "quarter":
        return cases["assigned_month"].dt.to_period("Q")
    if by in cases:
        return cases[by].astype(str)
    raise ValueError(f"unknown grouping {by!r}: 'month', 'quarter' or a column")


def aggregate(cases: pd.DataFrame, by: str, target: Target | None = None) -> pd.DataFrame:
    """Counts and on-time share per group (``"month"``, ``"quarter"`` or a column).

    Columns: n_cases, on_time, late, open, uncontacted, decided, share, low,
    high (Wilson). Groups without cases do not appear.
    """
    target = target or Target()
    outcome = classify(cases, target.days)
    frame = pd.DataFrame(
        {
            "key": _group_key(cases, by).to_numpy(),
            "on_time": (outcome == "on_time").to_numpy(),
            "late": (outcome == "late").to_numpy(),
            "open": (outcome == "open").to_numpy(),
            "uncontacted": ~cases["contacted"].astype(bool).to_numpy(),
        }
    )
    counts = frame.groupby("key", sort=True).sum().astype("int64")
    rows = {
        key: _share(int(r.on_time), int(r.late), int(r.open), int(r.uncontacted), target.level)
        for key, r in counts.iterrows()
    }
    out = pd.DataFrame(
        {
            "n_cases": [s.n_cases for s in rows.values()],
            "on_time": [s.on_time for s in rows.values()],
            "late": [s.late for s in rows.values()],
            "open": [s.open for s in rows.values()],
            "uncontacted": [s.uncontacted for s in rows.values()],
            "decided": [s.decided for s in rows.values()],
            "share": [s.share for s in rows.values()],
            "low": [s.low for s in rows.values()],
            "high": [s.high for s in rows.values()],
        },
        index=pd.Index(list(rows), name=by),
    )
    return out


# --------------------------------------------------------------------------- verdict

#: The four verdicts (rule in the module docstring). They are codes and labels at once:
#: the tables and texts show them as they are.
MET = "uppfyllt"
NOT_MET = "inte uppfyllt"
UNCERTAIN = "osäkert – intervallet rymmer målet"
TOO_FEW = "för få ärenden för att säga"
VERDICTS: tuple[str, ...] = (MET, NOT_MET, UNCERTAIN, TOO_FEW)


def verdict_from_interval(low: float, high: float, decided: int, target: Target) -> str:
    """The verdict by the rule in the module docstring, from an interval already computed."""
    if decided < target.min_cases or math.isnan(low) or math.isnan(high):
        return TOO_FEW
    if low >= target.share:
        return MET
    if high < target.share:
        return NOT_MET
    return UNCERTAIN


def verdict(result: OnTimeShare, target: Target | None = None) -> str:
    """ "uppfyllt", "inte uppfyllt", "osäkert – intervallet rymmer målet" or "för få …"."""
    target = target or Target()
    return verdict_from_interval(result.low, result.high, result.decided, target)


# --------------------------------------------------------------------------- comparisons


def p_chart(cases: pd.DataFrame, period: int, target: Target | None = None) -> pd.DataFrame:
    """Monthly p-chart of the on-time share over ``period - 1`` and ``period``.

    Months with fewer than ``min_cases`` decided cases are left out (not
    drawn: a share of a handful of cases is noise, and times the count it
    gives back how many were late). The
    centre line is the pooled share of the months shown; limits are 3 sigma
    (:func:`trygghet.stats.proportions.p_chart_limits`). Index: month (Timestamp).
    """
    target = target or Target()
    window = cases[cases["assigned_month"].dt.year.isin([int(period) - 1, int(period)])]
    monthly = aggregate(window, "month", target)
    monthly = monthly[monthly["decided"] >= target.min_cases]
    if monthly.empty:
        return pd.DataFrame(columns=["successes", "n", "p", "centre", "lcl", "ucl", "outside"])
    limits = p_chart_limits(monthly["on_time"], monthly["decided"])
    limits.index = monthly.index
    return limits


def category_comparison(
    cases: pd.DataFrame, period: int, target: Target | None = None
) -> pd.DataFrame:
    """Per crime category of ``period``: counts, share, Wilson interval, verdict, funnel position.

    The funnel position compares each category with the kommun's pooled share
    of the period (exact binomial, :func:`funnel_position_proportion`), i.e.
    "does this category stand out from the others?", whereas the verdict
    compares it with the promise's target. Categories with fewer than
    ``min_cases`` decided cases (the floor for a share, never below the
    kommun's ``min_count``) get ``suppressed`` True: no share, no point.
    """
    target = target or Target()
    year = cases_in_period(cases, period)
    table = aggregate(year, "crime_category", target)
    overall = on_time_share(year, target)
    table["verdict"] = [
        verdict_from_interval(r.low, r.high, int(r.decided), target) for r in table.itertuples()
    ]
    table["suppressed"] = table["decided"] < target.min_cases
    table["position"] = [
        funnel_position_proportion(int(r.on_time), int(r.decided), overall.share)
        if r.decided > 0 and not math.isnan(overall.share)
        else None
        for r in table.itertuples()
    ]
    table.attrs["overall"] = overall.share
    table.attrs["origin"] = processed.origin(cases)
    return table.sort_values("share", ascending=False, na_position="last")


def compare_with_previous(cases: pd.DataFrame, period: int, target: Target | None = None) -> str:
    """``"higher"``, ``"lower"``, ``"no_change"`` or ``"too_few"``: this year against last.

    Newcombe's hybrid score interval of the difference
    (:func:`trygghet.stats.proportions.two_proportion_test`): a change counts only
    when the 95 % interval of the difference excludes zero.
    """
    target = target or Target()
    now = on_time_share(cases_in_period(cases, period), target)
    before = on_time_share(cases_in_period(cases, int(period) - 1), target)
    if now.decided < target.min_cases or before.decided < target.min_cases:
        return "too_few"
    diff = two_proportion_test(now.on_time, now.decided, before.on_time, before.decided)
    if diff.low > 0:
        return "higher"
    if diff.high < 0:
        return "lower"
    return "no_change"
