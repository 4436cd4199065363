"""The runner runs the suite as a graph: readers of records after their publishers.

A publisher's records reach its reader in the same run; a failed publisher
makes the reader say why (never the last run's numbers); the run's records are
published as one table listed in the manifest.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from trygghet.pipeline import runner
from trygghet.stats import records

PUBLISH = """
from pathlib import Path
from trygghet.stats import records
from trygghet.stats.records import IndicatorRecord, FIGURE
import time
time.sleep({delay})
{fail}
records.write(records.report_file(Path(records_dir), "crime"), [IndicatorRecord(
    id="brott/totalt", kind=FIGURE, report="crime", kommun=kommun, period=int(period),
    name="Alla brott", definition="Anmälda brott", value={value}, n=7)])
records.views_file(Path(records_dir), "crime").write_text('{{"vy": {value}}}')
"""

READ = """
from pathlib import Path
import trygghet.present.page as report
from trygghet.stats import records
found = records.read_folder(Path(records_dir))
rec = found.get("brott/totalt")
views = records.views_file(Path(records_dir), "crime")  # lent with the records, or absent
seen = views.read_text() if views.is_file() else "ingen vy"
report.summary(f"värde {rec.value} {seen}" if rec else f"saknas: {found.failed.get('crime', 'okänt')} {seen}")
"""


def _notebook(path: Path, source: str, meta: dict) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        'kommun = "1863"\nperiod = 2025\nshared_data = ""\nrecords_dir = ""'
    )
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Test"), params, nbformat.v4.new_code_cell(source)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["trygghet"] = meta
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def _suite(nb_dir: Path, value: float = 12.5, fail: bool = False, delay: float = 0.0) -> None:
    # The reader sorts first ("00"), as the follow-up does: order alone would run it too early.
    _notebook(nb_dir / "00_reader.ipynb", READ, {"publishes": "followup", "reads": ["crime"]})
    body = PUBLISH.format(value=value, delay=delay, fail="1 / 0" if fail else "")
    _notebook(nb_dir / "02_publisher.ipynb", body, {"publishes": "crime"})


def _summary(result, name: str) -> str:
    return next(r.summary for r in result.results if r.name == name)


@pytest.mark.parametrize("jobs", [1, 2])
def test_reader_runs_after_its_publisher_and_reads_this_runs_record(tmp_path, jobs):
    nb_dir, out = tmp_path / "nb", tmp_path / "out"
    _suite(nb_dir, value=12.5, delay=1.0)  # the publisher is slow; the reader must wait
    result = runner.run("1863", 2025, notebooks_dir=nb_dir, outputs_root=out, jobs=jobs)
    assert result.ok, result.failed
    assert _summary(result, "00_reader") == 'värde 12.5 {"vy": 12.5}'
    folder = out / "1863" / "2025"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["indicators"]["file"] == "indicators.parquet"
    assert manifest["indicators"]["reports"] == ["crime"]
    table = records.read_table(folder / "indicators.parquet")
    assert table.get("brott/totalt").value == 12.5


def test_a_failed_publisher_makes_its_reader_say_so_never_the_old_number(tmp_path):
    nb_dir, out = tmp_path / "nb", tmp_path / "out"
    _suite(nb_dir, value=12.5)
    assert runner.run("1863", 2025, notebooks_dir=nb_dir, outputs_root=out, jobs=1).ok
    _suite(nb_dir, value=99.0, fail=True)
    result = runner.run("1863", 2025, notebooks_dir=nb_dir, outputs_root=out, jobs=2)
    assert [r.name for r in result.failed] == ["02_publisher"]
    summary = _summary(result, "00_reader")
    assert summary.startswith("saknas: cell ") and "ZeroDivisionError" in summary
    assert summary.endswith("ingen vy")  # nor its views
    folder = out / "1863" / "2025"
    assert (folder / "02_publisher.html").exists()  # the last good page is kept …
    assert not (folder / "records" / "crime.parquet").exists()  # … but not read as current
    assert not (folder / "records" / "crime.views.json").exists()
    assert not (folder / "indicators.parquet").exists()


def test_running_only_the_reader_uses_current_records_and_refuses_outdated_ones(tmp_path):
    nb_dir, out = tmp_path / "nb", tmp_path / "out"
    _suite(nb_dir, value=3.0)
    assert runner.run("1863", 2025, notebooks_dir=nb_dir, outputs_root=out, jobs=1).ok
    again = runner.run("1863", 2025, only=["00"], notebooks_dir=nb_dir, outputs_root=out, jobs=1)
    assert _summary(again, "00_reader") == 'värde 3.0 {"vy": 3.0}'  # the publisher is current
    _suite(nb_dir, value=4.0)  # the publisher changed and was not rerun
    stale = runner.run("1863", 2025, only=["00"], notebooks_dir=nb_dir, outputs_root=out, jobs=1)
    assert _summary(stale, "00_reader").startswith("saknas: sidan är inte uppdaterad")
    assert _summary(stale, "00_reader").endswith("ingen vy")


def test_an_up_to_date_publisher_is_skipped_and_its_records_still_reach_the_reader(tmp_path):
    nb_dir, out = tmp_path / "nb", tmp_path / "out"
    _suite(nb_dir, value=5.0)
    assert runner.run("1863", 2025, notebooks_dir=nb_dir, outputs_root=out, jobs=1).ok
    reader = nb_dir / "00_reader.ipynb"
    nb = nbformat.read(reader, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("Ändrad läsare."))
    nbformat.write(nb, reader)
    result = runner.run("1863", 2025, notebooks_dir=nb_dir, outputs_root=out, jobs=1, force=False)
    skipped = json.loads((out / "1863" / "2025" / "manifest.json").read_text(encoding="utf-8"))
    assert [n["name"] for n in skipped["notebooks"] if n.get("skipped")] == ["02_publisher"]
    assert _summary(result, "00_reader") == 'värde 5.0 {"vy": 5.0}'


def _task(kommun, name, after=()):
    return runner.NotebookTask(notebook=f"{name}.ipynb", kommun=kommun, period=1, shared_data="",
                               staging_dir="", kernel_name="", cwd="", after=after)  # fmt: skip


def test_dependency_order_puts_readers_last():
    tasks = [_task("1", "00", ("1/02", "1/03")), _task("1", "02"), _task("1", "03", ("1/02",))]
    assert runner._Schedule(tasks).order() == [1, 2, 0]


def test_a_kommuns_follow_up_runs_before_the_next_kommuns_reports():
    tasks = [
        _task(k, name, (f"{k}/02", f"{k}/03") if name == "00" else ())
        for k in ("1", "2")
        for name in ("00", "02", "03")
    ]
    labels = [tasks[i].label for i in runner._Schedule(tasks).order()]
    assert labels == ["1/02", "1/03", "1/00", "2/02", "2/03", "2/00"]


def test_schedule_waits_for_running_publishers_and_breaks_a_cycle_only_when_idle():
    schedule = runner._Schedule([_task("1", "00", ("1/02",)), _task("1", "02")])
    assert schedule.take(running=False) == 1
    assert schedule.take(running=True) is None  # the reader waits for the running publisher
    schedule.done(1)
    assert schedule.take(running=False) == 0
    assert not schedule
    cycle = runner._Schedule([_task("1", "a", ("1/b",)), _task("1", "b", ("1/a",))])
    assert cycle.take(running=True) is None
    assert cycle.order() == [0, 1]  # unknown order resolved at the first task, each once
    unknown = runner._Schedule([_task("1", "00", ("1/skipped",))])  # an up-to-date report
    assert unknown.take(running=True) == 0


def test_a_batch_stopped_halfway_keeps_the_kommuner_it_completed(tmp_path, monkeypatch):
    nb_dir, out = tmp_path / "nb", tmp_path / "out"
    _suite(nb_dir, value=2.0)
    real = runner.execute_notebook

    def stop_at_second_kommun(task):
        if task.kommun == "1864":
            raise KeyboardInterrupt
        return real(task)

    monkeypatch.setattr(runner, "execute_notebook", stop_at_second_kommun)
    with pytest.raises(KeyboardInterrupt):
        runner.run_many(["1863", "1864"], 2025, notebooks_dir=nb_dir, outputs_root=out,
                        jobs=1, progress=lambda *_: None)  # fmt: skip
    done = json.loads((out / "1863" / "2025" / "manifest.json").read_text(encoding="utf-8"))
    assert [n["status"] for n in done["notebooks"]] == ["ok", "ok"]
    assert not (out / "1864").exists() or not list((out / "1864").rglob("manifest.json"))
    assert not list(out.rglob(".staging*"))
    assert "1863" in (out / "index.html").read_text(encoding="utf-8")  # the overview lists it


NATIONAL = """
from pathlib import Path
import trygghet.present.page as report
found = [k for k in kommuner.split(",") if (Path(outputs) / k / str(period) / "manifest.json").is_file()]
report.summary("publicerade: " + ",".join(found))
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_batchs_overview_runs_last_in_the_graph_after_every_kommun_is_published(tmp_path, jobs):
    nb_dir, out = tmp_path / "nb", tmp_path / "out"
    _suite(nb_dir, value=1.0)
    national = _notebook(nb_dir / "riket" / "01_riket.ipynb", NATIONAL, {})
    nb = nbformat.read(national, as_version=4)
    nb.cells[1].source = 'period = 2025\nkommuner = ""\nshared_data = ""\noutputs = ""'
    nbformat.write(nb, national)
    results = runner.run_many(["1863", "1864"], 2025, notebooks_dir=nb_dir, outputs_root=out,
                              jobs=jobs, progress=lambda *_: None, overview=True)  # fmt: skip
    assert [r.kommun for r in results] == ["1863", "1864", "riket"]
    assert all(r.ok for r in results), [r.failed for r in results]
    assert _summary(results[-1], "01_riket") == "publicerade: 1863,1864"
    assert (out / "riket" / "kommuner-1863-1864" / "2025" / "manifest.json").is_file()
    alone = runner.run_many(["1863"], 2025, notebooks_dir=nb_dir, outputs_root=out, jobs=jobs,
                            progress=lambda *_: None, overview=True)  # fmt: skip
    assert [r.kommun for r in alone] == ["1863"]  # one kommun has no national overview
