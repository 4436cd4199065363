"""The decision page that opens the follow-up: per promise what works, what does not, what to decide.

Written for a council member with ten minutes before the BRÅ meeting. It is
generated from the indicator records only (the same status, value and reason
as everywhere else), in three lines per promise:

* **Fungerar** – indicators met (✔) or on track (➚);
* **Fungerar inte** – indicators not met (✘);
* **Att besluta** – the question for the council: for indicators not met,
  which measure it decides; for indicators that cannot be assessed (?), what
  would make them assessable ("För att bedöma … behövs …"), so that the
  council can ask for it.

What an indicator needs follows from why it could not be assessed
(:func:`needed`): too few cases, no target, no baseline, an interval too wide
for the target, no interval, a report that failed or has not run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from trygghet.present.gate import html_text
from trygghet.present.swedish import fmt_int, join_list
from trygghet.reports.followup.evaluate import IndicatorResult, PromiseResult
from trygghet.reports.followup.tables import display_html
from trygghet.reports.indicators import REPORTS, spec_of
from trygghet.stats.status import CANT_SAY, MET, NOT_MET, ON_TRACK, SYMBOLS

ANCHOR = "att-besluta"


def needed(result: IndicatorResult, min_count: int) -> str:
    """What the indicator needs to be assessed, in Swedish (after "behövs")."""
    v, ind = result.value, result.indicator
    reason = result.reason
    if reason.startswith("rapporten "):  # its report failed, is out of date or has not run
        page = REPORTS.get(result.report, result.report or "som beräknar den")
        return f"att rapporten {page} körs om utan fel för perioden (skälet står i tabellen)"
    if "underlaget saknas" in reason or (v.value is None and not v.too_few):
        spec = spec_of(ind.function)
        data = f" ({spec.data})" if spec and spec.data else ""
        return f"underlag för perioden{data}"
    if v.too_few:
        have = f" (nu {fmt_int(v.n)})" if v.n is not None else ""
        return f"minst {fmt_int(min_count)} fall under perioden{have}"
    if ind.target is None and ind.direction == "level":
        return "en målnivå i kommunens konfiguration"
    if ind.target is None and v.change is None:
        return f"ett basår med data att jämföra med (basperiod {ind.baseline_period or 'saknas'})"
    if ind.target is None:
        return (
            "ett mål i kommunens konfiguration (i dag räknas bara förändringen sedan "
            "basperioden, och den är inte säker)"
        )
    if "inget osäkerhetsintervall" in reason:
        return "ett osäkerhetsintervall för värdet (fler fall eller en fullständig räkning)"
    return "fler fall, så att osäkerhetsintervallet blir smalare än avståndet till målet"


@dataclass
class PromiseDecision:
    """The three lines of one promise."""

    result: PromiseResult
    works: list[IndicatorResult] = field(default_factory=list)
    fails: list[IndicatorResult] = field(default_factory=list)
    unknown: list[tuple[IndicatorResult, str]] = field(default_factory=list)

    def questions(self) -> list[str]:
        out = [
            f"Vilken åtgärd beslutar rådet för att nå målet för ”{r.indicator.name}”?"
            if r.indicator.target is not None
            else f"Vilken åtgärd beslutar rådet för att vända utvecklingen för ”{r.indicator.name}”?"
            for r in self.fails
        ]
        out += [
            f"För att bedöma ”{r.indicator.name}” behövs {need}. Vem ser till det före nästa "
            "uppföljning?"
            for r, need in self.unknown
        ]
        if not out and self.works:
            out.append("Alla indikatorer är uppfyllda eller på väg: ska målen skärpas?")
        if not out:
            out.append("Löftet har inga indikatorer: vilka ska följa upp det?")
        return out


def decisions(results: Sequence[PromiseResult], min_count: int) -> list[PromiseDecision]:
    out = []
    for pr in results:
        d = PromiseDecision(pr)
        for r in pr.indicators:
            if r.status in (MET, ON_TRACK):
                d.works.append(r)
            elif r.status == NOT_MET:
                d.fails.append(r)
            else:
                d.unknown.append((r, needed(r, min_count)))
        out.append(d)
    return out


def _names(items: Sequence[IndicatorResult]) -> str:
    return join_list([f"{SYMBOLS[r.status]} {r.indicator.name} ({r.value.text})" for r in items])


def decision_html(results: Sequence[PromiseResult], min_count: int) -> str:
    """The decision page: per promise what works, what does not and the questions."""
    blocks = []
    for d in decisions(results, min_count):
        p = d.result.promise
        works = _names(d.works) if d.works else "inget av det som mäts är ännu säkert uppfyllt"
        fails = _names(d.fails) if d.fails else "inget av det som mäts är säkert ouppfyllt"
        questions = "".join(f"<li>{html_text(q)}</li>" for q in d.questions())
        blocks.append(
            f'<section class="fu-decision"><h3>Löfte {html_text(p.id)}: {html_text(p.title)}</h3>'
            f"<p><strong>Fungerar:</strong> {html_text(works)}</p>"
            f"<p><strong>Fungerar inte:</strong> {html_text(fails)}</p>"
            f"<p><strong>Att besluta:</strong></p><ul>{questions}</ul></section>"
        )
    legend = " · ".join(f"{SYMBOLS[s]} {s}" for s in (MET, ON_TRACK, NOT_MET, CANT_SAY))
    return (
        f'<div id="{ANCHOR}" class="fu-decisions"><h2>Att besluta på mötet</h2>'
        f"<p>Per löfte: vad som fungerar, vad som inte gör det och frågan till rådet. "
        f"Status: {html_text(legend)}. Siffrorna och skälen står i tabellen nedan.</p>"
        f"{''.join(blocks)}</div>"
    )


def show_decisions(context: Any, results: Sequence[PromiseResult]) -> None:
    display_html(decision_html(results, int(context.config.min_count)))
