"""The same answers from PostgreSQL as from SQLite.

The comparison needs a PostgreSQL server and a database it may empty, with collation C so that
names sort as in SQLite (`.ci/postgresql` makes one and prints its URL):

    TEST_POSTGRESQL_URL=postgresql+psycopg://user:password@localhost/scratch make test

Without it, only the SQL that differs between the two (db/expressions.py) is checked, compiled.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pandas as pd
import PIL.Image
import pytest
from pptx import Presentation
from sqlalchemy import Engine, select, text
from sqlalchemy.dialects import postgresql

import reports
from db import migrate, queries, search
from db.access import Actor
from db.attachments import add_attachment
from db.demo import load_demo
from db.engine import get_engine
from db.expressions import year_month
from db.filters import ActivityFilters
from db.models import Activity
from db.queries import data_revision
from db.rollups import differences
from db.writes import create_activity, delete_activity, delete_partner, update_activity
from tests.helpers import DEMO_TODAY, emptied

POSTGRESQL_URL = os.environ.get("TEST_POSTGRESQL_URL", "")
# A database whose user may make tables but not add extensions, as a hosting service may give
# (`.ci/postgresql` makes one and `.ci/run` passes its URL).
PLAIN_URL = os.environ.get("TEST_POSTGRESQL_PLAIN_URL", "")
EDITOR = Actor("maria", "editor")

FILTERS = [
    ActivityFilters(),
    ActivityFilters(2023),
    ActivityFilters(organization_ids=(3,)),
    ActivityFilters(2023, organization_ids=(2, 3)),
    ActivityFilters(type_codes=("meeting",)),
    ActivityFilters(2024, type_codes=("round_table", "training")),
]
FILTERED = (
    "activities_by_month",
    "activities_by_organization",
    "activities_by_school_year",
    "activity_count",
    "activity_list",
    "headline_figures",
    "outcomes",
    "outcomes_with_activities",
    "partner_figures",
    "partner_network",
    "timeline_events",
)
UNFILTERED = (
    "activity_types",
    "audit_actors",
    "audit_entries",
    "focus_areas",
    "organization_choices",
    "partner_descriptions",
    "partner_directory",
    "partner_kinds",
    "record_counts",
    "school_years",
)


def test_a_month_is_written_the_same_in_the_select_list_and_in_group_by() -> None:
    # Bound twice, `to_char(d, $1)` and `to_char(d, $2)` are different expressions to PostgreSQL.
    month = year_month(Activity.start_date)
    sql = str(select(month).group_by(month).compile(dialect=postgresql.dialect()))
    assert sql.count("to_char(activities.start_date, 'YYYY-MM')") == 2


def calls() -> list[tuple[str, Callable[[Engine], Any]]]:
    found: list[tuple[str, Callable[[Engine], Any]]] = []
    for filters in FILTERS:
        for name in FILTERED:
            found.append((f"{name} {filters}", lambda e, n=name, f=filters: getattr(queries, n)(e, f)))
        found.append(
            (
                f"figures_with_comparison {filters}",
                lambda e, f=filters: queries.figures_with_comparison(e, f, today=DEMO_TODAY),
            )
        )
        for order in ("newest", "largest"):
            found.append(
                (
                    f"partner_activity_lists {order} {filters}",
                    lambda e, f=filters, o=order: queries.partner_activity_lists(
                        e, f, statuses=("held", "planned"), per_partner=3, order=o
                    ),
                )
            )
    found += [(name, lambda e, n=name: getattr(queries, n)(e)) for name in UNFILTERED]
    found += [
        ("partner_directory search", lambda e: queries.partner_directory(e, search="ла")),
        ("partner_profile", lambda e: queries.partner_profile(e, "largo")),
        ("activity_detail", lambda e: queries.activity_detail(e, 5)),
        ("activity_choices", lambda e: queries.activity_choices(e, search="кръгла")),
        # The demo's photos (db/demo_photos.py): what a viewer gets, byte for byte, and what an editor gets.
        ("partner_gallery", lambda e: queries.partner_gallery(e, ActivityFilters(2025))),
        ("first_publishable_photos", lambda e: queries.first_publishable_photos(e, range(1, 400))),
        (
            "first_publishable_photos_with_captions",
            lambda e: queries.first_publishable_photos_with_captions(e, range(1, 400)),
        ),
        *[
            (
                f"activity_attachments {a} {editor}",
                lambda e, a=a, w=editor: queries.activity_attachments(e, a, with_unconsented=w),
            )
            for a in (143, 148, 150, 152)
            for editor in (False, True)
        ],
    ]
    # Searches, which PostgreSQL answers through pg_trgm's indexes (migration 0009) and SQLite through FTS5.
    for query in ("кръгла", "РОМ", "ла", "%", "а_", "няма такава", '"ларго"', "*", "NEAR"):
        found += [
            (
                f"activity_count search {query}",
                lambda e, q=query: queries.activity_count(e, ActivityFilters(), search=q),
            ),
            (f"activity_list search {query}", lambda e, q=query: queries.activity_list(e, ActivityFilters(), search=q)),
            (f"activity_choices search {query}", lambda e, q=query: queries.activity_choices(e, search=q)),
        ]
    return found


def kinds(value: Any) -> Any:
    """The Python type of every value: a Decimal where SQLite gives an int is a difference too."""
    if isinstance(value, pd.DataFrame):
        return {column: sorted({type(v).__name__ for v in value[column]}) for column in value.columns}
    if isinstance(value, dict):
        return {key: type(v).__name__ for key, v in value.items()}
    if isinstance(value, tuple):
        return [kinds(part) for part in value]
    return type(value).__name__


def shown(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        return value.reset_index(drop=True).astype(str).to_dict("records")
    if isinstance(value, tuple):
        return [shown(part) for part in value]
    if isinstance(value, dict):
        return {key: str(v) for key, v in value.items()}
    return str(value)


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Engine]]:
    if not POSTGRESQL_URL:
        pytest.skip("TEST_POSTGRESQL_URL is not set")
    pytest.importorskip("psycopg")
    server = get_engine(POSTGRESQL_URL)
    emptied(server)
    migrate.upgrade(server)
    load_demo(server, today=DEMO_TODAY)
    local = get_engine(f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'partnerships.db'}")
    migrate.upgrade(local)
    load_demo(local, today=DEMO_TODAY)
    yield local, server
    server.dispose()
    local.dispose()


@pytest.mark.parametrize(("name", "call"), calls(), ids=[name for name, _ in calls()])
def test_every_query_answers_alike(both: tuple[Engine, Engine], name: str, call: Callable[[Engine], Any]) -> None:
    local, server = both
    expected, answer = call(local), call(server)
    assert kinds(answer) == kinds(expected)
    assert shown(answer) == shown(expected)


def test_the_deck_has_the_same_slides(both: tuple[Engine, Engine]) -> None:
    decks = [
        Presentation(io.BytesIO(reports.generate(e, school_year=2023, fmt="pptx", today=DEMO_TODAY))) for e in both
    ]
    titles = [[slide.shapes.title.text if slide.shapes.title else "" for slide in deck.slides] for deck in decks]
    assert titles[0] == titles[1]
    assert len(titles[0]) > 5


def test_the_search_has_its_trigram_indexes_where_the_server_allows_them(both: tuple[Engine, Engine]) -> None:
    _, server = both
    with server.connect() as connection:
        trigrams = connection.scalar(text("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'"))
        indexes = set(
            connection.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'activities'")).scalars()
        )
    if not trigrams:
        pytest.skip("the server did not let the migration create pg_trgm: the search reads every activity")
    assert search.TRIGRAM_INDEXES <= indexes


def test_the_vocabulary_names_migration_goes_down_and_up_with_the_records(both: tuple[Engine, Engine]) -> None:
    _, server = both
    before = queries.activity_types(server), queries.record_counts(server)

    migrate.downgrade(server, "0004")
    with server.connect() as connection:
        assert connection.execute(text("SELECT name_bg, name_en FROM partner_kinds WHERE code = 'ngo'")).one() == (
            "НПО",
            "NGO",
        )
    migrate.upgrade(server)

    assert shown(queries.activity_types(server)) == shown(before[0])
    assert queries.record_counts(server) == before[1]


def test_the_rollups_stay_exact_on_postgresql_through_every_kind_of_write(both: tuple[Engine, Engine]) -> None:
    # Last in the module: it changes the server's records.
    _, server = both
    assert list(differences(server)) == []
    largo = int(queries.partner_profile(server, "largo")["id"])  # type: ignore[index]
    amalipe = int(queries.partner_profile(server, "amalipe")["id"])  # type: ignore[index]
    data = {"title": "Лятно училище", "type": "training", "status": "held", "start_date": date(2024, 6, 30),
            "participants": 12, "pupils_reached": 8, "organizations": [(largo, "organizer")]}  # fmt: skip
    activity = create_activity(engine=server, actor=EDITOR, data=data)
    for version, change in enumerate(
        [{"start_date": date(2024, 9, 15)}, {"type": "meeting", "status": "planned"},
         {"status": "held", "organizations": [(amalipe, "partner"), (largo, "funder")]}],
        start=1,
    ):  # fmt: skip
        data = {**data, **change}
        update_activity(engine=server, actor=EDITOR, activity_id=activity, expected_version=version, data=data)
        assert list(differences(server)) == [], change
    revision = data_revision(server)
    delete_activity(engine=server, actor=EDITOR, activity_id=activity, expected_version=4)
    assert list(differences(server)) == []
    assert data_revision(server) != revision
    version = int(queries.partner_for_editing(server, largo)["version"])  # type: ignore[index]
    delete_partner(engine=server, actor=EDITOR, partner_id=largo, expected_version=version, activities="unlink")
    assert list(differences(server)) == []


def test_without_rights_to_add_pg_trgm_the_migrations_succeed_and_the_search_still_finds_all(
    both: tuple[Engine, Engine],
) -> None:
    """Migration 0009 tries pg_trgm in a savepoint: refused, the search is the plain LIKE, with the same answers."""
    if not PLAIN_URL:
        pytest.skip("TEST_POSTGRESQL_PLAIN_URL is not set")
    local, _ = both
    plain = get_engine(PLAIN_URL)
    try:
        emptied(plain)
        migrate.upgrade(plain)
        assert migrate.current_revision(plain) == migrate.head_revision()
        with plain.connect() as connection:
            assert not connection.scalar(text("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'"))
        load_demo(plain, today=DEMO_TODAY)
        for words in ("рисунка", "среща", "ром", "%", "няма такава"):
            assert queries.activity_count(plain, ActivityFilters(), search=words) == queries.activity_count(
                local, ActivityFilters(), search=words
            ), words
            assert shown(queries.activity_list(plain, ActivityFilters(), search=words)) == shown(
                queries.activity_list(local, ActivityFilters(), search=words)
            ), words
        assert search.is_exact(plain)
        assert list(differences(plain)) == []
    finally:
        plain.dispose()


def test_an_attachment_on_postgresql_changes_the_revision_and_goes_with_its_activity(
    both: tuple[Engine, Engine],
) -> None:
    _, server = both
    picture = io.BytesIO()
    PIL.Image.new("RGB", (40, 30), "red").save(picture, "JPEG")
    revision = data_revision(server)
    added = add_attachment(
        engine=server, actor=EDITOR, activity_id=150, raw=picture.getvalue(), file_name="a.jpg", consent="yes"
    )
    assert data_revision(server) != revision
    assert [a["id"] for a in queries.activity_attachments(server, 150)] == [added]
    version = queries.activity_for_editing(server, 150)["version"]  # type: ignore[index]
    delete_activity(engine=server, actor=EDITOR, activity_id=150, expected_version=version)
    with server.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM attachments WHERE activity_id = 150")) == 0
