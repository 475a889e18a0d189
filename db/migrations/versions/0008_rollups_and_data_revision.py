"""Rollups of the counts per partner and per period, and a data revision, both kept by triggers.

Counting held activities per partner walked every activity-partner link and grouped them in a
temporary B-tree (1.0-1.3 s at a million activities, bench/RESULTS.md). `partner_rollup` holds the
counts per status, partner, school year and type (about 110 thousand rows there) and
`activity_rollup` those per status, school year, type and month; `db/rollups.py` reads them.

Triggers keep them exact in the same transaction as every write, whichever code writes (the forms,
the import, the demo data, a script): a write adds or takes away its own row's share. A group's first
and last day are looked up again only when the day taken away was one of them. Deleting an activity
first deletes its links (BEFORE DELETE), so that each link's share is taken away while the activity
is still there to say which group it was in.

`data_revision` is one number, replaced at random by every change to a table the screens read, so a
cache keyed on it lasts until the data changes, also when another process made the change; random
rather than counted, so that a restored or copied file never brings back a number already used.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# What the screens read: a change to any of these makes cached reads stale.
WATCHED = (
    "organizations",
    "activities",
    "activity_organizations",
    "organization_focus_areas",
    "partner_kinds",
    "activity_types",
    "focus_areas",
    "vocabulary_names",
)

# ---- SQLite: trigger bodies written out, since it has no functions ------------------------------

# {r} is OLD or NEW; dates are ISO text, so the month is the first seven characters.
_SQLITE_ACTIVITY_ADD = """
INSERT INTO activity_rollup (status, school_year, type_id, month, activities, participants, pupils)
VALUES ({r}.status, {r}.school_year, {r}.type_id, substr({r}.start_date, 1, 7), 1,
        coalesce({r}.participants, 0), coalesce({r}.pupils_reached, 0))
ON CONFLICT (status, school_year, type_id, month) DO UPDATE SET
    activities = activities + 1,
    participants = participants + excluded.participants,
    pupils = pupils + excluded.pupils;
"""

_SQLITE_ACTIVITY_REMOVE = """
UPDATE activity_rollup SET
    activities = activities - 1,
    participants = participants - coalesce({r}.participants, 0),
    pupils = pupils - coalesce({r}.pupils_reached, 0)
WHERE status = {r}.status AND school_year = {r}.school_year AND type_id = {r}.type_id
  AND month = substr({r}.start_date, 1, 7);
DELETE FROM activity_rollup
WHERE status = {r}.status AND school_year = {r}.school_year AND type_id = {r}.type_id
  AND month = substr({r}.start_date, 1, 7) AND activities = 0;
"""

# {a}: the activity's row (NEW, or `a` from {source}); {source} ends with a WHERE, which SQLite needs
# before ON CONFLICT (https://sqlite.org/lang_upsert.html, parsing ambiguity).
_SQLITE_PARTNER_ADD = """
INSERT INTO partner_rollup
    (status, organization_id, school_year, type_id, activities, participants, pupils, first_date, last_date)
SELECT {a}.status, {organization}, {a}.school_year, {a}.type_id, 1,
       coalesce({a}.participants, 0), coalesce({a}.pupils_reached, 0), {a}.start_date, {a}.start_date
FROM {source}
ON CONFLICT (status, organization_id, school_year, type_id) DO UPDATE SET
    activities = activities + 1,
    participants = participants + excluded.participants,
    pupils = pupils + excluded.pupils,
    first_date = min(first_date, excluded.first_date),
    last_date = max(last_date, excluded.last_date);
"""

# The group's first and last day again, along the activities' (status, school_year, type_id,
# start_date) index, each checked for a link: a few thousand rows at most at a million activities.
_SQLITE_PARTNER_REMOVE = """
UPDATE partner_rollup SET
    activities = activities - 1,
    participants = participants - {participants},
    pupils = pupils - {pupils}
WHERE organization_id {partners} AND (status, school_year, type_id) = ({group});
DELETE FROM partner_rollup
WHERE organization_id {partners} AND (status, school_year, type_id) = ({group}) AND activities = 0;
UPDATE partner_rollup SET
    first_date = (
        SELECT a.start_date FROM activities AS a
        WHERE a.status = partner_rollup.status AND a.school_year = partner_rollup.school_year
          AND a.type_id = partner_rollup.type_id
          AND EXISTS (SELECT 1 FROM activity_organizations AS l
                      WHERE l.activity_id = a.id AND l.organization_id = partner_rollup.organization_id)
        ORDER BY a.start_date LIMIT 1),
    last_date = (
        SELECT a.start_date FROM activities AS a
        WHERE a.status = partner_rollup.status AND a.school_year = partner_rollup.school_year
          AND a.type_id = partner_rollup.type_id
          AND EXISTS (SELECT 1 FROM activity_organizations AS l
                      WHERE l.activity_id = a.id AND l.organization_id = partner_rollup.organization_id)
        ORDER BY a.start_date DESC LIMIT 1)
