"""The status rule of promise indicators: intervals decide, noise is not progress."""

from __future__ import annotations

import pytest

from trygghet.stats.status import (
    CANT_SAY,
    LEVEL_TOLERANCE,
    MET,
    NOT_MET,
    ON_TRACK,
    IndicatorValue,
    decide_status,
)


@pytest.mark.parametrize(
    ("low", "high", "change", "expected"),
    [
        (0.91, 0.97, "none", MET),  # whole interval above a 90 % target
        (0.80, 0.88, "none", NOT_MET),  # whole interval below
        (0.80, 0.88, "up", ON_TRACK),  # below, but significantly better than baseline
        (0.85, 0.95, "none", CANT_SAY),  # interval holds the target
        (0.85, 0.95, "up", ON_TRACK),
        (0.80, 0.88, "down", NOT_MET),
    ],
)
def test_level_target_higher_is_better(low, high, change, expected):
    value = IndicatorValue(value=(low + high) / 2, low=low, high=high, change=change)
    assert decide_status(value, 0.90, "higher_is_better")[0] == expected


def test_level_target_lower_is_better_mirrors():
    value = IndicatorValue(value=40.0, low=30.0, high=48.0)
    assert decide_status(value, 50.0, "lower_is_better")[0] == MET
    assert decide_status(value, 25.0, "lower_is_better")[0] == NOT_MET
    assert decide_status(value, 35.0, "lower_is_better")[0] == CANT_SAY


@pytest.mark.parametrize(
    ("change", "expected"),
    [("down", MET), ("up", NOT_MET), ("none", CANT_SAY), (None, CANT_SAY)],
)
def test_direction_only_target(change, expected):
    value = IndicatorValue(value=120.0, low=100.0, high=140.0, change=change)
    assert decide_status(value, None, "lower_is_better")[0] == expected


def test_too_few_or_missing_cannot_be_judged():
    assert decide_status(IndicatorValue(value=None), 0.9, "higher_is_better")[0] == CANT_SAY
    few = IndicatorValue(value=1.0, low=0.5, high=1.0, too_few=True, change="up")
    assert decide_status(few, 0.9, "higher_is_better")[0] == CANT_SAY


# --------------------------------------------------------------------------- values without an interval


def test_value_without_interval_cannot_be_judged():
    status, reason = decide_status(IndicatorValue(value=0.95), 0.9, "higher_is_better")
    assert status == CANT_SAY
    assert "osäkerhetsintervall" in reason
    half = IndicatorValue(value=0.95, low=0.92)
    assert decide_status(half, 0.9, "higher_is_better")[0] == CANT_SAY


@pytest.mark.parametrize(
    ("value", "target", "direction", "expected"),
    [
        (0.95, 0.9, "higher_is_better", MET),
        (0.85, 0.9, "higher_is_better", NOT_MET),
        (2.0, 3.0, "lower_is_better", MET),
        (4.0, 3.0, "lower_is_better", NOT_MET),
    ],
)
def test_exact_value_is_its_own_interval(value, target, direction, expected):
    status, reason = decide_status(IndicatorValue(value=value, exact=True), target, direction)
    assert status == expected
    assert "fullständig räkning" in reason


def test_exact_defaults_to_false():
    assert IndicatorValue(value=1.0).exact is False


# --------------------------------------------------------------------------- level targets


@pytest.mark.parametrize(
    ("low", "high", "expected", "word"),
    [
        (95.0, 105.0, MET, "inom toleransen"),  # within 90–110
        (90.0, 110.0, MET, "inom toleransen"),  # on the band's edges
        (50.0, 150.0, CANT_SAY, "bredare"),  # holds the target, far too wide to say
        (85.0, 105.0, CANT_SAY, "når utanför"),  # narrow enough, but reaches below the band
        (112.0, 130.0, NOT_MET, "utanför"),  # wholly above the band
        (60.0, 89.0, NOT_MET, "utanför"),  # wholly below
    ],
)
def test_level_target_needs_interval_within_tolerance(low, high, expected, word):
    value = IndicatorValue(value=(low + high) / 2, low=low, high=high, change="down")
    status, reason = decide_status(value, 100.0, "level")
    assert status == expected
    assert word in reason


def test_level_target_tolerance_can_be_stated():
    value = IndicatorValue(value=100.0, low=80.0, high=120.0)
    assert decide_status(value, 100.0, "level")[0] == CANT_SAY
    assert decide_status(value, 100.0, "level", tolerance=25.0)[0] == MET
    assert pytest.approx(0.10) == LEVEL_TOLERANCE


def test_level_target_without_interval_cannot_be_judged():
    assert decide_status(IndicatorValue(value=100.0), 100.0, "level")[0] == CANT_SAY
    assert decide_status(IndicatorValue(value=100.0, exact=True), 100.0, "level")[0] == MET
