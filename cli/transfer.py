"""`import` and `export`: records in and out as .csv and .xlsx files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import Engine

from cli.problems import print_problems
from db.access import COMMAND_LINE
from db.transfer import (
    MAX_BYTES,
    TABLES,
    import_activities,
    import_partners,
    to_csv_bytes,
    to_xlsx_bytes,
    whole_database,
)
from i18n import Translator


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    importing = commands.add_parser("import", help="add the records in a .csv or .xlsx file: all of them or none")
    importing.add_argument("table", choices=TABLES)
    importing.add_argument("file", help=".csv (UTF-8 or Windows-1251, ; or , between cells) or .xlsx")
    importing.add_argument("--dry-run", action="store_true", help="check the file and write nothing")
    exporting = commands.add_parser(
        "export", help="write the whole database to .xlsx (a sheet per table) or one table to .csv"
    )
    exporting.add_argument("file", help="the file to write: .xlsx or .csv (headers in the --lang language)")
    exporting.add_argument("--table", choices=TABLES, help="the table to write; required for .csv")


def run_import(args: argparse.Namespace, engine: Engine, t: Translator) -> int:
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
        print_problems(t, result.problems)
        print(t("cli.import_failed", count=len(result.problems)), file=sys.stderr)
        return 1
    print(t("cli.import_checked" if args.dry_run else "cli.import_done", count=result.added, file=path.name))
    return 0


def run_export(args: argparse.Namespace, engine: Engine, t: Translator) -> int:
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
