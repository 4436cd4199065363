"""Safety-survey analysis: weighted shares and intervals, index, suppression, change, texts."""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from scipy import stats

from trygghet.reports import survey as sa
from trygghet.reports.survey import index as survey_index
from trygghet.sources.survey import DONT_KNOW, QUESTION_BY_ID
from trygghet.stats.proportions import two_proportion_test, wilson_ci

matplotlib.use("Agg")


def person(rid, answers, *, round_=2025, area="A", age="45–64", sex="kvinna", weight=None):
    return {
        "respondent_id": rid,
        "round": round_,
        "area": area,
        "age_group": age,
        "sex": sex,
        "weight": weight,
        "answers": answers,
    }


def make_survey(people: list[dict]) -> pd.DataFrame:
    """The long ``survey`` table (same columns and codes as the reader) from respondents."""
    rows = []
    for p in people:
        for qid, answer in p["answers"].items():
            q = QUESTION_BY_ID[qid]
            code = q.categories.index(answer) + 1 if answer in q.categories else None
            headline = None if answer in (None, DONT_KNOW) else answer in q.headline
            rows.append(
                {
                    "respondent_id": p["respondent_id"],
                    "round": p["round"],
                    "area": p["area"],
                    "age_group": p["age_group"],
                    "sex": p["sex"],
                    "weight": p["weight"],
                    "question_id": qid,
                    "answer": answer,
                    "answer_code": code,
                    "in_headline": headline,
                    "is_dont_know": answer == DONT_KNOW,
                    "is_missing": answer is None,
                    "origin": "example",
                }
            )
    frame = pd.DataFrame(rows)
    return frame.astype(
        {
            "respondent_id": "string",
            "round": "Int64",
            "area": "string",
            "age_group": "string",
            "sex": "string",
            "weight": "Float64",
            "question_id": "string",
            "answer": "string",
            "answer_code": "Int64",
            "in_headline": "boolean",
            "is_dont_know": "bool",
            "is_missing": "bool",
            "origin": "string",
        }
    )


def yes_no_round(round_: int, yes: int, no: int, qid: str = "q16", **kw) -> list[dict]:
    """``yes`` + ``no`` unweighted respondents answering Ja/Nej to ``qid``."""
    answers = ["Ja"] * yes + ["Nej"] * no
    return [person(f"R{round_}-{i}", {qid: a}, round_=round_, **kw) for i, a in enumerate(answers)]


def problem_round(round_: int, big: int, small: int, qid: str = "q01") -> list[dict]:
    answers = ["Ganska stort problem"] * big + ["Inget problem alls"] * small
    return [person(f"P{round_}-{i}", {qid: a}, round_=round_) for i, a in enumerate(answers)]


# A small weighted frame: shares by hand.
#   valid answers (R1–R4): weights 1, 1, 2, 2; "Ja" weight 1 + 2 = 3 of 6 -> 0.5
#   n_eff = 6^2 / (1 + 1 + 4 + 4) = 3.6; Wilson on 1.8 of 3.6 -> 0.140756 … 0.859244
#   vet ej: weight 2 of all 10 -> 0.2; blank: weight 2 of 10 -> 0.2
WEIGHTED = make_survey(
    [
        person("R1", {"q16": "Ja"}, weight=1.0),
        person("R2", {"q16": "Nej"}, weight=1.0),
        person("R3", {"q16": "Ja"}, weight=2.0),
        person("R4", {"q16": "Nej"}, weight=2.0),
        person("R5", {"q16": DONT_KNOW}, weight=2.0),
        person("R6", {"q16": None}, weight=2.0),
    ]
)
LOOSE = sa.Settings(min_respondents=1)


# --------------------------------------------------------------------------- estimation


def test_weighted_headline_share_by_hand():
    row = sa.headline_shares(WEIGHTED, 2025, LOOSE).iloc[0]
    assert row["share"] == pytest.approx(0.5)
    assert row["n"] == 4
    assert row["n_eff"] == pytest.approx(3.6)
    assert row["deff"] == pytest.approx(4 / 3.6)
    assert row["low"] == pytest.approx(0.140756, abs=1e-6)
    assert row["high"] == pytest.approx(0.859244, abs=1e-6)
    assert (row["low"], row["high"]) == pytest.approx(wilson_ci(1.8, 3.6))
    assert row["dont_know_share"] == pytest.approx(0.2)
    assert row["missing_share"] == pytest.approx(0.2)


