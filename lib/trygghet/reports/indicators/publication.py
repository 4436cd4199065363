"""Each report publishes its indicators as records, in its own run; other pages read them.

A kommun's config names, per promise, the indicators that follow it up. Each
indicator function is declared with the report that computes it
(``IndicatorSpec.report``: crime, places, survey, est, victim_contact). That
report's notebook ends with :func:`publish`, which

1. computes the config's indicators of that report (the same functions, the
   same analysis the page shows), decides each status with
   :func:`trygghet.stats.status.decide_status` and the config's target;
2. adds the report's own figures that other pages show (the national
   overview reads each kommun's crime rates and victim-contact share:
   :data:`FIGURES`);
3. writes them as :class:`trygghet.stats.records.IndicatorRecord` to
   ``<records_dir>/<report>.parquet``.

The follow-up and the index pages only read these records
(:func:`trygghet.stats.records.read_folder`); they never recompute a figure.
A value that cannot be computed (a table missing, too little data) is a
record too, "kan inte bedömas" with the reason.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from trygghet.config import Indicator, KommunConfig
from trygghet.errors import ConfigError, TrygghetError
from trygghet.present.swedish import MISSING
from trygghet.reports.indicators import areas, functions
from trygghet.reports.indicators.registry import IndicatorSpec, compute, resolve_function
from trygghet.stats import records
from trygghet.stats.records import FIGURE, PROMISE, IndicatorRecord
from trygghet.stats.status import CANT_SAY, IndicatorValue, decide_status

#: The reports that publish records, by the key a notebook passes to :func:`publish`,
#: with the page's name as readers know it.
REPORTS = {
    "crime": "Anmälda brott (02)",
    "places": "Platser, vandringar och dialoger (03)",
    "survey": "Trygghetsmätningen (04)",
    "est": "EST-lägesbilden (05)",
    "victim_contact": "Kontakt med brottsutsatta (06)",
    "police_events": "Polisens händelser (01)",
}


def spec_of(function: str) -> IndicatorSpec | None:
    """The declaration of a config's indicator function, if it has one."""
    return functions.SPECS.get(function)


def report_of(function: str) -> str:
    """The report that computes the indicator function (empty if undeclared)."""
    spec = spec_of(function)
    return spec.report if spec else ""


# --------------------------------------------------------------------------- checking


def indicator_key(p: int, i: int, part: str = "") -> str:
    """The YAML key of indicator ``i`` of promise ``p`` (0-based), e.g. ``promises[2].indicators[0].params``."""
    return f"promises[{p}].indicators[{i}]" + (f".{part}" if part else "")


def call_params(function: Callable, indicator: Indicator) -> dict[str, Any]:
    """The config's params, plus ``baseline_period`` when the function takes one."""
    params = dict(indicator.params)
    takes = inspect.signature(function).parameters
    if indicator.baseline_period is not None and "baseline_period" in takes:
        params.setdefault("baseline_period", indicator.baseline_period)
    return params


def _reason(exc: ConfigError) -> str:
    return str(exc).split("): ", 1)[-1]


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
                inspect.signature(fn).bind(None, **call_params(fn, ind))
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


# --------------------------------------------------------------------------- values <-> records


def record_id(promise_id: str, indicator_id: str) -> str:
    return f"{promise_id}/{indicator_id}"


