"""The reads behind the screens, on a small record whose every figure is known."""

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import Engine

from db import queries
from db.filters import ActivityFilters
from tests.factories import add_activity, add_partner


@pytest.fixture
def record(engine: Engine) -> dict[str, int]:
    """Three partners; school year 2023/2024 has three held activities, a cancelled and, later, a planned one."""
    largo = add_partner(
        engine,
        slug="largo",
        name="Сдружение „Ларго“",
        short_name="Ларго",
        kind="association",
        city="Кюстендил",
        focus=("community", "parents"),
        mission="Общностни центрове.",
    )
    amalipe = add_partner(
        engine,
        slug="amalipe",
        name="Център „Амалипе“",
        short_name="Амалипе",
        city="Велико Търново",
        focus=("education",),
    )
    adra = add_partner(
        engine,
        slug="adra",
        name="Фондация „АДРА“ – България",
        short_name="АДРА",
        kind="foundation",
        city="София",
        focus=("humanitarian",),
        is_active=False,
    )
    ids = {"largo": largo, "amalipe": amalipe, "adra": adra}
    ids["round_table"] = add_activity(
        engine,
        title="Кръгла маса",
        type="round_table",
        start=date(2024, 4, 8),
        participants=40,
        pupils=10,
        partners=((largo, "organizer"), (amalipe, "partner")),
    )
    ids["training"] = add_activity(
        engine,
        title="Обучение",
        type="training",
        start=date(2023, 10, 10),
        end=date(2023, 10, 11),
        participants=20,
        pupils=0,
        partners=((amalipe, "organizer"),),
    )
    ids["donation"] = add_activity(
        engine,
        title="Дарение",
        type="donation",
        start=date(2023, 12, 15),
        participants=50,
        pupils=50,
        partners=((adra, "funder"), (largo, "partner")),
    )
    ids["cancelled"] = add_activity(
        engine,
        title="Празник",
        type="celebration",
        start=date(2024, 5, 20),
        status="cancelled",
        partners=((largo, "organizer"),),
    )
    ids["planned"] = add_activity(
        engine,
        title="Среща",
        type="meeting",
        start=date(2024, 11, 5),
        status="planned",
        partners=((largo, "organizer"),),
    )
    ids["meeting_2022"] = add_activity(
        engine,
        title="Среща с родители",
        type="meeting",
        start=date(2022, 11, 10),
        participants=15,
        pupils=5,
        partners=((largo, "organizer"),),
    )
    ids["campaign_2022"] = add_activity(
        engine,
        title="Кампания",
        type="campaign",
        start=date(2023, 3, 1),
        end=date(2023, 3, 10),
        participants=30,
        pupils=30,
        partners=((amalipe, "organizer"),),
    )
    return ids


def test_headline_figures_count_held_activities_of_the_year(engine: Engine, record: dict[str, int]) -> None:
    assert queries.headline_figures(engine, ActivityFilters(2023)) == {
        "activities": 3,
        "partners": 3,
        "participants": 110,
        "pupils": 60,
    }
    assert queries.headline_figures(engine, ActivityFilters()) == {
        "activities": 5,
        "partners": 3,
        "participants": 155,
        "pupils": 95,
    }


def test_headline_figures_for_one_partner_count_only_that_partner(engine: Engine, record: dict[str, int]) -> None:
    largo_only = ActivityFilters(2023, organization_ids=(record["largo"],))
    assert queries.headline_figures(engine, largo_only) == {
        "activities": 2,
        "partners": 1,
        "participants": 90,
        "pupils": 60,
    }


def test_headline_figures_for_one_type(engine: Engine, record: dict[str, int]) -> None:
    assert queries.headline_figures(engine, ActivityFilters(2023, type_codes=("round_table",))) == {
        "activities": 1,
        "partners": 2,
        "participants": 40,
        "pupils": 10,
    }


def test_a_year_in_progress_is_compared_with_the_same_days_a_year_earlier(
    engine: Engine, record: dict[str, int]
) -> None:
    current, previous, to_date = queries.figures_with_comparison(engine, ActivityFilters(2023), today=date(2024, 1, 10))
    assert current["activities"] == 3
    assert previous == {"activities": 1, "partners": 1, "participants": 15, "pupils": 5}
    assert to_date is True


