"""The status rule of promise indicators: intervals decide, noise is not progress."""

from __future__ import annotations

import pytest

from trygghet.stats.status import (
    CANT_SAY,
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
