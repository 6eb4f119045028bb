"""The two-agency world behind its three doors: the API, the web pages and the command line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from support.agencies import ANONYMOUS, World
from support.crawl_cli import CliRun, close_cli_store, run_cli
from support.crawl_http import sign_in
from threadline.api.app import create_app
from threadline.store import Store, open_store

API = "/api/v1"


class Platform:
    """One copy of the world, served in-process."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.store: Store = open_store(str(world.db))
        self.app = create_app(self.store)
        self.client = TestClient(self.app, raise_server_exceptions=False)

    def close(self) -> None:
        self.client.close()
        self.store.close()
        close_cli_store(self.world.db)

    def headers(self, actor: str) -> dict[str, str]:
        if actor == ANONYMOUS:
            return {}
        return {"Authorization": f"Bearer {self.world.tokens[actor]}"}

    def api(self, actor: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One API request as the actor (``path`` below /api/v1)."""
        return self.client.request(method, f"{API}{path}", headers=self.headers(actor), **kwargs)

    def cli(self, actor: str, *argv: str) -> CliRun:
        return run_cli(self.world.db, actor, list(argv))

    @contextmanager
    def web(self, actor: str) -> Iterator[WebSession]:
        """A signed-in browser session (cookies and the form token)."""
        with TestClient(self.app, raise_server_exceptions=False) as client:
            sign_in(client, actor)
            found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
            yield WebSession(client, found.group(1) if found else "")


class WebSession:
    def __init__(self, client: TestClient, csrf: str) -> None:
        self.client = client
        self.csrf = csrf

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(path, follow_redirects=False, **kwargs)

    def post(self, path: str, data: dict[str, str], **kwargs: Any) -> httpx.Response:
        form = {"csrf_token": self.csrf, **data}
        return self.client.post(path, data=form, follow_redirects=False, **kwargs)


def refused(status: int) -> bool:
    """A refusal: any 4xx but 401 (the actor is signed in) and 422 (the request was valid)."""
    return 400 <= status < 500 and status not in (401, 422)


def copied(template: World, folder: Path) -> World:
    from support.agency_world import copy_world

    return copy_world(template, folder)
