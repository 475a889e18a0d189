"""Importing partners or activities from a file: every row checked, then all of them written or none.

Each import checks the actor's role first, reads the file (db.transfer.reading), checks
every row with db.validation's checks and against the database, and, only if nothing at
all is wrong and it is not a dry run, writes every record with its audit entry in one
transaction. Records already in the database, or twice in the file, are problems, not
added again. A word that names nothing known is resolved by db.transfer.resolving: a focus
area becomes a new one in the same transaction; anything else is a problem with a suggestion,
unless the caller's `mapping` or `accept_suggestions` says what it stands for.

Audit: one `create` entry per imported record, as if it had been typed into the form,
with the file named in the summary; so the audit screen needs no new kind of entry. The
records and their entries are written by db.transfer.writing in a few bulk inserts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.access import Actor, require
from db.fields import Kind, declared
from db.models import (
    Activity,
    ActivityType,
    FocusArea,
    Organization,
    PartnerKind,
    School,
    VocabularyName,
    _Vocabulary,
)
from db.text import collapse_spaces, name_key
from db.transfer.reading import (
    FILE,
    LIST_SEPARATOR,
    ROLE_WORDS,
    STATUS_WORDS,
    YES_NO_WORDS,
    Table,
    read_table,
)
from db.transfer.resolving import ImportMapping, NewTag, Resolver, Taken, Unknown
from db.transfer.writing import add_activities, add_partners  # bulk inserts of what the forms would store
from db.validation import Problem, check_activity, check_partner, parse_date
from db.writes import own_school

# A file that leaves the kind empty gets "other" (друго) rather than a problem in every row.
DEFAULT_KIND = "other"
DEFAULT_ROLE = "partner"
_QUERY_CHUNK = 500  # well under SQLite's limit on bound parameters


@dataclass(frozen=True)
class ImportResult:
    """What an import read and did.

    `added` is how many records were written, or, on a dry run, how many would be; it is
    0 whenever there are problems, because then nothing is written. `rows` are the rows
    as read (see read_table), for a preview.
    """

    table: Table
    rows_read: int
    added: int
    problems: list[Problem]
    dry_run: bool
    rows: list[dict[str, Any]] = field(default_factory=list)
    # Words the file uses that name nothing known (with suggestions), words read as known ones, tags added.
    unknowns: list[Unknown] = field(default_factory=list)
    taken: list[Taken] = field(default_factory=list)
    new_tags: list[NewTag] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def import_partners(
    *,
    engine: Engine,
    actor: Actor,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    mapping: ImportMapping | None = None,
    accept_suggestions: bool = False,
    read: ReadTable | None = None,
) -> ImportResult:
    """Add every partner in a .csv or .xlsx file, or none. Raises PermissionDenied; problems come in the result.

    Unknown focus areas are added as new ones (see db.transfer.resolving); `mapping` and
    `accept_suggestions` say what unknown words stand for. `read`: what read_table made of
    these very bytes already (the screen reads an upload once, not on every rerun).
    """
    require(actor, "editor")
    resolver = Resolver(mapping or {}, accept_suggestions)
    rows, problems = read or read_table(data, filename, table="partners")
    return _import(
        "partners", engine, actor, rows, problems, filename, dry_run, _checked_partners, _add_partners, resolver
    )


def import_activities(
    *,
    engine: Engine,
    actor: Actor,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    today: date | None = None,
    mapping: ImportMapping | None = None,
    accept_suggestions: bool = False,
    read: ReadTable | None = None,
) -> ImportResult:
    """Add every activity in a .csv or .xlsx file, or none. Raises PermissionDenied; problems come in the result.

    Activities without a status are held if their date is not after `today`, else planned; `read`
    as for import_partners.
    """
    require(actor, "editor")

    def check(
        session: Session, rows: Sequence[Mapping[str, Any]], resolver: Resolver
    ) -> tuple[list[Checked], list[Problem]]:
        return _checked_activities(session, actor, rows, resolver, today=today)

    resolver = Resolver(mapping or {}, accept_suggestions)
    rows, problems = read or read_table(data, filename, table="activities")
    return _import("activities", engine, actor, rows, problems, filename, dry_run, check, _add_activities, resolver)


Checked = tuple[int, dict[str, Any]]  # (row number, clean fields)
ReadTable = tuple[list[dict[str, Any]], list[Problem]]  # what read_table returns
Checker = Callable[[Session, Sequence[Mapping[str, Any]], Resolver], tuple[list[Checked], list[Problem]]]
Adder = Callable[[Session, Actor, Sequence[Checked], str, Resolver], None]


def _import(
    table: Table,
    engine: Engine,
    actor: Actor,
    rows: list[dict[str, Any]],
    problems: list[Problem],
    filename: str,
    dry_run: bool,
    check: Checker,
    add: Adder,
    resolver: Resolver,
) -> ImportResult:

    def result(added: int, problems: list[Problem]) -> ImportResult:
        return ImportResult(
            table, len(rows), added, problems, dry_run, rows,
            list(resolver.unknowns.values()), list(resolver.taken.values()), list(resolver.new_tags.values()),
        )  # fmt: skip

    try:
        # One transaction from the check to the last write: on SQLite the write engine takes the
        # write lock at BEGIN, so nobody can add the same record between the check and the insert.
        with Session(engine) as session, session.begin():
            checked, row_problems = check(session, rows, resolver)
            problems = problems + _without_echoes(row_problems, problems)
            if problems or dry_run:
                return result(0 if problems else len(checked), problems)
            add(session, actor, checked, filename, resolver)
    except IntegrityError:
        # Only where BEGIN does not lock (PostgreSQL): someone saved the same record meanwhile.
        return result(0, [Problem(FILE, "write_conflict")])
    return result(len(checked), [])


def _without_echoes(row_problems: list[Problem], file_problems: list[Problem]) -> list[Problem]:
    """The rows' problems, less "required" in every row for a column already reported missing."""
    missing = {problem.field for problem in file_problems if problem.code == "missing_column"}
    return [p for p in row_problems if not (p.code == "required" and p.field in missing)]


