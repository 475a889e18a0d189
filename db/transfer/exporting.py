"""Exporting partners and activities to .csv and .xlsx files that the import reads back.

The frames hold each record as the exchange format writes it: vocabulary names and
roles in the chosen language, dates as dates, counts as whole numbers. The file writers
only turn headers into the chosen language and make every cell safe to open in Excel:
text that Excel would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return) is
written as text.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal

import pandas as pd
from sqlalchemy import Engine, and_, func, select
from sqlalchemy.orm import Session, selectinload

from db.fields import Column, Field, Kind, declared, exchange_language
from db.filters import ActivityFilters, activity_conditions
from db.models import Activity, ActivityOrganization, ActivityType, Organization, School, VocabularyName
from db.text import name_key, printable
from db.transfer.reading import (
    COLUMNS,
    FORMULA_STARTS,
    LIST_SEPARATOR,
    ROLE_WORDS,
    SHEET_NAMES,
    STATUS_WORDS,
    TABLES,
    YES_NO_WORDS,
    Table,
    safe_openpyxl,
)

CSV_SEPARATOR = ";"  # Bulgarian Excel splits columns on `;` (its list separator), not on `,`
XLSX_DATE_FORMAT = "DD.MM.YYYY"
CSV_DATE_FORMAT = "%d.%m.%Y"
# Kinds whose value goes into its cell as the record holds it.
_AS_STORED = (Kind.TEXT, Kind.LONG_TEXT, Kind.LINK, Kind.EMAIL, Kind.DATE, Kind.COUNT)
_WIDTHS = {"name": 40, "title": 50, "organizations": 50, "mission": 60, "description": 60, "news_url": 40}


def _word(words: Mapping[str, tuple[str, str]], code: str, lang: str) -> str:
    return words[code][0 if exchange_language(lang) == "bg" else 1]


def _yes_no(value: bool, lang: str) -> str:
    return YES_NO_WORDS[value][0 if exchange_language(lang) == "bg" else 1]


def _fields(table: Table, *, schools: bool = False) -> list[str]:
    """The names of the table's columns, in the order the file has them; the school's only with `schools`
    (a network's file: with one school the column is left out, and the import reads a file without it)."""
    return [column.field for column in COLUMNS[table] if schools or column.field != "school"]


def _plain_cells(fields: tuple[Field, ...], record: Any, lang: str) -> dict[str, Any]:
    """The cells that need no lookup, from a record or a row with the fields' attributes: flags as yes/no words."""
    cells = {}
    for field in fields:
        if field.header is not None and field.kind in _AS_STORED:
            cells[field.name] = getattr(record, field.attribute)
        elif field.header is not None and field.kind is Kind.FLAG:
            cells[field.name] = _yes_no(getattr(record, field.attribute), lang)
    return cells


def _vocabulary_names(session: Session, lang: str) -> dict[tuple[str, str], str]:
    """(vocabulary, code) -> the term's name in `lang`; a term not named in `lang` is written as
    its code, which the import reads back as well as a name."""
    named = select(VocabularyName.vocabulary, VocabularyName.code, VocabularyName.name).where(
        VocabularyName.lang == lang
    )
    return {(vocabulary, code): name for vocabulary, code, name in session.execute(named)}


def export_partners(engine: Engine, *, lang: str = "bg") -> pd.DataFrame:
    """Every partner, by name. Columns: COLUMNS["partners"]; focus_areas as names joined by `; `,
    partner_since a date or None, is_active `да`/`не` (`yes`/`no`); kinds and focus areas named in `lang`.
    """
    with Session(engine) as session:
        names = _vocabulary_names(session, lang)
        partners = session.scalars(
            select(Organization)
            .options(selectinload(Organization.kind), selectinload(Organization.focus_areas))
            .order_by(Organization.name_key)
        )
        fields = declared("partners")
        records = [
            _plain_cells(fields, p, lang)
            | {
                "kind": names.get(("partner_kinds", p.kind.code), p.kind.code),
                "focus_areas": f"{LIST_SEPARATOR} ".join(
                    names.get(("focus_areas", a.code), a.code)
                    for a in sorted(p.focus_areas, key=lambda a: a.sort_order)
                ),
            }
            for p in partners
        ]
    return pd.DataFrame(records, columns=_fields("partners"), dtype=object)


def export_activities(engine: Engine, filters: ActivityFilters, *, lang: str = "bg") -> pd.DataFrame:
    """The activities in the filters, oldest first. Columns: COLUMNS["activities"]; dates as dates or None,
    counts as whole numbers or None, organizations as partner names joined by `; `; types, roles and
    statuses in `lang`.

    When an activity's partners have different roles, each name carries its own (`Име (финансира)`)
    and `role` is empty.
    """
    named = and_(
        VocabularyName.vocabulary == "activity_types",
        VocabularyName.code == ActivityType.code,
        VocabularyName.lang == lang,
    )
    fields = declared("activities")
    plain = [field for field in fields if field.kind in (*_AS_STORED, Kind.FLAG)]
    statement = (
        select(
            Activity.id,
            # A type not named in `lang` is written as its code, which the import reads back too.
            func.coalesce(VocabularyName.name, ActivityType.code).label("type_name"),
            Activity.status,
            School.short_name.label("school_name"),
            *(getattr(Activity, field.attribute) for field in plain),
        )
        .join(ActivityType, ActivityType.id == Activity.type_id)
        .join(School, School.id == Activity.school_id)
        .outerjoin(VocabularyName, named)
        .where(*activity_conditions(filters))
        .order_by(Activity.start_date, Activity.id)
    )
    with engine.connect() as connection:
        activities = connection.execute(statement).all()
        links = _links(connection, filters)
        several_schools = (connection.scalar(select(func.count()).select_from(School)) or 0) > 1
    records = []
    for row in activities:
        organizations, role = _organizations_cell(links.get(row.id, []), lang)
        records.append(
            _plain_cells(fields, row, lang)
            | {
                "type": row.type_name,
                "organizations": organizations,
                "role": role,
                "status": _word(STATUS_WORDS, row.status, lang),
                "school": row.school_name,
            }
        )
    return pd.DataFrame(records, columns=_fields("activities", schools=several_schools), dtype=object)


def listed_activities(activities: pd.DataFrame, type_names: Mapping[str, str], *, lang: str = "bg") -> pd.DataFrame:
    """The rows of a listing (`queries.activity_list`) in the exchange format's columns, in their order.

    What a table on a page shows, for its own download: the files' writers make it safe to open in
    Excel, which the table's built-in CSV download did not (it is switched off, `client.disableDataExport`).
    The partners are the listing's short names and the description is not among its columns.
    """
    present = {
        "start_date": pd.to_datetime(activities["start_date"]).dt.date,
        "end_date": [None if pd.isna(day) else pd.Timestamp(day).date() for day in activities["end_date"]],
        "title": activities["title"],
        "type": activities["type_code"].map(lambda code: type_names.get(code, code)),
        "organizations": activities["organizations"].fillna(""),
        "status": activities["status"].map(lambda status: _word(STATUS_WORDS, status, lang)),
        "location": activities["location"],
        "participants": activities["participants"],
        "pupils_reached": activities["pupils_reached"],
        "news_url": activities["news_url"],
    }
    columns = [field for field in _fields("activities") if field in present]
    return pd.DataFrame({field: list(present[field]) for field in columns}, columns=columns, dtype=object)


def _links(connection: Any, filters: ActivityFilters) -> dict[int, list[tuple[str, str]]]:
    """activity id -> (partner as listed, role code), by name, for the activities in the filters."""
    listed = _listed_names(connection)
    chosen = select(Activity.id).where(*activity_conditions(filters))
    statement = (
        select(ActivityOrganization.activity_id, ActivityOrganization.organization_id, ActivityOrganization.role)
        .join(Organization, Organization.id == ActivityOrganization.organization_id)
        .where(ActivityOrganization.activity_id.in_(chosen))
        .order_by(ActivityOrganization.activity_id, Organization.name_key)
    )
    links: dict[int, list[tuple[str, str]]] = {}
    for activity_id, organization_id, role in connection.execute(statement):
        links.setdefault(activity_id, []).append((listed[organization_id], role))
    return links


def _listed_names(connection: Any) -> dict[int, str]:
    """How each partner is written in an `organizations` cell: its name, unless that holds the list separator.

    A name with `;` would be split in two on the way back in; its short name is written
    instead when that names this partner alone. (If neither can, the name is written and
    the import says which partner it cannot find, rather than guessing.)
    """
    partners = connection.execute(select(Organization.id, Organization.name, Organization.short_name)).all()
    name_keys = {name_key(name) for _, name, _ in partners}
    short_keys = Counter(name_key(short_name) for _, _, short_name in partners)
    listed = {}
    for partner_id, name, short_name in partners:
        key = name_key(short_name)
        alone = short_keys[key] == 1 and key not in name_keys and LIST_SEPARATOR not in short_name
        listed[partner_id] = short_name if LIST_SEPARATOR in name and alone else name
    return listed


def _organizations_cell(links: list[tuple[str, str]], lang: str) -> tuple[str, str]:
    """The `organizations` and `role` cells: one role for all, or each name with its own."""
    roles = {role for _, role in links}
    separator = f"{LIST_SEPARATOR} "
    if len(roles) <= 1:
        role = _word(ROLE_WORDS, roles.pop(), lang) if roles else ""
        return separator.join(name for name, _ in links), role
    return separator.join(f"{name} ({_word(ROLE_WORDS, role, lang)})" for name, role in links), ""


# ---- files ----------------------------------------------------------------------------------


def headers(frame: pd.DataFrame, lang: str) -> list[str]:
    """The frame's columns as the file's header row in `lang` (`Дата`, `Заглавие`, … or `Date`, `Title`, …)."""
    known = {column.field for columns in COLUMNS.values() for column in columns}
    # A frame whose columns are its headers already (the outcomes', db/transfer/outcomes.py) keeps them.
    return [_column(name).header(lang) if name in known else str(name) for name in frame.columns]


def _column(field: str) -> Column:
    for column in (column for columns in COLUMNS.values() for column in columns):
        if column.field == field:
            return column
    raise ValueError(f"{field!r} is not a column of the exchange format")


def _is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _csv_cell(value: Any) -> str:
    if _is_missing(value):
        return ""
    if isinstance(value, (date, datetime)):
        return value.strftime(CSV_DATE_FORMAT)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # Text stored before the checks cleaned it may hold control characters: the import refuses a
    # file with them (they mark a file that is not text), and no one typed them on purpose.
    text = printable(str(value))
    # CSV has no cell types: Excel runs `=…`, `+…`, `-…`, `@…` as a formula unless it starts with `'`.
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv_bytes(frame: pd.DataFrame, lang: str) -> bytes:
    """The frame as CSV for Excel: UTF-8 with BOM, `;` between cells, dates as `08.04.2014`, headers in `lang`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_SEPARATOR, lineterminator="\r\n")
    writer.writerow(headers(frame, lang))
    for record in frame.itertuples(index=False):
        writer.writerow([_csv_cell(value) for value in record])
    # The BOM is what tells Excel the file is UTF-8; without it Excel reads Windows-1251.
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx_bytes(sheets: Mapping[str, pd.DataFrame], lang: str) -> bytes:
    """A workbook with one sheet per frame: keys `partners`/`activities` name the sheet in `lang`.

    Dates are real dates shown as DD.MM.YYYY; every text cell is a string cell, never a formula.
    """
    openpyxl = safe_openpyxl()
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    for key, frame in sheets.items():
        sheet = workbook.create_sheet(title=_sheet_title(key, lang))
        sheet.freeze_panes = "A2"
        for index, name in enumerate(frame.columns):
            sheet.column_dimensions[_letter(index)].width = _WIDTHS.get(str(name), 18)
        header_cells = []
        for text in headers(frame, lang):
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for record in frame.itertuples(index=False):
            sheet.append([_xlsx_cell(sheet, value, WriteOnlyCell) for value in record])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(key: str, lang: str) -> str:
    for table in TABLES:
        if key == table:
            return SHEET_NAMES[table][exchange_language(lang)]
    return key[:31]  # Excel's limit on a sheet name


def _xlsx_cell(sheet: Any, value: Any, cell_type: Any) -> Any:
    if _is_missing(value):
        return None
    if isinstance(value, (date, datetime)):
        cell = cell_type(sheet, value=value)
        cell.number_format = XLSX_DATE_FORMAT
        return cell
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        # openpyxl refuses control characters (XML does not allow them), and the CSV leaves them out too.
        text = printable(str(value))
        cell = cell_type(sheet, value=text)
        # openpyxl makes any text starting with `=` a formula; a string cell is shown as typed.
        cell.data_type = "s"
        return cell
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


# ---- templates ------------------------------------------------------------------------------

TEMPLATE_ROWS: dict[Table, dict[str, Any]] = {
    "partners": {
        "name": "Сдружение „Пример“",
        "short_name": "Пример",
        "kind": "сдружение",
        "city": "Кюстендил",
        "website": "https://primer.example.org",
        "email": "office@primer.example.org",
        "phone": "0888 123 456",
        "contact_person": "Мария Иванова",
        "mission": "Подкрепа за ученици и родители.",
        "focus_areas": "образователна интеграция; работа с родители",
        "partner_since": date(2020, 9, 15),
        "is_active": "да",
    },
    "activities": {
        "school": "ОУ „Иван Вазов“",
        "start_date": date(2024, 4, 8),
        "end_date": None,
        "title": "Кръгла маса за Деня на ромите",
        "type": "кръгла маса",
        "organizations": "Сдружение „Пример“",
        "role": "организатор",
        "status": "проведена",
        "location": "ОУ „Иван Вазов“ – Кюстендил",
        "participants": 40,
        "pupils_reached": 12,
        "description": "Разговор с родители, учители и институции.",
        "news_url": "https://school.example.bg/news/roma-day",
    },
}


def template_frame(table: Table, *, schools: bool = False) -> pd.DataFrame:
    """Every column of the table and one example row, in Bulgarian; the school's column with `schools`."""
    return pd.DataFrame([TEMPLATE_ROWS[table]], columns=_fields(table, schools=schools), dtype=object)


def template_bytes(table: Table, fmt: Literal["csv", "xlsx"], lang: str, *, schools: bool = False) -> bytes:
    """An import template: the headers in `lang` and one example row in Bulgarian, as .csv or .xlsx."""
    frame = template_frame(table, schools=schools)
    return to_csv_bytes(frame, lang) if fmt == "csv" else to_xlsx_bytes({table: frame}, lang)


def whole_database(engine: Engine, lang: str) -> dict[str, pd.DataFrame]:
    """Both tables, for `to_xlsx_bytes`: keys partners and activities."""
    return {
        "partners": export_partners(engine, lang=lang),
        "activities": export_activities(engine, ActivityFilters(), lang=lang),
    }
