"""Checking what a person typed or a file held, before anything is written.

Validators take raw values (strings from a file, or typed values from a form) and
return clean values plus every problem found, each as a code with its field, so that
the screen and the command line can say it in the user's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from db.fields import LONG_TEXT_LIMIT, Field, Kind, declared, declared_field, problem_order
from db.models import ROLES, ActivityType, FocusArea, PartnerKind
from db.text import collapse_spaces, printable

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A plain web address: http(s)://, a site's name with a dot (letters of any script, an optional port),
# then an optional path, query or fragment. No user name before the site (`https://school.bg@evil.example`
# opens evil.example), and none of the characters that end or nest a link where an address is shown
# or written as Markdown or HTML (`https://ok.example/x)[evil](javascript:alert(1))`): a browser's
# address bar writes them as %28, %5B, … anyway.
WEB = re.compile(r"^https?://(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W_][\w-]*(?::\d{1,5})?(?:[/?#]\S*)?$", re.IGNORECASE)
NOT_IN_LINKS = "()[]{}<>\"'`|\\^"
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y")
# Where a year or a month is enough (a partnership's start): `09.2010` is 1 September 2010, `2012` 1 January 2012.
MONTH_FORMATS = ("%m.%Y", "%m/%Y", "%Y-%m")
YEARS = range(1900, 2101)
MAX_COUNT = 1_000_000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: `code` names the message, `field` the column or form field."""

    field: str
    code: str
    values: Mapping[str, Any] = dataclass_field(default_factory=dict)
    row: int | None = None


class InvalidInput(Exception):
    """The input has problems; nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = list(problems)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN from an empty spreadsheet cell
        return ""
    return collapse_spaces(printable(str(value)))


def link_problem(address: str) -> str | None:
    """Why `address` is not a plain web address (a problem code), or None when it is one or is empty."""
    if not address:
        return None
    if not address.lower().startswith(("http://", "https://")):
        return "bad_link"
    if any(c.isspace() for c in address):
        return "link_spaces"
    if any(c in NOT_IN_LINKS for c in address):
        return "link_characters"
    return None if WEB.match(address) else "bad_link"


def is_plain_web_address(address: str) -> bool:
    """True for a non-empty plain http(s) address, the only kind the app stores or offers as a link."""
    return bool(address) and link_problem(address) is None


def parse_date(value: Any) -> date | None | str:
    """A date from a form, a spreadsheet cell or text (`08.04.2014`, `2014-04-08`); None for none;
    `bad` if unreadable, `out_of_range` outside the years 1900–2100."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value if value.year in YEARS else "out_of_range"
    text = _text(value)
    if not text:
        return None
    return _date_from_text(text)


@lru_cache(maxsize=4096)
def _date_from_text(text: str) -> date | str:
    """parse_date of a text; cached, since strptime is slow and an import's rows share their dates."""
    for pattern in DATE_FORMATS:
        try:
            day = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        # `31.12.9999` or `01.01.0001` is a typo, and year 10000 has no school year to show it in.
        return day if day.year in YEARS else "out_of_range"
    return "bad"


def parse_partial_date(value: Any) -> date | None | str:
    """parse_date, or the first day of a month (`09.2010`) or of a year (`2012`, also a number from Excel)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == int(value) and int(value) in YEARS:
        return date(int(value), 1, 1)
    found = parse_date(value)
    if found != "bad":
        return found  # a date, none, or out of range
    text = _text(value)
    if re.fullmatch(r"\d{4}", text) and int(text) in YEARS:
        return date(int(text), 1, 1)
    for pattern in MONTH_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return "bad"


def parse_count(value: Any) -> int | None | str:
    """A non-negative whole number, None for empty, or a problem code."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "not_a_number"
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if value != value:
            return None
        if not value.is_integer():
            return "not_a_whole_number"
        number = int(value)
    else:
        text = _text(value).replace("\u00a0", "").replace(" ", "")
        if not text:
            return None
        if not re.fullmatch(r"[+-]?\d+", text):
            return "not_a_whole_number" if re.fullmatch(r"[+-]?\d+[.,]\d+", text) else "not_a_number"
        number = int(text)
    if number < 0:
        return "negative"
    if number > MAX_COUNT:
        return "too_large"
    return number


