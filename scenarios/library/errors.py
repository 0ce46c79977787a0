"""The errors the scenario library raises: each says what is wrong and what to do.

The kinds a user can act on differently have their own class (the app words each in Danish): a database
URL that is not one, a database that cannot be reached or is busy right now, and a name, version or file
the library does not hold.
"""

from __future__ import annotations

from collections.abc import Iterable

from optimizer.errors import PuljeError


class LibraryError(PuljeError):
    """The library cannot do what was asked (unreachable database, unknown name, clashing import...)."""


class BadDatabaseUrl(LibraryError):
    """The database URL (PULJE_DATABASE_URL or --database) is not one the library can use."""


class DatabaseUnavailable(LibraryError):
    """The database cannot be used right now (the server does not answer, refuses, the file cannot be opened)."""


class DatabaseBusy(DatabaseUnavailable):
    """Another writer held the database longer than the library waits; trying again later works."""


class VersionNotFound(LibraryError, LookupError):
    """A name or a version number that the library does not hold: the name and version asked for, the
    versions the name has (none: an unknown name) and the close names there are."""

    def __init__(
        self,
        message: str,
        name: str = "",
        version: int | None = None,
        versions: tuple[int, ...] = (),
        close: Iterable[str] = (),
    ):
        super().__init__(message)
        self.name, self.version, self.versions, self.close = name, version, tuple(versions), tuple(close)


class FileNotStored(LibraryError, LookupError):
    """A content hash (e.g. of an uploaded catalog named in a link) that the library does not hold."""
