"""Residents' reports of places where they feel unsafe ("orosanmälningar").

Kommuner collect these through an app for unsafe places ("appen för
otrygghet"), a public web form or a map form in their felanmälan system. Two
export shapes are accepted, with the same fields:

* ``orosanmalningar.csv``: ``;``-separated UTF-8 with the columns
  ``report_id;created_at;category;lat;lon;address;postal_code;description;status``;
* ``orosanmalningar.geojson``: a GeoJSON FeatureCollection, one Feature per
  report, a Point geometry (``[lon, lat]``, WGS 84) or ``null`` when the
  reporter gave no position, and the other fields as ``properties``;
* ``orosanmalningar.xlsx``: the filled-in Excel template (``trygghet mallar``,
  see :data:`TEMPLATE`), the CSV's columns on a sheet.

A kommun supplies one of them; the reader decides by the file suffix.

What the tidy table promises (see ``docs/data/resident_reports.md``):

* ``created_at`` is when the report was made (local Swedish time), which is
  not necessarily when the resident felt unsafe there.
* ``category`` and ``status`` are lower-cased before they are checked
  (exports differ in capitalisation); the lists are :data:`CATEGORIES` and
  :data:`STATUSES`. Status may be empty: some apps have no case handling.
* Position: from the coordinates when both are given (``position_source`` =
  "koordinat"); otherwise from the postal code, which the code list maps to a
  kommun only, never to a point, so the position stays missing and
  ``position_source`` = "postnummer"; otherwise "saknas".
* ``description`` and ``address`` (the free-text columns listed in
  :data:`trygghet.sources.free_text.FREE_TEXT`) are scrubbed of personal
  data before anything else is done with them (also in rejected rows): the
  table never holds the raw free text.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from trygghet import paths
from trygghet.config import KommunConfig
from trygghet.errors import DataError
from trygghet.sources.free_text import scrub_columns
from trygghet.sources.tabular import (
    ReadResult,
    RowProblems,
    check_contract,
    check_in_sweden,
    check_not_future,
    check_unique,
    decode_text,
    parse_column,
    read_table,
)
from trygghet.sources.templates import ColumnHelp, Template

SOURCE = "resident_reports"
RAW_FILES = ["orosanmalningar.csv", "orosanmalningar.geojson"]

COLUMNS = [
    "report_id",
    "created_at",
    "category",
    "lat",
    "lon",
    "address",
    "postal_code",
    "description",
    "status",
]

#: Categories as the common apps and map forms name them; "annat" is the catch-all.
CATEGORIES = [
    "belysning",
    "insyn",
    "klotter",
    "nedskräpning",
    "ödslig plats",
    "samling av personer",
    "trafik",
    "skadegörelse",
    "annat",
]
#: ny = not yet handled, pågår = being handled, åtgärdad = measure done,
#: avslagen = closed without measure (not the kommun's responsibility, duplicate…).
STATUSES = ["ny", "pågår", "åtgärdad", "avslagen"]
POSITION_SOURCES = ["koordinat", "postnummer", "saknas"]

TIDY_COLUMNS = [
    "report_id",
    "created_at",
    "category",
    "status",
    "lat",
    "lon",
    "position_source",
    "address",
    "postal_code",
    "postal_kommun_code",
    "description",
    "origin",
]

_STR = pd.StringDtype()

SCHEMA = pa.DataFrameSchema(
    {
        "report_id": pa.Column(_STR, unique=True, nullable=False),
        "created_at": pa.Column(pa.DateTime, nullable=False),
        "category": pa.Column(_STR, pa.Check.isin(CATEGORIES), nullable=False),
        "status": pa.Column(_STR, pa.Check.isin(STATUSES), nullable=True),
        "lat": pa.Column("Float64", pa.Check.in_range(55.0, 69.2), nullable=True),
        "lon": pa.Column("Float64", pa.Check.in_range(10.5, 24.3), nullable=True),
        "position_source": pa.Column(_STR, pa.Check.isin(POSITION_SOURCES), nullable=False),
        "address": pa.Column(_STR, nullable=True),
        "postal_code": pa.Column(_STR, pa.Check.str_matches(r"^\d{5}$"), nullable=True),
        "postal_kommun_code": pa.Column(_STR, pa.Check.str_matches(r"^\d{4}$"), nullable=True),
        "description": pa.Column(_STR, nullable=True),
        "origin": pa.Column(_STR, pa.Check.isin(["real", "fetched", "example"])),
    },
    checks=[
        pa.Check(
            lambda df: df["lat"].isna() == df["lon"].isna(),
            error="lat och lon anges båda eller ingen",
        ),
        pa.Check(
            lambda df: (df["position_source"] == "koordinat") == df["lat"].notna(),
            error="position_source = koordinat precis när koordinater finns",
        ),
    ],
    strict=True,
    ordered=True,
)


#: Every raw column for the staff who fill it in (Swedish): the Excel template
#: and its instructions are made from this table and the lists above.
COLUMN_HELP: dict[str, ColumnHelp] = {
    "report_id": ColumnHelp("text", "Anmälans id, unikt.", True, example="O-2025-0001"),
    "created_at": ColumnHelp(
        "datetime",
        "När anmälan gjordes (inte nödvändigtvis när personen kände sig otrygg).",
        True,
        example="2025-03-12 18:45",
        note="inte i framtiden",
    ),
    "category": ColumnHelp(
        "category", "Vad anmälan gäller.", True, tuple(CATEGORIES), example="belysning"
    ),
    "lat": ColumnHelp(
        "float",
        "Platsens latitud (WGS 84, decimalgrader).",
        note="t.ex. 59,7830; fylls i tillsammans med lon, eller lämnas tom",
    ),
    "lon": ColumnHelp(
        "float",
        "Platsens longitud (WGS 84, decimalgrader).",
        note="t.ex. 14,5170; fylls i tillsammans med lat, eller lämnas tom",
    ),
    "address": ColumnHelp(
        "freetext",
        "Adressen eller platsen som anmälan gäller (inte anmälarens egen adress).",
        example="Storgatan 12",
    ),
    "postal_code": ColumnHelp(
        "text",
        "Postnummer för platsen, när koordinater saknas.",
        example="712 31",
        note="fem siffror, med eller utan mellanslag",
    ),
    "description": ColumnHelp(
        "freetext",
        "Vad anmälaren skrev om platsen.",
        example="Mörkt och ödsligt på kvällen, flera lampor är trasiga.",
    ),
    "status": ColumnHelp(
        "category",
        "Handläggningens läge: ny, pågår, åtgärdad eller avslagen (stängd utan åtgärd).",
        allowed=tuple(STATUSES),
        example="ny",
        note="tomt om anmälningarna inte handläggs",
    ),
}

TEMPLATE = Template(
    source=SOURCE,
    file="orosanmalningar.xlsx",
    sheet="Orosanmälningar",
    title="Orosanmälningar: platser där invånare känner sig otrygga",
    purpose=(
        "Invånarnas anmälningar av platser där de känner sig otrygga (app, webbformulär "
        "eller felanmälan). Rapporten om platser visar var anmälningarna samlas och vad "
        "de gäller."
    ),
    row="anmälan",
    columns=tuple(COLUMNS),
    column_help=COLUMN_HELP,
    rules=(
        "report_id är unikt; created_at ligger inte i framtiden.",
        "lat och lon fylls i båda eller ingen av dem; saknas de används postnumret.",
    ),
)


@cache
def _mirror_postal_codes() -> dict[str, str]:
    """Postal code -> kommun code from the mirror's code list (empty when absent)."""
    path = paths.shared_data_dir() / "codes" / "postal_to_municipality.csv"
    if not path.is_file():
        return {}
    table = pd.read_csv(path, dtype=str)
    return dict(zip(table["postal_code"], table["municipality_code"], strict=True))


