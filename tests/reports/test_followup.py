"""The follow-up: config checks, status table, triangulation, since last time, caveats."""

from __future__ import annotations

import sys
import types
from types import SimpleNamespace

import pandas as pd
import pytest

from trygghet.config import Area, Indicator, KommunConfig, Promise, load_config
from trygghet.errors import ConfigError
from trygghet.reports import followup, places
from trygghet.stats.status import CANT_SAY, MET, NOT_MET, ON_TRACK, SYMBOLS, IndicatorValue

PLANTED = "<script>window.__planted = 1;</script>"


@pytest.fixture
def fake_module(monkeypatch):
    """A library module ``trygghet._fake`` with indicator functions for the tests."""
    module = types.ModuleType("trygghet._fake")

    def share(context, level: float = 0.95, baseline_period: int | None = None):
        return IndicatorValue(value=level, low=level - 0.02, high=min(1, level + 0.02),
                              n=100, baseline=0.5 if baseline_period else None,
                              change="up" if baseline_period else None,
                              text=f"{level:.0%}", origin="example")  # fmt: skip

    def broken(context):
        raise ValueError("no data for the period")

    module.share = share
    module.broken = broken
    monkeypatch.setitem(sys.modules, "trygghet._fake", module)
    return module


def make_config(indicators: list[Indicator], **kwargs) -> KommunConfig:
    promise = Promise(id="1", title="Titel", text="Löftets text", indicators=indicators)
    return KommunConfig(code="1863", name="Hällefors", default_period=2025, promises=[promise],
                        source_file="kommun.yml", **kwargs)  # fmt: skip


def context_for(config: KommunConfig):
    return SimpleNamespace(config=config, kommun=config.code, period=2025, shared_data=None)


# --------------------------------------------------------------------------- config


@pytest.mark.parametrize(
    ("indicator", "key", "words"),
    [
        (Indicator(id="a", name="A", function="nosuch.fn"), "indicators[0].function", "nosuch"),
        (Indicator(id="a", name="A", function="_fake.nope"), "indicators[0].function", "nope"),
        (
            Indicator(id="a", name="A", function="_fake.share", params={"levle": 1}),
            "indicators[0].params",
            "levle",
        ),
    ],
)
def test_misconfigured_indicator_names_promise_and_key(fake_module, indicator, key, words):
    with pytest.raises(ConfigError) as info:
        followup.check_indicators(make_config([indicator]))
    message = str(info.value)
    assert "kommun.yml" in message
    assert f"promises[0].{key}" in message
    assert "löfte 1 (Titel)" in message
    assert words in message


def test_duplicate_indicator_id_is_an_error(fake_module):
    same = Indicator(id="a", name="A", function="_fake.share")
    with pytest.raises(ConfigError, match="promises\\[0\\].indicators\\[1\\].id"):
        followup.check_indicators(make_config([same, same]))


@pytest.mark.parametrize("code", ["1863", "1864"])
def test_shipped_configs_check(code):
    config = load_config(code)
    assert all(p.indicators for p in config.promises)
    followup.check_indicators(config)


def test_kommuner_differ_only_in_config():
    a, b = load_config("1863"), load_config("1864")
    assert len(a.promises) == 4 and len(b.promises) == 2
    assert {i.id for p in a.promises for i in p.indicators} != {
        i.id for p in b.promises for i in p.indicators
    }


# --------------------------------------------------------------------------- evaluation and first page


def test_evaluate_passes_baseline_and_decides_status(fake_module):
    ind = Indicator(id="a", name="A", function="_fake.share", params={"level": 0.95},
                    unit="andel", baseline_period=2024, target=0.9,
                    direction="higher_is_better")  # fmt: skip
    low = ind.model_copy(update={"id": "b", "params": {"level": 0.8}})
    broken = Indicator(id="c", name="C", function="_fake.broken", target=0.9)
    (result,) = followup.evaluate(context_for(make_config([ind, low, broken])))
    statuses = [r.status for r in result.indicators]
    assert statuses == [MET, ON_TRACK, CANT_SAY]
    assert result.indicators[0].value.baseline == 0.5
    assert "underlaget saknas" in result.indicators[2].reason


