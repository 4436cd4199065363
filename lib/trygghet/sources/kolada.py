"""Reader for Kolada (the municipal key-figure database), from saved API responses.

Kolada's open API v2 answers ``/v2/data/kpi/{kpi}/municipality/{id}/year/{years}``
with a JSON object::

    {"count": 2,
     "values": [{"kpi": "N07403", "municipality": "1863", "period": 2024,
                 "values": [{"gender": "T", "value": 1234.5, "count": 1, "status": ""}]}],
     "next_page": "https://api.kolada.se/v2/data/...&page=2"}

Long answers are split into pages linked by ``next_page``; the fetcher
(:func:`trygghet.pipeline.fetch.fetch_kolada`) follows the links and saves all values of
one request in one file ``kolada_<name>.json`` in the same shape (without
``next_page``). This module reads such files into one tidy row per KPI, area,
period and gender.

Area ids (``municipality``): a kommun's four-character code, ``"0000"`` for
the whole country (Riket), ``"00"`` + län code for a region/län (``"0018"``),
and ids starting with ``G`` for municipality groups (e.g. a group average).
``area_level`` says which. The län convention is Kolada's as we understand it;
``trygghet.sources.bra_crime`` uses the same codes so the two join directly.

``count`` in Kolada is, as we understand it, the number of underlying units
behind a value (1 for a single kommun, the number of kommuner behind a group
average), *not* a count of crimes. ``status`` is Kolada's status text (often
empty); a missing value stays missing (NaN), never zero.

Municipality groups (SKR's kommungrupper, A1 Storstäder … C9 Landsbygdskommun
med besöksnäring) come from ``/v2/municipality_groups``: ``{"values": [{"id",
"title", "members": [{"id", "title"}]}]}``. :func:`read_groups` reads a saved
answer; :func:`skr_class` finds the SKR class of a kommun by matching the group
titles against SKR's class names. KPI ids are configurable constants
(:data:`CRIME_KPIS`): verify them against the API's own KPI list
(``/v2/kpi?title=brott``) before relying on them.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from trygghet import kommuner
from trygghet.config import KommunConfig
from trygghet.errors import DataError
from trygghet.sources.tabular import ReadResult, check_contract, check_text_file

SOURCE = "kolada"
#: Raw files: saved KPI answers (glob pattern) and the saved municipality groups.
RAW_FILES = ["kolada_*.json"]
GROUPS_FILE = "kolada_kommungrupper.json"

BASE_URL = "https://api.kolada.se/v2"

#: Crime KPIs used by the reports, name -> Kolada KPI id. CONFIGURABLE and NOT
#: VERIFIED here: "N07403" is described in third-party code as "Anmälda
#: våldsbrott, antal/100 000 inv". Check the id and its definition against
#: ``{BASE_URL}/kpi/N07403`` before publishing anything based on it, and add
#: further KPIs here (e.g. after searching ``/v2/kpi?title=brott``).
CRIME_KPIS: dict[str, str] = {
    "anmalda_valdsbrott_per_100k": "N07403",
}

#: SKR's kommungruppsindelning (2017): class code -> class name as SKR writes it.
SKR_CLASSES: dict[str, str] = {
    "A1": "Storstäder",
    "A2": "Pendlingskommun nära storstad",
    "B3": "Större stad",
    "B4": "Lågpendlingskommun nära större stad",
    "B5": "Pendlingskommun nära större stad",
    "C6": "Mindre stad/tätort",
    "C7": "Pendlingskommun nära mindre stad/tätort",
    "C8": "Landsbygdskommun",
    "C9": "Landsbygdskommun med besöksnäring",
}

GENDERS = ["T", "K", "M"]
AREA_LEVELS = ["kommun", "län", "riket", "grupp"]
COLUMNS = [
    "kpi",
    "municipality",
    "area_level",
    "period",
    "gender",
    "value",
    "count",
    "status",
    "origin",
]

SCHEMA = pa.DataFrameSchema(
    {
        "kpi": pa.Column(str, pa.Check.str_length(min_value=1)),
        "municipality": pa.Column(str, pa.Check.str_matches(r"^(\d{4}|G\w+)$")),
        "area_level": pa.Column(str, pa.Check.isin(AREA_LEVELS)),
        "period": pa.Column("Int64", pa.Check.in_range(1950, dt.date.today().year)),
        "gender": pa.Column(str, pa.Check.isin(GENDERS)),
        "value": pa.Column("Float64", nullable=True),
        "count": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "status": pa.Column(str, nullable=True),
        "origin": pa.Column(str, pa.Check.isin(["real", "fetched", "example"])),
    },
    unique=["kpi", "municipality", "period", "gender"],
    strict=True,
    coerce=True,
)

GROUP_COLUMNS = ["group_id", "group_title", "skr_class", "kommun_code", "kommun_name", "origin"]
GROUP_SCHEMA = pa.DataFrameSchema(
    {
        "group_id": pa.Column(str),
        "group_title": pa.Column(str),
        "skr_class": pa.Column(str, pa.Check.isin(list(SKR_CLASSES)), nullable=True),
        "kommun_code": pa.Column(str, pa.Check.str_matches(r"^\d{4}$")),
        "kommun_name": pa.Column(str),
        "origin": pa.Column(str, pa.Check.isin(["real", "fetched", "example"])),
    },
    unique=["group_id", "kommun_code"],
    strict=True,
    coerce=True,
)


@functools.cache
def _kommun_names() -> dict[str, str]:
    """Kommun code -> name from the packaged code list, built once per process.

    A file names a few thousand areas and a groups answer all 290 kommuner:
    asking :mod:`trygghet.kommuner` once per value (a table scan each) cost
    over a second per kommun's ingest.
    """
    table = kommuner.all_kommuner()
    return dict(zip(table["kommun_code"], table["kommun_name"], strict=True))


@functools.cache
def _lan_codes() -> frozenset[str]:
    return frozenset(kommuner.all_kommuner()["lan_code"])


def area_level(code: str) -> str | None:
    """kommun / län / riket / grupp for a Kolada municipality id; None if unknown."""
    code = str(code)
    if code.startswith("G") and len(code) > 1:
        return "grupp"
    if code == "0000":
        return "riket"
    if code.startswith("00") and code[2:] in _lan_codes():
        return "län"
    if code in _kommun_names():
        return "kommun"
    return None


def _load_json(path: Path) -> object:
    path = Path(path)
    data = path.read_bytes()
    if not data.strip():
        raise DataError(path, "filen är tom", expected="ett JSON-svar från Kolada")
    check_text_file(path, data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            path,
            "fel teckenkodning",
            row=data[: exc.start].count(b"\n") + 1,
            found=data[max(0, exc.start - 10) : exc.end + 10].decode("cp1252", "replace"),
            expected="UTF-8",
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            path,
            f"ogiltig JSON ({exc.msg}; filen kan vara avkortad)",
            row=exc.lineno,
            found=text[max(0, exc.pos - 20) : exc.pos + 20],
            expected="ett komplett JSON-objekt",
        ) from None


def _values_list(path: Path, obj: object) -> list:
    if isinstance(obj, list) and all(isinstance(p, dict) and "values" in p for p in obj):
        # Several saved pages in one file.
        return [v for page in obj for v in page["values"]]
    if not isinstance(obj, dict) or not isinstance(obj.get("values"), list):
        raise DataError(
            path,
            "svaret har inte Koladas form",
            column="values",
            found=type(obj).__name__ if not isinstance(obj, dict) else sorted(obj)[:6],
            expected='ett objekt med listan "values"',
        )
    return obj["values"]


def read(path: Path, *, quarantine: bool = False, origin: str = "real") -> ReadResult:
    """Read one saved Kolada data answer into the tidy table.

    A malformed entry is a DataError naming the entry (``values[i]``) and the
    field; with ``quarantine`` the entry is set aside with its reason instead.
    """
    path = Path(path)
    entries = _values_list(path, _load_json(path))
    rows: list[dict] = []
    rejected: list[dict] = []
    this_year = dt.date.today().year
    for i, entry in enumerate(entries):
        try:
            rows.extend(_entry_rows(path, i, entry, this_year))
        except DataError as err:
            if not quarantine:
                raise
            rejected.append(
                {"post": f"values[{i}]", "data": json.dumps(entry)[:200], "orsak": err.detail}
            )
    out = pd.DataFrame(rows, columns=COLUMNS[:-1])
    out["origin"] = origin
    dup = out.duplicated(["kpi", "municipality", "period", "gender"])
    if dup.any():
        first = out[dup].iloc[0]
        raise DataError(
            path,
            "samma nyckeltal, område, år och kön förekommer mer än en gång",
            column="values",
            found=f"{first['kpi']}, {first['municipality']}, {first['period']}, {first['gender']}",
            expected="en post per kombination",
        )
    out = out.astype(
        {
            "kpi": "string",
            "municipality": "string",
            "area_level": "string",
            "period": "Int64",
            "gender": "string",
            "value": "Float64",
            "count": "Int64",
            "status": "string",
            "origin": "string",
        }
    )
    out = out.sort_values(["kpi", "municipality", "period", "gender"]).reset_index(drop=True)
    return ReadResult(check_contract(out, SCHEMA, path), pd.DataFrame(rejected), origin)


def _entry_rows(path: Path, i: int, entry: object, this_year: int) -> list[dict]:
    where = f"values[{i}]"

    def fail(field: str, message: str, found: object, expected: str) -> DataError:
        return DataError(path, message, column=f"{where}.{field}", found=found, expected=expected)

    if not isinstance(entry, dict):
        raise fail(
            "", "posten är inget objekt", entry, "ett objekt med kpi, municipality, period, values"
        )
    for field in ("kpi", "municipality", "period", "values"):
        if field not in entry:
            raise fail(field, "fältet saknas", sorted(entry), "kpi, municipality, period, values")
    kpi = entry["kpi"]
    if not isinstance(kpi, str) or not kpi.strip():
        raise fail("kpi", "ogiltigt nyckeltals-id", kpi, "en text, t.ex. 'N07403'")
    municipality = str(entry["municipality"])
    level = area_level(municipality)
    if level is None:
        raise fail(
            "municipality",
            "okänd kommun-/områdeskod",
            municipality,
            "en kommunkod (4 siffror), '0000' (riket), '00'+länskod eller ett grupp-id 'G…'",
        )
    period = entry["period"]
    try:
        year = int(str(period))
    except ValueError:
        raise fail("period", "ogiltigt år", period, "ett år, t.ex. 2024") from None
    if not 1950 <= year <= this_year:
        raise fail(
            "period", "året är orimligt eller ligger i framtiden", period, f"1950–{this_year}"
        )
    if not isinstance(entry["values"], list):
        raise fail("values", "värdena är ingen lista", entry["values"], "en lista per kön")
    rows = []
    for j, cell in enumerate(entry["values"]):
        field = f"values[{j}]"
        if not isinstance(cell, dict):
            raise fail(field, "värdet är inget objekt", cell, "gender, value, count, status")
        gender = cell.get("gender")
        if gender not in GENDERS:
            raise fail(f"{field}.gender", "okänt kön", gender, "T, K eller M")
        value = cell.get("value")
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value)
        ):
            raise fail(f"{field}.value", "ogiltigt tal", value, "ett tal eller null")
        count = cell.get("count")
        if count is not None and (
            isinstance(count, bool) or not isinstance(count, int) or count < 0
        ):
            raise fail(f"{field}.count", "ogiltigt antal", count, "ett heltal ≥ 0 eller null")
        status = cell.get("status")
        rows.append(
            {
                "kpi": kpi.strip(),
                "municipality": municipality,
                "area_level": level,
                "period": year,
                "gender": gender,
                "value": value,
                "count": count,
                "status": status if status not in ("", None) else None,
            }
        )
    return rows


def read_folder(folder: Path, *, quarantine: bool = False, origin: str = "real") -> ReadResult:
    """Every saved KPI answer (``kolada_*.json`` except the groups file) in one table."""
    files = [p for p in sorted(Path(folder).glob("kolada_*.json")) if p.name != GROUPS_FILE]
    if not files:
        raise DataError(folder, "inga sparade Kolada-svar hittades", expected="kolada_*.json")
    results = [read(p, quarantine=quarantine, origin=origin) for p in files]
    table = pd.concat([r.table for r in results], ignore_index=True)
    table = table.drop_duplicates(["kpi", "municipality", "period", "gender"], keep="last")
    rejected = [r.rejected for r in results if not r.rejected.empty]
    return ReadResult(
        check_contract(table.reset_index(drop=True), SCHEMA, Path(folder)),
        pd.concat(rejected, ignore_index=True) if rejected else pd.DataFrame(),
        origin,
    )


# --------------------------------------------------------------------------- groups


def classify_title(title: str) -> str | None:
    """The SKR class code a group title names, e.g. 'C8' for '… Landsbygdskommun'.

    Longest class names are tried first, because "Landsbygdskommun" is part of
    "Landsbygdskommun med besöksnäring" and "Pendlingskommun nära större stad"
    part of "Lågpendlingskommun nära större stad".
    """
    low = title.casefold()
    for code, name in sorted(SKR_CLASSES.items(), key=lambda kv: -len(kv[1])):
        if name.casefold() in low:
            return code
    return None


def read_groups(path: Path, *, origin: str = "real") -> pd.DataFrame:
    """A saved ``/v2/municipality_groups`` answer -> one row per group and member kommun.

    Members that are not kommuner (e.g. regions) are left out.
    """
    path = Path(path)
    groups = _values_list(path, _load_json(path))
    names = _kommun_names()
    rows = []
    for i, group in enumerate(groups):
        where = f"values[{i}]"
        if not isinstance(group, dict) or not {"id", "title", "members"} <= set(group):
            raise DataError(
                path,
                "gruppen saknar fält",
                column=where,
                found=sorted(group) if isinstance(group, dict) else group,
                expected="id, title, members",
            )
        if not isinstance(group["members"], list):
            raise DataError(
                path, "members är ingen lista", column=f"{where}.members", found=group["members"]
            )
        skr = classify_title(str(group["title"]))
        for j, member in enumerate(group["members"]):
            code = str(member.get("id", "")) if isinstance(member, dict) else ""
            if not code:
                raise DataError(
                    path,
                    "medlemmen saknar id",
                    column=f"{where}.members[{j}]",
                    found=member,
                    expected='{"id": "1863", "title": …}',
                )
            if code not in names:
                continue
            rows.append(
                {
                    "group_id": str(group["id"]),
                    "group_title": str(group["title"]),
                    "skr_class": skr,
                    "kommun_code": code,
                    "kommun_name": str(member.get("title") or names[code]),
                    "origin": origin,
                }
            )
    table = pd.DataFrame(rows, columns=GROUP_COLUMNS).astype("string")
    return check_contract(table, GROUP_SCHEMA, path)


def skr_class(groups: pd.DataFrame, kommun_code: str) -> tuple[str, str, str] | None:
    """(class code, group id, group title) of the kommun's SKR kommungrupp, or None."""
    hit = groups[(groups["kommun_code"] == kommun_code) & groups["skr_class"].notna()]
    if hit.empty:
        return None
    row = hit.iloc[0]
    return str(row["skr_class"]), str(row["group_id"]), str(row["group_title"])


