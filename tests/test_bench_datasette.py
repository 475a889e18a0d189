"""bench/datasette.py keeps comparing what the screens compute: its views name real queries, its SQL gives our figures.

Datasette itself is not installed here: its hand-written SQL is run through sqlite3 on the demo database,
which is what Datasette would run on the same file.
"""

from __future__ import annotations

import inspect
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from bench.datasette import VIEWS
from db import queries

ROOT = Path(__file__).resolve().parent.parent

# The aggregate reads of the screens (pages/, charts/registry.py): each must stay in the comparison.
AGGREGATE_QUERIES = {
    "activities_by_organization",
    "activities_by_month",
    "activities_by_school_year",
    "headline_figures",
    "partner_directory",
    "timeline_events",
    "activity_list",
    "activity_count",
}


def test_every_view_calls_an_existing_query_with_arguments_it_takes() -> None:
    for view in VIEWS:
        for call in view.calls:
            function = getattr(queries, call.query, None)
            assert callable(function), f"{view.name}: db.queries has no {call.query}"
            # A renamed or removed keyword would make the benchmark fail only when someone runs it.
            inspect.signature(function).bind(object(), *call.args, **call.kwargs)


def test_every_aggregate_query_of_the_screens_is_compared() -> None:
    compared = {call.query for view in VIEWS for call in view.calls}
    assert AGGREGATE_QUERIES <= compared, AGGREGATE_QUERIES - compared
    assert all(view.datasette for view in VIEWS)


def test_datasette_is_not_a_dependency_of_the_app() -> None:
    for requirements in ROOT.glob("requirements*.txt"):
        assert "datasette" not in requirements.read_text().lower(), requirements.name


def test_datasettes_sql_gives_the_figures_our_queries_give(demo_engine: Engine) -> None:
    database = demo_engine.url.database
    assert database
    checked = 0
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        for view in VIEWS:
            ours = view.total([call.function()(demo_engine, *call.args, **call.kwargs) for call in view.calls])
            for request in view.datasette:
                if "sql" not in request.params:
                    continue
                parameters = {k: v for k, v in request.params.items() if k != "sql" and not k.startswith("_")}
                rows: list[dict[str, Any]] = [
                    dict(row) for row in connection.execute(request.params["sql"], parameters)
                ]
                assert request.total({"rows": rows}) == ours, f"{view.name}: {request.kind}"
                checked += 1
    finally:
        connection.close()
    assert checked >= len(VIEWS) - 1  # every view but the activity list has its SQL