def test_first_page_escapes_and_shows_symbol_and_word(fake_module):
    ind = Indicator(id="a", name=f"Namn {PLANTED}", function="_fake.share", unit="andel",
                    target=0.9, direction="higher_is_better")  # fmt: skip
    promise = Promise(id="1", title=PLANTED, text=PLANTED, indicators=[ind])
    config = KommunConfig(code="1863", name="Hällefors", default_period=2025, promises=[promise])
    results = followup.evaluate(context_for(config))
    markup = followup.first_page_html(results)
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup
    assert (
        f'{SYMBOLS[MET]}</span> <strong><span class="trygghet-figure" data-record="1/a" '
        f'data-part="status">{MET}</span></strong>' in markup
    )
    assert "minst 90" in markup and "EXEMPELDATA" in markup


def test_formatting_of_baseline_and_target():
    ind = Indicator(id="a", name="A", function="x.y", unit="andel", baseline_period=2024,
                    target=0.9, direction="higher_is_better")  # fmt: skip
    value = IndicatorValue(value=0.8, low=0.7, high=0.9, baseline=0.6, change="up")
    r = followup.IndicatorResult("1", ind, value, ON_TRACK, "", "other")
    assert followup.baseline_text(r) == "60\u00a0% (2024); säker ökning"
    assert followup.target_text(ind) == "minst 90\u00a0%"
    assert followup.interval_text(value, "andel") == "70–90\u00a0%"
    direction_only = ind.model_copy(update={"target": None, "direction": "lower_is_better"})
    assert followup.target_text(direction_only) == "lägre än basperioden"
    no_base = followup.IndicatorResult("1", direction_only, IndicatorValue(value=1.0), CANT_SAY,
                                       "", "other")  # fmt: skip
    assert followup.baseline_text(no_base) == "saknas (2024)"


def test_headline_sentences():
    assert "inga indikatorer" in followup.headline([], "Hällefors", 2025)
    ind = Indicator(id="a", name="A", function="x.y")
    results = [
        followup.PromiseResult(
            Promise(id="1", title="T", text="X"),
            [
                followup.IndicatorResult("1", ind, IndicatorValue(value=1.0), s, "", "other")
                for s in (MET, NOT_MET, NOT_MET)
            ],  # fmt: skip
        )
    ]
    assert followup.headline(results, "Hällefors", 2025) == (
        "Uppföljning av 1 medborgarlöfte i Hällefors 2025: av 3 indikatorer är "
        "1 uppfyllt och 2 inte uppfyllt."
    )


@pytest.mark.parametrize(
    ("function", "topic"),
    [
        ("promise_indicators.est_weeks_to_measure", "est"),
        ("promise_indicators.walk_observations_on_time", "walks"),
        ("promise_indicators.safety_walks_held", "walks"),
        ("promise_indicators.survey_insecurity", "survey"),
        ("promise_indicators.reported_crime_rate", "crime"),
        ("victim_contact.on_time_indicator", "victims"),
        ("promise_indicators.victim_contact_on_time", "victims"),
    ],
)
def test_topic_of(function, topic):
    assert followup.topic_of(function) == topic


# --------------------------------------------------------------------------- triangulation


def test_reported_level_and_disagreement():
    assert followup.reported_level(2, 20.0) == "färre"
    assert followup.reported_level(40, 20.0) == "fler"
    assert followup.reported_level(22, 20.0) == "som väntat"
    assert followup.disagreement("hög", "färre").endswith(followup.FLAG_TEXT)
    assert followup.disagreement("låg", "fler").startswith("Låg otrygghet")
    assert followup.disagreement("hög", "fler") == ""


