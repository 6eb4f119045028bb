"""truth.json: what really happened, for scoring the platform's findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from threadline.simulation.ads import AdWriter
from threadline.simulation.config import BASE_DATE
from threadline.simulation.names import passport_name
from threadline.simulation.travel import TravelTruth
from threadline.simulation.travelplan import by_issuer
from threadline.simulation.world import Member, Victim, World


def _age(v: Victim) -> int:
    born = v.person.birth
    on = v.recruited_on
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _member(
    m: Member, travel: TravelTruth, cases: dict[str, list[str]], issuer: bool
) -> dict[str, Any]:
    surname, given = passport_name(m.person, issuer)
    return {
        "person_id": m.person.pid,
        "role": m.role,
        "country": m.country,
        "nationality": m.person.nationality,
        "surname": surname,
        "given_names": given,
        "date_of_birth": m.person.birth.isoformat(),
        "passport": m.passport,
        "red_notice": m.red_notice,
        "record_ids": travel.records.get(m.person.pid, []),
        "case_entity_ids": cases.get(m.person.pid, []),
    }


def _victim(
    v: Victim, travel: TravelTruth, identified: dict[str, str], issuer: bool
) -> dict[str, Any]:
    surname, given = passport_name(v.person, issuer)
    return {
        "person_id": v.person.pid,
        "group": v.group,
        "sex": v.person.sex,
        "age": _age(v),
        "form": v.form,
        "sector": v.sector,
        "network_id": v.network_id,
        "nationality": v.person.nationality,
        "surname": surname,
        "given_names": given,
        "date_of_birth": v.person.birth.isoformat(),
        "route": {"origin": v.origin, "destination": v.destination},
        "recruited_on": v.recruited_on.isoformat(),
        "ad_ids": v.ad_ids,
        "record_ids": travel.records.get(v.person.pid, []),
        "passport": v.passport,
        "travel_document": v.travel_document,
        "travel_document_status": v.travel_document_status,
        "passport_reported": v.passport_reported,
        "yellow_notice": v.yellow_notice,
        "identified_person": identified.get(v.person.pid),
    }


def build_truth(
    world: World,
    ads: AdWriter,
    travel: TravelTruth,
    cases: dict[str, list[str]],
    identified: dict[str, str],
    counts: dict[str, Any],
) -> dict[str, Any]:
    """The whole ground truth as one JSON-ready dict."""
    cfg = world.config
    issuer = by_issuer(world)  # names as the passports (and so the manifests) spell them
    networks, personas, victims, wanted = [], [], [], []
    for net in world.networks:
        networks.append(
            {
                "network_id": net.network_id,
                "origins": [c.code for c in net.origins],
                "destinations": [c.code for c in net.destinations],
                "forms": sorted(net.forms),
                "members": [_member(m, travel, cases, issuer) for m in net.members],
                "phones": net.phones,
                "accounts": net.accounts,
                "emails": net.emails,
                "wallets": [{"currency": k, "address": a} for k, a in net.wallets],
                "persona_ids": [p.persona_id for p in net.personas],
                "ad_ids": sorted(a for p in net.personas for a in p.ad_ids),
                "victim_ids": [v.person.pid for v in net.victims],
                "bookings": list(  # a booking with two legs is listed once
                    dict.fromkeys(
                        b["booking_ref"]
                        for b in travel.victim_bookings
                        if b["network_id"] == net.network_id
                    )
                ),
            }
        )
        for p in net.personas:
            personas.append(
                {
                    "persona_id": p.persona_id,
                    "network_id": p.network_id,
                    "operator": p.operator,
                    "kind": p.kind,
                    "country": p.country,
                    "language": p.language,
                    "handle": p.handle,
                    "handles": [p.handle, *p.handles],
                    "phones": p.phones,
                    "ad_ids": p.ad_ids,
                    "victim_ids": p.victims,
                }
            )
        victims += [_victim(v, travel, identified, issuer) for v in net.victims]
        wanted += [
            {"person_id": m.person.pid, "network_id": net.network_id, "notice_id": m.red_notice}
            for m in net.members
            if m.red_notice
        ]
    posters = {"agency": [], "employer": [], "escort": []}  # type: dict[str, list[Any]]
    for poster in ads.posters:
        posters[poster.kind].append(
            {
                "poster_id": poster.poster_id,
                "name": poster.name,
                "country": poster.country.code,
                "phone": poster.phone,
                "email": poster.email,
                "handle": poster.handle,
                "licence": poster.licence or None,
                "ad_count": poster.ad_count,
                "sample_ad_ids": poster.sample,
            }
        )
    shared = sorted(
        (p for p in posters["employer"] if p["phone"] and p["ad_count"] >= 5),
        key=lambda p: (-p["ad_count"], p["poster_id"]),
    )[:200]
    return {
        "seed": cfg.seed,
        "scale": cfg.scale,
        "base_date": BASE_DATE.isoformat(),
        "config": {
            "countries": cfg.countries,
            "networks": cfg.networks,
            "ads": cfg.ads,
            "travellers": cfg.travellers,
            "noise": cfg.noise,
            "regime": cfg.regime,
            "images": cfg.images,
        },
        "countries": [c.code for c in world.countries],
        "counts": counts,
        "networks": networks,
        "personas": personas,
        "victims": victims,
        "traffickers_with_red_notices": wanted,
        "legitimate": {
            "recruitment_agencies": posters["agency"],
            "business_phones": shared,
            "independent_advertisers": posters["escort"][:200],
            "hub_phones": [
                {"phone": ads.hub_phone, "platform": "marketplace.test", "ad_count": ads.hub_count}
            ],
            "bookings": [b for b in travel.bookings if b["kind"] != "twin"],
            "name_twins": [b for b in travel.bookings if b["kind"] == "twin"],
        },
    }


def write_truth(root: Path, truth: dict[str, Any]) -> None:
    """Write truth.json (indented, keys in a fixed order)."""
    (root / "truth.json").write_bytes(orjson.dumps(truth, option=orjson.OPT_INDENT_2) + b"\n")
