"""The app's settings in the scenario library: the scenario a save stores, the settings and catalog files a saved
version opens with, the key of a catalog kept in the library by its hash, and the library's problems in Danish.

A saved version opens on the bundled catalog when its stored files are that catalog's files as they are now (so
the app shows the catalog's name, its decided allocation and its start); otherwise on the stored copies in the
library's file cache, so a version opens alike after its files changed or went. A pinned reference is not part
of a scenario, so a version opens with the catalog's own reference (the decided allocation, or the first optimum).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from optimizer.catalog import files_beside
from optimizer.inputs import Inputs
from optimizer.result import Result
from scenarios.bundled import BUNDLED
from scenarios.library.errors import (
    BadDatabaseUrl,
    DatabaseBusy,
    DatabaseUnavailable,
    FileNotStored,
    LibraryError,
    VersionNotFound,
)
from scenarios.library.records import TEXT_LENGTH, VersionInfo, safe_file_name, sha256_of
from scenarios.library.store import Library
from scenarios.run import ScenarioRun
from scenarios.settings import Settings
from scenarios.settings_file import settings_from_scenario, settings_scenario
from ui_text import LIBRARY

T = {key: text for key, text in LIBRARY.items() if isinstance(text, str)}  # the texts, not the tables' headers

STORED_PREFIX = "upload:"  # a catalog kept in the library, named by content: upload:<sha256>/<file name>
_STORED_KEY = re.compile(r"upload:(?P<sha256>[0-9a-f]{64})/(?P<name>.+)\Z", re.DOTALL)
CATALOG_ROLES = ("catalog", "goals", "asks")  # the files a catalog is read from (the baseline is not one)
try:
    LOCAL_TIME: ZoneInfo | None = ZoneInfo("Europe/Copenhagen")
except ZoneInfoNotFoundError:  # no time-zone data on this machine: times are shown in UTC
    LOCAL_TIME = None


@dataclass(frozen=True)
class CatalogFiles:
    """The files a catalog is read from: the catalog file and, when named apart, its goals and per-year asks."""

    catalog: Path
    goals: Path | None = None
    asks: Path | None = None


@dataclass(frozen=True)
class Opened:
    """A saved version ready for the app: its record, its settings, and the catalog they apply to: a bundled
    catalog's key (`bundled`) when the stored files are that catalog's files now, else the stored copies."""

    info: VersionInfo
    settings: Settings
    files: CatalogFiles
    bundled: str | None


# --- catalogs kept in the library ------------------------------------------------------------------


def stored_key(sha256: str, file_name: str) -> str:
    """The catalog key of a file kept in the library (what a link names): upload:<sha256>/<file name>."""
    return f"{STORED_PREFIX}{sha256}/{safe_file_name(file_name)}"


def parse_stored_key(key: str) -> tuple[str, str] | None:
    """(sha256, file name) of a stored catalog's key, or None when the key is not one."""
    match = _STORED_KEY.match(key)
    if match is None:
        return None
    try:
        return match["sha256"], safe_file_name(match["name"])
    except LibraryError:
        return None


def cache_catalog(library: Library, content: bytes, file_name: str) -> tuple[str, Path]:
    """An uploaded catalog written to the library's file cache only (checked before `Library.store_file` keeps
    it): its key and its path."""
    sha256 = sha256_of(content)
    path = library.cache.ensure(sha256, file_name, lambda: content)
    return stored_key(sha256, path.name), path


def stored_catalog(library: Library, key: str) -> CatalogFiles | None:
    """The catalog a stored key names, from the library (None when the key is not a stored one; FileNotStored
    when the library does not hold it)."""
    parsed = parse_stored_key(key)
    return None if parsed is None else CatalogFiles(library.cached_file(*parsed))


# --- saving and opening ------------------------------------------------------------------------------


