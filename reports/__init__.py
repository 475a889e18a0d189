"""Offline exports for round tables: the slide deck (.pptx) and the annual report (.docx, .pdf).

`generate` is the one entry point: the command line and the dashboard's buttons call it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Literal

from i18n import LANGUAGES

if TYPE_CHECKING:
    from sqlalchemy import Engine

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
    engine: Engine, *, school_year: int | None, fmt: Format, lang: str = "bg", today: date | None = None
) -> bytes:
    """The deck (`pptx`) or the report (`docx`, `pdf`) for a school year (None for all years), in `lang`.

    `today` decides what is held and how the year in progress is compared; by default the real today.
    """
    return generate_many(engine, school_year=school_year, formats=(fmt,), lang=lang, today=today)[fmt]


def generate_many(
    engine: Engine,
    *,
    school_year: int | None,
    formats: Sequence[Format],
    lang: str = "bg",
    today: date | None = None,
) -> dict[Format, bytes]:
    """Several of the files at once: the database is read once and each chart is drawn once for all."""
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"unknown format {unknown or formats!r}; expected one of {', '.join(FORMATS)}")
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    # Imported here so that the command line starts fast and only loads the libraries it writes with.
    from db.filters import ActivityFilters
    from reports.charts import report_charts
    from reports.content import gather_content

    content = gather_content(engine, ActivityFilters(school_year=school_year), today=today or date.today())
    charts = report_charts(content, lang)  # built once, each picture drawn once, for all the files
    files: dict[Format, bytes] = {}
    for fmt in dict.fromkeys(formats):
        if fmt == "pptx":
            from reports.deck import build_deck

            files[fmt] = build_deck(content, lang, charts)
        elif fmt == "docx":
            from reports.document import build_report_docx

            files[fmt] = build_report_docx(content, lang, charts)
        else:
            from reports.pdf import build_report_pdf

            files[fmt] = build_report_pdf(content, lang, charts)
    return files
