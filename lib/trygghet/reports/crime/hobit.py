"""Police-recorded crime at street level (Hobit): hotspots, time, change, per area.

The crime report's Brå figures cover the whole kommun; the police's extracts
from their map system Hobit place each reported crime, which promise 3 needs
("where do narkotika, trafik and ordningsstörning concentrate"). The
processed table ``hobit`` (one row per reported crime, see
``trygghet.sources.hobit`` and docs/data/hobit.md) carries a salted case key,
a place text and a position: none of them ever reaches a page. This module
reads only ``category``, ``start``, ``time_exact``, ``lat`` and ``lon``, and
hands on only counts per H3 hexagon, per configured area, per category,
hour band or weekday, each under the kommun's small-number rule.

These are police-recorded crimes, not the events the police publish on
polisen.se, and they are never turned into rates per inhabitant here (the
kommun-level rates are Brå's, above in the report).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import h3
import numpy as np
import pandas as pd

from trygghet.config import KommunConfig
from trygghet.errors import TrygghetError
from trygghet.present.maps.reports import shown_counts
from trygghet.present.small_numbers import TOO_FEW, count_text, hidden_mask, primary_mask
from trygghet.present.swedish import fmt_number, fmt_percent, join_list
from trygghet.present.tables import PageTable, page_table
from trygghet.sources import hobit as hobit_source
from trygghet.sources import processed
from trygghet.stats import confirmed_hotspots as hot
from trygghet.stats import hotspots as stats_hotspots
from trygghet.stats.areas import AREA_RADIUS_M as SHARED_AREA_RADIUS_M
from trygghet.stats.areas import nearest_area
from trygghet.stats.rates import rate_ratio_test

SOURCE = "Polismyndigheten, polisanmälda brott ur kartsystemet Hobit (utdrag)"
#: The categories promise 3 follows at street level (every Hobit category but "övrigt").
PROMISE_CATEGORIES: tuple[str, ...] = tuple(hobit_source.PROMISE_CATEGORIES)
#: Categories whose reported numbers follow police checks more than crime.
POLICE_FOUND = ("narkotika", "trafik")
#: H3 resolution of the hotspots and the map (cells ~0.74 km², edge ~0.5 km).
H3_RESOLUTION = 8
#: A crime belongs to the nearest configured area within this distance (the shared rule).
AREA_RADIUS_M = SHARED_AREA_RADIUS_M
OUTSIDE = "utanför områdena"
NO_POSITION = "position saknas"
HOUR_BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 6, "natt 00–06"),
    (6, 12, "förmiddag 06–12"),
    (12, 18, "eftermiddag 12–18"),
    (18, 24, "kväll 18–24"),
)
WEEKDAYS = ("mån", "tis", "ons", "tors", "fre", "lör", "sön")

MISSING_TEXT = (
    "Utdrag ur polisens kartsystem Hobit läses inte in för kommunen, så avsnittet om "
    "polisanmälda brott på gatunivå visas inte. Så lägger du till dem: be lokalpolisområdet om "
    "ett utdrag, lägg filen i kommunens rådatamapp och kör inläsningen igen; kolumnerna och "
    "varianterna som läses beskrivs i docs/data/hobit.md."
)
WHAT_TEXT = (
    "Siffrorna är polisanmälda brott ur polisens kartsystem Hobit, alltså brott som polisen "
    "registrerat, inte de händelser polisen publicerar på polisen.se. De räknas inte om per "
    "invånare: de visar var och när brott anmäls, inte hur stor risken är."
)
POLICE_ACTIVITY_TEXT = (
    "Narkotika- och trafikbrott upptäcks oftast av polisen själv vid kontroller. Fler anmälda "
    "sådana brott kan därför betyda fler kontroller snarare än fler brott, och färre kan betyda "
    "att polisen arbetat med annat."
)


@dataclass
class HobitStats:
    """What the report shows from the Hobit table (counts only; positions stay inside)."""

    kommun: str
    period: int
    min_count: int
    origin: str
    n_total: int
    n_period: int
    n_without_position: int
    study_method: str
    gi: pd.DataFrame = field(repr=False)
    crimes: pd.DataFrame = field(repr=False)  # lat, lon, category, start, time_exact, area
    #: (name, lat, lon) of the configured areas: hot areas are named after them.
    areas: list[tuple[str, float, float]] = field(default_factory=list, repr=False)


def load_hobit(kommun: str) -> pd.DataFrame | None:
    """The processed ``hobit`` table, or None when the kommun has none."""
    try:
        return processed.load_table(kommun, "hobit")
    except TrygghetError:
        return None


def area_of(lat: pd.Series, lon: pd.Series, config: KommunConfig) -> pd.Series:
    """The nearest configured area (the shared rule, :func:`trygghet.stats.areas.nearest_area`),
    else :data:`OUTSIDE`; :data:`NO_POSITION` where the position is missing."""
    la = pd.to_numeric(lat, errors="coerce")
    lo = pd.to_numeric(lon, errors="coerce")
    out = pd.Series(NO_POSITION, index=lat.index, dtype=object)
    has = la.notna() & lo.notna()
    out[has] = OUTSIDE
    near = nearest_area(la, lo, config, AREA_RADIUS_M)
    found = has & near.notna()
    out[found] = near[found]
    return out


def analyse_hobit(
    frame: pd.DataFrame, config: KommunConfig, period: int, boundary=None
) -> HobitStats:
    """Hotspots (Gi* + exact confirmation) and the inputs of the tables, for ``period``."""
    keep = frame[["category", "start", "time_exact", "lat", "lon"]].copy()
    keep["start"] = pd.to_datetime(keep["start"])
    keep["category"] = keep["category"].astype(str)
    keep["area"] = area_of(keep["lat"], keep["lon"], config)
    now = keep[keep["start"].dt.year == int(period)]
    pos = now[now["category"].isin(PROMISE_CATEGORIES)].dropna(subset=["lat", "lon"])
    cells, method = hot.study_area_cells(pos["lat"], pos["lon"], boundary, H3_RESOLUTION)
    gi = (
        hot.confirmed_gi_star(pos["lat"], pos["lon"], cells, resolution=H3_RESOLUTION)
        if cells
        else pd.DataFrame(columns=["h3", "count", "gi_z", "q_value", "class"])
    )
    return HobitStats(
        kommun=config.code,
        period=int(period),
        min_count=int(config.min_count),
        origin=processed.origin(frame),
        n_total=len(frame),
        n_period=len(now),
        n_without_position=int(now[["lat", "lon"]].isna().any(axis=1).sum()),
        study_method=method,
        gi=gi,
        crimes=keep,
        areas=[(a.name, float(a.lat), float(a.lon)) for a in config.areas if a.lat is not None],
    )


def analyse_kommun(
    kommun: str, period: int, config: KommunConfig, shared_data=None
) -> HobitStats | None:
    """:func:`analyse_hobit` of the kommun's processed table, None when it has none.

    The hotspots' study area is the kommun's boundary from the data mirror
    (``shared_data``) when it is there, else the extent of the crimes.
    """
    frame = load_hobit(kommun)
    if frame is None:
        return None
    from trygghet.reports.crime.hobit_figures import boundary_shape

    return analyse_hobit(frame, config, period, boundary_shape(kommun, shared_data))


# --------------------------------------------------------------------------- text


def banner_detail(hs: HobitStats) -> str:
    n = count_text(hs.n_period, bool(0 < hs.n_period < hs.min_count), hs.min_count)
    return (
        f"{n} polisanmälda brott {hs.period} i utdraget. Ärendenummer, platstexter och "
        "positioner visas aldrig; brotten visas bara som antal per hexagon och område."
    )


def show_banner(hs: HobitStats | None) -> None:
    """The source banner (EXEMPELDATA when the extract is example data), or why it is missing."""
    from trygghet.present import page

    if hs is None:
        page.narrative(MISSING_TEXT)
        return
    page.banner(SOURCE, hs.origin, banner_detail(hs))
    page.narrative(WHAT_TEXT)


def show_hotspots(hs: HobitStats | None) -> None:
    """The hotspot sentence as the report's narrative (nothing without a Hobit table)."""
    from trygghet.present import page

    if hs is not None:
        page.narrative(hotspot_sentence(hs))


