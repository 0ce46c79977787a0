"""Helpers for the app's tests: run the page headless (AppTest), read what it shows as numbers, find its
widgets by their Danish labels, catch its downloads, and solve the same settings independently."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

import ui_text
from optimizer import Result, evaluate, load_amounts, load_catalog, solve
from optimizer.numbers import parse_number
from scenarios.bundled import BUNDLED, start_settings
from scenarios.settings import Settings
from ui.tables import label as as_label

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TIMEOUT = 60
AMOUNT = ui_text.COLUMNS["amount_kr"]
REFERENCE = ui_text.COLUMNS["reference_kr"]
NAME = ui_text.COLUMNS["name"]


def run_app(query: Mapping[str, str] | None = None) -> AppTest:
    """The page as a fresh session opened with these query parameters (a link) sees it."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if query:
        at.query_params.update(dict(query))
    return at.run()


def assert_clean(at: AppTest) -> None:
    """No exception reached the page, and no English error text did either."""
    assert not at.exception, [e.value for e in at.exception]
    for element in at.error:
        assert ui_text.APP["unexpected"] not in element.value, element.value


def catalog(key: str) -> pd.DataFrame:
    return load_catalog(BUNDLED[key].path)


def start(key: str) -> Settings:
    return start_settings(key, catalog(key))


def independent(settings: Settings, key: str) -> Result:
    """The same settings solved by the core directly (no app, no cache, no compiled model)."""
    return solve(settings.to_inputs(catalog(key)))


def decided_value(settings: Settings, key: str) -> Result:
    """The decided allocation valued with the settings' weights, by the core directly."""
    frame = catalog(key)
    bundled = BUNDLED[key]
    assert bundled.decided_path is not None
    return evaluate(settings.to_inputs(frame), load_amounts(bundled.decided_path, catalog=frame))


def main_table(at: AppTest) -> pd.DataFrame:
    """The table per indsats (the first on the tab "Fordeling"), indexed by the indsats's name."""
    return at.dataframe[0].value.set_index(NAME)


def amounts_by_name(result: Result) -> pd.Series:
    return result.allocation.set_index("name")["amount_kr"]


def assert_amounts(at: AppTest, result: Result) -> None:
    """The app's amounts per indsats are the independent solve's, to the krone."""
    shown = main_table(at)[AMOUNT]
    expected = amounts_by_name(result)
    assert set(shown.index) == set(expected.index)
    for name, amount in expected.items():
        assert math.isclose(float(shown[name]), float(amount), abs_tol=0.5), (name, shown[name], amount)


def plain(text: str) -> str:
    """Markdown as a reader sees it: the app escapes every punctuation character of what it shows."""
    return re.sub(r"\\(.)", r"\1", text)


def shown_texts(at: AppTest, *kinds: str) -> str:
    """The text of every element of these kinds (markdown, caption, info, warning, error), unescaped."""
    return "\n".join(plain(e.value) for kind in kinds for e in getattr(at, kind))


def danish(text: str) -> float:
    """A number as the page writes it: "4.530,00", "300.000 kr.", "-120,00"."""
    return parse_number(re.sub(r"[^\d.,\-]", "", text.replace("−", "-")).strip("."))


def metric(at: AppTest, label: str) -> tuple[str, str]:
    found = next(m for m in at.metric if m.label == label)
    return found.value, found.delta


def slider(at: AppTest, label: str):
    matches = [s for s in at.slider if s.label == as_label(label)]
    assert len(matches) == 1, (label, [s.label for s in at.slider])
    return matches[0]


def box(at: AppTest, label: str):
    """The text box beside the slider labelled `label`."""
    wanted = as_label(ui_text.CONTROLS["box"].format(label=label))
    matches = [t for t in at.text_input if t.label == wanted]
    assert len(matches) == 1, (wanted, [t.label for t in at.text_input])
    return matches[0]


def open_tab(at: AppTest, label: str) -> AppTest:
    at.session_state["result_tabs"] = label
    return at.run()


def open_expander(at: AppTest, key_part: str) -> AppTest:
    """Open a lazy expander (its key ends with `key_part`, e.g. "udvalg_open")."""
    for key in list(at.session_state.keys()):
        if key.endswith(key_part):
            at.session_state[key] = True
    return at.run()


def edit_rows(at: AppTest, edits: dict[int, dict[str, object]]) -> AppTest:
    """Edit cells of the editable table (row position -> {column key: value}) as a user would."""
    if "editor_key" not in at.session_state:
        open_expander(at, "editor_open")
    key = at.session_state["editor_key"]
    at.session_state[key] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    return at.run()


def editor_position(key: str, indsats_id: str) -> int:
    """The row of an indsats in the editor (the catalog's order)."""
    return list(catalog(key)["id"]).index(indsats_id)


@contextmanager
def caught_downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, object]]:
    """Every file the page offers for download: {file name: bytes, or the callable made on click}."""
    files: dict[str, object] = {}
    load = MemoryMediaFileStorage.load_and_get_id
    defer = MediaFileManager.add_deferred

    def loaded(self, path_or_data, mimetype, kind, filename=None):  # type: ignore[no-untyped-def]
        if filename:
            files[filename] = path_or_data
        return load(self, path_or_data, mimetype, kind, filename)

    def deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):  # type: ignore[no-untyped-def]
        if file_name:
            files[file_name] = data_callable
        return defer(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", loaded)
    monkeypatch.setattr(MediaFileManager, "add_deferred", deferred)
    yield files
