"""One glossary, linked from every report, explaining every method name the reports use."""

from __future__ import annotations

import re

from trygghet import paths
from trygghet.present import glossary

#: Method names and jargon the reports print; each must be explained in the glossary.
JARGON = ["Gi*", "FDR", "Röd-röd", "99,8 %", "C8", "N07403", "Wilson", "Poisson", "Newcombe",
          "Kish", "Mann–Whitney", "EST", "Hobit", "Fåtal", "Osäkerhetsintervall"]  # fmt: skip


def test_every_method_name_is_explained():
    text = " ".join(f"{term} {explanation}" for term, explanation in glossary.TERMS.items())
    assert [word for word in JARGON if word not in text] == []


def test_the_page_escapes_and_fetches_nothing():
    page = glossary.glossary_html()
    assert "http" not in page and "<script" not in page
    assert page.count("<dt ") == len(glossary.TERMS)
    assert len(set(re.findall(r'<dt id="([^"]+)"', page))) == len(glossary.TERMS)


def test_jargon_used_in_the_library_is_in_the_glossary():
    """A method name printed by a report, but unexplained, fails here."""
    library = paths.PROJECT_ROOT / "lib" / "trygghet"
    used = {
        word
        for path in library.rglob("*.py")
        for word in ("Gi*", "FDR", "röd-röd", "Newcombe", "Kish", "Wilson", "Mann–Whitney")
        if word in path.read_text(encoding="utf-8")
    }
    text = " ".join(f"{t} {e}" for t, e in glossary.TERMS.items()).lower()
    assert [w for w in used if w.lower() not in text] == []


def test_the_interval_has_one_name_on_every_page():
    """Reports say osäkerhetsintervall; only the glossary names the other words for it."""
    words = re.compile(r"konfidensintervall|felmarginal|\bKI\b", re.IGNORECASE)
    places = [*(paths.PROJECT_ROOT / "lib" / "trygghet").rglob("*.py"),
              *paths.NOTEBOOKS_DIR.rglob("*.ipynb")]  # fmt: skip
    found = [
        f"{p.name}: {m.group(0)}"
        for p in places
        if p.name != "glossary.py"
        for m in words.finditer(p.read_text(encoding="utf-8"))
    ]
    assert found == []
