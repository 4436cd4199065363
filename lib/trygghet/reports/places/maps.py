"""Maps of the places report: drawn by :mod:`trygghet.present.maps`, chosen here.

This module only chooses what goes on the maps: the boundary and tätort
layers from the mirror, the period's reports (position, category and status,
never the free text) and the walk observations in scope (category, measure,
responsible party, status and deadline; never the problem description or the
place text), with the kommun's list of responsible parties.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from trygghet import paths
from trygghet.present import style
from trygghet.reports.places.analysis import PlacesAnalysis
from trygghet.reports.places.hotspots import H3_RESOLUTION
from trygghet.reports.places.text import REPORTS_SOURCE, map_counts_text
from trygghet.reports.places.walks import observations_in_scope, overdue_at


def map_layers(kommun: str, shared_data: str | Path | None = None):
    """(boundary GeoDataFrame or None, tätort points or None) from the mirror, for the maps."""
    from trygghet.present import maps

    mirror = Path(shared_data) if shared_data else paths.shared_data_dir()
    return maps.kommun_layers(kommun, mirror)


def reports_map(a: PlacesAnalysis, kommun: str, shared_data: str | Path | None = None):
    """The hexagon map of the period's reports with the Gi* hot/cold layer.

    Only ``lat``, ``lon``, ``category`` and ``status`` of the period's reports
    (:attr:`PlacesAnalysis.reports_in_period`, those without a position too,
    so that the legend counts them) are handed to the map module (never the
    free text); it aggregates to H3 cells of :data:`H3_RESOLUTION` and
    suppresses cells with fewer than the kommun's ``min_count`` reports. The
    layer control names the period's count per layer from
    :meth:`~trygghet.reports.places.tally.ReportCounts.map_totals` beside what
    the layer draws, in the text's ranking of the categories. The Gi* layer
    shows the confirmed classes of :func:`hotspot_analysis`.
    """
    from trygghet.present import maps

    boundary, tatorter = map_layers(kommun, shared_data)
    rows = a.reports_in_period[["lat", "lon", "category", "status"]]
    with maps.deterministic_ids("platser_rapporter"):
        return maps.resident_reports_map(
            rows,
            boundary,
            tatorter,
            resolution=H3_RESOLUTION,
            min_count=a.min_count,
            hotspots=a.gi[["h3", "class", "count"]],
            title=f"Anmälningar om otrygga platser {a.period}",
            noun="anmälningar",
            totals=a.counts.map_totals(),
        )


def reports_map_caption(a: PlacesAnalysis):
    """The caption under :func:`reports_map`: what it shows and how its numbers meet the text's."""
    return style.caption(
        f"Invånarnas anmälningar om otrygga platser {a.period} per hexagon, med heta och kalla "
        f"punkter (Gi*, FDR 5 %). {map_counts_text(a.counts)}",
        REPORTS_SOURCE + "; gränser och tätorter SCB",
        a.reports_origin,
    )


#: The walk columns the map reads; the free text (description, place) stays behind.
WALK_MAP_COLUMNS = [
    "lat",
    "lon",
    "category",
    "proposed_measure",
    "responsible",
    "status",
    "deadline",
    "walk_date",
    "completed_date",
]


def walks_map(
    a: PlacesAnalysis,
    kommun: str,
    shared_data: str | Path | None = None,
    *,
    parties: Sequence[str] | None = None,
):
    """The map of the walk observations in scope (:func:`observations_in_scope`), overdue ringed.

    ``parties`` is the kommun's list of responsible organisations
    (``config.parties``); without it the kommun's configuration is read. A
    responsible party not in the list is shown as "annan ansvarig".
    """
    from trygghet.present import maps

    if parties is None:
        from trygghet.config import load_or_default

        parties = load_or_default(kommun).parties
    boundary, tatorter = map_layers(kommun, shared_data)
    keep = observations_in_scope(a.walks, a.period, a.as_of)
    obs = a.walks.loc[keep, [c for c in WALK_MAP_COLUMNS if c in a.walks.columns]]
    obs = obs.assign(overdue=overdue_at(a.walks, a.as_of)[keep])
    with maps.deterministic_ids("platser_vandringar"):
        return maps.walk_observations_map(obs, boundary, tatorter, as_of=a.as_of, parties=parties)
