"""The dialogue section's banner, sentences and display tables.

Sentences go to the page through ``report.narrative`` (the page gate), tables
through :func:`trygghet.reports.places.privacy.display_table` and
:func:`trygghet.present.tables.page_table`. Participant counts and residents'
report counts follow the small-number rule; no share or median is said on
fewer than the kommun's ``min_count``. No proposal text is ever shown.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trygghet.present import page, small_numbers
from trygghet.present.gate import clean_text
from trygghet.present.swedish import MISSING, fmt_date, fmt_int, fmt_percent, join_list, plural
from trygghet.present.tables import PageTable, page_table
from trygghet.reports.places.dialogues import (
    HOW_TO_ADD,
    RAISED_FEW_REPORTS,
    REPORTED_NOT_RAISED,
    WHOLE_KOMMUN,
    DialogueAnalysis,
    DialogueData,
    area_counts,
    areas_without_dialogue,
    chain,
    chain_by,
    days_to_decision,
    no_deadline,
    participant_counts,
    theme_counts,
    unlinked_decided,
)
from trygghet.reports.places.privacy import display_table

# --------------------------------------------------------------------------- banner


def dialogue_coverage_text(data: DialogueData) -> str:
    """Banner detail: how many dialogues and proposals, which dates; or how to add them."""
    if not data.available:
        return HOW_TO_ADD
    frame = data.dialogues
    if frame.empty:
        return "Inga dialoger i tabellen."
    day = pd.to_datetime(frame["date"])
    n_prop = len(data.proposals) if data.proposals is not None else 0
    props = (
        plural(n_prop, "förslag", "förslag")
        if data.proposals is not None
        else "ingen förslagstabell"
    )
    return (
        f"{plural(len(frame), 'dialog', 'dialoger')} med {props} från {fmt_date(day.min())} "
        f"till {fmt_date(day.max())}."
    )


def dialogue_banner(data: DialogueData) -> None:
    """Show where the dialogue data came from (or that there are none)."""
    page.banner("medborgardialoger och förslag", data.origin, dialogue_coverage_text(data))


# --------------------------------------------------------------------------- sentences


def _share_words(k: int, n: int, low: float, high: float) -> str:
    return (
        f"{fmt_percent(k / n)} (95-procentigt osäkerhetsintervall "
        f"{fmt_percent(low)}–{fmt_percent(high)})"
    )


def areas_sentence(d: DialogueAnalysis) -> str:
    """Dialogues with citizens in the period and the config areas that had none."""
    held = len(d.with_citizens)
    if held == 0:
        return f"Ingen dialog med medborgare är registrerad under {d.period}."
    missing = [clean_text(a) for a in areas_without_dialogue(d)]
    whole = int(d.with_citizens["area"].astype(str).eq(WHOLE_KOMMUN).sum())
    first = f"Under {d.period} hölls {plural(held, 'dialog', 'dialoger')} med medborgare"
    first += f", varav {fmt_int(whole)} för hela kommunen." if whole else "."
    if not d.areas:
        return first
    if not missing:
        return f"{first} Alla kommunens {fmt_int(len(d.areas))} områden hade minst en dialog."
    return (
        f"{first} {fmt_int(len(missing))} av kommunens {fmt_int(len(d.areas))} områden hade "
        f"ingen: {join_list(missing)}."
    )


#: How a group reads after a count in a sentence ("12 invånare", "3 från föreningar").
_GROUP_WORDS = {"föreningar": "från föreningar"}


def participants_sentence(d: DialogueAnalysis) -> str:
    """Who took part, and how many dialogues had only officials."""
    only = d.officials_only
    officials = (
        f" {plural(only, 'dialog', 'dialoger')} hade bara tjänstepersoner från kommun eller "
        "polis och räknas inte som dialog med medborgare."
        if only
        else ""
    )
    if d.with_citizens.empty:
        return officials.strip()
    table = participant_counts(d)
    citizens = table[table["group"] != "tjänstepersoner"]
    hidden = small_numbers.hidden_mask(citizens["participants"], d.min_count, margins="total")
    parts = []
    for row, h in zip(citizens.itertuples(), hidden, strict=True):
        words = small_numbers.count_words(row.participants, bool(h), d.min_count)
        if words is not None and row.participants > 0:
            parts.append(f"{words} {_GROUP_WORDS.get(row.group, row.group)}")
    none = [r.group for r in citizens.itertuples() if r.participants == 0]
    text = f"I dialogerna deltog {join_list(parts)}." if parts else ""
    if none:
        text += f" Ingen från {join_list(none)} deltog."
    return (text + officials).strip()


def themes_sentence(d: DialogueAnalysis) -> str:
    """The themes where the dialogues and the residents' reports disagree."""
    if d.with_citizens.empty:
        return ""
    table = theme_counts(d)
    raised = [clean_text(t) for t in table[table["note"] == RAISED_FEW_REPORTS]["theme"]]
    unraised = [clean_text(t) for t in table[table["note"] == REPORTED_NOT_RAISED]["theme"]]
    parts = []
    if raised:
        parts.append(
            f"{join_list(raised)} togs upp i många dialoger men har få anmälningar från invånarna"
        )
    if unraised:
        parts.append(
            f"{join_list(unraised)} har många anmälningar men togs aldrig upp i någon dialog"
        )
    if not parts:
        return "Dialogernas teman och invånarnas anmälningar pekar inte åt tydligt olika håll."
    text = "; ".join(parts)
    return f"{text[0].upper()}{text[1:]}."


