"""The comparison group: similar kommuner the kommun is placed in a funnel against.

The kommun is compared with the län, Riket and a *comparison group* of similar
kommuner (:func:`comparison_group`: the kommun's SKR kommungrupp from Kolada,
topped up with the nearest kommuner in population among those with Brå data).
The kommun is placed in a funnel around the group's pooled rate
(:func:`trygghet.stats.rates.funnel_position`, limits :data:`FUNNEL_LEVELS`),
so a small kommun is not ranked on noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from trygghet import kommuner
from trygghet.present.swedish import join_list, plural
from trygghet.sources import kolada as kolada_source
from trygghet.sources.scb import population_lookup

#: Smallest comparison group: fewer SKR peers with Brå data than this are
#: topped up with the kommuner nearest in population (log scale).
MIN_PEERS = 5

#: The funnel's limits: 95 % and 99,8 % around the group's pooled rate.
FUNNEL_LEVELS = (0.95, 0.998)


@dataclass(frozen=True)
class ComparisonGroup:
    """The kommuner the kommun is compared with, and how they were chosen."""

    codes: list[str]
    skr_class: str | None
    skr_codes: list[str]
    neighbour_codes: list[str]

    @property
    def description(self) -> str:
        """A Swedish sentence saying who is in the group and why."""
        if not self.codes:
            return "Det finns inga andra kommuner med uppgifter från Brå att jämföra med."
        parts = []
        if self.skr_codes:
            names = join_list(kommuner.kommun_name(c) for c in self.skr_codes)
            cls = self.skr_class or ""
            cls_name = kolada_source.SKR_CLASSES.get(cls, "")
            parts.append(f"{names} (samma kommungrupp enligt SKR, {cls} {cls_name})".strip())
        if self.neighbour_codes:
            names = join_list(kommuner.kommun_name(c) for c in self.neighbour_codes)
            why = (
                "närmast i folkmängd bland kommunerna med uppgifter från Brå"
                if self.skr_codes
                else "kommunerna närmast i folkmängd bland dem med uppgifter från Brå"
            )
            parts.append(f"{names} ({why})")
        return (
            f"Jämförelsegruppen är {plural(len(self.codes), 'kommun', 'kommuner')}: "
            + " och ".join(parts)
            + "."
        )


def comparison_group(
    bra: pd.DataFrame,
    population: pd.DataFrame,
    groups: pd.DataFrame | None,
    kommun: str,
    year: int,
    *,
    min_peers: int = MIN_PEERS,
) -> ComparisonGroup:
    """Similar kommuner with Brå data: the SKR kommungrupp, topped up by population.

    Only kommuner that appear in ``bra`` (at kommun level) can be compared.
    When fewer than ``min_peers`` members of the kommun's SKR kommungrupp have
    data, the kommuner nearest in population (absolute difference of the log
    population, the year's population per :func:`population_lookup`) are
    added until there are ``min_peers``.
    """
    available = set(bra.loc[bra["area_level"] == "kommun", "kommun_code"].astype(str)) - {kommun}
    skr = kolada_source.skr_class(groups, kommun) if groups is not None and len(groups) else None
    skr_codes = (
        sorted(set(kolada_source.peers(groups, kommun)) & available) if skr is not None else []
    )
    neighbours: list[str] = []
    if len(skr_codes) < min_peers:
        pops = population_lookup(population, year)
        own = pops.get(kommun)
        candidates = [c for c in available - set(skr_codes) if c in pops]
        if own is not None:
            candidates.sort(key=lambda c: (abs(math.log(pops[c]) - math.log(own)), c))
            neighbours = candidates[: min_peers - len(skr_codes)]
    codes = sorted(skr_codes + neighbours)
    return ComparisonGroup(codes, skr[0] if skr else None, skr_codes, sorted(neighbours))
