"""`pulje library ...`: save, list, show, compare, restore, export and import saved scenario versions.

Every command takes --database URL (default: $PULJE_DATABASE_URL, else ~/.local/share/pulje/library.db).
Errors are LibraryError (a PuljeError), which `pulje` prints as `error: ...` with exit code 2.
The database layer (SQLAlchemy, Alembic) is imported only when a library command runs, so that the
other `pulje` commands start as fast as before.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from optimizer.formats import format_kr, format_number
from scenarios.safe_text import terminal_text

if TYPE_CHECKING:
    from scenarios.library.records import VersionInfo, VersionSummary
    from scenarios.library.store import Library

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `library` and its subcommands to the `pulje` parser."""
    library = commands.add_parser("library", help="the shared scenario library: save, list, show, compare, share")
    sub = library.add_subparsers(required=True, metavar="LIBRARY_COMMAND")

    p = _command(sub, "save", _save, "save a scenario file as the next version of a name")
    p.add_argument("scenario", help="scenario .toml (its catalog, goals and baseline are stored with it)")
    p.add_argument("--name", required=True, help="the name to save under (a new version if it exists)")
    p.add_argument("--author", required=True, help="who saves it (free text; the only thing kept about a person)")
    p.add_argument("--note", default="", help="a note kept with the version")

    p = _command(sub, "list", _list, "list saved versions: name, version, author, time, objective")
    p.add_argument("--name", help="only the versions of this name")
    _format(p, ("table", "json"))

    p = _command(sub, "show", _show, "show one saved version: its files, its result and its scenario TOML")
    p.add_argument("name")
    p.add_argument("--version", type=int, metavar="K", help="version number (default: the newest)")
    _format(p, ("table", "json", "toml"))

    p = _command(sub, "compare", _compare, "run saved versions and compare them (the first is the reference)")
    p.add_argument("refs", nargs="+", metavar="NAME@K", help="versions to compare (NAME alone: the newest)")
    _format(p, ("table", "json"))

    p = _command(sub, "restore", _restore, "save an old version again as the newest (nothing is deleted)")
    p.add_argument("name")
    p.add_argument("--version", type=int, required=True, metavar="K", help="the version to restore")
    p.add_argument("--author", required=True, help="who restores it")

    p = _command(sub, "export", _export, "write every version, with its files and a manifest, to a folder")
    p.add_argument("folder", help="a new or empty folder")

    p = _command(sub, "import", _import, "add the versions of an exported folder (those already here are skipped)")
    p.add_argument("folder")


def _command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    run: Callable[[argparse.Namespace], int],
    help: str,
) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help, description=help)
    parser.add_argument(
        "--database",
        metavar="URL",
        help="database URL (default: $PULJE_DATABASE_URL, else the SQLite file ~/.local/share/pulje/library.db)",
    )
    parser.set_defaults(command=run)
    return parser


def _format(parser: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    parser.add_argument("--format", choices=formats, default="table", help="output format (default table)")


# --- commands ------------------------------------------------------------------------------------


def _library(args: argparse.Namespace) -> Library:
    from scenarios.library.store import Library

    return Library(args.database)


def _save(args: argparse.Namespace) -> int:
    info = _library(args).save(args.scenario, args.name, args.author, note=args.note)
    _say(f"Saved {info.ref} ({_outcome(info)}).")
    return 0


def _list(args: argparse.Namespace) -> int:
    library = _library(args)
    versions = library.list(args.name)
    if args.format == "json":
        records = versions.assign(created_at=versions["created_at"].map(datetime.isoformat))
        _print_json(records.to_dict(orient="records"))
    elif versions.empty:
        print(f"No saved versions in {library.url.render_as_string(hide_password=True)}.")
    else:
        table = versions.assign(
            created_at=versions["created_at"].map(lambda t: t.strftime(TIME_FORMAT)),
            objective=versions["objective"].map(_number),
        ).rename(columns={"created_at": "saved (UTC)"})
        _say(table.to_string(index=False))
    return 0


def _show(args: argparse.Namespace) -> int:
    saved = _library(args).summary(args.name, args.version)
    if args.format == "toml":
        sys.stdout.write(saved.scenario_toml)
    elif args.format == "json":
        _print_json(_summary_dict(saved))
    else:
        _say(_summary_text(saved))
    return 0


def _compare(args: argparse.Namespace) -> int:
    from scenarios.library import core

    comparison = _library(args).compare(*args.refs)
    if args.format == "json":
        _print_json(core.comparison_dict(comparison))
    else:
        print(core.comparison_text(comparison))
    return 0


def _restore(args: argparse.Namespace) -> int:
    info = _library(args).restore(args.name, args.version, args.author)
    _say(f"Restored {args.name}@{args.version} as {info.ref} ({_outcome(info)}).")
    return 0


def _export(args: argparse.Namespace) -> int:
    from scenarios.library.transfer import export_library

    manifest = export_library(_library(args), args.folder)
    count = len(json.loads(manifest.read_text(encoding="utf-8"))["versions"])
    print(f"Exported {count} version{'s' if count != 1 else ''} to {args.folder} (see {manifest}).")
    return 0


def _import(args: argparse.Namespace) -> int:
    from scenarios.library.transfer import import_library

    report = import_library(_library(args), args.folder)
    print(f"Imported {len(report.added)} version{'s' if len(report.added) != 1 else ''} from {args.folder}", end="")
    print(f"; {len(report.already_there)} were already here." if report.already_there else ".")
    return 0


# --- output --------------------------------------------------------------------------------------


def _summary_text(saved: VersionSummary) -> str:
    info, result = saved.info, saved.result
    lines = [
        f"{info.ref}: saved by {info.author} at {info.created_at.strftime(TIME_FORMAT)} UTC",
        *([f"Note: {info.note}"] if info.note else []),
        f"Result: {_outcome(info)}",
        "Files:",
        *(f"  {f.role:<8} {f.file_name} ({f.size} bytes, sha256 {f.sha256})" for f in info.files),
    ]
    if result.allocation:
        import pandas as pd  # only where a saved result is shown: `pulje --help` starts without pandas

        frame = pd.DataFrame({"amount_kr": result.allocation})
        for year, amounts in result.allocation_by_year.items():
            frame[f"amount_kr_{year}"] = pd.Series(amounts)
        lines += ["Allocation (kr.):", frame.map(lambda kr: format_kr(kr, unit="")).rename_axis("id").to_string()]
    return "\n".join([*lines, "Scenario:", saved.scenario_toml.rstrip()])


def _summary_dict(saved: VersionSummary) -> dict[str, Any]:
    info = saved.info
    return {
        **_info_dict(info),
        "files": [dataclasses.asdict(f) for f in info.files],
        "result": dataclasses.asdict(saved.result),
        "scenario_toml": saved.scenario_toml,
    }


def _info_dict(info: VersionInfo) -> dict[str, Any]:
    keys = ("name", "version", "author", "note", "status", "objective")
    return {**{key: getattr(info, key) for key in keys}, "created_at": info.created_at.isoformat()}


def _outcome(info: VersionInfo) -> str:
    return info.status if info.objective is None else f"{info.status}, objective {_number(info.objective)}"


def _number(value: float | None) -> str:
    """A value the Danish way, as every text output writes it (4.786,13); empty where there is none."""
    return "" if value is None or math.isnan(value) else format_number(value)


def _say(text: str) -> None:
    """Print text from the library (names, authors, notes anyone saved) with control characters escaped."""
    print(terminal_text(text))


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)  # as `pulje compare` does
    sys.stdout.write("\n")
