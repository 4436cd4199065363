"""Reader for Brå's statistics on reported crime (anmälda brott).

Brå publishes no API. Two of its real shapes are read here, both into one tidy
table:

* **The yearly kommun file** ``bra_kommun_<year>.csv``: ``;``-separated, UTF-8
  with BOM, one row per kommun with the count and the rate per 100,000
  inhabitants of all reported crimes. The layout changes between years: recent
  years have the header ``Kommun;Antal;Per 100 000 inv.``, 2021 has no header,
  some years write "Hällefors kommun" instead of "Hällefors", there may be a
  title line above the table and a footnote below it, numbers have spaces (also
  no-break spaces) as thousands separators and decimal commas. The year is not
  in the file: it comes from the file name or the ``year`` argument. Names are
  matched whatever the dash, case or "kommun" suffix ("Malung–Sälens kommun"
  in 2021 is SCB's "Malung-Sälen"); Stockholm's stadsdelsområden (2021 lists
  Rinkeby-Kista, Spånga-Tensta, …) are parts of Stockholm and are set aside
  with a note (:class:`BraReadResult`), neither an error nor a kommun.
* **An export from Brå's statistics database by crime type**
  ``bra_brottstyp.csv``: long format with the columns ``brottstyp``,
  ``brottskod`` (optional), ``område``, ``period``, ``enhet`` ("Antal" or
  "Per 100 000 inv."), ``värde`` and an optional ``status`` column. Header
  names are matched case-insensitively.

Area codes (a choice, documented in docs/data/bra_crime.md): the column
``kommun_code`` holds a four-character *area* code in Kolada's convention, so
that Brå and Kolada join without translation: a kommun's own code (``"1863"``),
``"00"`` + the län code for a län (``"0018"`` = Örebro län) and ``"0000"`` for
the whole country (Riket). ``area_level`` says which ("kommun", "län",
"riket"); always filter on it before treating a code as a kommun.

Missing and preliminary values: a cell marked ``..``, ``.``, ``-`` or ``–`` is
kept as missing (NaN), never as zero, with ``value_status`` saying why
("sekretess" for ``..``, "saknas" for the others). Beware: in SCB's convention
a dash can mean "nothing to report" (i.e. zero); we cannot tell from the file,
so it stays missing. A value followed by ``*`` (or a ``status`` column saying
preliminär / P), or a period such as ``2025*``, is "preliminär".
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from trygghet import kommuner, paths
from trygghet.config import KommunConfig
from trygghet.errors import DataError
from trygghet.sources.tabular import (
    ReadResult,
    RowProblems,
    check_columns,
    check_contract,
    check_field_lengths,
    decode_text,
)

SOURCE = "bra_crime"
#: Raw files in a kommun's raw folder. ``bra_kommun_*.csv`` is a glob pattern:
#: one file per year, ``bra_kommun_2024.csv`` etc.
RAW_FILES = ["bra_brottstyp.csv", "bra_kommun_*.csv"]
KOMMUN_FILE_PATTERN = "bra_kommun_*.csv"
EXPORT_FILE = "bra_brottstyp.csv"

AREA_LEVELS = ["kommun", "län", "riket"]
VALUE_STATUSES = ["ok", "preliminär", "sekretess", "saknas"]
RIKET_CODE = "0000"

#: Normalised crime categories: key -> Swedish display label.
CATEGORIES: dict[str, str] = {
    "totalt": "Samtliga brott",
    "narkotikabrott": "Narkotikabrott",
    "rattfylleri": "Rattfylleri (alkohol och droger)",
    "trafikbrott": "Trafikbrott",
    "ordningsstorning": "Ordningsstörning (brott mot ordningslagen m.m.)",
    "skadegorelse": "Skadegörelse",
    "valdsbrott": "Våldsbrott (misshandel m.m.)",
    "stold_inbrott": "Stöld och inbrott",
    "ovrigt": "Övriga brott",
}

#: Keyword rules mapping Brå's crime type labels (brottstyp) to a category key.
#: The first rule whose keyword occurs in the lower-cased label wins, so the
#: more specific rules come first (rattfylleri before trafik). Labels that match
#: nothing become "ovrigt"; the original label is always kept in crime_label.
CATEGORY_RULES: list[tuple[str, str]] = [
    ("samtliga", "totalt"),
    ("totalt", "totalt"),
    ("alla brott", "totalt"),
    ("rattfylleri", "rattfylleri"),
    ("narkotika", "narkotikabrott"),
    ("trafik", "trafikbrott"),
    ("ordningslag", "ordningsstorning"),
    ("ordningsstörning", "ordningsstorning"),
    ("förargelseväckande", "ordningsstorning"),
    ("skadegörelse", "skadegorelse"),
    ("klotter", "skadegorelse"),
    ("misshandel", "valdsbrott"),
    ("våld", "valdsbrott"),
    ("rån", "valdsbrott"),
    ("inbrott", "stold_inbrott"),
    ("stöld", "stold_inbrott"),
    ("tillgrepp", "stold_inbrott"),
    ("snatteri", "stold_inbrott"),
]

MISSING_MARKERS: dict[str, str] = {"..": "sekretess", ".": "saknas", "-": "saknas", "–": "saknas"}
PRELIMINARY_STATUS = {"preliminär", "preliminar", "prel", "prel.", "p", "*"}
FINAL_STATUS = {"", "slutlig", "slutliga", "s", "ok", "definitiv"}

COLUMNS = [
    "kommun_code",
    "area_level",
    "area_name",
    "year",
    "crime_category",
    "crime_label",
    "crime_code",
    "count",
    "rate_per_100k",
    "value_status",
    "origin",
]

SCHEMA = pa.DataFrameSchema(
    {
        "kommun_code": pa.Column(str, pa.Check.str_matches(r"^\d{4}$")),
        "area_level": pa.Column(str, pa.Check.isin(AREA_LEVELS)),
        "area_name": pa.Column(str),
        "year": pa.Column("Int64", pa.Check.in_range(1950, dt.date.today().year)),
        "crime_category": pa.Column(str, pa.Check.isin(list(CATEGORIES))),
        "crime_label": pa.Column(str),
        "crime_code": pa.Column(str, nullable=True),
        "count": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "rate_per_100k": pa.Column("Float64", pa.Check.ge(0), nullable=True),
        "value_status": pa.Column(str, pa.Check.isin(VALUE_STATUSES)),
        "origin": pa.Column(str, pa.Check.isin(["real", "fetched", "example"])),
    },
    unique=["kommun_code", "year", "crime_label"],
    strict=True,
    coerce=True,
)


# --------------------------------------------------------------------------- areas


#: Every dash Brå or a spreadsheet may write between two parts of a name
#: ("Malung–Sälen", "Upplands‑Bro"): hyphen, non-breaking hyphen, figure dash,
#: en dash, em dash, minus sign. All are read as SCB's plain hyphen.
_DASHES = re.compile(r"\s*[\u002d\u2010\u2011\u2012\u2013\u2014\u2212]\s*")


def _norm(text: str) -> str:
    """A name or header cell for matching: NFC, one kind of space and dash, case folded."""
    text = unicodedata.normalize("NFC", str(text)).replace("\u00a0", " ")
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > 1:  # a lone dash is a missing-value marker, not a name
        text = _DASHES.sub("-", text)
    return text.casefold()


#: Stockholm's stadsdelsområden as Brå lists them in its yearly kommun file
#: (the 2021 file has rows for them after the kommuner). They are parts of
#: Stockholm (0180), not kommuner: rows naming them are set aside with a note,
#: never counted as kommuner and never an error. Names since 2020 and before.
STOCKHOLM_STADSDELAR = (
    "Bromma",
    "Enskede-Årsta-Vantör",
    "Farsta",
    "Hägersten-Liljeholmen",
    "Hägersten-Älvsjö",
    "Hässelby-Vällingby",
    "Kungsholmen",
    "Norrmalm",
    "Rinkeby-Kista",
    "Skarpnäck",
    "Skärholmen",
    "Spånga-Tensta",
    "Södermalm",
    "Älvsjö",
    "Östermalm",
)
STOCKHOLM_CODE = "0180"
_STADSDEL_SUFFIX = re.compile(r"\s+(?:stadsdelsområde|stadsdelsomr\.?|sdo|stadsdel)$")
_STADSDEL_PREFIX = re.compile(r"^stockholms?(?: stad| kommun)?\s*[,:/-]?\s*")


@cache
def _stadsdel_names() -> dict[str, str]:
    return {_norm(name): name for name in STOCKHOLM_STADSDELAR}


def stockholm_stadsdel(name: str) -> str | None:
    """The stadsdelsområde a Brå area name denotes ("Rinkeby–Kista sdo"), or None.

    Also with a "Stockholm"-prefix ("Stockholm, Spånga-Tensta") or a
    "stadsdelsområde"/"sdo" suffix. Stockholm itself is a kommun, not a stadsdel.
    """
    text = _norm(name)
    if not text or resolve_area(name) is not None:
        return None
    names = _stadsdel_names()
    for candidate in (text, _STADSDEL_SUFFIX.sub("", text)):
        for form in (candidate, _STADSDEL_PREFIX.sub("", candidate)):
            if form in names:
                return names[form]
    return None


@cache
def _area_lookup() -> dict[str, tuple[str, str, str]]:
    """Every spelling we accept of an area -> (code, level, name).

    Kommun names come as SCB's short name ("Hällefors"), with "kommun"
    ("Hällefors kommun", "Österåkers kommun"), or as "X stad"; a few official
    names are irregular ("Falu kommun", "Region Gotland").
    """
    lookup: dict[str, tuple[str, str, str]] = {}
    table = kommuner.all_kommuner()
    for row in table.itertuples(index=False):
        entry = (row.kommun_code, "kommun", row.kommun_name)
        name = row.kommun_name
        for variant in (name, f"{name} kommun", f"{name}s kommun", f"{name} stad", f"{name}s stad"):
            lookup.setdefault(_norm(variant), entry)
        lookup[_norm(row.kommun_code)] = entry
        lookup[_norm(f"{row.kommun_code} {name}")] = entry
    for alias, code in {"falu kommun": "2080", "region gotland": "0980"}.items():
        lookup[alias] = (code, "kommun", kommuner.kommun_name(code))
    for lan_code, lan_name in (
        table[["lan_code", "lan_name"]].drop_duplicates().itertuples(index=False)
    ):
        entry = ("00" + lan_code, "län", lan_name)
        for variant in (lan_name, f"{lan_code} {lan_name}", f"L{lan_code}", "00" + lan_code):
            lookup[_norm(variant)] = entry
    for variant in ("Riket", "Hela riket", "Hela landet", "Sverige", "0000", "00 Riket"):
        lookup[_norm(variant)] = (RIKET_CODE, "riket", "Riket")
    return lookup


def resolve_area(name: str) -> tuple[str, str, str] | None:
    """(area code, level, name) of a kommun, län or Riket as Brå writes it, or None."""
    return _area_lookup().get(_norm(name))


# --------------------------------------------------------------------------- values


def parse_value(cell: str | None) -> tuple[float | None, str] | None:
    """A Brå cell -> (number or None, status); None when it is not a value at all.

    Accepts "1 234", "1\u00a0234", "12,5", "123*" (preliminary) and the missing
    markers ``..``, ``.``, ``-``, ``–`` (and an empty cell, "saknas").
    """
    text = (cell or "").replace("\u00a0", " ").strip()
    if text in MISSING_MARKERS:
        return None, MISSING_MARKERS[text]
    if text == "":
        return None, "saknas"
    status = "ok"
    if text.endswith("*"):
        status, text = "preliminär", text.rstrip("*").strip()
    compact = text.replace(" ", "").replace("\u202f", "")
    if not re.fullmatch(r"\d+(,\d+)?|\d+(\.\d+)?", compact):
        return None
    return float(compact.replace(",", ".")), status


def _worst(*statuses: str) -> str:
    order = {"sekretess": 3, "saknas": 2, "preliminär": 1, "ok": 0}
    return max(statuses, key=lambda s: order[s])


def category_of(label: str) -> str:
    """The normalised category key of a Brå crime type label."""
    # "Trafikbrott (exkl. rattfylleri)" is about traffic: ignore what is excluded.
    low = re.split(r"\b(?:exkl|exklusive|utom|ej)\b", _norm(label))[0]
    for keyword, key in CATEGORY_RULES:
        if keyword in low:
            return key
    return "ovrigt"


# --------------------------------------------------------------------------- lines


@dataclass
class _Lines:
    """A decoded ``;`` file as (file line number, cells), blank lines dropped."""

    path: Path
    rows: list[tuple[int, list[str]]]


def _split_lines(path: Path, sep: str = ";") -> _Lines:
    text = decode_text(path)
    rows: list[tuple[int, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = next(csv.reader(io.StringIO(line), delimiter=sep))
        check_field_lengths(path, number, cells)
        rows.append((number, [c.replace("\u00a0", " ").strip() for c in cells]))
    if not rows:
        raise DataError(path, "filen är tom", expected="minst en datarad")
    return _Lines(path, rows)


def _separator_error(path: Path, line: int, cell: str, sep: str = ";") -> DataError:
    other = next((s for s in ",\t|" if s in cell), None)
    return DataError(
        path,
        "fel avgränsare mellan kolumnerna",
        row=line,
        found=repr(other) if other else cell[:60],
        expected=f"kolumner åtskilda med {sep!r}",
    )


def _wrong_separator(cell: str) -> bool:
    """A single cell holding columns joined by another separator.

    Only when the first part is a header word or an area name, so that a title
    line with commas ("Anmälda brott, per kommun, 2024") is not mistaken for it.
    """
    for sep in ",\t|":
        parts = cell.split(sep)
        if len(parts) >= 3 and (
            _norm(parts[0]) in ("kommun", "brottstyp", "område") or resolve_area(parts[0])
        ):
            return True
    return False


def _is_note(cells: list[str]) -> bool:
    """A title or footnote line: one non-empty cell that is not an area name."""
    filled = [c for c in cells if c]
    return len(filled) <= 1 and (
        not filled or (resolve_area(filled[0]) is None and stockholm_stadsdel(filled[0]) is None)
    )


@dataclass
class BraReadResult(ReadResult):
    """A Brå reader's answer: also the rows set aside (not errors) and notes on them.

    ``set_aside`` has the file, line, area name as written, the part of which
    kommun it is and the reason, one row per set-aside row (e.g. Stockholm's
    stadsdelsområden in the 2021 file). ``notes`` are Swedish sentences for the
    ingest record and the report.
    """

    set_aside: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[str] = field(default_factory=list)


SET_ASIDE_COLUMNS = ["fil", "rad", "område", "del_av", "orsak"]


def _set_aside_note(path: Path, set_aside: pd.DataFrame) -> str:
    names = ", ".join(set_aside["område"])
    return (
        f"{Path(path).name}: {len(set_aside)} rader för Stockholms stadsdelsområden "
        f"({names}) lades åt sidan; de är delar av Stockholms kommun och räknas inte "
        "som kommuner."
    )


# --------------------------------------------------------------------------- yearly kommun file

KOMMUN_HEADER = ["kommun", "antal", "per 100 000 inv."]


def year_from_name(path: Path) -> int | None:
    match = re.search(r"(19|20)\d{2}", Path(path).stem)
    return int(match.group(0)) if match else None


def read_kommun_file(
    path: Path,
    *,
    year: int | None = None,
    quarantine: bool = False,
    origin: str = "real",
    check: bool = True,
) -> ReadResult:
    """Read one yearly kommun file (all crimes per kommun) into the tidy table.

    ``check=False`` leaves the contract check to the caller (:func:`read_folder`
    checks all yearly files at once and names the file only if that fails).
    """
    path = Path(path)
    year = year if year is not None else year_from_name(path)
    if year is None:
        raise DataError(
            path,
            "året framgår inte av filnamnet",
            found=path.name,
            expected="bra_kommun_<år>.csv eller året som argument",
        )
    if not 1950 <= year <= dt.date.today().year:
        raise DataError(path, "året är orimligt eller i framtiden", found=year)
    lines = _split_lines(path)
    # Leading title lines, trailing footnotes; the header is optional (2021 has none).
    rows = list(lines.rows)
    while rows and _is_note(rows[0][1]):
        if len(rows[0][1]) == 1 and _wrong_separator(rows[0][1][0]):
            raise _separator_error(path, rows[0][0], rows[0][1][0])
        rows.pop(0)
    while rows and _is_note(rows[-1][1]):
        rows.pop()
    if not rows:
        raise DataError(path, "filen har inga datarader", expected="Kommun;Antal;Per 100 000 inv.")
    first_line, first = rows[0]
    if [_norm(c) for c in first[:3]] == KOMMUN_HEADER:
        rows.pop(0)
    elif resolve_area(first[0]) is None and parse_value(first[1] if len(first) > 1 else "") is None:
        # Something header-like but not the expected header: a renamed column.
        found = ";".join(first)
        hint = difflib.get_close_matches(_norm(";".join(first)), [";".join(KOMMUN_HEADER)], n=1)
        raise DataError(
            path,
            "rubrikraden känns inte igen" + (" (en kolumn har bytt namn?)" if hint else ""),
            row=first_line,
            column=next(
                (
                    want
                    for got, want in zip([_norm(c) for c in first], KOMMUN_HEADER, strict=False)
                    if got != want
                ),
                None,
            ),
            found=found,
            expected="Kommun;Antal;Per 100 000 inv. (eller ingen rubrikrad)",
        )
    if not rows:
        raise DataError(path, "filen har bara en rubrikrad", expected="minst en datarad")

    problems = RowProblems(path, quarantine)
    records = []
    for number, cells in rows:
        if len(cells) == 1 and _wrong_separator(cells[0]):
            raise _separator_error(path, number, cells[0])
        if len(cells) != 3:
            raise DataError(
                path,
                "raden har fel antal fält (filen kan vara avkortad)",
                row=number,
                found=f"{len(cells)} fält",
                expected="3 fält: kommun;antal;per 100 000 inv.",
            )
        records.append((number, cells))
    index = [n - 2 for n, _ in records]  # so that line_of(index) is the file line
    frame = pd.DataFrame([c for _, c in records], columns=["Kommun", "Antal", "Per 100 000 inv."])
    frame.index = index
    stadsdel = frame["Kommun"].map(stockholm_stadsdel)
    is_stadsdel = stadsdel.notna()
    set_aside = pd.DataFrame(
        {
            "fil": path.name,
            "rad": frame.index[is_stadsdel] + 2,
            "område": frame.loc[is_stadsdel, "Kommun"].to_numpy(),
            "del_av": kommuner.kommun_name(STOCKHOLM_CODE),
            "orsak": "stadsdelsområde i Stockholm, ingen egen kommun",
        },
        columns=SET_ASIDE_COLUMNS,
    ).reset_index(drop=True)
    frame = frame[~is_stadsdel]
    areas = frame["Kommun"].map(resolve_area)
    problems.report(
        areas.isna(),
        "Kommun",
        frame["Kommun"],
        "okänt kommunnamn",
        "ett av Sveriges 290 kommunnamn, ett län eller Riket",
    )
    counts = frame["Antal"].map(parse_value)
    rates = frame["Per 100 000 inv."].map(parse_value)
    problems.report(
        counts.isna(), "Antal", frame["Antal"], "ogiltigt tal", "ett heltal, t.ex. 1 234"
    )
    problems.report(
        rates.isna(),
        "Per 100 000 inv.",
        frame["Per 100 000 inv."],
        "ogiltigt tal",
        "ett tal, t.ex. 9 876,5",
    )
    fractional = counts.map(lambda v: v is not None and v[0] is not None and v[0] % 1 != 0)
    problems.report(fractional, "Antal", frame["Antal"], "ogiltigt heltal", "ett heltal")
    work = frame.assign(_area=areas, _count=counts, _rate=rates, _line=frame.index + 2)
    good, rejected = problems.split(work)
    out = pd.DataFrame(
        {
            "kommun_code": [a[0] for a in good["_area"]],
            "area_level": [a[1] for a in good["_area"]],
            "area_name": [a[2] for a in good["_area"]],
            "year": year,
            "crime_category": "totalt",
            "crime_label": CATEGORIES["totalt"],
            "crime_code": None,
            "count": [c[0] for c in good["_count"]],
            "rate_per_100k": [r[0] for r in good["_rate"]],
            "value_status": [
                _worst(c[1], r[1]) for c, r in zip(good["_count"], good["_rate"], strict=True)
            ],
            "origin": origin,
        },
        columns=COLUMNS,
    )
    _check_duplicate_areas(path, out, good["_line"])
    if not rejected.empty:
        rejected = rejected.drop(columns=["_area", "_count", "_rate", "_line"])
    notes = [_set_aside_note(path, set_aside)] if len(set_aside) else []
    return BraReadResult(_finish(out, path, check), rejected, origin, set_aside, notes)


def _check_duplicate_areas(path: Path, out: pd.DataFrame, lines: pd.Series) -> None:
    dup = out.duplicated(["kommun_code", "year", "crime_label"])
    if dup.any():
        first = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataError(
            path,
            "samma område förekommer mer än en gång",
            row=int(lines.iloc[first]),
            column="Kommun",
            found=out["area_name"].iloc[first],
            expected="en rad per kommun",
        )


def _finish(out: pd.DataFrame, path: Path, check: bool = True) -> pd.DataFrame:
    out = out.astype(
        {
            "kommun_code": "string",
            "area_level": "string",
            "area_name": "string",
            "year": "Int64",
            "crime_category": "string",
            "crime_label": "string",
            "crime_code": "string",
            "count": "Float64",
            "rate_per_100k": "Float64",
            "value_status": "string",
            "origin": "string",
        }
    )
    out["count"] = out["count"].round().astype("Int64")
    out = out.sort_values(["kommun_code", "year", "crime_category", "crime_label"]).reset_index(
        drop=True
    )
    return check_contract(out, SCHEMA, path) if check else out


# --------------------------------------------------------------------------- database export

EXPORT_REQUIRED = ["brottstyp", "område", "period", "enhet", "värde"]
EXPORT_OPTIONAL = ["brottskod", "status"]
UNIT_COUNT = {"antal"}
UNIT_RATE = {"per 100 000 inv.", "per 100 000 invånare", "per 100000 inv.", "per 100 000 inv"}


def read_export(path: Path, *, quarantine: bool = False, origin: str = "real") -> ReadResult:
    """Read an export from Brå's statistics database (long format, one value per row)."""
    path = Path(path)
    lines = _split_lines(path)
    rows = list(lines.rows)
    while rows and _is_note(rows[0][1]) and not _looks_like_header(rows[0][1]):
        if len(rows[0][1]) == 1 and _wrong_separator(rows[0][1][0]):
            raise _separator_error(path, rows[0][0], rows[0][1][0])
        rows.pop(0)
    while rows and _is_note(rows[-1][1]) and len(rows) > 1:
        rows.pop()
    if not rows:
        raise DataError(path, "filen har ingen rubrikrad", expected=";".join(EXPORT_REQUIRED))
    header_line, header_cells = rows.pop(0)
    header = [_norm(c) for c in header_cells]
    if len(header) == 1:
        raise _separator_error(path, header_line, header_cells[0])
    check_columns(path, header, list(EXPORT_REQUIRED), row=header_line, separator=";")
    if not rows:
        raise DataError(path, "filen har bara en rubrikrad", expected="minst en datarad")
    width = len(header)
    for number, cells in rows:
        if len(cells) != width:
            raise DataError(
                path,
                "raden har fel antal fält (filen kan vara avkortad eller ha ett extra "
                "avgränsningstecken i en text)",
                row=number,
                found=f"{len(cells)} fält",
                expected=f"{width} fält som rubrikraden",
            )
    frame = pd.DataFrame([c for _, c in rows], columns=header)
    frame.index = [n - 2 for n, _ in rows]
    frame = frame.replace({"": None})
    problems = RowProblems(path, quarantine)

    for col in ("brottstyp", "område", "period", "enhet"):
        problems.report(frame[col].isna(), col, frame[col], "värde saknas", "ett värde")
    areas = frame["område"].map(lambda v: resolve_area(v) if v else None)
    problems.report(
        frame["område"].notna() & areas.isna(),
        "område",
        frame["område"],
        "okänt område",
        "en kommun (namn eller kod), ett län (t.ex. 'Örebro län') eller 'Riket'",
    )
    period = frame["period"].fillna("").str.strip()
    period_prel = period.str.contains(r"\*|prel", case=False, regex=True)
    years = pd.to_numeric(period.str.extract(r"^((?:19|20)\d{2})")[0], errors="coerce")
    problems.report(
        frame["period"].notna() & years.isna(),
        "period",
        frame["period"],
        "ogiltigt år",
        "ett år, t.ex. 2024",
    )
    this_year = dt.date.today().year
    problems.report(
        years > this_year,
        "period",
        frame["period"],
        "året ligger i framtiden",
        f"senast {this_year}",
    )
    unit = frame["enhet"].fillna("").map(_norm)
    is_count, is_rate = unit.isin(UNIT_COUNT), unit.isin(UNIT_RATE)
    problems.report(
        frame["enhet"].notna() & ~(is_count | is_rate),
        "enhet",
        frame["enhet"],
        "okänd enhet",
        "Antal eller Per 100 000 inv.",
    )
    values = frame["värde"].map(parse_value)
    problems.report(
        values.isna(),
        "värde",
        frame["värde"],
        "ogiltigt tal",
        "ett tal (t.ex. 1 234 eller 12,5) eller .., ., -, –",
    )
    fractional = is_count & values.map(
        lambda v: v is not None and v[0] is not None and v[0] % 1 != 0
    )
    problems.report(
        fractional, "värde", frame["värde"], "ogiltigt heltal", "ett heltal för enheten Antal"
    )
    if "status" in frame:
        status_raw = frame["status"].fillna("").map(_norm)
        known = status_raw.isin(PRELIMINARY_STATUS | FINAL_STATUS | set(MISSING_MARKERS))
        problems.report(
            ~known, "status", frame["status"], "okänd status", "preliminär, slutlig eller tom"
        )
    else:
        status_raw = pd.Series("", index=frame.index)

    work = frame.assign(
        _area=areas,
        _year=years,
        _is_count=is_count,
        _value=values,
        _prel=period_prel | status_raw.isin(PRELIMINARY_STATUS),
        _line=frame.index + 2,
    )
    good, rejected = problems.split(work)
    keep_cols = [c for c in rejected.columns if not c.startswith("_")]
    rejected = rejected[keep_cols] if not rejected.empty else rejected

    if good.empty:
        out = pd.DataFrame(columns=COLUMNS)
        return ReadResult(_finish(out, path), rejected, origin)
    good = good.assign(
        kommun_code=[a[0] for a in good["_area"]],
        area_level=[a[1] for a in good["_area"]],
        area_name=[a[2] for a in good["_area"]],
        year=good["_year"].astype(int),
        crime_label=good["brottstyp"],
        crime_code=good.get("brottskod", None),
        number=[v[0] for v in good["_value"]],
        status=[
            "preliminär" if (v[1] == "ok" and p) else v[1]
            for v, p in zip(good["_value"], good["_prel"], strict=True)
        ],
    )
    key = ["kommun_code", "year", "crime_label"]
    dup = good.duplicated(key + ["_is_count"])
    if dup.any():
        first = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataError(
            path,
            "samma brottstyp, område, år och enhet förekommer mer än en gång",
            row=int(good["_line"].iloc[first]),
            column="värde",
            found=f"{good['brottstyp'].iloc[first]}, {good['område'].iloc[first]}, "
            f"{good['period'].iloc[first]}, {good['enhet'].iloc[first]}",
            expected="en rad per kombination",
        )
    counts = good[good["_is_count"]].set_index(key)
    rates = good[~good["_is_count"]].set_index(key)
    both = counts.index.union(rates.index)
    counts, rates = counts.reindex(both), rates.reindex(both)
    first_of = counts.combine_first(rates)
    status = [
        _worst(*(s for s in (c, r) if isinstance(s, str)))
        for c, r in zip(counts["status"], rates["status"], strict=True)
    ]
    out = pd.DataFrame(
        {
            "kommun_code": both.get_level_values(0),
            "area_level": first_of["area_level"].to_numpy(),
            "area_name": first_of["area_name"].to_numpy(),
            "year": both.get_level_values(1),
            "crime_category": [category_of(label) for label in both.get_level_values(2)],
            "crime_label": both.get_level_values(2),
            "crime_code": first_of["crime_code"].to_numpy() if "crime_code" in first_of else None,
            "count": counts["number"].to_numpy(),
            "rate_per_100k": rates["number"].to_numpy(),
            "value_status": status,
            "origin": origin,
        },
        columns=COLUMNS,
    )
    return ReadResult(_finish(out, path), rejected, origin)


