"""Name pairs scored by Threadline and by nomenklatura's logic-v2, in one run on one machine.

Each labelled pair (two names and a FollowTheMoney schema) is scored twice: by
Threadline's name comparison exactly as ``threadline match pairs`` uses it
(:func:`threadline.screening.matching.score_names`, decision ``match`` at its own
threshold) and by nomenklatura's logic-v2 on two entities of that schema holding
only the names (decision at 0.7, the threshold yente and nomenklatura's own
``name_bench`` harness use). Both get precision, recall and F1 at their own
threshold, and at the threshold that gives the best F1 on the rows reported (an
oracle figure: it is chosen on the very rows it scores, so it says how well the
scores rank, not how well the matcher decides), and pairs per second of CPU.

    .venv/bin/python benchmarks/bench_name_pairs.py \\
        --pairs path/to/nomenklatura/contrib/name_bench/cases.csv \\
        --pairs benchmarks/data/cross_script_pairs.csv [--rows even|odd] [--errors 5] [--json]

A pairs file is a CSV with a header holding ``name1``, ``name2``, ``is_match``
(true/false) and optionally ``schema`` (Person when blank), ``case_group`` and
``script`` (used only to slice the report): nomenklatura's ``name_bench``
``cases.csv`` is read as it is. ``--rows even`` keeps the data rows 0, 2, 4...
of each file (the half names are tuned on), ``--rows odd`` the others (held out).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_PAIRS = Path(__file__).parent / "data" / "cross_script_pairs.csv"
# The decision thresholds each matcher ships with.
LOGIC_V2_THRESHOLD = 0.7  # yente's and name_bench's default for logic-v2
# The schema groups reported; LegalEntity counts with the organisations.
_GROUPS = {
    "Person": "Person",
    "Organization": "Organization/Company",
    "Company": "Organization/Company",
    "LegalEntity": "Organization/Company",
    "PublicBody": "Organization/Company",
    "Vessel": "Vessel",
}


@dataclass(frozen=True, slots=True)
class Pair:
    """One labelled row of a pairs file."""

    source: str  # file stem
    row: int  # 0-based data row in its file
    schema: str
    name1: str
    name2: str
    is_match: bool
    slice: str  # the row's case_group or script, for the report

    @property
    def group(self) -> str:
        return _GROUPS.get(self.schema, self.schema)


def read_pairs(path: Path) -> list[Pair]:
    """Read a pairs file; a row with a missing name or an unreadable label is an error."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        sys.exit(f"bench_name_pairs: cannot read {path}: {exc.strerror or exc}")
    pairs: list[Pair] = []
    with handle:
        reader = csv.DictReader(handle)
        missing = {"name1", "name2", "is_match"} - set(reader.fieldnames or ())
        if missing:
            sys.exit(f"bench_name_pairs: {path}: the header lacks {', '.join(sorted(missing))}")
        for row_number, row in enumerate(reader):
            label = (row["is_match"] or "").strip().lower()
            if label not in ("true", "false"):
                sys.exit(f"bench_name_pairs: {path}: data row {row_number}: is_match {label!r} "
                         "is not true or false")  # fmt: skip
            name1, name2 = (row["name1"] or "").strip(), (row["name2"] or "").strip()
            if not name1 or not name2:
                sys.exit(f"bench_name_pairs: {path}: data row {row_number}: a name is empty")
            pairs.append(
                Pair(
                    source=path.stem,
                    row=row_number,
                    schema=(row.get("schema") or "").strip() or "Person",
                    name1=name1,
                    name2=name2,
                    is_match=label == "true",
                    slice=(row.get("script") or row.get("case_group") or "").strip(),
                )
            )
    return pairs


# --- the two matchers: each maps a pair to (score, decided match) ---

Scorer = Callable[[Pair], tuple[float, bool]]


def threadline_scorer() -> Scorer:
    """Threadline's comparison as ``threadline match pairs`` runs it."""
    from threadline.screening.matching import score_names

    def score(pair: Pair) -> tuple[float, bool]:
        result = score_names(pair.name1, pair.name2, pair.schema)
        return result.score, result.decision == "match"

    return score


