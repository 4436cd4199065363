"""A section per promise: the key chart or map of the underlying analysis, its text, its data.

Each indicator builds on one analysis (its *topic*, :func:`~trygghet.reports.followup.evaluate.topic_of`).
Per promise and topic the section shows the leaf report's own narrative, key
chart or map and caption (library calls only, through each report's package),
then the ingest manifest's record of the tables used: dates, rows and origin.
Every caption carries the origin of the data it describes (EXEMPELDATA when
they are examples), and every text passes the page gate
(:func:`trygghet.present.gate.html_text`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from trygghet.errors import TrygghetError
from trygghet.present.gate import html_text
from trygghet.present.swedish import MISSING, fmt_date, fmt_int
from trygghet.reports.followup.evaluate import PromiseResult
from trygghet.reports.followup.tables import CSS, display_html
from trygghet.sources import processed

#: What each indicator function builds on: topic -> processed tables and a label.
TOPIC_TABLES: dict[str, tuple[str, ...]] = {
    "est": ("est_reports", "est_measures"),
    "walks": ("safety_walks",),
    "survey": ("survey",),
    "crime": ("bra_crime", "kolada_groups"),
    "victims": ("victim_contacts",),
    "dialogues": ("dialogues", "dialogue_proposals"),
}
TOPIC_LABELS: dict[str, str] = {
    "est": "EST-partnernas rapporter och beslutade åtgärder",
    "walks": "Protokoll från trygghetsvandringar",
    "survey": "Trygghetsundersökningen",
    "crime": "Brå:s statistik över anmälda brott och Koladas kommungrupper",
    "victims": "Polisens tidsstämplar för kontakt med brottsutsatta",
    "dialogues": "Kommunens register över medborgardialoger och deras förslag",
}
TABLE_LABELS: dict[str, str] = {
    "est_reports": "EST-rapporter",
    "est_measures": "EST-åtgärder",
    "safety_walks": "trygghetsvandringar",
    "survey": "trygghetsundersökningen",
    "bra_crime": "Brå, anmälda brott",
    "kolada_groups": "Kolada, kommungrupper",
    "victim_contacts": "kontakter med brottsutsatta",
    "resident_reports": "invånarnas anmälningar",
    "dialogues": "medborgardialoger",
    "dialogue_proposals": "förslag från dialogerna",
}
ORIGIN_WORDS = {"real": "verkliga data", "fetched": "hämtade data", "example": "EXEMPELDATA"}


def source_rows(kommun: str, topics: Sequence[str]) -> list[dict[str, str]]:
    """The ingest manifest's record of every table the topics use: dates, rows, origin."""
    rows = []
    for topic in topics:
        for table in TOPIC_TABLES.get(topic, ()):
            rec = processed.table_record(kommun, table)
            if not rec:
                rows.append({"tabell": TABLE_LABELS.get(table, table), "ursprung": "saknas",
                             "inläst": MISSING, "rader": MISSING, "filer": MISSING})  # fmt: skip
                continue
            files = [Path(str(i.get("path", ""))).name for i in rec.get("inputs", [])]
            rows.append(
                {
                    "tabell": TABLE_LABELS.get(table, table),
                    "ursprung": ORIGIN_WORDS.get(str(rec.get("origin")), str(rec.get("origin"))),
                    "inläst": fmt_date(str(rec["written_at"]))
                    if rec.get("written_at")
                    else MISSING,
                    "rader": fmt_int(rec.get("rows")),
                    "filer": (
                        ", ".join(files[:2])
                        + (f" och {len(files) - 2} till" if len(files) > 2 else "")
                    )
                    or MISSING,
                }
            )
    return rows


