"""Protocols of trygghetsvandringar (safety walks), one row per observation.

A safety walk (Boverket; Brå idéskrift 16) follows a set route through an
area; at each point the group notes a problem, proposes a measure and names
who is responsible. At a follow-up meeting the owners report their measures,
and a new walk months later checks what was done. Today the protocols are
PDFs; this reader takes them as one CSV, ``trygghetsvandringar.csv``
(``;``-separated UTF-8), or as the filled-in Excel template
``trygghetsvandringar.xlsx`` (``trygghet mallar``, see :data:`TEMPLATE`), with
one row per observation:

``walk_id;walk_date;area;point_no;place;lat;lon;category;description;
proposed_measure;responsible;priority;deadline;status;completed_date;
verified_at_followup;followup_walk_id``

Choices, written down (see ``docs/data/safety_walks.md``):

* ``priority`` is an integer 1–3 where **1 is the highest** (1 = hög,
  2 = medel, 3 = låg). Protocols that write hög/medel/låg must be converted.
* ``status``: ny (nothing done yet), pågår (being done), åtgärdad (done;
  then ``completed_date`` is required), avslagen (the owner decided not to
  act). Status is the state when the protocol was exported.
* ``verified_at_followup`` (ja/nej/empty) is what the follow-up walk
  ``followup_walk_id`` found; it requires a follow-up walk id.
* Consistency checks beyond the types: every row of a walk has the same
  date and area; point numbers are unique within a walk; the deadline and
  the completion date are not before the walk; a follow-up walk present in
  the file is later than the walk it follows up.
* ``area``, ``place``, ``description``, ``proposed_measure`` and
  ``responsible`` are free text (:data:`trygghet.sources.free_text.FREE_TEXT`):
  they are scrubbed of personal data before anything else is done.
* Overdue is not a column, because it depends on the day one asks: use
  :func:`overdue` with an explicit date.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from trygghet.config import KommunConfig
from trygghet.sources.free_text import scrub_columns
from trygghet.sources.resident_reports import example_places, metres_to_degrees
from trygghet.sources.tabular import (
    ReadResult,
    RowProblems,
    check_contract,
    check_in_sweden,
    check_not_future,
    check_unique,
    parse_column,
    read_table,
)
from trygghet.sources.templates import ColumnHelp, Template

SOURCE = "safety_walks"
RAW_FILES = ["trygghetsvandringar.csv"]

COLUMNS = [
    "walk_id",
    "walk_date",
    "area",
    "point_no",
    "place",
    "lat",
    "lon",
    "category",
    "description",
    "proposed_measure",
    "responsible",
    "priority",
    "deadline",
    "status",
    "completed_date",
    "verified_at_followup",
    "followup_walk_id",
]

#: The problem categories of Boverket's and Brå's guidance.
CATEGORIES = [
    "belysning",
    "vegetation",
    "klotter",
    "nedskräpning",
    "skadegörelse",
    "trafik",
    "personer",
    "utformning",
]
STATUSES = ["ny", "pågår", "åtgärdad", "avslagen"]
PRIORITY_LABELS = {1: "hög", 2: "medel", 3: "låg"}

TIDY_COLUMNS = [*COLUMNS, "days_to_complete", "origin"]

_STR = pd.StringDtype()

SCHEMA = pa.DataFrameSchema(
    {
        "walk_id": pa.Column(_STR, nullable=False),
        "walk_date": pa.Column(pa.DateTime, nullable=False),
        "area": pa.Column(_STR, nullable=False),
        "point_no": pa.Column("Int64", pa.Check.ge(1), nullable=False),
        "place": pa.Column(_STR, nullable=True),
        "lat": pa.Column("Float64", pa.Check.in_range(55.0, 69.2), nullable=True),
        "lon": pa.Column("Float64", pa.Check.in_range(10.5, 24.3), nullable=True),
        "category": pa.Column(_STR, pa.Check.isin(CATEGORIES), nullable=False),
        "description": pa.Column(_STR, nullable=True),
        "proposed_measure": pa.Column(_STR, nullable=True),
        "responsible": pa.Column(_STR, nullable=False),
        "priority": pa.Column("Int64", pa.Check.isin([1, 2, 3]), nullable=False),
        "deadline": pa.Column(pa.DateTime, nullable=True),
        "status": pa.Column(_STR, pa.Check.isin(STATUSES), nullable=False),
        "completed_date": pa.Column(pa.DateTime, nullable=True),
        "verified_at_followup": pa.Column("boolean", nullable=True),
        "followup_walk_id": pa.Column(_STR, nullable=True),
        "days_to_complete": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "origin": pa.Column(_STR, pa.Check.isin(["real", "fetched", "example"])),
    },
    checks=[
        pa.Check(
            lambda df: ~df.duplicated(["walk_id", "point_no"]),
            error="punktnummer unika inom en vandring",
        ),
        pa.Check(
            lambda df: (df["status"] != "åtgärdad") | df["completed_date"].notna(),
            error="åtgärdad kräver completed_date",
        ),
    ],
    strict=True,
    ordered=True,
)

#: Every raw column for the staff who fill it in (Swedish): the Excel template
#: and its instructions are made from this table and the lists above.
COLUMN_HELP: dict[str, ColumnHelp] = {
    "walk_id": ColumnHelp(
        "text", "Vandringens id, samma på alla rader från vandringen.", True, example="TV-2025-1"
    ),
    "walk_date": ColumnHelp(
        "date",
        "Dag då vandringen gjordes.",
        True,
        example="2025-04-15",
        note="samma på alla rader i vandringen; inte i framtiden",
    ),
    "area": ColumnHelp("area", "Området som vandringen gick i.", True, example="Centrum"),
    "point_no": ColumnHelp(
        "int",
        "Punktens nummer längs vandringens väg.",
        True,
        example="1",
        note="från 1, unikt inom vandringen",
    ),
    "place": ColumnHelp(
        "text", "Adress eller beskrivning av punkten.", example="Gångtunneln vid stationen"
    ),
    "lat": ColumnHelp(
        "float",
        "Punktens latitud (WGS 84, decimalgrader).",
        note="t.ex. 59,7830; fylls i tillsammans med lon, eller lämnas tom",
    ),
    "lon": ColumnHelp(
        "float",
        "Punktens longitud (WGS 84, decimalgrader).",
        note="t.ex. 14,5170; fylls i tillsammans med lat, eller lämnas tom",
    ),
    "category": ColumnHelp(
        "category", "Problemets kategori.", True, tuple(CATEGORIES), example="belysning"
    ),
    "description": ColumnHelp(
        "freetext", "Problemet som gruppen noterade.", example="Mörk gångväg, flera lampor trasiga."
    ),
    "proposed_measure": ColumnHelp(
        "freetext", "Föreslagen åtgärd.", example="Byta armaturer och laga trasiga lampor."
    ),
    "responsible": ColumnHelp(
        "text",
        "Vem som ansvarar för åtgärden, t.ex. kommunen/tekniska förvaltningen, "
        "bostadsbolaget, Trafikverket, polisen eller fastighetsägaren.",
        True,
        example="kommunen/tekniska förvaltningen",
    ),
    "priority": ColumnHelp(
        "int",
        "Prioritet: 1 = hög, 2 = medel, 3 = låg (skriv siffran, inte ordet).",
        True,
        tuple(PRIORITY_LABELS),
        example="1",
    ),
    "deadline": ColumnHelp(
        "date",
        "När åtgärden senast ska vara klar.",
        example="2025-05-15",
        note="inte före walk_date",
    ),
    "status": ColumnHelp(
        "category",
        "Läget när filen sparas: ny (inget gjort än), pågår, åtgärdad (klar) eller "
        "avslagen (ägaren har beslutat att inte åtgärda).",
        True,
        tuple(STATUSES),
        example="åtgärdad",
    ),
    "completed_date": ColumnHelp(
        "date",
        "Dag då åtgärden blev klar.",
        example="2025-05-02",
        note="krävs när status är åtgärdad; inte före walk_date och inte i framtiden",
    ),
    "verified_at_followup": ColumnHelp(
        "bool",
        "Fann den uppföljande vandringen åtgärden gjord och fungerande?",
        note="tomt = inte kontrollerat; kräver followup_walk_id",
    ),
    "followup_walk_id": ColumnHelp(
        "text",
        "Id (walk_id) för den vandring som följde upp punkten.",
        note="tomt om punkten inte följts upp; den vandringen ska ligga efter denna",
    ),
}

TEMPLATE = Template(
    source=SOURCE,
    file="trygghetsvandringar.xlsx",
    sheet="Trygghetsvandringar",
    title="Protokoll från trygghetsvandringar",
    purpose=(
        "Protokollen från kommunens trygghetsvandringar: varje problem som gruppen noterade "
        "längs vägen, föreslagen åtgärd, vem som ansvarar och hur det gick. Rapporterna "
        "följer upp hur många åtgärder som blir gjorda, och hur snabbt."
    ),
    row="observation (punkt) på en vandring",
    columns=tuple(COLUMNS),
    column_help=COLUMN_HELP,
    rules=(
        "Alla rader med samma walk_id har samma walk_date och area.",
        "point_no är unikt inom en vandring.",
        "deadline och completed_date ligger inte före walk_date; inga datum i framtiden.",
        "completed_date krävs när status är åtgärdad.",
        "verified_at_followup kräver followup_walk_id, och den uppföljande vandringen "
        "ligger efter vandringen.",
        "lat och lon fylls i båda eller ingen av dem.",
    ),
)


def read(
    path: Path,
    *,
    quarantine: bool = False,
    origin: str = "real",
    today: pd.Timestamp | None = None,
) -> ReadResult:
    """Read a safety-walk protocol (CSV or the Excel template) into the tidy table.

    ``today`` is for tests of the future-date checks.
    """
    path = Path(path)
    raw, where = read_table(path, required=COLUMNS, sheet=TEMPLATE.sheet)
    problems = RowProblems(where, quarantine)
    raw = scrub_columns(raw, SOURCE)
    for column in ("category", "status", "verified_at_followup"):
        raw[column] = raw[column].where(raw[column].isna(), raw[column].str.lower())

    t = pd.DataFrame(index=raw.index)
    t["walk_id"] = parse_column(raw, "walk_id", "str", problems)
    t["walk_date"] = parse_column(raw, "walk_date", "date", problems)
    check_not_future(t["walk_date"], "walk_date", problems, today=today)
    t["area"] = parse_column(raw, "area", "str", problems)
    t["point_no"] = parse_column(raw, "point_no", "int", problems)
    problems.report(
        t["point_no"].notna() & (t["point_no"] < 1),
        "point_no",
        raw["point_no"],
        "ogiltigt punktnummer",
        "ett heltal från 1",
    )
    key = t["walk_id"].astype(str) + " punkt " + t["point_no"].astype(str)
    check_unique(key.where(t["walk_id"].notna() & t["point_no"].notna()), "point_no", problems)
    _check_same_within_walk(t, "walk_date", problems, raw)
    _check_same_within_walk(t, "area", problems, raw)
    t["place"] = parse_column(raw, "place", "str", problems, required=False)
    lat = parse_column(raw, "lat", "float", problems, required=False)
    lon = parse_column(raw, "lon", "float", problems, required=False)
    problems.report(
        lat.isna() != lon.isna(),
        "lat/lon",
        raw["lat"].astype(str) + ", " + raw["lon"].astype(str),
        "bara en av koordinaterna är ifylld",
        "både lat och lon, eller ingen av dem",
    )
    check_in_sweden(lat, lon, problems)
    t["lat"], t["lon"] = lat, lon
    t["category"] = parse_column(raw, "category", "category", problems, allowed=CATEGORIES)
    t["description"] = parse_column(raw, "description", "str", problems, required=False)
    t["proposed_measure"] = parse_column(raw, "proposed_measure", "str", problems, required=False)
    t["responsible"] = parse_column(raw, "responsible", "str", problems)
    t["priority"] = parse_column(raw, "priority", "int", problems)
    problems.report(
        t["priority"].notna() & ~t["priority"].isin([1, 2, 3]),
        "priority",
        raw["priority"],
        "ogiltig prioritet",
        "1 (hög), 2 (medel) eller 3 (låg)",
    )
    t["deadline"] = parse_column(raw, "deadline", "date", problems, required=False)
    problems.report(
        t["deadline"] < t["walk_date"],
        "deadline",
        raw["deadline"],
        "sista dag ligger före vandringen",
        "ett datum samma dag som walk_date eller senare",
    )
    t["status"] = parse_column(raw, "status", "category", problems, allowed=STATUSES)
    t["completed_date"] = parse_column(raw, "completed_date", "date", problems, required=False)
    problems.report(
        (t["status"] == "åtgärdad") & t["completed_date"].isna(),
        "completed_date",
        raw["completed_date"],
        "datum saknas för en åtgärdad punkt",
        "datum då åtgärden blev klar när status är åtgärdad",
    )
    problems.report(
        t["completed_date"] < t["walk_date"],
        "completed_date",
        raw["completed_date"],
        "åtgärden är klar före vandringen",
        "ett datum samma dag som walk_date eller senare",
    )
    check_not_future(t["completed_date"], "completed_date", problems, today=today)
    t["verified_at_followup"] = parse_column(
        raw, "verified_at_followup", "bool", problems, required=False
    )
    t["followup_walk_id"] = parse_column(raw, "followup_walk_id", "str", problems, required=False)
    problems.report(
        t["verified_at_followup"].notna() & t["followup_walk_id"].isna(),
        "followup_walk_id",
        raw["followup_walk_id"],
        "verifierad vid uppföljning men ingen uppföljande vandring anges",
        "id för den vandring som kontrollerade åtgärden",
    )
    walk_dates = t.dropna(subset=["walk_id", "walk_date"]).groupby("walk_id")["walk_date"].min()
    followup_date = t["followup_walk_id"].map(walk_dates)
    problems.report(
        followup_date.notna() & (followup_date <= t["walk_date"]),
        "followup_walk_id",
        raw["followup_walk_id"],
        "den uppföljande vandringen ligger inte efter vandringen",
        "en senare vandring",
    )
    t["days_to_complete"] = (t["completed_date"] - t["walk_date"]).dt.days.astype("Int64")
    t["origin"] = pd.Series(origin, index=t.index, dtype="string")
    t = t[TIDY_COLUMNS]

    rejected = pd.DataFrame()
    if quarantine:
        t, rejected_typed = problems.split(t)
        if not rejected_typed.empty:
            rejected = raw.loc[sorted(problems.rejected)].reset_index(drop=True)
            rejected.insert(0, "rad", rejected_typed["rad"].to_numpy())
            rejected["orsak"] = rejected_typed["orsak"].to_numpy()
    t = t.reset_index(drop=True)
    check_contract(t, SCHEMA, where)
    return ReadResult(table=t, rejected=rejected, origin=origin)


def _check_same_within_walk(
    t: pd.DataFrame, column: str, problems: RowProblems, raw: pd.DataFrame
) -> None:
    """Every row of a walk must agree with the walk's first row on ``column``."""
    first = t.groupby("walk_id")[column].transform("first")
    differs = t["walk_id"].notna() & t[column].notna() & (t[column] != first)
    problems.report(
        differs,
        column,
        raw[column],
        "vandringens rader har olika värden",
        f"samma {column} på alla rader med samma walk_id",
    )


