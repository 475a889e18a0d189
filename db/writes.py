"""Every change to the record: partners and activities, each in one transaction, checked and audited.

Each verb checks the actor's role first, validates the whole input, refuses a stale
version (someone else saved in between), and writes the change and its audit entry
in one transaction, or nothing at all.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.access import Actor, PermissionDenied, require, require_school
from db.fields import Field, Kind, declared
from db.models import (
    Activity,
    ActivityOrganization,
    ActivityType,
    AuditEntry,
    FocusArea,
    Organization,
    PartnerKind,
    School,
)
from db.snapshots import activity_fields, partner_fields
from db.text import name_key, slugify
from db.validation import InvalidInput, Problem, check_activity, check_partner


class StaleRecord(Exception):
    """The record was changed (or deleted) by someone else since it was opened."""


class HasActivities(Exception):
    """The partner still has activities; the caller must say what to do with them."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


def _json(record: Mapping[str, Any] | None) -> str | None:
    return None if record is None else json.dumps(record, ensure_ascii=False, default=str, sort_keys=True)


def audit(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    summary: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    school_id: int | None = None,
) -> None:
    """Add an audit entry to the session's transaction."""
    row = audit_row(actor, action, entity, entity_id, summary=summary, before=before, after=after, school_id=school_id)
    session.add(AuditEntry(**row))


def audit_row(
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    summary: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    school_id: int | None = None,
) -> dict[str, Any]:
    """An audit entry's columns: for `audit`, and for an import's bulk insert of thousands of them."""
    return {
        "school_id": school_id,
        "at": datetime.now().replace(microsecond=0),
        "actor": actor.login,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "summary": summary[:300],
        "before": _json(before),
        "after": _json(after),
    }


# ---- partners -------------------------------------------------------------------------------


def _checked_partner(session: Session, data: Mapping[str, Any], *, exclude_id: int | None) -> dict[str, Any]:
    kinds = session.scalars(select(PartnerKind.code)).all()
    areas = session.scalars(select(FocusArea.code)).all()
    clean, problems = check_partner(data, kinds=kinds, focus_areas=areas)
    if clean.get("name"):
        same = select(Organization.id).where(Organization.name_key == name_key(clean["name"]))
        if exclude_id is not None:
            same = same.where(Organization.id != exclude_id)
        if session.scalar(same) is not None:
            problems.append(Problem("name", "duplicate_partner", {"value": clean["name"]}))
    if problems:
        raise InvalidInput(problems)
    return clean


def apply_partner(session: Session, partner: Organization, clean: Mapping[str, Any]) -> None:
    """Set a partner from checked fields (check_partner's), as the form and the import both save it."""
    apply_fields(session, partner, declared("partners"), clean)


def apply_fields(session: Session, record: Any, fields: tuple[Field, ...], clean: Mapping[str, Any]) -> None:
    """Set each field's attribute, a vocabulary field to the rows its codes name; partner links are the caller's."""
    # No flush halfway: a lookup would otherwise write a half-set record (and could trip its unique key).
    with session.no_autoflush:
        for field in fields:
            value = clean[field.name]
            if field.kind is Kind.PARTNERS or (field.kind is Kind.SCHOOL and value is None):
                continue
            model = field.vocabulary
            if model is not None and field.kind is Kind.VOCABULARY:
                value = session.scalars(select(model).where(model.code == value)).one()
            elif model is not None and field.kind is Kind.CODES:
                value = list(session.scalars(select(model).where(model.code.in_(value))))
            setattr(record, field.attribute, value)


def free_slug(session: Session, wanted: str) -> str:
    """`wanted`, or `wanted-2`, `wanted-3` … if another partner has it."""
    taken = set(session.scalars(select(Organization.slug).where(Organization.slug.like(f"{wanted}%"))))
    return first_free_slug(taken, wanted)


def first_free_slug(taken: set[str], wanted: str) -> str:
    """`wanted`, or `wanted-2`, `wanted-3` … the first not in `taken`."""
    slug, number = wanted, 2
    while slug in taken:
        slug, number = f"{wanted}-{number}", number + 1
    return slug


