"""`python -m cli COMMAND` (or `python -m db COMMAND`): set up the database, load the demo data, manage
accounts, import and export, back up and restore, write the reports.

The command line sits above db/: it reads its messages from i18n/ and writes reports with reports/,
which db/ knows nothing of.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy.exc import SQLAlchemyError

from cli import accounts, backup, outcomes, report, rollups, schools, synth, transfer
from db import migrate
from db.demo import DatabaseNotEmpty, is_empty, load_demo
from db.engine import database_url, get_write_engine
from db.faults import Fault, database_place, fault_of
from i18n import DEFAULT_LANGUAGE, Translator, translator
from i18n.languages import language_codes

# Each fault its own exit code, after argparse's 2 for a command written wrong (README, `--help`).
EXIT_CODES = {
    Fault.DISK_FULL: 3,
    Fault.READ_ONLY: 4,
    Fault.CANNOT_OPEN: 5,
    Fault.UNREACHABLE: 5,
    Fault.BUSY: 6,
    Fault.DISK_ERROR: 7,
}


def _environment_language() -> str:
    """DASHBOARD_LANG if it names a language of i18n, else the default: a stray value must not stop a command."""
    wanted = os.environ.get("DASHBOARD_LANG", "")
    return wanted if wanted in language_codes() else DEFAULT_LANGUAGE


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's layout with the usage line's prefix in the chosen language; the exit codes' lines kept."""

    usage_prefix = "usage: "

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else self.usage_prefix)


def _language(argv: Sequence[str]) -> str:
    """--lang, read before the parser is built so that its help is in that language; else the environment's."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang", choices=language_codes(), default=None)
    known, _ = early.parse_known_args(argv)
    return known.lang or _environment_language()


def parser_in(t: Translator, lang: str) -> argparse.ArgumentParser:
    """The command line's parser, its help in the language of `t`."""

    class Formatter(_Formatter):
        usage_prefix = t("cli.help_usage")

    class Parser(argparse.ArgumentParser):
        # argparse makes every subcommand's parser of its parent's class, so all of them speak the language.
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.update(formatter_class=Formatter, add_help=False)
            super().__init__(*args, **kwargs)
            # argparse's own words are English; the group titles and -h are said in the chosen language.
            self._positionals.title = t("cli.help_arguments")
            self._optionals.title = t("cli.help_options")
            self.add_argument("-h", "--help", action="help", help=t("cli.help_help"))

    # The name the README and the scripts use; `python -m cli` is the same program.
    parser = Parser(prog="python -m db", description=t("cli.help_description"), epilog=t("cli.help_exit_codes"))
    parser.add_argument(
        "--lang", choices=language_codes(), default=lang, help=t("cli.help_lang", default=DEFAULT_LANGUAGE)
    )
    # Typed as plain parsers: the subcommands' modules need not know this class.
    commands = cast(
        "argparse._SubParsersAction[argparse.ArgumentParser]",
        parser.add_subparsers(dest="command", required=True, metavar="COMMAND", title=t("cli.help_commands")),
    )
    commands.add_parser("init", help=t("cli.help_init"))
    demo = commands.add_parser("demo", help=t("cli.help_demo"))
    demo.add_argument("--replace", action="store_true", help=t("cli.help_demo_replace"))
    demo.add_argument("--if-empty", action="store_true", help=t("cli.help_demo_if_empty"))
    accounts.add_commands(commands, t)
    schools.add_commands(commands, t)
    outcomes.add_commands(commands, t)
    transfer.add_commands(commands, t)
    backup.add_commands(commands, t)
    report.add_command(commands, t)
    rollups.add_commands(commands, t)
    synth.add_command(commands, t)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    lang = _language(arguments)
    args = parser_in(translator(lang), lang).parse_args(arguments)
    t = translator(args.lang)
    url = database_url()
    try:
        return _run(args, url, t)
    except (SQLAlchemyError, sqlite3.Error, OSError) as error:
        fault = fault_of(error)
        if fault is None:
            raise
        # A bad day, not a bug: said in the user's language, without a traceback (db/faults.py).
        print(t(f"fault.{fault}"), file=sys.stderr)
        print(t("cli.fault_where", place=database_place(url)), file=sys.stderr)
        return EXIT_CODES[fault]


def _run(args: argparse.Namespace, url: str, t: Translator) -> int:
    engine = get_write_engine(url)
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
        if args.command == "school":
            migrate.upgrade(engine)
            return schools.run(args, engine, t)
        if args.command == "outcomes":
            migrate.upgrade(engine)
            return outcomes.run(args, engine, t)
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
        if args.command == "rollups":
            migrate.upgrade(engine)
            return rollups.run(args, engine, t)
        if args.command == "synth":
            migrate.upgrade(engine)
            return synth.run(args, engine, t)
    finally:
        engine.dispose()
    return 2
