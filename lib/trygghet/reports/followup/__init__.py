"""The medborgarlöften follow-up: one row per promise, status and story, for the BRÅ meeting.

The kommun's config lists, per promise, the indicators that follow it up
(:class:`trygghet.config.Indicator`). This module

1. **checks** every indicator before computing anything (:func:`check_indicators`):
   an unknown function or a parameter the function does not take is a
   :class:`~trygghet.errors.ConfigError` naming the file, the promise and the
   key (``promises[2].indicators[0].params``);
2. **computes** each indicator with its library function and decides its
   status with :func:`trygghet.stats.status.decide_status` (:func:`evaluate`);
3. **shows** the first page (:func:`first_page_html`: the promise in the
   kommun's own words, each indicator's value, interval, baseline, target and
   status as symbol *and* word, never colour alone), a section per promise
   with the key chart or map of the underlying analysis, its narrative and its
   data sources (:func:`show_promise_sections`), the triangulation per area
   (:func:`triangulation`), what changed since the previous follow-up
   (:func:`since_last_time`) and the assumptions and caveats that the
   computations actually used (:func:`caveats`).

"Since last time": each run stores its statuses in
``data/processed/<kommun>/followup_history.json`` (:func:`record_history`). An
entry is appended only when its content differs from the latest one, so a
rerun on the same data changes nothing and its report is byte-identical; the
previous follow-up is the latest stored entry, for the same or an earlier
period, whose content differs from this run's.

Every text that goes into HTML here is escaped with :func:`html.escape`;
residents' free text and exact positions are never read into any output.
"""

from __future__ import annotations

import hashlib
import html
import inspect
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from trygghet import atomic, paths
from trygghet.config import Indicator, KommunConfig, Promise
from trygghet.errors import ConfigError, TrygghetError
from trygghet.present.swedish import (
    MISSING,
    fmt_date,
    fmt_int,
    fmt_number,
    fmt_percent,
    join_list,
    plural,
)
from trygghet.sources import processed as tables
from trygghet.stats.status import (
    CANT_SAY,
    MET,
    NOT_MET,
    ON_TRACK,
    SYMBOLS,
    IndicatorValue,
    compute,
    decide_status,
    resolve_function,
)

HISTORY_NAME = "followup_history.json"

#: Background tints of the status cell: a help, never the only carrier (symbol + word are).
STATUS_TINT = {MET: "#e3f1ea", ON_TRACK: "#e6f0f8", NOT_MET: "#fbe7dc", CANT_SAY: "#f0f0f0"}

#: What each indicator function builds on: topic -> processed tables and a label.
TOPIC_TABLES: dict[str, tuple[str, ...]] = {
    "est": ("est_reports", "est_measures"),
    "walks": ("safety_walks",),
    "survey": ("survey",),
    "crime": ("bra_crime", "kolada_groups"),
    "victims": ("victim_contacts",),
}
TOPIC_LABELS: dict[str, str] = {
    "est": "EST-partnernas rapporter och beslutade åtgärder",
    "walks": "Protokoll från trygghetsvandringar",
    "survey": "Trygghetsundersökningen",
    "crime": "Brå:s statistik över anmälda brott (och Kolada, SCB)",
    "victims": "Polisens tidsstämplar för kontakt med brottsutsatta",
}
TABLE_LABELS: dict[str, str] = {
    "est_reports": "EST-rapporter",
    "est_measures": "EST-åtgärder",
    "safety_walks": "trygghetsvandringar",
    "survey": "trygghetsundersökningen",
    "bra_crime": "Brå, anmälda brott",
    "kolada_groups": "Kolada, kommungrupper",
    "victim_contacts": "kontakter med brottsutsatta",
    "resident_reports": "invånarnas anmälningar",
}
ORIGIN_WORDS = {"real": "verkliga data", "fetched": "hämtade data", "example": "EXEMPELDATA"}


def topic_of(function: str) -> str:
    """The analysis an indicator function builds on, from its dotted name."""
    module, _, name = function.rpartition(".")
    if module == "victim_contact" or "victim" in name:
        return "victims"
    if module == "est" or name.startswith("est_"):
        return "est"
    if module == "survey_analysis" or "survey" in name:
        return "survey"
    if module == "crime_stats" or "crime" in name:
        return "crime"
    if module == "places" or "walk" in name:
        return "walks"
    return "other"


# --------------------------------------------------------------------------- checking


def indicator_key(p: int, i: int, part: str = "") -> str:
    """The YAML key of indicator ``i`` of promise ``p`` (0-based), e.g. ``promises[2].indicators[0].params``."""
    return f"promises[{p}].indicators[{i}]" + (f".{part}" if part else "")


def _call_params(function: Callable, indicator: Indicator) -> dict[str, Any]:
    """The config's params, plus ``baseline_period`` when the function takes one."""
    params = dict(indicator.params)
    takes = inspect.signature(function).parameters
    if indicator.baseline_period is not None and "baseline_period" in takes:
        params.setdefault("baseline_period", indicator.baseline_period)
    return params


