"""Many users at once: 20 sessions against one `streamlit run app.py` for a minute, each moving the pulje 2021
slider and saving scenarios to one shared library; afterwards every save is looked up in the library.

Two clients drive the sessions (benchmarks/load_plan.py says what every user does, whichever client):
- `--client protocol` (the default): each session is a client of Streamlit's websocket protocol
  (benchmarks/streamlit_client.py, benchmarks/load_protocol.py), sending what a browser tab sends and drawing
  nothing, so the figures are the server's answer times for 20 users who each have a laptop of their own: from
  sending a slider's change to the message with the new budget bar (and to the end of the script run), from
  sending a save's click to the message naming the version. Beside them, `--browser-sessions` (2) pages of one
  headless Chromium do the same at the same time, timed from the key press to the redrawn budget bar, so the
  report also shows what a real page shows meanwhile.
- `--client browser`: every session is a Chromium page (benchmarks/load_browser.py). On a 2-core machine the 20
  rendering pages, not the server, are then the bottleneck.
Chromium and Playwright's driver run at a lower CPU priority (`--browser-nice`): on one machine they stand in for
laptops of their own. Each session walks its own pulje values (each starts from its own pulje for 2022), so the
sessions do not answer each other from the cache; saves go under a few names shared by several sessions, so they
race for the next version number.

Reported: p50/p95 of the moves and saves per client; errors (a wait over 30 s, a red error box or a traceback);
and, from the library afterwards, whether every save is there under the version its session was told, with the
author, note, pulje and allocation that session had (the allocation checked against the core solving those
settings), none lost, none extra, none mixed up. The CPU seconds of the server, Chromium and this driver and the
load average are reported beside them, since all share this machine's cores.

`python -m benchmarks.load` (or `make bench-load`): prints the figures and writes benchmarks/results/load.json.
Not part of `make test`: it takes a minute and a half and loads both cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import tempfile
import time
from contextlib import AsyncExitStack
from dataclasses import asdict
from pathlib import Path

import pandas as pd
from playwright.async_api import async_playwright

from benchmarks.load_browser import open_browser_user
from benchmarks.load_plan import DURATION_S, OPENING, SESSIONS, THINK_S, Save, Tally, User, author, run_user
from benchmarks.load_protocol import open_protocol_user
from optimizer import load_catalog, solve
from scenarios.bundled import BUNDLED, start_settings
from scenarios.library.store import Library
from scenarios.settings import Settings
from scenarios.settings_file import settings_from_scenario
from tests.browser_helpers import CHROMIUM, CHROMIUM_ARGS, served_app

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
CLIENTS = ("protocol", "browser")
BROWSER_SESSIONS = 2  # Chromium pages beside the protocol sessions: what a real page shows under the load
BROWSER_NICE = 10  # Chromium's pages stand in for laptops of their own: they get the CPU the server leaves


async def drive(url: str, args: argparse.Namespace, server: int) -> tuple[dict[str, Tally], dict[str, float]]:
    """All sessions at once, by client; and the CPU seconds the server (pid), Chromium and this driver used during
    the measured time (opening the sessions is not measured)."""
    protocol, browsers = (args.sessions, args.browser_sessions) if args.client == "protocol" else (0, args.sessions)
    tallies = {client: Tally() for client in CLIENTS}
    gate = asyncio.Semaphore(OPENING)
    async with AsyncExitStack() as stack:
        users: list[tuple[User, Tally]] = []
        for user in await asyncio.gather(*(open_protocol_user(url, k, gate) for k in range(protocol))):
            stack.push_async_callback(user.client.close)
            users.append((user, tallies["protocol"]))
        if browsers:
            playwright = await stack.enter_async_context(async_playwright())
            browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            stack.push_async_callback(browser.close)
            lower_priority(args.browser_nice, spare=server)
            pages = await asyncio.gather(
                *(open_browser_user(browser, url, protocol + k, gate) for k in range(browsers))
            )
            lower_priority(args.browser_nice, spare=server)  # the pages' renderers, started meanwhile
            users += [(page, tallies["browser"]) for page in pages]
        before = (cpu_seconds(server), chromium_cpu_seconds(), _own_cpu_seconds(), time.monotonic())
        deadline = time.monotonic() + args.seconds
        await asyncio.gather(*(run_user(user, deadline, tally) for user, tally in users))
        after = (cpu_seconds(server), chromium_cpu_seconds(), _own_cpu_seconds(), time.monotonic())
    names = ("server_s", "chromium_s", "this_driver_s", "wall_s")
    used = {name: round(b - a, 1) for name, a, b in zip(names, before, after, strict=True)}
    return tallies, used


def lower_priority(nice: int, spare: int) -> None:
    """Give every thread of every process this one started (Playwright's driver, Chromium and its pages) the CPU
    priority `nice`, except the server (`spare`) and its children. Linux keeps a nice value per thread."""
    children: dict[int, list[int]] = {}
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit():
                parent = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(proc.name))
        except OSError:  # a process that ended meanwhile
            continue
    todo = [pid for pid in children.get(os.getpid(), []) if pid != spare]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                if os.getpriority(os.PRIO_PROCESS, int(task.name)) < nice:
                    os.setpriority(os.PRIO_PROCESS, int(task.name), nice)
            except OSError:
                continue


def verify(library: Library, saves: list[Save]) -> tuple[dict[str, list[str]], int]:
    """Every save in the library under the version its page reported, with that session's content, and nothing
    else: `lost` (reported, not there), `mixed_up` (there with other content, or one version reported twice, or
    a gap in the numbers), `unconfirmed` (there, but its page never said so: a wait that timed out)."""
    catalog = load_catalog(BUNDLED["fb2021"].path)
    start = start_settings("fb2021", catalog)
    found: dict[str, list[str]] = {"lost": [], "mixed_up": [], "unconfirmed": []}
    stored = {(row.name, int(row.version)) for row in library.list().itertuples()}
    reported = [(s.name, s.version) for s in saves]
    if len(set(reported)) != len(reported):
        found["mixed_up"].append("two saves were told the same version")
    found["unconfirmed"] = [f"{name}@{version}" for name, version in sorted(stored - set(reported))]
    for s in saves:
        if (s.name, s.version) not in stored:
            found["lost"].append(f"{s.name}@{s.version} ({s.note})")
            continue
        problem = _content_problem(library, s, start, catalog)
        if problem:
            found["mixed_up"].append(f"{s.name}@{s.version}: {problem}")
    for name in sorted({n for n, _ in stored}):
        numbers = sorted(v for n, v in stored if n == name)
        if numbers != list(range(1, len(numbers) + 1)):
            found["mixed_up"].append(f"{name}: versions {numbers} have a gap")
    return found, len(stored)


def _content_problem(library: Library, save: Save, start: Settings, catalog: pd.DataFrame) -> str | None:
    """Why the stored version is not what the session saved (its note, author, pulje, allocation), or None."""
    summary = library.summary(save.name, save.version)
    held = (summary.info.note, summary.info.author)
    if held != (save.note, author(save.session)):
        return f"holds {held}, not what session {save.session} saved ({save.note!r})"
    settings = settings_from_scenario(library.open(save.name, save.version), "fb2021")
    expected = start.with_budget(2021, save.pulje[2021]).with_budget(2022, save.pulje[2022])
    if settings != expected:
        return f"its settings are not what session {save.session} had on screen"
    amounts = solve(expected.to_inputs(catalog)).allocation.set_index("id")["amount_kr"]
    if any(not math.isclose(summary.result.allocation[i], kr, abs_tol=0.5) for i, kr in amounts.items()):
        return "its allocation is not the core's for its settings"
    return None


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def chromium_cpu_seconds() -> float:
    """CPU seconds of the Chromium processes running now (the browser and its page renderers)."""
    total = 0.0
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and b"chromium" in (proc / "cmdline").read_bytes():
                total += cpu_seconds(int(proc.name))
        except OSError:  # a process that ended meanwhile
            continue
    return total


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client", choices=CLIENTS, default="protocol", help="what drives the sessions")
    parser.add_argument("--sessions", type=int, default=SESSIONS)
    parser.add_argument("--seconds", type=float, default=DURATION_S)
    parser.add_argument(
        "--browser-sessions",
        type=int,
        default=BROWSER_SESSIONS,
        help="Chromium pages beside the protocol sessions (with --client protocol; 0 for none)",
    )
    parser.add_argument(
        "--browser-nice",
        type=int,
        default=BROWSER_NICE,
        help="CPU priority of Chromium and Playwright's driver below the server's: 0 lets them compete as equals",
    )
    parser.add_argument("--quiet", action="store_true", help="only write benchmarks/results/load.json")
    args = parser.parse_args(argv)
    browsers = args.sessions if args.client == "browser" else args.browser_sessions
    if browsers and not CHROMIUM.exists():
        raise SystemExit(f"error: {CHROMIUM} not found: install Debian's chromium (or --browser-sessions 0)")
    with tempfile.TemporaryDirectory() as folder:
        url_db = f"sqlite:///{Path(folder) / 'library.db'}"
        env = {"PULJE_DATABASE_URL": url_db, "PULJE_CACHE_DIR": str(Path(folder) / "cache")}
        with served_app(Path(folder) / "server.log", env) as url:
            load_before = os.getloadavg()
            tallies, cpu = asyncio.run(drive(url, args, _server_pid(url)))
            load_after = os.getloadavg()
        saves = [save for tally in tallies.values() for save in tally.saves]
        checked, versions = verify(Library(url_db, cache=Path(folder) / "check-cache"), saves)
    report = summary(tallies, checked, versions, args) | {
        "cpu_seconds": cpu,
        "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in load_after]},
    }
    if not args.quiet:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    RESULTS.mkdir(parents=True, exist_ok=True)
    records = {"save_records": [asdict(s) for s in saves]}  # "saves" is the count
    (RESULTS / "load.json").write_text(json.dumps(report | records, indent=2))


def summary(tallies: dict[str, Tally], checked: dict, versions: int, args: argparse.Namespace) -> dict:
    """The figures of the client that drove the sessions under the keys benchmarks/report.py reads; with the
    protocol client, the Chromium pages beside it under "browser"; errors and the library's check for all."""
    errors = [error for tally in tallies.values() for error in tally.errors]
    report = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {"cores": os.cpu_count()},
        "client": args.client,
        "sessions": args.sessions,
        "duration_s": args.seconds,
        "browser_nice": args.browser_nice,
        "think_s": list(THINK_S),
        **figures(tallies[args.client]),
        "errors": len(errors),
        "error_samples": errors[:10],
        "saves_checked": sum(len(tally.saves) for tally in tallies.values()),
        "versions_in_library": versions,
        "library_problems": checked,
        "lost": len(checked["lost"]),
        "mixed_up": len(checked["mixed_up"]),
        "unconfirmed": len(checked["unconfirmed"]),
    }
    if args.client == "protocol" and args.browser_sessions:
        report["browser"] = {"sessions": args.browser_sessions, **figures(tallies["browser"])}
    return report


