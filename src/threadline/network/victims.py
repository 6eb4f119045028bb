"""How network views learn who is a victim, and how they keep victims anonymous.

``VictimPolicy`` says which entity ids are victims, whether an actor may see a
given victim's identity and the label to show otherwise. ``records_policy``
builds it from the victim records (``threadline.victims``): an entity linked to
a victim record (or the missing-person report linked to one), or merged with
one, is a victim shown by the record's pseudonym unless governance
(``may_see_victim_identity``) lets the actor see the identity: the governance shield
seen from a graph. The default
policy (nobody is a victim) exists for callers that pass their own, such as
tests and the evaluator.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from threadline.governance import Actor


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
    stand_in: Callable[[str], str] = pseudonym  # the id shown instead of a hidden entity's

    def hides(self, actor: Actor, entity_id: str) -> bool:
        return self.is_victim(entity_id) and not self.may_reveal(actor, entity_id)


NO_VICTIMS = VictimPolicy()


def records_policy(conn: Connection, canonical: Mapping[str, str]) -> VictimPolicy:
    """The policy the victim records imply, for a graph whose merged ids map to ``canonical``.

    It is the governance shield (:mod:`threadline.governance.shield`) seen from a graph:
    an entity tied to a victim record (node keys are canonical ids, so a canonical id
    counts through its members) is a victim, shown by the record's pseudonym unless the
    actor may see her identity.
    """
    from threadline.governance.protection import protection_index
    from threadline.governance.shield import identity_decision, stand_in

    index = protection_index(conn)
    if not index.records:
        return NO_VICTIMS
    by_canonical = {canonical.get(e, e): p for e, p in index.by_entity.items()}

    def lookup(entity_id: str) -> Any:
        return index.get(entity_id) or by_canonical.get(canonical.get(entity_id, entity_id))

    def is_victim(entity_id: str) -> bool:
        # The person herself; her documents and accounts are shown as hers (Disclosure).
        found = lookup(entity_id)
        if found is None:
            return False
        ids = {entity_id, canonical.get(entity_id, entity_id)}
        return bool(ids & found.people) or not (ids & found.entities)

    def may_reveal(actor: Actor, entity_id: str) -> bool:
        found = lookup(entity_id)
        return found is None or identity_decision(actor, found.owner_agency, found.owner_country)[0]

    def label(entity_id: str) -> str:
        found = lookup(entity_id)
        return str(found.pseudonym) if found is not None else pseudonym(entity_id)

    def shown_id(entity_id: str) -> str:
        found = lookup(entity_id)
        return stand_in(found, entity_id) if found is not None else pseudonym(entity_id)

    return VictimPolicy(is_victim, may_reveal, label, shown_id)
