"""Editing single cells of `;`-separated test files, as an analyst would in an editor.

Line numbers are as an editor shows them (header = 1), which is also how the
readers' error messages number rows.
"""

from __future__ import annotations

from pathlib import Path


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def edit_cell(path: Path, line: int, column: str, value: str) -> Path:
    """Set one cell and write the file back."""
    lines = lines_of(path)
    header = lines[0].split(";")
    cells = lines[line - 1].split(";")
    cells[header.index(column)] = value
    lines[line - 1] = ";".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cell(path: Path, line: int, column: str) -> str:
    lines = lines_of(path)
    return lines[line - 1].split(";")[lines[0].split(";").index(column)]
