"""Promise 4 as the kommun config's indicator ``victim_contact.on_time_indicator``."""

from __future__ import annotations

import pytest
from victim_contact_cases import share_cases

from trygghet.config import load_config
from trygghet.reports.victim_contact import indicator
from trygghet.stats.proportions import wilson_ci


def test_indicator_function_for_the_config(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from trygghet.stats.status import MET, decide_status

    cases = share_cases(100, 0)
    monkeypatch.setattr(indicator, "load", lambda kommun: cases)
    context = SimpleNamespace(config=load_config("1863"), kommun="1863", period=2025)
    value = indicator.on_time_indicator(context, target_days=7)
    assert (value.value, value.n, value.too_few, value.origin) == (1.0, 100, False, "example")
    assert value.low == pytest.approx(wilson_ci(100, 100)[0])
    assert decide_status(value, 0.9, "higher_is_better")[0] == MET
    context = SimpleNamespace(config=load_config("1863"), kommun="1863", period=2030)
    assert indicator.on_time_indicator(context).too_few
