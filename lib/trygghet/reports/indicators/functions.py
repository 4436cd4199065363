"""The standard indicator functions that a kommun's config can name for its promises.

Each function has the signature ``f(context, **params) -> IndicatorValue`` (see
:mod:`trygghet.stats.status`) and adapts one of the analysis modules: it loads
the processed tables through that module and reuses its functions, so that the
follow-up and the analysis report can never disagree on a figure. A kommun
names them in its config as ``promise_indicators.<function>``.

Every function takes ``baseline_period`` (the indicator's ``baseline_period``
from the config, passed in by :mod:`trygghet.reports.followup`); where a baseline
exists the change since then is *tested* and reported as ``"up"``, ``"down"``
or ``"none"`` (5 % level), so that the status rule can tell progress from noise:

* shares (EST places with a measure, walk observations on time, victims
  contacted on time): :func:`trygghet.stats.proportions.two_proportion_test`;
* counts and rates (walks held, reported crime): the exact conditional
  Poisson test :func:`trygghet.stats.rates.rate_ratio_test`;
* survey shares: the weighted test of :func:`trygghet.reports.survey.compare_rounds`
  (previous round, or the round ``baseline_period`` when given);
* medians of delays (weeks from report to measure): the Mann–Whitney test.

Fewer cases than the kommun's ``min_count`` give ``too_few`` ("för få för att
säga"): the value is still computed but the status is "kan inte bedömas".

What each function takes from the config is declared next to it
(``@_declared(...)``, collected in :data:`SPECS`): the pipeline validates every
kommun's params against it and ``docs/config.md`` is generated from it. The
declaration only records; it does not wrap or change the function.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from trygghet.present.swedish import (
    MISSING,
    fmt_date,
    fmt_int,
    fmt_number,
    fmt_percent,
    plural,
)
from trygghet.reports.indicators.registry import IndicatorSpec, Param
from trygghet.sources import processed
from trygghet.stats.medians import median_ci
from trygghet.stats.proportions import two_proportion_test, wilson_ci
from trygghet.stats.rates import rate_ratio_test
from trygghet.stats.status import IndicatorValue

#: Level of every interval and test here.
LEVEL = 0.95
ALPHA = 0.05

#: Every indicator function a config may name, by that name
#: (``promise_indicators.<function>``): its params, unit and data.
SPECS: dict[str, IndicatorSpec] = {}

_SHARE_TEST = "tested with the two-proportion test against the share in baseline_period"
_COUNT_TEST = "tested with the exact conditional Poisson test against baseline_period"


def _declared(**spec: Any) -> Callable:
    """Record what the function below takes from the config; the function is returned as it is."""

    def record(function: Callable) -> Callable:
        name = f"promise_indicators.{function.__name__}"
        SPECS[name] = IndicatorSpec(name=name, **spec)
        return function

    return record


def _crime_series() -> dict[str, str]:
    from trygghet.reports import crime

    return dict(crime.SERIES)


def _survey_questions() -> dict[str, str]:
    from trygghet.reports import survey as sa

    return {qid: question.text for qid, question in sa.QUESTION_BY_ID.items()}


# --------------------------------------------------------------------------- helpers


def tested_change(p_value: float, difference: float) -> str:
    """``"up"``/``"down"`` when the test rejected "no change" at 5 %, else ``"none"``."""
    if not np.isfinite(p_value) or p_value >= ALPHA or difference == 0 or math.isnan(difference):
        return "none"
    return "up" if difference > 0 else "down"


def _none_if_nan(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def share_value(
    successes: int,
    n: int,
    min_count: int,
    origin: str,
    *,
    baseline: tuple[int, int] | None = None,
    detail: str = "",
) -> IndicatorValue:
    """A share ``successes / n`` with its Wilson interval, tested against a baseline share."""
    share = successes / n if n else math.nan
    low, high = wilson_ci(successes, n, LEVEL) if n else (math.nan, math.nan)
    too_few = n < min_count
    base_share, change, base_few = None, None, False
    if baseline is not None and baseline[1] > 0:
        base_share = baseline[0] / baseline[1]
        base_few = baseline[1] < min_count
        if n > 0:
            test = two_proportion_test(successes, n, baseline[0], baseline[1], LEVEL)
            change = tested_change(test.p_value, test.difference)
    return IndicatorValue(
        value=_none_if_nan(share),
        low=_none_if_nan(low),
        high=_none_if_nan(high),
        n=int(n),
        too_few=too_few,
        baseline=base_share,
        baseline_too_few=base_few,
        change=change,
        text=MISSING if too_few or not n else fmt_percent(share),
        origin=origin,
        detail=detail,
    )


def _min_count(context: Any) -> int:
    return int(context.config.min_count)


# --------------------------------------------------------------------------- promise 1: EST


def _shared(context: Any, key: str, build: Callable[[], Any]) -> Any:
    """``build()`` once per publishing call: indicators of one report share its analysis.

    :func:`trygghet.reports.indicators.publication.records_of` gives the context a
    fresh ``indicator_cache`` for each call, so nothing is kept between runs.
    """
    cache = getattr(context, "indicator_cache", None)
    if cache is None:
        return build()
    if key not in cache:
        cache[key] = build()
    return cache[key]


def _recurring_definition() -> str:
    """The EST report's one definition of a recurring place (shown with the indicator)."""
    from trygghet.reports import est

    return est.RECURRING_DEFINITION


