"""The index pages that link a run's reports, readable from disk (file://).

``outputs/<kommun>/<period>/index.html`` lists every report of that kommun and
period with its one-line summary (taken from the report's own tagged summary)
and says plainly when the latest run of a report failed and an older version is
shown. A summary that rests on example data (the report tagged it
``trygghet_summary_origin: "example"``, :func:`trygghet.present.page.summary`)
starts with a visible "EXEMPELDATA:" label, so that an example figure is never
read as the kommun's own. ``outputs/index.html`` lists every kommun and period
that has reports, and says which of them hold reports built on example data.
Every text goes through the page gate (:func:`trygghet.present.gate.html_text`).
"""

from __future__ import annotations

import json
from pathlib import Path

from trygghet import atomic
from trygghet.present import glossary
from trygghet.present.gate import html_text
from trygghet.present.style import is_example

#: The label before a summary line built on example data.
EXAMPLE_LABEL = "EXEMPELDATA:"

_PAGE = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; font-size: 20px; max-width: 60em; margin: 2em auto; line-height: 1.45; }}
li {{ margin-bottom: 0.9em; }} .meta {{ color: #555; font-size: 0.85em; }}
.failed {{ color: #a00000; font-weight: bold; }}
.status {{ margin-top: 0.3em; }}
.generated {{ color: #1a1a1a; background: #e8e8e8; border: 2px solid #555; padding: 0 0.25em; font-weight: bold; }}
.example {{ color: #7a3e00; background: #fff2cc; border: 2px solid #b45f06; padding: 0 0.25em; font-weight: bold; }}
</style></head><body>
{body}
</body></html>
"""


def summary_html(entry: dict) -> str:
    """The entry's summary line, after the EXEMPELDATA label when it rests on example data."""
    text = html_text(entry.get("summary") or "")
    if text and is_example(entry.get("summary_origin")):
        return f'<span class="example">{html_text(EXAMPLE_LABEL)}</span> {text}'
    return text


def _report_item(entry: dict) -> str:
    title = html_text(entry.get("title") or entry["name"])
    summary = summary_html(entry)
    if entry["status"] == "ok":
        link = f'<a href="{html_text(entry["html"])}">{title}</a>'
        note = ""
    elif entry.get("html"):
        link = f'<a href="{html_text(entry["html"])}">{title}</a>'
        commit = str(entry.get("kept_from") or "")
        kept = (
            f"en tidigare körning (programversion {commit[:7]})"
            if commit
            else "en tidigare körning"
        )
        note = f'<div class="failed">✘ Senaste körningen misslyckades; visar versionen från {html_text(kept)}.</div>'
    else:
        link = title
        note = '<div class="failed">✘ Rapporten kunde inte tas fram i den här körningen.</div>'
    if entry.get("slides") and entry.get("html"):
        link += f' · <a href="{html_text(entry["slides"])}">bildspel för mötet</a>'
    return f"<li>{link}<div>{summary}</div>{note}</li>"


#: The follow-up's decision page: the first thing a kommun's index links.
DECISION_PAGE = ("00_uppfoljning", "att-besluta")


def start_here_html(manifest: dict) -> str:
    """ "Börja här": the decision page (and its slides) first, when the follow-up is there."""
    name, anchor = DECISION_PAGE
    entry = next((e for e in manifest.get("notebooks", []) if e.get("name") == name), None)
    if not entry or not entry.get("html"):
        return ""
    link = f'<a href="{html_text(entry["html"])}#{anchor}">Att besluta på mötet</a>'
    if entry.get("slides"):
        link += f' · <a href="{html_text(entry["slides"])}">bildspel</a>'
    return f'<p class="start"><strong>Börja här:</strong> {link}</p>'


#: The label of a kommun whose reports use the generated default configuration.
GENERATED_LABEL = "genererad standardkonfiguration"


def generated_html(manifest: dict) -> str:
    """A visible mark when the kommun has no config file of its own (only generated defaults)."""
    if manifest.get("config") != "generated":
        return ""
    return (
        f'<span class="generated">{html_text(GENERATED_LABEL.capitalize())}</span> – '
        "löften och indikatorer är exempel tills kommunen skrivit sin egen konfigurationsfil "
        f"({html_text('trygghet ny-kommun ' + str(manifest.get('kommun', '')))})."
    )


def status_html(manifest: dict) -> str:
    """The indicators by status (symbol and word), and which are not met."""
    from trygghet.stats.status import SYMBOLS

    info = manifest.get("promise_status")
    if not info:
        return ""
    counts = info.get("counts", {})
    parts = [f"{SYMBOLS.get(status, '?')} {n} {status}" for status, n in counts.items() if n] or [
        "inga indikatorer"
    ]
    text = f"Medborgarlöftenas indikatorer: {html_text(' · '.join(parts))}"
    failing = info.get("not_met") or []
    if failing:
        text += "<br>Inte uppfyllt: " + html_text("; ".join(failing))
    return f'<div class="status">{text}</div>'


def run_index_html(manifest: dict) -> str:
    name = html_text(manifest.get("kommun_name", manifest["kommun"]))
    items = "\n".join(_report_item(e) for e in manifest["notebooks"])
    heading = (
        f"Riksöversikt – {name}, {manifest['period']}"
        if manifest["kommun"] == "riket"
        else f"Uppföljning av medborgarlöften – {name} kommun, {manifest['period']}"
    )
    body = (
        f"<h1>{heading}</h1>"
        f'<p class="meta">{"Alla kommuner i körningen" if manifest["kommun"] == "riket" else "Kommunkod " + manifest["kommun"]}'
        f' · underlag och versioner i <a href="manifest.json">manifest.json</a>'
        f" · {glossary.link_html()}</p>"
        + (f"<p>{generated_html(manifest)}</p>" if generated_html(manifest) else "")
        + start_here_html(manifest)
        + status_html(manifest)
        + f"<ol>{items}</ol>"
    )
    return _PAGE.format(title=f"{name} {manifest['period']}", body=body)


def root_index_html(outputs_root: Path) -> str:
    rows = []
    root = Path(outputs_root)
    found = sorted(root.glob("*/*/manifest.json")) + sorted(root.glob("riket/*/*/manifest.json"))
    # The national overviews first (one folder per batch), then the kommuner by code.
    found.sort(
        key=lambda p: ("riket" not in p.relative_to(root).parts[:1], p.relative_to(root).parts)
    )
    for manifest_path in found:
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        relative = manifest_path.parent.relative_to(outputs_root).as_posix()
        name = html_text(manifest.get("kommun_name", manifest["kommun"]))
        example = any(is_example(n.get("summary_origin")) for n in manifest.get("notebooks", []))
        mark = (
            f' <span class="example">{html_text(EXAMPLE_LABEL)}</span> '
            "några rapporter bygger på påhittade exempeldata"
            if example
            else ""
        )
        generated = generated_html(manifest)
        rows.append(
            f'<li><a href="{html_text(relative)}/index.html">{name} '
            f"({html_text(manifest['kommun'])}), {html_text(manifest['period'])}</a>{mark}"
            + (f"<div>{generated}</div>" if generated else "")
            + status_html(manifest)
            + "</li>"
        )
    body = "<h1>Trygghetsrapporter</h1><ul>" + "\n".join(rows) + "</ul>"
    return _PAGE.format(title="Trygghetsrapporter", body=body)


def write_run_index(output_dir: Path, manifest: dict) -> Path:
    """Write the run's index page; return it."""
    index = Path(output_dir) / "index.html"
    atomic.write_text(index, run_index_html(manifest))
    return index


def write_root_index(outputs_root: Path) -> Path:
    """Write the overview of all runs under ``outputs_root``; return it."""
    root = Path(outputs_root) / "index.html"
    atomic.write_text(root, root_index_html(Path(outputs_root)))
    return root
