"""Run the report notebooks for a kommun and period, render them, keep the good ones.

Why in-process: papermill's command line costs 2-3 s per call in imports and
``jupyter nbconvert`` about as much again, while a kernel starts in ~0.7 s. So
notebooks are executed through papermill's Python API and rendered with
nbconvert's ``HTMLExporter`` inside a small pool of worker processes that pay
the imports once each (see ``docs``/MEASURED facts and ``make bench``).

Why staging: every file is first written to a staging folder beside the final
one and only moved into place (atomic rename) when its notebook succeeded. A
failed or interrupted run never leaves a half-written report and never
replaces the last good one. A stopped run (Ctrl-C, SIGTERM) ends its workers
and kernels and removes its staging; of a run killed outright (SIGKILL) the
workers and kernels die with it and the next run removes the staging it left.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import heapq
import json
import multiprocessing
import os
import queue as queue_module
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from trygghet import atomic, paths
from trygghet.errors import TrygghetError
from trygghet.pipeline import provenance
from trygghet.present import glossary
from trygghet.stats import records

KERNEL_NAME = "trygghet"
FAILED_DIR_NAME = "misslyckade"
#: Cells left out of the page: parameters, the slides' cells, and notes for analysts
#: (how to set a notebook's parameters is for JupyterLab, not for the council).
HIDDEN_CELL_TAGS = ("parameters", "injected-parameters", "slides", "analyst-note")
#: A notebook's cells tagged so make its meeting slides (``<notebook>_bildspel.html``).
SLIDES_TAG = "slides"
SLIDES_SUFFIX = "_bildspel.html"

_PROGRESS_QUEUE = None


@dataclass(frozen=True)
class NotebookTask:
    """Everything a worker needs to execute and render one notebook."""

    notebook: str
    kommun: str
    period: int
    shared_data: str
    staging_dir: str
    kernel_name: str
    cwd: str
    timeout_s: int = 900
    extra_parameters: tuple[tuple[str, str], ...] = ()  # replaces kommun for national notebooks
    #: The run's indicator records (staging); the notebook writes and reads them there.
    records_dir: str = ""
    #: The report key whose records this notebook publishes (notebook metadata).
    publishes: str = ""
    #: Labels of the tasks that must finish first (the reports whose records it reads).
    after: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.kommun}/{Path(self.notebook).stem}"

    @property
    def parameters(self) -> dict[str, object]:
        if self.extra_parameters:
            return {"period": self.period, "shared_data": self.shared_data} | dict(
                self.extra_parameters
            )
        own = {"kommun": self.kommun, "period": self.period, "shared_data": self.shared_data}
        # Only notebooks that publish or read records take the parameter.
        return own | ({"records_dir": self.records_dir} if self.records_dir else {})


@dataclass
class NotebookResult:
    name: str
    status: str  # "ok" or "failed"
    seconds: float
    summary: str | None = None
    summary_origin: str | None = None  # "example"/"real": the index page marks example summaries
    error: str | None = None
    cell: int | None = None  # 1-based number among the original notebook's code cells
    cell_source: str | None = None  # first line of that cell, to find it at a glance
    title: str | None = None
    publishes: str | None = None  # the report key of the records it published
    slides: str | None = None  # the meeting slides made from its cells tagged "slides"


@dataclass
class RunResult:
    kommun: str
    period: int
    output_dir: Path
    results: list[NotebookResult] = field(default_factory=list)

    @property
    def failed(self) -> list[NotebookResult]:
        return [r for r in self.results if r.status != "ok"]

    @property
    def ok(self) -> bool:
        return not self.failed


def discover_notebooks(directory: Path = paths.NOTEBOOKS_DIR) -> list[Path]:
    """The suite: every ``.ipynb`` in the folder, in file-name order."""
    return sorted(p for p in Path(directory).glob("*.ipynb") if not p.name.startswith("."))


def select_notebooks(notebooks: Sequence[Path], only: Sequence[str] | None) -> list[Path]:
    """Keep the notebooks named in ``only`` (file stem, file name or a unique prefix)."""
    if not only:
        return list(notebooks)
    chosen: list[Path] = []
    for wanted in only:
        key = Path(wanted).stem
        hits = [nb for nb in notebooks if nb.stem == key] or [
            nb for nb in notebooks if nb.stem.startswith(key)
        ]
        if len(hits) != 1:
            names = ", ".join(nb.stem for nb in notebooks)
            problem = "finns inte" if not hits else "är tvetydig"
            raise TrygghetError(f"Notebooken '{wanted}' {problem}. Tillgängliga: {names}")
        chosen.extend(h for h in hits if h not in chosen)
    return chosen


def resolve_kernel_name() -> str:
    """The project's registered kernel, else the interpreter's own ``python3`` kernel."""
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL_NAME if KERNEL_NAME in KernelSpecManager().find_kernel_specs() else "python3"


def _skip_slow_schema_import() -> None:
    # jsonschema imports rfc3987_syntax at import time (pulled in by JupyterLab's
    # jsonschema[format-nongpl]); it builds a grammar costing 1.1-1.4 s per process
    # and only validates IRI formats that notebook files never use.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _init_worker(progress_queue: object, warm_kernel: bool = False) -> None:
    global _PROGRESS_QUEUE
    _PROGRESS_QUEUE = progress_queue
    _skip_slow_schema_import()
    kernel = _launch_warm_kernel() if warm_kernel else None  # it boots while we import
    import nbconvert  # noqa: F401  (pay the imports before the first task)
    import papermill  # noqa: F401

    if kernel is not None:
        _warm_up(kernel)


def _notify(event: str, name: str) -> None:
    if _PROGRESS_QUEUE is not None:
        _PROGRESS_QUEUE.put((event, name))


_MEMORY_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")
RUN_DETAIL_KEYS = ("start_time", "end_time", "duration", "input_path", "output_path")
_RECORDS_PARAMETER = re.compile(r'^records_dir = ".*"$', re.MULTILINE)
RECORDS_LABEL = "records"


def _strip_run_details(nb: object) -> None:
    """Remove run times and temporary paths, so two runs give byte-identical notebooks.

    No output records when or how long a run took (the command line prints the
    durations), so that two runs of the same inputs and code give identical trees.
    """
    meta = nb.metadata.get("papermill", {})  # type: ignore[attr-defined]
    for key in RUN_DETAIL_KEYS:
        meta.pop(key, None)
    # The records folder was the run's staging folder: a path of this machine and of
    # this run. The published notebook names it as published, beside it: "records".
    if "records_dir" in meta.get("parameters", {}):
        meta["parameters"]["records_dir"] = RECORDS_LABEL
    count = 0
    for cell in nb.cells:  # type: ignore[attr-defined]
        # A reused kernel keeps counting; number the cells as a fresh kernel would.
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            count += 1
            cell["execution_count"] = count
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = count
    for cell in nb.cells:  # type: ignore[attr-defined]
        cell.metadata.get("papermill", {}).clear()
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives it a random id
            cell["source"] = _RECORDS_PARAMETER.sub(
                f'records_dir = "{RECORDS_LABEL}"', cell["source"]
            )
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/plain")
            if isinstance(text, str) and " at 0x" in text:
                # Default reprs (e.g. a folium Map's) carry a memory address.
                output["data"]["text/plain"] = _MEMORY_ADDRESS.sub(">", text)


def _failed_cell(executed: Path) -> tuple[int | None, str | None]:
    """Number the failing cell as the author sees it: code cells of the original notebook.

    Found by its error output, because papermill adds cells (the injected
    parameters, an error banner) that shift its own indices; users never saw them.
    """
    import nbformat

    try:
        cells = nbformat.read(executed, as_version=4).cells
    except (OSError, ValueError):
        return None, None
    number = 0
    for cell in cells:
        if cell.cell_type != "code" or "injected-parameters" in cell.metadata.get("tags", []):
            continue
        number += 1
        if any(output.get("output_type") == "error" for output in cell.get("outputs", [])):
            first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
            return number, first
    return None, None


def _summary_from(nb: object) -> str | None:
    from trygghet.present.page import SUMMARY_METADATA_KEY

    for cell in nb.cells:  # type: ignore[attr-defined]
        for output in cell.get("outputs", []):
            text = output.get("metadata", {}).get(SUMMARY_METADATA_KEY)
            if text:
                return str(text)
    return None


def _summary_origin_from(nb: object) -> str | None:
    """The origin tagged with the summary ("example" when it rests on example data)."""
    from trygghet.present.page import SUMMARY_METADATA_KEY, SUMMARY_ORIGIN_KEY

    for cell in nb.cells:  # type: ignore[attr-defined]
        for output in cell.get("outputs", []):
            metadata = output.get("metadata", {})
            if metadata.get(SUMMARY_METADATA_KEY):
                return str(metadata.get(SUMMARY_ORIGIN_KEY) or "") or None
    return None


def _title_from(nb: object) -> str:
    for cell in nb.cells:  # type: ignore[attr-defined]
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def render_html(nb: object, title: str) -> str:
    """A self-contained page: outputs only, no code, no prompts, images inline."""
    import copy

    shown = copy.deepcopy(nb)
    shown.cells = [  # type: ignore[attr-defined]
        c
        for c in shown.cells  # type: ignore[attr-defined]
        if not set(c.get("metadata", {}).get("tags", [])) & set(HIDDEN_CELL_TAGS)
        and not (
            c.cell_type == "markdown"
            and "papermill-error-cell-tag" in c.get("metadata", {}).get("tags", [])
        )
    ]
    shown.metadata["title"] = title  # type: ignore[attr-defined]
    exporter = _html_exporter(threading.get_ident())
    body, _ = exporter.from_notebook_node(shown, resources={"trygghet_css": report_css()})
    return body


@functools.lru_cache(maxsize=8)
def _html_exporter(thread: int):
    """The report page exporter, made once per process and thread (it registers filters).

    Our template is lab's without the CDN scripts (require.js, MathJax, mermaid,
    widgets): a report loads nothing from outside the machine it is opened on.
    A new exporter compiled its ten templates again for every page (a third of
    the export, ~0,12 s a notebook: issue 16); everything of a page is passed per
    call, so one exporter serves every page a worker renders.
    """
    from nbconvert import HTMLExporter

    return HTMLExporter(
        extra_template_basedirs=[str(REPORT_TEMPLATES_DIR)],
        template_name=REPORT_TEMPLATE,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )


def slides_html(nb: object, title: str) -> str | None:
    """The meeting slides: the HTML outputs of the cells tagged ``slides`` in the deck's page.

    The outputs are the library's own markup (every text already through the
    page gate); the deck page (``resources/slides/deck.html``) adds only style
    and the keys that move between slides. None when no cell is tagged.
    """
    from string import Template

    cells = [
        c
        for c in nb.cells  # type: ignore[attr-defined]
        if SLIDES_TAG in c.get("metadata", {}).get("tags", [])
    ]
    if not cells:
        return None
    body = "".join(
        "".join(out.get("data", {}).get("text/html", ""))
        for c in cells
        for out in c.get("outputs", [])
        if out.get("output_type") in ("display_data", "execute_result")
    )
    from trygghet.present.gate import html_text

    page = (paths.RESOURCES_DIR / "slides" / "deck.html").read_text(encoding="utf-8")
    return Template(page).substitute(title=html_text(f"Bildspel: {title}"), body=body)


REPORT_TEMPLATES_DIR = paths.RESOURCES_DIR / "nbconvert"
REPORT_TEMPLATE = "trygghet_report"  # extends nbconvert's "lab"; see its index.html.j2
#: The reports' own style sheet (screen, projector and print), next to the page template.
REPORT_CSS_FILE = REPORT_TEMPLATES_DIR / REPORT_TEMPLATE / "report.css"


@functools.lru_cache(maxsize=1)
def report_css() -> str:
    return REPORT_CSS_FILE.read_text(encoding="utf-8")


def execute_notebook(task: NotebookTask) -> NotebookResult:
    """Execute one notebook with papermill and render its HTML into the staging folder.

    Runs in a worker process. Errors never escape: a failure is returned as a
    result naming the cell and the error, with the executed notebook kept for
    inspection.
    """
    _skip_slow_schema_import()
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    name = Path(task.notebook).stem
    staging = Path(task.staging_dir)
    executed = staging / f"{name}.ipynb"
    _notify("start", task.label)
    started = time.perf_counter()
    result = NotebookResult(name=name, status="ok", seconds=0.0, publishes=task.publishes or None)
    kernel = None
    try:
        kernel = _reusable_kernel(task)
        nb = pm.execute_notebook(
            task.notebook,
            str(executed),
            parameters=task.parameters,
            kernel_name=task.kernel_name,
            progress_bar=False,
            request_save_on_cell_execute=False,
            cwd=task.cwd,
            execution_timeout=task.timeout_s,
            record_timing=False,
            **({"km": kernel} if kernel is not None else {}),
        )
        _strip_run_details(nb)
        nbformat.write(nb, executed)
        result.title = _title_from(nb) or name
        result.summary = _summary_from(nb)
        result.summary_origin = _summary_origin_from(nb)
        (staging / f"{name}.html").write_text(render_html(nb, result.title), encoding="utf-8")
        deck = slides_html(nb, result.title)
        if deck is not None:
            (staging / f"{name}{SLIDES_SUFFIX}").write_text(deck, encoding="utf-8")
            result.slides = f"{name}{SLIDES_SUFFIX}"
    except PapermillExecutionError as exc:
        _discard_kernel()  # its state after an error is unknown: start afresh next time
        result.status = "failed"
        result.cell, result.cell_source = _failed_cell(executed)
        result.error = f"{exc.ename}: {exc.evalue}"
    except Exception as exc:  # noqa: BLE001 – any failure must be reported, not raised
        _discard_kernel()
        result.status = "failed"
        result.error = f"{type(exc).__name__}: {exc}"
        if os.environ.get("TRYGGHET_DEBUG"):
            result.error += "\n" + traceback.format_exc()
    finally:
        if kernel is not None:
            kernel.close_clients()
    result.seconds = time.perf_counter() - started
    _notify("failed" if result.status != "ok" else "done", task.label)
    return result


# --------------------------------------------------------------------------
# One kernel per worker, reused between notebooks
# --------------------------------------------------------------------------
#
# Every notebook imports pandas, seaborn, geopandas and the library: ~2-3 s of
# CPU per kernel, more than many notebooks' own work. A worker therefore keeps
# its kernel and clears the user namespace between notebooks (`%reset -f`);
# imported modules stay loaded. Namespaces never leak (reset), the style is
# re-applied by every notebook's report.start, execution counts are
# renumbered, and a kernel that raised is discarded. nbval still runs each
# notebook in a fresh kernel, so notebooks never come to depend on reuse.
# TRYGGHET_FRESH_KERNELS=1 turns reuse off.
#
# nbclient only closes the client channels of kernels it owns. With a borrowed
# kernel every notebook's client stayed open and its iopub socket kept queueing
# the kernel's later output: a worker grew by ~85 MB per kommun, to 4 GB after
# a hundred. The kernel manager below therefore remembers the clients made
# from it and the worker closes them after each notebook.

_KERNELS = threading.local()  # one kernel per worker thread (Dask may run several)
# What survives a kernel's reset is long-lived (the modules the suite imports):
# it is frozen (gc.freeze) so that no later garbage collection walks it again.
# `%reset` alone collects twice and spent ~0,4 s per notebook walking those
# modules (issue 16). It is frozen after a reset only when the notebook before
# imported modules the kernel had not loaded (each report imports its own, so
# this happens in the first kommun's notebooks and seldom after), not at every
# reset: an object frozen and let go afterwards is never freed, so what a worker
# can keep that way is bounded by the modules there are, not by the batch.
# Then the C heap's free pages go back to the system (glibc's malloc_trim, ~4 ms;
# elsewhere nothing): a kernel's resident memory otherwise crept from ~500 to
# ~700 MB over the 290 kommuner of a batch with no Python object left behind
# (the object count stays flat), freed memory the allocator kept.
_RESET_CODE = (
    "%reset -f\n"
    "import matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt\n"
    "import gc as _gc, sys as _sys\n"
    "if getattr(_sys, '_trygghet_frozen_modules', 0) != len(_sys.modules):\n"
    "    _gc.collect()\n    _gc.freeze()\n    _sys._trygghet_frozen_modules = len(_sys.modules)\n"
    "del _gc, _sys\n"
    "import ctypes as _ctypes\n"
    "try:\n    _ctypes.CDLL(None).malloc_trim(0)\n"
    "except (OSError, AttributeError):\n    pass\n"
    "del _ctypes\n"
)


def _reusable_kernel(task: NotebookTask):
    """This thread's warm kernel, reset; None when reuse is off (papermill starts one)."""
    if os.environ.get("TRYGGHET_FRESH_KERNELS"):
        return None

    kernel = getattr(_KERNELS, "kernel", None)
    if kernel is not None and (kernel.kernel_name != task.kernel_name or not _reset(kernel)):
        _discard_kernel()
        kernel = None
    if kernel is None:
        kernel = _start_kernel(task.kernel_name, task.cwd)
    return kernel


