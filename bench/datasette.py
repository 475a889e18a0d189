"""The dashboard's aggregate views against Datasette's nearest equivalents, on the same SQLite file.

    python -m bench.datasette [--database PATH] [--activities N] [--runs N] [--venv DIR] [--results PATH]

Datasette is installed (once) into a virtual environment of its own (bench/.datasette-venv,
ignored by git; it is not a dependency of the app) and started on a free port of 127.0.0.1
with the database immutable (read-only if it has an unmerged WAL) and time limits long enough
for any of the queries. For each view of the dashboard (VIEWS below) our side runs the same
`db.queries` functions the pages call, in this process, and Datasette's side answers the same
question through its JSON API: a facet on a table with a filter, a table page, or a hand-written
SQL query that computes what the view shows from the base tables. After one warm-up of each,
the two sides are timed in alternating order, `--runs` times; the medians, their ratio, the
load average and the CPU time each side spent go to bench/RESULTS-datasette.md.

Nothing is written to a --database file (give a copy: our side opens it as the app does).
Without --database a temporary database of --activities activities is generated as
bench/queries.py does, and deleted at the end. The server is stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from bench.queries import YEAR, code_version, generate, load_average, machine, record_counts, rows_of
from db import queries
from db.engine import get_engine
from db.filters import ActivityFilters
from db.migrate import upgrade
from db.school_year import school_year_label

BENCH = Path(__file__).resolve().parent
DEFAULT_VENV = BENCH / ".datasette-venv"
DEFAULT_RESULTS = BENCH / "RESULTS-datasette.md"
# Pinned, so that reruns compare with the same Datasette; --datasette-version to try another.
DATASETTE_VERSION = "0.65.5"
SEARCH = "рисунка"  # in the titles of one kind of competition: a search with some thousands of matches
TIMELINE_LIMIT = 1500  # charts.registry.TIMELINE_LIMIT; not imported: charts/ pulls in Altair
LIST_LIMIT = 500  # pages/activities.py's TABLE_LIMIT
GOAL = 3.0  # issue 11: every aggregate view at least 3x faster than Datasette's nearest equivalent
# Long enough for the slowest query; max_returned_rows above the largest answer (2,835 months x types),
# so that Datasette returns everything ours does rather than a truncated page.
DATASETTE_SETTINGS = {
    "sql_time_limit_ms": "60000",
    "facet_time_limit_ms": "60000",
    "max_returned_rows": "10000",
    "suggest_facets": "off",
    "num_sql_threads": "2",
}
START_TIMEOUT_S = 60.0
REQUEST_TIMEOUT_S = 180.0


# --- The views --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """One call of a `db.queries` function, as a page makes it: `queries.<query>(engine, *args, **kwargs)`."""

    query: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)

    def function(self) -> Callable[..., Any]:
        return getattr(queries, self.query)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Request:
    """Datasette's way to the same figures: a path under the database (`/{db}`) with its query string.

    `kind` says what it is (facet, table page, SQL); `computes` what Datasette works out for it.
    `total` reads the number that our side's `total` must equal from the JSON answer, so that the
    comparison is checked to be between the same figures.
    """

    kind: str
    path: str
    params: dict[str, str]
    computes: str
    total: Callable[[dict[str, Any]], int]


@dataclass(frozen=True)
class View:
    name: str
    shown_on: str
    calls: tuple[Call, ...]
    computes: str  # what our side works out
    total: Callable[[list[Any]], int]  # from the calls' results, the figure checked against Datasette's
    datasette: tuple[Request, ...]


HELD_LINKS = "activity_id in (select id from activities where status = 'held'{year})"


def _facet_total(name: str) -> Callable[[dict[str, Any]], int]:
    def total(answer: dict[str, Any]) -> int:
        return sum(int(item["count"]) for item in answer["facet_results"][name]["results"])

    return total


def _table_count(answer: dict[str, Any]) -> int:
    return int(answer["filtered_table_rows_count"])


def _sql_column(column: str) -> Callable[[dict[str, Any]], int]:
    def total(answer: dict[str, Any]) -> int:
        return sum(int(row[column] or 0) for row in answer["rows"])

    return total


def _sql_first(column: str) -> Callable[[dict[str, Any]], int]:
    def total(answer: dict[str, Any]) -> int:
        return int(answer["rows"][0][column]) if answer["rows"] else 0

    return total


def _frame_sum(column: str) -> Callable[[list[Any]], int]:
    return lambda results: int(results[0][column].sum())


def _sql(statement: str, **params: Any) -> dict[str, str]:
    return {
        "sql": " ".join(statement.split()),
        **{name: str(value) for name, value in params.items()},
        "_shape": "objects",
    }


def _facet(column: str, **filters: str) -> dict[str, str]:
    # _nocount and _nosuggest: only the facet, not the page's row count nor facet suggestions.
    return {**filters, "_facet": column, "_facet_size": "max", "_size": "0", "_nocount": "1", "_nosuggest": "1"}


PER_PARTNER_SQL = """
select o.id as organization_id, o.slug, o.short_name, o.name, t.code as type_code, count(*) as activities,
       coalesce(sum(a.participants), 0) as participants, coalesce(sum(a.pupils_reached), 0) as pupils
