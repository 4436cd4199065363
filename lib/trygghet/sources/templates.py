"""Excel templates for the kommun's own data (``trygghet mallar``).

Staff who keep safety-walk protocols, EST reports, residents' reports, the
victim-contact log or survey answers fill in Excel, not ``;``-separated text.
Each source module declares its template (:class:`Template`): the columns in
the reader's own order, a Swedish description of every column
(:class:`ColumnHelp`, the one place those descriptions live), the allowed
values as the module's own vocabularies, and the rules between columns. This
module turns a declaration into a workbook:

* the data sheet (named as the template says): bold, frozen headers on row 1;
  one example row on row 2, whose first cell is
  :data:`~trygghet.sources.tabular.EXAMPLE_MARK` (``EXEMPEL``), so the reader
  skips it (a filled-in template may keep it); drop-down lists for every
  controlled column (a hidden sheet ``Listor`` holds the values; a value not
  in the list is refused, with a Swedish message), the kommun's areas for area
  columns (a name not in the list gives a warning, not a refusal: the list in
  the configuration may be incomplete); date columns formatted as dates, text
  columns as text (so Excel does not turn ``712 31`` or ``1-2`` into something
  else); a short help text when a cell is selected;
* ``Instruktioner``: what the file is for, how to fill it in and save it, the
  privacy rule for free text, the rules between columns and one line per
  column (name, meaning, allowed values or format, required or not).

A template cannot drift from its reader: :class:`Template` refuses a column
list that differs from the reader's or a column without a description, and
the tests fill in every template and read it back with the reader.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from trygghet import atomic
from trygghet.sources.tabular import EXAMPLE_MARK

#: What a column holds; decides its format, its drop-down and the instructions' wording.
KINDS = (
    "text",  # short text (ids, places, owners)
    "freetext",  # free text: scrubbed by the reader, privacy rule shown
    "date",
    "datetime",
    "int",
    "float",
    "bool",  # ja/nej
    "category",  # one of ``allowed``
    "categories",  # one or more of ``allowed``, separated by | (a warning, not a refusal)
    "week",  # ISO week 2025-W07
    "area",  # one of the kommun's areas (a warning, not a refusal, for others)
)

INSTRUCTIONS_SHEET = "Instruktioner"
LISTS_SHEET = "Listor"
LAST_ROW = 1_048_576  # drop-downs and formats cover the whole column

_DATE_FORMAT = "yyyy-mm-dd"
_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
_TEXT_FORMAT = "@"
PRIVACY_RULE = (
    "Skriv aldrig namn, personnummer, telefonnummer, e-postadresser eller "
    "registreringsnummer i fritextfälten. Beskriv platsen och problemet, inte personerna."
)


@dataclass(frozen=True)
class ColumnHelp:
    """One raw column as staff see it: what it holds and how to fill it in (Swedish).

    ``required`` means the reader refuses an empty cell. ``allowed`` is the
    source's own vocabulary (for ``category``, and for ``int`` columns with
    fixed values). ``example`` is the example row's cell, written as the CSV
    export would hold it (dates ISO 8601); ``note`` is added to the format
    line (a condition such as "krävs när status är åtgärdad").
    """

    kind: str
    meaning: str
    required: bool = False
    allowed: tuple[object, ...] = ()
    example: str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")
        if self.kind in ("category", "categories") and not self.allowed:
            raise ValueError("a category column needs its allowed values")


@dataclass(frozen=True)
class Template:
    """The Excel template of one raw file, declared by the source module that reads it."""

    source: str  # the processed table it becomes
    file: str  # the name ingest looks for, e.g. trygghetsvandringar.xlsx
    sheet: str  # the data sheet's name, e.g. Trygghetsvandringar
    title: str  # Swedish, e.g. "Protokoll från trygghetsvandringar"
    purpose: str  # Swedish: what the file is for
    row: str  # Swedish: what one row is, e.g. "observation (punkt) på vandringen"
    columns: tuple[str, ...]  # the reader's columns, in its order
    column_help: Mapping[str, ColumnHelp]
    rules: tuple[str, ...] = ()  # Swedish: rules between columns and rows
    notes: tuple[str, ...] = ()  # Swedish: anything else staff must know

    def __post_init__(self) -> None:
        missing = [c for c in self.columns if c not in self.column_help]
        extra = [c for c in self.column_help if c not in self.columns]
        if missing or extra:
            raise ValueError(
                f"template {self.file}: columns without help {missing}, help without column {extra}"
            )
        if not self.file.endswith(".xlsx"):
            raise ValueError(f"template file {self.file!r} must end with .xlsx")
        if len(self.sheet) > 31 or any(c in self.sheet for c in "[]:*?/\\"):
            raise ValueError(f"{self.sheet!r} is not a valid sheet name")


#: The modules that declare templates, and the names of their declarations, in CLI order.
_DECLARATIONS = (
    ("trygghet.sources.safety_walks", "TEMPLATE"),
    ("trygghet.sources.est_reports", "TEMPLATE"),
    ("trygghet.sources.est_reports", "MEASURES_TEMPLATE"),
    ("trygghet.sources.resident_reports", "TEMPLATE"),
    ("trygghet.sources.victim_contacts", "TEMPLATE"),
    ("trygghet.sources.survey", "TEMPLATE"),
    ("trygghet.sources.dialogues", "TEMPLATE"),
    ("trygghet.sources.dialogues", "PROPOSALS_TEMPLATE"),
)


def all_templates() -> tuple[Template, ...]:
    """Every source's template (the source modules import this module, so not at import)."""
    return tuple(getattr(importlib.import_module(module), name) for module, name in _DECLARATIONS)


