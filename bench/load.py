"""A room of viewers: N browser sessions at once on a real Streamlit server, each rerunning a page R times.

    python -m bench.load [--sessions 30] [--reruns 5] [--page timeline | --pages all]
                         [--database /path/to/copy-me.db | --database-url URL | --server http://host:port]
                         [--option runner.postScriptGC=true …] [--label "before"]

`make load` runs it with 30 sessions on the demo data; `make load SESSIONS=60`, `make load DATABASE=…`.

What it does, as a round table's room does when everyone opens the link at once:
1. starts `streamlit run dashboard.py` on a free port of 127.0.0.1 with the project's .streamlit/config.toml
   (each `--option name=value` is passed as `--name value`, e.g. the old settings to compare), on a copy of
   the demo data made by `python -m db demo` in a temporary folder, on a copy of `--database` (an SQLite
   file; the copy is what the server may write to: the original is never opened), or on `--database-url`
   as it is (a PostgreSQL server, say). `--server` measures a server that is already running instead.
2. one warm-up session opens every page measured once (imports, first queries: what a server pays once),
   then the server's memory is read (VmRSS in /proc/<pid>/status);
3. N sessions speak Streamlit's WebSocket protocol (bench/streamlit_client.py, one thread each), all
   open their page at the same moment, then each reruns it R times, one rerun after the other's end
   (`--pages all`: each session starts on another page and moves to the next page on every rerun);
4. prints p50/p95/max of the seconds from each request to the script's end (the `script_finished`
   message), for the opening and the reruns apart; the errors (exceptions drawn in the page, alerts drawn
   with st.error, runs that did not finish, disconnects, timeouts); the server's memory before, with the N
   sessions still connected, and the difference per session. It appends the same to bench/RESULTS-load.md
   with the date, the commit, the load average at the start and at the end, and the settings.

The client threads run on the same machine as the server: on 2 cores they take a little of its time.
Nothing here asserts a time; tests/test_load.py checks that a tiny run works and counts no error.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.queries import ROOT, load_average, machine
from bench.streamlit_client import Run, StreamlitProtocolError, StreamlitSession

DEFAULT_RESULTS = Path(__file__).resolve().parent / "RESULTS-load.md"
SERVER_START_SECONDS = 90
# Names people use for the default page: it lives at "/", its own path is "home" (dashboard.py).
DEFAULT_PAGE_NAMES = {"", "/", "overview", "home"}
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy


@dataclass
class Tally:
    """What all sessions saw, gathered under one lock."""

    opens: list[float] = field(default_factory=list)
    reruns: list[float] = field(default_factory=list)
    by_page: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    received_bytes: int = 0
    largest_message: int = 0
    cached_elements: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, kind: str, example: str) -> None:
        with self.lock:
            self.errors[kind] += 1
            self.examples.setdefault(kind, example[:300])

    def take(self, run: Run, opening: bool, page: str) -> None:
        with self.lock:
            (self.opens if opening else self.reruns).append(run.seconds)
            self.by_page.setdefault(page, []).append(run.seconds)
            self.received_bytes += run.received_bytes
            self.largest_message = max(self.largest_message, run.largest_message)
            self.cached_elements += run.cached_elements
        if run.exceptions:
            self.error("exception in the page", run.exceptions[0])
        if run.errors:
            self.error("alert drawn with st.error", run.errors[0])
        if run.status != "FINISHED_SUCCESSFULLY":
            self.error("run not finished successfully", run.status or "no status")


# --- the server ------------------------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _db(environment: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "db", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"python -m db {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")


def copy_sqlite(source: Path, folder: Path) -> Path:
    """A copy of an SQLite file with its write-ahead log, if it has one, for the server to use."""
    if not source.is_file():
        raise SystemExit(f"no database file at {source}")
    target = folder / source.name
    shutil.copyfile(source, target)
    wal = source.with_name(source.name + "-wal")
    if wal.is_file():
        shutil.copyfile(wal, target.with_name(target.name + "-wal"))
    return target


def streamlit_flags(options: Sequence[str]) -> list[str]:
    """`name=value` pairs as Streamlit's command-line flags (`--name value`)."""
    flags = []
    for option in options:
        name, separator, value = option.partition("=")
        if not separator or "." not in name:
            raise SystemExit(f"--option wants section.name=value, e.g. runner.postScriptGC=true: {option!r}")
        flags += [f"--{name}", value]
    return flags


