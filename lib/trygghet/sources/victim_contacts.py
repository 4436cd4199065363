"""Reader for the victim-contact log behind promise 4 ("kontakt inom en vecka").

The promise: once a förundersökning has started, the crime victim is contacted
within one week after an investigator (utredare) is assigned. The police keep
the timestamps in their case system; the export this project reads is
``brottsofferkontakter.csv`` (``;``, UTF-8), one row per case::

    case_id;crime_category;area;fu_opened;investigator_assigned;first_contact
    A-000123;inbrott;Hällefors;2025-03-03;2025-03-05;2025-03-07

``first_contact`` empty = no contact recorded yet. An optional column
``extract_date`` (the same date on every row) says when the extract was taken.
The filled-in Excel template ``brottsofferkontakter.xlsx`` (``trygghet
mallar``, see :data:`TEMPLATE`) is read the same way.

Privacy reasoning (this is the most sensitive source in the project):

* The tidy table keeps only what the KPIs need. Exact dates are dropped: the
  assignment date is coarsened to its month (``assigned_month``), and the
  delays are kept as day counts. A day count alone does not point to a day in
  the calendar; month + category + area + delay can still single out a case
  in a small kommun, so the processed table is internal and every published
  figure must be aggregated and small counts suppressed (``min_count``).
* ``case_id`` is replaced by a keyed hash (HMAC-SHA256) so that the raw id
  never reaches processed data. Case ids have few possible values
  ("A-000123": a million), so an unkeyed or publicly salted hash could be
  reversed by trying them all: the salt must be secret. It comes from the
  ``salt`` argument, else the environment variable ``TRYGGHET_PSEUDONYM_SALT``
  (kept outside the repository); without either a random salt is drawn for
  this read, so pseudonyms are then not stable between two reads (which no
  KPI needs). A case id that looks like a personnummer is refused outright.
* Crime category, area and the delays are what the promise is about; nothing
  about the victim (name, age, sex) is read even if the export contains it:
  extra columns are ignored and never stored.

KPI conventions made possible by the columns (computed elsewhere):
``days_to_contact`` is first contact minus assignment in days (0 = the same
day). A case not yet contacted is right-censored: ``censored_days`` is the
days from assignment to the extract date. A censored case with
``censored_days > 7`` is a known miss of the one-week promise; with
``censored_days <= 7`` it is still open and must not be counted either way.

Checks: unique ``case_id``; ``investigator_assigned`` not before
``fu_opened``; ``first_contact`` not before ``investigator_assigned`` (a
contact before assignment, e.g. by the patrol at the report, is not the
contact the promise is about; such rows must be corrected or quarantined);
no date in the future or after the extract date. Cases without an assigned
investigator are outside the promise (its clock starts at assignment), so
``investigator_assigned`` is required.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from trygghet.config import KommunConfig
from trygghet.errors import DataError
from trygghet.sources.free_text import scrub_columns
from trygghet.sources.tabular import (
    ReadResult,
    RowProblems,
    check_contract,
    check_known_areas,
    check_not_future,
    check_unique,
    parse_column,
    read_table,
)
from trygghet.sources.templates import ColumnHelp, Template

SOURCE = "victim_contacts"
RAW_FILES = ["brottsofferkontakter.csv"]
COLUMNS = [
    "case_id",
    "crime_category",
    "area",
    "fu_opened",
    "investigator_assigned",
    "first_contact",
]
OPTIONAL_COLUMNS = ["extract_date"]
CRIME_CATEGORIES: tuple[str, ...] = (
    "misshandel",
    "hot",
    "inbrott",
    "stöld",
    "bedrägeri",
    "skadegörelse",
    "sexualbrott",
    "övrigt",
)
SALT_ENV = "TRYGGHET_PSEUDONYM_SALT"
PROMISE_DAYS = 7

#: A case id: letters, digits and hyphens, no spaces (so no names).
CASE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,39}$")
#: Something that looks like a personnummer (YYMMDD-NNNN, YYYYMMDDNNNN …).
PERSONNUMMER_LIKE = re.compile(r"(?<!\d)(?:\d{2})?\d{2}[01]\d[0-9]\d[-+]?\d{4}(?!\d)")

SCHEMA = pa.DataFrameSchema(
    {
        "case_id": pa.Column("string", pa.Check.str_matches(r"^P-[0-9a-f]{16}$"), unique=True),
        "crime_category": pa.Column("string", pa.Check.isin(CRIME_CATEGORIES)),
        "area": pa.Column("string"),
        "assigned_month": pa.Column(
            "datetime64[us]", pa.Check(lambda s: (s.dt.day == 1).all(), name="first of month")
        ),
        "days_to_contact": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "contacted": pa.Column("bool"),
        "censored_days": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "extract_date": pa.Column("datetime64[us]"),
        "origin": pa.Column("string", pa.Check.isin(["real", "fetched", "example"])),
    },
    checks=[
        pa.Check(
            lambda df: df["contacted"] == df["days_to_contact"].notna(),
            name="contacted iff days_to_contact",
        ),
        pa.Check(
            lambda df: df["contacted"] != df["censored_days"].notna(),
            name="censored_days only when not contacted",
        ),
    ],
    strict=True,
    ordered=True,
)


#: Every raw column for the staff who fill it in (Swedish): the Excel template
#: and its instructions are made from this table and the lists above.
COLUMN_HELP: dict[str, ColumnHelp] = {
    "case_id": ColumnHelp(
        "text",
        "Ärendets id i polisens system; ersätts med en pseudonym när filen läses in.",
        True,
        example="A-000123",
        note="unikt; bara bokstäver, siffror och bindestreck; aldrig ett personnummer",
    ),
    "crime_category": ColumnHelp(
        "category", "Brottets kategori.", True, CRIME_CATEGORIES, example="inbrott"
    ),
    "area": ColumnHelp("area", "Området där brottet begicks.", True, example="Centrum"),
    "fu_opened": ColumnHelp(
        "date", "Dag då förundersökningen inleddes.", True, example="2025-03-03"
    ),
    "investigator_assigned": ColumnHelp(
        "date",
        "Dag då en utredare tilldelades ärendet (löftets klocka startar här).",
        True,
        example="2025-03-05",
        note="inte före fu_opened",
    ),
    "first_contact": ColumnHelp(
        "date",
        "Dag för utredarens första kontakt med brottsoffret.",
        example="2025-03-07",
        note="tomt = ingen kontakt ännu; inte före investigator_assigned",
    ),
    "extract_date": ColumnHelp(
        "date",
        "Dag då uttaget ur ärendesystemet gjordes.",
        example="2025-03-31",
        note="samma på alla rader; tomt = det senaste datumet i filen används",
    ),
}

TEMPLATE = Template(
    source=SOURCE,
    file="brottsofferkontakter.xlsx",
    sheet="Brottsofferkontakter",
    title="Brottsofferkontakter (löftet om kontakt inom en vecka)",
    purpose=(
        "Polisens uttag av ärenden med inledd förundersökning: när en utredare tilldelades "
        "och när brottsoffret först kontaktades. Det följer upp löftet att brottsoffret "
        f"kontaktas inom {PROMISE_DAYS} dagar efter att en utredare tilldelats."
    ),
    row="ärende",
    columns=(*COLUMNS, *OPTIONAL_COLUMNS),
    column_help=COLUMN_HELP,
    rules=(
        "case_id är unikt.",
        "investigator_assigned ligger inte före fu_opened, och first_contact inte före "
        "investigator_assigned; inga datum i framtiden eller efter extract_date.",
    ),
    notes=(
        "Filen får bara innehålla kolumnerna nedan: inga uppgifter om brottsoffret (namn, "
        "ålder, kön, adress eller telefonnummer). Den är känslig även så: förvara den "
        "som polisens övriga ärendeuppgifter och dela den inte.",
    ),
)


def pseudonymise(case_ids: pd.Series, salt: str) -> pd.Series:
    """Keyed hash of each case id: ``P-`` + 16 hex digits of HMAC-SHA256(salt, id)."""
    key = salt.encode("utf-8")

    def one(value: str) -> str:
        digest = hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
        return "P-" + digest[:16]

    return case_ids.map(one).astype("string")


def _salt(salt: str | None) -> str:
    return salt or os.environ.get(SALT_ENV) or secrets.token_hex(16)


def read(
    path: Path,
    *,
    quarantine: bool = False,
    origin: str = "real",
    extract_date: str | pd.Timestamp | None = None,
    salt: str | None = None,
    areas: Iterable[str] | None = None,
    today: pd.Timestamp | None = None,
) -> ReadResult:
    """``brottsofferkontakter.csv`` (or ``.xlsx``) -> the tidy, pseudonymised table.

    ``extract_date`` is the day the extract was taken (the censoring date of
    uncontacted cases). Without it, the file's ``extract_date`` column is used,
    else the latest date in the file; the latter is a lower bound of the true
    extract date, so ``censored_days`` is then a lower bound too. ``salt`` is
    the secret key of the pseudonyms (see the module docstring). ``areas``
    makes an unknown area an error. ``today`` is for tests of the future check.
    """
    path = Path(path)
    raw, where = read_table(path, COLUMNS, OPTIONAL_COLUMNS, sheet=TEMPLATE.sheet)
    raw = scrub_columns(raw, SOURCE)
    problems = RowProblems(where, quarantine)

    case_id = parse_column(raw, "case_id", "str", problems)
    looks_like_pnr = case_id.notna() & case_id.str.contains(PERSONNUMMER_LIKE).fillna(False)
    problems.report(
        looks_like_pnr,
        "case_id",
        pd.Series("(döljs: ser ut som ett personnummer)", index=raw.index),
        "ärende-id ser ut som ett personnummer",
        "ett pseudonymt ärende-id, t.ex. A-000123",
    )
    bad_format = case_id.notna() & ~looks_like_pnr & ~case_id.str.fullmatch(CASE_ID).fillna(False)
    problems.report(
        bad_format,
        "case_id",
        case_id,
        "ogiltigt ärende-id (bara bokstäver, siffror och bindestreck, inga mellanslag)",
        "ett pseudonymt ärende-id, t.ex. A-000123",
    )
    check_unique(case_id.where(~looks_like_pnr), "case_id", problems)
    category = parse_column(
        raw.assign(crime_category=raw["crime_category"].str.lower()),
        "crime_category",
        "category",
        problems,
        allowed=CRIME_CATEGORIES,
    )
    area = parse_column(raw, "area", "str", problems)
    check_known_areas(area, raw, areas, problems)
    opened = parse_column(raw, "fu_opened", "date", problems)
    assigned = parse_column(raw, "investigator_assigned", "date", problems)
    contact = parse_column(raw, "first_contact", "date", problems, required=False)
    for column, values in (
        ("fu_opened", opened),
        ("investigator_assigned", assigned),
        ("first_contact", contact),
    ):
        check_not_future(values, column, problems, today)
    problems.report(
        opened.notna() & assigned.notna() & (assigned < opened),
        "investigator_assigned",
        raw["investigator_assigned"],
        "utredaren tilldelades före förundersökningen inleddes",
        "ett datum från och med fu_opened",
    )
    problems.report(
        assigned.notna() & contact.notna() & (contact < assigned),
        "first_contact",
        raw["first_contact"],
        "kontakt före att utredaren tilldelades",
        "ett datum från och med investigator_assigned",
    )

    extract = _extract_date(where, raw, problems, extract_date, opened, assigned, contact)
    for column, values in (
        ("fu_opened", opened),
        ("investigator_assigned", assigned),
        ("first_contact", contact),
    ):
        problems.report(
            values.notna() & (values > extract),
            column,
            raw[column],
            "datumet ligger efter uttagsdatumet",
            f"senast {extract.date()}",
        )

    pseudonym_salt = _salt(salt)
    contacted = contact.notna()
    days = (contact - assigned).dt.days.astype("Int64")
    censored = (extract - assigned).dt.days.astype("Int64").where(~contacted)
    table = pd.DataFrame(
        {
            # Hash only rows that will be kept; the raw id is never stored.
            "case_id": pseudonymise(case_id.fillna("").astype(str), pseudonym_salt),
            "crime_category": category,
            "area": area,
            "assigned_month": assigned.dt.to_period("M").dt.to_timestamp().astype("datetime64[us]"),
            "days_to_contact": days,
            "contacted": contacted.astype(bool),
            "censored_days": censored,
            "extract_date": pd.Series(extract, index=raw.index).astype("datetime64[us]"),
            "origin": pd.Series(origin, index=raw.index, dtype="string"),
        }
    )
    # Rejected rows may be stored for the analyst; they carry the line number,
    # so the raw case id is replaced by its pseudonym there too (and hidden
    # entirely when it looks like a personnummer).
    shown = raw.assign(case_id=table["case_id"].where(~looks_like_pnr, "(dold)"))
    table, rejected = problems.set_aside(table, shown)
    table = check_contract(table, SCHEMA, where).reset_index(drop=True)
    return ReadResult(table, rejected, origin)


def _extract_date(
    path: str | Path,
    raw: pd.DataFrame,
    problems: RowProblems,
    given: str | pd.Timestamp | None,
    *dates: pd.Series,
) -> pd.Timestamp:
    """The censoring date: argument > the file's ``extract_date`` column > latest date."""
    if given is not None:
        return pd.Timestamp(given).normalize()
    if "extract_date" in raw:
        values = parse_column(raw, "extract_date", "date", problems, required=False).dropna()
        if values.nunique() > 1:
            raise DataError(
                path,
                "olika uttagsdatum i samma fil",
                column="extract_date",
                found=", ".join(sorted(str(d.date()) for d in values.unique())),
                expected="samma datum på alla rader",
            )
        if len(values):
            return pd.Timestamp(values.iloc[0])
    latest = max(d.max() for d in dates if d.notna().any())
    return pd.Timestamp(latest).normalize()


