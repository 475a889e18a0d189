"""Synthetic networks: many schools, shared partners and up to millions of activities, invented and reproducible.

`python -m db synth --schools 300 --partners 1000 --activities 1000000 --seed 7` fills an empty database
(SQLite or PostgreSQL) with a network that looks like a real one where the screens and the benchmarks
would notice: schools spread over the 28 regions roughly by population (Sofia City the most), named as
Bulgarian schools are („СУ „Христо Ботев“ – Сливен“); partners with a long-tailed reach (a few national
ones working with a hundred schools and more, many local ones with 2–10 schools of one region);
activities over the school years 2014/2015 to 2026/2027, in a school year's rhythm, with 1–3 partners
each. Every row it writes is marked `is_demo`; nothing about individual pupils is invented, only counts.

The same seed gives the same database, row for row: every value comes from one `random.Random(seed)` in
a fixed order, and the dates a database would stamp by itself (`created_at`) are given from the data.
The first school (the seed school of a fresh install) is kept as it is and counted as school 1.

Speed: the rows are built as plain dicts and inserted with Core's executemany in large batches. The
triggers of migrations 0008, 0009 and 0011 (rollups, search index, data revision) would do their work once
per row; instead they are set aside for the insert (dropped on SQLite, disabled on PostgreSQL, where
pg_trgm's indexes are dropped too) and the rollups and the index are counted once at the end
(`db.rollups.fill`, `db.search.rebuild`, the indexes made again), all in ONE transaction: if anything
fails, the database is as it was, triggers included (SQLite's and PostgreSQL's DDL are both transactional).
Row by row, 100,000 activities took 5 times longer on SQLite and 30 times on PostgreSQL
(bench/RESULTS-synth.md).
"""

from __future__ import annotations

import random
import secrets
import time
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from itertools import accumulate
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, insert, select, text, update

from db import rollups, search
from db.demo import DatabaseNotEmpty
from db.models import (
    Activity,
    ActivityOrganization,
    ActivityType,
    FocusArea,
    Organization,
    PartnerKind,
    School,
    data_revision,
    organization_focus_areas,
)
from db.regions import BY_CODE, REGIONS
from db.school_year import school_year_of
from db.text import name_key, search_text, slugify

__all__ = ["DatabaseNotEmpty", "Synthesized", "synthesize"]

FIRST_YEAR, LAST_YEAR = 2014, 2026  # school years 2014/2015 … 2026/2027
# Activities after this day are planned, before it held (a few cancelled). Fixed, not today's date: the same
# seed must give the same database on any day.
TODAY = date(2026, 12, 1)
BATCH = 20_000

# ---- Places -------------------------------------------------------------------------------------------------------

# Population in thousands (census 2021, rounded): how many of the schools each region gets.
POPULATION = {
    "BG-01": 298, "BG-02": 378, "BG-03": 441, "BG-04": 206, "BG-05": 77, "BG-06": 146, "BG-07": 104,
    "BG-08": 160, "BG-09": 159, "BG-10": 112, "BG-11": 114, "BG-12": 119, "BG-13": 229, "BG-14": 117,
    "BG-15": 226, "BG-16": 634, "BG-17": 109, "BG-18": 193, "BG-19": 98, "BG-20": 172, "BG-21": 98,
    "BG-22": 1275, "BG-23": 226, "BG-24": 298, "BG-25": 99, "BG-26": 211, "BG-27": 152, "BG-28": 113,
}  # fmt: skip

