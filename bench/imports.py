"""How long an import of thousands of activities takes: reading the file, checking its rows, writing them.

    python -m bench.imports [--rows 5000] [--runs 3] [--dump PATH]

Makes the demo data in a temporary database, writes a CSV of --rows new activities naming
1 to 3 of its partners (8,765 links for 5,000 rows, as issue 11 measured), then times, on a
fresh copy of the database each run:
  - reading the file (`read_table`);
  - checking it (`import_activities(dry_run=True)` with the rows already read);
  - the whole import with the rows already read (check and write), and the write alone
    (the whole less the check);
  - `import_activities` from the bytes (reading included), as the screen and the command call it.
The table goes to bench/RESULTS-import.md (or --results).

--dump PATH writes what an import stores (every row it adds, timestamps left out) for the
generated file and for the demo data's export, as JSON: run it before and after a change to
the import and compare the two files byte for byte.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.queries import code_version, load_average, machine
from db import migrate
from db.access import Actor
from db.demo import load_demo
from db.engine import get_engine, get_write_engine
from db.transfer import import_activities, import_partners, read_table
from db.transfer.exporting import to_csv_bytes, whole_database

TODAY = date(2026, 11, 25)  # the day the demo data was made for, as in the tests
DEFAULT_RESULTS = Path(__file__).resolve().parent / "RESULTS-import.md"
EDITOR = Actor("bench", "editor")
TYPES = ("среща", "кръгла маса", "кампания", "празник", "Meeting", "обучение")
ROLES = ("", "", " (организатор)", " (гост)", " (funder)", " (финансира)")
STATUSES = ("", "проведена", "held", "планирана", "отменена")
# Columns left out of the comparison: written by the clock, not by the import.
CLOCK_COLUMNS = {"created_at", "updated_at", "at"}


def demo_database(path: Path) -> str:
    url = f"sqlite:///{path}"
    engine = get_engine(url)
    try:
        migrate.upgrade(engine)
        load_demo(engine, today=TODAY)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    return url


def partner_names(path: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT name, short_name FROM organizations ORDER BY id").fetchall()


def activities_csv(rows: int, partners: list[tuple[str, str]], seed: int = 11, first: date = date(1990, 9, 1)) -> bytes:
    """`rows` new activities, two a day from `first` (before the demo data), with 1.753 partners each on average."""
    rng = random.Random(seed)
    # 8,765 links for 5,000 rows: 2,530 rows with a second partner, 1,235 of them with a third.
    counts = [1 + (i < rows * 2530 // 5000) + (i < rows * 1235 // 5000) for i in range(rows)]
    rng.shuffle(counts)
    lines = ["дата;крайна дата;заглавие;вид;организации;роля;състояние;място;участници;ученици;описание;връзка"]
    for number, count in enumerate(counts, start=1):
        day = first + timedelta(days=number // 2)
        end = (day + timedelta(days=rng.randint(0, 3))).strftime("%d.%m.%Y") if rng.random() < 0.3 else ""
        chosen = rng.sample(partners, count)
        names = "; ".join((name if rng.random() < 0.7 else short) + rng.choice(ROLES) for name, short in chosen)
        description = "Разговор за „посещаемостта“ и  подкрепата. " * rng.randint(0, 2)
        cells = [
            day.strftime("%d.%m.%Y"),
            end,
            f"  Дейност   № {number} с „{chosen[0][1]}“ ",
            rng.choice(TYPES),
            f'"{names}"',
            rng.choice(("", "партньор", "организатор")),
            rng.choice(STATUSES) if day < TODAY else "",
            rng.choice(("", "София", "училището, физкултурен салон", "Пловдив")),
            str(rng.randint(5, 200)) if rng.random() < 0.8 else "",
            str(rng.randint(5, 150)) if rng.random() < 0.6 else "",
            description.strip(),
            f"https://school.example/news/{number}" if rng.random() < 0.3 else "",
        ]
        lines.append(";".join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def stored(path: Path) -> dict[str, list[list[Any]]]:
    """Every row of the tables an import writes to, in id order, without the clock's columns."""
    tables = {
        "organizations": "id",
        "organization_focus_areas": "organization_id, focus_area_id",
        "focus_areas": "id",
        "vocabulary_names": "vocabulary, code, lang",
        "activities": "id",
        "activity_organizations": "activity_id, organization_id",
        "audit_log": "id",
    }
    rows: dict[str, list[list[Any]]] = {}
    with closing(sqlite3.connect(path)) as connection:
        for table, order in tables.items():
            cursor = connection.execute(f"SELECT * FROM {table} ORDER BY {order}")  # noqa: S608 - our own names
            names = [column[0] for column in cursor.description]
            keep = [i for i, name in enumerate(names) if name not in CLOCK_COLUMNS]
            rows[table] = [[names[i] for i in keep]] + [[row[i] for i in keep] for row in cursor]
    return rows


