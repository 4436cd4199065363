"""Every rendered report page, opened in a real headless browser with no network.

Checks what a council member would hit first: no JavaScript errors, every
folium map has drawn its layers, every image has loaded, and text that
contains HTML or a script is shown as text and never executed. A report must
also open on a machine without network and tell nobody that it was opened:
every request the browser makes outside the machine (anything but ``file:``,
``data:`` and ``blob:``) is blocked and counted, and a page must make none.
Saves a screenshot of each page in the test's tmp folder.

Needs Debian's ``/usr/bin/chromium`` and the ``playwright`` Python package
(never ``playwright install``: the project uses the system browser). Without
either the tests skip with the reason, so a user's machine never fails here.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import SUITE_KOMMUNER

from trygghet import paths
from trygghet.pipeline import runner

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
ON_THIS_MACHINE = ("file:", "data:", "blob:", "about:")
KOMMUN, PERIOD = "1863", 2025
NATIONAL = f"{runner.NATIONAL_DIR_NAME}/{runner.batch_folder(SUITE_KOMMUNER)[0]}"
KOMMUN_PAGES = [
    f"{code}/{PERIOD}/{nb.stem}.html"
    for code in SUITE_KOMMUNER
    for nb in runner.discover_notebooks()
]
NATIONAL_PAGES = [
    f"{NATIONAL}/{PERIOD}/{nb.stem}.html"
    for nb in runner.discover_notebooks(paths.NOTEBOOKS_DIR / runner.NATIONAL_DIR_NAME)
]
INDEX_PAGES = [
    "index.html",
    *(f"{code}/{PERIOD}/index.html" for code in SUITE_KOMMUNER),
    f"{NATIONAL}/{PERIOD}/index.html",
]
#: The follow-up's meeting slides, one file per kommun (they must open offline too).
SLIDE_PAGES = [f"{code}/{PERIOD}/00_uppfoljning{runner.SLIDES_SUFFIX}" for code in SUITE_KOMMUNER]
#: The glossary each run folder holds (every report links it).
GLOSSARY_PAGES = [f"{code}/{PERIOD}/ordlista.html" for code in SUITE_KOMMUNER] + [
    f"{NATIONAL}/{PERIOD}/ordlista.html"
]
ALL_PAGES = KOMMUN_PAGES + SLIDE_PAGES + NATIONAL_PAGES + INDEX_PAGES + GLOSSARY_PAGES
MAP_PAGES = {
    "00_uppfoljning",
    "02_brottsstatistik",
    "03_platser",
    "01_riksoversikt",
}  # each shows at least one map

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
def suite(full_suite) -> Path:
    """The whole suite of Hällefors (and two more kommuner) and the national overview."""
    return full_suite


@dataclass
class Opened:
    """A page opened from disk, with what went wrong while it loaded."""

    page: object
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions
    outside: list[str] = field(default_factory=list)  # blocked requests off this machine


@contextmanager
def open_page(browser, path: Path) -> Iterator[Opened]:
    """Open ``path`` with the network cut off: requests off the machine are aborted and kept."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    opened = Opened(page)

    def route(request_route) -> None:
        url = request_route.request.url
        if url.startswith(ON_THIS_MACHINE):
            request_route.continue_()
        else:
            opened.outside.append(url)
            request_route.abort()

    context.route("**/*", route)
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    try:
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_timeout(1500)  # let Leaflet draw its layers (and ask for tiles, if it would)
        yield opened
    finally:
        context.close()


def count_maps(page) -> int:
    """The folium maps (in their iframes or inline); each must have drawn paths or a canvas."""
    frames = [f for f in page.frames if f != page.main_frame] + [page.main_frame]
    maps = 0
    for frame in frames:
        for m in frame.query_selector_all(".leaflet-container"):
            maps += 1
            assert m.query_selector_all(".leaflet-pane path, .leaflet-pane canvas"), (
                "map without layers"
            )
    return maps


def test_every_page_is_checked(suite):
    """No page of the run escapes the offline test below."""
    pages = {
        p.relative_to(suite).as_posix()
        for p in suite.rglob("*.html")
        if runner.FAILED_DIR_NAME not in p.parts
    }
    assert pages == set(ALL_PAGES)