def overdue(table: pd.DataFrame, as_of: str | pd.Timestamp) -> pd.Series:
    """Observations whose deadline passed before ``as_of`` without a measure.

    Open means status ny or pågår, or åtgärdad only after ``as_of``
    (so a past date gives the picture as it was then, as far as the export
    allows: a status that changed to avslagen later is not known).
    """
    as_of = pd.Timestamp(as_of)
    done_by = (table["status"] == "åtgärdad") & (table["completed_date"] <= as_of)
    rejected = table["status"] == "avslagen"
    late = table["deadline"].notna() & (table["deadline"] < as_of) & (table["walk_date"] <= as_of)
    return (late & ~done_by.fillna(False) & ~rejected.fillna(False)).astype(bool)


# ---------------------------------------------------------------------------
# Example data

#: Snapshot date of the example export: nothing is dated after it.
EXAMPLE_SNAPSHOT = pd.Timestamp("2026-10-31")

#: category -> (weight, [(responsible, weight)], problem texts, measure texts)
_CATALOGUE: dict[str, tuple[float, list[tuple[str, float]], list[str], list[str]]] = {
    "belysning": (
        5,
        [("kommunen/tekniska förvaltningen", 3), ("bostadsbolaget", 1), ("Trafikverket", 0.5)],
        ["Mörk gångväg, flera lampor trasiga.", "Ingen belysning vid cykelparkeringen."],
        ["Byta armaturer och laga trasiga lampor.", "Sätta upp ny belysning."],
    ),
    "vegetation": (
        3,
        [("kommunen/tekniska förvaltningen", 2), ("bostadsbolaget", 2)],
        ["Höga buskar skymmer sikten.", "Träd som skuggar gatubelysningen."],
        ["Gallra buskagen.", "Beskära träden."],
    ),
    "klotter": (
        2,
        [("kommunen/tekniska förvaltningen", 2), ("bostadsbolaget", 1), ("fastighetsägaren", 1)],
        ["Klotter på fasaden.", "Klotter i gångtunneln."],
        ["Sanera klottret inom en vecka.", "Klotterskydda väggen."],
    ),
    "nedskräpning": (
        2,
        [("kommunen/tekniska förvaltningen", 3), ("bostadsbolaget", 1)],
        ["Mycket skräp runt papperskorgarna.", "Glas och fimpar på lekplatsen."],
        ["Tätare tömning.", "Fler papperskorgar."],
    ),
    "skadegörelse": (
        2,
        [("kommunen/tekniska förvaltningen", 2), ("bostadsbolaget", 1), ("polisen", 0.5)],
        ["Sönderslagen busskur.", "Trasiga bänkar."],
        ["Laga och byta till tåligare material.", "Polisen ökar närvaron kvällstid."],
    ),
    "trafik": (
        3,
        [("Trafikverket", 2), ("kommunen/tekniska förvaltningen", 2), ("polisen", 1)],
        ["Höga hastigheter förbi skolan.", "Otydligt övergångsställe."],
        ["Hastighetsdämpande åtgärd.", "Trafikkontroller.", "Måla om övergångsstället."],
    ),
    "personer": (
        2,
        [("polisen", 3), ("kommunen/fritidsförvaltningen", 1)],
        ["Grupper samlas och upplevs som hotfulla.", "Misstänkt narkotikaförsäljning."],
        ["Polisen patrullerar kvällstid.", "Fältassistenter på plats fredagar."],
    ),
    "utformning": (
        2,
        [("kommunen/samhällsbyggnad", 2), ("bostadsbolaget", 1)],
        ["Gångtunnel utan alternativ väg.", "Ödslig plats utan insyn."],
        ["Se över utformningen vid nästa ombyggnad.", "Öppna upp med glas och ljus."],
    ),
}

