"""What an import stores, to the byte: the same rows and audit entries however the import writes them.

tests/fixtures/import_stored.json holds what the import stored for these files before it wrote
through bulk inserts (made by running this module: `python -m tests.test_import_stored`, which
rewrites it; only do that when what an import stores is meant to change). The clock's columns
(created_at, updated_at, the audit entry's `at`) are left out.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from bench.imports import activities_csv, partner_names
from db import migrate
from db.access import Actor
from db.demo import load_demo
from db.engine import get_engine, get_write_engine
from db.models import Activity, AuditEntry, Organization
from db.snapshots import activity_fields, partner_fields
from db.transfer import import_activities, import_partners
from tests.helpers import DEMO_TODAY, ROOT

EXPECTED = ROOT / "tests" / "fixtures" / "import_stored.json"
EDITOR = Actor("maria", "editor")
CLOCK_COLUMNS = {"created_at", "updated_at", "at"}
ACTIVITY_ROWS = 120
DEMO_PARTNERS = 8  # the demo data's partners, ids 1 to 8
# New partners: new focus areas (one twice, differently written), areas out of code and id order,
# short names whose slugs are taken by a demo partner or by each other.
PARTNERS = "\n".join(
    (
        "име;кратко име;вид;град;направления;партньор от;активен;мисия",
        "Читалище „Звезда“ – Кюстендил;Звезда;сдружение;Кюстендил;"
        '"толерантност и недискриминация; застъпничество; култура и традиции";2015;да;Четене  и „театър“.',
        "Клуб „Ларго“ – Дупница;Ларго.;НПО;  Дупница ;Нова тема;09.2010;не;",
        'Сдружение „Звезда“;Звезда!;foundation;;"нова  тема; Млади лидери; education";;;',
        "",
    )
)


def stored_rows(path: Path, since: dict[str, int]) -> dict[str, list[list[Any]]]:
    """The rows each import wrote: those with an id past `since` (the ids before the imports)."""
    queries = {
        "organizations": "SELECT * FROM organizations WHERE id > :organizations ORDER BY id",
        "organization_focus_areas": "SELECT * FROM organization_focus_areas WHERE organization_id > :organizations"
        " ORDER BY organization_id, focus_area_id",
        "focus_areas": "SELECT * FROM focus_areas WHERE id > :focus_areas ORDER BY id",
        "vocabulary_names": "SELECT n.* FROM vocabulary_names n JOIN focus_areas f ON f.code = n.code"
        " WHERE n.vocabulary = 'focus_areas' AND f.id > :focus_areas ORDER BY n.code, n.lang",
        "activities": "SELECT * FROM activities WHERE id > :activities ORDER BY id",
        "activity_organizations": "SELECT * FROM activity_organizations WHERE activity_id > :activities"
        " ORDER BY activity_id, organization_id",
        "audit_log": "SELECT * FROM audit_log ORDER BY id",
    }
    rows: dict[str, list[list[Any]]] = {}
    with closing(sqlite3.connect(path)) as connection:
        for table, query in queries.items():
            cursor = connection.execute(query, since)
            names = [column[0] for column in cursor.description]
            keep = [i for i, name in enumerate(names) if name not in CLOCK_COLUMNS]
            rows[table] = [[names[i] for i in keep]] + [[row[i] for i in keep] for row in cursor]
    return rows


def last_ids(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as connection:
        return {
            table: connection.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]  # noqa: S608
            for table in ("organizations", "focus_areas", "activities")
        }


def import_both(url: str, path: Path) -> dict[str, list[list[Any]]]:
    """The demo data, then the new partners and activities naming them and the demo partners: what was stored."""
    since = last_ids(path)
    writer = get_write_engine(url)
    try:
        partners = import_partners(engine=writer, actor=EDITOR, data=PARTNERS.encode(), filename="p.csv")
        assert partners.problems == [] and partners.added == 3, partners.problems
        data = activities_csv(ACTIVITY_ROWS, partner_names(path), seed=3)
        activities = import_activities(
            engine=writer, actor=EDITOR, data=data, filename="a.csv", today=date(2026, 11, 25)
        )
        assert activities.problems == [] and activities.added == ACTIVITY_ROWS, activities.problems[:3]
    finally:
        writer.dispose()
    return stored_rows(path, since)


def as_json(rows: dict[str, list[list[Any]]]) -> str:
    """One line per row, so that a difference shows as the rows that differ."""
    lines = [
        json.dumps([table, row], ensure_ascii=False, default=str)
        for table, table_rows in rows.items()
        for row in table_rows
    ]
    return "\n".join(lines) + "\n"


def test_an_import_stores_the_same_rows_and_audit_entries_as_before(demo_engine: Engine, tmp_path: Path) -> None:
    stored = as_json(import_both(str(demo_engine.url), tmp_path / "partnerships.db"))
    expected = EXPECTED.read_text(encoding="utf-8")
    assert stored.splitlines() == expected.splitlines()


def test_the_audit_log_holds_one_entry_per_imported_record_with_the_record_as_stored(
    demo_engine: Engine, tmp_path: Path
) -> None:
    import_both(str(demo_engine.url), tmp_path / "partnerships.db")
    with Session(demo_engine) as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        partners = session.scalars(
            select(Organization).where(Organization.id > DEMO_PARTNERS).order_by(Organization.id)
        ).all()
        activities = session.scalars(select(Activity).where(Activity.title.like("Дейност №%"))).all()
        # What the form's own write would have recorded for each record, read back through the ORM.
        expected = [
            # Focus areas by their codes, in the codes' order, as the form's write records them.
            (
                "partner",
                partner.id,
                f"{partner.name} ← p.csv:{row}",
                partner_fields(partner) | {"focus_areas": sorted(area.code for area in partner.focus_areas)},
            )
            for partner, row in zip(partners, (2, 3, 4), strict=True)
        ] + [
            ("activity", activity.id, f"{activity.title} ← a.csv:{row}", activity_fields(activity))
            for row, activity in enumerate(sorted(activities, key=lambda a: a.id), start=2)
        ]
    assert len(entries) == 3 + ACTIVITY_ROWS
    assert {(e.actor, e.action, e.before) for e in entries} == {("maria", "create", None)}
    assert [(e.entity, e.entity_id, e.summary, json.loads(e.after or "")) for e in entries] == [
        (entity, record_id, summary, json.loads(json.dumps(after, default=str)))
        for entity, record_id, summary, after in expected
    ]


def statements_of_import(url: str, path: Path, rows: int, first: date) -> int:
    """How many SQL statements an import of `rows` new activities sends to the database."""
    writer = get_write_engine(url)
    sent: list[str] = []
    event.listen(writer, "before_cursor_execute", lambda *args: sent.append(args[2]))
    try:
        data = activities_csv(rows, partner_names(path), seed=rows, first=first)
        result = import_activities(engine=writer, actor=EDITOR, data=data, filename="a.csv", today=date(2026, 11, 25))
        assert result.problems == [] and result.added == rows
    finally:
        writer.dispose()
    return len(sent)


def test_an_import_sends_as_many_statements_for_200_rows_as_for_20(demo_engine: Engine, tmp_path: Path) -> None:
    # Not a statement (or an ORM flush) per row: a few bulk inserts, whatever the file's size.
    url, path = str(demo_engine.url), tmp_path / "partnerships.db"
    few = statements_of_import(url, path, 20, date(1980, 1, 1))
    more = statements_of_import(url, path, 200, date(1985, 1, 1))
    assert few == more


def main() -> None:
    """Rewrite the expected rows from what the import stores now."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "partnerships.db"
        engine = get_engine(f"sqlite:///{path}")
        migrate.upgrade(engine)
        load_demo(engine, today=DEMO_TODAY)
        engine.dispose()
        EXPECTED.write_text(as_json(import_both(f"sqlite:///{path}", path)), encoding="utf-8")


if __name__ == "__main__":
    main()
