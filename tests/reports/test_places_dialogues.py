"""The places report's dialogue section on small hand-made tables (agreed processed format)."""

from __future__ import annotations

import pandas as pd
import pytest
from dialogue_frames import config, decided, dialogues_frame, proposals_frame

from trygghet.reports import places
from trygghet.reports.places import dialogues as dl
from trygghet.reports.places import dialogues_text as dt
from trygghet.sources import processed

TODAY = pd.Timestamp("2026-03-01")
SECRET = "Anna Svensson"


def analysis(dialogues, proposals=None, *, reports=None, min_count=5, dates=None):
    data = places.DialogueData(
        dialogues, proposals, dates if dates is not None else pd.Series(dtype="datetime64[ns]")
    )
    return places.analyse_dialogues(data, config(min_count), 2025, reports=reports, today=TODAY)


def test_areas_without_a_dialogue_with_citizens_are_named():
    d = analysis(
        dialogues_frame(
            [
                {"area": "Centrum"},
                {"area": "hela kommunen", "form": "digital enkät"},
                # Only officials: not a dialogue with citizens, so Byn still had none.
                {"area": "Byn", "invanare": 0, "tjanstepersoner": 6},
                # Last year's dialogue in Skogen does not count for 2025.
                {"area": "Skogen", "date": "2024-05-01"},
            ]
        )
    )
    assert places.areas_without_dialogue(d) == ["Byn", "Skogen"]
    assert places.areas_covered(d) == (1, 3)
    text = dt.areas_sentence(d)
    assert text == (
        "Under 2025 hölls 2 dialoger med medborgare, varav 1 för hela kommunen. "
        "2 av kommunens 3 områden hade ingen: Byn och Skogen."
    )
    table = places.area_counts(d).set_index("area")
    assert table.loc["Byn", "dialogues"] == 0 and table.loc["Byn", "officials_only"] == 1
    assert "ingen dialog" in places.dialogue_area_table(d)._repr_html_()


def test_officials_only_dialogues_are_counted_apart_and_small_groups_are_few():
    d = analysis(
        dialogues_frame(
            [
                {"invanare": 12, "foreningar": 2, "unga": 6},
                {"invanare": 0, "tjanstepersoner": 4},
                {"invanare": 0, "tjanstepersoner": 3},
            ]
        )
    )
    assert d.officials_only == 2
    text = dt.participants_sentence(d)
    assert "2 dialoger hade bara tjänstepersoner" in text
    assert "ett fåtal från föreningar" in text
    assert "Ingen från näringsidkare deltog." in text
    # föreningar (2) is under the rule; unga (6) is hidden with it so that 2 cannot be
    # computed from the citizens' total shown in the area table.
    shown = places.participant_counts(d).set_index("group")
    assert shown.loc["invånare", "participants"] == 12
    html = places.dialogue_participants_table(d)._repr_html_()
    assert "fåtal" in html and ">2<" not in html


def _chain_case():
    dialogues = dialogues_frame(
        [
            {"date": "2025-02-01"},
            {"date": "2025-04-01", "area": "Byn"},
            {"date": "2025-05-01", "invanare": 0},  # officials only: its proposals are left out
        ]
    )
    proposals = proposals_frame(
        [
            decided("D1", deadline="2025-05-01", done="2025-04-20", measure="TV-2025-1/2"),
            decided("D1", deadline="2025-05-01", done="2025-06-01", measure="M2025-01"),
            decided("D2", deadline="2025-09-01"),  # open and late at the year's end
            decided("D2", deadline="2026-06-01"),  # open, deadline ahead: not judged yet
            decided("D2", deadline=None),  # no deadline: cannot be judged
            {"dialogue_id": "D1", "decision": "avslagen", "status": "avslagen"},
            {"dialogue_id": "D2", "decision": "utreds"},
            {
                "dialogue_id": "D3",
                "decision": "beslutad åtgärd",
                "status": "åtgärdad",
                "completed_date": "2025-05-02",
                "deadline": "2025-06-01",
            },  # fmt: skip
        ]
    )
    dates = pd.Series(
        {"TV-2025-1/2": pd.Timestamp("2025-03-03"), "M2025-01": pd.Timestamp("2025-01-28")}
    )
    return dialogues, proposals, dates