def test_answer_shares_leave_vet_ej_out_of_the_denominator():
    shares = sa.answer_shares(WEIGHTED, 2025).set_index("answer")
    assert shares.loc["Ja", "share"] == pytest.approx(0.5)
    assert shares.loc["Nej", "share"] == pytest.approx(0.5)
    assert shares.loc["Ja", "denominator"] == 4
    assert shares.loc[["Ja", "Nej"], "base"].eq("svar").all()
    assert shares.loc["Vet ej", "share"] == pytest.approx(0.2)
    assert shares.loc["Inget svar", "share"] == pytest.approx(0.2)
    assert shares.loc["Vet ej", "denominator"] == 6
    assert shares.loc["Vet ej", "base"] == "alla"


def test_unweighted_share_is_the_plain_wilson_interval():
    survey = make_survey(yes_no_round(2025, 3, 7))
    row = sa.headline_shares(survey, 2025, LOOSE).iloc[0]
    assert row["share"] == pytest.approx(0.3)
    assert row["deff"] == pytest.approx(1.0)
    assert (row["low"], row["high"]) == pytest.approx(wilson_ci(3, 10))


def test_off_scale_answer_counts_in_denominator_not_in_headline():
    survey = make_survey(
        [
            person("A", {"q14": "Mycket otrygg"}),
            person("B", {"q14": "Går inte ut på grund av otrygghet"}),
            person("C", {"q14": "Går inte ut av andra skäl"}),
            person("D", {"q14": "Mycket trygg"}),
        ]
    )
    row = sa.headline_shares(survey, 2025, LOOSE).iloc[0]
    assert row["share"] == pytest.approx(0.5)  # 2 of 4: off-scale answer is in the denominator
    index = sa.problem_index(survey, 2025, LOOSE).set_index("question_id")
    # Off-scale answer has no code: scores 4.5 (Mycket otrygg), 6, 0 -> mean 3.5
    assert index.loc["q14", "index"] == pytest.approx(3.5)


def test_index_scores_map_codes_linearly_onto_0_to_6():
    assert sa.index_scores([1, 2, 3, 4], 4) == pytest.approx([0, 2, 4, 6])
    assert sa.index_scores([1, 2, 3, 4, 5], 5) == pytest.approx([0, 1.5, 3, 4.5, 6])
    with pytest.raises(ValueError):
        sa.index_scores([5], 4)


def test_unweighted_index_interval_is_the_textbook_t_interval():
    # Codes 2, 2, 3, 3, 4 -> scores 2, 2, 4, 4, 6: mean 3.6, sample variance 2.8,
    # se = sqrt(2.8 / 5) = 0.748331, t(4) = 2.776445 -> 1.522298 … 5.677702.
    answers = ["Ganska litet problem"] * 2 + ["Ganska stort problem"] * 2
    answers += ["Mycket stort problem"]
    survey = make_survey([person(f"R{i}", {"q01": a}) for i, a in enumerate(answers)])
    row = sa.problem_index(survey, 2025, LOOSE).set_index("question_id").loc["q01"]
    assert row["index"] == pytest.approx(3.6)
    assert row["se"] == pytest.approx(0.748331, abs=1e-6)
    assert row["low"] == pytest.approx(1.522298, abs=1e-5)
    assert row["high"] == pytest.approx(5.677702, abs=1e-5)


def test_weighted_mean_uses_kish_effective_n():
    # Scores 0, 6, 6 with weights 1, 1, 2: mean 18/4 = 4.5; weighted variance 27/4;
    # n_eff = 16/6; se = sqrt(6.75 * 3/2 / (16/6)) = 1.948557.
    est = sa.weighted_mean([0, 6, 6], [1, 1, 2])
    assert est.mean == pytest.approx(4.5)
    assert est.n_eff == pytest.approx(16 / 6)
    assert est.se == pytest.approx(1.948557, abs=1e-6)
    t = stats.t.ppf(0.975, 16 / 6 - 1)
    assert est.low == pytest.approx(max(0, 4.5 - t * est.se))
    assert est.high == pytest.approx(min(6, 4.5 + t * est.se))