def show_change(hs: HobitStats | None) -> None:
    """The change sentence with the police-activity caveat (nothing without a Hobit table)."""
    from trygghet.present import page

    if hs is not None:
        page.narrative(change_sentence(hs))


CAPTIONS = {
    "karta": "Polisanmälda brott {year} per hexagon, med heta och kalla punkter (Gi*, bekräftat "
    "med exakt test, FDR 5 %). Ytor med färre än {k} brott visas inte.",
    "tid": "Polisanmälda brott {year} i löftets kategorier efter tid på dygnet (bara brott med "
    "exakt tidpunkt).",
    "veckodag": "Polisanmälda brott {year} i löftets kategorier efter veckodag (bara brott med "
    "exakt tidpunkt).",
}


def caption(hs: HobitStats | None, kind: str):
    """The caption under the Hobit map or chart ``kind``; None without a Hobit table."""
    from trygghet.present import style

    if hs is None:
        return None
    text = CAPTIONS[kind].format(year=hs.period, k=hs.min_count)
    return style.caption(text, f"{SOURCE}, egen bearbetning", hs.origin)


def hotspot_sentence(hs: HobitStats) -> str:
    """Where the promise-3 categories concentrate, in words."""
    table = hot_area_rows(hs)
    if hs.gi.empty or table.empty:
        return (
            f"Inga områden där narkotika-, trafik-, ordnings-, skadegörelse- eller våldsbrott "
            f"samlas mer än slumpen ger {hs.period} (Gi* med exakt kontroll, FDR 5 %)."
        )
    names = join_list(list(dict.fromkeys(table["område"])))
    return (
        f"Brotten i löftets kategorier samlas {hs.period} tydligt mer än slumpen ger nära "
        f"{names} (Gi* med exakt kontroll, FDR 5 %). En het yta visar var många brott anmäls, "
        "inte var risken för den som bor där är störst."
    )


