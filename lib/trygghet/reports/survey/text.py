"""The survey report in Swedish: rounds, key sentence, change narrative and who answered.

Every sentence builds on the figures of the analysis modules; the wording of
the key sentence and of each change verdict is pinned by tests.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from trygghet.present.swedish import fmt_int, fmt_number, fmt_percent, join_list, plural
from trygghet.reports.survey.analysis import (
    LEVEL,
    Settings,
    headline_estimate,
    in_round,
    is_weighted,
    pick_rounds,
    respondents,
    rounds,
)
from trygghet.reports.survey.breakdowns import OTHER_AREAS, group_label
from trygghet.reports.survey.change import (
    IMPROVED,
    NO_CHANGE,
    NOT_ASKED,
    TOO_FEW,
    WORSENED,
    alpha,
    compare_rounds,
)
from trygghet.reports.survey.questions import (
    KEY_QUESTION,
    TOTAL_INDEX_ID,
    headline_phrase,
    question,
)
from trygghet.reports.survey.sample import Composition, ResponseRate


def percent_interval(low: float, high: float) -> str:
    """``"19–28 %"``: an interval of shares in whole percent."""
    return f"{fmt_number(low * 100)}–{fmt_percent(high)}"


def percentage_points(diff: float) -> str:
    """Signed percentage points: ``"+11 procentenheter"``, ``"-1 procentenhet"``."""
    value = round(diff * 100)
    sign = "+" if value > 0 else ""
    unit = "procentenhet" if abs(value) == 1 else "procentenheter"
    return f"{sign}{fmt_number(value)} {unit}"


# --------------------------------------------------------------------------- rounds


def rounds_text(survey: pd.DataFrame, period: int) -> str:
    """Which rounds the data has and which the report shows."""
    all_rounds = rounds(survey)
    current, previous = pick_rounds(survey, period)
    if current is None:
        return (
            f"Data har omgångarna {join_list(all_rounds)}, men ingen från {period} eller tidigare."
        )
    n = respondents(survey, current).shape[0]
    weighted = is_weighted(in_round(survey, current))
    text = (
        f"Omgångar i data: {join_list(all_rounds)}. Rapporten visar omgången {current} "
        f"({plural(n, 'svarande', 'svarande')}, "
        f"{'viktade svar' if weighted else 'oviktade svar'})"
    )
    if previous is None:
        return text + " och har ingen tidigare omgång att jämföra med."
    return text + f" och jämför med {previous}."


def coverage_text(survey: pd.DataFrame, period: int) -> str:
    """Banner detail: rounds, respondents and weighting."""
    return rounds_text(survey, period)


# --------------------------------------------------------------------------- headline, change


def index_definition_text() -> str:
    """Plain Swedish statement of the index formula, saying it is the project's own."""
    return (
        "Problemindex 0–6 är projektets eget mått, inte polisens: polisens formel för sitt "
        "index är inte offentlig, så siffrorna går inte att jämföra med polisens publicerade "
        "index. Här får svarsalternativen jämnt fördelade poäng från 0 (det bästa svaret, t.ex. "
        "”inget problem alls”) till 6 (det sämsta, t.ex. ”mycket stort problem”). För frågorna "
        "om förtroende och samverkan, där mer är bättre, vänds skalan: där är 6 ”mycket litet "
        "förtroende” eller ”stämmer inte alls”. Ett högre index är alltså alltid sämre, för "
        "varje fråga. ”Vet ej” och tomma svar räknas inte. Indexet är medelvärdet av poängen "
        "(viktat). Totalt problemindex är medelvärdet av varje svarandes genomsnitt på de elva "
        "problemfrågorna, för dem som svarat på minst hälften av dem."
    )


