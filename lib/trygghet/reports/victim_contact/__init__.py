"""Promise 4: the crime victim is contacted within one week after an investigator is assigned.

Input is the processed table ``victim_contacts`` (one pseudonymous row per
case, see :mod:`trygghet.sources.victim_contacts`). Everything this module
shows is aggregated: counts, shares with Wilson intervals, a Kaplan–Meier
curve cut where few cases remain, and texts. No function returns a table or
chart with one row or point per case, and every count of fewer than
``min_count`` cases is shown as "fåtal".

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
* **Delay** – median and 90th percentile of the days to first contact from a
  Kaplan–Meier estimate in which uncontacted cases are right-censored at
  ``censored_days``; quantile ``q`` is the smallest day ``t`` with
  ``S(t) <= 1 - q`` ("half were contacted within t days"). statsmodels
  (like SAS) uses a strict ``<``; the two differ only when the curve sits
  exactly on ``1 - q``.
* **No contact yet** – share of all the period's cases without a recorded
  contact at the extract (open and missed together).

Verdict against the target share (default 90 %), using the 95 % interval:

* "uppfyllt" – lower bound >= target;
* "inte uppfyllt" – upper bound < target;
* "osäkert – intervallet rymmer målet" – otherwise;
* "för få ärenden för att säga" – fewer than ``min_cases`` decided cases
  (default 10, and never fewer than the kommun's ``min_count``). Ten is a
  floor, not a power calculation: with 10 cases even 10 of 10 on time gives
  a Wilson interval of 72–100 %, and fewer cases would turn one case into a
  ten-point swing in a council document.

Privacy: month + category + area + delay can single out a case in a small
kommun, so breakdowns by area are not offered; breakdowns by crime category
suppress groups under ``min_count`` cases, and the Kaplan–Meier curve is drawn
only while at least ``min_count`` cases remain at risk.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from trygghet.config import KommunConfig
from trygghet.present import style
from trygghet.present.swedish import MONTHS_SHORT, fmt_date, fmt_int, fmt_percent, join_list, plural
from trygghet.sources import processed as tables
from trygghet.stats.proportions import (
    funnel_limits_proportion,
    funnel_position_proportion,
    p_chart_limits,
    two_proportion_test,
    wilson_ci,
)

TABLE = "victim_contacts"
TARGET_SHARE = 0.9
TARGET_DAYS = 7
#: Fewest decided cases for a verdict (see the module docstring).
MIN_CASES_FOR_VERDICT = 10
#: The Kaplan–Meier chart shows at most this many days.
KM_MAX_DAYS = 60
SOURCE_TEXT = "Polismyndigheten, ärendesystemets tidsstämplar för kontakt med brottsutsatta"

MET = "uppfyllt"
NOT_MET = "inte uppfyllt"
UNCERTAIN = "osäkert – intervallet rymmer målet"
TOO_FEW = "för få ärenden för att säga"
VERDICTS: tuple[str, ...] = (MET, NOT_MET, UNCERTAIN, TOO_FEW)

FEW = "fåtal"
MISSING = "–"

#: Display names of the reader's crime categories.
CATEGORY_LABELS = {
    "misshandel": "Misshandel",
    "hot": "Hot",
    "inbrott": "Inbrott",
    "stöld": "Stöld",
    "bedrägeri": "Bedrägeri",
    "skadegörelse": "Skadegörelse",
    "sexualbrott": "Sexualbrott",
    "övrigt": "Övriga brott",
}


# --------------------------------------------------------------------------- target


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

    An indicator of any promise whose ``function`` is in this module
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


def target_text(target: Target) -> str:
    """``"Mål: minst 90 % kontaktade inom 7 dagar (källa: rapportens parametrar)."``"""
    return (
        f"Mål: minst {fmt_percent(target.share)} kontaktade inom "
        f"{plural(target.days, 'dag', 'dagar')} (källa: {target.source})."
    )


# --------------------------------------------------------------------------- data


def load(kommun: str) -> pd.DataFrame:
    """The kommun's processed ``victim_contacts`` table (internal: case level, never shown)."""
    return tables.load_table(kommun, TABLE)