def logic_v2_scorer() -> Scorer:
    """nomenklatura's logic-v2 on two entities of the pair's schema holding only the names."""
    from followthemoney import ValueEntity, model
    from nomenklatura.matching import get_algorithm

    algorithm = get_algorithm("logic-v2")
    if algorithm is None:
        sys.exit("bench_name_pairs: nomenklatura has no logic-v2 algorithm")
    config = algorithm.default_config()

    def entity(schema: str, name: str, key: str) -> Any:
        proxy = ValueEntity(model.get(schema), {"id": key})
        proxy.add("name", name)
        return proxy

    def score(pair: Pair) -> tuple[float, bool]:
        key = f"{pair.source}-{pair.row}"
        query = entity(pair.schema, pair.name1, f"q-{key}")
        result = entity(pair.schema, pair.name2, f"r-{key}")
        value = float(algorithm.compare(query, result, config).score)
        return value, value >= LOGIC_V2_THRESHOLD

    return score


@dataclass(frozen=True, slots=True)
class Scored:
    pair: Pair
    score: float
    decided: bool


# One name in each script of the pairs files, none of them in the files: scoring them first
# loads data files and builds ICU's transforms outside the timed pass, for both matchers.
_WARM_UP = ("Anna Example", "Анна Пример", "آنا مثال", "安娜", "안나", "अन्ना", "Άννα", "แอนนา")


def run(scorer: Scorer, pairs: list[Pair]) -> tuple[list[Scored], float]:
    """Score every pair once (cold caches for these names); returns the CPU seconds spent."""
    for schema in ("Person", "Company", "Vessel"):
        for name in _WARM_UP:
            scorer(Pair("warm-up", -1, schema, name, "Example", False, ""))
    start = time.process_time()
    scored = [Scored(pair, *scorer(pair)) for pair in pairs]
    return scored, time.process_time() - start


# --- metrics ---


def prf(truth: Iterable[bool], decided: Iterable[bool]) -> dict[str, float | int]:
    """Precision, recall, F1 and the confusion counts of decisions against labels."""
    tp = fp = fn = tn = 0
    for label, guess in zip(truth, decided, strict=True):
        if guess:
            tp += label
            fp += not label
        else:
            fn += label
            tn += not label
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn, "tn": tn}  # fmt: skip


def best_threshold(scored: list[Scored]) -> tuple[float, dict[str, float | int]]:
    """The score threshold (decide match at >= it) with the best F1 on these rows."""
    best: tuple[float, dict[str, float | int]] = (1.0, prf([], []))
    for threshold in sorted({s.score for s in scored} | {1.0}):
        figures = prf((s.pair.is_match for s in scored), (s.score >= threshold for s in scored))
        if float(figures["f1"]) > float(best[1]["f1"]):
            best = (threshold, figures)
    return round(best[0], 4), best[1]


def summarise(scored: list[Scored], seconds: float) -> dict[str, Any]:
    """Figures overall, per schema group and per slice, for one matcher."""

    def figures(rows: list[Scored]) -> dict[str, Any]:
        own = prf((s.pair.is_match for s in rows), (s.decided for s in rows))
        threshold, oracle = best_threshold(rows)
        return {"pairs": len(rows), "own": own, "best_threshold": threshold, "best": oracle}

    by_group: dict[str, list[Scored]] = {}
    by_slice: dict[str, list[Scored]] = {}
    for s in scored:
        by_group.setdefault(s.pair.group, []).append(s)
        by_slice.setdefault(f"{s.pair.source}:{s.pair.slice or '-'}", []).append(s)
    return {
        "overall": figures(scored),
        "schema": {name: figures(rows) for name, rows in sorted(by_group.items())},
        "slice": {name: figures(rows) for name, rows in sorted(by_slice.items())},
        "cpu_seconds": round(seconds, 4),
        "pairs_per_second": round(len(scored) / seconds, 1) if seconds else None,
    }


def errors(scored: list[Scored], limit: int) -> dict[str, list[dict[str, Any]]]:
    """Up to ``limit`` false matches and missed matches at the matcher's own threshold."""
    false_matches = [s for s in scored if s.decided and not s.pair.is_match]
    missed = [s for s in scored if s.pair.is_match and not s.decided]

    def rows(items: list[Scored]) -> list[dict[str, Any]]:
        return [{"source": s.pair.source, "row": s.pair.row, "schema": s.pair.schema,
                 "name1": s.pair.name1, "name2": s.pair.name2, "score": round(s.score, 4)}
                for s in items[:limit]]  # fmt: skip

    return {"false_match": rows(false_matches), "missed_match": rows(missed),
            "false_match_total": len(false_matches), "missed_match_total": len(missed)}  # fmt: skip


