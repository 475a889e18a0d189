"""Small, exact records for tests that assert whole values."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.models import Activity, ActivityOrganization, ActivityType, FocusArea, Organization, PartnerKind


def add_partner(
    engine: Engine,
    *,
    slug: str,
    name: str,
    short_name: str,
    kind: str = "ngo",
    city: str = "",
    focus: tuple[str, ...] = (),
    is_active: bool = True,
    **fields: object,
) -> int:
    """Store a partner and return its id."""
    with Session(engine) as session, session.begin():
        partner = Organization(
            slug=slug,
            name=name,
            short_name=short_name,
            city=city,
            kind=session.scalars(select(PartnerKind).where(PartnerKind.code == kind)).one(),
            focus_areas=list(session.scalars(select(FocusArea).where(FocusArea.code.in_(focus)))),
            is_active=is_active,
            **fields,
        )
        session.add(partner)
        session.flush()
        return partner.id


def add_activity(
    engine: Engine,
    *,
    title: str,
    type: str,
    start: date,
    end: date | None = None,
    status: str = "held",
    participants: int | None = None,
    pupils: int | None = None,
    partners: tuple[tuple[int, str], ...] = (),
    **fields: object,
) -> int:
    """Store an activity linked to (partner id, role) pairs and return its id."""
    with Session(engine) as session, session.begin():
        activity = Activity(
            title=title,
            type=session.scalars(select(ActivityType).where(ActivityType.code == type)).one(),
            start_date=start,
            end_date=end,
            status=status,
            participants=participants,
            pupils_reached=pupils,
            **fields,
        )
        activity.links = [ActivityOrganization(organization_id=pid, role=role) for pid, role in partners]
        session.add(activity)
        session.flush()
        return activity.id
