"""The one small-number rule for tables, charts and sentences.

A count of people or cases that is smaller than the rule (the kommun's
``min_count``, or a report's own higher floor such as the survey's
``min_respondents``) is never shown, and never derivable from what is shown.

The rule, as applied by :func:`hidden_mask`:

1. **Primary suppression.** A count ``n`` with ``0 < n < min_count`` is hidden.
   Zero is shown: "none" is not a small group, and "fåtal" would be false.
2. **Complementary suppression.** Where a total (a *margin*) is shown, one
   hidden cell could be computed as the total minus the shown cells
   (327 − 163 − 155 = 9). So within every margin (the whole Series, each row
   and/or each column of a DataFrame) that holds a hidden cell, the smallest
   shown positive cells are hidden as well until **at least two cells are
   hidden and the hidden cells add up to at least** ``min_count`` (or every
   cell of the margin is hidden). Rows and columns are repeated until nothing
   changes, because hiding a cell for its row can expose its column.
3. **Audit.** In a table with row *and* column totals a hidden cell can still be
   pinned down by a chain of sums (a "bridge" between two groups of hidden
   cells). Every hidden cell's smallest and largest possible value given the
   shown cells and totals is computed by linear programming; a cell whose
   value is fixed makes the smallest shown cell of its row or column hidden
   too, until no hidden cell is determined.

The rule protects counts. What a report shows about a hidden cell must follow
it: no share, interval or mean of a primary-hidden group (they rest on too few
and a share times a known total gives the count back), and no sentence that
names its number. A chart draws :data:`TOO_FEW` where the table suppresses,
never a bar or a point.

Words (one set for every report):

* :data:`FEW` ("fåtal") – a count hidden because it is under the rule;
* :data:`HIDDEN` ("visas ej") – a count hidden only so that a small one cannot
  be computed from a total (it may be large: calling it "fåtal" would be false);
* :data:`TOO_FEW` ("för få") – a share, interval or mean resting on too few
  (reports may add the unit: "för få svar", "för få ärenden").

A total that is itself under the rule (every cell of the margin hidden and
still less than ``min_count``) cannot be protected by hiding cells: the caller
must not show that total (see :func:`total_hidden`).
"""

from __future__ import annotations

import math
from typing import Literal, TypeVar

import numpy as np
import pandas as pd

from trygghet.present.swedish import fmt_int, fmt_percent

__all__ = [
    "FEW",
    "FEW_WORDS",
    "HIDDEN",
    "TOO_FEW",
    "count_text",
    "count_words",
    "hidden_mask",
    "primary_mask",
    "share_or_few",
    "shown_share",
    "total_hidden",
]

#: A count under the rule, written instead of the number.
FEW = "fåtal"
#: The same inside running text.
FEW_WORDS = "ett fåtal"
#: A count hidden so that a small count cannot be computed from a shown total.
HIDDEN = "visas ej"
#: A share, interval or mean that rests on too few and is not shown.
TOO_FEW = "för få"

Margins = Literal["rows", "columns", "both", "total"] | None
Counts = TypeVar("Counts", pd.Series, pd.DataFrame)


def _values(counts: pd.Series | pd.DataFrame) -> np.ndarray:
    values = counts.to_numpy(dtype=float, na_value=np.nan)
    return np.nan_to_num(values, nan=0.0)


def primary_mask(counts: Counts, min_count: int) -> Counts:
    """True where ``0 < n < min_count`` (missing counts as zero)."""
    values = _values(counts)
    mask = (values > 0) & (values < min_count)
    if isinstance(counts, pd.Series):
        return pd.Series(mask, index=counts.index, name=counts.name)
    return pd.DataFrame(mask, index=counts.index, columns=counts.columns)


def _protect_line(values: np.ndarray, hidden: np.ndarray, min_count: int) -> bool:
    """Rule 2 on one margin, in place; True if a cell was hidden."""
    if not hidden.any():
        return False
    changed = False
    while hidden.sum() < 2 or values[hidden].sum() < min_count:
        shown = ~hidden
        if not shown.any():
            break
        # The smallest positive shown cell; zeros only when no positive cell is left
        # (hiding a zero adds nothing to the hidden sum).
        positive = shown & (values > 0)
        pool = positive if positive.any() else shown
        candidates = np.flatnonzero(pool)
        pick = candidates[np.argmin(values[candidates])]
        hidden[pick] = True
        changed = True
    return changed


def _determined(values: np.ndarray, hidden: np.ndarray, rows: bool, cols: bool) -> list[tuple]:
    """Hidden cells whose value follows from the shown cells and totals (linear programming)."""
    from scipy.optimize import linprog

    cells = list(zip(*np.nonzero(hidden), strict=True))
    if not cells:
        return []
    position = {cell: k for k, cell in enumerate(cells)}
    equations: list[np.ndarray] = []
    rhs: list[float] = []
    lines: list[list[tuple]] = []
    if rows:
        lines += [[(i, j) for j in range(values.shape[1])] for i in range(values.shape[0])]
    if cols:
        lines += [[(i, j) for i in range(values.shape[0])] for j in range(values.shape[1])]
    for line in lines:
        unknown = [position[c] for c in line if c in position]
        if not unknown:
            continue
        row = np.zeros(len(cells))
        row[unknown] = 1.0
        equations.append(row)
        rhs.append(float(sum(values[c] for c in line if c in position)))
    if not equations:
        return []
    a_eq, b_eq = np.vstack(equations), np.array(rhs)
    fixed = []
    for k, cell in enumerate(cells):
        objective = np.zeros(len(cells))
        objective[k] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        if low.status == 0 and high.status == 0 and (-high.fun) - low.fun < 0.5:
            fixed.append(cell)
    return fixed


