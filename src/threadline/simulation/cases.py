"""cases/<country>.ftm.jsonl and identified_persons.jsonl: FollowTheMoney entities.

Each country knows only part of each network, and records it its own way: another
romanisation or the original script, a dropped middle name, a typo, a birth date
known only to the year or month (in the ``romanisation`` regime, a share of agencies
spell names by their country's convention: :mod:`threadline.simulation.romanisation`).
Phones of the type ``phone`` are added as cleaned values because the fiction ranges are,
by design, not valid assigned numbers.
"""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson
from followthemoney import model

from threadline.simulation.config import stream
from threadline.simulation.names import Person, Slips, display, native, variant_slips
from threadline.simulation.romanisation import Romaniser, romaniser
from threadline.simulation.world import Member, Network, World, birth_for_age

Entity = Any  # followthemoney's EntityProxy (untyped library)


def _partial(day: date, rng: random.Random, noise: float) -> str:
    roll = rng.random()
    if roll < noise * 0.3:
        return str(day.year)
    if roll < noise * 0.5:
        return day.strftime("%Y-%m")
    return day.isoformat()


def person_entity(
    person: Person,
    key: str,
    rng: random.Random,
    noise: float,
    local_culture: str,
    spelling: Romaniser | None = None,
    country: str = "",
) -> Entity:
    """A Person as one agency (of ``country``, whose names are of ``local_culture``)
    recorded them; ``spelling``: the ``romanisation`` regime's, None outside it."""
    entity = model.make_entity("Person")
    entity.make_id("threadline-sim", key)
    slips: Slips | None = None
    if person.culture in ("ru", "ar") and local_culture == person.culture and rng.random() < 0.6:
        surname, given = (
            native(person.surname, person.culture),
            native(person.given, person.culture),
        )
    else:
        surname, given, _, slips = variant_slips(person, rng, noise)
    if spelling is not None:
        surname, given = spelling.record(person, country, local_culture, (surname, given), slips)
    entity.add("name", display(surname, given))
    entity.add("firstName", given.split()[0] if given else None)
    entity.add("lastName", surname)
    entity.add("birthDate", _partial(person.birth, rng, noise))
    entity.add("nationality", person.nationality.lower())
    entity.add("gender", "male" if person.sex == "M" else "female")
    return entity


