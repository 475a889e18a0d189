"""Each partner's newest activities, found from the partner rollup, are the ones ranking every link found."""

from __future__ import annotations

import random
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from db import queries
from db.filters import ActivityFilters
from db.queries import per_partner
from db.school_year import school_year_of
from tests import queries_before_newest as before
from tests.test_rollups import EVERY_FILTER, _random_record

STATUSES = (("held", "planned"), ("held",), ("planned", "held", "cancelled"))


def _compare(engine: Engine, filters: list[ActivityFilters]) -> None:
    for one in filters:
        for statuses in STATUSES:
            for count in (1, 6, 40):
                new = queries.partner_activity_lists(engine, one, statuses=statuses, per_partner=count, order="newest")
                old = before.partner_activity_lists(engine, one, statuses=statuses, per_partner=count, order="newest")
                pd.testing.assert_frame_equal(new, old, obj=f"{one} {statuses} {count}")


def test_the_demo_partners_newest_activities_are_the_same(demo_engine: Engine) -> None:
    years = [None, *sorted(queries.school_years(demo_engine))[-2:]]
    with demo_engine.connect() as connection:
        ids = connection.execute(text("SELECT id FROM organizations ORDER BY id LIMIT 2")).scalars().all()
    filters = [ActivityFilters(year, organizations) for year in years for organizations in ((), tuple(ids))]
    _compare(demo_engine, filters)


@pytest.mark.parametrize(("seed", "walk_dates"), [(1, True), (2, False)])
def test_random_partners_newest_activities_are_the_same_even_after_edits(
    engine: Engine, writer: Engine, seed: int, walk_dates: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both ways of finding the candidates (from the date index, from the partners' links) give the same rows.
    monkeypatch.setattr(per_partner, "_fewer_by_date", lambda *_: walk_dates)
    _random_record(writer, seed)
    # Over all years the rollup finds them (a single year ranks its links as before): those, and a few years.
    all_years = [f for f in EVERY_FILTER if f.school_year is None]
    sample = random.Random(seed).sample(all_years, 8) + random.Random(seed).sample(EVERY_FILTER, 2)
    _compare(engine, sample)
    # Moved and deleted activities leave the rollup's first days earlier than the activities: still a bound.
    rng = random.Random(seed)
    with writer.begin() as connection:
        for activity_id in rng.sample(range(1, 241), 60):
            start = date(2023, 9, 14) if activity_id % 2 else date(2021, 9, 15)
            connection.execute(
                text("UPDATE activities SET start_date = :d, school_year = :y, status = :s WHERE id = :i"),
                {"d": start, "y": school_year_of(start), "s": rng.choice(("held", "planned")), "i": activity_id},
            )
        connection.execute(text("DELETE FROM activity_organizations WHERE organization_id = 2 AND activity_id < 100"))
        connection.execute(text("DELETE FROM activities WHERE id % 7 = 0"))
    _compare(engine, sample)
