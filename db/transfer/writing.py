"""Writing an import's checked rows: a few bulk inserts, inside the import's one transaction.

A form saves one record through the ORM (db.writes); an import of thousands of rows does not: each
table gets one executemany (batched by SQLAlchemy's "insertmanyvalues" into multi-row INSERTs),
the vocabularies are read once into dicts, and the audit entries are rows like any other. What is
stored is what the form's write stores, to the byte: the columns the models' validators keep
(db.models.partner_keys, activity_keys), the audit entry's snapshot (db.snapshots.checked_fields)
and its summary. tests/test_import_stored.py compares them with what the ORM import stored.

The new records' ids come back with RETURNING together with their natural keys, and are matched
by those keys, not by position: SQLAlchemy keeps RETURNING in parameter order on SQLite only by
inserting one row per statement (sort_by_parameter_order), which would undo the gain.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select

from db.access import Actor
from db.fields import Field, Kind, declared
from db.models import (
    Activity,
    ActivityOrganization,
    AuditEntry,
    FocusArea,
    Organization,
    VocabularyName,
    _Vocabulary,
    activity_keys,
    partner_keys,
)
from db.snapshots import checked_fields
from db.text import slugify
from db.transfer.resolving import NewTag
from db.writes import audit_row, first_free_slug

Checked = tuple[int, dict[str, Any]]  # (row number, clean fields)


def add_partners(
    connection: Connection, actor: Actor, checked: Sequence[Checked], filename: str, tags: Sequence[NewTag]
) -> list[int]:
    """Insert the partners, their focus areas and their audit entries; returns their ids in row order."""
    add_tags(connection, tags)
    if not checked:
        return []  # an executemany of no rows would be one INSERT of the defaults
    fields = declared("partners")
    ids = _ids(connection, fields)
    # Each new slug sees the slugs taken before the import and those given to the rows above it.
    taken = set(connection.scalars(select(Organization.slug)))
    columns = _columns(Organization, fields, ids)
    rows = []
    for _, clean in checked:
        slug = first_free_slug(taken, slugify(clean["short_name"]))
        taken.add(slug)
        row = columns(clean) | {"slug": slug}
        rows.append(row | partner_keys(row["name"], row["short_name"], row["city"]))
    table = _table(Organization)
    returned = connection.execute(insert(table).returning(table.c.id, table.c.name_key), rows)
    by_key = {name_key: partner_id for partner_id, name_key in returned}
    partner_ids = [by_key[row["name_key"]] for row in rows]
    _insert_codes(connection, Organization, fields, checked, partner_ids, ids)
    _insert_audit(connection, actor, "partner", fields, checked, partner_ids, filename, "name")
    return partner_ids


def add_activities(connection: Connection, actor: Actor, checked: Sequence[Checked], filename: str) -> list[int]:
    """Insert the activities, their partner links and their audit entries; returns their ids in row order."""
    if not checked:
        return []  # an executemany of no rows would be one INSERT of the defaults
    fields = declared("activities")
    ids = _ids(connection, fields)
    columns = _columns(Activity, fields, ids)
    rows = []
    for _, clean in checked:
        row = columns(clean)
        rows.append(row | activity_keys(row["title"], row["location"], row["description"], row["start_date"]))
    table = _table(Activity)
    natural_key = (table.c.school_id, table.c.start_date, table.c.type_id, table.c.title_key)
    returned = connection.execute(insert(table).returning(table.c.id, *natural_key), rows)
    by_key = {tuple(key): activity_id for activity_id, *key in returned}
    activity_ids = [by_key[(row["school_id"], row["start_date"], row["type_id"], row["title_key"])] for row in rows]
    links = [
        {"activity_id": activity_id, "organization_id": partner_id, "role": role}
        for activity_id, (_, clean) in zip(activity_ids, checked, strict=True)
        for partner_id, role in dict(clean["organizations"]).items()  # one link per partner, its last role
    ]
    if links:
        connection.execute(insert(_table(ActivityOrganization)), links)
    _insert_audit(connection, actor, "activity", fields, checked, activity_ids, filename, "title")
    return activity_ids


def add_tags(connection: Connection, tags: Sequence[NewTag]) -> None:
    """The new focus areas, after the existing ones, named as the file wrote them (see resolving._languages)."""
    if not tags:
        return
    last = connection.scalar(select(func.max(FocusArea.sort_order))) or 0
    areas = [{"code": tag.code, "sort_order": last + position} for position, tag in enumerate(tags, start=1)]
    names = [
        {"vocabulary": "focus_areas", "code": tag.code, "lang": lang, "name": tag.name}
        for tag in tags
        for lang in tag.langs
    ]
    connection.execute(insert(_table(FocusArea)), areas)
    connection.execute(insert(_table(VocabularyName)), names)


def _table(model: type[Any]) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def _ids(connection: Connection, fields: Sequence[Field]) -> dict[type[_Vocabulary], dict[str, int]]:
    """code -> id of each vocabulary the fields name, read once for the whole import."""
    models = {field.vocabulary for field in fields if field.vocabulary is not None}
    return {model: {code: id_ for code, id_ in connection.execute(select(model.code, model.id))} for model in models}


def _columns(
    model: type[Any], fields: Sequence[Field], ids: Mapping[type[_Vocabulary], dict[str, int]]
) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
    """What makes the row of `model`'s table from one record's checked fields, as the ORM would have set it.

    Which field fills which column is worked out once per import, not once per row.
    """
    mapper = model.__mapper__
    plain: list[tuple[str, str]] = []  # (field, column)
    coded: list[tuple[str, str, dict[str, int]]] = []  # (field, column, code -> id)
    for field in fields:
        if field.kind is Kind.VOCABULARY and field.vocabulary is not None:
            (column,) = mapper.relationships[field.attribute].local_columns
            coded.append((field.name, column.key, ids[field.vocabulary]))
        elif field.kind not in (Kind.CODES, Kind.PARTNERS):
            plain.append((field.name, mapper.get_property(field.attribute).columns[0].key))

    def row(clean: Mapping[str, Any]) -> dict[str, Any]:
        values = {"is_demo": False, "version": 1} | {column: clean[name] for name, column in plain}
        return values | {column: codes[clean[name]] for name, column, codes in coded}

    return row


def _insert_codes(
    connection: Connection,
    model: type[Any],
    fields: Sequence[Field],
    checked: Sequence[Checked],
    record_ids: Sequence[int],
    ids: Mapping[type[_Vocabulary], dict[str, int]],
) -> None:
    """The rows of each CODES field's association table (a partner's focus areas)."""
    for field in fields:
        if field.kind is not Kind.CODES or field.vocabulary is None:
            continue
        relationship = model.__mapper__.relationships[field.attribute]
        ((_, record_column),) = relationship.synchronize_pairs
        ((_, code_column),) = relationship.secondary_synchronize_pairs
        rows = [
            {record_column.key: record_id, code_column.key: ids[field.vocabulary][code]}
            for record_id, (_, clean) in zip(record_ids, checked, strict=True)
            for code in sorted(set(clean[field.name]))
        ]
        if rows:
            connection.execute(insert(relationship.secondary), rows)


def _insert_audit(
    connection: Connection,
    actor: Actor,
    entity: str,
    fields: Sequence[Field],
    checked: Sequence[Checked],
    record_ids: Sequence[int],
    filename: str,
    title: str,
) -> None:
    """One `create` entry per record, as the form's write makes it, the file and row named in the summary."""
    rows = [
        audit_row(
            actor,
            "create",
            entity,
            record_id,
            summary=f"{clean[title]} ← {filename}:{number}",
            after=checked_fields(clean, fields),
            school_id=clean.get("school"),
        )  # fmt: skip
        for record_id, (number, clean) in zip(record_ids, checked, strict=True)
    ]
    connection.execute(insert(_table(AuditEntry)), rows)
