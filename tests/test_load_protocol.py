"""The load test's protocol client (benchmarks/streamlit_client.py, benchmarks/load_protocol.py) is honest: a session
of Streamlit's websocket protocol against a real `streamlit run app.py` moves the pulje slider, saves from the tab
"Bibliotek" and moves again, and the library holds that save with the settings the session sent. Not timed: speed
is measured by benchmarks/load.py, never asserted here."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from benchmarks.load_check import verify
from benchmarks.load_plan import (
    LIBRARY,
    LIBRARY_TAB,
    MOVED,
    YEARS,
    Save,
    author,
    box_label,
    pulje_label,
    save_name,
    save_note,
)
from benchmarks.load_protocol import ProtocolUser, open_protocol_user
from benchmarks.report import _load_section
from benchmarks.streamlit_client import Exchange, ProtocolError
from optimizer import load_catalog
from scenarios.bundled import BUNDLED, start_settings
from scenarios.library.store import Library
from scenarios.settings_file import settings_from_scenario
from tests.browser_helpers import served_app

SESSION = 3  # opens with pulje 2022 = 697.000 kr. (benchmarks/load_plan.py's opening_query)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Library]]:
    """The app served by `streamlit run` with an empty library of its own, and that library."""
    folder = tmp_path_factory.mktemp("load-protocol")
    url_db = f"sqlite:///{folder / 'library.db'}"
    with served_app(
        folder / "server.log", {"PULJE_DATABASE_URL": url_db, "PULJE_CACHE_DIR": str(folder / "cache")}
    ) as url:
        yield url, Library(url_db, cache=folder / "check-cache")


async def _moves_saves_moves(url: str) -> tuple[ProtocolUser, list[float], list[Save], list[dict[str, float]]]:
    """One session: a move, a save, another move, a second save (its name and author still in their boxes); the
    slider's value after each move, the saves, the timings."""
    user = await open_protocol_user(url, SESSION, asyncio.Semaphore(1))
    try:
        values, timings = [], []
        timings.append(await user.move())
        values.append(user.client.widget("slider", pulje_label(MOVED)).value[0])
        saved = await user.save(1)
        timings.append(await user.move())  # after the save every widget is re-keyed: a new id for the slider
        values.append(user.client.widget("slider", pulje_label(MOVED)).value[0])
        again = await user.save(2)
        assert await user.problems() == []
        return user, values, [saved, again], timings
    finally:
        await user.client.close()


def test_a_protocol_session_moves_saves_and_the_library_holds_what_it_sent(served: tuple[str, Library]) -> None:
    url, library = served
    catalog = load_catalog(BUNDLED["fb2021"].path)
    start = dict(start_settings("fb2021", catalog).budget)[MOVED]
    user, values, (saved, again), timings = asyncio.run(_moves_saves_moves(url))
    assert values == [start - 1_000, start - 2_000]  # one slider step (1.000 kr.) down each time
    assert all(set(t) == {"move", "finished"} and 0 < t["move"] <= t["finished"] for t in timings)
    # the server took the moves: the box beside the slider says the pulje, and the page's link names the version
    # saved last with it
    assert user.client.query.endswith(f"version={again.version}")
    assert user.client.widget("text_input", box_label(MOVED)).value == f"{start - 2_000:,.0f}".replace(",", ".")
    assert len([w for w in user.client.widgets.values() if w.label == pulje_label(MOVED)]) == 1  # old ids forgotten
    assert (saved.name, saved.version, saved.note) == (save_name(SESSION), 1, save_note(SESSION, 1))
    assert saved.pulje == {2021: start - 1_000, 2022: 700_000 - 1_000 * SESSION}
    # the library holds exactly that save, with the author, note, pulje and allocation the session had
    assert (again.name, again.version, again.note) == (save_name(SESSION), 2, save_note(SESSION, 2))
    assert again.pulje == {2021: start - 2_000, 2022: 700_000 - 1_000 * SESSION}
    assert verify(library, [saved, again]) == ({"lost": [], "mixed_up": [], "unconfirmed": []}, 2)
    stored = settings_from_scenario(library.open(saved.name, saved.version), "fb2021")
    assert dict(stored.budget) == saved.pulje
    assert library.summary(saved.name, saved.version).info.author == author(SESSION)
    with pytest.raises(ProtocolError):  # back on the tab "Fordeling": the tab "Bibliotek"'s widgets are not drawn
        user.client.widget("button", LIBRARY["save"])


