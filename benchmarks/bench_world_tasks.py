"""Every analysis scored on simulated worlds, per regime and seed (``threadline evaluate``).

Usage:
    .venv/bin/python benchmarks/bench_world_tasks.py [--travellers N]
        [--regimes standard sparse] [--seeds 1 2] [--tasks linkage tracing_leads ...]
        [--work DIR] [--json]

Each world (``small`` scale with N travellers, N/5 ads and N/800 networks, in the given
regime) is taken through every step of the demo (``threadline demo``: notices and lists,
manifests screened by the worker, ads analysed, records linked, every missing-person
report traced, the network built), then scored with ``threadline evaluate``. Printed per
world: each task's headline figures, the number of tracing leads and of pairs held back
as possible (``trace_possible``). Tune on some seeds and regimes, report on the others.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from threadline.services import demo
from threadline.simulation.config import make_config
from threadline.simulation.evaluate import evaluate
from threadline.store import Store
from threadline.store.db import open_store
from threadline.store.findings import query_findings

TASKS = ["linkage", "tracing_leads", "screening_hits", "border_victims", "networks"]


def _short(value: Any) -> Any:
    """Figures rounded for reading; nested breakdowns left out (``--json`` keeps them)."""
    if isinstance(value, float):
        return round(value, 4)
    return value if isinstance(value, int | str) else "..."


def build_world(
    work: Path, regime: str, seed: int, n: int, steps: Sequence[str] | None = None
) -> tuple[Store, Path, float]:
    """A fresh small-scale world of ``n`` travellers (``n``/5 ads, ``n``/800 networks) in
    ``regime``, taken through the demo's steps (``steps``: those labels only, in the demo's
    order); returns its store, its folder and the seconds the steps took."""
    root = work / f"{regime}-{seed}-{n}"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    store = open_store(str(root / "store.db"))
    config = make_config("small", seed, travellers=n, ads=max(400, n // 5),
                         networks=max(5, n // 800), regime=regime)  # fmt: skip
    started = time.perf_counter()
    run = demo.DemoRun(store, root / "world", config)
    for label, step in demo.STEPS:
        if steps is None or label in steps:
            step(run)
    return store, root, time.perf_counter() - started


def run_world(work: Path, regime: str, seed: int, n: int, tasks: list[str]) -> dict[str, Any]:
    store, root, seconds = build_world(work, regime, seed, n)
    with store.connect() as conn:
        leads = len(query_findings(conn, "trace_lead", order_by_score=False))
        held = len(query_findings(conn, "trace_possible", order_by_score=False))
    scores = {
        r.task: (dict(r.metrics) if r.measured else r.reason)
        for r in evaluate(store, root / "world", tasks)
    }
    return {"regime": regime, "seed": seed, "travellers": n, "seconds": round(seconds),
            "trace_leads": leads, "trace_possible": held, "tasks": scores}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--travellers", type=int, default=10_000)
    parser.add_argument("--regimes", nargs="+", default=["standard"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--tasks", nargs="+", default=TASKS)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-world-tasks"))
    parser.add_argument("--json", action="store_true", help="One JSON object per world.")
    args = parser.parse_args()
    for regime in args.regimes:
        for seed in args.seeds:
            row = run_world(args.work, regime, seed, args.travellers, args.tasks)
            if args.json:
                print(json.dumps(row), flush=True)
                continue
            head = f"{regime} seed {seed} ({row['travellers']} travellers, {row['seconds']} s)"
            print(f"{head}: {row['trace_leads']} tracing leads, {row['trace_possible']} held back")
            for task, figures in row["tasks"].items():
                shown = (
                    {k: _short(v) for k, v in figures.items()}
                    if isinstance(figures, dict)
                    else figures
                )
                print(f"    {task}: {shown}", flush=True)


if __name__ == "__main__":
    main()
