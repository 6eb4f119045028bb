"""Another agency's analysis runs leave the owner's findings as they were.

France's bureau (B) runs every analysis on its own data: tracing, linkage (with a
retrained model), ads analysis, a network build and a manifest screening. Sweden's
bureau (A) then finds its tracing leads, review queue, clusters, screening hits,
personas, ad results and networks exactly as before: the same findings, from the same
runs, and the same answers on its own views.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from support.agencies import FR_ADS, RED_BORN, USERS, World
from support.crawl_cli import CliRun
from support.platform import Platform, copied
from threadline.store.tables import analysis_run as t_run
from threadline.store.tables import finding as t_finding

A_USERS = [u for u in USERS if u.startswith("se-")]
PURPOSE = {"purpose": "investigation", "reference": "CASE-8841"}
VOLATILE_KEYS = {"created_at", "updated_at", "started_at", "finished_at"}


@pytest.fixture
def platform(world_template: World, tmp_path: Path) -> Iterator[Platform]:
    served = Platform(copied(world_template, tmp_path / "db"))
    yield served
    served.close()


def _steady(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _steady(v) for k, v in data.items() if k not in VOLATILE_KEYS}
    if isinstance(data, list):
        return [_steady(v) for v in data]
    return data


def _cli_json(run: CliRun) -> Any:
    assert run.code == 0, run.text
    return json.loads(run.text)


def owners_view(platform: Platform) -> dict[str, Any]:
    """What A's analyst and officer see of A's findings."""
    views: dict[str, Any] = {}
    for path in ("/tracing/leads", "/linkage/review", "/linkage/clusters", "/networks"):
        answer = platform.api("se-analyst", "GET", path, params={**PURPOSE, "limit": 500})
        views[f"api {path}"] = _steady(answer.json()) if answer.status_code == 200 else answer.text
    for command in (["ads", "personas", "--json"], ["ads", "results", "--json"]):
        views[" ".join(command)] = _steady(_cli_json(platform.cli("se-analyst", *command)))
    return views


def owners_findings(platform: Platform) -> list[tuple[Any, ...]]:
    """Every finding of a run by one of A's users (with its run)."""
    columns = [c for c in t_finding.c if c.name != "created_at"]
    query = (
        select(*columns)
        .join(t_run, t_run.c.id == t_finding.c.run_id)
        .where(t_run.c.created_by.in_(A_USERS))
    )
    with platform.store.connect() as conn:
        return sorted(tuple(map(repr, row)) for row in conn.execute(query))


def _b_manifest(folder: Path) -> Path:
    from threadline.ingest.readers.manifests import CSV_COLUMNS

    path = folder / "af1234.csv"
    row = ["AF1234", "CDG", "2026-03-15T09:00:00", "ARN", "2026-03-15T12:00:00", "R001",
           "BK0001", "ORLENKO", "VADIM", "M", RED_BORN, "UKR", "P", "PT0000001", "UKR",
           "2031-01-01", "", ""]  # fmt: skip
    path.write_text(",".join(CSV_COLUMNS) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    return path


def _screen(platform: Platform) -> object:
    path = _b_manifest(platform.world.folder)
    with path.open("rb") as handle:
        answer = platform.api(
            "fr-officer",
            "POST",
            "/screening/manifests",
            params={"purpose": "border_check"},
            files={"file": (path.name, handle, "text/csv")},
        )
    assert answer.status_code == 200, answer.text
    return answer.json()["hits"]


RUNS: dict[str, Callable[[Platform], object]] = {
    "trace run": lambda p: p.cli(
        "fr-analyst", "trace", "run", "--purpose", "investigation", "--reference", "FR-77"
    ),
    "link run --retrain": lambda p: p.cli("fr-analyst", "link", "run", "--retrain"),
    "ads analyze": lambda p: p.cli("fr-analyst", "ads", "analyze", "--collection", FR_ADS),
    "network build": lambda p: p.cli("fr-analyst", "network", "build", "--full"),
    "screen manifest": _screen,
}


@pytest.mark.parametrize("analysis", list(RUNS))
def test_another_agencys_run_leaves_the_owners_findings(platform: Platform, analysis: str) -> None:
    view, rows = owners_view(platform), owners_findings(platform)
    assert rows, "A has no findings: the world is not what this test expects"
    outcome = RUNS[analysis](platform)
    if isinstance(outcome, CliRun):
        assert outcome.code == 0, outcome.text  # B's own run works
    after_view, after_rows = owners_view(platform), owners_findings(platform)
    lost = [r for r in rows if r not in after_rows]
    changed = sorted(k for k in view if view[k] != after_view[k])
    assert not lost and not changed, (
        f"after B's {analysis}: {len(lost)} of A's {len(rows)} findings gone "
        f"({sorted({r[2] for r in lost})}); A's views changed: {changed}"
    )
