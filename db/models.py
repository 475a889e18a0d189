"""The record: partners, their activities with the school, and the vocabularies."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    false,
    func,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from db.school_year import school_year_of
from db.text import name_key, search_text

STATUSES = ("planned", "held", "cancelled")
ROLES = ("organizer", "partner", "funder", "guest")
USER_ROLES = ("viewer", "editor", "admin")
# The kinds of school in Bulgaria's law on pre-school and school education (чл. 38): начално (I–IV),
# основно (I–VII), обединено (I–X), средно (I–XII), профилирана and професионална гимназия; and a kindergarten.
SCHOOL_KINDS = ("primary", "basic", "united", "secondary", "profiled", "vocational", "kindergarten", "other")
ATTACHMENT_KINDS = ("photo", "document")
# Whether the parents' written consent to publish covers a photo („съгласие на родителите“): yes, no, or
# no children in the picture. Which of them a viewer may see is db.attachments.PUBLISHABLE, nowhere else.
CONSENTS = ("yes", "no", "no_children")

# Named constraints, so that later migrations can alter them on SQLite (batch mode) and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class _Vocabulary:
    """A controlled list with a stable code; its names in each language are in `vocabulary_names`."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class VocabularyName(Base):
    """The name of one term of a vocabulary in one language: (vocabulary, code, lang) -> name.

    `vocabulary` is the term's table (partner_kinds, activity_types, focus_areas) and `code` its stable code, so one
    table holds the names of all three vocabularies, and a new language is new rows, not new
    columns. `lang` is whatever code the app's language registry uses; db/ does not know the
    languages and stores any. There is no foreign key (a key cannot point into one of three
    tables); codes never change and terms are never deleted, and a term without a name in a
    language is shown by the app in its default language, else by its code.
    """

    __tablename__ = "vocabulary_names"
    __table_args__ = (
        CheckConstraint("vocabulary IN ('partner_kinds', 'activity_types', 'focus_areas')", name="vocabulary"),
    )

    vocabulary: Mapped[str] = mapped_column(String(20), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    lang: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))


class PartnerKind(_Vocabulary, Base):
    __tablename__ = "partner_kinds"


class ActivityType(_Vocabulary, Base):
    __tablename__ = "activity_types"


class FocusArea(_Vocabulary, Base):
    __tablename__ = "focus_areas"


organization_focus_areas = Table(
    "organization_focus_areas",
    Base.metadata,
    Column("organization_id", ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True),
    Column("focus_area_id", ForeignKey("focus_areas.id", ondelete="RESTRICT"), primary_key=True),
)


def _school_year_default(context) -> int:  # type: ignore[no-untyped-def]
    return school_year_of(context.get_current_parameters()["start_date"])


def _title_key_default(context) -> str:  # type: ignore[no-untyped-def]
    return name_key(context.get_current_parameters()["title"])


def partner_keys(name: str, short_name: str, city: str) -> dict[str, str]:
    """The columns a partner keeps from its names (as Organization's validator sets them): for a bulk insert."""
    return {"name_key": name_key(name), "search_text": search_text(name or "", short_name or "", city or "")}


def activity_keys(title: str, location: str, description: str, start_date: date) -> dict[str, Any]:
    """The columns an activity keeps from its fields (as Activity's validators set them): for a bulk insert."""
    return {
        "title_key": name_key(title),
        "school_year": school_year_of(start_date),
        "search_text": search_text(title or "", location or "", description or ""),
    }


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    # The name compared without case, extra spaces or quote marks: „Ларго“ and "ларго" are one partner.
    name_key: Mapped[str] = mapped_column(String(300), unique=True)
    short_name: Mapped[str] = mapped_column(String(60))
    kind_id: Mapped[int] = mapped_column(ForeignKey("partner_kinds.id", ondelete="RESTRICT"), index=True)
    mission: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    contact_person: Mapped[str] = mapped_column(String(200), default="")
    partner_since: Mapped[date | None] = mapped_column(Date)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # Casefolded in Python: SQLite's lower() and LIKE fold ASCII only, so Cyrillic search needs this.
    search_text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())

    kind: Mapped[PartnerKind] = relationship()
    focus_areas: Mapped[list[FocusArea]] = relationship(secondary=organization_focus_areas)
    links: Mapped[list[ActivityOrganization]] = relationship(back_populates="organization")

    @validates("name", "short_name", "city")
    def _keep_keys(self, field: str, value: str) -> str:
        if field == "name":
            self.name_key = name_key(value)
        names = {"name": self.name or "", "short_name": self.short_name or "", "city": self.city or ""}
        names[field] = value
        self.search_text = search_text(*names.values())
        return value