def peers(groups: pd.DataFrame, kommun_code: str) -> list[str]:
    """The other kommuner in the kommun's SKR kommungrupp (empty when unknown)."""
    found = skr_class(groups, kommun_code)
    if found is None:
        return []
    members = groups.loc[groups["group_id"] == found[1], "kommun_code"]
    return sorted(set(members) - {kommun_code})


# --------------------------------------------------------------------------- example data

#: Example national level of the violent-crime KPI (per 100,000): a rounded
#: magnitude for the example only, not Kolada's figure.
EXAMPLE_NATIONAL_LEVEL = 1150.0
EXAMPLE_YEARS = list(range(2015, 2026))


def _example_classes(config: KommunConfig, seed: int) -> dict[str, str]:
    """An INVENTED SKR class per kommun from population size (labelled example).

    Not SKR's real classification: a plausible one, so that comparisons with
    "similar kommuner" can be demonstrated. The configured kommun gets C8
    (Landsbygdskommun) when it is small (< 8,000 inhabitants), and always when
    the mirror is absent (then every kommun's class is drawn at random).
    """
    from trygghet.sources.bra_crime import example_population

    pop, _, source = example_population()
    rng = np.random.default_rng([seed, int(config.code), 81])
    invented_population = "påhittad" in source
    classes = {}
    for code in sorted(pop):
        p = pop[code]
        if p >= 200_000:
            cls = "A1"
        elif p >= 50_000:
            cls = str(rng.choice(["B3", "A2"], p=[0.7, 0.3]))
        elif p >= 15_000:
            cls = str(rng.choice(["C6", "B5", "A2", "B4"], p=[0.4, 0.3, 0.2, 0.1]))
        elif p >= 8_000:
            cls = str(rng.choice(["C7", "B4", "C6"], p=[0.5, 0.3, 0.2]))
        else:
            cls = str(rng.choice(["C8", "C9"], p=[0.75, 0.25]))
        classes[code] = cls
    if invented_population:
        # Without the mirror every kommun has the same invented population:
        # spread the classes at random and put the configured kommun in C8.
        for code in classes:
            classes[code] = str(rng.choice(list(SKR_CLASSES)))
        classes[config.code] = "C8"
    elif pop[config.code] < 8_000:
        classes[config.code] = "C8"
    return classes


