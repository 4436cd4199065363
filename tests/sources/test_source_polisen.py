"""Reader of Polisen's events: shapes, derived columns and bad input."""

import gzip
import json
import re

import pandas as pd
import pytest

from trygghet.errors import DataError
from trygghet.paths import has_shared_data, shared_data_dir
from trygghet.sources import polisen


def event(
    event_id=1,
    when="2025-04-12 14:02:11 +02:00",
    name="12 april 13:29, Rattfylleri, Hällefors",
    summary="En bilist stoppades i Grythyttan.",
    type_="Rattfylleri",
    location="Hällefors",
    gps="59.782972,14.516711",
):
    return {
        "id": event_id,
        "datetime": when,
        "name": name,
        "summary": summary,
        "url": f"/aktuellt/handelser/{event_id}/",
        "type": type_,
        "location": {"name": location, "gps": gps},
    }


TATORTER = pd.DataFrame(
    {
        "tatort": ["Hällefors", "Grythyttan", "Nora", "Smögen, Kungshamn och Väjern"],
        "kommun_code": ["1863", "1863", "1884", "1427"],
        "lan_code": ["18", "18", "18", "14"],
    }
)


def write_jsonl(path, events, gz=False):
    text = "\n".join(json.dumps(e, ensure_ascii=False) for e in events) + "\n"
    if gz:
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def read(tmp_path, events, **kwargs):
    path = write_jsonl(tmp_path / "events.jsonl", events)
    return polisen.read_events(path, tatorter=TATORTER, **kwargs)


def test_columns_and_types(tmp_path):
    df = read(tmp_path, [event()])
    assert list(df.columns) == list(polisen.COLUMNS)
    row = df.iloc[0]
    assert df["event_id"].dtype == "int64"
    assert str(df["published_at"].dt.tz) == "Europe/Stockholm"
    assert row["incident_time"] == pd.Timestamp("2025-04-12 13:29")
    assert df["incident_time"].dt.tz is None
    assert row["location_level"] == "kommun"
    assert row["kommun_code"] == "1863" and row["lan_code"] == "18"
    assert row["kommun_source"] == "plats"
    assert row["coordinate_meaning"] == "kommunens mittpunkt"
    assert row["gps_lat"] == pytest.approx(59.782972)
    assert row["promise_group"] == "trafik"
    assert row["tatort"] == "Grythyttan"
    assert not row["is_summary"]
    assert row["origin"] == "real"


def test_api_array_and_gzip_give_the_same(tmp_path):
    events = [event(1), event(2, name="12 april 13.40, Brand, Hällefors", type_="Brand")]
    array = tmp_path / "window.json"
    array.write_text(json.dumps(events[::-1], indent=1, ensure_ascii=False), encoding="utf-8")
    gz = write_jsonl(tmp_path / "events.jsonl.gz", events, gz=True)
    a = polisen.read_events(array, tatorter=TATORTER)
    b = polisen.read_events(gz, tatorter=TATORTER)
    pd.testing.assert_frame_equal(a, b)
    assert a["incident_time"].iloc[1] == pd.Timestamp("2025-04-12 13:40")


def test_december_title_published_in_january_is_previous_year(tmp_path):
    df = read(
        tmp_path,
        [
            event(
                1, when="2025-01-02 08:00:00 +01:00", name="28 december 14.32, Fylleri/LOB, Nora"
            ),
            event(2, when="2024-12-30 10:00:00 +01:00", name="01 januari 00.30, Brand, Nora"),
            event(3, when="2025-03-01 10:00:00 +01:00", name="Utan tid, Brand, Nora"),
            event(4, when="2025-03-01 10:00:00 +01:00", name="30 februari 10.00, Brand, Nora"),
        ],
    )
    times = df.set_index("event_id")["incident_time"]
    assert times[1] == pd.Timestamp("2024-12-28 14:32")
    assert times[2] == pd.Timestamp("2025-01-01 00:30")
    assert pd.isna(times[3]) and pd.isna(times[4])


