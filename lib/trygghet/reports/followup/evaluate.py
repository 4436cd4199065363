"""Checking the promise indicators of a kommun's config, computing them and deciding status.

The kommun's config lists, per promise, the indicators that follow it up
(:class:`trygghet.config.Indicator`). This module

1. **checks** every indicator before computing anything (:func:`check_indicators`):
   an unknown function or a parameter the function does not take is a
   :class:`~trygghet.errors.ConfigError` naming the file, the promise and the
   key (``promises[2].indicators[0].params``);
2. **computes** each indicator with its library function
   (:mod:`trygghet.reports.followup.registry`) and decides its status with
   :func:`trygghet.stats.status.decide_status` (:func:`evaluate`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from trygghet.config import Indicator, KommunConfig, Promise
from trygghet.errors import ConfigError, TrygghetError
from trygghet.present.swedish import MISSING
from trygghet.reports.followup.registry import compute, resolve_function
from trygghet.stats.status import (
    CANT_SAY,
    MET,
    NOT_MET,
    ON_TRACK,
    IndicatorValue,
    decide_status,
)


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


def status_counts(results: Sequence[PromiseResult]) -> dict[str, int]:
    counts = {s: 0 for s in (MET, ON_TRACK, NOT_MET, CANT_SAY)}
    for pr in results:
        for r in pr.indicators:
            counts[r.status] += 1
    return counts
