"""Benchmark: `trygghet run` against the naive loop over the same notebooks, same run.

The naive loop is what one would write by hand: for each notebook, the
`papermill` command line, then `jupyter nbconvert --to html` on the result.
Both sides run as fresh processes, on the same notebooks, kommun and period,
alternating so that machine noise hits both; the script prints each median and
the ratio (target, issue 16: `trygghet run` at least 5x faster on the full suite).

Usage: python scripts/bench.py [--kommun 1863] [--period 2025] [--repeats 2]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from trygghet import paths
from trygghet.config import load_config
from trygghet.pipeline import runner

BIN = Path(sys.executable).parent


def naive_loop(notebooks: list[Path], kommun: str, period: int, out: Path, kernel: str) -> float:
    """The papermill and nbconvert command lines, one notebook after the other.

    The same work as the runner: the reports first, the follow-up (which reads
    their records) last, every record written to the run's folder.
    """
    from trygghet.pipeline import runner

    records_dir = out / "records"
    readers_last = sorted(notebooks, key=lambda nb: bool(runner.notebook_roles(nb)[1]))
    started = time.perf_counter()
    for nb in readers_last:
        executed = out / nb.name
        roles = runner.notebook_roles(nb)
        records = ["-r", "records_dir", str(records_dir)] if roles[0] or roles[1] else []
        subprocess.run(
            [
                str(BIN / "papermill"),
                str(nb),
                str(executed),
                "-k",
                kernel,
                "-r",  # raw string: "-p kommun 0114" would become the integer 114
                "kommun",
                kommun,
                "-p",
                "period",
                str(period),
                *records,
                "--no-progress-bar",
            ],
            check=True,
            capture_output=True,
            cwd=paths.PROJECT_ROOT,
        )
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - started


def trygghet_run(kommun: str, period: int, out: Path, jobs: int | None) -> float:
    command = [
        str(BIN / "trygghet"),
        "run",
        "--kommun",
        kommun,
        "--period",
        str(period),
        "--outputs",
        str(out),
    ]
    if jobs:
        command += ["--jobs", str(jobs)]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kommun", default="1863")
    parser.add_argument("--period", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    period = args.period or load_config(args.kommun).default_period
    notebooks = runner.discover_notebooks()
    kernel = runner.resolve_kernel_name()
    print(
        f"Sviten: {len(notebooks)} notebooks ({', '.join(nb.stem for nb in notebooks)}), "
        f"kommun {args.kommun}, period {period}"
    )
    naive_times, fast_times = [], []
    for repeat in range(args.repeats):
        with tempfile.TemporaryDirectory() as tmp:
            naive_times.append(naive_loop(notebooks, args.kommun, period, Path(tmp), kernel))
        with tempfile.TemporaryDirectory() as tmp:
            fast_times.append(trygghet_run(args.kommun, period, Path(tmp), args.jobs))
        print(
            f"  omgång {repeat + 1}: naiv {naive_times[-1]:.1f} s, trygghet run {fast_times[-1]:.1f} s"
        )
    naive, fast = statistics.median(naive_times), statistics.median(fast_times)
    print(f"naiv loop (papermill-CLI + nbconvert-CLI): {naive:.1f} s (median)")
    print(f"trygghet run:                              {fast:.1f} s (median)")
    print(f"kvot: {naive / fast:.2f}x  (mål: minst 5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