# A few towns of each region with their municipality (the first is the region's centre, and the likeliest).
TOWNS: dict[str, tuple[tuple[str, str], ...]] = {
    "BG-01": (("Благоевград", "Благоевград"), ("Сандански", "Сандански"), ("Петрич", "Петрич"),
              ("Гоце Делчев", "Гоце Делчев"), ("Разлог", "Разлог")),
    "BG-02": (("Бургас", "Бургас"), ("Айтос", "Айтос"), ("Карнобат", "Карнобат"), ("Поморие", "Поморие"),
              ("Созопол", "Созопол")),
    "BG-03": (("Варна", "Варна"), ("Провадия", "Провадия"), ("Девня", "Девня"), ("Белослав", "Белослав")),
    "BG-04": (("Велико Търново", "Велико Търново"), ("Горна Оряховица", "Горна Оряховица"), ("Свищов", "Свищов"),
              ("Павликени", "Павликени")),
    "BG-05": (("Видин", "Видин"), ("Белоградчик", "Белоградчик"), ("Кула", "Кула")),
    "BG-06": (("Враца", "Враца"), ("Мездра", "Мездра"), ("Козлодуй", "Козлодуй"), ("Бяла Слатина", "Бяла Слатина")),
    "BG-07": (("Габрово", "Габрово"), ("Севлиево", "Севлиево"), ("Трявна", "Трявна"), ("Дряново", "Дряново")),
    "BG-08": (("Добрич", "Добрич"), ("Балчик", "Балчик"), ("Каварна", "Каварна"), ("Генерал Тошево", "Генерал Тошево")),
    "BG-09": (("Кърджали", "Кърджали"), ("Момчилград", "Момчилград"), ("Крумовград", "Крумовград"),
              ("Ардино", "Ардино")),
    "BG-10": (("Кюстендил", "Кюстендил"), ("Дупница", "Дупница"), ("Бобов дол", "Бобов дол"),
              ("Сапарева баня", "Сапарева баня")),
    "BG-11": (("Ловеч", "Ловеч"), ("Троян", "Троян"), ("Луковит", "Луковит"), ("Тетевен", "Тетевен")),
    "BG-12": (("Монтана", "Монтана"), ("Лом", "Лом"), ("Берковица", "Берковица"), ("Вършец", "Вършец")),
    "BG-13": (("Пазарджик", "Пазарджик"), ("Велинград", "Велинград"), ("Пещера", "Пещера"),
              ("Панагюрище", "Панагюрище"), ("Септември", "Септември")),
    "BG-14": (("Перник", "Перник"), ("Радомир", "Радомир"), ("Брезник", "Брезник")),
    "BG-15": (("Плевен", "Плевен"), ("Левски", "Левски"), ("Червен бряг", "Червен бряг"), ("Кнежа", "Кнежа")),
    "BG-16": (("Пловдив", "Пловдив"), ("Асеновград", "Асеновград"), ("Карлово", "Карлово"), ("Първомай", "Първомай"),
              ("Раковски", "Раковски"), ("Стамболийски", "Стамболийски")),
    "BG-17": (("Разград", "Разград"), ("Исперих", "Исперих"), ("Кубрат", "Кубрат")),
    "BG-18": (("Русе", "Русе"), ("Бяла", "Бяла"), ("Две могили", "Две могили"), ("Мартен", "Русе")),
    "BG-19": (("Силистра", "Силистра"), ("Тутракан", "Тутракан"), ("Дулово", "Дулово")),
    "BG-20": (("Сливен", "Сливен"), ("Нова Загора", "Нова Загора"), ("Котел", "Котел"), ("Твърдица", "Твърдица")),
    "BG-21": (("Смолян", "Смолян"), ("Мадан", "Мадан"), ("Златоград", "Златоград"), ("Девин", "Девин")),
    "BG-22": (("София", "Столична"), ("Банкя", "Столична"), ("Нови Искър", "Столична")),
    "BG-23": (("Ботевград", "Ботевград"), ("Самоков", "Самоков"), ("Ихтиман", "Ихтиман"), ("Костинброд", "Костинброд"),
              ("Елин Пелин", "Елин Пелин"), ("Своге", "Своге")),
    "BG-24": (("Стара Загора", "Стара Загора"), ("Казанлък", "Казанлък"), ("Чирпан", "Чирпан"), ("Раднево", "Раднево")),
    "BG-25": (("Търговище", "Търговище"), ("Попово", "Попово"), ("Омуртаг", "Омуртаг")),
    "BG-26": (("Хасково", "Хасково"), ("Димитровград", "Димитровград"), ("Харманли", "Харманли"),
              ("Свиленград", "Свиленград")),
    "BG-27": (("Шумен", "Шумен"), ("Нови пазар", "Нови пазар"), ("Велики Преслав", "Велики Преслав")),
    "BG-28": (("Ямбол", "Ямбол"), ("Елхово", "Елхово"), ("Стралджа", "Стралджа")),
}  # fmt: skip
TOWN_WEIGHTS = (6, 2, 2, 1, 1, 1)  # the centre first

# ---- Schools ------------------------------------------------------------------------------------------------------

