"""Charts of the survey report: answer distributions, headline shares, index and change.

Every share is drawn with its 95 % interval; an estimate resting on fewer
than ``min_respondents`` answers is never drawn as a point or bar: the chart
writes "för få svar" in its place, as the table beside it does. Labels that
come from data (area names) go through :func:`trygghet.present.gate.chart_text`,
and a chart built on example data carries the EXEMPELDATA mark in the image.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from trygghet.present import style
from trygghet.present.gate import chart_text
from trygghet.present.swedish import fmt_number, fmt_percent
from trygghet.reports.survey.analysis import (
    DONT_KNOW_LABEL,
    Settings,
    answer_shares,
    headline_estimate,
    headline_shares,
    in_round,
    rounds,
)
from trygghet.reports.survey.breakdowns import (
    BY_LABELS,
    OTHER_AREAS,
    SUPPRESSED,
    breakdown,
    group_label,
)
from trygghet.reports.survey.change import IMPROVED, NO_CHANGE, TOO_FEW, WORSENED
from trygghet.reports.survey.index import INDEX_MAX, problem_index
from trygghet.reports.survey.questions import (
    KEY_QUESTION,
    TOTAL_INDEX_ID,
    has_index,
    headline_label,
    headline_phrase,
    higher_is_better,
    label,
    question,
)
from trygghet.sources import processed
from trygghet.sources.survey import QUESTIONS, Question

WHOLE_KOMMUN = "Hela kommunen"

#: Diverging colours (ColorBrewer RdBu, safe for common colour blindness): nearest zero first.
NEGATIVE_COLOURS = ("#F4A582", "#D6604D", "#B2182B")
POSITIVE_COLOURS = ("#92C5DE", "#4393C3", "#2166AC")
ASIDE_COLOURS = {"vet ej": "#BDBDBD", "annat": "#E0E0E0"}


def _percent_axis(ax: plt.Axes, absolute: bool = False) -> None:
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda v, _p: fmt_percent(abs(v) if absolute else v))
    )


def _scale_split(q: Question) -> tuple[list[str], list[str]]:
    """(negative answers nearest-zero first, positive answers nearest-zero first).

    Negative answers are the headline answers when more is worse (problems,
    worry, insecurity), and the non-headline scale answers when more is better
    (trust).
    """
    better = higher_is_better(q.id)
    most_negative_first = list(q.categories) if better else list(q.categories[::-1])
    bad = set(q.categories) - set(q.headline) if better else set(q.headline)
    negatives = [c for c in most_negative_first if c in bad][::-1]
    positives = [c for c in most_negative_first if c not in bad]
    return negatives, positives


def plot_diverging(
    survey: pd.DataFrame,
    round_: int,
    question_ids: Sequence[str] | None = None,
    settings: Settings | None = None,
) -> Figure:
    """Diverging stacked bars: negative answers left of zero, positive right, vet ej aside.

    Bars show shares of the substantive answers (weighted); the narrow panel
    on the right shows "Vet ej" (share of everyone asked) and off-scale
    answers such as "Går inte ut av andra skäl" (share of the substantive
    answers, so a q14 bar plus its off-scale part makes 100 %). Questions are
    grouped into panels by scale shape; answer labels of one position are
    joined with " / " when questions in a panel word them differently. Yes/no
    questions are left out (see the headline chart). Questions with fewer
    than ``min_respondents`` substantive answers show "för få svar" instead.
    """
    settings = settings or Settings()
    shares = answer_shares(survey, round_, settings.level)
    present = list(dict.fromkeys(shares["question_id"])) if len(shares) else []
    ids = [q for q in (question_ids or present) if q in present and has_index(q)]
    groups: dict[tuple, list[str]] = {}
    for qid in ids:
        neg, pos = _scale_split(question(qid))
        groups.setdefault((len(neg), len(pos), question(qid).kind), []).append(qid)
    if not groups:
        fig, ax = style.new_figure((10, 3))
        ax.text(0.5, 0.5, "Inga frågor att visa", ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return style.finish(fig, processed.origin(survey))
    heights = [len(g) + 1.8 for g in groups.values()]
    fig, axes = plt.subplots(
        len(groups),
        2,
        figsize=(14, 0.6 * sum(heights) + 1.5),
        gridspec_kw={"width_ratios": [5, 1.4], "height_ratios": heights},
        squeeze=False,
        layout="constrained",
    )
    plt.close(fig)  # shown by being returned
    scale = shares[shares["base"] == "svar"]
    extent = 0.0
    for qid in ids:
        neg, pos = _scale_split(question(qid))
        s = scale[scale["question_id"] == qid].set_index("answer")["share"]
        extent = max(extent, float(s.reindex(neg).sum()), float(s.reindex(pos).sum()))
    limit = min(1.0, math.ceil(max(extent, 0.25) * 4) / 4)
    for (ax, aside), qids in zip(axes, groups.values(), strict=True):
        _diverging_panel(ax, aside, qids, shares, settings, limit)
    axes[0][0].set_title(
        f"Svarsfördelning {round_}: negativa svar till vänster, positiva till höger"
    )
    return style.finish(fig, processed.origin(survey))


def _diverging_panel(
    ax: plt.Axes,
    aside: plt.Axes,
    qids: list[str],
    shares: pd.DataFrame,
    settings: Settings,
    limit: float,
) -> None:
    y = np.arange(len(qids))[::-1]
    neg_labels: list[list[str]] = []
    pos_labels: list[list[str]] = []
    has_other = False
    for yi, qid in zip(y, qids, strict=True):
        q = question(qid)
        s = shares[shares["question_id"] == qid].set_index("answer")
        neg, pos = _scale_split(q)
        for slots, answers in ((neg_labels, neg), (pos_labels, pos)):
            for i, c in enumerate(answers):
                if len(slots) <= i:
                    slots.append([])
                if c not in slots[i]:
                    slots[i].append(c)
        n_valid = int(s.loc[q.categories[0], "denominator"])
        if n_valid < settings.min_respondents:
            ax.text(0, yi, SUPPRESSED, ha="center", va="center", color="#444")
            continue
        left = 0.0
        for i, c in enumerate(neg):
            v = float(s.loc[c, "share"])
            ax.barh(yi, -v, left=-left, color=NEGATIVE_COLOURS[i], edgecolor="white")
            _segment_label(ax, -left - v / 2, yi, v, dark=i > 0)
            left += v
        right = 0.0
        for i, c in enumerate(pos):
            v = float(s.loc[c, "share"])
            ax.barh(yi, v, left=right, color=POSITIVE_COLOURS[i], edgecolor="white")
            _segment_label(ax, right + v / 2, yi, v, dark=i > 0)
            right += v
        start = 0.0
        for answer in q.other:
            has_other = True
            v = float(s.loc[answer, "share"])
            aside.barh(yi, v, left=start, color=ASIDE_COLOURS["annat"], edgecolor="white")
            start += v
        if DONT_KNOW_LABEL in s.index:
            v = float(s.loc[DONT_KNOW_LABEL, "share"])
            aside.barh(yi, v, left=start, color=ASIDE_COLOURS["vet ej"], edgecolor="white")
    ax.axvline(0, color="#333", lw=1.2)
    ax.set_yticks(y, [chart_text(label(q)) for q in qids])
    ax.set_ylim(-0.6, len(qids) - 0.4)
    ax.set_xlim(-limit, limit)
    _percent_axis(ax, absolute=True)
    ax.grid(axis="y", visible=False)
    patch = [plt.Rectangle((0, 0), 1, 1, color=c) for c in NEGATIVE_COLOURS + POSITIVE_COLOURS]
    handles = [patch[i] for i in range(len(neg_labels))][::-1] + [
        patch[3 + i] for i in range(len(pos_labels))
    ]
    names = [chart_text(" / ".join(x)) for x in neg_labels][::-1] + [
        chart_text(" / ".join(x)) for x in pos_labels
    ]
    aside.set_yticks(y, [""] * len(y))
    aside.set_ylim(-0.6, len(qids) - 0.4)
    aside.set_xlim(0, 0.4)
    aside.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt_percent(v)))
    aside.set_xticks([0, 0.2, 0.4])
    aside.tick_params(axis="x", labelsize=11)
    aside.grid(axis="y", visible=False)
    aside_names = (["annat svar"] if has_other else []) + ["vet ej"]
    aside_handles = [
        plt.Rectangle((0, 0), 1, 1, color=ASIDE_COLOURS["annat" if n == "annat svar" else n])
        for n in aside_names
    ]
    aside.legend(
        handles + aside_handles,
        names + aside_names,
        loc="center left",
        bbox_to_anchor=(1.05, 0.5),
        fontsize=11,
    )


def _segment_label(ax: plt.Axes, x: float, y: float, value: float, dark: bool) -> None:
    if value >= 0.09:
        ax.text(
            x,
            y,
            fmt_percent(value),
            ha="center",
            va="center",
            fontsize="x-small",
            color="white" if dark else "#222",
        )


def _dot_rows(
    ax: plt.Axes,
    y: np.ndarray,
    est: pd.DataFrame,
    colour: str,
    name: str,
    marker: str = "o",
) -> None:
    ok = est["share"].notna().to_numpy()
    x = est["share"].to_numpy(dtype=float)
    low, high = est["low"].to_numpy(dtype=float), est["high"].to_numpy(dtype=float)
    ax.errorbar(
        x[ok],
        y[ok],
        xerr=[x[ok] - low[ok], high[ok] - x[ok]],
        fmt=marker,
        color=colour,
        ms=9,
        capsize=4,
        lw=2,
        label=name,
    )


def plot_headline_by_round(
    survey: pd.DataFrame,
    question_ids: Sequence[str] | None = None,
    settings: Settings | None = None,
    up_to: int | None = None,
) -> Figure:
    """Dot plot: each question's headline share per round with 95 % interval bars.

    The latest round is highlighted, earlier rounds muted. Estimates with
    fewer than ``min_respondents`` answers are not drawn.
    """
    settings = settings or Settings()
    all_rounds = [r for r in rounds(survey) if up_to is None or r <= up_to]
    ids = list(question_ids or [q.id for q in QUESTIONS])
    asked = set(survey["question_id"].unique())
    ids = [q for q in ids if q in asked]
    fig, ax = style.new_figure((11, 0.55 * len(ids) + 2))
    y = np.arange(len(ids))[::-1].astype(float)
    offsets = np.linspace(0.18, -0.18, len(all_rounds)) if len(all_rounds) > 1 else [0.0]
    for i, (round_, off) in enumerate(zip(all_rounds, offsets, strict=True)):
        head = headline_shares(survey, round_, settings).set_index("question_id").reindex(ids)
        hidden = ~head["enough"].fillna(False).astype(bool)
        head.loc[hidden, ["share", "low", "high"]] = np.nan
        latest = i == len(all_rounds) - 1
        if latest:
            for yi in (y + off)[(hidden & head["n"].notna()).to_numpy()]:
                ax.text(0.01, yi, SUPPRESSED, va="center", ha="left", color="#444")
        colour = style.HIGHLIGHT if latest else style.MUTED
        _dot_rows(ax, y + off, head, colour, str(round_), "o" if latest else "s")
    ax.set_yticks(y, [chart_text(headline_label(q)) for q in ids])
    ax.set_xlim(0, 1)
    _percent_axis(ax)
    ax.set_xlabel("andel av dem som svarat (punkt) med 95 % osäkerhetsintervall (streck)")
    ax.set_title("Andel med nyckelsvaret per fråga och omgång")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1), title="Omgång")
    return style.finish(fig, processed.origin(survey))


def plot_headline_by_group(
    survey: pd.DataFrame,
    round_: int,
    by: str = "area",
    question_id: str = KEY_QUESTION,
    settings: Settings | None = None,
) -> Figure:
    """Dot plot: the headline share per area/sex/age group with intervals; small groups named below."""
    settings = settings or Settings()
    table = breakdown(survey, round_, by, question_id, settings)
    part = in_round(survey, round_)
    whole = headline_estimate(part[part["question_id"] == question_id], settings.level)
    fig, ax = style.new_figure((11, 0.6 * (len(table) + 1) + 2.2))
    y = np.arange(len(table) + 1)[::-1].astype(float)
    if whole.n >= settings.min_respondents:
        ax.axvspan(whole.low, whole.high, color=style.MUTED, alpha=0.25, lw=0)
        ax.axvline(whole.share, color=style.MUTED, lw=1.5)
        _dot_rows(
            ax,
            y[:1],
            pd.DataFrame({"share": [whole.share], "low": [whole.low], "high": [whole.high]}),
            style.PRIMARY,
            WHOLE_KOMMUN,
        )
    else:
        ax.text(0.01, y[0], SUPPRESSED, va="center", ha="left", color="#444")
    rows = table.copy()
    hidden = rows["suppressed"].to_numpy(dtype=bool)
    rows.loc[hidden, ["share", "low", "high"]] = np.nan
    if len(rows):
        _dot_rows(ax, y[1:], rows, style.HIGHLIGHT, BY_LABELS[by].capitalize())
    # Where the table says "för få svar" the chart says so too, in the group's own row.
    for yi in y[1:][hidden]:
        ax.text(0.01, yi, SUPPRESSED, va="center", ha="left", color="#444")
    names = [WHOLE_KOMMUN] + [group_label(by, g) for g in table["group"]]
    ax.set_yticks(y, [chart_text(n) for n in names])
    ax.set_xlim(0, 1)
    _percent_axis(ax)
    ax.set_xlabel(f"andel som {headline_phrase(question_id)}")
    ax.set_title(chart_text(f"{label(question_id)} per {BY_LABELS[by]}, {round_}"))
    note = []
    if hidden.any():
        note.append(f"{SUPPRESSED.capitalize()} = färre än {settings.min_respondents} svar")
    pooled = table[table["members"] != ""]
    if len(pooled):
        note.append(f"{OTHER_AREAS} = {pooled['members'].iloc[0]}")
    if note:
        fig.text(
            0.01,
            -0.02,
            chart_text(". ".join(note) + "."),
            fontsize="small",
            ha="left",
            va="top",
            wrap=True,
        )
    return style.finish(fig, processed.origin(survey))


def plot_index(
    survey: pd.DataFrame,
    current: int,
    previous: int | None = None,
    settings: Settings | None = None,
) -> Figure:
    """Problem index 0–6 (project's own formula) per problem item and in total, with intervals."""
    settings = settings or Settings()
    cur = problem_index(survey, current, settings)
    cur = cur[cur["kind"] == "problem"].set_index("question_id")
    ids = list(cur.index)
    fig, ax = style.new_figure((11, 0.55 * len(ids) + 2))
    y = np.arange(len(ids))[::-1].astype(float)
    series = [(current, cur, style.HIGHLIGHT, "o", -0.15 if previous else 0.0)]
    if previous is not None:
        prev = problem_index(survey, previous, settings)
        prev = prev.set_index("question_id").reindex(ids)
        series.insert(0, (previous, prev, style.MUTED, "s", 0.15))
    for round_, est, colour, marker, off in series:
        est = est.copy()
        est.loc[~est["enough"].fillna(False).astype(bool), ["index", "low", "high"]] = np.nan
        x = est["index"].to_numpy(dtype=float)
        ok = ~np.isnan(x)
        lo, hi = est["low"].to_numpy(dtype=float), est["high"].to_numpy(dtype=float)
        if round_ == current:
            for yi in (y + off)[~ok]:
                ax.text(0.05, yi, SUPPRESSED, va="center", ha="left", color="#444")
        ax.errorbar(
            x[ok],
            (y + off)[ok],
            xerr=[x[ok] - lo[ok], hi[ok] - x[ok]],
            fmt=marker,
            color=colour,
            ms=9,
            capsize=4,
            lw=2,
            label=str(round_),
        )
    if TOTAL_INDEX_ID in ids:
        ax.axhline(0.5, color="#999", lw=1, ls=":")
    ax.set_yticks(y, [chart_text(label(q)) for q in ids])
    ax.set_xlim(0, INDEX_MAX)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt_number(v, 0)))
    ax.set_xlabel("problemindex 0–6 (projektets eget mått; 0 = inget problem, 6 = mycket stort)")
    ax.set_title("Problemindex per fråga")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1), title="Omgång")
    return style.finish(fig, processed.origin(survey))


