"""Which text columns of each processed table are free text, and their scrubbing at ingest.

A column is **free text** when a person typed it and nothing checks it against
a list or a fixed form: a place, a description, a proposed measure, who is
responsible, an area name that ingest does not match against the
configuration, an id typed by hand. Every reader passes exactly these
columns, as read from the file, through :func:`scrub_columns` before anything
else is done with them, so that neither the processed table nor the list of
rejected rows holds the raw text (see :mod:`trygghet.privacy` for what is
removed, and ``docs/data/privacy.md``).

A column is **not** free text when it is a code with a fixed form (checked by
the schema), an identifier the reader makes itself (a pseudonym), a published
label of national statistics, or a controlled vocabulary. Controlled
vocabularies are the columns whose pandera schema has an ``isin`` check (the
test ``tests/sources/test_free_text.py`` finds them from the schemas); every
other string column that is not free text is listed in :data:`NOT_FREE_TEXT`
with the reason. The test fails when a string column of a schema, or of a table a
reader returns, is in neither list, so a new text column cannot be added
without deciding what it is.

Decisions worth writing down:

* ``area`` is free text although it names one of the kommun's areas: ingest
  checks it against ``config.areas`` only for dialogues (a reader does only
  when given ``areas``), so elsewhere it is whatever was typed. A real area name never holds
  anything the scrubbing removes, so scrubbing it costs nothing.
* ``responsible`` (safety walks, EST measures) is free text and scrubbed; on
  the page it is further shown only as one of ``config.parties``, else
  "annan ansvarig" (:func:`trygghet.present.gate.responsible_label`), because
  a person's name cannot be scrubbed reliably.
* Identifiers typed by hand (``report_id``, ``walk_id``, ``measure_id``,
  ``respondent_id`` …) are free text too: nothing checks their form, and an
  id that is a personnummer or a phone number must not be stored. An id and
  the ids that refer to it (``followup_walk_id``, a report's ``measure_id``)
  are scrubbed alike, so links hold; should scrubbing make two ids equal,
  the reader's checks on ids (duplicates, one date and area per walk) stop
  it, naming the row, and the id has to be changed at the source. The victim-contact ``case_id`` is not free
  text: the reader refuses one that looks like a personnummer and stores only
  a keyed pseudonym.
* Hobit's case number is not free text either: it never reaches the table,
  only its keyed hash ``case_key``. ``place`` is scrubbed and never shown on
  a page; ``crime_label`` is the code list's label but scrubbed all the same,
  since an export may hold a typed heading.
* The police's ``title``, ``summary`` and ``location_name`` are public but
  free text; they are scrubbed after the reader has parsed the incident time
  and resolved the kommun from them (the press phone numbers in some
  summaries become ``[telefon]``).
* Brå's, Kolada's and SCB's labels are published statistics, not typed by
  the kommun's staff: no column of theirs is free text.
"""

from __future__ import annotations

import pandas as pd

from trygghet.privacy import scrub_text

#: Processed table -> its free-text columns, scrubbed at ingest.
FREE_TEXT: dict[str, tuple[str, ...]] = {
    "resident_reports": ("report_id", "address", "description"),
    "safety_walks": (
        "walk_id",
        "area",
        "place",
        "description",
        "proposed_measure",
        "responsible",
        "followup_walk_id",
    ),
    "est_reports": ("report_id", "place", "area", "description", "measure_id"),
    "est_measures": ("measure_id", "place", "area", "description", "responsible"),
    "victim_contacts": ("area",),
    "dialogues": ("dialogue_id", "area"),
    "dialogue_proposals": (
        "proposal_id",
        "dialogue_id",
        "proposal",
        "measure_id",
        "responsible",
    ),
    "survey": ("respondent_id", "area"),
    "population_age_sex": (),
    # Hobit: the place text is scrubbed and never shown; the case number is not
    # stored at all (only its keyed hash case_key).
    "hobit": ("crime_label", "place"),
    "polisen_events": ("title", "summary", "location_name"),
    "bra_crime": (),
    "kolada": (),
    "kolada_groups": (),
    "population": (),
}

_KOMMUN_CODE = "kommun code, four digits (checked by the schema)"
_ISO_WEEK = "ISO week 2025-W07 (checked by the schema)"

#: Processed table -> string columns that are not free text, and why. Columns
#: with an ``isin`` check in the schema are controlled vocabularies and are
#: not listed here.
NOT_FREE_TEXT: dict[str, dict[str, str]] = {
    "resident_reports": {
        "postal_code": "postcode as a code, five digits (checked); maps to a kommun only",
        "postal_kommun_code": "kommun code looked up from the postcode",
    },
    "safety_walks": {},
    "est_reports": {"week": _ISO_WEEK},
    "est_measures": {"decided_week": _ISO_WEEK},
    "victim_contacts": {"case_id": "keyed pseudonym P-<16 hex> (checked); raw id never stored"},
    "survey": {},
    "population_age_sex": {"kommun_code": _KOMMUN_CODE},
    "hobit": {
        "case_key": "keyed pseudonym P-<16 hex> of the case number (checked); number never stored",
        "crime_code": "Brå's four-digit crime code (checked by the schema)",
        "kommun_code": _KOMMUN_CODE,
    },
    "dialogues": {
        "themes": "themes from dialogues.THEMES joined with | (each checked by the schema)"
    },
    "dialogue_proposals": {},
    "polisen_events": {
        "type": "the police's event type, from the API's own fixed list",
        "url": "the event's page on polisen.se, a reference built from the title by the police",
        "coordinate_meaning": "fixed wording from polisen.COORDINATE_MEANING",
        "kommun_code": _KOMMUN_CODE,
        "lan_code": "län code, two digits (checked by the schema)",
        "tatort": "a tätort name from SCB's list, found in the text",
    },
    "bra_crime": {
        "kommun_code": _KOMMUN_CODE,
        "area_name": "Brå's area name resolved against the list of kommuner and län",
        "crime_label": "Brå's published crime heading (national statistics)",
        "crime_code": "Brå's code for the heading",
    },
    "kolada": {
        "kpi": "Kolada's KPI id (e.g. N07403)",
        "municipality": "Kolada's kommun or group code (checked by the schema)",
        "status": "Kolada's status flag of the value",
    },
    "kolada_groups": {
        "group_id": "Kolada's group id",
        "group_title": "Kolada's published name of the kommungrupp",
        "kommun_code": _KOMMUN_CODE,
        "kommun_name": "the kommun's official name as Kolada publishes it",
    },
    "population": {"kommun_code": _KOMMUN_CODE},
}


def free_text_columns(table: str) -> tuple[str, ...]:
    """The free-text columns of ``table`` (a processed table's name); unknown names raise."""
    return FREE_TEXT[table]


def _scrub_column(values: pd.Series) -> pd.Series:
    """Scrubbed, in the column's own kind: raw object columns keep ``None`` for missing."""
    scrubbed = scrub_text(values)
    if isinstance(values.dtype, pd.StringDtype):
        return scrubbed.astype(values.dtype)
    return scrubbed.astype(object).where(values.notna(), None)


def scrub_columns(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """``frame`` with every free-text column of ``table`` scrubbed (columns it lacks are skipped).

    Readers call this on the raw cells, before parsing, so that rejected rows
    are scrubbed too. Returns a copy; the index is kept.
    """
    out = frame.copy()
    for column in free_text_columns(table):
        if column in out.columns:
            out[column] = _scrub_column(out[column])
    return out


__all__ = ["FREE_TEXT", "NOT_FREE_TEXT", "free_text_columns", "scrub_columns"]
