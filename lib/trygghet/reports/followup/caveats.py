"""The assumptions and caveats that this follow-up's computations actually used, in Swedish."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trygghet.errors import TrygghetError
from trygghet.present.gate import html_text
from trygghet.present.swedish import fmt_int, fmt_number
from trygghet.reports.followup.evaluate import PromiseResult
from trygghet.reports.followup.tables import display_html
from trygghet.reports.followup.triangulation import AREA_RADIUS_M


def caveats(context: Any, results: Sequence[PromiseResult]) -> list[str]:
    """Assumptions and caveats of what this follow-up actually used, in Swedish."""
    out = [
        "Status avgörs av osäkerhetsintervallet: uppfyllt bara när hela 95-procentiga "
        "intervallet ligger på rätt sida om målet; på väg bara vid en statistiskt säker "
        "förbättring sedan basperioden (5 %-nivån). En förändring inom slumpens ram räknas inte.",
        f'Antal under {fmt_int(context.config.min_count)} visas som "fåtal" och bedöms inte '
        "(kommunens gräns för små tal).",
    ]
    used = {r.topic for pr in results for r in pr.indicators}
    origins = {r.value.origin for pr in results for r in pr.indicators}
    if origins & {"example", "blandat"}:
        out.insert(0, "EXEMPELDATA: minst en indikator bygger på påhittade exempeldata, inte "
                   "kommunens eller polisens verkliga uppgifter. Siffrorna visar hur rapporten "
                   "fungerar, inte hur det ser ut i kommunen.")  # fmt: skip
    if "est" in used:
        from trygghet.reports import est

        out.append(
            f"EST: {est.RECURRING_DEFINITION} Tiden till åtgärd räknas från första rapporten på "
            "platsen inom 13 veckor före beslutet; medianens intervall bygger på "
            "ordningsstatistik."
        )
    if "walks" in used:
        out.append(
            "Trygghetsvandringar: andelen klara i tid räknas bland åtgärder vars sista dag låg i "
            "perioden (avslagna åtgärder räknas inte), med Wilsonintervall. Antalet vandringar är "
            "en räkning, inte en skattning, och har därför inget intervall."
        )
    if "survey" in used:
        from trygghet.reports import survey as sa

        out.append(
            "Trygghetsundersökningen: andelar är viktade; intervallen använder Kishs effektiva "
            "urvalsstorlek och bortser från urvalsdesignens stratifiering. Grupper med färre än "
            f"{fmt_int(sa.settings_from(context.config).min_respondents)} svar visas inte. "
            "Förändringen prövas mot förra omgången med ett viktat test för två andelar."
        )
    if "crime" in used:
        years = ""
        try:
            from trygghet.reports import crime as crime_stats

            cs = crime_stats.analyse_kommun(context.kommun, context.period,
                                            min_count=context.config.min_count)  # fmt: skip
            years = crime_stats.population_sentence(cs)
        except (TrygghetError, ValueError, OSError):
            pass
        out.append(
            "Anmälda brott (Brå) finns bara för hela kommunen, inte per område. Takterna är per "
            "100 000 invånare med exakta Poissonintervall."
            + (f" {years}" if years else "")
            + " Anmälda narkotika- och trafikbrott speglar till stor del polisens egna "
            "kontroller: fler anmälda kan betyda fler insatser, inte fler brott."
        )
    if "victims" in used:
        out.append(
            "Brottsofferkontakt: ärenden där veckan ännu inte hade gått ut vid uttaget räknas "
            "varken som i tid eller för sent; andelen har Wilsonintervall."
        )
    out.append(
        "Jämförelsen per område: polisens händelser kan bara knytas till ett område när "
        "händelsen nämner en tätort; invånarnas anmälningar knyts till närmaste område inom "
        f"{fmt_number(AREA_RADIUS_M / 1000)} km. Antal anmälningar mäter vilja och möjlighet att "
        "anmäla, inte otrygghet. Polisens händelser är inte brottsstatistik."
    )
    return out


def caveats_html(items: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{html_text(t)}</li>" for t in items) + "</ul>"


def show_caveats(context: Any, results: Sequence[PromiseResult]) -> None:
    display_html(caveats_html(caveats(context, results)))
