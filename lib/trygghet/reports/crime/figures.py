"""Charts of the crime report: rates per year, the funnel, the comparison dot plot.

Every chart is marked EXEMPELDATA in the image itself when Brå's counts are
examples (:func:`trygghet.present.style.finish`), so a chart copied to a slide
keeps the mark; a year whose count is hidden in the tables ("fåtal") is
written "fåtal" in the chart too, never drawn as a rate. Labels that come from
data go through :func:`trygghet.present.gate.chart_text`.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from trygghet import kommuner
from trygghet.present import style
from trygghet.present.gate import chart_text
from trygghet.present.small_numbers import FEW
from trygghet.present.swedish import fmt_int, join_list, plural
from trygghet.reports.crime.analysis import CrimeStats, cell_code
from trygghet.reports.crime.comparison import FUNNEL_LEVELS
from trygghet.reports.crime.rate_table import SERIES, borrowed_population_years
from trygghet.reports.crime.signals import BREAK_YEAR
from trygghet.reports.crime.tables import position_cell, rate_cell
from trygghet.reports.crime.text import (
    COMPARISON_METHOD,
    missing_sentence,
    series_missing_text,
    year_span,
)
from trygghet.stats import rates

CHART_SOURCE = "Brå (anmälda brott), SCB (folkmängd), egen bearbetning"


def chart_source(stats: CrimeStats) -> str:
    """The charts' source line, each source named with its own origin.

    Brå's counts (and Kolada's groups) are EXEMPELDATA unless fetched; SCB's
    population is real open data and is named as such.
    """

    def mark(origin: str) -> str:
        return " (EXEMPELDATA)" if style.is_example(origin) else ""

    population = f"SCB, folkmängd{_population_years_phrase(stats)}"
    return (
        f"Brå, anmälda brott{mark(stats.origin)}; {population}{mark(stats.population_origin)}; "
        "egen bearbetning"
    )


def _population_years_phrase(stats: CrimeStats) -> str:
    """ " 2024 (för alla år)", " per år", " per år (2025 med 2024 års)": the source line's words."""
    borrowed = borrowed_population_years(stats.rates, stats.kommun)
    years = sorted(stats.population_years)
    if not years:
        return ""
    if not borrowed:
        return " per år"
    if len(years) == 1:
        return f" {years[0]} (för alla år)"
    by_source: dict[int, list[int]] = {}
    for year, source in borrowed.items():
        by_source.setdefault(source, []).append(year)
    used = join_list(f"{year_span(ys)} med {src} års" for src, ys in sorted(by_source.items()))
    return f" per år ({used})"


def _rate_axis(ax: plt.Axes, axis: str = "y") -> None:
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _pos: fmt_int(v)))


def _grid(n: int, ncols: int, size: tuple[float, float]) -> tuple[Figure, np.ndarray]:
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=size, squeeze=False)
    plt.close(fig)  # shown by being returned
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, axes


def _message_figure(
    stats: CrimeStats, title: str, message: str, size: tuple[float, float] = (10, 3.0)
) -> Figure:
    """A chart that cannot be drawn: its title and a Swedish sentence saying why."""
    fig, ax = plt.subplots(figsize=size)
    plt.close(fig)
    ax.set_axis_off()
    ax.set_title(chart_text(title), loc="left", fontweight="bold")
    ax.text(
        0.5,
        0.5,
        chart_text(message),
        ha="center",
        va="center",
        wrap=True,
        transform=ax.transAxes,
    )
    return style.mark_example(fig, stats.origin)


def _missing_note(fig: Figure, stats: CrimeStats, keys: list[str]) -> float:
    """Write under the chart which of ``keys`` Brå's files lack; the space it takes (0 if none)."""
    note = missing_sentence(stats, keys)
    if not note:
        return 0.0
    fig.text(0.01, 0.005, chart_text(note), fontsize="small", ha="left", va="bottom", wrap=True)
    return min(0.5 / fig.get_figheight(), 0.3)  # two lines of small text, as a fraction


