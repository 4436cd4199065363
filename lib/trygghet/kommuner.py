"""Sweden's 290 kommuner and 21 län: codes, names and their join.

The list ships with the package (derived from the open code lists, CC0) so that
a kommun code can be validated on a machine without the data mirror. Codes are
strings of four characters (``"0114"``) and län codes of two (``"18"``).
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

from trygghet.paths import RESOURCES_DIR


@cache
def all_kommuner() -> pd.DataFrame:
    """One row per kommun: kommun_code, kommun_name, lan_code, lan_name."""
    return pd.read_csv(RESOURCES_DIR / "kommuner.csv", dtype=str)


def is_kommun_code(code: str) -> bool:
    return str(code) in set(all_kommuner()["kommun_code"])


def _row(code: str) -> pd.Series:
    table = all_kommuner()
    hit = table[table["kommun_code"] == str(code)]
    if hit.empty:
        raise KeyError(f"Okänd kommunkod: {code!r}")
    return hit.iloc[0]


def kommun_name(code: str) -> str:
    return str(_row(code)["kommun_name"])


def lan_code_of(code: str) -> str:
    return str(_row(code)["lan_code"])


def lan_name(lan_code: str) -> str:
    table = all_kommuner()
    hit = table[table["lan_code"] == str(lan_code)]
    if hit.empty:
        raise KeyError(f"Okänd länskod: {lan_code!r}")
    return str(hit.iloc[0]["lan_name"])


def kommuner_in_lan(lan_code: str) -> list[str]:
    table = all_kommuner()
    return sorted(table.loc[table["lan_code"] == str(lan_code), "kommun_code"])


#: How a kommun's name is written in a file name: å and ä become a, ö becomes o.
_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def ascii_name(code: str) -> str:
    """The kommun's name in lower-case ASCII for file names: ``"Laxå"`` → ``"laxa"``.

    Spaces become hyphens (``"Upplands Väsby"`` → ``"upplands-vasby"``).
    """
    name = kommun_name(code).lower().translate(_ASCII)
    return "-".join(part for part in re.split(r"[^a-z0-9]+", name) if part)


def config_file_name(code: str) -> str:
    """The name of kommun ``code``'s configuration file: ``"1860-laxa.yml"``."""
    return f"{code}-{ascii_name(code)}.yml"
