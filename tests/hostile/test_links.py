"""Web addresses: only a plain http(s) address is stored, and only such an address is offered as a link.

`https://ok.example/x)[evil](javascript:alert(1))` once passed the check (issue 10): a link that
ends early where it is written as Markdown and carries another link inside. Refused now where
addresses enter (forms, import), with a message that says what to do; an address stored before
is not offered as a link.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from db.access import COMMAND_LINE, Actor
from db.accounts import add_user
from db.queries import record_counts
from db.transfer import import_partners
from db.validation import InvalidInput
from db.writes import create_partner
from i18n import translator
from i18n.problems import describe_problem
from tests import tally
from tests.helpers import PASSWORD, open_app, sign_in, stored_partners
from ui.safe import md, web_link

EDITOR = Actor("maria", "editor")
EVIL = "https://ok.example/x)[evil](javascript:alert(1))"

# (address, the problem's code): each refused where it enters, none offered as a link.
REFUSED = [
    (EVIL, "link_characters"),
    ("https://ok.example/[x](y)", "link_characters"),
    ('https://ok.example/"onmouseover="alert(1)', "link_characters"),
    ("https://ok.example/<script>", "link_characters"),
    ("https://ok.example/a`b", "link_characters"),
    ("https://ok.example/a\\b", "link_characters"),
    ("https://ok.example/a b", "link_spaces"),
    ("javascript:alert(1)", "bad_link"),
    ("JaVaScRiPt:alert(1)//https://ok.example", "bad_link"),
    ("data:text/html,<script>alert(1)</script>", "bad_link"),
    ("//evil.example", "bad_link"),
    ("ftp://ok.example", "bad_link"),
    ("https://school.bg@evil.example/", "bad_link"),  # opens evil.example
    ("https://", "bad_link"),
    ("https://localhost", "bad_link"),
    ("https://.example", "bad_link"),
    ("largo.bg", "bad_link"),
    ("www.largo.bg", "bad_link"),
]
ACCEPTED = [
    "https://largo.example.org",
    "http://училище.бг/новини?страница=2&година=2024#начало",
    "HTTPS://WWW.LARGO.BG/",
    "https://largo.bg:8443/a-b_c/~d.e;f,g+h=i!j$k*l%28m%29",
    "https://192.168.1.10/intranet",
]


@pytest.mark.parametrize(("address", "code"), REFUSED)
def test_a_website_that_is_not_a_plain_address_is_refused_and_never_linked(
    engine: Engine, writer: Engine, address: str, code: str
) -> None:
    before = record_counts(engine)
    with pytest.raises(InvalidInput) as raised:
        create_partner(engine=writer, actor=EDITOR, data={"name": "Ларго", "kind": "ngo", "website": address})
    assert [(p.field, p.code) for p in raised.value.problems] == [("website", code)]
    assert record_counts(engine) == before
    assert web_link(address) is None
    tally.inputs(2)


@pytest.mark.parametrize("address", ACCEPTED)
def test_a_plain_address_is_stored_and_linked_as_typed(engine: Engine, writer: Engine, address: str) -> None:
    create_partner(engine=writer, actor=EDITOR, data={"name": "Ларго", "kind": "ngo", "website": address})
    assert [p["website"] for p in stored_partners(engine)] == [address]
    assert web_link(address) == address


def test_the_message_names_the_characters_in_both_languages(writer: Engine) -> None:
    with pytest.raises(InvalidInput) as raised:
        create_partner(engine=writer, actor=EDITOR, data={"name": "Ларго", "kind": "ngo", "website": EVIL})
    (problem,) = raised.value.problems
    assert describe_problem(translator("bg"), problem) == (
        f"„Уебсайт“: „{EVIL}“ съдържа ) [ ] ( – знаци, които обикновеният уеб адрес няма "
        "(копирайте го от адресната лента на браузъра)."
    )
    assert describe_problem(translator("en"), problem) == (
        f"“Website”: “{EVIL}” contains ) [ ] (, which a plain web address does not "
        "(copy it from the browser's address bar)."
    )


def test_a_too_long_address_is_refused(engine: Engine, writer: Engine) -> None:
    with pytest.raises(InvalidInput) as raised:
        create_partner(
            engine=writer, actor=EDITOR, data={"name": "Ларго", "kind": "ngo", "website": "https://a.bg/" + "x" * 300}
        )
    assert [(p.field, p.code) for p in raised.value.problems] == [("website", "too_long")]


def test_the_form_refuses_the_address_and_says_why(engine: Engine) -> None:
    add_user(engine=engine, actor=COMMAND_LINE, login="maria", password=PASSWORD, role="editor")
    app = sign_in(open_app(page="pages/data.py"), "maria")
    before = record_counts(engine)
    next(i for i in app.text_input if i.label == "Име *").input("Ларго")
    next(i for i in app.text_input if i.label == "Уебсайт").input(EVIL)
    next(b for b in app.button if b.label == "Запази").click().run()
    (error,) = app.error
    assert md(f"„Уебсайт“: „{EVIL}“ съдържа ) [ ] (") in error.value
    assert record_counts(engine) == before
    tally.inputs(1)


def test_an_import_with_such_addresses_is_refused_and_writes_nothing(engine: Engine, writer: Engine) -> None:
    rows = "".join(f"Ларго {n};НПО;{address}\r\n" for n, (address, _) in enumerate(REFUSED))
    data = ("Име;Вид;Уебсайт\r\n" + rows).encode("utf-8-sig")
    result = import_partners(engine=writer, actor=EDITOR, data=data, filename="partners.csv")
    assert [(p.row, p.field, p.code) for p in result.problems] == [
        (n + 2, "website", code) for n, (_, code) in enumerate(REFUSED)
    ]
    assert stored_partners(engine) == []
    tally.inputs(len(REFUSED))


def test_the_reports_link_only_plain_addresses(engine: Engine) -> None:
    """Word and PDF make an activity's news link clickable: a link stored before the check is left out."""
    import io
    import zipfile
    from datetime import date

    import reports
    from charts.registry import direct
    from content.gather import gather_report
    from db.filters import ActivityFilters
    from tests.factories import add_activity, add_partner

    partner = add_partner(engine, slug="largo", name="Сдружение „Ларго“", short_name="Ларго")
    for day, link in enumerate([EVIL, "javascript:alert(1)", "https://school.example.bg/news/1"], start=1):
        add_activity(engine, title=f"Среща {day}", type="meeting", start=date(2024, 4, day), news_url=link,
                     partners=((partner, "organizer"),))  # fmt: skip
    report = gather_report(direct(engine), ActivityFilters(2023), today=date(2024, 6, 1))
    assert [row.link for row in report.activities] == ["", "", "https://school.example.bg/news/1"]
    files = reports.generate_many(engine, school_year=2023, formats=("docx", "pdf"), today=date(2024, 6, 1))
    with zipfile.ZipFile(io.BytesIO(files["docx"])) as docx:
        targets = docx.read("word/_rels/document.xml.rels").decode()
    assert "school.example.bg/news/1" in targets and "javascript" not in targets and "ok.example" not in targets
    assert b"/URI (https://school.example.bg/news/1)" in files["pdf"] and b"javascript" not in files["pdf"]
    tally.inputs(2)
