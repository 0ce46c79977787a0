"""Many users at once: 20 browser sessions against one `streamlit run app.py` for a minute, each moving the pulje
sliders and saving scenarios to one shared library; afterwards every save is looked up in the library.

Each session is a page in its own browser context (its own Streamlit session and websocket) of one headless
Chromium, driven by Playwright's async API, so the 20 run at once. A session repeats: press an arrow key on a
pulje slider a few times, each time waiting until the result shows the new pulje (the budget bar is drawn from
the new solve) and then "reading" for a think time; then it saves from the tab "Bibliotek" under one of a few
names shared by several sessions (so saves of one name race for the next version number), with a note that
identifies the save, and reads back the version the page says was saved. Each session walks its own pulje
values (each starts from its own pulje for 2022), so the sessions do not answer each other from the cache.

Reported: p50/p95 from a key press to the updated result, the same for a save; errors (a wait that timed out, a
red error box or a traceback on a page); and, from the library afterwards, whether every save is there under
the version its page said, with the author, note, pulje and allocation of what that session had on screen
(the allocation checked against the core solving those settings), none lost, none extra, none mixed up.
The server's and Chromium's CPU seconds are reported beside it, since both share this machine's cores.

`python -m benchmarks.load` (or `make bench-load`): prints the figures and writes
benchmarks/results/load.json. Not part of `make test`: it takes a minute and a half and loads both cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import re
import statistics
import tempfile
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
from playwright.async_api import Browser, Page, async_playwright

import ui_text
from optimizer import load_catalog, solve
from optimizer.numbers import parse_number
from scenarios.bundled import BUNDLED, start_settings
from scenarios.library.store import Library
from scenarios.settings import Settings
from scenarios.settings_file import settings_from_scenario
from tests.browser_helpers import CHROMIUM, CHROMIUM_ARGS, served_app
from ui.tables import md

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
SESSIONS = 20
DURATION_S = 60.0
NAMES = 4  # saves go under 4 names, each shared by 5 sessions
MOVES_PER_SAVE = 4
BROWSER_NICE = 10  # Chromium's pages stand in for 20 laptops: they get the CPU the server leaves
OPENING = 4  # pages opened at a time before the minute starts (opening is not measured)
THINK_S = (0.5, 1.5)  # how long a user looks at the result before the next move (uniform)
WAIT_MS = 30_000  # a wait longer than this counts as an error
VIEWPORT = {"width": 1280, "height": 800}
LIBRARY = ui_text.LIBRARY
TABS = ui_text.RESULTS["tabs"]
YEARS = (2021, 2022)
SAVED = re.compile(re.escape(LIBRARY["saved"]).replace(r"\{name\}", ".+").replace(r"\{version\}", r"(\d+)"))


@dataclass
class Save:
    """One save as its session saw it: the name, the version the page reported, and what was on the screen."""

    session: int
    name: str
    version: int
    note: str
    pulje: dict[int, float]
    seconds: float


@dataclass
class Tally:
    moves: list[float] = field(default_factory=list)  # key press to the result drawn on the page
    server: list[float] = field(default_factory=list)  # key press to the server's message with the result
    saves: list[Save] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def author(session: int) -> str:
    return f"Session {session:02d}"


def box_label(year: int) -> str:
    return ui_text.CONTROLS["box"].format(label=ui_text.CONTROLS["pulje_year"].format(year=year))


async def check_page(page: Page, tally: Tally, session: int, what: str) -> None:
    """A red error box or a traceback on the page is an error."""
    shown = await page.locator("[data-testid='stAlertContentError'], [data-testid='stException']").all_inner_texts()
    tally.errors += [f"session {session}, {what}: {text[:200]}" for text in shown]


class Frames:
    """When each websocket message from the server reached a page, so that the server's part of a move (key press
    to the message holding the new result) is measured apart from the page's drawing of it."""

    def __init__(self, page: Page):
        self.log: deque[tuple[float, bytes]] = deque(maxlen=500)
        self.waiting: list[tuple[float, bytes, asyncio.Future[float]]] = []
        page.on("websocket", lambda socket: socket.on("framereceived", self._received))

    def _received(self, payload: str | bytes) -> None:
        now = time.perf_counter()
        data = payload if isinstance(payload, bytes) else payload.encode()
        self.log.append((now, data))
        for since, wanted, arrived in self.waiting:
            if now >= since and wanted in data and not arrived.done():
                arrived.set_result(now)

    async def first(self, wanted: bytes, since: float) -> float:
        """The moment the first message since `since` holding `wanted` arrived (waiting for it if need be)."""
        for moment, data in self.log:
            if moment >= since and wanted in data:
                return moment
        arrived: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        entry = (since, wanted, arrived)
        self.waiting.append(entry)
        try:
            return await asyncio.wait_for(arrived, WAIT_MS / 1000)
        finally:
            self.waiting.remove(entry)


