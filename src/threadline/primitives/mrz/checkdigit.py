"""ICAO Doc 9303 check digits and the OCR confusions a machine readable zone suffers.

A check digit is the sum of the character values weighted 7, 3, 1 (repeating),
modulo 10; digits count as themselves, ``A``-``Z`` as 10-35 and the filler ``<``
as 0.
"""

from __future__ import annotations

ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
_WEIGHTS = (7, 3, 1)

# OCR engines confuse these pairs; where a field's type is known the wrong
# kind of character can be mapped back safely.
LETTER_TO_DIGIT: dict[str, str] = {"O": "0", "I": "1", "B": "8", "S": "5", "Z": "2", "G": "6"}
DIGIT_TO_LETTER: dict[str, str] = {digit: letter for letter, digit in LETTER_TO_DIGIT.items()}
CONFUSABLE: dict[str, str] = {**LETTER_TO_DIGIT, **DIGIT_TO_LETTER}


def char_value(char: str) -> int:
    """Value of one MRZ character in the check digit sum."""
    if "0" <= char <= "9":
        return ord(char) - 48
    if "A" <= char <= "Z":
        return ord(char) - 55
    if char == "<":
        return 0
    raise ValueError(f"{char!r} is not an MRZ character")


# Every character's value under each weight, so a check digit is lookups and a sum.
_WEIGHTED = tuple({char: char_value(char) * weight for char in ALPHABET} for weight in _WEIGHTS)


def check_digit(data: str) -> int:
    """The check digit (0-9) of ``data`` by the 7-3-1 rule of Doc 9303 Part 3."""
    try:
        return sum(_WEIGHTED[index % 3][char] for index, char in enumerate(data)) % 10
    except KeyError:
        bad = next(char for char in data if char not in ALPHABET)
        raise ValueError(f"{bad!r} is not an MRZ character") from None


def check_passes(data: str, digit: str) -> bool:
    """True when the check character ``digit`` is the check digit of ``data``."""
    return digit.isdigit() and int(digit) == check_digit(data)
