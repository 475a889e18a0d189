"""Page runs take turns (ui/turns.py): a room of viewers never has more than a few runs at once."""

from __future__ import annotations

import threading
import time

import pytest

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


def test_thirty_runs_at_once_take_turns_two_at_a_time() -> None:
    assert turns.TURNS == 2
    assert _run_many(30, 0.02) == 2


def test_a_run_stopped_midway_gives_its_turn_back() -> None:
    """st.stop() and st.rerun() end a run with an exception: its turn must not be lost."""
    for _ in range(turns.TURNS * 3):
        with pytest.raises(RuntimeError), turns.script_turn():
            raise RuntimeError("st.stop()")
    assert _run_many(6, 0.01) == turns.TURNS


def test_a_run_that_waited_too_long_starts_anyway(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(turns, "LONGEST_WAIT_SECONDS", 0.05)
    monkeypatch.setattr(turns, "_turns", threading.BoundedSemaphore(1))
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
    assert turns._turns.acquire(blocking=False)
    assert not turns._turns.acquire(blocking=False)


@pytest.mark.parametrize(
    ("value", "expected"), [(None, 2), ("", 2), ("4", 4), ("0", 1), ("-3", 1), ("999", 64), ("два", 2)]
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
