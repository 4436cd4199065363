"""Reader for Polisen's open events API (``/api/events``) and its archive.

Two shapes are accepted, both holding events in the exact API shape
``id, datetime, name, summary, url, type, location{name, gps}``:

* the API response itself: one JSON array (``api_window_sample.json``);
* the archive: JSON lines, one event per line (``events.jsonl.gz`` or plain
  ``.jsonl``).

The result is one tidy, typed row per event. What the columns mean, and why:

* ``published_at`` is the API's ``datetime``: when the event was published or
  last updated, not when it happened. The incident time is only in the title
  ("12 april 13:29, Rattfylleri, Hällefors"), without a year;
  ``incident_time`` takes the year that puts it nearest to the publication
  (so a December title published in January belongs to the previous year).
* ``gps`` is the centroid of the kommun or län named in ``location.name``,
  never the place of the incident; ``coordinate_meaning`` says so in words so
  that nobody draws these points as incident locations.
* 38 % of the events are published at län level only ("Örebro län"); the
  kommun is then resolved from the place in the title, else from the summary
  text when exactly one kommun of that län is named there (``kommun_source``).
* ``title``, ``summary`` and ``location_name`` are free text
  (:data:`trygghet.sources.free_text.FREE_TEXT`): they are scrubbed of
  personal data after the incident time and the kommun have been read from
  them (the press phone numbers in some summaries become ``[telefon]``).
* ``promise_group`` maps event types onto the three problem areas of typical
  medborgarlöften (narkotika, trafik, ordning); see :data:`PROMISE_GROUPS`.

Police events are a small, selective share of reported crime: they are not
crime statistics and must never be turned into crime rates.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import re
import warnings
import zlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from trygghet.errors import DataError
from trygghet.kommuner import all_kommuner
from trygghet.sources.free_text import scrub_columns
from trygghet.sources.tabular import (
    ReadResult,
    RowProblems,
    check_text_file,
    decode_text,
    read_csv_strict,
)

TZ = "Europe/Stockholm"
#: The processed table's name (``trygghet ingest`` writes one national table).
SOURCE = "polisen_events"

#: Month names as the police write them in an event's title ("28 december 14.32, …").
#: The reader owns what it parses; the display side has its own names in present/.
_MONTHS = "januari februari mars april maj juni juli augusti september oktober november december"
MONTH_NUMBER: dict[str, int] = {name: n for n, name in enumerate(_MONTHS.split(), start=1)}

#: The fields of an event, as the API returns them.
REQUIRED_FIELDS: tuple[str, ...] = ("id", "datetime", "name", "summary", "url", "type", "location")

#: The archive is complete (every event that was published) from this date;
#: before it, only some events were archived.
ARCHIVE_COMPLETE_FROM = pd.Timestamp("2023-03-25")

#: How far past the moment of reading an event's publication time may lie.
#: The API writes every time with its UTC offset, so the only slack needed is
#: for clocks that differ a little and an offset written for the wrong season
#: (one hour). A later time has not happened yet: it is a broken time, and the
#: row is rejected (it would also stretch the archive's coverage into the future).
FUTURE_TOLERANCE = pd.Timedelta(hours=1)

#: ``location.name`` values that differ from the official kommun names. All
#: of them occur in the real archive (counts 2022-09 – 2026-08); the API
#: writes the second word in lower case for some kommuner. Any other
#: difference in letter case is tolerated too (names are compared casefolded).
LOCATION_NAME_VARIANTS: dict[str, str] = {
    "Upplands väsby": "Upplands Väsby",  # 130 events
    "Östra göinge": "Östra Göinge",  # 87
    "Upplands-bro": "Upplands-Bro",  # 81
    "Lilla edet": "Lilla Edet",  # 43
    "Dals-ed": "Dals-Ed",  # 15
}

#: Event type -> promise group. Medborgarlöften typically promise to act
#: against narkotikabrott, trafikbrott and ordningsstörningar (Hällefors'
#: promise 3). Only types that clearly belong to one of these are mapped:
#:
#: * narkotika: only "Narkotikabrott".
#: * trafik: traffic crime ("Trafikbrott", "Rattfylleri", "Olovlig körning",
#:   hit-and-run "Trafikolycka, smitning från"), the police's traffic
#:   controls ("Trafikkontroll"), and traffic accidents with people involved
#:   ("Trafikolycka", "…, personskada", "…, singel"), since traffic safety is
#:   what such a promise is about. Wildlife collisions ("Trafikolycka, vilt")
#:   are left out on purpose: in rural kommuner they are the most common
#:   traffic event and would drown the behaviour the promise targets, while
#:   no local crime-prevention measure addresses them. "Trafikhinder" (an
#:   obstruction such as a fallen tree) is not behaviour either.
#: * ordning: disturbances of public order — "Ordningslagen", drunkenness
#:   ("Fylleri/LOB", "Fylleri"), "Bråk" (fights/rows in public),
#:   "Skadegörelse" (vandalism, the typical visible disorder),
#:   "Ofredande/förargelse" (includes förargelseväckande beteende, a public
#:   order offence) and "Smällar" (fireworks, regulated by the
#:   ordningslagen). "Olaga hot", "Misshandel", "Knivlagen" etc. are crimes
#:   against persons or weapons offences, not ordningsstörningar, and are left
#:   unmapped so that the group stays comparable with the promise's wording.
PROMISE_GROUPS: dict[str, str] = {
    "Narkotikabrott": "narkotika",
    "Trafikbrott": "trafik",
    "Rattfylleri": "trafik",
    "Olovlig körning": "trafik",
    "Trafikkontroll": "trafik",
    "Trafikolycka": "trafik",
    "Trafikolycka, personskada": "trafik",
    "Trafikolycka, singel": "trafik",
    "Trafikolycka, smitning från": "trafik",
    "Ordningslagen": "ordning",
    "Fylleri/LOB": "ordning",
    "Fylleri": "ordning",
    "Bråk": "ordning",
    "Skadegörelse": "ordning",
    "Ofredande/förargelse": "ordning",
    "Smällar": "ordning",
}

COORDINATE_MEANING: dict[str, str] = {
    "kommun": "kommunens mittpunkt",
    "län": "länets mittpunkt",
}

COLUMNS: tuple[str, ...] = (
    "event_id",
    "published_at",
    "incident_time",
    "title",
    "summary",
    "url",
    "type",
    "location_name",
    "location_level",
    "gps_lat",
    "gps_lon",
    "coordinate_meaning",
    "lan_code",
    "kommun_code",
    "kommun_source",
    "is_summary",
    "promise_group",
    "tatort",
    "origin",
)

_STR = pd.StringDtype(na_value=np.nan)  # pandas' default "str": comparisons give plain bools


def schema():
    """The contract of the tidy events table: what every analysis may rely on."""
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "event_id": pa.Column("int64", unique=True),
            "published_at": pa.Column("datetime64[ns, Europe/Stockholm]", coerce=True),
            "incident_time": pa.Column("datetime64[ns]", nullable=True, coerce=True),
            "type": pa.Column(str),
            "location_level": pa.Column(str, pa.Check.isin(["kommun", "län"]), nullable=True),
            "gps_lat": pa.Column(float, pa.Check.in_range(54.0, 70.0), nullable=True),
            "gps_lon": pa.Column(float, pa.Check.in_range(10.0, 25.0), nullable=True),
            "kommun_code": pa.Column(str, pa.Check.str_matches(r"^\d{4}$"), nullable=True),
            "lan_code": pa.Column(str, pa.Check.str_matches(r"^\d{2}$"), nullable=True),
            "kommun_source": pa.Column(
                str, pa.Check.isin(["plats", "titel", "text"]), nullable=True
            ),
            "is_summary": pa.Column(bool),
            "promise_group": pa.Column(
                str, pa.Check.isin(["narkotika", "trafik", "ordning"]), nullable=True
            ),
            "origin": pa.Column(str, pa.Check.isin(["real", "fetched", "example"])),
        },
        strict=False,
    )


_TITLE_TIME = re.compile(r"^\s*(\d{1,2}) ([a-zåäö]+) (\d{1,2})[.:](\d{2})\b")
_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S %z"
_EXPECTED_DATETIME = "datum och tid som '2025-04-12 13:45:07 +02:00'"


# --------------------------------------------------------------------------
# Reading the raw records
# --------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    """The file's text; gzip is decompressed. Broken files raise DataError."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(path, "filen finns inte") from None
    if path.suffix == ".gz":
        try:
            raw = gzip.decompress(raw)
        except (EOFError, OSError, zlib.error) as exc:
            raise DataError(
                path,
                "gzip-filen är trasig eller avkortad och kan inte packas upp",
                found=str(exc),
                expected="en hel gzip-fil (ladda ner den igen)",
            ) from None
    check_text_file(path, raw)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            path, "texten är inte UTF-8", row=line, found=raw[exc.start : exc.start + 8]
        ) from None


