"""The funnel's position codes and the exact rate interval are one method.

The crime report's sentences say "higher" or "lower" from
:func:`trygghet.stats.rates.funnel_position` and draw the kommun's exact
(Garwood) interval beside the group's level. They can only agree if
``above_<L>``/``below_<L>`` happen exactly when the target rate lies below /
above the unit's exact ``L`` interval. Checked here over a dense grid, at both
funnel levels, against scipy's chi-square quantiles computed independently.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sps

from trygghet.stats import rates

POP = 10_000.0


def _garwood(count: int, level: float) -> tuple[float, float]:
    """The exact interval of a Poisson count, per 100 000 (independent of the module)."""
    a = 1 - level
    low = 0.0 if count == 0 else sps.chi2.ppf(a / 2, 2 * count) / 2
    high = sps.chi2.ppf(1 - a / 2, 2 * count + 2) / 2
    return low / POP * 1e5, high / POP * 1e5


@pytest.mark.parametrize("count", [0, 1, 2, 4, 5, 9, 10, 17, 30, 55, 120])
def test_position_is_the_target_outside_the_exact_interval(count):
    checked = 0
    for target in np.geomspace(1.0, 5_000.0, 400):
        code = rates.funnel_position(count, POP, float(target))
        for level, inner_codes in ((0.95, ("95", "998")), (0.998, ("998",))):
            low, high = _garwood(count, level)
            if min(abs(target - low), abs(target - high)) < 1e-9 * max(target, 1.0):
                continue  # on the boundary itself: either answer is right
            above = any(code == f"above_{c}" for c in inner_codes)
            below = any(code == f"below_{c}" for c in inner_codes)
            assert above == (target < low), (count, target, level, code)
            assert below == (target > high), (count, target, level, code)
            checked += 1
    assert checked > 700
