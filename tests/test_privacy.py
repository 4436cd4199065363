"""Scrubbing of personal data from free text: planted values go, ordinary text stays."""

from __future__ import annotations

import pandas as pd
import pytest

from trygghet.privacy import contains_personal_data, scrub_text, scrub_value

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
    ("det är mörkt vid Storgatan 12 på kvällen", "[adress]"),
    ("porten på Kungsvägen 3B är trasig", "[adress]"),
    ("porten på Kungsvägen 3 B är trasig", "[adress]"),
    ("klotter vid Lilla Torget 4 igen", "[adress]"),
    ("jag bor på Björkstigen 7 lgh 1102", "[adress]"),
    ("jag bor på Björkstigen 7, lgh 1102", "[adress]"),
    ("jag bor på storgatan 12 sedan länge", "[adress]"),
    ("vid Skolgatan 10-12 samlas de", "[adress]"),
    ("vid Olof Palmes gata 5 samlas de", "[adress]"),
    ("vid Drottning Kristinas väg 12 samlas de", "[adress]"),
    ("vid Norra Allén 3 samlas de", "[adress]"),
    ("vid Kyrkbacken 2 samlas de", "[adress]"),
    ("vid Karlaplan 3 samlas de", "[adress]"),
    ("vid Järnvägsgränd 1 samlas de", "[adress]"),
    ("vid Hamnleden 8 samlas de", "[adress]"),
    ("vid Stationsplatsen 1 samlas de", "[adress]"),
    ("vid Kvarnstigen 4 samlas de", "[adress]"),
    ("vid Stortorget 2 samlas de", "[adress]"),
    ("vid Kungsgata 2 samlas de", "[adress]"),
    ("vid Sankt Eriksgatan 5 samlas de", "[adress]"),
    ("postnummer 712 34 i brevet", "[postnummer]"),
    ("postnummer SE-712 34 i brevet", "[postnummer]"),
    ("postnummer SE-71234 i brevet", "[postnummer]"),
    ("postnummer S-712 34 i brevet", "[postnummer]"),
    ("skickas till 71234 Hällefors", "[postnummer]"),
]


@pytest.mark.parametrize(("text", "token"), PLANTED)
def test_planted_values_are_replaced(text: str, token: str) -> None:
    out = scrub_text(pd.Series([text]))[0]
    assert token in out
    # Nothing of the planted number is left: no run of 4+ digits after the token.
    assert not any(ch.isdigit() for ch in out.split(token, 1)[1][:3])
    assert not contains_personal_data(pd.Series([out]))[0]