def _require_partner_of_own_school(session: Session, actor: Actor, partner_id: int) -> None:
    """A school's editor changes or removes a shared partner only while no other school works with it."""
    if actor.of_network:
        return
    other = session.scalar(
        select(Activity.school_id)
        .join(ActivityOrganization, ActivityOrganization.activity_id == Activity.id)
        .where(ActivityOrganization.organization_id == partner_id, Activity.school_id != actor.school_id)
        .limit(1)
    )
    if other is not None:
        raise PermissionDenied("editor", other)


def create_partner(*, engine: Engine, actor: Actor, data: Mapping[str, Any]) -> int:
    """Add a partner; returns its id. Raises PermissionDenied or InvalidInput."""
    require(actor, "editor")
    with Session(engine) as session, session.begin():
        clean = _checked_partner(session, data, exclude_id=None)
        partner = Organization(slug=free_slug(session, slugify(clean["short_name"])))
        apply_partner(session, partner, clean)
        session.add(partner)
        session.flush()
        audit(session, actor, "create", "partner", partner.id, summary=partner.name, after=partner_fields(partner))
        return partner.id


def update_partner(
    *, engine: Engine, actor: Actor, partner_id: int, expected_version: int, data: Mapping[str, Any]
) -> None:
    """Change a partner opened at `expected_version`. Raises PermissionDenied, InvalidInput, StaleRecord."""
    require(actor, "editor")
    with Session(engine) as session, session.begin():
        partner = session.get(Organization, partner_id)
        if partner is None or partner.version != expected_version:
            raise StaleRecord
        _require_partner_of_own_school(session, actor, partner_id)
        before = partner_fields(partner)
        clean = _checked_partner(session, data, exclude_id=partner_id)
        apply_partner(session, partner, clean)
        partner.version += 1
        partner.updated_at = datetime.now().replace(microsecond=0)
        audit(
            session, actor, "update", "partner", partner_id, summary=partner.name, before=before,
            after=partner_fields(partner),
        )  # fmt: skip


def delete_partner(
    *,
    engine: Engine,
    actor: Actor,
    partner_id: int,
    expected_version: int,
    activities: Literal["refuse", "unlink", "delete"] = "refuse",
) -> None:
    """Remove a partner. With activities: refuse (HasActivities), unlink them, or delete those left without partners.

    Activities are never left without a partner: `unlink` deletes the ones that had only this partner.
    """
    require(actor, "editor")
    with Session(engine) as session, session.begin():
        partner = session.get(Organization, partner_id)
        if partner is None or partner.version != expected_version:
            raise StaleRecord
        _require_partner_of_own_school(session, actor, partner_id)
        linked = session.scalars(
            select(ActivityOrganization.activity_id).where(ActivityOrganization.organization_id == partner_id)
        ).all()
        if linked and activities == "refuse":
            raise HasActivities(len(linked))
        before = partner_fields(partner)
        session.execute(delete(ActivityOrganization).where(ActivityOrganization.organization_id == partner_id))
        orphans = session.scalars(select(Activity.id).where(Activity.id.in_(linked), ~Activity.links.any())).all()
        if activities == "delete":
            doomed = linked
        else:
            doomed = orphans
        for activity_id in doomed:
            activity = session.get(Activity, activity_id)
            if activity is not None:
                audit(
                    session, actor, "delete", "activity", activity_id, summary=activity.title,
                    school_id=activity.school_id,
                )  # fmt: skip
                session.delete(activity)
        session.delete(partner)
        audit(session, actor, "delete", "partner", partner_id, summary=before["name"], before=before)


# ---- activities -----------------------------------------------------------------------------


def own_school(session: Session, actor: Actor) -> int:
    """The school a write that names none is for: the actor's, else the first (the seed school)."""
    if actor.school_id is not None:
        return actor.school_id
    # Migration 0011 makes the first school and no school can be removed while it has activities.
    return session.scalars(select(School.id).order_by(School.id).limit(1)).one()


