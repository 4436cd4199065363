"""The Hobit reader: real export formats, coordinates, privacy, bad input, example data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer

from trygghet.config import kommun_boundaries, load_config
from trygghet.errors import DataError
from trygghet.pipeline.ingest import LOCAL_SOURCES
from trygghet.sources import hobit

SALT = "test-salt"
KOMMUN = "1863"
TODAY = pd.Timestamp("2026-11-30")

#: Hällefors centre (WGS 84) and its SWEREF 99 TM position computed independently.
CENTRE_LAT, CENTRE_LON = 59.7830, 14.5167
_E, _N = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True).transform(
    CENTRE_LON, CENTRE_LAT
)
N0, E0 = round(_N, 1), round(_E, 1)

needs_boundary = pytest.mark.skipif(
    kommun_boundaries()[0] is None, reason="SCB's kommun boundaries are not here"
)

STANDARD = ";".join(hobit.STANDARD_HEADER)


def _csv(tmp_path: Path, header: str, *rows: str, name: str = "hobit_2025.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _row(
    case: str = "5000-K123456-25",
    code: str = "1203",
    label: str = "Skadegörelse genom klotter",
    start: str = "2025-03-14 22:00",
    end: str = "",
    north: str | float = N0,
    east: str | float = E0,
    kind: str = "koordinat",
    place: str = "Storgatan 12, Hällefors",
) -> str:
    return ";".join(str(v) for v in (case, code, label, start, end, north, east, kind, place))


def _read(path: Path, **kwargs: object) -> pd.DataFrame:
    kwargs.setdefault("today", TODAY)
    return hobit.read(path, kommun=KOMMUN, salt=SALT, **kwargs).table


def _raises(path: Path, *parts: str, **kwargs: object) -> str:
    with pytest.raises(DataError) as info:
        _read(path, **kwargs)
    message = str(info.value)
    assert str(path) in message
    for part in parts:
        assert part in message, message
    return message


# --------------------------------------------------------------------------- coordinates


def test_known_point_round_trip_within_a_metre() -> None:
    # Hällefors centre lies near N 6 630 000, E 473 000 in SWEREF 99 TM.
    assert 6_620_000 < N0 < 6_640_000 and 460_000 < E0 < 480_000
    lat, lon = hobit.sweref_to_wgs84(np.array([N0]), np.array([E0]))
    assert abs(lat[0] - CENTRE_LAT) < 1e-5 and abs(lon[0] - CENTRE_LON) < 1e-5
    north, east = hobit.wgs84_to_sweref(lat, lon)
    assert np.hypot(north[0] - N0, east[0] - E0) < 1.0
    # The order matters: lat is about 59.8, lon about 14.5 (always_xy done right).
    assert 59 < lat[0] < 60 and 14 < lon[0] < 15


def test_sweref_row_becomes_wgs84(tmp_path: Path) -> None:
    table = _read(_csv(tmp_path, STANDARD, _row()))
    assert abs(table.loc[0, "lat"] - CENTRE_LAT) < 1e-5
    assert abs(table.loc[0, "lon"] - CENTRE_LON) < 1e-5
    assert table.loc[0, "position_source"] == "koordinat"


def test_x_y_swedish_convention_and_wgs84_give_the_same_point(tmp_path: Path) -> None:
    xy = _csv(
        tmp_path, "Ärendenummer;Brottskod;Brott;Datum;X;Y", f"A-1;1203;Klotter;2025-03-14;{N0};{E0}"
    )
    table = _read(xy)
    assert abs(table.loc[0, "lat"] - CENTRE_LAT) < 1e-5
    wgs = _csv(
        tmp_path,
        "Ärendenummer;Brottskod;Brott;Datum;Lat;Lon",
        f"A-1;1203;Klotter;2025-03-14;{CENTRE_LAT};{CENTRE_LON}".replace(".", ",", 0),
        name="hobit_wgs.csv",
    )
    other = _read(wgs)
    assert other.loc[0, "lat"] == pytest.approx(CENTRE_LAT)
    assert other.loc[0, "lon"] == pytest.approx(CENTRE_LON)


def test_both_systems_consistent_is_accepted_and_inconsistent_refused(tmp_path: Path) -> None:
    header = "Ärendenummer;Brottskod;Brott;Datum;Nordkoordinat;Östkoordinat;Lat;Lon"
    good = _csv(tmp_path, header, f"A-1;1203;Klotter;2025-03-14;{N0};{E0};59,7830;14,5167")
    assert _read(good).loc[0, "lat"] == pytest.approx(CENTRE_LAT, abs=1e-5)
    bad = _csv(
        tmp_path,
        header,
        f"A-1;1203;Klotter;2025-03-14;{N0};{E0};59,7830;14,5167",
        f"A-2;1203;Klotter;2025-03-14;{N0 + 400};{E0};59,7830;14,5167",
        name="hobit_bad.csv",
    )
    _raises(bad, "rad 3", "båda koordinatsystemen", "Nordkoordinat/Östkoordinat", "m isär")


def test_decimal_comma_and_spaces_in_coordinates(tmp_path: Path) -> None:
    north = f"{N0:,.1f}".replace(",", " ").replace(".", ",")
    table = _read(_csv(tmp_path, STANDARD, _row(north=north)))
    assert abs(table.loc[0, "lat"] - CENTRE_LAT) < 1e-5


# --------------------------------------------------------------------------- formats


def test_standard_csv_gives_the_contract_and_no_case_number(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        STANDARD,
        _row(),
        _row(case="5000-K123456-25", code="0421", label="Olaga hot"),  # a second crime
        _row(
            case="5000-K7-24",
            code="5012",
            label="Narkotikabrott, eget bruk",
            north="",
            east="",
            kind="saknas",
        ),
    )
    table = _read(path)
    hobit.SCHEMA.validate(table)
    assert list(table.columns) == hobit.TIDY_COLUMNS
    assert str(table["start"].dtype) == "datetime64[ns]"
    assert str(table["end"].dtype) == "datetime64[ns]"
    assert table["time_exact"].dtype == bool
    assert str(table["lat"].dtype) == "float64"
    assert list(table["category"]) == ["skadegörelse", "övrigt", "narkotika"]
    assert list(table["position_source"]) == ["koordinat", "koordinat", "saknas"]
    assert table.loc[0, "case_key"] == table.loc[1, "case_key"]  # one case, two crimes
    assert (table["kommun_code"] == KOMMUN).all()
    text = table.astype(str).to_csv()
    assert "K123456" not in text and "K7-24" not in text
    assert "Storgatan 12" not in text  # the place is scrubbed
    again = _read(path)
    assert list(again["case_key"]) == list(table["case_key"])  # stable with one salt
    other = hobit.read(path, kommun=KOMMUN, salt="another", today=TODAY).table
    assert other.loc[0, "case_key"] != table.loc[0, "case_key"]


def _workbook(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Utdrag"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_excel_export_with_typed_cells(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "hobit_2025.xlsx",
        ["Händelsenummer", "Brottskod", "Brottsbenämning", "Datum", "Klockslag",
         "Nordkoordinat", "Östkoordinat", "Positionstyp", "Adress"],
        [
            ["5000-K1-25", 857, "Stöld ur eller från motordrivet fordon",
             dt.datetime(2025, 3, 14), dt.time(22, 30), N0, E0, "Adresspunkt", "Storgatan 1"],
            ["5000-K2-25", 9335, "Misshandel, ej grov, utomhus",
             dt.datetime(2025, 3, 15), None, None, None, None, None],
        ],
    )  # fmt: skip
    table = _read(path)
    assert list(table["crime_code"]) == ["0857", "9335"]  # the leading zero is back
    assert table.loc[0, "start"] == pd.Timestamp("2025-03-14 22:30")
    assert bool(table.loc[0, "time_exact"]) and pd.isna(table.loc[0, "end"])
    assert table.loc[0, "position_source"] == "adresspunkt"
    # A day without a time of day is a window over the whole day.
    assert table.loc[1, "start"] == pd.Timestamp("2025-03-15 00:00")
    assert table.loc[1, "end"] == pd.Timestamp("2025-03-15 23:59")
    assert not table.loc[1, "time_exact"] and table.loc[1, "position_source"] == "saknas"
    assert abs(table.loc[0, "lat"] - CENTRE_LAT) < 1e-5


VARIANTS = {
    "standard": (
        STANDARD,
        f"5000-K1-25;1203;Klotter;2025-03-14 22:00;2025-03-15 02:00;{N0};{E0};koordinat;Torget",
    ),
    "datum+klockslag+X/Y": (
        "Händelsenummer;Kod;Brott;Datum;Klockslag;Till klockslag;X;Y;Lägestyp;Plats",
        f"5000-K1-25;1203;Klotter;2025-03-14;22.00;02:00;{N0};{E0};exakt;Torget",
    ),
    "tid as one window": (
        "Ärende;Brottskod;Rubricering;Tid;Lat;Lon;Adress",
        "5000-K1-25;1203;Klotter;2025-03-14 22:00–2025-03-15 02:00;59.783;14.5167;Torget",
    ),
    "tid end clock only": (
        "Diarienummer;Brottskod;Benämning;Brottstid;SWEREF99 N;SWEREF99 E",
        f"5000-K1-25;1203;Klotter;2025-03-14 22:00-02:00;{N0};{E0}",
    ),
    "från/till datum and klockslag": (
        "ärendenummer;BROTTSKOD;Brottsbenämning;Från datum;Från klockslag;Till datum;"
        "Till klockslag;Northing;Easting",
        f"5000-K1-25;1203;Klotter;2025-03-14;22:00;2025-03-15;02:00;{N0};{E0}",
    ),
    "tid beside datum, words as separator": (
        "Ärendenummer;Brottskod;Brottsbenämning;Datum;Tid;Till;Nordkoordinat;Östkoordinat",
        f"5000-K1-25;1203;Klotter;2025-03-14;22:00;2025-03-15 02:00;{N0};{E0}",
    ),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_header_variant_reads_the_same(variant: str, tmp_path: Path) -> None:
    header, row = VARIANTS[variant]
    table = _read(_csv(tmp_path, header, row))
    assert table.loc[0, "start"] == pd.Timestamp("2025-03-14 22:00")
    assert table.loc[0, "end"] == pd.Timestamp("2025-03-15 02:00")
    assert not table.loc[0, "time_exact"]
    assert table.loc[0, "category"] == "skadegörelse"
    assert table.loc[0, "lat"] == pytest.approx(CENTRE_LAT, abs=1e-4)
    assert table.loc[0, "position_source"] == "koordinat"


@pytest.mark.parametrize(
    ("cell", "start", "end", "exact"),
    [
        ("2025-03-14 22:00", "2025-03-14 22:00", None, True),
        ("2025-03-14T22:00:00", "2025-03-14 22:00", None, True),
        ("2025-03-14 22:00 - 2025-03-15 02:00", "2025-03-14 22:00", "2025-03-15 02:00", False),
        ("2025-03-14 22:00 till 2025-03-15 02:00", "2025-03-14 22:00", "2025-03-15 02:00", False),
        ("2025-03-14 08:00–16:00", "2025-03-14 08:00", "2025-03-14 16:00", False),
        ("2025-03-14 22:00–2025-03-14 22:00", "2025-03-14 22:00", None, True),
        ("2025-03-14", "2025-03-14 00:00", "2025-03-14 23:59", False),
        ("2025-03-14–2025-03-16", "2025-03-14 00:00", "2025-03-16 23:59", False),
    ],
)
def test_time_forms(cell: str, start: str, end: str | None, exact: bool, tmp_path: Path) -> None:
    table = _read(_csv(tmp_path, "Ärendenummer;Brottskod;Brott;Tid", f"A-1;1203;Klotter;{cell}"))
    assert table.loc[0, "start"] == pd.Timestamp(start)
    assert (pd.isna(table.loc[0, "end"]) and end is None) or table.loc[0, "end"] == pd.Timestamp(
        end
    )
    assert bool(table.loc[0, "time_exact"]) is exact


def test_no_position_columns_at_all(tmp_path: Path) -> None:
    table = _read(
        _csv(tmp_path, "Ärendenummer;Brottskod;Brott;Datum", "A-1;1203;Klotter;2025-03-14")
    )
    assert table["lat"].isna().all() and (table["position_source"] == "saknas").all()


def test_extra_columns_are_ignored_and_never_stored(tmp_path: Path) -> None:
    path = _csv(tmp_path, STANDARD + ";Målsägande", _row() + ";Anna Svensson")
    table = _read(path)
    assert "Anna" not in table.astype(str).to_csv()


# --------------------------------------------------------------------------- categories


@pytest.mark.parametrize(
    ("code", "label", "category"),
    [
        ("3007", "Rattfylleri under påverkan av narkotika", "trafik"),
        ("5012", "Narkotikabrott, eget bruk", "narkotika"),
        ("1601", "Våldsamt upplopp", "ordningsstörning"),
        ("7550", "Brott mot ordningslagen", "ordningsstörning"),
        ("1203", "Skadegörelse genom klotter", "skadegörelse"),
        ("9335", "Misshandel, ej grov, utomhus", "våld"),
        ("0857", "Stöld ur eller från motordrivet fordon", "övrigt"),  # "från" is not "rån"
        ("9623", "Våldtäkt", "övrigt"),  # sexual offences never get a layer
        ("1299", "Okänd rubrik", "skadegörelse"),  # the code range when the label says nothing
        ("9399", "", "våld"),
        ("4054", "Synnerligen grov smuggling", "narkotika"),
        ("0903", "Bedrägeri", "övrigt"),
    ],
)
def test_category_mapping(code: str, label: str, category: str) -> None:
    assert hobit.categorise(code, label) == category


def test_categories_are_the_agreed_ones() -> None:
    assert hobit.HOBIT_CATEGORIES == [
        "narkotika", "trafik", "ordningsstörning", "skadegörelse", "våld", "övrigt"
    ]  # fmt: skip
    assert {c for c, _ in hobit.LABEL_RULES} | {c for c, _, _ in hobit.CODE_RULES} <= set(
        hobit.PROMISE_CATEGORIES
    )


# --------------------------------------------------------------------------- bad input

BAD_ROWS = {
    "bad date": (_row(start="2025-13-01 22:00"), "Från", "ogiltig tidpunkt"),
    "bad clock": (_row(start="2025-03-01 25:00"), "Från", "ogiltig tidpunkt"),
    "blank start": (_row(start=""), "Från", "tidpunkt saknas"),
    "end before start": (_row(end="2025-03-14 20:00"), "Till", "sluttiden ligger före"),
    "future": (_row(start="2027-01-01 10:00"), "Från", "framtiden"),
    "blank code": (_row(code=""), "Brottskod", "värde saknas"),
    "bad code": (_row(code="12A"), "Brottskod", "ogiltig brottskod"),
    "blank label": (_row(label=""), "Brottsbenämning", "värde saknas"),
    "blank case": (_row(case=""), "Ärendenummer", "värde saknas"),
    "bad case": (_row(case="K 12 34"), "Ärendenummer", "ogiltigt ärendenummer"),
    "not a number": (_row(north="sex miljoner"), "Nordkoordinat", "ogiltigt tal"),
    "half a coordinate": (_row(east=""), "Nordkoordinat/Östkoordinat", "bara ena halvan"),
    "outside sweden": (_row(north=5_000_000), "Nordkoordinat/Östkoordinat", "utanför Sverige"),
    "swapped": (_row(north=E0, east=N0), "Nordkoordinat/Östkoordinat", "omkastade"),
    "rt90": (_row(north=6_630_000, east=1_440_000), "Nordkoordinat/Östkoordinat", "RT 90"),
    "unknown position type": (_row(kind="ungefär"), "Lägestyp", "okänd lägestyp"),
    "type without position": (_row(north="", east="", kind="adresspunkt"), "Lägestyp", "saknas"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_bad_rows_name_row_column_found_expected(case: str, tmp_path: Path) -> None:
    row, column, phrase = BAD_ROWS[case]
    path = _csv(tmp_path, STANDARD, _row(case="A-1"), row)
    message = _raises(path, "rad 3", f"kolumn '{column}'", phrase, "Förväntat")
    assert ("Hittade" in message) != case.startswith("blank")  # nothing found to show


def test_personnummer_as_case_number_is_refused_and_hidden(tmp_path: Path) -> None:
    path = _csv(tmp_path, STANDARD, _row(case="19800101-1234"))
    message = _raises(path, "rad 2", "personnummer")
    assert "19800101" not in message


def test_duplicate_case_and_code(tmp_path: Path) -> None:
    path = _csv(tmp_path, STANDARD, _row(), _row(start="2025-03-15 01:00"))
    message = _raises(path, "rad 3", "kolumn 'Ärendenummer'", "två rader")
    assert "K123456" not in message  # the key is shown, not the number


@needs_boundary
def test_position_outside_the_kommun(tmp_path: Path) -> None:
    # Stockholm's centre, in SWEREF 99 TM.
    path = _csv(tmp_path, STANDARD, _row(case="A-1"), _row(north=6_580_800, east=674_000))
    _raises(path, "rad 3", "utanför Hällefors kommun", "km utanför", "SCB:s kommungränser")


@needs_boundary
def test_wgs84_outside_the_kommun(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "Ärendenummer;Brottskod;Brott;Datum;Lat;Lon",
        "A-1;1203;Klotter;2025-03-14;59.33;18.07",
    )
    _raises(path, "rad 2", "kolumn 'Lat/Lon'", "utanför Hällefors kommun")


def test_wgs84_swapped_and_outside(tmp_path: Path) -> None:
    header = "Ärendenummer;Brottskod;Brott;Datum;Lat;Lon"
    swapped = _csv(tmp_path, header, "A-1;1203;Klotter;2025-03-14;14.52;59.78")
    _raises(swapped, "rad 2", "omkastade")
    outside = _csv(tmp_path, header, "A-1;1203;Klotter;2025-03-14;48.85;2.35", name="hobit_x.csv")
    _raises(outside, "rad 2", "utanför Sverige (WGS 84)")


def test_x_y_in_gis_order_gets_the_swedish_hint(tmp_path: Path) -> None:
    path = _csv(
        tmp_path, "Ärendenummer;Brottskod;Brott;Datum;X;Y", f"A-1;1203;Klotter;2025-03-14;{E0};{N0}"
    )
    _raises(path, "omkastade", "X den nordliga")


@pytest.mark.parametrize(
    ("header", "phrase"),
    [
        ("Brottskod;Brott;Datum", "ärende- eller händelsenummer"),
        ("Ärendenummer;Brott;Datum", "brottskod"),
        ("Ärendenummer;Brottskod;Datum", "brottsbenämning"),
        ("Ärendenummer;Brottskod;Brott", "tidpunkt"),
        ("Ärendenummer;Brottskod;Brott;Datum;Nordkoordinat", "andra halvan"),
    ],
)
def test_missing_columns_list_the_accepted_headers(
    header: str, phrase: str, tmp_path: Path
) -> None:
    row = ";".join(["x"] * (header.count(";") + 1))
    _raises(_csv(tmp_path, header, row), "rad 1", phrase)


def test_wrong_separator(tmp_path: Path) -> None:
    path = _csv(tmp_path, STANDARD.replace(";", ","), _row().replace(";", ","))
    _raises(path, "fel avgränsare", "','")


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (b"", "filen är tom"),
        (b"\n\n", "filen är tom"),
        (b"PK\x03\x04garbage", "Excel-arbetsbok"),
        (bytes(range(256)) * 10, "binär"),
    ],
)
def test_empty_and_binary_files(content: bytes, phrase: str, tmp_path: Path) -> None:
    path = tmp_path / "hobit_2025.csv"
    path.write_bytes(content)
    _raises(path, phrase)


def test_truncated_csv(tmp_path: Path) -> None:
    path = _csv(tmp_path, STANDARD, _row(case="A-1"), _row(case="A-2")[:30])
    _raises(path, "rad 3", "fel antal fält", "avkortad")


def test_truncated_workbook(tmp_path: Path) -> None:
    good = _workbook(tmp_path / "hobit_full.xlsx", ["Ärendenummer"], [["A-1"]])
    path = tmp_path / "hobit_2025.xlsx"
    path.write_bytes(good.read_bytes()[:200])
    _raises(path, "kan inte läsas som en Excel-arbetsbok")


def test_cp1252_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "hobit_2025.csv"
    path.write_bytes(("\n".join([STANDARD, _row()]) + "\n").encode("cp1252"))
    _raises(path, "teckenkodning", "UTF-8")


def test_quarantine_sets_bad_rows_aside_without_the_number(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        STANDARD,
        _row(case="5000-K1-25"),
        _row(case="5000-K2-25", code="12A"),
        _row(case="5000-K3-25", north=5_000_000),
    )
    result = hobit.read(path, kommun=KOMMUN, salt=SALT, quarantine=True, today=TODAY)
    assert len(result.table) == 1
    assert list(result.rejected["rad"]) == [3, 4]
    assert "ogiltig brottskod" in result.rejected.loc[0, "orsak"]
    shown = result.rejected.astype(str).to_csv()
    assert "K2-25" not in shown and "K3-25" not in shown
    assert result.rejected.loc[0, "Ärendenummer"].startswith("P-")


# --------------------------------------------------------------------------- folders


def test_folder_of_overlapping_extracts(tmp_path: Path) -> None:
    _csv(tmp_path, STANDARD, _row(case="A-1"), _row(case="A-2"), name="hobit_2025.csv")
    _csv(tmp_path, STANDARD, _row(case="A-2"), _row(case="A-3"), name="hobit_2025_dec.csv")
    _csv(tmp_path, "annat;format", "1;2", name="orosanmalningar.csv")  # not ours
    table = hobit.read_folder(tmp_path, kommun=KOMMUN, salt=SALT, today=TODAY).table
    assert len(table) == 3 and table["case_key"].is_unique


def test_folder_with_conflicting_extracts(tmp_path: Path) -> None:
    _csv(tmp_path, STANDARD, _row(case="A-1"), name="hobit_a.csv")
    _csv(tmp_path, STANDARD, _row(case="A-1", start="2025-03-15 10:00"), name="hobit_b.csv")
    with pytest.raises(DataError, match="två utdrag med olika uppgifter") as info:
        hobit.read_folder(tmp_path, kommun=KOMMUN, salt=SALT, today=TODAY)
    assert "hobit_a.csv och hobit_b.csv" in str(info.value)


def test_folder_with_csv_and_excel_twins_and_none(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="inga Hobit-utdrag"):
        hobit.read_folder(tmp_path, kommun=KOMMUN)
    _csv(tmp_path, STANDARD, _row(), name="hobit_2025.csv")
    _workbook(tmp_path / "hobit_2025.xlsx", hobit.STANDARD_HEADER, [])
    with pytest.raises(DataError, match="både hobit_2025.csv och hobit_2025.xlsx"):
        hobit.read_folder(tmp_path, kommun=KOMMUN)


def test_unknown_kommun_is_a_programming_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        hobit.read(_csv(tmp_path, STANDARD, _row()), kommun="9999")


def test_ingest_registers_the_source() -> None:
    (source,) = [s for s in LOCAL_SOURCES if s.table == "hobit"]
    assert source.folder and source.kommun and source.period_column == "start"


# --------------------------------------------------------------------------- example data


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hobit")
    hobit.generate_example(load_config(KOMMUN), folder, seed=7)
    return folder


@pytest.fixture(scope="module")
def example_table(example: Path) -> pd.DataFrame:
    return hobit.read_folder(example, kommun=KOMMUN, origin="example", salt=SALT).table


def test_example_is_deterministic(example: Path, tmp_path: Path) -> None:
    again = hobit.generate_example(load_config(KOMMUN), tmp_path / "a", seed=7)
    assert [p.name for p in again] == [f"hobit_{y}.csv" for y in range(2022, 2027)]
    for path in again:
        assert path.read_bytes() == (example / path.name).read_bytes()
    other = hobit.generate_example(load_config(KOMMUN), tmp_path / "b", seed=8)
    assert other[0].read_bytes() != again[0].read_bytes()


def test_example_is_in_the_standard_raw_format(example: Path) -> None:
    first = (example / "hobit_2024.csv").read_text(encoding="utf-8").splitlines()
    assert first[0] == STANDARD
    raw = pd.read_csv(example / "hobit_2024.csv", sep=";", dtype=str)
    north = pd.to_numeric(raw["Nordkoordinat"]).dropna()
    assert north.between(*hobit.SWEREF_N).all()  # SWEREF 99 TM, not degrees
    assert raw["Ärendenummer"].str.fullmatch(r"5000-K\d+-24").all()


def test_example_reads_and_looks_like_a_small_kommun(example_table: pd.DataFrame) -> None:
    t = example_table
    hobit.SCHEMA.validate(t)
    assert (t["origin"] == "example").all()
    per_year = t.groupby(t["start"].dt.year).size()
    assert list(per_year.index) == [2022, 2023, 2024, 2025, 2026]
    assert per_year.loc[2022:2025].between(250, 1500).all()
    assert t["start"].max() <= hobit.EXAMPLE_SNAPSHOT
    missing = (t["position_source"] == "saknas").mean()
    assert 0.02 < missing < 0.10
    assert (t["position_source"] == "adresspunkt").mean() > 0.1
    assert 0.05 < (~t["time_exact"]).mean() < 0.4
    assert set(t["category"]) == set(hobit.HOBIT_CATEGORIES)
    assert not t["case_key"].is_unique  # some cases hold two crimes


def test_example_promise_crimes_in_the_evening_at_weekends_in_few_places(
    example_table: pd.DataFrame,
) -> None:
    t = example_table
    promise = t["category"].isin(hobit.PROMISE_CATEGORIES)
    hour = t["start"].dt.hour
    evening = (hour >= 18) | (hour < 4)
    assert evening[promise].mean() > evening[~promise].mean() + 0.3
    weekend = t["start"].dt.dayofweek >= 4
    assert weekend[promise].mean() > weekend[~promise].mean()
    # Concentration: the busiest 200 m squares hold a larger share of promise crimes.
    north, east = hobit.wgs84_to_sweref(t["lat"].fillna(0), t["lon"].fillna(0))
    cell = pd.Series((north // 200).astype(int) * 10_000 + (east // 200).astype(int))

    def top_share(mask: pd.Series) -> float:
        counts = cell[mask & t["lat"].notna()].value_counts()
        return counts.head(5).sum() / counts.sum()

    assert top_share(promise) > top_share(~promise)


# --------------------------------------------------------------------------- one pass over a folder


def _file_by_file(folder: Path, **kwargs: object) -> pd.DataFrame:
    """The folder's table computed independently: each file read on its own, then combined."""
    files = sorted(folder.glob("hobit*.csv"))
    parts = [hobit.read(f, kommun=KOMMUN, salt=SALT, **kwargs).table for f in files]
    table = pd.concat(parts, ignore_index=True).drop_duplicates(hobit.TIDY_COLUMNS)
    return table.sort_values("start", kind="stable").reset_index(drop=True)


