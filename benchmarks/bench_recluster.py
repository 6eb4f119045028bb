"""Reclustering at scale: rebuild an agency's clusters while earlier clusters are stored.

Loads (or, with ``--reuse``, copies) the simulated store of ``bench_linkage_scale.py``,
links it once with ``run_linkage`` (its ``clusters`` phase has no earlier clusters to
follow), then times ``recluster`` on its own:

- ``same``: the clusters rebuilt from unchanged links, the earlier ones in place (what
  every later ``link run`` and judgement does when little changed);
- ``changed``: every 20th link at or above the threshold dropped below it and every 10th
  link below the threshold raised above it, so clusters grow, merge, shrink and split
  (done in a transaction that is rolled back afterwards).

    .venv/bin/python benchmarks/bench_recluster.py [--records 100000] [--work DIR] [--reuse]
        [--repeat 3]

Prints one JSON object: records, clusters, the link run's phase seconds, the best and
every wall-clock time of each kind of recluster with its CPU seconds, the load average
before and after the reclusters, and (where the clusters say it) how many clusters
are new, unchanged, grown, shrunk, merged, split or otherwise changed after ``changed``.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench_linkage_scale import _loaded_store


def _recluster(
    store: Any, api: Any, threshold: float, changed: bool
) -> tuple[float, float, Counter[str]]:
    """Wall-clock and CPU seconds (every thread) one recluster takes, and the changes it
    reports; rolled back afterwards."""
    from sqlalchemy import text

    from threadline.linkage.predict import CLUSTER
    from threadline.linkage.service import RUN_KIND, Producer, recluster
    from threadline.store.findings import query_findings, start_run

    with store.engine.connect() as conn:
        if changed:
            conn.execute(
                text(
                    "UPDATE finding SET score = CASE WHEN score >= :t THEN 0.01 ELSE 0.99 END "
                    "WHERE kind = 'link' AND ((score >= :t AND id % 20 = 0) "
                    "OR (score < :t AND id % 10 = 0))"
                ),
                {"t": threshold},
            )
        run_id = start_run(conn, RUN_KIND, user="bench", scope={"mode": "recluster"})
        started, cpu = time.perf_counter(), time.process_time()
        recluster(conn, run_id, threshold, api, Producer(None, None))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        changes = Counter(
            str(f.data.get("change", "not recorded"))
            for f in query_findings(conn, CLUSTER, order_by_score=False)
        )
        conn.rollback()
    return seconds, cpu, changes


def main() -> None:
    from threadline.governance import SYSTEM
    from threadline.linkage import run_linkage
    from threadline.linkage.backends import database_api
    from threadline.settings import configure
    from threadline.store import open_store

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="Folder for the store.")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Keep the loaded store in --work and link a copy of it on later runs.",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        db, _truth, _load = _loaded_store(work, args.records, args.seed, args.reuse)
        configure(db=str(db))
        store = open_store(f"sqlite:///{db}")
        result = run_linkage(store, SYSTEM)
        api = database_api("duckdb")
        times: dict[str, list[float]] = {"same": [], "changed": []}
        cpus: dict[str, list[float]] = {"same": [], "changed": []}
        changes: Counter[str] = Counter()
        load_before = os.getloadavg()
        for _ in range(args.repeat):
            for kind in times:
                seconds, cpu, counted = _recluster(store, api, 0.9, kind == "changed")
                times[kind].append(round(seconds, 2))
                cpus[kind].append(round(cpu, 2))
                if kind == "changed":
                    changes = counted
        load_after = os.getloadavg()
        store.close()
    print(json.dumps({
        "records": args.records, "clusters": result.clusters, "links": result.links,
        "link_phase_seconds": result.seconds,
        "recluster_same_best": min(times["same"]), "recluster_same": times["same"],
        "recluster_same_cpu": cpus["same"],
        "recluster_changed_best": min(times["changed"]), "recluster_changed": times["changed"],
        "recluster_changed_cpu": cpus["changed"],
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "changes_after_changed": dict(sorted(changes.items())),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
