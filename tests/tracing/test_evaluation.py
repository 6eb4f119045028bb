"""Evaluation hooks on a small simulated world: linkage pairs and tracing top-5 leads."""

from __future__ import annotations

from pathlib import Path

import pytest

from threadline.governance import SYSTEM
from threadline.ingest.runner import ingest_file
from threadline.linkage import run_linkage
from threadline.linkage.evaluation import evaluate_linkage
from threadline.model.collections import build_collection
from threadline.simulation.evaluate import NotMeasured, load_truth
from threadline.store import Store
from threadline.store.collections import create_collection
from threadline.tracing import run_tracing
from threadline.tracing.evaluation import evaluate_tracing


def _collection(store: Store, name: str, kind: str, country: str) -> None:
    with store.begin() as conn:
        create_collection(conn, build_collection(name, kind=kind, owner_agency=f"{country}-police",
                                                 owner_country=country, sharing="all"))  # fmt: skip


def load_world(store: Store, world: Path) -> None:
    """Cases per country, identified persons and yellow notices, with their collection kinds."""
    for path in sorted((world / "cases").glob("*.ftm.jsonl")):
        country = path.name.split(".")[0]
        _collection(store, f"cases-{country.lower()}", "other", country)
        ingest_file(store, path, f"cases-{country.lower()}", format="ftm")
    _collection(store, "identified", "identified-persons", "GB")
    ingest_file(store, world / "identified_persons.jsonl", "identified", format="ftm")
    _collection(store, "yellow-notices", "notices", "FR")
    for path in sorted((world / "notices" / "yellow").glob("*.json")):
        ingest_file(store, path, "yellow-notices", format="notices")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from threadline.cli.main import main

    out = tmp_path_factory.mktemp("world")
    with pytest.raises(SystemExit) as info:
        main(["simulate", "--seed", "1", "--scale", "small", "--out", str(out)])
    assert info.value.code in (0, None)
    return out


def test_hooks_say_not_measured_before_the_runs(store: Store, world: Path) -> None:
    truth = load_truth(world)
    with pytest.raises(NotMeasured, match="link run"):
        evaluate_linkage(store, truth)
    with pytest.raises(NotMeasured, match="trace run"):
        evaluate_tracing(store, truth)


def test_linkage_and_tracing_measured_on_a_world(store: Store, world: Path) -> None:
    truth = load_truth(world)
    load_world(store, world)
    run_linkage(store, SYSTEM)
    run_tracing(store, SYSTEM.for_purpose("victim_identification"))
    linkage = evaluate_linkage(store, truth)
    assert linkage["precision"] >= 0.9 and linkage["recall"] >= 0.8
    tracing = evaluate_tracing(store, truth)
    assert tracing["victims"] >= 1 and tracing["top5_recall"] >= 0.9
