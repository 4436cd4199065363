"""Extracts from the police's map system Hobit: one row per reported crime or event.

The analysis behind the medborgarlöften used "utdrag ur polisens webbaserade
kartsystem – Hobit": reported crimes with a crime code, a time (or a time
window) and a position, the only source that places reported crime at street
level (promise 3: narkotika, trafik, ordningsstörning). The police export it
from Hobit as an Excel workbook or a ``;``-separated CSV; the raw files are
``data/raw/<kommun>/hobit*.csv`` or ``hobit*.xlsx``, one or several (e.g. one
extract a year), read together by :func:`read_folder`.

The export's columns are Swedish and vary between extracts; every accepted
header and variant is listed in :data:`HEADERS` and in ``docs/data/hobit.md``:

* a case or event number (``Ärendenummer``, ``Händelsenummer`` …), e.g.
  ``5000-K123456-25``;
* the crime code (``Brottskod``, Brå's four-digit code, e.g. ``1203``) and its
  label (``Brottsbenämning``);
* the time: ``Datum`` + ``Klockslag``, or a window ``Från`` – ``Till``, or one
  column ``Tid`` holding ``2025-03-14 22:00–2025-03-15 02:00``;
* the position: SWEREF 99 TM (EPSG:3006) ``Nordkoordinat``/``Östkoordinat``
  (also ``X``/``Y``, Swedish convention: X is north), or WGS 84 ``Lat``/``Lon``,
  or none; ``Lägestyp`` may say that it was snapped to an address point;
* a place text (``Plats``/``Adress``).

Privacy, stricter than for residents' reports (``docs/data/privacy.md``):

* The case number never reaches the processed table: it is replaced by
  ``case_key``, a keyed hash (HMAC-SHA256, the secret salt of
  :mod:`trygghet.sources.victim_contacts`: argument, else
  ``TRYGGHET_PSEUDONYM_SALT``, else random for this read). Case numbers have
  few possible values, so the salt must be secret. Rejected rows show the key
  too, never the number.
* ``place`` and ``crime_label`` are scrubbed free text; ``place`` is never
  shown on any page (reports aggregate positions to hexagons).
* Positions are kept at full precision in the processed table only, because
  hexagons and the hotspot test need them; no page shows a single position.

Checks (each row-level one names file, row, column, what was found and what
was expected, and can be quarantined): case number present, of a case
number's form and not a personnummer, no (case, code) pair twice; a
four-digit crime code and a label; a parseable time, an end not before the
start, nothing in the future; coordinates that are numbers, both halves
given, in Sweden's range of the system, not swapped, the two systems
agreeing when both are given (within :data:`BOTH_SYSTEMS_TOLERANCE_M`), and
within :data:`~trygghet.config.BOUNDARY_TOLERANCE_M` of the kommun's
(generalised) boundary.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from trygghet import kommuner
from trygghet.config import BOUNDARY_TOLERANCE_M, KommunConfig, kommun_boundaries
from trygghet.errors import DataError
from trygghet.sources.free_text import scrub_columns
from trygghet.sources.resident_reports import example_places, example_rng
from trygghet.sources.tabular import (
    SWEDEN_LAT,
    SWEDEN_LON,
    CleanRows,
    NotClean,
    ReadResult,
    RowProblems,
    check_contract,
    decode_text,
    excel_header,
    is_excel,
    parse_column,
    read_table,
)
from trygghet.sources.victim_contacts import PERSONNUMMER_LIKE, _salt, pseudonymise

SOURCE = "hobit"
#: Globs in the kommun's raw folder; every match is one extract.
RAW_FILES = ["hobit*.csv", "hobit*.xlsx"]

HOBIT_CATEGORIES = ["narkotika", "trafik", "ordningsstörning", "skadegörelse", "våld", "övrigt"]
#: The categories of promise 3 (every category but övrigt).
PROMISE_CATEGORIES = HOBIT_CATEGORIES[:-1]
POSITION_SOURCES = ["koordinat", "adresspunkt", "saknas"]

TIDY_COLUMNS = [
    "case_key",
    "crime_code",
    "crime_label",
    "category",
    "start",
    "end",
    "time_exact",
    "lat",
    "lon",
    "position_source",
    "place",
    "kommun_code",
    "origin",
]

#: SWEREF 99 TM over Sweden (metres): northing and easting.
SWEREF_N = (6_100_000.0, 7_700_000.0)
SWEREF_E = (260_000.0, 930_000.0)
#: RT 90 2.5 gon V eastings (the older national grid) are about 1.2–1.9 million.
RT90_E = (1_200_000.0, 1_900_000.0)
#: How far apart a SWEREF 99 TM and a WGS 84 position of one row may lie (metres):
#: WGS 84 rounded to 4 decimals is off by up to ~8 m, an address point by more.
BOTH_SYSTEMS_TOLERANCE_M = 50.0

# ---------------------------------------------------------------------------
# Headers: canonical name -> accepted export headers, in order of preference
# (matched without regard to case, spaces or underscores; the first present wins).

HEADERS: dict[str, tuple[str, ...]] = {
    "case": (
        "Ärendenummer",
        "Ärendenr",
        "Ärende",
        "Diarienummer",
        "Anmälningsnummer",
        "K-nummer",
        "Händelsenummer",
        "Händelsenr",
        "Händelse-id",
    ),
    "crime_code": ("Brottskod", "Brottskod (Brå)", "Kod"),
    "crime_label": (
        "Brottsbenämning",
        "Brottsrubricering",
        "Rubricering",
        "Benämning",
        "Brottstyp",
        "Brott",
        "Händelsetyp",
    ),
    "from": (
        "Från",
        "Från datum",
        "Fr.o.m.",
        "Från och med",
        "Brottstid från",
        "Starttid",
        "Datum",
        "Brottsdatum",
        "Händelsedatum",
    ),
    "from_time": ("Klockslag", "Kl", "Kl.", "Från klockslag", "Från kl", "Från tid"),
    "to": ("Till", "Till datum", "T.o.m.", "Till och med", "Brottstid till", "Sluttid"),
    "to_time": ("Till klockslag", "Till kl", "Till tid"),
    "when": ("Tid", "Tidpunkt", "Brottstid", "Händelsetid"),
    "north": (
        "Nordkoordinat",
        "Nord",
        "Northing",
        "SWEREF99 N",
        "SWEREF 99 TM N",
        "N",
        "X",
    ),
    "east": ("Östkoordinat", "Öst", "Easting", "SWEREF99 E", "SWEREF 99 TM E", "E", "Y"),
    "lat": ("Lat", "Latitud", "Latitude", "WGS84 lat", "WGS 84 lat"),
    "lon": ("Lon", "Long", "Longitud", "Longitude", "WGS84 lon", "WGS 84 lon"),
    "position_type": ("Lägestyp", "Positionstyp", "Positionskälla", "Lägeskälla", "Koordinattyp"),
    "place": ("Plats", "Adress", "Brottsplats", "Händelseplats", "Platsbeskrivning", "Gatuadress"),
}

#: The "standard" export the example generator writes (one of the variants above).
STANDARD_HEADER = [
    "Ärendenummer",
    "Brottskod",
    "Brottsbenämning",
    "Från",
    "Till",
    "Nordkoordinat",
    "Östkoordinat",
    "Lägestyp",
    "Plats",
]

#: Values of the position-type column and what they mean (lower case).
POSITION_TYPES: dict[str, str] = {
    **dict.fromkeys(
        ["adresspunkt", "adress", "adressläge", "adressposition", "gatuadress"], "adresspunkt"
    ),
    **dict.fromkeys(
        ["koordinat", "exakt", "gps", "inmätt", "manuell", "kartpunkt", "karta", "punkt"],
        "koordinat",
    ),
    **dict.fromkeys(["saknas", "ingen", "okänd", "ej angiven", "-"], "saknas"),
}

# ---------------------------------------------------------------------------
# Crime code and label -> category

#: Label keywords, tried in this order (the first category whose pattern matches
#: the lower-cased label wins), so that "Rattfylleri under påverkan av narkotika"
#: is trafik and "Våldsamt upplopp" ordningsstörning.
LABEL_RULES: tuple[tuple[str, str], ...] = (
    ("trafik", r"rattfylleri|trafik|olovlig körning|smitning|hastighet|körkort"),
    ("narkotika", r"narkotika|dopning"),
    (
        "ordningsstörning",
        r"ordningslag|ordningsstörning|ordningsföreskrift|upplopp|ohörsamhet|förargelse"
        r"|allmän ordning|störande|\bfylleri|berusad|oljud",
    ),
    ("skadegörelse", r"skadegörelse|klotter|åverkan"),
    ("våld", r"misshandel|\bvåld|\brån\b|\bmord\b|dråp|fridskränkning"),
)
#: Sexual offences (BrB 6 kap: codes 06xx and 96xx, or a label saying so) are
#: övrigt whatever else the label says: they are not what promise 3 is about,
#: and too few and too sensitive for a layer of their own.
SEXUAL_LABEL = r"våldtäkt|sexuell|sexualbrott|koppleri|blottning|köp av sexuell"
SEXUAL_CODES = ((600, 699), (9600, 9699))
#: Code ranges used when the label matches no keyword: the first two digits of
#: Brå's codes follow the chapter of the Brottsbalk (03/93 = 3 kap, liv och
#: hälsa; 12 = 12 kap, skadegörelse), 30xx is the trafikbrottslag; narkotika
#: are narkotikastrafflagen (5010–5013) and narkotikasmuggling (4050–4054, 4066).
CODE_RULES: tuple[tuple[str, int, int], ...] = (
    ("våld", 300, 399),
    ("våld", 9300, 9399),
    ("skadegörelse", 1200, 1299),
    ("trafik", 3000, 3099),
    ("narkotika", 5010, 5013),
    ("narkotika", 4050, 4054),
    ("narkotika", 4066, 4066),
)

_LABEL_PATTERNS = [(c, re.compile(p)) for c, p in LABEL_RULES]
_SEXUAL_PATTERN = re.compile(SEXUAL_LABEL)


def categorise(code: str, label: str) -> str:
    """The HOBIT_CATEGORIES category of one crime (see the rules above)."""
    number = int(code) if code.isdigit() else -1
    text = (label or "").lower()
    if _SEXUAL_PATTERN.search(text) or any(lo <= number <= hi for lo, hi in SEXUAL_CODES):
        return "övrigt"
    for category, pattern in _LABEL_PATTERNS:
        if pattern.search(text):
            return category
    for category, lo, hi in CODE_RULES:
        if lo <= number <= hi:
            return category
    return "övrigt"


def categorise_series(codes: pd.Series, labels: pd.Series) -> pd.Series:
    pairs = pd.DataFrame({"code": codes.fillna(""), "label": labels.fillna("")}).astype(str)
    unique = pairs.drop_duplicates()
    lookup = {
        (c, label): categorise(c, label)
        for c, label in zip(unique["code"], unique["label"], strict=True)
    }
    values = [lookup[p] for p in zip(pairs["code"], pairs["label"], strict=True)]
    return pd.Series(values, index=codes.index, dtype="string")


# ---------------------------------------------------------------------------
# Contract

_STR = pd.StringDtype()

SCHEMA = pa.DataFrameSchema(
    {
        "case_key": pa.Column(_STR, pa.Check.str_matches(r"^P-[0-9a-f]{16}$"), nullable=False),
        "crime_code": pa.Column(_STR, pa.Check.str_matches(r"^\d{4}$"), nullable=False),
        "crime_label": pa.Column(_STR, nullable=False),
        "category": pa.Column(_STR, pa.Check.isin(HOBIT_CATEGORIES), nullable=False),
        "start": pa.Column("datetime64[ns]", nullable=False),
        "end": pa.Column("datetime64[ns]", nullable=True),
        "time_exact": pa.Column(bool, nullable=False),
        "lat": pa.Column("float64", pa.Check.in_range(*SWEDEN_LAT), nullable=True),
        "lon": pa.Column("float64", pa.Check.in_range(*SWEDEN_LON), nullable=True),
        "position_source": pa.Column(_STR, pa.Check.isin(POSITION_SOURCES), nullable=False),
        "place": pa.Column(_STR, nullable=True),
        "kommun_code": pa.Column(_STR, pa.Check.str_matches(r"^\d{4}$"), nullable=False),
        "origin": pa.Column(_STR, pa.Check.isin(["real", "fetched", "example"])),
    },
    checks=[
        pa.Check(
            lambda df: df["end"].isna() | (df["end"] > df["start"]),
            error="end saknas eller ligger efter start",
        ),
        pa.Check(
            lambda df: ~df["time_exact"] | df["end"].isna(),
            error="en exakt tid har inget tidsfönster",
        ),
        pa.Check(
            lambda df: (df["position_source"] == "saknas") == df["lat"].isna(),
            error="position_source saknas precis när positionen saknas",
        ),
        pa.Check(lambda df: df["lat"].isna() == df["lon"].isna(), error="lat och lon tillsammans"),
    ],
    strict=True,
    ordered=True,
)

# ---------------------------------------------------------------------------
# Reading


def _norm(header: str) -> str:
    return " ".join(str(header).replace("_", " ").replace("\u00a0", " ").split()).casefold()


def _file_header(path: Path) -> list[str]:
    """The header row of the file (empty, binary and wrongly encoded files are errors here)."""
    if is_excel(path):
        return excel_header(path)
    text = decode_text(path)
    for row in csv.reader(io.StringIO(text), delimiter=";"):
        if any(cell.strip() for cell in row):
            return [cell.strip() for cell in row]
    raise DataError(path, "filen är tom", expected="en rubrikrad och minst en datarad")


def resolve_headers(path: Path, header: list[str]) -> dict[str, str]:
    """Canonical name -> the file's header, for every known column the file has.

    Missing required columns are an error naming every accepted variant.
    """
    by_norm = {_norm(h): h for h in reversed(header) if h}
    found: dict[str, str] = {}
    for canonical, names in HEADERS.items():
        hit = next((by_norm[_norm(n)] for n in names if _norm(n) in by_norm), None)
        if hit is not None:
            found[canonical] = hit
    if len(header) == 1 and len(found) <= 1:
        other = next((s for s in ",\t|" if s in header[0]), None)
        raise DataError(
            path,
            "fel avgränsare mellan kolumnerna",
            row=1,
            found=repr(other) if other else header[0][:60],
            expected="kolumner åtskilda med ';' (eller en Excel-arbetsbok .xlsx)",
        )
    required = [("case", "ärende- eller händelsenummer"), ("crime_code", "brottskod")]
    required += [("crime_label", "brottsbenämning")]
    for canonical, what in required:
        if canonical not in found:
            _missing(path, header, what, HEADERS[canonical])
    if "from" not in found and "when" not in found:
        _missing(path, header, "tidpunkt", HEADERS["from"] + HEADERS["when"])
    for one, other in (("north", "east"), ("east", "north"), ("lat", "lon"), ("lon", "lat")):
        if one in found and other not in found:
            raise DataError(
                path,
                f"kolumnen {found[one]} finns men inte den andra halvan av koordinaten",
                row=1,
                column=found[one],
                found=", ".join(header),
                expected="en av: " + ", ".join(HEADERS[other]),
            )
    return found


def _missing(path: Path, header: list[str], what: str, names: tuple[str, ...]) -> None:
    raise DataError(
        path,
        f"kolumn saknas: {what}",
        row=1,
        column=names[0],
        found=", ".join(header),
        expected="en kolumn med någon av rubrikerna " + ", ".join(names),
    )


def read(
    path: Path,
    *,
    kommun: str,
    quarantine: bool = False,
    origin: str = "real",
    salt: str | None = None,
    today: pd.Timestamp | None = None,
) -> ReadResult:
    """One Hobit extract (CSV or Excel) -> the tidy, pseudonymised table.

    ``kommun`` is the kommun the extract is for: its code fills ``kommun_code``
    and positions are checked against its boundary. ``salt`` is the secret key
    of ``case_key``; ``today`` is for tests of the future check.
    """
    _check_kommun(kommun)
    table, rejected = _read_one(Path(path), kommun, quarantine, origin, _salt(salt), today)
    table = check_contract(table, SCHEMA, path).reset_index(drop=True)
    return ReadResult(table, rejected, origin)


def read_folder(
    folder: Path,
    *,
    kommun: str,
    quarantine: bool = False,
    origin: str = "real",
    salt: str | None = None,
    today: pd.Timestamp | None = None,
) -> ReadResult:
    """Every ``hobit*.csv``/``hobit*.xlsx`` of a raw folder in one table (one salt for all).

    Overlapping extracts are allowed: a crime (case and code) found in two files
    with the same content is kept once; with different content it is an error,
    because which extract is right is not ours to guess.
    """
    _check_kommun(kommun)
    folder = Path(folder)
    files: list[Path] = []
    for pattern in RAW_FILES:
        files += [p for p in sorted(folder.glob(pattern)) if p.is_file() and p not in files]
    if not files:
        raise DataError(folder, "inga Hobit-utdrag hittades", expected=", ".join(RAW_FILES))
    for file in files:
        twin = file.with_suffix(".xlsx")
        if file.suffix == ".csv" and twin in files:
            raise DataError(
                folder,
                f"både {file.name} och {twin.name} finns; det är oklart vilken som gäller",
                expected="bara en av dem (ta bort eller byt namn på den andra)",
            )
    key = _salt(salt)
    rejected = []
    table = _read_clean(files, kommun, origin, key, today)
    if table is None:  # a problem somewhere: file by file, so that each error names its file
        parts = []
        for file in files:
            typed, bad = _read_one(file, kommun, quarantine, origin, key, today)
            parts.append(typed.assign(_file=file.name))
            if len(bad):
                rejected.append(bad.assign(fil=file.name))
        table = pd.concat(parts, ignore_index=True)
    table = table.drop_duplicates(subset=TIDY_COLUMNS, keep="first")
    clash = table.duplicated(["case_key", "crime_code"], keep=False)
    if clash.any():
        first = table[clash].iloc[0]
        both = table[clash & (table["case_key"] == first["case_key"])]
        both = both[both["crime_code"] == first["crime_code"]]
        raise DataError(
            folder,
            "samma brott (ärende och brottskod) finns i två utdrag med olika uppgifter",
            column="ärendenummer/brottskod",
            found=f"{first['case_key']} brottskod {first['crime_code']} i "
            + " och ".join(both["_file"]),
            expected="samma uppgifter i alla utdrag, eller varje brott i ett enda utdrag",
        )
    table = table.drop(columns="_file").sort_values("start", kind="stable")
    table = check_contract(table.reset_index(drop=True), SCHEMA, folder)
    frame = pd.concat(rejected, ignore_index=True) if rejected else pd.DataFrame()
    return ReadResult(table, frame, origin)


def _check_kommun(kommun: str) -> None:
    if not (isinstance(kommun, str) and kommuner.is_kommun_code(kommun)):
        raise ValueError(f"okänd kommunkod {kommun!r}")


#: A case or event number: letters, digits and - / . (e.g. 5000-K123456-25).
CASE_NUMBER = re.compile(r"^[A-Za-zÅÄÖåäö0-9][A-Za-zÅÄÖåäö0-9/.-]{2,39}$")
_CASE_EXPECTED = "ett ärende- eller händelsenummer, t.ex. 5000-K123456-25"


def _read_raw(path: Path, scrub: bool = True) -> tuple[pd.DataFrame, str | Path, dict[str, str]]:
    """The raw cells of one file under canonical names, where they came from, the headers.

    The free-text cells are scrubbed unless ``scrub`` is false (the caller scrubs them).
    """
    cols = resolve_headers(path, _file_header(path))
    raw, where = read_table(path, required=list(cols.values()))
    raw = raw.rename(columns={v: k for k, v in cols.items()})[list(cols)]
    return (scrub_columns(raw, SOURCE) if scrub else raw), where, cols


def _read_clean(
    files: list[Path], kommun: str, origin: str, salt: str, today: pd.Timestamp | None
) -> pd.DataFrame | None:
    """All files typed in one pass, or ``None`` when any file has a problem of any kind.

    A kommun's extracts (often one a year) share their headers, and typing
    them together costs one pass of the column operations instead of one per
    file. This handles only the clean case: a file that cannot be read, files
    with different headers or column types, or any row problem give ``None``,
    and :func:`read_folder` reads file by file, so that every error and every
    quarantined row is exactly that of the file-by-file reading. The typed rows
    are the same either way: every check and every conversion is row by row,
    and a (case, code) pair is looked for twice within each file only.
    """
    if len(files) < 2 or any(is_excel(f) for f in files):
        return None
    try:
        raws = [_read_raw(f, scrub=False) for f in files]
    except DataError:
        return None
    cols = raws[0][2]
    dtypes = raws[0][0].dtypes.tolist()
    if any(c != cols or r.dtypes.tolist() != dtypes for r, _, c in raws[1:]):
        return None
    raw = scrub_columns(pd.concat([r for r, _, _ in raws], ignore_index=True), SOURCE)
    file_no = np.repeat(np.arange(len(raws)), [len(r) for r, _, _ in raws])
    try:
        table, _ = _typed(raw, cols, CleanRows(files[0]), kommun, origin, salt, today, file_no)
    except NotClean:
        return None
    return table.assign(_file=np.array([f.name for f in files])[file_no])


def _read_one(
    path: Path,
    kommun: str,
    quarantine: bool,
    origin: str,
    salt: str,
    today: pd.Timestamp | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The typed rows of one file (before the contract) and its rejected rows."""
    raw, where, cols = _read_raw(path)
    problems = RowProblems(where, quarantine)
    return _typed(raw, cols, problems, kommun, origin, salt, today)


