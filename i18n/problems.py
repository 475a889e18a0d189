"""Problems found in input, said in the user's language with the field's own name."""

from __future__ import annotations

from db.validation import Problem
from i18n import Translator

# Problems that the general wording would misstate: "„Партньори“ е задължително." reads as if the
# "partner" role were required, when one organization in any role (an organizer alone) is enough.
OWN_WORDS = {("organizations", "required"): "problem.no_organization"}


def describe_problem(t: Translator, problem: Problem) -> str:
    """`Ред 4, „Дата“: „31.02.2024“ не е дата.` (the row only for files)."""
    field = _field_name(t, problem.field)
    key = OWN_WORDS.get((problem.field, problem.code), f"problem.{problem.code}")
    message = t(key, field=field, **problem.values)
    if problem.row is None:
        return message
    return t("problem.in_row", row=problem.row, message=message)


def _field_name(t: Translator, field: str) -> str:
    """A field's name; an outcome's figure is named by its indicator (db/outcomes.py): „Цел: Отпаднали ученици“."""
    if field.startswith("indicator."):
        return t(field)
    if field.startswith("target."):
        return t("indicator.target_of", name=t(f"indicator.{field.removeprefix('target.')}"))
    return t(f"field.{field}")