# --------------------------------------------------------------------------- hot areas


def _area_name(cells: list[str], counts: np.ndarray, config_areas: list) -> str:
    centres = np.array([h3.cell_to_latlng(c) for c in cells])
    w = counts if counts.sum() > 0 else np.ones(len(cells))
    lat, lon = (centres * w[:, None]).sum(axis=0) / w.sum()
    if not config_areas:
        return "okänt område"
    d = [h3.great_circle_distance((lat, lon), (a[1], a[2]), unit="m") for a in config_areas]
    i = int(np.argmin(d))
    return (
        str(config_areas[i][0])
        if d[i] <= AREA_RADIUS_M
        else f"{OUTSIDE} (närmast {config_areas[i][0]})"
    )


def hot_area_rows(hs: HobitStats) -> pd.DataFrame:
    """Confirmed hot groups of touching cells: area name, cells, crimes, main categories.

    A group with fewer than ``min_count`` crimes is not listed; a category is
    named only where its count and the rest of the group are 0 or at least
    ``min_count`` (the map's rule). No coordinates, no cell ids.
    """
    cols = ["område", "hexagoner", "anmälda brott", "vanligast"]
    if hs.gi.empty:
        return pd.DataFrame(columns=cols)
    sig = hs.gi[hs.gi["class"] == stats_hotspots.HOT]
    pos = hs.crimes[(hs.crimes["start"].dt.year == hs.period)].dropna(subset=["lat", "lon"])
    pos = pos[pos["category"].isin(PROMISE_CATEGORIES)]
    cell = pd.Series(
        stats_hotspots.points_to_h3(
            pos["lat"].to_numpy(float), pos["lon"].to_numpy(float), H3_RESOLUTION
        ),
        index=pos.index,
        dtype=object,
    )
    rows = []
    for group in hot.touching_groups(list(sig["h3"])):
        part = hs.gi[hs.gi["h3"].isin(group)]
        cats = pos.loc[cell.isin(group), "category"].value_counts().sort_index()
        n = int(cats.sum())
        if n < hs.min_count:
            continue
        shown = shown_counts([int(v) for v in cats], hs.min_count)
        named = sorted(
            ((int(v), c) for (c, v), s in zip(cats.items(), shown, strict=True) if s),
            key=lambda t: (-t[0], t[1]),
        )
        rows.append(
            {
                "område": _area_name(list(part["h3"]), part["count"].to_numpy(float), hs.areas),
                "hexagoner": len(group),
                "anmälda brott": fmt_number(n),
                "vanligast": join_list([f"{c} ({fmt_percent(v / n)})" for v, c in named[:3]])
                or "blandat",
                "_n": n,
            }
        )
    if not rows:
        return pd.DataFrame(columns=cols)
    table = pd.DataFrame(rows).sort_values(["_n", "område"], ascending=[False, True])
    return table[cols].reset_index(drop=True)


def hot_area_table(hs: HobitStats | None) -> PageTable | None:
    """:func:`hot_area_rows` as a page table (EXEMPELDATA marked); None without a Hobit table."""
    return None if hs is None else page_table(hot_area_rows(hs), origin=hs.origin)


# --------------------------------------------------------------------------- time


def when_counts(hs: HobitStats, by: str = "tid") -> pd.DataFrame:
    """Crimes of ``period`` with an exact time, per promise-3 category × hour band or weekday."""
    now = hs.crimes[
        (hs.crimes["start"].dt.year == hs.period)
        & hs.crimes["time_exact"].fillna(False).astype(bool)
    ]
    now = now[now["category"].isin(PROMISE_CATEGORIES)]
    if by == "tid":
        labels = [b[2] for b in HOUR_BANDS]
        key = pd.cut(
            now["start"].dt.hour, [b[0] for b in HOUR_BANDS] + [24], right=False, labels=labels
        )
    elif by == "veckodag":
        labels = list(WEEKDAYS)
        key = now["start"].dt.dayofweek.map(dict(enumerate(WEEKDAYS)))
    else:
        raise ValueError(f"by must be 'tid' or 'veckodag', got {by!r}")
    table = pd.crosstab(now["category"], pd.Categorical(key, categories=labels))
    return table.reindex(index=list(PROMISE_CATEGORIES), columns=labels, fill_value=0).astype(int)