async def _typed_note(url: str) -> tuple[list[str], list[str]]:
    """What the page draws when a session types a note in the tab "Bibliotek", and when it then moves the pulje."""
    user = await open_protocol_user(url, SESSION + 1, asyncio.Semaphore(1))
    client = user.client
    try:
        await client.change(client.widget("tab_container", LIBRARY_TAB), LIBRARY_TAB)
        typed = await client.change(client.widget("text_input", LIBRARY["note"]), "Til mødet")
        slider = client.widget("slider", pulje_label(MOVED))
        moved = await client.change(slider, slider.value[0] - slider.proto.step)
        return [e.WhichOneof("type") for _, e in typed.elements()], [e.WhichOneof("type") for _, e in moved.elements()]
    finally:
        await client.close()


def test_typing_a_note_re_runs_the_tab_bibliotek_only(served: tuple[str, Library]) -> None:
    """The tab is a part of the page of its own: the note's rerun draws the tab's boxes again, not the budget bar
    nor the sliders (nothing is solved again), while a slider's move draws the result and the tab alike."""
    typed, moved = asyncio.run(_typed_note(served[0]))
    assert "text_input" in typed and "button" in typed
    assert "progress" not in typed and "slider" not in typed
    assert {"progress", "slider", "text_input", "button"} <= set(moved)


async def _pulje_then_weight(url: str) -> tuple[Exchange, Exchange]:
    """What the page draws when a session moves the pulje, and when it then moves a goal's weight."""
    user = await open_protocol_user(url, SESSION + 2, asyncio.Semaphore(1))
    client = user.client
    try:
        slider = client.widget("slider", pulje_label(MOVED))
        pulje = await client.change(slider, slider.value[0] - slider.proto.step)
        weight = next(w for w in client.widgets.values() if w.kind == "slider" and "Pulje" not in w.label)
        return pulje, await client.change(weight, weight.value[0] + 1.0)
    finally:
        await client.close()


def test_a_pulje_move_draws_the_result_without_the_weights_and_a_weight_move_draws_both(
    served: tuple[str, Library],
) -> None:
    """The pulje's sliders and the result are one fragment; the weights and limits are drawn with the whole page,
    so a pulje move does not draw them again, and a weight's move re-runs the page, result included."""
    pulje, weight = asyncio.run(_pulje_then_weight(served[0]))

    def sliders(exchange: Exchange) -> set[str]:
        return {e.slider.label for _, e in exchange.elements() if e.WhichOneof("type") == "slider"}

    def value(exchange: Exchange) -> str:
        return next(e.metric.body for _, e in exchange.elements() if e.WhichOneof("type") == "metric")

    assert sliders(pulje) == {pulje_label(year) for year in YEARS}
    assert {pulje_label(year) for year in YEARS} < sliders(weight)  # the weights too
    assert value(weight) != value(pulje)  # the result follows the weight (one goal counts double now)


FIGURES = {"moves": 10, "move_p50_s": 0.1, "move_p95_s": 0.2, "move_max_s": 0.3, "saves": 2, "save_p50_s": 0.4,
           "save_p95_s": 0.5}  # fmt: skip
CHECKED = {"errors": 0, "lost": 0, "mixed_up": 0, "unconfirmed": 0, "versions_in_library": 3, "when": "today",
           "sessions": 20, "duration_s": 60.0, "browser_nice": 10}  # fmt: skip


@pytest.mark.parametrize(
    ("load", "said"),
    [
        pytest.param(
            {**CHECKED, **FIGURES, "client": "protocol", "finished_p50_s": 0.15, "finished_p95_s": 0.25,
             "browser": {**FIGURES, "sessions": 2, "moves": 7, "server_p50_s": 0.6, "server_p95_s": 0.7}},
            ["slider moves (protocol)", "| 10; 100,00 ms; 200,00 ms; 300,00 ms |", "150,00 ms; 250,00 ms",
             "slider moves (Chromium)", "| 7; 100,00 ms", "600,00 ms; 700,00 ms", "Chromium pages (nice 10) | 2 |"],
            id="protocol-with-browser-pages",
        ),
        pytest.param(
            {**CHECKED, **FIGURES, "server_p50_s": 0.6, "server_p95_s": 0.7},  # a run from before the protocol client
            ["page of headless Chromium", "slider moves (Chromium)", "600,00 ms; 700,00 ms"],
            id="browser-only",
        ),
    ],
)  # fmt: skip
def test_the_report_says_which_client_measured_which_figure(load: dict, said: list[str]) -> None:
    text = "\n".join(_load_section(load))
    for words in said:
        assert words in text
    assert ("protocol" in text) == (load.get("client") == "protocol")
