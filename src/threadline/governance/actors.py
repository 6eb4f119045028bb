"""Actors (users acting for an agency of a country), their roles and query purposes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    ANALYST = "analyst"
    BORDER_OFFICER = "border_officer"
    OPERATION_COORDINATOR = "operation_coordinator"
    VICTIM_LIAISON = "victim_liaison"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"


class Channel(StrEnum):
    """How the actor reached Threadline; recorded with every audit event."""

    CLI = "cli"  # a command on the server console
    API = "api"  # a REST request with an API token
    WEB = "web"  # a page or form in a signed-in browser session
    SYSTEM = "system"  # the platform's own processes (workers, batch analyses, library calls)


class Purpose(StrEnum):
    """Why person data is queried (INTERPOL's rules bind processing to stated purposes)."""

    INVESTIGATION = "investigation"
    BORDER_CHECK = "border_check"
    VICTIM_IDENTIFICATION = "victim_identification"
    OPERATION = "operation"
    AUDIT = "audit"


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user of an agency of a country, with roles.

    ``purpose`` and ``reference`` (case or operation reference) travel with a
    person query so the audit log can record why it was made.
    """

    user: str
    agency: str
    country: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    purpose: Purpose | None = None
    reference: str | None = None
    system: bool = False  # the platform itself (ingestion, scheduled analyses)
    channel: Channel = Channel.SYSTEM  # the interfaces set theirs (api, web, cli)

    def has(self, role: Role) -> bool:
        return role in self.roles

    def for_purpose(self, purpose: Purpose | str, reference: str | None = None) -> Actor:
        return replace(self, purpose=Purpose(purpose), reference=reference)

    def via(self, channel: Channel) -> Actor:
        """The same actor, reaching Threadline through this channel."""
        return replace(self, channel=channel)

    def to_dict(self) -> dict[str, Any]:
        return {
            "user": self.user,
            "agency": self.agency,
            "country": self.country,
            "roles": sorted(r.value for r in self.roles),
            "purpose": self.purpose.value if self.purpose else None,
            "reference": self.reference,
            "channel": self.channel.value,
        }


# The platform acting on its own behalf (ingestion, batch analyses): sees everything,
# and its work is attributed to "system" in provenance and audit.
SYSTEM = Actor(
    user="system",
    agency="threadline",
    country="XK",
    roles=frozenset({Role.ADMINISTRATOR}),
    system=True,
)