def _looks_like_header(cells: list[str]) -> bool:
    return any(_norm(c) in EXPORT_REQUIRED for c in cells)


# --------------------------------------------------------------------------- entry points


def read(
    path: Path, *, quarantine: bool = False, origin: str = "real", year: int | None = None
) -> ReadResult:
    """Read either Brå layout; the file name (or the header) decides which.

    ``bra_kommun_<year>.csv`` (or any file whose first line is not the export's
    header) is the yearly kommun file; ``year`` overrides the year in its name.
    """
    path = Path(path)
    if path.name.lower().startswith("bra_kommun"):
        return read_kommun_file(path, year=year, quarantine=quarantine, origin=origin)
    if path.name.lower().startswith("bra_brottstyp"):
        return read_export(path, quarantine=quarantine, origin=origin)
    lines = _split_lines(path)
    if any(_looks_like_header(cells) for _, cells in lines.rows[:5]):
        return read_export(path, quarantine=quarantine, origin=origin)
    return read_kommun_file(path, year=year, quarantine=quarantine, origin=origin)


def _check_yearly_files(tables: dict[Path, pd.DataFrame], folder: Path) -> None:
    """The contract check of every yearly file, done once on them all.

    pandera's cost is mostly per call, not per row, and a folder holds a
    dozen small yearly files. Only if the files together fail is each file
    checked on its own, so that the error names the file as
    :func:`read_kommun_file` would; a failure that no single file has (the
    same area and year in two files) is not one: :func:`read_folder` keeps
    the first of such rows.
    """
    if not tables:
        return
    try:
        check_contract(pd.concat(tables.values(), ignore_index=True), SCHEMA, folder)
    except DataError:
        for path, table in tables.items():
            check_contract(table, SCHEMA, path)


