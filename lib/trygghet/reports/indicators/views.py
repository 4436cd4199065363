"""The key view of each promise's analysis: drawn by the report that owns it, shown by the follow-up.

The follow-up shows, per promise and per analysis its indicators build on
(their *topic*, :func:`topic_of`), the leaf report's narrative, its key chart
or map and the caption. These views are made in the owning report's run, by
:func:`publish_views` inside :func:`trygghet.reports.indicators.publish`, from
the same data and code as the report's page, and written beside its records
(``<report>.views.json``); the follow-up reads and shows them
(:func:`read_views`) and draws nothing itself (issue 16: the follow-up reads,
it never recomputes). A report that failed leaves no views, and the follow-up
says so instead.

A view holds only what the report's own page shows: text that went through
the page gate where it is shown, chart images, and the gate's own caption and
map HTML.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from trygghet import atomic
from trygghet.config import Indicator
from trygghet.errors import TrygghetError
from trygghet.reports.indicators.crime_victims import _crime_analysis
from trygghet.reports.indicators.dialogues import _dialogue_data, _dialogues
from trygghet.reports.indicators.functions import _est_data, _shared
from trygghet.sources import processed
from trygghet.stats.records import views_file

#: The follow-up's topics, with the report that owns each one's view.
TOPIC_REPORTS: dict[str, str] = {
    "est": "est",
    "walks": "places",
    "dialogues": "places",
    "survey": "survey",
    "crime": "crime",
    "victims": "victim_contact",
}


def topic_of(function: str) -> str:
    """The analysis an indicator function builds on, from its dotted name."""
    module, _, name = function.rpartition(".")
    if module == "victim_contact" or "victim" in name:
        return "victims"
    if module == "est" or name.startswith("est_"):
        return "est"
    if module == "survey_analysis" or "survey" in name:
        return "survey"
    if module == "crime_stats" or "crime" in name:
        return "crime"
    if module == "places" or "walk" in name:
        return "walks"
    if name.startswith("dialogue_"):
        return "dialogues"
    return "other"


def topic_views(topic: str, context: Any, indicators: Sequence[Indicator]) -> list[Any]:
    """Narrative text, chart or map and caption of one underlying analysis (library calls only).

    ``indicators``: the promise's indicators of this topic (their parameters choose
    the series and questions shown).
    """
    from trygghet.present import style

    period, kommun = context.period, context.kommun
    if topic == "est":
        from trygghet.reports import est

        # The year's recurring places by the one definition the indicator uses too
        # (est.RECURRING_DEFINITION), so the chart and the number above it agree.
        data = _est_data(context)  # as the indicators read it, once
        year = est.recurring_places_in_year(data, period)
        return [
            est.recurring_sentence(year),
            est.plot_recurring_places(year, data.origin),
            est.recurring_caption(year, data.origin),
        ]
    if topic == "walks":
        from trygghet.reports import places

        a = _shared(context, "places", lambda: _places_analysis(context))  # the page's, if given
        return [
            places.overall_completion_text(a),
            places.walks_map(a, kommun, context.shared_data),
            style.caption(
                f"Iakttagelser från trygghetsvandringar efter status; försenade åtgärder den "
                f"{a.as_of_text} markerade.",
                places.origin_label(a.walks_origin, places.WALKS_SOURCE)
                + "; gränser och tätorter SCB",
                a.walks_origin,
            ),
        ]
    if topic == "survey":
        from trygghet.reports import survey as sa

        survey = sa.load(kommun)
        settings = sa.settings_from(context.config)
        current, previous = sa.pick_rounds(survey, period)
        questions = list(
            dict.fromkeys(str(i.params.get("question", sa.KEY_QUESTION)) for i in indicators)
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
            if any(i.params.get("areas") for i in indicators):
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

        cs = _crime_analysis(context)  # the analysis the crime indicators used, once
        series = [str(i.params.get("series", "narkotikabrott")) for i in indicators]
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

        d = _dialogues(context, period)  # the analysis the dialogue indicators used
        if d is None:
            return [places.dialogue_coverage_text(_dialogue_data(context))]
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


def _places_analysis(context: Any):
    """The places report's analysis, as its page makes it (when the page did not give its own)."""
    from trygghet.reports import places

    reports, walks = places.load(context.kommun)
    boundary = places.load_boundary(context.kommun, context.shared_data)
    return places.analyse(reports, walks, context.config, context.period, boundary=boundary)


# --------------------------------------------------------------------------- stored views


def _item(view: Any) -> dict[str, str]:
    """One shown item as stored: text (shown through the gate by the reader), PNG or HTML."""
    from matplotlib.figure import Figure

    from trygghet.present.style import chart_png

    if isinstance(view, str):
        return {"text": view}
    if isinstance(view, Figure):
        png = chart_png(view)  # the very image the report's page shows
        return {"png": png} if png else {"text": ""}  # an empty figure shows nothing
    html = view._repr_html_() if hasattr(view, "_repr_html_") else None  # a caption, a map
    if not isinstance(html, str):
        raise TypeError(f"kan inte spara vyn {type(view).__name__}")
    return {"html": html}


def report_views(context: Any, report: str) -> dict[str, dict[str, Any]]:
    """Per promise and topic owned by ``report``: its stored items, or the reason there are none."""
    out: dict[str, dict[str, Any]] = {}
    for promise in context.config.promises:
        by_topic: dict[str, list[Indicator]] = {}
        for ind in promise.indicators:
            topic = topic_of(ind.function)
            if TOPIC_REPORTS.get(topic) == report:
                by_topic.setdefault(topic, []).append(ind)
        for topic, indicators in by_topic.items():
            key = f"{promise.id}/{topic}"
            try:
                out[key] = {"items": [_item(v) for v in topic_views(topic, context, indicators)]}
            except (TrygghetError, ValueError, KeyError) as exc:
                out[key] = {"missing": str(exc)}
    return out


def publish_views(context: Any, report: str, records_dir: Path) -> None:
    """Write ``report``'s views for the follow-up (nothing when it owns no topic)."""
    target = views_file(records_dir, report)
    if report not in TOPIC_REPORTS.values():
        target.unlink(missing_ok=True)
        return
    views = report_views(context, report)
    atomic.write_text(target, json.dumps(views, ensure_ascii=False))


def read_views(records_dir: Path, report: str) -> dict[str, dict[str, Any]] | None:
    """The views ``report`` published in this run, or None when it published none."""
    path = views_file(records_dir, report)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def view_item(item: dict[str, str]) -> Any:
    """A stored item as the follow-up displays it: str (for the gate's narrative) or a display object."""
    from IPython.display import HTML, Image

    if "text" in item:
        return item["text"]
    if "png" in item:
        return Image(data=base64.b64decode(item["png"]), format="png")
    return HTML(item["html"])