def postal_code_kommuner() -> dict[str, str]:
    """Postal code (5 digits) -> kommun code (4 characters).

    From ``codes/postal_to_municipality.csv`` in the real-data mirror (~82 %
    of Sweden's postal codes). Without the mirror the mapping is empty and
    ``postal_kommun_code`` stays missing.
    """
    return dict(_mirror_postal_codes())


# ---------------------------------------------------------------------------
# Reading


class _FeatureProblems(RowProblems):
    """Row problems of a GeoJSON file: the "row" is the feature's number (1 = first)."""

    def report(
        self, mask: pd.Series, column: str, found: pd.Series, message: str, expected: str
    ) -> None:
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        if not self.quarantine:
            first = mask[mask].index[0]
            raise DataError(
                self.path,
                f"{message} (rad = objekt nr {int(first) + 1} i 'features')",
                row=int(first) + 1,
                column=column,
                found=found.loc[first],
                expected=expected,
            )
        super().report(mask, column, found, message, expected)

    def split(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        good, rejected = super().split(frame)
        if not rejected.empty:
            rejected["rad"] = rejected["rad"] - 1  # line_of adds a header line GeoJSON lacks
        return good, rejected


def _read_geojson(path: Path) -> pd.DataFrame:
    """The features of a FeatureCollection as a frame of strings, like the CSV reader's."""
    text = decode_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            path,
            "ogiltig JSON (filen kan vara avkortad)",
            row=exc.lineno,
            found=f"{exc.msg} vid tecken {exc.colno}",
            expected="en komplett GeoJSON FeatureCollection",
        ) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        found = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise DataError(path, "fel GeoJSON-typ", found=found, expected="type = 'FeatureCollection'")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise DataError(
            path, "inga anmälningar i filen", column="features", expected="minst ett Feature"
        )
    required = [c for c in COLUMNS if c not in ("lat", "lon")]
    records: list[dict[str, str | None]] = []
    for number, feature in enumerate(features, start=1):
        where = {"row": number}
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise DataError(
                path, "objektet är inget Feature", **where, found=str(feature)[:60],
                expected="type = 'Feature'",
            )  # fmt: skip
        props = feature.get("properties")
        if not isinstance(props, dict):
            raise DataError(
                path, "properties saknas", **where, column="properties", expected="ett objekt"
            )
        missing = [c for c in required if c not in props]
        if missing:
            raise DataError(
                path,
                f"egenskaper saknas: {', '.join(missing)}",
                **where,
                column=missing[0],
                found=", ".join(props),
                expected=", ".join(required),
            )
        geometry = feature.get("geometry")
        lat = lon = None
        if geometry is not None:
            coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
            if (
                not isinstance(geometry, dict)
                or geometry.get("type") != "Point"
                or not isinstance(coords, list)
                or len(coords) < 2
            ):
                raise DataError(
                    path,
                    "geometrin är ingen punkt",
                    **where,
                    column="geometry",
                    found=str(geometry)[:80],
                    expected="{'type': 'Point', 'coordinates': [lon, lat]} eller null",
                )
            lon, lat = coords[0], coords[1]
        record: dict[str, str | None] = {}
        for column in COLUMNS:
            value = {"lat": lat, "lon": lon}.get(column, props.get(column))
            record[column] = None if value is None else str(value).strip() or None
        records.append(record)
    return pd.DataFrame(records, columns=COLUMNS, dtype=object)


