"""The EST lägesbild: this week's (or tertial's) reports against what is usual.

Promise 1 ("kommun and police work by EST – effektiv samordning för trygghet")
is kept at a weekly meeting where the partners' reports become a lägesbild,
hotspots are picked and measures decided. This module prepares that meeting:

* **Unusual this week?** The week's count per source (EST partners, police
  events, residents' reports), per EST category and per place is compared with
  an expected interval from history (:func:`history_weeks`,
  :func:`trygghet.stats.baseline.flag_elevated`). Counts above it are "förhöjt",
  with how unusual in words (:data:`VERDICT_LABELS`).
* **Repeat places**: places reported in at least :data:`REPEAT_MIN_WEEKS` of
  the last :data:`REPEAT_WINDOW` weeks, and whether a measure covers them.
* **Measures**: decided measures, their status (as it stood at the end of the
  selected week when that can be known), overdue ones, and whether the reports
  at their place fell afterwards (equal windows before and after).
* **Tertial mode**: a tertial (Jan–Apr, May–Aug, Sep–Dec) against the same
  tertial a year earlier (:func:`trygghet.stats.rates.rate_ratio_test`).
* **The three things to discuss first** (:func:`three_things`), narratives
  whose sentence choice is pinned by tests, and the charts.

Weeks are ISO weeks identified by their Monday (``pd.Timestamp``). Everything
is computed "as of" the selected week: no data after it is used, so an old
week's lägesbild looks as it would have looked then (except measure statuses,
see :func:`measure_followup`).

Privacy: only counts by week, category and place name (public places such as
"Torget") are shown. Free text (report and measure descriptions), coordinates
and residents' addresses never leave this module; residents' reports are only
counted per week.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from trygghet.present import style
from trygghet.present.swedish import MONTHS, fmt_date, fmt_int, fmt_number, join_list, plural
from trygghet.sources.est_reports import CATEGORIES
from trygghet.stats.baseline import expected_interval, flag_elevated
from trygghet.stats.rates import rate_ratio_test

# --------------------------------------------------------------------------
# Rules (judgements, written down where they are used)
# --------------------------------------------------------------------------

#: Earlier years whose same weeks make the history (the newest first).
HISTORY_YEARS: int = 3
#: Weeks on each side of the same week number: w-2..w+2, five weeks a year.
#: Neighbouring weeks add history without mixing seasons (a month either way).
HALF_WIDTH: int = 2
#: When the earlier years give fewer than MIN_HISTORY weeks (the first year
#: of data), the previous FALLBACK_WEEKS weeks are used instead. They follow
#: the season less well, so the rule used is shown with every table.
FALLBACK_WEEKS: int = 8
#: Fewer history weeks than this: no expected level ("för kort historik").
MIN_HISTORY: int = 5
#: One-sided level of the "förhöjt" flag: a usual week exceeds the upper edge
#: about one week in twenty by chance.
ALPHA: float = 0.05
#: p-values at or below this are "mycket ovanligt" (one week in a hundred).
VERY_UNUSUAL: float = 0.01
#: The drawn and tabulated interval is the two-sided (1 - 2*ALPHA) prediction
#: interval, so its upper edge is exactly the flag threshold.
INTERVAL_LEVEL: float = 1.0 - 2.0 * ALPHA
#: A count below this is never called "förhöjt": at a quiet place one or two
#: reports are "unusual" by the numbers but say nothing ("för få för att säga").
MIN_FLAG_COUNT: int = 3

#: Repeat places: reported in at least REPEAT_MIN_WEEKS of the last REPEAT_WINDOW weeks.
REPEAT_WINDOW: int = 6
REPEAT_MIN_WEEKS: int = 3
#: A repeat place "has a measure" if one there is still open, or was decided
#: within this many weeks (a finished measure needs time before it is judged).
MEASURE_GRACE_WEEKS: int = 13
#: An open measure decided at least this many weeks ago is overdue. The
#: measures table has no deadline column, so one rule serves all measures.
OVERDUE_WEEKS: int = 8
#: Before/after windows of a measure: up to this many weeks on each side of
#: the decided week (the decided week itself is left out of both).
MEASURE_WINDOW: int = 8
#: Fewer weeks after the decision than this: "för tidigt att säga".
MIN_AFTER_WEEKS: int = 4
#: Fewer reports before and after together than this: "för få för att säga".
MIN_MEASURE_TOTAL: int = 5
#: Tertial comparisons: fewer reports in the two tertials together than this
#: give "för få för att säga" (as :data:`trygghet.stats.trend.MIN_TOTAL_COUNT`).
MIN_TERTIAL_TOTAL: int = 10
#: Measures listed: open ones, and closed ones decided within this many weeks.
MEASURE_LIST_WEEKS: int = 52

TERTIALS: dict[int, tuple[int, ...]] = {1: (1, 2, 3, 4), 2: (5, 6, 7, 8), 3: (9, 10, 11, 12)}
MODES: tuple[str, ...] = ("vecka", "tertial")

SOURCE_EST = "EST-partnernas veckorapporter och beslutade åtgärder (kommunens egna data)"
SOURCE_POLICE = "Polismyndigheten, polisens händelser (polisen.se)"
SOURCE_RESIDENTS = "invånarnas rapporter om otrygga platser (kommunens egna data)"

#: The three sources, key -> label used in tables and text.
SOURCE_LABELS: dict[str, str] = {
    "est": "EST-partnernas rapporter",
    "police": "Polisens händelser",
    "residents": "Invånarnas rapporter",
}

# Verdict codes (English) and their Swedish labels.
VERY_UNUSUAL_HIGH = "very_unusual"
UNUSUAL_HIGH = "unusual"
LOWER = "lower"
USUAL = "usual"
TOO_FEW = "too_few"
SHORT_HISTORY = "short_history"
MISSING = "missing"
VERDICT_LABELS: dict[str, str] = {
    VERY_UNUSUAL_HIGH: "förhöjt – mycket ovanligt",
    UNUSUAL_HIGH: "förhöjt – ovanligt",
    LOWER: "lägre än vanligt",
    USUAL: "som vanligt",
    TOO_FEW: "för få för att säga",
    SHORT_HISTORY: "för kort historik",
    MISSING: "uppgift saknas",
}
ELEVATED_VERDICTS: tuple[str, ...] = (VERY_UNUSUAL_HIGH, UNUSUAL_HIGH)
#: Display order of verdicts: what needs attention first.
VERDICT_ORDER: list[str] = [
    VERY_UNUSUAL_HIGH,
    UNUSUAL_HIGH,
    TOO_FEW,
    LOWER,
    USUAL,
    SHORT_HISTORY,
    MISSING,
]

# Before/after and tertial comparison codes.
FEWER = "fewer"
MORE = "more"
NO_CLEAR_CHANGE = "no_clear_change"
TOO_EARLY = "too_early"
NO_COMPARISON = "no_comparison"
CHANGE_LABELS: dict[str, str] = {
    FEWER: "färre",
    MORE: "fler",
    NO_CLEAR_CHANGE: "ingen tydlig förändring",
    TOO_FEW: "för få för att säga",
    TOO_EARLY: "för tidigt att säga",
    NO_COMPARISON: "inget att jämföra med",
}

OPEN_STATUSES: tuple[str, ...] = ("beslutad", "pågår")

# --------------------------------------------------------------------------
# ISO weeks and tertials
# --------------------------------------------------------------------------

WEEK = pd.Timedelta(days=7)


def monday_of(times: pd.Series) -> pd.Series:
    """The Monday (00:00) of the ISO week of each timestamp."""
    day = pd.to_datetime(times).dt.normalize()
    return (day - pd.to_timedelta(day.dt.dayofweek, unit="D")).astype("datetime64[us]")


def parse_week(text: str) -> pd.Timestamp:
    """``"2025-W40"`` -> the Monday of that ISO week (ValueError in Swedish if invalid)."""
    value = str(text).strip().upper()
    parts = value.split("-W")
    if len(parts) != 2 or not (parts[0].isdigit() and parts[1].isdigit()) or len(parts[0]) != 4:
        raise ValueError(f"Ogiltig vecka {text!r}: skriv en ISO-vecka som 2025-W40.")
    try:
        return pd.Timestamp(dt.date.fromisocalendar(int(parts[0]), int(parts[1]), 1))
    except ValueError as err:
        raise ValueError(f"Veckan {text!r} finns inte (år {parts[0]}).") from err


def week_label(monday: pd.Timestamp) -> str:
    """The Monday of a week -> ``"2025-W40"``."""
    iso = pd.Timestamp(monday).isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


def week_name(monday: pd.Timestamp) -> str:
    """The Monday of a week -> ``"vecka 40 2025"`` (for text)."""
    iso = pd.Timestamp(monday).isocalendar()
    return f"vecka {iso[1]} {iso[0]}"


def weeks_in_year(year: int) -> int:
    """52 or 53: the ISO week of 28 December is always the year's last week."""
    return dt.date(int(year), 12, 28).isocalendar()[1]


