"""The 0–6 index means the same for every question: 0 = best answer, 6 = worst (issue 16)."""

from __future__ import annotations

import pandas as pd
import pytest
from test_survey import make_survey, person

from trygghet.reports import survey as sa
from trygghet.sources import survey as source
from trygghet.sources.survey import QUESTIONS

LOOSE = sa.Settings(min_respondents=1)


def test_every_question_states_its_direction():
    for q in QUESTIONS:
        assert q.direction in source.DIRECTIONS, q.id
        # The kinds the report used to hard-code agree with the definitions.
        assert (q.direction == source.HIGHER_IS_BETTER) == (q.kind in sa.HIGHER_IS_BETTER_KINDS)
        assert sa.higher_is_better(q.id) == (q.direction == source.HIGHER_IS_BETTER)
    with pytest.raises(TypeError):
        source.Question(id="x", text="?", kind="problem", categories=("a", "b"), headline=("b",))
    with pytest.raises(ValueError):
        source.Question(
            id="x", text="?", kind="problem", categories=("a",), headline=(), direction="up"
        )
    assert set(source.questions_table()["direction"]) == set(source.DIRECTIONS)


def _everyone(answers: dict[str, str], n: int = 40, round_: int = 2025) -> list[dict]:
    return [person(f"R{round_}-{i}", answers, round_=round_) for i in range(n)]


def test_best_answers_give_0_and_worst_give_6_for_every_kind():
    best = {q.id: q.best_answer for q in QUESTIONS if sa.has_index(q.id)}
    worst = {q.id: q.worst_answer for q in QUESTIONS if sa.has_index(q.id)}
    assert best["q17"] == "Mycket stort förtroende" and worst["q17"] == "Mycket litet förtroende"
    assert worst["q01"] == "Mycket stort problem"
    for answers, expected in ((best, 0.0), (worst, 6.0)):
        index = sa.problem_index(make_survey(_everyone(answers)), 2025, LOOSE)
        assert index.set_index("question_id")["index"].to_dict() == pytest.approx(
            {qid: expected for qid in [*answers, sa.TOTAL_INDEX_ID]}
        )


def test_trust_is_scored_in_reverse_by_hand():
    # Trust q17, 4 categories: codes 1..4 score 6, 4, 2, 0. Answers 4, 4, 3, 1 -> mean (0+0+2+6)/4.
    cats = source.QUESTION_BY_ID["q17"].categories
    people = [person(f"T{i}", {"q17": cats[c - 1]}) for i, c in enumerate((4, 4, 3, 1))]
    row = sa.problem_index(make_survey(people), 2025, LOOSE).set_index("question_id").loc["q17"]
    assert row["index"] == pytest.approx(2.0)
    assert bool(row["reversed"]) and row["worst_answer"] == "Mycket litet förtroende"
    assert list(sa.index_scores([1, 2, 3, 4], 4, reverse=True)) == [6.0, 4.0, 2.0, 0.0]


def test_the_index_table_header_says_what_high_means_and_names_the_worst_answer():
    answers = {"q01": "Ganska stort problem", "q17": "Ganska stort förtroende"}
    table = pd.DataFrame(sa.index_table(sa.problem_index(make_survey(_everyone(answers)), 2025)))
    assert sa.INDEX_HEADER in table.columns and "högre = sämre" in sa.INDEX_HEADER
    rows = table  # indexed by "Fråga"
    assert rows.loc["Förtroende för polisen", "6 betyder"] == (
        "mycket litet förtroende (omvänd skala)"
    )
    assert rows.loc["Nedskräpning", "6 betyder"] == "mycket stort problem"
    # Good trust (code 3 of 4) now ranks as low as a small problem would: index 2,0.
    assert rows.loc["Förtroende för polisen", sa.INDEX_HEADER] == "2,0"
    assert rows.loc["Nedskräpning", sa.INDEX_HEADER] == "4,0"
    assert "Ett högre index är alltså alltid sämre" in sa.index_definition_text()


def test_rising_trust_is_an_improvement_of_the_index_too():
    cats = source.QUESTION_BY_ID["q17"].categories
    people = _everyone({"q17": cats[0]}, 50, 2023) + _everyone({"q17": cats[3]}, 50, 2025)
    row = sa.compare_rounds(make_survey(people), 2025, 2023, LOOSE).set_index("question_id")
    q17 = row.loc["q17"]
    assert q17["verdict"] == sa.IMPROVED  # the headline share (stort förtroende) rose
    assert q17["index_cur"] < q17["index_prev"]  # the index (6 = worst) fell
    assert q17["index_verdict"] == sa.IMPROVED