from activities a
join activity_organizations l on l.activity_id = a.id
join organizations o on o.id = l.organization_id
join activity_types t on t.id = a.type_id
where a.status = 'held' {year}
group by o.id, t.id
order by o.short_name, t.code
"""
PER_MONTH_SQL = """
select substr(a.start_date, 1, 7) as month, t.code as type_code, count(*) as activities
from activities a join activity_types t on t.id = a.type_id
where a.status = 'held' {year}
group by month, t.code
order by month, t.code
"""
PER_SCHOOL_YEAR_SQL = """
select a.school_year, t.code as type_code, count(*) as activities,
       coalesce(sum(a.participants), 0) as participants, coalesce(sum(a.pupils_reached), 0) as pupils
from activities a join activity_types t on t.id = a.type_id
where a.status = 'held' {year}
group by a.school_year, t.code
order by a.school_year, t.code
"""
HEADLINE_SQL = """
select count(*) as activities, coalesce(sum(participants), 0) as participants,
       coalesce(sum(pupils_reached), 0) as pupils,
       (select count(distinct l.organization_id) from activity_organizations l
        join activities h on h.id = l.activity_id where h.status = 'held' {year_h}) as partners
from activities a where a.status = 'held' {year}
"""
DIRECTORY_SQL = """
select o.id, o.slug, o.name, o.short_name, k.code as kind_code, o.city, o.is_active, o.partner_since,
       coalesce(s.activities, 0) as activities, s.last_activity
from organizations o
join partner_kinds k on k.id = o.kind_id
left join (select l.organization_id, count(*) as activities, max(a.start_date) as last_activity
           from activities a join activity_organizations l on l.activity_id = a.id
           where a.status = 'held' group by l.organization_id) s on s.organization_id = o.id
order by o.is_active desc, o.short_name
"""
TIMELINE_SQL = """
with newest as (
  select id from activities where status != 'cancelled' and school_year = :year
  order by start_date desc, id desc limit :limit
)
select a.id, a.title, a.start_date, a.end_date, t.code as type_code, a.status, o.short_name as organization, l.role,
       (select count(*) from activities where status != 'cancelled' and school_year = :year) as total