def read_folder(folder: Path, *, quarantine: bool = False, origin: str = "real") -> ReadResult:
    """All Brå files of a raw folder in one table.

    Where the database export and a yearly kommun file both give the total of
    an area and year, the export wins (it is the more detailed, later product);
    the yearly files fill the years and areas the export lacks.
    """
    folder = Path(folder)
    parts, rejected = [], []
    set_aside: list[pd.DataFrame] = []
    notes: list[str] = []
    export = folder / EXPORT_FILE
    if export.exists():
        result = read_export(export, quarantine=quarantine, origin=origin)
        parts.append(result.table)
        rejected.append(result.rejected)
    yearly = {
        path: read_kommun_file(path, quarantine=quarantine, origin=origin, check=False)
        for path in sorted(folder.glob(KOMMUN_FILE_PATTERN))
    }
    _check_yearly_files({path: result.table for path, result in yearly.items()}, folder)
    for result in yearly.values():
        table = result.table
        if isinstance(result, BraReadResult) and len(result.set_aside):
            set_aside.append(result.set_aside)
            notes.extend(result.notes)
        if parts:
            have = parts[0][parts[0]["crime_category"] == "totalt"][["kommun_code", "year"]]
            seen = set(map(tuple, have.to_numpy().tolist()))
            mask = [
                (c, int(y)) not in seen
                for c, y in zip(table["kommun_code"], table["year"], strict=True)
            ]
            table = table[mask]
        parts.append(table)
        rejected.append(result.rejected)
    if not parts:
        raise DataError(folder, "inga filer från Brå hittades", expected=", ".join(RAW_FILES))
    table = pd.concat(parts, ignore_index=True)
    dup = table.duplicated(["kommun_code", "year", "crime_label"])
    table = table[~dup].reset_index(drop=True)
    table = check_contract(table, SCHEMA, folder)
    rejected_frame = (
        pd.concat([r for r in rejected if not r.empty], ignore_index=True)
        if any(not r.empty for r in rejected)
        else pd.DataFrame()
    )
    aside = (
        pd.concat(set_aside, ignore_index=True)
        if set_aside
        else pd.DataFrame(columns=SET_ASIDE_COLUMNS)
    )
    return BraReadResult(table, rejected_frame, origin, aside, notes)


