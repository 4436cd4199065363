"""Readable on a projector and on paper: the suite's report pages, measured in Chromium.

Projector (a 1280 px wide window): the computed font size of every visible
text is at least 18 px for running text, 16 px in tables and for captions and
notes; text in a chart image is at least 14 px as shown (the smallest text the
image was drawn with, written into the PNG by ``trygghet.present.style``, times
the page's scaling of the image); text in a map at least 14 px; text has WCAG
AA contrast against its background (4.5:1, 3:1 for large text).

Paper (00 and 03 of each kommun, printed with Chromium's own PDF printer): the
pages are A4; laid out for print, nothing is wider than the printable width,
nothing scrolls, no text runs out of a table cell, printed text is at least
7 pt, a long case table is cut with a note pointing to the web page; a map's
layer and zoom controls and any other overlay do not cover it.

Each checker is also run on a planted page with the fault it looks for, so a
check that could not fail would show here. Needs /usr/bin/chromium and the
playwright package, like ``test_browser.py`` (whose launch and offline guard
are reused); the suite is the session's ``full_suite`` run.
"""

from __future__ import annotations

import base64
import re
import struct
from pathlib import Path

import pytest
from conftest import SUITE_KOMMUNER
from test_browser import ARGS, CHROMIUM, open_page, sync_api  # skips without Chromium

from trygghet.pipeline import runner
from trygghet.present import style

PERIOD = 2025
KOMMUN_PAGES = [
    f"{code}/{PERIOD}/{nb.stem}.html"
    for code in SUITE_KOMMUNER
    for nb in runner.discover_notebooks()
]
PRINTED = ("00_uppfoljning", "03_platser")
PRINT_PAGES = [f"{code}/{PERIOD}/{stem}.html" for code in SUITE_KOMMUNER for stem in PRINTED]

BODY_PX = 18.0  # running text
TABLE_PX = 16.0  # table cells, captions, notes
CHART_PX = style.MIN_TEXT_PX  # text in chart images and maps, as shown
PRINT_MIN_PT = 7.0
A4_PT = (595.28, 841.89)
#: @page's left and right margins in report.css are 15 mm: 180 mm of A4's 210 mm.
PRINTABLE_PX = 180 / 25.4 * 96
LONG_TABLE_ROWS = 30  # a printed table with more visible rows is a case list on paper

# Every visible element that has text of its own: its kind, size, colours and where it is.
TEXTS_JS = r"""
() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  const secondary = '.trygghet-caption, figcaption, caption, [class*="note"], [class*="detail"], .fu-reason';
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el || seen.has(el) || el.closest('style, script, noscript, title')) continue;
    seen.add(el);
    const cs = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || cs.visibility === 'hidden' || cs.display === 'none'
        || parseFloat(cs.opacity) === 0) continue;
    const kind = el.closest('td, th') ? 'table' : el.closest(secondary) ? 'secondary' : 'body';
    // the colour it is drawn on: the first ancestor with a background, composited on white
    let bg = null;
    for (let e = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) continue;
      const p = m[1].split(',').map(Number);
      const a = p.length > 3 ? p[3] : 1;
      if (a === 0) continue;
      bg = [p[0] * a + 255 * (1 - a), p[1] * a + 255 * (1 - a), p[2] * a + 255 * (1 - a)];
      break;
    }
    out.push({kind, px: parseFloat(cs.fontSize), weight: parseInt(cs.fontWeight, 10) || 400,
              color: cs.color, bg: bg || [255, 255, 255], tag: el.tagName,
              cls: String(el.className || '').slice(0, 40), text: node.textContent.trim().slice(0, 60),
              right: box.right});
  }
  return out;
}
"""

