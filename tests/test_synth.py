"""`python -m db synth`: a synthetic network, plausible, marked as demo data, the same for the same seed."""

from __future__ import annotations

import os
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text

from db import migrate, search, synth
from db.engine import get_engine
from db.models import (
    SCHOOL_KINDS,
    Activity,
    ActivityOrganization,
    Base,
    Organization,
    School,
    school_partner_rollup,
)
from db.regions import REGION_CODES
from db.rollups import differences
from tests.helpers import emptied, run_db

SMALL = {"schools": 5, "partners": 20, "activities": 500}
POSTGRESQL_URL = os.environ.get("TEST_POSTGRESQL_URL", "")


def _fresh(path: Path) -> Engine:
    engine = get_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    return engine


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows in a fixed order; the data revision (random by design) and the moment the migration
    made the first school (the clock's) left out."""
    tables = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name == "data_revision":
                continue
            columns = [c for c in table.columns if not (table.name == "schools" and c.name == "created_at")]
            rows = connection.execute(select(*columns).order_by(*table.primary_key.columns)).all()
            tables[table.name] = [tuple(row) for row in rows]
    return tables


def _triggers(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        return [
            tuple(r) for r in connection.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        ]


def test_a_small_network_has_what_was_asked_all_marked_and_counted_exactly(engine: Engine) -> None:
    made = synth.synthesize(engine, **SMALL, seed=3)
    assert (made.schools, made.partners, made.activities) == (5, 20, 500)
    with engine.connect() as connection:
        schools = connection.execute(select(School)).mappings().all()
        assert len(schools) == 5
        # The first school is the install's own, kept as it was; the others are invented.
        assert schools[0]["name"] == "ОУ „Иван Вазов“ – Кюстендил" and not schools[0]["is_demo"]
        assert all(s["is_demo"] for s in schools[1:])
        assert all(s["region"] in REGION_CODES and s["kind"] in SCHOOL_KINDS for s in schools)
        assert all(" – " in s["name"] and s["city"] and s["municipality"] for s in schools)
        assert connection.scalar(select(func.count()).select_from(Organization)) == 20
        assert connection.scalar(select(func.count()).where(Organization.is_demo.is_(False))) == 0
        assert connection.scalar(select(func.count()).select_from(Activity)) == 500
        assert connection.scalar(select(func.count()).where(Activity.is_demo.is_(False))) == 0
        per_activity = Counter(connection.scalars(select(ActivityOrganization.activity_id)))
        assert len(per_activity) == 500 and set(per_activity.values()) <= {1, 2, 3}
        years = set(connection.scalars(select(Activity.school_year).distinct()))
        assert min(years) == 2014 and max(years) >= 2025
        # Only counts of people: no column holds a pupil.
        assert connection.scalar(select(func.count()).where(Activity.pupils_reached > Activity.participants)) == 0
    assert list(differences(engine)) == []
    assert search.is_exact(engine)


def test_the_same_seed_makes_the_same_database_and_another_seed_another(tmp_path: Path) -> None:
    first, second, other = (_fresh(tmp_path / f"{name}.db") for name in ("first", "second", "other"))
    for target, seed in ((first, 11), (second, 11), (other, 12)):
        synth.synthesize(target, **SMALL, seed=seed)
    assert dump(first) == dump(second)
    assert dump(first)["activities"] != dump(other)["activities"]
    assert dump(first)["schools"] != dump(other)["schools"]


def test_a_national_network_is_spread_like_the_country_with_a_long_tailed_reach(engine: Engine) -> None:
    synth.synthesize(engine, schools=300, partners=1000, activities=20_000, seed=1)
    with engine.connect() as connection:
        regions = Counter(connection.scalars(select(School.region)))
        reach = dict(
            connection.execute(
                select(
                    school_partner_rollup.c.organization_id, func.count(school_partner_rollup.c.school_id.distinct())
                ).group_by(school_partner_rollup.c.organization_id)
            ).all()
        )
    assert regions.most_common(1)[0][0] == "BG-22"  # Sofia City
    assert len(regions) >= 25
    # A few partners work with a hundred schools and more; most with a handful.
    assert sum(1 for n in reach.values() if n >= 100) >= 3
    assert statistics.median(reach.values()) <= 10


def test_a_failure_half_way_leaves_the_database_as_it_was_triggers_included(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _triggers(engine)
    assert any(name == "rollup_activity_inserted" for name, _ in before)
    monkeypatch.setattr(synth, "BATCH", 100)
    built = synth._ActivityMaker.rows
    calls = []

    def failing(self: Any, *args: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the disk, say")
        return built(self, *args)

    monkeypatch.setattr(synth._ActivityMaker, "rows", failing)
    with pytest.raises(RuntimeError):
        synth.synthesize(engine, **SMALL, seed=3)
    assert sorted(_triggers(engine)) == sorted(before)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Activity)) == 0
        assert connection.scalar(select(func.count()).select_from(School)) == 1
        assert connection.scalar(select(func.count()).select_from(Organization)) == 0


def test_the_command_makes_a_network_that_the_rollups_check_finds_exact(database_url: str) -> None:
    result = run_db(database_url, "--lang", "en", "synth", "--schools", "4", "--partners", "12", "--activities", "300")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Synthetic network made (seed 1) in ")
    assert "Schools: 4; partners: 12; activities: 300;" in result.stdout
    check = run_db(database_url, "rollups", "--check")
    assert check.returncode == 0, check.stderr


def test_the_command_refuses_a_database_with_records_and_changes_nothing(
    database_url: str, demo_engine: Engine
) -> None:
    before = dump(demo_engine)
    result = run_db(database_url, "synth", "--schools", "3", "--partners", "5", "--activities", "10")
    assert result.returncode == 1
    assert "Синтетична мрежа се създава само в празна база" in result.stderr
    assert "nothing was changed" in run_db(database_url, "--lang", "en", "synth").stderr
    assert dump(demo_engine) == before


def test_a_number_that_is_not_one_is_refused_in_the_users_language(database_url: str, engine: Engine) -> None:
    result = run_db(database_url, "synth", "--schools", "0")
    assert result.returncode == 2
    assert "„0“ не е цяло число, поне 1." in result.stderr
    english = run_db(database_url, "--lang", "en", "synth", "--activities", "many")
    assert english.returncode == 2 and "“many” is not a whole number of at least 0." in english.stderr
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(School)) == 1


def test_postgresql_gets_the_same_network_with_its_triggers_back_on(tmp_path: Path) -> None:
    if not POSTGRESQL_URL:
        pytest.skip("TEST_POSTGRESQL_URL is not set")
    pytest.importorskip("psycopg")
    server = get_engine(POSTGRESQL_URL)
    try:
        emptied(server)
        migrate.upgrade(server)
        indexes = "SELECT indexdef FROM pg_indexes WHERE tablename = 'activities' ORDER BY indexname"
        with server.connect() as connection:
            before = connection.scalars(text(indexes)).all()
        synth.synthesize(server, **SMALL, seed=5)
        local = _fresh(tmp_path / "local.db")
        synth.synthesize(local, **SMALL, seed=5)
        assert list(differences(server)) == []
        columns = (Activity.id, Activity.school_id, Activity.title, Activity.start_date, Activity.participants)
        with server.connect() as connection:
            on_server = connection.execute(select(*columns).order_by(Activity.id)).all()
            disabled = connection.scalar(
                text("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'")
            )
        with local.connect() as connection:
            assert on_server == connection.execute(select(*columns).order_by(Activity.id)).all()
        assert disabled == 0
        with server.connect() as connection:  # pg_trgm's indexes, set aside for the insert, are back
            assert connection.scalars(text(indexes)).all() == before
        # The sequences go on after the ids given: a new school gets the next id.
        with server.begin() as connection:
            assert connection.scalar(text("SELECT nextval(pg_get_serial_sequence('schools', 'id'))")) == 6
    finally:
        emptied(server)
        server.dispose()
