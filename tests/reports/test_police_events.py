"""Analyses of one kommun's police events: counts, profiles, comparison, narrative."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from matplotlib.figure import Figure

from trygghet.paths import has_shared_data
from trygghet.reports import police_events as pe
from trygghet.sources import police_events as events_source
from trygghet.sources.polisen import PROMISE_GROUPS

COVERAGE = pe.Coverage(start=pd.Timestamp("2023-03-25"), end=pd.Timestamp("2026-08-22"))


def frame(rows, kommun="1863", attrs=True):
    """Events from (incident time, type) pairs; types starting 'Sammanfattning' are summaries."""
    records = []
    for i, (when, type_, *rest) in enumerate(rows, start=1):
        level = rest[0] if rest else "kommun"
        t = pd.Timestamp(when)
        records.append(
            {
                "event_id": i,
                "published_at": (t + pd.Timedelta(minutes=30)).tz_localize("Europe/Stockholm"),
                "incident_time": t,
                "title": f"{t.day} x {t:%H.%M}, {type_}, Hällefors",
                "type": type_,
                "location_level": level,
                "kommun_code": kommun,
                "is_summary": type_.startswith("Sammanfattning"),
                "promise_group": PROMISE_GROUPS.get(type_),
            }
        )
    df = pd.DataFrame(records)
    df["incident_time"] = df["incident_time"].astype("datetime64[ns]")
    if attrs:
        df.attrs["coverage_end"] = "2026-08-22 19:51:41"
    return df


def repeat(year, type_, n, month=5, hour=14):
    return [(f"{year}-{month:02d}-{(i % 28) + 1:02d} {hour:02d}:15", type_) for i in range(n)]


def test_events_for_kommun_and_year():
    df = pd.concat(
        [frame(repeat(2025, "Brand", 3)), frame(repeat(2025, "Brand", 2), kommun="1880")],
        ignore_index=True,
    )
    df.attrs["coverage_end"] = "2026-08-22"
    mine = pe.events_for_kommun(df, "1863")
    assert len(mine) == 3 and mine.attrs["coverage_end"] == "2026-08-22"
    assert len(pe.events_for_kommun(df, "1863", year=2024)) == 0


def test_summaries_are_counted_separately():
    df = frame(repeat(2025, "Brand", 3) + repeat(2025, "Sammanfattning natt", 2))
    assert len(pe.countable(df, 2025)) == 3
    assert pe.summary_count(df, 2025) == 2
    assert pe.promise_group_counts(df, 2025).sum() == 3
    assert pe.monthly_by_type(df, 2025).to_numpy().sum() == 3


def test_monthly_by_type_has_twelve_months_and_zeros():
    df = frame(repeat(2025, "Brand", 2, month=3) + repeat(2025, "Rattfylleri", 5, month=7))
    table = pe.monthly_by_type(df, 2025)
    assert list(table.index) == list(range(1, 13))
    assert list(table.columns) == ["Rattfylleri", "Brand"]  # most common first
    assert table.loc[3, "Brand"] == 2 and table.loc[7, "Rattfylleri"] == 5
    assert table.loc[1].sum() == 0
    assert pe.monthly_by_type(frame(repeat(2024, "Brand", 1)), 2025).shape == (12, 0)
    shown = pe.monthly_table(df, 2025)
    assert list(shown.columns)[:2] == ["jan", "feb"] and shown.loc["Rattfylleri", "totalt"] == 5


def test_promise_group_counts():
    df = frame(
        repeat(2025, "Narkotikabrott", 1)
        + repeat(2025, "Rattfylleri", 2)
        + repeat(2025, "Trafikolycka, vilt", 4)
        + repeat(2025, "Skadegörelse", 3)
    )
    counts = pe.promise_group_counts(df, 2025)
    assert counts.to_dict() == {"narkotika": 1, "trafik": 2, "ordning": 3, "övrigt": 4}


def test_time_of_day_and_weekday_profiles():
    df = frame(
        [
            ("2025-05-05 02:10", "Brand"),
            ("2025-05-05 06:00", "Brand"),
            ("2025-05-10 23:59", "Brand"),
        ]
    )
    parts = pe.time_of_day_profile(df)
    assert parts.to_dict() == {"natt": 1, "förmiddag": 1, "eftermiddag": 0, "kväll": 1}
    hours = pe.time_of_day_profile(df, by="hour")
    assert len(hours) == 24 and hours[23] == 1
    week = pe.weekday_profile(df)
    assert week["måndag"] == 2 and week["lördag"] == 1 and week.sum() == 3


def test_compare_same_months_uses_complete_years_only():
    df = frame(
        repeat(2023, "Brand", 4) + repeat(2024, "Rattfylleri", 6) + repeat(2025, "Rattfylleri", 9)
    )
    table = pe.compare_same_months(df, 2025, COVERAGE)
    assert list(table.index) == [2024, 2025]  # 2023 lacks January–March
    assert table.attrs["months"] == list(range(1, 13))
    assert table.loc[2025, "trafik"] == 9 and table.loc[2024, "alla"] == 6


def test_compare_same_months_partial_year():
    df = frame(repeat(2026, "Brand", 2, month=2) + repeat(2026, "Brand", 5, month=8))
    table = pe.compare_same_months(df, 2026, COVERAGE)
    assert table.attrs["months"] == list(range(1, 8))  # August 2026 is not complete
    assert list(table.index) == [2024, 2025, 2026]
    assert table.loc[2026, "alla"] == 2
    # 2023: only April–December complete, and no earlier year to compare with.
    assert list(pe.compare_same_months(df, 2023, COVERAGE).index) == [2023]


@pytest.mark.parametrize(
    ("current", "earlier", "expected"),
    [
        (5, 4, "för få"),
        (9, 9.5, "för få"),
        (12, 4, "fler"),
        (30, 20, "fler"),
        (24, 20, "ungefär lika"),
        (10, 20, "färre"),
        (100, 80, "fler"),
        (95, 80, "ungefär lika"),
        (12, None, "ingen jämförelse"),
    ],
)
def test_classify_change(current, earlier, expected):
    assert pe.classify_change(current, earlier) == expected


def test_narrative_more_fewer_same_and_too_few():
    df = frame(
        repeat(2024, "Rattfylleri", 20)
        + repeat(2025, "Rattfylleri", 30)
        + repeat(2024, "Skadegörelse", 20)
        + repeat(2025, "Skadegörelse", 10)
        + repeat(2024, "Narkotikabrott", 3)
        + repeat(2025, "Narkotikabrott", 4)
    )
    text = pe.narrative(df, 2025, "Hällefors", COVERAGE)
    assert text.startswith("Under 2025 publicerade polisen 44 händelser om Hällefors kommun.")
    assert (
        "Om trafik publicerades fler händelser än tidigare år (30 under 2025 mot 20 under 2024)"
        in text
    )
    assert "Om ordningsstörningar publicerades färre händelser" in text
    assert "Händelserna om narkotikabrott är för få" in text
    assert "Vanligast var rattfylleri (30), skadegörelse (10) och narkotikabrott (4)." in text
    assert "Flest händelser inträffade på eftermiddagen (kl. 12–18): 100\u00a0%" in text
    assert text.endswith(pe.CAVEAT)
    assert pe.headline(df, 2025, "Hällefors", COVERAGE) == text.split("\n\n")[0]


def test_narrative_about_the_same_and_none():
    df = frame(repeat(2024, "Rattfylleri", 20) + repeat(2025, "Rattfylleri", 22))
    text = pe.narrative(df, 2025, "Hällefors", COVERAGE)
    assert "Om trafik syns ingen tydlig skillnad mot tidigare år" in text
    assert "Inga händelser om narkotikabrott publicerades, varken under 2025 eller 2024." in text


def test_narrative_few_events_no_earlier_years_and_empty():
    df = frame(
        repeat(2024, "Brand", 3)
        + repeat(2024, "Sammanfattning natt", 2, hour=7)
        + [("2024-06-01 12:00", "Brand", "län")]
    )
    text = pe.narrative(df, 2024, "Hällefors", COVERAGE)
    assert "4 händelser" in text
    assert "1 av dem publicerades för hela länet" in text
    assert "2 sammanfattningar" in text
    assert "inga tidigare år" in text
    assert "för få för att visa något mönster" in text
    assert pe.CAVEAT in text
    empty = pe.narrative(df.iloc[0:0], 2025, "Hällefors", COVERAGE)
    assert "0 händelser" in empty and empty.endswith(pe.CAVEAT)


def test_narrative_mentions_partial_year():
    df = frame(repeat(2026, "Brand", 3))
    text = pe.narrative(df, 2026, "Hällefors", COVERAGE)
    assert "till och med 21 augusti 2026" in text
    assert "jan–jul" in text


def test_narrative_never_mentions_rates():
    df = frame(repeat(2024, "Rattfylleri", 20) + repeat(2025, "Rattfylleri", 30))
    text = pe.narrative(df, 2025, "Hällefors", COVERAGE).lower()
    assert "per 100" not in text and "per invånare" in text  # only inside the caveat
    assert "inte brottsstatistik" in text


@pytest.mark.parametrize(
    "name", ["plot_monthly", "plot_by_type", "plot_time_of_day", "plot_weekday"]
)
def test_plots_return_figures(name):
    df = frame(repeat(2025, "Rattfylleri", 5) + repeat(2025, "Brand", 2, hour=22))
    fig = getattr(pe, name)(df, 2025, "Hällefors")
    assert isinstance(fig, Figure)
    # The house style may put titles left (axes.titlelocation): read every position.
    assert any(fig.axes[0].get_title(loc=loc) for loc in ("left", "center", "right"))


@pytest.mark.skipif(not has_shared_data(), reason="datamappen finns inte")
def test_real_hallefors(monkeypatch, tmp_path):
    monkeypatch.setattr(events_source, "processed_path", lambda: tmp_path / "none.parquet")
    df = pe.load_for_report(None, "1863")
    assert (df["location_name"] == "Hällefors").sum() == 42
    assert df.attrs["coverage_end"].startswith("2026-08-22")
    text = pe.narrative(df, 2025)
    assert "Hällefors kommun" in text and text.endswith(pe.CAVEAT)
    table = pe.compare_same_months(df, 2025)
    assert list(table.index) == [2024, 2025]


# --------------------------------------------------------------------------- on the page


def _chart_texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


@pytest.mark.parametrize("origin", ["real", "example"])
def test_tables_and_charts_carry_the_events_origin(origin):
    from trygghet.present import style
    from trygghet.present.tables import EXAMPLE_NOTE, PageTable

    df = frame(repeat(2025, "Brand", 3) + repeat(2025, "Rattfylleri", 2)).assign(origin=origin)
    tables_shown = [pe.monthly_table(df, 2025), pe.same_months_table(df, 2025)]
    for table in tables_shown:
        assert isinstance(table, PageTable)
        assert (EXAMPLE_NOTE in table._repr_html_()) == (origin == "example")
    assert tables_shown[1].attrs["months"] == pe.compare_same_months(df, 2025).attrs["months"]
    for plot in (pe.plot_monthly, pe.plot_by_type, pe.plot_time_of_day, pe.plot_weekday):
        marked = style.EXAMPLE_MARK in _chart_texts(plot(df, 2025, "Hällefors"))
        assert marked == (origin == "example"), plot.__name__


def test_event_type_from_data_is_a_plain_chart_label():
    df = frame(repeat(2025, "Brand $x$ 19800101-1234", 2))
    labels = [t.get_text() for t in pe.plot_by_type(df, 2025).axes[0].get_yticklabels()]
    assert labels and all("19800101-1234" not in t and "$x$" not in t for t in labels)
