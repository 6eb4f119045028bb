"""The one rule for showing people who have a victim record, in every view.

Every read of person data goes through the access layer, which asks this module
what the actor may see of the victims among the entities it is about to show.
An entity tied to a victim record (see :mod:`threadline.governance.protection`)
is *protected*:

- it is never presented as a suspect: every view labels it :data:`PROTECTED_LABEL`
  with the guidance to contact the owning agency's victim liaison;
- unless governance lets the actor see that record's identity
  (``may_see_victim_identity``: the owning agency's victim liaison officers, and the
  platform itself), it is *hidden*: shown by the record's pseudonym, without its
  entity id (ids lead to names) and without any value taken from it. Values that
  identify her (full names, phone numbers, e-mail addresses, document numbers, the
  ids of the entities tied to her) are withheld wherever else they are written, and
  the tie between her and another agency's record of the same person is withheld.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy
from sqlalchemy import Connection

from threadline.governance.actors import Actor
from threadline.governance.policy import may_see_victim_identity
from threadline.governance.protection import Protection, ProtectionIndex, protection_index

PROTECTED_LABEL = "protected person (possible victim)"
WITHHELD = "withheld: protected person"
WITHHELD_VALUE = "[withheld]"


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


def identity_decision(actor: Actor, owner_agency: str, owner_country: str) -> tuple[bool, str]:
    """Whether the actor may see a victim record's identity, and why."""
    if actor.system:
        return True, "platform process"
    decision = may_see_victim_identity(actor, owner_agency, owner_country)
    return decision.allowed, decision.reason


def stand_in(protection: Protection, entity_id: str) -> str:
    """The id shown instead of a hidden entity's: the pseudonym for the person herself, a
    derived key for what identifies her (never her entity id)."""
    if entity_id in protection.people:
        return protection.pseudonym
    digest = hashlib.sha256(f"threadline-shield:{entity_id}".encode()).hexdigest()[:8]
    return f"{protection.pseudonym}-{digest}"


@dataclass(frozen=True)
class VictimShield:
    """What one actor may see of the protected people: labels, stand-ins, withheld values."""

    actor: Actor | None = None
    index: ProtectionIndex = field(default_factory=ProtectionIndex)
    asked: frozenset[str] | None = None  # the ids a view named, for its counts

    # ---------------------------------------------------------------- one entity
    def get(self, entity_id: str | None) -> Shielded | None:
        found = self.index.get(entity_id)
        if found is None or entity_id is None:
            return None
        visible, reason = self._decision(found)
        return Shielded(
            entity_id=entity_id,
            pseudonym=found.pseudonym,
            identity_visible=visible,
            access_reason=reason,
            owner_agency=found.owner_agency,
            owner_country=found.owner_country,
            non_punishment=found.non_punishment,
        )

    def _decision(self, found: Protection) -> tuple[bool, str]:
        if self.actor is None:
            return True, "platform process"
        return identity_decision(self.actor, found.owner_agency, found.owner_country)

    def is_protected(self, entity_id: str | None) -> bool:
        return self.index.get(entity_id) is not None

    def hides(self, entity_id: str | None) -> bool:
        """True when the entity is tied to a victim whose identity the actor may not see."""
        found = self.index.get(entity_id)
        return found is not None and not self._decision(found)[0]

    def shown_id(self, entity_id: str | None) -> str | None:
        """The entity id to show: None for a hidden victim."""
        return None if self.hides(entity_id) else entity_id

    def label(self, entity_id: str | None, caption: str) -> str:
        """The pseudonym for a hidden victim, else the caption."""
        found = self.index.get(entity_id)
        if found is None or self._decision(found)[0]:
            return caption
        return found.pseudonym

    def about(self, entity_id: str | None) -> dict[str, Any] | None:
        """The protection block a result carries for this entity (None when not protected)."""
        found = self.get(entity_id)
        return found.to_dict() if found is not None else None

    def tie_withheld(self, left: str | None, right: str | None) -> bool:
        """True when showing that these two are the same person would reveal a hidden victim."""
        if not left or not right:
            return False
        for one, other in ((left, right), (right, left)):
            found = self.index.get(one)
            if found is not None and not self._decision(found)[0] and not self.hides(other):
                return True
        return False

    @property
    def protected(self) -> dict[str, Shielded]:
        """The protected entities among those the view named."""
        found = (self.get(e) for e in sorted(self.asked or ()))
        return {s.entity_id: s for s in found if s is not None}

    @property
    def hidden(self) -> list[Protection]:
        return [p for p in self.index.records if not self._decision(p)[0]]

    @property
    def hidden_count(self) -> int:
        """How many hidden entities the view named (every hidden entity when it named none)."""
        if self.asked is None:
            return sum(len(p.entities) for p in self.hidden)
        return sum(1 for e in self.asked if self.hides(e))

    def hidden_ids(self, entity_ids: Iterable[str | None]) -> set[str]:
        return {e for e in entity_ids if e and self.hides(e)}

    # ---------------------------------------------------------------- values anywhere
    @cached_property
    def redactor(self) -> Redactor:
        ids: dict[str, str] = {}
        texts: dict[str, str] = {}
        phones: dict[str, str] = {}
        for record in self.hidden:
            for entity_id in record.entities:
                ids[entity_id] = stand_in(record, entity_id)
            for name in record.names:
                texts[name.casefold()] = record.pseudonym
            for value in record.identifiers:
                for variant in _variants(value):
                    texts[variant.casefold()] = WITHHELD_VALUE
                national = _national_digits(value)
                if national is not None:
                    phones[national] = WITHHELD_VALUE
        return Redactor(ids, texts, phones)

    def redact(self, value: Any) -> Any:
        """The value (text, list, mapping, nested) with every hidden victim's identifying
        values and entity ids replaced."""
        return self.redactor.deep(value)


