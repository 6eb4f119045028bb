"""One crawl session on a copy of the two-agency world: clients, fills, commands, results.

Shared by the disclosure tests (every surface as every actor) and the audit-trail tests.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from support.agencies import ANONYMOUS, World
from support.crawl import AUDIT, Seen
from support.crawl_cli import Command, cli_commands, close_cli_store, crawl_cli
from support.crawl_http import crawl_http, openapi_operations, sign_in, web_operations
from support.harvest import for_actor, harvest
from threadline.api.app import create_app
from threadline.store import Store, open_store

# Commands that change the store (or serve, or generate): never part of a read crawl.
WRITES = {
    "ingest", "load", "demo", "serve", "worker", "simulate", "evaluate", "db upgrade",
    "collections create", "collections update", "entities merge", "entities split",
    "agencies create", "users create", "users disable", "users enable",
    "tokens issue", "tokens revoke", "retention renew", "person erase",
    "users reset-code", "users reset-password", "users sign-out",
    "ops create", "ops submit", "ops confirm",
    "victims create", "victims consent", "victims refer", "victims referral",
    "victims link-entity", "victims link-missing", "victims notify", "victims reunite",
    "victims close", "victims reopen",
    "victims services add", "notifications ack", "alerts triage",
    "screen manifest", "network build", "ads analyze", "link run", "link decide",
    "link retract", "trace run",
    "rules create", "rules test", "rules activate", "rules retire",
}  # fmt: skip
# Commands that read only the file or text they are given, never the store.
OFFLINE = {"mrz check", "match pairs", "ads extract", "ads score", "formats"}
# Read commands the crawl cannot judge, with the reason.
NOT_JUDGED = {
    # Its answer decodes the zone the actor typed (birth date, document number), which the
    # "you may see what you typed" rule cannot tell from a leak; `screen person` and
    # `screen document` make the same watchlist look-ups.
    "screen mrz",
}
EXPORT_WORDS = ("export", "report")


def read_commands() -> list[Command]:
    """Every command that reads the store (the crawl fails on a command it cannot fill)."""
    return [
        c
        for c in cli_commands()
        if c.name not in WRITES | OFFLINE | NOT_JUDGED
        and not AUDIT.search(c.name.replace(" ", "/"))
    ]


def is_export(command: Command) -> bool:
    return command.writes_files or command.path[-1] in EXPORT_WORDS


class Crawler:
    """Crawls a surface as an actor once; later asks reuse the answers."""

    def __init__(self, world: World, folder: Path) -> None:
        self.world = world
        self.folder = folder
        self.store: Store = open_store(str(world.db))
        self.app = create_app(self.store)
        self.api = TestClient(self.app, raise_server_exceptions=False)
        self.fills = harvest(world, self.api)
        self.api_operations = openapi_operations(self.api)
        self.web_operations = web_operations(self.app)
        commands = read_commands()
        self.commands = [c for c in commands if not is_export(c)]
        self.exports = [c for c in commands if is_export(c)]
        self._cache: dict[tuple[str, str], list[Seen]] = {}

    def close(self) -> None:
        self.api.close()
        self.store.close()
        close_cli_store(self.world.db)

    def headers(self, actor: str) -> dict[str, str]:
        if actor == ANONYMOUS:
            return {}
        return {"Authorization": f"Bearer {self.world.tokens[actor]}"}

    def web_client(self, actor: str) -> TestClient:
        client = TestClient(self.app, raise_server_exceptions=False)
        sign_in(client, actor)
        return client

    def crawl(self, surface: str, actor: str) -> list[Seen]:
        """Every answer of one surface to one actor (crawled on the first ask)."""
        key = (surface, actor)
        if key not in self._cache:
            self._cache[key] = self._crawl(surface, actor)
        return self._cache[key]

    def _crawl(self, surface: str, actor: str) -> list[Seen]:
        folder = self.folder / re.sub(r"\W", "-", f"{surface}-{actor}")
        folder.mkdir(parents=True, exist_ok=True)
        fills = for_actor(self.world, self.api, self.fills, actor)
        if surface == "api":
            ops = self.api_operations
            return crawl_http(self.api, surface, actor, ops, fills, self.headers(actor))
        if surface == "web":
            with self.web_client(actor) as client:
                return crawl_http(client, surface, actor, self.web_operations, fills)
        commands = self.commands if surface == "cli" else self.exports
        return crawl_cli(self.world, surface, actor, commands, fills, folder)
