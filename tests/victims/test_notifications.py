"""Reunification notices delivered inside Threadline: the addressed agency's inbox, acknowledged.

Manila's bureau identifies a girl that Sweden's police reported missing. The notice
goes to the agency that owns the report; its users see it (others do not), one of
them acknowledges it (who and when), and the text never holds her data.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from support.population import add, person
from threadline.exc import InputError, NotFound
from threadline.governance import AccessDenied, Actor, Role
from threadline.governance.identity import create_agency
from threadline.governance.tables import audit_event
from threadline.store import Store
from threadline.victims import (
    acknowledge,
    build_intake,
    create_victim,
    get_victim,
    inbox,
    link_missing_report,
    notify_reporting_country,
    pending_summary,
)

OWNER = Actor("ph-liaison", "NCB Manila", "PH", frozenset({Role.VICTIM_LIAISON}))
SE_ANALYST = Actor("se-analyst", "se-police", "SE", frozenset({Role.ANALYST}))
SE_AUDITOR = Actor("se-auditor", "se-police", "SE", frozenset({Role.AUDITOR}))
SE_OTHER = Actor("se-coast", "se-coastguard", "SE", frozenset({Role.ANALYST}))
NO_ANALYST = Actor("no-analyst", "no-police", "NO", frozenset({Role.ANALYST}))
REPORT = "se-missing-2231"
NAME = "Ylva Sandqvist Example"


def _victim(store: Store, *, report_held_in_sweden: bool = True) -> str:
    """Her victim record, linked to Sweden's missing-person report.

    The report is held by Sweden's police; or else (its Swedish owner unknown) only as
    the copy Manila's bureau holds in its own missing-persons collection.
    """
    collection, agency, country = (
        ("se-missing", "se-police", "SE")
        if report_held_in_sweden
        else ("ph-missing", OWNER.agency, OWNER.country)
    )
    add(
        store,
        collection,
        [person(REPORT, NAME, "2009-03-14", "female")],
        kind="missing-persons",
        agency=agency,
        country=country,
    )
    with store.begin() as conn:
        for name, country in (("se-police", "SE"), ("se-coastguard", "SE"), ("no-police", "NO")):
            create_agency(conn, name, country)
        view = create_victim(
            conn,
            OWNER,
            build_intake(
                identified_on="2026-05-02",
                identified_how="border",
                identified_country="PH",
                identified_place="Pier 4, Manila",
                personal={
                    "name": NAME,
                    "date_of_birth": "2009-03-14",
                    "documents": ["SE8812345"],
                    "phones": ["+46 70 174 06 05"],
                },
            ),
        )
        link_missing_report(conn, OWNER, view.pseudonym, REPORT, "SE")
    return view.pseudonym


def test_the_reporting_agency_receives_and_acknowledges(store: Store) -> None:
    pseudonym = _victim(store)
    with store.begin() as conn:
        _view, note_id = notify_reporting_country(conn, OWNER, pseudonym)
        mine, total = inbox(conn, SE_ANALYST)
        others = [inbox(conn, a)[1] for a in (SE_OTHER, NO_ANALYST, OWNER)]
        count, latest = pending_summary(conn, SE_ANALYST)
    assert total == 1 and others == [0, 0, 0]  # the report's owner only
    note = mine[0].to_dict()
    assert note["to"] == {"country": "SE", "agency": "se-police"}
    assert note["from"] == {"agency": "NCB Manila", "country": "PH"}
    assert (note["report"], note["pseudonym"], note["status"]) == (REPORT, pseudonym, "pending")
    assert REPORT in note["message"] and pseudonym in note["message"]
    for value in ("Ylva", "Sandqvist", "2009-03-14", "SE8812345", "174 06 05", "Pier 4"):
        assert value not in note["message"]
    assert note["can_acknowledge"] and (count, latest[0].id) == (1, note_id)
    with store.begin() as conn:
        done = acknowledge(conn, SE_ANALYST, note_id, component="api")
        count, _ = pending_summary(conn, SE_ANALYST)
        acknowledged, _ = inbox(conn, SE_ANALYST, status="acknowledged")
        view = get_victim(conn, OWNER, pseudonym)
    assert (done.status, done.acknowledged_by, count) == ("acknowledged", "se-analyst", 0)
    assert done.acknowledged_at is not None and not done.can_acknowledge
    assert [n.id for n in acknowledged] == [note_id]
    # the sender sees on the record that the reporting agency took it up
    sent = view.to_dict()["notifications"][0]
    assert (sent["status"], sent["acknowledged_by"]) == ("acknowledged", "se-analyst")
    with store.connect() as conn:
        events = conn.execute(
            select(audit_event.c.action, audit_event.c.user, audit_event.c.target_id).where(
                audit_event.c.action.like("notification.%")
            )
        ).all()
    assert ("notification.acknowledge", "se-analyst", str(note_id)) in events
    assert ("notification.list", "se-analyst", None) in events


def test_without_a_known_owner_every_agency_of_the_country_receives_it(store: Store) -> None:
    pseudonym = _victim(store, report_held_in_sweden=False)
    with store.begin() as conn:
        _view, note_id = notify_reporting_country(conn, OWNER, pseudonym)
        seen = {a.user: inbox(conn, a)[1] for a in (SE_ANALYST, SE_OTHER, NO_ANALYST)}
        named = notify_reporting_country(conn, OWNER, pseudonym, to_agency="se-coastguard")[1]
        coast = [n.id for n in inbox(conn, SE_OTHER)[0]]
        police = [n.id for n in inbox(conn, SE_ANALYST)[0]]
    assert seen == {"se-analyst": 1, "se-coast": 1, "no-analyst": 0}
    assert coast == [named, note_id] and police == [note_id]


def test_who_may_not_acknowledge(store: Store) -> None:
    pseudonym = _victim(store)
    with store.begin() as conn:
        note_id = notify_reporting_country(conn, OWNER, pseudonym)[1]
    with store.begin() as conn, pytest.raises(NotFound, match=f"no notification {note_id}"):
        acknowledge(conn, NO_ANALYST, note_id)
    with store.begin() as conn, pytest.raises(NotFound):
        acknowledge(conn, SE_OTHER, note_id)  # addressed to the report's owner, not to them
    with store.begin() as conn, pytest.raises(AccessDenied, match="auditors read"):
        acknowledge(conn, SE_AUDITOR, note_id)
    with store.begin() as conn:
        assert inbox(conn, SE_AUDITOR)[1] == 1  # but they read it
        acknowledge(conn, SE_ANALYST, note_id)
    with store.begin() as conn, pytest.raises(InputError, match="already acknowledged by se-"):
        acknowledge(conn, SE_ANALYST, note_id)


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ("Found: Ylva is safe", "name"),
        ("born 2009-03-14, please confirm", "date of birth"),
        ("passport se8812345 recovered", "documents"),
        ("call her at 070-174 06 05", "phones"),
        ("she was found at pier 4, manila", "identified place"),
    ],
)
def test_a_message_with_her_data_is_refused(store: Store, message: str, field: str) -> None:
    pseudonym = _victim(store)
    with store.begin() as conn, pytest.raises(InputError, match=f"the person's {field};"):
        notify_reporting_country(conn, OWNER, pseudonym, message=message)


def test_bad_addressee_and_status(store: Store) -> None:
    pseudonym = _victim(store)
    with store.begin() as conn, pytest.raises(InputError, match="no agency 'no-police' is"):
        notify_reporting_country(conn, OWNER, pseudonym, to_agency="no-police")
    with store.begin() as conn, pytest.raises(InputError, match="status: unknown value 'sent'"):
        inbox(conn, SE_ANALYST, status="sent")
    with store.begin() as conn:
        note_id = notify_reporting_country(conn, OWNER, pseudonym, message="Safe; see record.")[1]
        assert inbox(conn, SE_ANALYST)[0][0].message == "Safe; see record."
        assert note_id