from newest
join activities a on a.id = newest.id
join activity_types t on t.id = a.type_id
join activity_organizations l on l.activity_id = a.id
join organizations o on o.id = l.organization_id
order by a.start_date, a.id, o.short_name
"""


def _views() -> tuple[View, ...]:
    everything = ActivityFilters()
    one_year = ActivityFilters(school_year=YEAR)
    year = school_year_label(YEAR)
    in_year = f"and a.school_year = {YEAR}"
    per_partner_facet = "held activities per partner (one count per value, with the partner's name as label)"
    views = []
    for label, filters, where, facet_where in (
        ("all years", everything, "", HELD_LINKS.format(year="")),
        (year, one_year, in_year, HELD_LINKS.format(year=f" and school_year = {YEAR}")),
    ):
        views.append(
            View(
                f"activities per partner, {label}",
                "Activities page, Overview's partner charts",
                (Call("activities_by_organization", (filters,)),),
                "held activities per partner and type, with participants and pupils summed, names joined",
                _frame_sum("activities"),
                (
                    Request(
                        "facet",
                        "/activity_organizations.json",
                        _facet("organization_id", _where=facet_where),
                        per_partner_facet,
                        _facet_total("organization_id"),
                    ),
                    Request(
                        "SQL",
                        ".json",
                        _sql(PER_PARTNER_SQL.format(year=where)),
                        "the same rows as ours",
                        _sql_column("activities"),
                    ),
                    # The comparison issue 11 made: a facet on the links alone, which counts planned and
                    # cancelled activities too. Timed for reference; its total differs, so it is not "nearest".
                    *(
                        [
                            Request(
                                "facet, any status",
                                "/activity_organizations.json",
                                _facet("organization_id"),
                                "links per partner of activities in any status (not the same figures)",
                                _facet_total("organization_id"),
                            )
                        ]
                        if not where
                        else []
                    ),
                ),
            )
        )
    views.append(
        View(
            f"activities per type, {year}",
            "the by-school-year figures of one year (per type, with sums)",
            (Call("activities_by_school_year", (one_year,)),),
            "held activities per type in the year, with participants and pupils summed",
            _frame_sum("activities"),
            (
                Request(
                    "facet",
                    "/activities.json",
                    _facet("type_id", status="held", school_year=str(YEAR)),
                    "held activities per type (one count per value, type code as label)",
                    _facet_total("type_id"),
                ),
                Request(
                    "SQL",
                    ".json",
                    _sql(PER_SCHOOL_YEAR_SQL.format(year=in_year)),
                    "the same rows as ours",
                    _sql_column("activities"),
                ),
            ),
        )
    )
    for label, filters, where in (("all years", everything, ""), (year, one_year, in_year)):
        views.append(
            View(
                f"activities per month, {label}",
                "Overview's and Presentation's chart by month",
                (Call("activities_by_month", (filters,)),),
                "held activities per calendar month and type",
                _frame_sum("activities"),
                (
                    # Datasette has no facet by month (_facet_date counts per day): SQL only.
                    Request(
                        "SQL",
                        ".json",
                        _sql(PER_MONTH_SQL.format(year=where)),
                        "the same rows as ours",
                        _sql_column("activities"),
                    ),
                ),
            )
        )
    views.append(
        View(
            "activities per school year, all years",
            "the chart by school year (every page with charts, a partner's profile)",
            (Call("activities_by_school_year", (everything,)),),
            "held activities per school year and type, with participants and pupils summed",
            _frame_sum("activities"),
            (
                Request(
                    "facet",
                    "/activities.json",
                    _facet("school_year", status="held"),
                    "held activities per school year (one count per value; not split by type, no sums)",
                    _facet_total("school_year"),
                ),
                Request(
                    "SQL",
                    ".json",
                    _sql(PER_SCHOOL_YEAR_SQL.format(year="")),
                    "the same rows as ours",
                    _sql_column("activities"),
                ),
            ),
        )
    )
    for label, filters, where, where_h in (
        ("all years", everything, "", ""),
        (year, one_year, in_year, f"and h.school_year = {YEAR}"),
    ):
        views.append(
            View(
                f"headline figures, {label}",
                "Overview's and a partner's headline figures",
                (Call("headline_figures", (filters,)),),
                "held activities, partners with one, participants and pupils summed",
                lambda results: int(results[0]["activities"]),
                (
                    Request(
                        "table count",
                        "/activities.json",
                        {"status": "held", **({"school_year": str(YEAR)} if filters.school_year else {}), "_size": "0"},
                        "the count of held activities only (the table page's row count)",
                        _table_count,
                    ),
                    Request(
                        "SQL",
                        ".json",
                        _sql(HEADLINE_SQL.format(year=where, year_h=where_h)),
                        "the same four figures as ours",
                        _sql_first("activities"),
                    ),
                ),
            )
        )
    views.append(
        View(
            "partner directory",
            "Partners page",
            (Call("partner_directory"),),
            "every partner with its kind, held activities of all years and the last one's date",
            _frame_sum("activities"),
            (
                Request(
                    "SQL",
                    ".json",
                    _sql(DIRECTORY_SQL),
                    "the same rows as ours",
                    _sql_column("activities"),
                ),
            ),
        )
    )
    views.append(
        View(
            f"timeline, {year}",
            "Timeline page and slide",
            (Call("timeline_events", (one_year,), {"limit": TIMELINE_LIMIT}),),
            f"the newest {TIMELINE_LIMIT:,} planned and held activities, a row per partner, and how many in all",
            lambda results: int(results[0][1]),
            (
                Request(
                    "table page",
                    "/activities.json",
                    {
                        "school_year": str(YEAR),
                        "status__not": "cancelled",
                        "_sort_desc": "start_date",
                        "_size": str(TIMELINE_LIMIT),
                        "_nosuggest": "1",
                    },
                    f"the newest {TIMELINE_LIMIT:,} activities, a row each (no partners), and how many in all",
                    _table_count,
                ),
                Request(
                    "SQL",
                    ".json",
                    _sql(TIMELINE_SQL, year=YEAR, limit=TIMELINE_LIMIT),
                    "the same rows as ours, the total in a column",
                    _sql_first("total"),
                ),
            ),
        )
    )
    views.append(
        View(
            f'activity list, all years, search "{SEARCH}"',
            "Activities page's table with a search",
            (
                Call("activity_count", (everything,), {"search": SEARCH}),
                Call("activity_list", (everything,), {"limit": LIST_LIMIT, "search": SEARCH}),
            ),
            f"how many match, and the newest {LIST_LIMIT} with their partners' names",
            lambda results: int(results[0]),
            (
                Request(
                    "table page",
                    "/activities.json",
                    {
                        "search_text__contains": SEARCH,
                        "_sort_desc": "start_date",
                        "_size": str(LIST_LIMIT),
                        "_nosuggest": "1",
                    },
                    f"how many match, and the newest {LIST_LIMIT} (no partners' names)",
                    _table_count,
                ),
            ),
        )
    )
    return tuple(views)


VIEWS = _views()


# --- Datasette --------------------------------------------------------------------------------------------------------


def ensure_datasette(venv: Path, version: str) -> Path:
    """The `datasette` command in `venv`, installing the wanted version there first if it is not."""
    command = venv / "bin" / "datasette"
    if command.exists():
        found = subprocess.run([str(command), "--version"], capture_output=True, text=True, timeout=60).stdout
        if found.split()[-1:] == [version]:
            return command
    print(f"Installing Datasette {version} into {venv} ...", flush=True)
    if not (venv / "bin" / "python").exists():
        # The base interpreter's venv module, so that nothing of the app's environment comes along.
        base = getattr(sys, "_base_executable", sys.executable)
        subprocess.run([base, "-m", "venv", str(venv)], check=True, timeout=300)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", f"datasette=={version}"],
        check=True,
        timeout=900,
    )
    return command


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# Loopback only, and no proxy from the environment in between.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str  # http://127.0.0.1:port/dbname
    root: str  # http://127.0.0.1:port
    log: Path
    mode: str

    def get(self, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        try:
            with _OPENER.open(url, timeout=REQUEST_TIMEOUT_S) as response:
                answer: dict[str, Any] = json.load(response)
        except urllib.error.HTTPError as error:
            detail = error.read()[:500].decode("utf-8", "replace")
            raise RuntimeError(f"Datasette answered {error.code} to {url}: {detail}") from error
        if answer.get("ok") is False or answer.get("error"):
            raise RuntimeError(f"Datasette refused {url}: {answer.get('error')}")
        if answer.get("truncated") or answer.get("facets_timed_out"):
            raise RuntimeError(f"Datasette cut the answer to {url} short: raise max_returned_rows or the time limits")
        return answer

    def cpu_ns(self) -> int | None:
        """CPU time of all the server's threads so far, in nanoseconds (Linux; None elsewhere)."""
        total = 0
        try:
            for task in Path(f"/proc/{self.process.pid}/task").iterdir():
                total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        return total


