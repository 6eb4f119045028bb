"""Erasing a person's data everywhere the agency keeps it.

Governance erases the person's values, findings and merges (``governance.rights``); the
layers above keep the person in three more places, erased in the same transaction: the
agency's alerts about the person, the manifests the agency screened with the person on
board (the archive kept for re-screening and rule back-tests), and those still waiting in
the queue to be screened (withdrawn, never screened).
"""

from __future__ import annotations

from sqlalchemy import Connection

from threadline.alerts.service import erase_alerts_about
from threadline.governance import Actor, rights
from threadline.screening.archive import erase_traveller, travel_records
from threadline.store import Store, queue


def _above_governance(conn: Connection, actor: Actor, entity_id: str) -> dict[str, int]:
    return {
        "alerts": erase_alerts_about(conn, actor.agency, actor.country, entity_id),
        "archived_manifests": erase_traveller(conn, actor.agency, actor.country, entity_id),
        "queued_manifests": _withdraw_queued(conn, actor, entity_id),
    }


def _withdraw_queued(conn: Connection, actor: Actor, entity_id: str) -> int:
    """Manifests with the person on board still waiting to be screened are taken out of the
    queue (failed with the reason, their content dropped): they are never screened."""
    from threadline.ingest.readers.travel_records import traveller_id
    from threadline.services.worker import SCREEN_MANIFEST

    withdrawn = 0
    for waiting in queue.waiting_content(conn, actor.agency, actor.country, SCREEN_MANIFEST):
        name = str(waiting.payload.get("arguments", {}).get("file") or "manifest.edi")
        records = travel_records(name, waiting.content or b"")
        if any(traveller_id(r) == entity_id for r in records) and queue.withdraw(
            conn, waiting.id, "withdrawn: a traveller on it was erased before it was screened"
        ):
            withdrawn += 1
    return withdrawn


def erase_person(store: Store, actor: Actor, entity_id: str, reason: str) -> dict[str, int]:
    """Erase what the actor's agency holds about the person; the counts of each kind."""
    return rights.erase_person(store, actor, entity_id, reason, also=_above_governance)
