"""A record's fields as plain values: what the audit log keeps and what the editing forms show."""

from __future__ import annotations

from typing import Any

from db.models import Activity, Organization


def partner_fields(partner: Organization) -> dict[str, Any]:
    """Keys: the partner form's fields; kind and focus areas as codes."""
    return {
        "name": partner.name,
        "short_name": partner.short_name,
        "kind": partner.kind.code,
        "city": partner.city,
        "website": partner.website,
        "email": partner.email,
        "phone": partner.phone,
        "contact_person": partner.contact_person,
        "mission": partner.mission,
        "focus_areas": [area.code for area in partner.focus_areas],
        "partner_since": partner.partner_since,
        "is_active": partner.is_active,
    }


def activity_fields(activity: Activity) -> dict[str, Any]:
    """Keys: the activity form's fields; type as a code, organizations as sorted (id, role) pairs."""
    return {
        "title": activity.title,
        "type": activity.type.code,
        "status": activity.status,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "location": activity.location,
        "description": activity.description,
        "participants": activity.participants,
        "pupils_reached": activity.pupils_reached,
        "news_url": activity.news_url,
        "organizations": sorted((link.organization_id, link.role) for link in activity.links),
    }
