"""ads.jsonl: network ads from personas mixed into a large honest background, streamed."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

import orjson

from threadline.simulation.adrender import (
    PersonaTemplate,
    escort_slots,
    honest_job,
    independent_escort,
    job_phrase,
    money,
)
from threadline.simulation.adtext import ADULT_CATEGORY, CATEGORY, ETHNIC
from threadline.simulation.config import BASE_TIME, stream
from threadline.simulation.geography import Country
from threadline.simulation.images import PhotoLibrary
from threadline.simulation.selectors import email, handle, national, obfuscate
from threadline.simulation.world import Network, Persona, Victim, World

JOB_PLATFORMS = ("jobs.example", "classifieds.example", "marketplace.test")
ADULT_PLATFORMS = ("classifieds.example", "nightlist.example")
HUB_PLATFORM = "marketplace.test"
SAMPLE = 20  # ad ids kept per honest look-alike in truth.json


@dataclass(slots=True)
class Poster:
    """An honest advertiser: employer, licensed agency or independent adult."""

    poster_id: str
    kind: str
    country: Country
    language: str
    name: str
    handle: str
    phone: str | None
    email: str
    sector: str
    licence: str = ""
    photo: int | None = None
    ad_count: int = 0
    sample: list[str] = field(default_factory=list)

    def record(self, ad_id: str) -> None:
        """Count an ad and keep the first few ids for truth.json."""
        self.ad_count += 1
        if len(self.sample) < SAMPLE:
            self.sample.append(ad_id)


@dataclass(slots=True)
class NetAd:
    """One planned network ad."""

    persona: Persona
    victims: list[Victim]
    country: Country
    posted: datetime
    phones: list[str] | None = None  # this run's burner phones (None: the persona's own)
    handle: str | None = None  # this run's account (None: the persona's own)
    bare: bool = False  # no contact in the text and no poster account


class AdWriter:
    """Plans the network ads, then streams every ad to ads.jsonl."""

    def __init__(self, world: World, root: Path, photos: PhotoLibrary) -> None:
        self.world = world
        self.root = root
        self.photos = photos
        self.rng = stream(world.config.seed, "ads")
        self.next_photo = 0
        self.victim_photos: dict[str, list[int]] = {}
        self.posters: list[Poster] = []
        self.hub_phone = world.phonebook.one(world.country("GB")) or ""
        self.hub_count = 0
        self.templates: dict[str, PersonaTemplate] = {}
        self.plans: list[NetAd] = []
        self.notice_rng: random.Random | None = None

    # ------------------------------------------------------------------ planning
    def _photo(self, share: float) -> int | None:
        if self.next_photo >= self.world.config.images * share:
            return None
        self.next_photo += 1
        return self.next_photo - 1

    def plan(self) -> list[NetAd]:
        """Every network ad, in shuffled order; victim photos are allocated here."""
        rng, plans = self.rng, []
        for net in self.world.networks:
            victims = {v.person.pid: v for v in net.victims}
            for persona in net.personas:
                self.templates[persona.persona_id] = PersonaTemplate(
                    persona.template_seed, persona.language, persona.kind
                )
                plans += self._persona_ads(net, persona, [victims[p] for p in persona.victims])
        budget = int(self.world.config.ads * 0.35)
        if len(plans) > budget:
            rng.shuffle(plans)
            plans = plans[:budget]
        rng.shuffle(plans)
        self._evade(plans)
        return plans

    def _evade(self, plans: list[NetAd]) -> None:
        """The regime's evasion: burner runs with fresh phones and accounts, bare ads."""
        regime = self.world.config.evasion
        if not (regime.contactless or regime.burner_ads):
            return
        rng = stream(self.world.config.seed, "regime")
        networks = {net.network_id: net for net in self.world.networks}
        mine: dict[str, list[NetAd]] = {}
        for plan in plans:
            mine.setdefault(plan.persona.persona_id, []).append(plan)
        for persona_id in sorted(mine):
            runs = sorted(mine[persona_id], key=lambda plan: plan.posted)
            persona = runs[0].persona
            step = regime.burner_ads
            for start in range(step, len(runs), step) if step else ():
                country = self.world.country(persona.country)
                phones = self.world.phonebook.batch(country, rng.randint(2, 3))
                account = handle(rng, rng.choice(_STEMS), self.world.contacts)
                persona.phones += phones
                persona.handles.append(account)
                networks[persona.network_id].phones += phones
                for plan in runs[start : start + step]:
                    plan.phones, plan.handle = phones, account
            for plan in runs:
                plan.bare = rng.random() < regime.contactless

    def _persona_ads(self, net: Network, persona: Persona, victims: list[Victim]) -> list[NetAd]:
        rng, out = self.rng, []
        if persona.kind == "recruitment":
            for _ in range(max(2, len(victims) // 2 + rng.randint(1, 6))):
                country = self.world.country(persona.country)
                group = rng.sample(victims, min(len(victims), rng.randint(1, 3))) if victims else []
                first = min((v.recruited_on for v in group), default=None)
                day = (first - timedelta(days=rng.randint(3, 40))) if first else None
                out.append(NetAd(persona, group, country, _at(day, rng)))
            return out
        for v in victims:
            self.victim_photos[v.person.pid] = [
                p for p in (self._photo(0.6) for _ in range(rng.randint(1, 3))) if p is not None
            ]
            for _ in range(rng.randint(2, 6)):
                country = self.world.country(persona.country)
                day = v.recruited_on + timedelta(days=rng.randint(25, 220))
                out.append(NetAd(persona, [v], country, _at(day, rng)))
        return out

    def _posters(self) -> None:
        rng, ads = self.rng, self.world.config.ads
        countries = self.world.countries
        kinds = [
            ("employer", max(20, ads // 60)),
            ("agency", max(3, ads // 2500)),
            ("escort", max(5, ads // 500)),
        ]
        for kind, count in kinds:
            for i in range(count):
                c = rng.choice(countries)
                lang = _ad_language(c, rng)
                name = _company(rng, kind, i)
                self.posters.append(
                    Poster(
                        f"{kind[:3].upper()}{i + 1:05d}",
                        kind,
                        c,
                        lang,
                        name,
                        handle(rng, name.split()[0].lower(), self.world.contacts),
                        self.world.phonebook.one(c),
                        email(name.split()[0].lower() + str(i), rng, self.world.contacts),
                        rng.choice(
                            (
                                "construction",
                                "agriculture",
                                "hospitality",
                                "manufacturing",
                                "domestic_work",
                                "fishing",
                                "general",
                            )
                        ),
                        f"RA-{rng.randrange(10000, 99999)}" if kind == "agency" else "",
                        self._photo(0.9) if kind == "escort" or rng.random() < 0.3 else None,
                    )
                )

    # ------------------------------------------------------------------ writing
    def prepare(self) -> None:
        """Plan network ads and honest posters (takes phone numbers from the phone book)."""
        self.plans = self.plan()
        self._posters()

    def outcome(self) -> dict[str, Any]:
        """What writing changed in the plan, to carry back from a worker process."""
        return {
            "personas": {p.persona_id: p.ad_ids for n in self.world.networks for p in n.personas},
            "victims": {v.person.pid: v.ad_ids for v in self.world.victims},
            "posters": [(p.ad_count, p.sample) for p in self.posters],
            "hub_count": self.hub_count,
        }

    def absorb(self, outcome: dict[str, Any]) -> None:
        """Apply a worker's :meth:`outcome` to this (parent) copy of the plan."""
        for net in self.world.networks:
            for p in net.personas:
                p.ad_ids = outcome["personas"][p.persona_id]
            for v in net.victims:
                v.ad_ids = outcome["victims"][v.person.pid]
        for poster, (count, sample) in zip(self.posters, outcome["posters"], strict=True):
            poster.ad_count, poster.sample = count, sample
        self.hub_count = outcome["hub_count"]

    def write(self, progress: Any = None) -> None:
        """Write ads.jsonl (after :meth:`prepare`); ``progress(n)`` is called per chunk."""
        plans = self.plans
        total = self.world.config.ads
        positions = sorted(self.rng.sample(range(total), len(plans)))
        slot = dict(zip(positions, plans, strict=True))
        with (self.root / "ads.jsonl").open("wb") as fh:
            chunk: list[bytes] = []
            for i in range(total):
                ad_id = f"ad{i + 1:08d}"
                plan = slot.get(i)
                ad = self._network_ad(ad_id, plan) if plan else self._honest_ad(ad_id)
                chunk.append(orjson.dumps(ad) + b"\n")
                if len(chunk) >= 5000:
                    _flush(fh, chunk, progress)
            _flush(fh, chunk, progress)

    def _network_ad(self, ad_id: str, plan: NetAd) -> dict[str, Any]:
        rng, persona = self.rng, plan.persona
        persona.ad_ids.append(ad_id)
        for v in plan.victims:
            v.ad_ids.append(ad_id)
        city = rng.choice(plan.country.cities)
        lang = persona.language
        contact = "" if plan.bare else self._persona_contact(plan)
        slots = {
            "city": city,
            "contact": contact,
            "age": str(rng.choice((16, 17, 18))),
            "fee": money(lang, rng.randrange(150, 900, 50)),
        }
        if persona.kind == "recruitment":
            sector = plan.victims[0].sector if plan.victims else "general"
            dest = self.world.country(plan.victims[0].destination) if plan.victims else plan.country
            slots |= {
                "job": job_phrase(lang, "sex" if sector == "sex" else sector, rng),
                "dest": rng.choice(dest.cities),
            }
            category = rng.choice(CATEGORY[lang])
            platform = rng.choice(JOB_PLATFORMS)
            images = []
        else:
            slots |= escort_slots(lang, rng)
            # A victim's stated ethnicity stays the same from post to post.
            pid = plan.victims[0].person.pid
            slots["ethnic"] = ETHNIC[lang][sum(map(ord, pid)) % len(ETHNIC[lang])]
            category = rng.choice(ADULT_CATEGORY[lang])
            platform = rng.choice(ADULT_PLATFORMS)
            photos = self.victim_photos.get(plan.victims[0].person.pid, [])
            images = [self.photos.reference(p, rng) for p in photos]
        template = self.templates[persona.persona_id]
        title, text = template.render(slots, rng, contact=not plan.bare)
        text = self._boilerplate(platform, self._hub(platform, text))
        account = plan.handle or persona.handle
        poster = None if plan.bare else {
            "handle": account,
            "profile_url": _profile(platform, account),
            "display_name": rng.choice(("Agency", "Jobs Abroad", "Angel", "VIP", "HR Team")),
        }  # fmt: skip
        return _ad(
            ad_id,
            platform,
            plan.posted,
            plan.country,
            city,
            lang,
            category,
            title,
            text,
            poster,
            images,
        )

    def _persona_contact(self, plan: NetAd) -> str:
        rng, persona, country = self.rng, plan.persona, plan.country
        phones = persona.phones if plan.phones is None else plan.phones
        if not phones or rng.random() < 0.2:
            return plan.handle or persona.handle
        phone = rng.choice(phones)  # rotating burner phones
        home = self.world.country(self.world.phonebook.owner_country[phone])
        text = national(phone, home) if home.code == country.code and rng.random() < 0.5 else phone
        return obfuscate(text, rng) if rng.random() < 0.45 else text

    def _honest_ad(self, ad_id: str) -> dict[str, Any]:
        rng = self.rng
        poster = rng.choice(self.posters)
        poster.record(ad_id)
        c, lang = poster.country, poster.language
        city = rng.choice(c.cities)
        phone = poster.phone
        contact = poster.email if not phone or rng.random() < 0.3 else national(phone, c)
        slots = {
            "city": city,
            "contact": contact,
            "lic": poster.licence,
            "fee": money(lang, rng.randrange(100, 400, 10)),
            "job": job_phrase(lang, poster.sector, rng),
            "dest": rng.choice(rng.choice(self.world.countries).cities),
        }
        if poster.kind == "escort":
            slots |= escort_slots(lang, rng)
            title, text = independent_escort(lang, slots, rng)
            platform, category = rng.choice(ADULT_PLATFORMS), rng.choice(ADULT_CATEGORY[lang])
        else:
            title, text = honest_job(lang, slots, poster.kind == "agency", rng)
            platform, category = rng.choice(JOB_PLATFORMS), rng.choice(CATEGORY[lang])
        text = self._boilerplate(platform, self._hub(platform, text))
        images = [self.photos.reference(poster.photo, rng)] if poster.photo is not None else []
        info = {
            "handle": poster.handle,
            "profile_url": _profile(platform, poster.handle),
            "display_name": poster.name,
        }
        when = _at(None, rng)
        return _ad(
            ad_id,
            platform,
            when,
            c,
            city,
            lang,
            category,
            title,
            text,
            info if rng.random() < 0.8 else None,
            images,
        )

    def _hub(self, platform: str, text: str) -> str:
        # A platform's support number printed on many ads: a hub that must not fuse posters.
        if platform == HUB_PLATFORM and self.hub_phone and self.rng.random() < 0.3:
            self.hub_count += 1
            return f"{text} Report suspicious ads to support: {self.hub_phone}."
        return text

    def _boilerplate(self, platform: str, text: str) -> str:
        # A platform's safety notice: text shared by many advertisers that must link nobody.
        share = self.world.config.evasion.boilerplate
        if not share:
            return text
        if self.notice_rng is None:
            self.notice_rng = stream(self.world.config.seed, "regime-notices")
        if self.notice_rng.random() >= share:
            return text
        notice = self.notice_rng.choice(_NOTICES)
        return f"{text} {notice.format(platform=platform)}"


_STEMS = ("jobs", "work", "agency", "vip", "abroad", "career", "sweet", "angel")
# Platforms' safety notices (the boilerplate regime): long, shared, full of risk words.
_NOTICES = (
    "Safety notice from {platform}: never pay a fee to apply for a job and never hand over "
    "your passport or identity card to an employer. Report any ad that asks for money or "
    "documents with the report button below this listing.",
    "{platform} reminder: meet in a public place, tell a friend where you are going and never "
    "share your bank details. Ads are posted by users and are not checked by {platform}.",
    "Posted on {platform}. Be careful with offers of work abroad with travel paid and high "
    "wages: check the agency licence with the labour ministry before you travel. Help is "
    "available from the national hotline at any time.",
)


def _flush(fh: IO[bytes], chunk: list[bytes], progress: Any) -> None:
    fh.write(b"".join(chunk))
    if progress is not None:
        progress(len(chunk))
    chunk.clear()


def _at(day: Any, rng: random.Random) -> datetime:
    if day is None:
        return BASE_TIME - timedelta(days=120) + timedelta(minutes=rng.randrange(600 * 24 * 60))
    return datetime(day.year, day.month, day.day) + timedelta(minutes=rng.randrange(24 * 60))


def _ad_language(country: Country, rng: random.Random) -> str:
    return rng.choice(country.languages)


def _company(rng: random.Random, kind: str, i: int) -> str:
    stems = (
        "Atlas",
        "Sunrise",
        "Northgate",
        "Bluewave",
        "Harvest",
        "Summit",
        "Meridian",
        "Coastal",
        "Evergreen",
        "Pioneer",
        "Keystone",
        "Orchard",
    )
    if kind == "escort":
        return rng.choice(("Sofia", "Mia", "Chloe", "Luna", "Bella", "Nina")) + f" {i % 97}"
    suffix = {
        "employer": ("Ltd", "Services", "Group", "Foods"),
        "agency": ("Recruitment", "Placements", "Staffing"),
    }[kind]
    return f"{rng.choice(stems)} {rng.choice(suffix)} {i + 1}"


def _profile(platform: str, handle_: str) -> str:
    return f"https://{platform}/u/{handle_.lstrip('@')}"


def _ad(
    ad_id: str,
    platform: str,
    when: datetime,
    c: Country,
    city: str,
    lang: str,
    category: str,
    title: str,
    text: str,
    poster: dict[str, str] | None,
    images: list[dict[str, str]],
) -> dict[str, Any]:
    ad: dict[str, Any] = {
        "id": ad_id,
        "platform": platform,
        "url": f"https://{platform}/{c.code.lower()}/{ad_id}",
        "posted_at": when.strftime("%Y-%m-%dT%H:%M:00Z"),
        "country": c.code,
        "location": f"{city}, {c.code}",
        "language": lang,
        "category": category,
        "title": title,
        "text": text,
    }
    if poster:
        ad["poster"] = poster
    if images:
        ad["images"] = images
    return ad