def _est_data(context: Any):
    from trygghet.reports import est

    return _shared(context, "est", lambda: est.load(context))


@_declared(
    report="est",
    definition="Andelen av årets återkommande EST-platser som fick en beslutad åtgärd. "
    + _recurring_definition(),
    method="Wilsons intervall (95 %); förändring mot basåret: test av två andelar",
    summary="Share of EST repeat places (hotspots) of the year that got a decided measure, "
    "with a Wilson interval.",
    unit="andel",
    data="est_reports, est_measures",
    share=True,
    baseline=_SHARE_TEST,
)
def est_repeat_places_with_measure(
    context: Any, baseline_period: int | None = None
) -> IndicatorValue:
    """Promise 1: share of EST repeat places (hotspots) with a decided measure, Wilson CI."""
    from trygghet.reports import est

    data = _est_data(context)
    k, n = est.repeat_places_with_measure(data, context.period)
    base = None
    if baseline_period is not None and est.year_weeks(data, int(baseline_period)):
        base = est.repeat_places_with_measure(data, int(baseline_period))
    detail = (
        f"{fmt_int(k)} av {plural(n, 'återkommande plats', 'återkommande platser')} "
        f"hade en beslutad åtgärd under {context.period}."
        if n >= _min_count(context)
        else f"Färre än {fmt_int(_min_count(context))} återkommande platser under {context.period}."
    )
    return share_value(k, n, _min_count(context), data.origin, baseline=base, detail=detail)


@_declared(
    report="est",
    definition="Medianen av antalet veckor från den första EST-rapporten på en plats till åtgärden som beslutades där, för årets beslutade åtgärder.",
    method="Fördelningsfritt intervall för medianen (ordningsstatistika, minst 95 % täckning); förändring: Mann–Whitneys test",
    summary="Median weeks from the first EST report at a place to the measure decided there, "
    "with a distribution-free interval.",
    unit="veckor",
    data="est_reports, est_measures",
    baseline="tested with the Mann–Whitney test against the delays of baseline_period",
)
def est_weeks_to_measure(context: Any, baseline_period: int | None = None) -> IndicatorValue:
    """Promise 1: median weeks from report to decided measure (order-statistic CI)."""
    from trygghet.reports import est

    data = _est_data(context)
    now = est.weeks_to_measure(data, context.period)
    med, low, high = median_ci(now)
    too_few = len(now) < _min_count(context)
    detail = (
        f"{plural(len(now), 'åtgärd', 'åtgärder')} beslutades under {context.period} "
        "efter rapporter på samma plats."
    )
    if now and math.isnan(low):
        detail += (
            f" Med {plural(len(now), 'värde', 'värden')} finns inget intervall för medianen med minst "
            f"{fmt_percent(LEVEL)} täckning, så den kan inte bedömas."
        )
    baseline, change, base_few = None, None, False
    if baseline_period is not None:
        before = est.weeks_to_measure(data, int(baseline_period))
        if before:
            baseline = float(np.median(before))
            base_few = len(before) < _min_count(context)
            if now:
                p = stats.mannwhitneyu(now, before, alternative="two-sided").pvalue
                change = tested_change(float(p), med - baseline)
    return IndicatorValue(
        value=_none_if_nan(med),
        low=_none_if_nan(low),
        high=_none_if_nan(high),
        n=len(now),
        too_few=too_few,
        baseline=baseline,
        baseline_too_few=base_few,
        change=change,
        text=MISSING if too_few or not now else f"{fmt_number(med, 1)} veckor",
        origin=data.origin,
        detail=detail,
    )


