"""Linkage at scale: N simulated person records across 10 countries, deduplicated.

Draws people with the simulator's name cultures (surnames widened with extra
syllables so that a million people do not share a few hundred names), writes
one collection per country into a fresh SQLite store, and gives a quarter of
the people a second record in another country as that country would spell it
(another romanisation, a typo, swapped name order, a year-only or day/month
swapped birth date, the passport number sometimes missing). Then runs
``run_linkage`` (DuckDB) and scores the clusters pairwise against the truth.

    .venv/bin/python benchmarks/bench_linkage_scale.py [--records 1000000] [--work DIR] [--reuse]

The target ("deduplicated in 5 minutes") is the linkage run: from reading the
entities in the store to the clusters stored, i.e. ``run_linkage`` end to end
(``link_seconds``). Writing the simulated records into the store is ingestion and
is reported apart (``load_seconds``). ``--reuse`` keeps the loaded store and its
truth in ``--work`` and links a fresh copy of it on later runs with the same
records and seed (``load_seconds`` is then null).

Prints one JSON object: load and link seconds (wall clock), the CPU seconds of the
link (user + system, every thread), seconds per linkage phase, the load average
before and after, peak memory (RSS), links, clusters, pairs, precision, recall
and F1. Targets: link <= 300 s and <= 8 GB on 2 cores.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import shutil
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

COUNTRIES = {  # country -> name culture
    "GB": "en", "FR": "fr", "ES": "es", "PT": "pt", "RU": "ru",
    "EG": "ar", "DE": "de", "IT": "it", "TH": "th", "TR": "tr",
}  # fmt: skip
# Syllables in each culture's own script, so widened surnames transliterate like real ones.
SYLLABLES = {
    "latin": [a + b for a in "bdfgklmnprstvz" for b in ("a", "e", "i", "o", "u", "an", "er")],
    "ru": [a + b for a in "бдгклмнпрствз" for b in ("а", "е", "и", "о", "у", "ан", "ер")],
    "ar": [a + b for a in "بدفكلمنرسطز" for b in ("ا", "ي", "و", "ان")],
    "th": [a + b for a in "กดคลมนพรสท" for b in ("า", "ี", "ู", "ัน")],
}


def _people(count: int, rng: random.Random) -> list[Any]:
    from threadline.simulation.names import NameFactory

    factory = NameFactory(rng)
    start = date(1950, 1, 1)
    people = []
    for i in range(count):
        country = rng.choice(list(COUNTRIES))
        born = start + timedelta(days=rng.randrange(365 * 56))
        person = factory.person(f"p{i}", COUNTRIES[country], rng.choice("MF"), born, country)
        syllables = SYLLABLES.get(person.culture, SYLLABLES["latin"])
        person.surname += rng.choice(syllables) + rng.choice(syllables)
        people.append(person)
    return people


def _entity(ident: str, person: Any, rng: random.Random, copy: bool) -> dict[str, Any]:
    from threadline.simulation.names import display, passport_name, variant_name

    if copy:
        surname, given, _scheme = variant_name(person, rng, noise=0.4)
    else:
        surname, given = passport_name(person)
    born = person.birth.isoformat()
    if copy and rng.random() < 0.2:
        born = born[:4]  # year only
    elif copy and rng.random() < 0.05 and person.birth.day <= 12:
        born = f"{person.birth.year}-{person.birth.day:02d}-{person.birth.month:02d}"
    props: dict[str, list[str]] = {
        "name": [display(surname, given)],
        "birthDate": [born],
        "gender": ["male" if person.sex == "M" else "female"],
        "nationality": [person.nationality.lower()],
    }
    if not copy or rng.random() < 0.5:
        props["passportNumber"] = [f"{person.nationality}{int(person.pid[1:]) * 7919 % 10**8:08d}"]
    return {"id": ident, "schema": "Person", "properties": props}


def load(store: Any, records: int, seed: int) -> dict[str, set[str]]:
    """Write the records; returns person id -> entity ids (the truth)."""
    from followthemoney import model

    from threadline.model.collections import build_collection
    from threadline.store.collections import create_collection
    from threadline.store.statements import entity_rows, insert_rows

    rng = random.Random(seed)
    people = _people(int(records / 1.25), rng)
    truth: dict[str, set[str]] = {}
    entities: dict[str, list[dict[str, Any]]] = {c: [] for c in COUNTRIES}
    for person in people:
        home = person.nationality
        entities[home].append(_entity(f"{home.lower()}-{person.pid}", person, rng, False))
        truth[person.pid] = {f"{home.lower()}-{person.pid}"}
    for person in rng.sample(people, records - len(people)):
        other = rng.choice([c for c in COUNTRIES if c != person.nationality])
        ident = f"{other.lower()}-{person.pid}"
        entities[other].append(_entity(ident, person, rng, True))
        truth[person.pid].add(ident)
    now = datetime.now(UTC)
    for country, items in entities.items():
        with store.begin() as conn:
            coll = create_collection(
                conn,
                build_collection(f"{country.lower()}-records", kind="other",
                                 owner_agency=f"{country.lower()}-police", owner_country=country,
                                 sharing="all"),
            )  # fmt: skip
            assert coll.id is not None
            for start in range(0, len(items), 20_000):
                rows: list[tuple[Any, ...]] = []
                for data in items[start : start + 20_000]:
                    entity = model.get_proxy(data)
                    rows += entity_rows(
                        entity, collection=coll.name, collection_id=coll.id, job_id=None,
                        source_id=str(entity.id), seen=now,
                    )  # fmt: skip
                insert_rows(conn, rows)
    return truth


def pairwise(clusters: list[dict[str, Any]], truth: dict[str, set[str]]) -> dict[str, Any]:
    person_of = {e: p for p, ids in truth.items() for e in ids}
    true_pairs = sum(len(ids) * (len(ids) - 1) // 2 for ids in truth.values())
    found = hits = 0
    for cluster in clusters:
        ids = sorted(m["entity_id"] for m in cluster["members"])
        for a, b in itertools.combinations(ids, 2):
            found += 1
            hits += person_of.get(a) == person_of.get(b)
    precision = hits / found if found else 0.0
    recall = hits / true_pairs if true_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"true_pairs": true_pairs, "found_pairs": found, "precision": round(precision, 5),
            "recall": round(recall, 5), "f1": round(f1, 5)}  # fmt: skip


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _loaded_store(
    work: Path, records: int, seed: int, reuse: bool
) -> tuple[Path, dict[str, set[str]], float | None]:
    """A store holding the records (loaded now, or copied from an earlier --reuse run)."""
    from threadline.settings import configure
    from threadline.store import open_store

    kept = work / f"loaded-{records}-{seed}.db"
    truth_file = work / f"truth-{records}-{seed}.json"
    db = work / "scale.db"
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)
    if reuse and kept.exists() and truth_file.exists():
        shutil.copyfile(kept, db)
        truth = {k: set(v) for k, v in json.loads(truth_file.read_text()).items()}
        return db, truth, None
    configure(db=str(db))
    store = open_store(f"sqlite:///{db}")
    started = time.perf_counter()
    truth = load(store, records, seed)
    seconds = time.perf_counter() - started
    store.close()
    if reuse:
        shutil.copyfile(db, kept)
        truth_file.write_text(json.dumps({k: sorted(v) for k, v in truth.items()}))
    return db, truth, seconds


def main() -> None:
    from threadline.governance import SYSTEM
    from threadline.linkage import list_clusters, run_linkage
    from threadline.settings import configure
    from threadline.store import open_store

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None, help="Folder for the store.")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Keep the loaded store in --work and link a copy of it on later runs.",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        db, truth, load_seconds = _loaded_store(work, args.records, args.seed, args.reuse)
        configure(db=str(db))
        store = open_store(f"sqlite:///{db}")
        load_before = os.getloadavg()
        cpu = _cpu_seconds()
        started = time.perf_counter()
        result = run_linkage(store, SYSTEM)
        link_seconds = time.perf_counter() - started
        link_cpu = _cpu_seconds() - cpu
        load_after = os.getloadavg()
        scores = pairwise(list_clusters(store, SYSTEM), truth)
        store.close()
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(json.dumps({
        "records": args.records,
        "load_seconds": round(load_seconds, 1) if load_seconds is not None else None,
        "link_seconds": round(link_seconds, 1), "link_cpu_seconds": round(link_cpu, 1),
        "phase_seconds": result.seconds,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "peak_rss_gb": round(peak_gb, 2), "links": result.links, "clusters": result.clusters,
        "trained": result.trained, **scores,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
