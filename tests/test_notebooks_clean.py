"""Committed notebooks carry no outputs and one normalised kernelspec."""

from __future__ import annotations

import json

import nbformat
import pytest

from trygghet import paths
from trygghet.pipeline import runner

NOTEBOOKS = runner.discover_notebooks()
KERNELSPEC = {"name": "trygghet", "display_name": "Python (trygghet)", "language": "python"}


def test_there_is_a_suite():
    assert NOTEBOOKS, f"no notebooks in {paths.NOTEBOOKS_DIR}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_clean(notebook):
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for number, cell in enumerate(nb["cells"], start=1):
        if cell["cell_type"] == "code":
            assert not cell.get("outputs"), f"cell {number} has outputs: strip them"
            assert cell.get("execution_count") is None, f"cell {number} has an execution count"
    assert nb["metadata"].get("kernelspec") == KERNELSPEC


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_holds_literals_only(notebook):
    import ast

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    tree = ast.parse("".join(tagged[0]["source"]))
    names = set()
    for node in tree.body:
        assert isinstance(node, ast.Assign), "only assignments in the parameters cell"
        ast.literal_eval(node.value)  # raises if not a literal
        names.add(node.targets[0].id)
    assert {"kommun", "period", "shared_data"} <= names


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_no_parameter_is_shown_to_readers(notebook):
    """A markdown cell naming a notebook parameter must be an analyst note (not rendered)."""
    import re

    from trygghet.pipeline.runner import HIDDEN_CELL_TAGS

    nb = nbformat.read(notebook, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    names = re.findall(r"^(\w+)\s*=", params[0].source, re.M)
    for number, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "markdown":
            continue
        if set(cell.get("metadata", {}).get("tags", [])) & set(HIDDEN_CELL_TAGS):
            continue
        shown = [n for n in names if f"`{n}" in cell.source]
        assert not shown, f"cell {number} shows the parameters {shown} to readers"
