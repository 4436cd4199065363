"""Strict reading of the tabular exports kommuner send (CSV, Excel).

Every reader of a tabular source goes through here so that every malformed file
gets the same kind of answer: a Swedish message naming the file, the row (as
the line number an analyst sees in a text editor or spreadsheet, header = 1),
the column, what was found and what was expected. Row-level problems either
stop the ingest (the default) or, with quarantine, remove the bad rows and keep
them with the reason for each, so nothing is lost silently.

Assumptions written down: exports are UTF-8 (a BOM is accepted), the
separator is given per source (``;`` is what Swedish Excel writes), dates are
ISO 8601 and decimals may use a comma.
"""

from __future__ import annotations

import csv
import datetime as _dt
import difflib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from trygghet.errors import DataError

# A generous box around Sweden (WGS 84); a point outside it is a mistake, not a place.
SWEDEN_LAT = (55.0, 69.2)
SWEDEN_LON = (10.5, 24.3)

HEADER_LINE = 1  # data row i of a file is on line i + 2


def line_of(index: int) -> int:
    """The file line of data row ``index`` (0-based, after the header)."""
    return int(index) + HEADER_LINE + 1


#: The longest value one field of a CSV file may hold, in characters: 32 767,
#: the most a cell holds in Excel (and in LibreOffice Calc). The exports our
#: sources come from are made in, or opened and saved from, a spreadsheet, so
#: a longer field cannot be a real value; real free texts (a resident's
#: description, a walk's note, an EST account) are a few hundred characters.
#: A field over it is a broken file, most often a quote left open that has
#: swallowed the rows after it. It therefore stops the file even with
#: quarantine: setting that one "row" aside would silently drop every row it
#: swallowed.
MAX_FIELD_CHARS = 32_767

# Python's csv module refuses, process-wide, any field over 131 072 characters
# with a bare ``_csv.Error`` that names neither file nor row. That limit guards
# memory, which is moot here (the whole file is already in memory as text), so
# it is lifted once for every CSV reader and MAX_FIELD_CHARS is checked
# instead, naming row and column. 2**31 - 1 fits every platform's C long.
csv.field_size_limit(2**31 - 1)

#: Formats that turn up under a text file's name, by their first bytes; checked
#: before decoding, so that such a file is not reported as text in the wrong encoding.
FILE_SIGNATURES: tuple[tuple[bytes, str, str, str], ...] = (
    (
        b"PK\x03\x04",
        "zip (xlsx, docx …)",
        "en zip-fil, troligen en Excel-arbetsbok (.xlsx)",
        "en textfil i UTF-8: öppna arbetsboken i Excel och spara som 'CSV UTF-8' "
        "(läser källan Excel-filer, ge filen i stället ändelsen .xlsx)",
    ),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "OLE2 (xls, doc …)",
        "en äldre Excel-arbetsbok (.xls) eller ett annat Office-dokument",
        "en textfil i UTF-8: öppna filen i Excel och spara som 'CSV UTF-8'",
    ),
    (b"\x1f\x8b", "gzip", "en gzip-packad fil", "en uppackad textfil i UTF-8"),
    (b"%PDF-", "PDF", "en PDF-fil", "en textfil i UTF-8 (exportera data, inte en rapport)"),
)

# Control characters no text file holds (tab, line feed, vertical tab, form
# feed and carriage return are allowed). Text in any encoding has next to none
# of them, random or compressed bytes about 10 %: over 1 % of the first 64 kB
# is binary.
_CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))
_BINARY_SHARE = 0.01
_SNIFF_BYTES = 65_536


def _bytes_excerpt(data: bytes, pos: int) -> str:
    """The bytes around ``pos`` as Latin-1 text (control bytes show as ``\\x00`` in errors)."""
    return data[max(0, pos - 10) : pos + 10].decode("latin-1")


