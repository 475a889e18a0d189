"""`user add|list|remove`: the local accounts."""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy import Engine

from cli.problems import print_problems
from db.access import COMMAND_LINE
from db.accounts import add_user, remove_user
from db.queries import list_users
from db.validation import InvalidInput
from i18n import Translator


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser], t: Translator) -> None:
    user = commands.add_parser("user", help=t("cli.help_user"))
    user_commands = user.add_subparsers(
        dest="user_command", required=True, metavar="ACTION", title=t("cli.help_commands")
    )
    add = user_commands.add_parser("add", help=t("cli.help_user_add"))
    add.add_argument("login")
    add.add_argument("--role", choices=("viewer", "editor", "admin"), default="editor", help=t("cli.help_user_role"))
    add.add_argument("--password-stdin", action="store_true", help=t("cli.help_password_stdin"))
    user_commands.add_parser("list", help=t("cli.help_user_list"))
    remove = user_commands.add_parser("remove", help=t("cli.help_user_remove"))
    remove.add_argument("login")


def run(args: argparse.Namespace, engine: Engine, t: Translator) -> int:
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
        print_problems(t, invalid.problems)
        return 2  # bad input, like every command's
    print(t("cli.user_added", login=args.login.strip().lower(), role=t(f"user_role.{args.role}")))
    return 0
