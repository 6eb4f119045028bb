"""Contact selectors: phones from fiction ranges, burner batches, handles, emails, wallets.

Wallet addresses are syntactically valid (correct checksums) but derived from random
bytes, so no key controls them: BTC P2PKH base58check, ETH with the EIP-55 mixed-case
checksum, TRON base58check with the 0x41 prefix.
"""

from __future__ import annotations

import random

import base58
from Crypto.Hash import keccak

from threadline.simulation.geography import Country

_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_HOMOPHONES = {"0": "o", "1": "one", "2": "to", "4": "for", "8": "ate"}


class PhoneBook:
    """Hands out each number of a country's blocks at most once, so owners never collide.

    Numbers come in runs (burner batches bought together are consecutive); once a
    country's blocks are used up it returns None and the caller goes without a phone.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._next: dict[tuple[str, int], int] = {}
        self._starts: dict[tuple[str, int], list[int]] = {}
        self._singles: dict[str, list[str]] = {}
        self.owner_country: dict[str, str] = {}  # every number handed out -> its country

    def batch(self, country: Country, size: int) -> list[str]:
        """``size`` consecutive numbers from one block of ``country`` (fewer when full)."""
        order = list(range(len(country.phones)))
        self.rng.shuffle(order)
        for b in order:
            block = country.phones[b]
            key = (country.code, b)
            starts = self._starts.get(key)
            if starts is None:
                # Runs of 16 in shuffled order: numbers look scattered across owners.
                starts = list(range(0, block.size, 16))
                self.rng.shuffle(starts)
                self._starts[key] = starts
            if size > 16:
                size = 16
            if starts:
                start = starts.pop()
                got = [block.number(start + i) for i in range(min(size, block.size - start))]
                for number in got:
                    self.owner_country[number] = country.code
                return got
        return []

    def one(self, country: Country) -> str | None:
        """A single number; singles share runs but skip a few numbers between owners."""
        pending = self._singles.get(country.code)
        if not pending:
            pending = self.batch(country, 16)
            pending = pending[:: self.rng.randint(2, 4)]
            pending.reverse()
            self._singles[country.code] = pending
        return pending.pop() if pending else None

    def stranger(self, country: Country, rng: random.Random) -> str | None:
        """A number nobody in the plan owns (for one-off booking contacts), if one is found."""
        block = country.phones[rng.randrange(len(country.phones))]
        for _ in range(4):
            number = block.number(rng.randrange(block.size))
            if number not in self.owner_country:
                return number
        return None


# Country calling codes of the simulated countries (alpha-2 -> digits).
CALLING = {
    "NG": "234",
    "GB": "44",
    "UA": "380",
    "FR": "33",
    "BR": "55",
    "AE": "971",
    "ES": "34",
    "US": "1",
    "MA": "212",
    "RU": "7",
    "PH": "63",
    "SN": "221",
    "TH": "66",
    "CO": "57",
    "EG": "20",
    "PT": "351",
    "DE": "49",
    "CI": "225",
    "MX": "52",
    "KZ": "7",
    "TR": "90",
    "AU": "61",
    "GH": "233",
    "IT": "39",
    "AO": "244",
    "JO": "962",
    "CA": "1",
    "KG": "996",
    "AR": "54",
    "SA": "966",
}
# Countries whose numbers are written without a trunk prefix at home (Mexico dropped its
# prefixes in 2019; Colombians dial mobiles without one), and those whose prefix is 8.
_NO_TRUNK = {"ES", "PT", "IT", "DK", "SN", "CI", "AO", "MX", "CO"}
_TRUNK_8 = {"RU", "KZ"}


def national(phone: str, country: Country) -> str:
    """The number as people in ``country`` write it: (212) 555-0123, 07700 900123 ..."""
    rest = phone[1 + len(CALLING[country.code]) :]
    if country.code in ("US", "CA"):
        return f"({rest[:3]}) {rest[3:6]}-{rest[6:]}"
    trunk = "" if country.code in _NO_TRUNK else "8" if country.code in _TRUNK_8 else "0"
    if country.code == "GB":
        return (
            f"0{rest[:4]} {rest[4:]}" if rest[0] == "7" else f"0{rest[:2]} {rest[2:6]} {rest[6:]}"
        )
    if country.code == "FR":
        return "0" + rest[0] + " " + " ".join(rest[i : i + 2] for i in range(1, len(rest), 2))
    if country.code == "BR":
        return f"({rest[:2]}) {rest[2:-4]}-{rest[-4:]}"
    return f"{trunk}{rest[:-7]} {rest[-7:-4]} {rest[-4:]}"


def obfuscate(phone_text: str, rng: random.Random) -> str:
    """Write some digits as words or homophones, as ads do to dodge filters."""
    out: list[str] = []
    for ch in phone_text:
        if ch.isdigit() and rng.random() < 0.35:
            word = _HOMOPHONES.get(ch) if rng.random() < 0.3 else None
            out.append(word or _WORDS[int(ch)])
        else:
            out.append(ch)
    return "".join(out)


def handle(rng: random.Random, stem: str, taken: set[str] | None = None) -> str:
    """A messaging handle such as ``@lucky_jobs_214``, not in ``taken`` (then added to it).

    A platform gives each account its own handle, so two advertisers never share one
    by chance: a handle already taken is drawn again, with longer numbers after a few
    tries so that a crowded stem cannot loop forever.
    """
    for attempt in range(64):
        top = 999 if attempt < 8 else 10 ** (3 + attempt // 8)
        name = f"@{stem}{rng.choice(('_', '.', ''))}{rng.randrange(10, top)}"
        if taken is None or name not in taken:
            break
    else:  # pragma: no cover - 64 draws up to 10**10 cannot all be taken
        raise RuntimeError(f"no free handle for stem {stem!r}")
    if taken is not None:
        taken.add(name)
    return name


def email(local: str, rng: random.Random, taken: set[str] | None = None) -> str:
    """An address on a domain reserved for examples, not in ``taken`` (then added to it)."""
    domains = (
        "example.com", "example.org", "example.net", "mail.example", "jobs.test", "inbox.example"
    )  # fmt: skip
    address = f"{local}@{rng.choice(domains)}"
    extra = 1
    while taken is not None and address in taken:
        address = f"{local}.{extra}@{rng.choice(domains)}"
        extra += 1
    if taken is not None:
        taken.add(address)
    return address


def _b58check(payload: bytes) -> str:
    return str(base58.b58encode_check(payload).decode("ascii"))


def btc_address(rng: random.Random) -> str:
    """A P2PKH address (version 0x00) with a valid base58check checksum."""
    return _b58check(b"\x00" + rng.randbytes(20))


def tron_address(rng: random.Random) -> str:
    """A TRON address (0x41 prefix) with a valid base58check checksum; starts with T."""
    return _b58check(b"\x41" + rng.randbytes(20))


def eth_address(rng: random.Random) -> str:
    """An Ethereum address with the EIP-55 mixed-case checksum."""
    raw = rng.randbytes(20).hex()
    digest = keccak.new(digest_bits=256, data=raw.encode("ascii")).hexdigest()
    return "0x" + "".join(
        c.upper() if c.isalpha() and int(digest[i], 16) >= 8 else c for i, c in enumerate(raw)
    )


def wallet(rng: random.Random) -> tuple[str, str]:
    """(currency, address) for a payment wallet: BTC, ETH or USDT on TRON."""
    kind = rng.choices(("BTC", "ETH", "TRX"), weights=(3, 2, 5))[0]
    maker = {"BTC": btc_address, "ETH": eth_address, "TRX": tron_address}[kind]
    return kind, maker(rng)
