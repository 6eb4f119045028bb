"""What a PAXLST message says: legs, travellers, their documents, and the problems met."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

__all__ = [
    "PaxlstDocument",
    "PaxlstFlight",
    "PaxlstLeg",
    "PaxlstParseResult",
    "PaxlstProblem",
    "PaxlstTraveller",
    "is_identity_type",
    "primary_document",
]

Severity = Literal["warning", "rejected"]


def is_identity_type(code: str | None) -> bool:
    """An identity document: passport, identity card, A or C and their subtypes (PT, IP, AC...)."""
    first = (code or "")[:1].upper()
    return first != "" and first in "PIAC"


@dataclass(frozen=True, slots=True)
class PaxlstProblem:
    """A segment that could not be used as sent, with where and why.

    ``severity`` is ``warning`` (the traveller or message is kept, the value is
    not) or ``rejected`` (a traveller without a name: nothing to keep).
    """

    segment_number: int  # 1-based position in the interchange (UNA counts as 1 when present)
    segment: str
    reason: str
    severity: Severity = "warning"

    def describe(self) -> str:
        """``segment N (TEXT): reason``, the form reports show, on one line (line breaks in
        the segment's text, as in a file that is not EDIFACT at all, shown as spaces)."""
        text = " ".join(self.segment[:60].split())
        return f"segment {self.segment_number} ({text}): {self.reason}"


@dataclass(slots=True)
class PaxlstDocument:
    """One ``DOC`` group: the document, its dates (``DTM+36/182``) and issuer (``LOC+91``)."""

    type: str | None  # document name code as sent: P, PT, I, IP, A, AC, C, V ...
    number: str
    expiry: date | None = None
    issuing_country: str | None = None  # LOC+91 place code (alpha-3 as carriers send it)
    issued: date | None = None
    issuing_place: str | None = None  # LOC+91 given as text instead of a code

    @property
    def is_identity(self) -> bool:
        """Passport, identity card, A or C document (and their subtypes)."""
        return is_identity_type(self.type)

    @property
    def is_visa(self) -> bool:
        return (self.type or "")[:1].upper() == "V"


def _rank(document: PaxlstDocument) -> int:
    """Which document stands for the traveller: a passport, another identity document,
    an untyped one, any other, a visa last."""
    if document.is_identity:
        return 0 if (document.type or "").upper().startswith("P") else 1
    if not document.type:
        return 2
    return 4 if document.is_visa else 3


def primary_document(documents: list[PaxlstDocument]) -> PaxlstDocument | None:
    """The document standing for the traveller: a passport first, a visa only when alone."""
    return min(documents, key=_rank) if documents else None


@dataclass(slots=True)
class PaxlstLeg:
    """One flight leg: ``TDT`` and its ``LOC+125/87/92`` places with ``DTM+189/232`` times."""

    flight: str
    departure_airport: str
    departure_time: datetime | None
    arrival_airport: str
    arrival_time: datetime | None
    departure_qualifier: str = "125"  # 125 departure, 92 routing (in transit)
    arrival_qualifier: str = "87"  # 87 arrival, 92 routing (in transit)


@dataclass(slots=True)
class PaxlstTraveller:
    """One ``NAD`` traveller group: a passenger or crew member and their documents."""

    surname: str
    given_names: str  # the first given name component as sent
    sex: str | None = None  # M, F or U (X in some feeds is reported as U)
    date_of_birth: date | None = None
    nationality: str | None = None  # ISO 3166 alpha-3 as carriers send it
    booking_ref: str | None = None  # RFF+AVF
    record_id: str | None = None  # RFF+ABO, the sender's own passenger reference
    documents: list[PaxlstDocument] = field(default_factory=list)
    embarkation: str | None = None  # LOC+178 (code, or the place as text)
    disembarkation: str | None = None  # LOC+179
    middle_names: str = ""  # the third and later name components
    role: str = "passenger"  # passenger or crew
    party: str = "FL"  # the NAD party qualifier as sent (FL, FM, DDU, DDT...)
    birth_place: str | None = None  # LOC+180
    residence: str | None = None  # LOC+174
    legs: list[int] = field(default_factory=list, compare=False)  # message legs travelled
    segment_number: int = field(default=0, compare=False)  # the NAD segment
    warnings: list[PaxlstProblem] = field(default_factory=list, compare=False)

    @property
    def document(self) -> PaxlstDocument | None:
        """The document that stands for the traveller (identity over visa)."""
        return primary_document(self.documents)

    @property
    def document_type(self) -> str | None:
        doc = self.document
        return doc.type if doc else None

    @property
    def document_number(self) -> str | None:
        doc = self.document
        return doc.number if doc else None

    @property
    def document_expiry(self) -> date | None:
        doc = self.document
        return doc.expiry if doc else None

    @property
    def document_issuing_country(self) -> str | None:
        doc = self.document
        return doc.issuing_country if doc else None


@dataclass(slots=True)
class PaxlstFlight:
    """One ``PAXLST`` message: its flight legs and travellers.

    ``flight``, ``departure_*`` and ``arrival_*`` describe the whole message: the
    first leg's flight and departure, the last leg's arrival. ``legs`` holds every
    leg of a progressive flight; a message built with none gets one leg from them.
    """

    flight: str
    departure_airport: str
    departure_time: datetime | None
    arrival_airport: str
    arrival_time: datetime | None
    sender: str = ""
    travellers: list[PaxlstTraveller] = field(default_factory=list)
    legs: list[PaxlstLeg] = field(default_factory=list)
    list_type: str = "745"  # BGM document name code: 745 passengers, 250 crew
    reference: str = field(default="", compare=False)  # UNH message reference
    warnings: list[PaxlstProblem] = field(default_factory=list, compare=False)

    def __post_init__(self) -> None:
        if not self.legs:
            self.legs.append(
                PaxlstLeg(
                    self.flight,
                    self.departure_airport,
                    self.departure_time,
                    self.arrival_airport,
                    self.arrival_time,
                )
            )


@dataclass(slots=True)
class PaxlstParseResult:
    """What the parser read: the messages (with their travellers) and every problem."""

    flights: list[PaxlstFlight]
    problems: list[PaxlstProblem]
    warnings: list[PaxlstProblem] = field(default_factory=list)  # outside any message

    @property
    def travellers(self) -> list[PaxlstTraveller]:
        """Every traveller of every message, in file order."""
        return [t for f in self.flights for t in f.travellers]
