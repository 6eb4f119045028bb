"""Phones only in fiction (or documented synthetic) ranges; wallets with valid checksums."""

from __future__ import annotations

import random
import re

import base58
import pytest
from Crypto.Hash import keccak

from threadline.simulation.geography import COUNTRIES
from threadline.simulation.selectors import (
    PhoneBook,
    btc_address,
    email,
    eth_address,
    handle,
    national,
    obfuscate,
    tron_address,
)

from .conftest import World

BLOCKS = [b for c in COUNTRIES for b in c.phones]
FICTION = {"GB", "US", "CA", "AU", "FR"}
# Display names network ads use (honest advertisers show their business or own name).
NETWORK_NAMES = {"Agency", "Jobs Abroad", "Angel", "VIP", "HR Team"}
E164 = re.compile(r"\+\d{9,15}(?![0-9a-z])")  # not the start of an obfuscated number


def _in_block(phone: str) -> bool:
    return any(
        phone.startswith(b.prefix) and len(phone) == len(b.prefix) + b.digits for b in BLOCKS
    )


@pytest.mark.parametrize(
    "country", [c for c in COUNTRIES if c.code in FICTION], ids=lambda c: c.code
)
def test_countries_with_a_fiction_range_use_only_it(country: object) -> None:
    allowed = {
        "GB": (r"\+447700900\d{3}", r"\+442079460\d{3}"),
        "US": (r"\+1\d{3}55501\d{2}",),
        "CA": (r"\+1\d{3}55501\d{2}",),
        "AU": (r"\+61491570\d{3}",),
        "FR": (r"\+3363998\d{4}", r"\+3319900\d{4}"),
    }[country.code]  # type: ignore[attr-defined]
    book = PhoneBook(random.Random(1))
    numbers = book.batch(country, 16) + [book.one(country) or "" for _ in range(20)]  # type: ignore[arg-type]
    assert all(any(re.fullmatch(p, n) for p in allowed) for n in numbers), numbers


def test_burner_batches_are_consecutive() -> None:
    batch = PhoneBook(random.Random(2)).batch(COUNTRIES[0], 6)
    tails = [int(n[-4:]) for n in batch]
    assert tails == list(range(tails[0], tails[0] + 6))


def test_phone_book_never_hands_a_number_out_twice() -> None:
    book = PhoneBook(random.Random(3))
    gb = next(c for c in COUNTRIES if c.code == "GB")
    numbers = [n for _ in range(100) for n in book.batch(gb, 5)]
    numbers += [n for n in (book.one(gb) for _ in range(100)) if n]
    assert len(numbers) == len(set(numbers))


def test_obfuscated_phone_mixes_words_and_digits() -> None:
    gb = next(c for c in COUNTRIES if c.code == "GB")
    text = obfuscate(national("+447700900123", gb), random.Random(4))
    assert re.search(r"[a-z]", text) and re.search(r"\d", text)


def test_every_phone_written_is_in_a_known_block(world: World) -> None:
    phones = set()
    for ad in world.ads:
        phones.update(E164.findall(ad["text"]))
    phones.update(r["contact_phone"] for r in world.manifest_rows if r["contact_phone"])
    for net in world.truth["networks"]:
        phones.update(net["phones"])
    assert len(phones) > 20
    assert all(_in_block(p) for p in phones), [p for p in phones if not _in_block(p)]


def test_emails_use_example_domains(world: World) -> None:
    emails = {r["contact_email"] for r in world.manifest_rows if r["contact_email"]}
    for net in world.truth["networks"]:
        emails.update(net["emails"])
    allowed = (".example", ".test", "@example.com", "@example.org", "@example.net")
    assert emails and all(e.endswith(allowed) for e in emails)


def _eip55(address: str) -> bool:
    raw = address[2:].lower()
    digest = keccak.new(digest_bits=256, data=raw.encode()).hexdigest()
    expected = "".join(
        c.upper() if c.isalpha() and int(digest[i], 16) >= 8 else c for i, c in enumerate(raw)
    )
    return address == "0x" + expected


@pytest.mark.parametrize("seed", range(5))
def test_wallet_addresses_have_valid_checksums(seed: int) -> None:
    rng = random.Random(seed)
    btc, eth, trx = btc_address(rng), eth_address(rng), tron_address(rng)
    assert base58.b58decode_check(btc)[0] == 0x00 and btc[0] == "1"
    assert base58.b58decode_check(trx)[0] == 0x41 and trx[0] == "T"
    assert _eip55(eth) and eth != eth.lower()


def test_known_eip55_vector_is_recognised() -> None:
    assert _eip55("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
    assert not _eip55("0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed")


def test_written_wallets_validate(world: World) -> None:
    wallets = [w for net in world.truth["networks"] for w in net["wallets"]]
    assert wallets
    for w in wallets:
        address = w["address"]
        if w["currency"] == "ETH":
            assert _eip55(address)
        else:
            version = base58.b58decode_check(address)[0]
            assert version == (0x00 if w["currency"] == "BTC" else 0x41)


def test_handles_and_emails_have_one_owner_even_when_their_stem_is_crowded() -> None:
    rng, taken = random.Random(6), set()
    handles = [handle(rng, "atlas", taken) for _ in range(4000)]  # > 3 x 989 short numbers
    assert len(set(handles)) == 4000 and set(handles) <= taken
    emails = [email("atlas5", rng, taken) for _ in range(20)]  # one local part, six domains
    assert len(set(emails)) == 20 and all(e.startswith("atlas5") for e in emails)


def test_honest_advertisers_never_share_a_handle(world: World) -> None:
    owners: dict[str, set[str]] = {}
    for ad in world.ads:
        poster = ad.get("poster")
        if poster:
            owners.setdefault(poster["handle"], set()).add(poster["display_name"])
    honest = {h: names for h, names in owners.items() if len(names - NETWORK_NAMES) > 0}
    assert honest and all(len(names) == 1 for names in honest.values())


@pytest.mark.parametrize("country", COUNTRIES, ids=lambda c: c.code)
def test_a_nationally_written_number_reads_back_as_the_same_number(country: object) -> None:
    from threadline.ads.extract.folding import fold
    from threadline.ads.extract.phones import find_phones

    book = PhoneBook(random.Random(7))
    for number in [n for n in (book.one(country) for _ in range(5)) if n]:  # type: ignore[arg-type]
        text = f"Call {national(number, country)} today"  # type: ignore[arg-type]
        found = find_phones(text, fold(text), country.code)  # type: ignore[attr-defined]
        assert [p.e164 for p in found] == [number], text
