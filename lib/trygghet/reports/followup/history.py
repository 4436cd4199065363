"""Since last time: what changed since the previous follow-up.

Each run stores its statuses in ``data/processed/<kommun>/followup_history.json``
(:func:`record_history`). An entry is appended only when its content differs
from the latest one, so a rerun on the same data changes nothing and its
report is byte-identical; the previous follow-up is the latest stored entry,
for the same or an earlier period, whose content differs from this run's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from trygghet import atomic, paths
from trygghet.present.swedish import fmt_date, plural
from trygghet.reports.followup.evaluate import PromiseResult
from trygghet.reports.followup.tables import display_html, table_html
from trygghet.stats.status import SYMBOLS

HISTORY_NAME = paths.HISTORY_FILE_NAME


def history_path(kommun: str) -> Path:
    return paths.history_file(kommun)


def history_entry(results: Sequence[PromiseResult], period: int, recorded: str) -> dict[str, Any]:
    """This run's statuses: ``{"period", "recorded", "digest", "statuses": {key: {...}}}``."""
    statuses = {
        r.key: {"name": r.indicator.name, "status": r.status, "text": r.value.text}
        for pr in results
        for r in pr.indicators
    }
    digest = hashlib.sha256(
        json.dumps([period, statuses], sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()[:16]
    return {"period": int(period), "recorded": recorded, "digest": digest, "statuses": statuses}


def load_history(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return list(data.get("runs", []))
    except (OSError, ValueError, AttributeError):
        return []


def previous_entry(history: Sequence[dict], entry: dict) -> dict | None:
    """The latest stored follow-up for this or an earlier period whose content differs."""
    for old in reversed(history):
        if int(old.get("period", 0)) <= entry["period"] and old.get("digest") != entry["digest"]:
            return old
    return None


def record_history(path: Path, entry: dict) -> dict | None:
    """Append ``entry`` unless it equals the latest; return the previous follow-up to compare with."""
    history = load_history(path)
    previous = previous_entry(history, entry)
    if not any(h.get("digest") == entry["digest"] for h in history):
        history.append(entry)
        atomic.write_text(
            Path(path), json.dumps({"runs": history}, ensure_ascii=False, indent=1) + "\n"
        )
    return previous


def changes_since(previous: dict | None, entry: dict) -> pd.DataFrame:
    """Indicators whose status changed, appeared or disappeared since ``previous``."""
    cols = ["indikator", "förra gången", "nu"]
    if previous is None:
        return pd.DataFrame(columns=cols)
    before, now = previous.get("statuses", {}), entry["statuses"]
    rows = []
    for key in list(now) + [k for k in before if k not in now]:
        a, b = before.get(key), now.get(key)
        if a and b and a["status"] == b["status"]:
            continue
        rows.append(
            {
                "indikator": (b or a)["name"],
                "förra gången": f"{SYMBOLS.get(a['status'], '')} {a['status']}"
                if a
                else "fanns inte",
                "nu": f"{SYMBOLS.get(b['status'], '')} {b['status']}" if b else "borttagen",
            }
        )
    return pd.DataFrame(rows, columns=cols)


def since_sentence(previous: dict | None, changes: pd.DataFrame) -> str:
    """The "since last time" text (sentence choice pinned by tests)."""
    if previous is None:
        return (
            "Det finns ingen tidigare uppföljning sparad för kommunen: det här är den första. "
            "Nästa gång jämförs statusen med den här."
        )
    when = f"uppföljningen för {previous['period']} (sparad {fmt_date(previous['recorded'])})"
    if changes.empty:
        return f"Ingen indikator har bytt status sedan {when}."
    return (
        f"Sedan {when} har {plural(len(changes), 'indikator', 'indikatorer')} bytt status "
        "eller tillkommit; se tabellen."
    )


def show_since_last_time(
    context: Any, results: Sequence[PromiseResult], recorded: str | None = None
) -> None:
    """Store this run's statuses and show what changed since the previous follow-up.

    ``recorded`` (default today) is stored with a new entry and shown only when
    a later run compares with it, so a rerun on the same data stays identical.
    """
    import datetime as dt

    from trygghet.present import page as report

    recorded = recorded or dt.date.today().isoformat()
    entry = history_entry(results, context.period, recorded)
    previous = record_history(history_path(context.kommun), entry)
    changes = changes_since(previous, entry)
    report.narrative(since_sentence(previous, changes))
    if not changes.empty:
        display_html(table_html(changes))