def _spaced_digits(digits: str) -> str:
    """A pattern for these digits with any spacing or punctuation between them."""
    separator = r"[\s\-./()]{0,2}"
    # A national trunk prefix ("0" in 07700 ...) may stand before the national number.
    return r"(?<!\d)(?:0" + separator + ")?" + separator.join(digits) + r"(?!\d)"


def _national_digits(value: str) -> str | None:
    """The national significant number of a phone written in E.164 (None otherwise)."""
    import phonenumbers

    if not value.startswith("+"):
        return None
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return None
    national = phonenumbers.national_significant_number(number)
    return national if len(national) >= 6 else None


def _variants(value: str) -> set[str]:
    """How an identifier may be written elsewhere: as stored and without its spacing."""
    compact = re.sub(r"[\s\-./()]", "", value)
    variants = {value, compact}
    if compact.startswith("+"):
        variants.add(compact[1:])
        variants.add("00" + compact[1:])
    return {v for v in variants if len(v) >= 5}


class Redactor:
    """Replaces entity ids (whole, or inside a composite key such as ``report|sighting``)
    and, inside any text, identifying values."""

    def __init__(
        self,
        ids: Mapping[str, str],
        texts: Mapping[str, str],
        phones: Mapping[str, str] | None = None,
    ) -> None:
        self.ids = dict(ids)
        self.texts = dict(texts)
        literals = sorted(self.texts, key=len, reverse=True)
        parts = [re.escape(t) for t in literals]
        # A phone's digits however it is spaced or punctuated ("07700 900 283").
        parts += [_spaced_digits(d) for d in sorted(phones or {}, key=len, reverse=True)]
        self._pattern = re.compile("|".join(parts), re.IGNORECASE) if parts else None
        self._phones = dict(phones or {})
        self._shortest = min((len(t) for t in literals), default=0)
        if self._phones:
            self._shortest = min([self._shortest or 99, *(len(d) for d in self._phones)])
        names = sorted(self.ids, key=len, reverse=True)
        self._id_pattern = (
            re.compile("(?<![\\w-])(?:" + "|".join(re.escape(i) for i in names) + ")(?![\\w-])")
            if names
            else None
        )

    def __bool__(self) -> bool:
        return bool(self.ids or self.texts or self._phones)

    def _replace(self, match: re.Match[str]) -> str:
        found = match.group(0)
        known = self.texts.get(found.casefold())
        if known is not None:
            return known
        return WITHHELD_VALUE  # a phone's digits

    def text(self, value: str) -> str:
        found = self.ids.get(value)
        if found is not None:
            return found
        if self._id_pattern is not None:
            value = self._id_pattern.sub(lambda m: self.ids[m.group(0)], value)
        if self._pattern is None or len(value) < self._shortest:
            return value
        return self._pattern.sub(self._replace, value)

    def deep(self, value: Any) -> Any:
        if not self:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {
                (self.text(k) if isinstance(k, str) else k): self.deep(v) for k, v in value.items()
            }
        if isinstance(value, list | tuple):
            return [self.deep(v) for v in value]
        return value


NO_SHIELD = VictimShield()


def redact_entity(entity: EntityProxy, shield: VictimShield) -> EntityProxy:
    """The entity with hidden victims' identifying values and entity ids withheld."""
    redactor = shield.redactor
    if not redactor:
        return entity
    changed = False
    clean = model.make_entity(entity.schema)
    clean.id = redactor.text(str(entity.id)) if entity.id else entity.id
    for prop, value in entity.itervalues():
        shown = redactor.text(value)
        changed = changed or shown != value
        clean.unsafe_add(prop, shown, cleaned=True)
    if not changed and clean.id == entity.id:
        return entity
    return clean


def victim_shield(
    conn: Connection, actor: Actor, entity_ids: Iterable[str | None] | None = None
) -> VictimShield:
    """The victim shield for this actor over every record's ties; ``entity_ids`` names what
    the view is about to show (for its counts)."""
    asked = None if entity_ids is None else frozenset(e for e in entity_ids if e)
    return VictimShield(actor, protection_index(conn), asked)


def protections(conn: Connection, entity_ids: Iterable[str]) -> dict[str, Protection]:
    """For each given entity id tied to a victim record: that record's protection."""
    return protection_index(conn).protected(entity_ids)


def is_protected_victim(conn: Connection, entity_id: str) -> bool:
    """True when the entity is tied to a victim: never a suspect; pseudonymised."""
    return protection_index(conn).get(entity_id) is not None


def victim_label(conn: Connection, entity_id: str) -> str | None:
    """The pseudonym to show instead of the entity's name (None when not tied to a victim)."""
    found = protection_index(conn).get(entity_id)
    return found.pseudonym if found else None


def linked_entity_ids(conn: Connection) -> set[str]:
    """Every entity id tied to a victim record."""
    return set(protection_index(conn).by_entity)