def _typed(
    raw: pd.DataFrame,
    cols: dict[str, str],
    problems: RowProblems,
    kommun: str,
    origin: str,
    salt: str,
    today: pd.Timestamp | None,
    file_no: np.ndarray | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The typed rows (before the contract) and the rejected rows of raw cells.

    ``file_no`` says which file each row came from when several are typed at once.
    """
    named = _Named(raw, cols)

    case = parse_column(named.frame, cols["case"], "str", problems).str.strip()
    pnr = case.notna() & case.str.contains(PERSONNUMMER_LIKE).fillna(False)
    hidden = pd.Series("(döljs: ser ut som ett personnummer)", index=raw.index)
    problems.report(pnr, cols["case"], hidden, "numret ser ut som ett personnummer", _CASE_EXPECTED)
    bad_case = case.notna() & ~pnr & ~case.str.fullmatch(CASE_NUMBER).fillna(False)
    problems.report(bad_case, cols["case"], case, "ogiltigt ärendenummer", _CASE_EXPECTED)
    case_key = pseudonymise(case.fillna("").astype(str), salt)

    code = _crime_code(named, problems)
    label = parse_column(named.frame, cols["crime_label"], "str", problems)
    pairs = {"c": case, "k": code} if file_no is None else {"f": file_no, "c": case, "k": code}
    duplicate = case.notna() & code.notna() & pd.DataFrame(pairs).duplicated()
    problems.report(
        duplicate,
        cols["case"],
        case_key + " brottskod " + code.fillna(""),
        "samma brott (ärendenummer och brottskod) finns på två rader",
        "varje brott en gång (flera brott i ett ärende har olika brottskoder)",
    )
    start, end, exact = _times(named, problems, today)
    lat, lon, source = _positions(named, problems, kommun)
    place = raw["place"].astype("string") if "place" in raw else pd.Series(pd.NA, index=raw.index)

    table = pd.DataFrame(
        {
            "case_key": case_key,
            "crime_code": code.astype("string"),
            "crime_label": label.astype("string"),
            "category": categorise_series(code, label),
            "start": start.astype("datetime64[ns]"),
            "end": end.astype("datetime64[ns]"),
            "time_exact": exact.astype(bool),
            "lat": lat.astype("float64"),
            "lon": lon.astype("float64"),
            "position_source": source.astype("string"),
            "place": place.astype("string"),
            "kommun_code": pd.Series(kommun, index=raw.index, dtype="string"),
            "origin": pd.Series(origin, index=raw.index, dtype="string"),
        }
    )
    # Rejected rows keep their line and reason; the case number is replaced
    # by its key there too (hidden entirely when it looks like a personnummer).
    shown = named.frame.assign(**{cols["case"]: case_key.where(~pnr, "(dold)")})
    return problems.set_aside(table, shown)


class _Named:
    """The raw cells under the file's own headers, so that errors name the column as in the file."""

    def __init__(self, raw: pd.DataFrame, cols: dict[str, str]) -> None:
        self.cols = cols
        self.frame = raw.rename(columns=cols)

    def has(self, canonical: str) -> bool:
        return canonical in self.cols

    def name(self, canonical: str) -> str:
        return self.cols[canonical]

    def cells(self, canonical: str) -> pd.Series:
        if canonical not in self.cols:
            return pd.Series(None, index=self.frame.index, dtype=object)
        return self.frame[self.cols[canonical]]


def _crime_code(named: _Named, problems: RowProblems) -> pd.Series:
    """Four digits; a code Excel stored as a number (``857``) gets its leading zero back."""
    column = named.name("crime_code")
    raw = parse_column(named.frame, column, "str", problems).str.strip()
    padded = raw.where(~raw.str.fullmatch(r"\d{1,3}").fillna(False), raw.str.zfill(4))
    bad = raw.notna() & ~padded.str.fullmatch(r"\d{4}").fillna(False)
    problems.report(
        bad, column, raw, "ogiltig brottskod", "Brås brottskod med fyra siffror, t.ex. 1203"
    )
    return padded.where(~bad)


# --- times ------------------------------------------------------------------

_MOMENT = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[ T](?P<h>\d{1,2})[:.](?P<m>\d{2})(?::(?P<s>\d{2}))?)?$"
)
_CLOCK = re.compile(r"^(?P<h>\d{1,2})[:.]?(?P<m>\d{2})(?::(?P<s>\d{2}))?$")
#: The separator of a window in one cell: an en or em dash, " - ", " till ", or a
#: hyphen right after a clock time ("22:00-02:00").
_WINDOW = re.compile(r"\s*[–—]\s*|\s+-\s+|\s+till\s+|(?<=\d:\d\d)-(?=\d)")
_DAY_END = pd.Timedelta(hours=23, minutes=59)
_MOMENT_EXPECTED = "datum och tid ÅÅÅÅ-MM-DD TT:MM (eller bara datum)"


