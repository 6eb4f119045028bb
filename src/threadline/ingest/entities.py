"""Building FtM entities from raw values without losing or silently dropping any."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import orjson
from followthemoney import model
from followthemoney.property import Property
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from threadline.ingest.base import RecordError
from threadline.store.statements import (
    ENTITY_FIELDS,
    ENTITY_FIRST,
    ENTITY_FLAGS,
    ENTITY_LAST,
    ENTITY_LISTS,
)

ORIGINALS = "originals"  # entity.context key: {(prop, cleaned): raw} where cleaning changed it
REJECTED = "rejected_values"  # entity.context key: reasons of values left out of the entity
LEFT_OUT = "value left out, entity kept"
MAX_ID_LENGTH = 255

# Country-like properties go first so phone numbers can use them as region hints.
_FIRST_TYPES = (registry.country,)


def _ordered(schema_props: Mapping[str, Property], names: Iterable[str]) -> list[str]:
    names = list(names)
    first = [n for n in names if n in schema_props and schema_props[n].type in _FIRST_TYPES]
    if not first:
        return names
    return first + [n for n in names if n not in first]


_CONTROL = re.compile(r"[\x00-\x1f]")


def _values(raw: Any) -> list[Any]:
    if raw is None:
        return []
    if isinstance(raw, list | tuple):
        return [v for v in raw if v is not None and v != ""]
    return [raw] if raw != "" else []


def build_entity(schema_name: Any, entity_id: Any, properties: Any) -> EntityProxy:
    """A cleaned entity with every value FtM accepts.

    Raises RecordError when there is no entity to keep (no schema, no id). A value that
    is not valid for its property, or a property the schema lacks, is left out alone
    and said so with :func:`reject_value`; the entity keeps its other values.
    """
    if not isinstance(schema_name, str) or not schema_name:
        raise RecordError("missing 'schema'")
    schema = model.get(schema_name)
    if schema is None:
        raise RecordError(f"unknown schema {schema_name!r}")
    if schema.abstract:
        raise RecordError(f"schema {schema_name!r} is abstract; use a concrete one")
    if not isinstance(entity_id, str) or not entity_id.strip():
        raise RecordError("missing 'id'")
    if len(entity_id) > MAX_ID_LENGTH:
        raise RecordError(f"id longer than {MAX_ID_LENGTH} characters")
    if _CONTROL.search(entity_id):
        raise RecordError("id contains control characters")
    if properties is None:
        properties = {}
    if not isinstance(properties, dict):
        raise RecordError("'properties' must be an object of property names to value lists")
    entity = model.make_entity(schema)
    entity.id = entity_id.strip()
    originals: dict[tuple[str, str], str] = {}
    for name in _ordered(schema.properties, properties.keys()):
        prop = schema.get(name)
        for raw in _values(properties[name]):
            if prop is None:
                problem = f": schema {schema.name} has no such property"
                reject_value(entity, value_reason(entity, name, raw, problem))
            elif prop.stub:
                problem = "is the reverse side of a relationship; state it on the other entity"
                reject_value(entity, value_reason(entity, name, raw, problem))
            else:
                keep_value(entity, prop, raw, originals)
    if originals:
        entity.context[ORIGINALS] = originals
    return entity


def reject_value(entity: EntityProxy, reason: str) -> None:
    """Note a value left out of an entity that is kept; the job reports it with its record."""
    entity.context.setdefault(REJECTED, []).append(reason)


def value_reason(entity: EntityProxy, prop: str, raw: Any, problem: str) -> str:
    """The rejection line of one value: entity, property, value and why."""
    gap = "" if problem.startswith(":") else " "
    return f"entity {entity.id!r}: {prop} {_shown(raw)[:80]!r}{gap}{problem}; {LEFT_OUT}"


def add_value(
    entity: EntityProxy, prop: Property, raw: Any, originals: dict[tuple[str, str], str]
) -> None:
    """Clean one value and add it, or raise RecordError saying why it is unusable.

    For a reader that decides itself what a bad value costs; :func:`keep_value` leaves
    the value out alone instead.
    """
    problem = _add(entity, prop, raw, originals)
    if problem is not None:
        raise RecordError(f"property {prop.name!r}: {_shown(raw)[:80]!r} {problem}")


def keep_value(
    entity: EntityProxy, prop: Property, raw: Any, originals: dict[tuple[str, str], str]
) -> bool:
    """Clean one value and add it; a value FtM cannot use is left out with its reason."""
    problem = _add(entity, prop, raw, originals)
    if problem is not None:
        reject_value(entity, value_reason(entity, prop.name, raw, problem))
    return problem is None


def _add(
    entity: EntityProxy, prop: Property, raw: Any, originals: dict[tuple[str, str], str]
) -> str | None:
    """Add the cleaned value (or the values one text holds); else why it cannot be added."""
    if isinstance(raw, dict | list):
        return "is nested, not a value"
    text = str(raw)
    cleaned = clean_value(prop, text, entity)
    if cleaned is None:
        parts = split_value(prop, text, entity)
        if not parts:
            hint = " (add a country so the number can be read)" if prop.type.name == "phone" else ""
            return f"is not a valid {prop.type.name}{hint}"
        for part in parts:
            entity.unsafe_add(prop, part, cleaned=True)
            originals[(prop.name, part)] = text
        return None
    entity.unsafe_add(prop, cleaned, cleaned=True)
    if cleaned != text:
        originals[(prop.name, cleaned)] = text
    return None


def _shown(raw: Any) -> str:
    return raw if isinstance(raw, str) else orjson.dumps(raw).decode("utf-8", "replace")


def entity_fields(entity: EntityProxy, data: dict[str, Any]) -> None:
    """Keep the entity-level fields of an FtM record (``datasets``, ``first_seen``, ...).

    A field of the wrong shape is left out alone, with its reason.
    """
    if ENTITY_FIELDS.isdisjoint(data):  # most entities: one cheap test, on the hot path
        return
    for name in ENTITY_LISTS:
        if data.get(name) is None:
            continue
        raw = data[name]
        if not isinstance(raw, list):
            reject_value(entity, value_reason(entity, name, raw, "must be a list of names"))
            continue
        good = [v.strip() for v in raw if isinstance(v, str) and v.strip()]
        for bad in (v for v in raw if not isinstance(v, str) or not v.strip()):
            reject_value(entity, value_reason(entity, name, bad, "is not a name"))
        if good:
            entity.context[name] = sorted(set(good))
    for name in ENTITY_FIRST + ENTITY_LAST:
        raw = data.get(name)
        if raw is None:
            continue
        if isinstance(raw, str) and _timestamp(raw):
            entity.context[name] = raw.strip()
        else:
            reject_value(entity, value_reason(entity, name, raw, "is not an ISO 8601 time"))
    for name in ENTITY_FLAGS:
        raw = data.get(name)
        if raw is None:
            continue
        if isinstance(raw, bool):
            entity.context[name] = raw
        else:
            reject_value(entity, value_reason(entity, name, raw, "is not true or false"))


def _timestamp(text: str) -> bool:
    try:
        datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


# Several phones or emails written into one value ("+7 3412 43-05-05; +7 951 210-81-28").
_SPLIT_TYPES = {registry.phone.name, registry.email.name}
_SEPARATORS = re.compile(r"\s*[;,/|]\s*|\s+(?:or|and|или|и|ou|et|o|y)\s+")


def split_value(prop: Property, text: str, entity: EntityProxy) -> list[str]:
    """The cleaned parts of a value that holds several phones or emails, if every part is one."""
    if prop.type.name not in _SPLIT_TYPES:
        return []
    pieces = [p for p in _SEPARATORS.split(text) if p.strip()]
    if len(pieces) < 2:
        return []
    cleaned = [clean_value(prop, piece, entity) for piece in pieces]
    if any(c is None for c in cleaned):
        return []
    return list(dict.fromkeys(c for c in cleaned if c is not None))


_CACHE: dict[tuple[str, str, tuple[str, ...]], str | None] = {}
_CACHE_LIMIT = 200_000
# Types whose cleaning reads the entity (phone numbers use its countries as region hints).
_CONTEXTUAL = {registry.phone.name}


def clean_value(
    prop: Property, text: str, entity: EntityProxy, fmt: str | None = None
) -> str | None:
    """FtM's cleaning of one value, memoised: the same raw value cleans the same way."""
    if fmt is not None:
        return _clean_uncached(prop, text, entity, fmt)
    hints = tuple(sorted(entity.country_hints)) if prop.type.name in _CONTEXTUAL else ()
    key = (prop.type.name, text, hints)
    try:
        return _CACHE[key]
    except KeyError:
        pass
    cleaned = _clean_uncached(prop, text, entity, None)
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[key] = cleaned
    return cleaned


def _clean_uncached(prop: Property, text: str, entity: EntityProxy, fmt: str | None) -> str | None:
    cleaned = prop.type.clean(text, proxy=entity, format=fmt)
    if cleaned is None and prop.type is registry.phone:
        cleaned = fiction_phone(entity, text)
    if cleaned is None and prop.type is registry.language:
        cleaned = any_language(text)
    return cleaned


def any_language(text: str) -> str | None:
    """An ISO 639-3 code for any ISO 639 language code (``LIN``, ``lin``, ``ln`` -> ``lin``).

    FollowTheMoney's language type accepts only a short list of languages; a person
    who speaks Lingala or Wolof must not lose that, so every ISO 639 language is kept.
    """
    from rigour.langs import iso_639_alpha3

    code = iso_639_alpha3(text.strip())
    return code if isinstance(code, str) and len(code) == 3 else None


def fiction_phone(entity: EntityProxy, text: str) -> str | None:
    """A number in a range reserved for fiction (training data), else None."""
    from threadline.primitives.phones import is_fiction, normalise_phone

    for region in [None, *sorted(entity.country_hints)]:
        number = normalise_phone(text, region)
        if number is not None and is_fiction(number):
            return number
    return None
