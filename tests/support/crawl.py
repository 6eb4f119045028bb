"""Crawling every read surface as one actor: what is asked, what is seen, what may not be.

Routes are read from the OpenAPI description and the application's route table
(:mod:`support.crawl_http`), and commands from the command tree (:mod:`support.crawl_cli`),
so a route or command added tomorrow is crawled tomorrow. Path parameters are filled
with ids harvested from the owner's own views (:class:`Fills`); every query carries a
purpose and a case reference, so a refusal for want of a purpose does not hide a leak.

Each answer is a :class:`Seen`; :func:`violations` lists the markers in it the actor may
not see (:meth:`World.leaks`), and the crashes.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from support.agencies import World

API = "/api/v1"
PURPOSE = {"purpose": "investigation", "reference": "CASE-1"}
# Parameters that name two entities: filled from pairs, not from a product of ids.
PAIR_PARAMS = {("from", "to"), ("source", "target"), ("start", "goal"), ("left", "right")}
# Audit trails are crawled on their own (each crawl adds events to them).
AUDIT = re.compile(r"(^|/)audit(/|$)")
CRASH = 99  # the exit code a crawl records for a command that raised


@dataclass(frozen=True)
class Seen:
    """One answer an actor got."""

    surface: str
    actor: str
    route: str  # the route or command template
    request: str  # the URL or command line as sent
    status: int  # HTTP status, or the command's exit code
    text: str


@dataclass
class Fills:
    """Values for every path parameter and command argument, by parameter name."""

    values: dict[str, list[str]] = field(default_factory=dict)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)

    def get(self, name: str) -> list[str] | None:
        return self.values.get(name)


def decode(content: bytes, content_type: str) -> str:
    """The text of an answer: a PDF's extracted text, every file of a ZIP, else UTF-8."""
    if "pdf" in content_type or content.startswith(b"%PDF"):
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    if content.startswith(b"PK\x03\x04"):
        import zipfile

        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                f"{name}\n{decode(archive.read(name), name)}" for name in archive.namelist()
            )
    return content.decode("utf-8", errors="replace")


def combos(names: list[str], fills: Fills) -> Iterator[dict[str, str]] | None:
    """Every combination of values for these parameters (None when one has no values)."""
    pools: list[list[str]] = []
    for name in names:
        pool = fills.get(name)
        if pool is None:
            return None
        pools.append(pool)
    return (dict(zip(names, combo, strict=True)) for combo in itertools.product(*pools))


def pair_names(names: Iterable[str]) -> tuple[str, str] | None:
    present = set(names)
    return next((p for p in PAIR_PARAMS if set(p) <= present), None)


def violations(world: World, seen: Iterable[Seen]) -> list[str]:
    """One line per marker an actor saw and may not see, and per crash."""
    lines = []
    for item in seen:
        if item.status >= 500 or item.status == CRASH:
            last = item.text.strip().splitlines()[-1:] or [""]
            lines.append(f"{item.actor} crashed {item.request} ({item.status}): {last[0][:200]}")
            continue
        for marker in world.leaks(item.actor, item.text, item.request):
            lines.append(
                f"{item.actor} saw {marker.what} ({marker.value!r}) on {item.surface} "
                f"{item.route}: {item.request} [{item.status}]"
            )
    return lines