@contextmanager
def serve(database_url: str, options: Sequence[str], log: Path) -> Iterator[tuple[str, int]]:
    """`streamlit run dashboard.py` on a free port of this machine; yields its URL and process id."""
    environment = {**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        *streamlit_flags(options),
    ]
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + SERVER_START_SECONDS
            while not _healthy(url):
                if server.poll() is not None:
                    raise SystemExit(f"streamlit exited with {server.returncode}:\n{log.read_text()[-3000:]}")
                if time.monotonic() > deadline:
                    raise SystemExit(f"streamlit did not answer within {SERVER_START_SECONDS} s")
                time.sleep(0.25)
            yield url, server.pid
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _healthy(url: str) -> bool:
    try:
        with _DIRECT.open(f"{url}/_stcore/health", timeout=2) as answer:
            return bool(answer.read().decode().strip() == "ok")
    except OSError:
        return False


def memory(pid: int | None) -> dict[str, int]:
    """The server's resident memory now and at its peak, in kB (empty when its process is not known)."""
    if pid is None:
        return {}
    figures = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in {"VmRSS", "VmHWM"}:
            figures[name] = int(value.split()[0])
    return figures


def code_version() -> str:
    """The commit, and the files that differ from it among those the server runs (the results are the tree's)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench", ":!tests", ":!*.md"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    dirty = [line[3:] for line in changed if line.strip()]
    return head + (f" with uncommitted changes in {', '.join(dirty)}" if dirty else "")


# --- the sessions ----------------------------------------------------------------------------------


def page_path(name: str) -> str:
    """The URL path a browser opens for `--page NAME` ("" for the Overview, the default page)."""
    name = name.strip().strip("/").lower()
    return "" if name in DEFAULT_PAGE_NAMES else name


def warm_up(url: str, pages: list[str], timeout: float) -> tuple[list[str], list[str]]:
    """Open each page once in one session; returns the pages to measure and every visible page.

    `pages` is ["all"] for every page a viewer sees in the navigation."""
    with StreamlitSession(url, timeout=timeout) as session:
        first = session.open("" if pages == ["all"] else pages[0])
        if first.exceptions or first.status != "FINISHED_SUCCESSFULLY":
            raise SystemExit(f"the first page did not open: {first.status} {first.exceptions}")
        visible = list(session.visible_pages)
        wanted = visible if pages == ["all"] else pages
        unknown = [page for page in wanted if page and page not in session.pages]
        if unknown:
            raise SystemExit(f"no such page: {', '.join(unknown)}; the app has {', '.join(visible)}")
        for page in wanted:
            session.open(page)
    return wanted, visible


@dataclass
class Room:
    """What the sessions share: the moment they open together, and the moment they may leave."""

    start: threading.Barrier
    finished: threading.Barrier  # every session and the main thread, which reads the memory in between
    leave: threading.Event = field(default_factory=threading.Event)


def viewer(index: int, url: str, pages: list[str], reruns: int, timeout: float, room: Room, tally: Tally) -> None:
    """One browser tab: connect, open its page with the others, rerun it (or the next page) `reruns` times,
    then stay connected until the server's memory has been read."""
    try:
        with StreamlitSession(url, timeout=timeout) as session:
            room.start.wait()
            try:
                page = pages[index % len(pages)]
                tally.take(session.open(page), opening=True, page=page)
                for rerun in range(1, reruns + 1):
                    if len(pages) > 1:
                        page = pages[(index + rerun) % len(pages)]
                        run = session.open(page)
                    else:
                        run = session.run()
                    tally.take(run, opening=False, page=page)
            finally:
                _wait_to_leave(room, timeout)
    except threading.BrokenBarrierError:
        tally.error("did not connect", "another session failed to connect")
    except TimeoutError as error:
        tally.error("timeout", str(error))
    except (StreamlitProtocolError, OSError) as error:
        room.start.abort()  # a session that cannot connect must not keep the others waiting
        tally.error("disconnect or refused connection", f"{type(error).__name__}: {error}")
    finally:
        _wait_to_leave(room, timeout)


