"""Who answered: the response rate and the sample's age and sex structure.

* **Who answered.** The response rate needs the number of questionnaires sent
  out, which the table does not hold: it is a parameter, and when it is
  unknown the text says so. The sample's age and sex structure is compared
  with **the kommun's own population aged 16–85** from SCB
  (:func:`population_structure`: the processed table ``population_age_sex``,
  read by :mod:`trygghet.sources.scb_age_sex`, for the round's year or the
  nearest earlier year). Where the kommun has no such table the page says so
  plainly and uses an approximate structure for all of Sweden aged 16–85
  instead (:data:`APPROX_SWEDEN_STRUCTURE`, rounded from SCB's population
  statistics 2023), labelled as not the kommun's – a small inland kommun is
  usually older. Whatever structure is used is named in the sentence and the
  table's caption (:func:`composition_caption`).
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
from trygghet.sources import processed, scb_age_sex
from trygghet.sources.survey import AGE_GROUPS

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
    "en ungefärlig befolkningsstruktur för hela Sverige 16–85 år (SCB 2023, avrundad), "
    "inte kommunens egen"
)

#: The processed table with the kommun's population by age and sex.
POPULATION_TABLE = scb_age_sex.TABLE
#: The survey's age groups as inclusive ages.
AGE_RANGES: dict[str, tuple[int, int]] = {
    g: (int(g.split("–")[0]), int(g.split("–")[1])) for g in AGE_GROUPS
}


@dataclass(frozen=True)
class PopulationStructure:
    """The population the sample is compared with, and how the page names it.

    ``own`` is True for the kommun's own structure from SCB; ``label`` is a
    noun phrase for "Jämförelsen görs mot …"; ``note`` says plainly, when the
    kommun's structure is missing, what is used instead (empty otherwise).
    """

    shares: dict[str, dict[str, float]]
    label: str
    own: bool
    year: int | None = None
    origin: str = "real"
    note: str = ""


def population_structure(kommun: str, round_: int, kommun_name: str) -> PopulationStructure:
    """The kommun's own age and sex structure 16–85 for the round, or the labelled fallback.

    Reads the processed table ``population_age_sex`` (SCB's population on 31
    December by age and sex). The year is the round's own, else the latest
    earlier year, else the earliest later one, and the label says which year.
    Without the table: :data:`APPROX_SWEDEN_STRUCTURE`, with a ``note`` that
    says the kommun's structure is not available and what is used instead.
    """
    try:
        table = processed.load_table(kommun, POPULATION_TABLE)
    except processed.MissingTableError:
        table = None
    if table is not None:
        table = table[table["kommun_code"].astype(str) == str(kommun)]
    if table is None or table.empty:
        return PopulationStructure(
            APPROX_SWEDEN_STRUCTURE,
            APPROX_SWEDEN_LABEL,
            own=False,
            note=(
                f"Den egna fördelningen på ålder och kön för {kommun_name} finns inte i data "
                "(SCB:s tabell Folkmängd efter region, ålder, kön och år har inte lagts in), så de "
                "svarande jämförs i stället med en ungefärlig fördelning för hela Sverige "
                "16–85 år – inte med kommunens egen befolkning."
            ),
        )
    years = sorted(int(y) for y in table["year"].dropna().unique())
    earlier = [y for y in years if y <= int(round_)]
    year = earlier[-1] if earlier else years[0]
    origin = processed.origin(table)
    which = "" if year == int(round_) else f", närmaste år med siffror för omgången {round_}"
    example = " – EXEMPELDATA, påhittade siffror" if origin == "example" else ""
    label = (
        f"befolkningen 16–85 år i {kommun_name} den 31 december {year} (SCB, Folkmängd "
        f"efter region, ålder, kön och år{which}){example}"
    )
    shares = scb_age_sex.age_sex_shares(table, year, AGE_RANGES)
    return PopulationStructure(shares, label, own=True, year=year, origin=origin)


@dataclass(frozen=True)
class Composition:
    """Who answered compared with the population, per dimension (age group, sex)."""

    table: pd.DataFrame
    chi2: dict[str, tuple[float, float]]  # dimension -> (statistic, p-value)
    structure_label: str
    weighted: bool
    threshold: float = SKEW_THRESHOLD
    skewed_groups: list[str] = field(default_factory=list)
    #: Said on the page when the kommun's own structure is missing (what is used instead).
    structure_note: str = ""
    own_structure: bool = False

    @property
    def origin(self) -> str:
        """Origin of the survey and the population together ("blandat" when they differ)."""
        return str(self.table.attrs.get("origin", "example"))

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
    population: PopulationStructure | None = None,
) -> Composition:
    """The sample's age and sex structure against a population structure.

    ``population`` (from :func:`population_structure`) gives the structure, its
    label and, for the fallback, the note the page must show. Otherwise
    ``structure`` maps ``"age_group"``/``"sex"`` to ``{group: population share}``
    (shares are renormalised to sum to one), named by ``structure_label`` (a noun
    phrase). Without either the approximate Swedish structure
    :data:`APPROX_SWEDEN_STRUCTURE` is used and labelled so.
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
    note, own = "", False
    if population is not None:
        structure, structure_label = population.shares, population.label
        note, own = population.note, population.own
    if structure is None:
        structure, structure_label = APPROX_SWEDEN_STRUCTURE, APPROX_SWEDEN_LABEL
    label_text = structure_label or "en befolkningsstruktur given som parameter"
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
    origins = {processed.origin(survey)} | ({population.origin} if population else set())
    table.attrs["origin"] = origins.pop() if len(origins) == 1 else "blandat"
    table.attrs["min_respondents"] = settings.min_respondents
    return Composition(
        table, chi2, label_text, weighted, settings.skew_threshold, skewed, note, own
    )


def composition_caption(comp: Composition, round_: int) -> str:
    """The composition table's caption, naming the population it compares with."""
    text = (
        f"De svarande {round_} efter ålder och kön jämförda med {comp.structure_label}. "
        "”Andel efter viktning” är de svarandes andel när vikterna används."
    )
    return f"{text} {comp.structure_note}" if comp.structure_note else text


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
