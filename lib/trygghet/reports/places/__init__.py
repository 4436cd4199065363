"""Promise 2: insecurity in public places, safety walks and what came of them.

The report answers three questions for one kommun and one period (a year):

1. **Where and when do residents report feeling unsafe?** Residents' reports
   (``resident_reports``) counted by category, month, season and part of the
   day; the change against the previous year per category with an exact test;
   hotspots on an H3 hexagon grid with Getis-Ord Gi* and FDR control.
2. **What was promised at the safety walks, and was it done?** Every walk
   observation (``safety_walks``) as tracked data: measure, responsible party,
   deadline, status; overdue measures as of the period end; the share done by
   the deadline per walk and per responsible party (Wilson intervals); what
   the follow-up walk verified.
3. **Did anything change around the completed measures?** Residents' reports
   within :data:`NEAR_RADIUS_M` of each completed walk observation in equal
   windows before and after the completion date, against the rest of the
   kommun over the same windows (difference-in-differences on counts, exact
   conditional test).

Privacy: the report never shows the residents' free text or exact positions.
Every table meant for display goes through :func:`display_table`, which drops
such columns and refuses a frame that still holds coordinate-like numbers.
Hotspots are described by H3 cells (about 0.74 km²) and by a place label
("ca 0,5 km nordost om Hällefors"), never by coordinates.

Counts of reports measure *reporting*, not insecurity: who reports depends on
who knows the app. Every narrative sentence says "anmälningar", not "otrygghet".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import h3
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter, NullLocator
from scipy import stats
from scipy.stats.contingency import odds_ratio

from trygghet import paths
from trygghet.config import KommunConfig
from trygghet.present import style
from trygghet.present.swedish import (
    MONTHS_SHORT,
    fmt_date,
    fmt_int,
    fmt_number,
    fmt_percent,
    join_list,
    plural,
)
from trygghet.sources.resident_reports import CATEGORIES
from trygghet.sources.safety_walks import PRIORITY_LABELS, overdue
from trygghet.stats import hotspots
from trygghet.stats.proportions import wilson_ci
from trygghet.stats.rates import rate_ratio_test
from trygghet.stats.trend import DECREASING, INCREASING, NO_CLEAR_CHANGE, TOO_FEW

__all__ = [
    "DAY_PARTS",
    "H3_RESOLUTION",
    "MIN_NEAR_FOR_DID",
    "MIN_TOTAL_FOR_VERDICT",
    "NEAR_RADIUS_M",
    "NO_COMPARISON",
    "SEASONS",
    "WINDOW_DAYS",
    "BeforeAfter",
    "DidResult",
    "PeriodWindow",
    "PlacesAnalysis",
    "analyse",
    "assert_display_safe",
    "before_after",
    "before_after_table",
    "category_change",
    "category_change_table",
    "change_sentence",
    "change_verdict",
    "completion_by",
    "completion_table",
    "did_sentence",
    "did_test",
    "display_table",
    "followup_table",
    "haversine_m",
    "headline",
    "hotspot_analysis",
    "hotspot_display",
    "hotspot_sentence",
    "hotspot_table",
    "load_boundary",
    "monthly_by_category",
    "narrative",
    "period_window",
    "place_label",
    "plot_before_after",
    "plot_category_change",
    "plot_completion",
    "plot_monthly_by_category",
    "load",
    "source_label",
    "reports_coverage_text",
    "walks_coverage_text",
    "promise_text",
    "study_area_text",
    "season_table",
    "time_of_day_table",
    "overall_completion_text",
    "rendered_html_problems",
    "reports_map",
    "walks_map",
    "map_layers",
    "observations_in_scope",
    "overdue_at",
    "season_counts",
    "study_area_cells",
    "time_of_day",
    "walk_observations_table",
    "walks_sentence",
]

# ---------------------------------------------------------------------------
# Choices, written down

#: H3 resolution of the hotspot grid. Resolution 8 cells cover about 0.74 km²
#: with an average edge of about 0.53 km (h3 v4's ``average_hexagon_edge_length``;
#: older tables quote 0.46 km for the same cells). A cell is roughly a few
#: blocks of a tätort: large enough that a count says something and that no
#: single address can be read from it, small enough to tell the station from
#: the school. Resolution 9 (0.11 km²) leaves most cells with 0 or 1 report in
#: a small kommun.
H3_RESOLUTION: int = 8

#: A report is "near" a completed walk measure when it lies within this many metres.
#: About two blocks: the distance a lamp, a cleared bush or a repaired shelter
#: can plausibly change how a place feels.
NEAR_RADIUS_M: float = 250.0

#: Length of the before and after windows around a completion date (days).
#: Half a year on each side, so that both windows hold a dark part of the year
#: for most dates; equal windows make the count comparison fair.
WINDOW_DAYS: int = 180

#: Below this many reports (this year and the comparison year together) a
#: category's change is "för få för att säga". Same judgement as
#: :data:`trygghet.stats.trend.MIN_TOTAL_COUNT`: with fewer than ten events the test
#: has almost no power and a verdict would mislead.
MIN_TOTAL_FOR_VERDICT: int = 10

#: Below this many reports near the completed measures (before and after
#: together) the before/after comparison is "för få för att säga". With 10
#: reports even a halving (7 -> 3) is well within chance.
MIN_NEAR_FOR_DID: int = 10

#: Verdict code when the comparison year has no data at all.
NO_COMPARISON = "no_comparison"

#: Parts of the day (start hour inclusive, end hour exclusive), the same four
#: blocks of six hours as the police-events report.
DAY_PARTS: tuple[tuple[str, int, int], ...] = (
    ("natt", 0, 6),
    ("förmiddag", 6, 12),
    ("eftermiddag", 12, 18),
    ("kväll", 18, 24),
)

#: Meteorological seasons by month.
SEASONS: dict[str, tuple[int, ...]] = {
    "vinter": (12, 1, 2),
    "vår": (3, 4, 5),
    "sommar": (6, 7, 8),
    "höst": (9, 10, 11),
}

VERDICT_LABELS: dict[str, str] = {
    INCREASING: "fler",
    DECREASING: "färre",
    NO_CLEAR_CHANGE: "ingen tydlig förändring",
    TOO_FEW: "för få för att säga",
    NO_COMPARISON: "jämförelse saknas",
}

#: Columns that never reach a displayed table: free text, exact positions and
#: ids that could be looked up in the source system.
FORBIDDEN_COLUMNS: frozenset[str] = frozenset(
    {
        "description",
        "address",
        "postal_code",
        "lat",
        "lon",
        "latitude",
        "longitude",
        "geometry",
        "report_id",
        "h3",
    }
)

_COMPASS = ("norr", "nordost", "öster", "sydost", "söder", "sydväst", "väster", "nordväst")
_EARTH_RADIUS_M = 6_371_008.8


# ---------------------------------------------------------------------------
# Period


@dataclass(frozen=True)
class PeriodWindow:
    """The span of the period that the data covers, and the same span a year earlier.

    ``end`` is the period's last moment or the last report's time if the data
    stops earlier (an export made during the year); the previous year's window
    is the same calendar span, so that the comparison is like with like.
    ``prev_covered`` is False when the data starts after the previous window starts.
    """

    period: int
    start: pd.Timestamp
    end: pd.Timestamp
    prev_start: pd.Timestamp
    prev_end: pd.Timestamp
    complete: bool
    prev_covered: bool

    @property
    def months_text(self) -> str:
        """'jan–okt' for a partial year, '' for a whole one."""
        if self.complete:
            return ""
        return f"{MONTHS_SHORT[0]}–{MONTHS_SHORT[self.end.month - 1]}"


def period_window(reports: pd.DataFrame, period: int) -> PeriodWindow:
    """The period's window as far as ``reports`` reach (see :class:`PeriodWindow`)."""
    start = pd.Timestamp(int(period), 1, 1)
    year_end = pd.Timestamp(int(period) + 1, 1, 1) - pd.Timedelta(microseconds=1)
    times = pd.to_datetime(reports["created_at"]) if len(reports) else pd.Series(dtype="M8[us]")
    data_end = times.max() if len(times) else year_end
    data_start = times.min() if len(times) else start
    end = min(year_end, data_end) if data_end >= start else year_end
    # A partial year is cut at the end of the last month with data, so that
    # both years cover whole months.
    complete = end >= year_end - pd.Timedelta(days=1)
    if not complete:
        month = end.to_period("M")
        if end.normalize() < month.to_timestamp(how="end").normalize():
            month = month - 1  # the last month has data only for part of it: leave it out
        end = month.to_timestamp(how="end")
    prev_start = start - pd.DateOffset(years=1)
    prev_end = end - pd.DateOffset(years=1)
    return PeriodWindow(
        period=int(period),
        start=start,
        end=end,
        prev_start=prev_start,
        prev_end=prev_end,
        complete=bool(complete),
        prev_covered=bool(len(times) and data_start <= prev_start + pd.Timedelta(days=31)),
    )


