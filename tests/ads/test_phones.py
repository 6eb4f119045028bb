from __future__ import annotations

import pytest

from threadline.ads import extract

from .conftest import make_ad


@pytest.mark.parametrize(
    ("text", "country", "e164", "obscured"),
    [
        ("call for80 2sixseven one9zerofor now", "US", "+14802671904", True),
        ("0803 five5five 12three4", "NG", "+2348035551234", True),
        ("Tel: 07700 900123", "GB", "+447700900123", False),
        ("zero sept sept zero zero neuf zero zero un deux trois", "GB", "+447700900123", True),
        ("O77OO 9OO123 babe", "GB", "+447700900123", True),
        ("0️⃣7️⃣7️⃣0️⃣0️⃣ 9️⃣0️⃣0️⃣1️⃣2️⃣3️⃣", "GB", "+447700900123", True),
        ("０７７００ ９００１２３", "GB", "+447700900123", True),
        ("⓪⑦⑦⓪⓪ ⑨⓪⓪①②③", "GB", "+447700900123", True),
        ("appelle-moi 06.39.98/12.34", "FR", "+33639981234", True),
        ("zéro six trente", "FR", None, False),
        ("06 39\n98 12\n34", "FR", "+33639981234", True),
        ("WhatsApp +33 6 39 98 12 34", "ES", "+33639981234", False),
        ("llámame seis uno dos tres cuatro cinco seis siete ocho", "ES", "+34612345678", True),
        ("liga nove um dois três quatro cinco seis sete oito", "PT", "+351912345678", True),
        ("(201) 555-0123", "US", "+12015550123", False),
        # Where the country's own format has no trunk prefix, none is needed ...
        ("candidate-se em (11) 95550-9802", "BR", "+5511955509802", False),
        ("llama al 300 555 1673", "CO", "+573005551673", False),
        # ... and where it is 8, it is 8.
        ("звоните 8 916 555-31-23", "RU", "+79165553123", False),
    ],
)
def test_phone_recovered_and_normalised(
    text: str, country: str, e164: str | None, obscured: bool
) -> None:
    phones = extract(make_ad(text, country=country)).phones
    if e164 is None:
        assert phones == ()
        return
    assert [p.value for p in phones] == [e164]
    assert phones[0].attributes["obscured"] is obscured
    span = phones[0].spans[0]
    assert span.field == "text" and text[span.start : span.end].strip()


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("price 1 200 000 EUR, born 12.05.2024, 150 Main Street", "DE"),
        ("Rue 12, 75011 Paris, née le 03/04/1999, 2000 euros, âge 21, 1990", "FR"),
        ("tarifs 100 200 300 400, 2 for 1 tonight", "GB"),
        ("Calle Mayor 123, 28013 Madrid, 1.500 euros al mes, 18 años", "ES"),
        ("Rua Augusta 45, 1100-048 Lisboa, 2024, tenho 19 anos, 850 € por mês", "PT"),
        ("I am 21, it's 2024, $300 per hour, 1500 dollars", "US"),
        ("call me for a date at 9, one or two hours", "GB"),
        ("ligue 6 39 98 12 34", "FR"),  # a French mobile needs its 0 when written nationally
    ],
)
def test_no_phone_from_prices_ages_dates_or_addresses(text: str, country: str) -> None:
    assert extract(make_ad(text, country=country)).phones == ()


def test_same_phone_in_title_and_text_is_one_value_with_two_spans() -> None:
    ad = make_ad("text me 07700 900123", title="07700 900 123")
    (phone,) = extract(ad).phones
    assert {s.field for s in phone.spans} == {"title", "text"}
