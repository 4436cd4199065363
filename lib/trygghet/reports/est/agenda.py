"""The agenda: the three things to discuss first, and the sentences that name them.

Candidates (:class:`Point`) are elevated counts (in tertial mode: clear
increases), recurring places without a measure and overdue measures;
:func:`three_things` lets the kinds take turns. The sentence choice is pinned
by tests. Shown large at the top of the lägesbild (:func:`three_things_html`),
readable on a projector at the meeting.

Names from the data (places, measure ids, responsible parties) are scrubbed
in the sentences (:func:`trygghet.present.gate.clean_text`) and escaped on
the page (:func:`trygghet.present.gate.html_text`); counts of reports under
the kommun's ``min_count`` are said as "fåtal" (:func:`count_words`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from trygghet.present import small_numbers
from trygghet.present.gate import clean_text, html_text
from trygghet.present.style import EXAMPLE_CAPTION, is_example
from trygghet.present.swedish import fmt_int, plural
from trygghet.reports.est.repeats import REPEAT_WINDOW
from trygghet.reports.est.verdicts import VERY_UNUSUAL_HIGH
from trygghet.reports.est.weeks import week_name

if TYPE_CHECKING:
    from trygghet.reports.est.analysis import Picture


def capital(text: str) -> str:
    """``text`` with its first letter upper case (category names are lower case)."""
    return text[:1].upper() + text[1:]


def is_few(count: object, min_count: int) -> bool:
    """Whether a count shown on its own is hidden by the shared small-number rule."""
    if pd.isna(count):
        return False
    hidden = small_numbers.hidden_mask(pd.Series([int(count)]), min_count, margins=None)
    return bool(hidden.iloc[0])


def count_words(count: object, unit: tuple[str, str], min_count: int) -> str:
    """ "3 rapporter", or "fåtal rapporter" under ``min_count`` (the small-number rule)."""
    if is_few(count, min_count):
        return f"{small_numbers.FEW} {unit[1]}"
    return plural(count, *unit)


def count_number(count: object, min_count: int) -> str:
    """ "3", or "fåtal" under ``min_count``."""
    return small_numbers.FEW if is_few(count, min_count) else fmt_int(count)


# --------------------------------------------------------------------------
# Sentences (each choice pinned by tests)
# --------------------------------------------------------------------------


def elevated_point(
    label: str,
    a: pd.Series | dict,
    unit: tuple[str, str] = ("rapport", "rapporter"),
    min_count: int = 5,
) -> str:
    """A "three things" sentence for an elevated count (``unit``: singular, plural noun)."""
    word = "mycket ovanligt" if a["verdict"] == VERY_UNUSUAL_HIGH else "ovanligt"
    n = count_words(a["observed"], unit, min_count)
    return f"{clean_text(label)}: {n} mot väntat högst {fmt_int(a['high'])} – {word}."


def repeat_point(
    row: pd.Series | dict, window: int = REPEAT_WINDOW, min_count: int = 5, *, n_weeks: int = 1
) -> str:
    """A "three things" sentence for a recurring place without a measure.

    ``row`` is a row of :func:`trygghet.reports.est.repeats.recurring_places`
    over ``n_weeks`` weeks. One week: how many of the last ``window`` weeks had
    reports; a longer span (a tertial): how many of its weeks the place was
    recurring, and the last of them.
    """
    reports = count_words(row["reports"], ("rapport", "rapporter"), min_count)
    if n_weeks <= 1:
        return (
            f"{clean_text(row['place'])} har rapporterats {fmt_int(row['weeks_with_reports'])} av "
            f"de senaste {fmt_int(window)} veckorna ({reports}) och har ingen pågående åtgärd."
        )
    return (
        f"{clean_text(row['place'])} var återkommande {fmt_int(row['weeks_recurring'])} av "
        f"{fmt_int(n_weeks)} veckor, senast {week_name(row['last_week'])} ({reports}), "
        "och hade ingen åtgärd någon av dem."
    )


def overdue_point(row: pd.Series | dict) -> str:
    """A "three things" sentence for an overdue measure.

    ``responsible`` is already the party's label (:func:`trygghet.reports.est.data.prepare`).
    """
    return (
        f"Åtgärd {clean_text(row['measure_id'])} vid {clean_text(row['place'])} "
        f"({clean_text(row['responsible'])}) beslutades "
        f"{week_name(row['decided'])} och är inte klar efter "
        f"{plural(row['weeks_since'], 'vecka', 'veckor')}."
    )


def change_point(label: str, row: pd.Series | dict, before_label: str, min_count: int = 5) -> str:
    """A "three things" sentence for a tertial increase."""
    return (
        f"{clean_text(label)} ökade: {count_words(row['now'], ('rapport', 'rapporter'), min_count)} "
        f"mot {count_number(row['before'], min_count)} {before_label}."
    )


NOTHING_STANDS_OUT = (
    "Inget sticker ut: inga förhöjda kategorier eller platser, inga återkommande platser "
    "utan åtgärd och inga försenade åtgärder."
)
NOTHING_STANDS_OUT_TERTIAL = (
    "Inget sticker ut: inga kategorier eller platser som tydligt ökat, inga återkommande "
    "platser utan åtgärd och inga försenade åtgärder."
)


# --------------------------------------------------------------------------
# The choice
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """A candidate for "the three things to discuss first"."""

    kind: str  # "elevated", "repeat" or "overdue"
    rank: tuple  # smaller = more important within its kind
    text: str


KIND_ORDER: tuple[str, ...] = ("elevated", "repeat", "overdue")


def three_things(
    points: Iterable[Point], n: int = 3, nothing: str = NOTHING_STANDS_OUT
) -> list[str]:
    """Choose the ``n`` things to discuss first.

    Within each kind the candidates are ranked (elevated: smallest p-value
    first; repeat places: most weeks first; overdue: oldest first). The kinds
    take turns in the order elevated, repeat place, overdue measure, so that a
    week with several elevated counts still shows a repeat place or an overdue
    measure if there is one; a kind with nothing leaves its turn to the next.
    With no candidates at all: ``[nothing]``.
    """
    points = list(points)
    queues = {
        k: sorted((p for p in points if p.kind == k), key=lambda p: p.rank) for k in KIND_ORDER
    }
    chosen: list[str] = []
    while len(chosen) < n and any(queues.values()):
        for kind in KIND_ORDER:
            if queues[kind] and len(chosen) < n:
                chosen.append(queues[kind].pop(0).text)
    return chosen or [nothing]


# --------------------------------------------------------------------------
# On the page
# --------------------------------------------------------------------------


def three_things_html(pic: Picture) -> str:
    """The three things as a large numbered list (readable on a projector)."""
    items = "".join(f'<li style="margin-bottom:0.5em">{html_text(t)}</li>' for t in pic.things)
    title = html_text(f"Att ta upp först – {pic.selection.label}")
    note = ""
    if is_example(pic.data.display_origin):
        note = f'<p class="trygghet-example-mark"><strong>{html_text(EXAMPLE_CAPTION)}</strong></p>'
    return (
        '<div class="trygghet-est-three" style="font-size:1.6em;line-height:1.35;'
        'border-left:8px solid #D55E00;padding:0.4em 0.8em;margin:0.5em 0">'
        f'<p style="margin:0 0 0.3em 0;font-weight:bold">{title}</p>'
        f"<ol>{items}</ol>{note}</div>"
    )


def show_three_things(pic: Picture) -> None:
    from IPython.display import HTML, display

    display(HTML(three_things_html(pic)))
