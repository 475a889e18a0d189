"""Script runs take turns: at most a few run at once, the others wait for a turn before they start.

Streamlit starts a thread for every run, and all of them share one interpreter lock. When a room
of thirty opens the link together, thirty runs at once each get a thirtieth of the time, switch
the lock thousands of times, and all finish late together. Taking turns finishes the first
viewers early and the last no later: the same work done one after the other, without the
switching (measured in bench/RESULTS-load.md). A few turns rather than one, because a run that
waits on the database (a cold query, a write) lets another use the interpreter meanwhile.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


# How many runs at once: DASHBOARD_SCRIPT_TURNS (README). Of 1, 2, 4 and 8 on this 2-core machine, 2 gave
# the lowest p95 for 30 and 60 viewers (bench/RESULTS-load.md).
def _turns_wanted(value: str | None, default: int = 2) -> int:
    """A whole number from 1 to 64; anything else (empty, junk) is the default."""
    try:
        wanted = int(value or default)
    except ValueError:
        return default
    return min(max(wanted, 1), 64)


TURNS = _turns_wanted(os.environ.get("DASHBOARD_SCRIPT_TURNS"))
# A run that waited this long starts anyway: taking turns must never stop a page from drawing.
LONGEST_WAIT_SECONDS = 30.0

_turns = threading.BoundedSemaphore(TURNS)
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
    20 s, and a burst of guesses holding every turn would stop every viewer's page.
    """
    if seconds <= 0:
        return
    had_turn = getattr(_run, "has_turn", False)
    if had_turn:
        _turns.release()
        _run.has_turn = False
    try:
        time.sleep(seconds)
    finally:
        if had_turn:
            _run.has_turn = _turns.acquire(timeout=LONGEST_WAIT_SECONDS)