def test_chain_counts_shares_and_the_judged_measures():
    dialogues, proposals, dates = _chain_case()
    d = analysis(dialogues, proposals, dates=dates, min_count=3)
    c = places.chain(d).set_index("stage")
    assert c.loc["förslag", "count"] == 7
    assert (c.loc["beslutad åtgärd", "count"], c.loc["beslutad åtgärd", "of"]) == (5, 7)
    assert (c.loc["åtgärdad", "count"], c.loc["åtgärdad", "of"]) == (2, 5)
    # Judged: the two done and the one past its deadline; on time: only the first.
    assert (c.loc["klar i tid", "count"], c.loc["klar i tid", "of"]) == (1, 3)
    row = c.loc["beslutad åtgärd"]
    assert row["low"] < 5 / 7 < row["high"] and row["shown"]
    text = dt.chain_sentence(d)
    assert "5 av de 7 förslagen blev en beslutad åtgärd, 71\u00a0%" in text
    assert "1 beslutad åtgärd saknar sista dag." in text


def test_shares_are_not_said_under_min_count():
    dialogues, proposals, dates = _chain_case()
    d = analysis(dialogues, proposals, dates=dates, min_count=5)
    text = dt.chain_sentence(d)
    assert "1 av de 3 åtgärder som kunde bedömas blev klara senast sista dagen (för få" in text
    assert "%" not in text.split("blev klara senast")[1]
    table = places.dialogue_chain_table(d)._repr_html_()
    assert "för få" in table


def test_days_to_decision_uses_linked_measures_and_the_small_number_rule():
    dialogues, proposals, dates = _chain_case()
    d = analysis(dialogues, proposals, dates=dates, min_count=5)
    # Walk 30 days after the dialogue; the EST measure 4 days before it counts as day 0.
    assert sorted(places.days_to_decision(d)) == [0.0, 30.0]
    text = dt.decision_time_sentence(d)
    assert text.startswith("Bara 2 beslutade åtgärder kan dateras: för få")
    assert "3 beslutade åtgärder saknar länk" in text
    many = dialogues_frame([{"date": "2025-02-01"}])
    props = proposals_frame([decided("D1", measure=f"M{i}") for i in range(5)])
    when = pd.Series({f"M{i}": pd.Timestamp("2025-02-01") + pd.Timedelta(days=10 * i)
                      for i in range(5)})  # fmt: skip
    d = analysis(many, props, dates=when)
    assert dt.decision_time_sentence(d) == (
        "Från dialog till beslutad åtgärd tog det i mitten (median) 20 dagar (n = 5)."
    )


def test_measure_dates_from_walks_and_est():
    walks = pd.DataFrame(
        {
            "walk_id": ["TV-2025-1"],
            "point_no": pd.array([3], dtype="Int64"),
            "walk_date": [pd.Timestamp("2025-03-01")],
        }  # fmt: skip
    )
    est = pd.DataFrame({"measure_id": ["M1"], "decided_week_start": [pd.Timestamp("2025-05-05")]})
    dates = dl.measure_dates(walks, est)
    assert dates["TV-2025-1/3"] == pd.Timestamp("2025-03-01")
    assert dates["M1"] == pd.Timestamp("2025-05-05")


