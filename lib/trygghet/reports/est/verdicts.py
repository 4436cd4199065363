"""The verdicts the lägesbild gives, as English codes with their Swedish labels.

Two families: a week's count against its expected level ("förhöjt",
"som vanligt", ...; :mod:`trygghet.reports.est.expected`) and a change between
two periods (a measure's before/after, a tertial against the same tertial a
year earlier: "färre", "fler", ...). Both call a difference at the same level
:data:`ALPHA`; :data:`TOO_FEW` belongs to both.
"""

from __future__ import annotations

#: One-sided level of the "förhöjt" flag: a usual week exceeds the upper edge
#: about one week in twenty by chance. Changes (before/after, tertials) are
#: called at p < ALPHA as well.
ALPHA: float = 0.05

# A count against its expected level.
VERY_UNUSUAL_HIGH = "very_unusual"
UNUSUAL_HIGH = "unusual"
LOWER = "lower"
USUAL = "usual"
TOO_FEW = "too_few"
SHORT_HISTORY = "short_history"
MISSING = "missing"
VERDICT_LABELS: dict[str, str] = {
    VERY_UNUSUAL_HIGH: "förhöjt – mycket ovanligt",
    UNUSUAL_HIGH: "förhöjt – ovanligt",
    LOWER: "lägre än vanligt",
    USUAL: "som vanligt",
    TOO_FEW: "för få för att säga",
    SHORT_HISTORY: "för kort historik",
    MISSING: "uppgift saknas",
}
ELEVATED_VERDICTS: tuple[str, ...] = (VERY_UNUSUAL_HIGH, UNUSUAL_HIGH)
#: Display order of verdicts: what needs attention first.
VERDICT_ORDER: list[str] = [
    VERY_UNUSUAL_HIGH,
    UNUSUAL_HIGH,
    TOO_FEW,
    LOWER,
    USUAL,
    SHORT_HISTORY,
    MISSING,
]

# Before/after and tertial comparison codes.
FEWER = "fewer"
MORE = "more"
NO_CLEAR_CHANGE = "no_clear_change"
TOO_EARLY = "too_early"
NO_COMPARISON = "no_comparison"
CHANGE_LABELS: dict[str, str] = {
    FEWER: "färre",
    MORE: "fler",
    NO_CLEAR_CHANGE: "ingen tydlig förändring",
    TOO_FEW: "för få för att säga",
    TOO_EARLY: "för tidigt att säga",
    NO_COMPARISON: "inget att jämföra med",
}
