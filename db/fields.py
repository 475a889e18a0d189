"""The fields of a partner and of an activity, declared once.

The audit snapshot, the write, the checks, the editing forms and the exchange format's
columns all read these declarations when they run, so that a field declared here is a
field everywhere. Labels are not here: each field's is `field.<name>` in the i18n catalogs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from db.models import STATUSES, ActivityType, FocusArea, PartnerKind, _Vocabulary

LONG_TEXT_LIMIT = 5000


class Kind(StrEnum):
    """What a field holds, which decides how it is checked, stored and shown."""

    TEXT = "text"  # one line, at most `limit` characters when a limit is given
    LONG_TEXT = "long_text"  # paragraphs, at most LONG_TEXT_LIMIT characters
    LINK = "link"  # a plain web address: http:// or https://, a site, no spaces or ( ) [ ] < > " ' (db.validation.WEB)
    EMAIL = "email"
    CHOICE = "choice"  # one of the fixed `choices`, stored as its code
    VOCABULARY = "vocabulary"  # one row of `vocabulary`, given by its code
    CODES = "codes"  # any rows of `vocabulary`, given by their codes
    DATE = "date"
    COUNT = "count"  # a whole number from 0, or none
    FLAG = "flag"  # yes or no; `default` when the input does not say
    PARTNERS = "partners"  # (partner id, role) pairs: the activity's links
    SCHOOL = "school"  # one school of the network, by id; none: the writer's own school, else the first one


def exchange_language(lang: str) -> str:
    """Which words of the exchange format a file in `lang` gets: it has Bulgarian and English ones only.

    Any other language writes the English headers, sheet names and words (the import reads both).
    """
    return "bg" if lang == "bg" else "en"


@dataclass(frozen=True)
class Column:
    """One column of the exchange format: the field it fills, its Bulgarian and English header."""

    field: str
    bg: str
    en: str
    required: bool = False

    def header(self, lang: str) -> str:
        """The header the export writes: `Кратко име`, `Short name` (the import accepts both, any case)."""
        text = self.bg if exchange_language(lang) == "bg" else self.en.replace("_", " ")
        return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Header:
    """A field's column in the exchange format; `required`: a file without the column is refused."""

    bg: str
    en: str
    required: bool = False


@dataclass(frozen=True)
class Field:
    """One field of a record: its name (the key of snapshots, checks and forms), kind and column."""

    name: str
    kind: Kind
    header: Header | None  # None: not in the exchange format
    required: bool = False
    limit: int | None = None
    attribute: str = ""  # the model's attribute; the name when empty
    vocabulary: type[_Vocabulary] | None = None
    choices: tuple[str, ...] = ()
    default: bool = False
    # A date that may be given as a year (`2012`, read as 1 January) or a month (`09.2010`, read as its first day).
    partial_date: bool = False
    # Columns that are read with this field but are not fields of their own (an activity's `role`).
    companions: tuple[tuple[str, Header], ...] = ()

    def __post_init__(self) -> None:
        if not self.attribute:
            object.__setattr__(self, "attribute", self.name)

    def columns(self) -> tuple[Column, ...]:
        """Its columns in the exchange format: its own, then its companions'."""
        own = [(self.name, self.header)] if self.header else []
        return tuple(Column(name, h.bg, h.en, h.required) for name, h in (*own, *self.companions))


# In the order of the exchange format's columns, which is also the order problems are told in.
PARTNER_FIELDS: tuple[Field, ...] = (
    Field("name", Kind.TEXT, Header("име", "name", required=True), required=True, limit=300),
    Field("short_name", Kind.TEXT, Header("кратко име", "short_name"), limit=60),
    Field("kind", Kind.VOCABULARY, Header("вид", "kind"), required=True, vocabulary=PartnerKind),
    Field("city", Kind.TEXT, Header("град", "city"), limit=120),
    Field("website", Kind.LINK, Header("уебсайт", "website"), limit=300),
    Field("email", Kind.EMAIL, Header("имейл", "email")),
    Field("phone", Kind.TEXT, Header("телефон", "phone")),
    Field("contact_person", Kind.TEXT, Header("лице за контакт", "contact"), limit=200),
    Field("mission", Kind.LONG_TEXT, Header("мисия", "mission")),
    Field("focus_areas", Kind.CODES, Header("направления", "focus_areas"), vocabulary=FocusArea),
    Field("partner_since", Kind.DATE, Header("партньор от", "partner_since"), partial_date=True),
    Field("is_active", Kind.FLAG, Header("активен", "active"), default=True),
)
ACTIVITY_FIELDS: tuple[Field, ...] = (
    # With one school the column may be left out of a file and the form does not ask (migration 0011).
    Field("school", Kind.SCHOOL, Header("училище", "school"), attribute="school_id"),
    Field("start_date", Kind.DATE, Header("дата", "date", required=True), required=True),
    Field("end_date", Kind.DATE, Header("крайна дата", "end_date")),
    Field("title", Kind.TEXT, Header("заглавие", "title", required=True), required=True, limit=300),
    Field("type", Kind.VOCABULARY, Header("вид", "type", required=True), required=True, vocabulary=ActivityType),
    Field(
        "organizations",
        Kind.PARTNERS,
        Header("организации", "organizations", required=True),
        required=True,
        attribute="links",
        companions=(("role", Header("роля", "role")),),
    ),
    # Not required: a missing status is taken from the date (db.validation).
    Field("status", Kind.CHOICE, Header("състояние", "status"), choices=STATUSES),
    Field("location", Kind.TEXT, Header("място", "location"), limit=200),
    Field("participants", Kind.COUNT, Header("участници", "participants")),
    Field("pupils_reached", Kind.COUNT, Header("ученици", "students")),
    # The pupils reached by stage, and the parents and teachers who took part (migration 0012), all optional.
    Field("pupils_primary", Kind.COUNT, Header("ученици I–IV клас", "pupils_grades_1–4")),
    Field("pupils_secondary", Kind.COUNT, Header("ученици V–VII клас", "pupils_grades_5–7")),
    Field("parents", Kind.COUNT, Header("родители", "parents")),
    Field("teachers", Kind.COUNT, Header("учители", "teachers")),
    Field("description", Kind.LONG_TEXT, Header("описание", "description")),
    Field("news_url", Kind.LINK, Header("връзка", "link"), limit=500),
    # Starred by an editor for the story of the year (content.gather: highlights first).
    Field("highlight", Kind.FLAG, Header("акцент", "highlight"), attribute="is_highlight", default=False),
)
# Read through this mapping when used, never copied at import: a field added to it is seen at once.
FIELDS: dict[str, tuple[Field, ...]] = {"partners": PARTNER_FIELDS, "activities": ACTIVITY_FIELDS}


def declared(table: str) -> tuple[Field, ...]:
    """The fields of `partners` or `activities`, as declared now."""
    return FIELDS[table]


def declared_field(table: str, name: str) -> Field:
    """One field of the table by its name."""
    return next(field for field in FIELDS[table] if field.name == name)


def exchange_columns(table: str) -> tuple[Column, ...]:
    """The table's columns in the exchange format, in the order the export writes them."""
    return tuple(column for field in FIELDS[table] for column in field.columns())


def problem_order(table: str) -> list[str]:
    """Field names in declared order, companions after their field: the order problems are told in."""
    return [name for field in FIELDS[table] for name in (field.name, *(name for name, _ in field.companions))]