def wal_is_empty(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    return not wal.exists() or wal.stat().st_size == 0


@contextmanager
def datasette_server(command: Path, database: Path, workdir: Path) -> Iterator[Server]:
    """`datasette serve` on a free loopback port, until the block ends (then stopped, killed if need be)."""
    port = free_port()
    # Immutable: no locking, counts cached, as for a published file. An immutable database does not read
    # the WAL, so a file with an unmerged WAL is served read-only instead (Datasette's default).
    mode = "--immutable" if wal_is_empty(database) else "read-only"
    settings = [part for name, value in DATASETTE_SETTINGS.items() for part in ("--setting", name, value)]
    arguments = [str(command), "serve", "--host", "127.0.0.1", "--port", str(port), *settings]
    arguments += ["--immutable", str(database)] if mode == "--immutable" else [str(database)]
    log = workdir / "datasette.log"
    with log.open("wb") as output:
        process = subprocess.Popen(arguments, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    root = f"http://127.0.0.1:{port}"
    server = Server(process, f"{root}/{urllib.parse.quote(database.stem)}", root, log, mode)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"Datasette stopped at start (exit {process.returncode}): {log.read_text()[-2000:]}")
            try:
                with _OPENER.open(f"{root}/-/versions.json", timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"Datasette did not answer within {START_TIMEOUT_S:.0f} s: {log.read_text()[-2000:]}"
                )
            time.sleep(0.2)
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Ends the server we started (its own process group), politely first."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


# --- Measuring --------------------------------------------------------------------------------------------------------


@dataclass
class Side:
    """One side's runs of a view: wall-clock ms and CPU ms (ours: this process; Datasette's: its server)."""

    label: str
    computes: str
    wall_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)  # Datasette's own query_ms, where it reports one
    total: int | None = None
    rows: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.wall_ms)

    @property
    def cpu(self) -> float | None:
        return statistics.median(self.cpu_ms) if self.cpu_ms else None


