"""argparse in Swedish: help, usage and errors the way the rest of the tool speaks.

argparse's own words ("usage:", "options", "show this help message and exit",
"invalid int value") are English and not translatable without gettext
catalogues, which Python does not ship. The parser below sets its own section
titles and help flag, and translates argparse's error messages before they are
printed. Messages our own type checks raise are already Swedish.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

#: argparse's error messages (Python 3.11–3.13 wording) and their Swedish form.
_ERRORS: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.+)", r"följande argument krävs: \1"),
    (r"unrecognized arguments: (.+)", r"okända argument: \1"),
    (r"argument (\S+): invalid int value: (.+)", r"argumentet \1: \2 är inte ett heltal"),
    (r"argument (\S+): invalid float value: (.+)", r"argumentet \1: \2 är inte ett tal"),
    (
        r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)",
        r"argumentet \1: \2 finns inte (välj bland \3)",
    ),
    (r"argument (\S+): expected one argument", r"argumentet \1: ett värde saknas"),
    (r"argument (\S+): expected at least one argument", r"argumentet \1: minst ett värde saknas"),
    (r"argument (\S+): not allowed with argument (\S+)", r"argumentet \1 går inte ihop med \2"),
    (r"ambiguous option: (\S+) could match (.+)", r"flaggan \1 är tvetydig: den kan vara \2"),
    (r"argument (\S+): (.+)", r"argumentet \1: \2"),
)


def translate_error(message: str) -> str:
    """argparse's English error message in Swedish (unknown wording is kept as it is)."""
    for pattern, swedish in _ERRORS:
        if re.fullmatch(pattern, message, flags=re.S):
            return re.sub(pattern, swedish, message, flags=re.S)
    return message


class SwedishHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001 – argparse's API
        return super().add_usage(
            usage, actions, groups, "användning: " if prefix is None else prefix
        )


class SwedishArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are in Swedish (subcommands inherit it)."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 – argparse's API
        kwargs.setdefault("formatter_class", SwedishHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argument"
        self._optionals.title = "flaggor"
        self.add_argument("-h", "--help", action="help", help="visa den här hjälpen och avsluta")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fel: {translate_error(message)}\n")


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (``--jobs 0`` would run nothing)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' är inte ett heltal") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"måste vara minst 1, fick {value}")
    return value


def year(text: str) -> int:
    """An argparse type: a four-digit year."""
    if not re.fullmatch(r"\d{4}", text.strip()):
        raise argparse.ArgumentTypeError(f"'{text}' är inte ett årtal (fyra siffror, t.ex. 2025)")
    return int(text)