# --------------------------------------------------------------------------- example data

#: Approximate national rates per 100,000 inhabitants and year used ONLY by the
#: example generator: rounded magnitudes of recent Swedish reported crime (about
#: 1.4-1.5 million reported crimes a year), not Brå's figures.
EXAMPLE_NATIONAL_RATES: dict[str, float] = {
    "Samtliga brott": 14000.0,
    "Stöld och tillgrepp": 4300.0,
    "Bostadsinbrott": 120.0,
    "Skadegörelse": 1700.0,
    "Misshandel": 830.0,
    "Narkotikabrott": 880.0,
    "Trafikbrott": 650.0,
    "Rattfylleri": 240.0,
    "Brott mot ordningslagen": 45.0,
}

#: Fallback population when the real-data mirror is absent. LOUD CAVEAT: every
#: kommun then gets the same invented population; example rates are then
#: meaningless as comparisons between kommuner (they are example data anyway).
FALLBACK_KOMMUN_POPULATION = 15_000
FALLBACK_RIKET_POPULATION = 10_550_000  # Sweden, roughly, 2024

EXAMPLE_YEARS = list(range(2015, 2026))


def example_population() -> tuple[dict[str, int], int, str]:
    """Population per kommun, of Riket, and a note on where it came from.

    The mirror's ``scb/population_2024_nov1.csv`` when present (the same
    population is used for every example year: a simplification), else the
    fallback constants above.
    """
    if paths.has_shared_data():
        file = paths.shared_data_dir() / "scb" / "population_2024_nov1.csv"
        if file.exists():
            table = pd.read_csv(file, dtype={"kommun_kod": str})
            pop = dict(
                zip(table["kommun_kod"].str.zfill(4), table["population"].astype(int), strict=True)
            )
            return pop, int(sum(pop.values())), "SCB 2024-11-01 (speglingen)"
    codes = kommuner.all_kommuner()["kommun_code"]
    pop = {c: FALLBACK_KOMMUN_POPULATION for c in codes}
    return pop, FALLBACK_RIKET_POPULATION, "påhittad konstant (speglingen saknas)"


