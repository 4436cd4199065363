"""Change between two survey rounds: tests, verdicts and the ranked comparison.

* **Change since the previous round.** Headline shares are compared with
  :func:`trygghet.stats.proportions.weighted_two_proportion_test` (pooled z-test on
  the effective sample sizes, Newcombe interval), index means with a Welch
  t-test on the Kish standard errors. The verdict at the 95 % level is
  "förbättring", "försämring" or "ingen säker förändring"; when either round
  has fewer than ``min_respondents`` substantive answers it is "för få svar
  för att säga". With 18 questions about one in twenty unchanged questions
  will look "säker" by chance, so the Benjamini–Hochberg q-value is reported
  beside the p-value and the narrative says how many changes survive it.
  Which way is better follows :func:`~trygghet.reports.survey.questions.higher_is_better`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from trygghet.reports.survey.analysis import (
    LEVEL,
    Settings,
    headline_estimate,
    in_round,
    substantive,
    weights_of,
)
from trygghet.reports.survey.index import MeanEstimate, index_estimate, total_index_estimate
from trygghet.reports.survey.questions import (
    TOTAL_INDEX_ID,
    TOTAL_INDEX_LABEL,
    has_index,
    higher_is_better,
    label,
)
from trygghet.sources import processed
from trygghet.sources.survey import QUESTIONS
from trygghet.stats.proportions import weighted_two_proportion_test

IMPROVED = "förbättring"
WORSENED = "försämring"
NO_CHANGE = "ingen säker förändring"
TOO_FEW = "för få svar för att säga"
NOT_ASKED = "frågan ställdes inte båda omgångarna"
VERDICTS: tuple[str, ...] = (IMPROVED, WORSENED, NO_CHANGE, TOO_FEW, NOT_ASKED)


@dataclass(frozen=True, slots=True)
class MeanDifference:
    difference: float
    low: float
    high: float
    p_value: float


def mean_difference_test(a: MeanEstimate, b: MeanEstimate, level: float = LEVEL) -> MeanDifference:
    """Welch t-test of ``a.mean - b.mean`` using the Kish standard errors.

    Degrees of freedom by Welch–Satterthwaite with ``n_eff - 1`` per group.
    Assumes two independent samples (different respondents in each round).
    """
    if not (np.isfinite(a.se) and np.isfinite(b.se)):
        return MeanDifference(a.mean - b.mean, np.nan, np.nan, np.nan)
    diff = a.mean - b.mean
    va, vb = a.se**2, b.se**2
    se = math.sqrt(va + vb)
    if se == 0:
        return MeanDifference(diff, diff, diff, 1.0 if diff == 0 else 0.0)
    df = (va + vb) ** 2 / (va**2 / (a.n_eff - 1) + vb**2 / (b.n_eff - 1))
    t = float(stats.t.ppf(1 - (1 - level) / 2, df))
    p = float(2 * stats.t.sf(abs(diff) / se, df))
    return MeanDifference(diff, diff - t * se, diff + t * se, p)


def alpha(level: float) -> float:
    """``1 - level`` without float noise (1 - 0.95 is 0.050000000000000044)."""
    return round(1.0 - level, 10)


def verdict(
    difference: float,
    p_value: float,
    better_when_higher: bool,
    enough: bool = True,
    level: float = LEVEL,
) -> str:
    """ "förbättring", "försämring", "ingen säker förändring" or "för få svar för att säga"."""
    if not enough or not np.isfinite(p_value):
        return TOO_FEW
    if p_value >= alpha(level) or difference == 0:
        return NO_CHANGE
    return IMPROVED if (difference > 0) == better_when_higher else WORSENED


def compare_rounds(
    survey: pd.DataFrame, current: int, previous: int, settings: Settings | None = None
) -> pd.DataFrame:
    """Change of every question's headline share (and index) between two rounds, ranked.

    Columns: ``question_id, label, share_prev, share_cur, diff, diff_low,
    diff_high, p_value, q_value, verdict, significant, index_prev, index_cur,
    index_diff, index_p, index_verdict, improvement, rank``. ``diff`` is in
    share units (0.05 = 5 percentage points); ``improvement`` is ``diff``
    turned so that positive is better. Rows are sorted by ``improvement``,
    most improved first; ``significant`` marks verdicts förbättring/försämring.
    The last row is the total problem index (no share, index only).
    """
    settings = settings or Settings()
    cur, prev = in_round(survey, current), in_round(survey, previous)
    rows = []
    for q in QUESTIONS:
        in_cur, in_prev = q.id in set(cur["question_id"]), q.id in set(prev["question_id"])
        if not (in_cur or in_prev):
            continue
        row: dict[str, object] = {"question_id": q.id, "label": label(q.id)}
        better = higher_is_better(q.id)
        if not (in_cur and in_prev):
            row.update(verdict=NOT_ASKED, index_verdict=NOT_ASKED)
            rows.append(row)
            continue
        a_part, b_part = cur[cur["question_id"] == q.id], prev[prev["question_id"] == q.id]
        a, b = headline_estimate(a_part, settings.level), headline_estimate(b_part, settings.level)
        enough = min(a.n, b.n) >= settings.min_respondents
        if a.n_eff > 0 and b.n_eff > 0:
            va, vb = substantive(a_part), substantive(b_part)
            test = weighted_two_proportion_test(
                va["in_headline"].to_numpy(dtype=float, na_value=np.nan),
                weights_of(va),
                vb["in_headline"].to_numpy(dtype=float, na_value=np.nan),
                weights_of(vb),
                settings.level,
            )
            diff, low, high, p = test.difference, test.low, test.high, test.p_value
        else:
            diff = low = high = p = np.nan
        row.update(
            share_prev=b.share,
            share_cur=a.share,
            n_prev=b.n,
            n_cur=a.n,
            diff=diff,
            diff_low=low,
            diff_high=high,
            p_value=p,
            verdict=verdict(diff, p, better, enough, settings.level),
            improvement=diff if better else -diff,
        )
        if has_index(q.id):
            ia = index_estimate(a_part, q.id, settings.level)
            ib = index_estimate(b_part, q.id, settings.level)
            row.update(_index_change(ia, ib, better, settings))
        rows.append(row)
    total_a = total_index_estimate(cur, settings.level)
    total_b = total_index_estimate(prev, settings.level)
    if total_a.n and total_b.n:
        row = {"question_id": TOTAL_INDEX_ID, "label": TOTAL_INDEX_LABEL, "verdict": ""}
        row.update(_index_change(total_a, total_b, False, settings))
        rows.append(row)
    table = pd.DataFrame(rows)
    for column in ("share_prev", "share_cur", "diff", "p_value", "improvement", "index_diff"):
        if column not in table:
            table[column] = np.nan
    tested = table["p_value"].to_numpy(dtype=float)
    table["q_value"] = _bh_q_values(tested)
    table["significant"] = table["verdict"].isin([IMPROVED, WORSENED])
    is_total = table["question_id"] == TOTAL_INDEX_ID
    items = table[~is_total].sort_values("improvement", ascending=False, na_position="last")
    table = pd.concat([items, table[is_total]], ignore_index=True)
    table["rank"] = pd.array(
        [i + 1 if not t else pd.NA for i, t in enumerate(table["question_id"] == TOTAL_INDEX_ID)],
        dtype="Int64",
    )
    table.attrs["origin"] = processed.origin(survey)
    table.attrs["min_respondents"] = settings.min_respondents
    return table


def changes_for(
    survey: pd.DataFrame,
    current: int | None,
    previous: int | None,
    settings: Settings | None = None,
) -> pd.DataFrame | None:
    """:func:`compare_rounds`, or None when there is no previous round to compare with."""
    if current is None or previous is None:
        return None
    return compare_rounds(survey, current, previous, settings)


def _bh_q_values(p_values: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values); NaN p-values stay NaN and are not counted.

    Same procedure as :func:`trygghet.stats.hotspots.fdr_bh`, via statsmodels, so that
    this module does not import the spatial stack (esda/libpysal).
    """
    from statsmodels.stats.multitest import multipletests

    q = np.full(p_values.shape, np.nan)
    ok = ~np.isnan(p_values)
    if ok.any():
        q[ok] = multipletests(p_values[ok], method="fdr_bh")[1]
    return q


def _index_change(a: MeanEstimate, b: MeanEstimate, better: bool, settings: Settings) -> dict:
    test = mean_difference_test(a, b, settings.level)
    enough = min(a.n, b.n) >= settings.min_respondents
    return {
        "index_prev": b.mean,
        "index_cur": a.mean,
        "index_diff": test.difference,
        "index_diff_low": test.low,
        "index_diff_high": test.high,
        "index_p": test.p_value,
        "index_verdict": verdict(test.difference, test.p_value, better, enough, settings.level),
    }
