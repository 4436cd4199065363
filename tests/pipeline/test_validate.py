"""Indicator functions and their params are checked when a config is loaded, all at once."""

from __future__ import annotations

import pytest

from trygghet import paths
from trygghet.config import GENERATED, ConfigErrors, config_files, default_promises
from trygghet.pipeline import cli, validate

HEAD = """\
code: "1864"
name: Ljusnarsberg
default_period: 2025
areas:
  - {name: Kopparberg, kind: tätort, lat: 59.866981, lon: 14.983821}
  - {name: Ställdalen, kind: tätort, lat: 59.937817, lon: 14.941014}
promises:
  - id: "1"
    title: Löftet
    text: Kommunen och polisen lovar.
    indicators:
"""


def indicator(function: str, params: str = "", extra: str = "", ind_id: str = "a") -> str:
    line = f"      - {{id: {ind_id}, name: N, function: {function}"
    line += f", params: {{{params}}}" if params else ""
    return line + (f", {extra}" if extra else "") + "}\n"


def write(folder, body: str, name: str = "1864-ljusnarsberg.yml"):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def problems_of(path):
    config, problems = validate.check_file(path)
    assert config is None
    return problems


@pytest.mark.parametrize(
    ("line", "key", "words"),
    [
        (indicator("promise_indicators.safety_walk_held"), "function",
         "funktionen 'safety_walk_held' finns inte i 'promise_indicators' "
         "(menade du 'promise_indicators.safety_walks_held'?)"),
        (indicator("finns_inte.alls"), "function", "modulen 'finns_inte' finns inte"),
        (indicator("safety_walks_held"), "function", "ska skrivas som 'modul.funktion'"),
        (indicator("promise_indicators.reported_crime_rate", "series: trafik"), "params.series",
         "okänt värde för series: trafik; hittade 'trafik'; förväntat en av totalt, "
         "narkotikabrott, trafikbrott"),
        (indicator("promise_indicators.reported_crime_rate", "serie: trafikbrott"), "params.serie",
         "har ingen parameter 'serie' (menade du 'series'?)"),
        (indicator("promise_indicators.survey_insecurity", "question: q99"), "params.question",
         "okänt värde för question: q99"),
        (indicator("promise_indicators.survey_insecurity", "question: 14"), "params.question",
         "fel typ; hittade 14; förväntat en text"),
        (indicator("promise_indicators.survey_insecurity", "areas: 'Kopparberg, Storstan'"),
         "params.areas", "Storstan finns inte bland kommunens områden (areas)"),
        (indicator("promise_indicators.victim_contact_on_time", "target_days: '7'"),
         "params.target_days", "fel typ; hittade '7'; förväntat ett heltal"),
        (indicator("promise_indicators.victim_contact_on_time", "target_days: 0"),
         "params.target_days", "värdet är för litet; hittade 0; förväntat minst 1"),
        (indicator("promise_indicators.safety_walks_held", "baseline_period: 2024"),
         "params.baseline_period", "basåret skrivs som indikatorns egen nyckel baseline_period"),
        (indicator("promise_indicators.safety_walks_held", "areas: Kopparberg"), "params.areas",
         "förväntat inga params"),
        (indicator("promise_indicators.walk_observations_on_time", extra="target: 80"), "target",
         "målet för en andel skrivs som ett tal mellan 0 och 1; hittade 80; förväntat t.ex. 0.8"),
        (indicator("victim_contact.on_time_indicator", extra="baseline_period: 2024"),
         "baseline_period", "jämför inte med ett basår"),
        (indicator("promise_indicators.safety_walks_held", extra="target: -1, direction: "
                   "higher_is_better"), "target", "målet är negativt"),
    ],
)  # fmt: skip
def test_each_indicator_mistake_names_the_key(tmp_path, line, key, words):
    path = write(tmp_path, line)
    (problem,) = problems_of(path)
    assert problem.file == str(path)
    assert problem.key == f"promises[0].indicators[0].{key}"
    assert words in problem.line()


def test_every_problem_of_the_file_in_one_error(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "KOMMUN_CONFIG_DIR", tmp_path)
    body = (
        indicator("promise_indicators.reported_crime_rate", "series: trafik", ind_id="a")
        + indicator("promise_indicators.survey_insecurity", "question: q99", ind_id="b")
        + indicator("promise_indicators.nope", ind_id="b")
    )
    path = write(tmp_path, body.replace("name: Ljusnarsberg", "name: Ljusnarsberg"))
    path.write_text(path.read_text("utf-8").replace("default_period: 2025", "default_period: x"))
    with pytest.raises(ConfigErrors) as err:
        validate.check_kommun("1864")
    keys = [p.key for p in err.value.problems]
    assert keys == [
        "default_period",
        "promises[0].indicators[0].params.series",
        "promises[0].indicators[1].params.question",
        "promises[0].indicators[2].id",
        "promises[0].indicators[2].function",
    ]
    assert str(err.value).startswith(f"Fel i konfigurationen ({path}): 5 fel\n  – ")


