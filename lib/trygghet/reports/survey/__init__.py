"""The safety survey (trygghetsundersökning): shares, indices and change, with margins of error.

Input is the processed table ``survey`` (one row per respondent and question,
see :mod:`trygghet.sources.survey` and ``docs/data/survey.md``). Published
municipal survey results almost never show a margin of error; this module
always does, and it refuses to compare or break down figures that rest on
too few answers.

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
* **Index 0–6 (this project's own).** The police show a problem index on a
  0–6 scale, but **their formula is not public**. This project uses its own:
  an answer with code ``c`` on a scale of ``k`` categories scores
  ``6 (c - 1) / (k - 1)`` (first category 0, last category 6, evenly spaced),
  and the index is the weighted mean score over the scale answers (vet ej, no
  answer and off-scale answers left out). The **total problem index** is the
  weighted mean over respondents of each respondent's mean score on the
  problem items (q01–q11), counting respondents who answered at least half of
  them. It is therefore *not* comparable with the police's published index.
  The interval is ``mean ± t * se`` with ``se = sqrt(s2 * n / (n - 1) / n_eff)``
  (``s2`` the weighted variance) and ``n_eff - 1`` degrees of freedom, i.e.
  the ordinary t-interval when there are no weights, Kish-inflated otherwise.
  Index items exist for every question with at least three scale categories;
  yes/no questions have no index.
* **Direction.** Every scale runs from the least to the most of what it
  measures. For problems, worry, insecurity and exposure more is worse; for
  trust (kind ``förtroende``) more is better. "Förbättring"/"försämring" use
  that direction.
* **Change since the previous round.** Headline shares are compared with
  :func:`trygghet.stats.proportions.weighted_two_proportion_test` (pooled z-test on
  the effective sample sizes, Newcombe interval), index means with a Welch
  t-test on the Kish standard errors. The verdict at the 95 % level is
  "förbättring", "försämring" or "ingen säker förändring"; when either round
  has fewer than ``min_respondents`` substantive answers it is "för få svar
  för att säga". With 18 questions about one in twenty unchanged questions
  will look "säker" by chance, so the Benjamini–Hochberg q-value is reported
  beside the p-value and the narrative says how many changes survive it.
* **Small groups.** Breakdowns by area, sex and age group suppress every
  cell with fewer than ``min_respondents`` substantive answers (default
  :data:`MIN_RESPONDENTS` = 30, never below the kommun's ``min_count``): with
  30 answers a share of 50 % already has a margin of about ±17 percentage
  points. Small areas are first pooled into "Övriga områden" so that the
  villages are not lost altogether.
* **Who answered.** The response rate needs the number of questionnaires sent
  out, which the table does not hold: it is a parameter, and when it is
  unknown the text says so. The sample's age and sex structure is compared
  with a population structure given by the caller; without one an
  approximate structure for all of Sweden aged 16–85
  (:data:`APPROX_SWEDEN_STRUCTURE`, rounded from SCB's population statistics
  2023) is used and labelled as such – a small inland kommun is usually older.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from scipy import stats

from trygghet.config import KommunConfig
from trygghet.present import style
from trygghet.present.swedish import fmt_int, fmt_number, fmt_percent, join_list, plural
from trygghet.sources import processed as tables
from trygghet.sources.survey import AGE_GROUPS, QUESTION_BY_ID, QUESTIONS, SEXES, Question
from trygghet.stats.proportions import weighted_share, weighted_two_proportion_test

TABLE = "survey"
SOURCE_TEXT = "Trygghetsundersökning i kommunen (enkätsvar), egen bearbetning"

#: Fewest substantive answers behind a shown share, index or change (see module docstring).
MIN_RESPONDENTS = 30
LEVEL = 0.95
INDEX_MAX = 6.0
#: A group whose share of the sample differs from the population by more than this is skewed.
SKEW_THRESHOLD = 0.10
#: The question behind the report's key sentence (Brå's NTU insecurity indicator).
KEY_QUESTION = "q14"
#: Question kinds where a higher answer code is better.
HIGHER_IS_BETTER_KINDS = frozenset({"förtroende"})

IMPROVED = "förbättring"
WORSENED = "försämring"
NO_CHANGE = "ingen säker förändring"
TOO_FEW = "för få svar för att säga"
NOT_ASKED = "frågan ställdes inte båda omgångarna"
VERDICTS: tuple[str, ...] = (IMPROVED, WORSENED, NO_CHANGE, TOO_FEW, NOT_ASKED)

SUPPRESSED = "för få svar"
OTHER_AREAS = "Övriga områden"
WHOLE_KOMMUN = "Hela kommunen"
TOTAL_INDEX_ID = "total"
TOTAL_INDEX_LABEL = "Totalt problemindex"
DONT_KNOW_LABEL = "Vet ej"
NO_ANSWER_LABEL = "Inget svar"

#: Approximate structure of Sweden's population aged 16–85 (SCB, population
#: 31 Dec 2023, rounded to whole percent). Not any kommun's own structure: used
#: only when the caller gives none, and always labelled as such.
APPROX_SWEDEN_STRUCTURE: dict[str, dict[str, float]] = {
    "age_group": {"16–24": 0.13, "25–44": 0.33, "45–64": 0.30, "65–85": 0.24},
    "sex": {"kvinna": 0.50, "man": 0.50},
}
APPROX_SWEDEN_LABEL = (
    "ungefärlig befolkningsstruktur för hela Sverige 16–85 år (SCB 2023, avrundad), "
    "inte kommunens egen"
)

BY_LABELS = {"area": "område", "sex": "kön", "age_group": "åldersgrupp"}
SEX_LABELS = {"kvinna": "Kvinnor", "man": "Män", "annat/vill ej svara": "Annat/vill ej svara"}

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


# --------------------------------------------------------------------------- settings


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
    return tables.load_table(kommun, TABLE)


def question(question_id: str) -> Question:
    return QUESTION_BY_ID[question_id]


def label(question_id: str) -> str:
    """Short Swedish label of a question (its topic, capitalised), or of the total index."""
    if question_id == TOTAL_INDEX_ID:
        return TOTAL_INDEX_LABEL
    topic = question(question_id).topic or question_id
    return topic[:1].upper() + topic[1:]


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


def headline_label(question_id: str) -> str:
    """Chart label naming the question and its headline answer: "Oro för våld: orolig"."""
    q = question(question_id)
    short = HEADLINE_SHORT.get(q.id) or HEADLINE_SHORT.get(q.kind) or "/".join(q.headline)
    return f"{label(question_id)}: {short.lower()}"


def higher_is_better(question_id: str) -> bool:
    """True when a higher answer code (and a higher headline share) is better."""
    if question_id == TOTAL_INDEX_ID:
        return False
    return question(question_id).kind in HIGHER_IS_BETTER_KINDS


def has_index(question_id: str) -> bool:
    """Questions with at least three scale categories get a 0–6 index."""
    return len(question(question_id).categories) >= 3


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


def _weights(frame: pd.DataFrame) -> np.ndarray | None:
    return frame["weight"].to_numpy(dtype=float) if is_weighted(frame) else None


def _substantive(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with a scale or off-scale answer (not vet ej, not blank)."""
    return frame[~frame["is_dont_know"] & ~frame["is_missing"]]


