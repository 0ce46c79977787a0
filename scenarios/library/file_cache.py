"""Stored files written back to disk, one folder per content hash, so a saved scenario opens after its
original catalog has changed or gone. A file is checked against its hash before it is used."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from optimizer.files import atomic_path
from scenarios.library.errors import LibraryError
from scenarios.library.records import SHA256_PATTERN, safe_file_name, sha256_of


class FileCache:
    """Files at ROOT/<sha256>/<file name>; any number of processes may fill it at once (atomic renames)."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, sha256: str, file_name: str) -> Path:
        if not SHA256_PATTERN.fullmatch(sha256):
            raise LibraryError(f"{sha256!r} is not a SHA-256 hash")
        return self.root / sha256 / safe_file_name(file_name)

    def ensure(self, sha256: str, file_name: str, fetch: Callable[[], bytes]) -> Path:
        """The cached file, written from `fetch()` when it is missing or does not match its hash."""
        path = self.path(sha256, file_name)
        if path.is_file() and sha256_of(path.read_bytes()) == sha256:
            return path
        content = fetch()
        if sha256_of(content) != sha256:
            raise LibraryError(f"the stored {file_name} does not match its hash {sha256}: the library is damaged")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_path(path) as temporary:
                temporary.write_bytes(content)
        except OSError as exc:
            raise LibraryError(
                f"cannot write {file_name} to the file cache {self.root}: {exc.strerror or exc}"
            ) from None
        return path
