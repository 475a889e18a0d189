"""`synth`: a synthetic network of schools, partners and activities in an empty database (db/synth.py)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from sqlalchemy import Engine

from db.synth import DatabaseNotEmpty, synthesize
from i18n import Translator
from i18n.formatting import format_number

# Progress is said every this many activities: a million take about a minute and a half.
PROGRESS_EVERY = 200_000


def _at_least(least: int, t: Translator) -> Callable[[str], int]:
    def number(value: str) -> int:
        try:
            parsed = int(value.replace("_", ""))
        except ValueError:
            parsed = least - 1
        if parsed < least:
            raise argparse.ArgumentTypeError(t("cli.synth_bad_number", value=value, least=least))
        return parsed

    return number


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser], t: Translator) -> None:
    command = commands.add_parser("synth", help=t("cli.help_synth"))
    command.add_argument("--schools", type=_at_least(1, t), default=300, help=t("cli.help_synth_schools"))
    command.add_argument("--partners", type=_at_least(1, t), default=1000, help=t("cli.help_synth_partners"))
    command.add_argument("--activities", type=_at_least(0, t), default=1_000_000, help=t("cli.help_synth_activities"))
    command.add_argument("--seed", type=int, default=1, help=t("cli.help_synth_seed"))


def run(args: argparse.Namespace, engine: Engine, t: Translator) -> int:
    lang = args.lang
    said = [0]

    def progress(done: int, total: int) -> None:
        if done - said[0] >= PROGRESS_EVERY and done < total:
            said[0] = done
            print(t("cli.synth_progress", done=format_number(done, lang), total=format_number(total, lang)), flush=True)

    try:
        made = synthesize(
            engine,
            schools=args.schools,
            partners=args.partners,
            activities=args.activities,
            seed=args.seed,
            progress=progress,
        )
    except DatabaseNotEmpty:
        print(t("cli.synth_refused"), file=sys.stderr)
        return 1
    print(
        t(
            "cli.synth_done",
            seed=args.seed,
            schools=format_number(made.schools, lang),
            partners=format_number(made.partners, lang),
            activities=format_number(made.activities, lang),
            links=format_number(made.links, lang),
            seconds=format_number(round(made.seconds["total"]), lang),
        )
    )
    return 0
