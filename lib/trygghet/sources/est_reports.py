"""Reader for EST weekly reports (effektiv samordning för trygghet) and their measures.

In EST the partners (kommun units, the housing company, security guards, the
police, schools, the rescue service…) report events and observations every
week; the weekly meeting turns them into a lägesbild, picks hotspots and
decides measures. Two exports, both ``;``-separated UTF-8 CSV:

* ``est_rapporter.csv``: one row per report (see :data:`REPORT_COLUMNS`),
  read by :func:`read` into the table ``est_reports``;
* ``est_atgarder.csv``: one row per decided measure (see
  :data:`MEASURE_COLUMNS`), read by :func:`read_measures` into the table
  ``est_measures``.

Either may instead be the filled-in Excel template (``est_rapporter.xlsx``,
``est_atgarder.xlsx``; ``trygghet mallar``, see :data:`TEMPLATE` and
:data:`MEASURES_TEMPLATE`).

Assumptions written down, next to the checks that enforce them:

* ``week`` (ISO week, ``2025-W07``) is the EST week the report belongs to.
  Partners report during the week or on the Monday before the meeting, so
  ``reported_at`` must fall in that week or the week after it; anything else
  is a typo in one of them.
* The event happened in the window ``occurred_from`` – ``occurred_to``
  (``occurred_to`` empty = a point in time, or unknown end); the window cannot
  end before it starts, and an event cannot start after it was reported.
* ``measure_id`` must exist in the measures file. By default that is
  ``est_atgarder.csv`` in the same folder; if reports reference measures and
  no measures file is found, reading stops (an unverifiable link is not
  silently accepted).
* ``lat``/``lon`` are optional but come together, WGS 84 inside Sweden.
* ``place``, ``area``, ``description`` (and a measure's ``responsible``) are
  free text (:data:`trygghet.sources.free_text.FREE_TEXT`): they are scrubbed
  of personal data before anything else is done with them, so not even a
  rejected row carries a phone number, personnummer or home address. Names
  are NOT removed by scrubbing; descriptions must be read by a person before
  being quoted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from trygghet.config import KommunConfig
from trygghet.errors import DataError
from trygghet.sources.free_text import scrub_columns
from trygghet.sources.tabular import (
    ReadResult,
    RowProblems,
    check_contract,
    check_in_sweden,
    check_known_areas,
    check_not_future,
    check_unique,
    line_of,
    parse_column,
    read_table,
)
from trygghet.sources.templates import ColumnHelp, Template

SOURCE = "est_reports"
SOURCE_MEASURES = "est_measures"
RAW_FILES = ["est_rapporter.csv", "est_atgarder.csv"]
MEASURES_FILE = "est_atgarder.csv"

REPORT_COLUMNS = [
    "report_id",
    "reported_at",
    "week",
    "occurred_from",
    "occurred_to",
    "reporter_org",
    "category",
    "place",
    "area",
    "lat",
    "lon",
    "description",
    "police_notified",
    "measure_id",
]
#: Columns that may be left out of the file entirely.
REPORT_OPTIONAL = ["lat", "lon", "measure_id"]
MEASURE_COLUMNS = [
    "measure_id",
    "decided_week",
    "place",
    "area",
    "description",
    "responsible",
    "status",
    "done_date",
]

REPORTER_ORGS: tuple[str, ...] = (
    "kommunen",
    "bostadsbolaget",
    "väktare",
    "polisen",
    "skolan",
    "räddningstjänsten",
    "fritidsgården",
    "kollektivtrafiken",
    "annan",
)
CATEGORIES: tuple[str, ...] = (
    "skadegörelse",
    "klotter",
    "nedskräpning",
    "grupp som skapar otrygghet",
    "misstänkt narkotikahandel",
    "otrygg plats",
    "händelse mot personal",
    "annat",
)
#: Measure status: decided, in progress, carried out, closed (ended, with or
#: without being carried out). ``done_date`` is the date it was carried out or
#: closed; it is required for "genomförd", optional for "avslutad" and must be
#: empty while a measure is only decided or in progress.
STATUSES: tuple[str, ...] = ("beslutad", "pågår", "genomförd", "avslutad")

_ORIGINS = ["real", "fetched", "example"]

SCHEMA = pa.DataFrameSchema(
    {
        "report_id": pa.Column("string", unique=True),
        "reported_at": pa.Column("datetime64[us]"),
        "week": pa.Column("string", pa.Check.str_matches(r"^\d{4}-W\d{2}$")),
        "week_start": pa.Column("datetime64[us]"),
        "occurred_from": pa.Column("datetime64[us]"),
        "occurred_to": pa.Column("datetime64[us]", nullable=True),
        "reporter_org": pa.Column("string", pa.Check.isin(REPORTER_ORGS)),
        "category": pa.Column("string", pa.Check.isin(CATEGORIES)),
        "place": pa.Column("string"),
        "area": pa.Column("string"),
        "lat": pa.Column("Float64", pa.Check.in_range(55.0, 69.2), nullable=True),
        "lon": pa.Column("Float64", pa.Check.in_range(10.5, 24.3), nullable=True),
        "description": pa.Column("string", nullable=True),
        "police_notified": pa.Column("boolean"),
        "measure_id": pa.Column("string", nullable=True),
        "origin": pa.Column("string", pa.Check.isin(_ORIGINS)),
    },
    checks=[
        pa.Check(
            lambda df: df["occurred_to"].isna() | (df["occurred_to"] >= df["occurred_from"]),
            name="occurred_to >= occurred_from",
        )
    ],
    strict=True,
    ordered=True,
)

MEASURES_SCHEMA = pa.DataFrameSchema(
    {
        "measure_id": pa.Column("string", unique=True),
        "decided_week": pa.Column("string", pa.Check.str_matches(r"^\d{4}-W\d{2}$")),
        "decided_week_start": pa.Column("datetime64[us]"),
        "place": pa.Column("string"),
        "area": pa.Column("string"),
        "description": pa.Column("string", nullable=True),
        "responsible": pa.Column("string"),
        "status": pa.Column("string", pa.Check.isin(STATUSES)),
        "done_date": pa.Column("datetime64[us]", nullable=True),
        "origin": pa.Column("string", pa.Check.isin(_ORIGINS)),
    },
    strict=True,
    ordered=True,
)


_LAT_HELP = ColumnHelp(
    "float",
    "Platsens latitud (WGS 84, decimalgrader).",
    note="t.ex. 59,7830; fylls i tillsammans med lon, eller lämnas tom",
)
_LON_HELP = ColumnHelp(
    "float",
    "Platsens longitud (WGS 84, decimalgrader).",
    note="t.ex. 14,5170; fylls i tillsammans med lat, eller lämnas tom",
)

#: Every column of ``est_rapporter`` for the partners who fill it in (Swedish): the
#: Excel template and its instructions are made from this table and the lists above.
REPORT_COLUMN_HELP: dict[str, ColumnHelp] = {
    "report_id": ColumnHelp("text", "Rapportens id, unikt.", True, example="EST-2025-0001"),
    "reported_at": ColumnHelp(
        "datetime", "När rapporten lämnades.", True, example="2025-02-14 09:30"
    ),
    "week": ColumnHelp(
        "week",
        "EST-veckan som rapporten hör till.",
        True,
        example="2025-W07",
        note="reported_at ligger i den veckan eller veckan efter",
    ),
    "occurred_from": ColumnHelp(
        "datetime",
        "När händelsen eller iakttagelsen började.",
        True,
        example="2025-02-13 22:00",
        note="inte efter reported_at",
    ),
    "occurred_to": ColumnHelp(
        "datetime",
        "När händelsen slutade.",
        example="2025-02-13 23:30",
        note="tomt = en tidpunkt eller okänt slut; inte före occurred_from",
    ),
    "reporter_org": ColumnHelp(
        "category", "Organisationen som rapporterar.", True, REPORTER_ORGS, example="väktare"
    ),
    "category": ColumnHelp(
        "category", "Vad rapporten gäller.", True, CATEGORIES, example="skadegörelse"
    ),
    "place": ColumnHelp(
        "text", "Platsen: en adress eller ett känt namn.", True, example="Resecentrum"
    ),
    "area": ColumnHelp("area", "Området där platsen ligger.", True, example="Centrum"),
    "lat": _LAT_HELP,
    "lon": _LON_HELP,
    "description": ColumnHelp(
        "freetext",
        "Vad som hände eller sågs.",
        example="Krossad ruta i väntsalen.",
    ),
    "police_notified": ColumnHelp("bool", "Har polisen underrättats?", True, example="ja"),
    "measure_id": ColumnHelp(
        "text",
        "Id för den beslutade åtgärd (measure_id i åtgärdsfilen) som rapporten ledde till.",
        note="tomt om ingen; ska finnas i est_atgarder i samma mapp",
    ),
}

#: Every column of ``est_atgarder`` (Swedish), for its Excel template.
MEASURE_COLUMN_HELP: dict[str, ColumnHelp] = {
    "measure_id": ColumnHelp("text", "Åtgärdens id, unikt.", True, example="ÅTG-2025-01"),
    "decided_week": ColumnHelp(
        "week", "EST-veckan då åtgärden beslutades.", True, example="2025-W08"
    ),
    "place": ColumnHelp("text", "Platsen som åtgärden gäller.", True, example="Resecentrum"),
    "area": ColumnHelp("area", "Området där platsen ligger.", True, example="Centrum"),
    "description": ColumnHelp(
        "freetext", "Vad som ska göras.", example="Utökad rondering fredag och lördag kväll."
    ),
    "responsible": ColumnHelp("text", "Vem som ansvarar för åtgärden.", True, example="kommunen"),
    "status": ColumnHelp(
        "category",
        "Läget: beslutad, pågår, genomförd eller avslutad (avbruten eller avslutad "
        "utan att genomföras).",
        True,
        STATUSES,
        example="genomförd",
    ),
    "done_date": ColumnHelp(
        "date",
        "Dag då åtgärden genomfördes eller avslutades.",
        example="2025-03-07",
        note="krävs när status är genomförd, tomt när beslutad eller pågår; "
        "inte före beslutsveckan och inte i framtiden",
    ),
}

TEMPLATE = Template(
    source=SOURCE,
    file="est_rapporter.xlsx",
    sheet="EST-rapporter",
    title="EST-rapporter (effektiv samordning för trygghet)",
    purpose=(
        "Veckans rapporter från EST-parterna (kommunen, bostadsbolaget, väktare, polisen, "
        "skolan, räddningstjänsten …) om händelser och iakttagelser. De blir lägesbilden "
        "inför veckomötet och underlaget för rapporten om EST."
    ),
    row="rapport",
    columns=tuple(REPORT_COLUMNS),
    column_help=REPORT_COLUMN_HELP,
    rules=(
        "report_id är unikt.",
        "reported_at ligger i veckan week eller veckan efter.",
        "occurred_to ligger inte före occurred_from, och occurred_from inte efter "
        "reported_at; inga tider i framtiden.",
        "lat och lon fylls i båda eller ingen av dem.",
        "measure_id finns i åtgärdsfilen est_atgarder.xlsx (eller .csv) i samma mapp.",
    ),
)

MEASURES_TEMPLATE = Template(
    source=SOURCE_MEASURES,
    file="est_atgarder.xlsx",
    sheet="EST-åtgärder",
    title="EST-åtgärder (beslutade på EST-mötet)",
    purpose=(
        "Åtgärderna som EST-mötet beslutar, med ansvarig och hur det gick. Rapporterna i "
        "est_rapporter hänvisar hit med measure_id, så att effekten på platsen kan följas."
    ),
    row="beslutad åtgärd",
    columns=tuple(MEASURE_COLUMNS),
    column_help=MEASURE_COLUMN_HELP,
    rules=(
        "measure_id är unikt.",
        "done_date krävs när status är genomförd och är tomt när status är beslutad "
        "eller pågår; det ligger inte före beslutsveckans måndag.",
    ),
)


def iso_week_start(week: pd.Series) -> pd.Series:
    """Monday of each ISO week ``YYYY-Www``; NaT where the text is not a valid week."""

    def monday(text: object) -> pd.Timestamp:
        if not isinstance(text, str):
            return pd.NaT
        parts = text.strip().upper().split("-W")
        if len(parts) != 2 or not (parts[0].isdigit() and parts[1].isdigit()):
            return pd.NaT
        if len(parts[0]) != 4 or len(parts[1]) != 2:
            return pd.NaT
        try:
            return pd.Timestamp(dt.date.fromisocalendar(int(parts[0]), int(parts[1]), 1))
        except ValueError:
            return pd.NaT

    return pd.to_datetime(week.map(monday)).astype("datetime64[us]")


def iso_week_label(dates: pd.Series) -> pd.Series:
    """The ISO week ``YYYY-Www`` of each timestamp."""
    iso = dates.dt.isocalendar()
    return iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)


def _parse_week(frame: pd.DataFrame, column: str, problems: RowProblems) -> pd.Series:
    raw = frame[column]
    start = iso_week_start(raw)
    problems.report(raw.isna(), column, raw, "värde saknas", "en ISO-vecka, t.ex. 2025-W07")
    problems.report(
        raw.notna() & start.isna(),
        column,
        raw,
        "ogiltig vecka",
        "en ISO-vecka ÅÅÅÅ-Www, t.ex. 2025-W07",
    )
    return start


def read_measures(
    path: Path,
    *,
    quarantine: bool = False,
    origin: str = "real",
    areas: Iterable[str] | None = None,
    today: pd.Timestamp | None = None,
) -> ReadResult:
    """``est_atgarder.csv`` (or ``.xlsx``) -> the measures table (``est_measures``)."""
    path = Path(path)
    raw, where = read_table(path, MEASURE_COLUMNS, sheet=MEASURES_TEMPLATE.sheet)
    raw = scrub_columns(raw, SOURCE_MEASURES)
    problems = RowProblems(where, quarantine)
    measure_id = parse_column(raw, "measure_id", "str", problems)
    check_unique(measure_id, "measure_id", problems)
    week_start = _parse_week(raw, "decided_week", problems)
    place = parse_column(raw, "place", "str", problems)
    area = parse_column(raw, "area", "str", problems)
    check_known_areas(area, raw, areas, problems)
    description = parse_column(raw, "description", "str", problems, required=False)
    responsible = parse_column(raw, "responsible", "str", problems)
    status = parse_column(
        raw.assign(status=raw["status"].str.lower()),
        "status",
        "category",
        problems,
        allowed=STATUSES,
    )
    done = parse_column(raw, "done_date", "date", problems, required=False)
    check_not_future(done, "done_date", problems, today)
    check_not_future(week_start, "decided_week", problems, today)
    problems.report(
        done.notna() & week_start.notna() & (done < week_start),
        "done_date",
        raw["done_date"],
        "åtgärden är genomförd före veckan den beslutades",
        "ett datum från och med beslutsveckans måndag",
    )
    problems.report(
        (status == "genomförd").fillna(False) & done.isna(),
        "done_date",
        raw["done_date"],
        "datum saknas för en genomförd åtgärd",
        "datumet då åtgärden genomfördes",
    )
    problems.report(
        status.isin(["beslutad", "pågår"]).fillna(False) & done.notna(),
        "done_date",
        raw["done_date"],
        "datum angivet för en åtgärd som inte är klar",
        "tomt när status är beslutad eller pågår",
    )
    table = pd.DataFrame(
        {
            "measure_id": measure_id,
            "decided_week": raw["decided_week"].str.upper().astype("string"),
            "decided_week_start": week_start,
            "place": place,
            "area": area,
            "description": description,
            "responsible": responsible,
            "status": status,
            "done_date": done.astype("datetime64[us]"),
            "origin": pd.Series(origin, index=raw.index, dtype="string"),
        }
    )
    table, rejected = problems.set_aside(table, raw)
    table = check_contract(table, MEASURES_SCHEMA, where).reset_index(drop=True)
    return ReadResult(table, rejected, origin)


def read(
    path: Path,
    *,
    quarantine: bool = False,
    origin: str = "real",
    measures: Path | pd.DataFrame | None = None,
    areas: Iterable[str] | None = None,
    today: pd.Timestamp | None = None,
) -> ReadResult:
    """``est_rapporter.csv`` (or ``.xlsx``) -> the reports table (``est_reports``).

    ``measures`` is the measures file (or its table from :func:`read_measures`)
    that ``measure_id`` must refer to; default ``est_atgarder.csv`` beside the
    reports. ``areas`` (e.g. the configured area names) makes an unknown area
    an error. ``today`` is for tests of the future-date check.
    """
    path = Path(path)
    raw, where = read_table(
        path,
        [c for c in REPORT_COLUMNS if c not in REPORT_OPTIONAL],
        REPORT_OPTIONAL,
        sheet=TEMPLATE.sheet,
    )
    raw = scrub_columns(raw, SOURCE)
    problems = RowProblems(where, quarantine)

    report_id = parse_column(raw, "report_id", "str", problems)
    check_unique(report_id, "report_id", problems)
    reported_at = parse_column(raw, "reported_at", "datetime", problems)
    week_start = _parse_week(raw, "week", problems)
    occurred_from = parse_column(raw, "occurred_from", "datetime", problems)
    occurred_to = parse_column(raw, "occurred_to", "datetime", problems, required=False)
    org = parse_column(
        raw.assign(reporter_org=raw["reporter_org"].str.lower()),
        "reporter_org",
        "category",
        problems,
        allowed=REPORTER_ORGS,
    )
    category = parse_column(
        raw.assign(category=raw["category"].str.lower()),
        "category",
        "category",
        problems,
        allowed=CATEGORIES,
    )
    place = parse_column(raw, "place", "str", problems)
    area = parse_column(raw, "area", "str", problems)
    check_known_areas(area, raw, areas, problems)
    lat = parse_column(raw, "lat", "float", problems, required=False)
    lon = parse_column(raw, "lon", "float", problems, required=False)
    problems.report(
        lat.isna() != lon.isna(),
        "lat/lon",
        lat.astype("string").fillna("") + ", " + lon.astype("string").fillna(""),
        "bara en av koordinaterna är ifylld",
        "både lat och lon, eller ingen av dem",
    )
    check_in_sweden(lat, lon, problems)
    description = parse_column(raw, "description", "str", problems, required=False)
    police = parse_column(raw, "police_notified", "bool", problems)
    measure_id = parse_column(raw, "measure_id", "str", problems, required=False)

    check_not_future(reported_at, "reported_at", problems, today)
    check_not_future(occurred_from, "occurred_from", problems, today)
    check_not_future(occurred_to, "occurred_to", problems, today)
    problems.report(
        occurred_to.notna() & occurred_from.notna() & (occurred_to < occurred_from),
        "occurred_to",
        raw["occurred_to"],
        "tidsfönstret slutar innan det börjar",
        f"en tid från och med occurred_from ({'se samma rad'})",
    )
    problems.report(
        occurred_from.notna() & reported_at.notna() & (occurred_from > reported_at),
        "occurred_from",
        raw["occurred_from"],
        "händelsen började efter att den rapporterades",
        "en tid före reported_at",
    )
    reported_day = reported_at.dt.normalize()
    outside_week = (
        week_start.notna()
        & reported_day.notna()
        & ((reported_day < week_start) | (reported_day >= week_start + pd.Timedelta(days=14)))
    )
    problems.report(
        outside_week,
        "week",
        raw["week"] + " (reported_at " + raw["reported_at"].fillna("") + ")",
        "veckan stämmer inte med rapporteringsdatumet",
        "samma ISO-vecka som reported_at eller veckan före",
    )
    _check_measure_links(path, where, measure_id, measures, problems)

    table = pd.DataFrame(
        {
            "report_id": report_id,
            "reported_at": reported_at.astype("datetime64[us]"),
            "week": raw["week"].str.upper().astype("string"),
            "week_start": week_start,
            "occurred_from": occurred_from.astype("datetime64[us]"),
            "occurred_to": occurred_to.astype("datetime64[us]"),
            "reporter_org": org,
            "category": category,
            "place": place,
            "area": area,
            "lat": lat,
            "lon": lon,
            "description": description,
            "police_notified": police,
            "measure_id": measure_id,
            "origin": pd.Series(origin, index=raw.index, dtype="string"),
        }
    )
    table, rejected = problems.set_aside(table, raw)
    table = check_contract(table, SCHEMA, where).reset_index(drop=True)
    return ReadResult(table, rejected, origin)


def _measures_beside(path: Path, where: str | Path) -> Path | None:
    """The measures file next to the reports: ``est_atgarder.csv`` or its Excel template."""
    found = [
        candidate
        for candidate in (path.parent / MEASURES_FILE, path.parent / MEASURES_TEMPLATE.file)
        if candidate.exists()
    ]
    if len(found) > 1:
        raise DataError(
            where,
            f"både {found[0].name} och {found[1].name} finns bredvid rapporterna, så det "
            "är oklart vilken åtgärdsfil som gäller",
            column="measure_id",
            expected="bara en av dem (ta bort eller byt namn på den andra)",
        )
    return found[0] if found else None


def _check_measure_links(
    path: Path,
    where: str | Path,
    measure_id: pd.Series,
    measures: Path | pd.DataFrame | None,
    problems: RowProblems,
) -> None:
    """Every ``measure_id`` must name a measure in the measures file."""
    linked = measure_id.notna()
    if not linked.any():
        return
    if measures is None:
        measures = _measures_beside(path, where)
    if measures is None:
        first = linked[linked].index[0]
        raise DataError(
            where,
            f"rapporterna hänvisar till åtgärder men åtgärdsfilen {MEASURES_FILE} finns inte "
            "bredvid, så hänvisningarna kan inte kontrolleras",
            row=line_of(first),
            column="measure_id",
            found=measure_id.loc[first],
            expected=f"{MEASURES_FILE} eller {MEASURES_TEMPLATE.file} i samma mapp (eller tom measure_id)",
        )
    if isinstance(measures, pd.DataFrame):
        known = set(measures["measure_id"].dropna().astype(str))
    else:
        frame = read_table(Path(measures), ["measure_id"], sheet=MEASURES_TEMPLATE.sheet).frame
        # Scrubbed as read_measures scrubs them, so that the ids compare alike.
        known = set(scrub_columns(frame, SOURCE_MEASURES)["measure_id"].dropna())
    problems.report(
        linked & ~measure_id.isin(known),
        "measure_id",
        measure_id,
        "åtgärden finns inte i åtgärdsfilen",
        f"ett measure_id ur {MEASURES_FILE}",
    )


# --------------------------------------------------------------------------- example data

EXAMPLE_START = pd.Timestamp("2023-01-02")  # Monday of 2023-W01
EXAMPLE_END = pd.Timestamp("2026-10-31 23:59")

#: Generic fictional place names (present in almost any Swedish locality).
_TOWN_PLACES = [
    "Resecentrum",
    "Torget",
    "Skolgården vid centralskolan",
    "Återvinningsstationen",
    "Idrottsplatsen",
    "Lekparken i centrum",
    "Gång- och cykeltunneln",
    "Parkeringen vid livsmedelsbutiken",
    "Fritidsgården",
    "Badplatsen",
    "Järnvägsparken",
    "Bostadsområdet Norra",
]
_VILLAGE_PLACES = ["Busshållplatsen", "Badplatsen", "Bygdegården"]

#: Hotspots: (area index, place index in _TOWN_PLACES, weight).
_HOTSPOTS = [(0, 0, 9.0), (0, 2, 7.0), (0, 3, 5.0), (1, 1, 5.0)]

#: Measures at hotspots: (area idx, place idx, decided week, status, done after
#: n weeks, factor on the place's report rate from two weeks after the decision,
#: responsible, text).
# fmt: off
_HOTSPOT_MEASURES = [
    (0, 0, "2024-W20", "genomförd", 4, 0.25, "kommunen",
     "Bättre belysning och beskärning av buskage vid väntsalen."),
    (0, 2, "2025-W10", "genomförd", 6, 0.3, "väktare",
     "Utökad rondering fredag och lördag kväll 20–02."),
    (0, 3, "2026-W14", "pågår", None, 0.6, "bostadsbolaget",
     "Tätare tömning, fler papperskorgar och skyltning om kamerabevakning."),
]
#: Measures elsewhere (not hotspots): (area idx, place idx, week, status, done
#: after n weeks, responsible, text).
_OTHER_MEASURES = [
    (1, 1, "2023-W35", "avslutad", 10, "polisen",
     "Riktade kontroller av buskörning kvällstid under augusti–oktober."),
    (0, 8, "2024-W41", "genomförd", 3, "kommunen",
     "Fältassistenter på plats fredagar under höstlovet."),
    (0, 6, "2026-W40", "beslutad", None, "kommunen",
     "Ny belysning i gång- och cykeltunneln (beställd)."),
]
# fmt: on

_CATEGORY_P = np.array([0.20, 0.14, 0.16, 0.17, 0.08, 0.10, 0.07, 0.08])
_ORG_BY_CATEGORY = {
    "skadegörelse": ["kommunen", "bostadsbolaget", "väktare", "skolan", "räddningstjänsten"],
    "klotter": ["kommunen", "bostadsbolaget", "skolan", "kollektivtrafiken"],
    "nedskräpning": ["kommunen", "bostadsbolaget", "väktare"],
    "grupp som skapar otrygghet": ["väktare", "polisen", "fritidsgården", "kollektivtrafiken"],
    "misstänkt narkotikahandel": ["polisen", "väktare", "skolan", "fritidsgården"],
    "otrygg plats": ["kommunen", "skolan", "bostadsbolaget", "annan"],
    "händelse mot personal": ["skolan", "kollektivtrafiken", "fritidsgården", "räddningstjänsten"],
    "annat": ["kommunen", "räddningstjänsten", "annan", "polisen"],
}
_POLICE_P = {
    "skadegörelse": 0.45,
    "klotter": 0.15,
    "nedskräpning": 0.02,
    "grupp som skapar otrygghet": 0.45,
    "misstänkt narkotikahandel": 0.9,
    "otrygg plats": 0.1,
    "händelse mot personal": 0.6,
    "annat": 0.2,
}
_TEXTS = {
    "skadegörelse": [
        "Krossad ruta i väntkuren, glas på marken.",
        "Sönderslagen papperskorg och avbruten skylt.",
        "Brand i soptunna, släckt av personal.",
        "Uppbrutet förråd, dörren skadad.",
    ],
    "klotter": [
        "Nytt klotter på fasaden, cirka två kvadratmeter.",
        "Taggar på elskåp och bänkar.",
        "Klotter med kränkande text på väggen, behöver saneras snabbt.",
    ],
    "nedskräpning": [
        "Mycket skräp och glasflaskor efter helgen.",
        "Fimpar och engångsgrillar kvar på gräsytan.",
        "Grovsopor ställda bredvid containrarna.",
    ],
    "grupp som skapar otrygghet": [
        "Grupp om 8–10 ungdomar, hög musik och mopeder, boende upplever otrygghet.",
        "Samling av personer kvällstid, förbipasserande tar en annan väg.",
        "Ungdomar kastade sten mot fönster och sprang därifrån.",
    ],
    "misstänkt narkotikahandel": [
        "Misstänkt överlämning mellan bilar på parkeringen, återkommande kvällstid.",
        "Personal har hittat förpackningar som kan tyda på narkotikaförsäljning.",
        "Kort besök av flera personer vid samma bil, mönstret återkommer.",
    ],
    "otrygg plats": [
        "Trasig belysning, mörkt längs gångvägen.",
        "Igenvuxen buske skymmer sikten vid entrén.",
        "Boende upplever platsen som ödslig på kvällen.",
    ],
    "händelse mot personal": [
        "Personal blev hotad verbalt vid stängning.",
        "Chaufför blev utsatt för spott och glåpord.",
        "Personal knuffad i samband med tillsägelse.",
    ],
    "annat": [
        "Övergiven cykel sedan flera veckor.",
        "Lös hund som skrämt förbipasserande.",
        "Fyrverkerier avfyrade mot byggnad.",
    ],
}
#: Planted personal data (fictional) so that the scrubbing is exercised.
_PLANTED = [
    " Vittne nås på 070-123 45 67.",
    " Bil med reg ABC 123 sågs lämna platsen.",
    " Uppgiftslämnare 19800101-1234 vill bli kontaktad.",
    " Mer info: fiktiv.person@example.se.",
]
_SCHOOL_HOLIDAY_WEEKS = {1, 8, 14, 44, 52, *range(25, 34)}
_SEASON = np.array([0.7, 0.7, 0.8, 0.9, 1.1, 1.35, 1.45, 1.35, 1.1, 1.0, 0.85, 0.9])
#: Elevated weeks: (ISO year, week, multiplier, place boosted).
_ELEVATED = [(2024, 18, 3.0, (0, 1)), (2025, 38, 2.5, (0, 2))]


def example_places(config: KommunConfig) -> pd.DataFrame:
    """Fictional places around the configured areas (tätorter get many, byar few)."""
    rng = np.random.default_rng([int(config.code), 77])
    areas = config.areas or []
    rows = []
    if not areas:
        areas_list = [(config.name, "tätort", None, None)]
    else:
        areas_list = [(a.name, a.kind, a.lat, a.lon) for a in areas]
    # EST reporters (schools, transit, housing companies) sit in the central
    # place: with no tätort configured (a generated default config without the
    # mirror has one point for the whole kommun) the first area stands in for it,
    # so every kommun's example has hotspots and measures.
    no_town = not any(kind in ("tätort", "stadsdel") for _, kind, _, _ in areas_list)
    for ai, (name, kind, lat, lon) in enumerate(areas_list):
        town = kind in ("tätort", "stadsdel") or (no_town and ai == 0)
        names = _TOWN_PLACES if town else _VILLAGE_PLACES
        radius = 700.0 if town else 250.0
        for pi, place in enumerate(names):
            if lat is None or lon is None:
                plat, plon = np.nan, np.nan
            else:
                north, east = rng.normal(0, radius / 2, 2)
                plat = lat + north / 111_320
                plon = lon + east / (111_320 * np.cos(np.radians(lat)))
            weight = 1.0 if town else 0.25
            rows.append((ai, pi, place, name, plat, plon, weight))
    places = pd.DataFrame(rows, columns=["ai", "pi", "place", "area", "lat", "lon", "weight"])
    for ai, pi, w in _HOTSPOTS:
        places.loc[(places.ai == ai) & (places.pi == pi) & (places.weight == 1.0), "weight"] = w
    return places


def _measure_rows(places: pd.DataFrame) -> list[dict[str, object]]:
    first: dict[tuple[int, int], object] = {}
    for place in places.itertuples(index=False):
        first.setdefault((place.ai, place.pi), place)

    def find(ai: int, pi: int):  # noqa: ANN202 - a row of places, or None
        hit = first.get((ai, pi))
        return None if hit is None or hit.place not in _TOWN_PLACES else hit

    rows = []
    specs = list(_HOTSPOT_MEASURES)
    specs += [(a, p, w, s, n, None, r, t) for a, p, w, s, n, r, t in _OTHER_MEASURES]
    for i, (ai, pi, week, status, n_weeks, effect, responsible, text) in enumerate(specs):
        place = find(ai, pi)
        if place is None:
            continue
        start = iso_week_start(pd.Series([week])).iloc[0]
        done = start + pd.Timedelta(weeks=n_weeks, days=3) if n_weeks else None
        rows.append(
            {
                "measure_id": f"M{week[:4]}-{i + 1:02d}",
                "decided_week": week,
                "place": place.place,
                "area": place.area,
                "description": text,
                "responsible": responsible,
                "status": status,
                "done_date": done.date().isoformat() if done is not None else "",
                "_ai": ai,
                "_pi": pi,
                "_start": start,
                "_effect": effect,
            }
        )
    return rows


def _cdf(p: np.ndarray | list[float]) -> np.ndarray:
    """The cumulative weights that :func:`_draw` samples from (normalised like numpy's)."""
    cdf = np.asarray(p, dtype=float).cumsum()
    cdf /= cdf[-1]
    return cdf


def _draw(rng: np.random.Generator, cdf: np.ndarray) -> int:
    """``rng.choice(len(p), p=p)`` with ``cdf = _cdf(p)``: the same draw from the same stream.

    numpy's ``choice`` builds the cumulative sum and checks ``p`` on every
    call; the example reports draw a few thousand times per kommun, so the
    weights are prepared once and only the uniform draw is made here.
    """
    return int(cdf.searchsorted(rng.random(), side="right"))


def _pick(rng: np.random.Generator, items: list) -> object:
    """``rng.choice(items)`` (uniform): the same draw from the same stream."""
    return items[int(rng.integers(0, len(items)))]


_EVENING_HOURS = [17, 18, 19, 20, 21, 22, 23]
_EVENING_CDF = _cdf([0.08, 0.12, 0.16, 0.2, 0.2, 0.14, 0.1])
#: Evenings and weekends: Friday–Sunday weigh more.
_DAY_P = np.array([1.0, 1.0, 1.0, 1.1, 1.5, 1.6, 1.3])
_DAY_CDF = _cdf(_DAY_P / _DAY_P.sum())


def _time_window(
    rng: np.random.Generator, category: str, day: dt.datetime, summer: bool
) -> tuple[dt.datetime, dt.datetime | None]:
    """When the event happened: a point or a window, by category and season."""
    if category in ("klotter", "skadegörelse", "nedskräpning") and rng.random() < 0.6:
        # Discovered in the morning: happened some time during the night.
        start = day + dt.timedelta(hours=int(rng.integers(18, 23)))
        end = day + dt.timedelta(days=1, hours=int(rng.integers(6, 9)))
        return start, end
    if category in ("grupp som skapar otrygghet", "misstänkt narkotikahandel"):
        hour = _EVENING_HOURS[_draw(rng, _EVENING_CDF)]
        if summer:
            hour = min(hour + 1, 23)
    elif category in ("händelse mot personal", "otrygg plats"):
        hour = int(rng.integers(8, 21))
    else:
        hour = int(rng.integers(7, 24))
    start = day + dt.timedelta(hours=hour, minutes=int(rng.integers(0, 12)) * 5)
    if rng.random() < 0.4:
        return start, start + dt.timedelta(minutes=int(rng.integers(2, 13)) * 15)
    return start, None


def _example_tables(config: KommunConfig, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng([seed, int(config.code), 31])
    places = example_places(config)
    measures = _measure_rows(places)
    weeks = pd.date_range(EXAMPLE_START, EXAMPLE_END, freq="7D").to_pydatetime()
    last_moment = EXAMPLE_END.to_pydatetime()
    size = 1.0 + 0.15 * max(0, len([a for a in config.areas if a.kind == "tätort"]) - 1)
    rows: list[dict[str, object]] = []
    place_rows = list(places.itertuples(index=False))
    ai, pi = places["ai"].to_numpy(), places["pi"].to_numpy()
    base_weight = places["weight"].to_numpy()
    # What changes a place's weight, prepared once: (from when, which places, factor).
    effects = [
        (m["_start"] + pd.Timedelta(weeks=2), (ai == m["_ai"]) & (pi == m["_pi"]), m["_effect"])
        for m in measures
        if m["_effect"] is not None
    ]
    # Reports from the three weeks before a measure link to it (the last one listed wins).
    links = [
        ((m["_ai"], m["_pi"]), m["_start"] - pd.Timedelta(weeks=3), m["_start"], m["measure_id"])
        for m in measures
    ]
    category_cdf: dict[tuple[bool, str], np.ndarray] = {}
    counter = 0
    for monday in weeks:
        iso = monday.isocalendar()
        mult = _SEASON[(monday + dt.timedelta(days=3)).month - 1]
        if iso.week in _SCHOOL_HOLIDAY_WEEKS:
            mult *= 1.25
        boost = None
        for year, week, m, spot in _ELEVATED:
            if (iso.year, iso.week) == (year, week):
                mult *= m
                boost = spot
        weight = base_weight.copy()
        for since, where, effect in effects:
            if monday >= since:
                weight[where] *= effect
        if boost is not None:
            weight[(ai == boost[0]) & (pi == boost[1])] *= 8
        place_cdf = _cdf(weight / weight.sum())
        n = rng.poisson(4.0 * size * mult)
        summer = monday.month in (6, 7, 8)
        for _ in range(n):
            counter += 1
            p = place_rows[_draw(rng, place_cdf)]
            cat_cdf = category_cdf.get((summer, p.place))
            if cat_cdf is None:
                cat_p = _CATEGORY_P.copy()
                if summer:
                    cat_p[3] *= 2.0
                if p.place in ("Återvinningsstationen", "Badplatsen"):
                    cat_p[2] *= 3.0
                if p.place.startswith("Skolgården"):
                    cat_p[0] *= 2.0
                cat_cdf = category_cdf[(summer, p.place)] = _cdf(cat_p / cat_p.sum())
            category = CATEGORIES[_draw(rng, cat_cdf)]
            day = monday + dt.timedelta(days=_draw(rng, _DAY_CDF))
            start, end = _time_window(rng, category, day, summer)
            last = end if end is not None else start
            reported = last + dt.timedelta(hours=int(rng.integers(1, 72)))
            reported = reported.replace(second=0, microsecond=0)
            if reported > last_moment:
                continue
            iso_start = start.isocalendar()
            week = f"{iso_start.year}-W{iso_start.week:02d}"
            text = str(_pick(rng, _TEXTS[category]))
            if rng.random() < 0.05:
                text += str(_pick(rng, _PLANTED))
            has_xy = not np.isnan(p.lat) and rng.random() < 0.85
            jitter = rng.normal(0, 25, 2) / 111_320
            link = ""
            for place, first, decided, measure_id in links:
                if place == (p.ai, p.pi) and first <= monday <= decided:
                    link = measure_id
            rows.append(
                {
                    "report_id": f"EST-{start.year}-{counter:05d}",
                    "reported_at": reported.strftime("%Y-%m-%d %H:%M"),
                    "week": week,
                    "occurred_from": start.strftime("%Y-%m-%d %H:%M"),
                    "occurred_to": end.strftime("%Y-%m-%d %H:%M") if end is not None else "",
                    "reporter_org": str(_pick(rng, _ORG_BY_CATEGORY[category])),
                    "category": category,
                    "place": p.place,
                    "area": p.area,
                    "lat": f"{p.lat + jitter[0]:.6f}" if has_xy else "",
                    "lon": f"{p.lon + jitter[1] / np.cos(np.radians(p.lat)):.6f}" if has_xy else "",
                    "description": text,
                    "police_notified": "ja" if rng.random() < _POLICE_P[category] else "nej",
                    "measure_id": link,
                }
            )
    reports = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    measure_table = pd.DataFrame(measures, columns=MEASURE_COLUMNS)
    return reports, measure_table


def generate_example(config: KommunConfig, out_dir: Path, seed: int = 0) -> list[Path]:
    """Write fictional ``est_rapporter.csv`` and ``est_atgarder.csv`` (2023-W01 – 2026-10-31).

    Built-in patterns: about four reports a week, more in summer and school
    holidays, most on Friday–Sunday evenings; four hotspots (three in the first
    configured area, one in the second) reported again and again; two elevated
    weeks (Valborg 2024, a series at the school in September 2025); measures
    decided at three hotspots after which reports there fall (from two weeks
    after the decision); a few measures elsewhere. Reports from the three
    weeks before a measure link to it. About 5 % of descriptions carry planted
    fictional personal data.
    """
    reports, measures = _example_tables(config, seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in zip(RAW_FILES, (reports, measures), strict=True):
        target = out_dir / name
        frame.to_csv(target, sep=";", index=False, encoding="utf-8", lineterminator="\n")
        paths.append(target)
    return paths