def test_a_past_year_is_compared_with_the_whole_previous_year(engine: Engine, record: dict[str, int]) -> None:
    _, previous, to_date = queries.figures_with_comparison(engine, ActivityFilters(2023), today=date(2025, 1, 1))
    assert previous == {"activities": 2, "partners": 2, "participants": 45, "pupils": 35}
    assert to_date is False


def test_all_years_have_nothing_to_compare_with(engine: Engine, record: dict[str, int]) -> None:
    _, previous, _ = queries.figures_with_comparison(engine, ActivityFilters(), today=date(2025, 1, 1))
    assert previous is None


def test_activities_by_organization_and_type(engine: Engine, record: dict[str, int]) -> None:
    rows = queries.activities_by_organization(engine, ActivityFilters(2023))
    assert rows.drop(columns=["organization_id", "name"]).to_dict("records") == [
        {
            "slug": "adra",
            "short_name": "АДРА",
            "type_code": "donation",
            "activities": 1,
            "participants": 50,
            "pupils": 50,
        },
        {
            "slug": "amalipe",
            "short_name": "Амалипе",
            "type_code": "round_table",
            "activities": 1,
            "participants": 40,
            "pupils": 10,
        },
        {
            "slug": "amalipe",
            "short_name": "Амалипе",
            "type_code": "training",
            "activities": 1,
            "participants": 20,
            "pupils": 0,
        },
        {
            "slug": "largo",
            "short_name": "Ларго",
            "type_code": "donation",
            "activities": 1,
            "participants": 50,
            "pupils": 50,
        },
        {
            "slug": "largo",
            "short_name": "Ларго",
            "type_code": "round_table",
            "activities": 1,
            "participants": 40,
            "pupils": 10,
        },
    ]


def test_choosing_partners_keeps_their_bars_only(engine: Engine, record: dict[str, int]) -> None:
    rows = queries.activities_by_organization(engine, ActivityFilters(2023, organization_ids=(record["adra"],)))
    assert rows[["short_name", "type_code", "activities"]].to_dict("records") == [
        {"short_name": "АДРА", "type_code": "donation", "activities": 1}
    ]


def test_activities_by_month(engine: Engine, record: dict[str, int]) -> None:
    assert queries.activities_by_month(engine, ActivityFilters(2023)).to_dict("records") == [
        {"month": "2023-10", "type_code": "training", "activities": 1},
        {"month": "2023-12", "type_code": "donation", "activities": 1},
        {"month": "2024-04", "type_code": "round_table", "activities": 1},
    ]


def test_activities_by_school_year(engine: Engine, record: dict[str, int]) -> None:
    assert queries.activities_by_school_year(engine, ActivityFilters()).to_dict("records") == [
        {"school_year": 2022, "type_code": "campaign", "activities": 1, "participants": 30, "pupils": 30},
        {"school_year": 2022, "type_code": "meeting", "activities": 1, "participants": 15, "pupils": 5},
        {"school_year": 2023, "type_code": "donation", "activities": 1, "participants": 50, "pupils": 50},
        {"school_year": 2023, "type_code": "round_table", "activities": 1, "participants": 40, "pupils": 10},
        {"school_year": 2023, "type_code": "training", "activities": 1, "participants": 20, "pupils": 0},
    ]


def test_timeline_has_a_row_per_partner_and_leaves_out_cancelled(engine: Engine, record: dict[str, int]) -> None:
    events, total = queries.timeline_events(engine, ActivityFilters(2023))
    assert total == 3  # the cancelled celebration is not an event
    assert events[["title", "organization", "role", "status"]].to_dict("records") == [
        {"title": "Обучение", "organization": "Амалипе", "role": "organizer", "status": "held"},
        {"title": "Дарение", "organization": "АДРА", "role": "funder", "status": "held"},
        {"title": "Дарение", "organization": "Ларго", "role": "partner", "status": "held"},
        {"title": "Кръгла маса", "organization": "Амалипе", "role": "partner", "status": "held"},
        {"title": "Кръгла маса", "organization": "Ларго", "role": "organizer", "status": "held"},
    ]


def test_timeline_keeps_the_newest_when_cut(engine: Engine, record: dict[str, int]) -> None:
    events, total = queries.timeline_events(engine, ActivityFilters(), limit=2)
    assert total == 6
    assert events["title"].drop_duplicates().tolist() == ["Кръгла маса", "Среща"]


