"""Promises 3 and 4: reported crime per 100 000 (Brå) and victims contacted on time.

They follow the conventions of :mod:`trygghet.reports.indicators.functions`
(configs name them ``promise_indicators.<function>``, declared with
``@_declared``) and read everything through the crime and victim-contact
reports, so the follow-up and the reports cannot disagree.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from trygghet.present.swedish import MISSING, NBSP, fmt_number
from trygghet.reports.indicators import functions as _core
from trygghet.reports.indicators.registry import IndicatorSpec, Param
from trygghet.stats.proportions import two_proportion_test
from trygghet.stats.rates import rate_ratio_test
from trygghet.stats.status import IndicatorValue

_declared = _core._declared
_min_count = _core._min_count
_none_if_nan = _core._none_if_nan
_shared = _core._shared
_crime_series = _core._crime_series
tested_change = _core.tested_change
SPECS = _core.SPECS
_SHARE_TEST = _core._SHARE_TEST


# --------------------------------------------------------------------------- promise 3: crime


def _crime_analysis(context: Any):
    from trygghet.reports import crime as crime_stats

    return _shared(
        context,
        "crime",
        lambda: crime_stats.analyse_kommun(
            context.kommun, context.period, min_count=_min_count(context)
        ),
    )


@_declared(
    report="crime",
    definition="Anmälda brott i serien per 100 000 invånare (Brå), senaste året till och med perioden.",
    method="Exakt Poissonintervall (95 %); förändring: exakt villkorligt Poissontest med folkmängden som exponering",
    summary="Reported crimes of one series per 100 000 inhabitants (Brå), latest year up to "
    "the period, with an exact Poisson interval and the comparison group's rate.",
    unit="per 100 000",
    data="bra_crime, population",
    baseline="tested with the exact conditional Poisson test (populations as exposure) "
    "against baseline_period",
    params=(
        Param(
            "series",
            "text",
            "narkotikabrott",
            "The crime series (Brå's categories).",
            choices=_crime_series,
        ),
    ),
)
def reported_crime_rate(
    context: Any, series: str = "narkotikabrott", baseline_period: int | None = None
) -> IndicatorValue:
    """Promise 3: reported crimes of ``series`` per 100 000 (Brå), exact Poisson CI.

    The value is the latest Brå year up to the period; ``detail`` names the
    comparison group's pooled rate and the funnel position
    (:func:`trygghet.reports.crime.analyse`). The change against
    ``baseline_period`` is :func:`trygghet.stats.rates.rate_ratio_test` on the counts
    with the populations as exposure.
    """
    from trygghet.reports import crime as crime_stats

    if series not in crime_stats.SERIES:
        raise TypeError(f"okänd brottsserie {series!r} (t.ex. {', '.join(crime_stats.SERIES)})")
    cs = _crime_analysis(context)
    if series not in cs.labels:
        return IndicatorValue(value=None, too_few=True, text=MISSING, origin=cs.origin,
                              detail="Serien finns inte i Brå-underlaget.")  # fmt: skip
    row = cs.summary[cs.summary["series"] == series].iloc[0]
    missing = bool(row.get("missing", False)) or pd.isna(row.get("count"))
    suppressed = bool(row.get("suppressed", False)) if not missing else True
    baseline, change, base_few = None, None, False
    if baseline_period is not None and not missing:
        own = cs.series_rows(series)
        base = own[own["year"] == int(baseline_period)]
        if len(base) and not bool(base["missing"].iloc[0]) and pd.notna(base["population"].iloc[0]):
            b = base.iloc[0]
            baseline = _none_if_nan(float(b["rate"]))
            base_few = int(b["count"]) < _min_count(context)  # e.g. one crime: "fåtal", not "16"
            test = rate_ratio_test(
                int(row["count"]), float(row["population"]), int(b["count"]), float(b["population"])
            )
            change = tested_change(float(test.p_value), float(row["rate"]) - float(b["rate"]))
    position = crime_stats.POSITION_TEXT.get(row.get("position"), "")
    group = row.get("group_rate")
    detail = f"Brå {cs.year}."
    if pd.notna(group):
        detail += f" Jämförelsegruppen: {fmt_number(float(group))} per 100{NBSP}000"
        detail += f" (kommunen {position})." if position else "."
    return IndicatorValue(
        value=None if missing else float(row["rate"]),
        low=None if missing else _none_if_nan(float(row["low"])),
        high=None if missing else _none_if_nan(float(row["high"])),
        n=None if missing else int(row["count"]),
        too_few=suppressed,
        baseline=baseline,
        baseline_too_few=base_few,
        change=change,
        text=MISSING if suppressed else f"{fmt_number(float(row['rate']))} per 100{NBSP}000",
        origin=cs.origin,
        detail=detail,
    )


# --------------------------------------------------------------------------- promise 4: victims


_TARGET_DAYS = Param(
    "target_days",
    "integer",
    7,
    "The promise's limit in days from an investigator being assigned to the victim being "
    "contacted.",
    minimum=1,
)


@_declared(
    report="victim_contact",
    definition="Andelen brottsutsatta som kontaktades inom målets antal dagar efter att en utredare tilldelats, bland ärenden där det kan avgöras (pågående ärenden räknas som censurerade).",
    method="Wilsons intervall (95 %); förändring mot basåret: test av två andelar",
    summary="Share of victims contacted within target_days of an investigator being assigned, "
    "open cases censored, with a Wilson interval.",
    unit="andel",
    data="victim_contacts",
    share=True,
    baseline=_SHARE_TEST,
    params=(_TARGET_DAYS,),
)
def victim_contact_on_time(
    context: Any, target_days: int = 7, baseline_period: int | None = None
) -> IndicatorValue:
    """Promise 4: share contacted within ``target_days``; delegates to ``victim_contact``.

    The value is :func:`trygghet.reports.victim_contact.on_time_indicator`; this adds
    the baseline year's share and the tested change.
    """
    from trygghet.reports import victim_contact as vc

    value = vc.on_time_indicator(context, target_days=target_days)
    if baseline_period is None:
        return value
    target = vc.Target(days=int(target_days), min_count=_min_count(context))
    cases = vc.load(context.kommun)
    before = vc.on_time_share(vc.cases_in_period(cases, int(baseline_period)), target)
    now = vc.on_time_share(vc.cases_in_period(cases, context.period), target)
    if before.decided == 0:
        return value
    change = None
    if now.decided > 0:
        test = two_proportion_test(now.on_time, now.decided, before.on_time, before.decided)
        change = tested_change(test.p_value, test.difference)
    return replace(
        value,
        baseline=before.on_time / before.decided,
        baseline_too_few=before.decided < _min_count(context),
        change=change,
    )


#: The victim-contact report's own function (the value of the one above, without
#: a baseline): configs may name it as ``victim_contact.on_time_indicator``.
SPECS["victim_contact.on_time_indicator"] = IndicatorSpec(
    name="victim_contact.on_time_indicator",
    summary="As promise_indicators.victim_contact_on_time, without a baseline (the victim-"
    "contact report's own function).",
    unit="andel",
    data="victim_contacts",
    share=True,
    params=(_TARGET_DAYS,),
    report="victim_contact",
    definition=SPECS["promise_indicators.victim_contact_on_time"].definition,
    method="Wilsons intervall (95 %)",
)