def _fmt_int(value: float, sep: str) -> str:
    return f"{int(round(value)):,}".replace(",", sep)


def _fmt_rate(value: float, sep: str, decimals: int) -> str:
    text = f"{value:,.{decimals}f}".replace(",", "X").replace(".", ",")
    return text.replace("X", sep)


def _example_counts(config: KommunConfig, seed: int) -> pd.DataFrame:
    """Simulated counts: kommuner of the län (per-kommun factor), the län as their sum, Riket."""
    code_seed = int(config.code)
    rng = np.random.default_rng([seed, code_seed, 71])
    pop, riket_pop, _ = example_population()
    lan = config.lan_code
    members = kommuner.kommuner_in_lan(lan)
    rows = []
    trend = {y: 1.0 + 0.01 * (y - 2020) for y in EXAMPLE_YEARS}
    for code in members:
        factor = float(rng.lognormal(0.0, 0.25))
        cat_factor = {label: float(rng.lognormal(0.0, 0.2)) for label in EXAMPLE_NATIONAL_RATES}
        for year in EXAMPLE_YEARS:
            for label, rate in EXAMPLE_NATIONAL_RATES.items():
                f = 1.0 if label == "Samtliga brott" else cat_factor[label]
                lam = pop[code] * rate / 1e5 * factor * f * trend[year]
                rows.append((code, year, label, int(rng.poisson(lam)), pop[code]))
    frame = pd.DataFrame(rows, columns=["code", "year", "label", "count", "population"])
    # The total must not be below the sum of the parts shown: lift it when needed.
    lan_rows = (
        frame.groupby(["year", "label"], as_index=False)[["count", "population"]]
        .sum()
        .assign(code="00" + lan)
    )
    riket = []
    for year in EXAMPLE_YEARS:
        for label, rate in EXAMPLE_NATIONAL_RATES.items():
            riket.append(
                (
                    "0000",
                    year,
                    label,
                    int(rng.poisson(riket_pop * rate / 1e5 * trend[year])),
                    riket_pop,
                )
            )
    riket_rows = pd.DataFrame(riket, columns=["code", "year", "label", "count", "population"])
    out = pd.concat([frame, lan_rows[frame.columns], riket_rows], ignore_index=True)
    out["rate"] = out["count"] / out["population"] * 1e5
    return out