# ---- words for codes ------------------------------------------------------------------------


def _vocabulary_words(session: Session, model: type[_Vocabulary]) -> dict[str, str]:
    """name_key of each code and of its names in every language -> the code."""
    # Codes first: a name that happens to spell another term's code does not hide that code.
    words = {name_key(code): code for code in session.scalars(select(model.code))}
    named = (
        select(VocabularyName.name, model.code)
        .join(model, model.code == VocabularyName.code)
        .where(VocabularyName.vocabulary == model.__table__.name)  # type: ignore[attr-defined]
        .order_by(model.sort_order, VocabularyName.lang)
    )
    for name, code in session.execute(named):
        words.setdefault(name_key(name), code)
    return words


def _vocabulary_choices(session: Session, model: type[_Vocabulary]) -> dict[str, str]:
    """Each name of each term, in every language -> its code: the words a suggestion may offer."""
    named = (
        select(VocabularyName.name, model.code)
        .join(model, model.code == VocabularyName.code)
        .where(VocabularyName.vocabulary == model.__table__.name)  # type: ignore[attr-defined]
        .order_by(model.sort_order, VocabularyName.lang)
    )
    return {name: code for name, code in session.execute(named)}


def _fixed_words(table: Mapping[Any, Iterable[str]]) -> dict[str, Any]:
    return {name_key(word): code for code, words in table.items() for word in (str(code), *words)}


def _fixed_choices(table: Mapping[str, Iterable[str]]) -> dict[str, str]:
    return {word: code for code, words in table.items() for word in words}


def _better(problems: list[Problem], suggested: Iterable[Problem | None]) -> list[Problem]:
    """The problems, each plain "unknown" one replaced by its version with a suggestion, if there is one."""
    better = {(p.row, p.field, p.values["value"]): p for p in suggested if p is not None}
    return [
        better.pop((p.row, p.field, p.values.get("value")), p) if p.code == "unknown_choice" else p for p in problems
    ]


def _code(words: Mapping[str, Any], value: Any) -> Any:
    """The code a cell names, or the cell's own text (which the check then reports as unknown)."""
    text = collapse_spaces(str(value or ""))
    return words.get(name_key(text), text) if text else ""


