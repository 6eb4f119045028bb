"""What every reader is: the contract between file formats and the job runner."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from followthemoney.proxy import EntityProxy

from threadline.exc import InputError


def undecodable(text: str) -> bool:
    """True for text read with errors="surrogateescape" from bytes that were not UTF-8."""
    return any("\udc80" <= ch <= "\udcff" for ch in text)


class RecordError(InputError):
    """One record cannot be stored; the message is the reason shown in the report."""


class SourceRecord(NamedTuple):
    """One record of a source file, numbered so a rejection can point at it.

    A named tuple: files hold millions of records, each made once and (in a parallel
    ingestion) sent to a parse process, where a tuple is cheaper than an object.
    """

    position: int  # 1-based: line number, row number or file-internal sequence
    source_id: str  # stable id of the record in its source ("" = the entity's own id)
    raw: Any  # what the reader's parse() needs
    offset: int = 0  # bytes read up to the end of this record (for progress)


class SourceWarning(NamedTuple):
    """A value of a stored record that could not be used as sent: where it is, and why."""

    position: int  # in the same numbering as SourceRecord.position
    reason: str


@dataclass(frozen=True)
class ReaderContext:
    """What a reader may know about where its entities go."""

    collection: str
    default_country: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


class Reader(ABC):
    """A file format. Subclasses register themselves with ``@register``."""

    name: ClassVar[str]
    description: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]] = ()
    options_help: ClassVar[dict[str, str]] = {}
    # A generic reader claims files by suffix alone (every *.csv): detection tries it only
    # after every specific reader, whatever the order the readers were registered in.
    generic: ClassVar[bool] = False

    def __init__(self, context: ReaderContext) -> None:
        self.context = context

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        """Whether this reader recognises the file (by its start and name).

        A specific reader (``generic = False``) should look at the content or a
        distinctive name, so that it can win over a generic reader of the same suffix.
        """
        return path.suffix.lower() in cls.extensions

    def prepare(self, path: Path) -> None:  # noqa: B027 - optional hook
        """Check what the whole file needs (a header, a mapping) before any record.

        Raise InputError for a problem that makes every record unreadable.
        """

    @abstractmethod
    def records(self, path: Path) -> Iterator[SourceRecord]:
        """The file's records in order, cheaply (parsing happens in ``parse``)."""

    def excerpt(self, record: SourceRecord) -> str:
        """A short text of the record shown next to its rejection."""
        raw = record.raw
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        return text[:300]

    @abstractmethod
    def parse(self, record: SourceRecord) -> list[EntityProxy]:
        """The entities one record holds; raise RecordError with the reason if none."""

    def warnings(self, record: SourceRecord) -> list[SourceWarning]:
        """What of a stored record could not be used (reported with the job, nothing lost)."""
        return []
