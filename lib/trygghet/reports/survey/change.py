"""Change between two survey rounds: tests, verdicts and the ranked comparison.

* **Change since the previous round.** Headline shares are compared with the
  pooled z-test (score test) on the Kish effective sample sizes
  (``x = share * n_eff`` of ``n_eff`` per round), and the interval of the
  difference is the **score interval that inverts that same test** (Mee 1984:
  every difference the score test does not reject; at a difference of 0 the
  score test is exactly the pooled z-test), see :func:`score_difference`.
  Index means are compared with a Welch t-test on the Kish standard errors and
  its t-interval (one method). The verdict at the 95 % level is read off the
  interval that is shown: "förbättring" or "försämring" when it excludes 0,
  otherwise "ingen säker förändring", so no verdict ever stands beside an
  interval that contradicts it; when either round has fewer than
  ``min_respondents`` substantive answers it is "för få svar för att säga". With 18 questions about one in twenty unchanged questions
  will look "säker" by chance, so the Benjamini–Hochberg q-value is reported
  beside the p-value and the narrative says how many changes survive it.
  Which way is better follows :func:`~trygghet.reports.survey.questions.higher_is_better`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats

from trygghet.reports.survey.analysis import (
    LEVEL,
    Settings,
    by_question,
    headline_estimate,
    in_round,
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


@dataclass(frozen=True, slots=True)
class ShareDifference:
    """``p1 - p2`` with the score test's p-value and the score interval that inverts it."""

    difference: float
    low: float
    high: float
    p_value: float
    z: float


def _restricted_mle(
    p1: float, n1: float, p2: float, n2: float, delta: float
) -> tuple[float, float]:
    """The binomial MLE of ``(pi1, pi2)`` under ``pi1 - pi2 = delta`` (Miettinen–Nurminen).

    Closed form: the root of the likelihood equation's cubic (Farrington &
    Manning 1990, eq. 4); at ``delta = 0`` it is the pooled share. Counts may be
    fractional (Kish effective sizes). Clipped to the feasible segment.
    """
    if delta == 0:
        pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
        return pooled, pooled
    theta = n2 / n1
    a = 1 + theta
    b = -(1 + theta + p1 + theta * p2 + delta * (theta + 2))
    c = delta * delta + delta * (2 * p1 + theta + 1) + p1 + theta * p2
    d = -p1 * delta * (1 + delta)
    v = b**3 / (27 * a**3) - b * c / (6 * a * a) + d / (2 * a)
    u_sq = b * b / (9 * a * a) - c / (3 * a)
    u = math.copysign(math.sqrt(max(u_sq, 0.0)), v)
    if u == 0:
        pi1 = -b / (3 * a)
    else:
        w = (math.pi + math.acos(max(-1.0, min(1.0, v / u**3)))) / 3
        pi1 = 2 * u * math.cos(w) - b / (3 * a)
    pi1 = min(max(pi1, max(0.0, delta)), min(1.0, 1.0 + delta))
    return pi1, pi1 - delta


#: The score statistic where its variance is 0 (a share of 0 or 1 at the limit): finite, so
#: that root-finding can use it, and far beyond any normal quantile.
_Z_CAP = 1e12


def _score_z(p1: float, n1: float, p2: float, n2: float, delta: float) -> float:
    """Score statistic of ``pi1 - pi2 = delta`` (Mee 1984: no n/(n-1) factor)."""
    pi1, pi2 = _restricted_mle(p1, n1, p2, n2, delta)
    var = pi1 * (1 - pi1) / n1 + pi2 * (1 - pi2) / n2
    excess = p1 - p2 - delta
    if var <= 0:
        return 0.0 if excess == 0 else math.copysign(_Z_CAP, excess)
    return excess / math.sqrt(var)


