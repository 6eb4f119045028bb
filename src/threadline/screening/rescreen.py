"""Re-screening recent travellers when the lists change.

A notice published today concerns a traveller who crossed last week as much as one who
crosses tomorrow. When a watchlist or a stolen and lost document list gains or changes
entries, each agency's manifests of the last ``rescreen_days`` (kept by the manifest
archive, within ``manifest_retention_days``) are screened again against the lists as they
now stand, as that agency, with the purpose ``border_check``. Alerts are keyed by what
they are about, so a traveller already alerted is not alerted twice, a dismissed hit stays
dismissed unless its evidence changed (and then says what changed), and a new hit is a new
alert for the agency that screened the traveller.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from threadline.governance import Actor, Purpose, Role
from threadline.governance.access import Access
from threadline.screening.archive import recent_manifests
from threadline.screening.manifest import manifest_file, screen_manifest
from threadline.screening.tables import screened_manifest as t_manifest
from threadline.settings import get_settings
from threadline.store import Store

RESCREEN_USER = "system:rescreen"


def rescreen_since(now: datetime | None = None) -> datetime:
    """The oldest receipt re-screened: ``rescreen_days`` ago."""
    return (now or datetime.now(UTC)) - timedelta(days=get_settings().rescreen_days)


def rescreener(agency: str, country: str) -> Actor:
    """The platform re-screening for an agency: that agency's border check, attributed to
    the platform in the audit trail."""
    return Actor(RESCREEN_USER, agency, country, frozenset({Role.BORDER_OFFICER})).for_purpose(
        Purpose.BORDER_CHECK
    )


def agencies_to_rescreen(conn: Connection, collection: str) -> list[tuple[str, str]]:
    """The agencies that screened manifests in the re-screening window and may see this
    collection (a list they cannot see never screens their travellers)."""
    found = conn.execute(
        select(t_manifest.c.agency, t_manifest.c.country)
        .where(t_manifest.c.received_at >= rescreen_since())
        .distinct()
    ).all()
    return sorted(
        (agency, country)
        for agency, country in found
        if Access(conn, rescreener(agency, country)).by_name(collection) is not None
    )


def rescreen_recent(
    store: Store,
    actor: Actor,
    *,
    done: Collection[int] = (),
    on_manifest: Callable[[Connection, int], None] | None = None,
) -> dict[str, Any]:
    """Screen again the manifests the actor's agency received in the re-screening window.

    ``done`` are archive ids an earlier attempt already re-screened (skipped);
    ``on_manifest(conn, archive_id)`` runs inside each manifest's screening transaction, so
    a caller can record progress that commits with the screening itself."""
    with store.connect() as conn:
        manifests = recent_manifests(conn, actor.agency, actor.country, rescreen_since())
    counts = {"manifests": 0, "skipped": 0, "travellers": 0, "hits": 0}
    counts |= {"alerts_raised": 0, "alerts_reopened": 0}
    for item in manifests:
        if item.id in done:
            counts["skipped"] += 1
            continue
        with manifest_file(item.file_name, item.content) as path:

            def within(conn: Connection, run: dict[str, Any], ident: int = item.id) -> None:
                for name in ("travellers", "hits", "alerts_raised", "alerts_reopened"):
                    counts[name] += int(run.get(name) or 0)
                if on_manifest is not None:
                    on_manifest(conn, ident)

            screen_manifest(store, actor, path, within=within)
        counts["manifests"] += 1
    return counts
