"""Loading the survey and its weighted shares: settings, rounds, weights, answer and headline shares.

Input is the processed table ``survey`` (one row per respondent and question,
see :mod:`trygghet.sources.survey` and ``docs/data/survey.md``).

Definitions (the council reads figures built on them, so they are written down):

* **Weights.** When a round carries weights (``weight`` column) every share and
  mean is weighted; otherwise every respondent counts once. Intervals account
  for unequal weights through Kish's effective sample size
  ``n_eff = (sum w)^2 / sum w^2`` (design effect ``deff = n / n_eff``), see
  :func:`trygghet.stats.proportions.weighted_share`. Stratification and clustering
  of the real sample design are not known here and are ignored: the intervals
  are approximations, not the survey's official margins.
* **Denominators.** A share of an answer category is a share of the
  *substantive* answers: the scale answers plus off-scale answers such as
  "Går inte ut av andra skäl". "Vet ej" and no answer (blank) are **not** in
  that denominator; they are reported separately, each as a share of everyone
  who got the question (all rows of the question in the round).
* **Headline share.** The share of substantive answers that are one of the
  question's ``headline`` answers (``in_headline``), e.g. for q14 Brå's NTU
  indicator "mycket/ganska otrygg out alone late in the evening, or does not go
  out because of insecurity".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from trygghet.config import KommunConfig
from trygghet.reports.survey.questions import label, question
from trygghet.sources import processed
from trygghet.sources.survey import QUESTIONS
from trygghet.stats.proportions import weighted_share

TABLE = "survey"
SOURCE_TEXT = "Trygghetsundersökning i kommunen (enkätsvar), egen bearbetning"

# --------------------------------------------------------------------------- settings

#: Fewest substantive answers behind a shown share, index or change (see
#: :mod:`trygghet.reports.survey.breakdowns` for why 30).
MIN_RESPONDENTS = 30
LEVEL = 0.95
#: A group whose share of the sample differs from the population by more than this is skewed.
SKEW_THRESHOLD = 0.10


@dataclass(frozen=True)
class Settings:
    """How small numbers and uncertainty are handled in the survey report."""

    min_respondents: int = MIN_RESPONDENTS
    level: float = LEVEL
    skew_threshold: float = SKEW_THRESHOLD

    def __post_init__(self) -> None:
        if self.min_respondents < 1:
            raise ValueError("min_respondents must be at least 1")
        if not 0 < self.level < 1:
            raise ValueError("level must be between 0 and 1")


def settings_from(config: KommunConfig, min_respondents: int = MIN_RESPONDENTS) -> Settings:
    """The report's settings: ``min_respondents`` but never below the kommun's ``min_count``."""
    return Settings(min_respondents=max(int(min_respondents), int(config.min_count)))


# --------------------------------------------------------------------------- data


def load(kommun: str) -> pd.DataFrame:
    """The kommun's processed ``survey`` table."""
    return processed.load_table(kommun, TABLE)


def rounds(survey: pd.DataFrame) -> list[int]:
    """The survey rounds in the table, oldest first."""
    return sorted(int(r) for r in survey["round"].dropna().unique())


def pick_rounds(survey: pd.DataFrame, period: int) -> tuple[int | None, int | None]:
    """The round the report shows (the latest up to ``period``) and the one before it."""
    usable = [r for r in rounds(survey) if r <= int(period)]
    if not usable:
        return None, None
    return usable[-1], (usable[-2] if len(usable) > 1 else None)


def in_round(survey: pd.DataFrame, round_: int) -> pd.DataFrame:
    return survey[survey["round"] == int(round_)]


def respondents(survey: pd.DataFrame, round_: int) -> pd.DataFrame:
    """One row per respondent of the round (background and weight)."""
    cols = ["respondent_id", "area", "age_group", "sex", "weight"]
    return in_round(survey, round_)[cols].drop_duplicates("respondent_id")


def is_weighted(frame: pd.DataFrame) -> bool:
    """True when the rows carry weights (all of them; a partly weighted frame is an error)."""
    w = frame["weight"]
    if w.isna().all():
        return False
    if w.isna().any():
        raise ValueError(
            "some rows have weights and some do not: a share would treat the rest as zero"
        )
    return True


def weights_of(frame: pd.DataFrame) -> np.ndarray | None:
    """The rows' weights, or None when the round is unweighted (everyone counts once)."""
    return frame["weight"].to_numpy(dtype=float) if is_weighted(frame) else None


