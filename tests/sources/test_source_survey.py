"""The survey reader: example round trip, Excel, and every kind of broken file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from csv_cells import edit_cell as _edit
from csv_cells import lines_of as _lines

from trygghet.config import load_config
from trygghet.errors import DataError
from trygghet.sources import survey


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("survey")
    (path,) = survey.generate_example(load_config("1863"), out)
    return path


@pytest.fixture(scope="module")
def table(example: Path) -> pd.DataFrame:
    return survey.read(example, origin="example").table


def _small(example: Path, tmp_path: Path, rows: int = 20) -> Path:
    """The header and the first ``rows`` respondents of the example."""
    target = tmp_path / "trygghetsundersokning.csv"
    target.write_text("\n".join(_lines(example)[: rows + 1]) + "\n", encoding="utf-8")
    return target


def _raises(path: Path, *parts: str, **kwargs: object) -> DataError:
    with pytest.raises(DataError) as info:
        survey.read(path, **kwargs)
    message = str(info.value)
    assert str(path) in message
    for part in parts:
        assert part in message, message
    return info.value


# --------------------------------------------------------------------------- round trip


def test_example_round_trip(example: Path, table: pd.DataFrame) -> None:
    raw = pd.read_csv(example, sep=";", dtype=str)
    assert len(table) == len(raw) * len(survey.QUESTIONS)
    assert set(table["round"]) == {2023, 2025}
    assert raw.groupby("round").size().min() >= 300 and raw.groupby("round").size().max() <= 400
    assert (table["origin"] == "example").all()
    assert set(table["area"]) <= {a.name for a in load_config("1863").areas}
    survey.SCHEMA.validate(table)


def test_generation_is_deterministic(example: Path, tmp_path: Path) -> None:
    (again,) = survey.generate_example(load_config("1863"), tmp_path)
    assert again.read_bytes() == example.read_bytes()
    (other,) = survey.generate_example(load_config("1863"), tmp_path / "b", seed=1)
    assert other.read_bytes() != example.read_bytes()


def test_any_kommun(tmp_path: Path) -> None:
    (path,) = survey.generate_example(load_config("1864"), tmp_path)
    table = survey.read(path, areas=["Kopparberg", "Ställdalen"]).table
    assert set(table["area"]) == {"Kopparberg", "Ställdalen"}


def test_dont_know_and_missing_are_distinct(table: pd.DataFrame) -> None:
    assert table["is_dont_know"].any() and table["is_missing"].any()
    assert not (table["is_dont_know"] & table["is_missing"]).any()
    assert table.loc[table["is_dont_know"], "answer"].eq("Vet ej").all()
    assert table.loc[table["is_missing"], "answer"].isna().all()
    no_code = table["is_dont_know"] | table["is_missing"]
    assert table.loc[no_code, "answer_code"].isna().all()
    assert table.loc[no_code, "in_headline"].isna().all()
    # q15 has no "vet ej" alternative.
    assert not table.loc[table["question_id"] == "q15", "is_dont_know"].any()


def test_codes_and_headline_follow_the_questionnaire(table: pd.DataFrame) -> None:
    q14 = table[table["question_id"] == "q14"]
    codes = q14.dropna(subset=["answer_code"]).groupby("answer")["answer_code"].first()
    assert codes["Mycket trygg"] == 1 and codes["Mycket otrygg"] == 4
    assert codes["Går inte ut på grund av otrygghet"] == 5
    other = q14[q14["answer"] == "Går inte ut av andra skäl"]
    assert len(other) and other["answer_code"].isna().all()
    assert (~other["in_headline"].astype(bool)).all()
    headline = q14[q14["in_headline"].fillna(False).astype(bool)]["answer"].unique()
    assert set(headline) == set(survey.QUESTION_BY_ID["q14"].headline)
    assert len(survey.questions_table()) == len(survey.QUESTIONS)
    assert 15 <= len(survey.QUESTIONS) <= 20


def test_example_patterns(table: pd.DataFrame) -> None:
    q14 = table[(table["question_id"] == "q14") & table["in_headline"].notna()]
    share = q14.groupby("sex")["in_headline"].mean()
    assert share["kvinna"] > share["man"]
    by_age = q14.groupby("age_group")["in_headline"].mean()
    assert by_age["65–85"] > by_age["16–24"]
    # Older people are over-represented, so their weights are below 1.
    weights = table.groupby("age_group")["weight"].mean()
    assert weights["65–85"] < 1 < weights["16–24"]


def test_excel_is_read_like_csv(example: Path, tmp_path: Path, table: pd.DataFrame) -> None:
    raw = pd.read_csv(example, sep=";", dtype=str, keep_default_na=False).head(25)
    raw["round"] = raw["round"].astype(int)  # Excel stores numbers as numbers
    raw["weight"] = raw["weight"].str.replace(",", ".").astype(float)
    raw = raw.replace({"": None})
    xlsx = tmp_path / "trygghetsundersokning.xlsx"
    raw.to_excel(xlsx, index=False)
    got = survey.read(xlsx).table
    expected = table.head(25 * len(survey.QUESTIONS)).drop(columns="origin")
    pd.testing.assert_frame_equal(
        got.drop(columns="origin"), expected.reset_index(drop=True), check_exact=False
    )


def test_unweighted_round_is_allowed(example: Path, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    lines = _lines(path)
    header = lines[0].split(";")
    w = header.index("weight")
    rows = [line.split(";") for line in lines[1:]]
    for row in rows:
        row[w] = ""
    path.write_text("\n".join([lines[0], *(";".join(r) for r in rows)]) + "\n", encoding="utf-8")
    assert survey.read(path).table["weight"].isna().all()


def test_answers_are_matched_ignoring_case(example: Path, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 3, "q01", "  mycket STORT problem ")
    table = survey.read(path).table
    assert table.iloc[len(survey.QUESTIONS)]["answer"] == "Mycket stort problem"


# --------------------------------------------------------------------------- broken files


def test_wrong_encoding(example: Path, tmp_path: Path) -> None:
    path = tmp_path / "trygghetsundersokning.csv"
    path.write_bytes(_small(example, tmp_path).read_text("utf-8").encode("cp1252"))
    _raises(path, "teckenkodning", "rad")


def test_wrong_separator(example: Path, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    path.write_text(path.read_text("utf-8").replace(";", ","), encoding="utf-8")
    _raises(path, "avgränsare", "rad 1")


def test_missing_column(example: Path, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False).drop(columns="sex")
    frame.to_csv(path, sep=";", index=False)
    _raises(path, "kolumner saknas", "sex", "rad 1")


def test_renamed_column(example: Path, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    path.write_text(path.read_text("utf-8").replace("age_group", "age_grp", 1), encoding="utf-8")
    _raises(path, "age_group", "age_grp", "rad 1")


def test_unknown_question_column(example: Path, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    path.write_text(path.read_text("utf-8").replace(";q18", ";q19", 1), encoding="utf-8")
    _raises(path, "okända frågekolumner", "q19", "rad 1")


def test_unparsable_number(example: Path, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 5, "weight", "ett komma två")
    _raises(path, "rad 5", "kolumn 'weight'", "ogiltigt tal")


def test_unparsable_round(example: Path, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 4, "round", "hösten 2023")
    _raises(path, "rad 4", "kolumn 'round'", "ogiltigt tal")


def test_round_in_the_future(example: Path, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 6, "round", "2099")
    _raises(path, "rad 6", "kolumn 'round'", "2099")


def test_unknown_answer(example: Path, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 7, "q14", "Trygg ibland")
    _raises(path, "rad 7", "kolumn 'q14'", "okänt svar", "Mycket trygg")


def test_unknown_category(example: Path, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 8, "age_group", "85+")
    _raises(path, "rad 8", "kolumn 'age_group'", "okänd kategori")


def test_unknown_area_when_areas_given(example: Path, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 3, "area", "Hällefor")
    areas = [a.name for a in load_config("1863").areas]
    _raises(path, "rad 3", "kolumn 'area'", "okänt område", "Hällefor", areas=areas)


def test_weights_missing_in_a_weighted_round(example: Path, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 9, "weight", "")
    _raises(path, "rad 9", "kolumn 'weight'", "vikt saknas")


def test_duplicate_respondent(example: Path, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    first_id = _lines(path)[1].split(";")[0]
    _edit(path, 10, "respondent_id", first_id)
    _raises(path, "rad 10", "kolumn 'respondent_id'", "mer än en gång")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "trygghetsundersokning.csv"
    path.write_text("", encoding="utf-8")
    _raises(path, "tom")


def test_truncated_file(example: Path, tmp_path: Path) -> None:
    path = _small(example, tmp_path)
    text = path.read_text("utf-8")
    path.write_text(text[: len(text) - 200], encoding="utf-8")
    _raises(path, "fel antal fält", "rad 21")


def test_quarantine_keeps_good_rows(example: Path, tmp_path: Path) -> None:
    path = _edit(_small(example, tmp_path), 5, "weight", "x")
    _edit(path, 7, "q14", "Trygg ibland")
    result = survey.read(path, quarantine=True)
    assert result.table["respondent_id"].nunique() == 18
    assert list(result.rejected["rad"]) == [5, 7]
    assert "weight" in result.rejected["orsak"].iloc[0]
    assert "q14" in result.rejected["orsak"].iloc[1]
    assert result.rejected.loc[1, "q14"] == "Trygg ibland"
