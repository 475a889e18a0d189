"""Reads for the screens: small, aggregated results as DataFrames or dicts."""

from db.queries.accounts import list_users, role_of, school_of
from db.queries.activities import (
    activities_by_month,
    activities_by_organization,
    activities_by_school_year,
    activity_count,
    activity_detail,
    activity_list,
    figures_with_comparison,
    headline_figures,
    timeline_events,
)
from db.queries.attachments import (
    activity_attachments,
    attachment_file,
    first_publishable_photos,
    first_publishable_photos_with_captions,
    partner_gallery,
)
from db.queries.audit import audit_actors, audit_entries
from db.queries.editing import activity_choices, activity_for_editing, partner_for_editing
from db.queries.outcomes import outcomes, outcomes_with_activities, partner_outcomes
from db.queries.partner_network import NETWORK_PARTNERS, PartnerNetwork, partner_network
from db.queries.partners import (
    organization_choices,
    partner_activity_count,
    partner_directory,
    partner_profile,
)
from db.queries.per_partner import partner_activity_lists, partner_descriptions, partner_figures
from db.queries.revision import data_revision
from db.queries.schools import (
    partner_reach,
    partner_schools,
    regions_summary,
    school_detail,
    school_list,
    school_partners,
    schools_compared,
)
from db.queries.story import story_activities
from db.queries.vocabularies import activity_types, focus_areas, partner_kinds, record_counts, school_years

__all__ = [
    "NETWORK_PARTNERS",
    "PartnerNetwork",
    "activities_by_month",
    "activities_by_organization",
    "activities_by_school_year",
    "activity_choices",
    "activity_count",
    "activity_detail",
    "activity_for_editing",
    "activity_list",
    "activity_types",
    "activity_attachments",
    "attachment_file",
    "first_publishable_photos",
    "first_publishable_photos_with_captions",
    "partner_gallery",
    "audit_actors",
    "audit_entries",
    "data_revision",
    "figures_with_comparison",
    "focus_areas",
    "headline_figures",
    "list_users",
    "organization_choices",
    "outcomes",
    "outcomes_with_activities",
    "partner_activity_count",
    "partner_activity_lists",
    "partner_descriptions",
    "partner_directory",
    "partner_figures",
    "partner_for_editing",
    "partner_outcomes",
    "partner_kinds",
    "partner_network",
    "partner_profile",
    "partner_reach",
    "partner_schools",
    "record_counts",
    "regions_summary",
    "role_of",
    "school_detail",
    "school_list",
    "school_of",
    "school_partners",
    "school_years",
    "story_activities",
    "schools_compared",
    "timeline_events",
]
