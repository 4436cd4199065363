"""One configuration file per kommun, validated when loaded.

A kommun joins the project by adding ``config/kommuner/<code>-<name>.yml``
(``trygghet ny-kommun <code>`` writes one from SCB's data). The file says which
kommun it is, the default period of its reports, its promises
(medborgarlöften) in its own words with the indicators that follow them up, and
the areas that reports break down by.

Loading a file validates all of it and reports *every* problem at once, in
Swedish, as one :class:`ConfigErrors` (file, key, what was found, what was
expected): a typo, a wrong type, an unknown kommun code, a name that does not
match the code, two promises or two indicators with one id, an area whose
coordinates lie outside the kommun (checked against SCB's boundary where it is
available, else against Sweden's extent) and two files for one kommun. A
silently ignored key would make a report quietly wrong. The indicator
functions and their params are checked by the pipeline
(:mod:`trygghet.pipeline.validate`), which knows the reports layer; this
module does not.

Kommuner without a file get :func:`default_config`, the same configuration
that ``trygghet ny-kommun`` writes out as a commented starting point.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from trygghet import kommuner, paths
from trygghet.errors import ConfigError

AreaKind = Literal["tätort", "by", "stadsdel", "landsbygd", "övrigt"]
Direction = Literal["higher_is_better", "lower_is_better", "level"]

#: Sweden's extent in WGS 84: the check of last resort for an area's coordinates.
SWEDEN_LAT = (55.0, 69.5)
SWEDEN_LON = (10.5, 24.5)

#: How far (metres) an area may lie outside SCB's kommun boundary. The boundary
#: is SCB's generalised one: SCB's own tätort points on coastal islands and
#: lakeshores lie up to 9.5 km outside it (tätorter 2020), a neighbouring
#: kommun's town lies tens of kilometres away.
BOUNDARY_TOLERANCE_M = 10_000

#: The ``source_file`` of a generated configuration (reports say so in their header).
GENERATED = "(genererad standardkonfiguration)"


#: Organisations that may be named as responsible for a measure unless the kommun lists its own.
DEFAULT_PARTIES: tuple[str, ...] = (
    "kommunen",
    "kommunen/tekniska förvaltningen",
    "kommunen/fritidsförvaltningen",
    "kommunen/samhällsbyggnad",
    "polisen",
    "bostadsbolaget",
    "fastighetsägaren",
    "Trafikverket",
    "väktare",
    "skolan",
    "fritidsgården",
    "räddningstjänsten",
    "kollektivtrafiken",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Area(_Strict):
    """A part of the kommun that reports break down by."""

    name: str = Field(description="The area's name as the kommun's own data writes it.")
    kind: AreaKind = Field(default="tätort", description="What kind of place it is.")
    lat: float | None = Field(
        default=None,
        ge=SWEDEN_LAT[0],
        le=SWEDEN_LAT[1],
        description="Latitude (WGS 84, decimal point) of the area's centre; must lie in the "
        "kommun. Used for maps and to match events and reports to the area.",
    )
    lon: float | None = Field(
        default=None,
        ge=SWEDEN_LON[0],
        le=SWEDEN_LON[1],
        description="Longitude (WGS 84, decimal point) of the area's centre.",
    )


class Indicator(_Strict):
    """How a promise is followed up; the status rule is in :mod:`trygghet.stats.status`."""

    id: str = Field(description="Short id, unique within the promise (e.g. 'est-atgard').")
    name: str = Field(description="What the report calls the indicator.")
    function: str = Field(
        description="The library function that computes it, 'promise_indicators.<function>' "
        "(see the indicator functions below)."
    )
    params: dict[str, str | int | float | bool] = Field(
        default_factory=dict,
        description="The function's parameters, a mapping such as {series: trafikbrott}; "
        "each function's parameters and allowed values are listed below.",
    )
    unit: str = Field(
        default="", description="The unit shown with the value: andel, antal, veckor, per 100 000."
    )
    baseline_period: int | None = Field(
        default=None,
        description="The year to compare with; the change since then is tested, so that "
        "progress can be told from noise. Empty: no comparison.",
    )
    target: float | None = Field(
        default=None,
        description="A level to reach (a share is written 0.8 for 80 %); empty means only "
        "the direction of a tested change counts.",
    )
    direction: Direction = Field(
        default="level",
        description="Which way is better: higher_is_better, lower_is_better, or level "
        "(followed without a good direction, e.g. crimes found mostly by police checks).",
    )


class Promise(_Strict):
    """One medborgarlöfte, as the kommun and the police wrote it."""

    id: str = Field(description="The promise's number or short id, unique in the file ('1').")
    title: str = Field(description="A short title, shown as the promise's heading.")
    text: str = Field(description="The promise in the kommun's and the police's own words.")
    indicators: list[Indicator] = Field(
        default_factory=list, description="The indicators that follow the promise up."
    )


class KommunConfig(_Strict):
    """The validated content of one kommun's configuration file."""

    code: str = Field(description="Four-character kommun code as in SCB's code list, e.g. '1863'.")
    name: str = Field(description="The kommun's name exactly as SCB's code list writes it.")
    default_period: int = Field(
        ge=2015,
        le=2100,
        description="The year the reports are about unless `--period` says otherwise; "
        "not in the future.",
    )
    promises: list[Promise] = Field(
        default_factory=list, description="The medborgarlöften and their indicators."
    )
    areas: list[Area] = Field(
        default_factory=list,
        description="The areas reports break down by (tätorter, villages, districts).",
    )
    min_count: int = Field(
        default=5, ge=1, description="Counts below this are shown as 'fåtal', not as figures."
    )
    parties: list[str] = Field(
        default_factory=lambda: list(DEFAULT_PARTIES),
        description="The organisations that can be responsible for a measure (safety walks, "
        "EST). Reports show any other name in a protocol as 'annan ansvarig', because a "
        "person's name cannot be told from an organisation's by a pattern.",
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


# --------------------------------------------------------------------------- problems


_NOTHING: Any = object()


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong in a configuration: where (file, key), what was found, what was expected."""

    file: str
    key: str | None
    message: str
    found: Any = _NOTHING
    expected: str | None = None

    def line(self) -> str:
        text = f"nyckel '{self.key}': {self.message}" if self.key else self.message
        if self.found is not _NOTHING:
            text += f"; hittade {show_value(self.found)}"
        if self.expected:
            text += f"; förväntat {self.expected}"
        return text


class ConfigErrors(ConfigError):
    """Every problem of one or more configuration files, in one Swedish message."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        if not problems:
            raise ValueError("ConfigErrors needs at least one problem")
        self.problems = list(problems)
        self.file = self.problems[0].file
        self.key = self.problems[0].key
        Exception.__init__(self, render_problems(self.problems))


def render_problems(problems: list[ConfigProblem]) -> str:
    """The message of :class:`ConfigErrors`: one line for one problem, else a list per file."""
    if len(problems) == 1:
        (p,) = problems
        where = p.file + (f", nyckel '{p.key}'" if p.key else "")
        rest = p.line().removeprefix(f"nyckel '{p.key}': ") if p.key else p.line()
        return f"Fel i konfigurationen ({where}): {rest}"
    files = list(dict.fromkeys(p.file for p in problems))
    if len(files) == 1:
        lines = [f"Fel i konfigurationen ({files[0]}): {len(problems)} fel"]
        lines += [f"  – {p.line()}" for p in problems]
        return "\n".join(lines)
    lines = [f"Fel i konfigurationen: {len(problems)} fel i {len(files)} filer"]
    for file in files:
        lines.append(f"  {file}:")
        lines += [f"    – {p.line()}" for p in problems if p.file == file]
    return "\n".join(lines)


class Shown(str):
    """A found value already written for the message (not quoted again)."""


def show_value(value: Any) -> str:
    """A found value as the user wrote it in YAML."""
    if isinstance(value, Shown):
        return str(value)
    if value is None:
        return "ett tomt värde"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (int, float)):
        return repr(value)
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "…"


