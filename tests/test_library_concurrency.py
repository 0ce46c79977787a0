"""Several processes writing one library at once, and a writer killed mid-save, on SQLite and PostgreSQL.

Real processes (tests/library_worker.py), never threads: each has its own engine and connections, as
several Streamlit servers or command lines sharing one library do.
"""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from library_backends import COPENHAGEN, LABOUR, MAX_REACH, example
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine, make_url

from scenarios.library.engine import session
from scenarios.library.schema import FileRow, VersionFileRow, VersionRow
from scenarios.library.store import Library
from scenarios.library.transfer import export_library

WORKER = Path(__file__).resolve().parent / "library_worker.py"
TIMEOUT_S = 180  # a worker that takes longer than this is stuck (a deadlock), not slow
PROCESSES, SAVES = 4, 5


class Worker:
    """A library_worker.py process whose output lines are read as they come."""

    def __init__(self, *args: object):
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), *map(str, args)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def expect(self, line: str) -> None:
        """Wait until the worker prints `line` (its stderr in the failure if it dies first)."""
        got = self.process.stdout.readline().strip()
        if got != line:
            self.process.kill()
            pytest.fail(f"worker said {got!r}, expected {line!r}; stderr:\n{self.process.stderr.read()}")

    def finish(self) -> list[str]:
        """Its remaining output lines, after it exited with 0 (its log is kept in `self.log`)."""
        try:
            out, self.log = self.process.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            pytest.fail(f"worker {self.process.args[2:4]} did not finish in {TIMEOUT_S} s")
        assert self.process.returncode == 0, self.log
        return out.split()


def test_saves_from_several_processes_at_once_all_land(library_url: str, workspace: Path, tmp_path: Path) -> None:
    library = Library(library_url, cache=tmp_path / "cache")
    go = tmp_path / "go"
    authors = [f"worker {n}" for n in range(PROCESSES)]
    workers = [
        Worker("save", library_url, tmp_path / "cache", example(workspace, LABOUR), "Plan", author, SAVES, go)
        for author in authors
    ]
    go.touch()
    reported = [int(v) for w in workers for v in w.finish()[1:]]
    assert sorted(reported) == list(range(1, PROCESSES * SAVES + 1))  # no number twice, none lost
    versions = library.versions("Plan")
    assert [v.version for v in versions] == list(range(1, PROCESSES * SAVES + 1))
    assert collections.Counter(v.author for v in versions) == dict.fromkeys(authors, SAVES)
    assert sorted(v.note for v in versions) == sorted(f"{a}#{n}" for a in authors for n in range(1, SAVES + 1))
    for author in authors:  # each process's saves in the order it made them
        mine = [v for v in versions if v.author == author]
        assert [v.note for v in mine] == [f"{author}#{n}" for n in range(1, SAVES + 1)]


def test_a_writer_killed_mid_save_loses_nothing_and_leaves_no_half_version(
    library_url: str, workspace: Path, tmp_path: Path
) -> None:
    library = Library(library_url, cache=tmp_path / "cache")
    kept = [library.save(example(workspace, LABOUR), "Plan", "Kim") for _ in range(2)]
    catalog = workspace / "data" / "frederiksberg" / "handleplan_2021_2022.csv"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace(",150000,", ",90000,"), encoding="utf-8")
    worker = Worker("hold", library_url, tmp_path / "cache", example(workspace, LABOUR), "Plan", "Ole", tmp_path / "x")
    worker.expect("holding")  # its version, its files and the new catalog are written, not committed
    worker.process.send_signal(signal.SIGKILL)
    worker.process.wait(timeout=TIMEOUT_S)

    assert library.versions("Plan") == tuple(kept)
    with session(library.engine) as current:
        # catalog, goals, asks and baseline, for each of the two versions
        assert current.scalar(select(func.count()).select_from(VersionFileRow)) == 2 * 4
        stored = set(current.scalars(select(FileRow.sha256)))
    assert stored == {f.sha256 for f in kept[0].files}  # the killed save's new catalog is not there
    after = library.save(example(workspace, MAX_REACH), "Plan", "Kim")  # and its locks are gone
    assert after.version == 3
    if library.engine.dialect.name == "sqlite":
        with library.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_a_save_waits_for_one_in_progress_and_takes_the_next_number(
    library_url: str, workspace: Path, tmp_path: Path
) -> None:
    library = Library(library_url, cache=tmp_path / "cache")
    library.save(example(workspace, LABOUR), "Plan", "Kim")
    release, go = tmp_path / "release", tmp_path / "go"
    go.touch()
    first = Worker("hold", library_url, tmp_path / "cache", example(workspace, LABOUR), "Plan", "Ole", release)
    first.expect("holding")  # version 2 inserted, not committed
    second = Worker("save", library_url, tmp_path / "cache", example(workspace, MAX_REACH), "Plan", "Ida", 1, go)
    second.expect("saving")
    if library.engine.dialect.name == "postgresql":
        _wait_for_a_lock_wait(library_url)  # the second save waits on the first one's uncommitted version 2
    else:
        time.sleep(1.0)  # the second save waits in BEGIN IMMEDIATE for the first one's write lock
    assert second.process.poll() is None, "the second save did not wait for the first one"
    release.touch()
    assert first.finish() == ["2"]
    assert second.finish() == ["3"]
    assert "retrying" not in second.log  # it queued for the number instead of racing for it
    assert [(v.version, v.author) for v in library.versions("Plan")] == [(1, "Kim"), (2, "Ole"), (3, "Ida")]