def as_of_date(period: int, today: pd.Timestamp | None = None) -> pd.Timestamp:
    """The day a period's walk measures are judged: 31 December, or today if earlier."""
    end = pd.Timestamp(int(period), 12, 31)
    today = pd.Timestamp.today().normalize() if today is None else pd.Timestamp(today)
    return min(end, today)


def _between(frame: pd.DataFrame, column: str, start, end) -> pd.DataFrame:
    t = pd.to_datetime(frame[column])
    return frame[(t >= start) & (t <= end)]


# ---------------------------------------------------------------------------
# Counts


def _categories(reports: pd.DataFrame) -> list[str]:
    """The known categories in their fixed order, plus any unknown ones at the end."""
    seen = set(reports["category"].dropna().astype(str))
    return [c for c in CATEGORIES] + sorted(seen - set(CATEGORIES))


def monthly_by_category(reports: pd.DataFrame, period: int) -> pd.DataFrame:
    """Reports per month (1–12, rows) and category (columns) of ``period``, zeros included."""
    year = reports[pd.to_datetime(reports["created_at"]).dt.year == int(period)]
    month = pd.to_datetime(year["created_at"]).dt.month.rename("månad")
    table = pd.crosstab(month, year["category"].astype(str)) if len(year) else pd.DataFrame()
    table = table.reindex(index=range(1, 13), columns=_categories(reports), fill_value=0)
    table.index.name = "månad"
    table.columns.name = "kategori"
    return table.fillna(0).astype("int64")


def season_counts(reports: pd.DataFrame, period: int) -> pd.DataFrame:
    """Reports per season and category in ``period`` (the calendar year's months).

    Winter is December, January and February *of the same calendar year*
    (not a winter spanning the turn of the year), so that the seasons add up
    to the year's total.
    """
    monthly = monthly_by_category(reports, period)
    rows = {name: monthly.loc[list(months)].sum() for name, months in SEASONS.items()}
    table = pd.DataFrame(rows).T
    table.index.name = "årstid"
    table["totalt"] = table.sum(axis=1)
    return table.astype("int64")


def time_of_day(reports: pd.DataFrame, period: int) -> pd.DataFrame:
    """Reports per part of the day (:data:`DAY_PARTS`) in ``period``, with shares.

    A time of exactly 00:00:00 is read as "time not known" (exports that hold
    only the date write midnight) and left out; their number is in ``attrs["unknown"]``.
    Note: ``created_at`` is when the report was made, not when the resident
    felt unsafe there.
    """
    times = pd.to_datetime(reports["created_at"])
    times = times[times.dt.year == int(period)]
    unknown = (times.dt.hour == 0) & (times.dt.minute == 0) & (times.dt.second == 0)
    hours = times[~unknown].dt.hour
    labels = [name for name, _, _ in DAY_PARTS]
    bins = [start for _, start, _ in DAY_PARTS] + [24]
    parts = pd.cut(hours, bins=bins, right=False, labels=labels)
    counts = parts.value_counts().reindex(labels, fill_value=0).astype("int64")
    total = int(counts.sum())
    table = pd.DataFrame(
        {"antal": counts.to_numpy(), "andel": counts.to_numpy() / total if total else np.nan},
        index=pd.Index(labels, name="del av dygnet"),
    )
    table.attrs["unknown"] = int(unknown.sum())
    return table


# ---------------------------------------------------------------------------
# Change against the previous year


def change_verdict(
    count: int, prev_count: int | None, p_value: float, *, alpha: float = 0.05
) -> str:
    """Verdict code for a count against the previous year's.

    ``no_comparison`` without a previous count; ``too_few`` when both together
    are below :data:`MIN_TOTAL_FOR_VERDICT`; ``increasing``/``decreasing``
    when ``p_value < alpha``; otherwise ``no_clear_change``.
    """
    if prev_count is None or (isinstance(prev_count, float) and math.isnan(prev_count)):
        return NO_COMPARISON
    if count + prev_count < MIN_TOTAL_FOR_VERDICT:
        return TOO_FEW
    if p_value < alpha:
        return INCREASING if count > prev_count else DECREASING
    return NO_CLEAR_CHANGE


def category_change(reports: pd.DataFrame, period: int, *, alpha: float = 0.05) -> pd.DataFrame:
    """Reports per category this period and the same span a year earlier, tested.

    Method: each category's two counts are compared with the exact
    conditional test for two Poisson rates (:func:`trygghet.stats.rates.rate_ratio_test`,
    equal exposure: the same calendar span). Because nine categories are
    tested at once, the category verdicts use Benjamini–Hochberg q-values
    (:func:`trygghet.stats.hotspots.fdr_bh`); the total ("alla kategorier") is a
    single test and uses its own p-value.

    Returns one row per category plus ``alla kategorier`` last, with columns
    ``category, count, prev_count, ratio, low, high, p_value, q_value, verdict``.
    ``prev_count`` is missing when the data does not cover the previous year.
    """
    win = period_window(reports, period)
    now = _between(reports, "created_at", win.start, win.end)
    prev = _between(reports, "created_at", win.prev_start, win.prev_end)
    cats = _categories(reports)
    now_c = now["category"].astype(str).value_counts().reindex(cats, fill_value=0)
    prev_c = prev["category"].astype(str).value_counts().reindex(cats, fill_value=0)
    rows = []
    for cat in [*cats, "alla kategorier"]:
        c1 = int(now_c.sum() if cat == "alla kategorier" else now_c[cat])
        c2 = int(prev_c.sum() if cat == "alla kategorier" else prev_c[cat])
        if win.prev_covered:
            test = rate_ratio_test(c1, 1.0, c2, 1.0)
            rows.append((cat, c1, c2, test.ratio, test.low, test.high, test.p_value))
        else:
            rows.append((cat, c1, np.nan, np.nan, np.nan, np.nan, np.nan))
    table = pd.DataFrame(
        rows, columns=["category", "count", "prev_count", "ratio", "low", "high", "p_value"]
    )
    is_cat = table["category"] != "alla kategorier"
    q = np.full(len(table), np.nan)
    if win.prev_covered:
        _, q_cat = hotspots.fdr_bh(table.loc[is_cat, "p_value"].to_numpy(), alpha)
        q[is_cat.to_numpy()] = q_cat
        q[~is_cat.to_numpy()] = table.loc[~is_cat, "p_value"].to_numpy()
    table["q_value"] = q
    table["verdict"] = [
        change_verdict(
            int(r.count),
            None if pd.isna(r.prev_count) else int(r.prev_count),
            float(r.q_value),
            alpha=alpha,
        )
        for r in table.itertuples()
    ]
    table.attrs["window"] = win
    return table


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


# ---------------------------------------------------------------------------
# Hotspots


