"""Saving a school year's outcomes: checked, audited, one transaction, by an editor of that school.

A school year's figures are saved together, as the form shows them and a file's row holds them: each
indicator's value and target (db/indicators.py), a value of None deleting the indicator's figure for the
year, an indicator left out staying as it was. Nothing is written unless every figure is right.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.access import Actor, require_school
from db.indicators import ENROLLED, FIRST_YEAR, Indicator, Unit, indicators
from db.models import School, SchoolOutcome
from db.validation import MAX_COUNT, InvalidInput, Problem
from db.writes import audit

# What a figure may be given as: `12`, `94.5`, `94,5` (a Bulgarian decimal comma), ` 1 234 `.
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class Figure:
    """One indicator's value and target for a year; None: none (a value of None deletes the figure)."""

    value: float | None
    target: float | None = None


def last_school_year(today: date | None = None) -> int:
    """The newest school year a figure may be given for: the next one (its targets are set ahead)."""
    return (today or date.today()).year + 1


def value_field(key: str) -> str:
    """The name a problem gives an indicator's value: `indicator.<key>` (its words in the catalogs)."""
    return f"indicator.{key}"


def target_field(key: str) -> str:
    """The name a problem gives an indicator's target: `target.<key>` (said as „Цел: …“)."""
    return f"target.{key}"


def parse_figure(value: Any) -> float | None | str:
    """A non-negative number from a form, a cell or text; None for empty; else a problem code."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "not_a_figure"
    if isinstance(value, (int, float)):
        if value != value:  # NaN: an empty spreadsheet cell
            return None
        number = float(value)
    else:
        text = str(value).replace("\u00a0", "").replace(" ", "").strip()
        if not text:
            return None
        if not _NUMBER.fullmatch(text):
            return "not_a_figure"
        number = float(text.replace(",", "."))
    if number < 0:
        return "negative"
    if number > MAX_COUNT:
        return "too_large"
    return number


def _shown(number: float) -> str:
    return str(int(number)) if number == int(number) else str(number)


def _checked_figure(item: Indicator, raw: Any, field: str, problems: list[Problem], row: int | None) -> float | None:
    number = parse_figure(raw)
    if isinstance(number, str):
        problems.append(Problem(field, number, {"value": str(raw), "limit": MAX_COUNT}, row))
        return None
    if number is None:
        return None
    if item.whole and number != int(number):
        problems.append(Problem(field, "not_a_whole_number", {"value": str(raw)}, row))
        return None
    if item.unit is Unit.PERCENT and number > 100:
        problems.append(Problem(field, "percent_above_100", {"value": _shown(number)}, row))
        return None
    return number


def check_outcomes(
    figures: Mapping[str, Any],
    *,
    school_year: Any,
    stored_enrolled: float | None = None,
    row: int | None = None,
    today: date | None = None,
) -> tuple[dict[str, Figure], list[Problem]]:
    """The clean figures of one school year and every problem in them.

    `figures`: indicator key -> (value, target) as given (text, numbers or None); a key left out is not
    changed. `stored_enrolled`: the year's pupils enrolled on record, what a part of them is compared with
    when the figures do not give enrolled themselves.
    """
    problems: list[Problem] = []
    last = last_school_year(today)
    if isinstance(school_year, bool) or not isinstance(school_year, int) or not FIRST_YEAR <= school_year <= last:
        problems.append(Problem("school_year", "bad_school_year", {"first": FIRST_YEAR, "last": last}, row))
    known = {item.key: item for item in indicators()}
    clean: dict[str, Figure] = {}
    for key, given in figures.items():
        item = known.get(key)
        if item is None:
            problems.append(Problem("indicator", "unknown_choice", {"value": key}, row))
            continue
        value_raw, target_raw = given if isinstance(given, (tuple, list)) else (given, None)
        value = _checked_figure(item, value_raw, value_field(key), problems, row)
        target = _checked_figure(item, target_raw, target_field(key), problems, row)
        if value is None and target is not None and parse_figure(value_raw) is None:
            # A target alone has no row to live in: the figure of the year is asked for with it.
            problems.append(Problem(value_field(key), "required", {}, row))
        clean[key] = Figure(value, target)
    enrolled = clean[ENROLLED].value if ENROLLED in clean else stored_enrolled
    if enrolled is not None:
        for key, figure in clean.items():
            if known[key].within_enrolled and figure.value is not None and figure.value > enrolled:
                problems.append(
                    Problem(
                        value_field(key),
                        "above_enrolled",
                        {"value": _shown(figure.value), "limit": _shown(enrolled)},
                        row,
                    )
                )
    return clean, problems


def _stored(session: Session, school_id: int, school_year: int) -> dict[str, Figure]:
    rows = session.execute(
        select(SchoolOutcome.indicator, SchoolOutcome.value, SchoolOutcome.target).where(
            SchoolOutcome.school_id == school_id, SchoolOutcome.school_year == school_year
        )
    )
    return {key: Figure(float(value), None if target is None else float(target)) for key, value, target in rows}


def _snapshot(figures: Mapping[str, Figure]) -> dict[str, Any]:
    """The audit's picture of a year: `enrolled: 120`, `enrolled (target): 125`."""
    shown: dict[str, Any] = {}
    for key, figure in sorted(figures.items()):
        shown[key] = figure.value
        if figure.target is not None:
            shown[f"{key} (target)"] = figure.target
    return shown


