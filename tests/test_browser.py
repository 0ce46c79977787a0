"""The app in a real browser: `streamlit run app.py` on a free port, Debian's Chromium driven by Playwright.

A slider moved with the keyboard changes the result to what the core computes for the new pulje, a shared
link opened in a fresh browser shows the same numbers, a version saved in the library opens from its link, a
name and author typed in the tab "Bibliotek" are still in their boxes after another tab was open, and
screenshots (the start, after the move, the
committee view; at laptop and projector sizes) are saved under tests/artifacts/ (or $PULJE_ARTIFACTS), to be
looked at by a person: the tests cannot judge how the page reads.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

import ui_text
from tests.app_helpers import danish, independent, start
from tests.browser_helpers import CHROMIUM, ROOT, launch, open_app, served_app, settled

ARTIFACTS = Path(os.environ.get("PULJE_ARTIFACTS") or ROOT / "tests" / "artifacts")
LAPTOP = {"width": 1440, "height": 900}
PROJECTOR = {"width": 1280, "height": 720}
BOX = ui_text.CONTROLS["box"].format(label="Pulje 2021")
LIBRARY = ui_text.LIBRARY
STEPS = 40  # arrow presses: 40 × 1.000 kr. down from 722.000 kr.


def in_ci() -> bool:
    """True on CI (CI=1 or CI=true), where a missing browser is a failure rather than a skip."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by a real `streamlit run` with an empty library of its own; fails on CI and skips locally
    without Chromium."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: install Debian's Chromium (apt-get install chromium; .ci/run does it)"
        pytest.fail(message) if in_ci() else pytest.skip(message)
    folder = tmp_path_factory.mktemp("streamlit")
    library = {"PULJE_DATABASE_URL": f"sqlite:///{folder / 'library.db'}", "PULJE_CACHE_DIR": str(folder / "cache")}
    with served_app(folder / "server.log", library) as url:
        yield url


