"""What the browser tests share: the Streamlit servers, Debian's Chromium, and waiting for a page to be drawn.

tests/test_browser.py and tests/test_presentation_browser.py use these fixtures by name: pytest finds
a fixture among a test module's attributes, so each module binds the ones it asks for.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from tests.helpers import ROOT

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # Without these, Chromium keeps trying hosts that this network refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_SECONDS = 40
VEGA_DRAW_MS = 1_500
# How long a click may take to reach the URL: a rerun of the script on a busy two-core machine.
RERUN_MS = 20_000
APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
APP_CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"

# What vega-embed drew in a chart: the drawing surface, its size and the number of data marks
# (axes and legends are not data marks; -1 when the renderer is a canvas and marks cannot be counted).
DRAWN_CHART = """
chart => {
    const surface = chart.querySelector("svg.marks, canvas.marks");
    if (!surface) return null;
    const box = surface.getBoundingClientRect();
    const marks = surface.tagName === "svg" ? surface.querySelectorAll("g.role-mark > *").length : -1;
    return {width: box.width, height: box.height, marks: marks};
}
"""
EMPTY_DATABASE = {"bg": "Базата данни е празна", "en": "The database is empty"}


# --- the servers ---------------------------------------------------------------------------------


# The health check goes straight to the local server, whatever proxy the environment names.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _db_command(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "db", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, f"python -m db {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"


def _log_tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _serve(folder: Path, *, demo: bool, settings: dict[str, str] | None = None) -> Iterator[str]:
    """A Streamlit server for a new database in `folder` (with the demo data or empty); yields its URL.

    `settings` are environment variables for the app (DASHBOARD_REQUIRE_LOGIN, …)."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'partnerships.db'}",
        "PYTHONUNBUFFERED": "1",
        **(settings or {}),
    }
    _db_command(env, "init")
    if demo:
        _db_command(env, "demo")
    port = _free_port()
    log = folder / "streamlit.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    base_url = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + SERVER_START_SECONDS
            while True:
                if server.poll() is not None:
                    pytest.fail(f"streamlit exited with {server.returncode}:\n{_log_tail(log)}")
                try:
                    with _DIRECT.open(f"{base_url}/_stcore/health", timeout=2) as answer:
                        if answer.read().decode().strip() == "ok":
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not answer within {SERVER_START_SECONDS} s:\n{_log_tail(log)}")
                time.sleep(0.25)
            yield base_url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


# The servers ask for the browser first: without one, there is no point in starting them.


@pytest.fixture(scope="module")
def browser_demo_server(tmp_path_factory: pytest.TempPathFactory, browser_executable: str) -> Iterator[str]:
    """The app on a database with the demo data."""
    yield from _serve(tmp_path_factory.mktemp("browser-demo"), demo=True)


@pytest.fixture(scope="module")
def browser_empty_server(tmp_path_factory: pytest.TempPathFactory, browser_executable: str) -> Iterator[str]:
    """The app on a database with the schema and no records."""
    yield from _serve(tmp_path_factory.mktemp("browser-empty"), demo=False)


# --- the browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser_executable() -> str:
    """Debian's Chromium (`playwright install` cannot download one here): skipped without it, failed on CI."""
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        message = f"no Chromium at {executable}: `apt-get install chromium`, or set CHROMIUM_PATH"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return executable


@pytest.fixture(scope="module")
def browser_chromium(browser_executable: str) -> Iterator[Browser]:
    """One headless Chromium for the module."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# --- waiting for the page ------------------------------------------------------------------------


def wait_until_idle(page: Page) -> None:
    """Wait for the script run to end, for every element to arrive and for Vega to draw; no exception."""
    # The script-state attribute changes only once the server has heard of the new run.
    page.wait_for_timeout(200)
    page.locator(APP_CONNECTED).wait_for(state="attached")
    page.locator(APP_IDLE).wait_for(state="attached")
    # A fresh server's first page can take a while on a busy 2-core machine (imports, cold caches).
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=RERUN_MS)
    page.wait_for_timeout(VEGA_DRAW_MS)
    errors = page.get_by_test_id("stException").all_inner_texts()
    assert not errors, f"{page.url} shows an exception:\n" + "\n".join(errors)


def main_area(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def assert_charts_drawn(page: Page, expected: int) -> None:
    charts = page.get_by_test_id("stVegaLiteChart")
    expect(charts).to_have_count(expected)
    for index in range(expected):
        drawn = charts.nth(index).evaluate(DRAWN_CHART)
        assert drawn is not None, f"chart {index} on {page.url} has nothing drawn"
        assert drawn["width"] > 50 and drawn["height"] > 50, f"chart {index} on {page.url} is tiny: {drawn}"
        assert drawn["marks"] != 0, f"chart {index} on {page.url} has axes but no data marks: {drawn}"
