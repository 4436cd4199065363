"""Readers for Statistics Sweden (SCB): boundaries, tätorter and population.

* Kommun and län boundaries: GeoJSON in WGS 84 as in the mirror
  (``scb/kommuner_scb_wgs84.geojson`` with ``kommun_code``, ``kommun_name``;
  ``scb/lan_scb_wgs84.geojson`` with ``lan_code``, ``lan_name``). SCB's
  generalised product: fine for choropleths, not for exact borders.
* Tätorter: SCB's representative points (``tatorter_2020_points.csv`` or
  ``.geojson``) with ``tatortskod``, ``tatort``, ``kommun_code``, ``population``.
* Population per kommun and year, the denominator of every rate: the mirror's
  ``population_2024_nov1.csv`` (``kommun_kod, kommun_namn, population``; the
  year comes from the file name or the ``year`` argument), a long file with a
  ``year`` (or ``år``) column, or one file per year ``population_<year>_*.csv``
  (pass the folder). Separator ``,`` or ``;`` (sniffed from the header).

Codes are strings: kommun four characters (``"0114"``), län two (``"18"``); a
code written as a number (``114``) is padded, an unknown code is an error.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pandera.pandas as pa

from trygghet import kommuner
from trygghet.errors import DataError
from trygghet.sources.tabular import (
    ReadResult,
    RowProblems,
    check_columns,
    check_contract,
    check_text_file,
    decode_text,
    parse_column,
    read_csv_strict,
)

SOURCE = "population"
#: Population files (glob pattern); boundaries and tätorter are read from the mirror.
RAW_FILES = ["population_*.csv"]

POPULATION_SCHEMA = pa.DataFrameSchema(
    {
        "kommun_code": pa.Column(str, pa.Check.str_matches(r"^\d{4}$")),
        "year": pa.Column("Int64", pa.Check.in_range(1950, dt.date.today().year)),
        "population": pa.Column("Int64", pa.Check.gt(0)),
        "origin": pa.Column(str, pa.Check.isin(["real", "fetched", "example"])),
    },
    unique=["kommun_code", "year"],
    strict=True,
    coerce=True,
)
SCHEMA = POPULATION_SCHEMA

KOMMUN_COLUMNS = ("kommun_kod", "kommun_code", "kommunkod", "region")
POPULATION_COLUMNS = ("population", "folkmangd", "folkmängd", "befolkning")
YEAR_COLUMNS = ("year", "år", "ar", "tid")


# --------------------------------------------------------------------------- geography


def _read_geojson(path: Path) -> gpd.GeoDataFrame:
    path = Path(path)
    if not path.exists():
        raise DataError(path, "filen finns inte", expected="en GeoJSON-fil")
    data = path.read_bytes()
    if not data.strip():
        raise DataError(path, "filen är tom", expected="en GeoJSON-fil")
    check_text_file(path, data)  # a workbook or binary file is named as such
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several kinds; the user needs the file named
        raise DataError(
            path, f"filen kan inte läsas som GeoJSON ({exc})", expected="giltig GeoJSON"
        ) from None
    if frame.crs is None:
        frame = frame.set_crs(4326)
    elif frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    return frame


def _codes(path: Path, frame: pd.DataFrame, column: str, width: int, known: set[str]) -> pd.Series:
    if column not in frame:
        raise DataError(
            path, "kolumnen saknas", column=column, found=", ".join(map(str, frame.columns))
        )
    raw = frame[column]
    codes = raw.map(
        lambda v: (
            str(int(v)).zfill(width)
            if isinstance(v, (int, float)) and v == v
            else str(v).strip().zfill(width)
        )
    )
    bad = ~codes.isin(known)
    if bad.any():
        first = bad[bad].index[0]
        raise DataError(
            path,
            "okänd kod",
            row=int(first) + 1,
            column=column,
            found=raw.loc[first],
            expected=f"en av de kända koderna ({width} tecken)",
        )
    return codes.astype("string")


def read_kommun_boundaries(path: Path) -> gpd.GeoDataFrame:
    """Kommun polygons: kommun_code (4 characters), kommun_name, geometry (EPSG:4326).

    Row numbers in errors are feature numbers (1 = the first feature).
    """
    frame = _read_geojson(path)
    known = set(kommuner.all_kommuner()["kommun_code"])
    frame["kommun_code"] = _codes(Path(path), frame, "kommun_code", 4, known)
    if "kommun_name" not in frame:
        frame["kommun_name"] = frame["kommun_code"].map(kommuner.kommun_name)
    _no_duplicates(Path(path), frame, "kommun_code")
    return frame[["kommun_code", "kommun_name", "geometry"]].reset_index(drop=True)


def read_lan_boundaries(path: Path) -> gpd.GeoDataFrame:
    """Län polygons: lan_code (2 characters), lan_name, geometry (EPSG:4326)."""
    frame = _read_geojson(path)
    known = set(kommuner.all_kommuner()["lan_code"])
    frame["lan_code"] = _codes(Path(path), frame, "lan_code", 2, known)
    # The mirror writes short names ("Stockholms"); the full name is more useful.
    frame["lan_name"] = frame["lan_code"].map(kommuner.lan_name)
    _no_duplicates(Path(path), frame, "lan_code")
    return frame[["lan_code", "lan_name", "geometry"]].reset_index(drop=True)


def _no_duplicates(path: Path, frame: pd.DataFrame, column: str) -> None:
    dup = frame[column].duplicated()
    if dup.any():
        first = dup[dup].index[0]
        raise DataError(
            path,
            "koden förekommer mer än en gång",
            row=int(first) + 1,
            column=column,
            found=frame.loc[first, column],
            expected="en rad per kod",
        )


def read_tatorter(path: Path) -> gpd.GeoDataFrame:
    """Tätort points: tatortskod, tatort, kommun_code, population, lat, lon, geometry."""
    path = Path(path)
    if path.suffix.lower() in (".geojson", ".json"):
        frame = _read_geojson(path)
        header = [str(c) for c in frame.columns if c != "geometry"]
        check_columns(path, header, ["tatortskod", "tatort", "kommun_code", "population"], row=None)
        not_point = frame.geometry.isna() | (frame.geom_type != "Point")
        if not_point.any():
            first = not_point[not_point].index[0]
            raise DataError(
                path,
                "objektet är ingen punkt",
                row=int(first) + 1,
                column="geometry",
                found=frame.geom_type.loc[first],
                expected="en punkt (Point) per tätort",
            )
        frame["lat"], frame["lon"] = frame.geometry.y, frame.geometry.x
        population = pd.to_numeric(frame["population"], errors="coerce")
        not_int = population.isna() | (population % 1 != 0)
        if not_int.any():
            first = not_int[not_int].index[0]
            raise DataError(
                path,
                "ogiltigt heltal",
                row=int(first) + 1,
                column="population",
                found=frame["population"].loc[first],
                expected="ett heltal",
            )
        row_offset = 1
    else:
        frame = read_csv_strict(
            path,
            ["tatortskod", "tatort", "kommun_code", "population", "lat", "lon"],
            sep=_sniff_sep(path),
        )
        problems = RowProblems(path)
        for col in ("lat", "lon"):
            frame[col] = parse_column(frame, col, "float", problems).astype(float)
        frame["population"] = parse_column(frame, "population", "int", problems)
        frame = gpd.GeoDataFrame(
            frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326
        )
        row_offset = 2
    known = set(kommuner.all_kommuner()["kommun_code"])
    try:
        frame["kommun_code"] = _codes(path, frame, "kommun_code", 4, known)
    except DataError as err:
        if err.row is not None:
            err = DataError(
                path,
                err.detail,
                row=err.row - 1 + row_offset,
                column=err.column,
                found=err.found,
                expected=err.expected,
            )
        raise err from None
    outside = ~(frame["lat"].between(55.0, 69.2) & frame["lon"].between(10.5, 24.3))
    if outside.any():
        first = outside[outside].index[0]
        raise DataError(
            path,
            "koordinaten ligger utanför Sverige",
            row=int(first) + row_offset,
            column="lat/lon",
            found=f"{frame.loc[first, 'lat']}, {frame.loc[first, 'lon']}",
            expected="WGS 84 i Sverige",
        )
    frame["population"] = pd.to_numeric(frame["population"]).astype("Int64")
    cols = ["tatortskod", "tatort", "kommun_code", "population", "lat", "lon", "geometry"]
    return frame[cols].reset_index(drop=True)


# --------------------------------------------------------------------------- population


def _sniff_sep(path: Path) -> str:
    first = decode_text(path).splitlines()[0]
    return ";" if first.count(";") > first.count(",") else ","


def _year_from_name(path: Path) -> int | None:
    match = re.search(r"population_((?:19|20)\d{2})", Path(path).name)
    return int(match.group(1)) if match else None


def _pick(header: list[str], names: tuple[str, ...]) -> str | None:
    lowered = {h.strip().lower(): h for h in header}
    return next((lowered[n] for n in names if n in lowered), None)


def read_population(
    path: Path, year: int | None = None, *, quarantine: bool = False, origin: str = "real"
) -> ReadResult:
    """Population per kommun and year: kommun_code, year, population, origin.

    ``path`` may be one file or a folder of ``population_<year>_*.csv`` files.
    A file without a year column takes its year from ``year`` or from its name.
    Rows that are not kommuner (Riket "00", län "18") are left out on purpose:
    this table is per kommun; sum it for a län.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("population_*.csv"))
        if not files:
            raise DataError(
                path, "inga befolkningsfiler hittades", expected="population_<år>_*.csv"
            )
        parts = [read_population(f, quarantine=quarantine, origin=origin) for f in files]
        table = pd.concat([p.table for p in parts], ignore_index=True)
        dup = table.duplicated(["kommun_code", "year"])
        if dup.any():
            first = table[dup].iloc[0]
            raise DataError(
                path,
                "samma kommun och år finns i flera filer",
                found=f"{first['kommun_code']} {first['year']}",
                expected="ett värde per kommun och år",
            )
        rejected = [p.rejected for p in parts if not p.rejected.empty]
        return ReadResult(
            check_contract(table, POPULATION_SCHEMA, path),
            pd.concat(rejected, ignore_index=True) if rejected else pd.DataFrame(),
            origin,
        )

    sep = _sniff_sep(path)
    header = [h.strip() for h in decode_text(path).splitlines()[0].split(sep)]
    kommun_col = _pick(header, KOMMUN_COLUMNS) or "kommun_kod"
    pop_col = _pick(header, POPULATION_COLUMNS) or "population"
    year_col = _pick(header, YEAR_COLUMNS)
    required = [kommun_col, pop_col] + ([year_col] if year_col else [])
    frame = read_csv_strict(path, required, sep=sep)
    problems = RowProblems(path, quarantine)
    if year_col is None:
        year = year if year is not None else _year_from_name(path)
        if year is None:
            raise DataError(
                path,
                "året framgår varken av en kolumn eller av filnamnet",
                row=1,
                found=", ".join(header),
                expected="en kolumn 'year', filnamnet population_<år>_….csv eller året som argument",
            )
        years = pd.Series(year, index=frame.index, dtype="Int64")
    else:
        years = parse_column(frame, year_col, "int", problems)
    this_year = dt.date.today().year
    problems.report(
        (years < 1950) | (years > this_year),
        year_col or "år",
        years,
        "året är orimligt eller i framtiden",
        f"1950–{this_year}",
    )
    # Kommun codes: SCB writes "1863" or "1863 Hällefors"; a number loses its zero.
    raw_code = frame[kommun_col].fillna("").str.extract(r"^(\d{1,4})")[0]
    codes = raw_code.str.zfill(4)
    is_aggregate = raw_code.str.len().le(2) & frame[kommun_col].notna()
    problems.report(
        raw_code.isna() & frame[kommun_col].notna(),
        kommun_col,
        frame[kommun_col],
        "ogiltig kommunkod",
        "fyra siffror, t.ex. 1863",
    )
    unknown = (
        raw_code.notna() & ~is_aggregate & ~codes.isin(set(kommuner.all_kommuner()["kommun_code"]))
    )
    problems.report(
        unknown, kommun_col, frame[kommun_col], "okänd kommunkod", "en av Sveriges 290 kommunkoder"
    )
    population = parse_column(frame, pop_col, "int", problems)
    problems.report(
        population <= 0,
        pop_col,
        frame[pop_col],
        "befolkningen måste vara positiv",
        "ett heltal > 0",
    )
    table = pd.DataFrame(
        {"kommun_code": codes, "year": years, "population": population, "origin": origin}
    )
    dup = table["kommun_code"].notna() & table.duplicated(["kommun_code", "year"])
    problems.report(
        dup,
        kommun_col,
        frame[kommun_col],
        "kommunen förekommer mer än en gång samma år",
        "en rad per kommun och år",
    )
    table = table.assign(_aggregate=is_aggregate.fillna(False))
    good, rejected = problems.split(table)
    good = good[~good["_aggregate"]].drop(columns="_aggregate").reset_index(drop=True)
    if not rejected.empty:
        rejected = rejected.drop(columns="_aggregate")
    good = good.astype({"kommun_code": "string", "origin": "string"})
    return ReadResult(check_contract(good, POPULATION_SCHEMA, path), rejected, origin)


