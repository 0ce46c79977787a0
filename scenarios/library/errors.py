"""The errors the scenario library raises: each says what is wrong and what to do."""

from __future__ import annotations

from optimizer.errors import PuljeError


class LibraryError(PuljeError):
    """The library cannot do what was asked (unreachable database, unknown name, clashing import...)."""


class VersionNotFound(LibraryError, LookupError):
    """A name or a version number that the library does not hold."""
