"""Benchmark the stolen/lost travel documents index: build time, peak memory, lookup latency.

Usage: .venv/bin/python benchmarks/bench_documents.py [--n 10000000] [--lookups 20000]

Synthetic list rows (issuing state, type, number like ``K12345678``, status,
date, agency) are generated on the fly, so the only large allocation is the
index itself. Misses use numbers with a prefix letter the generator never emits.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from collections.abc import Iterator
from datetime import date, timedelta

import numpy as np

from threadline.screening.documents import DocumentIndex

COUNTRIES = ("DEU", "FRA", "GBR", "USA", "NGA", "PHL", "THA", "ROU", "UKR", "BRA", "VNM", "IND")
TYPES = ("passport", "passport", "passport", "id_card", "visa")
STATUSES = ("stolen", "lost", "lost", "revoked", "stolen_blank")
LETTERS = "ACEFHJKLMNPRTUVWXY"  # never Q: misses use it


def rows(
    n: int, seed: int, sample: list[tuple[str, str]], every: int
) -> Iterator[tuple[object, ...]]:
    rng = np.random.default_rng(seed)
    start = date(2015, 1, 1)
    done = 0
    while done < n:
        size = min(100_000, n - done)
        letters = rng.integers(0, len(LETTERS), size)
        digits = rng.integers(0, 100_000_000, size)
        countries = rng.integers(0, len(COUNTRIES), size)
        kinds = rng.integers(0, len(TYPES), size)
        statuses = rng.integers(0, len(STATUSES), size)
        days = rng.integers(0, 3000, size)
        for i in range(size):
            number = f"{LETTERS[letters[i]]}{digits[i]:08d}"
            country = COUNTRIES[countries[i]]
            if (done + i) % every == 0:
                sample.append((number, country))
            yield (
                country,
                TYPES[kinds[i]],
                number,
                STATUSES[statuses[i]],
                start + timedelta(days=int(days[i])),
                f"NCB {country}",
            )
        done += size


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(index: DocumentIndex, queries: list[tuple[str, str]]) -> tuple[list[float], int]:
    latencies = []
    found = 0
    for number, country in queries:
        began = time.perf_counter_ns()
        hits = index.lookup(number, country)
        latencies.append((time.perf_counter_ns() - began) / 1000)
        found += bool(hits)
    return latencies, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000_000, help="documents to index")
    parser.add_argument("--lookups", type=int, default=20_000, help="hit and miss lookups each")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    sample: list[tuple[str, str]] = []
    every = max(1, args.n // args.lookups)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    index = DocumentIndex.build(rows(args.n, args.seed, sample, every), today=date(2026, 1, 1))
    build_s = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    rng = np.random.default_rng(args.seed + 1)
    misses = [(f"Q{d:08d}", "DEU") for d in rng.integers(0, 100_000_000, len(sample))]
    # OCR variants: a listed number read with its zeros as the letter O.
    variants = [(n.replace("0", "O"), c) for n, c in sample if "0" in n]
    hit_lat, hit_found = measure(index, sample)
    miss_lat, miss_found = measure(index, misses)
    var_lat, var_found = measure(index, variants)

    print(f"documents indexed      {len(index):,}")
    print(
        f"build time             {build_s:.1f} s ({build_s / max(1, len(index)) * 1e6:.2f} us/row)"
    )
    print(f"index arrays           {index.nbytes / 2**20:.0f} MiB")
    print(f"peak RSS               {peak_mb:.0f} MiB (before build {rss_before / 1024:.0f} MiB)")
    for label, lat, found, total in (
        ("hits", hit_lat, hit_found, len(sample)),
        ("misses", miss_lat, miss_found, len(misses)),
        ("OCR variants", var_lat, var_found, len(variants)),
    ):
        print(
            f"lookup {label:<14}  p50 {percentile(lat, 0.5):.1f} us  p95 "
            f"{percentile(lat, 0.95):.1f} us  mean {statistics.fmean(lat):.1f} us  "
            f"found {found:,}/{total:,}"
        )


if __name__ == "__main__":
    main()
