"""The follow-up reads the records the reports published; it never recomputes a figure."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from trygghet.config import load_config
from trygghet.present.page import ReportContext
from trygghet.reports import followup, indicators
from trygghet.stats import records
from trygghet.stats.status import CANT_SAY


@pytest.fixture(scope="module", autouse=True)
def _ingested() -> None:
    """The reports publish from 1863's processed tables: ingest them on a fresh clone."""
    from conftest import ingest_if_needed

    ingest_if_needed("1863")


def _context(folder: Path, code: str = "1863") -> ReportContext:
    return ReportContext(config=load_config(code), period=2025, title="t",
                         shared_data=Path("."), records_dir=folder)  # fmt: skip


def test_published_records_are_what_the_follow_up_shows(tmp_path, monkeypatch):
    ctx = _context(tmp_path)
    for report in ("crime", "places", "survey", "est", "victim_contact"):
        indicators.publish(ctx, report)

    # From here on, computing anything is a bug: the follow-up must only read.
    def no_computing(*args, **kwargs):
        raise AssertionError("the follow-up computed an indicator")

    monkeypatch.setattr("trygghet.reports.indicators.publication.compute", no_computing)
    results = followup.evaluate(ctx)
    found = records.read_folder(tmp_path)
    shown = {r.key: r for pr in results for r in pr.indicators}
    assert set(shown) == {f"{p.id}/{i.id}" for p in ctx.config.promises for i in p.indicators}
    for key, result in shown.items():
        record = found.get(key)
        assert (result.value.value, result.value.low, result.value.high, result.value.n) == (
            record.value, record.low, record.high, record.n)  # fmt: skip
        assert (result.status, result.reason) == (record.status, record.reason)
        assert result.definition and result.definition == record.definition
    page = followup.first_page_html(results)
    assert "Så räknas det:" in page and "Metod:" in page


def test_a_failed_or_missing_report_makes_its_indicators_cannot_say_with_why(tmp_path):
    ctx = _context(tmp_path)
    indicators.publish(ctx, "victim_contact")
    indicators.publish(ctx, "crime")
    records.mark_failed(tmp_path, "crime", "cell 4: KeyError: 'narkotikabrott'")
    by_key = {r.key: r for pr in followup.evaluate(ctx) for r in pr.indicators}
    crime = by_key["3/narkotika"]
    assert crime.status == CANT_SAY and crime.value.value is None
    assert "misslyckades" in crime.reason and "narkotikabrott" in crime.reason
    assert "har inte körts" in by_key["1/est-atgard"].reason
    assert by_key["4/kontakt-7-dagar"].status != CANT_SAY or by_key["4/kontakt-7-dagar"].value.n


def test_a_record_of_another_period_is_never_shown_as_this_ones(tmp_path):
    ctx = _context(tmp_path)
    indicators.publish(ctx, "victim_contact")
    path = records.report_file(tmp_path, "victim_contact")
    records.write(path, [replace(r, period=2024) for r in records.read(path)])
    by_key = {r.key: r for pr in followup.evaluate(ctx) for r in pr.indicators}
    assert by_key["4/kontakt-7-dagar"].status == CANT_SAY


def test_the_follow_up_publishes_one_record_per_indicator_it_could_not_read(tmp_path):
    ctx = _context(tmp_path)
    indicators.publish(ctx, "victim_contact")
    results = followup.evaluate(ctx)
    followup.publish(ctx, results)
    own = records.read(records.report_file(tmp_path, followup.FOLLOWUP))
    config_ids = {f"{p.id}/{i.id}" for p in ctx.config.promises for i in p.indicators}
    assert {r.id for r in own} == config_ids - {"4/kontakt-7-dagar"}
    assert all(r.status == CANT_SAY and r.reason for r in own)


# --------------------------------------------------------------------------- the triangulation


def _publish_all(ctx) -> None:
    for report in ("police_events", "crime", "places", "survey", "est"):
        indicators.publish(ctx, report)


def test_triangulation_reads_the_area_counts_the_reports_published(tmp_path, monkeypatch):
    from trygghet.reports import places
    from trygghet.sources import processed

    ctx = _context(tmp_path)
    residents = processed.load_table("1863", "resident_reports")
    expected = places.reports_per_area(residents, ctx.config, 2025)
    _publish_all(ctx)

    # From here on, reading a processed table is a bug: the follow-up only reads records.
    def no_tables(*args, **kwargs):
        raise AssertionError("the triangulation read a processed table")

    monkeypatch.setattr(processed, "load_table", no_tables)
    table = followup.triangulation(ctx)
    assert list(table["område"]) == [a.name for a in ctx.config.areas]
    shown = dict(zip(table["område"], table["invånarnas anmälningar"], strict=True))
    min_count = ctx.config.min_count
    for area, n in expected.items():
        assert shown[area] == ("fåtal" if 0 < n < min_count else f"{n:,}".replace(",", "\u00a0"))
    assert table.origin == "example"
    assert not table.attrs["unavailable"]
    assert table["otrygga (enkät, 95 % osäkerhetsintervall)"].ne("–").all()