def score_difference(
    p1: float, n1: float, p2: float, n2: float, level: float = LEVEL
) -> ShareDifference:
    """Difference of two shares with the score test and the interval that inverts it.

    Method: the p-value is the score test of ``pi1 = pi2``, which is the pooled
    two-proportion z-test (Pearson chi-square without continuity correction);
    the interval is every ``delta`` whose score statistic
    ``(p1 - p2 - delta) / sqrt(v(delta))`` is within the normal quantile, with
    ``v`` from the restricted MLE under ``pi1 - pi2 = delta`` (Mee 1984; the
    Miettinen–Nurminen interval without its ``N/(N-1)`` factor). Because the
    interval inverts the test, ``p < 1 - level`` exactly when 0 is outside it;
    the limit nearest 0 is bracketed with 0 itself so that rounding cannot put
    it on the wrong side. Sizes may be fractional (Kish effective sizes).

    References: Mee R.W. (1984), Biometrics 40:1175–1176; Miettinen O.,
    Nurminen M. (1985), Stat Med 4:213–226; Farrington C.P., Manning G. (1990),
    Stat Med 9:1447–1454.
    """
    if not (n1 > 0 and n2 > 0):
        raise ValueError("both groups need a positive (effective) size")
    diff = p1 - p2
    crit = float(stats.norm.ppf(1 - (1 - level) / 2))
    z0 = _score_z(p1, n1, p2, n2, 0.0)
    p_value = float(2 * stats.norm.sf(abs(z0)))
    changed = abs(z0) > crit

    def outside(delta: float, side: float) -> float:
        """Positive outside the interval on ``side`` (-1 low, +1 high), negative inside."""
        return -side * _score_z(p1, n1, p2, n2, delta) - crit

    def limit(side: float) -> float:
        end = side * 1.0
        if outside(end, side) <= 0:  # the interval reaches the end of [-1, 1]
            return end
        toward_zero = diff != 0 and (diff > 0) == (side < 0)
        if toward_zero and changed:  # 0 is outside, the estimate inside
            a, b = sorted((0.0, diff))
        elif toward_zero:  # 0 is inside
            a, b = sorted((0.0, end))
        else:
            a, b = sorted((diff, end))
        return float(optimize.brentq(outside, a, b, args=(side,), xtol=1e-13))

    low, high = limit(-1.0), limit(1.0)
    if changed and diff > 0 and low <= 0:  # floating-point guard
        low = float(np.nextafter(0.0, 1.0))
    if changed and diff < 0 and high >= 0:
        high = float(np.nextafter(0.0, -1.0))
    return ShareDifference(diff, low, high, p_value, z0)


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


def interval_verdict(
    difference: float,
    low: float,
    high: float,
    better_when_higher: bool,
    enough: bool = True,
) -> str:
    """The verdict read off the interval that is shown beside it.

    "förbättring"/"försämring" when the interval excludes 0 (the direction of
    ``difference`` and ``better_when_higher`` decide which), "ingen säker
    förändring" when it contains 0, "för få svar för att säga" when there are
    too few answers or no interval.
    """
    if not enough or not (np.isfinite(low) and np.isfinite(high)):
        return TOO_FEW
    if low <= 0 <= high or difference == 0:
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
    cur_parts, prev_parts = by_question(cur), by_question(prev)
    for q in QUESTIONS:
        in_cur, in_prev = q.id in cur_parts, q.id in prev_parts
        if not (in_cur or in_prev):
            continue
        row: dict[str, object] = {"question_id": q.id, "label": label(q.id)}
        better = higher_is_better(q.id)
        if not (in_cur and in_prev):
            row.update(verdict=NOT_ASKED, index_verdict=NOT_ASKED)
            rows.append(row)
            continue
        a_part, b_part = cur_parts[q.id], prev_parts[q.id]
        a, b = headline_estimate(a_part, settings.level), headline_estimate(b_part, settings.level)
        enough = min(a.n, b.n) >= settings.min_respondents
        if a.n_eff > 0 and b.n_eff > 0:
            test = score_difference(a.share, a.n_eff, b.share, b.n_eff, settings.level)
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
            verdict=interval_verdict(diff, low, high, better, enough),
            improvement=diff if better else -diff,
        )
        if has_index(q.id):
            ia = index_estimate(a_part, q.id, settings.level)
            ib = index_estimate(b_part, q.id, settings.level)
            row.update(_index_change(ia, ib, settings))
        rows.append(row)
    total_a = total_index_estimate(cur, settings.level)
    total_b = total_index_estimate(prev, settings.level)
    if total_a.n and total_b.n:
        row = {"question_id": TOTAL_INDEX_ID, "label": TOTAL_INDEX_LABEL, "verdict": ""}
        row.update(_index_change(total_a, total_b, settings))
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


def _index_change(a: MeanEstimate, b: MeanEstimate, settings: Settings) -> dict:
    """The index's change: Welch t-test and its t-interval; the index is 0 = best, 6 = worst."""
    test = mean_difference_test(a, b, settings.level)
    enough = min(a.n, b.n) >= settings.min_respondents
    return {
        "index_prev": b.mean,
        "index_cur": a.mean,
        "index_diff": test.difference,
        "index_diff_low": test.low,
        "index_diff_high": test.high,
        "index_p": test.p_value,
        "index_verdict": interval_verdict(test.difference, test.low, test.high, False, enough),
    }