# --- report ---


def _line(label: str, fig: dict[str, Any]) -> str:
    own, best, at = fig["own"], fig["best"], fig["best_threshold"]
    return (f"  {label:<34} {fig['pairs']:>5}  P {own['precision']:.3f} R {own['recall']:.3f} "
            f"F1 {own['f1']:.3f}   | best-F1 {best['f1']:.3f} at >= {at:.3f}")  # fmt: skip


def print_report(report: dict[str, Any], show_slices: bool) -> None:
    print(f"pairs: {report['pairs']} from {', '.join(report['files'])} (rows: {report['rows']})")
    print("figures: precision / recall / F1 at the matcher's own decision threshold; then the")
    print("best F1 over all thresholds on these same rows (an oracle, not a decision).")
    for name, summary in report["matchers"].items():
        print(f"\n{name}  ({summary['threshold']}; {summary['pairs_per_second']} pairs/s CPU, "
              f"{summary['cpu_seconds']} s)")  # fmt: skip
        print(_line("overall", summary["overall"]))
        for group, fig in summary["schema"].items():
            print(_line(group, fig))
        if show_slices:
            for group, fig in summary["slice"].items():
                print(_line(group, fig))
        if "errors" in summary:
            err = summary["errors"]
            for kind, title in (
                ("false_match", "false matches"),
                ("missed_match", "missed matches"),
            ):
                print(f"  {title} ({err[kind + '_total']} in all):")
                for row in err[kind]:
                    print(f"    {row['source']}:{row['row']} [{row['schema']}] {row['name1']!r} vs "
                          f"{row['name2']!r} -> {row['score']}")  # fmt: skip
    if len(report["matchers"]) == 2:
        speeds = [m["pairs_per_second"] or 0.0 for m in report["matchers"].values()]
        if speeds[1]:
            print(f"\nThreadline / logic-v2 speed: {speeds[0] / speeds[1]:.1f}x")


def main(argv: list[str] | None = None) -> None:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--pairs", type=Path, action="append",
                        help=f"pairs CSV (repeatable); default {DEFAULT_PAIRS}")  # fmt: skip
    parser.add_argument("--rows", choices=("all", "even", "odd"), default="all",
                        help="all data rows, the even (tuning) half or the odd half")  # fmt: skip
    parser.add_argument("--matchers", default="threadline,logic-v2",
                        help="comma-separated: threadline, logic-v2")  # fmt: skip
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="show N false matches and N missed matches per matcher")  # fmt: skip
    parser.add_argument("--slices", action="store_true",
                        help="also report per case_group / script")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if args.errors < 0:
        parser.error("--errors must be 0 or more")
    files: list[Path] = args.pairs or [DEFAULT_PAIRS]
    pairs = [pair for path in files for pair in read_pairs(path)]
    if args.rows != "all":
        parity = 0 if args.rows == "even" else 1
        pairs = [pair for pair in pairs if pair.row % 2 == parity]
    if not pairs:
        sys.exit("bench_name_pairs: no pairs to score")
    known = {"threadline": (threadline_scorer, "decides match"),
             "logic-v2": (logic_v2_scorer, f"score >= {LOGIC_V2_THRESHOLD}")}  # fmt: skip
    names = [name.strip() for name in args.matchers.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        parser.error(
            f"--matchers: unknown {', '.join(unknown) or '(none)'}; use {', '.join(known)}"
        )
    report: dict[str, Any] = {"files": [str(p) for p in files], "rows": args.rows,
                              "pairs": len(pairs), "matchers": {}}  # fmt: skip
    for name in names:
        factory, threshold = known[name]
        scored, seconds = run(factory(), pairs)
        summary = {"threshold": threshold, **summarise(scored, seconds)}
        if args.errors:
            summary["errors"] = errors(scored, args.errors)
        report["matchers"][name] = summary
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print_report(report, args.slices)


if __name__ == "__main__":
    main()