def plot_change(
    changes: pd.DataFrame | None,
    current: int | None,
    previous: int | None,
    origin: str | None = None,
) -> Figure:
    """Ranked change of the headline shares with 95 % intervals; säkra förändringar coloured.

    A question with too few answers in either round gets "för få svar" in its
    row, not a point.
    """
    if changes is None or changes.empty:
        fig, ax = style.new_figure((10, 3))
        ax.text(
            0.5, 0.5, "Ingen tidigare omgång att jämföra med", ha="center", transform=ax.transAxes
        )
        ax.set_axis_off()
        return style.finish(fig, origin)
    origin = origin or processed.origin(changes)
    items = changes[
        (changes["question_id"] != TOTAL_INDEX_ID)
        & (changes["diff"].notna() | (changes["verdict"] == TOO_FEW))
    ]
    fig, ax = style.new_figure((11, 0.55 * len(items) + 2))
    y = np.arange(len(items))[::-1].astype(float)
    for yi, (_, r) in zip(y, items.iterrows(), strict=True):
        if r["verdict"] == TOO_FEW:
            ax.text(0, yi, SUPPRESSED, va="center", ha="center", color="#444")
            continue
        sign = 1.0 if higher_is_better(str(r["question_id"])) else -1.0
        lo, hi = sorted((sign * r["diff_low"], sign * r["diff_high"]))
        x = sign * r["diff"]
        colour = (
            style.PALETTE[2]
            if r["verdict"] == IMPROVED
            else style.HIGHLIGHT
            if r["verdict"] == WORSENED
            else style.MUTED
        )
        ax.errorbar(x, yi, xerr=[[x - lo], [hi - x]], fmt="o", color=colour, ms=9, capsize=4, lw=2)
    ax.axvline(0, color="#333", lw=1.2)
    ax.set_yticks(y, [chart_text(headline_label(q)) for q in items["question_id"]])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{fmt_number(v * 100)}"))
    ax.set_xlabel(f"förändring {previous}–{current} i procentenheter (höger = bättre)")
    ax.set_title("Förändring sedan förra omgången, rangordnad")
    ax.legend(
        [
            plt.Line2D([], [], marker="o", ls="", color=c)
            for c in (style.PALETTE[2], style.HIGHLIGHT, style.MUTED)
        ],
        [IMPROVED, WORSENED, NO_CHANGE],
        loc="upper left",
        bbox_to_anchor=(1, 1),
    )
    return style.finish(fig, origin)
