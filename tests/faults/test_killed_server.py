"""kill -9 of the Streamlit server while a save is under way on its database, then a restart: the app
opens in a browser and the data is whole (all of the save or none of it).

The save is an import from the command line into the file the server is reading: that proves the
point (a server dying with its connections open mid-transaction) without driving a form in a browser.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests import tally
from tests.browser_helpers import browser_chromium, browser_executable, wait_until_idle
from tests.faults.record import activities_file, added_by_import, assert_whole, make_demo_database, plus
from tests.helpers import ROOT

__all__ = ["browser_chromium", "browser_executable"]  # fixtures, bound here for pytest to find

ROWS = 2_500
START_SECONDS = 60
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _serve(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """The real server, started as `make run` starts it; returns it and its address once it answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
               "--server.port", str(port), "--server.fileWatcherType", "none",
               "--browser.gatherUsageStats", "false"]  # fmt: skip
    with log.open("ab") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with _DIRECT.open(f"{base_url}/_stcore/health", timeout=2) as answer:
                if answer.read().decode().strip() == "ok":
                    return server, base_url
        except OSError:
            time.sleep(0.25)
    server.kill()
    pytest.fail(f"streamlit did not start:\n{log.read_text(errors='replace')[-3000:]}")


def test_the_app_opens_whole_after_its_server_is_killed_during_a_save(
    tmp_path: Path, browser_chromium: Browser
) -> None:
    database = tmp_path / "partnerships.db"
    url = make_demo_database(database)
    file = activities_file(tmp_path / "activities.csv", ROWS)
    before = assert_whole(database)
    env = {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    env.pop("DASHBOARD_LANG", None)
    log = tmp_path / "streamlit.log"
    rng = random.Random(10)
    page = browser_chromium.new_page()
    try:
        server, base_url = _serve(env, log)
        try:
            page.goto(base_url)
            wait_until_idle(page)  # the server has read the database and keeps its connections
            saving = subprocess.Popen(
                [sys.executable, "-m", "db", "import", "activities", str(file)],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            wal = database.with_name(database.name + "-wal")
            while saving.poll() is None and (not wal.exists() or wal.stat().st_size < 64 * 1024):
                time.sleep(0.005)  # until the save's transaction is being written
            # The server reads other pages (uncached) while the save goes on, and dies in the middle.
            page.goto(f"{base_url}/activities?year=all", wait_until="commit")
            time.sleep(rng.uniform(0.0, 0.3))
        finally:
            server.send_signal(signal.SIGKILL)
            server.wait()
        time.sleep(rng.uniform(0.0, 0.3))
        saving.send_signal(signal.SIGKILL)  # the save dies too, if it had not finished
        saving.wait()
        after = assert_whole(database)
        assert after in (before, plus(before, added_by_import(ROWS)))

        server, base_url = _serve(env, log)
        try:
            page.goto(base_url)
            wait_until_idle(page)
            expect(page.get_by_role("heading", name="Обзор на партньорствата")).to_be_visible()
            page.goto(f"{base_url}/activities?year=all")
            wait_until_idle(page)
        finally:
            server.send_signal(signal.SIGKILL)
            server.wait()
    finally:
        page.close()
    assert assert_whole(database) == after
    tally.faults(2)  # the server killed mid-read, the save killed mid-write