@dataclass
class Outcome:
    view: View
    ours: Side
    theirs: list[Side]
    load: str


def clear_caches() -> None:
    """Forgets whatever `db.queries` keeps between calls (none today; a cache added later must not be timed)."""
    for name in dir(queries):
        clear = getattr(getattr(queries, name), "cache_clear", None)
        if callable(clear):
            clear()


def run_ours(engine: Engine, view: View) -> tuple[float, float, list[Any]]:
    clear_caches()
    started, started_cpu = time.perf_counter(), time.process_time()
    results = [call.function()(engine, *call.args, **call.kwargs) for call in view.calls]
    return (time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000, results


def run_theirs(server: Server, request: Request) -> tuple[float, float | None, dict[str, Any]]:
    cpu_before = server.cpu_ns()
    started = time.perf_counter()
    answer = server.get(request.path, request.params)
    wall = (time.perf_counter() - started) * 1000
    cpu_after = server.cpu_ns()
    cpu = (cpu_after - cpu_before) / 1e6 if cpu_before is not None and cpu_after is not None else None
    return wall, cpu, answer


def answer_rows(answer: dict[str, Any]) -> int:
    if "facet_results" in answer and answer["facet_results"]:
        return sum(len(facet["results"]) for facet in answer["facet_results"].values())
    return len(answer.get("rows", []))


def measure(engine: Engine, server: Server, view: View, runs: int) -> Outcome:
    ours = Side("ours", view.computes)
    theirs = [Side(f"Datasette {request.kind}", request.computes) for request in view.datasette]
    # Warm-up: each side once (page caches, Datasette's table introspection), and the totals checked.
    _, _, results = run_ours(engine, view)
    ours.total, ours.rows = view.total(results), rows_of(results[-1])
    for side, request in zip(theirs, view.datasette, strict=True):
        _, _, answer = run_theirs(server, request)
        side.total, side.rows = request.total(answer), answer_rows(answer)
    for number in range(runs):
        # Alternating order, so that neither side always runs right after the other has warmed the disk cache.
        order = ["ours", "theirs"] if number % 2 == 0 else ["theirs", "ours"]
        for who in order:
            if who == "ours":
                wall, cpu, _ = run_ours(engine, view)
                ours.wall_ms.append(wall)
                ours.cpu_ms.append(cpu)
                continue
            for side, request in zip(theirs, view.datasette, strict=True):
                wall, their_cpu, answer = run_theirs(server, request)
                side.wall_ms.append(wall)
                if their_cpu is not None:
                    side.cpu_ms.append(their_cpu)
                if isinstance(answer.get("query_ms"), int | float):
                    side.sql_ms.append(float(answer["query_ms"]))
    return Outcome(view, ours, theirs, load_average())


# --- Reporting --------------------------------------------------------------------------------------------------------


def ratio(outcome: Outcome, side: Side) -> float:
    return side.median / outcome.ours.median if outcome.ours.median else float("inf")


def nearest(outcome: Outcome) -> Side:
    """Datasette's nearest equivalent, the one the goal is held against: the fastest of its ways whose checked
    figure equals ours (even if it computes less than ours, as a facet does), else the fastest of all."""
    same = [side for side in outcome.theirs if side.total == outcome.ours.total]
    return min(same or outcome.theirs, key=lambda side: side.median)


def same_sql(outcome: Outcome) -> Side | None:
    """Datasette's hand-written SQL giving the same rows as ours, if the view has one."""
    return next((side for side in outcome.theirs if side.label == "Datasette SQL"), None)


def cpu_ratio(outcome: Outcome, side: Side) -> str:
    ours, theirs = outcome.ours.cpu, side.cpu
    return f"{theirs / ours:,.1f}×" if ours and theirs is not None else "–"


def same_figures(outcome: Outcome, side: Side) -> str:
    return "yes" if side.total == outcome.ours.total else f"no: {side.total:,} against our {outcome.ours.total:,}"


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}"