# --------------------------------------------------------------------------- pydantic in Swedish

_TYPE_WORDS = {
    "string_type": "en text",
    "int_type": "ett heltal",
    "int_parsing": "ett heltal",
    "int_from_float": "ett heltal (utan decimaler)",
    "float_type": "ett tal",
    "float_parsing": "ett tal med decimalpunkt, t.ex. 59.78",
    "bool_type": "true eller false",
    "bool_parsing": "true eller false",
    "list_type": "en lista (en post per rad, som börjar med '- ')",
    "dict_type": "nycklar och värden (en YAML-mappning)",
    "model_type": "nycklar och värden (en YAML-mappning)",
    "model_attributes_type": "nycklar och värden (en YAML-mappning)",
}
_BOUNDS = {
    "greater_than_equal": ("ge", "värdet är för litet", "minst"),
    "greater_than": ("gt", "värdet är för litet", "större än"),
    "less_than_equal": ("le", "värdet är för stort", "högst"),
    "less_than": ("lt", "värdet är för stort", "mindre än"),
}
_UNION_MEMBERS = {"str", "int", "float", "bool"}
_PARAM_TYPES = "en text, ett heltal, ett tal eller true/false (ett enda värde per parameter)"


def _pydantic_key(loc: tuple[Any, ...]) -> str:
    """Render a pydantic error location as the YAML key a user would look for: ``areas[1].lat``."""
    key = ""
    for item in loc:
        key += f"[{item}]" if isinstance(item, int) else (f".{item}" if key else str(item))
    return key


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class whose keys live at ``loc`` (``("areas", 0)`` → :class:`Area`)."""
    model: Any = KommunConfig
    for item in loc:
        if isinstance(item, int):
            continue
        field = model.model_fields.get(item) if isinstance(model, type) else None
        if field is None:
            return None
        annotation = field.annotation
        if get_origin(annotation) is list:
            annotation = get_args(annotation)[0]
        model = annotation
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _hint(error_type: str, value: Any) -> str:
    if error_type == "string_type" and isinstance(value, bool):
        return (
            " (YAML läser yes/no/on/off/true/false som sant/falskt: skriv texten inom citattecken)"
        )
    if error_type == "string_type" and isinstance(value, (int, float)):
        return ' (skriv värdet inom citattecken, t.ex. "1")'
    if error_type == "float_parsing" and isinstance(value, str) and "," in value:
        return " (decimalkomma: skriv decimalpunkt)"
    return ""


def translate(file: str, error: dict[str, Any]) -> ConfigProblem:
    """One pydantic error as a Swedish :class:`ConfigProblem` (pydantic's words are English)."""
    kind, loc, value = error["type"], tuple(error["loc"]), error.get("input")
    ctx = error.get("ctx") or {}
    key = _pydantic_key(loc)
    if kind == "missing":
        return ConfigProblem(file, key, "nyckeln saknas men är obligatorisk")
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        allowed = [k for k in (model.model_fields if model else {}) if k != "source_file"]
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        message = "okänd nyckel" + (f" (menade du '{close[0]}'?)" if close else " (stavfel?)")
        return ConfigProblem(
            file, key, message, expected=("en av " + ", ".join(allowed)) if allowed else None
        )
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace(" or ", " eller ")
        return ConfigProblem(file, key, "värdet är inte tillåtet", value, f"en av {expected}")
    if kind in _BOUNDS:
        name, message, word = _BOUNDS[kind]
        return ConfigProblem(file, key, message, value, f"{word} {ctx.get(name)}")
    if kind == "value_error":
        reason = str(ctx.get("error") or error.get("msg", "")).removeprefix("Value error, ")
        return ConfigProblem(file, key, reason, value)
    if kind in _TYPE_WORDS:
        return ConfigProblem(file, key, "fel typ" + _hint(kind, value), value, _TYPE_WORDS[kind])
    return ConfigProblem(file, key, f"ogiltigt värde (feltyp {kind})", value)


def pydantic_problems(file: str, exc: ValidationError) -> list[ConfigProblem]:
    """Every error of a validation in Swedish; the members of a union collapse to one."""
    out: list[ConfigProblem] = []
    unions: set[tuple[Any, ...]] = set()
    for error in exc.errors():
        loc = tuple(error["loc"])
        if len(loc) >= 3 and loc[-1] in _UNION_MEMBERS and loc[-3] == "params":
            if loc[:-1] not in unions:
                unions.add(loc[:-1])
                out.append(
                    ConfigProblem(
                        file, _pydantic_key(loc[:-1]), "fel typ", error.get("input"), _PARAM_TYPES
                    )
                )
            continue
        out.append(translate(file, error))
    return out


# --------------------------------------------------------------------------- checks of the whole file


def _as_code(value: Any) -> str | None:
    code = str(value).zfill(4) if isinstance(value, int) and not isinstance(value, bool) else value
    return code if isinstance(code, str) and kommuner.is_kommun_code(code) else None


def _duplicate_ids(
    file: str, items: Any, prefix: str, what: str, expected: str, field: str = "id"
) -> list[ConfigProblem]:
    if not isinstance(items, list):
        return []
    out, seen = [], {}
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get(field), (str, int)):
            continue
        value = str(item[field])
        if value in seen:
            out.append(
                ConfigProblem(
                    file,
                    f"{prefix}[{i}].{field}",
                    f"{what} '{value}' finns redan ({prefix}[{seen[value]}])",
                    item[field],
                    expected,
                )
            )
        else:
            seen[value] = i
    return out