def _spy_clean(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record whether each folder read took the one-pass path."""
    taken: list[bool] = []
    real = hobit._read_clean

    def spy(*args: object, **kwargs: object) -> pd.DataFrame | None:
        result = real(*args, **kwargs)
        taken.append(result is not None)
        return result

    monkeypatch.setattr(hobit, "_read_clean", spy)
    return taken


def test_a_folder_read_in_one_pass_equals_reading_file_by_file(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = _spy_clean(monkeypatch)
    together = hobit.read_folder(example, kommun=KOMMUN, salt=SALT, origin="example").table
    assert taken == [True]  # the example's extracts share their headers: one pass
    expected = _file_by_file(example, origin="example")
    pd.testing.assert_frame_equal(together, expected, check_exact=True)


def test_one_pass_looks_for_a_repeated_crime_within_each_file_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = _spy_clean(monkeypatch)
    _csv(tmp_path, STANDARD, _row(case="A-1"), _row(case="A-2"), name="hobit_2025.csv")
    _csv(tmp_path, STANDARD, _row(case="A-2"), _row(case="A-3"), name="hobit_2025_dec.csv")
    table = hobit.read_folder(tmp_path, kommun=KOMMUN, salt=SALT, today=TODAY).table
    assert taken == [True] and len(table) == 3  # A-2 in both extracts is one crime, not an error
    pd.testing.assert_frame_equal(table, _file_by_file(tmp_path, today=TODAY), check_exact=True)


def test_an_error_in_a_later_file_names_that_file_and_its_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = _spy_clean(monkeypatch)
    _csv(tmp_path, STANDARD, _row(case="A-1"), _row(case="A-2"), name="hobit_2024.csv")
    bad = _csv(tmp_path, STANDARD, _row(case="B-1"), _row(case="B-2", code="12A"))
    with pytest.raises(DataError) as info:
        hobit.read_folder(tmp_path, kommun=KOMMUN, salt=SALT, today=TODAY)
    assert taken == [False]  # the problem sends the read file by file
    message = str(info.value)
    assert str(bad) in message and "rad 3" in message and "ogiltig brottskod" in message
    assert "hobit_2024.csv" not in message


def test_quarantine_in_a_folder_names_the_file_of_each_rejected_row(tmp_path: Path) -> None:
    _csv(tmp_path, STANDARD, _row(case="A-1"), _row(case="A-2"), name="hobit_2024.csv")
    _csv(tmp_path, STANDARD, _row(case="B-1"), _row(case="B-2", north=5_000_000))
    result = hobit.read_folder(tmp_path, kommun=KOMMUN, salt=SALT, today=TODAY, quarantine=True)
    assert len(result.table) == 3
    assert result.rejected[["fil", "rad"]].values.tolist() == [["hobit_2025.csv", 3]]


def test_extracts_with_different_headers_are_read_file_by_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = _spy_clean(monkeypatch)
    _csv(tmp_path, STANDARD, _row(case="A-1"), name="hobit_2024.csv")
    variant = STANDARD.replace("Ärendenummer", "Händelsenummer")
    _csv(tmp_path, variant, _row(case="B-1", start="2025-04-01 10:00"), name="hobit_2025.csv")
    table = hobit.read_folder(tmp_path, kommun=KOMMUN, salt=SALT, today=TODAY).table
    assert taken == [False] and len(table) == 2
    pd.testing.assert_frame_equal(table, _file_by_file(tmp_path, today=TODAY), check_exact=True)


def test_crimes_are_picked_as_numpy_choice_picks_them_row_by_row() -> None:
    categories = np.array(list(hobit._CATALOGUE))
    category = np.random.default_rng(5).choice(categories, size=3000)
    codes, labels = hobit._pick_crimes(np.random.default_rng(11), category)
    rng = np.random.default_rng(11)
    expected = []
    for c in category:
        options = hobit._CATALOGUE[c]
        w = np.array([o[2] for o in options])
        expected.append(options[rng.choice(len(options), p=w / w.sum())][:2])
    assert list(zip(codes, labels, strict=True)) == expected
