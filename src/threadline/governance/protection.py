"""Which entities are tied to a victim record, and what identifies them.

A victim record (``victim``) is tied to entities in four ways, and every one of
them is the same person or identifies her:

- linked: entities a victim liaison of the record's agency linked to it (only
  entities that agency alone holds, see ``may_link_victim``);
- the missing-person report linked to the record, when the record's agency holds it;
- merged: every entity merged with one of those (``entity_merge``);
- resolved: entities the owning agency's own linkage found to be the same person
  (links at or above the clustering threshold), among entities that agency holds;
- identifying: documents, accounts, phones and wallets that point at any of the above
  by a property (``Passport.holder``, ``UserAccount.owner`` ...).

Entities of other agencies that linkage found to be the same person are *foreign
ties*: they stay their owner's data (another agency's wanted notice is never
silenced by someone else's victim record), but the tie itself is withheld from
anyone who may not see the victim.

The index of every record's ties is computed for all records at once (victims are
few next to entities) and cached per database until something it depends on
changes (records, links, merges, linkage, ingestion), so each request pays a
handful of cheap aggregate reads.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, or_, select

from threadline.governance.tables import victim as t_victim
from threadline.governance.tables import victim_entity as t_link
from threadline.store.tables import collection as t_collection
from threadline.store.tables import entity_merge as t_merge
from threadline.store.tables import finding as t_finding
from threadline.store.tables import job as t_job
from threadline.store.tables import statement as t_statement

# Entities that identify the person they point at (by an entity property).
IDENTIFYING_SCHEMATA = frozenset(
    {
        "Passport",
        "Identification",
        "UserAccount",
        "CryptoWallet",
        "BankAccount",
        "Phone",
        "Email",
    }
)
# Values that identify a person wherever they are written (other entities' texts included).
IDENTIFYING_TYPES = frozenset({"phone", "email", "identifier", "iban"})
LINK = "link"  # linkage pair findings (threadline.linkage.predict.LINK)
RESOLVED_THRESHOLD = 0.9  # the default clustering threshold of linkage
RESOLVE_HOPS = 3


@dataclass(frozen=True)
class Protection:
    """One victim record and everything tied to it."""

    victim_id: int
    pseudonym: str
    owner_agency: str
    owner_country: str
    non_punishment: bool
    compelled_offences: tuple[str, ...]
    entities: frozenset[str] = frozenset()  # protected entity ids (the person and her papers)
    people: frozenset[str] = frozenset()  # of those, the person herself (linked, merged...)
    foreign: frozenset[str] = frozenset()  # the same person in other agencies' records
    names: frozenset[str] = frozenset()  # full names as written
    identifiers: frozenset[str] = frozenset()  # phones, e-mails, document numbers
    dates: frozenset[str] = frozenset()  # birth dates

    # The fields other modules read under the names they always had.
    @property
    def entity_id(self) -> str:
        return min(self.people or self.entities or {""})


@dataclass
class ProtectionIndex:
    """Every record's ties, and the record each tied entity belongs to (the oldest one)."""

    records: list[Protection] = field(default_factory=list)
    by_entity: dict[str, Protection] = field(default_factory=dict)
    foreign_of: dict[str, list[Protection]] = field(default_factory=dict)

    def get(self, entity_id: str | None) -> Protection | None:
        return self.by_entity.get(entity_id) if entity_id else None

    def protected(self, entity_ids: Iterable[str | None]) -> dict[str, Protection]:
        return {e: self.by_entity[e] for e in entity_ids if e and e in self.by_entity}


EMPTY_INDEX = ProtectionIndex()


def _signature(conn: Connection) -> tuple[Any, ...]:
    """Cheap aggregates that change whenever the ties could change."""
    parts = (
        select(func.count(), func.max(t_victim.c.id), func.count(t_victim.c.missing_report_id)),
        select(func.count(), func.max(t_link.c.id)),
        select(func.count(), func.max(t_merge.c.id), func.count(t_merge.c.deleted_at)),
        select(func.max(t_finding.c.id)),
        select(func.count(), func.max(t_job.c.id), func.max(t_job.c.updated_at)),
    )
    return tuple(tuple(conn.execute(q).one()) for q in parts)


_CACHE: dict[str, tuple[tuple[Any, ...], ProtectionIndex]] = {}
_CACHE_LOCK = threading.Lock()


def protection_index(conn: Connection) -> ProtectionIndex:
    """The ties of every victim record, as they are now."""
    if conn.execute(select(func.count()).select_from(t_victim)).scalar_one() == 0:
        return EMPTY_INDEX
    key = str(conn.engine.url)
    signature = _signature(conn)
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
    if cached is not None and cached[0] == signature:
        return cached[1]
    index = _build(conn)
    with _CACHE_LOCK:
        _CACHE[key] = (signature, index)
    return index