def _number(value: Any) -> float | None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    return float(value) if ok else None


def whole_file_problems(path: Path, raw: dict[str, Any]) -> list[ConfigProblem]:
    """What pydantic cannot see: names, ids, file name, areas inside the kommun.

    Works on the raw YAML so that it runs even when other keys are wrong; a key
    of the wrong type is left to pydantic's message.
    """
    file = str(path)
    out: list[ConfigProblem] = []
    code = _as_code(raw.get("code"))
    if code is not None:
        expected = kommuner.kommun_name(code)
        name = raw.get("name")
        if isinstance(name, str) and name != expected:
            out.append(
                ConfigProblem(
                    file,
                    "name",
                    f"kommunkod {code} heter {expected!r}, inte {name!r}",
                    name,
                    f"{expected!r} (namnet som i SCB:s kodlista)",
                )
            )
        named = path.name.split("-", 1)[0]
        if re.fullmatch(r"\d{4}", named) and named != code:
            out.append(
                ConfigProblem(
                    file,
                    "code",
                    f"filnamnet säger {named} men filen säger {code}",
                    raw.get("code"),
                    f"samma kod i filnamnet och i filen (t.ex. {kommuner.config_file_name(code)})",
                )
            )
    promises = raw.get("promises")
    out += _duplicate_ids(file, promises, "promises", "löftet", "ett eget id för varje löfte")
    for p, promise in enumerate(promises if isinstance(promises, list) else []):
        if isinstance(promise, dict):
            out += _duplicate_ids(
                file,
                promise.get("indicators"),
                f"promises[{p}].indicators",
                "indikatorn",
                "ett eget id för varje indikator inom löftet",
            )
    areas = raw.get("areas")
    out += _duplicate_ids(
        file, areas, "areas", "området", "ett eget namn för varje område", field="name"
    )
    if code is not None and isinstance(areas, list):
        out += _areas_outside(file, code, areas)
    return out


