"""The story of a period: its most important held activities, for the round table's story slides.

Important is what an editor starred (`is_highlight`), then the round tables (the community's own
meetings, which the story is told at), then the largest by participants; the newest first among equals.
The deck shows the chosen ones in time order (content.gather).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, case, select

from db.filters import ActivityFilters, activity_conditions
from db.models import Activity, ActivityType
from db.queries.activities import LISTED, _partner_names
from db.queries.frames import frame

ROUND_TABLE = "round_table"


def story_activities(engine: Engine, filters: ActivityFilters, *, limit: int) -> pd.DataFrame:
    """At most `limit` held activities of the filters, the most important first.

    Columns: those of `activity_list` (id, start_date, end_date, title, type_code, status, location,
    participants, pupils_reached, news_url, organizations) and description, highlight.
    """
    rank = case((Activity.is_highlight, 0), (ActivityType.code == ROUND_TABLE, 1), else_=2)
    statement = (
        select(*LISTED, Activity.description, Activity.is_highlight.label("highlight"))
        .join(ActivityType, ActivityType.id == Activity.type_id)
        .where(Activity.status == "held", *activity_conditions(filters))
        .order_by(
            rank,
            Activity.participants.is_(None),
            Activity.participants.desc(),
            Activity.start_date.desc(),
            Activity.id.desc(),
        )
        .limit(max(limit, 0))
    )
    activities = frame(engine, statement)
    partners = _partner_names(engine, activities["id"].tolist()) if len(activities) else {}
    activities["organizations"] = activities["id"].map(lambda i: partners.get(i, "")).astype(str)
    return activities