# --------------------------------------------------------------------------- wording


def allowed_values(info: ColumnHelp, areas: Sequence[str] = ()) -> list[object]:
    """The drop-down list of a column (empty: no list)."""
    if info.kind == "bool":
        return ["ja", "nej"]
    if info.kind == "area":
        return list(areas)
    return list(info.allowed)


def format_text(info: ColumnHelp, areas: Sequence[str] = ()) -> str:
    """The instructions' "allowed values or format" for a column, in Swedish."""
    values = ", ".join(str(v) for v in allowed_values(info, areas))
    text = {
        "text": "text",
        "freetext": "fritext; skriv inga namn, personnummer, telefonnummer eller e-postadresser",
        "date": "datum ÅÅÅÅ-MM-DD",
        "datetime": "datum och tid ÅÅÅÅ-MM-DD TT:MM",
        "int": f"ett av: {values} (lista i cellen)" if info.allowed else "heltal",
        "float": "tal (decimalkomma eller decimalpunkt)",
        "bool": "ja eller nej (lista i cellen)",
        "category": f"ett av: {values} (lista i cellen)",
        "categories": f"ett eller flera av: {values}, åtskilda med | (lista i cellen för ett "
        "värde; flera går, men Excel varnar)",
        "week": "ISO-vecka ÅÅÅÅ-Www",
        "area": (
            f"ett av kommunens områden: {values} (lista i cellen; ett annat namn går, "
            "men Excel varnar)"
            if values
            else "områdets namn"
        ),
    }[info.kind]
    if info.example and info.kind in ("text", "week", "float", "int") and not info.allowed:
        text += f", t.ex. {info.example}"
    return f"{text}; {info.note}" if info.note else text


def example_value(info: ColumnHelp, areas: Sequence[str] = ()) -> object:
    """The example row's cell as Excel should hold it (a date as a date, a number as a number)."""
    if info.kind == "area" and areas:
        return areas[0]
    value = info.example
    if value is None or value == "":
        return None
    if info.kind == "date":
        return dt.date.fromisoformat(value)
    if info.kind == "datetime":
        return dt.datetime.fromisoformat(value)
    if info.kind == "int":
        return int(value)
    if info.kind == "float":
        return float(value.replace(",", "."))
    return value


# --------------------------------------------------------------------------- workbook


