"""`backup` and `restore`: a consistent copy of the SQLite database, and putting one back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import Engine

from cli.problems import print_problems
from db.access import COMMAND_LINE
from db.backup import InvalidBackup, NotSQLite, RestoreFailed, backup, restore, safety_folder
from i18n import Translator


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser], t: Translator) -> None:
    backing_up = commands.add_parser("backup", help=t("cli.help_backup"))
    backing_up.add_argument("file", type=Path)
    restoring = commands.add_parser("restore", help=t("cli.help_restore"))
    restoring.add_argument("file", type=Path)


def run(args: argparse.Namespace, engine: Engine, t: Translator) -> int:
    try:
        if args.command == "backup":
            backup(engine, args.file)
            print(t("cli.backup_done", file=args.file))
            return 0
        if not args.file.is_file():
            print(t("cli.file_unreadable", file=args.file), file=sys.stderr)
            return 2
        saved = restore(engine, args.file, actor=COMMAND_LINE, keep_current_in=safety_folder(engine))
    except NotSQLite:
        print(t("backup.not_sqlite"), file=sys.stderr)
        return 2
    except InvalidBackup as invalid:
        print_problems(t, invalid.problems)
        return 2
    except RestoreFailed as failed:
        # Not the file's fault (a full disk, a lock): the database is as it was, and the same file may work later.
        print_problems(t, [failed.problem])
        return 1
    print(t("backup.restored", saved=saved))
    return 0