async def move(page: Page, frames: Frames, year: int, key: str) -> tuple[float, float]:
    """Press an arrow key on a pulje slider: seconds until the server's message with the new result arrived, and
    until the page's budget bar (drawn from the new solve) states the new pulje."""
    box = page.get_by_label(box_label(year), exact=True)
    before = await box.input_value()
    await page.get_by_role("slider", name=ui_text.CONTROLS["pulje_year"].format(year=year)).focus()
    began = time.perf_counter()
    await page.keyboard.press(key)
    await page.wait_for_function(
        "([label, old]) => document.querySelector(`input[aria-label='${label}']`).value !== old",
        arg=[box_label(year), before],
        timeout=WAIT_MS,
        polling=20,
    )
    pulje = await box.input_value()
    line = f"Pulje {year} {pulje} kr."
    arrived = await frames.first(md(line).encode(), began)  # the bar's text as the server sends it
    await page.locator(".st-key-budget_bar").get_by_text(line, exact=False).first.wait_for(timeout=WAIT_MS)
    return arrived - began, time.perf_counter() - began


async def save(page: Page, session: int, count: int) -> Save:
    """Save under the session's shared name from the tab "Bibliotek"; the version the page reports."""
    name, note = f"Belastning {session % NAMES + 1}", f"session {session:02d}, gem {count:03d}"
    await page.get_by_role("tab", name=TABS[5]).click()
    typed = {LIBRARY["note"]: note}
    if count == 1:  # the name and the author stay in their boxes for the session
        typed = {LIBRARY["name"]: name, LIBRARY["author"]: author(session), **typed}
    for label, text in typed.items():
        box = page.get_by_role("textbox", name=label)
        await box.fill(text)  # committed when the box loses focus, as the click below makes it
    pulje = {year: parse_number(await page.get_by_label(box_label(year), exact=True).input_value()) for year in YEARS}
    began = time.perf_counter()
    await page.get_by_role("button", name=LIBRARY["save"], exact=True).click()
    success = page.locator("[data-testid='stAlertContentSuccess']").filter(has_text=f"»{name}«")
    await success.first.wait_for(timeout=WAIT_MS)
    seconds = time.perf_counter() - began
    match = SAVED.search(await success.first.inner_text())
    assert match is not None
    await page.get_by_role("tab", name=TABS[0]).click()
    return Save(session, name, int(match.group(1)), note, pulje, seconds)


async def open_session(browser: Browser, url: str, session: int, gate: asyncio.Semaphore) -> tuple[Page, Frames]:
    """A new user's page (its own browser context), once the page shows its result; a few open at a time."""
    async with gate:
        context = await browser.new_context(viewport=VIEWPORT)
        page = await context.new_page()
        frames = Frames(page)
        await page.goto(f"{url}?katalog=fb2021&pulje.2022={700_000 - 1_000 * session}")
        await page.locator("[data-testid='stMetric']").first.wait_for(timeout=4 * WAIT_MS)
        return page, frames


async def run_session(page: Page, frames: Frames, session: int, deadline: float, tally: Tally) -> None:
    """One user: moves and saves until the deadline."""
    rng = random.Random(session)
    count = 0
    while time.monotonic() < deadline:
        for _ in range(MOVES_PER_SAVE):
            try:
                server, drawn = await move(page, frames, 2021, "ArrowLeft")
                tally.server.append(server)
                tally.moves.append(drawn)
            except Exception as exc:  # a timeout or a page that went away: counted, not fatal
                tally.errors.append(f"session {session}, move: {type(exc).__name__}: {str(exc)[:200]}")
            await check_page(page, tally, session, "move")
            await asyncio.sleep(rng.uniform(*THINK_S))
            if time.monotonic() >= deadline:
                return
        count += 1
        try:
            tally.saves.append(await save(page, session, count))
        except Exception as exc:
            tally.errors.append(f"session {session}, save {count}: {type(exc).__name__}: {str(exc)[:200]}")
        await check_page(page, tally, session, "save")
        await asyncio.sleep(rng.uniform(*THINK_S))