PATRONS = (
    "Христо Ботев", "Васил Левски", "Иван Вазов", "Св. св. Кирил и Методий", "Св. Климент Охридски",
    "Паисий Хилендарски", "Христо Смирненски", "Никола Вапцаров", "Йордан Йовков", "Елин Пелин",
    "Пейо Яворов", "Неофит Рилски", "Алеко Константинов", "Димчо Дебелянов", "П. Р. Славейков",
    "Любен Каравелов", "Георги Бенковски", "Софроний Врачански", "Васил Априлов", "Елисавета Багряна",
    "Йордан Радичков", "Св. Иван Рилски", "Хаджи Димитър", "Райна Княгиня", "Асен Златаров",
    "Стефан Караджа", "Панайот Волов", "Отец Паисий", "Антон Страшимиров", "Св. Паисий Хилендарски",
)  # fmt: skip
GARDENS = ("Слънчице", "Детелина", "Звънче", "Пчелица", "Радост", "Мечо Пух", "Дъга", "Калинка", "Щурче", "Изгрев")
TRADES = ("туризъм", "икономика", "механотехника", "селско стопанство", "електротехника", "строителство")
PROFILES = (
    ("Природо-математическа гимназия", "ПМГ"),
    ("Езикова гимназия", "ЕГ"),
    ("Профилирана гимназия", "ПГ"),
    ("Гимназия с преподаване на чужди езици", "ГПЧЕ"),
)
# (kind, weight, full name's words, short name's): for primary, basic, united and secondary schools.
SCHOOL_KINDS = (
    ("basic", 30, "Основно училище", "ОУ"),
    ("secondary", 30, "Средно училище", "СУ"),
    ("primary", 8, "Начално училище", "НУ"),
    ("united", 7, "Обединено училище", "ОбУ"),
    ("profiled", 8, "", ""),
    ("vocational", 10, "", ""),
    ("kindergarten", 5, "Детска градина", "ДГ"),
    ("other", 2, "Център за подкрепа за личностно развитие", "ЦПЛР"),  # with a patron, as the others
)

# ---- Partners -----------------------------------------------------------------------------------------------------

WORDS = (
    "Заедно", "Бъдеще", "Надежда", "Мост", "Светлина", "Шанс", "Дъга", "Хоризонт", "Равни шансове", "Приятели",
    "Диалог", "Общност", "Знание", "Нов път", "Подкрепа", "Слънчоглед", "Искра", "Съзвездие", "Млади лидери",
    "Отворени врати", "Доверие", "Кураж", "Пъстро", "Корени", "Образование за всички", "Право на избор",
    "Глас", "Посока", "Стъпка напред", "Единство", "Мечта", "Добро сърце", "Детство", "Прозорец", "Огнище",
)  # fmt: skip
NATIONAL_FORMS = (
    ("Фондация „{w}“", "foundation"),
    ("Сдружение „{w}“ – България", "association"),
    ("Национален център „{w}“", "ngo"),
    ("Център за междуетнически диалог „{w}“", "ngo"),
    ("Национална мрежа „{w}“", "ngo"),
)
LOCAL_FORMS = (
    ("Сдружение „{w}“ – {town}", "association", 5),
    ("Фондация „{w}“ – {town}", "foundation", 3),
    ("Център „{w}“ – {town}", "ngo", 3),
    ("Ромски общностен съвет „{w}“ – {town}", "community_council", 2),
    ("Народно читалище „{w}“ – {town}", "other", 2),
    ("Родителски клуб „{w}“ – {town}", "association", 1),
)
# Regional institutions, one of each per town at most: (name, short name, kind).
INSTITUTIONS = (
    ("Община {municipality}", "Община {municipality}", "municipality"),
    ("Регионално управление на образованието – {town}", "РУО – {town}", "public_institution"),
    ("Дирекция „Социално подпомагане“ – {town}", "ДСП – {town}", "public_institution"),
    ("Регионална здравна инспекция – {town}", "РЗИ – {town}", "public_institution"),
    ("Детска педагогическа стая – {town}", "ДПС – {town}", "public_institution"),
    ("Регионална библиотека – {town}", "Библиотека – {town}", "public_institution"),
    ("Център за специална образователна подкрепа – {town}", "ЦСОП – {town}", "school"),
)
MISSIONS = {
    "ngo": "Синтетичен запис: работи за равен достъп до образование и за задържане на децата в училище.",
    "foundation": "Синтетичен запис: финансира проекти за извънкласни занимания и подкрепа на ученици.",
    "association": "Синтетичен запис: обединява родители, учители и доброволци около училищата в общината.",
    "public_institution": "Синтетичен запис: институция, която подкрепя училищата по закон и по проекти.",
    "community_council": "Синтетичен запис: общностен съвет, посредник между семействата и училището.",
    "school": "Синтетичен запис: подкрепа за деца със специални образователни потребности.",
    "municipality": "Синтетичен запис: общината подкрепя кампании за обхващане и лятна занималня.",
    "other": "Синтетичен запис: читалище с клубове по фолклор, театър и четене.",
}

# ---- Activities ---------------------------------------------------------------------------------------------------

