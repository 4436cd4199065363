"""Benchmark of batches: many kommuner at once, local processes and Dask.

Measured side by side in one run (the machine is noisy, so compare ratios):

1. the cost per kommun inside a batch against a single-kommun `trygghet run`
   (target: at most 1.2x – batching must add nothing);
2. the speed-up of 2 workers over 1 on the same batch (target: at least 1.7x
   on a 2-core machine);
3. the Dask path (a LocalCluster of 2 single-threaded workers) against the
   local process pool on the same batch (target: within 10 %);
4. the projected time of all 290 kommuner from the per-kommun batch cost (and
   with --all, the measured time);
5. the peak memory (max RSS of the runner and its workers) as the batch grows.

Every batch runs with --force into a fresh folder so nothing is skipped.
Usage: python scripts/bench_batch.py [--kommuner 1863,1864,1880,1881] [--all]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from trygghet.pipeline import batch

BIN = Path(sys.executable).parent


def timed_run(
    kommuner: list[str], jobs: int, scheduler: str | None = None, allow_failures: bool = False
) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one `trygghet run` over the kommuner.

    A failed report makes a comparison meaningless, so it stops the benchmark –
    except for the one long run of all kommuner (``allow_failures``), where the
    time is still worth having and the failures are printed.
    """
    with tempfile.TemporaryDirectory() as out:
        command = [str(BIN / "trygghet"), "run", "--kommun", ",".join(kommuner), "--force",
                   "--jobs", str(jobs), "--outputs", out]  # fmt: skip
        if scheduler:
            command += ["--scheduler", scheduler]
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        completed = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if completed.returncode != 0:
            print(completed.stderr[-2000:], file=sys.stderr)
            if not allow_failures:
                raise SystemExit(f"trygghet run failed for {kommuner}")
        peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return seconds, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kommuner", default="1863,1864,1880,1881")
    parser.add_argument("--all", action="store_true", help="also run all 290 kommuner once")
    args = parser.parse_args()
    kommuner = batch.resolve_kommuner(args.kommuner)
    print(f"Läser in data för {len(kommuner)} kommuner (om det behövs) …")
    batch.ensure_ingested(kommuner, progress=lambda *_: None)

    single, _ = timed_run(kommuner[:1], jobs=2)
    batch2, peak = timed_run(kommuner, jobs=2)
    batch1, _ = timed_run(kommuner, jobs=1)
    per_kommun = batch2 / len(kommuner)
    print(f"en kommun, trygghet run (2 arbetare):      {single:6.1f} s")
    print(f"{len(kommuner)} kommuner i en batch (2 arbetare):   {batch2:6.1f} s"
          f" = {per_kommun:.1f} s per kommun")  # fmt: skip
    print(f"  kostnad per kommun i batch / ensam körning: {per_kommun / single:.2f}x (mål ≤ 1,2x)")
    print(f"samma batch med 1 arbetare:                {batch1:6.1f} s")
    print(f"  uppsnabbning 2 arbetare mot 1:           {batch1 / batch2:.2f}x (mål ≥ 1,7x)")

    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        dask_seconds, _ = timed_run(kommuner, jobs=2, scheduler=cluster.scheduler_address)
    print(f"samma batch på Dask (2 arbetare):          {dask_seconds:6.1f} s")
    print(f"  Dask / lokala processer:                 {dask_seconds / batch2:.2f}x (mål ≤ 1,10x)")

    print(f"största process (max RSS), {len(kommuner)} kommuner: {peak:.0f} MB")
    _, peak_small = timed_run(kommuner[:2], jobs=2)
    print(f"största process (max RSS), 2 kommuner: {peak_small:.0f} MB")
    print(f"beräknad tid för alla 290 kommuner: {per_kommun * 290 / 60:.0f} min "
          "(utan inläsning av data)")  # fmt: skip
    if args.all:
        everything = batch.resolve_kommuner("all")
        started = time.perf_counter()
        failed = batch.ensure_ingested(everything, progress=lambda *_: None, jobs=2)
        ingest_minutes = (time.perf_counter() - started) / 60
        print(f"inläsning av data för alla 290 kommuner (2 processer): {ingest_minutes:.0f} min"
              + (f", misslyckades för {', '.join(failed)}" if failed else ""), flush=True)  # fmt: skip
        seconds, peak_all = timed_run(everything, jobs=2, allow_failures=True)
        print(f"uppmätt tid för alla 290 kommuner: {seconds / 60:.0f} min, "
              f"högsta minne {peak_all:.0f} MB")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
