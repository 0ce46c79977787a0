"""A real `streamlit run app.py` on a free localhost port, and Debian's Chromium driven by Playwright: shared
by the browser tests and the app benchmark (benchmarks/app.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; Playwright never downloads a browser here
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT_S = 60  # generous: the server's first start imports pandas, PuLP and HiGHS
RENDER_TIMEOUT_MS = 60_000


class ServerError(RuntimeError):
    """The app's server did not start (its log is in the message)."""


def free_port() -> int:
    """A TCP port on localhost that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("localhost", 0))
        return sock.getsockname()[1]


def _wait_for_health(url: str, server: subprocess.Popen, log: Path) -> None:
    """Poll the health endpoint until it answers "ok"; raise if the server exits, or after the timeout."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ServerError(f"streamlit exited with code {server.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise ServerError(f"{url} did not answer 'ok' within {START_TIMEOUT_S} s:\n{log.read_text(errors='replace')}")


@contextmanager
def served_app(log: Path, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """The URL of the app served by `streamlit run` on a free port (the bundled data; `env` over this process's
    environment, e.g. PULJE_DATABASE_URL for a library of its own); stopped afterwards."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "localhost",
        "--browser.gatherUsageStats",
        "false",
    ]
    environment = {key: value for key, value in os.environ.items() if key != "PULJE_DATA_DIR"} | dict(env or {})
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for_health(f"http://localhost:{port}/_stcore/health", server, log)
        yield f"http://localhost:{port}/"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)


def open_app(browser: Browser, url: str, viewport: dict[str, int]) -> Page:
    """A fresh page (its own context: no shared session) showing the app, once its key figures are drawn."""
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(url)
    page.locator("[data-testid='stMetric']").first.wait_for(timeout=RENDER_TIMEOUT_MS)
    return page


def settled(page: Page, quiet_ms: int = 400) -> None:
    """Wait until the page has stopped changing (Streamlit draws in several messages)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(quiet_ms)
