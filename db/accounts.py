"""Local accounts: Argon2 password hashes, roles, and sign-ins that slow down after failures.

Guessing is slowed three ways at once, each by the failures of the last FAILURE_WINDOW: per login name
(someone trying one account's passwords), per client address (one machine trying many names) and
overall (many machines, or many parallel sessions, trying anything). An attempt takes its turn in
the database before it is checked: the turn comes `delay` seconds after the latest turn of each
scope, so parallel sessions queue one after another instead of sleeping side by side. A turn further
than MAX_WAIT away is not given at all ("try again in N seconds"), so that a burst by someone else
keeps a real user waiting at most MAX_WAIT, and nothing is stored for it.
"""

from __future__ import annotations

import functools
import ipaddress
import math
import re
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ColumnElement, Engine, delete, func, select, text, true
from sqlalchemy.orm import Session

from db.access import RANKS, Actor, require, require_network, require_school
from db.models import LoginFailure, School, User
from db.validation import InvalidInput, Problem
from db.writes import audit

# What a sign-in may hand over: no account has a longer login (users.login is 80 characters), and
# Argon2 over megabytes of "password" is work an anonymous visitor should not be able to order.
MAX_LOGIN = 80
MAX_PASSWORD = 1024
# A login is a short name (maria, i.petrova) or the e-mail of a school account (ime@school.bg), which
# signs in through OpenID Connect and gets that account's role. ASCII only: a Cyrillic „а“ in „mаria“
# would make a second account that looks like the first.
LOGIN = re.compile(r"[a-z0-9._-]{2,80}")
EMAIL_LOGIN = re.compile(r"[a-z0-9._%+-]{1,64}@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
MIN_PASSWORD = 10

FAILURE_WINDOW = timedelta(minutes=15)
# The n-th failure in the window puts the next attempt this many seconds after the one before it
# (at most the last), per scope. One login: after 5 failures one guess per 8 s (0.125 guesses/s).
DELAYS = (0, 0, 1, 2, 4, 8)
# One client address: a person mistyping a few logins is not slowed; after 7 failures one guess per 4 s.
CLIENT_DELAYS = (0, 0, 0, 0, 0, 1, 2, 4)
# Everyone together: a school has few failures in 15 minutes; after 11, one guess per 2 s, whoever sends it.
OVERALL_DELAYS = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2)
# The longest an attempt waits for its turn; a later turn is refused ("try again in N seconds").
MAX_WAIT = 20.0
# An address as stored: an IPv6 address takes at most 39 characters, its /64 network 43.
MAX_CLIENT = 45

_hasher = PasswordHasher()


@functools.cache
def _no_account_hash() -> str:
    """Checked when there is no such account, so that a missing login costs what a wrong password costs
    and the answer's time does not tell which logins exist (made once, on the first sign-in)."""
    return _hasher.hash("no account has this password")


def _check(login: str, password: str, role: str) -> list[Problem]:
    problems = []
    if len(login) > MAX_LOGIN:
        problems.append(Problem("login", "long_login", {"limit": MAX_LOGIN}))
    # Checked before lowercasing: str.lower() turns a Kelvin sign „K“ into an ASCII k.
    elif not (login.isascii() and (LOGIN.fullmatch(login.lower()) or EMAIL_LOGIN.fullmatch(login.lower()))):
        problems.append(Problem("login", "bad_login", {"value": login}))
    if len(password) < MIN_PASSWORD:
        problems.append(Problem("password", "short_password", {"limit": MIN_PASSWORD}))
    if role not in RANKS:
        problems.append(Problem("role", "unknown_choice", {"value": role}))
    return problems


def add_user(
    *, engine: Engine, actor: Actor, login: str, password: str, role: str, school_id: int | None = None
) -> int:
    """Create an account, whose role holds in `school_id` only, or across the network (None).

    A network admin may add any account; a school's admin only accounts of their own school.
    Raises PermissionDenied or InvalidInput.
    """
    if school_id is None:
        require_network(actor, "admin")
    else:
        require_school(actor, "admin", school_id)
    problems = _check(login.strip(), password, role)
    login = login.strip().lower()
    with Session(engine) as session, session.begin():
        if school_id is not None and session.get(School, school_id) is None:
            problems.append(Problem("school", "unknown_choice", {"value": str(school_id)}))
        if not problems and session.scalar(select(User.id).where(User.login == login)) is not None:
            problems.append(Problem("login", "duplicate_login", {"value": login}))
        if problems:
            raise InvalidInput(problems)
        user = User(login=login, password_hash=_hasher.hash(password), role=role, is_active=True, school_id=school_id)
        session.add(user)
        session.flush()
        after = {"login": login, "role": role, "school": school_id}
        audit(session, actor, "create", "user", user.id, summary=login, after=after, school_id=school_id)
        return user.id


