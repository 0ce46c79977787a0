"""Move a whole library between machines: export every version to a folder, import such a folder.

The folder holds `scenarios/<name>.v<K>.toml` (each runs where it lies with `pulje run`), the files they
use once per hash under `files/<sha256>/<file name>`, and `manifest.json` (written last) with each
version's name, number, author, time, note, result summary, and the hash of every file. An import checks
every hash first, skips versions the library already holds with the same content, refuses the whole
folder if a version number is taken by other content, and adds the rest in one transaction.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from optimizer.files import atomic_path
from scenarios.library import core
from scenarios.library.errors import LibraryError, VersionNotFound
from scenarios.library.records import (
    ROLES,
    SHA256_PATTERN,
    FileContent,
    NewVersion,
    ResultSummary,
    VersionInfo,
    VersionSummary,
    one_line,
    safe_file_name,
    sha256_of,
)
from scenarios.library.store import Library

MANIFEST = "manifest.json"
FORMAT = "pulje-library"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class ImportReport:
    """What an import did: the versions it added and those the library already held (NAME@K)."""

    added: tuple[VersionInfo, ...]
    already_there: tuple[str, ...]


def export_library(library: Library, folder: str | Path) -> Path:
    """Write every version of every name to `folder` (new or empty); returns the manifest's path."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise LibraryError(f"{folder}: export into a new or empty folder, so nothing else gets mixed in")
    (folder / "scenarios").mkdir(parents=True, exist_ok=True)
    entries, slugs = [], _Slugs()
    for name in library.names():
        for info in library.versions(name):
            entries.append(_export_version(library, library.summary(name, info.version), folder, slugs.of(name)))
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "versions": entries}
    with atomic_path(folder / MANIFEST) as temporary:
        temporary.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return folder / MANIFEST


def import_library(library: Library, folder: str | Path) -> ImportReport:
    """Add the versions exported to `folder`; see the module docstring for what is checked and refused."""
    folder = Path(folder)
    entries = _manifest(folder)
    new, already, clashes, seen = [], [], [], set()
    for n, entry in enumerate(entries):
        where = f"{MANIFEST}: versions[{n}]"
        if not isinstance(entry, dict):
            raise LibraryError(f"{where}: expected an object")
        version, number = _import_version(folder, entry, where), entry["version"]
        if (version.name, number) in seen:
            raise LibraryError(f"{where}: {version.name}@{number} is listed twice")
        seen.add((version.name, number))
        held = _held(library, version.name, number)
        if held is None:
            new.append((version, number))
        elif _same(held, version):
            already.append(f"{version.name}@{number}")
        else:
            clashes.append(
                f"{version.name}@{number} is held here with other content "
                f"(saved by {held.info.author} at {held.info.created_at:%Y-%m-%d %H:%M} UTC)"
            )
    if clashes:
        raise LibraryError("import refused, nothing was imported:\n  - " + "\n  - ".join(clashes))
    return ImportReport(tuple(library.add_versions(new)), tuple(already))


# --- export --------------------------------------------------------------------------------------


def _export_version(library: Library, old: VersionSummary, folder: Path, slug: str) -> dict[str, Any]:
    info = old.info
    paths, files = {}, []
    for f in info.files:
        relative = Path("files", f.sha256, f.file_name)
        target = folder / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(library.file_content(f.sha256))
        paths[f.role] = target
        files.append({"role": f.role, "file_name": f.file_name, "sha256": f.sha256, "path": relative.as_posix()})
    scenario_path = Path("scenarios", f"{slug}.v{info.version}.toml")
    core.write_toml(core.from_stored_toml(old.scenario_toml, paths, origin=info.ref), folder / scenario_path)
    result = old.result
    return {
        "name": info.name,
        "version": info.version,
        "author": info.author,
        "created_at": info.created_at.isoformat(),
        "note": info.note,
        "scenario": scenario_path.as_posix(),
        "scenario_sha256": sha256_of((folder / scenario_path).read_bytes()),
        "files": files,
        "result": {
            "status": result.status,
            "objective": result.objective,
            "allocation": result.allocation,
            "allocation_by_year": result.allocation_by_year,
        },
    }


class _Slugs:
    """A file-name-safe stem per scenario name, distinct for distinct names ("Plan A" -> "Plan-A")."""

    def __init__(self) -> None:
        self.given: dict[str, str] = {}

    def of(self, name: str) -> str:
        if name not in self.given:
            stem = re.sub(r"[^\w-]+", "-", name).strip("-")[:80] or "scenario"
            slug, n = stem, 1
            while slug.lower() in {s.lower() for s in self.given.values()}:
                n += 1
                slug = f"{stem}-{n}"
            self.given[name] = slug
        return self.given[name]