def _split(value: Any) -> list[str]:
    return [part for part in (collapse_spaces(p) for p in str(value or "").split(LIST_SEPARATOR)) if part]


def _flags(table: Table, row: Mapping[str, Any], yes_no: Mapping[str, Any]) -> tuple[dict[str, bool], list[Problem]]:
    """Each yes/no field of the row from its word (`да`, `no`, …), its default if empty; unknown words are problems."""
    flags: dict[str, bool] = {}
    problems: list[Problem] = []
    for flag in (each for each in declared(table) if each.kind is Kind.FLAG):
        word = _code(yes_no, row.get(flag.name))
        if not isinstance(word, bool) and word != "":
            problems.append(Problem(flag.name, "unknown_choice", {"value": word}, row["_row"]))
        flags[flag.name] = word if isinstance(word, bool) else flag.default
    return flags, problems


# ---- partners -------------------------------------------------------------------------------


def _checked_partners(
    session: Session, rows: Sequence[Mapping[str, Any]], resolver: Resolver
) -> tuple[list[Checked], list[Problem]]:
    kinds = _vocabulary_words(session, PartnerKind)
    kind_choices = _vocabulary_choices(session, PartnerKind)
    areas = _vocabulary_words(session, FocusArea)
    area_choices = _vocabulary_choices(session, FocusArea)
    area_codes = set(areas.values())
    yes_no = _fixed_words(YES_NO_WORDS)
    taken = set(session.scalars(select(Organization.name_key)))
    first_rows: dict[str, int] = {}
    checked: list[Checked] = []
    problems: list[Problem] = []
    for row in rows:
        number = row["_row"]
        raw = {name: value for name, value in row.items() if name != "_row"}
        kind_text = collapse_spaces(str(row.get("kind") or ""))
        kind, suggested = (
            resolver.known("kind", kind_text, kinds, kind_choices, number, code="unknown_choice")
            if kind_text
            else (DEFAULT_KIND, None)
        )
        raw["kind"] = kind if kind is not None else kind_text
        raw["focus_areas"] = [
            resolver.tag(area, areas, area_choices, number, area_codes) for area in _split(row.get("focus_areas"))
        ]
        flags, unknown = _flags("partners", row, yes_no)
        allowed_areas = sorted(area_codes | {tag.code for tag in resolver.new_tags.values()})
        clean, found = check_partner(
            raw | flags, kinds=sorted(set(kinds.values())), focus_areas=allowed_areas, row=number
        )
        found = _better(found, [suggested])
        found += unknown + _partner_duplicate(clean["name"], number, taken, first_rows)
        problems += found
        checked.append((number, clean))
    return checked, problems


def _partner_duplicate(name: str, number: int, taken: set[str], first_rows: dict[str, int]) -> list[Problem]:
    key = name_key(name)
    if not key:
        return []
    if key in taken:
        return [Problem("name", "duplicate_partner", {"value": name}, number)]
    if key in first_rows:
        return [Problem("name", "duplicate_in_file", {"value": name, "first_row": first_rows[key]}, number)]
    first_rows[key] = number
    return []


def _add_partners(
    session: Session, actor: Actor, checked: Sequence[Checked], filename: str, resolver: Resolver
) -> None:
    add_partners(session.connection(), actor, checked, filename, list(resolver.new_tags.values()))


# ---- activities -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Directory:
    """Partners by the name_key of their name, and of their short name (which two partners may share)."""

    by_name: dict[str, int]
    by_short_name: dict[str, set[int]]
    words: dict[str, int]  # each name, and each short name no other partner has, as written -> the id

    @classmethod
    def load(cls, session: Session) -> _Directory:
        by_name: dict[str, int] = {}
        by_short_name: dict[str, set[int]] = {}
        shorts: dict[str, tuple[str, int]] = {}
        words: dict[str, int] = {}
        for partner_id, name, short_name in session.execute(
            select(Organization.id, Organization.name, Organization.short_name)
        ):
            by_name[name_key(name)] = partner_id
            by_short_name.setdefault(name_key(short_name), set()).add(partner_id)
            shorts[name_key(short_name)] = (short_name, partner_id)
            words[name] = partner_id
        for key, (short_name, partner_id) in shorts.items():
            if len(by_short_name[key]) == 1:
                words.setdefault(short_name, partner_id)
        return cls(by_name, by_short_name, words)

    def find(self, text: str) -> int | None | set[int]:
        """The partner's id; None if there is none; the ids if a short name is shared."""
        key = name_key(text)
        if key in self.by_name:
            return self.by_name[key]
        ids = self.by_short_name.get(key, set())
        if len(ids) == 1:
            return next(iter(ids))
        return ids or None