class _Checker:
    def __init__(self, raw: Mapping[str, Any], row: int | None) -> None:
        self.raw = raw
        self.row = row
        self.problems: list[Problem] = []
        self.clean: dict[str, Any] = {}

    def problem(self, name: str, code: str, **values: Any) -> None:
        self.problems.append(Problem(name, code, values, self.row))

    def text(self, name: str, *, required: bool = False, limit: int | None = None) -> str:
        value = _text(self.raw.get(name))
        if required and not value:
            self.problem(name, "required")
        if limit and len(value) > limit:
            self.problem(name, "too_long", limit=limit)
        self.clean[name] = value
        return value

    def long_text(self, name: str) -> str:
        value = printable(str(self.raw.get(name) or "")).strip()
        if len(value) > LONG_TEXT_LIMIT:
            self.problem(name, "too_long", limit=LONG_TEXT_LIMIT)
        self.clean[name] = value
        return value

    def choice(self, name: str, allowed: Sequence[str], *, required: bool = True) -> str:
        value = _text(self.raw.get(name))
        if not value:
            if required:
                self.problem(name, "required")
        elif value not in allowed:
            self.problem(name, "unknown_choice", value=value)
        self.clean[name] = value
        return value

    def date(self, name: str, *, required: bool = False, partial: bool = False) -> date | None:
        value = (parse_partial_date if partial else parse_date)(self.raw.get(name))
        if value == "bad":
            self.problem(name, "bad_month" if partial else "bad_date", value=_text(self.raw.get(name)))
            value = None
        elif value == "out_of_range":
            shown = self.raw.get(name)
            written = shown.strftime("%d.%m.%Y") if isinstance(shown, date) else _text(shown)
            self.problem(name, "date_out_of_range", value=written, first=YEARS.start, last=YEARS.stop - 1)
            value = None
        elif value is None and required:
            self.problem(name, "required")
        self.clean[name] = value
        return value  # type: ignore[return-value]

    def count(self, name: str) -> int | None:
        value = parse_count(self.raw.get(name))
        if isinstance(value, str):
            self.problem(name, value, value=_text(self.raw.get(name)), limit=MAX_COUNT)
            value = None
        self.clean[name] = value
        return value

    def pattern(self, name: str, regex: re.Pattern[str], code: str) -> str:
        value = _text(self.raw.get(name))
        if value and not regex.match(value):
            self.problem(name, code, value=value)
        self.clean[name] = value
        return value

    def link(self, name: str, *, limit: int | None) -> str:
        """A plain http(s) address (see WEB), or nothing; each problem told once, the first found."""
        value = _text(self.raw.get(name))
        self.clean[name] = value
        code = link_problem(value)
        if code == "link_characters":
            characters = "".join(dict.fromkeys(c for c in value if c in NOT_IN_LINKS))
            self.problem(name, code, value=value, characters=" ".join(characters))
        elif code:
            self.problem(name, code, value=value)
        elif limit and len(value) > limit:
            self.problem(name, "too_long", limit=limit)
        return value

    def codes(self, name: str, allowed: Sequence[str]) -> list[str]:
        """Codes from a list, or from text separated by `;`; each unknown one is a problem."""
        values = self.raw.get(name) or []
        if isinstance(values, str):
            values = [v for v in (collapse_spaces(part) for part in values.split(";")) if v]
        for value in values:
            if value not in allowed:
                self.problem(name, "unknown_choice", value=value)
        known = [v for v in dict.fromkeys(values) if v in allowed]
        self.clean[name] = known
        return known

    def school(self, name: str, allowed: Sequence[int] | None) -> int | None:
        """A school's id, or None (the writer's own school decides); `allowed` None: any id is taken
        (the write checks it against the schools on record)."""
        value = self.raw.get(name)
        if value in (None, ""):
            self.clean[name] = None
            return None
        if isinstance(value, bool) or not isinstance(value, int) or (allowed is not None and value not in allowed):
            self.problem(name, "unknown_choice", value=_text(value))
            value = None
        self.clean[name] = value
        return value

    def flag(self, name: str, *, default: bool) -> bool:
        value = bool(self.raw.get(name, default))
        self.clean[name] = value
        return value

    def fields(self, fields: Sequence[Field], vocabularies: Mapping[Any, Any]) -> None:
        """Check every declared field by its kind; partner links are left to the caller."""
        for field in fields:
            name, kind = field.name, field.kind
            if kind is Kind.TEXT:
                self.text(name, required=field.required, limit=field.limit)
            elif kind is Kind.LONG_TEXT:
                self.long_text(name)
            elif kind is Kind.LINK:
                self.link(name, limit=field.limit)
            elif kind is Kind.EMAIL:
                self.pattern(name, EMAIL, "bad_email")
            elif kind is Kind.CHOICE:
                self.choice(name, field.choices, required=field.required)
            elif kind is Kind.VOCABULARY:
                self.choice(name, vocabularies[field.vocabulary], required=field.required)
            elif kind is Kind.CODES:
                self.codes(name, vocabularies[field.vocabulary])
            elif kind is Kind.DATE:
                self.date(name, required=field.required, partial=field.partial_date)
            elif kind is Kind.COUNT:
                self.count(name)
            elif kind is Kind.FLAG:
                self.flag(name, default=field.default)
            elif kind is Kind.SCHOOL:
                self.school(name, vocabularies.get(Kind.SCHOOL))

    def in_order(self, names: Sequence[str]) -> list[Problem]:
        """The problems in the order of the fields, those of one field in the order found."""
        position = {name: index for index, name in enumerate(names)}
        return sorted(self.problems, key=lambda problem: position.get(problem.field, len(position)))


