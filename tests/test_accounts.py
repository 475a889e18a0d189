"""Local accounts: hashed passwords, roles, slower logins after failures, and the command line."""

import functools
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, func, select
from streamlit.testing.v1 import AppTest

from db import accounts
from db.access import COMMAND_LINE, Actor, PermissionDenied
from db.accounts import (
    CLIENT_DELAYS,
    DELAYS,
    MAX_CLIENT,
    MAX_LOGIN,
    MAX_WAIT,
    OVERALL_DELAYS,
    TooManyAttempts,
    add_user,
    authenticate,
    client_key,
    remove_user,
)
from db.models import LoginFailure, User
from db.queries import list_users, role_of
from db.validation import InvalidInput
from tests.helpers import PASSWORD, ROOT, Clock, run_db
from ui.safe import md


def test_a_password_is_stored_only_as_an_argon2_hash(engine: Engine) -> None:
    add_user(engine=engine, actor=COMMAND_LINE, login="Maria", password="много-тайна-парола", role="editor")
    with engine.connect() as connection:
        stored = connection.scalar(select(User.password_hash))
    assert stored is not None and stored.startswith("$argon2id$") and "тайна" not in stored
    assert list_users(engine)[["login", "role"]].to_dict("records") == [{"login": "maria", "role": "editor"}]


def test_the_right_password_signs_in_with_the_role(engine: Engine) -> None:
    add_user(engine=engine, actor=COMMAND_LINE, login="maria", password="много-тайна-парола", role="editor")
    waits: list[float] = []
    assert authenticate(engine=engine, login=" MARIA ", password="много-тайна-парола", sleep=waits.append) == Actor(
        "maria", "editor"
    )
    assert role_of(engine, "maria") == "editor" and role_of(engine, "someone@school.bg") == "viewer"


@pytest.mark.usefixtures("quick_argon2")
def test_failed_logins_make_the_next_ones_wait_longer(engine: Engine) -> None:
    add_user(engine=engine, actor=COMMAND_LINE, login="maria", password="много-тайна-парола", role="editor")
    clock = Clock()
    for _ in range(7):
        assert authenticate(engine=engine, login="maria", password="guess", sleep=clock.sleep, clock=clock.now) is None
    assert clock.waits == [DELAYS[0], DELAYS[1], DELAYS[2], DELAYS[3], DELAYS[4], DELAYS[5], DELAYS[5]]
    clock.sleep(DELAYS[5])  # the user thinks, then types it right
    authenticate(engine=engine, login="maria", password="много-тайна-парола", sleep=clock.sleep, clock=clock.now)
    clock.waits.clear()
    clock.sleep(60)
    authenticate(engine=engine, login="maria", password="guess", sleep=clock.sleep, clock=clock.now)
    assert clock.waits == [60, 0]  # a successful login forgets the login's failures


def test_only_an_admin_manages_accounts(engine: Engine) -> None:
    with pytest.raises(PermissionDenied):
        add_user(
            engine=engine, actor=Actor("maria", "editor"), login="ivan", password="много-тайна-парола", role="admin"
        )
    assert list_users(engine).empty


@pytest.mark.parametrize(
    ("login", "password", "role", "codes"),
    [
        ("мария", "много-тайна-парола", "editor", ["bad_login"]),
        ("maria", "kratka", "editor", ["short_password"]),
        ("maria", "много-тайна-парола", "boss", ["unknown_choice"]),
    ],
)
def test_bad_accounts_are_refused(engine: Engine, login: str, password: str, role: str, codes: list[str]) -> None:
    with pytest.raises(InvalidInput) as raised:
        add_user(engine=engine, actor=COMMAND_LINE, login=login, password=password, role=role)
    assert [p.code for p in raised.value.problems] == codes
    assert list_users(engine).empty


