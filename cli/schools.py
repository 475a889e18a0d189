"""`school add|list`: the schools of a network (migration 0011)."""

from __future__ import annotations

import argparse

from sqlalchemy import Engine

from cli.problems import print_problems
from db.access import COMMAND_LINE
from db.models import SCHOOL_KINDS
from db.queries import school_list
from db.schools import add_school
from db.validation import InvalidInput
from i18n import Translator


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser], t: Translator) -> None:
    school = commands.add_parser("school", help=t("cli.help_school"))
    school_commands = school.add_subparsers(
        dest="school_command", required=True, metavar="ACTION", title=t("cli.help_commands")
    )
    add = school_commands.add_parser("add", help=t("cli.help_school_add"))
    add.add_argument("name", help=t("cli.help_school_name"))
    add.add_argument("--short-name", default="", help=t("cli.help_school_short_name"))
    add.add_argument("--kind", choices=SCHOOL_KINDS, default="basic", help=t("cli.help_school_kind"))
    add.add_argument("--city", default="", help=t("cli.help_school_city"))
    add.add_argument("--municipality", default="", help=t("cli.help_school_municipality"))
    add.add_argument("--region", default="", help=t("cli.help_school_region"))
    add.add_argument("--website", default="", help=t("cli.help_school_website"))
    school_commands.add_parser("list", help=t("cli.help_school_list"))


def run(args: argparse.Namespace, engine: Engine, t: Translator) -> int:
    if args.school_command == "list":
        for row in school_list(engine).itertuples():
            print(f"{row.slug}\t{row.short_name}\t{row.region}\t{row.name}")
        return 0
    data = {
        "name": args.name,
        "short_name": args.short_name,
        "kind": args.kind,
        "city": args.city,
        "municipality": args.municipality,
        "region": args.region,
        "website": args.website,
    }
    try:
        add_school(engine=engine, actor=COMMAND_LINE, data=data)
    except InvalidInput as invalid:
        print_problems(t, invalid.problems)
        return 2
    print(t("cli.school_added", name=args.name.strip()))
    return 0
