"""Demo data: the partners named on the school's own page, and an invented history with them.

The partners, their missions and the round table of 8 April 2014 come from the
school's page and are stored as they are (not marked demo). Everything invented
around them, and two plausible local partners, carry `is_demo = true`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from db.demo_photos import add_demo_photos
from db.models import (
    Activity,
    ActivityOrganization,
    ActivityType,
    FocusArea,
    Organization,
    PartnerKind,
    School,
    SchoolOutcome,
    organization_focus_areas,
)
from db.school_year import school_year_of


class DatabaseNotEmpty(Exception):
    """The demo would be mixed with real records; `--replace` is needed."""


@dataclass(frozen=True)
class DemoPartner:
    slug: str
    name: str
    short_name: str
    kind: str
    city: str
    mission: str
    focus_areas: tuple[str, ...]
    website: str = ""
    is_demo: bool = False
    partner_since: date | None = None


PARTNERS = (
    DemoPartner(
        slug="ros-iztok",
        name="Ромски общностен съвет, кв. „Изток“ – Кюстендил",
        short_name="РОС „Изток“",
        kind="community_council",
        city="Кюстендил",
        mission=(
            "Общностен съвет на ромите от кв. „Изток“ в Кюстендил. Организатор на кръглата маса "
            "„Предизвикателства и възможности пред реализирането на програмите за равноправно "
            "интегриране на ромите в местните общности“, проведена на 8 април 2014 г. по повод "
            "Международния ден на ромите, с участието на институции, директори на училища, "
            "общественици и ученици."
        ),
        focus_areas=("community", "advocacy", "education"),
    ),
    DemoPartner(
        slug="largo",
        name="Сдружение „Ларго“ – Кюстендил (Либерална алтернатива за ромско гражданско обединение)",
        short_name="Ларго",
        kind="association",
        city="Кюстендил",
        mission=(
            "Работи за създаването на ромски общностни центрове – мястото, където ромите се събират, "
            "обсъждат проблемите, самоорганизират се, помагат си взаимно, вземат решения и поемат "
            "отговорности; за идентифицирането на местни изявени роми и изграждането им като "
            "действени лидери на общността; за изграждане на навици и култура на общуване в "
            "общността; за развитието на мрежа за взаимно обучение по европейски стандарти за "
            "социални дейности и работа в общността; за осигуряването на финансова помощ за "
            "дейности за местно развитие."
        ),
        focus_areas=("community", "leadership", "parents"),
    ),
    DemoPartner(
        slug="amalipe",
        name="Център за междуетнически диалог и толерантност „Амалипе“",
        short_name="Амалипе",
        kind="ngo",
        city="Велико Търново",
        mission=(
            "Водеща ромска организация, която работи за равноправно интегриране на ромите в "
            "българското общество. Играе централна роля в организирането на ромското гражданско "
            "движение и реализира застъпнически дейности за интеграция на ромите пред държавните "
            "институции."
        ),
        focus_areas=("education", "intercultural", "school_retention", "advocacy"),
    ),
    DemoPartner(
        slug="tsoiduem",
        name=("Център за образователна интеграция на децата и учениците от етническите малцинства (ЦОИДУЕМ)"),
        short_name="ЦОИДУЕМ",
        kind="public_institution",
        city="София",
        mission=(
            "Създаден с Постановление № 4 на Министерския съвет от 11 януари 2005 г. да подпомага "
            "реализирането на правителствената политика по отношение на образователните "
            "потребности на децата и учениците от етническите малцинства. Тази политика има за "
            "своя рамка Националната програма за развитие на училищното образование и "
            "предучилищното възпитание и подготовка 2006–2015 г."
        ),
        focus_areas=("education", "school_retention", "intercultural"),
    ),
    DemoPartner(
        slug="nevo-drom",
        name="„Нево Дром“",
        short_name="Нево Дром",
        kind="ngo",
        city="",
        mission=(
            "Определя като най-важни задачи пред ромите: независимост; образование; съхраняване "
            "на традиции и култура; знание на ромски език."
        ),
        focus_areas=("culture", "romani_language", "education"),
    ),
    DemoPartner(
        slug="adra",
        name="Фондация „АДРА“ – България",
        short_name="АДРА",
        kind="foundation",
        city="София",
        mission=(
            "Мисията на фондацията е да оказва хуманитарна помощ при бедствия и аварии и подкрепа "
            "за развитие на най-бедните – уязвими общности и индивиди – без предубеждение към "
            "расата, етноса, религиозната им и полова принадлежност."
        ),
        focus_areas=("humanitarian",),
    ),
    DemoPartner(
        slug="obshtina-kyustendil",
        name="Община Кюстендил",
        short_name="Община",
        kind="municipality",
        city="Кюстендил",
        mission="Демонстрационен запис: общината подкрепя кампании за обхващане и лятна занималня.",
        focus_areas=("school_retention", "community"),
        is_demo=True,
        partner_since=date(2015, 9, 15),
    ),
    DemoPartner(
        slug="ruo-kyustendil",
        name="Регионално управление на образованието – Кюстендил",
        short_name="РУО",
        kind="public_institution",
        city="Кюстендил",
        mission="Демонстрационен запис: методическа подкрепа и съвместни срещи по образователна интеграция.",
        focus_areas=("education", "school_retention"),
        is_demo=True,
        partner_since=date(2016, 9, 15),
    ),
)

ROUND_TABLE_2014 = {
    "title": (
        "Кръгла маса „Предизвикателства и възможности пред реализирането на програмите за "
        "равноправно интегриране на ромите в местните общности“"
    ),
    "type": "round_table",
    "start_date": date(2014, 4, 8),
    "location": "Кюстендил",
    "description": (
        "Представители на ОУ „Иван Вазов“ – Кюстендил взеха участие в кръглата маса. Повод за "
        "организирането ѝ бе честването на Международния ден на ромите – 8 април. Участваха "
        "представители на различни институции, директори на училища, общественици и ученици."
    ),
    "organizations": (("ros-iztok", "organizer"),),
}


# The demo's highlights of each year (the story of the year opens with them): starred by the demo, not by
# the school, and on invented activities only, like everything else the demo marks `is_demo`.
DEMO_HIGHLIGHTS = frozenset({"Международен ден на ромите – училищен празник", "Кампания „Всяко дете в училище“"})


@dataclass
class _Plan:
    """One invented activity, before it is stored."""

    title: str
    type: str
    start: date
    days: int
    organizations: tuple[tuple[str, str], ...]
    location: str = "ОУ „Иван Вазов“, Кюстендил"
    description: str = ""
    participants: tuple[int, int] = (20, 60)
    pupils_share: float = 0.6


def _weekday_near(rng: random.Random, year: int, month: int, first: int, last: int) -> date:
    day = date(year, month, rng.randint(first, last))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _year_plan(rng: random.Random, y: int) -> list[_Plan]:
    """The invented activities of school year y/y+1, in the rhythm a school year has."""
    n = y + 1
    plans = [
        _Plan(
            "Кампания „Всяко дете в училище“",
            "campaign",
            _weekday_near(rng, y, 9, 15, 20),
            rng.randint(7, 14),
            (("largo", "organizer"), ("obshtina-kyustendil", "partner")),
            location="кв. „Изток“, Кюстендил",
            description="Посещения по домовете и разговори с родители за записване и редовно посещение.",
            participants=(30, 70),
        ),
        _Plan(
            rng.choice(["Дарение на ученически пособия", "Раници и пособия за първокласници"]),
            "donation",
            _weekday_near(rng, y, 9, 16, 30),
            1,
            (("adra", "funder"),),
            participants=(25, 60),
            pupils_share=1.0,
        ),
        _Plan(
            rng.choice(
                [
                    "Обучение за учители: интеркултурно образование",
                    "Обучение „Работа с родители от ромската общност“",
                    "Обучение за учители: задържане на учениците в училище",
                ]
            ),
            "training",
            _weekday_near(rng, y, 10, 5, 25),
            2,
            (("amalipe", "organizer"),),
            participants=(12, 30),
            pupils_share=0.0,
        ),
        _Plan(
            "Среща с родители от кв. „Изток“",
            "meeting",
            _weekday_near(rng, y, 11, 3, 27),
            1,
            (("largo", "organizer"), ("ros-iztok", "partner")),
            participants=(15, 45),
            pupils_share=0.2,
        ),
        _Plan(
            "Коледни пакети за семейства в нужда",
            "donation",
            _weekday_near(rng, y, 12, 10, 19),
            1,
            (("adra", "funder"), ("largo", "partner")),
            participants=(30, 80),
            pupils_share=0.7,
        ),
        _Plan(
            rng.choice(
                [
                    "Проект „Училище за всички“",
                    "Проект „Заедно в училище“",
                    "Проект „Подкрепа за равен достъп“",
                ]
            ),
            "project",
            _weekday_near(rng, n, 2, 1, 10),
            rng.randint(100, 130),
            (("tsoiduem", "funder"), ("amalipe", "partner")),
            description="Допълнителни занимания по български език, извънкласни дейности и работа с родители.",
            participants=(40, 90),
            pupils_share=0.8,
        ),
        _Plan(
            "Конкурс за рисунка „Моят дом, моите традиции“",
            "competition",
            _weekday_near(rng, n, 3, 2, 20),
            1,
            (("nevo-drom", "organizer"),),
            participants=(20, 50),
            pupils_share=0.9,
        ),
        _Plan(
            "Международен ден на ромите – училищен празник",
            "celebration",
            date(n, 4, 8),
            1,
            (("nevo-drom", "partner"), ("ros-iztok", "partner")),
            description="Песни, танци и приказки на ромски и български език; гости от общността.",
            participants=(80, 200),
            pupils_share=0.7,
        ),
        _Plan(
            "Фестивал на културите",
            "celebration",
            _weekday_near(rng, n, 5, 12, 28),
            1,
            (("amalipe", "partner"), ("obshtina-kyustendil", "guest")),
            participants=(60, 150),
            pupils_share=0.75,
        ),
        _Plan(
            "Лятна занималня",
            "project",
            _weekday_near(rng, n, 7, 1, 8),
            rng.randint(20, 35),
            (("obshtina-kyustendil", "funder"), ("largo", "partner")),
            participants=(20, 45),
            pupils_share=0.9,
        ),
    ]
    if rng.random() < 0.8:
        plans.append(
            _Plan(
                "Кръгла маса за Международния ден на ромите",
                "round_table",
                date(n, 4, 8) if date(n, 4, 8).weekday() < 5 else date(n, 4, 7),
                1,
                (("ros-iztok", "organizer"), ("ruo-kyustendil", "guest"), ("largo", "partner")),
                location="Кюстендил",
                participants=(25, 50),
                pupils_share=0.2,
            )
        )
    if rng.random() < 0.7:
        plans.append(
            _Plan(
                "Работна среща за обхвата на учениците",
                "meeting",
                _weekday_near(rng, n, 1, 12, 30),
                1,
                (("ruo-kyustendil", "organizer"), ("tsoiduem", "guest")),
                location="РУО – Кюстендил",
                participants=(8, 20),
                pupils_share=0.0,
            )
        )
    if rng.random() < 0.5:
        plans.append(
            _Plan(
                "Кампания „Знам ромски“ – часове по ромски език и фолклор",
                "campaign",
                _weekday_near(rng, n, 3, 20, 31),
                rng.randint(5, 10),
                (("nevo-drom", "organizer"),),
                participants=(15, 40),
                pupils_share=1.0,
            )
        )
    # Partners join the record when they joined the school's work.
    return [
        p
        for p in plans
        if not any(slug == "obshtina-kyustendil" for slug, _ in p.organizations) or y >= 2015
        if not any(slug == "ruo-kyustendil" for slug, _ in p.organizations) or y >= 2016
    ]


def is_empty(engine: Engine) -> bool:
    """True when the database holds no partners and no activities."""
    with engine.connect() as connection:
        partners = connection.scalar(select(func.count()).select_from(Organization))
        activities = connection.scalar(select(func.count()).select_from(Activity))
    return not partners and not activities


def load_demo(engine: Engine, *, today: date | None = None, replace: bool = False) -> int:
    """Store the demo partners and activities up to the end of the current school year.

    Activities before `today` are held (a few cancelled), later ones planned.
    Refuses a database with records unless `replace`, which deletes them all first.
    Returns the number of activities stored.
    """
    today = today or date.today()
    rng = random.Random(20140408)
    # Their own sequences, so that the activities above stay exactly what they were before outcomes.
    stage_rng = random.Random(20120915)
    with Session(engine) as session, session.begin():
        has_records = session.scalar(select(func.count()).select_from(Organization)) or session.scalar(
            select(func.count()).select_from(Activity)
        )
        if has_records and not replace:
            raise DatabaseNotEmpty
        if has_records:
            session.execute(delete(SchoolOutcome).where(SchoolOutcome.is_demo))
            session.execute(delete(ActivityOrganization))
            session.execute(delete(Activity))
            session.execute(delete(organization_focus_areas))
            session.execute(delete(Organization))

        kinds = {k.code: k for k in session.scalars(select(PartnerKind))}
        types = {t.code: t for t in session.scalars(select(ActivityType))}
        areas = {a.code: a for a in session.scalars(select(FocusArea))}
        partners: dict[str, Organization] = {}
        for p in PARTNERS:
            partners[p.slug] = Organization(
                slug=p.slug,
                name=p.name,
                short_name=p.short_name,
                kind=kinds[p.kind],
                city=p.city,
                mission=p.mission,
                website=p.website,
                partner_since=p.partner_since,
                is_demo=p.is_demo,
                focus_areas=[areas[code] for code in p.focus_areas],
            )
        session.add_all(partners.values())

        def add(plan: dict[str, object], *, is_demo: bool) -> None:
            activity = Activity(
                title=plan["title"],
                type=types[str(plan["type"])],
                start_date=plan["start_date"],
                end_date=plan.get("end_date"),
                status=plan.get("status", "held"),
                location=plan.get("location", ""),
                description=plan.get("description", ""),
                participants=plan.get("participants"),
                pupils_reached=plan.get("pupils_reached"),
                is_highlight=is_demo and plan["title"] in DEMO_HIGHLIGHTS and plan.get("status") == "held",
                **_stages(stage_rng, plan.get("pupils_reached"), plan.get("participants")),
                is_demo=is_demo,
            )
            activity.links = [
                ActivityOrganization(organization=partners[slug], role=role)
                for slug, role in plan["organizations"]  # type: ignore[attr-defined]
            ]
            session.add(activity)

        add(ROUND_TABLE_2014, is_demo=False)
        count = 1
        for year in range(2013, school_year_of(today) + 1):
            for plan in _year_plan(rng, year):
                if (plan.type, plan.start) == ("round_table", ROUND_TABLE_2014["start_date"]):
                    continue
                end = plan.start + timedelta(days=plan.days - 1) if plan.days > 1 else None
                if plan.start >= today:
                    status, participants, pupils = "planned", None, None
                else:
                    status = "cancelled" if rng.random() < 0.04 else "held"
                    participants = rng.randint(*plan.participants)
                    pupils = round(participants * plan.pupils_share)
                add(
                    {
                        "title": plan.title,
                        "type": plan.type,
                        "start_date": plan.start,
                        "end_date": end,
                        "status": status,
                        "location": plan.location,
                        "description": plan.description,
                        "participants": participants if status == "held" else None,
                        "pupils_reached": pupils if status == "held" else None,
                        "organizations": plan.organizations,
                    },
                    is_demo=True,
                )
                count += 1
        first_school = int(session.scalar(select(func.min(School.id))) or 1)
        # A school's own figures (kept by --replace, which deletes the demo's only) are not overwritten.
        own = {(year, key) for year, key in session.execute(select(SchoolOutcome.school_year, SchoolOutcome.indicator))}
        demo = _outcomes(random.Random(20130915), first_school, school_year_of(today))
        session.add_all(row for row in demo if (row.school_year, row.indicator) not in own)
        session.flush()
        add_demo_photos(session)  # illustrations made for the demo, consent set every way
    return count


def _stages(rng: random.Random, pupils: object, participants: object) -> dict[str, int | None]:
    """About half the held activities with pupils tell them by stage, and the parents and teachers there."""
    if not isinstance(pupils, int) or not isinstance(participants, int) or pupils < 2 or rng.random() < 0.5:
        return {}
    primary = round(pupils * rng.uniform(0.3, 0.7))
    adults = max(participants - pupils, 0)
    teachers = min(adults, rng.randint(1, 4))
    return {
        "pupils_primary": primary,
        "pupils_secondary": pupils - primary,
        "parents": rng.randint(0, adults - teachers) if adults > teachers else 0,
        "teachers": teachers,
    }


def _outcomes(rng: random.Random, school_id: int, last_year: int) -> list[SchoolOutcome]:
    """Plausible figures of a small school with many Roma pupils, 2013/2014 to the year in progress: fewer
    pupils leaving and more coming every day as the work with families grows; targets from 2016/2017.
    The year in progress has only what is known at its start (enrolled, and of them from vulnerable groups)."""
    rows: list[SchoolOutcome] = []
    first = 2013
    for year in range(first, last_year + 1):
        grown = (year - first) / max(last_year - first, 1)  # 0 in the first year, 1 in the last
        enrolled = round(212 - 14 * grown + rng.randint(-6, 6))
        figures: dict[str, tuple[float, float | None]] = {
            "enrolled": (enrolled, 215 if year >= 2016 else None),
            "vulnerable": (round(enrolled * rng.uniform(0.55, 0.63)), None),
        }
        if year < last_year:
            figures |= {
                "dropped_out": (max(round(11 - 9 * grown + rng.randint(-1, 1)), 1), 3 if year >= 2016 else None),
                "re_enrolled": (rng.randint(1, 6), None),
                "attendance": (round(84 + 9 * grown + rng.uniform(-1.2, 1.2), 1), 92 if year >= 2016 else None),
                "unexcused_absences": (round(16 - 9 * grown + rng.uniform(-1, 1), 1), 8 if year >= 2016 else None),
                "extracurricular": (round(38 + 70 * grown + rng.randint(-5, 5)), 100 if year >= 2016 else None),
                "parents_involved": (round(25 + 60 * grown + rng.randint(-4, 4)), 80 if year >= 2016 else None),
                "continuing": (round(19 + 6 * grown + rng.randint(-2, 2)), 25 if year >= 2016 else None),
            }
        rows += [
            SchoolOutcome(
                school_id=school_id, school_year=year, indicator=key, value=value, target=target, is_demo=True
            )
            for key, (value, target) in figures.items()
        ]
    return rows
