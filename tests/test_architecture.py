"""The stages of the library and which way imports point (docs/architecture.md).

The contracts live in pyproject.toml and `make test` runs `lint-imports` on
the real package. These tests prove the contracts bite: a copy of the package
with one forbidden import planted must fail them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
PACKAGE = PROJECT / "lib" / "trygghet"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

#: Report modules stay readable: one job each, none of the old 1 000-line files.
MAX_REPORT_MODULE_LINES = 600

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter saknas")


def _lint(root: Path) -> subprocess.CompletedProcess:
    """Run lint-imports with the project's contracts on the package under ``root/lib``."""
    env = dict(os.environ, PYTHONPATH=str(root / "lib"))
    return subprocess.run(
        [str(LINT_IMPORTS), str(PROJECT / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _copy_with(tmp_path: Path, module: str, line: str) -> Path:
    """A copy of the package with ``line`` added to the top of ``module`` (a path in it).

    The copy also holds one planted internal module, ``reports/est/probe.py``.
    """
    copy = tmp_path / "lib" / "trygghet"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("resources", "__pycache__"))
    (copy / "reports" / "est" / "probe.py").write_text('"""An internal module."""\n')
    target = tmp_path / "lib" / "trygghet" / module
    target.write_text(line + "\n" + target.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_the_package_keeps_every_contract(tmp_path):
    result = _lint(_copy_with(tmp_path, "paths.py", ""))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("stats/rates.py", "from trygghet.present import style", "Stages"),
        ("sources/scb.py", "from trygghet.stats import rates", "Stages"),
        ("present/style.py", "from trygghet.reports import est", "Stages"),
        ("config.py", "from trygghet.sources import processed", "Stages"),
        ("reports/est/__init__.py", "from trygghet.reports import places", "Reports"),
        ("reports/followup/__init__.py", "import trygghet.reports.est.probe", "Report est"),
        ("reports/national/__init__.py", "from trygghet.pipeline import runner", "Stages"),
    ],
)
def test_a_forbidden_import_breaks_the_build(tmp_path, module, line, broken):
    result = _lint(_copy_with(tmp_path, module, line))
    assert result.returncode != 0, result.stdout
    broken_lines = [s for s in result.stdout.splitlines() if "BROKEN" in s]
    assert any(broken in s for s in broken_lines), result.stdout


def test_report_modules_stay_short():
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in sorted((PACKAGE / "reports").rglob("*.py"))
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_REPORT_MODULE_LINES
    }
    assert not long, f"report modules over {MAX_REPORT_MODULE_LINES} lines: {long}"