def _wait_to_leave(room: Room, timeout: float) -> None:
    if room.leave.is_set():
        return
    try:
        room.finished.wait()
    except threading.BrokenBarrierError:
        pass
    room.leave.wait(timeout)


def in_the_room(
    url: str, sessions: int, pages: list[str], reruns: int, timeout: float, pid: int | None
) -> tuple[Tally, float, dict[str, int]]:
    """Run the sessions; returns what they saw, the seconds it took and the server's memory while they are
    all still connected."""
    tally = Tally()
    room = Room(threading.Barrier(sessions, timeout=timeout), threading.Barrier(sessions + 1))
    threads = [
        threading.Thread(target=viewer, args=(i, url, pages, reruns, timeout, room, tally), name=f"session-{i}")
        for i in range(sessions)
    ]
    clock = time.monotonic()
    for thread in threads:
        thread.start()
    room.finished.wait()
    seconds = time.monotonic() - clock
    connected = memory(pid)
    room.leave.set()
    for thread in threads:
        thread.join()
    return tally, seconds, connected


# --- the figures -----------------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def timing_row(what: str, values: Sequence[float]) -> str:
    if not values:
        return f"| {what} | 0 | – | – | – |"
    return (
        f"| {what} | {len(values)} | {percentile(values, 0.5):.2f} | {percentile(values, 0.95):.2f} "
        f"| {max(values):.2f} |"
    )


def mib(kilobytes: int) -> str:
    return f"{kilobytes / 1024:.1f} MiB"


def report(
    args: argparse.Namespace,
    tally: Tally,
    pages: list[str],
    database: str,
    before: dict[str, int],
    after: dict[str, int],
    started_under: str,
    ended_under: str,
    seconds: float,
) -> str:
    runs = len(tally.opens) + len(tally.reruns)
    lines = [
        f"## {machine()['date']}: {args.sessions} sessions × {args.reruns} reruns"
        + (f" — {args.label}" if args.label else ""),
        "",
        f"- code: {code_version()}",
        f"- load average (1, 5, 15 min) at the start: {started_under}; at the end: {ended_under}",
        f"- database: {database}",
        f"- pages: {', '.join(page or 'overview (/)' for page in pages)}"
        + (" (each session starts on another and moves on at every rerun)" if len(pages) > 1 else ""),
        "- settings: .streamlit/config.toml" + (f", then {' '.join(args.option)}" if args.option else ""),
        f"- wall clock: {seconds:.1f} s for {runs} runs ({runs / seconds:.1f} runs/s); "
        f"{tally.received_bytes / runs / 1024 if runs else 0:.0f} kB received per run (the largest message "
        f"{tally.largest_message / 1024:.0f} kB), "
        f"{tally.cached_elements} elements sent as a reference to the browser's cache",
        "",
        "| seconds from request to the script's end | runs | p50 | p95 | max |",
        "|---|---:|---:|---:|---:|",
        timing_row("opening the page, all sessions at once", tally.opens),
        timing_row("reruns", tally.reruns),
        timing_row("all", tally.opens + tally.reruns),
        *(
            timing_row(f"{page or 'overview (/)'}, opening and reruns", tally.by_page.get(page, []))
            for page in (pages if len(pages) > 1 else [])
        ),
        "",
        f"- errors: {sum(tally.errors.values())}"
        + "".join(f"\n  - {kind}: {count} (e.g. {tally.examples[kind]!r})" for kind, count in tally.errors.items()),
    ]
    if before and after:
        per_session = (after["VmRSS"] - before["VmRSS"]) / args.sessions
        lines.append(
            f"- server memory (RSS): {mib(before['VmRSS'])} after the warm-up, {mib(after['VmRSS'])} with the "
            f"{args.sessions} sessions connected: {per_session / 1024:.2f} MiB per session; "
            f"peak {mib(after['VmHWM'])}"
        )
    else:
        lines.append("- server memory: not measured (a server this run did not start; `--pid` to name it)")
    return "\n".join(lines) + "\n"


