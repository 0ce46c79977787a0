"""Browser smoke test: `streamlit run app.py` in a subprocess, loaded in Debian's Chromium by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

import ui_text

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; Playwright never downloads a browser here
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
START_TIMEOUT_S = 60  # generous: the server's first start imports pandas, PuLP and HiGHS
RENDER_TIMEOUT_MS = 60_000


def in_ci() -> bool:
    """True on CI (CI=1 or CI=true), where a missing browser is a failure rather than a skip."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def require_chromium() -> None:
    """Fail on CI, skip locally, when Debian's Chromium is not installed."""
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} not found: install Debian's Chromium (apt-get install chromium; .ci/run does it)"
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    """A TCP port on localhost that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("localhost", 0))
        return sock.getsockname()[1]


def wait_for_health(url: str, server: subprocess.Popen, log: Path) -> None:
    """Poll the health endpoint until it answers "ok"; fail early if the server exits, or after the timeout."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"streamlit exited with code {server.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    pytest.fail(f"{url} did not answer 'ok' within {START_TIMEOUT_S} s:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of the app served by a real `streamlit run` on a free port; the server is stopped afterwards."""
    require_chromium()
    port = free_port()
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
        "--server.port", str(port), "--server.address", "localhost", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    env = {key: value for key, value in os.environ.items() if key != "PULJE_DATA_DIR"}  # the bundled data
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_health(f"http://localhost:{port}/_stcore/health", server, log)
        yield f"http://localhost:{port}/"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def test_page_shows_catalogs_and_missing_figures(app_url: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(app_url)
            page.get_by_text(ui_text.PAGE_TITLE, exact=True).first.wait_for(timeout=RENDER_TIMEOUT_MS)
            for key, name in ui_text.CATALOG_NAMES.items():
                expect(page.get_by_text(name, exact=True)).to_be_visible(timeout=RENDER_TIMEOUT_MS)
                source = page.get_by_text(ui_text.SOURCE_TITLES[key])  # drawn only once the catalog has loaded
                expect(source).to_be_visible(timeout=RENDER_TIMEOUT_MS)
            expect(page.get_by_text(ui_text.MISSING, exact=True).first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
            assert page.get_by_role("alert").count() == 0  # st.error renders as an alert: no catalog failed
        finally:
            browser.close()