class CaseWriter:
    """Writes every country's case file; remembers which entity is which person."""

    def __init__(self, world: World, root: Path) -> None:
        self.world = world
        self.dir = root / "cases"
        self.rng = stream(world.config.seed, "cases")
        self.spelling = romaniser(world.config, "cases")
        self.entities: dict[str, list[str]] = {}  # person id -> case entity ids
        self.files: dict[str, int] = {}

    def write(self) -> dict[str, list[str]]:
        """Write the case files; returns person id -> the entity ids recorded for them."""
        self.dir.mkdir(parents=True, exist_ok=True)
        by_country: dict[str, list[Entity]] = {c.code: [] for c in self.world.countries}
        for net in self.world.networks:
            countries = sorted({c.code for c in net.origins + net.destinations})
            for code in self.rng.sample(countries, min(len(countries), self.rng.randint(1, 2))):
                by_country[code] += self._network_case(net, code)
        for code, items in by_country.items():
            items += self._background(code)
            with (self.dir / f"{code}.ftm.jsonl").open("wb") as fh:
                for entity in items:
                    fh.write(orjson.dumps(entity.to_dict()) + b"\n")
            self.files[code] = len(items)
        return self.entities

    def _network_case(self, net: Network, code: str) -> list[Entity]:
        rng, noise = self.rng, self.world.config.noise
        culture = self.world.country(code).culture
        known = [m for m in net.members if rng.random() < 0.6] or net.members[:1]
        out: list[Entity] = []
        people: list[tuple[Member, Entity]] = []
        for m in known:
            key = f"{code}:{net.network_id}:{m.person.pid}"
            ent = person_entity(m.person, key, rng, noise, culture, self.spelling, code)
            for phone in rng.sample(net.phones, min(len(net.phones), rng.randint(0, 2))):
                ent.add("phone", phone, cleaned=True)
            if rng.random() < 0.4:
                ent.add("topics", "crime.traffick.human")
            people.append((m, ent))
            self.entities.setdefault(m.person.pid, []).append(ent.id)
            out.append(ent)
            out += self._papers(m, ent, key, rng)
        for (a, ea), (b, eb) in itertools.pairwise(people):
            out.append(self._link(a, ea, b, eb, rng))
        for kind, address in net.wallets[: rng.randint(0, len(net.wallets))]:
            holder = rng.choice(people)[1]
            wallet = model.make_entity("CryptoWallet")
            wallet.make_id("threadline-sim", code, address)
            wallet.add("publicKey", address)
            wallet.add("currency", "USDT" if kind == "TRX" else kind)
            wallet.add("holder", holder.id)
            out.append(wallet)
        return out

    def _papers(self, m: Member, ent: Entity, key: str, rng: random.Random) -> list[Entity]:
        out: list[Entity] = []
        if rng.random() < 0.5:
            passport = model.make_entity("Passport")
            passport.make_id("threadline-sim", key, "passport")
            passport.add("holder", ent.id)
            passport.add("number", m.passport)
            passport.add("country", m.person.nationality.lower())
            out.append(passport)
        if m.role in ("recruiter", "exploiter") and rng.random() < 0.6:
            nets = [n for n in self.world.networks if any(x is m for x in n.members)]
            accounts = nets[0].accounts if nets else []
            if accounts:
                account = model.make_entity("UserAccount")
                account.make_id("threadline-sim", key, "account")
                account.add("username", rng.choice(accounts))
                account.add("service", rng.choice(("WhatsApp", "Telegram", "Signal")))
                account.add("owner", ent.id)
                out.append(account)
        return out

    def _link(self, a: Member, ea: Entity, b: Member, eb: Entity, rng: random.Random) -> Entity:
        roll = rng.random()
        if roll < 0.15:
            link = model.make_entity("Family")
            link.add("person", ea.id)
            link.add("relative", eb.id)
            link.add("relationship", rng.choice(("brother", "cousin", "spouse")))
        elif roll < 0.75:
            link = model.make_entity("Associate")
            link.add("person", ea.id)
            link.add("associate", eb.id)
            link.add("relationship", f"{a.role.replace('_', ' ')} / {b.role.replace('_', ' ')}")
        else:
            link = model.make_entity("UnknownLink")
            link.add("subject", ea.id)
            link.add("object", eb.id)
            link.add("role", "seen together")
        link.make_id("threadline-sim", "link", ea.id, eb.id)
        return link

    def _background(self, code: str) -> list[Entity]:
        """Suspects of unrelated crimes the country also holds."""
        rng, c = self.rng, self.world.country(code)
        out: list[Entity] = []
        for i in range(max(3, self.world.config.networks // 2)):
            person = self.world.names.person(
                self.world.new_pid(), c.culture, rng.choice("MF"), birth_for_age(rng, 20, 60), code
            )
            noise = self.world.config.noise
            key = f"{code}:bg:{i}"
            out.append(person_entity(person, key, rng, noise, c.culture, self.spelling, code))
        return out


def write_identified(world: World, root: Path) -> dict[str, str]:
    """identified_persons.jsonl; returns victim person id -> identified entity id."""
    rng = stream(world.config.seed, "identified")
    spelling = romaniser(world.config, "identified")
    noise = world.config.noise
    found: dict[str, str] = {}
    with (root / "identified_persons.jsonl").open("wb") as fh:
        for v in world.victims:
            if not v.identified:
                continue
            where = world.country(v.destination if rng.random() < 0.7 else v.origin)
            key = f"identified:{v.person.pid}"
            ent = person_entity(v.person, key, rng, noise, where.culture, spelling, where.code)
            day = v.recruited_on + timedelta(days=rng.randint(40, 330))
            how = "raid" if where.code == v.destination else "border check"
            ent.add("country", where.code.lower())
            ent.add("notes", f"Identified in a {how} in {rng.choice(where.cities)} on {day}.")
            found[v.person.pid] = ent.id
            fh.write(orjson.dumps(ent.to_dict()) + b"\n")
        for i in range(max(5, len(found) // 2)):
            c = rng.choice(world.countries)
            person = world.names.person(
                world.new_pid(), c.culture, rng.choice("MF"), birth_for_age(rng, 15, 50), c.code
            )
            key = f"identified:bg:{i}"
            ent = person_entity(person, key, rng, noise, c.culture, spelling, c.code)
            ent.add("country", rng.choice(world.countries).code.lower())
            ent.add("notes", "Identified at a border check; no exploitation found.")
            fh.write(orjson.dumps(ent.to_dict()) + b"\n")
    return found