def rounds_text(survey: pd.DataFrame, period: int) -> str:
    """Which rounds the data has and which the report shows."""
    all_rounds = rounds(survey)
    current, previous = pick_rounds(survey, period)
    if current is None:
        return (
            f"Data har omgångarna {join_list(all_rounds)}, men ingen från {period} eller tidigare."
        )
    n = respondents(survey, current).shape[0]
    weighted = is_weighted(in_round(survey, current))
    text = (
        f"Omgångar i data: {join_list(all_rounds)}. Rapporten visar omgången {current} "
        f"({plural(n, 'svarande', 'svarande')}, "
        f"{'viktade svar' if weighted else 'oviktade svar'})"
    )
    if previous is None:
        return text + " och har ingen tidigare omgång att jämföra med."
    return text + f" och jämför med {previous}."


# --------------------------------------------------------------------------- estimation


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


def index_scores(codes: Sequence[float] | np.ndarray | pd.Series, n_categories: int) -> np.ndarray:
    """Answer codes 1..k mapped linearly onto 0–6: ``6 (c - 1) / (k - 1)`` (project's own)."""
    if n_categories < 2:
        raise ValueError("an index needs at least two categories")
    c = pd.to_numeric(pd.Series(codes), errors="coerce").to_numpy(dtype=float)
    if np.any((c < 1) | (c > n_categories)):
        raise ValueError(f"answer codes must be between 1 and {n_categories}")
    return INDEX_MAX * (c - 1) / (n_categories - 1)


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
        w_all = _weights(part)
        valid = _substantive(part)
        w_valid = _weights(valid) if len(valid) else None
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
    valid = _substantive(part)
    values = valid["in_headline"].astype("boolean").to_numpy(dtype=float, na_value=np.nan)
    return weighted_share(values, _weights(valid) if len(valid) else None, level)


def index_estimate(part: pd.DataFrame, question_id: str, level: float = LEVEL) -> MeanEstimate:
    """0–6 index (project's own formula) of one question's rows."""
    scale = part[part["answer_code"].notna()]
    scores = index_scores(scale["answer_code"], len(question(question_id).categories))
    return weighted_mean(scores, _weights(scale) if len(scale) else None, level)


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
    scale["score"] = INDEX_MAX * (scale["answer_code"].to_numpy(dtype=float) - 1) / (n_cat - 1)
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
    for qid in [q.id for q in QUESTIONS if q.id in set(frame["question_id"])]:
        part = frame[frame["question_id"] == qid]
        est = headline_estimate(part, settings.level)
        w_all = _weights(part)
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
    return pd.DataFrame(rows)


def problem_index(
    survey: pd.DataFrame, round_: int, settings: Settings | None = None
) -> pd.DataFrame:
    """0–6 index per ordinal question plus the total problem index (project's own formula)."""
    settings = settings or Settings()
    frame = in_round(survey, round_)
    rows = []
    present = set(frame["question_id"])
    for q in QUESTIONS:
        if q.id not in present or not has_index(q.id):
            continue
        est = index_estimate(frame[frame["question_id"] == q.id], q.id, settings.level)
        rows.append(_index_row(q.id, q.kind, est, settings))
    if any(q.kind == "problem" and q.id in present for q in QUESTIONS):
        rows.append(
            _index_row(
                TOTAL_INDEX_ID, "problem", total_index_estimate(frame, settings.level), settings
            )
        )
    return pd.DataFrame(rows)


def _index_row(qid: str, kind: str, est: MeanEstimate, settings: Settings) -> dict:
    return {
        "question_id": qid,
        "label": label(qid),
        "kind": kind,
        "n": est.n,
        "n_eff": est.n_eff,
        "index": est.mean,
        "low": est.low,
        "high": est.high,
        "se": est.se,
        "enough": est.n >= settings.min_respondents,
    }


# --------------------------------------------------------------------------- breakdowns


def breakdown(
    survey: pd.DataFrame,
    round_: int,
    by: str,
    question_id: str = KEY_QUESTION,
    settings: Settings | None = None,
    pool_small_areas: bool = True,
) -> pd.DataFrame:
    """Headline share (and index) of one question per area, sex or age group, small cells suppressed.

    A cell with fewer than ``min_respondents`` substantive answers gets
    ``suppressed = True`` and no figures. For ``by="area"`` with
    ``pool_small_areas`` the small areas are first pooled into
    :data:`OTHER_AREAS` (``members`` lists them); the pool is itself suppressed
    if still too small.
    """
    if by not in BY_LABELS:
        raise ValueError(f"by must be one of {sorted(BY_LABELS)}, got {by!r}")
    settings = settings or Settings()
    part = in_round(survey, round_)
    part = part[part["question_id"] == question_id].copy()
    # Groups with only "vet ej" or blanks count as 0 answers (and are pooled / suppressed).
    counts = _substantive(part).groupby(by).size().reindex(part[by].unique(), fill_value=0)
    part["_group"] = part[by].astype(str)
    members: dict[str, list[str]] = {}
    if by == "area" and pool_small_areas:
        small = sorted(str(g) for g, n in counts.items() if n < settings.min_respondents)
        if len(small) >= 1:
            part.loc[part[by].isin(small), "_group"] = OTHER_AREAS
            members[OTHER_AREAS] = small
    order = _group_order(by, part, members)
    rows = []
    for group in order:
        cell = part[part["_group"] == group]
        est = headline_estimate(cell, settings.level)
        idx = (
            index_estimate(cell, question_id, settings.level)
            if has_index(question_id)
            else MeanEstimate(np.nan, np.nan, np.nan, np.nan, 0, 0.0, settings.level)
        )
        suppressed = est.n < settings.min_respondents
        rows.append(
            {
                "group": group,
                "members": ", ".join(members.get(group, [])),
                "n": est.n,
                "share": np.nan if suppressed else est.share,
                "low": np.nan if suppressed else est.low,
                "high": np.nan if suppressed else est.high,
                "index": np.nan if suppressed else idx.mean,
                "index_low": np.nan if suppressed else idx.low,
                "index_high": np.nan if suppressed else idx.high,
                "suppressed": suppressed,
            }
        )
    return pd.DataFrame(rows)


def _group_order(by: str, part: pd.DataFrame, members: Mapping[str, list[str]]) -> list[str]:
    present = list(dict.fromkeys(part["_group"]))
    if by == "age_group":
        return [g for g in AGE_GROUPS if g in present]
    if by == "sex":
        return [g for g in SEXES if g in present]
    sizes = part.groupby("_group")["respondent_id"].nunique()
    named = sorted((g for g in present if g != OTHER_AREAS), key=lambda g: (-sizes[g], g))
    return named + ([OTHER_AREAS] if OTHER_AREAS in present else [])


def group_label(by: str, group: str) -> str:
    if by == "sex":
        return SEX_LABELS.get(group, group)
    if by == "age_group":
        return f"{group} år"
    return group


# --------------------------------------------------------------------------- change


@dataclass(frozen=True, slots=True)
class MeanDifference:
    difference: float
    low: float
    high: float
    p_value: float


