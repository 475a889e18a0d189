"""How long the round-table files take: the deck and the annual report of a school year.

    python -m bench.reports [--year 2023/2024] [--runs 3]
    python -m bench.reports --database /tmp/big-copy.db --year 2000/2001 --runs 1

Without --database: the demo data in a temporary database. With it: that SQLite file, only read
(the million-activity one: `python -m bench.queries --keep`; its busiest year is 2000/2001), and
only the one command is timed.

Loads the demo data into a temporary database, then times, as a user meets them:
  - `python -m db report --format all`: the deck and both reports in one command;
  - `python -m db report --format F` three times, one command per file;
  - the Overview's buttons: `reports.generate` for each file in one running process, the
    first press (vl-convert starting, charts drawn) and a second press (charts already drawn).
Commands are timed as whole processes (wall clock, Python's start included); each line is
the median and the slowest of --runs runs, and the peak memory of the largest process. The table
also goes to bench/RESULTS-reports.md, in the section of its data (each run replaces its own).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bench.queries import ROOT, code_version, load_average, machine
from db.school_year import parse_school_year

TODAY = date(2026, 11, 25)  # the day the demo data was made for, as in the tests
DEFAULT_RESULTS = Path(__file__).resolve().parent / "RESULTS-reports.md"


def timed(action: Callable[[], object], runs: int) -> tuple[float, float]:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), max(seconds)


def peak_mib() -> int:
    """The largest resident memory of any command run so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024


def command(environment: dict[str, str], *args: str) -> Callable[[], None]:
    def run() -> None:
        subprocess.run([sys.executable, "-m", "db", *args], env=environment, check=True, capture_output=True)

    return run


def in_process(database_url: str, year: int, runs: int) -> list[tuple[str, float, float]]:
    """The buttons: a fresh interpreter per run, so that each first press pays what a new server pays."""
    script = f"""
import json, time
from datetime import date
import reports
from db.engine import get_engine
engine = get_engine({database_url!r})
times = []
for attempt in range(2):
    start = time.perf_counter()
    for fmt in reports.FORMATS:
        reports.generate(engine, school_year={year}, fmt=fmt, today=date.fromisoformat({TODAY.isoformat()!r}))
    times.append(time.perf_counter() - start)
print(json.dumps(times))
"""
    first, second = [], []
    for _ in range(runs):
        output = subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True, text=True)
        times = [float(x) for x in output.stdout.strip().strip("[]").split(",")]
        first.append(times[0])
        second.append(times[1])
    return [
        ("the three buttons in a running app, first time", statistics.median(first), max(first)),
        ("the three buttons again (charts already drawn)", statistics.median(second), max(second)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--year", default="2023/2024")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", type=Path, help="an SQLite file to read instead of the demo data")
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS)
    args = parser.parse_args()
    year = parse_school_year(args.year)
    if year is None:
        parser.error(f"not a school year: {args.year}")
    started_under = load_average()
    with tempfile.TemporaryDirectory() as folder:
        path = args.database.resolve() if args.database else Path(folder) / "demo.db"
        database_url = f"sqlite:///{path}"
        environment = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
        if not args.database:
            command(environment, "demo")()
        out = Path(folder) / "out"
        one = command(environment, "report", "--year", args.year, "--format", "all", "--out", str(out))
        rows = [("`python -m db report --format all` (one command)", *timed(one, args.runs))]
        if not args.database:
            rows += [
                (
                    "`python -m db report` once per file (three commands)",
                    *timed(
                        lambda: [
                            command(
                                environment, "report", "--year", args.year, "--format", fmt, "--out", str(out / fmt)
                            )()
                            for fmt in ("pdf", "docx", "pptx")
                        ],
                        args.runs,
                    ),
                ),
                *in_process(database_url, year, args.runs),
            ]
        pages = _pages(out)
    data = f"{args.database.name} (read only)" if args.database else "demo data"
    lines = [
        f"## {data}, school year {args.year}",
        "",
        f"The deck (.pptx) and the report (.docx, .pdf); wall clock in seconds, median and slowest of {args.runs} "
        f"run(s); peak memory of the largest process {peak_mib()} MiB; the PDF has {pages} pages.",
        "",
        f"- code: {code_version()}",
        f"- load average (1, 5, 15 min) at the start: {started_under}",
        f"- load average (1, 5, 15 min) at the end: {load_average()}",
        "",
        "| what | median s | slowest s |",
        "|---|---:|---:|",
        *(f"| {name} | {median:.2f} | {slowest:.2f} |" for name, median, slowest in rows),
    ]
    print("\n".join(lines))
    _write_section(args.results, lines)


def _pages(out: Path) -> int:
    from pypdf import PdfReader

    return sum(len(PdfReader(pdf).pages) for pdf in out.glob("*.pdf"))


def _write_section(results: Path, lines: list[str]) -> None:
    """The results file with this run's section (by its heading) replaced or added; the machine on top."""
    header = [
        "# Round-table files benchmark",
        "",
        "Made by `python -m bench.reports` (demo data) and `python -m bench.reports --database FILE --year Y`.",
        "",
        *(f"- {name}: {value}" for name, value in machine().items() if not name.startswith("load")),
    ]
    sections: dict[str, list[str]] = {}
    if results.exists():
        current: list[str] | None = None
        for line in results.read_text(encoding="utf-8").splitlines():
            if line.startswith("## "):
                current = sections.setdefault(line, [])
            if current is not None:
                current.append(line)
    sections[lines[0]] = lines
    body = ["\n".join(section).strip() for section in sections.values()]
    results.write_text("\n\n".join(["\n".join(header), *body]) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