WHERE organization_id {partners} AND (status, school_year, type_id) = ({group})
  AND (first_date = {day} OR last_date = {day});
"""

_ROLLUP_COLUMNS = "status, school_year, type_id, start_date, participants, pupils_reached"
_CHANGED = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _ROLLUP_COLUMNS.split(", "))


def _sqlite_partner_remove_for_activity(r: str) -> str:
    return _SQLITE_PARTNER_REMOVE.format(
        participants=f"coalesce({r}.participants, 0)",
        pupils=f"coalesce({r}.pupils_reached, 0)",
        partners=f"IN (SELECT organization_id FROM activity_organizations WHERE activity_id = {r}.id)",
        group=f"{r}.status, {r}.school_year, {r}.type_id",
        day=f"{r}.start_date",
    )


def _sqlite_partner_remove_for_link(r: str) -> str:
    activity = f"FROM activities WHERE id = {r}.activity_id"
    return _SQLITE_PARTNER_REMOVE.format(
        participants=f"(SELECT coalesce(participants, 0) {activity})",
        pupils=f"(SELECT coalesce(pupils_reached, 0) {activity})",
        partners=f"= {r}.organization_id",
        group=f"SELECT status, school_year, type_id {activity}",
        day=f"(SELECT start_date {activity})",
    )


def _sqlite_triggers() -> dict[str, str]:
    for_links_of = "activity_organizations AS l WHERE l.activity_id = NEW.id"
    return {
        "rollup_activity_inserted": f"""
CREATE TRIGGER rollup_activity_inserted AFTER INSERT ON activities BEGIN
{_SQLITE_ACTIVITY_ADD.format(r="NEW")}
{_SQLITE_PARTNER_ADD.format(a="NEW", organization="l.organization_id", source=for_links_of)}
END""",
        "rollup_activity_updated": f"""
CREATE TRIGGER rollup_activity_updated AFTER UPDATE OF {_ROLLUP_COLUMNS} ON activities
WHEN {_CHANGED} BEGIN
{_SQLITE_ACTIVITY_REMOVE.format(r="OLD")}
{_SQLITE_ACTIVITY_ADD.format(r="NEW")}
{_sqlite_partner_remove_for_activity("OLD")}
{_SQLITE_PARTNER_ADD.format(a="NEW", organization="l.organization_id", source=for_links_of)}
END""",
        "rollup_activity_unlinked": """
CREATE TRIGGER rollup_activity_unlinked BEFORE DELETE ON activities BEGIN
DELETE FROM activity_organizations WHERE activity_id = OLD.id;
END""",
        "rollup_activity_deleted": f"""
CREATE TRIGGER rollup_activity_deleted AFTER DELETE ON activities BEGIN
{_SQLITE_ACTIVITY_REMOVE.format(r="OLD")}
END""",
        "rollup_link_inserted": f"""
CREATE TRIGGER rollup_link_inserted AFTER INSERT ON activity_organizations BEGIN
{_SQLITE_PARTNER_ADD.format(a="a", organization="NEW.organization_id", source="activities AS a WHERE a.id = NEW.activity_id")}
END""",
        "rollup_link_updated": f"""
CREATE TRIGGER rollup_link_updated AFTER UPDATE OF activity_id, organization_id ON activity_organizations
WHEN OLD.activity_id IS NOT NEW.activity_id OR OLD.organization_id IS NOT NEW.organization_id BEGIN
{_sqlite_partner_remove_for_link("OLD")}
{_SQLITE_PARTNER_ADD.format(a="a", organization="NEW.organization_id", source="activities AS a WHERE a.id = NEW.activity_id")}
END""",
        "rollup_link_deleted": f"""
CREATE TRIGGER rollup_link_deleted AFTER DELETE ON activity_organizations BEGIN
{_sqlite_partner_remove_for_link("OLD")}
END""",
    } | {
        f"data_revision_{table}_{event.lower()}": f"""