def iso_monday(year: int, week: int) -> pd.Timestamp:
    return pd.Timestamp(dt.date.fromisocalendar(int(year), int(week), 1))


def tertial_weeks(year: int, tertial: int) -> list[pd.Timestamp]:
    """The Mondays of ISO year ``year`` whose week belongs to ``tertial`` (1–3).

    A week belongs to the month of its Thursday (the ISO rule that also gives a
    week its year), so every week of the year lies in exactly one tertial and
    week 53 always falls in tertial 3.
    """
    if tertial not in TERTIALS:
        raise ValueError(f"Tertial måste vara 1, 2 eller 3, inte {tertial!r}.")
    months = TERTIALS[tertial]
    mondays = [iso_monday(year, w) for w in range(1, weeks_in_year(year) + 1)]
    return [m for m in mondays if (m + pd.Timedelta(days=3)).month in months]


def tertial_name(year: int, tertial: int) -> str:
    """``(2025, 3)`` -> ``"tertial 3 2025 (september–december)"``."""
    months = TERTIALS[tertial]
    return f"tertial {tertial} {year} ({MONTHS[months[0] - 1]}–{MONTHS[months[-1] - 1]})"


@dataclass(frozen=True)
class Selection:
    """The weeks a lägesbild is about: one week, or the weeks of a tertial."""

    mode: str
    year: int
    weeks: tuple[pd.Timestamp, ...]
    tertial: int | None = None

    @property
    def start(self) -> pd.Timestamp:
        return self.weeks[0]

    @property
    def end(self) -> pd.Timestamp:
        """The Monday of the last week."""
        return self.weeks[-1]

    @property
    def label(self) -> str:
        if self.mode == "tertial":
            return tertial_name(self.year, int(self.tertial or 0))
        return week_name(self.end)


def last_complete_week(last_entry: pd.Timestamp) -> pd.Timestamp:
    """The last complete EST week, given the time of the latest report entry.

    Partners report a week's events during it or on the Monday after (the
    source's rule), so the week *before* the week of the latest entry is
    complete; the week of the latest entry may still get reports.
    """
    return (
        pd.Timestamp(last_entry).normalize()
        - pd.Timedelta(days=pd.Timestamp(last_entry).dayofweek)
        - WEEK
    )


def select(
    mode: str,
    period: int,
    first: pd.Timestamp,
    last: pd.Timestamp,
    week: str = "",
    tertial: int = 0,
) -> Selection:
    """Resolve the notebook's ``mode``/``week``/``tertial`` against data covering ``first``–``last``.

    ``first``/``last`` are the Mondays of the first and last complete week of
    the EST data. Week mode: ``week`` ("2025-W40") or, if empty, the last
    complete week of ISO year ``period``. Tertial mode (``week`` ignored):
    ``tertial`` 1–3 or, if 0, the last tertial of ``period`` whose weeks are
    all complete. Errors are Swedish and say what to choose instead.
    """
    mode = str(mode).strip().lower()
    if mode not in MODES:
        raise ValueError(f"mode måste vara 'vecka' eller 'tertial', inte {mode!r}.")
    period = int(period)
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    if mode == "vecka":
        if week:
            monday = parse_week(week)
        else:
            monday = min(last, iso_monday(period, weeks_in_year(period)))
            if monday.isocalendar()[0] != period:
                raise ValueError(
                    f"EST-data för {period} saknas: uppgifterna sträcker sig "
                    f"{week_name(first)} – {week_name(last)}. Välj en vecka med parametern week."
                )
        if not first <= monday <= last:
            raise ValueError(
                f"{week_name(monday).capitalize()} ligger utanför EST-datas kompletta veckor "
                f"({week_name(first)} – {week_name(last)})."
            )
        return Selection("vecka", int(monday.isocalendar()[0]), (monday,))
    tertials = [int(tertial)] if tertial else [3, 2, 1]
    for t in tertials:
        weeks = tertial_weeks(period, t)
        if weeks[0] >= first and weeks[-1] <= last:
            return Selection("tertial", period, tuple(weeks), t)
    if tertial:
        raise ValueError(
            f"{tertial_name(period, int(tertial)).capitalize()} är inte komplett i EST-data "
            f"({week_name(first)} – {week_name(last)})."
        )
    raise ValueError(
        f"Ingen tertial av {period} är komplett i EST-data ({week_name(first)} – "
        f"{week_name(last)}). Välj ett annat år eller läget 'vecka'."
    )


# --------------------------------------------------------------------------
# Weekly counts and the expected level
# --------------------------------------------------------------------------


