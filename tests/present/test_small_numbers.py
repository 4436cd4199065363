"""The small-number rule: primary and complementary suppression, and its words."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from trygghet.present import small_numbers as sn


def _feasible_values(values: np.ndarray, hidden: np.ndarray, rows: bool, cols: bool) -> dict:
    """Brute force: every value each hidden cell can take given the shown cells and totals.

    The reader knows every shown cell and every shown total (row totals,
    column totals); hidden cells are non-negative integers. Depth-first over
    the hidden cells, each bounded by what is left of its row's and column's
    total. Returns ``{cell: set of possible values}``.
    """
    cells = list(zip(*np.nonzero(hidden), strict=True))
    shown = np.where(hidden, 0, values)
    grand = int(values.sum())
    row_left = (values.sum(axis=1) - shown.sum(axis=1)) if rows else np.full(values.shape[0], grand)
    col_left = (values.sum(axis=0) - shown.sum(axis=0)) if cols else np.full(values.shape[1], grand)
    possible: dict = {c: set() for c in cells}
    guess: list[int] = []

    def search(k: int) -> None:
        if k == len(cells):
            if (not rows or not row_left.any()) and (not cols or not col_left.any()):
                for c, v in zip(cells, guess, strict=True):
                    possible[c].add(v)
            return
        i, j = cells[k]
        for v in range(int(min(row_left[i], col_left[j])) + 1):
            row_left[i] -= v
            col_left[j] -= v
            guess.append(v)
            search(k + 1)
            guess.pop()
            row_left[i] += v
            col_left[j] += v

    search(0)
    return possible


def _assert_not_derivable(frame: pd.DataFrame, mask: pd.DataFrame, margins: str) -> None:
    rows, cols = margins in ("rows", "both"), margins in ("columns", "both")
    values = frame.to_numpy(dtype=int)
    possible = _feasible_values(values, mask.to_numpy(), rows, cols)
    for cell, options in possible.items():
        assert len(options) >= 2, f"cell {cell} = {values[cell]} is derivable: {options}"


# --------------------------------------------------------------------------- Series


def test_series_primary_and_complementary():
    # 327 − 163 − 155 = 9: hiding only the 9 would not hide it.
    counts = pd.Series({"kvinna": 163, "man": 155, "annat": 9})
    mask = sn.hidden_mask(counts, 30)
    assert mask.to_dict() == {"kvinna": False, "man": True, "annat": True}


def test_series_without_total_needs_no_complement():
    counts = pd.Series({"kvinna": 163, "man": 155, "annat": 9})
    assert sn.hidden_mask(counts, 30, margins=None).tolist() == [False, False, True]


def test_series_keeps_hiding_until_sum_reaches_rule():
    # Two small cells hidden together still add to 4 < 5: a third is needed.
    counts = pd.Series([1, 3, 50, 40])
    mask = sn.hidden_mask(counts, 5)
    assert mask.tolist() == [True, True, False, True]


def test_zero_is_shown_and_not_used_as_complement():
    counts = pd.Series([0, 2, 40, 60])
    mask = sn.hidden_mask(counts, 5)
    assert mask.tolist() == [False, True, True, False]


def test_nothing_hidden_when_nothing_small():
    counts = pd.Series([5, 0, 12])
    assert not sn.hidden_mask(counts, 5).any()


def test_total_under_rule_is_flagged():
    counts = pd.Series([2, 1, 0])
    mask = sn.hidden_mask(counts, 5)
    assert mask.sum() >= 2
    assert sn.total_hidden(counts, mask, 5)
    assert not sn.total_hidden(pd.Series([2, 40]), sn.hidden_mask(pd.Series([2, 40]), 5), 5)


@pytest.mark.parametrize("seed", range(30))
def test_series_hidden_cell_never_derivable(seed):
    rng = np.random.default_rng(seed)
    counts = pd.Series(rng.choice([0, 1, 2, 3, 4, 6, 9, 15], size=4))
    mask = sn.hidden_mask(counts, 5)
    frame = counts.to_frame().T
    if mask.any() and counts.sum() >= 5:
        _assert_not_derivable(frame, mask.to_frame().T, "rows")


# --------------------------------------------------------------------------- DataFrame


def test_frame_rows_and_columns_both_protected():
    frame = pd.DataFrame([[2, 20, 30], [25, 30, 40], [18, 22, 35]])
    mask = sn.hidden_mask(frame, 5, margins="both")
    hidden = mask.to_numpy()
    assert hidden[0, 0]
    # Every row and every column with a hidden cell has at least two.
    for line in list(hidden) + list(hidden.T):
        assert line.sum() == 0 or line.sum() >= 2
    _assert_not_derivable(frame, mask, "both")


def test_frame_columns_only_protects_within_columns():
    frame = pd.DataFrame({"a": [2, 20, 30], "b": [25, 30, 40]})
    mask = sn.hidden_mask(frame, 5, margins="columns")
    assert mask["a"].tolist() == [True, True, False]
    assert not mask["b"].any()


def test_frame_rows_only():
    frame = pd.DataFrame({"a": [2, 20], "b": [25, 30], "c": [9, 8]})
    mask = sn.hidden_mask(frame, 5, margins="rows")
    assert mask.iloc[0].tolist() == [True, False, True]
    assert not mask.iloc[1].any()


def _determined_by_algebra(values: np.ndarray, hidden: np.ndarray) -> list[tuple]:
    """Hidden cells fixed by the row and column totals, by linear algebra (independent check).

    A hidden cell is fixed when every solution of "hidden cells of a line add
    up to the line's total minus its shown cells" has the same value there,
    i.e. when the null space of the equations is zero in that coordinate.
    """
    cells = list(zip(*np.nonzero(hidden), strict=True))
    n_rows, n_cols = values.shape
    equations = []
    for i in range(n_rows):
        equations.append([1.0 if c[0] == i else 0.0 for c in cells])
    for j in range(n_cols):
        equations.append([1.0 if c[1] == j else 0.0 for c in cells])
    a = np.array(equations)
    _, s, vt = np.linalg.svd(a)
    rank = int((s > 1e-9).sum())
    null = vt[rank:]
    return [c for k, c in enumerate(cells) if null.size == 0 or np.allclose(null[:, k], 0)]


@pytest.mark.parametrize("seed", range(25))
def test_no_hidden_cell_fixed_in_larger_tables(seed):
    """5×5 tables with many small cells, where chains of sums ("bridges") can occur."""
    rng = np.random.default_rng(1000 + seed)
    values = rng.choice([1, 2, 9, 12, 40], size=(5, 5), p=[0.15, 0.1, 0.25, 0.2, 0.3])
    mask = sn.hidden_mask(pd.DataFrame(values), 5, margins="both").to_numpy()
    assert _determined_by_algebra(values, mask) == []


def test_audit_is_needed_for_bridges(monkeypatch):
    """Without the linear-programming audit, some of those tables leave a hidden cell fixed."""
    monkeypatch.setattr(sn, "_determined", lambda *args: [])
    fixed_somewhere = False
    for seed in range(25):
        rng = np.random.default_rng(1000 + seed)
        values = rng.choice([1, 2, 9, 12, 40], size=(5, 5), p=[0.15, 0.1, 0.25, 0.2, 0.3])
        mask = sn.hidden_mask(pd.DataFrame(values), 5, margins="both").to_numpy()
        fixed_somewhere |= bool(_determined_by_algebra(values, mask))
    assert fixed_somewhere


@pytest.mark.parametrize("seed", range(25))
def test_frame_hidden_cell_never_derivable(seed):
    """Random 3×3 tables with small cells: no hidden cell is fixed by the shown cells and totals."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.choice([0, 1, 2, 3, 6, 8], size=(3, 3)))
    mask = sn.hidden_mask(frame, 5, margins="both")
    assert mask.to_numpy()[(frame.to_numpy() > 0) & (frame.to_numpy() < 5)].all()
    if mask.to_numpy().sum() <= 6:
        _assert_not_derivable(frame, mask, "both")