def test_total_problem_index_averages_each_respondent_first():
    survey = make_survey(
        [
            person("A", {"q01": "Mycket stort problem", "q02": "Ganska litet problem"}),  # 6, 2
            person("B", {"q01": "Inget problem alls", "q02": DONT_KNOW}),  # 0 (half answered)
            person("C", {"q01": None, "q02": None}),  # left out
        ]
    )
    per = sa.respondent_problem_scores(survey)
    assert dict(zip(per["respondent_id"], per["score"], strict=True)) == {"A": 4.0, "B": 0.0}
    total = sa.problem_index(survey, 2025, LOOSE).set_index("question_id").loc["total"]
    assert total["index"] == pytest.approx(2.0)
    assert total["n"] == 2


def test_partly_weighted_rows_are_an_error():
    frame = WEIGHTED.copy()
    frame.loc[0, "weight"] = pd.NA
    with pytest.raises(ValueError, match="some rows have weights"):
        sa.headline_shares(frame, 2025)


# --------------------------------------------------------------------------- suppression


def area_survey() -> pd.DataFrame:
    people = [person(f"A{i}", {"q16": "Ja" if i < 2 else "Nej"}, area="Stad") for i in range(4)]
    people += [person(f"B{i}", {"q16": "Ja"}, area="By 1") for i in range(1)]
    people += [person(f"C{i}", {"q16": "Nej"}, area="By 2") for i in range(1)]
    people += [person("D0", {"q16": DONT_KNOW}, area="By 3")]
    return make_survey(people)


def test_breakdown_suppresses_small_cells_without_pooling():
    table = sa.breakdown(
        area_survey(), 2025, "area", "q16", sa.Settings(min_respondents=3), pool_small_areas=False
    ).set_index("group")
    assert not table.loc["Stad", "suppressed"]
    assert table.loc["Stad", "share"] == pytest.approx(0.5)
    for small in ("By 1", "By 2", "By 3"):
        assert table.loc[small, "suppressed"]
        assert np.isnan(table.loc[small, "share"]) and np.isnan(table.loc[small, "low"])


def test_breakdown_pools_small_areas_and_suppresses_the_pool_if_still_small():
    settings = sa.Settings(min_respondents=2)
    table = sa.breakdown(area_survey(), 2025, "area", "q16", settings).set_index("group")
    assert list(table.index) == ["Stad", sa.OTHER_AREAS]
    pool = table.loc[sa.OTHER_AREAS]
    assert pool["members"] == "By 1, By 2, By 3"
    assert pool["n"] == 2  # By 3 only said "vet ej"
    assert pool["share"] == pytest.approx(0.5)
    strict = sa.breakdown(area_survey(), 2025, "area", "q16", sa.Settings(min_respondents=3))
    assert strict.set_index("group").loc[sa.OTHER_AREAS, "suppressed"]


def test_breakdown_by_sex_and_age_keeps_the_questionnaire_order():
    people = yes_no_round(2025, 2, 2, sex="man", age="65–85")
    people += [person(f"K{i}", {"q16": "Nej"}, sex="kvinna", age="16–24") for i in range(3)]
    survey = make_survey(people)
    by_sex = sa.breakdown(survey, 2025, "sex", "q16", sa.Settings(min_respondents=4))
    assert list(by_sex["group"]) == ["kvinna", "man"]
    assert list(by_sex["suppressed"]) == [True, False]
    by_age = sa.breakdown(survey, 2025, "age_group", "q16", sa.Settings(min_respondents=1))
    assert list(by_age["group"]) == ["16–24", "65–85"]


def test_settings_never_go_below_the_kommun_min_count():
    class Config:
        min_count = 50

    assert sa.settings_from(Config(), 30).min_respondents == 50
    assert sa.Settings().min_respondents == sa.MIN_RESPONDENTS == 30


def test_breakdown_sentence_names_pooled_and_suppressed_groups():
    settings = sa.Settings(min_respondents=3)
    table = sa.breakdown(area_survey(), 2025, "area", "q16", settings)
    assert sa.breakdown_sentence(table, "area", settings) == (
        "By 1, By 2 och By 3 har var för sig färre än 3 svar och är sammanslagna till "
        "”Övriga områden”. Övriga områden: för få svar (färre än 3) för att visa någon siffra."
    )
    survey = area_survey()
    survey = survey[survey["area"] != "By 3"]
    ok = sa.breakdown(survey, 2025, "area", "q16", sa.Settings(min_respondents=1))
    assert sa.breakdown_sentence(ok, "area", sa.Settings(min_respondents=1)) == (
        "Alla grupper har minst 1 svar och visas."
    )
    single = sa.breakdown(area_survey(), 2025, "area", "q16", sa.Settings(min_respondents=1))
    assert sa.breakdown_sentence(single, "area", sa.Settings(min_respondents=1)) == (
        "By 3 har färre än 1 svar och redovisas som ”Övriga områden”. "
        "Övriga områden: för få svar (färre än 1) för att visa någon siffra."
    )


