"""What may reach the page: no residents' free text, no exact positions.

The report never shows the residents' free text or exact positions. Every
table meant for display goes through :func:`display_table`, which drops such
columns and refuses a frame that still holds coordinate-like numbers; a
rendered report can be checked afterwards with :func:`rendered_html_problems`.
Hotspots are described by H3 cells (about 0.74 km²) and by a place label
(:func:`trygghet.reports.places.geo.place_label`), never by coordinates.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

#: Columns that never reach a displayed table: free text, exact positions and
#: ids that could be looked up in the source system.
FORBIDDEN_COLUMNS: frozenset[str] = frozenset(
    {
        "description",
        "address",
        "postal_code",
        "lat",
        "lon",
        "latitude",
        "longitude",
        "geometry",
        "report_id",
        "h3",
    }
)

_COORD_LIKE = r"(?<![\d])[1-9]\d\.\d{5,}"


def display_table(frame: pd.DataFrame, *, allow_text: Iterable[str] = ()) -> pd.DataFrame:
    """Prepare a table for display: drop free text and exact positions, then check.

    Drops every column named in :data:`FORBIDDEN_COLUMNS` (description,
    address, postal code, lat/lon, geometry, report id, H3 cell) and the index
    if it is one of them. ``allow_text`` names columns that may hold text the
    protocol itself wrote (a walk's place and proposed measure); it cannot
    allow a forbidden column. Then :func:`assert_display_safe` checks the
    result. Returns a copy.
    """
    allowed = set(allow_text)
    if allowed & FORBIDDEN_COLUMNS:
        raise ValueError(f"kan inte tillåta {sorted(allowed & FORBIDDEN_COLUMNS)}")
    out = frame.drop(columns=[c for c in frame.columns if str(c) in FORBIDDEN_COLUMNS])
    if out.index.name in FORBIDDEN_COLUMNS:
        out = out.reset_index(drop=True)
    assert_display_safe(out)
    return out


def assert_display_safe(frame: pd.DataFrame) -> None:
    """Raise ``ValueError`` if a table still looks like it holds positions.

    Checks: no forbidden column names; no float column with values that look
    like coordinates (five or more decimals, between 10 and 99 in magnitude);
    no text cell containing a number with five or more decimals.
    """
    bad = [c for c in frame.columns if str(c) in FORBIDDEN_COLUMNS]
    if bad:
        raise ValueError(f"tabellen innehåller otillåtna kolumner: {bad}")
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_float_dtype(values):
            v = pd.to_numeric(values, errors="coerce").dropna().astype(float).abs()
            v = v[(v >= 10) & (v < 100)]
            if len(v) and (np.abs(v * 1e4 - np.round(v * 1e4)) > 1e-6).any():
                raise ValueError(f"kolumnen {column!r} ser ut att innehålla koordinater")
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            text = values.astype("string")
            if text.str.contains(_COORD_LIKE, regex=True).fillna(False).any():
                raise ValueError(f"kolumnen {column!r} innehåller koordinatliknande tal")


# ---------------------------------------------------------------------------
# Checking the rendered report

_LONG_DECIMAL = r"(?<![\d.])-?\d{1,2}\.\d{5,}(?!\d)"


def rendered_html_problems(html_text: str, reports: pd.DataFrame, min_text: int = 25) -> list[str]:
    """What in a rendered report would break the privacy rules (empty list: nothing).

    Looks for (1) numbers with five or more decimals in the range of the
    reports' latitudes or longitudes (exact positions; the maps round to 4
    decimals), also inside base64-encoded embedded HTML pages (images and
    icons are not decoded: their path data is not positions), and (2) any
    residents' description of at least ``min_text`` characters, as is or
    HTML-escaped.
    """
    import base64
    import html as html_lib
    import re

    from trygghet.present import gate

    texts = [html_text]
    for blob in re.findall(r"data:text/html[^,\"']*;base64,([A-Za-z0-9+/=]+)", html_text):
        try:
            texts.append(base64.b64decode(blob).decode("utf-8", errors="ignore"))
        except ValueError:
            continue
    texts += [html_lib.unescape(t) for t in texts]
    problems: list[str] = []
    pos = reports.dropna(subset=["lat", "lon"])
    if len(pos):
        lat_lo, lat_hi = float(pos["lat"].min()) - 0.1, float(pos["lat"].max()) + 0.1
        lon_lo, lon_hi = float(pos["lon"].min()) - 0.1, float(pos["lon"].max()) + 0.1
        for text in texts:
            for token in re.findall(_LONG_DECIMAL, text):
                v = float(token)
                if lat_lo <= v <= lat_hi or lon_lo <= v <= lon_hi:
                    problems.append(f"koordinat med många decimaler: {token}")
                    break
            if problems:
                break
    descriptions = reports.get("description", pd.Series(dtype="string")).dropna().astype(str)
    for desc in sorted({d for d in descriptions if len(d) >= min_text}):
        # As written, and as the page gate writes it (escaped, personal data scrubbed).
        if any(desc in t or gate.html_text(desc) in t for t in texts):
            problems.append(f"fritext från en anmälan: {desc[:30]}…")
            break
    return problems
