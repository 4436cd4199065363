"""The national overview's numbers: each batch kommun's place in a funnel, per part.

County coordinators, police regions and national bodies want to see which
kommuner stand out, without ranking small kommuner on noise. The overview
therefore compares kommuner only on figures that are comparable between
kommuner, each placed in a **funnel** whose limits widen where the denominator
is small (Spiegelhalter 2005):

* **Police events (real data)**: of the events the police published about a
  kommun in the period (summaries excluded), the *share* in the promise groups
  narkotika, trafik and ordning (:data:`trygghet.sources.polisen.PROMISE_GROUPS`).
  A share is comparable across kommuner of any size; the *number* of events is
  not, and it is **never divided by population** here: police events are a
  small, selective sample of incidents chosen for publication, not crime
  statistics. The funnel's centre is the national pooled share (all events
  with a kommun, not only the batch's). Kommuner with fewer than
  :data:`MIN_EVENTS` events are shown as "för få".
* **Victim contact (example data)**: the on-time share of promise 4 (same
  definition, 7 days, for every kommun), in a funnel around the batch's
  pooled share.
* **Reported crime (example data)**: total reported crime per 100 000 from
  each kommun's own row of Brå's statistics, in an exact Poisson funnel around
  the batch's pooled rate (:func:`trygghet.stats.rates.funnel_limits`).

These two parts **read records; they never recompute**: each kommun's share
and rate are the records its own run published
(``outputs/<kommun>/<period>/indicators.parquet``, :mod:`trygghet.stats.records`),
so the overview shows exactly the value and interval of the kommun's own page.
Only the national figures are computed here: the pooled centre and each
kommun's funnel position, from the records' numerators and denominators. A
kommun whose run has no table, no such record or a record of another period is
listed as missing with the reason; a suppressed record is listed as hidden.

A part whose data is missing becomes ``None`` or an empty frame (the texts
then say why it is skipped), never an error.

Funnel positions use exact tails (:func:`trygghet.stats.proportions.funnel_position_proportion`,
:func:`trygghet.stats.rates.funnel_position`); no overdispersion between kommuner is
modelled, so with 290 kommuner some will be "outside" by chance alone (about
5 % outside the 95 % limits, 0,2 % outside the 99,8 % limits) and more when
kommuner genuinely differ in how the police publish.

The leaf reports are used only through their packages
(``from trygghet.reports import victim_contact`` for its constants), imported
inside the functions that need them, as before the package was split.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from trygghet import kommuner as kommun_list
from trygghet import paths
from trygghet.sources import police_events, processed
from trygghet.stats import rates, records
from trygghet.stats.proportions import funnel_position_proportion, wilson_ci

#: The funnel's two limits (also drawn by :mod:`trygghet.reports.national.figures`).
LEVELS: tuple[float, float] = (0.95, 0.998)

#: Fewer published events than this: the kommun's share is not placed in the
#: funnel or coloured on the map. With 10 events one event moves the share by
#: ten percentage points, and the exact 95 % interval of 5 of 10 spans 24–76 %:
#: nothing can be said. Ten is the same floor as the police-events report's
#: comparisons (:data:`trygghet.reports.police_events.MIN_EVENTS_FOR_COMPARISON`).
MIN_EVENTS = 10

#: Position classes beyond the funnel codes of :mod:`trygghet.stats.rates`.
TOO_FEW = "too_few"
NOT_IN_BATCH = "not_in_batch"

#: The funnel classes outside the limits, all and by side.
OUTSIDE = (rates.ABOVE_998, rates.ABOVE_95, rates.BELOW_95, rates.BELOW_998)
ABOVE = (rates.ABOVE_998, rates.ABOVE_95)
BELOW = (rates.BELOW_95, rates.BELOW_998)


# --------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------


def parse_kommuner(kommuner: str | Sequence[str]) -> list[str]:
    """The batch's kommun codes, sorted and unique, from "1863,1864" or a list.

    ``"all"`` (or ``"alla"``) gives all 290. An unknown code is an error
    naming it (a typo must not silently shrink the batch).
    """
    if isinstance(kommuner, str):
        text = kommuner.strip()
        if text.casefold() in {"all", "alla"}:
            return sorted(kommun_list.all_kommuner()["kommun_code"])
        parts = [p.strip() for p in text.replace(";", ",").split(",")]
    else:
        parts = [str(p).strip() for p in kommuner]
    codes = sorted({p for p in parts if p})
    unknown = [c for c in codes if not kommun_list.is_kommun_code(c)]
    if unknown:
        raise ValueError(f"Okända kommunkoder: {', '.join(unknown)}")
    if not codes:
        raise ValueError("Inga kommuner angivna (parametern kommuner är tom)")
    return codes


@dataclass(frozen=True)
class NationalContext:
    """The national notebook's parameters, resolved."""

    period: int
    codes: list[str]
    shared_data: Path
    #: The outputs root whose ``<kommun>/<period>/indicators.parquet`` the overview reads.
    outputs: Path = field(default_factory=lambda: paths.OUTPUTS_DIR)


