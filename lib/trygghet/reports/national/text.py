"""The national overview's Swedish texts: headline, narratives, banner detail, caveats.

The sentences are pinned by tests. Every part that cannot be shown is
skipped with a sentence saying why, never silently. Because no
overdispersion between kommuner is modelled, some of 290 kommuner land
outside the limits by chance alone; :func:`cannot_say_text` says so.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from trygghet import kommuner as kommun_list
from trygghet.present.style import is_example
from trygghet.present.swedish import NBSP, fmt_int, fmt_number, fmt_percent, join_list, plural
from trygghet.reports.national.analysis import (
    NOT_IN_BATCH,
    TOO_FEW,
    Overview,
    outside_counts,
    part_origin,
    population_origin,
)
from trygghet.stats import rates

#: Class -> Swedish label (legend, tables, tooltips).
CLASS_LABELS: dict[str, str] = {
    rates.ABOVE_998: "över 99,8 %-gränsen",
    rates.ABOVE_95: "över 95 %-gränsen",
    rates.WITHIN: "inom gränserna",
    rates.BELOW_95: "under 95 %-gränsen",
    rates.BELOW_998: "under 99,8 %-gränsen",
    TOO_FEW: "för få / ingår inte",
    NOT_IN_BATCH: "för få / ingår inte",
}

PROMISE_GROUP_TEXT = "narkotikabrott, trafik och ordningsstörningar"

POLICE_NOT_RATE = (
    "Antalet händelser räknas aldrig om per invånare: polisen väljer själv vad som "
    "publiceras, så händelserna är inte brottsstatistik och säger inget om brottsnivån."
)


def batch_text(codes: Sequence[str]) -> str:
    """``"2 kommuner: Hällefors och Ljusnarsberg"``; only the count when more than ten."""
    head = plural(len(codes), "kommun", "kommuner")
    if len(codes) == 290:
        return f"alla {head}"
    if len(codes) <= 10:
        return f"{head}: {join_list(kommun_list.kommun_name(c) for c in codes)}"
    return head


def headline(overview: Overview) -> str:
    """The key sentence for the index page: how many kommuner stand out on the police share."""
    shares = overview.police
    if shares is None:
        return (
            f"Riksöversikt {overview.period} ({batch_text(overview.codes)}): polisens "
            "händelser saknas, så ingen jämförelse kunde göras."
        )
    placed, above, below = outside_counts(shares[shares["in_batch"]])
    if placed == 0:
        return (
            f"Riksöversikt {overview.period} ({batch_text(overview.codes)}): ingen kommun "
            "hade tillräckligt många publicerade polishändelser för att jämföras."
        )
    outside = above + below
    if outside == 0:
        return (
            f"Riksöversikt {overview.period}: ingen av {plural(placed, 'jämförd kommun', 'jämförda kommuner')} "
            f"skiljer sig från riket i hur stor andel av polisens händelser som gäller "
            f"{PROMISE_GROUP_TEXT}."
        )
    return (
        f"Riksöversikt {overview.period}: {fmt_int(outside)} av "
        f"{plural(placed, 'jämförd kommun', 'jämförda kommuner')} skiljer sig från riket i hur "
        f"stor andel av polisens händelser som gäller {PROMISE_GROUP_TEXT} "
        f"({fmt_int(above)} högre, {fmt_int(below)} lägre)."
    )


def police_banner_detail(overview: Overview) -> str:
    """Coverage of the events archive, for the banner."""
    text = (
        "Händelser som polisen publicerat om en kommun (sammanfattningar av natt eller helg "
        "räknas inte)."
    )
    if overview.coverage_end:
        end = pd.Timestamp(overview.coverage_end)
        if end.year == overview.period:
            text += f" Uppgifterna för {overview.period} sträcker sig bara till {end.date()}."
    return text


def _names(frame: pd.DataFrame, limit: int = 8) -> str:
    names = list(frame["kommun_name"])
    if len(names) <= limit:
        return join_list(names)
    return f"{', '.join(names[:limit])} med flera"


def police_sentence(shares: pd.DataFrame | None) -> str:
    """How many batch kommuner stand out on the promise-group share, and the caveat.

    Situations: no events table; no kommun with enough events; none outside
    the 95 % limits; some above and/or below. Always ends with
    :data:`POLICE_NOT_RATE`.
    """
    if shares is None:
        return (
            "Polisens händelser saknas i de bearbetade tabellerna, så den delen av "
            "jämförelsen hoppas över. " + POLICE_NOT_RATE
        )
    period = shares.attrs["period"]
    centre = shares.attrs["centre"]
    batch = shares[shares["in_batch"]]
    placed, above, below = outside_counts(batch)
    few = int((batch["position"] == TOO_FEW).sum())
    min_events = shares.attrs["min_events"]
    parts = []
    if placed == 0:
        parts.append(
            f"Ingen av kommunerna i körningen hade minst {fmt_int(min_events)} publicerade "
            f"händelser under {period}, så ingen kan jämföras."
        )
    else:
        parts.append(
            f"I hela landet gällde {fmt_percent(centre)} av polisens publicerade händelser under "
            f"{period} {PROMISE_GROUP_TEXT}."
        )
        if above == 0 and below == 0:
            parts.append(
                f"Ingen av de {fmt_int(placed)} jämförda kommunerna skiljer sig från riket mer "
                "än slumpen kan förklara."
            )
        else:
            parts.append(
                f"Av {plural(placed, 'jämförd kommun', 'jämförda kommuner')} ligger "
                f"{fmt_int(above)} över och {fmt_int(below)} under trattens 95 %-gränser."
            )
            top = batch[batch["position"] == rates.ABOVE_998]
            if len(top):
                parts.append(f"Tydligast högre andel (över 99,8 %-gränsen): {_names(top)}.")
            bottom = batch[batch["position"] == rates.BELOW_998]
            if len(bottom):
                parts.append(f"Tydligast lägre andel (under 99,8 %-gränsen): {_names(bottom)}.")
    if few and placed:
        parts.append(
            f"{plural(few, 'kommun', 'kommuner')} hade färre än {fmt_int(min_events)} händelser "
            "och jämförs inte."
        )
    parts.append(POLICE_NOT_RATE)
    return " ".join(parts)


def not_shown_text(codes: Sequence[str], reasons: dict[str, str]) -> str:
    """Kommuner grouped by why they are not shown: ``"Hällefors och Ljusnarsberg (skäl)"``.

    Names up to ten kommuner per reason, else their number. A kommun without
    a reason is named with "uppgifterna saknas".
    """
    groups: dict[str, list[str]] = {}
    for code in codes:
        groups.setdefault(reasons.get(code) or "uppgifterna saknas", []).append(code)
    parts = []
    for reason, members in groups.items():
        who = (
            plural(len(members), "kommun", "kommuner")
            if len(members) > 10
            else join_list(kommun_list.kommun_name(c) for c in members)
        )
        parts.append(f"{who} ({reason})")
    return join_list(parts)


def _skipped(part: str, frame: pd.DataFrame) -> str:
    """Why a part with no kommun to show is skipped, naming each kommun's reason."""
    left_out = [*frame.attrs.get("missing", []), *frame.attrs.get("hidden", [])]
    if not left_out:
        return f"{part} hoppas över: inga kommuner i körningen."
    return f"{part} hoppas över: {not_shown_text(left_out, frame.attrs.get('reasons', {}))}."