class School(Base):
    """A school of the network (migration 0011). Its activities and outcomes are its own; partners are shared.

    A fresh install has one, the seed school, and with one school nothing of the network shows.
    `region` is the ISO 3166-2 code of its област (`BG-10` Кюстендил), which the map draws.
    """

    __tablename__ = "schools"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('primary', 'basic', 'united', 'secondary', 'profiled', 'vocational', 'kindergarten', 'other')",
            name="kind",
        ),
        CheckConstraint("latitude IS NULL OR (latitude BETWEEN -90 AND 90)", name="latitude"),
        CheckConstraint("longitude IS NULL OR (longitude BETWEEN -180 AND 180)", name="longitude"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    # As a partner's: „ОУ „Иван Вазов““ and "оу иван вазов" are one school.
    name_key: Mapped[str] = mapped_column(String(300), unique=True)
    short_name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20), default="basic")
    city: Mapped[str] = mapped_column(String(120), default="")
    municipality: Mapped[str] = mapped_column(String(120), default="")
    region: Mapped[str] = mapped_column(String(5), default="", index=True)
    website: Mapped[str] = mapped_column(String(300), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())

    @validates("name")
    def _keep_key(self, _field: str, value: str) -> str:
        self.name_key = name_key(value)
        return value


def default_school_id() -> Any:
    """The school a write that names none belongs to: the first one (the seed school of a fresh install)."""
    return select(func.min(School.id)).scalar_subquery()


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'held', 'cancelled')", name="status"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
        CheckConstraint("participants IS NULL OR participants >= 0", name="participants"),
        CheckConstraint("pupils_reached IS NULL OR pupils_reached >= 0", name="pupils_reached"),
        Index("ix_activities_school_year_start", "school_year", "start_date"),
        Index("ix_activities_start_date", "start_date"),
        Index("ix_activities_type_start", "type_id", "start_date"),
        # Covers the charts' counts of held activities: read alone, in group order (migration 0004).
        Index(
            "ix_activities_status_year_type",
            "status",
            "school_year",
            "type_id",
            "start_date",
            "participants",
            "pupils_reached",
        ),
        # The same title, type and day at the same school is the same activity: an import or a double click
        # cannot add it twice (two schools may each hold their „8 април“; migration 0011).
        Index("uq_activities_natural_key", "school_id", "start_date", "type_id", "title_key", unique=True),
        # One school's activities by year: a school's screens count from its own rows (migration 0011).
        Index("ix_activities_school_year", "school_id", "school_year", "start_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"), default=default_school_id())
    title: Mapped[str] = mapped_column(String(300))
    title_key: Mapped[str] = mapped_column(String(300), default=_title_key_default)
    type_id: Mapped[int] = mapped_column(ForeignKey("activity_types.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(10), default="held")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    # Derived from start_date on every write; stored so that filters and GROUP BY use an index.
    school_year: Mapped[int] = mapped_column(Integer, default=_school_year_default)
    location: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    participants: Mapped[int | None] = mapped_column(Integer)
    pupils_reached: Mapped[int | None] = mapped_column(Integer)
    # Who the activity reached, where the school tells it (migration 0012): pupils by stage, parents, teachers.
    pupils_primary: Mapped[int | None] = mapped_column(Integer)
    pupils_secondary: Mapped[int | None] = mapped_column(Integer)
    parents: Mapped[int | None] = mapped_column(Integer)
    teachers: Mapped[int | None] = mapped_column(Integer)
    news_url: Mapped[str] = mapped_column(String(500), default="")
    # Starred by an editor: the story of the year opens with it (migration 0014).
    is_highlight: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # Title, place and description casefolded in Python, for the search over activities (migration 0006).
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())

    type: Mapped[ActivityType] = relationship()
    school: Mapped[School] = relationship()
    links: Mapped[list[ActivityOrganization]] = relationship(back_populates="activity", cascade="all, delete-orphan")

    @validates("start_date")
    def _keep_school_year(self, _field: str, value: date) -> date:
        self.school_year = school_year_of(value)
        return value

    @validates("title", "location", "description")
    def _keep_keys(self, field: str, value: str) -> str:
        if field == "title":
            self.title_key = name_key(value)
        parts = {"title": self.title or "", "location": self.location or "", "description": self.description or ""}
        parts[field] = value or ""
        self.search_text = search_text(*parts.values())
        return value


class ActivityOrganization(Base):
    """Who took part in an activity, and in which role."""

    __tablename__ = "activity_organizations"
    __table_args__ = (
        CheckConstraint("role IN ('organizer', 'partner', 'funder', 'guest')", name="role"),
        Index("ix_activity_organizations_organization", "organization_id", "activity_id"),
    )

    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"), primary_key=True)
    role: Mapped[str] = mapped_column(String(12), default="partner")

    activity: Mapped[Activity] = relationship(back_populates="links")
    organization: Mapped[Organization] = relationship(back_populates="links")


class SchoolOutcome(Base):
    """One figure a school reports for a school year (db/indicators.py names them), with its target.

    Aggregates only: the record holds no data about any one pupil (migration 0012). `school_year` is the
    calendar year the school year starts in (2023 for 2023/2024).
    """

    __tablename__ = "school_outcomes"
    __table_args__ = (
        CheckConstraint("value >= 0", name="value"),
        CheckConstraint("target IS NULL OR target >= 0", name="target"),
    )

    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"), primary_key=True)
    school_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator: Mapped[str] = mapped_column(String(40), primary_key=True)
    # Floats in Python: SQLite has no decimals, and a percent to two places needs none.
    value: Mapped[float] = mapped_column(Numeric(12, 2, asdecimal=False))
    target: Mapped[float | None] = mapped_column(Numeric(12, 2, asdecimal=False))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class Attachment(Base):
    """A photo or a document of an activity, its bytes in the record itself (migration 0013).

    In the database, not in files beside it, so that every backup and restore carries them with nothing
    more. A photo is stored as the server re-encoded it (db/attachments.py: JPEG, no EXIF, at most
    1600 px, with a thumbnail); a document (PDF) as it was given. `sha256` is the stored bytes' digest,
    checked again on every restore. `consent` is a photo's (CONSENTS), None for a document.
    """

    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint("kind IN ('photo', 'document')", name="kind"),
        CheckConstraint("consent IS NULL OR consent IN ('yes', 'no', 'no_children')", name="consent"),
        CheckConstraint("kind = 'document' OR consent IS NOT NULL", name="photo_consent"),
        CheckConstraint("byte_size >= 0", name="byte_size"),
        Index("ix_attachments_activity", "activity_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    media_type: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(String(200), default="")
    data: Mapped[bytes] = mapped_column(LargeBinary)
    thumbnail: Mapped[bytes | None] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    byte_size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    caption: Mapped[str] = mapped_column(String(300), default="")
    credit: Mapped[str] = mapped_column(String(200), default="")
    consent: Mapped[str | None] = mapped_column(String(12))
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    created_by: Mapped[str] = mapped_column(String(80), default="")


class User(Base):
    """A local account. Passwords are stored only as Argon2 hashes.

    `school_id` None: the role holds across the network (network viewer, editor, admin); a school's: the
    role holds in that school only, and elsewhere the account is a viewer (migration 0011).
    """

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('viewer', 'editor', 'admin')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())


class LoginFailure(Base):
    """A failed login (or one waiting for its turn), kept for a while so that guessing passwords gets slower:
    per login name, per client address and overall (db/accounts.py)."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_login_at", "login", "at"),
        Index("ix_login_failures_client_at", "client", "at"),
        Index("ix_login_failures_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(80))
    # The address the attempt came from (an IPv6 one by its /64), "" when unknown or this machine.
    client: Mapped[str] = mapped_column(String(45), default="", server_default="")
    at: Mapped[datetime] = mapped_column(DateTime)


class AuditEntry(Base):
    """Who changed what and when, with the record before and after (JSON)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"), Index("ix_audit_log_entity", "entity", "entity_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    # The school the changed record belongs to (None: a partner, an account of the network, a vocabulary).
    school_id: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(String(300), default="")
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)


