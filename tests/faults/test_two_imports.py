"""Two imports of the same file at once: one writes it, the other is refused or waits its turn; no duplicates."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from tests import tally
from tests.faults.record import activities_file, added_by_import, assert_whole, make_demo_database, plus
from tests.helpers import ROOT

ROWS = 1_500
# The loser either waited for the winner and found every row already there (1), or waited longer than
# the 15 s busy timeout and was told the database was busy (6). Neither may write a row.
LOSER_EXITS = {2: "Нищо не е внесено.", 6: "Базата данни е заета с друг запис"}


def test_two_imports_of_one_file_at_once_add_it_once(tmp_path: Path) -> None:
    database = tmp_path / "partnerships.db"
    url = make_demo_database(database)
    file = activities_file(tmp_path / "activities.csv", ROWS)
    before = assert_whole(database)
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("DASHBOARD_LANG", None)
    command = [sys.executable, "-m", "db", "import", "activities", str(file)]
    both = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    # communicate, not wait: the loser's lines of problems would fill the pipe and stall it.
    outputs = [process.communicate(timeout=120) for process in both]
    results = [(process.returncode, out, err) for process, (out, err) in zip(both, outputs, strict=True)]
    codes = sorted(code for code, _, _ in results)
    assert codes[0] == 0 and codes[1] in LOSER_EXITS, results
    loser = next(result for result in results if result[0] != 0)
    assert LOSER_EXITS[loser[0]] in loser[2] and "Traceback" not in loser[2]
    assert assert_whole(database) == plus(before, added_by_import(ROWS))
    with closing(sqlite3.connect(database)) as connection:
        twice = connection.execute(
            "SELECT title_key, start_date, count(*) FROM activities GROUP BY title_key, start_date, type_id"
            " HAVING count(*) > 1"
        ).fetchall()
    assert twice == []
    tally.faults(1)