def by_question(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The rows of each question, in the frame's order: one pass instead of a mask per question.

    (A set or a mask of the Arrow-backed question column per question cost a third
    of the survey report's analysis: issue 16.)
    """
    return {str(k): g for k, g in frame.groupby("question_id", sort=False, observed=True)}


def substantive(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with a scale or off-scale answer (not vet ej, not blank)."""
    return frame[~frame["is_dont_know"] & ~frame["is_missing"]]


# --------------------------------------------------------------------------- shares

DONT_KNOW_LABEL = "Vet ej"
NO_ANSWER_LABEL = "Inget svar"


def answer_shares(survey: pd.DataFrame, round_: int, level: float = LEVEL) -> pd.DataFrame:
    """Share of every answer of every question in a round, with intervals.

    Rows with ``base == "svar"`` are shares of the substantive answers (scale
    and off-scale); rows for "Vet ej" and "Inget svar" have ``base == "alla"``
    and are shares of everyone who got the question. ``n`` is the unweighted
    number of respondents giving that answer, ``denominator`` the unweighted
    base.
    """
    frame = in_round(survey, round_)
    rows: list[dict[str, object]] = []
    for qid, part in frame.groupby("question_id", sort=True):
        q = question(str(qid))
        w_all = weights_of(part)
        valid = substantive(part)
        w_valid = weights_of(valid) if len(valid) else None
        answers = valid["answer"].astype(str).to_numpy()
        for answer in q.categories + q.other:
            est = weighted_share(answers == answer, w_valid, level)
            rows.append(
                _share_row(qid, answer, "svar", int((answers == answer).sum()), len(valid), est)
            )
        for name, flags in (
            (DONT_KNOW_LABEL, part["is_dont_know"]),
            (NO_ANSWER_LABEL, part["is_missing"]),
        ):
            if name == DONT_KNOW_LABEL and q.dont_know is None:
                continue
            values = flags.to_numpy(dtype=bool)
            est = weighted_share(values, w_all, level)
            rows.append(_share_row(qid, name, "alla", int(values.sum()), len(part), est))
    return pd.DataFrame(rows)


def _share_row(qid: object, answer: str, base: str, n: int, denominator: int, est) -> dict:
    return {
        "question_id": str(qid),
        "answer": answer,
        "base": base,
        "n": n,
        "denominator": denominator,
        "share": est.share,
        "low": est.low,
        "high": est.high,
    }


def headline_estimate(part: pd.DataFrame, level: float = LEVEL):
    """Weighted headline share of one question's rows (substantive answers only)."""
    valid = substantive(part)
    values = valid["in_headline"].astype("boolean").to_numpy(dtype=float, na_value=np.nan)
    return weighted_share(values, weights_of(valid) if len(valid) else None, level)


def headline_shares(
    survey: pd.DataFrame, round_: int, settings: Settings | None = None
) -> pd.DataFrame:
    """Per question: headline share with interval, Kish n_eff and deff, vet ej and blank shares.

    ``enough`` is False when fewer than ``min_respondents`` substantive answers
    exist; the figures are still returned (for tests and analysts) but display
    functions show "för få svar" instead.
    """
    settings = settings or Settings()
    frame = in_round(survey, round_)
    rows = []
    parts = by_question(frame)
    for qid in [q.id for q in QUESTIONS if q.id in parts]:
        part = parts[qid]
        est = headline_estimate(part, settings.level)
        w_all = weights_of(part)
        dk = weighted_share(part["is_dont_know"].to_numpy(dtype=bool), w_all, settings.level)
        blank = weighted_share(part["is_missing"].to_numpy(dtype=bool), w_all, settings.level)
        rows.append(
            {
                "question_id": qid,
                "label": label(qid),
                "n": est.n,
                "n_eff": est.n_eff,
                "deff": est.deff,
                "share": est.share,
                "low": est.low,
                "high": est.high,
                "dont_know_share": dk.share if question(qid).dont_know else np.nan,
                "missing_share": blank.share,
                "enough": est.n >= settings.min_respondents,
            }
        )
    out = pd.DataFrame(rows)
    out.attrs["origin"] = processed.origin(survey)
    out.attrs["min_respondents"] = settings.min_respondents
    return out
