"""The decision page: what works, what does not and what to decide, per promise, from the records."""

from __future__ import annotations

from trygghet.config import Indicator, Promise
from trygghet.reports import followup
from trygghet.stats.status import CANT_SAY, MET, NOT_MET, IndicatorValue

PLANTED = "<script>window.__planted = 1;</script>"


def _result(ind_id, status, reason="", target=0.8, **value):
    ind = Indicator(id=ind_id, name=f"Indikator {ind_id}", function="promise_indicators.x",
                    unit="andel", target=target, direction="higher_is_better")  # fmt: skip
    v = IndicatorValue(**({"value": 0.5, "text": "50 %"} | value))
    return followup.IndicatorResult("1", ind, v, status, reason, "other")


def _promise(*results):
    pr = followup.PromiseResult(Promise(id="1", title=f"Löfte {PLANTED}", text="t"))
    pr.indicators.extend(results)
    return pr


def test_each_promise_says_what_works_what_not_and_what_to_decide():
    pr = _promise(
        _result("a", MET),
        _result("b", NOT_MET),
        _result("c", CANT_SAY, "för få uppgifter för att bedöma", too_few=True, n=3),
        _result(
            "d",
            CANT_SAY,
            "rapporten Anmälda brott (02) misslyckades i den här körningen (x)",
            value=None,
        ),  # fmt: skip
        _result("e", NOT_MET, target=None),
    )
    (d,) = followup.decisions([pr], min_count=5)
    assert [r.indicator.id for r in d.works] == ["a"]
    assert [r.indicator.id for r in d.fails] == ["b", "e"]
    questions = d.questions()
    assert questions[0] == "Vilken åtgärd beslutar rådet för att nå målet för ”Indikator b”?"
    assert "vända utvecklingen för ”Indikator e”" in questions[1]
    assert "”Indikator c” behövs minst 5 fall under perioden (nu 3)" in questions[2]
    assert "körs om utan fel för perioden" in questions[3]
    page = followup.decision_html([pr], 5)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "✔ Indikator a (50 %)" in page and "✘ Indikator b (50 %)" in page
    assert 'id="att-besluta"' in page


def test_what_an_indicator_needs_follows_why_it_cannot_be_assessed():
    level = _result("l", CANT_SAY, "inget mål angivet", target=None)
    level = followup.IndicatorResult(
        "1", level.indicator.model_copy(update={"direction": "level"}), level.value, CANT_SAY,
        "inget mål angivet", "other",
    )  # fmt: skip
    assert followup.needed(level, 5) == "en målnivå i kommunens konfiguration"
    wide = _result("w", CANT_SAY, "osäkerhetsintervallet rymmer målet", low=0.3, high=0.9)
    assert "smalare" in followup.needed(wide, 5)
    assert followup.decisions([_promise(_result("a", MET))], 5)[0].questions() == [
        "Alla indikatorer är uppfyllda eller på väg: ska målen skärpas?"
    ]