def _normalise_postal_code(raw: pd.Series, problems: RowProblems) -> pd.Series:
    """'712 31' and '71231' -> '71231'; anything else is a row error."""
    cleaned = raw.astype("string").str.replace(r"[\s\u00a0]", "", regex=True)
    bad = cleaned.notna() & ~cleaned.str.fullmatch(r"\d{5}").fillna(False).astype(bool)
    problems.report(bad, "postal_code", raw, "ogiltigt postnummer", "fem siffror, t.ex. 712 31")
    return cleaned.where(~bad)


def read(
    path: Path,
    *,
    quarantine: bool = False,
    origin: str = "real",
    postal_codes: Mapping[str, str] | None = None,
    today: pd.Timestamp | None = None,
) -> ReadResult:
    """Read one export of resident reports (CSV, GeoJSON or Excel) into the tidy table.

    ``postal_codes`` maps postal code -> kommun code (default: the mirror's
    code list, see :func:`postal_code_kommuner`). ``today`` is for tests of
    the future-date check.
    """
    path = Path(path)
    if path.suffix.lower() in (".geojson", ".json"):
        raw = _read_geojson(path)
        problems: RowProblems = _FeatureProblems(path, quarantine)
    else:
        raw, where = read_table(path, required=COLUMNS, sheet=TEMPLATE.sheet)
        problems = RowProblems(where, quarantine)

    # Scrub first, so that not even a rejected row carries the raw free text.
    raw = scrub_columns(raw, SOURCE)
    for column in ("category", "status"):
        raw[column] = raw[column].where(raw[column].isna(), raw[column].str.lower())

    table = pd.DataFrame(index=raw.index)
    table["report_id"] = parse_column(raw, "report_id", "str", problems)
    check_unique(table["report_id"], "report_id", problems)
    table["created_at"] = parse_column(raw, "created_at", "datetime", problems)
    check_not_future(table["created_at"], "created_at", problems, today=today)
    table["category"] = parse_column(raw, "category", "category", problems, allowed=CATEGORIES)
    table["status"] = parse_column(
        raw, "status", "category", problems, allowed=STATUSES, required=False
    )
    lat = parse_column(raw, "lat", "float", problems, required=False)
    lon = parse_column(raw, "lon", "float", problems, required=False)
    half = lat.isna() != lon.isna()
    problems.report(
        half,
        "lat/lon",
        raw["lat"].astype(str) + ", " + raw["lon"].astype(str),
        "bara en av koordinaterna är ifylld",
        "både lat och lon, eller ingen av dem",
    )
    check_in_sweden(lat, lon, problems)
    table["lat"], table["lon"] = lat, lon
    table["address"] = parse_column(raw, "address", "str", problems, required=False)
    postal = _normalise_postal_code(raw["postal_code"], problems)
    table["postal_code"] = postal
    lookup = postal_code_kommuner() if postal_codes is None else dict(postal_codes)
    table["postal_kommun_code"] = postal.map(lookup).astype("string")
    table["description"] = parse_column(raw, "description", "str", problems, required=False)

    has_point = lat.notna() & lon.notna()
    table["position_source"] = pd.Series(
        np.select(
            [has_point.to_numpy(bool), postal.notna().to_numpy(bool)],
            ["koordinat", "postnummer"],
            "saknas",
        ),
        index=table.index,
        dtype="string",
    )
    table["origin"] = pd.Series(origin, index=table.index, dtype="string")
    table = table[TIDY_COLUMNS]

    good, rejected = problems.split(table) if quarantine else (table, pd.DataFrame())
    if quarantine and not rejected.empty:
        # Rejected rows are shown as read (scrubbed), so the analyst can find them.
        rejected = (
            raw.loc[sorted(problems.rejected)]
            .reset_index(drop=True)
            .assign(rad=rejected["rad"].to_numpy(), orsak=rejected["orsak"].to_numpy())[
                ["rad", *COLUMNS, "orsak"]
            ]
        )
    good = good.reset_index(drop=True)
    check_contract(good, SCHEMA, problems.path)
    return ReadResult(table=good, rejected=rejected, origin=origin)


