from __future__ import annotations

from datetime import UTC, datetime

import pytest
from followthemoney import model

from threadline.exc import InputError, NotFound
from threadline.governance import Actor, Purpose, Role
from threadline.model.collections import build_collection
from threadline.services.entities import get_entity, merge, split
from threadline.services.search import name_query, search_entities
from threadline.store import Store
from threadline.store.collections import create_collection
from threadline.store.statements import (
    count_statements,
    entity_rows,
    get_entities,
    insert_rows,
)

ANALYST = Actor("analyst", "unit", "SE", frozenset({Role.ANALYST}))


def _person(entity_id: str, **props: list[str]) -> object:
    entity = model.make_entity("Person")
    entity.id = entity_id
    for prop, values in props.items():
        for value in values:
            entity.add(prop, value)
    return entity


def _store_entity(store: Store, collection: str, entity: object, source_id: str) -> int:
    with store.begin() as conn:
        from threadline.store.collections import find_collection

        target = find_collection(conn, collection)
        if target is None:
            target = create_collection(
                conn, build_collection(collection, owner_agency="unit", owner_country="SE")
            )
        assert target.id is not None
        rows = entity_rows(
            entity,  # type: ignore[arg-type]
            collection=collection,
            collection_id=target.id,
            job_id=None,
            source_id=source_id,
            seen=datetime.now(UTC),
        )
        return insert_rows(conn, rows)


def test_storing_twice_adds_nothing(store: Store) -> None:
    person = _person("p1", name=["Anna Eriksson"], birthDate=["1974-08-12"])
    assert _store_entity(store, "cases", person, "rec-1") == 3  # id + 2 values
    assert _store_entity(store, "cases", person, "rec-1") == 0
    with store.connect() as conn:
        assert count_statements(conn) == 3


def test_two_sources_keep_their_own_rows(store: Store) -> None:
    _store_entity(store, "cases-se", _person("p1", name=["Anna Eriksson"]), "se-17")
    _store_entity(store, "cases-no", _person("p1", name=["Anna Eriksson"], gender=["female"]), "n")
    view = get_entity(store, "p1")
    sources = {(v.prop, v.provenance.collection, v.provenance.source_id) for v in view.values}
    assert ("name", "cases-se", "se-17") in sources
    assert ("name", "cases-no", "n") in sources
    assert view.entity.get("gender") == ["female"]


def test_merge_is_reversible_and_loses_nothing(store: Store) -> None:
    _store_entity(store, "cases", _person("a", name=["Anna Eriksson"], nationality=["se"]), "1")
    _store_entity(store, "notices", _person("b", name=["Ана Ериксон"], birthDate=["1974"]), "2")
    _store_entity(store, "ads", _person("c", name=["Ana E."]), "3")
    first = merge(store, ["a", "b"], actor=ANALYST, reason="same passport")
    view = get_entity(store, "b")
    assert view.id == first
    assert sorted(view.entity.get("name")) == ["Anna Eriksson", "Ана Ериксон"]
    second = merge(store, [first, "c"], actor=ANALYST)
    assert get_entity(store, "a").members == ["a", "b", "c"]
    assert split(store, "c", actor=ANALYST) == ["a", "b"]
    assert get_entity(store, "c").id == "c"
    assert get_entity(store, "a").id == second
    split(store, second, actor=ANALYST)
    for entity_id in ("a", "b", "c"):
        assert get_entity(store, entity_id).id == entity_id
    with store.connect() as conn:
        names = sorted(n for e in get_entities(conn, ["a", "b", "c"]) for n in e.get("name"))
    assert names == ["Ana E.", "Anna Eriksson", "Ана Ериксон"]


def test_merge_errors(store: Store) -> None:
    _store_entity(store, "cases", _person("a", name=["A"]), "1")
    with pytest.raises(InputError, match="at least two"):
        merge(store, ["a", "a"])
    with pytest.raises(InputError, match="no entity with id 'ghost'"):
        merge(store, ["a", "ghost"])
    with pytest.raises(InputError, match="not merged"):
        split(store, "a")
    with pytest.raises(NotFound):
        get_entity(store, "ghost")


def test_name_search_reads_the_name_index(store: Store) -> None:
    """A search reads names only, in entity order, from the index made for it."""
    query = name_query("%ann%", [1, 2, 3], schema=None, limit=50, offset=0)
    with store.connect() as conn:
        compiled = query.compile(conn, compile_kwargs={"literal_binds": True})
        if store.is_sqlite:
            plan = " ".join(
                str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")
            )
            assert "COVERING INDEX ix_statement_name" in plan
            assert "TEMP B-TREE" not in plan  # no sort: the index is in entity order
        else:
            # resolved through the search path: the catalog view pg_indexes would also read
            # the schemas other test workers are dropping at the same moment
            found = conn.exec_driver_sql(
                "SELECT pg_get_indexdef(to_regclass('ix_statement_name'))"
            ).scalar()
            assert found is not None and "WHERE" in found


def test_search_finds_names_by_part_in_visible_collections_only(store: Store) -> None:
    _store_entity(store, "cases", _person("p1", name=["Anna Maria Ek"]), "r1")
    _store_entity(store, "cases", _person("p2", name=["Johan Berg"]), "r2")
    with store.begin() as conn:
        create_collection(
            conn, build_collection("elsewhere", owner_agency="other", owner_country="NO")
        )
    _store_entity(store, "elsewhere", _person("p3", name=["Marianne Dahl"]), "r3")
    searcher = ANALYST.for_purpose(Purpose.INVESTIGATION, "CASE-1")
    found = search_entities(store, searcher, "MARIA")
    assert [r.id for r in found] == ["p1"]  # p3 matches too, in a collection not shared
    assert found[0].names == ["Anna Maria Ek"]
