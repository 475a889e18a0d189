"""The Bulgarian school year: 15 September to 30 June.

An activity in the summer (1 July to 14 September) is counted with the school
year that has just ended: summer schools and holiday campaigns are reported in
that year's self-assessment.
"""

from __future__ import annotations

from datetime import date

FIRST_DAY = (9, 15)
LAST_DAY = (6, 30)


def school_year_of(day: date) -> int:
    """The starting calendar year of the school year that `day` belongs to."""
    return day.year if (day.month, day.day) >= FIRST_DAY else day.year - 1


def school_year_bounds(start_year: int) -> tuple[date, date]:
    """First and last teaching day of school year `start_year`/`start_year + 1`."""
    return date(start_year, *FIRST_DAY), date(start_year + 1, *LAST_DAY)


def school_year_span(start_year: int) -> tuple[date, date]:
    """All the days counted with school year `start_year`, summer included."""
    return date(start_year, *FIRST_DAY), date(start_year + 1, FIRST_DAY[0], FIRST_DAY[1] - 1)


def school_year_label(start_year: int) -> str:
    """`2023/2024`, as reports write it."""
    return f"{start_year}/{start_year + 1}"


def parse_school_year(text: str) -> int | None:
    """`2023/2024`, `2023-2024` or `2023` to 2023; anything else to None."""
    parts = text.strip().replace("-", "/").split("/")
    # isascii: `²⁰²³` passes isdigit() and then fails int().
    if not (parts[0].isascii() and parts[0].isdigit()) or len(parts[0]) != 4:
        return None
    start = int(parts[0])
    if len(parts) == 1:
        return start
    if len(parts) == 2 and parts[1] == str(start + 1):
        return start
    return None


def a_year_before(day: date) -> date:
    """The same day a year earlier (29 February becomes the 28th): where a year in progress is compared."""
    return day.replace(year=day.year - 1) if (day.month, day.day) != (2, 29) else date(day.year - 1, 2, 28)
