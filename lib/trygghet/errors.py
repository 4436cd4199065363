"""Errors an analyst can act on.

Every problem with input data names the file, the row and the column, what was
found and what was expected, in Swedish, because the people who fix the file
are analysts at the kommun, not the developers.
"""

from __future__ import annotations

from pathlib import Path


class TrygghetError(Exception):
    """Base class: an error whose message is meant for the user as it is."""


class DataError(TrygghetError):
    """A raw data file does not look as its source promises."""

    def __init__(
        self,
        file: str | Path,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        found: object = None,
        expected: str | None = None,
    ) -> None:
        self.file = str(file)
        self.row = row
        self.column = column
        self.found = found
        self.expected = expected
        self.detail = message
        super().__init__(self._format())

    def _format(self) -> str:
        where = [f"fil {self.file}"]
        if self.row is not None:
            where.append(f"rad {self.row}")
        if self.column is not None:
            where.append(f"kolumn '{self.column}'")
        text = f"Fel i indata ({', '.join(where)}): {self.detail}"
        if self.found is not None:
            text += f". Hittade: {self.found!r}"
        if self.expected is not None:
            text += f". Förväntat: {self.expected}"
        return text


class ConfigError(TrygghetError):
    """A kommun configuration file is wrong; names the file and the key."""

    def __init__(self, file: str | Path, key: str | None, message: str) -> None:
        self.file = str(file)
        self.key = key
        where = f"{self.file}" + (f", nyckel '{key}'" if key else "")
        super().__init__(f"Fel i konfigurationen ({where}): {message}")
