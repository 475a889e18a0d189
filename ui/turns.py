"""Script runs take turns: one at a time by default, the others wait for their turn before they start.

Streamlit starts a thread for every run, and all of them share one interpreter lock. When a room
of thirty opens the link together, thirty runs at once each get a thirtieth of the time, switch
the lock thousands of times, and all finish late together. Taking turns finishes the first
viewers early and the last no later: the same work done one after the other, without the
switching (measured in bench/RESULTS-load.md). One turn by default; a run that waits on purpose or
for the database's write lock gives its turn to the next run meanwhile.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager


# How many runs at once: DASHBOARD_SCRIPT_TURNS (README). Of 1, 2, 4 and 8 on this 2-core machine, 1 gave
# the lowest p95 for 30 and 60 viewers, on the demo data and at a million activities (bench/RESULTS-load.md):
# SQLite's reads are quick enough that a second run seldom has a wait to fill, and what does wait long
# (a write behind another writer, a sign-in's delay) gives its turn away (below).
def _turns_wanted(value: str | None, default: int = 1) -> int:
    """A whole number from 1 to 64; anything else (empty, junk) is the default."""
    try:
        wanted = int(value or default)
    except ValueError:
        return default
    return min(max(wanted, 1), 64)


TURNS = _turns_wanted(os.environ.get("DASHBOARD_SCRIPT_TURNS"))
# A run that waited this long starts anyway: taking turns must never stop a page from drawing.
LONGEST_WAIT_SECONDS = 30.0


class FairTurns:
    """A semaphore that gives its turns in the order they were asked for.

    Python's own lets a run that asks just as a turn comes free take it before the runs already
    waiting; with viewers rerunning as soon as their page is drawn, the last of a room to open
    the link waited for others' second and third runs (a p95 of 1.2 s where 0.7 s was the work).
    Here a freed turn goes straight to the longest waiting run.
    """

    def __init__(self, turns: int) -> None:
        self._turns = turns
        self._free = turns
        self._waiting: deque[threading.Event] = deque()
        self._lock = threading.Lock()

    def acquire(self, timeout: float) -> bool:
        """A turn, waiting at most `timeout` seconds for it; False if none came."""
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return True
            given = threading.Event()
            self._waiting.append(given)
        if given.wait(timeout):
            return True
        with self._lock:
            if given.is_set():  # handed over just as the wait ended: it is this run's
                return True
            self._waiting.remove(given)
            return False

    def release(self) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()  # straight to the longest waiting
            elif self._free < self._turns:
                self._free += 1
            else:
                raise ValueError("a turn given back that was not taken")


_turns = FairTurns(TURNS)
_run = threading.local()  # whether this thread's run holds a turn now


@contextmanager
def script_turn() -> Iterator[None]:
    """The body of a run, once it is this run's turn."""
    _run.has_turn = _turns.acquire(timeout=LONGEST_WAIT_SECONDS)
    try:
        yield
    finally:
        if getattr(_run, "has_turn", False):
            _turns.release()
        _run.has_turn = False


def sleep_without_turn(seconds: float) -> None:
    """Wait `seconds` with this run's turn given to another meanwhile, then take a turn again.

    For a run that waits on purpose: a sign-in's delay after failed attempts (db.accounts) may last
    20 s, and a burst of guesses holding the turns would stop every viewer's page.
    """
    if seconds <= 0:
        return
    had_turn = _give_up_turn()
    try:
        time.sleep(seconds)
    finally:
        _take_turn_back(had_turn)


def begin_without_turn(_connection: object) -> None:
    """Before a write transaction begins: this run gives its turn away for the rest of the run.

    A write may wait up to SQLite's busy timeout (15 s) for another writer (an import on the command
    line, a backup) and an import takes a second: with one turn, viewers would wait all that time.
    Not taken back at the end of the write: "commit" is told before the commit, and waiting for a turn
    there would hold the database's lock while every other writer waits for it. What is left of a
    run that saved is short (the page drawn again). Given to `db.engine.get_write_engine(before_begin=…)`,
    which calls it ahead of BEGIN IMMEDIATE.
    """
    _give_up_turn()


def _give_up_turn() -> bool:
    """Give this run's turn to the next waiting one; whether it had one."""
    if not getattr(_run, "has_turn", False):
        return False
    _turns.release()
    _run.has_turn = False
    return True


def _take_turn_back(had_turn: bool) -> None:
    if had_turn:
        _run.has_turn = _turns.acquire(timeout=LONGEST_WAIT_SECONDS)