def weekly_counts(
    mondays: pd.Series,
    first: pd.Timestamp,
    last: pd.Timestamp,
    keys: pd.Series | None = None,
    key_order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Counts per week (rows: every Monday ``first``–``last``) and key (columns).

    Without ``keys`` the single column is ``"alla"``. Weeks without rows get 0;
    ``key_order`` adds keys that never occur (as zero columns) and fixes the order.
    """
    index = pd.DatetimeIndex(pd.date_range(first, last, freq="7D"), name="vecka").astype(
        "datetime64[us]"
    )
    m = pd.Series(pd.to_datetime(mondays).to_numpy(), dtype="datetime64[us]")
    inside = ((m >= first) & (m <= last)).to_numpy()
    if keys is None:
        table = m[inside].value_counts().to_frame("alla")
    else:
        k = pd.Series(pd.Series(keys).astype(str).to_numpy())
        table = pd.crosstab(m[inside].to_numpy(), k[inside].to_numpy())
    table.index = pd.DatetimeIndex(table.index).astype("datetime64[us]")
    table = table.reindex(index, fill_value=0)
    if key_order is not None:
        extra = [c for c in table.columns if c not in key_order]
        table = table.reindex(columns=[*key_order, *sorted(extra)], fill_value=0)
    table.columns.name = None
    return table.astype("int64")


def history_weeks(
    week_start: pd.Timestamp,
    first: pd.Timestamp,
    *,
    years: int = HISTORY_YEARS,
    half_width: int = HALF_WIDTH,
    fallback: int = FALLBACK_WEEKS,
    min_history: int = MIN_HISTORY,
) -> tuple[list[pd.Timestamp], str]:
    """The history weeks for ``week_start`` and the rule used.

    Rule ``"same_weeks"``: for each of the ``years`` earlier ISO years, weeks
    w-2..w+2 around the same week number w (week 53 maps to week 52 in a year
    without one); the windows cross year boundaries by date, so week 1 takes
    weeks 51–52 of the year before. A year counts only if its whole window
    lies in the data (from ``first``), so that every year weighs the same.
    Same-season history removes holidays and summer effects.

    Rule ``"previous_weeks"``: when that gives fewer than ``min_history`` weeks
    (the first year of data), the ``fallback`` weeks just before. Rule
    ``"too_short"``: fewer than ``min_history`` weeks even then.
    """
    s, first = pd.Timestamp(week_start), pd.Timestamp(first)
    year, number = s.isocalendar()[0], s.isocalendar()[1]
    same: list[pd.Timestamp] = []
    for k in range(1, years + 1):
        y = year - k
        centre = iso_monday(y, min(number, weeks_in_year(y)))
        window = [centre + d * WEEK for d in range(-half_width, half_width + 1)]
        if window[0] >= first:  # whole windows only: each year weighs the same
            same += window
    same = sorted({w for w in same if w < s})
    if len(same) >= min_history:
        return same, "same_weeks"
    previous = [s - d * WEEK for d in range(fallback, 0, -1)]
    previous = [w for w in previous if w >= first]
    return previous, ("previous_weeks" if len(previous) >= min_history else "too_short")


def history_description(week_start: pd.Timestamp, first: pd.Timestamp) -> str:
    """Swedish description of the history :func:`history_weeks` uses, for the text.

    E.g. "samma vecka ±2 veckor under 2023 och 2024 (10 veckor)".
    """
    weeks, rule = history_weeks(week_start, first)
    if rule == "too_short":
        return "för lite historik"
    n = plural(len(weeks), "vecka", "veckor")
    if rule == "previous_weeks":
        return f"de {n} närmast före (för lite data från samma tid tidigare år)"
    s = pd.Timestamp(week_start)
    year, number = s.isocalendar()[0], s.isocalendar()[1]
    chosen, years = set(weeks), []
    for k in range(HISTORY_YEARS, 0, -1):
        y = year - k
        centre = iso_monday(y, min(number, weeks_in_year(y)))
        window = [centre + d * WEEK for d in range(-HALF_WIDTH, HALF_WIDTH + 1)]
        if chosen.issuperset(window):
            years.append(str(y))
    return f"samma vecka ±{HALF_WIDTH} veckor under {join_list(years)} ({n})"


@dataclass(frozen=True)
class Assessment:
    """One count against its history: expected value, interval, p-value, verdict."""

    observed: float
    expected: float
    low: float
    high: float
    p_value: float
    verdict: str
    n_history: int


def assess(observed: float | None, history: Sequence[float] | np.ndarray) -> Assessment:
    """Judge one weekly count against its history counts.

    ``low``–``high`` is the (1 - 2·ALPHA) = 90 % prediction interval of
    :func:`trygghet.stats.baseline.expected_interval`; ``high`` equals the flag
    threshold of :func:`trygghet.stats.baseline.flag_elevated` at ALPHA, so "above
    the band" and "förhöjt" are the same thing. Verdicts: ``missing`` (no
    count), ``short_history`` (fewer than MIN_HISTORY history weeks),
    ``very_unusual``/``unusual`` (above the band, p ≤ VERY_UNUSUAL / ≤ ALPHA,
    at least MIN_FLAG_COUNT), ``too_few`` (above the band but below
    MIN_FLAG_COUNT), ``lower`` (below the band), else ``usual``.
    """
    h = np.asarray(history, dtype=float)
    h = h[~np.isnan(h)]
    if observed is None or (isinstance(observed, float) and math.isnan(observed)):
        return Assessment(np.nan, np.nan, np.nan, np.nan, np.nan, MISSING, int(h.size))
    obs = int(observed)
    if h.size < MIN_HISTORY:
        return Assessment(obs, np.nan, np.nan, np.nan, np.nan, SHORT_HISTORY, int(h.size))
    band = expected_interval(h, level=INTERVAL_LEVEL)
    flag = flag_elevated(obs, h, alpha=ALPHA)
    if flag.elevated:
        if obs < MIN_FLAG_COUNT:
            verdict = TOO_FEW
        else:
            verdict = VERY_UNUSUAL_HIGH if flag.p_value <= VERY_UNUSUAL else UNUSUAL_HIGH
    elif obs < band.low:
        verdict = LOWER
    else:
        verdict = USUAL
    return Assessment(obs, band.expected, band.low, band.high, flag.p_value, verdict, int(h.size))


def flag_table(counts: pd.DataFrame, week_start: pd.Timestamp) -> pd.DataFrame:
    """Assess every column of a weekly count table (rows = Mondays) at ``week_start``.

    The table's first row is taken as the start of the data. Returns one row
    per key: ``key, observed, expected, low, high, p_value, verdict,
    n_history, rule``, most unusual first (p-value, then count), keys with no
    history sorted last.
    """
    s = pd.Timestamp(week_start)
    columns = [
        "key",
        "observed",
        "expected",
        "low",
        "high",
        "p_value",
        "verdict",
        "n_history",
        "rule",
    ]
    if counts.empty or s not in counts.index:
        return pd.DataFrame(columns=columns)
    weeks, rule = history_weeks(s, counts.index[0])
    rows = []
    for key in counts.columns:
        a = assess(counts.at[s, key], counts.loc[weeks, key].to_numpy())
        rows.append(
            {
                "key": key,
                "observed": a.observed,
                "expected": a.expected,
                "low": a.low,
                "high": a.high,
                "p_value": a.p_value,
                "verdict": a.verdict,
                "n_history": a.n_history,
                "rule": rule,
            }
        )
    table = pd.DataFrame(rows, columns=columns)
    table["_rank"] = table["verdict"].map(VERDICT_ORDER.index)
    table = table.sort_values(
        ["_rank", "p_value", "observed", "key"],
        ascending=[True, True, False, True],
        na_position="last",
        kind="stable",
    )
    return table.drop(columns="_rank").reset_index(drop=True)


def band_series(series: pd.Series, weeks: Iterable[pd.Timestamp]) -> pd.DataFrame:
    """Observed count, expected value and band for each of ``weeks`` (for the chart).

    ``series`` is one column of :func:`weekly_counts` (its first index is the
    start of the data); weeks outside it are left out.
    """
    rows = []
    for w in weeks:
        if w not in series.index:
            continue
        hist, rule = history_weeks(w, series.index[0])
        a = assess(series.at[w], series.loc[hist].to_numpy())
        rows.append(
            {
                "week": w,
                "observed": a.observed,
                "expected": a.expected,
                "low": a.low,
                "high": a.high,
                "p_value": a.p_value,
                "verdict": a.verdict,
                "rule": rule,
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------
# The data
# --------------------------------------------------------------------------


@dataclass
class SourceSeries:
    """A source's weekly counts over its complete weeks, with where it came from."""

    key: str
    counts: pd.DataFrame  # rows: Mondays first..last; columns: "alla" (+ keys)
    origin: str
    note: str = ""

    @property
    def first(self) -> pd.Timestamp | None:
        return self.counts.index[0] if len(self.counts) else None

    @property
    def last(self) -> pd.Timestamp | None:
        return self.counts.index[-1] if len(self.counts) else None


