"""Problems of a refused input, one line each on standard error, in the chosen language."""

from __future__ import annotations

import sys

from db.validation import Problem
from i18n import Translator
from i18n.problems import describe_problem


def print_problems(t: Translator, problems: list[Problem]) -> None:
    for problem in problems:
        print(describe_problem(t, problem), file=sys.stderr)
