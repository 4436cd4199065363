"""Indicator functions by name: the ``module.function`` a kommun's config writes.

A kommun's config names, per indicator, the library function that computes it
(``promise_indicators.est_repeat_places_with_measure``,
``victim_contact.on_time_indicator``). The names are part of the config
format, so they stay stable when the code moves: :data:`INDICATOR_MODULES`
maps the module names configs use to where the functions live now; any other
module name is looked up as ``trygghet.<module>``.

Each function takes the report context and the indicator's params and returns
a :class:`trygghet.stats.status.IndicatorValue`.

What a function takes from the config is declared once, next to the function,
as an :class:`IndicatorSpec` (its params, :class:`Param`, with their types and allowed
values, its unit): ``trygghet.reports.indicators.functions.SPECS``. The
pipeline validates every kommun's params against these declarations when the
config is loaded (:mod:`trygghet.pipeline.validate`) and ``docs/config.md`` is
generated from them, so the check and the documentation cannot disagree.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from trygghet.errors import ConfigError
from trygghet.stats.status import IndicatorValue

#: The module names a kommun's config may use for indicator functions, and
#: where they live in the library. Config files name functions as
#: ``module.function``; the names stay stable when the code moves.
INDICATOR_MODULES = {
    "promise_indicators": "trygghet.reports.indicators.functions",
    "victim_contact": "trygghet.reports.victim_contact",
}

IndicatorFunction = Callable[..., IndicatorValue]


@dataclass(frozen=True)
class Param:
    """One parameter an indicator function takes from the config (``params: {name: value}``).

    ``choices`` returns the allowed values and what each means (called when
    needed: the lists live in the leaf reports); ``several`` allows a
    comma-separated list of them; ``of_config="areas"`` means the values are
    names of the kommun's own ``areas``.
    """

    name: str
    kind: Literal["text", "integer", "number", "boolean"]
    default: Any
    description: str
    choices: Callable[[], Mapping[str, str]] | None = None
    several: bool = False
    of_config: Literal["areas"] | None = None
    minimum: float | None = None


@dataclass(frozen=True)
class IndicatorSpec:
    """What a config may write for one indicator function, and what the function gives back.

    ``share``: the value is a share between 0 and 1, so a ``target`` is too.
    ``baseline``: how ``baseline_period`` is used (empty: the function takes none).
    ``report``: the report (leaf package) whose run computes the indicator and
    publishes it as a record (:mod:`trygghet.reports.indicators.publication`);
    ``definition`` (Swedish) says what is counted and is shown wherever the
    number is shown; ``method`` (Swedish) names the interval's and the test's method.
    """

    name: str
    summary: str
    unit: str
    data: str
    params: tuple[Param, ...] = ()
    share: bool = False
    baseline: str = ""
    report: str = ""
    definition: str = ""
    method: str = ""


def resolve_function(dotted: str, *, file: str, key: str) -> IndicatorFunction:
    """The library function named ``module.function`` (relative to ``trygghet``).

    A name that does not resolve is a configuration error naming the promise
    and the key, because a typo there would silently drop an indicator.
    """
    module_name, _, function_name = dotted.rpartition(".")
    if not module_name:
        raise ConfigError(file, key, f"'{dotted}' ska skrivas som 'modul.funktion'")
    try:
        module = importlib.import_module(
            INDICATOR_MODULES.get(module_name, f"trygghet.{module_name}")
        )
    except ModuleNotFoundError:
        raise ConfigError(file, key, f"modulen '{module_name}' finns inte i biblioteket") from None
    function = getattr(module, function_name, None)
    if not callable(function):
        raise ConfigError(file, key, f"funktionen '{function_name}' finns inte i '{module_name}'")
    return function


def compute(
    function: IndicatorFunction, context: Any, params: dict[str, Any], *, file: str, key: str
) -> IndicatorValue:
    """Call an indicator function; a wrong parameter is a config error, not a crash."""
    try:
        return function(context, **params)
    except TypeError as exc:
        raise ConfigError(file, key, f"fel parametrar till indikatorn: {exc}") from None