# --------------------------------------------------------------------------
# (a) Police events: share in the promise groups
# --------------------------------------------------------------------------


def load_events() -> pd.DataFrame:
    """The national processed events table (all kommuner), as ``trygghet ingest`` wrote it."""
    path = police_events.processed_path()
    if not path.is_file():
        raise processed.MissingTableError(
            f"Polisens händelser för hela landet saknas ({path}). Kör 'trygghet ingest' först."
        )
    return pd.read_parquet(path)


def classify_share(successes: int, n: int, centre: float, min_n: int = MIN_EVENTS) -> str:
    """Funnel class of ``successes / n`` against ``centre``; :data:`TOO_FEW` under ``min_n``."""
    if n < min_n or n <= 0:
        return TOO_FEW
    return funnel_position_proportion(int(successes), int(n), float(centre), LEVELS)


def police_shares(
    events: pd.DataFrame, period: int, batch: Sequence[str], *, min_events: int = MIN_EVENTS
) -> pd.DataFrame:
    """Per kommun (all 290 rows): events in ``period``, promise-group events, share, class.

    Counted: events with a kommun (kommun level or resolved from län level) whose
    incident time falls in ``period``, summaries excluded
    (:func:`trygghet.sources.police_events.countable`). The centre is the pooled share
    of *all* kommuner's events (``attrs["centre"]``), so that the batch is
    judged against the country, not against itself. ``position`` is the
    funnel class for batch kommuner with at least ``min_events`` events,
    :data:`TOO_FEW` below that and :data:`NOT_IN_BATCH` outside the batch.

    No population enters: event counts are not rates (see the module docstring).
    """
    counted = police_events.countable(events, period)
    counted = counted[counted["kommun_code"].notna()]
    in_group = counted["promise_group"].notna()
    grouped = pd.DataFrame(
        {"kommun_code": counted["kommun_code"].astype(str), "promise": in_group.to_numpy()}
    ).groupby("kommun_code")["promise"]
    table = kommun_list.all_kommuner()[["kommun_code", "kommun_name", "lan_code"]].copy()
    table["n_events"] = table["kommun_code"].map(grouped.size()).fillna(0).astype("int64")
    table["n_promise"] = table["kommun_code"].map(grouped.sum()).fillna(0).astype("int64")
    total = int(table["n_events"].sum())
    centre = float(table["n_promise"].sum() / total) if total else math.nan
    table["share"] = np.where(
        table["n_events"] > 0, table["n_promise"] / table["n_events"].where(lambda s: s > 0), np.nan
    )
    bounds = [
        wilson_ci(k, n) if n > 0 else (math.nan, math.nan)
        for k, n in zip(table["n_promise"], table["n_events"], strict=True)
    ]
    table["low"] = [b[0] for b in bounds]
    table["high"] = [b[1] for b in bounds]
    batch_set = set(batch)
    table["in_batch"] = table["kommun_code"].isin(batch_set)
    table["position"] = [
        NOT_IN_BATCH
        if not inside
        else TOO_FEW
        if math.isnan(centre)
        else classify_share(k, n, centre, min_events)
        for inside, k, n in zip(
            table["in_batch"], table["n_promise"], table["n_events"], strict=True
        )
    ]
    table = table.sort_values("kommun_code").reset_index(drop=True)
    table.attrs.update(
        centre=centre, n_total=total, period=int(period), min_events=min_events, kind="police"
    )
    return table


def police_origin(events: pd.DataFrame) -> str:
    """The events' origin for the banner ("real" from the mirror)."""
    return processed.origin(events)


# --------------------------------------------------------------------------
# (b) Example-data parts: victim contact and reported crime, read from records
# --------------------------------------------------------------------------

#: The records the two parts read from each kommun's run (published by
#: :mod:`trygghet.reports.indicators.publication`): the crime report's total
#: rate and the victim-contact report's share with the standard target.
CRIME_RECORD = "brott/totalt"
VICTIM_RECORD = "brottsofferkontakt/standardmal"
#: The records' units (:func:`trygghet.reports.indicators.format_value` formats by them).
CRIME_UNIT = "per 100 000"
VICTIM_UNIT = "andel"


def part_origin(frame: pd.DataFrame) -> str:
    """The origin of a part's rows: "example" if any kommun's data are examples, else the one.

    An empty part (nothing to show) counts as "example", the default of these sources.
    """
    origins = set(frame["origin"].dropna().astype(str)) if "origin" in frame else set()
    if not origins or origins & {"example", "blandat"}:
        return "example"
    return origins.pop() if len(origins) == 1 else "blandat"


