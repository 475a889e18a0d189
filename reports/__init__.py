"""Offline files for round tables: the slide deck (.pptx) and the annual report (.docx, .pdf).

All three draw one deck model (`content`): the same slides, titles, figures and charts as
the Presentation page. `generate` and `generate_many` are the entry points: the command line
and the dashboard's buttons call them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from i18n import DEFAULT_LANGUAGE
from i18n.languages import UnknownLanguage, language, language_codes

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from db.filters import ActivityFilters

Format = Literal["pdf", "docx", "pptx"]
FORMATS: tuple[Format, ...] = ("pdf", "docx", "pptx")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def filename(*, school_year: int | None, fmt: Format) -> str:
    """`partnerships-2023-2024.pptx`, or `partnerships-all-years.pdf`: ASCII, safe on any system."""
    period = "all-years" if school_year is None else f"{school_year}-{school_year + 1}"
    return f"partnerships-{period}.{fmt}"


def generate(
    engine: Engine,
    *,
    school_year: int | None,
    fmt: Format,
    lang: str = DEFAULT_LANGUAGE,
    today: date | None = None,
    filters: ActivityFilters | None = None,
) -> bytes:
    """The deck (`pptx`) or the report (`docx`, `pdf`) for a school year (None for all years), in `lang`.

    `today` decides what is held and how the year in progress is compared; by default the real today.
    `filters`, if given, narrow the school year's activities further (partners, types).
    """
    files = generate_many(engine, school_year=school_year, formats=(fmt,), lang=lang, today=today, filters=filters)
    return files[fmt]


def generate_many(
    engine: Engine,
    *,
    school_year: int | None,
    formats: Sequence[Format],
    lang: str = DEFAULT_LANGUAGE,
    today: date | None = None,
    filters: ActivityFilters | None = None,
) -> dict[Format, bytes]:
    """Several of the files at once: the database is read once and each chart is drawn once for all."""
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"unknown format {unknown or formats!r}; expected one of {', '.join(FORMATS)}")
    try:
        language(lang)
    except UnknownLanguage:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(language_codes())}") from None
    # Imported here so that the command line starts fast and only loads the libraries it writes with.
    from charts.renderer import start_renderer

    start_renderer()  # while the libraries load and the database is read
    from dataclasses import replace

    from db.filters import ActivityFilters

    chosen = replace(filters or ActivityFilters(), school_year=school_year)
    report, prose, pictures = _drawn(engine, chosen, lang, today or date.today())
    files: dict[Format, bytes] = {}
    for fmt in dict.fromkeys(formats):
        if fmt == "pptx":
            from reports.pptx import build_pptx

            files[fmt] = build_pptx(prose, pictures)
        elif fmt == "docx":
            from reports.document import build_report_docx

            files[fmt] = build_report_docx(report, prose, pictures)
        else:
            from reports.pdf import build_report_pdf

            files[fmt] = build_report_pdf(report, prose, pictures)
    return files


# The last content read and its pictures, with what they were read for: the app's three buttons are three
# calls, one file each, and the second and third find the first one's reading and pictures here (each
# 0.2–0.3 s of reading and chart building on the demo data). Keyed on the data revision (one small
# query), so that any change saved since, by anyone, means reading again. Only the last: a large year's
# content is not kept for long in a server.
# (Report, Prose, pictures): named loosely, as naming them here would bring charts/ under mypy through this module.
_LAST: dict[tuple[object, ...], tuple[Any, Any, list[Any]]] = {}
_LAST_LOCK = threading.Lock()


def _drawn(engine: Engine, chosen: ActivityFilters, lang: str, today: date) -> tuple[Any, Any, list[Any]]:
    """The content of `chosen` in `lang` as of `today`, its words and its pictures (being drawn)."""
    from charts.registry import direct
    from content.gather import gather_report
    from content.prose import Prose
    from db.queries import data_revision
    from reports.pictures import deck_pictures

    key = (str(engine.url), data_revision(engine), chosen, lang, today)
    with _LAST_LOCK:
        kept = _LAST.get(key)
    # Not a picture that failed (the drawing process stopped, say): the next press draws it again.
    if kept is not None and not any(p.drawing.done() and p.drawing.exception() for p in kept[2]):
        return kept
    report = gather_report(direct(engine), chosen, today=today)
    prose = Prose(report.deck, lang)
    drawn = report, prose, deck_pictures(prose)  # each drawn once, for all the files, while their text is written
    with _LAST_LOCK:
        _LAST.clear()
        _LAST[key] = drawn
    return drawn