def append_results(path: Path, text: str) -> None:
    if not path.exists():
        path.write_text(
            "# Load benchmark\n\n"
            "Made by `make load` (`python -m bench.load`): browser sessions through Streamlit's WebSocket "
            "protocol on a real server, all opening a page at once and then rerunning it; seconds from the "
            "request to the script's end. The machine is shared: read the load average beside each figure.\n"
        )
    with path.open("a") as results:
        results.write("\n" + text)


# --- the command -----------------------------------------------------------------------------------


def arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=30, help="browser sessions at once (30)")
    parser.add_argument("--reruns", type=int, default=5, help="reruns of each session after it opened its page (5)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--page", default="overview", help="the page's URL path: overview, partners, timeline, …")
    which.add_argument("--pages", choices=["all"], help="all: every page a viewer sees, in turn")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--database", type=Path, help="an SQLite file: a copy of it is served (default: demo data)")
    source.add_argument("--database-url", help="a database URL served as it is (the server may write to it)")
    source.add_argument("--server", help="a running server's address (http://127.0.0.1:8501): nothing is started")
    parser.add_argument("--pid", type=int, help="with --server: its process id, for its memory")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Streamlit setting over .streamlit/config.toml, e.g. runner.postScriptGC=true (repeatable)",
    )
    parser.add_argument("--label", default="", help="a few words for the results' heading (e.g. 'old settings')")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a run may take before it counts as lost")
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS, help="the Markdown file appended to")
    parser.add_argument("--no-results", action="store_true", help="print only")
    args = parser.parse_args(argv)
    if args.sessions < 1 or args.reruns < 0:
        parser.error("--sessions must be at least 1 and --reruns at least 0")
    if args.option and args.server:
        parser.error("--option sets the server this command starts; with --server, set them on that server")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments(argv)
    started_under = load_average()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="load-")))
        pid: int | None = args.pid
        if args.server:
            url, database = args.server.rstrip("/"), f"the running server at {args.server}"
        else:
            if args.database_url:
                database_url, database = args.database_url, "as given by --database-url"
            elif args.database:
                copy = copy_sqlite(args.database, folder)
                database_url, database = f"sqlite:///{copy}", f"a copy of {args.database}"
            else:
                database_url, database = f"sqlite:///{folder / 'demo.db'}", "demo data (`python -m db demo`)"
                environment = {**os.environ, "DATABASE_URL": database_url}
                _db(environment, "init")
                _db(environment, "demo")
            url, pid = stack.enter_context(serve(database_url, args.option, folder / "streamlit.log"))
        print(f"server: {url}; warming up", file=sys.stderr)
        pages, _ = warm_up(url, ["all"] if args.pages else [page_path(args.page)], args.timeout)
        before = memory(pid)
        names = ", ".join(page or "/" for page in pages)
        print(f"{args.sessions} sessions × {args.reruns} reruns of {names}", file=sys.stderr)
        tally, seconds, after = in_the_room(url, args.sessions, pages, args.reruns, args.timeout, pid)
    text = report(args, tally, pages, database, before, after, started_under, load_average(), seconds)
    print(text)
    if not args.no_results:
        append_results(args.results, text)
    return 1 if tally.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
