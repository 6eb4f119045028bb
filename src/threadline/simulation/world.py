"""The plan of the world: networks, their members and personas, and their victims.

Only this plan stays in memory; ads and travellers are generated from it in chunks.
Victims are drawn in the proportions of UNODC's Global Report on Trafficking in
Persons 2024 (women 39%, girls 22%, men 23%, boys 16%; forced labour 42%, sexual
exploitation 38%, forced criminality 8%, other forms the rest), with the reported
skews (girls mostly sexual exploitation, boys mostly forced labour).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from threadline.simulation.config import BASE_DATE, SimulationConfig, stream
from threadline.simulation.geography import Country, by_role, pick_countries
from threadline.simulation.names import NameFactory, Person
from threadline.simulation.selectors import PhoneBook, email, handle, wallet

GROUPS = {"woman": 0.39, "girl": 0.22, "man": 0.23, "boy": 0.16}
# P(form | group), chosen so the marginals match the report (42 / 38 / 8 / 12).
FORMS_BY_GROUP: dict[str, dict[str, float]] = {
    "woman": {
        "forced_labour": 0.33,
        "sexual_exploitation": 0.55,
        "forced_criminality": 0.03,
        "other": 0.09,
    },
    "girl": {
        "forced_labour": 0.26,
        "sexual_exploitation": 0.60,
        "forced_criminality": 0.05,
        "other": 0.09,
    },
    "man": {
        "forced_labour": 0.70,
        "sexual_exploitation": 0.07,
        "forced_criminality": 0.12,
        "other": 0.11,
    },
    "boy": {
        "forced_labour": 0.45,
        "sexual_exploitation": 0.11,
        "forced_criminality": 0.20,
        "other": 0.24,
    },
}
LABOUR_SECTORS = (
    "construction",
    "agriculture",
    "fishing",
    "domestic_work",
    "hospitality",
    "manufacturing",
)
OTHER_FORMS = ("begging", "forced_marriage", "mixed")
ROLES = ("recruiter", "transporter", "document_forger", "exploiter", "money_handler")


@dataclass(slots=True)
class Member:
    """A trafficker: a person with a role in one network."""

    person: Person
    role: str
    country: str  # where they operate
    red_notice: str | None = None  # entity_id of the red notice, when one was issued
    passport: str = ""


@dataclass(slots=True)
class Persona:
    """One operator's advertising identity: a template style, a handle, burner phones."""

    persona_id: str
    network_id: str
    operator: str  # person id of the member who writes the ads
    kind: str  # recruitment (job ads) or exploitation (sexual services ads)
    country: str  # where it posts
    language: str
    handle: str
    phones: list[str]
    template_seed: int
    victims: list[str] = field(default_factory=list)
    ad_ids: list[str] = field(default_factory=list)
    handles: list[str] = field(default_factory=list)  # accounts after the first (burners)


@dataclass(slots=True)
class Victim:
    """A trafficked person and what happened to them."""

    person: Person
    group: str
    form: str
    sector: str
    network_id: str
    origin: str
    destination: str
    recruited_on: date
    missing_reported: bool = False
    identified: bool = False
    ad_ids: list[str] = field(default_factory=list)
    record_ids: list[str] = field(default_factory=list)
    yellow_notice: str | None = None
    identified_id: str | None = None
    passport: str = ""  # the victim's own passport number
    travel_document: str = ""  # the number they travelled on (a fraudulent one, sometimes)
    travel_document_status: str | None = None  # SLTD status of that document, if listed
    passport_reported: str | None = None  # SLTD status of their own passport, if reported


@dataclass(slots=True)
class Network:
    """A trafficking network: members with roles, selectors, personas and victims."""

    network_id: str
    origins: list[Country]
    destinations: list[Country]
    forms: list[str]
    members: list[Member] = field(default_factory=list)
    personas: list[Persona] = field(default_factory=list)
    victims: list[Victim] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    wallets: list[tuple[str, str]] = field(default_factory=list)

    def member(self, role: str) -> Member:
        """The first member with ``role`` (any member when none has it)."""
        return next((m for m in self.members if m.role == role), self.members[0])


@dataclass(slots=True)
class World:
    """Everything planned up front; the writers stream the rest."""

    config: SimulationConfig
    countries: list[Country]
    networks: list[Network]
    phonebook: PhoneBook
    names: NameFactory
    next_pid: int = 0
    # Handles and e-mail addresses handed out so far: like phone numbers, each has one owner.
    contacts: set[str] = field(default_factory=set)

    def country(self, code: str) -> Country:
        """The simulated country with alpha-2 ``code``."""
        return next(c for c in self.countries if c.code == code)

    def new_pid(self) -> str:
        """A fresh person id."""
        self.next_pid += 1
        return f"P{self.next_pid:07d}"

    @property
    def victims(self) -> list[Victim]:
        """Every victim of every network."""
        return [v for n in self.networks for v in n.victims]


def birth_for_age(rng: random.Random, low: int, high: int) -> date:
    """A birth date giving an age between ``low`` and ``high`` (inclusive) at the base date."""
    age = rng.randint(low, high)
    anchor = BASE_DATE.replace(year=BASE_DATE.year - age)  # the base date is 1 January
    return anchor - timedelta(days=rng.randrange(365))


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def draw_victim_profile(rng: random.Random) -> tuple[str, str]:
    """(group, form) in the report's proportions."""
    group = _pick(rng, GROUPS)
    return group, _pick(rng, FORMS_BY_GROUP[group])


