"""How fast the screens' queries are on a large database.

    python -m bench.queries [--activities N] [--partners P] [--database PATH] [--keep]

Creates the schema through the migrations, generates N activities over the school
years 2000/2001 to 2026/2027 linked to 1-3 of P partners each, runs ANALYZE, then times
every query the screens call (median of a few runs after a warm-up) and prints the
SQLite query plan of each call slower than --slow-ms. The table also goes to
bench/RESULTS.md (or --results).

A database given with --database that already holds activities is benchmarked as it
is (no generation): create an index in a copy by hand and run again to compare. `make bench`
gives it the synthetic network of `python -m db synth` (bench/network.db: 300 schools, 1,000
partners, a million activities); with more than one school the network's queries (schools
compared, partners' reach, regions, a school's partners, a partner's schools) are timed too.
A temporary database is deleted at the end unless --keep; a --database file is kept.
A database without photos gets one on every PHOTO_EVERY-th held activity first (one small JPEG, consent
every way), so that the photo queries (an activity's, a partner's gallery, the first of each of a slide's
activities) are timed on a table of thousands of rows, not an empty one.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
import time
from bisect import bisect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from itertools import accumulate
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy
from PIL import Image
from sqlalchemy import Engine, event, func, insert, select, text

from db import queries
from db.attachments import prepare_image
from db.engine import get_engine
from db.filters import ActivityFilters
from db.migrate import upgrade
from db.models import (
    Activity,
    ActivityOrganization,
    ActivityType,
    Attachment,
    FocusArea,
    Organization,
    PartnerKind,
    School,
    organization_focus_areas,
)
from db.school_year import school_year_label, school_year_of, school_year_span
from db.text import name_key, search_text, slugify

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RESULTS = Path(__file__).resolve().parent / "RESULTS.md"

FIRST_YEAR, LAST_YEAR = 2000, 2026
# The day the screens are looked at: later activities are planned.
TODAY = date(2026, 11, 25)
YEAR = 2023
BATCH = 50_000
SEED = 20140408

# --- Generation -------------------------------------------------------------------------------------------------------

PREFIXES = ("Сдружение", "Фондация", "Читалище", "Център", "Клуб", "Общностен съвет", "Училище")
WORDS = "Заедно Бъдеще Надежда Мост Светлина Шанс Дъга Хоризонт Равни Приятели Диалог Общност Знание Път".split()
CITIES = ("Кюстендил", "Кюстендил", "София", "Дупница", "Перник", "Благоевград", "Бобов дол", "Пловдив", "")
MISSION = (
    "Работи за равноправно интегриране на ромските деца в образованието: занимания след часовете, "
    "работа с родители и подкрепа за записване и задържане в училище."
)
TYPE_WEIGHTS = {
    "meeting": 25,
    "celebration": 12,
    "other": 12,
    "campaign": 10,
    "training": 10,
    "donation": 10,
    "project": 8,
    "competition": 8,
    "round_table": 5,
}
TITLES = {
    "round_table": ("Кръгла маса за образователната интеграция", "Кръгла маса за Международния ден на ромите"),
    "meeting": ("Среща с родители от кв. „Изток“", "Работна среща за обхвата на учениците"),
    "training": ("Обучение за учители: интеркултурно образование", "Обучение „Работа с родители“"),
    "celebration": ("Фестивал на културите", "Международен ден на ромите – училищен празник"),
    "campaign": ("Кампания „Всяко дете в училище“", "Кампания „Знам ромски“"),
    "project": ("Проект „Училище за всички“", "Лятна занималня"),
    "competition": ("Конкурс за рисунка „Моят дом, моите традиции“", "Състезание по четене"),
    "donation": ("Дарение на ученически пособия", "Коледни пакети за семейства в нужда"),
}
LOCATIONS = ("ОУ „Иван Вазов“, Кюстендил", "кв. „Изток“, Кюстендил", "Кюстендил", "РУО – Кюстендил", "онлайн")
DESCRIPTIONS = (
    "",
    "",
    "Посещения по домовете и разговори с родители за записване и редовно посещение.",
    "Песни, танци и приказки на ромски и български език; гости от общността, родители и учители. "
    "Учениците подготвиха програмата заедно с класните си ръководители.",
    "Допълнителни занимания по български език, извънкласни дейности и работа с родители. "
    "Участваха ученици от всички класове, а партньорите осигуриха материали и транспорт.",
)


@dataclass
class Generated:
    partners: int = 0
    activities: int = 0
    links: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def _organization_rows(rng: random.Random, count: int, kind_ids: list[int]) -> list[dict[str, Any]]:
    rows = []
    for number in range(1, count + 1):
        short_name = f"{rng.choice(WORDS)} {number}"
        city = rng.choice(CITIES)
        name = f"{rng.choice(PREFIXES)} „{short_name}“" + (f" – {city}" if city else "")
        since = date(rng.randint(FIRST_YEAR, LAST_YEAR), 9, 15) if rng.random() < 0.5 else None
        rows.append(
            {
                "id": number,
                "slug": slugify(short_name),
                "name": name,
                "name_key": name_key(name),
                "short_name": short_name,
                "kind_id": rng.choice(kind_ids),
                "mission": MISSION,
                "city": city,
                "website": f"https://partner{number}.example.bg" if rng.random() < 0.4 else "",
                "email": f"office@partner{number}.example.bg" if rng.random() < 0.6 else "",
                "phone": "",
                "contact_person": "",
                "partner_since": since,
                "is_active": rng.random() < 0.85,
                "is_demo": False,
                "search_text": search_text(name, short_name, city),
                "version": 1,
            }
        )
    return rows


class _Titles:
    """Titles unique per day and type (the natural key): the second „Среща“ of a day is „Среща (2)“."""

    def __init__(self) -> None:
        self.day = 0
        self.used: dict[tuple[str, str], int] = {}

    def title(self, ordinal: int, code: str, base: str) -> str:
        if ordinal != self.day:
            self.day, self.used = ordinal, {}
        count = self.used[code, base] = self.used.get((code, base), 0) + 1
        return base if count == 1 else f"{base} ({count})"


def _activity_rows(
    rng: random.Random,
    first_id: int,
    ordinals: list[int],
    type_ids: dict[str, int],
    pick_partner: Callable[[], int],
    titles: _Titles,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Activities with consecutive ids from `first_id`, starting on `ordinals` (ascending), and their links."""
    codes = [code for code in TYPE_WEIGHTS if code in type_ids] or list(type_ids)
    code_weights = list(accumulate(TYPE_WEIGHTS.get(code, 1) for code in codes))
    today = TODAY.toordinal()
    activities: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for activity_id, ordinal in enumerate(ordinals, start=first_id):
        start = date.fromordinal(ordinal)
        code = rng.choices(codes, cum_weights=code_weights)[0]
        r = rng.random()
        status = "planned" if ordinal > today or r < 0.01 else "cancelled" if r < 0.06 else "held"
        if rng.random() < 0.6:
            end = None
        else:
            end = start + timedelta(days=rng.randint(10, 120) if code == "project" else rng.randint(0, 4))
        participants = None if status == "cancelled" or rng.random() < 0.1 else rng.randint(5, 200)
        pupils = None if participants is None or rng.random() < 0.1 else rng.randint(0, participants)
        title = titles.title(ordinal, code, rng.choice(TITLES.get(code, ("Дейност с партньори",))))
        location, description = rng.choice(LOCATIONS), rng.choice(DESCRIPTIONS)
        # school_year, title_key and search_text are derived here, as the models do: left to the columns'
        # defaults they would be computed per row by SQLAlchemy (measured: about 0.4 s more CPU per 50,000
        # rows, +25%), and search_text's default is empty (a file made before this line had no text to search).
        activities.append(
            {
                "id": activity_id,
                "title": title,
                "title_key": name_key(title),
                "search_text": search_text(title, location, description),
                "type_id": type_ids[code],
                "status": status,
                "start_date": start,
                "end_date": end,
                "school_year": school_year_of(start),
                "location": location,
                "description": description,
                "participants": participants,
                "pupils_reached": pupils,
                "news_url": f"https://example.bg/news/{activity_id}" if rng.random() < 0.3 else "",
                "is_demo": False,
                "version": 1,
            }
        )
        wanted = rng.choices((1, 2, 3), cum_weights=(50, 85, 100))[0]
        partners: list[int] = []
        while len(partners) < wanted:
            partner = pick_partner()
            if partner not in partners:
                partners.append(partner)
        for position, partner in enumerate(partners):
            if position == 0:
                role = "organizer" if rng.random() < 0.6 else "partner"
            else:
                role = rng.choice(("partner", "partner", "funder", "guest"))
            links.append({"activity_id": activity_id, "organization_id": partner, "role": role})
    return activities, links


