"""requirements.lock pins every dependency of pyproject.toml, with hashes.

`make install` installs from the lock with --require-hashes, so a dependency
added to pyproject.toml but not to the lock would be missing on a fresh
machine. `make lock` refreshes the lock; this test says when to run it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

PROJECT = Path(__file__).resolve().parents[1]
LOCK = PROJECT / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def _declared() -> list[Requirement]:
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [
        Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]
    ]


def _pins() -> dict[str, list[Version]]:
    pins: dict[str, list[Version]] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            pins.setdefault(canonicalize_name(match[1]), []).append(Version(match[2]))
    return pins


def test_every_declared_dependency_is_pinned_within_its_range():
    pins = _pins()
    problems = []
    for requirement in _declared():
        versions = pins.get(canonicalize_name(requirement.name), [])
        if not versions:
            problems.append(f"{requirement.name} saknas i låsfilen")
        elif not any(requirement.specifier.contains(v, prereleases=True) for v in versions):
            problems.append(f"{requirement} men låsfilen har {', '.join(map(str, versions))}")
    assert not problems, "kör 'make lock': " + "; ".join(problems)


def test_every_pin_has_a_hash():
    lines = LOCK.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if PIN.match(line):
            assert line.rstrip().endswith("\\") and "--hash=sha256:" in lines[i + 1], line