# Laid out for print: what sticks out of the printable width, scrolls, or runs out of a cell.
PRINT_LAYOUT_JS = r"""
(width) => {
  const wide = [], scrolls = [], cells = [];
  for (const e of document.body.querySelectorAll('*')) {
    const box = e.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const cs = getComputedStyle(e);
    if (cs.visibility === 'hidden') continue;
    const name = e.tagName + (e.className ? '.' + String(e.className).split(' ')[0] : '');
    if (box.right > width + 1 || box.left < -1) wide.push([name, Math.round(box.left), Math.round(box.right)]);
    if (['auto', 'scroll'].includes(cs.overflowX) && e.scrollWidth > e.clientWidth + 1)
      scrolls.push([name, e.scrollWidth, e.clientWidth]);
    if ((e.tagName === 'TD' || e.tagName === 'TH') && e.scrollWidth > e.clientWidth + 1)
      cells.push([name, e.textContent.trim().slice(0, 40), e.scrollWidth, e.clientWidth]);
  }
  const tables = [...document.querySelectorAll('table')]
    .filter(t => t.getBoundingClientRect().height > 0)
    .map(t => [...t.querySelectorAll('tbody tr')].filter(r => r.getBoundingClientRect().height > 0).length);
  const cut = [...document.querySelectorAll('details')].map(d => {
    const hidden = getComputedStyle(d).display === 'none';
    const box = d.closest('.trygghet-table') || d.parentElement;
    const note = [...box.querySelectorAll('*')].some(n => n.getBoundingClientRect().height > 0
      && getComputedStyle(n).display !== 'none' && /webbversionen/.test(n.textContent)
      && !n.closest('details'));
    return [hidden, note];
  });
  return {scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 12),
          nWide: wide.length, scrolls, cells: cells.slice(0, 12), tables, cut};
}
"""

# In one map frame: the map's box, and every visible Leaflet control with its box.
MAP_CONTROLS_JS = r"""
() => [...document.querySelectorAll('.leaflet-container')].map(map => {
  const m = map.getBoundingClientRect();
  const controls = [...map.querySelectorAll('.leaflet-control')].filter(c => {
    const cs = getComputedStyle(c), b = c.getBoundingClientRect();
    return cs.display !== 'none' && cs.visibility !== 'hidden' && b.width > 0 && b.height > 0;
  }).map(c => {
    const b = c.getBoundingClientRect();
    const overlap = Math.max(0, Math.min(b.right, m.right) - Math.max(b.left, m.left))
                  * Math.max(0, Math.min(b.bottom, m.bottom) - Math.max(b.top, m.top));
    return [String(c.className).split(' ').filter(k => k.startsWith('leaflet-control-') || k.startsWith('trygghet')).join(' ') || 'leaflet-control',
            Math.round(overlap)];
  });
  return {print: matchMedia('print').matches, area: Math.round(m.width * m.height), controls};
})
"""


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


# ---------------------------------------------------------------- measuring


def _rgb(css: str) -> tuple[float, float, float]:
    parts = [float(x) for x in re.findall(r"[\d.]+", css)[:3]]
    return parts[0], parts[1], parts[2]


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: tuple[float, ...], bg: tuple[float, ...]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours (0–255)."""
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _composite(css: str, bg: tuple[float, ...]) -> tuple[float, ...]:
    """A CSS colour with alpha, laid over ``bg``."""
    parts = [float(x) for x in re.findall(r"[\d.]+", css)]
    alpha = parts[3] if len(parts) > 3 else 1.0
    return tuple(parts[i] * alpha + bg[i] * (1 - alpha) for i in range(3))


def small_text(texts: list[dict]) -> list[str]:
    """Texts below their kind's limit, as "kind px: text"."""
    limit = {"body": BODY_PX, "table": TABLE_PX, "secondary": TABLE_PX}
    return [
        f"{t['kind']} {t['px']:.1f}px <{t['tag']} {t['cls']}>: {t['text']}"
        for t in texts
        if t["px"] < limit[t["kind"]] - 0.01
    ]


def low_contrast(texts: list[dict]) -> list[str]:
    """Texts below WCAG AA: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold)."""
    bad = []
    for t in texts:
        bg = tuple(t["bg"])
        ratio = contrast(_composite(t["color"], bg), bg)
        large = t["px"] >= 24 or (t["px"] >= 18.66 and t["weight"] >= 700)
        if ratio < (3.0 if large else 4.5):
            bad.append(f"{ratio:.2f}:1 {t['color']} on {bg} <{t['tag']} {t['cls']}>: {t['text']}")
    return bad


