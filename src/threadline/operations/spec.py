"""Building an operation's definition from options or a YAML file, with clear errors."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from threadline.exc import InputError
from threadline.operations.metrics import FOCUS_VALUES
from threadline.primitives.inputs import country_code, full_date

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


@dataclass(frozen=True)
class Participant:
    """A participating country and the agency that is its contact point."""

    country: str
    contact_agency: str

    def to_dict(self) -> dict[str, str]:
        return {"country": self.country, "contact_agency": self.contact_agency}


@dataclass(frozen=True)
class OperationSpec:
    """What defines a coordinated operation."""

    code: str
    name: str
    start: date
    end: date
    participants: tuple[Participant, ...]
    edition: str | None = None
    coordinators: tuple[str, ...] = ()
    focus: tuple[str, ...] = ()
    hotspots: tuple[str, ...] = ()
    border_points: tuple[str, ...] = ()
    description: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def parse_date(name: str, value: Any) -> date:
    """A calendar date from ``YYYY-MM-DD`` (or a date already)."""
    return full_date(name, value)


def parse_country(name: str, value: str) -> str:
    return country_code(name, value)


def _split(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else [str(v) for v in value]
    return tuple(i.strip() for i in items if i.strip())


def parse_participants(value: str | Sequence[Any] | Mapping[str, Any]) -> tuple[Participant, ...]:
    """Countries as ``FR,ES`` or ``FR=OCRTEH,ES=UCRIF`` or a list/mapping from a file."""
    pairs: list[tuple[str, str | None]] = []
    if isinstance(value, Mapping):
        pairs = [(str(k), str(v) if v else None) for k, v in value.items()]
    elif isinstance(value, str):
        for item in _split(value):
            country, _, agency = item.partition("=")
            pairs.append((country, agency.strip() or None))
    else:
        for item in value:
            if isinstance(item, Mapping):
                contact = item.get("contact_agency") or item.get("agency")
                pairs.append((str(item.get("country", "")), str(contact) if contact else None))
            else:
                country, _, text = str(item).partition("=")
                pairs.append((country, text.strip() or None))
    seen: dict[str, Participant] = {}
    for raw, contact_agency in pairs:
        code = parse_country("countries", raw)
        if code in seen:
            raise InputError(f"countries: {code} is listed twice")
        seen[code] = Participant(code, contact_agency or f"NCB {code}")
    if not seen:
        raise InputError("countries: an operation needs at least one participating country")
    return tuple(seen.values())


def parse_focus(value: str | Sequence[str] | None) -> tuple[str, ...]:
    out = []
    for item in _split(value):
        code = item.lower().replace("-", "_").replace(" ", "_")
        if code not in FOCUS_VALUES:
            raise InputError(f"focus: unknown value {item!r} (one of {', '.join(FOCUS_VALUES)})")
        out.append(code)
    return tuple(out)


def build_spec(
    code: str,
    *,
    name: str | None,
    start: Any,
    end: Any,
    countries: Any,
    edition: str | None = None,
    coordinators: Any = None,
    focus: Any = None,
    hotspots: Any = None,
    border_points: Any = None,
    description: str | None = None,
) -> OperationSpec:
    """Validate every field of an operation definition."""
    if not CODE_PATTERN.match(code or ""):
        raise InputError(f"code: {code!r} is not a valid operation code (letters, digits, - _ .)")
    if start is None or end is None:
        raise InputError("an operation needs a start and an end date (YYYY-MM-DD)")
    first, last = parse_date("start", start), parse_date("end", end)
    if last < first:
        raise InputError(f"end: {last} is before the start {first}")
    if countries is None:
        raise InputError("countries: an operation needs at least one participating country")
    return OperationSpec(
        code=code,
        name=(name or code).strip(),
        edition=str(edition) if edition is not None else None,
        start=first,
        end=last,
        participants=parse_participants(countries),
        coordinators=_split(coordinators),
        focus=parse_focus(focus),
        hotspots=_split(hotspots),
        border_points=_split(border_points),
        description=description,
    )


FILE_KEYS = {
    "code",
    "name",
    "edition",
    "start",
    "end",
    "countries",
    "coordinators",
    "focus",
    "hotspots",
    "border_points",
    "description",
}


def read_spec(path: Path, **overrides: Any) -> OperationSpec:
    """An operation definition from a YAML (or JSON) file; options override file values."""
    import yaml

    if not path.is_file():
        raise InputError(f"no such file: {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping of operation fields")
    unknown = sorted(set(data) - FILE_KEYS)
    if unknown:
        raise InputError(
            f"{path}: unknown field {unknown[0]!r} (known: {', '.join(sorted(FILE_KEYS))})"
        )
    data.update({k: v for k, v in overrides.items() if v is not None})
    code = data.pop("code", None)
    if code is None:
        raise InputError(f"{path}: the operation needs a 'code'")
    try:
        return build_spec(str(code), **data)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
