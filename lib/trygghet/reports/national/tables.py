"""The national overview's display tables: the batch kommuner outside the police funnel,
and each kommun's victim-contact share and crime rate as its own page shows them.

The tables go through :func:`~trygghet.present.tables.page_table` with their
data's origin. The small-number rule is not applied to police events: every
event was published by the police, and a kommun is listed only with at least
:data:`~trygghet.reports.national.analysis.MIN_EVENTS` events. The victim and
crime tables list only kommuner whose record is shown (a suppressed record is
named in the part's sentence, never printed), in the format of
:func:`trygghet.reports.indicators.format_value`, so a number reads the same
here as on the kommun's own page.
"""

from __future__ import annotations

import pandas as pd

from trygghet import kommuner as kommun_list
from trygghet.present.gate import html_text
from trygghet.present.swedish import fmt_int, fmt_percent
from trygghet.present.tables import page_table
from trygghet.reports.national.analysis import OUTSIDE, Overview, part_origin, police_placed
from trygghet.reports.national.text import CLASS_LABELS
from trygghet.stats import rates
from trygghet.stats.status import IndicatorValue


def police_outliers(overview: Overview):
    """For display: the outlier table, or a sentence when no kommun lies outside (or skipped)."""
    from IPython.display import HTML

    table = police_outlier_table(overview)
    if len(table):
        return page_table(table, origin=overview.police_origin)
    if not police_placed(overview):
        return HTML(
            f"<p>{html_text('Ingen kommun kunde placeras i tratten, så det finns ingen lista.')}</p>"
        )
    return HTML(f"<p>{html_text('Ingen kommun i körningen ligger utanför 95 %-gränserna.')}</p>")


def police_outlier_table(overview: Overview) -> pd.DataFrame:
    """The batch kommuner outside the 95 % limits, most extreme share first, in Swedish."""
    shares = overview.police
    columns = [
        "Kommun",
        "Län",
        "Händelser",
        "I löftesgrupperna",
        "Andel",
        "95 % osäkerhetsintervall",
        "Läge",
    ]
    if shares is None:
        return pd.DataFrame(columns=columns)
    out = shares[shares["in_batch"] & shares["position"].isin(OUTSIDE)].copy()
    out["_dev"] = (out["share"] - shares.attrs["centre"]).abs()
    out = out.sort_values(["_dev", "kommun_code"], ascending=[False, True], kind="stable")
    table = pd.DataFrame(
        {
            "Kommun": out["kommun_name"],
            "Län": [kommun_list.lan_name(c) for c in out["lan_code"]],
            "Händelser": [fmt_int(v) for v in out["n_events"]],
            "I löftesgrupperna": [fmt_int(v) for v in out["n_promise"]],
            "Andel": [fmt_percent(v) for v in out["share"]],
            "95 % osäkerhetsintervall": [
                f"{fmt_percent(a)}–{fmt_percent(b)}"
                for a, b in zip(out["low"], out["high"], strict=True)
            ],
            "Läge": [CLASS_LABELS[p] for p in out["position"]],
        },
        columns=columns,
    )
    return table.reset_index(drop=True)


def _shown(value: float, low: float, high: float, unit: str) -> tuple[str, str]:
    """A record's value and interval as every page writes them."""
    from trygghet.reports import indicators

    shown = IndicatorValue(value=value, low=low, high=high)
    return indicators.format_value(value, unit), indicators.interval_text(shown, unit)


def _placed(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["position"].isin([rates.WITHIN, *OUTSIDE])].sort_values("kommun_code")


def victim_table(overview: Overview):
    """Each placed kommun's on-time share, interval and n, from its record; None if skipped."""
    frame = overview.victim
    if frame.empty or "position" not in frame:
        return None
    placed = _placed(frame)
    if placed.empty:
        return None
    shown = [
        _shown(v, lo, hi, frame.attrs["unit"])
        for v, lo, hi in zip(placed["share"], placed["low"], placed["high"], strict=True)
    ]
    table = pd.DataFrame(
        {
            "Kommun": list(placed["kommun_name"]),
            f"Kontaktade inom {frame.attrs['target_days']} dagar": [s[0] for s in shown],
            "95 % osäkerhetsintervall": [s[1] for s in shown],
            "Avgjorda ärenden": [fmt_int(n) for n in placed["n"]],
            "Läge i tratten": [CLASS_LABELS[p] for p in placed["position"]],
        }
    )
    return page_table(table, origin=part_origin(frame))


def crime_table(overview: Overview):
    """Each placed kommun's rate per 100 000, interval, count and population; None if skipped."""
    frame = overview.crime
    if frame.empty or "position" not in frame:
        return None
    placed = _placed(frame)
    if placed.empty:
        return None
    shown = [
        _shown(v, lo, hi, frame.attrs["unit"])
        for v, lo, hi in zip(placed["rate"], placed["low"], placed["high"], strict=True)
    ]
    table = pd.DataFrame(
        {
            "Kommun": list(placed["kommun_name"]),
            "Per 100 000 invånare": [s[0] for s in shown],
            "95 % osäkerhetsintervall": [s[1] for s in shown],
            "Anmälda brott": [fmt_int(k) for k in placed["count"]],
            "Folkmängd": [fmt_int(p) for p in placed["population"]],
            "Läge i tratten": [CLASS_LABELS[p] for p in placed["position"]],
        }
    )
    return page_table(table, origin=part_origin(frame))