def chain_sentence(d: DialogueAnalysis) -> str:
    """Proposals → decided measures → done → on time, shares only on ``min_count`` or more."""
    if not d.has_proposals_table:
        return (
            "Förslagen från dialogerna är inte registrerade, så kedjan till åtgärd kan inte följas."
        )
    c = chain(d).set_index("stage")
    n = int(c.loc["förslag", "count"])
    if n == 0:
        return f"Inga förslag från årets dialoger är registrerade (fram till {fmt_date(d.as_of)})."
    out = [f"Dialogerna gav {plural(n, 'förslag', 'förslag')}."]
    for stage, phrase in (
        ("beslutad åtgärd", "{k} av de {n} förslagen blev en beslutad åtgärd"),
        ("åtgärdad", "{k} av de {n} beslutade åtgärderna var åtgärdade den " + fmt_date(d.as_of)),
        ("klar i tid", "{k} av de {n} åtgärder som kunde bedömas blev klara senast sista dagen"),
    ):
        row = c.loc[stage]
        k, m = int(row["count"]), int(row["of"])
        if m == 0:
            continue
        said = phrase.format(k=fmt_int(k), n=fmt_int(m))
        if row["shown"]:
            out.append(f"{said}, {_share_words(k, m, row['low'], row['high'])}.")
        else:
            out.append(f"{said} (för få för att ange en andel).")
    late = no_deadline(d)
    if late:
        out.append(f"{plural(late, 'beslutad åtgärd', 'beslutade åtgärder')} saknar sista dag.")
    return " ".join(out)


def decision_time_sentence(d: DialogueAnalysis) -> str:
    """Median days from dialogue to decided measure (with n), or why it is not said."""
    days = days_to_decision(d)
    unlinked = unlinked_decided(d)
    note = (
        f" {plural(unlinked, 'beslutad åtgärd', 'beslutade åtgärder')} saknar länk till en "
        "daterad åtgärd i trygghetsvandringarna eller EST och är inte med."
        if unlinked
        else ""
    )
    if not days:
        if not d.has_proposals_table or d.proposals.empty or not d.proposals["decided"].any():
            return ""
        return f"Tiden från dialog till beslutad åtgärd kan inte mätas.{note}"
    if len(days) < d.min_count:
        return (
            f"Bara {plural(len(days), 'beslutad åtgärd', 'beslutade åtgärder')} kan dateras: "
            f"för få för att ange en typisk tid från dialog till beslut.{note}"
        )
    median = float(np.median(days))
    return (
        f"Från dialog till beslutad åtgärd tog det i mitten (median) "
        f"{plural(round(median), 'dag', 'dagar')} (n = {fmt_int(len(days))}).{note}"
    )


def dialogue_text(d: DialogueAnalysis) -> str:
    """The section's paragraphs; without dialogue data, how to add them."""
    if not d.available:
        return HOW_TO_ADD
    first = " ".join(s for s in (areas_sentence(d), participants_sentence(d)) if s)
    chain_text = " ".join(s for s in (chain_sentence(d), decision_time_sentence(d)) if s)
    return "\n\n".join(p for p in (first, themes_sentence(d), chain_text) if p)


# --------------------------------------------------------------------------- tables


