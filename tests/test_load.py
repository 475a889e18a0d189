"""A room of viewers (issue 11): the server's settings for many sessions, and `make load` itself.

The timings belong to bench/RESULTS-load.md, not here: these tests check that the settings are what the
server starts with, and that the load command runs against a real server, counts no error on a
healthy app and prints its figures.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

# What a dashboard's server runs with, as Streamlit itself reads .streamlit/config.toml.
LOAD_SETTINGS = {
    "runner.postScriptGC": False,  # no full gc.collect() after every run: 47 % of the time under 30 sessions
    "server.fileWatcherType": "none",  # no module scan per new session: 12 %
    "runner.fastReruns": True,  # a click stops the run nobody will see rather than finishing it
    "server.enableWebsocketCompression": False,  # no CPU spent compressing small messages
}
READ_SETTINGS = f"""
import json
from streamlit import config
config.get_config_options()
print(json.dumps({{name: config.get_option(name) for name in {list(LOAD_SETTINGS)!r}}}))
"""


def test_the_server_starts_with_the_settings_for_a_room_of_viewers() -> None:
    done = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(done.stdout) == LOAD_SETTINGS


def test_a_developer_can_still_ask_for_reload_on_save() -> None:
    """The README's `--server.fileWatcherType auto` wins over the project's "none"."""
    script = READ_SETTINGS.replace(
        "config.get_config_options()",
        "config.get_config_options(options_from_flags={'server.fileWatcherType': 'auto'})",
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert json.loads(done.stdout)["server.fileWatcherType"] == "auto"
    assert "--server.fileWatcherType auto" in (ROOT / "README.md").read_text()


@pytest.mark.server
def test_the_load_command_opens_pages_in_parallel_sessions_and_reports(tmp_path: Path) -> None:
    """Two sessions, one rerun each, over every page a viewer sees, on a server the command starts."""
    results = tmp_path / "RESULTS-load.md"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.load",
            "--sessions",
            "2",
            "--reruns",
            "1",
            "--pages",
            "all",
            "--results",
            str(results),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "- errors: 0" in done.stdout
    number = r"\d+\.\d\d"
    for row in ("opening the page, all sessions at once \\| 2", "reruns \\| 2", "all \\| 4"):
        assert re.search(rf"\| {row} \| {number} \| {number} \| {number} \|", done.stdout), done.stdout
    # Every page a viewer sees was opened (the Overview is "/"), and the memory was read from the server.
    assert "pages: overview (/), partners, timeline, activities, outcomes, presentation" in done.stdout
    memory = r"server memory \(RSS\): [\d.]+ MiB after the warm-up, [\d.]+ MiB with the 2 sessions connected"
    assert re.search(memory, done.stdout), done.stdout
    written = results.read_text()
    assert written.startswith("# Load benchmark") and done.stdout.strip() in written