@cache
def _names() -> dict[str, str]:
    table = kommuner.all_kommuner()
    names = dict(zip(table["kommun_code"], table["kommun_name"], strict=True))
    names.update({"00" + c: n for c, n in zip(table["lan_code"], table["lan_name"], strict=True)})
    return names


def _area_label(code: str, with_kommun: bool) -> str:
    if code == RIKET_CODE:
        return "Riket"
    if code.startswith("00"):
        return _names()[code]
    name = _names()[code]
    if not with_kommun:
        return name
    # Swedish genitive as in the official names: "Lekebergs kommun", "Laxå kommun".
    genitive = name if name[-1].lower() in "aeiouyåäösxz" else name + "s"
    return f"{genitive} kommun"


def generate_example(config: KommunConfig, out_dir: Path, seed: int = 0) -> list[Path]:
    """Write example Brå files (both layouts) for the kommun's län, 2015-2025.

    Yearly kommun files: header in every year except 2021 (none, as in Brå's
    real 2021 file); "X kommun" names in 2015-2017; a title line in 2016-2019;
    no-break spaces as thousands separators in 2022; rates with one decimal
    (decimal comma) from 2021; a footnote saying the values are fictional.
    The export: nine crime types for the län's kommuner, the län and Riket,
    2025 marked preliminary with ``*``, and two planted suppressed cells (``..``
    and ``–``) so that missing values are exercised. Counts are Poisson around
    population x an approximate national rate x a per-kommun factor.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = _example_counts(config, seed)
    written: list[Path] = []
    footnote = "Källa: exempeldata (fiktiva värden, inte Brå:s statistik)"
    totals = data[data["label"] == "Samtliga brott"]
    for year in EXAMPLE_YEARS:
        part = totals[totals["year"] == year]
        lines: list[str] = []
        if 2016 <= year <= 2019:
            lines.append(f"Anmälda brott per kommun {year} (exempel)")
        if year != 2021:
            lines.append("Kommun;Antal;Per 100 000 inv.")
        sep = "\u00a0" if year == 2022 else " "
        decimals = 1 if year >= 2021 else 0
        for row in part.itertuples(index=False):
            name = _area_label(row.code, with_kommun=year <= 2017)
            lines.append(f"{name};{_fmt_int(row.count, sep)};{_fmt_rate(row.rate, sep, decimals)}")
        lines.append(footnote)
        path = out_dir / f"bra_kommun_{year}.csv"
        path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
        written.append(path)

    rng = np.random.default_rng([seed, int(config.code), 72])
    small = data[(data["code"] == config.code) & (data["count"] < 30)].index.to_list()
    planted = {}
    if small:
        picks = rng.choice(small, size=min(2, len(small)), replace=False)
        planted = {int(picks[0]): ".."}
        if len(picks) > 1:
            planted[int(picks[1])] = "–"
    codes = {label: f"EX{i:02d}" for i, label in enumerate(EXAMPLE_NATIONAL_RATES)}
    lines = ["brottstyp;brottskod;område;period;enhet;värde"]
    for row in data.itertuples():  # not iterrows: a Series per row cost most of the example
        star = "*" if row.year == 2025 else ""
        area = _area_label(row.code, with_kommun=False)
        marker = planted.get(int(row.Index))
        count = marker or _fmt_int(row.count, " ") + star
        rate = marker or _fmt_rate(row.rate, " ", 1) + star
        for unit, value in (("Antal", count), ("Per 100 000 inv.", rate)):
            lines.append(f"{row.label};{codes[row.label]};{area};{row.year};{unit};{value}")
    path = out_dir / EXPORT_FILE
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    written.append(path)
    return written