# ---- kept by triggers (migration 0008, db/rollups.py) -----------------------------------------
# Counts the charts and figures ask for, kept exact by triggers on activities and their links in the
# same transaction as every write, so that counting per partner reads about 110 thousand rows rather
# than walking 1.65 million links at a million activities. No foreign keys: only the triggers write them.

activity_rollup = Table(
    "activity_rollup",
    Base.metadata,
    Column("status", String(10), primary_key=True),
    Column("school_year", Integer, primary_key=True),
    Column("type_id", Integer, primary_key=True),
    Column("month", String(7), primary_key=True),  # `2014-04`, of the start date
    Column("activities", Integer, nullable=False),
    Column("participants", BigInteger, nullable=False),
    Column("pupils", BigInteger, nullable=False),
    sqlite_with_rowid=False,  # stored in the key's order (migration 0010)
)
"""Activities per status, school year, type and calendar month, with their participants and pupils reached."""

partner_rollup = Table(
    "partner_rollup",
    Base.metadata,
    Column("status", String(10), primary_key=True),
    Column("organization_id", Integer, primary_key=True),
    Column("school_year", Integer, primary_key=True),
    Column("type_id", Integer, primary_key=True),
    Column("activities", Integer, nullable=False),
    Column("participants", BigInteger, nullable=False),
    Column("pupils", BigInteger, nullable=False),
    Column("first_date", Date, nullable=False),
    Column("last_date", Date, nullable=False),
    sqlite_with_rowid=False,  # stored in the key's order (migration 0010)
)
"""Per partner: activities per status, school year and type, their sums and their first and last day."""

