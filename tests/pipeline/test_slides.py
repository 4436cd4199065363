"""The follow-up's meeting slides: cells tagged "slides" make an offline deck, not the page."""

from __future__ import annotations

import nbformat

from trygghet.pipeline import runner


def _executed(tagged: bool) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    page = nbformat.v4.new_code_cell("x")
    page.outputs = [nbformat.v4.new_output("display_data", {"text/html": "<p>Sidan</p>"})]
    deck = nbformat.v4.new_code_cell("y")
    deck.metadata["tags"] = ["slides"] if tagged else []
    deck.outputs = [
        nbformat.v4.new_output(
            "display_data", {"text/html": '<section class="trygghet-slide">Löfte 1</section>'}
        )
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# Titel"), page, deck]
    return nb


def test_tagged_cells_make_the_deck_and_stay_off_the_page():
    nb = _executed(tagged=True)
    deck = runner.slides_html(nb, "Uppföljning <b>")
    assert '<section class="trygghet-slide">Löfte 1</section>' in deck
    assert "Sidan" not in deck
    assert "<title>Bildspel: Uppföljning &lt;b&gt;</title>" in deck
    assert "http" not in deck.replace("http-equiv", "")  # nothing to fetch
    assert "@page { size: A4 landscape" in deck
    page = runner.render_html(nb, "Uppföljning")
    assert "Sidan" in page and "Löfte 1" not in page


def test_no_tagged_cell_no_deck():
    assert runner.slides_html(_executed(tagged=False), "x") is None