def test_a_save_that_loses_its_number_to_an_import_takes_the_next(
    library_url: str, workspace: Path, tmp_path: Path
) -> None:
    source = Library(f"sqlite:///{tmp_path / 'source.db'}", cache=tmp_path / "cache")
    imported = source.save(example(workspace, LABOUR), "Plan", "Kim")
    export_library(source, tmp_path / "export")
    library = Library(library_url, cache=tmp_path / "cache")
    release, go = tmp_path / "release", tmp_path / "go"
    go.touch()
    importer = Worker("hold-import", library_url, tmp_path / "cache", tmp_path / "export", release)
    importer.expect("holding")  # Plan@1 inserted, not committed
    other_files = example(workspace, COPENHAGEN)  # so that it does not wait for the import's uncommitted files
    saver = Worker("save", library_url, tmp_path / "cache", other_files, "Plan", "Ida", 1, go)
    saver.expect("saving")
    if library.engine.dialect.name == "postgresql":
        _wait_for_a_lock_wait(library_url)  # the save took number 1 too, and waits for the import's row
    else:
        time.sleep(1.0)  # the save waits in BEGIN IMMEDIATE for the import's write lock
    release.touch()
    assert importer.finish() == ["imported"]
    assert saver.finish() == ["2"]
    if library.engine.dialect.name == "postgresql":
        assert "lost the race for a version number (attempt 1); retrying" in saver.log
    versions = library.versions("Plan")
    assert [(v.version, v.author) for v in versions] == [(1, "Kim"), (2, "Ida")]
    assert versions[0].created_at == imported.created_at


def test_processes_opening_a_new_library_at_once_create_it_once(library_url: str, tmp_path: Path) -> None:
    go = tmp_path / "go"
    workers = [Worker("open", library_url, tmp_path / "cache", go) for _ in range(PROCESSES)]
    go.touch()
    assert [w.finish() for w in workers] == [["open"]] * PROCESSES
    with Library(library_url, cache=tmp_path / "cache").engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == ["0001"]
        assert connection.execute(select(func.count()).select_from(VersionRow)).scalar() == 0


def test_a_forked_process_makes_its_own_connections(library_url: str, workspace: Path, tmp_path: Path) -> None:
    library = Library(library_url, cache=tmp_path / "cache")
    library.save(example(workspace, LABOUR), "Plan", "Kim")  # the parent's pool now holds a connection
    child = os.fork()
    if child == 0:  # pragma: the child reports through its exit code only
        code = 1
        try:
            mine = Library(library_url, cache=tmp_path / "cache")
            code = (
                0 if mine.engine is not library.engine and mine.save(example(workspace, LABOUR), "Plan", "Ida") else 3
            )
        finally:
            os._exit(code)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert [v.author for v in library.versions("Plan")] == ["Kim", "Ida"]  # the parent's connection still works


def _wait_for_a_lock_wait(url: str) -> None:
    """Return once a session on the test's database waits for a lock (fail after TIMEOUT_S)."""
    observer: Engine = create_engine(make_url(url), isolation_level="AUTOCOMMIT")
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    try:
        deadline = time.monotonic() + TIMEOUT_S
        with observer.connect() as connection:
            while connection.execute(query).scalar() == 0:
                if time.monotonic() > deadline:
                    pytest.fail("the second save never waited for the first one's lock")
                time.sleep(0.01)
    finally:
        observer.dispose()
