"""Writes across agencies are refused, and a refused write changes nothing.

France's bureau (B) tries to judge and retract linkage pairs of Sweden's bureau (A), to
make A's red-notice subject (or a record it cannot see, or one that does not exist) a
protected person through its own victim record, and to erase a person whose id collides
with one of A's. Anyone but an administrator or a coordinator tries to create a watchlist
shared with all. Each attempt runs on a fresh copy of the world, by API, web page and
command line; the store is compared before and after (the audit log aside: refusals are
audited).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from support.agencies import (
    FR_NOTICES,
    MISSING_ID,
    RED,
    RED_BORN,
    RED_NAME,
    SUSPECT,
    SUSPECT_TWIN,
    USERS,
    World,
)
from support.crawl_cli import CliRun
from support.platform import Platform, copied, refused
from support.state import changes, snapshot
from threadline.store.tables import collection as t_collection
from threadline.store.tables import finding as t_finding
from threadline.store.tables import job as t_job
from threadline.store.tables import statement as t_statement


@pytest.fixture
def platform(world_template: World, tmp_path: Path) -> Iterator[Platform]:
    served = Platform(copied(world_template, tmp_path / "db"))
    yield served
    served.close()


def cli_refused(run: CliRun) -> bool:
    """Exit code 2 with one error line (not a usage error: the command was well formed)."""
    return run.code == 2 and "error:" in run.text and "Usage:" not in run.text


def _unchanged(platform: Platform, attempt: Callable[[], bool]) -> None:
    before = snapshot(platform.world.db)
    was_refused = attempt()
    diff = changes(before, snapshot(platform.world.db))
    assert was_refused and not diff, f"refused: {was_refused}; changed: {diff or 'nothing'}"


# --- linkage judgements ---------------------------------------------------------------

PAIRS = {
    "A's owner-only pair": (SUSPECT, SUSPECT_TWIN),
    "a pair that does not exist": (MISSING_ID, "no-such-entity-0001"),
}
# Both sides are A's, shared with all: B may judge them, for B's own linkage only.
SHARED_PAIR = ("se-mp-0412", "se-idp-5191")


def _judge(platform: Platform, door: str, left: str, right: str) -> bool:
    actor = "fr-analyst"
    if door == "api":
        body = {"left": left, "right": right, "judgement": "different", "reason": "not him"}
        return refused(platform.api(actor, "POST", "/linkage/judgements", json=body).status_code)
    if door == "cli":
        return cli_refused(platform.cli(actor, "link", "decide", left, right, "different"))
    with platform.web(actor) as web:
        form = {"left": left, "right": right, "judgement": "different", "reason": "not him"}
        return refused(web.post("/linkage/judgements", form).status_code)


def _retract(platform: Platform, door: str, left: str, right: str) -> bool:
    actor = "fr-analyst"
    if door == "api":
        params = {"left": left, "right": right}
        return refused(
            platform.api(actor, "DELETE", "/linkage/judgements", params=params).status_code
        )
    if door == "cli":
        return cli_refused(platform.cli(actor, "link", "retract", left, right))
    with platform.web(actor) as web:
        return refused(web.post("/linkage/retractions", {"left": left, "right": right}).status_code)


DOORS = ["api", "web", "cli"]


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("pair", list(PAIRS))
def test_another_agency_cannot_judge_a_pair(platform: Platform, pair: str, door: str) -> None:
    left, right = PAIRS[pair]
    _unchanged(platform, lambda: _judge(platform, door, left, right))


@pytest.mark.parametrize("door", DOORS)
def test_a_judgement_on_shared_records_shapes_only_the_judging_agencys_linkage(
    platform: Platform, door: str
) -> None:
    from support.state import owners_linkage

    before = owners_linkage(platform)
    _judge(platform, door, *SHARED_PAIR)
    assert owners_linkage(platform) == before


@pytest.mark.parametrize("door", DOORS)
def test_another_agency_cannot_retract_the_owners_judgement(platform: Platform, door: str) -> None:
    _unchanged(platform, lambda: _retract(platform, door, SUSPECT, SUSPECT_TWIN))


# --- victim records -------------------------------------------------------------------

LINKS = {
    "A's red-notice subject": ("entity", RED),
    "an entity B cannot see": ("entity", SUSPECT),
    "an id that does not exist": ("entity", MISSING_ID),
    "A's red-notice subject as missing-person report": ("report", RED),
}


def _link(platform: Platform, door: str, how: str, entity: str) -> bool:
    actor, record = "fr-liaison", platform.world.fr_pseudonym
    if door == "api":
        if how == "entity":
            path, body = f"/victims/{record}/entities", {"entity_ids": [entity]}
        else:
            path, body = f"/victims/{record}/missing-report", {"report_id": entity, "country": "SE"}
        return refused(platform.api(actor, "POST", path, json=body).status_code)
    if how == "entity":
        return cli_refused(platform.cli(actor, "victims", "link-entity", record, entity))
    return cli_refused(
        platform.cli(actor, "victims", "link-missing", record, entity, "--country", "SE")
    )


def _owner_screening(platform: Platform) -> str:
    body = {"names": [RED_NAME], "dob": RED_BORN}
    answer = platform.api(
        "se-officer", "POST", "/screening/person", json=body, params={"purpose": "border_check"}
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["decision"])


@pytest.mark.parametrize("door", ["api", "cli"])
@pytest.mark.parametrize("link", list(LINKS))
def test_another_agencys_liaison_cannot_protect_what_it_does_not_hold(
    platform: Platform, link: str, door: str
) -> None:
    how, entity = LINKS[link]
    assert _owner_screening(platform) == "match"
    before = snapshot(platform.world.db)
    was_refused = _link(platform, door, how, entity)
    diff = changes(before, snapshot(platform.world.db))
    decision = _owner_screening(platform)
    assert was_refused and not diff and decision == "match", (
        f"refused: {was_refused}; changed: {diff or 'nothing'}; "
        f"A's screening of {RED_NAME} now answers {decision!r}"
    )


# --- watchlists -----------------------------------------------------------------------

MAY_DEFINE_WATCHLISTS = ("admin", "coordinator")
OTHERS = [u for u in USERS if u.split("-", 1)[1] not in MAY_DEFINE_WATCHLISTS]
NOTICE = (
    b'{"id": "wl-1", "schema": "Person",'
    b' "properties": {"name": ["Ivo Brankovic"], "topics": ["wanted"]}}\n'
)


def _shared_watchlists(platform: Platform) -> set[str]:
    with platform.store.connect() as conn:
        rows = conn.execute(select(t_collection)).mappings().all()
    return {
        r["name"]
        for r in rows
        if (r["watchlist"] or r["kind"] == "notices") and r["sharing"] != "owner"
    }


def _create_watchlist(platform: Platform, actor: str, door: str, name: str) -> int:
    """The answer's status (CLI: exit code)."""
    if door == "api":
        body = {"name": name, "kind": "notices", "sharing": "all", "watchlist": True}
        return platform.api(actor, "POST", "/collections", json=body).status_code
    if door == "cli":
        run = platform.cli(
            actor, "collections", "create", name, "--kind", "notices", "--sharing", "all",
            "--watchlist",
        )  # fmt: skip
        return run.code
    with platform.web(actor) as web:
        files = {"file": ("wanted.ftm.jsonl", NOTICE, "application/json")}
        status = web.post("/collections/upload", {"collection": name}, files=files).status_code
    _ingestion_done(platform)
    return status


