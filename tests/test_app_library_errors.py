"""The app when the library says no (AppTest): a link naming a version or a catalog the library does not hold, a
database that cannot be reached, a bad address in PULJE_DATABASE_URL, a database busy with another writer. Each is
said in Danish, never as a traceback; the session keeps its settings (or opens the first catalog) and keeps working.
An uploaded catalog is kept in the library by its hash, so its link works for another app process."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

import ui_text
from scenarios.library import engine as library_engine
from scenarios.library.errors import FileNotStored
from scenarios.library.store import Library
from tests.app_helpers import assert_amounts, assert_clean, independent, open_tab, run_app, shown_texts, slider, start
from tests.app_library_helpers import TAB, T, app_library, save
from tests.test_app_files import HEADER, ROWS, upload_csv

__all__ = ["app_library"]  # the fixture, used by name
RESULT_TAB = ui_text.RESULTS["tabs"][0]
CLOSE = "»Plan«"


def assert_works_on_the_first_catalog(at) -> None:
    """The session shows the first catalog and a slider still changes the result as the core says."""
    assert dict(at.query_params) == {"katalog": "fb2021"}
    slider(at, "Pulje 2021").set_value(600_000).run()
    assert_clean(at)
    open_tab(at, RESULT_TAB)
    assert_amounts(at, independent(start("fb2021").with_budget(2021, 600_000), "fb2021"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"bibliotek": "Plan", "version": "7"}, T["no_version"].format(name="Plan", version=7, first=1, last=1)),
        ({"bibliotek": "Plna"}, T["no_name"].format(name="Plna") + T["did_you_mean"].format(names=CLOSE)),
        ({"bibliotek": "Noget helt andet"}, T["no_name"].format(name="Noget helt andet")),
    ],
    ids=["unknown version", "misspelt name", "unknown name"],
)
def test_a_link_to_a_version_the_library_does_not_hold_says_so_and_opens_the_first_catalog(
    app_library: Library, query: dict[str, str], expected: str
) -> None:
    save(run_app({"katalog": "kk2019"}), "Plan")
    at = run_app(query)
    assert_clean(at)
    errors = shown_texts(at, "error")
    assert expected in errors and T["link_failed"] in errors
    assert_works_on_the_first_catalog(at)


def test_a_link_with_a_version_that_is_not_a_number_opens_the_newest(app_library: Library) -> None:
    save(run_app({"pulje.2021": "500000"}), "Plan")
    at = run_app({"bibliotek": "Plan", "version": "to"})
    assert_clean(at)
    assert T["bad_version"].format(value="to") in shown_texts(at, "info")
    assert dict(at.query_params) == {"bibliotek": "Plan", "version": "1"}
    assert_amounts(at, independent(start("fb2021").with_budget(2021, 500_000), "fb2021"))


UNUSABLE = {
    "unreachable server": ("postgresql+psycopg://kim:hemmelig@127.0.0.1:1/pulje", T["unreachable"]),
    "not a URL": ("ikke en adresse", T["bad_url"]),
    "unknown database kind": ("mysql://kim:hemmelig@db.example/pulje", T["bad_url"]),
    "SQLite file under a file": ("sqlite:///{tmp}/a-file/library.db", T["unreachable"]),
}


@pytest.fixture(params=list(UNUSABLE.values()), ids=list(UNUSABLE))
def unusable(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """PULJE_DATABASE_URL set to a library that cannot be used; the Danish text the page must say."""
    url, text = request.param
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("PULJE_DATABASE_URL", url.format(tmp=tmp_path))
    return text


def test_an_unusable_library_is_said_in_danish_and_the_settings_stay(unusable: str) -> None:
    query = {"pulje.2021": "500000", "vaegt.sundhed": "2"}
    at = open_tab(run_app(query), TAB)
    assert_clean(at)
    assert unusable in shown_texts(at, "error")
    save(at, "Plan")
    assert_clean(at)
    assert unusable in shown_texts(at, "error")
    assert "hemmelig" not in shown_texts(at, "error")  # a password never reaches the page
    assert dict(at.query_params) == {"katalog": "fb2021", **query}
    open_tab(at, RESULT_TAB)
    assert_amounts(at, independent(start("fb2021").with_budget(2021, 500_000).with_weight("sundhed", 2.0), "fb2021"))


def test_a_link_to_a_version_while_the_library_is_unusable_opens_the_first_catalog(unusable: str) -> None:
    at = run_app({"bibliotek": "Plan", "version": "1"})
    assert_clean(at)
    assert unusable in shown_texts(at, "error")
    assert_works_on_the_first_catalog(at)


def test_a_busy_library_is_said_in_danish_and_the_save_works_once_it_is_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "busy.db"
    url = f"sqlite:///{path}"
    monkeypatch.setattr(library_engine, "BUSY_TIMEOUT_S", 0.2)  # the wait before a writer gives up
    monkeypatch.setenv("PULJE_DATABASE_URL", url)
    try:
        at = open_tab(run_app({"pulje.2021": "500000"}), TAB)  # creates the library
        writer = sqlite3.connect(path, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")  # another process holding the write lock
        save(at, "Plan")
        assert_clean(at)
        assert T["busy"] in shown_texts(at, "error")
        assert dict(at.query_params) == {"katalog": "fb2021", "pulje.2021": "500000"}
        writer.execute("ROLLBACK")
        writer.close()
        save(at, "Plan")
        assert T["saved"].format(name="Plan", version=1) in shown_texts(at, "success")
    finally:
        library_engine.dispose(make_url(url))


def test_an_uploaded_catalog_is_kept_in_the_library_and_its_link_opens_in_another_process(
    app_library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = "\n".join([HEADER, *ROWS]).encode("utf-8")
    at = upload_csv(run_app(), "mit_katalog.csv", content.decode("utf-8"))
    assert_clean(at)
    sha256 = hashlib.sha256(content).hexdigest()
    assert at.query_params["katalog"] == f"upload:{sha256}/mit_katalog.csv"
    assert app_library.file_content(sha256) == content
    other_cache = tmp_path / "another-process"  # another app process: nothing on its disk yet
    monkeypatch.setenv("PULJE_CACHE_DIR", str(other_cache))
    new = run_app(dict(at.query_params))
    assert_clean(new)
    assert (other_cache / sha256 / "mit_katalog.csv").read_bytes() == content  # written from the library
    assert new.dataframe[0].value.equals(at.dataframe[0].value)


def test_a_catalog_that_does_not_read_is_not_kept_in_the_library(app_library: Library) -> None:
    text = "\n".join([HEADER, ROWS[0].replace("200000", "mange penge")])
    at = upload_csv(run_app(), "forkert.csv", text)
    assert_clean(at)
    assert "forkert.csv" in shown_texts(at, "error")
    with pytest.raises(FileNotStored):
        app_library.file_content(hashlib.sha256(text.encode("utf-8")).hexdigest())


def test_a_link_to_an_upload_the_library_does_not_hold_says_so_and_opens_the_first_catalog(
    app_library: Library,
) -> None:
    at = run_app({"katalog": f"upload:{'0' * 64}/katalog.csv", "pulje": "100000"})
    assert_clean(at)
    assert ui_text.APP["upload_gone"] in shown_texts(at, "error")
    assert_works_on_the_first_catalog(at)
