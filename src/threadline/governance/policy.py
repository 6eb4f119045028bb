"""Access decisions, each with its reason (allow and deny alike)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection

from threadline.exc import ThreadlineError
from threadline.governance.actors import Actor, Purpose, Role
from threadline.model.collections import Collection, CollectionKind, Sharing


class AccessDenied(ThreadlineError):
    """The actor may not do this; the message says why (without revealing hidden data)."""


class PurposeRequired(AccessDenied):
    """A person query without the purpose (or the reference) it needs."""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def owns(actor: Actor, item: Collection) -> bool:
    """Whether the actor acts for the agency that owns the collection (or is the platform)."""
    return actor.system or (actor.agency, actor.country) == (item.owner_agency, item.owner_country)


def require_may_add(conn: Connection, actor: Actor, collection: str) -> None:
    """Only the owning agency adds data to an existing collection (a new one becomes theirs)."""
    from threadline.store.collections import find_collection

    found = find_collection(conn, collection)
    if found is not None and not owns(actor, found):
        raise AccessDenied("only the owning agency may add data to a collection")


# Who may make data screen other agencies' travellers or change what others see.
STEWARD_ROLES = frozenset({Role.ADMINISTRATOR, Role.OPERATION_COORDINATOR})


def _is_watchlist(item: Collection) -> bool:
    return item.watchlist or item.kind is CollectionKind.NOTICES


def may_create_collection(actor: Actor, item: Collection) -> Decision:
    """A collection is created for the actor's own agency; a watchlist that others screen
    against (shared beyond its owner) needs an administrator or an operation coordinator."""
    if actor.system:
        return Decision(True, "platform process")
    foreign = (item.owner_agency, item.owner_country) != (actor.agency, actor.country)
    if foreign and Role.ADMINISTRATOR not in actor.roles:
        return Decision(False, "only an administrator creates a collection for another agency")
    shared = _is_watchlist(item) and item.sharing is not Sharing.OWNER
    if shared and not actor.roles & STEWARD_ROLES:
        return Decision(
            False,
            "a watchlist shared with other agencies screens their travellers: it needs "
            "the administrator or operation_coordinator role",
        )
    return Decision(True, "owning agency")


def may_change_collection(actor: Actor, current: Collection, wanted: Collection) -> Decision:
    """Only the owning agency changes a collection; sharing, the watchlist flag and the
    owner are changed by its administrators and operation coordinators."""
    if actor.system:
        return Decision(True, "platform process")
    if not owns(actor, current):
        return Decision(False, "only the owning agency may change a collection")
    governed = (
        current.sharing != wanted.sharing
        or tuple(current.shared_countries) != tuple(wanted.shared_countries)
        or current.watchlist != wanted.watchlist
        or _is_watchlist(current) != _is_watchlist(wanted)
        or (current.owner_agency, current.owner_country)
        != (wanted.owner_agency, wanted.owner_country)
    )
    if governed and not actor.roles & STEWARD_ROLES:
        return Decision(
            False,
            "sharing, watchlist and ownership changes need the administrator or "
            "operation_coordinator role",
        )
    return Decision(True, "owning agency")


def may_judge(actor: Actor) -> Decision:
    """Linkage judgements are analysts' work (on entities they may see, checked by linkage)."""
    if actor.system or Role.ANALYST in actor.roles:
        return Decision(True, "analyst")
    return Decision(False, "linkage review needs the analyst role")


def may_link_victim(actor: Actor, held_by_agency: bool) -> Decision:
    """A victim liaison links to a victim record only entities their own agency holds: a
    link shields the entity in every view, so it must never silence another agency's data."""
    if actor.system:
        return Decision(True, "platform process")
    if Role.VICTIM_LIAISON not in actor.roles:
        return Decision(False, "only victim liaison officers may link entities to victim records")
    if not held_by_agency:
        return Decision(
            False, "only entities your agency holds can be linked to its victim records"
        )
    return Decision(True, "victim liaison of the holding agency")