# --- import --------------------------------------------------------------------------------------


def _manifest(folder: Path) -> list[dict[str, Any]]:
    path = folder / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LibraryError(f"{path}: not found; import a folder written by `pulje library export`") from None
    except (OSError, ValueError) as exc:
        raise LibraryError(f"{path}: cannot be read ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("versions"), list):
        raise LibraryError(f"{path}: not a pulje library manifest")
    if data.get("format_version") != FORMAT_VERSION:
        raise LibraryError(f"{path}: format version {data.get('format_version')!r}; this pulje reads {FORMAT_VERSION}")
    versions: list[dict[str, Any]] = data["versions"]  # JSON: each entry is checked as it is imported
    return versions


def _import_version(folder: Path, entry: dict[str, Any], where: str) -> NewVersion:
    """The version an entry describes, after checking every file against its hash."""
    try:
        name, author = one_line(entry["name"], "name"), one_line(entry["author"], "author")
        if not isinstance(entry["version"], int) or entry["version"] < 1:
            raise ValueError(f"version: expected a whole number from 1, got {entry['version']!r}")
        created_at = datetime.fromisoformat(entry["created_at"])
        if created_at.tzinfo is None:
            raise ValueError("created_at: the time has no time zone")
        scenario_path = _inside(folder, entry["scenario"], entry["scenario_sha256"])
        files = [_file(folder, item) for item in entry["files"]]
        result = _result(entry["result"])
        note = str(entry.get("note", ""))
    except (AttributeError, KeyError, TypeError, ValueError, LibraryError) as exc:
        raise LibraryError(f"{where}: {exc}") from None
    scenario = core.load_scenario(scenario_path)
    placed = {role: path.resolve() for role, path in core.scenario_files(scenario).items()}
    if placed != {f.role: path for f, path in files}:
        raise LibraryError(f"{where}: {entry['scenario']} names other files than the manifest lists")
    toml = core.stored_toml(scenario, {f.role: f.file_name for f, _ in files})
    return NewVersion(name, author, created_at, note, toml, tuple(f for f, _ in files), result)


def _file(folder: Path, item: dict[str, Any]) -> tuple[FileContent, Path]:
    if item["role"] not in ROLES:
        raise ValueError(f"role: expected one of {', '.join(ROLES)}, got {item['role']!r}")
    path = _inside(folder, item["path"], item["sha256"])
    return FileContent(item["role"], safe_file_name(str(item["file_name"])), path.read_bytes()), path


def _result(data: dict[str, Any]) -> ResultSummary:
    """The result summary of a manifest entry, its types checked (kroner are numbers)."""
    objective, allocation, by_year = data["objective"], data["allocation"], data["allocation_by_year"]
    tables = [allocation, *by_year.values()]
    if not (
        isinstance(data["status"], str)
        and (objective is None or _is_number(objective))
        and all(isinstance(table, dict) and all(map(_is_number, table.values())) for table in tables)
    ):
        raise ValueError("result: expected a status, an objective and kroner per indsats")
    return ResultSummary(data["status"], objective, allocation, by_year)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _inside(folder: Path, relative: str, sha256: str) -> Path:
    """folder/relative if it stays inside the folder, exists, and has the SHA-256 the manifest gives."""
    path = (folder / relative).resolve()
    if not path.is_relative_to(folder.resolve()) or not SHA256_PATTERN.fullmatch(str(sha256)):
        raise ValueError(f"{relative!r}: expected a path inside the folder and a SHA-256")
    if not path.is_file():
        raise ValueError(f"{relative}: file not found")
    if sha256_of(path.read_bytes()) != sha256:
        raise ValueError(f"{relative}: its content does not match its hash (changed after the export?)")
    return path


def _held(library: Library, name: str, number: int) -> VersionSummary | None:
    try:
        return library.summary(name, number)
    except VersionNotFound:
        return None


def _same(held: VersionSummary, new: NewVersion) -> bool:
    """Whether the library's version is the one being imported: same author, time, scenario and files."""
    files = {(f.role, f.file_name, f.sha256) for f in held.info.files}
    return (
        held.info.author == new.author
        and held.info.created_at == new.created_at
        and held.scenario_toml == new.scenario_toml
        and files == {(f.role, f.file_name, f.sha256) for f in new.files}
    )
