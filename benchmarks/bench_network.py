"""Speed and memory of network analysis: in-memory build and communities, expansion, store build.

1. A synthetic graph with planted communities (sizes 20-80, 90% of edges
   inside a community) generated directly as numpy edge arrays; measured: the
   networkit graph built from the arrays, connected components and PLM
   community detection, and how well the planted communities come back
   (pairwise precision and recall on a sample of node pairs).
2. Neighbourhood expansion (2 hops, 200 nodes cap) on the same graph through the
   CSR arrays the service uses: median and 99th percentile over random seeds.
3. The build from the store: a SQLite store of synthetic FtM networks (people
   sharing phones, associates, passports, payments) built with ``network build``
   and listed as one actor sees it.

    .venv/bin/python benchmarks/bench_network.py --nodes 5000000 --edges 20000000
    .venv/bin/python benchmarks/bench_network.py --nodes 1000000 --edges 4000000

Peak memory is the process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def planted(nodes: int, edges: int, seed: int = 1) -> tuple[Any, Any, Any]:
    """Edge arrays over ``nodes`` nodes with planted communities, and the truth labels."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(20, 81, size=nodes // 20 + 1)
    sizes = sizes[: np.searchsorted(np.cumsum(sizes), nodes) + 1]
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    label = np.repeat(np.arange(len(sizes)), sizes)[:nodes]
    inner = int(edges * 0.9)
    src_inner = rng.integers(0, nodes, size=inner)
    community = label[src_inner]
    offset = (rng.random(inner) * sizes[community]).astype(np.int64)
    dst_inner = np.minimum(starts[community] + offset, nodes - 1)
    src_outer = rng.integers(0, nodes, size=edges - inner)
    dst_outer = rng.integers(0, nodes, size=edges - inner)
    src = np.concatenate([src_inner, src_outer])
    dst = np.concatenate([dst_inner, dst_outer])
    return src.astype(np.int64), dst.astype(np.int64), label


def pair_scores(found: Any, truth: Any, samples: int = 200_000, seed: int = 2) -> dict[str, float]:
    """Pairwise precision/recall on random pairs inside found and inside true groups."""
    rng = np.random.default_rng(seed)
    nodes = len(truth)
    a = rng.integers(0, nodes, size=samples)
    # Pairs drawn inside the same true community (recall) and the same found one (precision).
    order_t = np.argsort(truth, kind="stable")
    order_f = np.argsort(found, kind="stable")

    def partner(order: Any, labels: Any, idx: Any) -> Any:
        sorted_labels = labels[order]
        lo = np.searchsorted(sorted_labels, labels[idx], side="left")
        hi = np.searchsorted(sorted_labels, labels[idx], side="right")
        pick = lo + (rng.random(len(idx)) * (hi - lo)).astype(np.int64)
        return order[pick]

    bt = partner(order_t, truth, a)
    bf = partner(order_f, found, a)
    keep_t, keep_f = bt != a, bf != a
    recall = float(np.mean(found[a[keep_t]] == found[bt[keep_t]]))
    precision = float(np.mean(truth[a[keep_f]] == truth[bf[keep_f]]))
    return {"precision": round(precision, 4), "recall": round(recall, 4)}


