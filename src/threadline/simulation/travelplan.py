"""Bookings the story needs (victim groups, escorts, families, tour groups, name twins)."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import date, timedelta

from threadline.simulation.config import BASE_DATE
from threadline.simulation.documents import passport_number
from threadline.simulation.geography import COUNTRIES, Country
from threadline.simulation.names import NameFactory, Person, passport_name
from threadline.simulation.selectors import email
from threadline.simulation.world import Member, Victim, World, birth_for_age

ALPHA3 = {c.code: c.alpha3 for c in COUNTRIES}


@dataclass(slots=True)
class Passenger:
    """One manifest line before it gets its record id."""

    surname: str
    given: str
    sex: str
    birth: date
    nationality: str  # alpha-3
    document: str
    document_country: str  # alpha-3
    expiry: date
    tag: str = ""  # person id of a victim or member, or "" for the background


@dataclass(slots=True)
class Booking:
    """Travellers booked together under one reference and one contact."""

    ref: str
    kind: str  # victims, family, tour, twin, background
    passengers: list[Passenger]
    phone: str = ""
    email: str = ""
    route: tuple[str, str] | None = None  # (departure airport, arrival airport) if fixed
    day: int = -1  # day offset from the base date, -1 when any day will do
    legs: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""  # for truth.json: network id, notice id ...


def booking_ref(rng: random.Random) -> str:
    """A six-character PNR locator."""
    return "".join(rng.choices(string.ascii_uppercase + string.digits, k=6))


def by_issuer(world: World) -> bool:
    """Whether passports spell names as their issuing country does (``romanisation``)."""
    return world.config.evasion.romanisation > 0


def passenger(
    person: Person, document: str, rng: random.Random, tag: str = "", issuer: bool = False
) -> Passenger:
    """A passenger travelling on their passport (or one made out in their name); ``issuer``:
    spelled as the issuing country spells names (see :func:`by_issuer`)."""
    surname, given = passport_name(person, issuer)
    expiry = BASE_DATE + timedelta(days=rng.randint(200, 3600))
    code = ALPHA3[person.nationality]
    return Passenger(surname, given, person.sex, person.birth, code, document, code, expiry, tag)


def victim_bookings(world: World, rng: random.Random) -> list[Booking]:
    """Victims travel in groups booked by a recruiter contact; minors with an unrelated adult."""
    out: list[Booking] = []
    for net in world.networks:
        phones = net.phones or [""]
        escorts = [m for m in net.members if m.role == "transporter"] or net.members
        victims = sorted(net.victims, key=lambda v: (v.origin, v.destination, v.recruited_on))
        i = 0
        while i < len(victims):
            size = rng.randint(1, 6)
            group = [
                v
                for v in victims[i : i + size]
                if v.origin == victims[i].origin and v.destination == victims[i].destination
            ]
            i += len(group)
            out.append(
                _group_booking(world, net.network_id, group, escorts, phones, net.emails, rng)
            )
    return out


def _group_booking(
    world: World,
    network_id: str,
    group: list[Victim],
    escorts: list[Member],
    phones: list[str],
    emails: list[str],
    rng: random.Random,
) -> Booking:
    lead, issuer = group[0], by_issuer(world)
    passengers = [passenger(v.person, v.travel_document, rng, v.person.pid, issuer) for v in group]
    if any(v.group in ("girl", "boy") for v in group) or rng.random() < 0.4:
        escort = rng.choice(escorts)
        passengers.append(passenger(escort.person, escort.passport, rng, escort.person.pid, issuer))
    origin, dest = world.country(lead.origin), world.country(lead.destination)
    legs = [(rng.choice(origin.airports), rng.choice(dest.airports))]
    transit = [
        c for c in world.countries if c.role == "transit" and c.code not in (origin.code, dest.code)
    ]
    if transit and rng.random() < 0.25:
        hub = rng.choice(transit).airports[0]
        legs = [(legs[0][0], hub), (hub, legs[0][1])]
    day = (max(v.recruited_on for v in group) - BASE_DATE).days + rng.randint(5, 30)
    return Booking(
        booking_ref(rng),
        "victims",
        passengers,
        rng.choice(phones),
        rng.choice(emails),
        legs[0],
        day,
        legs,
        network_id,
    )


def honest_bookings(
    world: World, names: NameFactory, rng: random.Random, twins_of: list[tuple[Member, str]]
) -> list[Booking]:
    """Families with children, tour groups booked by one agent, and notice name twins."""
    out: list[Booking] = []
    travellers = world.config.travellers
    countries = world.countries
    issuer = by_issuer(world)
    agents = [(c, email(f"tours{k}", rng)) for k, c in enumerate(rng.choices(countries, k=8))]
    for _ in range(max(3, travellers // 150)):
        c = rng.choice(countries)
        adults = [
            names.person(world.new_pid(), c.culture, s, birth_for_age(rng, 28, 50), c.code)
            for s in ("F", "M")[: rng.randint(1, 2)]
        ]
        kids = [
            names.person(
                world.new_pid(), c.culture, rng.choice("FM"), birth_for_age(rng, 2, 16), c.code
            )
            for _ in range(rng.randint(1, 3))
        ]
        for kid in kids:
            kid.surname = adults[0].surname  # a family shares the surname (mostly)
        people = adults + kids
        out.append(
            Booking(
                booking_ref(rng),
                "family",
                [passenger(p, passport_number(rng, c.code), rng, issuer=issuer) for p in people],
                email=email(f"family{rng.randrange(10**6)}", rng),
            )
        )
    for _ in range(max(2, travellers // 2000)):
        c, agent_email = rng.choice(agents)
        size = rng.randint(8, 25)
        people = [
            names.person(
                world.new_pid(), c.culture, rng.choice("FM"), birth_for_age(rng, 19, 70), c.code
            )
            for _ in range(size)
        ]
        out.append(
            Booking(
                booking_ref(rng),
                "tour",
                [passenger(p, passport_number(rng, c.code), rng, issuer=issuer) for p in people],
                email=agent_email,
            )
        )
    for member, notice in twins_of:
        # Someone else with the same name: same spelling, different birth date and papers.
        person = member.person
        twin = Person(
            world.new_pid(),
            person.culture,
            person.sex,
            person.given,
            person.middle,
            person.surname,
            birth_for_age(rng, 20, 65),
            person.nationality,
        )
        out.append(
            Booking(
                booking_ref(rng),
                "twin",
                [passenger(twin, passport_number(rng, twin.nationality), rng, issuer=issuer)],
                email=email(f"traveller{rng.randrange(10**6)}", rng),
                note=notice,
            )
        )
    return out


def background_party(
    names: NameFactory,
    dep: Country,
    arr: Country,
    countries: list[Country],
    rng: random.Random,
    issuer: bool = False,
) -> list[Passenger]:
    """One or two ordinary travellers booked together (``issuer``: see :func:`passenger`)."""
    roll = rng.random()
    home = dep if roll < 0.5 else arr if roll < 0.85 else rng.choice(countries)
    out = []
    for _ in range(1 if rng.random() < 0.8 else 2):
        person = names.person(
            "", home.culture, rng.choice("FM"), birth_for_age(rng, 18, 75), home.code
        )
        out.append(passenger(person, passport_number(rng, home.code), rng, issuer=issuer))
    return out


def confounder_bookings(world: World, names: NameFactory, rng: random.Random) -> list[Booking]:
    """Honest travel that shares what victims' travel looks like at a border (the
    ``confounders`` regime): school trips (pupils with their teachers, booked by the
    school), a parent with children carrying the other parent's surname, young friends
    booked by one of them, and seasonal workers booked again and again by a lawful
    recruiter. Travel agencies' bookings are spread through the background instead (see
    :func:`agency_contacts`)."""
    rate = world.config.evasion.confounders
    if rate <= 0:
        return []
    travellers, countries = world.config.travellers, world.countries
    issuer = by_issuer(world)
    out: list[Booking] = []

    def count(per_10k: float) -> int:
        return max(1, round(per_10k * rate * travellers / 10_000))

    def someone(c: Country, low: int, high: int, sex: str | None = None) -> Person:
        sex = sex or rng.choice("FM")
        return names.person(world.new_pid(), c.culture, sex, birth_for_age(rng, low, high), c.code)

    def booking(kind: str, people: list[Person], c: Country, phone: str, mail: str) -> Booking:
        papers = [passenger(p, passport_number(rng, c.code), rng, issuer=issuer) for p in people]
        return Booking(booking_ref(rng), kind, papers, phone, mail)

    for k in range(count(3)):  # school trips: 8-24 pupils aged 12-17, 2-3 teachers
        c = rng.choice(countries)
        pupils = [someone(c, 12, 17) for _ in range(rng.randint(8, 24))]
        teachers = [someone(c, 28, 60) for _ in range(rng.randint(2, 3))]
        phone = world.phonebook.stranger(c, rng) or ""
        out.append(booking("school", pupils + teachers, c, phone, email(f"school{k}", rng)))
    for _ in range(count(20)):  # a parent with children named after the other parent
        c = rng.choice(countries)
        parent = someone(c, 26, 50)
        other = someone(c, 26, 50)
        kids = [someone(c, 1, 16) for _ in range(rng.randint(1, 3))]
        for kid in kids:
            kid.surname = other.surname
        local = _mail_name(parent, issuer) + str(rng.randrange(10, 9999))
        out.append(booking("family", [parent, *kids], c, "", email(local, rng)))
    for _ in range(count(15)):  # young friends travelling together, booked by one of them
        c = rng.choice(countries)
        friends = [someone(c, 18, 25) for _ in range(rng.randint(3, 5))]
        local = _mail_name(friends[0], issuer) + str(rng.randrange(10, 9999))
        phone = world.phonebook.stranger(c, rng) or ""
        out.append(booking("friends", friends, c, phone, email(local, rng)))
    recruiters = [
        (rng.choice(countries), email(f"seasonal-jobs{k}", rng)) for k in range(max(1, count(1)))
    ]
    for _ in range(count(6)):  # seasonal workers: 4-12 adults, one recruiter, many bookings
        c, mail = rng.choice(recruiters)
        workers = [someone(c, 19, 45) for _ in range(rng.randint(4, 12))]
        out.append(booking("workers", workers, c, "", mail))
    return out


def _mail_name(person: Person, issuer: bool) -> str:
    """A traveller's own address starts with the given name as the passport writes it."""
    return passport_name(person, issuer)[1].split()[0].lower()


def agency_contacts(world: World, rng: random.Random) -> list[tuple[str, str]]:
    """Travel agencies' contacts (phone, e-mail), each booking many unrelated travellers of
    every age across the year (the ``confounders`` regime; none otherwise)."""
    if world.config.evasion.confounders <= 0:
        return []
    out = []
    for k, c in enumerate(rng.choices(world.countries, k=6)):
        out.append((world.phonebook.stranger(c, rng) or "", email(f"bookings{k}", rng)))
    return out
