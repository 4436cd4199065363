"""The lägesbild's display tables: Swedish column names, formatted numbers.

Week mode shows counts against the expected level; tertial mode counts
against the same tertial a year earlier, with the rate ratio per week. Every
table goes through :func:`trygghet.present.tables.page_table` (cells through
the page gate, EXEMPELDATA marked); counts of reports per category or place
under the kommun's ``min_count`` are "fåtal" by the shared small-number rule
(the categories and places add up to the EST total in the sources table, so
complementary cells are hidden as well).
"""

from __future__ import annotations

import pandas as pd

from trygghet.present import small_numbers
from trygghet.present.gate import clean_text, responsible_label
from trygghet.present.swedish import fmt_date, fmt_int, fmt_number
from trygghet.present.tables import PageTable, page_table
from trygghet.reports.est.analysis import Picture
from trygghet.reports.est.measures import OPEN_STATUSES
from trygghet.reports.est.repeats import REPEAT_WINDOW
from trygghet.reports.est.text import count_range
from trygghet.reports.est.verdicts import CHANGE_LABELS, MISSING, VERDICT_LABELS
from trygghet.reports.est.weeks import week_name


def _count_texts(
    counts: pd.DataFrame, min_count: int, margins: str | None = "columns"
) -> pd.DataFrame:
    """Counts as text by the shared small-number rule ("fåtal", "visas ej" or the number).

    ``margins`` says which totals are shown elsewhere (see
    :func:`trygghet.present.small_numbers.hidden_mask`). A missing count (a
    source without data, a measure too new) stays "–".
    """
    hidden = small_numbers.hidden_mask(counts.fillna(0).astype("int64"), min_count, margins=margins)
    out = counts.astype(object).copy()
    for column in counts.columns:
        out[column] = [
            "–" if pd.isna(v) else small_numbers.count_text(v, h, min_count)
            for v, h in zip(counts[column], hidden[column], strict=True)
        ]
    return out


def _table(frame: pd.DataFrame, origin: str) -> PageTable:
    return page_table(frame, origin=origin, show_index=True)


def _none(key_label: str, text: str, origin: str) -> PageTable:
    return _table(pd.DataFrame({key_label: [text]}).set_index(key_label), origin)


def _flag_display(
    table: pd.DataFrame,
    key_label: str,
    min_count: int,
    origin: str,
    margins: str | None = "columns",
) -> PageTable:
    if table.empty:
        return _none(key_label, "(inga)", origin)
    counts = _count_texts(table[["observed"]], min_count, margins)
    return _table(
        pd.DataFrame(
            {
                key_label: table["key"].map(clean_text),
                "antal": counts["observed"],
                "väntat (medel)": table["expected"].map(lambda x: fmt_number(x, 1)),
                "väntat intervall": [
                    count_range(lo, hi) if not (pd.isna(lo) or pd.isna(hi)) else "–"
                    for lo, hi in zip(table["low"], table["high"], strict=True)
                ],
                "bedömning": table["verdict"].map(VERDICT_LABELS),
            }
        ).set_index(key_label),
        origin,
    )


def _compare_display(
    table: pd.DataFrame,
    key_label: str,
    compared: str,
    min_count: int,
    origin: str,
    margins: str | None = "columns",
) -> PageTable:
    if table.empty:
        return _none(key_label, "(inga)", origin)
    labels = {**CHANGE_LABELS, MISSING: VERDICT_LABELS[MISSING]}
    counts = _count_texts(table[["now", "before"]], min_count, margins)
    # A ratio beside a hidden count would give the count back.
    hidden = counts.isin([small_numbers.FEW, small_numbers.HIDDEN]).any(axis=1)
    return _table(
        pd.DataFrame(
            {
                key_label: table["key"].map(clean_text),
                "antal": counts["now"],
                compared: counts["before"],
                "kvot per vecka (95 % osäkerhetsintervall)": [
                    "–"
                    if pd.isna(r) or h
                    else f"{fmt_number(r, 2)} ({fmt_number(lo, 2)}–{fmt_number(hi, 2)})"
                    for r, lo, hi, h in zip(
                        table["ratio"], table["low"], table["high"], hidden, strict=True
                    )
                ],
                "bedömning": table["verdict"].map(labels),
            }
        ).set_index(key_label),
        origin,
    )


