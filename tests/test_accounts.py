"""Local accounts: hashed passwords, roles, slower logins after failures, and the command line."""

import pytest
from sqlalchemy import Engine, select

from db.access import COMMAND_LINE, Actor, PermissionDenied
from db.accounts import DELAYS, add_user, authenticate, remove_user
from db.models import User
from db.queries import list_users, role_of
from db.validation import InvalidInput
from tests.helpers import Clock, run_db


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
    assert listed.stdout.splitlines() == ["director\tadmin\tactive"]
    again = run_db(database_url, "user", "add", "director", "--password-stdin", stdin="друга-дълга-парола\n")
    assert again.returncode == 1 and "Вече има потребител „director“." in again.stderr
    assert run_db(database_url, "user", "remove", "director").returncode == 0
    assert list_users(engine).empty
    assert remove_user(engine=engine, actor=COMMAND_LINE, login="director") is False