def _finite(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def promise_record(
    context: Any,
    promise_id: str,
    indicator: Indicator,
    value: IndicatorValue,
    status: str,
    reason: str,
    report: str,
) -> IndicatorRecord:
    """The record of one config indicator's value and status."""
    spec = spec_of(indicator.function)
    return IndicatorRecord(
        id=record_id(promise_id, indicator.id),
        kind=PROMISE,
        report=report,
        kommun=context.kommun,
        period=int(context.period),
        name=indicator.name,
        definition=spec.definition if spec else "",
        unit=indicator.unit,
        value=_finite(value.value),
        low=_finite(value.low),
        high=_finite(value.high),
        method=spec.method if spec else "",
        n=value.n,
        suppressed=bool(value.too_few),
        exact=bool(value.exact),
        text=value.text,
        detail=value.detail,
        baseline=_finite(value.baseline),
        baseline_period=indicator.baseline_period,
        baseline_suppressed=bool(value.baseline_too_few),
        change=value.change or "",
        promise_id=promise_id,
        indicator_id=indicator.id,
        function=indicator.function,
        direction=indicator.direction,
        target=indicator.target,
        status=status,
        reason=reason,
        origin=value.origin,
        sources=spec.data if spec else "",
    )


def value_of(record: IndicatorRecord) -> IndicatorValue:
    """The record as the value the follow-up's text and tables show."""
    return IndicatorValue(
        value=record.value,
        low=record.low,
        high=record.high,
        n=record.n,
        too_few=record.suppressed,
        baseline=record.baseline,
        change=record.change or None,
        text=record.text,
        origin=record.origin,
        detail=record.detail,
        exact=record.exact,
        baseline_too_few=record.baseline_suppressed,
    )


def promise_records(context: Any, report: str) -> list[IndicatorRecord]:
    """Compute the config's indicators that ``report`` owns, each with its status.

    Missing data make that indicator "kan inte bedömas" with the reason; a
    configuration mistake is an error naming the file and key.
    """
    config: KommunConfig = context.config
    found = check_indicators(config)
    file = config.source_file or f"kommun {config.code}"
    out = []
    for p, promise in enumerate(config.promises):
        for i, ind in enumerate(promise.indicators):
            if report_of(ind.function) != report:
                continue
            fn = found[(p, i)]
            try:
                value = compute(fn, context, call_params(fn, ind), file=file,
                                key=indicator_key(p, i, "params"))  # fmt: skip
                status, reason = decide_status(value, ind.target, ind.direction)
            except ConfigError as exc:
                raise ConfigError(
                    file, exc.key, f"löfte {promise.id}, indikator '{ind.id}': {_reason(exc)}"
                ) from None
            except (TrygghetError, ValueError, KeyError) as exc:
                value = IndicatorValue(value=None, text=MISSING, origin="saknas")
                status, reason = CANT_SAY, f"underlaget saknas eller räcker inte ({exc})"
            out.append(promise_record(context, promise.id, ind, value, status, reason, report))
    return out


# --------------------------------------------------------------------------- report figures


def _crime_figures(context: Any) -> list[IndicatorRecord]:
    """Each crime series' rate of the kommun's latest Brå year (read by the national overview)."""
    from trygghet.reports.indicators.crime_victims import _crime_analysis

    try:
        cs = _crime_analysis(context)  # the analysis the promise indicators used, once
    except (TrygghetError, ValueError, KeyError):
        return []
    out = []
    for row in cs.summary.to_dict("records"):
        series = str(row["series"])
        missing = bool(row.get("missing", False)) or row.get("count") is None
        count = None if missing else _finite(float(row["count"]))
        out.append(
            IndicatorRecord(
                id=f"brott/{series}",
                kind=FIGURE,
                report="crime",
                kommun=context.kommun,
                period=int(cs.year),
                name=f"Anmälda brott per 100 000 invånare: {cs.labels.get(series, series)}",
                definition="Anmälda brott i serien per 100 000 invånare (Brå) under året.",
                unit="per 100 000",
                value=None if missing else _finite(float(row["rate"])),
                low=None if missing else _finite(float(row["low"])),
                high=None if missing else _finite(float(row["high"])),
                method="Exakt Poissonintervall (95 %)",
                n=None if count is None else int(count),
                numerator=count,
                denominator=_finite(float(row["population"])) if not missing else None,
                suppressed=bool(row.get("suppressed", False)) or missing,
                origin=cs.origin,
                sources="bra_crime, population",
                extra=json.dumps({"position": str(row.get("position") or "")}),
            )
        )
    return out


def _victim_figures(context: Any) -> list[IndicatorRecord]:
    """The on-time share with the standard target (7 days), comparable between kommuner."""
    from trygghet.reports import victim_contact as vc

    try:
        cases = vc.cases_in_period(vc.load(context.kommun), context.period)
    except (TrygghetError, ValueError, KeyError):
        return []
    target = vc.Target()
    result = vc.on_time_share(cases, target)
    return [
        IndicatorRecord(
            id="brottsofferkontakt/standardmal",
            kind=FIGURE,
            report="victim_contact",
            kommun=context.kommun,
            period=int(context.period),
            name=f"Brottsutsatta kontaktade inom {target.days} dagar (samma mål för alla kommuner)",
            definition=(
                f"Andelen brottsutsatta som kontaktades inom {target.days} dagar efter att en "
                "utredare tilldelats, bland avgjorda ärenden under året."
            ),
            unit="andel",
            value=_finite(result.share),
            low=_finite(result.low),
            high=_finite(result.high),
            method="Wilsons intervall (95 %)",
            n=int(result.decided),
            numerator=float(result.on_time),
            denominator=float(result.decided),
            suppressed=result.decided < vc.MIN_CASES_FOR_VERDICT,
            origin=_origin(cases),
            sources="victim_contacts",
        )
    ]


def _origin(frame: Any) -> str:
    from trygghet.sources import processed

    return processed.origin(frame) if len(frame) else "example"


def _together(
    *parts: Callable[[Any], list[IndicatorRecord]],
) -> Callable[[Any], list[IndicatorRecord]]:
    def figures(context: Any) -> list[IndicatorRecord]:
        return [record for part in parts for record in part(context)]

    return figures


#: Figures a report publishes for other pages, beside its promise indicators: the
#: national overview's crime rates and victim-contact share, the triangulation's
#: per-area counts and shares (:mod:`trygghet.reports.indicators.areas`).
FIGURES: dict[str, Callable[[Any], list[IndicatorRecord]]] = {
    "crime": _together(_crime_figures, areas.AREA_FIGURES["crime"]),
    "victim_contact": _victim_figures,
    **{r: f for r, f in areas.AREA_FIGURES.items() if r != "crime"},
}


# --------------------------------------------------------------------------- publishing


@contextlib.contextmanager
def _sharing(context: Any):
    """Let the indicators of one call share their report's analysis (``functions._shared``)."""
    proxy = _SharingContext(context)
    try:
        yield proxy
    finally:
        proxy.indicator_cache.clear()


class _SharingContext:
    """The caller's context with a cache beside it (the context itself may be frozen)."""

    def __init__(self, context: Any) -> None:
        self._context = context
        self.indicator_cache: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)


