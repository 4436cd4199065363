"""Promise 2's dialogue indicators: areas with a dialogue, proposals decided, measures on time.

They follow the conventions of :mod:`trygghet.reports.indicators.functions`
(configs name them ``promise_indicators.<function>``, declared with
``@_declared``) and read everything through the places report
(:func:`trygghet.reports.places.load_dialogues`, :func:`~trygghet.reports.places.chain`),
so the follow-up and the report cannot disagree. Without a ``dialogues`` table,
or on fewer than the kommun's ``min_count``, the value is "kan inte bedömas"
with the reason in ``detail``.
"""

from __future__ import annotations

from typing import Any

from trygghet.present.swedish import MISSING, fmt_int, join_list, plural
from trygghet.reports.indicators import functions as _core
from trygghet.stats.status import IndicatorValue

_shared = _core._shared

_declared = _core._declared
_min_count = _core._min_count
share_value = _core.share_value
_SHARE_TEST = _core._SHARE_TEST

_NO_DIALOGUES = (
    "Inga medborgardialoger registrerade (tabellen dialogues saknas); se docs/data/dialogues.md."
)


def _dialogues(context: Any, year: int):
    """The places report's dialogue analysis of ``year``, or None without a dialogues table."""
    from trygghet.reports import places

    def analyse():
        data = _dialogue_data(context)
        return places.analyse_dialogues(data, context.config, year) if data.available else None

    # Six indicators and two years read it: loaded once, analysed once per year.
    return _shared(context, f"dialogues/{int(year)}", analyse)


def _dialogue_data(context: Any):
    """The kommun's dialogue tables, loaded once per publishing call."""
    from trygghet.reports import places

    return _shared(context, "dialogue_data", lambda: places.load_dialogues(context.kommun))


def _cannot_say(detail: str, origin: str = "saknas", n: int | None = None) -> IndicatorValue:
    return IndicatorValue(value=None, n=n, too_few=True, text=MISSING, origin=origin, detail=detail)


@_declared(
    report="places",
    definition="Andelen av kommunens områden (i konfigurationen) med minst en dialog med medborgare under året; en dialog med bara tjänstepersoner räknas inte.",
    method="Fullständig räkning av områdena, inget intervall",
    summary="Share of the kommun's config areas with at least one dialogue with citizens in "
    "the period (a census of the areas: no interval).",
    unit="andel",
    data="dialogues",
    share=True,
    baseline="compared with the share in baseline_period (a census: any difference is real)",
)
def dialogue_areas_covered(context: Any, baseline_period: int | None = None) -> IndicatorValue:
    """Promise 2: config areas with a dialogue with citizens (:func:`places.areas_covered`).

    Every area is counted, not sampled, so the share has no interval and a
    difference from the baseline year is a change, not noise. A dialogue of only
    officials does not count.
    """
    from trygghet.reports import places

    d = _dialogues(context, context.period)
    if d is None:
        return _cannot_say(_NO_DIALOGUES)
    k, n = places.areas_covered(d)
    if n == 0:
        return _cannot_say("Kommunens konfiguration har inga områden.", d.origin)
    share = k / n
    baseline, change = None, None
    if baseline_period is not None:
        before = _dialogues(context, int(baseline_period))
        bk, bn = places.areas_covered(before) if before is not None else (0, 0)
        if bn:
            baseline = bk / bn
            change = "none" if share == baseline else ("up" if share > baseline else "down")
    missing = places.areas_without_dialogue(d)
    detail = f"{fmt_int(k)} av {plural(n, 'område', 'områden')} hade en dialog med medborgare"
    detail += f" under {context.period}; ingen i {join_list(missing)}." if missing else (
        f" under {context.period}.")  # fmt: skip
    return IndicatorValue(
        value=share, low=share, high=share, n=n, exact=True,  # a census of the areas
        baseline=baseline, change=change,
        text=f"{fmt_int(k)} av {fmt_int(n)}", origin=d.origin, detail=detail,
    )  # fmt: skip


def _chain_counts(context: Any, year: int, stage: str) -> tuple[tuple[int, int] | None, str]:
    """(count, of) of a chain stage for ``year`` (None without dialogues), and the origin."""
    from trygghet.reports import places

    d = _dialogues(context, year)
    if d is None:
        return None, "saknas"
    row = places.chain(d).set_index("stage").loc[stage]
    return (int(row["count"]), int(row["of"])), d.origin


def _chain_share(
    context: Any, stage: str, baseline_period: int | None, detail: str
) -> IndicatorValue:
    counts, origin = _chain_counts(context, context.period, stage)
    if counts is None:
        return _cannot_say(_NO_DIALOGUES)
    k, n = counts
    base = None
    if baseline_period is not None:
        base, _ = _chain_counts(context, int(baseline_period), stage)
    if n < _min_count(context):
        detail = (
            f"{detail.format(k=fmt_int(k), n=fmt_int(n), year=context.period)} "
            f"Färre än {fmt_int(_min_count(context))}: för få för att bedöma."
        )
    else:
        detail = detail.format(k=fmt_int(k), n=fmt_int(n), year=context.period)
    return share_value(k, n, _min_count(context), origin, baseline=base, detail=detail)


@_declared(
    report="places",
    definition="Andelen av förslagen från årets medborgardialoger som blev en beslutad åtgärd.",
    method="Wilsons intervall (95 %); förändring mot basåret: test av två andelar",
    summary="Share of the proposals from the period's dialogues with citizens that became a "
    "decided measure, with a Wilson interval.",
    unit="andel",
    data="dialogues, dialogue_proposals",
    share=True,
    baseline=_SHARE_TEST,
)
def dialogue_proposals_decided(context: Any, baseline_period: int | None = None) -> IndicatorValue:
    """Promise 2: proposals that became a decided measure (:func:`places.chain`)."""
    return _chain_share(
        context, "beslutad åtgärd", baseline_period,
        "{k} av {n} förslag från dialogerna {year} blev en beslutad åtgärd.",
    )  # fmt: skip


@_declared(
    report="places",
    definition="Andelen av de beslutade åtgärderna från årets dialoger, med sista dag passerad eller klara, som blev klara i tid.",
    method="Wilsons intervall (95 %); förändring mot basåret: test av två andelar",
    summary="Share of the measures decided from the period's dialogues, with a deadline passed "
    "or done, that were done by the deadline, with a Wilson interval.",
    unit="andel",
    data="dialogues, dialogue_proposals",
    share=True,
    baseline=_SHARE_TEST,
)
def dialogue_measures_on_time(context: Any, baseline_period: int | None = None) -> IndicatorValue:
    """Promise 2: decided measures done by their deadline (:func:`places.chain`, "klar i tid")."""
    return _chain_share(
        context, "klar i tid", baseline_period,
        "{k} av {n} beslutade åtgärder från dialogerna {year} som kunde bedömas blev klara i tid.",
    )  # fmt: skip
