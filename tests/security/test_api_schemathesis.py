"""Schemathesis against the OpenAPI description: no request the API accepts makes it fail (5xx)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from threadline.api.app import API_PREFIX, create_app
from threadline.governance.identity import create_agency, create_user, issue_token, parse_roles
from threadline.ingest.runner import ingest_file
from threadline.store import open_store

FIXTURES = Path(__file__).parent.parent / "fixtures"
PASSWORD = "amber kettle under the bridge"  # meets the password policy


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("schemathesis")
    store = open_store(str(folder / "api.db"))
    with store.begin() as conn:
        create_agency(conn, "test-unit", "SE")
        create_user(conn, "fuzzer", "test-unit", parse_roles(["analyst", "auditor"]), PASSWORD)
        token = issue_token(conn, "fuzzer", "schemathesis")
    ingest_file(store, FIXTURES / "cases.ftm.jsonl", "cases")
    app = create_app(store)
    schema = schemathesis.openapi.from_asgi(f"{API_PREFIX}/openapi.json", app)
    schema.config.headers = {"Authorization": f"Bearer {token}"}
    yield schema


def test_no_server_errors(api_schema: Any) -> None:
    checked = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def check(case: Any) -> None:
            response = case.call()
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path}: {response.text[:300]}"
            )
            if response.status_code >= 400:
                kind = response.headers.get("content-type", [""])
                kind = kind[0] if isinstance(kind, list) else kind
                assert kind.startswith("application/problem+json"), (case.method, case.path)

        check()
        checked += 1
    assert checked >= 8, "every operation of the API is exercised"
