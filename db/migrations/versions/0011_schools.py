"""Schools: every activity belongs to one, accounts may hold a role in one, and two rollups count per school.

A network (Amalipe's programmes, a municipality, the national centre) is many schools sharing one
directory of partners. The school the record was made for becomes the first school, and every
activity on record is its; with one school nothing of the network shows, so an upgraded install looks
as it did.

- `activities.school_id` (required), and the natural key gains it: two schools may each hold their
  „Ден на ромите“ on 8 April. `ix_activities_school_year` finds one school's activities by year.
- `users.school_id`: None, the role holds across the network (every account on record, as before);
  a school's, it holds in that school only. `audit_log.school_id`: the school of the changed record.
- `school_rollup` (the per-period counts of `activity_rollup`, per school) and `school_partner_rollup`
  (which schools work with which partner, per status and year), kept exact by triggers written like
  those of 0008, in triggers of their own beside them.

On SQLite the activities table is rebuilt (batch mode) to add a required column with its foreign key;
the triggers that name it (0008's rollups and revision, 0009's search index) are dropped first and made
again exactly as they were, as in 0010. About a minute at a million activities.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

SEED_SCHOOL = {
    "id": 1,
    "slug": "ou-ivan-vazov-kyustendil",
    # As the school writes itself on its own page (and as the app's masthead named it before).
    "name": "ОУ „Иван Вазов“ – Кюстендил",
    "name_key": "оу иван вазов – кюстендил",
    "short_name": "ОУ „Иван Вазов“",
    "kind": "basic",
    "city": "Кюстендил",
    "municipality": "Кюстендил",
    "region": "BG-10",
    "website": "",
    "is_demo": False,
}

_KINDS = "'primary', 'basic', 'united', 'secondary', 'profiled', 'vocational', 'kindergarten', 'other'"

# ---- SQLite ------------------------------------------------------------------------------------

_SCHOOL_ADD = """
INSERT INTO school_rollup (status, school_id, school_year, type_id, month, activities, participants, pupils)
VALUES ({r}.status, {r}.school_id, {r}.school_year, {r}.type_id, substr({r}.start_date, 1, 7), 1,
        coalesce({r}.participants, 0), coalesce({r}.pupils_reached, 0))
ON CONFLICT (status, school_id, school_year, type_id, month) DO UPDATE SET
    activities = activities + 1,
    participants = participants + excluded.participants,
    pupils = pupils + excluded.pupils;
"""

_SCHOOL_REMOVE = """
UPDATE school_rollup SET
    activities = activities - 1,
    participants = participants - coalesce({r}.participants, 0),
    pupils = pupils - coalesce({r}.pupils_reached, 0)
WHERE status = {r}.status AND school_id = {r}.school_id AND school_year = {r}.school_year
  AND type_id = {r}.type_id AND month = substr({r}.start_date, 1, 7);
DELETE FROM school_rollup
WHERE status = {r}.status AND school_id = {r}.school_id AND school_year = {r}.school_year
  AND type_id = {r}.type_id AND month = substr({r}.start_date, 1, 7) AND activities = 0;
"""

# {source} ends with a WHERE, which SQLite needs before ON CONFLICT (https://sqlite.org/lang_upsert.html).
_LINK_ADD = """
INSERT INTO school_partner_rollup (status, school_id, organization_id, school_year, activities, participants, pupils)
SELECT {a}.status, {a}.school_id, {organization}, {a}.school_year, 1,
       coalesce({a}.participants, 0), coalesce({a}.pupils_reached, 0)
FROM {source}
ON CONFLICT (status, school_id, organization_id, school_year) DO UPDATE SET
    activities = activities + 1,
    participants = participants + excluded.participants,
    pupils = pupils + excluded.pupils;
"""

_LINK_REMOVE = """
UPDATE school_partner_rollup SET
    activities = activities - 1,
    participants = participants - {participants},
    pupils = pupils - {pupils}
WHERE organization_id {partners} AND (status, school_id, school_year) = ({group});
DELETE FROM school_partner_rollup
WHERE organization_id {partners} AND (status, school_id, school_year) = ({group}) AND activities = 0;
"""

_WATCHED_COLUMNS = "status, school_id, school_year, type_id, start_date, participants, pupils_reached"
_CHANGED = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _WATCHED_COLUMNS.split(", "))


def _links_removed_for_activity(r: str) -> str:
    return _LINK_REMOVE.format(
        participants=f"coalesce({r}.participants, 0)",
        pupils=f"coalesce({r}.pupils_reached, 0)",
        partners=f"IN (SELECT organization_id FROM activity_organizations WHERE activity_id = {r}.id)",
        group=f"{r}.status, {r}.school_id, {r}.school_year",
    )


def _link_removed(r: str) -> str:
    activity = f"FROM activities WHERE id = {r}.activity_id"
    return _LINK_REMOVE.format(
        participants=f"(SELECT coalesce(participants, 0) {activity})",
        pupils=f"(SELECT coalesce(pupils_reached, 0) {activity})",
        partners=f"= {r}.organization_id",
        group=f"SELECT status, school_id, school_year {activity}",
    )


def _sqlite_triggers() -> dict[str, str]:
    links_of_new = "activity_organizations AS l WHERE l.activity_id = NEW.id"
    activity_of_new = "activities AS a WHERE a.id = NEW.activity_id"
    return {
        "school_rollup_activity_inserted": f"""
