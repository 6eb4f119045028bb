"""An API client on a fresh store with two agencies and their users."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from threadline.api.app import create_app
from threadline.governance.identity import create_agency, create_user, issue_token, parse_roles
from threadline.store import Store

PASSWORD = "a long enough password"


@pytest.fixture
def api(store: Store) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """(client, {username: token}) with users of Sweden's and France's bureaus."""
    tokens: dict[str, str] = {}
    with store.begin() as conn:
        create_agency(conn, "NCB Stockholm", "SE")
        create_agency(conn, "NCB Paris", "FR")
        for name, agency, roles in [
            ("sv-analyst", "NCB Stockholm", "analyst"),
            ("sv-auditor", "NCB Stockholm", "auditor"),
            ("fr-analyst", "NCB Paris", "analyst"),
        ]:
            create_user(conn, name, agency, parse_roles([roles]), PASSWORD)
            tokens[name] = issue_token(conn, name, "tests")
    with TestClient(create_app(store), raise_server_exceptions=True) as client:
        yield client, tokens
