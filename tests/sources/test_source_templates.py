"""Excel templates (`trygghet mallar`): built from the readers' declarations, read back by them.

Every template is checked for its sheets, headers, drop-downs and
instructions; a filled-in template must read into the same table as the
equivalent CSV; a bad cell must be one Swedish error naming file, sheet, row
(as Excel numbers it) and column; and the column descriptions must say what
the reader does (required or not, which values are refused), so the
instructions cannot drift from the code.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from trygghet.errors import DataError
from trygghet.sources import dialogues as dlg
from trygghet.sources import est_reports as est
from trygghet.sources import resident_reports as rr
from trygghet.sources import safety_walks as sw
from trygghet.sources import survey
from trygghet.sources import victim_contacts as vc
from trygghet.sources.tabular import EXAMPLE_MARK, excel_cell_text, read_excel_strict
from trygghet.sources.templates import (
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    PRIVACY_RULE,
    ColumnHelp,
    Template,
    all_templates,
    build_workbook,
    write_templates,
)

TODAY = pd.Timestamp("2026-11-26")
AREAS = ["Hällefors", "Grythyttan", "Hammarn"]
TEMPLATES = {t.source: t for t in all_templates()}

#: What each reader expects, in its order: the template must have exactly these columns.
READER_COLUMNS = {
    "safety_walks": sw.COLUMNS,
    "est_reports": est.REPORT_COLUMNS,
    "est_measures": est.MEASURE_COLUMNS,
    "resident_reports": rr.COLUMNS,
    "victim_contacts": [*vc.COLUMNS, *vc.OPTIONAL_COLUMNS],
    "survey": [*survey.ID_COLUMNS, *survey.OPTIONAL_COLUMNS, *survey.QUESTION_IDS],
    "dialogues": dlg.COLUMNS,
    "dialogue_proposals": dlg.PROPOSAL_COLUMNS,
}

#: The dialogues that the proposals below (and the template's example row) refer to.
_DIALOGUES = pd.DataFrame(
    {
        "dialogue_id": ["DI-2025-01", "DI-2025-02", "DI-2025-03"],
        "date": pd.to_datetime(["2025-03-12", "2025-05-20", "2025-09-02"]),
    }
)

READERS = {
    "safety_walks": lambda p, **kw: sw.read(p, today=TODAY, **kw),
    "est_reports": lambda p, **kw: est.read(p, today=TODAY, **kw),
    "est_measures": lambda p, **kw: est.read_measures(p, today=TODAY, **kw),
    "resident_reports": lambda p, **kw: rr.read(p, today=TODAY, postal_codes={}, **kw),
    "victim_contacts": lambda p, **kw: vc.read(p, today=TODAY, salt="test", **kw),
    "survey": lambda p, **kw: survey.read(p, **kw),
    "dialogues": lambda p, **kw: dlg.read(p, today=TODAY, **kw),
    "dialogue_proposals": lambda p, **kw: dlg.read_proposals(
        p, today=TODAY, dialogues=_DIALOGUES, **kw
    ),
}


def _survey_rows() -> list[str]:
    people = [
        ("Hällefors", "16–24", "kvinna"),
        ("Grythyttan", "65-85", "Man"),
        ("Hammarn", "45–64", "man"),
    ]
    rows = []
    for i, (area, age, sex) in enumerate(people):
        answers = []
        for k, q in enumerate(survey.QUESTIONS):
            answers.append("" if (i + k) % 7 == 0 else q.answers[(i + k) % len(q.answers)])
        weight = f"{0.8 + i / 10:.2f}".replace(".", ",")
        rows.append(";".join([f"R25-{i + 1:04d}", "2025", area, age, sex, weight, *answers]))
    return rows


#: A few rows per source, as the CSV export holds them (`;`, the reader's column order).
ROWS = {
    "safety_walks": [
        "V1;2025-04-10;Hällefors;1;Stationen;59.7830;14.5170;belysning;Mörkt, ring 070-123 45 67;"
        "Byt lampor;kommunen/tekniska förvaltningen;1;2025-05-10;åtgärdad;2025-05-02;ja;V2",
        "V1;2025-04-10;Hällefors;2;Parken;;;vegetation;Höga buskar;Gallra;bostadsbolaget;2;"
        "2025-07-10;pågår;;nej;V2",
        "V2;2025-10-20;Hällefors;1;Skolan;59.784;14.518;Trafik;Fort;Farthinder;Trafikverket;3;"
        "2026-04-20;ny;;;",
    ],
    "est_reports": [
        "R1;2025-02-14 09:30;2025-W07;2025-02-13 22:00;2025-02-13 23:30;väktare;skadegörelse;"
        "Resecentrum;Hällefors;59.7830;14.5170;Krossad ruta;ja;",
        "R2;2025-02-17 08:00;2025-W07;2025-02-15 21:00;;polisen;klotter;Torget;Hällefors;;;"
        "Klotter på bänkarna;nej;",
        "R3;2025-03-03 10:15;2025-W10;2025-03-01 23:00;;bostadsbolaget;nedskräpning;"
        "Norra;Grythyttan;;;;Nej;",
    ],
    "est_measures": [
        "M1;2025-W08;Resecentrum;Hällefors;Bättre belysning;kommunen;genomförd;2025-03-07",
        "M2;2025-W10;Torget;Hällefors;;väktare;pågår;",
        "M3;2025-W12;Torget;Grythyttan;Rondering;väktare;avslutad;",
    ],
    "resident_reports": [
        "O1;2025-03-12 18:45;belysning;59.7830;14.5170;Storgatan 12;;Mörkt;ny",
        "O2;2025-04-01 07:10;klotter;;;;712 31;Klotter, ring 070-123 45 67;åtgärdad",
        "O3;2025-05-20 22:05;ödslig plats;;;;;;",
    ],
    "victim_contacts": [
        "A-000001;inbrott;Hällefors;2025-03-03;2025-03-05;2025-03-07;2025-06-30",
        "A-000002;hot;Grythyttan;2025-04-01;2025-04-02;;2025-06-30",
        "B-17;stöld;Hällefors;2025-05-10;2025-05-12;2025-05-30;2025-06-30",
    ],
    "survey": _survey_rows(),
    "dialogues": [
        "DI-2025-01;2025-03-12;Hällefors;möte;båda;14;3;2;4;3;belysning|samling av personer",
        "DI-2025-02;2025-05-20;Grythyttan;Digital Enkät;Kommun;120;0;4;35;0;trafik, Narkotika",
        "DI-2025-03;2025-09-02;hela kommunen;skola;polis;0;0;0;85;4;ungdomar",
    ],
    "dialogue_proposals": [
        "DI-2025-01-F1;DI-2025-01;belysning;Fler lampor, ring 070-123 45 67;beslutad åtgärd;"
        "TV-2025-1/3;kommunen/tekniska förvaltningen;2025-06-30;åtgärdad;2025-05-02",
        "DI-2025-01-F2;DI-2025-01;Samling av personer;Fler vuxna ute;utreds;;polisen;;pågår;",
        "DI-2025-02-F1;DI-2025-02;trafik;Farthinder;avslagen;;;;avslagen;",
    ],
}


def _excel_value(info: ColumnHelp, text: str) -> object:
    """A CSV cell as Excel holds it once typed in: dates as dates, numbers as numbers."""
    if text == "":
        return None
    if info.kind == "date":
        return dt.date.fromisoformat(text)
    if info.kind == "datetime":
        return dt.datetime.fromisoformat(text)
    if info.kind == "int":
        return int(text)
    if info.kind == "float":
        return float(text.replace(",", "."))
    return text


def write_csv(folder: Path, template: Template, rows: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / template.file.replace(".xlsx", ".csv")
    path.write_text("\n".join([";".join(template.columns), *rows]) + "\n", encoding="utf-8")
    return path


def fill_template(
    folder: Path, template: Template, rows: list[str | None], first_row: int = 3
) -> Path:
    """The template as staff fill it in: the example row kept, the rows below it (None = blank)."""
    workbook = build_workbook(template, areas=AREAS, kommun="Hällefors (1863)")
    sheet = workbook[template.sheet]
    for number, row in enumerate(rows, start=first_row):
        if row is None:
            continue
        for col, (name, text) in enumerate(zip(template.columns, row.split(";"), strict=True), 1):
            sheet.cell(row=number, column=col, value=_excel_value(template.column_help[name], text))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / template.file
    workbook.save(path)
    return path


def example_csv_row(template: Template) -> list[str]:
    """The template's example row as CSV cells (with the id's example instead of EXEMPEL)."""
    cells = []
    for name in template.columns:
        info = template.column_help[name]
        cells.append(AREAS[0] if info.kind == "area" else (info.example or ""))
    return cells


# --------------------------------------------------------------------------- the templates


def test_every_non_public_source_has_a_template():
    assert set(TEMPLATES) == set(READER_COLUMNS)
    assert len({t.file for t in TEMPLATES.values()}) == len(TEMPLATES)


@pytest.mark.parametrize("source", sorted(READER_COLUMNS))
def test_template_has_headers_lists_formats_and_instructions(source, tmp_path):
    template = TEMPLATES[source]
    assert list(template.columns) == list(READER_COLUMNS[source])
    [(_, path, written)] = write_templates(
        tmp_path, areas=AREAS, kommun="Hällefors (1863)", templates=[template]
    )
    assert written and path.name == template.file
    workbook = load_workbook(path)
    assert workbook.sheetnames == [template.sheet, INSTRUCTIONS_SHEET, LISTS_SHEET]
    assert workbook[LISTS_SHEET].sheet_state == "hidden"
    data = workbook[template.sheet]

    # Headers: the reader's columns, bold, frozen; row 2 is the marked example.
    assert [c.value for c in data[1]] == list(template.columns)
    assert all(c.font.b for c in data[1])
    assert data.freeze_panes == "A2"
    assert data["A2"].value == EXAMPLE_MARK
    assert EXAMPLE_MARK in data["A2"].comment.text

    lists = workbook[LISTS_SHEET]
    list_columns = {
        lists.cell(row=1, column=c).value: [
            lists.cell(row=r, column=c).value
            for r in range(2, lists.max_row + 1)
            if lists.cell(row=r, column=c).value is not None
        ]
        for c in range(1, lists.max_column + 1)
    }
    validations = {}
    for validation in data.data_validations.dataValidation:
        for cells in validation.sqref.ranges:
            validations[data.cell(row=2, column=cells.min_col).column_letter] = validation
    for number, name in enumerate(template.columns, start=1):
        info = template.column_help[name]
        cell = data.cell(row=2, column=number)
        validation = validations[cell.column_letter]
        assert validation.promptTitle == name[:32] and validation.prompt
        expected = {"bool": ["ja", "nej"], "area": AREAS}.get(info.kind, list(info.allowed))
        if expected:
            assert validation.type == "list", name
            assert validation.formula1.startswith(f"{LISTS_SHEET}!$"), name
            assert list_columns[name] == expected, name
            assert validation.showErrorMessage and validation.error
            style = "warning" if info.kind in ("area", "categories") else "stop"
            assert validation.errorStyle == style, name
            assert ("Området finns inte" if info.kind == "area" else "Välj ett av") in (
                validation.error
            )
        else:
            assert validation.type is None, name
        if info.kind == "date":
            assert cell.number_format == "yyyy-mm-dd", name
            assert isinstance(cell.value, dt.datetime | type(None)), name
        if info.kind == "datetime":
            assert cell.number_format == "yyyy-mm-dd hh:mm", name
        if info.kind in ("text", "freetext", "week"):
            assert cell.number_format == "@", name

    # Instructions: purpose, privacy, and one line per column.
    lines = [
        tuple(v for v in row if v is not None)
        for row in workbook[INSTRUCTIONS_SHEET].iter_rows(values_only=True)
    ]
    text = "\n".join(" | ".join(str(v) for v in line) for line in lines)
    assert template.purpose in text and template.file in text
    assert "Personuppgifter" in text and PRIVACY_RULE in text
    assert "Hällefors (1863)" in text and EXAMPLE_MARK in text
    assert ("Kolumn", "Betydelse", "Tillåtna värden eller format", "Obligatorisk") in lines
    column_lines = {line[0]: line for line in lines if len(line) == 4}
    for name in template.columns:
        info = template.column_help[name]
        line = column_lines[name]
        assert line[1] == info.meaning
        assert line[3] == ("ja" if info.required else "nej")
        for value in info.allowed:
            assert str(value) in line[2], (name, value)
        if info.kind == "freetext":
            assert "inga namn, personnummer, telefonnummer" in line[2]
        if info.kind == "area":
            assert all(area in line[2] for area in AREAS)


def test_without_areas_an_area_column_is_free_text(tmp_path):
    template = TEMPLATES["safety_walks"]
    workbook = build_workbook(template)
    data = workbook[template.sheet]
    area = next(v for v in data.data_validations.dataValidation if "C2" in v.sqref)
    assert area.type is None
    assert data["C2"].value == template.column_help["area"].example


def test_a_template_cannot_lose_a_column():
    help_ = dict(sw.COLUMN_HELP)
    del help_["priority"]
    with pytest.raises(ValueError, match="priority"):
        Template(
            source="x", file="x.xlsx", sheet="X", title="x", purpose="x", row="x",
            columns=tuple(sw.COLUMNS), column_help=help_,
        )  # fmt: skip
    with pytest.raises(ValueError, match="allowed"):
        ColumnHelp("category", "x")


def test_existing_templates_are_left_alone_unless_overwritten(tmp_path):
    first = write_templates(tmp_path, areas=AREAS)
    assert [p.name for _, p, _ in first] == [t.file for t in all_templates()]
    assert all(written for _, _, written in first)
    path = first[0][1]
    path.write_bytes(b"started filling in")
    again = write_templates(tmp_path, areas=AREAS)
    assert not any(written for _, _, written in again)
    assert path.read_bytes() == b"started filling in"
    write_templates(tmp_path, areas=AREAS, overwrite=True)
    assert load_workbook(path).sheetnames[0] == all_templates()[0].sheet


# --------------------------------------------------------------------------- read back


@pytest.mark.parametrize("source", sorted(READER_COLUMNS))
def test_filled_template_reads_like_the_same_csv(source, tmp_path):
    template = TEMPLATES[source]
    read = READERS[source]
    rows = ROWS[source]
    from_csv = read(write_csv(tmp_path / "csv", template, rows)).table
    # The example row stays, a blank row in the middle is skipped.
    filled = fill_template(tmp_path / "xlsx", template, [rows[0], None, *rows[1:]])
    from_excel = read(filled).table
    assert len(from_excel) == len(from_csv) >= len(rows)
    pd.testing.assert_frame_equal(from_excel, from_csv)


def test_est_reports_link_to_measures_in_an_excel_file_beside(tmp_path):
    reports = TEMPLATES["est_reports"]
    linked = [ROWS["est_reports"][0].removesuffix(";") + ";M1", *ROWS["est_reports"][1:]]
    fill_template(tmp_path, TEMPLATES["est_measures"], ROWS["est_measures"])
    table = READERS["est_reports"](fill_template(tmp_path, reports, linked)).table
    assert table.loc[0, "measure_id"] == "M1"
    fill_template(tmp_path, reports, [linked[0].replace(";M1", ";M9")])
    with pytest.raises(DataError, match="finns inte i åtgärdsfilen"):
        READERS["est_reports"](tmp_path / reports.file)
    write_csv(tmp_path, TEMPLATES["est_measures"], ROWS["est_measures"])
    with pytest.raises(DataError, match="både est_atgarder.csv och est_atgarder.xlsx"):
        READERS["est_reports"](tmp_path / reports.file)


def test_a_bad_cell_names_file_sheet_excel_row_and_column(tmp_path):
    template = TEMPLATES["safety_walks"]
    rows = list(ROWS["safety_walks"])
    rows[2] = rows[2].replace(";Trafik;", ";lampor;")
    # Excel rows: 1 header, 2 example, 3-4 data, 5 blank, 6 the bad row.
    path = fill_template(tmp_path, template, [rows[0], rows[1], None, rows[2]])
    with pytest.raises(DataError) as info:
        READERS["safety_walks"](path)
    message = str(info.value)
    assert f"fil {path}, blad 'Trygghetsvandringar', rad 6, kolumn 'category'" in message
    assert "okänd kategori" in message and "Hittade: 'lampor'" in message
    assert info.value.row == 6 and info.value.column == "category"

    result = READERS["safety_walks"](path, quarantine=True)
    assert list(result.rejected["rad"]) == [6]
    assert len(result.table) == 2


@pytest.mark.parametrize(
    ("source", "column", "value", "words"),
    [
        ("est_reports", "week", "v7", "ogiltig vecka"),
        ("victim_contacts", "case_id", "19800101-1234", "ser ut som ett personnummer"),
        ("survey", "q14", "Jätteotrygg", "okänt svar"),
        ("resident_reports", "postal_code", "7123", "ogiltigt postnummer"),
    ],
)
def test_bad_cells_of_other_templates_name_sheet_and_row(source, column, value, words, tmp_path):
    template = TEMPLATES[source]
    rows = list(ROWS[source])
    cells = rows[1].split(";")
    cells[template.columns.index(column)] = value
    rows[1] = ";".join(cells)
    path = fill_template(tmp_path, template, rows)
    with pytest.raises(DataError) as info:
        READERS[source](path)
    message = str(info.value)
    assert f"blad '{template.sheet}', rad 4, kolumn '{column}'" in message, message
    assert words in message


def test_an_unfilled_template_is_refused_with_the_reason(tmp_path):
    template = TEMPLATES["victim_contacts"]
    path = fill_template(tmp_path, template, [])
    with pytest.raises(DataError, match="inga datarader \\(bara exempelraden"):
        READERS["victim_contacts"](path)


def test_a_value_without_a_header_is_an_error(tmp_path):
    template = TEMPLATES["resident_reports"]
    path = fill_template(tmp_path, template, ROWS["resident_reports"])
    workbook = load_workbook(path)
    workbook[template.sheet].cell(row=4, column=len(template.columns) + 2, value="anteckning")
    workbook.save(path)
    with pytest.raises(DataError, match="rad 4, kolumn 'K'\\): värde i en kolumn utan rubrik"):
        READERS["resident_reports"](path)


def test_missing_column_and_broken_file_are_swedish_errors(tmp_path):
    template = TEMPLATES["safety_walks"]
    path = fill_template(tmp_path, template, ROWS["safety_walks"])
    workbook = load_workbook(path)
    workbook[template.sheet]["H1"] = "kategori"
    workbook.save(path)
    with pytest.raises(DataError) as info:
        READERS["safety_walks"](path)
    assert "blad 'Trygghetsvandringar', rad 1" in str(info.value)
    assert "kolumner saknas: category" in str(info.value)

    fake = tmp_path / "trygghetsvandringar.xlsx"
    fake.write_text(";".join(template.columns) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="kan inte läsas som en Excel-arbetsbok"):
        READERS["safety_walks"](fake)


def test_the_named_sheet_is_read_wherever_it_is_else_the_first_visible(tmp_path):
    workbook = Workbook()
    workbook.active.title = "Anteckningar"
    workbook.active["A1"] = "inget här"
    other = workbook.create_sheet("Svar")
    other.append(["report_id", "x"])
    other.append(["R1", 1])
    path = tmp_path / "bok.xlsx"
    workbook.save(path)
    raw, where = read_excel_strict(path, ["report_id"], sheet="Svar")
    assert list(raw["report_id"]) == ["R1"] and where.endswith("blad 'Svar'")
    workbook["Anteckningar"].sheet_state = "hidden"
    workbook.save(path)
    raw, where = read_excel_strict(path, ["report_id"])
    assert where.endswith("blad 'Svar'") and list(raw.index) == [0]


def test_excel_cells_become_the_text_a_csv_holds():
    assert excel_cell_text(None) is None
    assert excel_cell_text("  ") is None
    assert excel_cell_text(" ny ") == "ny"
    assert excel_cell_text(True) == "ja" and excel_cell_text(False) == "nej"
    assert excel_cell_text(3.0) == "3" and excel_cell_text(2025) == "2025"
    assert excel_cell_text(59.783) == "59.783"
    assert excel_cell_text(dt.datetime(2025, 4, 15)) == "2025-04-15"
    assert excel_cell_text(dt.datetime(2025, 4, 15, 9, 30)) == "2025-04-15 09:30"
    assert excel_cell_text(dt.datetime(2025, 4, 15, 9, 30, 5)) == "2025-04-15 09:30:05"
    assert excel_cell_text(dt.date(2025, 4, 15)) == "2025-04-15"


# --------------------------------------------------------------------------- no drift


@pytest.mark.parametrize("source", sorted(READER_COLUMNS))
def test_the_example_row_is_valid_data(source, tmp_path):
    template = TEMPLATES[source]
    row = ";".join(example_csv_row(template))
    assert len(READERS[source](write_csv(tmp_path, template, [row])).table) >= 1


def _column_cases():
    for source in sorted(READER_COLUMNS):
        template = TEMPLATES[source]
        for name in template.columns:
            yield pytest.param(source, name, id=f"{source}-{name}")


#: A value each kind of column refuses (text and area columns refuse nothing by kind).
_BAD = {
    "date": "15/4 2025",
    "datetime": "i går kväll",
    "int": "ett",
    "float": "norr",
    "bool": "kanske",
    "category": "något annat",
    "week": "vecka 7",
}


@pytest.mark.parametrize(("source", "column"), list(_column_cases()))
def test_instructions_say_what_the_reader_does(source, column, tmp_path):
    """Required means an empty cell is refused; a controlled or typed column refuses nonsense."""
    template = TEMPLATES[source]
    info = template.column_help[column]
    index = template.columns.index(column)
    read = READERS[source]

    cells = example_csv_row(template)
    cells[index] = ""
    path = write_csv(tmp_path / "blank", template, [";".join(cells)])
    if info.required:
        with pytest.raises(DataError) as error:
            read(path)
        assert error.value.column == column and "värde saknas" in str(error.value)
    else:
        try:
            read(path)
        except DataError as error:  # a rule between columns may still object, but not this
            assert not (error.column == column and "värde saknas" in str(error))

    if info.kind in _BAD or info.allowed:
        cells = example_csv_row(template)
        cells[index] = _BAD.get(info.kind, "99")
        path = write_csv(tmp_path / "bad", template, [";".join(cells)])
        with pytest.raises(DataError) as error:
            read(path)
        assert error.value.column == column, str(error.value)
