"""Benchmark of ingest for many kommuner: this code against the code before issue 16, same run.

What is timed is what `trygghet run --kommun all` does before any report:
``batch.ensure_ingested`` over the kommuner with 2 workers: the national
tables (police events, population, geography), every kommun's example data
generated and every table validated and written. Each
side runs in a fresh process against its own empty scratch project (the
project's configuration files, the real-data mirror read in place), so
nothing is skipped and nothing in ``data/`` is touched.

The baseline is the library as it was before the ingest work of issue 16
(commit :data:`BASELINE`, taken with ``git archive``), run in the same
environment; the two sides alternate so that machine noise hits both. By
default a sample of kommuner spread over the code list is ingested and the
time of all 290 is projected from it (the sample's own time, then the pace of
its second half for the other kommuner: the national tables and the workers'
start are counted once); ``--all`` ingests all 290 on both sides (target,
issue 16: at most 4 minutes on a 2-core machine).

``--compare`` also checks that both sides wrote the same tables (the
pseudonym salt is fixed for the run); a table another change altered on
purpose shows up there too.

Usage: python scripts/bench_ingest.py [--all] [--sample 12] [--jobs 2] [--repeats 1]
       [--baseline COMMIT] [--compare]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: The last commit before the ingest work of issue 16.
BASELINE = "0d4fcd827708e74a510e49d3605f50bbd1967b97"
TARGET_SECONDS = 4 * 60
ROOT = Path(__file__).resolve().parents[1]


def worker(codes: list[str], jobs: int) -> None:
    """Ingest the kommuner as a batch does; print the timings as JSON (runs in the child).

    ``done`` holds the seconds at which each kommun was reported ingested, from
    which :func:`projected` takes the steady pace of the batch.
    """
    from trygghet.pipeline import batch

    done: list[float] = []
    started = time.perf_counter()

    def progress(message: str) -> None:
        if "data inläst för" in message:  # one kommun done (both sides say so)
            done.append(time.perf_counter() - started)

    failed = batch.ensure_ingested(codes, progress=progress, jobs=jobs)
    total = time.perf_counter() - started
    print(json.dumps({"total": total, "done": done, "failed": failed}))


def sample_of(codes: list[str], size: int) -> list[str]:
    """``size`` kommuner spread evenly over the code list (every län, small and large)."""
    if size >= len(codes):
        return codes
    step = len(codes) / size
    return [codes[int(i * step)] for i in range(size)]


def baseline_lib(commit: str, into: Path) -> Path | None:
    """The baseline's ``lib/`` from git, or ``None`` (with the reason printed)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "lib"],
        capture_output=True,
    )
    if archive.returncode != 0:
        print(f"Baslinjen {commit[:10]} finns inte i git: {archive.stderr.decode()[:200]}")
        return None
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into / "lib"


def scratch_project(folder: Path) -> Path:
    """An empty project: the configuration files, no data."""
    folder.mkdir(parents=True)
    shutil.copytree(ROOT / "config", folder / "config")
    return folder


def timed(lib: Path, codes: list[str], jobs: int, project: Path, mirror: Path) -> dict:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(lib),
        TRYGGHET_ROOT=str(project),
        TRYGGHET_SHARED_DATA=str(mirror),
        TRYGGHET_PSEUDONYM_SALT="bench-ingest",  # both sides pseudonymise alike
    )
    script = str(Path(__file__).resolve())
    command = [sys.executable, script, "--worker", ",".join(codes), "--jobs", str(jobs)]
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=project)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"inläsningen misslyckades ({lib})")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"], result["cpu"] = wall, cpu  # cpu: the process and its workers together
    if result["failed"]:
        print(f"  OBS: inläsningen gav fel för {', '.join(result['failed'])}", file=sys.stderr)
    return result


def projected(result: dict, n_sample: int, n_all: int) -> float:
    """The time of all kommuner from a sample: the sample's time, then its steady pace.

    The pace is that of the second half of the sample (after the national tables,
    the workers' start and the first kommuner): per kommun, the time between the
    middle and the last kommun reported done. The fixed costs are counted once.
    """
    done = sorted(result["done"])
    if n_sample >= n_all or len(done) < 4:
        return result["total"]
    middle = len(done) // 2
    pace = (done[-1] - done[middle]) / (len(done) - 1 - middle)
    return result["total"] + pace * (n_all - n_sample)


def differing_tables(a: Path, b: Path) -> list[str]:
    """Processed tables (and rejected-row files) that are not equal on the two sides."""
    import pandas as pd

    differ = []
    for left in sorted((a / "data" / "processed").rglob("*")):
        if left.suffix not in (".parquet", ".csv"):
            continue
        rel = left.relative_to(a)
        right = b / rel
        if not right.is_file():
            differ.append(f"{rel} (saknas)")
            continue
        if left.suffix == ".csv":
            same = left.read_bytes() == right.read_bytes()
        else:
            try:
                pd.testing.assert_frame_equal(pd.read_parquet(left), pd.read_parquet(right))
                same = True
            except AssertionError:
                same = False
        if not same:
            differ.append(str(rel))
    return differ


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="all 290 kommuner on both sides")
    parser.add_argument("--sample", type=int, default=12, help="kommuner in the sample")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--baseline", default=BASELINE, help="commit to compare against")
    parser.add_argument("--compare", action="store_true", help="check the tables are equal")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker.split(","), args.jobs)
        return 0

    from trygghet import paths
    from trygghet.pipeline import batch

    every = batch.resolve_kommuner("all")
    codes = every if args.all else sample_of(every, args.sample)
    mirror = paths.shared_data_dir()
    with tempfile.TemporaryDirectory(prefix="bench_ingest_") as tmp:
        tmp = Path(tmp)
        old_lib = baseline_lib(args.baseline, tmp / "baseline")
        if old_lib is None:
            print("Jämförelsen hoppas över.")
            return 0
        sides = {"före": old_lib, "nu": ROOT / "lib"}
        times: dict[str, list[float]] = {name: [] for name in sides}
        cpu: dict[str, list[float]] = {name: [] for name in sides}
        for repeat in range(args.repeats):
            for name, lib in sides.items():
                project = scratch_project(tmp / f"{name}{repeat}")
                result = timed(lib, codes, args.jobs, project, mirror)
                times[name].append(projected(result, len(codes), len(every)))
                cpu[name].append(result["cpu"])
                pace = (projected(result, len(codes), len(every)) - result["total"]) / max(
                    len(every) - len(codes), 1
                )
                print(
                    f"  {name}: {len(codes)} kommuner {result['total']:.1f} s, "
                    f"sedan {pace:.2f} s per kommun, processortid {result['cpu']:.0f} s"
                )
        before, now = (statistics.median(times[name]) for name in sides)
        cpu_before, cpu_now = (statistics.median(cpu[name]) for name in sides)
        what = "alla 290 (uppmätt)" if args.all else f"alla 290 (framräknat ur {len(codes)})"
        print(f"inläsning {what}, {args.jobs} arbetare:")
        print(f"  före ({args.baseline[:10]}): {before / 60:5.1f} min")
        print(f"  nu:                {now / 60:5.1f} min  (mål: högst {TARGET_SECONDS // 60} min)")
        print(f"  kvot: {before / now:.2f}x snabbare")
        print(f"  kvot i processortid (mindre känslig för andra jobb): {cpu_before / cpu_now:.2f}x")
        if args.compare:
            differ = differing_tables(tmp / "före0", tmp / "nu0")
            print("  samma tabeller på båda sidor" if not differ else "  olika tabeller:")
            for rel in differ:
                print(f"    {rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
