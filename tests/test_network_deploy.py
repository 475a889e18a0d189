"""Two app processes on PostgreSQL behind deploy/nginx.conf, as the README's "Network" section runs them.

`deploy/run-processes 2` starts the processes (on free ports instead of 8501 and 8502) against a schema of
its own in TEST_POSTGRESQL_URL's database (`network_deploy`, dropped before and after: the other
PostgreSQL tests empty the default schema, not this one); nginx runs the shipped configuration with its
upstream's two lines swapped for those ports, as tests/hostile/test_proxy.py does for one. Then:

- two browsers (two cookie jars) land on different processes, and each page and its WebSocket stay on
  the process that answered first, also after a reload;
- the load client (`python -m bench.load --server`, what `make load` runs) drives sessions through the
  proxy with no error;
- an editor saves a partner's new short name through one process, and a page of the other process,
  opened before the save, shows it at its next run (the reload): the caches of each process are keyed on
  the database's data revision (ui/data.py); a download there (a file that process holds) has it too;
- a process that stops: its visitor's next page comes from the other process.

Skipped with a message without nginx/openssl, TEST_POSTGRESQL_URL or Chromium (.ci/run provides all three).
The test adds one header to nginx's answers that the shipped file does not send, `X-Upstream` (the
process's address), to tell which process answered: visitors have no need of it.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import text
from sqlalchemy.engine import make_url

from db.access import COMMAND_LINE
from db.accounts import add_user
from db.engine import get_engine
from tests.browser_helpers import (
    RERUN_MS,
    SCREENSHOTS,
    _free_port,
    browser_chromium,  # noqa: F401
    browser_executable,  # noqa: F401
    main_area,
    wait_until_idle,
)
from tests.helpers import PASSWORD, ROOT, emptied
from tests.hostile.test_proxy import _tool, nginx_in_front

pytestmark = pytest.mark.browser

POSTGRESQL_URL = os.environ.get("TEST_POSTGRESQL_URL", "")
SCHEMA = "network_deploy"
RUN_PROCESSES = ROOT / "deploy" / "run-processes"
START_SECONDS = 90
EDITOR = "maria"
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class Network:
    https: str  # the proxy, https://127.0.0.1:PORT
    ports: tuple[int, int]  # the two app processes
    processes: subprocess.Popen[bytes]  # deploy/run-processes, leader of its own process group
    certificate: Path
    pids: dict[int, int]  # the app process on each port (as run-processes names them)


def _schema_url(url: str) -> str:
    """`url` with the test's schema first on the search path (pg_trgm, where installed, stays in public)."""
    options = f"-csearch_path={SCHEMA},public"
    return make_url(url).update_query_dict({"options": options}).render_as_string(hide_password=False)


def _fresh_schema(url: str) -> None:
    engine = get_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    engine.dispose()


def _drop_schema(url: str) -> None:
    engine = get_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    engine.dispose()


def _two_free_ports() -> int:
    """A port that is free, and the next one too (run-processes numbers its processes from the first)."""
    for _ in range(50):
        port = _free_port()
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    pytest.fail("no two neighbouring free ports")


