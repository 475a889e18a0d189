"""The schema is built by versioned migrations: from nothing, again as a no-op, and from an older version with data."""

from datetime import date

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, select, text

from db import migrate, rollups
from db.engine import get_engine
from db.models import ActivityType, Base, FocusArea, PartnerKind
from db.search import in_the_models
from tests.factories import add_activity, add_partner


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
        assert connection.scalar(text(_NAME_OF), {"v": "partner_kinds", "code": "ngo", "lang": "bg"}) == "НПО (наше)"
    assert _counts(engine)["partner_kinds"] == 8


_NAME_OF = "SELECT name FROM vocabulary_names WHERE vocabulary = :v AND code = :code AND lang = :lang"


def test_upgrading_to_the_names_table_keeps_every_name_the_school_changed(database_url: str) -> None:
    engine = get_engine(database_url)
    migrate.upgrade(engine, "0002")
    _fill_as_at_0002(engine, activities=3)
    migrate.upgrade(engine, "0004")
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE activity_types SET name_bg = 'беседа', name_en = 'talk' WHERE code = 'meeting'")
        )
        connection.execute(text("UPDATE focus_areas SET name_en = 'parents' WHERE code = 'parents'"))
        before = {
            (vocabulary, code, lang): name
            for vocabulary in ("partner_kinds", "activity_types", "focus_areas")
            for code, name_bg, name_en in connection.execute(text(f"SELECT code, name_bg, name_en FROM {vocabulary}"))
            for lang, name in (("bg", name_bg), ("en", name_en))
        }

    migrate.upgrade(engine)

    with engine.connect() as connection:
        after = {
            (vocabulary, code, lang): name
            for vocabulary, code, lang, name in connection.execute(
                text("SELECT vocabulary, code, lang, name FROM vocabulary_names")
            )
        }
        assert after == before
        assert len(after) == 2 * (9 + 8 + 11)
        assert after[("activity_types", "meeting", "bg")] == "беседа"
        assert after[("focus_areas", "parents", "en")] == "parents"
        assert {c["name"] for c in inspect(connection).get_columns("activity_types")} == {"id", "code", "sort_order"}
    assert _count(engine, "activity_organizations") == 6


def test_downgrading_puts_the_names_back_into_their_columns(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE vocabulary_names SET name = 'беседа' WHERE code = 'meeting' AND lang = 'bg'"))
        # A name in a language the columns never had is lost; a term missing a name gets its code.
        connection.execute(text("INSERT INTO vocabulary_names VALUES ('activity_types', 'meeting', 'de', 'Treffen')"))
        connection.execute(text("DELETE FROM vocabulary_names WHERE code = 'donation' AND lang = 'en'"))
    largo = add_partner(engine, slug="largo", name="Ларго", short_name="Ларго", focus=("parents",))
    add_activity(engine, title="Среща", type="meeting", start=date(2024, 1, 10), partners=((largo, "partner"),))

    migrate.downgrade(engine, "0004")

    assert migrate.current_revision(engine) == "0004"
    assert "vocabulary_names" not in inspect(engine).get_table_names()
    with engine.connect() as connection:
        names = dict(connection.execute(text("SELECT code, name_bg || ' / ' || name_en FROM activity_types")).all())
    assert names["meeting"] == "беседа / meeting"
    assert names["donation"] == "дарение / donation"
    assert len(names) == 9
    assert (_count(engine, "activity_organizations"), _count(engine, "organization_focus_areas")) == (1, 1)

    migrate.upgrade(engine)
    with engine.connect() as connection:
        assert connection.scalar(text(_NAME_OF), {"v": "activity_types", "code": "meeting", "lang": "bg"}) == "беседа"


def test_the_migrations_build_exactly_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": in_the_models})
        differences = compare_metadata(context, Base.metadata)
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


def _rollup_storage(engine: Engine) -> dict[str, object]:
    """Each rollup's storage (WITHOUT ROWID or not) and the names of the triggers that keep them."""
    with engine.connect() as connection:
        tables = dict(
            connection.execute(
                text("SELECT name, sql FROM sqlite_master WHERE name IN ('activity_rollup', 'partner_rollup')")
            ).all()
        )
        triggers = connection.scalars(
            text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%_rollup%'"
                " AND name NOT LIKE 'school_rollup_%' ORDER BY name"  # 0011's, gone below 0011
            )
        ).all()
    return {name: sql.rstrip().upper().endswith("WITHOUT ROWID") for name, sql in tables.items()} | {
        "triggers": triggers
    }


def test_the_rollups_are_stored_in_their_keys_order_and_keep_their_triggers(engine: Engine) -> None:
    """Revision 0010: WITHOUT ROWID on SQLite, there and back, every trigger of 0008 still in place and
    still counting (the rollups stay exact after writes on either side)."""
    after = _rollup_storage(engine)
    assert after["activity_rollup"] is True and after["partner_rollup"] is True
    assert len(after["triggers"]) >= 6  # type: ignore[arg-type]
    largo = add_partner(engine, slug="largo", name="Ларго", short_name="Ларго")

    migrate.downgrade(engine, "0009")
    before = _rollup_storage(engine)
    assert before == after | {"activity_rollup": False, "partner_rollup": False}
    with engine.begin() as connection:  # written as 0009's schema has it (no school yet)
        meeting = connection.scalar(text("SELECT id FROM activity_types WHERE code = 'meeting'"))
        connection.execute(
            text(
                "INSERT INTO activities (id, title, title_key, type_id, status, start_date, school_year, location,"
                " description, news_url, is_demo, version, search_text)"
                " VALUES (77, 'Среща', 'среща', :type, 'held', '2024-01-10', 2023, '', '', '', 0, 1, 'среща')"
            ),
            {"type": meeting},
        )
        connection.execute(
            text("INSERT INTO activity_organizations (activity_id, organization_id, role) VALUES (77, :p, 'partner')"),
            {"p": largo},
        )

    migrate.upgrade(engine)  # the tables now bear the names a rename gave them
    assert _rollup_storage(engine) == after
    add_activity(engine, title="Беседа", type="meeting", start=date(2024, 2, 10), partners=((largo, "partner"),))
    with engine.connect() as connection:
        counted = connection.execute(
            text("SELECT sum(activities) FROM partner_rollup WHERE organization_id = :id"), {"id": largo}
        ).scalar()
    assert counted == 2
    assert list(rollups.differences(engine)) == []
