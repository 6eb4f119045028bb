"""Collections: each dataset an agency holds, with its owner and sharing policy.

The fields follow INTERPOL's Rules on the Processing of Data: data belong to the
country that supplied them, the source decides who may see them, and every
record is reviewed after five years unless renewed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from threadline.exc import InputError
from threadline.primitives.inputs import country_code

REVIEW_PERIOD = timedelta(days=5 * 365 + 1)
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,99}$")


class CollectionKind(StrEnum):
    ADS = "ads"
    NOTICES = "notices"
    TRAVEL_DOCUMENTS = "travel-documents"
    MANIFESTS = "manifests"
    CASE_RECORDS = "case-records"
    MISSING_PERSONS = "missing-persons"
    IDENTIFIED_PERSONS = "identified-persons"
    VICTIMS = "victims"
    OTHER = "other"


class Sharing(StrEnum):
    OWNER = "owner"  # the owning agency only
    COUNTRIES = "countries"  # the owner plus the listed countries
    ALL = "all"  # every member country


@dataclass(frozen=True)
class Collection:
    """A dataset with its owner, sharing policy and review date."""

    name: str
    label: str
    kind: CollectionKind
    owner_agency: str
    owner_country: str
    sharing: Sharing = Sharing.OWNER
    shared_countries: tuple[str, ...] = ()
    watchlist: bool = False
    description: str | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    review_at: datetime | None = None
    id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "label": self.label,
            "kind": self.kind.value,
            "owner_agency": self.owner_agency,
            "owner_country": self.owner_country,
            "sharing": self.sharing.value,
            "shared_countries": list(self.shared_countries),
            "watchlist": self.watchlist,
            "description": self.description,
            "created_at": self.created_at.isoformat(),
            "review_at": self.review_at.isoformat() if self.review_at else None,
        }


def _choice(enum: type[StrEnum], value: str, what: str) -> Any:
    try:
        return enum(value.strip().lower())
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise InputError(f"unknown {what} {value!r}; use one of: {allowed}") from None


def build_collection(
    name: str,
    *,
    kind: str = "other",
    owner_agency: str,
    owner_country: str,
    label: str | None = None,
    sharing: str = "owner",
    shared_countries: list[str] | tuple[str, ...] = (),
    watchlist: bool = False,
    description: str | None = None,
    created_at: datetime | None = None,
    review_at: datetime | None = None,
) -> Collection:
    """Validate user-supplied fields and return a collection (not yet stored)."""
    if not NAME_PATTERN.match(name):
        raise InputError(
            f"invalid collection name {name!r}: use 1-100 lower-case letters, digits, "
            "'-', '_' or '.', starting with a letter or digit"
        )
    country = country_code("owner_country", owner_country)
    if not owner_agency.strip():
        raise InputError("a collection needs an owning agency")
    policy: Sharing = _choice(Sharing, sharing, "sharing policy")
    countries: list[str] = []
    for raw in shared_countries:
        countries.append(country_code("shared_countries", raw))
    if policy is Sharing.COUNTRIES and not countries:
        raise InputError("sharing 'countries' needs at least one listed country")
    if policy is not Sharing.COUNTRIES and countries:
        raise InputError(f"listed countries only apply to sharing 'countries', not {policy}")
    created = created_at or datetime.now(UTC)
    review = review_at or created + REVIEW_PERIOD
    if review <= created:
        raise InputError("the review date must be after the creation date")
    return Collection(
        name=name,
        label=label or name,
        kind=_choice(CollectionKind, kind, "collection kind"),
        owner_agency=owner_agency.strip(),
        owner_country=country,
        sharing=policy,
        shared_countries=tuple(sorted(set(countries))),
        watchlist=watchlist,
        description=description,
        created_at=created,
        review_at=review,
    )
