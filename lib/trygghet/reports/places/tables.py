"""Display tables: what the notebook shows as a table, in Swedish, privacy-checked.

Every table here goes through :func:`~trygghet.reports.places.privacy.display_table`
(no free text, no positions) and then :func:`trygghet.present.tables.page_table`
(every cell through the page gate, EXEMPELDATA marked). The origin is the
source table's (``processed.origin``: its ``origin`` column or ``attrs``).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from trygghet.config import DEFAULT_PARTIES
from trygghet.present import small_numbers
from trygghet.present.gate import clean_text, responsible_label
from trygghet.present.swedish import fmt_date, fmt_int, fmt_number, fmt_percent
from trygghet.present.tables import PageTable, page_table
from trygghet.reports.places.analysis import PlacesAnalysis
from trygghet.reports.places.before_after import BeforeAfter, did_test
from trygghet.reports.places.counts import DAY_PARTS, season_counts, time_of_day
from trygghet.reports.places.privacy import display_table
from trygghet.reports.places.text import VERDICT_LABELS
from trygghet.reports.places.walks import observations_in_scope, overdue_at
from trygghet.sources import processed
from trygghet.sources.safety_walks import PRIORITY_LABELS
from trygghet.stats.trend import DECREASING, INCREASING, NO_CLEAR_CHANGE, TOO_FEW

# ---------------------------------------------------------------------------
# Small numbers


def _count_texts(counts: pd.DataFrame, min_count: int, margins: str | None) -> pd.DataFrame:
    """Counts as Swedish text where the shared small-number rule hides them.

    "fåtal" for a count under the rule, "visas ej" for one hidden so that a
    small count cannot be computed from a shown total (``margins``: which
    totals are shown, see :func:`trygghet.present.small_numbers.hidden_mask`).
    """
    hidden = small_numbers.hidden_mask(counts, min_count, margins=margins)
    out = counts.astype(object).copy()
    for column in counts.columns:
        out[column] = [
            small_numbers.count_text(v, h, min_count)
            for v, h in zip(counts[column], hidden[column], strict=True)
        ]
    return out


def _shown(frame: pd.DataFrame, origin: str, *, allow_text: Iterable[str] = ()) -> PageTable:
    """Privacy check, then the page gate; a named index is shown as the first column."""
    safe = display_table(frame, allow_text=allow_text)
    return page_table(safe, origin=origin, show_index=safe.index.name is not None)


# ---------------------------------------------------------------------------
# Reports


def season_table(a: PlacesAnalysis) -> PageTable:
    """Display form of :func:`season_counts`: reports per season, categories as columns.

    Counts under the kommun's ``min_count`` are "fåtal"; the season totals are
    shown, so the rule hides at least two cells of a season (complementary).
    """
    # The period's window: the seasons add up to the same total as the rest of the page.
    table = season_counts(a.reports_in_period, a.period)
    table = table.loc[:, table.sum() > 0]
    cats = table.drop(columns="totalt")
    # Season totals are shown, and the year's per category in the change table.
    out = _count_texts(cats, a.min_count, margins="both")
    out["totalt"] = _count_texts(table[["totalt"]], a.min_count, margins="columns")["totalt"]
    out.columns = [clean_text(c) for c in out.columns]
    out.index.name = table.index.name
    return _shown(out, a.reports_origin)


def time_of_day_table(a: PlacesAnalysis) -> PageTable:
    """Display form of :func:`time_of_day` with hours, counts and shares.

    Parts of the day with fewer reports than ``min_count`` show "fåtal" and no share.
    """
    tod = time_of_day(a.reports_in_period, a.period)
    hours = {name: f"{start:02d}–{end:02d}" for name, start, end in DAY_PARTS}
    counts = _count_texts(tod[["antal"]], a.min_count, margins="columns")["antal"]
    few = counts.isin([small_numbers.FEW, small_numbers.HIDDEN])
    out = pd.DataFrame(
        {
            "klockan": [hours[p] for p in tod.index],
            "antal": counts,
            "andel": tod["andel"].map(fmt_percent).mask(few, "–"),
        },
        index=tod.index,
    )
    return _shown(out, a.reports_origin)


def category_change_table(
    change: pd.DataFrame, period: int, min_count: int = 5, *, origin: str | None = None
) -> PageTable:
    """Display form of :func:`category_change` (Swedish labels and numbers).

    Counts under ``min_count`` are "fåtal" (the "alla kategorier" row is the
    margin, so complementary cells are hidden too); a hidden count's ratio is
    not shown either, since it would give the count back.
    """
    prev = period - 1
    counts = change[["count", "prev_count"]]
    is_total = (change["category"] == "alla kategorier").to_numpy()
    shown = pd.DataFrame(index=change.index, columns=counts.columns, dtype=object)
    cats = counts[~is_total].fillna(0).astype("int64")
    shown.loc[~is_total] = _count_texts(cats, min_count, margins="columns").to_numpy()
    shown.loc[is_total] = _count_texts(
        counts[is_total].fillna(0).astype("int64"), min_count, margins=None
    ).to_numpy()
    shown.loc[change["prev_count"].isna(), "prev_count"] = "–"
    hidden = shown.isin([small_numbers.FEW, small_numbers.HIDDEN]).any(axis=1)
    out = pd.DataFrame(
        {
            "kategori": change["category"].map(clean_text),
            f"antal {period}": shown["count"],
            f"antal {prev}": shown["prev_count"],
            "kvot (95 % osäkerhetsintervall)": [
                "–" if h else _ratio_text(r.ratio, r.low, r.high)
                for h, r in zip(hidden, change.itertuples(index=False), strict=True)
            ],
            "bedömning": change["verdict"].map(VERDICT_LABELS),
        }
    )
    return _shown(out.set_index("kategori"), origin or processed.origin(change))


def _ratio_text(ratio: float, low: float, high: float) -> str:
    if pd.isna(ratio):
        return "–"
    hi = "∞" if np.isinf(high) else fmt_number(high, 2)
    mid = "∞" if np.isinf(ratio) else fmt_number(ratio, 2)
    return f"{mid} ({fmt_number(low, 2)}–{hi})"


def hotspot_display(
    table: pd.DataFrame, min_count: int = 5, top: int | None = None, *, origin: str | None = None
) -> PageTable:
    """Display form of :func:`hotspot_table`; counts below ``min_count`` shown as "fåtal"."""
    origin = origin or processed.origin(table)
    table = table.head(top) if top else table
    reports = _count_texts(table[["reports"]].astype("int64"), min_count, margins=None)
    out = pd.DataFrame(
        {
            "plats (ungefärlig)": table["place"].map(clean_text),
            "antal rutor": table["cells"].map(fmt_int),
            "anmälningar": reports["reports"],
            "Gi* z (högst)": table["max_z"].map(lambda z: fmt_number(z, 1)),
        }
    )
    # One column per category rank: long lists would be cut in the rendered table.
    ranks = ["vanligaste kategori", "näst vanligaste", "tredje"]
    split = table["categories"].map(lambda t: _split_list(t, len(ranks)))
    for i, name in enumerate(ranks):
        out[name] = [parts[i] for parts in split]
    return _shown(out.set_index("plats (ungefärlig)"), origin)


def _split_list(text: str, n: int) -> list[str]:
    """'a, b och c' -> ['a', 'b', 'c'] padded with '–' to ``n`` items."""
    if not text or text == "–":
        return ["–"] * n
    head, _, last = text.rpartition(" och ")
    parts = [p for p in head.split(", ") if p] + [last] if head else [last]
    return (parts + ["–"] * n)[:n]


# ---------------------------------------------------------------------------
# Safety walks


def completion_table(
    completion: pd.DataFrame,
    min_count: int = 5,
    *,
    parties: Iterable[str] = DEFAULT_PARTIES,
    origin: str | None = None,
) -> PageTable:
    """Display form of :func:`completion_by`; shares from fewer than ``min_count`` are not shown.

    A responsible party is named as in ``parties`` (the kommun's list) or "annan ansvarig".
    """
    origin = origin or processed.origin(completion)
    group = completion.columns[0]
    labels = {"responsible": "ansvarig", "walk_id": "vandring", "grupp": "grupp"}
    names = completion[group]
    if group == "responsible":
        parties = tuple(parties)
        names = names.map(lambda v: responsible_label(v, parties))
    small = completion["due"] < min_count
    out = pd.DataFrame(
        {
            labels.get(group, group): names.map(clean_text),
            "skulle vara klara": completion["due"].map(fmt_int),
            "klara i tid": completion["on_time"].map(fmt_int),
            "andel i tid": [
                "för få" if s else fmt_percent(v)
                for s, v in zip(small, completion["share"], strict=True)
            ],
            "95 % osäkerhetsintervall": [
                "–" if s else f"{fmt_percent(lo)}–{fmt_percent(hi)}"
                for s, lo, hi in zip(small, completion["low"], completion["high"], strict=True)
            ],
            "försenade": completion["overdue"].map(fmt_int),
        }
    )
    return _shown(out.set_index(labels.get(group, group)), origin)


def walk_observations_table(
    walks: pd.DataFrame,
    period: int,
    as_of: pd.Timestamp,
    *,
    parties: Iterable[str] = DEFAULT_PARTIES,
) -> PageTable:
    """Every observation of the period's walks, plus older ones still open at ``as_of``.

    One row per point: walk, date, area, point, place, category, proposed
    measure, responsible, priority, deadline, status, completion date and an
    "försenad" flag (:func:`safety_walks.overdue` at ``as_of``). The
    protocol's problem description and the point's coordinates are left out
    (free text and positions are not shown); the place and the proposed
    measure are the protocol's own words, scrubbed at ingest and again by the
    page gate; the responsible party is named only if it is in ``parties``
    (the kommun's list), else "annan ansvarig".
    """
    origin = processed.origin(walks)
    parties = tuple(parties)
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

    def text(column: str) -> pd.Series:
        return part[column].map(lambda v: clean_text(v) or "–")

    out = pd.DataFrame(
        {
            "vandring": text("walk_id"),
            "datum": part["walk_date"].map(fmt_date),
            "område": text("area"),
            "punkt": part["point_no"].map(fmt_int),
            "plats": text("place"),
            "kategori": text("category"),
            "föreslagen åtgärd": text("proposed_measure"),
            "ansvarig": part["responsible"].map(lambda v: responsible_label(v, parties) or "–"),
            "prioritet": part["priority"].map(lambda p: PRIORITY_LABELS.get(int(p), "–")),
            "sista dag": part["deadline"].map(fmt_date),
            "status": status,
            "klar": part["completed_date"].map(
                lambda d: fmt_date(d) if pd.notna(d) and d <= as_of else "–"
            ),
            "försenad": np.where(part["_late"], "ja", ""),
        }
    )
    return _shown(out.set_index("vandring"), origin, allow_text=("plats", "föreslagen åtgärd"))


def followup_table(walks: pd.DataFrame, as_of: pd.Timestamp) -> PageTable:
    """What each follow-up walk verified, per walk followed up (held by ``as_of``).

    Columns: walk, follow-up walk, points, points checked, ``bekräftade``
    (verified ja), ``ej bekräftade`` (nej: not done, or done but not working:
    the protocol does not tell) and ``klara men ej bekräftade``: points
    reported åtgärdad before the follow-up walk that the walk did not confirm.
    """
    origin = processed.origin(walks)
    as_of = pd.Timestamp(as_of)
    dates = walks.groupby("walk_id")["walk_date"].min()
    fu = walks[walks["followup_walk_id"].notna()].copy()
    fu["_fu_date"] = fu["followup_walk_id"].map(dates)
    fu = fu[fu["_fu_date"].notna() & (fu["_fu_date"] <= as_of)]
    cols = ["vandring", "uppföljd vid", "punkter", "kontrollerade", "bekräftade",
            "ej bekräftade", "klara men ej bekräftade"]  # fmt: skip
    if fu.empty:
        return _shown(pd.DataFrame(columns=cols).set_index("vandring"), origin)
    rows = []
    for (walk, follow), part in fu.groupby(["walk_id", "followup_walk_id"], sort=True):
        verified = part["verified_at_followup"]
        done_before = (part["status"].astype(str) == "åtgärdad") & (
            pd.to_datetime(part["completed_date"]) <= part["_fu_date"]
        )
        rows.append(
            [
                f"{clean_text(walk)} ({fmt_date(part['walk_date'].iloc[0])})",
                f"{clean_text(follow)} ({fmt_date(part['_fu_date'].iloc[0])})",
                fmt_int(len(part)),
                fmt_int(int(verified.notna().sum())),
                fmt_int(int((verified == True).sum())),  # noqa: E712 (nullable boolean)
                fmt_int(int((verified == False).sum())),  # noqa: E712
                fmt_int(int((done_before & (verified != True)).fillna(True).sum())),  # noqa: E712
            ]
        )
    return _shown(pd.DataFrame(rows, columns=cols).set_index("vandring"), origin)


# ---------------------------------------------------------------------------
# Before/after


def before_after_table(
    result: BeforeAfter, min_count: int = 5, *, origin: str | None = None
) -> PageTable:
    """Display form of the per-measure counts, with a "för få" flag per measure.

    The counts near one measure are counts at one place: under ``min_count``
    they are "fåtal" (each measure's verdict is computed from the real counts).
    """
    m = result.measures
    origin = origin or result.origin
    cols = ["åtgärd", "klar", "nära före", "nära efter", "bedömning"]
    if m.empty:
        return _shown(pd.DataFrame(columns=cols).set_index("åtgärd"), origin)
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
    near = _count_texts(m[["near_before", "near_after"]].astype("int64"), min_count, margins=None)
    out = pd.DataFrame(
        {
            "åtgärd": [
                clean_text(f"{r.walk_id} punkt {int(r.point_no)} ({r.area}, {r.category})")
                for r in m.itertuples(index=False)
            ],
            "klar": m["completed_date"].map(fmt_date),
            "nära före": near["near_before"],
            "nära efter": near["near_after"],
            "bedömning": [labels[v] for v in verdicts],
        }
    )
    return _shown(out.set_index("åtgärd"), origin)