def test_the_first_admin_is_added_from_the_command_line(database_url: str, engine: Engine) -> None:
    result = run_db(
        database_url, "user", "add", "director", "--role", "admin", "--password-stdin", stdin="много-тайна-парола\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Потребителят „director“ е добавен с роля администратор."
    assert authenticate(engine=engine, login="director", password="много-тайна-парола", sleep=lambda _: None) == Actor(
        "director", "admin"
    )
    listed = run_db(database_url, "user", "list")
    assert listed.stdout.splitlines() == ["director\tadmin\t*\tactive"]  # `*`: across the network
    again = run_db(database_url, "user", "add", "director", "--password-stdin", stdin="друга-дълга-парола\n")
    assert again.returncode == 2 and "Вече има потребител „director“." in again.stderr
    assert run_db(database_url, "user", "remove", "director").returncode == 0
    assert list_users(engine).empty
    assert remove_user(engine=engine, actor=COMMAND_LINE, login="director") is False


@pytest.fixture
def quick_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its smallest cost, for tests of many attempts: what they check is the turns, not the hash."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", cheap)
    monkeypatch.setattr(accounts, "_no_account_hash", functools.cache(lambda: cheap.hash("no such password")))


def _guess(engine: Engine, clock: Clock, login: str, client: str | None = None) -> Actor | None:
    return authenticate(
        engine=engine, login=login, password="wrong password", client=client, sleep=clock.sleep, clock=clock.now
    )


@pytest.mark.usefixtures("quick_argon2")
def test_a_new_login_name_each_time_is_slowed_per_client(engine: Engine) -> None:
    """Before, only the login name counted: a new name each time was never slowed."""
    clock = Clock()
    for n in range(9):
        assert _guess(engine, clock, f"guess{n}", client="203.0.113.5") is None
    assert clock.waits == [0, 0, 0, 0, 0, 1, 2, 4, 4]
    assert clock.waits == [CLIENT_DELAYS[min(n, len(CLIENT_DELAYS) - 1)] for n in range(9)]
    # Someone at another address is not slowed by that machine's guesses (below the overall bound).
    clock.waits.clear()
    _guess(engine, clock, "maria", client="198.51.100.7")
    assert clock.waits == [0]


@pytest.mark.usefixtures("quick_argon2")
def test_new_names_from_new_addresses_are_slowed_overall(engine: Engine) -> None:
    clock = Clock()
    for n in range(14):
        assert _guess(engine, clock, f"guess{n}", client=f"203.0.113.{n}") is None
    assert clock.waits == [OVERALL_DELAYS[min(n, len(OVERALL_DELAYS) - 1)] for n in range(14)]
    assert clock.waits[-1] > 0


@pytest.mark.usefixtures("quick_argon2")
def test_parallel_guesses_queue_instead_of_waiting_side_by_side(engine: Engine) -> None:
    """Sessions that all arrive at once (the clock does not move while they wait) get turns one after another.

    Before, each waited the same delay in parallel: 40 sessions made 1.98 guesses/s against 0.125."""
    arrived = Clock()
    waits = []
    refused = []
    for _ in range(8):
        try:
            _guess(engine, Clock(arrived.at), "maria", client="203.0.113.5")
        except TooManyAttempts as busy:
            refused.append(busy.seconds)
            continue
        with engine.connect() as connection:
            waits.append((connection.scalar(select(func.max(LoginFailure.at))) - arrived.at).total_seconds())
    # Turns at 0, 0, +1, +2, +4, +8 after one another: the sixth is 15 s away, the seventh 23 s (refused).
    assert waits == [0, 0, 1, 3, 7, 15]
    assert all(0 < seconds <= MAX_WAIT for seconds in refused) and len(refused) == 2
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(LoginFailure)) == 6  # nothing kept of a refusal


@pytest.mark.usefixtures("quick_argon2")
def test_a_real_user_gets_in_within_a_bounded_wait_after_a_burst(engine: Engine) -> None:
    add_user(engine=engine, actor=COMMAND_LINE, login="maria", password=PASSWORD, role="editor")
    burst = Clock()
    for n in range(200):  # 200 sessions at once, new names, many addresses
        try:
            _guess(engine, Clock(burst.at), f"guess{n}", client=f"203.0.113.{n % 50}")
        except TooManyAttempts:
            pass
    user = Clock(burst.at)
    try:
        signed_in = authenticate(engine=engine, login="maria", password=PASSWORD, sleep=user.sleep, clock=user.now)
    except TooManyAttempts as busy:
        assert busy.seconds <= MAX_WAIT
        user.sleep(busy.seconds)  # "try again in N s"
        signed_in = authenticate(engine=engine, login="maria", password=PASSWORD, sleep=user.sleep, clock=user.now)
    assert signed_in == Actor("maria", "editor")
    assert sum(user.waits) <= 2 * MAX_WAIT


