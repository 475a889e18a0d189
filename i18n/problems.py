"""Problems found in input, said in the user's language with the field's own name."""

from __future__ import annotations

from db.validation import Problem
from i18n import Translator


def describe_problem(t: Translator, problem: Problem) -> str:
    """`Ред 4, „Дата“: „31.02.2024“ не е дата.` (the row only for files)."""
    field = t(f"field.{problem.field}")
    message = t(f"problem.{problem.code}", field=field, **problem.values)
    if problem.row is None:
        return message
    return t("problem.in_row", row=problem.row, message=message)
