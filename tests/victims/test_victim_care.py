"""A victim from identification through consent and referrals to reunification (both backends)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, insert

from support.holdings import hold, person
from threadline.exc import InputError, NotFound
from threadline.governance import SYSTEM, AccessDenied, Actor, Role
from threadline.store import Store
from threadline.store.tables import entity_merge
from threadline.victims import (
    add_consent,
    add_service,
    build_intake,
    create_victim,
    get_victim,
    has_consent,
    is_protected_victim,
    link_missing_report,
    list_notifications,
    list_services,
    list_victims,
    notify_reporting_country,
    protections,
    record_reunification,
    refer,
    update_referral,
    victim_label,
    withdraw_consent,
)

OWNER = Actor("officer-a", "NCB Manila", "PH", frozenset({Role.VICTIM_LIAISON}))
PERSONAL = {
    "name": "Maria Clara Dimaculangan",
    "other_names": ["Clara D."],
    "date_of_birth": "2008-02-29",
    "documents": ["P1234567A"],
    "phones": ["+61 491 570 156"],
    "emails": ["clara.d@example.org"],
    "address": "Block 7 Lot 3, Sampaguita Street, Barangay Example",
}
SECRETS = [
    "Maria Clara",
    "Clara D.",
    "2008-02-29",
    "P1234567A",
    "491 570 156",
    "clara.d@example.org",
    "Sampaguita",
    "case-person-17",
    "yellow-2026-311",
    "Rosa Dimaculangan",
    "Port area, pier 4",
]


@pytest.fixture
def store(store: Store) -> Store:
    """The store with what Manila's bureau holds: the case-file person the record links
    to, and Australia's yellow notice for her, as received by the bureau."""
    hold(
        store,
        "ph-cases",
        [person("case-person-17", str(PERSONAL["name"]))],
        agency=OWNER.agency,
        country=OWNER.country,
    )
    hold(
        store,
        "ph-missing",
        [person("yellow-2026-311", str(PERSONAL["name"]))],
        agency=OWNER.agency,
        country=OWNER.country,
        kind="missing-persons",
    )
    return store


def _create(conn: Connection) -> str:
    intake = build_intake(
        identified_on="2026-05-02",
        identified_how="border",
        identified_country="PH",
        identified_place="Port area, pier 4",
        sex="F",
        minor=True,
        nationality="PH",
        forms=["online_scam_compound", "forced criminality"],
        needs="shelter,psychological,interpretation,family_reunification",
        language="tl",
        personal=PERSONAL,
        entity_ids=["case-person-17"],
        compelled_offences=["online fraud (scam compound)"],
    )
    return create_victim(conn, OWNER, intake).pseudonym


def test_from_identification_to_reunification(store: Store) -> None:
    with store.begin() as conn:
        pseudonym = _create(conn)
        add_consent(conn, OWNER, pseudonym, "data_processing", note="explained in Tagalog")
        add_consent(conn, OWNER, pseudonym, "referral")
        add_consent(conn, OWNER, pseudonym, "interview")
        withdraw_consent(conn, OWNER, pseudonym, "interview")
        shelter = add_service(conn, "PH", "shelter", "Haven House Manila", languages=["tl", "en"])
        _view, ref_shelter = refer(conn, OWNER, pseudonym, "shelter", service_id=shelter.id)
        _view, ref_legal = refer(conn, OWNER, pseudonym, "legal_aid")
        for status in ("accepted", "in_progress", "completed"):
            update_referral(conn, OWNER, pseudonym, ref_shelter, status)
        update_referral(conn, OWNER, pseudonym, ref_legal, "declined", note="no capacity")
        link_missing_report(conn, OWNER, pseudonym, "yellow-2026-311", "Australia")
        _view, note_id = notify_reporting_country(conn, OWNER, pseudonym)
        view = record_reunification(
            conn,
            OWNER,
            pseudonym,
            on="2026-06-20",
            relationship="Mother",
            with_whom="Rosa Dimaculangan",
            where="PH",
        )
        outbox = list_notifications(conn)
        active = has_consent(conn, pseudonym, "referral"), has_consent(conn, pseudonym, "interview")
    data = view.to_dict()
    assert view.identity_visible and data["personal"]["name"] == PERSONAL["name"]
    assert [(c["scope"], c["active"]) for c in data["consents"]] == [
        ("data_processing", True),
        ("referral", True),
        ("interview", False),
    ]
    assert active == (True, False)
    timelines = {r["kind"]: [e["status"] for e in r["timeline"]] for r in data["referrals"]}
    assert timelines == {
        "shelter": ["requested", "accepted", "in_progress", "completed"],
        "legal_aid": ["requested", "declined"],
    }
    assert data["missing_report"] == {"id": "yellow-2026-311", "country": "AU"}
    assert outbox[0]["id"] == note_id and outbox[0]["country"] == "AU"
    assert outbox[0]["status"] == "pending" and pseudonym in outbox[0]["message"]
    assert PERSONAL["name"] not in outbox[0]["message"]
    assert data["reunifications"][0]["relationship"] == "mother"
    assert data["reunifications"][0]["with_whom"] == "Rosa Dimaculangan"
    assert data["reunifications"][0]["recorded_by"] == "officer-a"


OTHERS = [
    (Actor("an-1", "NCB Manila", "PH", frozenset({Role.ANALYST})), "only victim liaison"),
    (
        Actor("coord", "NCB Manila", "PH", frozenset({Role.OPERATION_COORDINATOR})),
        "only victim liaison",
    ),
    (Actor("vl-2", "AFP", "AU", frozenset({Role.VICTIM_LIAISON})), "another agency"),
    (Actor("vl-3", "PNP", "PH", frozenset({Role.VICTIM_LIAISON})), "another agency"),
]


