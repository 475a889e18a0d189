"""The server's own settings, and what any browser may ask of it: the defaults are the safe ones.

Streamlit reads `.streamlit/config.toml` from the folder it starts in; `make run` starts there.
What Streamlit cannot do itself (TLS, frame headers, closing /_stcore/metrics) is the proxy's:
tests/hostile/test_proxy.py checks deploy/nginx.conf in front of a real server.
"""

from __future__ import annotations

import json
import subprocess
import sys
from types import SimpleNamespace

import pytest
from sqlalchemy import Engine
from streamlit.runtime.app_session import AppSession

from i18n import translator
from tests import tally
from tests.helpers import ROOT, count_queries, open_app
from ui import data

# The options and the values a school's server must start with, as Streamlit itself reads them.
SAFE_SETTINGS = {
    "server.address": "127.0.0.1",  # this computer only, until a proxy or an explicit address is chosen
    "server.allowedHosts": ["localhost", "127.0.0.1"],  # no DNS rebinding onto the WebSocket
    "client.allowedOrigins": [],  # no parent page steers the app by postMessage
    "server.enableXsrfProtection": True,
    "server.enableCORS": True,
    "server.enableStaticServing": False,
    "server.enableAgentApi": False,
    "client.toolbarMode": "viewer",
    "client.showErrorDetails": "none",  # no tracebacks (paths, code) for visitors
}
READ_SETTINGS = f"""
import json
from streamlit import config
config.get_config_options()
print(json.dumps({{name: config.get_option(name) for name in {list(SAFE_SETTINGS)!r}}}))
"""


def test_the_server_starts_with_the_safe_settings_from_the_projects_config() -> None:
    done = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(done.stdout) == SAFE_SETTINGS
    tally.inputs(len(SAFE_SETTINGS))


def clear_cache_as_a_browser_asks() -> None:
    """What the server runs for a `clear_cache` back-message from any client (streamlit/runtime/app_session.py).

    AppTest cannot send back-messages; Streamlit's own handler is called with the one attribute it uses.
    """
    AppSession._handle_clear_cache_request(SimpleNamespace(_session_state={}))  # type: ignore[arg-type]


def test_a_clear_cache_message_makes_no_page_read_the_database_again(
    demo_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reads live in the app's own store (ui/memo.py), which no browser's message reaches: a visitor
    sending `clear_cache` in a loop cannot turn every viewer's next run into a cold one."""
    app = open_app(page="pages/overview.py", year="all")
    asked = count_queries(
        monkeypatch, "activity_list", "figures_with_comparison", "activities_by_organization", "school_years"
    )
    for _ in range(3):
        clear_cache_as_a_browser_asks()
        app.run()
        assert not app.exception
    assert asked == []
    tally.inputs(3)


def test_a_clear_cache_message_leaves_the_app_working_on_the_same_engines(demo_engine: Engine) -> None:
    app = open_app()
    engines = (data.engine(), data.write_engine())
    for _ in range(3):
        clear_cache_as_a_browser_asks()
        app.run()
        assert not app.exception, [e.value for e in app.exception]
        assert [title.value for title in app.title] == [translator("bg")("overview.title")]
    # The same pools: no migrations run again, no connections left open in engines nobody uses.
    assert (data.engine(), data.write_engine()) == engines
    assert all(a is b for a, b in zip((data.engine(), data.write_engine()), engines, strict=True))
    tally.inputs(3)