def load_boundary(kommun: str, shared_data: str | Path | None = None):
    """The kommun's polygon (shapely, WGS 84) or None when no boundary file is available.

    Looks first at the processed ``kommun_boundaries.parquet`` (written by
    ``trygghet ingest`` from the mirror), then at the mirror's
    ``scb/kommuner_scb_wgs84.geojson``.
    """
    import geopandas as gpd

    processed = paths.processed_dir() / "kommun_boundaries.parquet"
    mirror = Path(shared_data) if shared_data else paths.shared_data_dir()
    geojson = mirror / "scb" / "kommuner_scb_wgs84.geojson"
    frame = None
    try:
        if processed.is_file():
            frame = gpd.read_parquet(processed)
        elif geojson.is_file():
            frame = gpd.read_file(geojson)
    except Exception:  # a broken optional file must not stop the report
        frame = None
    if frame is None or "kommun_code" not in frame:
        return None
    rows = frame[frame["kommun_code"].astype(str) == str(kommun)]
    if rows.empty:
        return None
    if rows.crs is not None and rows.crs.to_epsg() != 4326:
        rows = rows.to_crs(4326)
    return rows.geometry.union_all()


def study_area_cells(
    reports: pd.DataFrame,
    boundary=None,
    resolution: int = H3_RESOLUTION,
    ring: int = 2,
) -> tuple[list[str], str]:
    """All H3 cells of the study area and the method used ("gräns" or "utbredning").

    With the kommun's ``boundary`` (a shapely polygon): every cell whose
    centre lies inside it (``h3.geo_to_cells``), plus the cells of any report
    just outside the line. Without it: the cells covering the bounding box of
    the reports with positions, plus ``ring`` rings around it (a fallback that
    makes the study area depend on the data; the method is said in the report).
    Cells without reports are part of the area with count 0: zeros are
    information for Gi*.
    """
    cells_of_reports = set(_report_cells(reports, resolution).dropna())
    if boundary is not None and not boundary.is_empty:
        cells = set(h3.geo_to_cells(boundary.__geo_interface__, resolution))
        return sorted(cells | cells_of_reports), "gräns"
    pos = reports.dropna(subset=["lat", "lon"])
    if pos.empty:
        return [], "utbredning"
    lat0, lat1 = float(pos["lat"].min()), float(pos["lat"].max())
    lon0, lon1 = float(pos["lon"].min()), float(pos["lon"].max())
    box = h3.LatLngPoly([(lat0, lon0), (lat0, lon1), (lat1, lon1), (lat1, lon0)])
    cells = set(h3.polygon_to_cells(box, resolution)) | cells_of_reports
    grown: set[str] = set()
    for cell in cells:
        grown.update(h3.grid_disk(cell, ring))
    return sorted(grown), "utbredning"


def _report_cells(reports: pd.DataFrame, resolution: int) -> pd.Series:
    lat = pd.to_numeric(reports["lat"], errors="coerce").astype(float)
    lon = pd.to_numeric(reports["lon"], errors="coerce").astype(float)
    return pd.Series(
        hotspots.points_to_h3(lat.to_numpy(), lon.to_numpy(), resolution),
        index=reports.index,
        dtype=object,
    )