# --------------------------------------------------------------------------- change


def _verdict(cur: int, prev: int, hidden: bool) -> tuple[str, str]:
    if hidden:
        return TOO_FEW, TOO_FEW
    rr = rate_ratio_test(cur, 1.0, prev, 1.0)
    if prev == 0 or cur == 0:
        interval = "–"
    else:
        interval = f"{fmt_number(rr.ratio, 2)} ({fmt_number(rr.low, 2)}–{fmt_number(rr.high, 2)})"
    if rr.p_value < 0.05:
        return interval, "fler" if cur > prev else "färre"
    return interval, "ingen säker förändring"


def change_rows(hs: HobitStats, by: str = "område") -> pd.DataFrame:
    """Promise-3 crimes in ``period`` against the year before, by area or category.

    The ratio and its 95 % interval are the exact conditional test for two
    Poisson counts (:func:`trygghet.stats.rates.rate_ratio_test`, equal
    exposure: one year each); the verdict is that test at 5 %. Counts under
    the rule are "fåtal", with complementary suppression per column (the
    table's sum is the kommun's total, given in the text); a row with a hidden
    count gets no ratio.
    """
    years = [hs.period - 1, hs.period]
    part = hs.crimes[hs.crimes["start"].dt.year.isin(years)]
    part = part[part["category"].isin(PROMISE_CATEGORIES)]
    col = "area" if by == "område" else "category"
    counts = pd.crosstab(part[col], part["start"].dt.year).reindex(columns=years, fill_value=0)
    if by == "kategori":
        counts = counts.reindex(list(PROMISE_CATEGORIES), fill_value=0)
    counts = counts.astype(int)
    hidden = (
        hidden_mask(counts, hs.min_count, margins="columns") if len(counts) else counts.astype(bool)
    )
    rows = []
    for name in counts.index:
        prev, cur = int(counts.at[name, years[0]]), int(counts.at[name, years[1]])
        any_hidden = bool(hidden.loc[name].any())
        ratio, verdict = _verdict(cur, prev, any_hidden)
        rows.append(
            {
                by: str(name),
                str(years[0]): count_text(prev, bool(hidden.at[name, years[0]]), hs.min_count),
                str(years[1]): count_text(cur, bool(hidden.at[name, years[1]]), hs.min_count),
                "kvot (95 % osäkerhetsintervall)": ratio,
                "bedömning": verdict,
            }
        )
    return pd.DataFrame(
        rows, columns=[by, *map(str, years), "kvot (95 % osäkerhetsintervall)", "bedömning"]
    )


def change_table(hs: HobitStats | None, by: str = "område") -> PageTable | None:
    """:func:`change_rows` as a page table; None without a Hobit table."""
    return None if hs is None else page_table(change_rows(hs, by), origin=hs.origin)


def change_sentence(hs: HobitStats) -> str:
    """The kommun's change in words, and why narkotika and trafik follow police activity."""
    rows = change_rows(hs, "kategori").set_index("kategori")
    moved = [
        f"{c} ({rows.at[c, 'bedömning']})"
        for c in rows.index
        if rows.at[c, "bedömning"] in ("fler", "färre")
    ]
    head = (
        f"Mot {hs.period - 1} har antalet anmälda brott ändrats mer än slumpen förklarar för "
        f"{join_list(moved)}."
        if moved
        else f"Mot {hs.period - 1} har inget av löftets brottsslag ändrats mer än slumpen förklarar."
    )
    return f"{head} {POLICE_ACTIVITY_TEXT}"


def crimes_per_area(frame: pd.DataFrame, config: KommunConfig, period: int) -> dict[str, int]:
    """Police-recorded crimes of ``period`` per configured area (for the follow-up's triangulation)."""
    now = frame[pd.to_datetime(frame["start"]).dt.year == int(period)]
    areas = area_of(now["lat"], now["lon"], config)
    names = {a.name for a in config.areas}
    return {str(k): int(v) for k, v in areas.value_counts().items() if k in names}


def shown_in_sentence(n: int, min_count: int) -> str:
    """A count for a sentence: the number, or "ett fåtal" under the rule."""
    few = bool(primary_mask(pd.Series([n]), min_count).iloc[0])
    return "ett fåtal" if few else fmt_number(n)
