"""`outcomes list`: the schools' outcomes per school year (migration 0012), as a table for a terminal."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy import Engine

from db.filters import ActivityFilters
from db.indicators import indicators
from db.queries import outcomes, school_list
from db.school_year import school_year_label
from i18n import Translator
from i18n.formatting import format_decimal_figure


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser], t: Translator) -> None:
    command = commands.add_parser("outcomes", help=t("cli.help_outcomes"))
    actions = command.add_subparsers(
        dest="outcomes_command", required=True, metavar="ACTION", title=t("cli.help_commands")
    )
    listing = actions.add_parser("list", help=t("cli.help_outcomes_list"))
    listing.add_argument("--school", metavar="SLUG", help=t("cli.help_outcomes_school"))


def run(args: argparse.Namespace, engine: Engine, t: Translator) -> int:
    """Each school year on record: each indicator's value and, after a slash, its target (the whole record,
    as an editor sees it: the command line is the server's operator)."""
    schools = school_list(engine)
    chosen: tuple[int, ...] = ()
    if args.school:
        found = schools[schools["slug"] == args.school]
        if found.empty:
            print(t("cli.unknown_school", value=args.school), file=sys.stderr)
            return 2
        chosen = (int(found["id"].iloc[0]),)
    figures = outcomes(engine, ActivityFilters(school_ids=chosen))
    if figures.empty:
        print(t("outcomes.none"))
        return 0
    keys = [item.key for item in indicators() if item.key in set(figures["indicator"])]
    print("\t".join([t("outcomes.column.year"), *(t(f"indicator.{key}") for key in keys)]))
    for year, rows in figures.groupby("school_year"):
        by_key = {row.indicator: row for row in rows.itertuples()}
        cells = [school_year_label(int(year))]
        for key in keys:
            row = by_key.get(key)
            if row is None:
                cells.append("")
                continue
            text = format_decimal_figure(row.value, args.lang)
            if row.target is not None and row.target == row.target:
                text += " / " + format_decimal_figure(row.target, args.lang)
            cells.append(text)
        print("\t".join(cells))
    return 0
