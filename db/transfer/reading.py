"""Reading a table of partners or activities from the bytes of a .csv or .xlsx file.

Pure: bytes in, rows and problems out; nothing here touches the database. The exchange
format (its columns, declared with the fields in db.fields, and the words it accepts for
roles, statuses and yes/no) is defined here too, so that the export writes exactly what
this reads back.

Files come from Bulgarian school offices: CSV saved by Excel on Bulgarian Windows
(Windows-1251, `;`), UTF-8 with or without BOM, `,` or `;`, and .xlsx workbooks. The
encoding is never guessed silently: text that only decodes as nonsense is a problem.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any, Literal

from db.fields import Column, exchange_columns
from db.validation import Problem

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000
# An .xlsx is a ZIP: 2 MB of it can unpack to gigabytes of XML (a "zip bomb").
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
FILE = "file"  # the field of problems with the file as a whole; its label is `field.file`

Table = Literal["partners", "activities"]
TABLES: tuple[Table, ...] = ("partners", "activities")
Cells = list[tuple[int, list[Any]]]  # (spreadsheet row number, cell values) of the non-empty rows


class _Columns(Mapping[Table, tuple[Column, ...]]):
    """Each table's columns, from the fields declared in db.fields, read there on every use."""

    def __getitem__(self, table: Table) -> tuple[Column, ...]:
        return exchange_columns(table)

    def __iter__(self) -> Iterator[Table]:
        return iter(TABLES)

    def __len__(self) -> int:
        return len(TABLES)


COLUMNS: Mapping[Table, tuple[Column, ...]] = _Columns()
SHEET_NAMES: dict[Table, dict[str, str]] = {
    "partners": {"bg": "Партньори", "en": "Partners"},
    "activities": {"bg": "Дейности", "en": "Activities"},
}
# The words a file may use for codes; the first of each pair is what the Bulgarian export writes.
ROLE_WORDS = {
    "organizer": ("организатор", "organizer"),
    "partner": ("партньор", "partner"),
    "funder": ("финансира", "funder"),
    "guest": ("гост", "guest"),
}
STATUS_WORDS = {
    "planned": ("планирана", "planned"),
    "held": ("проведена", "held"),
    "cancelled": ("отменена", "cancelled"),
}
YES_NO_WORDS = {
    True: ("да", "yes", "true", "1", "активен", "active"),
    False: ("не", "no", "false", "0", "неактивен", "inactive"),
}
LIST_SEPARATOR = ";"
# A cell starting with one of these is a formula to Excel (CSV injection): the export writes `'` before it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_NOT_TEXT = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Besides Cyrillic and ASCII, what Bulgarian text saved from Excel in Windows-1251 holds.
_CP1251_PUNCTUATION = frozenset("„“”‘’«»–—…№§°±•€·©®™\u00a0")
_NOT_BULGARIAN = re.compile(r"[ЫЭыэ]|[Ьь](?![Оо])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{2,}")


def header_key(text: object) -> str:
    """A header as compared: without case, spaces, underscores or a BOM (`Кратко име` = `кратко_име`)."""
    return re.sub(r"[\s_]+", "", str(text or "").replace("\ufeff", "")).casefold()