def headline_sentence(
    survey: pd.DataFrame,
    period: int,
    kommun_name: str,
    question_id: str = KEY_QUESTION,
    settings: Settings | None = None,
) -> str:
    """The report's key sentence: the key question's headline share, interval and change."""
    settings = settings or Settings()
    current, previous = pick_rounds(survey, period)
    if current is None:
        return (
            f"Det finns ingen trygghetsundersökning för {kommun_name} från {period} eller tidigare."
        )
    part = in_round(survey, current)
    part = part[part["question_id"] == question_id]
    est = headline_estimate(part, settings.level)
    if est.n < settings.min_respondents:
        return (
            f"Trygghetsundersökningen {current} i {kommun_name} har för få svar på frågan om "
            f"{question(question_id).topic} för att ge en säker siffra."
        )
    who = "skattat för invånarna 16–85 år" if is_weighted(part) else "andel av dem som svarade"
    text = (
        f"Enligt trygghetsundersökningen {current} i {kommun_name} är andelen som "
        f"{headline_phrase(question_id)} {fmt_percent(est.share)} "
        f"(osäkerhetsintervall {percent_interval(est.low, est.high)}; {who})."
    )
    if previous is None:
        return text
    change = compare_rounds(survey, current, previous, settings)
    row = change[change["question_id"] == question_id].iloc[0]
    if row["verdict"] in (TOO_FEW, NOT_ASKED):
        return text + f" Förändringen sedan {previous} går inte att bedöma."
    word = {
        IMPROVED: "en säker förbättring",
        WORSENED: "en säker försämring",
        NO_CHANGE: "ingen säker förändring",
    }[str(row["verdict"])]
    return text + f" År {previous} var andelen {fmt_percent(row['share_prev'])}: {word}."


def change_sentence(row: Mapping[str, object], current: int, previous: int) -> str:
    """One question's change in words; the sentence for each verdict is pinned by tests."""
    qid = str(row["question_id"])
    v = row["verdict"]
    if v == NOT_ASKED:
        return f"Frågan om {question(qid).topic} ställdes inte både {previous} och {current}."
    phrase = headline_phrase(qid)
    if v == TOO_FEW:
        return (
            f"Om andelen som {phrase} går det inte att säga något: för få svar i någon "
            "av omgångarna."
        )
    prev, cur, diff = float(row["share_prev"]), float(row["share_cur"]), float(row["diff"])
    if v == NO_CHANGE:
        return (
            f"Andelen som {phrase} var {fmt_percent(cur)} {current} och {fmt_percent(prev)} "
            f"{previous}; skillnaden är så liten att den kan bero på slumpen."
        )
    moved = "ökat" if diff > 0 else "minskat"
    kind = "en förbättring" if v == IMPROVED else "en försämring"
    return (
        f"Andelen som {phrase} har {moved} från {fmt_percent(prev)} ({previous}) till "
        f"{fmt_percent(cur)} ({current}), {percentage_points(diff)} – {kind} som är statistiskt säker."
    )


def change_narrative(
    changes: pd.DataFrame | None, current: int | None, previous: int | None, level: float = LEVEL
) -> str:
    """What improved, what worsened and what cannot be said, as Swedish paragraphs."""
    if current is None:
        return "Det finns ingen omgång av trygghetsundersökningen att redovisa."
    if previous is None or changes is None or changes.empty:
        return (
            f"Det finns ingen tidigare omgång att jämföra {current} med, så inget kan sägas om "
            "förändring."
        )
    items = changes[changes["question_id"] != TOTAL_INDEX_ID]
    better = items[items["verdict"] == IMPROVED]
    worse = items[items["verdict"] == WORSENED]
    same = items[items["verdict"] == NO_CHANGE]
    unknown = items[items["verdict"].isin([TOO_FEW, NOT_ASKED])]

    def names(frame: pd.DataFrame) -> str:
        return join_list(str(x).lower() for x in frame["label"])

    paragraphs = []
    if len(better):
        paragraphs.append(f"Förbättrat sedan {previous}: {names(better)}.")
    else:
        paragraphs.append(f"Ingen fråga visar en statistiskt säker förbättring sedan {previous}.")
    if len(worse):
        paragraphs.append(f"Försämrat sedan {previous}: {names(worse)}.")
    else:
        paragraphs.append(f"Ingen fråga visar en statistiskt säker försämring sedan {previous}.")
    details = [
        change_sentence(r, current, previous) for _, r in pd.concat([worse, better]).iterrows()
    ]
    if details:
        paragraphs.append(" ".join(details))
    if len(same):
        paragraphs.append(
            f"Inget säkert kan sägas om {plural(len(same), 'fråga', 'frågor')} "
            f"({names(same)}): skillnaden mot {previous} är så liten att den kan bero på "
            "slumpen i urvalet."
        )
    if len(unknown):
        paragraphs.append(
            f"Om {names(unknown)} går det inte att säga något om förändringen: för få svar, "
            "eller frågan ställdes inte båda omgångarna."
        )
    n_sig = int(len(better) + len(worse))
    if n_sig:
        tested = int(items["p_value"].notna().sum())
        sure = pd.concat([better, worse])
        robust = int((pd.to_numeric(sure["q_value"], errors="coerce") < alpha(level)).sum())
        paragraphs.append(
            f"Med {fmt_int(tested)} frågor prövade kan någon enstaka skillnad se säker ut av en "
            f"slump; {fmt_int(robust)} av {fmt_int(n_sig)} säkra förändringar står sig också när "
            "hänsyn tas till de många testerna (Benjamini–Hochberg)."
        )
    return "\n\n".join(paragraphs)


