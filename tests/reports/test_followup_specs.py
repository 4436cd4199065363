"""Each indicator function's declaration (params, defaults, unit) matches the function itself."""

from __future__ import annotations

import inspect

import pytest

from trygghet.reports import followup
from trygghet.reports.indicators import functions as indicators
from trygghet.reports.indicators.registry import IndicatorSpec

SPECS = sorted(indicators.SPECS.items())


def test_every_public_indicator_function_is_declared():
    functions = {
        f"promise_indicators.{name}"
        for name, fn in vars(indicators).items()
        if inspect.isfunction(fn)
        and fn.__module__ == indicators.__name__
        and not name.startswith("_")
        and list(inspect.signature(fn).parameters)[:1] == ["context"]
    }
    assert functions <= set(indicators.SPECS)


@pytest.mark.parametrize(("name", "spec"), SPECS, ids=[n for n, _ in SPECS])
def test_declared_params_are_the_functions_own(name, spec: IndicatorSpec):
    function = followup.resolve_function(name, file="f", key="k")
    signature = inspect.signature(function).parameters
    taken = [p for p in signature if p not in ("context", "baseline_period")]
    assert [p.name for p in spec.params] == taken
    for param in spec.params:
        assert signature[param.name].default == param.default
        kind = {"text": str, "integer": int, "number": float, "boolean": bool}[param.kind]
        assert isinstance(param.default, kind)
        if param.choices is not None:
            assert param.default == "" or param.default in param.choices()
    assert bool(spec.baseline) == ("baseline_period" in signature)
    assert spec.name == name and spec.unit and spec.summary and spec.data


def test_declaring_does_not_wrap_the_function():
    fn = followup.resolve_function("promise_indicators.reported_crime_rate", file="f", key="k")
    assert fn is indicators.reported_crime_rate
    assert not hasattr(fn, "__wrapped__")
