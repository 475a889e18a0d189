"""The proposed fixes for the slow queries, measured against the statements the screens run now.

    python -m bench.queries --database /tmp/bench.db    # makes (and keeps) the database once
    python -m bench.proposals --database /tmp/bench.db

For each case the current statement is captured from the real `db.queries` call, then
timed: first on the database as the migrations make it, then again after the proposed
index is created (and ANALYZE run). The proposed statement is timed with the index, and
its rows are compared with the current statement's. The index is dropped at the end
unless --keep-index. Writes bench/PROPOSALS.md (or --results).

Already taken into db/queries from earlier rounds, so no longer here: partners counted
with EXISTS per partner over all years, a profile's dates from that partner's links only,
and the partner filter over all years as IN (the partner's links).
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from bench.queries import Statement, Subjects, captured, code_version, load_average, machine, query_plan, subjects
from db import queries
from db.engine import get_engine
from db.filters import ActivityFilters
from db.models import Activity, ActivityOrganization, Base, Organization

DEFAULT_RESULTS = Path(__file__).resolve().parent / "PROPOSALS.md"

INDEX_NAME = "ix_activities_status_year_type"
# Everything the aggregates read from an activity, in the order the filters narrow it: scans of
# held activities (per school year, per type) read this index instead of the 400-byte rows.
INDEX = (
    f"CREATE INDEX {INDEX_NAME} ON activities (status, school_year, type_id, start_date, participants, pupils_reached)"
)

# Filters added to the proposed statements, as db.filters.activity_conditions makes them.
IN_TYPES = " AND {a}type_id IN (SELECT id FROM activity_types WHERE code IN (?))"
IN_ORGANIZATIONS = " AND {a}id IN (SELECT activity_id FROM activity_organizations WHERE organization_id IN (?))"
IN_YEAR = " AND {a}school_year = ?"
# For "the newest N of a partner": db.filters' IN over the partner's links, and the EXISTS it replaced.
LINKS_IN = re.compile(
    r"activities\.id IN \(SELECT activity_organizations\.activity_id\s+FROM activity_organizations\s+"
    r"WHERE activity_organizations\.organization_id IN \((?P<ids>[^)]*)\)\)"
)
LINKS_EXISTS = (
    r"EXISTS (SELECT * FROM activity_organizations WHERE activity_organizations.activity_id = activities.id "
    r"AND activity_organizations.organization_id IN (\g<ids>))"
)

BY_SCHOOL_YEAR = """
SELECT s.school_year, t.code, s.activities, s.participants, s.pupils FROM (
    SELECT school_year, type_id, count(*) AS activities,
           coalesce(sum(participants), 0) AS participants, coalesce(sum(pupils_reached), 0) AS pupils
    FROM activities WHERE status = ?{conditions} GROUP BY school_year, type_id) AS s
JOIN activity_types AS t ON t.id = s.type_id
ORDER BY s.school_year, t.code
"""

BY_MONTH = """
SELECT m.month, t.code, m.activities FROM (
    SELECT strftime('%Y-%m', d.start_date) AS month, d.type_id, sum(d.activities) AS activities FROM (
        SELECT school_year, type_id, start_date, count(*) AS activities
        FROM activities WHERE status = ?{conditions} GROUP BY school_year, type_id, start_date) AS d
    GROUP BY 1, 2) AS m
JOIN activity_types AS t ON t.id = m.type_id
ORDER BY m.month, t.code
"""

BY_ORGANIZATION = """
SELECT o.id, o.slug, o.short_name, o.name, t.code, s.activities, s.participants, s.pupils FROM (
    SELECT ao.organization_id, a.type_id, count(*) AS activities,
           coalesce(sum(a.participants), 0) AS participants, coalesce(sum(a.pupils_reached), 0) AS pupils
    FROM activities AS a JOIN activity_organizations AS ao ON ao.activity_id = a.id{hint}
    WHERE a.status = ?{conditions} GROUP BY ao.organization_id, a.type_id) AS s
