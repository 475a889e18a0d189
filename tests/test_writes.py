"""Changes to the record: each checked, all-or-nothing, audited, and refused to the wrong role."""

import json
import threading
from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from db import queries
from db.access import Actor, PermissionDenied
from db.models import Activity, ActivityOrganization, AuditEntry, Organization
from db.validation import InvalidInput
from db.writes import (
    HasActivities,
    StaleRecord,
    create_activity,
    create_partner,
    delete_partner,
    update_activity,
    update_partner,
)
from tests.factories import add_activity, add_partner

EDITOR = Actor("maria", "editor")
VIEWER = Actor("guest", "viewer")

PARTNER = {
    "name": "Сдружение „Ларго“",
    "short_name": "Ларго",
    "kind": "association",
    "city": "Кюстендил",
    "website": "https://largo.example.org",
    "email": "office@largo.example.org",
    "mission": "Общностни центрове.",
    "focus_areas": ["community"],
    "partner_since": date(2012, 9, 15),
}


def table_counts(engine: Engine) -> tuple[int, int, int, int]:
    with engine.connect() as connection:
        return tuple(  # type: ignore[return-value]
            connection.scalar(select(func.count()).select_from(model)) or 0
            for model in (Organization, Activity, ActivityOrganization, AuditEntry)
        )


def test_an_editor_adds_a_partner_and_it_is_audited(engine: Engine, writer: Engine) -> None:
    partner_id = create_partner(engine=writer, actor=EDITOR, data=PARTNER)
    profile = queries.partner_profile(engine, "largo")
    assert profile is not None and profile["id"] == partner_id
    assert (profile["name"], profile["kind_code"], profile["focus_codes"], profile["partner_since"]) == (
        "Сдружение „Ларго“",
        "association",
        ["community"],
        date(2012, 9, 15),
    )
    with engine.connect() as connection:
        entry = connection.execute(select(AuditEntry)).one()
    assert (entry.actor, entry.action, entry.entity, entry.entity_id) == ("maria", "create", "partner", partner_id)
    assert json.loads(entry.after)["email"] == "office@largo.example.org"


def test_a_viewer_cannot_write_and_nothing_changes(engine: Engine, writer: Engine) -> None:
    before = table_counts(engine)
    with pytest.raises(PermissionDenied):
        create_partner(engine=writer, actor=VIEWER, data=PARTNER)
    assert table_counts(engine) == before


def test_every_problem_is_reported_at_once_and_nothing_is_written(engine: Engine, writer: Engine) -> None:
    before = table_counts(engine)
    bad = {**PARTNER, "name": "", "kind": "club", "website": "largo.org", "email": "office", "focus_areas": ["x"]}
    with pytest.raises(InvalidInput) as raised:
        create_partner(engine=writer, actor=EDITOR, data=bad)
    assert [(p.field, p.code) for p in raised.value.problems] == [
        ("name", "required"),
        ("kind", "unknown_choice"),
        ("website", "bad_link"),
        ("email", "bad_email"),
        ("focus_areas", "unknown_choice"),
    ]
    assert table_counts(engine) == before


@pytest.mark.parametrize("same_name", ["сдружение ларго", '  СДРУЖЕНИЕ   "Ларго" '])
def test_partner_names_are_unique_without_case_spaces_or_quotes(engine: Engine, writer: Engine, same_name: str) -> None:
    create_partner(engine=writer, actor=EDITOR, data=PARTNER)
    before = table_counts(engine)
    with pytest.raises(InvalidInput) as raised:
        create_partner(engine=writer, actor=EDITOR, data={**PARTNER, "name": same_name})
    assert [(p.field, p.code) for p in raised.value.problems] == [("name", "duplicate_partner")]
    assert table_counts(engine) == before


def test_the_second_of_two_editors_is_refused(engine: Engine, writer: Engine) -> None:
    partner_id = create_partner(engine=writer, actor=EDITOR, data=PARTNER)
    update_partner(
        engine=writer, actor=EDITOR, partner_id=partner_id, expected_version=1, data={**PARTNER, "city": "София"}
    )
    with pytest.raises(StaleRecord):
        update_partner(
            engine=writer, actor=Actor("ivan", "editor"), partner_id=partner_id, expected_version=1,
            data={**PARTNER, "city": "Пловдив"},
        )  # fmt: skip
    profile = queries.partner_profile(engine, "largo")
    assert profile is not None and profile["city"] == "София"


def test_a_partner_with_activities_is_not_deleted_without_saying_what_happens_to_them(
    engine: Engine, writer: Engine
) -> None:
    largo = add_partner(engine, slug="largo", name="Ларго", short_name="Ларго")
    adra = add_partner(engine, slug="adra", name="АДРА", short_name="АДРА")
    shared = add_activity(
        engine,
        title="Дарение",
        type="donation",
        start=date(2024, 1, 5),
        partners=((largo, "partner"), (adra, "funder")),
    )
    alone = add_activity(
        engine, title="Среща", type="meeting", start=date(2024, 2, 5), partners=((largo, "organizer"),)
    )
    before = table_counts(engine)
    with pytest.raises(HasActivities) as raised:
        delete_partner(engine=writer, actor=EDITOR, partner_id=largo, expected_version=1)
    assert raised.value.count == 2
    assert table_counts(engine) == before

    delete_partner(engine=writer, actor=EDITOR, partner_id=largo, expected_version=1, activities="unlink")

    with engine.connect() as connection:
        remaining = dict(connection.execute(select(Activity.id, Activity.title)).all())
        orphans = connection.scalar(select(func.count()).select_from(Activity).where(~Activity.links.any()))
    assert remaining == {shared: "Дарение"}  # the activity with only Ларго went with it
    assert alone not in remaining and orphans == 0


