"""Ingestion: one registry of readers and a resumable job runner.

A reader knows a file format: it splits a file into numbered source records and
turns one record into FollowTheMoney entities (or says precisely why it
cannot). The runner stores entities batch by batch, each batch in one
transaction together with the job's counts, so a crash leaves no half-written
batch and a second run resumes where the last commit ended.
"""

from threadline.ingest.base import Reader, ReaderContext, RecordError, SourceRecord
from threadline.ingest.registry import get_reader, list_readers, register

__all__ = [
    "Reader",
    "ReaderContext",
    "RecordError",
    "SourceRecord",
    "get_reader",
    "list_readers",
    "register",
]