def test_themes_against_residents_reports_name_the_disagreement():
    dialogues = dialogues_frame(
        [
            {"themes": "klotter|narkotika"},
            {"themes": "klotter"},
            {"themes": "trafik"},
        ]
    )
    reports = pd.DataFrame({"category": ["belysning"] * 30 + ["trafik"] * 10 + ["klotter"]})
    d = analysis(dialogues, proposals_frame([]), reports=reports)
    t = places.theme_counts(d).set_index("theme")
    assert t.loc["klotter", "note"] == dl.RAISED_FEW_REPORTS
    assert t.loc["belysning", "note"] == dl.REPORTED_NOT_RAISED
    assert t.loc["trafik", "note"] == ""
    assert pd.isna(t.loc["narkotika", "reports"]) and t.loc["narkotika", "note"] == dl.NO_CATEGORY
    assert dt.themes_sentence(d) == (
        "Klotter togs upp i många dialoger men har få anmälningar från invånarna; belysning "
        "har många anmälningar men togs aldrig upp i någon dialog."
    )
    html = places.dialogue_theme_table(d)._repr_html_()
    assert "fåtal" in html  # one klotter report


def test_missing_tables_say_how_to_add_dialogues(monkeypatch):
    def missing(kommun, table):
        raise processed.MissingTableError(table)

    monkeypatch.setattr(processed, "load_table", missing)
    data = places.load_dialogues("1863")
    assert not data.available and data.origin == "saknas"
    assert "trygghet mallar" in places.dialogue_coverage_text(data)
    d = places.analyse_dialogues(data, config(), 2025, today=TODAY)
    text = places.dialogue_text(d)
    assert "Inga medborgardialoger är registrerade" in text
    assert "docs/data/dialogues.md" in text
    for table in (places.dialogue_area_table(d), places.dialogue_chain_table(d),
                  places.dialogue_participants_table(d), places.dialogue_theme_table(d)):  # fmt: skip
        table._repr_html_()
    places.plot_dialogue_chain(d)
    places.plot_dialogues_by_area(d)


def test_no_proposal_text_or_responsible_person_reaches_the_page():
    dialogues, proposals, dates = _chain_case()
    proposals["responsible"] = SECRET
    d = analysis(dialogues, proposals, dates=dates, min_count=3)
    html = "".join(
        t._repr_html_()
        for t in (places.dialogue_area_table(d), places.dialogue_chain_table(d),
                  places.dialogue_participants_table(d), places.dialogue_theme_table(d))
    )  # fmt: skip
    assert SECRET not in html and "070" not in html
    assert SECRET not in places.dialogue_text(d)


@pytest.mark.parametrize("plot", [places.plot_dialogue_chain, places.plot_dialogues_by_area])
def test_charts_are_marked_as_example_data(plot):
    dialogues, proposals, dates = _chain_case()
    fig = plot(analysis(dialogues, proposals, dates=dates, min_count=3))
    assert any(t.get_gid() == "trygghet-example-mark" for t in fig.texts)


def test_dialogue_text_has_the_four_parts():
    dialogues, proposals, dates = _chain_case()
    text = places.dialogue_text(analysis(dialogues, proposals, dates=dates, min_count=3))
    assert text.startswith("Under 2025 hölls 2 dialoger med medborgare.")
    assert "1 dialog hade bara tjänstepersoner" in text
    assert "Dialogerna gav 7 förslag." in text


def test_chain_per_area_and_per_responsible_party():
    dialogues, proposals, dates = _chain_case()
    proposals.loc[0, "responsible"] = SECRET  # a person: shown as "annan ansvarig"
    d = analysis(dialogues, proposals, dates=dates, min_count=3)
    by_area = places.chain_by(d, "area").set_index("area")
    assert by_area.loc["Centrum", "proposals"] == 3 and by_area.loc["Byn", "proposals"] == 4
    assert by_area.loc["Byn", "decided_share"] == pytest.approx(3 / 4)
    by_resp = places.chain_by(d, "responsible").set_index("responsible")
    assert set(by_resp.index) == {"annan ansvarig", "kommunen"}
    assert by_resp["proposals"].sum() == 5  # only the decided proposals
    html = places.dialogue_chain_by_table(d, "responsible")._repr_html_()
    assert SECRET not in html and "annan ansvarig" in html
    assert "för få" in places.dialogue_chain_by_table(d, "area")._repr_html_()
