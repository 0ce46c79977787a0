"""The library's database: migrations agree with the models, constraints hold, settings, and where things live."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from hypothesis import given, settings
from hypothesis import strategies as st
from library_backends import COPENHAGEN, LABOUR, example
from sqlalchemy import insert, inspect, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, StatementError

from scenarios.library import config
from scenarios.library.engine import MIGRATIONS, WRITE, session
from scenarios.library.errors import LibraryError
from scenarios.library.file_cache import FileCache
from scenarios.library.records import FileContent, NewVersion, parse_ref, safe_file_name, sha256_of
from scenarios.library.schema import Base, VersionFileRow, VersionRow
from scenarios.library.store import Library
from scenarios.library.transfer import _Slugs

EXAMPLES = settings(max_examples=200, deadline=None, derandomize=True, database=None)  # the same examples each run
TABLES = {"alembic_version", "files", "version_files", "versions"}


def alembic_config() -> Config:
    result = Config()
    result.set_main_option("script_location", str(MIGRATIONS))
    return result


def test_a_new_library_is_migrated_to_the_newest_schema(library: Library) -> None:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    with library.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_heads() == tuple(heads)
        assert set(inspect(connection).get_table_names()) == TABLES


def test_the_migrations_build_exactly_the_tables_the_models_describe(library: Library) -> None:
    with library.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_the_migrations_go_down_and_up_again(library: Library, workspace: Path) -> None:
    settings = alembic_config()
    with library.engine.connect() as connection:
        connection.execution_options(**{WRITE: True})
        settings.attributes["connection"] = connection
        with connection.begin():
            command.downgrade(settings, "base")
        with connection.begin():
            assert set(inspect(connection).get_table_names()) == {"alembic_version"}
            command.upgrade(settings, "head")
    assert library.save(example(workspace, LABOUR), "Plan", "Kim").version == 1


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    library = Library(f"sqlite:///{tmp_path / 'library.db'}", cache=tmp_path / "cache")
    with library.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_version_cannot_name_a_file_the_library_does_not_hold(library: Library, workspace: Path) -> None:
    info = library.save(example(workspace, COPENHAGEN), "KK", "Kim")  # a catalog and goals, no baseline
    with pytest.raises(IntegrityError), session(library.engine, write=True) as current:
        version_id = current.scalar(select(VersionRow.id))
        row = {"version_id": version_id, "role": "baseline", "file_name": "x.csv", "sha256": "0" * 64}
        current.execute(insert(VersionFileRow).values(**row))
    assert library.info("KK") == info  # the failed transaction changed nothing


@pytest.mark.parametrize("number", [0, -1])
def test_version_numbers_start_at_one(library: Library, workspace: Path, number: int) -> None:
    with pytest.raises(LibraryError, match=f"version {number} of 'Plan': version numbers start at 1"):
        library.add_versions([(_new_version(library, workspace), number)])
    with pytest.raises(IntegrityError), session(library.engine, write=True) as current:  # the database says so too
        current.execute(update(VersionRow).values(version=number))
    assert [v.version for v in library.versions("Source")] == [1]


def test_times_are_stored_as_the_same_instant_in_utc(library: Library, workspace: Path) -> None:
    copenhagen_summer = timezone(timedelta(hours=2))
    new = _new_version(library, workspace, created_at=datetime(2025, 6, 1, 14, 30, 15, 123456, copenhagen_summer))
    (info,) = library.add_versions([(new, 1)])
    stored = library.info(info.name, 1).created_at
    assert stored == datetime(2025, 6, 1, 12, 30, 15, 123456, UTC) and stored.tzinfo == UTC


def test_a_time_without_a_zone_is_refused(library: Library, workspace: Path) -> None:
    new = _new_version(library, workspace, created_at=datetime(2025, 6, 1, 14, 30))
    with pytest.raises(StatementError, match="aware datetimes only"):
        library.add_versions([(new, 1)])


def _new_version(library: Library, workspace: Path, **changes: object) -> NewVersion:
    """A NewVersion built from a saved example, for inserting under a chosen number."""
    info = library.save(example(workspace, LABOUR), "Source", "Kim")
    saved = library.summary("Source", info.version)
    files = tuple(FileContent(f.role, f.file_name, library.file_content(f.sha256)) for f in info.files)
    fields = {
        "name": "Plan",
        "author": "Kim",
        "created_at": datetime.now(UTC),
        "note": "",
        "scenario_toml": saved.scenario_toml,
        "files": files,
        "result": saved.result,
    }
    return NewVersion(**{**fields, **changes})


# --- where things live -----------------------------------------------------------------------------


def test_the_default_library_is_under_xdg_data_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PULJE_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert config.database_url().database == str(tmp_path / "pulje" / "library.db")


@pytest.mark.parametrize("xdg", [None, "", "relative/path"])
def test_without_a_usable_xdg_data_home_the_library_is_in_local_share(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, xdg: str | None
) -> None:
    monkeypatch.delenv("PULJE_DATABASE_URL", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    if xdg is None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_DATA_HOME", xdg)
    assert config.default_database_path() == tmp_path / ".local" / "share" / "pulje" / "library.db"


def test_pulje_database_url_wins_and_an_argument_wins_over_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULJE_DATABASE_URL", "postgresql+psycopg://kim:pw@db.example/pulje")
    assert config.database_url().host == "db.example"
    assert config.database_url("sqlite:////srv/pulje/library.db").database == "/srv/pulje/library.db"


def test_the_file_cache_is_under_xdg_cache_home_unless_pulje_cache_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PULJE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-home"))
    assert config.cache_dir() == tmp_path / "cache-home" / "pulje" / "files"
    monkeypatch.setenv("PULJE_CACHE_DIR", str(tmp_path / "mine"))
    assert config.cache_dir() == tmp_path / "mine"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql+psycopg://kim:hemmelig@db/pulje", "postgresql+psycopg://kim:***@db/pulje"),
        ("postgresql+psycopg://kim@db/pulje", "postgresql+psycopg://kim@db/pulje"),
        ("sqlite:////srv/library.db", "sqlite:////srv/library.db"),
    ],
)
def test_a_url_is_shown_without_its_password(url: str, shown: str) -> None:
    assert config.mask(make_url(url)) == shown


@pytest.mark.parametrize(
    ("text", "shown"),
    [("weird://kim:hemmelig@db:x:y", "weird://kim:***@db:x:y"), ("no url at all", "no url at all")],
)
def test_text_that_is_no_url_is_shown_without_a_password_either(text: str, shown: str) -> None:
    assert config.mask_password(text) == shown


# --- small pieces --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "parsed"),
    [
        ("Plan@2", ("Plan", 2)),
        ("Plan", ("Plan", None)),
        ("kim@example.dk forslag@3", ("kim@example.dk forslag", 3)),
        ("kim@example.dk", ("kim@example.dk", None)),
        ("@3", ("@3", None)),
    ],
)
def test_a_reference_names_a_version_or_the_newest(ref: str, parsed: tuple[str, int | None]) -> None:
    assert parse_ref(ref) == parsed


@EXAMPLES
@given(name=st.text(min_size=1, max_size=60), version=st.integers(min_value=1, max_value=10**6))
def test_any_name_with_a_version_reads_back_as_that_name_and_version(name: str, version: int) -> None:
    assert parse_ref(f"{name}@{version}") == (name, version)


@EXAMPLES
@given(names=st.lists(st.text(min_size=1, max_size=30), min_size=2, max_size=8, unique=True))
def test_distinct_names_export_to_distinct_file_names(names: list[str]) -> None:
    slugs = _Slugs()
    stems = [slugs.of(name) for name in names]
    assert len({stem.lower() for stem in stems}) == len(names)
    assert all(safe_file_name(f"{stem}.v1.toml") for stem in stems)
    assert [slugs.of(name) for name in names] == stems  # the same name keeps its file name


@pytest.mark.parametrize("name", ["", ".", "..", "../x.csv", "data/x.csv", "data\\x.csv", "x\0.csv", "x" * 256])
def test_a_stored_file_name_cannot_leave_its_folder(name: str) -> None:
    with pytest.raises(LibraryError, match="is not a plain file name"):
        safe_file_name(name)


def test_the_file_cache_fetches_once_and_refuses_content_that_does_not_match(tmp_path: Path) -> None:
    cache, content, fetched = FileCache(tmp_path), b"id,name\n", []
    sha = sha256_of(content)
    for _ in range(2):
        path = cache.ensure(sha, "x.csv", lambda: fetched.append(1) or content)
    assert (path, path.read_bytes(), fetched) == (tmp_path / sha / "x.csv", content, [1])
    with pytest.raises(LibraryError, match="does not match its hash"):
        cache.ensure(sha256_of(b"other"), "y.csv", lambda: content)
    assert not (tmp_path / sha256_of(b"other")).exists()