def generate(engine: Engine, activities: int, partners: int, seed: int) -> Generated:
    """Fill an empty database: `partners` organizations and `activities` activities with their links.

    The rows keep the models' CHECK, UNIQUE and FOREIGN KEY constraints; SQLite enforces them on insert
    (foreign_keys is on), so a row that broke one would stop the run.
    """
    rng = random.Random(seed)
    done = Generated()
    started = time.perf_counter()
    with engine.connect() as connection:
        type_ids = dict(connection.execute(select(ActivityType.code, ActivityType.id)).all())
        kind_ids = list(connection.scalars(select(PartnerKind.id).order_by(PartnerKind.id)))
        area_ids = list(connection.scalars(select(FocusArea.id).order_by(FocusArea.id)))

    organizations = _organization_rows(rng, partners, kind_ids)
    focus = [
        {"organization_id": row["id"], "focus_area_id": area}
        for row in organizations
        for area in rng.sample(area_ids, min(len(area_ids), rng.randint(1, 3)))
    ]
    with engine.begin() as connection:
        connection.execute(insert(Organization.__table__), organizations)
        connection.execute(insert(organization_focus_areas), focus)
    done.partners = len(organizations)
    done.seconds["partners"] = time.perf_counter() - started

    # A few partners do most of the work: partner k (in a shuffled order) is picked with weight 1/k.
    organization_ids = [row["id"] for row in organizations]
    rng.shuffle(organization_ids)
    popularity = list(accumulate(1 / rank for rank in range(1, len(organization_ids) + 1)))
    total_weight = popularity[-1]

    def pick_partner() -> int:
        return organization_ids[min(bisect(popularity, rng.random() * total_weight), len(organization_ids) - 1)]

    # Activities are entered roughly in the order they happen, so ids grow with start_date.
    first_day, _ = school_year_span(FIRST_YEAR)
    _, last_day = school_year_span(LAST_YEAR)
    days = last_day.toordinal() - first_day.toordinal() + 1
    ordinals = sorted(first_day.toordinal() + rng.randrange(days) for _ in range(activities))

    titles = _Titles()
    building = inserting = 0.0
    for offset in range(0, activities, BATCH):
        t0 = time.perf_counter()
        activity_rows, link_rows = _activity_rows(
            rng, offset + 1, ordinals[offset : offset + BATCH], type_ids, pick_partner, titles
        )
        t1 = time.perf_counter()
        with engine.begin() as connection:
            connection.execute(insert(Activity.__table__), activity_rows)
            connection.execute(insert(ActivityOrganization.__table__), link_rows)
        t2 = time.perf_counter()
        building += t1 - t0
        inserting += t2 - t1
        done.activities += len(activity_rows)
        done.links += len(link_rows)
        if (offset // BATCH) % 4 == 3 or done.activities == activities:
            rate = done.activities / (t2 - started)
            print(
                f"  {done.activities:>10,} activities, {done.links:>10,} links  ({rate:,.0f} activities/s)", flush=True
            )
    done.seconds["building rows in Python"] = building
    done.seconds["inserting"] = inserting
    done.seconds["total"] = time.perf_counter() - started
    return done


# --- Measuring --------------------------------------------------------------------------------------------------------


@dataclass
class Case:
    query: str
    filters: str
    call: Callable[[], Any]


@dataclass
class Timing:
    case: Case
    median_ms: float
    runs_ms: list[float]
    cpu_ms: float
    rows: int


@dataclass
class Statement:
    sql: str
    parameters: Any
    ms: float = 0.0
    rows: int = 0
    plan: list[str] = field(default_factory=list)


def rows_of(result: Any) -> int:
    """Rows a query returned: a frame's or list's length, 1 for a dict or a number, 0 for None."""
    if result is None:
        return 0
    if isinstance(result, pd.DataFrame | list):
        return len(result)
    if isinstance(result, tuple):
        # timeline_events: (events, total) -> the events; figures_with_comparison: (current, previous, to_date).
        if isinstance(result[0], pd.DataFrame):
            return len(result[0])
        return sum(rows_of(part) for part in result if not isinstance(part, bool))
    return 1


def measure(case: Case, runs: int) -> Timing:
    """Median wall-clock time, and the median CPU time of this process (SQLite runs in it), after a warm-up.

    On a shared machine the wall-clock time also counts waiting for a core; the CPU time does not.
    """
    result = case.call()
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = case.call()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return Timing(case, statistics.median(times), times, statistics.median(cpu), rows_of(result))


@contextmanager
def captured(engine: Engine) -> Iterator[list[Statement]]:
    """The SQL and parameters of every statement run on `engine` inside the block."""
    statements: list[Statement] = []

    def before(_conn: Any, _cursor: Any, sql: str, parameters: Any, _context: Any, _many: bool) -> None:
        statements.append(Statement(sql, parameters))

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def query_plan(engine: Engine, statement: Statement) -> list[str]:
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement.sql, statement.parameters).all()
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _unused, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