# --------------------------------------------------------------------------- change


@pytest.mark.parametrize(
    ("difference", "p", "better_when_higher", "enough", "expected"),
    [
        (0.10, 0.01, False, True, sa.WORSENED),
        (-0.10, 0.01, False, True, sa.IMPROVED),
        (0.10, 0.01, True, True, sa.IMPROVED),
        (-0.10, 0.01, True, True, sa.WORSENED),
        (0.10, 0.20, False, True, sa.NO_CHANGE),
        (0.10, 0.05, False, True, sa.NO_CHANGE),  # p must be below 0.05
        (0.10, 0.01, False, False, sa.TOO_FEW),
        (0.10, float("nan"), False, True, sa.TOO_FEW),
    ],
)
def test_verdict(difference, p, better_when_higher, enough, expected):
    assert sa.verdict(difference, p, better_when_higher, enough) == expected


def test_change_test_matches_the_unweighted_two_proportion_test():
    survey = make_survey(yes_no_round(2023, 10, 40) + yes_no_round(2025, 25, 25))
    row = sa.compare_rounds(survey, 2025, 2023, LOOSE).set_index("question_id").loc["q16"]
    expected = two_proportion_test(25, 50, 10, 50)
    assert row["diff"] == pytest.approx(0.3)
    assert row["p_value"] == pytest.approx(expected.p_value)
    # The interval is the score interval that inverts this test (checked against a
    # brute-force fit in test_survey_change.py), not Newcombe's.
    assert (row["diff_low"], row["diff_high"]) == pytest.approx((0.115369, 0.466477), abs=1e-6)
    assert row["verdict"] == sa.WORSENED  # more people exposed to crime


def test_change_verdicts_respect_direction_and_small_numbers():
    trust = make_survey(
        [
            person(f"T{r}-{i}", {"q17": a}, round_=r)
            for r, big in ((2023, 15), (2025, 40))
            for i, a in enumerate(
                ["Ganska stort förtroende"] * big + ["Mycket litet förtroende"] * (50 - big)
            )
        ]
    )
    assert sa.compare_rounds(trust, 2025, 2023, LOOSE).iloc[0]["verdict"] == sa.IMPROVED
    same = make_survey(problem_round(2023, 20, 30) + problem_round(2025, 21, 29))
    assert sa.compare_rounds(same, 2025, 2023, LOOSE).iloc[0]["verdict"] == sa.NO_CHANGE
    few = make_survey(problem_round(2023, 1, 9) + problem_round(2025, 9, 1))
    row = sa.compare_rounds(few, 2025, 2023, sa.Settings(min_respondents=30)).iloc[0]
    assert row["verdict"] == sa.TOO_FEW
    assert row["p_value"] < 0.05  # significant, but on too few answers to say


def test_compare_rounds_ranks_most_improved_first_and_marks_significant():
    people = problem_round(2023, 40, 60, "q01") + problem_round(2025, 10, 90, "q01")
    people += problem_round(2023, 10, 90, "q06") + problem_round(2025, 45, 55, "q06")
    people += problem_round(2023, 30, 70, "q02") + problem_round(2025, 31, 69, "q02")
    table = sa.compare_rounds(make_survey(people), 2025, 2023, LOOSE)
    items = table[table["question_id"] != sa.TOTAL_INDEX_ID]
    assert list(items["question_id"]) == ["q01", "q02", "q06"]
    assert list(items["rank"]) == [1, 2, 3]
    assert list(items["verdict"]) == [sa.IMPROVED, sa.NO_CHANGE, sa.WORSENED]
    assert list(items["significant"]) == [True, False, True]
    assert table.iloc[-1]["question_id"] == sa.TOTAL_INDEX_ID
    assert items["q_value"].notna().all()


def test_question_missing_in_one_round_is_not_asked():
    survey = make_survey(problem_round(2023, 5, 5, "q01") + problem_round(2025, 5, 5, "q02"))
    table = sa.compare_rounds(survey, 2025, 2023, LOOSE).set_index("question_id")
    assert table.loc["q01", "verdict"] == sa.NOT_ASKED
    assert table.loc["q02", "verdict"] == sa.NOT_ASKED