def hotspot_analysis(
    reports: pd.DataFrame,
    all_cells: Sequence[str],
    *,
    resolution: int = H3_RESOLUTION,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Gi* per H3 cell of the study area for the reports with positions.

    Analytical Gi* (normal approximation) with BH-FDR at ``alpha``, k = 1 ring
    (:func:`trygghet.stats.hotspots.getis_ord_gi_star`). Analytical rather than
    permutation p-values: with ~2,000 cells a lone hot cell would need
    ~80,000 permutations to survive the FDR correction (see that function);
    the normal approximation is rough for sparse counts, which is one more
    reason to read hotspots together with the counts.

    Exact confirmation: the analytical Gi* p-values are badly anti-conservative
    for sparse counts. Measured (200 simulations each, reports placed uniformly
    at random on the 267 cells of a 12 km square, i.e. no hotspot at all):
    analytical Gi* with BH found at least one "hot" cell in 70 % of the runs
    with 15 reports, 59 % with 40 and 20 % with 150; with the exact
    confirmation below 2.5 %, 2 % and 0 %. Each cell's
    neighbourhood total (the same sum Gi* standardises) is therefore also
    tested exactly: if the N reports fell on the m cells at random, the total
    over a neighbourhood of n cells is Binomial(N, n/m); the two-sided exact
    p-values get their own BH correction (``q_exact``). A cell keeps its hot
    or cold class only when both tests agree.

    Returns the Gi* table (``h3, count, gi_z, p_value, q_value, class``) plus
    ``neighbourhood``, ``p_exact`` and ``q_exact``.
    """
    cells = _report_cells(reports, resolution).dropna()
    counts = cells.value_counts().rename_axis("h3").reset_index(name="count")
    gi = hotspots.getis_ord_gi_star(counts, "h3", "count", all_cells=list(all_cells), alpha=alpha)
    ids = list(gi["h3"])
    index = {c: i for i, c in enumerate(ids)}
    y = gi["count"].to_numpy(float)
    total, m = int(y.sum()), len(ids)
    sums, sizes = np.zeros(m), np.zeros(m)
    for i, cell in enumerate(ids):
        ring = [index[c] for c in h3.grid_disk(cell, 1) if c in index]
        sums[i], sizes[i] = y[ring].sum(), len(ring)
    if total > 0 and m > 0:
        prob = sizes / m
        upper = stats.binom.sf(sums - 1, total, prob)
        lower = stats.binom.cdf(sums, total, prob)
        p_exact = np.minimum(1.0, 2.0 * np.minimum(upper, lower))
    else:
        p_exact = np.ones(m)
    reject, q_exact = hotspots.fdr_bh(p_exact, alpha)
    gi["neighbourhood"] = sums
    gi["p_exact"] = p_exact
    gi["q_exact"] = q_exact
    gi.loc[~reject, "class"] = hotspots.NOT_SIGNIFICANT
    return gi


def _bearing_deg(lat0: float, lon0: float, lat1: float, lon1: float) -> float:
    """Initial compass bearing from point 0 to point 1 (degrees, 0 = north)."""
    p0, p1 = math.radians(lat0), math.radians(lat1)
    dl = math.radians(lon1 - lon0)
    x = math.sin(dl) * math.cos(p1)
    y = math.cos(p0) * math.sin(p1) - math.sin(p0) * math.cos(p1) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360.0) % 360.0


def haversine_m(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in metres (vectorised, broadcasting like numpy)."""
    p1, p2 = np.radians(np.asarray(lat1, float)), np.radians(np.asarray(lat2, float))
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2, float) - np.asarray(lon1, float))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def place_label(lat: float, lon: float, areas: Sequence[tuple[str, float, float]]) -> str:
    """A coarse place name: nearest configured area + direction, never coordinates.

    Within 250 m of the area's centre: "centrala <namn>". Farther away: "ca
    <d> km <väderstreck> om <namn>" with the distance rounded to half a
    kilometre. ``areas`` are (name, lat, lon) triples (the kommun config's areas).
    """
    if not areas:
        return "okänt område"
    dists = haversine_m(lat, lon, [a[1] for a in areas], [a[2] for a in areas])
    i = int(np.argmin(dists))
    name, alat, alon = areas[i]
    d = float(dists[i])
    if d < 250:
        return f"centrala {name}"
    km = max(0.5, round(d / 500) * 0.5)
    direction = _COMPASS[int(((_bearing_deg(alat, alon, lat, lon) + 22.5) % 360) // 45)]
    return f"ca {fmt_number(km, 1)} km {direction} om {name}"


def area_points(config: KommunConfig) -> list[tuple[str, float, float]]:
    """(name, lat, lon) of the configured areas with coordinates."""
    return [(a.name, float(a.lat), float(a.lon)) for a in config.areas if a.lat is not None]


def _clusters(cells: Sequence[str]) -> list[list[str]]:
    """Groups of H3 cells that touch (k = 1), each sorted, in a stable order."""
    remaining = set(cells)
    groups = []
    for start in sorted(cells):
        if start not in remaining:
            continue
        stack, group = [start], []
        remaining.discard(start)
        while stack:
            cell = stack.pop()
            group.append(cell)
            for nb in h3.grid_disk(cell, 1):
                if nb in remaining:
                    remaining.discard(nb)
                    stack.append(nb)
        groups.append(sorted(group))
    return groups


def hotspot_table(
    gi: pd.DataFrame,
    reports: pd.DataFrame,
    areas: Sequence[tuple[str, float, float]],
    *,
    resolution: int = H3_RESOLUTION,
    kind: str = hotspots.HOT,
    top_categories: int = 3,
    merge: bool = True,
) -> pd.DataFrame:
    """Significant hot (or cold) spots, touching cells merged into one place.

    One row per group of touching significant cells (with ``merge=False``:
    one row per significant cell, to see where inside a large group the
    reports are): ``place`` (from the
    count-weighted centre of the cells' centres, see :func:`place_label`),
    ``cells``, ``reports`` (reports in those cells), ``categories`` (the most
    common categories with their shares), ``max_z`` and ``min_q``. Ordered by
    the number of reports. Contains no coordinates and no cell ids.
    """
    sig = gi[gi["class"] == kind]
    cols = ["place", "cells", "reports", "categories", "max_z", "min_q"]
    if sig.empty:
        return pd.DataFrame(columns=cols)
    if not merge:
        sig = sig[sig["count"] > 0]  # a cell with no reports is only "hot" by its neighbours
    cell_of = _report_cells(reports, resolution)
    rows = []
    groups = _clusters(list(sig["h3"])) if merge else [[c] for c in sig["h3"]]
    for group in groups:
        part = gi[gi["h3"].isin(group)]
        weights = part["count"].to_numpy(float)
        centres = np.array([h3.cell_to_latlng(c) for c in part["h3"]])
        w = weights if weights.sum() > 0 else np.ones(len(part))
        lat, lon = (centres * w[:, None]).sum(axis=0) / w.sum()
        cats = reports.loc[cell_of.isin(group), "category"].astype(str).value_counts()
        cats = cats.sort_index().sort_values(ascending=False, kind="stable")
        n = int(cats.sum())
        top = [f"{c} ({fmt_percent(k / n)})" for c, k in cats.head(top_categories).items()]
        rows.append(
            {
                "place": place_label(float(lat), float(lon), areas),
                "cells": len(group),
                "reports": n,
                "categories": join_list(top) if top else "–",
                "max_z": float(part["gi_z"].max() if kind == hotspots.HOT else part["gi_z"].min()),
                "min_q": float(part["q_value"].min()),
            }
        )
    table = pd.DataFrame(rows, columns=cols)
    return table.sort_values(["reports", "place"], ascending=[False, True]).reset_index(drop=True)


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
# Safety walks as tracked data


def _due_mask(walks: pd.DataFrame, start: pd.Timestamp, as_of: pd.Timestamp) -> pd.Series:
    """Measures that should have been done within [start, as_of] and were not rejected."""
    deadline = pd.to_datetime(walks["deadline"])
    return (
        deadline.notna()
        & (deadline >= start)
        & (deadline <= as_of)
        & (walks["status"].astype(str) != "avslagen")
        & (pd.to_datetime(walks["walk_date"]) <= as_of)
    ).astype(bool)


def _on_time(walks: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Done by the deadline (and by ``as_of``: a later completion was not known then)."""
    done = pd.to_datetime(walks["completed_date"])
    ok = (
        (walks["status"].astype(str) == "åtgärdad")
        & done.notna()
        & (done <= pd.to_datetime(walks["deadline"]))
        & (done <= as_of)
    )
    return ok.fillna(False).astype(bool)


def completion_by(
    walks: pd.DataFrame,
    by: str | None,
    period: int,
    as_of: pd.Timestamp,
    level: float = 0.95,
) -> pd.DataFrame:
    """Share of measures done by their deadline, per ``by`` column (or overall), Wilson CI.

    Denominator: measures whose deadline fell between 1 January of ``period``
    and ``as_of``, from walks held by ``as_of``, not rejected (avslagen: the
    owner decided not to act, which is an answer, not a delay). Numerator:
    those marked åtgärdad with a completion date on or before the deadline
    (and on or before ``as_of``). ``overdue`` counts the measures open past
    their deadline at ``as_of`` among them (:func:`safety_walks.overdue`).

    Columns: the group, ``due``, ``on_time``, ``share``, ``low``, ``high``, ``overdue``.
    """
    start = pd.Timestamp(int(period), 1, 1)
    as_of = pd.Timestamp(as_of)
    due = _due_mask(walks, start, as_of)
    frame = walks[due].copy()
    frame["_on_time"] = _on_time(frame, as_of)
    frame["_overdue"] = overdue_at(frame, as_of) if len(frame) else False
    key = frame[by].astype(str) if by else pd.Series("alla", index=frame.index)
    rows = []
    for name, part in frame.groupby(key, sort=True):
        n, k = len(part), int(part["_on_time"].sum())
        low, high = wilson_ci(k, n, level)
        rows.append((name, n, k, k / n, low, high, int(part["_overdue"].sum())))
    cols = [by or "grupp", "due", "on_time", "share", "low", "high", "overdue"]
    return pd.DataFrame(rows, columns=cols)


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


def overdue_at(walks: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Overdue at the end of the day ``as_of`` (a deadline on ``as_of`` itself has passed).

    :func:`trygghet.sources.safety_walks.overdue` asks "deadline before
    ``as_of``"; the report judges at the end of 31 December, hence one day later.
    """
    return overdue(walks, pd.Timestamp(as_of) + pd.Timedelta(days=1))


def observations_in_scope(walks: pd.DataFrame, period: int, as_of: pd.Timestamp) -> pd.Series:
    """Observations of walks held in ``period`` (by ``as_of``), plus older ones still open."""
    as_of = pd.Timestamp(as_of)
    walk_date = pd.to_datetime(walks["walk_date"])
    done_by = (walks["status"].astype(str) == "åtgärdad") & (
        pd.to_datetime(walks["completed_date"]) <= as_of
    )
    still_open = ~done_by.fillna(False) & (walks["status"].astype(str) != "avslagen")
    return ((walk_date <= as_of) & ((walk_date.dt.year == int(period)) | still_open)).astype(bool)


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
# Before/after around completed measures


@dataclass(frozen=True)
class DidResult:
    """Ratio of ratios (near after/before over rest after/before) with an exact test."""

    near_before: int
    near_after: int
    rest_before: int
    rest_after: int
    ratio_of_ratios: float
    low: float
    high: float
    p_value: float
    verdict: str


def did_test(
    near_before: int,
    near_after: int,
    rest_before: int,
    rest_after: int,
    *,
    alpha: float = 0.05,
    level: float = 0.95,
    min_near: int = MIN_NEAR_FOR_DID,
) -> DidResult:
    """Difference-in-differences on four counts: exact conditional test of the interaction.

    Method: with four independent Poisson counts (near/rest × before/after),
    conditioning on all margins makes the near-after count hypergeometric, so
    the interaction "did the near places change differently from the rest?"
    is Fisher's exact test on the 2×2 table ``[[near_after, near_before],
    [rest_after, rest_before]]`` whose odds ratio is the ratio of ratios
    ``(near_after/near_before) / (rest_after/rest_before)``. The interval is
    the exact conditional interval (scipy ``odds_ratio(kind="conditional")``);
    the point estimate is the sample ratio of ratios.

    Verdict: ``too_few`` when ``near_before + near_after < min_near`` (see
    :data:`MIN_NEAR_FOR_DID`); ``decreasing`` (fewer reports near the
    measures than the rest of the kommun would suggest) or ``increasing``
    when ``p < alpha``; else ``no_clear_change``.

    Assumptions: counts independent and Poisson; the rest of the kommun shows
    what would have happened near the measures without them (parallel trends).
    """
    a, b, c, d = (int(x) for x in (near_before, near_after, rest_before, rest_after))
    if min(a, b, c, d) < 0:
        raise ValueError("counts must be non-negative")
    table = np.array([[b, a], [d, c]])
    if a + b == 0 or c + d == 0 or b + d == 0 or a + c == 0:
        ror, low, high, p = np.nan, 0.0, np.inf, 1.0
    else:
        p = float(stats.fisher_exact(table, alternative="two-sided").pvalue)
        ci = odds_ratio(table, kind="conditional").confidence_interval(level)
        low, high = float(ci.low), float(ci.high)
        with np.errstate(divide="ignore", invalid="ignore"):
            ror = float((b * c) / (a * d)) if a * d > 0 else np.inf
    if a + b < min_near:
        verdict = TOO_FEW
    elif p < alpha:
        verdict = DECREASING if (b * c) < (a * d) else INCREASING
    else:
        verdict = NO_CLEAR_CHANGE
    return DidResult(a, b, c, d, ror, low, high, p, verdict)


@dataclass(frozen=True)
class BeforeAfter:
    """Per-measure counts and the pooled difference-in-differences."""

    measures: pd.DataFrame
    pooled: DidResult
    near_ratio: tuple[float, float, float]
    rest_ratio: tuple[float, float, float]
    radius_m: float
    window_days: int
    excluded: dict[str, int] = field(default_factory=dict)


def before_after(
    reports: pd.DataFrame,
    walks: pd.DataFrame,
    as_of: pd.Timestamp,
    *,
    radius_m: float = NEAR_RADIUS_M,
    window_days: int = WINDOW_DAYS,
) -> BeforeAfter:
    """Reports near completed walk measures before and after completion, against the rest.

    Which measures: status åtgärdad, with coordinates, whose before window
    ``[t - W, t)`` starts on or after the first report and whose after window
    ``[t, t + W)`` ends by ``as_of`` and by the last report (so that no
    window is cut short: the comparison uses only data up to the period end).

    Near: reports with positions within ``radius_m`` of the measure's point.
    A report near several measures is counted once in the pooled figures, for
    the nearest measure whose windows contain it (walk points are often closer
    than ``2 * radius_m``, and double counting would overstate the evidence).
    The per-measure rows count every report near that measure.

    Rest: reports with positions farther than ``radius_m`` from every included
    measure, counted in each measure's windows and summed. Windows of
    different measures overlap, so those sums count a report several times;
    they are scaled down to the number of distinct rest reports in all the
    windows (ratio kept, precision no longer overstated) before the test.
    Reports without a position take part in neither group.
    """
    as_of = pd.Timestamp(as_of)
    w = pd.Timedelta(days=int(window_days))
    pos = reports.dropna(subset=["lat", "lon"])
    t_rep = pd.to_datetime(pos["created_at"]).to_numpy()
    first = pd.to_datetime(reports["created_at"]).min() if len(reports) else as_of
    last = pd.to_datetime(reports["created_at"]).max() if len(reports) else as_of
    limit = min(as_of + pd.Timedelta(days=1), last)
    done = walks[(walks["status"].astype(str) == "åtgärdad") & walks["completed_date"].notna()]
    excluded = {
        "utan position": int(done["lat"].isna().sum()),
    }
    done = done.dropna(subset=["lat", "lon"])
    t_done = pd.to_datetime(done["completed_date"])
    full = (t_done - w >= first) & (t_done + w <= limit)
    excluded["fönster utanför data"] = int((~full).sum())
    done = done[full].sort_values(["completed_date", "walk_id", "point_no"])
    cols = ["walk_id", "point_no", "area", "category", "completed_date",
            "near_before", "near_after", "rest_before", "rest_after"]  # fmt: skip
    if done.empty or pos.empty:
        empty = did_test(0, 0, 0, 0)
        nan3 = (np.nan, np.nan, np.nan)
        return BeforeAfter(pd.DataFrame(columns=cols), empty, nan3, nan3, radius_m, window_days,
                           excluded)  # fmt: skip
    dist = haversine_m(
        pos["lat"].to_numpy(float)[:, None],
        pos["lon"].to_numpy(float)[:, None],
        done["lat"].to_numpy(float)[None, :],
        done["lon"].to_numpy(float)[None, :],
    )  # reports × measures
    near = dist <= radius_m
    rest = ~near.any(axis=1)
    t0 = t_done.loc[done.index].to_numpy()
    before = (t_rep[:, None] >= (t0 - w)[None, :]) & (t_rep[:, None] < t0[None, :])
    after = (t_rep[:, None] >= t0[None, :]) & (t_rep[:, None] < (t0 + w)[None, :])
    measures = done[["walk_id", "point_no", "area", "category", "completed_date"]].copy()
    measures["near_before"] = (near & before).sum(axis=0)
    measures["near_after"] = (near & after).sum(axis=0)
    measures["rest_before"] = (rest[:, None] & before).sum(axis=0)
    measures["rest_after"] = (rest[:, None] & after).sum(axis=0)
    # Pooled near counts: each report once, for its nearest measure with a window covering it.
    in_window = near & (before | after)
    masked = np.where(in_window, dist, np.inf)
    nearest = masked.argmin(axis=1)
    has = np.isfinite(masked.min(axis=1))
    rows = np.flatnonzero(has)
    a = int(before[rows, nearest[rows]].sum())
    b = int(after[rows, nearest[rows]].sum())
    # Pooled rest counts, scaled to distinct reports.
    c_sum, d_sum = int(measures["rest_before"].sum()), int(measures["rest_after"].sum())
    distinct = int((rest & (before | after).any(axis=1)).sum())
    scale = distinct / (c_sum + d_sum) if c_sum + d_sum else 1.0
    c, d = round(c_sum * scale), round(d_sum * scale)
    pooled = did_test(a, b, c, d)
    near_rr = rate_ratio_test(b, 1.0, a, 1.0) if a + b else None
    rest_rr = rate_ratio_test(d, 1.0, c, 1.0) if c + d else None

    def triple(rr) -> tuple[float, float, float]:
        return (rr.ratio, rr.low, rr.high) if rr is not None else (np.nan, np.nan, np.nan)

    return BeforeAfter(
        measures[cols].reset_index(drop=True),
        pooled,
        triple(near_rr),
        triple(rest_rr),
        radius_m,
        window_days,
        excluded,
    )


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


# ---------------------------------------------------------------------------
# Privacy of displayed tables

_COORD_LIKE = r"(?<![\d])[1-9]\d\.\d{5,}"


def display_table(frame: pd.DataFrame, *, allow_text: Iterable[str] = ()) -> pd.DataFrame:
    """Prepare a table for display: drop free text and exact positions, then check.

    Drops every column named in :data:`FORBIDDEN_COLUMNS` (description,
    address, postal code, lat/lon, geometry, report id, H3 cell) and the index
    if it is one of them. ``allow_text`` names columns that may hold text the
    protocol itself wrote (a walk's place and proposed measure); it cannot
    allow a forbidden column. Then :func:`assert_display_safe` checks the
    result. Returns a copy.
    """
    allowed = set(allow_text)
    if allowed & FORBIDDEN_COLUMNS:
        raise ValueError(f"kan inte tillåta {sorted(allowed & FORBIDDEN_COLUMNS)}")
    out = frame.drop(columns=[c for c in frame.columns if str(c) in FORBIDDEN_COLUMNS])
    if out.index.name in FORBIDDEN_COLUMNS:
        out = out.reset_index(drop=True)
    assert_display_safe(out)
    return out


def assert_display_safe(frame: pd.DataFrame) -> None:
    """Raise ``ValueError`` if a table still looks like it holds positions.

    Checks: no forbidden column names; no float column with values that look
    like coordinates (five or more decimals, between 10 and 99 in magnitude);
    no text cell containing a number with five or more decimals.
    """
    bad = [c for c in frame.columns if str(c) in FORBIDDEN_COLUMNS]
    if bad:
        raise ValueError(f"tabellen innehåller otillåtna kolumner: {bad}")
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_float_dtype(values):
            v = pd.to_numeric(values, errors="coerce").dropna().astype(float).abs()
            v = v[(v >= 10) & (v < 100)]
            if len(v) and (np.abs(v * 1e4 - np.round(v * 1e4)) > 1e-6).any():
                raise ValueError(f"kolumnen {column!r} ser ut att innehålla koordinater")
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            text = values.astype("string")
            if text.str.contains(_COORD_LIKE, regex=True).fillna(False).any():
                raise ValueError(f"kolumnen {column!r} innehåller koordinatliknande tal")


# ---------------------------------------------------------------------------
# Loading, sources and small display helpers for the notebook


def load(kommun: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The kommun's processed ``resident_reports`` and ``safety_walks`` tables."""
    from trygghet.sources import processed as tables

    return tables.load_table(kommun, "resident_reports"), tables.load_table(kommun, "safety_walks")


def source_label(frame: pd.DataFrame, what: str) -> str:
    """Caption source: ``what``, marked as example data when it is."""
    from trygghet.sources import processed as tables

    return f"{what} (EXEMPELDATA)" if tables.origin(frame) == "example" else what


REPORTS_SOURCE = "Kommunens register över invånarnas anmälningar om otrygga platser"
WALKS_SOURCE = "Kommunens protokoll från trygghetsvandringar"


def reports_coverage_text(reports: pd.DataFrame) -> str:
    """Banner detail: how many reports, which dates, how many with a map position."""
    if reports.empty:
        return "Inga anmälningar i tabellen."
    t = pd.to_datetime(reports["created_at"])
    n = len(reports)
    pos = int(reports["lat"].notna().sum())
    return (
        f"{plural(n, 'anmälan', 'anmälningar')} från {fmt_date(t.min())} till {fmt_date(t.max())}; "
        f"{fmt_percent(pos / n)} har en position på kartan."
    )


def walks_coverage_text(walks: pd.DataFrame) -> str:
    """Banner detail: how many walks and observations, which dates."""
    if walks.empty:
        return "Inga trygghetsvandringar i tabellen."
    d = pd.to_datetime(walks["walk_date"])
    return (
        f"{plural(walks['walk_id'].nunique(), 'vandring', 'vandringar')} med "
        f"{plural(len(walks), 'iakttagelse', 'iakttagelser')} från {fmt_date(d.min())} "
        f"till {fmt_date(d.max())}."
    )


def promise_text(config: KommunConfig, promise_id: str = "2") -> str:
    """The promise in the kommun's own words ("" when the kommun has no such promise)."""
    for promise in config.promises:
        if promise.id == str(promise_id):
            return f"Löfte {promise.id}, {promise.title}: {promise.text}"
    return ""


def study_area_text(a: PlacesAnalysis) -> str:
    """How the hotspot study area was chosen, in one or two sentences."""
    n = len(a.reports_in_period)
    pos = len(a.positioned_in_period)
    how = (
        "kommunens yta enligt SCB:s kommungräns"
        if a.area_method == "gräns"
        else "rutorna runt anmälningarna (kommungränsen fanns inte att tillgå)"
    )
    return (
        f"Sökområdet är {how}: {plural(a.n_cells, 'hexagon', 'hexagoner')} på ca 0,74 km² "
        f"vardera, även de utan anmälningar. {fmt_int(pos)} av {fmt_int(n)} anmälningar "
        "under perioden hade en position och är med i sökningen."
    )


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


def overall_completion_text(a: PlacesAnalysis) -> str:
    """The completion sentence with the Wilson interval, for the walks section."""
    due = int(a.completion["due"].sum())
    on_time = int(a.completion["on_time"].sum())
    text = walks_sentence(due, on_time, a.overdue_total, a.period, a.as_of, a.min_count)
    if due >= a.min_count:
        row = a.completion.iloc[0]
        text += (
            f" Andelen klara i tid har ett 95-procentigt konfidensintervall på "
            f"{fmt_percent(row['low'])}–{fmt_percent(row['high'])}."
        )
    return text


# ---------------------------------------------------------------------------
# Narratives (sentences pinned by tests)


def change_sentence(
    verdict: str,
    count: int,
    prev_count: int | None,
    period: int,
    months: str = "",
) -> str:
    """One sentence on the year's number of reports against the previous year's."""
    prev = period - 1
    span = f" ({months} båda åren)" if months and prev_count is not None else ""
    n = plural(count, "anmälan", "anmälningar")
    if verdict == NO_COMPARISON or prev_count is None:
        return (
            f"Under {period} kom {n} om otrygga platser in; "
            f"jämförelse med {prev} saknas eftersom uppgifterna inte går så långt tillbaka."
        )
    p = fmt_int(prev_count)
    if verdict == INCREASING:
        return (
            f"Under {period} kom {n} om otrygga platser in, fler än under {prev} "
            f"({p}){span}. Ökningen är större än vad slumpen brukar ge."
        )
    if verdict == DECREASING:
        return (
            f"Under {period} kom {n} om otrygga platser in, färre än under {prev} "
            f"({p}){span}. Minskningen är större än vad slumpen brukar ge."
        )
    if verdict == NO_CLEAR_CHANGE:
        return (
            f"Under {period} kom {n} om otrygga platser in, mot {p} under {prev}{span}: "
            "ingen tydlig förändring, skillnaden ryms inom vad slumpen kan ge."
        )
    if verdict == TOO_FEW:
        return (
            f"Under {period} kom {n} om otrygga platser in, mot {p} under {prev}{span}: "
            "för få för att säga om något har förändrats."
        )
    raise ValueError(f"okänd bedömning {verdict!r}")


def hotspot_sentence(table: pd.DataFrame, n_positioned: int, min_reports: int = 20) -> str:
    """One sentence on the hotspot search: found (where), none significant, or too few."""
    if n_positioned < min_reports:
        return (
            f"Bara {plural(n_positioned, 'anmälan', 'anmälningar')} hade en position på kartan: "
            "för få för att leta efter platser där anmälningarna samlas."
        )
    if table.empty:
        return (
            "Ingen plats har statistiskt säkerställt fler anmälningar än resten av kommunen: "
            "anmälningarna är inte mer samlade än vad slumpen kan ge."
        )
    places = join_list(table["place"].head(3))
    k = len(table)
    more = f" (och {k - 3} till)" if k > 3 else ""
    if k == 1:
        return f"Anmälningarna samlas på en plats mer än vad slumpen kan förklara: {places}."
    return (
        f"Anmälningarna samlas på {fmt_int(k)} platser mer än vad slumpen kan förklara: "
        f"{places}{more}."
    )


def walks_sentence(
    due: int, on_time: int, overdue_count: int, period: int, as_of: pd.Timestamp,
    min_count: int = 5,
) -> str:  # fmt: skip
    """Share of walk measures done by the deadline, and how many were overdue at ``as_of``."""
    when = fmt_date(as_of)
    late = (
        f"Sammanlagt var {plural(overdue_count, 'åtgärd', 'åtgärder')} från vandringarna "
        f"försenade den {when}."
        if overdue_count != 1
        else f"Sammanlagt var 1 åtgärd från vandringarna försenad den {when}."
    )
    if overdue_count == 0:
        late = f"Ingen åtgärd från vandringarna var försenad den {when}."
    if due == 0:
        return (
            f"Inga åtgärder från trygghetsvandringarna hade sista dag under {period} "
            f"(fram till {when}). {late}"
        )
    if due < min_count:
        return (
            f"Bara {plural(due, 'åtgärd', 'åtgärder')} från trygghetsvandringarna hade sista dag "
            f"under {period}, för få för att räkna en andel; {fmt_int(on_time)} blev klara i tid. "
            f"{late}"
        )
    return (
        f"Av de {plural(due, 'åtgärd', 'åtgärder')} från trygghetsvandringarna som skulle vara "
        f"klara under {period} blev {fmt_int(on_time)} ({fmt_percent(on_time / due)}) klara i tid. "
        f"{late}"
    )


def did_sentence(result: BeforeAfter) -> str:
    """One sentence on reports near completed measures, before against after."""
    p = result.pooled
    r = fmt_int(result.radius_m)
    days = fmt_int(result.window_days)
    n_measures = len(result.measures)
    if n_measures == 0:
        return (
            "Ingen genomförd åtgärd med position hade hela perioden före och efter inom "
            "uppgifterna, så ingen före–efter-jämförelse kan göras."
        )
    base = (
        f"Inom {r} meter från {plural(n_measures, 'genomförd åtgärd', 'genomförda åtgärder')} "
        f"kom {fmt_int(p.near_before)} anmälningar in de {days} dagarna före och "
        f"{fmt_int(p.near_after)} de {days} dagarna efter"
    )
    if p.verdict == TOO_FEW:
        return f"{base}: för få för att säga om åtgärderna gjorde skillnad."
    if p.verdict == DECREASING:
        return (
            f"{base}. Anmälningarna nära åtgärderna minskade mer än i övriga kommunen, "
            "mer än vad slumpen brukar ge."
        )
    if p.verdict == INCREASING:
        return (
            f"{base}. Anmälningarna nära åtgärderna ökade mer än i övriga kommunen, "
            "mer än vad slumpen brukar ge."
        )
    return (
        f"{base}. Förändringen skiljer sig inte tydligt från övriga kommunens: "
        "det går inte att säga att åtgärderna minskade anmälningarna."
    )


# ---------------------------------------------------------------------------
# The whole analysis


@dataclass
class PlacesAnalysis:
    """Everything the places report shows, computed once."""

    period: int
    as_of: pd.Timestamp
    window: PeriodWindow
    reports: pd.DataFrame
    walks: pd.DataFrame
    change: pd.DataFrame
    area_method: str
    n_cells: int
    gi: pd.DataFrame
    hot: pd.DataFrame
    hot_cells: pd.DataFrame
    cold: pd.DataFrame
    completion: pd.DataFrame
    completion_by_responsible: pd.DataFrame
    completion_by_walk: pd.DataFrame
    overdue_total: int
    before_after: BeforeAfter
    min_count: int

    @property
    def as_of_text(self) -> str:
        """The judgement day in Swedish, e.g. "31 december 2025"."""
        return fmt_date(self.as_of)

    @property
    def reports_in_period(self) -> pd.DataFrame:
        return _between(self.reports, "created_at", self.window.start, self.window.end)

    @property
    def positioned_in_period(self) -> pd.DataFrame:
        return self.reports_in_period.dropna(subset=["lat", "lon"])


def analyse(
    reports: pd.DataFrame,
    walks: pd.DataFrame,
    config: KommunConfig,
    period: int,
    *,
    boundary=None,
    today: pd.Timestamp | None = None,
) -> PlacesAnalysis:
    """Run every analysis of the places report for one kommun and period."""
    window = period_window(reports, period)
    as_of = as_of_date(period, today)
    change = category_change(reports, period)
    in_period = _between(reports, "created_at", window.start, window.end)
    cells, method = study_area_cells(in_period, boundary)
    gi = hotspot_analysis(in_period, cells)
    areas = area_points(config)
    hot = hotspot_table(gi, in_period, areas)
    hot_cells = hotspot_table(gi, in_period, areas, merge=False)
    cold = hotspot_table(gi, in_period, areas, kind=hotspots.COLD)
    completion = completion_by(walks, None, period, as_of)
    by_resp = completion_by(walks, "responsible", period, as_of)
    by_walk = completion_by(walks, "walk_id", period, as_of)
    late_all = overdue_at(walks, as_of)
    return PlacesAnalysis(
        period=int(period),
        as_of=as_of,
        window=window,
        reports=reports,
        walks=walks,
        change=change,
        area_method=method,
        n_cells=len(cells),
        gi=gi,
        hot=hot,
        hot_cells=hot_cells,
        cold=cold,
        completion=completion,
        completion_by_responsible=by_resp,
        completion_by_walk=by_walk,
        overdue_total=int(late_all.sum()),
        before_after=before_after(reports, walks, as_of),
        min_count=int(config.min_count),
    )


def _total_row(a: PlacesAnalysis) -> pd.Series:
    return a.change[a.change["category"] == "alla kategorier"].iloc[0]


def headline(a: PlacesAnalysis) -> str:
    """The report's key text: reports against last year, then the walk measures."""
    t = _total_row(a)
    prev = None if pd.isna(t["prev_count"]) else int(t["prev_count"])
    first = change_sentence(t["verdict"], int(t["count"]), prev, a.period, a.window.months_text)
    due = int(a.completion["due"].sum())
    on_time = int(a.completion["on_time"].sum())
    second = walks_sentence(due, on_time, a.overdue_total, a.period, a.as_of, a.min_count)
    return f"{first} {second}"


def narrative(a: PlacesAnalysis, kommun_name: str = "") -> str:
    """Paragraphs: change and categories, hotspots, walks, before/after."""
    t = _total_row(a)
    prev = None if pd.isna(t["prev_count"]) else int(t["prev_count"])
    first = change_sentence(t["verdict"], int(t["count"]), prev, a.period, a.window.months_text)
    cats = a.change[a.change["category"] != "alla kategorier"]
    up = cats[cats["verdict"] == INCREASING]["category"].tolist()
    down = cats[cats["verdict"] == DECREASING]["category"].tolist()
    if up or down:
        parts = []
        if up:
            parts.append(f"fler anmälningar om {join_list(up)}")
        if down:
            parts.append(f"färre om {join_list(down)}")
        cat_text = f"Per kategori syns {join_list(parts)} än året före."
    elif prev is not None:
        cat_text = "Ingen enskild kategori förändrades tydligt jämfört med året före."
    else:
        cat_text = ""
    biggest = cats.sort_values(["count", "category"], ascending=[False, True]).head(3)
    top = join_list(
        f"{r.category} ({fmt_int(r.count)})" for r in biggest.itertuples() if r.count > 0
    )
    top_text = f"Vanligast var {top}." if top else ""
    p1 = " ".join(s for s in (first, top_text, cat_text) if s)
    p2 = hotspot_sentence(a.hot, len(a.positioned_in_period))
    due = int(a.completion["due"].sum())
    on_time = int(a.completion["on_time"].sum())
    p3 = walks_sentence(due, on_time, a.overdue_total, a.period, a.as_of, a.min_count)
    p4 = did_sentence(a.before_after)
    return "\n\n".join([p1, p2, p3, p4])


# ---------------------------------------------------------------------------
# Maps (drawn by trygghet.present.maps; this only chooses what goes on them)


def map_layers(kommun: str, shared_data: str | Path | None = None):
    """(boundary GeoDataFrame or None, tätort points or None) from the mirror, for the maps."""
    from trygghet.present import maps

    mirror = Path(shared_data) if shared_data else paths.shared_data_dir()
    boundary = tatorter = None
    geojson = mirror / "scb" / "kommuner_scb_wgs84.geojson"
    points = mirror / "scb" / "tatorter_2020_points.csv"
    try:
        boundary = maps.load_boundary(geojson, kommun) if geojson.is_file() else None
    except ValueError:
        boundary = None
    if points.is_file():
        tatorter = maps.load_tatorter(points, kommun)
    return boundary, tatorter


def reports_map(a: PlacesAnalysis, kommun: str, shared_data: str | Path | None = None):
    """The hexagon map of the period's reports with the Gi* hot/cold layer.

    Only ``lat``, ``lon``, ``category`` and ``status`` are handed to the map
    module (never the free text); it aggregates to H3 cells of
    :data:`H3_RESOLUTION` and suppresses cells with fewer than the kommun's
    ``min_count`` reports. The Gi* layer shows the confirmed classes of
    :func:`hotspot_analysis`.
    """
    from trygghet.present import maps

    boundary, tatorter = map_layers(kommun, shared_data)
    pos = a.positioned_in_period[["lat", "lon", "category", "status"]]
    with maps.deterministic_ids("platser_rapporter"):
        return maps.resident_reports_map(
            pos,
            boundary,
            tatorter,
            resolution=H3_RESOLUTION,
            min_count=a.min_count,
            hotspots=a.gi[["h3", "class", "count"]],
            title=f"Anmälningar om otrygga platser {a.period}",
        )


def walks_map(a: PlacesAnalysis, kommun: str, shared_data: str | Path | None = None):
    """The map of the walk observations in scope (:func:`observations_in_scope`), overdue ringed."""
    from trygghet.present import maps

    boundary, tatorter = map_layers(kommun, shared_data)
    keep = observations_in_scope(a.walks, a.period, a.as_of)
    obs = a.walks[keep].drop(columns=["description"], errors="ignore")
    obs = obs.assign(overdue=overdue_at(a.walks, a.as_of)[keep])
    with maps.deterministic_ids("platser_vandringar"):
        return maps.walk_observations_map(obs, boundary, tatorter, as_of=a.as_of)


# ---------------------------------------------------------------------------
# Checking the rendered report

_LONG_DECIMAL = r"(?<![\d.])-?\d{1,2}\.\d{5,}(?!\d)"


def rendered_html_problems(html_text: str, reports: pd.DataFrame, min_text: int = 25) -> list[str]:
    """What in a rendered report would break the privacy rules (empty list: nothing).

    Looks for (1) numbers with five or more decimals in the range of the
    reports' latitudes or longitudes (exact positions; the maps round to 4
    decimals), also inside base64-encoded embedded HTML pages (images and
    icons are not decoded: their path data is not positions), and (2) any
    residents' description of at least ``min_text`` characters, as is or
    HTML-escaped.
    """
    import base64
    import html as html_lib
    import re

    texts = [html_text]
    for blob in re.findall(r"data:text/html[^,\"']*;base64,([A-Za-z0-9+/=]+)", html_text):
        try:
            texts.append(base64.b64decode(blob).decode("utf-8", errors="ignore"))
        except ValueError:
            continue
    texts += [html_lib.unescape(t) for t in texts]
    problems: list[str] = []
    pos = reports.dropna(subset=["lat", "lon"])
    if len(pos):
        lat_lo, lat_hi = float(pos["lat"].min()) - 0.1, float(pos["lat"].max()) + 0.1
        lon_lo, lon_hi = float(pos["lon"].min()) - 0.1, float(pos["lon"].max()) + 0.1
        for text in texts:
            for token in re.findall(_LONG_DECIMAL, text):
                v = float(token)
                if lat_lo <= v <= lat_hi or lon_lo <= v <= lon_hi:
                    problems.append(f"koordinat med många decimaler: {token}")
                    break
            if problems:
                break
    descriptions = reports.get("description", pd.Series(dtype="string")).dropna().astype(str)
    for desc in sorted({d for d in descriptions if len(d) >= min_text}):
        if any(desc in t or html_lib.escape(desc) in t for t in texts):
            problems.append(f"fritext från en anmälan: {desc[:30]}…")
            break
    return problems


# ---------------------------------------------------------------------------
# Charts


def _category_colours(categories: Sequence[str]) -> list[str]:
    colours = []
    for i, cat in enumerate(categories):
        colours.append(style.MUTED if cat == "annat" else style.PALETTE[i % len(style.PALETTE)])
    return colours


def plot_monthly_by_category(a: PlacesAnalysis, kommun_name: str = "") -> Figure:
    """Stacked bars: reports per month of the period by category."""
    table = monthly_by_category(a.reports, a.period)
    table = table.loc[:, table.sum() > 0] if table.to_numpy().sum() else table
    fig, ax = style.new_figure((11, 6))
    bottom = np.zeros(12)
    for column, colour in zip(table.columns, _category_colours(table.columns), strict=True):
        ax.bar(range(12), table[column], bottom=bottom, color=colour, label=column, width=0.8)
        bottom += table[column].to_numpy()
    ax.set_xticks(range(12), MONTHS_SHORT)
    style.count_axis(ax)
    ax.set_ylabel("antal anmälningar")
    ax.set_title(
        f"Anmälningar om otrygga platser per månad {a.period}"
        + (f", {kommun_name}" if kommun_name else "")
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1), title="kategori")
    return style.finish(fig)


def plot_category_change(a: PlacesAnalysis) -> Figure:
    """Horizontal bars per category this period; last year as a black mark; verdict labels."""
    cats = a.change[a.change["category"] != "alla kategorier"].iloc[::-1]
    fig, ax = style.new_figure((11, 0.55 * len(cats) + 2))
    y = np.arange(len(cats))
    colours = [
        style.HIGHLIGHT if v in (INCREASING, DECREASING) else style.PRIMARY for v in cats["verdict"]
    ]
    ax.barh(y, cats["count"], color=colours, height=0.7, label=str(a.period))
    if cats["prev_count"].notna().any():
        ax.scatter(
            cats["prev_count"], y, marker="|", s=400, linewidths=3, color="black",
            label=str(a.period - 1), zorder=3,
        )  # fmt: skip
    xmax = float(np.nanmax([cats["count"].max(), cats["prev_count"].max(), 1]))
    for yi, v in zip(y, cats["verdict"], strict=True):
        ax.text(xmax * 1.03, yi, VERDICT_LABELS[v], va="center", fontsize="small")
    ax.set_xlim(0, xmax * 1.45)
    ax.set_yticks(y, cats["category"])
    style.count_axis(ax, "x")
    ax.set_xlabel("antal anmälningar")
    span = f" ({a.window.months_text})" if a.window.months_text else ""
    ax.set_title(f"Anmälningar per kategori {a.period} mot {a.period - 1}{span}")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return style.finish(fig)


def plot_completion(a: PlacesAnalysis) -> Figure:
    """Dot plot: share of measures done by the deadline per responsible party, Wilson CI."""
    c = a.completion_by_responsible.sort_values("share")
    fig, ax = style.new_figure((10, 0.6 * max(len(c), 1) + 2))
    if c.empty:
        ax.text(0.5, 0.5, "Inga åtgärder med sista dag under perioden", ha="center")
        ax.set_axis_off()
        return style.finish(fig)
    y = np.arange(len(c))
    ax.hlines(y, c["low"], c["high"], color=style.PRIMARY, linewidth=3)
    ax.plot(c["share"], y, "o", color=style.HIGHLIGHT, markersize=10)
    ax.set_yticks(
        y, [f"{r} (n = {fmt_int(n)})" for r, n in zip(c.iloc[:, 0], c["due"], strict=True)]
    )
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt_percent(v)))
    ax.set_xlabel("andel klara senast sista dag (95 % konfidensintervall)")
    ax.set_title(f"Åtgärder klara i tid per ansvarig, sista dag {a.period}")
    ax.grid(axis="y", visible=False)
    return style.finish(fig)


def plot_before_after(a: PlacesAnalysis) -> Figure:
    """Dot plot: after/before ratio near the measures, in the rest, and their ratio."""
    r = a.before_after
    p = r.pooled
    rows = [
        ("nära åtgärderna", *r.near_ratio),
        ("övriga kommunen", *r.rest_ratio),
        ("skillnad (kvot av kvoter)", p.ratio_of_ratios, p.low, p.high),
    ]
    fig, ax = style.new_figure((10, 4))
    y = np.arange(len(rows))[::-1]
    for yi, (_label, est, low, high) in zip(y, rows, strict=True):
        if not np.isfinite(est):
            continue
        ax.hlines(yi, low, min(high, 10), color=style.PRIMARY, linewidth=3)
        ax.plot(est, yi, "o", color=style.HIGHLIGHT, markersize=10)
    ax.axvline(1.0, color="black", linewidth=1)
    ax.set_xscale("log")
    ax.set_xlim(0.2, 5)
    ticks = [0.25, 0.5, 1, 2, 4]
    ax.set_xticks(ticks, [fmt_number(t, 2).rstrip("0").rstrip(",") for t in ticks])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_yticks(y, [row[0] for row in rows])
    ax.set_xlabel("anmälningar efter / före (1 = oförändrat, 95 % KI)")
    ax.set_title(f"Före och efter genomförda åtgärder ({fmt_int(r.window_days)} dagar)")
    ax.grid(axis="y", visible=False)
    return style.finish(fig)
