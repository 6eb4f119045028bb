"""What reading an MRZ returns: the fields and a verdict that explains itself as data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from threadline.primitives.mrz.layouts import MRZType


@dataclass(frozen=True, slots=True)
class MRZFields:
    """The data fields of an MRZ, fillers removed; dates are ISO strings or None.

    A date of birth with unknown parts keeps the precision the zone gives
    (``1974-08`` or ``1974``). ``issue_date`` is filled only by layouts that carry
    one (the French identity card of the 1988 model gives its year and month).
    """

    document_code: str
    issuing_country: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    date_of_birth: str | None
    sex: str | None
    expiry_date: str | None
    optional_data: str
    issue_date: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """JSON-ready form of the fields."""
        return {
            "document_code": self.document_code,
            "issuing_country": self.issuing_country,
            "surname": self.surname,
            "given_names": self.given_names,
            "document_number": self.document_number,
            "nationality": self.nationality,
            "date_of_birth": self.date_of_birth,
            "sex": self.sex,
            "expiry_date": self.expiry_date,
            "optional_data": self.optional_data,
            "issue_date": self.issue_date,
        }


@dataclass(frozen=True, slots=True)
class Correction:
    """One character changed before validation (line and position count from 1)."""

    line: int
    position: int
    from_char: str
    to_char: str
    field: str
    reason: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form: ``{line, position, from, to, field, reason}``."""
        return {
            "line": self.line,
            "position": self.position,
            "from": self.from_char,
            "to": self.to_char,
            "field": self.field,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A reading of one field that OCR confusions allow but no check digit confirms.

    It is offered to the officer and never applied to the fields or the verdict.
    """

    field: str
    read: str
    reading: str
    changes: tuple[Correction, ...]
    reason: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form: ``{field, read, reading, changes, reason}``."""
        return {
            "field": self.field,
            "read": self.read,
            "reading": self.reading,
            "changes": [c.to_dict() for c in self.changes],
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Variant:
    """A documented way of writing a zone that is not plain ICAO 9303 (or is its rarer rule)."""

    code: str
    detail: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form: ``{code, detail}``."""
        return {"code": self.code, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class CheckDigit:
    """One check digit: what it covers, what was read, what the data gives and which rule."""

    check: str
    passed: bool
    read: str
    expected: int
    data: str
    line: int
    position: int
    rule: str = "icao"

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form of the check."""
        return {
            "check": self.check,
            "passed": self.passed,
            "read": self.read,
            "expected": self.expected,
            "data": self.data,
            "line": self.line,
            "position": self.position,
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class DateReading:
    """How a two-digit year became a century: the digits read, the date and the reason."""

    field: str
    read: str
    value: str | None
    rule: str

    def to_dict(self) -> dict[str, str | None]:
        """JSON-ready form: ``{field, read, value, rule}``."""
        return {"field": self.field, "read": self.read, "value": self.value, "rule": self.rule}


@dataclass(frozen=True, slots=True)
class MRZResult:
    """A parsed MRZ with every check, correction, variant and problem as data.

    ``valid`` is true when every check digit passes (by ICAO 9303 or a named issuer
    variant) and the dates, sex, names and codes are plausible. A specimen can be
    valid: ``specimen`` says it is no real document. ``lines`` holds the zone after
    the corrections the composite check digit confirmed; ``suggestions`` holds the
    readings it could not confirm, and ``suggested_fields`` the fields they give.
    """

    type: MRZType
    valid: bool
    checks: dict[str, bool]
    fields: MRZFields
    corrections: list[Correction] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lines: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)
    specimen: bool = False
    variants: list[Variant] = field(default_factory=list)
    check_digits: list[CheckDigit] = field(default_factory=list)
    dates: list[DateReading] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    suggested_fields: MRZFields | None = None
    reference_date: date | None = None

    def to_dict(self) -> dict[str, object]:
        """The verdict ready for JSON; the first six keys are the historical ones."""
        return {
            "type": self.type,
            "valid": self.valid,
            "checks": dict(self.checks),
            "fields": self.fields.to_dict(),
            "corrections": [c.to_dict() for c in self.corrections],
            "errors": list(self.errors),
            "warnings": list(self.warnings),
            "specimen": self.specimen,
            "variants": [v.to_dict() for v in self.variants],
            "check_digits": [c.to_dict() for c in self.check_digits],
            "dates": [d.to_dict() for d in self.dates],
            "suggestions": [s.to_dict() for s in self.suggestions],
            "suggested_fields": self.suggested_fields.to_dict() if self.suggested_fields else None,
            "reference_date": self.reference_date.isoformat() if self.reference_date else None,
        }
