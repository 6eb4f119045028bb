"""The ids a crawl fills in: what the owning agency itself sees, plus the planted records.

Harvested from A's victim liaison officer's and administrator's own list views (API
and CLI), so every collection, job, network, victim record, operation, lead,
persona and analysed ad A has is asked for by everyone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from fastapi.testclient import TestClient

from support.agencies import (
    CASE_COMPANY,
    CASE_PASSPORT,
    FR_OWN,
    MANIFEST_FILE,
    RED,
    RED_NAME,
    SUSPECT,
    SUSPECT_TWIN,
    VICTIM,
    VICTIM_DOCUMENT,
    VICTIM_NAME,
    VICTIM_PASSPORT,
    YELLOW,
    World,
)
from support.crawl import API, PURPOSE, Fills
from support.crawl_cli import run_cli
from threadline.store import Store, open_store
from threadline.store.collections import get_collection
from threadline.store.statements import iter_collection_entities

OWNERS = ("se-liaison", "se-admin")
PLANTED = [
    VICTIM,
    VICTIM_PASSPORT,
    YELLOW,
    RED,
    SUSPECT,
    SUSPECT_TWIN,
    CASE_PASSPORT,
    CASE_COMPANY,
    "se-ad-3001",
    "se-mp-0412",
    "se-idp-5191",
    FR_OWN,
]
# (list route, key in each item, parameter names it fills)
LISTS = [
    ("/collections", "name", ("name", "collection")),
    ("/jobs", "id", ("job_id",)),
    ("/networks", "id", ("network_id",)),
    ("/victims", "pseudonym", ("pseudonym", "victim")),
    ("/operations", "code", ("code",)),
    ("/tracing/leads", "report_id", ("report_id", "report")),
    ("/alerts", "id", ("alert_id",)),
    ("/tasks", "id", ("task_id",)),
    ("/rules", "name", ("name",)),
]
SEARCH_PROBES = ["Zyxq", "Quenn", "Brennq", "Varnem", "Orlenk", "Liora", "Brannv"]


def _items(body: Any) -> list[dict[str, Any]]:
    items = body.get("items", body) if isinstance(body, dict) else body
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _add(values: dict[str, list[str]], names: Iterable[str], found: Iterable[Any]) -> None:
    found = list(found)
    for name in names:
        pool = values.setdefault(name, [])
        for value in found:
            if value is not None and str(value) not in pool:
                pool.append(str(value))


def _travellers(store: Store) -> list[str]:
    with store.connect() as conn:
        found = get_collection(conn, MANIFEST_FILE)
        assert found.id is not None
        return [
            str(e.id) for e in iter_collection_entities(conn, found.id) if e.schema.name == "Person"
        ]


def _from_lists(
    world: World, client: TestClient, user: str, lists: list[tuple[str, str, tuple[str, ...]]]
) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    headers = {"Authorization": f"Bearer {world.tokens[user]}"}
    for route, key, names in lists:
        answer = client.get(f"{API}{route}", params={**PURPOSE, "limit": 500}, headers=headers)
        if answer.status_code == 200:
            _add(values, names, (item.get(key) for item in _items(answer.json())))
    return values


# Ids computed on what each actor may see (a network's id depends on its visible members).
OWN_VIEW = [LISTS[2], LISTS[5]]


def for_actor(world: World, client: TestClient, fills: Fills, actor: str) -> Fills:
    """The owner's fills plus the ids of the actor's own networks and leads."""
    if actor not in world.tokens:
        return fills
    values = {k: list(v) for k, v in fills.values.items()}
    for name, found in _from_lists(world, client, actor, OWN_VIEW).items():
        _add(values, [name], [v for v in found if v not in values.get(name, [])])
    return Fills(values, fills.pairs, fills.formats)


def harvest(world: World, client: TestClient) -> Fills:
    """Fills for every parameter the crawl meets."""
    from threadline.network import FORMATS as NETWORK_FORMATS
    from threadline.operations.reports import FORMATS as REPORT_FORMATS

    values: dict[str, list[str]] = {}
    for user in OWNERS:
        for name, found in _from_lists(world, client, user, LISTS).items():
            _add(values, [name], found)
        for command, name in (("personas", "persona_id"), ("results", "ad_id")):
            listed = run_cli(world.db, user, ["ads", command, "--json"])
            if listed.code == 0:
                found = json.loads(listed.text.strip() or "[]")
                _add(values, [name], (item.get("id") for item in _items(found)))
    store = open_store(str(world.db))
    try:
        travellers = _travellers(store)
    finally:
        store.close()
    entities = [*PLANTED, *travellers]
    _add(values, ["entity_id", "entity", "start", "goal"], entities)
    _add(values, ["report_id"], [world.pseudonym, YELLOW])
    _add(values, ["country"], ["SE", "FR"])
    _add(values, ["username"], OWNERS)
    _add(values, ["fmt"], REPORT_FORMATS)
    _add(values, ["format"], [*NETWORK_FORMATS, *REPORT_FORMATS])
    _add(values, ["q"], SEARCH_PROBES)
    # Typed by whoever screens: the names and numbers of the people A holds.
    _add(values, ["--name"], [VICTIM_NAME, "Torvald Quennerstedt", "Halvard Brennquist", RED_NAME])
    _add(values, ["number"], [VICTIM_DOCUMENT, "QX7741029", "PT5520917"])
    pairs = [
        (VICTIM, YELLOW),
        (YELLOW, VICTIM),
        (VICTIM, "se-ad-3001"),
        (SUSPECT, SUSPECT_TWIN),
        (SUSPECT, CASE_COMPANY),
        (RED, YELLOW),
        *((t, RED) for t in travellers),
    ]
    formats = list(dict.fromkeys([*NETWORK_FORMATS, *REPORT_FORMATS]))
    return Fills(values, pairs, formats)
