"""Rows of a table (CSV, an Excel sheet) mapped to FtM entities by a YAML mapping.

The mapping file is a FollowTheMoney mapping: entities with their schema, key columns
and properties (``column``, ``columns``, ``literal``, ``entity``, ``join``, ``format``),
as in ``ftm map``; the table comes from the command line, so ``csv_url`` is ignored.
Entity ids are hashed from the key columns with the collection name as prefix. A value
FtM cannot clean is left out alone (the rejection names the row and column); the row's
other values are stored.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from followthemoney import model
from followthemoney.mapping.query import QueryMapping
from followthemoney.proxy import EntityProxy

from threadline.exc import InputError
from threadline.ingest.base import RecordError
from threadline.ingest.entities import ORIGINALS, clean_value, reject_value

logging.getLogger("followthemoney").setLevel(logging.ERROR)


def load_mapping(path: Path) -> dict[str, Any]:
    """Read a mapping file and return its one query (``entities``, optional ``filters``)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read mapping {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"mapping {path} is not valid YAML: {exc}") from None
    if isinstance(data, dict) and len(data) == 1 and not {"entities", "queries"} & set(data):
        data = next(iter(data.values()))  # an FtM mapping file keyed by its dataset name
    if isinstance(data, dict) and "queries" in data:
        queries = data["queries"]
        if not isinstance(queries, list) or len(queries) != 1:
            raise InputError(f"mapping {path}: give exactly one query for one table")
        data = queries[0]
    if isinstance(data, dict) and "query" in data:
        data = data["query"]
    if not isinstance(data, dict) or not isinstance(data.get("entities"), dict):
        raise InputError(f"mapping {path} has no 'entities' section")
    return data


class RowMapping:
    """One mapping applied to the rows of one table (the header is checked once)."""

    def __init__(self, mapping_path: Any, collection: str, source: Path, kind: str) -> None:
        if not mapping_path:
            raise InputError(
                f"{kind} needs a mapping ({source.name}): add --mapping FILE.yml"
                " (see docs/formats.md)"
            )
        query = load_mapping(Path(mapping_path))
        if query.get("filters") or query.get("filters_not"):
            raise InputError(
                f"mapping {mapping_path}: 'filters' are not supported here (every row is one"
                " record); select the rows before ingesting"
            )
        self.sheet = str(query.get("sheet") or "") or None
        query = {k: v for k, v in query.items() if k != "sheet"}
        try:
            self.mapping: QueryMapping = model.make_mapping(
                {**query, "csv_url": str(source)}, key_prefix=collection
            )
        except Exception as exc:  # noqa: BLE001 - FtM raises InvalidMapping and others
            raise InputError(f"invalid mapping {mapping_path}: {exc}") from None

    def columns(self) -> set[str]:
        """Every column the mapping reads."""
        found: set[str] = set()
        for entity in self.mapping.entities:
            found.update(entity.keys)
            for prop in entity.properties:
                found.update(prop.refs)
        return found

    def check_header(self, header: Sequence[str], where: str) -> None:
        missing = sorted(self.columns() - set(header))
        if missing:
            raise InputError(
                f"{where}: the mapping uses columns missing from the header: {missing}"
            )

    def date_formats(self) -> dict[str, str]:
        """The ``format`` the mapping reads each date column with (``%d.%m.%Y``)."""
        found: dict[str, str] = {}
        for entity in self.mapping.entities:
            for prop in entity.properties:
                if prop.format and prop.prop.type.name == "date":
                    for column in prop.refs:
                        found.setdefault(column, prop.format)
        return found

    def map(self, data: dict[str, str], where: str) -> list[EntityProxy]:
        """The entities of one row; values FtM drops are left out with the row and column."""
        data = {column: value for column, value in data.items() if value.strip()}
        try:
            entities = self.mapping.map(data)
        except Exception as exc:  # noqa: BLE001 - a row FtM cannot map is a rejection
            raise RecordError(f"cannot map row: {exc}") from None
        if not entities:
            raise RecordError("no entity could be built (are the key columns empty?)")
        _check_ids(entities)
        for name, entity in entities.items():
            self._check_dropped(name, entity, data, where)
        return list(entities.values())

    def _check_dropped(
        self, name: str, entity: EntityProxy, data: dict[str, str], where: str
    ) -> None:
        """FtM drops values it cannot clean silently; Threadline says which and why.

        The values are those FtM computed (literals, columns, ``join``, ``template``,
        ``split``); each that does not clean is reported with its column(s).
        """
        spec = next(e for e in self.mapping.entities if e.name == name)
        originals: dict[tuple[str, str], str] = {}
        for prop_map in spec.properties:
            if prop_map.entity is not None:
                continue  # the id of another entity of the row, set by FtM itself
            prop = prop_map.prop
            values = prop_map.record_values(data)
            if prop_map.join is not None:
                values = [prop_map.join.join(values)]
            if prop_map.split is not None:
                values = [part for value in values for part in value.split(prop_map.split)]
            for raw in (v.strip() for v in values if v):
                if not raw:
                    continue
                cleaned = clean_value(prop, raw, entity, prop_map.format)
                if cleaned is None:
                    reject_value(
                        entity,
                        f"{where}{_columns(prop_map.refs)}: {raw[:80]!r} is not a valid"
                        f" {prop.type.name} for {spec.schema.name}.{prop.name};"
                        " value left out, row kept",
                    )
                    continue
                if cleaned not in entity.get(prop):
                    entity.unsafe_add(prop, cleaned, cleaned=True)
                if cleaned != raw:
                    originals[(prop.name, cleaned)] = raw
        if originals:
            entity.context[ORIGINALS] = originals


def _check_ids(entities: Mapping[str, EntityProxy]) -> None:
    """Two entities of a row with one id would be stored as one entity of mixed schemata."""
    seen: dict[str, str] = {}
    for name, entity in entities.items():
        other = seen.setdefault(str(entity.id), name)
        if other != name and entities[other].schema != entity.schema:
            raise RecordError(
                f"the mapping's entities {other!r} and {name!r} get the same id from this"
                " row's keys; give one of them a 'key_literal' in the mapping"
            )


def _columns(refs: Sequence[str]) -> str:
    if not refs:
        return "the mapping's literal"
    if len(refs) == 1:
        return f"column {refs[0]!r}"
    return "columns " + ", ".join(repr(r) for r in refs)
