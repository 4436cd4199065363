"""Per-area figures: each report counts its own source per configured area, once.

The follow-up's triangulation puts, per area, the police events, the police-
recorded crimes (Hobit), the EST reports, the residents' reports and the
survey's insecurity side by side. Each of these is counted by the report that
owns the source, in its own run, and published as records
(``omrade/<källa>/<område>``); the follow-up only reads them
(:func:`area_inputs`), so an area's count is the same wherever it is shown and
a failed report makes its column "kan inte bedömas", never a recomputed number.

Only counts and shares are published: never a free text, a case key, a place
text or a position.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from trygghet.errors import TrygghetError
from trygghet.stats import records
from trygghet.stats.records import FIGURE, IndicatorRecord

#: The per-area sources: record prefix -> (the report that publishes it, its name in Swedish).
SOURCES: dict[str, tuple[str, str]] = {
    "polisens-handelser": ("police_events", "polisens händelser"),
    "anmalda-brott": ("crime", "polisanmälda brott (Hobit)"),
    "est": ("est", "EST-rapporter"),
    "invanare": ("places", "invånarnas anmälningar"),
    "otrygghet": ("survey", "otrygghet i enkäten"),
}
KOMMUN_INSECURITY = "otrygghet/kommun"

_DEFINITIONS = {
    "polisens-handelser": (
        "Polisens publicerade händelser under året (utan sammanfattningar) vars rubrik nämner "
        "området; polisens koordinater är kommunens mittpunkt, så rubriken är enda platsen."
    ),
    "anmalda-brott": (
        "Polisanmälda brott ur polisens Hobit-utdrag med start under året, räknade till närmaste "
        "område inom 5 km."
    ),
    "est": "EST-rapporter från veckor som börjar under året, i det område rapportören valt.",
    "invanare": (
        "Invånarnas anmälningar om otrygga platser skapade under året, räknade till närmaste "
        "område inom 5 km (anmälningar utan position räknas inte)."
    ),
}


def record_id(source: str, area: str) -> str:
    return f"omrade/{source}/{area}"


def _count_records(
    context: Any, source: str, counts: dict[str, int], origin: str, sources: str
) -> list[IndicatorRecord]:
    """One count record per configured area; suppression is the shared rule's, at display."""
    report, label = SOURCES[source]
    min_count = context.config.min_count
    return [
        IndicatorRecord(
            id=record_id(source, area),
            kind=FIGURE,
            report=report,
            kommun=context.kommun,
            period=int(context.period),
            name=f"{label[0].upper()}{label[1:]} i {area}",
            definition=_DEFINITIONS[source],
            unit="antal",
            value=float(n),
            n=int(n),
            exact=True,  # a count of what the source holds: no sampling interval
            suppressed=0 < n < min_count,
            origin=origin,
            sources=sources,
        )
        for area, n in counts.items()
    ]


def _origin(frame: pd.DataFrame) -> str:
    from trygghet.sources import processed

    return processed.origin(frame)


def _area_names(context: Any) -> list[str]:
    return [a.name for a in context.config.areas]


def police_event_figures(context: Any) -> list[IndicatorRecord]:
    from trygghet.reports import police_events as pe
    from trygghet.sources import police_events

    try:
        events = police_events.load_for_report(context.shared_data, context.kommun)
    except (TrygghetError, OSError, KeyError):
        return []
    counts = pe.events_per_area(events, _area_names(context), context.period)
    origin = police_events.origin_of(events)
    return _count_records(context, "polisens-handelser", counts, origin, "police_events")


def hobit_figures(context: Any) -> list[IndicatorRecord]:
    """Police-recorded crimes per area; none when the kommun has no Hobit extract."""
    from trygghet.reports import crime

    frame = crime.load_hobit(context.kommun)
    if frame is None:
        return []
    # Only the start and the position are read: never the case key or the place text.
    counts = crime.hobit_crimes_per_area(
        frame[["start", "lat", "lon"]], context.config, context.period
    )
    counts = {a: int(counts.get(a, 0)) for a in _area_names(context)}
    return _count_records(context, "anmalda-brott", counts, _origin(frame), "hobit")


def _table(context: Any, name: str) -> pd.DataFrame | None:
    from trygghet.sources import processed

    try:
        return processed.load_table(context.kommun, name)
    except TrygghetError:
        return None


def est_figures(context: Any) -> list[IndicatorRecord]:
    from trygghet.reports import est

    reports = _table(context, "est_reports")
    if reports is None:
        return []
    counts = est.reports_per_area(reports, _area_names(context), context.period)
    return _count_records(context, "est", counts, _origin(reports), "est_reports")


