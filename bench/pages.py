"""How long each page takes to run, cold (caches empty) and warm (a rerun with nothing changed).

    python -m bench.pages [--database PATH] [--runs N] [--results PATH] [--profile CASE]

Runs every page of the app through Streamlit's AppTest, as a browser's rerun would run it
(dashboard.py, its sidebar, then the page), for the default filter (the current school year),
a past year, all years, and the busiest partner's profile. A cold run starts with Streamlit's
caches cleared (the engines stay, as in a running server); a warm run is the same page run
again with nothing changed. Each figure is the median of --runs runs, wall-clock and CPU.

Without --database the demo data goes into a temporary file. A --database file is opened by
the app, which migrates it to the newest schema: give it a copy, never a file others read
(`cp /work/big.db /tmp/big.db`). The table also goes to bench/RESULTS-pages.md, for the demo data
to bench/RESULTS-pages-demo.md (or --results).

--profile CASE (a row's label, e.g. "timeline · all years") prints where a warm run of that
case spends its time (cProfile of the script thread, sorted by cumulative time).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pstats
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st
from sqlalchemy import func, make_url, select
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner.script_runner import ScriptRunner
from streamlit.testing.v1 import AppTest

from bench.queries import code_version, load_average, machine
from db import migrate
from db.demo import load_demo
from db.engine import get_engine
from db.models import Activity, ActivityOrganization, Organization, School
from db.school_year import school_year_label, school_year_of

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS-pages.md"  # with --database
DEMO_RESULTS = Path(__file__).resolve().parent / "RESULTS-pages-demo.md"
PAGES = {
    "overview": "pages/overview.py",
    "partners": "pages/partners.py",
    "timeline": "pages/timeline.py",
    "activities": "pages/activities.py",
    "presentation": "pages/presentation.py",
    "network": "pages/network.py",
    "schools": "pages/schools.py",
}
NETWORK_PAGES = ("network", "schools")  # measured where the database holds several schools
WARM_GOAL_MS, COLD_GOAL_MS = 150, 1500  # issue 11: at a million activities, every page


@dataclass(frozen=True)
class Case:
    label: str
    page: str
    params: dict[str, str]


@dataclass
class Timing:
    case: Case
    cold_ms: float
    cold_cpu_ms: float
    warm_ms: float
    warm_cpu_ms: float


_original_init = PagesManager.__init__


def _navigation_only_init(self: PagesManager, *args: Any, **kwargs: Any) -> None:
    # As in tests/conftest.py: without this, AppTest takes the legacy multipage path (the app has a
    # pages/ folder) and resets session state on every run, so no rerun would be a warm one.
    _original_init(self, *args, **kwargs)
    PagesManager.uses_pages_directory = False


def busiest_partner(url: str) -> str:
    """The slug of the partner with the most activities (its profile is the heaviest)."""
    engine = get_engine(url)
    try:
        with engine.connect() as connection:
            links = func.count().label("links")
            organization_id = connection.execute(
                select(ActivityOrganization.organization_id, links)
                .group_by(ActivityOrganization.organization_id)
                .order_by(links.desc(), ActivityOrganization.organization_id)
                .limit(1)
            ).one()[0]
            return str(connection.scalar(select(Organization.slug).where(Organization.id == organization_id)))
    finally:
        engine.dispose()


def busiest_school(url: str) -> str | None:
    """The slug of the school with the most activities, if the database holds several schools (a network)."""
    engine = get_engine(url)
    try:
        with engine.connect() as connection:
            if (connection.scalar(select(func.count()).select_from(School)) or 0) < 2:
                return None
            count = func.count().label("activities")
            school_id = connection.execute(
                select(Activity.school_id, count).group_by(Activity.school_id).order_by(count.desc()).limit(1)
            ).one()[0]
            return str(connection.scalar(select(School.slug).where(School.id == school_id)))
    finally:
        engine.dispose()


def cases(url: str) -> list[Case]:
    partner, year = busiest_partner(url), school_year_of(date.today()) - 1  # a whole year, over
    past = school_year_label(year).replace("/", "-")
    filters = {"default": {}, f"year {past}": {"year": past}, "all years": {"year": "all"}}
    school = busiest_school(url)
    pages = PAGES if school else {name: path for name, path in PAGES.items() if name not in NETWORK_PAGES}
    found = [
        Case(f"{name} · {label}", path, params) for name, path in pages.items() for label, params in filters.items()
    ]
    found += [
        Case(f"profile {partner} · {label}", PAGES["partners"], {**params, "partner": partner})
        for label, params in filters.items()
    ]
    if school:  # a network: the busiest school's profile, and the overview of that school alone
        found += [
            Case(f"school {school} · {label}", PAGES["schools"], {**params, "profile": school})
            for label, params in filters.items()
        ]
        found += [
            Case(f"overview of {school} · {label}", PAGES["overview"], {**params, "school": school})
            for label, params in filters.items()
        ]
    return found


def opened(case: Case) -> AppTest:
    """The app on the case's page, run once (its first run goes through the Overview)."""
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    app.query_params.update(case.params)
    app.run()
    if case.page != PAGES["overview"]:
        app.switch_page(case.page).run()
    if app.exception:
        raise SystemExit(f"{case.label}: {[e.value for e in app.exception]}")
    return app


