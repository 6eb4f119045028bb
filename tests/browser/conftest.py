"""A live server on loopback and headless Chromium (Debian's package, never downloaded)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from threadline.api.app import create_app
from threadline.governance.identity import create_agency, create_user, parse_roles
from threadline.ingest.runner import ingest_file
from threadline.store import Store, open_store

FIXTURES = Path(__file__).parent.parent / "fixtures"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "a long enough password"
CHROMIUM = os.environ.get("THREADLINE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("browser")
    store = open_store(str(folder / "browser.db"))
    with store.begin() as conn:
        create_agency(conn, "test-unit", "SE")
        for name, roles in [
            ("analyst", ["analyst", "border_officer", "operation_coordinator"]),
            ("auditor", ["auditor"]),
            ("liaison", ["victim_liaison"]),
        ]:
            create_user(conn, name, "test-unit", parse_roles(roles), PASSWORD)
    from threadline.settings import configure

    configure(default_agency="test-unit", default_country="SE")
    ingest_file(store, FIXTURES / "cases.ftm.jsonl", "cases")
    return store


@pytest.fixture(scope="module")
def server(live_store: Store) -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(create_app(live_store), host="127.0.0.1", port=port, log_level="error")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: 'make test' installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A tab; the test fails if the Content-Security-Policy blocked anything on its pages."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=server)
    tab = context.new_page()
    blocked: list[str] = []
    tab.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield tab
    context.close()
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"


def sign_in(page: Any, user: str = "analyst") -> None:
    page.goto("/login")
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def state_purpose(
    page: Any, purpose: str = "investigation", reference: str = "CASE-2026-1"
) -> None:
    """Answer the "Why are you looking?" page a person query opens with, as a user does."""
    page.get_by_role("heading", name="Why are you looking?").wait_for()
    page.get_by_label("Purpose").select_option(purpose)
    page.get_by_label("Reference").fill(reference)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def shot(page: Any, name: str) -> None:
    """Keep a screenshot of the page as a test artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
