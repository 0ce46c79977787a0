"""The app's shape: only app.py and ui/ import Streamlit, app.py stays a short entry script, every text the
app shows comes from ui_text, and text from a catalog is escaped before Streamlit reads it as Markdown."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import ui_text
from scenarios.why import STATUSES
from ui.tables import label, md

ROOT = Path(__file__).resolve().parent.parent
UI = sorted((ROOT / "ui").glob("*.py"))
PYTHON = sorted(p for folder in ("optimizer", "scenarios", "benchmarks") for p in (ROOT / folder).rglob("*.py"))


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", [*PYTHON, ROOT / "ui_text.py"], ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_app_imports_streamlit(path: Path) -> None:
    if path.name == "app.py" and path.parent.name == "benchmarks":
        pytest.skip("the app benchmark drives the app through streamlit.testing")
    if path.name == "streamlit_client.py" and path.parent.name == "benchmarks":
        pytest.skip("the load test's client speaks Streamlit's websocket protocol in Streamlit's own protobufs")
    assert "streamlit" not in imported(path)


def test_app_py_is_a_short_entry_script() -> None:
    assert len((ROOT / "app.py").read_text(encoding="utf-8").splitlines()) < 80


@pytest.mark.parametrize("path", UI, ids=lambda p: p.name)
def test_ui_modules_are_small(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 300


DANISH_LETTERS = re.compile(r"[æøåÆØÅ]|\b(og|af|til|ikke|pulje|indsats\w*)\b")


def literals(path: Path) -> list[str]:
    """The string literals of a module that are not docstrings (nor regular expressions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and " " in node.value
        and "\\" not in node.value
        and not node.value.startswith("[")
    ]


@pytest.mark.parametrize("path", [ROOT / "app.py", *UI], ids=lambda p: p.name)
def test_the_app_writes_no_sentence_of_its_own(path: Path) -> None:
    """Danish words in a string literal of app.py or ui/ would be text outside ui_text.py."""
    for text in literals(path):
        assert not DANISH_LETTERS.search(text), (path.name, text)


HOSTILE = [
    "![spor](http://127.0.0.1:9/x.png)",
    "[klik](javascript:alert(1))",
    "` lukker en kodestump",
    "<img src=x onerror=alert(1)>",
    ":red[rød tekst] :smile:",
    "$\\frac{1}{0}$",
    "**fed** _kursiv_ ~~streg~~",
    "# overskrift",
    "1. liste",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_cannot_be_read_into_catalog_text(text: str) -> None:
    for escape in (md, label):
        shown = escape(text)
        assert not re.search(r"(?<!\\)[!\[\]`<>$*_~#:]", shown), (escape.__name__, shown)
        assert re.sub(r"\\(.)", r"\1", shown) == " ".join(text.split())  # the reader sees the text as written


@pytest.mark.parametrize("text", ["Pulje 2021", "AUU: højst", "Er aktive på arbejdsmarkedet", "Pulje pr. år"])
def test_a_plain_label_is_kept_as_written_for_screen_readers(text: str) -> None:
    assert label(text) == text


def test_every_status_has_a_danish_word_and_every_tab_a_name() -> None:
    assert set(ui_text.STATUS) == set(STATUSES)
    assert len(ui_text.RESULTS["tabs"]) == 6