def cases_in_period(cases: pd.DataFrame, period: int) -> pd.DataFrame:
    """Cases whose investigator was assigned in calendar year ``period``."""
    return cases[cases["assigned_month"].dt.year == int(period)]


def coverage_text(cases: pd.DataFrame, period: int) -> str:
    """The banner's detail: extract date and how many cases the period has."""
    if cases.empty:
        return "Uttaget innehåller inga ärenden."
    extract = pd.Timestamp(cases["extract_date"].max())
    n = len(cases_in_period(cases, period))
    return (
        f"Uttaget gjordes {fmt_date(extract)}; {count_text(n, 1)} "
        f"{'ärende' if n == 1 else 'ärenden'} fick en utredare under {period}."
    )


def _float(series: pd.Series) -> np.ndarray:
    return series.astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def classify(cases: pd.DataFrame, target_days: int = TARGET_DAYS) -> pd.Series:
    """Each case's outcome: ``"on_time"``, ``"late"`` or ``"open"`` (see module docstring).

    Case level: for computation only, never for display.
    """
    contacted = cases["contacted"].astype(bool).to_numpy()
    days = _float(cases["days_to_contact"])
    censored = _float(cases["censored_days"])
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


# --------------------------------------------------------------------------- Kaplan–Meier


def kaplan_meier(durations: Sequence[float] | np.ndarray, observed: Sequence[bool]) -> pd.DataFrame:
    """Kaplan–Meier estimate of "not yet contacted" over days since assignment.

    ``durations``: days to contact (``observed`` True) or days to the extract
    (``observed`` False, right-censored). At each distinct day ``t``:
    ``at_risk`` = cases with duration >= t (a case censored on day t is still
    at risk on day t: contacts on a day count before censorings on it),
    ``contacts`` = contacts on day t, ``censored`` = censorings on day t,
    ``survival`` = product over days <= t of ``1 - contacts / at_risk``.
    ``contacted_share`` = 1 - survival.

    Reference: Kaplan & Meier (1958), JASA 53:457–481.
    """
    t = np.asarray(durations, dtype=float)
    e = np.asarray(observed, dtype=bool)
    if t.shape != e.shape:
        raise ValueError("durations and observed must have the same length")
    if np.any(~np.isfinite(t) | (t < 0)):
        raise ValueError("durations must be finite and non-negative")
    times = np.unique(t)
    at_risk = np.array([(t >= x).sum() for x in times], dtype=int)
    contacts = np.array([(e & (t == x)).sum() for x in times], dtype=int)
    censored = np.array([(~e & (t == x)).sum() for x in times], dtype=int)
    survival = np.cumprod(1.0 - contacts / at_risk) if len(times) else np.array([])
    return pd.DataFrame(
        {
            "time": times,
            "at_risk": at_risk,
            "contacts": contacts,
            "censored": censored,
            "survival": survival,
            "contacted_share": 1.0 - survival,
        }
    )


def km_quantile(km: pd.DataFrame, q: float) -> float | None:
    """Smallest day ``t`` with ``S(t) <= 1 - q``; None if the curve never gets there."""
    reached = km.loc[km["survival"] <= 1.0 - q + 1e-12, "time"]
    return float(reached.iloc[0]) if len(reached) else None


def km_contacted_by(km: pd.DataFrame, day: float) -> float:
    """Estimated share contacted within ``day`` days (``1 - S(day)``)."""
    before = km.loc[km["time"] <= day, "survival"]
    return float(1.0 - before.iloc[-1]) if len(before) else 0.0


