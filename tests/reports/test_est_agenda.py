"""The three things to discuss first: the choice and its pinned sentences."""

from __future__ import annotations

import pandas as pd

from trygghet.reports.est.agenda import (
    NOTHING_STANDS_OUT,
    Point,
    change_point,
    elevated_point,
    overdue_point,
    repeat_point,
    three_things,
)
from trygghet.reports.est.verdicts import UNUSUAL_HIGH, VERY_UNUSUAL_HIGH
from trygghet.reports.est.weeks import parse_week


def monday(text: str) -> pd.Timestamp:
    return parse_week(text)


def row(verdict: str, observed: int = 9, low: int = 1, high: int = 5) -> dict:
    return {"verdict": verdict, "observed": observed, "low": low, "high": high}


# --------------------------------------------------------------------------
# The three things
# --------------------------------------------------------------------------


def test_three_things_take_turns_by_kind():
    points = [
        Point("elevated", (0.02,), "e2"),
        Point("elevated", (0.001,), "e1"),
        Point("elevated", (0.04,), "e3"),
        Point("overdue", (1,), "o1"),
        Point("repeat", (-5,), "r1"),
        Point("repeat", (-3,), "r2"),
    ]
    assert three_things(points) == ["e1", "r1", "o1"]
    no_repeat = [p for p in points if p.kind != "repeat"]
    assert three_things(no_repeat) == ["e1", "o1", "e2"]
    only_elevated = [p for p in points if p.kind == "elevated"]
    assert three_things(only_elevated) == ["e1", "e2", "e3"]
    assert three_things([points[4]]) == ["r1"]


def test_three_things_when_nothing_stands_out():
    assert three_things([]) == [NOTHING_STANDS_OUT]
    assert three_things([], nothing="x") == ["x"]


# --------------------------------------------------------------------------
# Pinned sentences
# --------------------------------------------------------------------------


def test_three_things_sentences():
    assert (
        elevated_point("Skadegörelse", row(VERY_UNUSUAL_HIGH, 6, 0, 3))
        == "Skadegörelse: 6 rapporter mot väntat högst 3 – mycket ovanligt."
    )
    assert (
        elevated_point(
            "Polisens händelser", row(UNUSUAL_HIGH, 4, 0, 2), ("händelse", "händelser"), 1
        )
        == "Polisens händelser: 4 händelser mot väntat högst 2 – ovanligt."
    )
    # A place's count under the kommun's min_count is "fåtal".
    assert (
        elevated_point("Torget, Centrum", row(UNUSUAL_HIGH, 4, 0, 2), min_count=5)
        == "Torget, Centrum: fåtal rapporter mot väntat högst 2 – ovanligt."
    )
    repeat = {"place": "Torget, Centrum", "weeks_with_reports": 4, "reports": 1}
    assert repeat_point(repeat, min_count=1) == (
        "Torget, Centrum har rapporterats 4 av de senaste 6 veckorna (1 rapport) "
        "och har ingen pågående åtgärd."
    )
    assert repeat_point(repeat, min_count=5) == (
        "Torget, Centrum har rapporterats 4 av de senaste 6 veckorna (fåtal rapporter) "
        "och har ingen pågående åtgärd."
    )
    overdue = {
        "measure_id": "M1",
        "place": "Torget, Centrum",
        "responsible": "kommunen",
        "decided": monday("2025-W30"),
        "weeks_since": 8,
    }
    assert overdue_point(overdue) == (
        "Åtgärd M1 vid Torget, Centrum (kommunen) beslutades vecka 30 2025 "
        "och är inte klar efter 8 veckor."
    )
    change = {"now": 30, "before": 15}
    assert change_point("Klotter", change, "samma tertial 2024") == (
        "Klotter ökade: 30 rapporter mot 15 samma tertial 2024."
    )
