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
- `--client browser`: every session is a Chromium page (benchmarks/load_browser.py). On a 2-core machine 20
  rendering pages, not the server, are then the bottleneck.
Chromium and Playwright's driver run at a lower CPU priority (`--browser-nice`): on one machine they stand in for
laptops of their own. Each session walks its own pulje values (each starts from its own pulje for 2022), so the
sessions do not answer each other from the cache; saves go under a few names shared by several sessions, so they
race for the next version number. `--servers 2` starts two app processes on one library, session k on process
k mod 2, as a load balancer that keeps a tab on one process would.

Reported: p50/p95 of the moves and saves per client; errors (a wait over 30 s, a red error box or a traceback);
and, from the library afterwards, whether every save is there under the version its session was told, with the
author, note, pulje and allocation that session had (the allocation checked against the core solving those
settings), none lost, none extra, none mixed up. The CPU time of the server(s), Chromium, this driver and the
rest of the machine and the load average are reported beside them, since all share this machine's cores.

`python -m benchmarks.load` (or `make bench-load`): prints the figures and writes benchmarks/results/load.json, with
the app servers' logs beside it (load-server0.log, ...), where a failed session's traceback is.
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
from contextlib import AsyncExitStack, ExitStack
from dataclasses import asdict
from pathlib import Path

from playwright.async_api import async_playwright

from benchmarks.load_browser import open_browser_user
from benchmarks.load_check import verify
from benchmarks.load_plan import DURATION_S, OPENING, SESSIONS, THINK_S, Tally, User, run_user
from benchmarks.load_protocol import open_protocol_user
from scenarios.library.store import Library
from tests.browser_helpers import CHROMIUM, CHROMIUM_ARGS, served_app

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
CLIENTS = ("protocol", "browser")
BROWSER_SESSIONS = 2  # Chromium pages beside the protocol sessions: what a real page shows under the load
BROWSER_NICE = 10  # Chromium's pages stand in for laptops of their own: they get the CPU the server leaves
ALONE_MOVES = 20  # moves of one session alone on the server before the load


async def alone(url: str, server: int, session: int) -> dict[str, float | None]:
    """One protocol session alone on the server before the load: the p50 of its moves and the server's CPU time per
    move, so that runs on a faster or slower machine (or a busier host) can be compared."""
    user = await open_protocol_user(url, session, asyncio.Semaphore(1))
    try:
        await user.move()  # the first move re-solves a compiled model that later moves share
        spent = cpu_seconds(server)
        moves = [(await user.move())["move"] for _ in range(ALONE_MOVES)]
        spent = cpu_seconds(server) - spent
    finally:
        await user.client.close()
    return {
        "moves": ALONE_MOVES,
        "move_p50_s": _round(statistics.median(moves)),
        "server_cpu_per_move_s": _round(spent / ALONE_MOVES),
    }


async def drive(urls: list[str], args: argparse.Namespace, servers: list[int]) -> tuple[dict[str, Tally], dict]:
    """All sessions at once, by client, session k on server k mod the number of servers (as a load balancer that
    keeps a tab on one process); and the CPU time used during the measured time (opening is not measured)."""
    protocol, browsers = (args.sessions, args.browser_sessions) if args.client == "protocol" else (0, args.sessions)
    tallies = {client: Tally() for client in CLIENTS}
    gate = asyncio.Semaphore(OPENING)
    async with AsyncExitStack() as stack:
        users: list[tuple[User, Tally]] = []
        opening = (open_protocol_user(urls[k % len(urls)], k, gate) for k in range(protocol))
        for user in await asyncio.gather(*opening):
            stack.push_async_callback(user.client.close)
            users.append((user, tallies["protocol"]))
        if browsers:
            playwright = await stack.enter_async_context(async_playwright())
            browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            stack.push_async_callback(browser.close)
            lower_priority(args.browser_nice, spare=servers)
            sessions = range(protocol, protocol + browsers)
            pages = await asyncio.gather(*(open_browser_user(browser, urls[k % len(urls)], k, gate) for k in sessions))
            lower_priority(args.browser_nice, spare=servers)  # the pages' renderers, started meanwhile
            users += [(page, tallies["browser"]) for page in pages]
        before = cpu_now(servers)
        deadline = time.monotonic() + args.seconds
        await asyncio.gather(*(run_user(user, deadline, tally) for user, tally in users))
        after = cpu_now(servers)
    used = {name: round(after[name] - before[name], 1) for name in before}
    rest = used.pop("machine_s") - used["server_s"] - used["chromium_s"] - used["this_driver_s"]
    used["rest_of_machine_s"] = round(max(0.0, rest), 1)  # below 0: the counters differ by a few ticks
    return tallies, used


def cpu_now(servers: list[int]) -> dict[str, float]:
    """CPU seconds used so far by the servers, Chromium, this driver and the whole machine; and the clock."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    busy = sum(int(fields[i]) for i in (0, 1, 2, 5, 6, 7)) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait
    own = os.times()
    return {
        "server_s": sum(cpu_seconds(pid) for pid in servers),
        "chromium_s": chromium_cpu_seconds(),
        "this_driver_s": own.user + own.system,
        "machine_s": busy,
        "wall_s": time.monotonic(),
    }


def lower_priority(nice: int, spare: list[int]) -> None:
    """Give every thread of every process this one started (Playwright's driver, Chromium and its pages) the CPU
    priority `nice`, except the servers (`spare`) and their children. Linux keeps a nice value per thread."""
    children: dict[int, list[int]] = {}
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit():
                parent = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(proc.name))
        except OSError:  # a process that ended meanwhile
            continue
    todo = [pid for pid in children.get(os.getpid(), []) if pid not in spare]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                if os.getpriority(os.PRIO_PROCESS, int(task.name)) < nice:
                    os.setpriority(os.PRIO_PROCESS, int(task.name), nice)
            except OSError:
                continue


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
    parser.add_argument(
        "--servers", type=int, default=1, help="app processes sharing the library, each serving every nth session"
    )
    parser.add_argument("--quiet", action="store_true", help="only write benchmarks/results/load.json")
    args = parser.parse_args(argv)
    browsers = args.sessions if args.client == "browser" else args.browser_sessions
    if browsers and not CHROMIUM.exists():
        raise SystemExit(f"error: {CHROMIUM} not found: install Debian's chromium (or --browser-sessions 0)")
    with tempfile.TemporaryDirectory() as folder:
        url_db = f"sqlite:///{Path(folder) / 'library.db'}"
        env = {"PULJE_DATABASE_URL": url_db, "PULJE_CACHE_DIR": str(Path(folder) / "cache")}
        with ExitStack() as stack:
            RESULTS.mkdir(parents=True, exist_ok=True)  # the servers' logs are kept there, to read a failure in
            urls = [stack.enter_context(served_app(RESULTS / f"load-server{k}.log", env)) for k in range(args.servers)]
            pids = [_server_pid(url) for url in urls]
            calm = asyncio.run(alone(urls[0], pids[0], args.sessions + args.browser_sessions))
            load_before = os.getloadavg()
            tallies, cpu = asyncio.run(drive(urls, args, pids))
            load_after = os.getloadavg()
        saves = [save for tally in tallies.values() for save in tally.saves]
        checked, versions = verify(Library(url_db, cache=Path(folder) / "check-cache"), saves)
    report = summary(tallies, checked, versions, args) | {
        "alone": calm,
        "cpu_seconds": cpu,
        "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in load_after]},
    }
    if not args.quiet:
        print(json.dumps(report, indent=2, ensure_ascii=False))
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
        "servers": args.servers,
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