def summary_table(outcomes: list[Outcome]) -> list[str]:
    lines = [
        "| view | ours ms | Datasette's nearest | its ms | Datasette ÷ ours | ≥ 3× | CPU: Datasette ÷ ours "
        "| its same rows in SQL ÷ ours | its fastest way of all ÷ ours | load (1 min) |",
        "|---|---:|---|---:|---:|:---:|---:|---:|---:|---:|",
    ]
    for outcome in outcomes:
        best = nearest(outcome)
        times = ratio(outcome, best)
        sql = same_sql(outcome)
        fastest = min(outcome.theirs, key=lambda side: side.median)
        strictest = "= nearest" if fastest is best else f"{ratio(outcome, fastest):,.1f}× ({fastest.label})"
        lines.append(
            f"| {outcome.view.name} | {outcome.ours.median:,.1f} | {best.label} | {best.median:,.1f} "
            f"| {times:,.1f}× | {'yes' if times >= GOAL else 'no'} | {cpu_ratio(outcome, best)} "
            f"| {f'{ratio(outcome, sql):,.1f}×' if sql else '–'} | {strictest} | {outcome.load.split(',')[0]} |"
        )
    return lines


def detail_table(outcomes: list[Outcome]) -> list[str]:
    lines = [
        "| view | side | computes | median ms | min–max ms | CPU ms | Datasette's SQL ms | rows | checked total "
        "| same total | Datasette ÷ ours |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|:---:|---:|",
    ]
    for outcome in outcomes:
        for side in (outcome.ours, *outcome.theirs):
            spread = f"{min(side.wall_ms):,.1f}–{max(side.wall_ms):,.1f}"
            sql = statistics.median(side.sql_ms) if side.sql_ms else None
            is_ours = side is outcome.ours
            lines.append(
                f"| {outcome.view.name} | {side.label} | {side.computes} | {side.median:,.1f} | {spread} "
                f"| {_ms(side.cpu)} | {_ms(sql)} | {side.rows:,} | {side.total or 0:,} "
                f"| {'' if is_ours else same_figures(outcome, side)} "
                f"| {'' if is_ours else f'{ratio(outcome, side):,.1f}×'} |"
            )
    return lines


