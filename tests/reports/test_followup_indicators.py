"""The standard indicator functions on small hand-made tables."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import pytest

from trygghet.config import KommunConfig
from trygghet.errors import ConfigError
from trygghet.reports.indicators import functions as pi
from trygghet.reports.indicators.registry import compute
from trygghet.sources import processed
from trygghet.stats.medians import median_ci, median_ci_rank
from trygghet.stats.status import CANT_SAY, MET, decide_status


def make_context(period: int = 2025, min_count: int = 5):
    config = KommunConfig(code="1863", name="Hällefors", default_period=2025, min_count=min_count)
    return SimpleNamespace(config=config, kommun="1863", period=period, shared_data=None)


@pytest.fixture
def fake_tables(monkeypatch):
    """``processed.load_table`` answering from a dict of frames."""
    store: dict[str, pd.DataFrame] = {}

    def load(kommun: str, table: str) -> pd.DataFrame:
        if table not in store:
            raise processed.MissingTableError(table)
        return store[table]

    monkeypatch.setattr(processed, "load_table", load)
    return store


@pytest.mark.parametrize(
    ("p", "diff", "expected"),
    [(0.01, 0.2, "up"), (0.01, -0.2, "down"), (0.2, 0.3, "none"), (float("nan"), 1, "none")],
)
def test_tested_change(p, diff, expected):
    assert pi.tested_change(p, diff) == expected


def test_share_value_with_baseline_and_small_numbers():
    v = pi.share_value(45, 50, 5, "example", baseline=(20, 50))
    assert v.value == pytest.approx(0.9)
    assert v.low < 0.9 < v.high
    assert v.baseline == pytest.approx(0.4)
    assert v.change == "up"
    assert v.text == "90\u00a0%"
    few = pi.share_value(2, 3, 5, "real")
    assert few.too_few and few.text == "–" and few.change is None


def test_median_ci_brackets_the_median():
    med, low, high = median_ci([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    assert med == 6
    assert low <= med <= high
    assert (low, high) == (2, 10)  # order statistics 2 and 10: coverage 98.8 % (3 and 9: 93.5 %)
    assert all(math.isnan(x) for x in median_ci([]))


def _coverage(n: int, k: int) -> float:
    """Exact coverage of [x_(k), x_(n+1-k)] for the median: P(k <= B <= n-k), B ~ Bin(n, 1/2)."""
    return sum(math.comb(n, j) for j in range(k, n - k + 1)) / 2**n


@pytest.mark.parametrize("n", range(1, 41))
def test_median_ci_rank_is_the_widest_with_95_percent_coverage(n):
    k = median_ci_rank(n)
    if n < 6:
        assert k == 0
        assert _coverage(n, 1) < 0.95  # even min..max falls short (n = 5: 93.75 %)
    else:
        assert k >= 1
        assert _coverage(n, k) >= 0.95
        assert k == (n + 1) // 2 or _coverage(n, k + 1) < 0.95


def test_median_ci_has_no_interval_below_six_values():
    for n in range(1, 6):
        med, low, high = median_ci(list(range(1, n + 1)))
        assert med == pytest.approx((n + 1) / 2)
        assert math.isnan(low) and math.isnan(high)
    med, low, high = median_ci([1, 2, 3, 4, 5, 6])
    assert (low, high) == (1, 6)  # coverage 1 - 2/64 = 96.9 %
    assert _coverage(6, 1) == pytest.approx(1 - 2 / 64)


@pytest.mark.parametrize(("delays", "expected"), [([1, 2, 3, 4, 5], CANT_SAY), ([1] * 6, MET)])
def test_weeks_to_measure_below_six_values_cannot_be_judged(monkeypatch, delays, expected):
    data = SimpleNamespace(origin="example")
    monkeypatch.setattr(pi, "_est_data", lambda context: data)
    from trygghet.reports import est

    monkeypatch.setattr(est, "weeks_to_measure", lambda data, year: list(map(float, delays)))
    v = pi.est_weeks_to_measure(make_context(min_count=3))
    assert not v.too_few and v.value is not None
    assert decide_status(v, 4.0, "lower_is_better")[0] == expected
    if expected == CANT_SAY:
        assert v.low is None and v.high is None
        assert "inget intervall för medianen" in v.detail


def _walks() -> pd.DataFrame:
    rows = []
    for walk, date in (("A", "2024-04-01"), ("B", "2024-09-01"), ("C", "2025-05-01")):
        for point in range(6):
            done = pd.Timestamp(date) + pd.Timedelta(days=20)
            rows.append(
                {
                    "walk_id": walk,
                    "walk_date": pd.Timestamp(date),
                    "deadline": pd.Timestamp(date) + pd.Timedelta(days=60),
                    "status": "åtgärdad" if point < 4 else "ny",
                    "completed_date": done if point < 4 else pd.NaT,
                    "origin": "example",
                }
            )
    return pd.DataFrame(rows)


def test_walks_held_counts_walks_not_observations(fake_tables):
    fake_tables["safety_walks"] = _walks()
    v = pi.safety_walks_held(make_context(), baseline_period=2024)
    assert v.value == 1.0 and v.baseline == 2.0
    assert v.change == "none"  # 1 against 2 walks is noise
    assert v.text == "1 vandring"
    assert v.origin == "example"
    assert v.exact  # every walk is counted: judged without an interval


def test_walk_observations_on_time_share(fake_tables):
    fake_tables["safety_walks"] = _walks()
    v = pi.walk_observations_on_time(make_context(), baseline_period=2024)
    assert v.n == 6 and v.value == pytest.approx(4 / 6)
    assert v.baseline == pytest.approx(8 / 12)
    assert v.change == "none"
    assert "4 av 6 åtgärder" in v.detail


def test_bad_params_become_config_errors(fake_tables):
    fake_tables["survey"] = pd.DataFrame(
        {"area": ["Hällefors"], "round": [2025], "question_id": ["q14"], "origin": ["example"]}
    )
    with pytest.raises(ConfigError, match="promises\\[1\\].indicators\\[2\\].params.*Nowhere"):
        compute(
            pi.survey_insecurity,
            make_context(),
            {"areas": "Nowhere"},
            file="f.yml",
            key="promises[1].indicators[2].params",
        )
    with pytest.raises(ConfigError, match="okänd brottsserie"):
        compute(pi.reported_crime_rate, make_context(), {"series": "x"}, file="f", key="k")
    with pytest.raises(ConfigError, match="unexpected keyword"):
        compute(pi.safety_walks_held, make_context(), {"nope": 1}, file="f", key="k")


def _cases() -> pd.DataFrame:
    rows = []
    for year, on_time in ((2024, 10), (2025, 28)):
        for i in range(30):
            rows.append(
                {
                    "assigned_month": pd.Timestamp(year, 1 + i % 12, 1),
                    "contacted": True,
                    "days_to_contact": 3.0 if i < on_time else 12.0,
                    "censored_days": float("nan"),
                    "extract_date": pd.Timestamp(2026, 2, 1),
                    "origin": "example",
                }
            )
    return pd.DataFrame(rows)


def test_victim_contact_delegates_and_adds_a_tested_baseline(fake_tables):
    fake_tables["victim_contacts"] = _cases()
    plain = pi.victim_contact_on_time(make_context())
    assert plain.value == pytest.approx(28 / 30) and plain.baseline is None
    with_base = pi.victim_contact_on_time(make_context(), baseline_period=2024)
    assert with_base.value == plain.value
    assert with_base.baseline == pytest.approx(10 / 30)
    assert with_base.change == "up"


# --------------------------------------------------------------------------- promise 2: dialogues


def _dialogue_context(min_count: int = 5):
    from dialogue_frames import config

    return SimpleNamespace(config=config(min_count), kommun="1863", period=2025, shared_data=None)


def _dialogue_tables(store) -> None:
    from dialogue_frames import decided, dialogues_frame, proposals_frame

    store["dialogues"] = dialogues_frame(
        [
            {"date": "2025-02-01", "area": "Centrum"},
            {"date": "2025-04-01", "area": "Byn"},
            {"date": "2025-05-01", "area": "Skogen", "invanare": 0},  # officials only
            {"date": "2024-05-01", "area": "Centrum"},
        ]
    )
    this_year = [decided("D1", done="2025-05-01") for _ in range(4)]
    this_year += [decided("D2", deadline="2025-06-01", done="2025-08-01")]
    this_year += [{"dialogue_id": "D2", "decision": "avslagen"}] * 3
    last_year = [decided("D4", deadline="2024-09-01", done="2024-08-01")] * 2
    last_year += [{"dialogue_id": "D4", "decision": "utreds"}] * 6
    store["dialogue_proposals"] = proposals_frame(this_year + last_year)


def test_dialogue_areas_covered_is_a_census_of_the_config_areas(fake_tables):
    _dialogue_tables(fake_tables)
    v = pi.dialogue_areas_covered(_dialogue_context(), baseline_period=2024)
    assert v.value == pytest.approx(2 / 3) and v.low == v.high == v.value
    assert v.n == 3 and v.text == "2 av 3" and v.origin == "example"
    assert v.baseline == pytest.approx(1 / 3) and v.change == "up"
    assert "ingen i Skogen" in v.detail
    assert v.exact  # a census of the areas


def test_dialogue_proposals_decided_and_on_time(fake_tables):
    _dialogue_tables(fake_tables)
    v = pi.dialogue_proposals_decided(_dialogue_context(), baseline_period=2024)
    assert (v.n, v.value) == (8, pytest.approx(5 / 8))
    assert v.low < 5 / 8 < v.high and not v.too_few
    assert v.baseline == pytest.approx(2 / 8)
    assert "5 av 8 förslag" in v.detail
    on_time = pi.dialogue_measures_on_time(_dialogue_context())
    assert (on_time.n, on_time.value) == (5, pytest.approx(4 / 5))


def test_dialogue_indicators_cannot_say_on_few_or_without_tables(fake_tables):
    for fn in (pi.dialogue_areas_covered, pi.dialogue_proposals_decided,
               pi.dialogue_measures_on_time):  # fmt: skip
        v = fn(_dialogue_context())
        assert v.value is None and v.too_few and v.text == "–"
        assert "dialogues.md" in v.detail
    _dialogue_tables(fake_tables)
    few = pi.dialogue_measures_on_time(_dialogue_context(min_count=6))
    assert few.too_few and few.text == "–" and "för få för att bedöma" in few.detail


def test_dialogue_indicators_are_declared_and_resolve_by_their_config_names():
    import inspect

    from trygghet.reports.indicators import dialogues as dialogue_indicators
    from trygghet.reports.indicators.registry import resolve_function

    public = [
        name
        for name, fn in vars(dialogue_indicators).items()
        if inspect.isfunction(fn) and fn.__module__ == dialogue_indicators.__name__
        and not name.startswith("_")
    ]  # fmt: skip
    assert sorted(public) == [
        "dialogue_areas_covered", "dialogue_measures_on_time", "dialogue_proposals_decided",
    ]  # fmt: skip
    for name in public:
        assert f"promise_indicators.{name}" in pi.SPECS
        fn = resolve_function(f"promise_indicators.{name}", file="f", key="k")
        assert fn is getattr(dialogue_indicators, name)