@pytest.mark.parametrize("name", ALL_PAGES)
def test_page_works_offline(browser, suite, tmp_path, name):
    with open_page(browser, suite / name) as opened:
        assert opened.outside == [], f"{name} asks the net for {opened.outside}"
        assert opened.errors == []
        page = opened.page
        images = page.eval_on_selector_all("img", "es => es.map(e => [e.complete, e.naturalWidth])")
        assert all(done and width > 0 for done, width in images), images
        maps = count_maps(page)
        if Path(name).stem in MAP_PAGES:
            assert maps >= 1, f"{name} shows no map"
        page.screenshot(path=str(tmp_path / f"{name.replace('/', '_')}.png"), full_page=True)


def test_blocked_requests_are_counted(browser, tmp_path):
    """The guard above sees what it guards against: a CDN script, stylesheet, image and tile."""
    path = tmp_path / "fetches.html"
    path.write_text(
        '<html><head><script src="https://cdnjs.cloudflare.com/x.js"></script>'
        '<link rel="stylesheet" href="http://example.org/x.css"></head>'
        '<body><img src="https://tile.openstreetmap.org/1/0/0.png">'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></body></html>',
        encoding="utf-8",
    )
    with open_page(browser, path) as opened:
        assert len(opened.outside) == 3, opened.outside
        assert opened.errors, "a blocked request shows as a console error"


def test_report_html_names_nothing_to_fetch():
    """The page template itself: no CDN script, stylesheet or module import."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Test")]
    html = runner.render_html(nb, "Test")
    for fetch in ('src="http', "src='http", 'href="http', 'import("http', "require.js"):
        assert fetch not in html, fetch
    assert runner.report_css().strip() in html


def test_index_page(browser, suite, tmp_path):
    with open_page(browser, suite / KOMMUN / str(PERIOD) / "index.html") as opened:
        assert opened.errors == [] and opened.outside == []
        page = opened.page
        first = page.locator("ol li a").first
        assert first.inner_text() == "Uppföljning av medborgarlöftena"
        assert "Hällefors" in page.inner_text("h1")
        page.screenshot(path=str(tmp_path / "index.png"), full_page=True)


def test_followup_report(browser, suite, tmp_path):
    with open_page(browser, suite / KOMMUN / str(PERIOD) / "00_uppfoljning.html") as opened:
        assert opened.errors == [] and opened.outside == []
        page = opened.page
        text = page.inner_text("body")
        assert "Uppföljning av medborgarlöftena" in text
        assert "EXEMPELDATA" in text
        for word in ("uppfyllt", "kan inte bedömas"):
            assert word in text
        images = page.eval_on_selector_all("img", "es => es.map(e => [e.complete, e.naturalWidth])")
        assert images, "the report has charts"
        assert all(done and width > 0 for done, width in images), images
        assert count_maps(page) >= 1, "the follow-up shows at least one map"
        page.screenshot(path=str(tmp_path / "uppfoljning.png"), full_page=True)
        shutil.copy(tmp_path / "uppfoljning.png", Path("/tmp/uppfoljning_browser.png"))


def test_planted_script_is_shown_as_text(browser, tmp_path):
    """A promise text and an area with HTML in them go through the real rendering path."""
    import nbformat

    from trygghet.config import Area, Indicator, KommunConfig, Promise
    from trygghet.reports import followup
    from trygghet.stats.status import CANT_SAY, IndicatorValue

    promise = Promise(id="1", title=f"Löfte {PLANTED}", text=f"Text {PLANTED}")
    indicator = Indicator(id="x", name=f"Indikator {PLANTED}", function="indicators.decide_status")
    config = KommunConfig(code="1863", name="Hällefors", default_period=2025, promises=[promise],
                          areas=[Area(name=f"Ort {PLANTED}", lat=59.78, lon=14.52)])  # fmt: skip
    value = IndicatorValue(value=None, text=PLANTED, detail=PLANTED)
    results = [followup.PromiseResult(promise, [followup.IndicatorResult("1", indicator, value,
                                                                       CANT_SAY, PLANTED, "other")])]  # fmt: skip
    table = followup.triangulation_table(
        config, residents={f"Ort {PLANTED}": 1}, police=None, est_reports=None,
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
    with open_page(browser, path) as opened:
        page = opened.page
        assert page.evaluate("typeof window.__planted") == "undefined"
        assert "<script>window.__planted = 1;</script>" in page.inner_text("body")
        assert opened.errors == [] and opened.outside == []
        page.screenshot(path=str(tmp_path / "planted.png"), full_page=True)