def test_mean_difference_test_is_welch():
    a = sa.weighted_mean([1.0, 2.0, 3.0, 4.0, 5.0])
    b = sa.weighted_mean([2.0, 4.0, 6.0, 3.0])
    test = sa.mean_difference_test(a, b)
    ref = stats.ttest_ind([1, 2, 3, 4, 5], [2, 4, 6, 3], equal_var=False)
    assert test.p_value == pytest.approx(ref.pvalue)


def test_pick_rounds():
    survey = make_survey(yes_no_round(2023, 1, 1) + yes_no_round(2025, 1, 1))
    assert sa.pick_rounds(survey, 2025) == (2025, 2023)
    assert sa.pick_rounds(survey, 2024) == (2023, None)
    assert sa.pick_rounds(survey, 2022) == (None, None)


# --------------------------------------------------------------------------- who answered


def test_response_rate_known_and_unknown():
    survey = make_survey(yes_no_round(2025, 30, 70))
    assert sa.response_rate(survey, 2025, 400).rate == pytest.approx(0.25)
    assert sa.response_rate(survey, 2025, 0).rate is None
    with pytest.raises(ValueError):
        sa.response_rate(survey, 2025, 50)
    assert sa.response_rate_sentence(sa.response_rate(survey, 2025), 2025) == (
        "Omgången 2025 har 100 svarande. Hur många som fick enkäten framgår inte av data, "
        "så svarsfrekvensen kan inte anges."
    )
    assert sa.response_rate_sentence(sa.response_rate(survey, 2025, 400), 2025) == (
        "Omgången 2025 har 100 svarande av 400 som fick enkäten: svarsfrekvensen är 25\u00a0%. "
        "Med så låg svarsfrekvens kan de som svarat skilja sig från dem som inte svarat."
    )
    assert sa.response_rate_sentence(sa.response_rate(survey, 2025, 150), 2025) == (
        "Omgången 2025 har 100 svarande av 150 som fick enkäten: svarsfrekvensen är 67\u00a0%."
    )


def composition_survey(old: int, young: int) -> pd.DataFrame:
    people = yes_no_round(2025, old, 0, age="65–85", sex="kvinna")
    people += [person(f"Y{i}", {"q16": "Nej"}, age="16–24", sex="man") for i in range(young)]
    return make_survey(people)


def test_sample_composition_flags_a_skewed_sample():
    structure = {"age_group": {"16–24": 0.5, "65–85": 0.5}}
    comp = sa.sample_composition(composition_survey(160, 40), 2025, structure, "en testbefolkning")
    table = comp.table.set_index("group")
    assert table.loc["65–85", "sample_share"] == pytest.approx(0.8)
    assert table.loc["65–85", "difference"] == pytest.approx(0.3)
    assert comp.chi2["age_group"] == pytest.approx(
        tuple(stats.chisquare([40, 160], [100, 100]))  # structure order: 16–24, 65–85
    )
    assert comp.skewed and comp.skewed_groups == ["16–24 år", "65–85 år"]
    assert sa.composition_sentence(comp) == (
        "Varning: de svarande är snedfördelade jämfört med befolkningen – 16–24 år "
        "(20\u00a0% av de svarande mot 50\u00a0% i befolkningen) och 65–85 år (80\u00a0% av de "
        "svarande mot 50\u00a0% i befolkningen) skiljer sig med mer än 10 procentenheter. "
        "Svaren är inte viktade: andelarna gäller de svarande, inte befolkningen. "
        "Jämförelsen görs mot en testbefolkning."
    )


def test_sample_composition_like_the_population():
    structure = {"age_group": {"16–24": 0.5, "65–85": 0.5}}
    comp = sa.sample_composition(composition_survey(50, 50), 2025, structure, "en testbefolkning")
    assert not comp.skewed
    assert sa.composition_sentence(comp) == (
        "De svarande liknar befolkningen i ålder och kön. Jämförelsen görs mot en testbefolkning."
    )


def test_sample_composition_defaults_to_the_labelled_swedish_structure():
    comp = sa.sample_composition(composition_survey(50, 50), 2025)
    assert comp.structure_label == sa.APPROX_SWEDEN_LABEL
    assert "inte kommunens egen" in sa.composition_sentence(comp)
    assert sum(sa.APPROX_SWEDEN_STRUCTURE["age_group"].values()) == pytest.approx(1.0)


