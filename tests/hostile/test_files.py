"""Hostile input files, whatever their content: missing, a folder, a FIFO, unreadable, too large, not what their
name says, or text in an encoding pulje must detect. Each gets one clear CatalogError naming the file, and
through the CLI exit code 2 with no output file written; none hangs, none gives a traceback."""

from __future__ import annotations

import errno
import os
import re
import warnings
from pathlib import Path

import pytest

from optimizer import CatalogError, load_amounts, load_catalog, load_goals
from optimizer.files import EncodingNote, read_text
from optimizer.limits import MAX_FILE_BYTES
from tests.hostile.builders import (
    HEADER,
    csv_text,
    fails_cleanly,
    rows,
    write_bytes,
    write_goals,
    write_workbook,
)

LOADERS = {"load_catalog": load_catalog, "load_goals": load_goals, "load_amounts": load_amounts}


def _catalog_error(path: Path, pattern: str) -> CatalogError:
    with pytest.raises(CatalogError, match=pattern) as info:
        load_catalog(path)
    return info.value


# --- what is at the path ---------------------------------------------------------------------------


@pytest.mark.parametrize("loader", list(LOADERS))
def test_missing_file(loader: str, tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"nowhere\.csv(.|\n)*file not found"):
        LOADERS[loader](tmp_path / "nowhere.csv")


@pytest.mark.parametrize("loader", list(LOADERS))
def test_folder(loader: str, tmp_path: Path) -> None:
    (tmp_path / "katalog.csv").mkdir()
    with pytest.raises(CatalogError, match=r"katalog\.csv(.|\n)*is a folder, not a file"):
        LOADERS[loader](tmp_path / "katalog.csv")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("loader", list(LOADERS))