def _clock_of(parts: pd.DataFrame) -> pd.Series:
    """Time of day from extracted h/m/s columns; NaT where absent or out of range."""
    h = pd.to_numeric(parts["h"], errors="coerce")
    m = pd.to_numeric(parts["m"], errors="coerce")
    s = pd.to_numeric(parts["s"], errors="coerce").fillna(0)
    ok = (h <= 23) & (m <= 59) & (s <= 59)
    delta = pd.to_timedelta(h * 3600 + m * 60 + s, unit="s")
    return delta.where(ok)


def _parse_moments(values: pd.Series, *, clock_only: bool = False) -> tuple:
    """(date, clock, ok) of each text: a date with or without a time, or (clock_only) a time.

    ``ok`` is False where a value is present but of neither form.
    """
    text = values.astype("string").str.strip()
    moment = text.str.extract(_MOMENT)
    date = pd.to_datetime(moment["date"], format="%Y-%m-%d", errors="coerce")
    clock = _clock_of(moment)
    has_clock = moment["h"].notna()
    ok = date.notna() & (~has_clock | clock.notna())
    if clock_only:
        bare = text.str.extract(_CLOCK)
        bare_clock = _clock_of(bare)
        use = ~ok & bare_clock.notna()
        clock = clock.where(~use, bare_clock)
        ok = ok | use
    ok = ok | text.isna()
    return date, clock, ok.fillna(False).astype(bool)


