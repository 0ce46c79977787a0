"""Hostile text on the way out: control characters in Excel, formulas and ";" in CSV, escape sequences on
the terminal, and files that are never left half-written."""

from __future__ import annotations

import csv
import io
import re
import threading
from functools import cache
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

import scenarios.workbook
from optimizer import Inputs, validate_catalog
from optimizer.explain import explain
from scenarios import (
    Scenario,
    Sweep,
    compare,
    load_scenario,
    run,
    sweep_budget,
    write_catalog_excel,
    write_csv,
    write_excel,
    write_sweep_excel,
    write_tables_excel,
)
from scenarios.report import comparison_text, run_text, validate_text
from scenarios.safe_text import csv_field, excel_text, terminal_text
from ui_text import EXCEL as LABEL

CONTROL = {
    "vertical-tab": "\x0b",  # Word's manual line break, pasted into a name
    "escape": "\x1b",
    "nul": "\x00",
    "backspace": "\x08",
    "form-feed": "\x0c",
    "unit-separator": "\x1f",
}
FORMULA = ("=", "+", "-", "@")
TERMINAL_UNSAFE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _catalog(name: str, *, indsats_id: str = "a0", note: str = "") -> pd.DataFrame:
    """Two indsatser; the first with the given name, id and note (the optional columns left out are empty)."""
    rows = [
        {"id": indsats_id, "name": name, "udvalg": "SU", "goals": "g", "cost_kr": 100, "reach": 10, "note": note},
        {"id": "b1", "name": "B", "udvalg": "KFU", "goals": "g", "cost_kr": 100, "reach": 5, "note": ""},
    ]
    records = [{"scalable": "true", "source": "test", **row} for row in rows]
    return validate_catalog(pd.DataFrame(records), goals={"g": "Goal"})


def _run(name: str, **kwargs):
    return run(Scenario("hostile", Inputs(_catalog(name, **kwargs), 150.0), catalog_path=Path("hostile.csv")))


@cache
def _sweep() -> Sweep:
    scenario = load_scenario(
        Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "frederiksberg_max_reach.toml"
    )
    return sweep_budget(scenario, [0, 100_000, 200_000])


def _texts(book: openpyxl.Workbook) -> list[str]:
    return [cell.value for sheet in book for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]


# --- Excel: characters an .xlsx cannot hold ----------------------------------------------------------


def _replaced_note(book: openpyxl.Workbook, sheet: str) -> int:
    """The number of replaced characters the workbook's note on `sheet` states (it must state it once)."""
    head = LABEL["replaced_characters"].split("{count}")[1][:20]
    notes = [c.value for c in book[sheet]["A"] if isinstance(c.value, str) and head in c.value]
    assert len(notes) == 1, f"no single note on {sheet}"
    return int(notes[0].split()[0])


@pytest.mark.parametrize("char", CONTROL.values(), ids=CONTROL.keys())
def test_a_control_character_in_a_name_is_replaced_and_said(char: str, tmp_path: Path) -> None:
    name = f"Navn{char}med tegn"
    result = _run(name)
    path = write_excel(result, tmp_path / "w.xlsx", comparison=compare(result, result))  # crashed before
    book = openpyxl.load_workbook(path)
    texts = _texts(book)
    assert not any(ILLEGAL_CHARACTERS_RE.search(text) for text in texts)
    cleaned = excel_text(name)[0]
    assert cleaned == name.replace(char, "\n" if char in "\x0b\x0c" else "\ufffd")
    assert _replaced_note(book, LABEL["sheet_summary"]) == texts.count(cleaned) >= 2  # allocation, comparison


@pytest.mark.parametrize("char", CONTROL.values(), ids=CONTROL.keys())
def test_catalog_and_sweep_workbooks_take_control_characters(char: str, tmp_path: Path) -> None:
    catalog = _catalog(f"Na{char}vn", note=f"x{char}y")
    book = openpyxl.load_workbook(write_catalog_excel(catalog, tmp_path / "c.xlsx"))
    assert excel_text(f"Na{char}vn")[0] in _texts(book) and excel_text(f"x{char}y")[0] in _texts(book)
    assert _replaced_note(book, LABEL["sheet_notes"]) == 2
    book = openpyxl.load_workbook(write_sweep_excel(_sweep(), tmp_path / "s.xlsx", name=f"Scenarie{char}"))
    assert excel_text(f"Scenarie{char}")[0] in _texts(book)
    assert _replaced_note(book, LABEL["sheet_summary"]) == 1