# --------------------------------------------------------------------------- texts


def change_row(verdict, prev=0.12, cur=0.26, qid="q06"):
    return {
        "question_id": qid,
        "verdict": verdict,
        "share_prev": prev,
        "share_cur": cur,
        "diff": cur - prev,
    }


def test_change_sentences_are_pinned():
    assert sa.change_sentence(change_row(sa.WORSENED), 2025, 2023) == (
        "Andelen som ser narkotikahandel som ett ganska eller mycket stort problem i området har "
        "ökat från 12\u00a0% (2023) till 26\u00a0% (2025), +14 procentenheter – en försämring som "
        "är statistiskt säker."
    )
    assert sa.change_sentence(change_row(sa.IMPROVED, 0.22, 0.13, "q03"), 2025, 2023) == (
        "Andelen som ser skadegörelse som ett ganska eller mycket stort problem i området har "
        "minskat från 22\u00a0% (2023) till 13\u00a0% (2025), -9 procentenheter – en förbättring "
        "som är statistiskt säker."
    )
    assert sa.change_sentence(change_row(sa.NO_CHANGE, 0.32, 0.29, "q14"), 2025, 2023) == (
        "Andelen som känner sig otrygga ute ensamma sent en kväll eller inte går ut av otrygghet "
        "var 29\u00a0% 2025 och 32\u00a0% 2023; skillnaden är så liten att den kan bero på slumpen."
    )
    assert sa.change_sentence(change_row(sa.TOO_FEW, qid="q16"), 2025, 2023) == (
        "Om andelen som har blivit utsatta för brott i sitt område går det inte att säga något: "
        "för få svar i någon av omgångarna."
    )
    assert sa.change_sentence(change_row(sa.NOT_ASKED, qid="q02"), 2025, 2023) == (
        "Frågan om klotter ställdes inte både 2023 och 2025."
    )


def test_change_narrative_says_what_improved_worsened_and_cannot_be_said():
    people = problem_round(2023, 40, 60, "q01") + problem_round(2025, 10, 90, "q01")
    people += problem_round(2023, 10, 90, "q06") + problem_round(2025, 45, 55, "q06")
    people += problem_round(2023, 30, 70, "q02") + problem_round(2025, 31, 69, "q02")
    table = sa.compare_rounds(make_survey(people), 2025, 2023, LOOSE)
    paragraphs = sa.change_narrative(table, 2025, 2023).split("\n\n")
    assert paragraphs[0] == "Förbättrat sedan 2023: nedskräpning."
    assert paragraphs[1] == "Försämrat sedan 2023: narkotikahandel."
    assert paragraphs[2].startswith("Andelen som ser narkotikahandel")
    assert paragraphs[3] == (
        "Inget säkert kan sägas om 1 fråga (klotter): skillnaden mot 2023 är så liten att den "
        "kan bero på slumpen i urvalet."
    )
    assert paragraphs[4] == (
        "Med 3 frågor prövade kan någon enstaka skillnad se säker ut av en slump; 2 av 2 säkra "
        "förändringar står sig också när hänsyn tas till de många testerna (Benjamini–Hochberg)."
    )


def test_change_narrative_without_changes_or_previous_round():
    same = make_survey(problem_round(2023, 20, 30) + problem_round(2025, 21, 29))
    text = sa.change_narrative(sa.compare_rounds(same, 2025, 2023, LOOSE), 2025, 2023)
    assert text.split("\n\n")[:2] == [
        "Ingen fråga visar en statistiskt säker förbättring sedan 2023.",
        "Ingen fråga visar en statistiskt säker försämring sedan 2023.",
    ]
    assert sa.change_narrative(None, 2025, None) == (
        "Det finns ingen tidigare omgång att jämföra 2025 med, så inget kan sägas om förändring."
    )
    assert sa.change_narrative(None, None, None) == (
        "Det finns ingen omgång av trygghetsundersökningen att redovisa."
    )


def q14_round(round_: int, unsafe: int, safe: int, weight: float | None = None) -> list[dict]:
    answers = ["Ganska otrygg"] * unsafe + ["Ganska trygg"] * safe
    return [
        person(f"Q{round_}-{i}", {"q14": a}, round_=round_, weight=weight)
        for i, a in enumerate(answers)
    ]


