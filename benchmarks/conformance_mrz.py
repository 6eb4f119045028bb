"""MRZ conformance: every vector from other libraries' tests, judged by ICAO 9303.

Reads the committed vectors (``tests/fixtures/mrz/*.jsonl``, MIT and Apache) and
every JSON-lines file in the shared conformance folder (``shared/data/
conformance/mrz/``, which also holds the GPL and LGPL vectors that may not be
committed). For each source library it reports how many MRZs there are, how
often Threadline's verdict and fields agree with the library's own test, and
whether each vector gets the verdict ICAO 9303 gives (``icao`` in the vector).
Every disagreement with a library is listed with its reason; one without a
reason is flagged UNEXPLAINED and makes the exit code 1.

    .venv/bin/python benchmarks/conformance_mrz.py [--shared DIR] [--today 2026-01-01]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from threadline.exc import InputError
from threadline.primitives.mrz import MRZResult, parse_mrz

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "mrz"
# The day the vectors' ICAO expectations were written for (two-digit years).
REFERENCE_DAY = date(2026, 1, 1)
DATE_FIELDS = ("date_of_birth", "expiry_date")


@dataclass
class Outcome:
    """One vector judged: verdicts, fields and ICAO conformance."""

    vector: dict[str, Any]
    valid: bool
    error: str | None
    result: MRZResult | None
    verdict_agrees: bool | None
    fields_compared: int = 0
    fields_agreeing: int = 0
    field_differences: list[str] = field(default_factory=list)
    icao_problems: list[str] = field(default_factory=list)

    @property
    def disagrees(self) -> bool:
        return self.verdict_agrees is False or bool(self.field_differences)


def find_shared() -> Path | None:
    """The shared conformance folder: beside the repository or above its worktree."""
    for parent in ROOT.parents:
        candidate = parent / "shared" / "data" / "conformance" / "mrz"
        if candidate.is_dir():
            return candidate
    return None


def load(paths: list[Path]) -> list[dict[str, Any]]:
    """Vectors from the files, one per (library, zone); one with an ICAO verdict wins."""
    chosen: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            vector = json.loads(line)
            vector.setdefault("licence", "MIT")
            key = (vector["source"]["repo"], tuple(vector["lines"]))
            if key not in chosen or ("icao" in vector and "icao" not in chosen[key]):
                chosen[key] = vector
    return list(chosen.values())


def _value(result: MRZResult, name: str, expected: object, *, suggested: bool) -> object:
    if name in DATE_FIELDS and isinstance(expected, str) and len(expected) == 6:
        return next((d.read for d in result.dates if d.field == name), None)
    fields = result.suggested_fields if suggested and result.suggested_fields else result.fields
    return fields.to_dict().get(name)


def _normal(name: str, value: object) -> object:
    if name == "given_names" and isinstance(value, str):
        return value.replace(", ", " ")
    return value


def judge(vector: dict[str, Any], today: date) -> Outcome:
    """Parse one vector and compare it with the library and with ICAO 9303."""
    try:
        result: MRZResult | None = parse_mrz(vector["lines"], today=today)
        error = None
    except InputError as exc:
        result, error = None, str(exc)
    valid = bool(result and result.valid)
    lib = vector.get("lib_valid")
    outcome = Outcome(vector, valid, error, result, None if lib is None else lib == valid)
    overridden = vector.get("icao", {}).get("fields", {})
    if result is not None:
        for name, expected in vector.get("fields", {}).items():
            got = _value(result, name, expected, suggested=bool(vector.get("ocr")))
            outcome.fields_compared += 1
            if _normal(name, got) == _normal(name, expected):
                outcome.fields_agreeing += 1
            else:
                icao = f", ICAO {overridden[name]!r}" if name in overridden else ""
                difference = f"{name}: library {expected!r}, read {got!r}{icao}"
                outcome.field_differences.append(difference)
    if "icao" in vector:
        outcome.icao_problems = _icao_problems(vector["icao"], result, error)
    return outcome


def _icao_problems(icao: dict[str, Any], result: MRZResult | None, error: str | None) -> list[str]:
    if icao["valid"] is None:
        if error is None or icao["error"] not in error:
            return [f"expected 'not an MRZ' ({icao['error']}), got {error or 'a zone'}"]
        return []
    if result is None:
        return [f"expected a zone, got: {error}"]
    problems = []
    if result.valid is not icao["valid"]:
        problems.append(f"valid {result.valid}, ICAO {icao['valid']}: {result.errors}")
    if result.specimen is not icao["specimen"]:
        problems.append(f"specimen {result.specimen}, ICAO {icao['specimen']}")
    codes = sorted(v.code for v in result.variants)
    if codes != sorted(icao["variants"]):
        problems.append(f"variants {codes}, ICAO {sorted(icao['variants'])}")
    for name, expected in icao.get("fields", {}).items():
        got = _value(result, name, expected, suggested=False)
        if got != expected:
            problems.append(f"{name} {got!r}, ICAO {expected!r}")
    for name, expected in icao.get("suggested", {}).items():
        fields = result.suggested_fields.to_dict() if result.suggested_fields else {}
        if fields.get(name) != expected:
            problems.append(f"suggested {name} {fields.get(name)!r}, ICAO {expected!r}")
    return problems


def report(outcomes: list[Outcome]) -> tuple[str, int]:
    """The Markdown report and the number of unexplained disagreements or ICAO misses."""
    by_source: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_source[outcome.vector["source"]["repo"]].append(outcome)
    lines = [
        "| source | licence | MRZs | library verdicts agreeing | library fields agreeing "
        "| ICAO verdicts met |",
        "|---|---|---|---|---|---|",
    ]
    details: list[str] = []
    failures = 0
    for source in sorted(by_source, key=lambda s: (-len(by_source[s]), s)):
        group = by_source[source]
        verdicts = [o.verdict_agrees for o in group if o.verdict_agrees is not None]
        compared = sum(o.fields_compared for o in group)
        agreeing = sum(o.fields_agreeing for o in group)
        judged = [o for o in group if "icao" in o.vector]
        met = sum(1 for o in judged if not o.icao_problems)
        licence = group[0].vector.get("licence", "?")
        lines.append(
            f"| {source} | {licence} | {len(group)} | {sum(verdicts)}/{len(verdicts)} "
            f"| {agreeing}/{compared} | {met}/{len(judged)} |"
        )
        for outcome in group:
            failures += _details(outcome, details)
    total = len(outcomes)
    unique = len({tuple(o.vector["lines"]) for o in outcomes})
    met = sum(1 for o in outcomes if "icao" in o.vector and not o.icao_problems)
    judged = sum(1 for o in outcomes if "icao" in o.vector)
    lines.append(
        f"| **all** ({len(by_source)} libraries, {unique} distinct zones) | | {total} "
        f"| | | {met}/{judged} |"
    )
    return "\n".join([*lines, "", *details]), failures


def _details(outcome: Outcome, out: list[str]) -> int:
    vector = outcome.vector
    failures = 0
    if outcome.icao_problems:
        failures += 1
        out.append(f"- **{vector['id']}**: ICAO MISSED: {'; '.join(outcome.icao_problems)}")
    if outcome.disagrees:
        what = []
        if outcome.verdict_agrees is False:
            ours = "not an MRZ" if outcome.error else ("valid" if outcome.valid else "invalid")
            lib = "valid" if vector["lib_valid"] else "invalid"
            what.append(f"library {lib}, Threadline {ours}")
        what.extend(outcome.field_differences)
        why = vector.get("why")
        if not why:
            failures += 1
            why = "UNEXPLAINED"
        out.append(f"- {vector['id']}: {'; '.join(what)}. Why: {why}")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=None, help="shared mrz vectors folder")
    parser.add_argument("--today", type=date.fromisoformat, default=REFERENCE_DAY)
    args = parser.parse_args(argv)
    shared = args.shared or find_shared()
    paths = sorted(FIXTURES.glob("*.jsonl"))
    if shared is not None:
        paths += sorted(shared.glob("*.jsonl"))
    else:
        print("shared conformance folder not found: committed vectors only", file=sys.stderr)
    outcomes = [judge(vector, args.today) for vector in load(paths)]
    text, failures = report(outcomes)
    print(f"Files: {', '.join(str(p) for p in paths)}; dates judged as of {args.today}\n")
    print(text)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
