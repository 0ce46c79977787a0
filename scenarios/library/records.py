"""What the library hands out and takes in: frozen records of saved versions, their files and results."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from scenarios.library.errors import LibraryError

SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")
TEXT_LENGTH = 200  # the longest name or author the library keeps
FILE_NAME_LENGTH = 255
ROLES = ("catalog", "goals", "asks", "baseline")  # the files a scenario names, in the order they are listed


@dataclass(frozen=True)
class StoredFile:
    """A file a version used: its role (catalog, goals, baseline), its name when saved, its SHA-256 and size."""

    role: str
    file_name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class VersionInfo:
    """One saved version: who saved it when, with which files, and what the run gave (objective None if none)."""

    name: str
    version: int
    author: str
    created_at: datetime  # UTC
    note: str
    status: str
    objective: float | None
    files: tuple[StoredFile, ...]

    @property
    def ref(self) -> str:
        """NAME@VERSION, the way the command line names a version."""
        return f"{self.name}@{self.version}"


@dataclass(frozen=True)
class ResultSummary:
    """What a run gave: status, objective, kroner per indsats, and per year for a multi-year pulje."""

    status: str
    objective: float | None
    allocation: dict[str, float]
    allocation_by_year: dict[str, dict[str, float]]


@dataclass(frozen=True)
class VersionSummary:
    """A version with its scenario TOML (files named by their bare names) and its result summary."""

    info: VersionInfo
    scenario_toml: str
    result: ResultSummary


@dataclass(frozen=True)
class FileContent:
    """A file to store, with its bytes."""

    role: str
    file_name: str
    content: bytes

    @property
    def sha256(self) -> str:
        return sha256_of(self.content)


@dataclass(frozen=True)
class NewVersion:
    """Everything one save writes; the version number is given by the library (or by an import)."""

    name: str
    author: str
    created_at: datetime
    note: str
    scenario_toml: str
    files: tuple[FileContent, ...]
    result: ResultSummary


def sha256_of(content: bytes) -> str:
    """The SHA-256 of some bytes, as 64 lowercase hex digits."""
    return hashlib.sha256(content).hexdigest()


def safe_file_name(file_name: str) -> str:
    """`file_name` if it is a plain file name (no folder, no `..`), else a LibraryError: stored names are
    written to disk on open and import, so a name from a database or a manifest must not leave its folder."""
    if (
        not file_name
        or file_name in (".", "..")
        or any(c in file_name for c in "/\\\0")
        or len(file_name) > FILE_NAME_LENGTH
    ):
        raise LibraryError(f"{file_name!r} is not a plain file name")
    return file_name


def parse_ref(ref: str) -> tuple[str, int | None]:
    """NAME@K -> (NAME, K); NAME alone -> (NAME, None), the latest version. A name may itself contain @."""
    name, at, number = ref.rpartition("@")
    if at and number.isdigit() and name:
        return name, int(number)
    return ref, None


def one_line(value: object, what: str) -> str:
    """A name or an author: one line of 1 to TEXT_LENGTH characters, surrounding spaces dropped."""
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > TEXT_LENGTH or any(c in text for c in "\r\n\t\0"):
        raise LibraryError(f"{what}: expected one line of 1 to {TEXT_LENGTH} characters, got {value!r}")
    return text
