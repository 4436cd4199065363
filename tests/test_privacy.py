"""Scrubbing of personal data from free text: planted values go, ordinary text stays."""

from __future__ import annotations

import pandas as pd
import pytest

from trygghet.privacy import contains_personal_data, scrub_text

PLANTED = [
    ("Han heter 19800101-1234 enligt grannen", "[personnummer]"),
    ("pnr 800101-1234", "[personnummer]"),
    ("pnr 800101+1234 (över 100 år)", "[personnummer]"),
    ("pnr 198001011234", "[personnummer]"),
    ("pnr 8001011234", "[personnummer]"),
    ("samordningsnummer 800161-1234", "[personnummer]"),
    ("samordningsnummer 19800191-1234", "[personnummer]"),
    ("född 20050314-1234", "[personnummer]"),
    ("ring mig på 070-123 45 67", "[telefon]"),
    ("ring mig på 0701234567", "[telefon]"),
    ("ring mig på 073-1234567", "[telefon]"),
    ("ring mig på +46 70 123 45 67", "[telefon]"),
    ("ring mig på +46701234567", "[telefon]"),
    ("ring mig på +46 (0)70-123 45 67", "[telefon]"),
    ("ring mig på 0046 8 123 456 78", "[telefon]"),
    ("ring mig på 08-123 456 78", "[telefon]"),
    ("ring mig på (08) 123 456 78", "[telefon]"),
    ("ring mig på 0591-123 45", "[telefon]"),
    ("mejla anna.svensson@example.se", "[e-post]"),
    ("mejla k-g_nilsson+trygg@kommun.example.org", "[e-post]"),
    ("bilen ABC 123 står där varje kväll", "[regnr]"),
    ("bilen ABC123 står där", "[regnr]"),
    ("bilen ABC-123 står där", "[regnr]"),
    ("bilen DEF 12A står där", "[regnr]"),
    ("bilen ghj123 står där", "[regnr]"),
]


@pytest.mark.parametrize(("text", "token"), PLANTED)
def test_planted_values_are_replaced(text: str, token: str) -> None:
    out = scrub_text(pd.Series([text]))[0]
    assert token in out
    # Nothing of the planted number is left: no run of 4+ digits after the token.
    assert not any(ch.isdigit() for ch in out.split(token, 1)[1][:3])
    assert not contains_personal_data(pd.Series([out]))[0]


NON_EXAMPLES = [
    "Det hände 2025-03-14 kl. 22:30 vid Storgatan 12.",
    "Ungefär 15 personer samlades, 3 bilar stod på parkeringen sedan 2019.",
    "Belysningen har varit trasig sedan 14/3, 2 av 10 lampor lyser.",
    "Öppet 08-17 alla dagar, 08.00-17.00 på helger.",
    "Ärende 2025-001234, dnr KS 2024/123.",
    "Det var mörkt den 05-12-2024 runt kl 17.30.",
    "Med 200 personer och för 100 kr kommer man långt.",
    "Åren 2023 2024 2025 ökade det, och 2023-2024 var värst.",
    "Lampa nr 123456 vid Skolgatan 4B är trasig.",
    "Postnummer 712 31 Hällefors, Järnvägsgatan 7.",
    "EST 2025 och BRÅ 2024 behandlade frågan kl 1930-2130.",
    "Mellan 20250101 och 20250301 kom 45 anmälningar.",
    "Koordinat 59.782972, 14.516711 vid stationen.",
]


@pytest.mark.parametrize("text", NON_EXAMPLES)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert scrub_text(pd.Series([text]))[0] == text
    assert not contains_personal_data(pd.Series([text]))[0]


def test_several_kinds_in_one_text_and_missing_values() -> None:
    texts = pd.Series(
        ["Ring 070-123 45 67 eller mejla a@b.se, bil ABC 123, pnr 19800101-1234", None, ""],
        index=[10, 11, 12],
        name="description",
    )
    out = scrub_text(texts)
    assert out[10] == "Ring [telefon] eller mejla [e-post], bil [regnr], pnr [personnummer]"
    assert pd.isna(out[11])
    assert out[12] == ""
    assert list(out.index) == [10, 11, 12]
    assert out.name == "description"


def test_vectorised_on_many_rows_is_fast() -> None:
    texts = pd.Series(["Ring 0701234567 om ABC 123 vid Storgatan 12 kl 22:30"] * 20_000)
    out = scrub_text(texts)
    assert (out == "Ring [telefon] om [regnr] vid Storgatan 12 kl 22:30").all()
