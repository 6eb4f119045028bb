"""A victim record's content at identification, validated field by field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from threadline.exc import InputError
from threadline.primitives.inputs import (
    country_code,
    full_date,
    language_code,
    partial_date,
    sex_code,
)
from threadline.victims.vocabulary import FORMS, IDENTIFIED_HOW, NEEDS, SEXES, code, codes

# Everything that identifies the person: kept only in ``victim.personal``.
PERSONAL_FIELDS = (
    "name",
    "other_names",
    "date_of_birth",
    "documents",
    "phones",
    "emails",
    "address",
)


@dataclass(frozen=True)
class VictimIntake:
    """What is recorded when a person is identified as a (presumed) victim."""

    identified_on: date
    identified_how: str
    identified_country: str
    identified_place: str | None = None
    sex: str | None = None
    minor: bool | None = None
    nationality: str | None = None
    operation: str | None = None
    forms: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    language: str | None = None
    personal: dict[str, Any] = field(default_factory=dict)
    entity_ids: tuple[str, ...] = ()
    non_punishment: bool = False
    compelled_offences: tuple[str, ...] = ()


def parse_day(name: str, value: Any, *, past: bool = False) -> date:
    """A full date (``YYYY-MM-DD``); with ``past``, not after today."""
    return full_date(name, value, past=past)


def country(name: str, value: str | None, *, required: bool = False) -> str | None:
    if value is None or not str(value).strip():
        if required:
            raise InputError(f"{name}: a country is required")
        return None
    return country_code(name, str(value))


def _texts(values: Sequence[str] | str | None) -> list[str]:
    if values is None:
        return []
    items = [values] if isinstance(values, str) else list(values)
    return [v.strip() for v in items if v and v.strip()]


def clean_personal(raw: dict[str, Any]) -> dict[str, Any]:
    """Personal data: only known fields; lists stay lists; a birth date may be partial."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in PERSONAL_FIELDS:
            raise InputError(
                f"personal data: unknown field {key!r} (one of {', '.join(PERSONAL_FIELDS)})"
            )
        if value in (None, "", [], ()):
            continue
        if key == "date_of_birth":  # may be partial, never impossible or in the future
            if str(value).strip():
                out[key] = str(partial_date(key, value, past=True))
        elif key in ("other_names", "documents", "phones", "emails"):
            out[key] = _texts(value)
        else:
            out[key] = str(value).strip()
    return out


def build_intake(
    *,
    identified_on: Any,
    identified_how: str,
    identified_country: str | None,
    identified_place: str | None = None,
    sex: str | None = None,
    minor: bool | None = None,
    nationality: str | None = None,
    operation: str | None = None,
    forms: Sequence[str] | str | None = None,
    needs: Sequence[str] | str | None = None,
    language: str | None = None,
    personal: dict[str, Any] | None = None,
    entity_ids: Sequence[str] | None = None,
    non_punishment: bool = False,
    compelled_offences: Sequence[str] | None = None,
) -> VictimIntake:
    """Validate every field; raises ``InputError`` naming the first bad one.

    The operation code is checked against the stored operations when the record is
    created (:func:`threadline.victims.records.create_victim`), which has the store.
    """
    offences = _texts(compelled_offences)
    if offences and not non_punishment:
        non_punishment = True  # naming compelled offences is asking for their protection
    return VictimIntake(
        identified_on=parse_day("identified_on", identified_on, past=True),
        identified_how=code("identified_how", identified_how, IDENTIFIED_HOW),
        identified_country=country("identified_country", identified_country, required=True) or "",
        identified_place=(identified_place or "").strip() or None,
        sex=sex_code("sex", sex, allowed=SEXES) if sex and sex.strip() else None,
        minor=minor,
        nationality=country("nationality", nationality),
        operation=(operation or "").strip() or None,
        forms=tuple(codes("forms", forms, FORMS)),
        needs=tuple(codes("needs", needs, NEEDS)),
        language=language_code("language", language) if language and language.strip() else None,
        personal=clean_personal(personal or {}),
        entity_ids=tuple(_texts(entity_ids)),
        non_punishment=non_punishment,
        compelled_offences=tuple(offences),
    )
