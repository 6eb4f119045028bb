"""Checking the audit chain: every MAC, every link, no gap, and the anchored head."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from threadline.governance.auditchain import GENESIS, AuditEvent, iter_events, mac
from threadline.governance.auditkey import (
    Anchor,
    chain_files,
    flush_anchors,
    load_key,
    read_anchor,
)
from threadline.governance.tables import audit_event as t_audit


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str | None = None
    head: str | None = None
    anchored_id: int | None = None  # the newest event the anchor file records

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def verify(conn: Connection, expected_head: str | None = None) -> Verification:
    """Walk the chain with the key; report the first event that does not hold.

    Finds edited, inserted, reordered and deleted events (ids are consecutive and
    every MAC covers the event's id), and, by comparing with the anchor file, the
    removal of the newest events. An auditor may also pass the head MAC recorded
    at an earlier check as ``expected_head``.
    """
    files = chain_files(conn.engine)
    flush_anchors(files.anchor)  # this process's own newest appends first
    anchor = read_anchor(files.anchor)
    key: bytes | None = None
    prev_mac, previous_id, checked = GENESIS, 0, 0
    for event in iter_events(conn):
        key = key or load_key(files.key, create=False)
        broken = _first_fault(key, event, prev_mac, previous_id, anchor)
        if broken is not None:
            return Verification(False, checked, event.id, broken, anchored_id=_id(anchor))
        prev_mac, previous_id = event.hash, event.id
        checked += 1
    ending = _end_fault(anchor, previous_id, files.anchor.name)
    recorded = expected_head not in (None, prev_mac)
    if ending is None and recorded and not _has_mac(conn, expected_head or ""):
        ending = "the head an auditor recorded is gone: events were removed"
    if ending is not None:
        return Verification(False, checked, None, ending, prev_mac, _id(anchor))
    return Verification(True, checked, head=prev_mac, anchored_id=_id(anchor))


def _first_fault(
    key: bytes, event: AuditEvent, prev_mac: str, previous_id: int, anchor: Anchor | None
) -> str | None:
    if event.id != previous_id + 1:
        return f"events {previous_id + 1}-{event.id - 1} before it were deleted"
    if event.prev_hash != prev_mac:
        return "its link does not match the event before it (altered or replaced)"
    if mac(key, prev_mac, event.to_dict() | {"at": event.at}) != event.hash:
        return "its content was altered"
    if anchor is not None and event.id == anchor.id and event.hash != anchor.mac:
        return "it is not the event the anchor file recorded: the chain was rewritten"
    return None


def _end_fault(anchor: Anchor | None, last_id: int, anchor_name: str) -> str | None:
    if anchor is None:
        if last_id == 0:
            return None
        return (
            f"the anchor file ({anchor_name}) is missing, so the removal of the newest "
            "events cannot be ruled out"
        )
    if anchor.id > last_id:
        first = last_id + 1
        return f"events {first}-{anchor.id} at the end were deleted (the anchor file records them)"
    return None


def _id(anchor: Anchor | None) -> int | None:
    return anchor.id if anchor is not None else None


def _has_mac(conn: Connection, digest: str) -> bool:
    return conn.execute(select(t_audit.c.id).where(t_audit.c.hash == digest)).first() is not None
