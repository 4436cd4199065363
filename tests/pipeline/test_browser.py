"""The rendered index page and follow-up report, opened in a real headless browser.

Checks what a council member would hit first: no JavaScript errors, every
folium map has drawn its layers, every image has loaded, and text that
contains HTML or a script is shown as text and never executed. Saves a
screenshot of each page in the test's tmp folder.

Needs Debian's ``/usr/bin/chromium`` and the ``playwright`` Python package
(never ``playwright install``: the project uses the system browser). Without
either the tests skip with the reason, so a user's machine never fails here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PLANTED = '<script>window.__planted = 1;</script><img src=x onerror="window.__planted = 2">'

if not CHROMIUM.is_file():
    pytest.skip(
        "Chromium saknas (/usr/bin/chromium): apt-get install chromium", allow_module_level=True
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Python-paketet playwright saknas (pip install playwright)"
)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The follow-up report of Hällefors rendered by the runner (needs the processed tables)."""
    from trygghet import paths
    from trygghet.pipeline import runner

    if not (paths.processed_dir("1863") / "survey.parquet").is_file():
        pytest.skip("data/processed/1863 saknas: kör 'trygghet ingest --kommun 1863' först")
    root = tmp_path_factory.mktemp("outputs")
    result = runner.run("1863", 2025, outputs_root=root, only=["00_uppfoljning"], jobs=1)
    assert result.ok, [(r.name, r.cell, r.error) for r in result.failed]
    return root / "1863" / "2025"


def open_page(browser, path: Path):
    """Open ``path`` from disk; collect console errors and uncaught exceptions."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(1500)  # let Leaflet draw its layers
    return page, errors


def _no_external_errors(errors: list[str]) -> list[str]:
    # Map tiles come from the network, which tests never have: a failed tile is not a page error.
    return [e for e in errors if "net::ERR" not in e and "Failed to load resource" not in e]


def test_index_page(browser, rendered, tmp_path):
    page, errors = open_page(browser, rendered / "index.html")
    assert _no_external_errors(errors) == []
    first = page.locator("ol li a").first
    assert first.inner_text() == "Uppföljning av medborgarlöftena"
    assert "Hällefors" in page.inner_text("h1")
    page.screenshot(path=str(tmp_path / "index.png"), full_page=True)
    page.close()


def test_followup_report(browser, rendered, tmp_path):
    page, errors = open_page(browser, rendered / "00_uppfoljning.html")
    assert _no_external_errors(errors) == []
    text = page.inner_text("body")
    assert "Uppföljning av medborgarlöftena" in text
    assert "EXEMPELDATA" in text
    for word in ("uppfyllt", "kan inte bedömas"):
        assert word in text
    # Every image has loaded.
    images = page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])")
    assert images, "the report has charts"
    assert all(done and width > 0 for done, width in images), images
    # Every folium map (in its iframe or inline) has drawn paths in its Leaflet panes.
    frames = [f for f in page.frames if f != page.main_frame] + [page.main_frame]
    maps = 0
    for frame in frames:
        for m in frame.query_selector_all(".leaflet-container"):
            maps += 1
            assert m.query_selector_all(".leaflet-pane path, .leaflet-pane canvas"), (
                "map without layers"
            )
    assert maps >= 1, "the follow-up shows at least one map"
    page.screenshot(path=str(tmp_path / "uppfoljning.png"), full_page=True)
    shutil.copy(tmp_path / "uppfoljning.png", Path("/tmp/uppfoljning_browser.png"))
    page.close()


def test_planted_script_is_shown_as_text(browser, tmp_path):
    """A promise text and an area with HTML in them go through the real rendering path."""
    import nbformat
    import pandas as pd

    from trygghet.config import Area, Indicator, KommunConfig, Promise
    from trygghet.pipeline import runner
    from trygghet.reports import followup
    from trygghet.stats.status import CANT_SAY, IndicatorValue

    promise = Promise(id="1", title=f"Löfte {PLANTED}", text=f"Text {PLANTED}")
    indicator = Indicator(id="x", name=f"Indikator {PLANTED}", function="indicators.decide_status")
    config = KommunConfig(code="1863", name="Hällefors", default_period=2025, promises=[promise],
                          areas=[Area(name=f"Ort {PLANTED}", lat=59.78, lon=14.52)])  # fmt: skip
    value = IndicatorValue(value=None, text=PLANTED, detail=PLANTED)
    results = [followup.PromiseResult(promise, [followup.IndicatorResult("1", indicator, value,
                                                                       CANT_SAY, PLANTED, "other")])]  # fmt: skip
    residents = pd.DataFrame({"created_at": pd.to_datetime(["2025-05-01"]), "lat": [59.78],
                              "lon": [14.52], "description": [PLANTED]})  # fmt: skip
    table = followup.triangulation_table(
        config, 2025, residents=residents, police=None, est_reports=None,
        survey_by_area=None, kommun_share=None, weight_share=None,
    )  # fmt: skip
    markup = followup.first_page_html(results) + followup.table_html(table, "flagga")
    markup += followup.caveats_html([PLANTED])
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": markup})]
    nb.cells = [nbformat.v4.new_markdown_cell("# Test"), cell]
    path = tmp_path / "planted.html"
    path.write_text(runner.render_html(nb, "Test"), encoding="utf-8")
    page, errors = open_page(browser, path)
    assert page.evaluate("typeof window.__planted") == "undefined"
    assert "<script>window.__planted = 1;</script>" in page.inner_text("body")
    assert _no_external_errors(errors) == []
    page.screenshot(path=str(tmp_path / "planted.png"), full_page=True)
    page.close()