def check_partner(
    raw: Mapping[str, Any], *, kinds: Sequence[str], focus_areas: Sequence[str], row: int | None = None
) -> tuple[dict[str, Any], list[Problem]]:
    """Clean partner fields (db.fields: kind and focus areas as codes) and the problems in them, in field order."""
    check = _Checker(raw, row)
    check.fields(declared("partners"), {PartnerKind: kinds, FocusArea: focus_areas})
    name, short = check.clean["name"], check.clean["short_name"]
    if not short and name:
        limit = declared_field("partners", "short_name").limit
        if limit is None or len(name) <= limit:
            check.clean["short_name"] = name
        else:
            check.problem("short_name", "required")
    since = check.clean["partner_since"]
    if since and since > date.today():
        check.problem("partner_since", "in_future", value=since.isoformat())
    return check.clean, check.in_order(problem_order("partners"))


def check_activity(
    raw: Mapping[str, Any],
    *,
    types: Sequence[str],
    organization_ids: Sequence[int],
    school_ids: Sequence[int] | None = None,
    today: date | None = None,
    row: int | None = None,
) -> tuple[dict[str, Any], list[Problem]]:
    """Clean activity fields and the problems in them, in field order.

    Fields: db.fields' activity fields; type as a code, organizations as a list of (organization id, role),
    the school as an id (or None).
    """
    check = _Checker(raw, row)
    check.fields(declared("activities"), {ActivityType: types, Kind.SCHOOL: school_ids})
    start, end = check.clean["start_date"], check.clean["end_date"]
    if start and end and end < start:
        check.problem("end_date", "end_before_start")
    if end is not None and end == start:
        check.clean["end_date"] = None
    primary, secondary, reached = (check.clean.get(n) for n in ("pupils_primary", "pupils_secondary", "pupils_reached"))
    # The stages split the pupils reached: together they cannot be more (migration 0012).
    if primary is not None and secondary is not None and reached is not None and primary + secondary > reached:
        check.problem("pupils_secondary", "stages_above_pupils", value=primary + secondary, limit=reached)
    if start and not check.clean["status"]:
        check.clean["status"] = "held" if start <= (today or date.today()) else "planned"
    links = list(raw.get("organizations") or [])
    if not links:
        check.problem("organizations", "required")
    clean_links: dict[int, str] = {}
    for organization_id, role in links:
        if organization_id not in organization_ids:
            check.problem("organizations", "unknown_choice", value=str(organization_id))
        elif role not in ROLES:
            check.problem("role", "unknown_choice", value=role)
        else:
            clean_links.setdefault(organization_id, role)
    check.clean["organizations"] = list(clean_links.items())
    return check.clean, check.in_order(problem_order("activities"))