def test_headline_sentence_is_pinned():
    survey = make_survey(q14_round(2023, 30, 70) + q14_round(2025, 30, 70))
    low, high = wilson_ci(30, 100)
    assert sa.headline_sentence(survey, 2025, "Hällefors") == (
        "Enligt trygghetsundersökningen 2025 i Hällefors är andelen som känner sig otrygga ute "
        "ensamma sent en kväll eller inte går ut av otrygghet 30\u00a0% (osäkerhetsintervall "
        f"{round(low * 100)}–{round(high * 100)}\u00a0%; andel av dem som svarade). "
        "År 2023 var andelen 30\u00a0%: ingen säker förändring."
    )
    weighted = make_survey(q14_round(2025, 30, 70, weight=1.0))
    assert "skattat för invånarna 16–85 år" in sa.headline_sentence(weighted, 2025, "X")
    assert sa.headline_sentence(weighted, 2025, "X").endswith("invånarna 16–85 år).")
    few = make_survey(q14_round(2025, 3, 7))
    assert sa.headline_sentence(few, 2025, "X") == (
        "Trygghetsundersökningen 2025 i X har för få svar på frågan om otrygghet sent en kväll "
        "för att ge en säker siffra."
    )
    assert sa.headline_sentence(few, 2020, "X") == (
        "Det finns ingen trygghetsundersökning för X från 2020 eller tidigare."
    )


def test_index_definition_says_it_is_the_projects_own():
    text = sa.index_definition_text()
    assert "projektets eget mått, inte polisens" in text
    assert "inte offentlig" in text
    assert "not public" in sa.__doc__
    assert "not public" in survey_index.__doc__


def test_display_tables_suppress_and_format():
    head = sa.headline_shares(WEIGHTED, 2025, sa.Settings(min_respondents=5))
    shown = sa.headline_table(head)
    assert shown.iloc[0]["Andel"] == sa.SUPPRESSED
    # Answers + vet ej + blank = the round's respondents: with the count hidden, so are they.
    assert shown.iloc[0]["Vet ej"] == "–"
    shown = sa.headline_table(sa.headline_shares(WEIGHTED, 2025, sa.Settings(min_respondents=1)))
    assert shown.iloc[0]["Vet ej"] == "20\u00a0%"
    shown = sa.headline_table(sa.headline_shares(WEIGHTED, 2025, LOOSE))
    assert shown.iloc[0]["Osäkerhetsintervall (95 %)"] == "14–86\u00a0%"


# --------------------------------------------------------------------------- charts


def chart_survey() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    people = []
    for round_ in (2023, 2025):
        for i in range(60):
            answers = {
                qid: QUESTION_BY_ID[qid].answers[rng.integers(len(QUESTION_BY_ID[qid].answers))]
                for qid in ("q01", "q02", "q14", "q16", "q17", "q18")
            }
            people.append(person(f"C{round_}-{i}", answers, round_=round_, area=f"O{i % 3}"))
    return make_survey(people)


def test_charts_return_figures():
    survey = chart_survey()
    changes = sa.compare_rounds(survey, 2025, 2023)
    figures = [
        sa.plot_diverging(survey, 2025),
        sa.plot_diverging(survey, 2025, ["q16"]),  # yes/no only: nothing to draw
        sa.plot_headline_by_round(survey),
        sa.plot_headline_by_group(survey, 2025, "area"),
        sa.plot_index(survey, 2025, 2023),
        sa.plot_index(survey, 2025),
        sa.plot_change(changes, 2025, 2023),
    ]
    assert all(isinstance(f, Figure) for f in figures)
    assert not math.isnan(changes.set_index("question_id").loc["q01", "p_value"])


# --------------------------------------------------------------------------- small numbers


def sex_survey(women: int = 163, men: int = 155, other: int = 9, **kw) -> pd.DataFrame:
    """One round where "annat/vill ej svara" is small: 327 − 163 − 155 = 9."""
    people = [person(f"W{i}", {"q14": "Mycket trygg"}, sex="kvinna", **kw) for i in range(women)]
    people += [person(f"M{i}", {"q14": "Mycket otrygg"}, sex="man", **kw) for i in range(men)]
    people += [
        person(f"O{i}", {"q14": "Mycket otrygg"}, sex="annat/vill ej svara", **kw)
        for i in range(other)
    ]
    return make_survey(people)


def _cells(table: pd.DataFrame) -> set[str]:
    return {str(v) for v in table.to_numpy().ravel()} | {str(i) for i in table.index}


