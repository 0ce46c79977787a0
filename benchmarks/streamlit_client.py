"""A client of Streamlit's websocket protocol (`/_stcore/stream`, Streamlit 1.67): it sends what a browser tab
sends and keeps what a tab keeps, but draws nothing, so that one process can stand in for many users' laptops.

What a tab does, and this client with it: it opens a session with a `rerun_script` BackMsg holding the page's
query string; every later rerun (a widget changed, a button clicked) sends the query string as the server last
set it, the state of every widget on the page (a slider's values, a text box's text, the open tab, an open
expander, a selectbox's option, a toggle) with the one that changed, and the id of the fragment the changed
widget is drawn in, so that only that fragment runs. A widget's state is what the server last set on it
(`set_value`), else what the tab held, else its default; widgets a run no longer draws are forgotten when it
finishes. A button's click is a trigger, sent once. Widgets whose state a tab reports only once the user acts on
them (a file upload, a data editor's edits, a segmented control) are not reported; the server then keeps their
last value, as it does for a tab that left them alone.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

FINISHED = ForwardMsg.ScriptFinishedStatus
EARLY = FINISHED.FINISHED_EARLY_FOR_RERUN  # a run cut short by st.rerun(): another run follows
FRAGMENT_DONE = FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
ALERT_ERROR, ALERT_SUCCESS = Alert.ERROR, Alert.SUCCESS  # an alert's format: st.error, st.success
STATEFUL = ("slider", "text_input", "selectbox", "checkbox")  # elements whose state a tab reports from the start


class ProtocolError(RuntimeError):
    """The server did not answer as a browser tab expects (no answer in time, a closed socket, no such widget)."""


@dataclass
class Widget:
    """A widget on the page as the tab knows it: its id, what it is, its label, the fragment it is drawn in ("" for
    none) and the state the tab reports on every rerun (None: nothing to report, e.g. a button)."""

    id: str
    kind: str  # the proto's name: "slider", "text_input", "button", "tab_container", "expandable", …
    label: str
    fragment: str
    value: Any = None
    options: list[str] = field(default_factory=list)  # a tab container's tab labels
    index: int = 0  # the tab the server says is open
    proto: Any = None  # the element as last drawn (a slider's min, max and step)

    def state(self) -> WidgetState | None:
        if self.kind == "tab_container":
            value = self.options[self.index] if self.index < len(self.options) else None
        else:
            value = self.value
        if value is None:
            return None
        state = WidgetState(id=self.id)
        if self.kind == "slider":
            state.double_array_value.data[:] = value
        elif isinstance(value, bool):
            state.bool_value = value
        else:
            state.string_value = value
        return state


@dataclass
class Exchange:
    """One rerun the client asked for: when it was sent, and every message (with the moment it arrived) until the
    script run it started had finished, including a run that follows an st.rerun()."""

    sent: float
    messages: list[tuple[float, ForwardMsg]] = field(default_factory=list)

    def first(self, wanted: Callable[[Element], bool]) -> float | None:
        """Seconds from sending to the first element drawn that is `wanted`, or None."""
        return next((moment - self.sent for moment, element in self.elements() if wanted(element)), None)

    @property
    def finished(self) -> float:
        """Seconds from sending to the end of the last script run."""
        return self.messages[-1][0] - self.sent

    def elements(self) -> Iterator[tuple[float, Element]]:
        for moment, msg in self.messages:
            if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
                yield moment, msg.delta.new_element


class Session:
    """One browser tab's session: open it, change widgets and click buttons, each answered by an Exchange."""

    def __init__(self, url: str, timeout_s: float):
        self.url, self.timeout_s = url.rstrip("/") + "/", timeout_s
        self.query = ""
        self.widgets: dict[str, Widget] = {}
        self._socket: ClientConnection | None = None
        self._page_hash = ""
        self._drawn: set[str] = set()
        self._tabs: dict[tuple[int, ...], Widget] = {}
        self._within: dict[str, str] = {}  # a fragment -> the fragment whose run drew it (a nested fragment)
        self._fragments: set[str] = set()  # the fragments whose elements this run drew

    async def open(self, query: str) -> Exchange:
        """Connect and run the page for a link ending in `?query`, as a tab that loads it does."""
        self._socket = await connect(
            self.url.replace("http", "ws", 1) + "_stcore/stream",
            subprotocols=["streamlit"],  # type: ignore[list-item]
            origin=self.url.rstrip("/"),  # type: ignore[arg-type]
            max_size=None,
            proxy=None,
        )
        self.query = query
        return await self._rerun([], fragment="")

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()

    def widget(self, kind: str, label: str) -> Widget:
        """The widget of that kind and label the page shows now (a tab container by one of its tabs' labels)."""
        for widget in self.widgets.values():
            if widget.kind == kind and (widget.label == label or label in widget.options):
                return widget
        raise ProtocolError(f"no {kind} labelled {label!r} on the page")

    async def change(self, widget: Widget, value: Any) -> Exchange:
        """Set a widget (a slider's value, a box's text, a tab's label) and rerun its fragment, as a tab does."""
        if widget.kind == "tab_container":
            widget.index = widget.options.index(value)
        else:
            widget.value = [float(value)] if widget.kind == "slider" else value
        return await self._rerun([], fragment=widget.fragment)

    async def click(self, widget: Widget) -> Exchange:
        trigger = WidgetState(id=widget.id, trigger_value=True)
        return await self._rerun([trigger], fragment=widget.fragment)

    async def _rerun(self, triggers: list[WidgetState], fragment: str) -> Exchange:
        if self._socket is None:
            raise ProtocolError("the session is not open")
        msg = BackMsg()
        msg.rerun_script.CopyFrom(self._client_state(fragment))
        msg.rerun_script.widget_states.widgets.extend(triggers)
        exchange = Exchange(time.perf_counter())
        await self._socket.send(msg.SerializeToString())
        deadline = exchange.sent + self.timeout_s
        while True:
            try:
                data = await asyncio.wait_for(self._socket.recv(), max(0.0, deadline - time.perf_counter()))
            except TimeoutError as exc:
                raise ProtocolError(f"no end of the script run within {self.timeout_s:.0f} s") from exc
            received = ForwardMsg()
            received.ParseFromString(data)
            exchange.messages.append((time.perf_counter(), received))
            if self._take(received, fragment):
                return exchange

    def _client_state(self, fragment: str) -> ClientState:
        state = ClientState(query_string=self.query, page_script_hash=self._page_hash, fragment_id=fragment)
        state.context_info.url = self.url + ("?" + self.query if self.query else "")
        state.context_info.timezone = "Europe/Copenhagen"
        state.context_info.locale = "da-DK"
        reported = (widget.state() for widget in self.widgets.values())
        state.widget_states.widgets.extend(s for s in reported if s is not None)
        return state

    def _take(self, msg: ForwardMsg, fragment: str) -> bool:
        """Keep what a tab keeps from a message; True when it ends the exchange (a run finished, none follows)."""
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self._page_hash = msg.new_session.page_script_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "delta":
            self._draw(msg)
            self._fragments.add(msg.delta.fragment_id)
        elif kind == "script_finished":
            status = msg.script_finished
            if status != EARLY:  # a run cut short drew only part of the page: forget nothing yet
                ran = fragment if status == FRAGMENT_DONE else None
                if ran is not None:  # a fragment drawn by this fragment's run is nested in it
                    self._within |= dict.fromkeys(self._fragments - {ran, ""}, ran)
                self.widgets = {
                    key: widget
                    for key, widget in self.widgets.items()
                    if key in self._drawn or (ran is not None and not self._inside(widget.fragment, ran))
                }
            self._drawn, self._tabs, self._fragments = set(), {}, set()
            return status != EARLY
        return False

    def _inside(self, fragment: str, ran: str) -> bool:
        """Whether a widget of `fragment` was drawn by a run of `ran` (it is `ran`, or nested in it), so that a
        run of `ran` that did not draw it again has removed it."""
        while fragment != ran and fragment in self._within:
            fragment = self._within[fragment]
        return fragment == ran

    def _draw(self, msg: ForwardMsg) -> None:
        delta, path = msg.delta, tuple(msg.metadata.delta_path)
        if delta.WhichOneof("type") == "add_block":
            block = delta.add_block
            if block.WhichOneof("type") == "tab_container" and block.tab_container.id:
                widget = self._known(block.tab_container.id, "tab_container", "", delta.fragment_id)
                widget.options, widget.index = [], block.tab_container.default_tab_index
                self._tabs[path] = widget
            elif block.WhichOneof("type") == "tab" and path[:-1] in self._tabs:
                self._tabs[path[:-1]].options.append(block.tab.label)
            elif block.WhichOneof("type") == "expandable" and block.expandable.id:
                widget = self._known(block.expandable.id, "expandable", block.expandable.label, delta.fragment_id)
                widget.value = block.expandable.expanded
            return
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        proto = getattr(element, kind)
        if kind != "button" and kind not in STATEFUL:
            return
        new = proto.id not in self.widgets
        widget = self._known(proto.id, kind, proto.label, delta.fragment_id)
        widget.proto = proto
        if kind in STATEFUL and (proto.set_value or new):
            widget.value = _shown(kind, proto)

    def _known(self, key: str, kind: str, label: str, fragment: str) -> Widget:
        widget = self.widgets.get(key)
        if widget is None:
            widget = self.widgets[key] = Widget(key, kind, label, fragment)
        widget.label, widget.fragment = label, fragment
        self._drawn.add(key)
        return widget


def _shown(kind: str, proto: Any) -> Any:
    """The state a tab reports for a widget the server drew: the value it set, else the widget's default."""
    if kind == "slider":
        return list(proto.value if proto.set_value else proto.default)
    if kind == "text_input":
        return proto.value if proto.set_value else (proto.default if proto.HasField("default") else "")
    if kind == "selectbox":
        if proto.set_value:
            return proto.raw_value
        return proto.options[proto.default] if proto.HasField("default") and proto.options else None
    return bool(proto.value if proto.set_value else proto.default)  # a checkbox or toggle