def sources_table(pic: Picture) -> PageTable:
    """The three sources this week (or tertial) against the expected level.

    A source's total is the kommun's, but a week with two EST reports, under a
    rule of five, would still say "two" about a handful of incidents: totals
    follow the same small-number rule as the categories under them.
    """
    n, origin = pic.data.min_count, pic.data.display_origin
    # The sources are never added together (they count different things): no
    # total is shown, so there is nothing to protect by hiding a second source.
    if pic.selection.mode == "vecka":
        return _flag_display(pic.sources, "källa", n, origin, margins=None)
    return _compare_display(pic.sources, "källa", pic.compared_with, n, origin, margins=None)


def category_table(pic: Picture) -> PageTable:
    """EST reports per category against the expected level (most unusual first)."""
    n, origin = pic.data.min_count, pic.data.origin
    if pic.selection.mode == "vecka":
        return _flag_display(pic.categories, "kategori", n, origin)
    return _compare_display(pic.categories, "kategori", pic.compared_with, n, origin)


def place_table(pic: Picture, top: int = 12) -> PageTable:
    """Places with reports this week (or the tertial's top places), most unusual first."""
    n, origin = pic.data.min_count, pic.data.origin
    if pic.selection.mode == "vecka":
        return _flag_display(pic.places.head(top), "plats", n, origin)
    t = pic.places.sort_values(["now", "key"], ascending=[False, True], kind="stable").head(top)
    return _compare_display(t, "plats", pic.compared_with, n, origin)


def recurring_table(table: pd.DataFrame, min_count: int, origin: str) -> PageTable:
    """A :func:`~trygghet.reports.est.repeats.recurring_places` table for the page.

    One week: weeks with reports of the last six, reports and the measure
    covering the place. A longer span adds how many of its weeks the place was
    recurring and the first and last of them. Report counts under
    ``min_count`` are "fåtal".
    """
    if table.empty:
        return _none("plats", "(inga återkommande platser)", origin)
    weeks = table.attrs.get("weeks", ())
    reports = _count_texts(table[["reports"]], min_count, margins=None)
    columns: dict[str, object] = {"plats": table["place"].map(clean_text)}
    if len(weeks) > 1:
        columns[f"veckor som återkommande (av {len(weeks)})"] = table["weeks_recurring"].map(
            fmt_int
        )
        columns["första vecka"] = table["first_week"].map(week_name)
        columns["senaste vecka"] = table["last_week"].map(week_name)
        columns["veckor med rapporter"] = table["weeks_with_reports"].map(fmt_int)
    else:
        columns[f"veckor med rapporter (av {REPEAT_WINDOW})"] = table["weeks_with_reports"].map(
            fmt_int
        )
    columns["rapporter"] = reports["reports"]
    columns["åtgärd"] = table["measure_ids"].replace("", "ingen").map(clean_text)
    return _table(pd.DataFrame(columns).set_index("plats"), origin)


def repeat_table(pic: Picture) -> PageTable:
    """The recurring places of the lägesbild's selection (:func:`recurring_table`)."""
    return recurring_table(pic.repeat, pic.data.min_count, pic.data.origin)


def _status_text(row: pd.Series) -> str:
    """A measure's status as the table shows it: open then, done when, overdue."""
    if row["open"] and row["status"] not in OPEN_STATUSES:
        return f"öppen då ({clean_text(row['status'])} {fmt_date(row['done_date'])})"
    text = clean_text(row["status"])
    if pd.notna(row["done_date"]):
        text += f" {fmt_date(row['done_date'])}"
    return text + (" – försenad" if row["overdue"] else "")


def measures_table(pic: Picture) -> PageTable:
    """Measures with status, delay and before/after counts at their place.

    The responsible party is named only if the kommun lists it ("annan
    ansvarig" otherwise); counts at the place under ``min_count`` are "fåtal".
    """
    m = pic.measures
    origin = pic.data.origin
    if m.empty:
        return _none("åtgärd", "(inga åtgärder att följa upp)", origin)
    counts = _count_texts(m[["before", "after"]], pic.data.min_count, margins=None)
    parties = pic.data.parties
    return _table(
        pd.DataFrame(
            {
                "åtgärd": m["measure_id"].map(clean_text),
                "beslutad": m["decided"].map(week_name),
                "plats": m["place"].map(clean_text),
                "ansvarig": m["responsible"].map(lambda v: responsible_label(v, parties)),
                "status": [_status_text(r) for _, r in m.iterrows()],
                "rapporter före": counts["before"],
                "rapporter efter": counts["after"],
                "veckor per fönster": m["weeks"].map(fmt_int),
                "bedömning": m["verdict"].map(CHANGE_LABELS),
            }
        ).set_index("åtgärd"),
        origin,
    )
