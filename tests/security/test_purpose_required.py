"""A look at a person needs a purpose; the audit purpose is for auditors.

Sweden's bureau's analyst opens the suspect of an owner-only case file (entity page,
network views and exports, linkage review and clusters) without saying why: each read
is refused and shows none of his data. With a purpose and a case reference the same
read shows him (the control). The ``audit`` purpose is refused to anyone but an auditor.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.agencies import CASE_COMPANY, SUSPECT, SUSPECT_TWIN, World
from support.crawl import decode
from support.crawl_cli import cli_commands
from support.platform import Platform, copied, refused

ACTOR = "se-analyst"
WHY = {"purpose": "investigation", "reference": "CASE-8841"}


@pytest.fixture(scope="module")
def platform(world_template: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    served = Platform(copied(world_template, tmp_path_factory.mktemp("purpose") / "db"))
    yield served
    served.close()


@pytest.fixture(scope="module")
def network(platform: Platform) -> str:
    answer = platform.api(ACTOR, "GET", "/networks", params={**WHY, "limit": 500})
    return str(next(n["id"] for n in answer.json()["items"] if SUSPECT in n["members"]))


# (door, request with {network}; the value the answer shows when it is allowed)
READS = [
    ("api", f"/entities/{SUSPECT}", "Quennerstedt"),
    ("api", "/networks/{network}", "Quennerstedt"),
    ("api", "/networks/{network}/export?format=csv", "Quennerstedt"),
    ("api", f"/network/expand/{SUSPECT}", "Quennerstedt"),
    ("api", f"/network/path?from={CASE_COMPANY}&to={SUSPECT}", "Quennerstedt"),
    ("api", "/linkage/review", "Quennerstedt"),
    ("api", "/linkage/clusters", SUSPECT_TWIN),
    ("web", f"/entities/{SUSPECT}", "Quennerstedt"),
    ("web", "/networks/{network}", "Quennerstedt"),
    ("web", "/linkage", "Quennerstedt"),
    ("cli", f"entities show {SUSPECT}", "Quennerstedt"),
    ("cli", "network show {network}", "Quennerstedt"),
    ("cli", f"network expand {SUSPECT}", "Quennerstedt"),
    ("cli", f"network path {CASE_COMPANY} {SUSPECT}", "Quennerstedt"),
    ("cli", "network export {network} --format csv", "Quennerstedt"),
    ("cli", "link review", "Quennerstedt"),
    ("cli", "link clusters", SUSPECT_TWIN),
]
IDS = [f"{door} {request.split('?')[0]}" for door, request, _ in READS]


def _takes_purpose(argv: list[str]) -> bool:
    command = next((c for c in cli_commands() if list(c.path) == argv[: len(c.path)]), None)
    return command is not None and "purpose" in command.flags


def _read(
    platform: Platform, door: str, request: str, network: str, why: dict[str, str] | None,
    actor: str = ACTOR,
) -> tuple[int, str]:  # fmt: skip
    target = request.replace("{network}", network)
    if door == "api":
        path, _, query = target.partition("?")
        params = {**dict(p.split("=", 1) for p in query.split("&") if p), **(why or {})}
        answer = platform.api(actor, "GET", path, params=params)
        return answer.status_code, decode(answer.content, answer.headers.get("content-type", ""))
    if door == "web":
        with platform.web(actor) as web:
            answer = web.get(target, params=why or {})
        return answer.status_code, answer.text
    argv = target.split()
    if why and _takes_purpose(argv):
        argv += ["--purpose", why["purpose"]]
        if "reference" in why:
            argv += ["--reference", why["reference"]]
    run = platform.cli(actor, *argv)
    return run.code, run.text


def _shown(status: int, text: str, value: str) -> bool:
    return status in (0, 200) and value.lower() in text.lower()


@pytest.mark.parametrize("index", range(len(READS)), ids=IDS)
def test_a_person_read_without_a_purpose_is_refused(
    platform: Platform, network: str, index: int
) -> None:
    door, request, value = READS[index]
    status, text = _read(platform, door, request, network, None)
    denied = refused(status) if door == "api" else status == 2 if door == "cli" else True
    assert denied and value.lower() not in text.lower(), (
        f"{ACTOR} read {door} {request} without a purpose: {status}, {value!r} shown"
    )


@pytest.mark.parametrize("index", range(len(READS)), ids=IDS)
def test_the_same_read_with_a_purpose_is_answered(
    platform: Platform, network: str, index: int
) -> None:
    # The control: the refusal above is about the purpose, not the route or the data.
    door, request, value = READS[index]
    status, text = _read(platform, door, request, network, WHY)
    assert _shown(status, text, value), f"{status}: {text[:300]}"


AUDIT_READS = [
    ("api", f"/entities/{SUSPECT}", "Quennerstedt"),
    ("api", "/search?q=Quenn", "Quennerstedt"),
    ("api", "/networks/{network}", "Quennerstedt"),
    ("web", f"/entities/{SUSPECT}", "Quennerstedt"),
    ("web", "/search?q=Quenn", "Quennerstedt"),
    ("cli", f"person export {SUSPECT}", "Quennerstedt"),
    ("cli", "trace leads", "Ahlborg"),
]
AUDIT_IDS = [f"{d} {r.split('?')[0]}" for d, r, _ in AUDIT_READS]


@pytest.mark.parametrize("index", range(len(AUDIT_READS)), ids=AUDIT_IDS)
def test_the_audit_purpose_is_refused_to_a_non_auditor(
    platform: Platform, network: str, index: int
) -> None:
    door, request, value = AUDIT_READS[index]
    status, text = _read(platform, door, request, network, {"purpose": "audit"})
    assert not _shown(status, text, value), (
        f"{ACTOR} read {door} {request} for purpose 'audit': {status}, {value!r} shown"
    )


def test_an_auditor_may_state_the_audit_purpose(platform: Platform, network: str) -> None:
    status, text = _read(
        platform,
        "api",
        f"/entities/{SUSPECT}",
        network,
        {"purpose": "audit", "reference": "AUD-2026-1"},
        "se-auditor",
    )
    assert _shown(status, text, "Quennerstedt"), f"{status}: {text[:300]}"
