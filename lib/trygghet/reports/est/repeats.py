"""Recurring places: the one definition, for a week, a tertial or a year.

A place is *recurring* at the end of a week when it has EST reports in at
least :data:`REPEAT_MIN_WEEKS` of the :data:`REPEAT_WINDOW` weeks ending with
that week (:func:`repeat_places`, the weekly lägesbild's rule). Over a longer
span (a tertial, a year) a place is recurring if it was at the end of any week
of the span (:func:`recurring_places`), and it *has a measure* if a measure
covered it in at least one of those weeks (open then, or decided within
:data:`MEASURE_GRACE_WEEKS` weeks). :data:`RECURRING_DEFINITION` says this in
Swedish and is shown wherever a count of recurring places is.

The year-level figures of the follow-up come from the same function:
:func:`recurring_places_in_year` (the table behind its chart),
:func:`repeat_places_with_measure` (its share), and :func:`weeks_to_measure`
(the delays from the first report at a place to the measure decided there).

A recurring place without a measure is a candidate for the meeting's decision.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from trygghet.reports.est.data import EstData
from trygghet.reports.est.measures import open_at
from trygghet.reports.est.weeks import WEEK, Selection, iso_monday, week_name, weeks_in_year

#: Recurring places: reported in at least REPEAT_MIN_WEEKS of the last REPEAT_WINDOW weeks.
REPEAT_WINDOW: int = 6
REPEAT_MIN_WEEKS: int = 3
#: A recurring place "has a measure" if one there is still open, or was decided
#: within this many weeks (a finished measure needs time before it is judged).
MEASURE_GRACE_WEEKS: int = 13

#: The definition in Swedish, shown wherever a number of recurring places is.
RECURRING_DEFINITION: str = (
    f"En plats räknas som återkommande en vecka när den har EST-rapporter i minst "
    f"{REPEAT_MIN_WEEKS} av de {REPEAT_WINDOW} senaste veckorna (den veckan inräknad); "
    "under en längre period, som en tertial eller ett år, är den återkommande om den var det "
    "någon vecka under perioden. Platsen har en åtgärd om en åtgärd där var öppen, eller hade "
    f"beslutats de {MEASURE_GRACE_WEEKS} senaste veckorna, någon vecka då platsen var "
    "återkommande."
)

#: The columns of :func:`recurring_places`.
RECURRING_COLUMNS: list[str] = [
    "place",
    "weeks_recurring",
    "first_week",
    "last_week",
    "weeks_with_reports",
    "reports",
    "has_measure",
    "measure_ids",
]


def repeat_places(
    data: EstData,
    end: pd.Timestamp,
    window: int = REPEAT_WINDOW,
    min_weeks: int = REPEAT_MIN_WEEKS,
) -> pd.DataFrame:
    """The weekly rule: places reported in at least ``min_weeks`` of the ``window`` weeks to ``end``.

    Columns: ``place, weeks_with_reports, reports, has_measure, measure_ids``,
    most weeks first. ``has_measure``: a measure at the place is open at the
    end of the window or was decided within :data:`MEASURE_GRACE_WEEKS` weeks.
    Use :func:`recurring_places` for what a page shows (the same rule, with the
    columns every page uses); ``window`` and ``min_weeks`` are for tests only.
    """
    end = pd.Timestamp(end)
    weeks = [end - d * WEEK for d in range(window - 1, -1, -1)]
    r = data.reports[data.reports["week_start"].isin(weeks)]
    columns = ["place", "weeks_with_reports", "reports", "has_measure", "measure_ids"]
    if r.empty:
        return pd.DataFrame(columns=columns)
    g = r.groupby("place").agg(
        weeks_with_reports=("week_start", "nunique"), reports=("week_start", "size")
    )
    g = g[g["weeks_with_reports"] >= min_weeks].reset_index()
    m = data.measures
    ids: list[str] = []
    for place in g["place"]:
        if m.empty:
            ids.append("")
            continue
        here = m[(m["place_key"] == place) & (m["decided_week_start"] <= end)]
        recent = here["decided_week_start"] > end - MEASURE_GRACE_WEEKS * WEEK
        active = open_at(here, end) | recent
        ids.append(", ".join(here.loc[active, "measure_id"].astype(str)))
    g["measure_ids"] = ids
    g["has_measure"] = g["measure_ids"] != ""
    g = g.sort_values(
        ["weeks_with_reports", "reports", "place"], ascending=[False, False, True], kind="stable"
    )
    return g[columns].reset_index(drop=True)


def _mondays(weeks: Selection | Iterable[pd.Timestamp] | pd.Timestamp) -> list[pd.Timestamp]:
    if isinstance(weeks, Selection):
        weeks = weeks.weeks
    elif isinstance(weeks, pd.Timestamp | str):
        weeks = [weeks]
    return sorted({pd.Timestamp(w) for w in weeks})


def default_label(weeks: list[pd.Timestamp]) -> str:
    """``"vecka 38 2025"`` for one week, ``"vecka 1 2025 – vecka 52 2025"`` for a span."""
    if not weeks:
        return "inga veckor"
    if len(weeks) == 1:
        return week_name(weeks[0])
    return f"{week_name(weeks[0])} – {week_name(weeks[-1])}"


def _recurring_mask(data: EstData, mondays: list[pd.Timestamp]) -> dict[str, list[bool]]:
    """Place -> for each of ``mondays``, whether the weekly rule holds at its end.

    The same rule as :func:`repeat_places` (weeks with at least one report
    among the :data:`REPEAT_WINDOW` weeks ending with the week, at least
    :data:`REPEAT_MIN_WEEKS`), computed for all weeks at once.
    """
    first = mondays[0] - (REPEAT_WINDOW - 1) * WEEK
    r = data.reports[
        (data.reports["week_start"] >= first) & (data.reports["week_start"] <= mondays[-1])
    ]
    if r.empty:
        return {}
    index = pd.date_range(first, mondays[-1], freq="7D").astype("datetime64[us]")
    present = pd.crosstab(r["place"], r["week_start"]).reindex(columns=index, fill_value=0) > 0
    in_window = present.T.rolling(REPEAT_WINDOW, min_periods=1).sum().T
    hits = in_window.loc[:, pd.DatetimeIndex(mondays).astype("datetime64[us]")] >= REPEAT_MIN_WEEKS
    hits = hits[hits.any(axis=1)]
    return {
        str(place): [bool(v) for v in row]
        for place, row in zip(hits.index, hits.to_numpy(), strict=True)
    }


def _covering_measures(data: EstData, place: str, at: list[pd.Timestamp]) -> list[str]:
    """The measures at ``place`` that cover it at the end of at least one week of ``at``.

    As :func:`repeat_places`: decided by then, and open then or decided within
    :data:`MEASURE_GRACE_WEEKS` weeks.
    """
    m = data.measures
    if m.empty:
        return []
    here = m[m["place_key"] == place]
    ids: set[str] = set()
    for week in at:
        decided = here[here["decided_week_start"] <= week]
        if decided.empty:
            continue
        recent = decided["decided_week_start"] > week - MEASURE_GRACE_WEEKS * WEEK
        ids.update(decided.loc[open_at(decided, week) | recent, "measure_id"].astype(str))
    return sorted(ids)


def recurring_places(
    data: EstData,
    weeks: Selection | Iterable[pd.Timestamp] | pd.Timestamp,
    *,
    label: str | None = None,
) -> pd.DataFrame:
    """The recurring places of a week, a tertial or a year (:data:`RECURRING_DEFINITION`).

    ``weeks`` is a :class:`~trygghet.reports.est.weeks.Selection`, one Monday
    or any Mondays. A place is in the table if it met the weekly rule
    (:func:`repeat_places`) at the end of at least one of ``weeks``. Columns:

    * ``weeks_recurring``: how many of ``weeks`` it was recurring at;
    * ``first_week``, ``last_week``: the first and last of those (Mondays);
    * ``weeks_with_reports``, ``reports``: weeks with reports and reports at
      the place within the six-week windows that made it recurring (for one
      week: the window of that week);
    * ``has_measure``: a measure covered it in at least one of those weeks;
      ``measure_ids`` the measures that did.

    Sorted by ``weeks_recurring``, ``weeks_with_reports`` and ``reports``
    (most first), then place. ``attrs``: ``weeks`` (the Mondays), ``label``
    (``label`` or :func:`default_label`), ``window`` and ``min_weeks``.
    """
    mondays = _mondays(weeks)
    rows = []
    if mondays:
        recurring = _recurring_mask(data, mondays)
        for place, mask in recurring.items():
            at = [w for w, hit in zip(mondays, mask, strict=True) if hit]
            ids = _covering_measures(data, place, at)
            spans = {w - d * WEEK for w in at for d in range(REPEAT_WINDOW)}
            here = data.reports[
                (data.reports["place"] == place) & data.reports["week_start"].isin(spans)
            ]
            rows.append(
                {
                    "place": place,
                    "weeks_recurring": len(at),
                    "first_week": at[0],
                    "last_week": at[-1],
                    "weeks_with_reports": int(here["week_start"].nunique()),
                    "reports": len(here),
                    "has_measure": bool(ids),
                    "measure_ids": ", ".join(ids),
                }
            )
    out = pd.DataFrame(rows, columns=RECURRING_COLUMNS)
    if len(out):
        out = out.sort_values(
            ["weeks_recurring", "weeks_with_reports", "reports", "place"],
            ascending=[False, False, False, True],
            kind="stable",
        ).reset_index(drop=True)
    out["has_measure"] = out["has_measure"].astype(bool)
    out.attrs.update(
        weeks=tuple(mondays),
        label=label if label is not None else default_label(mondays),
        window=REPEAT_WINDOW,
        min_weeks=REPEAT_MIN_WEEKS,
    )
    return out


def year_weeks(data: EstData, year: int) -> list[pd.Timestamp]:
    """The complete ISO weeks of ``year`` that the EST data covers (Mondays)."""
    weeks = [iso_monday(year, w) for w in range(1, weeks_in_year(year) + 1)]
    return [w for w in weeks if data.first <= w <= data.last]


def recurring_places_in_year(data: EstData, year: int) -> pd.DataFrame:
    """:func:`recurring_places` over the complete weeks of ISO year ``year`` (label "2025").

    Computed once per data and year (0,2 s: the page, the indicators of this year
    and the baseline and the follow-up's view ask for it); each caller gets a copy.
    """
    key = ("recurring_places_in_year", int(year))
    if key not in data.derived:
        data.derived[key] = recurring_places(data, year_weeks(data, year), label=str(int(year)))
    return data.derived[key].copy()


def recurring_counts(table: pd.DataFrame) -> tuple[int, int]:
    """(places with a measure, recurring places) of a :func:`recurring_places` table."""
    return int(table["has_measure"].astype(bool).sum()), len(table)


def repeat_places_with_measure(data: EstData, year: int) -> tuple[int, int]:
    """(places with a measure, recurring places) over the weeks of ``year``.

    The counts of :func:`recurring_places_in_year`: a place counts once if it
    was recurring at the end of any week of the year, and has a measure if a
    measure covered it in at least one of those weeks.
    """
    return recurring_counts(recurring_places_in_year(data, year))


def weeks_to_measure(data: EstData, year: int) -> list[float]:
    """Weeks from the first EST report at a place to the measure decided there, per measure.

    For the measures decided in calendar year ``year``. The first report counts
    if it came at most :data:`MEASURE_GRACE_WEEKS` (13) weeks before the
    decided week: a place reported long ago and quiet since then did not wait
    that long for its measure. Measures with no report in that window are left
    out (they were not reactions to reports).
    """
    m = data.measures
    if m.empty:
        return []
    out: list[float] = []
    chosen = m[m["decided_week_start"].dt.year == int(year)]
    for _, row in chosen.iterrows():
        decided = row["decided_week_start"]
        start = decided - MEASURE_GRACE_WEEKS * WEEK
        here = data.reports[
            (data.reports["place"] == row["place_key"])
            & (data.reports["week_start"] > start)
            & (data.reports["week_start"] <= decided)
        ]
        if len(here):
            out.append(float((decided - here["week_start"].min()) / WEEK))
    return out