def _draw_rate_panel(ax: plt.Axes, stats: CrimeStats, key: str) -> None:
    """One series: Riket dashed, the kommun's band, line and markers, hidden years marked."""
    own = stats.series_rows(key)
    shown = own[~own["missing"] & ~own["suppressed"]]
    riket = stats.series_rows(key, "0000")
    # Riket's line breaks where its own count is missing or "fåtal" (never drawn as a rate).
    riket_rate = riket["rate"].where(~riket["missing"] & ~riket["suppressed"])
    ax.plot(riket["year"], riket_rate, color=style.MUTED, linestyle="--", linewidth=1.5)
    # Hidden years ("fåtal", missing) are NaN, so band and line break there.
    hidden = own["suppressed"] | own["missing"]
    band = own[["year", "rate", "low", "high"]].astype(float).where(~hidden)
    band["year"] = own["year"].to_numpy(dtype=float)
    ax.fill_between(
        band["year"], band["low"], band["high"], color=style.PRIMARY, alpha=0.2, linewidth=0
    )
    ax.vlines(shown["year"], shown["low"], shown["high"], color=style.PRIMARY, alpha=0.5)
    ax.plot(band["year"], band["rate"], color=style.PRIMARY, linewidth=2)
    final = shown[~shown["preliminary"]]
    prelim = shown[shown["preliminary"]]
    ax.scatter(final["year"], final["rate"], color=style.PRIMARY, s=25, zorder=3)
    ax.scatter(
        prelim["year"],
        prelim["rate"],
        facecolor="white",
        edgecolor=style.PRIMARY,
        s=40,
        zorder=3,
    )
    for year in own.loc[own["suppressed"] & ~own["missing"], "year"]:
        ax.annotate(
            FEW,
            (year, 0.02),
            xycoords=("data", "axes fraction"),
            ha="center",
            va="bottom",
            rotation=90,
            fontsize="x-small",
            color="#444444",
        )
    for year in own.loc[own["missing"], "year"]:
        ax.annotate("×", (year, 0), xycoords=("data", "axes fraction"), ha="center", va="bottom")
    if stats.trends[key].crosses_break:
        ax.axvline(BREAK_YEAR - 0.5, color=style.MUTED, linewidth=1)
    ax.set_ylim(bottom=0)
    _rate_axis(ax)
    ax.set_title(f"{SERIES[key]}\n{stats.trends[key].text}", fontsize="medium")
    ax.xaxis.set_major_locator(plt.MaxNLocator(5, integer=True))


def _rate_legend(kommun_name: str) -> list:
    """Legend entries of the rate chart: kommun, band, Riket, preliminary marker."""
    return [
        Line2D([], [], color=style.PRIMARY, marker="o", label=chart_text(kommun_name)),
        plt.Rectangle(
            (0, 0), 1, 1, color=style.PRIMARY, alpha=0.2, label="95 % osäkerhetsintervall"
        ),
        Line2D([], [], color=style.MUTED, linestyle="--", label="Riket"),
        Line2D(
            [],
            [],
            color=style.PRIMARY,
            marker="o",
            markerfacecolor="white",
            linestyle="",
            label="preliminär",
        ),
    ]


def plot_rates(stats: CrimeStats, series: list[str] | None = None) -> Figure:
    """Small multiples: the kommun's rate per year with its 95 % band; Riket for context.

    Preliminary years have hollow markers; "fåtal" years show no rate ("fåtal"
    written at the axis, as in the tables); missing years are gaps marked "×". A vertical line marks
    :data:`BREAK_YEAR` when the series crosses it.
    """
    wanted = list(series or list(SERIES))
    keys = [k for k in wanted if k in stats.labels]
    if not keys:
        return _message_figure(
            stats,
            f"Anmälda brott per 100 000 invånare, {stats.kommun_name}",
            missing_sentence(stats, wanted) or "Inga uppgifter att visa.",
        )
    fig, axes = _grid(
        len(keys), 4 if len(keys) > 4 else len(keys), (16, 4.2 * math.ceil(len(keys) / 4))
    )
    for ax, key in zip(axes.flat, keys, strict=False):
        _draw_rate_panel(ax, stats, key)
    axes.flat[0].set_ylabel("per 100 000 invånare")
    handles = _rate_legend(stats.kommun_name)
    note = _missing_note(fig, stats, wanted)
    fig.legend(handles=handles, loc="lower center", ncol=4, bbox_to_anchor=(0.5, -0.02 + note))
    fig.suptitle(
        f"Anmälda brott per 100 000 invånare, {chart_text(stats.kommun_name)}",
        x=0.01,
        ha="left",
        fontweight="bold",
    )
    return style.finish(fig, stats.origin, rect=(0, 0.07 + note, 1, 1))


