"""notices/red and notices/yellow: INTERPOL public-notice detail responses, one file each.

A red notice's names are spelled by its issuing country, a yellow notice's by the country
that reports the person missing (in the ``romanisation`` regime, by that country's
convention at the regime's rate: :mod:`threadline.simulation.romanisation`).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson

from threadline.simulation.config import BASE_DATE, stream
from threadline.simulation.namedata import CULTURES
from threadline.simulation.names import Person, ascii_upper, romanise, variant_slips
from threadline.simulation.romanisation import Romaniser, romaniser, spell
from threadline.simulation.world import Member, World, birth_for_age

CHARGES = {
    "en": ("Trafficking in persons", None),
    "fr": ("Traite des êtres humains", "Trafficking in human beings"),
    "es": ("Trata de personas", "Trafficking in persons"),
    "pt": ("Tráfico de pessoas", "Trafficking in persons"),
    "ru": ("Торговля людьми", "Trafficking in persons"),
    "ar": ("الاتجار بالبشر", "Trafficking in persons"),
}
_CHARGE_LANG = {
    "en": "en",
    "en_wa": "en",
    "ph": "en",
    "fr": "fr",
    "fr_wa": "fr",
    "es": "es",
    "pt": "pt",
    "ru": "ru",
    "ar": "ar",
    "de": "en",
    "it": "en",
    "th": "en",
    "tr": "en",
}
_LANGUAGES = {
    "en": "ENG",
    "en_wa": "ENG",
    "ph": "ENG",
    "fr": "FRE",
    "fr_wa": "FRE",
    "es": "SPA",
    "pt": "POR",
    "ru": "RUS",
    "ar": "ARA",
    "de": "GER",
    "it": "ITA",
    "th": "THA",
    "tr": "TUR",
}
EYES = ("BRO", "BLA", "BLU", "GRE", "HAZ")
HAIR = ("BLA", "BRO", "BLN", "GRY", "RED")


class NoticeBook:
    """Issues notice ids like "2019/12345" (year of issue / number), never twice."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def issue(self, year: int) -> str:
        """A new entity id for a notice issued in ``year``."""
        while True:
            eid = f"{year}/{self.rng.randrange(10000, 99999)}"
            if eid not in self.used:
                self.used.add(eid)
                return eid


def plan_red_notices(world: World, book: NoticeBook) -> list[Member]:
    """Give a share of traffickers a red notice; returns the members who have one."""
    rng = stream(world.config.seed, "red")
    wanted: list[Member] = []
    for net in world.networks:
        for m in net.members:
            if rng.random() < 0.3:
                m.red_notice = book.issue(rng.randint(2016, 2025))
                wanted.append(m)
    return wanted


def _dob(person: Person, rng: random.Random, noise: float) -> str:
    if rng.random() < noise * 0.4:
        return str(person.birth.year)
    return person.birth.strftime("%Y/%m/%d")


def _notice_name(
    person: Person, rng: random.Random, noise: float, spelling: Romaniser | None, country: str
) -> tuple[str, str, bool]:
    """(NAME, FORENAME) as the country's bureau writes them, and whether it followed its
    convention (the ``romanisation`` regime; never outside it)."""
    surname, given, _, slips = variant_slips(person, rng, max(noise, 0.4))
    follows = spelling is not None and spelling.follows(person)
    if spelling is not None and follows:
        surname, given = spelling.latin(person, country, slips)
    return ascii_upper(surname), ascii_upper(given), follows


def red_notice(
    m: Member,
    issuer_culture: str,
    issuer: str,
    place: str,
    rng: random.Random,
    noise: float,
    spelling: Romaniser | None = None,
) -> dict[str, Any]:
    """The detail response of one red notice."""
    p = m.person
    name, forename, _ = _notice_name(p, rng, noise, spelling, issuer)
    charge, translation = CHARGES[_CHARGE_LANG[issuer_culture]]
    eid = m.red_notice or ""
    return {
        "entity_id": eid,
        "name": name,
        "forename": forename,
        "date_of_birth": _dob(p, rng, noise),
        "sex_id": p.sex,
        "nationalities": [p.nationality],
        "country_of_birth_id": p.nationality,
        "place_of_birth": None if rng.random() < 0.3 else ascii_upper(place),
        "height": round(rng.uniform(1.55, 1.95), 2),
        "weight": rng.randint(55, 110),
        "eyes_colors_id": [rng.choice(EYES)],
        "hairs_id": [rng.choice(HAIR)],
        "distinguishing_marks": rng.choice(
            (None, "Scar on left hand", "Tattoo on right forearm", "Mole on the neck")
        ),
        "languages_spoken_ids": [_LANGUAGES[p.culture]],
        "arrest_warrants": [
            {"issuing_country_id": issuer, "charge": charge, "charge_translation": translation}
        ],
        "_links": {"self": {"href": f"https://notices.example/red/{eid.replace('/', '-')}"}},
    }


