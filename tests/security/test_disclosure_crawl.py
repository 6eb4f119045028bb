"""Every read surface, crawled as every actor: no marker reaches anyone who may not see it.

The world (:mod:`support.agencies`): Sweden's bureau (A) holds an owner-only case file and
manifest, and a recorded victim whose record only A's victim liaison officer may open;
France's bureau (B) is the second agency. Each (surface, actor) is one test: every API
route (from the OpenAPI description), every web page, every CLI read command and every
export, with the path parameters filled from A's own views. A test fails on each marker
it finds where it may not be, naming the actor, the request and the marker.

Positive controls prove each surface reaches the data: A's analyst does see A's
owner-only records, and A's liaison does see the victim, on the same crawl.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.agencies import (
    ACTORS,
    CASE_FILE,
    FLIGHT,
    OPERATION,
    SUSPECT,
    VICTIM,
    World,
)
from support.agency_world import copy_world
from support.crawl import API, Seen, violations
from support.crawl_session import Crawler

SURFACES = ["api", "web", "cli", "exports"]


@pytest.fixture(scope="module")
def crawler(world_template: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawler]:
    folder = tmp_path_factory.mktemp("disclosure")
    session = Crawler(copy_world(world_template, folder / "db"), folder)
    yield session
    session.close()


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("surface", SURFACES)
def test_no_marker_reaches_an_actor_who_may_not_see_it(
    crawler: Crawler, surface: str, actor: str
) -> None:
    problems = violations(crawler.world, crawler.crawl(surface, actor))
    assert not problems, f"{len(problems)} disclosures:\n" + "\n".join(problems)


# (surface, actor, request starting with, marker it must show): the crawl reaches the data.
def _controls(pseudonym: str) -> list[tuple[str, str, str, str]]:
    return [
        ("api", "se-analyst", f"{API}/entities/{SUSPECT}?", "Quennerstedt"),
        ("api", "se-analyst", f"{API}/search?q=Quenn", "Quennerstedt"),
        ("api", "se-analyst", f"{API}/collections/{CASE_FILE}?", CASE_FILE),
        ("api", "se-liaison", f"{API}/victims/{pseudonym}?", "Zyxquorra"),
        ("api", "se-liaison", f"{API}/entities/{VICTIM}?", "Zyxquorra"),
        ("web", "se-analyst", f"/entities/{SUSPECT}?", "Quennerstedt"),
        ("web", "se-analyst", "/search?q=Quenn", "Quennerstedt"),
        ("web", "se-liaison", f"/victims/{pseudonym}?", "Zyxquorra"),
        ("web", "se-officer", "/?", FLIGHT),
        ("cli", "se-analyst", f"entities show {SUSPECT}", "QX7741029"),
        ("cli", "se-analyst", f"collections show {CASE_FILE}", CASE_FILE),
        ("cli", "se-liaison", f"victims show {pseudonym}", "Zyxquorra"),
        ("exports", "se-analyst", f"export --collection {CASE_FILE}", "QX7741029"),
        ("exports", "se-analyst", f"person export {SUSPECT}", "QX7741029"),
        ("exports", "se-analyst", "network export", "Quennerstedt"),
        ("exports", "se-coordinator", f"ops report {OPERATION} --format pdf", OPERATION),
        ("exports", "se-coordinator", f"ops report {OPERATION} --format csv", "SE"),
    ]


def _control_ids() -> list[str]:
    return [f"{s}-{a}-{r.split('?')[0]}" for s, a, r, _ in _controls("V-PSEUDONYM")]


@pytest.mark.parametrize("index", range(len(_control_ids())), ids=_control_ids())
def test_positive_control(crawler: Crawler, index: int) -> None:
    surface, actor, request, marker = _controls(crawler.world.pseudonym)[index]
    seen = [s for s in crawler.crawl(surface, actor) if s.request.startswith(request)]
    assert seen, f"the crawl never asked {request!r} as {actor}"
    shown = [s for s in seen if s.status in (0, 200) and marker.lower() in s.text.lower()]
    assert shown, _why_not(seen, marker)


def _why_not(seen: list[Seen], marker: str) -> str:
    first = seen[0]
    return f"{marker!r} not shown; {first.request} answered {first.status}: {first.text[:300]}"


@pytest.mark.parametrize("surface", SURFACES)
def test_every_route_and_command_is_crawled(crawler: Crawler, surface: str) -> None:
    seen = crawler.crawl(surface, "se-liaison")
    unfilled = sorted({s.route for s in seen if s.status == -1})
    assert not unfilled, f"no values harvested for: {unfilled}"
    assert len({s.route for s in seen}) >= {"api": 20, "web": 15, "cli": 20, "exports": 3}[surface]