def may_see_collection(actor: Actor, item: Collection, now: datetime | None = None) -> Decision:
    """Whether the actor may read the collection's records, and why.

    The owning agency always sees its data. Others see it while it is shared with
    them (all members, or their country listed) and not past its review date
    without renewal: data past review are withdrawn from sharing.
    """
    if actor.system:
        return Decision(True, "platform process")
    if owns(actor, item):
        return Decision(True, "owning agency")
    moment = now or datetime.now(UTC)
    if item.review_at is not None and item.review_at <= moment:
        return Decision(False, "past its review date: withdrawn from sharing")
    if item.sharing is Sharing.ALL:
        return Decision(True, "shared with all members")
    if item.sharing is Sharing.COUNTRIES and actor.country in item.shared_countries:
        return Decision(True, f"shared with {actor.country}")
    return Decision(False, "not shared with this agency")


def visible_collection_ids(conn: Connection, actor: Actor) -> list[int]:
    """Ids of every collection the actor may read."""
    from threadline.store.collections import list_collections

    return [
        c.id for c in list_collections(conn) if c.id is not None and may_see_collection(actor, c)
    ]


def may_see_victim_identity(actor: Actor, owner_agency: str, owner_country: str) -> Decision:
    """Full victim data only for the victim-liaison role of the owning agency."""
    if actor.agency != owner_agency or actor.country != owner_country:
        return Decision(False, "victim records of another agency are shown pseudonymised")
    if Role.VICTIM_LIAISON not in actor.roles:
        return Decision(False, "only victim liaison officers see a victim's identity")
    return Decision(True, "victim liaison of the owning agency")


def may_change_victim_record(actor: Actor, owner_agency: str, owner_country: str) -> Decision:
    """Changing a victim record is for victim liaison officers of the owning agency.

    A new record is owned by the actor's own agency, so creating one needs only the role.
    """
    if actor.system:
        return Decision(True, "platform process")
    if (actor.agency, actor.country) != (owner_agency, owner_country):
        return Decision(False, "only the owning agency may change a victim record")
    if Role.VICTIM_LIAISON not in actor.roles:
        return Decision(False, "only victim liaison officers may change victim records")
    return Decision(True, "victim liaison of the owning agency")


# Who acts on a notification addressed to their agency (auditors only read).
ACKNOWLEDGING_ROLES = frozenset(
    {
        Role.VICTIM_LIAISON,
        Role.ANALYST,
        Role.OPERATION_COORDINATOR,
        Role.BORDER_OFFICER,
        Role.ADMINISTRATOR,
    }
)


def may_receive_notification(actor: Actor, country: str, agency: str | None) -> Decision:
    """A notification is for the users of the agency it is addressed to.

    One addressed to a country without naming an agency is for every agency of
    that country.
    """
    if actor.system:
        return Decision(True, "platform process")
    if actor.country != country:
        return Decision(False, "addressed to another country")
    if agency is not None and actor.agency != agency:
        return Decision(False, "addressed to another agency")
    return Decision(True, "addressed to this agency" if agency else f"addressed to {country}")


def may_acknowledge_notification(actor: Actor, country: str, agency: str | None) -> Decision:
    """Acknowledging is for an addressee who acts on it (not an auditor who only reads)."""
    received = may_receive_notification(actor, country, agency)
    if not received:
        return received
    if not actor.system and not actor.roles & ACKNOWLEDGING_ROLES:
        return Decision(False, "auditors read notifications but do not acknowledge them")
    return received


PERSON_QUERY_PURPOSES = frozenset(Purpose)
NEEDS_REFERENCE = frozenset({Purpose.INVESTIGATION, Purpose.OPERATION, Purpose.AUDIT})


def may_state_purpose(actor: Actor, purpose: Purpose) -> Decision:
    """Whether the actor may query person data for this purpose: ``audit`` is for auditors."""
    if purpose is Purpose.AUDIT and Role.AUDITOR not in actor.roles:
        return Decision(False, "purpose 'audit' is for auditors")
    return Decision(True, f"purpose '{purpose}'")


def require_purpose(actor: Actor) -> Purpose:
    """Person queries need a purpose the actor may state, and a reference where one applies."""
    if actor.system:
        return actor.purpose or Purpose.INVESTIGATION
    if actor.purpose is None:
        allowed = ", ".join(p.value for p in Purpose)
        raise PurposeRequired(f"a person query needs a purpose ({allowed})")
    stated = may_state_purpose(actor, actor.purpose)
    if not stated:
        raise AccessDenied(stated.reason)
    if actor.purpose in NEEDS_REFERENCE and not actor.reference:
        raise PurposeRequired(f"purpose '{actor.purpose}' needs a case or operation reference")
    return actor.purpose