def _areas_outside(file: str, code: str, areas: list[Any]) -> list[ConfigProblem]:
    boundaries, label = kommun_boundaries()
    if boundaries is None or code not in boundaries.index:
        return []  # Sweden's extent, the Area model's own check, is all there is
    from shapely.geometry import Point

    out = []
    own = boundaries.loc[code]
    for i, area in enumerate(areas):
        if not isinstance(area, dict):
            continue
        lat, lon = _number(area.get("lat")), _number(area.get("lon"))
        if lat is None or lon is None:
            continue
        if not (SWEDEN_LAT[0] <= lat <= SWEDEN_LAT[1] and SWEDEN_LON[0] <= lon <= SWEDEN_LON[1]):
            continue  # outside Sweden: the Area model already says so
        point = Point(*_to_sweref(lon, lat))
        distance = float(own.distance(point))
        if distance <= BOUNDARY_TOLERANCE_M:
            continue
        inside = [c for c, shape in boundaries.items() if c != code and shape.contains(point)]
        there = f" (i {kommuner.kommun_name(inside[0])} kommun)" if inside else ""
        out.append(
            ConfigProblem(
                file,
                f"areas[{i}]",
                f"området {str(area.get('name', ''))!r} ligger {distance / 1000:.0f} km utanför "
                f"{kommuner.kommun_name(code)} kommun{there}",
                Shown(f"lat: {lat}, lon: {lon}"),
                f"en punkt i kommunen, högst {BOUNDARY_TOLERANCE_M // 1000} km utanför den "
                f"förenklade gränsen (kontrollerat mot {label})",
            )
        )
    return out


