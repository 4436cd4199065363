"""Removal of direct personal data from free text before it is stored.

Residents' reports and other free-text fields may contain a personal identity
number, a phone number, an e-mail address or a car's registration number.
None of that may reach a processed table or a published report, so readers
pass every free-text column through :func:`scrub_text` and keep only the
scrubbed text.

What is replaced (tokens in brackets):

* ``[personnummer]``: Swedish personal identity numbers and samordningsnummer
  (day of birth + 60) written ``YYMMDD-NNNN``, ``YYMMDD+NNNN``,
  ``YYMMDD NNNN``, ``YYYYMMDD-NNNN``, ``YYYYMMDDNNNN`` or ``YYMMDDNNNN``. The
  month and day must be possible (01–12, 01–31 or 61–91) so that ordinary
  numbers are left alone. The check digit is deliberately NOT required: a
  mistyped number is still personal data.
* ``[telefon]``: Swedish numbers in domestic form (``070-123 45 67``,
  ``0701234567``, ``08-123 456 78``, ``(08) 123 456 78``: a leading 0 and 8–10
  digits in all, single spaces or hyphens between them) and international
  form (``+46 70 123 45 67``, ``0046 8 123 456 78``, ``+46 (0)70 …``).
* ``[e-post]``: e-mail addresses.
* ``[regnr]``: Swedish vehicle registration numbers ``ABC 123``, ``ABC123``,
  ``ABC-123`` and the newer ``ABC 12A``, in capital letters (I, Q and V are
  not used on Swedish plates); lower case only when written without a space
  (``abc123``), because a lower-case three-letter word followed by a number
  ("med 200", "för 100") is ordinary Swedish.

Ambiguity, written down: a bare ten-digit number starting with 0 (``0701234567``)
is read as a phone number although a person born 2000–2009 could have it as
personnummer; either way it is removed, only the token differs.

What is NOT removed: names, street addresses, descriptions of people. Those
cannot be recognised reliably by patterns, so free text must still be read
by a person before any of it is quoted in a published report.

Everything is done with vectorised ``Series.str.replace`` on compiled
patterns (compiled Python patterns keep pandas from handing the look-behinds
to pyarrow's RE2 engine, which does not support them).
"""

from __future__ import annotations

import re

import pandas as pd

TOKEN_PERSONNUMMER = "[personnummer]"
TOKEN_PHONE = "[telefon]"
TOKEN_EMAIL = "[e-post]"
TOKEN_REGNR = "[regnr]"

_MM = r"(?:0[1-9]|1[0-2])"
# Day of month, or day + 60 for samordningsnummer.
_DD = r"(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])"

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")

# With a separator, or with the century (12 digits): unambiguous enough to go first.
PERSONNUMMER_EXPLICIT = re.compile(
    rf"(?<![\d+])(?:(?:19|20)\d{{2}}{_MM}{_DD}[-+ ]?\d{{4}}|\d{{2}}{_MM}{_DD}[-+ ]\d{{4}})(?!\d)"
)
# Ten bare digits; applied after the phone patterns so that 07x… mobiles win.
PERSONNUMMER_BARE = re.compile(rf"(?<![\d+])\d{{2}}{_MM}{_DD}\d{{4}}(?!\d)")

PHONE_INTERNATIONAL = re.compile(
    r"(?<![\w+])(?:\+|00)46[ -]?(?:\(0\)[ -]?)?[1-9](?:[ -]?\d){6,9}(?!\d)"
)
# Domestic: 0, then 7–9 more digits with at most one space or hyphen between
# them (8–10 digits in all). Not preceded by a digit or by "digit-" (the tail
# of a date such as 2025-03-14), and not a DD-MM-YYYY date.
PHONE_DOMESTIC = re.compile(
    r"(?<![\d+])(?<!\d[-/.:])(?!\d{2}[-./]\d{2}[-./]\d{2,4}(?!\d))"
    r"(?:\(0\d{1,3}\)[ ]?\d(?:[ -]?\d){4,7}|0\d(?:[ -]?\d){6,8})(?!\d)"
)

_PLATE_LETTERS = "A-HJ-PR-UW-Z"  # no I, Q, V
REGNR = re.compile(
    rf"(?<![\w-])(?:[{_PLATE_LETTERS}]{{3}}[ -]?\d{{2}}[\d{_PLATE_LETTERS}]"
    rf"|[a-hj-pr-uw-z]{{3}}\d{{2}}[\da-hj-pr-uw-z])(?![\w-])"
)

#: (pattern, token) in the order they are applied: e-mail first (an address
#: can hold digits), explicit personnummer before phones, bare personnummer
#: after them, registration numbers last.
RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (EMAIL, TOKEN_EMAIL),
    (PERSONNUMMER_EXPLICIT, TOKEN_PERSONNUMMER),
    (PHONE_INTERNATIONAL, TOKEN_PHONE),
    (PHONE_DOMESTIC, TOKEN_PHONE),
    (PERSONNUMMER_BARE, TOKEN_PERSONNUMMER),
    (REGNR, TOKEN_REGNR),
)


def scrub_text(texts: pd.Series) -> pd.Series:
    """Replace personal identity numbers, phone numbers, e-mails and plates with tokens.

    Missing values stay missing; the index and name are kept. The result has
    pandas' string dtype.
    """
    out = texts.astype("string")
    for pattern, token in RULES:
        out = out.str.replace(pattern, token, regex=True)
    return out


def scrub_value(text: str) -> str:
    """:func:`scrub_text` for one string (used by the page gate, :mod:`trygghet.present.gate`)."""
    for pattern, token in RULES:
        text = pattern.sub(token, text)
    return text


def contains_personal_data(texts: pd.Series) -> pd.Series:
    """Whether each text still holds something :func:`scrub_text` would replace (for checks)."""
    out = texts.astype("string")
    found = pd.Series(False, index=texts.index)
    for pattern, _token in RULES:
        found |= out.str.contains(pattern, regex=True).fillna(False).astype(bool)
    return found


__all__ = [
    "RULES",
    "TOKEN_EMAIL",
    "TOKEN_PERSONNUMMER",
    "TOKEN_PHONE",
    "TOKEN_REGNR",
    "contains_personal_data",
    "scrub_text",
    "scrub_value",
]
