"""Bounded load test on loopback: N concurrent users for T seconds over entity pages, search
and single-traveller screening, against a running `threadline serve`.

    threadline demo --no-serve                                  # a world and demo users
    threadline tokens issue analyst --name load --days 1        # prints a token (read, write)
    threadline serve --workers 2 &
    python benchmarks/load_test.py --token tl_... --users 50 --seconds 60 [--think 1.0]

Each simulated user sends a request, reads the answer, then pauses (its think time,
drawn uniformly between half and one and a half times ``--think`` seconds, as a
person at a screen does) before the next; users start at random moments within
their first pause so they do not arrive in step. ``--think 0`` is a closed loop:
every user fires its next request the moment the last one returns, which measures
saturation rather than people at work.

Only a loopback address is ever targeted (``--url``, default http://127.0.0.1:8000); every
loop stops when the time is up.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections import Counter
from typing import Any

import httpx

# A person query (entity page, search) needs a purpose; an investigation also a case
# reference.
INVESTIGATION = {"purpose": "investigation", "reference": "LOAD-TEST"}


async def _user(
    client: httpx.AsyncClient,
    deadline: float,
    ids: list[str],
    names: list[str],
    out: list[Any],
    think: float,
) -> None:
    rng = random.Random()
    if think > 0:
        await asyncio.sleep(rng.uniform(0, think))
    while time.monotonic() < deadline:
        kind = rng.choice(["entity", "search", "screen"])
        if kind == "entity":
            request = client.build_request(
                "GET", f"/api/v1/entities/{rng.choice(ids)}", params=INVESTIGATION
            )
        elif kind == "search":
            request = client.build_request(
                "GET", "/api/v1/search", params={"q": rng.choice(names), **INVESTIGATION}
            )
        else:
            body = {"names": [rng.choice(names)]}
            request = client.build_request(
                "POST", "/api/v1/screening/person", params={"purpose": "border_check"}, json=body
            )
        started = time.perf_counter()
        try:
            response = await client.send(request)
            status = response.status_code
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        out.append((kind, time.perf_counter() - started, status))
        if think > 0:
            await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))


async def _run(args: argparse.Namespace) -> None:
    headers = {"Authorization": f"Bearer {args.token}"}
    async with httpx.AsyncClient(base_url=args.url, headers=headers, timeout=30) as client:
        found = await client.get(
            "/api/v1/search", params={"q": args.seed_query, **INVESTIGATION, "limit": 200}
        )
        found.raise_for_status()
    items = found.json()["items"]
    ids = [item["id"] for item in items] or ["absent"]
    names = sorted({name.split()[0] for item in items for name in item["names"]}) or ["an"]
    results: list[Any] = []
    # One client (one keep-alive connection) per user: one client whose pool all users share
    # cost the generator 15 ms of CPU per request against 2.6 ms (50 users, 2 cores), CPU
    # taken from the cores the server runs on.
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [
        httpx.AsyncClient(base_url=args.url, headers=headers, timeout=30, limits=limits)
        for _ in range(args.users)
    ]
    cpu = time.process_time()
    deadline = time.monotonic() + args.seconds
    try:
        await asyncio.gather(
            *(_user(c, deadline, ids, names, results, args.think) for c in clients)
        )
    finally:
        for c in clients:
            await c.aclose()
    cpu = time.process_time() - cpu
    by_kind: dict[str, list[float]] = {}
    statuses: Counter[Any] = Counter()
    for kind, seconds, status in results:
        by_kind.setdefault(kind, []).append(seconds)
        statuses[status] += 1
    every = sorted(s for _, s, _ in results)
    p50 = statistics.median(every) * 1000 if every else float("nan")
    p95 = every[int(len(every) * 0.95) - 1] * 1000 if every else float("nan")
    errors = sum(n for s, n in statuses.items() if not (isinstance(s, int) and s < 500))
    print(
        f"{len(results):,} requests in {args.seconds} s by {args.users} users "
        f"(think time {args.think:g} s): "
        f"{len(results) / args.seconds:,.0f}/s; p50 {p50:.1f} ms; p95 {p95:.1f} ms; "
        f"errors {errors}"
    )
    for kind, values in sorted(by_kind.items()):
        values.sort()
        print(
            f"  {kind:7} n={len(values):6,} p50 {statistics.median(values) * 1000:7.1f} ms "
            f"p95 {values[int(len(values) * 0.95) - 1] * 1000:7.1f} ms"
        )
    print(f"  statuses: {dict(statuses)}")
    print(
        f"  load generator CPU: {cpu:.1f} s "
        f"({cpu / max(len(results), 1) * 1000:.2f} ms per request)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--token", required=True)
    parser.add_argument(
        "--url", default="http://127.0.0.1:8000", help="the server (loopback addresses only)"
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--seed-query", default="an")
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="mean pause between a user's requests in seconds (0: closed loop)",
    )
    args = parser.parse_args()
    host = httpx.URL(args.url).host
    if not (host == "localhost" or host == "::1" or host.startswith("127.")):
        parser.error(f"{args.url} is not a loopback address")
    asyncio.run(_run(args))


if __name__ == "__main__":
    main()
