"""Guessing passwords through the real server, the way browsers send sign-ins (issue 10).

Many parallel sessions guess with a new login name each time, half of them from this machine and half
as if from their own addresses behind a proxy (X-Forwarded-For, which uvicorn trusts from 127.0.0.1):
the guesses that get an answer stay within what the delays of db/accounts.py allow per client and
overall, and the right password still signs in afterwards, after at most a bounded wait.

The bounds are counts of answered guesses against the turns the delays give over the measured time:
a slow machine makes the time longer and the bound larger, never the count larger.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.streamlit_client import StreamlitSession
from db.accounts import CLIENT_DELAYS, MAX_LOGIN, MAX_WAIT, OVERALL_DELAYS
from db.engine import get_engine
from db.models import LoginFailure
from i18n import translator
from tests import tally
from tests.browser_helpers import _serve
from tests.helpers import PASSWORD, run_db

pytestmark = pytest.mark.server

# Sending goes on this long; each guess then waits for its turn (at most MAX_WAIT) and its answer.
SENDING_SECONDS = 8.0
LOCAL_SESSIONS = 10
PROXIED_SESSIONS = 10
t = translator("bg")
FAILED = t("auth.failed")
BUSY = t("problem.sign_in_busy", seconds=999).split("999")[0]  # the words before the number


@pytest.fixture(scope="module")
def locked_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The app with DASHBOARD_REQUIRE_LOGIN=1 on an empty database (a light page to guess against).

    It listens on 127.0.0.1 as behind a proxy: uvicorn believes X-Forwarded-For only from 127.0.0.1 and ::1,
    and on Streamlit's default dual-stack socket this machine connects as ::ffff:127.0.0.1."""
    folder: Path = tmp_path_factory.mktemp("sign-in-abuse")
    settings = {"DASHBOARD_REQUIRE_LOGIN": "1", "STREAMLIT_SERVER_ADDRESS": "127.0.0.1"}
    for url in _serve(folder, demo=False, settings=settings):
        yield url, f"sqlite:///{folder / 'partnerships.db'}"


def turns_within(delays: Sequence[int], seconds: float) -> int:
    """How many attempts one scope lets through in `seconds` from its first: the delays' own arithmetic."""
    count, at = 1, 0.0
    while True:
        at += delays[min(count, len(delays) - 1)]
        if at > seconds:
            return count
        count += 1


# What a hostile page can put in the sign-in form's values (max_chars binds only the browser's own input).
HOSTILE_SIGN_INS = {
    "a 1 MB login": ("x" * 2**20, "wrong password"),
    "a 1 MB password": ("maria", "y" * 2**20),
    "control characters": ("ma\x00ri\x0ba\x1f", "wrong\x00password"),
    "a Cyrillic а with the right password": ("mаria", PASSWORD),
    "right-to-left override with the right password": ("\u202eairam", PASSWORD),
    "SQL": ("maria' OR '1'='1", "' OR '1'='1"),
}


def test_hostile_sign_in_values_through_the_protocol_are_refused_and_bounded(locked_server: tuple[str, str]) -> None:
    """Sent as a page's script would send them, not through the browser's text box (runs before the burst)."""
    url, database_url = locked_server
    added = run_db(database_url, "user", "add", "maria", "--password-stdin", stdin=f"{PASSWORD}\n")
    assert added.returncode == 0, added.stderr
    answers = {}
    with StreamlitSession(url, headers={"X-Forwarded-For": "198.51.100.99"}) as session:
        session.run()
        for name, (login, password) in HOSTILE_SIGN_INS.items():
            session.set("sign_in_login", login)
            session.set("sign_in_password", password)
            run = session.click("sign_in_submit")
            answers[name] = (run.errors, run.exceptions)
    assert answers == {name: ([FAILED], []) for name in HOSTILE_SIGN_INS}
    with get_engine(database_url).connect() as connection:
        longest = connection.scalar(select(func.max(func.length(LoginFailure.login))))
    assert longest == MAX_LOGIN
    tally.inputs(len(HOSTILE_SIGN_INS))


def test_parallel_guesses_with_new_names_stay_within_the_bound(locked_server: tuple[str, str]) -> None:
    url, database_url = locked_server
    if not run_db(database_url, "user", "list").stdout.startswith("maria"):
        added = run_db(database_url, "user", "add", "maria", "--password-stdin", stdin=f"{PASSWORD}\n")
        assert added.returncode == 0, added.stderr

    answers: list[tuple[str, str]] = []  # (who: "local" or "proxied", the alert)
    errors: list[BaseException] = []
    lock = threading.Lock()
    started = time.monotonic()

    def guess(index: int, proxied: bool) -> None:
        headers = {"X-Forwarded-For": f"192.0.2.{index + 1}"} if proxied else {}
        try:
            with StreamlitSession(url, headers=headers, timeout=MAX_WAIT + 60) as session:
                session.run()
                attempt = 0
                while time.monotonic() - started < SENDING_SECONDS:
                    session.set("sign_in_login", f"guess-{int(proxied)}-{index}-{attempt}")
                    session.set("sign_in_password", f"password number {attempt}")
                    run = session.click("sign_in_submit")
                    attempt += 1
                    with lock:
                        answers.append(("proxied" if proxied else "local", " ".join(run.errors)))
        except BaseException as error:  # reported below, with the thread's name
            errors.append(error)

    threads = [threading.Thread(target=guess, args=(i, False)) for i in range(LOCAL_SESSIONS)]
    threads += [threading.Thread(target=guess, args=(i, True)) for i in range(PROXIED_SESSIONS)]
    for thread in threads:
        thread.start()
    # A real user types the right password just as the burst ends, from an address of their own.
    time.sleep(SENDING_SECONDS)
    tries = []
    with StreamlitSession(url, headers={"X-Forwarded-For": "198.51.100.7"}, timeout=MAX_WAIT + 60) as user:
        user.run()
        for _ in range(3):
            user.set("sign_in_login", "maria")
            user.set("sign_in_password", PASSWORD)
            run = user.click("sign_in_submit")
            tries.append(" ".join(run.errors))
            if not run.errors:
                break
            assert BUSY in tries[-1], tries  # only "busy" may keep the right password out
            seconds = int(tries[-1].split(BUSY)[1].split()[0])
            assert seconds <= MAX_WAIT
            time.sleep(seconds)
        signed_in = " ".join(user.last.texts)
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    assert not errors, errors

    guessed = [who for who, alert in answers if alert == FAILED]
    assert all(alert == FAILED or BUSY in alert for _, alert in answers), {a for _, a in answers}
    # The right password, after a burst by someone else: in within the bounded wait (at most 3 tries).
    assert "Влезли сте като maria" in signed_in, (tries, signed_in)
    # Everyone together: no more guesses than the overall delays allow in the time it all took,
    # and from this machine alone no more than one client's delays allow.
    assert len(guessed) <= turns_within(OVERALL_DELAYS, elapsed), (len(guessed), elapsed)
    assert guessed.count("local") <= turns_within(CLIENT_DELAYS, elapsed), (guessed.count("local"), elapsed)
    # The proxied sessions were their own clients (so the overall bound was what held them).
    with get_engine(database_url).connect() as connection:
        clients = set(connection.scalars(select(LoginFailure.client).distinct()))
    assert "" in clients and len(clients - {""}) >= PROXIED_SESSIONS // 2, clients
    # The burst was a real one: it filled the queue, and some attempts were told to come back later.
    assert any(BUSY in alert for _, alert in answers)
    tally.inputs(len(answers))
