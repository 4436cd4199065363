"""One configuration file per kommun, validated when loaded.

A kommun joins the project by adding ``config/kommuner/<code>-<name>.yml``. The
file says which kommun it is, the default period of its reports, its promises
(medborgarlöften) in its own words with the indicators that follow them up, and
the areas that reports break down by. Loading it validates every key: a typo, a
wrong type or an unknown kommun code is an error naming the file and the key,
because a silently ignored key would make a report quietly wrong.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from trygghet import kommuner
from trygghet.errors import ConfigError
from trygghet.paths import KOMMUN_CONFIG_DIR

AreaKind = Literal["tätort", "by", "stadsdel", "landsbygd", "övrigt"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Area(_Strict):
    """A part of the kommun that reports break down by."""

    name: str
    kind: AreaKind = "tätort"
    lat: float | None = Field(default=None, ge=55.0, le=69.5)
    lon: float | None = Field(default=None, ge=10.5, le=24.5)


class Indicator(_Strict):
    """How a promise is followed up; the status rule is in :mod:`trygghet.stats.status`."""

    id: str
    name: str
    function: str = Field(description="Library function computing it, 'module.function'.")
    params: dict[str, str | int | float | bool] = Field(default_factory=dict)
    unit: str = ""
    baseline_period: int | None = None
    target: float | None = Field(
        default=None, description="A level to reach; empty means only a direction counts."
    )
    direction: Literal["higher_is_better", "lower_is_better", "level"] = "level"


class Promise(_Strict):
    """One medborgarlöfte, as the kommun and the police wrote it."""

    id: str
    title: str
    text: str
    indicators: list[Indicator] = Field(default_factory=list)


class KommunConfig(_Strict):
    """The validated content of one kommun's configuration file."""

    code: str = Field(description="Four-character kommun code, e.g. '1863'.")
    name: str
    default_period: int = Field(ge=2015, le=2100)
    promises: list[Promise] = Field(default_factory=list)
    areas: list[Area] = Field(default_factory=list)
    min_count: int = Field(
        default=5, ge=1, description="Counts below this are shown as 'fåtal', not as figures."
    )
    source_file: str = Field(default="", exclude=True)

    @field_validator("code", mode="before")
    @classmethod
    def _code_is_a_kommun(cls, value: Any) -> str:
        code = str(value).zfill(4) if isinstance(value, int) else str(value)
        if not kommuner.is_kommun_code(code):
            raise ValueError(f"okänd kommunkod {code!r} (fyra siffror, t.ex. '1863')")
        return code

    @field_validator("default_period")
    @classmethod
    def _period_not_in_future(cls, value: int) -> int:
        if value > dt.date.today().year:
            raise ValueError(f"perioden {value} ligger i framtiden")
        return value

    @property
    def lan_code(self) -> str:
        return kommuner.lan_code_of(self.code)

    @property
    def lan_name(self) -> str:
        return kommuner.lan_name(self.lan_code)


def _pydantic_key(loc: tuple[Any, ...]) -> str:
    """Render a pydantic error location as the YAML key a user would look for: ``areas[1].lat``."""
    key = ""
    for item in loc:
        key += f"[{item}]" if isinstance(item, int) else (f".{item}" if key else str(item))
    return key


_MESSAGES = {
    "extra_forbidden": "okänd nyckel (stavfel?)",
    "missing": "nyckeln saknas men är obligatorisk",
}


def _swedish_reason(error: dict[str, Any]) -> str:
    if error["type"] in _MESSAGES:
        return _MESSAGES[error["type"]]
    msg = str(error.get("msg", ""))
    msg = msg.removeprefix("Value error, ")
    return f"{msg} (fick {error.get('input')!r})"