def png_text(png: bytes) -> dict[str, str]:
    """The tEXt chunks of a PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    chunks, i = {}, 8
    while i + 8 <= len(png):
        (size,) = struct.unpack(">I", png[i : i + 4])
        kind, data = png[i + 4 : i + 8], png[i + 8 : i + 8 + size]
        if kind == b"tEXt":
            key, _, value = data.partition(b"\0")
            chunks[key.decode("latin-1")] = value.decode("latin-1")
        if kind == b"IEND":
            break
        i += 12 + size
    return chunks


def chart_text(page) -> list[tuple[str, float | None]]:
    """Per chart image: a short name and its smallest text as shown, in px (None: not known)."""
    images = page.eval_on_selector_all(
        "img",
        "es => es.filter(e => e.getBoundingClientRect().width > 0)"
        ".map(e => [e.src, e.naturalWidth, e.getBoundingClientRect().width])",
    )
    shown = []
    for src, natural, width in images:
        name = f"bild {natural}px visad {width:.0f}px"
        if not src.startswith("data:image/png;base64,"):
            shown.append((name, None))
            continue
        size = png_text(base64.b64decode(src.split(",", 1)[1])).get(style.TEXT_SIZE_KEY)
        shown.append((name, float(size) * width / natural if size else None))
    return shown


def frame_texts(page) -> list[dict]:
    """The texts of the page's frames (the maps)."""
    texts = []
    for frame in page.frames:
        if frame != page.main_frame:
            texts += frame.evaluate(TEXTS_JS)
    return texts