# ---------------------------------------------------------------------------
# Example data

#: Planted hotspots per tätort: offset from the centre (metres north, east),
#: the place's fictional address and the categories typical for it.
_HOTSPOTS: list[tuple[str, tuple[float, float], str, dict[str, float]]] = [
    (
        "stationen",
        (-250.0, 350.0),
        "Stationsgatan 1",
        {"samling av personer": 4, "klotter": 2, "belysning": 2, "ödslig plats": 1},
    ),
    (
        "parken",
        (300.0, -200.0),
        "Parkvägen 3",
        {"belysning": 4, "ödslig plats": 3, "nedskräpning": 2, "insyn": 1},
    ),
    (
        "skolan",
        (500.0, 400.0),
        "Skolgatan 10",
        {"skadegörelse": 3, "klotter": 3, "trafik": 2, "samling av personer": 1},
    ),
]

_BASE_MIX: dict[str, float] = {
    "belysning": 3,
    "insyn": 1,
    "klotter": 2,
    "nedskräpning": 3,
    "ödslig plats": 2,
    "samling av personer": 2,
    "trafik": 4,
    "skadegörelse": 2,
    "annat": 1,
}

#: Reports per year by kind of area; the first tätort (the central one) gets double.
_PER_YEAR = {"tätort": 170, "stadsdel": 150, "by": 25, "landsbygd": 15, "övrigt": 10}

_STREETS = ["Storgatan", "Kyrkvägen", "Skolgatan", "Parkvägen", "Järnvägsgatan", "Björkvägen"]