def population_origin() -> str:
    """The origin of SCB's population table (the crime part's denominator)."""
    from trygghet.reports import crime as crime_stats

    return crime_stats.population_origin()


def records_path(outputs: Path | str | None, code: str, period: int) -> Path:
    """A kommun's published records table, ``<outputs>/<kommun>/<period>/indicators.parquet``."""
    root = Path(outputs) if outputs else paths.OUTPUTS_DIR
    return root / code / str(int(period)) / records.TABLE_NAME


def load_records(
    batch: Sequence[str], period: int, outputs: Path | str | None = None
) -> dict[str, records.RecordSet | None]:
    """Each batch kommun's published records of ``period``; None where its run has no table."""
    found: dict[str, records.RecordSet | None] = {}
    for code in batch:
        path = records_path(outputs, code, period)
        found[code] = records.read_table(path) if path.is_file() else None
    return found


def _current(
    found: records.RecordSet | None, record_id: str, report: str, period: int, stale: str
) -> tuple[records.IndicatorRecord | None, str]:
    """The record if it is there and of ``period``, else None and why (in Swedish).

    ``stale`` is the reason for a record of another period, with ``{year}``
    for the record's period.
    """
    from trygghet.reports import indicators

    if found is None:
        return None, f"kommunens rapporter har inte körts för {int(period)}"
    record = found.get(record_id)
    if record is None:
        return None, (
            f"rapporten {indicators.REPORTS[report]} misslyckades eller saknade underlag i "
            f"körningen för {int(period)}"
        )
    if record.period != int(period):
        return None, stale.format(year=record.period, period=int(period))
    return record, ""


def _records_of(
    batch: Sequence[str],
    period: int,
    outputs: Path | str | None,
    found: dict[str, records.RecordSet | None] | None,
) -> dict[str, records.RecordSet | None]:
    if found is None:
        return load_records(batch, period, outputs)
    return {code: found.get(code) for code in batch}


def victim_shares(
    batch: Sequence[str],
    period: int,
    outputs: Path | str | None = None,
    *,
    found: dict[str, records.RecordSet | None] | None = None,
) -> pd.DataFrame:
    """Each batch kommun's on-time share of victim contact, from its record, with class.

    The share, its Wilson interval, n (decided cases) and the on-time count are
    those of the record :data:`VICTIM_RECORD` the kommun's own run of the
    victim-contact report published: the *same* target (contact within 7 days)
    for every kommun, so that the shares are comparable, and the same figure
    the kommun's page shows. Nothing is recomputed from processed tables.

    National figures computed here from the records: the centre
    (``attrs["centre"]``, the pooled share of the kommuner shown) and each
    kommun's funnel class against it. ``attrs["missing"]`` lists batch
    kommuner without a current record (no table for the period, no record, or
    a record of another period), ``attrs["hidden"]`` those whose record is
    suppressed (fewer than ``min_n`` decided cases); ``attrs["reasons"]`` says
    why for each of them, in Swedish.
    """
    from trygghet.reports import victim_contact as vc

    min_n = vc.MIN_CASES_FOR_VERDICT
    rows, missing, hidden, reasons = [], [], [], {}
    stale = "siffran i kommunens rapport gäller {year}, inte {period}"
    for code, found_code in _records_of(batch, period, outputs, found).items():
        record, why = _current(found_code, VICTIM_RECORD, "victim_contact", period, stale)
        if record is None:
            missing.append(code)
            reasons[code] = why
            continue
        if record.suppressed or record.value is None or not record.n:
            hidden.append(code)
            reasons[code] = f"färre än {min_n} avgjorda ärenden"
            continue
        rows.append(
            {
                "kommun_code": code,
                "kommun_name": kommun_list.kommun_name(code),
                "n": int(record.n),
                "successes": int(round(record.numerator or 0.0)),
                "share": float(record.value),
                "low": float(record.low) if record.low is not None else math.nan,
                "high": float(record.high) if record.high is not None else math.nan,
                "origin": record.origin,
            }
        )
    columns = ["kommun_code", "kommun_name", "n", "successes", "share", "low", "high", "origin"]
    frame = pd.DataFrame(rows, columns=columns)
    total = int(frame["n"].sum())
    centre = float(frame["successes"].sum() / total) if total else math.nan
    frame["position"] = [
        classify_share(k, n, centre, min_n) if not math.isnan(centre) else TOO_FEW
        for k, n in zip(frame["successes"], frame["n"], strict=True)
    ]
    frame.attrs.update(
        centre=centre,
        missing=missing,
        hidden=hidden,
        reasons=reasons,
        period=int(period),
        min_n=min_n,
        target_days=vc.Target().days,
        kind="victim",
        unit=VICTIM_UNIT,
    )
    return frame


