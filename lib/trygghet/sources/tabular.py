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
import difflib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from trygghet.errors import DataError

# A generous box around Sweden (WGS 84); a point outside it is a mistake, not a place.
SWEDEN_LAT = (55.0, 69.2)
SWEDEN_LON = (10.5, 24.3)

HEADER_LINE = 1  # data row i of a file is on line i + 2


def line_of(index: int) -> int:
    """The file line of data row ``index`` (0-based, after the header)."""
    return int(index) + HEADER_LINE + 1


def decode_text(path: Path) -> str:
    """The file's text as UTF-8; an empty file or another encoding is a clear error."""
    data = Path(path).read_bytes()
    if not data.strip():
        raise DataError(path, "filen är tom", expected="en rubrikrad och minst en datarad")
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
    rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
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
    frame = pd.DataFrame(rows[1:], columns=header)[keep]
    return frame.apply(lambda s: s.str.strip()).replace({"": None})


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
    "ReadResult",
    "RowProblems",
    "check_columns",
    "check_contract",
    "check_in_sweden",
    "check_known_areas",
    "check_not_future",
    "check_unique",
    "decode_text",
    "line_of",
    "parse_column",
    "read_csv_strict",
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
        return schema.validate(frame, lazy=True)  # type: ignore[attr-defined]
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
