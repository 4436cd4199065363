"""Who answered: the response rate and the sample's age and sex structure.

* **Who answered.** The response rate needs the number of questionnaires sent
  out, which the table does not hold: it is a parameter, and when it is
  unknown the text says so. The sample's age and sex structure is compared
  with a population structure given by the caller; without one an
  approximate structure for all of Sweden aged 16–85
  (:data:`APPROX_SWEDEN_STRUCTURE`, rounded from SCB's population statistics
  2023) is used and labelled as such – a small inland kommun is usually older.
* **Small groups.** A group with fewer than ``min_respondents`` respondents
  is not shown with its count or share. Respondents outside the structure
  ("annat/vill ej svara", no answer) get a row of their own, because the
  round's number of respondents is shown and they would otherwise follow by
  subtraction (327 − 163 − 155 = 9); within each dimension further groups are
  hidden until no hidden count can be computed
  (:func:`trygghet.present.small_numbers.hidden_mask`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from trygghet.present.small_numbers import hidden_mask, primary_mask
from trygghet.reports.survey.analysis import SKEW_THRESHOLD, Settings, is_weighted, respondents
from trygghet.reports.survey.breakdowns import group_label
from trygghet.sources import processed

#: The row of respondents outside a dimension's population structure.
OUTSIDE_STRUCTURE = "annat/uppgift saknas"


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
    correct the skew. ``in_structure`` is False on the row of respondents
    outside the structure; ``hidden`` marks rows whose count and shares must
    not be shown, ``few`` those under the rule themselves.
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
                    "in_structure": True,
                }
            )
        rows.extend(_outside_rows(people, dim, pop.index))
    table = _with_suppression(pd.DataFrame(rows), settings.min_respondents)
    table.attrs["origin"] = processed.origin(survey)
    table.attrs["min_respondents"] = settings.min_respondents
    return Composition(table, chi2, label_text, weighted, settings.skew_threshold, skewed)


def _outside_rows(people: pd.DataFrame, dim: str, groups: pd.Index) -> list[dict]:
    """The respondents of a dimension outside the structure, as one row (none if there are none)."""
    outside = people[~people[dim].isin(groups)]
    if outside.empty:
        return []
    values = set(outside[dim].dropna().astype(str))
    name = values.pop() if len(values) == 1 and outside[dim].notna().all() else OUTSIDE_STRUCTURE
    return [
        {
            "dimension": dim,
            "group": name,
            "n": int(len(outside)),
            "sample_share": np.nan,
            "weighted_share": np.nan,
            "population_share": np.nan,
            "difference": np.nan,
            "skewed": False,
            "in_structure": False,
        }
    ]


def _with_suppression(table: pd.DataFrame, min_respondents: int) -> pd.DataFrame:
    """``hidden`` and ``few`` per row: the rule within each dimension, whose total is shown."""
    if table.empty:
        return table.assign(hidden=pd.Series(dtype=bool), few=pd.Series(dtype=bool))
    hidden = pd.Series(False, index=table.index)
    for _, part in table.groupby("dimension", sort=False):
        hidden[part.index] = hidden_mask(part["n"], min_respondents).to_numpy()
    table["hidden"] = hidden.to_numpy()
    table["few"] = primary_mask(table["n"], min_respondents).to_numpy()
    return table
