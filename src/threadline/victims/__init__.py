"""Victim-centric care: records apart from any case, consent, referrals, reunification,
closing a record when care ends (never deleting it) and reopening it.

Every read takes an :class:`~threadline.governance.Actor` and returns a
pseudonymised view unless governance lets the actor see the identity. Other
analyses call :func:`victim_shield` (or :func:`protections`) before showing a person.
"""

# The shield over every view lives in governance; victim care re-exports it for its callers.
from threadline.governance.protection import Protection
from threadline.governance.shield import (
    NO_SHIELD,
    PROTECTED_LABEL,
    WITHHELD,
    Shielded,
    VictimShield,
    is_protected_victim,
    linked_entity_ids,
    protections,
    victim_label,
    victim_shield,
)
from threadline.victims import tables as tables  # registers the tables in the metadata
from threadline.victims.care import (
    SupportService,
    add_consent,
    add_service,
    has_consent,
    list_services,
    refer,
    update_referral,
    withdraw_consent,
)
from threadline.victims.closure import close_victim, reopen_victim
from threadline.victims.intake import VictimIntake, build_intake
from threadline.victims.notifications import Notification, acknowledge, inbox, pending_summary
from threadline.victims.records import (
    count_by_operation,
    create_victim,
    get_victim,
    link_entities,
    list_victims,
)
from threadline.victims.reunification import (
    link_missing_report,
    list_notifications,
    notify_reporting_country,
    record_reunification,
)
from threadline.victims.views import VictimView

__all__ = [
    "NO_SHIELD",
    "PROTECTED_LABEL",
    "WITHHELD",
    "Notification",
    "Protection",
    "Shielded",
    "SupportService",
    "VictimIntake",
    "VictimShield",
    "VictimView",
    "acknowledge",
    "add_consent",
    "add_service",
    "build_intake",
    "close_victim",
    "count_by_operation",
    "create_victim",
    "get_victim",
    "has_consent",
    "inbox",
    "is_protected_victim",
    "link_entities",
    "link_missing_report",
    "linked_entity_ids",
    "list_notifications",
    "list_services",
    "list_victims",
    "notify_reporting_country",
    "pending_summary",
    "protections",
    "record_reunification",
    "refer",
    "reopen_victim",
    "update_referral",
    "victim_label",
    "victim_shield",
    "withdraw_consent",
]
