"""docs/config.md is generated from the code and cannot drift from it."""

from __future__ import annotations

import yaml

from trygghet import paths
from trygghet.config import Area, Indicator, KommunConfig, Promise
from trygghet.pipeline import config_docs, validate

DOC = paths.PROJECT_ROOT / "docs" / "config.md"


def test_committed_docs_match_the_code():
    assert DOC.read_text(encoding="utf-8") == config_docs.render(), (
        "docs/config.md är inte aktuell: kör `make docs` och checka in filen"
    )


def test_docs_name_every_key_and_every_indicator_function_with_its_params():
    text = config_docs.render()
    for model in (KommunConfig, Area, Promise, Indicator):
        for name, field in model.model_fields.items():
            assert field.exclude or f"| `{name}` |" in text, name
    for name, spec in validate.indicator_specs().items():
        assert f"### `{name}`" in text
        for param in spec.params:
            assert f"| `{param.name}` |" in text
    assert "`ordningsstorning` (Ordningsstörning)" in text and "| `q14` |" in text


def test_the_example_in_the_docs_is_a_valid_config():
    raw = yaml.safe_load(config_docs.EXAMPLE)
    assert validate.indicator_problems("exempel", raw) == []
    full = {"code": "1864", "name": "Ljusnarsberg", "default_period": 2025, **raw}
    KommunConfig.model_validate(full)
