"""No orphans, no debris: a stopped or killed run takes its workers and kernels with it.

Each test starts a real ``trygghet run`` (the command line, in a subprocess,
on a small suite whose notebooks sleep), signals it mid-run and checks, with
every wait bounded, that no process of the run survives, that the earlier
published reports are intact and that no staging folder outlives the next run.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import make_notebook

from trygghet.pipeline import runner

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

# The command line, on a notebook folder of our own (run_many's default is bound at import).
RUN_SCRIPT = """
import faulthandler
import signal
import sys
from pathlib import Path
from trygghet.pipeline import cli, runner

if __name__ == "__main__":  # not again in the "spawn" workers
    faulthandler.register(signal.SIGUSR1, all_threads=True)  # a hung run shows where it hangs
    # A terminal's foreground job, whatever started the tests: a background job of a
    # shell without job control inherits SIGINT ignored, and the runner rightly keeps
    # an ignored signal ignored (as under nohup), so Ctrl-C would never reach it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    notebooks, outputs, jobs = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    run_many = runner.run_many
    runner.run_many = lambda *a, **kw: run_many(*a, **(kw | {"notebooks_dir": notebooks}))
    sys.exit(cli.main(["run", "--kommun", "1863", "--period", "2025", "--jobs", jobs,
                       "--outputs", outputs]))
"""
FAST_CELLS = ['print(f"Rapport för {kommun} år {period}")']
NAMES = ("01_a", "02_b", "03_c")
START_TIMEOUT_S = 120  # until the sleeping notebooks run (imports, on a busy CI machine)
GONE_TIMEOUT_S = 30  # until every process of the run has ended


# ---------------------------------------------------------------- processes


def _start_time(pid: int) -> str | None:
    """A process's start time (field 22 of /proc/PID/stat); None if it is gone or a zombie."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return None if fields[0] in "ZX" else fields[19]


