"""The survey's questions as the report names and reads them.

The questionnaire itself (ids, wording, answer scales, headline answers) is
:mod:`trygghet.sources.survey`; this module adds what the report needs on top:
short labels, what each headline share counts in words, which way is better,
and which questions get a 0–6 index.

* **Direction.** Every scale runs from the least to the most of what it
  measures, and every question states in its definition
  (:attr:`trygghet.sources.survey.Question.direction`) which way is better:
  for problems, worry, insecurity and exposure more is worse; for trust
  (kind ``förtroende``) more is better. "Förbättring"/"försämring" and the
  orientation of the 0–6 index (0 = best, 6 = worst for every question) use
  that direction.
"""

from __future__ import annotations

from trygghet.sources.survey import HIGHER_IS_BETTER, QUESTION_BY_ID, QUESTIONS, Question

#: The question behind the report's key sentence (Brå's NTU insecurity indicator).
KEY_QUESTION = "q14"
#: Question kinds where a higher answer code is better (kept for callers; the rule
#: itself is each question's ``direction``, and a test keeps the two in step).
HIGHER_IS_BETTER_KINDS = frozenset({"förtroende"})

#: The total problem index is reported beside the questions, under this id and label.
TOTAL_INDEX_ID = "total"
TOTAL_INDEX_LABEL = "Totalt problemindex"


def question(question_id: str) -> Question:
    return QUESTION_BY_ID[question_id]


def label(question_id: str) -> str:
    """Short Swedish label of a question (its topic, capitalised), or of the total index."""
    if question_id == TOTAL_INDEX_ID:
        return TOTAL_INDEX_LABEL
    topic = question(question_id).topic or question_id
    return topic[:1].upper() + topic[1:]


#: What the headline share of each question counts, as "andelen som …".
HEADLINE_PHRASES: dict[str, str] = {
    "q12": "är ganska eller mycket oroliga för inbrott i bostaden",
    "q13": "är ganska eller mycket oroliga för misshandel eller rån i området",
    "q14": "känner sig otrygga ute ensamma sent en kväll eller inte går ut av otrygghet",
    "q15": "har avstått från att gå ut på kvällen av oro för brott",
    "q16": "har blivit utsatta för brott i sitt område",
    "q17": "har ganska eller mycket stort förtroende för polisens arbete i området",
    "q18": "tycker att polis och kommun arbetar tillsammans mot problemen i området",
}


def headline_phrase(question_id: str) -> str:
    """What the headline share counts, to follow "andelen som"."""
    if question_id in HEADLINE_PHRASES:
        return HEADLINE_PHRASES[question_id]
    q = question(question_id)
    if q.kind == "problem":
        return f"ser {q.topic} som ett ganska eller mycket stort problem i området"
    answers = [a.lower() for a in q.headline]
    joined = answers[0] if len(answers) == 1 else f"{', '.join(answers[:-1])} eller {answers[-1]}"
    return f"svarar {joined} på frågan om {q.topic}"


#: The headline answers in two or three words, for chart labels.
HEADLINE_SHORT: dict[str, str] = {
    "problem": "stort problem",
    "oro": "orolig",
    "trygghet": "otrygg",
    "utsatthet": "ja",
    "förtroende": "stort förtroende",
    "q15": "ja",
    "q18": "stämmer bra",
}


def headline_label(question_id: str) -> str:
    """Chart label naming the question and its headline answer: "Oro för våld: orolig"."""
    q = question(question_id)
    short = HEADLINE_SHORT.get(q.id) or HEADLINE_SHORT.get(q.kind) or "/".join(q.headline)
    return f"{label(question_id)}: {short.lower()}"


def higher_is_better(question_id: str) -> bool:
    """True when a higher answer code (and a higher headline share) is better.

    From the question's own ``direction``; the total problem index: False.
    """
    if question_id == TOTAL_INDEX_ID:
        return False
    return question(question_id).direction == HIGHER_IS_BETTER


def has_index(question_id: str) -> bool:
    """Questions with at least three scale categories get a 0–6 index."""
    return len(question(question_id).categories) >= 3


def key_question_ids() -> list[str]:
    """The questions in the headline charts: everything but the problem items (shown in the index)."""
    return [q.id for q in QUESTIONS if q.kind != "problem"]


def problem_question_ids() -> list[str]:
    return [q.id for q in QUESTIONS if q.kind == "problem"]
