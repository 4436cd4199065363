"""Places report: safety-walk measures, completion by the deadline, walk tables and sentences."""

import numpy as np
import pandas as pd
import pytest
from places_frames import walks_frame
from scipy import stats

from trygghet.reports.places.tables import completion_table, followup_table, walk_observations_table
from trygghet.reports.places.text import walks_sentence
from trygghet.reports.places.walks import completion_by


def test_overdue_and_completion_rates_against_hand_wilson():
    walks = walks_frame(
        [
            # done on time
            {"status": "åtgärdad", "completed_date": "2025-03-20"},
            {"status": "åtgärdad", "completed_date": "2025-04-01"},
            # done, but late
            {"status": "åtgärdad", "completed_date": "2025-05-01"},
            # open past the deadline -> overdue
            {"status": "pågår"},
            {"status": "ny"},
            # rejected: not due, not overdue
            {"status": "avslagen"},
            # deadline after as_of: not yet due
            {"status": "ny", "deadline": "2026-02-01"},
            # other responsible party, done on time
            {"status": "åtgärdad", "completed_date": "2025-03-10", "responsible": "polisen"},
        ]
    )
    as_of = pd.Timestamp("2025-12-31")
    overall = completion_by(walks, None, 2025, as_of).iloc[0]
    assert (overall["due"], overall["on_time"], overall["overdue"]) == (6, 3, 2)
    # Wilson by hand: p = 0.5, n = 6, z = 1.959964
    z = stats.norm.ppf(0.975)
    n, p = 6, 0.5
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    assert overall["low"] == pytest.approx(centre - half)
    assert overall["high"] == pytest.approx(centre + half)
    by = completion_by(walks, "responsible", 2025, as_of).set_index("responsible")
    assert by.loc["kommunen", "due"] == 5 and by.loc["kommunen", "on_time"] == 2
    assert by.loc["polisen", "share"] == 1.0
    shown = completion_table(by.reset_index(), min_count=5)
    assert shown.loc["polisen", "andel i tid"] == "för få"
    assert shown.loc["kommunen", "andel i tid"] == "40\u00a0%"


def test_completion_as_of_earlier_date_ignores_later_completion():
    walks = walks_frame([{"status": "åtgärdad", "completed_date": "2025-03-20"}])
    early = completion_by(walks, None, 2025, pd.Timestamp("2025-03-10"))
    assert early.empty  # deadline 1 April not yet passed on 10 March
    walks = walks_frame(
        [{"status": "åtgärdad", "completed_date": "2025-06-20", "deadline": "2025-06-30"}]
    )
    mid = completion_by(walks, None, 2025, pd.Timestamp("2025-06-30")).iloc[0]
    assert mid["on_time"] == 1


def test_walk_observations_table_flags_overdue_and_hides_text_and_positions():
    walks = walks_frame(
        [
            {"status": "ny"},
            {"status": "åtgärdad", "completed_date": "2025-03-20"},
            {
                "walk_id": "TV-2023-1",
                "walk_date": "2023-05-01",
                "deadline": "2023-06-01",
                "status": "åtgärdad",
                "completed_date": "2023-05-20",
            },  # fmt: skip
            {"walk_id": "TV-2023-2", "walk_date": "2023-05-01", "deadline": "2023-06-01"},
        ]
    )
    table = walk_observations_table(walks, 2025, pd.Timestamp("2025-12-31"))
    # the closed 2023 point is left out, the open one is kept
    assert list(table.index) == ["TV-2023-2", "TV-2025-1", "TV-2025-1"]
    assert list(table["försenad"]) == ["ja", "ja", ""]
    assert not {"lat", "lon", "description"} & set(table.columns)
    assert "070" not in table.to_string()


def test_followup_table_counts_verified():
    walks = walks_frame(
        [
            {
                "status": "åtgärdad",
                "completed_date": "2025-03-20",
                "verified_at_followup": True,
                "followup_walk_id": "TV-2025-2",
            },  # fmt: skip
            {
                "status": "åtgärdad",
                "completed_date": "2025-03-20",
                "verified_at_followup": False,
                "followup_walk_id": "TV-2025-2",
            },  # fmt: skip
            {"status": "ny", "verified_at_followup": None, "followup_walk_id": "TV-2025-2"},
            {"walk_id": "TV-2025-2", "walk_date": "2025-10-01", "deadline": "2025-11-01"},
        ]
    )
    table = followup_table(walks, pd.Timestamp("2025-12-31"))
    row = table.iloc[0]
    assert row["punkter"] == "3" and row["kontrollerade"] == "2"
    assert row["bekräftade"] == "1" and row["ej bekräftade"] == "1"
    assert row["klara men ej bekräftade"] == "1"


def test_walks_sentences():
    as_of = pd.Timestamp("2025-12-31")
    assert walks_sentence(20, 15, 3, 2025, as_of) == (
        "Av de 20 åtgärder från trygghetsvandringarna som skulle vara klara under 2025 blev "
        "15 (75\u00a0%) klara i tid. Sammanlagt var 3 åtgärder från vandringarna försenade "
        "den 31 december 2025."
    )
    assert walks_sentence(3, 1, 1, 2025, as_of) == (
        "Bara 3 åtgärder från trygghetsvandringarna hade sista dag under 2025, för få för att "
        "räkna en andel; 1 blev klara i tid. Sammanlagt var 1 åtgärd från vandringarna "
        "försenad den 31 december 2025."
    )
    assert walks_sentence(0, 0, 0, 2025, as_of) == (
        "Inga åtgärder från trygghetsvandringarna hade sista dag under 2025 (fram till "
        "31 december 2025). Ingen åtgärd från vandringarna var försenad den 31 december 2025."
    )