def test_fifo_is_refused_without_opening_it(loader: str, suffix: str, tmp_path: Path) -> None:
    """Opening a FIFO for reading blocks until a writer comes: it must be refused before it is opened."""
    path = tmp_path / f"katalog{suffix}"
    os.mkfifo(path)
    with pytest.raises(CatalogError, match=rf"katalog\{suffix}(.|\n)*not a regular file"):
        LOADERS[loader](path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_unreadable_file(suffix: str, tmp_path: Path) -> None:
    path = write_bytes(tmp_path, f"katalog{suffix}", csv_text(rows()).encode())
    path.chmod(0)
    _catalog_error(path, rf"katalog\{suffix}(.|\n)*cannot read .*Permission denied")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("loader", list(LOADERS))
def test_permission_denied_when_opening(
    loader: str, suffix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the OS answers a user without read permission (simulated: the tests may run as root)."""
    path = write_bytes(tmp_path, f"katalog{suffix}", csv_text(rows()).encode())
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(CatalogError, match=rf"katalog\{suffix}(.|\n)*cannot read .*: Permission denied"):
        LOADERS[loader](path)


def test_file_over_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "katalog.csv", b"")
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used, and never read
    _catalog_error(path, r"katalog\.csv(.|\n)*more than the limit of 200 MB .*MAX_FILE_BYTES")


def test_empty_file(tmp_path: Path) -> None:
    _catalog_error(write_bytes(tmp_path, "katalog.csv", b""), r"katalog\.csv(.|\n)*the file is empty")


# --- a file that is not what its name says ---------------------------------------------------------

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # the header of an old .xls (and of encrypted Office)
ENCRYPTED = OLE2 + "EncryptedPackage".encode("utf-16-le") + bytes(100)  # the stream an encrypted .xlsx holds


@pytest.mark.parametrize(
    ("name", "data", "pattern"),
    [
        pytest.param("katalog.xlsx", b"id,name\na,b\n", r"is a text file, not an Excel workbook.*rename it to \.csv",
                     id="csv-named-xlsx"),
        pytest.param("katalog.xlsx", OLE2, r"old Excel format \(\.xls\).*save it as \.xlsx", id="xls-named-xlsx"),
        pytest.param("katalog.xlsx", ENCRYPTED, r"password-protected", id="encrypted-xlsx"),
        pytest.param("katalog.xlsx", b"%PDF-1.7\n" + bytes(50), r"is a PDF document", id="pdf-named-xlsx"),
        pytest.param("katalog.xlsx", b"PK\x03\x04" + bytes(60), r"the workbook is damaged", id="truncated-zip"),
        pytest.param("katalog.csv", OLE2, r"old-format Excel workbook \(\.xls\).*not a CSV", id="xls-named-csv"),
        pytest.param("katalog.csv", ENCRYPTED, r"password-protected .*not a CSV text file", id="encrypted-named-csv"),
        pytest.param("katalog.xls", OLE2, r"old Excel format.*save as \.xlsx", id="xls"),
        pytest.param("katalog.csv", b"id,name\x00\x01\x02\x03", r"NUL bytes: it is not a text file", id="binary"),
    ],
)  # fmt: skip
def test_file_that_is_not_what_its_name_says(name: str, data: bytes, pattern: str, tmp_path: Path) -> None:
    _catalog_error(write_bytes(tmp_path, name, data), rf"{name.replace('.', '[.]')}(.|\n)*{pattern}")


def test_workbook_named_csv_says_to_rename_it(tmp_path: Path) -> None:
    write_goals(tmp_path)
    workbook = write_workbook(tmp_path / "real.xlsx")
    path = tmp_path / "katalog.csv"
    workbook.rename(path)
    _catalog_error(path, r"katalog\.csv(.|\n)*is a zip archive \(such as an Excel workbook.*rename it to \.xlsx")


# --- encodings -------------------------------------------------------------------------------------

DANISH = [[*row[:1], "Æblegården på Øresundsvej", *row[2:]] for row in rows()]


@pytest.mark.parametrize(
    ("encoding", "delimiter", "note"),
    [
        pytest.param("utf-8", ",", None, id="utf-8"),
        pytest.param("utf-8-sig", ";", None, id="utf-8-bom-semicolon"),
        pytest.param("utf-16", "\t", "UTF-16", id="utf-16-tab (Excel's Unicode text)"),
        pytest.param("utf-16-be", "\t", "UTF-16", id="utf-16-be-tab"),
        pytest.param("cp1252", ";", "Windows-1252", id="cp1252-semicolon (Danish Excel's CSV)"),
    ],
)
def test_catalog_in_every_encoding_reads_the_same(
    encoding: str, delimiter: str, note: str | None, tmp_path: Path
) -> None:
    text = csv_text(DANISH, delimiter=delimiter)
    data = ("\ufeff" + text).encode(encoding) if encoding == "utf-16-be" else text.encode(encoding)
    path = write_bytes(tmp_path, "katalog.csv", data)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        catalog = load_catalog(path)
    assert catalog["name"].tolist() == ["Æblegården på Øresundsvej"] * 3
    assert catalog["id"].tolist() == ["a0", "a1", "a2"]
    assert catalog["cost_kr"].tolist() == [100_000.0] * 3
    notes = [str(w.message) for w in caught if issubclass(w.category, EncodingNote)]
    if note is None:
        assert notes == []
    else:
        assert len(notes) == 1 and notes[0].startswith(f"katalog.csv is not UTF-8; it was read as {note}"), notes


def test_bytes_invalid_in_every_encoding(tmp_path: Path) -> None:
    """0x81 is undefined in Windows-1252 and a stray continuation byte in UTF-8."""
    data = csv_text(rows()).encode() + b"a9,\x81,AUU\r\n"
    _catalog_error(
        write_bytes(tmp_path, "katalog.csv", data),
        r"katalog\.csv(.|\n)*byte 0x81 on line 5 is neither UTF-8 nor Windows-1252; save the file as UTF-8",
    )


def test_utf16_marked_but_broken(tmp_path: Path) -> None:
    data = "\ufeffid".encode("utf-16-le") + b"\x00\xd8"  # a lone high surrogate
    _catalog_error(write_bytes(tmp_path, "katalog.csv", data), r"marked as UTF-16 but is not valid UTF-16")


def test_read_text_names_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes("æ".encode("cp1252"))
    with pytest.warns(EncodingNote, match="x.txt is not UTF-8; it was read as Windows-1252"):
        assert read_text(path) == ("æ", "Windows-1252")
    path.write_bytes("\ufeffæ".encode())
    assert read_text(path) == ("æ", "UTF-8")


# --- the same through the command line: exit 2, the message, nothing written ------------------------

CLI_CASES = {
    "missing": (lambda d: d / "nowhere.csv", r"file not found"),
    "folder": (lambda d: (d / "dir.csv").mkdir() or d / "dir.csv", r"is a folder"),
    "fifo": (lambda d: os.mkfifo(d / "pipe.csv") or d / "pipe.csv", r"not a regular file"),
    "xls": (lambda d: write_bytes(d, "old.xlsx", OLE2), r"old Excel format"),
    "invalid-bytes": (lambda d: write_bytes(d, "bad.csv", b"id\n\x81\n"), r"byte 0x81 on line 2"),
    "text-as-xlsx": (lambda d: write_bytes(d, "t.xlsx", ",".join(HEADER).encode()), r"is a text file"),
}


@pytest.mark.parametrize("case", list(CLI_CASES))
@pytest.mark.parametrize("command", ["validate", "solve"])
def test_cli_fails_cleanly_on_a_hostile_file(
    command: str, case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, pattern = CLI_CASES[case]
    path = make(tmp_path)
    argv = [command, str(path)] + (["--budget", "100000"] if command == "solve" else [])
    err = fails_cleanly(capsys, tmp_path / "out", *argv)
    assert path.name in err
    assert re.search(pattern, err), err
