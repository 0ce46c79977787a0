"""Helpers for the app's library tests: an empty library of the test's own (PULJE_DATABASE_URL into tmp_path), and
the tab "Bibliotek" driven as a user would (type a name, press a button, pick a version)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import ui_text
from scenarios.library.store import Library
from scenarios.settings import Settings
from tests.app_helpers import open_tab, run_app
from ui import library as panel

T = ui_text.LIBRARY
TAB = ui_text.RESULTS["tabs"][5]


@pytest.fixture
def app_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Library:
    """An empty library (SQLite in tmp_path, its own file cache) that the app under test uses."""
    url = f"sqlite:///{tmp_path / 'library' / 'library.db'}"
    monkeypatch.setenv("PULJE_DATABASE_URL", url)
    monkeypatch.setenv("PULJE_CACHE_DIR", str(tmp_path / "cache"))
    return Library(url, cache=tmp_path / "test-cache")


def save(at: AppTest, name: str, author: str = "Kim Hansen", note: str = "") -> AppTest:
    """Save what the page shows under `name`, from the tab "Bibliotek"."""
    open_tab(at, TAB)
    at.text_input(key=panel.NAME).input(name)
    at.text_input(key=panel.AUTHOR).input(author)
    at.text_input(key=panel.NOTE).input(note)
    return button(at, T["save"]).click().run()


def button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert len(matches) == 1, (label, [b.label for b in at.button])
    return matches[0]


def pick(at: AppTest, name: str, version: int) -> AppTest:
    """Choose a saved version in the tab "Bibliotek"."""
    open_tab(at, TAB)
    at.selectbox(key=panel.PICK_NAME).set_value(name).run()
    at.selectbox(key=panel.PICK_VERSION).set_value(version).run()
    return at


def settings_of(at: AppTest) -> Settings:
    """The settings the session holds now."""
    return at.session_state["settings"]


def fresh(query: dict[str, str]) -> AppTest:
    """A new session opened with this link's parameters."""
    return run_app(query)
