"""The scenario library: save a scenario as a new version, list, open, compare and restore versions.

Nothing is overwritten or deleted: a save under an existing name adds the next version, a restore saves
an old version's content again as the newest. Each save is one transaction. Two saves of one name at
the same moment both land: they queue for the next number, a unique (name, version) guards it, and a
save that still loses its number to another writer (an import running meanwhile) retries with the next.

    >>> library = Library.from_env()                       # $PULJE_DATABASE_URL or the SQLite file
    >>> library.save("plan.toml", name="Plan 2025", author="Kim")
    >>> library.open("Plan 2025")                          # a Scenario, even if plan.toml's catalog is gone
"""

from __future__ import annotations

import difflib
import logging
import random
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TypeVar

import pandas as pd
from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import Insert as PostgresqlInsert
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, undefer

from scenarios.library import core
from scenarios.library.config import cache_dir, database_url, mask
from scenarios.library.engine import engine_for, session
from scenarios.library.errors import FileNotStored, LibraryError, VersionNotFound
from scenarios.library.file_cache import FileCache
from scenarios.library.records import (
    ROLES,
    FileContent,
    NewVersion,
    ResultSummary,
    StoredFile,
    VersionInfo,
    VersionSummary,
    one_line,
    parse_ref,
    safe_file_name,
    sha256_of,
)
from scenarios.library.schema import FileRow, VersionFileRow, VersionRow

SAVE_ATTEMPTS = 5  # a save that keeps losing the race for the next number gives up after this many tries
RETRY_PAUSE_S = 0.02  # upper bound of the random pause before the n-th retry, times n
LIST_COLUMNS = ["name", "version", "author", "created_at", "objective", "status", "note"]
FileT = TypeVar("FileT", FileContent, VersionFileRow)
NAME_LOCKS = 0x70756C6A  # PostgreSQL advisory lock space of the per-name save locks ("pulj")
_log = logging.getLogger(__name__)
INSERT: dict[str, Callable[[type[FileRow]], SqliteInsert | PostgresqlInsert]] = {
    "sqlite": sqlite_insert,
    "postgresql": postgresql_insert,
}