# --------------------------------------------------------------------------- promise 2: places


def _walks(context: Any) -> pd.DataFrame:
    return processed.load_table(context.kommun, "safety_walks")


def walks_in(walks: pd.DataFrame, year: int) -> int:
    """Number of distinct walks held in ``year``."""
    held = walks[pd.to_datetime(walks["walk_date"]).dt.year == int(year)]
    return int(held["walk_id"].nunique())


@_declared(
    report="places",
    definition="Antalet genomförda trygghetsvandringar under året (en fullständig räkning).",
    method="Fullständig räkning, inget intervall; förändring: exakt villkorligt Poissontest",
    summary="Number of safety walks held in the period (a count: no interval).",
    unit="antal",
    data="safety_walks",
    baseline=_COUNT_TEST,
)
def safety_walks_held(context: Any, baseline_period: int | None = None) -> IndicatorValue:
    """Promise 2: safety walks held in the period (a count, not an estimate: no interval).

    The change against the baseline year is the exact Poisson test on the two
    counts; with a handful of walks a year it almost never says "säker förändring".
    """
    walks = _walks(context)
    n = walks_in(walks, context.period)
    baseline, change = None, None
    if baseline_period is not None:
        b = walks_in(walks, int(baseline_period))
        baseline = float(b)
        test = rate_ratio_test(n, 1.0, b, 1.0, LEVEL)
        change = tested_change(float(test.p_value), n - b)
    return IndicatorValue(
        value=float(n),
        low=float(n),
        high=float(n),
        n=n,
        exact=True,  # every walk held is counted: a full count, not an estimate
        baseline=baseline,
        change=change,
        text=plural(n, "vandring", "vandringar"),
        origin=processed.origin(walks),
    )


@_declared(
    report="places",
    definition="Andelen av åtgärderna från trygghetsvandringarna med sista dag under året som var klara senast sista dagen.",
    method="Wilsons intervall (95 %); förändring mot basåret: test av två andelar",
    summary="Share of the measures from safety walks, due in the period, that were done by "
    "their deadline, with a Wilson interval.",
    unit="andel",
    data="safety_walks",
    share=True,
    baseline=_SHARE_TEST,
)
def walk_observations_on_time(context: Any, baseline_period: int | None = None) -> IndicatorValue:
    """Promise 2: share of walk measures done by their deadline (:func:`places.completion_by`)."""
    from trygghet.reports import places

    walks = _walks(context)

    def counts(year: int) -> tuple[int, int]:
        c = places.completion_by(walks, None, year, places.as_of_date(year))
        return (int(c["on_time"].sum()), int(c["due"].sum())) if len(c) else (0, 0)

    k, n = counts(context.period)
    base = counts(int(baseline_period)) if baseline_period is not None else None
    as_of = places.as_of_date(context.period)
    detail = (
        f"{fmt_int(k)} av {plural(n, 'åtgärd', 'åtgärder')} med sista dag under "
        f"{context.period} var klara i tid (bedömt den {fmt_date(as_of)})."
    )
    return share_value(
        k, n, _min_count(context), processed.origin(walks), baseline=base, detail=detail
    )


from trygghet.reports.indicators import dialogues as _dialogues  # noqa: E402


