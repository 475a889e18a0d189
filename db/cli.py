"""`python -m db COMMAND`: set up the database, load the demo data, manage accounts, import and export."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine

# Only the entry point: the document libraries are imported when a report is written.
import reports
from db import migrate
from db.access import COMMAND_LINE
from db.accounts import add_user, list_users, remove_user
from db.backup import InvalidBackup, NotSQLite, backup, restore, safety_folder
from db.demo import DatabaseNotEmpty, is_empty, load_demo
from db.engine import database_url, get_write_engine
from db.school_year import parse_school_year
from db.transfer import (
    MAX_BYTES,
    TABLES,
    import_activities,
    import_partners,
    to_csv_bytes,
    to_xlsx_bytes,
    whole_database,
)
from db.validation import InvalidInput, Problem
from i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator, translator
from i18n.problems import describe_problem


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m db",
        description="Partnership dashboard database. The database is DATABASE_URL, else data/partnerships.db.",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=os.environ.get("DASHBOARD_LANG", DEFAULT_LANGUAGE),
        help="language of messages (default: bg, or DASHBOARD_LANG)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("init", help="create or upgrade the schema (safe to run again)")
    demo = commands.add_parser("demo", help="load the demo data into an empty database")
    demo.add_argument("--replace", action="store_true", help="delete all records first")
    demo.add_argument("--if-empty", action="store_true", help="do nothing, successfully, if there are records")
    user = commands.add_parser("user", help="manage local accounts: add, list, remove")
    user_commands = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = user_commands.add_parser("add", help="add an account (password prompted, or read from stdin)")
    add.add_argument("login")
    add.add_argument("--role", choices=("viewer", "editor", "admin"), default="editor")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    user_commands.add_parser("list", help="list the accounts")
    remove = user_commands.add_parser("remove", help="remove an account")
    remove.add_argument("login")
    _add_transfer_commands(commands)
    _add_backup_commands(commands)
    _add_report_command(commands)
    return parser


def _add_transfer_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    importing = commands.add_parser("import", help="add the records in a .csv or .xlsx file: all of them or none")
    importing.add_argument("table", choices=TABLES)
    importing.add_argument("file", help=".csv (UTF-8 or Windows-1251, ; or , between cells) or .xlsx")
    importing.add_argument("--dry-run", action="store_true", help="check the file and write nothing")
    exporting = commands.add_parser(
        "export", help="write the whole database to .xlsx (a sheet per table) or one table to .csv"
    )
    exporting.add_argument("file", help="the file to write: .xlsx or .csv (headers in the --lang language)")
    exporting.add_argument("--table", choices=TABLES, help="the table to write; required for .csv")


def _add_backup_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backing_up = commands.add_parser("backup", help="write a consistent copy of the live SQLite database to FILE")
    backing_up.add_argument("file", type=Path)
    restoring = commands.add_parser("restore", help="check FILE, keep the current database in data/backups, restore")
    restoring.add_argument("file", type=Path)


def _add_report_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser(
        "report", help="write the annual report (pdf, docx) and/or the slide deck (pptx) of a school year"
    )
    report.add_argument("--year", required=True, help="school year, e.g. 2023/2024, or 'all'")
    report.add_argument(
        "--format",
        required=True,
        dest="fmt",
        help="pdf, docx or pptx; several as pdf,pptx, or all (faster than one run for each)",
    )
    report.add_argument(
        "--out", required=True, help="the file to write; for several formats (or ending in /), a folder for them"
    )


def _report_formats(value: str) -> list[reports.Format] | None:
    """`pdf`, `pdf,pptx` or `all` as a list of formats; None if any of them is unknown."""
    if value.strip().lower() == "all":
        return list(reports.FORMATS)
    named = [part.strip().lower() for part in value.split(",") if part.strip()]
    formats = [fmt for fmt in reports.FORMATS if fmt in named]
    if not named or len(formats) < len(set(named)):
        return None
    return sorted(formats, key=named.index)


def _report(args: argparse.Namespace, engine: Engine, t: Translator) -> int:
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
    files = reports.generate_many(engine, school_year=year, formats=formats, lang=args.lang)
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


def _backup(args: argparse.Namespace, engine: Engine, t: Translator) -> int:
    try:
        if args.command == "backup":
            backup(engine, args.file)
            print(t("cli.backup_done", file=args.file))
            return 0
        if not args.file.is_file():
            print(t("cli.file_unreadable", file=args.file), file=sys.stderr)
            return 1
        saved = restore(engine, args.file, actor=COMMAND_LINE, keep_current_in=safety_folder(engine))
    except NotSQLite:
        print(t("backup.not_sqlite"), file=sys.stderr)
        return 1
    except InvalidBackup as invalid:
        _print_problems(t, invalid.problems)
        return 1
    print(t("backup.restored", saved=saved))
    return 0


def _print_problems(t: Translator, problems: list[Problem]) -> None:
    for problem in problems:
        print(describe_problem(t, problem), file=sys.stderr)


def _user(args: argparse.Namespace, engine: Engine, t: Translator) -> int:
    if args.user_command == "list":
        users = list_users(engine)
        for row in users.itertuples():
            print(f"{row.login}\t{row.role}\t{'active' if row.is_active else 'inactive'}")
        return 0
    if args.user_command == "remove":
        if remove_user(engine=engine, actor=COMMAND_LINE, login=args.login):
            print(t("cli.user_removed", login=args.login))
            return 0
        print(t("cli.user_missing", login=args.login), file=sys.stderr)
        return 1
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(t("cli.password_prompt"))
        if getpass.getpass(t("cli.password_again")) != password:
            print(t("cli.passwords_differ"), file=sys.stderr)
            return 1
    try:
        add_user(engine=engine, actor=COMMAND_LINE, login=args.login, password=password, role=args.role)
    except InvalidInput as invalid:
        _print_problems(t, invalid.problems)
        return 1
    print(t("cli.user_added", login=args.login.strip().lower(), role=t(f"user_role.{args.role}")))
    return 0


def _import(args: argparse.Namespace, engine: Engine, t: Translator) -> int:
    path = Path(args.file)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)  # a byte over the limit is enough to refuse the file
    except OSError:
        print(t("cli.file_unreadable", file=args.file), file=sys.stderr)
        return 1
    importer = import_partners if args.table == "partners" else import_activities
    result = importer(engine=engine, actor=COMMAND_LINE, data=data, filename=path.name, dry_run=args.dry_run)
    if result.problems:
        _print_problems(t, result.problems)
        print(t("cli.import_failed", count=len(result.problems)), file=sys.stderr)
        return 1
    print(t("cli.import_checked" if args.dry_run else "cli.import_done", count=result.added, file=path.name))
    return 0


def _export(args: argparse.Namespace, engine: Engine, t: Translator) -> int:
    path = Path(args.file)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        print(t("cli.export_format"), file=sys.stderr)
        return 2
    if suffix == ".csv" and args.table is None:
        print(t("cli.export_needs_table"), file=sys.stderr)
        return 2
    sheets = whole_database(engine, args.lang)
    if args.table is not None:
        sheets = {args.table: sheets[args.table]}
    data = to_csv_bytes(sheets[args.table], args.lang) if suffix == ".csv" else to_xlsx_bytes(sheets, args.lang)
    try:
        path.write_bytes(data)
    except OSError:
        print(t("cli.file_unwritable", file=args.file), file=sys.stderr)
        return 1
    print(t("cli.export_done", count=sum(len(frame) for frame in sheets.values()), file=args.file))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    args = _parser().parse_args(argv)
    t = translator(args.lang)
    engine = get_write_engine(database_url())
    try:
        if args.command == "init":
            before = migrate.current_revision(engine)
            migrate.upgrade(engine)
            after = migrate.current_revision(engine)
            key = "cli.init_current" if before == after else "cli.init_done"
            print(t(key, revision=after))
            return 0
        if args.command == "demo":
            migrate.upgrade(engine)
            if args.if_empty and not is_empty(engine):
                print(t("cli.demo_skipped"))
                return 0
            try:
                count = load_demo(engine, replace=args.replace)
            except DatabaseNotEmpty:
                print(t("cli.demo_refused"), file=sys.stderr)
                return 1
            print(t("cli.demo_done", count=count))
            return 0
        if args.command == "user":
            migrate.upgrade(engine)
            return _user(args, engine, t)
        if args.command in ("import", "export"):
            migrate.upgrade(engine)
            return _import(args, engine, t) if args.command == "import" else _export(args, engine, t)
        if args.command in ("backup", "restore"):
            return _backup(args, engine, t)
        if args.command == "report":
            migrate.upgrade(engine)
            return _report(args, engine, t)
    finally:
        engine.dispose()
    return 2
