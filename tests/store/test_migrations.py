"""Migrations keep what is stored: the statement key change on a store holding data."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import inspect, select

from threadline.model.collections import build_collection
from threadline.store import Store
from threadline.store.collections import create_collection
from threadline.store.db import _alembic_config, make_engine
from threadline.store.statements import get_entities
from threadline.store.tables import statement as t_statement


def _statement_rows(store: Store) -> list[tuple[object, ...]]:
    with store.connect() as conn:
        query = select(t_statement).order_by(t_statement.c.id)
        return [tuple(row) for row in conn.execute(query)]


def test_statement_key_change_keeps_every_statement_both_ways(store_url: str) -> None:
    store = Store(make_engine(store_url))
    config = _alembic_config(store.engine)
    command.upgrade(config, "0010")
    with store.begin() as conn:
        collection = create_collection(
            conn, build_collection("cases-se", owner_agency="se-police", owner_country="SE")
        )
        conn.execute(
            t_statement.insert(),
            [
                {
                    "id": f"s{n}",
                    "entity_id": f"p{n % 3}",
                    "schema": "Person",
                    "prop": "name" if n % 2 else "birthDate",
                    "prop_type": "name" if n % 2 else "date",
                    "value": f"Value {n}",
                    "collection_id": collection.id,
                    "source_id": f"row-{n}",
                    "first_seen": datetime(2026, 1, 1, tzinfo=UTC),
                }
                for n in range(12)
            ],
        )
    before = _statement_rows(store)

    command.upgrade(config, "0011")
    assert _statement_rows(store) == before
    key = inspect(store.engine).get_pk_constraint("statement")["constrained_columns"]
    assert key == ["collection_id", "entity_id", "id"]
    indexes = {ix["name"] for ix in inspect(store.engine).get_indexes("statement")}
    assert "ix_statement_collection_entity" not in indexes
    assert {"ix_statement_entity", "ix_statement_name"} <= indexes
    with store.connect() as conn:
        people = {e.id: e for e in get_entities(conn, ["p0", "p1"])}
    assert sorted(people["p1"].get("name")) == ["Value 1", "Value 7"]

    command.downgrade(config, "0010")
    assert _statement_rows(store) == before
    key = inspect(store.engine).get_pk_constraint("statement")["constrained_columns"]
    assert key == ["id"]
    store.close()


def test_the_migrations_create_exactly_the_tables_defined(store: Store) -> None:
    import threadline.alerts.tables
    import threadline.governance.tables
    import threadline.linkage.tables
    import threadline.network.tables
    import threadline.operations.tables
    import threadline.screening.tables
    import threadline.store.queue
    import threadline.victims.tables  # noqa: F401 - each adds its tables to the one metadata
    from threadline.store.tables import metadata

    inspector = inspect(store.engine)
    migrated = set(inspector.get_table_names()) - {"alembic_version"}
    assert migrated == set(metadata.tables)
    for name, table in metadata.tables.items():
        columns = {c["name"]: c["nullable"] for c in inspector.get_columns(name)}
        assert columns == {c.name: c.nullable for c in table.columns}, name


def test_job_warnings_migration_adds_a_zero_count_to_existing_jobs(store_url: str) -> None:
    from threadline.store import jobs as jobs_store

    store = Store(make_engine(store_url))
    config = _alembic_config(store.engine)
    command.upgrade(config, "0011")
    with store.begin() as conn:
        collection = create_collection(
            conn, build_collection("api", owner_agency="a", owner_country="SE")
        )
        conn.exec_driver_sql(
            "INSERT INTO job (collection_id, kind, format, source, source_sha256, options, status, "
            "position, read, stored, rejected, entities, statements, created_by, started_at, "
            "updated_at) VALUES (%s, 'ingest', 'manifest', 'f.edi', 'x', '{}', 'completed', 1, 1, "
            "1, 0, 3, 9, 'cli', '2026-01-01', '2026-01-01')".replace("%s", str(collection.id))
        )
    command.upgrade(config, "head")
    with store.connect() as conn:
        (job,) = jobs_store.list_jobs(conn)
        assert job.warnings == 0 and jobs_store.list_warnings(conn, job.id) == []
    command.downgrade(config, "0011")
    assert "job_warning" not in inspect(store.engine).get_table_names()
    store.close()


def test_victim_status_migration_keeps_records_and_their_care_both_ways(store_url: str) -> None:
    """Existing records become open; going back drops only the status, never the care."""
    store = Store(make_engine(store_url))
    config = _alembic_config(store.engine)
    command.upgrade(config, "0015")
    with store.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO victim (id, pseudonym, owner_agency, owner_country, personal, "
            "identified_on, identified_how, identified_country, forms, needs, non_punishment, "
            "compelled_offences, created_by, created_at) VALUES (1, 'V-AAAA-BBBB', 'unit', 'SE', "
            "'{}', '2026-04-01', 'raid', 'SE', '[]', '[]', FALSE, '[]', 'liaison-1', '2026-04-01')"
        )
        conn.exec_driver_sql(
            "INSERT INTO victim_consent (victim_id, scope, given_at, recorded_by) "
            "VALUES (1, 'referral', '2026-04-01', 'liaison-1')"
        )
    command.upgrade(config, "0016")
    with store.connect() as conn:
        row = conn.exec_driver_sql("SELECT status, closed_at FROM victim").one()
    assert tuple(row) == ("open", None)
    command.downgrade(config, "0015")
    with store.connect() as conn:
        consents = conn.exec_driver_sql("SELECT count(*) FROM victim_consent").scalar()
        records = conn.exec_driver_sql("SELECT count(*) FROM victim").scalar()
    assert (records, consents) == (1, 1)
    columns = {c["name"] for c in inspect(store.engine).get_columns("victim")}
    assert "status" not in columns and "closed_reason" not in columns
    assert "victim_status_event" not in inspect(store.engine).get_table_names()
    store.close()