#: A runner's kernel keeps no input history: IPython wrote every cell to its
#: SQLite history file (~/.ipython), which no one reads back from a report run,
#: and two kernels shared and locked that one file.
KERNEL_ARGUMENTS = ("--HistoryManager.enabled=False",)


def _start_kernel(kernel_name: str, cwd: str):
    """Start this thread's kernel (IPC sockets: a local kernel needs no network port)."""
    from jupyter_core.utils import run_sync

    kernel = _warm_kernel_manager_class()(
        kernel_name=kernel_name, transport="ipc", **_private_ipc_paths()
    )
    run_sync(kernel.start_kernel)(
        cwd=cwd, extra_arguments=list(KERNEL_ARGUMENTS), **_die_with_this_process()
    )
    _KERNELS.kernel = kernel
    _LIVE_KERNELS.add(kernel)
    atexit.register(_shutdown, kernel)
    return kernel


#: What every report notebook imports first (~2 s of a kernel's first notebook),
#: paid while the runner still checks configurations and plans (issue 16).
_WARM_UP_CODE = (
    "import matplotlib.pyplot, pandas\n"
    "import trygghet.present.page, trygghet.present.style, trygghet.sources.processed\n"
)


def _launch_warm_kernel():
    """Start a pool worker's kernel before its first task; None when that is off or fails.

    The runner's kernel and folder (:func:`resolve_kernel_name`, the project root)
    are those of every task it plans. Any trouble is left to the first task,
    which starts a kernel of its own and reports what fails.
    """
    if os.environ.get("TRYGGHET_FRESH_KERNELS"):
        return None
    try:
        return _start_kernel(resolve_kernel_name(), str(paths.PROJECT_ROOT))
    except Exception:  # noqa: BLE001 – the first task starts a kernel and says what fails
        _discard_kernel()
        return None


