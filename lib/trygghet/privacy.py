"""Removal of direct personal data from free text before it is stored or shown.

Residents' reports, protocols and other free-text fields may contain a
personal identity number, a phone number, an e-mail address, a car's
registration number or a home address. None of that may reach a processed
table or a published report, so every reader passes every free-text column
(listed per source in :mod:`trygghet.sources.free_text`) through
:func:`scrub_text` and keeps only the scrubbed text, and the page gate
(:mod:`trygghet.present.gate`) scrubs every text again with :func:`scrub_value`.

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
* ``[adress]``: a street address with a house number: a street name ending in
  a Swedish street suffix (gatan/gata, vägen/väg, gränd, torget/torg, stigen/
  stig, backen/backe, allén/allé, leden/led, platsen, plan: ``Storgatan 12``,
  ``Kungsvägen 3B``, ``Karlaplan 3``; in lower case ``storgatan 12`` for the
  definite forms), a bare suffix after a direction or size word (``Lilla
  Torget 4``, ``Norra allén 3``) or after a genitive (``Olof Palmes gata 5``;
  two words before väg: ``Drottning Kristinas väg 12``), then a house number of
  1–3 digits with an optional letter, range and apartment (``3 B``,
  ``12-14``, ``Björkstigen 7 lgh 1102``). **The only name heuristic:** a
  capitalised "Förnamn Efternamn" (optionally followed by a comma) right
  before such an address is part of the same token (``Anna Svensson,
  Storgatan 12`` → one ``[adress]``).
* ``[postnummer]``: postcodes ``712 34``, ``SE-712 34``, ``SE-71234``,
  ``S-712 34``, and five digits only when a capitalised place name follows
  (``71234 Hällefors`` → ``[postnummer] Hällefors``); the place name stays.
* ``[regnr]``: Swedish vehicle registration numbers ``ABC 123``, ``ABC123``,
  ``ABC-123`` and the newer ``ABC 12A``, in capital letters (I, Q and V are
  not used on Swedish plates); lower case only when written without a space
  (``abc123``), because a lower-case three-letter word followed by a number
  ("med 200", "för 100") is ordinary Swedish.

What is left alone on purpose (each is a test in ``tests/test_privacy.py``):
years, dates and times (``2025-03-14``, ``kl. 22``, ``22:30``), counts and
measures (``15 personer``, ``12 %``, ``Cykelvägen 3 km``: a number followed by
a unit or a counted noun is not a house number), road numbers (``E18``,
``väg 63``, ``Rv 50``, ``Länsväg 205``, ``Trafikverkets väg 63``), plans
(``Detaljplan 12``, ``Handlingsplan 2025``), a street without a number
(``Storgatan``), ``12345 kronor``, ``12 345 kronor`` and case numbers
(``2024/123 45``).

Ambiguities, written down:

* a bare ten-digit number starting with 0 (``0701234567``) is read as a phone
  number although a person born 2000–2009 could have it as personnummer;
  either way it is removed, only the token differs;
* a bare five-digit number without a place name after it (``71234``) is not
  taken for a postcode, and a capitalised word after five digits makes them
  one (``12345 Kronor`` too);
* two capitalised words before an address are taken for a name even when
  they are not one (``Hällefors Bostäder, Storgatan 12`` → ``[adress]``): more
  is removed, never less; sentence-opening words such as "Vid" or "Längs"
  are never taken for a first name;
* a bare suffix word without a direction word or genitive (``Torget 4``) is
  not an address: it is too often a count ("vid torget 4 ungdomar").

What is NOT removed: names anywhere else, addresses without a house number or
in another form, descriptions of people. Those cannot be recognised reliably
by patterns, so free text must still be read by a person before any of it is
quoted in a published report, and a field that names an organisation (a
walk's or measure's ``responsible``) is shown only as one of the kommun's
configured parties (:func:`trygghet.present.gate.responsible_label`).

Everything is done with vectorised ``Series.str.replace`` on compiled
patterns (compiled Python patterns keep pandas from handing the look-behinds
to pyarrow's RE2 engine, which does not support them). Every rule needs a
digit or an ``@``, so texts without either are not searched at all.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the page gate needs only scrub_value: pandas is imported where a column is
    import pandas as pd  # scrubbed, so the runner's pool workers start without it (issue 16)

TOKEN_PERSONNUMMER = "[personnummer]"
TOKEN_PHONE = "[telefon]"
TOKEN_EMAIL = "[e-post]"
TOKEN_REGNR = "[regnr]"
TOKEN_ADDRESS = "[adress]"
TOKEN_POSTCODE = "[postnummer]"

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

# Street addresses. A street name is a word ending in a Swedish street suffix
# ("Storgatan", "Kungsvägen", lower case "storgatan" for the common suffixes),
# a bare suffix after a direction or size word ("Lilla Torget", "Norra allén"),
# or a suffix after a genitive ("Olof Palmes gata", two words before "väg":
# "Drottning Kristinas väg", so that "Trafikverkets väg 63" stays). Then a
# house number of 1–3 digits (so "Handlingsplan 2025" stays), an optional
# letter, range and apartment ("3B", "12-14", "lgh 1102").
_UP = "A-ZÅÄÖÉÜ"
_LO = "a-zåäöéüè"
_WORD = rf"[{_UP}][{_LO}]+(?:-[{_UP}{_LO}][{_LO}]+)*"  # a capitalised word, "Anna-Karin"
_SUFFIXES = (
    "gatan|gata|vägen|väg|gränden|gränd|torget|torg|stigen|stig|backen|backe"
    "|allén|allé|leden|led|platsen|planen|plan"
)
#: Suffixes recognised in an all lower-case street ("bor på storgatan 12").
_LOWER_SUFFIXES = "gatan|vägen|gränden|gränd|torget|stigen|backen|allén|leden|platsen"
_BARE = (
    "[Gg]atan|[Gg]ata|[Vv]ägen|[Vv]äg|[Gg]ränden|[Gg]ränd|[Tt]orget|[Tt]org|[Ss]tigen|[Ss]tig"
    "|[Bb]acken|[Bb]acke|[Aa]llén|[Aa]llé|[Ll]eden|[Ll]ed|[Pp]latsen|[Pp]lanen|[Pp]lan"
)
_ADJECTIVES = "Sankt|S:t|Norra|Södra|Östra|Västra|Övre|Nedre|Stora|Lilla|Gamla|Nya|Inre|Yttre"
#: Capitalised words that start a sentence, not a name ("Vid Stationen, Storgatan 12").
_NOT_NAMES = (
    "Vid|På|Längs|Mot|Från|Till|Efter|Utmed|Över|Under|Intill|Nära|Bakom|Framför|Mellan"
    "|Om|Och|Men|Det|Den|Där|Här|Hos|Runt|Kring|Genom|Förbi|Utanför|Innanför|Ovanför|Nedanför"
)
#: Road numbers and plans that end like a street: "Länsväg 205", "Detaljplan 12".
_NOT_STREETS = (
    "(?i:(?:riks?|läns|lands|europa|motor|gång|cykel|skogs|enskild)väg"
    "|(?:detalj|handlings|översikts|åtgärds|vånings|parkerings|verksamhets|tids|arbets"
    "|budget|skötsel|belysnings|trafik|drift|underhålls)plan)"
)
#: A number followed by one of these is a count or a measure, not a house number.
_UNITS = (
    "%|procent|km|m|meter|mil|min|minuter|timmar|timme|tim|h|dagar|dag|dygn|veckor|v"
    "|månader|mån|år|gånger|ggr|st|stycken|personer|pers|ungdomar|barn|vuxna|bilar|kr"
    "|kronor|lampor|lyktor|sek|sekunder|grader|kvm|anmälningar|rapporter|fall"
)
_NAME_WORD = rf"(?!(?:{_NOT_NAMES})\s){_WORD}"
_GENITIVE = rf"{_NAME_WORD}s"
_STREET = (
    rf"(?:(?:(?:{_ADJECTIVES})\s+)?(?!{_NOT_STREETS})[{_UP}][{_LO}]*"
    rf"(?:-[{_UP}{_LO}][{_LO}]*)*(?:{_SUFFIXES})"
    rf"|(?!{_NOT_STREETS})[{_LO}]{{2,}}(?:{_LOWER_SUFFIXES})"
    rf"|(?:{_ADJECTIVES})\s+(?:{_BARE})"
    rf"|(?:{_NAME_WORD}\s+)?{_GENITIVE}\s+(?:[Gg]atan|[Gg]ata|[Gg]ränd|[Tt]orget|[Tt]org"
    rf"|[Pp]lanen|[Pp]lan|[Aa]llén|[Aa]llé)"
    rf"|{_NAME_WORD}\s+{_GENITIVE}\s+(?:[Vv]ägen|[Vv]äg))"
)
_HOUSE_NUMBER = (
    rf"\d{{1,3}}(?!\d)(?![.,:]\d)(?:[a-h]|\s?[A-H])?(?!\w)"
    rf"(?!\s*(?:{_UNITS})(?!\w))"
    rf"(?:\s?[-–]\s?\d{{1,3}}[A-Ha-h]?(?!\w))?"
    rf"(?:,?\s*(?:lgh|lägenhet)\.?\s*\d{{1,4}}(?!\d))?"
)
#: An address, with "Förnamn Efternamn" (and an optional comma) right before it
#: taken into the same token: the only name the scrubbing recognises.
ADDRESS = re.compile(rf"(?<![\w-])(?:{_NAME_WORD}\s+{_WORD},?\s+)?{_STREET}\s+{_HOUSE_NUMBER}")

# Postcodes: "712 34" (three digits, a space, two), "SE-712 34" / "SE-71234" /
# "S-712 34", and five digits only when a capitalised place name follows
# ("71234 Hällefors"), so that "12345 kronor" stays. Not the tail of a longer
# spaced number ("1 234 567") nor after "/" (a case number "2024/123 45").
POSTCODE_PREFIXED = re.compile(r"(?<![\w-])(?:SE-?|S-)\s?[1-9]\d{2}\s?\d{2}(?!\d)")
POSTCODE_SPACED = re.compile(r"(?<![\w.,:/-])(?<!\d\s)[1-9]\d{2}\s\d{2}(?!\d)(?![.,:]\d)")
POSTCODE_WITH_PLACE = re.compile(rf"(?<![\w.,:/-])[1-9]\d{{4}}(?=\s+[{_UP}][{_LO}])")

#: (pattern, token) in the order they are applied: e-mail first (an address
#: can hold digits), explicit personnummer before phones, bare personnummer
#: after them, then street addresses (with a name before them), postcodes and
#: registration numbers.
RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (EMAIL, TOKEN_EMAIL),
    (PERSONNUMMER_EXPLICIT, TOKEN_PERSONNUMMER),
    (PHONE_INTERNATIONAL, TOKEN_PHONE),
    (PHONE_DOMESTIC, TOKEN_PHONE),
    (PERSONNUMMER_BARE, TOKEN_PERSONNUMMER),
    (ADDRESS, TOKEN_ADDRESS),
    (POSTCODE_PREFIXED, TOKEN_POSTCODE),
    (POSTCODE_SPACED, TOKEN_POSTCODE),
    (POSTCODE_WITH_PLACE, TOKEN_POSTCODE),
    (REGNR, TOKEN_REGNR),
)

#: Every rule needs a digit or an "@": texts without either are left as they are
#: without running the patterns (most texts, and the slow part on large tables).
_CANDIDATE = re.compile(r"[\d@]")


def scrub_text(texts: pd.Series) -> pd.Series:
    """Replace the personal data listed in the module docstring with tokens.

    Missing values stay missing; the index and name are kept. The result has
    pandas' string dtype. Only texts holding a digit or an "@" are searched,
    each distinct text once.
    """
    import pandas as pd

    values = texts.astype("string").to_numpy(dtype=object, na_value=None)
    # One pass in Python, not one pandas pass per pattern: pandas runs these
    # patterns (look-behinds) element by element in Python anyway, converting
    # the column each time; and addresses and places repeat (a few hundred
    # distinct in thousands of rows), while the patterns are the cost.
    scrubbed = {value: scrub_value(value) for value in set(values) if value is not None}
    return pd.Series(
        [None if value is None else scrubbed[value] for value in values],
        index=texts.index,
        name=texts.name,
        dtype="string",
    )


def scrub_value(text: str) -> str:
    """:func:`scrub_text` for one string (used by the page gate, :mod:`trygghet.present.gate`)."""
    if not _CANDIDATE.search(text):
        return text
    for pattern, token in RULES:
        text = pattern.sub(token, text)
    return text


def contains_personal_data(texts: pd.Series) -> pd.Series:
    """Whether each text still holds something :func:`scrub_text` would replace (for checks)."""
    import pandas as pd

    out = texts.astype("string")
    found = pd.Series(False, index=texts.index)
    for pattern, _token in RULES:
        found |= out.str.contains(pattern, regex=True).fillna(False).astype(bool)
    return found


__all__ = [
    "ADDRESS",
    "RULES",
    "TOKEN_ADDRESS",
    "TOKEN_EMAIL",
    "TOKEN_PERSONNUMMER",
    "TOKEN_PHONE",
    "TOKEN_POSTCODE",
    "TOKEN_REGNR",
    "contains_personal_data",
    "scrub_text",
    "scrub_value",
]