def load_config_file(path: Path) -> KommunConfig:
    """Read and validate one kommun file; every problem names the file and the key."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(path, None, f"ogiltig YAML: {exc}") from None
    except OSError as exc:
        raise ConfigError(path, None, f"kan inte läsas: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(path, None, "filen ska innehålla nycklar och värden (en YAML-mappning)")
    try:
        config = KommunConfig.model_validate(raw)
    except ValidationError as exc:
        # An unknown key first: a misspelt key also makes the real one "missing".
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        first, rest = errors[0], errors[1:]
        others = "".join(
            f"; nyckel '{_pydantic_key(e['loc'])}': {_swedish_reason(e)}" for e in rest
        )
        raise ConfigError(
            path, _pydantic_key(first["loc"]), _swedish_reason(first) + others
        ) from None
    expected_name = kommuner.kommun_name(config.code)
    if config.name != expected_name:
        raise ConfigError(
            path, "name", f"kommunkod {config.code} heter {expected_name!r}, inte {config.name!r}"
        )
    return config.model_copy(update={"source_file": str(path)})


def config_files(directory: Path = KOMMUN_CONFIG_DIR) -> dict[str, Path]:
    """Configured kommuner by code, from the file names ``<code>-<name>.yml``."""
    found: dict[str, Path] = {}
    for path in sorted(directory.glob("*.yml")):
        code = path.name.split("-", 1)[0]
        found[code] = path
    return found


def load_config(code: str, directory: Path = KOMMUN_CONFIG_DIR) -> KommunConfig:
    """The configuration of kommun ``code``; an unconfigured code is a clear error."""
    files = config_files(directory)
    if code not in files:
        known = ", ".join(files) or "inga"
        raise ConfigError(
            directory / f"{code}-*.yml",
            None,
            f"kommun {code} har ingen konfigurationsfil (konfigurerade: {known})",
        )
    config = load_config_file(files[code])
    if config.code != code:
        raise ConfigError(
            files[code], "code", f"filnamnet säger {code} men filen säger {config.code}"
        )
    return config


#: Promises used for a kommun that has written none of its own; the title says
#: so in every report, so nobody mistakes them for the kommun's own words.
DEFAULT_PROMISES = (
    Promise(
        id="1",
        title="Standardlöfte: samverkan och lägesbild",
        text="Standardtext (kommunen har ingen egen konfiguration): kommun och polis följer "
        "gemensamt upp lägesbilden och arbetar systematiskt mot den aktuella problembilden.",
    ),
    Promise(
        id="2",
        title="Standardlöfte: narkotika, trafik och ordningsstörningar",
        text="Standardtext (kommunen har ingen egen konfiguration): kommun och polis "
        "förebygger och ingriper mot narkotikabrott, trafikbrott och ordningsstörningar.",
    ),
)


def default_config(code: str, max_areas: int = 8) -> KommunConfig:
    """A generated configuration for a kommun without a file of its own.

    Areas are the kommun's largest tätorter from SCB (the mirror) where
    available, else one point inside the kommun (packaged); the period is the
    last complete year; the promises are clearly marked standard promises.
    """
    if not kommuner.is_kommun_code(code):
        raise ConfigError(KOMMUN_CONFIG_DIR / f"{code}-*.yml", "code", f"okänd kommunkod {code!r}")
    areas = _tatort_areas(code, max_areas) or [_kommun_point_area(code)]
    return KommunConfig(
        code=code,
        name=kommuner.kommun_name(code),
        default_period=dt.date.today().year - 1,
        promises=list(DEFAULT_PROMISES),
        areas=areas,
        source_file="(genererad standardkonfiguration)",
    )


def _tatort_areas(code: str, max_areas: int) -> list[Area]:
    import pandas as pd

    from trygghet.paths import shared_data_dir

    path = shared_data_dir() / "scb" / "tatorter_2020_points.csv"
    if not path.is_file():
        return []
    table = pd.read_csv(path, dtype={"kommun_code": str})
    table = table[table["kommun_code"] == code].nlargest(max_areas, "population")
    return [
        Area(name=str(r.tatort), kind="tätort", lat=float(r.lat), lon=float(r.lon))
        for r in table.itertuples()
    ]


def _kommun_point_area(code: str) -> Area:
    row = kommuner.all_kommuner().set_index("kommun_code").loc[code]
    return Area(
        name=f"{row['kommun_name']} (hela kommunen)",
        kind="övrigt",
        lat=float(row["point_lat"]),
        lon=float(row["point_lon"]),
    )


def load_or_default(code: str) -> KommunConfig:
    """The kommun's own configuration if it has one, else a generated default."""
    return load_config(code) if code in config_files() else default_config(code)