def check_text_file(path: Path, data: bytes) -> None:
    """A workbook, another binary format, or UTF-16 under a text file's name is a clear error.

    Named for what it is (an Excel workbook renamed .csv, a binary file with
    NUL bytes), not as text in some other encoding.
    """
    suffix = Path(path).suffix or "(ingen)"
    for signature, name, what, expected in FILE_SIGNATURES:
        if data.startswith(signature):
            raise DataError(
                path,
                f"filen är ingen textfil utan {what}, fast den har ändelsen {suffix}",
                found=f"filens första byte {signature.hex(' ').upper()}: signaturen för {name}",
                expected=expected,
            )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError(
            path,
            "filen är sparad som UTF-16 (i Excel 'Unicode-text')",
            row=1,
            found=data[:2].hex(" ").upper(),
            expected="UTF-8 (spara som 'CSV UTF-8' i Excel)",
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DataError(
            path,
            "filen innehåller NUL-tecken (byte 0x00) och är ingen textfil: den är binär "
            "(t.ex. ett Office-dokument eller en bild), sparad som UTF-16 eller skadad",
            row=data[:nul].count(b"\n") + 1,
            found=_bytes_excerpt(data, nul),
            expected="en textfil i UTF-8",
        )
    sample = data[:_SNIFF_BYTES]
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if control > _BINARY_SHARE * len(sample):
        first = min(i for i in (sample.find(bytes([b])) for b in _CONTROL_BYTES) if i >= 0)
        raise DataError(
            path,
            f"filen är binär, ingen textfil ({control} styrtecken bland de första "
            f"{len(sample)} byten)",
            row=sample[:first].count(b"\n") + 1,
            found=_bytes_excerpt(sample, first),
            expected="en textfil i UTF-8",
        )


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def check_field_lengths(
    path: Path, line: int, cells: list[str], header: list[str] | None = None
) -> None:
    """No field longer than :data:`MAX_FIELD_CHARS`; the first one over it is named.

    ``line`` is the file line the record starts on, ``header`` names the columns.
    """
    if not cells or max(map(len, cells)) <= MAX_FIELD_CHARS:
        return
    i = next(i for i, cell in enumerate(cells) if len(cell) > MAX_FIELD_CHARS)
    named = header is not None and i < len(header) and header[i]
    excerpt = cells[i][:40].replace("\n", " ")
    raise DataError(
        path,
        "fältet är för långt för att vara ett värde (oftast ett citattecken som aldrig "
        "stängs, så att raderna efter det har slagits ihop till ett enda fält)",
        row=line,
        column=header[i] if named else f"fält nr {i + 1}",
        found=f"{_thousands(len(cells[i]))} tecken som börjar: {excerpt}…",
        expected=f"högst {_thousands(MAX_FIELD_CHARS)} tecken i ett fält (det mesta en "
        "Excel-cell rymmer)",
    )


def decode_text(path: Path) -> str:
    """The file's text as UTF-8; an empty, binary or otherwise encoded file is a clear error."""
    data = Path(path).read_bytes()
    if not data.strip():
        raise DataError(path, "filen är tom", expected="en rubrikrad och minst en datarad")
    check_text_file(path, data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            path,
            "fel teckenkodning (filen verkar vara sparad som Windows-1252/Latin-1)",
            row=line,
            found=data[max(0, exc.start - 10) : exc.end + 10].decode("cp1252", "replace"),
            expected="UTF-8 (spara som 'CSV UTF-8' i Excel)",
        ) from None
    return text


def read_csv_strict(
    path: Path,
    required: Iterable[str],
    optional: Iterable[str] = (),
    sep: str = ";",
) -> pd.DataFrame:
    """Read a delimited file as strings, checking encoding, separator, columns, row lengths.

    Values stay strings here; :func:`parse_column` types them with row-level errors.
    """
    text = decode_text(path)
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    rows: list[list[str]] = []
    names: list[str] | None = None  # the header, once read
    start = 1  # the file line the next record starts on (a quoted field may span lines)
    try:
        for row in reader:
            if "".join(row).strip():  # some cell holds more than whitespace
                if len(max(row, key=len)) > MAX_FIELD_CHARS:
                    check_field_lengths(path, start, row, names)
                names = names or [h.strip() for h in row]
                rows.append(row)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(
            path, f"filen kan inte läsas som CSV ({exc})", row=start, expected="en CSV-fil"
        ) from None
    if not rows:
        raise DataError(path, "filen är tom", expected="en rubrikrad och minst en datarad")
    header = [h.strip() for h in rows[0]]
    required = list(required)
    if len(header) == 1 and len(required) > 1:
        other = next((s for s in ";,\t|" if s != sep and s in header[0]), None)
        raise DataError(
            path,
            "fel avgränsare mellan kolumnerna",
            row=1,
            found=f"{other!r}" if other else header[0][:60],
            expected=f"kolumner åtskilda med {sep!r}",
        )
    check_columns(path, header, required, row=1)
    width = len(header)
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != width:
            raise DataError(
                path,
                "raden har fel antal fält (filen kan vara avkortad eller ha ett extra "
                "avgränsningstecken i en text)",
                row=number,
                found=f"{len(row)} fält",
                expected=f"{width} fält som rubrikraden",
            )
    if len(rows) < 2:
        raise DataError(path, "filen har bara en rubrikrad", expected="minst en datarad")
    keep = [c for c in header if c in set(required) | set(optional)]
    if len(set(header)) < len(header):  # a name twice: pandas picks the columns
        frame = pd.DataFrame(rows[1:], columns=header)[keep]
        return frame.apply(lambda s: s.str.strip()).replace({"": None})
    return _stripped_columns(rows[1:], header, keep)


def _stripped_columns(body: list[list[str]], header: list[str], keep: list[str]) -> pd.DataFrame:
    """The kept columns with every cell stripped and empty cells missing.

    The same frame as ``DataFrame(body, columns=header)[keep]`` stripped with
    ``.str.strip()`` and ``.replace({"": None})`` (a column without an empty
    cell is pandas' string dtype, one with an empty cell holds ``None`` there,
    as object), built column by column in Python: the pandas calls cost more
    than the cells on exports of a few thousand rows.
    """
    position = {name: i for i, name in enumerate(header)}
    data: dict[str, pd.Series] = {}
    for name in keep:
        i = position[name]
        cells = [row[i].strip() for row in body]
        if "" in cells:
            data[name] = pd.Series([cell or None for cell in cells], dtype=object)
        else:
            data[name] = pd.Series(cells, dtype="str")
    return pd.DataFrame(data, index=pd.RangeIndex(len(body)))


def check_columns(
    path: Path, header: list[str], required: list[str], row: int = 1, separator: str = ", "
) -> None:
    """Every required column present; a missing one is named, with a likely renamed match."""
    missing = [c for c in required if c not in header]
    if not missing:
        return
    hints = []
    for col in missing:
        close = difflib.get_close_matches(col, header, n=1)
        hints.append(f"{col} (finns '{close[0]}'? ändra namnet)" if close else col)
    raise DataError(
        path,
        f"kolumner saknas: {', '.join(hints)}",
        row=row,
        column=missing[0],
        found=separator.join(header),
        expected=separator.join(required),
    )


@dataclass
class RowProblems:
    """Row-level problems found while typing and checking a table.

    With ``quarantine=False`` the first problem raises; otherwise every problem
    is kept, and :meth:`split` returns the good rows and the rejected rows with
    their reasons.
    """

    path: Path
    quarantine: bool = False
    rejected: dict[int, list[str]] = field(default_factory=dict)

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
                message,
                row=line_of(first),
                column=column,
                found=found.loc[first],
                expected=expected,
            )
        for index in mask[mask].index:
            self.rejected.setdefault(int(index), []).append(
                f"kolumn '{column}': {message} (hittade {found.loc[index]!r}, förväntat {expected})"
            )

    def set_aside(
        self, typed: pd.DataFrame, raw: pd.DataFrame
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The typed rows to keep, and the raw rows rejected (with line and reason).

        Without quarantine nothing was collected (the first problem raised), so
        all typed rows are kept. Rejected rows are shown as they stood in the file.
        """
        if not self.quarantine:
            return typed, pd.DataFrame()
        _, rejected = self.split(raw)
        kept, _ = self.split(typed)
        return kept, rejected

    def split(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        bad = sorted(self.rejected)
        rejected = frame.loc[bad].copy()
        rejected.insert(0, "rad", [line_of(i) for i in bad])
        rejected["orsak"] = ["; ".join(self.rejected[i]) for i in bad]
        return frame.drop(index=bad).reset_index(drop=True), rejected.reset_index(drop=True)


class NotClean(Exception):  # noqa: N818 - a signal to take the careful path, not an error
    """Raised by :class:`CleanRows` at the first row problem."""


class CleanRows(RowProblems):
    """Row problems for a fast path that handles clean input only: any problem aborts it.

    Where several files are typed in one pass (fewer column operations than
    one pass per file), the first problem raises :class:`NotClean` and the
    caller reads the files one by one with :class:`RowProblems`, so that every
    error (its file, row and column) and every quarantined row is exactly that
    of the careful path.
    """

    def report(
        self, mask: pd.Series, column: str, found: pd.Series, message: str, expected: str
    ) -> None:
        if mask.fillna(False).astype(bool).any():
            raise NotClean(column)


def parse_column(
    frame: pd.DataFrame,
    column: str,
    kind: str,
    problems: RowProblems,
    *,
    allowed: Iterable[str] | None = None,
    required: bool = True,
) -> pd.Series:
    """Type one column; every value that does not parse is reported with its row.

    kinds: ``str``, ``int``, ``float`` (decimal comma accepted), ``date``,
    ``datetime`` (ISO 8601), ``bool`` (ja/nej, true/false, 1/0), ``category``
    (one of ``allowed``).
    """
    raw = frame[column] if column in frame else pd.Series(None, index=frame.index, dtype=object)
    present = raw.notna()
    if required:
        problems.report(~present, column, raw, "värde saknas", "ett värde")
    if kind == "str":
        return raw.astype("string")
    if kind in ("int", "float"):
        cleaned = raw.str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
        cleaned = cleaned.str.replace(",", ".", regex=False)
        values = pd.to_numeric(cleaned, errors="coerce")
        expected = "ett heltal" if kind == "int" else "ett tal (t.ex. 12,5)"
        problems.report(present & values.isna(), column, raw, "ogiltigt tal", expected)
        if kind == "int":
            fractional = values.notna() & (values % 1 != 0)
            problems.report(fractional, column, raw, "ogiltigt heltal", expected)
            return values.round().astype("Int64")
        return values.astype("Float64")
    if kind in ("date", "datetime"):
        values = pd.to_datetime(raw, errors="coerce", format="ISO8601")
        expected = "ett datum ÅÅÅÅ-MM-DD" if kind == "date" else "datum och tid ÅÅÅÅ-MM-DD TT:MM"
        problems.report(present & values.isna(), column, raw, "ogiltigt datum", expected)
        if getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_convert("Europe/Stockholm").dt.tz_localize(None)
        return values.dt.normalize() if kind == "date" else values
    if kind == "bool":
        mapping = {"ja": True, "nej": False, "true": True, "false": False, "1": True, "0": False}
        values = raw.str.lower().map(mapping)
        problems.report(present & values.isna(), column, raw, "ogiltigt värde", "ja eller nej")
        return values.astype("boolean")
    if kind == "category":
        allowed = list(allowed or [])
        bad = present & ~raw.isin(allowed)
        problems.report(bad, column, raw, "okänd kategori", "en av: " + ", ".join(allowed))
        return raw.astype("string")
    raise ValueError(f"unknown column kind {kind!r}")


def check_in_sweden(lat: pd.Series, lon: pd.Series, problems: RowProblems) -> None:
    """Coordinates must be WGS 84 inside Sweden (swapped lat/lon is the usual mistake)."""
    outside = lat.notna() & ~(lat.between(*SWEDEN_LAT) & lon.between(*SWEDEN_LON))
    found = lat.astype(str) + ", " + lon.astype(str)
    problems.report(
        outside, "lat/lon", found, "koordinaten ligger utanför Sverige", "WGS 84 i Sverige"
    )


def check_not_future(values: pd.Series, column: str, problems: RowProblems, today=None) -> None:
    today = pd.Timestamp(today or pd.Timestamp.now().normalize())
    future = values.notna() & (values > today + pd.Timedelta(days=1))
    problems.report(future, column, values, "datumet ligger i framtiden", f"senast {today.date()}")


def check_known_areas(
    area: pd.Series, raw: pd.DataFrame, areas: Iterable[str] | None, problems: RowProblems
) -> None:
    """When the kommun's areas are given, every area named must be one of them."""
    if areas is None:
        return
    allowed = list(areas)
    problems.report(
        area.notna() & ~area.isin(allowed),
        "area",
        raw["area"],
        "okänt område",
        "ett av: " + ", ".join(allowed),
    )


def check_unique(values: pd.Series, column: str, problems: RowProblems) -> None:
    duplicated = values.notna() & values.duplicated(keep="first")
    problems.report(duplicated, column, values, "id förekommer mer än en gång", "unika id")


__all__ = [
    "CleanRows",
    "EXAMPLE_MARK",
    "EXCEL_SUFFIXES",
    "RawTable",
    "ReadResult",
    "RowProblems",
    "check_columns",
    "MAX_FIELD_CHARS",
    "check_contract",
    "check_field_lengths",
    "check_in_sweden",
    "check_known_areas",
    "check_not_future",
    "check_text_file",
    "check_unique",
    "decode_text",
    "excel_cell_text",
    "excel_header",
    "is_excel",
    "line_of",
    "NotClean",
    "parse_column",
    "read_csv_strict",
    "read_excel_strict",
    "read_table",
]


@dataclass
class ReadResult:
    """A reader's answer: the tidy table, the quarantined rows and where the data came from."""

    table: pd.DataFrame
    rejected: pd.DataFrame = field(default_factory=pd.DataFrame)
    origin: str = "real"  # "real", "fetched" or "example"


def check_contract(frame: pd.DataFrame, schema: object, path: Path) -> pd.DataFrame:
    """Validate a tidy table against its declared pandera contract.

    The contract is what every analysis may rely on; a violation is reported
    like any other data error, with the first offending row and column.
    """
    import pandera.pandas as pa

    try:
        return _dtype_checked(schema, frame).validate(frame, lazy=True)  # type: ignore[attr-defined]
    except pa.errors.SchemaErrors as exc:
        case = exc.failure_cases.iloc[0]
        index = case.get("index")
        row = line_of(index) if isinstance(index, (int, float)) and index == index else None
        raise DataError(
            path,
            f"tabellen uppfyller inte sitt kontrakt ({case.get('check')})",
            row=row,
            column=str(case.get("column")),
            found=case.get("failure_case"),
            expected=str(case.get("check")),
        ) from None


#: Contracts without the dtype check of string columns whose dtype is already
#: right, by (contract, columns); the contract itself is kept so that its id stays its own.
_LIGHTER: dict[tuple[int, tuple[str, ...]], tuple[object, object]] = {}


def _dtype_checked(schema: object, frame: pd.DataFrame) -> object:
    """The contract to validate ``frame`` with: ``schema``, less string dtype checks that pass.

    pandera (0.35) checks a string column's dtype element by element and then
    builds, and formats, a table of failure cases even when there is none:
    about half of a contract check's time on our tables. Where the column's
    dtype already is the contract's (exactly what pandera's own check
    compares: the type both resolve to, or, where the contract coerces, the
    very dtype it would coerce to, so coercing is a no-op) that check cannot
    fail, and the contract is validated without it: the same result, the same
    errors. Any other column, and any other contract, is validated as declared.
    """
    from pandera.engines.pandas_engine import STRING, Engine

    columns = getattr(schema, "columns", None)
    if not columns:
        return schema
    known: list[str] = []
    for name, column in columns.items():
        if type(column.dtype) is not STRING or column.regex or name not in frame.columns:
            continue
        values = frame[name]
        if not isinstance(values, pd.Series):  # the name twice in the frame
            continue
        if values.dtype == column.dtype.type:
            known.append(name)
        elif not (schema.coerce or column.coerce):  # type: ignore[attr-defined]
            try:
                resolved = Engine.dtype(values.dtype)
            except TypeError:
                continue
            if resolved.type == column.dtype.type:
                known.append(name)
    if not known:
        return schema
    key = (id(schema), tuple(known))
    if key not in _LIGHTER:
        lighter = schema.update_columns({n: {"dtype": None} for n in known})  # type: ignore[attr-defined]
        _LIGHTER[key] = (schema, lighter)
    return _LIGHTER[key][1]


# ---------------------------------------------------------------------------
# Excel workbooks: a filled-in template (``trygghet mallar``) or a kommun's own export

EXCEL_SUFFIXES = (".xlsx", ".xlsm")

#: A data row whose first cell says this is a template's example row; it is never read.
EXAMPLE_MARK = "EXEMPEL"


class RawTable(NamedTuple):
    """A raw table as strings, and where it came from for error messages.

    ``where`` is the file for a CSV and "file, blad 'sheet'" for a workbook;
    readers pass it to :class:`RowProblems` and :func:`check_contract` so that
    every error names the sheet too.
    """

    frame: pd.DataFrame
    where: str | Path


def is_excel(path: Path) -> bool:
    return Path(path).suffix.lower() in EXCEL_SUFFIXES


def read_table(
    path: Path,
    required: Iterable[str],
    optional: Iterable[str] = (),
    *,
    sep: str = ";",
    sheet: str | None = None,
) -> RawTable:
    """A raw table from a CSV file or an Excel workbook (by the suffix), as strings.

    Both give the same cells, so every check and error downstream is the same.
    """
    if is_excel(path):
        return read_excel_strict(path, required, optional, sheet=sheet)
    return RawTable(read_csv_strict(path, required, optional, sep=sep), Path(path))


def excel_cell_text(value: object) -> str | None:
    """An Excel cell as the text a CSV export of it holds (dates ISO 8601, ja/nej)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time():
            return value.date().isoformat()
        whole_minute = value.second == 0 and value.microsecond == 0
        return value.isoformat(sep=" ", timespec="minutes" if whole_minute else "seconds")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, _dt.time):
        return value.isoformat(timespec="minutes")
    text = str(value).strip()
    return text or None


def _open_sheet(path: Path, sheet: str | None):  # noqa: ANN202 - openpyxl's types
    """The workbook and the sheet to read: ``sheet`` if it exists, else the first visible one."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if path.stat().st_size == 0:
        raise DataError(path, "filen är tom", expected="en rubrikrad och minst en datarad")
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, OSError, KeyError, ValueError, TypeError):
        raise DataError(
            path,
            "filen kan inte läsas som en Excel-arbetsbok",
            expected="en .xlsx-fil sparad som Excel-arbetsbok (inte .xls eller CSV med "
            "ändelsen .xlsx)",
        ) from None
    if sheet is not None and sheet in workbook.sheetnames:
        return workbook, workbook[sheet]
    visible = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"]
    if not visible:
        workbook.close()
        raise DataError(path, "arbetsboken har inget synligt blad", expected="ett blad med data")
    return workbook, visible[0]