JOIN organizations AS o ON o.id = s.organization_id JOIN activity_types AS t ON t.id = s.type_id
ORDER BY o.short_name, t.code
"""

# partner_directory with its stats driven from the held activities.
DIRECTORY = """
SELECT organizations.id, organizations.slug, organizations.name, organizations.short_name, partner_kinds.code,
       organizations.city, organizations.is_active, organizations.partner_since, coalesce(s.activities, 0),
       s.last_activity
FROM organizations JOIN partner_kinds ON partner_kinds.id = organizations.kind_id
LEFT OUTER JOIN (
    SELECT ao.organization_id, count(*) AS activities, max(a.start_date) AS last_activity
    FROM activities AS a JOIN activity_organizations AS ao ON ao.activity_id = a.id{hint}
    WHERE a.status = ? GROUP BY ao.organization_id) AS s ON s.organization_id = organizations.id
ORDER BY organizations.is_active DESC, organizations.short_name
"""
# SQLite joins the links to the activities by the activities' primary key (one 400-byte row read per
# link) unless told otherwise; `+ 0` keeps it from using the key, so it reads the held activities from
# the index above and finds their links by the links' primary key.
NO_ID_LOOKUP = " + 0"


def in_to_exists(statement: Statement) -> Statement:
    """The statement with its partner filter as EXISTS per activity instead of IN (the partner's links)."""
    sql, replaced = LINKS_IN.subn(LINKS_EXISTS, statement.sql)
    if replaced != 1:
        raise ValueError(f"expected one partner filter (IN) in {statement.sql}")
    return Statement(sql, statement.parameters)


@dataclass
class Proposal:
    case: str
    call: Callable[[], Any]
    statement: int
    # The proposed statement, or how to make it from the current one; empty: the index alone is the proposal.
    sql: str | Callable[[Statement], Statement]
    parameters: tuple[Any, ...] = ()
    note: str = ""


@dataclass
class Measured:
    proposal: Proposal
    current: Statement
    before: tuple[float, float] = (0.0, 0.0)
    with_index: tuple[float, float] = (0.0, 0.0)
    proposed: tuple[float, float] = (0.0, 0.0)
    same_rows: bool = False
    proposed_statement: Statement | None = None
    plan: list[str] | None = None


def typical_partner(engine: Engine) -> tuple[int, str, int]:
    """The partner in the middle by number of activities: id, slug, activities."""
    links = func.count().label("links")
    with engine.connect() as connection:
        rows = connection.execute(
            select(ActivityOrganization.organization_id, links)
            .group_by(ActivityOrganization.organization_id)
            .order_by(links, ActivityOrganization.organization_id)
        ).all()
        organization_id, count = rows[len(rows) // 2]
        slug = connection.scalar(select(Organization.slug).where(Organization.id == organization_id))
    return organization_id, str(slug), count


def proposals(engine: Engine, busiest: Subjects, typical: tuple[int, str, int], activities: int) -> list[Proposal]:
    held = "held"
    code = busiest.type_code
    small, small_slug, small_count = typical
    everything = ActivityFilters()
    year = ActivityFilters(school_year=2023)
    of_type = ActivityFilters(type_codes=(code,))
    filter_sets = [
        ("all years", everything, "", ()),
        (f"type {code}", of_type, IN_TYPES, (code,)),
    ]
    found = []
    for label, filters, condition, values in filter_sets:
        found += [
            Proposal(
                f"headline_figures: totals, {label}",
                partial(queries.headline_figures, engine, filters),
                0,
                "",
                note="index only",
            ),
            Proposal(
                f"activities_by_school_year: {label}",
                partial(queries.activities_by_school_year, engine, filters),
                0,
                BY_SCHOOL_YEAR.format(conditions=condition.format(a="")),
                (held, *values),
            ),
            Proposal(
                f"activities_by_month: {label}",
                partial(queries.activities_by_month, engine, filters),
                0,
                BY_MONTH.format(conditions=condition.format(a="")),
                (held, *values),
            ),
            Proposal(
                f"activities_by_organization: {label}",
                partial(queries.activities_by_organization, engine, filters),
                0,
                BY_ORGANIZATION.format(hint=NO_ID_LOOKUP, conditions=condition.format(a="a.")),
                (held, *values),
            ),
            Proposal(
                f"timeline_events: count, {label}",
                partial(queries.timeline_events, engine, filters),
                1,
                "",
                note="index only",
            ),
        ]
    for organization, slug, links in (
        (busiest.organization_id, busiest.organization_slug, busiest.organization_links),
        (small, small_slug, small_count),
    ):
        found.append(
            Proposal(
                f"activities_by_school_year: organization {slug} ({links:,} activities), all years",
                partial(queries.activities_by_school_year, engine, everything.with_organizations(organization)),
                0,
                BY_SCHOOL_YEAR.format(conditions=IN_ORGANIZATIONS.format(a="")),
                (held, organization),
            )
        )

    def dense(limit: int) -> str:
        return (
            "EXISTS for a partner with more than √(limit × activities) links: "
            f"{busiest.organization_links:,} > √({limit} × {activities:,}) = {math.isqrt(limit * activities):,}"
        )

    whole_history = everything.with_organizations(busiest.organization_id)
    return [
        *found,
        Proposal(
            f"activity_list: organization {busiest.organization_slug}, all years, newest 500",
            partial(queries.activity_list, engine, whole_history, limit=500),
            0,
            in_to_exists,
            note=dense(500),
        ),
        Proposal(
            f"timeline_events: events, organization {busiest.organization_slug}, all years, newest 1500",
            partial(queries.timeline_events, engine, whole_history, limit=1500),
            0,
            in_to_exists,
            note=dense(1500),
        ),
        Proposal(
            "activities_by_organization: school year 2023/2024",
            partial(queries.activities_by_organization, engine, year),
            0,
            BY_ORGANIZATION.format(hint="", conditions=IN_YEAR.format(a="a.")),
            (held, 2023),
        ),
        Proposal(
            "partner_directory: no search",
            partial(queries.partner_directory, engine),
            0,
            DIRECTORY.format(hint=NO_ID_LOOKUP),
            (held,),
        ),
    ]


def timed(engine: Engine, sql: str, parameters: Any, runs: int) -> tuple[tuple[float, float], list[Any]]:
    """(median wall ms, median CPU ms) and the rows, after a warm-up."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(sql, parameters).all()
        wall, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            rows = connection.exec_driver_sql(sql, parameters).all()
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    return (statistics.median(wall), statistics.median(cpu)), [tuple(row) for row in rows]


def set_index(engine: Engine, present: bool) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {INDEX_NAME}")
        if present:
            connection.exec_driver_sql(INDEX)
        connection.exec_driver_sql("ANALYZE")


def extra_indexes(engine: Engine) -> list[str]:
    """Indexes in the database that the models do not declare (made by hand): they would skew "now"."""
    declared = {index.name for table in Base.metadata.tables.values() for index in table.indexes}
    with engine.connect() as connection:
        found = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%'"
        ).scalars()
        return sorted(name for name in found if name not in declared and name != INDEX_NAME)


def run(engine: Engine, runs: int, activities: int) -> list[Measured]:
    busiest = subjects(engine)
    typical = typical_partner(engine)
    measured = []
    set_index(engine, present=False)
    for proposal in proposals(engine, busiest, typical, activities):
        with captured(engine) as statements:
            proposal.call()
        item = Measured(proposal, statements[proposal.statement])
        item.before, _rows = timed(engine, item.current.sql, item.current.parameters, runs)
        print(f"  {proposal.case}: now {item.before[0]:.0f} ms ({item.before[1]:.0f} ms CPU)", flush=True)
        measured.append(item)
    print(f"Creating {INDEX_NAME} ...", flush=True)
    started = time.perf_counter()
    set_index(engine, present=True)
    print(f"  {time.perf_counter() - started:.1f} s (with ANALYZE)")
    for item in measured:
        item.with_index, current_rows = timed(engine, item.current.sql, item.current.parameters, runs)
        if item.proposal.sql:
            sql = item.proposal.sql
            item.proposed_statement = sql(item.current) if callable(sql) else Statement(sql, item.proposal.parameters)
            item.proposed, proposed_rows = timed(
                engine, item.proposed_statement.sql, item.proposed_statement.parameters, runs
            )
            item.same_rows = proposed_rows == current_rows
            item.plan = query_plan(engine, item.proposed_statement)
        else:
            item.proposed, item.same_rows = item.with_index, True
            item.plan = query_plan(engine, item.current)
        print(
            f"  {item.proposal.case}: index {item.with_index[0]:.0f} ms ({item.with_index[1]:.0f} CPU), "
            f"proposed {item.proposed[0]:.0f} ms ({item.proposed[1]:.0f} CPU), same rows: {item.same_rows}",
            flush=True,
        )
    return measured


def report(measured: list[Measured], info: dict[str, str], runs: int, kept: bool) -> list[str]:
    def ms(pair: tuple[float, float]) -> str:
        return f"{pair[0]:,.0f} ({pair[1]:,.0f})"

    lines = [
        "# Proposed fixes, measured",
        "",
        "Made by `python -m bench.proposals` on a database from `python -m bench.queries`. Milliseconds: median "
        f"wall-clock of {runs} runs after a warm-up, and in brackets the median CPU time (the machine is shared, so "
        "wall-clock includes waiting for a core). One statement each, all rows fetched, no DataFrame.",
        "",
        *(f"- {key}: {value}" for key, value in info.items()),
        f"- proposed index: `{INDEX}`" + (" (left in place)" if kept else " (dropped again at the end)"),
        "",
        "| case | now | with the index | proposed statement, with the index | same rows |",
        "|---|---:|---:|---:|---|",
    ]
    for item in measured:
        note = f" — {item.proposal.note}" if item.proposal.note else ""
        lines.append(
            f"| {item.proposal.case}{note} | {ms(item.before)} | {ms(item.with_index)} | {ms(item.proposed)} "
            f"| {'yes' if item.same_rows else 'NO'} |"
        )
    lines += ["", "## The proposed statements and their plans"]
    for item in measured:
        if item.proposed_statement is None:
            continue
        lines += [
            "",
            f"### {item.proposal.case}",
            "",
            f"Parameters {item.proposed_statement.parameters}.",
            "",
            "```sql",
            item.proposed_statement.sql.strip(),
            "```",
            "",
            "```",
            "QUERY PLAN",
            *(item.plan or []),
            "```",
        ]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.proposals", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", type=Path, required=True, help="a database made by bench.queries")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per statement after the warm-up (5)")
    parser.add_argument("--keep-index", action="store_true", help="leave the proposed index in the database")
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS, help="markdown output (bench/PROPOSALS.md)")
    args = parser.parse_args(argv)
    if not args.database.exists():
        parser.error(f"{args.database} does not exist; make it with python -m bench.queries --database PATH")
    start = {"code": code_version(), "load average (1, 5, 15 min) at the start": load_average()}
    engine = get_engine(f"sqlite:///{args.database.resolve()}")
    try:
        with engine.connect() as connection:
            activities = connection.scalar(select(func.count()).select_from(Activity)) or 0
        print(f"{args.database}: {activities:,} activities")
        extra = extra_indexes(engine)
        if extra:
            print(f"Warning: indexes the models do not declare, measured as part of 'now': {', '.join(extra)}")
        measured = run(engine, args.runs, activities)
        if not args.keep_index:
            set_index(engine, present=False)
    finally:
        engine.dispose()
    info = start | machine() | {"database": f"{activities:,} activities"}
    if extra:
        info["indexes the models do not declare (part of 'now')"] = ", ".join(extra)
    lines = report(measured, info, args.runs, args.keep_index)
    args.results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[: lines.index("## The proposed statements and their plans")]))
    print(f"Written to {args.results}")


if __name__ == "__main__":
    main()
