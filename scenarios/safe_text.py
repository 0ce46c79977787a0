"""Text made safe for where it is written: Excel cells, CSV fields and the terminal.

Names, notes and ids come from catalogs that people paste together from PDF and Word, so they may hold
control characters (which openpyxl refuses), text a spreadsheet would run as a formula, or escape
sequences that would clear or retitle a terminal.
"""

from __future__ import annotations

import re

from optimizer.formats import is_missing

# The characters an .xlsx cell cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE); VT and FF are Word's line
# and page breaks, so they become line breaks, the rest the replacement character.
_EXCEL_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EXCEL_BREAKS = {"\x0b": "\n", "\x0c": "\n"}
REPLACEMENT = "\ufffd"

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# A formula character at the start of the field or of a piece a spreadsheet may split it into (on , ; tab or
# a line break), after optional spaces and quotes (a quoted "=1" is a formula too): "x;=1+4" becomes
# "x;'=1+4", ' "=1' becomes ' "'=1'.
_FORMULA_PIECE = re.compile(r"(?:^|(?<=[,;\t\r\n]))([ \"]*)(?=[=+\-@＝＋－＠])")
_CSV_QUOTE = re.compile(r'[,;"\r\n]')  # ";" too: Danish Excel splits on it

# Control characters a terminal acts on (C0 but the line break, DEL, C1) and the bidi overrides that
# reorder what is shown.
_TERMINAL_UNSAFE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def excel_text(text: str) -> tuple[str, int]:
    """The text with every character an .xlsx cannot hold replaced, and how many were replaced."""
    cleaned, count = _EXCEL_ILLEGAL.subn(lambda m: _EXCEL_BREAKS.get(m.group(), REPLACEMENT), text)
    return cleaned, count


def csv_field(value: object) -> str:
    """A value as one CSV field: missing is empty, lists are joined with ";", and text that a spreadsheet
    would run as a formula (at the start or after a separator) gets an apostrophe in front."""
    if is_missing(value):
        return ""
    if isinstance(value, list | tuple):
        value = ";".join(map(str, value))
    if not isinstance(value, str):
        return str(value)
    text = _FORMULA_PIECE.sub(r"\1'", value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_line(values: list[object]) -> str:
    """One CSV record (comma-separated, CRLF): a field holding , ; " or a line break is quoted (and a lone
    empty field, so the record is not an empty line)."""
    fields = [csv_field(value) for value in values]
    quoted = ['"' + f.replace('"', '""') + '"' if _CSV_QUOTE.search(f) else f for f in fields]
    return ('""' if quoted == [""] else ",".join(quoted)) + "\r\n"


def terminal_text(text: str) -> str:
    """The text with control characters shown as escapes (\\x1b, \\u202e) instead of acted on; line
    breaks are kept."""
    return _TERMINAL_UNSAFE.sub(lambda m: _escape(m.group()), text)


def terminal_cell(text: str) -> str:
    """One table cell for the terminal: like terminal_text, and a line break is shown as \\n too."""
    return terminal_text(text).replace("\n", "\\n")


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
