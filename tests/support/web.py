"""Signing in to the pages and choosing the working purpose, as a user does."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(page: str) -> str:
    found = CSRF.search(page)
    assert found, "the page has no form token"
    return found.group(1)


def sign_in(
    client: TestClient,
    user: str,
    password: str,
    *,
    purpose: str | None = "investigation",
    reference: str = "CASE-T",
) -> str:
    """Sign in through the form, then (unless ``purpose`` is None) choose the purpose the
    person queries of the session are made for. Returns the page signed in to."""
    page = client.post("/login", data={"username": user, "password": password})
    assert page.status_code == 200, page.text
    if purpose is None:
        return page.text
    chosen = client.post(
        "/purpose",
        data={"purpose": purpose, "reference": reference, "csrf_token": csrf(page.text)},
        follow_redirects=False,
    )
    assert chosen.status_code == 303, chosen.text
    return page.text
