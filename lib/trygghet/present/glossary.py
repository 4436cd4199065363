"""One glossary (ordlista) for every report: the words and methods a reader meets, in plain Swedish.

Every report's header links it (``ordlista.html`` beside the report, written
by the runner with each run, so the link works from disk wherever the folder
is copied). One word is used for the interval throughout: *osäkerhetsintervall*
(95 %); the glossary says that other texts may call it konfidensintervall or
felmarginal.
"""

from __future__ import annotations

from trygghet.present.gate import html_text

FILE_NAME = "ordlista.html"

#: The one name of the interval beside every estimate.
INTERVAL_WORD = "osäkerhetsintervall"

#: Term -> explanation, in the order a reader meets them.
TERMS: dict[str, str] = {
    "Osäkerhetsintervall (95 %)": (
        "Spannet där det sanna värdet troligen ligger, med hänsyn till slumpen: med många fall är "
        "det smalt, med få brett. Kallas i andra texter konfidensintervall (KI) eller "
        "felmarginal; i rapporterna heter det alltid osäkerhetsintervall. Två värden vars "
        "intervall överlappar kan inte sägas skilja sig säkert."
    ),
    "Säker förändring": (
        'En förändring som är större än vad slumpen brukar ge: testet förkastar "ingen '
        'förändring" på 5 %-nivån, och intervallet för förändringen omfattar inte noll. Verdikt '
        "och intervall kommer alltid från samma metod."
    ),
    "Fåtal": (
        "Färre fall än kommunens gräns för små tal (min_count, ofta 5). Talet visas inte, i "
        "tabeller, diagram, meningar eller basår, eftersom det kan peka ut enskilda personer och "
        'är för osäkert att dra slutsatser av. "Visas ej" betyder att en cell döljs för att '
        "ett dolt fåtal annars skulle gå att räkna fram ur summorna."
    ),
    "Status": (
        "✔ uppfyllt: hela osäkerhetsintervallet ligger på rätt sida om målet. ➚ på väg: målet är "
        "inte säkert nått, men en säker förbättring sedan basåret. ✘ inte uppfyllt: hela "
        "intervallet ligger på fel sida. ? kan inte bedömas: för få fall, inget mål, inget "
        "intervall eller ett intervall som rymmer målet; beslutssidan säger vad som behövs."
    ),
    "Basår (basperiod)": "Året som indikatorn jämförs med, angivet i kommunens konfiguration.",
    "Per 100 000 invånare": (
        "Antal delat med folkmängden samma år, gånger 100 000, så att kommuner av olika storlek "
        "kan jämföras. Polisens händelser räknas aldrig så: de är inte brottsstatistik."
    ),
    "Jämförelsegrupp": (
        "Kommuner av samma typ enligt SKR:s kommungruppsindelning (t.ex. C8 "
        '"Landsbygdskommun", C9 "Landsbygdskommun med besöksnäring"), hämtad via Kolada.'
    ),
    "Kolada och nyckeltal": (
        "Kolada är SKR:s databas över kommuner och regioner. Ett nyckeltal har ett id, t.ex. "
        "N07403 (anmälda våldsbrott per 100 000 invånare). Koladas och Brås tal för samma ord "
        "kan skilja sig, eftersom de räknar olika brott."
    ),
    "Trattdiagram och 95 %- och 99,8 %-gränserna": (
        "Ett diagram där varje kommun är en punkt: värde mot folkmängd. Linjerna visar hur långt "
        "från jämförelsegruppens nivå en kommun av den storleken kan hamna av slump: utanför "
        "95 %-gränsen händer av slump ungefär 1 gång av 20, utanför 99,8 %-gränsen ungefär 1 "
        "gång av 500."
    ),
    "Hot spot (Gi*)": (
        "Getis–Ords Gi* jämför antalet händelser i en ruta och dess grannar med resten av "
        "kommunen. En hot spot är ett område med fler än slumpen brukar ge. Eftersom många rutor "
        "prövas samtidigt justeras gränsen (FDR, se nedan)."
    ),
    "FDR (falsk upptäcktsandel)": (
        'När många rutor prövas på en gång blir några "signifikanta" av ren slump. FDR-'
        "justeringen håller andelen falska fynd bland de utpekade under 5 %."
    ),
    "Röd-röd (hög-hög)": (
        "En ruta med många händelser vars grannar också har många: en sammanhängande hot spot, "
        "inte en enstaka ruta."
    ),
    "Wilsons intervall": "Osäkerhetsintervall för en andel (t.ex. andel kontaktade i tid).",
    "Exakt Poissonintervall": (
        "Osäkerhetsintervall för ett antal eller en takt (brott per 100 000), exakt även när "
        "antalet är litet."
    ),
    "Newcombes intervall": "Osäkerhetsintervall för skillnaden mellan två andelar.",
    "Viktning (Kish)": (
        "Enkätsvaren vägs så att åldrar och kön motsvarar befolkningen. Intervallet blir då "
        "bredare; Kish effektiva urvalsstorlek säger hur många svar vikterna motsvarar."
    ),
    "Mann–Whitneys test": "Jämför två grupper av tider (t.ex. veckor till åtgärd) utan att anta en fördelning.",
    "Median": "Mittvärdet: hälften är lägre, hälften högre.",
    "EST": (
        "Effektiv samordning för trygghet: kommunen, polisen och andra rapporterar varje vecka "
        "var det varit oroligt och beslutar åtgärder på återkommande platser."
    ),
    "Återkommande plats (EST)": (
        "En plats med EST-rapporter i minst 3 av de 6 senaste veckorna; under ett år räknas den "
        "om den var återkommande någon vecka."
    ),
    "Hobit": "Polisens kartsystem; utdrag ur det ger polisanmälda brott med position.",
    "Brå": "Brottsförebyggande rådet, som publicerar statistik över anmälda brott per kommun.",
    "EXEMPELDATA": (
        "Påhittade siffror i samma format som kommunens eller polisens riktiga data, så att "
        "rapporterna kan visas innan riktiga data finns. Allt som bygger på dem är märkt."
    ),
    "Genererad standardkonfiguration": (
        "Kommunen har ännu ingen egen konfigurationsfil: löften, områden och indikatorer är "
        "exempel. Skriv en egen med trygghet ny-kommun."
    ),
}


def glossary_html() -> str:
    """The glossary page (self-contained, nothing fetched)."""
    items = "".join(
        f'<dt id="{html_text(_anchor(term))}">{html_text(term)}</dt><dd>{html_text(text)}</dd>'
        for term, text in TERMS.items()
    )
    return (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Ordlista</title>'
        "<style>body { font-family: system-ui, sans-serif; font-size: 20px; max-width: 50em; "
        "margin: 2em auto; line-height: 1.45; color: #111; } dt { font-weight: bold; "
        "margin-top: 1em; } dd { margin-left: 0; }"
        "@page { size: A4; margin: 18mm; } @media print { body { font-size: 12pt; } }</style>"
        "</head><body><h1>Ordlista</h1><p>Orden och metoderna i rapporterna om "
        f"medborgarlöftena, förklarade.</p><dl>{items}</dl></body></html>"
    )


def _anchor(term: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in term.lower()).strip("-")


def link_html() -> str:
    """The link every report's header carries."""
    return (
        f'<a class="trygghet-glossary" href="{FILE_NAME}">Ordlista: ord och metoder förklarade</a>'
    )
