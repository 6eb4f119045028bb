"""Opening the store: engine, connection settings and schema migrations."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from threadline.exc import StoreError
from threadline.settings import database_url, get_settings

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # Every commit is synced to disk before it returns: an audit event acknowledged to a
    # request survives a power cut. (NORMAL would keep WAL commits only up to the next sync.)
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA cache_size=-131072")  # 128 MB: the statement indexes stay cached
    cursor.close()


_AFTER_COMMIT = "threadline.after_commit"


@contextmanager
def run_after_commit(engine: Engine) -> Iterator[Connection]:
    """A transaction whose ``after_commit`` actions run once it has committed (not on rollback)."""
    actions: dict[Hashable, Callable[[], None]] = {}
    with engine.begin() as conn:
        conn.info[_AFTER_COMMIT] = actions
        try:
            yield conn
        finally:  # conn.info stays with the pooled connection: never leave actions behind
            conn.info.pop(_AFTER_COMMIT, None)
    for action in actions.values():
        action()


def after_commit(conn: Connection, action: Callable[[], None], key: Hashable = None) -> None:
    """Run ``action`` once this transaction has committed (a later one with the same key wins).

    Only transactions opened by ``Store.begin`` (or ``run_after_commit``) run them;
    elsewhere the action is dropped.
    """
    actions = conn.info.get(_AFTER_COMMIT)
    if actions is not None:
        name = action if key is None else key
        actions.pop(name, None)  # keep the order of the newest registration
        actions[name] = action


class Store:
    """A connection to one Threadline database (SQLite file or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A transaction: committed when the block ends, rolled back on error."""
        with run_after_commit(self.engine) as conn:
            yield conn

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection for reads."""
        with self.engine.connect() as conn:
            yield conn

    def upgrade(self) -> None:
        """Bring the schema to the newest migration."""
        from alembic import command

        command.upgrade(_alembic_config(self.engine), "head")

    def revision(self) -> str | None:
        """The migration the database is at (None for an empty database)."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def close(self) -> None:
        self.engine.dispose()


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def make_engine(url: str) -> Engine:
    """Create an engine with the settings each backend needs."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            parent = Path(path).parent
            if not parent.exists():
                raise StoreError(f"cannot create database {path}: folder {parent} does not exist")
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def open_store(url_or_path: str | None = None, *, migrate: bool = True) -> Store:
    """Open (and by default migrate) the store named by the argument or the settings."""
    url = database_url(url_or_path) if url_or_path else get_settings().database_url
    try:
        store = Store(make_engine(url))
        if migrate:
            store.upgrade()
        elif not inspect(store.engine).has_table("collection"):
            raise StoreError("the database has no Threadline tables; run 'threadline db upgrade'")
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreError(f"cannot open the database {redact(url)}: {reason}") from exc
    except SQLAlchemyError as exc:
        raise StoreError(f"database error on {redact(url)}: {exc}") from exc
    return store


def redact(url: str) -> str:
    """Hide a password in a URL before showing it."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in creds else url
    return url
