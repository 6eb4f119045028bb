"""Erasing a person's data everywhere the agency keeps it.

Governance erases the person's values, findings and merges (``governance.rights``); the
layers above keep the person in two more places, erased in the same transaction: the
agency's alerts about the person, and the manifests the agency screened with the person
on board (the archive kept for re-screening and rule back-tests).
"""

from __future__ import annotations

from sqlalchemy import Connection

from threadline.alerts.service import erase_alerts_about
from threadline.governance import Actor, rights
from threadline.screening.archive import erase_traveller
from threadline.store import Store


def _above_governance(conn: Connection, actor: Actor, entity_id: str) -> dict[str, int]:
    return {
        "alerts": erase_alerts_about(conn, actor.agency, actor.country, entity_id),
        "archived_manifests": erase_traveller(conn, actor.agency, actor.country, entity_id),
    }


def erase_person(store: Store, actor: Actor, entity_id: str, reason: str) -> dict[str, int]:
    """Erase what the actor's agency holds about the person; the counts of each kind."""
    return rights.erase_person(store, actor, entity_id, reason, also=_above_governance)
