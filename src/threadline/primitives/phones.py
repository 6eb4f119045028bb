"""Phone numbers: E.164 normalisation with libphonenumber, plus ranges reserved for fiction.

Regulators reserve some ranges for drama and training (UK 07700 900000-900999,
France 06 39 98 00 00 - 06 39 98 99 99, ...). libphonenumber calls them invalid
because no subscriber can hold them, yet Threadline's simulated worlds and
training exercises must use them, so they are accepted as well-formed.
"""

from __future__ import annotations

import phonenumbers

# (E.164 prefix, total digits including the country code)
FICTION_RANGES: tuple[tuple[str, int], ...] = (
    ("+447700900", 12),  # UK Ofcom drama range 07700 900000-900999
    ("+441144960", 12),  # UK Ofcom drama range 0114 496 0000-0999 (Sheffield)
    ("+442079460", 12),  # UK Ofcom drama range 020 7946 0000-0999 (London)
    ("+3363998", 11),  # France ARCEP fiction range 06 39 98 xx xx
    ("+3319900", 11),  # France ARCEP fiction range 01 99 00 xx xx
    ("+61491570", 11),  # Australia ACMA fiction range 0491 570 xxx
    ("+1", 11),  # North America NXX-555-0100..0199: checked below
)


def is_fiction(e164: str) -> bool:
    """Whether an E.164 number lies in a range reserved for fiction."""
    digits = len(e164) - 1
    for prefix, length in FICTION_RANGES:
        if prefix == "+1":
            if e164.startswith("+1") and digits == 11 and e164[5:9] == "5550" and e164[9] == "1":
                return True
            continue
        if e164.startswith(prefix) and digits == length:
            return True
    return False


def normalise_phone(raw: str, region: str | None = None) -> str | None:
    """E.164 form of a phone number, or None when it is not a usable number.

    ``region`` (ISO 3166 alpha-2) reads national forms such as "0701 234 567".
    """
    try:
        parsed = phonenumbers.parse(raw, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return None
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.is_valid_number(parsed):
        return e164
    if phonenumbers.is_possible_number(parsed) and is_fiction(e164):
        return e164
    return None