def km_for_cases(cases: pd.DataFrame) -> pd.DataFrame:
    """Kaplan–Meier table of a set of cases (uncontacted ones censored at ``censored_days``)."""
    contacted = cases["contacted"].astype(bool).to_numpy()
    durations = np.where(
        contacted, _float(cases["days_to_contact"]), _float(cases["censored_days"])
    )
    return kaplan_meier(durations, contacted)


@dataclass(frozen=True)
class DelaySummary:
    """Median and 90th percentile of the delay (days), from Kaplan–Meier."""

    n_cases: int
    median: float | None
    p90: float | None
    contacted_within_target: float


def delay_summary(cases: pd.DataFrame, target: Target | None = None) -> DelaySummary:
    """Median, 90th percentile and KM share within the target days of the given cases."""
    target = target or Target()
    if cases.empty:
        return DelaySummary(0, None, None, math.nan)
    km = km_for_cases(cases)
    return DelaySummary(
        n_cases=len(cases),
        median=km_quantile(km, 0.5),
        p90=km_quantile(km, 0.9),
        contacted_within_target=km_contacted_by(km, target.days),
    )


# --------------------------------------------------------------------------- comparisons


def p_chart(cases: pd.DataFrame, period: int, target: Target | None = None) -> pd.DataFrame:
    """Monthly p-chart of the on-time share over ``period - 1`` and ``period``.

    Months with fewer than ``min_count`` decided cases are left out (not
    drawn: a share of two or three cases is noise and is suppressed). The
    centre line is the pooled share of the months shown; limits are 3 sigma
    (:func:`trygghet.stats.proportions.p_chart_limits`). Index: month (Timestamp).
    """
    target = target or Target()
    window = cases[cases["assigned_month"].dt.year.isin([int(period) - 1, int(period)])]
    monthly = aggregate(window, "month", target)
    monthly = monthly[monthly["decided"] >= target.min_count]
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
    ``min_count`` decided cases get ``suppressed`` True.
    """
    target = target or Target()
    year = cases_in_period(cases, period)
    table = aggregate(year, "crime_category", target)
    overall = on_time_share(year, target)
    table["verdict"] = [
        verdict_from_interval(r.low, r.high, int(r.decided), target) for r in table.itertuples()
    ]
    table["suppressed"] = table["decided"] < target.min_count
    table["position"] = [
        funnel_position_proportion(int(r.on_time), int(r.decided), overall.share)
        if r.decided > 0 and not math.isnan(overall.share)
        else None
        for r in table.itertuples()
    ]
    table.attrs["overall"] = overall.share
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


# --------------------------------------------------------------------------- display helpers


def count_text(n: int, min_count: int) -> str:
    """A count for display: ``"0"``, ``"fåtal"`` (1 … min_count - 1) or ``"1 234"``."""
    n = int(n)
    if 0 < n < min_count:
        return FEW
    return fmt_int(n)


def interval_text(low: float, high: float) -> str:
    """``(0.81, 0.9)`` -> ``"81–90 %"``; missing -> ``"–"``."""
    if any(math.isnan(v) for v in (low, high)):
        return MISSING
    return f"{fmt_percent(low)[:-2]}–{fmt_percent(high)}"


def days_text(days: float | None) -> str:
    """``0`` -> ``"samma dag"``, ``3`` -> ``"3 dagar"``; None -> ``"–"``."""
    if days is None:
        return MISSING
    if days == 0:
        return "samma dag"
    return plural(int(days), "dag", "dagar")


def month_label(month: pd.Timestamp) -> str:
    """``2025-03-01`` -> ``"mar 2025"``."""
    return f"{MONTHS_SHORT[month.month - 1]} {month.year}"


def _group_label(key: Any) -> str:
    if isinstance(key, pd.Period):
        return f"kvartal {key.quarter} {key.year}"
    if isinstance(key, pd.Timestamp):
        return month_label(key)
    return CATEGORY_LABELS.get(str(key), str(key))


def _display_rows(table: pd.DataFrame, target: Target) -> pd.DataFrame:
    """Aggregated rows -> Swedish strings, with suppression of small groups."""
    rows = []
    for key, r in table.iterrows():
        small = r["decided"] < target.min_count
        rows.append(
            {
                "": _group_label(key),
                "ärenden": count_text(r["n_cases"], target.min_count),
                "avgjorda": count_text(r["decided"], target.min_count),
                "kontakt inom en vecka": MISSING if small else fmt_percent(r["share"]),
                "95 % konfidensintervall": MISSING if small else interval_text(r["low"], r["high"]),
                "bedömning": verdict_from_interval(r["low"], r["high"], int(r["decided"]), target),
            }
        )
    return pd.DataFrame(rows).set_index("")


def period_table(
    cases: pd.DataFrame, period: int, by: str = "quarter", target: Target | None = None
) -> pd.DataFrame:
    """Display table per quarter (or month) of ``period``, plus a total row ``"Hela året"``."""
    target = target or Target()
    year = cases_in_period(cases, period)
    table = aggregate(year, by, target)
    total = on_time_share(year, target)
    table.loc["Hela året"] = {
        "n_cases": total.n_cases,
        "on_time": total.on_time,
        "late": total.late,
        "open": total.open,
        "uncontacted": total.uncontacted,
        "decided": total.decided,
        "share": total.share,
        "low": total.low,
        "high": total.high,
    }
    return _display_rows(table, target)


def category_table(cases: pd.DataFrame, period: int, target: Target | None = None) -> pd.DataFrame:
    """Display table per crime category of ``period``, with the comparison with the average."""
    target = target or Target()
    comparison = category_comparison(cases, period, target)
    shown = _display_rows(comparison, target)
    position = {
        "above_998": "högre (utanför 99,8 %-gränsen)",
        "above_95": "högre (utanför 95 %-gränsen)",
        "within": "inom slumpens gränser",
        "below_95": "lägre (utanför 95 %-gränsen)",
        "below_998": "lägre (utanför 99,8 %-gränsen)",
    }
    shown["jämfört med kommunens genomsnitt"] = [
        MISSING if r.suppressed or r.position is None else position[r.position]
        for r in comparison.itertuples()
    ]
    return shown


def key_figures(cases: pd.DataFrame, period: int, target: Target | None = None) -> pd.DataFrame:
    """One-column display table with the promise's key figures for ``period``."""
    target = target or Target()
    year = cases_in_period(cases, period)
    result = on_time_share(year, target)
    delay = delay_summary(year, target)
    small = result.decided < target.min_count
    m = target.min_count
    rows = {
        "Ärenden där en utredare tilldelades": count_text(result.n_cases, m),
        f"Avgjorda ärenden (kontakt, eller mer än {target.days} dagar utan kontakt)": count_text(
            result.decided, m
        ),
        f"Kontakt inom {target.days} dagar": MISSING if small else fmt_percent(result.share),
        "95 % konfidensintervall": MISSING if small else interval_text(result.low, result.high),
        "Mål": f"minst {fmt_percent(target.share)}",
        "Bedömning": verdict(result, target),
        "Hälften kontaktade inom (median)": MISSING if small else days_text(delay.median),
        "Nio av tio kontaktade inom (90:e percentilen)": MISSING if small else days_text(delay.p90),
        "Utan registrerad kontakt vid uttaget": count_text(result.uncontacted, m),
        f"  varav fortfarande inom {target.days} dagar (räknas inte)": count_text(result.open, m),
    }
    return pd.DataFrame({"värde": rows.values()}, index=pd.Index(list(rows), name="nyckeltal"))


