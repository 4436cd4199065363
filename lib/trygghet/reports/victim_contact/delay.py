"""How long the victims waited: a Kaplan–Meier estimate of the days to first contact.

**Delay** – median and 90th percentile of the days to first contact from a
Kaplan–Meier estimate in which uncontacted cases are right-censored at
``censored_days``; quantile ``q`` is the smallest day ``t`` with
``S(t) <= 1 - q`` ("half were contacted within t days"). statsmodels (like
SAS) uses a strict ``<``; the two differ only when the curve sits exactly on
``1 - q``.

Privacy: the curve that is drawn (:func:`km_curve`) stops where fewer than
``min_count`` cases remain at risk, so that its tail does not show single
cases.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from trygghet.reports.victim_contact.analysis import Target, as_float


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
        contacted, as_float(cases["days_to_contact"]), as_float(cases["censored_days"])
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


#: The Kaplan–Meier chart shows at most this many days.
KM_MAX_DAYS = 60


def km_curve(cases: pd.DataFrame, min_count: int) -> pd.DataFrame:
    """KM table cut where fewer than ``min_count`` cases remain at risk (privacy) and at 60 days."""
    km = km_for_cases(cases)
    return km[(km["at_risk"] >= min_count) & (km["time"] <= KM_MAX_DAYS)]
