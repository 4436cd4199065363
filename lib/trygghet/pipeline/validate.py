"""Every problem of a kommun's configuration at once, before anything is ingested or run.

:mod:`trygghet.config` (the house) checks what it can see by itself: keys and
types, the kommun's code and name, duplicate ids, areas outside the kommun, two
files for one code. What only the reports layer knows is checked here: that
each indicator names a function that exists, and that its ``params`` are the
ones the function declares (:class:`trygghet.reports.indicators.registry.IndicatorSpec`),
of the right type and with allowed values (a crime series Brå has, a question
the survey asks, an area the kommun configured). Both kinds of problem go into
one :class:`~trygghet.config.ConfigErrors`, sorted in the order of the file.

``trygghet run``, ``ingest``, ``ny-kommun`` and ``list`` call this first.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import importlib
import inspect
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trygghet import atomic, config, paths
from trygghet.config import (
    GENERATED,
    ConfigErrors,
    ConfigProblem,
    KommunConfig,
    Shown,
)
from trygghet.errors import ConfigError
from trygghet.pipeline import provenance

#: The Swedish words for a declared param's type.
KIND_WORDS = {
    "text": "en text",
    "integer": "ett heltal",
    "number": "ett tal (decimalpunkt)",
    "boolean": "true eller false",
}


def indicator_specs() -> dict[str, Any]:
    """Every declared indicator function by the name a config gives it.

    The follow-up's public map of config module names says where the standard
    catalogue (``promise_indicators``) lives; its ``SPECS`` declares every
    function a config may name, with its params.
    """
    from trygghet.reports import followup

    catalogue = importlib.import_module(followup.INDICATOR_MODULES["promise_indicators"])
    return dict(catalogue.SPECS)


def _is_kind(value: Any, kind: str) -> bool:
    if kind == "text":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    return isinstance(value, int) if kind == "integer" else isinstance(value, (int, float))


def _listed(values: Iterable[str], limit: int = 20) -> str:
    values = list(values)
    shown = ", ".join(values[:limit])
    return shown + (f" … ({len(values)} värden)" if len(values) > limit else "")


def _param_problems(
    file: str, key: str, spec: Any, params: dict[str, Any], areas: list[str]
) -> list[ConfigProblem]:
    declared = {p.name: p for p in spec.params}
    out: list[ConfigProblem] = []
    for name, value in params.items():
        where = f"{key}.params.{name}"
        if name == "baseline_period":
            out.append(
                ConfigProblem(
                    file,
                    where,
                    "basåret skrivs som indikatorns egen nyckel baseline_period, inte under params",
                    value,
                    "baseline_period: <år> på samma nivå som params",
                )
            )
            continue
        param = declared.get(str(name))
        if param is None:
            close = difflib.get_close_matches(str(name), list(declared), n=1)
            out.append(
                ConfigProblem(
                    file,
                    where,
                    f"{spec.name} har ingen parameter '{name}'"
                    + (f" (menade du '{close[0]}'?)" if close else ""),
                    Shown(f"{name}: {config.show_value(value)}"),
                    ("en av " + ", ".join(declared))
                    if declared
                    else "inga params (ta bort params)",
                )
            )
            continue
        if not _is_kind(value, param.kind):
            out.append(ConfigProblem(file, where, "fel typ", value, KIND_WORDS[param.kind]))
            continue
        if param.minimum is not None and value < param.minimum:
            out.append(
                ConfigProblem(file, where, "värdet är för litet", value, f"minst {param.minimum:g}")
            )
        values = [v.strip() for v in str(value).split(",")] if param.several else [value]
        values = [v for v in values if v != ""] if param.several else values
        if param.choices is not None:
            allowed = list(param.choices())
            unknown = [v for v in values if v not in allowed]
            if unknown:
                out.append(
                    ConfigProblem(
                        file,
                        where,
                        f"okänt värde för {name}: {', '.join(map(str, unknown))}",
                        value,
                        f"en av {_listed(allowed)} (se docs/config.md)",
                    )
                )
        if param.of_config == "areas":
            unknown = [v for v in values if v not in areas]
            if unknown:
                out.append(
                    ConfigProblem(
                        file,
                        where,
                        f"{', '.join(unknown)} finns inte bland kommunens områden (areas)",
                        value,
                        "namn ur areas, åtskilda med komma: "
                        + (_listed(areas) or "(inga områden)"),
                    )
                )
    return out


def _signature_problems(
    file: str, key: str, function: Any, params: dict[str, Any]
) -> list[ConfigProblem]:
    """For a function without a declaration: do the params fit its signature?"""
    try:
        inspect.signature(function).bind(None, **params)
    except TypeError:
        takes = list(inspect.signature(function).parameters)[1:]  # after the context
        unknown = [p for p in params if p not in takes]
        return [
            ConfigProblem(
                file,
                f"{key}.params",
                "funktionen tar inte de här parametrarna"
                + (f": {', '.join(unknown)}" if unknown else ""),
                params,
                ("parametrar ur " + ", ".join(takes)) if takes else "inga params",
            )
        ]
    return []


def _unknown_function(
    file: str, key: str, name: str, exc: ConfigError, specs: dict
) -> ConfigProblem:
    reason = str(exc).split("): ", 1)[-1]
    close = difflib.get_close_matches(name, list(specs), n=1, cutoff=0.7)
    return ConfigProblem(
        file,
        key,
        "okänd indikatorfunktion: " + reason + (f" (menade du '{close[0]}'?)" if close else ""),
        name,
        "promise_indicators.<funktion>, t.ex. promise_indicators.reported_crime_rate "
        "(alla står i docs/config.md)",
    )


def indicator_problems(file: str, raw: dict[str, Any]) -> list[ConfigProblem]:
    """Every problem of the indicators in a raw (YAML) config: function names and params.

    Works on the raw YAML so that it runs even when other keys are wrong; a
    key of the wrong type is left to :mod:`trygghet.config`'s message.

    Checking needs the indicator catalogue, and importing it (with the reports
    it adapts) took seconds of every `trygghet run` before any notebook
    started (issue 16). The answer depends only on the file's name and content
    and on the library's code, so a clean answer is remembered under a hash of
    all three (:func:`_clean_marker`); a file with problems is checked afresh
    every time, so its messages are always this code's.
    """
    marker = _clean_marker(file, raw)
    if marker is not None and marker.is_file():
        return []
    problems = _indicator_problems(file, raw)
    if not problems and marker is not None:
        with contextlib.suppress(OSError):  # a read-only project still checks, every time
            atomic.write_text(marker, "")
    return problems


def _clean_marker(file: str, raw: dict[str, Any]) -> Path | None:
    """Where a clean check of this file's indicators with this code is remembered."""
    try:
        content = json.dumps(raw, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError):  # YAML values JSON cannot write (dates): no memory
        return None
    key = provenance.sha256_text(f"{provenance.code_fingerprint()}|{file}|{content}")
    return paths.checked_configs_dir() / key


