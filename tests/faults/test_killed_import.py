"""kill -9 of `python -m db import` at random moments: the database has all of the import or none of it."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests import tally
from tests.faults.record import activities_file, added_by_import, assert_whole, make_demo_database, plus
from tests.helpers import ROOT, run_db

ROWS = 2_500
KILLS = 8


def _start_import(url: str, file: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.Popen(
        [sys.executable, "-m", "db", "import", "activities", str(file)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wal_growing(database: Path, process: subprocess.Popen[bytes]) -> None:
    """Wait until the import writes into the WAL (its transaction is under way), or has ended."""
    wal = database.with_name(database.name + "-wal")
    while process.poll() is None and (not wal.exists() or wal.stat().st_size < 64 * 1024):
        time.sleep(0.005)


def test_a_killed_import_leaves_all_of_it_or_none_and_then_runs_again(tmp_path: Path) -> None:
    database = tmp_path / "partnerships.db"
    url = make_demo_database(database)
    pristine = tmp_path / "pristine.db"
    shutil.copy(database, pristine)
    file = activities_file(tmp_path / "activities.csv", ROWS)
    before = assert_whole(database)
    whole = plus(before, added_by_import(ROWS))
    rng = random.Random(10)
    outcomes = []
    for kill in range(KILLS):
        process = _start_import(url, file)
        if kill % 2:
            # Half of the kills while the transaction is being written, at a random moment in it.
            _wal_growing(database, process)
            time.sleep(rng.uniform(0.0, 0.4))
        else:
            # The other half anywhere from the start: reading the file, checking rows, or writing.
            time.sleep(rng.uniform(0.1, 1.6))
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = assert_whole(database)
        assert after in (before, whole), f"kill {kill + 1} left {after}, neither {before} nor {whole}"
        outcomes.append("none" if after == before else "all")
        if after == whole:
            # The import had committed before the kill: start the next round from the database before it.
            for leftover in tmp_path.glob("partnerships.db-*"):
                leftover.unlink()
            shutil.copy(pristine, database)
    done = run_db(url, "import", "activities", str(file))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(f"Внесени записи от „activities.csv“: {ROWS}.")
    assert assert_whole(database) == whole
    print(f"kills: {KILLS}, the import was there afterwards: {outcomes}")
    tally.faults(KILLS)