def in_memory(nodes: int, edges: int) -> None:
    from threadline.network.graph import Graph, communities, to_networkit
    from threadline.network.traversal import expand

    t0 = time.perf_counter()
    src, dst, truth = planted(nodes, edges)
    t1 = time.perf_counter()
    print(f"generate {nodes:,} nodes / {edges:,} edges: {t1 - t0:.1f} s")
    import networkit as nk

    nk.setNumberOfThreads(2)
    cpu0 = time.process_time()  # the shared machine may be busy: CPU time tells the work done
    t1 = time.perf_counter()
    graph = to_networkit(nodes, src, dst)
    t2 = time.perf_counter()
    finder = nk.components.ConnectedComponents(graph)
    finder.run()
    t3 = time.perf_counter()
    labels = communities(graph)
    t4 = time.perf_counter()
    cpu = time.process_time() - cpu0
    print(
        f"build {t2 - t1:.1f} s ({graph.numberOfEdges():,} distinct edges), "
        f"components {t3 - t2:.1f} s ({finder.numberOfComponents():,}), "
        f"PLM {t4 - t3:.1f} s ({len(np.unique(labels)):,} communities, "
        f"{len(np.unique(truth)):,} planted); total build+communities {t4 - t1:.1f} s "
        f"(CPU {cpu:.1f} s over all threads); "
        f"peak {peak_gb():.2f} GB"
    )
    print("recovery of planted communities:", pair_scores(labels, truth))
    del graph, finder
    t5 = time.perf_counter()
    view = Graph(keys=[], src=src, dst=dst)
    view.keys = range(nodes)  # type: ignore[assignment]  # only the count matters here
    _indptr, _, _ = view.adjacency
    t6 = time.perf_counter()
    rng = random.Random(3)
    times = []
    for _ in range(200):
        start = time.perf_counter()
        found = expand(view, rng.randrange(nodes), hops=2, limit=200)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p99 = times[int(len(times) * 0.99) - 1]
    print(
        f"CSR index {t6 - t5:.1f} s; expansion (2 hops, cap 200, {len(found.nodes)} nodes last): "
        f"median {statistics.median(times):.2f} ms, p99 {p99:.2f} ms; "
        f"peak {peak_gb():.2f} GB"
    )


def synthetic_world(networks: int, seed: int = 4) -> list[Any]:
    """FtM entities: networks of 6-12 people sharing phones, associates, passports, payments."""
    from followthemoney import model

    rng = random.Random(seed)
    entities: list[Any] = []

    def make(schema: str, ident: str, **props: Any) -> Any:
        entity = model.make_entity(schema)
        entity.id = ident
        for prop, values in props.items():
            for value in values if isinstance(values, list) else [values]:
                entity.add(prop, value, cleaned=True)
        entities.append(entity)
        return entity

    for n in range(networks):
        people = [f"n{n}p{i}" for i in range(rng.randint(6, 12))]
        phones = [f"+447700{(n * 7 + k) % 1_000_000:06d}" for k in range(3)]
        for i, person in enumerate(people):
            make(
                "Person",
                person,
                name=f"Person {n}-{i}",
                nationality=rng.choice(["ro", "se", "de", "fr"]),
                phone=rng.choice(phones),
            )
            make("Passport", f"{person}-pass", holder=person, number=f"X{n:06d}{i:02d}")
        for i in range(1, len(people)):
            make("Associate", f"n{n}a{i}", person=people[i - 1], associate=people[i])
        make("Payment", f"n{n}pay", payer=people[0], beneficiary=people[-1], date="2025-01-10")
    return entities


def from_store(networks: int) -> None:
    from threadline.governance import Actor, Role
    from threadline.model.collections import build_collection
    from threadline.network import build_networks, list_networks
    from threadline.store import open_store
    from threadline.store.collections import create_collection
    from threadline.store.statements import entity_rows, insert_rows

    folder = Path(tempfile.mkdtemp())
    store = open_store(f"sqlite:///{folder / 'bench.db'}")
    entities = synthetic_world(networks)
    seen = datetime.now(UTC)
    with store.begin() as conn:
        target = create_collection(
            conn, build_collection("cases", owner_agency="unit", owner_country="SE")
        )
        assert target.id is not None
        rows = [
            row
            for e in entities
            for row in entity_rows(
                e,
                collection="cases",
                collection_id=target.id,
                job_id=None,
                source_id=e.id,
                seen=seen,
            )
        ]
        insert_rows(conn, rows)
    t0 = time.perf_counter()
    report = build_networks(store, full=True)
    t1 = time.perf_counter()
    actor = Actor(user="bench", agency="unit", country="SE", roles=frozenset({Role.ANALYST}))
    found = list_networks(store, actor)
    t2 = time.perf_counter()
    print(
        f"store build: {len(entities):,} entities, {len(rows):,} statements -> "
        f"{report['total_edges']:,} edges, {report['networks']:,} networks in {t1 - t0:.1f} s; "
        f"list as an actor {t2 - t1:.1f} s ({len(found):,} networks); peak {peak_gb():.2f} GB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5_000_000)
    parser.add_argument("--edges", type=int, default=20_000_000)
    parser.add_argument("--store-networks", type=int, default=2000, help="0 to skip")
    args = parser.parse_args()
    in_memory(args.nodes, args.edges)
    if args.store_networks:
        from_store(args.store_networks)


if __name__ == "__main__":
    main()