def _excel_rows(path: Path, sheet: str | None) -> tuple[list[list[str | None]], str]:
    """Every row of the sheet as CSV-like text cells (row ``i`` of the list is Excel row i+1)."""
    workbook, worksheet = _open_sheet(Path(path), sheet)
    try:
        worksheet.reset_dimensions()  # some writers record a wrong used range
        rows = [[excel_cell_text(v) for v in row] for row in worksheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return rows, worksheet.title


def excel_header(path: Path, sheet: str | None = None) -> list[str]:
    """The column names on row 1 of the sheet that :func:`read_excel_strict` reads."""
    rows, _ = _excel_rows(path, sheet)
    return [h for h in (rows[0] if rows else []) if h is not None]


def read_excel_strict(
    path: Path,
    required: Iterable[str],
    optional: Iterable[str] = (),
    *,
    sheet: str | None = None,
) -> RawTable:
    """A sheet as strings, with the same checks and the same cells as :func:`read_csv_strict`.

    The header is row 1. The frame's index is the Excel row minus 2, so
    :func:`line_of` gives the row number Excel shows, even where empty rows
    and a template's example row (first cell :data:`EXAMPLE_MARK`) are
    skipped. Errors name the file and the sheet.
    """
    from openpyxl.utils import get_column_letter

    path = Path(path)
    rows, title = _excel_rows(path, sheet)
    where = f"{path}, blad '{title}'"
    header = [h or "" for h in (rows[0] if rows else [])]
    while header and header[-1] == "":
        header.pop()
    if not header:
        raise DataError(
            where, "rad 1 är tom", row=1, expected="kolumnnamnen på rad 1 (rubrikraden)"
        )
    required = list(required)
    check_columns(where, header, required, row=1)
    width = len(header)
    body: list[list[str | None]] = []
    index: list[int] = []
    example_seen = False
    for number, row in enumerate(rows[1:], start=2):
        if not any(v is not None for v in row):
            continue
        stray = next(
            (i for i, v in enumerate(row) if v is not None and (i >= width or not header[i])),
            None,
        )
        if stray is not None:
            raise DataError(
                where,
                "värde i en kolumn utan rubrik",
                row=number,
                column=get_column_letter(stray + 1),
                found=row[stray],
                expected="en rubrik på rad 1 ovanför värdet, eller en tom cell",
            )
        if row[0] is not None and row[0].upper() == EXAMPLE_MARK:
            example_seen = True
            continue
        body.append((row + [None] * width)[:width])
        index.append(number - HEADER_LINE - 1)
    if not body:
        raise DataError(
            where,
            "bladet har inga datarader"
            + (
                f" (bara exempelraden, som inte läses eftersom den börjar med {EXAMPLE_MARK})"
                if example_seen
                else ""
            ),
            expected="minst en ifylld rad under rubrikraden",
        )
    keep = [c for c in header if c in set(required) | set(optional)]
    frame = pd.DataFrame(body, columns=header, index=index)[keep].astype(object)
    return RawTable(frame, where)
