"""Stolen and lost travel document list rows: parse, validate, normalise (no I/O).

A list in the style of INTERPOL's SLTD has the columns ``issuing_country,
document_type, document_number, status, reported_on, reporting_agency``. The
reader that stores such a list and the screening index that searches it both
validate rows here, so a row the reader accepts is a row the index can hold.

Numbers are kept in two forms: normalised (upper case, no spaces, dashes or
fillers) for an exact hit, and folded over the OCR confusions (O/0, I/1, B/8,
S/5, Z/2, G/6) for a variant hit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from threadline.exc import InputError
from threadline.primitives.countries import clean_country
from threadline.primitives.mrz import is_mrz_country
from threadline.primitives.mrz.checkdigit import LETTER_TO_DIGIT
from threadline.primitives.mrz.codes import ISO_ALPHA3

__all__ = [
    "COLUMNS",
    "DOCUMENT_TYPES",
    "STATUSES",
    "ListedDocument",
    "RowRejection",
    "canonical_country",
    "normalise_number",
    "ocr_key",
    "parse_document_row",
    "validate_document_row",
]

COLUMNS = (
    "issuing_country",
    "document_type",
    "document_number",
    "status",
    "reported_on",
    "reporting_agency",
)
STATUSES = ("stolen", "lost", "revoked", "stolen_blank")
DOCUMENT_TYPES = ("passport", "id_card", "visa", "residence_permit", "travel_document", "other")
_TYPE_ALIASES = {"P": "passport", "I": "id_card", "ID": "id_card", "V": "visa"}
_MAX_NUMBER = 20
_DROP = str.maketrans("", "", " -<\t./")
_FOLD = str.maketrans(LETTER_TO_DIGIT)
_ALPHA2_TO_3 = {alpha2: alpha3 for alpha3, alpha2 in ISO_ALPHA3.items()}
_MISSING = object()
_TYPES = frozenset(DOCUMENT_TYPES)
_STATUSES = frozenset(STATUSES)


def normalise_number(value: str) -> str:
    """Upper case without spaces, dashes, dots, slashes or MRZ fillers."""
    return value.upper().translate(_DROP)


def ocr_key(number: str) -> str:
    """A normalised number folded over OCR confusions, so ``L8989O2C3`` meets ``L898902C3``."""
    return number.translate(_FOLD)


@lru_cache(maxsize=4096)
def canonical_country(value: str) -> str | None:
    """The MRZ code for an issuing state (alpha-3, ``D`` -> ``DEU``), from alpha-2/3 or a name."""
    code = value.strip().upper().rstrip("<")
    if code == "D":
        return "DEU"
    if is_mrz_country(code):
        return code
    alpha2 = clean_country(value)
    return _ALPHA2_TO_3.get(alpha2) if alpha2 else None


@dataclass(frozen=True, slots=True)
class ListedDocument:
    """One accepted list row, normalised."""

    issuing_country: str
    document_type: str
    document_number: str
    status: str
    reported_on: date
    reporting_agency: str


@dataclass(frozen=True, slots=True)
class RowRejection:
    """A list row refused at build time: its 1-based position and the reason."""

    position: int
    reason: str


def _cells(row: Mapping[str, object] | Sequence[object]) -> list[object]:
    # Concrete types first: an isinstance check against the Mapping ABC is slow
    # and ten million rows pay for it.
    if isinstance(row, tuple | list):
        cells = list(row)
    elif isinstance(row, dict | Mapping):
        cells = [row.get(column, _MISSING) for column in COLUMNS]
    else:
        cells = list(row)
    cells.extend([_MISSING] * (len(COLUMNS) - len(cells)))
    for column, value in zip(COLUMNS, cells, strict=False):
        if value is _MISSING:
            raise InputError(f"missing column {column!r}")
    return cells


def _text(value: object) -> str:
    if value is None:
        return ""
    return (value if isinstance(value, str) else str(value)).strip()


def parse_document_row(
    row: Mapping[str, object] | Sequence[object], *, today: date | None = None
) -> ListedDocument:
    """Validate and normalise one list row (a CSV dict or a tuple in ``COLUMNS`` order).

    Raises :class:`InputError` saying what is wrong: unknown status or document
    type, unknown country, empty or malformed number, bad or future date.
    """
    raw_country, raw_type, raw_number, raw_status, raw_date, agency = _cells(row)[:6]
    country_text = _text(raw_country)
    country = canonical_country(country_text) if country_text else None
    if country is None:
        raise InputError(f"issuing_country {country_text!r} is not a known country code")
    type_text = _text(raw_type)
    doc_type = _TYPE_ALIASES.get(type_text.upper(), type_text.lower())
    if doc_type not in _TYPES:
        raise InputError(f"document_type {type_text!r} is not one of {', '.join(DOCUMENT_TYPES)}")
    number = normalise_number(_text(raw_number))
    if not number:
        raise InputError("document_number is empty")
    if not (number.isascii() and number.isalnum()) or len(number) > _MAX_NUMBER:
        raise InputError(f"document_number {number!r} must be 1-{_MAX_NUMBER} letters and digits")
    status = _text(raw_status).lower()
    if status not in _STATUSES:
        raise InputError(f"status {status!r} is not one of {', '.join(STATUSES)}")
    reported = _reported_on(raw_date, today or date.today())
    return ListedDocument(country, doc_type, number, status, reported, _text(agency))


def _reported_on(value: object, today: date) -> date:
    if isinstance(value, date):
        reported = value
    else:
        text = _text(value)
        try:
            reported = date.fromisoformat(text)
        except ValueError:
            raise InputError(f"reported_on {text!r} is not a date (YYYY-MM-DD)") from None
    if reported > today:
        raise InputError(f"reported_on {reported.isoformat()} is in the future")
    return reported


def validate_document_row(
    row: Mapping[str, object] | Sequence[object], *, today: date | None = None
) -> str | None:
    """The reason a list row is unusable, or None when it is good."""
    try:
        parse_document_row(row, today=today)
    except InputError as error:
        return str(error)
    return None