def check_indicators(config: KommunConfig) -> dict[tuple[int, int], Callable]:
    """Resolve every indicator's function and check its params; a mistake names promise and key."""
    file = config.source_file or f"kommun {config.code}"
    found: dict[tuple[int, int], Callable] = {}
    for p, promise in enumerate(config.promises):
        seen: set[str] = set()
        for i, ind in enumerate(promise.indicators):
            where = f"löfte {promise.id} ({promise.title}), indikator '{ind.id}'"
            if ind.id in seen:
                raise ConfigError(
                    file, indicator_key(p, i, "id"), f"{where}: id:t finns två gånger"
                )
            seen.add(ind.id)
            try:
                fn = resolve_function(ind.function, file=file, key=indicator_key(p, i, "function"))
            except ConfigError as exc:
                raise ConfigError(file, exc.key, f"{where}: {_reason(exc)}") from None
            try:
                inspect.signature(fn).bind(None, **_call_params(fn, ind))
            except TypeError as exc:
                raise ConfigError(
                    file, indicator_key(p, i, "params"), f"{where}: fel parametrar: {exc}"
                ) from None
            if ind.direction != "level" and ind.target is not None and ind.target < 0:
                raise ConfigError(
                    file, indicator_key(p, i, "target"), f"{where}: målet är negativt"
                )
            found[(p, i)] = fn
    return found


def _reason(exc: ConfigError) -> str:
    return str(exc).split("): ", 1)[-1]


# --------------------------------------------------------------------------- evaluating


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator's value and status."""

    promise_id: str
    indicator: Indicator
    value: IndicatorValue
    status: str
    reason: str
    topic: str

    @property
    def key(self) -> str:
        return f"{self.promise_id}/{self.indicator.id}"


@dataclass
class PromiseResult:
    """A promise and its indicators' results."""

    promise: Promise
    indicators: list[IndicatorResult] = field(default_factory=list)

    @property
    def topics(self) -> list[str]:
        return list(dict.fromkeys(r.topic for r in self.indicators))


def evaluate(context: Any) -> list[PromiseResult]:
    """Check the config, compute every indicator and decide its status.

    Missing data (a table not built, no Brå value for the period) makes that
    indicator "kan inte bedömas" with the reason, not a failed report; a
    configuration mistake is an error (:func:`check_indicators`).
    """
    config: KommunConfig = context.config
    functions = check_indicators(config)
    file = config.source_file or f"kommun {config.code}"
    out: list[PromiseResult] = []
    for p, promise in enumerate(config.promises):
        result = PromiseResult(promise)
        for i, ind in enumerate(promise.indicators):
            fn = functions[(p, i)]
            try:
                value = compute(fn, context, _call_params(fn, ind), file=file,
                                key=indicator_key(p, i, "params"))  # fmt: skip
                status, reason = decide_status(value, ind.target, ind.direction)
            except ConfigError as exc:
                raise ConfigError(
                    file, exc.key, f"löfte {promise.id}, indikator '{ind.id}': {_reason(exc)}"
                ) from None
            except (TrygghetError, ValueError, KeyError) as exc:
                value = IndicatorValue(value=None, text=MISSING, origin="saknas")
                status, reason = CANT_SAY, f"underlaget saknas eller räcker inte ({exc})"
            result.indicators.append(
                IndicatorResult(promise.id, ind, value, status, reason, topic_of(ind.function))
            )
        out.append(result)
    return out


# --------------------------------------------------------------------------- formatting


