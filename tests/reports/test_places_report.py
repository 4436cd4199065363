"""Places report as a whole: pinned change sentences, analyse, headline, narrative, charts."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from matplotlib.figure import Figure
from places_frames import offset, planted_cluster, reports_frame, walks_frame
from shapely.geometry import box

from trygghet.config import load_config
from trygghet.reports.places.analysis import analyse
from trygghet.reports.places.counts import NO_COMPARISON
from trygghet.reports.places.figures import (
    plot_before_after,
    plot_category_change,
    plot_completion,
    plot_monthly_by_category,
)
from trygghet.reports.places.text import change_sentence, headline, narrative
from trygghet.stats.trend import DECREASING, INCREASING, NO_CLEAR_CHANGE, TOO_FEW

# ---------------------------------------------------------------------------
# Pinned change sentences


@pytest.mark.parametrize(
    ("verdict", "count", "prev", "months", "expected"),
    [
        (INCREASING, 657, 583, "",
         "Under 2025 kom 657 anmälningar om otrygga platser in, fler än under 2024 (583). "
         "Ökningen är större än vad slumpen brukar ge."),
        (DECREASING, 400, 583, "jan–okt",
         "Under 2025 kom 400 anmälningar om otrygga platser in, färre än under 2024 (583) "
         "(jan–okt båda åren). Minskningen är större än vad slumpen brukar ge."),
        (NO_CLEAR_CHANGE, 100, 98, "",
         "Under 2025 kom 100 anmälningar om otrygga platser in, mot 98 under 2024: ingen "
         "tydlig förändring, skillnaden ryms inom vad slumpen kan ge."),
        (TOO_FEW, 1, 4, "",
         "Under 2025 kom ett fåtal anmälningar om otrygga platser in, mot ett fåtal under 2024: "
         "för få för att säga om något har förändrats."),
        (TOO_FEW, 5, 4, "",
         "Under 2025 kom 5 anmälningar om otrygga platser in, mot ett fåtal under 2024: för få "
         "för att säga om något har förändrats."),
        (NO_COMPARISON, 12, None, "",
         "Under 2025 kom 12 anmälningar om otrygga platser in; jämförelse med 2024 saknas "
         "eftersom uppgifterna inte går så långt tillbaka."),
    ],
)  # fmt: skip
def test_change_sentence(verdict, count, prev, months, expected):
    assert change_sentence(verdict, count, prev, 2025, months) == expected


# ---------------------------------------------------------------------------
# Whole analysis and charts (smoke)


def test_analyse_and_charts_on_small_data():
    reports = planted_cluster()
    extra = reports_frame(
        [("2024-05-01 20:00", "belysning", *offset(0, 0))] * 20
        + [("2023-05-01 20:00", "belysning", *offset(0, 0))]
    )
    reports = pd.concat([reports, extra], ignore_index=True)
    reports["report_id"] = [f"R{i}" for i in range(len(reports))]
    walks = walks_frame(
        [
            {"status": "åtgärdad", "completed_date": "2025-03-20"},
            {"status": "ny", "responsible": "polisen"},
        ]
    )
    lat1, lon1 = offset(-6000, -6000)
    lat2, lon2 = offset(6000, 6000)
    a = analyse(
        reports, walks, load_config("1863"), 2025,
        boundary=box(lon1, lat1, lon2, lat2), today=pd.Timestamp("2026-01-15"),
    )  # fmt: skip
    assert a.as_of == pd.Timestamp("2025-12-31")
    assert len(a.hot) == 1
    text = narrative(a)
    assert text.count("\n\n") == 3
    # the data ends 1 June 2025: the year is compared jan–maj with jan–maj 2024
    assert headline(a).startswith("Under 2025 kom 80 anmälningar")
    assert "(jan–maj båda åren)" in headline(a)
    for fig in (
        plot_monthly_by_category(a, "Hällefors"),
        plot_category_change(a),
        plot_completion(a),
        plot_before_after(a),
    ):
        assert isinstance(fig, Figure)