async def drive(url: str, sessions: int, duration: float, server: int) -> tuple[Tally, dict[str, float]]:
    """All sessions at once, in one Chromium; and the CPU seconds the server (pid), Chromium and this driver used
    during the measured time (opening the pages is not measured)."""
    tally = Tally()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            gate = asyncio.Semaphore(OPENING)
            pages = await asyncio.gather(*(open_session(browser, url, k, gate) for k in range(sessions)))
            before = (cpu_seconds(server), chromium_cpu_seconds(), _own_cpu_seconds(), time.monotonic())
            deadline = time.monotonic() + duration
            await asyncio.gather(*(run_session(*opened, k, deadline, tally) for k, opened in enumerate(pages)))
            after = (cpu_seconds(server), chromium_cpu_seconds(), _own_cpu_seconds(), time.monotonic())
        finally:
            await browser.close()
    names = ("server_s", "chromium_s", "this_driver_s", "wall_s")
    used = {name: b - a for name, a, b in zip(names, before, after, strict=True)}
    return tally, {key: round(value, 1) for key, value in used.items()}


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
    parser.add_argument("--sessions", type=int, default=SESSIONS)
    parser.add_argument("--seconds", type=float, default=DURATION_S)
    parser.add_argument(
        "--browser-nice",
        type=int,
        default=BROWSER_NICE,
        help="CPU priority of Chromium (and this driver) below the server's: 0 lets them compete as equals",
    )
    parser.add_argument("--quiet", action="store_true", help="only write benchmarks/results/load.json")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        raise SystemExit(f"error: {CHROMIUM} not found: install Debian's chromium")
    with tempfile.TemporaryDirectory() as folder:
        url_db = f"sqlite:///{Path(folder) / 'library.db'}"
        env = {"PULJE_DATABASE_URL": url_db, "PULJE_CACHE_DIR": str(Path(folder) / "cache")}
        with served_app(Path(folder) / "server.log", env) as url:
            os.nice(args.browser_nice)  # the browser started below inherits it; the server started above does not
            tally, cpu = asyncio.run(drive(url, args.sessions, args.seconds, _server_pid(url)))
        checked, versions = verify(Library(url_db, cache=Path(folder) / "check-cache"), tally.saves)
    report = summary(tally, checked, versions, args) | {"cpu_seconds": cpu}
    if not args.quiet:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(report | {"saves": [asdict(s) for s in tally.saves]}, indent=2))


def summary(tally: Tally, checked: dict, versions: int, args: argparse.Namespace) -> dict:
    seconds = [s.seconds for s in tally.saves]
    return {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {"cores": os.cpu_count()},
        "sessions": args.sessions,
        "duration_s": args.seconds,
        "browser_nice": args.browser_nice,
        "think_s": list(THINK_S),
        "moves": len(tally.moves),
        "move_p50_s": _round(statistics.median(tally.moves) if tally.moves else None),
        "move_p95_s": _round(percentile(tally.moves, 0.95)),
        "move_max_s": _round(max(tally.moves) if tally.moves else None),
        "server_p50_s": _round(statistics.median(tally.server) if tally.server else None),
        "server_p95_s": _round(percentile(tally.server, 0.95)),
        "saves": len(tally.saves),
        "save_p50_s": _round(statistics.median(seconds) if seconds else None),
        "save_p95_s": _round(percentile(seconds, 0.95)),
        "errors": len(tally.errors),
        "error_samples": tally.errors[:10],
        "versions_in_library": versions,
        "library_problems": checked,
        "lost": len(checked["lost"]),
        "mixed_up": len(checked["mixed_up"]),
        "unconfirmed": len(checked["unconfirmed"]),
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
