"""A separate process using the scenario library, for the concurrency tests (run as a script, not collected).

library_worker.py save URL CACHE SCENARIO NAME AUTHOR COUNT GO_FILE
    solve SCENARIO once, wait until GO_FILE exists, then save it COUNT times (notes AUTHOR#1, AUTHOR#2 ...);
    prints "saving" before the first save and each saved version number
library_worker.py hold URL CACHE SCENARIO NAME AUTHOR RELEASE_FILE
    save once but stop just before the commit: print "holding", wait until RELEASE_FILE exists
    (forever if it never does: the test kills this process there), then commit and print the version
library_worker.py open URL CACHE GO_FILE
    wait until GO_FILE exists, then open the library (which migrates a new database) and print "open"
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from sqlalchemy import event

from scenarios import load_scenario, run
from scenarios.library.engine import WRITE
from scenarios.library.store import Library
from scenarios.library.transfer import import_library

POLL_S = 0.005


def main(command: str, url: str, cache: str, *args: str) -> None:
    if command == "open":
        _wait_for(Path(args[0]))
        Library(url, cache=Path(cache))
        _say("open")
    elif command == "save":
        scenario_path, name, author, count, go = args
        scenario = load_scenario(scenario_path)
        result = run(scenario)  # solved before the start, so that the saves themselves race
        library = Library(url, cache=Path(cache))
        _wait_for(Path(go))
        _say("saving")
        for n in range(1, int(count) + 1):
            _say(library.save(scenario, name, author, note=f"{author}#{n}", result=result).version)
    elif command == "hold":
        scenario_path, name, author, release = args
        _say(_holding(url, cache, Path(release)).save(scenario_path, name, author).version)
    elif command == "hold-import":
        folder, release = args
        import_library(_holding(url, cache, Path(release)), folder)
        _say("imported")
    else:
        raise SystemExit(f"unknown command {command!r}")


def _holding(url: str, cache: str, release: Path) -> Library:
    """A library whose write transactions stop before their commit until `release` exists."""
    library = Library(url, cache=Path(cache))
    event.listen(library.engine, "commit", lambda connection: _hold(connection, release))
    return library


def _hold(connection, release: Path) -> None:
    """Before a save's commit: say so, then wait for the release file."""
    if connection.get_execution_options().get(WRITE):
        _say("holding")
        _wait_for(release)


def _wait_for(path: Path) -> None:
    while not path.exists():
        time.sleep(POLL_S)


def _say(message: object) -> None:
    print(message, flush=True)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    main(*sys.argv[1:])
