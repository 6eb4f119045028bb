"""Screening and tracing show a person with a victim record as protected, never as a suspect.

Only the owning bureau's victim liaison officer sees who she is; an officer, an
analyst and another country's liaison officer see the pseudonym and none of her
values. The world is in ``support.protected``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from support.protected import (
    QUERY,
    REPORT,
    SCREENING_SECRETS,
    SIGHTED,
    TRACING_SECRETS,
    WATCHED,
    Protected,
    build,
)
from threadline.governance import Actor, Purpose, Role
from threadline.governance.tables import audit_event
from threadline.screening.manifest import screen_manifest
from threadline.screening.matching import PersonQuery
from threadline.screening.service import screen_person
from threadline.services.dashboard import dashboard_summary
from threadline.store import Store
from threadline.tracing import list_leads, show_report

OFFICER = Actor("sv-officer", "NCB Stockholm", "SE", frozenset({Role.BORDER_OFFICER}))
ANALYST = Actor("sv-analyst", "NCB Stockholm", "SE", frozenset({Role.ANALYST}))
LIAISON = Actor("sv-liaison", "NCB Stockholm", "SE", frozenset({Role.VICTIM_LIAISON, Role.ANALYST}))
FOREIGN = Actor("fr-liaison", "NCB Paris", "FR", frozenset({Role.VICTIM_LIAISON, Role.ANALYST}))
HIDDEN_FROM = [OFFICER, ANALYST, FOREIGN]


@pytest.fixture
def world(store: Store) -> tuple[Store, Protected]:
    return store, build(store)


def _screen(store: Store, actor: Actor) -> dict[str, Any]:
    query = PersonQuery(
        names=[QUERY["name"]], birth_date=QUERY["dob"], nationality=QUERY["nationality"]
    )
    return screen_person(store, actor.for_purpose(Purpose.BORDER_CHECK), query).to_dict()


@pytest.mark.parametrize("actor", HIDDEN_FROM, ids=lambda a: a.user)
def test_a_watchlist_hit_on_a_victim_is_a_pseudonymised_protected_person(
    world: tuple[Store, Protected], actor: Actor
) -> None:
    store, protected = world
    result = _screen(store, actor)
    hit = result["candidates"][0]
    assert hit["protected"]["pseudonym"] == protected.watched
    assert hit["protected"]["label"] == "protected person (possible victim)"
    assert hit["protected"]["contact"] == {"agency": "NCB Stockholm", "country": "SE"}
    assert hit["entity_id"] is None and hit["notice"] is None  # not "red notice": not wanted
    assert result["decision"] == "protected_person"
    # the score is still explained, point by point, without the compared values
    assert hit["decision"] == "match"
    assert abs(sum(c["points"] for c in hit["explanation"]) - hit["score"]) < 1e-3
    text = json.dumps(result)
    for secret in SCREENING_SECRETS:
        assert secret not in text, secret


def test_the_owning_liaison_sees_who_she_is(world: tuple[Store, Protected]) -> None:
    store, protected = world
    result = _screen(store, LIAISON)
    hit = result["candidates"][0]
    assert hit["entity_id"] == WATCHED and hit["notice"] == "red"
    assert hit["protected"]["identity_visible"] is True
    assert hit["protected"]["pseudonym"] == protected.watched
    assert result["decision"] == "protected_person"  # still not presented as wanted
    assert "Daniela Ortega Vasquez" in json.dumps(result)


@pytest.mark.parametrize("actor", [ANALYST, FOREIGN], ids=lambda a: a.user)
def test_tracing_leads_and_trail_show_the_victim_by_pseudonym(
    world: tuple[Store, Protected], actor: Actor
) -> None:
    store, protected = world
    tracer = actor.for_purpose(Purpose.VICTIM_IDENTIFICATION)
    leads = {lead["sighting_kind"]: lead for lead in list_leads(store, tracer)}
    raid, ad = leads["identified_person"], leads["ad"]
    assert raid["sighting_id"] is None and raid["place"] == "withheld: protected person"
    assert raid["sighting_protected"]["pseudonym"] == protected.sighted
    # the report is the same person (linked as the record's missing-person report)
    assert raid["report_id"] == ad["report_id"] == protected.sighted
    assert ad["sighting_id"] == "ad-7701" and ad["place"] == "Berlin"
    assert ad["evidence"][0]["evidence"] == "withheld: protected person"
    comparisons = raid["evidence"][0]["evidence"]
    assert comparisons and all("left" not in c and "right" not in c for c in comparisons)
    view = show_report(store, tracer, protected.sighted)
    assert view["report_id"] == protected.sighted
    assert [s["sighting_id"] for s in view["trail"]] == ["ad-7701", None]
    text = json.dumps([list(leads.values()), view])
    for secret in TRACING_SECRETS:
        assert secret not in text, secret


def test_the_owning_liaison_traces_with_identity(world: tuple[Store, Protected]) -> None:
    store, protected = world
    tracer = LIAISON.for_purpose(Purpose.VICTIM_IDENTIFICATION)
    leads = {lead["sighting_kind"]: lead for lead in list_leads(store, tracer)}
    raid = leads["identified_person"]
    assert (raid["report_id"], raid["sighting_id"]) == (REPORT, SIGHTED)
    assert raid["place"] == "Reeperbahn 12, Hamburg"
    assert raid["sighting_protected"]["identity_visible"] is True
    # both ways of naming the report open it
    assert (
        show_report(store, tracer, REPORT)["trail"]
        == show_report(store, tracer, protected.sighted)["trail"]
    )


def test_reads_are_audited_with_the_pseudonymised_count(world: tuple[Store, Protected]) -> None:
    store, _protected = world
    _screen(store, OFFICER)
    list_leads(store, ANALYST.for_purpose(Purpose.VICTIM_IDENTIFICATION))
    with store.connect() as conn:
        rows = conn.execute(
            select(audit_event.c.action, audit_event.c.detail).where(
                audit_event.c.action.in_(["screening.person", "trace.leads"])
            )
        ).all()
    details = {action: detail for action, detail in rows}
    assert details["screening.person"]["pseudonymised"] == 1
    assert details["trace.leads"]["pseudonymised"] == 2  # the report and the raid record


def test_a_manifest_traveller_matching_a_victim_is_referred_not_flagged(
    world: tuple[Store, Protected], tmp_path: Path
) -> None:
    store, protected = world
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "flight,departure_airport,departure_time,arrival_airport,arrival_time,record_id,"
        "booking_ref,surname,given_names,sex,date_of_birth,nationality,document_type,"
        "document_number,document_issuing_country,document_expiry,contact_phone,contact_email\n"
        "ZZ310,BOG,2025-06-01T08:00:00,ARN,2025-06-01T22:00:00,R001,BK77,ORTEGO VASKES,"
        "DANIJELA,F,,COL,P,AB123987,COL,2031-01-01,,\n",
        encoding="utf-8",
    )
    result = screen_manifest(store, OFFICER.for_purpose(Purpose.BORDER_CHECK), manifest)
    data = result.to_dict()
    row = data["results"][0]
    assert row["person_hits"][0]["protected"]["pseudonym"] == protected.watched
    assert row["person_hits"][0]["entity_id"] is None
    kinds = {i["indicator"]: i for i in data["victim_indicators"]}
    assert kinds["protected_person_match"]["evidence"]["pseudonym"] == protected.watched
    assert "not a suspect" in kinds["protected_person_match"]["referral"]
    text = json.dumps(data)
    for secret in SCREENING_SECRETS:
        assert secret not in text, secret
    # the dashboard's line for the stored hit: protected, a safeguarding line, no name
    line = dashboard_summary(store, OFFICER).screening_hits[0]
    assert (line.listed_id, line.listed, line.safeguarding) == (None, protected.watched, True)
    assert "wanted" not in line.wording and "not a suspect" in line.wording


def test_the_dashboard_shields_tracing_leads(world: tuple[Store, Protected]) -> None:
    store, protected = world
    leads = dashboard_summary(store, ANALYST).tracing_leads
    assert leads and {lead["report_id"] for lead in leads} == {protected.sighted}
    text = json.dumps(leads)
    for secret in TRACING_SECRETS:
        assert secret not in text, secret
    mine = dashboard_summary(store, LIAISON).tracing_leads
    assert {lead["report_id"] for lead in mine} == {REPORT}