def _build(conn: Connection) -> ProtectionIndex:
    victims = conn.execute(select(t_victim).order_by(t_victim.c.id)).all()
    linked: dict[int, set[str]] = {}
    for row in conn.execute(select(t_link.c.victim_id, t_link.c.entity_id)):
        linked.setdefault(int(row.victim_id), set()).add(str(row.entity_id))
    index = ProtectionIndex()
    for row in victims:
        tied = set(linked.get(int(row.id), set()))
        if row.missing_report_id:
            tied.add(str(row.missing_report_id))
        held = _held_by(conn, row.owner_agency, row.owner_country)
        where = _collections_of(conn, tied)
        # Only what the record's agency alone holds is shielded; the rest (another agency's
        # missing-person report) stays its owner's, its tie to her withheld.
        core = {e for e in tied if where.get(e) and where[e] <= held}
        people = _merged(conn, core)
        resolved, foreign = _resolved(conn, people, held, (row.owner_agency, row.owner_country))
        foreign |= tied - core
        people |= _merged(conn, resolved)
        papers = _identifying(conn, people)
        entities = people | papers
        values = _values(conn, entities, row.personal or {})
        record = Protection(
            victim_id=int(row.id),
            pseudonym=str(row.pseudonym),
            owner_agency=str(row.owner_agency),
            owner_country=str(row.owner_country),
            non_punishment=bool(row.non_punishment),
            compelled_offences=tuple(row.compelled_offences or ()),
            entities=frozenset(entities),
            people=frozenset(people),
            foreign=frozenset(foreign - entities),
            names=values["names"],
            identifiers=values["identifiers"],
            dates=values["dates"],
        )
        index.records.append(record)
        for entity_id in entities:
            index.by_entity.setdefault(entity_id, record)
        for entity_id in record.foreign:
            index.foreign_of.setdefault(entity_id, []).append(record)
    return index


def _merged(conn: Connection, ids: set[str]) -> set[str]:
    """The ids with every id merged with them (merges not undone)."""
    if not ids:
        return set()
    rows = conn.execute(
        select(t_merge.c.canonical_id).where(
            t_merge.c.deleted_at.is_(None),
            or_(t_merge.c.canonical_id.in_(ids), t_merge.c.entity_id.in_(ids)),
        )
    ).scalars()
    canonicals = set(rows)
    if not canonicals:
        return set(ids)
    members = conn.execute(
        select(t_merge.c.entity_id).where(
            t_merge.c.deleted_at.is_(None), t_merge.c.canonical_id.in_(canonicals)
        )
    ).scalars()
    return set(ids) | canonicals | set(members)


def _held_by(conn: Connection, agency: str, country: str) -> set[int]:
    rows = conn.execute(
        select(t_collection.c.id).where(
            t_collection.c.owner_agency == agency, t_collection.c.owner_country == country
        )
    )
    return {int(r) for r in rows.scalars()}


def _collections_of(conn: Connection, ids: Iterable[str]) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), 500):
        rows = conn.execute(
            select(t_statement.c.entity_id, t_statement.c.collection_id)
            .where(t_statement.c.entity_id.in_(wanted[start : start + 500]))
            .distinct()
        )
        for entity_id, collection_id in rows:
            found.setdefault(str(entity_id), set()).add(int(collection_id))
    return found


def _resolved(
    conn: Connection, people: set[str], held: set[int], owner: tuple[str, str]
) -> tuple[set[str], set[str]]:
    """Entities the owner's (or the platform's) linkage found to be the same person:
    (held by the owner, held by others)."""
    own: set[str] = set()
    foreign: set[str] = set()
    frontier = set(people)
    seen = set(people)
    for _ in range(RESOLVE_HOPS):
        if not frontier:
            break
        ids = sorted(frontier)
        rows = conn.execute(
            select(t_finding.c.subject_id, t_finding.c.related_id).where(
                t_finding.c.kind == LINK,
                t_finding.c.score >= RESOLVED_THRESHOLD,
                or_(
                    t_finding.c.agency.is_(None),
                    (t_finding.c.agency == owner[0]) & (t_finding.c.country == owner[1]),
                ),
                or_(t_finding.c.subject_id.in_(ids), t_finding.c.related_id.in_(ids)),
            )
        ).all()
        found = {str(x) for row in rows for x in row if x is not None} - seen
        seen |= found
        where = _collections_of(conn, found)
        frontier = set()
        for entity_id in found:
            if where.get(entity_id, set()) and where[entity_id] <= held:
                own.add(entity_id)
                frontier.add(entity_id)
            else:
                foreign.add(entity_id)
    return own, foreign


def _identifying(conn: Connection, people: set[str]) -> set[str]:
    """Documents, accounts and selectors that point at the person."""
    if not people:
        return set()
    rows = conn.execute(
        select(t_statement.c.entity_id, t_statement.c.schema).where(
            t_statement.c.prop_type == "entity", t_statement.c.value.in_(sorted(people))
        )
    )
    return {str(r.entity_id) for r in rows if r.schema in IDENTIFYING_SCHEMATA} - people


def _values(
    conn: Connection, entities: set[str], personal: Mapping[str, Any]
) -> dict[str, frozenset[str]]:
    names: set[str] = set()
    identifiers: set[str] = set()
    dates: set[str] = set()
    wanted = sorted(entities)
    for start in range(0, len(wanted), 500):
        rows = conn.execute(
            select(
                t_statement.c.prop,
                t_statement.c.prop_type,
                t_statement.c.value,
                t_statement.c.original_value,
            ).where(t_statement.c.entity_id.in_(wanted[start : start + 500]))
        )
        for prop, prop_type, value, original in rows:
            written = {str(value), *([str(original)] if original else [])}
            if prop_type == "name" and prop in ("name", "alias", "previousName", "weakAlias"):
                names |= {v for v in written if len(v.split()) >= 2}
            elif prop_type in IDENTIFYING_TYPES or prop in ("number", "passportNumber"):
                identifiers |= {v for v in written if len(v) >= 5}
            elif prop == "birthDate":
                dates |= written
    name = personal.get("name")
    if isinstance(name, str) and len(name.split()) >= 2:
        names.add(name)
    for key in ("documents", "phones", "emails"):
        for value in personal.get(key) or ():
            if isinstance(value, str) and len(value) >= 5:
                identifiers.add(value)
    born = personal.get("date_of_birth")
    if isinstance(born, str):
        dates.add(born)
    return {
        "names": frozenset(names),
        "identifiers": frozenset(identifiers),
        "dates": frozenset(dates),
    }