def test_triangulation_flags_disagreement_and_never_reads_text():
    config = KommunConfig(
        code="1863", name="Hällefors", default_period=2025,
        areas=[Area(name="Norr", lat=59.90, lon=14.50), Area(name="Söder", lat=59.70, lon=14.50)],
    )  # fmt: skip
    # 60 reports near Söder, 2 near Norr, counted per area by the places report's rule.
    residents = pd.DataFrame(
        {
            "created_at": pd.to_datetime(["2025-03-01"] * 62),
            "lat": [59.70] * 60 + [59.90] * 2,
            "lon": [14.50] * 62,
            "description": [PLANTED] * 62,
        }
    )
    per_area = places.reports_per_area(residents, config, 2025)
    assert per_area == {"Norr": 2, "Söder": 60}
    survey = pd.DataFrame(
        {
            "group": ["Norr", "Söder"],
            "members": ["", ""],
            "share": [0.45, 0.20],
            "low": [0.35, 0.12],
            "high": [0.55, 0.30],
            "suppressed": [False, False],
        }
    )
    table = followup.triangulation_table(
        config, residents=per_area, police=None, est_reports=None,
        survey_by_area=survey, kommun_share=0.30, weight_share={"Norr": 0.5, "Söder": 0.5},
    )  # fmt: skip
    norr, soder = table.iloc[0], table.iloc[1]
    assert norr["invånarnas anmälningar"] == "fåtal"  # 2 < min_count
    assert (
        norr["otrygghet mot kommunen"] == "hög"
        and norr["anmälningar + händelser mot väntat"] == "färre"
    )
    assert followup.FLAG_TEXT in norr["flagga"]
    assert soder["otrygghet mot kommunen"] == "låg" and followup.FLAG_TEXT in soder["flagga"]
    assert table["anmälda brott"].eq("per område saknas").all()
    rendered = followup.table_html(table, "flagga")
    assert "script" not in rendered
    assert "Norr och Söder" in followup.triangulation_sentence(table)


def test_triangulation_sentence_without_flags():
    table = pd.DataFrame({"område": ["A"], "flagga": [""]})
    assert followup.triangulation_sentence(table).startswith("I inget område")
    assert "inga områden" in followup.triangulation_sentence(pd.DataFrame())


# --------------------------------------------------------------------------- since last time


def _results(status: str) -> list[followup.PromiseResult]:
    ind = Indicator(id="a", name="Andel", function="x.y")
    value = IndicatorValue(value=0.5, text="50 %")
    return [followup.PromiseResult(Promise(id="1", title="T", text="X"),
                                   [followup.IndicatorResult("1", ind, value, status, "", "x")])]  # fmt: skip


def test_history_first_run_rerun_and_change(tmp_path):
    path = tmp_path / "followup_history.json"
    first = followup.history_entry(_results(NOT_MET), 2025, "2025-05-01")
    assert followup.record_history(path, first) is None
    assert followup.since_sentence(None, followup.changes_since(None, first)).startswith(
        "Det finns ingen tidigare uppföljning"
    )
    # A rerun on the same data stores nothing new and still has no earlier follow-up.
    again = followup.history_entry(_results(NOT_MET), 2025, "2025-06-01")
    assert followup.record_history(path, again) is None
    assert len(followup.load_history(path)) == 1
    # New data: the status changed.
    later = followup.history_entry(_results(MET), 2025, "2025-09-01")
    previous = followup.record_history(path, later)
    assert previous["recorded"] == "2025-05-01"
    changes = followup.changes_since(previous, later)
    assert changes.to_dict("records") == [
        {
            "indikator": "Andel",
            "förra gången": f"{SYMBOLS[NOT_MET]} {NOT_MET}",
            "nu": f"{SYMBOLS[MET]} {MET}",
        }  # fmt: skip
    ]
    text = followup.since_sentence(previous, changes)
    assert text.startswith("Sedan uppföljningen för 2025 (sparad 1 maj 2025) har 1 indikator")
    # A rerun of the later data compares with the same earlier follow-up (identical report).
    assert followup.record_history(path, later)["digest"] == first["digest"]
    unchanged = followup.changes_since(
        previous, followup.history_entry(_results(NOT_MET), 2025, "x")
    )
    assert followup.since_sentence(previous, unchanged).startswith(
        "Ingen indikator har bytt status"
    )


# --------------------------------------------------------------------------- caveats


def test_caveats_follow_what_was_used(fake_module):
    ind = Indicator(id="a", name="A", function="_fake.share")
    config = make_config([ind], min_count=7)
    results = followup.evaluate(context_for(config))
    items = followup.caveats(context_for(config), results)
    assert items[0].startswith("EXEMPELDATA")
    assert any("under 7" in t for t in items)
    assert not any(t.startswith("Anmälda brott (Brå)") for t in items)
    assert "&lt;b&gt;" in followup.caveats_html(["<b>"])