@pytest.mark.parametrize("code", sorted(config_files()))
def test_shipped_configs_are_valid(code):
    config, problems = validate.check_file(config_files()[code])
    assert problems == []
    assert config is not None and config.code == code


def test_the_generated_default_is_valid():
    assert validate.kommun_problems(["0114"]) == []
    raw = {"promises": [p.model_dump() for p in default_promises(2025)]}
    assert validate.indicator_problems(GENERATED, raw) == []


def test_a_function_without_a_declaration_is_checked_against_its_signature(tmp_path):
    path = write(tmp_path, indicator("stats.status.decide_status", "levle: 1"))
    (problem,) = problems_of(path)
    assert problem.key == "promises[0].indicators[0].params"
    assert "funktionen tar inte de här parametrarna: levle" in problem.line()


def test_run_and_ingest_refuse_a_broken_config_before_any_work(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(paths, "KOMMUN_CONFIG_DIR", tmp_path)
    write(tmp_path, indicator("promise_indicators.reported_crime_rate", "series: trafik"))
    started = []
    monkeypatch.setattr("trygghet.pipeline.runner.run_many", lambda *a, **k: started.append(a))
    monkeypatch.setattr("trygghet.pipeline.ingest.ingest_all", lambda *a, **k: started.append(a))
    for argv in (["run", "--kommun", "1864"], ["ingest", "--kommun", "1864"]):
        assert cli.main(argv) == 2
        err = capsys.readouterr().err
        assert "nyckel 'promises[0].indicators[0].params.series'" in err
        assert "Traceback" not in err
    assert not started


def test_a_batch_lists_the_problems_of_every_file(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "KOMMUN_CONFIG_DIR", tmp_path)
    write(tmp_path, indicator("promise_indicators.nope"))
    other = (tmp_path / "1864-ljusnarsberg.yml").read_text("utf-8")
    other = other.replace('code: "1864"', 'code: "1863"').replace("Ljusnarsberg", "Hällefors")
    (tmp_path / "1863-hallefors.yml").write_text(
        other.replace("lat: 59.937817", "lat: 59.78").replace("lat: 59.866981", "lat: 59.70"),
        encoding="utf-8",
    )
    (tmp_path / "1864-kopia.yml").write_text(other, encoding="utf-8")
    with pytest.raises(ConfigErrors) as err:
        validate.check_kommuner(["1863", "1864", "0114"])
    message = str(err.value)
    assert "fel i" in message and "filer" in message
    assert "kommun 1864 har 2 konfigurationsfiler: 1864-kopia.yml och 1864-ljusnarsberg.yml" in (
        message
    )
    assert "nope" in message


def test_a_clean_check_is_remembered_for_that_content_and_code(tmp_path, monkeypatch):
    """`trygghet run` checks every time; a file checked clean is not checked again until it changes."""
    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path / "processed")
    path = write(tmp_path / "config", indicator("promise_indicators.safety_walks_held"))
    assert validate.check_file(path)[1] == []
    marks = list(paths.checked_configs_dir().iterdir())
    assert len(marks) == 1, "the clean check left its mark"

    calls = []
    monkeypatch.setattr(validate, "_indicator_problems", lambda *a: calls.append(a) or [])
    assert validate.check_file(path)[1] == []
    assert calls == [], "the same content and code were not checked again"

    path.write_text(path.read_text() + "\n# en kommentar ändrar inget\n", encoding="utf-8")
    validate.check_file(path)
    assert calls == [], "the mark is of the content read, not of the bytes"
    write(tmp_path / "config", indicator("promise_indicators.safety_walks_held", ind_id="b"))
    validate.check_file(path)
    assert len(calls) == 1, "changed content is checked again"


def test_a_file_with_problems_is_checked_every_time(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path / "processed")
    path = write(tmp_path / "config", indicator("promise_indicators.safety_walk_held"))
    first = problems_of(path)
    assert first and first == problems_of(path)
    assert not paths.checked_configs_dir().exists(), "no mark for a file with problems"


def test_changed_code_checks_again(tmp_path, monkeypatch):
    from trygghet.pipeline import provenance

    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path / "processed")
    path = write(tmp_path / "config", indicator("promise_indicators.safety_walks_held"))
    validate.check_file(path)
    monkeypatch.setattr(provenance, "code_fingerprint", lambda: "annan kod")
    calls = []
    monkeypatch.setattr(validate, "_indicator_problems", lambda *a: calls.append(a) or [])
    validate.check_file(path)
    assert len(calls) == 1
