"""Cryptocurrency wallet addresses, accepted only when their checksum holds.

- Bitcoin legacy (P2PKH ``1...``, P2SH ``3...``): base58check, version 0x00 / 0x05.
- Bitcoin segwit (``bc1...``): bech32 (witness v0, BIP-173) or bech32m (v1+, BIP-350).
- Ethereum (``0x`` + 40 hex): EIP-55 mixed-case checksum over Keccak-256; an
  all-lower or all-upper address carries no checksum and is accepted as such.
- TRON (``T...``): base58check, version 0x41.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import base58
from Crypto.Hash import keccak

from threadline.ads.extract.trie import guarded

_B58 = "1-9A-HJ-NP-Za-km-z"
_BTC_LEGACY_RE = re.compile(guarded(rf"(?<![{_B58}])[13][{_B58}]{{25,34}}(?![{_B58}])"))
_TRON_RE = re.compile(guarded(rf"(?<![{_B58}])T[{_B58}]{{33}}(?![{_B58}])"))
_BECH32_RE = re.compile(
    guarded(r"(?<![0-9a-zA-Z])(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{8,87}(?![0-9a-zA-Z])")
)
_ETH_RE = re.compile(guarded(r"(?<![0-9a-zA-Z])0x[0-9a-fA-F]{40}(?![0-9a-zA-Z])"))
# The shortest address is 11 characters (bc1 and 8), all letters or digits: one quick scan
# for such a run rules most texts out.
_LONG_RUN_RE = re.compile(r"[0-9A-Za-z]{11}")

_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
_BECH32_CONST = 1
_BECH32M_CONST = 0x2BC830A3


@dataclass(frozen=True, slots=True)
class WalletFind:
    """A checksum-valid address: ``value`` is ``chain:address``."""

    value: str
    start: int
    end: int
    kind: str  # p2pkh, p2sh, segwit-v0, segwit-v1..., eip55, unchecksummed, tron


def find_wallets(text: str) -> list[WalletFind]:
    """Every valid wallet address in ``text`` (a cheap prefilter skips most ads)."""
    if _LONG_RUN_RE.search(text) is None:
        return []
    return sorted(_finds(text), key=lambda f: f.start)


def _finds(text: str) -> Iterator[WalletFind]:
    for m in _BTC_LEGACY_RE.finditer(text):
        version = base58check_version(m.group())
        if version in (0x00, 0x05):
            kind = "p2pkh" if version == 0 else "p2sh"
            yield WalletFind(f"btc:{m.group()}", m.start(), m.end(), kind)
    for m in _BECH32_RE.finditer(text):
        witness = segwit_version(m.group())
        if witness is not None:
            yield WalletFind(f"btc:{m.group().lower()}", m.start(), m.end(), f"segwit-v{witness}")
    for m in _ETH_RE.finditer(text):
        eth_kind = eip55_kind(m.group())
        if eth_kind is not None:
            yield WalletFind(f"eth:{m.group().lower()}", m.start(), m.end(), eth_kind)
    for m in _TRON_RE.finditer(text):
        if base58check_version(m.group()) == 0x41:
            yield WalletFind(f"trx:{m.group()}", m.start(), m.end(), "tron")


def base58check_version(address: str) -> int | None:
    """Version byte of a 21-byte base58check payload, or None if the checksum fails."""
    try:
        payload: bytes = base58.b58decode_check(address)
    except ValueError:
        return None
    return payload[0] if len(payload) == 21 else None


def _polymod(values: list[int]) -> int:
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i, generator in enumerate(_GENERATOR):
            if (top >> i) & 1:
                checksum ^= generator
    return checksum


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _convert_bits(data: list[int], from_bits: int, to_bits: int) -> list[int] | None:
    """Regroup 5-bit words into bytes; None if the padding is not zero (BIP-173)."""
    acc = bits = 0
    out = []
    maxv = (1 << to_bits) - 1
    for value in data:
        acc = (acc << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((acc >> bits) & maxv)
    if bits >= from_bits or (acc << (to_bits - bits)) & maxv:
        return None
    return out


def segwit_version(address: str) -> int | None:
    """Witness version of a valid mainnet segwit address, else None."""
    if address.lower() != address and address.upper() != address:
        return None  # mixed case is invalid in bech32
    address = address.lower()
    hrp, _, rest = address.rpartition("1")
    if hrp != "bc" or len(rest) < 7:
        return None
    data = [_CHARSET.index(c) for c in rest]
    const = _polymod(_hrp_expand(hrp) + data)
    version = data[0]
    if const != (_BECH32_CONST if version == 0 else _BECH32M_CONST) or version > 16:
        return None
    program = _convert_bits(data[1:-6], 5, 8)
    if program is None or not 2 <= len(program) <= 40:
        return None
    if version == 0 and len(program) not in (20, 32):
        return None
    return version


def eip55_kind(address: str) -> str | None:
    """ "eip55" for a correct mixed-case checksum, "unchecksummed" for one case, else None."""
    body = address[2:]
    if body == body.lower() or body == body.upper():
        return "unchecksummed"
    digest = keccak.new(digest_bits=256, data=body.lower().encode("ascii")).hexdigest()
    for char, nibble in zip(body, digest[: len(body)], strict=True):
        if char.isalpha() and char.isupper() != (int(nibble, 16) >= 8):
            return None
    return "eip55"