def _axes(margins: Margins) -> tuple[bool, bool]:
    if margins is None:
        return False, False
    if margins in ("rows", "columns", "both"):
        return margins in ("rows", "both"), margins in ("columns", "both")
    raise ValueError(f"margins must be 'rows', 'columns', 'both' or None, got {margins!r}")


def hidden_mask(counts: Counts, min_count: int, *, margins: Margins = "total") -> Counts:
    """Which cells to hide: primary and complementary suppression (rule in the module doc).

    ``counts`` is a Series (``margins="total"``: its total is shown; ``None``:
    no total is shown) or a DataFrame (``"rows"``: each row's total is shown,
    ``"columns"``: each column's total, ``"both"`` (also what ``"total"``
    means for a DataFrame), or ``None``). Returns a boolean object of the same
    shape: True = do not show.
    """
    if int(min_count) < 1:
        raise ValueError(f"min_count must be at least 1, got {min_count!r}")
    primary = primary_mask(counts, min_count)
    if isinstance(counts, pd.Series):
        values, hidden = _values(counts), primary.to_numpy().copy()
        if margins is not None:
            if margins not in ("total", "rows", "columns", "both"):
                raise ValueError(f"margins must be 'total' or None for a Series, got {margins!r}")
            _protect_line(values, hidden, min_count)
        return pd.Series(hidden, index=counts.index, name=counts.name)
    values, hidden = _values(counts), primary.to_numpy().copy()
    rows, cols = _axes("both" if margins == "total" else margins)
    while True:
        changed = False
        while True:
            step = False
            if rows:
                for i in range(values.shape[0]):
                    step |= _protect_line(values[i], hidden[i], min_count)
            if cols:
                for j in range(values.shape[1]):
                    step |= _protect_line(values[:, j], hidden[:, j], min_count)
            if not step:
                break
            changed = True
        if rows and cols:
            for i, j in _determined(values, hidden, rows, cols):
                changed |= _hide_next_to(values, hidden, i, j)
        if not changed:
            break
    return pd.DataFrame(hidden, index=counts.index, columns=counts.columns)


def _hide_next_to(values: np.ndarray, hidden: np.ndarray, i: int, j: int) -> bool:
    """Hide the smallest shown positive cell in row ``i`` or column ``j`` (whichever is smaller)."""
    options = [(values[i, k], i, k) for k in range(values.shape[1]) if not hidden[i, k]]
    options += [(values[k, j], k, j) for k in range(values.shape[0]) if not hidden[k, j]]
    positive = [o for o in options if o[0] > 0] or options
    if not positive:
        return False
    _, a, b = min(positive)
    hidden[a, b] = True
    return True


def total_hidden(counts: pd.Series, hidden: pd.Series, min_count: int) -> bool:
    """Whether a Series' total must not be shown: it is itself under the rule."""
    total = float(_values(counts).sum())
    return bool(hidden.any()) and 0 < total < min_count


# --------------------------------------------------------------------------- words


def count_text(n: float | int | None, hidden: bool, min_count: int) -> str:
    """A count for a table: ``"fåtal"`` (under the rule), ``"visas ej"`` (hidden for a total) or ``"1 234"``."""
    if not hidden:
        return fmt_int(n)
    value = 0.0 if n is None or (isinstance(n, float) and math.isnan(n)) else float(n)
    return FEW if 0 < value < min_count else HIDDEN


def count_words(n: float | int | None, hidden: bool, min_count: int) -> str | None:
    """A count inside a sentence: ``"ett fåtal"`` or the number; None when it must not be said.

    A cell hidden only for a total has no honest short word (it may be large),
    so the sentence must be written without it.
    """
    text = count_text(n, hidden, min_count)
    if text == FEW:
        return FEW_WORDS
    if text == HIDDEN:
        return None
    return text


def shown_share(share: float, n: float | int, min_n: int, *, hidden: bool = False) -> float:
    """``share`` if it may be drawn (``n >= min_n`` and not hidden), else NaN (for charts)."""
    if hidden or n is None or (isinstance(n, float) and math.isnan(n)) or n < min_n:
        return math.nan
    return float(share)


def share_or_few(
    share: float,
    n: float | int,
    min_n: int,
    *,
    hidden: bool = False,
    text: str = TOO_FEW,
    decimals: int = 0,
) -> str:
    """A share for a table: ``"12 %"``, or ``text`` ("för få") when it rests on too few."""
    value = shown_share(share, n, min_n, hidden=hidden)
    return text if math.isnan(value) else fmt_percent(value, decimals)
