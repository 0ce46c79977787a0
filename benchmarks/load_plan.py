"""What each simulated user of the load test (benchmarks/load.py) does and records, whichever client drives it:
moves of the pulje 2021 slider one step down with a think time after each, every few moves a save from the tab
"Bibliotek" under a name shared with other sessions, and what each session saw (timings, saves, errors)."""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Protocol

import ui_text

SESSIONS = 20
DURATION_S = 60.0
NAMES = 4  # saves go under 4 names, each shared by 5 sessions (so saves of one name race for the next version)
MOVES_PER_SAVE = 4
OPENING = 4  # sessions opened at a time before the minute starts (opening is not measured)
THINK_S = (0.5, 1.5)  # how long a user looks at the result before the next move (uniform)
WAIT_MS = 30_000  # a wait longer than this counts as an error
YEARS = (2021, 2022)
MOVED = 2021  # the pulje year whose slider the users move
LIBRARY = ui_text.LIBRARY
TABS = ui_text.RESULTS["tabs"]
LIBRARY_TAB, RESULT_TAB = TABS[5], TABS[0]
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
    client: str  # "protocol" or "browser": which kind of session saved it


@dataclass
class Tally:
    """What the sessions of one client saw: timings by what was timed (each User says), saves and errors."""

    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    saves: list[Save] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class User(Protocol):
    """One simulated user's session, driven by a browser page or by the websocket protocol."""

    session: int

    async def move(self) -> dict[str, float]:
        """The pulje 2021 slider one step down (an ArrowLeft): seconds until the updated result, by what was timed
        ("move" is the updated result as this client sees it)."""
        ...

    async def save(self, count: int) -> Save:
        """Save what is on the screen from the tab "Bibliotek" (the `count`th save of this session)."""
        ...

    async def problems(self) -> list[str]:
        """Red error boxes or tracebacks: on the page now (a browser), or drawn since the last call (the protocol)."""
        ...


def author(session: int) -> str:
    return f"Session {session:02d}"


def save_name(session: int) -> str:
    return f"Belastning {session % NAMES + 1}"


def save_note(session: int, count: int) -> str:
    """A note that says which session saved and its how manyth save, so the library shows who saved what."""
    return f"session {session:02d}, gem {count:03d}"


def opening_query(session: int) -> str:
    """The link each session opens: its own pulje for 2022, so the sessions do not answer each other from the
    cache while they walk their pulje for 2021 down."""
    return f"katalog=fb2021&pulje.2022={700_000 - 1_000 * session}"


def pulje_label(year: int) -> str:
    return ui_text.CONTROLS["pulje_year"].format(year=year)


def box_label(year: int) -> str:
    """The label of the box beside a year's pulje slider (which shows the pulje in Danish)."""
    return ui_text.CONTROLS["box"].format(label=pulje_label(year))


async def run_user(user: User, deadline: float, tally: Tally) -> None:
    """One user until the deadline: a few moves (each followed by a think time), then a save, and again. A
    failed move or save (a wait that timed out, a page that went away) is counted as an error, not fatal."""
    rng = random.Random(user.session)
    count = 0
    while time.monotonic() < deadline:
        for _ in range(MOVES_PER_SAVE):
            try:
                for what, seconds in (await user.move()).items():
                    tally.timings[what].append(seconds)
            except Exception as exc:
                tally.errors.append(f"session {user.session}, move: {type(exc).__name__}: {str(exc)[:200]}")
            tally.errors += [f"session {user.session}, move: {text[:200]}" for text in await user.problems()]
            await asyncio.sleep(rng.uniform(*THINK_S))
            if time.monotonic() >= deadline:
                return
        count += 1
        try:
            tally.saves.append(await user.save(count))
        except Exception as exc:
            tally.errors.append(f"session {user.session}, save {count}: {type(exc).__name__}: {str(exc)[:200]}")
        tally.errors += [f"session {user.session}, save {count}: {text[:200]}" for text in await user.problems()]
        await asyncio.sleep(rng.uniform(*THINK_S))
