"""The picture: everything the lägesbild shows for one week or tertial.

:func:`build` resolves the selection (:func:`trygghet.reports.est.weeks.select`)
and computes, "as of" its last week (no data after it is used, so an old
week's lägesbild looks as it would have looked then, except measure statuses,
see :func:`trygghet.reports.est.measures.measure_followup`):

* **Week mode**: each source (EST partners, police events, residents'
  reports), EST category and place against its expected level
  (:mod:`trygghet.reports.est.expected`).
* **Tertial mode**: a tertial (Jan–Apr, May–Aug, Sep–Dec) against the same
  tertial a year earlier (:func:`compare_periods`).
* Recurring places (:func:`trygghet.reports.est.repeats.recurring_places`
  over the selected weeks), the measures to follow up, and the three things
  to discuss first (:mod:`trygghet.reports.est.agenda`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from trygghet.reports.est.agenda import (
    NOTHING_STANDS_OUT,
    NOTHING_STANDS_OUT_TERTIAL,
    Point,
    capital,
    change_point,
    elevated_point,
    overdue_point,
    repeat_point,
    three_things,
)
from trygghet.reports.est.data import SOURCE_LABELS, EstData
from trygghet.reports.est.expected import assess, flag_table, history_weeks
from trygghet.reports.est.measures import measure_followup
from trygghet.reports.est.repeats import recurring_places
from trygghet.reports.est.verdicts import (
    ALPHA,
    ELEVATED_VERDICTS,
    FEWER,
    MISSING,
    MORE,
    NO_CLEAR_CHANGE,
    NO_COMPARISON,
    TOO_FEW,
)
from trygghet.reports.est.weeks import Selection, select, tertial_weeks, weekly_counts
from trygghet.sources.est_reports import CATEGORIES
from trygghet.stats.rates import rate_ratio_test


@dataclass
class Picture:
    """Everything the lägesbild shows for one selection."""

    selection: Selection
    data: EstData
    sources: pd.DataFrame
    categories: pd.DataFrame
    places: pd.DataFrame
    repeat: pd.DataFrame  # recurring_places over the selection's weeks
    measures: pd.DataFrame
    things: list[str]
    compared_with: str = ""  # tertial mode: "samma tertial 2024"


# --------------------------------------------------------------------------
# Tertial comparison
# --------------------------------------------------------------------------

#: Tertial comparisons: fewer reports in the two tertials together than this
#: give "för få för att säga" (as :data:`trygghet.stats.trend.MIN_TOTAL_COUNT`).
MIN_TERTIAL_TOTAL: int = 10


def compare_periods(
    counts: pd.DataFrame, now: Sequence[pd.Timestamp], before: Sequence[pd.Timestamp]
) -> pd.DataFrame:
    """Counts of every column in the weeks ``now`` against the weeks ``before``.

    Columns: ``key, now, before, weeks_now, weeks_before, ratio, low, high,
    p_value, verdict``. The rate ratio is per week (the tertials can have 17
    or 18 weeks), tested with :func:`trygghet.stats.rates.rate_ratio_test`.
    Verdicts: ``no_comparison`` (the earlier weeks are not all in the data),
    ``too_few`` (fewer than MIN_TERTIAL_TOTAL together), ``more``/``fewer``
    (p < 0.05), else ``no_clear_change``. Sorted by p-value.
    """
    columns = [
        "key",
        "now",
        "before",
        "weeks_now",
        "weeks_before",
        "ratio",
        "low",
        "high",
        "p_value",
        "verdict",
    ]
    now, before = list(now), list(before)
    has_before = bool(before) and all(w in counts.index for w in before)
    rows = []
    for key in counts.columns:
        c_now = int(counts.loc[[w for w in now if w in counts.index], key].sum())
        row = {
            "key": key,
            "now": c_now,
            "before": np.nan,
            "weeks_now": len(now),
            "weeks_before": len(before),
            "ratio": np.nan,
            "low": np.nan,
            "high": np.nan,
            "p_value": np.nan,
        }
        if not has_before:
            row["verdict"] = NO_COMPARISON
            rows.append(row)
            continue
        c_before = int(counts.loc[before, key].sum())
        row["before"] = c_before
        if c_now + c_before < MIN_TERTIAL_TOTAL:
            row["verdict"] = TOO_FEW
        else:
            test = rate_ratio_test(c_now, len(now), c_before, len(before))
            row.update(ratio=test.ratio, low=test.low, high=test.high, p_value=test.p_value)
            if test.p_value < ALPHA:
                row["verdict"] = MORE if test.ratio > 1 else FEWER
            else:
                row["verdict"] = NO_CLEAR_CHANGE
        rows.append(row)
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(
        ["p_value", "now", "key"], ascending=[True, False, True], na_position="last", kind="stable"
    ).reset_index(drop=True)


# --------------------------------------------------------------------------
# Sources, categories and places
# --------------------------------------------------------------------------

#: The noun a source's counts are given in ("3 händelser").
SOURCE_UNITS: dict[str, tuple[str, str]] = {
    "est": ("rapport", "rapporter"),
    "police": ("händelse", "händelser"),
    "residents": ("rapport", "rapporter"),
}


def _week_tables(
    data: EstData, sel: Selection, cats: pd.DataFrame, places: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[Point]]:
    """Week mode: sources, categories and places against the expected level."""
    rows, points = [], []
    for key, label in SOURCE_LABELS.items():
        s = data.sources.get(key)
        if s is None:
            continue
        if sel.end in s.counts.index:
            hist, rule = history_weeks(sel.end, s.first)
            a = assess(s.counts.at[sel.end, "alla"], s.counts.loc[hist, "alla"].to_numpy())
        else:
            a, rule = assess(None, []), "too_short"
        rows.append({"key": label, **a.__dict__, "rule": rule})
        if a.verdict in ELEVATED_VERDICTS:
            # The same small-number rule as the source table (a handful is not said as a number).
            text = elevated_point(label, a.__dict__, SOURCE_UNITS[key], min_count=data.min_count)
            points.append(Point("elevated", (a.p_value, -a.observed, label), text))
    sources = pd.DataFrame(rows)
    cat_table = flag_table(cats, sel.end)
    place_table = flag_table(places, sel.end)
    keep = (place_table["observed"] > 0) | place_table["verdict"].isin(ELEVATED_VERDICTS)
    place_table = place_table[keep].reset_index(drop=True)
    for table in (cat_table, place_table):
        for _, row in table[table["verdict"].isin(ELEVATED_VERDICTS)].iterrows():
            label = str(row["key"])
            text = elevated_point(capital(label), row, min_count=data.min_count)
            points.append(Point("elevated", (row["p_value"], -row["observed"], label), text))
    return sources, cat_table, place_table, points


def _tertial_tables(
    data: EstData, sel: Selection, cats: pd.DataFrame, places: pd.DataFrame, compared: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[Point]]:
    """Tertial mode: sources, categories and places against the same tertial a year earlier."""
    earlier = tertial_weeks(sel.year - 1, int(sel.tertial or 0))
    frames, points = [], []
    for key, label in SOURCE_LABELS.items():
        s = data.sources.get(key)
        if s is None:
            continue
        sub = s.counts.loc[s.counts.index <= sel.end, ["alla"]].rename(columns={"alla": label})
        t = compare_periods(sub, sel.weeks, earlier)
        if not all(w in sub.index for w in sel.weeks):
            t["verdict"], t["now"] = MISSING, np.nan
        frames.append(t)
    sources = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    cat_table = compare_periods(cats, sel.weeks, earlier)
    place_table = compare_periods(places, sel.weeks, earlier)
    place_table = place_table[place_table["now"] > 0].reset_index(drop=True)
    for table in (cat_table, place_table):
        for _, row in table[table["verdict"] == MORE].iterrows():
            label = str(row["key"])
            text = change_point(capital(label), row, compared, data.min_count)
            points.append(Point("elevated", (row["p_value"], -row["now"], label), text))
    return sources, cat_table, place_table, points


# --------------------------------------------------------------------------
# The picture
# --------------------------------------------------------------------------


def build(
    data: EstData, period: int, mode: str = "vecka", week: str = "", tertial: int = 0
) -> Picture:
    """Compute the lägesbild for the notebook's parameters (see :func:`select`)."""
    sel = select(mode, period, data.first, data.last, week, tertial)
    r = data.reports
    cats = weekly_counts(r["week_start"], data.first, sel.end, r["category"], CATEGORIES)
    places = weekly_counts(r["week_start"], data.first, sel.end, r["place"])
    compared = f"samma tertial {sel.year - 1}" if sel.mode == "tertial" else ""
    if sel.mode == "vecka":
        sources, cat_table, place_table, points = _week_tables(data, sel, cats, places)
        nothing = NOTHING_STANDS_OUT
    else:
        sources, cat_table, place_table, points = _tertial_tables(data, sel, cats, places, compared)
        nothing = NOTHING_STANDS_OUT_TERTIAL
    # The one definition of a recurring place, over the selected week(s).
    repeat = recurring_places(data, sel, label=sel.label)
    for _, row in repeat[~repeat["has_measure"]].iterrows():
        rank = (-row["weeks_recurring"], -row["weeks_with_reports"], -row["reports"], row["place"])
        text = repeat_point(row, min_count=data.min_count, n_weeks=len(sel.weeks))
        points.append(Point("repeat", rank, text))
    measures = measure_followup(data, sel.end)
    for _, row in measures[measures["overdue"].astype(bool)].iterrows():
        points.append(Point("overdue", (row["decided"], row["measure_id"]), overdue_point(row)))
    things = three_things(points, nothing=nothing)
    return Picture(sel, data, sources, cat_table, place_table, repeat, measures, things, compared)