def read_table(data: bytes, filename: str, *, table: Table | None = None) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The rows of a .csv or .xlsx file and every problem with the file.

    Each row is keyed by the fields of the columns the file has (COLUMNS: `name`,
    `short_name`, … for partners; `start_date`, `title`, `type`, `organizations`, … for
    activities), plus `_row`, its row number in the spreadsheet (the header is row 1).
    Values are as the file holds them: text from a CSV; text, numbers or datetimes from
    an .xlsx. `table` says which columns to expect; without it the table is recognised
    by its required columns.
    """
    cells, problems = read_cells(data, filename, table=table)
    if problems:
        return [], problems
    (header_row, header), *body = cells
    if table is None:
        table = _recognise(header)
        if table is None:
            return [], [Problem(FILE, "unknown_table", row=header_row)]
    fields, problems = _match_header(header, COLUMNS[table], header_row)
    if not body:
        problems.append(Problem(FILE, "no_rows"))
    rows = []
    for number, values in body:
        row, extra = _row(fields, values, number)
        rows.append(row)
        problems += extra
    return rows, problems


def read_cells(data: bytes, filename: str, *, table: Table | None = None) -> tuple[Cells, list[Problem]]:
    """The non-empty rows of the file's sheet as (row number, values), or the problem that stops reading it."""
    if len(data) > MAX_BYTES:
        return [], [Problem(FILE, "file_too_large", {"limit": MAX_BYTES // (1024 * 1024)})]
    if not data.strip(b" \t\r\n" + codecs.BOM_UTF8):
        return [], [Problem(FILE, "empty_file")]
    suffix = filename.lower().rpartition(".")[2] if "." in filename else ""
    if suffix not in ("csv", "xlsx"):
        return [], [Problem(FILE, "unsupported_format", {"value": filename})]
    is_zip = data.startswith(_ZIP)
    if (suffix == "xlsx" and not is_zip) or (suffix == "csv" and (is_zip or data.startswith(_NOT_TEXT))):
        return [], [Problem(FILE, "not_a_spreadsheet")]
    cells, problems = _xlsx_cells(data, table) if suffix == "xlsx" else _csv_cells(data)
    if problems:
        return [], problems
    if not cells:
        return [], [Problem(FILE, "empty_file")]
    if len(cells) > MAX_ROWS + 1:
        return [], [Problem(FILE, "too_many_rows", {"limit": MAX_ROWS})]
    mojibake = _first_mojibake(cells)
    return ([], [mojibake]) if mojibake else (cells, [])


# ---- CSV --------------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, list[Problem]]:
    """The text of a CSV file: UTF-8 (with or without BOM), else Windows-1251 if it reads as Bulgarian.

    Anything else is a `bad_encoding` problem, never a guess.
    """
    if data.startswith(_UTF16_BOMS):
        # Excel's "Unicode text" is UTF-16 and tab-separated: not the CSV asked for.
        return "", [Problem(FILE, "bad_encoding")]
    try:
        text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError:
        if data.startswith(codecs.BOM_UTF8):
            return "", [Problem(FILE, "bad_encoding")]
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError:
            return "", [Problem(FILE, "bad_encoding")]
        if not _reads_as_bulgarian(text):
            return "", [Problem(FILE, "bad_encoding")]
    if _CONTROL.search(text):
        return "", [Problem(FILE, "bad_encoding")]
    return text, []


def _reads_as_bulgarian(text: str) -> bool:
    """Whether Windows-1251 gave Bulgarian text, not the odd letters and symbols that other bytes map to.

    Only the Bulgarian alphabet counts: bytes of another code page (Greek, Western) land
    on ы, э and ь, which Bulgarian does not use (ь only before о).
    """
    cyrillic = False
    for character in text:
        if "А" <= character <= "я":
            cyrillic = True
        elif not (character.isascii() or character in _CP1251_PUNCTUATION):
            return False
    return cyrillic and not _NOT_BULGARIAN.search(text)


def _csv_cells(data: bytes) -> tuple[Cells, list[Problem]]:
    text, problems = decode_text(data)
    if problems:
        return [], problems
    delimiter = _sniff_delimiter(text.partition("\n")[0])
    if delimiter is None:
        return [], [Problem(FILE, "bad_separator", row=1)]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    cells: Cells = []
    number = 0
    try:
        for number, values in enumerate(reader, start=1):
            values = [_csv_value(value) for value in values]
            if any(value != "" for value in values):
                cells.append((number, values))
            if len(cells) > MAX_ROWS + 1:
                break
    except csv.Error:
        return [], [Problem(FILE, "bad_quotes", row=number + 1)]
    return cells, []


def _sniff_delimiter(header_line: str) -> str | None:
    """`;` or `,`, whichever the header line uses (outside quotes); None if it is split by tabs."""
    outside = re.sub(r'"[^"]*"', "", header_line)
    counts = {sep: outside.count(sep) for sep in (";", ",", "\t")}
    best = ";" if counts[";"] >= counts[","] else ","
    if counts["\t"] > counts[best]:
        return None
    return best


def _csv_value(value: str) -> str:
    value = value.strip()
    # The export writes `'` before text that Excel would take for a formula; reading it back removes it.
    if value.startswith("'") and value[1:2] and value[1:2] in FORMULA_STARTS:
        return value[1:]
    return value


# ---- xlsx -------------------------------------------------------------------------------------


def safe_openpyxl() -> Any:
    """openpyxl, loaded after the standard XML parsers are defused (no entity expansion, no external DTDs)."""
    import defusedxml

    with warnings.catch_warnings():
        # defuse_stdlib imports its deprecated cElementTree shim; the warning is about that import only.
        warnings.simplefilter("ignore", DeprecationWarning)
        defusedxml.defuse_stdlib()
    import openpyxl

    if not openpyxl.DEFUSEDXML:
        raise RuntimeError("openpyxl does not use defusedxml; refusing to read workbooks")
    return openpyxl


def _xlsx_cells(data: bytes, table: Table | None) -> tuple[Cells, list[Problem]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        return [], [Problem(FILE, "not_a_spreadsheet")]
    if unpacked > MAX_UNPACKED_BYTES:
        return [], [Problem(FILE, "file_too_large", {"limit": MAX_BYTES // (1024 * 1024)})]
    openpyxl = safe_openpyxl()
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a ZIP that is not a workbook
        return [], [Problem(FILE, "not_a_spreadsheet")]
    try:
        sheet = _sheet_for(workbook.worksheets, table)
        if sheet is None:
            return [], [Problem(FILE, "not_a_spreadsheet")]
        # The <dimension> a file declares may be wrong; trusting it would silently drop rows.
        sheet.reset_dimensions()
        return _non_empty(sheet.iter_rows(values_only=True)), []
    except Exception:  # a damaged sheet inside a valid ZIP
        return [], [Problem(FILE, "not_a_spreadsheet")]
    finally:
        workbook.close()


def _sheet_for(sheets: Sequence[Any], table: Table | None) -> Any:
    """The sheet named for the table (`Дейности`, `activities`), else the first sheet."""
    if table is not None:
        names = {header_key(name) for name in (*SHEET_NAMES[table].values(), table)}
        for sheet in sheets:
            if header_key(sheet.title) in names:
                return sheet
    return sheets[0] if sheets else None


def _non_empty(rows: Iterable[Sequence[Any]]) -> Cells:
    cells: Cells = []
    for number, row in enumerate(rows, start=1):
        values = [_xlsx_value(value) for value in row]
        if any(value != "" for value in values):
            cells.append((number, values))
            if len(cells) > MAX_ROWS + 1:
                break
    return cells


def _xlsx_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime) and value.time() == time():
        return value.date()
    if isinstance(value, (int, float, date, datetime)):
        return value
    return str(value)


# ---- header and rows ----------------------------------------------------------------------------


def _recognise(header: Sequence[Any]) -> Table | None:
    keys = {header_key(cell) for cell in header}
    found = [
        table
        for table in TABLES
        if all(header_key(c.bg) in keys or header_key(c.en) in keys for c in COLUMNS[table] if c.required)
    ]
    return found[0] if len(found) == 1 else None


def _match_header(header: Sequence[Any], columns: Sequence[Column], row: int) -> tuple[list[str | None], list[Problem]]:
    """The field of each header cell, and the unknown, repeated and missing columns.

    A blank header cell gives None (a value under it is a problem in its row); an unknown or
    repeated one gives "" (reported once, here, and its values left out).
    """
    by_key = {header_key(name): column for column in columns for name in (column.bg, column.en, column.field)}
    fields: list[str | None] = []
    problems: list[Problem] = []
    for cell in header:
        text = str(cell).strip()
        column = by_key.get(header_key(text))
        if not text:
            fields.append(None)
        elif column is None:
            problems.append(Problem(FILE, "unknown_column", {"value": _shorten(text)}, row))
            fields.append("")
        elif column.field in fields:
            problems.append(Problem(column.field, "duplicate_column", {"value": _shorten(text)}, row))
            fields.append("")
        else:
            fields.append(column.field)
    for column in columns:
        if column.required and column.field not in fields:
            problems.append(Problem(column.field, "missing_column", {"bg": column.bg, "en": column.en}, row))
    return fields, problems


def _row(fields: Sequence[str | None], values: Sequence[Any], number: int) -> tuple[dict[str, Any], list[Problem]]:
    row: dict[str, Any] = {"_row": number}
    problems = []
    for index, value in enumerate(values):
        field = fields[index] if index < len(fields) else None
        if field:
            row[field] = value
        elif field is None and value != "":
            problems.append(
                Problem(FILE, "extra_cell", {"value": _shorten(value), "column": column_letter(index)}, number)
            )
    return row, problems


def column_letter(index: int) -> str:
    """`A` for the first column (index 0), `AA` for the 27th, as Excel names them."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _shorten(value: Any, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---- mojibake -----------------------------------------------------------------------------------


def _first_mojibake(cells: Cells) -> Problem | None:
    """The first cell whose text is UTF-8 that was once read in the wrong encoding and saved (`РљСЂ…`, `Ð`)."""
    for number, values in cells:
        for value in values:
            if isinstance(value, str):
                run = mojibake_in(value)
                if run:
                    return Problem(FILE, "mojibake", {"value": _shorten(run)}, number)
    return None


def mojibake_in(text: str) -> str | None:
    """The first run of `text` that is UTF-8 bytes shown as Windows-1251 or -1252 characters, if any.

    Genuine Bulgarian never passes: its letters are all bytes 0xC0–0xFF in Windows-1251,
    and two such bytes in a row are never valid UTF-8.
    """
    for match in _NON_ASCII_RUN.finditer(text):
        run = match.group()
        for encoding, letters_needed in (("cp1251", 2), ("cp1252", 1)):
            try:
                original = run.encode(encoding).decode("utf-8")
            except UnicodeError:
                continue
            if sum(1 for ch in original if ch.isalpha() and not ch.isascii()) >= letters_needed:
                return run
    return None
