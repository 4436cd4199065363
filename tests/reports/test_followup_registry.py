"""Indicator functions by the name a kommun's config gives them."""

from __future__ import annotations

import pytest

from trygghet.errors import ConfigError
from trygghet.reports import victim_contact
from trygghet.reports.indicators import functions as indicators
from trygghet.reports.indicators.registry import resolve_function
from trygghet.stats.status import decide_status


def test_resolve_function_names_file_and_key():
    assert resolve_function("stats.status.decide_status", file="f.yml", key="k") is decide_status
    with pytest.raises(ConfigError, match="f.yml, nyckel 'promises\\[0\\].indicators\\[1\\]"):
        resolve_function("nosuch.fn", file="f.yml", key="promises[0].indicators[1].function")
    with pytest.raises(ConfigError, match="funktionen 'nope'"):
        resolve_function("stats.status.nope", file="f.yml", key="k")


def test_config_module_names_stay_stable():
    assert (
        resolve_function("promise_indicators.est_repeat_places_with_measure", file="f", key="k")
        is indicators.est_repeat_places_with_measure
    )
    assert (
        resolve_function("victim_contact.on_time_indicator", file="f", key="k")
        is victim_contact.on_time_indicator
    )


def test_a_name_without_module_is_a_config_error():
    with pytest.raises(ConfigError, match="modul.funktion"):
        resolve_function("decide_status", file="f.yml", key="k")