# --------------------------------------------------------------------------- texts


def headline(
    cases: pd.DataFrame, period: int, kommun_name: str, target: Target | None = None
) -> str:
    """The report's key sentence: the on-time share, its interval and the verdict."""
    target = target or Target()
    result = on_time_share(cases_in_period(cases, period), target)
    v = verdict(result, target)
    week = plural(target.days, "dag", "dagar")
    goal = fmt_percent(target.share)
    if v == TOO_FEW:
        return (
            f"För få avgjorda ärenden {period} ({count_text(result.decided, target.min_count)}) "
            f"för att säga om löftet om kontakt med brottsutsatta inom {week} hölls i "
            f"{kommun_name}."
        )
    share = fmt_percent(result.share)
    interval = interval_text(result.low, result.high)
    lead = (
        f"{share} av de brottsutsatta i {kommun_name} kontaktades inom {week} efter att en "
        f"utredare tilldelats {period} (95 % konfidensintervall {interval})."
    )
    if v == MET:
        return f"{lead} Löftet är uppfyllt: hela intervallet ligger över målet {goal}."
    if v == NOT_MET:
        return f"{lead} Löftet är inte uppfyllt: hela intervallet ligger under målet {goal}."
    return (
        f"{lead} Osäkert om löftet är uppfyllt: intervallet rymmer målet {goal}, "
        "så skillnaden mot målet kan vara slump."
    )