# --------------------------------------------------------------------------- SCB's boundaries


def _shown(path: Path) -> str:
    path = path.resolve()
    root = paths.PROJECT_ROOT.resolve()
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def _boundary_files() -> list[tuple[Path, str]]:
    processed = paths.PROCESSED_DIR / "kommun_boundaries.parquet"
    mirror = paths.shared_data_dir() / "scb" / "kommuner_scb_wgs84.geojson"
    return [
        (processed, f"SCB:s kommungränser i {_shown(processed)}"),
        (mirror, f"SCB:s kommungränser i {_shown(mirror)}"),
    ]


@functools.lru_cache(maxsize=4)
def _read_boundaries(path: str, mtime_ns: int):  # noqa: ANN202 – a GeoSeries, geopandas is lazy
    import geopandas as gpd

    frame = gpd.read_parquet(path) if path.endswith(".parquet") else gpd.read_file(path)
    if frame.crs is None:
        frame = frame.set_crs(4326)
    codes = frame["kommun_code"].map(lambda v: str(v).strip().zfill(4))
    return frame.to_crs(3006).set_index(codes).geometry


def kommun_boundaries():  # noqa: ANN201 – (GeoSeries in SWEREF 99 TM | None, label)
    """SCB's kommun boundaries by code (metres, SWEREF 99 TM), and a Swedish label saying which.

    The processed table (``trygghet ingest``) first, else the mirror's GeoJSON;
    without either, ``None`` and a label saying that only Sweden's extent is checked.
    """
    for path, label in _boundary_files():
        if path.is_file():
            try:
                return _read_boundaries(str(path), path.stat().st_mtime_ns), label
            except Exception:  # noqa: BLE001 – a broken file is ingest's to report; try the next
                continue
    return None, "Sveriges yttre gränser (SCB:s kommungränser finns inte här)"


def boundary_check_label() -> str:
    """What an area's coordinates are checked against, in Swedish (for the command line)."""
    return kommun_boundaries()[1]


@functools.cache
def _transformer():  # noqa: ANN202
    from pyproj import Transformer

    return Transformer.from_crs(4326, 3006, always_xy=True)


def _to_sweref(lon: float, lat: float) -> tuple[float, float]:
    return _transformer().transform(lon, lat)


# --------------------------------------------------------------------------- reading files


