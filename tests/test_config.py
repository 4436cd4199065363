"""Kommun configuration: every shipped file loads; every mistake names file and key."""

from __future__ import annotations

import pytest

from trygghet.config import config_files, load_config, load_config_file
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
        (("default_period: 2025", "default_period: tjugo"), "default_period", "integer"),
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