def delay_sentence(delay: DelaySummary, target: Target | None = None) -> str:
    """Median and 90th percentile in words."""
    target = target or Target()
    if delay.n_cases < target.min_cases:
        return "För få ärenden för att beskriva hur lång tid kontakten tog."
    if delay.median is None:
        return "Färre än hälften av de brottsutsatta har kontaktats, så väntetiden kan inte anges."
    first = f"Hälften av de brottsutsatta kontaktades inom {days_text(delay.median)}"
    if delay.median == 0:
        first = "Hälften av de brottsutsatta kontaktades samma dag som utredaren tilldelades"
    if delay.p90 is None:
        return f"{first}. Färre än nio av tio har kontaktats, så den långa svansen kan inte anges."
    return f"{first}, och nio av tio inom {days_text(delay.p90)}."


def _count_words(n: int, min_count: int) -> str:
    """A count inside running text: ``"ett fåtal"`` instead of ``"fåtal"``."""
    text = count_text(n, min_count)
    return "ett fåtal" if text == FEW else text


def uncontacted_sentence(result: OnTimeShare, target: Target | None = None) -> str:
    """How many cases have no recorded contact, and how they are counted."""
    target = target or Target()
    m, d = target.min_count, target.days
    if result.uncontacted == 0:
        return "Alla ärenden har en registrerad kontakt med den brottsutsatta."
    missed = result.uncontacted - result.open
    if count_text(result.uncontacted, m) == FEW:
        lead = "Ett fåtal ärenden saknar registrerad kontakt vid uttaget."
    else:
        share = fmt_percent(result.uncontacted / result.n_cases)
        lead = (
            f"{fmt_int(result.uncontacted)} ärenden ({share}) saknar registrerad kontakt "
            "vid uttaget."
        )
    if missed and result.open:
        rest = (
            f"Av dem har {_count_words(missed, m)} väntat mer än {d} dagar och räknas som "
            f"missade, medan {_count_words(result.open, m)} är yngre än {d} dagar och inte "
            "räknas alls än."
        )
    elif missed:
        rest = f"Alla har väntat mer än {d} dagar och räknas som missade."
    else:
        rest = f"Alla är yngre än {d} dagar och räknas varken som i tid eller för sent än."
    return f"{lead} {rest}"


def trend_sentence(code: str, period: int) -> str:
    """The comparison with the previous year in words (codes of :func:`compare_with_previous`)."""
    sentences = {
        "higher": f"Andelen i tid är säkert högre än {int(period) - 1}.",
        "lower": f"Andelen i tid är säkert lägre än {int(period) - 1}.",
        "no_change": f"Ingen säker skillnad mot {int(period) - 1}.",
        "too_few": f"För få ärenden för att jämföra med {int(period) - 1}.",
    }
    return sentences[code]


