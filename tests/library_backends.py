"""What the library tests share: a fresh database per test on each backend, and scenarios to save.

`library_url` runs a test once on a SQLite file and once on PostgreSQL. PostgreSQL needs a server:
PULJE_TEST_POSTGRES_URL names a database on it (each test gets its own database, created from that
connection and dropped afterwards). Without it the PostgreSQL cases skip, unless
PULJE_TEST_POSTGRES_REQUIRED=1 (set by .ci/with-postgres): then they fail. The test variable is not
PULJE_DATABASE_URL on purpose, so that the tests never touch a real library.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError

from scenarios.library import engine as library_engine
from scenarios.library.store import Library

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("PULJE_TEST_POSTGRES_URL", "")
POSTGRES_REQUIRED = os.environ.get("PULJE_TEST_POSTGRES_REQUIRED") == "1"
LABOUR = "frederiksberg_labour_market_first.toml"
MAX_REACH = "frederiksberg_max_reach.toml"
COPENHAGEN = "copenhagen_bruttokatalog.toml"


@pytest.fixture(params=["sqlite", "postgresql"])
def library_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database, on each backend in turn."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'library' / 'library.db'}"
    else:
        url = request.getfixturevalue("postgres_database")
    yield url
    library_engine.dispose(make_url(url))


@pytest.fixture
def postgres_database(postgres_admin: Engine) -> Iterator[str]:
    """A new PostgreSQL database for one test, dropped after it (open connections and all)."""
    name = f"pulje_test_{uuid.uuid4().hex[:16]}"
    with postgres_admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield postgres_admin.url.set(database=name).render_as_string(hide_password=False)
    library_engine.dispose(postgres_admin.url.set(database=name))
    with postgres_admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    """A connection to the test server that may create databases; skip (or fail, when required) without one."""
    if not POSTGRES_URL:
        _unavailable("PULJE_TEST_POSTGRES_URL is not set")
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 10})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        engine.dispose()
        _unavailable(f"cannot reach {engine.url.render_as_string(hide_password=True)}: {exc.orig}")
    yield engine
    engine.dispose()


def _unavailable(reason: str) -> None:
    if POSTGRES_REQUIRED:
        pytest.fail(f"PostgreSQL is required (PULJE_TEST_POSTGRES_REQUIRED=1) but {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


@pytest.fixture
def library(library_url: str, tmp_path: Path) -> Library:
    """An empty library on each backend, with its own file cache."""
    return Library(library_url, cache=tmp_path / "cache")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of the example scenarios and the data they read, so a test may change or delete files."""
    root = tmp_path / "work"
    shutil.copytree(ROOT / "scenarios" / "examples", root / "scenarios" / "examples")
    shutil.copytree(ROOT / "data", root / "data", ignore=shutil.ignore_patterns("sources"))
    return root


def example(workspace: Path, name: str) -> Path:
    """The path of an example scenario in the workspace."""
    return workspace / "scenarios" / "examples" / name