def _excerpt(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _records_jsonl(path: Path, text: str) -> list[tuple[int, object]]:
    """Parse JSON lines, keeping each record's line number.

    All lines are parsed in one call as a JSON array (several times faster than
    one call per line); only if that fails are the lines parsed one by one to
    find the faulty line.
    """
    numbered = [(n, line) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
    try:
        objects = json.loads("[" + ",".join(line for _, line in numbered) + "]")
        if len(objects) == len(numbered):
            return [(n, obj) for (n, _), obj in zip(numbered, objects, strict=True)]
    except json.JSONDecodeError:
        pass
    records: list[tuple[int, object]] = []
    for number, line in numbered:
        try:
            records.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise DataError(
                path,
                f"raden är inte giltig JSON ({exc.msg}, tecken {exc.colno})",
                row=number,
                found=_excerpt(line.strip()),
                expected="ett JSON-objekt per rad",
            ) from None
    return records


def _records_array(path: Path, text: str) -> list[tuple[int, object]]:
    """Parse a JSON array element by element, keeping each element's line number."""
    decoder = json.JSONDecoder()
    ws = re.compile(r"\s*")
    records: list[tuple[int, object]] = []
    pos = ws.match(text, 0).end() + 1  # after "["
    line, counted_to = 1, 0

    def line_at(p: int) -> int:
        nonlocal line, counted_to
        line += text.count("\n", counted_to, p)
        counted_to = p
        return line

    def fail(p: int, msg: str, expected: str) -> DataError:
        return DataError(
            path, msg, row=line_at(p), found=_excerpt(text[p : p + 60]), expected=expected
        )

    pos = ws.match(text, pos).end()
    if text.startswith("]", pos):
        return records
    while True:
        start = ws.match(text, pos).end()
        try:
            obj, pos = decoder.raw_decode(text, start)
        except json.JSONDecodeError as exc:
            raise fail(
                exc.pos, f"listan är inte giltig JSON ({exc.msg})", "ett JSON-objekt"
            ) from None
        records.append((line_at(start), obj))
        pos = ws.match(text, pos).end()
        if text.startswith(",", pos):
            pos += 1
        elif text.startswith("]", pos):
            rest = text[pos + 1 :].strip()
            if rest:
                raise fail(pos + 1, "text efter listans slut", "inget efter ']'")
            return records
        else:
            raise fail(pos, "listan är avbruten eller saknar komma", "',' eller ']'")


def _check(path: Path, line: int, obj: object) -> tuple:
    """Validate one event and return its fields in REQUIRED_FIELDS order."""
    if not isinstance(obj, dict):
        raise DataError(
            path,
            "posten är inte ett JSON-objekt",
            row=line,
            found=_excerpt(json.dumps(obj, ensure_ascii=False)),
            expected="ett objekt med fälten " + ", ".join(REQUIRED_FIELDS),
        )
    for field in REQUIRED_FIELDS:
        if field not in obj:
            raise DataError(
                path,
                "fältet saknas",
                row=line,
                column=field,
                found=sorted(obj),
                expected="fälten " + ", ".join(REQUIRED_FIELDS),
            )
    event_id = obj["id"]
    if isinstance(event_id, bool) or not isinstance(event_id, int):
        raise DataError(
            path, "ogiltigt id", row=line, column="id", found=event_id, expected="ett heltal"
        )
    summary = obj["summary"]
    if summary is None:
        summary = ""
    for field, value in (
        ("datetime", obj["datetime"]),
        ("name", obj["name"]),
        ("summary", summary),
        ("url", obj["url"]),
        ("type", obj["type"]),
    ):
        if not isinstance(value, str):
            raise DataError(
                path, "fältet är inte text", row=line, column=field, found=value, expected="text"
            )
    location = obj["location"]
    if not isinstance(location, dict) or not isinstance(location.get("name"), str):
        raise DataError(
            path,
            "platsen saknar namn",
            row=line,
            column="location.name",
            found=location,
            expected='{"name": "...", "gps": "lat,lon"}',
        )
    gps = location.get("gps")
    if not isinstance(gps, str):
        raise DataError(
            path,
            "platsen saknar koordinater",
            row=line,
            column="location.gps",
            found=gps,
            expected="text 'lat,lon'",
        )
    return (
        event_id,
        obj["datetime"],
        obj["name"],
        summary,
        obj["url"],
        obj["type"],
        location["name"],
        gps,
    )


def _raw_frame(path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    """The validated raw fields and, per row, the line number in the file."""
    text = _read_text(path)
    if not text.strip():
        raise DataError(
            path, "filen är tom", expected="händelser från Polisens API (JSON eller JSON-rader)"
        )
    records = (
        _records_array(path, text) if text.lstrip().startswith("[") else _records_jsonl(path, text)
    )
    rows = [_check(path, line, obj) for line, obj in records]
    columns = ["event_id", "datetime", "title", "summary", "url", "type", "location_name", "gps"]
    frame = pd.DataFrame(rows, columns=columns)
    if frame.empty:
        frame = frame.astype({c: _STR for c in columns[1:]} | {"event_id": "int64"})
    frame["event_id"] = frame["event_id"].astype("int64")
    for column in columns[1:]:
        frame[column] = frame[column].astype(_STR)
    lines = np.array([line for line, _ in records], dtype="int64")
    return frame, lines


# --------------------------------------------------------------------------
# Parsing the fields
# --------------------------------------------------------------------------


def _parse_published(path: Path, raw: pd.Series, lines: np.ndarray) -> pd.Series:
    parsed = pd.to_datetime(raw, format=_DATETIME_FORMAT, utc=True, errors="coerce")
    bad = parsed.isna().to_numpy()
    if bad.any():  # tolerate ISO 8601 with a "T" as well, as long as an offset is given
        retry = pd.to_datetime(raw[bad], format="ISO8601", utc=True, errors="coerce")
        retry[~raw[bad].str.contains(r"(?:[+-]\d\d:?\d\d|Z)\s*$", regex=True, na=False)] = pd.NaT
        parsed[bad] = retry
        bad = parsed.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError(
            path,
            "publiceringstiden går inte att tolka",
            row=int(lines[i]),
            column="datetime",
            found=raw.iloc[i],
            expected=_EXPECTED_DATETIME,
        )
    return parsed.dt.tz_convert(TZ)


def _parse_gps(path: Path, raw: pd.Series, lines: np.ndarray) -> tuple[pd.Series, pd.Series]:
    parts = raw.str.split(",", n=1, expand=True).reindex(columns=[0, 1]).astype(_STR)
    lat = pd.to_numeric(parts[0].str.strip(), errors="coerce").astype("float64")
    lon = pd.to_numeric(parts[1].str.strip(), errors="coerce").astype("float64")
    bad = (lat.isna() | lon.isna() | ~lat.between(-90, 90) | ~lon.between(-180, 180)).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError(
            path,
            "koordinaterna går inte att tolka",
            row=int(lines[i]),
            column="location.gps",
            found=raw.iloc[i],
            expected="'latitud,longitud' i decimalgrader, t.ex. '59.782972,14.516711'",
        )
    return lat, lon


def parse_incident_time(titles: pd.Series, published_at: pd.Series) -> pd.Series:
    """Incident time from the title prefix ("12 april 13:29, …"), naive local time.

    The title has no year. Of the previous, the same and the next year of the
    publication, the one giving the time nearest to the publication is taken:
    a "28 december" title published on 2 January is from the previous year,
    a "1 januari" event announced on 30 December from the next. Titles without
    a parsable day, Swedish month name and time (``13:29`` or ``13.29``) give
    NaT, as do impossible dates (``30 februari``).
    """
    parts = titles.str.extract(_TITLE_TIME)
    month = parts[1].str.lower().map(MONTH_NUMBER)
    published_local = published_at.dt.tz_localize(None)
    base_year = published_local.dt.year
    fields = {
        "month": month,
        "day": pd.to_numeric(parts[0], errors="coerce"),
        "hour": pd.to_numeric(parts[2], errors="coerce"),
        "minute": pd.to_numeric(parts[3], errors="coerce"),
    }
    published_ns = (
        published_local.to_numpy().astype("datetime64[ns]").astype("int64").astype("float64")
    )
    candidates, distances = [], []
    for offset in (-1, 0, 1):
        when = pd.to_datetime(pd.DataFrame({"year": base_year + offset, **fields}), errors="coerce")
        when = when.astype("datetime64[ns]")
        candidates.append(when.to_numpy())
        ns = when.to_numpy().astype("int64").astype("float64")
        distance = np.abs(ns - published_ns)
        distance[when.isna().to_numpy()] = np.inf
        distances.append(distance)
    dist = np.vstack(distances)
    best = np.argmin(dist, axis=0)
    chosen = np.vstack(candidates)[best, np.arange(len(titles))]
    chosen[np.isinf(dist.min(axis=0))] = np.datetime64("NaT")
    return pd.Series(chosen, index=titles.index, dtype="datetime64[ns]", name="incident_time")


# --------------------------------------------------------------------------
# Places: kommun, län, tätort
# --------------------------------------------------------------------------


def _place_lookup() -> pd.DataFrame:
    """Location names (casefolded, variants included) with level, kommun_code, lan_code."""
    table = all_kommuner()
    kommuner = pd.DataFrame(
        {
            "key": table["kommun_name"],
            "level": "kommun",
            "kommun_code": table["kommun_code"],
            "lan_code": table["lan_code"],
        }
    )
    variants = kommuner.set_index("key").loc[list(LOCATION_NAME_VARIANTS.values())]
    variants.index = list(LOCATION_NAME_VARIANTS)
    lan = table.drop_duplicates("lan_code")
    counties = pd.DataFrame(
        {"key": lan["lan_name"], "level": "län", "kommun_code": None, "lan_code": lan["lan_code"]}
    )
    lookup = pd.concat([kommuner, variants.reset_index(names="key"), counties], ignore_index=True)
    lookup["key"] = lookup["key"].str.casefold()
    return lookup.drop_duplicates("key").set_index("key")


def _name_pattern(names: Iterable[str], *, not_before: str) -> re.Pattern[str]:
    """Whole-word alternation of names, optionally in the genitive ("Noras").

    A name directly followed by ``not_before`` (e.g. " län") is not a match:
    "Örebro län" names the county, not Örebro kommun; nor is a name after
    "polisområde", which names a police district.
    """
    alternation = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))
    # "polisområde Örebro" is a police district covering several kommuner.
    return re.compile(
        rf"(?<![\w-])(?<!polisområde )(?<!Polisområde )({alternation})(?!s?{not_before})s?(?![\w-])"
    )


def _single_mentions(
    texts: pd.Series, groups: pd.Series, patterns: dict[str, tuple[re.Pattern[str], dict[str, str]]]
) -> pd.Series:
    """Per text, the one value named in it, else None.

    ``groups`` gives each text's group (a län or kommun code) and
    ``patterns[group]`` the pattern of names to look for and the mapping from a
    matched name to its value. A text naming two different values is
    ambiguous and gives None. Plain Python lists: pandas' string methods cost
    more per call than the regex search itself.
    """
    result: list[str | None] = [None] * len(texts)
    text_list = texts.tolist()
    group_list = groups.tolist()
    for i, (text, group) in enumerate(zip(text_list, group_list, strict=True)):
        entry = patterns.get(group) if isinstance(group, str) else None
        if entry is None or not isinstance(text, str):
            continue
        pattern, mapping = entry
        values = {mapping[name] for name in pattern.findall(text)}
        if len(values) == 1:
            result[i] = values.pop()
    return pd.Series(result, index=texts.index, dtype=object)


@cache
def _kommun_patterns() -> dict[str, tuple[re.Pattern[str], dict[str, str]]]:
    """Per län code: the pattern of its kommun names and name -> kommun code."""
    patterns = {}
    for lan_code, in_lan in all_kommuner().groupby("lan_code"):
        name_to_code = dict(zip(in_lan["kommun_name"], in_lan["kommun_code"], strict=True))
        patterns[lan_code] = (_name_pattern(name_to_code, not_before=r"\s+län\b"), name_to_code)
    return patterns


def _resolve_kommun(events: pd.DataFrame) -> pd.DataFrame:
    """Add location_level, lan_code, kommun_code and kommun_source."""
    lookup = _place_lookup()
    key = events["location_name"].str.strip().str.casefold()
    level = key.map(lookup["level"])
    lan = key.map(lookup["lan_code"])
    kommun = key.map(lookup["kommun_code"]).astype(object)
    unknown = level.isna()
    if unknown.any():
        names = sorted(events.loc[unknown, "location_name"].unique())
        warnings.warn(
            "Okända platsnamn i Polisens händelser (varken kommun eller län), "
            f"de får ingen kommunkod: {', '.join(names)}",
            stacklevel=3,
        )
    source = pd.Series(np.where(kommun.notna(), "plats", None), index=events.index, dtype=object)

    # Län-level events: the title's place, when it is a kommun of that län.
    kommun_rows = lookup[lookup["level"] == "kommun"]
    is_lan = level.eq("län")
    place = events.loc[is_lan, "title"].str.rsplit(",", n=1).str[-1].str.strip().str.casefold()
    title_kommun = place.map(kommun_rows["kommun_code"])
    title_lan = place.map(kommun_rows["lan_code"])
    hit = title_kommun.index[title_kommun.notna() & title_lan.eq(lan[is_lan])]
    kommun[hit] = title_kommun[hit]
    source[hit] = "titel"

    # Still unresolved: exactly one kommun of the event's own län named in the summary.
    todo = is_lan & kommun.isna()
    found = _single_mentions(events.loc[todo, "summary"], lan[todo], _kommun_patterns()).dropna()
    kommun[found.index] = found
    source[found.index] = "text"

    events["location_level"] = level.astype(_STR)
    events["lan_code"] = lan.astype(_STR)
    events["kommun_code"] = kommun.astype(_STR)
    events["kommun_source"] = source.astype(_STR)
    return events


def read_tatorter(path: str | Path) -> pd.DataFrame:
    """SCB's tätorter (2020) with ``tatort``, ``kommun_code``, ``lan_code``, ``population``.

    Read as strictly as every other CSV source (``tatort`` and ``kommun_code``
    required, separator ``,`` or ``;``): an empty, binary or malformed file is
    a :class:`~trygghet.errors.DataError` naming the file.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(path, "filen finns inte", expected="SCB:s tätorter som CSV")
    first = decode_text(path).lstrip().splitlines()[0]
    table = read_csv_strict(
        path,
        ["tatort", "kommun_code"],
        optional=["tatortskod", "kommun_name", "lan_code", "lan_name", "population"],
        sep=";" if first.count(";") > first.count(",") else ",",
    )
    table["kommun_code"] = table["kommun_code"].str.zfill(4)
    if "population" in table:
        table["population"] = pd.to_numeric(table["population"], errors="coerce").astype("Int64")
    return table


def _tatort_aliases(names: Iterable[str]) -> dict[str, str]:
    """Name as written in a text -> SCB tätort name.

    SCB names some tätorter after several villages ("Smögen, Kungshamn och
    Väjern", "Floda / Dala-Floda"); each part is accepted as a mention of the
    tätort. A part shared by two tätorter of the kommun is dropped (ambiguous).
    """
    aliases: dict[str, set[str]] = {}
    for name in names:
        parts = {name} | {p.strip() for p in re.split(r",| och | / ", name) if p.strip()}
        for part in parts:
            aliases.setdefault(part, set()).add(name)
    return {alias: next(iter(t)) for alias, t in aliases.items() if len(t) == 1}


def _find_tatort(events: pd.DataFrame, tatorter: pd.DataFrame | None) -> pd.Series:
    """The one tätort of the event's kommun named in the summary, else NaN.

    Only the summary is searched: the title's place is the kommun's name,
    which usually equals its main tätort's name and says nothing about where
    in the kommun it happened. "Hällefors kommun" names the kommun, not the
    tätort, and is not a match.
    """
    if tatorter is None or events.empty:
        return pd.Series(np.nan, index=events.index, dtype=_STR)
    has_kommun = events["kommun_code"].notna()
    patterns = {}
    for code, names in tatorter.groupby("kommun_code")["tatort"]:
        aliases = _tatort_aliases(names.dropna())
        if aliases:
            patterns[code] = (_name_pattern(aliases, not_before=r"\s+(?:kommun|län)\b"), aliases)
    found = _single_mentions(
        events.loc[has_kommun, "summary"], events.loc[has_kommun, "kommun_code"], patterns
    )
    return found.reindex(events.index).astype(_STR)


def _default_tatorter(path: Path) -> pd.DataFrame | None:
    """SCB tätorter from the mirror the events file sits in, else the configured mirror."""
    from trygghet.paths import shared_data_dir

    candidates = (
        path.resolve().parent.parent / "scb" / "tatorter_2020_points.csv",
        shared_data_dir() / "scb" / "tatorter_2020_points.csv",
    )
    for candidate in dict.fromkeys(c.resolve() for c in candidates):  # each file once
        if candidate.is_file():
            try:
                return read_tatorter(candidate)
            except DataError as err:
                # The tätort is a convenience; a broken SCB file is reported (and
                # stops) where SCB's geography is ingested, not here.
                warnings.warn(
                    f"SCB:s tätortsfil kan inte läsas; händelserna får ingen tätort. {err}",
                    stacklevel=3,
                )
    return None


# --------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------


@dataclasses.dataclass
class _LineProblems(RowProblems):
    """Row problems of an events file: a row's line is its own line in the file.

    (JSON has no header, and an API array spreads one event over many lines.)
    """

    lines: np.ndarray = dataclasses.field(default_factory=lambda: np.array([], dtype="int64"))

    def report(
        self, mask: pd.Series, column: str, found: pd.Series, message: str, expected: str
    ) -> None:
        mask = mask.fillna(False).astype(bool)
        if mask.any() and not self.quarantine:
            first = mask[mask].index[0]
            raise DataError(
                self.path,
                message,
                row=int(self.lines[first]),
                column=column,
                found=found.loc[first],
                expected=expected,
            )
        super().report(mask, column, found, message, expected)

    def split(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        good, rejected = super().split(frame)
        rejected["rad"] = [int(self.lines[i]) for i in sorted(self.rejected)]
        return good, rejected


def _now(now: pd.Timestamp | str | None) -> pd.Timestamp:
    """The moment of reading, in Swedish time (a naive ``now`` is taken as Swedish time)."""
    when = pd.Timestamp.now(tz=TZ) if now is None else pd.Timestamp(now)
    return when.tz_localize(TZ) if when.tzinfo is None else when.tz_convert(TZ)


def read_events(
    path: str | Path,
    *,
    tatorter: pd.DataFrame | str | Path | None = None,
    find_tatort: bool = True,
    now: pd.Timestamp | str | None = None,
) -> pd.DataFrame:
    """Read Polisen's events (API JSON array or JSON lines, optionally gzipped).

    Returns one row per event id with the columns in :data:`COLUMNS`, sorted by
    publication time. Should an id occur twice, the most recently published
    version wins (the API republishes updated events under the same id).

    ``tatorter`` is SCB's tätort table (a DataFrame or the path of
    ``tatorter_2020_points.csv``); by default it is looked up in the data
    mirror. Without it, or with ``find_tatort=False``, ``tatort`` stays empty.

    Raises :class:`~trygghet.errors.DataError` (naming file, line and field)
    for an empty, truncated or malformed file, a missing field, an unparsable
    time or coordinate, or a publication time in the future (later than
    ``now``, default the moment of reading, plus :data:`FUTURE_TOLERANCE`).
    :func:`read_events_result` sets such rows aside instead.
    """
    return read_events_result(path, tatorter=tatorter, find_tatort=find_tatort, now=now).table


def read_events_result(
    path: str | Path,
    *,
    tatorter: pd.DataFrame | str | Path | None = None,
    find_tatort: bool = True,
    quarantine: bool = False,
    now: pd.Timestamp | str | None = None,
) -> ReadResult:
    """:func:`read_events`, with row-level problems set aside under ``quarantine``.

    A row-level problem is an event published in the future. Without
    quarantine the first one raises; with it, the rows are left out of the
    table and returned in ``rejected``, as they stood in the file (free text
    scrubbed), with ``rad`` (the file line) and ``orsak`` (the reason).
    """
    path = Path(path)
    raw, lines = _raw_frame(path)
    published = _parse_published(path, raw["datetime"], lines)
    moment = _now(now)
    problems = _LineProblems(path, quarantine, lines=lines)
    problems.report(
        published > moment + FUTURE_TOLERANCE,
        "datetime",
        raw["datetime"],
        "publiceringstiden ligger i framtiden",
        f"en tid som redan har varit (filen lästes {moment:%Y-%m-%d %H:%M})",
    )
    rejected = pd.DataFrame()
    if problems.rejected:
        keep = ~raw.index.isin(list(problems.rejected))
        _, rejected = problems.split(raw)
        raw, lines = raw[keep].reset_index(drop=True), lines[keep]
        published = published[keep].reset_index(drop=True)
    events = pd.DataFrame(index=raw.index)
    events["event_id"] = raw["event_id"]
    events["published_at"] = published
    events["title"] = raw["title"]
    events["incident_time"] = parse_incident_time(raw["title"], events["published_at"])
    events["summary"] = raw["summary"]
    events["url"] = raw["url"]
    events["type"] = raw["type"]
    events["location_name"] = raw["location_name"]
    events["gps_lat"], events["gps_lon"] = _parse_gps(path, raw["gps"], lines)
    events = _resolve_kommun(events)
    events["coordinate_meaning"] = events["location_level"].map(COORDINATE_MEANING).astype(_STR)
    events["is_summary"] = events["type"].str.startswith("Sammanfattning").astype(bool)
    events["promise_group"] = events["type"].map(PROMISE_GROUPS).astype(_STR)
    if find_tatort:
        if tatorter is None:
            tatorter = _default_tatorter(path)
        elif not isinstance(tatorter, pd.DataFrame):
            tatorter = read_tatorter(tatorter)
    events["tatort"] = _find_tatort(events, tatorter if find_tatort else None)
    events["origin"] = pd.Series("real", index=events.index, dtype=_STR)
    events = (
        events.sort_values(["published_at", "event_id"], kind="stable")
        .drop_duplicates("event_id", keep="last")
        .reset_index(drop=True)
    )
    # Scrubbed last: the incident time and the kommun are read from the raw text.
    events = scrub_columns(events, SOURCE)
    if len(rejected):
        rejected = scrub_columns(rejected, SOURCE)
    return ReadResult(events[list(COLUMNS)], rejected, "real")


# --------------------------------------------------------------------------
# Example archive (only for machines with neither the mirror nor network)
# --------------------------------------------------------------------------

#: Event types of the example archive and their relative frequency in a small
#: kommun (roughly the mix of the real Örebro län events; not real figures).
EXAMPLE_TYPES: dict[str, float] = {
    "Trafikolycka": 0.12,
    "Trafikolycka, vilt": 0.10,
    "Rattfylleri": 0.08,
    "Trafikbrott": 0.06,
    "Olovlig körning": 0.05,
    "Narkotikabrott": 0.06,
    "Ordningslagen": 0.05,
    "Skadegörelse": 0.08,
    "Misshandel": 0.08,
    "Stöld": 0.08,
    "Inbrott": 0.07,
    "Brand": 0.07,
    "Bråk": 0.04,
    "Övrigt": 0.06,
}
_MONTHS_SV = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip


def generate_example_archive(
    kommun_codes: Iterable[str],
    out_path: Path,
    seed: int = 0,
    start: str = "2023-01-01",
    end: str = "2026-10-31",
    events_per_month: float = 2.0,
) -> Path:
    """Write an example events archive in the exact API shape (JSON lines, gzip).

    Used only when neither the mirror nor a fetched archive exists, so that
    the reports still run on a user's machine; every event's ``origin`` is
    then "example" and the report says so in its banner. Titles carry the
    incident time as the real ones do; ``gps`` is the kommun's centroid
    stand-in (the mirror's boundaries are not available here): 0,0 is not
    used, a fixed point inside Sweden is, and it is never shown on a map.
    """
    from trygghet import atomic
    from trygghet.kommuner import kommun_name

    rng = np.random.default_rng([seed, *(int(c) for c in kommun_codes)])
    types = list(EXAMPLE_TYPES)
    weights = np.array(list(EXAMPLE_TYPES.values()))
    weights = weights / weights.sum()
    months = pd.date_range(start, end, freq="MS")
    # Nothing published after today: the reader rejects such events.
    latest = pd.Timestamp.now(tz=TZ).tz_localize(None)
    lines: list[str] = []
    event_id = 900_000_000
    for code in sorted(kommun_codes):
        name = kommun_name(code)
        for month in months:
            for _ in range(rng.poisson(events_per_month)):
                day = int(rng.integers(0, month.days_in_month))
                minute = int(rng.integers(0, 24 * 60))
                when = month + pd.Timedelta(days=day, minutes=minute)
                published = when + pd.Timedelta(minutes=int(rng.integers(10, 180)))
                kind = str(rng.choice(types, p=weights))
                if published > latest:
                    continue
                title = f"{when.day} {_MONTHS_SV[when.month - 1]} {when:%H.%M}, {kind}, {name}"
                event_id += 1
                lines.append(json.dumps({
                    "id": event_id,
                    "datetime": published.strftime("%Y-%m-%d %H:%M:%S +01:00"),
                    "name": title,
                    "summary": f"Exempelhändelse ({kind.lower()}) – påhittad, inte verklig.",
                    "url": f"/exempel/{event_id}/",
                    "type": kind,
                    "location": {"name": name, "gps": "59.5,15.0"},
                }, ensure_ascii=False))  # fmt: skip
    payload = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0)
    atomic.write_bytes(out_path, payload)
    return out_path