def timed(run: Callable[[], Any]) -> tuple[float, float]:
    started, started_cpu = time.perf_counter(), time.process_time()
    run()
    return (time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000


def measure(case: Case, runs: int) -> Timing:
    from ui.data import forget_memos  # after main() turned the warnings off, like close_engines

    app = opened(case)
    cold, cold_cpu, warm, warm_cpu = [], [], [], []
    for _ in range(runs):
        st.cache_data.clear()
        forget_memos()  # the app's own store of reads and specs (ui/memo.py)
        ms, cpu = timed(app.run)
        cold.append(ms)
        cold_cpu.append(cpu)
        ms, cpu = timed(app.run)
        warm.append(ms)
        warm_cpu.append(cpu)
    if app.exception:
        raise SystemExit(f"{case.label}: {[e.value for e in app.exception]}")
    median = statistics.median
    return Timing(case, median(cold), median(cold_cpu), median(warm), median(warm_cpu))


@contextmanager
def profiling_script_runs(profile: cProfile.Profile) -> Iterator[None]:
    """cProfile inside the script thread, where AppTest runs the page (a profile of the caller would miss it)."""
    original = ScriptRunner._run_script

    def run_script(self: ScriptRunner, *args: Any, **kwargs: Any) -> Any:
        profile.enable()
        try:
            return original(self, *args, **kwargs)
        finally:
            profile.disable()

    ScriptRunner._run_script = run_script  # type: ignore[method-assign]
    try:
        yield
    finally:
        ScriptRunner._run_script = original  # type: ignore[method-assign]


def profile_warm(case: Case, runs: int) -> str:
    app = opened(case)
    app.run()
    profile = cProfile.Profile()
    with profiling_script_runs(profile):
        for _ in range(runs):
            app.run()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(45)
    return out.getvalue()


def table(timings: list[Timing]) -> list[str]:
    def figure(ms: float, goal: float) -> str:
        return f"**{ms:,.0f}**" if ms > goal else f"{ms:,.0f}"

    lines = [
        "| page · filter | cold ms | cold CPU ms | warm ms | warm CPU ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for t in timings:
        lines.append(
            f"| {t.case.label} | {figure(t.cold_ms, COLD_GOAL_MS)} | {t.cold_cpu_ms:,.0f} "
            f"| {figure(t.warm_ms, WARM_GOAL_MS)} | {t.warm_cpu_ms:,.0f} |"
        )
    return lines


def demo_database(folder: Path) -> str:
    url = f"sqlite:///{folder / 'demo.db'}"
    engine = get_engine(url)
    migrate.upgrade(engine)
    load_demo(engine, today=date.today())
    engine.dispose()
    return url


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", type=Path, help="SQLite file (a copy: it is migrated); default: demo data")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL database instead (postgresql+psycopg://…; it is migrated), e.g. a synth network",
    )
    parser.add_argument("--runs", type=int, default=5, help="cold and warm runs per case (5)")
    parser.add_argument("--results", type=Path, help="markdown output (default: bench/RESULTS-pages[-demo].md)")
    parser.add_argument("--only", help="only the cases whose label contains this text")
    parser.add_argument("--profile", metavar="CASE", help="print a cProfile of this case's warm runs instead")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    start = {"code": code_version(), "load average (1, 5, 15 min) at the start": load_average()}
    PagesManager.__init__ = _navigation_only_init  # type: ignore[method-assign]
    logging.disable(logging.WARNING)  # AppTest without a server warns on every cache clear
    from ui.data import close_engines  # the app's caches are made on import: after the warnings are off

    with tempfile.TemporaryDirectory(prefix="bench-pages-") as folder:
        if args.database_url:
            url = args.database_url
        else:
            url = f"sqlite:///{args.database.resolve()}" if args.database else demo_database(Path(folder))
        os.environ["DATABASE_URL"] = url
        found = cases(url)
        if args.profile:
            case = next((c for c in found if c.label == args.profile), None)
            if case is None:
                raise SystemExit("no such case; one of:\n" + "\n".join(c.label for c in found))
            print(profile_warm(case, args.runs))
            return
        if args.only:
            found = [c for c in found if args.only in c.label]
        timings = []
        for case in found:
            timing = measure(case, args.runs)
            timings.append(timing)
            print(
                f"  {case.label:<48} cold {timing.cold_ms:>8,.0f} ms ({timing.cold_cpu_ms:>6,.0f} CPU)"
                f"   warm {timing.warm_ms:>7,.0f} ms ({timing.warm_cpu_ms:>6,.0f} CPU)",
                flush=True,
            )
        close_engines()
    info = start | machine()
    database = (
        make_url(args.database_url).render_as_string(hide_password=True)
        if args.database_url
        else str(args.database)
        if args.database
        else "the demo data (a temporary file)"
    )
    lines = [
        "# Page benchmark",
        "",
        "Made by `python -m bench.pages"
        + (f" --database {args.database}" if args.database else "")
        + (" --database-url …" if args.database_url else "")
        + "`: every page through Streamlit's AppTest (dashboard.py, the sidebar and the page), each figure "
        f"the median of {args.runs} runs in milliseconds. Cold: Streamlit's caches cleared before the run; "
        f"warm: the same page run again with nothing changed. Bold: over the goal of issue 11 "
        f"(warm {WARM_GOAL_MS} ms, cold {COLD_GOAL_MS:,} ms at a million activities).",
        "",
        *(f"- {key}: {value}" for key, value in info.items()),
        f"- database: {database}",
        "",
        *table(timings),
    ]
    results = args.results or (RESULTS if args.database or args.database_url else DEMO_RESULTS)
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nWritten to {results}")


if __name__ == "__main__":
    main()
