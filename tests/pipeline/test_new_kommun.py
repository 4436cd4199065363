"""`trygghet ny-kommun` writes the generated default as a commented file; `list` shows who has one."""

from __future__ import annotations

import pytest

from trygghet import paths
from trygghet.config import default_config, load_config, load_config_file
from trygghet.pipeline import cli, scaffold


@pytest.fixture
def config_dir(tmp_path, monkeypatch):
    folder = tmp_path / "kommuner"
    folder.mkdir()
    monkeypatch.setattr(paths, "KOMMUN_CONFIG_DIR", folder)
    return folder


def test_new_kommun_writes_the_default_and_it_round_trips(config_dir, capsys):
    assert cli.main(["ny-kommun", "1860"]) == 0
    path = config_dir / "1860-laxa.yml"
    assert [p.name for p in config_dir.iterdir()] == ["1860-laxa.yml"]
    loaded = load_config("1860")
    assert loaded.source_file == str(path)
    assert loaded.model_dump() == default_config("1860").model_dump()  # the very same config
    assert (loaded.name, loaded.lan_name) == ("Laxå", "Örebro län")
    text = path.read_text(encoding="utf-8")
    assert text.count("ÄNDRA") >= 6 and "docs/config.md" in text
    assert "# Laxå kommun (Örebro län)" in text
    out = capsys.readouterr().out
    assert "1860-laxa.yml" in out and "trygghet ingest --kommun 1860" in out


def test_new_kommun_refuses_to_overwrite_unless_forced(config_dir, capsys):
    existing = config_dir / "1860-laxa.yml"
    existing.write_text("# kommunens egen fil\n", encoding="utf-8")
    assert cli.main(["ny-kommun", "1860"]) == 2
    err = capsys.readouterr().err
    assert "Kommun 1860 har redan en konfigurationsfil" in err and "--force" in err
    assert existing.read_text(encoding="utf-8") == "# kommunens egen fil\n"
    assert cli.main(["ny-kommun", "1860", "--force"]) == 0
    assert "ÄNDRA" in existing.read_text(encoding="utf-8")


def test_force_replaces_the_kommuns_file_under_its_own_name(config_dir):
    other = config_dir / "1860-laxa-kommun.yml"
    other.write_text("# gammal\n", encoding="utf-8")
    assert scaffold.write_scaffold("1860", force=True) == other
    assert sorted(p.name for p in config_dir.iterdir()) == ["1860-laxa-kommun.yml"]


def test_new_kommun_refuses_an_unknown_code(config_dir, capsys):
    assert cli.main(["ny-kommun", "9999"]) == 2
    assert "'9999' är ingen kommunkod" in capsys.readouterr().err
    assert not list(config_dir.iterdir())


@pytest.mark.parametrize("code", ["0114", "2023", "1863", "2584"])
def test_every_kind_of_name_round_trips(tmp_path, code):
    path = scaffold.write_scaffold(code, directory=tmp_path)
    assert path.name.startswith(f"{code}-") and path.name.isascii()
    assert load_config_file(path).model_dump() == default_config(code).model_dump()


def test_list_shows_files_and_the_count_on_the_default(config_dir, capsys):
    scaffold.write_scaffold("1860")
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    assert "Kommuner med egen konfigurationsfil (1):" in out
    assert "1860  Laxå" in out and "1860-laxa.yml" in out
    assert "Kommuner med genererad standardkonfiguration: 289 av 290 (visa dem med --alla" in out
    assert "0114  Upplands Väsby" not in out
    assert "Områdenas koordinater kontrolleras mot" in out
    assert cli.main(["list", "--alla"]) == 0
    out = capsys.readouterr().out
    assert "0114  Upplands Väsby (Stockholms län)" in out
    assert "  1860  Laxå (" not in out
    assert (
        sum(1 for line in out.splitlines() if line.startswith("  ") and line[2:6].isdigit()) == 290
    )


def test_list_shows_a_broken_file_and_fails(config_dir, capsys):
    path = scaffold.write_scaffold("1860")
    path.write_text(path.read_text("utf-8").replace("series: trafikbrott", "series: trafik"))
    (config_dir / "1860-kopia.yml").write_text(path.read_text("utf-8"), encoding="utf-8")
    assert cli.main(["list"]) == 1
    captured = capsys.readouterr()
    assert "FEL: 1 problem, se nedan" in captured.out
    assert "kommun 1860 har 2 konfigurationsfiler" in captured.err
    assert "params.series" in captured.err
