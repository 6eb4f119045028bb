"""ICAO Doc 9303 machine readable zones: check digits, parsing, validation, OCR repair.

>>> result = parse_mrz([
...     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
...     "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
... ])
>>> result.valid, result.fields.surname, result.fields.date_of_birth
(True, 'ERIKSSON', '1974-08-12')
"""

from threadline.primitives.mrz.checkdigit import char_value, check_digit, check_passes
from threadline.primitives.mrz.codes import alpha2_for, is_mrz_country
from threadline.primitives.mrz.layouts import MRZType, detect_type
from threadline.primitives.mrz.parse import normalise_lines, parse_mrz
from threadline.primitives.mrz.result import (
    CheckDigit,
    Correction,
    DateReading,
    MRZFields,
    MRZResult,
    Suggestion,
    Variant,
)

__all__ = [
    "CheckDigit",
    "Correction",
    "DateReading",
    "MRZFields",
    "MRZResult",
    "MRZType",
    "Suggestion",
    "Variant",
    "alpha2_for",
    "char_value",
    "check_digit",
    "check_passes",
    "detect_type",
    "is_mrz_country",
    "normalise_lines",
    "parse_mrz",
]
