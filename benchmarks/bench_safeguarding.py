"""Safeguarding referrals at the border: precision and recall across regimes and seeds.

Usage:
    .venv/bin/python benchmarks/bench_safeguarding.py [--travellers N]
        [--regimes standard confounders] [--seeds 1 2 3] [--work DIR] [--json]

For every regime and seed a world is simulated (``threadline simulate --regime R``) and
taken through the demo's own steps: case records, identified persons, the INTERPOL
notices and stolen or lost documents, the ads analysed, then every manifest queued and
screened by the worker as a border officer would send it. The referrals stored
(``victim_indicator`` findings) are scored against ``truth.json`` with
``threadline.screening.evaluation.evaluate_border_victims``: precision over the travel
records referred, recall over the victims' travel records. The false referrals are then
named by who they are in the truth (a network member travelling with the group, a
family, a school trip, young friends, seasonal workers, an ordinary traveller), so a
change can be judged by what it stops flagging.

The ``confounders`` regime adds honest travel that looks like victims' travel at a
border (see docs/formats.md); tune on some seeds and report on others.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

from bench_world_tasks import build_world

from threadline.screening.evaluation import evaluate_border_victims
from threadline.store.findings import query_findings

# The demo's steps up to and including the screening of every manifest.
STEPS = (
    "simulate a world",
    "load case records",
    "load identified persons",
    "load watchlists",
    "load passenger manifests",
    "analyse ads",
    "create demo users",
    "screen manifests in an operation",
)


def _who(truth: dict[str, Any]) -> dict[str, str]:
    """Each travel record the truth knows, by who made it: victim, member or booking kind."""
    out: dict[str, str] = {}
    for booking in (truth.get("legitimate") or {}).get("bookings") or []:
        for record in booking.get("record_ids") or []:
            out[record] = str(booking.get("kind"))
    for network in truth.get("networks") or []:
        for member in network.get("members") or []:
            for record in member.get("record_ids") or []:
                out[record] = "network member"
    for victim in truth.get("victims") or []:
        for record in victim.get("record_ids") or []:
            out[record] = "victim"
    return out


def run_world(work: Path, regime: str, seed: int, travellers: int) -> dict[str, Any]:
    store, root, seconds = build_world(work, regime, seed, travellers, STEPS)
    truth = json.loads((root / "world" / "truth.json").read_text(encoding="utf-8"))
    scores = evaluate_border_victims(store, truth)
    who = _who(truth)
    with store.connect() as conn:
        found = query_findings(conn, "victim_indicator", order_by_score=False)
    referred = {str(f.data.get("record_id")) for f in found}
    false = Counter(who.get(r, "ordinary traveller") for r in referred if who.get(r) != "victim")
    manifests = (root / "world" / "manifests").glob("*.csv")
    screened = sum(1 for path in manifests for _ in csv.DictReader(path.open(encoding="utf-8")))
    return {
        "regime": regime,
        "seed": seed,
        "travellers": screened,
        "seconds": round(seconds, 1),
        "precision": scores["precision"],
        "recall": scores["recall"],
        "referred": scores["flagged_records"],
        "victim_records": scores["victim_records"],
        "by_indicator": scores["by_indicator"],
        "false_referrals": dict(false.most_common()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--travellers", type=int, default=5000)
    parser.add_argument("--regimes", nargs="+", default=["standard", "confounders"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[4, 5, 6])
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-safeguarding"))
    parser.add_argument("--json", action="store_true", help="One JSON object per world.")
    args = parser.parse_args()
    rows = []
    for regime in args.regimes:
        for seed in args.seeds:
            row = run_world(args.work, regime, seed, args.travellers)
            rows.append(row)
            if args.json:
                print(json.dumps(row), flush=True)
                continue
            print(
                f"{regime:12} seed {seed:3}  P {row['precision']:.3f}  R {row['recall']:.3f}  "
                f"referred {row['referred']:5}  victims' records {row['victim_records']:5}  "
                f"({row['travellers']} travellers, {row['seconds']} s)",
                flush=True,
            )
            print(f"{'':18}false referrals: {row['false_referrals']}", flush=True)
    if not args.json:
        for regime in args.regimes:
            mine = [r for r in rows if r["regime"] == regime]
            tp = sum(round((r["precision"] or 0) * r["referred"]) for r in mine)
            referred = sum(r["referred"] for r in mine)
            victims = sum(r["victim_records"] for r in mine)
            print(
                f"{regime:12} all seeds  P {tp / max(1, referred):.3f}  "
                f"R {tp / max(1, victims):.3f}  (pooled over {len(mine)} worlds)"
            )


if __name__ == "__main__":
    main()
