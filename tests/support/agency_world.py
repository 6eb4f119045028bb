"""Building the two-agency world: data, victim records, an operation and every analysis.

Built once per test session into a SQLite file (a minute of work: linkage, tracing,
networks); each test module copies the file, so a test that writes cannot disturb
another. See :mod:`support.agencies` for what the world holds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, select

from support.agencies import (
    CASE_MARKERS,
    FR_OWN,
    MANIFEST_MARKERS,
    OPERATION,
    SUSPECT,
    SUSPECT_TWIN,
    VICTIM,
    VICTIM_BORN,
    VICTIM_DOCUMENT,
    VICTIM_MARKERS,
    VICTIM_NAME,
    VICTIM_PHONE,
    YELLOW,
    Marker,
    World,
    owner_only_ids,
)
from support.agency_data import create_people, load_data
from threadline.governance.tables import audit_event
from threadline.store import Store, open_store
from threadline.victims import build_intake, create_victim, link_missing_report


def _victims(store: Store, world: World) -> None:
    with store.begin() as conn:
        view = create_victim(
            conn,
            world.actor("se-liaison"),
            build_intake(
                identified_on="2025-11-20",
                identified_how="raid",
                identified_country="SE",
                identified_place="Malmo",
                sex="female",
                minor=True,
                nationality="MD",
                forms=["sexual_exploitation"],
                personal={
                    "name": VICTIM_NAME,
                    "date_of_birth": VICTIM_BORN,
                    "documents": [VICTIM_DOCUMENT],
                    "phones": [VICTIM_PHONE],
                },
                entity_ids=[VICTIM],
            ),
        )
        link_missing_report(conn, world.actor("se-liaison"), view.pseudonym, YELLOW, "SE")
        world.pseudonym = view.pseudonym
        own = create_victim(
            conn,
            world.actor("fr-liaison"),
            build_intake(
                identified_on="2025-09-02",
                identified_how="border",
                identified_country="FR",
                personal={"name": "Maelys Renaudin"},
                entity_ids=[FR_OWN],
            ),
        )
        world.fr_pseudonym = own.pseudonym


def _operation(store: Store, world: World) -> None:
    from threadline.operations import build_spec, create_operation, submit_outcome

    spec = build_spec(
        OPERATION,
        name="Nordlys",
        start="2026-03-10",
        end="2026-03-20",
        countries=["SE", "FR"],
        focus=["sexual_exploitation"],
    )
    with store.begin() as conn:
        create_operation(conn, spec, world.actor("se-coordinator"))
        submit_outcome(
            conn,
            OPERATION,
            "SE",
            {"victims_rescued": 1, "flights_checked": 4, "arrests_trafficking": 1},
            world.actor("se-coordinator"),
        )


def _analyses(store: Store, world: World) -> None:
    """What A's analysts and officers ran: every kind of finding exists for A."""
    from threadline.ads.service import analyze_collection
    from threadline.linkage import LinkOptions, decide_pair, run_linkage
    from threadline.network import build_networks
    from threadline.screening.sources import clear_cache
    from threadline.services.worker import Worker, submit_manifest
    from threadline.tracing import run_tracing

    analyst = world.actor("se-analyst")
    clear_cache()
    analyze_collection(store, "se-ads", analyst)
    run_linkage(store, analyst, options=LinkOptions(threshold=0.95))
    decide_pair(store, analyst, SUSPECT, SUSPECT_TWIN, "same", "same passport on file")
    run_tracing(store, analyst.for_purpose("investigation", "CASE-8841"))
    officer = world.actor("se-officer").for_purpose("border_check")
    # the manifest arrives as an airline system sends it: queued, screened by the worker
    submit_manifest(
        store, officer, world.manifest.name, world.manifest.read_bytes(),
        operation=OPERATION, country="SE",
    )  # fmt: skip
    assert Worker(store).drain() == 1
    build_networks(store, full=True, user=analyst.user, actor=analyst)


def _daily_work(store: Store, world: World) -> None:
    """Looks A's users took at their records (so the audit trail holds them)."""
    from threadline.screening.matching import PersonQuery
    from threadline.screening.service import screen_person
    from threadline.services.entities import get_entity

    get_entity(store, VICTIM, world.actor("se-liaison").for_purpose("victim_identification"))
    get_entity(store, SUSPECT, world.actor("se-analyst").for_purpose("investigation", "CASE-8841"))
    officer = world.actor("se-officer").for_purpose("border_check")
    screen_person(store, officer, PersonQuery(names=["Halvard Brennquist"], birth_date="1988"))


def build_world(folder: Path) -> World:
    """The world in ``folder/world.db`` (see :mod:`support.agencies`)."""
    db = folder / "world.db"
    store = open_store(str(db))
    try:
        tokens = create_people(store)
        manifest = load_data(store, folder)
        world = World(db, folder, tokens, [], "", "", manifest, 0)
        _victims(store, world)
        _operation(store, world)
        _analyses(store, world)
        _daily_work(store, world)
        markers = [
            *(Marker(v, w, "case") for v, w in CASE_MARKERS.items()),
            *(Marker(v, w, "manifest") for v, w in MANIFEST_MARKERS.items()),
            *(Marker(v, w, "victim") for v, w in VICTIM_MARKERS.items()),
        ]
        known = {m.value for m in markers}
        for ident in owner_only_ids(store):
            if ident not in known:
                markers.append(Marker(ident, f"owner-only entity id {ident}", "case"))
        world.markers = markers
        with store.connect() as conn:
            world.audit_head = int(conn.execute(select(func.max(audit_event.c.id))).scalar_one())
    finally:
        store.close()
    return world


def copy_world(world: World, folder: Path) -> World:
    """A private copy of the world's database (same people, ids and markers)."""
    from threadline.governance.auditkey import flush_anchors

    flush_anchors()  # the anchor file is written in the background: complete it first
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "world.db"
    shutil.copyfile(world.db, db)
    for suffix in ("-wal", "-shm"):
        side = world.db.with_name(world.db.name + suffix)
        if side.exists():
            shutil.copyfile(side, db.with_name(db.name + suffix))
    # The audit chain's key and anchor sit beside the database (the default): they travel
    # with it, or the copy's log could be neither extended nor checked.
    for suffix in (".audit.key", ".audit.anchor"):
        side = world.db.with_name(world.db.stem + suffix)
        if side.exists():
            shutil.copy2(side, db.with_name(db.stem + suffix))
    return World(
        db,
        folder,
        world.tokens,
        world.markers,
        world.pseudonym,
        world.fr_pseudonym,
        world.manifest,
        world.audit_head,
        dict(world.extra),
    )