def generate_example(config: KommunConfig, out_dir: Path, seed: int = 0) -> list[Path]:
    """Write ``kolada_kommungrupper.json`` (invented grouping) and ``kolada_brott.json``.

    The KPI file holds every KPI in :data:`CRIME_KPIS` for 2015-2025 for the
    kommun, its län (``00``+län), Riket (``0000``), the members of its example
    kommungrupp and the group itself (an average, ``count`` = members), all as
    gender T. One value is left null to exercise missing values. Group ids and
    titles say "exempel": they are not Kolada's.
    """
    from trygghet.sources.bra_crime import example_population

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    classes = _example_classes(config, seed)
    names = _kommun_names()
    groups = []
    for cls, name in SKR_CLASSES.items():
        members = [c for c in sorted(classes) if classes[c] == cls]
        if not members:
            continue
        groups.append(
            {
                "id": f"GEX{cls}",
                "title": f"Exempel (påhittad indelning): Kommungrupp {cls} {name}",
                "members": [{"id": c, "title": names[c]} for c in members],
            }
        )
    group_path = out_dir / GROUPS_FILE
    group_path.write_text(
        json.dumps({"count": len(groups), "values": groups}, ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )

    pop, riket_pop, _ = example_population()
    rng = np.random.default_rng([seed, int(config.code), 82])
    own_class = classes[config.code]
    group_members = [c for c in sorted(classes) if classes[c] == own_class]
    lan_members = kommuner.kommuner_in_lan(config.lan_code)
    kommun_codes = sorted(set(group_members) | set(lan_members) | {config.code})
    factor = {c: float(rng.lognormal(0.0, 0.25)) for c in kommun_codes}
    values = []

    def rate(count: float, population: float) -> float:
        return round(count / population * 1e5, 1)

    for kpi in CRIME_KPIS.values():
        for year in EXAMPLE_YEARS:
            trend = 1.0 + 0.015 * (year - 2020)
            counts = {
                c: int(rng.poisson(pop[c] * EXAMPLE_NATIONAL_LEVEL / 1e5 * factor[c] * trend))
                for c in kommun_codes
            }
            areas = {c: (rate(counts[c], pop[c]), 1) for c in kommun_codes}
            lan_pop = sum(pop[c] for c in lan_members)
            areas["00" + config.lan_code] = (rate(sum(counts[c] for c in lan_members), lan_pop), 1)
            riket = rng.poisson(riket_pop * EXAMPLE_NATIONAL_LEVEL / 1e5 * trend)
            areas["0000"] = (rate(riket, riket_pop), 1)
            mean = float(np.mean([areas[c][0] for c in group_members]))
            areas[f"GEX{own_class}"] = (round(mean, 1), len(group_members))
            for code, (value, count) in areas.items():
                values.append(
                    {
                        "kpi": kpi,
                        "municipality": code,
                        "period": year,
                        "values": [{"count": count, "gender": "T", "status": "", "value": value}],
                    }
                )
    # One missing value, as Kolada has for years a kommun did not report.
    for entry in values:
        if entry["municipality"] == config.code and entry["period"] == 2015:
            entry["values"][0].update({"value": None, "count": 0})
            break
    kpi_path = out_dir / "kolada_brott.json"
    kpi_path.write_text(
        json.dumps({"count": len(values), "values": values}, ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )
    return [group_path, kpi_path]
