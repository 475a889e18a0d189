"""Adding a school to the network: checked, audited, one transaction; only the network's admins may.

A school is what activities and school accounts belong to (migration 0011). It is added from the
command line (`python -m db school add`) by whoever runs the server; removing one is not offered, since
its activities and accounts would have to go somewhere first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.access import Actor, require_network
from db.models import SCHOOL_KINDS, School
from db.regions import resolve_region
from db.text import collapse_spaces, name_key, printable, slugify
from db.validation import InvalidInput, Problem, link_problem
from db.writes import audit, first_free_slug

NAME_LIMIT, SHORT_LIMIT, PLACE_LIMIT = 300, 60, 120


def _checked(session: Session, data: Mapping[str, Any]) -> dict[str, Any]:
    problems: list[Problem] = []
    # Control characters (a NUL, a right-to-left override) are dropped as from every other text of the record.
    text = {
        key: collapse_spaces(printable(str(data.get(key) or "")))
        for key in ("name", "short_name", "city", "municipality")
    }
    name, short = text["name"], text["short_name"] or text["name"]
    if not name:
        problems.append(Problem("name", "required"))
    if len(name) > NAME_LIMIT:
        problems.append(Problem("name", "too_long", {"limit": NAME_LIMIT}))
    elif len(short) > SHORT_LIMIT:  # a long name given without a short one: the short one is asked for
        problems.append(Problem("short_name", "too_long", {"limit": SHORT_LIMIT}))
    for field in ("city", "municipality"):
        if len(text[field]) > PLACE_LIMIT:
            problems.append(Problem(field, "too_long", {"limit": PLACE_LIMIT}))
    kind = str(data.get("kind") or "basic")
    if kind not in SCHOOL_KINDS:
        problems.append(Problem("kind", "unknown_choice", {"value": kind}))
    region_text = collapse_spaces(printable(str(data.get("region") or "")))
    region = resolve_region(region_text) if region_text else ""
    if region is None:
        problems.append(Problem("region", "unknown_choice", {"value": region_text}))
    website = collapse_spaces(printable(str(data.get("website") or "")))
    if website and link_problem(website):
        problems.append(Problem("website", "bad_link", {"value": website}))
    if name and session.scalar(select(School.id).where(School.name_key == name_key(name))) is not None:
        problems.append(Problem("name", "duplicate_school", {"value": name}))
    if problems:
        raise InvalidInput(problems)
    return {
        "name": name,
        "short_name": short,
        "kind": kind,
        "city": text["city"],
        "municipality": text["municipality"],
        "region": region or "",
        "website": website,
    }


def add_school(*, engine: Engine, actor: Actor, data: Mapping[str, Any]) -> int:
    """Add a school; returns its id. Raises PermissionDenied (not a network admin) or InvalidInput."""
    require_network(actor, "admin")
    with Session(engine) as session, session.begin():
        clean = _checked(session, data)
        taken = set(session.scalars(select(School.slug)))
        school = School(slug=first_free_slug(taken, slugify(clean["short_name"]) or "school"), **clean)
        session.add(school)
        session.flush()
        audit(session, actor, "create", "school", school.id, summary=school.name, after=clean, school_id=school.id)
        return school.id