# --------------------------------------------------------------------------
# Funnel
# --------------------------------------------------------------------------


def funnel_data(stats: CrimeStats, key: str) -> pd.DataFrame:
    """Points of the funnel: the kommun and the group's kommuner for the report year.

    Columns kommun_code, name, population, count, rate, is_kommun. Kommuner
    whose count is missing or "fåtal" are left out (a few-count rate is not
    shown anywhere in the report).
    """
    codes = [stats.kommun, *stats.group.codes]
    rows = stats.rates[
        (stats.rates["series"] == key)
        & (stats.rates["year"] == stats.year)
        & stats.rates["kommun_code"].isin(codes)
        & ~stats.rates["missing"]
        & ~stats.rates["suppressed"]
        & stats.rates["population"].notna()
    ]
    out = rows[["kommun_code", "population", "count", "rate"]].copy()
    out["name"] = [kommuner.kommun_name(c) for c in out["kommun_code"]]
    out["is_kommun"] = out["kommun_code"].eq(stats.kommun)
    return out.reset_index(drop=True)


def _draw_funnel_limits(ax: plt.Axes, populations: pd.Series, target: float) -> None:
    """The 95 % and 99,8 % limits around ``target`` over the populations shown, and the level.

    The lines are the exact boundary the labels use (:func:`rates.funnel_position`,
    ``boundary="exact"``): a dot above the upper line is labelled above, one
    inside is labelled "inom". The boundary steps with whole events, so the
    grid is dense.
    """
    grid = rates.funnel_grid(populations)
    limits = rates.funnel_limits(grid, target, FUNNEL_LEVELS, boundary="exact")
    for code, dash, label in (("95", "--", "95 %-gräns"), ("998", ":", "99,8 %-gräns")):
        ax.plot(
            grid,
            limits[f"upper_{code}"],
            color="#555555",
            linestyle=dash,
            linewidth=1.2,
            label=label,
        )
        ax.plot(grid, limits[f"lower_{code}"], color="#555555", linestyle=dash, linewidth=1.2)
    ax.axhline(target, color="#555555", linewidth=1, label="jämförelsegruppens nivå")


def _draw_funnel_points(
    ax: plt.Axes, points: pd.DataFrame, kommun_name: str, hidden_reason: str = FEW
) -> None:
    """The group's kommuner muted, the kommun highlighted and named (or said to be hidden)."""
    others = points[~points["is_kommun"]]
    ax.scatter(
        others["population"],
        others["rate"],
        color=style.MUTED,
        s=50,
        label="jämförelsegruppen",
        zorder=3,
    )
    own = points[points["is_kommun"]]
    ax.scatter(
        own["population"],
        own["rate"],
        color=style.HIGHLIGHT,
        s=110,
        zorder=4,
        label=chart_text(kommun_name),
    )
    for r in own.itertuples():
        ax.annotate(
            chart_text(r.name),
            (r.population, r.rate),
            xytext=(8, 6),
            textcoords="offset points",
            color=style.HIGHLIGHT,
            fontweight="bold",
        )
    if own.empty:
        ax.text(
            0.01,
            0.90,
            f"{chart_text(kommun_name)}: {hidden_reason} – visas inte",
            transform=ax.transAxes,
            fontsize="small",
        )