# --------------------------------------------------------------------------- who answered


def response_rate_sentence(rate: ResponseRate, round_: int) -> str:
    """Response rate in words, or plainly that it is unknown."""
    if rate.rate is None:
        return (
            f"Omgången {round_} har {plural(rate.respondents, 'svarande', 'svarande')}. Hur många "
            "som fick enkäten framgår inte av data, så svarsfrekvensen kan inte anges."
        )
    low_rate = (
        " Med så låg svarsfrekvens kan de som svarat skilja sig från dem som inte svarat."
        if rate.rate < 0.5
        else ""
    )
    return (
        f"Omgången {round_} har {plural(rate.respondents, 'svarande', 'svarande')} av "
        f"{fmt_int(rate.sent_out)} som fick enkäten: svarsfrekvensen är "
        f"{fmt_percent(rate.rate)}.{low_rate}"
    )


def composition_sentence(comp: Composition) -> str:
    """Whether the sample looks like the population, with a warning when it is skewed."""
    if comp.table.empty:
        return "Det går inte att jämföra de svarandes ålder och kön med befolkningen."
    base = f"Jämförelsen görs mot {comp.structure_label}."
    if comp.structure_note:
        base = f"{base} {comp.structure_note}"
    if not comp.skewed:
        return f"De svarande liknar befolkningen i ålder och kön. {base}"
    if comp.skewed_groups:
        off = comp.table[comp.table["skewed"]]
        parts = [_skew_part(r) for _, r in off.iterrows()]
        text = (
            "Varning: de svarande är snedfördelade jämfört med befolkningen – "
            f"{join_list(parts)} skiljer sig med mer än "
            f"{fmt_number(comp.threshold * 100)} procentenheter."
        )
    else:
        text = (
            "Varning: de svarandes fördelning på ålder eller kön skiljer sig statistiskt säkert "
            "från befolkningens, om än med mindre än "
            f"{fmt_number(comp.threshold * 100)} procentenheter per grupp."
        )
    fix = (
        " Svaren är viktade för att rätta till det, men vikterna kan bara rätta det som de "
        "bygger på, och de gör osäkerhetsintervallen större."
        if comp.weighted
        else " Svaren är inte viktade: andelarna gäller de svarande, inte befolkningen."
    )
    return f"{text}{fix} {base}"


def _skew_part(row: pd.Series) -> str:
    """A skewed group in words; a group whose count is hidden gets no share of the respondents."""
    name = group_label(str(row["dimension"]), str(row["group"])).lower()
    population = fmt_percent(row["population_share"])
    if bool(row.get("hidden", False)):
        more = "större" if row["difference"] > 0 else "mindre"
        return f"{name} (en {more} andel av de svarande än {population} i befolkningen)"
    return (
        f"{name} ({fmt_percent(row['sample_share'])} av de svarande mot {population} "
        "i befolkningen)"
    )


# --------------------------------------------------------------------------- breakdowns


def breakdown_sentence(table: pd.DataFrame, by: str, settings: Settings | None = None) -> str:
    """Which groups are shown and which are too small, in words."""
    settings = settings or Settings()
    if table.empty:
        return "Inga svar att dela upp."
    hidden = table[table["suppressed"]]
    pooled = table[table["members"].astype(str) != ""]
    parts = []
    if len(pooled):
        names = pooled["members"].iloc[0].split(", ")
        if len(names) == 1:
            parts.append(
                f"{names[0]} har färre än {settings.min_respondents} svar och redovisas som "
                f"”{OTHER_AREAS}”."
            )
        else:
            parts.append(
                f"{join_list(names)} har var för sig färre än {settings.min_respondents} svar "
                f"och är sammanslagna till ”{OTHER_AREAS}”."
            )
    if len(hidden):
        groups = join_list(group_label(by, g) for g in hidden["group"])
        parts.append(
            f"{groups}: för få svar (färre än {settings.min_respondents}) för att visa någon siffra."
        )
    if not parts:
        return f"Alla grupper har minst {settings.min_respondents} svar och visas."
    return " ".join(parts)
