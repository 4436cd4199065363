"""The command line speaks Swedish, and refuses what cannot work before it starts."""

from __future__ import annotations

import argparse

import pytest

from trygghet.pipeline import cli, ingest
from trygghet.pipeline.swedish_args import translate_error

ENGLISH = ("usage:", "show this help", "options:", "positional arguments", "invalid", "error:")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_every_option_of_every_command_has_swedish_help(capsys):
    parser = cli.build_parser()
    commands = _subparsers(parser)
    assert {"run", "ingest", "fetch", "example-data", "list"} <= set(commands)
    for name, sub in [("", parser), *commands.items()]:
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            assert action.help, f"{name} {action.option_strings} saknar hjälptext"
        with pytest.raises(SystemExit) as done:
            sub.parse_args(["--help"])
        assert done.value.code == 0
        text = capsys.readouterr().out
        assert "användning:" in text and "flaggor:" in text
        assert not [w for w in ENGLISH if w in text], text


def test_bare_command_prints_help(capsys):
    assert cli.main([]) == 0
    out = capsys.readouterr().out
    assert "användning: trygghet" in out and "kommandon" in out and "ingest" in out


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("trygghet ")


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["run", "--jobs", "0"], "argumentet --jobs: måste vara minst 1, fick 0"),
        (["run", "--jobs", "två"], "argumentet --jobs: 'två' är inte ett heltal"),
        (["run", "--period", "tjugo"], "'tjugo' är inte ett årtal"),
        (["frobnicate"], "'frobnicate' finns inte (välj bland"),
        (["run", "--nope"], "okända argument: --nope"),
    ],
)
def test_bad_arguments_are_one_swedish_error(argv, words, capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert not [w for w in ("invalid", "error:", "usage:") if w in err], err


def test_argparse_wording_is_translated():
    assert translate_error("the following arguments are required: --kommun") == (
        "följande argument krävs: --kommun"
    )
    assert translate_error("argument --source: expected one argument") == (
        "argumentet --source: ett värde saknas"
    )


def test_period_outside_the_data_is_refused_before_any_run(monkeypatch, capsys):
    monkeypatch.setattr(ingest, "covered_years", lambda kommun: (2015, 2026))
    ran = []
    monkeypatch.setattr("trygghet.pipeline.runner.run_many", lambda *a, **k: ran.append(a))
    assert cli.main(["run", "--kommun", "1863", "--period", "1850"]) == 2
    err = capsys.readouterr().err
    assert "Perioden 1850 ligger utanför åren som data täcker (2015–2026)" in err
    assert not ran


def test_covered_years_come_from_the_processed_tables():
    if ingest.covered_years("1863") is None:  # a fresh clone: read the tables first
        assert not [r.error for r in ingest.ingest_all("1863") if r.error]
    first, last = ingest.covered_years("1863")
    assert 2000 <= first <= last <= 2100


def test_unwritable_outputs_is_a_clear_error(tmp_path, capsys):
    blocker = tmp_path / "en-fil"
    blocker.write_text("x")
    assert cli.main(["run", "--kommun", "1863", "--outputs", str(blocker / "ut")]) == 2
    err = capsys.readouterr().err
    assert "Utdatamappen" in err and "går inte att skriva till" in err
    assert "en del av sökvägen är en fil" in err


def test_batch_progress_counts_done_of_planned(capsys):
    bar = cli._BatchProgress()
    bar("planned", "3")
    for event in ("start", "done", "start", "failed", "start", "done"):
        bar(event, "1863/01_polishandelser")
    task = bar._bar.tasks[0]
    bar.close()
    assert (task.completed, task.total) == (3, 3)
    assert "[FEL] 1863/01_polishandelser" in capsys.readouterr().out
