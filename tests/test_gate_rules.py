"""One gate to the page: text reaches a report only through ``trygghet.present``.

Static rules over the library's source, so that a new report cannot bypass the
gate by escaping (or forgetting to escape) text itself:

* no module in ``reports/`` or ``pipeline/`` escapes with the standard
  ``html.escape``: escaping is :func:`trygghet.present.gate.html_text`'s job,
  which also scrubs personal data and neutralises template syntax (reading
  rendered HTML back with ``html.unescape``, as a check does, is fine);
* no folium ``Tooltip``, ``Popup``, ``GeoJsonTooltip`` or ``GeoJsonPopup``
  anywhere: folium renders their text as a Jinja template (twice), so data
  text goes to maps as JSON bound in plain Leaflet (``present/maps``);
* no ``DataFrame.to_html``/``Styler`` rendering in reports: tables go through
  :func:`trygghet.present.tables.page_table`.

The rendered pages are checked for the same rule in ``tests/test_gate_planted.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from trygghet import paths

PACKAGE = paths.PROJECT_ROOT / "lib" / "trygghet"
FOLIUM_TEMPLATES = {"Tooltip", "Popup", "GeoJsonTooltip", "GeoJsonPopup"}


def _modules(*stages: str) -> list[Path]:
    return sorted(p for stage in stages for p in (PACKAGE / stage).rglob("*.py"))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imports_html(tree: ast.Module) -> bool:
    """Whether the module escapes with the standard library: ``html.escape`` or ``from html import escape``."""
    html_names = {"html"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            html_names |= {a.asname or a.name for a in node.names if a.name == "html"}
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "html"
            and any(a.name == "escape" for a in node.names)
        ):
            return True
    return any(
        isinstance(n, ast.Attribute)
        and n.attr == "escape"
        and isinstance(n.value, ast.Name)
        and n.value.id in html_names
        for n in ast.walk(tree)
    )


@pytest.mark.parametrize(
    "path", _modules("reports", "pipeline"), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_reports_and_pipeline_do_not_escape_text_themselves(path):
    assert not _imports_html(_tree(path)), (
        f"{path.relative_to(PACKAGE)} imports html: use trygghet.present.gate.html_text"
    )


def _attribute_names(tree: ast.Module) -> set[str]:
    names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("folium"):
            names |= {a.name for a in node.names}
    return names


@pytest.mark.parametrize("path", _modules("."), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_text_is_handed_to_folium_as_a_template(path):
    used = _attribute_names(_tree(path)) & FOLIUM_TEMPLATES
    assert not used, f"{path.relative_to(PACKAGE)} uses folium {sorted(used)}"


@pytest.mark.parametrize("path", _modules("reports"), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_reports_render_tables_only_through_page_table(path):
    used = _attribute_names(_tree(path)) & {"to_html", "Styler", "style"}
    assert not used, f"{path.relative_to(PACKAGE)} renders a table itself: {sorted(used)}"


def test_the_rules_catch_what_they_guard_against(tmp_path):
    """The checks above, on planted code, so that they cannot pass vacuously."""
    planted = tmp_path / "planted.py"
    planted.write_text(
        "import html as h\nimport folium\nfrom folium import Popup\n"
        "t = folium.Tooltip(h.escape(x))\ndf.to_html()\n",
        encoding="utf-8",
    )
    tree = _tree(planted)
    assert _imports_html(tree)
    assert {"Tooltip", "Popup", "to_html"} <= _attribute_names(tree)
