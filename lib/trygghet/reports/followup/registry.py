"""Indicator functions by name: the ``module.function`` a kommun's config writes.

A kommun's config names, per indicator, the library function that computes it
(``promise_indicators.est_repeat_places_with_measure``,
``victim_contact.on_time_indicator``). The names are part of the config
format, so they stay stable when the code moves: :data:`INDICATOR_MODULES`
maps the module names configs use to where the functions live now; any other
module name is looked up as ``trygghet.<module>``.

Each function takes the report context and the indicator's params and returns
a :class:`trygghet.stats.status.IndicatorValue`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from trygghet.errors import ConfigError
from trygghet.stats.status import IndicatorValue

#: The module names a kommun's config may use for indicator functions, and
#: where they live in the library. Config files name functions as
#: ``module.function``; the names stay stable when the code moves.
INDICATOR_MODULES = {
    "promise_indicators": "trygghet.reports.followup.indicators",
    "victim_contact": "trygghet.reports.victim_contact",
}

IndicatorFunction = Callable[..., IndicatorValue]


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
