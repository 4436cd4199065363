"""Kommun configuration: every shipped file loads; every mistake names file and key."""

from __future__ import annotations

import pytest

from trygghet.config import (
    GENERATED,
    ConfigErrors,
    config_files,
    default_areas,
    default_config,
    default_period,
    load_config,
    load_config_file,
    load_or_default,
)
from trygghet.errors import ConfigError

GOOD = """\
code: "1863"
name: Hällefors
default_period: 2025
areas:
  - {name: Hällefors, kind: tätort, lat: 59.78, lon: 14.52}
promises:
  - {id: "1", title: EST, text: Vi arbetar enligt EST.}
"""


def write(tmp_path, text, name="1863-test.yml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("code", sorted(config_files()))
def test_every_shipped_config_loads(code):
    config = load_config(code)
    assert config.code == code
    assert config.promises, "a kommun without promises has nothing to follow up"


def test_good_file_loads_with_lan(tmp_path):
    config = load_config_file(write(tmp_path, GOOD))
    assert (config.code, config.lan_code, config.lan_name) == ("1863", "18", "Örebro län")
    assert config.areas[0].kind == "tätort"


@pytest.mark.parametrize(
    ("change", "key", "reason"),
    [
        (("default_period: 2025", "default_period: tjugo"), "default_period", "ett heltal"),
        (("default_period: 2025", "default_periode: 2025"), "default_periode", "okänd nyckel"),
        (('code: "1863"', 'code: "9999"'), "code", "okänd kommunkod '9999'"),
        (("lat: 59.78", "lat: 49.0"), "areas[0].lat", "55"),
        (("kind: tätort", "kind: metropol"), "areas[0].kind", "metropol"),
        (("name: Hällefors\n", "name: Hallefors\n"), "name", "heter 'Hällefors'"),
    ],
)
def test_mistakes_name_file_and_key(tmp_path, change, key, reason):
    path = write(tmp_path, GOOD.replace(*change, 1))
    with pytest.raises(ConfigError) as err:
        load_config_file(path)
    message = str(err.value)
    assert str(path) in message
    assert f"nyckel '{key}'" in message
    assert reason in message


def test_missing_key_and_broken_yaml(tmp_path):
    with pytest.raises(ConfigError, match="nyckel 'default_period'.*saknas"):
        load_config_file(write(tmp_path, GOOD.replace("default_period: 2025\n", "")))
    with pytest.raises(ConfigError, match="ogiltig YAML"):
        load_config_file(write(tmp_path, "code: [1863"))


def test_unconfigured_kommun_lists_the_configured_ones(tmp_path):
    write(tmp_path, GOOD)
    with pytest.raises(ConfigError, match="kommun 0114 har ingen konfigurationsfil.*1863"):
        load_config("0114", directory=tmp_path)


# --------------------------------------------------------------------------- every problem at once

ENGLISH = ("Input should", "valid", "Extra inputs", "Field required", "Value error")


@pytest.fixture
def boundaries(tmp_path, monkeypatch):
    """SCB-like boundaries in a processed folder of our own: Hällefors and Malmö as boxes."""
    import geopandas as gpd
    from shapely.geometry import box

    from trygghet import paths

    processed = tmp_path / "processed"
    processed.mkdir()
    frame = gpd.GeoDataFrame(
        {"kommun_code": ["1863", "1280"], "kommun_name": ["Hällefors", "Malmö"]},
        geometry=[box(14.3, 59.6, 14.9, 60.0), box(12.9, 55.5, 13.2, 55.7)],
        crs=4326,
    )
    frame.to_parquet(processed / "kommun_boundaries.parquet")
    monkeypatch.setattr(paths, "PROCESSED_DIR", processed)
    return processed


@pytest.fixture
def no_boundaries(tmp_path, monkeypatch):
    """Neither processed tables nor a mirror, as on a fresh user's machine."""
    from trygghet import paths

    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path / "processed")
    monkeypatch.setenv("TRYGGHET_SHARED_DATA", str(tmp_path / "no-mirror"))