def resident_figures(context: Any) -> list[IndicatorRecord]:
    from trygghet.reports import places

    residents = _table(context, "resident_reports")
    if residents is None:
        return []
    counts = places.reports_per_area(
        residents[["created_at", "lat", "lon"]], context.config, context.period
    )  # never the free text
    return _count_records(context, "invanare", counts, _origin(residents), "resident_reports")


def survey_figures(context: Any, question: str = "q14") -> list[IndicatorRecord]:
    """The survey's insecurity per area (small areas pooled) and for the whole kommun."""
    from trygghet.reports import survey as sa

    table = _table(context, "survey")
    if table is None:
        return []
    found = sa.insecurity_by_area(table, context.period, sa.settings_from(context.config), question)
    if found is None:
        return []
    origin = _origin(table)
    common = dict(kind=FIGURE, report="survey", kommun=context.kommun, unit="andel",
                  period=int(context.period), method="Viktat intervall (Kish effektiva urvalsstorlek, 95 %)",
                  origin=origin, sources="survey")  # fmt: skip
    definition = (
        f"Andelen som svarat att de känner sig otrygga (fråga {question}) i "
        f"trygghetsmätningen {found.round_}, viktad efter kommunens ålder och kön."
    )
    out = [
        IndicatorRecord(
            id=KOMMUN_INSECURITY,
            name="Otrygga i hela kommunen",
            definition=definition,
            value=found.kommun_share,
            extra=json.dumps(
                {"weight_share": found.weight_share, "round": found.round_, "question": question},
                ensure_ascii=False,
            ),
            **common,
        )
    ]
    for row in found.by_area.to_dict("records"):
        suppressed = bool(row["suppressed"])
        out.append(
            IndicatorRecord(
                id=record_id("otrygghet", str(row["group"])),
                name=f"Otrygga i {row['group']}",
                definition=definition,
                value=None if suppressed else float(row["share"]),
                low=None if suppressed else float(row["low"]),
                high=None if suppressed else float(row["high"]),
                n=int(row["n"]),
                suppressed=suppressed,
                extra=json.dumps({"members": str(row["members"] or "")}, ensure_ascii=False),
                **common,
            )
        )
    return out


#: Per report, the area figures it publishes.
AREA_FIGURES: dict[str, Callable[[Any], list[IndicatorRecord]]] = {
    "police_events": police_event_figures,
    "crime": hobit_figures,
    "est": est_figures,
    "places": resident_figures,
    "survey": survey_figures,
}


# --------------------------------------------------------------------------- reading


@dataclass
class AreaInputs:
    """What the triangulation reads from the run's records, source by source.

    A count source is ``None`` when its report published nothing for it (the
    source is missing) and is named in ``unavailable`` with the reason when
    its report failed or is out of date.
    """

    counts: dict[str, dict[str, int] | None]
    survey_by_area: pd.DataFrame | None
    kommun_share: float | None
    weight_share: dict[str, float] | None
    origins: list[str] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)


def area_inputs(found: records.RecordSet, areas: list[str], period: int) -> AreaInputs:
    """The triangulation's inputs from a run's records (nothing computed here)."""
    origins: list[str] = []
    unavailable: dict[str, str] = {}
    counts: dict[str, dict[str, int] | None] = {}
    for source, (report, _) in SOURCES.items():
        if report in found.failed:
            unavailable[report] = found.failed[report]
        if source == "otrygghet":
            continue
        got = {a: found.get(record_id(source, a)) for a in areas}
        got = {
            a: r for a, r in got.items() if r is not None and r.period == period and r.n is not None
        }
        if not got or report in found.failed:
            counts[source] = None
            continue
        counts[source] = {a: int(r.n) for a, r in got.items()}
        origins.append(next(iter(got.values())).origin)
    kommun = found.get(KOMMUN_INSECURITY)
    if kommun is None or kommun.period != period or "survey" in found.failed:
        return AreaInputs(counts, None, None, None, origins, unavailable)
    rows = [
        {
            "group": r.id.removeprefix(record_id("otrygghet", "")),
            "members": r.extras().get("members", ""),
            "share": r.value,
            "low": r.low,
            "high": r.high,
            "suppressed": r.suppressed,
        }
        for r in found.records.values()
        if r.id.startswith(record_id("otrygghet", "")) and r.period == period
    ]
    origins.append(kommun.origin)
    weights = {str(k): float(v) for k, v in kommun.extras().get("weight_share", {}).items()}
    return AreaInputs(counts, pd.DataFrame(rows), kommun.value, weights, origins, unavailable)