@pytest.mark.usefixtures("quick_argon2")
def test_what_failures_keep_is_bounded_however_many_come(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """A day of guessing as fast as the server answers (new names, new addresses) stores a bounded table."""
    clock = Clock()
    monkeypatch.setattr(accounts, "FAILURE_WINDOW", timedelta(minutes=1))  # a shorter day, the same arithmetic
    for n in range(300):
        try:
            _guess(engine, clock, f"guess{n}-" + "x" * 200, client=f"2001:db8:{n:x}::1")
        except TooManyAttempts as busy:
            clock.sleep(busy.seconds)
    with engine.connect() as connection:
        rows = connection.scalar(select(func.count()).select_from(LoginFailure))
        stored = func.length(LoginFailure.login) + func.length(LoginFailure.client)
        longest = connection.scalar(select(func.max(stored)))
    window = accounts.FAILURE_WINDOW.total_seconds() + MAX_WAIT
    assert rows <= len(OVERALL_DELAYS) + window / OVERALL_DELAYS[-1]
    assert longest <= MAX_LOGIN + MAX_CLIENT


@pytest.mark.parametrize(
    ("address", "stored"),
    [
        (None, ""),
        ("203.0.113.5", "203.0.113.5"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),  # one machine has a whole /64 to rotate through
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.5", "203.0.113.5"),
    ],
)
def test_a_client_is_counted_by_its_address(address: str | None, stored: str) -> None:
    assert client_key(address) == stored


def test_a_school_account_gets_the_role_given_to_its_email(database_url: str, engine: Engine) -> None:
    """The README's `db user add ime@school.bg` was refused by the login rule: a school account stayed a viewer."""
    added = run_db(
        database_url, "user", "add", "Ime@School.BG", "--role", "editor", "--password-stdin", stdin=f"{PASSWORD}\n"
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "Потребителят „ime@school.bg“ е добавен с роля редактор."
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32}
    app.user = {"is_logged_in": True, "email": "IME@school.bg"}  # as the school's provider spells it
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert [c.value for c in app.sidebar.caption] == [f"Влезли сте като {md('ime@school.bg')} (редактор)."]
    app.switch_page("pages/data.py").run()
    assert [tab.label for tab in app.tabs] == ["Партньори", "Дейности", "Импорт", "Експорт", "Резултати"]


def test_an_email_that_is_too_long_or_not_an_address_is_refused_on_the_command_line(
    database_url: str, engine: Engine
) -> None:
    long = "a" * 60 + "@" + "b" * 20 + ".bg"  # 84 characters; the column holds 80
    refused = run_db(database_url, "user", "add", long, "--password-stdin", stdin=f"{PASSWORD}\n")
    assert (refused.returncode, refused.stderr.strip()) == (2, "Потребителското име може да е най-много 80 знака.")
    junk = run_db(database_url, "--lang", "en", "user", "add", "ime@school", "--password-stdin", stdin=f"{PASSWORD}\n")
    assert junk.returncode == 2 and "Traceback" not in junk.stderr
    assert junk.stderr.strip() == (
        "A login may hold only small Latin letters, digits, dot, hyphen and underscore (at least 2),"
        " or be an e-mail address (name@school.bg)."
    )
    assert list_users(engine).empty


@pytest.mark.usefixtures("quick_argon2")
def test_signing_in_forgets_ones_own_typos_but_not_someone_elses_guesses(engine: Engine) -> None:
    add_user(engine=engine, actor=COMMAND_LINE, login="maria", password=PASSWORD, role="editor")
    clock = Clock()
    for _ in range(4):
        _guess(engine, clock, "maria", client="203.0.113.66")  # someone else, guessing
    _guess(engine, clock, "maria", client="198.51.100.7")  # her own typo
    signed_in = authenticate(
        engine=engine, login="maria", password=PASSWORD, client="198.51.100.7", sleep=clock.sleep, clock=clock.now
    )
    assert signed_in == Actor("maria", "editor")
    with engine.connect() as connection:
        kept = connection.execute(select(LoginFailure.login, LoginFailure.client)).all()
    assert kept == [("maria", "203.0.113.66")] * 4