def map_covers(page) -> list[str]:
    """Visible Leaflet controls lying over a map (the scale bar is allowed)."""
    bad = []
    for frame in page.frames:
        for m in frame.evaluate(MAP_CONTROLS_JS):
            bad += [
                f"{name} täcker {100 * area / max(m['area'], 1):.0f} % av kartan"
                for name, area in m["controls"]
                if area > 0 and "leaflet-control-scale" not in name
            ]
    return bad


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height in pt of each page of a Chromium PDF (its page objects are plain)."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]", pdf)
    counts = re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf) or re.findall(
        rb"/Count\s+(\d+)", pdf
    )
    pages = [(float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1 in boxes]
    if counts:
        assert len(pages) == max(int(c) for c in counts), "one MediaBox per page"
    return pages


def print_layout(page) -> dict:
    page.emulate_media(media="print")
    page.set_viewport_size({"width": round(PRINTABLE_PX), "height": 1100})
    page.wait_for_timeout(300)
    return page.evaluate(PRINT_LAYOUT_JS, PRINTABLE_PX)


def print_faults(layout: dict, texts: list[dict]) -> list[str]:
    faults = []
    if layout["scrollWidth"] > PRINTABLE_PX + 1:
        faults.append(f"sidan är {layout['scrollWidth']} px bred, utskriften {PRINTABLE_PX:.0f}")
    if layout["nWide"]:
        faults.append(f"{layout['nWide']} element bredare än sidan: {layout['wide']}")
    if layout["scrolls"]:
        faults.append(f"rullningslister: {layout['scrolls']}")
    if layout["cells"]:
        faults.append(f"text utanför cellen: {layout['cells']}")
    long = [n for n in layout["tables"] if n > LONG_TABLE_ROWS]
    if long:
        faults.append(f"tabeller med {long} rader skrivs ut")
    for hidden, note in layout["cut"]:
        if not hidden:
            faults.append("en tabells dolda rader skrivs ut")
        elif not note:
            faults.append("en avkortad tabell utan notis om webbversionen")
    tiny = [t for t in texts if t["px"] < PRINT_MIN_PT * 96 / 72 - 0.01]
    if tiny:
        faults.append(f"{len(tiny)} texter under {PRINT_MIN_PT} pt: {small_text(tiny)[:5]}")
    return faults


# ---------------------------------------------------------------- the suite's pages


@pytest.mark.parametrize("name", KOMMUN_PAGES)
def test_projector_text(browser, full_suite, name):
    """Running text >= 18 px, tables, captions and notes >= 16 px, charts and maps >= 14 px."""
    with open_page(browser, full_suite / name) as opened:
        page = opened.page
        texts = page.evaluate(TEXTS_JS)
        assert texts, "no text measured"
        assert small_text(texts) == [], f"{name}: för liten text på projektor"
        charts = chart_text(page)
        unknown = [c for c, px in charts if px is None]
        assert unknown == [], f"{name}: diagram utan känd textstorlek (visas inte via style)"
        small_charts = [(c, round(px, 1)) for c, px in charts if px is not None and px < CHART_PX]
        assert small_charts == [], f"{name}: för liten text i diagram"
        in_maps = [t for t in frame_texts(page) if t["px"] < CHART_PX - 0.01]
        assert in_maps == [], f"{name}: för liten text i kartan: {small_text(in_maps)[:8]}"


@pytest.mark.parametrize("name", KOMMUN_PAGES)
def test_projector_contrast(browser, full_suite, name):
    with open_page(browser, full_suite / name) as opened:
        texts = opened.page.evaluate(TEXTS_JS) + frame_texts(opened.page)
        assert low_contrast(texts) == [], f"{name}: för låg kontrast"


@pytest.mark.parametrize("name", PRINT_PAGES)
def test_print_a4(browser, full_suite, name):
    with open_page(browser, full_suite / name) as opened:
        pdf = opened.page.pdf(prefer_css_page_size=True)
    pages = pdf_pages(pdf)
    assert pages, "no page in the PDF"
    off = [p for p in pages if abs(p[0] - A4_PT[0]) > 2 or abs(p[1] - A4_PT[1]) > 2]
    assert off == [], f"{name}: {len(off)} of {len(pages)} pages are not A4: {off[:3]}"


@pytest.mark.parametrize("name", PRINT_PAGES)
def test_print_layout(browser, full_suite, name):
    """Laid out at A4's printable width in print media, everything fits and reads."""
    with open_page(browser, full_suite / name) as opened:
        layout = print_layout(opened.page)
        texts = opened.page.evaluate(TEXTS_JS)
    assert print_faults(layout, texts) == [], name


# ---------------------------------------------------------------- the checkers can fail


PLANTED = """<!doctype html><html><head><meta charset="utf-8"><style>
body { font-size: 18px; margin: 0; } .small { font-size: 14px; } td { font-size: 13px; }
.grey { color: #aaa; } .wide td { white-space: nowrap; } .scroll { overflow-x: auto; width: 300px; }
</style></head><body>
<p>Lagom stor text.</p><p class="small">För liten brödtext.</p>
<table class="wide"><tbody><tr><td>För liten tabelltext som inte får brytas utan löper ut ur sidan
och utanför cellen på papper, lång, lång, lång, lång, lång rad</td></tr></tbody></table>
<p class="grey">Grå text på vitt.</p>
<div class="scroll"><div style="width: 900px">Rullar</div></div>
<iframe style="width: 600px; height: 300px" srcdoc="<html><head><style>
.leaflet-container { position: relative; width: 500px; height: 250px; background: #ddd; }
.leaflet-control { position: absolute; top: 5px; right: 5px; font-size: 12px; background: #fff; }
</style></head><body><div class='leaflet-container'><div class='leaflet-control-container'>
<div class='leaflet-control leaflet-control-layers'>Lager</div></div></div></body></html>"></iframe>
</body></html>"""


def test_checkers_find_planted_faults(browser, tmp_path):
    path = tmp_path / "planted.html"
    path.write_text(PLANTED, encoding="utf-8")
    with open_page(browser, path) as opened:
        page = opened.page
        texts = page.evaluate(TEXTS_JS)
        small = small_text(texts)
        assert any("För liten brödtext" in s for s in small)
        assert any(s.startswith("table 13.0px") for s in small)
        assert not any("Lagom stor" in s for s in small)
        assert any("Grå text" in s for s in low_contrast(texts))
        assert [t["px"] for t in frame_texts(page)] == [12.0]
        page.emulate_media(media="print")
        assert any("leaflet-control-layers" in c for c in map_covers(page))
        faults = print_faults(print_layout(page), texts)
        assert any("bredare än sidan" in f for f in faults), faults
        assert any("rullningslister" in f for f in faults), faults


def test_contrast_formula():
    """WCAG's own reference points: black on white 21:1, #777 on white just under 4.5:1."""
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)
    assert contrast((118, 118, 118), (255, 255, 255)) >= 4.5


