"""How network views learn who is a victim, and how they keep victims anonymous.

``VictimPolicy`` says which entity ids are victims, whether an actor may see a
given victim's identity and the label to show otherwise. ``records_policy``
builds it from the victim records (``threadline.victims``): an entity linked to
a victim record (or the missing-person report linked to one), or merged with
one, is a victim shown by the record's pseudonym unless governance
(``may_see_victim_identity``) lets the actor see the identity. The default
policy (nobody is a victim) exists for callers that pass their own, such as
tests and the evaluator.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection

from threadline.governance import Actor, may_see_victim_identity


def _nobody(_entity_id: str) -> bool:
    return False


def _never(_actor: Actor, _entity_id: str) -> bool:
    return False


def pseudonym(entity_id: str) -> str:
    """A stable stand-in for a victim without a record: a salted hash, not their name."""
    digest = hashlib.sha256(f"threadline-victim:{entity_id}".encode()).hexdigest()
    return f"victim-{digest[:8]}"


@dataclass(frozen=True)
class VictimPolicy:
    """Who is a victim, whether an actor may see a given victim's identity, and their label."""

    is_victim: Callable[[str], bool] = _nobody
    may_reveal: Callable[[Actor, str], bool] = _never
    label: Callable[[str], str] = pseudonym

    def hides(self, actor: Actor, entity_id: str) -> bool:
        return self.is_victim(entity_id) and not self.may_reveal(actor, entity_id)


NO_VICTIMS = VictimPolicy()


@dataclass(frozen=True)
class _Record:
    pseudonym: str
    owner_agency: str
    owner_country: str


def records_policy(conn: Connection, canonical: Mapping[str, str]) -> VictimPolicy:
    """The policy the victim records imply, for a graph whose merged ids map to ``canonical``.

    Victims are few next to entities, so every linked id is read once and
    ``protections`` resolves merges; node keys are canonical ids, so the
    canonical id of every linked entity is asked about as well.
    """
    from threadline.victims import linked_entity_ids, protections

    linked = linked_entity_ids(conn)
    if not linked:
        return NO_VICTIMS
    found = protections(conn, linked | {canonical.get(i, i) for i in linked})
    records = {
        entity_id: _Record(p.pseudonym, p.owner_agency, p.owner_country)
        for entity_id, p in found.items()
    }

    def lookup(entity_id: str) -> _Record | None:
        return records.get(entity_id) or records.get(canonical.get(entity_id, entity_id))

    def is_victim(entity_id: str) -> bool:
        return lookup(entity_id) is not None

    def may_reveal(actor: Actor, entity_id: str) -> bool:
        record = lookup(entity_id)
        if record is None:
            return True
        if actor.system:
            return True
        return bool(may_see_victim_identity(actor, record.owner_agency, record.owner_country))

    def label(entity_id: str) -> str:
        record = lookup(entity_id)
        return record.pseudonym if record is not None else pseudonym(entity_id)

    return VictimPolicy(is_victim, may_reveal, label)