def plot_funnel(stats: CrimeStats, key: str) -> Figure:
    """Funnel plot: rate against population, 95 % and 99,8 % exact Poisson limits.

    The limits are drawn around the comparison group's pooled rate; the
    kommun is highlighted, the group's kommuner muted. Log population axis.
    A series Brå's files do not hold gives a figure saying so, not an error.
    """
    if key not in stats.labels or key not in set(stats.summary.get("series", [])):
        return _message_figure(
            stats,
            f"{SERIES.get(key, key)} {stats.year}: trattdiagram",
            series_missing_text(stats, key),
            size=(10, 5.5),
        )
    row = stats.summary.set_index("series").loc[key]
    target = float(row["group_rate"])
    points = funnel_data(stats, key)
    fig, ax = plt.subplots(figsize=(10, 5.5))
    plt.close(fig)
    codes = [stats.kommun, *stats.group.codes]
    in_year = stats.rates[
        (stats.rates["series"] == key)
        & (stats.rates["year"] == stats.year)
        & stats.rates["kommun_code"].isin(codes)
        & stats.rates["population"].notna()
    ]
    if (
        in_year.empty
        or math.isnan(target)
        or cell_code(row.get("no_comparison"))
        in (
            "group_few",
            "group_zero",
            "no_group",
        )
    ):
        return _message_figure(
            stats,
            f"{SERIES[key]} {stats.year}: trattdiagram",
            _no_funnel_reason(row, stats.min_count),
            size=(10, 5.5),
        )
    hidden = len(in_year) - len(points)
    if hidden:
        ax.text(
            0.01,
            0.98,
            f"{plural(hidden, 'kommun', 'kommuner')} med fåtal brott eller saknad siffra visas inte",
            transform=ax.transAxes,
            fontsize="small",
            va="top",
        )
    _draw_funnel_limits(ax, in_year["population"], target)
    _draw_funnel_points(ax, points, stats.kommun_name, _own_hidden_reason(row))
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt_int(v)))
    _rate_axis(ax)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("folkmängd (logaritmisk skala)")
    ax.set_ylabel("per 100 000 invånare")
    ax.set_title(
        f"{SERIES[key]} {stats.year}: {chart_text(stats.kommun_name)} mot jämförelsegruppen"
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return style.finish(fig, stats.origin)


def _no_funnel_reason(row: pd.Series, min_count: int) -> str:
    """Why no funnel is drawn: the group's level is "fåtal", zero or missing."""
    reason = cell_code(row.get("no_comparison"))
    if reason == "group_few":
        return (
            f"Jämförelsegruppens nivå bygger på ett fåtal anmälda brott (färre än {min_count}) "
            "och visas inte, så inget trattdiagram ritas."
        )
    if reason == "group_zero":
        return "Jämförelsegruppen hade inga sådana anmälda brott, så inget trattdiagram ritas."
    return "För få uppgifter för ett trattdiagram."


def _own_hidden_reason(row: pd.Series) -> str:
    """Why the kommun's point is not in its funnel, in the tables' words."""
    if bool(row.get("missing", False)):
        return "sekretess" if str(row.get("value_status")) == "sekretess" else "uppgift saknas"
    if bool(row.get("suppressed", False)):
        return FEW
    return "folkmängd saknas"


# --------------------------------------------------------------------------
# Comparison dot plot
# --------------------------------------------------------------------------

#: The areas of the comparison dot plot, top to bottom (the ``kind`` of
#: :func:`comparison_data`).
AREA_ORDER = ("kommun", "grupp", "län", "riket")


def comparison_data(stats: CrimeStats) -> pd.DataFrame:
    """Long table for the dot plot: series, area label, rate, low, high, hidden."""
    rows = []
    labels = {
        "kommun": chart_text(stats.kommun_name),
        "grupp": "Jämförelsegrupp",
        "län": chart_text(stats.lan_name),
        "riket": "Riket",
    }
    for r in stats.summary.to_dict("records"):
        hidden = bool(r.get("missing")) or bool(r.get("suppressed"))
        rows.append(
            {
                "series": r["series"],
                "area": labels["kommun"],
                "kind": "kommun",
                "rate": np.nan if hidden else r["rate"],
                "low": np.nan if hidden else r["low"],
                "high": np.nan if hidden else r["high"],
                "hidden": rate_cell(r) if hidden else "",
            }
        )
        for kind, prefix in (("grupp", "group"), ("län", "lan"), ("riket", "riket")):
            few = bool(r.get(f"{prefix}_suppressed", False))
            rows.append(
                {
                    "series": r["series"],
                    "area": labels[kind],
                    "kind": kind,
                    "rate": np.nan if few else r[f"{prefix}_rate"],
                    "low": np.nan if few else r[f"{prefix}_low"],
                    "high": np.nan if few else r[f"{prefix}_high"],
                    "hidden": FEW if few else "",
                }
            )
    return pd.DataFrame(rows)


def panel_title(stats: CrimeStats, key: str) -> str:
    """A comparison panel's title: the series and its position against the group (as the text)."""
    rows = stats.summary[stats.summary["series"] == key].to_dict("records")
    verdict = position_cell(rows[0]) if rows else "–"
    return f"{SERIES[key]} – mot gruppen: {verdict}"


def comparison_caption(stats: CrimeStats) -> str:
    """The comparison chart's caption: what is drawn and the one rule it is read by."""
    return (
        f"Anmälda brott per 100 000 invånare {stats.year}: {stats.kommun_name}, "
        "jämförelsegruppen, länet och riket, med 95 % osäkerhetsintervall (exakta "
        "Poissonintervall). Den prickade linjen är jämförelsegruppens nivå: ligger den utanför "
        "kommunens streck är skillnaden större än slumpen brukar ge, korsar den strecket ryms "
        f"skillnaden i slumpen ({COMPARISON_METHOD}; rutans rubrik säger vilket). Gruppens "
        "eget streck visar hur säker gruppens nivå är; prövningen räknar nivån som känd, "
        "eftersom den bygger på flera kommuners brott. Fåtal betyder färre än "
        f"{stats.min_count} anmälda brott."
    )


def plot_comparison(stats: CrimeStats) -> Figure:
    """Dot plot per series: kommun, comparison group, län and Riket with 95 % intervals."""
    data = comparison_data(stats)
    keys = [k for k in SERIES if k in set(data.get("series", []))]
    title = f"Anmälda brott per 100 000 invånare {stats.year}, med 95 % osäkerhetsintervall"
    if not keys:
        return _message_figure(
            stats, title, missing_sentence(stats) or "Inga uppgifter att jämföra."
        )
    fig, axes = _grid(len(keys), 2, (14, 2.4 * math.ceil(len(keys) / 2) + 0.6))
    for ax, key in zip(axes.flat, keys, strict=False):
        part = data[data["series"] == key].reset_index(drop=True)
        ypos = np.arange(len(part))[::-1]
        for y, r in zip(ypos, part.itertuples(), strict=True):
            colour = (
                style.HIGHLIGHT
                if r.kind == "kommun"
                else style.PRIMARY
                if r.kind == "grupp"
                else "#555555"
            )
            if r.hidden:
                ax.text(
                    0.03, y, r.hidden, va="center", transform=ax.get_yaxis_transform(), color=colour
                )
                continue
            if not math.isnan(r.rate):
                ax.errorbar(
                    r.rate,
                    y,
                    xerr=[[r.rate - r.low], [r.high - r.rate]],
                    fmt="o",
                    color=colour,
                    capsize=4,
                    markersize=8,
                )
        group = part[part["kind"] == "grupp"]
        if len(group) and not math.isnan(float(group["rate"].iloc[0])):
            # The group's level across the panel: it lies outside the kommun's bar
            # exactly when the funnel (and the text) say higher or lower.
            ax.axvline(float(group["rate"].iloc[0]), color=style.PRIMARY, linestyle=":", lw=1.2)
        ax.set_yticks(ypos, part["area"])
        ax.set_ylim(-0.6, len(part) - 0.4)
        ax.set_xlim(left=0)
        _rate_axis(ax, "x")
        ax.set_title(panel_title(stats, key), fontsize="medium")
        ax.grid(axis="y", visible=False)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    note = _missing_note(fig, stats, list(SERIES))
    # room for the note under the panels
    return style.finish(fig, stats.origin, rect=(0, note + 0.02, 1, 1) if note else None)