def _ingestion_done(platform: Platform, seconds: float = 20.0) -> None:
    """Wait for the upload's background job (the page answers as soon as it has started)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with platform.store.connect() as conn:
            running = conn.execute(select(t_job.c.id).where(t_job.c.status == "running")).first()
        if running is None:
            return
        time.sleep(0.1)


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("actor", OTHERS)
def test_only_administrators_and_coordinators_create_shared_watchlists(
    platform: Platform, actor: str, door: str
) -> None:
    before = _shared_watchlists(platform)
    status = _create_watchlist(platform, actor, door, f"{actor}-wanted")
    created = _shared_watchlists(platform) - before
    assert not created, (
        f"{actor} created watchlist(s) shared with all: {sorted(created)} ({status})"
    )


@pytest.mark.parametrize("door", ["api", "cli"])
def test_an_administrator_creates_a_shared_watchlist(platform: Platform, door: str) -> None:
    # The control: the same request from an administrator does create one.
    before = _shared_watchlists(platform)
    status = _create_watchlist(platform, "se-admin", door, "se-admin-wanted")
    assert _shared_watchlists(platform) - before == {"se-admin-wanted"}, status


# --- erasure --------------------------------------------------------------------------


def _others_rows(platform: Platform) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Every value not held by B, and every finding."""
    with platform.store.connect() as conn:
        mine = select(t_collection.c.id).where(t_collection.c.owner_agency == "NCB Paris")
        values = conn.execute(
            select(t_statement).where(t_statement.c.collection_id.not_in(mine))
        ).all()
        findings = conn.execute(select(t_finding)).all()
    return sorted(map(tuple, values), key=repr), sorted(map(tuple, findings), key=repr)


def test_erasing_a_colliding_id_leaves_the_owners_values_and_findings(platform: Platform) -> None:
    before = _others_rows(platform)
    run = platform.cli("fr-admin", "person", "erase", RED, "--reason", "subject asked for erasure")
    assert run.code == 0, run.text  # B erases its own copy of the notice
    values, findings = _others_rows(platform)
    lost_values = len(set(before[0]) - set(values))
    lost_findings = [f for f in before[1] if f not in findings]
    assert not (lost_values or lost_findings), (
        f"B's erasure of {RED} in {FR_NOTICES} deleted {lost_values} of A's values and "
        f"{len(lost_findings)} findings: {[(f[2], f[3]) for f in lost_findings][:5]}"
    )