def test_activity_list_newest_first_with_partner_names(engine: Engine, record: dict[str, int]) -> None:
    rows = queries.activity_list(engine, ActivityFilters(2023))
    assert rows[["title", "status", "organizations"]].to_dict("records") == [
        {"title": "Празник", "status": "cancelled", "organizations": "Ларго"},
        {"title": "Кръгла маса", "status": "held", "organizations": "Амалипе, Ларго"},
        {"title": "Дарение", "status": "held", "organizations": "АДРА, Ларго"},
        {"title": "Обучение", "status": "held", "organizations": "Амалипе"},
    ]
    assert rows.iloc[-1][["start_date", "end_date"]].tolist() == [date(2023, 10, 10), date(2023, 10, 11)]


def test_upcoming_activities(engine: Engine, record: dict[str, int]) -> None:
    rows = queries.activity_list(
        engine, ActivityFilters(), statuses=("planned",), on_or_after=date(2024, 6, 1), newest_first=False
    )
    assert rows["title"].tolist() == ["Среща"]
    assert queries.activity_count(engine, ActivityFilters(2024)) == 1
    assert queries.activity_count(engine, ActivityFilters(2024), statuses=("held",)) == 0


def test_partner_directory_lists_active_partners_first(engine: Engine, record: dict[str, int]) -> None:
    rows = queries.partner_directory(engine)
    assert rows[["slug", "kind_code", "is_active", "activities", "last_activity"]].to_dict("records") == [
        {"slug": "amalipe", "kind_code": "ngo", "is_active": True, "activities": 3, "last_activity": date(2024, 4, 8)},
        {
            "slug": "largo",
            "kind_code": "association",
            "is_active": True,
            "activities": 3,
            "last_activity": date(2024, 4, 8),
        },
        {
            "slug": "adra",
            "kind_code": "foundation",
            "is_active": False,
            "activities": 1,
            "last_activity": date(2023, 12, 15),
        },
    ]


@pytest.mark.parametrize(
    ("search", "kind", "focus", "slugs"),
    [
        ("ларго", None, None, ["largo"]),
        ("ЛАРГО", None, None, ["largo"]),  # Cyrillic case is folded, which SQLite's LIKE alone does not do
        ("софия", None, None, ["adra"]),  # the city is searched too
        ("„Амалипе“", None, None, ["amalipe"]),  # typographic quotes do not matter
        ("%", None, None, []),  # a wildcard typed by the user is a literal character
        ("", "foundation", None, ["adra"]),
        ("", None, "education", ["amalipe"]),
        ("ларго", "ngo", None, []),
    ],
)
def test_partner_directory_search(
    engine: Engine, record: dict[str, int], search: str, kind: str | None, focus: str | None, slugs: list[str]
) -> None:
    found = queries.partner_directory(engine, search=search, kind_code=kind, focus_code=focus)
    assert found["slug"].tolist() == slugs


def test_partner_profile(engine: Engine, record: dict[str, int]) -> None:
    assert queries.partner_profile(engine, "largo") == {
        "id": record["largo"],
        "slug": "largo",
        "name": "Сдружение „Ларго“",
        "short_name": "Ларго",
        "mission": "Общностни центрове.",
        "city": "Кюстендил",
        "website": "",
        "email": "",
        "phone": "",
        "contact_person": "",
        "partner_since": None,
        "is_active": True,
        "is_demo": False,
        "kind_code": "association",
        "first_activity": date(2022, 11, 10),
        "last_activity": date(2024, 4, 8),
        "focus_codes": ["parents", "community"],
    }
    assert queries.partner_profile(engine, "no-such-partner") is None


def test_organization_choices_and_school_years(engine: Engine, record: dict[str, int]) -> None:
    assert queries.organization_choices(engine)["slug"].tolist() == ["adra", "amalipe", "largo"]
    assert queries.school_years(engine) == [2024, 2023, 2022]
    assert queries.record_counts(engine) == {"partners": 3, "activities": 7}


