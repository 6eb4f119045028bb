"""The archive of screened manifests: what an agency screened recently, kept for a while.

Every manifest :func:`threadline.screening.manifest.screen_manifest` screens is kept here
(its content as received, file name, SHA-256, traveller count, when it was first received
and last screened, by whom) for ``manifest_retention_days`` (the settings; 30 by default,
0 keeps nothing). Two uses:

- screening rules are back-tested on it before they are switched on (how many travellers
  a rule would have flagged): :func:`threadline.screening.rules.backtest_rule`;
- a platform process re-screens recent travellers when the lists change (a new notice):
  :func:`recent_manifests` gives it an agency's manifests, with their travel records.

Each row belongs to the agency that screened the manifest: nothing here is read for
another agency. The same content screened again by the same agency is one row (its first
receipt is kept, so screening again does not extend its retention). Manifests older than
the retention period are purged whenever a manifest is archived or the archive is read,
and by :func:`purge_manifests`.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, select, update

from threadline.governance import Actor
from threadline.ingest.base import RecordError
from threadline.ingest.readers.manifests import TravelRecord, csv_row_record
from threadline.ingest.readers.paxlst_records import read_paxlst_records
from threadline.screening.tables import screened_manifest as t_manifest
from threadline.settings import get_settings

__all__ = [
    "ArchivedManifest",
    "erase_traveller",
    "keep_manifest",
    "purge_manifests",
    "recent_manifests",
    "retention_days",
    "travel_records",
]


def retention_days() -> int:
    """How long a screened manifest is kept, in days (0: not kept at all)."""
    return get_settings().manifest_retention_days


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    """A stored time in UTC (SQLite hands back naive times)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class ArchivedManifest:
    """One manifest an agency screened, as kept."""

    id: int
    agency: str
    country: str
    file_name: str
    sha256: str
    travellers: int
    received_at: datetime
    screened_at: datetime
    run_id: int | None
    content: bytes

    def records(self) -> list[TravelRecord]:
        """Its travel records, read again from the content as screening read them (records
        screening rejected are left out, as they were then)."""
        return travel_records(self.file_name, self.content)

    def to_dict(self) -> dict[str, Any]:
        """What it is, without its content."""
        return {
            "id": self.id,
            "file_name": self.file_name,
            "sha256": self.sha256,
            "travellers": self.travellers,
            "received_at": self.received_at.isoformat(),
            "screened_at": self.screened_at.isoformat(),
            "run_id": self.run_id,
        }


def travel_records(file_name: str, content: bytes) -> list[TravelRecord]:
    """The travel records of a manifest's content: a manifest CSV when the name ends in
    ``.csv``, else PAXLST (UTF-8, or Latin-1 when it is not UTF-8)."""
    if file_name.lower().endswith(".csv"):
        reader = csv.reader(io.StringIO(content.decode("utf-8-sig", errors="replace"), newline=""))
        header = [h.strip().lower() for h in next(reader, [])]
        records = []
        for number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            try:
                records.append(csv_row_record(number, header, row))
            except RecordError:
                continue
        return records
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        text = content.decode("latin-1")
    return list(read_paxlst_records(text).records)


def keep_manifest(
    conn: Connection,
    actor: Actor,
    *,
    file_name: str,
    content: bytes,
    travellers: int,
    run_id: int | None = None,
    now: datetime | None = None,
) -> int | None:
    """Keep a manifest the actor's agency screened (inside the screening's transaction);
    returns its archive id, or None when the retention period is 0 (nothing is kept).

    The same content screened again by the agency keeps its first receipt and records the
    newest screening. Expired manifests of every agency are purged first."""
    when = _now(now)
    purge_manifests(conn, now=when)
    if retention_days() <= 0:
        return None
    digest = hashlib.sha256(content).hexdigest()
    row = {
        "agency": actor.agency,
        "country": actor.country,
        "file_name": file_name[:255],
        "sha256": digest,
        "content": content,
        "travellers": travellers,
        "received_at": when,
        "received_by": actor.user[:100],
        "screened_at": when,
        "run_id": run_id,
    }
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        conn.execute(pg_insert(t_manifest).values(row).on_conflict_do_nothing())
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        conn.execute(sqlite_insert(t_manifest).values(row).on_conflict_do_nothing())
    mine = (
        (t_manifest.c.agency == actor.agency)
        & (t_manifest.c.country == actor.country)
        & (t_manifest.c.sha256 == digest)
    )
    conn.execute(update(t_manifest).where(mine).values(screened_at=when, run_id=run_id))
    found = conn.execute(select(t_manifest.c.id).where(mine)).scalar_one()
    return int(found)


def purge_manifests(
    conn: Connection, *, now: datetime | None = None, days: int | None = None
) -> int:
    """Delete every archived manifest received more than ``days`` (default: the retention
    setting) ago; with 0 days, every archived manifest. Returns how many were deleted."""
    keep = retention_days() if days is None else days
    cutoff = _now(now) - timedelta(days=max(keep, 0))
    query = delete(t_manifest)
    if keep > 0:
        query = query.where(t_manifest.c.received_at < cutoff)
    return int(conn.execute(query).rowcount or 0)


def recent_manifests(
    conn: Connection,
    agency: str,
    country: str,
    since: datetime | None = None,
    *,
    now: datetime | None = None,
) -> list[ArchivedManifest]:
    """The manifests one agency (``agency`` of ``country``) screened, first received at or
    after ``since`` (default: all it still keeps), oldest first, with their content
    (``.records()`` reads their travel records).

    For the platform's own processes (re-screening an agency's recent travellers when a
    watchlist changes, back-testing a rule of that agency). It does not check who asks:
    the caller acts for that agency, states a purpose and audits what it does with the
    records, as screening does. Nothing older than the retention period is returned,
    whatever ``since`` says."""
    days = retention_days()
    if days <= 0:
        return []
    floor = _now(now) - timedelta(days=days)
    start = floor if since is None else max(_aware(since), floor)
    rows = conn.execute(
        select(t_manifest)
        .where(
            t_manifest.c.agency == agency,
            t_manifest.c.country == country,
            t_manifest.c.received_at >= start,
        )
        .order_by(t_manifest.c.received_at, t_manifest.c.id)
    )
    return [
        ArchivedManifest(
            id=row.id,
            agency=row.agency,
            country=row.country,
            file_name=row.file_name,
            sha256=row.sha256,
            travellers=row.travellers,
            received_at=_aware(row.received_at),
            screened_at=_aware(row.screened_at),
            run_id=row.run_id,
            content=bytes(row.content),
        )
        for row in rows
    ]


def erase_traveller(conn: Connection, agency: str, country: str, entity_id: str) -> int:
    """Delete every manifest the agency keeps in which this traveller (by their traveller
    id) travelled: erasure wins over back-tests and re-screening. Returns how many."""
    from threadline.ingest.readers.travel_records import traveller_id

    rows = conn.execute(
        select(t_manifest.c.id, t_manifest.c.file_name, t_manifest.c.content).where(
            t_manifest.c.agency == agency, t_manifest.c.country == country
        )
    ).all()
    doomed = [
        row.id
        for row in rows
        if any(traveller_id(r) == entity_id for r in travel_records(row.file_name, row.content))
    ]
    if doomed:
        conn.execute(delete(t_manifest).where(t_manifest.c.id.in_(doomed)))
    return len(doomed)