def _times(named: _Named, problems: RowProblems, today) -> tuple[pd.Series, pd.Series, pd.Series]:
    """start, end (NaT when exact) and time_exact from whichever time columns the file has."""
    index = named.frame.index
    if named.has("from"):
        start_col = named.name("from")
        start_text = named.cells("from")
        end_text = named.cells("to")
        end_col = named.name("to") if named.has("to") else None
        # "Tid" beside "Datum" is the time of day.
        clock_col = next((c for c in ("from_time", "when") if named.has(c)), None)
    else:
        start_col = named.name("when")
        pieces = named.cells("when").astype("string").str.split(_WINDOW, n=1, regex=True)
        start_text = pieces.str[0].astype("string").str.strip().replace("", pd.NA)
        end_text = pieces.str[1].astype("string").str.strip().replace("", pd.NA)
        end_col = start_col
        clock_col = None
    problems.report(start_text.isna(), start_col, start_text, "tidpunkt saknas", _MOMENT_EXPECTED)
    date, clock, ok = _parse_moments(start_text)
    problems.report(~ok, start_col, start_text, "ogiltig tidpunkt", _MOMENT_EXPECTED)
    if clock_col is not None:
        own = named.cells(clock_col)
        _, own_clock, own_ok = _parse_moments(own, clock_only=True)
        name = named.name(clock_col)
        problems.report(~own_ok, name, own, "ogiltigt klockslag", "TT:MM, t.ex. 22:30")
        both = clock.notna() & own_clock.notna() & (clock != own_clock)
        problems.report(both, name, own, "två olika klockslag", "samma tid i båda kolumnerna")
        clock = clock.where(clock.notna(), own_clock)

    end_date, end_clock, end_ok = _parse_moments(end_text, clock_only=True)
    if end_col is not None:
        problems.report(~end_ok, end_col, end_text, "ogiltig sluttid", _MOMENT_EXPECTED)
    if named.has("to_time"):
        own = named.cells("to_time")
        _, own_clock, own_ok = _parse_moments(own, clock_only=True)
        problems.report(~own_ok, named.name("to_time"), own, "ogiltigt klockslag", "TT:MM")
        end_clock = end_clock.where(end_clock.notna(), own_clock)

    known = clock.notna()
    start = date + clock.fillna(pd.Timedelta(0))
    has_end = end_date.notna() | end_clock.notna()
    implicit_day = end_date.isna() & end_clock.notna()
    end = end_date.where(end_date.notna(), date) + end_clock.where(end_clock.notna(), _DAY_END)
    # "22:00–02:00": a window given by its end time only runs into the next day.
    end = end.where(~(implicit_day & (end < start)), end + pd.Timedelta(days=1))
    # A day without a time of day is a window over the whole day.
    end = end.where(has_end, (date + _DAY_END).where(~known))
    end = end.where(~(end == start))
    problems.report(
        end.notna() & start.notna() & (end < start),
        end_col or start_col,
        end_text,
        "sluttiden ligger före starttiden",
        "en sluttid samma som eller efter starttiden",
    )
    exact = known & end.isna()
    today = pd.Timestamp(today or pd.Timestamp.now().normalize())
    latest = today + pd.Timedelta(days=1)
    for values, column, text in ((start, start_col, start_text), (end, end_col, end_text)):
        problems.report(
            values > latest,
            column or start_col,
            text.where(text.notna(), start_text),
            "tidpunkten ligger i framtiden",
            f"senast {today.date()}",
        )
    return start, end, exact.reindex(index).fillna(False)


