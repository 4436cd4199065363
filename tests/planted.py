"""Plant personal data and markup/template payloads in every text column of every raw source.

Used by ``test_gate_planted.py`` (the acceptance test of issue 15). Which columns
are text comes from the contracts, so a new text column is planted without
touching this file:

* ``trygghet.sources.free_text.FREE_TEXT`` (source -> columns), when it exists;
* and always the columns the templates (``ColumnHelp``) call ``text`` or
  ``freetext`` and whose pandera schema does not fix their format (no
  ``isin``/``str_matches`` check: a postal code is a format, not free text).

The union of both is planted. Hobit has no template: its extracts have Swedish
headers that vary (``hobit.HEADERS``), and :func:`plant_hobit` plants its
``FREE_TEXT`` columns. Public sources without a template (Brå, Kolada,
Polisen) are read from other raw shapes; :data:`PUBLIC_TEXT` says which raw field
holds each of their text columns (``FREE_TEXT`` calls some of them published
labels, not free text: they are planted all the same, since they reach the page).
Whether every string column of a schema is classified is ``free_text``'s own test.

Every planted value carries a tag (``kq07``) naming its column, so that a leak
found in an output can be traced back to the column it was planted in.
"""

from __future__ import annotations

import csv
import gzip
import html
import importlib
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

# --------------------------------------------------------------------------- what is planted

PERSON_NAME = "Anna Svensson"
PERSONAL_DATA: tuple[str, ...] = (
    "19850101-1234",
    "850101 1234",
    "070-123 45 67",
    "+46 70 123 45 67",
    "anna.svensson@example.se",
    "ABC 123",
    "Anna Svensson, Storgatan 12",
    "712 34 Hällefors",
)
PAYLOADS: tuple[str, ...] = (
    "<script>window.__planted=1</script>",
    "<img src=x onerror=alert(1)>",
    "{{'zq'~'xj'}}",
    "{% if 1 %}KXQ{% endif %}",
    "${'a'+'b'}",
    "$\\alpha$",
)
PLANTS: tuple[str, ...] = PERSONAL_DATA + PAYLOADS
TEMPLATE_PROBE = "{{'zq'~'xj'}}"

#: Each planted personal datum, in every spelling it could come back in.
PERSONAL_PATTERNS: dict[str, re.Pattern[str]] = {
    "personnummer": re.compile(r"(?<!\d)(?:19)?850101[-+ ]?1234(?!\d)"),
    "telefon": re.compile(r"(?<!\d)(?:\+?46[- ]?|0)70[- ]?123[- ]?45[- ]?67(?!\d)"),
    "e-post": re.compile(r"anna\.svensson@example\.se", re.IGNORECASE),
    "regnr": re.compile(r"(?<![A-Za-z])ABC[- ]?123(?!\d)"),
    "gatuadress": re.compile(r"Storgatan\s*12(?!\d)"),
    "postnummer": re.compile(r"(?<![\d ])712[ \u00a0]?34(?!\d)"),
}
#: The name planted whole in responsible columns; ``Anna Svensson,`` is the
#: name-with-address datum (a name cannot be scrubbed, its address can).
NAME_PATTERN = re.compile(r"Anna Svensson(?!,)")
#: Markup that a browser would run, found in a context a browser parses as HTML.
RAW_MARKUP: dict[str, re.Pattern[str]] = {
    "<script>": re.compile(r"<script>\s*window\.__planted", re.IGNORECASE),
    "<img src=x": re.compile(r"<img\s+src=x", re.IGNORECASE),
}
#: A template probe that was evaluated: "zq"~"xj" joined, or KXQ without its tags.
EVALUATED: dict[str, re.Pattern[str]] = {
    "{{'zq'~'xj'}} evaluated": re.compile(r"zqxj"),
    "{% if %}KXQ evaluated": re.compile(r"(?<!%\})KXQ"),
}
#: Mathtext in a chart label: ``$\alpha$`` with unescaped dollars becomes α.
MATHTEXT = re.compile(r"(?<!\\)\$\\alpha(?<!\\)\$")

TAG = re.compile(r"kq(\d\d)")

# --------------------------------------------------------------------------- which columns

