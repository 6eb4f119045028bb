"""Persona linking at scale against a naive phone-only linker, on a simulated world.

Usage:
    .venv/bin/python benchmarks/bench_personas.py [N] [--world DIR] [--seed S]

N simulated ads (default 1,000,000) are written with ``threadline simulate``'s
generator into DIR (default: a temporary folder; an existing DIR with N ads is
reused). Then, each timed on its own:

1. features: read, extract selectors, mask template texts, hash image files, in
   ``--workers`` processes (default: every core this process may use);
2. linking: ``link_ads`` (selectors with the hub guard, MinHash LSH templates,
   perceptual-hash images, union-find);
3. naive: one union per shared phone, nothing else (no hub guard).

Both linkers are scored with pairwise precision/recall/F1 against truth.json
(per truth persona and per network; see ``threadline.ads.evaluation``). Peak
memory is the process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from threadline.ads.bulk import default_workers, read_features
from threadline.ads.evaluation import pairwise_scores, truth_clusters
from threadline.ads.features import AdFeatures
from threadline.ads.personas import UnionFind, link_ads


def peak_mb() -> float:
    """Peak resident memory of this process."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_peak_mb() -> float:
    """Peak resident memory of the largest finished worker process."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process and of its finished workers."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def simulate_world(n: int, seed: int, out: Path) -> float:
    from threadline.simulation import simulate
    from threadline.simulation.config import make_config

    if (out / "truth.json").exists():
        truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
        if truth["config"]["ads"] == n and truth["seed"] == seed:
            return 0.0
    networks = max(1, min(400, n // 2500))
    config = make_config("large", seed, ads=n, travellers=50, networks=networks,
                         images=max(60, min(3000, n // 300)))  # fmt: skip
    start = time.perf_counter()
    simulate(config, out, force=True)
    return time.perf_counter() - start


def naive_phone_groups(ads: list[AdFeatures]) -> list[int]:
    uf = UnionFind(len(ads))
    first: dict[str, int] = {}
    for position, ad in enumerate(ads):
        for kind, value in ad.selectors:
            if kind == "phone":
                uf.union(first.setdefault(value, position), position)
    return [uf.find(i) for i in range(len(ads))]


def scores(ads: list[AdFeatures], groups: list[int], truth: dict[str, Any]) -> dict[str, Any]:
    predicted = {a.ad_id: str(g) for a, g in zip(ads, groups, strict=True)}
    networks = truth_clusters(truth, by_network=True)
    return {"personas": pairwise_scores(predicted, truth_clusters(truth)),
            "networks": pairwise_scores(predicted, networks)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--world", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=None, help="extraction processes")
    args = parser.parse_args()
    world = args.world or Path(tempfile.mkdtemp(prefix="bench-personas-"))
    took = simulate_world(args.n, args.seed, world)
    print(f"world: {world} ({args.n:,} ads; simulated in {took:.1f} s)" if took else
          f"world: {world} (reused)")  # fmt: skip
    truth = json.loads((world / "truth.json").read_text(encoding="utf-8"))

    # Wall and CPU time: on a shared machine the wall clock also counts other processes.
    workers = args.workers or default_workers()
    start, cpu = time.perf_counter(), cpu_seconds()
    read = read_features(world / "ads.jsonl", workers=workers)
    ads = read.ads
    features_s, features_cpu = time.perf_counter() - start, cpu_seconds() - cpu
    print(f"features: {len(ads):,} ads ({len(read.rejected)} rejected, {read.images:,} image "
          f"files) in {features_s:.1f} s with {workers} worker(s) ({features_cpu:.1f} s CPU "
          f"in all processes); peak {peak_mb():,.0f} MB")  # fmt: skip

    start, cpu = time.perf_counter(), cpu_seconds()
    linkage = link_ads(ads, signatures_of_templates=read.signatures)
    link_s, link_cpu = time.perf_counter() - start, cpu_seconds() - cpu
    ours = scores(ads, linkage.groups, truth)
    print(f"linking: {link_s:.1f} s ({link_cpu:.1f} s CPU), {len(set(linkage.groups)):,} "
          f"personas, {len(linkage.hubs)} hubs; peak {peak_mb():,.0f} MB")  # fmt: skip

    start, cpu = time.perf_counter(), cpu_seconds()
    naive_groups = naive_phone_groups(ads)
    naive_s, naive_cpu = time.perf_counter() - start, cpu_seconds() - cpu
    naive = scores(ads, naive_groups, truth)
    sizes: dict[int, int] = defaultdict(int)
    for g in naive_groups:
        sizes[g] += 1
    print(f"naive phone-only: {naive_s:.1f} s ({naive_cpu:.1f} s CPU), {len(sizes):,} groups, "
          f"largest {max(sizes.values()):,} ads")  # fmt: skip

    for name, result in (("linker", ours), ("naive", naive)):
        for level in ("personas", "networks"):
            r = result[level]
            print(f"{name:7s} {level:9s} P {r['precision']:.3f} R {r['recall']:.3f} "
                  f"F1 {r['f1']:.3f} ({r['ads']:,} labelled ads)")  # fmt: skip
    f1_ratio = ours["personas"]["f1"] / naive["personas"]["f1"] if naive["personas"]["f1"] else 0
    print(f"ratio linker/naive: time {link_s / max(naive_s, 1e-9):.1f}x, "
          f"persona F1 {f1_ratio:.2f}x; features+linking {features_s + link_s:.1f} s wall, "
          f"{features_cpu + link_cpu:.1f} s CPU; peak memory {peak_mb():,.0f} MB main process, "
          f"{worker_peak_mb():,.0f} MB largest of {workers} extraction worker(s), "
          f"{peak_mb() + workers * worker_peak_mb():,.0f} MB at most together")  # fmt: skip


if __name__ == "__main__":
    main()