def remove_user(*, engine: Engine, actor: Actor, login: str) -> bool:
    """Delete an account; returns False if there was none. Only an admin may: of the network, or of the
    account's own school."""
    require(actor, "admin")
    with Session(engine) as session, session.begin():
        user = session.scalars(select(User).where(User.login == login.strip().lower())).one_or_none()
        if user is None:
            return False
        if user.school_id is None:
            require_network(actor, "admin")
        else:
            require_school(actor, "admin", user.school_id)
        audit(
            session,
            actor,
            "delete",
            "user",
            user.id,
            summary=user.login,
            before={"login": user.login, "role": user.role, "school": user.school_id},
            school_id=user.school_id,
        )
        session.delete(user)
        return True


class TooManyAttempts(InvalidInput):
    """Sign-in is busy: the next turn is further than MAX_WAIT away. `seconds` until one can be had."""

    def __init__(self, seconds: int) -> None:
        super().__init__([Problem("login", "sign_in_busy", {"seconds": seconds})])
        self.seconds = seconds


def client_key(address: str | None) -> str:
    """How an address is counted and stored: IPv4 as it is, IPv6 by its /64 network (one home or
    machine has a whole /64 to rotate through), anything else cut to MAX_CLIENT; "" for none (this machine)."""
    if not address:
        return ""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:  # not an address (a proxy's header can say anything): printable ASCII, cut short
        return "".join(c for c in address[: 4 * MAX_CLIENT] if c.isascii() and c.isprintable())[:MAX_CLIENT]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def _turn(
    session: Session, scope: ColumnElement[bool], delays: Sequence[int], now: datetime, since: datetime
) -> datetime:
    """When an attempt in this scope may be checked: `delay` after the scope's latest turn, not before now."""
    count, latest = session.execute(
        select(func.count(), func.max(LoginFailure.at)).where(scope, LoginFailure.at > since)
    ).one()
    if latest is None:
        return now
    return max(now, latest + timedelta(seconds=delays[min(count, len(delays) - 1)]))


def _take_turn(engine: Engine, login: str, client: str, now: datetime) -> float:
    """Reserve this attempt's turn (stored as a failure until the password proves right); seconds to wait.

    One write transaction per reservation: SQLite's BEGIN IMMEDIATE (db.engine.get_write_engine)
    and a table lock on PostgreSQL make parallel sessions take turns one after another."""
    since = now - FAILURE_WINDOW
    with Session(engine) as session, session.begin():
        if engine.dialect.name == "postgresql":
            session.execute(text("LOCK TABLE login_failures IN SHARE ROW EXCLUSIVE MODE"))
        # Failures older than the window count for nothing: gone, so that the table stays small.
        session.execute(delete(LoginFailure).where(LoginFailure.at <= since))
        turn = max(
            _turn(session, LoginFailure.login == login, DELAYS, now, since),
            _turn(session, LoginFailure.client == client, CLIENT_DELAYS, now, since),
            _turn(session, true(), OVERALL_DELAYS, now, since),
        )
        wait = (turn - now).total_seconds()
        if wait > MAX_WAIT:
            raise TooManyAttempts(max(1, math.ceil(wait - MAX_WAIT)))
        session.add(LoginFailure(login=login, client=client, at=turn))
    return wait


def authenticate(
    *,
    engine: Engine,
    login: str,
    password: str,
    client: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] = datetime.now,
) -> Actor | None:
    """The actor for a right login and password, else None; `client` is the address the attempt came from.

    Each attempt first waits its turn (see the module's docstring); raises TooManyAttempts when the turn
    is more than MAX_WAIT away. A right password forgets the login's failures from the same client."""
    login = login.strip().lower()[:MAX_LOGIN]
    client = client_key(client)
    sleep(_take_turn(engine, login, client, clock()))
    active = (User.login == login, User.is_active.is_(True))
    with Session(engine) as session:
        stored = session.scalar(select(User.password_hash).where(*active))
    # Argon2 runs outside any transaction: a write lock held through it would queue every other sign-in.
    # A missing login is checked against a hash too, so its answer takes as long as a wrong password's.
    try:
        if len(password) > MAX_PASSWORD:
            raise VerificationError("longer than any password")
        _hasher.verify(stored if stored is not None else _no_account_hash(), password)
    except (VerificationError, InvalidHashError):
        return None  # the turn taken stays as the failure
    if stored is None:
        return None
    with Session(engine) as session, session.begin():
        user = session.scalars(select(User).where(*active)).one_or_none()
        if user is None:  # removed in the meantime
            return None
        # The user's own typos are forgotten; someone else's guesses at this login, from elsewhere, still count.
        session.execute(delete(LoginFailure).where(LoginFailure.login == login, LoginFailure.client == client))
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        return Actor(user.login, user.role, user.school_id)
