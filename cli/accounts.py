"""`user add|list|remove`: the local accounts."""

from __future__ import annotations

import argparse
import getpass
import sys

import pandas as pd
from sqlalchemy import Engine

from cli.problems import print_problems
from db.access import COMMAND_LINE
from db.accounts import add_user, remove_user
from db.queries import list_users, school_list
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
    add.add_argument("--school", default="", metavar="SLUG", help=t("cli.help_user_school"))
    add.add_argument("--password-stdin", action="store_true", help=t("cli.help_password_stdin"))
    user_commands.add_parser("list", help=t("cli.help_user_list"))
    remove = user_commands.add_parser("remove", help=t("cli.help_user_remove"))
    remove.add_argument("login")


def run(args: argparse.Namespace, engine: Engine, t: Translator) -> int:
    if args.user_command == "list":
        users = list_users(engine)
        schools = school_list(engine)
        slugs = dict(zip(schools["id"], schools["slug"], strict=True))
        for row in users.itertuples():
            # `*`: the role holds across the network.
            where = "*" if pd.isna(row.school_id) else slugs.get(int(row.school_id), "?")
            print(f"{row.login}\t{row.role}\t{where}\t{'active' if row.is_active else 'inactive'}")
        return 0
    if args.user_command == "remove":
        if remove_user(engine=engine, actor=COMMAND_LINE, login=args.login):
            print(t("cli.user_removed", login=args.login))
            return 0
        print(t("cli.user_missing", login=args.login), file=sys.stderr)
        return 1
    school_id = None
    if args.school:
        found = school_list(engine)
        matches = found[found["slug"] == args.school.strip().lower()]
        if matches.empty:
            print(t("cli.school_missing", school=args.school), file=sys.stderr)
            return 2
        school_id = int(matches["id"].iloc[0])
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(t("cli.password_prompt"))
        if getpass.getpass(t("cli.password_again")) != password:
            print(t("cli.passwords_differ"), file=sys.stderr)
            return 1
    try:
        add_user(
            engine=engine, actor=COMMAND_LINE, login=args.login, password=password, role=args.role, school_id=school_id
        )
    except InvalidInput as invalid:
        print_problems(t, invalid.problems)
        return 2  # bad input, like every command's
    print(t("cli.user_added", login=args.login.strip().lower(), role=t(f"user_role.{args.role}")))
    return 0