def _healthy(port: int) -> bool:
    try:
        with _DIRECT.open(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
            return bool(answer.read().decode().strip() == "ok")
    except OSError:
        return False


def connections(port: int) -> int:
    """How many WebSocket sessions the process on `port` has accepted (its own metrics, past the proxy)."""
    with _DIRECT.open(f"http://127.0.0.1:{port}/_stcore/metrics?families=session_events", timeout=10) as answer:
        found = re.search(r'session_events_total\{type="connect"\} (\d+)', answer.read().decode())
    assert found, "Streamlit's metrics no longer count connections"
    return int(found.group(1))


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory, browser_executable: str) -> Iterator[Network]:  # noqa: F811
    if not POSTGRESQL_URL:
        pytest.skip("TEST_POSTGRESQL_URL is not set: no PostgreSQL for the app processes (.ci/run sets it)")
    _tool("nginx"), _tool("openssl")
    pytest.importorskip("psycopg")
    folder = tmp_path_factory.mktemp("network")
    # Tables other tests left in `public` would be found through the search path before the schema's own.
    server = get_engine(POSTGRESQL_URL)
    emptied(server)
    server.dispose()
    _fresh_schema(POSTGRESQL_URL)
    database_url = _schema_url(POSTGRESQL_URL)
    first = _two_free_ports()
    ports = (first, first + 1)
    # WARM=0: run-processes' own warm-up session would add to the connections each process counts below.
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "FIRST_PORT": str(first),
        "PYTHONUNBUFFERED": "1",
        "WARM": "0",
    }
    log = folder / "processes.log"
    with log.open("w") as output:
        processes = subprocess.Popen(
            [str(RUN_PROCESSES), "2"], cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + START_SECONDS
        while not all(_healthy(port) for port in ports):
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
            assert processes.poll() is None, f"deploy/run-processes stopped:\n{tail}"
            assert time.monotonic() < deadline, f"the two processes did not answer in time:\n{tail}"
            time.sleep(0.25)
        engine = get_engine(database_url)
        add_user(engine=engine, actor=COMMAND_LINE, login=EDITOR, password=PASSWORD, role="editor")
        engine.dispose()
        https_port = _free_port()
        with nginx_in_front(
            folder, list(ports), https_port=https_port, http_port=_free_port(),
            extra="add_header X-Upstream $upstream_addr always;",
        ):  # fmt: skip
            https = f"https://127.0.0.1:{https_port}"
            yield Network(https, ports, processes, folder / "test.crt", started(log.read_text()))
    finally:
        if processes.poll() is None:
            os.killpg(processes.pid, signal.SIGTERM)  # the script's group: the script and its two processes
            try:
                processes.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(processes.pid, signal.SIGKILL)
                processes.wait()
        _drop_schema(POSTGRESQL_URL)


def started(log: str) -> dict[int, int]:
    """Port → process id, from run-processes' lines "process 1 of 2: port 8501, pid 1234"."""
    return {int(port): int(pid) for port, pid in re.findall(r"^process \d+ of \d+: port (\d+), pid (\d+)$", log, re.M)}


def upstream_port(page: Page, url: str) -> int:
    """Open `url` in `page`; the port of the process that answered (the test's X-Upstream header)."""
    answer = page.goto(url)
    assert answer is not None and answer.ok, f"{url}: {answer.status if answer else 'no answer'}"
    wait_until_idle(page)
    return int(answer.headers["x-upstream"].rsplit(":", 1)[1])


@dataclass
class Visitor:
    context: BrowserContext
    page: Page
    port: int  # the process the proxy chose


def visitor_on_each_process(network: Network, browser: Browser, path: str) -> dict[int, Visitor]:
    """New browsers (each its own cookies) until one has landed on each process; the others are closed.

    Each one's page and WebSocket reach the process that answered its first request: that process, and
    only it, counts one more connection."""
    found: dict[int, Visitor] = {}
    for _ in range(16):  # by chance, both processes are reached within 16 tries but once in 30,000 runs
        context = browser.new_context(ignore_https_errors=True, locale="bg-BG", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        before = {port: connections(port) for port in network.ports}
        port = upstream_port(page, network.https + path)
        after = {port: connections(port) for port in network.ports}
        assert after == {p: before[p] + (1 if p == port else 0) for p in network.ports}, (port, before, after)
        route = [cookie for cookie in context.cookies() if cookie["name"] == "dashboard_route"]
        assert len(route) == 1 and route[0]["httpOnly"] and route[0]["secure"], context.cookies()
        if port in found:
            context.close()
            continue
        found[port] = Visitor(context, page, port)
        if len(found) == len(network.ports):
            return found
    pytest.fail(f"every browser landed on the same process: {list(found)}")


def partner_links(page: Page) -> list[str]:
    """The partners' short names on the Partners page (each link's text after its icon's name)."""
    return [link.split("\n")[-1] for link in main_area(page).get_by_test_id("stPageLink-NavLink").all_inner_texts()]


def sign_in(page: Page) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stExpander").filter(has_text="Вход за редактори").locator("summary").click()
    sidebar.get_by_label("Потребителско име").fill(EDITOR)
    sidebar.get_by_label("Парола").fill(PASSWORD)
    sidebar.get_by_test_id("stFormSubmitButton").click()
    expect(main_area(page).get_by_role("tab", name="Дейности")).to_be_visible(timeout=RERUN_MS)
    wait_until_idle(page)


def test_two_browsers_on_two_processes_see_one_record(network: Network, browser_chromium: Browser) -> None:  # noqa: F811
    visitors = visitor_on_each_process(network, browser_chromium, "/partners")
    editor, viewer = visitors[network.ports[0]], visitors[network.ports[1]]
    try:
        for visitor in (editor, viewer):
            assert "Ларго" in partner_links(visitor.page)
            # A reload is a new session: still the same process, by the cookie.
            before = connections(visitor.port)
            assert upstream_port(visitor.page, network.https + "/partners") == visitor.port
            assert connections(visitor.port) == before + 1

        # The editor, on one process, renames a partner.
        editor.page.goto(network.https + "/data")
        wait_until_idle(editor.page)
        sign_in(editor.page)
        panel = editor.page.get_by_role("tabpanel").first
        panel.get_by_test_id("stSelectbox").filter(has_text="Партньор").click()
        editor.page.get_by_role("option", name="Ларго", exact=True).click()
        wait_until_idle(editor.page)
        short_name = panel.get_by_label(re.compile(r"^Кратко име"))
        expect(short_name).to_have_value("Ларго")
        short_name.fill("Ларго – Кюстендил")
        panel.get_by_test_id("stFormSubmitButton").filter(has_text="Запази").click()
        expect(panel.get_by_test_id("stAlert").first).to_contain_text("Записано", timeout=RERUN_MS)
        wait_until_idle(editor.page)

        # The viewer's page, on the other process, drawn before the save, shows it at its next run.
        assert "Ларго – Кюстендил" not in partner_links(viewer.page)
        assert upstream_port(viewer.page, network.https + "/partners") == viewer.port
        links = partner_links(viewer.page)
        assert "Ларго – Кюстендил" in links and "Ларго" not in links, links
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        viewer.page.screenshot(path=SCREENSHOTS / "network-other-process.png")

        # A download is a file the process keeps in its memory: the cookie brings its request there too.
        assert upstream_port(viewer.page, network.https + "/activities?year=all") == viewer.port
        with viewer.page.expect_download() as download:
            main_area(viewer.page).get_by_role("button", name="Таблицата като CSV").click()
        table = Path(download.value.path()).read_bytes().decode("utf-8-sig")
        assert "Ларго – Кюстендил" in table, table[:500]
    finally:
        for visitor in visitors.values():
            visitor.context.close()


def test_the_load_client_through_the_proxy_meets_no_error(network: Network) -> None:
    # SSL_CERT_FILE: Python's TLS then trusts the test's own certificate, as a browser told to would.
    environment = {**os.environ, "SSL_CERT_FILE": str(network.certificate)}
    before = {port: connections(port) for port in network.ports}
    done = subprocess.run(
        [sys.executable, "-m", "bench.load", "--server", network.https, "--sessions", "6", "--reruns", "2",
         "--pages", "all", "--no-results", "--timeout", "120"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr[-3000:]}"
    assert "- errors: 0" in done.stdout, done.stdout
    after = {port: connections(port) for port in network.ports}
    # 1 warm-up session and 6 viewers, every one through the proxy to one of the two processes.
    assert sum(after.values()) - sum(before.values()) == 7, (before, after)


def test_a_stopped_process_sends_its_visitor_to_the_other(network: Network, browser_chromium: Browser) -> None:  # noqa: F811
    """Last: it stops one of the two. The visitor's next page comes from the other process."""
    visitors = visitor_on_each_process(network, browser_chromium, "/")
    try:
        gone, staying = visitors[network.ports[0]], visitors[network.ports[1]]
        before = connections(staying.port)
        os.kill(network.pids[gone.port], signal.SIGTERM)
        deadline = time.monotonic() + 30
        while _healthy(gone.port):
            assert time.monotonic() < deadline, "the stopped process still answers"
            time.sleep(0.2)
        # The open page notices, and reconnects by itself: to the other process, which runs its script afresh.
        deadline = time.monotonic() + 60
        while connections(staying.port) == before:
            assert time.monotonic() < deadline, "the page did not reconnect to the other process"
            time.sleep(0.5)
        wait_until_idle(gone.page)
        expect(main_area(gone.page).locator("h1").first).to_be_visible()
        # Its next page too, by the same cookie.
        assert upstream_port(gone.page, network.https + "/") == staying.port
        expect(main_area(gone.page).locator("h1").first).to_be_visible()
        assert network.processes.poll() is None, "run-processes stopped with one of its processes"
    finally:
        for visitor in visitors.values():
            visitor.context.close()
