"""Loading the two tables and running every analysis of the places report once.

:func:`analyse` returns a :class:`PlacesAnalysis`: the counts and the change
against last year (:mod:`~trygghet.reports.places.counts`), the hotspots
(:mod:`~trygghet.reports.places.hotspots`), the walk measures' completion
(:mod:`~trygghet.reports.places.walks`) and the before/after comparison
(:mod:`~trygghet.reports.places.before_after`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from trygghet import paths
from trygghet.config import KommunConfig
from trygghet.present.swedish import fmt_date
from trygghet.reports.places.before_after import BeforeAfter, before_after
from trygghet.reports.places.counts import PeriodWindow, between, category_change, period_window
from trygghet.reports.places.geo import area_points
from trygghet.reports.places.hotspots import hotspot_analysis, hotspot_table, study_area_cells
from trygghet.reports.places.walks import as_of_date, completion_by, overdue_at
from trygghet.sources import processed
from trygghet.stats import hotspots as stats_hotspots


def load(kommun: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The kommun's processed ``resident_reports`` and ``safety_walks`` tables."""
    reports = processed.load_table(kommun, "resident_reports")
    walks = processed.load_table(kommun, "safety_walks")
    return reports, walks


def load_boundary(kommun: str, shared_data: str | Path | None = None):
    """The kommun's polygon (shapely, WGS 84) or None when no boundary file is available.

    Looks first at the processed ``kommun_boundaries.parquet`` (written by
    ``trygghet ingest`` from the mirror), then at the mirror's
    ``scb/kommuner_scb_wgs84.geojson``.
    """
    import geopandas as gpd

    processed_file = paths.processed_dir() / "kommun_boundaries.parquet"
    mirror = Path(shared_data) if shared_data else paths.shared_data_dir()
    geojson = mirror / "scb" / "kommuner_scb_wgs84.geojson"
    frame = None
    try:
        if processed_file.is_file():
            frame = gpd.read_parquet(processed_file)
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
        return between(self.reports, "created_at", self.window.start, self.window.end)

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
    in_period = between(reports, "created_at", window.start, window.end)
    cells, method = study_area_cells(in_period, boundary)
    gi = hotspot_analysis(in_period, cells)
    areas = area_points(config)
    hot = hotspot_table(gi, in_period, areas)
    hot_cells = hotspot_table(gi, in_period, areas, merge=False)
    cold = hotspot_table(gi, in_period, areas, kind=stats_hotspots.COLD)
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
