"""A notification to Sweden's bureau: Manila identified a girl the bureau reported missing."""

from __future__ import annotations

from support.population import add, person
from threadline.governance import Actor, Role
from threadline.store import Store
from threadline.victims import (
    build_intake,
    create_victim,
    link_missing_report,
    notify_reporting_country,
)

SENDER = Actor("ph-liaison", "NCB Manila", "PH", frozenset({Role.VICTIM_LIAISON}))
REPORT = "se-missing-2231"
NAME = "Ylva Sandqvist Example"


def notify(store: Store, agency: str, country: str = "SE") -> tuple[str, int]:
    """The victim record (pseudonym) and the notification id sent to ``agency``."""
    add(
        store,
        "missing",
        [person(REPORT, NAME, "2009-03-14", "female")],
        kind="missing-persons",
        agency=agency,
        country=country,
    )
    with store.begin() as conn:
        view = create_victim(
            conn,
            SENDER,
            build_intake(
                identified_on="2026-05-02",
                identified_how="border",
                identified_country="PH",
                personal={"name": NAME, "documents": ["SE8812345"]},
            ),
        )
        link_missing_report(conn, SENDER, view.pseudonym, REPORT, country)
        note_id = notify_reporting_country(conn, SENDER, view.pseudonym)[1]
    return view.pseudonym, note_id
