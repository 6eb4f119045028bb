"""Persona and network recovery from ads across evasion regimes and seeds, beside two anchors.

Usage:
    .venv/bin/python benchmarks/bench_persona_regimes.py [--ads N] [--networks K]
        [--regimes standard evasive ...] [--seeds 1 2 3] [--work DIR] [--json]

For every regime and seed a world of N ads is simulated (``threadline simulate
--regime R``; reused when DIR already holds it), its features are read as
``threadline ads analyze`` reads them, and three linkers are scored pairwise
against truth.json (``threadline.ads.evaluation``): over the trafficking operators' ads
alone ("operators": the pairs a few large honest advertisers contribute do not drown
them), over every labelled ad (personas), and per network:

- **threadline**: ``link_ads`` with its defaults;
- **phone-only**: one union per shared phone (what a plain selector join does);
- **template anchor** (InfoShield-style coarse stage): each ad's top 5 phrases
  (word 1- to 5-grams) by tf-idf over the collection, ads sharing one of their
  top phrases joined, connected components as clusters; contacts are not used.

Tune on some seeds and regimes, report on the others: the regime and seed of every
row are printed, so held-out rows can be told apart.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from threadline.ads.bulk import read_features
from threadline.ads.evaluation import pairwise_scores, truth_clusters
from threadline.ads.features import AdFeatures
from threadline.ads.personas import LinkSettings, UnionFind, link_ads

TOP_PHRASES = 5
MAX_N = 5


def world(work: Path, regime: str, seed: int, ads: int, networks: int) -> Path:
    """The simulated world of one regime and seed (written unless already there)."""
    from threadline.simulation import simulate
    from threadline.simulation.config import make_config

    out = work / f"{regime}-s{seed}-{ads}"
    if (out / "truth.json").exists():
        return out
    config = make_config("medium", seed, ads=ads, travellers=50, networks=networks,
                         images=max(60, ads // 80), regime=regime)  # fmt: skip
    simulate(config, out, force=True, parallel=False)
    return out


def phone_only(ads: list[AdFeatures]) -> list[int]:
    uf = UnionFind(len(ads))
    first: dict[str, int] = {}
    for position, ad in enumerate(ads):
        for kind, value in ad.selectors:
            if kind == "phone":
                uf.union(first.setdefault(value, position), position)
    return [uf.find(i) for i in range(len(ads))]


def _phrases(text: str) -> set[str]:
    words = text.lower().split()
    return {" ".join(words[i : i + n]) for n in range(1, MAX_N + 1)
            for i in range(len(words) - n + 1)}  # fmt: skip


def template_anchor(ads: list[AdFeatures]) -> list[int]:
    """InfoShield-style coarse clustering: ads joined through their top tf-idf phrases."""
    texts = [_phrases(ad.template) for ad in ads]
    df: Counter[str] = Counter()
    for phrases in texts:
        df.update(phrases)
    n = len(ads)
    uf = UnionFind(n)
    owner: dict[str, int] = {}
    for position, (ad, phrases) in enumerate(zip(ads, texts, strict=True)):
        counts = Counter(_grams(ad.template))
        scored = sorted(((counts[p] * math.log(n / df[p]), p) for p in phrases if df[p] > 1),
                        reverse=True)[:TOP_PHRASES]  # fmt: skip
        for _, phrase in scored:
            uf.union(owner.setdefault(phrase, position), position)
    return [uf.find(i) for i in range(n)]


def _grams(text: str) -> list[str]:
    words = text.lower().split()
    return [" ".join(words[i : i + n]) for n in range(1, MAX_N + 1)
            for i in range(len(words) - n + 1)]  # fmt: skip


def scores(ads: list[AdFeatures], groups: list[int], truth: dict[str, Any]) -> dict[str, Any]:
    predicted = {a.ad_id: str(g) for a, g in zip(ads, groups, strict=True)}
    labelled = truth_clusters(truth)
    operators = {ad: label for ad, label in labelled.items() if label.startswith("T:")}
    return {
        "operators": pairwise_scores(predicted, operators),
        "personas": pairwise_scores(predicted, labelled),
        "networks": pairwise_scores(predicted, truth_clusters(truth, by_network=True)),
    }


def run(folder: Path, settings: LinkSettings, anchors: bool) -> list[dict[str, Any]]:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    read = read_features(folder / "ads.jsonl", workers=1)
    ads = read.ads
    rows = []
    start = time.perf_counter()
    linkage = link_ads(ads, settings, signatures_of_templates=read.signatures)
    took = time.perf_counter() - start
    rows.append({"linker": "threadline", "seconds": round(took, 2),
                 **scores(ads, linkage.groups, truth)})  # fmt: skip
    if not anchors:
        return rows
    start = time.perf_counter()
    groups = phone_only(ads)
    rows.append({"linker": "phone-only", "seconds": round(time.perf_counter() - start, 2),
                 **scores(ads, groups, truth)})  # fmt: skip
    start = time.perf_counter()
    groups = template_anchor(ads)
    rows.append({"linker": "template anchor", "seconds": round(time.perf_counter() - start, 2),
                 **scores(ads, groups, truth)})  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ads", type=int, default=20_000)
    parser.add_argument("--networks", type=int, default=16)
    parser.add_argument("--regimes", nargs="+", default=["standard", "evasive"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3])
    parser.add_argument("--work", type=Path, default=Path("/tmp/persona-regimes"))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--set", nargs="*", default=[], metavar="KNOB=VALUE",
                        help="override a LinkSettings knob (tuning runs only)")  # fmt: skip
    parser.add_argument("--anchors", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args()
    knobs: dict[str, Any] = {}
    for item in args.set:
        key, _, value = item.partition("=")
        default = getattr(LinkSettings(), key)
        knobs[key] = type(default)(value) if not isinstance(default, bool) else value == "true"
    settings = LinkSettings(**knobs)
    out = []
    for regime in args.regimes:
        for seed in args.seeds:
            folder = world(args.work, regime, seed, args.ads, args.networks)
            for row in run(folder, settings, args.anchors):
                row |= {"regime": regime, "seed": seed}
                out.append(row)
                if not args.json:
                    o, p, n = row["operators"], row["personas"], row["networks"]
                    print(f"{regime:12s} seed {seed} {row['linker']:16s} operators P "
                          f"{o['precision']:.3f} R {o['recall']:.3f} F1 {o['f1']:.3f} | "
                          f"personas P {p['precision']:.3f} "
                          f"R {p['recall']:.3f} F1 {p['f1']:.3f} | networks P "
                          f"{n['precision']:.3f} R {n['recall']:.3f} F1 {n['f1']:.3f} | "
                          f"{row['seconds']:.2f} s", flush=True)  # fmt: skip
    if args.json:
        print(json.dumps(out, indent=2))
    summary: dict[tuple[str, str], list[float]] = defaultdict(list)
    for row in out:
        summary[(row["regime"], row["linker"])].append(row["operators"]["f1"])
    if not args.json:
        for (regime, linker), f1s in summary.items():
            print(f"mean operator F1 {regime:12s} {linker:16s} {sum(f1s) / len(f1s):.3f}")


if __name__ == "__main__":
    main()