def _warm_up(kernel) -> None:
    """Run the imports every notebook makes in the worker's new kernel (see above)."""
    try:
        if _run_quietly(kernel, _WARM_UP_CODE):
            return
    except Exception:  # noqa: BLE001 – as above
        pass
    _discard_kernel()


_LIVE_KERNELS: set = set()  # every kernel this process started and has not shut down


def _private_ipc_paths() -> dict[str, str]:
    """A kernel's connection file and IPC sockets: an absolute, unique name in the temp folder.

    jupyter_client's default is ``kernel-ipc-1`` … relative to the current folder,
    numbered by what exists there when the kernel starts: two kernels starting at
    once (two workers, two runs) took the same sockets and read each other's
    messages ("Invalid Signature", "Kernel didn't respond"), and a runner started
    outside the project folder never reached its kernel, which binds in its own cwd.
    The name carries this process's pid and start, so that files left by a process
    killed outright (it could not shut its kernel down) are removed later.
    """
    _remove_dead_kernel_files()
    start = (_process_start(os.getpid()) or "").rsplit("/", 1)[-1]
    name = f"{KERNEL_FILE_PREFIX}{os.getpid()}-{start}-{uuid.uuid4().hex[:8]}"
    base = Path(tempfile.gettempdir()) / name
    return {"connection_file": f"{base}.json", "ip": f"{base}-ipc"}


KERNEL_FILE_PREFIX = "trygghet-kernel-"


def _remove_dead_kernel_files() -> None:
    """Remove the connection files and sockets of kernels whose starting process is gone."""
    for connection_file in Path(tempfile.gettempdir()).glob(f"{KERNEL_FILE_PREFIX}*.json"):
        pid, _, rest = connection_file.stem.removeprefix(KERNEL_FILE_PREFIX).partition("-")
        if not pid.isdigit() or not rest:
            continue
        start = _process_start(int(pid))
        if start is not None and start.rsplit("/", 1)[-1] in ("", rest.partition("-")[0]):
            continue  # its process lives
        for path in [
            connection_file,
            *connection_file.parent.glob(f"{connection_file.stem}-ipc-*"),
        ]:
            with contextlib.suppress(OSError):
                path.unlink()


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


@functools.cache
def _prctl():
    """libc's ``prctl`` (Linux), looked up once in the parent, never in a forked child."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def _die_with_this_process() -> dict[str, object]:
    """Popen arguments that make a child (a kernel) get SIGKILL when this process dies.

    Linux sends the signal when the thread that started the child ends, so this
    is only armed from the main thread (Dask runs tasks in threads that come and
    go; there ipykernel's own parent poller remains).
    """
    prctl = _prctl()
    if prctl is None or threading.current_thread() is not threading.main_thread():
        return {}
    parent = os.getpid()

    def arm() -> None:  # runs in the child, between fork and exec
        prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent:  # the parent ended before we asked
            os.kill(os.getpid(), signal.SIGKILL)

    return {"preexec_fn": arm}


def _abandon_kernels() -> None:
    """After an interrupt in this process: end its kernels, cancel what still waits on them.

    The interrupt left nbclient's coroutines pending on this thread's event loop;
    run again at exit (by ``_shutdown``) they would print "Task exception was never
    retrieved ... DeadKernelError" after the user's "Avbrutet" line.
    """
    import asyncio

    from jupyter_core.utils import ensure_event_loop

    _kill_kernels_now()
    with contextlib.suppress(Exception):
        loop = ensure_event_loop()
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for t in pending:
            t.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


def _kill_kernels_now() -> None:
    """End this process's kernels at once and remove their files (safe in a signal handler)."""
    for kernel in list(_LIVE_KERNELS):
        with contextlib.suppress(Exception):
            kernel.provisioner.process.kill()
        with contextlib.suppress(Exception):
            kernel.cleanup_connection_file()
            kernel.cleanup_ipc_files()


@functools.cache
def _warm_kernel_manager_class() -> type:
    """AsyncKernelManager that tracks its clients (built lazily: jupyter_client is slow to import)."""
    from jupyter_client.manager import AsyncKernelManager

    ready_client = _ready_client_class()

    class WarmKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.client_factory = ready_client

        def client(self, **kwargs):
            client = super().client(**kwargs)
            self.__dict__.setdefault("_open_clients", []).append(client)
            return client

        def close_clients(self) -> None:
            """Stop the channels of every client made since the last call."""
            clients = self.__dict__.pop("_open_clients", [])
            for client in clients:
                with contextlib.suppress(Exception):
                    client.stop_channels()

    return WarmKernelManager


def _ready_client_class() -> type:
    """AsyncKernelClient whose wait_for_ready ends when the kernel has answered, not after a pause.

    jupyter_client's own wait_for_ready checks that IOPub is connected and then
    empties it until nothing has come for 0,2 s: every notebook and every reset
    waited at least 0,2 s doing nothing (2,8 s of each kommun's 14 waits, one
    tenth of a batch: issue 16). Here a kernel_info request is sent and the
    client is ready when its reply has come on the shell channel and its own
    "idle" status on IOPub: the kernel publishes in order, so everything it
    published before has been read (and dropped) by then. If IOPub was not yet
    connected when that status went out (a subscriber misses what came before
    it joined), the request is sent again, as jupyter_client does.
    """
    from jupyter_client.asynchronous import AsyncKernelClient

    class ReadyClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while time.monotonic() < deadline:
                request = self.kernel_info()
                reply = await _message_for(self.shell_channel, request)
                if reply is not None:
                    self._handle_kernel_info_reply(reply)
                    if await _message_for(self.iopub_channel, request, idle=True):
                        return
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
            raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

    return ReadyClient


async def _message_for(channel, request: str, *, idle: bool = False):
    """The first message on ``channel`` answering ``request`` (its idle status with ``idle``).

    Messages answering earlier requests are dropped; None when nothing
    answering it came within a second.
    """
    while True:
        try:
            msg = await channel.get_msg(timeout=1)
        except queue_module.Empty:
            return None
        if msg["parent_header"].get("msg_id") != request:
            continue
        if not idle or (
            msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle"
        ):
            return msg


def _reset(kernel) -> bool:
    return _run_quietly(kernel, _RESET_CODE)


def _run_quietly(kernel, code: str) -> bool:
    """Run ``code`` in ``kernel`` (its output unread); whether it ran without error."""
    from jupyter_core.utils import run_sync

    async def run() -> bool:
        if not await kernel.is_alive():
            return False
        client = kernel.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=30)
            reply = await client.execute_interactive(code, timeout=60, store_history=False)
            return reply["content"]["status"] == "ok"
        except Exception:  # noqa: BLE001 – any trouble: use a fresh kernel instead
            return False
        finally:
            client.stop_channels()

    return run_sync(run)()


