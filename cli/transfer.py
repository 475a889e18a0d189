"""`import` and `export`: records in and out as .csv and .xlsx files."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from sqlalchemy import Engine

from cli.problems import print_problems
from db.access import COMMAND_LINE, Actor, PermissionDenied
from db.accounts import TooManyAttempts, authenticate
from db.fields import exchange_language
from db.filters import ActivityFilters
from db.transfer import (
    COLUMNS,
    MAX_BYTES,
    TABLES,
    import_activities,
    import_partners,
    to_csv_bytes,
    to_xlsx_bytes,
    whole_database,
)
from db.transfer.outcomes import SHEET, export_outcomes, import_outcomes
from db.transfer.reading import Table, header_key
from db.transfer.resolving import ADD
from i18n import Translator

OUTCOMES = "outcomes"  # the schools' outcomes per school year (db/transfer/outcomes.py), beside the two tables


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser], t: Translator) -> None:
    importing = commands.add_parser("import", help=t("cli.help_import"))
    importing.add_argument("table", choices=(*TABLES, OUTCOMES), help=t("cli.help_import_table"))
    importing.add_argument("file", help=t("cli.help_import_file"))
    importing.add_argument("--dry-run", action="store_true", help=t("cli.help_dry_run"))
    importing.add_argument("--accept-suggestions", action="store_true", help=t("cli.help_accept_suggestions"))
    importing.add_argument(
        "--map", action="append", default=[], metavar=t("cli.help_map_metavar"), help=t("cli.help_map")
    )
    # Without it the command line is the server's operator (the network's admin), as before schools.
    importing.add_argument("--as", dest="login", metavar="LOGIN", help=t("cli.help_import_as"))
    importing.add_argument("--password-stdin", action="store_true", help=t("cli.help_password_stdin"))
    exporting = commands.add_parser("export", help=t("cli.help_export"))
    exporting.add_argument("file", help=t("cli.help_export_file"))
    exporting.add_argument("--table", choices=(*TABLES, OUTCOMES), help=t("cli.help_export_table"))


def run_import(args: argparse.Namespace, engine: Engine, t: Translator) -> int:
    path = Path(args.file)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)  # a byte over the limit is enough to refuse the file
    except OSError:
        print(t("cli.file_unreadable", file=args.file), file=sys.stderr)
        return 1
    if args.table == OUTCOMES:
        return _import_outcomes(args, engine, t, data, path.name)
    mapping = _mapping(args.table, args.map)
    if mapping is None:
        print(t("cli.bad_map"), file=sys.stderr)
        return 2
    actor = _actor(args, engine, t)
    if actor is None:
        return 1
    importer = import_partners if args.table == "partners" else import_activities
    try:
        result = importer(
            engine=engine,
            actor=actor,
            data=data,
            filename=path.name,
            dry_run=args.dry_run,
            accept_suggestions=args.accept_suggestions,
            mapping=mapping,
        )
    except PermissionDenied:
        print(t("data.denied"), file=sys.stderr)
        return 1
    if result.problems:
        print_problems(t, result.problems)
        print(t("cli.import_failed", count=len(result.problems)), file=sys.stderr)
        if any(unknown.suggestions for unknown in result.unknowns) and not args.accept_suggestions:
            print(t("cli.import_suggestions_hint"), file=sys.stderr)
        return 2  # bad input, as argparse says it: a script can tell a refused file from a failure
    # What the file's words were read as, and the focus areas added: said before the count, as a summary.
    for taken in result.taken:
        print(t(f"cli.import_taken_{taken.reason}", value=taken.value, word=taken.as_word))
    for tag in result.new_tags:
        print(t("cli.import_new_tag", name=tag.name))
    print(t("cli.import_checked" if args.dry_run else "cli.import_done", count=result.added, file=path.name))
    return 0


def _import_outcomes(args: argparse.Namespace, engine: Engine, t: Translator, data: bytes, name: str) -> int:
    """The schools' outcomes per school year (db/transfer/outcomes.py): all rows, or none."""
    actor = _actor(args, engine, t)
    if actor is None:
        return 1
    try:
        result = import_outcomes(engine=engine, actor=actor, data=data, filename=name, dry_run=args.dry_run)
    except PermissionDenied:
        print(t("data.denied"), file=sys.stderr)
        return 1
    if result.problems:
        print_problems(t, result.problems)
        print(t("cli.import_failed", count=len(result.problems)), file=sys.stderr)
        return 2
    print(t("cli.import_checked" if args.dry_run else "cli.import_done", count=result.years, file=name))
    return 0


def _actor(args: argparse.Namespace, engine: Engine, t: Translator) -> Actor | None:
    """Who imports: the account named by `--as` once its password is right (its role and school decide what it
    may write), else the operator of the server; None after saying why not."""
    if not args.login:
        return COMMAND_LINE
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(t("cli.password_prompt"))
    try:
        actor = authenticate(engine=engine, login=args.login, password=password)
    except TooManyAttempts as busy:
        print(t("problem.sign_in_busy", seconds=busy.seconds), file=sys.stderr)
        return None
    if actor is None:
        print(t("auth.failed"), file=sys.stderr)
    return actor


def _mapping(table: Table, choices: list[str]) -> dict[tuple[str, str], str] | None:
    """`направления:общност=развитие на общността` (a column's header in either language, or the field's name)
    as {(field, written): known}; `+` keeps a focus area as a new one. None if any is not written so."""
    fields = {header_key(name): column.field for column in COLUMNS[table] for name in (column.bg, column.en)}
    mapping: dict[tuple[str, str], str] = {}
    for choice in choices:
        column, _, rest = choice.partition(":")
        written, _, known = rest.partition("=")
        field = fields.get(header_key(column))
        if field is None or not written.strip() or not known.strip():
            return None
        mapping[(field, written.strip())] = ADD if known.strip() == "+" else known.strip()
    return mapping


def run_export(args: argparse.Namespace, engine: Engine, t: Translator) -> int:
    path = Path(args.file)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        print(t("cli.export_format"), file=sys.stderr)
        return 2
    if suffix == ".csv" and args.table is None:
        print(t("cli.export_needs_table"), file=sys.stderr)
        return 2
    if args.table == OUTCOMES:
        frame = export_outcomes(engine, ActivityFilters(), lang=args.lang)
        sheets = {SHEET[exchange_language(args.lang)]: frame}
        data = to_csv_bytes(frame, args.lang) if suffix == ".csv" else to_xlsx_bytes(sheets, args.lang)
        return _written(path, data, len(frame), args.file, t)
    sheets = whole_database(engine, args.lang)
    if args.table is not None:
        sheets = {args.table: sheets[args.table]}
    data = to_csv_bytes(sheets[args.table], args.lang) if suffix == ".csv" else to_xlsx_bytes(sheets, args.lang)
    return _written(path, data, sum(len(frame) for frame in sheets.values()), args.file, t)


def _written(path: Path, data: bytes, count: int, file: str, t: Translator) -> int:
    try:
        path.write_bytes(data)
    except OSError:
        print(t("cli.file_unwritable", file=file), file=sys.stderr)
        return 1
    print(t("cli.export_done", count=count, file=file))
    return 0
