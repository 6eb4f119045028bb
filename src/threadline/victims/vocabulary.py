"""Controlled vocabularies of victim care (checked on every write, with clear errors)."""

from __future__ import annotations

from collections.abc import Sequence

from threadline.exc import InputError

IDENTIFIED_HOW = ("border", "ad", "raid", "self_referral", "hotline", "referral", "other")
FORMS = (
    "sexual_exploitation",
    "forced_labour",
    "forced_criminality",
    "forced_begging",
    "domestic_servitude",
    "forced_marriage",
    "organ_removal",
    "online_scam_compound",
    "child_exploitation",
    "other",
)
NEEDS = (
    "shelter",
    "medical",
    "psychological",
    "legal_aid",
    "interpretation",
    "repatriation",
    "family_reunification",
    "financial",
    "education",
    "child_protection",
)
SERVICE_KINDS = (
    "shelter",
    "medical",
    "psychological",
    "legal_aid",
    "interpretation",
    "repatriation",
    "family_reunification",
)
CONSENT_SCOPES = (
    "data_processing",
    "information_sharing",
    "referral",
    "interview",
    "repatriation",
    "family_contact",
    "medical_examination",
)
SEXES = ("F", "M", "U")

REQUESTED, ACCEPTED, IN_PROGRESS, COMPLETED, DECLINED = (
    "requested",
    "accepted",
    "in_progress",
    "completed",
    "declined",
)
REFERRAL_STATUSES = (REQUESTED, ACCEPTED, IN_PROGRESS, COMPLETED, DECLINED)
# Which status may follow which: completed and declined are final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    REQUESTED: (ACCEPTED, DECLINED),
    ACCEPTED: (IN_PROGRESS, COMPLETED, DECLINED),
    IN_PROGRESS: (COMPLETED, DECLINED),
    COMPLETED: (),
    DECLINED: (),
}

# A victim record is open while care goes on; closed when it ends (or the record was opened
# by mistake). Closed records are kept, and reopened when care resumes.
OPEN, CLOSED = "open", "closed"
RECORD_STATUSES = (OPEN, CLOSED)
# What ``victims list`` shows: open records by default (a liaison officer's caseload).
LIST_STATUSES = (*RECORD_STATUSES, "all")


def code(field: str, value: str, allowed: tuple[str, ...]) -> str:
    """One code from a vocabulary (case and spacing forgiven), or a clear error."""
    norm = value.strip().lower().replace("-", "_").replace(" ", "_")
    if norm not in allowed:
        raise InputError(f"{field}: unknown value {value!r} (one of {', '.join(allowed)})")
    return norm


def codes(field: str, values: Sequence[str] | str | None, allowed: tuple[str, ...]) -> list[str]:
    """Several codes (a list or a comma-separated string), de-duplicated in order."""
    if values is None:
        return []
    items = values.split(",") if isinstance(values, str) else values
    out: list[str] = []
    for item in items:
        if item.strip():
            norm = code(field, item, allowed)
            if norm not in out:
                out.append(norm)
    return out