def _discard_kernel() -> None:
    kernel = getattr(_KERNELS, "kernel", None)
    _KERNELS.kernel = None
    if kernel is not None:
        _shutdown(kernel)


def _shutdown(kernel) -> None:
    from jupyter_core.utils import run_sync

    _LIVE_KERNELS.discard(kernel)
    with contextlib.suppress(Exception):  # best effort, also at interpreter exit
        if run_sync(kernel.is_alive)():
            run_sync(kernel.shutdown_kernel)(now=True)


# --------------------------------------------------------------------------
# Worker processes that never outlive the runner
# --------------------------------------------------------------------------
#
# Ctrl-C and a closed terminal (SIGINT, SIGHUP) reach the whole process group:
# workers ignore them and leave it to the runner, which stops them with
# SIGTERM. A worker ends its kernels and exits on SIGTERM, and Linux sends it
# SIGTERM when the runner dies in any way, SIGKILL included (a kernel gets
# SIGKILL when its worker dies). Before, workers and kernels of a killed run
# kept executing and writing into its staging folder.

WORKER_STOP_GRACE_S = 5.0


@contextlib.contextmanager
def worker_pool(jobs: int, initializer: Callable | None = None, initargs: tuple = ()):
    """A ``ProcessPoolExecutor`` of "spawn" workers that die with this process.

    Leaving the block by an exception (an interrupt) stops the workers at once,
    instead of waiting for the notebooks they are running.
    """
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_start_worker,
        initargs=(os.getpid(), _threads_per_worker(jobs), initializer, initargs),
    )
    try:
        yield pool
    except BaseException:
        _stop_workers(pool)
        raise
    pool.shutdown(wait=True)


#: The thread pools a worker and its kernels may size themselves: Arrow's (parquet,
#: strings) reads OMP_NUM_THREADS; the others are the numerical libraries' own.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _threads_per_worker(jobs: int) -> int:
    """Each worker's share of the cores: with a thread pool per core in every
    worker, two workers on two cores ran their kernels' and ingest's Arrow work
    in four threads that took turns (two ingest processes side by side: 12,5 s
    with Arrow's default pool, 10,3 s with one thread each)."""
    return max(1, (os.cpu_count() or 1) // max(jobs, 1))


def _limit_threads(threads: int) -> None:
    """Size this process's thread pools, and its kernels' (they inherit the environment).

    A variable the user set is kept: the environment is theirs to tune.
    """
    for variable in THREAD_VARIABLES:
        os.environ.setdefault(variable, str(threads))
    chosen = os.environ["OMP_NUM_THREADS"]
    if "pyarrow" in sys.modules and chosen.isdigit() and int(chosen) > 0:
        # Imported (by the pool's own imports) before this ran: sized from the old environment.
        sys.modules["pyarrow"].set_cpu_count(int(chosen))


def _start_worker(
    parent_pid: int, threads: int, initializer: Callable | None, initargs: tuple
) -> None:
    _limit_threads(threads)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _end_worker)
    prctl = _prctl()
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    else:  # elsewhere: watch for the parent to go
        threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    if os.getppid() != parent_pid:  # the parent ended before we asked
        os.kill(os.getpid(), signal.SIGTERM)
    if initializer is not None:
        initializer(*initargs)


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGTERM)


def _end_worker(signum: int, frame: object) -> None:
    _kill_kernels_now()
    os._exit(128 + signum)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started, SIGTERM the workers, SIGKILL any still there after a grace."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    deadline = time.monotonic() + WORKER_STOP_GRACE_S
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(max(0.0, deadline - time.monotonic()))
    for process in processes:
        with contextlib.suppress(Exception):
            if process.is_alive():
                process.kill()
                process.join(1.0)


class Interrupted(KeyboardInterrupt):
    """The run was told to stop by a signal (SIGINT, SIGTERM or SIGHUP)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class _Stopping:
    deferred: list[int] | None = None  # while publishing: the stop signals that arrived
    raised = False  # Interrupted has been raised: we are stopping


def _on_stop_signal(signum: int, frame: object) -> None:
    if _Stopping.raised:
        return  # already stopping: a second Ctrl-C must not cut the clean-up short
    if _Stopping.deferred is not None:
        _Stopping.deferred.append(signum)
        return
    _Stopping.raised = True
    raise Interrupted(signum)


@contextlib.contextmanager
def stop_on_signals():
    """For the command line: SIGINT, SIGTERM and SIGHUP stop the run as Ctrl-C does.

    The run then stops its workers and their kernels, removes its staging
    folders and leaves every published report as it was. A signal that arrives
    while a kommun's reports are being published waits until they are. Signals
    that were ignored when we started (``nohup``) stay ignored.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for signum in _STOP_SIGNALS:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            previous[signum] = signal.signal(signum, _on_stop_signal)
    _Stopping.raised = False
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def _uninterrupted():
    """Publishing a kommun's reports is all or nothing: a stop signal waits until it is done."""
    if _Stopping.deferred is not None:  # nested
        yield
        return
    _Stopping.deferred = []
    try:
        yield
    finally:
        pending, _Stopping.deferred = _Stopping.deferred, None
    if pending:
        _Stopping.raised = True
        raise Interrupted(pending[0])


ProgressCallback = Callable[[str, str], None]


def _print_progress(event: str, name: str) -> None:
    """One line per notebook; "planned" (the task count, sent first) prints nothing."""
    labels = {"start": "kör   ", "done": "klar  ", "failed": "FEL   "}
    if event in labels:
        print(f"  [{labels[event]}] {name}", flush=True)