def mean_difference_test(a: MeanEstimate, b: MeanEstimate, level: float = LEVEL) -> MeanDifference:
    """Welch t-test of ``a.mean - b.mean`` using the Kish standard errors.

    Degrees of freedom by Welch–Satterthwaite with ``n_eff - 1`` per group.
    Assumes two independent samples (different respondents in each round).
    """
    if not (np.isfinite(a.se) and np.isfinite(b.se)):
        return MeanDifference(a.mean - b.mean, np.nan, np.nan, np.nan)
    diff = a.mean - b.mean
    va, vb = a.se**2, b.se**2
    se = math.sqrt(va + vb)
    if se == 0:
        return MeanDifference(diff, diff, diff, 1.0 if diff == 0 else 0.0)
    df = (va + vb) ** 2 / (va**2 / (a.n_eff - 1) + vb**2 / (b.n_eff - 1))
    t = float(stats.t.ppf(1 - (1 - level) / 2, df))
    p = float(2 * stats.t.sf(abs(diff) / se, df))
    return MeanDifference(diff, diff - t * se, diff + t * se, p)


def _alpha(level: float) -> float:
    """``1 - level`` without float noise (1 - 0.95 is 0.050000000000000044)."""
    return round(1.0 - level, 10)


def verdict(
    difference: float,
    p_value: float,
    better_when_higher: bool,
    enough: bool = True,
    level: float = LEVEL,
) -> str:
    """ "förbättring", "försämring", "ingen säker förändring" or "för få svar för att säga"."""
    if not enough or not np.isfinite(p_value):
        return TOO_FEW
    if p_value >= _alpha(level) or difference == 0:
        return NO_CHANGE
    return IMPROVED if (difference > 0) == better_when_higher else WORSENED


def compare_rounds(
    survey: pd.DataFrame, current: int, previous: int, settings: Settings | None = None
) -> pd.DataFrame:
    """Change of every question's headline share (and index) between two rounds, ranked.

    Columns: ``question_id, label, share_prev, share_cur, diff, diff_low,
    diff_high, p_value, q_value, verdict, significant, index_prev, index_cur,
    index_diff, index_p, index_verdict, improvement, rank``. ``diff`` is in
    share units (0.05 = 5 percentage points); ``improvement`` is ``diff``
    turned so that positive is better. Rows are sorted by ``improvement``,
    most improved first; ``significant`` marks verdicts förbättring/försämring.
    The last row is the total problem index (no share, index only).
    """
    settings = settings or Settings()
    cur, prev = in_round(survey, current), in_round(survey, previous)
    rows = []
    for q in QUESTIONS:
        in_cur, in_prev = q.id in set(cur["question_id"]), q.id in set(prev["question_id"])
        if not (in_cur or in_prev):
            continue
        row: dict[str, object] = {"question_id": q.id, "label": label(q.id)}
        better = higher_is_better(q.id)
        if not (in_cur and in_prev):
            row.update(verdict=NOT_ASKED, index_verdict=NOT_ASKED)
            rows.append(row)
            continue
        a_part, b_part = cur[cur["question_id"] == q.id], prev[prev["question_id"] == q.id]
        a, b = headline_estimate(a_part, settings.level), headline_estimate(b_part, settings.level)
        enough = min(a.n, b.n) >= settings.min_respondents
        if a.n_eff > 0 and b.n_eff > 0:
            va, vb = _substantive(a_part), _substantive(b_part)
            test = weighted_two_proportion_test(
                va["in_headline"].to_numpy(dtype=float, na_value=np.nan),
                _weights(va),
                vb["in_headline"].to_numpy(dtype=float, na_value=np.nan),
                _weights(vb),
                settings.level,
            )
            diff, low, high, p = test.difference, test.low, test.high, test.p_value
        else:
            diff = low = high = p = np.nan
        row.update(
            share_prev=b.share,
            share_cur=a.share,
            n_prev=b.n,
            n_cur=a.n,
            diff=diff,
            diff_low=low,
            diff_high=high,
            p_value=p,
            verdict=verdict(diff, p, better, enough, settings.level),
            improvement=diff if better else -diff,
        )
        if has_index(q.id):
            ia = index_estimate(a_part, q.id, settings.level)
            ib = index_estimate(b_part, q.id, settings.level)
            row.update(_index_change(ia, ib, better, settings))
        rows.append(row)
    total_a = total_index_estimate(cur, settings.level)
    total_b = total_index_estimate(prev, settings.level)
    if total_a.n and total_b.n:
        row = {"question_id": TOTAL_INDEX_ID, "label": TOTAL_INDEX_LABEL, "verdict": ""}
        row.update(_index_change(total_a, total_b, False, settings))
        rows.append(row)
    table = pd.DataFrame(rows)
    for column in ("share_prev", "share_cur", "diff", "p_value", "improvement", "index_diff"):
        if column not in table:
            table[column] = np.nan
    tested = table["p_value"].to_numpy(dtype=float)
    table["q_value"] = _bh_q_values(tested)
    table["significant"] = table["verdict"].isin([IMPROVED, WORSENED])
    is_total = table["question_id"] == TOTAL_INDEX_ID
    items = table[~is_total].sort_values("improvement", ascending=False, na_position="last")
    table = pd.concat([items, table[is_total]], ignore_index=True)
    table["rank"] = pd.array(
        [i + 1 if not t else pd.NA for i, t in enumerate(table["question_id"] == TOTAL_INDEX_ID)],
        dtype="Int64",
    )
    return table


def changes_for(
    survey: pd.DataFrame,
    current: int | None,
    previous: int | None,
    settings: Settings | None = None,
) -> pd.DataFrame | None:
    """:func:`compare_rounds`, or None when there is no previous round to compare with."""
    if current is None or previous is None:
        return None
    return compare_rounds(survey, current, previous, settings)


