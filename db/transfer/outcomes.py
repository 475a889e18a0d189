"""The schools' outcomes as a wide table: a row per (school,) school year, a column per indicator and a
„цел: …“ / "target: …" column per indicator, Bulgarian or English headers (the import reads both, any case).

The columns come from db/indicators.py when they are used: a new indicator is a new pair of columns.
The import reads the whole file, checks every row (db/outcomes.py's checks, a school the account may
write in, no school year twice), and writes all of it in one transaction or nothing at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.access import Actor, require
from db.fields import Column, exchange_language
from db.filters import ActivityFilters
from db.indicators import ENROLLED, indicators
from db.models import School, SchoolOutcome
from db.outcomes import Figure, check_outcomes, save_many, stored_enrolled, target_field, value_field
from db.school_year import parse_school_year, school_year_label
from db.text import name_key
from db.transfer.reading import FILE, _match_header, _row, read_cells
from db.validation import InvalidInput, Problem

SCHOOL, YEAR = "school", "school_year"
SHEET = {"bg": "Резултати", "en": "Outcomes"}
TARGET_PREFIX = {"bg": "цел: ", "en": "target: "}


def outcome_columns(*, schools: bool) -> tuple[Column, ...]:
    """The file's columns in order: the school (a network's), the school year, then each indicator's value
    and target."""
    columns = [Column(SCHOOL, "училище", "school")] if schools else []
    columns.append(Column(YEAR, "учебна година", "school_year", required=True))
    for item in indicators():
        columns.append(Column(value_field(item.key), item.bg, item.en))
        columns.append(Column(target_field(item.key), TARGET_PREFIX["bg"] + item.bg, TARGET_PREFIX["en"] + item.en))
    return tuple(columns)


def export_outcomes(engine: Engine, filters: ActivityFilters, *, lang: str = "bg") -> pd.DataFrame:
    """The outcomes of the filters' schools (all when none is chosen), every year: one row per school and
    year, oldest first, the columns headed in `lang` (the school's only with several schools on record)."""
    with Session(engine) as session:
        schools = {school_id: name for school_id, name in session.execute(select(School.id, School.name))}
        statement = select(SchoolOutcome)
        if filters.school_ids:
            statement = statement.where(SchoolOutcome.school_id.in_(filters.school_ids))
        rows = session.scalars(statement).all()
        by_year: dict[tuple[int, int], dict[str, Any]] = {}
        for row in rows:
            record = by_year.setdefault((row.school_id, row.school_year), {})
            record[value_field(row.indicator)] = _plain(row.value)
            record[target_field(row.indicator)] = _plain(row.target)
    columns = outcome_columns(schools=len(schools) > 1)
    words = exchange_language(lang)
    records = []
    for (school_id, year), figures in sorted(by_year.items(), key=lambda item: (item[0][1], schools[item[0][0]])):
        record = {SCHOOL: schools[school_id], YEAR: school_year_label(year), **figures}
        records.append([record.get(column.field) for column in columns])
    return pd.DataFrame(records, columns=[_header(column, words) for column in columns], dtype=object)


def _plain(value: Any) -> Any:
    """A whole number as one (`120`, not `120.0`), else the number; None stays None."""
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def _header(column: Column, words: str) -> str:
    text = column.bg if words == "bg" else column.en.replace("_", " ")
    return text[:1].upper() + text[1:]


@dataclass
class OutcomesImport:
    """What an import did: the school years written (0 when refused) and every problem, with its row."""

    years: int = 0
    problems: list[Problem] = field(default_factory=list)


def _school_ids(session: Session) -> dict[str, int]:
    """A school by any of its names as a file may write it: name, short name or slug, compared loosely."""
    found: dict[str, int] = {}
    for school_id, name, short_name, slug in session.execute(
        select(School.id, School.name, School.short_name, School.slug).order_by(School.id)
    ):
        for word in (name, short_name, slug):
            found.setdefault(name_key(word), school_id)
    return found


def _year_of(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and value == int(value):
        return int(value)
    return parse_school_year(str(value or ""))


def import_outcomes(
    *, engine: Engine, actor: Actor, data: bytes, filename: str, dry_run: bool = False
) -> OutcomesImport:
    """Check the file's outcomes and write them all (`dry_run`: none), or nothing; PermissionDenied for a viewer."""
    require(actor, "editor")
    cells, problems = read_cells(data, filename)
    if problems:
        return OutcomesImport(0, problems)
    (header_row, header), *body = cells
    fields, problems = _match_header(header, outcome_columns(schools=True), header_row)
    if not body:
        problems.append(Problem(FILE, "no_rows"))
    if problems:
        return OutcomesImport(0, problems)
    checked: list[tuple[int, int, dict[str, Figure]]] = []
    seen: dict[tuple[int, int], int] = {}
    with Session(engine) as session:
        schools = _school_ids(session)
        own = actor.school_id or min(schools.values())
        for number, values in body:
            row, extra = _row(fields, values, number)
            problems += extra
            school_text = str(row.get(SCHOOL) or "").strip()
            school_id = schools.get(name_key(school_text)) if school_text else own
            if school_id is None:
                problems.append(Problem(SCHOOL, "unknown_choice", {"value": school_text}, number))
                continue
            if not actor.can_in("editor", school_id):
                problems.append(Problem(SCHOOL, "outcomes_not_allowed", {"value": school_text}, number))
                continue
            raw_year = row.get(YEAR)
            year = _year_of(raw_year)
            given = {
                item.key: (row.get(value_field(item.key)), row.get(target_field(item.key)))
                for item in indicators()
                if value_field(item.key) in row or target_field(item.key) in row
            }
            # An empty cell in a file says nothing: only the indicators the row gives a figure for change.
            given = {key: pair for key, pair in given.items() if any(_given(v) for v in pair)}
            enrolled = stored_enrolled(session, school_id, year) if year is not None and ENROLLED not in given else None
            clean, found = check_outcomes(given, school_year=year, stored_enrolled=enrolled, row=number)
            problems += found
            if year is not None and (school_id, year) in seen:
                problems.append(
                    Problem(
                        YEAR,
                        "duplicate_school_year",
                        {"value": school_year_label(year), "first_row": seen[(school_id, year)]},
                        number,
                    )
                )
            elif year is not None:
                seen[(school_id, year)] = number
            checked.append((school_id, year or 0, clean))
    if problems:
        return OutcomesImport(0, problems)
    if not dry_run:
        try:
            save_many(engine=engine, actor=actor, years=checked)
        except InvalidInput as conflict:
            return OutcomesImport(0, conflict.problems)
    return OutcomesImport(len(checked), [])


def _given(value: Any) -> bool:
    return value is not None and value != "" and not (isinstance(value, float) and value != value)