def test_every_problem_of_a_file_is_reported_at_once(tmp_path, boundaries):
    text = (
        GOOD.replace("default_period: 2025", "default_period: tjugo\nmin_count: 0\nfärg: blå")
        .replace("kind: tätort", "kind: metropol")
        .replace('{id: "1", title: EST,', "{id: 1, title: EST,")
    )
    path = write(tmp_path, text)
    with pytest.raises(ConfigErrors) as err:
        load_config_file(path)
    keys = [p.key for p in err.value.problems]
    assert keys == ["default_period", "min_count", "färg", "areas[0].kind", "promises[0].id"]
    message = str(err.value)
    assert message.startswith(f"Fel i konfigurationen ({path}): 5 fel")
    assert not [w for w in ENGLISH if w in message], message
    assert isinstance(err.value, ConfigError) and err.value.key == "default_period"


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (("default_period: 2025", "default_period: tjugo"), "default_period",  # int_parsing
         "fel typ; hittade 'tjugo'; förväntat ett heltal"),
        (("default_period: 2025", "default_period: 2025.5"), "default_period",  # int_from_float
         "förväntat ett heltal (utan decimaler)"),
        (("name: Hällefors\n", ""), "name", "nyckeln saknas men är obligatorisk"),  # missing
        (("default_period: 2025", "default_periode: 2025"), "default_periode",  # extra_forbidden
         "okänd nyckel (menade du 'default_period'?)"),
        (("title: EST", "title: 5"), "promises[0].title",  # string_type
         'fel typ (skriv värdet inom citattecken, t.ex. "1"); hittade 5; förväntat en text'),
        (("title: EST", "title: yes"), "promises[0].title", "YAML läser yes/no"),  # bool as text
        (("lat: 59.78", "lat: norr"), "areas[0].lat",  # float_parsing
         "förväntat ett tal med decimalpunkt"),
        (("lat: 59.78", "lat: '59,78'"), "areas[0].lat", "decimalkomma: skriv decimalpunkt"),
        (("kind: tätort", "kind: metropol"), "areas[0].kind",  # literal_error
         "värdet är inte tillåtet; hittade 'metropol'; förväntat en av 'tätort', 'by', "
         "'stadsdel', 'landsbygd' eller 'övrigt'"),
        (("default_period: 2025", "default_period: 2025\nmin_count: 0"), "min_count",
         "värdet är för litet; hittade 0; förväntat minst 1"),  # greater_than_equal
        (("lon: 14.52", "lon: 30.0"), "areas[0].lon",  # less_than_equal
         "värdet är för stort; hittade 30.0; förväntat högst 24.5"),
        (("areas:\n  - {name", "areas:\n  - Hällefors\n  - {name"), "areas[0]",  # model_type
         "förväntat nycklar och värden"),
        (("areas:\n  - {name: Hällefors, kind: tätort, lat: 59.78, lon: 14.52}", "areas: Hällefors"),
         "areas", "förväntat en lista"),  # list_type
    ],
)  # fmt: skip
def test_pydantic_errors_are_in_swedish(tmp_path, change, key, words):
    path = write(tmp_path, GOOD.replace(*change, 1))
    with pytest.raises(ConfigErrors) as err:
        load_config_file(path)
    (problem,) = [p for p in err.value.problems if p.key == key]
    assert words in problem.line()
    assert not [w for w in ENGLISH if w in str(err.value)], str(err.value)


def test_a_param_of_the_wrong_type_is_one_problem_not_four(tmp_path):
    text = GOOD.replace(
        "promises:\n", "promises:\n  - id: '2'\n    title: T\n    text: T\n    indicators:\n"
        "      - {id: a, name: A, function: promise_indicators.reported_crime_rate,"
        " params: {series: [a, b]}}\n",
    )  # fmt: skip
    with pytest.raises(ConfigErrors) as err:
        load_config_file(write(tmp_path, text))
    (problem,) = err.value.problems
    assert problem.key == "promises[0].indicators[0].params.series"
    assert "en text, ett heltal, ett tal eller true/false" in problem.line()


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        (GOOD + "  - {id: \"1\", title: Igen, text: Samma id.}\n", "promises[1].id",
         "löftet '1' finns redan (promises[0])"),
        (GOOD.replace("text: Vi arbetar enligt EST.}", "text: T, indicators: ["
                      "{id: a, name: A, function: promise_indicators.safety_walks_held},"
                      "{id: a, name: B, function: promise_indicators.safety_walks_held}]}"),
         "promises[0].indicators[1].id", "indikatorn 'a' finns redan (promises[0].indicators[0])"),
        (GOOD.replace("promises:", "  - {name: Hällefors, kind: by}\npromises:"), "areas[1].name",
         "området 'Hällefors' finns redan (areas[0])"),
    ],
)  # fmt: skip
def test_duplicate_ids_and_area_names(tmp_path, text, key, words):
    with pytest.raises(ConfigErrors) as err:
        load_config_file(write(tmp_path, text))
    (problem,) = err.value.problems
    assert problem.key == key and words in problem.message


def test_an_area_outside_the_kommun_names_where_it_is(tmp_path, boundaries):
    text = GOOD.replace("lat: 59.78, lon: 14.52", "lat: 55.6050, lon: 13.0038")
    with pytest.raises(ConfigErrors) as err:
        load_config_file(write(tmp_path, text))
    (problem,) = err.value.problems
    assert problem.key == "areas[0]"
    assert "ligger" in problem.message and "km utanför Hällefors kommun (i Malmö kommun)" in (
        problem.message
    )
    assert "hittade lat: 55.605, lon: 13.0038" in problem.line()
    assert "kontrollerat mot SCB:s kommungränser i" in problem.expected
    assert "kommun_boundaries.parquet" in problem.expected
    # Just outside SCB's simplified border (an island, a lakeshore) is accepted.
    load_config_file(write(tmp_path, GOOD.replace("lat: 59.78", "lat: 60.05")))