CREATE TRIGGER school_rollup_activity_inserted AFTER INSERT ON activities BEGIN
{_SCHOOL_ADD.format(r="NEW")}
{_LINK_ADD.format(a="NEW", organization="l.organization_id", source=links_of_new)}
END""",
        "school_rollup_activity_updated": f"""
CREATE TRIGGER school_rollup_activity_updated AFTER UPDATE OF {_WATCHED_COLUMNS} ON activities
WHEN {_CHANGED} BEGIN
{_SCHOOL_REMOVE.format(r="OLD")}
{_SCHOOL_ADD.format(r="NEW")}
{_links_removed_for_activity("OLD")}
{_LINK_ADD.format(a="NEW", organization="l.organization_id", source=links_of_new)}
END""",
        # The links are gone already: 0008's BEFORE DELETE trigger deletes them, and each took its share.
        "school_rollup_activity_deleted": f"""
CREATE TRIGGER school_rollup_activity_deleted AFTER DELETE ON activities BEGIN
{_SCHOOL_REMOVE.format(r="OLD")}
END""",
        "school_rollup_link_inserted": f"""
CREATE TRIGGER school_rollup_link_inserted AFTER INSERT ON activity_organizations BEGIN
{_LINK_ADD.format(a="a", organization="NEW.organization_id", source=activity_of_new)}
END""",
        "school_rollup_link_updated": f"""
CREATE TRIGGER school_rollup_link_updated AFTER UPDATE OF activity_id, organization_id ON activity_organizations
WHEN OLD.activity_id IS NOT NEW.activity_id OR OLD.organization_id IS NOT NEW.organization_id BEGIN
{_link_removed("OLD")}
{_LINK_ADD.format(a="a", organization="NEW.organization_id", source=activity_of_new)}
END""",
        "school_rollup_link_deleted": f"""
CREATE TRIGGER school_rollup_link_deleted AFTER DELETE ON activity_organizations BEGIN
{_link_removed("OLD")}
END""",
    } | {
        f"data_revision_schools_{event.lower()}": f"""
CREATE TRIGGER data_revision_schools_{event.lower()} AFTER {event} ON schools BEGIN
UPDATE data_revision SET revision = random();
END"""
        for event in ("INSERT", "UPDATE", "DELETE")
    }


# ---- PostgreSQL --------------------------------------------------------------------------------

_POSTGRESQL_FUNCTIONS = {
    "school_rollup_activity_changed": """
