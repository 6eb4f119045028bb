"""Every API route × every role × ownership: who gets through, who is refused, nobody gets a 5xx.

The routes are read from the application itself, so a new route is covered the day it
is added; the roles a route admits are read from its ``require_role`` dependency.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from threadline.api.app import API_PREFIX, create_app
from threadline.governance import Role
from threadline.governance.identity import create_agency, create_user, issue_token, parse_roles
from threadline.ingest.runner import ingest_file
from threadline.store import open_store

FIXTURES = Path(__file__).parent.parent / "fixtures"
PASSWORD = "amber kettle under the bridge"  # meets the password policy
PUBLIC = {f"{API_PREFIX}/health", f"{API_PREFIX}/openapi.json", f"{API_PREFIX}/docs"}
ACTORS = [*(f"owner-{role.value}" for role in Role), "other-analyst", "anonymous"]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    store = open_store(str(tmp_path_factory.mktemp("matrix") / "matrix.db"))
    tokens: dict[str, str] = {}
    with store.begin() as conn:
        create_agency(conn, "test-unit", "SE")
        create_agency(conn, "other-unit", "FR")
        for role in Role:
            name = f"owner-{role.value}"
            create_user(conn, name, "test-unit", parse_roles([role.value]), PASSWORD)
            tokens[name] = issue_token(conn, name, "matrix")
        create_user(conn, "other-analyst", "other-unit", parse_roles(["analyst"]), PASSWORD)
        tokens["other-analyst"] = issue_token(conn, "other-analyst", "matrix")
    from threadline.settings import configure

    configure(default_agency="test-unit", default_country="SE")
    ingest_file(store, FIXTURES / "cases.ftm.jsonl", "cases")
    with TestClient(create_app(store)) as client:
        yield client, tokens


@dataclass(frozen=True)
class ApiRoute:
    method: str
    path: str
    route: APIRoute


def _routes() -> list[ApiRoute]:
    """Every API operation with its full path (routers are included lazily by FastAPI)."""
    app = create_app(open_store(":memory:"))
    found = []
    for context in iter_route_contexts(app.router.routes):
        if not isinstance(context.route, APIRoute) or not context.path.startswith(API_PREFIX):
            continue
        if context.path in PUBLIC:
            continue
        for method in sorted(context.methods or ()):
            found.append(ApiRoute(method, context.path, context.route))
    return found


def _allowed_roles(route: APIRoute) -> frozenset[Role] | None:
    """The roles a route's require_role dependency admits (None: any signed-in user)."""
    found: frozenset[Role] | None = None
    stack = list(route.dependant.dependencies)
    while stack:
        dependant = stack.pop()
        roles = getattr(dependant.call, "roles", None)
        if roles is not None:
            found = roles if found is None else found & roles
        stack.extend(dependant.dependencies)
    return found


def _url(route: ApiRoute) -> str:
    # An existing collection and entity where the route names one; other ids are absent.
    fills = {"name": "cases", "entity_id": "se-case-p1", "job_id": "1"}
    return re.sub(r"{(\w+)(:\w+)?}", lambda m: fills.get(m.group(1), "1"), route.path)


ROUTES = _routes()


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_route_against_every_role(
    setup: tuple[TestClient, dict[str, str]], route: ApiRoute
) -> None:
    client, tokens = setup
    method = route.method
    allowed = _allowed_roles(route.route)
    outcomes: dict[str, int] = {}
    for actor in ACTORS:
        headers = {} if actor == "anonymous" else {"Authorization": f"Bearer {tokens[actor]}"}
        response = client.request(method, _url(route), headers=headers, json={})
        outcomes[actor] = response.status_code
        assert response.status_code < 500, (actor, method, route.path, response.text[:200])
    assert outcomes["anonymous"] == 401, outcomes
    for role in Role:
        status = outcomes[f"owner-{role.value}"]
        if allowed is not None and role not in allowed:
            assert status == 403, (route.path, role, outcomes)
        else:
            assert status != 401, (route.path, role, outcomes)


def test_every_route_is_in_the_matrix() -> None:
    assert len(ROUTES) >= 10
    assert len({(r.method, r.path) for r in ROUTES}) == len(ROUTES)