# --- positions ----------------------------------------------------------------


@functools.cache
def _to_wgs84():  # noqa: ANN202 - a pyproj Transformer
    from pyproj import Transformer

    # always_xy: input (easting, northing), output (lon, lat), whatever the CRS axis order.
    return Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)


@functools.cache
def _to_sweref():  # noqa: ANN202
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)


def sweref_to_wgs84(north, east) -> tuple[np.ndarray, np.ndarray]:
    """(lat, lon) in WGS 84 of SWEREF 99 TM (EPSG:3006) northings and eastings (vectorised)."""
    lon, lat = _to_wgs84().transform(np.asarray(east, float), np.asarray(north, float))
    return np.asarray(lat), np.asarray(lon)


def wgs84_to_sweref(lat, lon) -> tuple[np.ndarray, np.ndarray]:
    """(north, east) in SWEREF 99 TM of WGS 84 latitudes and longitudes (vectorised)."""
    east, north = _to_sweref().transform(np.asarray(lon, float), np.asarray(lat, float))
    return np.asarray(north), np.asarray(east)


def _pair(named: _Named, a: str, b: str, problems: RowProblems) -> tuple:
    """Two coordinate columns as floats; one without the other is an error."""
    if not named.has(a):
        nothing = pd.Series(np.nan, index=named.frame.index)
        return nothing, nothing, ""
    x = parse_column(named.frame, named.name(a), "float", problems, required=False)
    y = parse_column(named.frame, named.name(b), "float", problems, required=False)
    label = f"{named.name(a)}/{named.name(b)}"
    found = named.cells(a).astype(str) + ", " + named.cells(b).astype(str)
    problems.report(
        x.isna() != y.isna(),
        label,
        found,
        "bara ena halvan av koordinaten är ifylld",
        "båda eller ingen av dem",
    )
    return x.astype("float64"), y.astype("float64"), label


