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