def records_of(context: Any, report: str) -> list[IndicatorRecord]:
    """Every record ``report`` publishes for the context's kommun and period."""
    if report not in REPORTS:
        raise TrygghetError(
            f"Okänd rapport '{report}' för indikatorposter (kända: {', '.join(REPORTS)})."
        )
    with _sharing(context) as shared_context:
        return _records_shared(shared_context, report)


def _records_shared(shared_context: Any, report: str) -> list[IndicatorRecord]:
    figures = FIGURES.get(report)
    found = promise_records(shared_context, report)
    return found + (figures(shared_context) if figures else [])


def records_folder(context: Any) -> Path:
    """The context's records folder (a page context knows it; others use the published one)."""
    from trygghet import paths

    folder = getattr(context, "records_folder", None)
    return Path(folder) if folder else paths.records_dir(context.kommun, context.period)


#: The analysis a report's page computes, by report: the key its indicators and
#: views share it under (``functions._shared``) and the class it must be.
PAGE_ANALYSES: dict[str, tuple[str, str]] = {
    "crime": ("crime", "trygghet.reports.crime.analysis.CrimeStats"),
    "places": ("places", "trygghet.reports.places.analysis.PlacesAnalysis"),
    "est": ("est", "trygghet.reports.est.data.EstData"),
}


def publish(context: Any, report: str, analysis: Any = None) -> None:
    """Compute and write ``report``'s records into the context's records folder.

    ``analysis`` is the page's own analysis (:data:`PAGE_ANALYSES`), built by the
    same call the indicators would make: given, the records and the follow-up's
    views are read from it instead of computing it once more, so they are the
    page's numbers by construction (and ~0,3 s of each such report is saved).
    The page then shows the report's promise indicators exactly as the
    follow-up will (:mod:`trygghet.reports.indicators.shown`).
    """
    folder = records_folder(context)
    target = records.report_file(folder, report)
    records.failed_file(folder, report).unlink(missing_ok=True)
    from trygghet.reports.indicators.views import publish_views

    if report not in REPORTS:
        records_of(context, report)  # the error naming the known reports
    with _sharing(context) as shared_context:  # records and views share one analysis
        if analysis is not None:
            shared_context.indicator_cache[_page_analysis_key(context, report, analysis)] = analysis
        found = _records_shared(shared_context, report)
        records.write(target, found)
        publish_views(shared_context, report, folder)  # the follow-up's key views of this report
    promised = [r for r in found if r.kind == PROMISE]
    if promised:
        from IPython.display import HTML, display

        from trygghet.reports.indicators.shown import records_table_html

        display(HTML(records_table_html(promised, value_of)))


def _page_analysis_key(context: Any, report: str, analysis: Any) -> str:
    """The cache key of a page's analysis, after checking it is the one its indicators use."""
    if report not in PAGE_ANALYSES:
        raise TrygghetError(
            f"Rapporten '{report}' tar ingen analys från sidan (det gör: {', '.join(PAGE_ANALYSES)})."
        )
    key, class_path = PAGE_ANALYSES[report]
    kind = f"{type(analysis).__module__}.{type(analysis).__qualname__}"
    wrong = (
        f"är en {type(analysis).__name__}, inte {class_path.rsplit('.', 1)[1]}"
        if kind != class_path
        else _mismatch(context, analysis)
    )
    if wrong:
        raise TrygghetError(f"Analysen som gavs till publish för '{report}' {wrong}.")
    return key


def _mismatch(context: Any, analysis: Any) -> str | None:
    """Why ``analysis`` is not the context's kommun and period, as far as it says; else None."""
    for field_name, expected in (("kommun", context.kommun), ("period", context.period)):
        found = getattr(analysis, field_name, expected)
        if str(found) != str(expected):
            return f"gäller {field_name} {found}, sidan {expected}"
    return None
