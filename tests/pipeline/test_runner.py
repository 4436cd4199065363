"""The runner: parameters reach the notebook, outputs appear, failures keep the last good report."""

from __future__ import annotations

import json
import os
import time

import pytest
from conftest import BROKEN_CELLS, GOOD_CELLS, make_notebook

from trygghet.errors import TrygghetError
from trygghet.pipeline import runner


def test_select_notebooks_by_stem_prefix_and_unknown(tmp_path):
    nbs = [make_notebook(tmp_path / f"{n}.ipynb", ["1"]) for n in ("01_a", "02_b")]
    assert runner.select_notebooks(nbs, ["02"]) == [nbs[1]]
    assert runner.select_notebooks(nbs, ["01_a.ipynb"]) == [nbs[0]]
    with pytest.raises(TrygghetError, match="finns inte.*01_a, 02_b"):
        runner.select_notebooks(nbs, ["03"])


def test_run_writes_html_notebook_manifest_and_index(tmp_path):
    nb_dir = tmp_path / "notebooks"
    make_notebook(nb_dir / "01_bra.ipynb", GOOD_CELLS)
    result = runner.run("1864", 2024, notebooks_dir=nb_dir, outputs_root=tmp_path / "out", jobs=1)
    out = tmp_path / "out" / "1864" / "2024"
    assert result.ok
    assert (out / "01_bra.html").exists() and (out / "01_bra.ipynb").exists()
    html = (out / "01_bra.html").read_text(encoding="utf-8")
    assert "Allt gick bra för 1864 år 2024." in html  # parameters were injected
    assert "report.summary" not in html  # code cells are hidden
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["kommun"] == "1864"
    assert manifest["notebooks"][0]["summary"] == "Allt gick bra för 1864 år 2024."
    assert any(i["path"].endswith("1864-ljusnarsberg.yml") for i in manifest["inputs"])
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    assert "pandas" in manifest["packages"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="01_bra.html"' in index and "Allt gick bra" in index
    assert "1864/2024/index.html" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert not list((tmp_path / "out" / "1864").glob(".staging-*"))


def test_a_reused_kernel_keeps_no_open_clients_between_notebooks(tmp_path, monkeypatch):
    """nbclient leaves a borrowed kernel's client open; each one queued all later output."""
    monkeypatch.delenv("TRYGGHET_FRESH_KERNELS", raising=False)
    made = []
    manager = runner._warm_kernel_manager_class()
    original = manager.client
    monkeypatch.setattr(
        manager, "client", lambda self, **kw: made.append(original(self, **kw)) or made[-1]
    )
    nb_dir = tmp_path / "notebooks"
    for name in ("01_a", "02_b", "03_c"):
        make_notebook(nb_dir / f"{name}.ipynb", GOOD_CELLS)
    try:
        result = runner.run(
            "1864", 2024, notebooks_dir=nb_dir, outputs_root=tmp_path / "out", jobs=1
        )
        assert result.ok
        assert len(made) >= 3  # one client per notebook (and per reset) on one kernel
        assert not [c for c in made if c.channels_running]
    finally:
        runner._discard_kernel()


def test_a_new_client_is_ready_once_the_kernel_answers_it_with_nothing_stale_left():
    """wait_for_ready ends at its own request's idle status: IOPub connected, earlier output read."""
    from queue import Empty

    from jupyter_core.utils import run_sync

    kernel = runner._warm_kernel_manager_class()(kernel_name="python3", transport="ipc",
                                                 **runner._private_ipc_paths())  # fmt: skip

    async def scenario() -> tuple[bool, list[str]]:
        await kernel.start_kernel(**runner._die_with_this_process())
        first = kernel.client()
        first.start_channels()
        await first.wait_for_ready(timeout=30)
        first.execute("import time; time.sleep(0.5); print('kvar')")  # its output read by nobody
        second = kernel.client()
        second.start_channels()
        await second.wait_for_ready(timeout=30)  # the kernel answers after the sleep
        try:
            await second.iopub_channel.get_msg(timeout=0.3)
            stale = True
        except Empty:
            stale = False
        texts: list[str] = []
        reply = await second.execute_interactive(
            "print('ny')", timeout=30,
            output_hook=lambda m: texts.append(m["content"].get("text", "")),
        )  # fmt: skip
        assert reply["content"]["status"] == "ok"
        first.stop_channels()
        second.stop_channels()
        return stale, texts

    try:
        stale, texts = run_sync(scenario)()
        assert not stale  # the earlier request's output was read before ready
        assert "ny\n" in texts  # and IOPub carries the new request's output
    finally:
        run_sync(kernel.shutdown_kernel)(now=True)


def test_pool_workers_start_their_kernels_warm_and_end_with_the_run(tmp_path, monkeypatch):
    """The workers and kernels start before planning, with the common imports paid."""
    import psutil

    def command(process: psutil.Process) -> str | None:
        """A live process's command line; None when it has ended (a zombie has too)."""
        try:
            return None if process.status() == psutil.STATUS_ZOMBIE else " ".join(process.cmdline())
        except psutil.Error:
            return None

    def left() -> list[str]:
        """Processes still there 10 s on (a kernel ends on its worker's death signal)."""
        deadline = time.monotonic() + 10
        while True:  # multiprocessing's resource tracker lives as long as Python
            commands = [command(p) for p in psutil.Process().children(recursive=True)]
            alive = [c for c in commands if c and "resource_tracker" not in c]
            if not alive or time.monotonic() > deadline:
                return alive
            time.sleep(0.1)

    monkeypatch.delenv("TRYGGHET_FRESH_KERNELS", raising=False)
    nb_dir, out_root = tmp_path / "notebooks", tmp_path / "out"
    warm_check = [
        "import sys",
        "warm = 'trygghet.present.page' in sys.modules",  # before this notebook imports it
        *GOOD_CELLS[:1],
        'report.summary(f"varm: {warm}")',
    ]
    for name in ("01_a", "02_b"):
        make_notebook(nb_dir / f"{name}.ipynb", warm_check)
    kwargs = {"notebooks_dir": nb_dir, "outputs_root": out_root, "jobs": 2}
    [first] = runner.run_many(["1864"], 2024, **kwargs)
    assert first.ok
    assert [r.summary for r in first.results] == ["varm: True", "varm: True"]
    assert left() == []  # no worker, no kernel

    [again] = runner.run_many(["1864"], 2024, **kwargs)  # nothing to do: workers stopped
    assert all(r.seconds == 0.0 for r in again.results)
    assert left() == []


def test_broken_notebook_is_reported_and_last_good_output_survives(tmp_path):
    nb_dir = tmp_path / "notebooks"
    out_root = tmp_path / "out"
    make_notebook(nb_dir / "01_bra.ipynb", GOOD_CELLS)
    make_notebook(nb_dir / "02_rapport.ipynb", GOOD_CELLS)
    assert runner.run("1863", 2025, notebooks_dir=nb_dir, outputs_root=out_root, jobs=2).ok
    out = out_root / "1863" / "2025"
    good_html = (out / "02_rapport.html").read_bytes()

    make_notebook(nb_dir / "02_rapport.ipynb", BROKEN_CELLS)  # the same report, now broken
    result = runner.run("1863", 2025, notebooks_dir=nb_dir, outputs_root=out_root, jobs=2)

    assert not result.ok
    [failed] = result.failed
    assert failed.name == "02_rapport"
    assert failed.cell == 3  # parameters 1, x = 1 is 2; papermill's injected cell not counted
    assert failed.cell_source == "y = x / 0"
    assert "ZeroDivisionError" in failed.error
    assert (out / "02_rapport.html").read_bytes() == good_html  # last good report intact
    assert (out / "misslyckade" / "02_rapport.ipynb").exists()  # the failure is kept to inspect
    assert [r.status for r in result.results] == ["ok", "failed"]  # the other one still ran
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Senaste körningen misslyckades" in index
    # The kept page is dated by the program version it was made with, not by a clock.
    entry = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["notebooks"][1]
    assert entry["kept_from"] and "finished_at" not in entry and "seconds" not in entry
    assert f"programversion {entry['kept_from'][:7]}" in index


def test_cli_exit_code_and_message_name_notebook_cell_and_error(tmp_path, monkeypatch, capsys):
    from trygghet.pipeline import cli

    nb_dir = tmp_path / "notebooks"
    make_notebook(nb_dir / "01_trasig.ipynb", BROKEN_CELLS)
    monkeypatch.setattr(runner.paths, "NOTEBOOKS_DIR", nb_dir)
    monkeypatch.setattr(runner.paths, "OUTPUTS_DIR", tmp_path / "out")
    original_run_many = runner.run_many

    def run_in_tmp(*args, **kwargs):
        kwargs |= {"notebooks_dir": nb_dir, "outputs_root": tmp_path / "out"}
        return original_run_many(*args, **kwargs)

    monkeypatch.setattr(runner, "run_many", run_in_tmp)
    code = cli.main(["run", "--kommun", "1863", "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == 1
    assert "01_trasig" in err and "cell" in err and "ZeroDivisionError" in err


def test_cli_unknown_kommun_is_a_clear_error(capsys):
    from trygghet.pipeline import cli

    assert cli.main(["run", "--kommun", "9999"]) == 2
    assert "9999" in capsys.readouterr().err


def test_batch_skips_up_to_date_reports_and_redoes_changed_ones(tmp_path):
    nb_dir = tmp_path / "notebooks"
    out_root = tmp_path / "out"
    make_notebook(nb_dir / "01_a.ipynb", GOOD_CELLS)
    make_notebook(nb_dir / "02_b.ipynb", GOOD_CELLS)
    kwargs = {"notebooks_dir": nb_dir, "outputs_root": out_root, "jobs": 2}
    first = runner.run_many(["1863", "1864"], 2025, **kwargs)
    assert all(r.ok for r in first)
    html = out_root / "1864" / "2025" / "02_b.html"
    stamp = html.stat().st_mtime_ns

    again = runner.run_many(["1863", "1864"], 2025, **kwargs)
    assert all(i.seconds == 0.0 for r in again for i in r.results)  # nothing redone
    assert html.stat().st_mtime_ns == stamp

    make_notebook(nb_dir / "02_b.ipynb", [*GOOD_CELLS, "1 + 1"])  # the notebook changed
    third = runner.run_many(["1863", "1864"], 2025, **kwargs)
    redone = sorted(f"{r.kommun}/{i.name}" for r in third for i in r.results if i.seconds > 0)
    assert redone == ["1863/02_b", "1864/02_b"]
    manifest = json.loads((out_root / "1863" / "2025" / "manifest.json").read_text())
    assert [n["name"] for n in manifest["notebooks"]] == ["01_a", "02_b"]


def test_a_failing_kommun_does_not_stop_the_batch(tmp_path):
    nb_dir = tmp_path / "notebooks"
    make_notebook(nb_dir / "01_a.ipynb", ['assert kommun != "1864", "trasig kommun"'])
    results = runner.run_many(
        ["1863", "1864", "1880"], 2025, notebooks_dir=nb_dir, outputs_root=tmp_path / "out", jobs=2
    )
    assert [r.ok for r in results] == [True, False, True]
    assert "trasig kommun" in results[1].failed[0].error


def test_resolve_kommuner():
    from trygghet.pipeline.batch import resolve_kommuner

    assert len(resolve_kommuner("all")) == 290
    assert "1863" in resolve_kommuner("18") and "0114" not in resolve_kommuner("18")
    assert resolve_kommuner("1863, 1864") == ["1863", "1864"]
    with pytest.raises(TrygghetError, match="9999"):
        resolve_kommuner("1863,9999")


def test_batch_runs_on_a_dask_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    nb_dir = tmp_path / "notebooks"
    make_notebook(nb_dir / "01_a.ipynb", GOOD_CELLS)
    make_notebook(nb_dir / "02_b.ipynb", GOOD_CELLS)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        results = runner.run_many(
            ["1863", "1864"],
            2025,
            notebooks_dir=nb_dir,
            outputs_root=tmp_path / "out",
            scheduler=cluster.scheduler_address,
        )
    assert all(r.ok for r in results)
    html = (tmp_path / "out" / "1864" / "2025" / "02_b.html").read_text(encoding="utf-8")
    assert "Allt gick bra för 1864 år 2025." in html


# --------------------------------------------------------------------------- index pages


def _entry(name: str, summary: str, origin: str | None) -> dict:
    return {"name": name, "title": name, "status": "ok", "html": f"{name}.html",
            "summary": summary, "summary_origin": origin}  # fmt: skip


def test_index_marks_every_summary_built_on_example_data(tmp_path):
    from trygghet.pipeline import index_page

    manifest = {
        "kommun": "1863", "kommun_name": "Hällefors", "period": 2025,
        "notebooks": [
            _entry("01_real", "Polisen publicerade 18 händelser.", "real"),
            _entry("02_example", "647 brott <script>x</script> {{7*7}}", "example"),
            _entry("03_mixed", "Blandat underlag.", "blandat"),
        ],
    }  # fmt: skip
    page = index_page.run_index_html(manifest)
    label = f'<span class="example">{index_page.EXAMPLE_LABEL}</span>'
    assert page.count(label) == 2
    assert f"{label} 647 brott &lt;script&gt;" in page and "{{7*7}}" not in page
    assert f"{label} Blandat underlag." in page
    assert "<div>Polisen publicerade 18 händelser.</div>" in page
    run_dir = tmp_path / "1863" / "2025"
    run_dir.mkdir(parents=True)
    (run_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    real_dir = tmp_path / "riket" / "2025"
    real_dir.mkdir(parents=True)
    riket = manifest | {"kommun": "riket", "kommun_name": "Hela Sverige",
                        "notebooks": [_entry("01_riksoversikt", "Riksöversikt.", "real")]}  # fmt: skip
    (real_dir / "manifest.json").write_text(json.dumps(riket), encoding="utf-8")
    root = index_page.root_index_html(tmp_path)
    hallefors = next(line for line in root.split("<li>") if "Hällefors" in line)
    sverige = next(line for line in root.split("<li>") if "Hela Sverige" in line)
    assert index_page.EXAMPLE_LABEL in hallefors and index_page.EXAMPLE_LABEL not in sverige


def test_run_carries_the_summary_origin_to_manifest_and_index(tmp_path):
    nb_dir = tmp_path / "notebooks"
    start = 'ctx = report.start(kommun, period, title="Test")'
    make_notebook(
        nb_dir / "01_real.ipynb",
        ["import trygghet.present.page as report", start,
         'report.banner("Polisen", "real")', 'report.summary("Polisen publicerade 18.")'],
    )  # fmt: skip
    make_notebook(
        nb_dir / "02_example.ipynb",
        ["import trygghet.present.page as report", start,
         'report.banner("Brå", "example")', 'report.summary("Påhittade 647 brott.")'],
    )  # fmt: skip
    runner.run("1864", 2024, notebooks_dir=nb_dir, outputs_root=tmp_path / "out", jobs=1)
    out = tmp_path / "out" / "1864" / "2024"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    origins = {n["name"]: n["summary_origin"] for n in manifest["notebooks"]}
    assert origins == {"01_real": "real", "02_example": "example"}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<span class="example">EXEMPELDATA:</span> Påhittade 647 brott.' in index
    assert "<div>Polisen publicerade 18.</div>" in index


def test_the_followup_history_is_not_an_input_to_the_fingerprint(tmp_path, monkeypatch):
    """The follow-up writes its history: it must not make the next run look different."""
    from trygghet import paths
    from trygghet.config import load_or_default
    from trygghet.reports.followup import HISTORY_NAME

    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path)
    (tmp_path / "1863").mkdir()
    (tmp_path / "1863" / "survey.parquet").write_bytes(b"table")
    config = load_or_default("1863")
    before = runner._data_fingerprint(config, 2025, tmp_path)
    (tmp_path / "1863" / HISTORY_NAME).write_text('{"runs": []}', encoding="utf-8")
    assert runner._data_fingerprint(config, 2025, tmp_path) == before
    (tmp_path / "1863" / "survey.parquet").write_bytes(b"another table")
    assert runner._data_fingerprint(config, 2025, tmp_path) != before


# --------------------------------------------------------------------------
# Workers share the cores: one thread pool per worker, not one per core


def test_workers_and_their_kernels_get_their_share_of_the_cores(monkeypatch):
    import pyarrow

    for variable in runner.THREAD_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 4)
    assert runner._threads_per_worker(2) == 2
    assert runner._threads_per_worker(8) == 1  # never none
    assert runner._threads_per_worker(1) == 4
    with runner.worker_pool(2) as pool:  # four cores, two workers: two threads each
        assert pool.submit(os.getenv, "OMP_NUM_THREADS").result() == "2"
        assert pool.submit(pyarrow.cpu_count).result() == 2  # sized though imported before
    assert "OMP_NUM_THREADS" not in os.environ  # the parent's environment is left alone


def test_a_thread_count_the_user_set_is_kept(monkeypatch):
    import pyarrow

    before = pyarrow.cpu_count()
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    try:
        runner._limit_threads(1)
        assert os.environ["OMP_NUM_THREADS"] == "3"
        assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
        assert pyarrow.cpu_count() == 3
    finally:
        pyarrow.set_cpu_count(before)
        for variable in runner.THREAD_VARIABLES[1:]:
            monkeypatch.delenv(variable, raising=False)


def test_the_kernel_reset_runs_cleanly_and_returns_free_heap_to_the_system():
    # A failing reset would silently cost a fresh kernel per notebook (the worker discards it).
    after_magic = runner._RESET_CODE.split("\n", 1)[1]
    namespace: dict = {}
    exec(after_magic, namespace)  # noqa: S102 - the runner's own code
    assert not [name for name in namespace if not name.startswith("__")]  # it leaves no names
    assert "malloc_trim" in after_magic