def format_value(x: float | None, unit: str) -> str:
    """A value in the indicator's unit: shares as percent, rates and counts as numbers."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return MISSING
    if unit == "andel":
        return fmt_percent(x)
    if unit == "veckor":
        return f"{fmt_number(x, 1)} v."
    if unit == "antal":
        return fmt_int(x)
    return fmt_number(x)


def interval_text(value: IndicatorValue, unit: str) -> str:
    """``"28–34 %"``; a dash when there is none, or when the value is a count."""
    if value.low is None or value.high is None or value.too_few or value.low == value.high:
        return MISSING
    return f"{format_value(value.low, unit)}–{format_value(value.high, unit)}"


CHANGE_WORDS = {"up": "säker ökning", "down": "säker minskning", "none": "ingen säker förändring"}


def baseline_text(result: IndicatorResult) -> str:
    """``"31 % (2024); ingen säker förändring"``."""
    v, ind = result.value, result.indicator
    if v.baseline is None:
        return (
            "ingen basperiod" if ind.baseline_period is None else f"saknas ({ind.baseline_period})"
        )
    when = f" ({ind.baseline_period})" if ind.baseline_period is not None else " (förra omgången)"
    change = f"; {CHANGE_WORDS[v.change]}" if v.change in CHANGE_WORDS else ""
    return f"{format_value(v.baseline, ind.unit)}{when}{change}"


def target_text(ind: Indicator) -> str:
    """The target in words: ``"minst 90 %"``, ``"högst 4,0 v."``, ``"lägre än basperioden"``."""
    if ind.target is None:
        return {
            "higher_is_better": "högre än basperioden",
            "lower_is_better": "lägre än basperioden",
        }.get(ind.direction, "inget mål (följs)")
    word = {"higher_is_better": "minst", "lower_is_better": "högst"}.get(ind.direction, "nivå")
    return f"{word} {format_value(ind.target, ind.unit)}"


def status_html(status: str, reason: str = "") -> str:
    """Symbol and word (and a tint that is only a help); the reason in small type."""
    small = f'<br><span class="fu-reason">{html.escape(reason)}</span>' if reason else ""
    return (
        f'<td class="fu-status" style="background:{STATUS_TINT.get(status, "#fff")}">'
        f'<span aria-hidden="true">{SYMBOLS.get(status, "?")}</span> '
        f"<strong>{html.escape(status)}</strong>{small}</td>"
    )


_CSS = """<style>
.fu-table { border-collapse: collapse; width: 100%; font-size: 0.95em; }
.fu-table th, .fu-table td { border: 1px solid #bbb; padding: 0.3em 0.45em; vertical-align: top; text-align: left !important; }
.fu-table th { background: #eee; }
.fu-first td:first-child { width: 28%; }
.fu-promise td { background: #f7f7f7; border-top: 3px solid #0072B2; }
.fu-reason, .fu-detail { font-size: 0.82em; color: #444; }
.fu-flag { font-weight: bold; }
@media print { .fu-table { font-size: 0.8em; } .fu-table tr { break-inside: avoid; } }
</style>"""


def first_page_html(results: Sequence[PromiseResult]) -> str:
    """The first page: per promise its own words, then one row per indicator with its status."""
    rows = []
    for pr in results:
        p = pr.promise
        rows.append(
            f'<tr class="fu-promise"><td colspan="6"><strong>Löfte {html.escape(p.id)}: '
            f"{html.escape(p.title)}</strong><br><em>{html.escape(p.text)}</em></td></tr>"
        )
        if not pr.indicators:
            rows.append(
                '<tr><td colspan="5">Inga indikatorer angivna i kommunens konfiguration.</td>'
                + status_html(CANT_SAY, "inget att mäta")
                + "</tr>"
            )
        for r in pr.indicators:
            v = r.value
            detail = (
                f'<br><span class="fu-detail">{html.escape(v.detail)}</span>' if v.detail else ""
            )
            origin = (
                ' <span class="fu-detail">(EXEMPELDATA)</span>' if v.origin == "example" else ""
            )
            rows.append(
                "<tr>"
                f"<td>{html.escape(r.indicator.name)}{origin}{detail}</td>"
                f"<td>{html.escape(v.text or format_value(v.value, r.indicator.unit))}</td>"
                f"<td>{html.escape(interval_text(v, r.indicator.unit))}</td>"
                f"<td>{html.escape(baseline_text(r))}</td>"
                f"<td>{html.escape(target_text(r.indicator))}</td>"
                f"{status_html(r.status, r.reason)}</tr>"
            )
    head = (
        "<tr><th>Indikator</th><th>Värde</th><th>95 % KI</th><th>Basperiod</th>"
        "<th>Mål</th><th>Status</th></tr>"
    )
    legend = " · ".join(f"{SYMBOLS[s]} {s}" for s in (MET, ON_TRACK, NOT_MET, CANT_SAY))
    return (
        f'{_CSS}<table class="fu-table fu-first"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
        f'<p class="fu-detail">Status: {html.escape(legend)}. KI = 95-procentigt '
        "konfidensintervall.</p>"
    )


def status_counts(results: Sequence[PromiseResult]) -> dict[str, int]:
    counts = {s: 0 for s in (MET, ON_TRACK, NOT_MET, CANT_SAY)}
    for pr in results:
        for r in pr.indicators:
            counts[r.status] += 1
    return counts


def headline(results: Sequence[PromiseResult], kommun_name: str, period: int) -> str:
    """The report's key sentence: how many indicators have which status."""
    counts = status_counts(results)
    total = sum(counts.values())
    if total == 0:
        return (
            f"{kommun_name}s medborgarlöften {period} har inga indikatorer i konfigurationen "
            "ännu, så inget kan följas upp med siffror."
        )
    parts = [f"{fmt_int(n)} {s}" for s, n in counts.items() if n]
    return (
        f"Uppföljning av {plural(len(results), 'medborgarlöfte', 'medborgarlöften')} i "
        f"{kommun_name} {period}: av {plural(total, 'indikator', 'indikatorer')} är "
        f"{join_list(parts)}."
    )


def show_first_page(results: Sequence[PromiseResult]) -> None:
    _display_html(first_page_html(results))


def _display_html(markup: str) -> None:
    from IPython.display import HTML, display

    display(HTML(markup))


# --------------------------------------------------------------------------- sources


def source_rows(kommun: str, topics: Sequence[str]) -> list[dict[str, str]]:
    """The ingest manifest's record of every table the topics use: dates, rows, origin."""
    rows = []
    for topic in topics:
        for table in TOPIC_TABLES.get(topic, ()):
            rec = tables.table_record(kommun, table)
            if not rec:
                rows.append({"tabell": TABLE_LABELS.get(table, table), "ursprung": "saknas",
                             "inläst": MISSING, "rader": MISSING, "filer": MISSING})  # fmt: skip
                continue
            files = [Path(str(i.get("path", ""))).name for i in rec.get("inputs", [])]
            rows.append(
                {
                    "tabell": TABLE_LABELS.get(table, table),
                    "ursprung": ORIGIN_WORDS.get(str(rec.get("origin")), str(rec.get("origin"))),
                    "inläst": fmt_date(str(rec["written_at"]))
                    if rec.get("written_at")
                    else MISSING,
                    "rader": fmt_int(rec.get("rows")),
                    "filer": (
                        ", ".join(files[:2])
                        + (f" och {len(files) - 2} till" if len(files) > 2 else "")
                    )
                    or MISSING,
                }
            )
    return rows


def sources_html(kommun: str, topics: Sequence[str]) -> str:
    rows = source_rows(kommun, topics)
    if not rows:
        return ""
    head = "".join(f"<th>{html.escape(k)}</th>" for k in rows[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in r.values()) + "</tr>"
        for r in rows
    )
    return (
        f'{_CSS}<p><strong>Underlag</strong></p><table class="fu-table"><thead><tr>{head}</tr>'
        f"</thead><tbody>{body}</tbody></table>"
    )


# --------------------------------------------------------------------------- per-promise sections


def _topic_views(topic: str, context: Any, result: PromiseResult) -> list[Any]:
    """Narrative text, chart or map and caption of one underlying analysis (library calls only)."""
    from trygghet.present import style

    period, kommun = context.period, context.kommun
    if topic == "est":
        from trygghet.reports import est

        # Tertial mode: the period's last complete tertial against the same tertial a year earlier.
        pic = est.build(est.load(context), period, mode="tertial")
        return [
            est.headline(pic),
            est.plot_repeat_places(pic),
            est.figure_caption(pic, "repeat"),
        ]
    if topic == "walks":
        from trygghet.reports import places

        reports, walks = places.load(kommun)
        a = places.analyse(reports, walks, context.config, period,
                           boundary=places.load_boundary(kommun, context.shared_data))  # fmt: skip
        return [
            places.overall_completion_text(a),
            places.walks_map(a, kommun, context.shared_data),
            style.caption(
                f"Iakttagelser från trygghetsvandringar efter status; försenade åtgärder den "
                f"{a.as_of_text} markerade.",
                places.source_label(walks, places.WALKS_SOURCE) + "; gränser och tätorter SCB",
            ),
        ]
    if topic == "survey":
        from trygghet.reports import survey as sa

        survey = sa.load(kommun)
        settings = sa.settings_from(context.config)
        current, previous = sa.pick_rounds(survey, period)
        questions = list(
            dict.fromkeys(
                str(r.indicator.params.get("question", sa.KEY_QUESTION))
                for r in result.indicators
                if r.topic == "survey"
            )
        )
        if current is not None and previous is not None:
            changes = sa.compare_rounds(survey, current, previous, settings).set_index(
                "question_id"
            )
            text = " ".join(
                sa.change_sentence(changes.loc[q].to_dict() | {"question_id": q}, current, previous)
                for q in questions
                if q in changes.index
            )
            if any(r.indicator.params.get("areas") for r in result.indicators):
                text += " Meningen och diagrammet gäller hela kommunen, indikatorn bara de valda områdena."
        else:
            text = sa.rounds_text(survey, period)
        return [
            text,
            sa.plot_headline_by_round(survey, questions, settings, period),
            style.caption(
                "Andelen per enkätomgång med 95 % konfidensintervall; den senaste omgången markerad.",
                sa.SOURCE_TEXT,
            ),
        ]
    if topic == "crime":
        from trygghet.reports import crime as crime_stats

        cs = crime_stats.analyse_kommun(kommun, period, min_count=context.config.min_count)
        series = [str(r.indicator.params.get("series", "narkotikabrott")) for r in result.indicators
                  if r.topic == "crime"]  # fmt: skip
        series = [s for s in dict.fromkeys(series) if s in cs.labels]
        return [
            "\n\n".join(crime_stats.category_paragraph(cs, s) for s in series),
            crime_stats.plot_rates(cs, series),
            style.caption(
                "Anmälda brott per 100 000 invånare och år med 95 % konfidensintervall.",
                crime_stats.CHART_SOURCE,
            ),
        ]
    if topic == "victims":
        from trygghet.reports import victim_contact as vc

        cases = vc.load(kommun)
        target = vc.target_from(context.config)
        return [
            vc.headline(cases, period, context.kommun_name, target),
            vc.plot_p_chart(cases, period, target),
            style.caption(
                "Andel brottsutsatta kontaktade i tid per månad, med styrdiagrammets gränser och målet.",
                vc.SOURCE_TEXT,
            ),
        ]
    return []


def show_promise_sections(context: Any, results: Sequence[PromiseResult]) -> None:
    """Per promise: heading, the indicators' details, key chart/map with narrative, sources."""
    from IPython.display import display

    from trygghet.present import page as report

    for pr in results:
        p = pr.promise
        _display_html(
            f"<h3>Löfte {html.escape(p.id)}: {html.escape(p.title)}</h3>"
            f"<p><em>{html.escape(p.text)}</em></p>"
        )
        if not pr.indicators:
            report.narrative("Löftet har inga indikatorer i kommunens konfiguration.")
        for topic in pr.topics:
            try:
                views = _topic_views(topic, context, pr)
            except (TrygghetError, ValueError, KeyError) as exc:
                report.narrative(f"Underlaget för {TOPIC_LABELS.get(topic, topic)} saknas: {exc}")
                continue
            for item in views:
                if isinstance(item, str):
                    if item.strip():
                        report.narrative(item)
                else:
                    display(item)
        _display_html(sources_html(context.kommun, pr.topics))


# --------------------------------------------------------------------------- triangulation

#: A resident's report belongs to the nearest configured area within this distance.
AREA_RADIUS_M = 5000.0
#: Survey insecurity counts as "hög"/"låg" when the area's share differs from the
#: kommun's by at least this many percentage points (a point-estimate rule: the
#: intervals are shown beside it).
INSECURITY_DIFF = 0.05
FLAG_TEXT = "frågan rådet bör diskutera"


def assign_areas(lat: pd.Series, lon: pd.Series, config: KommunConfig) -> pd.Series:
    """The nearest configured area (within :data:`AREA_RADIUS_M`) of each position, else NaN."""
    from trygghet.reports.places import haversine_m

    pts = [(a.name, a.lat, a.lon) for a in config.areas if a.lat is not None and a.lon is not None]
    out = pd.Series(np.nan, index=lat.index, dtype=object)
    if not pts or lat.empty:
        return out
    la, lo = lat.to_numpy(dtype=float, na_value=np.nan), lon.to_numpy(dtype=float, na_value=np.nan)
    dist = np.column_stack([haversine_m(la, lo, a_lat, a_lon) for _, a_lat, a_lon in pts])
    ok = ~np.isnan(dist).all(axis=1)
    best = np.full(len(la), -1)
    best[ok] = np.nanargmin(dist[ok], axis=1)
    near = ok & (dist[np.arange(len(la)), np.maximum(best, 0)] <= AREA_RADIUS_M)
    names = np.array([n for n, _, _ in pts], dtype=object)
    out[near] = names[best[near]]
    return out


def reported_level(observed: int, expected: float) -> str:
    """ "fler"/"färre" than the population share predicts (exact Poisson, 5 %), else "som väntat"."""
    if expected <= 0:
        return "–"
    if observed > expected and stats.poisson.sf(observed - 1, expected) < 0.025:
        return "fler"
    if observed < expected and stats.poisson.cdf(observed, expected) < 0.025:
        return "färre"
    return "som väntat"


def disagreement(insecurity: str, reports: str) -> str:
    """The flag of an area: many feel unsafe but few reports, or the reverse."""
    if insecurity == "hög" and reports == "färre":
        return f"Hög otrygghet men få anmälningar och händelser – {FLAG_TEXT}"
    if insecurity == "låg" and reports == "fler":
        return f"Låg otrygghet men många anmälningar och händelser – {FLAG_TEXT}"
    return ""


def triangulation_table(
    config: KommunConfig,
    period: int,
    *,
    residents: pd.DataFrame | None,
    police: pd.DataFrame | None,
    est_reports: pd.DataFrame | None,
    survey_by_area: pd.DataFrame | None,
    kommun_share: float | None,
    weight_share: dict[str, float] | None,
    crime_by_area: bool = False,
) -> pd.DataFrame:
    """Per configured area: police events, EST and residents' reports, survey insecurity, flag.

    ``residents``: only ``created_at``, ``lat``, ``lon`` are read (never the
    text). ``police``: countable events with ``incident_time`` and ``tatort``.
    ``survey_by_area``: :func:`trygghet.reports.survey.breakdown` by area.
    ``weight_share``: each area's share of the survey's weights (a proxy for
    its share of the population aged 16–85); the expected number of reports
    in an area is the kommun's total times that share.

    Rule (documented in the report): insecurity "hög"/"låg" when the area's
    share is at least :data:`INSECURITY_DIFF` above/below the kommun's;
    reports + events "fler"/"färre" when the exact Poisson test of the
    observed against the expected count rejects at 5 %; the flag is raised
    when the two point in opposite directions.
    """
    min_count = config.min_count
    names = [a.name for a in config.areas]
    counts: dict[str, dict[str, int]] = {n: {} for n in names}
    if residents is not None and len(residents):
        r = residents[pd.to_datetime(residents["created_at"]).dt.year == int(period)]
        area = assign_areas(r["lat"], r["lon"], config)
        for n, c in area.value_counts().items():
            counts[str(n)]["residents"] = int(c)
    if police is not None and len(police):
        pe = police[pd.to_datetime(police["incident_time"]).dt.year == int(period)]
        for n, c in pe["tatort"].dropna().astype(str).value_counts().items():
            if n in counts:
                counts[n]["police"] = int(c)
    if est_reports is not None and len(est_reports):
        er = est_reports[pd.to_datetime(est_reports["week_start"]).dt.year == int(period)]
        for n, c in er["area"].astype(str).value_counts().items():
            if n in counts:
                counts[n]["est"] = int(c)
    survey_rows: dict[str, pd.Series] = {}
    pooled: set[str] = set()
    if survey_by_area is not None:
        for _, row in survey_by_area.iterrows():
            survey_rows[str(row["group"])] = row
            if row.get("members"):
                pooled.update(m.strip() for m in str(row["members"]).split(","))
    total_signal = sum(c.get("residents", 0) + c.get("police", 0) for c in counts.values())

    def count_cell(n: int | None) -> str:
        if n is None:
            return "0"
        return "fåtal" if 0 < n < min_count else fmt_int(n)

    rows = []
    for n in names:
        c = counts[n]
        sr = survey_rows.get(n)
        if sr is not None and not bool(sr["suppressed"]):
            share = float(sr["share"])
            survey_text = (
                f"{fmt_percent(share)} ({fmt_percent(sr['low'])}–{fmt_percent(sr['high'])})"
            )
            insecurity = "som kommunen"
            if kommun_share is not None and share >= kommun_share + INSECURITY_DIFF:
                insecurity = "hög"
            elif kommun_share is not None and share <= kommun_share - INSECURITY_DIFF:
                insecurity = "låg"
        else:
            survey_text = "i Övriga områden" if n in pooled else "för få svar"
            insecurity = "–"
        signal = c.get("residents", 0) + c.get("police", 0)
        expected = total_signal * (weight_share or {}).get(n, 0.0)
        level = reported_level(signal, expected) if expected > 0 else "–"
        rows.append(
            {
                "område": n,
                "polisens händelser": count_cell(c.get("police")),
                "anmälda brott": "per område saknas" if not crime_by_area else MISSING,
                "EST-rapporter": count_cell(c.get("est")),
                "invånarnas anmälningar": count_cell(c.get("residents")),
                "anmälningar + händelser mot väntat": level,
                "otrygga (enkät, 95 % KI)": survey_text,
                "otrygghet mot kommunen": insecurity,
                "flagga": disagreement(insecurity, level),
            }
        )
    return pd.DataFrame(rows)


def triangulation(context: Any, question: str = "q14") -> pd.DataFrame:
    """:func:`triangulation_table` from the kommun's processed tables (missing sources left out)."""
    from trygghet.sources import police_events
    from trygghet.reports import survey as sa

    def load(table: str) -> pd.DataFrame | None:
        try:
            return tables.load_table(context.kommun, table)
        except TrygghetError:
            return None

    residents = load("resident_reports")
    if residents is not None:
        residents = residents[["created_at", "lat", "lon"]]  # never the free text
    try:
        events = police_events.load_for_report(context.shared_data, context.kommun)
        events = police_events.countable(events).assign(
            incident_time=lambda d: police_events.event_time(d)
        )[["incident_time", "tatort"]]
    except (TrygghetError, OSError, KeyError):
        events = None
    survey = load("survey")
    by_area = kommun_share = weights = None
    if survey is not None:
        current, _ = sa.pick_rounds(survey, context.period)
        if current is not None:
            settings = sa.settings_from(context.config)
            by_area = sa.breakdown(survey, current, "area", question, settings)
            part = sa.in_round(survey, current)
            kommun_share = sa.headline_estimate(part[part["question_id"] == question]).share
            resp = sa.respondents(survey, current)
            w = resp["weight"].astype(float).fillna(1.0)
            weights = (w.groupby(resp["area"].astype(str)).sum() / w.sum()).to_dict()
    return triangulation_table(
        context.config,
        context.period,
        residents=residents,
        police=events,
        est_reports=load("est_reports"),
        survey_by_area=by_area,
        kommun_share=kommun_share,
        weight_share=weights,
    )


def table_html(frame: pd.DataFrame, flag_column: str | None = None) -> str:
    """A small escaped HTML table (no pandas styling: it prints and reads on a projector)."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for _, row in frame.iterrows():
        cells = []
        for c in frame.columns:
            text = html.escape(str(row[c]))
            if c == flag_column and text:
                text = f'<span class="fu-flag">⚑ {text}</span>'
            cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'{_CSS}<table class="fu-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def triangulation_sentence(table: pd.DataFrame) -> str:
    """Which areas are flagged, in words (sentence choice pinned by tests)."""
    if table.empty:
        return "Kommunen har inga områden i konfigurationen, så ingen jämförelse per område går att göra."
    flagged = table[table["flagga"] != ""]
    if flagged.empty:
        return (
            "I inget område pekar enkäten och anmälningarna tydligt åt olika håll. "
            "Anmälda brott finns bara för hela kommunen och kan inte delas upp per område."
        )
    return (
        f"I {join_list(flagged['område'].tolist())} pekar enkätens otrygghet och antalet anmälningar "
        f"och händelser åt olika håll – {FLAG_TEXT}. Anmälda brott finns bara för hela kommunen."
    )


def show_triangulation(context: Any) -> None:
    from trygghet.present import page as report

    table = triangulation(context)
    _display_html(table_html(table, "flagga"))
    report.narrative(triangulation_sentence(table))


# --------------------------------------------------------------------------- since last time


def history_path(kommun: str) -> Path:
    return paths.processed_dir(kommun) / HISTORY_NAME


def history_entry(results: Sequence[PromiseResult], period: int, recorded: str) -> dict[str, Any]:
    """This run's statuses: ``{"period", "recorded", "digest", "statuses": {key: {...}}}``."""
    statuses = {
        r.key: {"name": r.indicator.name, "status": r.status, "text": r.value.text}
        for pr in results
        for r in pr.indicators
    }
    digest = hashlib.sha256(
        json.dumps([period, statuses], sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()[:16]
    return {"period": int(period), "recorded": recorded, "digest": digest, "statuses": statuses}


def load_history(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return list(data.get("runs", []))
    except (OSError, ValueError, AttributeError):
        return []


def previous_entry(history: Sequence[dict], entry: dict) -> dict | None:
    """The latest stored follow-up for this or an earlier period whose content differs."""
    for old in reversed(history):
        if int(old.get("period", 0)) <= entry["period"] and old.get("digest") != entry["digest"]:
            return old
    return None


def record_history(path: Path, entry: dict) -> dict | None:
    """Append ``entry`` unless it equals the latest; return the previous follow-up to compare with."""
    history = load_history(path)
    previous = previous_entry(history, entry)
    if not any(h.get("digest") == entry["digest"] for h in history):
        history.append(entry)
        atomic.write_text(
            Path(path), json.dumps({"runs": history}, ensure_ascii=False, indent=1) + "\n"
        )
    return previous


def changes_since(previous: dict | None, entry: dict) -> pd.DataFrame:
    """Indicators whose status changed, appeared or disappeared since ``previous``."""
    cols = ["indikator", "förra gången", "nu"]
    if previous is None:
        return pd.DataFrame(columns=cols)
    before, now = previous.get("statuses", {}), entry["statuses"]
    rows = []
    for key in list(now) + [k for k in before if k not in now]:
        a, b = before.get(key), now.get(key)
        if a and b and a["status"] == b["status"]:
            continue
        rows.append(
            {
                "indikator": (b or a)["name"],
                "förra gången": f"{SYMBOLS.get(a['status'], '')} {a['status']}"
                if a
                else "fanns inte",
                "nu": f"{SYMBOLS.get(b['status'], '')} {b['status']}" if b else "borttagen",
            }
        )
    return pd.DataFrame(rows, columns=cols)


def since_sentence(previous: dict | None, changes: pd.DataFrame) -> str:
    """The "since last time" text (sentence choice pinned by tests)."""
    if previous is None:
        return (
            "Det finns ingen tidigare uppföljning sparad för kommunen: det här är den första. "
            "Nästa gång jämförs statusen med den här."
        )
    when = f"uppföljningen för {previous['period']} (sparad {fmt_date(previous['recorded'])})"
    if changes.empty:
        return f"Ingen indikator har bytt status sedan {when}."
    return (
        f"Sedan {when} har {plural(len(changes), 'indikator', 'indikatorer')} bytt status "
        "eller tillkommit; se tabellen."
    )


def show_since_last_time(
    context: Any, results: Sequence[PromiseResult], recorded: str | None = None
) -> None:
    """Store this run's statuses and show what changed since the previous follow-up.

    ``recorded`` (default today) is stored with a new entry and shown only when
    a later run compares with it, so a rerun on the same data stays identical.
    """
    import datetime as dt

    from trygghet.present import page as report

    recorded = recorded or dt.date.today().isoformat()
    entry = history_entry(results, context.period, recorded)
    previous = record_history(history_path(context.kommun), entry)
    changes = changes_since(previous, entry)
    report.narrative(since_sentence(previous, changes))
    if not changes.empty:
        _display_html(table_html(changes))


# --------------------------------------------------------------------------- caveats


def caveats(context: Any, results: Sequence[PromiseResult]) -> list[str]:
    """Assumptions and caveats of what this follow-up actually used, in Swedish."""
    out = [
        "Status avgörs av osäkerhetsintervallet: uppfyllt bara när hela 95-procentiga "
        "intervallet ligger på rätt sida om målet; på väg bara vid en statistiskt säker "
        "förbättring sedan basperioden (5 %-nivån). En förändring inom slumpens ram räknas inte.",
        f'Antal under {fmt_int(context.config.min_count)} visas som "fåtal" och bedöms inte '
        "(kommunens gräns för små tal).",
    ]
    used = {r.topic for pr in results for r in pr.indicators}
    origins = {r.value.origin for pr in results for r in pr.indicators}
    if "example" in origins:
        out.insert(0, "EXEMPELDATA: minst en indikator bygger på påhittade exempeldata, inte "
                   "kommunens eller polisens verkliga uppgifter. Siffrorna visar hur rapporten "
                   "fungerar, inte hur det ser ut i kommunen.")  # fmt: skip
    if "est" in used:
        out.append(
            "EST: en återkommande plats har rapporter minst 3 av 6 veckor i rad; den har en "
            "åtgärd om en beslutad åtgärd var öppen eller beslutad inom 13 veckor. Tiden till "
            "åtgärd räknas från första rapporten på platsen inom 13 veckor före beslutet; "
            "medianens intervall bygger på ordningsstatistik."
        )
    if "walks" in used:
        out.append(
            "Trygghetsvandringar: andelen klara i tid räknas bland åtgärder vars sista dag låg i "
            "perioden (avslagna åtgärder räknas inte), med Wilsonintervall. Antalet vandringar är "
            "en räkning, inte en skattning, och har därför inget intervall."
        )
    if "survey" in used:
        from trygghet.reports import survey as sa

        out.append(
            "Trygghetsundersökningen: andelar är viktade; intervallen använder Kishs effektiva "
            "urvalsstorlek och bortser från urvalsdesignens stratifiering. Grupper med färre än "
            f"{fmt_int(sa.settings_from(context.config).min_respondents)} svar visas inte. "
            "Förändringen prövas mot förra omgången med ett viktat test för två andelar."
        )
    if "crime" in used:
        years = ""
        try:
            from trygghet.reports import crime as crime_stats

            cs = crime_stats.analyse_kommun(context.kommun, context.period,
                                            min_count=context.config.min_count)  # fmt: skip
            years = join_list(str(y) for y in cs.population_years)
        except (TrygghetError, ValueError, OSError):
            pass
        out.append(
            "Anmälda brott (Brå) finns bara för hela kommunen, inte per område. Takterna är per "
            "100 000 invånare med exakta Poissonintervall"
            + (f"; folkmängden är SCB:s för {years}" if years else "")
            + ". Anmälda narkotika- och trafikbrott speglar till stor del polisens egna "
            "kontroller: fler anmälda kan betyda fler insatser, inte fler brott."
        )
    if "victims" in used:
        out.append(
            "Brottsofferkontakt: ärenden där veckan ännu inte hade gått ut vid uttaget räknas "
            "varken som i tid eller för sent; andelen har Wilsonintervall."
        )
    out.append(
        "Jämförelsen per område: polisens händelser kan bara knytas till ett område när "
        "händelsen nämner en tätort; invånarnas anmälningar knyts till närmaste område inom "
        f"{fmt_number(AREA_RADIUS_M / 1000)} km. Antal anmälningar mäter vilja och möjlighet att "
        "anmäla, inte otrygghet. Polisens händelser är inte brottsstatistik."
    )
    return out


def caveats_html(items: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(t)}</li>" for t in items) + "</ul>"


def show_caveats(context: Any, results: Sequence[PromiseResult]) -> None:
    _display_html(caveats_html(caveats(context, results)))


def data_banners(context: Any, results: Sequence[PromiseResult]) -> None:
    """One banner per underlying topic, from the ingest manifest (EXEMPELDATA stands out)."""
    from trygghet.present import page as report

    topics = list(dict.fromkeys(r.topic for pr in results for r in pr.indicators))
    for topic in topics:
        origins = {r.value.origin for pr in results for r in pr.indicators if r.topic == topic}
        origin = "example" if "example" in origins else sorted(origins)[0]
        report.banner(TOPIC_LABELS.get(topic, topic), origin)
