"""Tracing on simulated worlds: leads, pairs held back and top-5 recall, per seed.

Usage:
    .venv/bin/python benchmarks/bench_tracing.py [--travellers N] [--seeds 1 2] [--work DIR]

Each world (``small`` scale with N travellers, N/5 ads and N/800 networks) is taken
through every step of the demo (``threadline demo``: notices, manifests screened, ads
analysed, records linked, every missing-person report traced), then scored with
``threadline evaluate --task tracing_leads``: the share of missing victims whose true
sighting is among their report's top five leads. The counts say how many leads and how
many pairs held back as possible (``trace_possible``) the run stored.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from threadline.services import demo
from threadline.simulation.config import make_config
from threadline.simulation.evaluate import evaluate
from threadline.store.db import open_store
from threadline.store.findings import query_findings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--travellers", type=int, default=10_000)
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-tracing"))
    args = parser.parse_args()
    for seed in args.seeds:
        root = args.work / f"seed-{seed}"
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        store = open_store(str(root / "store.db"))
        n = args.travellers
        config = make_config("small", seed, travellers=n, ads=max(400, n // 5),
                             networks=max(5, n // 800))  # fmt: skip
        started = time.perf_counter()
        run = demo.DemoRun(store, root / "world", config)
        for _label, step in demo.STEPS:
            step(run)
        seconds = time.perf_counter() - started
        with store.connect() as conn:
            leads = len(query_findings(conn, "trace_lead", order_by_score=False))
            held = len(query_findings(conn, "trace_possible", order_by_score=False))
        [result] = evaluate(store, root / "world", ["tracing_leads"])
        recall = result.metrics.get("top5_recall") if result.measured else None
        victims = int(result.metrics.get("victims", 0)) if result.measured else 0
        print(
            f"seed {seed}: {leads} leads, {held} held back as possible, top-5 recall "
            f"{recall if recall is None else round(recall, 3)} over {victims} missing "
            f"victims ({seconds:.0f} s for the whole world)",
            flush=True,
        )


if __name__ == "__main__":
    main()
