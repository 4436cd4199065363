"""Triangulation per area: the same area seen by the survey, residents, police and EST.

Per configured area the table puts the police events (only those naming a
tätort), the police-recorded crimes from Hobit extracts (when the kommun has
them), the EST reports, the residents' reports and the survey's insecurity
side by side, and flags an area where the survey and the reports, or the
survey and the recorded crimes, point in opposite directions
(:func:`triangulation_table` has the rule). Residents' free text, Hobit's case
keys and place texts and every exact position are never read into any output.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from scipy import stats

from trygghet.config import KommunConfig
from trygghet.present.small_numbers import count_text, primary_mask
from trygghet.present.swedish import MISSING, fmt_percent, join_list
from trygghet.present.tables import PageTable, page_table
from trygghet.reports.followup.tables import display_html, table_html
from trygghet.reports.indicators import REPORTS, area_inputs, records_folder
from trygghet.stats import records
from trygghet.stats.areas import AREA_RADIUS_M as SHARED_AREA_RADIUS_M
from trygghet.stats.areas import nearest_area

#: A resident's report belongs to the nearest configured area within this distance.
AREA_RADIUS_M = SHARED_AREA_RADIUS_M
#: Survey insecurity counts as "hög"/"låg" when the area's share differs from the
#: kommun's by at least this many percentage points (a point-estimate rule: the
#: intervals are shown beside it).
INSECURITY_DIFF = 0.05
FLAG_TEXT = "frågan rådet bör diskutera"
#: The crime column's text when the kommun has no Hobit extract.
NO_HOBIT = "per område saknas"
HOBIT_MISSING_SENTENCE = (
    "Polisanmälda brott per område kräver utdrag ur polisens kartsystem Hobit, som inte läses in "
    "för kommunen (se docs/data/hobit.md); Brås anmälda brott finns bara för hela kommunen."
)


def assign_areas(lat: pd.Series, lon: pd.Series, config: KommunConfig) -> pd.Series:
    """The nearest configured area (within :data:`AREA_RADIUS_M`) of each position, else NaN."""
    return nearest_area(lat, lon, config, AREA_RADIUS_M)


def reported_level(observed: int, expected: float) -> str:
    """ "fler"/"färre" than the population share predicts (exact Poisson, 5 %), else "som väntat"."""
    if expected <= 0:
        return "–"
    if observed > expected and stats.poisson.sf(observed - 1, expected) < 0.025:
        return "fler"
    if observed < expected and stats.poisson.cdf(observed, expected) < 0.025:
        return "färre"
    return "som väntat"


def disagreement(insecurity: str, reports: str) -> str:
    """The flag of an area: many feel unsafe but few reports, or the reverse."""
    if insecurity == "hög" and reports == "färre":
        return f"Hög otrygghet men få anmälningar och händelser – {FLAG_TEXT}"
    if insecurity == "låg" and reports == "fler":
        return f"Låg otrygghet men många anmälningar och händelser – {FLAG_TEXT}"
    return ""


def crime_disagreement(insecurity: str, crimes: str) -> str:
    """The same flag for the police-recorded crimes (Hobit) against the survey."""
    if insecurity == "hög" and crimes == "färre":
        return f"Hög otrygghet men få polisanmälda brott – {FLAG_TEXT}"
    if insecurity == "låg" and crimes == "fler":
        return f"Låg otrygghet men många polisanmälda brott – {FLAG_TEXT}"
    return ""


def triangulation_table(
    config: KommunConfig,
    *,
    residents: dict[str, int] | None,
    police: dict[str, int] | None,
    est_reports: dict[str, int] | None,
    survey_by_area: pd.DataFrame | None,
    kommun_share: float | None,
    weight_share: dict[str, float] | None,
    crime_by_area: bool = False,
    hobit: dict[str, int] | None = None,
) -> pd.DataFrame:
    """Per configured area: police events, EST and residents' reports, survey insecurity, flag.

    ``residents``, ``police``, ``est_reports``: the period's count per area,
    as each report published it (:mod:`trygghet.reports.indicators.areas`);
    ``None`` when the source is missing.
    ``survey_by_area``: :func:`trygghet.reports.survey.breakdown` by area.
    ``weight_share``: each area's share of the survey's weights (a proxy for
    its share of the population aged 16–85); the expected number of reports
    in an area is the kommun's total times that share.

    Rule (documented in the report): insecurity "hög"/"låg" when the area's
    share is at least :data:`INSECURITY_DIFF` above/below the kommun's;
    reports + events "fler"/"färre" when the exact Poisson test of the
    observed against the expected count rejects at 5 %; the flag is raised
    when the two point in opposite directions.

    ``hobit``: police-recorded crimes of the period per area (from the crime
    report's ``hobit_crimes_per_area``; None when the kommun has no Hobit
    extract, and the column says :data:`NO_HOBIT`). They are tested against
    the same expectation on their own (not added to reports + events, which
    they partly overlap) and flagged by :func:`crime_disagreement`.
    """
    min_count = config.min_count
    names = [a.name for a in config.areas]
    counts: dict[str, dict[str, int]] = {n: {} for n in names}
    for key, per_area in (("residents", residents), ("police", police), ("est", est_reports)):
        for n, c in (per_area or {}).items():
            if n in counts:
                counts[n][key] = int(c)
    survey_rows: dict[str, pd.Series] = {}
    pooled: set[str] = set()
    if survey_by_area is not None:
        for _, row in survey_by_area.iterrows():
            survey_rows[str(row["group"])] = row
            if row.get("members"):
                pooled.update(m.strip() for m in str(row["members"]).split(","))
    total_signal = sum(c.get("residents", 0) + c.get("police", 0) for c in counts.values())
    total_crime = sum((hobit or {}).get(n, 0) for n in names)

    def count_cell(n: int | None) -> str:
        # The shared rule; no totals are shown per area or source, so no complementary cells.
        value = 0 if n is None else n
        return count_text(
            value, bool(primary_mask(pd.Series([value]), min_count).iloc[0]), min_count
        )

    rows = []
    for n in names:
        c = counts[n]

        def shown(source: dict[str, int] | None, key: str) -> str:
            # A missing source is missing, not zero.
            return MISSING if source is None else count_cell(c.get(key))  # noqa: B023

        sr = survey_rows.get(n)
        if sr is not None and not bool(sr["suppressed"]):
            share = float(sr["share"])
            survey_text = (
                f"{fmt_percent(share)} ({fmt_percent(sr['low'])}–{fmt_percent(sr['high'])})"
            )
            insecurity = "som kommunen"
            if kommun_share is not None and share >= kommun_share + INSECURITY_DIFF:
                insecurity = "hög"
            elif kommun_share is not None and share <= kommun_share - INSECURITY_DIFF:
                insecurity = "låg"
        else:
            survey_text = (
                MISSING
                if survey_by_area is None
                else "i Övriga områden"
                if n in pooled
                else "för få svar"
            )
            insecurity = "–"
        signal = c.get("residents", 0) + c.get("police", 0)
        expected = total_signal * (weight_share or {}).get(n, 0.0)
        level = reported_level(signal, expected) if expected > 0 else "–"
        crime_level = "–"
        if hobit is not None:
            crime_expected = total_crime * (weight_share or {}).get(n, 0.0)
            crime_level = (
                reported_level(hobit.get(n, 0), crime_expected) if crime_expected > 0 else "–"
            )
        flags = [disagreement(insecurity, level), crime_disagreement(insecurity, crime_level)]
        rows.append(
            {
                "område": n,
                "polisens händelser": shown(police, "police"),
                "anmälda brott": (
                    count_cell(hobit.get(n))
                    if hobit is not None
                    else (NO_HOBIT if not crime_by_area else MISSING)
                ),
                "anmälda brott mot väntat": crime_level,
                "EST-rapporter": shown(est_reports, "est"),
                "invånarnas anmälningar": shown(residents, "residents"),
                "anmälningar + händelser mot väntat": level,
                "otrygga (enkät, 95 % osäkerhetsintervall)": survey_text,
                "otrygghet mot kommunen": insecurity,
                "flagga": "; ".join(f for f in flags if f),
            }
        )
    return pd.DataFrame(rows)


def combined_origin(origins: list[str]) -> str:
    """One origin for a table built on several sources: "example" if any is, else the one."""
    if any(o in {"example", "blandat"} for o in origins):
        return "example"
    return origins[0] if len(set(origins)) == 1 else "blandat" if origins else "real"


def triangulation(context: Any) -> PageTable:
    """:func:`triangulation_table` from the records the reports published in this run.

    Nothing is counted here: each report counted its own source per area
    (:mod:`trygghet.reports.indicators.areas`). A source whose report failed
    or is out of date shows "–" and :func:`unavailable_sentence` says why. The
    table's origin is "example" when any source used is example data (then it
    says EXEMPELDATA under it).
    """
    found = records.read_folder(records_folder(context))
    inputs = area_inputs(found, [a.name for a in context.config.areas], int(context.period))
    table = triangulation_table(
        context.config,
        residents=inputs.counts.get("invanare"),
        police=inputs.counts.get("polisens-handelser"),
        est_reports=inputs.counts.get("est"),
        survey_by_area=inputs.survey_by_area,
        kommun_share=inputs.kommun_share,
        weight_share=inputs.weight_share,
        hobit=inputs.counts.get("anmalda-brott"),
        crime_by_area="crime" in inputs.unavailable,
    )
    result = page_table(table, origin=combined_origin(inputs.origins))
    result.attrs["unavailable"] = dict(inputs.unavailable)
    return result


def unavailable_sentence(unavailable: dict[str, str]) -> str:
    """Which reports' columns could not be filled in this run, and why (empty when none)."""
    if not unavailable:
        return ""
    parts = [f"{REPORTS.get(r, r)}: {reason}" for r, reason in sorted(unavailable.items())]
    return (
        "Kolumner från rapporter som inte kunde köras eller är inaktuella visas som "
        f"{MISSING} och kan inte bedömas ({'; '.join(parts)})."
    )


