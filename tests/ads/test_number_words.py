"""Phone numbers dictated in words as people write them in EN, FR, ES and PT: compound
numbers ("trente-quatre", "soixante-dix-huit", "treinta y cuatro", "trinta e quatro"),
regional forms ("septante", "nonante", "huitante"), digits and words mixed, and national
numbers completed with the ad's country. None of these sentences comes from the simulator."""

from __future__ import annotations

import pytest

from threadline.ads import extract
from threadline.ads.extract.digits import digit_chains
from threadline.ads.extract.folding import fold

from .conftest import make_ad

FR_MOBILE = "+33639981234"  # 06 39 98 12 34, in the range France reserves for fiction


@pytest.mark.parametrize(
    ("text", "country", "e164"),
    [
        ("zéro six trente-neuf quatre-vingt-dix-huit douze trente-quatre", "FR", FR_MOBILE),
        ("zero six trente neuf quatre vingt dix huit douze trente quatre", "FR", FR_MOBILE),
        ("appelle au 06 39 quatre-vingt-dix-huit 12 trente-quatre", "FR", FR_MOBILE),
        ("ZÉRO SIX TRENTE-NEUF QUATRE-VINGT-DIX-HUIT DOUZE TRENTE-QUATRE", "FR", FR_MOBILE),
        ("zéro six / trente-neuf / quatre-vingt-dix-huit / douze / trente-quatre", "FR", FR_MOBILE),
        # Belgian and Swiss French: septante, nonante, huitante.
        ("zéro quatre septante-cinq douze trente-quatre cinquante-six", "BE", "+32475123456"),
        ("zéro septante-neuf huitante-huit un vingt-trois quarante-cinq", "CH", "+41798812345"),
        # English: tens, teens, "double", digits and words mixed.
        ("text two zero one five five five zero one twenty-three", "US", "+12015550123"),
        ("call zero seven seven double zero nine hundred", "GB", None),
        ("ring 07700 nine zero zero one twenty three", "GB", "+447700900123"),
        ("zero seven seven double zero nine zero zero one two three", "GB", "+447700900123"),
        # Spanish and Portuguese compounds, national numbers given their country by the ad.
        ("seis doce treinta y cuatro cincuenta y seis setenta y ocho", "ES", "+34612345678"),
        ("llama: 612 treinta y cuatro 56 setenta y ocho", "ES", "+34612345678"),
        ("nove um dois trinta e quatro cinquenta e seis setenta e oito", "PT", "+351912345678"),
        ("onze nove cinco cinco cinco zero noventa e oito zero dois", "BR", "+5511955509802"),
    ],
)
def test_dictated_numbers_are_phones(text: str, country: str, e164: str | None) -> None:
    phones = extract(make_ad(text, country=country)).phones
    if e164 is None:
        assert phones == ()
        return
    assert [p.value for p in phones] == [e164]
    assert phones[0].attributes["obscured"] is True
    span = phones[0].spans[0]
    assert text[span.start : span.end].strip()


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("ouvert vingt-quatre heures sur vingt-quatre, sept jours sur sept", "FR"),
        ("j'ai vingt-deux ans, quatre-vingts euros la demi-heure", "FR"),
        ("I'm twenty-one, sixty roses an hour, once a week", "GB"),
        ("tengo veintidós años, cincuenta euros, quince minutos", "ES"),
        ("tenho vinte e dois anos, doce de leite, trinta minutos", "BR"),
        ("seize the day: ten to twelve, thirty minutes", "US"),
    ],
)
def test_numbers_in_ordinary_sentences_are_not_phones(text: str, country: str) -> None:
    assert extract(make_ad(text, country=country)).phones == ()


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("soixante-dix-huit", "78"),
        ("soixante et onze", "71"),
        ("quatre-vingt-onze", "91"),
        ("nonante-neuf", "99"),
        ("veintiuno", "21"),
        ("dieciséis", "16"),
        ("noventa e nove", "99"),
        ("forty-two", "42"),
        ("ninety nine", "99"),
        ("triple five", "555"),
    ],
)
def test_one_compound_is_one_number(text: str, digits: str) -> None:
    (chain,) = digit_chains(fold(text))
    assert "".join(run.digits for run in chain.runs) == digits
    assert chain.runs[0].start == 0 and chain.runs[-1].end == len(text)