_TEXTS: dict[str, list[str]] = {
    "belysning": [
        "Gatlyktan är trasig och det är helt mörkt på gångvägen.",
        "Dålig belysning längs stigen, känns otryggt att gå hem på kvällen.",
        "Flera lampor ur funktion sedan förra veckan.",
    ],
    "insyn": [
        "Höga buskar skymmer sikten vid gångtunneln.",
        "Ingen insyn från husen, man syns inte om något händer.",
    ],
    "klotter": ["Nytt klotter på väggen vid busshållplatsen.", "Klotter på lekplatsen."],
    "nedskräpning": [
        "Mycket skräp och glas på marken.",
        "Papperskorgarna är överfulla och det luktar.",
    ],
    "ödslig plats": [
        "Helt folktomt efter klockan sex, känns otryggt.",
        "Ödsligt område utan människor på kvällarna.",
    ],
    "samling av personer": [
        "Ett gäng samlas här varje kväll och är högljudda.",
        "Grupper som hänger vid entrén, känns obehagligt att gå förbi.",
    ],
    "trafik": [
        "Bilar kör alldeles för fort förbi skolan.",
        "Mopeder kör på gångbanan.",
        "Farligt övergångsställe utan belysning.",
    ],
    "skadegörelse": ["Krossad ruta i väntkuren.", "Sönderslagna bänkar i parken."],
    "annat": ["Känns allmänt otryggt här.", "Lösa hundar på kvällarna."],
}

#: Fictional personal data planted in a few descriptions so that scrubbing is exercised.
_PLANTED = [
    " Bilen ABC 123 står här varje natt.",
    " Ring mig gärna på 070-123 45 67.",
    " Jag heter Testa Testsson, 19800101-1234.",
    " Svara till exempel.person@example.se.",
    " Samma moped varje kväll, regnr DEF 45G.",
]


def example_places(config: KommunConfig) -> list[tuple[str, str, float, float]]:
    """(name, kind, lat, lon) of the kommun's areas; tätorter from the mirror as fallback."""
    places = [(a.name, a.kind, a.lat, a.lon) for a in config.areas if a.lat is not None]
    if places:
        return places  # type: ignore[return-value]
    tatorter = paths.shared_data_dir() / "scb" / "tatorter_2020_points.csv"
    if tatorter.is_file():
        from trygghet.sources.scb import read_tatorter

        # The strict reader: a broken file stops with its file, row and column named.
        table = read_tatorter(tatorter)
        table = table[table["kommun_code"] == config.code].sort_values(
            "population", ascending=False
        )
        if not table.empty:
            return [
                (str(r["tatort"]), "tätort", float(r["lat"]), float(r["lon"]))
                for _, r in table.iterrows()
            ]
    raise ValueError(
        f"Kommun {config.code} har inga områden med koordinater i konfigurationen "
        "(areas[].lat/lon) och tätorterna finns inte att tillgå: exempeldata kan inte placeras."
    )


def metres_to_degrees(lat: float, north: np.ndarray, east: np.ndarray) -> tuple:
    return north / 111_320.0, east / (111_320.0 * np.cos(np.radians(lat)))


def example_rng(config: KommunConfig, seed: int, salt: int) -> np.random.Generator:
    """Deterministic generator from the seed, the kommun code and a per-source salt."""
    return np.random.default_rng([seed, int(config.code), salt])


