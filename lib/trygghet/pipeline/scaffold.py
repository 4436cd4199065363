"""``trygghet ny-kommun``: a kommun's configuration file, written from SCB's data.

The file is exactly the generated default that batches use for a kommun
without a file (:func:`trygghet.config.default_config`: name, län, SCB's
tätorter as areas, the standard promises and indicators), written as YAML with
Swedish comments, and every line the kommun must make its own is marked
``ÄNDRA``. Loading the written file gives the default back (checked before
the file is written), so ``trygghet ingest`` and ``trygghet run`` work on it
at once.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import yaml

from trygghet import atomic, config, kommuner, paths
from trygghet.config import Area, Indicator, KommunConfig, Promise
from trygghet.errors import TrygghetError

#: Width of the written file (comments and folded texts).
WIDTH = 92
#: Where an indicator line's trailing comment starts.
_COLUMN = 34


def scalar(value: Any) -> str:
    """One value as YAML, quoted where YAML needs it (also inside ``{…}``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    dumped = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=10**6)
    dumped = dumped.strip()[1:-1]
    # Quoted as the hand-written files are: "1863" (JSON's string is valid YAML).
    return json.dumps(value, ensure_ascii=False) if dumped.startswith("'") else dumped


def _flow(mapping: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in mapping.items()) + "}"


def _comment(text: str, indent: str = "") -> list[str]:
    return [
        f"{indent}# {line}"
        for line in textwrap.wrap(text, WIDTH - len(indent) - 2, break_on_hyphens=False)
    ]


def _keyed(key: str, value: str, comment: str = "", indent: str = "", column: int = 26) -> str:
    line = f"{indent}{key}: {value}"
    return f"{line:<{column}} # {comment}" if comment else line


def _folded(key: str, text: str, indent: str) -> list[str]:
    lines = textwrap.wrap(
        text, WIDTH - len(indent) - 2, break_on_hyphens=False, break_long_words=False
    )
    return [f"{indent}{key}: >-", *(f"{indent}  {line}" for line in lines)]


def _area(area: Area) -> str:
    return "  - " + _flow(area.model_dump(exclude_none=True))


def _indicator(ind: Indicator) -> list[str]:
    pad = "        "

    def line(key: str, value: Any, comment: str = "") -> str:
        return _keyed(key, value if key == "params" else scalar(value), comment, pad, _COLUMN)

    out = [f"      - id: {scalar(ind.id)}", line("name", ind.name), line("function", ind.function)]
    if ind.params:
        out.append(line("params", _flow(ind.params)))
    if ind.unit:
        out.append(line("unit", ind.unit))
    if ind.baseline_period is not None:
        out.append(
            line("baseline_period", ind.baseline_period, "ÄNDRA vid behov: år att jämföra med")
        )
    if ind.target is not None:
        what = "andel 0–1: 0.8 = 80 %" if ind.unit == "andel" else ind.unit or "samma enhet"
        target = int(ind.target) if float(ind.target).is_integer() else ind.target
        out.append(line("target", target, f"ÄNDRA: ert mål ({what})"))
    level = "nivån följs utan mål (fler anmälda kan betyda fler kontroller)"
    out.append(line("direction", ind.direction, level if ind.direction == "level" else ""))
    return out


def _promise(promise: Promise) -> list[str]:
    out = [f"  - id: {scalar(promise.id)}"]
    out += _comment("ÄNDRA: löftets rubrik och text med kommunens och polisens egna ord.", "    ")
    out.append(f"    title: {scalar(promise.title)}")
    out += _folded("text", promise.text, "    ")
    if promise.indicators:
        out.append("    indicators:")
        out += _comment(
            "ÄNDRA: de indikatorer som följer upp just det här löftet, med de mål och basår som "
            "kommunen och polisen har kommit överens om.",
            "      ",
        )
        for ind in promise.indicators:
            out += _indicator(ind)
    return out