school_rollup = Table(
    "school_rollup",
    Base.metadata,
    Column("status", String(10), primary_key=True),
    Column("school_id", Integer, primary_key=True),
    Column("school_year", Integer, primary_key=True),
    Column("type_id", Integer, primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("activities", Integer, nullable=False),
    Column("participants", BigInteger, nullable=False),
    Column("pupils", BigInteger, nullable=False),
    sqlite_with_rowid=False,
)
"""`activity_rollup` per school (migration 0011): a school's charts and the schools compared."""

school_partner_rollup = Table(
    "school_partner_rollup",
    Base.metadata,
    Column("status", String(10), primary_key=True),
    Column("school_id", Integer, primary_key=True),
    Column("organization_id", Integer, primary_key=True),
    Column("school_year", Integer, primary_key=True),
    Column("activities", Integer, nullable=False),
    Column("participants", BigInteger, nullable=False),
    Column("pupils", BigInteger, nullable=False),
    Index("ix_school_partner_rollup_partner", "organization_id", "school_id"),
    sqlite_with_rowid=False,
)
"""Which schools work with which partner, per status and school year (migration 0011): a partner's reach,
a school's partners and the partners counted per school."""

data_revision = Table(
    "data_revision",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("revision", BigInteger, nullable=False),
    CheckConstraint("id = 1", name="one_row"),
)
"""One row: a number replaced (at random) by every change to what the screens show, so caches key on it."""
