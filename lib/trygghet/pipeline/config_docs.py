"""``docs/config.md``, generated from the code: every key of a kommun's file, every indicator.

The keys come from the pydantic models in :mod:`trygghet.config` (types,
defaults, bounds, allowed values, descriptions), the indicator functions from
their declarations (``promise_indicators`` ``SPECS``, read through
:func:`trygghet.pipeline.validate.indicator_specs`), so the documentation says
exactly what loading a file checks. Regenerate with ``make docs``
(``python -m trygghet.pipeline.config_docs > docs/config.md``); a test fails
when the committed file differs.
"""

from __future__ import annotations

import sys
import types
import typing
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from trygghet import config
from trygghet.config import Area, Indicator, KommunConfig, Promise
from trygghet.pipeline.validate import indicator_specs

#: A promise as a kommun writes it: shown in the docs and checked by the docs test.
EXAMPLE = """\
areas:
  - {name: Kopparberg, kind: tätort, lat: 59.866981, lon: 14.983821}
promises:
  - id: "1"
    title: Effektiv samordning för trygghet (EST)
    text: >-
      Kommunen och polisen arbetar enligt metoden EST och arbetar därmed
      systematiskt mot den aktuella problembilden.
    indicators:
      - id: est-atgard
        name: Återkommande platser i EST med beslutad åtgärd
        function: promise_indicators.est_repeat_places_with_measure
        unit: andel
        baseline_period: 2024
        target: 0.8
        direction: higher_is_better
      - id: otrygghet
        name: Otrygga ute ensamma sent på kvällen i Kopparberg
        function: promise_indicators.survey_insecurity
        params: {question: q14, areas: Kopparberg}
        unit: andel
        direction: lower_is_better
"""

_KINDS = {"text": "text", "integer": "integer", "number": "number", "boolean": "true/false"}


def _type_text(annotation: Any) -> str:
    origin = get_origin(annotation)
    if origin in (types.UnionType, typing.Union):
        members = [a for a in get_args(annotation) if a is not type(None)]
        text = " or ".join(_type_text(a) for a in members)
        return text + (", or empty" if len(members) < len(get_args(annotation)) else "")
    if origin is Literal:
        return "one of the values listed"
    if origin is list:
        (item,) = get_args(annotation)
        return f"list of {_anchor(item)}" if isinstance(item, type) else "list"
    if origin is dict:
        return "mapping (`{key: value}`)"
    return {str: "text", int: "integer", float: "number", bool: "true/false"}.get(
        annotation, str(annotation)
    )


def _anchor(model: type) -> str:
    name = {Area: "areas", Promise: "promises", Indicator: "indicators"}.get(model, model.__name__)
    return f"`{name}` (below)"


def _allowed(annotation: Any, metadata: list[Any]) -> str:
    parts = []
    for member in [annotation, *get_args(annotation)]:
        if get_origin(member) is Literal:
            parts.append(", ".join(f"`{v}`" for v in get_args(member)))
    for item in metadata:
        for attr, word in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
            if getattr(item, attr, None) is not None:
                parts.append(f"{word} {getattr(item, attr)}")
    return "; ".join(parts)


def _default(field: Any) -> str:
    if field.is_required():
        return "**required**"
    if field.default_factory is not None:
        return f"`{field.default_factory()!r}`".replace("`[]`", "empty list").replace(
            "`{}`", "none"
        )
    if field.default in (None, "") or field.default is PydanticUndefined:
        return "empty"
    return f"`{field.default}`"


def _key_table(model: type[BaseModel]) -> list[str]:
    lines = ["| key | type | default | allowed values | meaning |", "|---|---|---|---|---|"]
    for name, field in model.model_fields.items():
        if field.exclude:
            continue
        lines.append(
            f"| `{name}` | {_type_text(field.annotation)} | {_default(field)} | "
            f"{_allowed(field.annotation, field.metadata)} | {field.description or ''} |"
        )
    return lines


def _choices_text(param: Any) -> tuple[str, list[str]]:
    """The allowed values of a param in the table, and a longer list below it if needed."""
    notes = []
    if param.minimum is not None:
        notes.append(f"≥ {param.minimum:g}")
    if param.of_config == "areas":
        notes.append("names of the kommun's own `areas`")
    if param.choices is not None:
        choices = param.choices()
        if len(choices) <= 8:
            notes.append(", ".join(f"`{k}` ({v})" for k, v in choices.items()))
        else:
            notes.append("see the list below")
            extra = [f"Allowed values of `{param.name}`:", ""]
            extra += ["| value | meaning |", "|---|---|"]
            extra += [f"| `{k}` | {v} |" for k, v in choices.items()]
            if param.several:
                notes.append("several, comma-separated")
            return "; ".join(notes), extra + [""]
    if param.several:
        notes.append("several, comma-separated")
    return "; ".join(notes) or "any", []


