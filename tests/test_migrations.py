"""The schema is built by versioned migrations: from nothing, again as a no-op, and from an older version with data."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, select, text

from db import migrate
from db.engine import get_engine
from db.models import ActivityType, Base, FocusArea, PartnerKind


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            model.__tablename__: connection.scalar(select(func.count()).select_from(model)) or 0
            for model in (ActivityType, PartnerKind, FocusArea)
        }


def test_an_empty_database_is_upgraded_to_the_newest_revision(database_url: str) -> None:
    engine = get_engine(database_url)
    assert migrate.current_revision(engine) is None

    migrate.upgrade(engine)

    assert migrate.current_revision(engine) == migrate.head_revision()
    assert {"organizations", "activities", "activity_organizations", "organization_focus_areas"} <= set(
        inspect(engine).get_table_names()
    )
    assert _counts(engine) == {"activity_types": 9, "partner_kinds": 8, "focus_areas": 11}


def test_upgrading_again_changes_nothing(engine: Engine) -> None:
    before = _counts(engine)
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert _counts(engine) == before


def test_an_older_database_keeps_its_records_and_its_own_vocabulary(database_url: str) -> None:
    engine = get_engine(database_url)
    migrate.upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO partner_kinds (code, name_bg, name_en, sort_order) VALUES ('ngo', 'НПО (наше)', 'NGO', 1)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO organizations (slug, name, name_key, short_name, kind_id, mission, city, website, email,"
                " phone, contact_person, is_active, is_demo, search_text, version)"
                " VALUES ('largo', 'Сдружение „Ларго“', 'сдружение ларго', 'Ларго', 1, '', 'Кюстендил', '', '', '',"
                " '', 1, 0, 'сдружение ларго', 1)"
            )
        )

    migrate.upgrade(engine)

    with engine.connect() as connection:
        assert connection.execute(text("SELECT slug, city FROM organizations")).all() == [("largo", "Кюстендил")]
        assert connection.scalar(text("SELECT name_bg FROM partner_kinds WHERE code = 'ngo'")) == "НПО (наше)"
    assert _counts(engine)["partner_kinds"] == 8


def test_the_migrations_build_exactly_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(engine: Engine) -> None:
    with engine.connect() as connection:
        assert connection.scalar(text("PRAGMA foreign_keys")) == 1
        assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
        assert connection.scalar(text("PRAGMA busy_timeout")) == 15000


def test_upgrading_a_database_full_of_records_keeps_every_link(database_url: str) -> None:
    """Rebuilding a table on SQLite (batch mode) must not cascade into the links that point at it."""
    engine = get_engine(database_url)
    migrate.upgrade(engine, "0002")
    _fill_as_at_0002(engine, activities=60)
    assert _count(engine, "activity_organizations") == 120

    migrate.upgrade(engine)

    assert _count(engine, "activity_organizations") == 120
    assert _count(engine, "activities") == 60
    with engine.connect() as connection:
        keys = connection.execute(text("SELECT title_key FROM activities WHERE id IN (1, 2) ORDER BY id")).scalars()
        # Two old records with the same title and day are both kept, told apart under the new natural key.
        assert list(keys) == ["среща", "среща #2"]


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(text(f"SELECT count(*) FROM {table}")) or 0)


def _fill_as_at_0002(engine: Engine, *, activities: int) -> None:
    """Partners, activities and links written with plain SQL, as the app at revision 0002 stored them."""
    with engine.begin() as connection:
        kind = connection.scalar(text("SELECT id FROM partner_kinds WHERE code = 'ngo'"))
        meeting = connection.scalar(text("SELECT id FROM activity_types WHERE code = 'meeting'"))
        for number in (1, 2):
            connection.execute(
                text(
                    "INSERT INTO organizations (id, slug, name, name_key, short_name, kind_id, mission, city, website,"
                    " email, phone, contact_person, is_active, is_demo, search_text, version)"
                    " VALUES (:id, :slug, :name, :key, :name, :kind, '', '', '', '', '', '', 1, 0, :key, 1)"
                ),
                {
                    "id": number,
                    "slug": f"p{number}",
                    "name": f"Партньор {number}",
                    "key": f"партньор {number}",
                    "kind": kind,
                },
            )
        for number in range(1, activities + 1):
            connection.execute(
                text(
                    "INSERT INTO activities (id, title, type_id, status, start_date, school_year, location,"
                    " description, news_url, is_demo, version)"
                    " VALUES (:id, :title, :type, 'held', '2024-01-10', 2023, '', '', '', 0, 1)"
                ),
                {"id": number, "title": "Среща" if number <= 2 else f"Среща {number}", "type": meeting},
            )
            for partner in (1, 2):
                connection.execute(
                    text(
                        "INSERT INTO activity_organizations (activity_id, organization_id, role)"
                        " VALUES (:a, :p, 'partner')"
                    ),
                    {"a": number, "p": partner},
                )
