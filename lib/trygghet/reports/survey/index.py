"""Problem index 0–6 (this project's own) and the weighted mean behind it.

* **Index 0–6 (this project's own).** The police show a problem index on a
  0–6 scale, but **their formula is not public**. This project uses its own:
  an answer with code ``c`` on a scale of ``k`` categories scores
  ``6 (c - 1) / (k - 1)`` (first category 0, last category 6, evenly spaced)
  when more is worse, and ``6 (k - c) / (k - 1)`` when more is better (trust),
  so that for **every question 0 is the best answer and 6 the worst**
  (the question's ``direction``); the index is the weighted mean score over
  the scale answers (vet ej, no answer and off-scale answers left out). A
  higher index is therefore always worse, and so is a rise. The **total problem index** is the
  weighted mean over respondents of each respondent's mean score on the
  problem items (q01–q11), counting respondents who answered at least half of
  them. It is therefore *not* comparable with the police's published index.
  The interval is ``mean ± t * se`` with ``se = sqrt(s2 * n / (n - 1) / n_eff)``
  (``s2`` the weighted variance) and ``n_eff - 1`` degrees of freedom, i.e.
  the ordinary t-interval when there are no weights, Kish-inflated otherwise.
  Index items exist for every question with at least three scale categories;
  yes/no questions have no index.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from trygghet.reports.survey.analysis import LEVEL, Settings, by_question, in_round, weights_of
from trygghet.reports.survey.questions import (
    TOTAL_INDEX_ID,
    has_index,
    higher_is_better,
    label,
    question,
)
from trygghet.sources import processed
from trygghet.sources.survey import PROBLEM_SCALE, QUESTIONS

INDEX_MAX = 6.0


@dataclass(frozen=True, slots=True)
class MeanEstimate:
    """A weighted mean with a Kish-adjusted t-interval."""

    mean: float
    low: float
    high: float
    se: float
    n: int
    n_eff: float
    level: float


def weighted_mean(
    values: Sequence[float] | np.ndarray,
    weights: Sequence[float] | np.ndarray | None = None,
    level: float = LEVEL,
    bounds: tuple[float, float] = (0.0, INDEX_MAX),
) -> MeanEstimate:
    """Weighted mean with an approximate interval from Kish's effective sample size.

    Method: ``mean = sum(w x) / sum(w)``; ``s2 = sum(w (x - mean)^2) / sum(w)``;
    ``se = sqrt(s2 * n / (n - 1) / n_eff)`` with ``n_eff = (sum w)^2 / sum(w^2)``;
    interval ``mean ± t(n_eff - 1) * se`` clipped to ``bounds``. Without weights
    this is exactly the textbook t-interval ``mean ± t(n-1) s / sqrt(n)``.
    NaN values are dropped. Fewer than two values give no interval.

    Assumptions: as for :func:`trygghet.stats.proportions.weighted_share` (weights
    unrelated to the outcome; design apart from weighting ignored).
    """
    x = np.asarray(values, dtype=float).ravel()
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float).ravel()
    if x.shape != w.shape:
        raise ValueError("values and weights must have the same length")
    keep = ~np.isnan(x) & ~np.isnan(w)
    x, w = x[keep], w[keep]
    if np.any(w < 0):
        raise ValueError("weights must be non-negative")
    n = int(x.size)
    total = float(w.sum())
    if n == 0 or total == 0:
        return MeanEstimate(np.nan, np.nan, np.nan, np.nan, n, 0.0, level)
    mean = float((w * x).sum() / total)
    n_eff = total * total / float((w * w).sum())
    if n < 2 or n_eff <= 1:
        return MeanEstimate(mean, np.nan, np.nan, np.nan, n, n_eff, level)
    s2 = float((w * (x - mean) ** 2).sum() / total)
    se = math.sqrt(s2 * n / (n - 1) / n_eff)
    t = float(stats.t.ppf(1 - (1 - level) / 2, n_eff - 1))
    low, high = max(bounds[0], mean - t * se), min(bounds[1], mean + t * se)
    return MeanEstimate(mean, low, high, se, n, n_eff, level)


def index_scores(
    codes: Sequence[float] | np.ndarray | pd.Series, n_categories: int, reverse: bool = False
) -> np.ndarray:
    """Answer codes 1..k mapped linearly onto 0–6: ``6 (c - 1) / (k - 1)`` (project's own).

    ``reverse`` (a question where more is better) maps code ``k`` to 0 and 1 to 6,
    so that 6 is always the worst answer.
    """
    if n_categories < 2:
        raise ValueError("an index needs at least two categories")
    c = pd.to_numeric(pd.Series(codes), errors="coerce").to_numpy(dtype=float)
    if np.any((c < 1) | (c > n_categories)):
        raise ValueError(f"answer codes must be between 1 and {n_categories}")
    steps = (n_categories - c) if reverse else (c - 1)
    return INDEX_MAX * steps / (n_categories - 1)


def index_estimate(part: pd.DataFrame, question_id: str, level: float = LEVEL) -> MeanEstimate:
    """0–6 index (project's own formula, 0 = best and 6 = worst answer) of one question's rows."""
    scale = part[part["answer_code"].notna()]
    k = len(question(question_id).categories)
    scores = index_scores(scale["answer_code"], k, reverse=higher_is_better(question_id))
    return weighted_mean(scores, weights_of(scale) if len(scale) else None, level)


def respondent_problem_scores(frame: pd.DataFrame) -> pd.DataFrame:
    """Each respondent's mean 0–6 score on the problem items (at least half answered).

    Returns ``respondent_id``, ``score``, ``answered``, ``weight`` for the
    respondents that count towards the total problem index.
    """
    problem_ids = [q.id for q in QUESTIONS if q.kind == "problem"]
    part = frame[frame["question_id"].isin(problem_ids)]
    asked = part["question_id"].nunique()
    if asked == 0:
        return pd.DataFrame(columns=["respondent_id", "score", "answered", "weight"])
    scale = part[part["answer_code"].notna()].copy()
    k = {q.id: len(q.categories) for q in QUESTIONS}
    n_cat = scale["question_id"].map(k).to_numpy(dtype=float)
    code = scale["answer_code"].to_numpy(dtype=float)
    reverse = scale["question_id"].map(higher_is_better).to_numpy(dtype=bool)
    scale["score"] = INDEX_MAX * np.where(reverse, n_cat - code, code - 1) / (n_cat - 1)
    per = scale.groupby("respondent_id", sort=False).agg(
        score=("score", "mean"), answered=("score", "size"), weight=("weight", "first")
    )
    per = per[per["answered"] >= math.ceil(asked / 2)]
    return per.reset_index()


def total_index_estimate(frame: pd.DataFrame, level: float = LEVEL) -> MeanEstimate:
    """Total problem index: weighted mean over respondents of their mean problem score."""
    per = respondent_problem_scores(frame)
    if per.empty:
        return weighted_mean([], None, level)
    w = None if per["weight"].isna().all() else per["weight"].to_numpy(dtype=float)
    return weighted_mean(per["score"].to_numpy(dtype=float), w, level)


def problem_index(
    survey: pd.DataFrame, round_: int, settings: Settings | None = None
) -> pd.DataFrame:
    """0–6 index per ordinal question plus the total problem index (project's own formula).

    For every row 0 is the best answer and 6 the worst (``worst_answer``): a
    question where more is better (trust) is scored in reverse
    (``reversed``), so a higher index always means worse.
    """
    settings = settings or Settings()
    frame = in_round(survey, round_)
    rows = []
    parts = by_question(frame)
    present = set(parts)
    for q in QUESTIONS:
        if q.id not in present or not has_index(q.id):
            continue
        est = index_estimate(parts[q.id], q.id, settings.level)
        rows.append(_index_row(q.id, q.kind, est, settings))
    if any(q.kind == "problem" and q.id in present for q in QUESTIONS):
        rows.append(
            _index_row(
                TOTAL_INDEX_ID, "problem", total_index_estimate(frame, settings.level), settings
            )
        )
    out = pd.DataFrame(rows)
    out.attrs["origin"] = processed.origin(survey)
    out.attrs["min_respondents"] = settings.min_respondents
    return out


def _index_row(qid: str, kind: str, est: MeanEstimate, settings: Settings) -> dict:
    total = qid == TOTAL_INDEX_ID
    return {
        "question_id": qid,
        "label": label(qid),
        "kind": kind,
        "reversed": False if total else higher_is_better(qid),
        "worst_answer": PROBLEM_SCALE[-1] if total else question(qid).worst_answer,
        "n": est.n,
        "n_eff": est.n_eff,
        "index": est.mean,
        "low": est.low,
        "high": est.high,
        "se": est.se,
        "enough": est.n >= settings.min_respondents,
    }
