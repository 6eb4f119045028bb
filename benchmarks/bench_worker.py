"""Manifests screened as they arrive: API upload → queue → worker → alerts listed.

Targets (issue "always on"): a 300-traveller PAXLST manifest uploaded through the API is
screened and its alerts are listed within 5 s with one worker running; sustained 10
manifests/s.

    .venv/bin/python benchmarks/bench_worker.py [--scale small] [--manifests 60]
        [--latency 20] [--workers 1 2] [--db URL]

What runs: a simulated world's red and yellow notices and stolen/lost document list are
loaded as shared watchlists; its flights' travellers are regrouped into PAXLST messages
of 300 travellers each (the simulator's names, birth dates and documents, victims and
namesakes included). ``threadline serve --no-worker`` serves the API in one process and
``threadline worker`` processes run beside it, as in a deployment; the client is a
border officer's API token.

- latency: one manifest at a time on an idle queue, from the start of the upload to the
  moment ``GET /api/v1/alerts`` lists its alerts (the task polled every 50 ms);
- throughput: every manifest uploaded back to back (four client threads), from the first
  upload to the last task done, with 1 and with 2 workers.

The store is a new SQLite file unless --db names a PostgreSQL database (its tables are
dropped first: use a scratch database).
"""

from __future__ import annotations

import argparse
import csv
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx

THREADLINE = str(Path(sys.executable).parent / "threadline")
PASSWORD = "a long enough password"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(folder: Path, scale: str, db: str) -> tuple[str, list[Path]]:
    """Simulate, load the watchlists, create a border officer; the token and manifests."""
    os.environ["THREADLINE_DB"] = db
    from threadline.governance.identity import issue_token
    from threadline.services.demo import DemoRun, create_users, load_watchlists, simulate_world
    from threadline.simulation.config import make_config
    from threadline.store import open_store

    store = open_store(db)
    run = DemoRun(store, folder / "world", make_config(scale, 7))
    for step in (simulate_world, create_users, load_watchlists):
        step(run)
    with store.begin() as conn:
        token = issue_token(conn, "border-officer", "benchmark")
    store.close()
    return token, _regroup(folder / "world" / "manifests", folder / "paxlst", 300)


def _regroup(source: Path, target: Path, size: int) -> list[Path]:
    """The simulator's travellers as PAXLST messages of ``size`` travellers."""
    from threadline.primitives.paxlst import (
        PaxlstDocument,
        PaxlstFlight,
        PaxlstTraveller,
        write_paxlst,
    )

    target.mkdir(parents=True, exist_ok=True)
    rows = [row for path in sorted(source.glob("*.csv")) for row in csv.DictReader(path.open())]
    out: list[Path] = []
    for number, start in enumerate(range(0, len(rows) - size + 1, size)):
        chunk = rows[start : start + size]
        departs = datetime(2026, 3, 1, 8, 0) + timedelta(minutes=10 * number)
        flight = PaxlstFlight(
            f"ZZ{100 + number}", "LHR", departs, "BKK", departs + timedelta(hours=11)
        )
        for row in chunk:
            flight.travellers.append(
                PaxlstTraveller(
                    row["surname"],
                    row["given_names"],
                    row["sex"] or None,
                    date.fromisoformat(row["date_of_birth"]) if row["date_of_birth"] else None,
                    row["nationality"] or None,
                    row["booking_ref"] or None,
                    row["record_id"],
                    [
                        PaxlstDocument(
                            row["document_type"] or "P",
                            row["document_number"],
                            date.fromisoformat(row["document_expiry"])
                            if row["document_expiry"]
                            else None,
                            row["document_issuing_country"] or None,
                        )
                    ],
                    "LHR",
                    "BKK",
                )
            )
        path = target / f"flight_{number:04d}.edi"
        path.write_text(
            write_paxlst(
                [flight],
                interchange_ref=f"{number + 1:08d}",
                sender="ZZAIRLINE",
                recipient="BORDERAGENCY",
                prepared=departs - timedelta(minutes=30),
            ),
            encoding="ascii",
        )
        out.append(path)
    return out