@dataclass
class EstData:
    """Everything the lägesbild reads, reduced to what may be shown.

    ``reports`` keeps only week, category, reporter organisation, place and
    area of the EST reports (no free text, no coordinates); ``measures`` has no
    description; residents' reports and police events are kept only as weekly
    counts (``sources``).
    """

    reports: pd.DataFrame
    measures: pd.DataFrame
    first: pd.Timestamp
    last: pd.Timestamp
    origin: str
    sources: dict[str, SourceSeries] = field(default_factory=dict)


def place_key(place: pd.Series, area: pd.Series) -> pd.Series:
    """``"Torget, Grythyttan"``: place names repeat between areas, so both are the key."""
    return place.astype(str) + ", " + area.astype(str)


def prepare(
    reports: pd.DataFrame,
    measures: pd.DataFrame,
    police: pd.DataFrame | None = None,
    residents: pd.DataFrame | None = None,
    *,
    police_coverage: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    police_origin: str = "real",
) -> EstData:
    """Reduce the raw tables to the lägesbild's data (see :class:`EstData`).

    The EST data covers its first week to :func:`last_complete_week` of the
    latest entry. Residents' reports cover the first full week after their
    first report to the last full week before their latest (the first and
    last report are the best available guess of when collection started and
    when the export was made). Police events cover the full weeks of
    ``police_coverage`` (the archive's complete period).
    """
    from trygghet.sources.processed import origin as table_origin

    if reports.empty:
        raise ValueError("EST-tabellen är tom: inga rapporter att göra en lägesbild av.")
    r = pd.DataFrame(
        {
            "week_start": pd.to_datetime(reports["week_start"]).astype("datetime64[us]").to_numpy(),
            "category": reports["category"].astype(str).to_numpy(),
            "reporter_org": reports["reporter_org"].astype(str).to_numpy(),
            "place": place_key(reports["place"], reports["area"]).to_numpy(),
        }
    )
    first = r["week_start"].min()
    last = last_complete_week(pd.to_datetime(reports["reported_at"]).max())
    m = measures.drop(columns=[c for c in ("description",) if c in measures]).copy()
    if len(m):
        m["place_key"] = place_key(m["place"], m["area"])
        m["decided_week_start"] = pd.to_datetime(m["decided_week_start"]).astype("datetime64[us]")
        m["done_date"] = pd.to_datetime(m["done_date"]).astype("datetime64[us]")
    data = EstData(r, m, first, last, table_origin(reports))
    data.sources["est"] = SourceSeries(
        "est", weekly_counts(r["week_start"], first, last), data.origin
    )
    if residents is not None and len(residents):
        created = pd.to_datetime(residents["created_at"])
        start = created.min().normalize()
        r_first = monday_of(pd.Series([start])).iloc[0]
        r_first = r_first if r_first == start else r_first + WEEK
        r_last = monday_of(pd.Series([created.max()])).iloc[0] - WEEK
        if r_last >= r_first:
            data.sources["residents"] = SourceSeries(
                "residents",
                weekly_counts(monday_of(created), r_first, r_last),
                table_origin(residents),
            )
    if police is not None and police_coverage is not None:
        p_start, p_end = (pd.Timestamp(t) for t in police_coverage)
        p_first = monday_of(pd.Series([p_start.normalize()])).iloc[0]
        p_first = p_first if p_first == p_start.normalize() else p_first + WEEK
        p_last = monday_of(pd.Series([p_end])).iloc[0] - WEEK
        if p_last >= p_first:
            data.sources["police"] = SourceSeries(
                "police", weekly_counts(monday_of(police), p_first, p_last), police_origin
            )
    return data


def load(ctx: object) -> EstData:
    """Load the kommun's EST tables, residents' reports and police events for a report.

    ``ctx`` is the :class:`trygghet.present.page.ReportContext`. A missing residents'
    table or police archive leaves that source out (the lägesbild stands on
    the EST data); a missing EST table is an error.
    """
    from trygghet.errors import TrygghetError
    from trygghet.sources import police_events
    from trygghet.sources.processed import load_table

    reports = load_table(ctx.kommun, "est_reports")  # type: ignore[attr-defined]
    measures = load_table(ctx.kommun, "est_measures")  # type: ignore[attr-defined]
    try:
        residents = load_table(ctx.kommun, "resident_reports")  # type: ignore[attr-defined]
    except TrygghetError:
        residents = None
    police_times, coverage, p_origin = None, None, "real"
    try:
        events = police_events.load_for_report(ctx.shared_data, ctx.kommun)  # type: ignore[attr-defined]
        countable = police_events.countable(events)
        police_times = police_events.event_time(countable)
        cov = police_events.coverage_of(events)
        coverage, p_origin = (cov.start, cov.end), police_events.origin_of(events)
    except TrygghetError:
        pass
    return prepare(
        reports, measures, police_times, residents, police_coverage=coverage, police_origin=p_origin
    )


def banners(data: EstData) -> list[tuple[str, str, str]]:
    """``(source, origin, detail)`` for each source's data banner."""
    out = [
        (
            SOURCE_EST,
            data.origin,
            f"Kompletta veckor: {week_name(data.first)} – {week_name(data.last)}.",
        )
    ]
    labels = {"police": SOURCE_POLICE, "residents": SOURCE_RESIDENTS}
    for key in ("police", "residents"):
        s = data.sources.get(key)
        if s is None:
            out.append((labels[key], "saknas", "Källan finns inte och visas inte."))
        else:
            out.append(
                (
                    labels[key],
                    s.origin,
                    f"Kompletta veckor: {week_name(s.first)} – {week_name(s.last)}.",
                )
            )
    return out


def show_banners(data: EstData) -> None:
    """Show one data banner per source (EXEMPELDATA stands out)."""
    from trygghet.present import page as report

    for source, origin, detail in banners(data):
        report.banner(source, origin, detail)


# --------------------------------------------------------------------------
# Repeat places and measures
# --------------------------------------------------------------------------


