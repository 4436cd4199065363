"""Small ``dialogues`` / ``dialogue_proposals`` frames in the agreed processed format (not a test module)."""

from __future__ import annotations

import pandas as pd

from trygghet.config import Area, KommunConfig

GROUPS = ("invanare", "foreningar", "naringsidkare", "unga", "tjanstepersoner")

AREAS = ["Centrum", "Byn", "Skogen"]


def config(min_count: int = 5, areas=AREAS) -> KommunConfig:
    return KommunConfig(
        code="1863",
        name="Hällefors",
        default_period=2025,
        min_count=min_count,
        areas=[Area(name=a, kind="tätort") for a in areas],
    )


def dialogues_frame(rows) -> pd.DataFrame:
    """Dialogues from dicts; missing keys get defaults (a meeting in Centrum with 10 residents)."""
    base = {
        "date": "2025-03-01",
        "area": "Centrum",
        "form": "möte",
        "organiser": "båda",
        "invanare": 10,
        "foreningar": 0,
        "naringsidkare": 0,
        "unga": 0,
        "tjanstepersoner": 2,
        "themes": "belysning",
        "origin": "example",
    }
    records = [{"dialogue_id": f"D{i}", **base, **row} for i, row in enumerate(rows, start=1)]
    frame = pd.DataFrame(records)
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    for col in GROUPS:
        frame[col] = frame[col].astype("Int64")
    for col in ("dialogue_id", "area", "form", "organiser", "themes", "origin"):
        frame[col] = frame[col].astype("string")
    return frame


def proposals_frame(rows) -> pd.DataFrame:
    """Proposals from dicts; missing keys get defaults (a new, undecided proposal of D1)."""
    base = {
        "dialogue_id": "D1",
        "theme": "belysning",
        "proposal": "Fler lampor vid Anna Svenssons hus, ring 070-000 00 00",
        "decision": "utreds",
        "measure_id": None,
        "responsible": None,
        "deadline": None,
        "status": "ny",
        "completed_date": None,
        "origin": "example",
    }
    records = [{"proposal_id": f"P{i}", **base, **row} for i, row in enumerate(rows, start=1)]
    frame = pd.DataFrame(records, columns=["proposal_id", *base])
    for col in ("deadline", "completed_date"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    for col in ("proposal_id", "dialogue_id", "theme", "proposal", "decision", "measure_id",
                "responsible", "status", "origin"):  # fmt: skip
        frame[col] = frame[col].astype("string")
    return frame


def decided(dialogue: str = "D1", *, deadline="2025-06-01", done=None, measure=None, **extra):
    """A decided proposal: deadline, completion date (None = open), linked measure id."""
    return {
        "dialogue_id": dialogue,
        "decision": "beslutad åtgärd",
        "deadline": deadline,
        "status": "åtgärdad" if done else "pågår",
        "completed_date": done,
        "measure_id": measure,
        "responsible": "kommunen",
        **extra,
    }
