"""The national overview: every kommun of a batch compared on the comparable indicators.

County coordinators, police regions and national bodies want to see which
kommuner stand out, without ranking small kommuner on noise. The overview
(``notebooks/riket/01_riksoversikt.ipynb``) compares kommuner only on figures
that are comparable between kommuner, each in a **funnel plot** whose limits
widen where the denominator is small (Spiegelhalter 2005):

* **Police events (real data)**: of the events the police published about a
  kommun in the period (summaries excluded), the *share* in the promise groups
  narkotika, trafik and ordning (:data:`trygghet.sources.polisen.PROMISE_GROUPS`).
  A share is comparable across kommuner of any size; the *number* of events is
  not, and it is **never divided by population** here: police events are a
  small, selective sample of incidents chosen for publication, not crime
  statistics. The funnel's centre is the national pooled share (all events
  with a kommun, not only the batch's). Kommuner with fewer than
  :data:`MIN_EVENTS` events are shown as "för få".
* **Victim contact (example data)**: the on-time share of promise 4, computed
  per kommun with :mod:`trygghet.reports.victim_contact` (same definition, 7 days, for
  every kommun), in a funnel around the batch's pooled share.
* **Reported crime (example data)**: total reported crime per 100 000 from
  each kommun's own row of its ``bra_crime`` table
  (:mod:`trygghet.reports.crime`), in an exact Poisson funnel around the batch's
  pooled rate (:func:`trygghet.stats.rates.funnel_limits`).

A part whose data is missing is skipped with a sentence, never silently. The
**map** of Sweden colours each kommun by its funnel position on the police
share (categorical, Okabe–Ito), built offline and reproducibly with
:mod:`trygghet.present.maps`.

Funnel positions use exact tails (:func:`trygghet.stats.proportions.funnel_position_proportion`,
:func:`trygghet.stats.rates.funnel_position`); no overdispersion between kommuner is
modelled, so with 290 kommuner some will be "outside" by chance alone (about
5 % outside the 95 % limits, 0,2 % outside the 99,8 % limits) and more when
kommuner genuinely differ in how the police publish. The texts say so.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from trygghet import kommuner as kommun_list
from trygghet import paths
from trygghet.present import style
from trygghet.present.swedish import NBSP, fmt_int, fmt_number, fmt_percent, join_list, plural
from trygghet.sources import processed as tables
from trygghet.stats import rates
from trygghet.stats.proportions import (
    funnel_limits_proportion,
    funnel_position_proportion,
    wilson_ci,
)

__all__ = [
    "CLASS_COLOURS",
    "CLASS_LABELS",
    "MIN_EVENTS",
    "NOT_IN_BATCH",
    "SIMPLIFY_DEGREES",
    "TOO_FEW",
    "MapView",
    "NationalContext",
    "Overview",
    "analyse",
    "cannot_say_text",
    "crime_rates",
    "crime_sentence",
    "headline",
    "parse_kommuner",
    "police_map",
    "police_sentence",
    "police_shares",
    "start",
    "victim_shares",
    "victim_sentence",
]

LEVELS: tuple[float, float] = (0.95, 0.998)

#: Fewer published events than this: the kommun's share is not placed in the
#: funnel or coloured on the map. With 10 events one event moves the share by
#: ten percentage points, and the exact 95 % interval of 5 of 10 spans 24–76 %:
#: nothing can be said. Ten is the same floor as the police-events report's
#: comparisons (:data:`trygghet.reports.police_events.MIN_EVENTS_FOR_COMPARISON`).
MIN_EVENTS = 10

#: Geometry simplification for the national map, in degrees (WGS 84):
#: 0.01° is about 1,1 km north–south and 0,5 km east–west at 62° N, invisible
#: at the zoom of a map of Sweden, and it shrinks the 290 boundaries from
#: megabytes to a few hundred kilobytes. Shapely's Douglas–Peucker with
#: ``preserve_topology=True``; neighbouring borders are simplified separately
#: and may show hairline gaps when zoomed far in.
SIMPLIFY_DEGREES = 0.01

#: Position classes beyond the funnel codes of :mod:`trygghet.stats.rates`.
TOO_FEW = "too_few"
NOT_IN_BATCH = "not_in_batch"

#: Class -> Swedish label (legend, tables, tooltips).
CLASS_LABELS: dict[str, str] = {
    rates.ABOVE_998: "över 99,8 %-gränsen",
    rates.ABOVE_95: "över 95 %-gränsen",
    rates.WITHIN: "inom gränserna",
    rates.BELOW_95: "under 95 %-gränsen",
    rates.BELOW_998: "under 99,8 %-gränsen",
    TOO_FEW: "för få / ingår inte",
    NOT_IN_BATCH: "för få / ingår inte",
}

#: Class -> colour: Okabe–Ito vermillion/orange above, sky blue/blue below, a
#: near-white for "within" and a mid grey for "för få / ingår inte". The two
#: sides differ in hue (orange vs blue stays apart in every common colour
#: vision deficiency) and the two levels in lightness, so the classes also
#: read in greyscale; grey and near-white differ clearly in lightness.
CLASS_COLOURS: dict[str, str] = {
    rates.ABOVE_998: "#D55E00",
    rates.ABOVE_95: "#E69F00",
    rates.WITHIN: "#F4F4F4",
    rates.BELOW_95: "#56B4E9",
    rates.BELOW_998: "#0072B2",
    TOO_FEW: "#8C8C8C",
    NOT_IN_BATCH: "#8C8C8C",
}
_OUTSIDE = (rates.ABOVE_998, rates.ABOVE_95, rates.BELOW_95, rates.BELOW_998)
_ABOVE = (rates.ABOVE_998, rates.ABOVE_95)
_BELOW = (rates.BELOW_95, rates.BELOW_998)

POLICE_SOURCE = "Polismyndigheten, polisens händelser (polisen.se), egen bearbetning"
VICTIM_SOURCE = "Polismyndigheten, tidsstämplar för kontakt med brottsutsatta (EXEMPELDATA)"
CRIME_SOURCE = "Brå, anmälda brott (EXEMPELDATA); SCB, folkmängd 2024"
MAP_SOURCE = "Polismyndigheten (händelser), SCB (kommungränser, förenklade)"

PROMISE_GROUP_TEXT = "narkotikabrott, trafik och ordningsstörningar"

POLICE_NOT_RATE = (
    "Antalet händelser räknas aldrig om per invånare: polisen väljer själv vad som "
    "publiceras, så händelserna är inte brottsstatistik och säger inget om brottsnivån."
)


# --------------------------------------------------------------------------
# Parameters and header
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


def batch_text(codes: Sequence[str]) -> str:
    """``"2 kommuner: Hällefors och Ljusnarsberg"``; only the count when more than ten."""
    head = plural(len(codes), "kommun", "kommuner")
    if len(codes) == 290:
        return f"alla {head}"
    if len(codes) <= 10:
        return f"{head}: {join_list(kommun_list.kommun_name(c) for c in codes)}"
    return head


def header_html(context: NationalContext) -> str:
    return (
        '<div class="trygghet-header">'
        f"<p><strong>Riket</strong> · {html.escape(batch_text(context.codes))} i körningen"
        f" · period {context.period}</p></div>"
    )


def start(
    period: int | str, kommuner: str | Sequence[str], shared_data: str | Path = ""
) -> NationalContext:
    """Resolve the parameters, style the charts and show the header (no kommun config needed)."""
    from IPython.display import HTML, display

    codes = parse_kommuner(kommuner)
    mirror = Path(shared_data) if shared_data else paths.shared_data_dir()
    context = NationalContext(period=int(period), codes=codes, shared_data=mirror)
    style.apply_style()
    display(HTML(header_html(context)))
    return context


# --------------------------------------------------------------------------
# (a) Police events: share in the promise groups
# --------------------------------------------------------------------------


def load_events() -> pd.DataFrame:
    """The national processed events table (all kommuner), as ``trygghet ingest`` wrote it."""
    from trygghet.sources import police_events

    path = police_events.processed_path()
    if not path.is_file():
        raise tables.MissingTableError(
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
    from trygghet.sources.police_events import countable

    counted = countable(events, period)
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
    return tables.origin(events)


# --------------------------------------------------------------------------
# (b) Example-data parts: victim contact and reported crime
# --------------------------------------------------------------------------


def _has_table(code: str, table: str) -> bool:
    return tables.table_path(code, table).is_file()


def victim_shares(batch: Sequence[str], period: int) -> pd.DataFrame:
    """On-time share of victim contact per batch kommun that has the table, with class.

    Each kommun's share and n come from :func:`trygghet.reports.victim_contact.on_time_share`
    on the cases assigned in ``period``, with the *same* target (the default
    :class:`trygghet.reports.victim_contact.Target`: contact within 7 days) for every
    kommun so that the shares are comparable; a kommun's own configured target
    is not used here. n is the number of decided cases (open cases are out).
    Kommuner with fewer than :data:`trygghet.reports.victim_contact.MIN_CASES_FOR_VERDICT`
    decided cases get :data:`TOO_FEW`. The centre (``attrs["centre"]``) is the
    pooled share of the kommuner shown. ``attrs["missing"]`` lists batch
    kommuner without the table.
    """
    from trygghet.reports import victim_contact as vc

    target = vc.Target()
    rows, missing = [], []
    for code in batch:
        if not _has_table(code, vc.TABLE):
            missing.append(code)
            continue
        cases = vc.cases_in_period(vc.load(code), period)
        result = vc.on_time_share(cases, target)
        rows.append(
            {
                "kommun_code": code,
                "kommun_name": kommun_list.kommun_name(code),
                "n": result.decided,
                "successes": result.on_time,
                "share": result.share,
                "low": result.low,
                "high": result.high,
                "origin": tables.origin(cases) if len(cases) else "example",
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "kommun_code",
            "kommun_name",
            "n",
            "successes",
            "share",
            "low",
            "high",
            "origin",
        ],
    )
    enough = frame["n"] >= vc.MIN_CASES_FOR_VERDICT
    centre = (
        float(frame.loc[enough, "successes"].sum() / frame.loc[enough, "n"].sum())
        if enough.any()
        else math.nan
    )
    frame["position"] = [
        classify_share(k, n, centre, vc.MIN_CASES_FOR_VERDICT)
        if not math.isnan(centre)
        else TOO_FEW
        for k, n in zip(frame["successes"], frame["n"], strict=True)
    ]
    frame.attrs.update(
        centre=centre,
        missing=missing,
        period=int(period),
        min_n=vc.MIN_CASES_FOR_VERDICT,
        target_days=target.days,
        kind="victim",
    )
    return frame


def _population() -> pd.DataFrame | None:
    path = paths.processed_dir() / "population.parquet"
    return pd.read_parquet(path) if path.is_file() else None


def crime_rates(batch: Sequence[str], period: int, population: pd.DataFrame | None) -> pd.DataFrame:
    """Reported crime (all offences) per 100 000 for each batch kommun's own row, with class.

    Per kommun, its own ``bra_crime`` table goes through
    :func:`trygghet.reports.crime.choose_labels` and
    :func:`trygghet.reports.crime.build_rates` (exact Poisson intervals,
    "fåtal" flag, missing and secret cells kept missing); only the kommun's
    own row of series ``totalt`` in the year ``period`` is used. The centre
    is the batch's pooled rate (:func:`trygghet.reports.crime.pooled_rate` over
    the kommuner shown), and ``position`` is
    :func:`trygghet.stats.rates.funnel_position` against it. Kommuner whose figure
    is missing, secret or "fåtal" are listed in ``attrs["hidden"]``; those
    without the table in ``attrs["missing"]``.
    """
    from trygghet.reports import crime as crime_stats

    columns = [
        "kommun_code",
        "kommun_name",
        "count",
        "population",
        "rate",
        "low",
        "high",
        "origin",
    ]
    rows, missing, hidden, own_rows = [], [], [], []
    for code in batch:
        if population is None or not _has_table(code, "bra_crime"):
            missing.append(code)
            continue
        bra = tables.load_table(code, "bra_crime")
        labels = crime_stats.choose_labels(bra, code)
        if "totalt" not in labels:
            missing.append(code)
            continue
        table = crime_stats.build_rates(bra, population, {"totalt": labels["totalt"]})
        own = table[(table["kommun_code"] == code) & (table["year"] == int(period))]
        if own.empty:
            missing.append(code)
            continue
        row = own.iloc[0]
        if bool(row["missing"]) or bool(row["suppressed"]) or pd.isna(row["population"]):
            hidden.append(code)
            continue
        own_rows.append(own)
        rows.append(
            {
                "kommun_code": code,
                "kommun_name": kommun_list.kommun_name(code),
                "count": int(row["count"]),
                "population": float(row["population"]),
                "rate": float(row["rate"]),
                "low": float(row["low"]),
                "high": float(row["high"]),
                "origin": tables.origin(bra),
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    pooled = (
        crime_stats.pooled_rate(
            pd.concat(own_rows, ignore_index=True), list(frame["kommun_code"]), "totalt", period
        )
        if own_rows
        else None
    )
    centre = pooled.rate if pooled is not None else math.nan
    frame["position"] = [
        rates.funnel_position(int(k), float(p), centre, LEVELS)
        for k, p in zip(frame["count"], frame["population"], strict=True)
    ]
    frame.attrs.update(
        centre=centre, missing=missing, hidden=hidden, period=int(period), kind="crime"
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
    except tables.MissingTableError:
        events = None
    police = police_shares(events, context.period, context.codes) if events is not None else None
    return Overview(
        period=context.period,
        codes=list(context.codes),
        police=police,
        police_origin=police_origin(events) if events is not None else "real",
        coverage_end=events.attrs.get("coverage_end") if events is not None else None,
        victim=victim_shares(context.codes, context.period),
        crime=crime_rates(context.codes, context.period, _population()),
        boundaries=load_boundaries(),
    )


# --------------------------------------------------------------------------
# Text (pinned by tests)
# --------------------------------------------------------------------------


def _names(frame: pd.DataFrame, limit: int = 8) -> str:
    names = list(frame["kommun_name"])
    if len(names) <= limit:
        return join_list(names)
    return f"{', '.join(names[:limit])} med flera"


def outside_counts(frame: pd.DataFrame) -> tuple[int, int, int]:
    """(placed in the funnel, above the 95 % limit, below it)."""
    placed = frame["position"].isin([*_OUTSIDE, rates.WITHIN])
    above = frame["position"].isin(_ABOVE)
    below = frame["position"].isin(_BELOW)
    return int(placed.sum()), int(above.sum()), int(below.sum())


def police_sentence(shares: pd.DataFrame | None) -> str:
    """How many batch kommuner stand out on the promise-group share, and the caveat.

    Situations: no events table; no kommun with enough events; none outside
    the 95 % limits; some above and/or below. Always ends with
    :data:`POLICE_NOT_RATE`.
    """
    if shares is None:
        return (
            "Polisens händelser saknas i de bearbetade tabellerna, så den delen av "
            "jämförelsen hoppas över. " + POLICE_NOT_RATE
        )
    period = shares.attrs["period"]
    centre = shares.attrs["centre"]
    batch = shares[shares["in_batch"]]
    placed, above, below = outside_counts(batch)
    few = int((batch["position"] == TOO_FEW).sum())
    min_events = shares.attrs["min_events"]
    parts = []
    if placed == 0:
        parts.append(
            f"Ingen av kommunerna i körningen hade minst {fmt_int(min_events)} publicerade "
            f"händelser under {period}, så ingen kan jämföras."
        )
    else:
        parts.append(
            f"I hela landet gällde {fmt_percent(centre)} av polisens publicerade händelser under "
            f"{period} {PROMISE_GROUP_TEXT}."
        )
        if above == 0 and below == 0:
            parts.append(
                f"Ingen av de {fmt_int(placed)} jämförda kommunerna skiljer sig från riket mer "
                "än slumpen kan förklara."
            )
        else:
            parts.append(
                f"Av {plural(placed, 'jämförd kommun', 'jämförda kommuner')} ligger "
                f"{fmt_int(above)} över och {fmt_int(below)} under trattens 95 %-gränser."
            )
            top = batch[batch["position"] == rates.ABOVE_998]
            if len(top):
                parts.append(f"Tydligast högre andel (över 99,8 %-gränsen): {_names(top)}.")
            bottom = batch[batch["position"] == rates.BELOW_998]
            if len(bottom):
                parts.append(f"Tydligast lägre andel (under 99,8 %-gränsen): {_names(bottom)}.")
    if few and placed:
        parts.append(
            f"{plural(few, 'kommun', 'kommuner')} hade färre än {fmt_int(min_events)} händelser "
            "och jämförs inte."
        )
    parts.append(POLICE_NOT_RATE)
    return " ".join(parts)


def _skipped(part: str, missing: Sequence[str]) -> str:
    who = (
        "kommunerna i körningen"
        if len(missing) > 10
        else join_list(kommun_list.kommun_name(c) for c in missing)
    )
    return f"{part} hoppas över: uppgifterna saknas för {who}."


def victim_sentence(frame: pd.DataFrame) -> str:
    """Pinned sentence for the victim-contact funnel (EXEMPELDATA), or why it is skipped."""
    missing = frame.attrs.get("missing", [])
    if frame.empty:
        return (
            _skipped("Jämförelsen av kontakt med brottsutsatta", missing)
            if missing
            else (
                "Jämförelsen av kontakt med brottsutsatta hoppas över: inga kommuner i körningen."
            )
        )
    placed, above, below = outside_counts(frame)
    days = frame.attrs["target_days"]
    parts = [f"EXEMPELDATA: andelen brottsutsatta som kontaktades inom {days} dagar."]
    if placed < 2:
        parts.append(
            "För få kommuner har tillräckligt många avgjorda ärenden (minst "
            f"{fmt_int(frame.attrs['min_n'])}) för att en jämförelse ska säga något."
        )
    else:
        parts.append(
            f"Sammantaget {fmt_percent(frame.attrs['centre'])} i "
            f"{plural(placed, 'jämförd kommun', 'jämförda kommuner')}."
        )
        if above == 0 and below == 0:
            parts.append("Ingen kommun skiljer sig mer än slumpen kan förklara.")
        else:
            parts.append(
                f"{fmt_int(above)} ligger över och {fmt_int(below)} under trattens 95 %-gränser."
            )
    if missing:
        parts.append(
            f"{plural(len(missing), 'kommun', 'kommuner')} i körningen saknar uppgifterna."
        )
    return " ".join(parts)


def crime_sentence(frame: pd.DataFrame) -> str:
    """Pinned sentence for the reported-crime funnel (EXEMPELDATA), or why it is skipped."""
    missing = frame.attrs.get("missing", [])
    hidden = frame.attrs.get("hidden", [])
    if frame.empty:
        if missing or hidden:
            return _skipped("Jämförelsen av anmälda brott", [*missing, *hidden])
        return "Jämförelsen av anmälda brott hoppas över: inga kommuner i körningen."
    placed, above, below = outside_counts(frame)
    period = frame.attrs["period"]
    parts = [
        f"EXEMPELDATA: anmälda brott totalt per 100{NBSP}000 invånare {period}. "
        f"Sammantaget {fmt_number(frame.attrs['centre'], 0)} per 100{NBSP}000 invånare i "
        f"{plural(placed, 'jämförd kommun', 'jämförda kommuner')}."
    ]
    if placed < 2:
        parts.append("Med en enda kommun finns inget att jämföra med.")
    elif above == 0 and below == 0:
        parts.append("Ingen kommun skiljer sig mer än slumpen kan förklara.")
    else:
        parts.append(
            f"{fmt_int(above)} ligger över och {fmt_int(below)} under trattens 95 %-gränser."
        )
    if hidden:
        parts.append(
            f"{plural(len(hidden), 'kommun', 'kommuner')} har fåtal, sekretessbelagd eller "
            "saknad siffra och visas inte."
        )
    if missing:
        parts.append(
            f"{plural(len(missing), 'kommun', 'kommuner')} i körningen saknar uppgifterna."
        )
    return " ".join(parts)


def headline(overview: Overview) -> str:
    """The key sentence for the index page: how many kommuner stand out on the police share."""
    shares = overview.police
    if shares is None:
        return (
            f"Riksöversikt {overview.period} ({batch_text(overview.codes)}): polisens "
            "händelser saknas, så ingen jämförelse kunde göras."
        )
    placed, above, below = outside_counts(shares[shares["in_batch"]])
    if placed == 0:
        return (
            f"Riksöversikt {overview.period} ({batch_text(overview.codes)}): ingen kommun "
            "hade tillräckligt många publicerade polishändelser för att jämföras."
        )
    outside = above + below
    if outside == 0:
        return (
            f"Riksöversikt {overview.period}: ingen av {plural(placed, 'jämförd kommun', 'jämförda kommuner')} "
            f"skiljer sig från riket i hur stor andel av polisens händelser som gäller "
            f"{PROMISE_GROUP_TEXT}."
        )
    return (
        f"Riksöversikt {overview.period}: {fmt_int(outside)} av "
        f"{plural(placed, 'jämförd kommun', 'jämförda kommuner')} skiljer sig från riket i hur "
        f"stor andel av polisens händelser som gäller {PROMISE_GROUP_TEXT} "
        f"({fmt_int(above)} högre, {fmt_int(below)} lägre)."
    )


def cannot_say_text() -> str:
    """What the overview cannot say (for "Att tänka på")."""
    return "\n\n".join(
        [
            "Andelen i löftesgrupperna säger hur polisens publicerade händelser fördelar sig, "
            "inte hur vanliga narkotikabrott, trafikbrott eller ordningsstörningar är. En hög "
            "andel kan betyda mer sådan brottslighet, fler kontroller eller bara att "
            "polisregionen publicerar andra slags händelser. " + POLICE_NOT_RATE,
            "Trattens gränser visar vad slumpen ensam kan ge. De tar inte hänsyn till att "
            "kommuner verkligen skiljer sig åt (olika polisregioner, storstad och landsbygd), så "
            "bland 290 kommuner hamnar fler utanför gränserna än slumpen ger – läs en kommun "
            "utanför som en anledning att titta närmare, inte som ett betyg.",
            "Ingen rangordning: en plats högt eller lågt inom gränserna betyder ingenting.",
            "Kontakt med brottsutsatta och anmälda brott bygger här på EXEMPELDATA – påhittade "
            "siffror som bara visar hur jämförelsen ser ut – och finns bara för kommuner vars "
            "tabeller har byggts.",
        ]
    )


def police_banner_detail(overview: Overview) -> str:
    """Coverage of the events archive, for the banner."""
    text = (
        "Händelser som polisen publicerat om en kommun (sammanfattningar av natt eller helg "
        "räknas inte)."
    )
    if overview.coverage_end:
        end = pd.Timestamp(overview.coverage_end)
        if end.year == overview.period:
            text += f" Uppgifterna för {overview.period} sträcker sig bara till {end.date()}."
    return text


# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------


def police_outliers(overview: Overview):
    """For display: the outlier table, or a sentence when no kommun lies outside (or skipped)."""
    from IPython.display import HTML

    table = police_outlier_table(overview)
    if len(table):
        return table
    if not _police_placed(overview):
        return HTML("<p>Ingen kommun kunde placeras i tratten, så det finns ingen lista.</p>")
    return HTML("<p>Ingen kommun i körningen ligger utanför 95 %-gränserna.</p>")


def police_outlier_table(overview: Overview) -> pd.DataFrame:
    """The batch kommuner outside the 95 % limits, most extreme share first, in Swedish."""
    shares = overview.police
    columns = ["Kommun", "Län", "Händelser", "I löftesgrupperna", "Andel", "95 % KI", "Läge"]
    if shares is None:
        return pd.DataFrame(columns=columns)
    out = shares[shares["in_batch"] & shares["position"].isin(_OUTSIDE)].copy()
    out["_dev"] = (out["share"] - shares.attrs["centre"]).abs()
    out = out.sort_values(["_dev", "kommun_code"], ascending=[False, True], kind="stable")
    table = pd.DataFrame(
        {
            "Kommun": out["kommun_name"],
            "Län": [kommun_list.lan_name(c) for c in out["lan_code"]],
            "Händelser": [fmt_int(v) for v in out["n_events"]],
            "I löftesgrupperna": [fmt_int(v) for v in out["n_promise"]],
            "Andel": [fmt_percent(v) for v in out["share"]],
            "95 % KI": [
                f"{fmt_percent(a)}–{fmt_percent(b)}"
                for a, b in zip(out["low"], out["high"], strict=True)
            ],
            "Läge": [CLASS_LABELS[p] for p in out["position"]],
        },
        columns=columns,
    )
    return table.reset_index(drop=True)


# --------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------


def _percent_axis(ax: plt.Axes) -> None:
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt_percent(v)))


def _log_x(ax: plt.Axes) -> None:
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt_int(v)))


def _scatter_classes(ax: plt.Axes, x: pd.Series, y: pd.Series, positions: pd.Series) -> None:
    for code in (rates.WITHIN, *_OUTSIDE):
        mask = (positions == code).to_numpy()
        if mask.any():
            ax.scatter(
                x[mask],
                y[mask],
                s=46,
                color=CLASS_COLOURS[code] if code != rates.WITHIN else style.MUTED,
                edgecolor="#333333",
                linewidth=0.6,
                zorder=3,
                label=CLASS_LABELS[code],
            )


def _annotate(ax: plt.Axes, frame: pd.DataFrame, x: str, y: str, limit: int = 12) -> None:
    """Name every point of a small batch, else the points outside the 99,8 % limits.

    At most ``limit`` names (the most extreme) so that a batch of 290 stays readable.
    """
    out = (
        frame
        if len(frame) <= limit
        else frame[frame["position"].isin([rates.ABOVE_998, rates.BELOW_998])]
    )
    if len(out) > limit:
        centre = frame.attrs.get("centre", 0.0)
        out = out.assign(dev=(out[y] - centre).abs()).nlargest(limit, "dev")
    for r in out.itertuples():
        ax.annotate(
            r.kommun_name,
            (getattr(r, x), getattr(r, y)),
            xytext=(5, 4),
            textcoords="offset points",
            fontsize="x-small",
        )


def _proportion_funnel(
    frame: pd.DataFrame, n_col: str, k_col: str, title: str, xlabel: str, centre_label: str
) -> Figure:
    placed = frame[frame["position"].isin([rates.WITHIN, *_OUTSIDE])]
    centre = float(frame.attrs["centre"])
    fig, ax = plt.subplots(figsize=(10, 6))
    plt.close(fig)  # shown by being returned
    lo = max(1.0, placed[n_col].min() / 1.3)
    hi = placed[n_col].max() * 1.3
    grid = np.unique(np.round(np.geomspace(lo, hi, 160)).astype(int))
    limits = funnel_limits_proportion(grid, centre, LEVELS)
    for code, dash, label in (("95", "--", "95 %-gräns"), ("998", ":", "99,8 %-gräns")):
        ax.plot(grid, limits[f"upper_{code}"], color="#555555", linestyle=dash, lw=1.2, label=label)
        ax.plot(grid, limits[f"lower_{code}"], color="#555555", linestyle=dash, lw=1.2)
    ax.axhline(centre, color="#555555", lw=1, label=centre_label)
    shares = placed[k_col] / placed[n_col]
    _scatter_classes(ax, placed[n_col], shares, placed["position"])
    _annotate(ax, placed.assign(plot_share=shares), n_col, "plot_share")
    _log_x(ax)
    _percent_axis(ax)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("andel")
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return style.finish(fig)


def plot_police_funnel(overview: Overview) -> Figure | None:
    """Funnel: promise-group share against number of events (log), national centre; None if skipped."""
    if not _police_placed(overview):
        return None
    shares = overview.police
    batch = shares[shares["in_batch"]].copy()
    batch.attrs = dict(shares.attrs)
    return _proportion_funnel(
        batch,
        "n_events",
        "n_promise",
        f"Andel av polisens händelser {overview.period} som gäller löftesgrupperna",
        "publicerade händelser (logaritmisk skala)",
        "riket",
    )


def plot_victim_funnel(overview: Overview) -> Figure | None:
    """Funnel of the on-time share against decided cases (EXEMPELDATA); None if skipped."""
    frame = overview.victim
    if frame.empty or math.isnan(frame.attrs["centre"]):
        return None
    fig = _proportion_funnel(
        frame,
        "n",
        "successes",
        f"EXEMPELDATA: kontakt inom {frame.attrs['target_days']} dagar, {overview.period}",
        "avgjorda ärenden (logaritmisk skala)",
        "kommunerna sammantaget",
    )
    return fig


def plot_crime_funnel(overview: Overview) -> Figure | None:
    """Exact Poisson funnel of reported crime per 100 000 against population; None if skipped."""
    frame = overview.crime
    if frame.empty:
        return None
    centre = float(frame.attrs["centre"])
    fig, ax = plt.subplots(figsize=(10, 6))
    plt.close(fig)
    grid = np.geomspace(frame["population"].min() / 1.5, frame["population"].max() * 1.5, 140)
    limits = rates.funnel_limits(grid, centre, LEVELS)
    for code, dash, label in (("95", "--", "95 %-gräns"), ("998", ":", "99,8 %-gräns")):
        ax.plot(grid, limits[f"upper_{code}"], color="#555555", linestyle=dash, lw=1.2, label=label)
        ax.plot(grid, limits[f"lower_{code}"], color="#555555", linestyle=dash, lw=1.2)
    ax.axhline(centre, color="#555555", lw=1, label="kommunerna sammantaget")
    _scatter_classes(ax, frame["population"], frame["rate"], frame["position"])
    _annotate(ax, frame, "population", "rate")
    _log_x(ax)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt_int(v)))
    ax.set_ylim(bottom=0)
    ax.set_xlabel("folkmängd (logaritmisk skala)")
    ax.set_ylabel(f"per 100{NBSP}000 invånare")
    ax.set_title(f"EXEMPELDATA: anmälda brott totalt per 100{NBSP}000 invånare, {overview.period}")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return style.finish(fig)


def _police_placed(overview: Overview) -> bool:
    shares = overview.police
    if shares is None:
        return False
    batch = shares[shares["in_batch"]]
    return bool(batch["position"].isin([rates.WITHIN, *_OUTSIDE]).any())


def police_caption(overview: Overview):
    """Caption of the police funnel, or None when it was skipped."""
    if not _police_placed(overview):
        return None
    return style.caption(
        f"Andel av polisens publicerade händelser {overview.period} som gäller "
        f"{PROMISE_GROUP_TEXT}, per kommun i körningen, mot antalet händelser; linjerna är "
        "exakta binomiala 95 %- och 99,8 %-gränser kring rikets andel. Kommuner med färre än "
        f"{MIN_EVENTS} händelser visas inte.",
        POLICE_SOURCE,
    )


def victim_caption(overview: Overview):
    """Caption of the victim-contact funnel, or None when it was skipped."""
    if overview.victim.empty or math.isnan(overview.victim.attrs["centre"]):
        return None
    return style.caption(
        "EXEMPELDATA. Andel avgjorda ärenden där den brottsutsatta kontaktades inom 7 dagar "
        "efter att en utredare utsetts, per kommun, mot antalet avgjorda ärenden; exakta "
        "binomiala gränser kring kommunernas sammanlagda andel.",
        VICTIM_SOURCE,
    )


def crime_caption(overview: Overview):
    """Caption of the reported-crime funnel, or None when it was skipped."""
    if overview.crime.empty:
        return None
    return style.caption(
        f"EXEMPELDATA. Anmälda brott totalt per 100{NBSP}000 invånare {overview.period} per "
        "kommun mot folkmängden; exakta Poisson-gränser kring kommunernas sammanlagda nivå. "
        "Folkmängd 2024 för alla år.",
        CRIME_SOURCE,
    )


# --------------------------------------------------------------------------
# (c) The map of Sweden
# --------------------------------------------------------------------------


class MapView:
    """A map page shown in the notebook as an iframe; the same bytes every build.

    ``html`` is :func:`trygghet.present.maps.map_to_html` of the map (Leaflet inlined,
    nothing loaded from the network); rendering it once here, instead of via
    folium's own repr at display time, keeps the notebook output reproducible.
    """

    def __init__(self, page: str, height: int = 720) -> None:
        self.html = page
        self.height = height

    @property
    def size_bytes(self) -> int:
        return len(self.html.encode("utf-8"))

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.html)}" style="width:100%;'
            f'height:{self.height}px;border:none" title="Karta över Sveriges kommuner"></iframe>'
        )


def _tooltip_row(row: pd.Series) -> dict[str, str]:
    from trygghet.present.maps.core import safe_text

    position = str(row["position"])
    n = int(row["n_events"])
    share = "–" if n == 0 else fmt_percent(row["share"])
    if position == NOT_IN_BATCH:
        state = "ingår inte i körningen"
    elif position == TOO_FEW:
        state = f"för få händelser (färre än {MIN_EVENTS})"
    else:
        state = CLASS_LABELS[position]
    return {
        "namn": safe_text(row["kommun_name"]),
        "antal": fmt_int(n),
        "andel": share,
        "läge": safe_text(state),
        "färg": CLASS_COLOURS[position],
    }


def police_map(overview: Overview, *, simplify: float = SIMPLIFY_DEGREES) -> MapView | None:
    """Choropleth of Sweden: each kommun's funnel class on the police promise-group share.

    Geometries simplified by ``simplify`` degrees (:data:`SIMPLIFY_DEGREES`)
    and rounded to 4 decimals; built inside
    :func:`trygghet.present.maps.deterministic_ids` on :func:`trygghet.present.maps.core.base_map`,
    so the page is offline and byte-identical between builds. None when the
    events or the boundaries are missing.
    """
    if overview.police is None or overview.boundaries is None:
        return None
    return MapView(police_map_html(overview.police, overview.boundaries, simplify=simplify))


def police_map_html(shares: pd.DataFrame, boundaries, *, simplify: float = SIMPLIFY_DEGREES) -> str:
    """The standalone offline HTML page of the police-share map (see :func:`police_map`)."""
    import warnings

    import folium

    with warnings.catch_warnings():
        # trygghet.present.maps imports esda (hotspots), which imports tqdm.auto; its
        # "IProgress not found" warning would land in the report's output.
        warnings.filterwarnings("ignore", message="IProgress not found")
        from trygghet.present import maps
    from trygghet.present.maps.core import add_layer_control, round_coords

    gdf = boundaries[["kommun_code", "geometry"]].copy()
    gdf["kommun_code"] = gdf["kommun_code"].astype(str)
    gdf = gdf.merge(shares, on="kommun_code", how="left").sort_values("kommun_code")
    gdf["position"] = gdf["position"].fillna(NOT_IN_BATCH)
    gdf["n_events"] = gdf["n_events"].fillna(0)
    gdf["kommun_name"] = gdf["kommun_name"].fillna(gdf["kommun_code"])
    gdf["geometry"] = gdf.geometry.simplify(simplify, preserve_topology=True)
    features = []
    for _, row in gdf.iterrows():
        geometry = round_coords(row.geometry.__geo_interface__)
        features.append({"type": "Feature", "properties": _tooltip_row(row), "geometry": geometry})
    collection = {"type": "FeatureCollection", "features": features}
    s, w, n, e = 55.3, 10.9, 69.1, 24.2  # Sweden's extent, rounded outward
    # Zoom to the batch (all of Sweden for a national batch); the rest stays grey around it.
    focus = gdf[gdf["in_batch"].fillna(False).astype(bool)] if "in_batch" in gdf else gdf
    if len(focus) == 0:
        focus = gdf
    if len(focus):
        minx, miny, maxx, maxy = (float(v) for v in focus.total_bounds)
        s, w, n, e = round(miny, 2), round(minx, 2), round(maxy, 2), round(maxx, 2)
    period = shares.attrs.get("period", "")
    with maps.deterministic_ids("riket"):
        m = maps.base_map([[s, w], [n, e]])
        folium.GeoJson(
            collection,
            name=f"Läge i tratten {period}",
            style_function=lambda f: {
                "fillColor": f["properties"]["färg"],
                "color": "#444444",
                "weight": 0.5,
                "fillOpacity": 0.85,
            },
            highlight_function=lambda _f: {"weight": 2, "color": "#000000"},
            tooltip=folium.GeoJsonTooltip(
                fields=["namn", "antal", "andel", "läge"],
                aliases=["Kommun", "Händelser", "Andel i löftesgrupperna", "Läge i tratten"],
                sticky=True,
            ),
            zoom_on_click=False,
        ).add_to(m)
        items = [
            (CLASS_COLOURS[c], CLASS_LABELS[c])
            for c in (
                rates.ABOVE_998,
                rates.ABOVE_95,
                rates.WITHIN,
                rates.BELOW_95,
                rates.BELOW_998,
                TOO_FEW,
            )
        ]
        notes = [
            f"Andel av polisens publicerade händelser {period} som gäller {PROMISE_GROUP_TEXT}, "
            "jämförd med rikets andel (exakta binomiala gränser).",
            f"Grått: kommunen ingår inte i körningen eller hade färre än {MIN_EVENTS} händelser.",
            "Inte brottsstatistik: antalet händelser räknas aldrig om per invånare.",
            f"Kommungränser: SCB, förenklade ({fmt_number(simplify, 2)} grader ≈ 1 km).",
        ]
        maps.Legend("Läge i tratten", items, notes).add_to(m)
        add_layer_control(m)
        page = maps.map_to_html(m)
    return page


def map_caption(overview: Overview, view: MapView | None):
    """Caption of the map, or None when the map was skipped."""
    if view is None:
        return None
    return style.caption(
        f"Sveriges kommuner färgade efter var andelen av polisens händelser {overview.period} "
        f"som gäller {PROMISE_GROUP_TEXT} ligger i tratten (grått: för få händelser eller inte "
        "med i körningen).",
        MAP_SOURCE,
    )


def map_skipped_sentence(overview: Overview) -> str:
    """Why the map is missing, or "" when it is shown."""
    if overview.police is None:
        return "Kartan hoppas över: polisens händelser saknas."
    if overview.boundaries is None:
        return "Kartan hoppas över: kommungränserna saknas (kör 'trygghet ingest')."
    return ""