def _week_end(monday: pd.Timestamp) -> pd.Timestamp:
    """The last moment of the week (for comparing with dates)."""
    return pd.Timestamp(monday) + WEEK - pd.Timedelta(microseconds=1)


def open_at(measures: pd.DataFrame, monday: pd.Timestamp) -> pd.Series:
    """Was each measure decided and still open at the end of the week of ``monday``?

    Open = decided by then and either still "beslutad"/"pågår" today, or
    finished/closed after that week (its ``done_date`` is later). A closed
    measure without a date counts as closed.
    """
    end = _week_end(monday)
    decided = measures["decided_week_start"] <= pd.Timestamp(monday)
    still_open = measures["status"].astype(str).isin(OPEN_STATUSES)
    done_later = measures["done_date"].notna() & (measures["done_date"] > end)
    return (decided & (still_open | done_later)).fillna(False).astype(bool)


def repeat_places(
    data: EstData,
    end: pd.Timestamp,
    window: int = REPEAT_WINDOW,
    min_weeks: int = REPEAT_MIN_WEEKS,
) -> pd.DataFrame:
    """Places reported in at least ``min_weeks`` of the ``window`` weeks ending with ``end``.

    Columns: ``place, weeks_with_reports, reports, has_measure, measure_ids``,
    most weeks first. ``has_measure``: a measure at the place is open at the
    end of the window or was decided within :data:`MEASURE_GRACE_WEEKS` weeks.
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


def before_after(
    weekly: pd.Series, decided: pd.Timestamp, end: pd.Timestamp, window: int = MEASURE_WINDOW
) -> dict[str, object]:
    """Reports at a place in equal windows before and after the decided week.

    ``weekly`` is the place's weekly count (index: Mondays of the data). After
    = the weeks after the decided week up to ``window`` weeks, no later than
    ``end`` nor the data's last week; before = as many weeks just before the
    decided week (the decided week is in neither: the measure starts during
    it). Verdicts: ``too_early`` (fewer than MIN_AFTER_WEEKS weeks after, or
    not enough data before), ``too_few`` (fewer than MIN_MEASURE_TOTAL reports
    in both windows), ``fewer``/``more`` (exact conditional Poisson test,
    p < 0.05), else ``no_clear_change``.

    Measures are usually decided *because* a place had a bad spell, so counts
    tend to fall afterwards even without an effect (regression to the mean):
    a "färre" is consistent with an effect, not proof of one.
    """
    decided, end = pd.Timestamp(decided), pd.Timestamp(end)
    last = min(end, weekly.index[-1]) if len(weekly) else end
    after = [decided + d * WEEK for d in range(1, window + 1) if decided + d * WEEK <= last]
    n = len(after)
    before = [decided - d * WEEK for d in range(n, 0, -1)]
    result: dict[str, object] = {
        "weeks": n,
        "before": np.nan,
        "after": np.nan,
        "ratio": np.nan,
        "p_value": np.nan,
    }
    if n < MIN_AFTER_WEEKS or not all(w in weekly.index for w in before):
        result["verdict"] = TOO_EARLY
        return result
    b, a = int(weekly.loc[before].sum()), int(weekly.loc[after].sum())
    result.update(before=b, after=a)
    if a + b < MIN_MEASURE_TOTAL:
        result["verdict"] = TOO_FEW
        return result
    test = rate_ratio_test(a, n, b, n)
    result.update(ratio=test.ratio, p_value=test.p_value)
    if test.p_value < ALPHA:
        result["verdict"] = FEWER if test.ratio < 1 else MORE
    else:
        result["verdict"] = NO_CLEAR_CHANGE
    return result


def measure_followup(data: EstData, end: pd.Timestamp) -> pd.DataFrame:
    """The measures to follow up at the meeting after the week of ``end``.

    Listed: measures decided by then that are open at its end or were decided
    within :data:`MEASURE_LIST_WEEKS` weeks. Columns: ``measure_id, decided,
    place, responsible, status, done_date, open, overdue, weeks_since, weeks,
    before, after, ratio, p_value, verdict``. ``status`` is the status in the
    data today; ``open`` says whether it was still open at the end of that
    week (a measure finished later was open then). ``overdue``: open and
    decided at least :data:`OVERDUE_WEEKS` weeks before.
    """
    end = pd.Timestamp(end)
    columns = [
        "measure_id",
        "decided",
        "place",
        "responsible",
        "status",
        "done_date",
        "open",
        "overdue",
        "weeks_since",
        "weeks",
        "before",
        "after",
        "ratio",
        "p_value",
        "verdict",
    ]
    m = data.measures
    if m.empty:
        return pd.DataFrame(columns=columns)
    is_open = open_at(m, end)
    decided_by = m["decided_week_start"] <= end
    recent = m["decided_week_start"] > end - MEASURE_LIST_WEEKS * WEEK
    chosen = m[(decided_by & (is_open | recent)).to_numpy()].copy()
    if chosen.empty:
        return pd.DataFrame(columns=columns)
    places = weekly_counts(
        data.reports["week_start"],
        data.first,
        data.last,
        data.reports["place"],
        key_order=sorted(set(chosen["place_key"])),
    )
    rows = []
    for _, row in chosen.sort_values("decided_week_start", kind="stable").iterrows():
        weeks_since = int((end - row["decided_week_start"]) / WEEK)
        opened = bool(open_at(pd.DataFrame([row]), end).iloc[0])
        ba = before_after(places[row["place_key"]], row["decided_week_start"], end)
        rows.append(
            {
                "measure_id": row["measure_id"],
                "decided": row["decided_week_start"],
                "place": row["place_key"],
                "responsible": row["responsible"],
                "status": row["status"],
                "done_date": row["done_date"],
                "open": opened,
                "overdue": opened and weeks_since >= OVERDUE_WEEKS,
                "weeks_since": weeks_since,
                **ba,
            }
        )
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------
# Tertial comparison
# --------------------------------------------------------------------------


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
# Sentences (each choice pinned by tests)
# --------------------------------------------------------------------------


def _range(low: float, high: float) -> str:
    return f"{fmt_int(low)}–{fmt_int(high)}" if low != high else fmt_int(low)


def level_sentence(label: str, a: Assessment | pd.Series | dict) -> str:
    """One sentence on one count against the expected interval.

    ``label`` names what was counted ("EST-partnernas rapporter", "Skadegörelse").
    """
    get = a.__getitem__ if isinstance(a, dict | pd.Series) else lambda k: getattr(a, k)
    verdict = get("verdict")
    if verdict == MISSING:
        return f"{label}: uppgift saknas för veckan."
    observed = fmt_int(get("observed"))
    if verdict == SHORT_HISTORY:
        return f"{label}: {observed}; för kort historik för att säga vad som är väntat."
    band = _range(get("low"), get("high"))
    if verdict in ELEVATED_VERDICTS:
        word = "mycket ovanligt" if verdict == VERY_UNUSUAL_HIGH else "ovanligt"
        return f"{label}: {observed}, fler än väntat ({band}). Förhöjt – {word}."
    if verdict == TOO_FEW:
        return f"{label}: {observed}, över det väntade ({band}) men för få för att säga något."
    if verdict == LOWER:
        return f"{label}: {observed}, färre än väntat ({band})."
    return f"{label}: {observed}, inom det väntade ({band})."


def elevated_point(
    label: str, a: pd.Series | dict, unit: tuple[str, str] = ("rapport", "rapporter")
) -> str:
    """A "three things" sentence for an elevated count (``unit``: singular, plural noun)."""
    word = "mycket ovanligt" if a["verdict"] == VERY_UNUSUAL_HIGH else "ovanligt"
    return (
        f"{label}: {plural(a['observed'], *unit)} mot väntat högst {fmt_int(a['high'])} – {word}."
    )


def repeat_point(row: pd.Series | dict, window: int = REPEAT_WINDOW) -> str:
    """A "three things" sentence for a repeat place without a measure."""
    return (
        f"{row['place']} har rapporterats {fmt_int(row['weeks_with_reports'])} av de senaste "
        f"{fmt_int(window)} veckorna ({plural(row['reports'], 'rapport', 'rapporter')}) "
        "och har ingen pågående åtgärd."
    )


def overdue_point(row: pd.Series | dict) -> str:
    """A "three things" sentence for an overdue measure."""
    return (
        f"Åtgärd {row['measure_id']} vid {row['place']} ({row['responsible']}) beslutades "
        f"{week_name(row['decided'])} och är inte klar efter "
        f"{plural(row['weeks_since'], 'vecka', 'veckor')}."
    )


def change_point(label: str, row: pd.Series | dict, before_label: str) -> str:
    """A "three things" sentence for a tertial increase."""
    return (
        f"{label} ökade: {plural(row['now'], 'rapport', 'rapporter')} mot "
        f"{fmt_int(row['before'])} {before_label}."
    )


def measure_sentence(row: pd.Series | dict) -> str:
    """One sentence on whether the reports at a measure's place fell afterwards."""
    head = f"{row['measure_id']} ({row['place']}, beslutad {week_name(row['decided'])})"
    verdict = row["verdict"]
    if verdict == TOO_EARLY:
        return f"{head}: för tidigt att säga om rapporterna där har minskat."
    n = plural(row["weeks"], "vecka", "veckor")
    counts = (
        f"{plural(row['before'], 'rapport', 'rapporter')} under {n} före mot "
        f"{fmt_int(row['after'])} under {n} efter"
    )
    if verdict == TOO_FEW:
        return f"{head}: för få rapporter för att säga ({counts})."
    if verdict == FEWER:
        return f"{head}: färre rapporter efter beslutet – {counts}."
    if verdict == MORE:
        return f"{head}: fler rapporter efter beslutet – {counts}."
    return f"{head}: ingen tydlig förändring – {counts}."


