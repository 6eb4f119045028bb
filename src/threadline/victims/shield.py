"""The one rule for showing people who have a victim record, whatever analysis shows them.

Screening, tracing and the dashboard call :func:`victim_shield` with the entity
ids they are about to present. An entity linked to a victim record (or merged
with one, or the missing-person report linked to one) is *protected*:

- it is never presented as a suspect: every interface labels it
  :data:`PROTECTED_LABEL` with the guidance to contact the owning agency's
  victim liaison, whatever list it was found on;
- unless governance lets the actor see that record's identity
  (``may_see_victim_identity``: the owning agency's victim liaison officers,
  and the platform itself), it is *hidden*: shown by the record's pseudonym,
  without its entity id (ids lead to names, as the victim view says) and
  without any value taken from it (names, birth dates, document numbers,
  phones, places).

Each analysis applies the decision to its own result shape in its service
layer, so the API, the web pages and the CLI show the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from threadline.governance import Actor
from threadline.victims.protection import protections

PROTECTED_LABEL = "protected person (possible victim)"
WITHHELD = "withheld: protected person"


@dataclass(frozen=True)
class Shielded:
    """One protected entity as one actor may see it."""

    entity_id: str
    pseudonym: str
    identity_visible: bool
    access_reason: str
    owner_agency: str
    owner_country: str
    non_punishment: bool

    @property
    def guidance(self) -> str:
        return (
            f"recorded as a possible victim of trafficking ({self.pseudonym}): not a suspect; "
            f"offer protection and contact the victim liaison of {self.owner_agency} "
            f"({self.owner_country})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": PROTECTED_LABEL,
            "pseudonym": self.pseudonym,
            "identity_visible": self.identity_visible,
            "access_reason": self.access_reason,
            "contact": {"agency": self.owner_agency, "country": self.owner_country},
            "non_punishment": self.non_punishment,
            "guidance": self.guidance,
        }


@dataclass(frozen=True)
class VictimShield:
    """Which of a set of entity ids are protected, and which of those are hidden from the actor."""

    protected: Mapping[str, Shielded] = field(default_factory=dict)

    def get(self, entity_id: str | None) -> Shielded | None:
        return self.protected.get(entity_id) if entity_id else None

    def hides(self, entity_id: str | None) -> bool:
        """True when the entity is a victim whose identity the actor may not see."""
        found = self.get(entity_id)
        return found is not None and not found.identity_visible

    def shown_id(self, entity_id: str | None) -> str | None:
        """The entity id to show: None for a hidden victim."""
        return None if self.hides(entity_id) else entity_id

    def label(self, entity_id: str | None, caption: str) -> str:
        """The pseudonym for a hidden victim, else the caption."""
        found = self.get(entity_id)
        return found.pseudonym if found is not None and not found.identity_visible else caption

    def about(self, entity_id: str | None) -> dict[str, Any] | None:
        """The protection block a result carries for this entity (None when not protected)."""
        found = self.get(entity_id)
        return found.to_dict() if found is not None else None

    @property
    def hidden_count(self) -> int:
        return sum(not s.identity_visible for s in self.protected.values())


NO_SHIELD = VictimShield()


def victim_shield(conn: Connection, actor: Actor, entity_ids: Iterable[str | None]) -> VictimShield:
    """The protection of each given entity, decided by governance for this actor."""
    from threadline.victims.records import identity_decision

    found = protections(conn, (e for e in entity_ids if e))
    shielded = {}
    for entity_id, protection in found.items():
        visible, reason = identity_decision(actor, protection)
        shielded[entity_id] = Shielded(
            entity_id=entity_id,
            pseudonym=protection.pseudonym,
            identity_visible=visible,
            access_reason=reason,
            owner_agency=protection.owner_agency,
            owner_country=protection.owner_country,
            non_punishment=protection.non_punishment,
        )
    return VictimShield(shielded)