def test_a_workbook_without_control_characters_has_no_note(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write_excel(_run("Plain"), tmp_path / "plain.xlsx"))
    assert not any("Excel ikke kan gemme" in text for text in _texts(book))


def test_the_replaced_characters_are_exactly_the_ones_openpyxl_refuses() -> None:
    for code in range(0x10000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:  # surrogates are not characters
            continue
        refused = bool(ILLEGAL_CHARACTERS_RE.search(char))
        assert (excel_text(char)[1] == 1) == refused, hex(code)


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_any_text_survives_a_workbook(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = tmp_path_factory.mktemp("any") / "t.xlsx"
    frame = pd.DataFrame({"id": [text], "name": [text + "!"], "kr": [1.0]})
    write_tables_excel({"tabel": frame, "=navn": frame.rename(columns={"name": text})}, path)
    book = openpyxl.load_workbook(path)
    sheet = book["tabel"]
    cleaned = excel_text(text)[0].replace("\r\n", "\n").replace("\r", "\n")  # XML reads any line end as \n
    assert sheet.cell(2, 1).value == (cleaned or None)
    assert sheet.cell(2, 2).value == cleaned + "!"
    assert all(cell.data_type != "f" for s in book for row in s.iter_rows() for cell in row)


# --- CSV: ";" and formulas --------------------------------------------------------------------------


def _csv(frame: pd.DataFrame) -> str:
    buffer = io.StringIO(newline="")
    write_csv(frame, buffer)
    return buffer.getvalue()


def test_a_semicolon_field_is_quoted_and_its_formula_neutralised() -> None:
    out = _csv(pd.DataFrame({"id": ["x;=1+4"], "kr": [1.0]}))
    assert out.splitlines()[1] == '"x;\'=1+4",1.0'
    danish = list(csv.reader(io.StringIO(out), delimiter=";"))  # as Danish Excel splits a line
    assert not any(field.startswith(FORMULA) for row in danish for field in row)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x;=1+4", "x;'=1+4"),
        ("a,+1", "a,'+1"),
        ("a\t@SUM(A1)", "a\t'@SUM(A1)"),
        ("a, =1", "a, '=1"),
        (" =1", " '=1"),
        ("line\n-1", "line\n'-1"),
        ("=1;=2", "'=1;'=2"),
        ("10-15 borgere; 2021: 150.000 kr.", "10-15 borgere; 2021: 150.000 kr."),
        ("a=b;c", "a=b;c"),
    ],
)
def test_csv_field_neutralises_every_piece(text: str, expected: str) -> None:
    assert csv_field(text) == expected


@pytest.mark.parametrize("value", [pd.NA, None, float("nan"), pd.NaT])
def test_csv_missing_is_empty(value: object) -> None:
    out = _csv(pd.DataFrame({"a": pd.Series([value], dtype=object), "b": ["x"]}))
    assert out.splitlines()[1] == ",x"


def _pieces(out: str) -> list[str]:
    """Every field a spreadsheet might make of the text: csv-parsed on , ; and tab, and naively split."""
    pieces = []
    for delimiter in (",", ";", "\t"):
        try:
            pieces += [field for row in csv.reader(io.StringIO(out), delimiter=delimiter) for field in row]
        except csv.Error:  # a line break inside what this reader takes for an unquoted field: no parse at all
            assert delimiter != ","

    pieces += re.split(r"[,;\t\r\n]", out)
    return pieces


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("=+-@;,\t\r\n \"'ax1"), max_size=12), min_size=1, max_size=3))
def test_no_spreadsheet_split_of_a_text_cell_starts_a_formula(values: list[str]) -> None:
    out = _csv(pd.DataFrame({"text": values, "more": values[::-1]}))
    for piece in _pieces(out):
        assert not piece.lstrip(" ").startswith(FORMULA), (values, piece)
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[1:] == [[csv_field(a), csv_field(b)] for a, b in zip(values, values[::-1], strict=True)]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="=+-@＝＋－＠\t\r\n,;", blacklist_categories=("Cs",))))
def test_harmless_text_is_written_unchanged(text: str) -> None:
    assert csv_field(text) == text