def write_year(
    session: Session,
    actor: Actor,
    school_id: int,
    school_year: int,
    clean: Mapping[str, Figure],
    *,
    is_demo: bool = False,
) -> None:
    """Store checked figures of one year in the session's transaction, with its audit entry."""
    before = _stored(session, school_id, school_year)
    for key, figure in clean.items():
        session.execute(
            delete(SchoolOutcome).where(
                SchoolOutcome.school_id == school_id,
                SchoolOutcome.school_year == school_year,
                SchoolOutcome.indicator == key,
            )
        )
        if figure.value is not None:
            session.add(
                SchoolOutcome(
                    school_id=school_id,
                    school_year=school_year,
                    indicator=key,
                    value=figure.value,
                    target=figure.target,
                    is_demo=is_demo,
                )
            )
    session.flush()
    after = _stored(session, school_id, school_year)
    if after != before:
        audit(
            session, actor, "update", "outcomes", school_year, summary=f"{school_year}/{school_year + 1}",
            before=_snapshot(before), after=_snapshot(after), school_id=school_id,
        )  # fmt: skip


def stored_enrolled(session: Session, school_id: int, school_year: int) -> float | None:
    """The year's pupils enrolled on record, or None."""
    value = session.scalar(
        select(SchoolOutcome.value).where(
            SchoolOutcome.school_id == school_id,
            SchoolOutcome.school_year == school_year,
            SchoolOutcome.indicator == ENROLLED,
        )
    )
    return None if value is None else float(value)


def save_outcomes(
    *,
    engine: Engine,
    actor: Actor,
    school_id: int,
    school_year: int,
    figures: Mapping[str, Any],
    today: date | None = None,
) -> None:
    """Save a school year's figures (indicator key -> (value, target)); None as a value deletes it.

    Raises PermissionDenied (not an editor of the school) or InvalidInput (nothing written).
    """
    require_school(actor, "editor", school_id)
    try:
        with Session(engine) as session, session.begin():
            if session.get(School, school_id) is None:
                raise InvalidInput([Problem("school", "unknown_choice", {"value": str(school_id)})])
            year_known = isinstance(school_year, int) and not isinstance(school_year, bool)
            enrolled = stored_enrolled(session, school_id, school_year) if year_known else None
            clean, problems = check_outcomes(figures, school_year=school_year, stored_enrolled=enrolled, today=today)
            if problems:
                raise InvalidInput(problems)
            write_year(session, actor, school_id, school_year, clean)
    except IntegrityError as error:
        # Another save of the same year in between (PostgreSQL; SQLite's writes queue): nothing was written.
        raise InvalidInput([Problem("school_year", "write_conflict")]) from error


def save_many(
    *,
    engine: Engine,
    actor: Actor,
    years: Sequence[tuple[int, int, Mapping[str, Figure]]],
) -> None:
    """Store checked (school id, school year, figures) in one transaction: the import's write."""
    for school_id in {school_id for school_id, _, _ in years}:
        require_school(actor, "editor", school_id)
    try:
        with Session(engine) as session, session.begin():
            for school_id, school_year, clean in years:
                write_year(session, actor, school_id, school_year, clean)
    except IntegrityError as error:
        raise InvalidInput([Problem("school_year", "write_conflict")]) from error
