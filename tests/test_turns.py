"""Page runs take turns (ui/turns.py): a room of viewers never has more than a few runs at once."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from db.engine import get_write_engine
from ui import turns


def _run_many(count: int, seconds: float) -> int:
    """`count` runs at once, each holding its turn `seconds`: the most that ran together."""
    running, most, lock = 0, 0, threading.Lock()

    def run() -> None:
        nonlocal running, most
        with turns.script_turn():
            with lock:
                running += 1
                most = max(most, running)
            time.sleep(seconds)
            with lock:
                running -= 1

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return most


def test_thirty_runs_at_once_take_turns_one_at_a_time() -> None:
    assert turns.TURNS == 1
    assert _run_many(30, 0.02) == 1


def test_a_run_stopped_midway_gives_its_turn_back() -> None:
    """st.stop() and st.rerun() end a run with an exception: its turn must not be lost."""
    for _ in range(turns.TURNS * 3):
        with pytest.raises(RuntimeError), turns.script_turn():
            raise RuntimeError("st.stop()")
    assert _run_many(6, 0.01) == turns.TURNS


def test_a_run_that_waited_too_long_starts_anyway(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(turns, "LONGEST_WAIT_SECONDS", 0.05)
    monkeypatch.setattr(turns, "_turns", turns.FairTurns(1))
    release = threading.Event()

    def stuck() -> None:
        with turns.script_turn():
            release.wait(5)

    holder = threading.Thread(target=stuck)
    holder.start()
    time.sleep(0.02)
    started = time.monotonic()
    with turns.script_turn():
        waited = time.monotonic() - started
    release.set()
    holder.join()
    assert waited < 2
    # the late run did not take a turn it had not got: the stuck one's release leaves one turn, not two
    assert turns._turns.acquire(timeout=0)
    assert not turns._turns.acquire(timeout=0)


@pytest.mark.parametrize(
    ("value", "expected"), [(None, 1), ("", 1), ("4", 4), ("0", 1), ("-3", 1), ("999", 64), ("два", 1)]
)
def test_the_number_of_turns_from_the_environment(value: str | None, expected: int) -> None:
    assert turns._turns_wanted(value) == expected


def test_runs_waiting_on_purpose_leave_their_turns_to_the_viewers() -> None:
    """Two sign-ins sleeping out their delay after failed guesses must not stop a viewer's page."""
    sleeping = threading.Barrier(turns.TURNS + 1)

    def sign_in() -> None:
        with turns.script_turn():
            sleeping.wait(5)
            turns.sleep_without_turn(1.0)

    guesses = [threading.Thread(target=sign_in) for _ in range(turns.TURNS)]
    for guess in guesses:
        guess.start()
    sleeping.wait(5)  # every turn taken, each about to sleep
    time.sleep(0.05)
    started = time.monotonic()
    with turns.script_turn():
        waited = time.monotonic() - started
    for guess in guesses:
        guess.join()
    assert waited < 0.5
    assert _run_many(6, 0.01) == turns.TURNS  # each sleeper took its turn back and gave it back at the end


def test_turns_are_given_in_the_order_they_were_asked_for() -> None:
    """A run asking just as a turn comes free does not go before the runs already waiting."""
    fair = turns.FairTurns(1)
    assert fair.acquire(timeout=1)
    order: list[int] = []
    waiting = []
    for n in range(5):
        thread = threading.Thread(target=lambda n=n: (fair.acquire(timeout=5), order.append(n), fair.release()))
        thread.start()
        waiting.append(thread)
        time.sleep(0.02)  # each asks after the one before
    fair.release()
    assert fair.acquire(timeout=5)  # a late asker waits behind all five
    order.append(99)
    fair.release()
    for thread in waiting:
        thread.join()
    assert order == [0, 1, 2, 3, 4, 99]


def test_a_turn_given_back_twice_is_refused() -> None:
    fair = turns.FairTurns(1)
    assert fair.acquire(timeout=0)
    fair.release()
    with pytest.raises(ValueError):
        fair.release()


def test_a_write_waiting_for_the_database_lock_leaves_its_turn_to_the_viewers(tmp_path: Path) -> None:
    """An import on the command line holds SQLite's write lock: a save on a page waits for it (up to
    15 s), and meanwhile the other viewers' runs go on."""
    url = f"sqlite:///{tmp_path / 'turns.db'}"
    writer = get_write_engine(url, before_begin=turns.begin_without_turn)
    with writer.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE notes (text TEXT)")
    other_writer = sqlite3.connect(tmp_path / "turns.db", isolation_level=None)
    other_writer.execute("BEGIN IMMEDIATE")  # the command line's import, say
    saved = threading.Event()

    def save() -> None:
        with turns.script_turn(), writer.begin() as connection:
            connection.exec_driver_sql("INSERT INTO notes VALUES ('a save')")
        saved.set()

    saving = threading.Thread(target=save)
    saving.start()
    time.sleep(0.3)  # the save is waiting for the lock
    started = time.monotonic()
    with turns.script_turn():
        waited = time.monotonic() - started
    assert not saved.is_set()
    other_writer.execute("COMMIT")
    saving.join(20)
    other_writer.close()
    writer.dispose()
    assert saved.is_set()
    assert waited < 0.5
    assert _run_many(4, 0.01) == turns.TURNS  # the save's run ended without a turn: none lost, none extra