def test_lan_level_resolved_from_title_then_text(tmp_path):
    lan = {"location": "Örebro län", "gps": "59.27,15.21"}
    df = read(
        tmp_path,
        [
            event(1, name="12 april 13:29, Stöld, Hällefors", **lan),
            event(
                2,
                name="12 april 13:29, Stöld, Örebro län",
                summary="Inbrott i Nora under natten.",
                **lan,
            ),
            event(
                3,
                name="12 april 13:29, Stöld, Örebro län",
                summary="Bråk i Nora och Lindesberg.",
                **lan,
            ),
            event(
                4,
                name="12 april 13:29, Stöld, Örebro län",
                summary="Lugnt i Örebro län i natt.",
                **lan,
            ),
            event(
                5,
                name="12 april 13:29, Stöld, Örebro län",
                summary="Rapport från Stockholm.",
                **lan,
            ),
            event(
                6,
                name="12 april 13:29, Stöld, Örebro län",
                summary="Natt i polisområde Örebro.",
                **lan,
            ),
            event(
                7,
                name="12 april 13:29, Stöld, Örebro län",
                summary="Noras polis söker vittnen.",
                **lan,
            ),
        ],
    ).set_index("event_id")
    assert df.loc[1, "kommun_code"] == "1863" and df.loc[1, "kommun_source"] == "titel"
    assert df.loc[2, "kommun_code"] == "1884" and df.loc[2, "kommun_source"] == "text"
    for ambiguous in (3, 4, 5, 6):  # two kommuner; the län; another län; a police district
        assert pd.isna(df.loc[ambiguous, "kommun_code"]), ambiguous
        assert pd.isna(df.loc[ambiguous, "kommun_source"])
    assert df.loc[7, "kommun_code"] == "1884"  # genitive
    assert (df["location_level"] == "län").all()
    assert (df["coordinate_meaning"] == "länets mittpunkt").all()
    assert (df["lan_code"] == "18").all()


def test_kommun_names_match_whole_words_only(tmp_path):
    lan = {"location": "Västra Götalands län", "gps": "58.2,12.3"}
    df = read(
        tmp_path,
        [
            event(
                1,
                name="1 maj 10.00, Brand, Västra Götalands län",
                summary="Brand i Alebacken.",
                **lan,
            ),
            event(
                2, name="1 maj 10.00, Brand, Västra Götalands län", summary="Brand i Ale.", **lan
            ),
            event(
                3,
                name="1 maj 10.00, Brand, Västra Götalands län",
                summary="Det var vara och mark.",
                **lan,
            ),
        ],
    ).set_index("event_id")
    assert pd.isna(df.loc[1, "kommun_code"])
    assert df.loc[2, "kommun_code"] == "1440"
    assert pd.isna(df.loc[3, "kommun_code"])


def test_location_name_variants_and_unknown_names(tmp_path):
    with pytest.warns(UserWarning, match="Okända platsnamn"):
        df = read(
            tmp_path,
            [
                event(1, location="Upplands väsby"),
                event(2, location="Dals-ed"),
                event(3, location="Atlantis"),
            ],
        ).set_index("event_id")
    assert df.loc[1, "kommun_code"] == "0114"
    assert df.loc[2, "kommun_code"] == "1438"
    assert pd.isna(df.loc[3, "kommun_code"]) and pd.isna(df.loc[3, "location_level"])


def test_summaries_groups_and_tatort_aliases(tmp_path):
    df = read(
        tmp_path,
        [
            event(
                1,
                type_="Sammanfattning natt",
                name="1 maj 07.00, Sammanfattning natt, Örebro län",
                location="Örebro län",
            ),
            event(2, type_="Narkotikabrott"),
            event(3, type_="Trafikolycka, vilt"),
            event(4, type_="Bråk", summary="Bråk i Hällefors kommun."),
            event(5, location="Sotenäs", summary="Brand i Kungshamn."),
        ],
    ).set_index("event_id")
    assert df.loc[1, "is_summary"] and not df.loc[2, "is_summary"]
    assert df.loc[2, "promise_group"] == "narkotika"
    assert pd.isna(df.loc[3, "promise_group"])  # wildlife collisions deliberately unmapped
    assert df.loc[4, "promise_group"] == "ordning"
    assert pd.isna(df.loc[4, "tatort"])  # "Hällefors kommun" names the kommun
    assert df.loc[5, "tatort"] == "Smögen, Kungshamn och Väjern"


