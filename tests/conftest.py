"""Shared fixtures: tiny notebooks for runner tests, the mirror when present."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from trygghet import paths

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