#: Planted columns of the sources without a template: processed name -> raw field.
#: FREE_TEXT calls Brå's, Kolada's and the police's type labels published
#: statistics, not free text; they are planted all the same (they reach the page).
PUBLIC_TEXT: dict[str, dict[str, str]] = {
    "bra_crime": {"crime_label": "brottstyp"},
    "kolada": {"status": "status"},
    "kolada_groups": {"group_title": "title", "kommun_name": "members.title"},
    "polisen_events": {"title": "name", "summary": "summary", "type": "type"},
}
#: Free-text columns that cannot be planted without making the file invalid, and why.
UNPLANTABLE: dict[str, str] = {
    "polisen_events.location_name": "the reader resolves the kommun from it: a planted "
    "name is an unknown place and the event is rejected",
    "dialogues.area": "ingest checks it against the kommun's configured areas (or 'hela "
    "kommunen'): a planted name is an unknown area and the dialogue is rejected",
}
#: Rows of the walk map: the template probe goes into every proposed measure of a
#: walk point with coordinates in the report's period, so that the browser test
#: finds it in a tooltip whatever else the page shows.
BROWSER_TARGET = ("safety_walks", "proposed_measure", "walk_date")

#: Rows that share one planted value per column (over any min_count of the config).
CLUSTER_MIN = 12

#: Column kinds of a template that are free to type in.
TEXT_KINDS = ("text", "freetext")
#: Columns that name an organisation; a person's name there shows as "annan ansvarig".
RESPONSIBLE_COLUMNS = ("responsible",)


def free_text_contract() -> dict[str, tuple[str, ...]] | None:
    """``FREE_TEXT`` of ``trygghet.sources.free_text`` when that module exists."""
    try:
        module = importlib.import_module("trygghet.sources.free_text")
    except ModuleNotFoundError:
        return None
    return {k: tuple(v) for k, v in module.FREE_TEXT.items()}


def _format_checked(schema, column: str) -> bool:  # noqa: ANN001
    """The schema fixes the column's values (a list or a pattern): not free text."""
    col = schema.columns.get(column)
    if col is None:
        return False
    names = {getattr(check, "name", "") for check in col.checks}
    return bool(names & {"isin", "str_matches", "str_length"})


def _schemas() -> dict[str, object]:
    from trygghet.sources import (
        bra_crime,
        dialogues,
        est_reports,
        hobit,
        kolada,
        polisen,
        resident_reports,
        safety_walks,
        survey,
        victim_contacts,
    )

    return {
        "dialogues": dialogues.SCHEMA,
        "dialogue_proposals": dialogues.PROPOSALS_SCHEMA,
        "hobit": hobit.SCHEMA,
        "safety_walks": safety_walks.SCHEMA,
        "est_reports": est_reports.SCHEMA,
        "est_measures": est_reports.MEASURES_SCHEMA,
        "resident_reports": resident_reports.SCHEMA,
        "victim_contacts": victim_contacts.SCHEMA,
        "survey": survey.SCHEMA,
        "bra_crime": bra_crime.SCHEMA,
        "kolada": kolada.SCHEMA,
        "kolada_groups": kolada.GROUP_SCHEMA,
        "polisen_events": polisen.schema(),
    }


def derived_text_columns() -> dict[str, tuple[str, ...]]:
    """Free-text columns of every templated source, from its column help and schema."""
    from trygghet.sources.templates import all_templates

    schemas = _schemas()
    out: dict[str, tuple[str, ...]] = {}
    for template in all_templates():
        schema = schemas.get(template.source)
        out[template.source] = tuple(
            c
            for c in template.columns
            if template.column_help[c].kind in TEXT_KINDS
            and not (schema is not None and _format_checked(schema, c))
        )
    return out


def planted_columns() -> dict[str, tuple[str, ...]]:
    """What is planted: the templates' text columns, the public ones, and FREE_TEXT's."""
    columns = {k: list(v) for k, v in derived_text_columns().items()}
    for source, fields in PUBLIC_TEXT.items():
        columns.setdefault(source, []).extend(fields)
    for source, cols in (free_text_contract() or {}).items():
        columns.setdefault(source, []).extend(cols)
    return {k: tuple(dict.fromkeys(v)) for k, v in columns.items() if v}


# --------------------------------------------------------------------------- planting


@dataclass(frozen=True)
class Plant:
    """One planted cell: which column, which payload, the tag that comes with it."""

    source: str
    column: str
    payload: str
    tag: str
    row: int  # data row (0-based) or record index


