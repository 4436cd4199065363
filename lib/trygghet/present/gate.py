"""The one way text reaches a report: scrubbed, escaped, never a template.

Every sentence, table cell, tooltip, popup and chart label that a report shows
goes through one of the functions here, whatever its origin (input file,
configuration or the library's own wording), because a text that is harmless
today may not be tomorrow:

* **scrubbed** of personal data by :func:`trygghet.privacy.scrub_value`
  (identity numbers, phone numbers, e-mail, registration numbers, street
  addresses with numbers, postcodes). Input files are scrubbed at ingest as
  well; this is the second line, for text that reached a report some other way;
* **escaped** for the place it goes:

  - :func:`html_text` for HTML (a table cell, a paragraph, a folium tooltip):
    ``< > & " '`` become entities, and so do the characters that start a
    Jinja template (``{`` ``}``), a JavaScript template literal (`` ` `` ``$``
    ``\\``) or a TeX formula for MathJax (``$``). folium renders a tooltip's
    text through Jinja *twice* (once into the map's script, then that script
    as a template of its own), so ``{{7*7}}`` in a walk protocol would be
    evaluated on the machine that renders the report; as ``&#123;&#123;7*7&#125;&#125;``
    it is shown as typed;
  - :func:`chart_text` for matplotlib (an axis label, a legend entry): ``$``
    would start mathtext and is escaped;
  - :func:`script_json` for data handed to a map's JavaScript: JSON whose
    strings cannot close the ``<script>`` element or open a template.

* **Names of organisations** (who is responsible for a measure) cannot be told
  from a person's name by a pattern, so :func:`responsible_label` shows only
  parties listed in the kommun's configuration and "annan ansvarig" otherwise.

``tests/test_gate_planted.py`` plants personal data and payloads in every
text column of every source and checks that none reaches any output file.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

from trygghet.privacy import scrub_value

__all__ = [
    "OTHER_RESPONSIBLE",
    "chart_text",
    "clean_text",
    "embedded_page_html",
    "html_paragraphs",
    "html_text",
    "responsible_label",
    "script_json",
]

#: Shown instead of a responsible party that is not in the kommun's list.
OTHER_RESPONSIBLE = "annan ansvarig"

# Characters that mean something to Jinja, a JS template literal, MathJax or a shell-like reader.
_HTML_EXTRA = {
    ord("{"): "&#123;",
    ord("}"): "&#125;",
    ord("`"): "&#96;",
    ord("$"): "&#36;",
    ord("\\"): "&#92;",
}
# The same in JSON strings: \uXXXX keeps the text intact for JavaScript.
_JSON_ESCAPES = {ord(c): f"\\u{ord(c):04x}" for c in "<>&{}`$'"}


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return str(value) in {"<NA>", "NaT", "nan"}


def clean_text(value: object) -> str:
    """``value`` as plain text with personal data replaced by tokens; missing is ``""``."""
    if _is_missing(value):
        return ""
    return scrub_value(str(value))


def html_text(value: object) -> str:
    """Text safe inside HTML, a folium template and a JS template literal (see module doc)."""
    return html.escape(clean_text(value), quote=True).translate(_HTML_EXTRA)


def html_paragraphs(text: object) -> str:
    """Paragraphs (separated by a blank line) as ``<p>`` elements, each through :func:`html_text`."""
    parts = [p for p in clean_text(text).split("\n\n") if p.strip()]
    return "".join(f"<p>{html_text(p)}</p>" for p in parts)


def chart_text(value: object) -> str:
    """Text for a matplotlib label: scrubbed, ``$`` escaped so it never starts mathtext."""
    return clean_text(value).replace("$", r"\$")


def _json(obj: Any) -> str:
    if isinstance(obj, str):
        # Only inside a string literal is every brace content, so escape literal by literal.
        return json.dumps(clean_text(obj), ensure_ascii=False).translate(_JSON_ESCAPES)
    if isinstance(obj, Mapping):
        items = (f"{_json(str(k))}:{_json(v)}" for k, v in obj.items())
        return "{" + ",".join(items) + "}"
    if isinstance(obj, list | tuple):
        return "[" + ",".join(_json(v) for v in obj) + "]"
    return json.dumps(obj)


def script_json(obj: Any) -> str:
    """JSON for a ``<script>``: strings scrubbed, and ``<>&{}`$'`` in them written as ``\\uXXXX``.

    The result cannot end the script element, open a Jinja expression when
    folium renders the script a second time, or start a template substitution.
    Strings that will be put into the page with ``innerHTML``/``bindTooltip``
    must still be HTML: pass them through :func:`html_text` first.
    """
    return _json(obj)


def embedded_page_html(page: str, *, title: str, height: int) -> str:
    """A whole page (a map built in :mod:`trygghet.present.maps`) shown in an iframe.

    The page's own data went through the gate when it was built; here it is only
    quoted for the ``srcdoc`` attribute (scrubbing it again could alter its code).
    """
    return (
        f'<iframe srcdoc="{html.escape(page, quote=True)}" style="width:100%;'
        f'height:{int(height)}px;border:none" title="{html_text(title)}"></iframe>'
    )


def _normalise(name: str) -> str:
    return " ".join(name.casefold().split())


def responsible_label(value: object, parties: Iterable[str]) -> str:
    """The responsible party as listed in the kommun's configuration, else "annan ansvarig".

    Matching ignores case and extra spaces; the configuration's spelling is shown.
    A missing value stays empty.
    """
    if _is_missing(value) or not str(value).strip():
        return ""
    wanted = _normalise(str(value))
    for party in parties:
        if _normalise(party) == wanted:
            return party
    return OTHER_RESPONSIBLE