@dataclass(frozen=True)
class FileCheck:
    """One file read and checked: the config if it is valid, the raw YAML, every problem."""

    path: Path
    raw: dict[str, Any] | None
    config: KommunConfig | None
    problems: list[ConfigProblem]


def check_config_file(path: Path) -> FileCheck:
    """Read one kommun file and collect every problem this module can see (never raises)."""
    path = Path(path)
    file = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" på rad {mark.line + 1}, kolumn {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or "felaktig syntax"
        return FileCheck(
            path, None, None, [ConfigProblem(file, None, f"ogiltig YAML{where}: {reason}")]
        )
    except (OSError, UnicodeDecodeError) as exc:
        return FileCheck(path, None, None, [ConfigProblem(file, None, f"kan inte läsas: {exc}")])
    if not isinstance(raw, dict):
        problem = ConfigProblem(
            file, None, "filen ska innehålla nycklar och värden (en YAML-mappning)", raw
        )
        return FileCheck(path, None, None, [problem])
    problems: list[ConfigProblem] = []
    config = None
    try:
        config = KommunConfig.model_validate(raw).model_copy(update={"source_file": file})
    except ValidationError as exc:
        problems += pydantic_problems(file, exc)
    problems += whole_file_problems(path, raw)
    problems.sort(key=file_order(raw))
    return FileCheck(path, raw, None if problems else config, problems)


def file_order(raw: dict[str, Any]):  # noqa: ANN201 – a sort key for ConfigProblem
    """Sort problems in the order of the file: top-level key, then list positions."""
    top = {key: i for i, key in enumerate(raw)}

    def order(problem: ConfigProblem) -> tuple[int, tuple[int, ...]]:
        if not problem.key:
            return -1, ()
        head = re.match(r"[^.\[]+", problem.key)
        position = top.get(head[0] if head else "", len(top))
        return position, tuple(int(n) for n in re.findall(r"\[(\d+)\]", problem.key))

    return order


def load_config_file(path: Path) -> KommunConfig:
    """Read and validate one kommun file; every problem, at once, names the file and the key."""
    checked = check_config_file(path)
    if checked.problems:
        raise ConfigErrors(checked.problems)
    assert checked.config is not None
    return checked.config


_FILE_NAME = re.compile(r"^(\d{4})(-.+)?$")


def scan_config_folder(
    directory: Path | None = None,
) -> tuple[dict[str, list[Path]], list[ConfigProblem]]:
    """Every ``.yml``/``.yaml`` file by the kommun code its name starts with, and the problems:
    a name that is not ``<code>-<name>.yml`` or whose code is no kommun, two files for one code."""
    directory = Path(directory or paths.KOMMUN_CONFIG_DIR)
    found: dict[str, list[Path]] = {}
    problems: list[ConfigProblem] = []
    files = sorted([*directory.glob("*.yml"), *directory.glob("*.yaml")])
    for path in files:
        match = _FILE_NAME.match(path.stem)
        if match is None or not kommuner.is_kommun_code(match[1]):
            problems.append(
                ConfigProblem(
                    str(path),
                    None,
                    "filnamnet börjar inte med en kommunkod"
                    if match is None
                    else f"{match[1]} är ingen kommunkod",
                    path.name,
                    "<kommunkod>-<namn>.yml, t.ex. 1860-laxa.yml",
                )
            )
            continue
        found.setdefault(match[1], []).append(path)
    for code, many in found.items():
        if len(many) > 1:
            names = ", ".join(p.name for p in many[:-1]) + f" och {many[-1].name}"
            problems.append(
                ConfigProblem(
                    str(directory),
                    None,
                    f"kommun {code} har {len(many)} konfigurationsfiler: {names}",
                    expected="en fil per kommun (ta bort eller slå ihop de andra)",
                )
            )
    return found, problems