class Platform:
    """``threadline serve --no-worker`` and N ``threadline worker`` processes."""

    def __init__(self, db: str, workers: int) -> None:
        self.port = _free_port()
        env = {**os.environ, "THREADLINE_DB": db, "THREADLINE_WORKER_POLL_SECONDS": "0.05"}
        serve = [THREADLINE, "serve", "--no-worker", "--port", str(self.port)]
        self.processes = [subprocess.Popen(serve, env=env)]
        for _ in range(workers):
            self.processes.append(
                subprocess.Popen([THREADLINE, "worker"], env=env, stderr=subprocess.DEVNULL)
            )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(self.url + "/api/v1/openapi.json", timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.2)
        raise SystemExit("the server did not start")

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=30)


def upload(client: httpx.Client, path: Path) -> int:
    with path.open("rb") as handle:
        answer = client.post(
            "/api/v1/manifests",
            params={"purpose": "border_check"},
            files={"file": (path.name, handle, "text/plain")},
        )
    answer.raise_for_status()
    return int(answer.json()["id"])


def wait_done(client: httpx.Client, task_id: int) -> dict:
    while True:
        task = client.get(f"/api/v1/tasks/{task_id}").json()
        if task["state"] in ("done", "failed"):
            return task
        time.sleep(0.05)


def latency(platform: Platform, token: str, manifests: list[Path]) -> list[float]:
    headers = {"Authorization": f"Bearer {token}"}
    seconds: list[float] = []
    with httpx.Client(base_url=platform.url, headers=headers, timeout=60) as client:
        for path in manifests:
            started = time.perf_counter()
            task = wait_done(client, upload(client, path))
            assert task["state"] == "done", task
            listed = client.get(
                "/api/v1/alerts", params={"purpose": "border_check", "limit": 500}
            ).json()
            seconds.append(time.perf_counter() - started)
            assert listed["total"] >= task["result"]["alerts_raised"]
    return seconds


def throughput(platform: Platform, token: str, manifests: list[Path]) -> tuple[float, int]:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=platform.url, headers=headers, timeout=120) as client:
        started = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            ids = list(pool.map(lambda p: upload(client, p), manifests))
        failed = sum(wait_done(client, i)["state"] != "done" for i in ids)
        return time.perf_counter() - started, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small")
    parser.add_argument("--manifests", type=int, default=60, help="for the throughput run")
    parser.add_argument("--latency", type=int, default=20, help="manifests sent one by one")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--db", default=None, help="a scratch PostgreSQL URL (default SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-worker-") as name:
        folder = Path(name)
        os.chdir(folder)
        db = args.db or f"sqlite:///{folder / 'bench.db'}"
        if args.db:
            from sqlalchemy import create_engine, text

            with create_engine(args.db).begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        token, manifests = prepare(folder, args.scale, db)
        print(f"{len(manifests)} PAXLST manifests of 300 travellers; store {db.split(':')[0]}")
        needed = args.latency + args.manifests * len(args.workers)
        manifests = (manifests * (needed // len(manifests) + 1))[:needed]
        platform = Platform(db, 1)
        try:
            seconds = latency(platform, token, manifests[: args.latency])
        finally:
            platform.stop()
        p95 = sorted(seconds)[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))]
        print(
            "latency, upload to alerts listed, 1 worker: "
            f"median {statistics.median(seconds):.2f} s, "
            f"p95 {p95:.2f} s, max {max(seconds):.2f} s ({len(seconds)} manifests)"
        )
        rest = manifests[args.latency :]
        for index, workers in enumerate(args.workers):
            batch = rest[index * args.manifests : (index + 1) * args.manifests]
            platform = Platform(db, workers)
            try:
                elapsed, failed = throughput(platform, token, batch)
            finally:
                platform.stop()
            print(
                f"throughput, {workers} worker(s): {len(batch)} manifests in {elapsed:.1f} s = "
                f"{len(batch) / elapsed:.1f} manifests/s ({len(batch) * 300 / elapsed:,.0f} "
                f"travellers/s), {failed} failed"
            )


if __name__ == "__main__":
    main()
