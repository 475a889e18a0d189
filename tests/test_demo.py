"""The demo data: the school's own page kept as it is, an invented history marked as such."""

from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from db.demo import PARTNERS, DatabaseNotEmpty, load_demo
from db.models import Activity, ActivityOrganization, ActivityType, Organization
from db.queries import activity_detail, partner_profile, record_counts, school_years
from tests.helpers import DEMO_TODAY

PAGE_PARTNERS = {"ros-iztok", "largo", "amalipe", "tsoiduem", "nevo-drom", "adra"}


def test_every_partner_on_the_schools_page_is_there_and_not_marked_demo(demo_engine: Engine) -> None:
    with demo_engine.connect() as connection:
        rows = dict(connection.execute(select(Organization.slug, Organization.is_demo)).all())
    assert {slug for slug, is_demo in rows.items() if not is_demo} == PAGE_PARTNERS
    assert {slug for slug, is_demo in rows.items() if is_demo} == {"obshtina-kyustendil", "ruo-kyustendil"}


def test_the_round_table_of_8_april_2014_is_the_pages_fact(demo_engine: Engine) -> None:
    with demo_engine.connect() as connection:
        ids = connection.scalars(
            select(Activity.id)
            .join(ActivityType)
            .where(Activity.start_date == date(2014, 4, 8), ActivityType.code == "round_table")
        ).all()
    assert len(ids) == 1
    detail = activity_detail(demo_engine, ids[0])
    assert detail is not None
    assert detail["is_demo"] is False
    assert detail["title"] == (
        "Кръгла маса „Предизвикателства и възможности пред реализирането на програмите за равноправно "
        "интегриране на ромите в местните общности“"
    )
    assert detail["location"] == "Кюстендил"
    assert detail["organizations"] == [
        {
            "slug": "ros-iztok",
            "name": "Ромски общностен съвет, кв. „Изток“ – Кюстендил",
            "short_name": "РОС „Изток“",
            "role": "organizer",
        }
    ]


def test_the_missions_keep_the_pages_facts(demo_engine: Engine) -> None:
    tsoiduem = partner_profile(demo_engine, "tsoiduem")
    assert tsoiduem is not None
    assert "Постановление № 4 на Министерския съвет от 11 януари 2005 г." in tsoiduem["mission"]
    assert tsoiduem["kind_code"] == "public_institution"
    nevo_drom = partner_profile(demo_engine, "nevo-drom")
    assert nevo_drom is not None
    assert nevo_drom["mission"].endswith(
        "независимост; образование; съхраняване на традиции и култура; знание на ромски език."
    )
    adra = partner_profile(demo_engine, "adra")
    assert adra is not None
    assert adra["kind_code"] == "foundation"
    assert "хуманитарна помощ при бедствия и аварии" in adra["mission"]


def test_every_invented_activity_is_marked_demo(demo_engine: Engine) -> None:
    with demo_engine.connect() as connection:
        real = connection.scalars(select(Activity.title).where(Activity.is_demo.is_(False))).all()
        invented = connection.scalar(select(func.count()).where(Activity.is_demo.is_(True)))
    assert len(real) == 1 and real[0].startswith("Кръгла маса „Предизвикателства")
    assert invented and invented > 100


def test_every_school_year_has_a_history_and_roma_day(demo_engine: Engine) -> None:
    assert school_years(demo_engine) == list(range(2026, 2012, -1))
    with demo_engine.connect() as connection:
        roma_days = set(
            connection.scalars(
                select(Activity.start_date).where(func.strftime("%m-%d", Activity.start_date) == "04-08")
            )
        )
    assert {d.year for d in roma_days} == set(range(2014, 2028))


def test_activities_before_today_are_held_or_cancelled_and_later_ones_planned(demo_engine: Engine) -> None:
    with demo_engine.connect() as connection:
        rows = connection.execute(select(Activity.start_date, Activity.status, Activity.participants)).all()
    assert {status for day, status, _ in rows if day >= DEMO_TODAY} == {"planned"}
    assert {status for day, status, _ in rows if day < DEMO_TODAY} == {"held", "cancelled"}
    assert all(participants is None for day, _, participants in rows if day >= DEMO_TODAY)


def test_every_activity_has_a_partner(demo_engine: Engine) -> None:
    with demo_engine.connect() as connection:
        orphans = connection.scalar(
            select(func.count())
            .select_from(Activity)
            .where(~Activity.links.any(ActivityOrganization.role.is_not(None)))
        )
    assert orphans == 0


def test_the_demo_refuses_a_database_with_records_and_leaves_it_as_it_was(demo_engine: Engine) -> None:
    before = record_counts(demo_engine)
    with pytest.raises(DatabaseNotEmpty):
        load_demo(demo_engine, today=DEMO_TODAY)
    assert record_counts(demo_engine) == before


def test_replace_starts_again_from_the_same_demo(demo_engine: Engine) -> None:
    before = record_counts(demo_engine)
    load_demo(demo_engine, today=DEMO_TODAY, replace=True)
    assert record_counts(demo_engine) == before == {"partners": len(PARTNERS), "activities": before["activities"]}
