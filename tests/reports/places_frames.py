"""Small resident-report and walk frames for the places report's tests (not a test module)."""

import numpy as np
import pandas as pd

LAT0, LON0 = 59.78, 14.52
AREAS = [("Centrum", LAT0, LON0), ("Byn", 59.90, 14.80)]


def offset(north_m: float, east_m: float) -> tuple[float, float]:
    return (
        LAT0 + north_m / 111_320.0,
        LON0 + east_m / (111_320.0 * np.cos(np.radians(LAT0))),
    )


def reports_frame(rows) -> pd.DataFrame:
    """Reports from (created_at, category, lat, lon) tuples; lat/lon may be None."""
    records = []
    for i, (when, cat, lat, lon) in enumerate(rows):
        records.append(
            {
                "report_id": f"R{i}",
                "created_at": pd.Timestamp(when),
                "category": cat,
                "status": "ny",
                "lat": lat,
                "lon": lon,
                "position_source": "koordinat" if lat is not None else "saknas",
                "address": "Storgatan 1",
                "description": "Hemlig fritext om en granne",
                "origin": "example",
            }
        )
    frame = pd.DataFrame(records)
    frame["lat"] = frame["lat"].astype("Float64")
    frame["lon"] = frame["lon"].astype("Float64")
    return frame


def walks_frame(rows) -> pd.DataFrame:
    """Walk observations from dicts; missing keys get defaults."""
    base = {
        "walk_id": "TV-2025-1",
        "walk_date": "2025-03-01",
        "area": "Centrum",
        "place": "Centrum, vid parken",
        "lat": LAT0,
        "lon": LON0,
        "category": "belysning",
        "description": "Mörkt. Ring 070-000 00 00",
        "proposed_measure": "Byta lampor.",
        "responsible": "kommunen",
        "priority": 1,
        "deadline": "2025-04-01",
        "status": "ny",
        "completed_date": None,
        "verified_at_followup": None,
        "followup_walk_id": None,
        "origin": "example",
    }
    records = []
    for i, row in enumerate(rows, start=1):
        rec = {**base, "point_no": i, **row}
        records.append(rec)
    frame = pd.DataFrame(records)
    for col in ("walk_date", "deadline", "completed_date"):
        frame[col] = pd.to_datetime(frame[col])
    for col in ("lat", "lon"):
        frame[col] = frame[col].astype("Float64")
    frame["priority"] = frame["priority"].astype("Int64")
    frame["point_no"] = frame["point_no"].astype("Int64")
    frame["verified_at_followup"] = frame["verified_at_followup"].astype("boolean")
    for col in ("walk_id", "area", "status", "responsible", "followup_walk_id", "place"):
        frame[col] = frame[col].astype("string")
    return frame


def planted_cluster():
    """80 reports around one point plus a thin scatter over a 25 km² square."""
    rng = np.random.default_rng(1)
    rows = []
    for _ in range(80):
        lat, lon = offset(rng.normal(0, 60), rng.normal(0, 60))
        rows.append(("2025-05-01 20:00", "belysning" if _ % 4 else "klotter", lat, lon))
    for _ in range(30):
        lat, lon = offset(rng.uniform(-2500, 2500), rng.uniform(-2500, 2500))
        rows.append(("2025-06-01 12:00", "trafik", lat, lon))
    return reports_frame(rows)
