"""Border check speed: one traveller (person + document) against big lists, in process.

Targets: a single check's p95 <= 20 ms against 100,000 watchlist persons and
10,000,000 listed documents; a batch of >= 2,000 travellers/s on one core; the
10,000,000-document list in <= 2 GB of memory.

    .venv/bin/python benchmarks/bench_border.py [--persons 100000] [--documents 10000000]
        [--travellers 5000] [--seed 1]

Watchlist persons are random combinations of the simulator's common given names
and surnames (every culture, Arabic and Cyrillic scripts included) with birth
dates and nationalities; documents are random 9-character numbers. Half the
travellers are watchlist persons (a name variant, the same birth date), half are
new combinations; a tenth carry a listed document. The check is
:func:`threadline.screening.service.check_traveller`: what ``screen manifest``
runs per traveller, without the store. A hit builds its explanation when first
read (a manifest reads only those of match and possible hits); the batch is reported
without explanations, with those a manifest builds, and with every returned hit's.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import string
import time
from datetime import date, timedelta

from followthemoney import model

from threadline.screening.documents import DOCUMENT_TYPES, DocumentIndex, ListedDocument
from threadline.screening.matching import PersonQuery
from threadline.screening.service import check_traveller
from threadline.screening.watchlist import WatchlistIndex
from threadline.simulation.namedata import CULTURES

COUNTRIES = ("RU", "UA", "SN", "NG", "PH", "TH", "BR", "CO", "MA", "EG", "GB", "FR", "DE", "ES")
ALPHA3 = ("RUS", "UKR", "SEN", "NGA", "PHL", "THA", "BRA", "COL", "MAR", "EGY", "GBR", "FRA")
STATUSES = ("stolen", "lost", "revoked", "stolen_blank")


def _spelling(name: str, rng: random.Random) -> str:
    options = name.split("|")
    return rng.choice(options[1:] or options) if len(options) > 1 else options[0]


def _person(rng: random.Random) -> tuple[str, str, str, str, str]:
    male, female, surnames = CULTURES[rng.choice(sorted(CULTURES))]
    sex = rng.choice("MF")
    given = [_spelling(rng.choice(male if sex == "M" else female), rng)]
    if rng.random() < 0.4:
        given.append(_spelling(rng.choice(male if sex == "M" else female), rng))
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 60))
    surname = _spelling(rng.choice(surnames), rng)
    return " ".join(given), surname, born.isoformat(), sex, rng.choice(COUNTRIES)


def build_watchlist(count: int, rng: random.Random) -> tuple[WatchlistIndex, list[tuple[str, ...]]]:
    index = WatchlistIndex()
    people: list[tuple[str, ...]] = []
    for number in range(count):
        given, surname, born, sex, country = _person(rng)
        entity = model.make_entity("Person")
        entity.id = f"w{number}"
        entity.add("name", f"{given} {surname}")
        entity.add("firstName", given)
        entity.add("lastName", surname)
        entity.add("birthDate", born)
        entity.add("gender", "male" if sex == "M" else "female")
        entity.add("nationality", country.lower())
        index.add(entity, collection="bench", notice=rng.choice(("red", "yellow")))
        people.append((given, surname, born, sex, country))
    index.freeze()
    return index, people


def _number(rng: random.Random) -> str:
    letters = "".join(rng.choices(string.ascii_uppercase, k=2))
    return letters + "".join(rng.choices(string.digits, k=7))


def documents(count: int, rng: random.Random, listed: list[tuple[str, str]]) -> DocumentIndex:
    start = date(2015, 1, 1)

    def rows() -> object:
        for number in range(count):
            doc = (_number(rng), rng.choice(ALPHA3))
            if number % 1000 == 0:
                listed.append(doc)
            yield ListedDocument(
                doc[1], DOCUMENT_TYPES[0], doc[0], STATUSES[number % 4],
                start + timedelta(days=number % 3000), f"{doc[1]} Police",
            )  # fmt: skip

    return DocumentIndex.build(rows())  # type: ignore[arg-type]


def travellers(
    count: int, rng: random.Random, people: list[tuple[str, ...]], listed: list[tuple[str, str]]
) -> list[tuple[PersonQuery, str, str, str | None]]:
    """Traveller queries with a document, and the watchlist entry each was made from."""
    out = []
    for number in range(count):
        own: str | None = None
        if number % 2 == 0:
            row = rng.randrange(len(people))  # the same draw as rng.choice(people)
            given, surname, born, sex, country = people[row]
            names = f"{surname.upper()} {given.upper()}"  # passport order and case
            own = f"w{row}"
        else:
            given, surname, born, sex, country = _person(rng)
            names = f"{given} {surname}"
        document = rng.choice(listed) if number % 10 == 0 else (_number(rng), rng.choice(ALPHA3))
        query = PersonQuery(names=[names], birth_date=born, sex=sex, nationality=country,
                            document_numbers=[document[0]])  # fmt: skip
        out.append((query, document[0], document[1], own))
    return out


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def p99(values: list[float]) -> float:
    return sorted(values)[int(0.99 * (len(values) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=10_000_000)
    parser.add_argument("--travellers", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    watch, people = build_watchlist(args.persons, rng)
    print(f"watchlist: {len(watch):,} persons in {time.perf_counter() - started:.1f}s")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    listed: list[tuple[str, str]] = []
    docs = documents(args.documents, rng, listed)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"documents: {len(docs):,} in {time.perf_counter() - started:.1f}s; index arrays "
        f"{docs.nbytes / 2**30:.2f} GiB; peak RSS growth while building "
        f"{(rss_after - rss_before) / 2**20:.2f} GiB; process peak RSS {rss_after / 2**20:.2f} GiB"
    )
    queries = travellers(args.travellers, rng, people, listed)
    for query, number, country, _own in queries[:200]:  # warm caches as a running service would
        check_traveller(watch, docs, query, number, country)
    latencies: list[float] = []
    hits = found = 0
    explain_cpu = kept_cpu = 0.0
    batch_start = time.process_time()
    for query, number, country, own in queries:
        t0 = time.perf_counter()
        result = check_traveller(watch, docs, query, number, country)
        latencies.append(time.perf_counter() - t0)
        hits += bool(result.person_hits) + bool(result.document_hits)
        found += own is not None and any(
            h.entity_id == own and h.decision != "no_match" for h in result.person_hits
        )
        # hits build their explanation when first read: time that apart, first the match
        # and possible hits a manifest keeps and shows, then the near misses
        explain_start = time.process_time()
        kept = [h for h in result.person_hits if h.decision != "no_match"]
        near = [h for h in result.person_hits if h.decision == "no_match"]
        explained = sum(len(h.explanation) for h in kept)
        kept_cpu += time.process_time() - explain_start
        explained += sum(len(h.explanation) for h in near)
        explain_cpu += time.process_time() - explain_start
        assert explained >= len(result.person_hits)
    cpu = time.process_time() - batch_start - explain_cpu
    print(
        f"single check (person + document): p50 {1000 * statistics.median(latencies):.2f} ms, "
        f"p95 {1000 * p95(latencies):.2f} ms, p99 {1000 * p99(latencies):.2f} ms, "
        f"max {1000 * max(latencies):.2f} ms"
    )
    print(
        f"batch: {len(queries):,} travellers in {cpu:.2f}s CPU on one core = "
        f"{len(queries) / cpu:,.0f} travellers/s ({hits:,} person or document hits)"
    )
    print(
        f"batch as a manifest screens it (explanations of match and possible hits built): "
        f"{cpu + kept_cpu:.2f}s CPU = {len(queries) / (cpu + kept_cpu):,.0f} travellers/s"
    )
    print(
        f"batch with every person hit's explanation built (as screen person shows them): "
        f"{cpu + explain_cpu:.2f}s CPU = {len(queries) / (cpu + explain_cpu):,.0f} travellers/s"
    )
    listed_people = (len(queries) + 1) // 2
    print(
        f"watchlist travellers whose own entry is a match or possible: {found:,} of "
        f"{listed_people:,} ({found / listed_people:.4f})"
    )


if __name__ == "__main__":
    main()