def yellow_notice(
    p: Person,
    event: date,
    country: str,
    eid: str,
    place: str,
    rng: random.Random,
    noise: float,
    spelling: Romaniser | None = None,
) -> dict[str, Any]:
    """The detail response of a yellow notice filed by a missing person's family."""
    name, forename, follows = _notice_name(p, rng, noise, spelling, country)

    def parent(text: str) -> str:  # the parents' names as the notice's own
        return spell(text, p, country) if follows else romanise(text, p.culture, "icao", 0)

    males, females, surnames = CULTURES[p.culture]
    father = parent(rng.choice(males))
    mother = parent(rng.choice(females))
    return {
        "entity_id": eid,
        "name": name,
        "forename": forename,
        "birth_name": name,
        "date_of_birth": _dob(p, rng, noise),
        "sex_id": p.sex,
        "nationalities": [p.nationality],
        "country_of_birth_id": p.nationality,
        "place_of_birth": place.upper(),
        "height": round(rng.uniform(1.35, 1.80), 2),
        "weight": rng.randint(35, 80),
        "eyes_colors_id": [rng.choice(EYES)],
        "hairs_id": [rng.choice(HAIR)],
        "distinguishing_marks": None,
        "languages_spoken_ids": [_LANGUAGES[p.culture]],
        "date_of_event": event.strftime("%Y/%m/%d"),
        "place": place,
        "country": country,
        "father_forename": ascii_upper(father),
        "mother_forename": ascii_upper(mother),
        "mother_name": ascii_upper(parent(rng.choice(surnames))),
        "_links": {"self": {"href": f"https://notices.example/yellow/{eid.replace('/', '-')}"}},
    }


def write_notices(world: World, root: Path, book: NoticeBook) -> tuple[int, int]:
    """Write red notices for members who have one and yellow notices for missing victims."""
    rng = stream(world.config.seed, "notices")
    spelling = romaniser(world.config, "notices")
    noise = world.config.noise
    red_dir, yellow_dir = root / "notices" / "red", root / "notices" / "yellow"
    red_dir.mkdir(parents=True, exist_ok=True)
    yellow_dir.mkdir(parents=True, exist_ok=True)
    reds = yellows = 0
    for net in world.networks:
        for m in net.members:
            if m.red_notice:
                issuer = rng.choice(net.destinations + net.origins)
                place = rng.choice(world.country(m.person.nationality).cities)
                _dump(
                    red_dir,
                    m.red_notice,
                    red_notice(m, issuer.culture, issuer.code, place, rng, noise, spelling),
                )
                reds += 1
        for v in net.victims:
            if v.missing_reported:
                v.yellow_notice = book.issue(v.recruited_on.year)
                place = rng.choice(world.country(v.origin).cities)
                notice = yellow_notice(
                    v.person, v.recruited_on, v.origin, v.yellow_notice, place, rng, noise, spelling
                )
                _dump(yellow_dir, v.yellow_notice, notice)
                yellows += 1
    reds_bg, yellows_bg = _background(world, book, red_dir, yellow_dir, rng, spelling)
    return reds + reds_bg, yellows + yellows_bg


def _background(
    world: World,
    book: NoticeBook,
    red_dir: Path,
    yellow_dir: Path,
    rng: random.Random,
    spelling: Romaniser | None,
) -> tuple[int, int]:
    """Notices about people outside the simulated networks (other crimes, other missing)."""
    count = max(5, world.config.networks * 3)
    for _ in range(count):
        c = rng.choice(world.countries)
        person = world.names.person(
            world.new_pid(), c.culture, rng.choice("MF"), birth_for_age(rng, 20, 65), c.code
        )
        m = Member(person, "other", c.code, book.issue(rng.randint(2010, 2025)))
        place = rng.choice(c.cities)
        notice = red_notice(m, c.culture, c.code, place, rng, world.config.noise, spelling)
        _dump(red_dir, m.red_notice or "", notice)
    for _ in range(count):
        c = rng.choice(world.countries)
        person = world.names.person(
            world.new_pid(), c.culture, rng.choice("MF"), birth_for_age(rng, 10, 30), c.code
        )
        event = BASE_DATE - timedelta(days=rng.randint(0, 2000))
        eid = book.issue(event.year)
        place = rng.choice(c.cities)
        notice = yellow_notice(person, event, c.code, eid, place, rng, world.config.noise, spelling)
        _dump(yellow_dir, eid, notice)
    return count, count


def _dump(folder: Path, eid: str, data: dict[str, Any]) -> None:
    path = folder / f"{eid.replace('/', '-')}.json"
    path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