def _positions(named: _Named, problems: RowProblems, kommun: str) -> tuple:
    """lat, lon (WGS 84) and position_source; SWEREF 99 TM wins when both systems are given."""
    index = named.frame.index
    north, east, sweref_label = _pair(named, "north", "east", problems)
    lat_w, lon_w, wgs_label = _pair(named, "lat", "lon", problems)
    found_sweref = named.cells("north").astype(str) + ", " + named.cells("east").astype(str)
    found_wgs = named.cells("lat").astype(str) + ", " + named.cells("lon").astype(str)
    if named.has("north"):
        _check_sweref(north, east, found_sweref, sweref_label, named, problems)
    if named.has("lat"):
        _check_wgs84(lat_w, lon_w, found_wgs, wgs_label, problems)
    good_s = north.between(*SWEREF_N) & east.between(*SWEREF_E)
    lat_s, lon_s = sweref_to_wgs84(north.fillna(0), east.fillna(0))
    lat_s = pd.Series(lat_s, index=index).where(good_s)
    lon_s = pd.Series(lon_s, index=index).where(good_s)
    good_w = lat_w.between(*SWEDEN_LAT) & lon_w.between(*SWEDEN_LON)
    if named.has("north") and named.has("lat"):
        n_w, e_w = wgs84_to_sweref(lat_w.fillna(0), lon_w.fillna(0))
        gap = np.hypot(north - n_w, east - e_w)
        problems.report(
            good_s & good_w & (gap > BOTH_SYSTEMS_TOLERANCE_M),
            f"{sweref_label} och {wgs_label}",
            found_sweref
            + " och "
            + found_wgs
            + " ("
            + gap.round().astype("Int64").astype(str)
            + " m isär)",
            "positionen anges i båda koordinatsystemen men de stämmer inte överens",
            f"samma punkt i SWEREF 99 TM och WGS 84 (högst {BOTH_SYSTEMS_TOLERANCE_M:.0f} m isär)",
        )
    lat = lat_s.where(lat_s.notna(), lat_w.where(good_w))
    lon = lon_s.where(lon_s.notna(), lon_w.where(good_w))
    shown = found_sweref if named.has("north") else found_wgs
    _check_in_kommun(lat, lon, kommun, sweref_label or wgs_label, shown, problems)
    source = _position_source(named, lat.notna(), problems)
    return lat, lon, source


def _check_sweref(north, east, found, label, named: _Named, problems: RowProblems) -> None:
    given = north.notna() & east.notna()
    x_is_north = _norm(named.name("north")) == "x"
    swapped = given & north.between(*SWEREF_E) & east.between(*SWEREF_N)
    hint = (
        " (i SWEREF 99 TM är X den nordliga och Y den östliga koordinaten, svensk konvention)"
        if x_is_north
        else ""
    )
    problems.report(
        swapped,
        label,
        found,
        "nord- och östkoordinaten verkar omkastade" + hint,
        f"{named.name('north')} 6 100 000–7 700 000 och {named.name('east')} "
        "260 000–930 000 (SWEREF 99 TM, meter)",
    )
    rt90 = given & ~swapped & north.between(*SWEREF_N) & east.between(*RT90_E)
    problems.report(
        rt90,
        label,
        found,
        "koordinaten ser ut att vara i RT 90, inte SWEREF 99 TM",
        "SWEREF 99 TM (EPSG:3006): östkoordinat 260 000–930 000",
    )
    outside = given & ~swapped & ~rt90 & ~(north.between(*SWEREF_N) & east.between(*SWEREF_E))
    problems.report(
        outside,
        label,
        found,
        "koordinaten ligger utanför Sverige (SWEREF 99 TM)",
        "nordkoordinat 6 100 000–7 700 000 och östkoordinat 260 000–930 000 (meter)",
    )


def _check_wgs84(lat, lon, found, label, problems: RowProblems) -> None:
    given = lat.notna() & lon.notna()
    inside = lat.between(*SWEDEN_LAT) & lon.between(*SWEDEN_LON)
    swapped = given & ~inside & lon.between(*SWEDEN_LAT) & lat.between(*SWEDEN_LON)
    problems.report(
        swapped,
        label,
        found,
        "latitud och longitud verkar omkastade",
        f"latitud {SWEDEN_LAT[0]}–{SWEDEN_LAT[1]} och longitud {SWEDEN_LON[0]}–{SWEDEN_LON[1]}",
    )
    problems.report(
        given & ~inside & ~swapped,
        label,
        found,
        "koordinaten ligger utanför Sverige (WGS 84)",
        "WGS 84 i decimalgrader i Sverige, t.ex. 59,7830 och 14,5170",
    )


def _check_in_kommun(lat, lon, kommun: str, label: str, found, problems: RowProblems) -> None:
    """Within BOUNDARY_TOLERANCE_M of the kommun's boundary (SCB's, generalised), when known."""
    boundaries, source = kommun_boundaries()
    given = lat.notna()
    if boundaries is None or kommun not in boundaries.index or not given.any():
        return
    import shapely

    north, east = wgs84_to_sweref(lat[given], lon[given])
    distance = shapely.distance(boundaries.loc[kommun], shapely.points(east, north))
    metres = pd.Series(np.nan, index=lat.index)
    metres[given] = distance
    name = kommuner.kommun_name(kommun)
    problems.report(
        metres > BOUNDARY_TOLERANCE_M,
        label,
        found + " (" + (metres / 1000).round(0).astype("Int64").astype(str) + " km utanför)",
        f"positionen ligger utanför {name} kommun",
        f"en punkt i {name} kommun, högst {BOUNDARY_TOLERANCE_M // 1000} km utanför den "
        f"förenklade gränsen (kontrollerat mot {source})",
    )


def _position_source(named: _Named, has_position: pd.Series, problems: RowProblems) -> pd.Series:
    default = pd.Series(np.where(has_position, "koordinat", "saknas"), index=has_position.index)
    if not named.has("position_type"):
        return default
    column = named.name("position_type")
    cells = named.cells("position_type")
    kind = cells.astype("string").str.strip().str.lower().map(POSITION_TYPES)
    problems.report(
        cells.notna() & kind.isna(),
        column,
        cells,
        "okänd lägestyp",
        "en av: " + ", ".join(POSITION_TYPES),
    )
    problems.report(
        kind.isin(["koordinat", "adresspunkt"]) & ~has_position,
        column,
        cells,
        "lägestypen säger att positionen finns, men koordinaten saknas",
        "koordinater på raden, eller lägestyp saknas",
    )
    problems.report(
        (kind == "saknas") & has_position,
        column,
        cells,
        "lägestypen säger att positionen saknas, men raden har koordinater",
        "ingen koordinat, eller lägestyp koordinat/adresspunkt",
    )
    return kind.where(kind.notna(), default).astype("string")


