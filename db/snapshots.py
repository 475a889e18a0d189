"""A record's fields as plain values: what the audit log keeps and what the editing forms show."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from db.fields import Field, Kind, declared
from db.models import Activity, Organization


def partner_fields(partner: Organization) -> dict[str, Any]:
    """Keys: the partner's declared fields (db.fields); kind and focus areas as codes."""
    return snapshot(partner, declared("partners"))


def activity_fields(activity: Activity) -> dict[str, Any]:
    """Keys: the activity's declared fields (db.fields); type as a code, organizations as sorted (id, role) pairs."""
    return snapshot(activity, declared("activities"))


def snapshot(record: Any, fields: tuple[Field, ...]) -> dict[str, Any]:
    """Each field's value as the model holds it, relations given by their codes or ids."""
    values: dict[str, Any] = {}
    for field in fields:
        value = getattr(record, field.attribute)
        if field.kind is Kind.VOCABULARY:
            value = value.code
        elif field.kind is Kind.CODES:
            value = [row.code for row in value]
        elif field.kind is Kind.PARTNERS:
            value = sorted((link.organization_id, link.role) for link in value)
        values[field.name] = value
    return values


def checked_fields(clean: Mapping[str, Any], fields: Sequence[Field]) -> dict[str, Any]:
    """What `snapshot` gives for a record written from these checked fields, without loading it.

    For an import's bulk insert. Codes in the order the record's rows have them (by code: the ORM
    loads them through the code's unique index), partners as sorted (id, role) pairs, one per partner.
    """
    values: dict[str, Any] = {}
    for field in fields:
        value = clean[field.name]
        if field.kind is Kind.CODES:
            value = sorted(set(value))
        elif field.kind is Kind.PARTNERS:
            value = sorted(dict(value).items())
        values[field.name] = value
    return values