def test_composition_hides_a_small_group_and_what_would_give_it_away():
    survey = sex_survey()
    comp = sa.sample_composition(survey, 2025, settings=sa.Settings(min_respondents=30))
    shown = sa.composition_table(comp)
    sex = shown.loc[["Kvinnor", "Män", "Annat/vill ej svara"], "Antal svarande"]
    # The 9 is under the rule; 155 is hidden too, else 327 − 163 − 155 gives the 9 back.
    assert sex.tolist() == ["163", sa_hidden(), sa_few()]
    assert shown.loc["Män", "Andel av svarande"] == "–"
    assert not {"9", "155"} & _cells(shown)
    assert sa.composition_sentence(comp).count("155") == 0


def test_composition_sentence_gives_no_share_of_a_hidden_group():
    structure = {"age_group": {"16–24": 0.5, "65–85": 0.5}}
    comp = sa.sample_composition(composition_survey(80, 20), 2025, structure, "testbefolkning")
    text = sa.composition_sentence(comp)
    assert "16–24 år (en mindre andel av de svarande än 50\u00a0% i befolkningen)" in text
    assert "20\u00a0%" not in text and "80\u00a0%" not in text


def test_group_table_hides_the_complement_of_a_suppressed_group():
    survey = sex_survey(women=60, men=45, other=4)
    shown = sa.group_table(survey, 2025, "sex", sa.Settings(min_respondents=30))
    counts = shown["Antal svar"].tolist()
    assert counts == ["60", sa_hidden(), sa_few()]
    # The total of the question's answers is shown in the headline table: 109 − 60 = 49 only.
    head = sa.headline_table(sa.headline_shares(survey, 2025, sa.Settings(min_respondents=30)))
    assert "109" in _cells(head)
    # Män still rest on enough answers: their share is shown, "annat"'s is not.
    assert shown.loc["Män", "Andel"] == "100\u00a0%"
    assert shown.loc["Annat/vill ej svara", "Andel"] == sa.SUPPRESSED


def sa_few() -> str:
    from trygghet.present.small_numbers import FEW

    return FEW


def sa_hidden() -> str:
    from trygghet.present.small_numbers import HIDDEN

    return HIDDEN


def test_tables_go_through_the_page_gate_with_their_origin():
    from trygghet.present.tables import PageTable

    survey = sex_survey(women=60, men=45, other=4)
    settings = sa.Settings(min_respondents=30)
    tables = [
        sa.group_table(survey, 2025, "sex", settings),
        sa.headline_table(sa.headline_shares(survey, 2025, settings)),
        sa.index_table(sa.problem_index(survey, 2025, settings)),
        sa.composition_table(sa.sample_composition(survey, 2025, settings=settings)),
    ]
    for table in tables:
        assert isinstance(table, PageTable)
        assert table.origin == "example"
        assert "EXEMPELDATA" in table._repr_html_()


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]


def test_group_chart_says_too_few_where_the_table_does_and_draws_no_point():
    survey = sex_survey(women=60, men=45, other=3)
    fig = sa.plot_headline_by_group(survey, 2025, "sex", "q14", sa.Settings(min_respondents=30))
    ax = fig.axes[0]
    assert sa.SUPPRESSED in _texts(fig)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "Annat/vill ej svara" in labels
    row = ax.get_yticks()[labels.index("Annat/vill ej svara")]
    # No marker drawn on the suppressed group's row (points are Line2D data of the errorbars).
    markers = [line for line in ax.lines if line.get_marker() not in ("None", "", None)]
    assert markers
    for line in markers:
        ys = np.asarray(line.get_ydata(), dtype=float)
        assert not np.isclose(ys, row).any()
    assert "EXEMPELDATA" in _texts(fig)


def test_change_chart_draws_too_few_instead_of_a_point():
    people = yes_no_round(2023, 2, 1) + yes_no_round(2025, 40, 40)
    survey = make_survey(people)
    changes = sa.compare_rounds(survey, 2025, 2023, sa.Settings(min_respondents=30))
    fig = sa.plot_change(changes, 2025, 2023)
    assert sa.SUPPRESSED in _texts(fig)
    ax = fig.axes[0]
    assert not [line for line in ax.lines if len(line.get_xdata()) and line.get_marker() == "o"]
    table = sa.change_table(changes, 2025, 2023)
    row = table[table["Fråga"] == sa.label("q16")].iloc[0]
    assert row["Andel 2023"] == sa.SUPPRESSED and row["Förändring"] == "–"
