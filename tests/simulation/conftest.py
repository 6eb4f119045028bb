"""One small simulated world shared by the simulation tests (generated once per session)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from threadline.simulation import SCALES, simulate

SEED = 7


@dataclass
class World:
    """The written files, parsed once."""

    root: Path
    truth: dict[str, Any]
    ads: list[dict[str, Any]]
    manifest_rows: list[dict[str, str]] = field(default_factory=list)


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    root = tmp_path_factory.mktemp("world") / "out"
    simulate(SCALES["small"].__class__(seed=SEED), root)
    ads = [json.loads(line) for line in (root / "ads.jsonl").read_text("utf-8").splitlines()]
    rows: list[dict[str, str]] = []
    for path in sorted((root / "manifests").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            rows += list(csv.DictReader(fh))
    truth = json.loads((root / "truth.json").read_text("utf-8"))
    return World(root, truth, ads, rows)