def requests_section(outcomes: list[Outcome], database: str) -> list[str]:
    lines = []
    for outcome in outcomes:
        calls = "; ".join(f"`{_call_text(call)}`" for call in outcome.view.calls)
        lines += ["", f"### {outcome.view.name}", "", f"- shown on: {outcome.view.shown_on}", f"- ours: {calls}"]
        for request in outcome.view.datasette:
            lines.append(f"- Datasette {request.kind}: `/{database}{request.path}`")
            if "sql" in request.params:
                rest = {k: v for k, v in request.params.items() if k != "sql"}
                lines += ["", "  ```sql", f"  {request.params['sql']}", "  ```"]
                if rest:
                    lines.append(f"  with {', '.join(f'{k}={v}' for k, v in rest.items())}")
            else:
                # Unencoded, to be read: a browser or urllib encodes it.
                lines.append(f"  `?{'&'.join(f'{name}={value}' for name, value in request.params.items())}`")
    return lines


def _call_text(call: Call) -> str:
    arguments = ["engine", *map(_short, call.args), *(f"{k}={v!r}" for k, v in call.kwargs.items())]
    return f"queries.{call.query}({', '.join(arguments)})"


def _short(value: Any) -> str:
    if isinstance(value, ActivityFilters):
        parts = [f"{k}={v!r}" for k, v in vars(value).items() if v not in (None, ())]
        return f"ActivityFilters({', '.join(parts)})"
    return repr(value)


def write_results(
    path: Path,
    info: dict[str, str],
    outcomes: list[Outcome],
    args: argparse.Namespace,
    database: Path,
    counts: dict[str, int],
    server_mode: str,
) -> None:
    passed = sum(ratio(o, nearest(o)) >= GOAL for o in outcomes)
    lines = [
        "# The dashboard against Datasette",
        "",
        "Made by `python -m bench.datasette` (`make bench-datasette`): for each aggregate view, our side runs the "
        "`db.queries` functions the page calls (in the benchmark's process, no cache: what a cold cache costs), "
        "Datasette's side answers through its JSON API over HTTP on 127.0.0.1 (so its figures include HTTP and "
        f"JSON). One warm-up each, then {args.runs} runs in alternating order; medians in milliseconds. "
        "CPU ms: ours is this process's CPU time, Datasette's is its server's (all threads, from /proc), so a busy "
        "machine shows in the wall-clock figures but less in these.",
        "",
        f"**{passed} of {len(outcomes)} views at least {GOAL:.0f}× faster** than Datasette's nearest equivalent: "
        "the fastest of its ways whose checked figure equals ours, even where it computes less than ours (a facet "
        "counts one column's values, ours may split by type and sum people). `its fastest way of all` also counts "
        "ways that give other figures, such as the facet on the links of activities in any status that issue 11 "
        "compared with (166 ms there). The details below give every way.",
        "",
        *(f"- {key}: {value}" for key, value in info.items()),
        f"- database: {counts['activities']:,} activities, {counts['links']:,} links, {counts['partners']:,} partners "
        f"(`{database.name}`, {database.stat().st_size / 1e6:,.0f} MB)",
        f"- Datasette served it {'with `--immutable`' if server_mode == '--immutable' else 'read-only'}, settings "
        + ", ".join(f"{k}={v}" for k, v in DATASETTE_SETTINGS.items()),
        "",
        *summary_table(outcomes),
        "",
        "## What each side computes",
        "",
        "A facet counts rows per value of one column (and looks up the label of a foreign key); it does not split "
        "by a second column nor sum anything, so where ours computes more the facet has the easier task. "
        "Datasette's SQL rows are hand-written from the base tables to give the same figures as ours. "
        "`checked total` is a figure both sides must agree on (held activities, or the count of matches): "
        "`same total` says whether they did. Datasette's requests ask for no more than the view shows: "
        "`_size=0` where no rows are shown, `_nocount=1` where the count of rows is not one of the figures, "
        "`_nosuggest=1` always (no facet suggestions).",
        "",
        *detail_table(outcomes),
        "",
        "## The calls and requests",
        *requests_section(outcomes, database.stem),
    ]
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