def _bh_q_values(p_values: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values); NaN p-values stay NaN and are not counted.

    Same procedure as :func:`trygghet.stats.hotspots.fdr_bh`, via statsmodels, so that
    this module does not import the spatial stack (esda/libpysal).
    """
    from statsmodels.stats.multitest import multipletests

    q = np.full(p_values.shape, np.nan)
    ok = ~np.isnan(p_values)
    if ok.any():
        q[ok] = multipletests(p_values[ok], method="fdr_bh")[1]
    return q


def _index_change(a: MeanEstimate, b: MeanEstimate, better: bool, settings: Settings) -> dict:
    test = mean_difference_test(a, b, settings.level)
    enough = min(a.n, b.n) >= settings.min_respondents
    return {
        "index_prev": b.mean,
        "index_cur": a.mean,
        "index_diff": test.difference,
        "index_diff_low": test.low,
        "index_diff_high": test.high,
        "index_p": test.p_value,
        "index_verdict": verdict(test.difference, test.p_value, better, enough, settings.level),
    }


# --------------------------------------------------------------------------- who answered


@dataclass(frozen=True)
class ResponseRate:
    respondents: int
    sent_out: int | None

    @property
    def rate(self) -> float | None:
        if not self.sent_out:
            return None
        return self.respondents / self.sent_out


def response_rate(survey: pd.DataFrame, round_: int, sent_out: int | None = None) -> ResponseRate:
    """Respondents of the round over the number sent out (None or 0 = unknown).

    The table does not hold the number sent out; the caller (a report
    parameter) must give it. More respondents than sent out is an error.
    """
    n = int(respondents(survey, round_).shape[0])
    sent = int(sent_out) if sent_out else None
    if sent is not None and n > sent:
        raise ValueError(f"{n} respondents but only {sent} questionnaires sent out")
    return ResponseRate(n, sent)


@dataclass(frozen=True)
class Composition:
    """Who answered compared with the population, per dimension (age group, sex)."""

    table: pd.DataFrame
    chi2: dict[str, tuple[float, float]]  # dimension -> (statistic, p-value)
    structure_label: str
    weighted: bool
    threshold: float = SKEW_THRESHOLD
    skewed_groups: list[str] = field(default_factory=list)

    @property
    def skewed(self) -> bool:
        """Any group off by more than the threshold, or a chi-square p-value below 0.05."""
        return bool(self.skewed_groups) or any(p < 0.05 for _, p in self.chi2.values())


def sample_composition(
    survey: pd.DataFrame,
    round_: int,
    structure: Mapping[str, Mapping[str, float]] | None = None,
    structure_label: str | None = None,
    settings: Settings | None = None,
) -> Composition:
    """The sample's age and sex structure against a population structure.

    ``structure`` maps ``"age_group"``/``"sex"`` to ``{group: population share}``
    (shares are renormalised to sum to one). Without it the approximate
    Swedish structure :data:`APPROX_SWEDEN_STRUCTURE` is used and labelled so.
    Respondents in groups the structure lacks (e.g. "annat/vill ej svara")
    are left out of that dimension's comparison. Per dimension a chi-square
    goodness-of-fit test on the unweighted counts; a group is skewed when its
    sample share differs from the population share by more than
    ``settings.skew_threshold``. The weighted share shows whether the weights
    correct the skew.
    """
    settings = settings or Settings()
    if structure is None:
        structure, structure_label = APPROX_SWEDEN_STRUCTURE, APPROX_SWEDEN_LABEL
    label_text = structure_label or "befolkningsstruktur given som parameter"
    people = respondents(survey, round_)
    weighted = is_weighted(people) if len(people) else False
    rows, chi2, skewed = [], {}, []
    for dim, shares in structure.items():
        pop = pd.Series(dict(shares), dtype=float)
        pop = pop / pop.sum()
        sub = people[people[dim].isin(pop.index)]
        counts = sub[dim].value_counts().reindex(pop.index, fill_value=0)
        n = int(counts.sum())
        if n == 0:
            continue
        w = sub["weight"].astype(float) if weighted else pd.Series(1.0, index=sub.index)
        w_share = w.groupby(sub[dim]).sum().reindex(pop.index, fill_value=0) / w.sum()
        result = stats.chisquare(counts.to_numpy(dtype=float), pop.to_numpy() * n)
        chi2[dim] = (float(result.statistic), float(result.pvalue))
        for group in pop.index:
            sample_share = counts[group] / n
            diff = sample_share - pop[group]
            off = abs(diff) > settings.skew_threshold
            if off:
                skewed.append(group_label(dim, str(group)))
            rows.append(
                {
                    "dimension": dim,
                    "group": str(group),
                    "n": int(counts[group]),
                    "sample_share": sample_share,
                    "weighted_share": float(w_share[group]) if weighted else np.nan,
                    "population_share": float(pop[group]),
                    "difference": diff,
                    "skewed": off,
                }
            )
    return Composition(
        pd.DataFrame(rows), chi2, label_text, weighted, settings.skew_threshold, skewed
    )


# --------------------------------------------------------------------------- texts


def _pct_interval(low: float, high: float) -> str:
    """``"19–28 %"``: an interval of shares in whole percent."""
    return f"{fmt_number(low * 100)}–{fmt_percent(high)}"


def _pp(diff: float) -> str:
    """Signed percentage points: ``"+11 procentenheter"``, ``"-3 procentenheter"``."""
    value = round(diff * 100)
    sign = "+" if value > 0 else ""
    return f"{sign}{fmt_number(value)} procentenheter"


def index_definition_text() -> str:
    """Plain Swedish statement of the index formula, saying it is the project's own."""
    return (
        "Problemindex 0–6 är projektets eget mått, inte polisens: polisens formel för sitt "
        "index är inte offentlig, så siffrorna går inte att jämföra med polisens publicerade "
        "index. Här får svarsalternativen jämnt fördelade poäng från 0 (det första, t.ex. "
        "”inget problem alls”) till 6 (det sista, t.ex. ”mycket stort problem”); ”vet ej” och "
        "tomma svar räknas inte. Indexet är medelvärdet av poängen (viktat). Totalt problemindex "
        "är medelvärdet av varje svarandes genomsnitt på de elva problemfrågorna, för dem som "
        "svarat på minst hälften av dem."
    )


def headline_sentence(
    survey: pd.DataFrame,
    period: int,
    kommun_name: str,
    question_id: str = KEY_QUESTION,
    settings: Settings | None = None,
) -> str:
    """The report's key sentence: the key question's headline share, interval and change."""
    settings = settings or Settings()
    current, previous = pick_rounds(survey, period)
    if current is None:
        return (
            f"Det finns ingen trygghetsundersökning för {kommun_name} från {period} eller tidigare."
        )
    part = in_round(survey, current)
    part = part[part["question_id"] == question_id]
    est = headline_estimate(part, settings.level)
    if est.n < settings.min_respondents:
        return (
            f"Trygghetsundersökningen {current} i {kommun_name} har för få svar på frågan om "
            f"{question(question_id).topic} för att ge en säker siffra."
        )
    who = "skattat för invånarna 16–85 år" if is_weighted(part) else "andel av dem som svarade"
    text = (
        f"Enligt trygghetsundersökningen {current} i {kommun_name} är andelen som "
        f"{headline_phrase(question_id)} {fmt_percent(est.share)} "
        f"(felmarginal {_pct_interval(est.low, est.high)}; {who})."
    )
    if previous is None:
        return text
    change = compare_rounds(survey, current, previous, settings)
    row = change[change["question_id"] == question_id].iloc[0]
    if row["verdict"] in (TOO_FEW, NOT_ASKED):
        return text + f" Förändringen sedan {previous} går inte att bedöma."
    word = {
        IMPROVED: "en säker förbättring",
        WORSENED: "en säker försämring",
        NO_CHANGE: "ingen säker förändring",
    }[str(row["verdict"])]
    return text + f" År {previous} var andelen {fmt_percent(row['share_prev'])}: {word}."


def change_sentence(row: Mapping[str, object], current: int, previous: int) -> str:
    """One question's change in words; the sentence for each verdict is pinned by tests."""
    qid = str(row["question_id"])
    v = row["verdict"]
    if v == NOT_ASKED:
        return f"Frågan om {question(qid).topic} ställdes inte både {previous} och {current}."
    phrase = headline_phrase(qid)
    if v == TOO_FEW:
        return (
            f"Om andelen som {phrase} går det inte att säga något: för få svar i någon "
            "av omgångarna."
        )
    prev, cur, diff = float(row["share_prev"]), float(row["share_cur"]), float(row["diff"])
    if v == NO_CHANGE:
        return (
            f"Andelen som {phrase} var {fmt_percent(cur)} {current} och {fmt_percent(prev)} "
            f"{previous}; skillnaden är så liten att den kan bero på slumpen."
        )
    moved = "ökat" if diff > 0 else "minskat"
    kind = "en förbättring" if v == IMPROVED else "en försämring"
    return (
        f"Andelen som {phrase} har {moved} från {fmt_percent(prev)} ({previous}) till "
        f"{fmt_percent(cur)} ({current}), {_pp(diff)} – {kind} som är statistiskt säker."
    )