NON_EXAMPLES = [
    "Det hände 2025-03-14 kl. 22:30 vid Storgatan.",
    "Ungefär 15 personer samlades, 3 bilar stod på parkeringen sedan 2019.",
    "Belysningen har varit trasig sedan 14/3, 2 av 10 lampor lyser.",
    "Öppet 08-17 alla dagar, 08.00-17.00 på helger.",
    "Ärende 2025-001234, dnr KS 2024/123.",
    "Det var mörkt den 05-12-2024 runt kl 17.30.",
    "Med 200 personer och för 100 kr kommer man långt.",
    "Åren 2023 2024 2025 ökade det, och 2023-2024 var värst.",
    "Lampa nr 123456 vid Skolgatan är trasig.",
    "Postnumret ligger i Hällefors, vid Järnvägsgatan.",
    "EST 2025 och BRÅ 2024 behandlade frågan kl 1930-2130.",
    "Mellan 20250101 och 20250301 kom 45 anmälningar.",
    "Koordinat 59.782972, 14.516711 vid stationen.",
    # Road numbers, plans, counts, measures, amounts: not addresses or postcodes.
    "Olyckan skedde på E18 vid avfarten, sedan på E 20.",
    "Trafiken på väg 63 och Rv 50 är tät, liksom på riksväg 50 och Länsväg 205.",
    "Längs väg 63 och längs Väg 63 saknas belysning; Trafikverkets väg 63 är smal.",
    "Väg 63 är avstängd och vägen 12 km bort också.",
    "Enligt Detaljplan 12 och Handlingsplan 2025 ska det åtgärdas.",
    "Det öppnar kl. 22 och stänger kl 7, ibland 22.30 eller 06:15.",
    "Andelen ökade till 12 %, sedan 45 procent, och 7,5 % året efter.",
    "Längs Storgatan 3 km utan belysning och Cykelvägen 2 km likaså.",
    "Vid torget 4 ungdomar och Torget 3 personer, på gatan 12 bilar.",
    "Storgatan 12,5 km bort och Parkvägen 3 gånger i veckan.",
    "Det kostade 12345 kronor, 12 345 kronor eller 1 234 567 kr.",
    "Ärendet har dnr 2024/123 45 och 15 anmälningar kom 2024.",
    "Kvällen 2025-12-24 var 3 av 4 lampor trasiga, 24/12 kl. 17.",
    "Motorvägen 3 gånger per dag och gångvägen 2 timmar.",
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
    texts = pd.Series(
        ["Ring 0701234567 om ABC 123 vid Storgatan 12, 712 34 Hällefors kl 22:30"] * 20_000
        + ["Inget nummer alls här, bara text vid Storgatan"] * 20_000
    )
    out = scrub_text(texts)
    assert (
        out[:20_000] == "Ring [telefon] om [regnr] vid [adress], [postnummer] Hällefors kl 22:30"
    ).all()
    assert (out[20_000:] == "Inget nummer alls här, bara text vid Storgatan").all()


ADDRESS_CASES = [
    ("Anna Svensson, Storgatan 12 ringde", "[adress] ringde"),
    ("Anna Svensson Storgatan 12 ringde", "[adress] ringde"),
    ("Anna-Karin Svensson-Berg, Skolgatan 4B ringde", "[adress] ringde"),
    ("Anna Svensson, Lilla Torget 4 ringde", "[adress] ringde"),
    # A sentence-opening word is not a first name.
    ("Vid Stationen, Storgatan 12 är det mörkt", "Vid Stationen, [adress] är det mörkt"),
    ("Vid Olof Palmes gata 5 är det mörkt", "Vid [adress] är det mörkt"),
    # Address and postcode together: two tokens, the postal town stays.
    (
        "Storgatan 3 B, 712 34 Hällefors",
        "[adress], [postnummer] Hällefors",
    ),
    (
        "Postnummer 712 31 Hällefors, Järnvägsgatan 7.",
        "Postnummer [postnummer] Hällefors, [adress].",
    ),
    ("Lampa nr 123456 vid Skolgatan 4B är trasig.", "Lampa nr 123456 vid [adress] är trasig."),
    ("Det hände kl. 22:30 vid Storgatan 12.", "Det hände kl. 22:30 vid [adress]."),
]


@pytest.mark.parametrize(("text", "expected"), ADDRESS_CASES)
def test_addresses_names_and_postcodes_exactly(text: str, expected: str) -> None:
    assert scrub_text(pd.Series([text]))[0] == expected
    assert scrub_value(text) == expected


def test_scrubbing_is_idempotent_and_value_matches_series() -> None:
    texts = [text for text, _ in PLANTED] + NON_EXAMPLES + [text for text, _ in ADDRESS_CASES]
    once = scrub_text(pd.Series(texts))
    assert list(scrub_text(once)) == list(once)
    assert [scrub_value(t) for t in texts] == list(once)
    assert not contains_personal_data(once).any()


def test_texts_without_digits_are_not_touched() -> None:
    texts = pd.Series(["Storgatan är mörk", "Anna Svensson ringde", None], dtype="string")
    out = scrub_text(texts)
    assert out[0] == "Storgatan är mörk"
    assert out[1] == "Anna Svensson ringde"  # a name alone is not recognised (documented)
    assert pd.isna(out[2])