def _example_table(config: KommunConfig, seed: int) -> pd.DataFrame:
    rng = example_rng(config, seed, 1)
    start, end = pd.Timestamp("2023-01-01"), pd.Timestamp("2026-10-31")
    days = pd.date_range(start, end, freq="D")
    # Darkness: 1 in midsummer, ~2.3 in December (drives belysning and volume).
    darkness = 1.0 + 0.65 * (1 + np.cos(2 * np.pi * (days.dayofyear.to_numpy() - 355) / 365.25))
    trend = 1.0 + 0.06 * (days.year.to_numpy() - 2023)
    day_weight = (0.7 + 0.3 * darkness) * trend
    day_weight = day_weight / day_weight.sum()
    # Reports come mostly in the evening (and the early night), fewer by day.
    hour_weight = np.array(
        [3, 2, 1, 1, 1, 1, 1, 2, 3, 3, 3, 3, 4, 4, 4, 5, 6, 7, 8, 10, 11, 10, 8, 5], float
    )
    hour_weight /= hour_weight.sum()
    years = len(days) / 365.25

    postal_by_kommun = [p for p, k in sorted(postal_code_kommuner().items()) if k == config.code]
    categories = list(_BASE_MIX)
    base = np.array([_BASE_MIX[c] for c in categories], float)
    belysning = categories.index("belysning")
    frames = []
    tatort_seen = 0
    for name, kind, lat0, lon0 in example_places(config):
        per_year = _PER_YEAR.get(kind, 10)
        if kind == "tätort":
            per_year *= 2 if tatort_seen == 0 else 1
            tatort_seen += 1
        n = int(rng.poisson(per_year * years))
        day_idx = rng.choice(len(days), size=n, p=day_weight)
        hours = rng.choice(24, size=n, p=hour_weight)
        minutes = rng.integers(0, 60, size=n)
        seconds = rng.integers(0, 60, size=n)
        created = (
            days[day_idx]
            + pd.to_timedelta(hours, unit="h")
            + pd.to_timedelta(minutes, unit="m")
            + pd.to_timedelta(seconds, unit="s")
        )
        is_town = kind in ("tätort", "stadsdel")
        spots = _HOTSPOTS if is_town else []
        spot = rng.choice(len(spots) + 1, size=n, p=_spot_weights(len(spots)))
        north = rng.normal(0, 900 if is_town else 350, size=n)
        east = rng.normal(0, 900 if is_town else 350, size=n)
        addresses = np.array(
            [
                f"{_STREETS[i]} {j}"
                for i, j in zip(
                    rng.integers(0, len(_STREETS), n), rng.integers(1, 40, n), strict=True
                )
            ],
            dtype=object,
        )
        cats = np.empty(n, dtype=object)
        dark = darkness[day_idx]
        for s in range(len(spots) + 1):
            rows = np.flatnonzero(spot == s)
            if s < len(spots):
                label, (dn, de), address, mix = spots[s]
                north[rows] = dn + rng.normal(0, 60, rows.size)
                east[rows] = de + rng.normal(0, 60, rows.size)
                addresses[rows] = address
                weights = np.array([mix.get(c, 0.3) for c in categories], float)
            else:
                weights = base
            cats[rows] = _draw_categories(rng, categories, weights, belysning, dark[rows])
        dlat, dlon = metres_to_degrees(lat0, north, east)
        lat = np.round(lat0 + dlat, 6)
        lon = np.round(lon0 + dlon, 6)
        position = rng.choice(3, size=n, p=[0.86, 0.10, 0.04])  # coordinates, postal only, none
        postal_draw = rng.integers(0, max(len(postal_by_kommun), 1), size=n)
        postal = np.array(
            [
                (postal_by_kommun[i][:3] + " " + postal_by_kommun[i][3:])
                if postal_by_kommun and p != 2
                else ""
                for i, p in zip(postal_draw, position, strict=True)
            ],
            dtype=object,
        )
        text_idx = rng.integers(0, 1000, size=n)
        planted = rng.random(n) < 0.03
        planted_idx = rng.integers(0, len(_PLANTED), size=n)
        texts = []
        for c, t, pl, pi in zip(cats, text_idx, planted, planted_idx, strict=True):
            options = _TEXTS[c]
            text = f"{options[t % len(options)]} (Fiktivt exempel, {name}.)"
            texts.append(text + (_PLANTED[pi] if pl else ""))
        no_text = rng.random(n) < 0.08
        frame = pd.DataFrame(
            {
                "created_at": created,
                "category": cats,
                "lat": np.where(position == 0, lat, np.nan),
                "lon": np.where(position == 0, lon, np.nan),
                "address": np.where(position == 2, "", addresses),
                "postal_code": postal,
                "description": np.where(no_text, "", np.array(texts, dtype=object)),
            }
        )
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True).sort_values("created_at", kind="stable")
    table = table.reset_index(drop=True)
    # Handling status depends on the report's age: old ones are mostly closed.
    age = (pd.Timestamp("2026-11-26") - table["created_at"]).dt.days.to_numpy()
    u = rng.random(len(table))
    old = age > 60
    status = np.where(
        old,
        np.select([u < 0.62, u < 0.82, u < 0.92], ["åtgärdad", "avslagen", "pågår"], "ny"),
        np.select([u < 0.15, u < 0.45], ["åtgärdad", "pågår"], "ny"),
    )
    table["status"] = status
    year = table["created_at"].dt.year.astype(str)
    seq = table.groupby(year).cumcount() + 1
    table.insert(0, "report_id", "OA-" + year + "-" + seq.map("{:05d}".format))
    return table