def test_pdf_pages_reads_letter_and_a4(browser, tmp_path):
    path = tmp_path / "p.html"
    path.write_text("<p>x</p>", encoding="utf-8")
    with open_page(browser, path) as opened:
        letter = pdf_pages(opened.page.pdf())  # Chromium's default paper
        a4 = pdf_pages(opened.page.pdf(format="A4"))
    assert letter == [pytest.approx((612, 792), abs=1)]
    assert a4 == [pytest.approx(A4_PT, abs=2)]


# ---------------------------------------------------------------- the chart style's floor


def _shown_png(fig) -> tuple[bytes, float]:
    """The PNG a notebook shows for ``fig``, and its smallest text as shown at 1280 px."""
    import io

    from PIL import Image

    png = base64.b64decode(style.chart_png(fig))
    width = Image.open(io.BytesIO(png)).size[0]
    sizes = [t.get_fontsize() for t in style._shown_text(fig)]  # independent of the metadata
    return png, min(sizes) * fig.dpi / 72 * style.shown_scale(width)


@pytest.mark.parametrize("width", [8, 10, 14, 16])
@pytest.mark.parametrize("finish", ["finish", "mark_example"])
def test_chart_text_floor(width, finish):
    """Tiny text asked for by a chart's own code is raised to 14 px as shown, at any width."""
    import matplotlib.pyplot as plt

    style.apply_style()
    fig, axes = plt.subplots(1, 2, figsize=(width, 4))
    plt.close(fig)
    for ax in axes:
        ax.bar(["a", "b", "c"], [1, 3, 2], label="staplar")
        ax.text(0, 0.5, "12 %", fontsize=6)
        ax.tick_params(labelsize=5)
        ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.02, 0.5))
    fig.suptitle("Titel", fontsize=8)
    getattr(style, finish)(fig, "example")
    png, shown = _shown_png(fig)
    assert shown >= CHART_PX, shown
    recorded = float(png_text(png)[style.TEXT_SIZE_KEY])
    assert recorded == pytest.approx(style.smallest_text_image_px(fig), abs=0.01)
    assert any(t.get_text() == style.EXAMPLE_MARK for t in fig.texts), "EXEMPELDATA kept"


def test_chart_without_floor_is_caught():
    """A figure that skipped the style is measured as too small (the check can fail)."""
    style.apply_style()
    fig, ax = style.new_figure((16, 4))
    ax.text(0, 0, "liten", fontsize=6)
    _, shown = _shown_png(fig)
    assert shown < CHART_PX


def test_report_css_is_in_the_page():
    """The sizes measured above come from report.css, which every report page carries."""
    css = runner.report_css()
    assert "@page" in css and "size: A4" in css
    assert "--jp-content-font-size1: 18px" in css and "--jp-ui-font-size1: 16px" in css
    assert Path(runner.REPORT_CSS_FILE).is_file()


# ---------------------------------------------------------------- maps on paper
# (last: with -x a map still covered by its legend stops the run after everything else)


@pytest.mark.parametrize("name", PRINT_PAGES)
def test_print_maps_uncovered(browser, full_suite, name):
    """On paper no layer control, zoom or legend lies over a map."""
    with open_page(browser, full_suite / name) as opened:
        page = opened.page
        page.emulate_media(media="print")
        page.wait_for_timeout(300)
        maps = [m for f in page.frames for m in f.evaluate(MAP_CONTROLS_JS)]
        assert maps, f"{name} shows no map"
        assert all(m["print"] for m in maps), "the map frames are not in print media"
        assert map_covers(page) == [], name
