"""`rollups --check` and `--rebuild`: the counts per partner and per period, and the search index, against the
activities themselves."""

from __future__ import annotations

import argparse
import sys
from itertools import islice
from typing import Any

from sqlalchemy import Engine

from db import queries, rollups, search
from db.school_year import school_year_label
from i18n import Translator, count
from i18n.formatting import format_date, format_number
from i18n.vocabulary import term_names

FIGURES = ("activities", "participants", "pupils")


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser], t: Translator) -> None:
    command = commands.add_parser("rollups", help=t("cli.help_rollups"))
    what = command.add_mutually_exclusive_group(required=True)
    what.add_argument("--check", action="store_true", help=t("cli.help_rollups_check"))
    what.add_argument("--rebuild", action="store_true", help=t("cli.help_rollups_rebuild"))


def run(args: argparse.Namespace, engine: Engine, t: Translator) -> int:
    if args.rebuild:
        rollups.rebuild(engine)
        print(t("cli.rollups_rebuilt"))
        print(t("cli.search_index_rebuilt"))
        return 0
    # The search index (db/search.py) is kept by triggers like the rollups, so it is checked with them.
    search_exact = search.is_exact(engine)
    if not search_exact:
        print(t("cli.search_index_differs"), file=sys.stderr)
    found = rollups.differences(engine)
    shown = list(islice(found, rollups.SHOWN_DIFFERENCES))
    if not shown:
        print(t("cli.rollups_exact"))
        if search_exact:
            print(t("cli.search_index_exact"))
        return 0 if search_exact else 1
    count = len(shown) + sum(1 for _ in found)
    print(t("cli.rollups_differ", count=format_number(count, args.lang), shown=len(shown)), file=sys.stderr)
    words = _Words(engine, t, args.lang)
    for difference in shown:
        print(
            t(
                "cli.rollups_difference",
                table=t(f"cli.rollups_table_{difference.table}"),
                group=words.group(difference.group),
                stored=words.figures(difference.stored),
                expected=words.figures(difference.expected),
            ),
            file=sys.stderr,
        )
    return 1


class _Words:
    """A group and its figures as a sentence's parts in the user's language: names, not ids and codes."""

    def __init__(self, engine: Engine, t: Translator, lang: str) -> None:
        self.t, self.lang = t, lang
        partners = queries.organization_choices(engine)
        self.partners = dict(zip(partners["id"], partners["short_name"], strict=True))
        self.types = term_names(queries.activity_types(engine).itertuples(index=False, name=None), lang)

    def group(self, group: dict[str, Any]) -> str:
        year, status = school_year_label(group["school_year"]), self.t(f"status.{group['status']}")
        if "type_code" in group:
            code = group["type_code"]
            parts = [self.t("cli.rollups_group", year=year, type=self.types.get(code, code), status=status)]
        else:  # school_partner_rollup counts all types together
            parts = [self.t("cli.rollups_group_year", year=year, status=status)]
        if "month" in group:
            parts.append(self.t("cli.rollups_month", month=group["month"]))
        if "school_id" in group:
            parts.append(self.t("cli.rollups_school", school=group["school_id"]))
        if "organization_id" in group:
            name = self.partners.get(group["organization_id"], f"#{group['organization_id']}")
            parts.append(self.t("cli.rollups_partner", partner=name))
        return ", ".join(parts)

    def figures(self, figures: dict[str, Any] | None) -> str:
        if figures is None:
            return self.t("cli.rollups_no_row")
        said = ", ".join(count(self.t, noun, int(figures[noun]), self.lang) for noun in FIGURES)
        if "first_date" in figures:
            said += self.t(
                "cli.rollups_dates",
                first=format_date(figures["first_date"], self.lang),
                last=format_date(figures["last_date"], self.lang),
            )
        return said