CREATE TRIGGER data_revision_{table}_{event.lower()} AFTER {event} ON {table} BEGIN
UPDATE data_revision SET revision = random();
END"""
        for table in WATCHED
        for event in ("INSERT", "UPDATE", "DELETE")
    }


# ---- PostgreSQL: the same, as functions ----------------------------------------------------------

# Plain values, not the `activities` row type: a function taking the row type would keep a test (or a
# developer) from dropping the table. OR REPLACE: dropping the tables leaves the functions behind.
_GROUP = "p_status text, p_year integer, p_type integer, p_day date, p_participants bigint, p_pupils bigint"
_POSTGRESQL_FUNCTIONS = {
    "rollup_activity_add": f"""
CREATE OR REPLACE FUNCTION rollup_activity_add({_GROUP}) RETURNS void LANGUAGE sql AS $$
INSERT INTO activity_rollup AS r (status, school_year, type_id, month, activities, participants, pupils)
VALUES (p_status, p_year, p_type, to_char(p_day, 'YYYY-MM'), 1, p_participants, p_pupils)
ON CONFLICT (status, school_year, type_id, month) DO UPDATE SET
    activities = r.activities + 1,
    participants = r.participants + excluded.participants,
    pupils = r.pupils + excluded.pupils;
$$""",
    "rollup_activity_remove": f"""
CREATE OR REPLACE FUNCTION rollup_activity_remove({_GROUP}) RETURNS void LANGUAGE sql AS $$
UPDATE activity_rollup SET
    activities = activities - 1,
    participants = participants - p_participants,
    pupils = pupils - p_pupils
WHERE status = p_status AND school_year = p_year AND type_id = p_type AND month = to_char(p_day, 'YYYY-MM');
DELETE FROM activity_rollup
WHERE status = p_status AND school_year = p_year AND type_id = p_type AND month = to_char(p_day, 'YYYY-MM')
  AND activities = 0;
$$""",
    "rollup_partner_add": f"""
CREATE OR REPLACE FUNCTION rollup_partner_add({_GROUP}, p_partner integer) RETURNS void LANGUAGE sql AS $$
INSERT INTO partner_rollup AS r
    (status, organization_id, school_year, type_id, activities, participants, pupils, first_date, last_date)
VALUES (p_status, p_partner, p_year, p_type, 1, p_participants, p_pupils, p_day, p_day)
ON CONFLICT (status, organization_id, school_year, type_id) DO UPDATE SET
    activities = r.activities + 1,
    participants = r.participants + excluded.participants,
    pupils = r.pupils + excluded.pupils,
    first_date = least(r.first_date, excluded.first_date),
    last_date = greatest(r.last_date, excluded.last_date);
$$""",
    "rollup_partner_remove": f"""
CREATE OR REPLACE FUNCTION rollup_partner_remove({_GROUP}, p_partner integer) RETURNS void LANGUAGE sql AS $$
UPDATE partner_rollup SET
    activities = activities - 1,
    participants = participants - p_participants,
    pupils = pupils - p_pupils
WHERE status = p_status AND organization_id = p_partner AND school_year = p_year AND type_id = p_type;
DELETE FROM partner_rollup
WHERE status = p_status AND organization_id = p_partner AND school_year = p_year AND type_id = p_type
  AND activities = 0;
UPDATE partner_rollup AS r SET
    first_date = (SELECT min(x.start_date) FROM activities AS x
                  JOIN activity_organizations AS l ON l.activity_id = x.id AND l.organization_id = p_partner
                  WHERE x.status = p_status AND x.school_year = p_year AND x.type_id = p_type),
    last_date = (SELECT max(x.start_date) FROM activities AS x
                 JOIN activity_organizations AS l ON l.activity_id = x.id AND l.organization_id = p_partner
                 WHERE x.status = p_status AND x.school_year = p_year AND x.type_id = p_type)
WHERE r.status = p_status AND r.organization_id = p_partner AND r.school_year = p_year
  AND r.type_id = p_type AND (r.first_date = p_day OR r.last_date = p_day);
$$""",
    "rollup_activity_changed": """
CREATE OR REPLACE FUNCTION rollup_activity_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM rollup_activity_remove(OLD.status, OLD.school_year, OLD.type_id, OLD.start_date, coalesce(OLD.participants, 0), coalesce(OLD.pupils_reached, 0));
        PERFORM rollup_partner_remove(OLD.status, OLD.school_year, OLD.type_id, OLD.start_date, coalesce(OLD.participants, 0), coalesce(OLD.pupils_reached, 0), l.organization_id)
        FROM activity_organizations AS l WHERE l.activity_id = OLD.id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM rollup_activity_add(NEW.status, NEW.school_year, NEW.type_id, NEW.start_date, coalesce(NEW.participants, 0), coalesce(NEW.pupils_reached, 0));
        PERFORM rollup_partner_add(NEW.status, NEW.school_year, NEW.type_id, NEW.start_date, coalesce(NEW.participants, 0), coalesce(NEW.pupils_reached, 0), l.organization_id)
        FROM activity_organizations AS l WHERE l.activity_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$""",
    "rollup_activity_unlink": """