def _draw_categories(
    rng: np.random.Generator,
    categories: list[str],
    weights: np.ndarray,
    belysning: int,
    dark: np.ndarray,
) -> np.ndarray:
    """A category per report, belysning weighted up by the darkness of its day.

    What ``rng.choice(len(categories), p=w / w.sum())`` report by report
    draws (the same uniform numbers in the same order, the same weights and
    cumulative sums), for all reports at once.
    """
    w = np.repeat(weights[None, :], len(dark), axis=0)
    w[:, belysning] *= np.array([d**1.2 for d in dark], float)  # scalar powers, as row by row
    cdf = (w / w.sum(axis=1, keepdims=True)).cumsum(axis=1)
    cdf /= cdf[:, -1:]
    uniform = rng.random(len(dark))
    picked = (cdf <= uniform[:, None]).sum(axis=1)  # searchsorted(side="right") per row
    return np.array(categories, dtype=object)[picked]


def _spot_weights(n_spots: int) -> np.ndarray:
    """Share of reports at each planted hotspot (then the rest spread over the area)."""
    shares = [0.16, 0.14, 0.10][:n_spots]
    return np.array([*shares, 1.0 - sum(shares)])


def _csv_text(table: pd.DataFrame) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(COLUMNS)

    def coordinate(values: pd.Series) -> list[str]:
        return ["" if pd.isna(v) else f"{v:.6f}" for v in values.tolist()]

    writer.writerows(
        zip(
            table["report_id"].tolist(),
            table["created_at"].dt.strftime("%Y-%m-%d %H:%M:%S").tolist(),
            table["category"].tolist(),
            coordinate(table["lat"]),
            coordinate(table["lon"]),
            table["address"].tolist(),
            table["postal_code"].tolist(),
            table["description"].tolist(),
            table["status"].tolist(),
            strict=True,
        )
    )
    return out.getvalue()


def _geojson_text(table: pd.DataFrame) -> str:
    features = []
    for row in table.itertuples(index=False):
        r = row._asdict()
        geometry = (
            None
            if pd.isna(r["lat"])
            else {"type": "Point", "coordinates": [round(r["lon"], 6), round(r["lat"], 6)]}
        )
        props = {c: r[c] for c in COLUMNS if c not in ("lat", "lon")}
        props["created_at"] = r["created_at"].strftime("%Y-%m-%dT%H:%M:%S")
        for key in ("address", "postal_code", "description"):
            props[key] = props[key] or None
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, indent=None) + "\n"


def generate_example(
    config: KommunConfig, out_dir: Path, seed: int = 0, *, fmt: str = "csv"
) -> list[Path]:
    """Write fictional resident reports for ``config``'s kommun, 2023-01-01 – 2026-10-31.

    ``fmt`` = "csv" (default) writes ``orosanmalningar.csv``; "geojson" writes
    ``orosanmalningar.geojson`` with the same reports. Only one is written, as
    a kommun supplies only one. Postal codes are drawn from the mirror's code
    list for the kommun; without the mirror they are left empty.
    """
    table = _example_table(config, seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        target, text = out_dir / RAW_FILES[0], _csv_text(table)
    elif fmt == "geojson":
        target, text = out_dir / RAW_FILES[1], _geojson_text(table)
    else:
        raise ValueError(f"okänt format {fmt!r} (csv eller geojson)")
    target.write_text(text, encoding="utf-8", newline="")
    return [target]


__all__ = [
    "CATEGORIES",
    "COLUMNS",
    "COLUMN_HELP",
    "POSITION_SOURCES",
    "RAW_FILES",
    "SCHEMA",
    "SOURCE",
    "STATUSES",
    "TEMPLATE",
    "TIDY_COLUMNS",
    "generate_example",
    "postal_code_kommuner",
    "read",
]
