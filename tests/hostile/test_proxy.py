"""deploy/nginx.conf in front of a real Streamlit server: what the school's network sees of the app.

The proxy runs this very file (only its ports, certificate and upstream swapped for the test's), with
Debian's nginx and a self-signed certificate; the app runs as `make run` starts it, from
.streamlit/config.toml. Skipped with a message where nginx or openssl is not installed (.ci/run
installs both). The app alone, without the proxy, is checked too: it answers this computer only,
and its WebSocket only for its own host names.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError

import pytest
from playwright.sync_api import Browser

# pytest finds fixtures among a module's attributes: the browser and the server are tests/browser_helpers.py's.
from tests import tally
from tests.browser_helpers import (
    EMPTY_DATABASE,
    SCREENSHOTS,
    _free_port,
    _serve,
    browser_chromium,  # noqa: F401
    browser_executable,  # noqa: F401
    wait_until_idle,
)
from tests.helpers import ROOT

SITE = ROOT / "deploy" / "nginx.conf"
START_SECONDS = 20
# The test's certificate is its own: nothing else would trust it.
UNVERIFIED = ssl.create_default_context()
UNVERIFIED.check_hostname = False
UNVERIFIED.verify_mode = ssl.CERT_NONE
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=UNVERIFIED))


@dataclass(frozen=True)
class Proxy:
    https: str  # https://127.0.0.1:PORT
    http: str  # the plain-HTTP server that sends visitors to HTTPS
    app: str  # the Streamlit server behind it, http://127.0.0.1:PORT


def _tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if not found:
        pytest.skip(f"no {name}: `apt-get install nginx-light openssl` to check deploy/nginx.conf (.ci/run does)")
    return found


@pytest.fixture(scope="module")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on an empty database, started with the project's .streamlit/config.toml."""
    yield from _serve(tmp_path_factory.mktemp("proxy-app"), demo=False)


def _port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


SHIPPED_UPSTREAM = ("server 127.0.0.1:8501;", "server 127.0.0.1:8502;")


def site_for_test(folder: Path, *, app_ports: list[int], https_port: int, http_port: int) -> str:
    """deploy/nginx.conf with the test's ports and certificate: each line to swap must be there as shipped.

    The shipped upstream's processes become `app_ports` (one or two); a line left over is dropped."""
    site = SITE.read_text()
    assert 1 <= len(app_ports) <= len(SHIPPED_UPSTREAM)
    ports: list[int | None] = [*app_ports, *[None] * (len(SHIPPED_UPSTREAM) - len(app_ports))]
    swaps = {
        shipped: f"server 127.0.0.1:{port};" if port else ""
        for shipped, port in zip(SHIPPED_UPSTREAM, ports, strict=True)
    }
    swaps |= {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "/etc/ssl/certs/partnerships.crt": str(folder / "test.crt"),
        "/etc/ssl/private/partnerships.key": str(folder / "test.key"),
    }
    for shipped, used in swaps.items():
        assert site.count(shipped) == 1, f"deploy/nginx.conf no longer has `{shipped}` once"
        site = site.replace(shipped, used)
    return site


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory, app_server: str) -> Iterator[Proxy]:
    folder = tmp_path_factory.mktemp("proxy")
    https_port, http_port = _free_port(), _free_port()
    with nginx_in_front(folder, [_port_of(app_server)], https_port=https_port, http_port=http_port):
        yield Proxy(f"https://127.0.0.1:{https_port}", f"http://127.0.0.1:{http_port}", app_server)


@contextmanager
def nginx_in_front(
    folder: Path, app_ports: list[int], *, https_port: int, http_port: int, extra: str = ""
) -> Iterator[None]:
    """nginx with deploy/nginx.conf (swapped as `site_for_test` says) in front of `app_ports`, listening until the
    block ends; `extra` is added to the site's HTTPS server (what only a test may want to see)."""
    nginx, openssl = _tool("nginx"), _tool("openssl")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         # The address as a name too: Python's TLS (the load client) checks it there, not in the CN.
         "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(folder / "test.key"), "-out", str(folder / "test.crt")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    site = site_for_test(folder, app_ports=app_ports, https_port=https_port, http_port=http_port)
    if extra:
        anchor = "    client_max_body_size"
        assert site.count(anchor) == 1, f"deploy/nginx.conf no longer has `{anchor.strip()}` once"
        site = site.replace(anchor, f"    {extra}\n{anchor}")
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = " ".join(f"{kind}_temp_path {folder / kind};" for kind in kinds)
    config = folder / "nginx.conf"
    config.write_text(
        # As root, nginx would hand the work to `nobody`, who may not enter pytest's temporary folders.
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
        + "events { worker_connections 256; }\n"
        + f"http {{\naccess_log {folder / 'access.log'};\n{temp}\n{site}\n}}\n"
    )
    command = [nginx, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(config)]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, f"nginx -t refuses deploy/nginx.conf:\n{checked.stderr}"
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _accepts("127.0.0.1", https_port):
            assert server.poll() is None, f"nginx stopped: {server.stderr.read().decode() if server.stderr else ''}"
            assert time.monotonic() < deadline, "nginx did not listen in time"
            time.sleep(0.1)
        yield
    finally:
        server.terminate()
        server.wait(timeout=15)


