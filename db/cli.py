"""`python -m db COMMAND`: set up the database, load the demo data, manage accounts."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence

from sqlalchemy import Engine

from db import migrate
from db.access import COMMAND_LINE
from db.accounts import add_user, list_users, remove_user
from db.demo import DatabaseNotEmpty, is_empty, load_demo
from db.engine import database_url, get_write_engine
from db.validation import InvalidInput, Problem
from i18n import Translator, translator
from i18n.problems import describe_problem


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
    user = commands.add_parser("user", help="manage local accounts: add, list, remove")
    user_commands = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = user_commands.add_parser("add", help="add an account (password prompted, or read from stdin)")
    add.add_argument("login")
    add.add_argument("--role", choices=("viewer", "editor", "admin"), default="editor")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    user_commands.add_parser("list", help="list the accounts")
    remove = user_commands.add_parser("remove", help="remove an account")
    remove.add_argument("login")
    return parser


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
    finally:
        engine.dispose()
    return 2
