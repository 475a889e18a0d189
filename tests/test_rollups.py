"""The rollups: exact after every kind of write, and the queries that read them answer as the old SQL did."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta
from itertools import product
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, insert, select, text

from db import queries
from db.access import Actor
from db.backup import backup, restore
from db.filters import ActivityFilters
from db.models import Activity, ActivityOrganization, ActivityType
from db.rollups import differences, rebuild
from db.school_year import school_year_of
from db.text import name_key, search_text
from db.transfer import import_activities
from db.writes import create_activity, delete_activity, delete_partner, update_activity
from tests import queries_before_rollups as before
from tests.factories import add_partner
from tests.helpers import ROOT, run_db

EDITOR = Actor("maria", "editor")
ADMIN = Actor("director", "admin")


def exact(engine: Engine) -> list[Any]:
    """The groups where the rollups differ from the records: none when they are exact."""
    return list(differences(engine))


# ---- the same answers as before -------------------------------------------------------------


def _random_record(engine: Engine, seed: int) -> None:
    """Partners and activities on the days where school years turn, some sharing partners, some with none."""
    rng = random.Random(seed)
    partners = [add_partner(engine, slug=f"p{i}", name=f"Партньор {i}", short_name=f"П{i}") for i in range(6)]
    with engine.connect() as connection:
        types = list(connection.execute(select(ActivityType.id)).scalars())
    edges = [(9, 14), (9, 15), (6, 30), (7, 1), (12, 31), (1, 1), (3, 10)]
    activities, links = [], []
    for number in range(1, 241):
        month, day = rng.choice(edges)
        start = date(rng.choice((2021, 2022, 2023)), month, day) + timedelta(days=rng.choice((0, 0, 0, 3)))
        title = f"Дейност {number}"
        activities.append(
            {
                "id": number,
                "title": title,
                "title_key": name_key(title),
                "search_text": search_text(title, "", ""),
                "type_id": rng.choice(types),
                "status": rng.choice(("held", "held", "planned", "cancelled")),
                "start_date": start,
                "school_year": school_year_of(start),
                "participants": rng.choice((None, 0, 5, 30)),
                "pupils_reached": rng.choice((None, 2, 11)),
            }
        )
        for partner in rng.sample(partners, rng.choice((0, 1, 1, 2, 3))):
            links.append({"activity_id": number, "organization_id": partner, "role": "partner"})
    with engine.begin() as connection:
        connection.execute(insert(Activity), activities)
        connection.execute(insert(ActivityOrganization), links)


EVERY_FILTER = [
    ActivityFilters(year, organizations, types)
    for year, organizations, types in product(
        (None, 2021, 2022, 2019),
        ((), (1,), (2,), (1, 2), (3, 4, 5), (999,)),
        ((), ("meeting",), ("meeting", "training"), ("no_such_type",)),
    )
]
# Each run a different sample of the 96 combinations (the seed in the test's name), so a run stays short.
SAMPLED = 20


def _same(new: Any, old: Any, what: str) -> None:
    if isinstance(old, pd.DataFrame):
        pd.testing.assert_frame_equal(new, old, obj=what)
    else:
        assert new == old, what


def _compare_every_query(engine: Engine, seed: int) -> None:
    for filters in random.Random(seed).sample(EVERY_FILTER, SAMPLED):
        for name in ("activities_by_organization", "activities_by_month", "activities_by_school_year"):
            _same(getattr(queries, name)(engine, filters), getattr(before, name)(engine, filters), f"{name} {filters}")
        _same(queries.headline_figures(engine, filters), before.headline_figures(engine, filters), f"{filters}")
        cut = date(2022, 12, 31)
        _same(
            queries.headline_figures(engine, filters, on_or_before=cut),
            before.headline_figures(engine, filters, on_or_before=cut),
            f"to a day {filters}",
        )
        for statuses in (("held",), ("planned", "held"), ("planned", "held", "cancelled")):
            _same(
                queries.activity_count(engine, filters, statuses=statuses),
                before.activity_count(engine, filters, statuses=statuses),
                f"count {statuses} {filters}",
            )
        _same(
            queries.activity_count(engine, filters, search="дейност 1"),
            before.activity_count(engine, filters, search="дейност 1"),
            f"search {filters}",
        )
        _same(queries.timeline_events(engine, filters)[1], before.timeline_total(engine, filters), f"{filters}")
    for search in ("", "П1", "няма"):
        _same(queries.partner_directory(engine, search=search), before.partner_directory(engine, search=search), search)
    for slug in queries.organization_choices(engine)["slug"]:
        _same(queries.partner_profile(engine, slug), before.partner_profile(engine, slug), slug)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_rollups_answer_as_the_activities_do_over_every_filter(engine: Engine, writer: Engine, seed: int) -> None:
    _random_record(writer, seed)
    assert exact(engine) == []
    _compare_every_query(engine, seed)
    # And again after edits that move activities between groups and partners.
    rng = random.Random(seed)
    with writer.begin() as connection:
        for activity_id in rng.sample(range(1, 241), 60):
            start = date(2022, 9, 14) if activity_id % 2 else date(2022, 9, 15)
            connection.execute(
                text("UPDATE activities SET start_date = :d, school_year = :y, status = :s WHERE id = :i"),
                {"d": start, "y": school_year_of(start), "s": rng.choice(("held", "planned")), "i": activity_id},
            )
        connection.execute(text("DELETE FROM activity_organizations WHERE organization_id = 2 AND activity_id < 100"))
        connection.execute(text("DELETE FROM activities WHERE id % 7 = 0"))
    assert exact(engine) == []
    _compare_every_query(engine, seed)


def test_the_demo_data_gives_the_same_answers(demo_engine: Engine) -> None:
    assert exact(demo_engine) == []
    _compare_every_query(demo_engine, 0)
    assert queries.partner_profile(demo_engine, "amalipe") == before.partner_profile(demo_engine, "amalipe")


# ---- exact after every kind of write --------------------------------------------------------


ACTIVITY = {
    "title": "Кръгла маса",
    "type": "round_table",
    "status": "held",
    "start_date": date(2024, 6, 30),
    "participants": 40,
    "pupils_reached": 12,
}


@pytest.fixture
def partners(engine: Engine) -> list[int]:
    return [add_partner(engine, slug=s, name=s.upper(), short_name=s.upper()) for s in ("ros", "largo", "adra")]


def _figures(engine: Engine, slug: str) -> tuple[Any, ...]:
    """What the directory and the profile say of a partner: held activities, the first and the last."""
    directory = queries.partner_directory(engine).set_index("slug")
    profile = queries.partner_profile(engine, slug) or {}
    return (int(directory.loc[slug, "activities"]), profile.get("first_activity"), profile.get("last_activity"))


def test_every_edit_of_an_activity_keeps_the_rollups_exact(engine: Engine, writer: Engine, partners: list[int]) -> None:
    ros, largo, adra = partners
    first = create_activity(engine=writer, actor=EDITOR, data={**ACTIVITY, "organizations": [(ros, "organizer")]})
    create_activity(
        engine=writer,
        actor=EDITOR,
        data={**ACTIVITY, "title": "Среща", "start_date": date(2024, 3, 1), "organizations": [(ros, "partner")]},
    )
    assert exact(engine) == []
    assert _figures(engine, "ros") == (2, date(2024, 3, 1), date(2024, 6, 30))

    # 30 June to 1 July stays in 2023/2024 (the summer counts with the year just ended); 15 September moves it on.
    steps: list[dict[str, Any]] = [
        {"start_date": date(2024, 7, 1)},
        {"start_date": date(2024, 9, 15)},
        {"type": "training", "participants": 5, "pupils_reached": None},
        {"status": "planned"},
        {"status": "held", "organizations": [(largo, "organizer"), (adra, "funder")]},
        {"organizations": [(adra, "organizer")]},
    ]
    data = {**ACTIVITY, "organizations": [(ros, "organizer")]}
    for version, change in enumerate(steps, start=1):
        data = {**data, **change}
        update_activity(engine=writer, actor=EDITOR, activity_id=first, expected_version=version, data=data)
        assert exact(engine) == [], change
    by_year = queries.activities_by_school_year(engine, ActivityFilters())
    assert by_year[["school_year", "type_code", "activities"]].to_dict("records") == [
        {"school_year": 2023, "type_code": "round_table", "activities": 1},
        {"school_year": 2024, "type_code": "training", "activities": 1},
    ]
    assert _figures(engine, "ros") == (1, date(2024, 3, 1), date(2024, 3, 1))  # its last day went with the move
    assert _figures(engine, "adra") == (1, date(2024, 9, 15), date(2024, 9, 15))

    delete_activity(engine=writer, actor=EDITOR, activity_id=first, expected_version=len(steps) + 1)
    assert exact(engine) == []
    assert _figures(engine, "adra") == (0, None, None)
    assert queries.headline_figures(engine, ActivityFilters())["activities"] == 1


@pytest.mark.parametrize("activities", ["unlink", "delete"])
def test_deleting_a_partner_keeps_the_rollups_exact(
    engine: Engine, writer: Engine, partners: list[int], activities: Any
) -> None:
    ros, largo, _ = partners
    create_activity(engine=writer, actor=EDITOR, data={**ACTIVITY, "organizations": [(ros, "organizer")]})
    create_activity(
        engine=writer,
        actor=EDITOR,
        data={**ACTIVITY, "title": "Обща", "organizations": [(ros, "organizer"), (largo, "partner")]},
    )
    delete_partner(engine=writer, actor=EDITOR, partner_id=ros, expected_version=1, activities=activities)
    assert exact(engine) == []
    assert queries.headline_figures(engine, ActivityFilters()) == {
        "activities": 1 if activities == "unlink" else 0,
        "partners": 1 if activities == "unlink" else 0,
        "participants": 40 if activities == "unlink" else 0,
        "pupils": 12 if activities == "unlink" else 0,
    }


def test_an_import_keeps_the_rollups_exact(engine: Engine, writer: Engine) -> None:
    add_partner(engine, slug="ros", name="Ромски общностен съвет, кв. „Изток“ – Кюстендил", short_name="РОС „Изток“")
    add_partner(engine, slug="largo", name="Сдружение „Ларго“", short_name="Ларго")
    data = (ROOT / "tests" / "fixtures" / "activities_cp1251.csv").read_bytes()
    result = import_activities(engine=writer, actor=EDITOR, data=data, filename="a.csv", today=date(2024, 6, 1))
    assert (result.problems, result.added) == ([], 2)
    assert exact(engine) == []
    assert queries.activities_by_organization(engine, ActivityFilters())[["slug", "activities"]].to_dict("records") == [
        {"slug": "largo", "activities": 1},
        {"slug": "largo", "activities": 1},
        {"slug": "ros", "activities": 1},
        {"slug": "ros", "activities": 1},
    ]


def test_a_restored_file_has_its_rollups_counted_from_its_own_activities(demo_engine: Engine, tmp_path: Path) -> None:
    saved = backup(demo_engine, tmp_path / "monday.db")
    # A file whose rollups say something else than its activities (edited by hand, or by an old bug).
    with sqlite3.connect(saved) as copy:
        copy.execute("UPDATE partner_rollup SET activities = activities + 100")
        copy.execute("DELETE FROM activity_rollup WHERE school_year = 2023")
    restore(demo_engine, saved, actor=ADMIN, keep_current_in=tmp_path / "safety")
    assert exact(demo_engine) == []


def test_rebuild_mends_rollups_that_drifted(demo_engine: Engine) -> None:
    right = queries.activities_by_organization(demo_engine, ActivityFilters())
    with demo_engine.begin() as connection:
        connection.execute(text("UPDATE partner_rollup SET activities = 1"))
    assert len(exact(demo_engine)) > 0
    rebuild(demo_engine)
    assert exact(demo_engine) == []
    pd.testing.assert_frame_equal(queries.activities_by_organization(demo_engine, ActivityFilters()), right)


def test_the_check_command_says_what_differs_and_rebuild_mends_it(demo_engine: Engine, database_url: str) -> None:
    with demo_engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE partner_rollup SET activities = activities + 1 WHERE type_id = (SELECT min(type_id) "
                "FROM partner_rollup WHERE organization_id = (SELECT id FROM organizations WHERE slug = 'amalipe') "
                "AND school_year = 2023 AND status = 'held') AND school_year = 2023 AND status = 'held' "
                "AND organization_id = (SELECT id FROM organizations WHERE slug = 'amalipe')"
            )
        )
    done = run_db(database_url, "rollups", "--check")
    assert (done.returncode, done.stderr.splitlines()) == (
        1,
        [
            "Групи, в които сборовете не съвпадат с дейностите: 1 (първите 1 са по-долу). "
            "За да ги преброите наново: python -m db rollups --rebuild",
            "Сборове по партньори, учебна 2023/2024 г., вид „обучение“, проведена, партньор „Амалипе“: "
            "записано 2 дейности, 21 участници, 0 ученици (от 06.10.2023 до 06.10.2023), "
            "а според дейностите 1 дейност, 21 участници, 0 ученици (от 06.10.2023 до 06.10.2023).",
        ],
    )
    mended = run_db(database_url, "--lang", "en", "rollups", "--rebuild")
    assert (mended.returncode, mended.stdout) == (
        0,
        "The totals per partner and per period were counted again from the activities.\n"
        "The search index was built again from the activities' text.\n",
    )
    assert exact(demo_engine) == []
    checked = run_db(database_url, "rollups", "--check", language="en")
    assert (checked.returncode, checked.stdout) == (
        0,
        "The totals per partner and per period match the activities exactly.\n"
        "The search index matches the activities' text exactly.\n",
    )