def plan_world(config: SimulationConfig) -> World:
    """Networks, members, personas and victims for the configuration."""
    rng = stream(config.seed, "world")
    countries = pick_countries(config.countries)
    world = World(
        config,
        countries,
        [],
        PhoneBook(stream(config.seed, "phones")),
        NameFactory(stream(config.seed, "names")),
    )
    origins, destinations = by_role(countries, "origin"), by_role(countries, "destination")
    destinations = destinations + by_role(countries, "transit")
    per_network = max(6, min(40, config.travellers // (config.networks * 20)))
    for n in range(config.networks):
        net = Network(
            f"N{n + 1:04d}",
            rng.sample(origins, min(len(origins), rng.randint(1, 2))),
            rng.sample(destinations, min(len(destinations), rng.randint(1, 3))),
            [],
        )
        _staff(world, net, rng)
        world.networks.append(net)
    total = sum(rng.randint(per_network // 2, per_network * 3 // 2) for _ in world.networks)
    for _ in range(total):
        _add_victim(world, rng)
    for net in world.networks:
        _personas(world, net, rng)
    return world


def _staff(world: World, net: Network, rng: random.Random) -> None:
    roles = ["recruiter"] * rng.randint(1, 3) + ["transporter"] * rng.randint(1, 2)
    roles += ["document_forger"] * rng.randint(0, 1) + ["exploiter"] * rng.randint(1, 3)
    roles += ["money_handler"]
    for role in roles:
        home = rng.choice(
            net.origins
            if role in ("recruiter", "document_forger")
            else net.destinations
            if role == "exploiter"
            else net.origins + net.destinations
        )
        sex = "M" if rng.random() < 0.7 else "F"
        person = world.names.person(
            world.new_pid(), home.culture, sex, birth_for_age(rng, 24, 58), home.code
        )
        net.members.append(Member(person, role, home.code))
    for country in net.origins + net.destinations:
        net.phones += world.phonebook.batch(country, rng.randint(3, 8))  # burner batch
    net.accounts = [
        handle(
            rng,
            rng.choice(("jobs", "work", "agency", "vip", "abroad", "career", "sweet", "angel")),
            world.contacts,
        )
        for _ in range(rng.randint(2, 4))
    ]
    net.emails = [
        email(
            f"{rng.choice(('recruit', 'hr', 'visa', 'travel'))}{rng.randrange(100, 999)}",
            rng,
            world.contacts,
        )
        for _ in range(rng.randint(1, 2))
    ]
    net.wallets = [wallet(rng) for _ in range(rng.randint(1, 3))]


def _add_victim(world: World, rng: random.Random) -> None:
    group, form = draw_victim_profile(rng)
    capable = [n for n in world.networks if form in n.forms]
    if not capable or rng.random() < 0.15:
        capable = world.networks
    net = rng.choice(capable)
    if form not in net.forms:
        net.forms.append(form)
    origin, dest = rng.choice(net.origins), rng.choice(net.destinations)
    minor = group in ("girl", "boy")
    sex = "F" if group in ("woman", "girl") else "M"
    # Minors are 12-16 at the base date, so still under 18 when recruited during the year.
    birth = birth_for_age(rng, 12, 16) if minor else birth_for_age(rng, 18, 45)
    person = world.names.person(world.new_pid(), origin.culture, sex, birth, origin.code)
    sector = {
        "forced_labour": rng.choice(LABOUR_SECTORS),
        "sexual_exploitation": "sex",
        "forced_criminality": "online_scam" if rng.random() < 0.7 else "drug_running",
        "other": rng.choice(OTHER_FORMS),
    }[form]
    recruited = BASE_DATE + timedelta(days=rng.randint(0, 300))
    victim = Victim(person, group, form, sector, net.network_id, origin.code, dest.code, recruited)
    victim.missing_reported = rng.random() < (0.45 if minor else 0.2)
    victim.identified = rng.random() < 0.35
    net.victims.append(victim)


def _personas(world: World, net: Network, rng: random.Random) -> None:
    recruiters = [m for m in net.members if m.role == "recruiter"]
    exploiters = [m for m in net.members if m.role == "exploiter"]
    advertised = [v for v in net.victims if v.form != "other"]
    sexual = [v for v in advertised if v.form == "sexual_exploitation"]
    for m in recruiters:
        # Recruiters advertise where they recruit: an origin country, in its language.
        country = (
            world.country(m.country)
            if m.country in [c.code for c in net.origins]
            else rng.choice(net.origins)
        )
        _add_persona(world, net, m, "recruitment", country, rng)
    for m in exploiters if sexual else []:
        _add_persona(world, net, m, "exploitation", world.country(m.country), rng)
    recruit = [p for p in net.personas if p.kind == "recruitment"]
    exploit = [p for p in net.personas if p.kind == "exploitation"]
    for v in advertised:
        same = [p for p in recruit if p.country == v.origin] or recruit
        rng.choice(same).victims.append(v.person.pid)
    # One operator typically advertises 4-6 victims; victims are advertised where they are.
    for v in sexual:
        here = [p for p in exploit if p.country == v.destination] or exploit
        rng.choice(here).victims.append(v.person.pid)


def _add_persona(
    world: World, net: Network, m: Member, kind: str, country: Country, rng: random.Random
) -> None:
    owner = world.phonebook.owner_country
    local = [p for p in net.phones if owner[p] == country.code] or net.phones
    phones = rng.sample(local, min(len(local), rng.randint(2, 4))) if local else []
    persona = Persona(
        f"{net.network_id}-S{len(net.personas) + 1}",
        net.network_id,
        m.person.pid,
        kind,
        country.code,
        rng.choice(country.languages),
        rng.choice(net.accounts),
        phones,
        rng.randrange(1 << 30),
    )
    net.personas.append(persona)
