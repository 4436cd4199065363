"""Display tables: what the notebook shows as a table, in Swedish, privacy-checked.

Every table here ends in :func:`~trygghet.reports.places.privacy.display_table`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trygghet.present.swedish import fmt_date, fmt_int, fmt_number, fmt_percent
from trygghet.reports.places.analysis import PlacesAnalysis
from trygghet.reports.places.before_after import BeforeAfter, did_test
from trygghet.reports.places.counts import DAY_PARTS, season_counts, time_of_day
from trygghet.reports.places.privacy import display_table
from trygghet.reports.places.text import VERDICT_LABELS
from trygghet.reports.places.walks import observations_in_scope, overdue_at
from trygghet.sources.safety_walks import PRIORITY_LABELS
from trygghet.stats.trend import DECREASING, INCREASING, NO_CLEAR_CHANGE, TOO_FEW

# ---------------------------------------------------------------------------
# Reports


def season_table(a: PlacesAnalysis) -> pd.DataFrame:
    """Display form of :func:`season_counts`: reports per season, categories as columns."""
    table = season_counts(a.reports, a.period)
    table = table.loc[:, table.sum() > 0]
    return display_table(table.map(fmt_int))


def time_of_day_table(a: PlacesAnalysis) -> pd.DataFrame:
    """Display form of :func:`time_of_day` with hours, counts and shares."""
    tod = time_of_day(a.reports, a.period)
    hours = {name: f"{start:02d}–{end:02d}" for name, start, end in DAY_PARTS}
    out = pd.DataFrame(
        {
            "klockan": [hours[p] for p in tod.index],
            "antal": tod["antal"].map(fmt_int),
            "andel": tod["andel"].map(fmt_percent),
        },
        index=tod.index,
    )
    return display_table(out)


def category_change_table(change: pd.DataFrame, period: int) -> pd.DataFrame:
    """Display form of :func:`category_change` (Swedish labels and numbers)."""
    prev = period - 1
    out = pd.DataFrame(
        {
            "kategori": change["category"],
            f"antal {period}": change["count"].map(fmt_int),
            f"antal {prev}": change["prev_count"].map(fmt_int),
            "kvot (95 % KI)": [
                _ratio_text(r.ratio, r.low, r.high) for r in change.itertuples(index=False)
            ],
            "bedömning": change["verdict"].map(VERDICT_LABELS),
        }
    )
    return display_table(out.set_index("kategori"))


def _ratio_text(ratio: float, low: float, high: float) -> str:
    if pd.isna(ratio):
        return "–"
    hi = "∞" if np.isinf(high) else fmt_number(high, 2)
    mid = "∞" if np.isinf(ratio) else fmt_number(ratio, 2)
    return f"{mid} ({fmt_number(low, 2)}–{hi})"


def hotspot_display(
    table: pd.DataFrame, min_count: int = 5, top: int | None = None
) -> pd.DataFrame:
    """Display form of :func:`hotspot_table`; counts below ``min_count`` shown as "fåtal"."""
    table = table.head(top) if top else table
    out = pd.DataFrame(
        {
            "plats (ungefärlig)": table["place"],
            "antal rutor": table["cells"].map(fmt_int),
            "anmälningar": ["fåtal" if 0 < n < min_count else fmt_int(n) for n in table["reports"]],
            "Gi* z (högst)": table["max_z"].map(lambda z: fmt_number(z, 1)),
        }
    )
    # One column per category rank: long lists would be cut in the rendered table.
    ranks = ["vanligaste kategori", "näst vanligaste", "tredje"]
    split = table["categories"].map(lambda t: _split_list(t, len(ranks)))
    for i, name in enumerate(ranks):
        out[name] = [parts[i] for parts in split]
    return display_table(out.set_index("plats (ungefärlig)"))


def _split_list(text: str, n: int) -> list[str]:
    """'a, b och c' -> ['a', 'b', 'c'] padded with '–' to ``n`` items."""
    if not text or text == "–":
        return ["–"] * n
    head, _, last = text.rpartition(" och ")
    parts = [p for p in head.split(", ") if p] + [last] if head else [last]
    return (parts + ["–"] * n)[:n]


# ---------------------------------------------------------------------------
# Safety walks


def completion_table(completion: pd.DataFrame, min_count: int = 5) -> pd.DataFrame:
    """Display form of :func:`completion_by`; shares from fewer than ``min_count`` are not shown."""
    group = completion.columns[0]
    labels = {"responsible": "ansvarig", "walk_id": "vandring", "grupp": "grupp"}
    small = completion["due"] < min_count
    out = pd.DataFrame(
        {
            labels.get(group, group): completion[group],
            "skulle vara klara": completion["due"].map(fmt_int),
            "klara i tid": completion["on_time"].map(fmt_int),
            "andel i tid": [
                "för få" if s else fmt_percent(v)
                for s, v in zip(small, completion["share"], strict=True)
            ],
            "95 % KI": [
                "–" if s else f"{fmt_percent(lo)}–{fmt_percent(hi)}"
                for s, lo, hi in zip(small, completion["low"], completion["high"], strict=True)
            ],
            "försenade": completion["overdue"].map(fmt_int),
        }
    )
    return display_table(out.set_index(labels.get(group, group)))


def walk_observations_table(walks: pd.DataFrame, period: int, as_of: pd.Timestamp) -> pd.DataFrame:
    """Every observation of the period's walks, plus older ones still open at ``as_of``.

    One row per point: walk, date, area, point, place, category, proposed
    measure, responsible, priority, deadline, status, completion date and an
    "försenad" flag (:func:`safety_walks.overdue` at ``as_of``). The
    protocol's problem description and the point's coordinates are left out
    (free text and positions are not shown); the proposed measure is the
    protocol's own wording of what was promised, scrubbed at ingest.
    """
    as_of = pd.Timestamp(as_of)
    late = overdue_at(walks, as_of)
    done_by = (walks["status"].astype(str) == "åtgärdad") & (
        pd.to_datetime(walks["completed_date"]) <= as_of
    )
    keep = observations_in_scope(walks, period, as_of)
    part = walks[keep].assign(_late=late[keep])
    part = part.sort_values(["walk_date", "walk_id", "point_no"])
    status = (
        part["status"]
        .astype(str)
        .where(~((part["status"].astype(str) == "åtgärdad") & ~done_by[keep]), "pågår")
    )
    out = pd.DataFrame(
        {
            "vandring": part["walk_id"].astype(str),
            "datum": part["walk_date"].map(fmt_date),
            "område": part["area"].astype(str),
            "punkt": part["point_no"].map(fmt_int),
            "plats": part["place"].astype("string").fillna("–"),
            "kategori": part["category"].astype(str),
            "föreslagen åtgärd": part["proposed_measure"].astype("string").fillna("–"),
            "ansvarig": part["responsible"].astype(str),
            "prioritet": part["priority"].map(lambda p: PRIORITY_LABELS.get(int(p), "–")),
            "sista dag": part["deadline"].map(fmt_date),
            "status": status,
            "klar": part["completed_date"].map(
                lambda d: fmt_date(d) if pd.notna(d) and d <= as_of else "–"
            ),
            "försenad": np.where(part["_late"], "ja", ""),
        }
    )
    return display_table(out.set_index("vandring"), allow_text=("plats", "föreslagen åtgärd"))


def followup_table(walks: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """What each follow-up walk verified, per walk followed up (held by ``as_of``).

    Columns: walk, follow-up walk, points, points checked, ``bekräftade``
    (verified ja), ``ej bekräftade`` (nej: not done, or done but not working:
    the protocol does not tell) and ``klara men ej bekräftade``: points
    reported åtgärdad before the follow-up walk that the walk did not confirm.
    """
    as_of = pd.Timestamp(as_of)
    dates = walks.groupby("walk_id")["walk_date"].min()
    fu = walks[walks["followup_walk_id"].notna()].copy()
    fu["_fu_date"] = fu["followup_walk_id"].map(dates)
    fu = fu[fu["_fu_date"].notna() & (fu["_fu_date"] <= as_of)]
    cols = ["vandring", "uppföljd vid", "punkter", "kontrollerade", "bekräftade",
            "ej bekräftade", "klara men ej bekräftade"]  # fmt: skip
    if fu.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for (walk, follow), part in fu.groupby(["walk_id", "followup_walk_id"], sort=True):
        verified = part["verified_at_followup"]
        done_before = (part["status"].astype(str) == "åtgärdad") & (
            pd.to_datetime(part["completed_date"]) <= part["_fu_date"]
        )
        rows.append(
            [
                f"{walk} ({fmt_date(part['walk_date'].iloc[0])})",
                f"{follow} ({fmt_date(part['_fu_date'].iloc[0])})",
                fmt_int(len(part)),
                fmt_int(int(verified.notna().sum())),
                fmt_int(int((verified == True).sum())),  # noqa: E712 (nullable boolean)
                fmt_int(int((verified == False).sum())),  # noqa: E712
                fmt_int(int((done_before & (verified != True)).fillna(True).sum())),  # noqa: E712
            ]
        )
    return display_table(pd.DataFrame(rows, columns=cols).set_index("vandring"))


# ---------------------------------------------------------------------------
# Before/after


def before_after_table(result: BeforeAfter) -> pd.DataFrame:
    """Display form of the per-measure counts, with a "för få" flag per measure."""
    m = result.measures
    if m.empty:
        return pd.DataFrame(columns=["åtgärd", "klar", "nära före", "nära efter", "bedömning"])
    verdicts = [
        did_test(r.near_before, r.near_after, r.rest_before, r.rest_after).verdict
        for r in m.itertuples(index=False)
    ]
    labels = {
        INCREASING: "fler än i övriga kommunen",
        DECREASING: "färre än i övriga kommunen",
        NO_CLEAR_CHANGE: "ingen tydlig skillnad",
        TOO_FEW: "för få för att säga",
    }
    out = pd.DataFrame(
        {
            "åtgärd": [
                f"{r.walk_id} punkt {int(r.point_no)} ({r.area}, {r.category})"
                for r in m.itertuples(index=False)
            ],
            "klar": m["completed_date"].map(fmt_date),
            "nära före": m["near_before"].map(fmt_int),
            "nära efter": m["near_after"].map(fmt_int),
            "bedömning": [labels[v] for v in verdicts],
        }
    )
    return display_table(out.set_index("åtgärd"))