class _WarmPool:
    """The notebook workers, started (with their kernels) before the runner plans.

    Starting a worker and its kernel, with the imports every notebook makes, took
    the first ~3 s of each worker's first notebook; the runner's own checks and
    planning before it (configuration, fingerprints) ~1,5 s. Started first, the
    two overlap (issue 16). A run that finds nothing to do stops the workers.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.events = multiprocessing.get_context("spawn").Queue()
        self._pool = worker_pool(jobs, _init_worker, (self.events, True))
        self.pool: ProcessPoolExecutor | None = None
        self.used = False

    def __enter__(self) -> _WarmPool:
        self.pool = self._pool.__enter__()
        for _ in range(self.jobs):  # a worker is spawned per task waiting for one
            self.pool.submit(int)
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None and not self.used and self.pool is not None:
            _stop_workers(self.pool)  # nothing ran: no need to wait for kernels to start
            return
        self._pool.__exit__(*exc)


def _warm_pool(jobs: int, scheduler: str | None, most_tasks: int):
    """A :class:`_WarmPool` when the tasks will run in local workers, else a null context."""
    if scheduler or jobs <= 1 or most_tasks <= 1:
        return contextlib.nullcontext(None)
    return _WarmPool(min(jobs, most_tasks))


def _run_tasks(
    tasks: list[NotebookTask],
    jobs: int,
    progress: ProgressCallback,
    scheduler: str | None = None,
    warm: _WarmPool | None = None,
    on_done: Callable[[int, NotebookResult], None] | None = None,
) -> list[NotebookResult]:
    """Execute tasks as a graph: a task starts once the tasks it reads records from are done.

    In-process (one job), in a local process pool (``warm``'s, when started
    already), or on a Dask cluster. A report that fails leaves a note in the
    records folder, so that the follow-up reading its records says why they
    are missing. ``on_done(i, result)`` is called as each task ends (the
    runner publishes a kommun as soon as its last task has).
    """
    if scheduler:
        return _run_on_dask(tasks, scheduler, progress, on_done)
    schedule = _Schedule(tasks)
    results: dict[int, NotebookResult] = {}

    def ended(i: int, result: NotebookResult) -> None:
        results[i] = result
        _after_task(tasks[i], result)
        schedule.done(i)
        if on_done is not None:
            on_done(i, result)

    if warm is None and (jobs <= 1 or len(tasks) == 1):
        _skip_slow_schema_import()
        try:
            while (i := schedule.take(running=False)) is not None:
                progress("start", tasks[i].label)
                result = execute_notebook(tasks[i])
                progress("done" if result.status == "ok" else "failed", tasks[i].label)
                ended(i, result)
        except BaseException:  # an interrupt: our own kernel was mid-notebook
            _abandon_kernels()
            raise
        return [results[i] for i in range(len(tasks))]
    # "spawn": workers start clean, without the parent's threads or open files.
    if warm is None:
        events = multiprocessing.get_context("spawn").Queue()
        pool_context = worker_pool(min(jobs, len(tasks)), _init_worker, (events,))
    else:
        events, pool_context = warm.events, contextlib.nullcontext(warm.pool)
        warm.used = True
    # Two tasks queued per worker: none waits for the runner to hand it the next,
    # and a follow-up whose reports just ended runs after at most these few.
    window = 2 * max(1, jobs)
    running: dict[object, int] = {}
    with pool_context as pool:
        while schedule or running:
            while len(running) < window:
                i = schedule.take(running=bool(running))
                if i is None:
                    break
                running[pool.submit(execute_notebook, tasks[i])] = i
            finished = [f for f in running if f.done()]
            if not finished:
                _drain(events, progress, timeout=0.2)
                continue
            _drain(events, progress, timeout=0.0)  # its "done" before the runner publishes
            for future in finished:
                ended(running.pop(future), future.result())
        _drain(events, progress, timeout=0.0)
        if warm is not None:  # its workers and kernels end while the runner finishes
            pool.shutdown(wait=False)
    return [results[i] for i in range(len(tasks))]


class _Schedule:
    """Which task runs next: the first in list order whose records to read are written.

    The runner lists tasks kommun by kommun, so a kommun's follow-up runs as
    soon as its reports have, before the next kommun's reports: each kommun is
    published while the batch goes on, and a batch stopped halfway keeps the
    kommuner it completed. (Submitting every ready task at once put all 290
    follow-ups behind all 1 740 reports, and no kommun was done until the end.)
    A label no task has (a report skipped as up to date) counts as written; a
    cycle is broken at its first task once nothing else can run.
    """

    def __init__(self, tasks: Sequence[NotebookTask]) -> None:
        index = {t.label: i for i, t in enumerate(tasks)}
        self._ready: list[int] = []
        self._waiting: dict[int, set[int]] = {}
        self._readers: dict[int, list[int]] = {}
        for i, task in enumerate(tasks):
            needs = {index[label] for label in task.after if index.get(label, i) != i}
            if not needs:
                heapq.heappush(self._ready, i)
                continue
            self._waiting[i] = needs
            for j in needs:
                self._readers.setdefault(j, []).append(i)

    def __bool__(self) -> bool:
        return bool(self._ready or self._waiting)

    def take(self, running: bool) -> int | None:
        """The next task to start, or None (with nothing running, a cycle is broken)."""
        if self._ready:
            return heapq.heappop(self._ready)
        if self._waiting and not running:
            first = min(self._waiting)
            del self._waiting[first]
            return first
        return None

    def done(self, i: int) -> None:
        for reader in self._readers.pop(i, []):
            needs = self._waiting.get(reader)
            if needs is None:  # started already, to break a cycle
                continue
            needs.discard(i)
            if not needs:
                del self._waiting[reader]
                heapq.heappush(self._ready, reader)

    def order(self) -> list[int]:
        """Every task in the order they would run one at a time (consumes the schedule)."""
        placed = []
        while (i := self.take(running=False)) is not None:
            placed.append(i)
            self.done(i)
        return placed


def _copy_published(published: Path, staging_records: Path, key: str) -> None:
    """Lend a report's published records (and its views, when it has them) to this run."""
    for source, target in zip(
        records.published_files(published, key),
        records.published_files(staging_records, key),
        strict=True,
    ):
        if source.is_file():
            shutil.copy2(source, target)


def _after_task(task: NotebookTask, result: NotebookResult) -> None:
    """A failed publisher leaves a note, so its readers say why its records are missing."""
    if result.status != "ok" and task.publishes and task.records_dir:
        from trygghet.stats import records

        where = f"cell {result.cell}: " if result.cell else ""
        records.mark_failed(Path(task.records_dir), task.publishes, where + (result.error or ""))


def _run_on_dask(
    tasks: list[NotebookTask],
    scheduler: str,
    progress: ProgressCallback,
    on_done: Callable[[int, NotebookResult], None] | None = None,
) -> list[NotebookResult]:
    """Each notebook execution is one Dask task; a bigger cluster needs no code change.

    The workers must see the same project folder (a shared file system), as
    the tasks read notebooks and write into the staging folder by path.
    """
    from distributed import Client, as_completed

    results: dict[int, NotebookResult] = {}
    with Client(scheduler) as client:
        # In waves: the tasks without dependencies first, then those reading their records.
        for wave in (
            [i for i, t in enumerate(tasks) if not t.after],
            [i for i, t in enumerate(tasks) if t.after],
        ):
            if not wave:
                continue
            futures = client.map(execute_notebook, [tasks[i] for i in wave], pure=False)
            index = {f.key: i for f, i in zip(futures, wave, strict=True)}
            for i in wave:
                progress("start", tasks[i].label)
            for future in as_completed(futures):
                i = index[future.key]
                results[i] = future.result()
                _after_task(tasks[i], results[i])
                progress("done" if results[i].status == "ok" else "failed", tasks[i].label)
                if on_done is not None:
                    on_done(i, results[i])
    return [results[i] for i in range(len(tasks))]


def _drain(events: object, progress: ProgressCallback, timeout: float) -> None:
    try:
        while True:
            event, name = events.get(timeout=timeout)  # type: ignore[attr-defined]
            progress(event, name)
            timeout = 0.0
    except queue_module.Empty:
        return


def _notebook_mirror(mirror: Path) -> str:
    """The mirror as a notebook parameter: empty for the default, so that the executed
    notebooks carry no absolute path of this machine (the notebook resolves the default)."""
    return "" if mirror.resolve() == paths.shared_data_dir() else str(mirror)


def _input_files(kommun: str, shared_data: Path) -> list[dict[str, object]]:
    """Every file a report could have read: config, processed tables, the mirror."""
    from trygghet.config import config_files

    files = [config_files()[kommun]] if kommun in config_files() else []
    files += sorted(p for p in paths.processed_dir().glob("*") if p.is_file())
    files += sorted(p for p in paths.processed_dir(kommun).glob("*") if p.is_file())
    if shared_data.is_dir():
        files += sorted(p for p in shared_data.rglob("*") if p.is_file())
    return [provenance.describe_file(p) for p in files]