NOTHING_STANDS_OUT = (
    "Inget sticker ut: inga förhöjda kategorier eller platser, inga återkommande platser "
    "utan åtgärd och inga försenade åtgärder."
)
NOTHING_STANDS_OUT_TERTIAL = (
    "Inget sticker ut: inga kategorier eller platser som tydligt ökat, inga återkommande "
    "platser utan åtgärd och inga försenade åtgärder."
)


@dataclass(frozen=True)
class Point:
    """A candidate for "the three things to discuss first"."""

    kind: str  # "elevated", "repeat" or "overdue"
    rank: tuple  # smaller = more important within its kind
    text: str


KIND_ORDER: tuple[str, ...] = ("elevated", "repeat", "overdue")


def three_things(
    points: Iterable[Point], n: int = 3, nothing: str = NOTHING_STANDS_OUT
) -> list[str]:
    """Choose the ``n`` things to discuss first.

    Within each kind the candidates are ranked (elevated: smallest p-value
    first; repeat places: most weeks first; overdue: oldest first). The kinds
    take turns in the order elevated, repeat place, overdue measure, so that a
    week with several elevated counts still shows a repeat place or an overdue
    measure if there is one; a kind with nothing leaves its turn to the next.
    With no candidates at all: ``[nothing]``.
    """
    points = list(points)
    queues = {
        k: sorted((p for p in points if p.kind == k), key=lambda p: p.rank) for k in KIND_ORDER
    }
    chosen: list[str] = []
    while len(chosen) < n and any(queues.values()):
        for kind in KIND_ORDER:
            if queues[kind] and len(chosen) < n:
                chosen.append(queues[kind].pop(0).text)
    return chosen or [nothing]


# --------------------------------------------------------------------------
# The picture
# --------------------------------------------------------------------------


@dataclass
class Picture:
    """Everything the lägesbild shows for one selection."""

    selection: Selection
    data: EstData
    sources: pd.DataFrame
    categories: pd.DataFrame
    places: pd.DataFrame
    repeat: pd.DataFrame
    measures: pd.DataFrame
    things: list[str]
    compared_with: str = ""  # tertial mode: "samma tertial 2024"


SOURCE_UNITS: dict[str, tuple[str, str]] = {
    "est": ("rapport", "rapporter"),
    "police": ("händelse", "händelser"),
    "residents": ("rapport", "rapporter"),
}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


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
            text = elevated_point(label, a.__dict__, SOURCE_UNITS[key])
            points.append(Point("elevated", (a.p_value, -a.observed, label), text))
    sources = pd.DataFrame(rows)
    cat_table = flag_table(cats, sel.end)
    place_table = flag_table(places, sel.end)
    keep = (place_table["observed"] > 0) | place_table["verdict"].isin(ELEVATED_VERDICTS)
    place_table = place_table[keep].reset_index(drop=True)
    for table in (cat_table, place_table):
        for _, row in table[table["verdict"].isin(ELEVATED_VERDICTS)].iterrows():
            label = str(row["key"])
            text = elevated_point(_capital(label), row)
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
            text = change_point(_capital(label), row, compared)
            points.append(Point("elevated", (row["p_value"], -row["now"], label), text))
    return sources, cat_table, place_table, points


def repeat_window(sel: Selection) -> tuple[int, int]:
    """Window and minimum weeks of the repeat-place rule for a selection.

    Week mode: :data:`REPEAT_MIN_WEEKS` of the last :data:`REPEAT_WINDOW`.
    Tertial mode: at least half of the tertial's weeks (the same share).
    """
    if sel.mode == "vecka":
        return REPEAT_WINDOW, REPEAT_MIN_WEEKS
    n = len(sel.weeks)
    return n, math.ceil(n * REPEAT_MIN_WEEKS / REPEAT_WINDOW)


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
    window, min_weeks = repeat_window(sel)
    repeat = repeat_places(data, sel.end, window, min_weeks)
    for _, row in repeat[~repeat["has_measure"].astype(bool)].iterrows():
        rank = (-row["weeks_with_reports"], -row["reports"], row["place"])
        points.append(Point("repeat", rank, repeat_point(row, window)))
    measures = measure_followup(data, sel.end)
    for _, row in measures[measures["overdue"].astype(bool)].iterrows():
        points.append(Point("overdue", (row["decided"], row["measure_id"]), overdue_point(row)))
    things = three_things(points, nothing=nothing)
    return Picture(sel, data, sources, cat_table, place_table, repeat, measures, things, compared)