def __getattr__(name: str) -> Any:
    """Indicators declared in the sibling modules, by the names configs use."""
    if name.startswith("dialogue_") and hasattr(_dialogues, name):
        return getattr(_dialogues, name)
    if not name.startswith("_") and hasattr(_crime_victims, name):
        return getattr(_crime_victims, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@_declared(
    report="survey",
    definition="Den viktade andelen svarande i senaste trygghetsmätningen till och med året som svarade att de känner sig otrygga (enkätfrågan i indikatorns inställningar).",
    method="Viktat intervall (Kish effektiva urvalsstorlek, 95 %); förändring: trygghetsrapportens viktade test mot föregående omgång",
    summary="The safety survey's headline share for one question (e.g. insecure out alone "
    "late in the evening) in the latest round up to the period, with a weighted interval.",
    unit="andel",
    data="survey",
    share=True,
    baseline="compared with the previous round, or with round baseline_period if the data "
    "has it, by the weighted test of the survey report",
    params=(
        Param(
            "question",
            "text",
            "q14",
            "The survey question whose headline share is followed.",
            choices=_survey_questions,
        ),
        Param(
            "areas",
            "text",
            "",
            "Restrict to these survey areas, comma-separated ('Kopparberg, Ställdalen'); "
            "empty = the whole kommun.",
            several=True,
            of_config="areas",
        ),
    ),
)
def survey_insecurity(
    context: Any,
    question: str = "q14",
    areas: str = "",
    baseline_period: int | None = None,
) -> IndicatorValue:
    """Promise 2: the survey's headline share (default q14, insecurity out alone at night).

    ``areas``: comma-separated survey areas to restrict to ("the surveyed
    areas" of the promise); empty = the whole kommun. The value is the latest
    round up to the period, with the weighted (Kish) interval; the baseline is
    the previous round (or round ``baseline_period`` if the data has it), and
    the change is :func:`trygghet.reports.survey.compare_rounds`' weighted test.
    """
    from trygghet.reports import survey as sa

    survey = sa.load(context.kommun)
    origin = processed.origin(survey)
    wanted = [a.strip() for a in str(areas).split(",") if a.strip()]
    if wanted:
        unknown = sorted(set(wanted) - set(survey["area"].astype(str)))
        if unknown:
            raise TypeError(f"okända områden i 'areas': {', '.join(unknown)}")
        survey = survey[survey["area"].astype(str).isin(wanted)]
    if question not in sa.QUESTION_BY_ID:
        raise TypeError(f"okänd enkätfråga {question!r}")
    settings = sa.settings_from(context.config)
    current, previous = sa.pick_rounds(survey, context.period)
    if (
        baseline_period is not None
        and int(baseline_period) in sa.rounds(survey)
        and current is not None
        and int(baseline_period) < current
    ):
        previous = int(baseline_period)
    if current is None:
        return IndicatorValue(value=None, too_few=True, text=MISSING, origin=origin,
                              detail="Ingen enkätomgång till och med perioden.")  # fmt: skip
    part = sa.in_round(survey, current)
    est_now = sa.headline_estimate(part[part["question_id"] == question])
    too_few = est_now.n < settings.min_respondents
    baseline, change = None, None
    where = "i " + ", ".join(wanted) if wanted else "i hela kommunen"
    detail = f"Enkätomgång {current} {where}"
    if previous is not None:
        table = sa.compare_rounds(survey, current, previous, settings)
        row = table[table["question_id"] == question].iloc[0]
        baseline = _none_if_nan(row.get("share_prev"))
        if row["verdict"] in (sa.IMPROVED, sa.WORSENED, sa.NO_CHANGE):
            change = "none" if row["verdict"] == sa.NO_CHANGE else (
                "up" if float(row["diff"]) > 0 else "down")  # fmt: skip
        elif row["verdict"] == sa.TOO_FEW:
            too_few = True
        detail += f", jämförd med omgång {previous} ({row['verdict']})."
    else:
        detail += "; ingen tidigare omgång att jämföra med."
    return IndicatorValue(
        value=_none_if_nan(est_now.share),
        low=_none_if_nan(est_now.low),
        high=_none_if_nan(est_now.high),
        n=int(est_now.n),
        too_few=too_few,
        baseline=baseline,
        change=change,
        text=MISSING if too_few else fmt_percent(est_now.share),
        origin=origin,
        detail=detail,
    )


# Promises 3 and 4 (reported crime, victims) live in :mod:`.crime_victims`; importing it
# here registers their declarations after the ones above, in the config's order.
from trygghet.reports.indicators import crime_victims as _crime_victims  # noqa: E402