def _crime_note(table: pd.DataFrame) -> str:
    if "anmälda brott" in table and table["anmälda brott"].eq(NO_HOBIT).any():
        return HOBIT_MISSING_SENTENCE
    return (
        "Polisanmälda brott per område kommer ur polisens Hobit; de är brott som polisen "
        "registrerat och följer också polisens arbete (kontroller)."
    )


def triangulation_sentence(table: pd.DataFrame) -> str:
    """Which areas are flagged, in words (sentence choice pinned by tests)."""
    if table.empty:
        return "Kommunen har inga områden i konfigurationen, så ingen jämförelse per område går att göra."
    flagged = table[table["flagga"] != ""]
    if flagged.empty:
        return (
            "I inget område pekar enkäten och anmälningarna, händelserna eller de polisanmälda "
            f"brotten tydligt åt olika håll. {_crime_note(table)}"
        )
    return (
        f"I {join_list(flagged['område'].tolist())} pekar enkätens otrygghet och antalet anmälningar "
        f"och händelser eller polisanmälda brott åt olika håll – {FLAG_TEXT}. {_crime_note(table)}"
    )


def show_triangulation(context: Any) -> None:
    from trygghet.present import page as report

    table = triangulation(context)
    display_html(table_html(table, "flagga", origin=table.origin))
    sentence = triangulation_sentence(table)
    missing = unavailable_sentence(table.attrs.get("unavailable", {}))
    report.narrative(f"{sentence} {missing}".strip())