def _left_out(frame: pd.DataFrame) -> list[str]:
    """The sentences naming the kommuner not shown and why (hidden first, then missing)."""
    reasons = frame.attrs.get("reasons", {})
    out = []
    if frame.attrs.get("hidden"):
        out.append(f"Visas inte: {not_shown_text(frame.attrs['hidden'], reasons)}.")
    if frame.attrs.get("missing"):
        out.append(f"Uppgifterna saknas för {not_shown_text(frame.attrs['missing'], reasons)}.")
    return out


def _marked(frame: pd.DataFrame, text: str) -> str:
    """``text`` after "EXEMPELDATA: " when the part's data are examples, else capitalised."""
    if is_example(part_origin(frame)):
        return f"EXEMPELDATA: {text}"
    return text[:1].upper() + text[1:]


def victim_sentence(frame: pd.DataFrame) -> str:
    """Pinned sentence for the victim-contact funnel (EXEMPELDATA when it is), or why it is skipped.

    Every kommun not shown is named with its reason (no report run for the
    period, no current record, too few decided cases).
    """
    if frame.empty:
        return _skipped("Jämförelsen av kontakt med brottsutsatta", frame)
    placed, above, below = outside_counts(frame)
    days = frame.attrs["target_days"]
    parts = [_marked(frame, f"andelen brottsutsatta som kontaktades inom {days} dagar.")]
    if placed < 2:
        parts.append(
            "För få kommuner har tillräckligt många avgjorda ärenden (minst "
            f"{fmt_int(frame.attrs['min_n'])}) för att en jämförelse ska säga något."
        )
    else:
        parts.append(
            f"Sammantaget {fmt_percent(frame.attrs['centre'])} i "
            f"{plural(placed, 'jämförd kommun', 'jämförda kommuner')}."
        )
        if above == 0 and below == 0:
            parts.append("Ingen kommun skiljer sig mer än slumpen kan förklara.")
        else:
            parts.append(
                f"{fmt_int(above)} ligger över och {fmt_int(below)} under trattens 95 %-gränser."
            )
    return " ".join([*parts, *_left_out(frame)])