def _indicator_problems(file: str, raw: dict[str, Any]) -> list[ConfigProblem]:
    from trygghet.reports import followup

    specs = indicator_specs()
    areas = [
        str(a["name"])
        for a in raw.get("areas") or []
        if isinstance(a, dict) and isinstance(a.get("name"), str)
    ]
    promises = raw.get("promises")
    out: list[ConfigProblem] = []
    for p, promise in enumerate(promises if isinstance(promises, list) else []):
        indicators = promise.get("indicators") if isinstance(promise, dict) else None
        for i, ind in enumerate(indicators if isinstance(indicators, list) else []):
            if not isinstance(ind, dict) or not isinstance(ind.get("function"), str):
                continue
            key = f"promises[{p}].indicators[{i}]"
            name = ind["function"]
            try:
                function = followup.resolve_function(name, file=file, key=f"{key}.function")
            except ConfigError as exc:
                out.append(_unknown_function(file, f"{key}.function", name, exc, specs))
                continue
            params = ind.get("params") or {}
            spec = specs.get(name)
            if isinstance(params, dict):
                if spec is not None:
                    out += _param_problems(file, key, spec, params, areas)
                else:
                    out += _signature_problems(file, key, function, params)
            out += _baseline_and_target(file, key, ind, spec, function)
    return out