def _checked_activity(
    session: Session,
    actor: Actor,
    data: Mapping[str, Any],
    *,
    exclude_id: int | None,
    today: date | None,
    school_id: int | None = None,
) -> dict[str, Any]:
    """Checked fields; a missing school is `school_id` (the record's own), else the actor's own school."""
    if data.get("school") in (None, ""):
        data = {**data, "school": school_id if school_id is not None else own_school(session, actor)}
    types = session.scalars(select(ActivityType.code)).all()
    organizations = session.scalars(select(Organization.id)).all()
    schools = session.scalars(select(School.id)).all()
    clean, problems = check_activity(data, types=types, organization_ids=organizations, school_ids=schools, today=today)
    if not problems:
        same = (
            select(Activity.id)
            .join(ActivityType)
            .where(
                Activity.school_id == clean["school"],
                Activity.start_date == clean["start_date"],
                ActivityType.code == clean["type"],
                Activity.title_key == name_key(clean["title"]),
            )
        )
        if exclude_id is not None:
            same = same.where(Activity.id != exclude_id)
        if session.scalar(same) is not None:
            problems.append(Problem("title", "duplicate_activity", {"value": clean["title"]}))
    if problems:
        raise InvalidInput(problems)
    return clean


def apply_activity(session: Session, activity: Activity, clean: Mapping[str, Any]) -> None:
    """Set an activity and its partners from checked fields (check_activity's)."""
    apply_fields(session, activity, declared("activities"), clean)
    wanted = dict(clean["organizations"])
    activity.links = [link for link in activity.links if link.organization_id in wanted]
    for link in activity.links:
        link.role = wanted.pop(link.organization_id)
    activity.links.extend(ActivityOrganization(organization_id=oid, role=role) for oid, role in wanted.items())


def create_activity(*, engine: Engine, actor: Actor, data: Mapping[str, Any], today: date | None = None) -> int:
    """Add an activity with its partners; returns its id. Raises PermissionDenied or InvalidInput."""
    require(actor, "editor")
    try:
        with Session(engine) as session, session.begin():
            clean = _checked_activity(session, actor, data, exclude_id=None, today=today)
            require_school(actor, "editor", clean["school"])
            activity = Activity()
            apply_activity(session, activity, clean)
            session.add(activity)
            session.flush()
            audit(
                session, actor, "create", "activity", activity.id, summary=activity.title,
                after=activity_fields(activity), school_id=activity.school_id,
            )  # fmt: skip
            return activity.id
    except IntegrityError as error:
        # Two saves of the same form that both passed the check: the unique key lets one through.
        raise InvalidInput([Problem("title", "duplicate_activity", {"value": str(data.get("title", ""))})]) from error


def update_activity(
    *,
    engine: Engine,
    actor: Actor,
    activity_id: int,
    expected_version: int,
    data: Mapping[str, Any],
    today: date | None = None,
) -> None:
    """Change an activity opened at `expected_version`. Raises PermissionDenied, InvalidInput, StaleRecord."""
    require(actor, "editor")
    with Session(engine) as session, session.begin():
        activity = session.get(Activity, activity_id)
        if activity is None or activity.version != expected_version:
            raise StaleRecord
        require_school(actor, "editor", activity.school_id)
        before = activity_fields(activity)
        clean = _checked_activity(
            session, actor, data, exclude_id=activity_id, today=today, school_id=activity.school_id
        )
        require_school(actor, "editor", clean["school"])  # moved to another school: the role is needed there too
        apply_activity(session, activity, clean)
        activity.version += 1
        activity.updated_at = datetime.now().replace(microsecond=0)
        session.flush()
        audit(
            session, actor, "update", "activity", activity_id, summary=activity.title, before=before,
            after=activity_fields(activity), school_id=activity.school_id,
        )  # fmt: skip


def delete_activity(*, engine: Engine, actor: Actor, activity_id: int, expected_version: int) -> None:
    """Remove an activity and its links. Raises PermissionDenied or StaleRecord."""
    require(actor, "editor")
    with Session(engine) as session, session.begin():
        activity = session.get(Activity, activity_id)
        if activity is None or activity.version != expected_version:
            raise StaleRecord
        require_school(actor, "editor", activity.school_id)
        before = activity_fields(activity)
        session.delete(activity)
        audit(
            session, actor, "delete", "activity", activity_id, summary=before["title"], before=before,
            school_id=activity.school_id,
        )  # fmt: skip
