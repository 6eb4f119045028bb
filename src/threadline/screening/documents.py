"""Stolen and lost travel documents: an in-memory index in the style of INTERPOL's SLTD.

Ten million listed documents must fit in well under 2 GB and answer a lookup
in microseconds, so the index holds no Python object per document: each row
becomes a 64-bit hash of its OCR-folded number in one sorted ``numpy`` array,
with parallel compact arrays for the listed number, country, type, status,
date, agency and the row's position in the source. A lookup is one binary
search plus a look at the few rows sharing the hash.

Numbers are compared in two forms: normalised (upper case, no spaces, dashes
or fillers) for an exact hit, and folded over the OCR confusions (O/0, I/1,
B/8, S/5, Z/2, G/6) for a variant hit. A number listed under another issuing
state is still reported, as a weaker hit.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

import numpy as np
import numpy.typing as npt

from threadline.exc import InputError
from threadline.primitives.countries import clean_country
from threadline.primitives.mrz import is_mrz_country
from threadline.primitives.mrz.checkdigit import LETTER_TO_DIGIT
from threadline.primitives.mrz.codes import ISO_ALPHA3

__all__ = [
    "COLUMNS",
    "DOCUMENT_TYPES",
    "STATUSES",
    "DocumentHit",
    "DocumentIndex",
    "HitReason",
    "ListedDocument",
    "RowRejection",
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
_EPOCH = date(1970, 1, 1).toordinal()
_DROP = str.maketrans("", "", " -<\t./")
_FOLD = str.maketrans(LETTER_TO_DIGIT)
_ALPHA2_TO_3 = {alpha2: alpha3 for alpha3, alpha2 in ISO_ALPHA3.items()}
_CHUNK = 1 << 18
_MISSING = object()
_TYPE_IDS = {name: index for index, name in enumerate(DOCUMENT_TYPES)}
_STATUS_IDS = {name: index for index, name in enumerate(STATUSES)}

Strength = Literal["strong", "probable", "possible", "weak"]


def normalise_number(value: str) -> str:
    """Upper case without spaces, dashes, dots, slashes or MRZ fillers."""
    return value.upper().translate(_DROP)


def ocr_key(number: str) -> str:
    """A normalised number folded over OCR confusions, so ``L8989O2C3`` meets ``L898902C3``."""
    return number.translate(_FOLD)


def _hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("ascii"), digest_size=8).digest(), "little")


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
    if doc_type not in _TYPE_IDS:
        raise InputError(f"document_type {type_text!r} is not one of {', '.join(DOCUMENT_TYPES)}")
    number = normalise_number(_text(raw_number))
    if not number:
        raise InputError("document_number is empty")
    if not (number.isascii() and number.isalnum()) or len(number) > _MAX_NUMBER:
        raise InputError(f"document_number {number!r} must be 1-{_MAX_NUMBER} letters and digits")
    status = _text(raw_status).lower()
    if status not in _STATUS_IDS:
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


@dataclass(frozen=True, slots=True)
class HitReason:
    """One piece of a hit's explanation: a stable code and its evidence."""

    code: str
    detail: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"code": self.code, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class DocumentHit:
    """A queried document found on the list, with why it matched.

    ``match`` is ``exact`` (same normalised number) or ``ocr_variant`` (equal only
    after folding OCR confusions; ``differences`` lists each (position, queried,
    listed)). ``country`` is ``same``, ``other`` (listed under another issuing
    state: a weaker hit) or ``not_given`` when the query had no country.
    """

    row: int
    issuing_country: str
    document_type: str
    document_number: str
    status: str
    reported_on: date
    reporting_agency: str
    match: Literal["exact", "ocr_variant"]
    country: Literal["same", "other", "not_given"]
    differences: tuple[tuple[int, str, str], ...]
    strength: Strength
    reasons: tuple[HitReason, ...]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "row": self.row,
            "issuing_country": self.issuing_country,
            "document_type": self.document_type,
            "document_number": self.document_number,
            "status": self.status,
            "reported_on": self.reported_on.isoformat(),
            "reporting_agency": self.reporting_agency,
            "match": self.match,
            "country": self.country,
            "differences": [list(d) for d in self.differences],
            "strength": self.strength,
            "reasons": [r.to_dict() for r in self.reasons],
        }


_RANK: dict[Strength, int] = {"strong": 0, "probable": 1, "possible": 2, "weak": 3}


class _Builder:
    """Accumulates rows into compact arrays (no Python object kept per row)."""

    def __init__(self) -> None:
        self.keys = array("Q")
        self.countries = array("H")
        self.types = array("B")
        self.statuses = array("B")
        self.dates = array("i")
        self.agencies = array("I")
        self.rows = array("q")
        self.number_chunks: list[npt.NDArray[np.bytes_]] = []
        self.pending: list[bytes] = []
        self.country_ids: dict[str, int] = {}
        self.agency_ids: dict[str, int] = {}

    def add(self, doc: ListedDocument, position: int) -> None:
        self.keys.append(_hash(ocr_key(doc.document_number)))
        self.countries.append(_intern(self.country_ids, doc.issuing_country))
        self.types.append(_TYPE_IDS[doc.document_type])
        self.statuses.append(_STATUS_IDS[doc.status])
        self.dates.append(doc.reported_on.toordinal() - _EPOCH)
        self.agencies.append(_intern(self.agency_ids, doc.reporting_agency))
        self.rows.append(position)
        self.pending.append(doc.document_number.encode("ascii"))
        if len(self.pending) >= _CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.number_chunks.append(np.array(self.pending, dtype=np.bytes_))
            self.pending = []


