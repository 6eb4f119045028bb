from __future__ import annotations

import pytest

from threadline.ads import extract
from threadline.ads.extract.wallets import eip55_kind, find_wallets, segwit_version

from .conftest import make_ad


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("mail: Ana.Silva@Example.com.", "ana.silva@example.com"),
        ("ana dot silva at example dot com", "ana.silva@example.com"),
        ("lola (at) example [dot] fr", "lola@example.fr"),
        ("nina arobase exemple point fr", "nina@exemple.fr"),
        ("escribe a lola [arroba] example [punto] es", "lola@example.es"),
        ("lola arroba exemple ponto com ponto br", "lola@exemple.com.br"),
        ("lola@gmail thanks", "lola@gmail.com"),
        # Reserved example and test domains (what synthetic data uses).
        ("text bella51@mail.example", "bella51@mail.example"),
        # A spelled "at" before a real address does not hide the address.
        ("apply at pioneer13@jobs.test.", "pioneer13@jobs.test"),
        ("send your cv at hr@atlas.example.com today", "hr@atlas.example.com"),
    ],
)
def test_email_plain_and_spelled_out(text: str, email: str) -> None:
    assert [e.value for e in extract(make_ad(text)).emails] == [email]


@pytest.mark.parametrize(
    "text",
    [
        "meet at home dot com",
        "see you at 5. at the hotel",
        # A web address after "at" in a sentence is where to go, not an e-mail address.
        "apply online at example.com",
        "more info at example.com today",
        "jobs at hotel.example.co.uk",
        "find us at www.example.com",
    ],
)
def test_no_email_from_ordinary_sentences(text: str) -> None:
    assert extract(make_ad(text)).emails == ()


@pytest.mark.parametrize(
    ("text", "email"),
    [
        # A spelled "at" makes an address when the rest is written as one.
        ("anna at gmail.com", "anna@gmail.com"),
        ("write anna_22 at example.com", "anna_22@example.com"),
        ("lola.v at example.fr", "lola.v@example.fr"),
        ("anna at example dot com", "anna@example.com"),
        ("lola (at) example.fr", "lola@example.fr"),
    ],
)
def test_spelled_at_in_address_forms(text: str, email: str) -> None:
    assert [e.value for e in extract(make_ad(text)).emails] == [email]


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("Telegram: @lola_vip", "telegram:lola_vip"),
        ("t.me/lolavip", "telegram:lolavip"),
        ("Snap: lolita22", "snapchat:lolita22"),
        ("ig @lola.vip", "instagram:lola.vip"),
        ("line id: sweetgirl", "line:sweetgirl"),
        ("kik: sweet99", "kik:sweet99"),
        ("wechat: wx_lola88", "wechat:wx_lola88"),
        ("WhatsApp +44 7700 900123", "whatsapp:+447700900123"),
        ("Signal: 07700 900123", "signal:+447700900123"),
    ],
)
def test_messaging_handles(text: str, handle: str) -> None:
    assert handle in [h.value for h in extract(make_ad(text)).handles]


def test_common_words_are_not_handles() -> None:
    assert extract(make_ad("contact via the line please, snap decision")).handles == ()


VALID_WALLETS = [
    ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
    ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "btc:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"),
    (
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        "btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    ),
    (
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
        "btc:bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
    ),
    (
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
    ),
    (
        "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
        "eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
    ),
    ("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "trx:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
]


@pytest.mark.parametrize(("address", "value"), VALID_WALLETS)
def test_valid_wallets(address: str, value: str) -> None:
    assert [w.value for w in find_wallets(f"deposit to {address} first")] == [value]


def _mutate(address: str) -> str:
    i = len(address) - 3
    alphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7l" if address.startswith("bc1") else "23456789ABCDEF"
    replacement = next(c for c in alphabet if c != address[i] and c.lower() != address[i].lower())
    return address[:i] + replacement + address[i + 1 :]


# An all-lower-case Ethereum address carries no checksum, so a mutation cannot be caught.
@pytest.mark.parametrize("address", [a for a, _ in VALID_WALLETS if a != a.lower() or a[0] != "0"])
def test_one_character_mutation_is_refused(address: str) -> None:
    assert find_wallets(f"deposit to {_mutate(address)} first") == []


def test_checksum_helpers() -> None:
    assert segwit_version("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq") == 0
    assert segwit_version("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdQ") is None  # mixed case
    assert eip55_kind("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD") is None


@pytest.mark.parametrize(
    ("text", "country", "prices"),
    [
        ("150 roses per hour, 300🌹 overnight", "US", ["150 roses/hour", "300 roses/night"]),
        ("$200/hr, donations 500 per night", "US", ["200 USD/hour", "500 donations/night"]),
        ("Salaire 3.500 € par mois", "FR", ["3500 EUR/month"]),
        ("salario 2.000 euros al mes, 15€/hora", "ES", ["2000 EUR/month", "15 EUR/hour"]),
        ("R$ 5.000 por mês", "BR", ["5000 BRL/month"]),
        ("$1,200 a week", "MX", ["1200 MXN/week"]),
    ],
)
def test_prices_with_currency_and_unit(text: str, country: str, prices: list[str]) -> None:
    assert [p.value for p in extract(make_ad(text, country=country)).prices] == prices


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        ("sexy 19 yo girl", [("19", "stated")]),
        ("I'm 21 and new here", [("21", "stated")]),
        ("16+ welcome", [("16", "minimum")]),
        ("tengo 18 años", [("18", "stated")]),
        ("j’ai 20 ans", [("20", "stated")]),
        ("tenho 19 anos", [("19", "stated")]),
        ("a partir de 16 anos", [("16", "minimum")]),
        ("10 years of experience, 20 años de experiencia", []),
        ("I am 25% off", []),
    ],
)
def test_stated_ages(text: str, ages: list[tuple[str, str]]) -> None:
    found = extract(make_ad(text)).ages
    assert [(a.value, a.attributes["kind"]) for a in found] == ages


def test_locations_from_field_and_text() -> None:
    ad = make_ad("Nouvelle à Paris, bientôt Lyon. Nice girl.", country="GB", location="Paris 11e")
    values = [loc.value for loc in extract(ad).locations]
    assert values == ["FR:Paris", "FR:Lyon"]
    assert {s.field for s in extract(ad).locations[0].spans} == {"text", "location"}


def test_a_phone_written_in_words_after_a_platform_is_the_phone_not_a_handle() -> None:
    found = extract(make_ad("WhatsApp: zero7seven00nine00one23 babe"))
    assert [p.value for p in found.phones] == ["+447700900123"]
    assert [h.value for h in found.handles] == ["whatsapp:+447700900123"]
