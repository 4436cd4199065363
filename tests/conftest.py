"""Shared fixtures: tiny notebooks for runner tests, the mirror when present."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest

from trygghet import paths
from trygghet.pipeline import runner

requires_mirror = pytest.mark.skipif(
    not paths.has_shared_data(), reason="the real-data mirror ../shared/data is not here"
)


def make_notebook(path: Path, body_cells: list[str], title: str = "Testrapport") -> Path:
    """A minimal report notebook: title, parameters cell, then the given code cells."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('kommun = "1863"\nperiod = 2025\nshared_data = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}"), params]
    nb.cells += [nbformat.v4.new_code_cell(src) for src in body_cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


GOOD_CELLS = [
    "import trygghet.present.page as report",
    'report.summary(f"Allt gick bra för {kommun} år {period}.")',
]
BROKEN_CELLS = ["x = 1", "y = x / 0", "print('aldrig hit')"]


# ---------------------------------------------------------------- one full run for page tests
#
# The suite for Hällefors and Ljusnarsberg (own config files) and Laxå (no file:
# the generated default config), then the national overview of the three, as
# `trygghet run --kommun 1863,1864,1860` makes them; rendered once per session
# for the tests that read rendered pages (browser, consistency).

PERIOD = 2025
#: Two kommuner with their own config, one on the generated default (no file).
SUITE_KOMMUNER = ("1863", "1864", "1860")


def ingest_if_needed(code: str) -> None:
    """Ingest a kommun as `make report` does, so a fresh clone runs these tests too."""
    from trygghet.pipeline import ingest

    if not (paths.processed_dir(code) / "manifest.json").is_file():
        failed = [r.error for r in ingest.ingest_all(code, default_config=True) if r.error]
        assert not failed, failed


# A test run must never become a kommun's "last follow-up" (00's "since last time"):
# the follow-up history of every run the tests start goes to a scratch folder.
_HISTORY = tempfile.mkdtemp(prefix="trygghet-test-history-")
os.environ.setdefault("TRYGGHET_HISTORY_DIR", _HISTORY)
atexit.register(shutil.rmtree, _HISTORY, ignore_errors=True)


@pytest.fixture(autouse=True)
def _own_matplotlib_settings():
    """Each test starts from the same matplotlib settings: a test that applies the house
    style (``apply_style``) must not change what the next one draws."""
    import matplotlib as mpl

    with mpl.rc_context():
        yield


@pytest.fixture(scope="session")
def full_suite(tmp_path_factory) -> Path:
    """The outputs root of one full run of :data:`SUITE_KOMMUNER` and their overview."""
    for code in SUITE_KOMMUNER:
        ingest_if_needed(code)
    root = tmp_path_factory.mktemp("outputs")
    results = runner.run_many(list(SUITE_KOMMUNER), PERIOD, outputs_root=root, jobs=2,
                              force=True)  # fmt: skip
    for result in results:
        assert result.ok, [(result.kommun, r.name, r.cell, r.error) for r in result.failed]
    overview = runner.run_overview(list(SUITE_KOMMUNER), PERIOD, outputs_root=root)
    assert overview is not None and overview.ok, overview and overview.failed
    return root