TYPE_WEIGHTS = {
    "meeting": 24, "celebration": 13, "training": 10, "campaign": 10, "donation": 9, "project": 9,
    "competition": 9, "round_table": 5, "other": 11,
}  # fmt: skip
TITLES = {
    "round_table": ("Кръгла маса за образователната интеграция", "Кръгла маса за Международния ден на ромите",
                    "Кръгла маса „Ранно напускане на училище“", "Кръгла маса за приобщаващото образование"),
    "meeting": ("Среща с родители", "Среща с родителите на първокласниците", "Работна среща за обхвата на учениците",
                "Родителска среща в квартала", "Среща на училищния екип с партньорите", "Среща с медиатори"),
    "training": ("Обучение за учители: интеркултурно образование", "Обучение „Работа с родители“",
                 "Обучение за учители: задържане в училище", "Обучение за образователни медиатори",
                 "Обучение: приобщаващо образование", "Обучение за класни ръководители"),
    "celebration": ("Фестивал на културите", "Международен ден на ромите – училищен празник",
                    "Празник на училището"),
    "campaign": ("Кампания „Всяко дете в училище“", "Кампания „Знам ромски“", "Кампания за четене",
                 "Кампания „Пази се от насилие“", "Кампания за здравословно хранене"),
    "project": ("Проект „Училище за всички“", "Лятна занималня", "Проект „Заедно в училище“",
                "Проект „Подкрепа за равен достъп“", "Проект за извънкласни дейности", "Клуб „Млад природолюбител“"),
    "competition": ("Конкурс за рисунка „Моят дом, моите традиции“", "Състезание по четене",
                    "Математическо състезание", "Конкурс за есе", "Спортен празник"),
    "donation": ("Дарение на ученически пособия", "Коледни пакети за семейства в нужда", "Дарение на книги",
                 "Раници за първокласници", "Дарение на компютри"),
    "other": ("Посещение в музей", "Екскурзия", "Театрална постановка", "Открит урок", "Ден на отворените врати",
              "Доброволческа акция"),
}  # fmt: skip
# A celebration fits its month: „Баба Марта“ in March, „24 май“ in May (else one of the first two above).
CELEBRATIONS = {
    11: ("Ден на народните будители", "Фестивал на културите"),
    12: ("Коледно тържество", "Празник на училището"),
    3: ("Баба Марта в училище", "Фестивал на културите"),
    4: ("Международен ден на ромите – училищен празник", "Великденски базар"),
    5: ("Празник на буквите – 24 май", "Празник на училището"),
}
DESCRIPTIONS = (
    "",
    "",
    "",
    "Синтетичен запис: посещения по домовете и разговори с родители за записване и редовно посещение.",
    "Синтетичен запис: песни, танци и приказки; гости от общността, родители и учители.",
    "Синтетичен запис: допълнителни занимания, извънкласни дейности и работа с родители.",
)
# Participants (low, high) and the share of them who are pupils, per type.
PEOPLE = {
    "round_table": (15, 50, 0.2), "meeting": (8, 40, 0.1), "training": (10, 35, 0.0),
    "celebration": (50, 300, 0.75), "campaign": (20, 150, 0.8), "project": (20, 120, 0.85),
    "competition": (15, 80, 0.9), "donation": (20, 100, 0.9), "other": (10, 60, 0.6),
}  # fmt: skip
# How busy each month of a school year is (September … August): the summer is quiet.
MONTH_WEIGHTS = {9: 6, 10: 10, 11: 10, 12: 10, 1: 7, 2: 8, 3: 10, 4: 10, 5: 11, 6: 8, 7: 3, 8: 1}


@dataclass
class Synthesized:
    """What a run wrote, and how long each step took (seconds)."""

    schools: int = 0
    partners: int = 0
    activities: int = 0
    links: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class _School:
    id: int
    region: str
    town: str
    short_name: str
    joined: int  # the school year of its first activity in the network
    weight: float  # how busy it is
    partners: list[int] = field(default_factory=list)
    partner_weights: list[float] = field(default_factory=list)


def _pick(rng: random.Random, items: Any, weights: Any) -> Any:
    return rng.choices(items, weights=weights)[0]


def _unique(used: set[str], wanted: str) -> str:
    """`wanted`, or `wanted-2`, `wanted-3` …: the first not in `used` (which it joins)."""
    candidate, number = wanted, 1
    while candidate in used:
        number += 1
        candidate = f"{wanted}-{number}"
    used.add(candidate)
    return candidate