def crime_sentence(frame: pd.DataFrame) -> str:
    """Pinned sentence for the reported-crime funnel (EXEMPELDATA when it is), or why it is skipped.

    Every kommun not shown is named with its reason (no report run for the
    period, Brå's figures of another year, a "fåtal", secret or missing figure).
    """
    if frame.empty:
        return _skipped("Jämförelsen av anmälda brott", frame)
    placed, above, below = outside_counts(frame)
    period = frame.attrs["period"]
    parts = [
        _marked(frame, f"anmälda brott totalt per 100{NBSP}000 invånare {period}. ")
        + f"Sammantaget {fmt_number(frame.attrs['centre'], 0)} per 100{NBSP}000 invånare i "
        f"{plural(placed, 'jämförd kommun', 'jämförda kommuner')}."
    ]
    if placed < 2:
        parts.append("Med en enda kommun finns inget att jämföra med.")
    elif above == 0 and below == 0:
        parts.append("Ingen kommun skiljer sig mer än slumpen kan förklara.")
    else:
        parts.append(
            f"{fmt_int(above)} ligger över och {fmt_int(below)} under trattens 95 %-gränser."
        )
    return " ".join([*parts, *_left_out(frame)])


def cannot_say_text(overview: Overview | None = None) -> str:
    """What the overview cannot say (for "Att tänka på").

    The paragraph on example data is left out only when ``overview`` shows
    that neither the victim-contact nor the crime part uses examples.
    """
    example = overview is None or any(
        is_example(part_origin(frame)) for frame in (overview.victim, overview.crime)
    )
    return "\n\n".join(
        [
            "Andelen i löftesgrupperna säger hur polisens publicerade händelser fördelar sig, "
            "inte hur vanliga narkotikabrott, trafikbrott eller ordningsstörningar är. En hög "
            "andel kan betyda mer sådan brottslighet, fler kontroller eller bara att "
            "polisregionen publicerar andra slags händelser. " + POLICE_NOT_RATE,
            "Trattens gränser visar vad slumpen ensam kan ge. De tar inte hänsyn till att "
            "kommuner verkligen skiljer sig åt (olika polisregioner, storstad och landsbygd), så "
            "bland 290 kommuner hamnar fler utanför gränserna än slumpen ger – läs en kommun "
            "utanför som en anledning att titta närmare, inte som ett betyg.",
            "Ingen rangordning: en plats högt eller lågt inom gränserna betyder ingenting.",
        ]
        + (
            [
                "Kontakt med brottsutsatta och anmälda brott bygger här på EXEMPELDATA – "
                "påhittade siffror som bara visar hur jämförelsen ser ut – och finns bara för "
                "kommuner vars rapporter har körts för perioden."
            ]
            if example
            else []
        )
    )


#: The banners of the two parts that may use example data, shown at the top of each part.
PART_SOURCES: dict[str, str] = {
    "victim": "Polismyndigheten, tidsstämplar för kontakt med brottsutsatta",
    "crime": "Brå, anmälda brott per kommun",
}


def show_part_banner(overview: Overview, part: str) -> None:
    """The data banner of the victim-contact or crime part, from the data's own origin.

    Shown at the start of the part (not at the top of the page) so that the
    page's summary, which is about the police events only, is not taken for
    example data; the crime part adds SCB's population with its own origin.
    """
    from trygghet.present import page

    frame = overview.victim if part == "victim" else overview.crime
    page.banner(
        PART_SOURCES[part],
        part_origin(frame),
        "Varje kommuns siffra är den som kommunens egen rapport för perioden visar; "
        "bara kommuner vars rapporter har körts ingår.",
    )
    if part == "crime":
        page.banner(
            "SCB, folkmängd per kommun",
            population_origin(),
            f"Nämnaren i takterna per 100{NBSP}000 invånare.",
        )