CREATE OR REPLACE FUNCTION school_rollup_activity_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE school_rollup SET
            activities = activities - 1,
            participants = participants - coalesce(OLD.participants, 0),
            pupils = pupils - coalesce(OLD.pupils_reached, 0)
        WHERE status = OLD.status AND school_id = OLD.school_id AND school_year = OLD.school_year
          AND type_id = OLD.type_id AND month = to_char(OLD.start_date, 'YYYY-MM');
        DELETE FROM school_rollup
        WHERE status = OLD.status AND school_id = OLD.school_id AND school_year = OLD.school_year
          AND type_id = OLD.type_id AND month = to_char(OLD.start_date, 'YYYY-MM') AND activities = 0;
        -- On DELETE the links are gone already (0008's BEFORE DELETE trigger), each having taken its share.
        UPDATE school_partner_rollup SET
            activities = activities - 1,
            participants = participants - coalesce(OLD.participants, 0),
            pupils = pupils - coalesce(OLD.pupils_reached, 0)
        WHERE status = OLD.status AND school_id = OLD.school_id AND school_year = OLD.school_year
          AND organization_id IN (SELECT organization_id FROM activity_organizations WHERE activity_id = OLD.id);
        DELETE FROM school_partner_rollup
        WHERE status = OLD.status AND school_id = OLD.school_id AND school_year = OLD.school_year
          AND organization_id IN (SELECT organization_id FROM activity_organizations WHERE activity_id = OLD.id)
          AND activities = 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO school_rollup AS r
            (status, school_id, school_year, type_id, month, activities, participants, pupils)
        VALUES (NEW.status, NEW.school_id, NEW.school_year, NEW.type_id, to_char(NEW.start_date, 'YYYY-MM'), 1,
                coalesce(NEW.participants, 0), coalesce(NEW.pupils_reached, 0))
        ON CONFLICT (status, school_id, school_year, type_id, month) DO UPDATE SET
            activities = r.activities + 1,
            participants = r.participants + excluded.participants,
            pupils = r.pupils + excluded.pupils;
        INSERT INTO school_partner_rollup AS r
            (status, school_id, organization_id, school_year, activities, participants, pupils)
        SELECT NEW.status, NEW.school_id, l.organization_id, NEW.school_year, 1,
               coalesce(NEW.participants, 0), coalesce(NEW.pupils_reached, 0)
        FROM activity_organizations AS l WHERE l.activity_id = NEW.id
        ON CONFLICT (status, school_id, organization_id, school_year) DO UPDATE SET
            activities = r.activities + 1,
            participants = r.participants + excluded.participants,
            pupils = r.pupils + excluded.pupils;
    END IF;
    RETURN NULL;
END
$$""",
    "school_rollup_link_changed": """
CREATE OR REPLACE FUNCTION school_rollup_link_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE school_partner_rollup AS r SET
            activities = r.activities - 1,
            participants = r.participants - coalesce(a.participants, 0),
            pupils = r.pupils - coalesce(a.pupils_reached, 0)
        FROM activities AS a
        WHERE a.id = OLD.activity_id AND r.organization_id = OLD.organization_id
          AND r.status = a.status AND r.school_id = a.school_id AND r.school_year = a.school_year;
        DELETE FROM school_partner_rollup AS r USING activities AS a
        WHERE a.id = OLD.activity_id AND r.organization_id = OLD.organization_id
          AND r.status = a.status AND r.school_id = a.school_id AND r.school_year = a.school_year
          AND r.activities = 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO school_partner_rollup AS r
            (status, school_id, organization_id, school_year, activities, participants, pupils)
        SELECT a.status, a.school_id, NEW.organization_id, a.school_year, 1,
               coalesce(a.participants, 0), coalesce(a.pupils_reached, 0)
        FROM activities AS a WHERE a.id = NEW.activity_id
        ON CONFLICT (status, school_id, organization_id, school_year) DO UPDATE SET
            activities = r.activities + 1,
            participants = r.participants + excluded.participants,
            pupils = r.pupils + excluded.pupils;
    END IF;
    RETURN NULL;
END
$$""",
}

_POSTGRESQL_CHANGED = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in _WATCHED_COLUMNS.split(", "))

_POSTGRESQL_TRIGGERS = {
    "school_rollup_activity_inserted": "AFTER INSERT ON activities FOR EACH ROW "
    "EXECUTE FUNCTION school_rollup_activity_changed()",
    "school_rollup_activity_updated": f"AFTER UPDATE ON activities FOR EACH ROW WHEN ({_POSTGRESQL_CHANGED}) "
    "EXECUTE FUNCTION school_rollup_activity_changed()",
    "school_rollup_activity_deleted": "AFTER DELETE ON activities FOR EACH ROW "
    "EXECUTE FUNCTION school_rollup_activity_changed()",
    "school_rollup_link_changed": "AFTER INSERT OR DELETE OR UPDATE OF activity_id, organization_id "
    "ON activity_organizations FOR EACH ROW EXECUTE FUNCTION school_rollup_link_changed()",
    "data_revision_schools": "AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON schools "
    "FOR EACH STATEMENT EXECUTE FUNCTION data_revision_bump()",
}


def _sqlite_triggers_naming(table: str) -> list[tuple[str, str]]:
    """The triggers whose text names `table` (those on it, and those on other tables that read it)."""
    rows = op.get_bind().exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE ? ORDER BY name", (f"%{table}%",)
    )
    return [(name, sql) for name, sql in rows]


def _statistics_again() -> None:
    """The planner's statistics of the rebuilt activities, where the file kept statistics (`ANALYZE` ran on it).

    A rebuilt table loses its rows in `sqlite_stat1`; without them SQLite reads a partner's newest
    activities through the status index and sorts them (0.59 s at a million activities) instead of
    walking the date index (0.04 s). A file that never had statistics is left as it was.
    """
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
    ).first():
        op.execute("ANALYZE activities")


def _rollup_tables() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "school_rollup",
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("activities", sa.Integer(), nullable=False),
        sa.Column("participants", sa.BigInteger(), nullable=False),
        sa.Column("pupils", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("status", "school_id", "school_year", "type_id", "month", name="pk_school_rollup"),
        sqlite_with_rowid=not sqlite,
    )
    op.create_table(
        "school_partner_rollup",
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("activities", sa.Integer(), nullable=False),
        sa.Column("participants", sa.BigInteger(), nullable=False),
        sa.Column("pupils", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "status", "school_id", "organization_id", "school_year", name="pk_school_partner_rollup"
        ),
        sqlite_with_rowid=not sqlite,
    )
    op.create_index("ix_school_partner_rollup_partner", "school_partner_rollup", ["organization_id", "school_id"])


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    schools = op.create_table(
        "schools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(80), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("name_key", sa.String(300), nullable=False),
        sa.Column("short_name", sa.String(60), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("city", sa.String(120), nullable=False),
        sa.Column("municipality", sa.String(120), nullable=False),
        sa.Column("region", sa.String(5), nullable=False),
        sa.Column("website", sa.String(300), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
        sa.CheckConstraint(f"kind IN ({_KINDS})", name="ck_schools_kind"),
        sa.CheckConstraint("latitude IS NULL OR (latitude BETWEEN -90 AND 90)", name="ck_schools_latitude"),
        sa.CheckConstraint("longitude IS NULL OR (longitude BETWEEN -180 AND 180)", name="ck_schools_longitude"),
        sa.PrimaryKeyConstraint("id", name="pk_schools"),
        sa.UniqueConstraint("slug", name="uq_schools_slug"),
        sa.UniqueConstraint("name_key", name="uq_schools_name_key"),
    )
    op.create_index("ix_schools_region", "schools", ["region"])
    op.bulk_insert(schools, [SEED_SCHOOL])
    if not sqlite:
        # The seed school was given its id by hand: the sequence goes on after it.
        op.execute("SELECT setval(pg_get_serial_sequence('schools', 'id'), (SELECT max(id) FROM schools))")

    saved = _sqlite_triggers_naming("activities") if sqlite else []
    for name, _sql in saved:
        op.execute(f'DROP TRIGGER "{name}"')
    with op.batch_alter_table("activities") as batch:
        batch.add_column(sa.Column("school_id", sa.Integer(), nullable=True))
    op.execute("UPDATE activities SET school_id = 1")
    with op.batch_alter_table("activities") as batch:
        batch.alter_column("school_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key("fk_activities_school_id_schools", "schools", ["school_id"], ["id"], ondelete="RESTRICT")
        batch.drop_index("uq_activities_natural_key")
        batch.create_index(
            "uq_activities_natural_key", ["school_id", "start_date", "type_id", "title_key"], unique=True
        )
        batch.create_index("ix_activities_school_year", ["school_id", "school_year", "start_date"])
    for _name, sql in saved:
        op.execute(sql)
    _statistics_again()

    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("school_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_users_school_id_schools", "schools", ["school_id"], ["id"], ondelete="RESTRICT")
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("school_id", sa.Integer(), nullable=True))
    op.execute("UPDATE audit_log SET school_id = 1 WHERE entity = 'activity'")

    _rollup_tables()
    if sqlite:
        for body in _sqlite_triggers().values():
            op.execute(body)
    else:
        for body in _POSTGRESQL_FUNCTIONS.values():
            op.execute(body)
        for name, definition in _POSTGRESQL_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {definition}")
    from db.rollups import fill

    fill(bind, ("school_rollup", "school_partner_rollup"))


def downgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        for name in _sqlite_triggers():
            op.execute(f"DROP TRIGGER {name}")
    else:
        for name, definition in _POSTGRESQL_TRIGGERS.items():
            table = definition.split(" ON ")[1].split()[0]
            op.execute(f"DROP TRIGGER {name} ON {table}")
        for name in reversed(list(_POSTGRESQL_FUNCTIONS)):
            op.execute(f"DROP FUNCTION {name}")
    op.drop_index("ix_school_partner_rollup_partner", "school_partner_rollup")
    op.drop_table("school_partner_rollup")
    op.drop_table("school_rollup")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("school_id")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("fk_users_school_id_schools", type_="foreignkey")
        batch.drop_column("school_id")
    # The activities of other schools than the first would break the old natural key: only the first's stay.
    op.execute("DELETE FROM activities WHERE school_id <> (SELECT min(id) FROM schools)")
    saved = _sqlite_triggers_naming("activities") if sqlite else []
    for name, _sql in saved:
        op.execute(f'DROP TRIGGER "{name}"')
    with op.batch_alter_table("activities") as batch:
        batch.drop_index("ix_activities_school_year")
        batch.drop_index("uq_activities_natural_key")
        batch.create_index("uq_activities_natural_key", ["start_date", "type_id", "title_key"], unique=True)
        batch.drop_constraint("fk_activities_school_id_schools", type_="foreignkey")
        batch.drop_column("school_id")
    for _name, sql in saved:
        op.execute(sql)
    _statistics_again()
    op.drop_index("ix_schools_region", "schools")
    op.drop_table("schools")
