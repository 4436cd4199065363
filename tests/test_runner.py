"""The runner: parameters reach the notebook, outputs appear, failures keep the last good report."""

from __future__ import annotations

import json

import pytest
from conftest import BROKEN_CELLS, GOOD_CELLS, make_notebook

from trygghet import runner
from trygghet.errors import TrygghetError


def test_select_notebooks_by_stem_prefix_and_unknown(tmp_path):
    nbs = [make_notebook(tmp_path / f"{n}.ipynb", ["1"]) for n in ("01_a", "02_b")]
    assert runner.select_notebooks(nbs, ["02"]) == [nbs[1]]
    assert runner.select_notebooks(nbs, ["01_a.ipynb"]) == [nbs[0]]
    with pytest.raises(TrygghetError, match="finns inte.*01_a, 02_b"):
        runner.select_notebooks(nbs, ["03"])


def test_run_writes_html_notebook_manifest_and_index(tmp_path):
    nb_dir = tmp_path / "notebooks"
    make_notebook(nb_dir / "01_bra.ipynb", GOOD_CELLS)
    result = runner.run("1864", 2024, notebooks_dir=nb_dir, outputs_root=tmp_path / "out", jobs=1)
    out = tmp_path / "out" / "1864" / "2024"
    assert result.ok
    assert (out / "01_bra.html").exists() and (out / "01_bra.ipynb").exists()
    html = (out / "01_bra.html").read_text(encoding="utf-8")
    assert "Allt gick bra för 1864 år 2024." in html  # parameters were injected
    assert "report.summary" not in html  # code cells are hidden
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["kommun"] == "1864"
    assert manifest["notebooks"][0]["summary"] == "Allt gick bra för 1864 år 2024."
    assert any(i["path"].endswith("1864-ljusnarsberg.yml") for i in manifest["inputs"])
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    assert "pandas" in manifest["packages"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="01_bra.html"' in index and "Allt gick bra" in index
    assert "1864/2024/index.html" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert not list((tmp_path / "out" / "1864").glob(".staging-*"))


def test_broken_notebook_is_reported_and_last_good_output_survives(tmp_path):
    nb_dir = tmp_path / "notebooks"
    out_root = tmp_path / "out"
    make_notebook(nb_dir / "01_bra.ipynb", GOOD_CELLS)
    make_notebook(nb_dir / "02_rapport.ipynb", GOOD_CELLS)
    assert runner.run("1863", 2025, notebooks_dir=nb_dir, outputs_root=out_root, jobs=2).ok
    out = out_root / "1863" / "2025"
    good_html = (out / "02_rapport.html").read_bytes()

    make_notebook(nb_dir / "02_rapport.ipynb", BROKEN_CELLS)  # the same report, now broken
    result = runner.run("1863", 2025, notebooks_dir=nb_dir, outputs_root=out_root, jobs=2)

    assert not result.ok
    [failed] = result.failed
    assert failed.name == "02_rapport"
    assert failed.cell == 3  # parameters 1, x = 1 is 2; papermill's injected cell not counted
    assert failed.cell_source == "y = x / 0"
    assert "ZeroDivisionError" in failed.error
    assert (out / "02_rapport.html").read_bytes() == good_html  # last good report intact
    assert (out / "misslyckade" / "02_rapport.ipynb").exists()  # the failure is kept to inspect
    assert [r.status for r in result.results] == ["ok", "failed"]  # the other one still ran
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Senaste körningen misslyckades" in index


def test_cli_exit_code_and_message_name_notebook_cell_and_error(tmp_path, monkeypatch, capsys):
    from trygghet import cli

    nb_dir = tmp_path / "notebooks"
    make_notebook(nb_dir / "01_trasig.ipynb", BROKEN_CELLS)
    monkeypatch.setattr(runner.paths, "NOTEBOOKS_DIR", nb_dir)
    monkeypatch.setattr(runner.paths, "OUTPUTS_DIR", tmp_path / "out")
    original_run = runner.run

    def run_in_tmp(*args, **kwargs):
        return original_run(*args, notebooks_dir=nb_dir, outputs_root=tmp_path / "out", **kwargs)

    monkeypatch.setattr(runner, "run", run_in_tmp)
    code = cli.main(["run", "--kommun", "1863", "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == 1
    assert "01_trasig" in err and "cell" in err and "ZeroDivisionError" in err


def test_cli_unknown_kommun_is_a_clear_error(capsys):
    from trygghet import cli

    assert cli.main(["run", "--kommun", "9999"]) == 2
    assert "9999" in capsys.readouterr().err