def crime_rates(
    batch: Sequence[str],
    period: int,
    outputs: Path | str | None = None,
    *,
    found: dict[str, records.RecordSet | None] | None = None,
) -> pd.DataFrame:
    """Each batch kommun's reported crime (all offences) per 100 000, from its record, with class.

    The rate, its exact Poisson interval, the count and the population are
    those of the record :data:`CRIME_RECORD` the kommun's own run of the crime
    report published (its own row of Brå's series ``totalt``): the figure the
    kommun's page shows, never recomputed here. A record of another year than
    ``period`` (the crime report uses Brå's latest year up to the period) is
    not current, so the kommun is listed as missing with the year.

    National figures computed here from the records: the centre (the pooled
    rate of the kommuner shown, their counts over their populations) and each
    kommun's :func:`trygghet.stats.rates.funnel_position` against it.
    ``attrs["hidden"]`` lists kommuner whose figure is suppressed (missing,
    secret or "fåtal"), ``attrs["missing"]`` those without a current record,
    ``attrs["reasons"]`` why for each, in Swedish.
    """
    columns = ["kommun_code", "kommun_name", "count", "population", "rate", "low", "high"]
    columns.append("origin")
    rows, missing, hidden, reasons = [], [], [], {}
    stale = "kommunens rapport har Brås siffror för {year}, inte för {period}"
    for code, found_code in _records_of(batch, period, outputs, found).items():
        record, why = _current(found_code, CRIME_RECORD, "crime", period, stale)
        if record is None:
            missing.append(code)
            reasons[code] = why
            continue
        if record.suppressed or record.value is None or not record.denominator:
            hidden.append(code)
            reasons[code] = "fåtal, sekretessbelagd eller saknad siffra"
            continue
        rows.append(
            {
                "kommun_code": code,
                "kommun_name": kommun_list.kommun_name(code),
                "count": int(round(record.numerator or 0.0)),
                "population": float(record.denominator),
                "rate": float(record.value),
                "low": float(record.low) if record.low is not None else math.nan,
                "high": float(record.high) if record.high is not None else math.nan,
                "origin": record.origin,
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    population = float(frame["population"].sum())
    centre = (
        rates.rate_per_100k(int(frame["count"].sum()), population, min_count=0).rate
        if population > 0
        else math.nan
    )
    frame["position"] = [
        rates.funnel_position(int(k), float(p), centre, LEVELS)
        for k, p in zip(frame["count"], frame["population"], strict=True)
    ]
    frame.attrs.update(
        centre=centre,
        missing=missing,
        hidden=hidden,
        reasons=reasons,
        period=int(period),
        kind="crime",
        unit=CRIME_UNIT,
    )
    return frame


# --------------------------------------------------------------------------
# The whole overview
# --------------------------------------------------------------------------


@dataclass
class Overview:
    """Everything the national notebook shows, computed once."""

    period: int
    codes: list[str]
    police: pd.DataFrame | None
    police_origin: str
    coverage_end: str | None
    victim: pd.DataFrame
    crime: pd.DataFrame
    boundaries: object | None = None  # GeoDataFrame, or None when the file is missing
    notes: list[str] = field(default_factory=list)


def load_boundaries() -> object | None:
    """The 290 kommun boundaries (GeoDataFrame, WGS 84) or None when not ingested."""
    import geopandas as gpd

    path = paths.processed_dir() / "kommun_boundaries.parquet"
    if not path.is_file():
        return None
    frame = gpd.read_parquet(path)
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    return frame


def analyse(context: NationalContext) -> Overview:
    """Compute the three parts for the batch; a part without data becomes empty, not an error."""
    try:
        events = load_events()
    except processed.MissingTableError:
        events = None
    police = police_shares(events, context.period, context.codes) if events is not None else None
    found = load_records(context.codes, context.period, context.outputs)
    return Overview(
        period=context.period,
        codes=list(context.codes),
        police=police,
        police_origin=police_origin(events) if events is not None else "real",
        coverage_end=events.attrs.get("coverage_end") if events is not None else None,
        victim=victim_shares(context.codes, context.period, found=found),
        crime=crime_rates(context.codes, context.period, found=found),
        boundaries=load_boundaries(),
    )


def outside_counts(frame: pd.DataFrame) -> tuple[int, int, int]:
    """(placed in the funnel, above the 95 % limit, below it)."""
    placed = frame["position"].isin([*OUTSIDE, rates.WITHIN])
    above = frame["position"].isin(ABOVE)
    below = frame["position"].isin(BELOW)
    return int(placed.sum()), int(above.sum()), int(below.sum())


def police_placed(overview: Overview) -> bool:
    """Whether any batch kommun could be placed in the police funnel (else it is skipped)."""
    shares = overview.police
    if shares is None:
        return False
    batch = shares[shares["in_batch"]]
    return bool(batch["position"].isin([rates.WITHIN, *OUTSIDE]).any())
