"""What an output was made from: files with hashes, code version, package versions.

Recorded in every manifest so that any figure in a report can be traced to the
data, configuration and code that produced it (the Duck Book's "record the
configuration and data versions used for each output").
"""

from __future__ import annotations

import functools
import hashlib
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from trygghet.paths import PROJECT_ROOT

KEY_PACKAGES = (
    "trygghet",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "geopandas",
    "folium",
    "esda",
    "libpysal",
    "h3",
    "pyarrow",
    "papermill",
    "nbclient",
    "nbconvert",
)


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """The whole trygghet package's code and resources, hashed once per process.

    Resources count too: the page template and the vendored Leaflet change a
    report as much as a Python module does.
    """
    library = Path(__file__).resolve().parents[1]  # the whole trygghet package
    files = sorted(
        p
        for p in [*library.rglob("*.py"), *(library / "resources").rglob("*")]
        if p.is_file() and "__pycache__" not in p.parts
    )
    return sha256_text("".join(sha256_of(f) for f in files))


_HASH_CACHE: dict[tuple[str, int, int], str] = {}


def cached_sha256(path: Path) -> str:
    """SHA-256 of a file, remembered while its size and modification time stay the same.

    A batch over many kommuner hashes the same national tables again and again.
    """
    stat = Path(path).stat()
    key = (str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _HASH_CACHE:
        _HASH_CACHE[key] = sha256_of(Path(path))
    return _HASH_CACHE[key]


#: How a file in the shared data mirror is named in outputs, wherever the mirror is.
MIRROR_LABEL = "<delade data>"


def path_label(path: Path | str) -> str:
    """A path as outputs record it: never this machine's absolute path.

    Inside the project: relative to its root (``data/processed/1863/survey.parquet``).
    Inside the shared data mirror: ``<delade data>/polisen/events.jsonl.gz``.
    Anywhere else: ``<utanför projektet>/`` and the file name, since the folder
    says nothing to another machine and may name a person's home directory.
    """
    from trygghet.paths import shared_data_dir

    resolved = Path(path).resolve()
    for root, prefix in ((PROJECT_ROOT, ""), (shared_data_dir(), MIRROR_LABEL)):
        try:
            relative = resolved.relative_to(root).as_posix()
        except ValueError:
            continue
        if not prefix:
            return relative
        return prefix if relative == "." else f"{prefix}/{relative}"
    return f"<utanför projektet>/{resolved.name}"


def describe_file(path: Path) -> dict[str, object]:
    """Path (as :func:`path_label` shows it), size and SHA-256."""
    path = Path(path)
    return {"path": path_label(path), "bytes": path.stat().st_size, "sha256": cached_sha256(path)}


def git_state() -> dict[str, object]:
    """The commit the code was at and whether the work tree had uncommitted changes."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain"))}
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "dirty": None}


def package_versions(names: tuple[str, ...] = KEY_PACKAGES) -> dict[str, str | None]:
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions
