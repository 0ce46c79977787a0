"""A load-test user in a real browser: a page in its own context (its own Streamlit session and websocket) of one
headless Chromium, driven by Playwright's async API. A move is an ArrowLeft on the pulje 2021 slider, timed until
the page's budget bar states the new pulje (and, apart, until the server's message with it reached the page); a
save fills the boxes of the tab "Bibliotek" and clicks the button, timed until the page says which version."""

from __future__ import annotations

import asyncio
import time
from collections import deque

from playwright.async_api import Browser, Page

from benchmarks.load_plan import (
    LIBRARY,
    LIBRARY_TAB,
    MOVED,
    RESULT_TAB,
    SAVED,
    WAIT_MS,
    YEARS,
    Save,
    author,
    box_label,
    opening_query,
    pulje_label,
    save_name,
    save_note,
)
from optimizer.numbers import parse_number
from ui.tables import md

VIEWPORT = {"width": 1280, "height": 800}
ERRORS = "[data-testid='stAlertContentError'], [data-testid='stException']"


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


class BrowserUser:
    """One user's page (see the module's docstring)."""

    def __init__(self, page: Page, frames: Frames, session: int):
        self.page, self.frames, self.session = page, frames, session

    async def move(self) -> dict[str, float]:
        """ArrowLeft on the slider: seconds until the page's budget bar states the new pulje ("move") and until
        the server's message with it arrived ("server")."""
        page, box = self.page, self.page.get_by_label(box_label(MOVED), exact=True)
        before = await box.input_value()
        await page.get_by_role("slider", name=pulje_label(MOVED)).focus()
        began = time.perf_counter()
        await page.keyboard.press("ArrowLeft")
        await page.wait_for_function(
            "([label, old]) => document.querySelector(`input[aria-label='${label}']`).value !== old",
            arg=[box_label(MOVED), before],
            timeout=WAIT_MS,
            polling=20,
        )
        line = f"Pulje {MOVED} {await box.input_value()} kr."
        arrived = await self.frames.first(md(line).encode(), began)  # the bar's text as the server sends it
        await page.locator(".st-key-budget_bar").get_by_text(line, exact=False).first.wait_for(timeout=WAIT_MS)
        return {"move": time.perf_counter() - began, "server": arrived - began}

    async def save(self, count: int) -> Save:
        """Save under the session's shared name from the tab "Bibliotek"; the version the page reports."""
        page, name, note = self.page, save_name(self.session), save_note(self.session, count)
        await page.get_by_role("tab", name=LIBRARY_TAB).click()
        typed = {LIBRARY["note"]: note}
        if count == 1:  # the name and the author stay in their boxes for the session
            typed = {LIBRARY["name"]: name, LIBRARY["author"]: author(self.session), **typed}
        for label, text in typed.items():
            await page.get_by_role("textbox", name=label).fill(text)  # committed when the box loses focus
        pulje = {
            year: parse_number(await page.get_by_label(box_label(year), exact=True).input_value()) for year in YEARS
        }
        began = time.perf_counter()
        await page.get_by_role("button", name=LIBRARY["save"], exact=True).click()
        success = page.locator("[data-testid='stAlertContentSuccess']").filter(has_text=f"»{name}«")
        await success.first.wait_for(timeout=WAIT_MS)
        seconds = time.perf_counter() - began
        match = SAVED.search(await success.first.inner_text())
        assert match is not None
        await page.get_by_role("tab", name=RESULT_TAB).click()
        return Save(self.session, name, int(match.group(1)), note, pulje, seconds, "browser")

    async def problems(self) -> list[str]:
        return await self.page.locator(ERRORS).all_inner_texts()


async def open_browser_user(browser: Browser, url: str, session: int, gate: asyncio.Semaphore) -> BrowserUser:
    """A new user's page (its own browser context), once the page shows its result; a few open at a time."""
    async with gate:
        context = await browser.new_context(viewport=VIEWPORT)
        page = await context.new_page()
        frames = Frames(page)
        await page.goto(f"{url}?{opening_query(session)}")
        await page.locator("[data-testid='stMetric']").first.wait_for(timeout=4 * WAIT_MS)
        return BrowserUser(page, frames, session)
