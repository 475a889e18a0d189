"""`python -m cli COMMAND` (or `python -m db COMMAND`): set up the database, load the demo data, manage
accounts, import and export, back up and restore, write the reports.

The command line sits above db/: it reads its messages from i18n/ and writes reports with reports/,
which db/ knows nothing of.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from cli import accounts, backup, report, transfer
from db import migrate
from db.demo import DatabaseNotEmpty, is_empty, load_demo
from db.engine import database_url, get_write_engine
from i18n import DEFAULT_LANGUAGE, translator
from i18n.languages import language_codes


def _environment_language() -> str:
    """DASHBOARD_LANG if it names a language of i18n, else the default: a stray value must not stop a command."""
    wanted = os.environ.get("DASHBOARD_LANG", "")
    return wanted if wanted in language_codes() else DEFAULT_LANGUAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        # The name the README and the scripts use; `python -m cli` is the same program.
        prog="python -m db",
        description="Partnership dashboard database. The database is DATABASE_URL, else data/partnerships.db.",
    )
    parser.add_argument(
        "--lang",
        choices=language_codes(),
        default=_environment_language(),
        help=f"language of messages (default: {DEFAULT_LANGUAGE}, or DASHBOARD_LANG)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("init", help="create or upgrade the schema (safe to run again)")
    demo = commands.add_parser("demo", help="load the demo data into an empty database")
    demo.add_argument("--replace", action="store_true", help="delete all records first")
    demo.add_argument("--if-empty", action="store_true", help="do nothing, successfully, if there are records")
    accounts.add_commands(commands)
    transfer.add_commands(commands)
    backup.add_commands(commands)
    report.add_command(commands)
    return parser


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
            return accounts.run(args, engine, t)
        if args.command in ("import", "export"):
            migrate.upgrade(engine)
            return (
                transfer.run_import(args, engine, t)
                if args.command == "import"
                else transfer.run_export(args, engine, t)
            )
        if args.command in ("backup", "restore"):
            return backup.run(args, engine, t)
        if args.command == "report":
            migrate.upgrade(engine)
            return report.run(args, engine, t)
    finally:
        engine.dispose()
    return 2
