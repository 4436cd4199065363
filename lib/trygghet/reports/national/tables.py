"""The national overview's display table: the batch kommuner outside the police funnel.

The table goes through :func:`~trygghet.present.tables.page_table` with the
events' origin. The small-number rule is not applied to police events: every
event was published by the police, and a kommun is listed only with at least
:data:`~trygghet.reports.national.analysis.MIN_EVENTS` events.
"""

from __future__ import annotations

import pandas as pd

from trygghet import kommuner as kommun_list
from trygghet.present.gate import html_text
from trygghet.present.swedish import fmt_int, fmt_percent
from trygghet.present.tables import page_table
from trygghet.reports.national.analysis import OUTSIDE, Overview, police_placed
from trygghet.reports.national.text import CLASS_LABELS


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
    columns = ["Kommun", "Län", "Händelser", "I löftesgrupperna", "Andel", "95 % KI", "Läge"]
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
            "95 % KI": [
                f"{fmt_percent(a)}–{fmt_percent(b)}"
                for a, b in zip(out["low"], out["high"], strict=True)
            ],
            "Läge": [CLASS_LABELS[p] for p in out["position"]],
        },
        columns=columns,
    )
    return table.reset_index(drop=True)
