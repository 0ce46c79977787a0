"""A load-test user without a browser: a session of Streamlit's websocket protocol (benchmarks/streamlit_client.py)
that sends what the user's browser tab would send, so the server's answer times are measured apart from any
drawing. A move sets the pulje 2021 slider one step lower (what an ArrowLeft gives), timed from sending until
the message with the budget bar stating the new pulje ("move") and until the script run finished ("finished");
a save types into the boxes of the tab "Bibliotek" and clicks the button, timed until the message saying which
version was saved."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable

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
from benchmarks.streamlit_client import ALERT_ERROR, ALERT_SUCCESS, Element, Exchange, ProtocolError, Session
from optimizer.formats import format_kr
from optimizer.numbers import parse_number
from ui.tables import md

ESCAPED = re.compile(r"\\(.)")  # the backslash md() puts before Markdown's punctuation


class ProtocolUser:
    """One user's session (see the module's docstring)."""

    def __init__(self, client: Session, session: int):
        self.client, self.session = client, session
        self.shown: list[str] = []  # error boxes and tracebacks drawn since problems() was last called

    async def move(self) -> dict[str, float]:
        slider = self.client.widget("slider", pulje_label(MOVED))
        value = max(slider.proto.min, slider.value[0] - slider.proto.step)
        bar = md(f"Pulje {MOVED} {format_kr(value)}")
        exchange = await self._exchange(self.client.change(slider, value))
        arrived = exchange.first(lambda e: e.WhichOneof("type") == "progress" and bar in e.progress.text)
        if arrived is None:
            raise ProtocolError(f"the budget bar never stated {bar!r}")
        return {"move": arrived, "finished": exchange.finished}

    async def save(self, count: int) -> Save:
        client, name, note = self.client, save_name(self.session), save_note(self.session, count)
        await self._exchange(client.change(client.widget("tab_container", LIBRARY_TAB), LIBRARY_TAB))
        typed = {LIBRARY["note"]: note}
        if count == 1:  # the name and the author stay in their boxes for the session
            typed = {LIBRARY["name"]: name, LIBRARY["author"]: author(self.session), **typed}
        for label, text in typed.items():  # each box is committed (a rerun) as the next one takes the focus
            await self._exchange(client.change(client.widget("text_input", label), text))
        pulje = {year: parse_number(client.widget("text_input", box_label(year)).value) for year in YEARS}
        exchange = await self._exchange(client.click(client.widget("button", LIBRARY["save"])))
        said = [(moment, text) for moment, text in _alerts(exchange, ALERT_SUCCESS) if f"»{name}«" in text]
        match = SAVED.search(said[0][1]) if said else None
        if match is None:
            raise ProtocolError(f"no message that »{name}« was saved")
        await self._exchange(client.change(client.widget("tab_container", RESULT_TAB), RESULT_TAB))
        return Save(self.session, name, int(match.group(1)), note, pulje, said[0][0], "protocol")

    async def problems(self) -> list[str]:
        shown, self.shown = self.shown, []
        return shown

    async def _exchange(self, asked: Awaitable[Exchange]) -> Exchange:
        """Await a rerun; the error boxes and tracebacks it drew are kept for problems()."""
        exchange = await asked
        self.shown += [text for _, text in _alerts(exchange, ALERT_ERROR)]
        self.shown += [e.exception.message for _, e in exchange.elements() if e.WhichOneof("type") == "exception"]
        return exchange


def _alerts(exchange: Exchange, kind: int) -> list[tuple[float, str]]:
    """The alert boxes of a kind an exchange drew: seconds from sending, and the text as the page shows it."""
    return [
        (moment - exchange.sent, ESCAPED.sub(r"\1", element.alert.body))
        for moment, element in exchange.elements()
        if _is_alert(element, kind)
    ]


def _is_alert(element: Element, kind: int) -> bool:
    return element.WhichOneof("type") == "alert" and element.alert.format == kind


async def open_protocol_user(url: str, session: int, gate: asyncio.Semaphore) -> ProtocolUser:
    """A new user's session, once the server has drawn its result; a few open at a time."""
    async with gate:
        client = Session(url, timeout_s=4 * WAIT_MS / 1000)
        exchange = await client.open(opening_query(session))
        if exchange.first(lambda e: e.WhichOneof("type") == "metric") is None:
            raise ProtocolError(f"session {session}: the page opened without its key figures")
        client.timeout_s = WAIT_MS / 1000
        return ProtocolUser(client, session)