def _intern(table: dict[str, int], value: str) -> int:
    found = table.get(value)
    if found is None:
        found = table[value] = len(table)
    return found


class DocumentIndex:
    """Sorted hash index over a stolen/lost travel documents list; see :meth:`build`."""

    def __init__(self, builder: _Builder) -> None:
        builder.flush()
        keys = np.frombuffer(builder.keys, dtype=np.uint64)
        order = np.argsort(keys, kind="stable")
        self._keys = keys[order]
        del keys
        chunks = builder.number_chunks
        numbers = np.concatenate(chunks) if chunks else np.array([], dtype="S1")
        builder.number_chunks = []
        self._numbers = numbers[order]
        del numbers
        self._countries = np.frombuffer(builder.countries, dtype=np.uint16)[order]
        self._types = np.frombuffer(builder.types, dtype=np.uint8)[order]
        self._statuses = np.frombuffer(builder.statuses, dtype=np.uint8)[order]
        self._dates = np.frombuffer(builder.dates, dtype=np.int32)[order]
        self._agencies = np.frombuffer(builder.agencies, dtype=np.uint32)[order]
        self._rows = np.frombuffer(builder.rows, dtype=np.int64)[order]
        self._country_names = list(builder.country_ids)
        self._agency_names = list(builder.agency_ids)

    @classmethod
    def build(
        cls,
        rows: Iterable[Mapping[str, object] | Sequence[object] | ListedDocument],
        *,
        rejections: list[RowRejection] | None = None,
        today: date | None = None,
    ) -> DocumentIndex:
        """Index list rows (CSV dicts, tuples in ``COLUMNS`` order or :class:`ListedDocument`).

        A bad row raises :class:`InputError` naming its 1-based position, unless a
        ``rejections`` list is given: then the row is skipped and recorded there.
        """
        builder = _Builder()
        today = today or date.today()
        for position, row in enumerate(rows, start=1):
            try:
                doc = (
                    row if isinstance(row, ListedDocument) else parse_document_row(row, today=today)
                )
            except InputError as error:
                if rejections is None:
                    raise InputError(f"document list row {position}: {error}") from None
                rejections.append(RowRejection(position, str(error)))
                continue
            builder.add(doc, position)
        if len(builder.country_ids) > 1 << 16:
            raise InputError("more than 65,536 distinct issuing countries")
        return cls(builder)

    def __len__(self) -> int:
        return int(self._keys.shape[0])

    @property
    def nbytes(self) -> int:
        """Bytes held by the index arrays."""
        arrays = (self._keys, self._numbers, self._countries, self._types, self._statuses)
        return sum(a.nbytes for a in (*arrays, self._dates, self._agencies, self._rows))

    def lookup(self, number: str, issuing_country: str | None = None) -> list[DocumentHit]:
        """Listed documents matching ``number``, strongest first (empty when not listed).

        ``issuing_country`` may be an MRZ code, alpha-2/3 or a name; when given,
        hits under that state rank above the same number listed elsewhere.
        """
        queried = normalise_number(number)
        if not queried:
            raise InputError("document number to look up is empty")
        country = None
        if issuing_country:
            country = canonical_country(issuing_country)
            if country is None:
                raise InputError(f"issuing country {issuing_country!r} is not a known code")
        key = ocr_key(queried)
        hashed = np.uint64(_hash(key))
        start = int(self._keys.searchsorted(hashed))
        hits = []
        index = start
        while index < len(self) and self._keys[index] == hashed:
            listed = self._numbers[index].decode("ascii")
            if ocr_key(listed) == key:  # guards against a 64-bit hash collision
                hits.append(self._hit(index, queried, listed, country))
            index += 1
        hits.sort(key=lambda hit: (_RANK[hit.strength], hit.row))
        return hits

    def _hit(self, index: int, queried: str, listed: str, country: str | None) -> DocumentHit:
        listed_country = self._country_names[int(self._countries[index])]
        status = STATUSES[int(self._statuses[index])]
        differences = tuple(
            (i + 1, q, s) for i, (q, s) in enumerate(zip(queried, listed, strict=True)) if q != s
        )
        match: Literal["exact", "ocr_variant"] = "ocr_variant" if differences else "exact"
        reasons = [HitReason(f"number_{match}", _number_detail(listed, status, differences))]
        where: Literal["same", "other", "not_given"]
        if country is None:
            where = "not_given"
            reasons.append(HitReason("country_not_given", f"listed under {listed_country}"))
        elif country == listed_country:
            where = "same"
            reasons.append(HitReason("same_issuing_country", listed_country))
        else:
            where = "other"
            reasons.append(
                HitReason(
                    "other_issuing_country", f"queried {country}, listed under {listed_country}"
                )
            )
        return DocumentHit(
            row=int(self._rows[index]),
            issuing_country=listed_country,
            document_type=DOCUMENT_TYPES[int(self._types[index])],
            document_number=listed,
            status=status,
            reported_on=date.fromordinal(int(self._dates[index]) + _EPOCH),
            reporting_agency=self._agency_names[int(self._agencies[index])],
            match=match,
            country=where,
            differences=differences,
            strength=_strength(match, where),
            reasons=tuple(reasons),
        )


def _number_detail(listed: str, status: str, differences: tuple[tuple[int, str, str], ...]) -> str:
    if not differences:
        return f"number {listed} is listed as {status}"
    swaps = ", ".join(f"{q}/{s} at position {p}" for p, q, s in differences)
    return f"number {listed} is listed as {status}; read differs only by OCR confusion ({swaps})"


def _strength(match: str, where: str) -> Strength:
    if where == "other":
        return "weak"
    if where == "same":
        return "strong" if match == "exact" else "probable"
    return "probable" if match == "exact" else "possible"
