"""truth.json is internally consistent: every id it names exists in the written files."""

from __future__ import annotations

import json

from .conftest import World


def _entity_ids(world: World) -> set[str]:
    ids = set()
    for path in [*world.root.glob("cases/*.ftm.jsonl"), world.root / "identified_persons.jsonl"]:
        ids.update(json.loads(line)["id"] for line in path.read_text("utf-8").splitlines())
    return ids


def test_network_and_persona_ads_exist_and_agree(world: World) -> None:
    ad_ids = {ad["id"] for ad in world.ads}
    personas = {p["persona_id"]: p for p in world.truth["personas"]}
    for net in world.truth["networks"]:
        assert set(net["ad_ids"]) <= ad_ids
        from_personas = {a for pid in net["persona_ids"] for a in personas[pid]["ad_ids"]}
        assert from_personas == set(net["ad_ids"])
    network_ads = [a for net in world.truth["networks"] for a in net["ad_ids"]]
    assert len(network_ads) == len(set(network_ads)) > 20


def test_persona_ads_carry_the_persona_selectors(world: World) -> None:
    ads = {ad["id"]: ad for ad in world.ads}
    for persona in world.truth["personas"]:
        for ad_id in persona["ad_ids"]:
            ad = ads[ad_id]
            assert ad["country"] == persona["country"]
            assert ad["poster"]["handle"] == persona["handle"]


def test_victims_point_at_existing_records(world: World) -> None:
    ad_ids = {ad["id"] for ad in world.ads}
    records = {r["record_id"]: r for r in world.manifest_rows}
    yellow = {p.stem for p in world.root.glob("notices/yellow/*.json")}
    entities = _entity_ids(world)
    network_ads = {a for net in world.truth["networks"] for a in net["ad_ids"]}
    assert world.truth["victims"]
    for v in world.truth["victims"]:
        assert set(v["ad_ids"]) <= ad_ids & network_ads
        assert v["record_ids"], v["person_id"]
        for rid in v["record_ids"]:
            assert records[rid]["surname"] == v["surname"]
            assert records[rid]["document_number"] == v["travel_document"]
        if v["yellow_notice"]:
            assert v["yellow_notice"].replace("/", "-") in yellow
        if v["identified_person"]:
            assert v["identified_person"] in entities


def test_traffickers_notices_cases_and_travel_exist(world: World) -> None:
    red = {p.stem for p in world.root.glob("notices/red/*.json")}
    entities = _entity_ids(world)
    records = {r["record_id"] for r in world.manifest_rows}
    wanted = world.truth["traffickers_with_red_notices"]
    assert wanted
    assert all(w["notice_id"].replace("/", "-") in red for w in wanted)
    for net in world.truth["networks"]:
        for m in net["members"]:
            assert set(m["case_entity_ids"]) <= entities
            assert set(m["record_ids"]) <= records


def test_legitimate_look_alikes_exist(world: World) -> None:
    legit = world.truth["legitimate"]
    ad_ids = {ad["id"] for ad in world.ads}
    network_ads = {a for net in world.truth["networks"] for a in net["ad_ids"]}
    records = {r["record_id"] for r in world.manifest_rows}
    for agency in legit["recruitment_agencies"]:
        assert set(agency["sample_ad_ids"]) <= ad_ids - network_ads
    kinds = {b["kind"] for b in legit["bookings"]}
    assert {"family", "tour"} <= kinds
    for booking in legit["bookings"] + legit["name_twins"]:
        assert set(booking["record_ids"]) <= records
    red = {p.stem for p in world.root.glob("notices/red/*.json")}
    assert legit["name_twins"]
    assert all(t["resembles_notice"].replace("/", "-") in red for t in legit["name_twins"])


def test_counts_match_the_files(world: World) -> None:
    counts = world.truth["counts"]
    assert counts["ads"] == len(world.ads)
    assert counts["travellers"] == len(world.manifest_rows)
    assert counts["red_notices"] == len(list(world.root.glob("notices/red/*.json")))
    assert counts["yellow_notices"] == len(list(world.root.glob("notices/yellow/*.json")))