def save(
    library: Library,
    settings: Settings,
    catalog: pd.DataFrame | Inputs,
    files: CatalogFiles,
    result: Result | None,
    *,
    name: str,
    author: str,
    note: str = "",
) -> VersionInfo:
    """Save the settings as the next version of `name`, with the catalog's files (and the bundled catalog's
    decided allocation as its baseline) and `result`, the solve of exactly these settings (None: solved here).
    `catalog` may be Inputs over it, checked once (Settings.to_inputs)."""
    bundled = BUNDLED.get(settings.catalog)
    scenario = settings_scenario(
        settings,
        catalog,
        name=name,
        catalog_path=files.catalog,
        goals_path=files.goals,
        asks_path=files.asks,
        baseline_path=bundled.decided_path if bundled is not None else None,
    )
    run = ScenarioRun(scenario, result) if result is not None else None
    return library.save(scenario, name, author, note=note, result=run)


def open_version(library: Library, name: str, version: int | None = None) -> Opened:
    """A saved version as the app opens it (the newest when `version` is None)."""
    info = library.info(name, version)
    scenario = library.open(name, info.version)
    stored = {f.role: f.sha256 for f in info.files if f.role in CATALOG_ROLES}
    bundled = bundled_key(stored)
    if bundled is not None:
        files = CatalogFiles(BUNDLED[bundled].path)
        key = bundled
    else:
        assert scenario.catalog_path is not None  # a saved version always stores its catalog
        files = CatalogFiles(
            scenario.catalog_path,
            scenario.goals_path if "goals" in stored else None,
            scenario.asks_path if "asks" in stored else None,
        )
        key = stored_key(stored["catalog"], next(f.file_name for f in info.files if f.role == "catalog"))
    return Opened(info, settings_from_scenario(scenario, key), files, bundled)


def bundled_key(stored: Mapping[str, str]) -> str | None:
    """The bundled catalog whose files (catalog, goals, asks beside it) have exactly these hashes now."""
    for key, bundled in BUNDLED.items():
        path = bundled.path
        if not path.is_file():
            continue
        files = {"catalog": path, **{r: p for r, p in files_beside(path).items() if p != path}}
        if files.keys() == stored.keys() and all(_hash(p) == stored[r] for r, p in files.items()):
            return key
    return None


def _hash(path: Path) -> str:
    return sha256_of(path.read_bytes())


# --- Danish words -------------------------------------------------------------------------------------


def text_problem(value: str, what: str) -> str | None:
    """Why a name or an author cannot be saved (in Danish), or None when it can: one line, 1-200 characters."""
    text = value.strip()
    if text and len(text) <= TEXT_LENGTH and not any(c in text for c in "\r\n\t\0"):
        return None
    return T["text_needed"].format(what=T[f"what_{what}"], length=TEXT_LENGTH)


def saved_time(moment: datetime) -> str:
    """When a version was saved, in Danish time: "23.11.2026 kl. 17.33"."""
    local = moment.astimezone(LOCAL_TIME) if LOCAL_TIME is not None else moment
    return T["time"].format(date=local.strftime("%d.%m.%Y"), clock=local.strftime("%H.%M"))


def library_problem(error: LibraryError) -> str:
    """What went wrong with the library, in Danish, with the technical message (English) after it."""
    if isinstance(error, VersionNotFound):
        return _not_found(error)
    if isinstance(error, BadDatabaseUrl):
        head = T["bad_url"]
    elif isinstance(error, DatabaseBusy):
        head = T["busy"]
    elif isinstance(error, DatabaseUnavailable):
        head = T["unreachable"]
    elif isinstance(error, FileNotStored):
        head = T["file_gone"]
    else:
        head = T["failed"]
    return f"{head} {T['technical'].format(detail=error)}"


def _not_found(error: VersionNotFound) -> str:
    if error.versions:
        return T["no_version"].format(
            name=error.name, version=error.version, first=error.versions[0], last=error.versions[-1]
        )
    text = T["no_name"].format(name=error.name)
    if error.close:
        text += T["did_you_mean"].format(names=", ".join(f"»{n}«" for n in error.close))
    return text
