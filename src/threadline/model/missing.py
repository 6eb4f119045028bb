"""Which records are missing-person reports: one rule for every analysis that needs it.

A *missing-person report* is a Person entity that is either in a collection of kind
``missing-persons``, or in a collection of kind ``notices`` and marked as a yellow notice
or a missing person: a ``notes``, ``summary``, ``description``, ``keywords`` or
``program`` value that says "yellow notice" or "missing", or a ``sourceUrl`` with
``/yellow/`` in it. Tracing matches such reports against sightings; networks count the
person a report is about as a possible victim, never as a key actor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from followthemoney.proxy import EntityProxy

from threadline.model.collections import CollectionKind

MARKERS = re.compile(r"yellow[\s-]*notice|notice:yellow|\bmissing\b", re.IGNORECASE)
MARKER_PROPS = ("notes", "summary", "description", "keywords", "program")
MARKED_PROPS = (*MARKER_PROPS, "sourceUrl")  # every property the rule reads


def marks_missing(values: Mapping[str, Iterable[str]]) -> bool:
    """Whether a notice's values (by property) mark it as a yellow notice or a missing person."""
    for prop in MARKER_PROPS:
        if any(MARKERS.search(v) for v in values.get(prop, ())):
            return True
    return any("/yellow/" in v for v in values.get("sourceUrl", ()))


def is_missing_report(entity: EntityProxy, kind: CollectionKind | str | None) -> bool:
    """Whether a Person entity in a collection of ``kind`` is a missing-person report."""
    if not entity.schema.is_a("Person"):
        return False
    if kind == CollectionKind.MISSING_PERSONS:
        return True
    if kind != CollectionKind.NOTICES:
        return False
    return marks_missing({p: entity.get(p, quiet=True) for p in MARKED_PROPS})
