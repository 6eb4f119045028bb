"""``threadline victims show``: one victim record as readable sections.

Everything the view holds is printed, and nothing more: the view is already
pseudonymised for an actor who may not see the identity (no personal data, no
linked entity ids, no report id, no reasons typed by staff), so a section then
says what is withheld instead of leaving it out silently. Text typed by people
is printed as is (``markup=False``): a reason in brackets is never styling.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from threadline.cli.output import console, shown

if TYPE_CHECKING:
    from threadline.victims import VictimView

IDENTIFICATION = (
    "sex",
    "minor",
    "nationality",
    "language",
    "operation",
    "forms",
    "needs",
    "created_by",
    "created_at",
)


def _line(text: str) -> None:
    console.print(text, markup=False)


def _section(title: str) -> None:
    console.print()
    _line(title)


def _field(name: str, value: Any) -> None:
    _line(f"  {name.replace('_', ' ')}: {shown(value)}")


def print_record(view: VictimView) -> None:
    """Print the record: header and status, person, identification, then care."""
    data = view.to_dict()
    _line(f"{view.pseudonym} ({view.owner_agency}, {view.owner_country})")
    _status(data)
    _line(
        "Identity: shown" if view.identity_visible else f"Identity: hidden ({view.access_reason})"
    )
    if view.personal is not None:
        _section("Person")
        for key, value in view.personal.items():
            _line(f"  {key.replace('_', ' ')}: {shown(value)}")
        if not view.personal:
            _line("  no personal data recorded")
    _identification(data)
    _consents(data["consents"])
    _referrals(data["referrals"])
    _links(view, data)
    _notifications(data["notifications"])
    _reunifications(data["reunifications"])
    _history(data["status_timeline"])


def _status(data: dict[str, Any]) -> None:
    if data["status"] != "closed":
        _line("Status: open")
        return
    reason = f": {data['closed_reason']}" if data.get("closed_reason") else ""
    _line(f"Status: closed {shown(data['closed_at'])} by {data['closed_by']}{reason}")


def _identification(data: dict[str, Any]) -> None:
    _section("Identification")
    place = f", {data['identified_place']}" if data.get("identified_place") else ""
    _line(
        f"  identified {data['identified_on']} in {data['identified_country']}{place} "
        f"({data['identified_how'].replace('_', ' ')})"
    )
    for key in IDENTIFICATION:
        _field(key, data[key])
    if data["non_punishment"]:
        offences = data["compelled_offences"]
        _line(f"  non-punishment: {shown(offences) if offences else 'yes'}")


def _consents(consents: list[dict[str, Any]]) -> None:
    _section("Consent")
    for c in consents:
        state = (
            f"withdrawn {shown(c['withdrawn_at'])} by {c['withdrawn_by']}"
            if c["withdrawn_at"]
            else "active"
        )
        note = f"; note: {c['note']}" if c["note"] else ""
        given = f"given {shown(c['given_at'])}, recorded by {c['recorded_by']}"
        _line(f"  {c['scope']}: {given} ({state}){note}")
    if not consents:
        _line("  none recorded")


def _referrals(referrals: list[dict[str, Any]]) -> None:
    _section("Referrals")
    for r in referrals:
        service = r["service"]
        to = f" to {service['name']} ({service['country']})" if service else ""
        steps = " → ".join(e["status"] for e in r["timeline"])
        _line(f"  referral {r['id']} {r['kind']}{to}: {steps}")
        for e in r["timeline"]:
            note = f": {e['note']}" if e["note"] else ""
            _line(f"    {shown(e['at'])} {e['status']} by {e['by']}{note}")
    if not referrals:
        _line("  none")


def _links(view: VictimView, data: dict[str, Any]) -> None:
    _section("Linked entities")
    if view.identity_visible:
        _line(f"  {', '.join(data['entity_ids']) or 'none linked'}")
    else:
        _line(f"  {data['linked_entities']} linked (ids withheld)")
    _section("Missing-person report")
    report = data.get("missing_report")
    if report:
        _line(f"  {report['id']} ({report['country']})")
    elif data["missing_report_linked"]:
        _line("  linked (report withheld)")
    else:
        _line("  none linked")


def _notifications(notifications: list[dict[str, Any]]) -> None:
    _section("Notifications")
    for n in notifications:
        to = f"{n['agency']} ({n['country']})" if n["agency"] else n["country"]
        by = (
            f" by {n['acknowledged_by']} {shown(n['acknowledged_at'])}"
            if n["acknowledged_by"]
            else ""
        )
        sent = f"sent {shown(n['created_at'])} by {n['created_by']}"
        _line(f"  notification {n['id']} to {to}, {sent}: {n['status']}{by}")
    if not notifications:
        _line("  none sent")


def _reunifications(reunifications: list[dict[str, Any]]) -> None:
    _section("Reunification")
    for u in reunifications:
        whom = (
            f"{u['with_whom']} ({u['relationship']})" if u.get("with_whom") else u["relationship"]
        )
        where = f" in {u['country']}" if u["country"] else ""
        _line(f"  reunited {u['date']} with {whom}{where}, recorded by {u['recorded_by']}")
    if not reunifications:
        _line("  not reunited yet")


def _history(steps: list[dict[str, Any]]) -> None:
    _section("Status history")
    for s in steps:
        reason = f": {s['reason']}" if s.get("reason") else ""
        verb = "closed" if s["status"] == "closed" else "reopened"
        _line(f"  {shown(s['at'])} {verb} by {s['by']}{reason}")
    if not steps:
        _line("  open since it was created")