def _shown(frame: pd.DataFrame, origin: str) -> PageTable:
    return page_table(display_table(frame), origin=origin)


def _counts(values: pd.Series, min_count: int, margins: str | None = "total") -> list[str]:
    hidden = small_numbers.hidden_mask(values.astype("int64"), min_count, margins=margins)
    return [small_numbers.count_text(v, h, min_count) for v, h in zip(values, hidden, strict=True)]


def dialogue_area_table(d: DialogueAnalysis) -> PageTable:
    """Dialogues with citizens per area, officials-only dialogues, citizen participants."""
    t = area_counts(d)
    out = pd.DataFrame(
        {
            "område": t["area"],
            "dialoger med medborgare": t["dialogues"].map(fmt_int),
            "bara tjänstepersoner": t["officials_only"].map(fmt_int),
            "deltagande medborgare": _counts(t["citizens"], d.min_count),
            "": np.where(t["in_config"] & (t["dialogues"] == 0), "ingen dialog", ""),
        }
    )
    return _shown(out, d.origin)


def dialogue_participants_table(d: DialogueAnalysis) -> PageTable:
    """Participants per group in the dialogues with citizens."""
    t = participant_counts(d)
    out = pd.DataFrame(
        {
            "grupp": t["group"],
            "deltagare": _counts(t["participants"], d.min_count),
            "dialoger med gruppen": t["dialogues"].map(fmt_int),
        }
    )
    return _shown(out, d.origin)


def dialogue_theme_table(d: DialogueAnalysis) -> PageTable:
    """Per theme: dialogues raising it, proposals, residents' reports, the disagreement."""
    t = theme_counts(d)
    t = t[(t["dialogues"] > 0) | (t["proposals"] > 0) | (t["reports"].fillna(0) > 0)]
    is_cat = t["reports"].notna()
    reports = pd.Series(MISSING, index=t.index, dtype=object)
    if is_cat.any():
        reports[is_cat] = _counts(t.loc[is_cat, "reports"], d.min_count)
    out = pd.DataFrame(
        {
            "tema": t["theme"],
            "dialoger som tog upp det": t["dialogues"].map(fmt_int),
            "förslag": t["proposals"].map(fmt_int),
            "invånarnas anmälningar": reports,
            "skillnad": t["note"],
        }
    )
    return _shown(out.reset_index(drop=True), d.origin)


def dialogue_chain_table(d: DialogueAnalysis) -> PageTable:
    """The chain's stages with counts, shares and intervals (shares only on min_count or more)."""
    c = chain(d)
    share = [
        f"{fmt_percent(r.share)} ({fmt_percent(r.low)}–{fmt_percent(r.high)})"
        if r.shown
        else (small_numbers.TOO_FEW if r.of else MISSING)
        for r in c.itertuples()
    ]
    share[0] = MISSING
    of = ["", "av förslagen", "av de beslutade", "av dem som kunde bedömas"]
    out = pd.DataFrame(
        {
            "steg": c["stage"],
            "antal": c["count"].map(fmt_int),
            "av": [f"{fmt_int(n)} {w}" if w else "" for n, w in zip(c["of"], of, strict=True)],
            "andel (95 % osäkerhetsintervall)": share,
        }
    )
    return _shown(out, d.origin)


def dialogue_chain_by_table(d: DialogueAnalysis, by: str = "area") -> PageTable:
    """The chain per area of the dialogue or per responsible party (:func:`chain_by`)."""
    t = chain_by(d, by)
    label = {"area": "område", "responsible": "ansvarig"}[by]
    out = pd.DataFrame(
        {
            label: t[by],
            "förslag": t["proposals"].map(fmt_int),
            "beslutade": t["decided"].map(fmt_int),
            "andel beslutade": [_share_or_few(v) for v in t["decided_share"]],
            "kunde bedömas": t["judged"].map(fmt_int),
            "klara i tid": t["on_time"].map(fmt_int),
            "andel i tid": [
                _share_or_few(v) if j else MISSING
                for v, j in zip(t["on_time_share"], t["judged"], strict=True)
            ],
        }
    )
    if by == "responsible":  # only decided measures have a responsible party
        out = out.drop(columns=["förslag", "andel beslutade"])
    return _shown(out, d.origin)


def _share_or_few(share: float) -> str:
    return small_numbers.TOO_FEW if pd.isna(share) else fmt_percent(share)