def figures(tally: Tally) -> dict:
    """Count, p50, p95 and max of the moves ("move": the updated result), p50 and p95 of every other timing
    of a move (the protocol's "finished", the browser's "server"), count, p50 and p95 of the saves, errors."""
    moves, seconds = tally.timings.get("move", []), [s.seconds for s in tally.saves]
    found = {
        "moves": len(moves),
        "move_p50_s": _round(statistics.median(moves) if moves else None),
        "move_p95_s": _round(percentile(moves, 0.95)),
        "move_max_s": _round(max(moves) if moves else None),
    }
    for what, values in sorted(tally.timings.items()):
        if what != "move":
            found |= {
                f"{what}_p50_s": _round(statistics.median(values)),
                f"{what}_p95_s": _round(percentile(values, 0.95)),
            }
    return found | {
        "saves": len(seconds),
        "save_p50_s": _round(statistics.median(seconds) if seconds else None),
        "save_p95_s": _round(percentile(seconds, 0.95)),
        "client_errors": len(tally.errors),
    }


def _own_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _server_pid(url: str) -> int:
    """The pid of the streamlit server listening on the URL's port."""
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(cmdline) and str(port).encode() in cmdline:
            return int(proc.name)
    raise RuntimeError(f"no streamlit process found for port {port}")


if __name__ == "__main__":
    main()
