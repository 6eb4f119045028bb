"""Phone numbers, including obscured ones, normalised to E.164.

A candidate is a contiguous group of runs inside one digit chain (see
``digits``). It becomes a phone only if libphonenumber says it is valid (or it
lies in a range reserved for fiction, so synthetic data works), it does not look
like a date or a price, and, written nationally, it carries the trunk prefix
its country uses ("0" in FR, GB, NG...). That last rule is what keeps
"12.05.2024", "1 200 000" or a street number from becoming a German or French
phone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import CountryCodeSource, PhoneMetadata, PhoneNumberFormat

from threadline.ads.extract.digits import DigitChain, digit_chains
from threadline.ads.extract.trie import guarded
from threadline.primitives.phones import is_fiction

MIN_DIGITS = 7
MAX_DIGITS = 17  # 15 (E.164) plus an international "00" prefix

# A whole date (same separator twice), not three groups inside a longer dotted number.
_DATE_RE = re.compile(
    guarded(
        r"(?<![\d./-])(?:\d{1,2}([./-])\d{1,2}\1(?:\d{4}|\d{2})|\d{4}([./-])\d{1,2}\2\d{1,2})"
        r"(?![\d./-])"
    )
)
_CURRENCY_NEAR_RE = re.compile(
    r"[$€£¥₹₦🌹]|\b(?:usd|eur|gbp|euros?|dollars?|roses?|reais|pesos|r\$|mxn|cop|brl)\b"
)


@dataclass(frozen=True, slots=True)
class PhoneFind:
    """One phone number found in one text field."""

    e164: str
    start: int
    end: int
    methods: frozenset[str]  # empty when written plainly

    @property
    def obscured(self) -> bool:
        return bool(self.methods)


def find_phones(original: str, folded: str, region: str | None) -> list[PhoneFind]:
    """Phones in one field; ``folded`` is ``folding.fold(original)``."""
    found: list[PhoneFind] = []
    chains = digit_chains(folded, MIN_DIGITS)
    if not chains:
        return found
    dates = [m.span() for m in _DATE_RE.finditer(folded)]
    for chain in chains:
        found.extend(_phones_in_chain(chain, original, folded, region, dates))
    return found


def _phones_in_chain(
    chain: DigitChain,
    original: str,
    folded: str,
    region: str | None,
    dates: list[tuple[int, int]],
) -> list[PhoneFind]:
    runs = chain.runs
    if chain.size < MIN_DIGITS:
        return []
    digits = [run.digits for run in runs]
    found = []
    i = 0
    while i < len(runs):
        hit = None
        total = 0
        ends = []
        for j in range(i, len(runs)):
            total += len(digits[j])
            if total > MAX_DIGITS:
                break
            ends.append((j, total))
        for j, total in reversed(ends):  # longest first
            if total < MIN_DIGITS:
                break
            if any(a < chain.runs[j].end and chain.runs[i].start < b for a, b in dates):
                continue
            plus = chain.plus and i == 0
            hit = _phone(chain, i, j, "".join(digits[i : j + 1]), plus, original, folded, region)
            if hit is not None:
                break
        if hit is None:
            i += 1
            continue
        found.append(hit)
        i = j + 1
    return found


def _phone(
    chain: DigitChain,
    i: int,
    j: int,
    digits: str,
    plus: bool,
    original: str,
    folded: str,
    region: str | None,
) -> PhoneFind | None:
    start, end = chain.runs[i].start, chain.runs[j].end
    if not _plausible_context(folded, start, end):
        return None
    e164 = _number(("+" if plus else "") + digits, region)
    if e164 is None:
        return None
    methods: set[str] = set()
    for run in chain.runs[i : j + 1]:
        methods.update(run.methods)
    for gap in chain.gap_methods[i + 1 : j + 1]:
        methods.update(gap)
    if plus:
        start = original.rfind("+", max(0, start - 2), start)
    elif start > 0 and original[start - 1] == "(":
        start -= 1
    return PhoneFind(e164, start, end, frozenset(methods))


@lru_cache(maxsize=65536)
def _number(raw: str, region: str | None) -> str | None:
    """E.164 of a candidate digit string, or None; cached because the same numbers recur
    across the ads of one advertiser and libphonenumber is the costliest step."""
    plus = raw.startswith("+")
    if not plus and region is None:
        return None
    try:
        number = phonenumbers.parse(raw, region, keep_raw_input=True)
    except phonenumbers.NumberParseException:
        return None
    e164: str = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if not phonenumbers.is_possible_number(number):
        return None
    # Ranges reserved for fiction: libphonenumber calls some invalid; synthetic data uses them.
    if not (phonenumbers.is_valid_number(number) or is_fiction(e164)):
        return None
    if not _has_trunk_prefix(number, raw.lstrip("+"), region):
        return None
    return e164


def _plausible_context(folded: str, start: int, end: int) -> bool:
    """Refuse amounts of money (dates are refused by the caller)."""
    before = folded[max(0, start - 4) : start]
    after = folded[end : end + 8]
    return _CURRENCY_NEAR_RE.search(before) is None and (
        _CURRENCY_NEAR_RE.match(after.lstrip()) is None
    )


def _has_trunk_prefix(number: phonenumbers.PhoneNumber, digits: str, region: str | None) -> bool:
    """A nationally written number starts with the trunk prefix where the country's own
    format for it does ("07700 900123" in GB, "8 916 555-31-23" in RU), and may go
    without where that format has none ("(11) 95550-9802" in BR, "300 5551673" in CO)."""
    if number.country_code_source != CountryCodeSource.FROM_DEFAULT_COUNTRY:
        return True
    if region is None or number.country_code == 1:  # NANP writes no trunk prefix
        return True
    metadata = PhoneMetadata.metadata_for_region(region)
    prefix = metadata.national_prefix if metadata is not None else None
    if not prefix or digits.startswith(prefix):
        return True
    written = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return not "".join(ch for ch in written if ch.isdigit()).startswith(prefix)
