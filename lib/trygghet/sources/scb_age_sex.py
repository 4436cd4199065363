"""Reader for SCB's population by age and sex (Statistikdatabasen, as PxWeb exports it).

The survey report compares (and the survey's weights should match) the
kommun's own age and sex structure, not Sweden's. SCB publishes it in
Statistikdatabasen: *Befolkning › Befolkningsstatistik › Folkmängd efter
region, ålder, kön och år* (content "Folkmängd", code ``BE0101N1``; population
on 31 December of each year, ages in one-year classes ``0 år`` … ``100+ år``).
A user selects the kommun, every age ("ettårsklasser"), both sexes and the
years wanted, and saves the table as CSV. PxWeb's CSV export looks like::

    "Folkmängden efter region, ålder, kön och år"

    "region","ålder","kön","2023","2024"
    "1863 Hällefors","0 år","män",21,24
    "1863 Hällefors","0 år","kvinnor",19,22
    ...

The reader takes that file (``befolkning_alder_kon.csv``) as it comes:

* an optional title line and blank lines before the header; the header is the
  first line with the columns ``region``, ``ålder`` and ``kön`` (any case);
* separator ``,``, ``;`` or tab (read off the header line); values may be quoted;
* UTF-8 (with or without BOM) or Windows-1252/Latin-1 (older PxWeb exports);
  the header must then read ``ålder``/``kön`` correctly, else it is an
  encoding error;
* years as columns (``2024`` or ``Folkmängd 2024``), or one ``år`` column and
  one value column (``Folkmängd``/``Antal``/``Befolkning``) when the table was
  pivoted so;
* region ``1863 Hällefors`` or ``1863``; rows for Riket (``00``) and län (two
  digits) are left out; with ``kommun`` given, other kommuner's rows are left
  out and the kommun must be in the file;
* age ``0 år`` … ``99 år``, ``100+ år`` (stored as 100, meaning 100 or older);
  ``totalt ålder`` rows are left out; five-year classes are an error (the
  survey's age groups 16–24, 25–44, … need single years);
* sex ``män``/``kvinnor`` (or PxWeb's codes ``1``/``2``); ``totalt`` rows are
  left out;
* counts are whole numbers ≥ 0 (spaces as thousands separators accepted);
  SCB's ``..`` (missing) is an error: a population count is never unknown;
* a block of one-field lines after the data, following an empty line
  (footnotes), is ignored.

Every year and sex must have every age from 16 to 85 (the survey's
population), else the file is refused. Errors name the file, the line, the
column, what was found and what was expected.

The tidy table ``population_age_sex`` has one row per kommun, year, sex and
age: ``kommun_code, year, sex (kvinna|man), age, population, origin``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from trygghet import kommuner
from trygghet.config import KommunConfig
from trygghet.errors import DataError
from trygghet.sources.tabular import (
    ReadResult,
    RowProblems,
    check_contract,
    check_field_lengths,
    check_text_file,
    parse_column,
)

SOURCE = "population_age_sex"
TABLE = "population_age_sex"
RAW_FILES = ["befolkning_alder_kon.csv"]

#: The open top age class ("100+ år") is stored as this age.
OPEN_AGE = 100
#: The ages every year and sex must cover: the survey's population, 16–85.
SURVEY_AGES = (16, 85)
SEXES: tuple[str, ...] = ("kvinna", "man")

SCHEMA = pa.DataFrameSchema(
    {
        "kommun_code": pa.Column("string", pa.Check.str_matches(r"^\d{4}$")),
        "year": pa.Column("Int64", pa.Check.in_range(1968, dt.date.today().year)),
        "sex": pa.Column("string", pa.Check.isin(SEXES)),
        "age": pa.Column("Int64", pa.Check.in_range(0, OPEN_AGE)),
        "population": pa.Column("Int64", pa.Check.ge(0)),
        "origin": pa.Column("string", pa.Check.isin(["real", "fetched", "example"])),
    },
    unique=["kommun_code", "year", "sex", "age"],
    strict=True,
    ordered=True,
)

_HEADER_NAMES = ("region", "ålder", "kön")
_YEAR_COLUMN = re.compile(r"^(?:folkmängd\s+)?((?:19|20)\d{2})$", re.IGNORECASE)
_VALUE_COLUMNS = ("folkmängd", "antal", "befolkning")
_AGE = re.compile(r"^(\d{1,3})(\+)?\s*(?:år)?$", re.IGNORECASE)
_SEX = {
    "män": "man",
    "man": "man",
    "1": "man",
    "kvinnor": "kvinna",
    "kvinna": "kvinna",
    "2": "kvinna",
}
_TOTAL = re.compile(r"^(totalt?|total|samtliga|män och kvinnor)(\s+(ålder|kön))?$", re.IGNORECASE)
EXPECTED_HEADER = (
    "en rubrikrad med region, ålder, kön och ett år per kolumn (SCB:s CSV-export av "
    "Folkmängd efter region, ålder, kön och år)"
)


# --------------------------------------------------------------------------- reading


def _decode(path: Path) -> str:
    """UTF-8 (BOM accepted) or Windows-1252, told apart by the header's å and ö."""
    data = Path(path).read_bytes()
    if not data.strip():
        raise DataError(path, "filen är tom", expected=EXPECTED_HEADER)
    check_text_file(path, data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = data.decode("cp1252", errors="replace")
        if "ålder" in text.lower() and "kön" in text.lower() and "\ufffd" not in text:
            return text  # an older PxWeb export in Windows-1252
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            path,
            "okänd teckenkodning (varken UTF-8 eller Windows-1252)",
            row=line,
            found=data[max(0, exc.start - 10) : exc.end + 10].decode("latin-1"),
            expected="UTF-8 eller Windows-1252, så som SCB:s export sparar filen",
        ) from None