def test_a_failed_report_leaves_its_triangulation_column_unassessed(tmp_path):
    ctx = _context(tmp_path)
    _publish_all(ctx)
    records.mark_failed(tmp_path, "places", "cell 3: ValueError: trasig fil")
    table = followup.triangulation(ctx)
    assert table["invånarnas anmälningar"].eq("–").all()
    assert table["EST-rapporter"].ne("–").any()
    sentence = followup.unavailable_sentence(table.attrs["unavailable"])
    assert "Platser, vandringar och dialoger (03)" in sentence and "trasig fil" in sentence


# --------------------------------------------------------------------------- the key views


def _shown(ctx, results, monkeypatch) -> list:
    """What show_promise_sections displays: narrative texts and display objects, in order."""
    from trygghet.present import page

    seen: list = []
    monkeypatch.setattr(page, "narrative", lambda text, *a, **k: seen.append(str(text)))
    monkeypatch.setattr("IPython.display.display", lambda *objs, **k: seen.extend(objs))
    monkeypatch.setattr(
        "trygghet.reports.followup.sections.display_html", lambda html: seen.append(("html", html))
    )
    followup.show_promise_sections(ctx, results)
    return seen


def test_the_follow_up_shows_the_views_its_reports_published_and_draws_nothing(
    tmp_path, monkeypatch
):
    import base64

    from IPython.display import Image

    from trygghet.present import style

    ctx = _context(tmp_path)
    indicators.publish(ctx, "victim_contact")
    published = indicators.read_views(tmp_path, "victim_contact")
    assert set(published) == {"4/victims"}
    png = published["4/victims"]["items"][1]["png"]
    assert style.TEXT_SIZE_KEY.encode() in base64.b64decode(png)  # the page's own chart image

    def no_drawing(*args, **kwargs):
        raise AssertionError("the follow-up drew a view")

    monkeypatch.setattr("trygghet.reports.indicators.views.topic_views", no_drawing)
    results = followup.evaluate(ctx)
    seen = _shown(ctx, results, monkeypatch)
    images = [o for o in seen if isinstance(o, Image)]
    assert [base64.b64encode(i.data).decode() for i in images] == [png]
    texts = [t for t in seen if isinstance(t, str)]
    assert published["4/victims"]["items"][0]["text"] in texts
    # The reports that did not run say so, per topic, instead of a chart.
    assert any("kan inte visas" in t and "har inte körts" in t for t in texts)


def test_a_failed_report_leaves_no_views_and_says_why(tmp_path, monkeypatch):
    ctx = _context(tmp_path)
    indicators.publish(ctx, "victim_contact")
    records.mark_failed(tmp_path, "victim_contact", "cell 5: KeyError: 'decided_at'")
    seen = _shown(ctx, followup.evaluate(ctx), monkeypatch)
    texts = [t for t in seen if isinstance(t, str)]
    assert any("misslyckades" in t and "decided_at" in t for t in texts)
    assert not [o for o in seen if not isinstance(o, (str, tuple))]  # no chart, no map


def test_a_page_gives_its_own_analysis_and_the_records_are_built_from_it(tmp_path, monkeypatch):
    """publish(ctx, report, analysis): the records come from the page's object, not a new one."""
    from trygghet.errors import TrygghetError
    from trygghet.reports import crime as crime_stats

    ctx = _context(tmp_path / "own")
    stats = crime_stats.analyse_kommun(ctx.kommun, ctx.period, min_count=ctx.config.min_count)
    indicators.publish(_context(tmp_path / "computed"), "crime")

    def no_second_analysis(*args, **kwargs):
        raise AssertionError("the crime analysis was computed again")

    monkeypatch.setattr(crime_stats, "analyse_kommun", no_second_analysis)
    indicators.publish(ctx, "crime", stats)
    own = records.read_folder(tmp_path / "own").records
    computed = records.read_folder(tmp_path / "computed").records
    assert own and own.keys() == computed.keys()
    assert [(r.value, r.low, r.high, r.n, r.status) for r in own.values()] == [
        (r.value, r.low, r.high, r.n, r.status) for r in computed.values()
    ]

    with pytest.raises(TrygghetError, match="inte PlacesAnalysis"):
        indicators.publish(ctx, "places", stats)  # another report's analysis
    with pytest.raises(TrygghetError, match="kommun 1863, sidan 1864"):
        indicators.publish(_context(tmp_path / "other", "1864"), "crime", stats)
    with pytest.raises(TrygghetError, match="tar ingen analys"):
        indicators.publish(ctx, "survey", stats)