def p_chart_sentence(chart: pd.DataFrame) -> str:
    """Which months, if any, fall outside the p-chart's control limits."""
    if chart.empty:
        return "För få ärenden per månad för ett styrdiagram."
    below = [month_label(m) for m in chart.index[chart["p"] < chart["lcl"]]]
    above = [month_label(m) for m in chart.index[chart["p"] > chart["ucl"]]]
    if not below and not above:
        return (
            "Ingen månad ligger utanför styrgränserna: skillnaderna mellan månaderna "
            "är av den storlek som slumpen ger."
        )
    parts = []
    if below:
        parts.append(f"under styrgränsen {join_list(below)}")
    if above:
        parts.append(f"över styrgränsen {join_list(above)}")
    return (
        f"Andelen i tid låg {join_list(parts)}: där finns troligen en verklig orsak att ta reda på."
    )


def category_sentence(comparison: pd.DataFrame) -> str:
    """Which crime categories stand out from the kommun's average (95 % funnel limits)."""
    shown = comparison[~comparison["suppressed"]]
    low = [
        CATEGORY_LABELS.get(k, k).lower()
        for k in shown.index[shown["position"].isin(["below_95", "below_998"])]
    ]
    high = [
        CATEGORY_LABELS.get(k, k).lower()
        for k in shown.index[shown["position"].isin(["above_95", "above_998"])]
    ]
    if shown.empty:
        return "För få ärenden per brottstyp för att jämföra brottstyperna."
    if not low and not high:
        return "Ingen brottstyp skiljer sig säkert från kommunens genomsnitt."
    parts = []
    if low:
        parts.append(f"lägre för {join_list(low)}")
    if high:
        parts.append(f"högre för {join_list(high)}")
    return f"Andelen i tid är {join_list(parts)} än kommunens genomsnitt, mer än slumpen förklarar."


def narrative(
    cases: pd.DataFrame, period: int, kommun_name: str, target: Target | None = None
) -> str:
    """Paragraphs for the council: verdict, delay, open cases, trend, months, categories."""
    target = target or Target()
    year = cases_in_period(cases, period)
    result = on_time_share(year, target)
    paragraphs = [
        headline(cases, period, kommun_name, target)
        + " "
        + trend_sentence(compare_with_previous(cases, period, target), period),
        delay_sentence(delay_summary(year, target), target),
        uncontacted_sentence(result, target),
    ]
    if result.decided >= target.min_cases:
        paragraphs.append(p_chart_sentence(p_chart(cases, period, target)))
        paragraphs.append(category_sentence(category_comparison(cases, period, target)))
    return "\n\n".join(paragraphs)


# --------------------------------------------------------------------------- indicator


def on_time_indicator(context: Any, target_days: int = TARGET_DAYS) -> Any:
    """Indicator function for the kommun config (``victim_contact.on_time_indicator``)."""
    from trygghet.stats.status import IndicatorValue

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
        origin=tables.origin(cases),
    )


# --------------------------------------------------------------------------- charts


