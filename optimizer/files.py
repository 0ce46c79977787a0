"""Input and output files: what a file really is, its text in whichever encoding it uses, and atomic writes.

Reading checks first that the path is a regular file of bounded size (a folder, a pipe or a 5 GB file
gets a message, never a hang), then looks at the first bytes to say what the file really is (a workbook
renamed .csv, an old .xls, an encrypted workbook), then decodes text by its byte-order mark, as UTF-8,
or as Windows-1252, warning with an `EncodingNote` when it was not UTF-8. Writing goes to a temporary
file beside the target that replaces it only when complete.
"""

from __future__ import annotations

import contextlib
import enum
import os
import stat
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

from optimizer.errors import InputFileError
from optimizer.limits import MAX_FILE_BYTES
from optimizer.numbers import format_whole

_BOMS = (  # UTF-32 before UTF-16: its little-endian mark starts with UTF-16's
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")  # the stream of an encrypted .xlsx inside OLE2


class Kind(enum.Enum):
    """What a file holds, judged by its first bytes; the value says it in words."""

    TEXT = "a text file"
    ZIP = "a zip archive (such as an Excel workbook, .xlsx)"
    OLD_OFFICE = "an old-format Excel workbook (.xls) or another pre-2007 Office file"
    ENCRYPTED = "a password-protected (encrypted) workbook"
    PDF = "a PDF document"


class EncodingNote(UserWarning):
    """A text file was read in another encoding than UTF-8; the message says which, so a user can check, and
    `encoding` names it for a caller that words it itself (the app, in Danish)."""

    def __init__(self, message: str, encoding: str):
        super().__init__(message)
        self.encoding = encoding


def check_readable(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES) -> int:
    """The size of `path` if it is a regular file of at most `max_bytes`; else InputFileError saying why.

    Checked with stat() before opening, so a FIFO or a device is refused instead of blocking the read.
    """
    path = Path(path)
    try:
        mode, size = (info := path.stat()).st_mode, info.st_size
    except FileNotFoundError:
        raise InputFileError(f"file not found: {path}") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL character in the name
        raise InputFileError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    if stat.S_ISDIR(mode):
        raise InputFileError(f"{path} is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise InputFileError(f"{path} is not a regular file (a pipe, socket or device): give a file")
    if size > max_bytes:
        raise InputFileError(
            f"{path.name} is {format_whole(size / 1e6, ' MB')}, more than the limit of "
            f"{format_whole(max_bytes / 1e6, ' MB')} for an input file (MAX_FILE_BYTES)"
        )
    return size


def read_bytes(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The content of a regular file of at most `max_bytes` (see check_readable)."""
    path = Path(path)
    check_readable(path, max_bytes=max_bytes)
    data = _read(path, max_bytes + 1)
    if len(data) > max_bytes:  # it grew after the check
        limit = format_whole(max_bytes / 1e6, " MB")
        raise InputFileError(f"{path.name} is larger than the limit of {limit} for an input file (MAX_FILE_BYTES)")
    return data


def _read(path: Path, size: int) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise InputFileError(f"cannot read {path}: {exc.strerror or exc}") from None


def kind_of(data: bytes) -> Kind:
    """What the bytes of a file are, by their magic numbers (anything unrecognised counts as text)."""
    if data.startswith(_ZIP):
        return Kind.ZIP
    if data.startswith(_OLE2):
        return Kind.ENCRYPTED if _ENCRYPTED_STREAM in data else Kind.OLD_OFFICE
    if data.startswith(b"%PDF"):
        return Kind.PDF
    return Kind.TEXT


def file_kind(path: str | Path) -> Kind:
    """What the file at `path` is (a regular file of bounded size; see check_readable), from its first bytes."""
    path = Path(path)
    check_readable(path)
    head = _read(path, len(_OLE2))
    return kind_of(read_bytes(path)) if head == _OLE2 else kind_of(head)


def read_text(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES) -> tuple[str, str]:
    """The text of a file and the name of the encoding it was read in ("UTF-8", "UTF-16", "Windows-1252").

    A byte-order mark decides; without one UTF-8 is tried, then Windows-1252 (what Danish Excel saves as
    "CSV"). Anything but UTF-8 is reported with an EncodingNote warning. A file that is not text (a
    workbook, a PDF, binary data) or that no encoding decodes raises InputFileError saying so.
    """
    path = Path(path)
    return decode_text(path.name, read_bytes(path, max_bytes=max_bytes))


def decode_text(name: str, data: bytes) -> tuple[str, str]:
    """The text of a file's bytes already read (named `name` in messages), as read_text gives it."""
    kind = kind_of(data)
    if kind is not Kind.TEXT:
        raise InputFileError(f"{name} is {kind.value}, not a text file")
    text, encoding = _decode(name, data)
    if encoding != "UTF-8":
        message = f"{name} is not UTF-8; it was read as {encoding}"
        if encoding == "Windows-1252":
            message += ": check that æ, ø and å came out right, or save the file as UTF-8"
        warnings.warn(EncodingNote(message, encoding), stacklevel=3)
    return text, encoding


def _decode(name: str, data: bytes) -> tuple[str, str]:
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), label
            except UnicodeDecodeError as exc:
                raise InputFileError(
                    f"{name} is marked as {label} but is not valid {label} at byte {exc.start}"
                ) from None
    if b"\x00" in data:
        raise InputFileError(
            f"{name} holds NUL bytes: it is not a text file, or it is UTF-16 without a byte-order mark; "
            "save it as UTF-8"
        )
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputFileError(
            f"{name} is not text in any encoding pulje reads: byte 0x{data[exc.start]:02X} on line {line} is "
            "neither UTF-8 nor Windows-1252; save the file as UTF-8"
        ) from None


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; when the block ends without an error it replaces `path`.

    On an error (a full disk, a crash in the writer) the temporary file is removed and `path` is left as
    it was, so concurrent writers and failed writes never leave a corrupt file behind. The temporary
    name keeps the target's suffix, for writers that choose the format by it (.lp, .mps).
    """
    target = Path(path)
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=f".tmp{target.suffix}", dir=target.parent or "."
        )
    except OSError as exc:  # name the file asked for, not the temporary one
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    os.close(handle)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)  # the mode a plain open() would give, not mkstemp's 0600
    try:
        yield Path(temporary)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
