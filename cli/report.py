"""`report`: the annual report and the slide deck of a school year, written all or none."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from sqlalchemy import Engine

# Only the entry point: the document libraries are imported when a report is written.
import reports
from db.filters import ActivityFilters
from db.queries import school_list
from db.school_year import parse_school_year
from i18n import Translator


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser], t: Translator) -> None:
    report = commands.add_parser("report", help=t("cli.help_report"))
    report.add_argument("--year", required=True, help=t("cli.help_report_year"))
    report.add_argument("--format", required=True, dest="fmt", help=t("cli.help_report_format"))
    report.add_argument("--out", required=True, help=t("cli.help_report_out"))
    report.add_argument("--school", action="append", default=[], metavar="SLUG", help=t("cli.help_report_school"))


def _report_formats(value: str) -> list[reports.Format] | None:
    """`pdf`, `pdf,pptx` or `all` as a list of formats; None if any of them is unknown."""
    if value.strip().lower() == "all":
        return list(reports.FORMATS)
    named = [part.strip().lower() for part in value.split(",") if part.strip()]
    formats = [fmt for fmt in reports.FORMATS if fmt in named]
    if not named or len(formats) < len(set(named)):
        return None
    return sorted(formats, key=named.index)


def run(args: argparse.Namespace, engine: Engine, t: Translator) -> int:
    year = None if args.year.strip().lower() in {"all", "всички"} else parse_school_year(args.year)
    if year is None and args.year.strip().lower() not in {"all", "всички"}:
        print(t("cli.bad_year", value=args.year), file=sys.stderr)
        return 2
    formats = _report_formats(args.fmt)
    if formats is None:
        print(t("cli.bad_format", value=args.fmt), file=sys.stderr)
        return 2
    paths = _report_paths(args.out, formats, year)
    if paths is None:
        print(t("cli.out_names_a_file", file=args.out), file=sys.stderr)
        return 2
    schools = school_list(engine)
    ids = dict(zip(schools["slug"], schools["id"].astype(int), strict=True))
    unknown = [slug for slug in args.school if slug.strip().lower() not in ids]
    if unknown:
        print(t("cli.school_missing", school=unknown[0]), file=sys.stderr)
        return 2
    filters = ActivityFilters(school_ids=tuple(ids[slug.strip().lower()] for slug in args.school))
    files = reports.generate_many(engine, school_year=year, formats=formats, lang=args.lang, filters=filters)
    unwritable = _write_all({path: files[fmt] for fmt, path in paths.items()})
    if unwritable is not None:
        print(t("cli.file_unwritable", file=unwritable), file=sys.stderr)
        return 1
    for path in paths.values():
        print(t("cli.report_done", file=path))
    return 0


def _report_paths(out: str, formats: list[reports.Format], year: int | None) -> dict[reports.Format, Path] | None:
    """Where each file goes: one format to the file named; several formats, or a folder (existing or
    written with a trailing slash), under their usual names in it. None when several formats are
    asked for into a name such as report.pdf, which would become a folder no one expects."""
    target = Path(out)
    into_folder = len(formats) > 1 or out.endswith(("/", os.sep)) or target.is_dir()
    if into_folder and not target.is_dir() and target.suffix.lower().lstrip(".") in reports.FORMATS:
        return None
    return {fmt: target / reports.filename(school_year=year, fmt=fmt) if into_folder else target for fmt in formats}


def _write_all(files: dict[Path, bytes]) -> Path | None:
    """Write every file or none: each to a hidden name beside it first, renamed once all are written.

    Returns the path that could not be written (nothing is left behind then), or None.
    """
    parts: list[tuple[Path, Path]] = []
    for path, content in files.items():
        part = path.with_name(f".{path.name}.part")
        try:
            if path.is_dir():
                raise IsADirectoryError(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            part.write_bytes(content)
        except OSError:
            for written, _ in [*parts, (part, path)]:
                with contextlib.suppress(OSError):
                    written.unlink()
            return path
        parts.append((part, path))
    for part, path in parts:
        part.replace(path)
    return None