def _organizations(
    cell: Any,
    role_cell: Any,
    directory: _Directory,
    roles: tuple[Mapping[str, str], Mapping[str, str]],
    row: int,
    resolver: Resolver,
) -> tuple[list[tuple[int, str]], list[Problem]]:
    """(partner id, role) for each name in the cell, and the names not found.

    The role column gives one role to every partner in the row; a partner written as
    `Фондация „АДРА“ (финансира)` has its own (the export writes that when roles differ).
    `roles`: the accepted spellings of roles, and the words to suggest.
    """
    problems: list[Problem] = []
    role_words, role_choices = roles
    role_text = collapse_spaces(str(role_cell or ""))
    default_role, suggested = (
        resolver.known("role", role_text, role_words, role_choices, row, code="unknown_choice")
        if role_text
        else (DEFAULT_ROLE, None)
    )
    if default_role is None:
        problems.append(suggested or Problem("role", "unknown_choice", {"value": role_text}, row))
        default_role = DEFAULT_ROLE
    links: list[tuple[int, str]] = []
    for part in _split(cell):
        # A name that itself ends in a role word, `Клуб (гост)`, is still found by the whole text.
        name, role = (part, None) if directory.find(part) is not None else _name_and_role(part, role_words)
        found = directory.find(name)
        if found is None:
            found, suggested = resolver.known(
                "organizations", name, {}, directory.words, row, code="unknown_organization"
            )
            if found is None:
                problems.append(suggested or Problem("organizations", "unknown_organization", {"value": name}, row))
                continue
        if isinstance(found, set):
            problems.append(Problem("organizations", "ambiguous_organization", {"value": name}, row))
        else:
            links.append((found, role or default_role))
    return links, problems


def _name_and_role(part: str, roles: Mapping[str, str]) -> tuple[str, str | None]:
    name, _, rest = part.rpartition("(")
    if name and rest.endswith(")") and name_key(rest[:-1]) in roles:
        return collapse_spaces(name), roles[name_key(rest[:-1])]
    return part, None


def _checked_activities(
    session: Session, actor: Actor, rows: Sequence[Mapping[str, Any]], resolver: Resolver, *, today: date | None
) -> tuple[list[Checked], list[Problem]]:
    types = _vocabulary_words(session, ActivityType)
    type_choices = _vocabulary_choices(session, ActivityType)
    type_codes = sorted(set(types.values()))
    roles = (_fixed_words(ROLE_WORDS), _fixed_choices(ROLE_WORDS))
    statuses = _fixed_words(STATUS_WORDS)
    status_choices = _fixed_choices(STATUS_WORDS)
    yes_no = _fixed_words(YES_NO_WORDS)
    directory = _Directory.load(session)
    partner_ids = sorted(set(directory.by_name.values()))
    schools = _Schools.load(session, actor)
    taken = _existing_activity_keys(session, rows)
    first_rows: dict[tuple[int, date, str, str], int] = {}
    checked: list[Checked] = []
    problems: list[Problem] = []
    for row in rows:
        number = row["_row"]
        links, found = _organizations(row.get("organizations"), row.get("role"), directory, roles, number, resolver)
        raw = {name: value for name, value in row.items() if name not in ("_row", "role")}
        suggested: list[Problem | None] = []
        for name, words, choices in (("type", types, type_choices), ("status", statuses, status_choices)):
            text = collapse_spaces(str(row.get(name) or ""))
            code, better = (
                resolver.known(name, text, words, choices, number, code="unknown_choice") if text else ("", None)
            )
            raw[name] = text if code is None else code
            suggested.append(better)
        raw["organizations"] = links
        raw["school"], school_problems = schools.find(row.get("school"), number)
        flags, unknown = _flags("activities", row, yes_no)
        clean, errors = check_activity(
            raw | flags, types=type_codes, organization_ids=partner_ids, school_ids=schools.ids, today=today, row=number
        )
        errors = _better(errors, suggested) + unknown + school_problems
        if found and not links:
            # The names were given but none is known: that is said below, not "required" as well.
            errors = [p for p in errors if (p.field, p.code) != ("organizations", "required")]
        problems += errors + found
        if clean["start_date"] and clean["title"] and clean["type"] in type_codes and clean["school"] is not None:
            problems += _activity_duplicate(clean, number, taken, first_rows)
        checked.append((number, clean))
    return checked, problems