# --------------------------------------------------------------------------
# Narratives
# --------------------------------------------------------------------------


def headline(pic: Picture) -> str:
    """The report's key sentence (for the index page)."""
    sel = pic.selection
    if sel.mode == "vecka":
        est = pic.sources[pic.sources["key"] == SOURCE_LABELS["est"]].iloc[0]
        flagged = [
            str(k)
            for t in (pic.categories, pic.places)
            for k in t.loc[t["verdict"].isin(ELEVATED_VERDICTS), "key"]
        ]
        return week_headline(sel.label, est, flagged)
    est = pic.sources[pic.sources["key"] == SOURCE_LABELS["est"]].iloc[0]
    label = f"{_capital(sel.label)}, EST-partnernas rapporter"
    return tertial_sentence(label, est, pic.compared_with)


def week_headline(label: str, est: pd.Series | dict, flagged: Sequence[str], most: int = 4) -> str:
    """The weekly key sentence: EST count against the expected level, then what is elevated.

    ``flagged`` lists elevated categories and places (most unusual first); at
    most ``most`` are named, the rest counted.
    """
    head = f"{label[0].upper()}{label[1:]}: "
    verdict = est["verdict"]
    n = plural(est["observed"], "EST-rapport", "EST-rapporter") if verdict != MISSING else ""
    if verdict == MISSING:
        text = head + "uppgift om antalet EST-rapporter saknas."
    elif verdict == SHORT_HISTORY:
        text = head + f"{n}; för kort historik för att säga vad som är väntat."
    else:
        band = _range(est["low"], est["high"])
        if verdict in ELEVATED_VERDICTS:
            word = "mycket ovanligt" if verdict == VERY_UNUSUAL_HIGH else "ovanligt"
            text = head + f"{n}, fler än väntat ({band}) – {word}."
        elif verdict == LOWER:
            text = head + f"{n}, färre än väntat ({band})."
        else:
            text = head + f"{n}, inom det väntade ({band})."
    if not flagged:
        return text + " Ingen kategori eller plats är förhöjd."
    names = list(flagged[:most])
    rest = len(flagged) - len(names)
    if rest:
        names.append(plural(rest, "till", "till"))
    return text + f" Förhöjt: {join_list(names)}."


def tertial_sentence(label: str, row: pd.Series | dict, compared: str) -> str:
    """One sentence on a tertial count against the same tertial a year earlier."""
    verdict = row["verdict"]
    now = fmt_int(row["now"])
    if verdict == MISSING:
        return f"{label}: uppgifter saknas för hela perioden."
    if verdict == NO_COMPARISON:
        return f"{label}: {now}; inget att jämföra med ({compared} saknas i datan)."
    before = fmt_int(row["before"])
    if verdict == TOO_FEW:
        return f"{label}: {now} mot {before} {compared} – för få för att säga."
    if verdict == MORE:
        return f"{label}: {now} mot {before} {compared} – fler, en tydlig ökning."
    if verdict == FEWER:
        return f"{label}: {now} mot {before} {compared} – färre, en tydlig minskning."
    return f"{label}: {now} mot {before} {compared} – ingen tydlig förändring."


def expected_explanation(history: str) -> str:
    """What "väntat" and "förhöjt" mean, in words (``history``: :func:`history_description`)."""
    if history == "för lite historik":
        return (
            "Det finns för lite historik för att räkna fram ett väntat antal; ingenting kan "
            "kallas förhöjt än."
        )
    return (
        "Det väntade intervallet är det som nio av tio vanliga veckor hamnar inom, räknat "
        f"från {history}. Över intervallet kallas förhöjt: ovanligt om en vanlig vecka når "
        "så högt högst en gång av 20, mycket ovanligt om högst en gång av 100. Med många "
        f"kategorier och platser blir någon enstaka förhöjd av en slump; under "
        f"{fmt_int(MIN_FLAG_COUNT)} rapporter kallas inget förhöjt."
    )


def narrative(pic: Picture) -> str:
    """Paragraphs for the council: sources, measures and what "väntat" means."""
    sel = pic.selection
    paragraphs = []
    if sel.mode == "vecka":
        paragraphs.append(
            " ".join(level_sentence(str(r["key"]), r) for _, r in pic.sources.iterrows())
        )
        paragraphs.append(expected_explanation(history_description(sel.end, pic.data.first)))
    else:
        paragraphs.append(
            " ".join(
                tertial_sentence(str(r["key"]), r, pic.compared_with)
                for _, r in pic.sources.iterrows()
            )
        )
        paragraphs.append(
            "Jämförelsen gäller antal per vecka, eftersom tertialerna kan ha 17 eller 18 veckor. "
            "Fler eller färre sägs bara när skillnaden är för stor för att vara slumpen "
            "(p < 0,05)."
        )
    if len(pic.measures):
        paragraphs.append(" ".join(measure_sentence(r) for _, r in pic.measures.iterrows()))
    else:
        paragraphs.append("Inga åtgärder att följa upp.")
    return "\n\n".join(paragraphs)


def three_things_html(pic: Picture) -> str:
    """The three things as a large numbered list (readable on a projector)."""
    items = "".join(f'<li style="margin-bottom:0.5em">{html.escape(t)}</li>' for t in pic.things)
    return (
        '<div class="trygghet-est-three" style="font-size:1.6em;line-height:1.35;'
        'border-left:8px solid #D55E00;padding:0.4em 0.8em;margin:0.5em 0">'
        f'<p style="margin:0 0 0.3em 0;font-weight:bold">Att ta upp först – {html.escape(pic.selection.label)}</p>'
        f"<ol>{items}</ol></div>"
    )


def show_three_things(pic: Picture) -> None:
    from IPython.display import HTML, display

    display(HTML(three_things_html(pic)))


# --------------------------------------------------------------------------
# Display tables (Swedish, formatted)
# --------------------------------------------------------------------------