# --------------------------------------------------------------------------- example data

EXAMPLE_START = pd.Timestamp("2023-01-01")
EXAMPLE_EXTRACT = pd.Timestamp("2026-10-31")

_CATEGORY_P = np.array([0.15, 0.12, 0.10, 0.24, 0.18, 0.10, 0.04, 0.07])
#: Extra delay tendency per category (days, added to the tail): fraud victims
#: are often reached by letter and later; sexual offences are prioritised.
_CATEGORY_SLOW = {
    "bedrägeri": 4.0,
    "stöld": 1.5,
    "skadegörelse": 1.5,
    "sexualbrott": -1.0,
    "misshandel": 0.0,
    "hot": 0.0,
    "inbrott": 0.5,
    "övrigt": 1.0,
}
#: Share contacted within the week improves over the years (a promise at work).
_ON_TIME_BY_YEAR = {2023: 0.76, 2024: 0.81, 2025: 0.86, 2026: 0.88}


def generate_example(config: KommunConfig, out_dir: Path, seed: int = 0) -> list[Path]:
    """Write a fictional ``brottsofferkontakter.csv`` (cases 2023-01-01 – 2026-10-31).

    About 150–300 cases a year; most victims contacted within 7 days of the
    investigator being assigned, a long tail (up to two months), about 4 % of
    older cases never contacted, and the most recent cases often not yet
    contacted at the extract date (2026-10-31, written in the optional
    ``extract_date`` column so that censoring is exact). Fraud is slower, sexual
    offences faster; the on-time share improves from 2023 to 2026.
    """
    rng = np.random.default_rng([seed, int(config.code), 4])
    if config.areas:
        names = [a.name for a in config.areas]
        share = np.array([5.0 if a.kind in ("tätort", "stadsdel") else 1.0 for a in config.areas])
        share[0] *= 2
    else:
        names, share = [config.name], np.array([1.0])
    share = share / share.sum()
    days = pd.date_range(EXAMPLE_START, EXAMPLE_EXTRACT, freq="D")
    rate = float(rng.uniform(180, 260)) / 365.25
    per_day = rng.poisson(rate, size=len(days))
    opened = np.repeat(days.to_numpy(), per_day)
    n = len(opened)
    category = np.array(CRIME_CATEGORIES)[rng.choice(len(CRIME_CATEGORIES), size=n, p=_CATEGORY_P)]
    area = np.array(names)[rng.choice(len(names), size=n, p=share)]
    assign_delay = np.minimum(rng.geometric(0.3, size=n) - 1, 45)
    assigned = pd.DatetimeIndex(opened) + pd.to_timedelta(assign_delay, unit="D")
    years = assigned.year.to_numpy()
    on_time_p = np.array([_ON_TIME_BY_YEAR.get(int(y), 0.8) for y in years])
    slow = np.array([_CATEGORY_SLOW[c] for c in category])
    on_time = rng.random(n) < on_time_p - slow * 0.03
    quick = rng.choice(8, size=n, p=[0.12, 0.2, 0.18, 0.14, 0.12, 0.1, 0.08, 0.06])
    tail = 8 + np.minimum(np.round(rng.lognormal(1.8 + slow * 0.08, 0.8, size=n)), 55)
    delay = np.where(on_time, quick, tail).astype(int)
    never = rng.random(n) < 0.04
    contact = assigned + pd.to_timedelta(delay, unit="D")
    uncontacted = never | (contact > EXAMPLE_EXTRACT)
    keep = assigned <= EXAMPLE_EXTRACT  # not yet assigned: outside the promise
    frame = pd.DataFrame(
        {
            "case_id": [f"A-{i:06d}" for i in rng.permutation(np.arange(100, 100 + n))],
            "crime_category": category,
            "area": area,
            "fu_opened": pd.DatetimeIndex(opened).strftime("%Y-%m-%d"),
            "investigator_assigned": assigned.strftime("%Y-%m-%d"),
            "first_contact": np.where(uncontacted, "", contact.strftime("%Y-%m-%d")),
            "extract_date": EXAMPLE_EXTRACT.strftime("%Y-%m-%d"),
        }
    )[keep]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / RAW_FILES[0]
    frame.to_csv(target, sep=";", index=False, encoding="utf-8", lineterminator="\n")
    return [target]
