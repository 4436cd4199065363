"""The index pages that link a run's reports, readable from disk (file://).

``outputs/<kommun>/<period>/index.html`` lists every report of that kommun and
period with its one-line summary (taken from the report's own tagged summary)
and says plainly when the latest run of a report failed and an older version is
shown. ``outputs/index.html`` lists every kommun and period that has reports.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from trygghet import atomic

_PAGE = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; font-size: 20px; max-width: 60em; margin: 2em auto; line-height: 1.45; }}
li {{ margin-bottom: 0.9em; }} .meta {{ color: #555; font-size: 0.85em; }}
.failed {{ color: #a00000; font-weight: bold; }}
</style></head><body>
{body}
</body></html>
"""


def _report_item(entry: dict) -> str:
    title = html.escape(entry.get("title") or entry["name"])
    summary = html.escape(entry.get("summary") or "")
    if entry["status"] == "ok":
        link = f'<a href="{html.escape(entry["html"])}">{title}</a>'
        note = ""
    elif entry.get("html"):
        link = f'<a href="{html.escape(entry["html"])}">{title}</a>'
        kept = entry.get("kept_from") or "en tidigare körning"
        note = f'<div class="failed">✘ Senaste körningen misslyckades; visar versionen från {html.escape(str(kept))}.</div>'
    else:
        link = title
        note = '<div class="failed">✘ Rapporten kunde inte tas fram i den här körningen.</div>'
    return f"<li>{link}<div>{summary}</div>{note}</li>"


def run_index_html(manifest: dict) -> str:
    name = html.escape(manifest.get("kommun_name", manifest["kommun"]))
    items = "\n".join(_report_item(e) for e in manifest["notebooks"])
    heading = (
        f"Riksöversikt, {manifest['period']}"
        if manifest["kommun"] == "riket"
        else f"Uppföljning av medborgarlöften – {name} kommun, {manifest['period']}"
    )
    body = (
        f"<h1>{heading}</h1>"
        f'<p class="meta">{"Alla kommuner i körningen" if manifest["kommun"] == "riket" else "Kommunkod " + manifest["kommun"]}'
        f' · underlag och versioner i <a href="manifest.json">manifest.json</a></p>'
        f"<ol>{items}</ol>"
    )
    return _PAGE.format(title=f"{name} {manifest['period']}", body=body)


def root_index_html(outputs_root: Path) -> str:
    rows = []
    found = sorted(Path(outputs_root).glob("*/*/manifest.json"))
    # The national overview first, then the kommuner by code.
    found.sort(key=lambda p: (p.parent.parent.name != "riket", p.parent.parent.name, p.parent.name))
    for manifest_path in found:
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        relative = manifest_path.parent.relative_to(outputs_root).as_posix()
        name = html.escape(manifest.get("kommun_name", manifest["kommun"]))
        rows.append(
            f'<li><a href="{relative}/index.html">{name} ({manifest["kommun"]}), '
            f"{manifest['period']}</a></li>"
        )
    body = "<h1>Trygghetsrapporter</h1><ul>" + "\n".join(rows) + "</ul>"
    return _PAGE.format(title="Trygghetsrapporter", body=body)


def write_index_pages(outputs_root: Path, output_dir: Path, manifest: dict) -> Path:
    """Write the run's index and refresh the overview of all runs; return the run's index."""
    index = Path(output_dir) / "index.html"
    atomic.write_text(index, run_index_html(manifest))
    atomic.write_text(Path(outputs_root) / "index.html", root_index_html(Path(outputs_root)))
    return index