def scaffold_text(code: str) -> str:
    """The commented YAML of kommun ``code``'s generated default configuration."""
    default = config.default_config(code)
    _, areas_from = config.default_areas(code)
    lan = default.lan_name
    lines = [
        f"# {default.name} kommun ({lan}) – konfiguration för uppföljning av medborgarlöften.",
        *_comment(
            f"Skapad med `trygghet ny-kommun {code}` från SCB:s uppgifter: samma "
            "standardkonfiguration som körningar använder för kommuner utan egen fil. Den är en "
            "startpunkt. Gå igenom raderna märkta ÄNDRA och skriv om dem."
        ),
        *_comment(
            "Varje nyckel, varje indikatorfunktion och dess parametrar beskrivs i docs/config.md. "
            "Filen kontrolleras varje gång den läses: ett stavfel, fel typ, en okänd "
            "indikatorfunktion eller parameter, eller ett område utanför kommunen ger ett fel "
            "som pekar ut filen och nyckeln."
        ),
        "",
        _keyed("code", scalar(default.code), "kommunkod, fyra tecken (SCB)"),
        _keyed("name", scalar(default.name), "kommunens namn som i SCB:s kodlista"),
        _keyed(
            "default_period",
            scalar(default.default_period),
            "ÄNDRA vid behov: år som rapporterna gäller om inget annat anges",
        ),
        _keyed("min_count", scalar(default.min_count), 'antal under detta visas som "fåtal"'),
        "",
        *_comment(
            "ÄNDRA: organisationer som kan vara ansvariga för en åtgärd i protokoll från "
            "trygghetsvandringar och EST. Andra namn visas som ”annan ansvarig” i rapporterna, "
            "eftersom en persons namn inte går att skilja från en organisations."
        ),
        "parties:",
        *(f"  - {scalar(party)}" for party in default.parties),
        "",
        *_comment(f"Områden som rapporterna bryts ned på, hämtade från {areas_from}."),
        *_comment(
            "ÄNDRA: lägg till de byar och stadsdelar som löftena gäller (kind: tätort, by, "
            "stadsdel, landsbygd eller övrigt), med ortens mitt i WGS 84 och decimalpunkt; "
            "koordinaterna måste ligga i kommunen."
        ),
        "areas:",
        *(_area(area) for area in default.areas),
        "",
        *_comment(
            "Medborgarlöftena och indikatorerna som följer upp dem. ÄNDRA: standardlöftena nedan "
            "är inte kommunens; skriv in de löften som kommunen och polisen har antagit."
        ),
        *_comment(
            "Varje indikator: id (unikt inom löftet), name (visas i rapporten), function "
            "(promise_indicators.<funktion>), params (funktionens inställningar), unit, "
            "baseline_period (år att jämföra med), target (mål; utelämnat = bara riktningen "
            "räknas) och direction (higher_is_better, lower_is_better eller level)."
        ),
        "promises:",
    ]
    for promise in default.promises:
        lines += _promise(promise)
    text = "\n".join(lines) + "\n"
    _same_as_default(text, default)
    return text


def _same_as_default(text: str, default: KommunConfig) -> None:
    """The written file must load as the default itself; anything else is a bug here."""
    loaded = KommunConfig.model_validate(yaml.safe_load(text))
    if loaded.model_dump() != default.model_dump():
        raise AssertionError("the scaffold does not round-trip to the default configuration")


def existing_file(code: str, directory: Path | None = None) -> Path | None:
    """The kommun's configuration file, if it has one (whatever its name after the code)."""
    directory = Path(directory or paths.KOMMUN_CONFIG_DIR)
    found, _ = config.scan_config_folder(directory)
    return found[code][0] if code in found else None


def write_scaffold(code: str, *, force: bool = False, directory: Path | None = None) -> Path:
    """Write ``<code>-<name>.yml``; refuse to replace an existing file unless ``force``."""
    if not kommuner.is_kommun_code(code):
        raise TrygghetError(
            f"{code!r} är ingen kommunkod. Ange fyra siffror som i SCB:s kodlista, t.ex. 1860."
        )
    directory = Path(directory or paths.KOMMUN_CONFIG_DIR)
    existing = existing_file(code, directory)
    if existing is not None and not force:
        raise TrygghetError(
            f"Kommun {code} har redan en konfigurationsfil: {shown(existing)}. Redigera den, "
            "eller skriv över den med --force."
        )
    target = existing or directory / kommuner.config_file_name(code)
    directory.mkdir(parents=True, exist_ok=True)
    atomic.write_text(target, scaffold_text(code))
    return target


def shown(path: Path) -> str:
    path = path.resolve()
    root = paths.PROJECT_ROOT.resolve()
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
