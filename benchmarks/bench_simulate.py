"""Benchmark ``threadline simulate``: wall time, peak RSS, ads/s and travellers/s.

    .venv/bin/python benchmarks/bench_simulate.py --scale large
    .venv/bin/python benchmarks/bench_simulate.py --scale medium --seed 2 --keep /tmp/world

Writes into a temporary directory (removed afterwards unless --keep is given) and
prints one JSON object. Peak RSS is reported for this process and for the largest
child (the ads worker on machines with two or more cores).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from threadline.simulation.config import make_config
from threadline.simulation.writer import PARALLEL_FROM, simulate


def _size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="large", choices=("small", "medium", "large"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write here and keep the output")
    parser.add_argument("--serial", action="store_true", help="no ads worker process")
    args = parser.parse_args()

    config = make_config(args.scale, args.seed)
    temp = None
    if args.keep is not None:
        out = args.keep
    else:
        temp = tempfile.mkdtemp(prefix="threadline-bench-")
        out = Path(temp) / "world"
    started = time.perf_counter()
    counts = simulate(config, out, force=True, parallel=False if args.serial else None)
    wall = time.perf_counter() - started
    size = _size(out)
    if temp is not None:
        shutil.rmtree(temp)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result = {
        "scale": args.scale,
        "seed": args.seed,
        "ads": config.ads,
        "travellers": counts["travellers"],
        "flights": counts["flights"],
        "wall_seconds": round(wall, 1),
        "ads_per_second": round(config.ads / wall),
        "travellers_per_second": round(counts["travellers"] / wall),
        "peak_rss_mb": round(own, 1),
        "peak_rss_worker_mb": round(child, 1),
        "output_mb": round(size / 1e6, 1),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "ads_worker": not args.serial
        and config.ads >= PARALLEL_FROM
        and (os.cpu_count() or 1) >= 2,
    }
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
