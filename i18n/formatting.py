"""Dates, numbers and periods as each language writes them (08.04.2014, 8 април 2014 г.)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import format_date as _babel_date
from babel.dates import get_month_names
from babel.numbers import format_decimal

from db.privacy import Hidden, masked
from i18n.languages import language


def table_date_format(lang: str) -> str:
    """The short date in the moment.js syntax that st.column_config.DateColumn takes."""
    return language(lang).table_date


def format_date(day: date | None, lang: str) -> str:
    """`08.04.2014` (bg) or `8 Apr 2014` (en); empty for no date."""
    entry = language(lang)
    return _babel_date(day, entry.short_date, locale=entry.babel_locale) if day else ""


def format_date_long(day: date | None, lang: str) -> str:
    """`8 април 2014 г.` (bg) or `8 April 2014` (en), for prose."""
    entry = language(lang)
    return _babel_date(day, entry.long_date, locale=entry.babel_locale) if day else ""


def format_month_short(day: date, lang: str) -> str:
    """`апр 2014` (bg) or `Apr 2014` (en), for chart axes."""
    return _babel_date(day, "LLL y", locale=language(lang).babel_locale)


def month_name(month: int, lang: str) -> str:
    """`април` (bg) or `April` (en)."""
    return str(get_month_names("wide", context="stand-alone", locale=language(lang).babel_locale)[month])


PERIOD_DASH = " – "  # between the first and the last day of a period


def format_period(start: date, end: date | None, lang: str) -> str:
    """One date, or `08.04.2014 – 10.04.2014` for an activity over several days."""
    if end is None or end == start:
        return format_date(start, lang)
    return f"{format_date(start, lang)}{PERIOD_DASH}{format_date(end, lang)}"


def format_number(value: Any, lang: str) -> str:
    """`1 234` (bg, with a non-breaking space) or `1,234` (en)."""
    return format_decimal(int(value), locale=language(lang).babel_locale)


def format_count(value: Any, lang: str, *, threshold: int | None = None) -> str:
    """A count of pupils or parents as a viewer sees it: `1 234`, `0`, or `< 5` below the threshold
    (db.privacy: the environment's, unless given), empty when there is none."""
    if value is None:
        return ""
    shown = masked(int(value), threshold)
    if isinstance(shown, Hidden):
        return f"<\u00a0{shown.threshold}"
    return format_number(shown, lang)


def hides(value: Any, threshold: int | None = None) -> bool:
    """Whether a viewer reads this count as `< 5` (db.privacy): a change against it would tell it."""
    try:
        number = int(value)
    except (TypeError, ValueError):  # none, or a missing value (NaN, <NA>)
        return False
    return isinstance(masked(number, threshold), Hidden)


@dataclass(frozen=True)
class Change:
    """A figure's change: an arrow that reads in greyscale too, the signed number, and its direction."""

    arrow: str  # ▲, ▼ or =
    text: str  # `+3`, `−2` (a real minus sign) or `0`
    direction: str  # up, down or same


def change(current: int, previous: int, lang: str) -> Change:
    """How `current` differs from `previous`, as every screen, slide and file writes it."""
    difference = current - previous
    if difference > 0:
        return Change("▲", f"+{format_number(difference, lang)}", "up")
    if difference < 0:
        return Change("▼", f"\u2212{format_number(-difference, lang)}", "down")
    return Change("=", format_number(0, lang), "same")


def format_decimal_figure(value: Any, lang: str) -> str:
    """A figure that may have decimals, to at most two places: `94,5` (bg), `94.5` (en), `120`; empty for none."""
    if value is None or value != value:
        return ""
    return format_decimal(round(float(value), 2), format="#,##0.##", locale=language(lang).babel_locale)
