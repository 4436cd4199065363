"""Citizen dialogues and their proposals: example data, contracts, bad input, templates."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from trygghet.config import default_config, load_config
from trygghet.errors import DataError
from trygghet.privacy import contains_personal_data
from trygghet.sources import dialogues as dlg
from trygghet.sources import est_reports as est
from trygghet.sources import safety_walks as sw
from trygghet.sources.templates import build_workbook

TODAY = pd.Timestamp("2026-11-26")
AREAS = ["Hällefors", "Grythyttan", "Hammarn"]

DIALOGUE_HEADER = ";".join(dlg.COLUMNS)
# dialogue_id;date;area;form;organiser;invanare;foreningar;naringsidkare;unga;
# tjanstepersoner;themes
DIALOGUES = [
    "DI-2025-01;2025-03-12;Hällefors;möte;båda;14;3;2;4;3;belysning|samling av personer",
    "DI-2025-02;2025-05-20;grythyttan;  Digital  Enkät ;KOMMUN;120;0;4;35;0;Narkotika , trafik",
    "DI-2025-03;2025-09-02;Hela kommunen;skola;polis;0;0;0;85;4;ungdomar",
]
PROPOSAL_HEADER = ";".join(dlg.PROPOSAL_COLUMNS)
# proposal_id;dialogue_id;theme;proposal;decision;measure_id;responsible;deadline;status;
# completed_date
PROPOSALS = [
    "DI-2025-01-F1;DI-2025-01;belysning;Fler lampor, ring 070-123 45 67;beslutad åtgärd;"
    "TV-2025-1/3;kommunen/tekniska förvaltningen;2025-06-30;åtgärdad;2025-05-02",
    "DI-2025-01-F2;DI-2025-01;Samling av personer;Fler vuxna ute;utreds;;polisen;;pågår;",
    "DI-2025-02-F1;DI-2025-02;trafik;Farthinder;Avslagen;;;;avslagen;",
    "DI-2025-03-F1;DI-2025-03;ungdomar;Längre öppettider;beslutad åtgärd;;"
    "Anna på fritids 070-123 45 67;2026-03-01;ny;",
]


def write(folder: Path, name: str, header: str, rows: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def write_both(folder: Path, dialogues=DIALOGUES, proposals=PROPOSALS) -> tuple[Path, Path]:
    return (
        write(folder, dlg.DIALOGUES_FILE, DIALOGUE_HEADER, list(dialogues)),
        write(folder, dlg.PROPOSALS_FILE, PROPOSAL_HEADER, list(proposals)),
    )


def read_dialogues(path: Path, **kwargs) -> dlg.ReadResult:
    return dlg.read(path, today=TODAY, areas=AREAS, **kwargs)


def read_proposals(path: Path, **kwargs) -> dlg.ReadResult:
    return dlg.read_proposals(path, today=TODAY, **kwargs)


def replaced(rows: list[str], row: int, old: str, new: str) -> list[str]:
    rows = list(rows)
    assert old in rows[row], (old, rows[row])
    rows[row] = rows[row].replace(old, new, 1)
    return rows


def expect_error(read, path: Path, row: int | None, column: str | None, *parts: str) -> DataError:
    """The error names the file, the row (file line) and the column, in Swedish."""
    with pytest.raises(DataError) as info:
        read(path)
    error, message = info.value, str(info.value)
    assert str(path) in message, message
    assert message.startswith("Fel i indata"), message
    if row is not None:
        assert error.row == row and f"rad {row}" in message, message
    if column is not None:
        assert error.column == column and f"kolumn '{column}'" in message, message
    for part in parts:
        assert part in message, message
    return error


# --------------------------------------------------------------------------- good input


def test_small_files_read_with_vocabulary_variants_and_scrubbing(tmp_path: Path) -> None:
    dialogues_path, proposals_path = write_both(tmp_path)
    dialogues = read_dialogues(dialogues_path).table
    assert list(dialogues.columns) == [*dlg.COLUMNS, "origin"]
    assert list(dialogues["area"]) == ["Hällefors", "Grythyttan", dlg.WHOLE_KOMMUN]
    assert list(dialogues["form"]) == ["möte", "digital enkät", "skola"]
    assert list(dialogues["organiser"]) == ["båda", "kommun", "polis"]
    # Either separator, any case; stored joined with | in THEMES order.
    assert list(dialogues["themes"]) == [
        "belysning|samling av personer",
        "trafik|narkotika",
        "ungdomar",
    ]
    assert dialogues.loc[2, "tjanstepersoner"] == 4 and dialogues.loc[1, "invanare"] == 120

    proposals = read_proposals(proposals_path).table
    assert list(proposals.columns) == [*dlg.PROPOSAL_COLUMNS, "origin"]
    assert list(proposals["theme"]) == ["belysning", "samling av personer", "trafik", "ungdomar"]
    assert list(proposals["decision"]) == [
        "beslutad åtgärd",
        "utreds",
        "avslagen",
        "beslutad åtgärd",
    ]
    assert proposals.loc[0, "proposal"] == "Fler lampor, ring [telefon]"
    assert "[telefon]" in proposals.loc[3, "responsible"]
    assert not contains_personal_data(proposals["proposal"]).any()
    assert not contains_personal_data(proposals["responsible"].dropna()).any()
    assert proposals.loc[0, "measure_id"] == dlg.walk_point_id("TV-2025-1", 3)
    assert pd.isna(proposals.loc[1, "deadline"]) and pd.isna(proposals.loc[2, "responsible"])


def test_agreed_dtypes_and_contracts(tmp_path: Path) -> None:
    dialogues_path, proposals_path = write_both(tmp_path)
    dialogues = read_dialogues(dialogues_path).table
    proposals = read_proposals(proposals_path).table
    expected = {"dialogue_id": "string", "date": "datetime64[ns]", "area": "string",
                "form": "string", "organiser": "string", "themes": "string", "origin": "string"}  # fmt: skip
    expected |= dict.fromkeys(dlg.PARTICIPANT_GROUPS, "Int64")
    assert {c: str(t) for c, t in dialogues.dtypes.items()} == expected
    assert {c: str(t) for c, t in proposals.dtypes.items()} == {
        "proposal_id": "string", "dialogue_id": "string", "theme": "string",
        "proposal": "string", "decision": "string", "measure_id": "string",
        "responsible": "string", "deadline": "datetime64[ns]", "status": "string",
        "completed_date": "datetime64[ns]", "origin": "string",
    }  # fmt: skip
    dlg.SCHEMA.validate(dialogues)
    dlg.PROPOSALS_SCHEMA.validate(proposals)
    bad = dialogues.assign(
        themes=pd.Series(["belysning|ufo", "trafik", "ungdomar"], dtype="string")
    )
    with pytest.raises(Exception, match="themes_in_THEMES"):
        dlg.SCHEMA.validate(bad)
    assert dlg.THEMES[-1] == "annat" and {"narkotika", "våld", "ungdomar"} < set(dlg.THEMES)
    assert dlg.PARTICIPANT_GROUPS["tjanstepersoner"] == "tjänstepersoner"


def test_without_areas_any_area_is_kept(tmp_path: Path) -> None:
    path = write(tmp_path, dlg.DIALOGUES_FILE, DIALOGUE_HEADER,
                 replaced(DIALOGUES, 0, "Hällefors", "Norra stan"))  # fmt: skip
    assert dlg.read(path, today=TODAY).table.loc[0, "area"] == "Norra stan"


def test_a_filled_in_template_reads_like_the_csv(tmp_path: Path) -> None:
    csv_folder, xlsx_folder = tmp_path / "csv", tmp_path / "xlsx"
    dialogues_csv, proposals_csv = write_both(csv_folder)
    xlsx_folder.mkdir()
    for template, rows in ((dlg.TEMPLATE, DIALOGUES), (dlg.PROPOSALS_TEMPLATE, PROPOSALS)):
        workbook = build_workbook(template, areas=AREAS)
        sheet = workbook[template.sheet]
        for number, row in enumerate(rows, start=3):  # row 2 is the example row, kept
            for col, text in enumerate(row.split(";"), start=1):
                info = template.column_help[template.columns[col - 1]]
                value: object = text or None
                if text and info.kind == "int":
                    value = int(text)
                elif text and info.kind == "date":
                    value = pd.Timestamp(text).to_pydatetime()
                sheet.cell(row=number, column=col, value=value)
        workbook.save(xlsx_folder / template.file)
    from_excel = read_dialogues(xlsx_folder / dlg.TEMPLATE.file).table
    pd.testing.assert_frame_equal(from_excel, read_dialogues(dialogues_csv).table)
    # The proposals find the Excel dialogues file beside them.
    from_excel = read_proposals(xlsx_folder / dlg.PROPOSALS_TEMPLATE.file).table
    pd.testing.assert_frame_equal(from_excel, read_proposals(proposals_csv).table)
    lists = build_workbook(dlg.TEMPLATE, areas=AREAS)["Listor"]
    headers = [c.value for c in lists[1]]
    assert {"area", "form", "organiser", "themes"} <= set(headers)
    headers = [c.value for c in build_workbook(dlg.PROPOSALS_TEMPLATE)["Listor"][1]]
    assert {"theme", "decision", "status"} <= set(headers)


# --------------------------------------------------------------------------- bad dialogues

_D = dlg.DIALOGUES_FILE

#: (row index, old, new, column, words): one bad cell in the dialogues file.
DIALOGUE_CASES = [
    (0, "2025-03-12", "12/3 2025", "date", "ogiltigt datum"),
    (0, "2025-03-12", "2027-01-10", "date", "datumet ligger i framtiden"),
    (1, "  Digital  Enkät ", "webbenkät", "form", "okänd kategori"),
    (1, "KOMMUN", "region", "organiser", "okänd kategori"),
    (0, "samling av personer", "ufo", "themes", "okänt tema"),
    (2, "ungdomar", " | ", "themes", "okänt tema"),
    (0, ";14;", ";-2;", "invanare", "negativt antal deltagare"),
    (0, ";3;2;", ";2,5;2;", "foreningar", "ogiltigt heltal"),
    (1, ";4;35;", ";fyra;35;", "naringsidkare", "ogiltigt tal"),
    (2, "DI-2025-03", "DI-2025-01", "dialogue_id", "id förekommer mer än en gång"),
    (0, "Hällefors", "Atlantis", "area", "okänt område"),
    (2, "0;0;0;85;4", "0;0;0;0;0", "invanare/foreningar/naringsidkare/unga/tjanstepersoner",
     "dialogen har inga deltagare"),
    (0, "möte;båda;14", "möte;;14", "organiser", "värde saknas"),
]  # fmt: skip


@pytest.mark.parametrize(("row", "old", "new", "column", "words"), DIALOGUE_CASES)
def test_a_bad_dialogue_cell_names_file_row_and_column(
    tmp_path: Path, row: int, old: str, new: str, column: str, words: str
) -> None:
    path = write(tmp_path, _D, DIALOGUE_HEADER, replaced(DIALOGUES, row, old, new))
    error = expect_error(read_dialogues, path, row + 2, column, words, "Förväntat")
    assert error.found is not None or words == "värde saknas"


def test_the_area_error_lists_the_areas_and_hela_kommunen(tmp_path: Path) -> None:
    path = write(tmp_path, _D, DIALOGUE_HEADER, replaced(DIALOGUES, 0, "Hällefors", "Atlantis"))
    error = expect_error(read_dialogues, path, 2, "area", "Hittade: 'Atlantis'")
    assert error.expected == "ett av: Hällefors, Grythyttan, Hammarn, hela kommunen"


def test_quarantine_sets_bad_dialogues_aside(tmp_path: Path) -> None:
    rows = replaced(DIALOGUES, 1, "KOMMUN", "region")
    path = write(tmp_path, _D, DIALOGUE_HEADER, rows)
    result = read_dialogues(path, quarantine=True)
    assert list(result.table["dialogue_id"]) == ["DI-2025-01", "DI-2025-03"]
    assert list(result.rejected["rad"]) == [3]
    assert "organiser" in result.rejected.loc[0, "orsak"]


# --------------------------------------------------------------------------- bad proposals

#: (row index, old, new, column, words): one bad cell in the proposals file.
PROPOSAL_CASES = [
    (1, ";utreds;", ";kanske;", "decision", "okänd kategori"),
    (1, ";pågår;", ";klar;", "status", "okänd kategori"),
    (2, ";trafik;", ";väder;", "theme", "okänd kategori"),
    (2, ";DI-2025-02;", ";DI-2024-09;", "dialogue_id", "dialogen finns inte i dialogfilen"),
    (0, ";2025-05-02", ";2025-03-01", "completed_date", "åtgärden ligger före dialogen"),
    (0, ";2025-05-02", ";", "completed_date", "datum saknas för ett åtgärdat förslag"),
    (0, ";2025-05-02", ";2027-02-01", "completed_date", "datumet ligger i framtiden"),
    (0, ";2025-05-02", ";2 maj", "completed_date", "ogiltigt datum"),
    (0, ";2025-06-30;", ";2025-02-28;", "deadline", "sista dag ligger före dialogen"),
    (1, "DI-2025-01-F2", "DI-2025-01-F1", "proposal_id", "id förekommer mer än en gång"),
    (1, ";Fler vuxna ute;", ";;", "proposal", "värde saknas"),
    (2, ";avslagen;", ";pågår;", "status", "förslaget är avslaget men har en annan status"),
    (1, ";pågår;", ";åtgärdad;2025-04-01", "status", "åtgärdat utan att vara en beslutad åtgärd"),
    (3, ";ny;", ";ny;2026-01-05", "completed_date", "datum angivet för ett förslag som inte är klart"),
]  # fmt: skip


@pytest.mark.parametrize(("row", "old", "new", "column", "words"), PROPOSAL_CASES)
def test_a_bad_proposal_cell_names_file_row_and_column(
    tmp_path: Path, row: int, old: str, new: str, column: str, words: str
) -> None:
    _, path = write_both(tmp_path, proposals=replaced(PROPOSALS, row, old, new))
    expect_error(read_proposals, path, row + 2, column, words, "Förväntat")


def test_proposals_need_their_dialogues_file(tmp_path: Path) -> None:
    path = write(tmp_path, dlg.PROPOSALS_FILE, PROPOSAL_HEADER, PROPOSALS)
    expect_error(read_proposals, path, None, "dialogue_id", "dialogfilen dialoger.csv finns inte")
    write_both(tmp_path)
    (tmp_path / dlg.TEMPLATE.file).write_bytes(b"")
    expect_error(read_proposals, path, None, "dialogue_id", "både dialoger.csv och dialoger.xlsx")


def test_measure_ids_are_checked_when_the_measures_are_given(tmp_path: Path) -> None:
    _, path = write_both(tmp_path)
    assert len(read_proposals(path, measures={"TV-2025-1/3"}).table) == len(PROPOSALS)
    error = expect_error(
        lambda p: read_proposals(p, measures={"M2024-01"}), path, 2, "measure_id",
        "åtgärden finns inte",
    )  # fmt: skip
    assert error.found == "TV-2025-1/3"


def test_a_dialogues_table_can_be_given_instead_of_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, dlg.PROPOSALS_FILE, PROPOSAL_HEADER, PROPOSALS[:1])
    given = pd.DataFrame({"dialogue_id": ["DI-2025-01"], "date": [pd.Timestamp("2025-05-10")]})
    expect_error(lambda p: read_proposals(p, dialogues=given), path, 2, "completed_date",
                 "före dialogen")  # fmt: skip


# --------------------------------------------------------------------------- broken files


@pytest.mark.parametrize("which", ["dialogues", "proposals"])
def test_empty_zero_byte_binary_and_truncated_files(tmp_path: Path, which: str) -> None:
    write_both(tmp_path)
    if which == "dialogues":
        name, header, rows, read = _D, DIALOGUE_HEADER, DIALOGUES, read_dialogues
    else:
        name, header, rows, read = dlg.PROPOSALS_FILE, PROPOSAL_HEADER, PROPOSALS, read_proposals
    path = tmp_path / name
    path.write_bytes(b"")
    expect_error(read, path, None, None, "filen är tom")
    path.write_text("\n\n", encoding="utf-8")
    expect_error(read, path, None, None, "filen är tom")
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    expect_error(read, path, None, None, "ingen textfil")
    path.write_bytes(bytes(range(1, 9)) * 500)
    expect_error(read, path, None, None, "binär")
    write(tmp_path, name, header, [rows[0], rows[1][:25]])
    expect_error(read, path, 3, None, "fel antal fält")
    write(tmp_path, name, header, [])
    expect_error(read, path, None, None, "bara en rubrikrad")
    write(tmp_path, name, header.replace(";date;", ";datum;").replace(";status;", ";läge;"), rows)
    expect_error(read, path, 1, None, "kolumner saknas")


def test_a_bad_dialogues_file_stops_the_proposals_with_its_own_name(tmp_path: Path) -> None:
    dialogues_path, proposals_path = write_both(tmp_path)
    dialogues_path.write_bytes(b"")
    expect_error(read_proposals, dialogues_path, None, None, "filen är tom")
    with pytest.raises(DataError, match="dialoger.csv"):
        read_proposals(proposals_path)


# --------------------------------------------------------------------------- example data


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folders = {}
    for code in ("1863", "1864"):
        folders[code] = tmp_path_factory.mktemp(f"dialogues_{code}")
        config = load_config(code)
        for generate in (dlg.generate_example, sw.generate_example, est.generate_example):
            generate(config, folders[code], seed=7)
    return folders


@pytest.mark.parametrize("code", ["1863", "1864"])
def test_the_example_reads_with_the_kommuns_areas(example: dict[str, Path], code: str) -> None:
    config = load_config(code)
    areas = [a.name for a in config.areas]
    dialogues = dlg.read(example[code] / _D, areas=areas, origin="example").table
    proposals = dlg.read_proposals(example[code] / dlg.PROPOSALS_FILE, origin="example").table
    years = dialogues["date"].dt.year
    assert years.min() == 2022 and dialogues["date"].max() <= dlg.EXAMPLE_SNAPSHOT
    per_year = years.value_counts()
    assert per_year.drop(2026).between(6, 12).all()
    assert set(dialogues["area"]) <= {*areas, dlg.WHOLE_KOMMUN}
    assert set(dialogues["form"]) == set(dlg.FORMS) and set(dialogues["organiser"]) == set(
        dlg.ORGANISERS
    )
    # Some area lacks a dialogue in some year.
    had = [set(group) for _, group in dialogues.groupby(years)["area"]]
    assert any(set(areas) - seen for seen in had)
    citizens = dialogues[["invanare", "foreningar", "naringsidkare", "unga"]].sum(axis=1)
    assert (citizens > 0).mean() > 0.8
    per_dialogue = proposals.groupby("dialogue_id").size()
    assert per_dialogue.between(2, 5).all() and set(per_dialogue.index) == set(
        dialogues["dialogue_id"]
    )
    assert set(proposals["decision"]) == set(dlg.DECISIONS)
    assert set(proposals["status"]) == set(dlg.STATUSES)
    done = proposals[proposals["status"] == "åtgärdad"]
    assert (done["completed_date"] > done["deadline"]).any()  # some done late
    assert (proposals["origin"] == "example").all()


@pytest.mark.parametrize("code", ["1863", "1864"])
def test_example_measure_ids_name_real_example_measures(
    example: dict[str, Path], code: str
) -> None:
    proposals = dlg.read_proposals(example[code] / dlg.PROPOSALS_FILE).table
    walks = sw.read(example[code] / "trygghetsvandringar.csv").table
    measures = est.read_measures(example[code] / "est_atgarder.csv").table
    known = {
        dlg.walk_point_id(w, p) for w, p in zip(walks["walk_id"], walks["point_no"], strict=True)
    }
    known |= set(measures["measure_id"])
    linked = proposals["measure_id"].dropna()
    assert len(linked) >= 5 and set(linked) <= known
    assert linked.str.startswith("TV-").any()
    assert (proposals.loc[linked.index, "decision"] == "beslutad åtgärd").all()
    # The reader agrees when given the measures.
    dlg.read_proposals(example[code] / dlg.PROPOSALS_FILE, measures=known)


def test_the_generator_is_deterministic(tmp_path: Path) -> None:
    config = load_config("1863")
    first = dlg.generate_example(config, tmp_path / "a", seed=3)
    second = dlg.generate_example(config, tmp_path / "b", seed=3)
    other = dlg.generate_example(config, tmp_path / "c", seed=4)
    assert [p.name for p in first] == [dlg.DIALOGUES_FILE, dlg.PROPOSALS_FILE]
    for a, b, c in zip(first, second, other, strict=True):
        assert a.read_bytes() == b.read_bytes()
        assert a.read_bytes() != c.read_bytes()


def test_the_example_raw_files_are_semicolon_utf8_with_planted_personal_data(
    example: dict[str, Path],
) -> None:
    path = example["1863"] / dlg.PROPOSALS_FILE
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == dlg.PROPOSAL_COLUMNS
    texts = pd.Series([r[3] for r in rows[1:]])
    assert contains_personal_data(texts).any()  # planted, so that the scrubbing is exercised
    read = dlg.read_proposals(path).table
    assert not contains_personal_data(read["proposal"]).any()


def test_a_default_config_kommun_gets_readable_examples(tmp_path: Path) -> None:
    config = default_config("1862")
    dlg.generate_example(config, tmp_path, seed=1)
    areas = [a.name for a in config.areas] or None
    assert len(dlg.read(tmp_path / _D, areas=areas).table) > 0
    assert len(dlg.read_proposals(tmp_path / dlg.PROPOSALS_FILE).table) > 0