def explain(engine: Engine, case: Case) -> list[Statement]:
    """Each statement `case` runs, timed alone (all rows fetched; median of 3), with its query plan."""
    with captured(engine) as statements:
        case.call()
    for statement in statements:
        times = []
        with engine.connect() as connection:
            for _ in range(3):
                started = time.perf_counter()
                statement.rows = len(connection.exec_driver_sql(statement.sql, statement.parameters).all())
                times.append((time.perf_counter() - started) * 1000)
        statement.ms = statistics.median(times)
        statement.plan = query_plan(engine, statement)
    return statements


# --- The cases --------------------------------------------------------------------------------------------------------


@dataclass
class Subjects:
    """What the cases filter by: the busiest partner and the most common activity type."""

    organization_id: int
    organization_slug: str
    organization_links: int
    type_code: str
    type_activities: int
    activity_id: int
    # The busiest school, on a network (None with one school: the network's queries are then left out).
    school_id: int | None = None
    school_activities: int = 0


PHOTO_EVERY = 200  # a million activities: 5,000 photos (about 13 MB)


def add_photos(engine: Engine) -> int:
    """One photo on every PHOTO_EVERY-th held activity of a database that has none; returns how many were added."""
    with engine.connect() as connection:
        if connection.scalar(select(func.count()).select_from(Attachment)):
            return 0
        chosen = (
            connection.execute(select(Activity.id).where(Activity.status == "held", Activity.id % PHOTO_EVERY == 0))
            .scalars()
            .all()
        )
    picture = io.BytesIO()
    Image.new("RGB", (640, 480), (0, 114, 178)).save(picture, "JPEG")
    prepared = prepare_image(picture.getvalue())
    consents = ("yes", "no_children", "no")
    rows = [
        {
            "activity_id": activity_id,
            "kind": "photo",
            "media_type": prepared.media_type,
            "file_name": f"bench-{activity_id}.jpg",
            "data": prepared.data,
            "thumbnail": prepared.thumbnail,
            "sha256": prepared.sha256,
            "byte_size": len(prepared.data),
            "width": prepared.width,
            "height": prepared.height,
            "caption": "",
            "credit": "",
            "consent": consents[number % 3],
            "position": 1,
            "is_demo": True,
            "created_by": "bench",
        }  # fmt: skip
        for number, activity_id in enumerate(chosen)
    ]
    for start in range(0, len(rows), BATCH // 10):
        with engine.begin() as connection:
            connection.execute(insert(Attachment), rows[start : start + BATCH // 10])
    return len(rows)


def subjects(engine: Engine) -> Subjects:
    with engine.connect() as connection:
        links = func.count().label("links")
        organization_id, organization_links = connection.execute(
            select(ActivityOrganization.organization_id, links)
            .group_by(ActivityOrganization.organization_id)
            .order_by(links.desc(), ActivityOrganization.organization_id)
            .limit(1)
        ).one()
        slug = connection.scalar(select(Organization.slug).where(Organization.id == organization_id))
        count = func.count().label("activities")
        type_code, type_activities = connection.execute(
            select(ActivityType.code, count)
            .join(Activity, Activity.type_id == ActivityType.id)
            .group_by(ActivityType.code)
            .order_by(count.desc())
            .limit(1)
        ).one()
        middle = (connection.scalar(select(func.max(Activity.id))) or 0) // 2 + 1
        school_id, school_activities = None, 0
        if (connection.scalar(select(func.count()).select_from(School)) or 0) > 1:
            school_id, school_activities = connection.execute(
                select(Activity.school_id, count).group_by(Activity.school_id).order_by(count.desc()).limit(1)
            ).one()
    return Subjects(
        organization_id, str(slug), organization_links, type_code, type_activities, middle, school_id, school_activities
    )


def cases(engine: Engine, chosen: Subjects) -> list[Case]:
    first_photo = chosen.activity_id // PHOTO_EVERY * PHOTO_EVERY  # add_photos chose such ids
    filter_sets = {
        "all years": ActivityFilters(),
        f"school year {school_year_label(YEAR)}": ActivityFilters(school_year=YEAR),
        f"organization {chosen.organization_slug}": ActivityFilters(organization_ids=(chosen.organization_id,)),
        f"type {chosen.type_code}": ActivityFilters(type_codes=(chosen.type_code,)),
    }
    if chosen.school_id is not None:
        filter_sets[f"school {chosen.school_id}"] = ActivityFilters(school_ids=(chosen.school_id,))
    found = []
    for label, filters in filter_sets.items():
        found += [
            Case("headline_figures", label, partial(queries.headline_figures, engine, filters)),
            Case(
                "figures_with_comparison",
                label,
                partial(queries.figures_with_comparison, engine, filters, today=TODAY),
            ),
            Case("activities_by_organization", label, partial(queries.activities_by_organization, engine, filters)),
            Case("activities_by_month", label, partial(queries.activities_by_month, engine, filters)),
            Case("activities_by_school_year", label, partial(queries.activities_by_school_year, engine, filters)),
            Case("timeline_events", label, partial(queries.timeline_events, engine, filters, limit=1500)),
            Case("activity_list", label, partial(queries.activity_list, engine, filters, limit=500)),
            Case("activity_count", label, partial(queries.activity_count, engine, filters)),
            # The story of the year (issue 13): its dozen most important held activities.
            Case("story_activities", label, partial(queries.story_activities, engine, filters, limit=12)),
            Case("partner_network", label, partial(queries.partner_network, engine, filters)),
            # The Outcomes page's reads (migration 0012): the figures, and the activities of the same years.
            Case("outcomes", label, partial(queries.outcomes, engine, filters)),
            Case("outcomes_with_activities", label, partial(queries.outcomes_with_activities, engine, filters)),
            Case("partner_outcomes", label, partial(queries.partner_outcomes, engine, filters, chosen.organization_id)),
        ]
    found += [
        Case("partner_directory", "no search", partial(queries.partner_directory, engine)),
        Case("partner_directory", 'search="а"', partial(queries.partner_directory, engine, search="а")),
        Case(
            "partner_profile",
            chosen.organization_slug,
            partial(queries.partner_profile, engine, chosen.organization_slug),
        ),
        Case("organization_choices", "", partial(queries.organization_choices, engine)),
        Case("school_years", "", partial(queries.school_years, engine)),
        Case("record_counts", "", partial(queries.record_counts, engine)),
        # The Data screen's editor, and the timeline's detail panel.
        Case("activity_choices", "no search", partial(queries.activity_choices, engine)),
        Case("activity_choices", 'search="рисунка"', partial(queries.activity_choices, engine, search="рисунка")),
        Case(
            "activity_choices", 'search="няма такава"', partial(queries.activity_choices, engine, search="няма такава")
        ),
        Case(
            "activity_detail", f"id {chosen.activity_id}", partial(queries.activity_detail, engine, chosen.activity_id)
        ),
        # Photos (migration 0013): an activity's details, a partner's gallery, the first photo of a slide's activities.
        Case(
            "activity_attachments",
            f"id {first_photo}",
            partial(queries.activity_attachments, engine, first_photo),
        ),
        Case(
            "partner_gallery",
            f"organization {chosen.organization_slug}",
            partial(queries.partner_gallery, engine, ActivityFilters(organization_ids=(chosen.organization_id,))),
        ),
        Case(
            "partner_gallery",
            f"organization {chosen.organization_slug}, {school_year_label(YEAR)}",
            partial(queries.partner_gallery, engine, ActivityFilters(YEAR, organization_ids=(chosen.organization_id,))),
        ),
        Case("partner_gallery", "all years", partial(queries.partner_gallery, engine, ActivityFilters())),
        Case(
            "first_publishable_photos",
            "100 activities",
            partial(
                queries.first_publishable_photos,
                engine,
                range(first_photo, first_photo + 100 * PHOTO_EVERY, PHOTO_EVERY),
            ),
        ),
    ]
    if chosen.school_id is not None:
        year, in_year = ActivityFilters(school_year=YEAR), f"school year {school_year_label(YEAR)}"
        school = ActivityFilters(school_ids=(chosen.school_id,))
        partner = ActivityFilters(organization_ids=(chosen.organization_id,))
        found += [
            Case("school_list", "", partial(queries.school_list, engine)),
            Case("schools_compared", "all years", partial(queries.schools_compared, engine, ActivityFilters())),
            Case("schools_compared", in_year, partial(queries.schools_compared, engine, year)),
            Case("partner_reach", "all years", partial(queries.partner_reach, engine, ActivityFilters())),
            Case("partner_reach", in_year, partial(queries.partner_reach, engine, year)),
            Case("regions_summary", "all years", partial(queries.regions_summary, engine, ActivityFilters())),
            Case("school_partners", f"school {chosen.school_id}", partial(queries.school_partners, engine, school)),
            Case(
                "partner_schools",
                f"organization {chosen.organization_slug}",
                partial(queries.partner_schools, engine, partner),
            ),
        ]
    return found


# --- Reporting --------------------------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:
        available = os.cpu_count() or 0
    return {
        "date": datetime.now().astimezone().isoformat(timespec="minutes"),
        "cpu": f"{cpu}, nproc {available}",
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sqlalchemy.__version__,
        "pandas": pd.__version__,
        "load average (1, 5, 15 min) at the end": load_average(),
    }


def load_average() -> str:
    return ", ".join(f"{load:.2f}" for load in os.getloadavg())


def code_version() -> str:
    """The commit, and which files under db/ differ from it (the queries measured are the working tree's)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "db"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    dirty = [line[3:] for line in changed if line.strip()]
    return head + (f" with uncommitted changes in {', '.join(dirty)}" if dirty else "")


def table(timings: list[Timing]) -> list[str]:
    lines = [
        "| query | filters | median ms | min–max ms | CPU ms | rows |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for t in timings:
        spread = f"{min(t.runs_ms):.1f}–{max(t.runs_ms):.1f}"
        lines.append(
            f"| {t.case.query} | {t.case.filters} | {t.median_ms:.1f} | {spread} | {t.cpu_ms:.1f} | {t.rows:,} |"
        )
    return lines


def print_table(timings: list[Timing]) -> None:
    width = max(len(t.case.filters) for t in timings)
    print(f"\n{'query':<28} {'filters':<{width}} {'median ms':>10} {'CPU ms':>10} {'rows':>8}")
    print("-" * (28 + width + 32))
    for t in timings:
        print(f"{t.case.query:<28} {t.case.filters:<{width}} {t.median_ms:>10.1f} {t.cpu_ms:>10.1f} {t.rows:>8,}")


def plan_sections(slow: list[tuple[Timing, list[Statement]]], threshold_ms: float) -> list[str]:
    """Markdown for each slow call: its statements, timed alone, and the plans of the costly ones."""
    lines: list[str] = []
    shown: dict[str, str] = {}
    for timing, statements in slow:
        title = f"{timing.case.query} ({timing.case.filters}): {timing.median_ms:.0f} ms"
        lines += ["", f"### {title}", ""]
        slowest = max(statements, key=lambda s: s.ms, default=None)
        for number, statement in enumerate(statements, start=1):
            head = f"Statement {number}: {statement.ms:.0f} ms alone, {statement.rows:,} rows"
            if statement.ms < threshold_ms / 3 and statement is not slowest:
                lines.append(f"- {head}.")
                continue
            if statement.sql in shown:
                lines.append(f"- {head}; the same SQL as in {shown[statement.sql]}, parameters {statement.parameters}.")
                continue
            shown[statement.sql] = title
            lines += [
                f"- {head}, parameters {statement.parameters}:",
                "",
                "```sql",
                statement.sql.strip(),
                "```",
                "",
                "```",
                "QUERY PLAN",
                *statement.plan,
                "```",
                "",
            ]
    return lines


def _shown_path(path: Path) -> str:
    """`bench/network.db` rather than the whole path, for a file inside the project."""
    resolved = path.resolve()
    return str(resolved.relative_to(ROOT)) if resolved.is_relative_to(ROOT) else str(path)


def write_results(
    path: Path,
    info: dict[str, str],
    counts: dict[str, int],
    generated: Generated | None,
    chosen: Subjects,
    timings: list[Timing],
    slow: list[tuple[Timing, list[Statement]]],
    args: argparse.Namespace,
    database_mb: float,
) -> None:
    lines = [
        "# Query benchmark",
        "",
        "Made by `python -m bench.queries"
        + (f" --activities {args.activities:_}" if args.activities != 1_000_000 else "")
        + (f" --partners {args.partners}" if args.partners != 300 else "")
        + (f" --database {_shown_path(args.database)}" if args.database else "")
        + "`; each figure is the median of "
        + f"{args.runs} runs after one warm-up, in milliseconds, through the functions in `db.queries` "
        "(so it includes building the DataFrames).",
        "",
        *(f"- {key}: {value}" for key, value in info.items()),
        f"- database: {counts['activities']:,} activities, {counts['links']:,} links, "
        f"{counts['partners']:,} partners, {counts['schools']:,} schools; {database_mb:,.0f} MB, ANALYZEd",
    ]
    if generated is not None:
        parts = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in generated.seconds.items())
        lines.append(f"- generation: {parts} (seed {args.seed}, batches of {BATCH:,} rows)")
    lines += [
        f"- organization filter: the busiest partner, `{chosen.organization_slug}` "
        f"(id {chosen.organization_id}, {chosen.organization_links:,} activities)",
        f"- type filter: the most common type, `{chosen.type_code}` ({chosen.type_activities:,} activities)",
        *(
            [f"- school filter: the busiest school, id {chosen.school_id} ({chosen.school_activities:,} activities)"]
            if chosen.school_id is not None
            else []
        ),
        f"- today: {TODAY.isoformat()} (for figures_with_comparison)",
        "",
        *table(timings),
    ]
    if slow:
        lines += ["", f"## Calls slower than {args.slow_ms:.0f} ms", *plan_sections(slow, args.slow_ms)]
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


# --- Main -------------------------------------------------------------------------------------------------------------


def record_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            "activities": connection.scalar(select(func.count()).select_from(Activity)) or 0,
            "links": connection.scalar(select(func.count()).select_from(ActivityOrganization)) or 0,
            "partners": connection.scalar(select(func.count()).select_from(Organization)) or 0,
            "schools": connection.scalar(select(func.count()).select_from(School)) or 0,
        }


def database_size_mb(path: Path) -> float:
    files = [path, path.with_name(path.name + "-wal")]
    return sum(f.stat().st_size for f in files if f.exists()) / 1e6


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.queries", description=__doc__.split("\n\n")[0])
    parser.add_argument("--activities", type=int, default=1_000_000, help="activities to generate (1,000,000)")
    parser.add_argument("--partners", type=int, default=300, help="partners to generate (300)")
    parser.add_argument("--database", type=Path, help="SQLite file (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database and print its path")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query after the warm-up (5)")
    parser.add_argument("--slow-ms", type=float, default=300.0, help="print the plans of calls slower than this (300)")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed for the generated data")
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS, help="markdown output (bench/RESULTS.md)")
    args = parser.parse_args(argv)
    if args.activities < 1 or args.partners < 3:
        parser.error("need at least 1 activity and 3 partners")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    # Now, not at the end: the queries measured are the ones imported at start (db/ may change meanwhile).
    start = {"code": code_version(), "load average (1, 5, 15 min) at the start": load_average()}
    temporary = None if args.database else Path(tempfile.mkdtemp(prefix="bench-queries-"))
    path = args.database.resolve() if temporary is None else temporary / "bench.db"
    engine = get_engine(f"sqlite:///{path}")
    try:
        started = time.perf_counter()
        upgrade(engine)
        print(f"Database {path}: schema ready in {time.perf_counter() - started:.1f} s")
        generated = None
        existing = record_counts(engine)
        if existing["activities"]:
            print("It already holds activities: measuring it as it is, nothing generated.")
        elif existing["partners"]:
            raise SystemExit(f"{path} has partners but no activities: give an empty or a generated database.")
        else:
            print(f"Generating {args.activities:,} activities with {args.partners:,} partners ...", flush=True)
            generated = generate(engine, args.activities, args.partners, args.seed)
            print("Generation: " + ", ".join(f"{k} {v:.1f} s" for k, v in generated.seconds.items()))
        started = time.perf_counter()
        photos = add_photos(engine)
        if photos:
            print(f"Photos: {photos:,} added in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        print(f"ANALYZE: {time.perf_counter() - started:.1f} s")
        counts = record_counts(engine)
        size = database_size_mb(path)
        print(", ".join(f"{count:,} {name}" for name, count in counts.items()) + f"; {size:,.0f} MB")

        chosen = subjects(engine)
        print(
            f"Organization filter: {chosen.organization_slug} ({chosen.organization_links:,} activities); "
            f"type filter: {chosen.type_code} ({chosen.type_activities:,} activities)"
        )
        timings = []
        for case in cases(engine, chosen):
            timing = measure(case, args.runs)
            timings.append(timing)
            line = f"  {case.query:<28} {case.filters:<30} {timing.median_ms:>10.1f} ms {timing.cpu_ms:>10.1f} ms CPU"
            print(f"{line} {timing.rows:>8,} rows", flush=True)
        print_table(timings)

        slow = [(t, explain(engine, t.case)) for t in timings if t.median_ms > args.slow_ms]
        if slow:
            print(f"\nCalls slower than {args.slow_ms:.0f} ms, statement by statement:")
            print("\n".join(plan_sections(slow, args.slow_ms)))
        info = start | machine()
        write_results(args.results, info, counts, generated, chosen, timings, slow, args, size)
        print(f"\nResults written to {args.results}")
    finally:
        engine.dispose()
        if temporary is not None:
            if args.keep:
                print(f"Database kept: {path}")
            else:
                shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
