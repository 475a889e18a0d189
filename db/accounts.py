"""Local accounts: Argon2 password hashes, roles, and logins that slow down after failures."""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from db.access import RANKS, Actor, require
from db.models import LoginFailure, User
from db.validation import InvalidInput, Problem
from db.writes import audit

LOGIN = re.compile(r"^[a-z0-9._-]{2,80}$")
MIN_PASSWORD = 10
FAILURE_WINDOW = timedelta(minutes=15)
# The n-th failure in the window makes the next attempt wait this long (seconds), at most the last.
DELAYS = (0, 0, 1, 2, 4, 8)

# What a sign-in may hand over: no account has a longer login (users.login is 80 characters), and
# Argon2 over megabytes of "password" is work an anonymous visitor should not be able to order.
MAX_LOGIN = 80
MAX_PASSWORD = 1024

_hasher = PasswordHasher()


@functools.cache
def _no_account_hash() -> str:
    """Checked when there is no such account, so that a missing login costs what a wrong password costs
    and the answer's time does not tell which logins exist (made once, on the first sign-in)."""
    return _hasher.hash("no account has this password")


def _check(login: str, password: str, role: str) -> list[Problem]:
    problems = []
    if not LOGIN.match(login):
        problems.append(Problem("login", "bad_login", {"value": login}))
    if len(password) < MIN_PASSWORD:
        problems.append(Problem("password", "short_password", {"limit": MIN_PASSWORD}))
    if role not in RANKS:
        problems.append(Problem("role", "unknown_choice", {"value": role}))
    return problems


def add_user(*, engine: Engine, actor: Actor, login: str, password: str, role: str) -> int:
    """Create an account; only an admin may. Raises PermissionDenied or InvalidInput."""
    require(actor, "admin")
    login = login.strip().lower()
    problems = _check(login, password, role)
    with Session(engine) as session, session.begin():
        if not problems and session.scalar(select(User.id).where(User.login == login)) is not None:
            problems.append(Problem("login", "duplicate_login", {"value": login}))
        if problems:
            raise InvalidInput(problems)
        user = User(login=login, password_hash=_hasher.hash(password), role=role, is_active=True)
        session.add(user)
        session.flush()
        audit(session, actor, "create", "user", user.id, summary=login, after={"login": login, "role": role})
        return user.id


def remove_user(*, engine: Engine, actor: Actor, login: str) -> bool:
    """Delete an account; returns False if there was none. Only an admin may."""
    require(actor, "admin")
    with Session(engine) as session, session.begin():
        user = session.scalars(select(User).where(User.login == login.strip().lower())).one_or_none()
        if user is None:
            return False
        audit(
            session,
            actor,
            "delete",
            "user",
            user.id,
            summary=user.login,
            before={"login": user.login, "role": user.role},
        )
        session.delete(user)
        return True


def authenticate(
    *, engine: Engine, login: str, password: str, sleep: Callable[[float], None] = time.sleep
) -> Actor | None:
    """The actor for a right login and password, else None. Recent failures make every attempt wait longer."""
    login = login.strip().lower()[:MAX_LOGIN]
    now = datetime.now()
    with Session(engine) as session, session.begin():
        recent = session.scalar(
            select(func.count()).where(LoginFailure.login == login, LoginFailure.at > now - FAILURE_WINDOW)
        )
    sleep(DELAYS[min(recent or 0, len(DELAYS) - 1)])
    with Session(engine) as session, session.begin():
        user = session.scalars(select(User).where(User.login == login, User.is_active.is_(True))).one_or_none()
        try:
            if len(password) > MAX_PASSWORD:
                raise VerificationError("longer than any password")
            _hasher.verify(user.password_hash if user is not None else _no_account_hash(), password)
        except (VerificationError, InvalidHashError):
            user = None
        if user is None:
            # Failures older than the window count for nothing: gone, so that the table stays small.
            session.execute(delete(LoginFailure).where(LoginFailure.at <= now - FAILURE_WINDOW))
            session.add(LoginFailure(login=login, at=now))
            return None
        session.execute(delete(LoginFailure).where(LoginFailure.login == login))
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        return Actor(user.login, user.role)