def _school_name(rng: random.Random, kind: str, town: str, number: int | None) -> tuple[str, str]:
    """A school's full and short name: „Средно училище „Христо Ботев“ – Сливен“, „СУ „Христо Ботев“"."""
    prefix = f"{number} " if number is not None else ""
    if kind == "profiled":
        full, short = rng.choice(PROFILES)
        patron = rng.choice(PATRONS)
        return f"{prefix}{full} „{patron}“ – {town}", f"{prefix}{short} „{patron}“"
    if kind == "vocational":
        trade, patron = rng.choice(TRADES), rng.choice(PATRONS)
        return f"{prefix}Професионална гимназия по {trade} „{patron}“ – {town}", f"{prefix}ПГ по {trade} „{patron}“"
    words = {k: (full, short) for k, _, full, short in SCHOOL_KINDS}[kind]
    patron = rng.choice(GARDENS if kind == "kindergarten" else PATRONS)
    return f"{prefix}{words[0]} „{patron}“ – {town}", f"{prefix}{words[1]} „{patron}“"


def _schools(
    rng: random.Random, count: int, seed_school: dict[str, Any], used_keys: set[str], used_slugs: set[str]
) -> tuple[list[dict[str, Any]], list[_School]]:
    """`count - 1` new schools' rows, and all `count` (the seed school first) as the generator sees them."""
    regions = [region.code for region in REGIONS]
    region_weights = [POPULATION[code] for code in regions]
    kinds = [k for k, _, _, _ in SCHOOL_KINDS]
    kind_weights = [w for _, w, _, _ in SCHOOL_KINDS]
    seed = _School(
        id=seed_school["id"],
        region=seed_school["region"] if seed_school["region"] in BY_CODE else "BG-10",
        town=seed_school["city"] or "Кюстендил",
        short_name=seed_school["short_name"],
        joined=FIRST_YEAR,
        weight=1.5,
    )
    found, rows = [seed], []
    numbered = {"BG-22", "BG-16", "BG-03"}  # the big cities number their schools: „51 СУ“
    for school_id in range(seed.id + 1, seed.id + count):
        region = _pick(rng, regions, region_weights)
        towns = TOWNS[region]
        town, municipality = _pick(rng, towns, TOWN_WEIGHTS[: len(towns)])
        kind = _pick(rng, kinds, kind_weights)
        for attempt in range(50):
            number = rng.randint(1, 170) if region in numbered and town == towns[0][0] or attempt > 5 else None
            name, short = _school_name(rng, kind, town, number)
            if name_key(name) not in used_keys:
                break
        else:
            name = f"{name} ({school_id})"
        used_keys.add(name_key(name))
        slug = _unique(used_slugs, slugify(f"{short} {town}"))[:80]
        lon, lat = BY_CODE[region].point
        rows.append(
            {
                "id": school_id,
                "slug": slug,
                "name": name,
                "name_key": name_key(name),
                "short_name": short[:60],
                "kind": kind,
                "city": town,
                "municipality": municipality,
                "region": region,
                "website": f"https://{slug}.example.bg" if rng.random() < 0.7 else "",
                "latitude": round(lat + rng.uniform(-0.25, 0.25), 5) if rng.random() < 0.9 else None,
                "longitude": round(lon + rng.uniform(-0.35, 0.35), 5) if rng.random() < 0.9 else None,
                "is_demo": True,
                "created_at": datetime(2026, 1, 15, 9, 0) + timedelta(minutes=school_id),
            }
        )
        # Schools join the network over the years, most of them early; some are much busier than others.
        joined = FIRST_YEAR + min(int(rng.expovariate(0.35)), LAST_YEAR - FIRST_YEAR)
        found.append(_School(school_id, region, town, short[:60], joined, rng.lognormvariate(0, 0.6)))
    # A school with no coordinates has none at all: half a point is no place on a map.
    for row in rows:
        if row["latitude"] is None or row["longitude"] is None:
            row["latitude"] = row["longitude"] = None
    return rows, found