def build_workbook(
    template: Template, *, areas: Sequence[str] = (), kommun: str = "", raw_folder: str = ""
):  # noqa: ANN201 - an openpyxl Workbook
    """The template as an openpyxl workbook: data sheet, instructions, hidden lists.

    ``areas`` are the kommun's area names (the drop-down of area columns);
    ``kommun`` ("Hällefors (1863)") and ``raw_folder`` ("data/raw/1863/") are
    named in the instructions.
    """
    from openpyxl import Workbook

    workbook = Workbook()
    data = workbook.active
    data.title = template.sheet
    instructions = workbook.create_sheet(INSTRUCTIONS_SHEET)
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    _fill_data_sheet(template, data, lists, list(areas))
    _fill_instructions(template, instructions, list(areas), kommun, raw_folder)
    workbook.active = workbook.index(instructions)
    return workbook


def _fill_data_sheet(template: Template, data, lists, areas: list[str]) -> None:  # noqa: ANN001
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDDDDD")
    example_font = Font(italic=True, color="666666")
    example_fill = PatternFill("solid", fgColor="FFF4CC")
    list_column = 0
    for number, name in enumerate(template.columns, start=1):
        info = template.column_help[name]
        letter = get_column_letter(number)
        head = data.cell(row=1, column=number, value=name)
        head.font, head.fill = header_font, header_fill
        head.alignment = Alignment(vertical="top")
        value = EXAMPLE_MARK if number == 1 else example_value(info, areas)
        cell = data.cell(row=2, column=number, value=value)
        cell.font, cell.fill = example_font, example_fill
        number_format = {
            "date": _DATE_FORMAT,
            "datetime": _DATETIME_FORMAT,
            "int": "General",
            "float": "General",
        }.get(info.kind, _TEXT_FORMAT)
        cell.number_format = number_format
        dimension = data.column_dimensions[letter]
        dimension.number_format = number_format
        shown = max(len(name), len(str(value or "")), 10 if info.kind == "date" else 0)
        dimension.width = min(max(shown + 3, 12), 45)
        cells = f"{letter}2:{letter}{LAST_ROW}"
        values = allowed_values(info, areas)
        if values:
            list_column += 1
            list_letter = get_column_letter(list_column)
            lists.cell(row=1, column=list_column, value=name)
            for row, allowed in enumerate(values, start=2):
                lists.cell(row=row, column=list_column, value=allowed)
            is_area = info.kind == "area"
            # Several values in one cell are not in the list: warn, let the reader check them.
            several = info.kind == "categories"
            validation = DataValidation(
                type="list",
                formula1=f"{LISTS_SHEET}!${list_letter}$2:${list_letter}${len(values) + 1}",
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="warning" if is_area or several else "stop",
                errorTitle="Okänt område" if is_area else "Ogiltigt värde",
                error=(
                    f"Området finns inte i kommunens lista i kolumnen {name}. Använd det ändå?"
                    if is_area
                    else f"Välj ett av värdena i listan för {name}"
                    + (", eller skriv flera åtskilda med |. " if several else ". ")
                    + f"De tillåtna värdena står på bladet {INSTRUCTIONS_SHEET}."
                    + (" Använd värdet ändå?" if several else "")
                )[:255],
            )
        else:
            validation = DataValidation(allow_blank=True)
        validation.showInputMessage = True
        validation.promptTitle = name[:32]
        validation.prompt = f"{info.meaning} Format: {format_text(info, areas)}."[:255]
        validation.add(cells)
        data.add_data_validation(validation)
    data.cell(row=2, column=1).comment = Comment(
        f"Exempelrad: en rad vars första cell är {EXAMPLE_MARK} läses aldrig in. "
        "Skriv egna rader under den, eller radera raden.",
        "trygghet",
    )
    data.freeze_panes = "A2"