#: Share of measures that get done at all, by responsible party (guesses for example data).
_DONE_SHARE = {
    "kommunen/tekniska förvaltningen": 0.75,
    "bostadsbolaget": 0.7,
    "fastighetsägaren": 0.5,
    "Trafikverket": 0.4,
    "polisen": 0.65,
    "kommunen/fritidsförvaltningen": 0.6,
    "kommunen/samhällsbyggnad": 0.35,
}

_PLACES = [
    "busshållplatsen",
    "gångtunneln",
    "skolgården",
    "parken",
    "stationen",
    "lekplatsen",
    "centrumtorget",
    "idrottsplatsen",
    "cykelvägen",
    "parkeringen",
]

_PLANTED = [
    " Boende (tel 070-123 45 67) vill bli kontaktad.",
    " Bilen ABC 123 parkerar här varje kväll.",
    " Kontakt: exempel.person@example.se.",
]


def _schedule(config: KommunConfig, rng: np.random.Generator) -> pd.DataFrame:
    """Walks: a spring and an autumn walk each year, in rotating areas, plus a third some years.

    The autumn walk returns to the spring walk's area (the follow-up walk);
    tätorter are walked more often than villages.
    """
    places = example_places(config)
    towns = [p for p in places if p[1] in ("tätort", "stadsdel")] or places
    villages = [p for p in places if p not in towns]
    walks = []
    for year in range(2023, 2027):
        town = towns[(year - 2023) % len(towns)]
        spring = pd.Timestamp(year, 4, 1) + pd.Timedelta(days=int(rng.integers(0, 45)))
        autumn = pd.Timestamp(year, 10, 1) + pd.Timedelta(days=int(rng.integers(0, 30)))
        walks.append((spring, town))
        walks.append((autumn, town))
        if villages and rng.random() < 0.6:
            village = villages[int(rng.integers(0, len(villages)))]
            date = pd.Timestamp(year, 9, 1) + pd.Timedelta(days=int(rng.integers(0, 28)))
            walks.append((date, village))
    walks = [w for w in walks if w[0] <= EXAMPLE_SNAPSHOT]
    walks.sort(key=lambda w: w[0])
    frame = pd.DataFrame(
        {
            "walk_date": [w[0] for w in walks],
            "area": [w[1][0] for w in walks],
            "kind": [w[1][1] for w in walks],
            "lat": [w[1][2] for w in walks],
            "lon": [w[1][3] for w in walks],
        }
    )
    year = frame["walk_date"].dt.year.astype(str)
    frame["walk_id"] = "TV-" + year + "-" + (frame.groupby(year).cumcount() + 1).astype(str)
    # The follow-up of a walk is the next walk in the same area, at least 3 months later.
    followup = []
    for i, row in frame.iterrows():
        later = frame[
            (frame.index > i)
            & (frame["area"] == row["area"])
            & (frame["walk_date"] >= row["walk_date"] + pd.DateOffset(months=3))
        ]
        followup.append(later.iloc[0] if not later.empty else None)
    frame["followup_walk_id"] = [f["walk_id"] if f is not None else "" for f in followup]
    frame["followup_date"] = [f["walk_date"] if f is not None else pd.NaT for f in followup]
    return frame