def test_brute_force_check_would_catch_primary_only():
    """The derivability check itself can fail: primary suppression alone is caught."""
    frame = pd.DataFrame([[2, 20, 30], [25, 30, 40]])
    primary = sn.primary_mask(frame, 5)
    with pytest.raises(AssertionError, match="derivable"):
        _assert_not_derivable(frame, primary, "both")


def test_rejects_bad_arguments():
    with pytest.raises(ValueError, match="min_count"):
        sn.hidden_mask(pd.Series([1, 2]), 0)
    with pytest.raises(ValueError, match="margins"):
        sn.hidden_mask(pd.DataFrame([[1, 2]]), 5, margins="diagonal")


# --------------------------------------------------------------------------- words


def test_count_text():
    assert sn.count_text(3, True, 5) == sn.FEW == "fåtal"
    assert sn.count_text(155, True, 30) == sn.HIDDEN
    assert sn.count_text(1234, False, 5) == "1\u00a0234"
    assert sn.count_text(0, False, 5) == "0"


def test_count_words():
    assert sn.count_words(3, True, 5) == "ett fåtal"
    assert sn.count_words(155, True, 30) is None
    assert sn.count_words(12, False, 5) == "12"


def test_share_or_few():
    assert sn.share_or_few(0.6, 5, 10) == sn.TOO_FEW
    assert sn.share_or_few(0.6, 10, 10) == "60\u00a0%"
    assert sn.share_or_few(0.6, 50, 10, hidden=True, text="för få svar") == "för få svar"
    assert math.isnan(sn.shown_share(0.6, 3, 5))
    assert sn.shown_share(0.6, 5, 5) == 0.6
