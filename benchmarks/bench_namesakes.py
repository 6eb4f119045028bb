"""Namesakes at the border: precision and recall of "match" and "possible" per notice colour.

Targets (issue 17): red-notice "match" precision >= 0.95 at recall >= 0.90 on a
population where at least 30% of travellers share a full name with someone on a list.

    .venv/bin/python benchmarks/bench_namesakes.py [--seeds 4 5 6] [--listed 5000]
        [--travellers 5000] [--namesakes 0.35] [--common-entries N]

The watchlist is red (70%) and yellow (30%) notices on people drawn by the
simulator's :class:`~threadline.simulation.names.NameFactory` (its small pools of
common names, so full names repeat on the list as they do on real ones), written
as a notice writes them (another romanisation, a dropped middle name, a typo; a
fifth with a birth year only; some with a place of birth and a passport number).
Travellers, with names as their passports spell them (ICAO):

- listed people (20%): their own notice's person, with a typing slip in the birth
  date for a quarter of them (one digit, two adjacent digits transposed, day and
  month swapped), their passport number when the notice has it;
- namesakes (``--namesakes``, default 35%): another person with the full name of a
  listed one, born on another day (or the date missing), of another nationality
  half the time, and never with the listed passport number;
- everyone else: new people from the same name pools.

Each population is screened twice on one index: with the matcher's namesake caps
(the default) and without them (``WatchlistIndex.caps = False``, the decisions as
they were before the caps). A traveller-entry pair counts for the colour of the
entry's notice; recall is over the listed travellers' own entries. Tune on seeds
1-3, report on seeds 4-6.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from threadline.primitives.names import parse_name
from threadline.screening import matching, namesakes
from threadline.screening.matching import PersonQuery, PreparedPerson
from threadline.screening.watchlist import WatchlistIndex
from threadline.simulation.geography import COUNTRIES
from threadline.simulation.names import (
    NameFactory,
    Person,
    ascii_upper,
    passport_name,
    variant_name,
)

_BY_CULTURE: dict[str, list[str]] = {}
for _country in COUNTRIES:
    _BY_CULTURE.setdefault(_country.culture, []).append(_country.code)
CULTURES = sorted(_BY_CULTURE)
CITIES = {c.code: c.cities for c in COUNTRIES}
DECISIONS = ("match", "possible")


@dataclass(slots=True)
class Population:
    """A watchlist index, the travellers and which entry each listed traveller is."""

    index: WatchlistIndex
    colour: dict[str, str]
    travellers: list[tuple[PersonQuery, str | None, str]] = field(default_factory=list)


def _birth(rng: random.Random) -> date:
    return date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))


def _person(factory: NameFactory, rng: random.Random, pid: str) -> Person:
    culture = rng.choice(CULTURES)
    sex = rng.choice("MF")
    return factory.person(pid, culture, sex, _birth(rng), rng.choice(_BY_CULTURE[culture]))


def _slip(born: date, rng: random.Random) -> str:
    """The birth date with one typing slip, as ISO text (a valid date)."""
    digits = born.strftime("%Y%m%d")
    for _attempt in range(20):
        kind = rng.randrange(3)
        if kind == 0:
            i = rng.randrange(2, 8)
            text = (
                digits[:i]
                + rng.choice([d for d in "0123456789" if d != digits[i]])
                + digits[i + 1 :]
            )
        elif kind == 1:
            i = rng.randrange(2, 7)
            text = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
        else:
            text = digits[:4] + digits[6:8] + digits[4:6]
        try:
            slipped = date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            continue
        if slipped != born:
            return slipped.isoformat()
    return born.isoformat()


def _document(rng: random.Random) -> str:
    return "".join(rng.choices("ABCDEFGHJKLMNPRSTUVWXYZ", k=2)) + str(rng.randrange(10**6, 10**7))


def build(seed: int, listed: int, travellers: int, namesakes: float) -> Population:
    rng = random.Random(seed)
    factory = NameFactory(random.Random(seed * 7919))
    index = WatchlistIndex()
    colour: dict[str, str] = {}
    people: list[tuple[Person, str, str | None, str | None]] = []
    for number in range(listed):
        person = _person(factory, rng, f"L{seed}-{number}")
        surname, given, _scheme = variant_name(person, rng, 0.4)
        born = person.birth.isoformat() if rng.random() < 0.8 else str(person.birth.year)
        document = _document(rng) if rng.random() < 0.4 else None
        place = rng.choice(CITIES[person.nationality]) if rng.random() < 0.5 else None
        entry = PersonQuery(
            names=[f"{ascii_upper(given)} {ascii_upper(surname)}"], birth_date=born,
            sex=person.sex, nationality=person.nationality,
            document_numbers=[document] if document else [], birth_place=place,
        )  # fmt: skip
        entity_id = f"n{number}"
        notice = "red" if rng.random() < 0.7 else "yellow"
        index.add_prepared(entity_id, matching.prepare_query(entry), "notices", notice)
        colour[entity_id] = notice
        people.append((person, entity_id, document, place))
    index.freeze()
    population = Population(index, colour)
    for number in range(travellers):
        draw = rng.random()
        own: str | None = None
        kind = "other"
        if draw < 0.2:
            person, own, document, place = rng.choice(people)
            kind = "listed"
            born = person.birth.isoformat()
            if rng.random() < 0.25:
                born = _slip(person.birth, rng)
            nationality: str | None = person.nationality
            documents = [document] if document and rng.random() < 0.5 else []
            pob = place if place and rng.random() < 0.3 else None
        elif draw < 0.2 + namesakes:
            listed_person, _entry, _document_number, _place = rng.choice(people)
            person = Person(
                f"N{seed}-{number}", listed_person.culture, listed_person.sex,
                listed_person.given, listed_person.middle, listed_person.surname,
                _birth(rng), listed_person.nationality,
            )  # fmt: skip
            kind = "namesake"
            born = person.birth.isoformat()
            nationality = person.nationality
            if rng.random() < 0.5:
                nationality = rng.choice(_BY_CULTURE[rng.choice(CULTURES)])
            documents = [_document(rng)] if rng.random() < 0.5 else []
            pob = None
        else:
            person = _person(factory, rng, f"T{seed}-{number}")
            born = person.birth.isoformat()
            nationality = person.nationality
            documents = [_document(rng)] if rng.random() < 0.5 else []
            pob = None
        if kind != "listed" and rng.random() < 0.15:
            born = ""  # no birth date on the record
        if rng.random() < 0.1:
            nationality = None
        surname, given = passport_name(person)
        query = PersonQuery(
            names=[f"{surname} {given}"], birth_date=born or None, sex=person.sex,
            nationality=nationality, document_numbers=documents, birth_place=pob,
        )  # fmt: skip
        population.travellers.append((query, own, kind))
    return population


def _name_key(person: PreparedPerson) -> set[str]:
    return {" ".join(sorted(t.key for t in name.tokens)) for name in person.names}


def shared_name_share(population: Population) -> float:
    """Share of travellers whose full name (variant keys) some list entry carries."""
    keys: set[str] = set()
    for entry in population.index.entries:
        keys |= _name_key(entry.person)
    shared = 0
    for query, _own, _kind in population.travellers:
        names = [parse_name(n) for n in query.names]
        if any(" ".join(sorted(t.key for t in n.tokens)) in keys for n in names):
            shared += 1
    return shared / len(population.travellers)


def measure(population: Population, caps: bool) -> tuple[Counter[str], float]:
    """Counts per (colour, decision set, outcome) and the screening time."""
    index = population.index
    index.caps = caps
    counts: Counter[str] = Counter()
    started = time.process_time()
    for query, own, _kind in population.travellers:
        hits = index.screen(query, limit=10, min_score=matching.POSSIBLE_THRESHOLD, hold=True)
        for colour in ("red", "yellow"):
            mine = own is not None and population.colour[own] == colour
            counts[f"{colour}:listed"] += mine
            for name, kept in (("match", {"match"}), ("match_or_possible", set(DECISIONS))):
                flagged = [h for h in hits if h.notice == colour and h.decision in kept]
                counts[f"{colour}:{name}:flagged"] += len(flagged)
                counts[f"{colour}:{name}:true"] += sum(1 for h in flagged if h.entity_id == own)
                counts[f"{colour}:{name}:found"] += mine and any(
                    h.entity_id == own for h in flagged
                )
    return counts, time.process_time() - started


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[4, 5, 6])
    parser.add_argument("--listed", type=int, default=5000)
    parser.add_argument("--travellers", type=int, default=5000)
    parser.add_argument("--namesakes", type=float, default=0.35)
    parser.add_argument("--common-entries", type=int, default=namesakes.COMMON_NAME_ENTRIES)
    args = parser.parse_args()
    namesakes.COMMON_NAME_ENTRIES = args.common_entries
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    totals = {True: Counter[str](), False: Counter[str]()}
    for seed in args.seeds:
        population = build(seed, args.listed, args.travellers, args.namesakes)
        kinds = Counter(kind for _q, _o, kind in population.travellers)
        print(
            f"seed {seed}: {len(population.index):,} notices, {len(population.travellers):,} "
            f"travellers ({kinds['listed']} listed, {kinds['namesake']} namesakes); "
            f"{shared_name_share(population):.1%} share a full name with a list entry"
        )
        for caps in (False, True):
            counts, cpu = measure(population, caps)
            totals[caps].update(counts)
            print(f"  caps {'on ' if caps else 'off'}: {len(population.travellers) / cpu:,.0f} "
                  f"travellers/s on one core")  # fmt: skip
    print(f"seeds {' '.join(map(str, args.seeds))}; common name: >= {args.common_entries} entries")
    print("| notice | decisions | caps | precision | recall | flagged | true | listed |")
    print("|---|---|---|---|---|---|---|---|")
    for colour in ("red", "yellow"):
        for name in ("match", "match_or_possible"):
            for caps in (False, True):
                c = totals[caps]
                flagged, true = c[f"{colour}:{name}:flagged"], c[f"{colour}:{name}:true"]
                found, listed = c[f"{colour}:{name}:found"], c[f"{colour}:listed"]
                print(
                    f"| {colour} | {name.replace('_', ' ')} | {'on' if caps else 'off (before)'} "
                    f"| {_ratio(true, flagged):.3f} | {_ratio(found, listed):.3f} "
                    f"| {flagged:,} | {true:,} | {listed:,} |"
                )
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