def change_narrative(
    changes: pd.DataFrame | None, current: int | None, previous: int | None, level: float = LEVEL
) -> str:
    """What improved, what worsened and what cannot be said, as Swedish paragraphs."""
    if current is None:
        return "Det finns ingen omgång av trygghetsundersökningen att redovisa."
    if previous is None or changes is None or changes.empty:
        return (
            f"Det finns ingen tidigare omgång att jämföra {current} med, så inget kan sägas om "
            "förändring."
        )
    items = changes[changes["question_id"] != TOTAL_INDEX_ID]
    better = items[items["verdict"] == IMPROVED]
    worse = items[items["verdict"] == WORSENED]
    same = items[items["verdict"] == NO_CHANGE]
    unknown = items[items["verdict"].isin([TOO_FEW, NOT_ASKED])]

    def names(frame: pd.DataFrame) -> str:
        return join_list(str(x).lower() for x in frame["label"])

    paragraphs = []
    if len(better):
        paragraphs.append(f"Förbättrat sedan {previous}: {names(better)}.")
    else:
        paragraphs.append(f"Ingen fråga visar en statistiskt säker förbättring sedan {previous}.")
    if len(worse):
        paragraphs.append(f"Försämrat sedan {previous}: {names(worse)}.")
    else:
        paragraphs.append(f"Ingen fråga visar en statistiskt säker försämring sedan {previous}.")
    details = [
        change_sentence(r, current, previous) for _, r in pd.concat([worse, better]).iterrows()
    ]
    if details:
        paragraphs.append(" ".join(details))
    if len(same):
        paragraphs.append(
            f"Inget säkert kan sägas om {plural(len(same), 'fråga', 'frågor')} "
            f"({names(same)}): skillnaden mot {previous} är så liten att den kan bero på "
            "slumpen i urvalet."
        )
    if len(unknown):
        paragraphs.append(
            f"Om {names(unknown)} går det inte att säga något om förändringen: för få svar, "
            "eller frågan ställdes inte båda omgångarna."
        )
    n_sig = int(len(better) + len(worse))
    if n_sig:
        tested = int(items["p_value"].notna().sum())
        robust = int((pd.to_numeric(items["q_value"], errors="coerce") < _alpha(level)).sum())
        paragraphs.append(
            f"Med {fmt_int(tested)} frågor prövade kan någon enstaka skillnad se säker ut av en "
            f"slump; {fmt_int(robust)} av {fmt_int(n_sig)} säkra förändringar står sig också när "
            "hänsyn tas till de många testerna (Benjamini–Hochberg)."
        )
    return "\n\n".join(paragraphs)


def response_rate_sentence(rate: ResponseRate, round_: int) -> str:
    """Response rate in words, or plainly that it is unknown."""
    if rate.rate is None:
        return (
            f"Omgången {round_} har {plural(rate.respondents, 'svarande', 'svarande')}. Hur många "
            "som fick enkäten framgår inte av data, så svarsfrekvensen kan inte anges."
        )
    low_rate = (
        " Med så låg svarsfrekvens kan de som svarat skilja sig från dem som inte svarat."
        if rate.rate < 0.5
        else ""
    )
    return (
        f"Omgången {round_} har {plural(rate.respondents, 'svarande', 'svarande')} av "
        f"{fmt_int(rate.sent_out)} som fick enkäten: svarsfrekvensen är "
        f"{fmt_percent(rate.rate)}.{low_rate}"
    )


def composition_sentence(comp: Composition) -> str:
    """Whether the sample looks like the population, with a warning when it is skewed."""
    if comp.table.empty:
        return "Det går inte att jämföra de svarandes ålder och kön med befolkningen."
    base = f"Jämförelsen görs mot en {comp.structure_label}."
    if not comp.skewed:
        return f"De svarande liknar befolkningen i ålder och kön. {base}"
    if comp.skewed_groups:
        off = comp.table[comp.table["skewed"]]
        parts = [
            f"{group_label(d, g).lower()} ({fmt_percent(s)} av de svarande mot "
            f"{fmt_percent(p)} i befolkningen)"
            for d, g, s, p in zip(
                off["dimension"],
                off["group"],
                off["sample_share"],
                off["population_share"],
                strict=True,
            )
        ]
        text = (
            "Varning: de svarande är snedfördelade jämfört med befolkningen – "
            f"{join_list(parts)} skiljer sig med mer än "
            f"{fmt_number(comp.threshold * 100)} procentenheter."
        )
    else:
        text = (
            "Varning: de svarandes fördelning på ålder eller kön skiljer sig statistiskt säkert "
            "från befolkningens, om än med mindre än "
            f"{fmt_number(comp.threshold * 100)} procentenheter per grupp."
        )
    fix = (
        " Svaren är viktade för att rätta till det, men vikterna kan bara rätta det som de "
        "bygger på, och de gör felmarginalerna större."
        if comp.weighted
        else " Svaren är inte viktade: andelarna gäller de svarande, inte befolkningen."
    )
    return f"{text}{fix} {base}"


def breakdown_sentence(table: pd.DataFrame, by: str, settings: Settings | None = None) -> str:
    """Which groups are shown and which are too small, in words."""
    settings = settings or Settings()
    if table.empty:
        return "Inga svar att dela upp."
    hidden = table[table["suppressed"]]
    pooled = table[table["members"].astype(str) != ""]
    parts = []
    if len(pooled):
        names = pooled["members"].iloc[0].split(", ")
        if len(names) == 1:
            parts.append(
                f"{names[0]} har färre än {settings.min_respondents} svar och redovisas som "
                f"”{OTHER_AREAS}”."
            )
        else:
            parts.append(
                f"{join_list(names)} har var för sig färre än {settings.min_respondents} svar "
                f"och är sammanslagna till ”{OTHER_AREAS}”."
            )
    if len(hidden):
        groups = join_list(group_label(by, g) for g in hidden["group"])
        parts.append(
            f"{groups}: för få svar (färre än {settings.min_respondents}) för att visa någon siffra."
        )
    if not parts:
        return f"Alla grupper har minst {settings.min_respondents} svar och visas."
    return " ".join(parts)


# --------------------------------------------------------------------------- display tables


def _fmt_index(x: float) -> str:
    return fmt_number(x, 1)


def headline_table(headlines: pd.DataFrame) -> pd.DataFrame:
    """Headline shares for display: share, margin, n, design effect, vet ej and blank."""
    rows = []
    for _, r in headlines.iterrows():
        ok = bool(r["enough"])
        rows.append(
            {
                "Fråga": r["label"],
                "Andel": fmt_percent(r["share"]) if ok else SUPPRESSED,
                "Felmarginal (95 %)": _pct_interval(r["low"], r["high"]) if ok else "–",
                "Antal svar": fmt_int(r["n"]),
                "Designeffekt": fmt_number(r["deff"], 2),
                "Vet ej": fmt_percent(r["dont_know_share"]),
                "Inget svar": fmt_percent(r["missing_share"]),
            }
        )
    return pd.DataFrame(rows).set_index("Fråga")


