"""A section per promise: the key chart or map of the underlying analysis, its text, its data.

Each indicator builds on one analysis (its *topic*, :func:`~trygghet.reports.followup.evaluate.topic_of`).
Per promise and topic the section shows the leaf report's own narrative, key
chart or map and caption, as that report published them in this run
(:mod:`trygghet.reports.indicators.views`; nothing is drawn here), then the ingest manifest's record of the tables used: dates, rows and origin.
Every caption carries the origin of the data it describes (EXEMPELDATA when
they are examples), and every text passes the page gate
(:func:`trygghet.present.gate.html_text`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from trygghet.present.gate import html_text
from trygghet.present.swedish import MISSING, fmt_date, fmt_int
from trygghet.reports.followup.evaluate import PromiseResult, not_published
from trygghet.reports.followup.tables import CSS, display_html
from trygghet.reports.indicators import (
    TOPIC_REPORTS,
    read_views,
    records_folder,
    view_item,
)
from trygghet.sources import processed
from trygghet.stats import records

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


def show_promise_sections(context: Any, results: Sequence[PromiseResult]) -> None:
    """Per promise: heading, the key chart/map with narrative its reports published, sources.

    Nothing is drawn here: each view was made in the run of the report that owns
    it (:mod:`trygghet.reports.indicators.views`), so the chart beside a promise
    is the report's own, from the same data and code.
    """
    from IPython.display import display

    from trygghet.present import page as report
    from trygghet.reports.followup.slides import forget_key_charts, remember_key_chart

    forget_key_charts(context)
    folder = records_folder(context)
    found = records.read_folder(folder)
    published: dict[str, dict | None] = {}
    for pr in results:
        p = pr.promise
        display_html(
            f"<h3>Löfte {html_text(p.id)}: {html_text(p.title)}</h3>"
            f"<p><em>{html_text(p.text)}</em></p>"
        )
        if not pr.indicators:
            report.narrative("Löftet har inga indikatorer i kommunens konfiguration.")
        for topic in pr.topics:
            owner = TOPIC_REPORTS.get(topic)
            if owner is None:
                continue
            if owner not in published:
                published[owner] = None if owner in found.failed else read_views(folder, owner)
            views = published[owner]
            label = TOPIC_LABELS.get(topic, topic)
            if views is None:
                report.narrative(
                    f"Underlaget för {label} kan inte visas: {not_published(owner, found)}."
                )
                continue
            view = views.get(f"{p.id}/{topic}", {"missing": "rapporten visade inget för löftet"})
            if "missing" in view:
                report.narrative(f"Underlaget för {label} saknas: {view['missing']}")
                continue
            for item in map(view_item, view["items"]):
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