def test_others_see_a_pseudonymised_record(store: Store) -> None:
    with store.begin() as conn:
        pseudonym = _create(conn)
        link_missing_report(conn, OWNER, pseudonym, "yellow-2026-311", "AU")
        record_reunification(
            conn,
            OWNER,
            pseudonym,
            on="2026-06-20",
            relationship="mother",
            with_whom="Rosa Dimaculangan",
        )
    for actor, reason in OTHERS:
        with store.connect() as conn:
            shown = get_victim(conn, actor, pseudonym)
            listed = list_victims(conn, actor)
        text = json.dumps([shown.to_dict(), *[v.to_dict() for v in listed]])
        assert not shown.identity_visible and reason in shown.access_reason, actor
        for secret in SECRETS:
            assert secret not in text, (actor, secret)
    data = shown.to_dict()
    assert data["pseudonym"] == pseudonym and data["non_punishment"] is True
    assert data["linked_entities"] == 1 and data["missing_report_linked"] is True
    assert data["needs"] == ["shelter", "psychological", "interpretation", "family_reunification"]


@pytest.mark.parametrize(
    "actor",
    [
        Actor("an-1", "NCB Manila", "PH", frozenset({Role.ANALYST})),
        Actor("vl-2", "AFP", "AU", frozenset({Role.VICTIM_LIAISON})),
    ],
)
def test_only_the_owners_liaison_changes_a_record(store: Store, actor: Actor) -> None:
    with store.begin() as conn:
        pseudonym = _create(conn)
        with pytest.raises(AccessDenied):
            add_consent(conn, actor, pseudonym, "referral")
        with pytest.raises(AccessDenied):
            refer(conn, actor, pseudonym, "medical")


def test_protection_covers_linked_and_merged_entities(store: Store) -> None:
    with store.begin() as conn:
        pseudonym = _create(conn)
        # an analyst merged the victim's case entity with an ad persona (canonical tl-...)
        now = datetime.now(UTC)
        conn.execute(
            insert(entity_merge),
            [
                {
                    "canonical_id": "tl-abc",
                    "entity_id": e,
                    "created_by": "analyst",
                    "created_at": now,
                }
                for e in ("case-person-17", "ad-persona-9")
            ],
        )
    with store.connect() as conn:
        assert is_protected_victim(conn, "case-person-17")
        assert is_protected_victim(conn, "ad-persona-9")  # merged with the victim's entity
        assert is_protected_victim(conn, "tl-abc")  # the canonical id too
        assert not is_protected_victim(conn, "trafficker-1")
        assert victim_label(conn, "case-person-17") == pseudonym
        found = protections(conn, ["case-person-17", "trafficker-1"])
    assert list(found) == ["case-person-17"]
    assert found["case-person-17"].non_punishment is True
    assert found["case-person-17"].compelled_offences == ("online fraud (scam compound)",)


def test_pseudonyms_are_stable_and_not_derived_from_identity(store: Store) -> None:
    with store.begin() as conn:
        first, second = _create(conn), _create(conn)
        again = get_victim(conn, SYSTEM, first).pseudonym
    assert first != second and again == first
    assert first.startswith("V-") and len(first) == 11


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"identified_how": "rumour"}, "identified_how: unknown value 'rumour'"),
        ({"identified_on": "2026-13-01"}, "identified_on: not a date"),
        ({"identified_country": "Narnia"}, "identified_country: unknown country 'Narnia'"),
        ({"needs": "shelter,spa"}, "needs: unknown value 'spa'"),
        ({"sex": "X"}, "sex: unknown sex 'X'"),  # victim records know F, M and U
        ({"personal": {"eye_colour": "brown"}}, "personal data: unknown field 'eye_colour'"),
        (
            {"personal": {"date_of_birth": "12/04/1999"}},
            "date_of_birth: not a date in the form YYYY",
        ),
    ],
)
def test_bad_intake(fields: dict[str, object], message: str) -> None:
    values: dict[str, object] = {
        "identified_on": "2026-05-02",
        "identified_how": "hotline",
        "identified_country": "PH",
        **fields,
    }
    with pytest.raises(InputError, match=message):
        build_intake(**values)  # type: ignore[arg-type]


def test_referral_and_reunification_errors(store: Store) -> None:
    with store.begin() as conn:
        pseudonym = _create(conn)
        _view, ident = refer(conn, OWNER, pseudonym, "medical")
        update_referral(conn, OWNER, pseudonym, ident, "declined")
        with pytest.raises(InputError, match="is declined: it can become nothing"):
            update_referral(conn, OWNER, pseudonym, ident, "accepted")
        with pytest.raises(NotFound, match="has no referral 999"):
            update_referral(conn, OWNER, pseudonym, 999, "accepted")
        with pytest.raises(InputError, match="not linked to a missing-person report"):
            notify_reporting_country(conn, OWNER, pseudonym)
        with pytest.raises(InputError, match="before the person was identified"):
            record_reunification(conn, OWNER, pseudonym, on="2026-01-01", relationship="father")
        with pytest.raises(InputError, match="no active consent to 'interview'"):
            withdraw_consent(conn, OWNER, pseudonym, "interview")
        shelter = add_service(conn, "PH", "shelter", "Haven House")
        with pytest.raises(InputError, match="offers shelter, not medical"):
            refer(conn, OWNER, pseudonym, "medical", service_id=shelter.id)
        with pytest.raises(InputError, match="already lists shelter service"):
            add_service(conn, "PH", "shelter", "Haven House")
        with pytest.raises(NotFound, match="no victim record 'V-0000-0000'"):
            get_victim(conn, OWNER, "V-0000-0000")
        assert [s.name for s in list_services(conn, country_code="Philippines")] == ["Haven House"]