def test_duplicate_ids_keep_latest(tmp_path):
    df = read(
        tmp_path,
        [event(1, summary="gammal"), event(1, when="2025-04-13 09:00:00 +02:00", summary="ny")],
    )
    assert len(df) == 1 and df["summary"].iloc[0] == "ny"


def test_empty_array_gives_empty_typed_frame(tmp_path):
    path = tmp_path / "window.json"
    path.write_text("[]", encoding="utf-8")
    df = polisen.read_events(path, tatorter=TATORTER)
    assert df.empty and list(df.columns) == list(polisen.COLUMNS)


# --- bad input: every message names the file, and the line where there is one


def expect_error(path, *, line=None, column=None):
    with pytest.raises(DataError) as info:
        polisen.read_events(path, tatorter=TATORTER)
    message = str(info.value)
    assert path.name in message
    if line is not None:
        assert f"rad {line}" in message
        assert info.value.row == line
    if column is not None:
        assert f"kolumn '{column}'" in message
    return message


def test_malformed_json_line(tmp_path):
    path = write_jsonl(tmp_path / "events.jsonl", [event(1), event(2)])
    path.write_text(path.read_text() + '{"id": 3, "datetime": \n', encoding="utf-8")
    expect_error(path, line=3)


def test_missing_field(tmp_path):
    bad = event(2)
    del bad["type"]
    expect_error(write_jsonl(tmp_path / "events.jsonl", [event(1), bad]), line=2, column="type")


def test_missing_gps(tmp_path):
    bad = event(2)
    del bad["location"]["gps"]
    expect_error(write_jsonl(tmp_path / "e.jsonl", [event(1), bad]), line=2, column="location.gps")


def test_unparsable_gps(tmp_path):
    expect_error(
        write_jsonl(tmp_path / "e.jsonl", [event(1, gps="norr")]), line=1, column="location.gps"
    )


def test_unparsable_datetime(tmp_path):
    path = write_jsonl(tmp_path / "e.jsonl", [event(1), event(2), event(3, when="igår")])
    message = expect_error(path, line=3, column="datetime")
    assert "igår" in message and "Förväntat" in message


def test_wrong_id_type(tmp_path):
    expect_error(write_jsonl(tmp_path / "e.jsonl", [event("abc")]), line=1, column="id")


def test_not_an_object(tmp_path):
    path = tmp_path / "e.jsonl"
    path.write_text("[1, 2]\n", encoding="utf-8")
    # A JSON-lines file whose first line is an array is read as an API array.
    expect_error(path, line=1)


def test_empty_file(tmp_path):
    path = tmp_path / "events.jsonl"
    path.write_text("\n  \n", encoding="utf-8")
    assert "tom" in expect_error(path)


def test_truncated_gzip(tmp_path):
    path = write_jsonl(tmp_path / "events.jsonl.gz", [event(i) for i in range(1, 200)], gz=True)
    path.write_bytes(path.read_bytes()[:-40])
    assert "gzip" in expect_error(path)


def test_broken_array_names_the_line(tmp_path):
    path = tmp_path / "window.json"
    text = json.dumps([event(1), event(2)], indent=1, ensure_ascii=False)
    text = text.replace('"id": 2,', '"id": 2')  # missing comma inside element 2
    path.write_text(text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if re.search(r'"id": 2$', t))
    message = expect_error(path)
    assert f"rad {line + 1}" in message or f"rad {line}" in message


def test_missing_file(tmp_path):
    expect_error(tmp_path / "finns_inte.jsonl")


# --- the real mirror


real = pytest.mark.skipif(not has_shared_data(), reason="datamappen finns inte")


@pytest.fixture(scope="module")
def archive():
    return polisen.read_events(shared_data_dir() / "polisen" / "events.jsonl.gz")


@real
def test_real_archive(archive):
    assert len(archive) == 85011
    assert archive["event_id"].is_unique
    assert archive["published_at"].notna().all()
    assert archive["incident_time"].notna().all()
    assert (archive["location_level"].notna()).all()  # every location name is known
    assert (archive["location_name"] == "Hällefors").sum() == 42
    kommun_level = archive["location_level"] == "kommun"
    assert archive.loc[kommun_level, "kommun_code"].notna().all()
    assert (archive["location_level"] == "län").sum() == 32002