def config_files(directory: Path | None = None) -> dict[str, Path]:
    """Configured kommuner by code, from the file names ``<code>-<name>.yml``.

    A file whose name is not of that form, or two files for one code, is an
    error naming the files: otherwise one would silently win.
    """
    found, problems = scan_config_folder(directory)
    if problems:
        raise ConfigErrors(problems)
    return {code: many[0] for code, many in found.items()}


def load_config(code: str, directory: Path | None = None) -> KommunConfig:
    """The configuration of kommun ``code``; an unconfigured code is a clear error."""
    directory = Path(directory or paths.KOMMUN_CONFIG_DIR)
    files = config_files(directory)
    if code not in files:
        known = ", ".join(files) or "inga"
        raise ConfigError(
            directory / f"{code}-*.yml",
            None,
            f"kommun {code} har ingen konfigurationsfil (konfigurerade: {known}); "
            f"`trygghet ny-kommun {code}` skapar en",
        )
    return load_config_file(files[code])


# --------------------------------------------------------------------------- the generated default


def default_promises(period: int) -> list[Promise]:
    """The standard promises and indicators of a kommun that has written none of its own.

    Their titles and texts say so in every report, so nobody mistakes them for
    the kommun's own words; ``trygghet ny-kommun`` writes them out to be edited.
    """
    return [
        Promise(
            id="1",
            title="Standardlöfte: samverkan och lägesbild",
            text="Standardtext (inte kommunens egna ord): kommun och polis följer gemensamt upp "
            "lägesbilden och arbetar systematiskt mot den aktuella problembilden.",
            indicators=[
                Indicator(
                    id="est-atgard",
                    name="Återkommande platser i EST med beslutad åtgärd",
                    function="promise_indicators.est_repeat_places_with_measure",
                    unit="andel",
                    baseline_period=period - 1,
                    target=0.8,
                    direction="higher_is_better",
                ),
                Indicator(
                    id="vandringar",
                    name="Genomförda trygghetsvandringar",
                    function="promise_indicators.safety_walks_held",
                    unit="antal",
                    baseline_period=period - 1,
                    target=2,
                    direction="higher_is_better",
                ),
                # The dialogues of the walks-and-dialogue promise (issue 19).
                Indicator(
                    id="dialog-omraden",
                    name="Områden med minst en medborgardialog",
                    function="promise_indicators.dialogue_areas_covered",
                    unit="andel",
                    baseline_period=period - 1,
                    direction="higher_is_better",
                ),
                Indicator(
                    id="dialog-beslut",
                    name="Förslag från dialogerna som blev beslutade åtgärder",
                    function="promise_indicators.dialogue_proposals_decided",
                    unit="andel",
                    baseline_period=period - 1,
                    direction="higher_is_better",
                ),
                Indicator(
                    id="dialog-i-tid",
                    name="Åtgärder från dialogerna klara i tid",
                    function="promise_indicators.dialogue_measures_on_time",
                    unit="andel",
                    baseline_period=period - 1,
                    target=0.8,
                    direction="higher_is_better",
                ),
                Indicator(
                    id="otrygghet",
                    name="Otrygga ute ensamma sent på kvällen (trygghetsmätningen)",
                    function="promise_indicators.survey_insecurity",
                    params={"question": "q14"},
                    unit="andel",
                    direction="lower_is_better",
                ),
            ],
        ),
        Promise(
            id="2",
            title="Standardlöfte: narkotika, trafik och ordningsstörningar",
            text="Standardtext (inte kommunens egna ord): kommun och polis förebygger och "
            "ingriper mot narkotikabrott, trafikbrott och ordningsstörningar.",
            indicators=[
                Indicator(
                    id=series_id,
                    name=f"Anmälda {label} per 100 000 invånare",
                    function="promise_indicators.reported_crime_rate",
                    params={"series": series},
                    unit="per 100 000",
                    baseline_period=period - 2,
                    direction=direction,
                )
                for series_id, series, label, direction in (
                    ("narkotika", "narkotikabrott", "narkotikabrott", "level"),
                    ("trafik", "trafikbrott", "trafikbrott", "level"),
                    ("ordning", "ordningsstorning", "ordningsstörningar", "lower_is_better"),
                )
            ],
        ),
    ]


