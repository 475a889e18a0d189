"""`python -m db COMMAND`: set up the database and load the demo data."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from db import migrate
from db.demo import DatabaseNotEmpty, is_empty, load_demo
from db.engine import database_url, get_engine
from i18n import translator


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m db",
        description="Partnership dashboard database. The database is DATABASE_URL, else data/partnerships.db.",
    )
    parser.add_argument(
        "--lang",
        choices=("bg", "en"),
        default=os.environ.get("DASHBOARD_LANG", "bg"),
        help="language of messages (default: bg, or DASHBOARD_LANG)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("init", help="create or upgrade the schema (safe to run again)")
    demo = commands.add_parser("demo", help="load the demo data into an empty database")
    demo.add_argument("--replace", action="store_true", help="delete all records first")
    demo.add_argument("--if-empty", action="store_true", help="do nothing, successfully, if there are records")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    args = _parser().parse_args(argv)
    t = translator(args.lang)
    engine = get_engine(database_url())
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
    finally:
        engine.dispose()
    return 2
