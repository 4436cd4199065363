"""Every path the project uses, relative to the project root.

Notebooks and the command line never depend on the working directory: they ask
this module. The real-data mirror lives outside the repository (it must never
be committed); its location defaults to ``../shared/data`` beside the project
and can be moved with the environment variable ``TRYGGHET_SHARED_DATA``.
"""

from __future__ import annotations

import os
from pathlib import Path


def _find_project_root() -> Path:
    """The folder holding ``pyproject.toml`` and ``config/``.

    ``TRYGGHET_ROOT`` overrides it (tests use it to run against a scratch copy).
    The package is installed editable from ``lib/``, so two levels up from this
    file is the root of a checkout.
    """
    env = os.environ.get("TRYGGHET_ROOT")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


PROJECT_ROOT: Path = _find_project_root()
CONFIG_DIR: Path = PROJECT_ROOT / "config"
KOMMUN_CONFIG_DIR: Path = CONFIG_DIR / "kommuner"
NOTEBOOKS_DIR: Path = PROJECT_ROOT / "notebooks"
DATA_DIR: Path = PROJECT_ROOT / "data"
RAW_DIR: Path = DATA_DIR / "raw"
PROCESSED_DIR: Path = DATA_DIR / "processed"
OUTPUTS_DIR: Path = PROJECT_ROOT / "outputs"
RESOURCES_DIR: Path = Path(__file__).resolve().parent / "resources"


def shared_data_dir() -> Path:
    """The read-only mirror of real public data (may not exist on a user's machine)."""
    env = os.environ.get("TRYGGHET_SHARED_DATA")
    if env:
        return Path(env).resolve()
    return (PROJECT_ROOT.parent / "shared" / "data").resolve()


def has_shared_data() -> bool:
    return shared_data_dir().is_dir()


def processed_dir(kommun_code: str | None = None) -> Path:
    """Processed tables; per kommun when a code is given."""
    return PROCESSED_DIR / kommun_code if kommun_code else PROCESSED_DIR


def checked_configs_dir() -> Path:
    """Marks of configuration files whose indicators were checked clean, one per file, content and code."""
    return PROCESSED_DIR / ".checked-configs"


def example_raw_dir(kommun_code: str) -> Path:
    """Where the generated example data of a kommun is written (git-ignored)."""
    return RAW_DIR / "example" / kommun_code


def output_dir(kommun_code: str, period: str) -> Path:
    return OUTPUTS_DIR / kommun_code / str(period)


HISTORY_FILE_NAME = "followup_history.json"


def history_file(kommun_code: str) -> Path:
    """The follow-up's saved statuses of earlier runs ("since last time").

    ``TRYGGHET_HISTORY_DIR`` moves it (the tests use a scratch folder, so that a
    test run never becomes a council's "last follow-up"); by default it sits with
    the kommun's processed data.
    """
    env = os.environ.get("TRYGGHET_HISTORY_DIR")
    if env:
        return Path(env).resolve() / kommun_code / HISTORY_FILE_NAME
    return processed_dir(kommun_code) / HISTORY_FILE_NAME


def records_dir(kommun_code: str, period: int | str) -> Path:
    """The indicator records a report notebook writes when it runs outside the runner.

    ``TRYGGHET_RECORDS_DIR`` moves them (the notebook tests use a scratch
    folder, so that testing never touches published outputs); by default they
    are the published records of the kommun and period.
    """
    env = os.environ.get("TRYGGHET_RECORDS_DIR")
    if env:
        return Path(env).resolve() / kommun_code / str(period)
    return output_dir(kommun_code, str(period)) / "records"