@pytest.fixture(scope="module")
def browser(app_url: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def figures(page: Page) -> list[str]:
    return page.locator("[data-testid='stMetricValue']").all_inner_texts()


def test_start_page_shows_the_independent_optimum(browser: Browser, app_url: str) -> None:
    for name, viewport in (("start-laptop", LAPTOP), ("start-projector", PROJECTOR)):
        page = open_app(browser, app_url, viewport)
        settled(page)
        expected = independent(start("fb2021"), "fb2021")
        assert math.isclose(danish(figures(page)[0]), expected.objective, abs_tol=0.005)
        assert page.get_by_role("alert").count() == 0  # st.error and st.warning render as alerts
        shot(page, name)
        page.context.close()


def test_a_slider_moved_with_the_keyboard_changes_the_result_and_the_link_reproduces_it(
    browser: Browser, app_url: str
) -> None:
    page = open_app(browser, app_url, LAPTOP)
    settled(page)
    before = figures(page)
    page.get_by_role("slider", name="Pulje 2021").focus()
    for _ in range(STEPS):
        page.keyboard.press("ArrowLeft")
    box = page.get_by_label(BOX)
    expect(box).to_have_value("682.000", timeout=20_000)
    expect(page).to_have_url(re.compile(r"pulje\.2021=682000"), timeout=20_000)
    settled(page, 1_000)
    moved = figures(page)
    expected = independent(start("fb2021").with_budget(2021, 682_000), "fb2021")
    assert moved != before
    assert math.isclose(danish(moved[0]), expected.objective, abs_tol=0.005)
    assert danish(moved[1]) == (expected.allocation["amount_kr"] > 0.5).sum()
    shot(page, "after-slider-laptop")
    link = page.url
    page.context.close()

    fresh = open_app(browser, link, LAPTOP)  # a new browser context: nothing shared but the link
    settled(fresh, 1_000)
    assert fresh.get_by_label(BOX).input_value() == "682.000"
    assert figures(fresh) == moved
    fresh.context.close()


def test_committee_view_at_projector_size(browser: Browser, app_url: str) -> None:
    page = open_app(browser, f"{app_url}?katalog=fb2021&pulje.2021=500000&visning=udvalg", PROJECTOR)
    settled(page, 1_000)
    assert page.get_by_role("slider").count() == 0
    labels = page.locator("[data-testid='stMetricLabel']").all_inner_texts()
    assert labels == [ui_text.COMMITTEE["value"], ui_text.COMMITTEE["funded"], ui_text.COMMITTEE["moved"]]
    size = page.locator("[data-testid='stMetricLabel'] p").first.evaluate("e => getComputedStyle(e).fontSize")
    assert float(size.removesuffix("px")) >= 26.6  # at least 20 pt
    expected = independent(start("fb2021").with_budget(2021, 500_000), "fb2021")
    assert math.isclose(danish(figures(page)[0]), expected.objective, abs_tol=0.005)
    shot(page, "committee-projector")
    page.set_viewport_size({"width": 1024, "height": 768})
    settled(page)
    shot(page, "committee-projector-1024")
    page.context.close()


def test_a_version_saved_in_the_library_opens_from_its_link_in_a_fresh_browser(browser: Browser, app_url: str) -> None:
    page = open_app(browser, f"{app_url}?katalog=fb2021&pulje.2021=600000", LAPTOP)
    settled(page)
    page.get_by_role("tab", name=ui_text.RESULTS["tabs"][5]).click()
    page.get_by_role("textbox", name=LIBRARY["name"]).fill("Forslag fra browseren")
    author = page.get_by_role("textbox", name=LIBRARY["author"])
    author.fill("Playwright")
    author.press("Enter")
    settled(page)
    page.get_by_role("button", name=LIBRARY["save"], exact=True).click()
    saved = LIBRARY["saved"].format(name="Forslag fra browseren", version=1)
    expect(page.get_by_text(saved)).to_be_visible(timeout=20_000)
    expect(page).to_have_url(re.compile(r"bibliotek=Forslag\+fra\+browseren&version=1$"), timeout=20_000)
    settled(page, 1_000)
    shown = figures(page)
    shot(page, "saved-in-library-laptop")
    link = page.url
    page.context.close()

    fresh = open_app(browser, link, LAPTOP)  # nothing shared with the saving browser but the link and the library
    settled(fresh, 1_000)
    expected = independent(start("fb2021").with_budget(2021, 600_000), "fb2021")
    assert figures(fresh) == shown
    assert math.isclose(danish(shown[0]), expected.objective, abs_tol=0.005)
    fresh.context.close()


def test_the_name_and_author_typed_stay_in_their_boxes_while_another_tab_opens(browser: Browser, app_url: str) -> None:
    """The tab "Bibliotek" reruns on its own; a box the browser unmounted (the tab "Fordeling" was open) still
    shows what was typed, and a second save under the same name needs only a new note."""
    page = open_app(browser, f"{app_url}?katalog=fb2021", LAPTOP)
    settled(page)
    tabs = ui_text.RESULTS["tabs"]
    page.get_by_role("tab", name=tabs[5]).click()
    page.get_by_role("textbox", name=LIBRARY["name"]).fill("Forslag med to versioner")
    author = page.get_by_role("textbox", name=LIBRARY["author"])
    author.fill("Playwright")
    author.press("Enter")
    settled(page)
    for version in (1, 2):
        page.get_by_role("tab", name=tabs[0]).click()
        settled(page)
        page.get_by_role("tab", name=tabs[5]).click()
        settled(page)
        assert page.get_by_role("textbox", name=LIBRARY["name"]).input_value() == "Forslag med to versioner"
        assert page.get_by_role("textbox", name=LIBRARY["author"]).input_value() == "Playwright"
        page.get_by_role("button", name=LIBRARY["save"], exact=True).click()
        saved = LIBRARY["saved"].format(name="Forslag med to versioner", version=version)
        expect(page.get_by_text(saved)).to_be_visible(timeout=20_000)
        settled(page)
    page.context.close()