def test_without_boundaries_only_sweden_is_checked_and_that_is_said(tmp_path, no_boundaries):
    from trygghet.config import boundary_check_label

    assert boundary_check_label() == "Sveriges yttre gränser (SCB:s kommungränser finns inte här)"
    malmo = GOOD.replace("lat: 59.78, lon: 14.52", "lat: 55.6050, lon: 13.0038")
    assert load_config_file(write(tmp_path, malmo)).areas[0].lat == 55.605
    with pytest.raises(ConfigErrors, match="areas\\[0\\].lat.*förväntat minst 55.0"):
        load_config_file(write(tmp_path, GOOD.replace("lat: 59.78", "lat: 49.0")))


def test_two_files_for_one_kommun_name_both(tmp_path):
    write(tmp_path, GOOD, "1863-hallefors.yml")
    write(tmp_path, GOOD, "1863-kopia.yml")
    with pytest.raises(ConfigErrors) as err:
        config_files(tmp_path)
    message = str(err.value)
    assert "kommun 1863 har 2 konfigurationsfiler: 1863-hallefors.yml och 1863-kopia.yml" in (
        message
    )
    with pytest.raises(ConfigErrors, match="1863-kopia.yml"):
        load_config("1863", directory=tmp_path)


def test_a_file_name_without_a_kommun_code_is_an_error(tmp_path):
    write(tmp_path, GOOD, "1863-hallefors.yml")
    write(tmp_path, GOOD, "hallefors.yml")
    write(tmp_path, GOOD, "9999-ingen.yaml")
    with pytest.raises(ConfigErrors) as err:
        config_files(tmp_path)
    lines = [p.line() for p in err.value.problems]
    assert len(lines) == 2
    assert any("9999 är ingen kommunkod" in line for line in lines)
    assert any("börjar inte med en kommunkod; hittade 'hallefors.yml'" in line for line in lines)


def test_the_file_name_and_the_code_must_agree(tmp_path):
    with pytest.raises(ConfigErrors, match="filnamnet säger 1864 men filen säger 1863"):
        load_config_file(write(tmp_path, GOOD, "1864-ljusnarsberg.yml"))


def test_tests_can_point_the_config_folder_elsewhere(tmp_path, monkeypatch):
    from trygghet import paths

    write(tmp_path, GOOD, "1863-hallefors.yml")
    monkeypatch.setattr(paths, "KOMMUN_CONFIG_DIR", tmp_path)
    assert list(config_files()) == ["1863"]
    assert load_or_default("1863").source_file == str(tmp_path / "1863-hallefors.yml")
    assert load_or_default("1864").source_file == GENERATED


# --------------------------------------------------------------------------- the generated default


def test_default_areas_come_from_the_processed_tatort_table(tmp_path, no_boundaries):
    import pandas as pd

    processed = tmp_path / "processed"
    processed.mkdir()
    pd.DataFrame(
        {"tatort": ["Laxå", "Finnerödja", "Hällefors"], "kommun_code": ["1860", "1860", "1863"],
         "population": [3203, 523, 4000], "lat": [58.98, 58.93, 59.78], "lon": [14.62, 14.44, 14.52]}
    ).to_parquet(processed / "tatorter.parquet")  # fmt: skip
    areas, source = default_areas("1860")
    assert [a.name for a in areas] == ["Laxå", "Finnerödja"]
    assert "SCB:s tätorter 2020" in source and "tatorter.parquet" in source
    config = default_config("1860")
    assert (config.name, config.lan_name, config.source_file) == ("Laxå", "Örebro län", GENERATED)
    assert config.areas == areas


def test_default_areas_fall_back_to_one_point_in_the_kommun(no_boundaries):
    areas, source = default_areas("1860")
    assert [(a.name, a.kind) for a in areas] == [("Laxå (hela kommunen)", "övrigt")]
    assert "mittpunkt" in source


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01\x02 binary",
        "tatort,kommun_code,population,lat,lon\nLaxå,1860,många,58.98,14.62\n".encode(),
        "namn;kod\nLaxå;1860\n".encode(),
    ],
    ids=["binary", "text-in-number", "wrong-columns"],
)
def test_a_broken_tatort_file_falls_back_and_says_why(tmp_path, no_boundaries, content):
    scb = tmp_path / "no-mirror" / "scb"
    scb.mkdir(parents=True)
    (scb / "tatorter_2020_points.csv").write_bytes(content)
    areas, source = default_areas("1860")
    assert [(a.name, a.kind) for a in areas] == [("Laxå (hela kommunen)", "övrigt")]
    assert "kunde inte läsas" in source and "tatorter_2020_points.csv" in source
    assert default_config("1860").areas == areas


def test_default_promises_have_standard_indicators_marked_as_such():
    config = default_config("1860")
    assert [p.id for p in config.promises] == ["1", "2"]
    assert all(p.title.startswith("Standardlöfte") for p in config.promises)
    assert all(p.indicators for p in config.promises)
    assert config.default_period == default_period()