class Library:
    """Saved scenario versions in one database; cheap to create (the engine is shared per URL and process)."""

    def __init__(self, url: str | URL | None = None, *, cache: Path | None = None):
        self.url = database_url(url)
        self.engine = engine_for(self.url)
        self.cache = FileCache(cache if cache is not None else cache_dir())

    @classmethod
    def from_env(cls) -> Library:
        """The library $PULJE_DATABASE_URL names, else ~/.local/share/pulje/library.db."""
        return cls()

    def __repr__(self) -> str:
        return f"Library({mask(self.url)!r})"

    # --- writing ---------------------------------------------------------------------------------

    def save(
        self,
        scenario: core.Scenario | str | Path,
        name: str,
        author: str,
        *,
        note: str = "",
        result: core.ScenarioRun | None = None,
    ) -> VersionInfo:
        """Save a scenario (or a scenario TOML file) as the next version of `name`, with the files it uses
        and its result. `result` is a run of this scenario already at hand; without it the stored copy is run
        (a scenario the core cannot run, e.g. for a missing reach, is refused with the core's error)."""
        name, author = one_line(name, "name"), one_line(author, "author")
        if not isinstance(scenario, core.Scenario):
            scenario = core.load_scenario(scenario)
        files = tuple(_read(role, path) for role, path in core.scenario_files(scenario).items())
        if result is None:
            cached = {f.role: self.cache.ensure(f.sha256, f.file_name, _given(f.content)) for f in files}
            result = core.run(core.with_files(scenario, cached))
        toml = core.stored_toml(scenario, {f.role: f.file_name for f in files})
        return self._add(NewVersion(name, author, _now(), note, toml, files, core.summarize(result)))

    def restore(self, name: str, version: int, author: str) -> VersionInfo:
        """Save version `version` of `name` again as its newest version (noted as restored); deletes nothing."""
        author = one_line(author, "author")
        old = self.summary(name, version)
        files = tuple(FileContent(f.role, f.file_name, self.file_content(f.sha256)) for f in old.info.files)
        note = f"restored from version {version}"
        return self._add(NewVersion(name, author, _now(), note, old.scenario_toml, files, old.result))

    def add_versions(self, versions: Iterable[tuple[NewVersion, int]]) -> tuple[VersionInfo, ...]:
        """Insert versions under given numbers (an import), all in one transaction: all land or none."""
        versions = tuple(versions)
        for new, number in versions:
            if number < 1:
                raise LibraryError(f"version {number} of {new.name!r}: version numbers start at 1")
        try:
            with session(self.engine, write=True) as current:
                return tuple(_insert(current, new, number) for new, number in versions)
        except IntegrityError:
            raise LibraryError(
                "a version being imported was saved here meanwhile; nothing was imported, run the import again"
            ) from None

    def store_file(self, content: bytes, file_name: str) -> Path:
        """Keep a file without a version (an uploaded catalog) under its SHA-256, so that any process sharing
        the library opens it by hash (`cached_file`); returns this process's cached copy."""
        sha256 = sha256_of(content)
        with session(self.engine, write=True) as current:
            _put_file(current, sha256, content)
        return self.cache.ensure(sha256, file_name, lambda: content)

    def _add(self, new: NewVersion) -> VersionInfo:
        for attempt in range(1, SAVE_ATTEMPTS + 1):
            try:
                with session(self.engine, write=True) as current:
                    return _insert(current, new, None)
            except IntegrityError as exc:  # another save took this number first: try the next one
                if not _lost_the_number(exc):
                    raise LibraryError(f"could not save {new.name!r}: the database refused it ({exc.orig})") from None
                _log.info("save of %r lost the race for a version number (attempt %d); retrying", new.name, attempt)
                time.sleep(random.uniform(0, RETRY_PAUSE_S * attempt))
        raise LibraryError(f"could not save {new.name!r}: {SAVE_ATTEMPTS} other saves came first; try again")

    # --- reading ---------------------------------------------------------------------------------

    def list(self, name: str | None = None) -> pd.DataFrame:
        """Every version (or every version of `name`): name, version, author, created_at, objective, status, note."""
        query = select(*(getattr(VersionRow, c) for c in LIST_COLUMNS)).order_by(VersionRow.name, VersionRow.version)
        if name is not None:
            query = query.where(VersionRow.name == name)
        with session(self.engine) as current:
            rows = current.execute(query).all()
        return pd.DataFrame([tuple(row) for row in rows], columns=LIST_COLUMNS)

    def stamp(self) -> tuple[int, int | None, datetime | None]:
        """What changes whenever a version is added (versions are only ever added): their count, the highest row
        id and the newest time, read in one small query; a reader can keep its list until the stamp changes (the
        time tells apart another library put in this one's place with as many versions)."""
        with session(self.engine) as current:
            row = current.execute(select(func.count(), func.max(VersionRow.id), func.max(VersionRow.created_at)))
            count, highest, newest = row.one()
        return int(count), highest, newest

    def names(self) -> tuple[str, ...]:
        """The names in the library, sorted."""
        with session(self.engine) as current:
            return tuple(current.scalars(select(VersionRow.name).distinct().order_by(VersionRow.name)))

    def versions(self, name: str) -> tuple[VersionInfo, ...]:
        """The versions of `name`, oldest first (VersionNotFound for an unknown name)."""
        with session(self.engine) as current:
            rows = current.scalars(select(VersionRow).where(VersionRow.name == name).order_by(VersionRow.version))
            infos = tuple(_info(row) for row in rows)
            if not infos:
                raise _missing(current, name, None)
        return infos

    def info(self, name: str, version: int | None = None) -> VersionInfo:
        """One version of `name` (the newest when `version` is None)."""
        with session(self.engine) as current:
            return _info(_row(current, name, version))

    def summary(self, name: str, version: int | None = None) -> VersionSummary:
        """One version with its scenario TOML and its result summary."""
        with session(self.engine) as current:
            row = _row(current, name, version, full=True)
            result = ResultSummary(row.status, row.objective, dict(row.allocation), dict(row.allocation_by_year))
            return VersionSummary(_info(row), row.scenario_toml, result)

    def open(self, name: str, version: int | None = None) -> core.Scenario:
        """The saved scenario, reading the files it was saved with (written to the file cache as needed)."""
        return self._scenario(self.summary(name, version))

    def compare(self, *refs: str | tuple[str, int | None]) -> core.Comparison:
        """Run two or more saved versions (NAME@K, NAME for the newest, or (name, version)) and compare them;
        each run is labelled NAME@K."""
        if len(refs) < 2:
            raise LibraryError("compare needs two or more versions, e.g. 'Plan@1' 'Plan@2'")
        runs = []
        for ref in refs:
            old = self.summary(*(parse_ref(ref) if isinstance(ref, str) else ref))
            runs.append(core.run(self._scenario(old).replace(name=old.info.ref)))
        return core.compare_runs(runs)

    def file_content(self, sha256: str) -> bytes:
        """The stored bytes with this SHA-256 (FileNotStored when the library holds none)."""
        with session(self.engine) as current:
            content = current.scalar(select(FileRow.content).where(FileRow.sha256 == sha256))
        if content is None:
            raise FileNotStored(f"the library holds no file with hash {sha256}")
        return content

    def cached_file(self, sha256: str, file_name: str) -> Path:
        """The stored file with this SHA-256 on disk as `file_name`, from the file cache (filled as needed)."""
        return self.cache.ensure(sha256, file_name, lambda: self.file_content(sha256))

    def _scenario(self, old: VersionSummary) -> core.Scenario:
        fetch = self.file_content
        paths = {f.role: self.cache.ensure(f.sha256, f.file_name, partial(fetch, f.sha256)) for f in old.info.files}
        return core.from_stored_toml(old.scenario_toml, paths, origin=old.info.ref)


