"""Agencies: the one function each interface calls to register or list them.

An agency is registered once with its country; collections name it as their owner, users
belong to it. Registering is audited in the transaction that makes it, whichever
interface (``threadline agencies create``, ``threadline load``) asks.
"""

from __future__ import annotations

from typing import Any

from threadline.governance import Actor
from threadline.governance.audit import record
from threadline.governance.identity import create_agency, list_agencies
from threadline.store import Store


def list_all(store: Store) -> list[dict[str, Any]]:
    """Every registered agency (id, name, country), by name."""
    with store.connect() as conn:
        return list_agencies(conn)


def registered(store: Store) -> dict[str, str]:
    """Registered agency name -> its country."""
    return {str(a["name"]): str(a["country"]) for a in list_all(store)}


def register(store: Store, actor: Actor, name: str, country: str) -> None:
    """Register an agency of a country (a name already taken is an error), audited."""
    with store.begin() as conn:
        create_agency(conn, name, country)
        record(conn, actor, "agency.create", target_type="agency", target_id=name)
