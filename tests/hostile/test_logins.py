"""Logins and addresses a hostile visitor or a careless paste can bring: refused with the clear message, or
stored bounded and clean, and never a crash (issue 10)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from db.access import COMMAND_LINE
from db.accounts import MAX_CLIENT, add_user, authenticate, client_key
from db.models import LoginFailure
from db.queries import list_users
from db.validation import InvalidInput
from tests import tally
from tests.helpers import PASSWORD

# What an account's login must not be: each looks like a login or an e-mail, or hides something.
REFUSED_LOGINS = {
    "Cyrillic а in a Latin name": "mаria",
    "fullwidth letters": "ｍａｒｉａ",
    "Kelvin sign that lowercases to k": "\u212aate",
    "dotless ı": "marıa",
    "zero-width space": "ma\u200bria",
    "right-to-left override": "\u202eairam",
    "NUL": "ma\x00ria",
    "vertical tab": "ma\x0bria",
    "newline inside": "ma\nria",
    "space inside": "ma ria",
    "one letter": "m",
    "Cyrillic domain": "ime@училище.bg",
    "no dot in the domain": "ime@school",
    "nothing before @": "@school.bg",
    "two @": "ime@@school.bg",
    "empty label": "ime@school..bg",
    "label starting with a hyphen": "ime@-school.bg",
    "a quoted local part": '"ime"@school.bg',
    "HTML": "<script>@school.bg",
}
TOO_LONG = {"81 characters": "a" * 81, "an e-mail of 84": "a" * 60 + "@" + "b" * 20 + ".bg", "a megabyte": "x" * 2**20}


@pytest.mark.parametrize("login", list(REFUSED_LOGINS.values()), ids=list(REFUSED_LOGINS))
def test_a_login_that_is_not_a_name_or_an_email_is_refused(engine: Engine, login: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        add_user(engine=engine, actor=COMMAND_LINE, login=login, password=PASSWORD, role="editor")
    assert [p.code for p in raised.value.problems] == ["bad_login"]
    assert list_users(engine).empty
    tally.inputs(1)


@pytest.mark.parametrize("login", list(TOO_LONG.values()), ids=list(TOO_LONG))
def test_a_login_longer_than_the_column_is_refused_as_too_long(engine: Engine, login: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        add_user(engine=engine, actor=COMMAND_LINE, login=login, password=PASSWORD, role="editor")
    assert [(p.code, dict(p.values)) for p in raised.value.problems] == [("long_login", {"limit": 80})]
    assert list_users(engine).empty
    tally.inputs(1)


@pytest.mark.parametrize(
    "login", ["maria", "i.petrova", "ime@school.bg", "Ime.Familia@Uchilishte-7.EDU.bg", "a+news@mon.bg"]
)
def test_a_name_or_a_school_email_is_accepted_lowercased(engine: Engine, login: str) -> None:
    add_user(engine=engine, actor=COMMAND_LINE, login=f"  {login} ", password=PASSWORD, role="editor")
    assert list_users(engine)["login"].tolist() == [login.lower()]


# What a proxy's X-Forwarded-For (or a broken one) can hand over as the client's address.
ADDRESSES = {
    "100,000 characters": "x" * 100_000,
    "control characters": "\x00\x01\x1f",
    "with a port": "203.0.113.5:8080",
    "in brackets": "[2001:db8::1]",
    "with a zone": "fe80::1%eth0",
    "a word": "unknown",
    "emoji": "😀" * 50,
}


@pytest.mark.parametrize("address", list(ADDRESSES.values()), ids=list(ADDRESSES))
def test_any_client_address_is_stored_bounded_and_printable(engine: Engine, address: str) -> None:
    key = client_key(address)
    assert len(key) <= MAX_CLIENT and key.isascii() and (key == "" or key.isprintable())
    assert (
        authenticate(engine=engine, login="nobody", password="wrong password", client=address, sleep=lambda _: None)
        is None
    )
    with engine.connect() as connection:
        assert connection.scalar(select(LoginFailure.client)) == key
        assert connection.scalar(select(func.count()).select_from(LoginFailure)) == 1
    tally.inputs(1)