@dataclass(frozen=True)
class _Schools:
    """The schools a file's `school` column may name (by name, short name or slug, any case), and the one
    a row without it is for: the importing account's school, else the first school."""

    by_word: dict[str, int]
    ids: list[int]
    own: int
    actor: Actor

    @classmethod
    def load(cls, session: Session, actor: Actor) -> _Schools:
        by_word: dict[str, int] = {}
        ids = []
        for school_id, slug, name, short_name in session.execute(
            select(School.id, School.slug, School.name, School.short_name).order_by(School.id)
        ):
            ids.append(school_id)
            for word in (slug, name, short_name):
                by_word.setdefault(name_key(word), school_id)
        return cls(by_word, ids, own_school(session, actor), actor)

    def find(self, cell: Any, number: int) -> tuple[int | None, list[Problem]]:
        """The row's school id, or None with the problem: unknown, or one the account may not write in."""
        text = collapse_spaces(str(cell or ""))
        school_id = self.by_word.get(name_key(text)) if text else self.own
        if school_id is None:
            return None, [Problem("school", "unknown_choice", {"value": text}, number)]
        if not self.actor.can_in("editor", school_id):
            return None, [Problem("school", "school_not_allowed", {"value": text}, number)]
        return school_id, []


def _activity_duplicate(
    clean: Mapping[str, Any],
    number: int,
    taken: set[tuple[int, date, str, str]],
    first_rows: dict[tuple[int, date, str, str], int],
) -> list[Problem]:
    key = (clean["school"], clean["start_date"], clean["type"], name_key(clean["title"]))
    if key in taken:
        return [Problem("title", "duplicate_activity", {"value": clean["title"]}, number)]
    if key in first_rows:
        return [Problem("title", "duplicate_in_file", {"value": clean["title"], "first_row": first_rows[key]}, number)]
    first_rows[key] = number
    return []


def _existing_activity_keys(session: Session, rows: Sequence[Mapping[str, Any]]) -> set[tuple[int, date, str, str]]:
    """The natural keys (school, start_date, type code, title_key) already recorded on the days the file names."""
    days = sorted({day for day in (parse_date(row.get("start_date")) for row in rows) if isinstance(day, date)})
    keys: set[tuple[int, date, str, str]] = set()
    for first in range(0, len(days), _QUERY_CHUNK):
        statement = (
            select(Activity.school_id, Activity.start_date, ActivityType.code, Activity.title_key)
            .join(ActivityType, ActivityType.id == Activity.type_id)
            .where(Activity.start_date.in_(days[first : first + _QUERY_CHUNK]))
        )
        keys.update((school, day, code, key) for school, day, code, key in session.execute(statement))
    return keys


def _add_activities(
    session: Session, actor: Actor, checked: Sequence[Checked], filename: str, resolver: Resolver
) -> None:
    _written(session, add_activities(session.connection(), actor, checked, filename))


def _written(session: Session, activity_ids: list[int]) -> None:
    """The one place where an import's new activities are known, by id in row order, with their links written.

    Still inside the import's transaction: whatever is kept from activities and not by triggers (issue
    11's rollups) is to be brought up to date here, so that it commits or rolls back with them.
    """