def _flag_display(table: pd.DataFrame, key_label: str) -> pd.DataFrame:
    if table.empty:
        return pd.DataFrame({key_label: ["(inga)"]}).set_index(key_label)
    return pd.DataFrame(
        {
            key_label: table["key"].astype(str),
            "antal": table["observed"].map(fmt_int),
            "väntat (medel)": table["expected"].map(lambda x: fmt_number(x, 1)),
            "väntat intervall": [
                _range(lo, hi) if not (pd.isna(lo) or pd.isna(hi)) else "–"
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


def measures_table(pic: Picture) -> pd.DataFrame:
    """Measures with status, delay and before/after counts at their place."""
    m = pic.measures
    if m.empty:
        return pd.DataFrame({"åtgärd": ["(inga åtgärder att följa upp)"]}).set_index("åtgärd")

    def status_text(row: pd.Series) -> str:
        if row["open"] and row["status"] not in OPEN_STATUSES:
            return f"öppen då ({row['status']} {fmt_date(row['done_date'])})"
        text = str(row["status"])
        if pd.notna(row["done_date"]):
            text += f" {fmt_date(row['done_date'])}"
        return text + (" – försenad" if row["overdue"] else "")

    return pd.DataFrame(
        {
            "åtgärd": m["measure_id"],
            "beslutad": m["decided"].map(week_name),
            "plats": m["place"],
            "ansvarig": m["responsible"],
            "status": [status_text(r) for _, r in m.iterrows()],
            "rapporter före": m["before"].map(fmt_int),
            "rapporter efter": m["after"].map(fmt_int),
            "veckor per fönster": m["weeks"].map(fmt_int),
            "bedömning": m["verdict"].map(CHANGE_LABELS),
        }
    ).set_index("åtgärd")


# --------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------


def chart_weeks(pic: Picture, n: int = 26) -> list[pd.Timestamp]:
    """Weeks drawn: the last ``n`` up to the selected week, or the year up to the tertial's end."""
    end = pic.selection.end
    n = n if pic.selection.mode == "vecka" else max(n, 52)
    return [w for w in (end - d * WEEK for d in range(n - 1, -1, -1)) if w >= pic.data.first]


def weekly_band(pic: Picture, n: int = 26) -> pd.DataFrame:
    """Data of the weekly chart: EST reports per week with expected value and band."""
    series = pic.data.sources["est"].counts["alla"]
    return band_series(series.loc[series.index <= pic.selection.end], chart_weeks(pic, n))


def plot_weekly(pic: Picture, n: int = 26) -> Figure:
    """Bars of EST reports per week with the expected band; the selected weeks highlighted."""
    from matplotlib.patches import Patch

    band = weekly_band(pic, n)
    fig, ax = style.new_figure((11, 5.5))
    x = np.arange(len(band))
    edges = np.append(x - 0.5, x[-1] + 0.5) if len(x) else x

    def stairs(column: str) -> np.ndarray:
        values = band[column].to_numpy(dtype=float)
        return np.append(values, values[-1]) if len(values) else values

    ax.fill_between(
        edges,
        stairs("low"),
        stairs("high"),
        step="post",
        color=style.PALETTE[5],
        alpha=0.25,
        zorder=1,
    )
    ax.step(edges, stairs("expected"), where="post", color=style.PALETTE[0], linewidth=2, zorder=3)
    selected = band["week"].isin(pic.selection.weeks).to_numpy()
    elevated = band["verdict"].isin(ELEVATED_VERDICTS).to_numpy()
    colours = np.where(elevated, style.HIGHLIGHT, np.where(selected, style.PRIMARY, style.MUTED))
    ax.bar(x, band["observed"], color=colours, width=0.7, zorder=2)
    step = max(1, len(band) // 13)
    ax.set_xticks(x[::step], [f"v{w.isocalendar()[1]}" for w in band["week"]][::step])
    style.count_axis(ax)
    ax.set_ylabel("antal rapporter")
    ax.set_title(f"EST-rapporter per vecka t.o.m. {pic.selection.label}")
    handles = [
        Patch(color=style.PRIMARY, label="vald period"),
        Patch(color=style.HIGHLIGHT, label="förhöjt"),
        Patch(color=style.MUTED, label="övriga veckor"),
        plt.Line2D([], [], color=style.PALETTE[0], linewidth=2, label="väntat"),
        Patch(color=style.PALETTE[5], alpha=0.25, label="väntat intervall\n(9 av 10 veckor)"),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1, 1))
    return style.finish(fig)


def heatmap_table(pic: Picture, n: int = 12) -> pd.DataFrame:
    """Reports per category (rows) and week (columns) for the heatmap."""
    weeks = list(pic.selection.weeks) if pic.selection.mode == "tertial" else chart_weeks(pic, n)
    r = pic.data.reports
    table = weekly_counts(r["week_start"], weeks[0], weeks[-1], r["category"], CATEGORIES)
    return table.T


def plot_heatmap(pic: Picture, n: int = 12) -> Figure:
    """Category-by-week heatmap of EST reports, counts written in the cells."""
    table = heatmap_table(pic, n)
    fig, ax = style.new_figure((12, 5.5))
    values = table.to_numpy()
    ax.imshow(values, aspect="auto", cmap="Blues", vmin=0, vmax=max(3, values.max()))
    ax.set_yticks(range(len(table.index)), list(table.index))
    ax.set_xticks(range(table.shape[1]), [f"v{w.isocalendar()[1]}" for w in table.columns])
    ax.grid(False)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            if values[i, j]:
                dark = values[i, j] > 0.6 * max(3, values.max())
                ax.text(
                    j,
                    i,
                    fmt_int(values[i, j]),
                    ha="center",
                    va="center",
                    color="white" if dark else "black",
                    fontsize=12,
                )
    if pic.selection.mode == "vecka":
        ax.axvline(table.shape[1] - 1.5, color=style.HIGHLIGHT, linewidth=3)
    ax.set_title(f"EST-rapporter per kategori och vecka t.o.m. {pic.selection.label}")
    return style.finish(fig)


def plot_repeat_places(pic: Picture) -> Figure:
    """Horizontal bars: weeks with reports per repeat place; orange = no measure."""
    r = pic.repeat.iloc[::-1]
    fig, ax = style.new_figure((11, max(3.0, 0.6 * len(r) + 1.8)))
    window, _ = repeat_window(pic.selection)
    if r.empty:
        ax.text(
            0.5,
            0.5,
            "Inga återkommande platser",
            ha="center",
            va="center",
            transform=ax.transAxes,
            fontsize=16,
        )
        ax.set_axis_off()
    else:
        colours = [style.PRIMARY if h else style.HIGHLIGHT for h in r["has_measure"]]
        ax.barh(list(r["place"]), r["weeks_with_reports"], color=colours)
        ax.set_xlim(0, window)
        style.count_axis(ax, "x")
        ax.set_xlabel(f"veckor med minst en rapport, av de senaste {window}")
        ax.grid(axis="y", visible=False)
        from matplotlib.patches import Patch

        ax.legend(
            handles=[
                Patch(color=style.HIGHLIGHT, label="ingen pågående åtgärd"),
                Patch(color=style.PRIMARY, label="har åtgärd"),
            ],
            loc="upper left",
            bbox_to_anchor=(1, 1),
        )
    ax.set_title(f"Återkommande platser t.o.m. {pic.selection.label}")
    return style.finish(fig)


def figure_caption(pic: Picture, which: str) -> object:
    """The caption for chart ``which`` ("weekly", "heatmap", "repeat")."""
    label = pic.selection.label
    texts = {
        "weekly": (
            f"EST-partnernas rapporter per vecka fram till {label}. Staplar: antal (blå = vald "
            "period, orange = förhöjt, grå = övriga veckor). Linjen är det väntade antalet och "
            "det ljusa bandet det väntade intervallet, räknat från samma veckor tidigare år."
        ),
        "heatmap": (
            f"Antal EST-rapporter per kategori och vecka fram till {label}; mörkare ruta = fler "
            "rapporter, tom ruta = inga."
        ),
        "repeat": (
            "Platser med rapporter många veckor i rad. Stapeln visar hur många av veckorna "
            "platsen rapporterades; orange = ingen pågående eller nyligen beslutad åtgärd."
        ),
    }
    return style.caption(texts[which], "EST-partnernas veckorapporter (kommunens egna data)")