def _descendants(root: int) -> dict[tuple[int, str], str]:
    """Every live process under ``root`` (and root), as (pid, start time) → command line."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
                )
            except (OSError, IndexError, ValueError):
                continue
    tree, changed = {root}, True
    while changed:
        found = {pid for pid, ppid in parents.items() if ppid in tree} - tree
        changed = bool(found)
        tree |= found
    seen = {}
    for pid in tree:
        start = _start_time(pid)
        if start is not None:
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            seen[(pid, start)] = cmdline
    return seen


def _survivors(processes: dict[tuple[int, str], str]) -> list[str]:
    return [f"{pid} {cmd}" for (pid, start), cmd in processes.items() if _start_time(pid) == start]


def _kill_all(processes: dict[tuple[int, str], str]) -> None:
    """Never leave a process behind, whatever the test found."""
    for pid, start in processes:
        if _start_time(pid) == start:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


# ---------------------------------------------------------------- outputs


def _write_suite(nb_dir: Path, sleeping: dict[str, Path] | None = None) -> None:
    """The fast suite, or with the named notebooks announcing themselves and sleeping."""
    for name in NAMES:
        cells = FAST_CELLS
        if sleeping and name in sleeping:
            marker = sleeping[name]
            touch = f"from pathlib import Path\nPath({str(marker)!r}).touch()"
            cells = [touch, "import time\ntime.sleep(300)"]
        make_notebook(nb_dir / f"{name}.ipynb", cells)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _staging(out_root: Path) -> list[Path]:
    return sorted((out_root / "1863").glob(".staging-*"))


def _run_in_process(nb_dir: Path, out_root: Path, **kwargs) -> runner.RunResult:
    try:
        return runner.run("1863", 2025, notebooks_dir=nb_dir, outputs_root=out_root, **kwargs)
    finally:
        runner._discard_kernel()  # this process's kernel: not left for later tests


def _start_cli_run(tmp_path: Path, nb_dir: Path, out_root: Path, jobs: int, name: str):
    script = tmp_path / "run_cli.py"
    script.write_text(RUN_SCRIPT, encoding="utf-8")
    log = open(tmp_path / f"{name}.log", "w+b")  # noqa: SIM115 – closed by the caller
    proc = subprocess.Popen(
        [sys.executable, str(script), str(nb_dir), str(out_root), str(jobs)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, like a terminal's foreground job
    )
    return proc, log


def _wait_or_show_where(proc: subprocess.Popen, log) -> None:  # noqa: ANN001
    """Wait for the run to end; if it does not, fail with its output and its threads' stacks."""
    try:
        proc.wait(timeout=GONE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            os.kill(proc.pid, signal.SIGUSR1)  # faulthandler (RUN_SCRIPT) writes the stacks
        time.sleep(1.0)
        log.seek(0)
        output = log.read().decode(errors="replace")
        pytest.fail(f"the run did not end within {GONE_TIMEOUT_S} s:\n{output[-6000:]}")


# ---------------------------------------------------------------- the tests


@pytest.mark.parametrize(
    ("signum", "jobs"),
    [
        (signal.SIGINT, 2),
        (signal.SIGTERM, 2),
        (signal.SIGKILL, 2),
        (signal.SIGKILL, 1),  # the kernel belongs to the runner itself
    ],
    ids=["SIGINT", "SIGTERM", "SIGKILL", "SIGKILL-one-job"],
)
def test_a_signalled_run_leaves_no_process_and_no_staging(tmp_path, signum, jobs):
    nb_dir, out_root = tmp_path / "notebooks", tmp_path / "out"
    _write_suite(nb_dir)
    assert _run_in_process(nb_dir, out_root, jobs=1).ok
    published = out_root / "1863" / "2025"
    before = _snapshot(published)

    markers = {name: tmp_path / f"{name}.running" for name in NAMES[1:]}
    _write_suite(nb_dir, sleeping=markers)
    proc, log = _start_cli_run(tmp_path, nb_dir, out_root, jobs, "signalled")
    processes: dict[tuple[int, str], str] = {}
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        waiting_for = list(markers.values())[:jobs]  # the notebooks running at once
        while not all(m.exists() for m in waiting_for):
            processes |= _descendants(proc.pid)
            assert proc.poll() is None, "the run ended before the signal"
            assert time.monotonic() < deadline, "the sleeping notebooks never started"
            time.sleep(0.1)
        processes |= _descendants(proc.pid)
        kernels = [cmd for cmd in processes.values() if "ipykernel" in cmd]
        assert len(kernels) >= jobs, processes
        assert len(_staging(out_root)) == 1  # mid-run: its staging folder exists

        if signum == signal.SIGINT:
            os.killpg(proc.pid, signum)  # Ctrl-C reaches the whole foreground group
        else:
            os.kill(proc.pid, signum)  # only the runner: the workers must notice
        _wait_or_show_where(proc, log)
        deadline = time.monotonic() + GONE_TIMEOUT_S
        while _survivors(processes) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _survivors(processes) == []
    finally:
        _kill_all(processes)
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    log.seek(0)
    output = log.read().decode()
    log.close()

    # The kernels' connection files and sockets went with them (a worker ends its
    # kernel; a kernel of a runner killed outright is left to the next run).
    kernel_files = [Path(cmd.split(" -f ")[1].split()[0]) for cmd in kernels]
    kernel_files += [Path(f"{f.with_suffix('')}-ipc-{n}") for f in kernel_files for n in (1, 2)]
    if not (signum == signal.SIGKILL and jobs == 1):
        assert [f for f in kernel_files if f.exists()] == []
    assert _snapshot(published) == before  # the earlier reports, untouched
    if signum == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
        [stale] = _staging(out_root)  # a killed run cannot clean up; it names its owner
        owner = json.loads((stale / runner.STAGING_OWNER_FILE).read_text(encoding="utf-8"))
        assert owner["pid"] == proc.pid
    else:
        assert proc.returncode == 128 + signum
        assert "Avbrutet; tidigare rapporter ligger kvar." in output
        assert _staging(out_root) == []  # it removed its own staging

    _write_suite(nb_dir)
    assert _run_in_process(nb_dir, out_root, only=["01_a"], jobs=1).ok
    assert _staging(out_root) == []  # the next run removed the dead run's staging
    assert [f for f in kernel_files if f.exists()] == []
    after = _snapshot(published)
    untouched = [f"{name}{suffix}" for name in NAMES[1:] for suffix in (".html", ".ipynb")]
    assert [after[f] for f in untouched] == [before[f] for f in untouched]


def test_two_runs_at_once_on_one_kommun_both_succeed(tmp_path):
    nb_dir, out_root = tmp_path / "notebooks", tmp_path / "out"
    for name in NAMES:
        make_notebook(nb_dir / f"{name}.ipynb", ["import time\ntime.sleep(1)", *FAST_CELLS])
    runs = [_start_cli_run(tmp_path, nb_dir, out_root, 2, f"run{i}") for i in (1, 2)]
    processes: dict[tuple[int, str], str] = {}
    most_staging = 0
    try:
        deadline = time.monotonic() + 4 * START_TIMEOUT_S
        while any(proc.poll() is None for proc, _ in runs):
            for proc, _ in runs:
                processes |= _descendants(proc.pid)
            most_staging = max(most_staging, len(_staging(out_root)))
            assert time.monotonic() < deadline, "the two runs did not finish"
            time.sleep(0.2)
        # What a run started ends with it, within moments (multiprocessing's resource
        # tracker, for one, leaves when it sees its runner's end of the pipe close).
        deadline = time.monotonic() + GONE_TIMEOUT_S
        while _survivors(processes) and time.monotonic() < deadline:
            time.sleep(0.1)
        survivors = _survivors(processes)
    finally:
        _kill_all(processes)
        for proc, _ in runs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
    for proc, log in runs:
        log.seek(0)
        output = log.read().decode()
        log.close()
        assert proc.returncode == 0, output
        assert "Invalid Signature" not in output  # the runs' kernels never crossed wires
    published = out_root / "1863" / "2025"
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    assert [(n["name"], n["status"]) for n in manifest["notebooks"]] == [
        (name, "ok") for name in NAMES
    ]
    for name in NAMES:
        html = (published / f"{name}.html").read_text(encoding="utf-8")
        assert "Rapport för 1863 år 2025" in html
        assert json.loads((published / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    assert most_staging == 2  # they did run at once, each in its own staging folder
    assert _staging(out_root) == []
    assert survivors == []  # seen before the clean-up above killed anything


def test_only_staging_of_dead_runs_is_removed(tmp_path):
    folder = tmp_path / "1863"
    (folder / "2025").mkdir(parents=True)
    (folder / "2025" / "01_a.html").write_text("publicerad")

    def staging(name: str, owner: dict | None, age_s: float = 0.0) -> Path:
        path = folder / f".staging-2025-{name}"
        path.mkdir()
        (path / "01_a.html").write_text("halvfärdig")
        if owner is not None:
            (path / runner.STAGING_OWNER_FILE).write_text(json.dumps(owner))
        stamp = time.time() - age_s
        os.utime(path, (stamp, stamp))
        return path

    me = runner._this_process()
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait(timeout=30)
    old = 2 * runner.UNOWNED_STAGING_GRACE_S
    live = staging("live", me)
    other_host = staging("otherhost", me | {"host": "en-annan-dator", "pid": 1})
    fresh_unowned = staging("fresh", None)
    dead = staging("dead", me | {"pid": ended.pid})
    reused = staging("reused", me | {"start": "en annan start"})  # our pid, not our process
    old_unowned = staging("old", None, age_s=old)
    broken = folder / ".staging-2025-broken"
    broken.mkdir()
    (broken / runner.STAGING_OWNER_FILE).write_text("{inte json")
    os.utime(broken, (time.time() - old, time.time() - old))

    removed = runner.remove_stale_staging(folder)

    assert sorted(removed) == sorted([dead, reused, old_unowned, broken])
    assert all(p.is_dir() for p in (live, other_host, fresh_unowned))
    assert (folder / "2025" / "01_a.html").read_text() == "publicerad"


def test_a_stop_signal_waits_while_a_kommun_is_published():
    before = signal.getsignal(signal.SIGTERM)
    with runner.stop_on_signals():
        steps = []
        with pytest.raises(runner.Interrupted) as stopped, runner._uninterrupted():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)  # the handler has run by now
            steps.append("published")
        assert steps == ["published"]
        assert stopped.value.signum == signal.SIGTERM
        assert isinstance(stopped.value, KeyboardInterrupt)
    assert signal.getsignal(signal.SIGTERM) == before