def _sniff(line: str) -> str:
    counts = {sep: line.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: counts[sep])


def _records(path: Path, text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header cells and the data records with their file line numbers."""
    lines = text.splitlines()
    header_at, sep = None, ","
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        sep = _sniff(line)
        cells = [c.strip().lower() for c in next(csv.reader([line], delimiter=sep))]
        if all(name in cells for name in _HEADER_NAMES):
            header_at = number
            break
    if header_at is None:
        first = next((line for line in lines if line.strip()), "")
        raise DataError(
            path,
            "rubrikraden med region, ålder och kön hittades inte",
            row=1,
            found=first[:80],
            expected=EXPECTED_HEADER,
        )
    reader = csv.reader(io.StringIO("\n".join(lines[header_at - 1 :])), delimiter=sep)
    header: list[str] = []
    records: list[tuple[int, list[str]]] = []
    footnotes = False
    start = header_at
    for row in reader:
        line = start
        start = header_at + reader.line_num
        if not header:
            header = [c.strip() for c in row]
            continue
        if not any(cell.strip() for cell in row):
            footnotes = bool(records)  # an empty line after data: only notes may follow
            continue
        if footnotes and len(row) == 1:
            continue
        check_field_lengths(path, line, row, header)
        if len(row) != len(header):
            raise DataError(
                path,
                "raden har fel antal fält (filen kan vara avkortad eller redigerad)",
                row=line,
                found=f"{len(row)} fält",
                expected=f"{len(header)} fält som rubrikraden",
            )
        records.append((line, [c.strip() for c in row]))
    if not records:
        raise DataError(
            path, "filen har inga datarader", row=header_at, expected="minst en datarad"
        )
    return header, records


def _layout(path: Path, header: list[str]) -> tuple[dict[str, str], list[str], str | None]:
    """The region/age/sex column names, the year columns, and the value column (long layout)."""
    lower = [h.lower() for h in header]
    names = {n: header[lower.index(n)] for n in _HEADER_NAMES}
    year_col = next((h for h, low in zip(header, lower, strict=True) if low in ("år", "tid")), None)
    if year_col is not None:
        value_col = next(
            (h for h, low in zip(header, lower, strict=True) if low in _VALUE_COLUMNS), None
        )
        if value_col is None:
            raise DataError(
                path,
                "kolumnen med antalet saknas",
                row=1,
                column="Folkmängd",
                found=", ".join(header),
                expected="en kolumn Folkmängd (eller Antal) bredvid kolumnen år",
            )
        return names, [year_col], value_col
    year_cols = [h for h in header if _YEAR_COLUMN.match(h)]
    if not year_cols:
        raise DataError(
            path,
            "inga årskolumner",
            row=1,
            found=", ".join(header),
            expected="minst en kolumn per år, t.ex. 2024 (eller en kolumn år)",
        )
    return names, year_cols, None


def _counts(wide: pd.DataFrame, column: str, problems: RowProblems) -> pd.Series:
    """One column of counts: whole numbers >= 0; SCB's ".." (missing) is an error."""
    dotted = wide[column].isin(["..", "."])
    problems.report(
        dotted,
        column,
        wide[column],
        "värdet saknas (SCB:s ”..”)",
        "ett antal för varje ålder, kön och år",
    )
    counts = parse_column(
        wide.assign(**{column: wide[column].where(~dotted)}), column, "int", problems
    )
    problems.report(counts < 0, column, wide[column], "negativt antal", "ett heltal ≥ 0")
    return counts


def read(
    path: Path,
    *,
    quarantine: bool = False,
    origin: str = "real",
    kommun: str | None = None,
) -> ReadResult:
    """Read SCB's "Folkmängd efter region, ålder, kön och år" CSV into the tidy table.

    ``kommun`` (four characters) keeps that kommun's rows and requires it to be
    in the file. With ``quarantine`` lines with a bad value are set aside (with
    line and reason) instead of stopping the file; a missing age between 16 and
    85 always stops it.
    """
    path = Path(path)
    header, records = _records(path, _decode(path))
    names, year_cols, value_col = _layout(path, header)
    index = [line - 2 for line, _ in records]  # so that line_of(index) is the file line
    wide = pd.DataFrame([cells for _, cells in records], columns=header, index=index)
    wide = wide.replace({"": None})
    problems = RowProblems(path, quarantine)

    region = wide[names["region"]].fillna("")
    code = region.str.extract(r"^(\d{1,4})(?:\s|$)")[0]
    aggregate = code.str.len().le(2).fillna(False).astype(bool)
    known = set(kommuner.all_kommuner()["kommun_code"])
    problems.report(
        code.isna() | (~aggregate & ~code.str.zfill(4).isin(known)),
        names["region"],
        wide[names["region"]],
        "okänd region",
        "en kommun som ”1863 Hällefors” (fyra siffror och namn)",
    )
    age_raw = wide[names["ålder"]].fillna("")
    age_total = age_raw.str.match(_TOTAL)
    age_match = age_raw.str.extract(_AGE)
    age = pd.to_numeric(age_match[0], errors="coerce")
    open_class = age_match[1].eq("+")
    problems.report(
        ~age_total & (age.isna() | (age > OPEN_AGE) | (open_class & (age != OPEN_AGE))),
        names["ålder"],
        wide[names["ålder"]],
        "okänd åldersklass",
        f"ettårsklasser 0 år … 99 år och {OPEN_AGE}+ år (inte femårsklasser)",
    )
    sex_raw = wide[names["kön"]].fillna("").str.lower()
    sex_total = sex_raw.str.match(_TOTAL)
    sex = sex_raw.map(_SEX)
    problems.report(
        ~sex_total & sex.isna(), names["kön"], wide[names["kön"]], "okänt kön", "män eller kvinnor"
    )
    this_year = dt.date.today().year
    pieces = []
    for column in year_cols:
        if value_col is None:
            year = pd.Series(int(_YEAR_COLUMN.match(column).group(1)), index=wide.index)  # type: ignore[union-attr]
            counts = _counts(wide, column, problems)
        else:
            year = parse_column(wide, column, "int", problems)
            counts = _counts(wide, value_col, problems)
        problems.report(
            (year < 1968) | (year > this_year),
            column,
            year,
            "året är orimligt eller i framtiden",
            f"1968–{this_year}",
        )
        pieces.append(
            pd.DataFrame(
                {
                    "kommun_code": code.str.zfill(4),
                    "year": year.astype("Int64"),
                    "sex": sex,
                    "age": age.astype("Int64"),
                    "population": counts,
                    "origin": origin,
                    "_keep": ~aggregate & ~age_total & ~sex_total,
                },
                index=wide.index,
            )
        )
    table = pd.concat(pieces)
    keys = ["kommun_code", "year", "sex", "age"]
    dup_lines = table.index[table["_keep"] & table.duplicated(keys)]
    problems.report(
        pd.Series(wide.index.isin(dup_lines), index=wide.index),
        names["region"],
        region + ", " + age_raw + ", " + wide[names["kön"]].fillna(""),
        "samma kommun, ålder, kön och år förekommer mer än en gång",
        "en rad per kommun, ålder, kön och år",
    )
    # A line holds several years (rows of ``table``): a bad line is set aside whole,
    # and the rejected rows are shown as they stood in the file.
    rejected = problems.split(wide)[1] if quarantine else pd.DataFrame()
    good = table[~table.index.isin(list(problems.rejected))]
    good = good[good["_keep"].astype(bool)].drop(columns="_keep")
    if kommun is not None:
        wanted = str(kommun).zfill(4)
        if not (good["kommun_code"] == wanted).any():
            found = sorted(set(good["kommun_code"].dropna()))
            raise DataError(
                path,
                f"kommunen {wanted} finns inte i filen",
                column=names["region"],
                found=", ".join(found) if found else "inga kommunrader",
                expected=f"rader för {wanted} {kommuner.kommun_name(wanted)}",
            )
        good = good[good["kommun_code"] == wanted]
    _check_complete(path, good, names["ålder"])
    good = good.sort_values(keys).reset_index(drop=True)
    good = good.astype(
        {
            "kommun_code": "string",
            "year": "Int64",
            "sex": "string",
            "age": "Int64",
            "population": "Int64",
            "origin": "string",
        }
    )
    return ReadResult(check_contract(good, SCHEMA, path), rejected, origin)


def _check_complete(path: Path, table: pd.DataFrame, column: str) -> None:
    """Every kommun, year and sex has every age 16–85 (the survey's population)."""
    low, high = SURVEY_AGES
    needed = set(range(low, high + 1))
    if table.empty:
        raise DataError(path, "inga kommunrader", column=column, expected="rader för en kommun")
    for (code, year), part in table.groupby(["kommun_code", "year"], sort=True):
        for sex in SEXES:
            ages = set(int(a) for a in part.loc[part["sex"] == sex, "age"])
            missing = sorted(needed - ages)
            if missing:
                shown = ", ".join(str(a) for a in missing[:5]) + (" …" if len(missing) > 5 else "")
                who = "kvinnor" if sex == "kvinna" else "män"
                raise DataError(
                    path,
                    f"åldrar saknas för {who} {year} i kommun {code}",
                    column=column,
                    found=f"saknar {shown} år",
                    expected=f"varje ålder {low}–{high} år för båda könen och varje år",
                )


# --------------------------------------------------------------------------- example data

#: The years of the example file (population on 31 December).
EXAMPLE_YEARS = (2022, 2023, 2024)
EXAMPLE_TITLE = (
    "EXEMPELDATA – påhittad befolkning, inte SCB:s siffror: "
    "Folkmängden efter region, ålder, kön och år"
)


def example_counts(config: KommunConfig, seed: int = 0) -> pd.DataFrame:
    """Invented population by year, sex and age 0–100 for the kommun (deterministic).

    Plausible, not real: the total is the kommun's population where the data
    mirror has it (else the example fallback of
    :func:`trygghet.sources.bra_crime.example_population`); the shape is flat
    through working ages and falls after about 70, with a kommun-specific dip
    at 20–34 (young adults moving away) and tilt towards older ages, more men
    than women until about 70 and more women after. Columns ``year, sex, age,
    population``.
    """
    from trygghet.sources.bra_crime import example_population

    population, _, _ = example_population()
    total = float(population.get(config.code, 10_000))
    rng = np.random.default_rng([seed, int(config.code), 731])
    tilt = rng.uniform(0.05, 0.35)
    dip = rng.uniform(0.10, 0.40)
    ages = np.arange(OPEN_AGE + 1, dtype=float)
    shape = np.exp(-((ages / 86.0) ** 8)) * np.clip(1 + tilt * (ages - 40) / 40, 0.4, None)
    shape *= 1 - dip * np.exp(-(((ages - 27) / 7) ** 2))
    shape[-1] = shape[-1] * 1.5  # the open class 100+
    men = np.clip(0.515 - 0.25 * np.clip(ages - 70, 0, None) / 30, 0.2, None)
    rows = []
    for i, year in enumerate(EXAMPLE_YEARS):
        level = total * (1 - 0.004 * (len(EXAMPLE_YEARS) - 1 - i)) / shape.sum()
        for sex, share in (("man", men), ("kvinna", 1 - men)):
            expected = level * shape * share
            counts = rng.poisson(expected)
            rows += [
                {"year": year, "sex": sex, "age": int(a), "population": int(c)}
                for a, c in zip(ages, counts, strict=True)
            ]
    return pd.DataFrame(rows)


def generate_example(config: KommunConfig, out_dir: Path, seed: int = 0) -> list[Path]:
    """Write ``befolkning_alder_kon.csv`` in SCB's PxWeb CSV layout, labelled EXEMPELDATA.

    The title line says the figures are invented; ingest gives the table the
    origin "example" (it lies in the example folder), so every page built on
    it says EXEMPELDATA.
    """
    counts = example_counts(config, seed)
    region = f"{config.code} {config.name}"
    wide = counts.pivot_table(
        index=["age", "sex"], columns="year", values="population", aggfunc="sum"
    ).sort_index(level=["age", "sex"], ascending=[True, False])
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    out.write(f'"{EXAMPLE_TITLE}"\n\n')
    writer.writerow(["region", "ålder", "kön", *[str(y) for y in wide.columns]])
    for (age, sex), values in wide.iterrows():
        age_text = f"{age}+ år" if age == OPEN_AGE else f"{age} år"
        sex_text = "män" if sex == "man" else "kvinnor"
        writer.writerow([region, age_text, sex_text, *[int(v) for v in values]])
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / RAW_FILES[0]
    target.write_text(out.getvalue(), encoding="utf-8")
    return [target]


# --------------------------------------------------------------------------- for the survey


def joint_shares(
    table: pd.DataFrame, year: int, age_groups: dict[str, tuple[int, int]]
) -> pd.DataFrame:
    """Share of the population in each age group (inclusive ages) and sex, summing to 1.

    Only people within the groups count (e.g. 16–85 for the survey's groups).
    Rows: the groups in the order given; columns: :data:`SEXES`.
    """
    part = table[table["year"] == int(year)]
    cells = pd.DataFrame(0.0, index=list(age_groups), columns=list(SEXES))
    for name, (low, high) in age_groups.items():
        inside = part[part["age"].between(low, high)]
        for sex in SEXES:
            cells.loc[name, sex] = float(inside.loc[inside["sex"] == sex, "population"].sum())
    total = float(cells.to_numpy().sum())
    if total <= 0:
        raise ValueError(f"no population in the age groups in {year}")
    return cells / total


def age_sex_shares(
    table: pd.DataFrame, year: int, age_groups: dict[str, tuple[int, int]]
) -> dict[str, dict[str, float]]:
    """The margins of :func:`joint_shares`: ``{"age_group": {...}, "sex": {...}}``."""
    cells = joint_shares(table, year, age_groups)
    return {
        "age_group": {g: float(v) for g, v in cells.sum(axis=1).items()},
        "sex": {s: float(v) for s, v in cells.sum(axis=0).items()},
    }
