"""The search over activities through the trigram index (migration 0009): the same answers as the LIKE scan.

The LIKE over every activity's text is what a search means; the index may only spare reading the
activities it cannot match. So: the index's candidates hold every activity the LIKE finds, for any
query (hostile ones too); the screens' answers are those of the LIKE scan; and the index stays exact
through every kind of write, an import and a restore.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from db import migrate, queries, search
from db.access import Actor
from db.backup import backup, restore
from db.engine import get_engine
from db.filters import ActivityFilters
from db.models import Activity
from db.text import like_pattern, name_key
from db.transfer import import_activities
from db.writes import create_activity, delete_activity, update_activity
from tests.factories import add_activity, add_partner
from tests.helpers import ROOT, run_db

EDITOR = Actor("maria", "editor")
ADMIN = Actor("director", "admin")

# Strings that mean something to LIKE, to FTS5's query language, to SQL or to a terminal.
HOSTILE = [
    "%",
    "_",
    "%%%",
    "___",
    "50%",
    "a_b",
    "\\",
    "\\%",
    '"',
    '""',
    '"a"',
    "'",
    "*",
    "abc*",
    "NEAR",
    "NEAR(a b)",
    "AND",
    "a AND b",
    "OR",
    "NOT",
    "-",
    "-abc",
    "^",
    "^abc",
    ":",
    "title_key:abc",
    "search_text : abc",
    "{search_text}",
    "(",
    ")",
    "+",
    "\x01\x02\x03",
    "a\tb",
    "a\x7fb",
    "\x00abc",
    "🙂🙂🙂",
    "🙂",
    "е́",
    "ß",
    "SS",
    "Σ",
    "ς",
    "İstanbul",
    "ı",
    "Ǆ",
]
WORDS = [
    "Кръгла маса",
    "кръгла",
    "КРЪГЛА",
    "маса",
    "рисунка",
    "ромски",
    "Кюстендил",
    "Ларго",
    "„Ларго“",
    "среща с",
    "ab",
    "a",
    "ъ",
    "ня",
    "няма такава",
    "  кръгла   маса  ",
    "x" * 300,
    "рис" * 100,
]


def _like_ids(engine: Engine, column: str, query: str) -> list[int]:
    """What the LIKE scan finds, newest first: the answer the index must not change."""
    with engine.connect() as connection:
        return list(
            connection.execute(
                text(
                    f"SELECT id FROM activities WHERE {column} LIKE :pattern ESCAPE '\\' "
                    "ORDER BY start_date DESC, id DESC"
                ),
                {"pattern": like_pattern(query)},
            ).scalars()
        )


def _candidates(engine: Engine, query: str, indexed: str = "search_text") -> set[int] | None:
    phrase = search.indexed_query(engine, query, indexed)
    if phrase is None:
        return None
    with engine.connect() as connection:
        return set(connection.execute(search.matching_ids(phrase)).scalars())


def _assert_same_as_the_scan(engine: Engine, query: str) -> None:
    for column in search.INDEXED:
        expected = _like_ids(engine, column, query)
        offered = _candidates(engine, query, column)
        if offered is not None:
            assert set(expected) <= offered, (query, column)
    expected = _like_ids(engine, "search_text", query)
    if not query.strip():
        return
    assert queries.activity_count(engine, ActivityFilters(), search=query) == len(expected), query
    for limit in (1, 3, 500):
        listed = queries.activity_list(engine, ActivityFilters(), search=query, limit=limit)
        assert listed["id"].tolist() == expected[:limit], (query, limit)
    titles = _like_ids(engine, "title_key", query)
    assert [i for i, _ in queries.activity_choices(engine, search=query, limit=200)] == titles[:200], query


def _queries_from(engine: Engine, rng: random.Random, count: int) -> list[str]:
    """Pieces of the stored texts (found by construction) and of the hostile strings, in odd cases."""
    with engine.connect() as connection:
        texts = [t for t in connection.execute(select(Activity.search_text)).scalars() if t]
    found = []
    for _ in range(count):
        source = rng.choice(texts + HOSTILE)
        start = rng.randrange(len(source))
        piece = source[start : start + rng.choice((1, 2, 3, 4, 7, 15))]
        found.append(piece.upper() if rng.random() < 0.3 else piece)
    return found


def test_the_index_offers_every_match_and_the_answers_are_the_scans_on_the_demo_data(demo_engine: Engine) -> None:
    assert search.is_exact(demo_engine)
    for query in WORDS + HOSTILE + _queries_from(demo_engine, random.Random(1), 150):
        _assert_same_as_the_scan(demo_engine, query)


def _hostile_record(engine: Engine, seed: int) -> None:
    """Activities whose titles, places and descriptions hold the hostile strings, long texts and emoji."""
    rng = random.Random(seed)
    partner = add_partner(engine, slug="p", name="Партньор", short_name="П")
    day = date(2023, 9, 15)
    pieces = HOSTILE + WORDS
    for number in range(120):
        title = " ".join(rng.sample(pieces, rng.choice((1, 2, 3)))) + f" {number}"
        description = "".join(rng.choice(pieces) for _ in range(rng.choice((0, 1, 5, 40))))
        add_activity(
            engine,
            title=title[:300],
            type=rng.choice(("meeting", "training", "round_table")),
            start=day + timedelta(days=rng.randrange(400)),
            status=rng.choice(("held", "planned", "cancelled")),
            location=rng.choice(("", "Кюстендил", "кв. „Изток“", "50% онлайн")),
            description=description,
            partners=((partner, "partner"),),
        )


@pytest.mark.parametrize("seed", [1, 2])
def test_hostile_texts_and_queries_give_the_scans_answers(engine: Engine, seed: int) -> None:
    _hostile_record(engine, seed)
    assert search.is_exact(engine)
    for query in WORDS + HOSTILE + _queries_from(engine, random.Random(seed), 300):
        _assert_same_as_the_scan(engine, query)


def test_a_rare_search_is_answered_through_the_index(engine: Engine) -> None:
    """Where the index has candidates, only they are read: a text the index does not hold is not found.

    (A check of the plan, not of the answer: on old main every activity was read.)"""
    _hostile_record(engine, 3)
    add_activity(engine, title="Единствена по рода си", type="meeting", start=date(2024, 1, 1))
    assert queries.activity_count(engine, ActivityFilters(), search="единствена") == 1
    with engine.begin() as connection:
        # Behind the triggers' back: the index still holds the old text, the activity the new one.
        connection.execute(text("DROP TRIGGER activity_search_updated"))
        connection.execute(text("UPDATE activities SET search_text = 'друга' WHERE title = 'Единствена по рода си'"))
    assert not search.is_exact(engine)
    assert queries.activity_count(engine, ActivityFilters(), search="друга") == 0  # not offered by the index
    assert queries.activity_count(engine, ActivityFilters(), search="единствена") == 0  # offered, the LIKE says no


# ---- exact after every kind of write ------------------------------------------------------------

ACTIVITY = {
    "title": "Кръгла маса за рисунка",
    "type": "round_table",
    "status": "held",
    "start_date": date(2024, 6, 30),
    "location": "Кюстендил",
    "description": "Обсъждане 50% _ „кавички“",
}


def _found(engine: Engine, query: str) -> list[int]:
    return queries.activity_list(engine, ActivityFilters(), search=query)["id"].tolist()


def test_every_write_keeps_the_index_exact(engine: Engine, writer: Engine) -> None:
    partner = add_partner(engine, slug="ros", name="РОС", short_name="РОС")
    first = create_activity(engine=writer, actor=EDITOR, data={**ACTIVITY, "organizations": [(partner, "organizer")]})
    second = create_activity(
        engine=writer,
        actor=EDITOR,
        data={**ACTIVITY, "title": "Среща", "start_date": date(2024, 3, 1), "organizations": [(partner, "partner")]},
    )
    assert search.is_exact(engine)
    assert _found(engine, "кръгла") == [first]
    assert _found(engine, "кюстендил") == [first, second]

    data = {**ACTIVITY, "organizations": [(partner, "organizer")], "title": "Обучение по рисуване"}
    update_activity(engine=writer, actor=EDITOR, activity_id=first, expected_version=1, data=data)
    assert search.is_exact(engine)
    assert _found(engine, "кръгла") == []
    assert _found(engine, "рисуване") == [first]
    assert [i for i, _ in queries.activity_choices(engine, search="обучение по")] == [first]
    assert queries.activity_choices(engine, search="кръгла маса") == []

    update_activity(
        engine=writer, actor=EDITOR, activity_id=first, expected_version=2, data={**data, "location": "София"}
    )
    assert search.is_exact(engine)
    assert _found(engine, "кюстендил") == [second]

    delete_activity(engine=writer, actor=EDITOR, activity_id=first, expected_version=3)
    assert search.is_exact(engine)
    assert _found(engine, "рисуване") == []
    assert _found(engine, "среща") == [second]


def test_an_import_keeps_the_index_exact(engine: Engine, writer: Engine) -> None:
    add_partner(engine, slug="ros", name="Ромски общностен съвет, кв. „Изток“ – Кюстендил", short_name="РОС „Изток“")
    add_partner(engine, slug="largo", name="Сдружение „Ларго“", short_name="Ларго")
    data = (ROOT / "tests" / "fixtures" / "activities_cp1251.csv").read_bytes()
    result = import_activities(engine=writer, actor=EDITOR, data=data, filename="a.csv", today=date(2024, 6, 1))
    assert (result.problems, result.added) == ([], 2)
    assert search.is_exact(engine)
    with engine.connect() as connection:
        titles = list(connection.execute(select(Activity.title)).scalars())
    for title in titles:
        _assert_same_as_the_scan(engine, title)
        _assert_same_as_the_scan(engine, title[2:9])


def _spoil_the_index(path: Path) -> None:
    """An index that no longer says what the activities hold (edited by hand, or by an old bug)."""
    with sqlite3.connect(path) as copy:
        copy.execute("DROP TRIGGER activity_search_updated")
        copy.execute(
            "UPDATE activities SET search_text = 'подменен текст' WHERE id IN (SELECT min(id) FROM activities)"
        )
        copy.execute("CREATE TRIGGER activity_search_updated AFTER UPDATE ON activities BEGIN SELECT 1; END")
    # The trigger's text as the migration made it, so that the file passes the schema check.
    fresh = Path(str(path) + ".fresh.db")
    engine = get_engine(f"sqlite:///{fresh}")
    migrate.upgrade(engine)
    engine.dispose()
    with sqlite3.connect(fresh) as made:
        (sql,) = made.execute("SELECT sql FROM sqlite_master WHERE name = 'activity_search_updated'").fetchone()
    with sqlite3.connect(path) as copy:
        copy.execute("DROP TRIGGER activity_search_updated")
        copy.execute(sql)


def test_a_restored_file_has_its_index_built_from_its_own_activities(demo_engine: Engine, tmp_path: Path) -> None:
    saved = backup(demo_engine, tmp_path / "monday.db")
    _spoil_the_index(saved)
    assert not search.is_exact(get_engine(f"sqlite:///{saved}"))
    restore(demo_engine, saved, actor=ADMIN, keep_current_in=tmp_path / "safety")
    assert search.is_exact(demo_engine)
    assert _found(demo_engine, "подменен текст") != []
    for query in WORDS + _queries_from(demo_engine, random.Random(4), 40):
        _assert_same_as_the_scan(demo_engine, query)


def test_a_backup_from_before_the_index_is_restored_with_one(tmp_path: Path, database_url: str) -> None:
    old = get_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate.upgrade(old, "0008")
    with old.begin() as connection:  # as 0008's schema has them (no school yet: migration 0011)
        meeting = connection.scalar(text("SELECT id FROM activity_types WHERE code = 'meeting'"))
        for number, title in enumerate(("Кръгла маса", "Среща с родители", "Конкурс за рисунка")):
            connection.execute(
                text(
                    "INSERT INTO activities (title, title_key, type_id, status, start_date, school_year, location,"
                    " description, news_url, is_demo, version, search_text)"
                    " VALUES (:title, :key, :type, 'held', :day, 2023, '', '', '', 0, 1, :key)"
                ),
                {"title": title, "key": name_key(title), "type": meeting, "day": date(2023, 10, 1 + number)},
            )
    old.dispose()
    live = get_engine(database_url)
    migrate.upgrade(live)
    restore(live, tmp_path / "old.db", actor=ADMIN, keep_current_in=tmp_path / "safety")
    assert migrate.current_revision(live) == migrate.head_revision()
    assert search.is_exact(live)
    assert queries.activity_count(live, ActivityFilters(), search="рисунка") == 1
    assert [title for _, title in queries.activity_choices(live, search="среща с")] == ["02.10.2023 · Среща с родители"]
    live.dispose()


def test_the_check_command_finds_a_spoilt_index_and_rebuild_mends_it(demo_engine: Engine, database_url: str) -> None:
    with demo_engine.begin() as connection:
        connection.execute(text("DROP TRIGGER activity_search_deleted"))
        connection.execute(text("DELETE FROM activities WHERE id = (SELECT max(id) FROM activities)"))
    done = run_db(database_url, "--lang", "en", "rollups", "--check")
    assert done.returncode == 1
    assert "The search index does not match the activities' text." in done.stderr
    mended = run_db(database_url, "--lang", "en", "rollups", "--rebuild")
    assert mended.returncode == 0
    assert "The search index was built again from the activities' text." in mended.stdout
    assert search.is_exact(demo_engine)
    checked = run_db(database_url, "rollups", "--check", language="en")
    assert (checked.returncode, checked.stdout.splitlines()[-1]) == (
        0,
        "The search index matches the activities' text exactly.",
    )
