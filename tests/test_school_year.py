from datetime import date

import pytest

from db.school_year import (
    a_year_before,
    parse_school_year,
    school_year_bounds,
    school_year_label,
    school_year_of,
    school_year_span,
)


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2023, 9, 15), 2023),  # the first school day
        (date(2023, 9, 14), 2022),  # the day before still belongs to the summer of the previous year
        (date(2024, 1, 1), 2023),
        (date(2024, 4, 8), 2023),  # International Roma Day
        (date(2024, 6, 30), 2023),  # the last school day
        (date(2024, 7, 20), 2023),  # a summer school is reported with the year that just ended
        (date(2024, 9, 15), 2024),
    ],
)
def test_school_year_of_a_day(day: date, year: int) -> None:
    assert school_year_of(day) == year


def test_school_year_bounds_are_the_teaching_days() -> None:
    assert school_year_bounds(2023) == (date(2023, 9, 15), date(2024, 6, 30))


def test_school_year_span_includes_the_summer() -> None:
    assert school_year_span(2023) == (date(2023, 9, 15), date(2024, 9, 14))


def test_school_year_label_as_reports_write_it() -> None:
    assert school_year_label(2023) == "2023/2024"


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2023/2024", 2023),
        ("2023-2024", 2023),
        (" 2023 ", 2023),
        ("2023/2025", None),
        ("23/24", None),
        ("всички", None),
        ("", None),
    ],
)
def test_parse_school_year(text: str, year: int | None) -> None:
    assert parse_school_year(text) == year


def test_a_year_before() -> None:
    assert a_year_before(date(2026, 11, 25)) == date(2025, 11, 25)
    assert a_year_before(date(2024, 2, 29)) == date(2023, 2, 28)
