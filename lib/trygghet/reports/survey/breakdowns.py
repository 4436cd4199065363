"""The key question per area, sex and age group, with small groups pooled or suppressed.

* **Small groups.** Breakdowns by area, sex and age group suppress every
  cell with fewer than ``min_respondents`` substantive answers (default
  :data:`~trygghet.reports.survey.analysis.MIN_RESPONDENTS` = 30, never below
  the kommun's ``min_count``): with 30 answers a share of 50 % already has a
  margin of about ±17 percentage points. Small areas are first pooled into
  "Övriga områden" so that the villages are not lost altogether.
* **Counts.** The number of answers of a suppressed group is not shown, and
  because the question's total is shown (headline table), the smallest other
  groups' counts are hidden too until the hidden counts cannot be computed
  from the total (complementary suppression,
  :func:`trygghet.present.small_numbers.hidden_mask`). Their shares rest on
  enough answers and are still shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from trygghet.present.small_numbers import TOO_FEW, hidden_mask
from trygghet.reports.survey.analysis import (
    Settings,
    headline_estimate,
    in_round,
    pick_rounds,
    respondents,
    substantive,
)
from trygghet.reports.survey.index import MeanEstimate, index_estimate
from trygghet.reports.survey.questions import KEY_QUESTION, has_index
from trygghet.sources import processed
from trygghet.sources.survey import AGE_GROUPS, SEXES

#: What a suppressed cell, question or group shows instead of a figure.
SUPPRESSED = f"{TOO_FEW} svar"
OTHER_AREAS = "Övriga områden"

BY_LABELS = {"area": "område", "sex": "kön", "age_group": "åldersgrupp"}
SEX_LABELS = {"kvinna": "Kvinnor", "man": "Män", "annat/vill ej svara": "Annat/vill ej svara"}


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
    ``suppressed = True`` and no figures; ``count_hidden`` marks the cells
    whose count is not shown (the suppressed ones and their complements). For ``by="area"`` with
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
    counts = substantive(part).groupby(by).size().reindex(part[by].unique(), fill_value=0)
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
    out = pd.DataFrame(rows)
    if len(out):
        out["count_hidden"] = hidden_mask(out["n"], settings.min_respondents).to_numpy()
    else:
        out["count_hidden"] = pd.Series(dtype=bool)
    out.attrs["origin"] = processed.origin(survey)
    out.attrs["min_respondents"] = settings.min_respondents
    return out


def _group_order(by: str, part: pd.DataFrame, members: Mapping[str, list[str]]) -> list[str]:
    """Questionnaire order for sex and age; areas largest first, the pool last."""
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


@dataclass(frozen=True)
class AreaInsecurity:
    """One question per area for the follow-up's triangulation (read there as records)."""

    round_: int
    by_area: pd.DataFrame  # :func:`breakdown` by area, small areas pooled
    kommun_share: float | None  # the kommun's headline share of the same question
    weight_share: dict[str, float]  # each area's share of the round's weights


def insecurity_by_area(
    survey: pd.DataFrame, period: int, settings: Settings, question_id: str = KEY_QUESTION
) -> AreaInsecurity | None:
    """The period's round of ``question_id`` per area, or None without a round.

    ``weight_share`` is each area's share of the respondents' weights: a proxy
    for its share of the population the survey speaks for (16–85), from which
    the triangulation expects each area's share of reports and crimes.
    """
    current, _ = pick_rounds(survey, period)
    if current is None:
        return None
    by_area = breakdown(survey, current, "area", question_id, settings)
    part = in_round(survey, current)
    share = headline_estimate(part[part["question_id"] == question_id]).share
    resp = respondents(survey, current)
    w = resp["weight"].astype(float).fillna(1.0)
    weights = (w.groupby(resp["area"].astype(str)).sum() / w.sum()).to_dict()
    kommun_share = None if share is None or pd.isna(share) else float(share)
    return AreaInsecurity(
        int(current), by_area, kommun_share, {str(k): float(v) for k, v in weights.items()}
    )
