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
state is still reported, as a weaker hit. Rows are parsed and validated by
:mod:`threadline.primitives.travel_documents` (re-exported here).
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
import numpy.typing as npt

from threadline.exc import InputError
from threadline.primitives.travel_documents import (
    COLUMNS,
    DOCUMENT_TYPES,
    STATUSES,
    ListedDocument,
    RowRejection,
    canonical_country,
    normalise_number,
    ocr_key,
    parse_document_row,
    validate_document_row,
)

__all__ = [
    "COLUMNS",
    "DOCUMENT_TYPES",
    "STATUSES",
    "DocumentHit",
    "DocumentIndex",
    "HitReason",
    "ListedDocument",
    "RowRejection",
    "canonical_country",
    "normalise_number",
    "ocr_key",
    "parse_document_row",
    "validate_document_row",
]

_EPOCH = date(1970, 1, 1).toordinal()
_CHUNK = 1 << 18
_TYPE_IDS = {name: index for index, name in enumerate(DOCUMENT_TYPES)}
_STATUS_IDS = {name: index for index, name in enumerate(STATUSES)}

Strength = Literal["strong", "probable", "possible", "weak"]


def _hash(key: str) -> int:
    data = key.encode("utf-8", "surrogatepass")  # listed numbers are ASCII; queries may not be
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


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