#: The last kommuner's example rows by (configuration, seed): the dialogues'
#: generator links to the same walk points, so they are drawn once per ingest.
_EXAMPLE_ROWS: dict[tuple[str, int], list[list[str]]] = {}


def _example_rows(config: KommunConfig, seed: int) -> list[list[str]]:
    """The example protocol's rows (a fresh copy: callers may change them)."""
    key = (config.model_dump_json(), seed)
    if key not in _EXAMPLE_ROWS:
        while len(_EXAMPLE_ROWS) >= 4:
            del _EXAMPLE_ROWS[next(iter(_EXAMPLE_ROWS))]
        _EXAMPLE_ROWS[key] = _draw_example_rows(config, seed)
    return [list(row) for row in _EXAMPLE_ROWS[key]]


def _draw_example_rows(config: KommunConfig, seed: int) -> list[list[str]]:
    rng = np.random.default_rng([seed, int(config.code), 2])
    walks = _schedule(config, rng)
    categories = list(_CATALOGUE)
    cat_w = np.array([_CATALOGUE[c][0] for c in categories], float)
    rows: list[list[str]] = []
    for walk in walks.itertuples(index=False):
        n = int(rng.integers(8, 21))
        # The route: a random walk of ~150 m steps from near the centre.
        north = np.cumsum(rng.normal(0, 150, n)) + rng.normal(0, 200)
        east = np.cumsum(rng.normal(0, 150, n)) + rng.normal(0, 200)
        dlat, dlon = metres_to_degrees(walk.lat, north, east)
        for k in range(n):
            cat = categories[rng.choice(len(categories), p=cat_w / cat_w.sum())]
            _, owners, problems, measures = _CATALOGUE[cat]
            ow = np.array([w for _, w in owners])
            responsible = owners[rng.choice(len(owners), p=ow / ow.sum())][0]
            priority = int(rng.choice([1, 2, 3], p=[0.3, 0.45, 0.25]))
            deadline = walk.walk_date + pd.Timedelta(
                days={1: 30, 2: 90, 3: 180}[priority] + int(rng.integers(0, 30))
            )
            description = problems[int(rng.integers(0, len(problems)))] + " (Fiktivt exempel.)"
            if rng.random() < 0.03:
                description += _PLANTED[int(rng.integers(0, len(_PLANTED)))]
            measure = measures[int(rng.integers(0, len(measures)))]
            # Outcome: done (after a delay around the deadline), rejected, or still open.
            u = rng.random()
            delay = pd.Timedelta(
                days=int((deadline - walk.walk_date).days * rng.lognormal(0.0, 0.6))
            )
            completed = walk.walk_date + delay
            if u < 0.07:
                status, completed_s = "avslagen", ""
            elif u < 0.07 + _DONE_SHARE[responsible] and completed <= EXAMPLE_SNAPSHOT:
                status, completed_s = "åtgärdad", completed.date().isoformat()
            else:
                status = "pågår" if rng.random() < 0.6 else "ny"
                completed_s = ""
            verified, followup_id = "", ""
            if walk.followup_walk_id and walk.followup_date <= EXAMPLE_SNAPSHOT:
                followup_id = walk.followup_walk_id
                done_before = status == "åtgärdad" and completed <= walk.followup_date
                verified = "ja" if done_before and rng.random() < 0.85 else "nej"
                if rng.random() < 0.1:  # not every point is checked again
                    verified = ""
            has_point = rng.random() > 0.1
            rows.append(
                [
                    walk.walk_id,
                    walk.walk_date.date().isoformat(),
                    walk.area,
                    str(k + 1),
                    f"{walk.area}, vid {_PLACES[int(rng.integers(0, len(_PLACES)))]}",
                    f"{walk.lat + dlat[k]:.6f}" if has_point else "",
                    f"{walk.lon + dlon[k]:.6f}" if has_point else "",
                    cat,
                    description,
                    measure,
                    responsible,
                    str(priority),
                    deadline.date().isoformat(),
                    status,
                    completed_s,
                    verified,
                    followup_id,
                ]
            )
    return rows


def generate_example(config: KommunConfig, out_dir: Path, seed: int = 0) -> list[Path]:
    """Write a fictional protocol export ``trygghetsvandringar.csv`` (2023 – 2026-10-31)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_example_rows(config, seed))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / RAW_FILES[0]
    target.write_text(out.getvalue(), encoding="utf-8", newline="")
    return [target]


__all__ = [
    "CATEGORIES",
    "COLUMNS",
    "COLUMN_HELP",
    "EXAMPLE_SNAPSHOT",
    "PRIORITY_LABELS",
    "RAW_FILES",
    "SCHEMA",
    "SOURCE",
    "STATUSES",
    "TEMPLATE",
    "TIDY_COLUMNS",
    "generate_example",
    "overdue",
    "read",
]
