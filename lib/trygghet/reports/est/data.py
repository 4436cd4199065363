"""What the lägesbild reads: the EST tables, residents' reports and police events.

:func:`load` reads the kommun's tables and :func:`prepare` reduces them to
:class:`EstData`: the EST reports and measures, and each source's weekly
counts over its complete weeks (:class:`SourceSeries`).

Privacy: only counts by week, category and place name (public places such as
"Torget") are shown. Free text (report and measure descriptions), coordinates
and residents' addresses are dropped here and never leave the package;
residents' reports and police events are only counted per week. Place names
are scrubbed of personal data (:func:`trygghet.present.gate.clean_text`) and a
measure's responsible party is kept only if the kommun lists it
(:func:`trygghet.present.gate.responsible_label`, else "annan ansvarig"); the
page gate scrubs again at display.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from trygghet.config import DEFAULT_PARTIES
from trygghet.present.gate import clean_text, responsible_label
from trygghet.reports.est.weeks import WEEK, last_complete_week, monday_of, weekly_counts

#: The three sources, key -> label used in tables and text. They are counted
#: apart and never added up: they measure different things.
SOURCE_LABELS: dict[str, str] = {
    "est": "EST-partnernas rapporter",
    "police": "Polisens händelser",
    "residents": "Invånarnas rapporter",
}


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
    #: The kommun's small-number rule: counts below it are "fåtal" on the page.
    min_count: int = 5
    #: The organisations the kommun lists as possible responsible parties.
    parties: tuple[str, ...] = DEFAULT_PARTIES
    #: Tables derived from these data once and read again (``repeats.recurring_places_in_year``:
    #: the page, two indicators and the follow-up's view read the same year).
    derived: dict[object, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    @property
    def display_origin(self) -> str:
        """ "example" if any source shown beside the EST data is (partly) example data."""
        origins = [self.origin, *(s.origin for s in self.sources.values())]
        return "example" if any(o in {"example", "blandat"} for o in origins) else self.origin


def place_key(place: pd.Series, area: pd.Series) -> pd.Series:
    """``"Torget, Grythyttan"``: place names repeat between areas, so both are the key.

    Scrubbed of personal data (a phone number typed into the place field).
    """
    return (place.astype(str) + ", " + area.astype(str)).map(clean_text)


def full_weeks(start: pd.Timestamp, end: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Mondays of the first full week from ``start`` and the last full week before ``end``'s."""
    day = pd.Timestamp(start).normalize()
    first = monday_of(pd.Series([day])).iloc[0]
    first = first if first == day else first + WEEK
    last = monday_of(pd.Series([end])).iloc[0] - WEEK
    return first, last


def prepare(
    reports: pd.DataFrame,
    measures: pd.DataFrame,
    police: pd.DataFrame | None = None,
    residents: pd.DataFrame | None = None,
    *,
    police_coverage: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    police_origin: str = "real",
    min_count: int = 5,
    parties: tuple[str, ...] | list[str] = DEFAULT_PARTIES,
) -> EstData:
    """Reduce the raw tables to the lägesbild's data (see :class:`EstData`).

    The EST data covers its first week to :func:`last_complete_week` of the
    latest entry. Residents' reports cover the first full week after their
    first report to the last full week before their latest (the first and
    last report are the best available guess of when collection started and
    when the export was made). Police events cover the full weeks of
    ``police_coverage`` (the archive's complete period). ``min_count`` and
    ``parties`` are the kommun's (``KommunConfig``): the small-number rule and
    the responsible parties that may be named.
    """
    from trygghet.sources import processed

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
        m["responsible"] = m["responsible"].map(lambda v: responsible_label(v, parties))
        m["decided_week_start"] = pd.to_datetime(m["decided_week_start"]).astype("datetime64[us]")
        m["done_date"] = pd.to_datetime(m["done_date"]).astype("datetime64[us]")
    data = EstData(
        r, m, first, last, processed.origin(reports),
        min_count=int(min_count), parties=tuple(parties),
    )  # fmt: skip
    data.sources["est"] = SourceSeries(
        "est", weekly_counts(r["week_start"], first, last), data.origin
    )
    if residents is not None and len(residents):
        created = pd.to_datetime(residents["created_at"])
        r_first, r_last = full_weeks(created.min(), created.max())
        if r_last >= r_first:
            data.sources["residents"] = SourceSeries(
                "residents",
                weekly_counts(monday_of(created), r_first, r_last),
                processed.origin(residents),
            )
    if police is not None and police_coverage is not None:
        p_first, p_last = full_weeks(*(pd.Timestamp(t) for t in police_coverage))
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
    from trygghet.sources import police_events, processed

    reports = processed.load_table(ctx.kommun, "est_reports")  # type: ignore[attr-defined]
    measures = processed.load_table(ctx.kommun, "est_measures")  # type: ignore[attr-defined]
    try:
        residents = processed.load_table(ctx.kommun, "resident_reports")  # type: ignore[attr-defined]
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
    config = ctx.config  # type: ignore[attr-defined]
    return prepare(
        reports,
        measures,
        police_times,
        residents,
        police_coverage=coverage,
        police_origin=p_origin,
        min_count=config.min_count,
        parties=tuple(config.parties),
    )


def reports_per_area(reports: pd.DataFrame, areas: list[str], year: int) -> dict[str, int]:
    """EST reports of the weeks starting in ``year`` per configured area (the area the
    reporter chose from the kommun's list). Read by the follow-up's triangulation."""
    r = reports[pd.to_datetime(reports["week_start"]).dt.year == int(year)]
    named = r["area"].dropna().astype(str).value_counts()
    return {name: int(named.get(name, 0)) for name in areas}