def population_lookup(table: pd.DataFrame, year: int) -> dict[str, int]:
    """kommun_code -> population in ``year``, or in the latest earlier year available.

    Rates for a year without its own population figure borrow the latest
    earlier one (a documented approximation); when no earlier year exists the
    earliest available year is used; a kommun with no figure at all is left out.
    Which year each kommun's figure is from: :func:`population_lookup_years`.
    """
    return {code: pop for code, (pop, _year) in population_lookup_years(table, year).items()}


def population_lookup_years(table: pd.DataFrame, year: int) -> dict[str, tuple[int, int]]:
    """kommun_code -> (population, the year that population is from) for ``year``.

    The same choice as :func:`population_lookup`, made per kommun: the year's
    own figure, else the kommun's latest earlier one, else its earliest one. A
    report that borrows another year's population says which (the returned
    year differs from ``year``), never silently.
    """
    if table.empty:
        return {}
    frame = table[["kommun_code", "year", "population"]].dropna()
    frame = frame.assign(
        year=frame["year"].astype(int), kommun_code=frame["kommun_code"].astype(str)
    )
    earlier = frame[frame["year"] <= year].sort_values("year")
    later = frame[frame["year"] > year].sort_values("year", ascending=False)
    chosen = pd.concat([later, earlier]).groupby("kommun_code").last()
    return {
        str(code): (int(pop), int(y))
        for code, pop, y in zip(chosen.index, chosen["population"], chosen["year"], strict=True)
    }
