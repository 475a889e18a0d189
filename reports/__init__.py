"""Offline exports for round tables: the slide deck (.pptx) and the annual report (.docx, .pdf).

`generate` is the one entry point: the command line and the dashboard's buttons call it.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from sqlalchemy import Engine

from db.filters import ActivityFilters
from i18n import LANGUAGES

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
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    # Imported here so that the command line starts fast and only loads the library it writes with.
    from reports.content import gather_content

    content = gather_content(engine, ActivityFilters(school_year=school_year), today=today or date.today())
    if fmt == "pptx":
        from reports.deck import build_deck

        return build_deck(content, lang)
    if fmt == "docx":
        from reports.document import build_report_docx

        return build_report_docx(content, lang)
    from reports.pdf import build_report_pdf

    return build_report_pdf(content, lang)
