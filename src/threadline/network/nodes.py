"""Node keys: entity ids as they are, pivot selectors and derived nodes behind a prefix.

An entity node's key is its entity id, so a network's members are plain entity
ids. Every other node starts with ``~`` (``~phone:+447700900123``,
``~persona:N0001-S1``), which FtM ids never do.
"""

from __future__ import annotations

import re

DERIVED = "~"

# (schema, property) pairs whose values are pivots although FtM types them plainly.
NAMED_SELECTORS: dict[tuple[str, str], str] = {
    ("UserAccount", "username"): "handle",
    ("CryptoWallet", "publicKey"): "wallet",
    ("Passport", "number"): "document",
    ("Identification", "number"): "document",
    ("Person", "passportNumber"): "document",  # manifests name the passport on the person
}

# FtM property types that pivot (``prop.type.pivot``) and link the entities sharing a value.
SELECTOR_TYPES: dict[str, str] = {
    "phone": "phone",
    "email": "email",
    "identifier": "identifier",
    "iban": "iban",
    "checksum": "image_hash",
    "url": "url",
    "address": "address",
}

_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
_ID_NOISE = re.compile(r"[\s\-./]")


def selector_kind(schema: str, prop: str, prop_type: str) -> str | None:
    """The selector kind of a property value, or None when it links nothing."""
    named = NAMED_SELECTORS.get((schema, prop))
    if named is not None:
        return named
    return SELECTOR_TYPES.get(prop_type)


def normalise(kind: str, value: str) -> str:
    """One spelling per selector, so that the same phone or handle is one node."""
    text = value.strip()
    if kind in ("email", "url"):
        return text.lower().rstrip("/")
    if kind == "handle":
        return text.lower().lstrip("@")
    if kind in ("document", "identifier", "iban"):
        return _ID_NOISE.sub("", text).upper()
    if kind == "address":
        return _SPACE.sub(" ", text.lower())
    if kind == "phone":
        return _SPACE.sub("", text)
    return text


def selector_key(kind: str, value: str) -> str:
    return f"{DERIVED}{kind}:{normalise(kind, value)}"


def persona_key(persona_id: str) -> str:
    return f"{DERIVED}persona:{persona_id}"


def is_entity(key: str) -> bool:
    return not key.startswith(DERIVED)


def node_kind(key: str) -> str:
    """``entity``, ``persona`` or the selector kind."""
    if is_entity(key):
        return "entity"
    return key[1:].split(":", 1)[0]


def node_value(key: str) -> str:
    """What a derived node stands for (the phone number, the persona id)."""
    return key if is_entity(key) else key[1:].split(":", 1)[1]


def is_locality(address: str) -> bool:
    """An address that names a place (a city, an airport, a region), not premises.

    Premises carry a number: a house or flat number, a postcode, a PO box. Without
    one an address is where many unrelated people live, advertise or pass through
    ("London, GB", "DSS airport"), so sharing it is no evidence of a link.
    """
    return _DIGIT.search(address) is None
