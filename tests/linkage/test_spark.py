"""The same model on Spark (local mode) gives the same clusters as on DuckDB."""

from __future__ import annotations

from pathlib import Path

from support.population import add, background, person
from threadline.governance import SYSTEM
from threadline.linkage import LinkOptions, list_clusters, run_linkage
from threadline.store import open_store


def _clusters(path: Path, backend: str) -> list[list[str]]:
    store = open_store(f"sqlite:///{path}")
    add(store, "registry", background(120))
    add(
        store,
        "a",
        [
            person("a1", "Мухаммад Алиев", "1990-05-04", "male"),
            person("a2", "Svetlana Orlova", "1988-03", "female"),
        ],
    )
    add(
        store,
        "b",
        [
            person("b1", "Mohammed Aliev", "1990", "male"),
            person("b2", "ORLOVA Svetlana", "1988-03-17", "female"),
        ],
    )
    run_linkage(store, SYSTEM, options=LinkOptions(backend=backend))
    found = sorted(
        sorted(m["entity_id"] for m in c["members"]) for c in list_clusters(store, SYSTEM)
    )
    store.close()
    return found


def test_spark_and_duckdb_agree(tmp_path: Path) -> None:
    duck = _clusters(tmp_path / "duck.db", "duckdb")
    spark = _clusters(tmp_path / "spark.db", "spark")
    assert ["a1", "b1"] in duck and ["a2", "b2"] in duck
    assert spark == duck