def _percent_axis(ax: plt.Axes, axis: str = "y") -> None:
    fmt = FuncFormatter(lambda v, _pos: fmt_percent(v))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def plot_p_chart(cases: pd.DataFrame, period: int, target: Target | None = None) -> Figure:
    """p-chart: monthly on-time share with centre line, 3-sigma limits and the target."""
    target = target or Target()
    chart = p_chart(cases, period, target)
    fig, ax = style.new_figure()
    if chart.empty:
        ax.text(0.5, 0.5, "För få ärenden per månad", ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return style.finish(fig)
    x = np.arange(len(chart))
    ax.fill_between(
        x,
        chart["lcl"],
        chart["ucl"],
        step="mid",
        color=style.MUTED,
        alpha=0.3,
        label="styrgränser (3 sigma)",
    )
    ax.plot(x, chart["centre"], color=style.MUTED, lw=2, label="medelvärde")
    ax.axhline(
        target.share,
        color=style.PALETTE[2],
        ls="--",
        lw=2,
        label=f"mål {fmt_percent(target.share)}",
    )
    ax.plot(x, chart["p"], color=style.PRIMARY, marker="o", lw=1.5, label="andel i tid")
    out = chart["outside"].to_numpy()
    ax.scatter(
        x[out],
        chart["p"].to_numpy()[out],
        s=140,
        facecolor="none",
        edgecolor=style.HIGHLIGHT,
        lw=2.5,
        zorder=5,
        label="utanför styrgränserna",
    )
    ax.set_xticks(x, [month_label(m) for m in chart.index], rotation=90)
    _percent_axis(ax)
    ax.set_ylim(max(0.0, float(chart["lcl"].min()) - 0.1), 1.02)
    ax.set_ylabel(f"kontakt inom {target.days} dagar")
    ax.set_title(f"Andel kontaktade inom en vecka per månad, {int(period) - 1}–{period}")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return style.finish(fig)


def plot_category_shares(cases: pd.DataFrame, period: int, target: Target | None = None) -> Figure:
    """Dot plot: share on time per crime category with Wilson intervals and the target line."""
    target = target or Target()
    comparison = category_comparison(cases, period, target)
    overall = on_time_share(cases_in_period(cases, period), target)
    shown = comparison[~comparison["suppressed"]].sort_values("share")
    hidden = comparison[comparison["suppressed"]]
    labels = [f"{CATEGORY_LABELS.get(k, k)} ({FEW})" for k in hidden.index]
    labels += [CATEGORY_LABELS.get(k, k) for k in shown.index]
    fig, ax = style.new_figure((10, max(3.5, 0.55 * (len(labels) + 1) + 1.5)))
    y0 = len(hidden)
    y = np.arange(y0, y0 + len(shown))
    ax.errorbar(
        shown["share"],
        y,
        xerr=[shown["share"] - shown["low"], shown["high"] - shown["share"]],
        fmt="o",
        color=style.PRIMARY,
        ms=9,
        capsize=4,
        lw=2,
    )
    ytot = y0 + len(shown)
    if overall.decided >= target.min_count:
        ax.errorbar(
            [overall.share],
            [ytot],
            xerr=[[overall.share - overall.low], [overall.high - overall.share]],
            fmt="D",
            color=style.HIGHLIGHT,
            ms=10,
            capsize=4,
            lw=2,
        )
    labels.append("Alla brottstyper")
    ax.axvline(target.share, color=style.PALETTE[2], ls="--", lw=2)
    ax.text(
        target.share,
        1.0,
        f" mål {fmt_percent(target.share)}",
        color=style.PALETTE[2],
        transform=ax.get_xaxis_transform(),
        va="bottom",
        ha="center",
    )
    ax.set_yticks(range(len(labels)), labels)
    low = float(np.nanmin([*shown["low"], overall.low, target.share])) if len(shown) else 0.0
    ax.set_xlim(max(0.0, low - 0.05), 1.01)
    _percent_axis(ax, "x")
    ax.set_xlabel(f"kontakt inom {target.days} dagar (punkt) med 95 % konfidensintervall (streck)")
    ax.set_title(f"Kontakt inom en vecka per brottstyp, {period}", pad=24)
    ax.grid(axis="y", visible=False)
    return style.finish(fig)


def plot_funnel(cases: pd.DataFrame, period: int, target: Target | None = None) -> Figure:
    """Funnel plot: each category's share against its number of decided cases.

    The funnel is centred on the kommun's pooled share of the period (95 %
    and 99.8 % exact binomial limits); a category outside it differs from the
    others by more than chance. Suppressed categories are not drawn.
    """
    target = target or Target()
    comparison = category_comparison(cases, period, target)
    shown = comparison[~comparison["suppressed"]]
    centre = comparison.attrs.get("overall", math.nan)
    fig, ax = style.new_figure()
    if shown.empty or math.isnan(centre):
        ax.text(0.5, 0.5, "För få ärenden per brottstyp", ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return style.finish(fig)
    n_max = int(shown["decided"].max() * 1.15) + 2
    ns = np.arange(max(2, target.min_count), n_max)
    limits = funnel_limits_proportion(ns, min(centre, 1.0))
    ax.plot(ns, limits["lower_95"], color=style.MUTED, lw=1.5, ls="--", label="95 %-gräns")
    ax.plot(ns, limits["upper_95"], color=style.MUTED, lw=1.5, ls="--")
    ax.plot(ns, limits["lower_998"], color=style.MUTED, lw=2, label="99,8 %-gräns")
    ax.plot(ns, limits["upper_998"], color=style.MUTED, lw=2)
    ax.axhline(centre, color=style.MUTED, lw=1, label=f"kommunens genomsnitt {fmt_percent(centre)}")
    ax.axhline(
        target.share, color=style.PALETTE[2], ls=":", lw=2, label=f"mål {fmt_percent(target.share)}"
    )
    outside = shown["position"] != "within"
    ax.scatter(
        shown["decided"],
        shown["share"],
        s=80,
        zorder=5,
        color=[style.HIGHLIGHT if o else style.PRIMARY for o in outside],
    )
    for key, r in shown.iterrows():
        ax.annotate(
            CATEGORY_LABELS.get(str(key), str(key)),
            (r["decided"], r["share"]),
            xytext=(6, 4),
            textcoords="offset points",
            fontsize="small",
        )
    _percent_axis(ax)
    ax.set_ylim(max(0.0, float(limits["lower_998"].iloc[len(ns) // 4]) - 0.05), 1.02)
    ax.set_xlabel("avgjorda ärenden")
    ax.set_ylabel(f"kontakt inom {target.days} dagar")
    ax.set_title(f"Trattdiagram: brottstyper jämförda med genomsnittet, {period}")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return style.finish(fig)


def _km_curve(cases: pd.DataFrame, min_count: int) -> pd.DataFrame:
    """KM table cut where fewer than ``min_count`` cases remain at risk (privacy) and at 60 days."""
    km = km_for_cases(cases)
    return km[(km["at_risk"] >= min_count) & (km["time"] <= KM_MAX_DAYS)]


def plot_delay(cases: pd.DataFrame, period: int, target: Target | None = None) -> Figure:
    """Kaplan–Meier curve: share contacted after each number of days, with the 7-day line.

    The period is drawn strong and the previous year muted. Each curve stops
    where fewer than ``min_count`` cases remain at risk, so that the tail does
    not show single cases.
    """
    target = target or Target()
    fig, ax = style.new_figure()
    drawn = False
    for year, colour, lw in (
        (int(period) - 1, style.MUTED, 2.0),
        (int(period), style.PRIMARY, 3.0),
    ):
        subset = cases_in_period(cases, year)
        if len(subset) < target.min_cases:
            continue
        km = _km_curve(subset, target.min_count)
        x = np.concatenate([[0.0], km["time"].to_numpy()])
        y = np.concatenate([[0.0], km["contacted_share"].to_numpy()])
        if km["time"].iloc[0] == 0:
            x, y = x[1:], y[1:]
        ax.step(x, y, where="post", color=colour, lw=lw, label=str(year))
        drawn = True
    if not drawn:
        ax.text(0.5, 0.5, "För få ärenden", ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return style.finish(fig)
    ax.axvline(
        target.days, color=style.PALETTE[2], ls="--", lw=2, label=f"{target.days} dagar (löftet)"
    )
    ax.axhline(
        target.share, color=style.PALETTE[2], ls=":", lw=2, label=f"mål {fmt_percent(target.share)}"
    )
    _percent_axis(ax)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, None)
    ax.set_xlabel("dagar efter att utredaren tilldelades")
    ax.set_ylabel("andel kontaktade")
    ax.set_title(f"Hur lång tid tog det innan de brottsutsatta kontaktades? {period}")
    ax.legend(loc="lower right")
    return style.finish(fig)