class Planter:
    """Tags columns and records every plant."""

    def __init__(self) -> None:
        self.tags: dict[str, str] = {}  # "source.column" -> "kq07"
        self.plants: list[Plant] = []

    def tag(self, source: str, column: str) -> str:
        key = f"{source}.{column}"
        if key not in self.tags:
            self.tags[key] = f"kq{len(self.tags) + 1:02d}"
        return self.tags[key]

    def column_of(self, tag: str) -> str:
        return next((k for k, v in self.tags.items() if v == tag), "?")

    def value(self, source: str, column: str, original: str | None, i: int, row: int) -> str:
        """Plant number ``i``: alone (even i) or after the original text (odd i), tagged."""
        payload = PLANTS[i % len(PLANTS)]
        tag = self.tag(source, column)
        self.plants.append(Plant(source, column, payload, tag, row))
        if i % 2 == 1 and original:
            return f"{original} {payload} {tag}"
        return f"{payload} {tag}"


def spread(n: int, k: int, offset: int = 0) -> list[int]:
    """``k`` row numbers spread over ``n`` rows, shifted per column so columns differ."""
    k = min(k, n)
    step = n / k if k else 1
    return sorted({(int(i * step) + offset) % n for i in range(k)})


def _read_csv(path: Path) -> tuple[str, list[list[str]], str]:
    text = path.read_bytes().decode("utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text.removeprefix("\ufeff")
    sep = ";" if text.splitlines()[0].count(";") >= text.splitlines()[0].count(",") else ","
    return bom, list(csv.reader(io.StringIO(text), delimiter=sep)), sep


def _write_csv(path: Path, bom: str, rows: list[list[str]], sep: str) -> None:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\n").writerows(rows)
    path.write_bytes((bom + out.getvalue()).encode("utf-8"))


def _id_columns(columns: Iterable[str]) -> list[str]:
    return [c for c in columns if c.endswith("_id")]


@dataclass
class Table:
    """One raw table of a templated source, open for planting."""

    source: str
    header: list[str]
    rows: list[list[str]]
    write: object  # (header, rows) -> None

    def col(self, name: str) -> int:
        return self.header.index(name)


def open_table(source: str, path: Path) -> Table:
    header, rows, write = _open_table(path)
    return Table(source, header, rows, write)


def _groups(table: Table) -> dict[int, list[int]]:
    """Rows that belong together (same value of the table's first ``*_id`` column).

    A walk's rows must agree on walk-level columns (date, area): a plant in one
    row is made in every row of its group that held the same value.
    """
    ids = _id_columns(table.header)
    if not ids:
        return {r: [r] for r in range(len(table.rows))}
    key = table.col(ids[0])
    members: dict[str, list[int]] = {}
    for r, row in enumerate(table.rows):
        members.setdefault(row[key], []).append(r)
    return {r: members[row[key]] for r, row in enumerate(table.rows)}


def plant_columns(planter: Planter, table: Table, columns: tuple[str, ...]) -> None:
    """Plant every text column that is not an identifier; responsible ones also get a name."""
    groups = _groups(table)
    present = [
        c
        for c in columns
        if c in table.header and not c.endswith("_id") and f"{table.source}.{c}" not in UNPLANTABLE
    ]
    for number, column in enumerate(present):
        col = table.col(column)
        chosen = spread(len(table.rows), len(PLANTS), offset=3 * number + 1)
        for i, r in enumerate(chosen):
            original = table.rows[r][col]
            value = planter.value(table.source, column, original, i, r)
            for other in groups[r]:
                if table.rows[other][col] == original:
                    table.rows[other][col] = value
        # One value recurring in many rows passes the small-number rule and the
        # "most common" lists, where a value planted once would stay hidden.
        tag = planter.tag(table.source, column)
        common = PERSON_NAME if column in RESPONSIBLE_COLUMNS else f"{' '.join(PLANTS)} {tag}"
        k = max(CLUSTER_MIN, len(table.rows) // 30)
        for r in spread(len(table.rows), k, offset=3 * number + 2):
            if r in chosen:
                continue
            original = table.rows[r][col]
            for other in groups[r]:
                if table.rows[other][col] == original:
                    table.rows[other][col] = common
            planter.plants.append(Plant(table.source, column, common, tag, r))


def plant_ids(
    planter: Planter, table: Table, columns: tuple[str, ...], ids: dict[str, str]
) -> None:
    """New names for some values of the table's own identifier (its first ``*_id`` column).

    Collected in ``ids`` (old -> new, shared by every file of the kommun) and
    applied by :func:`apply_ids` to every ``*_id`` column once all are known, so a
    walk's rows, a follow-up's reference and an EST report's measure still match.
    """
    own = _id_columns(table.header)[:1]
    for column in (c for c in own if c in columns):
        values = list(dict.fromkeys(row[table.col(column)] for row in table.rows))
        values = [v for v in values if v and v not in ids]
        for i, r in enumerate(spread(len(values), min(len(PLANTS), len(values) // 3 or 1))):
            ids[values[r]] = planter.value(table.source, column, values[r], 2 * i + 1, r)


def apply_ids(planter: Planter, table: Table, ids: dict[str, str]) -> None:
    """Rename the planted ids in every ``*_id`` column; a reference renamed is planted too."""
    for column in _id_columns(table.header):
        col = table.col(column)
        for r, row in enumerate(table.rows):
            new = renamed_id(row[col], ids)
            if new is None:
                continue
            row[col] = new
            if f"{table.source}.{column}" not in planter.tags:  # a reference, e.g. measure_id
                for payload in PLANTS:
                    if payload in new:
                        planter.plants.append(Plant(table.source, column, payload, "", r))


def renamed_id(value: str, ids: dict[str, str]) -> str | None:
    """The planted name of ``value``, or ``None`` when it keeps its name.

    A reference to a safety-walk observation is written ``<walk_id>/<point_no>``
    (``dialogues.walk_point_id``, a proposal's ``measure_id``): it follows its
    walk's new name, so the link still holds.
    """
    if value in ids:
        return ids[value]
    walk, slash, point = value.rpartition("/")
    if slash and point.isdigit() and walk in ids:
        return f"{ids[walk]}/{point}"
    return None


def plant_browser_target(planter: Planter, table: Table, period: str) -> None:
    """The template probe in every proposed measure of the period's mapped walk points."""
    source, column, date = BROWSER_TARGET
    if table.source != source:
        return
    col, when = table.col(column), table.col(date)
    lat = table.col("lat")
    for r, row in enumerate(table.rows):
        if row[when].startswith(period) and row[lat]:
            tag = planter.tag(source, column)
            row[col] = f"{row[col]} {TEMPLATE_PROBE} {tag}".strip()
            planter.plants.append(Plant(source, column, TEMPLATE_PROBE, tag, r))


def _open_table(path: Path):  # noqa: ANN202 - (header, rows, writer)
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path)
        sheet = workbook.worksheets[0]
        values = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
        header, rows = values[0], values[1:]

        def write(header: list[str], rows: list[list[str]]) -> None:
            for r, row in enumerate(rows, start=2):
                for c, value in enumerate(row, start=1):
                    if sheet.cell(row=r, column=c).value not in (None, "") or value:
                        cell = sheet.cell(row=r, column=c)
                        if str(cell.value) != value:
                            cell.value = value
            workbook.save(path)

        return header, rows, write
    bom, table, sep = _read_csv(path)
    return table[0], table[1:], lambda header, rows: _write_csv(path, bom, [header, *rows], sep)


def plant_hobit(planter: Planter, folder: Path) -> None:
    """The Hobit extracts (``hobit*.csv``, Swedish headers): crime labels and place texts.

    The label decides the category by keywords (``hobit.LABEL_RULES``), so plants
    are appended to it, never put in its place: some labels are renamed in every
    row of every extract (one planted label recurs in many rows, as a real one
    does), one more gets every plant at once. The place text is planted like a
    template's free text: alone or after the original, plus one value in many rows.
    """
    from trygghet.sources import hobit

    files = []
    for path in sorted(folder.glob("hobit*.csv")):
        bom, rows, sep = _read_csv(path)
        files.append((path, bom, rows, sep, hobit.resolve_headers(path, rows[0])))
    assert files, f"no Hobit extract in {folder}"
    source = "hobit"

    # crime_label: rename whole labels (all their rows), always appended.
    labels = list(
        dict.fromkeys(
            row[rows[0].index(cols["crime_label"])]
            for _, _, rows, _, cols in files
            for row in rows[1:]
        )  # fmt: skip
    )
    chosen = spread(len(labels), len(PLANTS) + 1, offset=1)
    renamed = {
        labels[r]: planter.value(source, "crime_label", labels[r], 2 * i + 1, r)
        for i, r in enumerate(chosen[:-1])
    }
    tag = planter.tag(source, "crime_label")
    common = labels[chosen[-1]]
    renamed[common] = f"{common} {' '.join(PLANTS)} {tag}"
    for payload in PLANTS:
        planter.plants.append(Plant(source, "crime_label", payload, tag, chosen[-1]))
    for _, _, rows, _, cols in files:
        col = rows[0].index(cols["crime_label"])
        for row in rows[1:]:
            row[col] = renamed.get(row[col], row[col])

    # place: every extract's rows taken together.
    cells = [
        (rows, rows[0].index(cols["place"]), r)
        for _, _, rows, _, cols in files
        if "place" in cols
        for r in range(1, len(rows))
    ]
    assert cells, "the Hobit extracts have no place column (Plats/Adress …)"
    chosen = spread(len(cells), len(PLANTS), offset=2)
    for i, n in enumerate(chosen):
        rows, col, r = cells[n]
        rows[r][col] = planter.value(source, "place", rows[r][col], i, n)
    tag = planter.tag(source, "place")
    common = f"{' '.join(PLANTS)} {tag}"
    for n in spread(len(cells), max(CLUSTER_MIN, len(cells) // 30), offset=5):
        if n in chosen:
            continue
        rows, col, r = cells[n]
        rows[r][col] = common
        planter.plants.append(Plant(source, "place", common, tag, n))

    for path, bom, rows, sep, _ in files:
        _write_csv(path, bom, rows, sep)


def plant_bra(planter: Planter, folder: Path) -> None:
    """Brå's long export: rename some crime types (all their rows) to a planted label."""
    path = folder / "bra_brottstyp.csv"
    bom, rows, sep = _read_csv(path)
    col = rows[0].index("brottstyp")
    labels = [v for v in dict.fromkeys(r[col] for r in rows[1:]) if "samtliga" not in v.lower()]
    renamed = {  # appended (odd i): the label keeps the words that give its category
        labels[r]: planter.value("bra_crime", "crime_label", labels[r], 2 * i + 1, r)
        for i, r in enumerate(spread(len(labels), len(PLANTS), offset=1))
    }
    for row in rows[1:]:
        row[col] = renamed.get(row[col], row[col])
    _write_csv(path, bom, rows, sep)


def plant_kolada(planter: Planter, folder: Path) -> None:
    """Kolada's KPI values (status texts) and kommun groups (group and member titles)."""
    path = folder / "kolada_brott.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    cells = [cell for entry in data["values"] for cell in entry["values"]]
    for i, r in enumerate(spread(len(cells), len(PLANTS), offset=2)):
        cells[r]["status"] = planter.value("kolada", "status", cells[r].get("status"), i, r)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    path = folder / "kolada_kommungrupper.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for i, group in enumerate(data["values"]):
        group["title"] = planter.value("kolada_groups", "group_title", group["title"], 2 * i + 1, i)
    members = [m for group in data["values"] for m in group["members"]]
    for i, r in enumerate(spread(len(members), len(PLANTS), offset=5)):
        members[r]["title"] = planter.value(
            "kolada_groups", "kommun_name", members[r]["title"], 2 * i + 1, r
        )
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def plant_police(planter: Planter, archive: Path, kommun_name: str) -> None:
    """The police events archive (JSON lines, gzip): the text fields of some of the kommun's events."""
    lines = gzip.decompress(archive.read_bytes()).decode("utf-8").splitlines()
    events = [json.loads(line) for line in lines if line.strip()]
    local = [i for i, e in enumerate(events) if e["location"]["name"] == kommun_name]
    for number, (column, field) in enumerate(PUBLIC_TEXT["polisen_events"].items()):
        for i, r in enumerate(spread(len(local), len(PLANTS), offset=4 * number + 1)):
            event = events[local[r]]
            event[field] = planter.value("polisen_events", column, event[field], i, r)
    text = "\n".join(json.dumps(e, ensure_ascii=False) for e in events) + "\n"
    archive.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


# --------------------------------------------------------------------------- finding


@dataclass(frozen=True)
class Finding:
    what: str  # e.g. "personnummer", "<script>"
    file: str  # relative to the outputs folder
    where: str  # cell/output/mime, or "html"
    context: str
    column: str  # the planted column its tag names, or "?"

    def line(self) -> str:
        return f"[{self.column}] {self.what} in {self.file} ({self.where}): …{self.context}…"


_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_SRCDOC = re.compile(r'srcdoc="([^"]*)"', re.DOTALL)
_BASE64 = re.compile(r"base64,[A-Za-z0-9+/=\s]{40,}")


def decoded(text: str) -> str:
    """Undo HTML entities and ``\\uXXXX`` escapes until nothing changes (nested iframes)."""
    for _ in range(5):
        new = html.unescape(_UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text))
        if new == text:
            break
        text = new
    return text


def html_layers(text: str) -> Iterator[tuple[str, str]]:
    """The document, and each iframe's srcdoc document as its browser parses it."""
    yield "html", text
    for n, match in enumerate(_SRCDOC.finditer(text)):
        for where, inner in html_layers(html.unescape(match.group(1))):
            yield f"iframe {n} > {where}", inner


def _context(text: str, start: int, end: int, width: int = 90) -> str:
    return text[max(0, start - width) : end + width].replace("\n", " ")


def _column(planter: Planter, text: str, start: int, end: int) -> str:
    window = text[max(0, start - 300) : end + 300]
    tags = sorted({planter.column_of(m.group(0)) for m in TAG.finditer(window)})
    return ", ".join(tags) or "?"


def scan(planter: Planter, rel: str, where: str, text: str, patterns, out: list) -> None:  # noqa: ANN001
    for what, pattern in patterns.items():
        for m in pattern.finditer(text):
            out.append(
                Finding(
                    what,
                    rel,
                    where,
                    _context(text, m.start(), m.end()),
                    _column(planter, text, m.start(), m.end()),
                )
            )


def notebook_strings(nb: dict) -> Iterator[tuple[str, str, bool]]:
    """(where, text, parsed as HTML) for every string of an executed notebook."""
    html_mimes = ("text/html", "image/svg+xml", "application/javascript", "text/markdown")
    for n, cell in enumerate(nb.get("cells", [])):
        source = "".join(cell.get("source", ""))
        yield f"cell {n} source", source, cell.get("cell_type") == "markdown"
        for o, output in enumerate(cell.get("outputs", [])):
            for mime, data in (output.get("data") or {}).items():
                if mime.startswith("image/") and mime != "image/svg+xml":
                    continue
                value = "".join(data) if isinstance(data, list) else data
                if not isinstance(value, str):
                    value = json.dumps(value, ensure_ascii=False)
                yield f"cell {n} output {o} {mime}", value, mime in html_mimes
            for key in ("text", "traceback", "evalue"):
                if key in output:
                    value = output[key]
                    yield (
                        f"cell {n} output {o} {key}",
                        "".join(value) if isinstance(value, list) else str(value),
                        False,
                    )
            meta = output.get("metadata") or {}
            if meta:
                yield f"cell {n} output {o} metadata", json.dumps(meta, ensure_ascii=False), False
    yield "notebook metadata", json.dumps(nb.get("metadata", {}), ensure_ascii=False), False


def views_strings(views: dict) -> Iterator[tuple[str, str, bool]]:
    """(where, text, parsed as HTML) of a report's published views (``<report>.views.json``).

    Read like a notebook's outputs, which they are: a chart image is bytes (skipped),
    a map or caption is HTML, a narrative is text.
    """
    for key, view in views.items():
        if "missing" in view:
            yield f"view {key} missing", str(view["missing"]), False
        for n, item in enumerate(view.get("items", [])):
            if "html" in item:
                yield f"view {key} item {n} text/html", item["html"], True
            elif "text" in item:
                yield f"view {key} item {n} text", item["text"], False


def file_texts(path: Path) -> Iterator[tuple[str, str, bool]]:
    """(where, text, parsed as HTML) of one output file."""
    if path.suffix == ".ipynb":
        yield from notebook_strings(json.loads(path.read_text(encoding="utf-8")))
    elif path.name.endswith(".views.json"):
        yield from views_strings(json.loads(path.read_text(encoding="utf-8")))
    elif path.suffix in (".html", ".htm", ".svg"):
        yield "html", path.read_text(encoding="utf-8"), True
    elif path.suffix in (".json", ".csv", ".txt", ".md", ".js", ".css"):
        yield "text", path.read_text(encoding="utf-8"), False


def scan_outputs(planter: Planter, root: Path) -> dict[str, list[Finding]]:
    """Every finding in every file under ``root``, by check: personal, name, markup, evaluated."""
    found: dict[str, list[Finding]] = {"personal": [], "name": [], "markup": [], "evaluated": []}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = str(path.relative_to(root))
        for where, text, is_html in file_texts(path):
            text = _BASE64.sub("base64,…", text)  # embedded images: their bytes are no text
            plain = decoded(text)
            scan(planter, rel, where, plain, PERSONAL_PATTERNS, found["personal"])
            scan(planter, rel, where, plain, {"Anna Svensson": NAME_PATTERN}, found["name"])
            scan(planter, rel, where, plain, EVALUATED, found["evaluated"])
            if is_html:
                for layer, doc in html_layers(text):
                    scan(planter, rel, f"{where} > {layer}", doc, RAW_MARKUP, found["markup"])
            elif path.suffix == ".json":
                scan(planter, rel, where, text, RAW_MARKUP, found["markup"])
    return found


def tags_in_outputs(root: Path) -> set[str]:
    """The tags of planted values that reached some output file (escaped or not)."""
    found: set[str] = set()
    for path in (p for p in root.rglob("*") if p.is_file()):
        for _, text, _ in file_texts(path):
            found.update(m.group(0) for m in TAG.finditer(_BASE64.sub("", text)))
    return found


def scan_chart_texts(planter: Planter, log: Path) -> dict[str, list[Finding]]:
    """The text objects of every figure drawn in the run (see :data:`FIGURE_HOOK`)."""
    found: dict[str, list[Finding]] = {"personal": [], "name": [], "mathtext": []}
    seen: set[tuple[str, str]] = set()
    for line in log.read_text(encoding="utf-8").splitlines() if log.is_file() else []:
        record = json.loads(line)
        where = f"figure drawn in cell: {record['cell'].strip().splitlines()[0][:70]!r}"
        for text in record["texts"]:
            if (where, text) in seen:
                continue
            seen.add((where, text))
            scan(planter, "chart", where, text, PERSONAL_PATTERNS, found["personal"])
            scan(planter, "chart", where, text, {"Anna Svensson": NAME_PATTERN}, found["name"])
            scan(
                planter,
                "chart",
                where,
                text,
                {"$\\alpha$ as mathtext": MATHTEXT},
                found["mathtext"],
            )
    return found


#: Imported by an IPython startup file in the kernels of the run: every figure the
#: inline backend or ``savefig`` renders has its text objects appended to the log.
FIGURE_HOOK = '''
"""Record the text objects of every rendered figure (planted-data test)."""
import json
import os

from IPython import get_ipython
from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.text import Text

_LOG = os.environ["PLANTED_FIGURE_LOG"]
_ORIGINAL = FigureCanvasBase.print_figure
_CELL = {"source": ""}


def _pre_run_cell(info):
    _CELL["source"] = info.raw_cell or ""


def _print_figure(self, *args, **kwargs):
    texts = [t.get_text() for t in self.figure.findobj(Text) if t.get_text()]
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps({"cell": _CELL["source"][:300], "texts": texts}, ensure_ascii=False) + "\\n")
    return _ORIGINAL(self, *args, **kwargs)


FigureCanvasBase.print_figure = _print_figure
get_ipython().events.register("pre_run_cell", _pre_run_cell)
'''


def install_figure_hook(ipython_dir: Path, module_dir: Path) -> None:
    """An IPython profile whose startup file imports the hook (a module survives ``%reset``)."""
    module_dir.mkdir(parents=True, exist_ok=True)
    (module_dir / "planted_figure_hook.py").write_text(FIGURE_HOOK, encoding="utf-8")
    startup = ipython_dir / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-planted.py").write_text(
        f"import sys\nsys.path.insert(0, {str(module_dir)!r})\nimport planted_figure_hook\n",
        encoding="utf-8",
    )