def _fill_instructions(
    template: Template,
    sheet,  # noqa: ANN001
    areas: list[str],
    kommun: str,
    raw_folder: str,
) -> None:
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    folder = raw_folder or "data/raw/<kommunkod>/"
    rows: list[tuple[object, ...] | str] = [
        f"Mall: {template.title}",
        *([f"Kommun: {kommun}"] if kommun else []),
        "",
        "## Vad filen är till för",
        template.purpose,
        "",
        "## Så fyller du i",
        f"Fyll i bladet '{template.sheet}', en rad per {template.row}. Ändra inte "
        "kolumnnamnen på rad 1 och lägg inga rader ovanför dem.",
        f"Rad 2 är en exempelrad. En rad vars första cell är {EXAMPLE_MARK} läses aldrig in: "
        "skriv egna rader under den, eller radera den.",
        "Kolumner med en lista (pilen i cellen) tar bara värdena i listan. Datum skrivs "
        "ÅÅÅÅ-MM-DD (t.ex. 2025-04-15), tider TT:MM.",
        f"Spara som Excel-arbetsbok med namnet {template.file} i mappen {folder} (spara inte "
        "som CSV). Kommandot trygghet ingest läser den; ett fel anges med blad, rad och kolumn.",
        "",
        "## Personuppgifter",
        PRIVACY_RULE,
        "Telefonnummer, personnummer, e-postadresser, registreringsnummer, gatuadresser "
        "med nummer och postnummer tas bort automatiskt vid inläsningen, men namn går "
        "inte att ta bort automatiskt.",
        *template.notes,
    ]
    if template.rules:
        rows += ["", "## Regler mellan kolumner och rader", *template.rules]
    rows += [
        "",
        "## Kolumner",
        ("Kolumn", "Betydelse", "Tillåtna värden eller format", "Obligatorisk"),
    ]
    for name in template.columns:
        info = template.column_help[name]
        rows.append(
            (name, info.meaning, format_text(info, areas), "ja" if info.required else "nej")
        )
    heading = Font(bold=True, size=12)
    for number, row in enumerate(rows, start=1):
        if isinstance(row, tuple):
            for col, value in enumerate(row, start=1):
                cell = sheet.cell(row=number, column=col, value=value)
                cell.alignment = wrap
                if value == "Kolumn" or row[0] == "Kolumn":
                    cell.font = bold
            continue
        if not row:
            continue
        text = row.removeprefix("## ")
        cell = sheet.cell(row=number, column=1, value=text)
        if number == 1:
            cell.font = Font(bold=True, size=14)
        elif row.startswith("## "):
            cell.font = heading
        else:
            sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=4)
            cell.alignment = wrap
            sheet.row_dimensions[number].height = 15 * (1 + len(text) // 110)
    for letter, width in zip("ABCD", (24, 55, 50, 13), strict=True):
        sheet.column_dimensions[letter].width = width


def write_templates(
    out_dir: Path,
    *,
    areas: Sequence[str] = (),
    kommun: str = "",
    raw_folder: str = "",
    overwrite: bool = False,
    templates: Sequence[Template] | None = None,
) -> list[tuple[Template, Path, bool]]:
    """Write every template into ``out_dir``: (template, path, written) for each.

    An existing file is left alone unless ``overwrite`` (it may be one that
    staff have started to fill in); ``written`` is False then.
    """
    out_dir = Path(out_dir)
    done: list[tuple[Template, Path, bool]] = []
    for template in templates or all_templates():
        target = out_dir / template.file
        if target.exists() and not overwrite:
            done.append((template, target, False))
            continue
        workbook = build_workbook(template, areas=areas, kommun=kommun, raw_folder=raw_folder)
        atomic.write_with(target, lambda tmp, wb=workbook: wb.save(tmp))
        done.append((template, target, True))
    return done


__all__ = [
    "INSTRUCTIONS_SHEET",
    "KINDS",
    "LISTS_SHEET",
    "PRIVACY_RULE",
    "ColumnHelp",
    "Template",
    "all_templates",
    "allowed_values",
    "build_workbook",
    "example_value",
    "format_text",
    "write_templates",
]
