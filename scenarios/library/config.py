"""Where the library lives: the database URL (PULJE_DATABASE_URL, else a SQLite file) and the file cache."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from scenarios.library.errors import BadDatabaseUrl

DATABASE_URL_VARIABLE = "PULJE_DATABASE_URL"
CACHE_DIR_VARIABLE = "PULJE_CACHE_DIR"
BACKENDS = ("sqlite", "postgresql")  # the dialects the library is written and tested for


def database_url(url: str | URL | None = None) -> URL:
    """The library's URL: `url` if given, else $PULJE_DATABASE_URL, else the SQLite file in the data folder."""
    text = url or os.environ.get(DATABASE_URL_VARIABLE) or f"sqlite:///{default_database_path()}"
    try:
        parsed = make_url(text)  # a URL object passes through
    except ArgumentError:
        raise BadDatabaseUrl(
            f"not a database URL: {mask_password(str(text))!r} (expected e.g. sqlite:///path/library.db "
            "or postgresql+psycopg://user:password@host/database)"
        ) from None
    if parsed.get_backend_name() not in BACKENDS:
        raise BadDatabaseUrl(
            f"{mask(parsed)}: the library runs on {' or '.join(BACKENDS)}, not {parsed.get_backend_name()}"
        )
    return parsed


def default_database_path() -> Path:
    """~/.local/share/pulje/library.db, or under $XDG_DATA_HOME when it is set."""
    return _xdg("XDG_DATA_HOME", ".local/share") / "pulje" / "library.db"


def cache_dir() -> Path:
    """Where stored catalogs are written back to disk to be opened: $PULJE_CACHE_DIR, else ~/.cache/pulje/files."""
    override = os.environ.get(CACHE_DIR_VARIABLE)
    return Path(override) if override else _xdg("XDG_CACHE_HOME", ".cache") / "pulje" / "files"


def mask(url: URL) -> str:
    """The URL as text with its password replaced by ***, for messages and logs."""
    return url.render_as_string(hide_password=True)


def mask_password(text: str) -> str:
    """A URL-like text with anything between `user:` and `@` hidden (for text that did not parse as a URL)."""
    scheme, sep, rest = text.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not sep or not at or ":" not in credentials:
        return text
    return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"


def _xdg(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable)
    return Path(value) if value and Path(value).is_absolute() else Path.home() / fallback
