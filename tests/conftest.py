"""Shared fixtures: a fresh store on SQLite and on PostgreSQL for every store test, and the
prepared world the guides (and the JSON contracts) run against."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from threadline.settings import configure, get_settings
from threadline.store import Store, open_store

FIXTURES = Path(__file__).parent / "fixtures"
PG_URL = os.environ.get(
    "THREADLINE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test gets its own SQLite file and default agency, never the developer's."""
    for key in list(os.environ):
        if key.startswith("THREADLINE_") and key != "THREADLINE_TEST_PG_URL":
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    configure(db=str(tmp_path / "threadline.db"), default_agency="test-unit", default_country="SE")
    yield
    # What the test configured (``configure`` writes the environment) goes with it, so a
    # fixture of a wider scope built during the next test never inherits it (a token
    # lifetime or sign-in limit one test set once broke every test of a later module).
    for key in list(os.environ):
        if key.startswith("THREADLINE_") and key != "THREADLINE_TEST_PG_URL":
            del os.environ[key]
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def guide_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The guides' world (:mod:`support.guide_world`), built once per test process and
    shared: a test works on a copy (``support.guide_world.copy_world``), never on it."""
    from support.guide_world import build_world  # the command line only for those who ask

    return build_world(tmp_path_factory.mktemp("guides") / "world")


def _postgres_schema() -> Iterator[str]:
    """A private schema in the test database, dropped afterwards."""
    schema = f"tl_{uuid.uuid4().hex[:12]}"
    try:
        admin = create_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # noqa: BLE001 - report, never skip
        pytest.fail(f"PostgreSQL at {PG_URL} cannot be reached; store tests need it: {exc}")
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL for each backend (run every store test on both)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
    else:
        yield from _postgres_schema()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    configure(db=store_url)
    db = open_store(store_url)
    yield db
    db.close()