# --- the terminal -----------------------------------------------------------------------------------

ESCAPES = {"clear-screen": "\x1b[2J", "retitle": "\x1b]0;pwned\x07", "csi-c1": "\x9b2J", "bidi": "\u202egnp.exe"}


@pytest.mark.parametrize("sequence", ESCAPES.values(), ids=ESCAPES.keys())
def test_escape_sequences_in_ids_and_names_do_not_reach_the_terminal(sequence: str) -> None:
    result = _run(f"name{sequence}", indsats_id=f"a{sequence}")
    explained = run_text(result, explanation=explain(result.result))  # with every explanation, as --explain
    texts = [explained, comparison_text(compare(result, _run("other")))]
    for text in texts:
        assert not TERMINAL_UNSAFE.search(text), repr(TERMINAL_UNSAFE.search(text))
    assert terminal_text(f"a{sequence}") in texts[0]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_csv_on_a_terminal_shows_escapes_but_a_file_keeps_the_data(tmp_path: Path) -> None:
    frame = pd.DataFrame({"id": ["a\x1b[2J"], "kr": [1.0]})
    terminal = _Terminal()
    write_csv(frame, terminal)
    assert terminal.getvalue() == "id,kr\na\\x1b[2J,1.0\n"
    write_csv(frame, tmp_path / "data.csv")
    assert (tmp_path / "data.csv").read_bytes() == b"id,kr\r\na\x1b[2J,1.0\r\n"


def test_validate_text_escapes_the_path() -> None:
    assert "\x1b" not in validate_text("cat\x1b[2J.csv", pd.DataFrame({"id": ["a"]}))


@given(st.text())
def test_terminal_text_leaves_nothing_a_terminal_acts_on(text: str) -> None:
    safe = terminal_text(text)
    assert not TERMINAL_UNSAFE.search(safe)
    assert safe.count("\n") == text.count("\n")


@given(
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc", "Cs"),
            blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
        )
    )
)
def test_printable_text_is_shown_as_it_is(text: str) -> None:
    assert terminal_text(text) == text


# --- files are never half-written -------------------------------------------------------------------


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_failing_workbook_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "udvalg.xlsx"
    write_excel(_run("First"), path)
    before = path.read_bytes()

    def broken(self, filename) -> None:
        Path(filename).write_bytes(b"PK\x03\x04half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(scenarios.workbook.Workbook, "save", broken)
    with pytest.raises(OSError, match="No space left"):
        write_excel(_run("Second"), path)
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []


def test_a_failing_csv_write_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_csv(pd.DataFrame({"a": [1]}), path)
    before = path.read_bytes()

    class Exploding:
        def __str__(self) -> str:
            raise RuntimeError("disk gone")

    with pytest.raises(RuntimeError):
        write_csv(pd.DataFrame({"a": [1, Exploding()]}), path)
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []


def test_concurrent_writers_leave_one_whole_workbook(tmp_path: Path) -> None:
    path = tmp_path / "same.xlsx"
    runs = [_run(f"Writer {k}") for k in range(6)]
    errors: list[BaseException] = []

    def write(k: int) -> None:
        try:
            for _ in range(3):
                write_excel(runs[k], path)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(k,)) for k in range(len(runs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    book = openpyxl.load_workbook(path)  # a whole workbook, from one of the writers
    names = {row[1] for row in book[LABEL["sheet_allocation"]].iter_rows(min_row=2, max_row=2, values_only=True)}
    assert names <= {f"Writer {k}" for k in range(len(runs))}
    assert _leftovers(tmp_path) == []


def test_a_sweep_workbook_is_written_atomically_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sweep.xlsx"
    path.write_bytes(b"the previous file")
    monkeypatch.setattr(scenarios.workbook.Workbook, "save", lambda self, filename: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        write_sweep_excel(_sweep(), path)
    assert path.read_bytes() == b"the previous file"
    assert _leftovers(tmp_path) == []