def _baseline_and_target(
    file: str, key: str, ind: dict[str, Any], spec: Any, function: Any
) -> list[ConfigProblem]:
    out: list[ConfigProblem] = []
    takes_baseline = "baseline_period" in inspect.signature(function).parameters
    if ind.get("baseline_period") is not None and not takes_baseline:
        out.append(
            ConfigProblem(
                file,
                f"{key}.baseline_period",
                f"{ind['function']} jämför inte med ett basår, så baseline_period skulle "
                "inte användas",
                ind["baseline_period"],
                "ingen baseline_period, eller en funktion som jämför (se docs/config.md)",
            )
        )
    target = ind.get("target")
    if isinstance(target, (int, float)) and not isinstance(target, bool):
        if spec is not None and spec.share and not 0 <= target <= 1:
            out.append(
                ConfigProblem(
                    file,
                    f"{key}.target",
                    "målet för en andel skrivs som ett tal mellan 0 och 1",
                    target,
                    f"t.ex. {min(abs(target) / 100, 1):g} för {min(abs(target), 100):g} %"
                    if target > 1
                    else "ett tal mellan 0 och 1",
                )
            )
        elif target < 0 and ind.get("direction", "level") != "level":
            out.append(
                ConfigProblem(file, f"{key}.target", "målet är negativt", target, "ett mål ≥ 0")
            )
    return out


# --------------------------------------------------------------------------- files and kommuner


def check_file(path: Path) -> tuple[KommunConfig | None, list[ConfigProblem]]:
    """One kommun file, checked completely: the config if valid, and every problem."""
    checked = config.check_config_file(path)
    problems = list(checked.problems)
    if checked.raw is not None:
        problems += indicator_problems(str(path), checked.raw)
        problems.sort(key=config.file_order(checked.raw))
    return (checked.config if not problems else None), problems


@functools.cache
def _default_problems(period: int) -> tuple[ConfigProblem, ...]:
    """The generated default's indicators, checked once (they do not depend on the kommun)."""
    raw = {"promises": [p.model_dump() for p in config.default_promises(period)]}
    return tuple(indicator_problems(GENERATED, raw))


def kommun_problems(codes: Iterable[str]) -> list[ConfigProblem]:
    """Every problem of the configuration folder and of each file that ``codes`` use."""
    found, problems = config.scan_config_folder()
    default = False
    for code in dict.fromkeys(codes):
        if code in found:
            problems += check_file(found[code][0])[1]
        else:
            default = True
    if default:
        problems += _default_problems(config.default_period())
    return problems


def check_kommuner(codes: Iterable[str]) -> None:
    """Raise one :class:`~trygghet.config.ConfigErrors` listing every problem, if any."""
    problems = kommun_problems(codes)
    if problems:
        raise ConfigErrors(problems)


def check_kommun(code: str) -> None:
    check_kommuner([code])


@dataclass(frozen=True)
class FileStatus:
    """One configured kommun for ``trygghet list``: its file, config if valid, problems."""

    code: str
    path: Path
    config: KommunConfig | None
    problems: list[ConfigProblem]


def check_folder(directory: Path | None = None) -> tuple[list[FileStatus], list[ConfigProblem]]:
    """Every file of the configuration folder checked, and the folder's own problems."""
    found, folder_problems = config.scan_config_folder(directory)
    statuses = []
    for code, files in sorted(found.items()):
        for path in files:
            checked, problems = check_file(path)
            statuses.append(FileStatus(code, path, checked, problems))
    return statuses, folder_problems
