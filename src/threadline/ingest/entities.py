"""Building FtM entities from raw values without losing or silently dropping any."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from followthemoney import model
from followthemoney.property import Property
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from threadline.ingest.base import RecordError

ORIGINALS = "originals"  # entity.context key: {(prop, cleaned): raw} where cleaning changed it
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
    """A cleaned entity; raises RecordError naming the first value FtM cannot accept."""
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
        if prop is None:
            raise RecordError(f"schema {schema.name} has no property {name!r}")
        if prop.stub:
            continue  # reverse side of a relationship: stated on the other entity
        for raw in _values(properties[name]):
            add_value(entity, prop, raw, originals)
    if originals:
        entity.context[ORIGINALS] = originals
    return entity


def add_value(
    entity: EntityProxy, prop: Property, raw: Any, originals: dict[tuple[str, str], str]
) -> None:
    """Clean one value and add it, or raise RecordError saying why it is unusable."""
    if isinstance(raw, dict | list):
        raise RecordError(f"property {prop.name!r}: nested value {str(raw)[:60]!r}")
    text = str(raw)
    cleaned = clean_value(prop, text, entity)
    if cleaned is None:
        raise RecordError(
            f"property {prop.name!r}: {text[:80]!r} is not a valid {prop.type.name}"
            + (" (add a country so the number can be read)" if prop.type.name == "phone" else "")
        )
    entity.unsafe_add(prop, cleaned, cleaned=True)
    if cleaned != text:
        originals[(prop.name, cleaned)] = text


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
    return cleaned


def fiction_phone(entity: EntityProxy, text: str) -> str | None:
    """A number in a range reserved for fiction (training data), else None."""
    from threadline.primitives.phones import is_fiction, normalise_phone

    for region in [None, *sorted(entity.country_hints)]:
        number = normalise_phone(text, region)
        if number is not None and is_fiction(number):
            return number
    return None
