"""Who answered, compared with the kommun's own age and sex structure from SCB (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from test_survey import make_survey, person

from trygghet.config import load_config
from trygghet.reports import survey as sa
from trygghet.sources import processed, scb_age_sex, survey


def population_table(origin: str = "real", years=(2023, 2024)) -> pd.DataFrame:
    """Kommun 1863: per year, sex and age 16–85 a count; shares by hand below.

    Women 2 per age, men 1 per age, except ages 65–85 with 5 per age for both
    (older than the country); ages 0–15 and 86+ are outside the survey.
    """
    rows = []
    for year in years:
        for age in range(0, 101):
            for sex, base in (("kvinna", 2), ("man", 1)):
                count = 5 if 65 <= age <= 85 else base
                rows.append((year, sex, age, count + (year - 2023)))
    frame = pd.DataFrame(rows, columns=["year", "sex", "age", "population"])
    return frame.assign(kommun_code="1863", origin=origin)


def hand_shares(table: pd.DataFrame, year: int) -> dict[str, float]:
    part = table[(table["year"] == year) & table["age"].between(16, 85)]
    total = part["population"].sum()
    groups = {"16–24": (16, 24), "25–44": (25, 44), "45–64": (45, 64), "65–85": (65, 85)}
    return {
        g: part.loc[part["age"].between(*r), "population"].sum() / total for g, r in groups.items()
    }


@pytest.fixture
def tables(monkeypatch: pytest.MonkeyPatch) -> dict[str, pd.DataFrame]:
    """Processed tables served from memory; a missing one raises as load_table does."""
    store: dict[str, pd.DataFrame] = {}

    def load_table(kommun: str, table: str) -> pd.DataFrame:
        if table not in store:
            raise processed.MissingTableError(f"Tabellen '{table}' för kommun {kommun} finns inte")
        return store[table]

    monkeypatch.setattr(processed, "load_table", load_table)
    return store


def sample() -> pd.DataFrame:
    people = [person(f"O{i}", {"q16": "Nej"}, age="65–85", sex="kvinna") for i in range(60)]
    people += [person(f"Y{i}", {"q16": "Nej"}, age="25–44", sex="man") for i in range(40)]
    return make_survey(people)


def test_the_kommuns_own_structure_is_used_and_named(tables) -> None:
    tables["population_age_sex"] = population_table()
    pop = sa.population_structure("1863", 2024, "Hällefors")
    assert pop.own and pop.year == 2024 and pop.note == ""
    assert pop.shares["age_group"] == pytest.approx(hand_shares(tables["population_age_sex"], 2024))
    assert "Hällefors" in pop.label and "31 december 2024" in pop.label and "SCB" in pop.label
    assert "EXEMPELDATA" not in pop.label
    comp = sa.sample_composition(sample(), 2025, population=pop)
    rows = comp.table.set_index("group")
    assert rows.loc["65–85", "population_share"] == pytest.approx(pop.shares["age_group"]["65–85"])
    assert comp.own_structure
    sentence = sa.composition_sentence(comp)
    assert f"Jämförelsen görs mot {pop.label}." in sentence
    assert "hela Sverige" not in sentence
    caption = sa.composition_caption(comp, 2025)
    assert pop.label in caption and "hela Sverige" not in caption


def test_the_round_takes_the_nearest_earlier_year_and_says_so(tables) -> None:
    tables["population_age_sex"] = population_table(years=(2022, 2023, 2024))
    pop = sa.population_structure("1863", 2025, "Hällefors")
    assert pop.year == 2024 and "närmaste år med siffror för omgången 2025" in pop.label
    assert sa.population_structure("1863", 2023, "Hällefors").year == 2023
    assert sa.population_structure("1863", 2019, "Hällefors").year == 2022  # none earlier


def test_example_population_is_labelled_example_on_the_page(tables) -> None:
    tables["population_age_sex"] = population_table(origin="example")
    pop = sa.population_structure("1863", 2024, "Hällefors")
    assert "EXEMPELDATA" in pop.label and pop.origin == "example"
    survey_real = sample().assign(origin="real")
    comp = sa.sample_composition(survey_real, 2025, population=pop)
    assert comp.table.attrs["origin"] == "blandat"  # the table is marked as (partly) example


def test_without_the_table_the_page_says_plainly_what_is_used_instead(tables) -> None:
    pop = sa.population_structure("1863", 2025, "Hällefors")
    assert not pop.own and pop.shares == sa.APPROX_SWEDEN_STRUCTURE
    assert "Hällefors finns inte i data" in pop.note and "hela Sverige" in pop.note
    comp = sa.sample_composition(sample(), 2025, population=pop)
    sentence = sa.composition_sentence(comp)
    assert "inte kommunens egen" in sentence and pop.note in sentence
    caption = sa.composition_caption(comp, 2025)
    assert "hela Sverige" in caption and pop.note in caption


def test_another_kommuns_rows_do_not_count(tables) -> None:
    tables["population_age_sex"] = population_table().assign(kommun_code="1864")
    assert not sa.population_structure("1863", 2024, "Hällefors").own


def test_example_survey_weights_reproduce_the_example_population(tmp_path: Path) -> None:
    # The example survey is post-stratified on the kommun's own example population,
    # so its weighted age and sex shares match the structure the page compares with.
    config = load_config("1863")
    (raw,) = survey.generate_example(config, tmp_path)
    (pop_raw,) = scb_age_sex.generate_example(config, tmp_path)
    table = survey.read(raw, origin="example").table
    population = scb_age_sex.read(pop_raw, kommun="1863", origin="example").table
    shares = scb_age_sex.age_sex_shares(population, 2024, sa.sample.AGE_RANGES)
    comp = sa.sample_composition(table, 2025, shares, "exempelbefolkningen")
    rows = comp.table[comp.table["in_structure"]].set_index(["dimension", "group"])
    for (dim, group), row in rows.iterrows():
        assert row["weighted_share"] == pytest.approx(shares[dim][group], abs=0.012), (dim, group)