@real
def test_real_december_titles_published_in_january(archive):
    mask = archive["title"].str.contains(" december ") & (archive["published_at"].dt.month == 1)
    subset = archive[mask]
    assert len(subset) > 0
    assert (subset["incident_time"].dt.year == subset["published_at"].dt.year - 1).all()


@real
def test_real_incident_times_agree_with_mirror_derivation(archive):
    orebro = pd.read_csv(shared_data_dir() / "polisen" / "events_orebro_lan.csv", dtype=str)
    mine = archive.set_index("event_id")["incident_time"]
    theirs = pd.to_datetime(orebro.set_index(orebro["id"].astype("int64"))["event_time_from_name"])
    assert (mine.reindex(theirs.index) == theirs).all()


@real
def test_real_api_window():
    df = polisen.read_events(shared_data_dir() / "polisen" / "api_window_sample.json")
    assert len(df) == 500
    assert df["published_at"].is_monotonic_increasing


# --- events published in the future: a row-level problem


NOW = pd.Timestamp("2025-04-20 12:00", tz="Europe/Stockholm")


def test_event_published_in_the_future_is_a_row_error(tmp_path):
    future = event(3, when="2026-01-01 08:00:00 +01:00", name="1 januari 07:50, Bråk, Hällefors")
    path = write_jsonl(tmp_path / "events.jsonl", [event(1), event(2), future])
    with pytest.raises(DataError) as info:
        polisen.read_events(path, tatorter=TATORTER, now=NOW)
    message = str(info.value)
    assert f"fil {path}" in message and "rad 3" in message and "kolumn 'datetime'" in message
    assert "publiceringstiden ligger i framtiden" in message
    assert "Hittade: '2026-01-01 08:00:00 +01:00'" in message
    assert "Förväntat: en tid som redan har varit (filen lästes 2025-04-20 12:00)" in message


def test_future_events_are_set_aside_with_quarantine(tmp_path):
    events = [
        event(1),
        event(2, when="2025-04-20 12:30:00 +02:00"),  # within the tolerance of a clock
        event(3, when="2025-04-21 09:00:00 +02:00"),
        event(4, when="2030-04-21 09:00:00 +02:00"),
    ]
    path = write_jsonl(tmp_path / "events.jsonl", events)
    result = polisen.read_events_result(path, tatorter=TATORTER, quarantine=True, now=NOW)
    assert result.table["event_id"].tolist() == [1, 2]
    assert result.rejected["rad"].tolist() == [3, 4]
    assert result.rejected["event_id"].tolist() == [3, 4]
    assert all("framtiden" in reason for reason in result.rejected["orsak"])
    assert "2030-04-21 09:00:00 +02:00" in result.rejected["orsak"][1]


def test_an_api_array_rejects_by_the_events_own_line(tmp_path):
    path = tmp_path / "window.json"
    text = json.dumps([event(1), event(2, when="2030-01-01 00:00:00 +01:00")], indent=1)
    path.write_text(text, encoding="utf-8")
    second = next(i for i, t in enumerate(text.splitlines(), 1) if t == " {" and i > 2)
    result = polisen.read_events_result(path, tatorter=TATORTER, quarantine=True, now=NOW)
    assert result.rejected["rad"].tolist() == [second]


def test_example_archive_has_nothing_from_the_future(tmp_path):
    path = polisen.generate_example_archive(["1863"], tmp_path / "e.jsonl.gz", end="2099-12-31")
    events = polisen.read_events(path, find_tatort=False)  # no future event to raise on
    assert events["published_at"].max() <= pd.Timestamp.now(tz="Europe/Stockholm")


def test_a_broken_default_tatort_file_warns_and_the_events_are_read(tmp_path, monkeypatch):
    (tmp_path / "scb").mkdir()
    (tmp_path / "scb" / "tatorter_2020_points.csv").write_bytes(b"")
    monkeypatch.setenv("TRYGGHET_SHARED_DATA", str(tmp_path))
    (tmp_path / "polisen").mkdir()
    path = write_jsonl(tmp_path / "polisen" / "events.jsonl", [event(1)])
    with pytest.warns(UserWarning, match="tätortsfil kan inte läsas.*filen är tom") as caught:
        events = polisen.read_events(path)
    assert len(caught) == 1  # the mirror's file and the events' sibling are the same file
    assert len(events) == 1 and events["tatort"].isna().all()