CREATE OR REPLACE FUNCTION rollup_activity_unlink() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM activity_organizations WHERE activity_id = OLD.id;
    RETURN OLD;
END
$$""",
    "rollup_link_changed": """
CREATE OR REPLACE FUNCTION rollup_link_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM rollup_partner_remove(a.status, a.school_year, a.type_id, a.start_date, coalesce(a.participants, 0), coalesce(a.pupils_reached, 0), OLD.organization_id)
             FROM activities AS a WHERE a.id = OLD.activity_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM rollup_partner_add(a.status, a.school_year, a.type_id, a.start_date, coalesce(a.participants, 0), coalesce(a.pupils_reached, 0), NEW.organization_id)
             FROM activities AS a WHERE a.id = NEW.activity_id;
    END IF;
    RETURN NULL;
END
$$""",
    "data_revision_bump": """
CREATE OR REPLACE FUNCTION data_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_revision SET revision = floor((random() - 0.5) * 18e18)::bigint;
    RETURN NULL;
END
$$""",
}

_POSTGRESQL_CHANGED = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in _ROLLUP_COLUMNS.split(", "))

_POSTGRESQL_TRIGGERS = {
    "rollup_activity_inserted": "AFTER INSERT ON activities FOR EACH ROW EXECUTE FUNCTION rollup_activity_changed()",
    "rollup_activity_updated": f"AFTER UPDATE ON activities FOR EACH ROW WHEN ({_POSTGRESQL_CHANGED}) "
    "EXECUTE FUNCTION rollup_activity_changed()",
    "rollup_activity_unlinked": "BEFORE DELETE ON activities FOR EACH ROW EXECUTE FUNCTION rollup_activity_unlink()",
    "rollup_activity_deleted": "AFTER DELETE ON activities FOR EACH ROW EXECUTE FUNCTION rollup_activity_changed()",
    "rollup_link_changed": "AFTER INSERT OR DELETE OR UPDATE OF activity_id, organization_id "
    "ON activity_organizations FOR EACH ROW EXECUTE FUNCTION rollup_link_changed()",
} | {
    # Once per statement: an import of thousands of rows replaces the number once.
    f"data_revision_{table}": f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION data_revision_bump()"
    for table in WATCHED
}


def upgrade() -> None:
    op.create_table(
        "activity_rollup",
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("activities", sa.Integer(), nullable=False),
        sa.Column("participants", sa.BigInteger(), nullable=False),
        sa.Column("pupils", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("status", "school_year", "type_id", "month", name="pk_activity_rollup"),
    )
    op.create_table(
        "partner_rollup",
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("activities", sa.Integer(), nullable=False),
        sa.Column("participants", sa.BigInteger(), nullable=False),
        sa.Column("pupils", sa.BigInteger(), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("last_date", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("status", "organization_id", "school_year", "type_id", name="pk_partner_rollup"),
    )
    op.create_table(
        "data_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_data_revision_one_row"),
        sa.PrimaryKeyConstraint("id", name="pk_data_revision"),
    )
    op.execute("INSERT INTO data_revision (id, revision) VALUES (1, 1)")
    if op.get_bind().dialect.name == "postgresql":
        for body in _POSTGRESQL_FUNCTIONS.values():
            op.execute(body)
        for name, definition in _POSTGRESQL_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {definition}")
    else:
        for body in _sqlite_triggers().values():
            op.execute(body)
    # Filled from the records already there, by the same statements as `python -m db rollups --rebuild`.
    from db.rollups import fill

    fill(op.get_bind(), ("activity_rollup", "partner_rollup"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, definition in _POSTGRESQL_TRIGGERS.items():
            table = definition.split(" ON ")[1].split()[0]
            op.execute(f"DROP TRIGGER {name} ON {table}")
        for name in reversed(list(_POSTGRESQL_FUNCTIONS)):
            op.execute(f"DROP FUNCTION {name}")
    else:
        for name in _sqlite_triggers():
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table("data_revision")
    op.drop_table("partner_rollup")
    op.drop_table("activity_rollup")
