"""Display tables of the victim-contact report: key figures, per quarter, per crime category.

Every row is a group of cases, never a case. The small-number rule of
:mod:`trygghet.present.small_numbers`: a count under ``min_count`` shows
"fåtal", and because the year's totals are shown (key figures, the "Hela
året" row) further counts are hidden ("visas ej") until none can be computed
by subtraction. A share, interval or verdict needs ``min_cases`` decided
cases (the verdict's floor, never below ``min_count``): with fewer the share
shows "för få", as the charts do. Tables go through
:func:`~trygghet.present.tables.page_table`, marked when the data are examples.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from trygghet.present.small_numbers import TOO_FEW, count_text, hidden_mask
from trygghet.present.swedish import fmt_percent
from trygghet.present.tables import PageTable, page_table
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
    days_text,
    interval_text,
    month_label,
)
from trygghet.sources import processed


def _group_label(key: Any) -> str:
    if isinstance(key, pd.Period):
        return f"kvartal {key.quarter} {key.year}"
    if isinstance(key, pd.Timestamp):
        return month_label(key)
    return CATEGORY_LABELS.get(str(key), str(key))


def _display_rows(
    table: pd.DataFrame, target: Target, groups: pd.Index | None = None
) -> pd.DataFrame:
    """Aggregated rows -> Swedish strings, with the small-number rule.

    ``groups`` are the rows whose counts add up to a shown total (all rows
    when None): within them small counts and their complements are hidden.
    """
    m = target.min_count
    groups = table.index if groups is None else groups
    hidden = {}
    for column in ("n_cases", "decided"):
        mask = pd.Series(False, index=table.index)
        if len(groups):
            mask[groups] = hidden_mask(table.loc[groups, column], m).to_numpy()
        hidden[column] = mask
    rows = []
    for key, r in table.iterrows():
        small = r["decided"] < target.min_cases
        rows.append(
            {
                "": _group_label(key),
                "ärenden": count_text(r["n_cases"], bool(hidden["n_cases"][key]), m),
                "avgjorda": count_text(r["decided"], bool(hidden["decided"][key]), m),
                "kontakt inom en vecka": TOO_FEW if small else fmt_percent(r["share"]),
                "95 % osäkerhetsintervall": MISSING
                if small
                else interval_text(r["low"], r["high"]),
                "bedömning": verdict_from_interval(r["low"], r["high"], int(r["decided"]), target),
            }
        )
    return pd.DataFrame(rows).set_index("")


def period_table(
    cases: pd.DataFrame, period: int, by: str = "quarter", target: Target | None = None
) -> PageTable:
    """Display table per quarter (or month) of ``period``, plus a total row ``"Hela året"``."""
    target = target or Target()
    year = cases_in_period(cases, period)
    table = aggregate(year, by, target)
    parts = table.index.copy()
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
    shown = _display_rows(table, target, parts)
    return page_table(shown, origin=processed.origin(cases), show_index=True)


def category_table(cases: pd.DataFrame, period: int, target: Target | None = None) -> PageTable:
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
    return page_table(shown, origin=processed.origin(cases), show_index=True)


def key_figures(cases: pd.DataFrame, period: int, target: Target | None = None) -> PageTable:
    """One-column display table with the promise's key figures for ``period``."""
    target = target or Target()
    year = cases_in_period(cases, period)
    result = on_time_share(year, target)
    delay = delay_summary(year, target)
    small = result.decided < target.min_cases
    m = target.min_count
    # ärenden = avgjorda + öppna: a small number of open cases must not follow by subtraction.
    pair = hidden_mask(pd.Series([result.decided, result.open]), m).tolist()
    rows = {
        "Ärenden där en utredare tilldelades": count_text(
            result.n_cases, 0 < result.n_cases < m, m
        ),
        f"Avgjorda ärenden (kontakt, eller mer än {target.days} dagar utan kontakt)": count_text(
            result.decided, pair[0], m
        ),
        f"Kontakt inom {target.days} dagar": TOO_FEW if small else fmt_percent(result.share),
        "95 % osäkerhetsintervall": MISSING if small else interval_text(result.low, result.high),
        "Mål": f"minst {fmt_percent(target.share)}",
        "Bedömning": verdict(result, target),
        "Hälften kontaktade inom (median)": MISSING if small else days_text(delay.median),
        "Nio av tio kontaktade inom (90:e percentilen)": MISSING if small else days_text(delay.p90),
        "Utan registrerad kontakt vid uttaget": count_text(
            result.uncontacted, 0 < result.uncontacted < m, m
        ),
        f"  varav fortfarande inom {target.days} dagar (räknas inte)": count_text(
            result.open, pair[1], m
        ),
    }
    frame = pd.DataFrame({"värde": rows.values()}, index=pd.Index(list(rows), name="nyckeltal"))
    return page_table(frame, origin=processed.origin(cases), show_index=True)