def _partners(
    rng: random.Random,
    count: int,
    schools: list[_School],
    kind_ids: dict[str, int],
    area_ids: list[int],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The partners' rows and their focus areas; each school learns whom it works with, and how much."""
    by_region: dict[str, list[_School]] = {}
    for school in schools:
        by_region.setdefault(school.region, []).append(school)
    regions = sorted(by_region)
    region_weights = [len(by_region[code]) for code in regions]
    used_keys: set[str] = set()
    used_slugs: set[str] = set()
    used_institutions: set[tuple[int, str]] = set()
    rows: list[dict[str, Any]] = []
    focus: list[dict[str, Any]] = []
    big = max(1, count // 100)  # reach 35–80 % of the schools
    national = max(1, count // 25)  # reach 5–30 %
    for number in range(1, count + 1):
        index = number - 1
        if index < big + national:
            share = rng.uniform(0.35, 0.8) if index < big else rng.uniform(0.05, 0.3)
            reach = rng.sample(schools, max(1, min(len(schools), round(share * len(schools)))))
            form, kind = rng.choice(NATIONAL_FORMS)
            town = ""
            for _ in range(100):
                word = rng.choice(WORDS)
                name = form.format(w=word)
                if name_key(name) not in used_keys:
                    break
            else:
                name = f"{form.format(w=word)} {number}"
            short = word
            intensity = 0.6
        else:
            region = _pick(rng, regions, region_weights)
            local = by_region[region]
            towns = TOWNS[region]
            town, municipality = _pick(rng, towns, TOWN_WEIGHTS[: len(towns)])
            institution = rng.randrange(len(INSTITUTIONS))
            place = town if institution == 0 else towns[0][0]
            if rng.random() < 0.2 and (institution, place) not in used_institutions:
                used_institutions.add((institution, place))
                template, short_template, kind = INSTITUTIONS[institution]
                if kind != "municipality":  # the region's offices are in its centre
                    town = towns[0][0]
                name = template.format(town=town, municipality=municipality)
                short = short_template.format(town=town, municipality=municipality)
                # An institution of the region works with most of its schools.
                size = max(1, round(len(local) * rng.uniform(0.5, 1.0)))
            else:
                forms = [f for f, _, _ in LOCAL_FORMS]
                for _ in range(100):
                    form = _pick(rng, forms, [w for _, _, w in LOCAL_FORMS])
                    word = rng.choice(WORDS)
                    name = form.format(w=word, town=town)
                    if name_key(name) not in used_keys:
                        break
                else:
                    name = f"{name} {number}"
                kind = next(k for f, k, _ in LOCAL_FORMS if f == form)
                short = f"{word} – {town}"
                size = rng.randint(2, 10)
            reach = rng.sample(local, min(len(local), size))
            intensity = 1.0
        if name_key(name) in used_keys:  # every word taken in that town: the partner's number tells them apart
            name = f"{name} {number}"
        key = name_key(name)
        used_keys.add(key)
        slug = _unique(used_slugs, slugify(short))[:80]
        since = date(rng.randint(FIRST_YEAR, LAST_YEAR), 9, 15) if rng.random() < 0.5 else None
        rows.append(
            {
                "id": number,
                "slug": slug,
                "name": name,
                "name_key": key,
                "short_name": short[:60],
                "kind_id": kind_ids.get(kind, kind_ids.get("other", next(iter(kind_ids.values())))),
                "mission": MISSIONS.get(kind, ""),
                "city": town,
                "website": f"https://{slug}.example.bg" if rng.random() < 0.5 else "",
                "email": f"office@{slug}.example.bg" if rng.random() < 0.6 else "",
                "phone": "",
                "contact_person": "",
                "partner_since": since,
                "is_active": rng.random() < 0.9,
                "is_demo": True,
                "search_text": search_text(name, short[:60], town),
                "version": 1,
                "created_at": datetime(2026, 1, 10, 9, 0) + timedelta(minutes=number),
                "updated_at": datetime(2026, 1, 10, 9, 0) + timedelta(minutes=number),
            }
        )
        for area in rng.sample(area_ids, min(len(area_ids), rng.randint(1, 3))):
            focus.append({"organization_id": number, "focus_area_id": area})
        for school in reach:
            school.partners.append(number)
            school.partner_weights.append(intensity * rng.expovariate(1.0) + 0.05)
    # A school nobody chose works with a partner of its region at least (else any): every activity has one.
    for school in schools:
        if not school.partners:
            school.partners.append(rng.randint(1, count))
            school.partner_weights.append(1.0)
    return rows, focus


def _days(rng: random.Random, activities: int) -> list[int]:
    """`activities` days (as ordinals, ascending) over the school years, in a school year's rhythm."""
    first = date(FIRST_YEAR, 9, 15).toordinal()
    last = date(LAST_YEAR + 1, 6, 30).toordinal()
    days, weights = [], []
    for ordinal in range(first, last + 1):
        day = date.fromordinal(ordinal)
        weight = MONTH_WEIGHTS[day.month] * (1 + 0.08 * (school_year_of(day) - FIRST_YEAR))  # the network grows
        if day.weekday() >= 5:
            weight *= 0.1
        days.append(ordinal)
        weights.append(weight)
    return sorted(rng.choices(days, cum_weights=list(accumulate(weights)), k=activities))


class _ActivityMaker:
    """Builds the activities' and the links' rows, day after day, with titles unique per school, day and type."""

    def __init__(self, rng: random.Random, schools: list[_School], type_ids: dict[str, int]) -> None:
        self.rng = rng
        self.codes = [code for code in TYPE_WEIGHTS if code in type_ids] or sorted(type_ids)
        self.type_ids = type_ids
        self.code_weights = list(accumulate(TYPE_WEIGHTS.get(code, 1) for code in self.codes))
        self.schools = schools
        # Per school year, the schools that have joined by then and how busy each is (cumulative).
        self.active: dict[int, tuple[list[_School], list[float]]] = {}
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            joined = [s for s in schools if s.joined <= year] or schools[:1]
            self.active[year] = (joined, list(accumulate(s.weight for s in joined)))
        self.partner_totals = {s.id: list(accumulate(s.partner_weights)) for s in schools}
        self.day = 0
        self.used: dict[tuple[int, str, str], int] = {}
        self.keys: dict[tuple[str, str, str], tuple[str, str]] = {}

    def rows(self, first_id: int, ordinals: list[int]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        rng = self.rng
        today = TODAY.toordinal()
        activities: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        for activity_id, ordinal in enumerate(ordinals, start=first_id):
            if ordinal != self.day:
                self.day, self.used = ordinal, {}
            start = date.fromordinal(ordinal)
            year = school_year_of(start)
            joined, totals = self.active[year]
            school = joined[bisect(totals, rng.random() * totals[-1])]
            code = rng.choices(self.codes, cum_weights=self.code_weights)[0]
            base = rng.choice(
                CELEBRATIONS.get(start.month, TITLES["celebration"][:2])
                if code == "celebration"
                else TITLES.get(code, ("Дейност с партньори",))
            )
            # The natural key: the second „Среща с родители“ of a school on one day is „Среща с родители (2)“.
            seen = self.used[school.id, code, base] = self.used.get((school.id, code, base), 0) + 1
            title = base if seen == 1 else f"{base} ({seen})"
            r = rng.random()
            status = "planned" if ordinal > today else "cancelled" if r < 0.04 else "held"
            if code == "project":
                end: date | None = start + timedelta(days=rng.randint(20, 150))
            elif code == "campaign":
                end = start + timedelta(days=rng.randint(3, 14))
            else:
                end = None
            low, high, share = PEOPLE.get(code, (10, 60, 0.6))
            if status != "held" or rng.random() < 0.08:
                participants = pupils = None
            else:
                participants = rng.randint(low, high)
                pupils = round(participants * share * rng.uniform(0.8, 1.0))
            location = school.short_name + ", " + school.town if rng.random() < 0.8 else school.town
            description = rng.choice(DESCRIPTIONS)
            cached = self.keys.get((title, location, description))
            if cached is None:
                cached = self.keys[title, location, description] = (
                    name_key(title),
                    search_text(title, location, description),
                )
            stamp = datetime.combine(min(start, TODAY), clock(16, 0))
            activities.append(
                {
                    "id": activity_id,
                    "school_id": school.id,
                    "title": title,
                    "title_key": cached[0],
                    "search_text": cached[1],
                    "type_id": self.type_ids[code],
                    "status": status,
                    "start_date": start,
                    "end_date": end,
                    "school_year": year,
                    "location": location,
                    "description": description,
                    "participants": participants,
                    "pupils_reached": pupils,
                    "news_url": f"https://news.example.bg/{activity_id}" if rng.random() < 0.2 else "",
                    "is_demo": True,
                    "version": 1,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
            partners, totals_p = school.partners, self.partner_totals[school.id]
            wanted = min(len(partners), rng.choices((1, 2, 3), cum_weights=(50, 85, 100))[0])
            chosen: list[int] = []
            while len(chosen) < wanted:
                partner = partners[bisect(totals_p, rng.random() * totals_p[-1])]
                if partner not in chosen:
                    chosen.append(partner)
            for position, partner in enumerate(chosen):
                if position == 0:
                    role = "organizer" if rng.random() < 0.6 else "partner"
                else:
                    role = rng.choice(("partner", "partner", "funder", "guest"))
                links.append({"activity_id": activity_id, "organization_id": partner, "role": role})
        return activities, links


# ---- The triggers, set aside during the insert -------------------------------------------------------------------

_TRIGGERED = ("activities", "activity_organizations")


def _sqlite_triggers_set_aside(connection: Connection) -> list[str]:
    """Drop the triggers on the activities and their links (0008's, 0009's, 0011's); their SQL, to make them again."""
    rows = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (?, ?) ORDER BY name",
        _TRIGGERED,
    ).all()
    for name, _sql in rows:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    return [sql for _name, sql in rows]


def _postgresql_triggers(connection: Connection, enable: bool) -> None:
    for table in _TRIGGERED:
        connection.execute(text(f"ALTER TABLE {table} {'ENABLE' if enable else 'DISABLE'} TRIGGER USER"))


def _postgresql_indexes_set_aside(connection: Connection) -> list[str]:
    """Drop pg_trgm's GIN indexes on the activities (migration 0009, where the server allowed them); their
    definitions, to make them again. Built once over a million rows they take a third of the time that
    keeping them row by row does (measured: bench/RESULTS-synth.md)."""
    rows = connection.execute(
        text(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() AND tablename = 'activities' AND indexname IN :names"
        ).bindparams(bindparam("names", expanding=True)),
        {"names": sorted(search.TRIGRAM_INDEXES)},
    ).all()
    for name, _definition in rows:
        connection.execute(text(f'DROP INDEX "{name}"'))
    return [definition for _name, definition in sorted(rows)]


def _is_empty(connection: Connection) -> bool:
    """No partners, no activities and only the first school: a fresh install, or one with accounts only."""
    return not (
        connection.scalar(select(func.count()).select_from(Organization))
        or connection.scalar(select(func.count()).select_from(Activity))
        or (connection.scalar(select(func.count()).select_from(School)) or 0) > 1
    )


def synthesize(
    engine: Engine,
    *,
    schools: int,
    partners: int,
    activities: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> Synthesized:
    """Fill an empty, migrated database with a synthetic network; refuses one with records (DatabaseNotEmpty).

    `schools` counts the first school, which is kept. `progress(done, activities)` is called after each batch.
    Everything happens in one transaction: on any error nothing is left behind.
    """
    if schools < 1 or partners < 1 or activities < 0:
        raise ValueError("schools and partners must be at least 1, activities at least 0")
    rng = random.Random(seed)
    done = Synthesized()
    started = time.perf_counter()
    sqlite = engine.dialect.name == "sqlite"
    with engine.begin() as connection:
        if not _is_empty(connection):
            raise DatabaseNotEmpty
        type_ids = dict(connection.execute(select(ActivityType.code, ActivityType.id)).all())
        kind_ids = dict(connection.execute(select(PartnerKind.code, PartnerKind.id)).all())
        area_ids = list(connection.scalars(select(FocusArea.id).order_by(FocusArea.id)))
        first = connection.execute(select(School).order_by(School.id).limit(1)).mappings().one()
        used_keys = set(connection.scalars(select(School.name_key)))
        used_slugs = set(connection.scalars(select(School.slug)))

        school_rows, network = _schools(rng, schools, dict(first), used_keys, used_slugs)
        partner_rows, focus = _partners(rng, partners, network, kind_ids, area_ids)
        if school_rows:
            connection.execute(insert(School), school_rows)
        connection.execute(insert(Organization), partner_rows)
        connection.execute(insert(organization_focus_areas), focus)
        done.schools, done.partners = len(network), len(partner_rows)

        saved = _sqlite_triggers_set_aside(connection) if sqlite else _postgresql_indexes_set_aside(connection)
        if not sqlite:
            _postgresql_triggers(connection, enable=False)
        done.seconds["schools and partners"] = time.perf_counter() - started

        ordinals = _days(rng, activities)
        maker = _ActivityMaker(rng, network, type_ids)
        building = inserting = 0.0
        for offset in range(0, activities, BATCH):
            t0 = time.perf_counter()
            activity_rows, link_rows = maker.rows(offset + 1, ordinals[offset : offset + BATCH])
            t1 = time.perf_counter()
            connection.execute(insert(Activity), activity_rows)
            connection.execute(insert(ActivityOrganization), link_rows)
            building += t1 - t0
            inserting += time.perf_counter() - t1
            done.activities += len(activity_rows)
            done.links += len(link_rows)
            if progress is not None:
                progress(done.activities, activities)
        done.seconds["building rows"] = building
        done.seconds["inserting"] = inserting

        t0 = time.perf_counter()
        for sql in saved:  # SQLite's triggers, PostgreSQL's indexes
            connection.exec_driver_sql(sql)
        if not sqlite:
            _postgresql_triggers(connection, enable=True)
            # The id sequences go on after the ids given here.
            for table in ("schools", "organizations", "activities"):
                connection.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )
        rollups.fill(connection)
        search.rebuild(connection)
        connection.execute(update(data_revision).values(revision=secrets.randbits(63)))
        done.seconds["rollups and search index"] = time.perf_counter() - t0
    done.seconds["total"] = time.perf_counter() - started
    return done