# --- rows ----------------------------------------------------------------------------------------


def _insert(current: Session, new: NewVersion, number: int | None) -> VersionInfo:
    """Store the files (once per hash) and the version; `number` None takes the next free one."""
    for sha256, file in {f.sha256: f for f in new.files}.items():
        _put_file(current, sha256, file.content)
    number = _next_number(current, new.name) if number is None else number
    result = new.result
    files = [VersionFileRow(role=f.role, file_name=f.file_name, sha256=f.sha256) for f in new.files]
    row = VersionRow(
        name=new.name,
        version=number,
        author=new.author,
        created_at=new.created_at,
        note=new.note,
        scenario_toml=new.scenario_toml,
        status=result.status,
        objective=result.objective,
        allocation=result.allocation,
        allocation_by_year=result.allocation_by_year,
        files=files,
    )
    current.add(row)
    current.flush()  # the unique (name, version) is checked here, inside the transaction
    stored = tuple(StoredFile(f.role, f.file_name, f.sha256, len(f.content)) for f in _by_role(new.files))
    return VersionInfo(new.name, number, new.author, new.created_at, new.note, result.status, result.objective, stored)


def _put_file(current: Session, sha256: str, content: bytes) -> None:
    """Store a file's bytes once per hash (a hash already there is left as it is)."""
    insert = INSERT[current.get_bind().dialect.name]
    values = {"sha256": sha256, "size": len(content), "content": content}
    current.execute(insert(FileRow).values(**values).on_conflict_do_nothing(index_elements=["sha256"]))


def _next_number(current: Session, name: str) -> int:
    """One more than the newest version of `name`. Saves of one name queue for this (SQLite: BEGIN IMMEDIATE;
    PostgreSQL: a lock per name until the transaction ends), so they do not race for the same number."""
    if current.get_bind().dialect.name == "postgresql":
        lock = text("SELECT pg_advisory_xact_lock(:space, hashtext(:name))")
        current.execute(lock, {"space": NAME_LOCKS, "name": name})
    latest = current.scalar(select(func.max(VersionRow.version)).where(VersionRow.name == name))
    return (latest or 0) + 1


def _row(current: Session, name: str, version: int | None, *, full: bool = False) -> VersionRow:
    query = select(VersionRow).where(VersionRow.name == name)
    if full:
        query = query.options(undefer(VersionRow.scenario_toml), undefer(VersionRow.allocation))
        query = query.options(undefer(VersionRow.allocation_by_year))
    if version is None:
        query = query.order_by(VersionRow.version.desc()).limit(1)
    else:
        query = query.where(VersionRow.version == version)
    row = current.scalar(query)
    if row is None:
        raise _missing(current, name, version)
    return row


def _info(row: VersionRow) -> VersionInfo:
    files = tuple(StoredFile(f.role, f.file_name, f.sha256, f.file.size) for f in _by_role(row.files))
    return VersionInfo(row.name, row.version, row.author, row.created_at, row.note, row.status, row.objective, files)


def _missing(current: Session, name: str, version: int | None) -> VersionNotFound:
    """Why (name, version) is not there: an unknown name (with close matches) or the versions it has."""
    numbers = sorted(current.scalars(select(VersionRow.version).where(VersionRow.name == name)))
    if numbers:
        message = f"{name!r} has no version {version} (it has versions {numbers[0]} to {numbers[-1]})"
        return VersionNotFound(message, name, version, tuple(numbers))
    names = list(current.scalars(select(VersionRow.name).distinct()))
    close = difflib.get_close_matches(name, names, n=3)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    return VersionNotFound(f"the library holds no scenario named {name!r}{hint}", name, version, (), tuple(close))


def _given(content: bytes) -> Callable[[], bytes]:
    """A fetch for the file cache that returns bytes already read."""
    return lambda: content


def _read(role: str, path: Path) -> FileContent:
    try:
        return FileContent(role, safe_file_name(path.name), path.read_bytes())
    except OSError as exc:
        raise LibraryError(f"cannot read the {role} file {path}: {exc.strerror or exc}") from None


def _by_role(files: Iterable[FileT]) -> list[FileT]:
    """Files in the order catalog, goals, baseline."""
    return sorted(files, key=lambda f: ROLES.index(f.role))


def _lost_the_number(error: IntegrityError) -> bool:
    """Whether an integrity error is another save taking the same (name, version) first (SQLite and PostgreSQL
    word it differently), not some other rule the row broke."""
    text = str(error.orig).lower()
    return (
        "versions.name, versions.version" in text
        or "uq_versions_name" in text
        or ("unique" in text and "versions" in text and "version" in text and "version_files" not in text)
    )


def _now() -> datetime:
    return datetime.now(UTC)