def dump(path: Path, folder: Path) -> None:
    """What the import stores for the generated file (into the demo data) and for the demo data's export."""
    demo = folder / "demo.db"
    url = demo_database(demo)
    engine = get_engine(url)
    try:
        sheets = whole_database(engine, "bg")
    finally:
        engine.dispose()
    partners_file, activities_file = (to_csv_bytes(sheets[table], "bg") for table in ("partners", "activities"))
    generated = activities_csv(5000, partner_names(demo))

    # The demo data's export into an empty database: the partners first, then their activities.
    empty = folder / "empty.db"
    engine = get_engine(f"sqlite:///{empty}")
    migrate.upgrade(engine)
    engine.dispose()
    writer = get_write_engine(f"sqlite:///{empty}")
    try:
        for kind, data in (("partners", partners_file), ("activities", activities_file)):
            run = import_partners if kind == "partners" else import_activities
            extra: dict[str, Any] = {} if kind == "partners" else {"today": TODAY}
            result = run(engine=writer, actor=EDITOR, data=data, filename=f"{kind}.csv", **extra)
            assert result.ok, result.problems[:5]
    finally:
        writer.dispose()
    writer = get_write_engine(url)
    try:
        result = import_activities(engine=writer, actor=EDITOR, data=generated, filename="5000.csv", today=TODAY)
        assert result.ok, result.problems[:5]
    finally:
        writer.dispose()
    both = {"demo export into an empty database": stored(empty), "5,000 generated rows into the demo": stored(demo)}
    path.write_text(json.dumps(both, ensure_ascii=False, indent=0, default=str), encoding="utf-8")


def timed(prepare: Callable[[], Any], action: Callable[[Any], object], runs: int) -> list[tuple[float, float]]:
    """(wall clock, this process's CPU time) of each run: CPU time tells less of the other processes' load."""
    seconds = []
    for _ in range(runs):
        state = prepare()
        start, cpu = time.perf_counter(), time.process_time()
        action(state)
        seconds.append((time.perf_counter() - start, time.process_time() - cpu))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS)
    parser.add_argument("--dump", type=Path, help="write what the import stores, as JSON, and stop")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if args.dump:
            dump(args.dump, folder)
            return
        started_under = load_average()
        pristine = folder / "pristine.db"
        demo_database(pristine)
        data = activities_csv(args.rows, partner_names(pristine))
        read = read_table(data, "activities.csv", table="activities")
        links = sum(len(row["organizations"].split(";")) for row in read[0])
        copy = folder / "run.db"

        def fresh() -> Any:
            for leftover in folder.glob("run.db*"):
                leftover.unlink()
            shutil.copy(pristine, copy)
            return get_write_engine(f"sqlite:///{copy}")

        def imported(engine: Any, **how: Any) -> None:
            result = import_activities(engine=engine, actor=EDITOR, filename="activities.csv", today=TODAY, **how)
            assert result.ok and result.added == args.rows, result.problems[:5]
            engine.dispose()

        measured = {
            "reading the file (`read_table`)": timed(
                lambda: None, lambda _: read_table(data, "activities.csv", table="activities"), args.runs
            ),
            "checking the rows (dry run, rows already read)": timed(
                fresh, lambda engine: imported(engine, data=data, read=read, dry_run=True), args.runs
            ),
            "checking and writing (rows already read)": timed(
                fresh, lambda engine: imported(engine, data=data, read=read), args.runs
            ),
            "`import_activities` from the bytes (reading, checking, writing)": timed(
                fresh, lambda engine: imported(engine, data=data), args.runs
            ),
        }
    medians = {what: statistics.median(wall for wall, _ in runs) for what, runs in measured.items()}
    cpus = {what: statistics.median(cpu for _, cpu in runs) for what, runs in measured.items()}
    check, check_and_write = list(medians.values())[1:3]
    check_cpu, check_and_write_cpu = list(cpus.values())[1:3]
    lines = [
        "# Import benchmark",
        "",
        f"Made by `python -m bench.imports`: {args.rows:,} new activities with {links:,} partner links, "
        f"a CSV of {len(data) / 1e6:.1f} MB, imported into the demo data; wall clock in seconds, "
        f"median and slowest of {args.runs} runs, each on a fresh copy of the database, "
        "and the median of this process's CPU time (less sensitive to other processes' load).",
        "",
        f"- code: {code_version()}",
        f"- load average (1, 5, 15 min) at the start: {started_under}",
        *(f"- {name}: {value}" for name, value in machine().items()),
        "",
        "| what | median s | slowest s | median CPU s |",
        "|---|---:|---:|---:|",
        *(
            f"| {what} | {medians[what]:.2f} | {max(wall for wall, _ in runs):.2f} | {cpus[what]:.2f} |"
            for what, runs in measured.items()
        ),
        f"| writing alone (checking and writing less checking) | {check_and_write - check:.2f} | | "
        f"{check_and_write_cpu - check_cpu:.2f} |",
    ]
    print("\n".join(lines))
    args.results.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