def _accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def fetch(url: str, *, method: str = "GET") -> tuple[int, dict[str, str]]:
    """Status and headers (lower-case names) of `url`, errors included, past any proxy the environment names."""
    request = urllib.request.Request(url, method=method)
    try:
        with DIRECT.open(request, timeout=20) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}
    except HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}


def websocket_upgrade(host: str, port: int, *, host_header: str, tls: bool = False) -> int:
    """The status a Streamlit WebSocket handshake (/_stcore/stream) gets, as a browser would ask for it."""
    with socket.create_connection((host, port), timeout=20) as raw:
        sock = UNVERIFIED.wrap_socket(raw, server_hostname=host) if tls else raw
        scheme = "https" if tls else "http"
        sock.sendall(
            (
                f"GET /_stcore/stream HTTP/1.1\r\nHost: {host_header}\r\nUpgrade: websocket\r\n"
                "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                f"Sec-WebSocket-Protocol: streamlit\r\nOrigin: {scheme}://{host_header}\r\n\r\n"
            ).encode()
        )
        status_line = sock.recv(4096).split(b"\r\n", 1)[0].decode()
    return int(status_line.split()[1])


# --- through the proxy ---------------------------------------------------------------------------


def test_the_app_works_through_the_proxy_over_https_with_its_websocket(proxy: Proxy, browser_chromium: Browser) -> None:  # noqa: F811
    context = browser_chromium.new_context(ignore_https_errors=True, locale="bg-BG")
    page = context.new_page()
    try:
        page.goto(proxy.https + "/")
        wait_until_idle(page)  # the page is drawn only through the WebSocket: it connected, the script ran
        assert EMPTY_DATABASE["bg"] in page.get_by_test_id("stMain").inner_text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "through-the-proxy.png")
    finally:
        context.close()
    assert websocket_upgrade("127.0.0.1", _port_of(proxy.https), host_header=proxy.https[8:], tls=True) == 101


def test_the_proxy_forbids_framing_and_keeps_browsers_on_https(proxy: Proxy) -> None:
    status, headers = fetch(proxy.https + "/")
    assert status == 200
    assert headers["x-frame-options"] == "DENY"
    assert headers["content-security-policy"] == "frame-ancestors 'none'"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["strict-transport-security"].startswith("max-age=")
    plain = http.client.HTTPConnection("127.0.0.1", _port_of(proxy.http), timeout=20)
    plain.request("GET", "/partners?year=2023-2024")
    answer = plain.getresponse()
    assert (answer.status, answer.getheader("Location")) == (301, "https://127.0.0.1/partners?year=2023-2024")
    plain.close()
    tally.inputs(2)


def test_streamlits_metrics_answer_nobody_through_the_proxy(proxy: Proxy) -> None:
    assert fetch(proxy.app + "/_stcore/metrics")[0] == 200  # what the app alone would tell anyone
    for method in ("GET", "HEAD", "POST", "OPTIONS"):
        status, headers = fetch(proxy.https + "/_stcore/metrics", method=method)
        assert status in {403, 404}, method
        assert headers["x-frame-options"] == "DENY"  # on refusals too
    assert fetch(proxy.https + "/_stcore/metrics?families=cache_memory_bytes")[0] in {403, 404}
    tally.inputs(5)


def test_an_upload_larger_than_the_app_accepts_stops_at_the_proxy(proxy: Proxy) -> None:
    limit_mb = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    proxy_limit = re.search(r"client_max_body_size (\d+)m;", SITE.read_text())
    assert proxy_limit and int(proxy_limit.group(1)) == limit_mb + 1, "keep client_max_body_size = maxUploadSize + 1"
    limit_mb += 1
    connection = http.client.HTTPSConnection("127.0.0.1", _port_of(proxy.https), timeout=20, context=UNVERIFIED)
    connection.putrequest("PUT", "/_stcore/upload_file/session/file")
    connection.putheader("Content-Length", str(limit_mb * 1024 * 1024 + 1))
    connection.endheaders()  # the body never comes: the proxy answers on the length alone
    assert connection.getresponse().status == 413
    connection.close()
    tally.inputs(1)


# --- the app alone -------------------------------------------------------------------------------


def other_interface_address() -> str | None:
    """An address of this machine that is not loopback (the one its traffic would leave from), if any."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            address = str(probe.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_the_app_answers_this_computer_only(app_server: str) -> None:
    address = other_interface_address()
    if address is None:
        pytest.skip("this machine has no address besides loopback to try the app from")
    assert _accepts("127.0.0.1", _port_of(app_server))
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((address, _port_of(app_server)), timeout=5).close()
    tally.inputs(1)


def test_the_apps_websocket_refuses_a_foreign_host_name(app_server: str) -> None:
    """DNS rebinding: a web page that points its own name at 127.0.0.1 cannot talk to the app."""
    port = _port_of(app_server)
    assert websocket_upgrade("127.0.0.1", port, host_header=f"127.0.0.1:{port}") == 101
    assert websocket_upgrade("127.0.0.1", port, host_header=f"localhost:{port}") == 101
    assert websocket_upgrade("127.0.0.1", port, host_header=f"attacker.example:{port}") != 101
    tally.inputs(1)