def _previous_manifest(output_dir: Path) -> dict:
    try:
        return json.loads((output_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


@dataclass
class _KommunRun:
    """One kommun's part of a run: where it writes and what it must execute."""

    kommun: str
    period: int
    output_dir: Path
    staging: Path
    tasks: list[NotebookTask]
    fingerprints: dict[str, str]
    skipped: list[NotebookResult]
    label: str = ""  # a national overview's name (which kommuner it covers)


def run(
    kommun: str,
    period: int | None = None,
    only: Sequence[str] | None = None,
    jobs: int | None = None,
    notebooks_dir: Path = paths.NOTEBOOKS_DIR,
    outputs_root: Path = paths.OUTPUTS_DIR,
    shared_data: Path | None = None,
    progress: ProgressCallback = _print_progress,
    force: bool = True,
    scheduler: str | None = None,
) -> RunResult:
    """Execute the suite for one kommun and period; publish what succeeded."""
    return run_many(
        [kommun], period, only, jobs, notebooks_dir, outputs_root, shared_data, progress,
        force=force, scheduler=scheduler,
    )[0]  # fmt: skip


def run_many(
    kommuner: Sequence[str],
    period: int | None = None,
    only: Sequence[str] | None = None,
    jobs: int | None = None,
    notebooks_dir: Path = paths.NOTEBOOKS_DIR,
    outputs_root: Path = paths.OUTPUTS_DIR,
    shared_data: Path | None = None,
    progress: ProgressCallback = _print_progress,
    *,
    force: bool = False,
    scheduler: str | None = None,
    overview: bool = False,
) -> list[RunResult]:
    """Execute the suite for many kommuner as one pool of notebook tasks.

    Every (kommun, notebook) is one task, so two workers stay busy across
    kommuner. Unless ``force``, a notebook whose fingerprint (notebook,
    configuration, processed data, code, parameters) equals that of its last
    good output is skipped: a rerun redoes only what changed. A failing
    kommun or notebook never stops the others. With ``overview`` (and more
    than one kommun), the national overview of the batch is the graph's last
    task, in the same warm workers, and its result comes last.
    """
    mirror = Path(shared_data) if shared_data else paths.shared_data_dir()
    suite = discover_notebooks(notebooks_dir)
    notebooks = select_notebooks(suite, only)
    if not notebooks:
        raise TrygghetError(f"Inga notebooks hittades i {notebooks_dir}")
    jobs = jobs or os.cpu_count() or 1
    national = notebooks_dir / NATIONAL_DIR_NAME if overview and len(kommuner) > 1 else None
    with _warm_pool(jobs, scheduler, len(kommuner) * len(notebooks)) as warm:
        return _plan_and_run(
            kommuner, period, notebooks, suite, jobs, outputs_root, mirror, progress,
            force=force, scheduler=scheduler, warm=warm, national=national,
        )  # fmt: skip


def _plan_and_run(
    kommuner: Sequence[str],
    period: int | None,
    notebooks: list[Path],
    suite: list[Path],
    jobs: int,
    outputs_root: Path,
    mirror: Path,
    progress: ProgressCallback,
    *,
    force: bool,
    scheduler: str | None,
    warm: _WarmPool | None,
    national: Path | None = None,
) -> list[RunResult]:
    from trygghet.config import load_or_default

    kernel = resolve_kernel_name()
    code_hash = provenance.code_fingerprint()  # each notebook is hashed on its own
    plans = []
    try:  # planning too: each plan made a staging folder, to be removed however we leave
        for kommun in kommuner:
            config = load_or_default(kommun)
            plans.append(
                _plan(
                    config,
                    period,
                    notebooks,
                    outputs_root,
                    mirror,
                    kernel,
                    code_hash,
                    force,
                    suite=suite,
                )  # fmt: skip
            )
        if national is not None and plans:  # after every kommun, reading their records
            after = tuple(task.label for plan in plans for task in plan.tasks)
            national_plan = _overview_plan(
                list(kommuner), plans[0].period, national, outputs_root, mirror, kernel, after
            )
            if national_plan is not None:
                plans.append(national_plan)
        publisher = _Publisher(plans, mirror, jobs, kernel, outputs_root)
        tasks = [task for plan in plans for task in plan.tasks]
        progress("planned", str(len(tasks)))
        try:
            if tasks:
                _run_tasks(tasks, jobs, progress, scheduler, warm, on_done=publisher.task_done)
        finally:
            publisher.overview.write()  # the kommuner published so far, even when the batch stopped
        return publisher.results()
    finally:
        for plan in plans:
            shutil.rmtree(plan.staging, ignore_errors=True)


class _Publisher:
    """Publishes each kommun of a batch as soon as its last task has ended.

    Plans with nothing to run (everything up to date) are published at once.
    A batch stopped halfway thus keeps every kommun it completed, and their
    staging folders go as they are published.
    """

    def __init__(
        self, plans: list[_KommunRun], mirror: Path, jobs: int, kernel: str, outputs_root: Path
    ) -> None:
        self.plans, self.mirror, self.jobs, self.kernel = plans, mirror, jobs, kernel
        self.outputs_root = outputs_root
        self.overview = _RootIndex(outputs_root)
        self.plan_of = [p for p, plan in enumerate(plans) for _ in plan.tasks]
        self.first = [sum(len(plan.tasks) for plan in plans[:p]) for p in range(len(plans))]
        self.left = [len(plan.tasks) for plan in plans]
        self.ended: dict[int, NotebookResult] = {}
        self.finished: dict[int, RunResult] = {}
        for p, left in enumerate(self.left):
            if not left:
                self._publish(p)

    def task_done(self, i: int, result: NotebookResult) -> None:
        self.ended[i] = result
        p = self.plan_of[i]
        self.left[p] -= 1
        if not self.left[p]:
            self._publish(p)

    def _publish(self, p: int) -> None:
        plan = self.plans[p]
        own = [self.ended[self.first[p] + j] for j in range(len(plan.tasks))]
        with _uninterrupted():
            self.finished[p] = _finish(
                plan, own, self.mirror, self.jobs, self.kernel, self.outputs_root, self.overview
            )
        shutil.rmtree(plan.staging, ignore_errors=True)

    def results(self) -> list[RunResult]:
        return [self.finished[p] for p in range(len(self.plans))]


NATIONAL_DIR_NAME = "riket"


def run_overview(
    kommuner: Sequence[str],
    period: int,
    notebooks_dir: Path = paths.NOTEBOOKS_DIR / NATIONAL_DIR_NAME,
    outputs_root: Path = paths.OUTPUTS_DIR,
    shared_data: Path | None = None,
    progress: ProgressCallback = _print_progress,
) -> RunResult | None:
    """Execute the national notebooks once for a batch, into ``outputs/riket/<batch>/<period>/``.

    Each batch keeps its own folder, named by what it covers
    (:func:`batch_folder`): a two-kommun batch never replaces the overview of
    twelve, and only a batch of all 290 kommuner is called "Hela Sverige".
    Published like a kommun's reports: staged, moved into place only on
    success, with a manifest and an index page. (``run_many(overview=True)``
    runs it as the last task of a batch instead, in the batch's workers.)
    """
    mirror = Path(shared_data) if shared_data else paths.shared_data_dir()
    kernel = resolve_kernel_name()
    plan = _overview_plan(list(kommuner), period, notebooks_dir, outputs_root, mirror, kernel)
    if plan is None:
        return None
    try:
        results = _run_tasks(plan.tasks, 1, progress)
        with _uninterrupted():
            return _finish(plan, results, mirror, 1, kernel, outputs_root)
    finally:
        shutil.rmtree(plan.staging, ignore_errors=True)


def _overview_plan(
    kommuner: list[str],
    period: int,
    notebooks_dir: Path,
    outputs_root: Path,
    mirror: Path,
    kernel: str,
    after: tuple[str, ...] = (),
) -> _KommunRun | None:
    """The national overview of ``kommuner`` as a run: its tasks (each after ``after``) and folders."""
    notebooks = discover_notebooks(notebooks_dir)
    if not notebooks:
        return None
    folder, label = batch_folder(kommuner)
    output_dir, staging = _output_and_staging(outputs_root, f"{NATIONAL_DIR_NAME}/{folder}", period)
    tasks = [
        NotebookTask(
            notebook=str(nb),
            kommun=NATIONAL_DIR_NAME,
            period=int(period),
            shared_data=_notebook_mirror(mirror),
            staging_dir=str(staging),
            kernel_name=kernel,
            cwd=str(paths.PROJECT_ROOT),
            extra_parameters=(
                ("kommuner", ",".join(kommuner)),
                # Where the kommuner's record tables are (the overview reads them): empty for
                # the default, so the executed notebook carries no path of this machine.
                ("outputs", _outputs_parameter(outputs_root)),
            ),
            after=after,
        )
        for nb in notebooks
    ]
    return _KommunRun(
        NATIONAL_DIR_NAME, int(period), output_dir, staging, tasks, {}, [], label=label
    )


#: The folder and name of an overview of every kommun.
WHOLE_COUNTRY = ("hela-sverige", "Hela Sverige")
#: Up to this many kommuner, a batch folder names their codes.
NAMED_BATCH_MAX = 6


def batch_folder(kommuner: Sequence[str]) -> tuple[str, str]:
    """The folder and the Swedish name of a national overview of ``kommuner``.

    All 290: ``hela-sverige``, "Hela Sverige". A few: their codes
    (``kommuner-1860-1863-1864``) and names. More: their number and a short
    hash of the codes (``urval-12-kommuner-3f2a9c1d``), so the same batch
    always lands in the same folder and another batch never overwrites it.
    """
    from trygghet.kommuner import all_kommuner, kommun_name
    from trygghet.present.swedish import join_list

    codes = sorted(set(kommuner))
    if set(codes) >= set(all_kommuner()["kommun_code"].astype(str)):
        return WHOLE_COUNTRY
    if len(codes) <= NAMED_BATCH_MAX:
        names = join_list([kommun_name(c) for c in codes])
        return "kommuner-" + "-".join(codes), f"Urval: {names}"
    digest = provenance.sha256_text(",".join(codes))[:8]
    return f"urval-{len(codes)}-kommuner-{digest}", f"Urval av {len(codes)} kommuner"


def _outputs_parameter(outputs_root: Path) -> str:
    """The outputs root as a notebook parameter: empty for the default."""
    root = Path(outputs_root).resolve()
    return "" if root == paths.OUTPUTS_DIR.resolve() else str(root)


def _output_and_staging(outputs_root: Path, folder: str, period: int) -> tuple[Path, Path]:
    """The run's output folder and a fresh staging folder beside it (same file system,
    so that publishing is an atomic rename). Staging left by dead runs goes first."""
    output_dir = Path(outputs_root) / folder / str(period)
    output_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(output_dir.parent)
    staging = output_dir.parent / f"{STAGING_PREFIX}{period}-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    atomic.write_text(staging / STAGING_OWNER_FILE, json.dumps(_this_process()))
    return output_dir, staging


# A run killed outright (SIGKILL, a power cut) cannot remove its staging folder,
# so each one names its owner: host, pid and the process's start time (a pid is
# reused, a pid with its start time is not). The next run on the kommun removes
# staging whose owner is gone; a live run's staging, also one of another
# machine sharing the folder, is left alone.

STAGING_PREFIX = ".staging-"
STAGING_OWNER_FILE = "owner.json"
UNOWNED_STAGING_GRACE_S = 3600  # no owner file: an older version's, or its owner died at once


def _process_start(pid: int) -> str | None:
    """A process's start (boot id and clock ticks since boot), "" where there is no /proc,
    None when there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        if Path("/proc/self/stat").exists():
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except OSError:
            pass  # exists, someone else's
        return ""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        boot = ""
    return f"{boot}/{stat.rsplit(')', 1)[1].split()[19]}"  # field 22, starttime


def _this_process() -> dict[str, object]:
    return {"host": socket.gethostname(), "pid": os.getpid(), "start": _process_start(os.getpid())}


def _owner_alive(owner: dict) -> bool:
    if owner.get("host") != socket.gethostname():
        return True  # another machine's run: we cannot tell, so it is not ours to remove
    pid = owner.get("pid")
    if not isinstance(pid, int):
        return False
    start = _process_start(pid)
    return start is not None and (start == "" or start == owner.get("start"))


def remove_stale_staging(folder: Path) -> list[Path]:
    """Remove the staging folders in ``folder`` whose run is dead; return them."""
    removed = []
    for staging in sorted(Path(folder).glob(f"{STAGING_PREFIX}*")):
        try:
            owner = json.loads((staging / STAGING_OWNER_FILE).read_text(encoding="utf-8"))
            stale = not _owner_alive(owner)
        except (OSError, ValueError, AttributeError):
            try:
                stale = time.time() - staging.stat().st_mtime > UNOWNED_STAGING_GRACE_S
            except OSError:
                continue  # just removed by someone else
        if stale and staging.is_dir():
            shutil.rmtree(staging, ignore_errors=True)
            removed.append(staging)
    return removed


def notebook_roles(notebook: Path) -> tuple[str, tuple[str, ...]]:
    """What a notebook publishes and whose records it reads (its ``trygghet`` metadata).

    A report notebook says ``{"trygghet": {"publishes": "crime"}}``; the
    follow-up says which reports' records it reads (``"reads": [...]``) and
    therefore runs after them.
    """
    meta = _notebook_metadata(str(notebook), provenance.cached_sha256(notebook))
    return str(meta.get("publishes") or ""), tuple(meta.get("reads") or ())


@functools.lru_cache(maxsize=64)
def _notebook_metadata(path: str, digest: str) -> dict:
    try:
        return dict(
            json.loads(Path(path).read_text(encoding="utf-8"))["metadata"].get("trygghet", {})
        )
    except (OSError, ValueError, KeyError):
        return {}


def _plan(
    config,
    period: int | None,
    notebooks: list[Path],
    outputs_root: Path,
    mirror: Path,
    kernel: str,
    code_hash: str,
    force: bool,
    suite: Sequence[Path] = (),
) -> _KommunRun:
    """What to run for one kommun: tasks in dependency order, up-to-date pages skipped.

    ``suite`` is every notebook of the suite (``notebooks`` may be a selection):
    a reader's fingerprint includes its publishers', and the published records
    of a publisher not run now are carried into this run only while its
    fingerprint still matches (else the reader says it must be rerun).
    """
    period = int(period or config.default_period)
    output_dir, staging = _output_and_staging(outputs_root, config.code, period)
    staging_records = staging / records.RECORDS_DIR_NAME
    staging_records.mkdir()
    published = output_dir / records.RECORDS_DIR_NAME
    data_hash = _data_fingerprint(config, period, mirror)
    previous = {n["name"]: n for n in _previous_manifest(output_dir).get("notebooks", [])}
    everything = list(dict.fromkeys([*suite, *notebooks]))
    roles = {nb.stem: notebook_roles(nb) for nb in everything}
    own = {
        nb.stem: provenance.sha256_text(f"{code_hash}|{data_hash}|{provenance.cached_sha256(nb)}")
        for nb in everything
    }
    fingerprints_all = {}
    for nb in everything:
        reads = roles[nb.stem][1]
        parts = [own[nb.stem]] + [
            own[other] for other, (pub, _) in sorted(roles.items()) if pub and pub in reads
        ]
        fingerprints_all[nb.stem] = (
            provenance.sha256_text("|".join(parts)) if len(parts) > 1 else parts[0]
        )
    selected = {nb.stem for nb in notebooks}
    # Records of publishers that are not part of this selection: current ones only.
    for stem, (key, _) in roles.items():
        if not key or stem in selected:
            continue
        last = previous.get(stem, {})
        source = records.report_file(published, key)
        if last.get("fingerprint") == fingerprints_all[stem] and source.is_file():
            _copy_published(published, staging_records, key)
        else:
            reason = "sidan är inte uppdaterad med dagens data och kod; kör hela sviten"
            records.mark_failed(staging_records, key, reason, kind=records.STALE)
    tasks, skipped, fingerprints = [], [], {}
    labels = {nb.stem: f"{config.code}/{nb.stem}" for nb in notebooks}
    for nb in notebooks:
        key, reads = roles[nb.stem]
        fingerprint = fingerprints_all[nb.stem]
        fingerprints[nb.stem] = fingerprint
        last = previous.get(nb.stem, {})
        has_records = not key or records.report_file(published, key).is_file()
        if (
            not force
            and last.get("status") == "ok"
            and last.get("fingerprint") == fingerprint
            and (output_dir / f"{nb.stem}.html").exists()
            and has_records
        ):
            if key:
                _copy_published(published, staging_records, key)
            skipped.append(
                NotebookResult(
                    name=nb.stem, status="ok", seconds=0.0, summary=last.get("summary"),
                    summary_origin=last.get("summary_origin"), title=last.get("title"),
                    publishes=key or None,
                )
            )  # fmt: skip
            continue
        after = tuple(
            labels[other]
            for other in labels
            if other != nb.stem and roles[other][0] and roles[other][0] in reads
        )
        tasks.append(
            NotebookTask(
                notebook=str(nb),
                kommun=config.code,
                period=period,
                shared_data=_notebook_mirror(mirror),
                staging_dir=str(staging),
                kernel_name=kernel,
                cwd=str(paths.PROJECT_ROOT),
                records_dir=str(staging_records) if key or reads else "",
                publishes=key,
                after=after,
            )
        )
    return _KommunRun(config.code, period, output_dir, staging, tasks, fingerprints, skipped)


class _RootIndex:
    """The overview of all runs (``outputs/index.html``), rewritten when runs were published.

    In a batch at most every :attr:`EVERY` seconds while it runs, and once at
    the end (:meth:`write`); alone (no batch), at once.
    """

    EVERY = 15.0

    def __init__(self, outputs_root: Path, batch: bool = True) -> None:
        self.outputs_root = Path(outputs_root)
        self.batch = batch
        self.pending = False
        self.written_at = time.monotonic()

    def changed(self) -> None:
        self.pending = True
        if not self.batch or time.monotonic() - self.written_at >= self.EVERY:
            self.write()

    def write(self) -> None:
        from trygghet.pipeline.index_page import write_root_index

        if self.pending:
            write_root_index(self.outputs_root)
            self.pending = False
            self.written_at = time.monotonic()


def _finish(
    plan: _KommunRun,
    results: list[NotebookResult],
    mirror: Path,
    jobs: int,
    kernel: str,
    outputs_root: Path,
    overview: _RootIndex | None = None,
) -> RunResult:
    """Publish a run: its files, records, manifest and index page; refresh the overview.

    ``overview``: a batch's :class:`_RootIndex`, refreshed at most every few
    seconds (the page lists every run, so rewriting it per kommun cost the
    290-kommun batch ~10 s); without it, the overview is written now.
    """
    from trygghet.pipeline.index_page import write_run_index

    _publish(plan.staging, plan.output_dir, results)
    table = _publish_records(plan.output_dir)
    everything = sorted([*results, *plan.skipped], key=lambda r: r.name)
    manifest = _manifest(
        plan.kommun, plan.period, mirror, jobs, kernel, results,
        plan.output_dir, plan.fingerprints, plan.skipped,
    )  # fmt: skip
    if plan.label:
        manifest["kommun_name"] = plan.label
        manifest["batch"] = {
            "folder": plan.output_dir.parent.name,
            "kommuner": sorted({c for t in plan.tasks for k, v in t.extra_parameters
                                if k == "kommuner" for c in v.split(",") if c}),
        }  # fmt: skip
    if table is not None:
        manifest["indicators"] = table
    if plan.kommun != NATIONAL_DIR_NAME:
        manifest |= _promise_status(plan.kommun, plan.period, plan.output_dir)
    atomic.write_text(
        plan.output_dir / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False)
    )
    write_run_index(plan.output_dir, manifest)
    (overview or _RootIndex(outputs_root, batch=False)).changed()
    # The glossary every report links, beside the reports (links work from disk).
    atomic.write_text(plan.output_dir / glossary.FILE_NAME, glossary.glossary_html())
    return RunResult(plan.kommun, plan.period, plan.output_dir, everything)


def _data_fingerprint(config, period: int, mirror: Path) -> str:
    """Configuration, parameters and every processed table the kommun's reports may read.

    The follow-up's own memory of earlier runs (its history file) is left out:
    the follow-up writes it, so counting it would make every run look new to
    the next one and two runs of the same inputs would differ in fingerprint.
    """
    # The name from paths, not the follow-up's module: importing the reports
    # here cost the runner's own process seconds before any notebook started.
    files = sorted(
        p
        for p in paths.processed_dir(config.code).glob("*")
        if p.is_file() and p.name != paths.HISTORY_FILE_NAME
    )
    files += sorted(p for p in paths.processed_dir().glob("*.parquet"))
    parts = [config.model_dump_json(), str(period), str(mirror)]
    parts += [provenance.cached_sha256(f) for f in files]
    return provenance.sha256_text("|".join(parts))


def _publish(staging: Path, output_dir: Path, results: list[NotebookResult]) -> None:
    """Move each successful notebook's files and records into place; park failed ones aside.

    A failed report's published records are removed: its kept page says it is
    older, but no other page may read its numbers as this run's.
    """
    staging_records = staging / records.RECORDS_DIR_NAME
    published = output_dir / records.RECORDS_DIR_NAME
    for result in results:
        if result.status == "ok":
            for suffix in (".ipynb", ".html"):
                os.replace(
                    staging / f"{result.name}{suffix}", output_dir / f"{result.name}{suffix}"
                )
            deck = f"{result.name}{SLIDES_SUFFIX}"
            if result.slides and (staging / deck).is_file():
                os.replace(staging / deck, output_dir / deck)
            else:
                (output_dir / deck).unlink(missing_ok=True)
            (output_dir / FAILED_DIR_NAME / f"{result.name}.ipynb").unlink(missing_ok=True)
            if result.publishes:
                pairs = zip(
                    records.published_files(staging_records, result.publishes),
                    records.published_files(published, result.publishes),
                    strict=True,
                )
                for made, target in pairs:
                    if made.is_file():
                        published.mkdir(exist_ok=True)
                        os.replace(made, target)
                    else:  # an old notebook without its publish cell: nothing current to show
                        target.unlink(missing_ok=True)
        else:
            if result.publishes:
                for target in records.published_files(published, result.publishes):
                    target.unlink(missing_ok=True)
            if (staging / f"{result.name}.ipynb").exists():
                failed_dir = output_dir / FAILED_DIR_NAME
                failed_dir.mkdir(exist_ok=True)
                os.replace(staging / f"{result.name}.ipynb", failed_dir / f"{result.name}.ipynb")


def _promise_status(kommun: str, period: int, output_dir: Path) -> dict:
    """The config's indicators by status, read from the run's records (the index page shows it).

    An indicator without a record (its report failed, the follow-up did not
    run) counts as "kan inte bedömas": never as its last known status.
    """
    from trygghet.config import GENERATED, load_or_default
    from trygghet.stats.status import CANT_SAY, MET, NOT_MET, ON_TRACK

    config = load_or_default(kommun)
    found = records.read_table(output_dir / records.TABLE_NAME)
    counts = {s: 0 for s in (MET, ON_TRACK, NOT_MET, CANT_SAY)}
    not_met = []
    for promise in config.promises:
        for ind in promise.indicators:
            record = found.get(f"{promise.id}/{ind.id}")
            current = record is not None and record.period == int(period)
            status = record.status if current and record.status in counts else CANT_SAY
            counts[status] += 1
            if status == NOT_MET:
                not_met.append(f"Löfte {promise.id}: {ind.name}")
    return {
        "config": "generated" if config.source_file == GENERATED else "file",
        "promise_status": {"counts": counts, "not_met": not_met},
    }


def _publish_records(output_dir: Path) -> dict | None:
    """The run's one table of indicator records, from every published report's records."""
    published = output_dir / records.RECORDS_DIR_NAME
    reports = sorted(p.stem for p in published.glob("*.parquet")) if published.is_dir() else []
    table = records.combine(published, reports, output_dir / records.TABLE_NAME)
    if table is None:
        return None
    return {
        "file": records.TABLE_NAME,
        "sha256": provenance.sha256_of(table),
        "reports": reports,
        "records": len(records.read(table)),
    }


def _manifest(
    kommun: str,
    period: int,
    mirror: Path,
    jobs: int,
    kernel: str,
    results: list[NotebookResult],
    output_dir: Path,
    fingerprints: dict[str, str] | None = None,
    skipped: list[NotebookResult] | None = None,
) -> dict:
    previous = {n["name"]: n for n in _previous_manifest(output_dir).get("notebooks", [])}
    fingerprints = fingerprints or {}
    notebooks = [previous[r.name] | {"skipped": True} for r in (skipped or [])]
    commit = provenance.git_state().get("commit")
    for result in results:
        # No clock time and no duration: two runs of the same inputs and code give
        # byte-identical manifests (the command line prints how long each took).
        entry = {k: v for k, v in asdict(result).items() if k != "seconds"} | {
            "fingerprint": fingerprints.get(result.name),
            "commit": commit,
        }
        if result.status == "ok":
            entry |= {"html": f"{result.name}.html", "ipynb": f"{result.name}.ipynb"}
        elif (output_dir / f"{result.name}.html").exists():
            # Keep pointing at the last good version, and say that it is older.
            kept = previous.get(result.name, {})
            entry |= {
                "html": f"{result.name}.html",
                "ipynb": f"{result.name}.ipynb",
                # The program version the kept page was made with (its commit).
                "kept_from": kept.get("kept_from") or kept.get("commit"),
                "slides": kept.get("slides"),
            }
        notebooks.append(entry)
    done = {r.name for r in results} | {r.name for r in skipped or []}
    for name, entry in previous.items():
        if name not in done and (output_dir / f"{name}.html").exists():
            notebooks.append(entry)  # not part of this run (--only): still listed
    notebooks.sort(key=lambda n: n["name"])
    from trygghet.kommuner import kommun_name

    return {
        "kommun": kommun,
        "kommun_name": WHOLE_COUNTRY[1] if kommun == NATIONAL_DIR_NAME else kommun_name(kommun),
        "period": period,
        "parameters": {
            "kommun": kommun,
            "period": period,
            "shared_data": provenance.path_label(mirror),
        },
        "jobs": jobs,
        "kernel": kernel,
        "git": provenance.git_state(),
        "packages": provenance.package_versions(),
        "inputs": _input_files(kommun, mirror),
        "notebooks": notebooks,
    }