def _indicator_section(spec: Any) -> list[str]:
    lines = [f"### `{spec.name}`", "", spec.summary, ""]
    facts = [f"unit `{spec.unit}`", f"reads {', '.join(f'`{t}`' for t in spec.data.split(', '))}"]
    if spec.share:
        facts.append("a share, so `target` is between 0 and 1 (0.8 = 80 %)")
    lines.append("- " + "; ".join(facts) + ".")
    lines.append(
        f"- `baseline_period`: {spec.baseline}."
        if spec.baseline
        else "- `baseline_period`: not used (loading a file that sets one is an error)."
    )
    lines.append("")
    if not spec.params:
        lines += ["No `params`.", ""]
        return lines
    lines += ["| param | type | default | allowed values | meaning |", "|---|---|---|---|---|"]
    below: list[str] = []
    for param in spec.params:
        allowed, extra = _choices_text(param)
        default = f"`{param.default}`" if param.default != "" else "empty"
        lines.append(
            f"| `{param.name}` | {_KINDS[param.kind]} | {default} | {allowed} | "
            f"{param.description} |"
        )
        below += extra
    lines.append("")
    return lines + below


def render() -> str:
    """The whole of ``docs/config.md``."""
    specs = indicator_specs()
    km = config.BOUNDARY_TOLERANCE_M // 1000
    lines = [
        "# The kommun configuration file",
        "",
        "<!-- Generated from the code by `make docs` (python -m trygghet.pipeline.config_docs);"
        " do not edit by hand: a test fails when this file and the code disagree. -->",
        "",
        "Each kommun that has written its own promises has one file,",
        "`config/kommuner/<code>-<name>.yml` (the name in lower-case ASCII: å and ä are",
        "written a, ö o; e.g. `1860-laxa.yml`). Every other kommun runs on a generated",
        "default: the same configuration that `trygghet ny-kommun <code>` writes out.",
        "",
        "## Starting a file",
        "",
        "1. `trygghet ny-kommun <code>` writes the file from SCB's data: the kommun's",
        "   name and län, its largest tätorter as areas (with SCB's coordinates), and the",
        "   standard promises and indicators. Every line to make your own is marked",
        "   `ÄNDRA`. An existing file is never replaced unless you add `--force`.",
        "2. Rewrite the promises in the kommun's and the police's own words, choose the",
        "   indicators that follow each one up (below), and set their targets and",
        "   baseline years. Add villages and districts to `areas`.",
        "3. `trygghet list` checks every file; `trygghet ingest --kommun <code>` and",
        "   `trygghet run --kommun <code>` check the kommun's file before they start.",
        "",
        "## How the file is checked",
        "",
        "Every time it is read, all of it, and every problem is reported at once, in",
        "Swedish, with the file, the key (`promises[1].indicators[0].params.series`),",
        "what was found and what was expected:",
        "",
        "- an unknown key (with the closest known key), a missing required key, a value",
        "  of the wrong type or outside the allowed values (tables below);",
        "- a code that is not a kommun, a name that is not SCB's name for the code, a",
        "  file name whose code differs from the file's `code`;",
        "- two promises with one `id`, two indicators of one promise with one `id`, two",
        "  areas with one `name`;",
        f"- an area more than {km} km outside the kommun's boundary (SCB's generalised",
        "  boundary from `data/processed/kommun_boundaries.parquet` or the data mirror;",
        "  where neither is available, only Sweden's extent is checked, and `trygghet",
        "  list` says which was used);",
        "- two files for one kommun code, or a file whose name does not start with a",
        "  kommun code;",
        "- an indicator `function` that does not exist, a param the function does not",
        "  take, a param value of the wrong type or not among the allowed values (a crime",
        "  series, a survey question, an area of the kommun), `baseline_period` written",
        "  under `params`, a `baseline_period` for a function that does not compare, and",
        "  a share's `target` outside 0–1.",
        "",
        "## Keys",
        "",
        "### The top level",
        "",
        *_key_table(KommunConfig),
        "",
        "### `areas`",
        "",
        "Each item of `areas` (written `- {name: Laxå, kind: tätort, lat: 58.98, lon: 14.62}`):",
        "",
        *_key_table(Area),
        "",
        "### `promises`",
        "",
        "Each item of `promises`:",
        "",
        *_key_table(Promise),
        "",
        "### `indicators`",
        "",
        "Each item of a promise's `indicators`:",
        "",
        *_key_table(Indicator),
        "",
        "## Writing a promise and its indicators",
        "",
        "A promise is the text the kommun and the police adopted, with the indicators",
        "that say whether it is kept. For each indicator choose a function below; give",
        "it the `params` it lists; write its `unit`; say which way is better",
        "(`direction`); give a `target` if the promise has one (a share as 0.8, not 80)",
        "and a `baseline_period` to compare with. For example:",
        "",
        "```yaml",
        *EXAMPLE.rstrip("\n").splitlines(),
        "```",
        "",
        "The follow-up (`00_uppfoljning`) then decides each indicator's status by the",
        "rule in `lib/trygghet/stats/status.py`: **uppfyllt** when the whole interval is",
        "on the good side of the target (or, without a target, a tested change in the",
        "good direction since the baseline), **på väg** when the target is not surely",
        "met but the value improved surely since the baseline, **inte uppfyllt** when",
        "the whole interval is on the wrong side, else **kan inte bedömas** (too few",
        "cases, no target, or an interval that holds the target). A change inside the",
        "noise is not progress. `direction: level` follows a value without a good",
        "direction (e.g. drug and traffic crimes, found mostly by police checks).",
        "",
        "## Indicator functions",
        "",
        "A config names them as written in the headings. Every function also takes the",
        "indicator's `baseline_period` where it says so; it is never written under",
        "`params`.",
        "",
    ]
    for spec in specs.values():
        lines += _indicator_section(spec)
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> int:
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
