"""One SQLAlchemy engine per database URL per process, migrated to the newest schema when first opened.

SQLite runs in WAL mode (readers never wait for a writer) with a busy timeout, and write transactions
begin with BEGIN IMMEDIATE, so two writers queue instead of failing. PostgreSQL uses a pooled engine
that checks a connection before use (a restarted server costs one retry, not an error page).
Database errors leave this module as LibraryError naming the URL with its password masked: DatabaseBusy
for a lock held too long, DatabaseUnavailable for a database that cannot be reached or opened.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session

from scenarios.library.config import mask
from scenarios.library.errors import BadDatabaseUrl, DatabaseBusy, DatabaseUnavailable, LibraryError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_S = 30.0  # how long a SQLite writer waits for another one before giving up
CONNECT_TIMEOUT_S = 10  # how long to wait for a PostgreSQL server that does not answer
WRITE = "pulje_write"  # execution option marking a write transaction (SQLite: BEGIN IMMEDIATE)
MIGRATION_LOCK = 0x70756C6A65  # PostgreSQL advisory lock key held while migrating ("pulje")
BUSY_WORDS = ("locked", "lock timeout", "could not obtain lock", "deadlock")  # how both databases say "busy"

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def _forget_engines_after_fork() -> None:
    """A forked child must neither use nor close its parent's connections: drop them unclosed, start afresh."""
    global _engines_lock
    for engine in _engines.values():
        engine.dispose(close=False)
    _engines.clear()
    _engines_lock = threading.Lock()


if hasattr(os, "register_at_fork"):  # POSIX only; Windows does not fork
    os.register_at_fork(after_in_child=_forget_engines_after_fork)


def engine_for(url: URL) -> Engine:
    """The engine for `url` in this process, created and migrated (`alembic upgrade head`) on first use."""
    key = url.render_as_string(hide_password=False)
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _create(url)
            try:
                upgrade(engine)
            except BaseException:
                engine.dispose()
                raise
            _engines[key] = engine
        return engine


def dispose(url: URL) -> None:
    """Close the pooled connections to `url` in this process and forget its engine (e.g. before a test
    drops the database); the next Library on that URL connects afresh."""
    with _engines_lock:
        engine = _engines.pop(url.render_as_string(hide_password=False), None)
    if engine is not None:
        engine.dispose()


@contextlib.contextmanager
def session(engine: Engine, *, write: bool = False) -> Iterator[Session]:
    """A session in one transaction: committed when the block ends, rolled back on any error."""
    with database_errors(engine.url), Session(engine, expire_on_commit=False) as current:
        current.connection(execution_options={WRITE: write})  # begins the transaction (SQLite: IMMEDIATE)
        try:
            yield current
            current.commit()
        except BaseException:
            current.rollback()
            raise


@contextlib.contextmanager
def database_errors(url: URL) -> Iterator[None]:
    """Turn a driver error into a LibraryError naming the database (password masked); let conflicts through."""
    try:
        yield
    except IntegrityError:
        raise
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        if url.password:
            reason = reason.replace(str(url.password), "***")
        message = f"library database {mask(url)}: {reason}"
        if isinstance(exc, OperationalError | InterfaceError):
            busy = any(word in reason.lower() for word in BUSY_WORDS)
            raise (DatabaseBusy if busy else DatabaseUnavailable)(message) from None
        raise LibraryError(message) from None


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration. A schema already there is only read (no lock, so opening
    never waits for a save); otherwise one process migrates while the others wait, then find it done."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with database_errors(engine.url), engine.connect() as connection:
        if set(MigrationContext.configure(connection).get_current_heads()) == heads:
            return
        connection.rollback()
        connection.execution_options(**{WRITE: True})
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            config.attributes["connection"] = connection
            command.upgrade(config, "head")


def _create(url: URL) -> Engine:
    try:
        if url.get_backend_name() == "sqlite":
            return _sqlite_engine(url)
        connect_args = {} if "connect_timeout" in url.query else {"connect_timeout": CONNECT_TIMEOUT_S}
        return create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise BadDatabaseUrl(f"{mask(url)}: no database driver for it ({exc})") from None


def _sqlite_engine(url: URL) -> Engine:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BadDatabaseUrl(f"{mask(url)}: give the SQLite library a file, e.g. sqlite:///path/to/library.db")
    folder = Path(url.database).expanduser().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseUnavailable(f"{mask(url)}: cannot make the folder {folder}: {exc.strerror or exc}") from None
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None  # the driver starts no transactions; _on_begin does
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine
