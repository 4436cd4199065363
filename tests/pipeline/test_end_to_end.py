"""The whole suite, as `trygghet run` runs it, for the founding kommun and another one."""

from __future__ import annotations

import json

import pytest

from trygghet.pipeline import runner


@pytest.fixture(scope="module")
def suite_outputs(tmp_path_factory):
    from trygghet.pipeline import ingest

    for kommun in ("1863", "1864"):  # as `make report` does: raw data to processed tables
        assert not [r.error for r in ingest.ingest_all(kommun) if r.error]
    root = tmp_path_factory.mktemp("outputs")
    results = {k: runner.run(k, 2025, outputs_root=root, jobs=2) for k in ("1863", "1864")}
    return root, results


@pytest.mark.parametrize("kommun", ["1863", "1864"])
def test_every_report_renders(suite_outputs, kommun):
    root, results = suite_outputs
    result = results[kommun]
    assert result.ok, [(r.name, r.cell, r.error) for r in result.failed]
    out = root / kommun / "2025"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    names = [nb.stem for nb in runner.discover_notebooks()]
    assert [n["name"] for n in manifest["notebooks"]] == names
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in names:
        html = (out / f"{name}.html").read_text(encoding="utf-8")
        assert "Traceback" not in html
        assert (out / f"{name}.ipynb").exists()
        assert f'href="{name}.html"' in index
    assert manifest["git"]["commit"] is None or len(manifest["git"]["commit"]) == 40


def test_police_report_says_events_are_not_crime_statistics(suite_outputs):
    root, _ = suite_outputs
    html = (root / "1863" / "2025" / "01_polishandelser.html").read_text(encoding="utf-8")
    assert "inte brottsstatistik" in html
    assert "Hällefors" in html
    assert "per 100" not in html  # police events are never turned into a rate


def test_two_runs_are_byte_identical(suite_outputs, tmp_path):
    """The whole output tree of a run: pages, notebooks, index and manifest (no clock times)."""
    root, _ = suite_outputs
    again = runner.run("1863", 2025, outputs_root=tmp_path, jobs=2)
    assert again.ok
    first_tree, second_tree = root / "1863" / "2025", tmp_path / "1863" / "2025"
    files = sorted(p.relative_to(first_tree) for p in first_tree.rglob("*") if p.is_file())
    assert files == sorted(
        p.relative_to(second_tree) for p in second_tree.rglob("*") if p.is_file()
    )
    assert {"manifest.json", "index.html"} <= {str(f) for f in files}
    for name in files:
        first, second = (first_tree / name).read_bytes(), (second_tree / name).read_bytes()
        assert first == second, f"{name} differs between two runs"


def test_outputs_name_no_path_of_this_machine(suite_outputs):
    """Manifest, notebooks and pages record paths relative to the project or as a label."""
    from trygghet import paths

    root, _ = suite_outputs
    machine = [str(paths.PROJECT_ROOT), str(paths.shared_data_dir()), str(root)]
    for path in sorted(root.rglob("*")):
        if path.suffix in {".json", ".ipynb", ".html"}:
            text = path.read_text(encoding="utf-8")
            for absolute in machine:
                assert absolute not in text, f"{path.name} names {absolute}"
