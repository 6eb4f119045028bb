"""Accuracy and speed of watchlist screening, side by side with nomenklatura's matchers.

Watchlist: the untreated UN sanctions list plus the US Congress list (as
distractors). Queries: every treated UN row (each must find its own untreated
row, same row number) and every negative row (each should find nothing).

    .venv/bin/python benchmarks/bench_screening.py [--data DIR] [--nk-negatives N]
    .venv/bin/python benchmarks/bench_screening.py --scale   # 100,000-entry index latency

The nomenklatura matchers (logic-v1, logic-v2) score the same candidate pairs
the index proposes, so the comparison isolates the pair scorer.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import time
from pathlib import Path
from typing import Any

from followthemoney import model

from threadline.primitives.countries import clean_country
from threadline.screening.matching import prepare_entity, score_prepared
from threadline.screening.watchlist import WatchlistIndex

DATA = Path("/work/shared/data/screening")


def load(path: Path, prefix: str) -> list[Any]:
    """Read a fixture CSV into FtM Person proxies with ids ``prefix-<row>``."""
    people = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            entity = model.make_entity("Person")
            entity.id = f"{prefix}-{number}"
            entity.add("name", row["full_name"])
            entity.add("firstName", row["first_name"] or None)
            entity.add("middleName", row["middle_name"] or None)
            entity.add("lastName", row["last_name"] or None)
            entity.add("gender", row["gender"] or None, quiet=True)
            entity.add("birthDate", row["date_of_birth"] or None, quiet=True)
            entity.add("nationality", clean_country(row["nationality"]), quiet=True)
            people.append(entity)
    return people


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94] if len(values) > 1 else values[0]


def run_ours(
    index: WatchlistIndex, queries: list[Any], cpu: list[float] | None = None
) -> tuple[list[Any], list[float]]:
    """Screen each query; wall-clock latencies returned, CPU times appended to ``cpu``.

    CPU time (``time.process_time``) is what one core spends on the query; it
    stays meaningful when other processes compete for the machine.
    """
    results, latencies = [], []
    for query in queries:
        start, start_cpu = time.perf_counter(), time.process_time()
        hits = index.screen(query, limit=5)
        latencies.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - start_cpu)
        results.append(hits)
    return results, latencies


def nomenklatura_eval(
    name: str, index: WatchlistIndex, entities: dict[str, Any], queries: list[Any], own: list[str]
) -> dict[str, float]:
    """Score each query's index candidates with a nomenklatura algorithm."""
    from nomenklatura.matching import get_algorithm

    algorithm = get_algorithm(name)
    assert algorithm is not None
    config = algorithm.default_config()
    found_match = found_any = false_matches = pairs = 0
    elapsed = 0.0
    for query, expected in zip(queries, own, strict=True):
        numbers = index.candidates_for(prepare_entity(query))
        best: dict[str, float] = {}
        for number in numbers:
            entry = index.entries[number]
            start = time.perf_counter()
            score = algorithm.compare(query, entities[entry.entity_id], config).score
            elapsed += time.perf_counter() - start
            pairs += 1
            best[entry.entity_id] = score
        # yente's defaults: 0.7 is a match; 0.5 is shown as a candidate
        if expected:
            found_match += best.get(expected, 0.0) >= 0.7
            found_any += best.get(expected, 0.0) >= 0.5
        else:
            false_matches += any(score >= 0.7 for score in best.values())
    return {
        "match": found_match,
        "any": found_any,
        "false": false_matches,
        "pairs": pairs,
        "seconds": elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--nk-negatives", type=int, default=5_000,
                        help="negative queries per file also scored by nomenklatura")  # fmt: skip
    parser.add_argument("--scale", action="store_true", help="latency on a 100,000-entry index")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    if args.scale:
        scale(args.data)
        return

    watch = load(args.data / "positives_un_untreated.csv", "un")
    watch += load(args.data / "positives_us_congress_untreated.csv", "congress")
    start = time.perf_counter()
    index = WatchlistIndex()
    for entity in watch:
        index.add(entity, collection=entity.id.split("-")[0])
    index.freeze()
    print(f"index: {len(index)} entries built in {time.perf_counter() - start:.2f}s")

    positives = load(args.data / "positives_un_treated.csv", "q")
    negatives = load(args.data / "negatives_global.csv", "ng")
    negatives += load(args.data / "negatives_us.csv", "nu")

    cpu: list[float] = []
    hits, lat_pos = run_ours(index, positives, cpu)
    recall_match = recall_any = blocked = 0
    for number, (query, found) in enumerate(zip(positives, hits, strict=True)):
        own = f"un-{number}"
        blocked += own in {index.entries[n].entity_id for n in index.candidates_for(
            prepare_entity(query))}  # fmt: skip
        decisions = {hit.entity_id: hit.decision for hit in found}
        recall_match += decisions.get(own) == "match"
        recall_any += own in decisions
        if args.show_misses and decisions.get(own) != "match":
            own_entry = index.entries[number].person
            result = score_prepared(prepare_entity(query), own_entry)
            print("MISS", query.first("name"), "|", watch[number].first("name"),
                  round(result.score, 3), [c.to_dict() for c in result.explanation])  # fmt: skip
    neg_hits, lat_neg = run_ours(index, negatives, cpu)
    false_match = sum(any(h.decision == "match" for h in found) for found in neg_hits)
    false_any = sum(bool(found) for found in neg_hits)
    if args.show_misses:
        for query, found in zip(negatives, neg_hits, strict=True):
            for hit in found:
                if hit.decision == "match":
                    print("FALSE", query.first("name"), query.first("birthDate"), "->",
                          hit.entity_id, round(hit.score, 3),
                          [c.to_dict() for c in hit.explanation])  # fmt: skip
    latencies = lat_pos + lat_neg
    n_pos, n_neg = len(positives), len(negatives)
    print(f"positives: {n_pos}  negatives: {n_neg}")
    print(f"candidate recall (own row among top-{index.candidates}): {blocked / n_pos:.4f}")
    print(f"threadline recall (match): {recall_match / n_pos:.4f}")
    print(f"threadline recall (match or possible): {recall_any / n_pos:.4f}")
    print(f"threadline false matches per 1,000 negatives: {1000 * false_match / n_neg:.2f}")
    print(f"threadline possible-or-match hits per 1,000 negatives: {1000 * false_any / n_neg:.2f}")
    qps, wall_p95, cpu_p95 = len(latencies) / sum(latencies), p95(latencies), p95(cpu)
    print(
        f"threadline queries/s: {qps:.0f}  p95 latency: {1000 * wall_p95:.2f} ms "
        f"(CPU time: {1000 * cpu_p95:.2f} ms)"
    )

    # Same candidate pairs through our scorer and through nomenklatura's.
    entities = {entity.id: entity for entity in watch}
    sample = negatives[: args.nk_negatives] + negatives[n_neg // 2 : n_neg // 2 + args.nk_negatives]
    queries = positives + sample
    expected = [f"un-{n}" for n in range(n_pos)] + [""] * len(sample)
    prepared = [prepare_entity(q) for q in queries]
    ours_pairs, ours_seconds = 0, 0.0
    for query in prepared:
        for number in index.candidates_for(query):
            start = time.perf_counter()
            score_prepared(query, index.entries[number].person)
            ours_seconds += time.perf_counter() - start
            ours_pairs += 1
    our_pair_us = 1e6 * ours_seconds / ours_pairs
    print(f"pair scoring on {ours_pairs} pairs ({n_pos} positives + {len(sample)} negatives):")
    print(f"  threadline: {our_pair_us:.1f} us/pair")
    for name in ("logic-v1", "logic-v2"):
        res = nomenklatura_eval(name, index, entities, queries, expected)
        pair_us = 1e6 * res["seconds"] / res["pairs"]
        recall_strict, recall_loose = res["match"] / n_pos, res["any"] / n_pos
        false_rate = 1000 * res["false"] / len(sample)
        print(
            f"  {name}: recall@0.7 {recall_strict:.4f}  recall@0.5 {recall_loose:.4f}"
            f"  false matches per 1,000 negatives {false_rate:.2f}"
            f"  {pair_us:.1f} us/pair ({pair_us / our_pair_us:.1f}x threadline)"
        )


def scale(data: Path) -> None:
    """Latency on a 100,683-entry index: the negatives as synthetic entries plus the UN list."""
    start = time.perf_counter()
    people = load(data / "negatives_global.csv", "ng") + load(data / "negatives_us.csv", "nu")
    watch = load(data / "positives_un_untreated.csv", "un")
    index = WatchlistIndex()
    for entity in watch + people:
        index.add(entity, collection=entity.id.split("-")[0])
    index.freeze()
    print(f"index: {len(index)} entries built in {time.perf_counter() - start:.1f}s")
    positives = load(data / "positives_un_treated.csv", "q")
    queries = positives + people[::50]
    for query in queries[:200]:  # warm the caches like a running service
        index.screen(query)
    cpu: list[float] = []
    hits, latencies = run_ours(index, queries, cpu)
    own = [f"un-{n}" for n in range(len(positives))] + [q.id for q in people[::50]]
    found = [any(h.entity_id == want and h.decision == "match" for h in found)
             for want, found in zip(own, hits, strict=True)]  # fmt: skip
    qps = len(latencies) / sum(latencies)
    print(
        f"queries: {len(queries)}  p50 latency: {1000 * statistics.median(latencies):.2f} ms  "
        f"p95 latency: {1000 * p95(latencies):.2f} ms  max: {1000 * max(latencies):.2f} ms  "
        f"queries/s: {qps:.0f}"
    )
    print(
        f"CPU time per query: p50 {1000 * statistics.median(cpu):.2f} ms  "
        f"p95 {1000 * p95(cpu):.2f} ms  max {1000 * max(cpu):.2f} ms"
    )
    n_pos = len(positives)
    print(f"treated UN rows finding their entry as a match: {sum(found[:n_pos]) / n_pos:.4f}")
    print(
        f"indexed people finding themselves as a match: {sum(found[n_pos:])}/{len(found) - n_pos}"
    )


if __name__ == "__main__":
    main()
