"""Swedish formatting for every number, date and list a user reads.

Reports are read by politicians and officials in a kommun's BRÅ, so numbers
follow Swedish typography: a no-break space (U+00A0) between thousands, a
decimal comma, "12 %" with a no-break space before the percent sign, and
dates such as "3 mars 2025". Missing values are shown as an en dash so that
a table never shows "nan".
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable

NBSP = "\u00a0"
MISSING = "–"

MONTHS: tuple[str, ...] = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
MONTHS_SHORT: tuple[str, ...] = (
    "jan",
    "feb",
    "mar",
    "apr",
    "maj",
    "jun",
    "jul",
    "aug",
    "sep",
    "okt",
    "nov",
    "dec",
)
WEEKDAYS: tuple[str, ...] = (
    "måndag",
    "tisdag",
    "onsdag",
    "torsdag",
    "fredag",
    "lördag",
    "söndag",
)
WEEKDAYS_SHORT: tuple[str, ...] = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")


def _is_missing(x: object) -> bool:
    if x is None:
        return True
    try:
        return bool(math.isnan(x))  # type: ignore[arg-type]
    except TypeError:
        # pandas.NA and NaT do not support isnan; they compare as missing here.
        return str(x) in {"<NA>", "NaT"}


def fmt_number(x: float | int | None, decimals: int = 0) -> str:
    """Format a number the Swedish way: ``1234.5`` -> ``"1 234,5"`` (no-break space).

    A negative number gets an ASCII hyphen-minus; a value that rounds to zero
    never shows as ``-0``. Missing values (None, NaN, NA) give ``"–"``.
    """
    if _is_missing(x):
        return MISSING
    value = round(float(x), decimals)  # type: ignore[arg-type]
    if value == 0:
        value = 0.0  # drops the sign of -0.0
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")


def fmt_int(x: float | int | None) -> str:
    """Format a count: ``12345`` -> ``"12 345"``."""
    return fmt_number(x, 0)


def fmt_percent(share: float | None, decimals: int = 0) -> str:
    """Format a share (0–1) as a percentage: ``0.123`` -> ``"12 %"``."""
    if _is_missing(share):
        return MISSING
    return f"{fmt_number(float(share) * 100, decimals)}{NBSP}%"  # type: ignore[arg-type]


def fmt_date(date: _dt.date | _dt.datetime | str) -> str:
    """``2025-03-03`` -> ``"3 mars 2025"`` (accepts date, datetime, Timestamp or ISO text)."""
    if _is_missing(date):
        return MISSING
    if isinstance(date, str):
        date = _dt.date.fromisoformat(date[:10])
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def fmt_month(year: int, month: int) -> str:
    """``(2025, 3)`` -> ``"mars 2025"``."""
    if not 1 <= int(month) <= 12:
        raise ValueError(f"Ogiltig månad: {month!r}")
    return f"{MONTHS[int(month) - 1]} {int(year)}"


def join_list(items: Iterable[object]) -> str:
    """Join with commas and a final "och": ``["a", "b", "c"]`` -> ``"a, b och c"``."""
    parts = [str(i) for i in items]
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return f"{', '.join(parts[:-1])} och {parts[-1]}"


def plural(n: float | int, singular: str, plural: str) -> str:
    """A formatted count with the right noun form: ``"1 händelse"``, ``"3 händelser"``.

    Swedish uses the singular only for exactly one (``"0 händelser"``).
    """
    word = singular if abs(n) == 1 else plural
    return f"{fmt_int(n)} {word}"