# --- Main -------------------------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.datasette", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", type=Path, help="SQLite file to compare on, never written (default: generated)")
    parser.add_argument("--activities", type=int, default=1_000_000, help="activities to generate without --database")
    parser.add_argument("--partners", type=int, default=300, help="partners to generate without --database (300)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per view and side after the warm-up (5)")
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV, help="Datasette's own virtual environment")
    parser.add_argument("--datasette-version", default=DATASETTE_VERSION, help=f"({DATASETTE_VERSION})")
    parser.add_argument("--only", help="only the views whose name holds this text")
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS, help="markdown output")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.activities < 1 or args.partners < 3:
        parser.error("need at least 1 run, 1 activity and 3 partners")
    if args.database is not None and not args.database.is_file():
        parser.error(f"no such database: {args.database}")
    if args.only and not any(args.only in view.name for view in VIEWS):
        parser.error(f"no view's name holds {args.only!r}")
    return args


def prepared_database(args: argparse.Namespace, workdir: Path) -> Path:
    """The --database as it is, or a generated one in `workdir` (ANALYZEd, WAL merged, as a published file)."""
    if args.database is not None:
        return Path(args.database).resolve()
    path = workdir / "bench.db"
    engine = get_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
        print(f"Generating {args.activities:,} activities with {args.partners:,} partners in {path} ...", flush=True)
        generate(engine, args.activities, args.partners, seed=20140408)
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    return path


def _stop_on_sigterm(_signal: int, _frame: Any) -> None:
    # A `kill` of the benchmark unwinds through the `finally` blocks, so that the server is stopped too.
    raise SystemExit(f"stopped by signal {_signal}")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    start = {"code": code_version(), "load average (1, 5, 15 min) at the start": load_average()}
    try:
        command = ensure_datasette(args.venv.resolve(), args.datasette_version)
    except (OSError, subprocess.SubprocessError) as error:
        raise SystemExit(f"Could not install Datasette {args.datasette_version} into {args.venv}: {error}") from error
    workdir = Path(tempfile.mkdtemp(prefix="bench-datasette-"))
    try:
        database = prepared_database(args, workdir)
        views = [v for v in VIEWS if not args.only or args.only in v.name]
        engine = get_engine(f"sqlite:///{database}")
        try:
            counts = record_counts(engine)
            print(", ".join(f"{count:,} {name}" for name, count in counts.items()) + f" in {database}")
            with datasette_server(command, database, workdir) as server:
                versions = _versions(server)
                print(f"Datasette {versions['datasette']} on {server.root} ({server.mode})", flush=True)
                outcomes = []
                for view in views:
                    outcome = measure(engine, server, view, args.runs)
                    outcomes.append(outcome)
                    best = nearest(outcome)
                    print(
                        f"  {view.name:<44} ours {outcome.ours.median:>9,.1f} ms   {best.label:<22} "
                        f"{best.median:>9,.1f} ms   {ratio(outcome, best):>6.1f}x   load {outcome.load}",
                        flush=True,
                    )
                    for side in outcome.theirs:
                        if side.total != outcome.ours.total:
                            print(f"    {side.label}: {same_figures(outcome, side)}", flush=True)
                server_mode = server.mode
        finally:
            engine.dispose()
        info = start | machine() | {"datasette": versions["datasette"], "datasette's sqlite": versions["sqlite"]}
        write_results(args.results, info, outcomes, args, database, counts, server_mode)
        print(f"Results written to {args.results}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _versions(server: Server) -> dict[str, str]:
    with _OPENER.open(f"{server.root}/-/versions.json", timeout=REQUEST_TIMEOUT_S) as response:
        found = json.load(response)
    return {"datasette": found["datasette"]["version"], "sqlite": found["sqlite"]["version"]}


if __name__ == "__main__":
    try:
        main()
    except RuntimeError as error:  # Datasette would not start, refused a request or cut an answer short
        raise SystemExit(f"bench.datasette: {error}") from None
