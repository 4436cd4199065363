"""Display tables of the victim-contact report: key figures, per quarter, per crime category.

Every row is a group of cases, never a case; a group with fewer than
``min_count`` decided cases shows "fåtal" and no share.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from trygghet.present.swedish import fmt_percent
from trygghet.reports.victim_contact.analysis import (
    Target,
    aggregate,
    cases_in_period,
    category_comparison,
    on_time_share,
    verdict,
    verdict_from_interval,
)
from trygghet.reports.victim_contact.delay import delay_summary
from trygghet.reports.victim_contact.text import (
    CATEGORY_LABELS,
    MISSING,
    count_text,
    days_text,
    interval_text,
    month_label,
)


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
