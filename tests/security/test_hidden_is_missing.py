"""What another agency may not see answers exactly like what does not exist.

For each kind of record (job, collection, entity, network, victim record), France's
bureau asks for one of Sweden's bureau's owner-only records and for one that does not
exist, by API, web page and command line: the status (exit code) and the answer, with
the asked id replaced, must be the same. Otherwise the difference tells that the record
exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from support.agencies import CASE_FILE, MANIFEST_FILE, MISSING_ID, SUSPECT, World
from support.platform import Platform, copied
from threadline.store.tables import collection as t_collection
from threadline.store.tables import job as t_job

ASKER = "fr-analyst"
PURPOSE = {"purpose": "investigation", "reference": "FR-77"}


@pytest.fixture(scope="module")
def platform(world_template: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    served = Platform(copied(world_template, tmp_path_factory.mktemp("hidden") / "db"))
    yield served
    served.close()


@dataclass(frozen=True)
class Ask:
    door: str  # api, web or cli
    template: str  # path with {id}, or a command line with {id}

    def __str__(self) -> str:
        return f"{self.door} {self.template}"


def _owner_only_job(platform: Platform) -> str:
    with platform.store.connect() as conn:
        query = (
            select(t_job.c.id)
            .join(t_collection, t_collection.c.id == t_job.c.collection_id)
            .where(t_collection.c.name == MANIFEST_FILE)
        )
        return str(conn.execute(query).scalar_one())


def _owner_only_network(platform: Platform) -> str:
    why = {"purpose": "investigation", "reference": "CASE-8841"}
    answer = platform.api("se-analyst", "GET", "/networks", params={**why, "limit": 500})
    return next(n["id"] for n in answer.json()["items"] if SUSPECT in n["members"])


KINDS: dict[str, list[Ask]] = {
    "job": [
        Ask("api", "/jobs/{id}"),
        Ask("web", "/jobs/{id}"),
        Ask("web", "/jobs/{id}/progress"),
        Ask("cli", "jobs show {id}"),
    ],
    "collection": [
        Ask("api", "/collections/{id}"),
        Ask("cli", "collections show {id}"),
        Ask("cli", "export --collection {id}"),
        Ask("cli", "jobs list --collection {id}"),
        Ask("cli", "ads personas --collection {id}"),
    ],
    "entity": [
        Ask("api", "/entities/{id}"),
        Ask("api", "/network/expand/{id}"),
        Ask("web", "/entities/{id}"),
        Ask("cli", "entities show {id}"),
        Ask("cli", "network expand {id}"),
        Ask("cli", "person export {id} --purpose investigation --reference FR-77"),
    ],
    "network": [
        Ask("api", "/networks/{id}"),
        Ask("api", "/networks/{id}/export?format=csv"),
        Ask("web", "/networks/{id}"),
        Ask("cli", "network show {id}"),
        Ask("cli", "network export {id} --format csv"),
    ],
}
MISSING = {
    "job": "98",
    "collection": "se-no-such-file",
    "entity": MISSING_ID,
    "network": "net-00000000ff",
}


def _hidden(platform: Platform, kind: str) -> str:
    if kind == "job":
        return _owner_only_job(platform)
    if kind == "network":
        return _owner_only_network(platform)
    return {"collection": CASE_FILE, "entity": SUSPECT}[kind]


def _answer(platform: Platform, ask: Ask, ident: str) -> tuple[int, str]:
    target = ask.template.replace("{id}", ident)
    if ask.door == "api":
        path, _, query = target.partition("?")
        params = {**PURPOSE, **dict(p.split("=", 1) for p in query.split("&") if p)}
        response = platform.api(ASKER, "GET", path, params=params)
        return response.status_code, response.text
    if ask.door == "web":
        with platform.web(ASKER) as web:
            response = web.get(target, params=PURPOSE)
        return response.status_code, re.sub(r"<[^>]+>|\s+", " ", response.text)
    run = platform.cli(ASKER, *target.split())
    return run.code, run.text


def _shape(text: str, ident: str) -> str:
    return re.sub(rf"(?<![\w-]){re.escape(ident)}(?![\w-])", "<id>", text).strip()


CASES = [(kind, ask) for kind, asks in KINDS.items() for ask in asks]


@pytest.mark.parametrize(("kind", "ask"), CASES, ids=[f"{k}-{a}" for k, a in CASES])
def test_hidden_answers_like_missing(platform: Platform, kind: str, ask: Ask) -> None:
    hidden, missing = _hidden(platform, kind), MISSING[kind]
    seen = _answer(platform, ask, hidden)
    absent = _answer(platform, ask, missing)
    assert (seen[0], _shape(seen[1], hidden)) == (absent[0], _shape(absent[1], missing)), (
        f"{ASKER} can tell A's {kind} {hidden} exists: {seen[0]} {seen[1][:200]!r} "
        f"vs {absent[0]} {absent[1][:200]!r}"
    )


@pytest.mark.parametrize("door", ["api", "web", "cli"])
def test_a_victim_record_is_either_listed_or_answers_like_a_missing_one(
    platform: Platform, door: str
) -> None:
    record, missing = platform.world.pseudonym, "V-0000-0000"
    listed = record in platform.api(ASKER, "GET", "/victims").text
    ask = Ask(
        door, {"api": "/victims/{id}", "web": "/victims/{id}", "cli": "victims show {id}"}[door]
    )
    seen, absent = _answer(platform, ask, record), _answer(platform, ask, missing)
    if listed:
        # Shown pseudonymised to other agencies: the read answers, without the identity.
        assert seen[0] in (0, 200) and "Zyxquorra" not in seen[1], seen
    else:
        assert (seen[0], _shape(seen[1], record)) == (absent[0], _shape(absent[1], missing))
