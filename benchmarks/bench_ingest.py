"""Ingestion throughput: N generated FtM entities into SQLite or PostgreSQL.

    python benchmarks/bench_ingest.py --n 1000000 --backend sqlite
    python benchmarks/bench_ingest.py --n 1000000 --backend postgresql

The entity file is generated first (streamed, deterministic); then `threadline ingest`
runs in a child process, timed, and its peak resident memory is read from the OS.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import orjson
from sqlalchemy import create_engine, text

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
GIVEN = ["Anna", "Maria", "Olga", "Fatima", "Ana", "John", "Ivan", "Mohammed", "Lucia", "Amina"]
FAMILY = ["Eriksson", "Silva", "Petrova", "Haddad", "Garcia", "Smith", "Ivanov", "Okafor"]
COUNTRIES = ["se", "pt", "ru", "ma", "es", "gb", "ua", "ng", "fr", "br"]


def entities(n: int, seed: int = 7):  # type: ignore[no-untyped-def]
    """Persons with a passport, a phone, an account and an ad: five entities per group."""
    rng = random.Random(seed)
    for i in range(0, n, 5):
        pid = f"p{i}"
        country = rng.choice(COUNTRIES)
        phone = f"+1 202 555 01{rng.randrange(100):02d}"
        yield {
            "id": pid,
            "schema": "Person",
            "properties": {
                "name": [f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"],
                "birthDate": [f"{rng.randrange(1950, 2008)}-{rng.randrange(1, 13):02d}-01"],
                "nationality": [country],
                "phone": [phone],
            },
        }
        yield {
            "id": f"doc{i}",
            "schema": "Passport",
            "properties": {
                "holder": [pid],
                "number": [f"X{rng.randrange(10**8):08d}"],
                "country": [country],
            },
        }
        yield {
            "id": f"acc{i}",
            "schema": "UserAccount",
            "properties": {"username": [f"user{i}"], "service": ["Telegram"], "owner": [pid]},
        }
        yield {
            "id": f"ad{i}",
            "schema": "HyperText",
            "properties": {
                "title": ["Hotel work abroad, flights paid"],
                "bodyText": [f"No experience needed. Call {phone}. Ref {i}."],
                "sourceUrl": [f"https://ads.example/{i}"],
            },
        }
        yield {
            "id": f"trip{i}",
            "schema": "Trip",
            "properties": {"startLocation": ["LIS"], "endLocation": ["DXB"]},
        }


def generate(path: Path, n: int) -> None:
    with path.open("wb") as out:
        for count, entity in enumerate(entities(n)):
            if count >= n:
                break
            out.write(orjson.dumps(entity) + b"\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="tl-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    source = work / f"entities-{args.n}.ftm.jsonl"
    if not source.exists():
        started = time.perf_counter()
        generate(source, args.n)
        print(f"generated {args.n:,} entities in {time.perf_counter() - started:.1f}s")
    schema = None
    if args.backend == "sqlite":
        db = work / "bench.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        url = str(db)
    else:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        with create_engine(PG_URL).begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    command = [
        sys.executable,
        "-m",
        "threadline.cli.main",
        "--db",
        url,
        "ingest",
        str(source),
        "-c",
        "bench",
        "--json",
    ]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        print(result.stderr)
        raise SystemExit(result.returncode)
    job = orjson.loads(result.stdout)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"{args.backend}: {job['stored']:,} records, {job['entities']:,} entities, "
        f"{job['statements']:,} values in {elapsed:.1f}s = {job['entities'] / elapsed:,.0f} "
        f"entities/s; peak RSS {peak_mb:,.0f} MB"
    )
    if schema:
        with create_engine(PG_URL).begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


if __name__ == "__main__":
    main()