def index_table(index: pd.DataFrame) -> pd.DataFrame:
    """Index per item and total for display (project's own 0–6 formula)."""
    rows = []
    for _, r in index.iterrows():
        ok = bool(r["enough"])
        rows.append(
            {
                "Fråga": r["label"],
                "Index 0–6": _fmt_index(r["index"]) if ok else SUPPRESSED,
                "Felmarginal (95 %)": (
                    f"{_fmt_index(r['low'])}–{_fmt_index(r['high'])}" if ok else "–"
                ),
                "Antal svar": fmt_int(r["n"]),
            }
        )
    return pd.DataFrame(rows).set_index("Fråga")


def change_table(
    changes: pd.DataFrame | None, current: int | None, previous: int | None
) -> pd.DataFrame:
    """Change per question for display, ranked (most improved first), significant marked (*)."""
    if changes is None or changes.empty:
        return pd.DataFrame({"Jämförelse": ["Ingen tidigare omgång att jämföra med."]})
    rows = []
    for _, r in changes.iterrows():
        total = r["question_id"] == TOTAL_INDEX_ID
        has_share = not total and r["verdict"] not in (NOT_ASKED,)
        has_idx = pd.notna(r.get("index_cur", np.nan))
        rows.append(
            {
                "Rang": "" if total else str(r["rank"]),
                "Fråga": r["label"],
                f"Andel {previous}": fmt_percent(r["share_prev"]) if has_share else "–",
                f"Andel {current}": fmt_percent(r["share_cur"]) if has_share else "–",
                "Förändring": _pp(r["diff"]) if has_share and pd.notna(r["diff"]) else "–",
                "Felmarginal": (
                    f"{fmt_number(r['diff_low'] * 100)} till {fmt_number(r['diff_high'] * 100)}"
                    if has_share and pd.notna(r.get("diff_low", np.nan))
                    else "–"
                ),
                "Bedömning": ("*" + str(r["verdict"]))
                if bool(r["significant"])
                else str(r["verdict"]),
                f"Index {previous}→{current}": (
                    f"{_fmt_index(r['index_prev'])} → {_fmt_index(r['index_cur'])}"
                    if has_idx
                    else "–"
                ),
                "Bedömning index": str(r["index_verdict"]) if has_idx else "–",
            }
        )
    return pd.DataFrame(rows).set_index("Rang")


def breakdown_table(
    table: pd.DataFrame, by: str, min_respondents: int = MIN_RESPONDENTS
) -> pd.DataFrame:
    """Breakdown for display; suppressed cells say "för få svar" and hide their exact count."""
    rows = []
    for _, r in table.iterrows():
        hidden = bool(r["suppressed"])
        name = group_label(by, r["group"])
        if r["members"]:
            name = f"{name} ({r['members']})"
        rows.append(
            {
                BY_LABELS[by].capitalize(): name,
                "Andel": SUPPRESSED if hidden else fmt_percent(r["share"]),
                "Felmarginal (95 %)": "–" if hidden else _pct_interval(r["low"], r["high"]),
                "Index 0–6": "–" if hidden or pd.isna(r["index"]) else _fmt_index(r["index"]),
                "Antal svar": _count_text(int(r["n"]), hidden, min_respondents),
            }
        )
    return pd.DataFrame(rows).set_index(BY_LABELS[by].capitalize())


def group_table(
    survey: pd.DataFrame,
    round_: int,
    by: str,
    settings: Settings | None = None,
    question_id: str = KEY_QUESTION,
) -> pd.DataFrame:
    """:func:`breakdown` of the key question, ready for display."""
    settings = settings or Settings()
    return breakdown_table(
        breakdown(survey, round_, by, question_id, settings), by, settings.min_respondents
    )


def _count_text(n: int, hidden: bool, min_respondents: int) -> str:
    """A suppressed cell shows "färre än 30", not its exact count."""
    return f"färre än {fmt_int(min_respondents)}" if hidden else fmt_int(n)


def composition_table(comp: Composition) -> pd.DataFrame:
    """Sample vs population for display, in percent."""
    rows = []
    for _, r in comp.table.iterrows():
        rows.append(
            {
                "Grupp": group_label(r["dimension"], r["group"]),
                "Antal svarande": fmt_int(r["n"]),
                "Andel av svarande": fmt_percent(r["sample_share"]),
                "Andel efter viktning": fmt_percent(r["weighted_share"]),
                "Andel av befolkningen": fmt_percent(r["population_share"]),
                "Skillnad": _pp(r["difference"]) + (" (!)" if r["skewed"] else ""),
            }
        )
    return pd.DataFrame(rows).set_index("Grupp")


# --------------------------------------------------------------------------- charts

#: Diverging colours (ColorBrewer RdBu, safe for common colour blindness): nearest zero first.
NEGATIVE_COLOURS = ("#F4A582", "#D6604D", "#B2182B")
POSITIVE_COLOURS = ("#92C5DE", "#4393C3", "#2166AC")
ASIDE_COLOURS = {"vet ej": "#BDBDBD", "annat": "#E0E0E0"}


def _percent_axis(ax: plt.Axes, absolute: bool = False) -> None:
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda v, _p: fmt_percent(abs(v) if absolute else v))
    )


def _scale_split(q: Question) -> tuple[list[str], list[str]]:
    """(negative answers nearest-zero first, positive answers nearest-zero first).

    Negative answers are the headline answers when more is worse (problems,
    worry, insecurity), and the non-headline scale answers when more is better
    (trust).
    """
    better = higher_is_better(q.id)
    most_negative_first = list(q.categories) if better else list(q.categories[::-1])
    bad = set(q.categories) - set(q.headline) if better else set(q.headline)
    negatives = [c for c in most_negative_first if c in bad][::-1]
    positives = [c for c in most_negative_first if c not in bad]
    return negatives, positives


