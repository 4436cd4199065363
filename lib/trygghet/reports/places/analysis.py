"""Loading the two tables and running every analysis of the places report once.

:func:`analyse` returns a :class:`PlacesAnalysis`: the counts and the change
against last year (:mod:`~trygghet.reports.places.counts`), every count the
page shows more than once (:mod:`~trygghet.reports.places.tally`), the hotspots
(:mod:`~trygghet.reports.places.hotspots`), the walk measures' completion
(:mod:`~trygghet.reports.places.walks`) and the before/after comparison
(:mod:`~trygghet.reports.places.before_after`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from trygghet import paths
from trygghet.config import DEFAULT_PARTIES, KommunConfig
from trygghet.present import style
from trygghet.present.gate import clean_text, responsible_label
from trygghet.present.swedish import fmt_date
from trygghet.reports.places.before_after import BeforeAfter, before_after
from trygghet.reports.places.counts import PeriodWindow, between, category_change, period_window
from trygghet.reports.places.geo import area_points
from trygghet.reports.places.hotspots import hotspot_analysis, hotspot_table, study_area_cells
from trygghet.reports.places.tally import OverdueCounts, ReportCounts, overdue_counts, report_counts
from trygghet.reports.places.walks import as_of_date, completion_by
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
    counts: ReportCounts
    overdue: OverdueCounts
    before_after: BeforeAfter
    min_count: int
    parties: tuple[str, ...] = DEFAULT_PARTIES
    reports_origin: str = "example"
    walks_origin: str = "example"

    @property
    def origin(self) -> str:
        """ "example" if either table is (partly) example data, else the reports' origin."""
        if style.is_example(self.reports_origin) or style.is_example(self.walks_origin):
            return "example"
        return self.reports_origin

    @property
    def overdue_total(self) -> int:
        """All walk measures open past their deadline on :attr:`as_of` (:class:`OverdueCounts`)."""
        return self.overdue.total

    @property
    def as_of_text(self) -> str:
        """The judgement day in Swedish, e.g. "31 december 2025"."""
        return fmt_date(self.as_of)

    @cached_property
    def reports_in_period(self) -> pd.DataFrame:
        """The reports of the period's window: the rows every count of the page is made from."""
        return between(self.reports, "created_at", self.window.start, self.window.end)

    @cached_property
    def positioned_in_period(self) -> pd.DataFrame:
        return self.reports_in_period.dropna(subset=["lat", "lon"])


#: Free-text columns of a walk protocol that may be shown (scrubbed) in tables and on maps.
WALK_TEXT_COLUMNS: tuple[str, ...] = ("place", "proposed_measure", "area")


def shown_walks(walks: pd.DataFrame, parties) -> pd.DataFrame:
    """The walk observations as the report may show them.

    ``responsible`` becomes the party as the kommun lists it or "annan
    ansvarig" (:func:`trygghet.present.gate.responsible_label`: a person's name
    cannot be told from an organisation's by a pattern), and the protocol's own
    words (place, proposed measure, area) are scrubbed of personal data. The
    gate scrubs again at display; doing it here keeps the grouping per
    responsible party honest (two people's names are one "annan ansvarig").
    """
    out = walks.copy()
    if "responsible" in out:
        labels = out["responsible"].map(lambda v: responsible_label(v, parties))
        out["responsible"] = labels.astype("string")
    for column in WALK_TEXT_COLUMNS:
        if column in out:
            cleaned = out[column].map(lambda v: clean_text(v) if pd.notna(v) else v)
            out[column] = cleaned.astype("string")
    return out


def analyse(
    reports: pd.DataFrame,
    walks: pd.DataFrame,
    config: KommunConfig,
    period: int,
    *,
    boundary=None,
    today: pd.Timestamp | None = None,
) -> PlacesAnalysis:
    """Run every analysis of the places report for one kommun and period.

    The walks are reduced to what may be shown first (:func:`shown_walks`,
    with the kommun's ``config.parties``).
    """
    reports_origin, walks_origin = processed.origin(reports), processed.origin(walks)
    parties = tuple(config.parties)
    walks = shown_walks(walks, parties)
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
    counts = report_counts(reports, change, window)
    overdue = overdue_counts(walks, period, as_of, int(completion["overdue"].sum()))
    # The display tables read their origin from here (processed.origin looks at attrs).
    for table in (change, hot, hot_cells, cold):
        table.attrs["origin"] = reports_origin
    for table in (completion, by_resp, by_walk):
        table.attrs["origin"] = walks_origin
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
        counts=counts,
        overdue=overdue,
        before_after=before_after(reports, walks, as_of),
        min_count=int(config.min_count),
        parties=parties,
        reports_origin=reports_origin,
        walks_origin=walks_origin,
    )
