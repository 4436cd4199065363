"""The lägesbild's display tables: Swedish column names, formatted numbers.

Week mode shows counts against the expected level; tertial mode counts
against the same tertial a year earlier, with the rate ratio per week.
"""

from __future__ import annotations

import pandas as pd

from trygghet.present.swedish import fmt_date, fmt_int, fmt_number
from trygghet.reports.est.analysis import Picture
from trygghet.reports.est.measures import OPEN_STATUSES
from trygghet.reports.est.repeats import repeat_window
from trygghet.reports.est.text import count_range
from trygghet.reports.est.verdicts import CHANGE_LABELS, MISSING, VERDICT_LABELS
from trygghet.reports.est.weeks import week_name


def _flag_display(table: pd.DataFrame, key_label: str) -> pd.DataFrame:
    if table.empty:
        return pd.DataFrame({key_label: ["(inga)"]}).set_index(key_label)
    return pd.DataFrame(
        {
            key_label: table["key"].astype(str),
            "antal": table["observed"].map(fmt_int),
            "väntat (medel)": table["expected"].map(lambda x: fmt_number(x, 1)),
            "väntat intervall": [
                count_range(lo, hi) if not (pd.isna(lo) or pd.isna(hi)) else "–"
                for lo, hi in zip(table["low"], table["high"], strict=True)
            ],
            "bedömning": table["verdict"].map(VERDICT_LABELS),
        }
    ).set_index(key_label)


def _compare_display(table: pd.DataFrame, key_label: str, compared: str) -> pd.DataFrame:
    if table.empty:
        return pd.DataFrame({key_label: ["(inga)"]}).set_index(key_label)
    labels = {**CHANGE_LABELS, MISSING: VERDICT_LABELS[MISSING]}
    return pd.DataFrame(
        {
            key_label: table["key"].astype(str),
            "antal": table["now"].map(fmt_int),
            compared: table["before"].map(fmt_int),
            "kvot per vecka (95 % KI)": [
                "–"
                if pd.isna(r)
                else f"{fmt_number(r, 2)} ({fmt_number(lo, 2)}–{fmt_number(hi, 2)})"
                for r, lo, hi in zip(table["ratio"], table["low"], table["high"], strict=True)
            ],
            "bedömning": table["verdict"].map(labels),
        }
    ).set_index(key_label)


def sources_table(pic: Picture) -> pd.DataFrame:
    """The three sources this week (or tertial) against the expected level."""
    if pic.selection.mode == "vecka":
        return _flag_display(pic.sources, "källa")
    return _compare_display(pic.sources, "källa", pic.compared_with)


def category_table(pic: Picture) -> pd.DataFrame:
    """EST reports per category against the expected level (most unusual first)."""
    if pic.selection.mode == "vecka":
        return _flag_display(pic.categories, "kategori")
    return _compare_display(pic.categories, "kategori", pic.compared_with)


def place_table(pic: Picture, top: int = 12) -> pd.DataFrame:
    """Places with reports this week (or the tertial's top places), most unusual first."""
    if pic.selection.mode == "vecka":
        return _flag_display(pic.places.head(top), "plats")
    t = pic.places.sort_values(["now", "key"], ascending=[False, True], kind="stable").head(top)
    return _compare_display(t, "plats", pic.compared_with)


def repeat_table(pic: Picture) -> pd.DataFrame:
    """Repeat places with weeks reported, reports and the measure covering them."""
    r = pic.repeat
    if r.empty:
        return pd.DataFrame({"plats": ["(inga återkommande platser)"]}).set_index("plats")
    window, _ = repeat_window(pic.selection)
    return pd.DataFrame(
        {
            "plats": r["place"],
            f"veckor med rapporter (av {window})": r["weeks_with_reports"].map(fmt_int),
            "rapporter": r["reports"].map(fmt_int),
            "åtgärd": r["measure_ids"].replace("", "ingen"),
        }
    ).set_index("plats")


def _status_text(row: pd.Series) -> str:
    """A measure's status as the table shows it: open then, done when, overdue."""
    if row["open"] and row["status"] not in OPEN_STATUSES:
        return f"öppen då ({row['status']} {fmt_date(row['done_date'])})"
    text = str(row["status"])
    if pd.notna(row["done_date"]):
        text += f" {fmt_date(row['done_date'])}"
    return text + (" – försenad" if row["overdue"] else "")


def measures_table(pic: Picture) -> pd.DataFrame:
    """Measures with status, delay and before/after counts at their place."""
    m = pic.measures
    if m.empty:
        return pd.DataFrame({"åtgärd": ["(inga åtgärder att följa upp)"]}).set_index("åtgärd")
    return pd.DataFrame(
        {
            "åtgärd": m["measure_id"],
            "beslutad": m["decided"].map(week_name),
            "plats": m["place"],
            "ansvarig": m["responsible"],
            "status": [_status_text(r) for _, r in m.iterrows()],
            "rapporter före": m["before"].map(fmt_int),
            "rapporter efter": m["after"].map(fmt_int),
            "veckor per fönster": m["weeks"].map(fmt_int),
            "bedömning": m["verdict"].map(CHANGE_LABELS),
        }
    ).set_index("åtgärd")