# ---------------------------------------------------------------------------
# Example data

#: Snapshot of the example extracts (as the other sources' examples): nothing later.
EXAMPLE_START = pd.Timestamp("2022-01-01")
EXAMPLE_SNAPSHOT = pd.Timestamp("2026-10-31")

#: Illustrative codes and labels (right chapter of Brå's code list, labels shortened;
#: example data only): category -> [(code, label, weight)].
_CATALOGUE: dict[str, list[tuple[str, str, float]]] = {
    "narkotika": [
        ("5011", "Narkotikabrott, innehav", 4),
        ("5012", "Narkotikabrott, eget bruk", 5),
        ("5010", "Narkotikabrott, överlåtelse", 1),
    ],
    "trafik": [
        ("3005", "Rattfylleri", 3),
        ("3007", "Rattfylleri under påverkan av narkotika", 3),
        ("3003", "Olovlig körning", 3),
        ("3001", "Vårdslöshet i trafik", 1),
        ("3010", "Smitning från trafikolycka", 1),
    ],
    "ordningsstörning": [
        ("1612", "Förargelseväckande beteende", 2),
        ("1606", "Ohörsamhet mot ordningsmakten", 1),
        ("7550", "Brott mot ordningslagen", 3),
    ],
    "skadegörelse": [
        ("1203", "Skadegörelse genom klotter", 4),
        ("1201", "Skadegörelse på motorfordon", 2),
        ("1202", "Skadegörelse, övrig", 3),
    ],
    "våld": [
        ("9335", "Misshandel, ej grov, utomhus", 5),
        ("9345", "Misshandel, ej grov, inomhus", 3),
        ("9337", "Misshandel, grov, utomhus", 1),
    ],
    "övrigt": [
        ("0857", "Stöld ur eller från motordrivet fordon", 3),
        ("0801", "Snatteri", 4),
        ("0820", "Cykelstöld", 3),
        ("0421", "Olaga hot", 3),
        ("0903", "Bedrägeri", 4),
        ("0824", "Inbrott i förråd eller källare", 2),
    ],
}
_CATEGORY_SHARE = {
    "narkotika": 0.09,
    "trafik": 0.16,
    "ordningsstörning": 0.06,
    "skadegörelse": 0.14,
    "våld": 0.10,
    "övrigt": 0.45,
}
#: Hour-of-day weights: promise-3 crimes in the evening and night, the rest by day.
_HOURS_EVENING = np.array(
    [8, 7, 5, 3, 2, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10, 9], float
)
_HOURS_DAY = np.array(
    [1, 1, 1, 1, 1, 1, 2, 3, 5, 6, 7, 7, 7, 7, 7, 7, 6, 5, 4, 3, 2, 2, 1, 1], float
)
#: Weekday weights (Monday first): promise-3 crimes on Friday and Saturday nights.
_DAYS_WEEKEND = np.array([0.8, 0.8, 0.9, 1.0, 1.6, 2.0, 1.3])
_DAYS_EVEN = np.ones(7)
_PLACE_WORDS = [
    "busshållplatsen",
    "torget",
    "stationen",
    "parken",
    "skolan",
    "centrum",
    "p-platsen",
]
_STREETS = ["Storgatan", "Järnvägsgatan", "Skolgatan", "Kyrkvägen", "Parkgatan", "Torggatan"]
#: Rows a year per inhabitant (Swedish reported crime is ~0.14; small kommuner less).
_RATE = 0.08


def _population(config: KommunConfig) -> int:
    from trygghet.sources.bra_crime import example_population

    population, _, _ = example_population()
    return int(population.get(config.code, 10_000))


def _spots(
    config: KommunConfig, rng: np.random.Generator
) -> tuple[list[tuple[float, float, float]], list[tuple[float, float]]]:
    """Cluster centres (north, east, weight) in SWEREF 99 TM: the areas and a few hot places.

    The hot places (2–3, in the largest tätorter) are where promise-3 crimes concentrate.
    """
    places = example_places(config)
    lat = np.array([p[2] for p in places])
    lon = np.array([p[3] for p in places])
    north, east = wgs84_to_sweref(lat, lon)
    weight = np.array([3.0 if p[1] in ("tätort", "stadsdel") else 0.6 for p in places])
    weight[0] *= 2
    out = [(float(n), float(e), float(w)) for n, e, w in zip(north, east, weight, strict=True)]
    towns = [i for i, p in enumerate(places) if p[1] in ("tätort", "stadsdel")] or [0]
    hot = []
    for k in range(3 if len(towns) > 1 else 2):
        i = towns[k % len(towns)] if k < 2 else towns[0]
        hot.append((out[i][0] + rng.normal(0, 250), out[i][1] + rng.normal(0, 250)))
    return out, hot