def plot_diverging(
    survey: pd.DataFrame,
    round_: int,
    question_ids: Sequence[str] | None = None,
    settings: Settings | None = None,
) -> Figure:
    """Diverging stacked bars: negative answers left of zero, positive right, vet ej aside.

    Bars show shares of the substantive answers (weighted); the narrow panel
    on the right shows "Vet ej" (share of everyone asked) and off-scale
    answers such as "Går inte ut av andra skäl" (share of the substantive
    answers, so a q14 bar plus its off-scale part makes 100 %). Questions are
    grouped into panels by scale shape; answer labels of one position are
    joined with " / " when questions in a panel word them differently. Yes/no
    questions are left out (see the headline chart). Questions with fewer
    than ``min_respondents`` substantive answers show "för få svar" instead.
    """
    settings = settings or Settings()
    shares = answer_shares(survey, round_, settings.level)
    present = list(dict.fromkeys(shares["question_id"])) if len(shares) else []
    ids = [q for q in (question_ids or present) if q in present and has_index(q)]
    groups: dict[tuple, list[str]] = {}
    for qid in ids:
        neg, pos = _scale_split(question(qid))
        groups.setdefault((len(neg), len(pos), question(qid).kind), []).append(qid)
    if not groups:
        fig, ax = style.new_figure((10, 3))
        ax.text(0.5, 0.5, "Inga frågor att visa", ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return style.finish(fig)
    heights = [len(g) + 1.8 for g in groups.values()]
    fig, axes = plt.subplots(
        len(groups),
        2,
        figsize=(14, 0.6 * sum(heights) + 1.5),
        gridspec_kw={"width_ratios": [5, 1.4], "height_ratios": heights},
        squeeze=False,
        layout="constrained",
    )
    plt.close(fig)  # shown by being returned
    scale = shares[shares["base"] == "svar"]
    extent = 0.0
    for qid in ids:
        neg, pos = _scale_split(question(qid))
        s = scale[scale["question_id"] == qid].set_index("answer")["share"]
        extent = max(extent, float(s.reindex(neg).sum()), float(s.reindex(pos).sum()))
    limit = min(1.0, math.ceil(max(extent, 0.25) * 4) / 4)
    for (ax, aside), qids in zip(axes, groups.values(), strict=True):
        _diverging_panel(ax, aside, qids, shares, settings, limit)
    axes[0][0].set_title(
        f"Svarsfördelning {round_}: negativa svar till vänster, positiva till höger"
    )
    return fig


def _diverging_panel(
    ax: plt.Axes,
    aside: plt.Axes,
    qids: list[str],
    shares: pd.DataFrame,
    settings: Settings,
    limit: float,
) -> None:
    y = np.arange(len(qids))[::-1]
    neg_labels: list[list[str]] = []
    pos_labels: list[list[str]] = []
    has_other = False
    for yi, qid in zip(y, qids, strict=True):
        q = question(qid)
        s = shares[shares["question_id"] == qid].set_index("answer")
        neg, pos = _scale_split(q)
        for slots, answers in ((neg_labels, neg), (pos_labels, pos)):
            for i, c in enumerate(answers):
                if len(slots) <= i:
                    slots.append([])
                if c not in slots[i]:
                    slots[i].append(c)
        n_valid = int(s.loc[q.categories[0], "denominator"])
        if n_valid < settings.min_respondents:
            ax.text(0, yi, SUPPRESSED, ha="center", va="center", color="#444")
            continue
        left = 0.0
        for i, c in enumerate(neg):
            v = float(s.loc[c, "share"])
            ax.barh(yi, -v, left=-left, color=NEGATIVE_COLOURS[i], edgecolor="white")
            _segment_label(ax, -left - v / 2, yi, v, dark=i > 0)
            left += v
        right = 0.0
        for i, c in enumerate(pos):
            v = float(s.loc[c, "share"])
            ax.barh(yi, v, left=right, color=POSITIVE_COLOURS[i], edgecolor="white")
            _segment_label(ax, right + v / 2, yi, v, dark=i > 0)
            right += v
        start = 0.0
        for answer in q.other:
            has_other = True
            v = float(s.loc[answer, "share"])
            aside.barh(yi, v, left=start, color=ASIDE_COLOURS["annat"], edgecolor="white")
            start += v
        if DONT_KNOW_LABEL in s.index:
            v = float(s.loc[DONT_KNOW_LABEL, "share"])
            aside.barh(yi, v, left=start, color=ASIDE_COLOURS["vet ej"], edgecolor="white")
    ax.axvline(0, color="#333", lw=1.2)
    ax.set_yticks(y, [label(q) for q in qids])
    ax.set_ylim(-0.6, len(qids) - 0.4)
    ax.set_xlim(-limit, limit)
    _percent_axis(ax, absolute=True)
    ax.grid(axis="y", visible=False)
    patch = [plt.Rectangle((0, 0), 1, 1, color=c) for c in NEGATIVE_COLOURS + POSITIVE_COLOURS]
    handles = [patch[i] for i in range(len(neg_labels))][::-1] + [
        patch[3 + i] for i in range(len(pos_labels))
    ]
    names = [" / ".join(x) for x in neg_labels][::-1] + [" / ".join(x) for x in pos_labels]
    aside.set_yticks(y, [""] * len(y))
    aside.set_ylim(-0.6, len(qids) - 0.4)
    aside.set_xlim(0, 0.4)
    aside.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt_percent(v)))
    aside.set_xticks([0, 0.2, 0.4])
    aside.tick_params(axis="x", labelsize=11)
    aside.grid(axis="y", visible=False)
    aside_names = (["annat svar"] if has_other else []) + ["vet ej"]
    aside_handles = [
        plt.Rectangle((0, 0), 1, 1, color=ASIDE_COLOURS["annat" if n == "annat svar" else n])
        for n in aside_names
    ]
    aside.legend(
        handles + aside_handles,
        names + aside_names,
        loc="center left",
        bbox_to_anchor=(1.05, 0.5),
        fontsize=11,
    )


def _segment_label(ax: plt.Axes, x: float, y: float, value: float, dark: bool) -> None:
    if value >= 0.09:
        ax.text(
            x,
            y,
            fmt_percent(value),
            ha="center",
            va="center",
            fontsize="x-small",
            color="white" if dark else "#222",
        )


def _dot_rows(
    ax: plt.Axes,
    y: np.ndarray,
    est: pd.DataFrame,
    colour: str,
    name: str,
    marker: str = "o",
) -> None:
    ok = est["share"].notna().to_numpy()
    x = est["share"].to_numpy(dtype=float)
    low, high = est["low"].to_numpy(dtype=float), est["high"].to_numpy(dtype=float)
    ax.errorbar(
        x[ok],
        y[ok],
        xerr=[x[ok] - low[ok], high[ok] - x[ok]],
        fmt=marker,
        color=colour,
        ms=9,
        capsize=4,
        lw=2,
        label=name,
    )


def plot_headline_by_round(
    survey: pd.DataFrame,
    question_ids: Sequence[str] | None = None,
    settings: Settings | None = None,
    up_to: int | None = None,
) -> Figure:
    """Dot plot: each question's headline share per round with 95 % interval bars.

    The latest round is highlighted, earlier rounds muted. Estimates with
    fewer than ``min_respondents`` answers are not drawn.
    """
    settings = settings or Settings()
    all_rounds = [r for r in rounds(survey) if up_to is None or r <= up_to]
    ids = list(question_ids or [q.id for q in QUESTIONS])
    ids = [q for q in ids if q in set(survey["question_id"])]
    fig, ax = style.new_figure((11, 0.55 * len(ids) + 2))
    y = np.arange(len(ids))[::-1].astype(float)
    offsets = np.linspace(0.18, -0.18, len(all_rounds)) if len(all_rounds) > 1 else [0.0]
    for i, (round_, off) in enumerate(zip(all_rounds, offsets, strict=True)):
        head = headline_shares(survey, round_, settings).set_index("question_id").reindex(ids)
        hidden = ~head["enough"].fillna(False).astype(bool)
        head.loc[hidden, ["share", "low", "high"]] = np.nan
        latest = i == len(all_rounds) - 1
        colour = style.HIGHLIGHT if latest else style.MUTED
        _dot_rows(ax, y + off, head, colour, str(round_), "o" if latest else "s")
    ax.set_yticks(y, [headline_label(q) for q in ids])
    ax.set_xlim(0, 1)
    _percent_axis(ax)
    ax.set_xlabel("andel av dem som svarat (punkt) med 95 % felmarginal (streck)")
    ax.set_title("Andel med nyckelsvaret per fråga och omgång")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1), title="Omgång")
    return style.finish(fig)


