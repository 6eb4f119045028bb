"""Screening rules: back-testing a rule on a month of archived manifests, and applying the
active rules to one manifest.

Usage: .venv/bin/python benchmarks/bench_rules.py [--scale small|medium] [--rules N]
       [--workdir DIR]

Simulates a world (``threadline simulate``), keeps every manifest CSV in the archive of one
agency (as screening does, without the watchlist checks), then times
``backtest_rule`` for one rule over the whole archive, and ``apply_rules`` with N active
rules on the largest manifest. Prints wall and CPU time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from threadline.governance import Actor, Purpose, Role
from threadline.screening import rules
from threadline.screening.archive import keep_manifest, recent_manifests
from threadline.settings import configure
from threadline.store import open_store

ANALYST = Actor(
    user="bench", agency="bench-unit", country="SE", roles=frozenset({Role.ANALYST}),
    purpose=Purpose.BORDER_CHECK,
)  # fmt: skip
EXPRESSIONS = [
    "minor and booking_adults == 0",
    "minor and one_way and contact_in_high_risk_ads",
    "age >= 16 and age <= 24 and contact_travellers >= 3",
    'young_unrelated_group and destination_country in ["FR", "GB", "DE"]',
    "document_issued_days < 30 and not relation_declared",
    "booking_size >= 4 and booking_surnames >= 3 and booking_minors >= 1",
    "minor_without_guardian or (minor and legs > 1)",
    'sex == "F" and age < 25 and contact_bookings >= 2',
    'nationality in ["NG", "GH", "VN"] and minor',
    "document_valid_days < 90 and age < 21",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="medium", choices=["small", "medium"])
    parser.add_argument("--rules", type=int, default=10)
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="tl-rules-"))
    work.mkdir(parents=True, exist_ok=True)
    configure(db=str(work / "bench.db"), manifest_retention_days=30)
    world = work / "world"
    if not (world / "manifests").exists():
        command = [str(Path(sys.executable).parent / "threadline"), "simulate", "--seed", "7",
                   "--scale", args.scale, "--out", str(world)]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True)
    files = sorted((world / "manifests").glob("*.csv"))  # the CSVs carry the booking contacts
    store = open_store(str(work / "bench.db"))
    start = time.perf_counter()
    with store.begin() as conn:
        for path in files:
            content = path.read_bytes()
            keep_manifest(conn, ANALYST, file_name=path.name, content=content, travellers=0)
    print(f"archived {len(files):,} manifests in {time.perf_counter() - start:.1f} s")

    with store.begin() as conn:
        rules.create_rule(conn, ANALYST, "bench", EXPRESSIONS[2], "referral", "benchmark")
    wall, cpu = time.perf_counter(), time.process_time()
    with store.begin() as conn:
        result = rules.backtest_rule(conn, ANALYST, "bench")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"back-test: {result['manifests']:,} manifests, {result['travellers']:,} travellers, "
        f"flagged {result['flagged']:,}: {wall:.2f} s wall, {cpu:.2f} s CPU "
        f"({result['travellers'] / wall:,.0f} travellers/s)"
    )

    with store.connect() as conn:
        archived = recent_manifests(conn, "bench-unit", "SE")
    biggest = max(archived, key=lambda m: len(m.content))
    records = biggest.records()
    active = [
        rules.ActiveRule(f"r{i}", 1, "referral", "benchmark", rules.compile_expression(text))
        for i, text in enumerate((EXPRESSIONS * 10)[: args.rules])
    ]
    wall, cpu = time.perf_counter(), time.process_time()
    flags = rules.apply_rules(active, records, {})
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"apply {len(active)} rules to {len(records):,} travellers ({biggest.file_name}): "
        f"{len(flags):,} flags, {wall * 1000:.1f} ms wall, {cpu * 1000:.1f} ms CPU"
    )
    store.close()


if __name__ == "__main__":
    main()
