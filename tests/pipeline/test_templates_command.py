"""`trygghet mallar` writes the Excel templates; ingest reads a filled-in one like the CSV."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from trygghet import paths
from trygghet.config import load_config
from trygghet.pipeline import cli, ingest
from trygghet.sources import safety_walks
from trygghet.sources.templates import LISTS_SHEET, all_templates

FILES = [t.file for t in all_templates()]


@pytest.fixture()
def sandbox(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "RAW_DIR", tmp_path / "raw")
    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path / "processed")
    (tmp_path / "mirror").mkdir()
    return tmp_path


def test_mallar_writes_every_template_into_the_kommuns_raw_folder(sandbox, capsys):
    assert cli.main(["mallar", "--kommun", "1863"]) == 0
    out = capsys.readouterr().out
    folder = sandbox / "raw" / "1863" / "mallar"
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    assert f"Mallar för Hällefors (1863) i {folder}" in out
    assert all(name in out for name in FILES)
    assert "trygghet ingest --kommun 1863" in out
    # The kommun's areas are the drop-down of the area columns.
    lists = load_workbook(folder / "trygghetsvandringar.xlsx")[LISTS_SHEET]
    areas = [a.name for a in load_config("1863").areas]
    assert [c.value for c in lists["A"] if c.value is not None] == ["area", *areas]


def test_mallar_leaves_existing_templates_alone_unless_told(tmp_path, capsys):
    out_dir = tmp_path / "ut"
    assert cli.main(["mallar", "--kommun", "1864", "--ut", str(out_dir)]) == 0
    capsys.readouterr()
    started = out_dir / FILES[0]
    started.write_bytes(b"halvfylld")
    assert cli.main(["mallar", "--kommun", "1864", "--ut", str(out_dir)]) == 0
    out = capsys.readouterr().out
    assert "finns redan, lämnades orörd" in out and "--skriv-over" in out
    assert started.read_bytes() == b"halvfylld"
    assert cli.main(["mallar", "--kommun", "1864", "--ut", str(out_dir), "--skriv-over"]) == 0
    assert started.read_bytes() != b"halvfylld"


def test_mallar_into_an_unwritable_folder_is_one_swedish_error(tmp_path, capsys):
    blocker = tmp_path / "en-fil"
    blocker.write_text("x")
    assert cli.main(["mallar", "--kommun", "1863", "--ut", str(blocker / "ut")]) == 2
    err = capsys.readouterr().err
    assert "Mallarna kan inte skrivas" in err and "--ut" in err and "Traceback" not in err


def _filled_walks(target):
    """The safety-walk template with the example row kept and two points below it."""
    template = safety_walks.TEMPLATE
    assert cli.main(["mallar", "--kommun", "1864", "--ut", str(target.parent / "mallar")]) == 0
    workbook = load_workbook(target.parent / "mallar" / template.file)
    sheet = workbook[template.sheet]
    for row in (
        ["TV-1", pd.Timestamp("2025-04-10").date(), "Kopparberg", 1, "Torget", None, None,
         "belysning", "Mörkt", "Byt lampor", "kommunen", 1, None, "ny", None, None, None],
        ["TV-1", pd.Timestamp("2025-04-10").date(), "Kopparberg", 2, "Parken", None, None,
         "vegetation", None, None, "bostadsbolaget", 3, None, "pågår", None, None, None],
    ):  # fmt: skip
        sheet.append(row)
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)
    return target


def test_ingest_reads_a_filled_template_where_it_looks_for_the_csv(sandbox, capsys):
    supplied = _filled_walks(sandbox / "raw" / "1864" / safety_walks.TEMPLATE.file)
    capsys.readouterr()
    source = next(s for s in ingest.LOCAL_SOURCES if s.table == "safety_walks")
    assert ingest.find_raw_file(source, "1864") == (supplied, "real")

    records = {
        r.table: r for r in ingest.ingest_all("1864", mirror=sandbox / "mirror", national=False)
    }
    walks = records["safety_walks"]
    assert walks.error is None and walks.origin == "real" and walks.rows == 2
    assert walks.inputs[0]["path"].endswith("trygghetsvandringar.xlsx")
    table = pd.read_parquet(sandbox / "processed" / "1864" / "safety_walks.parquet")
    assert list(table["point_no"]) == [1, 2] and set(table["origin"]) == {"real"}


def test_a_csv_and_an_xlsx_of_the_same_source_are_refused(sandbox, capsys):
    supplied = _filled_walks(sandbox / "raw" / "1864" / safety_walks.TEMPLATE.file)
    capsys.readouterr()
    supplied.with_suffix(".csv").write_text(";".join(safety_walks.COLUMNS) + "\n")
    records = {
        r.table: r for r in ingest.ingest_all("1864", mirror=sandbox / "mirror", national=False)
    }
    error = records["safety_walks"].error
    assert "både trygghetsvandringar.csv och trygghetsvandringar.xlsx finns" in error
    assert records["survey"].error is None  # the other sources go on


def test_the_excel_twin_is_looked_for_beside_every_csv_name():
    assert ingest._with_excel(("a.csv", "a.geojson")) == ("a.csv", "a.xlsx", "a.geojson")
    assert ingest._with_excel(("s.csv", "s.xlsx")) == ("s.csv", "s.xlsx")
    assert ingest._with_excel(("k.json",)) == ("k.json",)


def test_every_template_is_a_file_ingest_looks_for():
    for template in all_templates():
        source = next(s for s in ingest.LOCAL_SOURCES if s.table == template.source)
        names = source.raw_files or tuple(ingest._module(source).RAW_FILES)
        assert template.file in ingest._with_excel(names), template.file