ACTIVITY = {
    "title": "Кръгла маса за Деня на ромите",
    "type": "round_table",
    "start_date": date(2024, 4, 8),
    "participants": 40,
    "pupils_reached": 12,
    "news_url": "https://school.example.bg/news/1",
}


@pytest.fixture
def partner_id(engine: Engine) -> int:
    return add_partner(engine, slug="ros", name="Ромски общностен съвет", short_name="РОС")


def test_an_activity_is_added_with_its_partners(engine: Engine, writer: Engine, partner_id: int) -> None:
    activity_id = create_activity(
        engine=writer,
        actor=EDITOR,
        data={**ACTIVITY, "organizations": [(partner_id, "organizer")]},
        today=date(2024, 5, 1),
    )
    detail = queries.activity_detail(engine, activity_id)
    assert detail is not None
    assert (detail["status"], detail["participants"], detail["organizations"][0]["role"]) == ("held", 40, "organizer")


@pytest.mark.parametrize(
    ("change", "problems"),
    [
        ({"title": " "}, [("title", "required")]),
        ({"start_date": None}, [("start_date", "required")]),
        ({"end_date": date(2024, 4, 1)}, [("end_date", "end_before_start")]),
        ({"participants": -3}, [("participants", "negative")]),
        ({"participants": "много"}, [("participants", "not_a_number")]),
        ({"pupils_reached": "2,5"}, [("pupils_reached", "not_a_whole_number")]),
        ({"news_url": "javascript:alert(1)"}, [("news_url", "bad_link")]),
        ({"type": "party"}, [("type", "unknown_choice")]),
        ({"organizations": []}, [("organizations", "required")]),
        ({"organizations": [(999, "partner")]}, [("organizations", "unknown_choice")]),
    ],
)
def test_a_bad_activity_is_refused_and_nothing_is_written(
    engine: Engine, writer: Engine, partner_id: int, change: dict[str, object], problems: list[tuple[str, str]]
) -> None:
    before = table_counts(engine)
    data = {**ACTIVITY, "organizations": [(partner_id, "organizer")], **change}
    with pytest.raises(InvalidInput) as raised:
        create_activity(engine=writer, actor=EDITOR, data=data)
    assert [(p.field, p.code) for p in raised.value.problems] == problems
    assert table_counts(engine) == before


def test_saving_the_same_activity_twice_keeps_one(engine: Engine, writer: Engine, partner_id: int) -> None:
    data = {**ACTIVITY, "organizations": [(partner_id, "organizer")]}
    create_activity(engine=writer, actor=EDITOR, data=data)
    with pytest.raises(InvalidInput) as raised:
        create_activity(engine=writer, actor=EDITOR, data={**data, "title": "кръгла маса за деня на ромите"})
    assert [p.code for p in raised.value.problems] == ["duplicate_activity"]
    assert table_counts(engine)[1] == 1


def test_an_update_moves_the_school_year_and_the_partners(engine: Engine, writer: Engine, partner_id: int) -> None:
    other = add_partner(engine, slug="adra", name="АДРА", short_name="АДРА")
    activity_id = create_activity(
        engine=writer, actor=EDITOR, data={**ACTIVITY, "organizations": [(partner_id, "organizer")]}
    )
    update_activity(
        engine=writer, actor=EDITOR, activity_id=activity_id, expected_version=1,
        data={**ACTIVITY, "start_date": date(2024, 10, 1), "organizations": [(other, "funder")]},
    )  # fmt: skip
    assert queries.school_years(engine) == [2024]
    detail = queries.activity_detail(engine, activity_id)
    assert detail is not None and [(o["slug"], o["role"]) for o in detail["organizations"]] == [("adra", "funder")]


def test_many_editors_saving_at_once_lose_nothing_and_duplicate_nothing(
    engine: Engine, writer: Engine, partner_id: int
) -> None:
    errors: list[BaseException] = []
    refused: list[str] = []

    def save(worker: int) -> None:
        for n in range(10):
            # Every worker also tries activity 0..4 that the others save too: each must exist once.
            title = f"Среща {n}" if n < 5 else f"Среща {worker}-{n}"
            data = {**ACTIVITY, "title": title, "type": "meeting", "organizations": [(partner_id, "partner")]}
            try:
                create_activity(engine=writer, actor=EDITOR, data=data)
            except InvalidInput:
                refused.append(title)
            except BaseException as error:  # noqa: BLE001 - the test reports any other failure
                errors.append(error)

    threads = [threading.Thread(target=save, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with engine.connect() as connection:
        titles = connection.scalars(select(Activity.title)).all()
    assert len(titles) == len(set(titles)) == 5 + 8 * 5
    assert len(refused) == 8 * 5 - 5
