"""The follow-up's triangulation with police-recorded crime from Hobit extracts."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from trygghet.config import Area, KommunConfig, load_or_default
from trygghet.reports import crime, followup, indicators

sys.path.insert(0, str(Path(__file__).parent))
from hobit_frames import hobit_frame  # noqa: E402

# ``followup.triangulation`` is the function; the module holds the constants.
tri = importlib.import_module("trygghet.reports.followup.triangulation")

CONFIG = KommunConfig(
    code="1863", name="Hällefors", default_period=2025,
    areas=[Area(name="Norr", lat=59.90, lon=14.50), Area(name="Söder", lat=59.70, lon=14.50)],
)  # fmt: skip
SURVEY = pd.DataFrame(
    {
        "group": ["Norr", "Söder"],
        "members": ["", ""],
        "share": [0.45, 0.20],
        "low": [0.35, 0.12],
        "high": [0.55, 0.30],
        "suppressed": [False, False],
    }
)


def _table(hobit):
    return followup.triangulation_table(
        CONFIG, residents=None, police=None, est_reports=None, survey_by_area=SURVEY,
        kommun_share=0.30, weight_share={"Norr": 0.5, "Söder": 0.5}, hobit=hobit,
    )  # fmt: skip


def test_recorded_crime_is_one_more_source_with_the_same_flags():
    table = _table({"Norr": 2, "Söder": 60})
    norr, soder = table.iloc[0], table.iloc[1]
    assert norr["anmälda brott"] == "fåtal" and soder["anmälda brott"] == "60"
    assert norr["anmälda brott mot väntat"] == "färre"
    assert soder["anmälda brott mot väntat"] == "fler"
    assert "polisanmälda brott" in norr["flagga"] and followup.FLAG_TEXT in norr["flagga"]
    assert soder["flagga"].startswith("Låg otrygghet men många polisanmälda brott")
    sentence = followup.triangulation_sentence(table)
    assert "Norr och Söder" in sentence and "Hobit" in sentence
    assert "inte läses in" not in sentence


def test_missing_hobit_table_is_said_in_the_column_and_the_sentence():
    table = _table(None)
    assert table["anmälda brott"].eq(tri.NO_HOBIT).all()
    assert table["anmälda brott mot väntat"].eq("–").all()
    assert tri.HOBIT_MISSING_SENTENCE in followup.triangulation_sentence(table)


def test_crime_report_publishes_hobit_per_area_from_start_and_position_only(monkeypatch):
    frame = hobit_frame(200)
    seen = {}
    original = crime.hobit_crimes_per_area

    def per_area(f, config, period):
        seen["columns"] = list(f.columns)
        return original(f, config, period)

    monkeypatch.setattr(crime, "load_hobit", lambda kommun: frame)
    monkeypatch.setattr(crime, "hobit_crimes_per_area", per_area)
    config = load_or_default("1863")
    context = SimpleNamespace(kommun="1863", config=config, period=2025)
    found = {r.id: r for r in indicators.AREA_FIGURES["crime"](context)}
    assert seen["columns"] == ["start", "lat", "lon"]
    assert set(found) == {f"omrade/anmalda-brott/{a.name}" for a in config.areas}
    assert {r.origin for r in found.values()} == {"example"}
    assert found["omrade/anmalda-brott/Hällefors"].n > 0


def test_no_hobit_table_publishes_no_area_crimes(monkeypatch):
    monkeypatch.setattr(crime, "load_hobit", lambda kommun: None)
    context = SimpleNamespace(kommun="1863", config=load_or_default("1863"), period=2025)
    assert indicators.AREA_FIGURES["crime"](context) == []