def default_areas(code: str, max_areas: int = 8) -> tuple[list[Area], str]:
    """The kommun's largest tätorter from SCB, and a Swedish note on where they came from.

    The processed tätort table (``trygghet ingest``) first, else the mirror's
    ``scb/tatorter_2020_points.csv``; without either (or for a kommun without a
    tätort) one point inside the kommun from the packaged code list.
    """
    unreadable: list[str] = []
    for path in (
        paths.PROCESSED_DIR / "tatorter.parquet",
        paths.shared_data_dir() / "scb" / "tatorter_2020_points.csv",
    ):
        if not path.is_file():
            continue
        try:
            table = _tatorter(str(path), path.stat().st_mtime_ns)
        except Exception:  # noqa: BLE001 – a broken file must not stop a config from loading
            # The house cannot use the strict SCB reader (sources are a stage above);
            # `trygghet ingest` reports what is wrong with the file in detail.
            unreadable.append(_shown(path))
            continue
        table = table[table["kommun_code"] == code].nlargest(max_areas, "population")
        if len(table):
            areas = [
                Area(name=str(r.tatort), kind="tätort", lat=float(r.lat), lon=float(r.lon))
                for r in table.itertuples()
            ]
            return areas, f"SCB:s tätorter 2020, de största först ({_shown(path)})"
    why = (
        f"SCB:s tätorter kunde inte läsas ur {', '.join(unreadable)}; kör 'trygghet ingest' "
        "för att se vad som är fel i filen"
        if unreadable
        else "SCB:s tätorter finns inte här"
    )
    return [_kommun_point_area(code)], f"kommunens mittpunkt ur den paketerade kodlistan ({why})"


@functools.lru_cache(maxsize=4)
def _tatorter(path: str, mtime_ns: int):  # noqa: ANN202 – a DataFrame
    import pandas as pd

    columns = ["tatort", "kommun_code", "population", "lat", "lon"]
    if path.endswith(".parquet"):
        table = pd.read_parquet(path, columns=columns)
    else:
        table = pd.read_csv(path, dtype={"kommun_code": str}, usecols=columns)
    table = table.astype({"kommun_code": str, "tatort": str})
    table[["population", "lat", "lon"]] = table[["population", "lat", "lon"]].apply(
        pd.to_numeric, errors="raise"
    )
    return table


def _kommun_point_area(code: str) -> Area:
    row = kommuner.all_kommuner().set_index("kommun_code").loc[code]
    return Area(
        name=f"{row['kommun_name']} (hela kommunen)",
        kind="övrigt",
        lat=float(row["point_lat"]),
        lon=float(row["point_lon"]),
    )


def default_period() -> int:
    """The last complete year: the period of a generated configuration."""
    return dt.date.today().year - 1


def default_config(code: str, max_areas: int = 8) -> KommunConfig:
    """The generated configuration of a kommun without a file of its own.

    Batches use it for every kommun without a file, and ``trygghet ny-kommun``
    writes exactly this configuration out as a commented file to edit: areas
    from :func:`default_areas`, the last complete year as period, and
    :func:`default_promises`, clearly marked as standard promises.
    """
    if not kommuner.is_kommun_code(code):
        raise ConfigError(
            paths.KOMMUN_CONFIG_DIR / f"{code}-*.yml", "code", f"okänd kommunkod {code!r}"
        )
    period = default_period()
    return KommunConfig(
        code=code,
        name=kommuner.kommun_name(code),
        default_period=period,
        promises=default_promises(period),
        areas=default_areas(code, max_areas)[0],
        source_file=GENERATED,
    )


def load_or_default(code: str) -> KommunConfig:
    """The kommun's own configuration if it has one, else a generated default."""
    return load_config(code) if code in config_files() else default_config(code)
