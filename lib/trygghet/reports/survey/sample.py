"""Who answered: the response rate and the sample's age and sex structure.

* **Who answered.** The response rate needs the number of questionnaires sent
  out, which the table does not hold: it is a parameter, and when it is
  unknown the text says so. The sample's age and sex structure is compared
  with a population structure given by the caller; without one an
  approximate structure for all of Sweden aged 16–85
  (:data:`APPROX_SWEDEN_STRUCTURE`, rounded from SCB's population statistics
  2023) is used and labelled as such – a small inland kommun is usually older.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from trygghet.reports.survey.analysis import SKEW_THRESHOLD, Settings, is_weighted, respondents
from trygghet.reports.survey.breakdowns import group_label


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