def _example_frame(config: KommunConfig, seed: int) -> pd.DataFrame:
    rng = example_rng(config, seed, 19)
    areas, hot = _spots(config, rng)
    days = pd.date_range(EXAMPLE_START, EXAMPLE_SNAPSHOT, freq="D")
    per_year = float(np.clip(_population(config) * _RATE, 250, 1500))
    trend = 1.0 + 0.04 * (days.year.to_numpy() - 2022) * rng.choice([-1, 1])
    n = int(rng.poisson(per_year * len(days) / 365.25))
    categories = list(_CATEGORY_SHARE)
    share = np.array([_CATEGORY_SHARE[c] for c in categories])
    category = np.array(categories)[rng.choice(len(categories), size=n, p=share)]
    promise = category != "övrigt"

    # Day: weekend-heavy for promise-3 crimes; then the hour.
    weekday = days.dayofweek.to_numpy()
    day_w = {
        True: trend * _DAYS_WEEKEND[weekday],
        False: trend * _DAYS_EVEN[weekday],
    }
    day_idx = np.empty(n, int)
    hour = np.empty(n, int)
    for flag in (True, False):
        rows = np.flatnonzero(promise == flag)
        p = day_w[flag] / day_w[flag].sum()
        day_idx[rows] = rng.choice(len(days), size=len(rows), p=p)
        hours = _HOURS_EVENING if flag else _HOURS_DAY
        hour[rows] = rng.choice(24, size=len(rows), p=hours / hours.sum())
    minute = rng.choice([0, 5, 10, 15, 20, 30, 40, 45, 50], size=n)
    start = days[day_idx] + pd.to_timedelta(hour * 60 + minute, unit="m")

    # Windows: skadegörelse and thefts are often found afterwards ("från–till").
    window_p = np.where(np.isin(category, ["skadegörelse", "övrigt"]), 0.35, 0.03)
    windowed = rng.random(n) < window_p
    length = pd.to_timedelta(rng.choice([2, 4, 8, 10, 14, 24, 48], size=n), unit="h")
    end = pd.Series(start + length).where(windowed)

    # Position: promise-3 crimes half at the hot places, the rest around the areas.
    spot_w = np.array([a[2] for a in areas])
    at_area = rng.choice(len(areas), size=n, p=spot_w / spot_w.sum())
    north = np.array([areas[i][0] for i in at_area]) + rng.normal(0, 500, n)
    east = np.array([areas[i][1] for i in at_area]) + rng.normal(0, 500, n)
    at_hot = promise & (rng.random(n) < 0.5)
    which = rng.choice(len(hot), size=n)
    north = np.where(at_hot, [hot[i][0] for i in which] + rng.normal(0, 90, n), north)
    east = np.where(at_hot, [hot[i][1] for i in which] + rng.normal(0, 90, n), east)
    # Address points: snapped to a grid of 25 m (many crimes share one point).
    snapped = rng.random(n) < 0.2
    north = np.where(snapped, np.round(north / 25) * 25, north)
    east = np.where(snapped, np.round(east / 25) * 25, east)
    missing = rng.random(n) < 0.05
    missing |= _outside_own(config.code, north, east)

    codes, labels = _pick_crimes(rng, category)
    street = np.array(_STREETS)[rng.integers(0, len(_STREETS), n)]
    number = rng.integers(1, 60, n)
    word = np.array(_PLACE_WORDS)[rng.integers(0, len(_PLACE_WORDS), n)]
    area_name = np.array([p[0] for p in example_places(config)])[at_area]
    place = np.where(
        rng.random(n) < 0.6,
        [f"{s} {k}, {a}" for s, k, a in zip(street, number, area_name, strict=True)],
        [f"{a}, vid {w}" for a, w in zip(area_name, word, strict=True)],
    )
    frame = pd.DataFrame(
        {
            "start": start,
            "end": end,
            "code": codes,
            "label": labels,
            "north": north,
            "east": east,
            "kind": np.where(missing, "saknas", np.where(snapped, "adresspunkt", "koordinat")),
            "place": np.where(missing & (rng.random(n) < 0.5), "", place),
        }
    )
    frame = frame[frame["start"] <= EXAMPLE_SNAPSHOT - pd.Timedelta(days=2)]
    frame = frame.sort_values("start", kind="stable").reset_index(drop=True)
    # Case numbers per year, rising; a few cases hold a second crime (another code).
    year = frame["start"].dt.year
    serial = frame.groupby(year).cumcount() * 7 + 10_000 + rng.integers(0, 5000)
    frame["case"] = "5000-K" + serial.astype(str) + "-" + (year % 100).astype(str).str.zfill(2)
    extra = frame[(frame["code"] == "9335") & (rng.random(len(frame)) < 0.3)].copy()
    extra["code"], extra["label"] = "0421", "Olaga hot"
    frame = pd.concat([frame, extra]).sort_values(["start", "case"], kind="stable")
    return frame.reset_index(drop=True)


def _pick_crimes(rng: np.random.Generator, category: np.ndarray) -> tuple[list[str], list[str]]:
    """(codes, labels): one crime of its category's catalogue per row, by the catalogue's weights.

    What ``rng.choice(len(options), p=w / w.sum())`` draws row by row (one
    uniform number a row, the same numbers in the same order, the same
    cumulative weights), for all rows at once.
    """
    uniform = rng.random(len(category))
    pick = np.zeros(len(category), int)
    for c in set(category.tolist()):
        w = np.array([o[2] for o in _CATALOGUE[c]])
        cdf = (w / w.sum()).cumsum()
        cdf /= cdf[-1]
        rows = np.flatnonzero(category == c)
        pick[rows] = cdf.searchsorted(uniform[rows], side="right")
    chosen = [_CATALOGUE[c][i] for c, i in zip(category.tolist(), pick.tolist(), strict=True)]
    return [code for code, _, _ in chosen], [label for _, label, _ in chosen]


def _outside_own(code: str, north: np.ndarray, east: np.ndarray) -> np.ndarray:
    """Points the reader would refuse (too far outside the kommun): written without a position."""
    boundaries, _ = kommun_boundaries()
    if boundaries is None or code not in boundaries.index:
        return np.zeros(len(north), bool)
    import shapely

    distance = shapely.distance(boundaries.loc[code], shapely.points(east, north))
    return np.asarray(distance > BOUNDARY_TOLERANCE_M * 0.8)


def _cells(frame: pd.DataFrame) -> pd.DataFrame:
    """The example rows as the standard export writes them (text cells)."""
    has = frame["kind"] != "saknas"
    return pd.DataFrame(
        {
            "Ärendenummer": frame["case"],
            "Brottskod": frame["code"],
            "Brottsbenämning": frame["label"],
            "Från": frame["start"].dt.strftime("%Y-%m-%d %H:%M"),
            "Till": frame["end"].dt.strftime("%Y-%m-%d %H:%M").fillna(""),
            "Nordkoordinat": np.where(has, frame["north"].round(0).astype(int).astype(str), ""),
            "Östkoordinat": np.where(has, frame["east"].round(0).astype(int).astype(str), ""),
            "Lägestyp": frame["kind"],
            "Plats": frame["place"],
        }
    )[STANDARD_HEADER]


def generate_example(config: KommunConfig, out_dir: Path, seed: int = 0) -> list[Path]:
    """Write fictional Hobit extracts ``hobit_<year>.csv`` (2022 – 2026-10-31), standard export.

    SWEREF 99 TM positions around the kommun's areas, promise-3 crimes
    concentrated at two or three places and in the evenings and at weekends,
    time windows for skadegörelse and thefts, about 5 % without a position and
    a fifth snapped to address points. Deterministic for a seed and kommun.
    """
    frame = _example_frame(config, seed)
    cells = _cells(frame)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for year, part in cells.groupby(frame["start"].dt.year):
        target = out_dir / f"hobit_{year}.csv"
        part.to_csv(target, sep=";", index=False, encoding="utf-8", lineterminator="\n")
        written.append(target)
    return written


__all__ = [
    "BOTH_SYSTEMS_TOLERANCE_M",
    "CODE_RULES",
    "EXAMPLE_SNAPSHOT",
    "HEADERS",
    "HOBIT_CATEGORIES",
    "LABEL_RULES",
    "POSITION_SOURCES",
    "POSITION_TYPES",
    "PROMISE_CATEGORIES",
    "RAW_FILES",
    "SCHEMA",
    "SOURCE",
    "STANDARD_HEADER",
    "TIDY_COLUMNS",
    "categorise",
    "generate_example",
    "read",
    "read_folder",
    "sweref_to_wgs84",
    "wgs84_to_sweref",
]