def sources_html(kommun: str, topics: Sequence[str]) -> str:
    rows = source_rows(kommun, topics)
    if not rows:
        return ""
    head = "".join(f"<th>{html_text(k)}</th>" for k in rows[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{html_text(v)}</td>" for v in r.values()) + "</tr>" for r in rows
    )
    return (
        f'{CSS}<p><strong>Underlag</strong></p><table class="fu-table"><thead><tr>{head}</tr>'
        f"</thead><tbody>{body}</tbody></table>"
    )


def _topic_views(topic: str, context: Any, result: PromiseResult) -> list[Any]:
    """Narrative text, chart or map and caption of one underlying analysis (library calls only)."""
    from trygghet.present import style

    period, kommun = context.period, context.kommun
    if topic == "est":
        from trygghet.reports import est

        # The year's recurring places by the one definition the indicator uses too
        # (est.RECURRING_DEFINITION), so the chart and the number above it agree.
        data = est.load(context)
        year = est.recurring_places_in_year(data, period)
        return [
            est.recurring_sentence(year),
            est.plot_recurring_places(year, data.origin),
            est.recurring_caption(year, data.origin),
        ]
    if topic == "walks":
        from trygghet.reports import places

        reports, walks = places.load(kommun)
        a = places.analyse(reports, walks, context.config, period,
                           boundary=places.load_boundary(kommun, context.shared_data))  # fmt: skip
        return [
            places.overall_completion_text(a),
            places.walks_map(a, kommun, context.shared_data),
            style.caption(
                f"Iakttagelser från trygghetsvandringar efter status; försenade åtgärder den "
                f"{a.as_of_text} markerade.",
                places.source_label(walks, places.WALKS_SOURCE) + "; gränser och tätorter SCB",
                processed.origin(walks),
            ),
        ]
    if topic == "survey":
        from trygghet.reports import survey as sa

        survey = sa.load(kommun)
        settings = sa.settings_from(context.config)
        current, previous = sa.pick_rounds(survey, period)
        questions = list(
            dict.fromkeys(
                str(r.indicator.params.get("question", sa.KEY_QUESTION))
                for r in result.indicators
                if r.topic == "survey"
            )
        )
        if current is not None and previous is not None:
            changes = sa.compare_rounds(survey, current, previous, settings).set_index(
                "question_id"
            )
            text = " ".join(
                sa.change_sentence(changes.loc[q].to_dict() | {"question_id": q}, current, previous)
                for q in questions
                if q in changes.index
            )
            if any(r.indicator.params.get("areas") for r in result.indicators):
                text += " Meningen och diagrammet gäller hela kommunen, indikatorn bara de valda områdena."
        else:
            text = sa.rounds_text(survey, period)
        return [
            text,
            sa.plot_headline_by_round(survey, questions, settings, period),
            style.caption(
                "Andelen per enkätomgång med 95 % osäkerhetsintervall; den senaste omgången markerad.",
                sa.SOURCE_TEXT,
                processed.origin(survey),
            ),
        ]
    if topic == "crime":
        from trygghet.reports import crime as crime_stats

        cs = crime_stats.analyse_kommun(kommun, period, min_count=context.config.min_count)
        series = [str(r.indicator.params.get("series", "narkotikabrott")) for r in result.indicators
                  if r.topic == "crime"]  # fmt: skip
        series = [s for s in dict.fromkeys(series) if s in cs.labels]
        return [
            "\n\n".join(crime_stats.category_paragraph(cs, s) for s in series),
            crime_stats.plot_rates(cs, series),
            style.caption(
                "Anmälda brott per 100 000 invånare och år med 95 % osäkerhetsintervall.",
                crime_stats.chart_source(cs),
                cs.origin,
            ),
        ]
    if topic == "dialogues":
        from trygghet.reports import places

        data = places.load_dialogues(kommun)
        if not data.available:
            return [places.dialogue_coverage_text(data)]
        d = places.analyse_dialogues(data, context.config, period)
        return [
            places.dialogue_text(d),
            places.plot_dialogue_chain(d),
            style.caption(
                "Förslag från årets medborgardialoger: beslutade, åtgärdade och klara i tid, "
                "med 95 % osäkerhetsintervall för andelarna.",
                "Kommunens register över medborgardialoger",
                d.origin,
            ),
        ]
    if topic == "victims":
        from trygghet.reports import victim_contact as vc

        cases = vc.load(kommun)
        target = vc.target_from(context.config)
        return [
            vc.headline(cases, period, context.kommun_name, target),
            vc.plot_p_chart(cases, period, target),
            style.caption(
                "Andel brottsutsatta kontaktade i tid per månad, med styrdiagrammets gränser och målet.",
                vc.SOURCE_TEXT,
                processed.origin(cases),
            ),
        ]
    return []


def show_promise_sections(context: Any, results: Sequence[PromiseResult]) -> None:
    """Per promise: heading, the indicators' details, key chart/map with narrative, sources."""
    from IPython.display import display

    from trygghet.present import page as report
    from trygghet.reports.followup.slides import forget_key_charts, remember_key_chart

    forget_key_charts(context)
    for pr in results:
        p = pr.promise
        display_html(
            f"<h3>Löfte {html_text(p.id)}: {html_text(p.title)}</h3>"
            f"<p><em>{html_text(p.text)}</em></p>"
        )
        if not pr.indicators:
            report.narrative("Löftet har inga indikatorer i kommunens konfiguration.")
        for topic in pr.topics:
            try:
                views = _topic_views(topic, context, pr)
            except (TrygghetError, ValueError, KeyError) as exc:
                report.narrative(f"Underlaget för {TOPIC_LABELS.get(topic, topic)} saknas: {exc}")
                continue
            for item in views:
                if isinstance(item, str):
                    if item.strip():
                        report.narrative(item)
                else:
                    remember_key_chart(context, p.id, item)  # the promise's slide shows it
                    display(item)
        display_html(sources_html(context.kommun, pr.topics))


#: Sources a topic uses besides its own tables, with how their origin is found
#: (the crime rates divide by SCB's population, which is real open data even
#: when Brå's counts are examples).
TOPIC_EXTRA_SOURCES: dict[str, tuple[tuple[str, str], ...]] = {
    "crime": (("SCB, folkmängd per kommun (nämnare i takterna)", "population"),),
}


def _extra_origin(kind: str) -> str:
    if kind == "population":
        from trygghet.reports import crime as crime_stats

        return crime_stats.population_origin()
    return "saknas"


def topic_origin(results: Sequence[PromiseResult], topic: str) -> str:
    """The origin of a topic's indicators: "example" if any is, else the one (or "blandat")."""
    origins = {r.value.origin for pr in results for r in pr.indicators if r.topic == topic}
    if origins & {"example", "blandat"}:
        return "example"
    known = origins - {"saknas"}  # an indicator that could not be computed has no data
    return sorted(known)[0] if len(known) == 1 else "blandat" if known else "saknas"


def data_banners(context: Any, results: Sequence[PromiseResult]) -> None:
    """One banner per underlying source, from its own origin (EXEMPELDATA stands out).

    A topic's own tables take the origin of its indicators; a source it only
    borrows (SCB's population for the crime rates) gets a banner of its own
    with its own origin, so real data are never called examples.
    """
    from trygghet.present import page as report

    topics = list(dict.fromkeys(r.topic for pr in results for r in pr.indicators))
    for topic in topics:
        report.banner(TOPIC_LABELS.get(topic, topic), topic_origin(results, topic))
        for label, kind in TOPIC_EXTRA_SOURCES.get(topic, ()):
            report.banner(label, _extra_origin(kind))
