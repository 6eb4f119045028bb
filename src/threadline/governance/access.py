"""The governed access layer: what one actor may read, decided once per request.

Every read of entities, findings, graph edges, linkage items, jobs and audit events
goes through an :class:`Access` (or a function of this module that builds one):
it knows the collections the actor may see, the finding scopes within them, and
the victim shield, so interfaces and analyses never decide visibility themselves.

- Collections: owned, or shared with the actor's agency and not past review
  (``may_see_collection``).
- Findings: visible where every collection they were derived from is visible
  (and, for findings that rest on an agency's own unstored input, only to that
  agency); of those, the actor's own agency's and the platform's are read, the
  agency's own winning where both exist (``FindingFilter``).
- Victims: every entity tied to a victim record is shielded (see
  :mod:`threadline.governance.shield`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import Connection

from threadline.governance.actors import Actor
from threadline.governance.policy import may_see_collection
from threadline.governance.shield import VictimShield, victim_shield
from threadline.model.collections import Collection
from threadline.store.collections import list_collections
from threadline.store.findings import Finding, FindingFilter, count_findings, query_findings
from threadline.store.merges import members_by_id
from threadline.store.scopes import all_scopes
from threadline.store.statements import entities_in


@dataclass
class Access:
    """One actor's sight over one connection (build it once per request)."""

    conn: Connection
    actor: Actor
    _collections: dict[int, Collection] | None = field(default=None, repr=False)

    # ---------------------------------------------------------------- collections
    @property
    def collections(self) -> dict[int, Collection]:
        """The collections the actor may see, by id."""
        if self._collections is None:
            self._collections = {
                c.id: c
                for c in list_collections(self.conn)
                if c.id is not None and may_see_collection(self.actor, c)
            }
        return self._collections

    @property
    def collection_ids(self) -> list[int]:
        return sorted(self.collections)

    @cached_property
    def collection_names(self) -> set[str]:
        return {c.name for c in self.collections.values()}

    def by_name(self, name: str) -> Collection | None:
        """A collection the actor may see, by name (None: hidden or missing alike)."""
        for item in self.collections.values():
            if item.name == name:
                return item
        return None

    # ---------------------------------------------------------------- findings
    @cached_property
    def scope_ids(self) -> frozenset[int] | None:
        """Finding scopes the actor may see (None: all, for the platform itself)."""
        if self.actor.system:
            return None
        visible = set(self.collections)
        mine = (self.actor.agency, self.actor.country)
        return frozenset(
            scope_id
            for scope_id, scope in all_scopes(self.conn)
            if scope.collections <= visible and (scope.private is None or scope.private == mine)
        )

    @property
    def finding_filter(self) -> FindingFilter:
        if self.actor.system:
            return FindingFilter(None)
        return FindingFilter(self.scope_ids, self.actor.agency, self.actor.country)

    def findings(
        self,
        kind: str,
        *,
        subject_ids: Sequence[str] | None = None,
        keys: Sequence[str] | None = None,
        related_ids: Sequence[str] | None = None,
        collection_ids: Sequence[int] | None = None,
        min_score: float | None = None,
        since: datetime | None = None,
        order_by_score: bool = True,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Finding]:
        """Findings of one kind the actor may see (raw: present them through the shield)."""
        return query_findings(
            self.conn,
            kind,
            subject_ids=subject_ids,
            keys=keys,
            related_ids=related_ids,
            collection_ids=collection_ids,
            min_score=min_score,
            since=since,
            order_by_score=order_by_score,
            limit=limit,
            offset=offset,
            seen=self.finding_filter,
        )

    def count_findings(self, kind: str, *, min_score: float | None = None) -> int:
        return count_findings(self.conn, kind, min_score=min_score, seen=self.finding_filter)

    # ---------------------------------------------------------------- entities
    def visible_entities(self, entity_ids: Iterable[str]) -> set[str]:
        """The given ids that name an entity the actor may see: values in a visible
        collection (a merged id counts through its members), not a hidden victim."""
        wanted = {e.strip() for e in entity_ids if e and e.strip()}
        if not wanted:
            return set()
        members = members_by_id(self.conn, wanted)
        every = {m for group in members.values() for m in group}
        held = entities_in(self.conn, every, None if self.actor.system else self.collection_ids)
        return {
            entity_id
            for entity_id, group in members.items()
            if group & held and not self.shield.hides(entity_id)
        }

    # ---------------------------------------------------------------- victims
    @cached_property
    def shield(self) -> VictimShield:
        return victim_shield(self.conn, self.actor)

    def shielded(self, entity_ids: Iterable[str | None]) -> VictimShield:
        """The shield, counting what this view names (for audit details)."""
        return victim_shield(self.conn, self.actor, entity_ids)

    def redact(self, value: Any) -> Any:
        """Identifying values of hidden victims withheld from any payload."""
        return self.shield.redact(value)


def access_for(conn: Connection, actor: Actor) -> Access:
    return Access(conn, actor)


def visible_collection_ids(conn: Connection, actor: Actor) -> list[int]:
    """Ids of every collection the actor may read."""
    return Access(conn, actor).collection_ids


def producer(actor: Actor) -> dict[str, str | None]:
    """The agency a run of this actor belongs to, as ``start_run`` takes it (the platform's
    own processes belong to no agency)."""
    if actor.system:
        return {"agency": None, "country": None}
    return {"agency": actor.agency, "country": actor.country}
