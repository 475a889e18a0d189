"""The timeline's rows, computed a column at a time, are the rows the per-row code made (tests/old_timeline.py)."""

import random
from datetime import date, timedelta

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from sqlalchemy import Engine

from charts.builders import MAX_SLOTS, ChartText, timeline_frame
from db import queries
from db.filters import ActivityFilters
from i18n import translator
from tests.old_timeline import old_timeline_frame
from ui.context import vocabulary_names

COLUMNS = ["id", "title", "start_date", "end_date", "type_code", "status", "organization", "role"]
TYPES = ("meeting", "training", "celebration", "round_table", "donation", "no_such_type")


def chart_text(engine: Engine, lang: str) -> ChartText:
    return ChartText(translator(lang), lang, vocabulary_names(queries.activity_types(engine), lang))


@pytest.mark.parametrize("lane", ["organization", "type"])
def test_the_demo_timelines_have_the_same_rows(demo_engine: Engine, lane: str) -> None:
    for lang in ("bg", "en"):
        text = chart_text(demo_engine, lang)
        for filters in (ActivityFilters(), ActivityFilters(school_year=2023), ActivityFilters(organization_ids=(3,))):
            events, _ = queries.timeline_events(demo_engine, filters)
            assert len(events)
            assert_frame_equal(timeline_frame(events, text, lane), old_timeline_frame(events, text, lane))


def crowded_events(seed: int, count: int, partners: int, days: int) -> pd.DataFrame:
    """`count` events over `days` days with 1-3 of `partners` each: lanes with more events at once than rows."""
    rng = random.Random(seed)
    first = date(2019, 9, 2)
    rows = []
    for event in range(1, count + 1):
        start = first + timedelta(days=rng.randrange(days))
        end = None if rng.random() < 0.5 else start + timedelta(days=rng.choice((0, 1, 2, 5, 30)))
        kind, status = rng.choice(TYPES), rng.choice(("held", "planned"))
        for partner in rng.sample(range(partners), rng.randint(1, min(3, partners))):
            rows.append((event, f"Събитие {event}", start, end, kind, status, f"Партньор {partner:02d}", "partner"))
    rows.sort(key=lambda row: (row[2], row[0], row[6]))
    return pd.DataFrame(rows, columns=COLUMNS)


@pytest.mark.parametrize(
    ("seed", "count", "partners", "days"),
    [(1, 3000, 40, 60), (2, 1500, 5, 3650), (3, 400, 2, 10), (4, 1, 1, 1)],
)
@pytest.mark.parametrize("lane", ["organization", "type"])
def test_generated_crowded_timelines_have_the_same_rows(
    engine: Engine, seed: int, count: int, partners: int, days: int, lane: str
) -> None:
    events = crowded_events(seed, count, partners, days)
    text = chart_text(engine, "bg")
    new = timeline_frame(events, text, lane)
    assert_frame_equal(new, old_timeline_frame(events, text, lane))
    if count > 1:
        assert new["slot"].max() == MAX_SLOTS - 1  # the cases reach the shared last row
