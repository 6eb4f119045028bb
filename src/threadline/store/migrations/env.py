"""Alembic environment: runs migrations on the engine handed in by the store."""

from __future__ import annotations

from alembic import context

from threadline.store.tables import metadata

config = context.config
engine = config.attributes.get("engine")


def run() -> None:
    if engine is None:  # plain `alembic` command line: use the configured URL
        from threadline.store.db import make_engine

        url = config.get_main_option("sqlalchemy.url")
        if not url:
            from threadline.settings import get_settings

            url = get_settings().database_url
        connectable = make_engine(url)
    else:
        connectable = engine
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


run()