def plot_headline_by_group(
    survey: pd.DataFrame,
    round_: int,
    by: str = "area",
    question_id: str = KEY_QUESTION,
    settings: Settings | None = None,
) -> Figure:
    """Dot plot: the headline share per area/sex/age group with intervals; small groups named below."""
    settings = settings or Settings()
    table = breakdown(survey, round_, by, question_id, settings)
    part = in_round(survey, round_)
    whole = headline_estimate(part[part["question_id"] == question_id], settings.level)
    shown = table[~table["suppressed"]]
    fig, ax = style.new_figure((11, 0.6 * (len(shown) + 1) + 2.2))
    y = np.arange(len(shown) + 1)[::-1].astype(float)
    if whole.n >= settings.min_respondents:
        ax.axvspan(whole.low, whole.high, color=style.MUTED, alpha=0.25, lw=0)
        ax.axvline(whole.share, color=style.MUTED, lw=1.5)
        _dot_rows(
            ax,
            y[:1],
            pd.DataFrame({"share": [whole.share], "low": [whole.low], "high": [whole.high]}),
            style.PRIMARY,
            WHOLE_KOMMUN,
        )
    if len(shown):
        _dot_rows(ax, y[1:], shown, style.HIGHLIGHT, BY_LABELS[by].capitalize())
    ax.set_yticks(y, [WHOLE_KOMMUN] + [group_label(by, g) for g in shown["group"]])
    ax.set_xlim(0, 1)
    _percent_axis(ax)
    ax.set_xlabel(f"andel som {headline_phrase(question_id)}")
    ax.set_title(f"{label(question_id)} per {BY_LABELS[by]}, {round_}")
    hidden = table[table["suppressed"]]
    note = []
    if len(hidden):
        note.append(
            f"För få svar (under {settings.min_respondents}): "
            + join_list(group_label(by, g) for g in hidden["group"])
        )
    pooled = table[table["members"] != ""]
    if len(pooled):
        note.append(f"{OTHER_AREAS} = {pooled['members'].iloc[0]}")
    if note:
        fig.text(
            0.01, -0.02, ". ".join(note) + ".", fontsize="small", ha="left", va="top", wrap=True
        )
    return style.finish(fig)


def plot_index(
    survey: pd.DataFrame,
    current: int,
    previous: int | None = None,
    settings: Settings | None = None,
) -> Figure:
    """Problem index 0–6 (project's own formula) per problem item and in total, with intervals."""
    settings = settings or Settings()
    cur = problem_index(survey, current, settings)
    cur = cur[cur["kind"] == "problem"].set_index("question_id")
    ids = list(cur.index)
    fig, ax = style.new_figure((11, 0.55 * len(ids) + 2))
    y = np.arange(len(ids))[::-1].astype(float)
    series = [(current, cur, style.HIGHLIGHT, "o", -0.15 if previous else 0.0)]
    if previous is not None:
        prev = problem_index(survey, previous, settings)
        prev = prev.set_index("question_id").reindex(ids)
        series.insert(0, (previous, prev, style.MUTED, "s", 0.15))
    for round_, est, colour, marker, off in series:
        est = est.copy()
        est.loc[~est["enough"].fillna(False).astype(bool), ["index", "low", "high"]] = np.nan
        x = est["index"].to_numpy(dtype=float)
        ok = ~np.isnan(x)
        lo, hi = est["low"].to_numpy(dtype=float), est["high"].to_numpy(dtype=float)
        ax.errorbar(
            x[ok],
            (y + off)[ok],
            xerr=[x[ok] - lo[ok], hi[ok] - x[ok]],
            fmt=marker,
            color=colour,
            ms=9,
            capsize=4,
            lw=2,
            label=str(round_),
        )
    if TOTAL_INDEX_ID in ids:
        ax.axhline(0.5, color="#999", lw=1, ls=":")
    ax.set_yticks(y, [label(q) for q in ids])
    ax.set_xlim(0, INDEX_MAX)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt_number(v, 0)))
    ax.set_xlabel("problemindex 0–6 (projektets eget mått; 0 = inget problem, 6 = mycket stort)")
    ax.set_title("Problemindex per fråga")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1), title="Omgång")
    return style.finish(fig)


def plot_change(changes: pd.DataFrame | None, current: int | None, previous: int | None) -> Figure:
    """Ranked change of the headline shares with 95 % intervals; säkra förändringar coloured."""
    if changes is None or changes.empty:
        fig, ax = style.new_figure((10, 3))
        ax.text(
            0.5, 0.5, "Ingen tidigare omgång att jämföra med", ha="center", transform=ax.transAxes
        )
        ax.set_axis_off()
        return style.finish(fig)
    items = changes[(changes["question_id"] != TOTAL_INDEX_ID) & changes["diff"].notna()]
    fig, ax = style.new_figure((11, 0.55 * len(items) + 2))
    y = np.arange(len(items))[::-1].astype(float)
    for yi, (_, r) in zip(y, items.iterrows(), strict=True):
        sign = 1.0 if higher_is_better(str(r["question_id"])) else -1.0
        lo, hi = sorted((sign * r["diff_low"], sign * r["diff_high"]))
        x = sign * r["diff"]
        colour = (
            style.PALETTE[2]
            if r["verdict"] == IMPROVED
            else style.HIGHLIGHT
            if r["verdict"] == WORSENED
            else style.MUTED
        )
        ax.errorbar(x, yi, xerr=[[x - lo], [hi - x]], fmt="o", color=colour, ms=9, capsize=4, lw=2)
    ax.axvline(0, color="#333", lw=1.2)
    ax.set_yticks(y, [headline_label(q) for q in items["question_id"]])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{fmt_number(v * 100)}"))
    ax.set_xlabel(f"förändring {previous}–{current} i procentenheter (höger = bättre)")
    ax.set_title("Förändring sedan förra omgången, rangordnad")
    ax.legend(
        [
            plt.Line2D([], [], marker="o", ls="", color=c)
            for c in (style.PALETTE[2], style.HIGHLIGHT, style.MUTED)
        ],
        [IMPROVED, WORSENED, NO_CHANGE],
        loc="upper left",
        bbox_to_anchor=(1, 1),
    )
    return style.finish(fig)


# --------------------------------------------------------------------------- report helpers


def coverage_text(survey: pd.DataFrame, period: int) -> str:
    """Banner detail: rounds, respondents and weighting."""
    return rounds_text(survey, period)


def key_question_ids() -> list[str]:
    """The questions in the headline charts: everything but the problem items (shown in the index)."""
    return [q.id for q in QUESTIONS if q.kind != "problem"]


def problem_question_ids() -> list[str]:
    return [q.id for q in QUESTIONS if q.kind == "problem"]
