"""Survey change: the verdict comes from the interval that is shown beside it (issue 16)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats
from test_survey import make_survey, person, problem_round

from trygghet.reports import survey as sa
from trygghet.reports.survey import tables as survey_tables
from trygghet.stats.proportions import two_proportion_test

LOOSE = sa.Settings(min_respondents=1)


def brute_force_score_interval(x1, n1, x2, n2, level=0.95):
    """Mee's score interval by brute force: numeric restricted MLE, then root-finding.

    For each trial difference d the binomial log-likelihood is maximised over
    pi2 with pi1 = pi2 + d (scipy's bounded Brent search, nothing shared with
    the code under test); the limits are where the score statistic
    (p1 - p2 - d) / sqrt(v(d)) equals the normal quantile.
    """

    def restricted(d):
        def nll(p2):
            out = 0.0
            for x, n, p in ((x1, n1, p2 + d), (x2, n2, p2)):
                out -= x * math.log(max(p, 1e-300)) + (n - x) * math.log(max(1 - p, 1e-300))
            return out

        lo, hi = max(0.0, -d), min(1.0, 1.0 - d)
        p2 = optimize.minimize_scalar(nll, bounds=(lo, hi), method="bounded").x
        return p2 + d, p2

    def z(d):
        a, b = restricted(d)
        return (x1 / n1 - x2 / n2 - d) / math.sqrt(a * (1 - a) / n1 + b * (1 - b) / n2)

    crit = stats.norm.ppf(1 - (1 - level) / 2)
    diff = x1 / n1 - x2 / n2
    low = optimize.brentq(lambda d: z(d) - crit, -1 + 1e-9, diff, xtol=1e-12)
    high = optimize.brentq(lambda d: z(d) + crit, diff, 1 - 1e-9, xtol=1e-12)
    return low, high


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2"),
    [(25, 50, 10, 50), (0, 30, 4, 30), (10, 40, 20, 40), (56, 70, 48, 80), (1.8, 3.6, 0.5, 2.2)],
)
def test_score_interval_matches_a_brute_force_fit_and_the_test_is_the_pooled_z(x1, n1, x2, n2):
    r = sa.score_difference(x1 / n1, n1, x2 / n2, n2)
    low, high = brute_force_score_interval(x1, n1, x2, n2)
    assert r.low == pytest.approx(low, rel=1e-4)
    assert r.high == pytest.approx(high, rel=1e-4)
    assert r.p_value == pytest.approx(two_proportion_test(x1, n1, x2, n2).p_value, rel=1e-9)


def test_shares_of_zero_and_one_have_an_interval():
    same = sa.score_difference(0.0, 50, 0.0, 50)
    assert same.p_value == 1.0 and same.low < 0 < same.high
    assert same.high == pytest.approx(-same.low)
    extreme = sa.score_difference(0.0, 3, 1.0, 3)
    assert extreme.low == -1.0 and extreme.high < 0 and extreme.p_value < 0.05


def test_planted_case_verdict_never_contradicts_the_interval_shown():
    # Issue 16: 4 of 30 saw drug dealing as a big problem, then 0 of 30. The pooled
    # z-test says p = 0.038 ("förbättring") while Newcombe's interval, printed
    # beside it, was -29,7 to +0,6 percentage points.
    newcombe = two_proportion_test(0, 30, 4, 30)
    assert newcombe.p_value < 0.05 and newcombe.low < 0 < newcombe.high  # the planted bad case
    assert (round(newcombe.low * 100, 1), round(newcombe.high * 100, 1)) == (-29.7, 0.6)
    people = problem_round(2023, 4, 26, "q06") + problem_round(2025, 0, 30, "q06")
    changes = sa.compare_rounds(make_survey(people), 2025, 2023, sa.Settings(min_respondents=30))
    row = changes.set_index("question_id").loc["q06"]
    assert row["verdict"] == sa.IMPROVED
    assert row["diff_low"] < row["diff_high"] < 0  # the interval shown excludes 0 too
    low, high = brute_force_score_interval(0, 30, 4, 30)
    assert (row["diff_low"], row["diff_high"]) == pytest.approx((low, high), rel=1e-4)
    shown = (
        pd.DataFrame(sa.change_table(changes, 2025, 2023)).set_index("Fråga").loc["Narkotikahandel"]
    )
    assert shown["Bedömning"] == "*förbättring"
    assert shown["Osäkerhetsintervall"] == "-29,7 till -1,2"


def _random_survey(rng: np.random.Generator) -> tuple[pd.DataFrame, bool]:
    weighted = bool(rng.random() < 0.5)
    people = []
    for round_ in (2023, 2025):
        n = int(rng.integers(30, 90))
        share = rng.uniform(0.05, 0.6)
        for i in range(n):
            answer = "Ganska stort problem" if rng.random() < share else "Inget problem alls"
            weight = float(rng.uniform(0.5, 2.0)) if weighted else None
            people.append(person(f"{round_}-{i}", {"q01": answer}, round_=round_, weight=weight))
    return make_survey(people), weighted


def test_score_test_rejects_exactly_when_its_interval_excludes_zero():
    rng = np.random.default_rng(2026)
    sure = near = 0
    for _ in range(3000):
        n1, n2 = rng.uniform(3, 120, size=2)
        p1, p2 = rng.uniform(0, 1), rng.uniform(0, 1)
        if rng.random() < 0.5:  # often close to each other: near the boundary
            p2 = float(np.clip(p1 + rng.normal(0, 0.12), 0, 1))
        r = sa.score_difference(p1, n1, p2, n2)
        excludes = r.low > 0 or r.high < 0
        assert (abs(r.z) > stats.norm.ppf(0.975)) == excludes, (p1, n1, p2, n2, r)
        if abs(r.p_value - 0.05) > 1e-9:
            assert (r.p_value < 0.05) == excludes, (p1, n1, p2, n2, r)
        assert r.low <= r.difference <= r.high
        sure += excludes
        near += 0.02 < r.p_value < 0.1
    assert sure > 500 and near > 100


def test_verdict_holds_exactly_when_the_interval_excludes_zero():
    rng = np.random.default_rng(16)
    sure = unsure = 0
    for _ in range(80):
        survey, _ = _random_survey(rng)
        row = sa.compare_rounds(survey, 2025, 2023, LOOSE).set_index("question_id").loc["q01"]
        excludes = row["diff_low"] > 0 or row["diff_high"] < 0
        assert (row["verdict"] in (sa.IMPROVED, sa.WORSENED)) == excludes, row
        assert row["diff_low"] <= row["diff"] <= row["diff_high"]
        if abs(row["p_value"] - 0.05) > 1e-9:
            assert (row["p_value"] < 0.05) == excludes, row
        if excludes:
            better = row["diff"] < 0  # a problem item: a fall is better
            assert row["verdict"] == (sa.IMPROVED if better else sa.WORSENED)
        index_excludes = row["index_diff_low"] > 0 or row["index_diff_high"] < 0
        assert (row["index_verdict"] in (sa.IMPROVED, sa.WORSENED)) == index_excludes
        sure += excludes
        unsure += not excludes
    assert sure > 10 and unsure > 10


def test_interval_verdict_rules():
    assert sa.interval_verdict(0.1, 0.02, 0.2, False) == sa.WORSENED
    assert sa.interval_verdict(-0.1, -0.2, -0.02, False) == sa.IMPROVED
    assert sa.interval_verdict(0.1, 0.02, 0.2, True) == sa.IMPROVED
    assert sa.interval_verdict(0.1, -0.01, 0.2, False) == sa.NO_CHANGE
    assert sa.interval_verdict(0.1, 0.0, 0.2, False) == sa.NO_CHANGE  # touching 0 is not sure
    assert sa.interval_verdict(0.1, 0.02, 0.2, False, enough=False) == sa.TOO_FEW
    assert sa.interval_verdict(0.1, float("nan"), float("nan"), False) == sa.TOO_FEW


def test_the_narrative_counts_robust_changes_among_the_sure_ones_only():
    people = problem_round(2023, 40, 60, "q01") + problem_round(2025, 10, 90, "q01")
    people += problem_round(2023, 30, 70, "q02") + problem_round(2025, 31, 69, "q02")
    table = sa.compare_rounds(make_survey(people), 2025, 2023, LOOSE)
    table.loc[table["question_id"] == "q02", "q_value"] = 0.001  # a q-value without a verdict
    text = sa.change_narrative(table, 2025, 2023)
    assert "1 av 1 säkra förändringar" in text


@pytest.mark.parametrize(
    ("value", "text"),
    [(-0.297, "-29,7"), (0.0004, "0,04"), (-0.00004, "-0,004"), (0.0, "0,0"), (0.123, "12,3")],
)
def test_interval_limits_never_print_as_zero_unless_they_are(value, text):
    assert survey_tables._fmt_points(value) == text