def test_an_empty_database_gives_empty_results_with_their_columns(engine: Engine) -> None:
    assert queries.headline_figures(engine, ActivityFilters(2023)) == {
        "activities": 0,
        "partners": 0,
        "participants": 0,
        "pupils": 0,
    }
    assert list(queries.activities_by_organization(engine, ActivityFilters()).columns) == [
        "organization_id",
        "slug",
        "short_name",
        "name",
        "type_code",
        "activities",
        "participants",
        "pupils",
    ]
    assert queries.activity_list(engine, ActivityFilters()).empty
    assert queries.timeline_events(engine, ActivityFilters())[1] == 0
    assert queries.school_years(engine) == []


def test_the_newest_activities_of_a_busy_partner_are_the_same_whichever_way_they_are_found(
    engine: Engine, record: dict[str, int]
) -> None:
    from db.queries.activities import _busy_partners

    largo = ActivityFilters(organization_ids=(record["largo"],))
    assert _busy_partners(engine, largo, limit=1) is True  # 4 of 7 activities: 16 > 1 × 7
    assert _busy_partners(engine, largo, limit=500) is False
    walked = queries.activity_list(engine, largo, limit=1)
    listed = queries.activity_list(engine, largo, limit=500).head(1)
    assert walked[["id", "start_date", "title", "organizations"]].to_dict("records") == listed[
        ["id", "start_date", "title", "organizations"]
    ].to_dict("records")
    assert walked["title"].tolist() == ["Среща"]


def _raw_held(engine: Engine) -> pd.DataFrame:
    """Every held activity with one of its partners per row, read plainly: what the charts must add up."""
    with engine.connect() as connection:
        return pd.read_sql_query(
            """SELECT a.id, a.school_year, a.start_date, t.code AS type_code, a.participants, a.pupils_reached,
                      ao.organization_id
               FROM activities a JOIN activity_types t ON t.id = a.type_id
               JOIN activity_organizations ao ON ao.activity_id = a.id
               WHERE a.status = 'held'""",
            connection,
        )


@pytest.mark.parametrize(
    ("year", "partners", "types"),
    [(None, (), ()), (2023, (), ()), (None, ("largo",), ()), (2023, ("largo", "adra"), ()), (None, (), ("meeting",))],
)
def test_the_charts_add_up_to_the_held_activities(
    demo_engine: Engine, year: int | None, partners: tuple[str, ...], types: tuple[str, ...]
) -> None:
    """On the demo record, each chart's counts equal the held activities' own rows, under each filter."""
    slugs = queries.organization_choices(demo_engine).set_index("slug")["id"]
    filters = ActivityFilters(year, tuple(int(slugs[s]) for s in partners), types)
    raw = _raw_held(demo_engine)
    if year is not None:
        raw = raw[raw.school_year == year]
    if types:
        raw = raw[raw.type_code.isin(types)]
    chosen = raw[raw.organization_id.isin(filters.organization_ids)] if partners else raw
    activities = raw[raw.id.isin(chosen.id)].drop_duplicates("id")
    assert len(activities) > 0

    by_organization = queries.activities_by_organization(demo_engine, filters)
    expected = chosen.groupby(["organization_id", "type_code"]).agg(
        activities=("id", "size"), participants=("participants", "sum"), pupils=("pupils_reached", "sum")
    )
    got = by_organization.set_index(["organization_id", "type_code"])[["activities", "participants", "pupils"]]
    assert got.sort_index().to_dict("index") == expected.sort_index().to_dict("index")

    by_year = queries.activities_by_school_year(demo_engine, filters).set_index(["school_year", "type_code"])
    expected_year = activities.groupby(["school_year", "type_code"]).agg(
        activities=("id", "size"), participants=("participants", "sum"), pupils=("pupils_reached", "sum")
    )
    assert by_year.sort_index().to_dict("index") == expected_year.sort_index().to_dict("index")

    by_month = queries.activities_by_month(demo_engine, filters)
    expected_month = activities.assign(month=activities.start_date.astype(str).str.slice(0, 7))
    expected_month = expected_month.groupby(["month", "type_code"]).size()
    assert by_month.set_index(["month", "type_code"])["activities"].to_dict() == expected_month.to_dict()

    directory = queries.partner_directory(demo_engine).set_index("id")["activities"]
    everything = _raw_held(demo_engine).groupby("organization_id").size()
    assert {i: n for i, n in directory.items() if n} == everything.to_dict()
